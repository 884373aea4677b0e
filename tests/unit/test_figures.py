from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indicators.figures import (
    IndicatorSpec,
    Point,
    SpcSettings,
    TargetSpec,
    compute,
    history_start,
    rolling_twelve,
    series_of,
    spc_series,
)
from indicators.periods import add_months, fy_months

APR_2015 = date(2015, 4, 1)
APR_2016 = date(2016, 4, 1)
NOV_2016 = date(2016, 11, 1)
TWO_PLACES = Decimal("0.01")

# Seed 002 (Safer Plymouth performance report, January 2017): the monthly rows as printed,
# 2015/16 then 2016/17 from April. The overall crime 2016/17 row is labelled "Cumulative"
# in the paper but holds monthly figures (a known fault in the source).
SEED_002: dict[str, tuple[list[int], list[int]]] = {
    "overall crime": (
        [1652, 1684, 1407, 1469, 1386, 1467, 1565, 1386, 1427, 1332, 1334, 1498],
        [1335, 1576, 1611, 1692, 1637, 1590, 1570, 1575],
    ),
    "serious acquisitive crime": (
        [196, 192, 147, 119, 106, 169, 148, 146, 135, 119, 130, 172],
        [158, 180, 148, 136, 144, 146, 89, 148],
    ),
    "violence with injury": (
        [151, 166, 160, 177, 140, 163, 186, 137, 146, 119, 131, 170],
        [134, 173, 185, 208, 158, 177, 192, 148],
    ),
    "domestic abuse": (
        [553, 569, 504, 603, 549, 503, 578, 470, 560, 533, 437, 484],
        [351, 412, 431, 475, 469, 382, 352, 358],
    ),
    "anti-social behaviour": (
        [864, 894, 769, 946, 912, 809, 892, 717, 733, 734, 741, 781],
        [853, 967, 965, 955, 899, 887, 896, 748],
    ),
    "hate crime": (
        [30, 25, 26, 17, 36, 25, 22, 38, 21, 20, 53, 32],
        [17, 25, 32, 54, 37, 45, 42, 35],
    ),
}
# The paper's own "Cumulative (2016/17)" rows, where it prints one that really is cumulative.
SEED_002_CUMULATIVE = {
    "serious acquisitive crime": [158, 338, 486, 622, 766, 912, 1001, 1149],
    "violence with injury": [134, 307, 492, 700, 858, 1035, 1227, 1375],
    "domestic abuse": [351, 763, 1194, 1669, 2138, 2520, 2872, 3230],
    "anti-social behaviour": [853, 1820, 2785, 3740, 4639, 5526, 6422, 7170],
    "hate crime": [17, 42, 74, 128, 165, 210, 252, 287],
}
IST_ACTUALS = [41, 61, 60, 67, 34, 51, 47]
IST_PROFILE = [55, 108, 162, 214, 268, 321, 375, 428, 482, 536, 588, 640]
REFERRALS = {
    date(2015, 4, 1): 542,
    date(2015, 7, 1): 539,
    date(2015, 10, 1): 555,
    date(2016, 1, 1): 539,
    date(2016, 4, 1): 518,
    date(2016, 7, 1): 526,
}


def monthly(first: date, values: list[int | None]) -> dict[date, Point]:
    """A series of counts from ``first`` onwards; None leaves a month out."""
    return series_of({add_months(first, i): v for i, v in enumerate(values)})


def seed_series(name: str) -> dict[date, Point]:
    last_year, this_year = SEED_002[name]
    return monthly(APR_2015, last_year) | monthly(APR_2016, this_year)


def profile(first: date, values: list[int]) -> dict[date, Decimal]:
    return {add_months(first, i): Decimal(v) for i, v in enumerate(values)}


def counts(polarity: str = "lower", **kwargs) -> IndicatorSpec:
    return IndicatorSpec(polarity=polarity, measure="count", **kwargs)


def ist_target() -> TargetSpec:
    return TargetSpec("cumulative", profile=profile(APR_2016, IST_PROFILE))


@pytest.mark.parametrize(
    ("name", "polarity", "ytd", "last_year", "change", "pct", "direction"),
    [
        ("serious acquisitive crime", "lower", 1149, 1223, -74, "-6.05", "improving"),
        ("hate crime", "higher", 287, 219, 68, "31.05", "improving"),
        ("anti-social behaviour", "lower", 7170, 6803, 367, "5.39", "deteriorating"),
        ("violence with injury", "lower", 1375, 1280, 95, "7.42", "deteriorating"),
        ("overall crime", "lower", 12586, 12016, 570, "4.74", "deteriorating"),
        ("domestic abuse", "higher", 3230, 4329, -1099, "-25.39", "deteriorating"),
    ],
)
def test_compute_seed_002_year_to_date(name, polarity, ytd, last_year, change, pct, direction):
    figures = compute(counts(polarity), seed_series(name), NOV_2016)
    assert figures.financial_year == "2016/17"
    assert figures.ytd == ytd
    assert figures.ytd_last_year == last_year
    assert figures.ytd_change == change
    assert figures.ytd_change_pct.quantize(TWO_PLACES) == Decimal(pct)
    assert figures.direction == direction
    assert figures.missing_periods == ()


@pytest.mark.parametrize("name", sorted(SEED_002_CUMULATIVE))
def test_compute_seed_002_cumulative_matches_paper(name):
    figures = compute(counts(), seed_series(name), NOV_2016)
    running = [value for _, value in figures.cumulative_this_year[:8]]
    assert running == SEED_002_CUMULATIVE[name]
    assert [value for _, value in figures.cumulative_this_year[8:]] == [None] * 4


@pytest.mark.parametrize(
    ("period", "ytd", "target", "gap", "status"),
    [
        (date(2016, 4, 1), 41, 55, -14, "red"),  # 41 < 52.25
        (date(2016, 5, 1), 102, 108, -6, "red"),  # 102 < 102.6
        (date(2016, 6, 1), 162, 162, 0, "green"),
        (date(2016, 7, 1), 229, 214, 15, "green"),
        (date(2016, 8, 1), 263, 268, -5, "amber"),
        (date(2016, 9, 1), 314, 321, -7, "amber"),
        (date(2016, 10, 1), 361, 375, -14, "amber"),  # 361 >= 356.25
    ],
)
def test_compute_ist_cumulative_profile(period, ytd, target, gap, status):
    figures = compute(counts("higher"), monthly(APR_2016, IST_ACTUALS), period, ist_target())
    assert figures.ytd == ytd
    assert figures.target_to_date == target
    assert figures.target_gap == gap
    assert figures.status == status
    assert figures.annual_target == 640


def test_compute_ist_october_required_average_and_forecast():
    figures = compute(
        counts("higher"), monthly(APR_2016, IST_ACTUALS), date(2016, 10, 1), ist_target()
    )
    assert figures.required_monthly_average == Decimal("55.8")  # (640 - 361) / 5
    assert figures.forecast == Decimal(361) / 7 * 12  # no last year: even spread
    assert figures.ytd_last_year is None
    assert figures.direction == "none"
    assert [v for _, v in figures.cumulative_target] == IST_PROFILE


def test_compute_ist_missing_november_keeps_target_like_for_like():
    figures = compute(counts("higher"), monthly(APR_2016, IST_ACTUALS), NOV_2016, ist_target())
    assert figures.missing_periods == (NOV_2016,)
    assert figures.ytd == 361
    # November's step of the profile (428 - 375) is left out with November's actual.
    assert figures.target_to_date == 375
    assert figures.required_monthly_average is None


@pytest.mark.parametrize(
    ("period", "missing"),
    [(date(2016, 9, 1), ()), (NOV_2016, ()), (date(2017, 1, 1), (date(2016, 10, 1),))],
)
def test_compute_referrals_quarterly(period, missing):
    spec = IndicatorSpec("higher", "count", frequency="quarterly")
    figures = compute(spec, series_of(REFERRALS), period)
    assert figures.ytd == 1044
    assert figures.ytd_last_year == 1081
    assert figures.ytd_change == -37
    assert figures.ytd_change_pct.quantize(TWO_PLACES) == Decimal("-3.42")
    assert figures.missing_periods == missing
    assert figures.ytd_periods == (date(2016, 4, 1), date(2016, 7, 1))
    assert len(figures.this_year) == 4


def test_compute_referrals_second_quarter():
    spec = IndicatorSpec("higher", "count", frequency="quarterly")
    figures = compute(spec, series_of(REFERRALS), date(2016, 9, 1))
    assert figures.quarter == 2
    assert figures.value == 526
    assert figures.change == -13
    assert figures.quarter_value == 526
    assert figures.quarter_last_year == 539
    assert figures.quarter_previous == 518
    assert figures.quarter_previous_change == 8
    assert figures.quarter_complete
    assert figures.ytd_end == date(2016, 9, 1)


def test_compute_referrals_quarter_under_way():
    spec = IndicatorSpec("higher", "count", frequency="quarterly")
    figures = compute(spec, series_of(REFERRALS), NOV_2016, TargetSpec("annual", Decimal(2200)))
    assert figures.quarter == 3
    assert figures.value is None
    assert figures.quarter_value is None
    assert figures.ytd_end == date(2016, 9, 1)
    # Last year complete: 2,200 spread by last year's first two quarters (1,081 of 2,175).
    assert figures.target_to_date == Decimal(2200) * 1081 / 2175
    assert figures.required_monthly_average == (Decimal(2200) - 1044) / 6


def test_compute_a_quarter_under_way_leaves_out_its_figure_entered_early():
    """Review finding: a figure for October to December, entered once December ended,
    turned the report to November's 3% fall (1,044 against 1,081) into a rise."""
    spec = IndicatorSpec("higher", "count", frequency="quarterly")
    with_q3 = series_of({**REFERRALS, date(2016, 10, 1): 600})
    target = TargetSpec("annual", Decimal(2200))

    november = compute(spec, with_q3, NOV_2016, target)
    assert november == compute(spec, series_of(REFERRALS), NOV_2016, target)
    assert november.ytd == 1044 and november.ytd_end == date(2016, 9, 1)
    assert november.value is None and november.quarter_value is None
    assert dict(november.this_year)[date(2016, 10, 1)] is None

    december = compute(spec, with_q3, date(2016, 12, 1), target)
    assert december.ytd == 1644 and december.ytd_end == date(2016, 12, 1)
    assert december.value == 600 and december.quarter_value == 600


def test_spc_series_leaves_out_a_quarter_under_way():
    spec = IndicatorSpec("higher", "count", frequency="quarterly")
    with_q3 = series_of({**REFERRALS, date(2016, 10, 1): 600})
    slots, analysis = spc_series(spec, with_q3, NOV_2016)
    assert slots == spc_series(spec, series_of(REFERRALS), NOV_2016)[0]
    assert 600 not in [point for point in analysis.values if point is not None]


@pytest.mark.parametrize(
    ("period", "value", "last", "quarter_value", "quarter_last", "previous", "previous_change"),
    [
        (NOV_2016, 148, 146, 237, 294, 426, None),  # October-November against a whole quarter
        (date(2016, 9, 1), 146, 169, 426, 394, 486, -60),
        (APR_2016, 158, 196, 158, 196, 421, None),  # previous quarter: January-March 2016
    ],
)
def test_compute_monthly_quarter_figures(
    period, value, last, quarter_value, quarter_last, previous, previous_change
):
    figures = compute(counts(), seed_series("serious acquisitive crime"), period)
    assert figures.value == value
    assert figures.last_year_value == last
    assert figures.change == value - last
    assert figures.quarter_value == quarter_value
    assert figures.quarter_last_year == quarter_last
    assert figures.quarter_change == quarter_value - quarter_last
    assert figures.quarter_previous == previous
    assert figures.quarter_previous_change == previous_change


def test_compute_april_one_month():
    figures = compute(
        counts(),
        seed_series("serious acquisitive crime"),
        APR_2016,
        TargetSpec("annual", Decimal(1700)),
    )
    assert figures.ytd == 158
    assert figures.ytd_last_year == 196
    assert figures.months_elapsed == 1
    assert figures.months_remaining == 11
    assert figures.ytd_periods == (APR_2016,)


def test_compute_march_whole_year():
    series = monthly(APR_2015, [10] * 12) | monthly(APR_2016, list(range(1, 13)))
    figures = compute(counts(), series, date(2017, 3, 1), TargetSpec("annual", Decimal(100)))
    assert figures.ytd == 78
    assert figures.ytd_last_year == 120
    assert figures.months_elapsed == 12
    assert figures.months_remaining == 0
    assert figures.required_monthly_average is None
    assert figures.forecast == 78
    assert figures.target_to_date == 100
    assert figures.status == "green"


def test_compute_missing_month_not_zero():
    this_year: list[int | None] = [10, 10, 10, 10, None, 10, 10, 10]
    series = monthly(APR_2015, [20] * 12) | monthly(APR_2016, this_year)
    figures = compute(counts(), series, NOV_2016, TargetSpec("annual", Decimal(120)))
    assert figures.missing_periods == (date(2016, 8, 1),)
    assert figures.ytd == 70
    assert figures.ytd_last_year == 140  # August 2015 left out too
    assert figures.ytd_change == -70
    # A gap before the latest figure: the year to date is only the months with figures, so
    # it is not set against a target (the report does not rate it as if it were complete).
    assert figures.ytd_partial
    assert figures.ytd_end == date(2016, 11, 1)
    assert figures.target_to_date is None
    assert figures.status == "none"
    assert figures.required_monthly_average is None
    assert dict(figures.this_year)[date(2016, 8, 1)] is None
    # No running total from the gap on: 50 beside a target to date that counts August
    # would read as if August were nought.
    assert dict(figures.cumulative_this_year)[date(2016, 7, 1)] == 40
    assert dict(figures.cumulative_this_year)[date(2016, 8, 1)] is None
    assert dict(figures.cumulative_this_year)[date(2016, 9, 1)] is None


def test_compute_missing_last_year_month_no_comparison():
    series = monthly(APR_2015, [20, 20, None, 20]) | monthly(APR_2016, [10, 10, 10, 10])
    figures = compute(counts(), series, date(2016, 7, 1))
    assert figures.ytd == 40
    assert figures.ytd_last_year is None
    assert figures.ytd_change is None
    assert figures.direction == "none"


def test_compute_zero_last_year_no_percentage():
    series = monthly(APR_2015, [0, 0, 0]) | monthly(APR_2016, [1, 2, 3])
    figures = compute(counts("higher"), series, date(2016, 6, 1))
    assert figures.ytd_change == 6
    assert figures.ytd_change_pct is None
    assert figures.change == 3
    assert figures.change_pct is None
    assert figures.direction == "improving"


def test_compute_zero_both_years_stable():
    series = monthly(APR_2015, [0, 0]) | monthly(APR_2016, [0, 0])
    figures = compute(counts(), series, date(2016, 5, 1))
    assert figures.ytd_change == 0
    assert figures.ytd_change_pct is None
    assert figures.direction == "stable"


def test_compute_no_target_no_status():
    figures = compute(counts(), seed_series("serious acquisitive crime"), NOV_2016)
    assert figures.status == "none"
    assert figures.annual_target is None
    assert figures.target_to_date is None
    assert figures.target_gap is None
    assert figures.required_monthly_average is None
    assert all(value is None for _, value in figures.cumulative_target)


def test_compute_monitor_polarity_no_status_or_direction():
    spec = IndicatorSpec("monitor", "count")
    figures = compute(
        spec, seed_series("anti-social behaviour"), NOV_2016, TargetSpec("annual", Decimal(9000))
    )
    assert figures.status == "none"
    assert figures.direction == "none"
    assert figures.ytd_change == 367
    assert figures.target_to_date is not None


def test_compute_no_figures_this_year():
    figures = compute(counts(), monthly(APR_2015, [5] * 12), NOV_2016)
    assert figures.ytd is None
    assert figures.forecast is None
    assert len(figures.missing_periods) == 8


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([(9, 10), (1, 10)], Decimal(50)),
        ([(9, 10), (1, 30)], Decimal(25)),  # the mean of 90% and 3.3% would be 46.7%
        ([(0, 5), (0, 5)], Decimal(0)),
        ([(528, 600)], Decimal(88)),
    ],
)
def test_compute_percentage_ratio_of_sums(parts, expected):
    series = {
        add_months(APR_2016, i): Point(None, numerator=Decimal(n), denominator=Decimal(d))
        for i, (n, d) in enumerate(parts)
    }
    spec = IndicatorSpec("higher", "percentage")
    figures = compute(spec, series, add_months(APR_2016, len(parts) - 1))
    assert figures.ytd == expected
    assert figures.change_is_points
    assert figures.ytd_numerator == sum(n for n, _ in parts)


def test_compute_percentage_parts_preferred_to_stored_value():
    series = {APR_2016: Point(Decimal(99), numerator=Decimal(1), denominator=Decimal(4))}
    figures = compute(IndicatorSpec("higher", "percentage"), series, APR_2016)
    assert figures.value == 25


def test_compute_percentage_without_parts_no_ytd():
    # Seed 002 "ist" satisfaction: only monthly percentages are printed, so no honest
    # year-to-date percentage can be made from them.
    values = [100, 89, 89, 86, 75, 90]
    series = series_of({add_months(APR_2016, i): v for i, v in enumerate(values)})
    target = TargetSpec("cumulative", profile=profile(APR_2016, [90] * 6))
    figures = compute(IndicatorSpec("higher", "percentage"), series, date(2016, 9, 1), target)
    assert figures.value == 90
    assert figures.ytd is None
    assert figures.ratio_parts_missing
    assert figures.status == "none"
    assert figures.target_to_date == 90


def test_compute_percentage_level_target_and_points():
    def month(n: int, d: int) -> Point:
        return Point(None, numerator=Decimal(n), denominator=Decimal(d))

    series = {
        date(2015, 4, 1): month(45, 50),
        date(2015, 5, 1): month(45, 50),
        APR_2016: month(43, 50),
        date(2016, 5, 1): month(44, 50),
    }
    spec = IndicatorSpec("higher", "percentage")
    figures = compute(spec, series, date(2016, 5, 1), TargetSpec("annual", Decimal(90)))
    assert figures.ytd == 87
    assert figures.ytd_last_year == 90
    assert figures.ytd_change == -3  # percentage points
    assert figures.target_to_date == 90
    assert figures.status == "amber"  # 87 >= 90 x 0.95
    assert figures.direction == "deteriorating"
    assert figures.forecast == 87


@pytest.mark.parametrize(
    ("frequency", "figures", "profile", "expected"),
    [
        # Figures to September, November late: held to September's point, not November's.
        (
            "monthly",
            {date(2016, m, 1): (61, 69) for m in range(4, 10)},
            {date(2016, 9, 1): 85, date(2016, 10, 1): 95, date(2016, 11, 1): 96},
            85,
        ),
        # Two quarters, the third under way at November: the second quarter's point.
        (
            "quarterly",
            {APR_2016: (85, 100), date(2016, 7, 1): (86, 100)},
            {APR_2016: 80, date(2016, 7, 1): 82, date(2016, 10, 1): 95, date(2017, 1, 1): 96},
            82,
        ),
    ],
)
def test_compute_a_levels_profile_target_is_that_of_the_last_period_with_a_figure(
    frequency, figures, profile, expected
):
    """Review finding: a percentage was held to November's point (95, red) while its year
    to date ran to September (85.5 against 82: green)."""
    series = {
        month: Point(None, numerator=Decimal(n), denominator=Decimal(d))
        for month, (n, d) in figures.items()
    }
    spec = IndicatorSpec("higher", "percentage", frequency=frequency)
    target = TargetSpec("cumulative", profile={m: Decimal(v) for m, v in profile.items()})

    result = compute(spec, series, NOV_2016, target)

    assert result.target_to_date == expected
    assert result.status == "green"


def test_compute_percentage_stable_within_one_point():
    def month(n: int) -> Point:
        return Point(None, numerator=Decimal(n), denominator=Decimal(1000))

    series = {date(2015, 4, 1): month(500), APR_2016: month(509)}
    figures = compute(IndicatorSpec("higher", "percentage"), series, APR_2016)
    assert figures.ytd_change == Decimal("0.9")
    assert figures.direction == "stable"


def test_compute_rate_per_thousand():
    series = {
        APR_2016: Point(None, numerator=Decimal(30), denominator=Decimal(10000)),
        date(2016, 5, 1): Point(None, numerator=Decimal(50), denominator=Decimal(10000)),
    }
    figures = compute(IndicatorSpec("lower", "rate"), series, date(2016, 5, 1))
    assert figures.value == 5
    assert figures.ytd == 4  # 80 per 20,000, a level
    assert not figures.change_is_points


def test_compute_rate_entered_as_rates_alone_averages_them_worked_by_hand():
    # SS 06, quarterly, per 1,000 population: 21.0 and 19.0 with no counts or populations.
    # With the same population each quarter the year to date from the parts would be their
    # mean, 20.0; it is set against the annual target of 20 (a level) and rated green.
    series = {
        date(2010, 4, 1): Point(Decimal(21)),
        date(2010, 7, 1): Point(Decimal(19)),
    }
    spec = IndicatorSpec("lower", "rate", frequency="quarterly")
    figures = compute(spec, series, date(2010, 9, 1), TargetSpec("annual", Decimal(20)))
    assert figures.ytd == 20
    assert figures.ytd_rates_averaged and not figures.ratio_parts_missing
    assert figures.status == "green"
    assert dict(figures.cumulative_this_year)[date(2010, 7, 1)] == 20


def test_compute_rate_with_parts_for_some_periods_only_has_no_ytd():
    series = {
        APR_2016: Point(None, numerator=Decimal(30), denominator=Decimal(10000)),
        date(2016, 5, 1): Point(Decimal(5)),
    }
    figures = compute(IndicatorSpec("lower", "rate"), series, date(2016, 5, 1))
    assert figures.ytd is None
    assert figures.ratio_parts_missing and not figures.ytd_rates_averaged


def test_compute_snapshot_latest():
    series = monthly(APR_2015, [40, 41, 42, 43]) | monthly(APR_2016, [50, 48, None, 45])
    figures = compute(IndicatorSpec("lower", "snapshot"), series, date(2016, 7, 1))
    assert figures.ytd == 45
    assert figures.ytd_last_year == 43
    assert figures.forecast == 45
    assert figures.missing_periods == (date(2016, 6, 1),)


def test_compute_january_financial_year():
    spec = counts(fy_start_month=1)
    series = monthly(date(2016, 1, 1), [5] * 12) | monthly(date(2017, 1, 1), [4, 6, 7])
    figures = compute(spec, series, date(2017, 3, 1))
    assert figures.financial_year == "2017"
    assert figures.fy_start == date(2017, 1, 1)
    assert figures.ytd == 17
    assert figures.ytd_last_year == 15
    assert figures.quarter == 1
    assert figures.months_remaining == 9


def test_compute_seed_001_required_average():
    # Seed 001: "an average of 648 incidents per month between September and March".
    series = monthly(APR_2016, [600] * 5)
    target = TargetSpec("annual", Decimal(3000 + 648 * 7))
    figures = compute(counts("higher"), series, date(2016, 8, 1), target)
    assert figures.required_monthly_average == 648
    assert figures.months_remaining == 7


@pytest.mark.parametrize(
    ("last_year", "expected"),
    [
        ([50] * 6 + [150] * 6, Decimal(300)),  # complete: last year's pattern, 300 of 1,200
        ([50] * 6 + [150] * 5 + [None], Decimal(600)),  # incomplete: evenly, 6 of 12 months
        ([0] * 12, Decimal(600)),  # no pattern to follow
    ],
)
def test_compute_annual_count_target_spread(last_year, expected):
    series = monthly(APR_2015, last_year) | monthly(APR_2016, [40] * 6)
    target = TargetSpec("annual", Decimal(1200))
    figures = compute(counts(), series, date(2016, 9, 1), target)
    assert figures.target_to_date == expected
    assert figures.target_gap == 240 - expected


def test_compute_change_pct_target():
    target = TargetSpec("change_pct", Decimal(-3), baseline_year=2015)
    figures = compute(counts(), seed_series("serious acquisitive crime"), NOV_2016, target)
    assert figures.target_to_date == Decimal("1186.31")  # 1,223 x 0.97
    assert figures.annual_target == Decimal("1725.63")  # 1,779 x 0.97
    assert figures.status == "green"


def test_compute_change_pct_target_incomplete_baseline():
    series = monthly(APR_2015, [10, None, 10]) | monthly(APR_2016, [9, 9, 9])
    target = TargetSpec("change_pct", Decimal(-3), baseline_year=2015)
    figures = compute(counts(), series, date(2016, 6, 1), target)
    assert figures.target_to_date is None
    assert figures.annual_target is None
    assert figures.status == "none"


def test_compute_forecast_by_last_year_pattern():
    figures = compute(counts(), seed_series("serious acquisitive crime"), NOV_2016)
    assert figures.forecast == Decimal(1149) * 1779 / 1223


@pytest.mark.parametrize(
    ("polarity", "ytd", "target", "status"),
    [
        ("lower", 100, 100, "green"),
        ("lower", 99, 100, "green"),
        ("lower", 105, 100, "amber"),
        ("lower", "105.01", 100, "red"),
        ("higher", 100, 100, "green"),
        ("higher", 101, 100, "green"),
        ("higher", 95, 100, "amber"),
        ("higher", "94.99", 100, "red"),
        ("monitor", 200, 100, "none"),
    ],
)
def test_compute_status_bands(polarity, ytd, target, status):
    series = series_of({APR_2016: ytd})
    spec = IndicatorSpec(polarity, "snapshot")
    figures = compute(spec, series, APR_2016, TargetSpec("annual", Decimal(target)))
    assert figures.status == status


@pytest.mark.parametrize(
    ("polarity", "this_year", "last_year", "direction"),
    [
        ("lower", 101, 100, "stable"),
        ("lower", 99, 100, "stable"),
        ("lower", 102, 100, "deteriorating"),
        ("lower", 98, 100, "improving"),
        ("higher", 102, 100, "improving"),
        ("higher", 98, 100, "deteriorating"),
        ("monitor", 150, 100, "none"),
    ],
)
def test_compute_direction_by_polarity(polarity, this_year, last_year, direction):
    series = series_of({date(2015, 4, 1): last_year, APR_2016: this_year})
    assert compute(counts(polarity), series, APR_2016).direction == direction


def test_compute_spc_limits_hand_worked():
    series = monthly(APR_2015, [10 + 2 * (i % 2) for i in range(24)])
    figures = compute(counts(), series, add_months(APR_2015, 23))
    assert figures.spc_mean == 11
    assert figures.spc_lower == Decimal("5.68")  # 11 - 2.66 x 2
    assert figures.spc_upper == Decimal("16.32")
    assert figures.spc_points == 24
    assert figures.variation == "common cause"
    assert figures.variation_test == "spc"


def test_compute_spc_too_few_points_uses_poisson():
    series = monthly(APR_2015, [100] * 12 + [64])
    del series[add_months(APR_2015, 6)]
    figures = compute(counts(), series, APR_2016)
    assert figures.spc_mean is None and figures.variation is None
    assert figures.variation_test == "poisson"
    assert figures.poisson_z == -4  # 2 x (8 - 10)
    assert figures.within_normal_variation is False


def test_compute_spc_gap_breaks_moving_range():
    # Alternate months missing: no neighbours, so no moving range can be trusted.
    series = monthly(APR_2015, [v for i in range(14) for v in (10 + i, None)])
    figures = compute(counts(), series, add_months(APR_2015, 26))
    assert figures.spc_mean is None
    # Not enough for limits, so the two Novembers' counts are compared instead.
    assert figures.variation_test == "poisson"
    assert figures.within_normal_variation is True


@pytest.mark.parametrize(
    ("value", "within", "meaning"),
    [(16, True, None), (20, False, "concern"), (6, True, None), (1, False, "improvement")],
)
def test_compute_within_normal_variation(value, within, meaning):
    # The limits include the month itself (Making Data Count): 20 points.
    values = [10 + 2 * (i % 2) for i in range(19)] + [value]
    series = monthly(date(2015, 4, 1), values)
    figures = compute(counts(), series, add_months(APR_2015, 19))
    assert figures.spc_points == 20
    assert figures.within_normal_variation is within
    assert figures.spc_meaning == meaning


def test_compute_spc_judges_the_latest_month_with_a_figure_when_the_reporting_month_has_none():
    # April 2015 to November 2016: 10 and 12 in turn, then 20 in November 2016. December
    # has no figure yet, so process control judges November, the year to date's last month.
    # Mean (10 x 10 + 9 x 12 + 20) / 20 = 11.4; moving ranges 18 x 2 and 10, average
    # 46 / 19 = 2.42; upper limit 11.4 + 2.66 x 2.42 = 17.84: 20 is beyond it.
    values = [10 + 2 * (i % 2) for i in range(19)] + [20]
    figures = compute(counts(), monthly(APR_2015, values), date(2016, 12, 1))
    assert figures.value is None and figures.ytd_end == NOV_2016
    assert figures.spc_period == NOV_2016
    assert figures.spc_points == 20
    assert figures.spc_mean == Decimal("11.4")
    assert figures.spc_upper.quantize(TWO_PLACES) == Decimal("17.84")
    assert figures.spc_signal.rule == "beyond"
    assert figures.variation == "special cause concerning"
    assert figures.variation_test == "spc"


def test_compute_spc_judges_nothing_without_a_figure_this_year():
    # Two whole years of figures to March 2016, none since: nothing of 2016/17 to judge.
    values = [10 + 2 * (i % 2) for i in range(24)]
    figures = compute(counts(), monthly(date(2014, 4, 1), values), NOV_2016)
    assert figures.spc_period is None
    assert figures.variation is None and figures.variation_test is None


def test_compute_spc_names_the_reporting_month_when_it_has_a_figure():
    values = [10 + 2 * (i % 2) for i in range(20)]
    figures = compute(counts(), monthly(APR_2015, values), NOV_2016)
    assert figures.spc_period == NOV_2016 and figures.spc_points == 20


def test_compute_spc_shift_names_the_run():
    values = [10, 14] * 8 + [11] * 6
    figures = compute(counts(), monthly(APR_2015, values), add_months(APR_2015, 21))
    assert figures.spc_signal.rule == "shift" and figures.spc_signal.run == 6
    assert figures.spc_meaning == "improvement"
    assert figures.variation == "special cause improving"


def test_compute_spc_assurance_from_monthly_target():
    values = [10 + 2 * (i % 2) for i in range(24)]
    period = add_months(APR_2015, 23)
    # Limits 5.68 to 16.32 a month: 12 x 17 a year can never be missed, 12 x 5 never met.
    fails = compute(counts(), monthly(APR_2015, values), period, TargetSpec("annual", 60))
    passes = compute(counts(), monthly(APR_2015, values), period, TargetSpec("annual", 204))
    assert fails.assurance == "consistently fails"
    assert passes.assurance == "consistently passes"


def test_compute_spc_settings_baseline_and_run_length():
    values = [10, 14] * 8 + [11] * 6
    series = monthly(APR_2015, values)
    period = add_months(APR_2015, 21)
    seven = compute(counts(), series, period, spc_settings=SpcSettings(run_length=7))
    assert seven.spc_signal is None
    fixed = SpcSettings(baseline_start=APR_2015, baseline_end=add_months(APR_2015, 15))
    baseline = compute(counts(), series, period, spc_settings=fixed)
    assert baseline.spc_mean == 12 and baseline.spc_points == 16


def test_point_refuses_float():
    with pytest.raises(TypeError, match="not float"):
        Point(1.5)  # type: ignore[arg-type]


def test_point_accepts_int_and_str():
    assert Point(3, "1", 2) == Point(Decimal(3), Decimal(1), Decimal(2))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"polarity": "down", "measure": "count"}, "polarity must be one of"),
        ({"polarity": "lower", "measure": "mean"}, "measure must be one of"),
        ({"polarity": "lower", "measure": "count", "frequency": "weekly"}, "frequency"),
        ({"polarity": "lower", "measure": "count", "fy_start_month": 0}, "fy_start_month"),
        ({"polarity": "lower", "measure": "count", "tolerance_pct": -1}, "tolerance_pct"),
    ],
)
def test_indicator_spec_bad_choice(kwargs, message):
    with pytest.raises(ValueError, match=message):
        IndicatorSpec(**kwargs)


def test_target_spec_change_pct_needs_baseline():
    with pytest.raises(ValueError, match="baseline_year"):
        TargetSpec("change_pct", Decimal(-3))


def test_compute_two_actuals_same_month():
    series = {date(2016, 4, 1): Point(Decimal(1)), date(2016, 4, 15): Point(Decimal(2))}
    with pytest.raises(ValueError, match="same month"):
        compute(counts(), series, APR_2016)


# Properties. Two financial years of monthly counts, any of them possibly missing.
two_years = st.lists(
    st.one_of(st.none(), st.integers(min_value=0, max_value=5000)), min_size=24, max_size=24
)
month_index = st.integers(min_value=0, max_value=11)


def two_year_series(values: list[int | None]) -> dict[date, Point]:
    return monthly(APR_2015, values)


@settings(max_examples=200, deadline=None)
@given(values=two_years, index=month_index)
def test_compute_ytd_is_sum_of_present_months(values, index):
    period = fy_months(2016)[index]
    figures = compute(counts(), two_year_series(values), period)
    present = [v for v in values[12 : 13 + index] if v is not None]
    assert figures.ytd == (sum(present) if present else None)
    assert len(figures.ytd_periods) + len(figures.missing_periods) == index + 1


@settings(max_examples=200, deadline=None)
@given(
    frequency=st.sampled_from(["monthly", "quarterly"]),
    values=st.lists(st.integers(min_value=0, max_value=5000), min_size=36, max_size=36),
    later=st.lists(st.integers(min_value=0, max_value=5000), min_size=12, max_size=12),
    index=month_index,
)
def test_compute_reads_nothing_of_a_period_ending_after_the_reporting_month(
    frequency, values, later, index
):
    """A report to a month is the same whatever is entered for periods that end after
    it: later months, and a quarter still under way."""
    step = 1 if frequency == "monthly" else 3
    spec = IndicatorSpec("lower", "count", frequency=frequency)
    period = fy_months(2016)[index]
    slots = [add_months(date(2014, 4, 1), i) for i in range(0, 36, step)]
    known = {
        slot: values[i] for i, slot in enumerate(slots) if add_months(slot, step - 1) <= period
    }
    after = [slot for slot in slots if add_months(slot, step - 1) > period]
    with_later = {**known, **dict(zip(after, later, strict=False))}
    assert compute(spec, series_of(with_later), period) == compute(spec, series_of(known), period)


@settings(max_examples=200, deadline=None)
@given(values=two_years, index=month_index)
def test_compute_change_is_this_minus_last(values, index):
    period = fy_months(2016)[index]
    figures = compute(counts(), two_year_series(values), period)
    this, last = values[12 + index], values[index]
    if this is None or last is None:
        assert figures.change is None
    else:
        assert figures.change == this - last
    if figures.ytd is not None and figures.ytd_last_year is not None:
        assert figures.ytd_change == figures.ytd - figures.ytd_last_year


@settings(max_examples=200, deadline=None)
@given(values=two_years, index=month_index)
def test_compute_last_year_like_for_like(values, index):
    period = fy_months(2016)[index]
    figures = compute(counts(), two_year_series(values), period)
    same_months = [values[i - 12] for i in range(12, 13 + index) if values[i] is not None]
    if not same_months or None in same_months:
        assert figures.ytd_last_year is None
    else:
        assert figures.ytd_last_year == sum(same_months)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=5000), min_size=24, max_size=24),
    index=month_index,
    data=st.data(),
)
def test_compute_missing_month_never_zero(values, index, data):
    gap = data.draw(st.integers(min_value=0, max_value=index))
    with_gap: list[int | None] = list(values)
    with_gap[12 + gap] = None
    period = fy_months(2016)[index]
    full = compute(counts(), two_year_series(values), period)
    holed = compute(counts(), two_year_series(with_gap), period)
    assert holed.missing_periods == (fy_months(2016)[gap],)
    if index == 0:
        assert holed.ytd is None
    else:
        assert holed.ytd == full.ytd - values[12 + gap]
        assert holed.ytd_last_year == full.ytd_last_year - values[gap]


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(
        st.integers(min_value=0, max_value=1000).flatmap(
            lambda d: st.tuples(st.integers(min_value=0, max_value=d), st.just(d))
        ),
        min_size=1,
        max_size=12,
    )
)
def test_compute_percentage_ytd_within_bounds(parts):
    assume(sum(d for _, d in parts) > 0)
    series = {
        add_months(APR_2016, i): Point(None, numerator=Decimal(n), denominator=Decimal(d))
        for i, (n, d) in enumerate(parts)
        if d > 0
    }
    assume(series)
    last = max(series)
    figures = compute(IndicatorSpec("higher", "percentage"), series, last)
    assert figures.ytd is not None
    assert 0 <= figures.ytd <= 100


@settings(max_examples=200, deadline=None)
@given(
    polarity=st.sampled_from(["lower", "higher"]),
    actuals=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=12),
    steps=st.lists(st.integers(min_value=0, max_value=500), min_size=12, max_size=12),
)
def test_compute_status_green_iff_target_met(polarity, actuals, steps):
    cumulative, running = [], 0
    for step in steps:
        running += step
        cumulative.append(running)
    target = TargetSpec("cumulative", profile=profile(APR_2016, cumulative))
    period = add_months(APR_2016, len(actuals) - 1)
    figures = compute(counts(polarity), monthly(APR_2016, actuals), period, target)
    met = (
        figures.ytd <= figures.target_to_date
        if polarity == "lower"
        else (figures.ytd >= figures.target_to_date)
    )
    assert figures.target_to_date == cumulative[len(actuals) - 1]
    assert (figures.status == "green") is met
    assert figures.status in ("green", "amber", "red")


# How far back an indicator's figures are read -------------------------------------------


def test_history_start_covers_the_xmr_window_worked_by_hand():
    # November 2016: two years back is April 2014, but the 36-month window starts in
    # December 2013; a baseline of 2009/10 reaches April 2009.
    spec = IndicatorSpec("lower", "count")
    assert history_start(spec, date(2016, 11, 1)) == date(2013, 12, 1)
    assert history_start(spec, date(2016, 11, 1), [2009]) == date(2009, 4, 1)
    # Quarterly: 36 quarters back from Q3 2016/17 (October 2016) is January 2008.
    quarterly = IndicatorSpec("lower", "count", frequency="quarterly")
    assert history_start(quarterly, date(2016, 11, 1)) == date(2008, 1, 1)


# A part-quarter against the previous quarter -----------------------------------------------


def _ratios(months: dict[date, tuple[int, int]]) -> dict[date, Point]:
    """A percentage's (or rate's) months from their parts; a month not given is missing."""
    return {
        month: Point(None, numerator, denominator)
        for month, (numerator, denominator) in months.items()
    }


# July to September 2016 whole (24 of 30, 80%); October and November blank; December 9 of 10
# (90%); the same months last year: December 2015 7 of 10 (70%).
PART_QUARTER = {
    date(2016, 7, 1): (8, 10),
    date(2016, 8, 1): (8, 10),
    date(2016, 9, 1): (8, 10),
    date(2016, 12, 1): (9, 10),
    date(2015, 12, 1): (7, 10),
}


@pytest.mark.parametrize("measure", ["percentage", "rate"])
def test_a_ratios_part_quarter_is_not_set_against_the_whole_previous_quarter(measure):
    """Review finding: SP 08 (a percentage) blank for October and November, December 9 of
    10: its December quarter (90%) was set against July to September (80%) and called
    improving, where a count in the same state had no comparison."""
    spec = IndicatorSpec("higher", measure)
    figures = compute(spec, _ratios(PART_QUARTER), date(2016, 12, 1))
    scale = 100 if measure == "percentage" else 1000
    assert not figures.quarter_complete
    assert figures.quarter_value == Decimal(9) / 10 * scale
    assert figures.quarter_previous == Decimal(24) / 30 * scale
    assert figures.quarter_previous_change is None
    assert figures.quarter_previous_change_pct is None
    # Against the same months last year the months are like for like: December only.
    assert figures.quarter_last_year == Decimal(7) / 10 * scale
    assert figures.quarter_change == Decimal(2) / 10 * scale


def test_a_percentages_whole_quarter_is_set_against_the_previous_quarter():
    whole = {**PART_QUARTER, date(2016, 10, 1): (7, 10), date(2016, 11, 1): (8, 10)}
    figures = compute(IndicatorSpec("higher", "percentage"), _ratios(whole), date(2016, 12, 1))
    # October to December 24 of 30 (80%) against July to September 24 of 30 (80%).
    assert figures.quarter_complete
    assert figures.quarter_value == 80
    assert figures.quarter_previous_change == 0


def test_a_point_in_time_levels_part_quarter_is_its_latest_level():
    # 128 open cases at the end of September, 140 in December (October and November blank).
    series = series_of(
        {
            date(2016, 7, 1): 120,
            date(2016, 8, 1): 125,
            date(2016, 9, 1): 128,
            date(2016, 12, 1): 140,
        }
    )
    figures = compute(IndicatorSpec("lower", "snapshot"), series, date(2016, 12, 1))
    assert not figures.quarter_complete
    assert (figures.quarter_value, figures.quarter_previous) == (140, 128)
    assert figures.quarter_previous_change == 12


# A flat ratio is common cause -------------------------------------------------------------


def flat_ratio(numerator, denominator, months: int, first: date = date(2014, 4, 1)):
    """The same numerator and denominator every month from ``first``."""
    point = Point(None, numerator=Decimal(numerator), denominator=Decimal(denominator))
    return {add_months(first, i): point for i in range(months)}


@pytest.mark.parametrize(
    ("numerator", "denominator", "measure", "level"),
    [
        (20, 30, "percentage", "66.6666666667"),
        (1, 3, "percentage", "33.3333333333"),
        (5, 6, "percentage", "83.3333333333"),
        (61, 69, "percentage", "88.4057971014"),
        (1, 9, "percentage", "11.1111111111"),
        (1, 7, "percentage", "14.2857142857"),
        (1, 7, "rate", "142.8571428571"),
    ],
)
def test_aflat_ratio_is_common_cause_worked_by_hand(numerator, denominator, measure, level):
    """Review finding: 20 of 30 every month for 32 months was "below the lower process
    limit, special cause concerning": each month's 66.66...667 (Decimal's 28 digits) lay
    below the mean of 32 of them, 66.66...684. No moving range: the limits are the mean,
    and every month is on it. (1 of 7 read as a shift below the mean.)"""
    series = flat_ratio(numerator, denominator, 32)
    spec = IndicatorSpec("higher", measure)

    figures = compute(spec, series, NOV_2016)

    assert figures.spc_points == 32
    assert figures.spc_mean == figures.spc_lower == figures.spc_upper == Decimal(level)
    assert figures.spc_signal is None
    assert figures.within_normal_variation
    assert figures.variation == "common cause"
    _, analysis = spc_series(spec, series, NOV_2016)
    assert analysis.signals == (None,) * 32


@settings(max_examples=100, deadline=None)
@given(
    numerator=st.decimals(min_value=0, max_value=10**6, places=4),
    denominator=st.decimals(min_value=Decimal("0.0001"), max_value=10**6, places=4),
    measure=st.sampled_from(["percentage", "rate"]),
    polarity=st.sampled_from(["lower", "higher", "monitor"]),
    frequency=st.sampled_from(["monthly", "quarterly"]),
    periods=st.integers(min_value=13, max_value=40),
)
def test_a_constant_ratio_never_signals(
    numerator, denominator, measure, polarity, frequency, periods
):
    step = 1 if frequency == "monthly" else 3
    point = Point(None, numerator=numerator, denominator=denominator)
    first = date(2010, 4, 1)
    series = {add_months(first, step * i): point for i in range(periods)}
    period = add_months(first, step * periods - 1)  # the last period's last month
    spec = IndicatorSpec(polarity, measure, frequency=frequency)

    figures = compute(spec, series, period)

    assert figures.spc_points == min(periods, 36)
    assert figures.spc_signal is None and figures.variation == "common cause"
    assert figures.spc_lower == figures.spc_mean == figures.spc_upper
    _, analysis = spc_series(spec, series, period)
    assert set(analysis.signals) == {None}


# A point-in-time level is compared at one period -----------------------------------------

# Organisations registered at the end of each month: 300 in April 2015, one more each month
# to 319 in November 2016 (307 in November 2015, 311 in March 2016, 317 in September 2016),
# but none entered for May 2015 or August 2016.
ORGANISATIONS = {
    **{add_months(APR_2015, i): 300 + i for i in range(20)},
    date(2015, 5, 1): None,
    date(2016, 8, 1): None,
}
SNAPSHOT = IndicatorSpec("higher", "snapshot")


def test_a_point_in_time_level_is_compared_with_the_same_period_a_year_earlier():
    """Review finding: 319 at the end of November 2016 against 307 a year earlier had no
    comparison, as May 2015 had no figure; only November 2015 is needed."""
    figures = compute(SNAPSHOT, series_of(ORGANISATIONS), NOV_2016)

    assert (figures.ytd, figures.ytd_last_year, figures.ytd_change) == (319, 307, 12)
    assert figures.ytd_change_pct == Decimal(1200) / 307
    assert figures.direction == "improving"
    # The quarter so far (October and November) at November, against November 2015.
    assert (figures.quarter_value, figures.quarter_last_year, figures.quarter_change) == (
        319,
        307,
        12,
    )
    # The previous quarter is its last month, September 2016, August missing or not.
    assert (figures.quarter_previous, figures.quarter_previous_change) == (317, 2)


def test_a_point_in_time_levels_rolling_year_is_its_last_month():
    # December 2014 to November 2015 has figures from April only, May missing.
    rolling = rolling_twelve(SNAPSHOT, series_of(ORGANISATIONS), NOV_2016)

    assert (rolling.current, rolling.previous, rolling.change) == (319, 307, 12)


def test_a_point_in_time_level_without_the_period_a_year_earlier_has_no_comparison():
    series = series_of({**ORGANISATIONS, date(2015, 11, 1): None})

    figures = compute(SNAPSHOT, series, NOV_2016)

    assert figures.ytd == 319
    assert figures.ytd_last_year is None
    assert figures.direction == "none"
    assert figures.quarter_last_year is None
    assert rolling_twelve(SNAPSHOT, series, NOV_2016).previous is None


def test_a_point_in_time_levels_change_target_needs_only_the_baseline_periods_it_uses():
    # 2% below 2015/16: the level at the end of March 2016 (311) for the year, November
    # 2015's (307) to date, though May 2015 has no figure.
    target = TargetSpec("change_pct", Decimal(-2), baseline_year=2015)

    figures = compute(SNAPSHOT, series_of(ORGANISATIONS), NOV_2016, target)

    assert figures.annual_target == Decimal("304.78")  # 311 x 0.98
    assert figures.target_to_date == Decimal("300.86")  # 307 x 0.98
    path = dict(figures.cumulative_target)
    assert path[NOV_2016] == figures.target_to_date
    assert path[date(2016, 5, 1)] is None  # May 2015 has no level to go from
    # Each month's level stands for the year to it, a gap before it or not.
    levels = dict(figures.cumulative_this_year)
    assert (levels[date(2016, 8, 1)], levels[date(2016, 9, 1)]) == (None, 317)


@pytest.mark.parametrize(
    ("target", "tolerance", "expected"),
    [
        (Decimal(375), Decimal(5), Decimal("18.75")),
        (Decimal("3.0"), Decimal(5), Decimal("0.15")),
        (Decimal(-10), Decimal("2.5"), Decimal("0.25")),  # a size, whichever the sign
        (Decimal(0), Decimal(5), Decimal(0)),
        (None, Decimal(5), None),
    ],
)
def test_tolerance_amount_is_the_tolerances_share_of_the_target_to_date(
    target, tolerance, expected
):
    from indicators.figures import tolerance_amount

    assert tolerance_amount(target, tolerance) == expected
