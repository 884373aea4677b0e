from django.contrib import admin, messages

from csp_portal.core.admin import InAdministeredPartnerships

from .models import OffenceMapping, Peer, PoliceImport
from .selectors import offence_names_unknown


@admin.register(PoliceImport)
class PoliceImportAdmin(InAdministeredPartnerships, admin.ModelAdmin):
    list_display = ["imported_at", "partnership", "imported_by", "dry_run"]
    list_filter = ["partnership", "dry_run"]
    readonly_fields = ["partnership", "files", "report", "dry_run", "imported_by", "imported_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Peer)
class PeerAdmin(InAdministeredPartnerships, admin.ModelAdmin):
    list_display = ["csp_name", "partnership", "population", "households", "is_self"]
    list_filter = ["partnership"]
    search_fields = ["csp_name", "partnership__name"]


@admin.register(OffenceMapping)
class OffenceMappingAdmin(InAdministeredPartnerships, admin.ModelAdmin):
    partnership_path = "indicator__partnership"
    list_display = ["indicator", "offence_groups", "per_households"]
    autocomplete_fields = ["indicator"]
    readonly_fields = ["unknown_names"]

    @admin.display(description="Names no Home Office count has")
    def unknown_names(self, mapping):
        return ", ".join(offence_names_unknown(mapping.offence_groups)) or "None"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Saved all the same: the counts may be imported after the mapping is made.
        unknown = offence_names_unknown(obj.offence_groups)
        if unknown:
            quoted = ", ".join(f"“{name}”" for name in unknown)
            messages.warning(
                request,
                f"No Home Office count stored has {quoted} as its offence group or subgroup, "
                "so it adds nothing to the ranking. Check the spelling against the tables, "
                "or import them first (import_home_office).",
            )
