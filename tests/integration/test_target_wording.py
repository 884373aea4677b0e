"""The indicator page's target words agree with the commentary and the figures beside them."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest

from tests.factories import IndicatorFactory, TargetFactory
from tests.factories.series import actuals_create

pytestmark = pytest.mark.django_db

APR_2016 = datetime.date(2016, 4, 1)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _months(values: list[int]) -> dict[datetime.date, int]:
    return {datetime.date(2016, 4 + i, 1): v for i, v in enumerate(values)}


def _page(client, user, indicator, period: str) -> str:
    client.force_login(user)
    return _text(client.get(f"{indicator.get_absolute_url()}?period={period}").content.decode())


@pytest.mark.parametrize(
    ("polarity", "values", "annual", "period", "words"),
    [
        # (18,500 - 12,586) / 4 = 1,478.5: a ceiling, so 1,478 (1,479 ends the year at 18,502).
        (
            "lower",
            [1573] * 7 + [1575],
            18500,
            "2016-11",
            "Annual target 18,500; at most 1,478 a month from now on",
        ),
        # (1,000 - 96) / 11 = 82.2: a figure to reach, so 83 (82 ends the year at 998).
        ("higher", [96], 1000, "2016-04", "Annual target 1,000; at least 83 a month needed"),
    ],
)
def test_indicator_page_words_the_monthly_average_by_polarity(
    client, officer_a, partnership_a, polarity, values, annual, period, words
):
    indicator = IndicatorFactory(partnership=partnership_a, polarity=polarity)
    actuals_create(indicator, _months(values))
    TargetFactory(indicator=indicator, financial_year=2016, kind="annual", value=Decimal(annual))

    page = _page(client, officer_a, indicator, period)

    assert words in page


def test_indicator_page_gap_is_the_difference_of_the_figures_beside_it(
    client, officer_a, partnership_a
):
    # 1,170 spread evenly is 97.5 for April, shown as 98: 100 is 2 above it.
    indicator = IndicatorFactory(partnership=partnership_a, polarity="lower")
    actuals_create(indicator, {APR_2016: 100})
    TargetFactory(indicator=indicator, financial_year=2016, kind="annual", value=Decimal(1170))

    page = _page(client, officer_a, indicator, "2016-04")

    assert "Target to date 98 (gap +2)" in page
    assert "This is 2 above the target to date of 98" in page
