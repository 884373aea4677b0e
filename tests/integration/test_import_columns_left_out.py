"""A column left out of a file leaves what is stored in it: only the required columns must
be there, and a file of a few columns changes only those."""

import datetime
from decimal import Decimal

import pytest

from csp_portal.core.models import Partnership
from indicators import importing
from indicators.models import Actual, FigureChange, Indicator
from tests.factories import ActualFactory, IndicatorFactory, ThemeGroupFactory
from tests.integration.test_import import write_csv

APRIL, MAY, JUNE = (datetime.date(2016, m, 1) for m in (4, 5, 6))


@pytest.mark.django_db
def test_an_actuals_file_without_a_note_column_keeps_the_stored_notes(tmp_path, partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, code="HC 01")
    for month, value in ((APRIL, 17), (MAY, 18), (JUNE, 900)):
        ActualFactory(indicator=indicator, period=month, value=value, note=f"note {month:%b}")
    row = {"partnership": "partnership-a", "indicator": "HC 01"}
    write_csv(
        tmp_path,
        "actuals",
        [
            {**row, "period": "2016-04", "value": "17"},  # the same figure
            {**row, "period": "2016-05", "value": "19"},  # a new one
            {**row, "period": "2016-06", "value": "1,025"},  # read by the careful path
        ],
        columns=["partnership", "indicator", "period", "value"],
    )

    report = importing.import_path(tmp_path, by=None)

    assert (report.unchanged["actuals"], report.updated["actuals"]) == (1, 2)
    assert list(Actual.objects.order_by("period").values_list("value", "note")) == [
        (Decimal(17), "note Apr"),
        (Decimal(19), "note May"),
        (Decimal(1025), "note Jun"),
    ]
    # The audit records the figures' change, and no change of note.
    assert all("note" not in change.new for change in FigureChange.objects.all())


@pytest.mark.django_db
def test_a_note_column_left_blank_still_clears_a_note(tmp_path, partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, code="HC 01")
    ActualFactory(indicator=indicator, period=APRIL, value=17, note="late return")
    write_csv(
        tmp_path,
        "actuals",
        [{"partnership": "partnership-a", "indicator": "HC 01", "period": "2016-04", "value": 17}],
        columns=["partnership", "indicator", "period", "value", "note"],
    )

    importing.import_path(tmp_path, by=None)

    assert Actual.objects.get().note == ""


@pytest.mark.django_db
def test_an_actuals_file_without_parts_keeps_the_parts_of_a_figure_it_leaves_the_same(
    tmp_path, partnership_a
):
    rate = IndicatorFactory(partnership=partnership_a, code="RT 01", measure="rate")
    ActualFactory(indicator=rate, period=APRIL, value=5, numerator=1250, denominator=250_000)
    ActualFactory(indicator=rate, period=MAY, value=5, numerator=1250, denominator=250_000)
    row = {"partnership": "partnership-a", "indicator": "RT 01"}
    write_csv(
        tmp_path,
        "actuals",
        [{**row, "period": "2016-04", "value": "5.0"}, {**row, "period": "2016-05", "value": "6"}],
        columns=["partnership", "indicator", "period", "value"],
    )

    report = importing.import_path(tmp_path, by=None)

    assert (report.unchanged["actuals"], report.updated["actuals"]) == (1, 1)
    stored = Actual.objects.order_by("period").values_list("value", "numerator", "denominator")
    # A new value replaces the parts that gave the old one.
    assert list(stored) == [(5, 1250, 250_000), (6, None, None)]


@pytest.mark.django_db
def test_a_partnerships_file_of_slug_and_name_changes_only_the_name(tmp_path, partnership_a):
    Partnership.objects.filter(pk=partnership_a.pk).update(
        population=250_000, police_force="Devon and Cornwall Police", local_authorities="Plymouth"
    )
    write_csv(
        tmp_path,
        "partnerships",
        [{"slug": "partnership-a", "name": "Partnership A renamed"}],
        columns=["slug", "name"],
    )

    report = importing.import_path(tmp_path, by=None)

    assert report.updated["partnerships"] == 1
    stored = Partnership.objects.get(pk=partnership_a.pk)
    assert (stored.name, stored.population, stored.police_force, stored.local_authorities) == (
        "Partnership A renamed",
        250_000,
        "Devon and Cornwall Police",
        "Plymouth",
    )


@pytest.mark.django_db
def test_a_partnerships_file_with_blank_cells_clears_them(tmp_path, partnership_a):
    write_csv(tmp_path, "partnerships", [{"slug": "partnership-a", "name": "Partnership A"}])

    importing.import_path(tmp_path, by=None)

    stored = Partnership.objects.get(pk=partnership_a.pk)
    assert (stored.population, stored.police_force) == (None, "")


REQUIRED = ["partnership", "code", "title", "polarity", "measure"]


@pytest.mark.django_db
def test_an_indicators_file_of_the_required_columns_leaves_the_others(tmp_path, partnership_a):
    group = ThemeGroupFactory(partnership=partnership_a, name="Cohesion")
    referrals = IndicatorFactory(
        partnership=partnership_a,
        code="REF 01",
        theme_group=group,
        frequency="quarterly",
        tolerance=Decimal("2.5"),
        unit="referrals",
        police_uk_crime_types="Burglary",
    )
    ActualFactory(indicator=referrals, period=APRIL, value=40)
    row = {"partnership": "partnership-a", "polarity": "higher", "measure": "count"}
    write_csv(
        tmp_path,
        "indicators",
        [
            {**row, "code": "REF 01", "title": "Referrals to the hub"},
            {**row, "code": "NEW 01", "title": "A new indicator"},
        ],
        columns=REQUIRED,
    )

    report = importing.import_path(tmp_path, by=None)

    assert (report.created["indicators"], report.updated["indicators"]) == (1, 1)
    fields = ("title", "theme_group", "frequency", "tolerance", "unit", "police_uk_crime_types")
    assert Indicator.objects.filter(code="REF 01").values_list(*fields).get() == (
        "Referrals to the hub",
        group.pk,
        "quarterly",
        Decimal("2.5"),
        "referrals",
        "Burglary",
    )
    # A new indicator takes the usual settings.
    assert Indicator.objects.filter(code="NEW 01").values_list(*fields).get() == (
        "A new indicator",
        None,
        "monthly",
        Decimal(5),
        "",
        "",
    )


@pytest.mark.django_db
def test_an_indicators_file_with_blank_cells_gives_the_usual_settings(tmp_path, partnership_a):
    IndicatorFactory(
        partnership=partnership_a, code="REF 01", frequency="quarterly", tolerance=Decimal("2.5")
    )
    write_csv(
        tmp_path,
        "indicators",
        [
            {
                "partnership": "partnership-a",
                "code": "REF 01",
                "title": "Referrals",
                "polarity": "lower",
                "measure": "count",
            }
        ],
        columns=[*REQUIRED, "theme_group", "frequency", "tolerance"],
    )

    importing.import_path(tmp_path, by=None)

    stored = Indicator.objects.get(code="REF 01")
    assert (stored.theme_group, stored.frequency, stored.tolerance) == (None, "monthly", 5)
