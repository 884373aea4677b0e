"""indicators.context: rolling windows, rates, the force's and neighbours' change, shares.

Every case is worked by hand in its comment."""

from datetime import date
from decimal import Decimal

import pytest

from indicators import context as ctx
from indicators.figures import IndicatorSpec, Point, rate_per_1000, rolling, rolling_twelve
from indicators.periods import add_months

COUNT = IndicatorSpec("lower", "count")
NOV_2016 = date(2016, 11, 1)


def monthly(first: date, values: list) -> dict:
    return {add_months(first, i): Point(Decimal(v)) for i, v in enumerate(values) if v is not None}


# December 2014 to November 2016: 12 months of 10, then 12 months of 12.
TWO_YEARS = monthly(date(2014, 12, 1), [10] * 12 + [12] * 12)


@pytest.mark.parametrize(
    ("months", "current", "previous", "change", "pct"),
    [
        (12, 144, 120, 24, 20),  # Dec 2015 to Nov 2016: 12 x 12; the 12 before: 12 x 10
        (3, 36, 30, 6, 20),  # Sep to Nov 2016: 3 x 12 against Sep to Nov 2015: 3 x 10
    ],
)
def test_rolling_windows_worked_by_hand(months, current, previous, change, pct):
    window = rolling(COUNT, TWO_YEARS, NOV_2016, months)

    assert (window.current, window.previous) == (current, previous)
    assert (window.change, window.change_pct) == (change, pct)
    assert window.end == NOV_2016 and window.months == months


def test_rolling_twelve_is_the_twelve_month_rolling_window():
    # Dec 2015 to Nov 2016: 12 x 12 = 144 against 12 x 10 = 120: +24, +20%.
    year = rolling_twelve(COUNT, TWO_YEARS, NOV_2016)

    assert year == rolling(COUNT, TWO_YEARS, NOV_2016, 12)
    assert (year.end, year.months, year.current, year.previous) == (NOV_2016, 12, 144, 120)
    assert (year.change, year.change_pct) == (24, 20)


def test_rolling_with_a_missing_month_has_no_figure():
    series = dict(TWO_YEARS)
    del series[date(2015, 10, 1)]  # in both "before" windows: the previous 12 and 3 months

    twelve = rolling(COUNT, series, NOV_2016, 12)
    assert (twelve.current, twelve.previous, twelve.change) == (144, None, None)
    three = rolling(COUNT, series, NOV_2016, 3)
    assert (three.current, three.previous, three.change) == (36, None, None)
    del series[date(2016, 1, 1)]  # in the current 12 months only
    assert rolling(COUNT, series, NOV_2016, 12).current is None
    assert rolling(COUNT, series, NOV_2016, 3).current == 36


def test_rolling_zero_last_year_has_a_change_but_no_percentage():
    series = monthly(date(2015, 9, 1), [0, 0, 0] + [None] * 9 + [2, 1, 0])

    window = rolling(COUNT, series, NOV_2016, 3)

    assert (window.current, window.previous, window.change, window.change_pct) == (3, 0, 3, None)


def test_rolling_quarterly_counts_the_quarters_ended_by_the_period():
    spec = IndicatorSpec("lower", "count", frequency="quarterly")
    series = {
        date(2015, 7, 1): Point(Decimal(30)),
        date(2015, 10, 1): Point(Decimal(40)),
        date(2016, 7, 1): Point(Decimal(45)),
        date(2016, 10, 1): Point(Decimal(50)),
    }

    # November: Q3 (October to December) is under way, so Q2 2016/17 against Q2 2015/16.
    window = rolling(spec, series, NOV_2016, 3)
    assert (window.current, window.previous, window.change_pct) == (45, 30, 50)
    assert window.end == date(2016, 9, 1)

    # December ends Q3: Q3 2016/17 against Q3 2015/16.
    window = rolling(spec, series, date(2016, 12, 1), 3)
    assert (window.current, window.previous, window.change_pct) == (50, 40, 25)
    assert window.end == date(2016, 12, 1)


def test_rolling_percentage_comes_from_numerators_and_denominators():
    spec = IndicatorSpec("higher", "percentage")
    series = {
        add_months(date(2015, 9, 1), i): Point(None, Decimal(n), Decimal(d))
        for i, (n, d) in enumerate(
            [(1, 4), (1, 4), (2, 2)] + [(0, 0)] * 9 + [(3, 4), (3, 4), (2, 2)]
        )
    }

    window = rolling(spec, series, NOV_2016, 3)

    # Now 8 of 10 = 80%; a year before 4 of 10 = 40%: +40 points.
    assert (window.current, window.previous, window.change) == (80, 40, 40)


def test_counts_window_needs_every_month_of_both_years():
    counts = {add_months(date(2014, 12, 1), i): 100 + i for i in range(24)}

    window = ctx.counts_window(counts, NOV_2016, 12)

    # Months 12..23: 12 x 100 + (12 + ... + 23) = 1,410; months 0..11: 1,200 + 66 = 1,266.
    assert (window.current, window.previous, window.change) == (1410, 1266, 144)
    assert window.change_pct == Decimal(144) / Decimal(1266) * 100
    del counts[date(2015, 1, 1)]
    assert ctx.counts_window(counts, NOV_2016, 12).change is None


def test_force_window_sums_every_crime_type_month_by_month():
    months = [add_months(date(2014, 12, 1), i) for i in range(24)]
    # Burglary 1,000 a month, then 950 (-5%); Robbery 200 a month, then 300 (+50%).
    counts = {
        "Burglary": {m: 1000 if i < 12 else 950 for i, m in enumerate(months)},
        "Robbery": {m: 200 if i < 12 else 300 for i, m in enumerate(months)},
    }

    window = ctx.force_window(counts, ["Burglary", "Robbery"], months, NOV_2016, 12)

    # Dec 2015 to Nov 2016: 12 x (950 + 300) = 15,000; the 12 before: 12 x 1,200 = 14,400.
    # +600 of 14,400 = +4.17%, shown +4.2%.
    assert (window.current, window.previous, window.change) == (15000, 14400, 600)
    assert round(window.change_pct, 1) == Decimal("4.2")


def test_force_window_a_type_missing_in_an_imported_month_had_none():
    months = [add_months(date(2014, 12, 1), i) for i in range(24)]
    counts = {
        "Burglary": {m: 10 for m in months},
        "Robbery": {m: 5 for m in months[12:]},  # none in the first year
    }

    window = ctx.force_window(counts, ["Burglary", "Robbery"], months, NOV_2016, 12)

    # 12 x 15 = 180 against 12 x 10 = 120: +50%.
    assert (window.current, window.previous, window.change_pct) == (180, 120, 50)


def test_force_window_needs_both_whole_years_and_a_crime_type():
    months = [add_months(date(2014, 12, 1), i) for i in range(24)]
    counts = {"Burglary": {m: 10 for m in months}}

    assert ctx.force_window(counts, ["Burglary"], months[1:], NOV_2016, 12) is None
    assert ctx.force_window(counts, [], months, NOV_2016, 12) is None
    # Nothing a year before: a change but no percentage, so no figure.
    zero = {"Burglary": {m: 0 if i < 12 else 10 for i, m in enumerate(months)}}
    assert ctx.force_window(zero, ["Burglary"], months, NOV_2016, 12) is None


def test_quarters_window_crosses_the_financial_year():
    # 2015/16 Q3 to 2016/17 Q2, 10 a quarter in the year before and 11 in the latest.
    counts = {(2014, 3): 10, (2014, 4): 10, (2015, 1): 10, (2015, 2): 10}
    counts |= {(2015, 3): 11, (2015, 4): 11, (2016, 1): 11, (2016, 2): 11}

    window = ctx.quarters_window(counts, (2016, 2))

    assert (window.current, window.previous, window.change, window.change_pct) == (44, 40, 4, 10)
    assert window.end == date(2016, 9, 1)
    assert ctx.quarters_window(counts, (2016, 3)).current is None


@pytest.mark.parametrize(
    ("period", "quarter"),
    [
        (date(2016, 11, 1), (2016, 2)),  # Q3 (October to December) not complete
        (date(2016, 9, 1), (2016, 2)),  # September closes Q2
        (date(2016, 12, 1), (2016, 3)),
        (date(2017, 3, 1), (2016, 4)),
        (date(2016, 4, 1), (2015, 4)),  # April: the year before's Q4
    ],
)
def test_last_complete_quarter(period, quarter):
    assert ctx.last_complete_quarter(period) == quarter


@pytest.mark.parametrize(
    ("value", "denominator", "rate"),
    [
        (5262, 263_100, Decimal(20)),  # 5,262 crimes in 263,100 people: 20 per 1,000
        (0, 1000, Decimal(0)),
        (5, None, None),
        (5, 0, None),
        (None, 1000, None),
    ],
)
def test_rate_per_1000(value, denominator, rate):
    assert rate_per_1000(value, denominator) == rate


def test_denominator_follows_the_indicator_choice():
    figures = {"population": 263_100, "households": 115_000, "businesses": None}

    assert ctx.denominator_for("population", figures) == 263_100
    assert ctx.denominator_for("households", figures) == 115_000
    assert ctx.denominator_for("businesses", figures) is None  # not given: no rate
    assert ctx.denominator_for("none", figures) is None


def test_share_and_summed():
    assert ctx.share(1, 8).pct == Decimal("12.5")
    assert ctx.share(0, 0).pct is None
    assert ctx.summed([("a", 1), ("b", 2), ("a", 3)]) == {"a": 4, "b": 2}


def test_csp_quarters_adds_offences_and_drops_quarters_after_the_end():
    rows = [
        ("Plymouth", 2016, 2, 30),  # burglary
        ("Plymouth", 2016, 2, 12),  # and robbery, the same quarter: 42
        ("Plymouth", 2016, 1, 7),
        ("Plymouth", 2016, 3, 99),  # after the end: left out
        ("Torbay", 2016, 2, 5),
    ]

    assert ctx.csp_quarters(rows, (2016, 2)) == {
        "Plymouth": {(2016, 2): 42, (2016, 1): 7},
        "Torbay": {(2016, 2): 5},
    }


@pytest.mark.parametrize(
    ("quarter", "recent"),
    [((2016, 2), True), ((2015, 3), True), ((2015, 2), False), ((2016, 3), False)],
)
def test_is_recent_quarter_is_one_of_the_four_to_the_end(quarter, recent):
    assert ctx.is_recent_quarter(quarter, (2016, 2)) is recent
