"""Indicators with a history of figures: a real series from seed 002, and bulk-built ones."""

import datetime
from decimal import Decimal

from csp_portal.core.models import ThemeGroup
from indicators import data_version, periods
from indicators.models import Actual, Indicator

from . import IndicatorFactory, ThemeGroupFactory

# Police recorded hate crime, Safer Plymouth performance report 2017 (seed 002), April
# 2015 to November 2016. April to November: 287 this year against 219 last year (+68, 31%).
HATE_CRIME_002 = dict(
    zip(
        [periods.add_months(datetime.date(2015, 4, 1), i) for i in range(20)],
        [30, 25, 26, 17, 36, 25, 22, 38, 21, 20, 53, 32, 17, 25, 32, 54, 37, 45, 42, 35],
        strict=True,
    )
)


def actuals_create(indicator: Indicator, values: dict[datetime.date, int | Decimal]) -> None:
    Actual.objects.bulk_create(
        Actual(indicator=indicator, period=period, value=Decimal(value))
        for period, value in values.items()
    )
    data_version.data_changed(indicator_ids=[indicator.pk])  # bulk_create sends no signals


def hate_crime_indicator(partnership, **fields) -> Indicator:
    """SP 09 as the demo has it: higher is better, no target, April 2015 to November 2016."""
    group, _ = ThemeGroup.objects.get_or_create(
        partnership=partnership, name="Hate crime and community cohesion"
    )
    indicator = IndicatorFactory(
        **{
            "partnership": partnership,
            "code": "SP 09",
            "title": "Police recorded hate crime",
            "unit": "hate crimes",
            "polarity": Indicator.Polarity.HIGHER,
            "theme_group": group,
            **fields,
        }
    )
    actuals_create(indicator, HATE_CRIME_002)
    return indicator


def indicators_with_history(
    partnership, count: int, *, last: datetime.date, months: int = 24
) -> list[Indicator]:
    """``count`` monthly count indicators, each with ``months`` figures up to ``last``."""
    group = ThemeGroupFactory(partnership=partnership)
    indicators = IndicatorFactory.create_batch(count, partnership=partnership, theme_group=group)
    span = [periods.add_months(last, -i) for i in range(months)]
    Actual.objects.bulk_create(
        Actual(indicator=indicator, period=period, value=Decimal(100 + i + n))
        for n, indicator in enumerate(indicators)
        for i, period in enumerate(span)
    )
    data_version.data_changed(indicator_ids=[i.pk for i in indicators])
    return indicators
