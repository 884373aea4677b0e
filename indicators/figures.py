"""Every number a performance report shows, worked out from an indicator's actuals.

Pure functions over plain series (``Mapping[date, Point]``): no ORM, no formatting, no
rounding. A month missing from a series is a missing figure, never a zero. A quarterly
indicator stores each quarter's actual at the quarter's first month.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

from indicators.periods import (
    add_months,
    financial_year_of,
    fy_label,
    fy_months,
    month_start,
    months_to_date,
    previous_quarter,
    quarter_months,
    quarter_of,
)

__all__ = [
    "DIRECTIONS",
    "FREQUENCIES",
    "MEASURES",
    "POLARITIES",
    "STATUSES",
    "TARGET_KINDS",
    "Figures",
    "IndicatorSpec",
    "Point",
    "Series",
    "SpcLimits",
    "TargetSpec",
    "compute",
    "point_value",
    "series_of",
    "spc_limits",
]

POLARITIES = ("lower", "higher", "monitor")
MEASURES = ("count", "percentage", "rate", "snapshot")
LEVEL_MEASURES = ("percentage", "rate", "snapshot")
FREQUENCIES = ("monthly", "quarterly")
TARGET_KINDS = ("annual", "change_pct", "cumulative")
STATUSES = ("green", "amber", "red", "none")
DIRECTIONS = ("improving", "deteriorating", "stable", "none")

HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)
# The XmR constant: 3 / d2, with d2 = 1.128 for moving ranges of two points.
XMR_SCALE = Decimal("2.66")
SPC_WINDOW = 24
SPC_MIN_POINTS = 12


def _to_decimal(value: object, name: str) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    # bool is an int subclass; a True/False figure is a bug upstream, not a 1 or 0.
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(value)
    # Floats are refused: binary fractions would leak into figures that must add up exactly.
    raise TypeError(f"{name} must be a Decimal, int or str, not {type(value).__name__}")


@dataclass(frozen=True)
class Point:
    """One actual: the value entered for a period, with its numerator and denominator if any."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    def __post_init__(self) -> None:
        for name in ("value", "numerator", "denominator"):
            object.__setattr__(self, name, _to_decimal(getattr(self, name), name))


@dataclass(frozen=True)
class IndicatorSpec:
    """What an indicator measures, which way is better, and its amber and stable bands."""

    polarity: str
    measure: str
    frequency: str = "monthly"
    tolerance_pct: Decimal = Decimal(5)
    stability_pct: Decimal = Decimal(1)
    fy_start_month: int = 4

    def __post_init__(self) -> None:
        _check_choice("polarity", self.polarity, POLARITIES)
        _check_choice("measure", self.measure, MEASURES)
        _check_choice("frequency", self.frequency, FREQUENCIES)
        if not 1 <= self.fy_start_month <= 12:
            raise ValueError(f"fy_start_month must be 1 to 12, not {self.fy_start_month!r}")
        for name in ("tolerance_pct", "stability_pct"):
            number = _to_decimal(getattr(self, name), name)
            if number is None or number < 0:
                raise ValueError(f"{name} must be a number of at least 0")
            object.__setattr__(self, name, number)


@dataclass(frozen=True)
class TargetSpec:
    """A target: an annual figure, a % change on a baseline year, or a cumulative profile."""

    kind: str
    value: Decimal | None = None
    baseline_year: int | None = None
    profile: Mapping[date, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_choice("kind", self.kind, TARGET_KINDS)
        object.__setattr__(self, "value", _to_decimal(self.value, "value"))
        if self.kind == "change_pct" and self.baseline_year is None:
            raise ValueError("a change_pct target needs a baseline_year")
        profile = {month_start(m): _to_decimal(v, "profile value") for m, v in self.profile.items()}
        object.__setattr__(self, "profile", profile)


def _check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


Series = Mapping[date, Point]
Pair = tuple[date, Decimal | None]


@dataclass(frozen=True)
class SpcLimits:
    """XmR control limits: the mean and mean plus or minus 2.66 times the mean moving range."""

    mean: Decimal
    lower: Decimal
    upper: Decimal
    points: int


@dataclass(frozen=True)
class Figures:
    """The figures for one indicator and reporting period; Decimals unrounded, None if unknown."""

    period: date
    financial_year: str
    value: Decimal | None
    last_year_value: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None
    ytd: Decimal | None
    ytd_last_year: Decimal | None
    ytd_change: Decimal | None
    ytd_change_pct: Decimal | None
    quarter: int
    quarter_value: Decimal | None
    quarter_last_year: Decimal | None
    annual_target: Decimal | None
    target_to_date: Decimal | None
    target_gap: Decimal | None
    required_monthly_average: Decimal | None
    forecast: Decimal | None
    status: str
    direction: str
    # Beyond the core list: what the commentary, charts and data-quality notes need.
    fy_start: date
    months_elapsed: int
    months_remaining: int
    # The periods the year to date adds up; last year is compared over exactly these.
    ytd_periods: tuple[date, ...]
    ytd_end: date | None
    # Overdue periods with no figure: shown as gaps and named in the commentary, never zero.
    missing_periods: tuple[date, ...]
    # Percentages change in percentage points, which the commentary must say.
    change_is_points: bool
    # A ratio year to date needs every month's numerator and denominator; flagged when absent.
    ratio_parts_missing: bool
    numerator: Decimal | None
    denominator: Decimal | None
    ytd_numerator: Decimal | None
    ytd_denominator: Decimal | None
    quarter_complete: bool
    quarter_change: Decimal | None
    quarter_change_pct: Decimal | None
    quarter_previous: Decimal | None
    quarter_previous_change: Decimal | None
    quarter_previous_change_pct: Decimal | None
    within_normal_variation: bool | None
    spc_mean: Decimal | None
    spc_lower: Decimal | None
    spc_upper: Decimal | None
    spc_points: int
    # Chart series, one entry per stored period of the year (12 months or 4 quarters).
    this_year: tuple[Pair, ...]
    last_year: tuple[Pair, ...]
    cumulative_this_year: tuple[Pair, ...]
    # The target path as planned, so it does not bend around this year's gaps.
    cumulative_target: tuple[Pair, ...]


def point_value(point: Point | None, measure: str) -> Decimal | None:
    """A point's figure: a ratio of its parts for percentages (x 100) and rates (x 1,000)."""
    if point is None:
        return None
    scale = {"percentage": HUNDRED, "rate": THOUSAND}.get(measure)
    if scale is not None and point.numerator is not None and point.denominator:
        return point.numerator / point.denominator * scale
    return point.value


def series_of(values: Mapping[date, Decimal | int | str | None]) -> dict[date, Point]:
    """A series of plain values; a None value leaves the month out (missing, not zero)."""
    return {
        month_start(m): Point(_to_decimal(v, "value")) for m, v in values.items() if v is not None
    }


def _normalise(series: Series) -> dict[date, Point]:
    result: dict[date, Point] = {}
    for key, point in series.items():
        month = month_start(key)
        if month in result:
            raise ValueError(f"two actuals fall in the same month {month.isoformat()}")
        result[month] = point
    return result


def _change_pct(change: Decimal | None, base: Decimal | None) -> Decimal | None:
    if change is None or base is None or base == 0:
        return None
    return change / base * HUNDRED


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


class _Calc:
    """The working state of one computation: the series read through the spec's rules."""

    def __init__(self, spec: IndicatorSpec, series: Series) -> None:
        self.spec = spec
        self.series = _normalise(series)
        self.step = 1 if spec.frequency == "monthly" else 3
        # Each period's figure, worked out once: the aggregates read them many times.
        self.values = {
            slot: value
            for slot, point in self.series.items()
            if (value := point_value(point, spec.measure)) is not None
        }

    def slots(self, year: int) -> list[date]:
        """The periods of a financial year at which actuals are stored."""
        return fy_months(year, self.spec.fy_start_month)[:: self.step]

    def slot_of(self, month: date) -> date:
        """The stored period whose span contains ``month``."""
        if self.step == 1:
            return month
        year = financial_year_of(month, self.spec.fy_start_month)
        return quarter_months(
            year, quarter_of(month, self.spec.fy_start_month), self.spec.fy_start_month
        )[0]

    def slot_end(self, slot: date) -> date:
        """The last month a stored period covers."""
        return add_months(slot, self.step - 1)

    def value(self, slot: date) -> Decimal | None:
        """The figure at a stored period, None where it is missing."""
        return self.values.get(slot)

    def present(self, slot: date) -> bool:
        """Whether a stored period has a figure."""
        return slot in self.values

    def aggregate(self, slots: Sequence[date]) -> Decimal | None:
        """The combined figure over periods that all have figures (None if any lack one)."""
        if not slots or not all(self.present(s) for s in slots):
            return None
        if len(slots) == 1:
            return self.value(slots[0])
        measure = self.spec.measure
        if measure == "count":
            return sum((v for s in slots if (v := self.value(s)) is not None), Decimal(0))
        if measure == "snapshot":
            return self.value(slots[-1])
        parts = self.parts(slots)
        if parts is None or parts[1] == 0:
            return None
        scale = HUNDRED if measure == "percentage" else THOUSAND
        return parts[0] / parts[1] * scale

    def parts(self, slots: Sequence[date]) -> tuple[Decimal, Decimal] | None:
        """Summed numerators and denominators, None unless every period has both."""
        numerator = denominator = Decimal(0)
        for slot in slots:
            point = self.series.get(slot)
            if point is None or point.numerator is None or point.denominator is None:
                return None
            numerator += point.numerator
            denominator += point.denominator
        return (numerator, denominator) if slots else None

    def shifted(self, slots: Sequence[date], years: int) -> list[date]:
        """The same periods ``years`` financial years later (earlier if negative)."""
        return [add_months(s, 12 * years) for s in slots]

    def year_complete(self, year: int) -> bool:
        """Whether every stored period of a financial year has a figure."""
        return all(self.present(s) for s in self.slots(year))

    def like_for_like(self, slots: Sequence[date], years: int) -> Decimal | None:
        """The combined figure for the same periods in another year, None if it lacks any."""
        return self.aggregate(self.shifted(slots, years)) if slots else None


def compute(
    spec: IndicatorSpec,
    series: Series,
    period: date,
    target: TargetSpec | None = None,
) -> Figures:
    """All the figures for ``period`` from an indicator's actuals (all years) and target."""
    calc = _Calc(spec, series)
    start_month = spec.fy_start_month
    period = month_start(period)
    year = financial_year_of(period, start_month)
    year_slots = calc.slots(year)
    to_date = [s for s in year_slots if s <= period]
    covered = [s for s in to_date if calc.present(s)]
    # A quarter still under way is not yet overdue, so it is not reported as missing.
    missing = tuple(s for s in to_date if not calc.present(s) and calc.slot_end(s) <= period)
    due_or_covered = [s for s in to_date if s in covered or calc.slot_end(s) <= period]
    ytd_end = calc.slot_end(due_or_covered[-1]) if due_or_covered else None
    elapsed = len(months_to_date(period, start_month))

    slot = calc.slot_of(period)
    value = calc.value(slot)
    last_year_value = calc.value(add_months(slot, -12))
    change = _minus(value, last_year_value)

    ytd = calc.aggregate(covered)
    # Like for like: last year counts only the periods this year has figures for.
    ytd_last_year = calc.like_for_like(covered, -1)
    ytd_change = _minus(ytd, ytd_last_year)
    ytd_change_pct = _change_pct(ytd_change, ytd_last_year)
    ratio_parts_missing = (
        spec.measure in ("percentage", "rate") and len(covered) > 1 and calc.parts(covered) is None
    )
    ytd_parts = calc.parts(covered) if spec.measure in ("percentage", "rate") else None
    point = calc.series.get(slot)

    quarter = _quarter_figures(calc, year, period)
    annual_target, target_to_date = _targets(calc, target, year, covered, to_date)
    target_gap = _minus(ytd, target_to_date)

    remaining_after_ytd = (
        sum(1 for m in fy_months(year, start_month) if m > ytd_end) if ytd_end else 0
    )
    required = None
    if (
        spec.measure == "count"
        and annual_target is not None
        and ytd is not None
        and not missing
        and remaining_after_ytd > 0
    ):
        required = (annual_target - ytd) / remaining_after_ytd

    spc = spc_limits(
        [(s, calc.value(s)) for s in _slots_before(slot, calc.step, SPC_WINDOW)],
        step=calc.step,
    )
    within = None
    if spc is not None and value is not None:
        within = spc.lower <= value <= spc.upper

    return Figures(
        period=period,
        financial_year=fy_label(year, start_month),
        value=value,
        last_year_value=last_year_value,
        change=change,
        change_pct=_change_pct(change, last_year_value),
        ytd=ytd,
        ytd_last_year=ytd_last_year,
        ytd_change=ytd_change,
        ytd_change_pct=ytd_change_pct,
        quarter=quarter_of(period, start_month),
        quarter_value=quarter.value,
        quarter_last_year=quarter.last_year,
        annual_target=annual_target,
        target_to_date=target_to_date,
        target_gap=target_gap,
        required_monthly_average=required,
        forecast=_forecast(calc, year, covered, ytd),
        status=_status(spec, ytd, target_to_date),
        direction=_direction(spec, ytd_change, ytd_change_pct),
        fy_start=year_slots[0],
        months_elapsed=elapsed,
        months_remaining=12 - elapsed,
        ytd_periods=tuple(covered),
        ytd_end=ytd_end,
        missing_periods=missing,
        change_is_points=spec.measure == "percentage",
        ratio_parts_missing=ratio_parts_missing,
        numerator=point.numerator if point is not None else None,
        denominator=point.denominator if point is not None else None,
        ytd_numerator=ytd_parts[0] if ytd_parts else None,
        ytd_denominator=ytd_parts[1] if ytd_parts else None,
        quarter_complete=quarter.complete,
        quarter_change=quarter.change,
        quarter_change_pct=quarter.change_pct,
        quarter_previous=quarter.previous,
        quarter_previous_change=quarter.previous_change,
        quarter_previous_change_pct=quarter.previous_change_pct,
        within_normal_variation=within,
        spc_mean=spc.mean if spc else None,
        spc_lower=spc.lower if spc else None,
        spc_upper=spc.upper if spc else None,
        spc_points=spc.points if spc else 0,
        this_year=tuple((s, calc.value(s) if s <= period else None) for s in year_slots),
        last_year=tuple((s, calc.value(s)) for s in calc.slots(year - 1)),
        cumulative_this_year=tuple(
            (s, calc.aggregate([c for c in covered if c <= s]) if s in covered else None)
            for s in year_slots
        ),
        cumulative_target=tuple(
            (s, _targets(calc, target, year, year_slots[: i + 1], year_slots[: i + 1])[1])
            for i, s in enumerate(year_slots)
        ),
    )


def _slots_before(slot: date, step: int, count: int) -> list[date]:
    """The ``count`` stored periods immediately before ``slot``."""
    return [add_months(slot, -step * k) for k in range(1, count + 1)]


@dataclass(frozen=True)
class _Quarter:
    """The reporting quarter so far, against last year's same months and the previous quarter."""

    value: Decimal | None
    last_year: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None
    complete: bool
    previous: Decimal | None
    previous_change: Decimal | None
    previous_change_pct: Decimal | None


def _quarter_figures(calc: _Calc, year: int, period: date) -> _Quarter:
    """The period's quarter so far against the same months last year and the whole last quarter."""
    start_month = calc.spec.fy_start_month
    number = quarter_of(period, start_month)
    months = quarter_months(year, number, start_month)
    in_quarter = [s for s in calc.slots(year) if months[0] <= s <= months[-1]]
    so_far = [s for s in in_quarter if s <= period and calc.present(s)]
    complete = calc.slot_end(in_quarter[-1]) <= period and all(calc.present(s) for s in in_quarter)

    value = calc.aggregate(so_far)
    last_year = calc.like_for_like(so_far, -1)
    change = _minus(value, last_year)

    prev_year, prev_number = previous_quarter(year, number)
    prev_months = quarter_months(prev_year, prev_number, start_month)
    previous = calc.aggregate(
        [s for s in calc.slots(prev_year) if prev_months[0] <= s <= prev_months[-1]]
    )
    # Part of a quarter's count against a whole quarter's count would read as a fall.
    comparable = complete or calc.spec.measure in LEVEL_MEASURES
    previous_change = _minus(value, previous) if comparable else None
    return _Quarter(
        value=value,
        last_year=last_year,
        change=change,
        change_pct=_change_pct(change, last_year),
        complete=complete,
        previous=previous,
        previous_change=previous_change,
        previous_change_pct=_change_pct(previous_change, previous),
    )


def _targets(
    calc: _Calc,
    target: TargetSpec | None,
    year: int,
    covered: Sequence[date],
    to_date: Sequence[date],
) -> tuple[Decimal | None, Decimal | None]:
    """The annual target and the target to date T for the periods the year to date covers."""
    if target is None or not covered:
        return _annual_target(calc, target, year), None
    annual = _annual_target(calc, target, year)
    measure = calc.spec.measure
    if target.kind == "cumulative":
        return annual, _profile_to_date(calc, target.profile, year, covered, to_date)
    if target.kind == "change_pct":
        if target.value is None or target.baseline_year is None:
            return annual, None
        base = calc.like_for_like(covered, target.baseline_year - year)
        return annual, None if base is None else base * (1 + target.value / HUNDRED)
    if annual is None:
        return None, None
    if measure in LEVEL_MEASURES:
        return annual, annual
    previous = calc.slots(year - 1)
    if calc.year_complete(year - 1):
        total = calc.aggregate(previous)
        same = calc.like_for_like(covered, -1)
        if total and same is not None:
            return annual, annual * same / total
    return annual, annual * len(covered) / len(calc.slots(year))


def _annual_target(calc: _Calc, target: TargetSpec | None, year: int) -> Decimal | None:
    """The target for the whole financial year."""
    if target is None:
        return None
    if target.kind == "annual":
        return target.value
    if target.kind == "cumulative":
        return target.profile.get(calc.slots(year)[-1])
    if target.value is None or target.baseline_year is None:
        return None
    base = calc.aggregate(calc.slots(target.baseline_year))
    return None if base is None else base * (1 + target.value / HUNDRED)


def _profile_to_date(
    calc: _Calc,
    profile: Mapping[date, Decimal],
    year: int,
    covered: Sequence[date],
    to_date: Sequence[date],
) -> Decimal | None:
    """A cumulative profile's target to date, leaving out the steps of any missing periods."""
    if calc.spec.measure in LEVEL_MEASURES or list(covered) == list(to_date):
        return profile.get(to_date[-1])
    # A count with gaps: add up the profile's own step for each period that has a figure, so a
    # missing month lowers the target as it lowers the actual.
    slots = calc.slots(year)
    total = Decimal(0)
    for slot in covered:
        index = slots.index(slot)
        here = profile.get(slot)
        before = profile.get(slots[index - 1]) if index else Decimal(0)
        if here is None or before is None:
            return None
        total += here - before
    return total


def _forecast(
    calc: _Calc, year: int, covered: Sequence[date], ytd: Decimal | None
) -> Decimal | None:
    """The expected year-end figure: a count scaled up by last year's pattern, else the level."""
    if ytd is None:
        return None
    if calc.spec.measure in LEVEL_MEASURES:
        return ytd
    if calc.year_complete(year - 1):
        total = calc.aggregate(calc.slots(year - 1))
        same = calc.like_for_like(covered, -1)
        if total is not None and same:
            return ytd * total / same
    return ytd / len(covered) * len(calc.slots(year))


def _status(spec: IndicatorSpec, ytd: Decimal | None, target: Decimal | None) -> str:
    """Green when the year to date meets T, amber within the tolerance of T, red beyond it."""
    if spec.polarity == "monitor" or ytd is None or target is None:
        return "none"
    band = target * spec.tolerance_pct / HUNDRED
    if spec.polarity == "lower":
        return "green" if ytd <= target else "amber" if ytd <= target + band else "red"
    return "green" if ytd >= target else "amber" if ytd >= target - band else "red"


def _direction(
    spec: IndicatorSpec, ytd_change: Decimal | None, ytd_change_pct: Decimal | None
) -> str:
    """Year to date against last year: stable within the band, else better or worse by polarity."""
    if spec.polarity == "monitor" or ytd_change is None:
        return "none"
    # Percentages move in points; everything else moves by a share of last year's figure.
    if spec.measure == "percentage":
        if abs(ytd_change) <= spec.stability_pct:
            return "stable"
    elif ytd_change == 0 or (
        ytd_change_pct is not None and abs(ytd_change_pct) <= spec.stability_pct
    ):
        return "stable"
    better = ytd_change < 0 if spec.polarity == "lower" else ytd_change > 0
    return "improving" if better else "deteriorating"


def spc_limits(history: Sequence[tuple[date, Decimal | None]], step: int = 1) -> SpcLimits | None:
    """XmR limits from past figures (None below 12 points or without two adjacent figures)."""
    points = sorted((m, v) for m, v in history if v is not None)
    if len(points) < SPC_MIN_POINTS:
        return None
    mean = sum((v for _, v in points), Decimal(0)) / len(points)
    # Only neighbouring periods give a moving range; one across a gap would overstate the noise.
    ranges = [
        abs(later - earlier)
        for (month, earlier), (next_month, later) in pairwise(points)
        if add_months(month, step) == next_month
    ]
    if not ranges:
        return None
    spread = XMR_SCALE * sum(ranges, Decimal(0)) / len(ranges)
    return SpcLimits(mean=mean, lower=mean - spread, upper=mean + spread, points=len(points))


# What a report needs beyond one indicator's Figures: kept here so reports do no arithmetic.


@dataclass(frozen=True)
class MonthRow:
    """One period of the year as seed 002 tables it."""

    period: date
    last_year: Decimal | None
    this_year: Decimal | None
    change: Decimal | None
    cumulative: Decimal | None
    cumulative_target: Decimal | None


def month_rows(figures: Figures) -> tuple[MonthRow, ...]:
    """Each period of the year: last year, this year, change (this minus last), cumulatives."""
    return tuple(
        MonthRow(
            period=slot,
            last_year=last,
            this_year=this,
            change=_minus(this, last),
            cumulative=cumulative,
            cumulative_target=target,
        )
        for (slot, this), (_, last), (_, cumulative), (_, target) in zip(
            figures.this_year,
            figures.last_year,
            figures.cumulative_this_year,
            figures.cumulative_target,
            strict=True,
        )
    )


def direction_of(spec: IndicatorSpec, change: Decimal | None, change_pct: Decimal | None) -> str:
    """The direction of any change (a quarter's, say) by the same rule as the year to date."""
    return _direction(spec, change, change_pct)


def shares(counts: Mapping[str, int]) -> dict[str, Decimal | None]:
    """Each count as a percentage of their total; None when the total is zero."""
    total = sum(counts.values())
    return {
        key: (Decimal(count) / Decimal(total) * HUNDRED if total else None)
        for key, count in counts.items()
    }


def year_series(spec: IndicatorSpec, series: Series, year: int) -> tuple[Pair, ...]:
    """Each stored period of financial year ``year`` with its figure, None where missing."""
    calc = _Calc(spec, series)
    return tuple((slot, calc.value(slot)) for slot in calc.slots(year))


@dataclass(frozen=True)
class Rolling:
    """The twelve months to a period against the twelve months before them."""

    end: date
    current: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None


def rolling_twelve(spec: IndicatorSpec, series: Series, period: date) -> Rolling:
    """Rolling year to ``period`` and the year before it; None unless every period has a figure."""
    calc = _Calc(spec, series)
    last = calc.slot_of(month_start(period))
    slots = [add_months(last, -calc.step * k) for k in reversed(range(12 // calc.step))]
    current = calc.aggregate(slots)
    previous = calc.like_for_like(slots, -1)
    change = _minus(current, previous)
    return Rolling(
        end=last,
        current=current,
        previous=previous,
        change=change,
        change_pct=_change_pct(change, previous),
    )
