"""Writes to action plans, risks, cross-theme issues and recommendations.

Each is atomic and validated (`full_clean`). A form that changes a row sends only the
fields the person changed, each with the value the page showed (``edits``: name ->
(shown, posted)); the row is locked and each is decided by csp_portal.core.concurrency:
a field someone else changed since the page was built is a conflict (`StaleEdit`,
nothing written), a field nobody else touched is written, and a field the person did not
change is never written, whoever changed it since. Imports send whole rows (``values``).
Action updates are the audit of an action's status: dated, attributed, never edited; a
closing or reopening joins them (kind closed or reopened, leaving the status as it is).
Every other create or change is recorded as an ActionsChange (who, when, old and new).
A title, number or reference already taken is refused with a message naming it, also when
another session takes it between the check and the write (a double click). A row keyed in
by mistake is removed (`row_remove`) only when nothing depends on it and no published
report may have shown it, recorded with the fields it had (csp_portal/core/removal.py).
"""

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from csp_portal.core.concurrency import Outcome, decide
from csp_portal.core.history import History
from csp_portal.core.models import Meeting, Membership, Partnership, ThemeGroup
from csp_portal.core.removal import ASK, added_at, counted, remove_checked, shown_in_report
from csp_portal.core.text import joined, one_line_end
from indicators import periods
from indicators.models import Indicator

from . import rules
from .models import (
    DUE_YEARS_AFTER,
    Action,
    ActionPlan,
    ActionsChange,
    ActionUpdate,
    CrossThemeIssue,
    Objective,
    Recommendation,
    Risk,
    latest_due,
)

Edits = dict[str, tuple[Any, Any]]  # field name -> (value the page showed, value posted)


class StaleEdit(Exception):
    """Someone else changed these fields of the row after the form was opened; ``by``: who
    changed the row last, as its history records it (None: not known)."""

    def __init__(self, current: Model, fields: list[str], by: User | None = None):
        super().__init__(f"{current}: {', '.join(fields)} changed by someone else")
        self.current = current
        self.fields = fields
        self.by = by


def _last_editor(row: Model) -> User | None:
    """Who changed the row last, as its ActionsChange history records it."""
    last = (
        ActionsChange.objects.filter(subject=SUBJECTS[type(row)], object_id=row.pk)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
        .first()
    )
    return last.changed_by if last else None


def _is_m2m(model: type[Model], name: str) -> bool:
    return model._meta.get_field(name).many_to_many


def _comparable(model: type[Model], name: str, value: Any) -> Any:
    """Many-to-many values compare as sets of primary keys; others as they are."""
    if _is_m2m(model, name):
        return frozenset(v if isinstance(v, int) else v.pk for v in (value or []))
    return value


def _stored(row: Model, name: str) -> Any:
    if _is_m2m(type(row), name):
        return frozenset(v.pk for v in getattr(row, name).all())  # a prefetch, if made
    return getattr(row, name)


def _decide_edits(row: Model, edits: Edits) -> dict[str, Any]:
    """The edits to write; StaleEdit naming every field someone else changed meanwhile."""
    model, writes, conflicts = type(row), {}, []
    for name, (shown, posted) in edits.items():
        outcome = decide(
            shown=_comparable(model, name, shown),
            posted=_comparable(model, name, posted),
            stored=_stored(row, name),
        )
        if outcome is Outcome.CONFLICT:
            conflicts.append(name)
        elif outcome is Outcome.WRITE:
            writes[name] = posted
    if conflicts:
        raise StaleEdit(row, conflicts, _last_editor(row))
    return writes


def _differences(row: Model, values: dict[str, Any]) -> dict[str, Any]:
    """The values that differ from the row's stored ones."""
    model = type(row)
    return {k: v for k, v in values.items() if _stored(row, k) != _comparable(model, k, v)}


def unchanged(row: Model, values: dict[str, Any]) -> bool:
    """Whether saving this whole row (as an import sends it) would leave it as it is.

    Reads only what the row has loaded: an import reads its rows in bulk, with the related
    rows they name and many-to-many prefetched, and skips the unchanged ones without a
    query each.
    """
    return not _differences(row, values)


def _write(row: Model, values: dict[str, Any], *, compare: bool) -> bool:
    """Set the values (many-to-many after saving), validate, save; whether anything changed.

    compare: leave out values equal to the stored ones (imports send whole rows).
    """
    if compare and row.pk:
        values = _differences(row, values)
    model = type(row)
    plain = {k: v for k, v in values.items() if not _is_m2m(model, k)}
    related = {k: v for k, v in values.items() if _is_m2m(model, k)}
    if not plain and not related and row.pk:
        return False
    for key, value in plain.items():
        setattr(row, key, value)
    if plain or not row.pk:
        row.full_clean()
        row.save()
    for key, value in related.items():
        getattr(row, key).set(value)
    return True


SUBJECTS = {
    ActionPlan: ActionsChange.Subject.PLAN,
    Objective: ActionsChange.Subject.OBJECTIVE,
    Action: ActionsChange.Subject.ACTION,
    Risk: ActionsChange.Subject.RISK,
    CrossThemeIssue: ActionsChange.Subject.ISSUE,
    Recommendation: ActionsChange.Subject.RECOMMENDATION,
}
# Named by the record itself (its partnership), or by the page it shows on.
NOT_AUDITED = {"partnership", "plan"}
# An action's status, kept by action_update_add: its updates are the history of it. A
# risk's, an issue's or a recommendation's status is a field like any other.
NOT_AUDITED_OF = {Action: NOT_AUDITED | {"status", "latest_update", "updated_on"}}
# Set by saving, not on a form, yet changed by an import (closed_on): audited all the same.
AUDITED_UNEDITABLE = {"closed_at"}
# What _snapshot and _audit read of a row's relations (names, and the partnership), read
# with the row a change locks rather than a query each.
JOINED = {
    ActionPlan: ("partnership", "theme_group__partnership"),
    Objective: ("plan__partnership",),
    Action: ("plan__partnership", "objective", "lead_member__user", "lead_member__partnership"),
    Risk: ("partnership", "theme_group__partnership"),
    CrossThemeIssue: ("partnership", "raised_by__partnership"),
    Recommendation: ("partnership", "meeting"),
}
PREFETCHED = {Action: ("indicators",), CrossThemeIssue: ("affects__partnership",)}


def _snapshot(row: Model | None) -> dict | None:
    """A row's own fields as JSON: related rows by name, dates as ISO, many-to-many sorted."""
    if row is None or row.pk is None:
        return None
    found = {}
    for field in type(row)._meta.get_fields():
        if field.auto_created or not field.concrete:
            continue
        if not field.editable and field.name not in AUDITED_UNEDITABLE:
            continue
        if field.name in NOT_AUDITED_OF.get(type(row), NOT_AUDITED):
            continue
        value = getattr(row, field.name)
        if field.many_to_many:
            found[field.name] = sorted(str(v) for v in value.all())
        elif field.is_relation:
            found[field.name] = str(value) if value is not None else None
        elif isinstance(value, datetime.date):
            found[field.name] = value.isoformat()
        else:
            found[field.name] = value
    return found


def _partnership_of(row: Model):
    return row.plan.partnership if isinstance(row, Objective | Action) else row.partnership


def _audit(row: Model, old: dict | None, by: User | None, source: str) -> None:
    _change_record(row, old=old, new=_snapshot(row), by=by, source=source)


def _change_record(row: Model, *, old: dict | None, new: dict | None, by, source: str) -> None:
    ActionsChange.record(
        old=old,
        new=new,
        label=str(row),
        partnership=_partnership_of(row),
        subject=SUBJECTS[type(row)],
        object_id=row.pk,
        parent_object_id=row.plan_id if isinstance(row, Objective | Action) else None,
        source=source,
        changed_by=by,
    )


def _recorded(row: Model, *, old: dict | None, new: dict | None, by, source: str) -> None:
    """A change made outside these services (the admin). An action closed or reopened
    there joins its updates too, as one closed on its page does (action_save)."""
    _change_record(row, old=old, new=new, by=by, source=source)
    if not isinstance(row, Action) or new is None:
        return
    if new["closed"] != (old["closed"] if old else False):
        where = "when it was added" if old is None else "in the admin"
        _closing_record(row, by=by, where=where, source=source)


HISTORY = History(models=frozenset(SUBJECTS), snapshot=_snapshot, record=_recorded)


class Saved(NamedTuple):
    row: Model
    changed: bool
    old: dict | None  # the row as it was; None if new


class Taken(NamedTuple):
    """The rows that already have a title, number or reference one row alone may have, and
    the error that refuses it (or how to word it from the row that has it)."""

    rows: QuerySet
    error: dict[str, str] | Callable[[Model], dict[str, str]]


def _name_taken(
    model: type[Model], field: str, value: str | None, *, partnership, error: Callable[[str], str]
) -> Taken | None:
    """The rows of the partnership with ``value`` (a plan's title, a risk's or
    recommendation's reference) in any capitals and spaces (`rules.unique_key`, as the
    database's constraint holds them unique), and the error naming the stored one."""
    if value is None:
        return None
    return Taken(
        model.objects.filter(partnership=partnership, **{f"{field}_key": rules.unique_key(value)}),
        lambda found: {field: error(getattr(found, field))},
    )


def _refuse_taken(taken: Taken | None, row: Model | None) -> None:
    if taken is None:
        return
    others = taken.rows if row is None else taken.rows.exclude(pk=row.pk)
    found = others.order_by("pk").first()  # by key: no join to sort by
    if found is not None:
        error = taken.error
        raise ValidationError(error(found) if callable(error) else error)


def _save(
    model,
    *,
    create: dict,
    row,
    values,
    edits,
    by: User | None,
    source: str = "form",
    taken: Taken | None = None,
) -> Saved:
    """Create (row None), change a whole row (values) or apply a form's edits, and record
    the change. Callers return ``[:2]``: the row and whether anything changed.

    taken: asked before writing. Two saves of the same title, number or reference at once (a
    double click) both find it free, and the second's write then fails: full_clean finds
    the first's row (with Django's wording), or the insert meets the database's unique
    constraint. The write runs in a savepoint, so that it is asked again and refused with
    the same message as the first check.
    """
    _refuse_taken(taken, row)
    try:
        with transaction.atomic():
            return _write_saved(
                model, create=create, row=row, values=values, edits=edits, by=by, source=source
            )
    except (IntegrityError, ValidationError):
        _refuse_taken(taken, row)
        raise  # nothing taken meanwhile: another fault


def _write_saved(model, *, create: dict, row, values, edits, by: User | None, source) -> Saved:
    if row is None:
        new = model(**{k: v for k, v in create.items() if not _is_m2m(model, k)})
        new.full_clean()
        new.save()
        for key, value in create.items():
            if _is_m2m(model, key):
                getattr(new, key).set(value)
        _audit(new, None, by, source)
        return Saved(new, True, None)
    row = (
        model.objects.select_for_update(of=("self",))
        .select_related(*JOINED[model])
        .prefetch_related(*PREFETCHED.get(model, ()))
        .get(pk=row.pk)
    )
    old = _snapshot(row)
    if edits is not None:
        changed = _write(row, _decide_edits(row, edits), compare=False)
    else:
        changed = _write(row, values, compare=True)
    if changed:
        _audit(row, old, by, source)
    return Saved(row, changed, old)


def _check_indicators(plan: ActionPlan, indicators) -> None:
    foreign = [i for i in indicators or [] if i.partnership_id != plan.partnership_id]
    if foreign:
        codes = ", ".join(i.code for i in foreign)
        raise ValidationError(
            {"indicators": f"{codes} is not an indicator of {plan.partnership.name}."}
        )


# Plans and objectives ------------------------------------------------------


def _posted(name: str, values: dict, edits: Edits | None) -> Any:
    """The value a save would write to a field: the form's posted edit, or the row's."""
    if edits is not None:
        return edits[name][1] if name in edits else None
    return values.get(name)


@transaction.atomic
def plan_save(
    *,
    partnership,
    by: User | None,
    values: dict,
    plan: ActionPlan | None = None,
    edits: Edits | None = None,
    source: str = "form",
) -> tuple[ActionPlan, bool]:
    """Start an action plan (title, financial year, optional theme group) or change one.

    A title names one plan of the partnership, whatever its capitals and spaces. A plan's
    year may not move past the due date of any of its actions (`plan_year_check`).
    """
    title = _posted("title", values, edits)
    taken = _name_taken(
        ActionPlan,
        "title",
        title,
        partnership=partnership,
        error=lambda stored: rules.plan_title_taken(partnership.name, title, stored),
    )
    group = _posted("theme_group", values, edits)
    if group is not None and group.partnership_id != partnership.pk:
        raise ValidationError({"theme_group": "Choose a theme group of this partnership."})
    year = _posted("financial_year", values, edits)
    if plan is not None and year is not None:
        plan_year_check(plan, year, partnership.fy_start_month)
    return _save(
        ActionPlan,
        create={**values, "partnership": partnership},
        row=plan,
        values=values,
        edits=edits,
        by=by,
        source=source,
        taken=taken,
    )[:2]


def plan_year_check(plan: ActionPlan, year: int, start_month: int) -> None:
    """A plan's year may not move past the due date of any of its actions: each falls
    from the year's start to DUE_YEARS_AFTER years after its end (the site's form and the
    admin both ask)."""
    label = periods.fy_label(year, start_month)
    start, latest = periods.fy_start(year, start_month), latest_due(year, start_month)
    for count, when, advice in (
        (
            plan.actions.filter(due__gt=latest).count(),
            f"after {latest.day} {latest:%B %Y}, {DUE_YEARS_AFTER} years after {label} ends",
            "a later year",
        ),
        (
            plan.actions.filter(due__lt=start).count(),
            f"before {start.day} {start:%B %Y}, when {label} starts",
            "an earlier year",
        ),
    ):
        if count:
            actions = f"{count} action{'s' if count != 1 else ''}"
            raise ValidationError(
                {
                    "financial_year": f"{actions} of this plan {'are' if count != 1 else 'is'} "
                    f"due {when}: change their due dates first, or choose {advice}."
                }
            )


@transaction.atomic
def objective_save(
    *,
    plan: ActionPlan,
    by: User | None,
    values: dict,
    objective: Objective | None = None,
    edits: Edits | None = None,
    source: str = "form",
) -> tuple[Objective, bool]:
    """Add a numbered objective to a plan, or change one; numbers are unique in a plan."""
    number = _posted("number", values, edits)
    taken = None
    if number is not None:
        taken = Taken(
            Objective.objects.filter(plan=plan, number=number),
            {"number": f"This plan already has an objective {number}: choose another number."},
        )
    return _save(
        Objective,
        create={**values, "plan": plan},
        row=objective,
        values=values,
        edits=edits,
        by=by,
        source=source,
        taken=taken,
    )[:2]


# Actions ------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFields:
    """What an import row or a new action's form says about an action (not its status)."""

    objective_id: int
    reference: str
    description: str
    outcome: str = ""
    lead_member_id: int | None = None
    lead_text: str = ""
    due: datetime.date | None = None
    when: str = ""
    closed: bool = False
    # When it was closed (an import's closed_on); None: now, if it is closed.
    closed_at: datetime.datetime | None = None


@transaction.atomic
def action_save(
    *,
    plan: ActionPlan,
    by: User | None,
    fields: ActionFields | None = None,
    indicators: list[Indicator] | None = None,
    action: Action | None = None,
    edits: Edits | None = None,
    source: str = "form",
) -> tuple[Action, bool]:
    """Create an action, change one (fields and indicators), or apply a form's edits.

    Its status changes only through updates (action_update_add). Closing or reopening it
    adds to its history who did so and when (a closed or reopened update).
    """
    if edits is not None:
        _check_indicators(plan, edits.get("indicators", (None, []))[1])
    else:
        _check_indicators(plan, indicators)
    values = asdict(fields) if fields else {}
    values["indicators"] = indicators or []
    reference = _posted("reference", values, edits)
    taken = None
    if reference is not None:
        taken = Taken(
            Action.objects.filter(plan=plan, reference=reference),
            {"reference": action_reference_taken(reference)},
        )
    saved, changed, old = _save(
        Action,
        create={**values, "plan": plan},
        row=action,
        values=values,
        edits=edits,
        by=by,
        source=source,
        taken=taken,
    )
    was_closed = old["closed"] if old else False
    if saved.closed != was_closed:
        if old is None:
            where = "when it was added"
        else:
            where = ON_THE_PAGE if source == "form" else "by an import"
        _closing_record(saved, by=by, where=where, source=source)
    return saved, changed


ON_THE_PAGE = "on the action's page"


def _closing_record(action: Action, *, by: User | None, where: str, source: str) -> ActionUpdate:
    """Who closed or reopened an action, and when: its status stays as it is."""
    kind = ActionUpdate.Kind.CLOSED if action.closed else ActionUpdate.Kind.REOPENED
    text = f"{kind.label} {where}."
    return ActionUpdate.objects.create(
        action=action,
        date=timezone.localdate(),
        status=action.status,
        text=text,
        by=by,
        source=source,
        kind=kind,
    )


@transaction.atomic
def action_update_add(
    *,
    action: Action,
    status: str,
    text: str,
    by: User | None,
    date: datetime.date,
    source: str = "form",
    shown_status: str | None = None,
    require_text: bool = True,
) -> ActionUpdate:
    """Record a dated, attributed update and make it the action's current status.

    shown_status: the status the form showed. If the person left it as shown, the
    update keeps the status stored now (someone may have changed it meanwhile); if they
    changed it and so did someone else, StaleEdit. An update dated before the latest
    one joins the history without changing the current status.

    A closed action is complete: a status given it then would count it as complete and
    red (or amber) at once, so it must be reopened (action_save) first.
    """
    action = (
        Action.objects.select_related("plan__partnership")
        .select_for_update(of=("self",))
        .get(pk=action.pk)
    )
    if action.closed:
        raise ValidationError(
            f"Action {action.reference} is closed: reopen it to update its status."
        )
    # One kind of line break, as a workbook gives it back (a browser posts \r\n): so the
    # update reads the same in an export, and re-importing it adds nothing.
    text = one_line_end(text).strip()
    if require_text and not text:
        raise ValidationError({"text": "Write what has been done and what comes next."})
    if shown_status is not None:
        if status == shown_status:
            status = action.status
        elif decide(shown=shown_status, posted=status, stored=action.status) is Outcome.CONFLICT:
            latest = action.updates.select_related("by").order_by("-created_at", "-pk").first()
            raise StaleEdit(action, ["status"], latest.by if latest else None)
    update = ActionUpdate(action=action, date=date, status=status, text=text, by=by, source=source)
    update.full_clean(exclude=["action", "by"])
    action.status = status  # checked against the partnership's legend by Action.clean
    action.full_clean()
    update.save()
    latest = (
        action.updates.filter(kind=ActionUpdate.Kind.UPDATE)
        .order_by("-date", "-created_at", "-pk")
        .first()
    )
    Action.objects.filter(pk=action.pk).update(
        status=latest.status, latest_update=latest.text, updated_on=latest.date
    )
    return update


# Risks, cross-theme issues, recommendations -------------------------------


@transaction.atomic
def _referenced_save(
    model: type[Risk | Recommendation],
    *,
    partnership,
    by: User | None,
    values: dict,
    row: Risk | Recommendation | None,
    edits,
    source: str,
) -> tuple[Risk | Recommendation, bool]:
    """risk_save and recommendation_save: create or change a row named by a reference, which
    names one row of its kind in the partnership, whatever its capitals and spaces."""
    reference = _posted("reference", values, edits)
    taken = _name_taken(
        model,
        "reference",
        reference,
        partnership=partnership,
        error=lambda stored: rules.reference_taken(model.__name__, reference, stored),
    )
    return _save(
        model,
        create={**values, "partnership": partnership},
        row=row,
        values=values,
        edits=edits,
        by=by,
        source=source,
        taken=taken,
    )[:2]


def risk_save(
    *,
    partnership,
    by: User | None,
    values: dict,
    risk: Risk | None = None,
    edits=None,
    source: str = "form",
) -> tuple[Risk, bool]:
    """Create or change a risk (likelihood and impact 1 to 5, checked by full_clean); a
    reference names one risk of the partnership, whatever its capitals and spaces."""
    return _referenced_save(
        Risk,
        partnership=partnership,
        by=by,
        values=values,
        row=risk,
        edits=edits,
        source=source,
    )


def action_reference_taken(reference: str) -> str:
    return f"This plan already has an action {reference}: choose another reference."


@transaction.atomic
def issue_save(
    *,
    partnership,
    by: User | None,
    values: dict,
    issue: CrossThemeIssue | None = None,
    edits=None,
    source: str = "form",
) -> tuple[CrossThemeIssue, bool]:
    """Create or change a cross-theme issue and the theme groups it affects: where it
    names any, at least one other than the group that raised it (the form, the admin and
    the demo load all come here or check the same rule; a model's clean cannot see the
    groups it affects before it is saved)."""
    affects: list[ThemeGroup] = (
        edits["affects"][1] if edits and "affects" in edits else values.get("affects", [])
    )
    # The groups it would affect and who raised it once saved: a form's edits change only
    # what the person changed, the rest stays as stored.
    if edits is not None:
        raised_by = edits["raised_by"][1] if "raised_by" in edits else issue.raised_by
        if "affects" not in edits:
            affects = list(issue.affects.all())
    else:
        raised_by = values.get("raised_by")
    issue_groups_check(partnership=partnership, raised_by=raised_by, affects=affects or [])
    title = _posted("title", values, edits)
    taken = None
    if title is not None:
        taken = Taken(
            CrossThemeIssue.objects.filter(partnership=partnership, title=title),
            {
                "title": f"{partnership.name} already has a cross-theme issue called "
                f"{title!r}: choose another title."
            },
        )
    return _save(
        CrossThemeIssue,
        create={**values, "partnership": partnership},
        row=issue,
        values=values,
        edits=edits,
        by=by,
        source=source,
        taken=taken,
    )[:2]


def issue_groups_check(*, partnership, raised_by: ThemeGroup | None, affects) -> None:
    """The theme groups an issue affects are its partnership's and, where it names any, at
    least one other than the group that raised it (the site's form and the admin both ask;
    a model's clean cannot see the groups it affects before it is saved)."""
    if any(group.partnership_id != partnership.pk for group in affects):
        raise ValidationError({"affects": "Choose theme groups of this partnership."})
    if rules.affects_only_its_raiser(
        raised_by.pk if raised_by else None, [group.pk for group in affects]
    ):
        raise ValidationError({"affects": rules.ISSUE_AFFECTS_ANOTHER})


def recommendation_save(
    *,
    partnership,
    by: User | None,
    values: dict,
    recommendation: Recommendation | None = None,
    edits=None,
    source: str = "form",
) -> tuple[Recommendation, bool]:
    """Create or change a scrutiny recommendation; a reference names one recommendation of
    the partnership, whatever its capitals and spaces."""
    return _referenced_save(
        Recommendation,
        partnership=partnership,
        by=by,
        values=values,
        row=recommendation,
        edits=edits,
        source=source,
    )


def keep_leads_of(sender, instance: Membership, origin=None, **kwargs) -> None:
    """Before a membership is deleted (in the admin, or with its person or organisation),
    each action it leads keeps its lead by name, as text: a plan, and every report after,
    still says who led it. Recorded in the plan's history as a change by "membership
    removed". Nothing to keep when the partnership itself is being deleted."""
    going = origin.model if isinstance(origin, QuerySet) else type(origin)
    if going is Partnership:
        return
    name = instance.user.get_full_name() or instance.user.get_username()
    size = Action._meta.get_field("lead_text").max_length
    for action in Action.objects.filter(lead_member=instance).select_related(
        "plan__partnership", "objective"
    ):
        old = _snapshot(action)
        action.lead_member = None
        action.lead_text = name[:size]
        action.save(update_fields=["lead_member", "lead_text"])
        _audit(action, old, None, "membership removed")


def follow_meeting_date(sender, instance: Meeting, raw: bool = False, **kwargs) -> None:
    """After a meeting is saved (in the admin, or with its partnership's meetings), each
    recommendation made at it takes its date: a recommendation's meeting date is its
    meeting's (Recommendation.clean), so one left behind could not be saved again, and an
    import of recommendations.csv would unlink it. Recorded in each one's history as a
    change by "meeting date changed"."""
    if raw:  # loading a fixture: the recommendations come with their own dates
        return
    moved = Recommendation.objects.filter(meeting=instance).exclude(meeting_date=instance.date)
    for recommendation in moved.select_related(*JOINED[Recommendation]):
        old = _snapshot(recommendation)
        recommendation.meeting_date = instance.date
        recommendation.save(update_fields=["meeting_date"])
        _audit(recommendation, old, None, "meeting date changed")


# Removing a row keyed in by mistake (csp_portal/core/removal.py) ---------------

# What each row is called on its removal page and in its refusals.
NOUNS = {
    ActionPlan: "action plan",
    Objective: "objective",
    Action: "action",
    Risk: "risk",
    CrossThemeIssue: "cross-theme issue",
    Recommendation: "recommendation",
}
# What to do with a row the record keeps, rather than remove it.
INSTEAD = {
    ActionPlan: "",
    Objective: "",
    Action: "mark it complete instead (tick “Closed” when you change it)",
    Risk: "set its status to Closed instead",
    CrossThemeIssue: "set its status to Closed instead",
    Recommendation: "change its status instead",
}


def removal_refusals(row: Model) -> list[str]:
    """Why a plan, objective, action, risk, cross-theme issue or recommendation cannot be
    removed on the site: what depends on it (a plan's objectives and actions, an
    objective's actions, an action's updates, a recommendation's response), or a report
    published since it was added, which may have shown it. Empty if it can be."""
    model, refusals = type(row), []
    if isinstance(row, ActionPlan):
        objectives, actions = row.objectives.count(), row.actions.count()
        parts = [counted(objectives, "objective"), counted(actions, "action")]
        if actions:
            refusals.append(
                f"This plan has {joined(parts)}: remove its actions, then its objectives, "
                f"first, {ASK}."
            )
        elif objectives:
            refusals.append(f"This plan has {parts[0]}: remove them first, {ASK}.")
    elif isinstance(row, Objective):
        actions = row.actions.count()
        if actions:
            refusals.append(
                f"This objective has {counted(actions, 'action')}: move them to another "
                f"objective or remove them first, {ASK}."
            )
    elif isinstance(row, Action):
        updates = row.updates.count()
        if updates:
            refusals.append(
                f"This action has {counted(updates, 'update')}: {INSTEAD[Action]}, {ASK}."
            )
    elif isinstance(row, Recommendation) and row.response.strip():
        refusals.append(f"This recommendation has a response: {INSTEAD[Recommendation]}, {ASK}.")
    since = row.created_at if isinstance(row, Action) else None
    if since is None:
        since = added_at(ActionsChange.objects.filter(subject=SUBJECTS[model], object_id=row.pk))
    # Said once: what to do instead, where another reason has not said it.
    instead = None if refusals else INSTEAD[model]
    shown = shown_in_report(_partnership_of(row).pk, since, NOUNS[model], instead)
    if shown:
        refusals.append(shown)
    return refusals


def row_remove(*, row: Model, by: User | None, source: str = "form") -> None:
    """Remove a plan, objective, action, risk, cross-theme issue or recommendation that
    nothing depends on and no published report may have shown (`removal_refusals`), and
    record it removed with every field it had. The row is locked first and checked again:
    an update added meanwhile waits, or makes this a ValidationError, writing nothing."""
    model = type(row)
    remove_checked(
        row,
        joined=JOINED[model],
        prefetched=PREFETCHED.get(model, ()),
        noun=NOUNS[model],
        refusals=removal_refusals,
        record=lambda row: _change_record(row, old=_snapshot(row), new=None, by=by, source=source),
    )
