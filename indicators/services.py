"""Writes to figures and targets: atomic, validated, audited. Views and imports call these."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from . import periods
from .models import Actual, FigureChange, Indicator, Target
from .validation import plain_number, same_number


@dataclass(frozen=True)
class FigureInput:
    """What a person submitted for one indicator and period (value already checked)."""

    indicator: Indicator
    period: datetime.date
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    # The version of the figure when the form was opened: 0 if there was none,
    # None to skip the check (imports).
    expected_version: int | None = None


@dataclass(frozen=True)
class Conflict:
    indicator: Indicator
    period: datetime.date
    current: Actual | None


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


class FigureConflict(Exception):
    def __init__(self, conflicts: list[Conflict]):
        super().__init__(f"{len(conflicts)} figure(s) changed by someone else")
        self.conflicts = conflicts


class FigureLocked(Exception):
    """A figure in a period a published report covers was changed without a reason."""

    def __init__(self, locked: list):
        self.locked = locked
        names = ", ".join(
            f"{indicator.code} {periods.short_month_label(period)}"
            for indicator, period, _ in locked
        )
        super().__init__(
            f"Give a reason for changing {names}: a published report covers "
            f"{'this month' if len(locked) == 1 else 'these months'}, and the next report "
            "will list the change as a revision"
        )


def _check_locked(plan: list, reason: str) -> None:
    """Periods covered by a published report change only with a reason (reports flag them)."""
    from reports.selectors import locked_figures  # reports build on indicators, not the reverse

    if reason.strip():
        return
    locked = locked_figures((entry.indicator, entry.period) for entry, _ in plan)
    if locked:
        raise FigureLocked(locked)


def _check_fields(actual: Actual) -> None:
    """Field checks (digits, places) without the per-row queries of full_clean: the
    indicator and user come from the database already, and constraints hold in it."""
    actual.clean_fields(exclude=["indicator", "entered_by"])


def figure_snapshot(
    value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None
) -> dict:
    """The audit form of a figure: strings, so JSON keeps every digit."""
    return {
        "value": plain_number(value),
        "numerator": plain_number(numerator),
        "denominator": plain_number(denominator),
    }


def actual_snapshot(actual: Actual | None) -> dict | None:
    if actual is None:
        return None
    return figure_snapshot(actual.value, actual.numerator, actual.denominator)


def _unchanged(actual: Actual | None, entry: FigureInput) -> bool:
    if actual is None:
        return entry.value is None
    return (
        same_number(actual.value, entry.value)
        and same_number(actual.numerator, entry.numerator)
        and same_number(actual.denominator, entry.denominator)
    )


@transaction.atomic
def actuals_save(
    *, entries: list[FigureInput], by: User | None, reason: str = "", source: str = "form"
) -> SaveResult:
    """Write the figures that changed; all or nothing.

    Raises FigureConflict, writing nothing, when a figure was changed by someone
    else after the form was opened and this submission would change it again.
    A blank value removes a figure: a missing period is missing, never zero.
    """
    result = SaveResult()
    if not entries:
        return result
    lookup = Q()
    for entry in entries:
        lookup |= Q(indicator=entry.indicator, period=entry.period)
    existing = {
        (a.indicator_id, a.period): a for a in Actual.objects.select_for_update().filter(lookup)
    }
    plan: list[tuple[FigureInput, Actual | None]] = []
    for entry in entries:
        current = existing.get((entry.indicator.pk, entry.period))
        if _unchanged(current, entry):
            result.unchanged += 1
            continue
        current_version = current.version if current else 0
        if entry.expected_version is not None and entry.expected_version != current_version:
            result.conflicts.append(Conflict(entry.indicator, entry.period, current))
            continue
        plan.append((entry, current))
    if result.conflicts:
        raise FigureConflict(result.conflicts)
    _check_locked(plan, reason)

    changes = []
    for entry, current in plan:
        old = actual_snapshot(current)
        if entry.value is None:
            current.delete()
            result.deleted += 1
            new = None
        elif current is None:
            current = Actual(
                indicator=entry.indicator,
                period=entry.period,
                value=entry.value,
                numerator=entry.numerator,
                denominator=entry.denominator,
                entered_by=by,
            )
            _check_fields(current)
            current.save()
            result.created += 1
            new = actual_snapshot(current)
        else:
            current.value = entry.value
            current.numerator = entry.numerator
            current.denominator = entry.denominator
            current.entered_by = by
            current.version += 1
            _check_fields(current)
            current.save()
            result.updated += 1
            new = actual_snapshot(current)
        changes.append(
            FigureChange(
                indicator=entry.indicator,
                subject=FigureChange.Subject.ACTUAL,
                period=entry.period,
                financial_year=periods.financial_year_of(
                    entry.period, entry.indicator.partnership.fy_start_month
                ),
                old=old,
                new=new,
                reason=reason,
                source=source,
                changed_by=by,
            )
        )
    FigureChange.objects.bulk_create(changes)
    return result


def target_snapshot(target: Target | None) -> dict | None:
    if target is None:
        return None
    return {
        "kind": target.kind,
        "value": plain_number(target.value),
        "baseline_year": target.baseline_year,
        "period": target.period.isoformat() if target.period else None,
    }


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    financial_year: int,
    kind: str,
    value: Decimal,
    baseline_year: int | None = None,
    period: datetime.date | None = None,
    by: User | None,
    reason: str = "",
    source: str = "form",
) -> tuple[Target, str]:
    """Create or change one target (one profile point for cumulative targets), audited.

    Returns the target and what happened to it: "created", "updated" or "unchanged".
    """
    existing = (
        Target.objects.select_for_update()
        .filter(indicator=indicator, financial_year=financial_year, period=period)
        .first()
    )
    old = target_snapshot(existing)
    target = existing or Target(indicator=indicator, financial_year=financial_year, period=period)
    target.kind = kind
    target.value = value
    target.baseline_year = baseline_year
    target.full_clean(validate_unique=False)
    if target_snapshot(target) == old:
        return target, "unchanged"
    # A year has one kind of target: replacing an annual figure by a profile removes the other rows.
    others = list(
        Target.objects.filter(indicator=indicator, financial_year=financial_year).exclude(kind=kind)
    )
    audit = {"by": by, "reason": reason, "source": source}
    changes = [_target_change(t, target_snapshot(t), None, **audit) for t in others]
    Target.objects.filter(pk__in=[t.pk for t in others]).delete()
    target.save()
    changes.append(_target_change(target, old, target_snapshot(target), **audit))
    FigureChange.objects.bulk_create(changes)
    return target, "updated" if existing else "created"


def _target_change(
    target: Target, old: dict | None, new: dict | None, *, by, reason, source
) -> FigureChange:
    return FigureChange(
        indicator=target.indicator,
        subject=FigureChange.Subject.TARGET,
        period=target.period,
        financial_year=target.financial_year,
        old=old,
        new=new,
        reason=reason,
        source=source,
        changed_by=by,
    )


@dataclass(frozen=True)
class TargetRow:
    kind: str
    value: Decimal
    baseline_year: int | None = None
    period: datetime.date | None = None


@transaction.atomic
def targets_replace(
    *,
    indicator: Indicator,
    financial_year: int,
    rows: list[TargetRow],
    by: User | None,
    reason: str = "",
    source: str = "form",
) -> int:
    """Make a year's target exactly these rows (none: no target), audited; the number changed."""
    existing = {
        t.period: t
        for t in Target.objects.select_for_update().filter(
            indicator=indicator, financial_year=financial_year
        )
    }
    wanted = {row.period: row for row in rows}
    audit = {"by": by, "reason": reason, "source": source}
    changes = []
    # Rows that go, or change kind, are removed first so the year never mixes kinds.
    for period, target in list(existing.items()):
        if period not in wanted or wanted[period].kind != target.kind:
            changes.append(_target_change(target, target_snapshot(target), None, **audit))
            target.delete()
            del existing[period]
    for period, row in wanted.items():
        current = existing.get(period)
        old = target_snapshot(current)
        target = current or Target(
            indicator=indicator, financial_year=financial_year, period=period
        )
        target.kind, target.value, target.baseline_year = row.kind, row.value, row.baseline_year
        target.full_clean(validate_unique=False)
        if target_snapshot(target) == old:
            continue
        target.save()
        changes.append(_target_change(target, old, target_snapshot(target), **audit))
    FigureChange.objects.bulk_create(changes)
    return len(changes)
