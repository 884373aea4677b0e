from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from indicators.spc import Signal, analyse, latest, poisson_within, poisson_z, variation_of

FOUR = Decimal("0.0001")
TWO = Decimal("0.01")

# NHS "Making Data Count" published test data; "up" is improvement; run length 6.
ORACLE_A = [31, 22, 19, 21, 18, 18, 22, 22, 29, 25, 23, 26, 31, 26, 28, 29, 32, 24, 31, 22]
ORACLE_B = [11, 14, 18, 20, 22, 23, 18, 21, 17, 23, 26, 20, 16, 25, 23, 22, 19, 16, 15, 12]
ORACLE_C = [42, 40, 39, 26, 39, 24, 22, 29, 32, 22, 20, 23, 25, 26, 22, 24, 27, 7, 19, 24]
ORACLE_C += [7, 7, 32]


def flagged(analysis, meaning):
    """The points (numbered from 1) marked with ``meaning``."""
    return [i for i, point in enumerate(analysis.points, start=1) if point == meaning]


def q(value, places):
    return value.quantize(places)


def test_analyse_oracle_a():
    result = analyse(ORACLE_A, "up")
    assert (q(result.mean, TWO), q(result.upper, TWO), q(result.lower, TWO)) == (
        Decimal("24.95"),
        Decimal("35.73"),
        Decimal("14.17"),
    )
    assert flagged(result, "concern") == list(range(2, 9))
    assert flagged(result, "improvement") == list(range(12, 18))
    assert flagged(result, "neither") == []


def test_analyse_oracle_b():
    result = analyse(ORACLE_B, "up")
    assert (q(result.mean, TWO), q(result.upper, TWO), q(result.lower, TWO)) == (
        Decimal("19.05"),
        Decimal("28.15"),
        Decimal("9.95"),
    )
    assert flagged(result, "improvement") == list(range(1, 7))
    assert flagged(result, "concern") == list(range(14, 21))


def test_analyse_oracle_c():
    result = analyse(ORACLE_C, "up")
    assert q(result.mean, FOUR) == Decimal("25.1304")
    assert q(result.upper, FOUR) == Decimal("44.7177")
    assert q(result.lower, FOUR) == Decimal("5.5432")
    assert q(result.upper_2sigma, FOUR) == Decimal("38.1886")
    assert q(result.lower_2sigma, FOUR) == Decimal("12.0723")
    assert flagged(result, "improvement") == [1, 2, 3, 5]
    assert flagged(result, "concern") == [21, 22]


def test_analyse_oracle_polarity_swaps_meaning():
    down = analyse(ORACLE_A, "down")
    assert flagged(down, "improvement") == list(range(2, 9))
    assert flagged(down, "concern") == list(range(12, 18))
    monitor = analyse(ORACLE_A, None)
    assert flagged(monitor, "neither") == [*range(2, 9), *range(12, 18)]


def test_analyse_oracle_b_signals_name_the_rule():
    result = analyse(ORACLE_B, "up")
    assert result.signals[5] == Signal("trend", "rising", 6, 6)
    assert result.signals[19] == Signal("trend", "falling", 7, 7)
    a = analyse(ORACLE_A, "up")
    assert a.signals[7] == Signal("shift", "below", 7, 7)
    assert a.signals[2] == Signal("shift", "below", 2, 7)


def test_analyse_variation_words():
    assert analyse(ORACLE_A, "up").variation == "common cause"
    assert analyse(ORACLE_B, "up").variation == "special cause concerning"
    assert analyse(ORACLE_B, "down").variation == "special cause improving"
    assert analyse(ORACLE_B, None).variation == "special cause, neither improving nor concerning"


@pytest.mark.parametrize(
    ("improvement", "target", "assurance"),
    [
        ("up", 14, "consistently passes"),  # below the lower limit 14.17
        ("up", 25, "hit and miss"),
        ("up", 36, "consistently fails"),  # above the upper limit 35.73
        ("down", 36, "consistently passes"),
        ("down", 25, "hit and miss"),
        ("down", 14, "consistently fails"),
        (None, 25, None),
        ("up", None, None),
    ],
)
def test_analyse_assurance(improvement, target, assurance):
    assert analyse(ORACLE_A, improvement).assurance(target) == assurance


def test_analyse_fewer_than_13_points_gives_no_limits():
    result = analyse(ORACLE_B[:12], "up")
    assert result.mean is None and result.upper is None and result.lower is None
    assert result.points == (None,) * 12
    assert result.variation is None
    assert result.assurance(10) is None


def test_analyse_13_points_is_enough():
    assert analyse(ORACLE_B[:13], "up").mean is not None


def test_analyse_gaps_leave_too_few_points():
    values = [*ORACLE_B[:11], None, 20]
    assert analyse(values, "up").mean is None


def test_analyse_gap_breaks_moving_range():
    # 10, 12 alternating: every moving range is 2. Across the gap it would be 10.
    values = [10, 12] * 7 + [None, 20, 22] + [20, 22] * 3
    result = analyse(values, "up")
    mean_moving_range = result.segments[0].mean_moving_range
    figures = [v for v in values if v is not None]
    ranges = [abs(b - a) for a, b in pairwise(values) if a is not None and b is not None]
    assert mean_moving_range == Decimal(sum(ranges)) / len(ranges)
    assert 10 not in ranges and len(ranges) == len(figures) - 2
    assert result.points[14] is None
    assert result.has_gap


def test_analyse_gap_breaks_a_shift():
    # Five below, a gap, five below: no run of six.
    values = [10, 20] * 4 + [14] * 5 + [None] + [14] * 5 + [20]
    result = analyse(values, "up")
    assert all(s is None or s.rule != "shift" for s in result.signals)
    joined = analyse([v for v in values if v is not None], "up")
    assert any(s is not None and s.rule == "shift" for s in joined.signals)


def test_analyse_point_on_mean_breaks_a_shift():
    # Mean 15: seven below but for one exactly on the mean, then seven above likewise.
    values = [5, 13, 5, 15, 13, 5, 13, 17, 25, 17, 15, 25, 17, 25]
    result = analyse(values, "up")
    assert result.mean == 15
    assert result.points == (None,) * 14
    # Off the mean by one either way (the mean stays 15): two shifts of seven.
    moved = analyse([5, 13, 5, 14, 13, 5, 13, 17, 25, 17, 16, 25, 17, 25], "up")
    assert moved.mean == 15
    assert flagged(moved, "concern") == list(range(1, 8))
    assert flagged(moved, "improvement") == list(range(8, 15))


def test_analyse_all_values_equal():
    result = analyse([7] * 20, "down")
    assert result.mean == result.upper == result.lower == 7
    assert result.points == (None,) * 20
    assert result.variation == "common cause"
    assert result.assurance(7) == "consistently passes"
    assert result.assurance(6) == "consistently fails"


def test_analyse_run_length_seven():
    six = analyse(ORACLE_A, "up", run_length=7)
    # The 6-point shift (12-17) is no longer a signal; the 7-point one (2-8) still is.
    assert flagged(six, "concern") == list(range(2, 9))
    assert flagged(six, "improvement") == []


def test_analyse_baseline_fixes_the_limits():
    values = [10, 12] * 8 + [30, 32, 30]
    result = analyse(values, "up", baseline=(0, 16))
    assert result.mean == 11
    assert result.segments[0].points == 16
    assert flagged(result, "improvement") == [17, 18, 19]


def test_analyse_recalculation_point_starts_new_limits():
    values = [10, 12] * 7 + [30, 32] * 7
    result = analyse(values, "up", recalculate_at=[14])
    assert [s.mean for s in result.segments] == [11, 31]
    assert result.mean == 31
    assert result.points == (None,) * 28
    assert result.limits_at(3).mean == 11


def test_analyse_recalculation_without_enough_new_points_has_no_latest_limits():
    values = [10, 12] * 7 + [30, 32]
    result = analyse(values, "up", recalculate_at=[14])
    assert result.mean is None
    assert result.limits_at(0).mean == 11


def test_analyse_decimal_decides_on_the_mean_exactly():
    # A float mean of 0.1 and 0.2 is 0.15000000000000002; the point 0.15 is on the mean.
    values = [0.1, 0.2] * 7 + [0.15]
    result = analyse(values, "up")
    assert result.mean == Decimal("0.15")


# Worked by hand. 10, 11 seven times, then 9: 15 points summing 156 (mean 10.4); 14 moving
# ranges, thirteen of 1 and one of 2, summing 15, so the mean moving range is 15/14 (no
# exact decimal) but 2.66 x 15/14 = 2.85 is: limits 10.4 +/- 2.85, 2-sigma lines 10.4 +/- 1.9.
# 10, 12 nine times, then 10, 13: 20 points summing 221 (mean 11.05); 19 ranges summing 39
# (39/19 has no exact decimal), 2.66 x 39/19 = 5.46, 2/3 of it 3.64. (So the demo's SP 09:
# mean 31.6, 19 ranges summing 223, limits 31.6 +/- 31.22.)
@pytest.mark.parametrize(
    ("values", "lines"),
    [
        ([10, 11] * 7 + [9], ("10.4", "7.55", "13.25", "8.5", "12.3")),
        ([10, 12] * 9 + [10, 13], ("11.05", "5.59", "16.51", "7.41", "14.69")),
    ],
)
def test_limits_that_are_exact_decimals_come_out_exact(values, lines):
    """Review finding: report.csv gave SP 09's limits as 0.37999999999999999999999999 and
    62.82000000000000000000000001: the moving range was divided before it was scaled."""
    for limits in (analyse(values, "up").latest, latest(values, "up").limits):
        shown = (limits.mean, limits.lower, limits.upper, limits.lower_2sigma, limits.upper_2sigma)
        assert [format(v.normalize(), "f") for v in shown] == list(lines)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"improvement": "higher"}, "improvement must be"),
        ({"improvement": "up", "run_length": 5}, "run_length must be 6 or 7"),
    ],
)
def test_analyse_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        analyse(ORACLE_A, **kwargs)


def test_analyse_refuses_bool():
    with pytest.raises(TypeError):
        analyse([True] * 13, "up")


@pytest.mark.parametrize(
    ("a", "b", "z", "within"),
    [
        (100, 64, Decimal(4), False),  # 2 x (10 - 8)
        (64, 100, Decimal(-4), False),
        (100, 81, Decimal(2), True),
        (49, 25, Decimal(4), False),
        (0, 0, Decimal(0), True),
    ],
)
def test_poisson_z(a, b, z, within):
    assert poisson_z(a, b) == z
    assert poisson_within(a, b) is within


def test_poisson_refuses_negative_counts():
    with pytest.raises(ValueError):
        poisson_z(-1, 4)


values_strategy = st.lists(
    st.one_of(st.none(), st.integers(min_value=0, max_value=1000)), min_size=0, max_size=40
)


@settings(max_examples=200, deadline=None)
@given(values_strategy, st.sampled_from(["up", "down", None]), st.sampled_from([6, 7]))
def test_analyse_properties(values, improvement, run_length):
    result = analyse(values, improvement, run_length=run_length)
    assert len(result.points) == len(values)
    for value, point in zip(values, result.points, strict=True):
        if value is None:
            assert point is None
        assert point in (None, "improvement", "concern", "neither")
        if improvement is None:
            assert point in (None, "neither")
        else:
            assert point != "neither"
    if result.mean is not None:
        assert result.lower <= result.lower_2sigma <= result.mean
        assert result.mean <= result.upper_2sigma <= result.upper
        assert sum(1 for v in values if v is not None) >= 13


@settings(max_examples=100, deadline=None)
@given(values_strategy)
def test_analyse_polarity_mirrors(values):
    up, down = analyse(values, "up"), analyse(values, "down")
    swap = {"improvement": "concern", "concern": "improvement", None: None}
    assert down.points == tuple(swap[p] for p in up.points)


@settings(max_examples=100, deadline=None)
@given(values_strategy)
def test_analyse_reflection_swaps_sides(values):
    # Negating every value mirrors the chart: an upward signal becomes a downward one.
    up = analyse(values, "up")
    mirrored = analyse([None if v is None else -v for v in values], "down")
    assert mirrored.points == up.points
    if up.mean is not None:
        assert mirrored.mean == -up.mean
        assert mirrored.upper == -up.lower


@settings(max_examples=100, deadline=None)
@given(values_strategy, st.integers(min_value=-500, max_value=500))
# A mean of 28 significant digits moved by an offset rounds in its last digit (crossing a
# power of ten, one decimal place more or fewer): equal within 1e-20 (found by hypothesis).
@example([0, 0, 0, 0, 0, 0, 0, 0, 214, 221, 10, 247, 700], -207)
@example([0] * 11 + [301, 1000], -1)
def test_analyse_shift_invariant(values, offset):
    base = analyse(values, "up")
    moved = analyse([None if v is None else v + offset for v in values], "up")
    assert moved.points == base.points
    if base.mean is not None:
        assert abs(moved.mean - (base.mean + offset)) < Decimal("1e-20")


# The figures use spc.latest (the last point only); it must say what the full analysis says.
# Small values make ties, points on the mean and long runs common; shaped tails make trends,
# shifts, and points beyond a 2-sigma line (but within the limits) after a steady start.
tail_strategy = (
    st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=6)), min_size=0, max_size=40)
    | st.builds(
        lambda head, start, steps: [
            *head,
            *(start + sum(steps[:i]) for i in range(len(steps) + 1)),
        ],
        st.lists(st.integers(min_value=0, max_value=20), min_size=8, max_size=30),
        st.integers(min_value=0, max_value=20),
        st.lists(st.sampled_from([-2, -1, 0, 1, 1, 2]), min_size=0, max_size=9),
    )
    | st.builds(
        lambda head, level, size: [*head, *[level] * size],
        st.lists(st.integers(min_value=0, max_value=20), min_size=8, max_size=30),
        st.integers(min_value=5, max_value=15),
        st.integers(min_value=4, max_value=9),
    )
    | st.builds(
        lambda head, earlier, before, last: [*head, earlier, before, last],
        st.lists(st.integers(min_value=8, max_value=12), min_size=12, max_size=30),
        st.sampled_from([6, 10, 14]),
        st.sampled_from([None, 6, 10, 14]),
        st.sampled_from([6, 14]),
    )
)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(tail_strategy, values_strategy),
    st.sampled_from(["up", "down", None]),
    st.sampled_from([6, 7]),
    st.lists(st.integers(min_value=-1, max_value=42), max_size=2),
    st.none() | st.tuples(st.integers(0, 40), st.integers(0, 42)),
    st.none() | st.integers(min_value=0, max_value=40),
)
def test_latest_matches_analyse(values, improvement, run_length, recalculate, baseline, target):
    options = {"run_length": run_length, "recalculate_at": recalculate, "baseline": baseline}
    full = analyse(values, improvement, **options)
    last = latest(values, improvement, **options)
    assert last.limits == full.latest
    if full.latest is not None and values and values[-1] is not None:
        assert last.signal == full.signals[-1]
        assert last.meaning == full.points[-1]
        assert variation_of(last.meaning) == full.variation
    assert last.assurance(target) == full.assurance(target)


def test_latest_matches_the_oracles_at_every_month():
    for values in (ORACLE_A, ORACLE_B, ORACLE_C):
        for end in range(1, len(values) + 1):
            full, last = analyse(values[:end], "up"), latest(values[:end], "up")
            assert last.limits == full.latest
            assert (last.signal, last.meaning) == (full.signals[-1], full.points[-1])
    b = latest(ORACLE_B, "up")
    assert (b.signal, b.meaning) == (Signal("trend", "falling", 7, 7), "concern")
    assert latest(ORACLE_A[:8], "down").limits is None  # fewer than 13 points


def test_latest_missing_last_point_keeps_limits_without_signal():
    result = latest([*ORACLE_C[:13], None], "up")
    assert result.limits is not None
    assert (result.signal, result.meaning) == (None, None)
    assert latest([], "up").limits is None
