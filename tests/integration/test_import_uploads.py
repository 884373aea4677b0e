"""What an import reads from its files: each table from one file only, and a file it cannot
read refused with a message naming the file and line, never a server error."""

from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from indicators.models import Actual
from tests.factories import IndicatorFactory
from tests.integration.test_import_upload_limits import post, summary_text

HEADER = "partnership,indicator,period,value,numerator,denominator,note\n"


def csv_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def workbook(name: str, sheets: dict[str, list[list]]) -> SimpleUploadedFile:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    data = BytesIO()
    book.save(data)
    return SimpleUploadedFile(name, data.getvalue(), content_type="application/octet-stream")


def actuals_sheet(*months: str) -> list[list]:
    return [HEADER.strip().split(","), *(["partnership-a", "HC 01", m, 5] for m in months)]


# One file a table -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            lambda: [
                workbook("april.xlsx", {"actuals": actuals_sheet("2016-04")}),
                workbook("may.xlsx", {"actuals": actuals_sheet("2016-05")}),
            ],
            "Two files give actuals (april.xlsx, may.xlsx): upload only one, or copy the rows "
            "into one file.",
        ),
        (
            lambda: [
                csv_file("actuals.csv", HEADER + "partnership-a,HC 01,2016-04,5,,,\n"),
                workbook("may.xlsx", {"actuals": actuals_sheet("2016-05")}),
            ],
            "Two files give actuals (actuals.csv, may.xlsx)",
        ),
        (
            lambda: [
                csv_file("actuals.csv", HEADER + "partnership-a,HC 01,2016-04,5,,,\n"),
                csv_file("Actuals.csv", HEADER + "partnership-a,HC 01,2016-05,5,,,\n"),
            ],
            "Two files give actuals (actuals.csv, Actuals.csv)",
        ),
        (
            lambda: [
                csv_file("actuals.csv", HEADER + "partnership-a,HC 01,2016-04,5,,,\n"),
                csv_file("actuals.csv", HEADER + "partnership-a,HC 01,2016-04,5,,,\n"),
            ],
            "actuals.csv is chosen twice: choose it once.",
        ),
        (
            lambda: [
                workbook(
                    "figures.xlsx",
                    {"actuals": actuals_sheet("2016-04"), "Actuals.csv": actuals_sheet("2016-05")},
                )
            ],
            "The workbook has two sheets of actuals ('actuals' and 'Actuals.csv'): keep only "
            "one, or copy the rows into one.",
        ),
    ],
    ids=["two_workbooks", "csv_and_workbook", "two_cases_of_a_name", "one_file_twice", "sheets"],
)
def test_a_table_given_twice_is_refused_naming_both_and_nothing_is_imported(
    officer_client, files, message
):
    response = post(officer_client, *files())

    assert response.status_code == 200
    text = summary_text(response)
    assert message in text
    assert "fix this problem" in text  # said once, however many sheets the files share
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_a_folder_with_a_table_twice_is_refused_by_the_command(tmp_path, partnership_a):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    (tmp_path / "actuals.csv").write_text(HEADER + "partnership-a,HC 01,2016-04,5,,,\n")
    (tmp_path / "Actuals.csv").write_text(HEADER + "partnership-a,HC 01,2016-05,7,,,\n")
    stderr = StringIO()

    with pytest.raises(CommandError, match="Nothing imported: 1 problem found"):
        call_command("import_data", str(tmp_path), stdout=StringIO(), stderr=stderr)

    assert stderr.getvalue().splitlines() == [
        f"{tmp_path}: Two files give actuals (Actuals.csv, actuals.csv): keep only one, or "
        "copy the rows into one file."
    ]
    assert not Actual.objects.exists()


# Files that cannot be read ----------------------------------------------------------------

OPEN_QUOTE = (
    HEADER
    + "partnership-a,HC 01,2016-04,5,,,ok\n"
    + 'partnership-a,HC 01,2016-05,5,,,"'
    + ("x" * 140_000)
)
FIELD_LIMIT = (
    "actuals.csv line 3: a cell here is longer than 131,072 characters. Check that each "
    'double quote (") that opens a cell is closed, and import again'
)
NOT_UTF8 = "actuals.csv line 3: the file is not UTF-8 text: save it as CSV UTF-8 and try again"
LATIN = HEADER + "partnership-a,HC 01,2016-04,5,,,\npartnership-a,HC 01,2016-05,5,,,Café\n"


@pytest.mark.django_db
def test_an_upload_with_a_cell_over_the_field_limit_is_refused_naming_its_line(officer_client):
    response = post(officer_client, csv_file("actuals.csv", OPEN_QUOTE))

    assert response.status_code == 200
    assert FIELD_LIMIT in summary_text(response)
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_an_upload_not_in_utf8_is_refused_naming_its_line(officer_client):
    response = post(
        officer_client,
        SimpleUploadedFile("actuals.csv", LATIN.encode("cp1252"), content_type="text/csv"),
    )

    assert NOT_UTF8 in summary_text(response)
    assert not Actual.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [(OPEN_QUOTE.encode(), FIELD_LIMIT), (LATIN.encode("cp1252"), NOT_UTF8)],
    ids=["field_limit", "not_utf8"],
)
@pytest.mark.parametrize("as_folder", [True, False], ids=["folder", "file"])
def test_the_command_refuses_a_file_it_cannot_read_naming_its_line(
    tmp_path, partnership_a, content, message, as_folder
):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    (tmp_path / "actuals.csv").write_bytes(content)
    stderr = StringIO()

    with pytest.raises(CommandError, match="Nothing imported: 1 problem found"):
        call_command(
            "import_data",
            str(tmp_path if as_folder else tmp_path / "actuals.csv"),
            stdout=StringIO(),
            stderr=stderr,
        )

    assert stderr.getvalue().splitlines() == [message]
    assert not Actual.objects.exists()


def test_a_character_cut_off_at_the_end_of_a_block_is_read_whole(tmp_path):
    from indicators.importing import reading

    file = tmp_path / "actuals.csv"
    # "é" is two bytes: the first block of a megabyte ends between them.
    file.write_bytes(b"a\n" + b"x" * ((1 << 20) - 3) + "é\nnext\n".encode())

    assert reading._not_utf8_line(file) is None
    file.write_bytes(b"a\n" + b"x" * ((1 << 20) - 3) + "é\n".encode() + b"\xe9\n")
    assert reading._not_utf8_line(file) == 3


# Numbers a workbook holds -------------------------------------------------------------


def import_workbook_figure(stored: str, partnership):
    """Import a figure from a workbook whose cell holds this number, written as Excel writes
    a formula's result (all 17 digits of the binary; openpyxl would write fewer)."""
    from zipfile import ZipFile

    from indicators import importing

    IndicatorFactory(partnership=partnership, code="RT 01", measure="rate")
    upload = workbook(
        "figures.xlsx",
        {"actuals": [HEADER.strip().split(","), ["partnership-a", "RT 01", "2016-04", 12345]]},
    )
    data = BytesIO()
    with ZipFile(BytesIO(upload.read())) as source, ZipFile(data, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, content.replace(b"<v>12345</v>", f"<v>{stored}</v>".encode()))
    errors: list[str] = []
    tables = importing.read_workbook(data.getvalue(), errors)
    assert not errors
    return importing.import_tables(tables, by=None)


@pytest.mark.django_db
def test_a_formulas_result_is_read_to_the_15_digits_excel_keeps(partnership_a):
    import_workbook_figure("0.30000000000000004", partnership_a)  # =0.1+0.2

    assert Actual.objects.get().value == Decimal("0.3")


@pytest.mark.django_db
def test_a_formulas_result_with_more_places_than_kept_says_to_round_it_in_excel(partnership_a):
    from indicators import importing

    with pytest.raises(importing.ImportFailed) as failed:
        import_workbook_figure("3.3333333333333335", partnership_a)  # =10/3, shown as 3.33

    assert failed.value.report.errors == [
        "sheet 'actuals' row 2: value has too many decimal places (at most 4). The cell holds "
        "3.33333333333333, which Excel may show rounded: round it in Excel (type the figure, "
        "or use ROUND) and import again."
    ]
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_a_csv_figure_with_more_places_than_kept_is_refused_as_typed(officer_client):
    response = post(
        officer_client, csv_file("actuals.csv", HEADER + "partnership-a,HC 01,2016-04,3.33333,,,\n")
    )

    text = summary_text(response)
    assert "actuals.csv row 2: value has too many decimal places (at most 4)." in text
    assert "Excel" not in text


# Characters a spreadsheet cannot hold -------------------------------------------------


@pytest.mark.django_db
def test_a_control_character_is_refused_naming_its_row_and_column(officer_client):
    """The export's workbook cannot hold one (it leaves it out), so a note imported with
    one would not read back the same."""
    response = post(
        officer_client,
        csv_file(
            "actuals.csv",
            HEADER
            + "partnership-a,HC 01,2016-04,5,,,fine\ttabbed\n"
            + 'partnership-a,HC 01,2016-05,5,,,"two\nlines"\n'
            + "partnership-a,HC 01,2016-06,5,,,bell\x07 and \x01\n",
        ),
    )

    assert response.status_code == 200
    text = summary_text(response)
    assert "fix this problem" in text
    assert (
        "actuals.csv row 4: note holds an invisible control character (U+0007), which a "
        "spreadsheet cannot hold: remove it (Excel's CLEAN function does) and import again"
    ) in text
    assert not Actual.objects.exists()


def test_control_characters_past_the_first_hundred_are_said_in_one_line():
    from indicators.importing import reading

    errors: list[str] = []
    text = HEADER + "partnership-a,HC 01,2016-04,\x01,,,\n" * 150

    assert reading.rows_from_csv(text, "actuals", errors) == []
    assert len(errors) == 101
    assert errors[-1] == (
        "actuals.csv: more cells hold control characters: remove them all and import again"
    )


# What a CSV file may be called -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["q3-actuals.csv", "Q3_actuals.csv", "q3 actuals.csv", "actuals (1).csv", "ACTUALS.CSV"],
)
def test_a_csv_named_as_the_rule_says_is_read_and_its_row_errors_name_it(officer_client, name):
    """Review finding: Q3_actuals.csv, "q3 actuals.csv" and "actuals (1).csv" (a browser's
    second download) were refused, and a row error named actuals.csv, not the file."""
    good = csv_file(name, HEADER + "partnership-a,HC 01,2016-04,5,,,\n")
    assert post(officer_client, good).status_code == 302
    assert Actual.objects.get().value == 5

    bad = csv_file(name, HEADER + "partnership-a,HC 01,2016-13,5,,,\n")
    assert f"{name} row 2: period '2016-13'" in summary_text(post(officer_client, bad))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["transactions.csv", "actuals-2016.csv", "actuals (a).csv"])
def test_a_csv_named_for_no_table_is_refused_saying_the_rule(officer_client, name):
    response = post(officer_client, csv_file(name, HEADER + "partnership-a,HC 01,2016-04,5,,,\n"))

    assert (
        f"{name}: name CSV files actuals.csv, actions.csv, risks.csv, recommendations.csv, "
        "funding.csv or commissioning.csv (a name may start with more ending in a hyphen, "
        "underscore or space, as in plan-actions.csv or Q3 actuals.csv, and end with a "
        "copy's number, as in actuals (1).csv), or upload one .xlsx workbook"
    ) in summary_text(response)
    assert not Actual.objects.exists()
