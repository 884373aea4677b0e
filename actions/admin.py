from django.contrib import admin
from django.core.exceptions import ValidationError

from csp_portal.core.admin import (
    AsksAgainAfterARace,
    InAdministeredPartnerships,
    KeepsHistory,
    LooksUpInItsPartnership,
    OwnThemeGroups,
    TableInline,
)
from csp_portal.core.forms import LinkedIndicatorsForm, PlainTextModelForm

from . import selectors, services
from .forms import MeetingDateFromMeeting
from .models import (
    Action,
    ActionPlan,
    ActionsChange,
    ActionUpdate,
    CrossThemeIssue,
    Objective,
    Recommendation,
    Risk,
)


class ActionsAdmin(AsksAgainAfterARace, InAdministeredPartnerships, KeepsHistory, admin.ModelAdmin):
    """Changes made here join the history of action plans, as the site's do; a staff user
    sees only the rows of the partnerships they edit."""

    history = services.HISTORY

    def recorded_changes(self, obj):
        return selectors.row_changes(obj, every=True)


class ObjectiveInline(TableInline):
    form = PlainTextModelForm
    model = Objective
    extra = 0
    fields = ["number", "title"]


class ActionPlanForm(PlainTextModelForm):
    def clean(self):
        data = super().clean()
        plan, year = self.instance, data.get("financial_year")
        if plan.pk is not None and year is not None and "financial_year" in self.changed_data:
            try:
                services.plan_year_check(plan, year, plan.partnership.fy_start_month)
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(ActionPlan)
class ActionPlanAdmin(OwnThemeGroups, ActionsAdmin):
    form = ActionPlanForm
    list_display = ["title", "partnership", "theme_group", "financial_year"]
    # No theme group filter: its choices name each group's partnership, a query apiece.
    list_filter = ["partnership"]
    search_fields = ["title", "partnership__name", "theme_group__name"]
    autocomplete_fields = ["partnership", "theme_group"]
    inlines = [ObjectiveInline]

    def get_queryset(self, request):
        # A plan's name gives its year as its partnership labels it: the autocomplete of
        # objectives' and actions' plan boxes names each result without a query apiece.
        # (Django applies list_select_related only to a queryset that selects none.)
        return (
            super().get_queryset(request).select_related("partnership", "theme_group__partnership")
        )

    def get_readonly_fields(self, request, obj=None):
        # Its actions' leads and indicators are its partnership's: moved to another, they
        # would be another's (as the site's pages never move a plan). Made in the wrong
        # one, it is deleted and added again.
        return ["partnership"] if obj is not None else []


@admin.register(Objective)
class ObjectiveAdmin(ActionsAdmin):
    partnership_path = "plan__partnership"
    form = PlainTextModelForm
    list_display = ["number", "title", "plan"]
    list_filter = ["plan__partnership"]
    search_fields = ["title", "plan__title"]
    list_select_related = ["plan__partnership"]
    autocomplete_fields = ["plan"]

    def get_readonly_fields(self, request, obj=None):
        # Its actions are its plan's: moved to another, they would be in one plan and
        # their objective in another (the site's pages never move an objective).
        return ["plan"] if obj is not None else []


class ActionUpdateInline(TableInline):
    form = PlainTextModelForm
    model = ActionUpdate
    extra = 0
    fields = ["date", "kind", "status", "text", "by", "source", "created_at"]
    # The history is an audit: updates are added on the site or by import, never edited.
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ActionForm(LinkedIndicatorsForm):
    def partnership_of(self, data):
        plan = data.get("plan")
        return plan.partnership if plan is not None else None


@admin.register(Action)
class ActionAdmin(LooksUpInItsPartnership, ActionsAdmin):
    form = ActionForm
    partnership_boxes = ("lead_member",)
    partnership_path = "plan__partnership"
    list_display = ["reference", "description", "plan", "status", "due", "closed"]
    list_filter = ["plan__partnership", "status", "closed"]
    search_fields = [
        "reference",
        "description",
        "outcome",
        "lead_text",
        "plan__title",
        "plan__theme_group__name",
    ]
    list_select_related = ["plan__partnership"]
    autocomplete_fields = ["plan", "objective", "lead_member", "indicators"]
    # Status and the latest update come from the update history (services.action_update_add).
    readonly_fields = ["status", "latest_update", "updated_on"]
    inlines = [ActionUpdateInline]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(InAdministeredPartnerships, admin.ModelAdmin):
    partnership_path = "action__plan__partnership"
    form = PlainTextModelForm
    list_display = ["action", "date", "kind", "status", "by", "source"]
    list_filter = ["kind", "status", "source", "action__plan__partnership"]
    search_fields = ["text", "action__reference", "action__description"]
    list_select_related = ["action", "by"]
    readonly_fields = ["action", "date", "kind", "status", "text", "by", "source", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Risk)
class RiskAdmin(OwnThemeGroups, ActionsAdmin):
    form = PlainTextModelForm
    list_display = ["reference", "description", "partnership", "likelihood", "impact", "status"]
    list_filter = ["partnership", "status"]
    search_fields = ["reference", "description", "owner", "mitigation", "theme_group__name"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["partnership", "theme_group"]


class CrossThemeIssueAdminForm(PlainTextModelForm):
    def clean(self):
        cleaned = super().clean()
        partnership = cleaned.get("partnership") or getattr(self.instance, "partnership", None)
        affects = cleaned.get("affects")
        if partnership is not None and affects is not None:
            try:
                services.issue_groups_check(
                    partnership=partnership, raised_by=cleaned.get("raised_by"), affects=affects
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(CrossThemeIssue)
class CrossThemeIssueAdmin(OwnThemeGroups, ActionsAdmin):
    form = CrossThemeIssueAdminForm
    theme_group_fields = ("raised_by", "affects")
    list_display = ["title", "partnership", "raised_by", "status", "raised_on"]
    list_filter = ["partnership", "status"]
    search_fields = ["title", "issue", "ask", "raised_by__name"]
    list_select_related = ["partnership", "raised_by__partnership"]
    autocomplete_fields = ["partnership", "raised_by", "affects"]


class RecommendationAdminForm(MeetingDateFromMeeting, PlainTextModelForm):
    pass


@admin.register(Recommendation)
class RecommendationAdmin(LooksUpInItsPartnership, ActionsAdmin):
    form = RecommendationAdminForm
    partnership_boxes = ("meeting",)
    list_display = ["reference", "partnership", "meeting_date", "assigned_to", "status", "due"]
    list_filter = ["partnership", "status", "meeting_date"]
    search_fields = ["reference", "recommendation", "assigned_to", "response"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["partnership", "meeting"]


@admin.register(ActionsChange)
class ActionsChangeAdmin(InAdministeredPartnerships, admin.ModelAdmin):
    list_display = ["changed_at", "partnership", "subject", "label", "source", "changed_by"]
    list_filter = ["partnership", "subject", "source"]
    search_fields = ["label"]
    list_select_related = ["partnership", "changed_by"]
    readonly_fields = [f.name for f in ActionsChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the history of who changed what is kept, as the figures' is
