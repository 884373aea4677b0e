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

Decimal, not float: the on-the-mean and on-the-limit decisions are equalities, which only
exact decimal arithmetic gets right (a mean of 0.1 and 0.2 is 0.15, not 0.15000000000000002),
and the figures module hands us Decimals already, so nothing is converted twice.
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
    "Limits",
    "Signal",
    "analyse",
    "poisson_within",
    "poisson_z",
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
        return {
            None: COMMON_CAUSE,
            "improvement": SPECIAL_IMPROVING,
            "concern": SPECIAL_CONCERNING,
            "neither": SPECIAL_NEITHER,
        }[self.points[index]]

    def assurance(self, target: Number | None) -> str | None:
        """Whether the process will meet ``target``: from the target against the latest limits."""
        limits = self.latest
        if target is None or limits is None or self.improvement is None:
            return None
        target = _decimal(target)
        up = self.improvement == "up"
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


def _limits(
    values: Sequence[Decimal | None], start: int, stop: int, base: tuple[int, int]
) -> Limits | None:
    """Limits for indices ``start:stop`` worked out from the baseline indices ``base``."""
    first, last = base
    window = values[first:last]
    # "is None", not "None in": comparing a Decimal with None is slow.
    if not any(v is None for v in window):
        # No gap (the usual case): every neighbouring pair gives a moving range.
        if len(window) < MIN_POINTS:
            return None
        figures = window
        ranges = list(map(abs, map(sub, window[1:], window[:-1])))
    else:
        figures = [v for v in window if v is not None]
        if len(figures) < MIN_POINTS:
            return None
        # Only neighbouring periods give a moving range; one across a gap would overstate
        # the noise.
        ranges = [abs(b - a) for a, b in pairwise(window) if a is not None and b is not None]
    if not ranges:
        return None
    mean = sum(figures, Decimal(0)) / len(figures)
    moving_range = sum(ranges, Decimal(0)) / len(ranges)
    spread = XMR_SCALE * moving_range
    two_sigma = spread * 2 / 3
    return Limits(
        start=start,
        stop=stop,
        mean=mean,
        upper=mean + spread,
        lower=mean - spread,
        upper_2sigma=mean + two_sigma,
        lower_2sigma=mean - two_sigma,
        mean_moving_range=moving_range,
        points=len(figures),
    )


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
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"improvement must be 'up', 'down' or None, not {improvement!r}")
    if run_length not in RUN_LENGTHS:
        raise ValueError(f"run_length must be 6 or 7, not {run_length!r}")
    # Decimals (what the figures pass) need no conversion: this runs for every indicator.
    series = tuple(v if v is None or type(v) is Decimal else _decimal(v) for v in values)
    size = len(series)
    cuts = sorted({0, size, *(i for i in recalculate_at if 0 < i < size)})
    segments: list[Limits] = []
    signals: list[Signal | None] = [None] * size
    for start, stop in pairwise(cuts):
        base = (start, stop)
        if baseline is not None and start <= baseline[0] < stop:
            base = (baseline[0], min(max(baseline[1], baseline[0]), stop))
        limits = _limits(series, start, stop, base)
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
        else (None,) * size
    )
    return Analysis(
        values=series,
        improvement=improvement,
        run_length=run_length,
        segments=tuple(segments),
        points=points,
        signals=ordered,
    )


def poisson_z(a: Number, b: Number) -> Decimal:
    """The Poisson test statistic for two counts: z = 2 (sqrt(a) - sqrt(b))."""
    first, second = _decimal(a), _decimal(b)
    if first < 0 or second < 0:
        raise ValueError("the Poisson test compares counts, which are never negative")
    return 2 * (first.sqrt() - second.sqrt())


def poisson_within(a: Number, b: Number) -> bool:
    """Whether two counts differ by no more than normal variation (|z| < 3)."""
    return abs(poisson_z(a, b)) < POISSON_LIMIT
