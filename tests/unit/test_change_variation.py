"""Normal variation of a printed change: the Poisson z, 2(sqrt(current) - sqrt(previous))."""

from decimal import Decimal

import pytest

from indicators import commentary
from indicators.figures import UNTESTED, change_test


@pytest.mark.parametrize(
    ("current", "previous", "z", "within"),
    [
        # Worked by hand: 2(sqrt 4 - sqrt 1) = 2(2 - 1) = 2, below 3.
        (4, 1, "2", True),
        # 2(sqrt 9 - sqrt 0) = 6: a rise from nothing beyond normal variation.
        (9, 0, "6", False),
        (0, 0, "0", True),
        # 2(sqrt 25 - sqrt 64) = 2(5 - 8) = -6.
        (25, 64, "-6", False),
        # 2(sqrt 49 - sqrt 25) = 2(7 - 5) = 4.
        (49, 25, "4", False),
    ],
)
def test_change_test_worked_cases(current, previous, z, within):
    result = change_test(Decimal(current), Decimal(previous))
    assert result.z == Decimal(z)
    assert result.within is within


def test_change_test_hate_crime_rise_is_beyond_normal_variation():
    # Seed 002: 287 against 219. 2(16.9411 - 14.7986) = 4.285, beyond 3.
    result = change_test(Decimal(287), Decimal(219))
    assert round(result.z, 3) == Decimal("4.285")
    assert result.within is False


def test_change_test_small_fall_is_within_normal_variation():
    # November 2016 against November 2015: 35 against 38, 2(5.9161 - 6.1644) = -0.497.
    result = change_test(Decimal(35), Decimal(38))
    assert round(result.z, 3) == Decimal("-0.497")
    assert result.within is True


@pytest.mark.parametrize(
    ("current", "previous"),
    [(None, Decimal(5)), (Decimal(5), None), (Decimal("88.4"), Decimal(90)), (Decimal(-1), 1)],
)
def test_change_test_untested_without_two_counts(current, previous):
    assert change_test(current, previous) == UNTESTED


def test_change_variation_sentence_words():
    assert commentary.change_variation_sentence(UNTESTED) == ""
    assert commentary.change_variation_sentence(change_test(Decimal(35), Decimal(38))) == (
        "The change in the year to date against the same period last year is within normal "
        "variation."
    )
    assert "beyond normal variation (Poisson test)" in commentary.change_variation_sentence(
        change_test(Decimal(287), Decimal(219))
    )
