"""Writes to action plans, risks, cross-theme issues and recommendations.

Each is atomic and validated (`full_clean`). Forms opened earlier carry the row's
version; a write whose version is out of date raises `StaleEdit` and changes nothing.
Action updates are the audit of an action: dated, attributed, never edited.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model

from csp_portal.core.models import ThemeGroup
from indicators.models import Indicator

from .models import Action, ActionPlan, ActionUpdate, CrossThemeIssue, Recommendation, Risk


class StaleEdit(Exception):
    """Someone else saved the row after the form was opened."""

    def __init__(self, current: Model):
        super().__init__(f"{current} was changed by someone else")
        self.current = current


def _locked(model: type[Model], pk: int, expected_version: int | None):
    """The row, locked for this transaction; StaleEdit if its version moved on."""
    row = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and row.version != expected_version:
        raise StaleEdit(row)
    return row


def _save_fields(row: Model, values: dict, *, exclude: tuple[str, ...] = ()) -> bool:
    """Set the values, validate and save with the version bumped; False if nothing changed."""
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(row, key, value)
    row.full_clean(exclude=list(exclude))
    row.version = F("version") + 1
    row.save()
    row.refresh_from_db(fields=["version"])
    return True


def _check_indicators(plan: ActionPlan, indicators: list[Indicator]) -> None:
    foreign = [i for i in indicators if i.partnership_id != plan.partnership_id]
    if foreign:
        codes = ", ".join(i.code for i in foreign)
        raise ValidationError(
            {"indicators": f"{codes} is not an indicator of {plan.partnership.name}."}
        )


# Actions ------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFields:
    """What a form or an import row says about an action (everything but its status)."""

    objective_id: int
    reference: str
    description: str
    outcome: str = ""
    lead_member_id: int | None = None
    lead_text: str = ""
    due: datetime.date | None = None
    when: str = ""
    closed: bool = False


@transaction.atomic
def action_save(
    *,
    plan: ActionPlan,
    fields: ActionFields,
    indicators: list[Indicator],
    by: User | None,
    action: Action | None = None,
    expected_version: int | None = None,
) -> tuple[Action, bool]:
    """Create an action, or change one (its status changes only through updates)."""
    _check_indicators(plan, indicators)
    values = {k: getattr(fields, k) for k in ActionFields.__dataclass_fields__}
    if action is None:
        action = Action(plan=plan, **values)
        action.full_clean()
        action.save()
        changed = True
    else:
        action = _locked(Action, action.pk, expected_version)
        changed = _save_fields(action, values)
    current = set(action.indicators.values_list("pk", flat=True))
    wanted = {i.pk for i in indicators}
    if current != wanted:
        action.indicators.set(indicators)
        if not changed:
            Action.objects.filter(pk=action.pk).update(version=F("version") + 1)
            action.refresh_from_db(fields=["version"])
        changed = True
    return action, changed


@transaction.atomic
def action_update_add(
    *,
    action: Action,
    status: str,
    text: str,
    by: User | None,
    date: datetime.date,
    source: str = "form",
    expected_version: int | None = None,
    require_text: bool = True,
) -> ActionUpdate:
    """Record a dated, attributed update and make it the action's current status.

    An update dated before the latest one joins the history without changing the
    current status: the current status is always the latest update's.
    """
    action = _locked(Action, action.pk, expected_version)
    text = text.strip()
    if require_text and not text:
        raise ValidationError({"text": "Write what has been done and what comes next."})
    update = ActionUpdate(action=action, date=date, status=status, text=text, by=by, source=source)
    update.full_clean(exclude=["action", "by"])
    action.status = status  # checked against the partnership's legend by Action.clean
    action.full_clean(exclude=["indicators"])
    update.save()
    latest = action.updates.order_by("-date", "-created_at", "-pk").first()
    Action.objects.filter(pk=action.pk).update(
        status=latest.status,
        latest_update=latest.text,
        updated_on=latest.date,
        version=F("version") + 1,
    )
    return update


# Risks, cross-theme issues, recommendations -------------------------------


def _simple_save(model, *, partnership, values, row, expected_version, exclude=()):
    if row is None:
        row = model(partnership=partnership, **values)
        row.full_clean(exclude=list(exclude))
        row.save()
        return row, True
    row = _locked(model, row.pk, expected_version)
    return row, _save_fields(row, values, exclude=exclude)


@transaction.atomic
def risk_save(
    *, partnership, values: dict, by: User | None, risk: Risk | None = None, expected_version=None
) -> tuple[Risk, bool]:
    """Create or change a risk (likelihood and impact 1 to 5, checked by full_clean)."""
    return _simple_save(
        Risk, partnership=partnership, values=values, row=risk, expected_version=expected_version
    )


@transaction.atomic
def issue_save(
    *,
    partnership,
    values: dict,
    affects: list[ThemeGroup],
    by: User | None,
    issue: CrossThemeIssue | None = None,
    expected_version=None,
) -> tuple[CrossThemeIssue, bool]:
    """Create or change a cross-theme issue and the theme groups it affects."""
    if any(group.partnership_id != partnership.pk for group in affects):
        raise ValidationError({"affects": "Choose theme groups of this partnership."})
    issue, changed = _simple_save(
        CrossThemeIssue,
        partnership=partnership,
        values=values,
        row=issue,
        expected_version=expected_version,
    )
    if set(issue.affects.values_list("pk", flat=True)) != {g.pk for g in affects}:
        issue.affects.set(affects)
        changed = True
    return issue, changed


@transaction.atomic
def recommendation_save(
    *,
    partnership,
    values: dict,
    by: User | None,
    recommendation: Recommendation | None = None,
    expected_version=None,
) -> tuple[Recommendation, bool]:
    """Create or change a scrutiny recommendation."""
    return _simple_save(
        Recommendation,
        partnership=partnership,
        values=values,
        row=recommendation,
        expected_version=expected_version,
    )
