"""actions.csv: an objective number too large for the database is a row error naming the
column, on SQLite as on PostgreSQL (whose small integer column stops at 32767)."""

import pytest

from actions import transfer
from actions.models import ActionPlan
from indicators import importing
from tests.factories import ThemeGroupFactory

ROW = "partnership-a,Plan,2006/07,Delivery Group,{number},Reduce crime,1.1,Patrols,,,,,,,,"


@pytest.fixture
def folder(tmp_path, partnership_a):
    ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    return tmp_path


def _import(folder, number: str):
    header = ",".join(transfer.COLUMNS["actions"])
    (folder / "actions.csv").write_text(f"{header}\n{ROW.format(number=number)}\n")
    return importing.import_path(folder, by=None, scope=None, source="import")


@pytest.mark.parametrize("number", ["99999999999", "32768", "0"])
def test_import_objective_number_out_of_range_is_a_row_error(folder, number):
    with pytest.raises(importing.ImportFailed) as failed:
        _import(folder, number)

    assert failed.value.report.errors == [
        f"actions.csv row 2: objective_number '{number}' must be a whole number from 1 to 32767"
    ]
    assert not ActionPlan.objects.exists()


def test_import_largest_objective_number_is_accepted(folder):
    _import(folder, "32767")

    assert ActionPlan.objects.get().objectives.get().number == 32767
