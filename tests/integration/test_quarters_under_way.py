"""A quarter still under way at a report's month: no report to that month counts its
figure (indicators.figures), so none locks it, lists a change to it as a revision, or
counts it as a figure entered; and no page reports to a month not yet begun because a
quarter's figure was entered before the quarter ended."""

import datetime
from decimal import Decimal

import pytest

from indicators import periods
from indicators import selectors as indicator_selectors
from indicators import services as figure_services
from reports import selectors, services
from tests.factories import IndicatorFactory, ReportFactory, ThemeGroupFactory
from tests.factories.series import indicators_with_history

NOV_2016 = datetime.date(2016, 11, 1)
OCT_2016 = datetime.date(2016, 10, 1)


def _save(indicator, period, value):
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(indicator, period, Decimal(value))],
        by=None,
        reason="",
    )


@pytest.fixture
def quarterly(partnership_a):
    indicator = IndicatorFactory(
        partnership=partnership_a, frequency="quarterly", title="Referrals"
    )
    for period in (
        datetime.date(2015, 4, 1),
        datetime.date(2015, 7, 1),
        datetime.date(2015, 10, 1),
        datetime.date(2016, 1, 1),
        datetime.date(2016, 4, 1),
        datetime.date(2016, 7, 1),
    ):
        _save(indicator, period, 500)
    _save(indicator, OCT_2016, 600)  # October to December, entered before publishing
    return indicator


@pytest.mark.django_db
def test_a_change_to_a_quarter_under_way_is_no_revision(partnership_a, quarterly):
    """Review finding: the report to December listed October to December as revised
    (600 to 650), though the report to November never printed 600."""
    november = ReportFactory(partnership=partnership_a)
    services.report_publish(report=november, by=None)
    _save(quarterly, OCT_2016, 650)  # not locked: no reason asked

    december = ReportFactory(
        partnership=partnership_a, period=datetime.date(2016, 12, 1), title="December"
    )
    assert services.report_snapshot(december)["revisions"] == []
    version = november.versions.get()
    assert selectors.revision_notice(version) == []


@pytest.mark.django_db
def test_a_change_to_an_ended_quarter_is_still_a_revision(partnership_a, quarterly):
    november = ReportFactory(partnership=partnership_a)
    services.report_publish(report=november, by=None)
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(quarterly, datetime.date(2016, 7, 1), Decimal(510))],
        by=None,
        reason="revised by the service",
    )

    december = ReportFactory(
        partnership=partnership_a, period=datetime.date(2016, 12, 1), title="December"
    )
    [revision] = services.report_snapshot(december)["revisions"]
    assert (revision["old"], revision["new"]) == ("500", "510")


@pytest.mark.django_db
def test_a_quarter_under_way_is_no_figure_entered(partnership_a):
    """Review finding: a theme group whose only figure was a quarter under way got a
    summary promising figures, above a body saying there were none."""
    group = ThemeGroupFactory(partnership=partnership_a, name="Only quarterly")
    indicator = IndicatorFactory(
        partnership=partnership_a, theme_group=group, frequency="quarterly"
    )
    _save(indicator, OCT_2016, 600)

    assert not selectors.figures_entered(partnership_a, NOV_2016, group)
    assert selectors.figures_entered(partnership_a, datetime.date(2016, 12, 1), group)


@pytest.mark.django_db
def test_the_default_month_never_runs_past_this_month(partnership_a):
    """Review finding: a quarter's figure saved in its second month made the dashboard
    report to the month after this one."""
    this_month = periods.month_start(datetime.date.today())
    indicators_with_history(partnership_a, 1, last=this_month, months=14)
    quarterly = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    start = partnership_a.fy_start_month
    year = periods.financial_year_of(this_month, start)
    quarter = periods.quarter_months(year, periods.quarter_of(this_month, start), start)[0]
    _save(quarterly, quarter, 300)

    assert indicator_selectors.latest_period(partnership_a) == this_month


@pytest.mark.django_db
def test_the_default_month_moves_on_when_the_month_does(
    client, officer_a, partnership_a, monkeypatch
):
    """Review finding: the capped month was kept under the data version alone, so on
    1 December the dashboard still reported to November until someone saved a figure."""
    from django.urls import reverse
    from django.utils import timezone

    indicator = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    for period in (datetime.date(2016, 4, 1), datetime.date(2016, 7, 1), OCT_2016):
        _save(indicator, period, 300)
    client.force_login(officer_a)
    dashboard = reverse("indicators:dashboard", args=[partnership_a.slug])

    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2016, 11, 30))
    assert "Performance to November 2016" in client.get(dashboard).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2016, 12, 1))
    assert "Performance to December 2016" in client.get(dashboard).content.decode()


def _quarter_rows(html: str) -> dict[str, list[str]]:
    """The quarter-by-quarter table's rows of a rendered report: label -> cells as text."""
    import re

    table = html[html.index("quarter by quarter, 2016/17</caption>") :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.split(r"</t[hd]>", row)]
        if cells[0].startswith("Q"):
            rows[cells[0]] = cells[1:-1]
    return rows


@pytest.mark.django_db
def test_a_quarter_under_way_is_not_yet_due_in_the_report(partnership_a, quarterly):
    """Review finding: a November report printed Q3 (October to December) as "No figure",
    which the report defines as a missing figure; the quarter ends in December."""
    from reports import rendering

    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    entry = snapshot["indicators"][str(quarterly.pk)]
    due = {m["label"]: m["due"] for m in entry["months"]}
    assert due == {"Q1": True, "Q2": True, "Q3": False, "Q4": False}
    assert entry["figures"]["missing_periods"] == []

    rows = _quarter_rows(rendering.render_document(snapshot))
    assert rows["Q2"][:3] == ["500", "500", "0 within normal variation"]
    assert rows["Q3"] == ["500", "Not yet due", "–", "–"]
    assert "No figure" not in " ".join(rows["Q3"])


@pytest.mark.django_db
def test_a_quarter_ended_without_a_figure_is_missing_in_the_report(partnership_a, quarterly):
    """Once its last month is within the period, a quarter with no figure is missing."""
    from indicators.models import Actual
    from reports import rendering

    Actual.objects.filter(indicator=quarterly, period=OCT_2016).delete()
    report = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 12, 1))
    snapshot = services.report_snapshot(report)
    entry = snapshot["indicators"][str(quarterly.pk)]
    assert {m["label"]: m["due"] for m in entry["months"]}["Q3"] is True
    assert entry["figures"]["missing_periods"] == ["2016-10-01"]

    rows = _quarter_rows(rendering.render_document(snapshot))
    assert rows["Q3"][:2] == ["500", "No figure"]
