"""What an import reads from its files: each table from one file only, and a file it cannot
read refused with a message naming the file and line, never a server error."""

from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from indicators.models import Actual
from tests.factories import IndicatorFactory
from tests.integration.test_import_upload_limits import summary_text

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


@pytest.fixture
def officer_client(client, officer_a, partnership_a):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    client.force_login(officer_a)
    return client


def post(client, *files):
    return client.post(reverse("indicators:import", args=["partnership-a"]), {"files": files})


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
