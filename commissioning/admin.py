from django.contrib import admin

from csp_portal.core.admin import (
    AdministeredRelatedFilter,
    AsksAgainAfterARace,
    InAdministeredPartnerships,
    KeepsHistory,
    RefusesDeletion,
    TableInline,
    counts_naming,
    object_id_of,
)
from csp_portal.core.forms import LinkedIndicatorsForm, PlainTextModelForm
from csp_portal.core.removal import counted

from . import selectors, services
from .models import (
    CommissioningChange,
    CommissioningLine,
    FundingStream,
    ProgressOutput,
    ProgressUpdate,
)


class CommissioningAdmin(
    AsksAgainAfterARace, InAdministeredPartnerships, KeepsHistory, admin.ModelAdmin
):
    """Changes made here join the history of commissioning, as the site's do; a staff user
    sees only the rows of the partnerships they edit. A stream's source or a line's
    reference another session took meanwhile is said on the form, naming its row."""

    history = services.HISTORY

    def recorded_changes(self, obj):
        return selectors.row_changes(obj, every=True)


@admin.register(FundingStream)
class FundingStreamAdmin(RefusesDeletion, CommissioningAdmin):
    form = PlainTextModelForm
    list_display = ["source", "partnership", "financial_year", "amount"]
    list_filter = ["partnership", "financial_year"]
    search_fields = ["source", "partnership__name"]

    def deletion_refusals(self, streams):
        # Said before Django's page, which would list each line the stream pays for and
        # read its partnership to name it (a query a line).
        counts = counts_naming(CommissioningLine.objects.all(), "funding_stream", streams)
        return [
            f"The funding stream {stream.source} pays for "
            f"{counted(counts[stream.pk], 'commissioning line')}: give "
            f"{'it' if counts[stream.pk] == 1 else 'them'} another stream or delete "
            f"{'it' if counts[stream.pk] == 1 else 'them'} first."
            for stream in streams
            if stream.pk in counts
        ]

    # In this order when the partnership and year are read-only too (which Django would
    # otherwise move to the end).
    fields = [
        "partnership",
        "financial_year",
        "source",
        "amount",
        "allocated_by",
        "criteria",
        "monitoring",
    ]

    def get_queryset(self, request):
        # A stream's name gives its year as its partnership labels it.
        return super().get_queryset(request).select_related("partnership")

    def get_readonly_fields(self, request, obj=None):
        # Its lines are paid from a stream of their partnership and year: a stream that
        # pays for any keeps both (FundingStream.clean). Asked several times a request.
        if obj is None:
            return []
        asked = request.__dict__.setdefault("_stream_has_lines", {})
        if obj.pk not in asked:
            asked[obj.pk] = obj.lines.exists()
        return ["partnership", "financial_year"] if asked[obj.pk] else []


def _with_partnership(row) -> str:
    # Streams and lines are named by source or reference and year, which many partnerships
    # share ("Grant 2025/26"): the option says whose it is.
    return f"{row} ({row.partnership})"


class ThemeGroupFilter(AdministeredRelatedFilter):
    """The theme groups of the partnership filtered by, if the user administers it: every
    group in the country is too many to list, each named with its partnership by a query of
    its own."""

    def field_choices(self, field, request, model_admin):
        partnership = request.GET.get("partnership__id__exact", "")
        if not partnership.isdecimal():
            return []
        groups = self.rows_offered(field, request, model_admin)
        groups = groups.filter(partnership_id=partnership).order_by("name")
        return [(group.pk, group.name) for group in groups]


class LineForm(LinkedIndicatorsForm):
    def partnership_of(self, data):
        return data.get("partnership")


@admin.register(CommissioningLine)
class CommissioningLineAdmin(CommissioningAdmin):
    form = LineForm
    list_display = [
        "reference",
        "partnership",
        "financial_year",
        "provider",
        "funding_stream",
        "contribution_status",
        "contribution",
        "total_budget",
        "end",
        "status",
    ]
    list_filter = [
        "partnership",
        "financial_year",
        "status",
        "contribution_status",
        ("theme_group", ThemeGroupFilter),
    ]
    search_fields = ["reference", "area_of_need", "recommendation", "provider"]
    list_select_related = ["partnership", "funding_stream__partnership"]
    autocomplete_fields = ["indicators"]
    exclude = ["version"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A line's page offers its partnership's own theme groups and streams; a new line's,
        # every partnership's, read with their partnership in one query.
        if db_field.name in ("theme_group", "funding_stream"):
            rows = db_field.related_model.objects.select_related("partnership")
            line = object_id_of(request)
            if line:
                rows = rows.filter(partnership__commissioning_lines=line)
            kwargs["queryset"] = rows
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "funding_stream":
            field.label_from_instance = _with_partnership
        return field


class ProgressOutputInline(TableInline):
    form = PlainTextModelForm
    model = ProgressOutput
    extra = 1


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(CommissioningAdmin):
    partnership_path = "line__partnership"
    form = PlainTextModelForm
    list_display = ["line", "date", "reported_by", "entered_by"]
    list_filter = ["line__partnership", "date"]
    search_fields = ["text", "reported_by", "line__reference"]
    list_select_related = ["line__partnership", "entered_by"]
    inlines = [ProgressOutputInline]
    exclude = ["version", "entered_by"]

    def save_model(self, request, obj, form, change):
        # Who entered it, as the site's update form says (services.update_save).
        if form.has_changed() or not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # An update's page offers the lines of its line's partnership; a new update's, every
        # partnership's.
        if db_field.name == "line":
            lines = CommissioningLine.objects.select_related("partnership")
            update = object_id_of(request)
            if update:
                lines = lines.filter(partnership__commissioning_lines__updates=update)
            kwargs["queryset"] = lines
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "line":
            field.label_from_instance = _with_partnership
        return field


@admin.register(CommissioningChange)
class CommissioningChangeAdmin(InAdministeredPartnerships, admin.ModelAdmin):
    list_display = ["changed_at", "partnership", "subject", "label", "source", "changed_by"]
    list_filter = ["partnership", "subject", "source"]
    search_fields = ["label"]
    readonly_fields = [f.name for f in CommissioningChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the history of who changed what is kept, as the figures' is
