"""Rows stored before a rate or percentage had to agree with its parts take the parts' value
(migration indicators.0008), with the change in the indicator's history."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from indicators.models import Actual, FigureChange, Indicator
from tests.factories import ActualFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("indicators.migrations.0008_figures_agree_with_their_parts")
OCTOBER = datetime.date(2010, 10, 1)


def _stored(indicator, value, numerator=None, denominator=None) -> Actual:
    # As before stop 27: written straight to the table, past today's checks.
    return ActualFactory(
        indicator=indicator,
        period=OCTOBER,
        value=Decimal(value),
        numerator=None if numerator is None else Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
    )


def test_a_rate_stored_beside_parts_that_disagree_takes_their_value(partnership_a):
    rate = IndicatorFactory(partnership=partnership_a, measure=Indicator.Measure.RATE, code="SS 06")
    actual = _stored(rate, "5", "100", "1000")
    before = rate.figures_version
    data_version = partnership_a.data_version

    migration.take_the_parts_value(apps, None)

    actual.refresh_from_db()
    assert actual.value == Decimal("100")
    assert actual.version == 2
    change = FigureChange.objects.get(indicator=rate)
    assert change.subject == "actual"
    assert change.period == OCTOBER
    assert change.old == {"value": "5", "numerator": "100", "denominator": "1000"}
    assert change.new == {"value": "100", "numerator": "100", "denominator": "1000"}
    assert change.source == "migration"
    assert "did not match its numerator and denominator" in change.reason
    rate.refresh_from_db()
    partnership_a.refresh_from_db()
    assert rate.figures_version != before
    assert partnership_a.data_version != data_version


def test_a_percentage_takes_its_parts_value_to_the_stored_places(partnership_a):
    share = IndicatorFactory(
        partnership=partnership_a, measure=Indicator.Measure.PERCENTAGE, code="SP 02"
    )
    actual = _stored(share, "88", "8", "9")

    migration.take_the_parts_value(apps, None)

    actual.refresh_from_db()
    assert actual.value == Decimal("88.8889")


def test_rows_that_agree_or_have_no_parts_are_left_alone(partnership_a):
    rate = IndicatorFactory(partnership=partnership_a, measure=Indicator.Measure.RATE, code="R 1")
    count = IndicatorFactory(partnership=partnership_a, measure=Indicator.Measure.COUNT, code="C 1")
    agrees = _stored(rate, "100", "100", "1000")
    no_parts = ActualFactory(indicator=rate, period=datetime.date(2010, 11, 1), value=Decimal(7))
    counted = _stored(count, "5", "100", "1000")
    partnership_a.refresh_from_db()
    data_version = partnership_a.data_version

    migration.take_the_parts_value(apps, None)

    for actual, value in ((agrees, 100), (no_parts, 7), (counted, 5)):
        actual.refresh_from_db()
        assert actual.value == Decimal(value)
        assert actual.version == 1
    assert not FigureChange.objects.exists()
    partnership_a.refresh_from_db()
    assert partnership_a.data_version == data_version
