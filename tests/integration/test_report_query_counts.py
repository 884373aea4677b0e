"""Report pages make a fixed number of queries however many indicators the report has.

Each page is counted with 3 indicators and again with 30: the counts must be equal. The
ceiling leaves room for the action-plan and commissioning sections, which add a fixed
number of queries when those apps are installed.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import data_version
from indicators import services as figure_services
from indicators.models import Indicator, Target
from reports import selectors, services
from tests.factories import ReportFactory
from tests.factories.series import indicators_with_history

NOV_2016 = datetime.date(2016, 11, 1)
PAGES = ["detail", "preview", "publish", "list", "csv"]
CEILING = 40


def queries(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(CEILING) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_indicators(partnership, count):
    built = indicators_with_history(partnership, count, last=NOV_2016)
    Target.objects.bulk_create(
        Target(indicator=i, financial_year=2016, kind=Target.Kind.ANNUAL, value=Decimal(1500))
        for i in built
    )
    data_version.data_changed(indicator_ids=[i.pk for i in built])  # no signals


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_report_page_queries_do_not_grow_with_indicators(
    client, officer_a, partnership_a, page, django_assert_max_num_queries
):
    client.force_login(officer_a)
    add_indicators(partnership_a, 3)
    report = ReportFactory(partnership=partnership_a)
    args = [partnership_a.slug] if page == "list" else [partnership_a.slug, report.pk]
    url = reverse(f"reports:{page}", args=args)

    def count():
        # Published afresh each time, so the page shows every indicator there is now.
        services.report_publish(report=report, by=None, reason="Indicators added")
        return queries(client, url, django_assert_max_num_queries)

    with_3 = count()
    add_indicators(partnership_a, 27)
    with_30 = count()

    assert Indicator.objects.count() == 30
    assert with_3 == with_30


@pytest.mark.django_db
def test_the_revision_notice_is_worked_out_once_and_costs_every_reader_the_same(
    client,
    admin_user,
    officer_a,
    panel_a,
    partnership_a,
    monkeypatch,
    django_assert_max_num_queries,
):
    """What each reader may read of the notice (the figure now for an editor, not for the
    panel) is taken from the one notice kept for every reader, with no query of its own."""
    add_indicators(partnership_a, 3)
    report = ReportFactory(partnership=partnership_a)
    services.report_publish(report=report, by=None)
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(Indicator.objects.first(), NOV_2016, Decimal(9999))],
        by=None,
        reason="late crimes added by police",
    )
    made, notice = [], selectors.revision_notice
    monkeypatch.setattr(selectors, "revision_notice", lambda v: made.append(v) or notice(v))
    url = reverse("reports:detail", args=[partnership_a.slug, report.pk])
    client.force_login(admin_user)
    assert b"9,999" in client.get(url).content  # the notice is worked out, and kept

    counts = {}
    for reader in (officer_a, panel_a):
        client.force_login(reader)
        counts[reader] = queries(client, url, django_assert_max_num_queries)

    assert len(made) == 1
    assert counts[officer_a] == counts[panel_a]
