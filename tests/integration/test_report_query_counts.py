"""Report pages make a fixed number of queries however many indicators the report has."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Target
from reports import services
from tests.factories import ReportFactory
from tests.factories.series import indicators_with_history

NOV_2016 = datetime.date(2016, 11, 1)
SIZES = [3, 30]

MAX_QUERIES = {
    "detail": 8,
    "preview": 11,
    "list": 5,
    "csv": 7,
}


@pytest.fixture(params=SIZES, ids=[f"{n}_indicators" for n in SIZES])
def report(request, partnership_a):
    built = indicators_with_history(partnership_a, request.param, last=NOV_2016)
    Target.objects.bulk_create(
        Target(indicator=i, financial_year=2016, kind=Target.Kind.ANNUAL, value=Decimal(1500))
        for i in built
    )
    report = ReportFactory(partnership=partnership_a)
    services.report_publish(report=report, by=None)
    return report


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_report_page_queries_fixed(client, officer_a, report, name, django_assert_max_num_queries):
    client.force_login(officer_a)
    args = [report.partnership.slug] if name == "list" else [report.partnership.slug, report.pk]
    url = reverse(f"reports:{name}", args=args)

    with django_assert_max_num_queries(MAX_QUERIES[name]):
        response = client.get(url)

    assert response.status_code == 200
