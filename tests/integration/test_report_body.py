"""The report's main body, worked from the demo reports' review: the overview's tables split
as a partnership report's are, with codes and cautions; indicators with no figure this year
named, not tabled; background papers always listed; quarterly indicators spoken of in
quarters; no chart titled with a period alone."""

import datetime
import io
import re
from decimal import Decimal

import docx
import pytest

from indicators import charts
from indicators.figures import IndicatorSpec, compute, series_of
from indicators.models import Actual, Target
from indicators.selectors import IndicatorFigures
from reports import documents, rendering, selectors, services
from reports.models import Report
from tests.factories import (
    IndicatorFactory,
    PartnershipFactory,
    ReportFactory,
    ThemeGroupFactory,
)
from tests.factories.series import actuals_create, indicators_with_history

NOV_2016 = datetime.date(2016, 11, 1)
DEMAND = "Police-recorded crime measures demand on the police rather than trends in crime."


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _document(report) -> str:
    return rendering.render_document(services.report_snapshot(report))


@pytest.mark.django_db
def test_overview_tables_target_indicators_first_with_codes_and_cautions(partnership_a):
    monitored, targeted = indicators_with_history(partnership_a, 2, last=NOV_2016)
    Target.objects.create(indicator=targeted, financial_year=2016, kind="annual", value=5000)
    report = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW)
    report.covers.set([partnership_a])

    text = _text(_document(report))

    targets, monitoring = text.split("Indicators with targets")[1].split(
        "Indicators without a target"
    )
    assert "without a target" not in targets and targeted.title in targets
    assert monitored.title in monitoring
    assert text.index(targeted.title) < text.index(monitored.title)
    assert f"{targeted.title} {targeted.code}" in text
    assert f"{monitored.title} {monitored.code}" in text
    assert DEMAND in text


@pytest.mark.django_db
def test_overview_carries_an_indicators_own_interpretation_note(partnership_a):
    [indicator] = indicators_with_history(partnership_a, 1, last=NOV_2016)
    indicator.interpretation_note = "Counted by date reported, not date of offence."
    indicator.save()
    report = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW)
    report.covers.set([partnership_a])

    text = _text(_document(report))

    assert f"{indicator.title} ({indicator.code}): Counted by date reported" in text


@pytest.mark.django_db
def test_an_indicator_with_no_figure_this_year_is_named_not_tabled(partnership_a):
    reported, stopped = indicators_with_history(partnership_a, 2, last=NOV_2016, months=0)
    actuals_create(reported, {datetime.date(2016, 4, 1): 10, datetime.date(2015, 4, 1): 12})
    actuals_create(stopped, {datetime.date(2015, 4, 1): 12, datetime.date(2015, 5, 1): 9})

    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    html = rendering.render_document(snapshot)

    assert list(snapshot["indicators"]) == [str(reported.pk)]
    assert snapshot["no_figures"] == [{"code": stopped.code, "title": stopped.title}]
    main = _text(html[: html.index('id="appendix-a"')])
    assert stopped.title not in main and "No figure" not in main
    assert "Left out: 1 indicator with no figures for 2016/17 so far" in main
    assert f"{stopped.title} ({stopped.code})" in _text(html[html.index("Missing figures") :])


@pytest.mark.django_db
def test_overview_and_partnership_report_leave_out_the_same_indicators(partnership_a):
    [stopped] = indicators_with_history(partnership_a, 1, last=NOV_2016, months=0)
    actuals_create(stopped, {datetime.date(2015, 4, 1): 12})
    overview = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW)
    overview.covers.set([partnership_a])

    own = services.report_snapshot(ReportFactory(partnership=partnership_a))
    [block] = services.report_snapshot(overview)["overview"]

    assert own["indicators"] == {} and block["indicators"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(("month", "missing"), [(5, False), (7, True)])
def test_a_quarterly_indicator_is_missing_only_once_its_first_quarter_has_ended(
    partnership_a, month, missing
):
    # Last year's quarters only: in May no 2016/17 quarter has ended, so none is due and
    # the indicator is tabled (with last year's figures); in July April to June is missing.
    # An overview has no month-by-month table: its row would say "No figure" twice, so it
    # is left out either way (review finding).
    group = ThemeGroupFactory(partnership=partnership_a)
    quarterly = IndicatorFactory(
        partnership=partnership_a, theme_group=group, frequency="quarterly"
    )
    actuals_create(quarterly, {datetime.date(2015, m, 1): 500 for m in (4, 7, 10)})
    period = datetime.date(2016, month, 1)
    overview = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW, period=period)
    overview.covers.set([partnership_a])

    own = services.report_snapshot(ReportFactory(partnership=partnership_a, period=period))
    [block] = services.report_snapshot(overview)["overview"]

    named = {"code": quarterly.code, "title": quarterly.title}
    assert (own["no_figures"] == [named]) is missing
    assert (str(quarterly.pk) in own["indicators"]) is not missing
    assert block["indicators"] == []
    assert selectors.figures_entered(partnership_a, period, group) is not missing


@pytest.mark.django_db
def test_an_overview_prints_no_empty_row_for_a_quarterly_indicator_before_its_first_quarter(
    partnership_a, partnership_b
):
    may = datetime.date(2016, 5, 1)
    monthly = indicators_with_history(partnership_b, 1, last=may)[0]
    quarterly = IndicatorFactory(partnership=partnership_b, frequency="quarterly")
    actuals_create(quarterly, {datetime.date(2015, m, 1): 300 for m in (4, 7, 10)})
    overview = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW, period=may)
    overview.covers.set([partnership_a, partnership_b])

    snapshot = services.report_snapshot(overview)
    [block] = [b for b in snapshot["overview"] if b["partnership_id"] == partnership_b.pk]
    text = _text(rendering.render_document(snapshot))

    assert [e["code"] for e in block["indicators"]] == [monthly.code]
    assert monthly.code in text
    assert quarterly.code not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("papers", "shown"),
    [("", "Background papers None"), ("Plan 2017/18", "Background papers Plan 2017/18")],
)
def test_background_papers_are_listed_or_said_to_be_none(partnership_a, papers, shown):
    report = ReportFactory(partnership=partnership_a, background_papers=papers)

    assert shown in _text(_document(report))


@pytest.mark.django_db
def test_a_quarterly_indicator_is_compared_by_quarters(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    # Q1 and Q2 of both years, Q1 of this year missing: a year to date of quarters with figures.
    actuals_create(
        indicator,
        {
            datetime.date(2015, 4, 1): 50,
            datetime.date(2015, 7, 1): 60,
            datetime.date(2016, 7, 1): 55,
        },
    )
    report = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 9, 1))

    text = _text(_document(report))

    assert "The quarters with figures against the same quarters last year" in text
    assert "Quarter 2 against the same quarter last year" in text


@pytest.mark.django_db
def test_a_monthly_indicator_is_compared_by_months(partnership_a):
    [indicator] = indicators_with_history(partnership_a, 1, last=NOV_2016)
    Actual.objects.filter(indicator=indicator, period=datetime.date(2016, 5, 1)).delete()

    text = _text(_document(ReportFactory(partnership=partnership_a)))

    assert "The months with figures against the same months last year" in text
    assert "Quarter 3 so far against the same months last year" in text


def _chart_result(values):
    partnership = PartnershipFactory.build(name="Safer Plymouth", area="Plymouth")
    indicator = IndicatorFactory.build(
        pk=7, partnership=partnership, title="Serious violence", frequency="quarterly"
    )
    spec = IndicatorSpec(polarity="lower", measure="count", frequency="quarterly")
    series = series_of(values)
    return indicator, IndicatorFigures(
        indicator, compute(spec, series, datetime.date(2010, 9, 1), None), series, None
    )


def test_a_chart_with_no_figure_this_year_says_so_in_its_title():
    indicator, result = _chart_result({datetime.date(2009, 4, 1): Decimal(40)})

    [chart] = charts.indicator_charts(indicator, result)

    assert chart.title == "Serious violence: no figures yet for 2010/11"


def test_a_chart_with_no_figure_at_all_is_left_out():
    indicator, result = _chart_result({})

    assert charts.indicator_charts(indicator, result) == []


def test_a_chart_with_no_figure_last_year_says_so_in_its_title():
    # As SS 06 in the demo: Q2 2010/11 alone, Q1 missing, nothing the year before.
    indicator, result = _chart_result({datetime.date(2010, 7, 1): Decimal(20)})

    [chart] = charts.indicator_charts(indicator, result)

    assert chart.title == "Serious violence: no 2009/10 figures to compare with"


@pytest.mark.django_db
def test_a_default_reports_summary_and_body_agree_on_figures_entered(partnership_a):
    # Last year's figures alone: the body names the indicator under "Missing figures", so
    # the summary claims no figures either; a quarter under way is no figure yet.
    [last_year_only] = indicators_with_history(partnership_a, 1, last=NOV_2016, months=0)
    actuals_create(last_year_only, {datetime.date(2015, 11, 1): 40})
    quarterly = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    actuals_create(quarterly, {datetime.date(2016, 10, 1): 600})

    report = services.report_default(partnership=partnership_a, period=NOV_2016)
    snapshot = services.report_snapshot(report)

    assert report.executive_summary.startswith("No figures have been entered")
    assert snapshot["indicators"] == {}


@pytest.mark.django_db
def test_word_carries_the_overviews_tables_cautions_and_background_papers(partnership_a):
    [indicator] = indicators_with_history(partnership_a, 1, last=NOV_2016)
    report = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW)
    report.covers.set([partnership_a])

    word = docx.Document(io.BytesIO(documents.render_docx(_document(report), title="T", charts={})))

    paragraphs = [p.text for p in word.paragraphs]
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert f"{indicator.title} {indicator.code}" in cells
    assert any(DEMAND in text for text in paragraphs)
    assert paragraphs[paragraphs.index("Background papers") + 1] == "None"


@pytest.mark.django_db
def test_indicators_without_a_target_are_named_in_the_same_words_throughout(partnership_a):
    """Review finding: "No target set", "Monitoring only" and "Monitored" read the same, and
    the glossary's "Monitored" fitted both. An indicator with no target whose direction is
    rated is "No target set"; one with no better or worse is "For information only": the
    key findings, the priorities' sentence, the table and the definitions say so alike."""
    _, information, targeted = indicators_with_history(partnership_a, 3, last=NOV_2016)
    Target.objects.create(indicator=targeted, financial_year=2016, kind="annual", value=5000)
    information.polarity = "monitor"
    information.save()

    text = _text(_document(ReportFactory(partnership=partnership_a)))

    assert "onitored" not in text and "onitoring only" not in text
    summary = text[text.index("Indicators without a target") :]
    assert "– For information only" in summary[: summary.index("Appendix A")]
    assert "No target set 1 33% For information only: no better or worse direction 1" in text
    assert "1 with no target set, 1 for information only" in text
    definitions = text[text.rindex("Status key") :]
    assert "No target set No target, so no status" in definitions
    assert "For information only No target and no better or worse direction" in definitions
    assert "No target set An indicator with no target" in definitions
    assert "For information only An indicator with no target and no better" in definitions
