"""Sorted lists page through every row once, and put blanks in the same place on every
database.

Rows that tie on the sorted column come in whatever order the database likes unless the
sort ends with a unique column; PostgreSQL picks a different order for each page's query
(LIMIT and OFFSET), so a row could show on two pages and another on none.
"""

import datetime

import pytest
from django.urls import reverse

from actions.models import CrossThemeIssue
from actions.tables import IssueTable, RecommendationTable, RiskTable
from indicators import selectors
from indicators.models import Actual, Indicator
from indicators.tables import IndicatorTable
from tests.factories import IndicatorFactory, ThemeGroupFactory
from tests.factories.actions import CrossThemeIssueFactory, RecommendationFactory, RiskFactory

ROWS = 130  # three pages of 50


@pytest.mark.parametrize(
    "table, unique",
    [
        (IndicatorTable([]), "code"),
        (RiskTable([], slug="s"), "reference"),
        (IssueTable([], slug="s"), "title"),
        (RecommendationTable([], slug="s"), "reference"),
    ],
)
def test_every_sortable_column_sorts_last_by_a_unique_field(table, unique):
    for column in table.columns:
        if column.orderable:
            assert column.order_by[-1].bare == unique, column.name


def _codes_page_by_page(client, url: str, sort: str) -> list[str]:
    seen = []
    for page in (1, 2, 3):
        response = client.get(url, {"sort": sort, "page": page})
        seen += [str(row.record) for row in response.context["table"].paginated_rows]
    return seen


@pytest.fixture
def many_indicators(partnership_a):
    groups = [ThemeGroupFactory(partnership=partnership_a, name=n) for n in ("A", "B")] + [None]
    indicators = Indicator.objects.bulk_create(
        IndicatorFactory.build(partnership=partnership_a, code=f"T {n:03d}", theme_group=group)
        for n, group in zip(range(ROWS), groups * ROWS, strict=False)
    )
    Actual.objects.bulk_create(
        Actual(indicator=indicator, period=datetime.date(2016, 4 + n % 2, 1), value=5)
        for n, indicator in enumerate(indicators[: ROWS // 2])
    )
    return indicators


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["theme_group", "-theme_group", "how", "latest", "-latest"])
def test_indicator_list_pages_show_every_indicator_once(client, officer_a, many_indicators, sort):
    client.force_login(officer_a)

    seen = _codes_page_by_page(client, reverse("indicators:list", args=["partnership-a"]), sort)

    assert sorted(seen) == sorted(str(i) for i in many_indicators)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, make, sorts",
    [
        (
            "actions:risks",
            lambda p, n: RiskFactory(
                partnership=p,
                reference=f"R{(n * 37) % ROWS:03d}",  # added out of order
                owner=("Police", "Council")[n % 2],
                likelihood=n % 5 + 1,
                status=("open", "closed")[n % 3 == 0],
            ),
            ["status", "owner", "likelihood", "-band", "theme_group", "review_date"],
        ),
        (
            "actions:issues",
            lambda p, n: CrossThemeIssueFactory(
                partnership=p,
                title=f"Issue {(n * 37) % ROWS:03d}",
                status=("open", "closed")[n % 2],
            ),
            ["status", "raised_by", "raised_on", "-raised_on"],
        ),
        (
            "actions:recommendations",
            lambda p, n: RecommendationFactory(
                partnership=p,
                reference=f"SP-{(n * 37) % ROWS:03d}",
                status=("accepted", "done")[n % 2],
            ),
            ["status", "assigned_to", "meeting_date", "due"],
        ),
    ],
    ids=["risks", "issues", "recommendations"],
)
def test_risk_issue_and_recommendation_lists_page_every_row_once(
    client, officer_a, partnership_a, name, make, sorts
):
    rows = {str(make(partnership_a, n)) for n in range(ROWS)}
    client.force_login(officer_a)

    for sort in sorts:
        seen = _codes_page_by_page(client, reverse(name, args=["partnership-a"]), sort)
        assert sorted(seen) == sorted(rows), sort


@pytest.mark.django_db
def test_indicators_with_no_theme_group_come_first(client, officer_a, partnership_a):
    grouped = IndicatorFactory(partnership=partnership_a, code="A 01")
    loose = IndicatorFactory(partnership=partnership_a, code="Z 01", theme_group=None)
    client.force_login(officer_a)
    url = reverse("indicators:list", args=["partnership-a"])

    def listed(sort):
        return [row.record for row in client.get(url, {"sort": sort}).context["table"].rows]

    assert [e.pk for e in selectors.month_sheet_index(partnership_a)] == [loose.pk, grouped.pk]
    assert selectors.indicators_for_figures([grouped.pk, loose.pk]) == [loose, grouped]
    assert listed("theme_group") == [loose, grouped]
    assert listed("-theme_group") == [grouped, loose]


@pytest.mark.django_db
def test_blank_dates_sort_as_the_earliest(client, officer_a, partnership_a):
    dated = CrossThemeIssueFactory(partnership=partnership_a, raised_on=datetime.date(2016, 5, 1))
    undated = CrossThemeIssueFactory(partnership=partnership_a, raised_on=None)
    due = RecommendationFactory(partnership=partnership_a, due=datetime.date(2017, 1, 1))
    not_due = RecommendationFactory(partnership=partnership_a, due=None)
    client.force_login(officer_a)

    def listed(name, sort=None):
        query = {"sort": sort} if sort else {}
        response = client.get(reverse(name, args=["partnership-a"]), query)
        return [row.record for row in response.context["table"].rows]

    assert listed("actions:issues") == [dated, undated]  # latest first
    assert list(CrossThemeIssue.objects.all()) == [dated, undated]
    assert listed("actions:issues", "raised_on") == [undated, dated]
    assert listed("actions:recommendations", "due") == [not_due, due]
    assert listed("actions:recommendations", "-due") == [due, not_due]
