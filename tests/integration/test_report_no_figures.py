"""A report with no figure for its months (April or May, before any quarter has ended):
it tables no indicator with nothing to show, warns that no figures have been entered, and
names a one-month span once ("April 2005", not "April to April 2005")."""

import datetime
import re

import pytest

from reports import rendering, selectors, services
from tests.factories import IndicatorFactory, ReportFactory
from tests.factories.series import actuals_create

APRIL, MAY = datetime.date(2016, 4, 1), datetime.date(2016, 5, 1)


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _lines(report) -> list[str]:
    snapshot = services.report_snapshot(report)
    return services.publish_check_lines(services.publish_checks(report, snapshot), snapshot)


@pytest.mark.django_db
def test_an_april_report_with_no_figures_at_all_tables_nothing_and_warns(partnership_a):
    # Review finding: build_report for the demo's 2005-04 gave no warning and 23 pages of
    # "No figure": quarterly indicators, none due before the first quarter ends, were
    # tabled though they had no figure in either year.
    quarterly = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    monthly = IndicatorFactory(partnership=partnership_a)
    report = ReportFactory(partnership=partnership_a, period=APRIL)

    snapshot = services.report_snapshot(report)

    assert snapshot["indicators"] == {}
    assert {i["code"] for i in snapshot["no_figures"]} == {quarterly.code, monthly.code}
    assert not selectors.figures_entered(partnership_a, APRIL)
    assert _lines(report)[0] == (
        "No figures have been entered for April 2016: the report has no key findings and no "
        "tables of performance."
    )
    words = _words(rendering.render_document(snapshot))
    assert "Figures for April 2016 (financial year 2016/17, quarter 1)" in words
    assert "No figures have been entered for April 2016, so this report" in words
    assert "April to April" not in words


@pytest.mark.django_db
def test_a_may_report_with_last_years_quarters_only_warns_of_no_figures(partnership_a):
    # Tabled with last year's figures (none due yet), but nothing entered for April to May.
    quarterly = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    actuals_create(quarterly, {datetime.date(2015, m, 1): 500 for m in (4, 7, 10)})
    report = ReportFactory(partnership=partnership_a, period=MAY)

    snapshot = services.report_snapshot(report)

    assert str(quarterly.pk) in snapshot["indicators"]
    assert services.publish_checks(report, snapshot)["no_figures"]
    assert _lines(report)[0] == (
        "No figures have been entered for April to May 2016: the report tables last year's "
        "figures only."
    )


@pytest.mark.django_db
def test_a_report_with_a_figure_for_its_months_has_no_such_warning(partnership_a):
    quarterly = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    actuals_create(quarterly, {datetime.date(2015, m, 1): 500 for m in (4, 7, 10)})
    monthly = IndicatorFactory(partnership=partnership_a)
    actuals_create(monthly, {APRIL: 12})
    report = ReportFactory(partnership=partnership_a, period=MAY)

    snapshot = services.report_snapshot(report)

    assert not services.publish_checks(report, snapshot)["no_figures"]
    assert not any(line.startswith("No figures") for line in _lines(report))
