"""Files as spreadsheets write them: rows of only commas below the data, days and months
as Excel (UK) writes them, semicolons for commas; and an import's history and time limit."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import Actual
from tests.factories import IndicatorFactory


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


# Rows of only commas, as Excel and LibreOffice write a sheet's empty rows ---------------

ACTUALS_WITH_EMPTY_ROWS = (
    "partnership,indicator,period,value,numerator,denominator,note\n"
    "partnership-a,HC 01,2017-02,12,,,\n"
    ",,,,,,\n"
    "partnership-a,HC 01,2017-03,13,,,\n"
    ",,,,,,\n"
    " , ,,,,,\n"
    ",,,,,,,,,\n"
)


@pytest.mark.django_db
def test_csv_rows_of_only_commas_are_skipped_as_a_workbooks_empty_rows_are(tmp_path, partnership_a):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    (tmp_path / "actuals.csv").write_text(ACTUALS_WITH_EMPTY_ROWS, encoding="utf-8")

    lines = import_data(tmp_path)

    assert sorted(Actual.objects.values_list("value", flat=True)) == [12, 13]
    assert lines[0] == "Imported actuals: 2 new, 0 changed, 0 unchanged."


@pytest.mark.django_db
def test_an_uploaded_csv_with_rows_of_only_commas_is_imported(officer_client):
    officer_client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [SimpleUploadedFile("actuals.csv", ACTUALS_WITH_EMPTY_ROWS.encode())]},
    )

    assert sorted(Actual.objects.values_list("value", flat=True)) == [12, 13]
