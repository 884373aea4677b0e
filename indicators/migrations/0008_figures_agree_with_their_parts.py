"""Stored rates and percentages take the value of their parts.

Since stop 27 a rate or percentage entered with its numerator and denominator is stored as
their value (`indicators.validation.check_figure`); a value typed beside them must agree.
Rows stored before could disagree (actuals.csv ``SS 06,2010-10,5,100,1000`` stored 5 beside
parts giving 100 per 1,000), and the pages then showed two numbers: the figures compute
from the parts, the tables showed the value. Each such row takes its parts' value here, and
its indicator's history records the change (source "migration") with the old and new
figure. Every partnership gets a new data version, so no page kept before shows the old.
"""

import uuid
from decimal import Decimal

from django.db import migrations

# As indicators.validation in this migration's day: 16 digits, 4 after the point.
STORED_PLACES = Decimal("0.0001")
MAX_WHOLE_DIGITS = 12
SCALE = {"percentage": Decimal(100), "rate": Decimal(1000)}
REASON = (
    "The value did not match its numerator and denominator; the figure now takes theirs, "
    "as every figure entered since does."
)


def _plain(number):
    return None if number is None else format(number.normalize(), "f")


def _snapshot(value, numerator, denominator):
    return {
        "value": _plain(value),
        "numerator": _plain(numerator),
        "denominator": _plain(denominator),
    }


def take_the_parts_value(apps, schema_editor):
    Actual = apps.get_model("indicators", "Actual")
    FigureChange = apps.get_model("indicators", "FigureChange")
    Indicator = apps.get_model("indicators", "Indicator")
    Partnership = apps.get_model("core", "Partnership")
    rows = Actual.objects.filter(
        indicator__measure__in=SCALE,
        numerator__isnull=False,
        denominator__gt=0,
    ).select_related("indicator")
    changed, changes = [], []
    for actual in rows.iterator():
        derived = (
            actual.numerator * SCALE[actual.indicator.measure] / actual.denominator
        ).quantize(STORED_PLACES)
        if derived.compare(actual.value) == 0 or derived.adjusted() >= MAX_WHOLE_DIGITS:
            continue
        changes.append(
            FigureChange(
                indicator_id=actual.indicator_id,
                subject="actual",
                period=actual.period,
                old=_snapshot(actual.value, actual.numerator, actual.denominator),
                new=_snapshot(derived, actual.numerator, actual.denominator),
                reason=REASON,
                source="migration",
            )
        )
        actual.value = derived
        actual.version += 1
        changed.append(actual)
    if not changed:
        return
    Actual.objects.bulk_update(changed, ["value", "version"], batch_size=500)
    FigureChange.objects.bulk_create(changes, batch_size=500)
    for pk in {a.indicator_id for a in changed}:
        Indicator.objects.filter(pk=pk).update(figures_version=uuid.uuid4())
    for pk in Partnership.objects.values_list("pk", flat=True):
        Partnership.objects.filter(pk=pk).update(
            data_version=uuid.uuid4(), context_version=uuid.uuid4()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_partnership_area_count_limit"),
        ("indicators", "0007_indicator_figures_version"),
    ]

    operations = [
        migrations.RunPython(take_the_parts_value, migrations.RunPython.noop, elidable=True),
    ]
