"""Writes to figures and targets: atomic, validated, audited. Views and imports call these."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q

from csp_portal.core import concurrency
from csp_portal.core.text import day_label, joined

from . import data_version, periods
from .models import Actual, FigureChange, Indicator, SpcSetting, Target
from .validation import plain_number, same_number


@dataclass(frozen=True)
class Figure:
    """A figure as a page showed it or a person asked for it; value None is no figure."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @classmethod
    def of(cls, actual: Actual | None) -> "Figure":
        if actual is None:
            return NO_FIGURE
        return cls(actual.value, actual.numerator, actual.denominator)

    @property
    def empty(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None

    def same(self, other: "Figure") -> bool:
        """Equal as numbers (12.0 is 12), compared as entered: by numerator and
        denominator where both have them (the value derives from those), else by value
        (a rate typed as a value is the same as that rate stored with its parts)."""
        if self.empty or other.empty:
            return self.empty and other.empty
        if self.denominator is not None and other.denominator is not None:
            return same_number(self.numerator, other.numerator) and same_number(
                self.denominator, other.denominator
            )
        return same_number(self.value, other.value)


NO_FIGURE = Figure(None)


@dataclass(frozen=True)
class FigureInput:
    """What a person submitted for one indicator and period (value already checked)."""

    indicator: Indicator
    period: datetime.date
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    # The figure the page showed when it was opened (NO_FIGURE if none), so that only a
    # change someone else made since then is a conflict; None writes without that check.
    shown: Figure | None = None

    @property
    def figure(self) -> Figure:
        return Figure(self.value, self.numerator, self.denominator)


@dataclass(frozen=True)
class Conflict:
    indicator: Indicator
    period: datetime.date
    current: Actual | None
    # Who made the figure what it is now (who removed it, if it is gone), when known.
    by: User | None = None


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
    """Someone else changed figures this save would change too; nothing was written.
    ``locked``: what saving again would be refused for besides (a reason is needed for a
    period a published report covers), so the page says both at once."""

    def __init__(self, conflicts: list[Conflict], locked: "FigureLocked | None" = None):
        super().__init__(f"{len(conflicts)} figure(s) changed by someone else")
        self.conflicts = conflicts
        self.locked = locked


class FigureLocked(Exception):
    """A figure a published report froze (`reports.selectors.figure_lock`: ``locked``, each
    figure's indicator, period and lock) was changed, or entered late (the report had none:
    ``late``, the (indicator pk, period) pairs stored with no figure), without a reason.
    Its message is the reason prompt the figure pages show, saying why each is locked: a
    report covers its period, or it is in the baseline year of a change target one rated."""

    def __init__(self, locked: list, late: frozenset = frozenset()):
        self.locked = locked
        named = _named(locked)
        changed = [(key, name) for key, name in named if key not in late]
        entered = [(key, name) for key, name in named if key in late]
        asks, lists = [], []
        if changed:
            asks.append(f"changing {', '.join(name for _, name in changed)}")
            lists.append(_plural(changed, "the change as a revision", "the changes as revisions"))
        if entered:
            names = ", ".join(name for _, name in entered)
            asks.append(_plural(entered, "the late figure", "the late figures") + f" for {names}")
            it = ("the late figure", "the late figures") if changed else ("it", "them")
            lists.append(_plural(entered, f"{it[0]} as a late return", f"{it[1]} as late returns"))
        # One reason box: the report prints its reason against revisions and late returns
        # alike, so an officer giving one for both is told so.
        both = ", each with the reason you give" if changed and entered else ""
        super().__init__(
            f"Give a reason for {' and for '.join(asks)}: {_why_locked(locked, dict(named))}, "
            f"and the next report will list {' and '.join(lists)}{both}"
        )


def _why_locked(locked: list, names: dict) -> str:
    """Why these figures need a reason: "a published report covers this month", or of a
    rated change target's baseline year "it is in 2014/15, the baseline year of SP 09's
    target for 2016/17, which the published report “Update” rated"; each figure named
    when the reasons differ."""
    covered = [(i, p) for i, p, lock in locked if lock.why == "published"]
    rated: dict = {}  # (the version that rated it, its year, the baseline) -> figures
    for i, p, lock in locked:
        if lock.why == "baseline":
            start = i.partnership.fy_start_month
            frozen = max(lock.rating, key=lambda frozen: frozen.published_at)
            year = periods.financial_year_of(frozen.period, start)
            key = (frozen, year, periods.financial_year_of(p, start), start)
            rated.setdefault(key, []).append((i, p))
    alone = len(covered) == len(locked) or (len(rated) == 1 and not covered)
    reasons = []
    if covered:
        if alone:
            quarterly = any(i.frequency == Indicator.Frequency.QUARTERLY for i, _ in covered)
            noun = "period" if quarterly else "month"
            which = f"this {noun}" if len(covered) == 1 else f"these {noun}s"
        else:
            which = ", ".join(names[(i.pk, p)] for i, p in covered)
        reasons.append(f"a published report covers {which}")
    for (frozen, year, baseline, start), figures in rated.items():
        if alone:
            which = "it is" if len(figures) == 1 else "they are"
        else:
            which = ", ".join(names[(i.pk, p)] for i, p in figures)
            which += " is" if len(figures) == 1 else " are"
        reasons.append(
            f"{which} in {periods.fy_label(baseline, start)}, "
            f"{rated_baseline_words([i.code for i, _ in figures], frozen, year, start)}"
        )
    return "; ".join(reasons)


def rated_baseline_words(
    codes: list[str], frozen, year: int, start: int, quotes: str = "“”"
) -> str:
    """ "the baseline year of SP 09's target for 2016/17, which the published report
    “Update” rated": why a figure of that year needs a reason (``codes``: the indicators,
    ``frozen``: the version that rated their targets of ``year``), as the figure pages'
    refusal and, with plain quotes, the import's say it."""
    codes = list(dict.fromkeys(codes))
    label = periods.fy_label(year, start)
    targets = (
        f"{codes[0]}'s target for {label}"
        if len(codes) == 1
        else f"the targets for {label} of {joined(codes)}"
    )
    title = f"{quotes[0]}{frozen.title}{quotes[1]}"
    return f"the baseline year of {targets}, which the published report {title} rated"


def _named(locked: list) -> list[tuple[tuple[int, datetime.date], str]]:
    """Each locked figure's (indicator pk, period) and its name in words: "SP 09 November
    2016", or a quarter's "SP 09 Q2 2016/17"."""
    return [
        (
            (i.pk, p),
            f"{i.code} {periods.period_label(p, i.frequency, i.partnership.fy_start_month)}",
        )
        for i, p, _ in locked
    ]


def _plural(items: list, one: str, many: str) -> str:
    return one if len(items) == 1 else many


def _lock_of(plan: list, reason: str) -> "FigureLocked | None":
    """The FigureLocked saving this plan would raise, or None."""
    try:
        _check_locked(plan, reason)
    except FigureLocked as locked:
        return locked
    return None


def year_locked(indicator: Indicator, slots: list[datetime.date]) -> dict:
    """Of the year grid's periods (as stored), those whose figure needs a reason to change,
    each with its lock (`reports.selectors.figure_lock`, the rule saving checks). Two
    queries, one when nothing was published."""
    from reports.selectors import baseline_years, figure_lock, frozen_by  # reports build on us

    published = frozen_by([indicator.partnership_id])
    if not published:
        return {}
    baselines = baseline_years([indicator.pk])
    start = indicator.partnership.fy_start_month
    locks = {
        period: figure_lock(indicator.pk, indicator.frequency, period, start, published, baselines)
        for period in slots
    }
    return {period: lock for period, lock in locks.items() if lock is not None}


def locked_notices(
    indicator: Indicator, places: list[tuple[datetime.date, str]], locked: dict
) -> list[str]:
    """What the year grid says up front of its periods whose figures need a reason to
    change (``locked``, `year_locked`): "The published report “Update” (Scrutiny panel, 24
    January 2017) covers November 2016: ...", and of a year a published report rated the
    indicator against a change target worked out from. places: each period as stored and
    its name, in page order. No queries."""
    start = indicator.partnership.fy_start_month
    covering, rating = _by_report(
        [(period, locked[period]) for period, _ in places if period in locked]
    )
    words = dict(places)
    order = [period for period, _ in places]
    notices = [
        f"{_published_report(frozen)} covers {_span(found, words, order)}: a change needs a "
        "reason, and the next report will show it as a revision."
        for frozen, found in covering
    ]
    for frozen, found in rating:
        baseline = periods.fy_label(periods.financial_year_of(found[0], start), start)
        # The baseline is a whole year: the grid's, unless a report covers some of it.
        which = (
            f"{baseline} figures" if found == order else f"figures for {_span(found, words, order)}"
        )
        notices.append(
            f"{_published_report(frozen)} rated this indicator against "
            f"{_rated(frozen, start, baseline)}: a change to its {which} needs a reason, and "
            "the next report will show it as a revision."
        )
    return notices


def _by_report(locked: list) -> tuple[list, list]:
    """Things locked (each a key and its `figure_lock`), grouped under the version that
    froze them that was published last, as the next report lists a change against it:
    first those a report covers, then those only a rated target's baseline locks, each
    list in the order published."""
    covering: dict = {}
    rating: dict = {}
    for key, lock in locked:
        by, versions = (
            (covering, lock.covering) if lock.why == "published" else (rating, lock.rating)
        )
        by.setdefault(max(versions, key=lambda frozen: frozen.published_at), []).append(key)
    return tuple(
        sorted(by.items(), key=lambda found: found[0].published_at) for by in (covering, rating)
    )


def _span(found: list[datetime.date], words: dict, order: list[datetime.date]) -> str:
    """Some of a page's periods in words: one by its name, a run of months as reports
    name them ("April to November 2016"), a run of quarters by the first and last."""
    first, last = order.index(found[0]), order.index(found[-1])
    if len(found) == 1:
        return words[found[0]]
    if last - first + 1 == len(found):  # a run of the page's periods
        monthly = all(words[period] == periods.month_label(period) for period in found)
        if monthly:
            return periods.months_span(found[0], found[-1])
        return f"{words[found[0]]} to {words[found[-1]]}"
    return joined(words[period] for period in found)


def _rated(frozen, start: int, baseline: str, many: bool = False) -> str:
    """ "its target for 2016/17, set as a change on 2014/15": the change target (of its own
    year) a published version rated an indicator (or ``many``) against."""
    year = periods.fy_label(periods.financial_year_of(frozen.period, start), start)
    if many:
        return f"their targets for {year}, set as changes on {baseline}"
    return f"its target for {year}, set as a change on {baseline}"


def _published_report(frozen) -> str:
    """ "The published report “Update” (Scrutiny panel, 24 January 2017)"."""
    meeting = frozen.meeting_label
    if frozen.meeting_date:
        when = day_label(frozen.meeting_date)
        meeting = f"{meeting}, {when}" if meeting else when
    return f"The published report “{frozen.title}”{f' ({meeting})' if meeting else ''}"


def published_versions(partnership) -> list:
    """Every version published that froze this partnership's figures
    (`reports.selectors.frozen_by`): read once for the month sheet's notice and the rows
    it marks. One query."""
    from reports.selectors import frozen_by  # reports build on us

    return frozen_by([partnership.pk])


# At most this many locked indicators are named in each paragraph of the month sheet's
# notice; more are counted.
SHEET_LOCKS_NAMED = 3


def sheet_locked(
    partnership, month: datetime.date, published: list, indicators: Iterable[tuple[int, str]]
) -> dict:
    """Of the month sheet's (indicator pk, frequency) pairs, the indicators whose figure
    there needs a reason to change, each with why (`reports.selectors.figure_lock`, the
    rule saving checks: a quarterly figure is its quarter's). ``published`` is
    `published_versions`. One query (the indicators' change targets), none when nothing
    was published."""
    from reports.selectors import baseline_years, figure_lock  # reports build on us

    if not published:
        return {}
    indicators = list(indicators)
    baselines = baseline_years(pk for pk, _ in indicators)
    start = partnership.fy_start_month
    stored = {
        Indicator.Frequency.MONTHLY: month,
        Indicator.Frequency.QUARTERLY: periods.quarter_start(month, start),
    }
    locks = {
        pk: figure_lock(pk, frequency, stored[frequency], start, published, baselines)
        for pk, frequency in indicators
    }
    return {pk: lock for pk, lock in locks.items() if lock is not None}


def sheet_locked_notices(partnership, month: datetime.date, locked: list) -> list[str]:
    """What the month sheet says up front of which of its indicators (``locked``: each
    one's code and lock, `sheet_locked`, in page order) have a figure that needs a reason
    to change, and why: the published report covering the month (their rows tagged
    "Published"), or one that rated them against a change target worked out from the
    figures of the month's year (tagged "Baseline"). The others' figures are not locked.
    Nothing when the sheet has none. No query."""
    start = partnership.fy_start_month
    covering, rating = _by_report(locked)
    notices = []
    for frozen, codes in covering:
        notices.append(
            f"{_published_report(frozen)} covers {periods.month_label(month)} for "
            f"{_marked(codes, 'Published')}: a change to their figures needs a reason, and "
            "the next report will show it as a revision."
        )
    baseline = periods.fy_label(periods.financial_year_of(month, start), start)
    for frozen, codes in rating:
        many = len(codes) > 1
        notices.append(
            f"{_published_report(frozen)} rated {_marked(codes, 'Baseline')}, against "
            f"{_rated(frozen, start, baseline, many)}: a change to {'their' if many else 'its'} "
            f"{baseline} figures needs a reason, and the next report will show it as a revision."
        )
    return notices


def _marked(codes: list[str], tag: str) -> str:
    """ "SP 09 and SP 10, marked “Published” below", or when many "5 of the indicators
    below, marked “Published”"."""
    if len(codes) <= SHEET_LOCKS_NAMED:
        return f"{joined(codes)}, marked “{tag}” below"
    return f"{len(codes)} of the indicators below, marked “{tag}”"


def _check_locked(plan: list, reason: str) -> None:
    """Periods covered by a published report change only with a reason (reports flag them).
    A figure the last such report printed none of comes in late, whether or not one is
    stored now: the next report lists it as a late return, not a revision."""
    # Reports build on indicators, not the reverse.
    from reports.builder import is_late_return
    from reports.selectors import locked_figures_printed

    if reason.strip():
        return
    locked, printed = locked_figures_printed((entry.indicator, entry.period) for entry, _ in plan)
    if locked:
        late = frozenset(
            (entry.indicator.pk, entry.period)
            for entry, current in plan
            # Removing a figure the report lacked leaves nothing to list: no late return.
            if entry.value is not None
            and is_late_return(
                # A period the report did not print (a baseline year): by what is stored.
                printed.get((entry.indicator.pk, entry.period), current and current.value)
            )
        )
        raise FigureLocked(locked, late)


@dataclass(frozen=True)
class TargetLock:
    """Why a year's target changes only with a reason: the published report ``title``
    showed the indicator for that year. ``rated``: the report printed the year's target
    and rated the indicator against it; False, it showed the indicator with none (no
    target then, or monitoring only), so setting one is a change the panel was not given."""

    title: str
    rated: bool


class TargetLocked(Exception):
    """A target of a year a published report showed the indicator for was set, changed or
    removed without a reason."""

    def __init__(self, indicator: Indicator, financial_year: int, lock: TargetLock):
        self.indicator, self.financial_year, self.lock = indicator, financial_year, lock
        self.title = lock.title
        label = periods.fy_label(financial_year, indicator.partnership.fy_start_month)
        if lock.rated:
            why = (
                f"the published report '{lock.title}' rated {indicator.code} against it, and "
                "the next report will list the change as a revision"
            )
        else:
            why = (
                f"the published report '{lock.title}' showed {indicator.code} with no target "
                f"for {label}, and the next report will list the change as a revision"
            )
        super().__init__(f"Give a reason for changing the {label} target: {why}")


class TargetMonitored(Exception):
    """A target set or changed for a monitoring-only indicator, which is never rated
    against one (removing one kept from before is allowed)."""

    def __init__(self, indicator: Indicator):
        self.indicator = indicator
        super().__init__(monitoring_only_words(indicator))


def monitoring_only_words(indicator: Indicator) -> str:
    """Why a monitoring-only indicator takes no target, as the target page, the admin and
    the import say it."""
    return (
        f"{indicator.code} is for monitoring only, so it cannot have a target: make lower or "
        "higher better for it first"
    )


def targets_kept_words(names: list[str]) -> str:
    """What becomes of the targets of indicators made monitoring only (named by code), as
    the admin and the import say it: kept, not refused, and left out of their figures
    (`selectors.partnership_figures`) until they are rated again."""
    if len(names) == 1:
        return (
            f"{names[0]} is for monitoring only: its targets are kept, but it is not measured "
            "against them unless lower or higher is made better for it again."
        )
    return (
        f"{joined(names)} are for monitoring only: their targets are kept, but they are not "
        "measured against them unless lower or higher is made better for them again."
    )


def _check_not_monitored(indicator: Indicator) -> None:
    if indicator.polarity == Indicator.Polarity.MONITOR:
        raise TargetMonitored(indicator)


def target_locked_by(indicator: Indicator, financial_year: int) -> TargetLock | None:
    """Why this year's target changes only with a reason, or None: a published report
    showed the indicator for the year, rating it against the year's target or showing it
    with none. Either way the year is frozen: its first target too needs a reason, as the
    next report lists it as a revision."""
    from reports.selectors import locked_target_years, printed_target  # reports build on us

    frozen = locked_target_years(indicator).get(financial_year)
    if frozen is None:
        return None
    return TargetLock(frozen.title, printed_target(frozen, indicator.pk))


def _check_target_locked(indicator: Indicator, financial_year: int, reason: str) -> None:
    if reason.strip():
        return
    lock = target_locked_by(indicator, financial_year)
    if lock is not None:
        raise TargetLocked(indicator, financial_year, lock)


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


def _decide(entry: FigureInput, current: Actual | None) -> concurrency.Outcome:
    stored = Figure.of(current)
    if entry.shown is None:  # no page to be stale: write whatever is different
        return (
            concurrency.Outcome.ALREADY if stored.same(entry.figure) else concurrency.Outcome.WRITE
        )
    return concurrency.decide(
        shown=entry.shown, posted=entry.figure, stored=stored, same=Figure.same
    )


def _conflict(entry: FigureInput, current: Actual | None) -> Conflict:
    if current is not None:
        by = current.entered_by
    else:  # removed: the audit says by whom
        last = (
            FigureChange.objects.filter(
                indicator=entry.indicator, subject=FigureChange.Subject.ACTUAL, period=entry.period
            )
            .select_related("changed_by")
            .order_by("-changed_at", "-pk")
            .first()
        )
        by = last.changed_by if last else None
    return Conflict(entry.indicator, entry.period, current, by)


def _insert(entry: FigureInput, by: User | None) -> Actual | None:
    """Add a figure where none was stored; None if another session added it first.

    There was no row to lock, so two people can add the same figure at once: the
    savepoint lets the loser's transaction go on, to decide again against the winner's.
    """
    actual = _new_actual(entry, by)
    _check_fields(actual)
    try:
        with transaction.atomic():
            actual.save()
    except IntegrityError:
        if not Actual.objects.filter(indicator=entry.indicator, period=entry.period).exists():
            raise  # another constraint: a fault, not a race
        return None
    return actual


def _new_actual(entry: FigureInput, by: User | None) -> Actual:
    return Actual(
        indicator=entry.indicator,
        period=entry.period,
        value=entry.value,
        numerator=entry.numerator,
        denominator=entry.denominator,
        entered_by=by,
    )


def _insert_all(entries: list[FigureInput], by: User | None) -> dict:
    """Add these figures in one INSERT, keyed by (indicator pk, period); empty if another
    session added one of them first (each is then added on its own, by ``_insert``)."""
    actuals = [_new_actual(entry, by) for entry in entries if entry.value is not None]
    if len(actuals) < 2:
        return {}
    for actual in actuals:
        _check_fields(actual)
    try:
        with transaction.atomic():
            Actual.objects.bulk_create(actuals)
    except IntegrityError:
        return {}
    # bulk_create sends no signals.
    data_version.data_changed(indicator_ids={actual.indicator_id for actual in actuals})
    return {(actual.indicator_id, actual.period): actual for actual in actuals}


@transaction.atomic
@data_version.batched()
def actuals_save(
    *, entries: list[FigureInput], by: User | None, reason: str = "", source: str = "form"
) -> SaveResult:
    """Write the figures that changed; all or nothing.

    Entries carry the figure their page showed: raises FigureConflict, writing nothing,
    when someone else changed a figure since then and this submission would change it
    too (see csp_portal/core/concurrency.py). A blank value removes a figure: a missing
    period is missing, never zero.
    """
    result = SaveResult()
    if not entries:
        return result
    existing = _locked_actuals([(entry.indicator, entry.period) for entry in entries])
    plan: list[tuple[FigureInput, Actual | None]] = []
    clashes: list[tuple[FigureInput, Actual | None]] = []
    for entry in entries:
        current = existing.get((entry.indicator.pk, entry.period))
        outcome = _decide(entry, current)
        if outcome is concurrency.Outcome.ALREADY:
            result.unchanged += 1
        elif outcome is concurrency.Outcome.CONFLICT:
            result.conflicts.append(_conflict(entry, current))
            clashes.append((entry, current))
        else:
            plan.append((entry, current))
    if result.conflicts:
        # Saving again writes the clashing figures too: a reason they need is asked for
        # now, not on that save.
        raise FigureConflict(result.conflicts, locked=_lock_of(plan + clashes, reason))
    _check_locked(plan, reason)

    added = _insert_all([entry for entry, current in plan if current is None], by)
    changes = []
    for entry, current in plan:
        old = actual_snapshot(current)
        if entry.value is None:
            current.delete()
            result.deleted += 1
            new = None
        elif current is None:
            created = added.get((entry.indicator.pk, entry.period)) or _insert(entry, by)
            if created is None:
                # Lost the race to add it: theirs is now stored, and locked for us.
                [theirs] = _locked_actuals([(entry.indicator, entry.period)]).values()
                outcome = _decide(entry, theirs)
                if outcome is concurrency.Outcome.ALREADY:
                    result.unchanged += 1
                    continue
                if outcome is concurrency.Outcome.CONFLICT:
                    result.conflicts.append(_conflict(entry, theirs))
                    continue
                old, current = actual_snapshot(theirs), theirs
                _update(current, entry, by)
                result.updated += 1
            else:
                result.created += 1
                current = created
            new = actual_snapshot(current)
        else:
            _update(current, entry, by)
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
    if result.conflicts:
        raise FigureConflict(result.conflicts)  # rolls back what was written above
    FigureChange.objects.bulk_create(changes)
    return result


def _locked_actuals(places: list[tuple[Indicator, datetime.date]]) -> dict:
    """The stored figures at these places, locked until the transaction ends."""
    lookup = Q()
    for indicator, period in places:
        lookup |= Q(indicator=indicator, period=period)
    return {
        (a.indicator_id, a.period): a
        # Own order only: a join (the default ordering) would lock indicators too, and one
        # order for everyone keeps two sessions from locking in turn and deadlocking.
        for a in Actual.objects.select_for_update().filter(lookup).order_by("pk")
    }


def _update(actual: Actual, entry: FigureInput, by: User | None) -> None:
    actual.value = entry.value
    actual.numerator = entry.numerator
    actual.denominator = entry.denominator
    actual.entered_by = by
    actual.version += 1
    _check_fields(actual)
    actual.save()


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
@data_version.batched()
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
        return target, "unchanged"  # one kept from before (an export read back) too
    _check_not_monitored(indicator)  # first: no reason would let it be set
    _check_target_locked(indicator, financial_year, reason)  # before any write
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

    @classmethod
    def of(cls, target: Target) -> "TargetRow":
        return cls(target.kind, target.value, target.baseline_year, target.period)


def same_rows(a: list[TargetRow], b: list[TargetRow]) -> bool:
    """The same target: the same rows, numbers equal as numbers (35 is 35.0)."""
    return set(a) == set(b)


class TargetConflict(Exception):
    """Someone else changed the year's target after the form was opened; nothing was written.

    ``current``: the year's target rows as stored now; ``by``: who changed it last, if known.
    """

    def __init__(self, current: list[Target], by: User | None):
        super().__init__("target changed by someone else")
        self.current, self.by = current, by


@transaction.atomic
@data_version.batched()
def targets_replace(
    *,
    indicator: Indicator,
    financial_year: int,
    rows: list[TargetRow],
    by: User | None,
    reason: str = "",
    source: str = "form",
    shown: list[TargetRow] | None = None,
    same: Callable[[list[TargetRow], list[TargetRow]], bool] = same_rows,
) -> int:
    """Make a year's target exactly these rows (none: no target), audited; the number changed.

    shown: the target the form showed (csp_portal/core/concurrency.py), the year's target as
    one value: left as shown, nothing is written, whoever changed it since; changed, and
    someone else changed it too since the page was built, TargetConflict and nothing is
    written. None writes without that check. same: whether two targets are the same, as
    the form compares them.
    """
    existing = {
        t.period: t
        for t in Target.objects.select_for_update().filter(
            indicator=indicator, financial_year=financial_year
        )
    }
    if shown is not None:
        if same(rows, shown):
            return 0
        stored = [TargetRow.of(t) for t in existing.values()]
        outcome = concurrency.decide(shown=shown, posted=rows, stored=stored, same=same)
        if outcome is concurrency.Outcome.ALREADY:
            return 0
        if outcome is concurrency.Outcome.CONFLICT:
            raise TargetConflict(
                list(existing.values()), _target_changed_by(indicator, financial_year)
            )
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
        _check_not_monitored(indicator)  # removing is allowed; a refusal takes that back
        target.save()
        changes.append(_target_change(target, old, target_snapshot(target), **audit))
    if changes:  # after the writes: a refusal takes them back
        _check_target_locked(indicator, financial_year, reason)
    FigureChange.objects.bulk_create(changes)
    return len(changes)


def _target_changed_by(indicator: Indicator, financial_year: int) -> User | None:
    """Who last changed the year's target, as its history records it."""
    last = (
        FigureChange.objects.filter(
            indicator=indicator,
            subject=FigureChange.Subject.TARGET,
            financial_year=financial_year,
        )
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
        .first()
    )
    return last.changed_by if last else None


def spc_snapshot(setting: SpcSetting | None) -> dict:
    """SPC settings as the audit trail records them (no row reads as the defaults)."""
    if setting is None:
        setting = SpcSetting()
    return {
        "baseline_start": setting.baseline_start.isoformat() if setting.baseline_start else None,
        "baseline_end": setting.baseline_end.isoformat() if setting.baseline_end else None,
        "recalculate_from": sorted(setting.recalculate_from or []),
        "run_length": setting.run_length,
    }


@transaction.atomic
def spc_setting_save(
    *,
    indicator: Indicator,
    baseline_start: datetime.date | None,
    baseline_end: datetime.date | None,
    recalculate_from: list[datetime.date],
    run_length: int,
    by: User | None,
    reason: str = "",
) -> bool:
    """Store an indicator's SPC settings, audited; False (nothing written) if unchanged."""
    current = SpcSetting.objects.select_for_update().filter(indicator=indicator).first()
    old = spc_snapshot(current)
    setting = current or SpcSetting(indicator=indicator)
    setting.baseline_start, setting.baseline_end = baseline_start, baseline_end
    setting.recalculate_from = sorted({m.isoformat() for m in recalculate_from})
    setting.run_length = run_length
    setting.full_clean()
    new = spc_snapshot(setting)
    if new == old:
        return False
    setting.save()
    FigureChange.objects.create(
        indicator=indicator,
        subject=FigureChange.Subject.SPC,
        old=old,
        new=new,
        reason=reason,
        source="form",
        changed_by=by,
    )
    return True
