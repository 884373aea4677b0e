"""Files as spreadsheets write them: rows of only commas below the data, days and months
as Excel (UK) writes them, semicolons for commas; and an import's history and time limit."""

from io import StringIO

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators import importing
from indicators.models import Actual, Indicator
from tests.factories import IndicatorFactory
from tests.integration.test_import import write_csv


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


# An import's changes to indicators are in the admin's history ---------------------------


@pytest.mark.django_db
def test_an_import_that_adds_or_changes_indicators_is_in_the_admins_history(
    client, admin_user, partnership_a, tmp_path
):
    stored = IndicatorFactory(
        partnership=partnership_a, code="HC 01", title="Hate crime", tolerance=5, owner="Sam"
    )
    changed = {"partnership": "partnership-a", "code": "HC 01", "polarity": "lower"}
    write_csv(
        tmp_path,
        "indicators",
        [
            {**changed, "title": "Hate crimes", "measure": "count", "tolerance": "10"},
            {**changed, "code": "NEW 01", "title": "New", "measure": "count"},
        ],
        columns=["partnership", "code", "title", "polarity", "measure", "tolerance", "owner"],
    )

    importing.import_path(tmp_path, by=admin_user, dry_run=True, source="upload")
    assert not LogEntry.objects.exists()
    importing.import_path(tmp_path, by=admin_user, source="upload")

    entries = {entry.object_repr: entry for entry in LogEntry.objects.all()}
    [added] = [entry for entry in entries.values() if entry.action_flag == ADDITION]
    assert added.get_change_message() == "Added by an import."
    assert added.object_id == str(Indicator.objects.get(code="NEW 01").pk)
    [change] = [entry for entry in entries.values() if entry.action_flag == CHANGE]
    assert (change.user, change.object_id) == (admin_user, str(stored.pk))
    message = change.get_change_message()
    assert message.startswith("Changed by an import: Title from “Hate crime” to “Hate crimes”")
    assert "Owner from “Sam” to blank" in message
    client.force_login(admin_user)
    history = client.get(reverse("admin:indicators_indicator_history", args=[stored.pk]))
    assert "Changed by an import: Title from “Hate crime” to “Hate crimes”" in (
        history.content.decode()
    )
    assert "doesn’t have a change history" not in history.content.decode()


@pytest.mark.django_db
def test_import_data_without_a_user_says_the_indicators_it_leaves_out_of_the_history(
    partnership_a, tmp_path
):
    IndicatorFactory(partnership=partnership_a, code="HC 01", title="Hate crime")
    write_csv(
        tmp_path,
        "indicators",
        [
            {
                "partnership": "partnership-a",
                "code": "HC 01",
                "title": "Hate crimes",
                "polarity": "lower",
                "measure": "count",
            }
        ],
        columns=["partnership", "code", "title", "polarity", "measure"],
    )
    stdout, stderr = StringIO(), StringIO()

    call_command("import_data", str(tmp_path), stdout=stdout, stderr=stderr)

    assert "1 indicator added or changed is not in the admin's history" in stderr.getvalue()
