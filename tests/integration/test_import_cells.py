"""Cells as a file holds them: a CSV row with more cells than its heading row is refused
(a number written 1,234 is two cells); a workbook's cell Excel shows as a percentage is
read as it shows; the export's workbook holds numbers as numbers, and reads back."""

import datetime
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from commissioning.models import FundingStream
from indicators import importing
from indicators.models import Actual, Target
from tests.factories import (
    ActualFactory,
    CommissioningLineFactory,
    FundingStreamFactory,
    IndicatorFactory,
    TargetFactory,
)


def import_data(path, *options: str) -> list[str]:
    """What import_data prints, line by line."""
    stdout = StringIO()
    call_command("import_data", str(path), *options, stdout=stdout)
    return stdout.getvalue().splitlines()


def refused(path) -> list[str]:
    """The errors of an import_data that imports nothing, line by line."""
    stderr = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_data", str(path), stdout=StringIO(), stderr=stderr)
    return stderr.getvalue().splitlines()


# A CSV row with more cells than its heading row -------------------------------------

ACTUALS_HEADING = "partnership,indicator,period,value,numerator,denominator,note\n"
WIDE_ROWS = {
    "thousands": (
        "partnership,indicator,period,value\npartnership-a,HC 01,2017-03,1,234\n",
        "actuals.csv row 2: 5 cells, but the heading row names 4 columns: write 1,234 as "
        '"1,234" (in quotes) or 1234',
    ),
    # Joined, 12,500 still leaves "extra" over: quoting it would not line the row up.
    "thousands_and_more": (
        "partnership,indicator,period,value\n"
        "partnership-a,HC 01,2017-02,3\n"
        "partnership-a,HC 01,2017-03,12,500,extra\n",
        "actuals.csv row 3: 6 cells, but the heading row names 4 columns: value reads '12', "
        "and '500' and 'extra' are left over: a comma inside a cell splits it in two, so "
        'put each cell that holds a comma in double quotes ("Burglary, robbery and theft")',
    ),
    "denominator_with_a_note": (
        f"{ACTUALS_HEADING}partnership-a,HC 01,2017-03,,45,1,500,checked\n",
        "actuals.csv row 2: 8 cells, but the heading row names 7 columns: write 1,500 as "
        '"1,500" (in quotes) or 1500',
    ),
    # Review finding: the comma is in the note, yet 45,500 (a numerator and its
    # denominator) was blamed, and the advice to join them would have lost a figure.
    "comma_in_a_note_beside_a_pair": (
        f"{ACTUALS_HEADING}partnership-a,HC 01,2017-03,,45,500,Revised by the provider, see note\n",
        "actuals.csv row 2: 8 cells, but the heading row names 7 columns: note reads "
        "'Revised by the provider', and ' see note' is left over: a comma inside a cell "
        'splits it in two, so put each cell that holds a comma in double quotes ("Burglary, '
        'robbery and theft")',
    ),
    # 1,500 joined would be a note, not a number column's: not a thousands comma to blame.
    "number_in_a_text_column": (
        f"{ACTUALS_HEADING}partnership-a,HC 01,2017-03,12,,,1,500\n",
        "actuals.csv row 2: 8 cells, but the heading row names 7 columns: note reads '1', "
        "and '500' is left over: a comma inside a cell splits it in two, so put each cell that "
        "holds a comma in "
        'double quotes ("Burglary, robbery and theft")',
    ),
    "with_a_note": (
        "partnership,indicator,period,value,note\npartnership-a,HC 01,2017-03,1,234,checked\n",
        "actuals.csv row 2: 6 cells, but the heading row names 5 columns: write 1,234 as "
        '"1,234" (in quotes) or 1234',
    ),
    "words": (
        "partnership,indicator,period,value,note\n"
        "partnership-a,HC 01,2017-03,12,Revised, by police\n",
        "actuals.csv row 2: 6 cells, but the heading row names 5 columns: note reads "
        "'Revised', and ' by police' is left over: a comma inside a cell splits it in two, "
        'so put each cell that holds a comma in double quotes ("Burglary, robbery and theft")',
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("text, message", WIDE_ROWS.values(), ids=WIDE_ROWS.keys())
def test_a_csv_row_with_more_cells_than_the_heading_row_is_refused(
    tmp_path, partnership_a, text, message
):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    (tmp_path / "actuals.csv").write_text(text, encoding="utf-8")

    assert refused(tmp_path) == [message]
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_a_funding_amount_written_with_a_thousands_comma_is_refused_not_cut(
    tmp_path, partnership_a
):
    FundingStreamFactory(
        partnership=partnership_a, financial_year=2017, source="PCC grant", amount=400568
    )
    (tmp_path / "funding.csv").write_text(
        "partnership,financial_year,source,amount\npartnership-a,2017/18,PCC grant,400,568.00\n",
        encoding="utf-8",
    )

    assert refused(tmp_path) == [
        "funding.csv row 2: 5 cells, but the heading row names 4 columns: write 400,568.00 as "
        '"400,568.00" (in quotes) or 400568.00'
    ]
    assert FundingStream.objects.get().amount == 400568


@pytest.mark.django_db
def test_a_wide_row_stops_the_whole_import_and_a_quoted_number_is_read(tmp_path, partnership_a):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    (tmp_path / "actuals.csv").write_text(
        'partnership,indicator,period,value\npartnership-a,HC 01,2017-02,"1,234"\n',
        encoding="utf-8",
    )
    (tmp_path / "targets.csv").write_text(
        "partnership,indicator,year,type,value\npartnership-a,HC 01,2016/17,annual,1,500\n",
        encoding="utf-8",
    )

    assert refused(tmp_path)[0].startswith("targets.csv row 2: 6 cells, but the heading row")
    assert not Actual.objects.exists() and not Target.objects.exists()

    (tmp_path / "targets.csv").unlink()
    import_data(tmp_path)
    assert Actual.objects.get().value == 1234


@pytest.mark.django_db
def test_trailing_empty_cells_as_excel_writes_them_are_read(tmp_path, partnership_a):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    (tmp_path / "actuals.csv").write_text(
        "partnership,indicator,period,value,,\n"
        "partnership-a,HC 01,2017-02,12,,\n"
        "partnership-a,HC 01,2017-03,13,, \n",
        encoding="utf-8",
    )

    import_data(tmp_path)

    assert sorted(Actual.objects.values_list("value", flat=True)) == [12, 13]


@pytest.mark.django_db
def test_an_uploaded_csv_row_with_more_cells_than_the_heading_row_is_refused(
    officer_client, partnership_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "partnership,indicator,period,value\npartnership-a,HC 01,2017-03,1,234\n"

    response = officer_client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [SimpleUploadedFile("q3-actuals.csv", text.encode())]},
    )

    assert (
        "q3-actuals.csv row 2: 5 cells, but the heading row names 4 columns: write 1,234 as "
        "&quot;1,234&quot; (in quotes) or 1234"
    ) in response.content.decode()
    assert not Actual.objects.exists()


# A workbook's cell Excel shows as a percentage -----------------------------------------


def percent_workbook(path, actuals: list[list], targets: list[list] = ()) -> None:
    """A workbook as Excel saves one whose value cells are formatted as percentages: the
    last item of each row is the value cell's number format."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, header, rows in (
        (
            "actuals",
            ["partnership", "indicator", "period", "value", "numerator", "denominator"],
            actuals,
        ),
        (
            "targets",
            ["partnership", "indicator", "year", "type", "value", "baseline_year"],
            targets,
        ),
    ):
        if not rows:
            continue
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        at = header.index("value") + 1
        for *cells, number_format in rows:
            sheet.append(cells)
            sheet.cell(row=sheet.max_row, column=at).number_format = number_format
    workbook.save(path)


@pytest.mark.django_db
def test_a_percentage_cell_of_a_percentage_is_read_as_excel_shows_it(tmp_path, partnership_a):
    IndicatorFactory(partnership=partnership_a, code="SAT 01", measure="percentage")
    counted = IndicatorFactory(partnership=partnership_a, code="HC 01")
    ActualFactory(indicator=counted, period=datetime.date(2015, 10, 1))  # its target's baseline
    path = tmp_path / "data.xlsx"
    percent_workbook(
        path,
        actuals=[
            ["partnership-a", "SAT 01", "2016-10", 0.9, 45, 50, "0%"],  # shows 90%
            [
                "partnership-a",
                "SAT 01",
                "2016-11",
                0.07,
                7,
                100,
                "0.00%",
            ],  # 0.07 x 100 is 7.000000000000001
            ["partnership-a", "SAT 01", "2016-12", 0.125, 1, 8, '0.0"%"'],  # no percentage: 0.125
        ],
        targets=[
            ["partnership-a", "SAT 01", "2016/17", "annual", 0.9, None, "0%"],
            ["partnership-a", "HC 01", "2016/17", "change_pct", -0.05, "2015/16", "0%"],
        ],
    )

    # A "%" in quotes is written as it is: 0.125 shows as 0.125%, and is read so.
    assert refused(path) == [
        "sheet 'actuals' row 4: value: 0.125% does not match the numerator and denominator, "
        "which give 12.5%."
    ]
    assert not Actual.objects.filter(indicator__code="SAT 01").exists()

    percent_workbook(
        path,
        actuals=[
            ["partnership-a", "SAT 01", "2016-10", 0.9, 45, 50, "0%"],
            ["partnership-a", "SAT 01", "2016-11", 0.07, 7, 100, "0.00%"],
        ],
        targets=[
            ["partnership-a", "SAT 01", "2016/17", "annual", 0.9, None, "0%"],
            ["partnership-a", "HC 01", "2016/17", "change_pct", -0.05, "2015/16", "0%"],
        ],
    )
    checked = import_data(path, "--dry-run")
    assert "- partnership-a SAT 01 November 2016: new: 7% (7 of 100)" in checked
    import_data(path)

    assert {
        (a.period.month, a.value, a.numerator, a.denominator)
        for a in Actual.objects.filter(indicator__code="SAT 01")
    } == {(10, Decimal(90), 45, 50), (11, Decimal(7), 7, 100)}
    assert {(t.indicator.code, t.value) for t in Target.objects.all()} == {
        ("SAT 01", Decimal(90)),
        ("HC 01", Decimal(-5)),
    }


@pytest.mark.django_db
def test_a_percentage_cell_of_a_count_is_told_to_be_the_count(tmp_path, partnership_a):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    path = tmp_path / "data.xlsx"
    percent_workbook(path, actuals=[["partnership-a", "HC 01", "2016-10", 0.9, None, None, "0%"]])

    assert refused(path) == ["sheet 'actuals' row 2: value is a count: enter 90, not 90%."]
    assert not Actual.objects.exists()


# The export's workbook: numbers as numbers --------------------------------------------


@pytest.mark.django_db
def test_the_export_workbook_holds_figures_and_money_as_numbers_and_reads_back_unchanged(
    client, officer_a, partnership_a
):
    hate = IndicatorFactory(partnership=partnership_a, code="HC 01", measure="snapshot")
    satisfaction = IndicatorFactory(partnership=partnership_a, code="SAT 01", measure="percentage")
    for month, value in ((4, Decimal(17)), (5, Decimal("1234.5678")), (6, Decimal("0.25"))):
        ActualFactory(indicator=hate, period=datetime.date(2016, month, 1), value=value)
    ActualFactory(
        indicator=satisfaction,
        period=datetime.date(2016, 4, 1),
        value=Decimal("88.8889"),
        numerator=16,
        denominator=18,
    )
    TargetFactory(indicator=hate, value=Decimal(375))
    CommissioningLineFactory(partnership=partnership_a, contribution=Decimal("12500.50"))
    client.force_login(officer_a)

    data = b"".join(
        client.get(reverse("indicators:export", args=["partnership-a"])).streaming_content
    )

    workbook = load_workbook(BytesIO(data))
    actuals = [
        [(c.value, c.data_type) for c in row] for row in workbook["actuals"].iter_rows(min_row=2)
    ]
    assert [row[1:6] for row in actuals] == [
        [("HC 01", "s"), ("2016-04", "s"), (17, "n"), (None, "n"), (None, "n")],
        [("HC 01", "s"), ("2016-05", "s"), (1234.5678, "n"), (None, "n"), (None, "n")],
        [("HC 01", "s"), ("2016-06", "s"), (0.25, "n"), (None, "n"), (None, "n")],
        [("SAT 01", "s"), ("2016-04", "s"), (88.8889, "n"), (16, "n"), (18, "n")],
    ]
    assert [c.value for c in next(workbook["targets"].iter_rows(min_row=2))][:5] == [
        "partnership-a",
        "HC 01",
        "2016/17",
        "annual",
        375,
    ]
    funding = next(workbook["funding"].iter_rows(min_row=2))
    assert (funding[3].value, funding[3].data_type) == (400568, "n")
    line = next(workbook["commissioning"].iter_rows(min_row=2))
    assert line[8].value == 12500.5
    assert workbook["partnerships"]["C2"].value == 250_000  # the population

    errors: list[str] = []
    tables = importing.read_workbook(data, errors)
    assert not errors
    report = importing.import_tables(tables, by=None, scope=partnership_a)
    assert not any(report.created.values()) and not any(report.updated.values())
    assert report.unchanged["actuals"] == 4
