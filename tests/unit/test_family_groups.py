"""Family-group rank and change of rank, worked by hand for a group of five."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.figures import rate_per_1000
from opendata import family

# Offences and population for one quarter, and the rates per 1,000 worked by hand.
GROUP = {
    "Plymouth": (2630, 263_100),  # 9.996...
    "Luton": (2200, 220_000),  # 10
    "Trafford": (1800, 240_000),  # 7.5
    "Kirklees": (4400, 440_000),  # 10
    "Bolton": (3000, 300_000),  # 10
}
PREVIOUS = {  # the quarter before
    "Plymouth": (2800, 263_100),  # 10.64
    "Luton": (2000, 220_000),  # 9.09
    "Trafford": (1800, 240_000),  # 7.5
    "Kirklees": (4400, 440_000),  # 10
    "Bolton": None,  # not published: left out of N
}


def _rates(group):
    return {name: rate_per_1000(*figures) if figures else None for name, figures in group.items()}


def test_rate_per_1000_uses_the_denominator():
    assert rate_per_1000(1800, 240_000) == Decimal("7.5")
    assert rate_per_1000(5, 0) is None
    assert rate_per_1000(None, 1000) is None


def test_rank_is_one_for_the_lowest_rate_where_lower_is_better():
    rates = _rates(GROUP)
    assert family.rank_of(rates, "Trafford") == (1, 5)
    assert family.rank_of(rates, "Plymouth") == (2, 5)
    # Luton, Kirklees and Bolton all have 10 per 1,000: they share 3rd, and there is no 4th.
    assert {family.rank_of(rates, n) for n in ("Luton", "Kirklees", "Bolton")} == {(3, 5)}


def test_rank_where_higher_is_better_counts_from_the_top():
    rates = _rates(GROUP)
    assert family.rank_of(rates, "Trafford", lower_is_better=False) == (5, 5)
    assert family.rank_of(rates, "Luton", lower_is_better=False) == (1, 5)


def test_members_without_a_rate_are_left_out_of_n():
    rates = _rates(PREVIOUS)
    assert family.rank_of(rates, "Plymouth") == (4, 4)
    assert family.rank_of(rates, "Bolton") is None


def test_change_of_rank_for_plymouth_worked_by_hand():
    before = family.rank_of(_rates(PREVIOUS), "Plymouth")[0]  # 4th of 4
    now, n = family.rank_of(_rates(GROUP), "Plymouth")  # 2nd of 5
    change = family.rank_change(before, now)
    assert change == 2
    assert family.rank_sentence(now, n, change) == "2nd best of 5, up 2 places"


@pytest.mark.parametrize(
    ("rank", "n", "change", "text"),
    [
        (3, 15, 0, "3rd best of 15, unchanged"),
        (1, 15, -1, "best of 15, down 1 place"),
        (15, 15, 2, "15th of 15 (worst), up 2 places"),
        (1, 1, None, "the only one with a rate"),
        # The lower half counts from the bottom, as the seed does ("13th of 15 (i.e. 3rd
        # worst)"), so a low place never reads as good.
        (11, 15, 3, "11th of 15 (5th worst), up 3 places"),
        (12, 15, None, "12th of 15 (4th worst)"),
        (8, 15, None, "8th best of 15"),
        (22, 43, -4, "22nd best of 43, down 4 places"),
        (3, 4, None, "3rd of 4 (2nd worst)"),
    ],
)
def test_rank_sentence_reads_as_seed_000(rank, n, change, text):
    assert family.rank_sentence(rank, n, change) == text


@pytest.mark.parametrize(
    ("rank", "n", "joint", "text"),
    [
        # Two level last of 4 are both the worst, not "2nd worst".
        (3, 4, 2, "joint 3rd of 4 (joint worst)"),
        (1, 5, 2, "joint best of 5"),
        (2, 5, 2, "joint 2nd best of 5"),
        (3, 5, 2, "joint 3rd of 5 (joint 2nd worst)"),
        (4, 4, 1, "4th of 4 (worst)"),
        (1, 3, 3, "all 3 level"),
    ],
)
def test_a_shared_rank_reads_joint_from_either_end(rank, n, joint, text):
    assert family.rank_sentence(rank, n, None, joint=joint) == text


def test_luton_kirklees_and_bolton_share_the_worst_place_worked_by_hand():
    rates = _rates(GROUP)
    rank, n = family.rank_of(rates, "Luton")
    assert family.sharing(rates, "Luton") == 3
    assert family.rank_sentence(rank, n, None, joint=3) == "joint 3rd of 5 (joint worst)"
    assert family.sharing(rates, "Trafford") == 1
    assert family.sharing(_rates(PREVIOUS), "Bolton") == 0


@given(st.lists(st.integers(min_value=0, max_value=6), min_size=2, max_size=12))
def test_worst_is_said_only_where_no_member_is_worse(values):
    rates = {f"m{i}": Decimal(v) for i, v in enumerate(values)}
    for member, rate in rates.items():
        rank, n = family.rank_of(rates, member)
        text = family.rank_sentence(rank, n, None, joint=family.sharing(rates, member))
        nobody_worse = all(other <= rate for other in rates.values())
        everyone_level = len(set(values)) == 1
        assert ("(worst)" in text or "(joint worst)" in text) == (
            nobody_worse and not everyone_level
        ), text
        assert ("joint" in text) == (family.sharing(rates, member) > 1 and not everyone_level)


def test_rank_change_is_unknown_without_both_ranks():
    assert family.rank_change(None, 3) is None
    assert family.rank_change(3, None) is None


def test_no_rank_with_fewer_than_two_rates():
    assert family.rank_of({"Plymouth": Decimal(3), "Luton": None}, "Plymouth") is None
    assert family.rank_of({"Plymouth": Decimal(3), "Luton": Decimal(4)}, "Plymouth") == (1, 2)
