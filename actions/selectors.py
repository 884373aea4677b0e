"""Reads for the action plan pages and the reports, each in a fixed number of queries.

What the reports app calls (all take a Partnership; none writes):

- ``plan_summary(partnership, *, theme_group=None, plan=None, as_at=None, since=None,
  overdue_at=None)`` -> PlanSummary: RAG counts of the open actions, every action with
  its status as at a date, the overdue ones (at ``overdue_at``, by default that date),
  and the status changes since an earlier date, closings and reopenings among them.
  3 queries.
- ``actions_for_indicators(partnership, indicator_ids)`` -> {indicator id: [Action]}:
  the open actions linked to each indicator (seed 001's "planned interventions for
  failing targets"). 1 query.
- ``open_risks(partnership, *, theme_group=None)`` -> [Risk], highest score first. 1 query.
- ``open_cross_theme_issues(partnership, *, theme_group=None)`` -> [CrossThemeIssue]
  with ``affects`` prefetched. 2 queries.
- ``open_recommendations(partnership, *, made_before=None)`` -> [Recommendation] still to
  follow up (made before a day, if given), oldest meeting first, each with its response.
  1 query.
- ``risk_matrix(partnership)`` -> 5 x 5 rules.MatrixCell rows of open risks. 1 query.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from csp_portal.core.change_log import ChangesShown, changes_shown
from csp_portal.core.models import Membership, Partnership, ThemeGroup
from indicators import periods
from indicators import selectors as indicator_selectors
from indicators.models import Actual, Indicator

from . import rules
from .models import (
    Action,
    ActionPlan,
    ActionsChange,
    ActionUpdate,
    CrossThemeIssue,
    Objective,
    OpenClosed,
    Recommendation,
    Risk,
)


def reference_key(reference: str) -> tuple:
    """Sort "2.10" after "2.9": numbers as numbers, the rest as text."""
    return tuple(
        (0, int(part), "") if part.isdecimal() else (1, 0, part.lower())
        for part in re.split(r"(\d+)", reference)
        if part
    )


def _action_order(action: Action) -> tuple:
    return (action.plan.title, action.objective.number, reference_key(action.reference))


def _overdue_q(today: datetime.date) -> Q:
    """rules.is_overdue as a query."""
    return Q(due__lt=today, closed=False) & ~Q(status=rules.GREEN)


# The action plan page ------------------------------------------------------


@dataclass(frozen=True)
class LinkedIndicator:
    indicator: Indicator
    status: str  # "green", "amber", "red" or "" from indicators.figures
    direction: str  # "improving", "deteriorating", "stable" or ""
    has_figures: bool
    url: str = ""  # the indicator's page, where a page of many links needs it


@dataclass(frozen=True)
class ActionRow:
    action: Action
    overdue: bool
    indicators: list[LinkedIndicator]
    url: str
    edit_url: str


@dataclass
class ObjectiveBlock:
    objective_number: int
    objective_title: str
    rows: list[ActionRow] = field(default_factory=list)


@dataclass
class PlanBlock:
    plan: ActionPlan
    objectives: list[ObjectiveBlock] = field(default_factory=list)


@dataclass(frozen=True)
class PlanFilters:
    status: str = ""  # a RAG status (open actions only) or rules.COMPLETE (closed ones)
    lead: str = ""  # "member:<membership pk>" or "text:<lead text>"
    theme_group: ThemeGroup | None = None
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.status or self.lead or self.theme_group or self.overdue)


@dataclass(frozen=True)
class PlanPage:
    legend: list[rules.LegendEntry]
    counts: list[rules.RagCount]  # the open actions in scope, whatever the filters
    total: int
    overdue_total: int
    plans: list[PlanBlock]  # the actions of this page only
    shown: int  # every action the filters let through, on any page
    figures_period: datetime.date | None  # the month the indicator statuses are for
    actions_page: Page | None = None  # which of the shown actions this page holds
    page_numbers: list = field(default_factory=list)  # with Paginator.ELLIPSIS gaps
    # Closed actions in scope: complete, so counted apart from the RAG counts.
    complete: int = 0

    @property
    def open_total(self) -> int:
        """The actions the RAG counts cover."""
        return self.total - self.complete


def _lead_q(lead: str) -> Q | None:
    kind, _, value = lead.partition(":")
    if kind == "member" and value.isdecimal():
        return Q(lead_member_id=int(value))
    if kind == "text" and value:
        return Q(lead_member__isnull=True, lead_text=value)
    return None


def lead_choices(partnership: Partnership, plan: ActionPlan | None = None) -> list[tuple[str, str]]:
    """Every lead named on the partnership's actions, for the lead filter: one query."""
    actions = Action.objects.filter(plan__partnership=partnership)
    if plan is not None:
        actions = actions.filter(plan=plan)
    rows = actions.values_list(
        "lead_member_id",
        "lead_member__user__first_name",
        "lead_member__user__last_name",
        "lead_member__user__username",
        "lead_text",
    ).distinct()
    choices = {}
    for member_id, first, last, username, text in rows:
        if member_id:
            choices[f"member:{member_id}"] = f"{first} {last}".strip() or username
        elif text:
            choices[f"text:{text}"] = text
    return sorted(choices.items(), key=lambda item: item[1].lower())


def linked_figures(
    partnership: Partnership, indicator_ids: Iterable[int]
) -> tuple[datetime.date | None, dict[int, LinkedIndicator]]:
    """Status and direction of each indicator at the latest month any of them has a
    figure for (a 2009/10 plan's indicators are judged in 2009/10, not at the
    partnership's latest month): 4 queries, 0 with no indicators.

    The figures come from indicators.figures through the dashboard's own selector.
    """
    ids = sorted(set(indicator_ids))
    if not ids:
        return None, {}
    # To the end of the latest period with a figure (a quarterly figure's third month)
    # that has ended: not a quarter under way (`periods.ended_by`).
    this_month = periods.month_start(timezone.localdate())
    latest = (
        Actual.objects.filter(indicator_id__in=ids, indicator__partnership=partnership)
        .filter(
            Q(indicator__frequency=Indicator.Frequency.MONTHLY, period__lte=this_month)
            | Q(
                indicator__frequency=Indicator.Frequency.QUARTERLY,
                period__lte=periods.add_months(this_month, -2),
            )
        )
        .values_list("indicator__frequency")
        .annotate(latest=Max("period"))
        .order_by()
    )
    period = indicator_selectors.reported_to((month, frequency) for frequency, month in latest)
    if period is None:
        return None, {}
    results = indicator_selectors.partnership_figures(
        partnership, period, indicators=Indicator.objects.filter(pk__in=ids)
    )
    return period, {
        r.indicator.pk: LinkedIndicator(
            r.indicator, r.figures.status, r.figures.direction, r.figures.ytd is not None
        )
        for r in results
    }


PLAN_PAGE_SIZE = 50


def _url_for(name: str, slug: str) -> Callable[[int], str]:
    """pk -> the URL named, for a partnership: reversed once for a page of hundreds."""
    marker = 2**62  # no real primary key; only its digits are replaced
    head, tail = reverse(name, args=[slug, marker]).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def plan_page(
    partnership: Partnership,
    *,
    plan: ActionPlan | None = None,
    filters: PlanFilters = PlanFilters(),
    today: datetime.date,
    page_number: int | str | None = 1,
) -> PlanPage:
    """The action plan page: 7 queries whatever the number of actions (3 with no linked
    indicator, 4 with no figures)."""
    scope = Action.objects.filter(plan__partnership=partnership)
    if plan is not None:
        scope = scope.filter(plan=plan)
    if filters.theme_group is not None:
        scope = scope.filter(plan__theme_group=filters.theme_group)
    # 1: the counts at the top cover every action in scope, whatever else is filtered.
    everything = list(scope.values_list("status", "due", "closed"))
    counts = rules.rag_counts((status, closed) for status, _, closed in everything)
    overdue_total = sum(
        rules.is_overdue(due, status, today, closed=closed) for status, due, closed in everything
    )
    shown = scope
    # As the counts count: a RAG status is of the open actions, complete the closed ones.
    if filters.status == rules.COMPLETE:
        shown = shown.filter(closed=True)
    elif filters.status:
        shown = shown.filter(status=filters.status, closed=False)
    if filters.lead and (lead_q := _lead_q(filters.lead)) is not None:
        shown = shown.filter(lead_q)
    if filters.overdue:
        shown = shown.filter(_overdue_q(today))
    # 2 and 3: the actions shown, with their linked indicators.
    actions = sorted(
        shown.select_related(
            "plan__partnership", "plan__theme_group", "objective", "lead_member__user"
        ).prefetch_related("indicators"),
        key=_action_order,
    )
    # A page of actions: a plan of hundreds would otherwise be a megabyte of forms.
    paginator = Paginator(actions, PLAN_PAGE_SIZE)
    actions_page = paginator.get_page(page_number)
    # 4 to 7: the linked indicators' figures.
    period, figures = linked_figures(
        partnership, (i.pk for a in actions_page for i in a.indicators.all())
    )
    action_url = _url_for("actions:action", partnership.slug)
    edit_url = _url_for("actions:action_edit", partnership.slug)
    indicator_url = _url_for("indicators:detail", partnership.slug)
    blocks: dict[int, PlanBlock] = {}
    for action in actions_page:
        block = blocks.setdefault(action.plan_id, PlanBlock(action.plan))
        if not block.objectives or block.objectives[-1].objective_number != (
            action.objective.number
        ):
            block.objectives.append(ObjectiveBlock(action.objective.number, action.objective.title))
        linked = [
            replace(figures.get(i.pk) or LinkedIndicator(i, "", "", False), url=indicator_url(i.pk))
            for i in sorted(action.indicators.all(), key=lambda i: i.code)
        ]
        block.objectives[-1].rows.append(
            ActionRow(
                action,
                rules.is_overdue(action.due, action.status, today, closed=action.closed),
                linked,
                action_url(action.pk),
                edit_url(action.pk),
            )
        )
    return PlanPage(
        legend=rules.status_legend(partnership.rag_legend),
        counts=counts,
        total=len(everything),
        complete=sum(1 for _, _, closed in everything if closed),
        overdue_total=overdue_total,
        plans=list(blocks.values()),
        shown=len(actions),
        figures_period=period,
        actions_page=actions_page,
        page_numbers=list(
            paginator.get_elided_page_range(actions_page.number, on_each_side=1, on_ends=1)
        ),
    )


def plans_for(partnership: Partnership) -> list[ActionPlan]:
    """The partnership's action plans, newest year first: one query."""
    return list(
        ActionPlan.objects.filter(partnership=partnership).select_related(
            "theme_group", "partnership"
        )
    )


def plans_of_year(
    partnership: Partnership, financial_year: int, *, theme_group: ThemeGroup | None = None
) -> list[ActionPlan]:
    """The partnership's plans for a financial year (a theme group's only, when given), as
    `plan_summary` reads actions, each with ``has_objectives`` (an action needs one): one
    query."""
    plans = ActionPlan.objects.filter(
        partnership=partnership, financial_year=financial_year
    ).annotate(has_objectives=Exists(Objective.objects.filter(plan=OuterRef("pk"))))
    if theme_group is not None:
        plans = plans.filter(theme_group=theme_group)
    return list(plans.order_by("title"))


def indicators_chosen(partnership: Partnership, given: list[str]) -> list[Indicator]:
    """The indicators whose ids are given (an address's ``?indicator=``) that are the
    partnership's: anything else is dropped. One query, none when nothing is given."""
    ids = [int(value) for value in given if value.isdecimal() and len(value) < 10]
    if not ids:
        return []
    return list(
        Indicator.objects.filter(partnership=partnership, pk__in=ids)
        .order_by("code")
        .only("pk", "code", "title")
    )


def report_to_publish(partnership: Partnership, given: str) -> tuple[str, str] | None:
    """The publish page of the partnership's report whose id is given (an address's
    ``?report=``, from that page's link to add an action), and the report's title; None for
    anything else, or without the reports app. One query, none when nothing is given."""
    if not (given.isdecimal() and len(given) < 10 and apps.is_installed("reports")):
        return None
    report = (
        apps.get_model("reports", "Report")
        .objects.filter(partnership=partnership, pk=int(given))
        .only("pk", "title")
        .first()
    )
    if report is None:
        return None
    return reverse("reports:publish", args=[partnership.slug, report.pk]), report.title


def action_history(action: Action) -> list[ActionUpdate]:
    """Every update of an action, latest first, with who wrote it: one query."""
    return list(action.updates.select_related("by"))


CHANGED_MODELS = {
    ActionsChange.Subject.PLAN: ActionPlan,
    ActionsChange.Subject.OBJECTIVE: Objective,
    ActionsChange.Subject.ACTION: Action,
    ActionsChange.Subject.RISK: Risk,
    ActionsChange.Subject.ISSUE: CrossThemeIssue,
    ActionsChange.Subject.RECOMMENDATION: Recommendation,
}
_SUBJECT_OF = {model: subject for subject, model in CHANGED_MODELS.items()}
# The history names an action's closing day as its page does.
CHANGE_LABELS = {ActionsChange.Subject.ACTION: {"closed_at": "closed on"}}


def row_changes(row, *, every: bool = False) -> ChangesShown:
    """The recorded changes to a plan (with its objectives', and its actions' removals,
    of rows removed too), objective, action, risk, cross-theme issue or recommendation,
    newest first, in words: the latest few, or ``every`` one; one query. An action's
    status changes are its updates (`action_history`), not here."""
    found = Q(subject=_SUBJECT_OF[type(row)], object_id=row.pk)
    if isinstance(row, ActionPlan):
        # Its objectives' changes and its actions' removals, removed ones' too.
        subject = ActionsChange.Subject
        found |= Q(subject=subject.OBJECTIVE, parent_object_id=row.pk)
        found |= Q(subject=subject.ACTION, parent_object_id=row.pk, new__isnull=True)
    start = _partnership_of(row).fy_start_month
    return changes_shown(
        ActionsChange.objects.filter(found),
        CHANGED_MODELS,
        every=every,
        labels=CHANGE_LABELS,
        shown={"financial_year": lambda year: periods.fy_label(year, start)},
    )


def _partnership_of(row) -> Partnership:
    return row.plan.partnership if isinstance(row, Objective | Action) else row.partnership


# For the reports -----------------------------------------------------------


@dataclass(frozen=True)
class ActionAsAt:
    action: Action
    status: str  # the status as at the date: not_started when no update by then
    update: ActionUpdate | None  # the update that set it
    overdue: bool


@dataclass(frozen=True)
class StatusChange:
    action: Action
    before: str  # status as at `since`
    after: str  # status as at `as_at`: a closed action's last rating
    update: ActionUpdate | None  # the update since that set `after`; None if none did
    # Closed since `since`: complete now, whatever `after` was (rules.status_word).
    closed: bool = False
    # The day it was reopened, when it was closed at `since` and is open now: complete
    # then, whatever `before` was.
    reopened_on: datetime.date | None = None


@dataclass(frozen=True)
class PlanSummary:
    as_at: datetime.date
    since: datetime.date | datetime.datetime | None
    legend: list[rules.LegendEntry]
    counts: list[rules.RagCount]  # of the open actions
    total: int
    actions: list[ActionAsAt]  # plan, objective and reference order
    overdue: list[ActionAsAt]
    changes: list[StatusChange]  # status different at as_at from at since, or closed since
    updates: list[ActionUpdate]  # every update dated after since up to as_at


def _status_as_at(
    updates: list[ActionUpdate], date: datetime.date
) -> tuple[str, ActionUpdate | None]:
    """The latest update on or before the date (updates are latest first)."""
    for update in updates:
        if update.date <= date:
            return update.status, update
    return rules.NOT_STARTED, None


def _seen_at(update: ActionUpdate, since: datetime.date | datetime.datetime) -> bool:
    """Whether an update stood at `since`: dated by then and, for a moment, recorded by it."""
    if isinstance(since, datetime.datetime):
        return update.date <= timezone.localdate(since) and update.created_at <= since
    return update.date <= since


def _closed_at_after(action: Action, since: datetime.date | datetime.datetime | None) -> bool:
    """Whether a closed action's closing day is after `since`: a moment (when the last
    report was published), or a day (closed on a later day). Only for one closed with no
    record of it (`rules.closed_since`)."""
    if since is None or not action.closed or action.closed_at is None:
        return False
    if isinstance(since, datetime.datetime):
        return action.closed_at > since
    return timezone.localdate(action.closed_at) > since


def plan_summary(
    partnership: Partnership,
    *,
    theme_group: ThemeGroup | None = None,
    plan: ActionPlan | None = None,
    as_at: datetime.date | datetime.datetime | None = None,
    since: datetime.date | datetime.datetime | None = None,
    overdue_at: datetime.date | None = None,
) -> PlanSummary:
    """The partnership's actions as they stood at a date: 3 queries.

    `as_at` defaults to today. A datetime also leaves out updates recorded after it, so
    a report built at that moment can be rebuilt exactly later. An action's status at
    a date is its latest update dated on or before it; with no update by then it is
    not started. Overdue is judged at `overdue_at`, by default `as_at`'s day (a report
    judges it at its month's end, as it does risks and recommendations). `since` fills
    `changes` and `updates` for "changed since the last report": a date takes every
    update dated on or before it as before; a datetime (when the last report was
    published) only those recorded by then, so a change made later on the day of
    publishing is a change since. An action closed since is a change too (to complete),
    whether or not its rating changed, and so is one reopened since (from complete); one
    closed at `since` and closed now changed nothing, even if reopened and closed again
    between. Whether it was closed at `since` is read from its closings and reopenings
    recorded since (`rules.closed_then`); whether it was closed since, from a closing
    recorded since, whatever day it gives (`rules.closed_since`: an import's closed_on).
    """
    recorded_by = as_at if isinstance(as_at, datetime.datetime) else None
    since_day = timezone.localdate(since) if isinstance(since, datetime.datetime) else since
    if as_at is None:
        as_at = timezone.localdate()
    # The day in the site's time zone: a UTC moment's own date is the day before between
    # midnight and 1 a.m. in summer.
    date = timezone.localdate(as_at) if isinstance(as_at, datetime.datetime) else as_at
    actions_q = Action.objects.filter(plan__partnership=partnership)
    if theme_group is not None:
        actions_q = actions_q.filter(plan__theme_group=theme_group)
    if plan is not None:
        actions_q = actions_q.filter(plan=plan)
    actions = sorted(
        actions_q.select_related("plan", "objective", "lead_member__user").prefetch_related(
            "indicators"
        ),
        key=_action_order,
    )
    updates_q = ActionUpdate.objects.filter(action__in=actions_q, date__lte=date).select_related(
        "by"
    )
    if recorded_by is not None:
        updates_q = updates_q.filter(created_at__lte=recorded_by)
    by_action: dict[int, list[ActionUpdate]] = defaultdict(list)
    # Closings and reopenings are in an action's history but never set its status: they
    # say only whether it was closed at `since`. Oldest first.
    closings: dict[int, list[ActionUpdate]] = defaultdict(list)
    for update in updates_q.order_by("-date", "-created_at", "-pk"):
        if update.kind == ActionUpdate.Kind.UPDATE:
            by_action[update.action_id].append(update)
        else:
            closings[update.action_id].insert(0, update)
    rows, changes, window = [], [], []
    for action in actions:
        history = by_action[action.pk]
        status, update = _status_as_at(history, date)
        rows.append(
            ActionAsAt(
                action,
                status,
                update,
                rules.is_overdue(action.due, status, overdue_at or date, closed=action.closed),
            )
        )
        if since is not None:
            seen = [u for u in history if _seen_at(u, since)]
            before, _ = _status_as_at(seen, since_day)
            rated = update is not None and before != status
            since_then = [c for c in closings[action.pk] if not _seen_at(c, since)]
            kinds = [c.kind for c in since_then]
            closed_after = _closed_at_after(action, since)
            was_closed = rules.closed_then(kinds, closed=action.closed, closed_since=closed_after)
            closing = rules.closed_since(kinds, closed=action.closed, closed_after=closed_after)
            if closing and not was_closed:
                changes.append(
                    StatusChange(action, before, status, update if rated else None, True)
                )
            elif was_closed and not action.closed:
                reopened_on = next(
                    (c.date for c in reversed(since_then) if c.kind == rules.REOPENED), None
                )
                changes.append(
                    StatusChange(
                        action, before, status, update if rated else None, reopened_on=reopened_on
                    )
                )
            elif rated and not action.closed:
                changes.append(StatusChange(action, before, status, update))
            window.extend(u for u in history if not _seen_at(u, since))
    window.sort(key=lambda u: (u.date, u.created_at, u.pk), reverse=True)
    return PlanSummary(
        as_at=date,
        since=since,
        legend=rules.status_legend(partnership.rag_legend),
        counts=rules.rag_counts((row.status, row.action.closed) for row in rows),
        total=len(rows),
        actions=rows,
        overdue=[row for row in rows if row.overdue],
        changes=changes,
        updates=window,
    )


def actions_for_indicators(
    partnership: Partnership, indicator_ids: Iterable[int], *, financial_year: int | None = None
) -> dict[int, list[Action]]:
    """Open (not closed) actions linked to each of these indicators: one query. With a
    financial year, only actions of plans of that year or earlier (a report's).

    Every id given is a key, with an empty list when no open action serves it.
    """
    ids = list(indicator_ids)
    found: dict[int, list[Action]] = {i: [] for i in ids}
    links = Action.indicators.through.objects.filter(
        indicator_id__in=ids,
        action__plan__partnership=partnership,
        action__closed=False,
    )
    if financial_year is not None:
        links = links.filter(action__plan__financial_year__lte=financial_year)
    links = links.select_related(
        "action__plan", "action__objective", "action__lead_member__user"
    ).order_by("action__plan__title", "action__objective__number", "action__reference")
    for link in links:
        found[link.indicator_id].append(link.action)
    return found


def open_risks(partnership: Partnership, *, theme_group: ThemeGroup | None = None) -> list[Risk]:
    """Open risks, highest score first: one query."""
    risks = (
        Risk.objects.filter(partnership=partnership, status=OpenClosed.OPEN)
        .select_related("theme_group")
        .annotate(score_value=F("likelihood") * F("impact"))
        .order_by("-score_value", "reference")
    )
    if theme_group is not None:
        risks = risks.filter(theme_group=theme_group)
    return list(risks)


def open_cross_theme_issues(
    partnership: Partnership, *, theme_group: ThemeGroup | None = None
) -> list[CrossThemeIssue]:
    """Open cross-theme issues (raised by or affecting the theme group if given): 2 queries."""
    issues = CrossThemeIssue.objects.filter(partnership=partnership, status=OpenClosed.OPEN)
    if theme_group is not None:
        issues = issues.filter(Q(raised_by=theme_group) | Q(affects=theme_group)).distinct()
    return list(issues.select_related("raised_by").prefetch_related("affects"))


def open_recommendations(
    partnership: Partnership, *, made_before: datetime.date | None = None
) -> list[Recommendation]:
    """The follow-up list: recommendations not yet done or rejected, oldest meeting first;
    with ``made_before``, only those made at a meeting before that day (a report's)."""
    found = Recommendation.objects.filter(partnership=partnership, status__in=Recommendation.OPEN)
    if made_before is not None:
        found = found.filter(meeting_date__lt=made_before)
    return list(found.select_related("meeting").order_by("meeting_date", "reference"))


def risk_matrix(partnership: Partnership) -> list[list[rules.MatrixCell]]:
    """Counts of open risks by likelihood and impact: one query."""
    return rules.risk_matrix(
        Risk.objects.filter(partnership=partnership, status=OpenClosed.OPEN).values_list(
            "likelihood", "impact"
        )
    )


def risk_queryset(partnership: Partnership, *, status: str = "", theme_group=None) -> QuerySet:
    """The risk list, with the score to sort on."""
    risks = (
        Risk.objects.filter(partnership=partnership)
        .select_related("theme_group")
        .annotate(score_value=F("likelihood") * F("impact"))
    )
    if status:
        risks = risks.filter(status=status)
    if theme_group is not None:
        risks = risks.filter(theme_group=theme_group)
    return risks


def issue_queryset(partnership: Partnership, *, status: str = "") -> QuerySet:
    issues = (
        CrossThemeIssue.objects.filter(partnership=partnership)
        .select_related("raised_by")
        .prefetch_related("affects")
    )
    return issues.filter(status=status) if status else issues


def recommendation_queryset(partnership: Partnership, *, status: str = "") -> QuerySet:
    recommendations = Recommendation.objects.filter(partnership=partnership)
    if status == "open":
        return recommendations.filter(status__in=Recommendation.OPEN)
    return recommendations.filter(status=status) if status else recommendations


def members_for(partnership: Partnership, *, keep: int | None = None) -> QuerySet[Membership]:
    """Members who may lead an action: anyone but panel members, with an active account,
    and the membership ``keep`` (an action's lead, still its lead if deactivated)."""
    may_lead = Action.MAY_LEAD
    return (
        Membership.objects.filter(partnership=partnership)
        .filter(may_lead | Q(pk=keep) if keep else may_lead)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )
