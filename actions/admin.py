from django.contrib import admin

from csp_portal.core.admin import KeepsHistory
from csp_portal.core.forms import LinkedIndicatorsForm, PlainTextModelForm

from . import services
from .forms import affects_another_group
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


class ActionsAdmin(KeepsHistory, admin.ModelAdmin):
    """Changes made here join the history of action plans, as the site's do."""

    history = services.HISTORY


class ObjectiveInline(admin.TabularInline):
    form = PlainTextModelForm
    model = Objective
    extra = 0
    fields = ["number", "title"]


@admin.register(ActionPlan)
class ActionPlanAdmin(ActionsAdmin):
    form = PlainTextModelForm
    list_display = ["title", "partnership", "theme_group", "financial_year"]
    # No theme group filter: its choices name each group's partnership, a query apiece.
    list_filter = ["partnership"]
    search_fields = ["title", "partnership__name", "theme_group__name"]
    list_select_related = ["partnership", "theme_group__partnership"]
    autocomplete_fields = ["partnership", "theme_group"]
    inlines = [ObjectiveInline]

    def get_queryset(self, request):
        # A plan's name gives its year as its partnership labels it: the autocomplete of
        # objectives' and actions' plan boxes names each result without a query apiece.
        return super().get_queryset(request).select_related("partnership")


@admin.register(Objective)
class ObjectiveAdmin(ActionsAdmin):
    form = PlainTextModelForm
    list_display = ["number", "title", "plan"]
    list_filter = ["plan__partnership"]
    search_fields = ["title", "plan__title"]
    list_select_related = ["plan__partnership"]
    autocomplete_fields = ["plan"]


class ActionUpdateInline(admin.TabularInline):
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
class ActionAdmin(ActionsAdmin):
    form = ActionForm
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
class ActionUpdateAdmin(admin.ModelAdmin):
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
class RiskAdmin(ActionsAdmin):
    form = PlainTextModelForm
    list_display = ["reference", "description", "partnership", "likelihood", "impact", "status"]
    list_filter = ["partnership", "status"]
    search_fields = ["reference", "description", "owner", "mitigation", "theme_group__name"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["partnership", "theme_group"]


class CrossThemeIssueAdminForm(PlainTextModelForm):
    def clean(self):
        cleaned = super().clean()
        affects_another_group(self)
        return cleaned


@admin.register(CrossThemeIssue)
class CrossThemeIssueAdmin(ActionsAdmin):
    form = CrossThemeIssueAdminForm
    list_display = ["title", "partnership", "raised_by", "status", "raised_on"]
    list_filter = ["partnership", "status"]
    search_fields = ["title", "issue", "ask", "raised_by__name"]
    list_select_related = ["partnership", "raised_by__partnership"]
    autocomplete_fields = ["partnership", "raised_by", "affects"]


@admin.register(Recommendation)
class RecommendationAdmin(ActionsAdmin):
    form = PlainTextModelForm
    list_display = ["reference", "partnership", "meeting_date", "assigned_to", "status", "due"]
    list_filter = ["partnership", "status", "meeting_date"]
    search_fields = ["reference", "recommendation", "assigned_to", "response"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["partnership", "meeting"]


@admin.register(ActionsChange)
class ActionsChangeAdmin(admin.ModelAdmin):
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
