"""actions.csv, risks.csv and recommendations.csv: checking, applying and exporting rows.

These are tables of the import registry (``indicators.importing``): ``apps.ready``
registers them, so ``import_data``, ``export_data``, the upload page and the
partnership workbook carry them with the indicator tables. Columns are a contract.

Natural keys: partnership + plan + reference for actions, partnership + reference for
risks (in any capitals) and recommendations (in any capitals and spaces), so importing the
same file twice changes nothing. A plan the file names that the partnership lacks is
added, unless its title is close to a stored plan's of its year ("Plan u" for "Plan ü"):
its rows are then refused as a likely typing slip, unless the person confirms new plans
(``NEW_PLANS`` in ``ctx.confirmed``). An action's status, latest update and its date
become an update in the action's history, attributed to the importing user with source
"import", unless the history already holds that update (so re-importing an old file adds
nothing); one dated before the action's latest update joins the history without changing
its status, and the import says so.
Its closed column closes or reopens it as the action's page does
(services.action_save), so its history says who did so, and when; closed_on gives the day
it was closed (a blank cell keeps the day stored, or is today for an action the row closes).

An optional column a file leaves out leaves what is stored (an action's lead, due date,
outcome and indicators, a risk's owner, a recommendation's response...); a blank cell
clears it.

What is stored is read in bulk up front: a row that matches it is counted unchanged
without a query of its own, and a plan or objective is saved (or refused) once, at the
first row that names it, so re-importing an export costs the same however long it is.
"""

import datetime
import difflib
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, replace
from functools import partial
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Case, Model, Q, When
from django.utils import timezone

from csp_portal.core.history import changes_described, value_words, values_described
from csp_portal.core.models import Meeting, Membership, Partnership, ThemeGroup, theme_group_key
from csp_portal.core.text import joined, name_key, one_line_end
from indicators import periods
from indicators.importing import max_lengths
from indicators.importing.checking import choice, yes_no
from indicators.importing.days import not_a_day, parse_day

from . import rules, services
from .models import (
    DUE_YEARS_AFTER,
    Action,
    ActionPlan,
    ActionUpdate,
    Objective,
    OpenClosed,
    Recommendation,
    Risk,
    latest_due,
)
from .selectors import reference_key

COLUMNS = {
    "actions": (
        "partnership",
        "plan",
        "financial_year",
        "theme_group",
        "objective_number",
        "objective",
        "reference",
        "action",
        "outcome",
        "lead",
        "due",
        "when",
        "status",
        "indicators",
        "latest_update",
        "updated_on",
        # Added later, so optional: a file without it leaves each action open or closed.
        "closed",
        # The day a closed action was closed, as its page says; optional as closed is.
        "closed_on",
    ),
    "risks": (
        "partnership",
        "reference",
        "theme_group",
        "description",
        "owner",
        "likelihood",
        "impact",
        "mitigation",
        "status",
        "review_date",
    ),
    "recommendations": (
        "partnership",
        "reference",
        "meeting_date",
        "recommendation",
        "assigned_to",
        "response",
        "status",
        "due",
    ),
}
REQUIRED = {
    "actions": ("partnership", "plan", "financial_year", "objective_number", "reference", "action"),
    "risks": ("partnership", "reference", "description", "likelihood", "impact"),
    "recommendations": ("partnership", "reference", "meeting_date", "recommendation"),
}
ORDER = {"actions": 60, "risks": 61, "recommendations": 62}
PAGE = {
    "actions": "actions:plans",
    "risks": "actions:risks",
    "recommendations": "actions:recommendations",
}
# The largest objective number a small integer column holds on PostgreSQL (SQLite would
# take more, so a file that loads in one would fail in the other).
OBJECTIVE_NUMBER_MAX = 32767
# The rows an import names whose update is older than their action's latest; more are counted.
OLDER_NOTES = 5
# The new plans, and stored plans' new objectives, an import names; more are counted.
NEW_NOTES = 5
# How alike (difflib's ratio) a new plan's title and a stored one's of its year are for the
# import to refuse the new one as the stored one mistyped ("Plan u" for "Plan ü").
CLOSE_TITLE = 0.85
# What confirms such a plan is new (``ctx.confirmed``), and how the person gives it: the
# import page's box (``ImportForm.new_plans``), or import_data's option.
NEW_PLANS = "new_plans"
CONFIRM_NEW_PLANS = {
    "upload": "tick “Add new action plans even if a title is almost the same as an existing "
    "plan's” and import again"
}
CONFIRM_NEW_PLANS_COMMAND = "import again with --new-plans"
# The text each table writes to a field of limited length, by column.
LENGTHS = {
    "actions": max_lengths(ActionPlan, plan="title")
    | max_lengths(Objective, objective="title")
    | max_lengths(Action, reference="reference", lead="lead_text", when="when"),
    "risks": max_lengths(Risk, reference="reference", owner="owner"),
    "recommendations": max_lengths(
        Recommendation, reference="reference", assigned_to="assigned_to"
    ),
}


# Shared cell readers ----------------------------------------------------------


def _date(
    row, column: str, ctx, problem: Callable[[datetime.date], str | None] | None = None
) -> tuple[bool, datetime.date | None]:
    """(ok, date or None for a blank cell); reports a bad date, and one its column's rule
    refuses (``problem``: the model's own sentence, as the site's form says it, such as
    the range the date must be in)."""
    raw = row.get(column)
    if not raw:
        return True, None
    try:
        day = parse_day(raw)
    except ValueError:
        ctx.error(row, not_a_day(column, raw))
        return False, None
    refused = problem(day) if problem else None
    if refused:
        ctx.error(row, refused.rstrip("."))
        return False, None
    return True, day


def _theme_group_known(ctx, row, slug: str) -> bool:
    name = row.get("theme_group")
    if name and ctx.theme_group(slug, name) is None:
        ctx.error(row, f"theme_group '{name}' is not a theme group of partnership '{slug}'")
        return False
    return True


def _state(ctx, name: str) -> dict:
    """Per-import memory that spans the chunks one file is checked in."""
    return ctx.__dict__.setdefault(f"_actions_{name}", {})


def _known_indicator(ctx, slug: str, code: str) -> bool:
    # Indicators in the database or earlier in this import (the context's own index).
    return (slug, code) in ctx._kinds


def _given(values: dict, row) -> dict:
    """The values of the columns the row's file has: a column it lacks leaves what is
    stored (a new row's default), where a blank cell clears it."""
    return {column: value for column, value in values.items() if column in row.columns}


def _scale(row, column: str, ctx) -> int | None:
    raw = row.get(column)
    if raw.isdecimal() and int(raw) in rules.LIKELIHOOD_IMPACT:
        return int(raw)
    ctx.error(row, f"{column} '{raw}' must be a whole number from 1 to 5")
    return None


# actions.csv --------------------------------------------------------------------


def check_actions(rows, ctx) -> list[dict]:
    plans = _state(ctx, "plans")  # (slug, plan) -> (financial year, theme group, row)
    objectives = _state(ctx, "objectives")  # (slug, plan, number) -> (title, row)
    items = []
    for row in rows:
        slug = ctx.check_partnership(row)
        if slug is None:
            continue
        start_month = ctx.fy_start[slug]
        ok = True
        plan, reference, text = row.get("plan"), row.get("reference"), row.get("action")
        for column, value in (("plan", plan), ("reference", reference), ("action", text)):
            if not value:
                ctx.error(row, f"{column} is blank")
                ok = False
        try:
            year = periods.parse_fy_label(row.get("financial_year"), start_month)
        except ValueError:
            ctx.error(
                row,
                f"financial_year '{row.get('financial_year')}' is not a financial year "
                "like 2007/08",
            )
            ok, year = False, None
        ok = _theme_group_known(ctx, row, slug) and ok
        number_text = row.get("objective_number")
        if not number_text.isdecimal() or not 1 <= int(number_text) <= OBJECTIVE_NUMBER_MAX:
            ctx.error(
                row,
                f"objective_number '{number_text}' must be a whole number from 1 to "
                f"{OBJECTIVE_NUMBER_MAX}",
            )
            ok = False
        if not row.get("objective"):
            ctx.error(row, "objective is blank")
            ok = False
        ok = ctx.texts_fit(row, LENGTHS["actions"]) and ok
        due_ok, due = _date(row, "due", ctx)
        updated_ok, updated_on = _date(row, "updated_on", ctx)
        if updated_on and updated_on > ctx.today:
            # A future update would stay the latest one, so no later update could change
            # the action's status.
            ctx.error(
                row,
                f"updated_on {updated_on.isoformat()} is in the future: an update cannot be "
                f"dated after today ({ctx.today.isoformat()})",
            )
            updated_ok = False
        closed_ok, closed = yes_no(row, "closed", ctx)
        closed_on_ok, closed_on = _date(row, "closed_on", ctx)
        if closed_on and closed_on > ctx.today:
            ctx.error(
                row,
                f"closed_on {closed_on.isoformat()} is in the future: an action cannot be "
                "closed after today",
            )
            closed_on_ok = False
        elif closed_on and closed is False:
            ctx.error(row, f"closed_on {closed_on.isoformat()} is given but closed is no")
            closed_on_ok = False
        ok = ok and due_ok and updated_ok and closed_ok and closed_on_ok
        allowed = {e.status: e.word for e in rules.status_legend(_legend(ctx, slug))}
        status = choice(row, "status", ctx, allowed, blank=rules.NOT_STARTED)
        ok = status is not None and ok
        codes = [c.strip() for c in row.get("indicators").split(";") if c.strip()]
        for code in codes:
            if not _known_indicator(ctx, slug, code):
                ctx.error(row, ctx.no_indicator(slug, code))
                ok = False
        if not ok:
            continue
        start = periods.fy_start(year, start_month)
        if due and due < start:
            ctx.error(
                row,
                f"due {due.isoformat()} is before the plan's financial year "
                f"{periods.fy_label(year, start_month)} starts ({start.isoformat()})",
            )
            continue
        latest = latest_due(year, start_month)
        if due and due > latest:
            ctx.error(
                row,
                f"due {due.isoformat()} is more than {DUE_YEARS_AFTER} years after the plan's "
                f"financial year {periods.fy_label(year, start_month)} ends "
                f"({latest.isoformat()})",
            )
            continue
        plan_key = (slug, plan)
        theme_group = row.get("theme_group")
        # One group in any capitals and spacing, as the import finds it (`theme_group_key`).
        group_key = theme_group_key(theme_group or "")
        first = plans.setdefault(plan_key, (year, group_key, row.number))
        if first[:2] != (year, group_key):
            ctx.error(
                row,
                f"plan '{plan}' has a different financial_year or theme_group at row {first[2]}",
            )
            continue
        number = int(number_text)
        objective_first = objectives.setdefault(
            (slug, plan, number), (row.get("objective"), row.number)
        )
        if objective_first[0] != row.get("objective"):
            ctx.error(
                row,
                f"objective {number} of plan '{plan}' is called "
                f"'{objective_first[0]}' at row {objective_first[1]}",
            )
            continue
        first_at = ctx.repeated(row, ("actions", slug, plan, reference))
        if first_at is not None:
            ctx.error(
                row, f"a second action '{reference}' in plan '{plan}' (first at row {first_at})"
            )
            continue
        items.append(
            {
                "row": row.number,
                "table": row.table,
                "partnership": slug,
                "plan": plan,
                "year": year,
                "theme_group": theme_group,
                "objective_number": number,
                "objective": row.get("objective"),
                "reference": reference,
                "description": text,
                "outcome": row.get("outcome"),
                "lead": row.get("lead"),
                "due": due,
                "when": row.get("when"),
                "status": status,
                "indicators": codes,
                "latest_update": row.get("latest_update"),
                "updated_on": updated_on,
                "closed": closed,
                "closed_on": closed_on,
                # Which columns the file has: one it lacks leaves what is stored.
                "columns": row.columns,
            }
        )
    return items


def _legend(ctx, slug: str) -> dict:
    legends = _state(ctx, "legends")
    if slug not in legends:
        partnership = Partnership.objects.filter(slug=slug).first()
        legends[slug] = partnership.rag_legend if partnership else {}
    return legends[slug] or {"red": "Red", "amber": "Amber", "green": "Green"}


def _members_by_name(partnership: Partnership) -> dict[str, Membership]:
    """Members by full name, then by username: a lead with no full name is exported as
    their username (Action.lead), so it must import back as them. Of two of one name, one
    who may lead an action (`Action.MAY_LEAD`); each says whether it may (``may_lead``)."""
    members = list(
        Membership.objects.filter(partnership=partnership)
        .select_related("user")
        .annotate(may_lead=Case(When(Action.MAY_LEAD, then=True), default=False))
        .order_by("-may_lead", "pk")
    )
    found = {}
    for membership in members:
        name = membership.user.get_full_name()
        if name:
            found.setdefault(name, membership)
    for membership in members:
        found.setdefault(membership.user.get_username(), membership)
    return found


class _Stored(NamedTuple):
    """A partnership's plans, objectives, actions and members, read once for the rows."""

    partnership: Partnership
    members: dict[str, Membership]
    plans: dict[str, ActionPlan]
    objectives: dict[tuple[int, int], Objective]
    actions: dict[tuple[int, str], Action]
    # Each action's updates as (date, status, text): a row repeating one adds nothing.
    history: dict[int, set[tuple[datetime.date, str, str]]]
    # ("plan", title) or ("objective", plan id, number) -> the row saved, or its refusal
    saved: dict[tuple, Model | ValidationError]


def _stored(partnership: Partnership) -> _Stored:
    return _Stored(
        partnership=partnership,
        members=_members_by_name(partnership),
        plans={p.title: p for p in partnership.action_plans.select_related("theme_group")},
        objectives={
            (o.plan_id, o.number): o
            for o in Objective.objects.filter(plan__partnership=partnership)
        },
        actions={
            (a.plan_id, a.reference): a
            for a in Action.objects.filter(plan__partnership=partnership).prefetch_related(
                "indicators"
            )
        },
        history=_histories(partnership),
        saved={},
    )


def _histories(partnership: Partnership) -> dict[int, set[tuple[datetime.date, str, str]]]:
    found: dict[int, set] = {}
    updates = ActionUpdate.objects.filter(
        action__plan__partnership=partnership, kind=ActionUpdate.Kind.UPDATE
    ).values_list("action_id", "date", "status", "text")
    for action_id, date, status, text in updates:
        found.setdefault(action_id, set()).add((date, status, text))
    return found


def apply_actions(items: list[dict], ctx) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    by_partnership: dict[str, list[dict]] = {}
    for item in items:
        by_partnership.setdefault(item["partnership"], []).append(item)
    for slug, group in by_partnership.items():
        stored = _stored(ctx.partnership(slug))
        for item in group:
            try:
                outcome = _apply_action(item, ctx, stored)
            except ValidationError as refused:
                _refused(ctx, "actions", item["row"], refused)
                continue
            counts[outcome] += 1
    _older_updates_note(ctx)
    _new_plans_note(ctx)
    return counts


def _refused(ctx, table: str, row: int, refused: ValidationError) -> None:
    """A rule the service keeps (a due date, a reference taken) as the row's error: the
    import then writes nothing, as for any row error. The message is the service's own
    sentence, capital and all (as commissioning.csv gives them): lower-casing its first
    letter made "Safer Plymouth" "safer Plymouth"."""
    for message in refused.messages:
        ctx.error_at(table, row, message.rstrip("."))


def _saved_row(
    ctx,
    counts: dict[str, int],
    *,
    table: str,
    summary: tuple[str, ...],
    slug: str,
    row: int,
    current: Model | None,
    values: dict,
    described: dict,
    save: Callable[..., tuple[Model, bool]],
) -> None:
    """One row of risks.csv or recommendations.csv saved (``save``: the service, given the
    stored row, None for a new one) and counted, a refusal as the row's error, what it
    changes named for a check run (``described``: the values it names)."""
    if current is not None and services.unchanged(current, values):
        counts["unchanged"] += 1
        return
    changes = _changes(current, described) if ctx.wants_rows(table) else None
    try:
        saved, changed = save(
            current,
            partnership=ctx.partnership(slug),
            values=values,
            by=ctx.user,
            source=ctx.source,
        )
    except ValidationError as refused:
        _refused(ctx, table, row, refused)
        return
    counts["created" if current is None else ("updated" if changed else "unchanged")] += 1
    if changed and ctx.wants_rows(table):
        new = "" if current else values_described(type(saved), _fields(saved, summary))
        ctx.row_changed(table, ctx.row_key(slug, values["reference"]), changes, new=new)


# The fields a check run names for a new row: "new: Description “Staff shortage”, ...".
RISK_SUMMARY = ("description", "likelihood", "impact", "status")
REC_SUMMARY = ("recommendation", "assigned_to", "status", "due")


def _fields(row: Model, names: tuple[str, ...]) -> dict:
    return {name: getattr(row, name) for name in names}


def _changes(current: Model | None, values: dict) -> list[str] | None:
    """What saving these values changes in the stored row, in words, as a check run names
    it ("Status from “Open” to “Closed”"); None for a new row. A theme group by its name."""
    if current is None:
        return None

    def plain(value):
        return value.name if isinstance(value, ThemeGroup) else value

    return changes_described(
        type(current),
        {name: plain(getattr(current, name)) for name in values},
        {name: plain(value) for name, value in values.items()},
    )


def _once(stored: _Stored, key: tuple, save: Callable[[], Model]) -> Model:
    """The plan or objective a row names, saved at the first row that names it: each later
    row of it gets the same row, or the same refusal, without saving it again."""
    if key not in stored.saved:
        try:
            stored.saved[key] = save()
        except ValidationError as refused:
            stored.saved[key] = refused
    found = stored.saved[key]
    if isinstance(found, ValidationError):
        raise found
    return found


def _plan(item, ctx, stored: _Stored) -> ActionPlan:
    current = stored.plans.get(item["plan"])
    values = {"title": item["plan"], "financial_year": item["year"]}
    if "theme_group" in item["columns"] or current is None:
        values["theme_group"] = ctx.theme_group(item["partnership"], item["theme_group"])
    if current is not None and services.unchanged(current, values):
        return current
    if current is None:
        _refuse_close_title(item["plan"], item["year"], ctx, stored)
    plan = services.plan_save(
        partnership=stored.partnership,
        by=ctx.user,
        values=values,
        plan=current,
        source=ctx.source,
    )[0]
    if current is None:
        _state(ctx, "new plans")[plan.pk] = plan
        _state(ctx, "made plans")[plan.pk] = True
    return plan


def _objective(item, ctx, stored: _Stored, plan: ActionPlan) -> Objective:
    current = stored.objectives.get((plan.pk, item["objective_number"]))
    values = {"number": item["objective_number"], "title": item["objective"]}
    if current is not None and services.unchanged(current, values):
        return current
    objective = services.objective_save(
        plan=plan, by=ctx.user, values=values, objective=current, source=ctx.source
    )[0]
    if current is None:
        _state(ctx, "new objectives").setdefault(plan.pk, (plan, []))[1].append(objective.number)
    return objective


def _folded(title: str) -> str:
    """A title without its accents, in any capitals and spacing ("Plan ü" is "plan u")."""
    letters = unicodedata.normalize("NFKD", title)
    return name_key("".join(c for c in letters if not unicodedata.combining(c)))


def _refuse_close_title(title: str, year: int, ctx, stored: _Stored) -> None:
    """Refuse a new plan whose title is close to a stored plan's of its year, unless the
    person confirms new plans: a plan made by mistake takes the row's actions and updates,
    and one with updates cannot be removed. A title the partnership has in other capitals
    or spaces is left to services.plan_save, which names the plan that has it."""
    if NEW_PLANS in ctx.confirmed:
        return
    key = rules.unique_key(title)
    if any(p.title_key == key for p in stored.plans.values()):
        return
    made = _state(ctx, "made plans")  # plans of this import's earlier chunks: not stored
    close = _close_plan(title, year, [p for p in stored.plans.values() if p.pk not in made])
    if close is None:
        return
    confirm = CONFIRM_NEW_PLANS.get(ctx.source, CONFIRM_NEW_PLANS_COMMAND)
    raise ValidationError(
        f"{stored.partnership.name} has no plan called {title!r}: did you mean "
        f"{close.title!r}? Correct the title in the file, or, if it is a new plan, {confirm}."
    )


def _close_plan(title: str, year: int, plans: list[ActionPlan]) -> ActionPlan | None:
    """The plan of ``year`` whose title is the same as ``title`` without accents, or
    nearly the same (a typing slip)."""
    titles = {_folded(p.title): p for p in plans if p.financial_year == year}
    folded = _folded(title)
    if folded not in titles:
        close = difflib.get_close_matches(folded, sorted(titles), n=1, cutoff=CLOSE_TITLE)
        folded = close[0] if close else folded
    return titles.get(folded)


def _apply_action(item, ctx, stored: _Stored) -> str:
    """Write one action row (its plan and objective first, through the audited services):
    created, updated or unchanged. A row that changes nothing writes and reads nothing."""
    plan = _once(stored, ("plan", item["plan"]), lambda: _plan(item, ctx, stored))
    objective = _once(
        stored,
        ("objective", plan.pk, item["objective_number"]),
        lambda: _objective(item, ctx, stored, plan),
    )
    current = stored.actions.get((plan.pk, item["reference"]))
    fields, indicators = _action_fields(item, ctx, stored, objective, current)
    # A closed action takes no update (services.action_update_add): a row that closes
    # one gives its update first, as someone on the site would, then closes it.
    closes = fields.closed and not (current is not None and current.closed)
    first = replace(fields, closed=False, closed_at=None) if closes else fields
    action, changed = current, False
    if current is None or not services.unchanged(
        current, {**asdict(first), "indicators": indicators}
    ):
        action, changed = services.action_save(
            plan=plan,
            fields=first,
            indicators=indicators,
            by=ctx.user,
            action=current,
            source=ctx.source,
        )
    update = _update_wanted(item, action, stored)
    if update is not None:
        status, text = update
        date = item["updated_on"] or ctx.today
        services.action_update_add(
            action=action,
            status=status,
            text=text,
            by=ctx.user,
            date=date,
            source=ctx.source,
            require_text=False,
        )
        if action.updated_on is not None and date < action.updated_on:
            older = _state(ctx, "older")
            older[(item["table"], item["row"])] = (action.reference, date, action.updated_on)
        changed = True
    if closes:
        action = services.action_save(
            plan=plan,
            fields=fields,
            indicators=indicators,
            by=ctx.user,
            action=action,
            source=ctx.source,
        )[0]
        changed = True
    if current is None:
        # A new action's one update is its latest: its status and text are the action's
        # (action_update_add stores them; ``action`` was read before).
        status, text = update if update is not None else (action.status, "")
        ctx.row_changed(
            "actions",
            _action_key(item, ctx),
            new=values_described(
                Action,
                {
                    "description": action.description,
                    "status": status,
                    "due": action.due,
                    "latest_update": text,
                },
            ),
        )
        return "created"
    if changed and ctx.wants_rows("actions"):
        day = item["updated_on"] or ctx.today
        changes = _action_changes(current, objective, fields, indicators, update, day, ctx, stored)
        ctx.row_changed("actions", _action_key(item, ctx), changes)
    return "updated" if changed else "unchanged"


def _action_key(item, ctx) -> str:
    """An action as a check run names it: "1.2 (Community Safety Plan)"."""
    return ctx.row_key(item["partnership"], f"{item['reference']} ({item['plan']})")


def _action_changes(
    current: Action,
    objective: Objective,
    fields: services.ActionFields,
    indicators: list,
    update: tuple[str, str] | None,
    day: datetime.date,
    ctx,
    stored: _Stored,
) -> list[str]:
    """What a row changes in a stored action (``current``, as it was read: the services
    write the row they read again), in words: its fields, then its status, latest update
    and its date, or an older update joining its history (which changes none of them)."""
    members = {m.pk: m for m in stored.members.values()}

    def lead(member_id: int | None, text: str) -> str:
        user = members[member_id].user if member_id in members else None
        return (user.get_full_name() or user.get_username()) if user else text

    def closed_on(closed: bool, at: datetime.datetime | None) -> datetime.date | None:
        return timezone.localdate(at) if closed and at else None

    def codes(rows) -> str:
        return ", ".join(sorted(i.code for i in rows))

    was_closed_on = closed_on(current.closed, current.closed_at)
    now_closed_on = closed_on(fields.closed, fields.closed_at)
    if fields.closed and now_closed_on is None:  # closed by this import: today
        now_closed_on = was_closed_on if current.closed else ctx.today
    old = {
        # The row's objective unless it moves the action (then one query for the old one).
        "objective": str(objective if current.objective_id == objective.pk else current.objective),
        "description": current.description,
        "outcome": current.outcome,
        "lead": current.lead,
        "due": current.due,
        "when": current.when,
        "indicators": codes(current.indicators.all()),
        "closed": current.closed,
        "closed_at": was_closed_on,
    }
    new = {
        "objective": str(objective),
        "description": fields.description,
        "outcome": fields.outcome,
        "lead": lead(fields.lead_member_id, fields.lead_text),
        "due": fields.due,
        "when": fields.when,
        "indicators": codes(indicators),
        "closed": fields.closed,
        "closed_at": now_closed_on,
    }
    older = update is not None and current.updated_on is not None and day < current.updated_on
    if update is not None and not older:
        old.update(
            status=current.status,
            latest_update=_plain(current.latest_update),
            updated_on=current.updated_on,
        )
        new.update(status=update[0], latest_update=update[1], updated_on=day)
    labels = {"lead": "lead", "closed_at": "closed on", "updated_on": "date of the latest update"}
    changes = changes_described(Action, old, new, labels=labels)
    if older:
        changes.append(f"An update of {value_words(day)} joins its history (not its latest)")
    return changes


def _action_fields(
    item, ctx, stored: _Stored, objective: Objective, current: Action | None
) -> tuple[services.ActionFields, list]:
    """The action a row describes, and its indicators: a column the file lacks keeps the
    stored action's value (a new action's default)."""
    columns = item["columns"]
    values = {
        "objective_id": objective.pk,
        "reference": item["reference"],
        "description": item["description"],
    }
    for column, field in (("outcome", "outcome"), ("due", "due"), ("when", "when")):
        if column in columns:
            values[field] = item[column]
        elif current is not None:
            values[field] = getattr(current, field)
    if "lead" in columns:
        member = stored.members.get(item["lead"])
        kept = current is not None and member is not None and current.lead_member_id == member.pk
        if member is not None and not member.may_lead and not kept:
            # A panel member, or an account no longer active, becomes no action's lead (as
            # Action.clean has it): the name is kept as written, as a lead who is no member.
            member = None
        values["lead_member_id"] = member.pk if member else None
        values["lead_text"] = "" if member else item["lead"]
    elif current is not None:
        values["lead_member_id"] = current.lead_member_id
        values["lead_text"] = current.lead_text
    if item["closed"] is not None:
        values["closed"] = item["closed"]
    elif current is not None:  # a file without the column
        values["closed"] = current.closed
    values["closed_at"] = _closed_at(item, current) if values.get("closed") else None
    if "indicators" in columns:
        indicators = [ctx.indicator(item["partnership"], code) for code in item["indicators"]]
    else:
        indicators = list(current.indicators.all()) if current is not None else []
    return services.ActionFields(**values), indicators


def _closed_at(item, current: Action | None) -> datetime.datetime | None:
    """When a closed action was closed: the stored moment while its day is the row's, or
    the row leaves the day out (no column, or a blank cell); else the start of the row's
    day. None for an action the row closes without a day: saving it closes it now."""
    stored = current.closed_at if current is not None and current.closed else None
    day = item["closed_on"]
    if day is None or (stored is not None and timezone.localdate(stored) == day):
        return stored
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _plain(text: str) -> str:
    """An update's text as compared: a workbook gives back a line break typed on the site
    (\r\n) as \n, and cells lose their surrounding spaces."""
    return one_line_end(text).strip()


def _update_wanted(item, action: Action, stored: _Stored) -> tuple[str, str] | None:
    """The (status, text) of a row's update if the action has not had it, else None. A
    dated one it already has, latest or not, is not added again (re-importing an old
    file); an undated one is the action's current status if it matches that. A file
    without a status column keeps the action's status; without latest_update, an update
    is only its status."""
    columns = item["columns"]
    has_status, has_text = "status" in columns, "latest_update" in columns
    if not (has_status or has_text):
        return None
    status = item["status"] if has_status else action.status
    text, date = _plain(item["latest_update"]), item["updated_on"]
    if status == rules.NOT_STARTED and not text and date is None:
        return None
    if date is None:
        wanted = action.status != status or (has_text and _plain(action.latest_update) != text)
    else:
        history = stored.history.get(action.pk, ())
        wanted = not any(
            (day, was) == (date, status) and (not has_text or _plain(said) == text)
            for day, was, said in history
        )
    return (status, text) if wanted else None


def _older_updates_note(ctx) -> None:
    """Say which rows' updates joined an action's history without changing its status,
    as a later update is its latest (services.action_update_add keeps the latest)."""
    older = _state(ctx, "older")
    added = "would be added" if ctx.dry_run else "was added"
    for table, row in sorted(older)[:OLDER_NOTES]:
        reference, day, latest = older[table, row]
        ctx.notes.append(
            f"{ctx.where(table)} row {row}: the update of {day.isoformat()} {added} to "
            f"action {reference}'s history but does not change its status, as its latest "
            f"update is of {latest.isoformat()}."
        )
    if len(older) > OLDER_NOTES:
        more = len(older) - OLDER_NOTES
        ctx.notes.append(
            f"{more:,} more update{'s' if more > 1 else ''} dated before their action's "
            f"latest {'would join' if ctx.dry_run else 'joined'} its history without "
            "changing its status."
        )
    older.clear()


def _new_plans_note(ctx) -> None:
    """Name the plans, and stored plans' objectives, the import adds, which its counts of
    actions leave unsaid."""
    plans, objectives = _state(ctx, "new plans"), _state(ctx, "new objectives")
    notes = []
    for pk, plan in plans.items():
        numbers = objectives.pop(pk, (plan, []))[1]
        year = periods.fy_label(plan.financial_year, plan.partnership.fy_start_month)
        where = "" if ctx.scope else f", {plan.partnership.name}"
        with_objectives = f", with {_objectives_named(numbers)}" if numbers else ""
        notes.append(f"New action plan '{plan.title}' ({year}{where}){with_objectives}.")
    for plan, numbers in objectives.values():
        where = "" if ctx.scope else f" ({plan.partnership.name})"
        notes.append(f"New {_objectives_named(numbers)} of '{plan.title}'{where}.")
    ctx.notes.extend(notes[:NEW_NOTES])
    if len(notes) > NEW_NOTES:
        more = len(notes) - NEW_NOTES
        plans_or = "action plans or objectives" if more > 1 else "action plan or objective"
        ctx.notes.append(f"{more:,} more new {plans_or}, not listed.")
    plans.clear()
    objectives.clear()


def _objectives_named(numbers: list[int]) -> str:
    """ "objective 1", "objectives 1 and 2"."""
    return f"objective{'s' if len(numbers) > 1 else ''} {joined(sorted(numbers))}"


def export_actions(partnership: Partnership, plan: ActionPlan | None = None) -> Iterator[Sequence]:
    """The partnership's actions (one plan's, if given) as rows of actions.csv."""
    found = Action.objects.filter(plan__partnership=partnership)
    if plan is not None:
        found = found.filter(plan=plan)
    actions = sorted(
        found.select_related(
            "plan__theme_group", "objective", "lead_member__user"
        ).prefetch_related("indicators"),
        key=lambda a: (a.plan.title, a.objective.number, _ref_key(a.reference)),
    )
    start_month = partnership.fy_start_month
    for a in actions:
        yield [
            partnership.slug,
            a.plan.title,
            periods.fy_label(a.plan.financial_year, start_month),
            a.plan.theme_group.name if a.plan.theme_group else "",
            str(a.objective.number),
            a.objective.title,
            a.reference,
            a.description,
            a.outcome,
            a.lead,
            a.due.isoformat() if a.due else "",
            a.when,
            a.status,
            ";".join(sorted(i.code for i in a.indicators.all())),
            a.latest_update,
            a.updated_on.isoformat() if a.updated_on else "",
            "yes" if a.closed else "no",
            timezone.localdate(a.closed_at).isoformat() if a.closed and a.closed_at else "",
        ]


def _ref_key(reference: str) -> tuple:
    return reference_key(reference)


# risks.csv --------------------------------------------------------------------


def check_risks(rows, ctx) -> list[dict]:
    items = []
    for row in rows:
        slug = ctx.check_partnership(row)
        if slug is None:
            continue
        ok = _theme_group_known(ctx, row, slug)
        for column in ("reference", "description"):
            if not row.get(column):
                ctx.error(row, f"{column} is blank")
                ok = False
        ok = ctx.texts_fit(row, LENGTHS["risks"]) and ok
        likelihood = _scale(row, "likelihood", ctx)
        impact = _scale(row, "impact", ctx)
        status = choice(row, "status", ctx, dict(OpenClosed.choices), blank=OpenClosed.OPEN)
        ok = status is not None and ok
        review_ok, review_date = _date(
            row, "review_date", ctx, lambda day: rules.review_date_problem(day, ctx.today)
        )
        if not ok or not review_ok or likelihood is None or impact is None:
            continue
        # A reference names one risk whatever its capitals and spaces (as the risk form
        # has it).
        first_at = ctx.repeated(row, ("risks", slug, rules.unique_key(row.get("reference"))))
        if first_at is not None:
            ctx.error(row, f"a second risk '{row.get('reference')}' (first at row {first_at})")
            continue
        optional = {
            "theme_group": row.get("theme_group"),
            "owner": row.get("owner"),
            "mitigation": row.get("mitigation"),
            "status": status,
            "review_date": review_date,
        }
        items.append(
            {
                "row": row.number,
                "partnership": slug,
                "reference": row.get("reference"),
                "description": row.get("description"),
                "likelihood": likelihood,
                "impact": impact,
                **_given(optional, row),
            }
        )
    return items


def apply_risks(items: list[dict], ctx) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    slugs = {item["partnership"] for item in items}
    existing = {}
    for r in (
        Risk.objects.filter(partnership__slug__in=slugs)
        .select_related("partnership", "theme_group")
        .order_by("pk")
    ):
        existing.setdefault((r.partnership.slug, rules.unique_key(r.reference)), r)
    for item in items:
        slug, row = item.pop("partnership"), item.pop("row")
        values = dict(item)
        if "theme_group" in item:
            values["theme_group"] = ctx.theme_group(slug, item["theme_group"])
        _saved_row(
            ctx,
            counts,
            table="risks",
            summary=RISK_SUMMARY,
            slug=slug,
            row=row,
            current=existing.get((slug, rules.unique_key(item["reference"]))),
            values=values,
            described=values,
            save=lambda current, **kwargs: services.risk_save(risk=current, **kwargs),
        )
    return counts


def export_risks(partnership: Partnership, risks=None) -> Iterator[Sequence]:
    """The partnership's risks (or those of ``risks``, a queryset of them: the risk
    list as filtered) as rows of risks.csv."""
    if risks is None:
        risks = Risk.objects.filter(partnership=partnership)
    for r in risks.select_related("theme_group"):
        yield [
            partnership.slug,
            r.reference,
            r.theme_group.name if r.theme_group else "",
            r.description,
            r.owner,
            str(r.likelihood),
            str(r.impact),
            r.mitigation,
            r.status,
            r.review_date.isoformat() if r.review_date else "",
        ]


# recommendations.csv ------------------------------------------------------------


def check_recommendations(rows, ctx) -> list[dict]:
    items = []
    statuses = dict(Recommendation.Status.choices)
    for row in rows:
        slug = ctx.check_partnership(row)
        if slug is None:
            continue
        ok = True
        for column in ("reference", "recommendation", "assigned_to"):
            if not row.get(column):
                ctx.error(row, f"{column} is blank")
                ok = False
        ok = ctx.texts_fit(row, LENGTHS["recommendations"]) and ok
        meeting_ok, meeting_date = _date(
            row, "meeting_date", ctx, lambda day: rules.meeting_date_problem(day, ctx.today)
        )
        if meeting_ok and meeting_date is None:
            ctx.error(row, "meeting_date is blank")
            ok = False
        due_ok, due = _date(
            row,
            "due",
            ctx,
            meeting_date and partial(rules.recommendation_due_problem, meeting=meeting_date),
        )
        status = choice(row, "status", ctx, statuses, blank=Recommendation.Status.AWAITING)
        ok = status is not None and ok
        if not (ok and meeting_ok and due_ok):
            continue
        # A reference names one recommendation whatever its capitals and spaces (as the
        # recommendation form has it).
        first_at = ctx.repeated(
            row, ("recommendations", slug, rules.unique_key(row.get("reference")))
        )
        if first_at is not None:
            ctx.error(
                row,
                f"a second recommendation '{row.get('reference')}' (first at row {first_at})",
            )
            continue
        optional = {"response": row.get("response"), "status": status, "due": due}
        items.append(
            {
                "row": row.number,
                "partnership": slug,
                "reference": row.get("reference"),
                "meeting_date": meeting_date,
                "recommendation": row.get("recommendation"),
                "assigned_to": row.get("assigned_to"),
                **_given(optional, row),
            }
        )
    return items


def apply_recommendations(items: list[dict], ctx) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    slugs = {item["partnership"] for item in items}
    existing = {}
    for r in (
        Recommendation.objects.filter(partnership__slug__in=slugs)
        .select_related("partnership", "meeting")
        .order_by("pk")
    ):
        key = (r.partnership.slug, rules.unique_key(r.reference))
        existing.setdefault(key, r)
    meetings = {
        (m.partnership.slug, m.date): m
        for m in Meeting.objects.filter(
            Q(partnership__slug__in=slugs), kind__in=Recommendation.MEETING_KINDS
        ).select_related("partnership")
    }
    for item in items:
        slug, row = item.pop("partnership"), item.pop("row")
        current = existing.get((slug, rules.unique_key(item["reference"])))
        found = meetings.get((slug, item["meeting_date"]))
        if current is not None:
            found = current.meeting_on(item["meeting_date"], found)
        _saved_row(
            ctx,
            counts,
            table="recommendations",
            summary=REC_SUMMARY,
            slug=slug,
            row=row,
            current=current,
            values=dict(item, meeting=found),
            described=dict(item),  # the meeting follows the meeting date, which is named
            save=lambda current, **kwargs: services.recommendation_save(
                recommendation=current, **kwargs
            ),
        )
    return counts


def export_recommendations(partnership: Partnership, recommendations=None) -> Iterator[Sequence]:
    """The partnership's recommendations (or those of ``recommendations``, a queryset of
    them: the list as filtered) as rows of recommendations.csv."""
    if recommendations is None:
        recommendations = Recommendation.objects.filter(partnership=partnership)
    for r in recommendations.order_by("meeting_date", "reference"):
        yield [
            partnership.slug,
            r.reference,
            r.meeting_date.isoformat(),
            r.recommendation,
            r.assigned_to,
            r.response,
            r.status,
            r.due.isoformat() if r.due else "",
        ]


CHECK = {"actions": check_actions, "risks": check_risks, "recommendations": check_recommendations}
APPLY = {"actions": apply_actions, "risks": apply_risks, "recommendations": apply_recommendations}
EXPORT = {
    "actions": export_actions,
    "risks": export_risks,
    "recommendations": export_recommendations,
}


def register_tables() -> None:
    """Add the three tables to the import registry (called by ActionsConfig.ready)."""
    from indicators.importing import Table, register

    for name, columns in COLUMNS.items():
        register(
            Table(
                name=name,
                columns=columns,
                required=REQUIRED[name],
                order=ORDER[name],
                check=CHECK[name],
                apply=APPLY[name],
                export=EXPORT[name],
                page=PAGE[name],
            )
        )
