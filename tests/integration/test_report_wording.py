"""The report's wording, worked from the demo reports' review: the overview's marks and
warnings, how changes and snapshots are written, chart titles, risks printed once,
numbered paragraphs and abbreviations spelled out."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from indicators import charts
from indicators.models import Actual, Indicator, Target
from reports import rendering, services
from reports.builder import _finding_direction, same_risk
from reports.models import Report
from reports.templatetags.report_tags import (
    and_list,
    change_pct,
    change_pct_column,
    neighbours_caption,
    number_words,
    points_change,
)
from tests.factories import ReportFactory
from tests.factories.actions import ActionFactory
from tests.factories.series import hate_crime_indicator, indicators_with_history

NOV_2016 = datetime.date(2016, 11, 1)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _overview(*partnerships):
    report = ReportFactory(partnership=partnerships[0], kind=Report.Kind.OVERVIEW)
    report.covers.set(partnerships)
    return rendering.render_document(services.report_snapshot(report))


# 1 and 2: the overview's headline table -------------------------------------------------


@pytest.mark.django_db
def test_overview_marks_a_partial_year_and_says_why_there_is_no_status(partnership_a):
    [indicator] = indicators_with_history(partnership_a, 1, last=NOV_2016, months=1)
    Actual.objects.create(indicator=indicator, period=datetime.date(2015, 11, 1), value=150)
    Target.objects.create(
        indicator=indicator, financial_year=2016, kind="change_pct", value=-2, baseline_year=2015
    )

    text = _text(_overview(partnership_a))

    # Said once, under the table, not in the cell (REPORT_CHECKLIST: narrow columns).
    assert "100 [note 1]" in text
    assert "[note 1] Months with figures only." in text
    assert "(months with figures only)" not in text
    assert "No status Not rated: figures are missing for part of the year so far" in text


@pytest.mark.django_db
def test_a_summary_table_says_each_year_to_date_mark_once(partnership_a):
    # Three indicators with November only, one to October: two marks, each said once.
    indicators = indicators_with_history(partnership_a, 3, last=NOV_2016, months=1)
    indicators_with_history(partnership_a, 1, last=datetime.date(2016, 10, 1), months=7)
    report = ReportFactory(partnership=partnership_a, period=NOV_2016)

    text = _text(rendering.render_document(services.report_snapshot(report)))

    assert "(months with figures only)" not in text and "(to Oct 2016)" not in text
    assert text.count("[note 1] Months with figures only.") == 1
    assert text.count("[note 2] To Oct 2016.") == 1
    assert text.count(" [note 1]") == len(indicators) + 1  # the cells and the note
    assert text.count(" [note 2]") == 2


@pytest.mark.django_db
def test_overview_warns_of_a_red_indicator_with_no_corrective_action(partnership_a):
    [indicator] = indicators_with_history(partnership_a, 1, last=NOV_2016, months=24)
    # Lower is better: 828 so far against a target of 8 to date is red.
    Target.objects.create(indicator=indicator, financial_year=2016, kind="annual", value=12)

    html = _overview(partnership_a)

    assert "Red" in html
    # 2.1 sets the partnerships side by side; the partnership's own part is 2.2.
    assert (
        f"2.2.1</span> {indicator.title} ({indicator.code}): <strong>No corrective action is "
        "linked to this red indicator.</strong>" in html
    )


@pytest.mark.django_db
def test_overview_names_a_red_indicator_by_code_only_when_it_has_one(partnership_a):
    indicator, planned = indicators_with_history(partnership_a, 2, last=NOV_2016, months=24)
    for each in (indicator, planned):
        Target.objects.create(indicator=each, financial_year=2016, kind="annual", value=12)
    Indicator.objects.filter(pk=indicator.pk).update(code="")
    action = ActionFactory(objective__plan__partnership=partnership_a, description="Extra patrols")
    action.indicators.add(planned)

    text = _text(_overview(partnership_a))

    assert f"{indicator.title}: No corrective action" in text
    assert f"Planned interventions for {planned.title} ({planned.code}, red):" in text


# 3 and 4: percentage changes, whole throughout ----------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("27.4", "+27%"),
        ("-6.5", "\u22127%"),
        ("-31.0", "\u221231%"),
        ("0.5", "+1%"),  # halves away from zero
        ("0.245", "a rise of less than 1%"),  # would read 0%: says so, with no decimal
        ("-0.2", "a fall of less than 1%"),
        ("0.04", "a rise of less than 1%"),
        ("0", "0%"),
    ],
)
def test_a_percentage_change_is_whole_and_never_reads_as_zero(value, shown):
    """Review finding: one figure printed "+6%" in an indicator's summary and "+6.1%" in
    Appendix B.1, whose column took a decimal for another row's +0.1%. Prose and every
    table's column print it alike."""
    assert change_pct(value) == shown
    assert _text(change_pct_column(value, 0)).strip() == shown


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        ("-6.2", 1, "\u22126.2%"),
        ("12", 1, "+12.0%"),
        ("-0.4", 1, "\u22120.4%"),
        ("0.04", 1, "a rise of less than 0.1%"),
        ("27.4", 0, "+27%"),
        (None, 0, "\u2013"),
    ],
)
def test_a_column_of_a_snapshot_made_before_keeps_its_stored_decimals(value, places, shown):
    """A snapshot made before the whole-per-cent rule stored its column's decimals: it
    renders as it did."""
    assert _text(change_pct_column(value, places)).strip() == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1.5", "+1.5 percentage points"),
        ("-2", "\u22122.0 percentage points"),
        ("0", "no change"),
        ("0.02", "a rise of less than 0.1 percentage points"),
    ],
)
def test_a_change_between_percentages_is_in_percentage_points(value, shown):
    assert points_change(value, 1) == shown


@pytest.mark.django_db
def test_overview_prints_the_unit_of_last_year_and_percentage_points(partnership_a):
    [indicator] = indicators_with_history(partnership_a, 1, last=NOV_2016, months=0)
    indicator.measure = Indicator.Measure.PERCENTAGE
    indicator.save()
    for month in range(20):  # April 2015 to November 2016: 80% then 81.5%
        period = datetime.date(2015 + (month + 3) // 12, (month + 3) % 12 + 1, 1)
        numerator = 160 if period < datetime.date(2016, 4, 1) else 163
        Actual.objects.create(
            indicator=indicator,
            period=period,
            value=Decimal(numerator) / 2,
            numerator=numerator,
            denominator=200,
        )

    text = _text(_overview(partnership_a))

    assert "81.5% (1,304 of 1,600) 80.0% +1.5 percentage points" in text


# 4: a snapshot of a count -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "values", "places"),
    [
        ("count", [Decimal("1.5")], 0),
        ("snapshot", [Decimal(333), None, Decimal(330)], 0),
        ("snapshot", [Decimal("333.5"), Decimal(330)], 1),
        ("snapshot", [None], 1),
        ("rate", [Decimal(20)], 1),
        ("percentage", [Decimal(84)], 1),
    ],
)
def test_a_snapshot_of_whole_numbers_shows_no_decimals(measure, values, places):
    assert charts.shown_places(measure, values) == places


@pytest.mark.django_db
def test_report_prints_a_snapshot_count_without_decimals(partnership_a):
    [indicator] = indicators_with_history(partnership_a, 1, last=NOV_2016, months=3)
    indicator.measure = Indicator.Measure.SNAPSHOT
    indicator.save()

    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))

    assert snapshot["indicators"][str(indicator.pk)]["places"] == 0
    html = re.sub(r"<script\b.*?</script>", "", rendering.render_document(snapshot), flags=re.S)
    assert "100.0" not in html and "100" in html


# 5: why there is no direction -------------------------------------------------------------


def test_no_comparison_says_whether_this_year_or_last_year_lacks_figures():
    none_this_year = {"direction": "none", "figures": {"this_year": [["2016-04-01", None]]}}
    none_last_year = {"direction": "none", "figures": {"this_year": [["2016-04-01", "5"]]}}

    assert _finding_direction(none_this_year) == "none_this_year"
    assert _finding_direction(none_last_year) == "none"


# 6: what Appendix B holds -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        (["family", "neighbours"], "comparisons with similar areas and neighbours"),
        (["family"], "a comparison with similar areas"),
        (
            ["core", "family", "hotspots"],
            "the last 12 months and the last 3 against the year before; a comparison with "
            "similar areas; and hotspots",
        ),
        (["hotspots", "outcomes"], "hotspots and solved crimes"),
        (
            ["core", "family", "neighbours"],
            "the last 12 months and the last 3 against the year before; and comparisons with "
            "similar areas and neighbours",
        ),
    ],
)
def test_the_performance_section_names_only_what_appendix_b_holds(parts, words):
    found = rendering._context_contents({"context": {"parts": parts}})
    assert found["context_contents"] == words


# 7: charts in print -----------------------------------------------------------------------


def test_no_chart_finding_starts_with_a_numeral():
    source = Path(charts.__file__).read_text(encoding="utf-8")
    findings = re.findall(r'finding = f"([^"]*)"', source)
    assert findings and not [f for f in findings if re.match(r"\{(figures|so_far)", f)]


def test_print_keeps_an_indicator_heading_with_what_follows_and_a_chart_whole():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert ".app-report__indicator > h3 { break-after: avoid; }" in css
    assert ".app-report__chart { break-inside: avoid; }" in css


# 8: risks printed once --------------------------------------------------------------------


def test_a_risk_the_editor_typed_is_left_out_only_when_it_is_the_recorded_one():
    recorded = "Capacity of the Volunteer Centre to meet a potential increase in volunteering."
    assert same_risk("capacity of the volunteer centre to meet a potential  increase in "
                     "volunteering", recorded)  # fmt: skip
    # In other words it is the editor's own: never guessed away.
    assert not same_risk("Capacity of the volunteer centre if volunteering grows", recorded)


# 9: the partial mark ------------------------------------------------------------------------


def _mark(frequency: str, **figures) -> str:
    record = {"ytd": "10", "ytd_partial": False, "ytd_end": "2016-11-01", "period": "2016-11-01"}
    html = render_to_string(
        "reports/_partial.html", {"e": {"frequency": frequency}, "f": {**record, **figures}}
    )
    return _text(html).strip()


def test_the_partial_mark_is_bracketed_and_says_quarters_for_a_quarterly_indicator():
    assert _mark("quarterly", ytd_partial=True) == "(quarters with figures only)"
    assert _mark("monthly") == ""


def test_a_year_to_date_that_stops_before_the_reports_month_says_where():
    """Review finding: a year to date to October (November late) sat under "April to
    November 2016" with no mark."""
    assert _mark("monthly", ytd_end="2016-10-01") == "(to Oct 2016)"
    assert _mark("quarterly", ytd_end="2016-09-01") == "(to Sep 2016)"
    assert _mark("monthly", ytd_end="2016-10-01", ytd_partial=True) == (
        "(months with figures only, to Oct 2016)"
    )
    assert _mark("monthly", ytd=None, ytd_end=None) == ""


# 10: a rate's neighbours table --------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "code", "is_count", "caption"),
    [
        (
            "Total crime rate per 1,000 population (most similar group)",
            "SS 06",
            False,
            "Recorded crimes behind total crime rate (SS 06): Devon & Cornwall partnerships, "
            "four quarters to Q2 2010/11",
        ),
        (
            "ASB rate per 1,000 households",
            "ASB 2",
            False,
            "Recorded crimes behind ASB rate (ASB 2): Devon & Cornwall partnerships, "
            "four quarters to Q2 2010/11",
        ),
        (
            "Violence with injury (excluding domestic abuse)",
            "SP 03",
            True,
            "Violence with injury (excluding domestic abuse) (SP 03): Devon & Cornwall "
            "partnerships, four quarters to Q2 2010/11",
        ),
        (
            "Domestic burglary (iQuanta most similar group)",
            "SLA 04",
            True,
            "Domestic burglary (SLA 04): Devon & Cornwall partnerships, four quarters to "
            "Q2 2010/11",
        ),
    ],
)
def test_a_neighbours_tables_caption_says_what_the_table_compares(title, code, is_count, caption):
    """Review finding: "Recorded crimes behind Total crime rate per 1,000 population
    (SS 06), most similar group, Devon & Cornwall": the table compares the force's
    partnerships, not the most similar group; the words came from the indicator's name."""
    indicator = {"title": title, "code": code, "is_count": is_count, "quarter": "Q2 2010/11"}
    assert neighbours_caption(indicator, "Devon & Cornwall") == caption


# 11 and 12: numbered paragraphs, numbers and abbreviations ----------------------------------


@pytest.mark.django_db
def test_every_paragraph_of_the_main_sections_is_numbered(partnership_a):
    hate_crime_indicator(partnership_a)
    html = rendering.render_document(
        services.report_snapshot(ReportFactory(partnership=partnership_a))
    )
    main = html[html.index('id="section-1"') : html.index('id="appendix-a"')]

    unnumbered = [
        p
        for p in re.findall(r'<p class="govuk-body[^"]*">(.*?)</p>', main, re.S)
        if "app-para__no" not in p
    ]
    assert unnumbered == []
    assert re.search(r'<span class="app-para__no">(\d+)\.1</span> The months of 2016/17', html)


@pytest.mark.django_db
def test_the_panel_is_named_the_same_way_throughout(partnership_a):
    hate_crime_indicator(partnership_a)
    html = rendering.render_document(
        services.report_snapshot(ReportFactory(partnership=partnership_a))
    )
    assert "updates the panel on" in html and "The panel acts as the crime" in html


def test_small_numbers_are_words_and_lists_end_with_and():
    assert [number_words(n) for n in (1, 6, 9, 10, 1200)] == ["one", "six", "nine", "10", "1,200"]
    assert and_list(["SLA 01", "SLA 02"]) == "SLA 01 and SLA 02"
    assert and_list(["A", "B", "C"]) == "A, B and C"


@pytest.mark.django_db
def test_overview_counts_its_partnerships_in_words(partnership_a, partnership_b):
    html = _overview(partnership_a, partnership_b)
    assert '<span class="govuk-caption-l">Two community safety partnerships</span>' in html
    assert "It gives an overview of two partnerships" in html


@pytest.mark.django_db
def test_the_glossary_lists_only_what_the_report_uses(partnership_a):
    hate_crime_indicator(partnership_a)
    html = rendering.render_document(
        services.report_snapshot(ReportFactory(partnership=partnership_a))
    )
    glossary = _text(html[html.index('id="glossary"') :])

    assert "Direction of travel" in glossary
    for unused in ("CSP", "YTD", "SLA", "MARAC"):
        assert not re.search(rf"\b{unused}\b", glossary)
