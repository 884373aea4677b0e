"""A quarter still under way at a report's month: no report to that month counts its
figure (indicators.figures), so none locks it, lists a change to it as a revision, or
counts it as a figure entered; and no page reports to a month not yet begun because a
quarter's figure was entered before the quarter ended."""

import datetime
import re
from decimal import Decimal

import pytest

from indicators import periods
from indicators import selectors as indicator_selectors
from indicators import services as figure_services
from reports import selectors, services
from reports.models import ReportVersion
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
    """Review finding: the month was kept under the data version alone, so on 1 December
    the dashboard did not move on until someone saved a figure. (October to December,
    entered before it ended, counts from December: to 30 November the dashboard reports to
    the last quarter ended.)"""
    from django.urls import reverse
    from django.utils import timezone

    indicator = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    for period in (datetime.date(2016, 4, 1), datetime.date(2016, 7, 1), OCT_2016):
        _save(indicator, period, 300)
    client.force_login(officer_a)
    dashboard = reverse("indicators:dashboard", args=[partnership_a.slug])

    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2016, 11, 30))
    assert "Performance to September 2016" in client.get(dashboard).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2016, 12, 1))
    assert "Performance to December 2016" in client.get(dashboard).content.decode()


# Entering a quarter under way ------------------------------------------------------------
# Review finding: on the month sheet for November, a quarterly indicator offered its box
# for October to December, and 7 saved there was left out of every figure (the quarter
# had not ended), so the indicator page said "No figure" above a table showing 7, and the
# dashboard reported to November with no figures at all. A quarter's figure is entered
# from its last month on, as a month's is from that month on.

NOV_30_2016 = datetime.date(2016, 11, 30)
DEC_2016 = datetime.date(2016, 12, 1)


def _today(monkeypatch, day: datetime.date) -> None:
    from django.utils import timezone

    real = timezone.localdate
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, tz=None: day if value is None else real(value)
    )


@pytest.fixture
def referrals(partnership_a):
    indicator = IndicatorFactory(
        partnership=partnership_a, code="REF 01", title="Referrals", frequency="quarterly"
    )
    _save(indicator, datetime.date(2016, 4, 1), 500)
    _save(indicator, datetime.date(2016, 7, 1), 510)
    return indicator


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(f"indicators:{name}", args=args)


def _summary(response) -> list[str]:
    from tests.integration.test_figure_entry import error_summary

    return error_summary(response)


@pytest.mark.django_db
def test_the_month_sheet_shows_a_quarter_under_way_as_not_open(
    client, officer_a, partnership_a, referrals, monkeypatch
):
    _today(monkeypatch, NOV_30_2016)
    hate = IndicatorFactory(partnership=partnership_a, code="HC 01", title="Hate crime")
    client.force_login(officer_a)

    page = client.get(_url("month_sheet", partnership_a.slug, "2016-11")).content.decode()

    assert f'name="i{hate.pk}-v"' in page
    assert f'name="i{referrals.pk}-v"' not in page
    assert "Not open yet: the quarter ends in December 2016." in page
    # As a month not begun is.
    december = client.get(_url("month_sheet", partnership_a.slug, "2016-12")).content.decode()
    assert f'name="i{hate.pk}-v"' not in december
    assert "Not open yet: December 2016 has not started." in december


@pytest.mark.django_db
def test_the_month_sheet_refuses_a_figure_for_a_quarter_under_way(
    client, officer_a, partnership_a, referrals, monkeypatch
):
    _today(monkeypatch, NOV_30_2016)
    client.force_login(officer_a)
    box = f"i{referrals.pk}-v"

    # A page opened before the rule, or a script: the box is posted all the same.
    response = client.post(
        _url("month_sheet", partnership_a.slug, "2016-11"), {box: "7", f"initial-{box}": ""}
    )

    assert response.status_code == 200
    assert _summary(response) == [
        "REF 01 Referrals is quarterly: October to December 2016 has not ended yet."
    ]
    assert f'name="{box}" value="7"' in response.content.decode()  # shown to be cleared
    assert not referrals.actuals.filter(period=OCT_2016).exists()


@pytest.mark.django_db
def test_the_year_grid_shows_and_refuses_a_quarter_under_way(
    client, officer_a, partnership_a, referrals, monkeypatch
):
    _today(monkeypatch, NOV_30_2016)
    client.force_login(officer_a)
    url = _url("year_grid", partnership_a.slug, referrals.pk, 2016)

    page = client.get(url).content.decode()
    response = client.post(url, {"m2016-10-v": "7", "initial-m2016-10-v": ""})

    assert 'name="m2016-07-v"' in page
    assert 'name="m2016-10-v"' not in page
    assert "Not open yet: the quarter ends in December 2016." in page
    # As a quarter not begun is (refused on saving as "not started").
    assert 'name="m2017-01-v"' not in page
    assert "Not open yet: the quarter ends in March 2017." in page
    assert _summary(response) == ["Q3 (October 2016 quarter) has not ended yet."]
    assert not referrals.actuals.filter(period=OCT_2016).exists()


@pytest.mark.django_db
def test_the_year_grid_opens_a_quarter_when_its_last_month_comes(
    client, officer_a, partnership_a, referrals, monkeypatch
):
    """Each row is kept under what it shows: the row kept on 30 November, without a box,
    is not the row shown on 1 December."""
    client.force_login(officer_a)
    url = _url("year_grid", partnership_a.slug, referrals.pk, 2016)

    _today(monkeypatch, NOV_30_2016)
    assert 'name="m2016-10-v"' not in client.get(url).content.decode()
    _today(monkeypatch, DEC_2016)
    assert 'name="m2016-10-v"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_quarter_is_entered_from_its_last_month(
    client, officer_a, partnership_a, referrals, monkeypatch
):
    """As a month's figure is entered from that month on (a report to December counts
    October to December)."""
    _today(monkeypatch, DEC_2016)
    client.force_login(officer_a)
    box = f"i{referrals.pk}-v"

    page = client.get(_url("month_sheet", partnership_a.slug, "2016-12")).content.decode()
    response = client.post(
        _url("month_sheet", partnership_a.slug, "2016-12"), {box: "7", f"initial-{box}": ""}
    )

    assert f'name="{box}"' in page
    assert response.status_code == 302
    assert referrals.actuals.get(period=OCT_2016).value == 7


@pytest.mark.django_db
def test_an_import_refuses_a_figure_for_a_quarter_under_way(
    tmp_path, partnership_a, referrals, monkeypatch
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from tests.integration.test_import import write_csv

    _today(monkeypatch, NOV_30_2016)
    row = {"partnership": partnership_a.slug, "indicator": "REF 01", "period": "2016-10"}
    write_csv(tmp_path, "actuals", [row | {"value": "7"}])
    stderr = StringIO()

    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_data", str(tmp_path), stdout=StringIO(), stderr=stderr)

    assert stderr.getvalue().splitlines() == [
        "actuals.csv row 2: indicator 'REF 01' is quarterly: "
        "October to December 2016 has not ended yet"
    ]
    assert not referrals.actuals.filter(period=OCT_2016).exists()


@pytest.fixture
def entered_under_way(partnership_a, referrals):
    """A monthly indicator to August 2016, and October to December 2016 entered before
    this rule, while it was under way."""
    hate = IndicatorFactory(partnership=partnership_a, code="HC 01", title="Hate crime")
    for month in periods.months_to_date(datetime.date(2016, 8, 1)):
        _save(hate, month, 20)
    _save(referrals, OCT_2016, 7)
    return referrals


@pytest.mark.django_db
def test_the_default_month_leaves_out_a_quarter_under_way(
    client, officer_a, partnership_a, entered_under_way, monkeypatch
):
    """Review finding: the dashboard reported to November, where no figure counts."""
    _today(monkeypatch, NOV_30_2016)
    client.force_login(officer_a)

    assert indicator_selectors.latest_period(partnership_a) == datetime.date(2016, 9, 1)
    dashboard = client.get(_url("dashboard", partnership_a.slug)).content.decode()
    assert "Performance to September 2016" in dashboard


@pytest.mark.django_db
def test_the_indicator_page_reports_to_the_last_quarter_ended(
    client, officer_a, partnership_a, entered_under_way, monkeypatch
):
    """Review finding: its headline said 'Quarter 3 (October to December 2016): No figure'
    above a table showing October's 7."""
    _today(monkeypatch, NOV_30_2016)
    client.force_login(officer_a)

    response = client.get(_url("detail", partnership_a.slug, entered_under_way.pk))

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert "Quarter 3 (October to December 2016) No figure" not in text
    assert "Between April and the end of September" in text
    assert "Quarter 2 (July to September 2016) 510" in text


@pytest.mark.django_db
def test_an_action_plans_indicators_are_judged_at_the_last_quarter_ended(
    partnership_a, entered_under_way, monkeypatch
):
    from actions.selectors import linked_figures

    _today(monkeypatch, NOV_30_2016)

    period, _ = linked_figures(partnership_a, [entered_under_way.pk])

    assert period == datetime.date(2016, 9, 1)


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

    html = rendering.render_document(snapshot)
    rows = _quarter_rows(html)
    assert rows["Q3"][:2] == ["500", "No figure"]
    # A quarterly figure has no months: it is there or not.
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    for compared in ("the previous quarter", "the same quarter last year"):
        assert f"Quarter 3 against {compared} – No comparison (Quarter 3 has no figure)" in text
    assert "months with figures only" not in html
    assert "figures are missing for part of the quarter" not in html


# Late returns of a quarter ---------------------------------------------------------------
# Review finding: a quarterly indicator's late figure was labelled by its first month:
# July to September 2016 showed as "July 2016", the paragraph said "no figure for this
# month" and the CSV had "late_figure,2016-07".

JUL_2016 = datetime.date(2016, 7, 1)


@pytest.fixture
def quarter_missing(partnership_a, quarterly):
    """The November report published with no figure for July to September 2016."""
    quarterly.actuals.filter(period=JUL_2016).delete()
    services.report_publish(report=ReportFactory(partnership=partnership_a), by=None)
    return quarterly


@pytest.mark.django_db
def test_a_late_quarterly_figure_is_named_by_its_quarter(partnership_a, quarter_missing):
    from reports import csv_rows, rendering

    with pytest.raises(figure_services.FigureLocked) as refused:
        _save(quarter_missing, JUL_2016, 480)
    assert str(refused.value).startswith(
        f"Give a reason for the late figure for {quarter_missing.code} Q2 2016/17: "
        "a published report covers this period, and the next report will list it as a "
        "late return"
    )
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(quarter_missing, JUL_2016, Decimal(480))],
        by=None,
        reason="service return came in late",
    )

    december = ReportFactory(
        partnership=partnership_a, period=datetime.date(2016, 12, 1), title="December"
    )
    snapshot = services.report_snapshot(december)

    assert [(r["what"], r["new"]) for r in snapshot["late_figures"]] == [("Q2 2016/17", "480")]
    words = " ".join(re.sub(r"<[^>]+>", " ", rendering.render_document(snapshot)).split())
    assert "The last report had no figure for this period: it has come in since" in words
    rows = [r for r in csv_rows.report_rows(snapshot) if r["figure"] == "late_figure"]
    assert [(r["period"], r["value"]) for r in rows] == [("Q2 2016/17", "480")]
    [notice] = selectors.revision_notice(ReportVersion.objects.get(report__period=NOV_2016))
    assert (notice.what, notice.late) == ("Q2 2016/17", True)


@pytest.mark.django_db
def test_a_revised_quarterly_figure_is_named_by_its_quarter_in_the_csv(partnership_a, quarterly):
    from reports import csv_rows

    services.report_publish(report=ReportFactory(partnership=partnership_a), by=None)
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(quarterly, JUL_2016, Decimal(510))],
        by=None,
        reason="revised by the service",
    )
    december = ReportFactory(
        partnership=partnership_a, period=datetime.date(2016, 12, 1), title="December"
    )
    snapshot = services.report_snapshot(december)

    assert [r["what"] for r in snapshot["revisions"]] == ["Q2 2016/17"]
    rows = [r for r in csv_rows.report_rows(snapshot) if r["figure"].startswith("revised")]
    assert [(r["figure"], r["period"]) for r in rows] == [
        ("revised_figure_was", "Q2 2016/17"),
        ("revised_figure_now", "Q2 2016/17"),
        ("revised_figure_reason", "Q2 2016/17"),
    ]
    # The quarter's figure is marked where the report prints it.
    months = snapshot["indicators"][str(quarterly.pk)]["months"]
    assert snapshot["indicators"][str(quarterly.pk)]["revised"] == [JUL_2016.isoformat()]
    assert [m["label"] for m in months if m["period"] == JUL_2016.isoformat()] == ["Q2"]
