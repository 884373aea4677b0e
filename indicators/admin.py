from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.utils import timezone

from csp_portal.core.admin import (
    InAdministeredPartnerships,
    OwnThemeGroups,
    RefusesDeletion,
    TableInline,
)
from csp_portal.core.forms import PlainTextModelForm
from csp_portal.core.models import Partnership
from csp_portal.core.paginators import EstimatedCountPaginator
from csp_portal.core.text import joined

from . import periods, selectors, services
from .models import Actual, FigureChange, Indicator, Target
from .validation import BASELINE_YEARS


class NationalAdmin(InAdministeredPartnerships, admin.ModelAdmin):
    """A list that grows with every partnership in the country: count it once (from the
    planner's estimate when unfiltered), never twice. A staff user sees only the rows of
    the partnerships they edit."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator


class FinancialYearFilter(admin.SimpleListFilter):
    """The last ten financial years, without reading every row for the years in use."""

    title = "financial year"
    parameter_name = "financial_year"

    def lookups(self, request, model_admin):
        latest = periods.financial_year_of(timezone.localdate())
        starts = set(Partnership.objects.values_list("fy_start_month", flat=True).distinct())
        years = range(latest, latest - 10, -1)
        if len(starts) == 1:  # every partnership names its years alike: "2016/17", or "2016"
            return [(str(year), periods.fy_label(year, *starts)) for year in years]
        # "2016/17" to some, "2016" to others: the year each starts in is theirs alike.
        return [(str(year), f"Starting in {year}") for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdecimal():
            return queryset.filter(financial_year=int(value))
        return queryset


class TargetInline(TableInline):
    form = PlainTextModelForm
    model = Target
    extra = 0
    fields = ["financial_year", "kind", "value", "baseline_year", "period"]
    ordering = ["-financial_year", "period"]
    # Targets change through the Target admin, which keeps the audit trail.
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        # Each row's name, which gives the year as its partnership does.
        return super().get_queryset(request).select_related("indicator__partnership")

    def has_add_permission(self, request, obj=None):
        return False


def indicator_in_use(indicator: Indicator, uses: dict[tuple[str, str], str]) -> str:
    """Why an indicator that anything still names is kept: deleted, it would take its
    figures and their history with it, and unlink its actions and lines without a word in
    their history."""
    if uses.keys() & selectors.WITH_FIGURES:
        advice = (
            'untick "Active" on its page instead: it leaves the partnership\'s lists, and '
            "its figures and their history are kept."
        )
    else:
        advice = "unlink it from them, or delete them, first."
    return (
        f"You cannot delete the indicator “{indicator}” because it still has "
        f"{joined(uses.values())}: {advice}"
    )


@admin.register(Indicator)
class IndicatorAdmin(RefusesDeletion, OwnThemeGroups, NationalAdmin):
    form = PlainTextModelForm
    list_display = [
        "code",
        "title",
        "partnership",
        "theme_group",
        "polarity",
        "measure",
        "frequency",
        "active",
    ]
    list_filter = ["partnership", "polarity", "measure", "frequency", "active"]
    search_fields = ["code", "title", "partnership__name", "owner"]
    # The theme group's name includes its partnership's.
    list_select_related = ["partnership", "theme_group__partnership"]
    autocomplete_fields = ["partnership", "theme_group"]
    inlines = [TargetInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "partnership",
                    "theme_group",
                    "code",
                    "title",
                    "description",
                    "unit",
                    "interpretation_note",
                ]
            },
        ),
        (
            "How it is measured",
            {"fields": ["polarity", "measure", "frequency", "tolerance", "stability", "rate_per"]},
        ),
        ("Ownership", {"fields": ["owner", "data_source", "active"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Its figures, targets and the actions and lines linking it are its partnership's:
        # moved to another, it would take them across. Made in the wrong one, it is
        # deleted and added again.
        return ["partnership"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        made_monitoring = "polarity" in form.changed_data and obj.polarity == obj.Polarity.MONITOR
        if change and made_monitoring and obj.targets.exists():
            self.message_user(request, services.targets_kept_words([obj.code]), messages.WARNING)

    def deletion_refusals(self, indicators):
        in_use = selectors.indicators_in_use([indicator.pk for indicator in indicators])
        return [indicator_in_use(i, in_use[i.pk]) for i in indicators if i.pk in in_use]


class TargetAdminForm(PlainTextModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "financial_year", "kind", "value", "baseline_year", "period"]

    def clean(self):
        data = super().clean()
        indicator, year = data.get("indicator"), data.get("financial_year")
        self._check_baseline(
            data,
            indicator or getattr(self.instance, "indicator", None),
            year or self.instance.financial_year,
        )
        # The indicator is read-only once the target is saved.
        rated = indicator or getattr(self.instance, "indicator", None)
        if rated and rated.polarity == Indicator.Polarity.MONITOR:
            self.add_error(
                None,
                f"{services.monitoring_only_words(rated)}. A target kept from before is removed "
                "on the indicator's target page.",
            )
        adding = self.instance.pk is None
        lock = adding and indicator and year and services.target_locked_by(indicator, year)
        if lock:
            label = periods.fy_label(year, indicator.partnership.fy_start_month)
            what = (
                f"rated {indicator.code} against its {label} target"
                if lock.rated
                else f"showed {indicator.code} with no {label} target"
            )
            raise ValidationError(
                f"A published report {what}: change it on the indicator's target page, "
                "which asks for a reason."
            )
        return data

    def _check_baseline(self, data, indicator, year) -> None:
        """The baseline years the target page offers: one of the ten before the target's
        year, for a change against a baseline only (as the import checks too)."""
        kind, baseline = data.get("kind"), data.get("baseline_year")
        if kind != Target.Kind.CHANGE_PCT:
            if baseline is not None:
                self.add_error(
                    "baseline_year", "Leave the baseline year blank: only a change has one"
                )
            return
        if year is None:
            return
        start = indicator.partnership.fy_start_month if indicator else 4
        if baseline is None or not year - BASELINE_YEARS <= baseline < year:
            self.add_error(
                "baseline_year",
                f"Enter a baseline year from {year - BASELINE_YEARS} to {year - 1} (that is "
                f"{periods.fy_label(year - BASELINE_YEARS, start)} to "
                f"{periods.fy_label(year - 1, start)}): one of the {BASELINE_YEARS} years "
                "before the target's",
            )


@admin.register(Target)
class TargetAdmin(NationalAdmin):
    partnership_path = "indicator__partnership"
    form = TargetAdminForm
    list_display = ["indicator", "financial_year", "kind", "value", "baseline_year", "period"]
    list_filter = ["kind", FinancialYearFilter, "indicator__partnership"]
    search_fields = ["indicator__code", "indicator__title"]
    list_select_related = ["indicator__partnership"]  # a target's name gives its year as theirs
    autocomplete_fields = ["indicator"]

    def get_readonly_fields(self, request, obj=None):
        # Which target a row is stays fixed: the service sets a target by indicator, year
        # and period, so editing them here would add a second target, not move this one.
        if obj is None:
            return []
        # Asked several times a request by Django: the published reports read once.
        asked = request.__dict__.setdefault("_target_locked", {})
        if obj.pk not in asked:
            asked[obj.pk] = services.target_locked_by(obj.indicator, obj.financial_year)
        if asked[obj.pk]:
            # A published report rated against it: it changes on its target page, with a
            # reason that the next report prints beside the revision.
            return [*self.list_display]
        return ["indicator", "financial_year", "period"]

    def has_delete_permission(self, request, obj=None):
        # A target is removed on its indicator's target page, where the removal is audited.
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, so the change is audited like any other.
        saved, _ = services.target_set(
            indicator=obj.indicator,
            financial_year=obj.financial_year,
            kind=obj.kind,
            value=obj.value,
            baseline_year=obj.baseline_year,
            period=obj.period,
            by=request.user,
            reason="Changed in the admin",
            source="admin",
        )
        obj.pk = saved.pk


class SourceFilter(admin.SimpleListFilter):
    """Where a change came from, from a fixed list: listing the values found would read every
    row of the country's audit trail."""

    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [
            ("form", "Form on the site"),
            ("upload", "Spreadsheet upload"),
            ("import", "import_data command"),
            ("admin", "Admin"),
            ("demo", "Demo data"),
        ]

    def queryset(self, request, queryset):
        return queryset.filter(source=self.value()) if self.value() else queryset


class PeriodFilter(admin.SimpleListFilter):
    """The changes to one month's (or quarter's) figure and target, the month typed as
    YYYY-MM ("who changed November 2016, and why"): listing the months found would read
    every row of the country's audit trail."""

    title = "period"
    parameter_name = "period"
    template = "admin/indicators/period_filter.html"

    def lookups(self, request, model_admin):
        return [(self.value(), self.value())] if self.value() else []

    def has_output(self) -> bool:
        return True  # its box, whatever is filtered

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            month = periods.parse_month(self.value())
        except ValueError as error:
            raise IncorrectLookupParameters(error) from None
        return queryset.filter(period=month)

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }
        # The box keeps the other filters and the search as hidden fields.
        kept = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name != self.parameter_name
            for value in values
        ]
        yield {"box": True, "value": self.value() or "", "kept": kept}


class ReadOnlyAdmin(NationalAdmin):
    """For records only the site's services write: the admin may look, never touch.

    These tables hold millions of rows nationally: no date hierarchy or filters that read
    every row for their choices.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Actual)
class ActualAdmin(ReadOnlyAdmin):
    """Read-only: figures are entered on the site, where edits are checked and audited."""

    partnership_path = "indicator__partnership"
    list_display = [
        "indicator",
        "period",
        "value",
        "numerator",
        "denominator",
        "entered_by",
        "entered_at",
    ]
    list_filter = ["indicator__partnership"]
    search_fields = ["indicator__code", "indicator__title"]
    list_select_related = ["indicator", "entered_by"]


@admin.register(FigureChange)
class FigureChangeAdmin(ReadOnlyAdmin):
    partnership_path = "indicator__partnership"
    list_display = [
        "changed_at",
        "indicator",
        "subject",
        "period",
        "financial_year",
        "changed_by",
        "source",
        "reason",
    ]
    list_filter = ["subject", SourceFilter, PeriodFilter, "indicator__partnership"]
    search_fields = ["indicator__code", "indicator__title", "reason"]
    list_select_related = ["indicator", "changed_by"]
