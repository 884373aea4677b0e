from django.contrib import admin

from .models import OffenceMapping, Peer, PoliceImport


@admin.register(PoliceImport)
class PoliceImportAdmin(admin.ModelAdmin):
    list_display = ["imported_at", "partnership", "imported_by", "dry_run"]
    list_filter = ["partnership", "dry_run"]
    readonly_fields = ["partnership", "files", "report", "dry_run", "imported_by", "imported_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    list_display = ["csp_name", "partnership", "population", "households", "is_self"]
    list_filter = ["partnership"]
    search_fields = ["csp_name", "partnership__name"]


@admin.register(OffenceMapping)
class OffenceMappingAdmin(admin.ModelAdmin):
    list_display = ["indicator", "offence_groups", "per_households"]
    autocomplete_fields = ["indicator"]
