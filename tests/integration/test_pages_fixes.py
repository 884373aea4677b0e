"""The dashboard, indicator page, month sheet and comparisons API say what they show: the
whole history of changes, figures with their units, sentences as the report has them."""

import datetime
import re

import pytest
from django.urls import reverse

from indicators.models import FigureChange
from tests.factories import IndicatorFactory

NOV_2016 = datetime.date(2016, 11, 1)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _changes(indicator, count: int) -> None:
    FigureChange.objects.bulk_create(
        FigureChange(
            indicator=indicator,
            subject=FigureChange.Subject.ACTUAL,
            period=NOV_2016,
            old={"value": str(number)},
            new={"value": str(number + 1)},
            source="form",
            reason=f"change {number}",
        )
        for number in range(count)
    )


@pytest.mark.django_db
def test_history_of_changes_pages_through_every_change(
    client, officer_a, partnership_a, django_assert_max_num_queries
):
    indicator = IndicatorFactory(partnership=partnership_a)
    _changes(indicator, 120)
    client.force_login(officer_a)
    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])

    first = _text(client.get(url).content.decode())
    with django_assert_max_num_queries(14):
        last = client.get(url, {"changes": 3}).content.decode()

    assert "Showing changes 1 to 50 of 120, newest first." in first
    assert "Older changes" in first and "Newer changes" not in first
    assert "Showing changes 101 to 120 of 120, newest first." in _text(last)
    reasons = re.findall(r">change (\d+)<", last)
    assert sorted(map(int, reasons)) == list(range(20))  # the oldest
    assert "Older changes" not in last and "Newer changes" in last
    assert "changes=2#history" in last


@pytest.mark.django_db
def test_history_of_changes_that_fits_a_page_says_nothing_of_pages(
    client, officer_a, partnership_a
):
    indicator = IndicatorFactory(partnership=partnership_a)
    _changes(indicator, 3)
    client.force_login(officer_a)
    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])

    text = _text(client.get(url, {"changes": "9"}).content.decode())  # past the end

    assert "change 2" in text and "change 0" in text
    assert "Showing changes" not in text and "Older changes" not in text
