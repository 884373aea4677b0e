"""The import registry: a table added by another app is checked, applied in order,
all or nothing, and exported and read back like the indicator tables."""

import csv
from collections import Counter
from io import BytesIO

import pytest
from openpyxl import load_workbook

from csp_portal.core.models import Partnership
from indicators import importing
from indicators.importing import registry
from indicators.models import Actual, FigureChange, Indicator
from tests.factories import IndicatorFactory

APPLIED: list[str] = []


def check_units(rows, ctx):
    items = []
    for row in rows:
        slug = ctx.check_partnership(row)
        if slug is None or ctx.check_indicator(row, slug) is None:
            continue
        if not row.get("unit"):
            ctx.error(row, "unit is blank")
            continue
        first = ctx.repeated(row, (slug, row.get("indicator")))
        if first is not None:
            ctx.error(row, f"indicator repeated (first at row {first})")
            continue
        items.append((slug, row.get("indicator"), row.get("unit")))
    return items


def apply_units(items, ctx):
    APPLIED.append("units")
    counts = Counter()
    for slug, code, unit in items:
        indicator = ctx.indicator(slug, code)
        if indicator.unit == unit:
            counts["unchanged"] += 1
            continue
        indicator.unit = unit
        indicator.save(update_fields=["unit"])
        counts["updated"] += 1
    return counts


def export_units(partnership):
    for code, unit in Indicator.objects.filter(partnership=partnership).values_list("code", "unit"):
        yield [partnership.slug, code, unit]


@pytest.fixture
def units_table():
    table = registry.register(
        registry.Table(
            name="units",
            columns=("partnership", "indicator", "unit"),
            required=("partnership", "indicator", "unit"),
            order=50,
            check=check_units,
            apply=apply_units,
            export=export_units,
        )
    )
    APPLIED.clear()
    yield table
    registry.unregister("units")


def write(folder, name, rows):
    with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(registry.get(name).columns)
        writer.writerows(rows)


def counts():
    return [m.objects.count() for m in (Partnership, Indicator, Actual, FigureChange)]


def test_registry_lists_tables_in_apply_order(units_table):
    # units (order 50) comes before the actions app's tables (60 to 62) and
    # commissioning's (70, 71).
    assert registry.names() == [
        "partnerships",
        "indicators",
        "targets",
        "actuals",
        "units",
        "actions",
        "risks",
        "recommendations",
        "funding",
        "commissioning",
    ]


@pytest.mark.django_db
def test_registered_table_bad_row_aborts_everything(tmp_path, units_table, partnership_a):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    write(tmp_path, "actuals", [["partnership-a", "HC 01", "2016-04", "17", "", "", ""]])
    write(
        tmp_path, "units", [["partnership-a", "HC 01", "offences"], ["partnership-a", "HC 01", ""]]
    )
    before = counts()

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)

    assert failed.value.report.errors == ["units.csv row 3: unit is blank"]
    assert counts() == before
    assert Indicator.objects.get().unit != "offences"


@pytest.mark.django_db
def test_registered_table_is_applied_after_indicators_of_the_same_import(
    tmp_path, units_table, partnership_a
):
    write(
        tmp_path,
        "indicators",
        [["partnership-a", "NEW 01", "New", "", "lower", "count", "", "", ""]],
    )
    write(tmp_path, "units", [["partnership-a", "NEW 01", "calls"]])

    report = importing.import_path(tmp_path, by=None)

    assert APPLIED == ["units"]
    assert Indicator.objects.get(code="NEW 01").unit == "calls"
    assert report.updated["units"] == 1
    assert "units: 0 new, 1 changed, 0 unchanged" in report.summary()


@pytest.mark.django_db
def test_registered_table_missing_required_column_is_refused(tmp_path, units_table):
    (tmp_path / "units.csv").write_text("partnership,indicator\n", encoding="utf-8")
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)
    assert failed.value.report.errors == ["units.csv: missing column(s) unit"]


@pytest.mark.django_db
def test_registered_table_export_imports_back_unchanged(tmp_path, units_table, partnership_a):
    IndicatorFactory(partnership=partnership_a, code="HC 01", unit="crimes")

    importing.export_to_folder(partnership_a, tmp_path)
    sheets = load_workbook(BytesIO(importing.export_workbook(partnership_a)), read_only=True)

    assert (tmp_path / "units.csv").read_text(encoding="utf-8") == (
        "\ufeffpartnership,indicator,unit\npartnership-a,HC 01,crimes\n"
    )
    assert "units" in sheets.sheetnames
    report = importing.import_path(tmp_path, by=None)
    assert report.unchanged["units"] == 1 and not any(report.updated.values())
    errors: list[str] = []
    tables = importing.read_workbook(importing.export_workbook(partnership_a), errors)
    assert not errors and len(tables["units"]) == 1


@pytest.mark.django_db
def test_a_check_run_counts_the_rows_of_a_table_that_names_none(
    tmp_path, units_table, partnership_a
):
    # Its apply tells ctx.row_changed of none: counted, with no "… and 2 more".
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    IndicatorFactory(partnership=partnership_a, code="HC 02")
    write(tmp_path, "units", [["partnership-a", "HC 01", "kg"], ["partnership-a", "HC 02", "kg"]])

    report = importing.import_path(tmp_path, by=None, dry_run=True, source="import")

    assert [table.lines() for table in report.rows_named()] == [
        ["What would change in units:", "2 changed rows (not listed)."]
    ]
