import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.commentary import (
    commentary,
    format_number,
    format_percent,
    profile_words,
    quarter_gap_words,
    quarter_same_label,
    signal_phrase,
    singular_noun,
    spc_summary,
    target_words,
    usual_range_sentence,
)
from indicators.figures import IndicatorSpec, Point, TargetSpec, compute, series_of
from indicators.periods import add_months, fy_months, month_name
from indicators.spc import Signal
from tests.unit.test_figures import (
    APR_2015,
    APR_2016,
    IST_ACTUALS,
    NOV_2016,
    ORGANISATIONS,
    REFERRALS,
    SNAPSHOT,
    flat_ratio,
    ist_target,
    monthly,
    seed_series,
)

LOWER = IndicatorSpec("lower", "count")
HIGHER = IndicatorSpec("higher", "count")


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=\.) ", text)


def say(spec, series, period, target=None, **nouns) -> str:
    nouns.setdefault("noun", "crimes")
    return commentary(compute(spec, series, period, target), spec, **nouns)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal(1149), 0, "1,149"),
        (Decimal(999), 0, "999"),
        (Decimal(1000), 0, "1,000"),
        (Decimal("1149.5"), 0, "1,150"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("-0.4"), 0, "0"),
        (Decimal(-74), 0, "-74"),
        (Decimal("1234567.891"), 2, "1,234,567.89"),
        (Decimal("4.05"), 1, "4.1"),
        (Decimal("-6.050695"), 0, "-6"),
        (Decimal(12586), 0, "12,586"),
    ],
)
def test_format_number_rounds_half_away_from_zero(value, places, expected):
    assert format_number(value, places) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("31.0502"), "31%"), (Decimal("4.7404"), "5%"), (Decimal("87.5"), "88%")],
)
def test_format_percent_whole_number(value, expected):
    assert format_percent(value) == expected


@pytest.mark.parametrize(
    ("name", "spec", "noun", "expected"),
    [
        (
            "serious acquisitive crime",
            LOWER,
            "serious acquisitive crimes",
            "Between April and the end of November there have been 1,149 serious acquisitive "
            "crimes recorded, 74 fewer than the same period last year, a 6% reduction.",
        ),
        (
            "hate crime",
            HIGHER,
            "hate crimes",
            "Between April and the end of November there have been 287 hate crimes recorded, "
            "68 more than the same period last year, a 31% increase.",
        ),
        (
            "anti-social behaviour",
            LOWER,
            "incidents of anti-social behaviour",
            "Between April and the end of November there have been 7,170 incidents of "
            "anti-social behaviour recorded, 367 more than the same period last year, "
            "a 5% increase.",
        ),
        (
            "violence with injury",
            LOWER,
            "crimes",
            "Between April and the end of November there have been 1,375 crimes recorded, "
            "95 more than the same period last year, a 7% increase.",
        ),
        (
            "overall crime",
            LOWER,
            "crimes",
            "Between April and the end of November there have been 12,586 crimes recorded, "
            "570 more than the same period last year, a 5% increase.",
        ),
    ],
)
def test_commentary_seed_002_sentence(name, spec, noun, expected):
    text = say(spec, seed_series(name), NOV_2016, noun=noun)
    assert sentences(text)[0] == expected


def test_commentary_seed_002_referrals_quarterly():
    spec = IndicatorSpec("higher", "count", frequency="quarterly")
    text = say(spec, series_of(REFERRALS), NOV_2016, noun="referrals")
    assert text == (
        "Between April and the end of September there have been 1,044 referrals recorded, "
        "37 fewer than the same period last year, a 3% reduction."
    )


def test_commentary_ist_target_amber():
    text = say(
        HIGHER,
        monthly(APR_2016, IST_ACTUALS),
        date(2016, 10, 1),
        ist_target(),
        noun='"ist" incidents',
    )
    assert (
        "This is 14 below the target to date of 375, within the tolerance of 5% of the "
        "target to date, which is 18.8 (amber)."
    ) in text
    assert (
        'an average of 56 "ist" incidents per month is needed between November and March.'
    ) in text
    assert "There is no figure for the same period last year to compare with." in text


def test_commentary_quarter_missing():
    spec = IndicatorSpec("higher", "count", frequency="quarterly")
    text = say(spec, series_of(REFERRALS), date(2017, 1, 1), noun="referrals")
    assert "No figure has been entered for the quarter October to December." in text
    assert "leaves out the same months in both years" in text


@pytest.mark.parametrize(
    ("status_ytd", "expected"),
    [
        (380, "This is 5 above the target to date of 375, so the target is met (green)."),
        (375, "This is exactly the target to date of 375, so the target is met (green)."),
        (
            300,
            "This is 75 below the target to date of 375, outside the tolerance of 5% of the "
            "target to date, which is 18.8 (red).",
        ),
    ],
)
def test_commentary_target_sentence_by_status(status_ytd, expected):
    # April to September at 50 a month, then October brings the total to status_ytd.
    actuals = [50] * 6 + [status_ytd - 300]
    text = say(
        HIGHER, monthly(APR_2016, actuals), date(2016, 10, 1), ist_target(), noun="incidents"
    )
    assert expected in text


def test_commentary_seed_001_required_average():
    target = TargetSpec("annual", Decimal(3000 + 648 * 7))
    text = say(HIGHER, monthly(APR_2016, [600] * 5), date(2016, 8, 1), target, noun="incidents")
    assert (
        "To meet the annual target of 7,536, an average of 648 incidents per month is needed "
        "between September and March."
    ) in text


def test_commentary_required_average_lower_is_ceiling():
    target = TargetSpec("annual", Decimal(7000))
    text = say(LOWER, monthly(APR_2016, [500] * 8), NOV_2016, target, noun="incidents")
    assert (
        "To stay within the annual target of 7,000, the average must not exceed 750 incidents "
        "per month between December and March."
    ) in text


def test_commentary_required_average_last_month():
    target = TargetSpec("annual", Decimal(1200))
    text = say(HIGHER, monthly(APR_2016, [100] * 11), date(2017, 2, 1), target, noun="visits")
    assert "an average of 100 visits per month is needed in March." in text


@pytest.mark.parametrize(
    ("spec", "actuals", "annual", "expected"),
    [
        # (18,500 - 12,586) / 4 = 1,478.5: 1,479 a month would end the year at 18,502.
        (
            LOWER,
            [1573] * 7 + [1575],
            18500,
            "To stay within the annual target of 18,500, the average must not exceed 1,478 "
            "crimes per month between December and March.",
        ),
        # (1,000 - 96) / 11 = 82.2: 82 a month would end the year at 998.
        (
            HIGHER,
            [96],
            1000,
            "To meet the annual target of 1,000, an average of 83 crimes per month is needed "
            "between May and March.",
        ),
        # (100 - 99) / 4 = 0.25 a month: less than 1 a month, so what is left in all.
        (
            LOWER,
            [12] * 7 + [15],
            100,
            "To stay within the annual target of 100, no more than 1 crime can be recorded "
            "between December and March.",
        ),
        (
            LOWER,
            [12] * 7 + [15],
            Decimal("99.5"),
            "To stay within the annual target of 100, no more crimes can be recorded between "
            "December and March.",
        ),
    ],
)
def test_commentary_required_average_rounds_the_way_that_keeps_to_the_target(
    spec, actuals, annual, expected
):
    target = TargetSpec("annual", Decimal(annual))
    period = add_months(APR_2016, len(actuals) - 1)
    text = say(spec, monthly(APR_2016, actuals), period, target, noun_singular="crime")
    assert expected in text


@pytest.mark.parametrize(
    ("april", "expected"),
    [
        # 1,170 spread evenly is 97.5 for April, shown as 98: 100 is 2 above it (not 2.5,
        # shown as 3).
        (
            100,
            "This is 2 above the target to date of 98, within the tolerance of 5% of the "
            "target to date, which is 4.9 (amber).",
        ),
        # Shown alike, but not the same: never "exactly".
        (
            98,
            "This is less than 1 above the target to date of 98, within the tolerance of 5% "
            "of the target to date, which is 4.9 (amber).",
        ),
    ],
)
def test_commentary_gap_is_the_difference_of_the_figures_shown(april, expected):
    target = TargetSpec("annual", Decimal(1170))
    text = say(LOWER, monthly(APR_2016, [april]), APR_2016, target)
    assert expected in text


def test_commentary_tolerance_of_a_percentage_is_a_share_of_the_target_in_points():
    # 33 of 1,000 is 3.3%, against a target of 3.0%; 5% of 3.0% is 0.15 points, so 0.3
    # points over is red.
    series = {APR_2016: Point(None, numerator=Decimal(33), denominator=Decimal(1000))}
    spec = IndicatorSpec("lower", "percentage")
    text = say(spec, series, APR_2016, TargetSpec("annual", Decimal(3)), noun="repeat rate")
    assert (
        "This is 0.3 percentage points above the target of 3.0%, outside the tolerance of 5% "
        "of the target, which is 0.15 percentage points (red)."
    ) in text


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (HIGHER, "The annual target of 500 has already been met."),
        (LOWER, "The year to date is already above the annual target of 500."),
    ],
)
def test_commentary_annual_target_passed(spec, expected):
    target = TargetSpec("annual", Decimal(500))
    text = say(spec, monthly(APR_2016, [100] * 6), date(2016, 9, 1), target)
    assert expected in text


@pytest.mark.parametrize(
    ("this_year", "expected"),
    [
        ([10, 10, 10, 10, None, 10, 10, 10], "No figure has been entered for August."),
        (
            [10, 10, 10, 10, None, None, 10, 10],
            "No figures have been entered for August and September.",
        ),
        (
            [10, 10, 10, 10, None, None, None, 10],
            "No figures have been entered for August, September and October.",
        ),
    ],
)
def test_commentary_missing_months(this_year, expected):
    series = monthly(APR_2015, [20] * 12) | monthly(APR_2016, this_year)
    text = say(LOWER, series, NOV_2016)
    assert expected in text
    assert "The comparison with last year leaves out the same months in both years." in text


def test_commentary_zero_last_year_no_percentage():
    series = monthly(APR_2015, [0, 0]) | monthly(APR_2016, [3, 4])
    text = say(HIGHER, series, date(2016, 5, 1), noun="referrals")
    first = sentences(text)[0]
    assert first == (
        "Between April and the end of May there have been 7 referrals recorded, 7 more than "
        "the same period last year, when there were none."
    )
    assert "%" not in text


def test_commentary_no_change():
    series = monthly(APR_2015, [5, 5]) | monthly(APR_2016, [4, 6])
    first = sentences(say(LOWER, series, date(2016, 5, 1)))[0]
    assert first.endswith("10 crimes recorded, the same number as the same period last year.")


def test_commentary_less_than_one_percent():
    series = series_of({APR_2015: 1000, APR_2016: 999})
    first = sentences(say(LOWER, series, APR_2016))[0]
    assert first == (
        "In April there were 999 crimes recorded, 1 fewer than the same period last year, "
        "a reduction of less than 1%."
    )


def test_commentary_less_than_one_percent_increase_takes_an():
    series = series_of({APR_2015: 1000, APR_2016: 1004})
    first = sentences(say(HIGHER, series, APR_2016))[0]
    assert first == (
        "In April there were 1,004 crimes recorded, 4 more than the same period last year, "
        "an increase of less than 1%."
    )


@pytest.mark.parametrize(
    ("this_year", "phrase"),
    [
        (89, "an 11% reduction"),
        (82, "an 18% reduction"),
        (92, "an 8% reduction"),
        (99, "a 1% reduction"),
        (108, "an 8% increase"),
        (111, "an 11% increase"),
        (118, "an 18% increase"),
        (180, "an 80% increase"),
        (101, "a 1% increase"),
        (112, "a 12% increase"),
        (11100, "an 11,000% increase"),
    ],
)
def test_commentary_article_before_percentage(this_year, phrase):
    series = series_of({APR_2015: 100, APR_2016: this_year})
    assert f"{phrase}." in say(HIGHER, series, APR_2016)


def test_commentary_singular_noun():
    series = series_of({APR_2015: 3, APR_2016: 1})
    text = say(HIGHER, series, APR_2016, noun="hate crimes", noun_singular="hate crime")
    assert text.startswith("In April there was 1 hate crime recorded, 2 fewer than")


def test_commentary_percentage_points():
    def month(n: int) -> Point:
        return Point(None, numerator=Decimal(n), denominator=Decimal(50))

    series = {
        APR_2015: month(45),
        add_months(APR_2015, 1): month(45),
        APR_2016: month(43),
        add_months(APR_2016, 1): month(44),
    }
    spec = IndicatorSpec("higher", "percentage")
    text = say(
        spec, series, date(2016, 5, 1), TargetSpec("annual", Decimal(90)), noun="satisfaction rate"
    )
    assert sentences(text)[:2] == [
        "Between April and the end of May the satisfaction rate was 87.0% (87 of 100), "
        "3.0 percentage points lower than the same period last year.",
        "This is 3.0 percentage points below the target of 90.0%, within the tolerance of 5% "
        "of the target, which is 4.5 percentage points (amber).",
    ]
    assert (
        "In May the satisfaction rate was 88.0% (44 of 50), 2.0 percentage points lower than "
        "in May 2015." in text
    )


def test_commentary_one_percentage_point():
    def month(n: int) -> Point:
        return Point(None, numerator=Decimal(n), denominator=Decimal(100))

    series = {APR_2015: month(80), APR_2016: month(81)}
    text = say(IndicatorSpec("higher", "percentage"), series, APR_2016, noun="rate")
    assert "81.0% (81 of 100), 1.0 percentage points higher" in text


def test_commentary_a_fraction_of_a_percentage_point_shows_to_one_place():
    series = {
        APR_2015: Point(None, numerator=Decimal(800), denominator=Decimal(1000)),
        APR_2016: Point(None, numerator=Decimal(803), denominator=Decimal(1000)),
    }
    text = say(IndicatorSpec("higher", "percentage"), series, APR_2016, noun="rate")
    assert "80.3% (803 of 1,000), 0.3 percentage points higher" in text


def test_commentary_a_level_just_below_its_target_does_not_round_up_to_it():
    # 89.6% against 90% is amber: "90%" would read as the target met.
    series = {APR_2015: Point(None, Decimal(88), Decimal(100))}
    series[APR_2016] = Point(None, Decimal(896), Decimal(1000))
    spec = IndicatorSpec("higher", "percentage")
    text = say(spec, series, APR_2016, TargetSpec("annual", Decimal(90)), noun="satisfaction rate")

    assert "the satisfaction rate was 89.6% (896 of 1,000)" in text
    assert "0.4 percentage points below the target of 90.0%" in text


def test_commentary_of_a_rate_named_per_1000_says_it_once():
    series = series_of({APR_2015: "21.3", APR_2016: "20.14"})
    spec = IndicatorSpec("lower", "rate")
    text = say(spec, series, APR_2016, noun="total crime rate per 1,000 population")

    assert "the total crime rate per 1,000 population was 20.1," in text
    assert "per 1,000 population was 20.1 per 1,000" not in text


def test_commentary_percentage_parts_missing():
    series = series_of({APR_2016: 90, add_months(APR_2016, 1): 80})
    text = say(IndicatorSpec("higher", "percentage"), series, date(2016, 5, 1), noun="rate")
    assert "cannot be worked out because some months have no numerator and denominator" in text


def test_commentary_rate_one_decimal():
    def month(n: int) -> Point:
        return Point(None, numerator=Decimal(n), denominator=Decimal(10000))

    series = {APR_2015: month(40), APR_2016: month(36)}
    text = say(IndicatorSpec("lower", "rate"), series, APR_2016, noun="crime rate")
    assert text.startswith(
        "In April the crime rate was 3.6 per 1,000 (36 of 10,000), 0.4 lower than the same "
        "period last year, a 10% reduction."
    )


def test_commentary_snapshot_latest():
    series = monthly(APR_2015, [40, 41, 42, 43]) | monthly(APR_2016, [50, 48, 44, 45])
    text = say(
        IndicatorSpec("lower", "snapshot"), series, date(2016, 7, 1), noun="number of open cases"
    )
    assert text == (
        "At the end of July the number of open cases was 45, 2 higher than a year earlier, "
        "a 5% increase."
    )


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (
            16,
            "16 crimes recorded, 4 more than in November 2015, a small rise, within normal "
            "variation.",
        ),
        (
            20,
            # Two tests, two sentences: the change is tested against last year (Poisson), the
            # level against its usual range (process control); a special cause is never
            # tacked onto the comparison, where it read as describing November 2015.
            "20 crimes recorded, 8 more than in November 2015, a small rise, within normal "
            "variation. November's figure is outside its usual range: above the upper process "
            "limit (special cause variation).",
        ),
        (
            11,
            "11 crimes recorded, 1 fewer than in November 2015, a small fall, within normal "
            "variation.",
        ),
    ],
)
def test_commentary_normal_variation(value, phrase):
    values = [10 + 2 * (i % 2) for i in range(19)] + [value]
    text = say(LOWER, monthly(APR_2015, values), NOV_2016)
    assert f"In November there were {phrase}" in text


def test_commentary_names_a_shift():
    values = [10, 14] * 7 + [11] * 6
    text = say(LOWER, monthly(APR_2015, values), NOV_2016)
    assert "the sixth month in a row below the average (special cause variation)." in text
    assert "significant" not in text


def test_signal_phrase_inside_a_run():
    assert (
        signal_phrase(Signal("shift", "above", 3, 7))
        == "one of 7 months in a row above the average"
    )
    assert signal_phrase(Signal("trend", "falling", 6, 6), "quarterly") == (
        "the sixth quarter in a row lower than the one before"
    )
    assert signal_phrase(Signal("beyond", "below", 1)) == "below the lower process limit"


def test_spc_summary_for_reports():
    values = [10, 14] * 7 + [11] * 6
    figures = compute(LOWER, monthly(APR_2015, values), NOV_2016, TargetSpec("annual", 120))
    # The signal is named in the sentence before it (usual_range_sentence).
    # Plain words, the term once in brackets (review finding: a bare "Special cause
    # improving." and "assurance: hit and miss" meant nothing to a councillor).
    assert spc_summary(figures, LOWER) == (
        "A real change, for the better. If nothing changes, the target will be met in some "
        "months and missed in others."
    )
    short = compute(LOWER, monthly(APR_2015, values[:12]), add_months(APR_2015, 11))
    assert spc_summary(short, LOWER) == ""


def test_commentary_names_a_trend():
    values = [10, 14] * 7 + [6, 7, 8, 9, 10, 11]
    text = say(LOWER, monthly(APR_2015, values), NOV_2016)
    assert "the sixth month in a row higher than the one before (special cause variation)." in text


# Each special cause worded by its rule (review finding: the report said "November 2016's
# figure is outside its usual range" of SP 01's 1,575, inside its limits of 1,263 to 1,756,
# whose signal was a run above the average). Lower is better; November 2016 is the 20th month.
@pytest.mark.parametrize(
    ("values", "words"),
    [
        (
            # Limits 4.96 to 17.84: 20 is beyond the upper one.
            [10, 12] * 9 + [10, 20],
            "{name}'s figure is outside its usual range: above the upper process limit "
            "(special cause variation).",
        ),
        (
            # Limits 4.00 to 19.40: 11 is within them, the sixth in a row below the mean 11.7.
            [10, 14] * 7 + [11] * 6,
            "{name}'s figure is within the process limits, but it is the sixth month in a row "
            "below the average (special cause variation).",
        ),
        (
            [10, 14] * 7 + [6, 7, 8, 9, 10, 11],
            "{name}'s figure is within the process limits, but it is the sixth month in a row "
            "higher than the one before (special cause variation).",
        ),
        (
            # Mean 12.9, upper limit 24.24, two-thirds of the way to it 20.46: 21 twice.
            [10, 14] * 7 + [12, 12, 12, 21, 12, 21],
            "{name}'s figure is within the process limits, but two of the last three months, "
            "{name} included, are near the upper process limit (special cause variation).",
        ),
        (
            [10 + 2 * (i % 2) for i in range(19)] + [11],
            "{name}'s figure is within its usual range: no sign of a real change in its level.",
        ),
    ],
)
def test_process_control_is_worded_by_its_signal(values, words):
    figures = compute(LOWER, monthly(APR_2015, values), NOV_2016)
    assert figures.variation_test == "spc"
    # The report's "Usual range" row, and the same sentence in the commentary every page
    # shows (the indicator page, the dashboard, the report); common cause is not named there.
    assert usual_range_sentence(figures, LOWER, "November 2016") == words.format(
        name="November 2016"
    )
    text = commentary(figures, LOWER, noun="crimes")
    if figures.spc_signal is not None:
        assert text.endswith(words.format(name="November"))
    assert "outside its usual range" not in text or figures.spc_signal.rule == "beyond"


def test_usual_range_sentence_is_empty_without_limits():
    figures = compute(LOWER, monthly(APR_2015, [10, 12, 11]), add_months(APR_2015, 2))
    assert figures.variation_test is None
    assert usual_range_sentence(figures, LOWER, "June 2015") == ""


def test_usual_range_sentence_names_the_month_it_judged():
    # December 2016 has no figure yet: November 2016, beyond the upper limit, is judged.
    values = [10 + 2 * (i % 2) for i in range(19)] + [20]
    figures = compute(LOWER, monthly(APR_2015, values), date(2016, 12, 1))
    assert usual_range_sentence(figures, LOWER, "December 2016") == (
        "November 2016's figure is outside its usual range: above the upper process limit "
        "(special cause variation)."
    )


def test_usual_range_sentence_says_when_the_year_has_no_figure():
    figures = compute(LOWER, monthly(date(2014, 4, 1), [10, 12] * 12), NOV_2016)
    assert usual_range_sentence(figures, LOWER, "November 2016") == (
        "No month of 2016/17 has a figure yet, so there is none to judge."
    )
    quarterly = IndicatorSpec("higher", "count", frequency="quarterly")
    figures = compute(quarterly, series_of({date(2015, 4, 1): 5}), NOV_2016)
    assert usual_range_sentence(figures, quarterly, "November 2016") == (
        "No quarter of 2016/17 has a figure yet, so there is none to judge."
    )


QUARTERLY = IndicatorSpec("higher", "count", frequency="quarterly")


@pytest.mark.parametrize(
    ("spec", "series", "period", "gap", "label"),
    [
        # Quarter 3 (October to December 2016) is over with no figure for it.
        (
            QUARTERLY,
            series_of(REFERRALS),
            date(2016, 12, 1),
            "Quarter 3 has no figure",
            "Quarter 3 against the same quarter last year",
        ),
        # Quarter 2 has its figure: nothing to say.
        (
            QUARTERLY,
            series_of(REFERRALS),
            date(2016, 9, 1),
            "",
            "Quarter 2 against the same quarter last year",
        ),
        # Monthly, November 2016 missing: the quarter is over by December.
        (
            LOWER,
            monthly(APR_2015, [10] * 19 + [None, 12]),
            date(2016, 12, 1),
            "figures are missing for part of the quarter",
            "Quarter 3, months with figures only, against the same months last year",
        ),
        (
            LOWER,
            monthly(APR_2015, [10] * 20),
            NOV_2016,
            "the quarter is not over",
            "Quarter 3 so far against the same months last year",
        ),
        (
            LOWER,
            monthly(APR_2015, [10] * 21),
            date(2016, 12, 1),
            "",
            "Quarter 3 against the same months last year",
        ),
    ],
)
def test_the_quarters_comparisons_say_what_they_lack(spec, series, period, gap, label):
    figures = compute(spec, series, period)
    assert quarter_gap_words(figures, spec) == gap
    assert quarter_same_label(figures, spec) == label


def test_commentary_poisson_significant_only_when_tested():
    values = [100] * 8 + [None] * 11 + [64]
    text = say(LOWER, monthly(APR_2015, values), NOV_2016)
    assert "36 fewer than in November 2015, a significant fall (Poisson test)." in text
    values = [100] * 8 + [None] * 11 + [81]
    text = say(LOWER, monthly(APR_2015, values), NOV_2016)
    assert "a small fall, within normal variation." in text


def test_commentary_normal_variation_first_month():
    values = [10 + 2 * (i % 2) for i in range(12)] + [11]
    text = say(LOWER, monthly(APR_2015, values), APR_2016)
    assert "April's figure is within its usual range." in text


def test_commentary_monitor_no_status():
    spec = IndicatorSpec("monitor", "count")
    text = say(
        spec,
        seed_series("anti-social behaviour"),
        NOV_2016,
        TargetSpec("annual", Decimal(9000)),
        noun="incidents",
    )
    assert "367 more than the same period last year, a 5% increase." in text
    assert "(green)" not in text and "(amber)" not in text and "(red)" not in text
    assert "To meet" not in text and "To stay within" not in text


def test_commentary_nothing_yet():
    spec = IndicatorSpec("higher", "count", frequency="quarterly")
    text = say(spec, series_of({}), date(2016, 5, 1))
    assert text == "There are no figures yet for 2016/17."


# Properties: the words that say which way a figure moved follow the sign of the figure.
two_years = st.lists(
    st.one_of(st.none(), st.integers(min_value=0, max_value=3000)), min_size=24, max_size=24
)


@settings(max_examples=200, deadline=None)
@given(
    values=two_years,
    index=st.integers(min_value=0, max_value=11),
    polarity=st.sampled_from(["lower", "higher", "monitor"]),
)
def test_commentary_count_words_follow_sign(values, index, polarity):
    spec = IndicatorSpec(polarity, "count")
    figures = compute(spec, monthly(APR_2015, values), fy_months(2016)[index])
    text = commentary(figures, spec, noun="crimes", noun_singular="crime")
    change = figures.ytd_change
    if figures.ytd is None:
        assert "recorded" not in text
        return
    # A year to date with gaps first says which months it adds up, then compares them (or,
    # when it is the reporting month alone, the month's own sentence does).
    first = sentences(text)[1 if figures.ytd_partial else 0]
    up = "more than" in first or "increase" in first
    down = "fewer than" in first or "reduction" in first
    assert up is (change is not None and change > 0)
    assert down is (change is not None and change < 0)
    if figures.ytd_change_pct is not None and change and not first.startswith("In "):
        assert ("increase" in first) is (change > 0)
        assert ("reduction" in first) is (change < 0)
    assert " 0%" not in text


@settings(max_examples=200, deadline=None)
@given(
    values=two_years,
    index=st.integers(min_value=1, max_value=11),
)
def test_commentary_month_words_follow_sign(values, index):
    figures = compute(LOWER, monthly(APR_2015, values), fy_months(2016)[index])
    month = month_name(figures.period)
    month_sentences = [
        s
        for s in sentences(commentary(figures, LOWER, noun="crimes"))
        if s.startswith(f"In {month} ")
    ]
    if figures.value is None:
        assert month_sentences == []
        return
    (month,) = month_sentences
    change = figures.change
    assert ("more than" in month or "rise" in month) is (change is not None and change > 0)
    assert ("fewer than" in month or "fall" in month) is (change is not None and change < 0)


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=200), st.integers(min_value=200, max_value=400)
        ),
        min_size=24,
        max_size=24,
    ),
    index=st.integers(min_value=0, max_value=11),
    target=st.integers(min_value=0, max_value=100),
)
def test_commentary_percentage_words_follow_sign(parts, index, target):
    spec = IndicatorSpec("higher", "percentage")
    series = {
        add_months(APR_2015, i): Point(None, numerator=Decimal(n), denominator=Decimal(d))
        for i, (n, d) in enumerate(parts)
    }
    figures = compute(spec, series, fy_months(2016)[index], TargetSpec("annual", Decimal(target)))
    text = commentary(figures, spec, noun="satisfaction rate")
    first, second = sentences(text)[:2]
    assert ("higher" in first) is (figures.ytd_change > 0)
    assert ("lower" in first) is (figures.ytd_change < 0)
    assert "percentage point" in first or figures.ytd_change == 0
    assert ("above" in second) is (figures.target_gap > 0)
    assert ("below" in second) is (figures.target_gap < 0)
    assert f"({figures.status})" in second


@settings(max_examples=200, deadline=None)
@given(
    values=two_years,
    index=st.integers(min_value=0, max_value=11),
    annual=st.one_of(st.none(), st.integers(min_value=0, max_value=40000)),
    polarity=st.sampled_from(["lower", "higher"]),
)
def test_commentary_no_sentence_starts_with_numeral(values, index, annual, polarity):
    spec = IndicatorSpec(polarity, "count")
    target = None if annual is None else TargetSpec("annual", Decimal(annual))
    figures = compute(spec, monthly(APR_2015, values), fy_months(2016)[index], target)
    text = commentary(figures, spec, noun="crimes")
    assert text
    for sentence in sentences(text):
        assert sentence[0].isupper(), sentence
        assert sentence.endswith(".")
    assert "Apr-" not in text


def test_commentary_missing_latest_month_names_the_months_covered():
    # Seed 001 "ist" incidents to October, reported at November with November missing: the
    # total and the target it is set against both run to the end of October.
    text = say(
        HIGHER, monthly(APR_2016, IST_ACTUALS), NOV_2016, ist_target(), noun='"ist" incidents'
    )
    assert text.startswith(
        'Between April and the end of October there have been 361 "ist" incidents recorded.'
    )
    assert "This is 14 below the target to date of 375" in text
    assert "No figure has been entered for November." in text
    assert "end of November" not in text


def test_commentary_partial_year_to_date_is_not_called_the_year_so_far():
    # Report 2: only September 2010 has a figure; its target is -2% on a baseline year with
    # only September either.
    series = series_of({date(2009, 9, 1): 230, date(2010, 9, 1): 169})
    target = TargetSpec("change_pct", Decimal(-2), baseline_year=2009)
    figures = compute(LOWER, series, date(2010, 9, 1), target)
    text = commentary(figures, LOWER, noun="serious acquisitive crimes", has_target=True)
    assert figures.status == "none"
    assert figures.target_to_date is None
    assert text.startswith(
        "Only September has a figure so far, so there is no total for April to September and "
        "no status against the target. In September there were 169 serious acquisitive crimes "
        "recorded, 61 fewer than in September 2009, a significant fall (Poisson test)."
    )
    assert "Between April" not in text
    assert "target to date" not in text
    assert "leaves out the same months" not in text


def test_commentary_partial_year_to_date_adds_up_the_months_named():
    series = monthly(APR_2015, [20] * 12) | monthly(APR_2016, [10, None, 10, 10])
    text = say(LOWER, series, date(2016, 7, 1), TargetSpec("annual", Decimal(100)))
    assert text.startswith(
        "Only April, June and July have figures so far, so there is no total for April to "
        "July and no status against the target. Those months had 30 crimes recorded, 30 "
        "fewer than the same months last year, a 50% reduction."
    )


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("new organisations registered", "there were 8 new organisations registered."),
        (
            "people attending drop-in sessions",
            "there were 8 people attending drop-in sessions.",
        ),
        (
            "crimes of violence with injury (excluding domestic abuse)",
            "there were 8 crimes of violence with injury (excluding domestic abuse) recorded.",
        ),
    ],
)
def test_commentary_recorded_only_when_the_noun_does_not_say_how_counted(noun, expected):
    text = say(HIGHER, monthly(APR_2016, [8]), APR_2016, noun=noun)
    assert expected in text


def test_commentary_special_cause_is_its_own_sentence():
    values = [10, 14] * 7 + [11] * 6
    text = say(LOWER, monthly(APR_2015, values), NOV_2016)
    # Not ", the sixth month in a row..." after "than in November 2015".
    assert (
        "November's figure is within the process limits, but it is the sixth month in a row "
        "below the average (special cause variation)." in text
    )
    assert "2015, the sixth" not in text


def test_signal_phrase_two_of_three_in_plain_words():
    phrase = signal_phrase(Signal("two_of_three", "below", 1))
    assert phrase == "two of the last three months near the lower process limit"
    assert "sigma" not in phrase


@pytest.mark.parametrize(
    ("target", "measure", "start", "words"),
    [
        (None, "count", 4, "No target"),
        ({"kind": "annual", "value": "640", "baseline_year": None}, "count", 4, "640 for the year"),
        ({"kind": "annual", "value": "1234.0000"}, "count", 4, "1,234 for the year"),
        # A percentage's target to one decimal, as its figures and target to date.
        ({"kind": "annual", "value": "90"}, "percentage", 4, "90.0% for the year"),
        ({"kind": "annual", "value": "88.5"}, "percentage", 4, "88.5% for the year"),
        ({"kind": "annual", "value": "12.25"}, "rate", 4, "12.3 per 1,000 for the year"),
        ({"kind": "cumulative", "value": "428"}, "count", 4, "428 to date"),
        (
            {"kind": "change_pct", "value": "-3", "baseline_year": 2015},
            "count",
            4,
            "a 3% reduction on 2015/16",
        ),
        (
            {"kind": "change_pct", "value": "2.5", "baseline_year": 2015},
            "count",
            1,
            "a 2.5% increase on 2015",
        ),
        (
            {"kind": "change_pct", "value": "-8", "baseline_year": 2015},
            "count",
            4,
            "an 8% reduction on 2015/16",
        ),
        (
            {"kind": "change_pct", "value": "11", "baseline_year": 2015},
            "count",
            4,
            "an 11% increase on 2015/16",
        ),
        (
            {"kind": "change_pct", "value": "18.5", "baseline_year": 2015},
            "count",
            4,
            "an 18.5% increase on 2015/16",
        ),
    ],
)
def test_target_words(target, measure, start, words):
    assert target_words(target, measure, start) == words


def test_a_zero_change_target_is_no_change():
    target = {"kind": "change_pct", "value": "0", "baseline_year": 2015}
    assert target_words(target, "count", 4) == "no change on 2015/16"


@pytest.mark.parametrize(
    ("last", "quarterly", "words"),
    [
        (date(2017, 3, 1), False, "a monthly profile: 640 for the year"),
        # Points that stop before the year ends give a target to that month, not the year's.
        (date(2016, 9, 1), False, "a monthly profile: 640 to September 2016"),
        # A quarterly point is stored at its quarter's first month, named by its last.
        (date(2017, 1, 1), True, "a quarterly profile: 640 for the year"),
        (date(2016, 7, 1), True, "a quarterly profile: 640 to September 2016"),
    ],
)
def test_profile_words(last, quarterly, words):
    assert profile_words(last, Decimal(640), "count", quarterly=quarterly) == words


def test_a_percentage_profile_has_one_decimal():
    words = profile_words(date(2017, 3, 1), Decimal(90), "percentage", quarterly=False)
    assert words == "a monthly profile: 90.0% for the year"


def test_a_quarter_across_a_new_year_names_both_years():
    # A year starting in May: its third quarter runs November 2015 to January 2016.
    spec = IndicatorSpec("lower", "count", frequency="quarterly", fy_start_month=5)
    series = series_of(
        {
            date(2015, 5, 1): 10,
            date(2015, 8, 1): 12,
            date(2016, 5, 1): 11,
            date(2016, 8, 1): 13,
            date(2016, 11, 1): 9,
        }
    )
    text = commentary(compute(spec, series, date(2017, 1, 1)), spec, noun="burglaries")
    assert "the quarter November 2015 to January 2016 has no figure" in text


@pytest.mark.parametrize(
    ("unit", "one"),
    [
        ("hate crimes", "hate crime"),
        ("incidents of anti-social behaviour", "incident of anti-social behaviour"),
        ("repeat victims", "repeat victim"),
        ("people attending drop-in sessions", "person attending drop-in sessions"),
        ("people accessing the brokerage", "person accessing the brokerage"),
        ("criminal damage offences", "criminal damage offence"),
        ("referrals to domestic abuse services", "referral to domestic abuse services"),
        ("new volunteering opportunities", "new volunteering opportunity"),
        ("new organisations registered", "new organisation registered"),
        (
            "domestic violence incidents recorded by police",
            "domestic violence incident recorded by police",
        ),
        ("domestic abuse crimes and incidents", "domestic abuse crime or incident"),
        ("thefts from vehicles", "theft from vehicles"),
        ("assaults with less serious injury", "assault with less serious injury"),
        (
            "crimes of violence with injury (excluding domestic abuse)",
            "crime of violence with injury (excluding domestic abuse)",
        ),
        ('"ist" incidents', '"ist" incident'),
        ("businesses", "business"),
        ("woundings", "wounding"),
        # No plural head: commentary words a count of one another way.
        ("anti-social behaviour", None),
        ("number of registered organisations", None),
        ("satisfaction rate", None),
    ],
)
def test_singular_noun_makes_the_head_noun_singular(unit, one):
    assert singular_noun(unit) == one


def test_commentary_of_one_without_a_singular_is_still_grammatical():
    series = series_of({APR_2015: 3, add_months(APR_2015, 1): 2, APR_2016: 0, date(2016, 5, 1): 1})
    text = say(HIGHER, series, date(2016, 5, 1), noun="anti-social behaviour")

    assert "In May the number of anti-social behaviour recorded was 1, 1 fewer than" in text
    assert "1 anti-social behaviour" not in text


# Point-in-time levels and flat ratios ------------------------------------------------------


def test_a_flat_percentage_is_within_its_usual_range():
    """Review finding: 20 of 30 every month for 32 months read "November's figure is outside
    its usual range: below the lower process limit" (special cause concerning)."""
    spec = IndicatorSpec("higher", "percentage")
    figures = compute(spec, flat_ratio(20, 30, 32), NOV_2016)

    text = commentary(figures, spec, noun="share of cases closed")

    assert "usual range" not in text and "special cause" not in text
    assert usual_range_sentence(figures, spec, "November 2016") == (
        "November 2016's figure is within its usual range: no sign of a real change in its level."
    )
    assert spc_summary(figures, spec) == (
        "Only the ups and downs every figure has (common cause variation)."
    )


def test_a_point_in_time_level_is_compared_though_an_earlier_month_is_missing():
    """Review finding: "There is no comparison with the same period last year, as May 2015
    has no figure", where only November 2015 is needed."""
    text = say(SNAPSHOT, series_of(ORGANISATIONS), NOV_2016, noun="number of organisations")

    assert text.startswith(
        "At the end of November the number of organisations was 319, 12 higher than a year "
        "earlier, a 4% increase."
    )
    assert "No figure has been entered for August." in text
    # Only November is compared, so nothing is left out of the comparison.
    assert "leaves out" not in text and "no comparison" not in text


def test_a_point_in_time_level_names_only_the_period_a_year_earlier_it_lacks():
    series = series_of({**ORGANISATIONS, date(2015, 11, 1): None})

    text = say(SNAPSHOT, series, NOV_2016, noun="number of organisations")

    assert text.endswith(
        "There is no comparison with a year earlier, as November 2015 has no figure."
    )
    assert "May 2015" not in text


def test_a_quarterly_point_in_time_level_is_compared_with_its_quarter_a_year_earlier():
    # July to September 2015 missing: October to December 2016 against the same quarter
    # of 2015 alone.
    spec = IndicatorSpec("higher", "snapshot", frequency="quarterly")
    series = series_of(
        {
            date(2015, 4, 1): 10,
            date(2015, 10, 1): 12,
            date(2016, 4, 1): 11,
            date(2016, 7, 1): 12,
            date(2016, 10, 1): 13,
        }
    )

    text = say(spec, series, date(2016, 12, 1), noun="number of hubs")

    assert text == (
        "At the end of December the number of hubs was 13, 1 higher than a year earlier, "
        "an 8% increase."
    )


def test_a_point_in_time_level_with_decimals_keeps_them_in_words():
    """Review finding: 7.46 against 7.04 and a target of 7.2, "7.5 against a target to date
    of 7.2" in the table, read "was 7, less than 1 higher than a year earlier... less than
    1 above the target of 7"."""
    spec = IndicatorSpec("lower", "snapshot")
    series = series_of({date(2015, 11, 1): "7.04", date(2016, 11, 1): "7.46"})
    target = TargetSpec("annual", Decimal("7.2"))

    text = say(spec, series, NOV_2016, target, noun="average wait in days")

    assert text.startswith(
        "At the end of November the average wait in days was 7.5, 0.4 higher than a year "
        "earlier, a 6% increase. This is 0.3 above the target of 7.2, within the tolerance "
        "of 5% of the target, which is 0.36 (amber)."
    )


@pytest.mark.parametrize(
    ("value", "words", "profile"),
    [
        ("7.2", "7.2 for the year", "a monthly profile: 7.2 for the year"),
        ("300", "300 for the year", "a monthly profile: 300 for the year"),  # a count's level
    ],
)
def test_a_point_in_time_target_is_worded_to_its_own_decimals(value, words, profile):
    assert target_words({"kind": "annual", "value": value}, "snapshot") == words
    last = date(2017, 3, 1)
    assert profile_words(last, Decimal(value), "snapshot", quarterly=False) == profile
