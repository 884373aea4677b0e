"""Pages make a fixed number of queries however many indicators a partnership has.

Each limit is the count measured with 3 indicators (24 months of figures each, an annual
target each); the same limit must hold with 30. The counts include the session, the user
and the membership look-ups every signed-in page makes.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import data_version
from indicators.models import Actual, Target
from reports import services as report_services
from tests.factories import ReportFactory
from tests.factories.series import indicators_with_history

NOV_2016 = datetime.date(2016, 11, 1)
SIZES = [3, 30]

MAX_QUERIES = {
    # One of them reads which published reports cover the month (the notice above it).
    "month_sheet": 6,
    # 5 when nothing is published; with a report published, one more reads the change
    # targets whose baseline years it locks (reports.selectors.figure_lock).
    "month_sheet_locked": 6,
    "year_grid": 4,  # the same notice, of the grid's months, in one query
    # One figure changed, every other figure submitted unchanged; one query asks whether a
    # published report covers the month (reports.selectors.locked_figures); one gives the
    # partnership a new data version and one the indicator a new figures version
    # (indicators/data_version.py).
    "month_sheet_post": 14,
    "month_sheet_post_invalid": 6,
    "indicator_list": 7,
    # 11 (10 once its changes' rows are cached; the indicator is read once, with its SPC
    # settings), and up to 3 for the most similar group (opendata).
    "indicator_detail": 14,
    "dashboard": 11,  # 8, and up to 3 for the most similar group (opendata)
    "comparisons_api": 7,  # when not cached yet (4 when it is)
}


@pytest.fixture(params=SIZES, ids=[f"{n}_indicators" for n in SIZES])
def indicators(request, partnership_a):
    built = indicators_with_history(partnership_a, request.param, last=NOV_2016)
    Target.objects.bulk_create(
        Target(indicator=i, financial_year=2016, kind=Target.Kind.ANNUAL, value=Decimal(1500))
        for i in built
    )
    data_version.data_changed(indicator_ids=[i.pk for i in built])  # no signals
    return built


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


def sheet_data(indicators, changes: dict) -> dict:
    """The November 2016 sheet as it was opened (the figures it showed in initial-...),
    with some figures changed by pk."""
    current = dict(Actual.objects.filter(period=NOV_2016).values_list("indicator_id", "value"))
    data = {"reason": ""}
    for indicator in indicators:
        value = changes.get(indicator.pk, current[indicator.pk])
        data[f"i{indicator.pk}-v"] = str(value)
        data[f"initial-i{indicator.pk}-v"] = str(current[indicator.pk])
    return data


@pytest.mark.django_db
def test_month_sheet_queries_fixed(signed_in, indicators, django_assert_max_num_queries):
    url = reverse("indicators:month_sheet", args=["partnership-a", "2016-11"])

    with django_assert_max_num_queries(MAX_QUERIES["month_sheet"]):
        response = signed_in.get(url)

    assert response.status_code == 200
    assert len(response.context["grid"]) == len(indicators)


@pytest.mark.django_db
def test_month_sheet_of_a_rated_baseline_queries_fixed(
    signed_in, indicators, partnership_a, django_assert_max_num_queries
):
    """Each indicator rated against a change on 2014/15: the notice and the tags of a
    2014/15 month read no more queries however many indicators it names."""
    Target.objects.filter(indicator__in=indicators).update(
        kind=Target.Kind.CHANGE_PCT, value=Decimal(5), baseline_year=2014
    )
    data_version.data_changed(indicator_ids=[i.pk for i in indicators])
    report = ReportFactory(partnership=partnership_a, period=NOV_2016)
    report_services.report_publish(report=report, by=None)
    url = reverse("indicators:month_sheet", args=["partnership-a", "2014-12"])

    with django_assert_max_num_queries(MAX_QUERIES["month_sheet_locked"]):
        response = signed_in.get(url)

    assert len(response.context["grid"]) == len(indicators)
    assert response.text.count('id="baseline-') == len(indicators)


@pytest.mark.django_db
def test_year_grid_queries_fixed(signed_in, indicators, django_assert_max_num_queries):
    url = reverse("indicators:year_grid", args=["partnership-a", indicators[0].pk, 2016])

    with django_assert_max_num_queries(MAX_QUERIES["year_grid"]):
        response = signed_in.get(url)

    assert response.status_code == 200
    assert response.context["locked"] == []


@pytest.mark.django_db
def test_month_sheet_post_queries_fixed(signed_in, indicators, django_assert_max_num_queries):
    url = reverse("indicators:month_sheet", args=["partnership-a", "2016-11"])
    data = sheet_data(indicators, {indicators[0].pk: 5})

    with django_assert_max_num_queries(MAX_QUERIES["month_sheet_post"]):
        response = signed_in.post(url, data)

    assert response.status_code == 302
    assert Actual.objects.get(indicator=indicators[0], period=NOV_2016).value == 5


@pytest.mark.django_db
def test_month_sheet_post_invalid_queries_fixed(
    signed_in, indicators, django_assert_max_num_queries
):
    url = reverse("indicators:month_sheet", args=["partnership-a", "2016-11"])
    data = sheet_data(indicators, {indicators[0].pk: "N/A"})

    with django_assert_max_num_queries(MAX_QUERIES["month_sheet_post_invalid"]):
        response = signed_in.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
def test_indicator_list_queries_fixed(signed_in, indicators, django_assert_max_num_queries):
    url = reverse("indicators:list", args=["partnership-a"])

    with django_assert_max_num_queries(MAX_QUERIES["indicator_list"]):
        response = signed_in.get(url)

    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == len(indicators)


@pytest.mark.django_db
def test_indicator_detail_queries_fixed(signed_in, indicators, django_assert_max_num_queries):
    url = reverse("indicators:detail", args=["partnership-a", indicators[0].pk])

    with django_assert_max_num_queries(MAX_QUERIES["indicator_detail"]):
        response = signed_in.get(url)

    assert response.status_code == 200
    assert response.context["result"].figures.ytd is not None


@pytest.mark.django_db
def test_dashboard_queries_fixed(signed_in, indicators, django_assert_max_num_queries):
    url = reverse("indicators:dashboard", args=["partnership-a"]) + "?period=2016-11"

    with django_assert_max_num_queries(MAX_QUERIES["dashboard"]):
        response = signed_in.get(url)

    assert response.status_code == 200
    assert len(response.context["target_rows"]) == len(indicators)


@pytest.mark.django_db
def test_comparisons_api_queries_fixed(signed_in, indicators, django_assert_max_num_queries):
    url = reverse("indicators:api_comparisons", args=["partnership-a"]) + "?period=2016-11"

    with django_assert_max_num_queries(MAX_QUERIES["comparisons_api"]):
        response = signed_in.get(url)

    assert response.status_code == 200
    assert len(response.json()) == len(indicators)
