"""Statistical process control: is a change more than noise? (NHS "Making Data Count").

Pure functions over a plain list of numbers, one per period, ``None`` for a missing one.
No ORM, no formatting. The rules:

- XmR chart: centre line = mean of the baseline; process limits = mean +/- 2.66 x the mean
  moving range; 2-sigma lines at mean +/- (2/3) x 2.66 x the mean moving range. Limits need
  at least 13 points; a missing period breaks the series, so no moving range (and no run)
  spans a gap. Recalculation points (a change of recording practice) start new limits.
- Special cause, tested in this order (the first rule to mark a point decides its meaning):
  a point beyond a process limit; 2 of 3 consecutive points beyond the same 2-sigma line
  (the points beyond it are marked); a shift of ``run_length`` or more consecutive points
  on one side of the mean (a point exactly on the mean breaks it); a trend of
  ``run_length`` consecutive points each higher (or each lower) than the one before.
- Each special-cause point is "improvement" or "concern" from the improvement direction
  ("up" or "down"), "neither" when there is none (a monitoring-only indicator).

``analyse`` gives every point (the XmR chart); ``latest`` gives only what the figures need
for every indicator (the latest limits and the last point's signal) at a third of the cost,
and always agrees with ``analyse`` (tests/unit/test_spc.py holds the two together).

Decimal, not float: the on-the-mean and on-the-limit decisions are equalities, which only
exact decimal arithmetic gets right (a mean of 0.1 and 0.2 is 0.15, not 0.15000000000000002),
and the figures module hands us Decimals already, so nothing is converted twice. The figures
must themselves be exact: a quotient such as 2/3, rounded at 28 digits, has copies whose mean
is not itself, so the figures module takes a ratio to a fixed number of places first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from operator import sub

__all__ = [
    "ASSURANCES",
    "IMPROVEMENTS",
    "MIN_POINTS",
    "RUN_LENGTHS",
    "VARIATIONS",
    "Analysis",
    "Latest",
    "Limits",
    "Signal",
    "analyse",
    "assurance_of",
    "latest",
    "poisson_within",
    "poisson_z",
    "variation_of",
]

XMR_SCALE = Decimal("2.66")
MIN_POINTS = 13
RUN_LENGTHS = (6, 7)
IMPROVEMENTS = ("up", "down", None)
POISSON_LIMIT = Decimal(3)

COMMON_CAUSE = "common cause"
SPECIAL_IMPROVING = "special cause improving"
SPECIAL_CONCERNING = "special cause concerning"
SPECIAL_NEITHER = "special cause, neither improving nor concerning"
VARIATIONS = (COMMON_CAUSE, SPECIAL_IMPROVING, SPECIAL_CONCERNING, SPECIAL_NEITHER)
ASSURANCES = ("consistently passes", "hit and miss", "consistently fails")

Number = Decimal | int | float | str


@dataclass(frozen=True)
class Limits:
    """One set of limits: indices ``start`` to ``stop`` (exclusive) of the series share them."""

    start: int
    stop: int
    mean: Decimal
    upper: Decimal
    lower: Decimal
    upper_2sigma: Decimal
    lower_2sigma: Decimal
    mean_moving_range: Decimal
    points: int  # the figures the limits were worked out from


@dataclass(frozen=True)
class Signal:
    """Why a point is special cause: the rule, its side, and its place in a run (from 1)."""

    rule: str  # "beyond", "two_of_three", "shift" or "trend"
    side: str  # "above" / "below" (beyond, two_of_three, shift); "rising" / "falling" (trend)
    run: int  # for shift and trend, the point's place in the run; else 1
    length: int = 1  # for shift and trend, how many points the whole run has


@dataclass(frozen=True)
class Analysis:
    """The XmR analysis of a series: the latest limits, and each point's special cause."""

    values: tuple[Decimal | None, ...]
    improvement: str | None
    run_length: int
    segments: tuple[Limits, ...]
    points: tuple[str | None, ...]
    signals: tuple[Signal | None, ...]

    @property
    def latest(self) -> Limits | None:
        """The limits of the latest segment, None when it has too few points for limits."""
        if not self.segments or self.segments[-1].stop < len(self.values):
            return None
        return self.segments[-1]

    @property
    def mean(self) -> Decimal | None:
        return self.latest.mean if self.latest else None

    @property
    def upper(self) -> Decimal | None:
        return self.latest.upper if self.latest else None

    @property
    def lower(self) -> Decimal | None:
        return self.latest.lower if self.latest else None

    @property
    def upper_2sigma(self) -> Decimal | None:
        return self.latest.upper_2sigma if self.latest else None

    @property
    def lower_2sigma(self) -> Decimal | None:
        return self.latest.lower_2sigma if self.latest else None

    @property
    def has_gap(self) -> bool:
        """Whether a missing period breaks the series (between its first and last figures)."""
        present = [i for i, v in enumerate(self.values) if v is not None]
        return bool(present) and len(present) < present[-1] - present[0] + 1

    def limits_at(self, index: int) -> Limits | None:
        """The limits that apply to the point at ``index``."""
        for limits in self.segments:
            if limits.start <= index < limits.stop:
                return limits
        return None

    @property
    def variation(self) -> str | None:
        """The variation icon, in words, from the latest figure; None without limits."""
        index = _last_present(self.values)
        if index is None or self.limits_at(index) is None:
            return None
        return variation_of(self.points[index])

    def assurance(self, target: Number | None) -> str | None:
        """Whether the process will meet ``target``: from the target against the latest limits."""
        return assurance_of(self.latest, self.improvement, target)


class Latest:
    """The latest point of a series, all the figures need: the latest limits (None without
    them) and the last point's special cause (None for common cause or a missing point).

    ``latest`` works this out without analysing the whole series; it always equals what
    ``analyse`` gives for the last point (a property test holds the two together).
    """

    __slots__ = ("improvement", "limits", "meaning", "signal")

    def __init__(
        self,
        limits: Limits | None,
        signal: Signal | None,
        meaning: str | None,
        improvement: str | None,
    ) -> None:
        self.limits = limits
        self.signal = signal
        self.meaning = meaning
        self.improvement = improvement

    def assurance(self, target: Number | None) -> str | None:
        """As ``Analysis.assurance``."""
        return assurance_of(self.limits, self.improvement, target)


_VARIATIONS = {
    None: COMMON_CAUSE,
    "improvement": SPECIAL_IMPROVING,
    "concern": SPECIAL_CONCERNING,
    "neither": SPECIAL_NEITHER,
}


def variation_of(meaning: str | None) -> str:
    """The variation icon, in words, for a point's meaning (None: common cause)."""
    return _VARIATIONS[meaning]


def assurance_of(
    limits: Limits | None, improvement: str | None, target: Number | None
) -> str | None:
    """Whether a process with ``limits`` will meet ``target``, for an improvement direction."""
    if target is None or limits is None or improvement is None:
        return None
    target = _decimal(target)
    up = improvement == "up"
    # The worst and the best figure the process can produce, for this direction.
    passing, failing = (limits.lower, limits.upper) if up else (limits.upper, limits.lower)
    better = (lambda a, b: a >= b) if up else (lambda a, b: a <= b)
    # Every point the process can produce is at least as good as the target.
    if better(passing, target):
        return "consistently passes"
    # Not even the best point the process can produce reaches the target.
    if not better(failing, target):
        return "consistently fails"
    return "hit and miss"


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a figure must be a number, not a bool")
    if isinstance(value, int | str):
        return Decimal(value)
    if isinstance(value, float):
        # The shortest repr is the number as written: 0.1 stays 0.1, not its binary neighbour.
        return Decimal(repr(value))
    raise TypeError(f"a figure must be a number, not {type(value).__name__}")


def _last_present(values: Sequence[Decimal | None]) -> int | None:
    for index in range(len(values) - 1, -1, -1):
        if values[index] is not None:
            return index
    return None


_ZERO = Decimal(0)
_new = object.__new__


def _limits(
    values: Sequence[Decimal | None], start: int, stop: int, base: tuple[int, int]
) -> Limits | None:
    """Limits for indices ``start:stop`` worked out from the baseline indices ``base``."""
    first, last = base
    window = values[first:last]
    if len(window) < MIN_POINTS:
        return None  # never enough figures, gap or not
    try:
        # No gap (the usual case): every neighbouring pair gives a moving range, summed in
        # one pass at C speed. A missing figure makes the subtraction raise, which costs
        # nothing when there is none (cheaper than looking for one first).
        range_sum = sum(map(abs, map(sub, window[1:], window)), _ZERO)
    except TypeError:
        figures = [v for v in window if v is not None]
        if len(figures) < MIN_POINTS:
            return None
        # Only neighbouring periods give a moving range; one across a gap would overstate
        # the noise.
        ranges = [abs(b - a) for a, b in pairwise(window) if a is not None and b is not None]
        if not ranges:
            return None
        range_sum, range_count = sum(ranges, Decimal(0)), len(ranges)
    else:
        figures, range_count = window, len(window) - 1
    total, count = sum(figures, _ZERO), len(figures)
    # Each line is one division of exact sums: mean +/- 2.66 x (range sum / ranges) is
    # (total x ranges +/- 2.66 x range sum x count) / (count x ranges). Dividing first rounded
    # the moving range, so limits of 0.38 and 62.82 came out 0.3799...9 and 62.82...01.
    centre = total * range_count
    spread = XMR_SCALE * range_sum * count
    both = count * range_count
    # Limits(...) without a frozen setattr per field: this runs for every indicator.
    limits = _new(Limits)
    limits.__dict__.update(
        start=start,
        stop=stop,
        mean=total / count,
        upper=(centre + spread) / both,
        lower=(centre - spread) / both,
        upper_2sigma=(3 * centre + 2 * spread) / (3 * both),
        lower_2sigma=(3 * centre - 2 * spread) / (3 * both),
        mean_moving_range=range_sum / range_count,
        points=count,
    )
    return limits


def _meaning(direction: str, improvement: str | None) -> str:
    """ "improvement" or "concern" for a signal pointing ``direction`` ("up" or "down")."""
    if improvement is None:
        return "neither"
    return "improvement" if direction == improvement else "concern"


def _runs_of(keys: Sequence[int], start: int, shortest: int) -> list[tuple[int, int, int]]:
    """Runs of at least ``shortest`` equal non-zero keys as (start, stop, key), offset by
    ``start``. (A regular expression over the keys as text finds them at C speed.)"""
    text = "".join(["-0+"[k + 1] for k in keys])
    return [
        (start + m.start(), start + m.end(), 1 if m.group()[0] == "+" else -1)
        for m in re.finditer(f"\\+{{{shortest},}}|-{{{shortest},}}", text)
    ]


def _signals(
    values: Sequence[Decimal | None],
    limits: Limits,
    run_length: int,
    found: list[Signal | None],
) -> None:
    """Mark the special-cause points among those ``limits`` covers, by the rules' order.

    A missing point (None) ends every run. This is the hot loop of a partnership's figures,
    so each rule works on whole lists (comprehensions, groupby) rather than point by point.
    """
    start, stop = limits.start, limits.stop
    span = values[start:stop]
    upper, lower, mean = limits.upper, limits.lower, limits.mean
    outside = [k for k, v in enumerate(span) if v is not None and (v > upper or v < lower)]
    for offset in outside:
        side = "above" if span[offset] > upper else "below"
        found[start + offset] = Signal("beyond", side, 1)

    # 2 of 3 consecutive points beyond the same 2-sigma line (1 above, -1 below, 0 between).
    high, low = limits.upper_2sigma, limits.lower_2sigma
    near = [None if v is None else (1 if v > high else -1 if v < low else 0) for v in span]
    beyond = [k for k, n in enumerate(near) if n]
    for i, first in enumerate(beyond):
        for second in beyond[i + 1 : i + 3]:
            if second - first > 2 or near[first] != near[second]:
                continue
            # Both must sit in one window of three present points.
            windows = (
                [(first, first + 2)]
                if second - first == 2
                else [(first - 1, second), (first, second + 1)]
            )
            if any(
                w0 >= 0 and w1 < len(near) and None not in near[w0 : w1 + 1] for w0, w1 in windows
            ):
                side = "above" if near[first] > 0 else "below"
                for k in (first, second):
                    if found[start + k] is None:
                        found[start + k] = Signal("two_of_three", side, 1)

    # A shift: points on one side of the mean (on the mean, or missing, is 0 and breaks it).
    sides = [0 if v is None else (v > mean) - (v < mean) for v in span]
    for first, last, key in _runs_of(sides, start, run_length):
        side = "above" if key > 0 else "below"
        for position, index in enumerate(range(first, last), start=1):
            if found[index] is None:
                found[index] = Signal("shift", side, position, last - first)

    # A trend: each step up (1) or down (-1) from the point before; a run of n steps joins
    # n + 1 points. A missing point on either side of a step, or a tie, is 0.
    steps = [0 if a is None or b is None else (b > a) - (b < a) for a, b in pairwise(span)]
    for first, last, key in _runs_of(steps, start, run_length - 1):
        points = last - first + 1
        side = "rising" if key > 0 else "falling"
        for position, index in enumerate(range(first, last + 1), start=1):
            if found[index] is None:
                found[index] = Signal("trend", side, position, points)


_TYPES = frozenset((Decimal, type(None)))


def _prepare(
    values: Sequence[Number | None],
    improvement: str | None,
    recalculate_at: Sequence[int],
    run_length: int,
) -> tuple[tuple[Decimal | None, ...], list[int]]:
    """The series as Decimals and the indices where its segments start (and where it stops)."""
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"improvement must be 'up', 'down' or None, not {improvement!r}")
    if run_length not in RUN_LENGTHS:
        raise ValueError(f"run_length must be 6 or 7, not {run_length!r}")
    # Decimals (what the figures pass) need no conversion: this runs for every indicator.
    series = tuple(values)
    if not _TYPES.issuperset(map(type, series)):
        series = tuple(v if v is None or type(v) is Decimal else _decimal(v) for v in series)
    size = len(series)
    if not recalculate_at:
        return series, [0, size] if size else [0]
    return series, sorted({0, size, *(i for i in recalculate_at if 0 < i < size)})


def _base(start: int, stop: int, baseline: tuple[int, int] | None) -> tuple[int, int]:
    """The indices the limits of the segment ``start:stop`` are worked out from."""
    if baseline is not None and start <= baseline[0] < stop:
        return (baseline[0], min(max(baseline[1], baseline[0]), stop))
    return (start, stop)


def analyse(
    values: Sequence[Number | None],
    improvement: str | None,
    *,
    baseline: tuple[int, int] | None = None,
    recalculate_at: Sequence[int] = (),
    run_length: int = 6,
) -> Analysis:
    """The XmR analysis of ``values`` (None for a missing period) for an improvement direction.

    ``baseline`` (start, stop indices) fixes the points the limits of the segment it starts in
    are worked out from; ``recalculate_at`` lists the indices where new limits begin.
    """
    series, cuts = _prepare(values, improvement, recalculate_at, run_length)
    segments: list[Limits] = []
    signals: list[Signal | None] = [None] * len(series)
    for start, stop in pairwise(cuts):
        limits = _limits(series, start, stop, _base(start, stop, baseline))
        if limits is None:
            continue
        segments.append(limits)
        _signals(series, limits, run_length, signals)
    ordered = tuple(signals)
    points = (
        tuple(
            None
            if signal is None
            else _meaning("up" if signal.side in ("above", "rising") else "down", improvement)
            for signal in ordered
        )
        if any(ordered)
        else (None,) * len(series)
    )
    return Analysis(
        values=series,
        improvement=improvement,
        run_length=run_length,
        segments=tuple(segments),
        points=points,
        signals=ordered,
    )


def latest(
    values: Sequence[Number | None],
    improvement: str | None,
    *,
    baseline: tuple[int, int] | None = None,
    recalculate_at: Sequence[int] = (),
    run_length: int = 6,
) -> Latest:
    """What ``analyse`` says about the last point, at a fraction of the cost: only the latest
    segment's limits, and only the rules that can mark the last point.

    Every rule marks the last point only through the points just before it: beyond a limit
    (the point itself); 2 of 3 beyond a 2-sigma line (its two neighbours before it, which
    must be present); a shift or a trend (the run the last point ends, which the rules mark
    whole, so the last point is at place ``length`` of it). The rules' order decides as in
    ``_signals``: beyond, then 2 of 3, then shift, then trend.
    """
    series, cuts = _prepare(values, improvement, recalculate_at, run_length)
    size = len(series)
    if size == 0:
        return Latest(None, None, None, improvement)
    start = cuts[-2]
    limits = _limits(series, start, size, _base(start, size, baseline))
    if limits is None:
        return Latest(None, None, None, improvement)
    signal = _last_signal(series[start:], limits, run_length)
    if signal is None:
        return Latest(limits, None, None, improvement)
    up = signal.side in ("above", "rising")
    meaning = _meaning("up" if up else "down", improvement)
    return Latest(limits, signal, meaning, improvement)


def _last_signal(span: Sequence[Decimal | None], limits: Limits, run_length: int) -> Signal | None:
    """The special cause of the last point of ``span`` (one segment), as ``_signals`` finds."""
    last = len(span) - 1
    value = span[last]
    if value is None:
        return None  # a missing point is never special cause
    if value > limits.upper:
        return Signal("beyond", "above", 1)
    if value < limits.lower:
        return Signal("beyond", "below", 1)
    # 2 of 3: the last point and one of the two before it beyond the same 2-sigma line, the
    # three of them present (a window past the end does not count).
    if last >= 2:
        high, low = limits.upper_2sigma, limits.lower_2sigma
        before, earlier = span[last - 1], span[last - 2]
        if before is not None and earlier is not None:
            if value > high and (before > high or earlier > high):
                return Signal("two_of_three", "above", 1)
            if value < low and (before < low or earlier < low):
                return Signal("two_of_three", "below", 1)
    # A shift: the points on the last point's side of the mean, back to the first that is
    # not (on the mean, missing, or the other side).
    mean = limits.mean
    if value != mean:
        above = value > mean
        length = 1
        for index in range(last - 1, -1, -1):
            point = span[index]
            if point is None or point == mean or (point > mean) is not above:
                break
            length += 1
        if length >= run_length:
            return Signal("shift", "above" if above else "below", length, length)
    # A trend: the steps the same way as the last one, back to the first that is not.
    if last >= 1:
        before = span[last - 1]
        if before is not None and before != value:
            rising = value > before
            points = 2
            later = before
            for index in range(last - 2, -1, -1):
                point = span[index]
                if point is None or point == later or (later > point) is not rising:
                    break
                points += 1
                later = point
            if points >= run_length:
                return Signal("trend", "rising" if rising else "falling", points, points)
    return None


def poisson_z(a: Number, b: Number) -> Decimal:
    """The Poisson test statistic for two counts: z = 2 (sqrt(a) - sqrt(b))."""
    first, second = _decimal(a), _decimal(b)
    if first < 0 or second < 0:
        raise ValueError("the Poisson test compares counts, which are never negative")
    return 2 * (first.sqrt() - second.sqrt())


def poisson_within(a: Number, b: Number) -> bool:
    """Whether two counts differ by no more than normal variation (|z| < 3)."""
    return abs(poisson_z(a, b)) < POISSON_LIMIT
