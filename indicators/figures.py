"""Every number a performance report shows, worked out from an indicator's actuals.

Pure functions over plain series (``Mapping[date, Point]``): no ORM, no formatting, no
rounding. A month missing from a series is a missing figure, never a zero. A quarterly
indicator stores each quarter's actual at the quarter's first month.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from itertools import accumulate, repeat
from typing import NamedTuple

from indicators import spc as spc_rules
from indicators.periods import (
    add_months,
    financial_year_of,
    fy_label,
    fy_months,
    fy_start,
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
    "SpcSettings",
    "TargetSpec",
    "compute",
    "point_value",
    "series_of",
    "spc_series",
    "stored_point",
]

POLARITIES = ("lower", "higher", "monitor")
MEASURES = ("count", "percentage", "rate", "snapshot")
LEVEL_MEASURES = ("percentage", "rate", "snapshot")
FREQUENCIES = ("monthly", "quarterly")
TARGET_KINDS = ("annual", "change_pct", "cumulative")
STATUSES = ("green", "amber", "red", "none")
DIRECTIONS = ("improving", "deteriorating", "stable", "none")

_ZERO = Decimal(0)
_UNKNOWN = object()
HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)
# The XmR chart looks back three years (36 months, 12 quarters) unless a baseline starts earlier.
SPC_WINDOW = 36
IMPROVEMENT = {"lower": "down", "higher": "up", "monitor": None}
# Process control decides "on the mean" and "on a limit" by equality, which needs exact
# figures. A ratio's quotient is not: 20 of 30 is 66.66...67 to Decimal's 28 digits, and the
# mean of 32 of them came out 66.66...684, so a flat 66.7% read as below its lower limit.
# Taken to 10 places a figure is exact, so are sums of it, and the mean of copies of it is
# itself. (A wider context: an absurd ratio too long for 28 digits at 10 places still fits.)
SPC_PLACES = Decimal(1).scaleb(-10)
_SPC_CONTEXT = Context(prec=60)


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


@dataclass(frozen=True, slots=True)
class Point:
    """One actual: the value entered for a period, with its numerator and denominator if any."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    def __post_init__(self) -> None:
        # Rows from the database are Decimals already (a dashboard builds tens of thousands):
        # only convert, and set, what is not.
        for name in ("value", "numerator", "denominator"):
            number = getattr(self, name)
            if number is not None and type(number) is not Decimal:
                object.__setattr__(self, name, _to_decimal(number, name))


_new = object.__new__
_set_value, _set_numerator, _set_denominator = (
    Point.value.__set__,  # type: ignore[attr-defined]
    Point.numerator.__set__,  # type: ignore[attr-defined]
    Point.denominator.__set__,  # type: ignore[attr-defined]
)


def stored_point(
    value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None
) -> Point:
    """A Point from numbers the database gave (Decimals or None), without Point's checks:
    a dashboard makes tens of thousands of them, and the checks cost twice the Point."""
    point = _new(Point)
    _set_value(point, value)
    _set_numerator(point, numerator)
    _set_denominator(point, denominator)
    return point


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
class SpcSettings:
    """An indicator's SPC settings: a fixed baseline, recalculation points, the run length."""

    baseline_start: date | None = None
    baseline_end: date | None = None
    recalculate_from: tuple[date, ...] = ()
    run_length: int = 6


DEFAULT_SPC = SpcSettings()


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
    # The last month the year to date covers: before the reporting month when it is missing.
    ytd_end: date | None
    # A gap before the year to date's last figure: it is then only a total of the periods with
    # figures, not the year so far, so it is given no target to date and no status.
    ytd_partial: bool
    # Overdue periods with no figure: shown as gaps and named in the commentary, never zero.
    missing_periods: tuple[date, ...]
    # Percentages change in percentage points, which the commentary must say.
    change_is_points: bool
    # A ratio year to date needs every month's numerator and denominator; flagged when absent.
    ratio_parts_missing: bool
    # A rate entered with no counts and populations at all: its year to date is the mean of
    # its periods' rates (the same as from the parts when the population is the same).
    ytd_rates_averaged: bool
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
    # The period process control judged: the year to date's last period with a figure (the
    # reporting period itself when it has one); None when the year has no figure yet.
    spc_period: date | None
    spc_mean: Decimal | None
    spc_lower: Decimal | None
    spc_upper: Decimal | None
    spc_points: int
    # Making Data Count: the reporting period's special cause (None if common cause), the
    # variation icon and assurance in words, and which test decided "within normal variation"
    # ("spc" from the XmR chart, "poisson" comparing two counts, None when untested).
    spc_signal: spc_rules.Signal | None
    spc_meaning: str | None
    variation: str | None
    assurance: str | None
    variation_test: str | None
    poisson_z: Decimal | None
    # Chart series, one entry per stored period of the year (12 months or 4 quarters).
    this_year: tuple[Pair, ...]
    last_year: tuple[Pair, ...]
    cumulative_this_year: tuple[Pair, ...]
    # The target path as planned, so it does not bend around this year's gaps.
    cumulative_target: tuple[Pair, ...]


_FIGURE_NAMES = frozenset(Figures.__dataclass_fields__)


def _figures(**fields: object) -> Figures:
    """Figures from every one of its fields: what the dataclass's __init__ does, without a
    frozen setattr per field (a third of the cost of a dashboard's figures)."""
    if fields.keys() != _FIGURE_NAMES:
        raise TypeError(f"Figures fields differ: {sorted(fields.keys() ^ _FIGURE_NAMES)}")
    made = object.__new__(Figures)
    made.__dict__.update(fields)
    return made


_SCALES = {"percentage": HUNDRED, "rate": THOUSAND}


def point_value(point: Point | None, measure: str) -> Decimal | None:
    """A point's figure: a ratio of its parts for percentages (x 100) and rates (x 1,000)."""
    if point is None:
        return None
    scale = _SCALES.get(measure)
    if scale is not None and point.numerator is not None and point.denominator:
        return point.numerator / point.denominator * scale
    return point.value


def series_of(values: Mapping[date, Decimal | int | str | None]) -> dict[date, Point]:
    """A series of plain values; a None value leaves the month out (missing, not zero)."""
    return {
        month_start(m): Point(_to_decimal(v, "value")) for m, v in values.items() if v is not None
    }


def _normalise(series: Series) -> Mapping[date, Point]:
    # The selectors give month starts already (one pass over the days, at C speed): only a
    # series keyed by other days is rebuilt, and only there can two keys share a month.
    if type(series) is dict and _MONTH_STARTS.issuperset(map(_day, series)):
        return series
    result: dict[date, Point] = {}
    for key, point in series.items():
        month = key if key.day == 1 else month_start(key)
        if month in result:
            raise ValueError(f"two actuals fall in the same month {month.isoformat()}")
        result[month] = point
    return result


_MONTH_STARTS = frozenset({1})
_value_of = operator.attrgetter("value")
_day = operator.attrgetter("day")


def _change_pct(change: Decimal | None, base: Decimal | None) -> Decimal | None:
    if change is None or base is None or base == 0:
        return None
    return change / base * HUNDRED


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


@dataclass(frozen=True)
class _Calendar:
    """The periods a computation reads for one reporting month: the same for every indicator
    of a partnership with the same frequency, so worked out once and shared."""

    year: int
    label: str
    year_slots: tuple[date, ...]
    previous_slots: tuple[date, ...]
    to_date: tuple[date, ...]
    slot: date
    slot_last_year: date
    elapsed: int
    # Per period to date: its last month, and whether it is overdue by the reporting month.
    ends: dict[date, date]
    quarter: int
    in_quarter: tuple[date, ...]
    previous_quarter: tuple[date, ...]
    year_months: tuple[date, ...]
    # Per month of the year: how many months of the year come after it.
    remaining_after: dict[date, int]


@functools.lru_cache(maxsize=512)
def _year_slots(year: int, start_month: int, step: int) -> tuple[date, ...]:
    """The periods of a financial year at which actuals of a frequency are stored."""
    return tuple(fy_months(year, start_month)[::step])


@functools.lru_cache(maxsize=512)
def _calendar(period: date, start_month: int, step: int) -> _Calendar:
    """The reporting calendar of ``period`` (a month start) for one frequency."""
    year = financial_year_of(period, start_month)
    months = fy_months(year, start_month)
    year_slots = _year_slots(year, start_month, step)
    to_date = tuple(s for s in year_slots if s <= period)
    if step == 1:
        slot = period
    else:
        slot = quarter_months(year, quarter_of(period, start_month), start_month)[0]
    number = quarter_of(period, start_month)
    quarter = quarter_months(year, number, start_month)
    prev_year, prev_number = previous_quarter(year, number)
    prev_months = quarter_months(prev_year, prev_number, start_month)
    previous_slots = _year_slots(year - 1, start_month, step)
    return _Calendar(
        year=year,
        label=fy_label(year, start_month),
        year_slots=year_slots,
        previous_slots=previous_slots,
        to_date=to_date,
        slot=slot,
        slot_last_year=add_months(slot, -12),
        elapsed=len(months_to_date(period, start_month)),
        ends={s: add_months(s, step - 1) for s in year_slots},
        quarter=number,
        in_quarter=tuple(s for s in year_slots if quarter[0] <= s <= quarter[-1]),
        previous_quarter=tuple(
            s
            for s in (year_slots if prev_year == year else previous_slots)
            if prev_months[0] <= s <= prev_months[-1]
        ),
        year_months=tuple(months),
        remaining_after={m: len(months) - i - 1 for i, m in enumerate(months)},
    )


@functools.lru_cache(maxsize=1024)
def _shifted(slots: tuple[date, ...], years: int) -> tuple[date, ...]:
    # Every indicator of a partnership shifts the same periods: worked out once.
    return tuple(add_months(s, 12 * years) for s in slots)


class Calc:
    """The working state of one computation: the series read through the spec's rules."""

    def __init__(self, spec: IndicatorSpec, series: Series) -> None:
        self.spec = spec
        self.series = _normalise(series)
        self.step = 1 if spec.frequency == "monthly" else 3
        # Each period's figure, worked out once: the aggregates read them many times.
        if spec.measure in _SCALES:
            self.values = {
                slot: value
                for slot, point in self.series.items()
                if (value := point_value(point, spec.measure)) is not None
            }
        else:
            # At C speed unless some point has no value (then those periods are left out).
            figures = list(map(_value_of, self.series.values()))
            if any(map(operator.is_, figures, repeat(None))):
                self.values = {
                    s: v for s, v in zip(self.series, figures, strict=True) if v is not None
                }
            else:
                self.values = dict(zip(self.series, figures, strict=True))
        self._years: dict[int, tuple[bool, Decimal | None]] = {}
        self._like: dict[tuple[tuple[date, ...], int], Decimal | None] = {}

    def forget(self, slot: date) -> None:
        """Leave out a period's figure: that of a quarter still under way at the reporting
        month. Entered once the quarter ends, it counts months after that month, so a
        report to November never counts October to December."""
        if slot in self.series:
            self.series = {s: p for s, p in self.series.items() if s != slot}
            self.values = {s: v for s, v in self.values.items() if s != slot}

    def slots(self, year: int) -> tuple[date, ...]:
        """The periods of a financial year at which actuals are stored."""
        return _year_slots(year, self.spec.fy_start_month, self.step)

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

    def last_ended(self, month: date) -> date:
        """The latest stored period that has ended by ``month`` (a quarter under way has not)."""
        slot = self.slot_of(month)
        return slot if self.slot_end(slot) <= month else add_months(slot, -self.step)

    def value(self, slot: date) -> Decimal | None:
        """The figure at a stored period, None where it is missing."""
        return self.values.get(slot)

    def spc_values(self, slots: Sequence[date]) -> list[Decimal | None]:
        """The figures at ``slots`` as process control reads them, None where missing: a
        ratio's to ``SPC_PLACES`` (a stored figure has 4 places, so is exact already)."""
        values = list(map(self.values.get, slots))
        if self.spec.measure not in _SCALES:
            return values
        return [None if v is None else v.quantize(SPC_PLACES, context=_SPC_CONTEXT) for v in values]

    def present(self, slot: date) -> bool:
        """Whether a stored period has a figure."""
        return slot in self.values

    def aggregate(self, slots: Sequence[date]) -> Decimal | None:
        """The combined figure over periods that all have figures (None if any lack one); a
        point-in-time level's is its last period's, which alone it needs."""
        values = self.values
        measure = self.spec.measure
        if measure == "snapshot":
            # A level at a moment: the periods before the last do not make it up, so a gap
            # among them takes nothing away (November against November a year earlier).
            return values.get(slots[-1]) if slots else None
        if not slots or not all(map(values.__contains__, slots)):
            return None
        if len(slots) == 1:
            return values[slots[0]]
        if measure == "count":
            return sum(map(values.__getitem__, slots), _ZERO)
        parts = self.parts(slots)
        if parts is None and measure == "rate" and self.without_parts(slots):
            return sum(map(values.__getitem__, slots), _ZERO) / len(slots)
        if parts is None or parts[1] == 0:
            return None
        scale = HUNDRED if measure == "percentage" else THOUSAND
        return parts[0] / parts[1] * scale

    def running(self, slots: Sequence[date]) -> list[Decimal | None]:
        """``aggregate(slots[:i + 1])`` for every i, in one pass."""
        values, series, measure = self.values, self.series, self.spec.measure
        if measure == "snapshot":
            return list(map(values.get, slots))  # each its own level, a gap before it or not
        # The usual case, a count with no gap: running sums at C speed. (Not ``None in``
        # a list of Decimals: each comparison with None costs an isinstance check.)
        if measure == "count" and all(map(values.__contains__, slots)):
            # As the loop below adds them: from zero, but the first period as it is.
            sums = list(accumulate(map(values.__getitem__, slots), initial=_ZERO))
            if len(sums) > 1:
                sums[1] = values[slots[0]]
            return sums[1:]
        out: list[Decimal | None] = []
        total = numerator = denominator = Decimal(0)
        whole = parts = True
        for index, slot in enumerate(slots):
            value = values.get(slot)
            whole = whole and value is not None
            point = series.get(slot)
            if point is None or point.numerator is None or point.denominator is None:
                parts = False
            elif parts:
                numerator += point.numerator
                denominator += point.denominator
            if not whole:
                out.append(None)
            elif index == 0:
                out.append(value)
                total += value
            elif measure == "count":
                total += value
                out.append(total)
            elif not parts and measure == "rate" and self.without_parts(slots[: index + 1]):
                total += value
                out.append(total / (index + 1))
            elif not parts or denominator == 0:
                out.append(None)
            else:
                scale = HUNDRED if measure == "percentage" else THOUSAND
                out.append(numerator / denominator * scale)
        return out

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

    def without_parts(self, slots: Sequence[date]) -> bool:
        """No period has a numerator or a denominator (a rate entered as rates alone)."""
        series = self.series
        return not any(
            point is not None and (point.numerator is not None or point.denominator is not None)
            for point in map(series.get, slots)
        )

    def shifted(self, slots: Sequence[date], years: int) -> tuple[date, ...]:
        """The same periods ``years`` financial years later (earlier if negative)."""
        return _shifted(slots if type(slots) is tuple else tuple(slots), years)

    def year_total(self, year: int) -> tuple[bool, Decimal | None]:
        """Whether a financial year has every figure, and its combined figure (that of a
        point-in-time level needs only the year's last period, as ``aggregate``)."""
        known = self._years.get(year)
        if known is None:
            slots = self.slots(year)
            complete = all(map(self.values.__contains__, slots))
            level = self.spec.measure == "snapshot"
            total = self.aggregate(slots) if complete or level else None
            known = self._years[year] = (complete, total)
        return known

    def like_for_like(self, slots: Sequence[date], years: int) -> Decimal | None:
        """The combined figure for the same periods in another year, None if it lacks any it
        needs (``aggregate``: a point-in-time level needs only the last)."""
        if not slots:
            return None
        key = (slots if type(slots) is tuple else tuple(slots), years)
        known = self._like.get(key, _UNKNOWN)
        if known is _UNKNOWN:
            known = self._like[key] = self.aggregate(self.shifted(key[0], years))
        return known


def compute(
    spec: IndicatorSpec,
    series: Series,
    period: date,
    target: TargetSpec | None = None,
    spc_settings: SpcSettings | None = None,
) -> Figures:
    """All the figures for ``period`` from an indicator's actuals (all years) and target."""
    calc = Calc(spec, series)
    start_month = spec.fy_start_month
    period = month_start(period)
    calendar = _calendar(period, start_month, calc.step)
    if calendar.ends[calendar.slot] > period:
        calc.forget(calendar.slot)
    values = calc.values
    year = calendar.year
    year_slots = calendar.year_slots
    to_date = calendar.to_date
    ends = calendar.ends
    if all(map(values.__contains__, to_date)):  # the usual case: no gap this year
        covered, missing = to_date, ()
    else:
        covered = tuple(s for s in to_date if s in values)
        # A quarter still under way is not yet overdue, so it is not reported as missing.
        missing = tuple(s for s in to_date if s not in values and ends[s] <= period)
    # A missing latest month is late data: the year to date runs to the last month with one.
    ytd_end = ends[covered[-1]] if covered else None
    ytd_partial = spec.measure != "snapshot" and covered != year_slots[: len(covered)]
    elapsed = calendar.elapsed

    slot = calendar.slot
    value = values.get(slot)
    last_year_value = values.get(calendar.slot_last_year)
    change = _minus(value, last_year_value)

    # The running year to date at each period this year has a figure for.
    running_ytd = calc.running(covered)
    running = dict(zip(covered, running_ytd, strict=True))
    # A count's year to date is the last running total (the same sum); else worked out.
    ytd = running_ytd[-1] if covered and spec.measure == "count" else calc.aggregate(covered)
    # Like for like: last year counts only the periods this year has figures for.
    ytd_last_year = calc.like_for_like(covered, -1)
    ytd_change = _minus(ytd, ytd_last_year)
    ytd_change_pct = _change_pct(ytd_change, ytd_last_year)
    ratio = spec.measure in ("percentage", "rate")
    ytd_parts = calc.parts(covered) if ratio else None
    rates_averaged = (
        spec.measure == "rate" and len(covered) > 1 and ytd_parts is None and ytd is not None
    )
    ratio_parts_missing = ratio and len(covered) > 1 and ytd_parts is None and not rates_averaged
    point = calc.series.get(slot)

    quarter = _quarter_figures(calc, calendar, period)
    annual_target, target_to_date = _targets(calc, target, year, covered, to_date)
    if ytd_partial:
        target_to_date = None
    target_gap = _minus(ytd, target_to_date)

    remaining_after_ytd = calendar.remaining_after[ytd_end] if ytd_end else 0
    required = None
    if (
        spec.measure == "count"
        and annual_target is not None
        and ytd is not None
        and not missing
        and remaining_after_ytd > 0
    ):
        required = (annual_target - ytd) / remaining_after_ytd

    spc = _spc_figures(
        calc, covered[-1] if covered else None, value, spc_settings, last_year_value, annual_target
    )

    return _figures(
        period=period,
        financial_year=calendar.label,
        value=value,
        last_year_value=last_year_value,
        change=change,
        change_pct=_change_pct(change, last_year_value),
        ytd=ytd,
        ytd_last_year=ytd_last_year,
        ytd_change=ytd_change,
        ytd_change_pct=ytd_change_pct,
        quarter=calendar.quarter,
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
        ytd_partial=ytd_partial,
        missing_periods=missing,
        change_is_points=spec.measure == "percentage",
        ratio_parts_missing=ratio_parts_missing,
        ytd_rates_averaged=rates_averaged,
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
        **spc,
        # Built at C speed (map and zip): the slots are in order, the year to date first.
        this_year=tuple(
            zip(
                year_slots,
                [*map(values.get, to_date), *(None,) * (len(year_slots) - len(to_date))],
                strict=True,
            )
        ),
        last_year=tuple(
            zip(calendar.previous_slots, map(values.get, calendar.previous_slots), strict=True)
        ),
        cumulative_this_year=_cumulative_this_year(calc, year_slots, to_date, covered, running),
        cumulative_target=_cumulative_target(calc, target, calendar, annual_target),
    )


def _slots_before(slot: date, step: int, count: int) -> list[date]:
    """The ``count`` stored periods immediately before ``slot``."""
    return [add_months(slot, -step * k) for k in range(1, count + 1)]


class _Quarter(NamedTuple):  # a tuple: made for every indicator, read once
    """The reporting quarter so far, against last year's same months and the previous quarter."""

    value: Decimal | None
    last_year: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None
    complete: bool
    previous: Decimal | None
    previous_change: Decimal | None
    previous_change_pct: Decimal | None


def _quarter_figures(calc: Calc, calendar: _Calendar, period: date) -> _Quarter:
    """The period's quarter so far against the same months last year and the whole last quarter."""
    values = calc.values
    in_quarter = calendar.in_quarter
    so_far = [s for s in in_quarter if s <= period and s in values]
    complete = calendar.ends[in_quarter[-1]] <= period and all(s in values for s in in_quarter)

    value = calc.aggregate(so_far)
    last_year = calc.like_for_like(so_far, -1)
    change = _minus(value, last_year)

    previous = calc.aggregate(calendar.previous_quarter)
    # Part of a quarter against a whole quarter compares different months: a count would
    # read as a fall, and a percentage or a rate of the months with figures is not the
    # quarter's. Only a point-in-time level, the latest value, stands for the quarter so far.
    comparable = complete or calc.spec.measure == "snapshot"
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
    calc: Calc,
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
    complete, total = calc.year_total(year - 1)
    if complete:
        same = calc.like_for_like(covered, -1)
        if total and same is not None:
            return annual, annual * same / total
    return annual, annual * len(covered) / len(calc.slots(year))


def _cumulative_this_year(
    calc: Calc,
    year_slots: Sequence[date],
    to_date: Sequence[date],
    covered: Sequence[date],
    running: Mapping[date, Decimal | None],
) -> tuple[Pair, ...]:
    """The running total at each period of the year: none from the first period without a
    figure on (a missing month is missing, never a zero in the total beside the target). A
    point-in-time level's is the level at each period with a figure."""
    if tuple(covered) != tuple(to_date):
        running = dict(zip(to_date, calc.running(to_date), strict=True))
    return tuple(zip(year_slots, map(running.get, year_slots), strict=True))


def _cumulative_target(
    calc: Calc, target: TargetSpec | None, calendar: _Calendar, annual: Decimal | None
) -> tuple[Pair, ...]:
    """The target to date at each period of the year, as if every period had a figure.

    The same as ``_targets`` over each prefix of the year's periods, in one pass.
    """
    slots = calendar.year_slots
    if target is None:
        return tuple((s, None) for s in slots)
    if target.kind == "cumulative":
        return tuple((s, target.profile.get(s)) for s in slots)
    if target.kind == "change_pct":
        if target.value is None or target.baseline_year is None:
            return tuple((s, None) for s in slots)
        factor = 1 + target.value / HUNDRED
        bases = calc.running(calc.shifted(slots, target.baseline_year - calendar.year))
        return tuple(
            (s, None if base is None else base * factor)
            for s, base in zip(slots, bases, strict=True)
        )
    if annual is None:
        return tuple((s, None) for s in slots)
    if calc.spec.measure in LEVEL_MEASURES:
        return tuple((s, annual) for s in slots)
    complete, total = calc.year_total(calendar.year - 1)
    count = len(slots)
    if complete and total:
        same = calc.running(calc.shifted(slots, -1))
        path = [
            annual * part / total if part is not None else annual * (i + 1) / count
            for i, part in enumerate(same)
        ]
    else:
        path = [annual * i / count for i in range(1, count + 1)]
    return tuple(zip(slots, path, strict=True))


def _annual_target(calc: Calc, target: TargetSpec | None, year: int) -> Decimal | None:
    """The target for the whole financial year."""
    if target is None:
        return None
    if target.kind == "annual":
        return target.value
    if target.kind == "cumulative":
        return target.profile.get(calc.slots(year)[-1])
    if target.value is None or target.baseline_year is None:
        return None
    base = calc.year_total(target.baseline_year)[1]
    return None if base is None else base * (1 + target.value / HUNDRED)


def _profile_to_date(
    calc: Calc,
    profile: Mapping[date, Decimal],
    year: int,
    covered: Sequence[date],
    to_date: Sequence[date],
) -> Decimal | None:
    """A cumulative profile's target to date, leaving out the steps of any missing periods.
    A level (a percentage, a rate) is held to the profile's point at the last period the
    year to date covers: not a later month with no figure yet, nor a quarter under way."""
    if calc.spec.measure in LEVEL_MEASURES:
        return profile.get(covered[-1])
    if list(covered) == list(to_date):
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
    calc: Calc, year: int, covered: Sequence[date], ytd: Decimal | None
) -> Decimal | None:
    """The expected year-end figure: a count scaled up by last year's pattern, else the level."""
    if ytd is None:
        return None
    if calc.spec.measure in LEVEL_MEASURES:
        return ytd
    complete, total = calc.year_total(year - 1)
    if complete:
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


def tolerance_amount(target_to_date: Decimal | None, tolerance_pct: Decimal) -> Decimal | None:
    """The amber band in the figure's unit: the tolerance's share of the target to date
    (of its size, whichever its sign), unrounded; None without a target."""
    if target_to_date is None:
        return None
    return abs(target_to_date) * tolerance_pct / HUNDRED


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


def history_start(
    spec: IndicatorSpec,
    period: date,
    baseline_years: Sequence[int] = (),
    settings: SpcSettings | None = None,
) -> date:
    """The first month an indicator's figures at ``period`` are worked out from: two
    financial years before this one, the earliest baseline year of its targets, and the
    whole of its XmR window, whichever is earliest. Its own alone: figures worked out with
    other indicators' (which may reach further back) are the same as worked out alone."""
    year = financial_year_of(period, spec.fy_start_month) - 2
    start = fy_start(min([year, *baseline_years]), spec.fy_start_month)
    calc = Calc(spec, {})
    window = _spc_slots(calc.step, calc.slot_of(month_start(period)), settings)
    return min(start, window[0])


def spc_window(calc_step: int, slot: date, settings: SpcSettings | None) -> list[date]:
    """The stored periods an XmR chart at ``slot`` covers, oldest first."""
    return list(_spc_slots(calc_step, slot, settings))


def _spc_slots(calc_step: int, slot: date, settings: SpcSettings | None) -> tuple[date, ...]:
    # The shared tuple itself: the figures only read it.
    count = SPC_WINDOW - 1
    if settings is not None and settings.baseline_start is not None:
        months = (slot.year - settings.baseline_start.year) * 12 + slot.month
        count = max(count, (months - settings.baseline_start.month) // calc_step)
    return _window(calc_step, slot, count)


@lru_cache(maxsize=256)
def _window(step: int, slot: date, count: int) -> tuple[date, ...]:
    # Every indicator of a partnership shares its period: the window is worked out once.
    return (*reversed(_slots_before(slot, step, count)), slot)


def _spc_options(
    slots: Sequence[date], settings: SpcSettings | None
) -> tuple[SpcSettings, tuple[int, int] | None, list[int]]:
    """An indicator's SPC settings, its baseline and its recalculation points as indices."""
    settings = settings or DEFAULT_SPC
    if settings.baseline_start is None and not settings.recalculate_from:
        return settings, None, []  # the usual case: nothing to look up
    baseline = None
    if settings.baseline_start is not None and slots:
        end = settings.baseline_end or slots[-1]
        inside = [i for i, s in enumerate(slots) if settings.baseline_start <= s <= end]
        if inside:
            baseline = (inside[0], inside[-1] + 1)
    points = set(settings.recalculate_from)
    recalculate = [i for i, s in enumerate(slots) if s in points] if points else []
    return settings, baseline, recalculate


def spc_analysis(
    values: Sequence[Decimal | None],
    slots: Sequence[date],
    polarity: str,
    settings: SpcSettings | None,
) -> spc_rules.Analysis:
    """The XmR analysis of figures at ``slots`` under an indicator's SPC settings."""
    settings, baseline, recalculate = _spc_options(slots, settings)
    return spc_rules.analyse(
        values,
        IMPROVEMENT[polarity],
        baseline=baseline,
        recalculate_at=recalculate,
        run_length=settings.run_length,
    )


_NO_SPC: dict[str, object] = {
    "within_normal_variation": None,
    "spc_mean": None,
    "spc_lower": None,
    "spc_upper": None,
    "spc_points": 0,
    "spc_signal": None,
    "spc_meaning": None,
    "variation": None,
    "assurance": None,
    "variation_test": None,
    "poisson_z": None,
}


def _spc_figures(
    calc: Calc,
    slot: date | None,
    value: Decimal | None,
    settings: SpcSettings | None,
    last_year_value: Decimal | None,
    annual_target: Decimal | None,
) -> dict[str, object]:
    """The Figures fields for statistical process control at ``slot``, the year to date's
    last period with a figure (late data leaves the reporting period without one, and a
    report should still judge the latest level); ``value`` is the reporting period's own
    figure, which alone the Poisson test compares with last year's."""
    if slot is None:
        return {**_NO_SPC, "spc_period": None}
    slots = _spc_slots(calc.step, slot, settings)
    # The chart starts at the first figure: leading empty periods are not gaps.
    values = calc.spc_values(slots)
    if values and values[0] is None:
        first = next((i for i, v in enumerate(values) if v is not None), len(values))
        slots, values = slots[first:], values[first:]
    # Only the latest point matters here (the XmR chart analyses the whole series).
    settings, baseline, recalculate = _spc_options(slots, settings)
    latest = spc_rules.latest(
        values,
        IMPROVEMENT[calc.spec.polarity],
        baseline=baseline,
        recalculate_at=recalculate,
        run_length=settings.run_length,
    )
    limits = latest.limits if slots and slots[-1] == slot else None
    fields: dict[str, object] = {
        **_NO_SPC,
        "spc_period": slot,
        "spc_mean": limits.mean if limits else None,
        "spc_lower": limits.lower if limits else None,
        "spc_upper": limits.upper if limits else None,
        "spc_points": limits.points if limits else 0,
    }
    if limits is not None:
        fields.update(
            within_normal_variation=latest.meaning is None,
            spc_signal=latest.signal,
            spc_meaning=latest.meaning,
            variation=spc_rules.variation_of(latest.meaning),
            assurance=latest.assurance(_period_target(calc, annual_target)),
            variation_test="spc",
        )
    elif (
        calc.spec.measure == "count"
        and value is not None
        and last_year_value is not None
        and value >= 0
    ):
        # Too little history for limits: compare the two counts with the Poisson test.
        fields.update(
            within_normal_variation=spc_rules.poisson_within(value, last_year_value),
            poisson_z=spc_rules.poisson_z(value, last_year_value),
            variation_test="poisson",
        )
    return fields


def _period_target(calc: Calc, annual_target: Decimal | None) -> Decimal | None:
    """The target for one period, to set against the XmR limits: a level, or a count's share."""
    if calc.spec.measure in LEVEL_MEASURES:
        return annual_target
    if annual_target is None:
        return None
    return annual_target / (12 // calc.step)


def spc_series(
    spec: IndicatorSpec,
    series: Series,
    period: date,
    settings: SpcSettings | None = None,
) -> tuple[list[date], spc_rules.Analysis]:
    """The periods an XmR chart at ``period`` shows and their analysis (for charts and tables)."""
    calc = Calc(spec, series)
    period = month_start(period)
    slot = calc.slot_of(period)
    if calc.slot_end(slot) > period:
        calc.forget(slot)  # as `compute` does
    slots = spc_window(calc.step, slot, settings)
    first = next((i for i, s in enumerate(slots) if calc.present(s)), len(slots))
    slots = slots[first:]
    return slots, spc_analysis(calc.spc_values(slots), slots, spec.polarity, settings)


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


def shares_add_to_hundred(pcts: Iterable[Decimal | str | None], places: int = 0) -> bool:
    """Whether these shares, each rounded to ``places`` decimals as a table prints them
    (halves away from zero), add to 100: else the table carries the note that they may not
    because of rounding (ONS). 11.1 + 44.4 + 0 + 22.2 + 22.2 print 11 + 44 + 0 + 22 + 22,
    99. True with none to add (a total of nought has no shares)."""
    unit = Decimal(1).scaleb(-places)
    shown = [Decimal(p).quantize(unit, rounding=ROUND_HALF_UP) for p in pcts if p is not None]
    return not shown or sum(shown) == HUNDRED


def year_series(spec: IndicatorSpec, series: Series, year: int) -> tuple[Pair, ...]:
    """Each stored period of financial year ``year`` with its figure, None where missing."""
    calc = Calc(spec, series)
    return tuple((slot, calc.value(slot)) for slot in calc.slots(year))


@dataclass(frozen=True)
class Rolling:
    """A span of ``months`` to a period against the same span a year before (for twelve
    months, the twelve before them)."""

    end: date  # the last month of the span
    current: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None
    months: int = 12


def compared(end: date, months: int, current: Decimal | None, previous: Decimal | None) -> Rolling:
    """A span's figure against the year before's: the change, and the change as a
    percentage of the year before (None when that is zero)."""
    change = _minus(current, previous)
    return Rolling(end, current, previous, change, _change_pct(change, previous), months)


def rolling(spec: IndicatorSpec, series: Series, period: date, months: int) -> Rolling:
    """The ``months`` to ``period`` against the same months a year before; None unless
    every period has a figure (a point-in-time level: the last period's level, against
    the same period a year earlier).

    A quarterly indicator counts whole quarters ended by ``period``: 3 months is the last
    quarter ended, 12 the four quarters to it; ``end`` is the last month the span covers
    (September for a quarter stored at July).
    """
    calc = Calc(spec, series)
    last = calc.last_ended(month_start(period))
    slots = [add_months(last, -calc.step * k) for k in reversed(range(months // calc.step))]
    return compared(
        calc.slot_end(last), months, calc.aggregate(slots), calc.like_for_like(slots, -1)
    )


def rolling_twelve(spec: IndicatorSpec, series: Series, period: date) -> Rolling:
    """Rolling year to ``period`` and the year before it (``rolling`` over 12 months)."""
    return rolling(spec, series, period, 12)


def rate_per_1000(value: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """``value`` per 1,000 of the denominator; None without both (or with a zero)."""
    if value is None or not denominator:
        return None
    return Decimal(value) * THOUSAND / Decimal(denominator)


@dataclass(frozen=True)
class ChangeTest:
    """A change between two counts tested against normal (Poisson) variation."""

    z: Decimal | None
    within: bool | None  # None: not tested (a missing figure, or not a count)


UNTESTED = ChangeTest(z=None, within=None)


def _is_count(value: Decimal | None) -> bool:
    return value is not None and value >= 0 and value == value.to_integral_value()


def change_test(current: Decimal | None, previous: Decimal | None) -> ChangeTest:
    """The Poisson z of a change in a count, 2(sqrt(current) - sqrt(previous)), and whether
    |z| < 3 (within normal variation); untested unless both are whole, non-negative counts."""
    if not (_is_count(current) and _is_count(previous)):
        return UNTESTED
    z = spc_rules.poisson_z(current, previous)
    return ChangeTest(z=z, within=abs(z) < spc_rules.POISSON_LIMIT)


def change_tests(
    figures: Figures, measure: str, rolling: Rolling | None = None
) -> dict[str, ChangeTest]:
    """Every change a report prints for a count indicator, tested: the year to date, the
    rolling year, the quarter against the previous quarter and against the same quarter
    last year. A rate or percentage is not a count, so none of its changes is tested."""
    # (current, previous, the change the report prints): a change not printed is not tested.
    pairs = {
        "ytd": (figures.ytd, figures.ytd_last_year, figures.ytd_change),
        "quarter_previous": (
            figures.quarter_value,
            figures.quarter_previous,
            figures.quarter_previous_change,
        ),
        "quarter_same": (figures.quarter_value, figures.quarter_last_year, figures.quarter_change),
        "month": (figures.value, figures.last_year_value, figures.change),
    }
    if rolling is not None:
        pairs["rolling"] = (rolling.current, rolling.previous, rolling.change)
    if measure != "count":
        return {key: UNTESTED for key in pairs}
    return {
        key: UNTESTED if change is None else change_test(current, previous)
        for key, (current, previous, change) in pairs.items()
    }
