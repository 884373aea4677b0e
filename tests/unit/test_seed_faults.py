"""Regression tests: the faults found in seed 002's figures must never come back.

Seed 002 is the Safer Plymouth performance report to November 2016; seeds/README.md lists
its faults. The monthly tables are transcribed in tests/unit/test_figures.py.
"""

from datetime import date
from decimal import Decimal

import pytest

from indicators.commentary import commentary
from indicators.figures import IndicatorSpec, compute
from indicators.periods import add_months, fy_months
from tests.unit.test_figures import APR_2016, NOV_2016, SEED_002, seed_series

LOWER = IndicatorSpec("lower", "count")
MAR_2017 = date(2017, 3, 1)


# Fault 1: anti-social behaviour, 7,170 against 6,803, was called a 5% reduction.
def test_asb_increase_is_an_increase():
    figures = compute(LOWER, seed_series("anti-social behaviour"), NOV_2016)
    assert figures.ytd == 7170
    assert figures.ytd_last_year == 6803
    assert figures.ytd_change == 367
    assert figures.ytd_change > 0
    assert figures.direction == "deteriorating"


def test_asb_commentary_says_increase():
    figures = compute(LOWER, seed_series("anti-social behaviour"), NOV_2016)
    text = commentary(figures, LOWER, noun="incidents of anti-social behaviour")
    assert "367 more than the same period last year, a 5% increase." in text
    assert "reduction" not in text
    assert "fewer" not in text.split(". ")[0]


# Fault 2: violence with injury's change row shows last year's figure for months with no
# figure this year, as if the missing months were zero.
@pytest.mark.parametrize("period", [NOV_2016, date(2016, 12, 1), MAR_2017])
def test_violence_with_injury_missing_months_not_zero(period):
    figures = compute(LOWER, seed_series("violence with injury"), period)
    assert figures.ytd == 1375
    assert figures.ytd_last_year == 1280  # April to November 2015 only
    assert figures.ytd_last_year != 1280 + 146 + 119 + 131 + 170
    assert figures.ytd_change == 95
    expected_missing = tuple(m for m in fy_months(2016)[8:] if m <= period)
    assert figures.missing_periods == expected_missing


@pytest.mark.parametrize(
    ("month", "paper_change"),
    list(zip(fy_months(2016)[8:], [146, 119, 131, 170], strict=True)),
)
def test_violence_with_injury_no_change_for_missing_month(month, paper_change):
    figures = compute(LOWER, seed_series("violence with injury"), month)
    assert figures.value is None
    assert figures.change is None
    assert figures.change != paper_change


def test_violence_with_injury_march_commentary_flags_gap():
    figures = compute(LOWER, seed_series("violence with injury"), MAR_2017)
    text = commentary(figures, LOWER, noun="crimes")
    assert "1,375 crimes recorded, 95 more than the same period last year, a 7% increase." in text
    assert "No figures have been entered for December, January, February and March." in text
    assert "leaves out the same months in both years" in text


# Fault 3: serious acquisitive crime's change row is last year minus this year.
SAC_PAPER_CHANGE_ROW = [38, 12, -1, -17, -38, 23, 59, -2]


@pytest.mark.parametrize(
    ("month", "paper_change"),
    list(zip(fy_months(2016)[:8], SAC_PAPER_CHANGE_ROW, strict=True)),
)
def test_serious_acquisitive_change_is_this_minus_last(month, paper_change):
    figures = compute(LOWER, seed_series("serious acquisitive crime"), month)
    assert figures.change == figures.value - figures.last_year_value
    assert figures.change == -paper_change


def test_serious_acquisitive_ytd_change_sign():
    figures = compute(LOWER, seed_series("serious acquisitive crime"), NOV_2016)
    assert figures.ytd_change == -74
    assert figures.ytd_change_pct < 0
    assert figures.direction == "improving"
    text = commentary(figures, LOWER, noun="serious acquisitive crimes")
    assert "74 fewer than the same period last year, a 6% reduction." in text


# Fault 4: overall crime's row labelled cumulative holds monthly figures.
def test_overall_crime_monthly_row_summed():
    this_year = SEED_002["overall crime"][1]
    assert this_year == [1335, 1576, 1611, 1692, 1637, 1590, 1570, 1575]
    figures = compute(LOWER, seed_series("overall crime"), NOV_2016)
    assert figures.ytd == 12586
    assert figures.ytd != this_year[-1]  # not read as a running total
    assert figures.ytd_last_year == 12016
    assert figures.ytd_change == 570
    assert figures.ytd_change_pct.quantize(Decimal("0.01")) == Decimal("4.74")
    assert dict(figures.cumulative_this_year)[NOV_2016] == 12586
    assert dict(figures.this_year)[add_months(APR_2016, 7)] == 1575


def test_overall_crime_commentary_five_percent_increase():
    figures = compute(LOWER, seed_series("overall crime"), NOV_2016)
    text = commentary(figures, LOWER, noun="crimes")
    assert text.startswith(
        "Between April and the end of November there have been 12,586 crimes recorded, "
        "570 more than the same period last year, a 5% increase."
    )
