"""Chart specs: valid plotly figures, each with its data table, cheap to build."""

import datetime
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from indicators import charts
from indicators.figures import IndicatorSpec, TargetSpec, compute, series_of
from indicators.selectors import IndicatorFigures
from tests.factories import IndicatorFactory, PartnershipFactory

IST_2016 = [41, 61, 60, 67, 34, 51, 47]
IST_PROFILE = [55, 108, 162, 214, 268, 321, 375, 428, 482, 536, 588, 640]


def _result(indicator, values, target=None):
    series = series_of(
        {datetime.date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1): v for m, v in enumerate(values)}
    )
    spec = IndicatorSpec(polarity=indicator.polarity, measure=indicator.measure)
    figures = compute(spec, series, datetime.date(2016, 10, 1), target)
    return IndicatorFigures(indicator, figures, series, target)


@pytest.fixture
def ist():
    partnership = PartnershipFactory.build(name="Safer Plymouth", area="Plymouth")
    return IndicatorFactory.build(
        pk=7, partnership=partnership, polarity="higher", title='"ist" incidents', measure="count"
    )


def test_indicator_charts_are_valid_plotly_figures(ist):
    profile = {
        datetime.date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1): Decimal(v)
        for m, v in enumerate(IST_PROFILE)
    }
    result = _result(ist, IST_2016, TargetSpec(kind="cumulative", profile=profile))
    built = charts.indicator_charts(ist, result)
    assert [c.id for c in built] == ["chart-7-monthly", "chart-7-cumulative"]
    for chart in built:
        go.Figure(chart.spec)  # raises on any property plotly does not know
        assert len(chart.rows) == 12
        assert chart.alt and chart.subtitle
    cumulative = built[1]
    assert cumulative.rows[6] == ["Oct", "375", "361"]
    # The place, as the monthly chart's subtitle gives it.
    assert cumulative.subtitle == "Cumulative number, Plymouth, 2016/17"
    assert cumulative.rows[7] == ["Nov", "428", "No figure"]


def test_indicator_chart_series_differ_by_dash_as_well_as_colour(ist):
    chart = charts.indicator_charts(ist, _result(ist, IST_2016))[0]
    dashes = {trace["line"].get("dash", "solid") for trace in chart.spec["data"]}
    colours = {trace["line"]["color"] for trace in chart.spec["data"]}
    assert len(dashes) == 2
    assert colours <= {charts.DARK_BLUE, charts.TURQUOISE, charts.DARK_PINK, charts.ORANGE}


def test_indicator_chart_missing_month_is_a_gap_not_zero(ist):
    chart = charts.indicator_charts(ist, _result(ist, IST_2016))[0]
    this_year = chart.spec["data"][1]["y"]
    assert this_year[:7] == [41.0, 61.0, 60.0, 67.0, 34.0, 51.0, 47.0]
    assert this_year[7:] == [None] * 5


def test_indicator_chart_without_last_year_does_not_claim_a_comparison(ist):
    chart = charts.indicator_charts(ist, _result(ist, IST_2016))[0]
    assert "than" not in chart.title and "level with" not in chart.title
    # Its finding is the year so far: 41 + 61 + 60 + 67 + 34 + 51 + 47 = 361.
    assert chart.title == '"ist" incidents: a total of 361 so far in 2016/17'
    # Nor names a year it has no figure for.
    assert chart.subtitle == "Number, Plymouth, month by month, 2016/17"
    assert "against" not in chart.alt and "2015/16" not in chart.alt


def test_cumulative_chart_title_says_where_the_year_stands_against_the_target(ist):
    def title(profile_scale):
        profile = {
            datetime.date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1): Decimal(v * profile_scale)
            for m, v in enumerate(IST_PROFILE)
        }
        result = _result(ist, IST_2016, TargetSpec(kind="cumulative", profile=profile))
        return charts.indicator_charts(ist, result)[1].title

    # 361 to October against a target to date of 375, then of 187.5.
    assert title(1) == '"ist" incidents: year to date below the target'
    assert title(Decimal("0.5")) == '"ist" incidents: year to date above the target'


def test_a_long_indicator_name_leaves_the_title_to_the_finding(ist):
    # REPORT_CHECKLIST 29: ten words or fewer. The chart sits under the indicator's name.
    ist.title = "Crimes of violence with injury (excluding domestic abuse)"
    profile = {
        datetime.date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1): Decimal(v)
        for m, v in enumerate(IST_PROFILE)
    }
    result = _result(ist, IST_2016, TargetSpec(kind="cumulative", profile=profile))
    titles = [chart.title for chart in charts.indicator_charts(ist, result)]
    assert titles == ["A total of 361 so far in 2016/17", "Year to date below the target"]


def test_indicator_charts_label_lines_directly_in_black_and_white(ist):
    # REPORT_CHECKLIST 31: named at the line's end, no legend, a dash per series, <= 4.
    profile = {
        datetime.date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1): Decimal(v)
        for m, v in enumerate(IST_PROFILE)
    }
    result = _result(ist, IST_2016, TargetSpec(kind="cumulative", profile=profile))
    for chart in charts.indicator_charts(ist, result):
        data, layout = chart.spec["data"], chart.spec["layout"]
        assert layout["showlegend"] is False
        named = {a["text"] for a in layout["annotations"]}
        assert named == {t["name"] for t in data if any(y is not None for y in t["y"])}
        assert len(data) <= charts.MAX_SERIES
        assert len({t["line"].get("dash", "solid") for t in data}) == len(data)
        go.Figure(chart.spec)


@pytest.fixture
def referrals():
    partnership = PartnershipFactory.build(name="Safer Plymouth", area="Plymouth")
    return IndicatorFactory.build(
        pk=5,
        partnership=partnership,
        polarity="higher",
        title="Increase referrals to domestic abuse services",
        unit="referrals to domestic abuse services",
        frequency="quarterly",
    )


def _quarterly_result(indicator):
    # Each quarter stored at its first month; figures to November 2016 (Q3 under way).
    values = {datetime.date(2015, m, 1): v for m, v in ((4, 542), (7, 539), (10, 555))}
    values |= {datetime.date(2016, 1, 1): 559, datetime.date(2016, 4, 1): 518}
    values |= {datetime.date(2016, 7, 1): 526}
    series = series_of(values)
    spec = IndicatorSpec(polarity="higher", measure="count", frequency="quarterly")
    figures = compute(spec, series, datetime.date(2016, 11, 1), None)
    return IndicatorFigures(indicator, figures, series, None)


def test_quarterly_indicator_chart_speaks_of_quarters(referrals):
    chart = charts.indicator_charts(referrals, _quarterly_result(referrals))[0]

    assert [t["x"] for t in chart.spec["data"]] == [["Q1", "Q2", "Q3", "Q4"]] * 2
    assert chart.headers[0] == "Quarter"
    assert [row[0] for row in chart.rows] == ["Q1", "Q2", "Q3", "Q4"]
    assert "quarter by quarter (Q1 is April to June)" in chart.subtitle
    assert "month" not in chart.subtitle + chart.alt


def test_chart_alt_text_names_the_measure_not_a_lower_cased_title(referrals, ist):
    quarterly = charts.indicator_charts(referrals, _quarterly_result(referrals))[0]
    monthly = charts.indicator_charts(ist, _result(ist, IST_2016))[0]

    assert quarterly.alt.startswith(
        "Line chart of the number of referrals to domestic abuse services in Plymouth, "
        "quarter by quarter (Q1 is April to June), 2016/17 against 2015/16."
    )
    # No figure for 2015/16 here, so no comparison with it is claimed.
    assert monthly.alt.startswith(
        "Line chart of the number of crimes in Plymouth, month by month, 2016/17. The data"
    )
    assert "increase referrals" not in quarterly.alt


def test_alt_text_falls_back_to_the_title_without_a_unit(ist):
    ist.unit = ""
    assert charts.measure_name(ist) == '"ist" incidents'
    ist.unit, ist.measure = "satisfaction rate", "percentage"
    assert charts.measure_name(ist) == "the satisfaction rate"


def test_a_report_chart_title_says_within_normal_variation_in_ten_words_or_fewer(ist):
    from reports.builder import indicator_entry

    ist.title = "Crimes of violence with injury (excluding domestic abuse)"
    last_year = [40, 60, 62, 65, 36, 50, 45, 50, 50, 50, 50, 50]
    series = series_of(
        {
            datetime.date(2015 + (m + 3) // 12, (m + 3) % 12 + 1, 1): v
            for m, v in enumerate(last_year + IST_2016)
        }
    )
    spec = IndicatorSpec(polarity=ist.polarity, measure=ist.measure)
    figures = compute(spec, series, datetime.date(2016, 10, 1), None)
    entry = indicator_entry(IndicatorFigures(ist, figures, series, None))

    # 361 against 358 so far: a rise within normal variation.
    chart = entry["charts"][0]
    assert chart["title"] == "Higher than 2015/16 so far, within normal variation"
    # The title lost the indicator's name: the subtitle carries it.
    assert chart["subtitle"].startswith(f"{ist.title}: number, ")


def _two_years(indicator, last_year, this_year):
    months = {}
    for year, values in ((2015, last_year), (2016, this_year)):
        for m, v in enumerate(values):
            if v is not None:
                months[datetime.date(year + (m + 3) // 12, (m + 3) % 12 + 1, 1)] = v
    series = series_of(months)
    spec = IndicatorSpec(polarity=indicator.polarity, measure=indicator.measure)
    figures = compute(spec, series, datetime.date(2016, 10, 1), None)
    return IndicatorFigures(indicator, figures, series, None)


def test_the_year_before_is_named_beside_the_years_not_inside_the_measure(ist):
    # Three years of months (REPORT_CHECKLIST 11); a measure may itself say "against".
    ist.unit = "violence against the person offences"
    result = _two_years(ist, [40] * 12, IST_2016)

    chart = charts.indicator_charts(ist, result, ("2014/15", [30] * 12))[0]

    assert chart.alt == (
        "Line chart of the number of violence against the person offences in Plymouth, "
        "month by month, 2016/17 against 2014/15 and 2015/16. The data are in the table "
        "that follows."
    )
    assert chart.subtitle.endswith("month by month, 2014/15, 2015/16 and 2016/17")
    assert [t["name"] for t in chart.spec["data"]] == ["2014/15", "2015/16", "2016/17"]
    assert chart.spec["data"][0]["line"]["dash"] == "dot"
    go.Figure(chart.spec)


def test_with_no_figure_last_year_the_chart_names_the_two_years_it_shows(ist):
    ist.unit = "thefts"
    result = _two_years(ist, [None] * 12, IST_2016)

    chart = charts.indicator_charts(ist, result, ("2014/15", [30] * 12))[0]

    assert chart.subtitle == "Number, Plymouth, month by month, 2014/15 and 2016/17"
    assert chart.alt == (
        "Line chart of the number of thefts in Plymouth, month by month, 2016/17 against "
        "2014/15. The data are in the table that follows."
    )


def test_a_year_before_with_no_figure_is_no_line(ist):
    chart = charts.indicator_charts(ist, _result(ist, IST_2016), ("2014/15", [None] * 12))[0]

    assert "2014/15" not in chart.subtitle + chart.alt
    assert [t["name"] for t in chart.spec["data"]] == ["2015/16", "2016/17"]


@pytest.mark.parametrize("measure", ["count", "percentage"])
def test_every_charts_axis_numbers_have_commas_above_999(measure):
    """Review finding: on screen the axis read 1500 where the table beside it read 1,500
    (only the printed charts set the format)."""
    from indicators.figures import spc_series

    indicator = IndicatorFactory.build(pk=8, polarity="higher", measure=measure, title="Crime")
    values = [1500 if measure == "count" else 88 for _ in range(7)]
    result = _result(indicator, values)
    slots, analysis = spc_series(
        IndicatorSpec(polarity="higher", measure=measure), result.series, result.figures.period
    )
    built = [
        *charts.indicator_charts(indicator, result),
        charts.xmr_chart(indicator, slots, analysis),
    ]
    for chart in built:
        assert chart.spec["layout"]["yaxis"]["tickformat"] == ","
        go.Figure(chart.spec)
