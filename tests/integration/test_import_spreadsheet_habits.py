"""Files as spreadsheets write them: rows of only commas below the data, days and months
as Excel (UK) writes them, semicolons for commas; and an import's history and time limit."""

import datetime
from io import BytesIO, StringIO

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from csp_portal.core.models import Meeting
from indicators import importing
from indicators.importing import days, reading
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


# Days and months as Excel (UK) writes them -------------------------------------------


@pytest.mark.parametrize(
    "text, day",
    [
        ("2010-03-31", datetime.date(2010, 3, 31)),
        ("31/03/2010", datetime.date(2010, 3, 31)),
        ("1/4/2010", datetime.date(2010, 4, 1)),
        ("01/04/2010", datetime.date(2010, 4, 1)),
    ],
)
def test_a_day_is_read_as_iso_or_as_excel_uk_writes_it(text, day):
    assert days.parse_day(text) == day


@pytest.mark.parametrize("text", ["1 Nov", "31/13/2010", "04/01/10", "2010/03/31", "20100331"])
def test_a_day_written_otherwise_is_refused_saying_how_to_write_it(text):
    with pytest.raises(ValueError):
        days.parse_day(text)
    assert days.not_a_day("due", text) == (
        f"due '{text}' is not a date like 2017-04-01 or 01/04/2017 (day/month/year)"
    )


def _plan_file(folder, due: str):
    (folder / "actions.csv").write_text(
        "partnership,plan,financial_year,objective_number,objective,reference,action,due\n"
        f"partnership-a,Plan,2009/10,1,Objective,1.1,Do it,{due}\n",
        encoding="utf-8",
    )


@pytest.mark.django_db
def test_actions_risks_and_recommendations_take_days_as_excel_uk_writes_them(
    tmp_path, partnership_a
):
    from actions.models import Action, Recommendation, Risk

    Meeting.objects.create(
        partnership=partnership_a,
        date=datetime.date(2010, 3, 4),
        kind="scrutiny_panel",
        title="Panel",
    )
    _plan_file(tmp_path, "31/03/2010")
    (tmp_path / "risks.csv").write_text(
        "partnership,reference,description,likelihood,impact,review_date\n"
        "partnership-a,R1,Staff shortage,2,3,1/6/2010\n",
        encoding="utf-8",
    )
    (tmp_path / "recommendations.csv").write_text(
        "partnership,reference,meeting_date,recommendation,assigned_to,due\n"
        "partnership-a,SP 1,04/03/2010,Do better,Officer,30/09/2010\n",
        encoding="utf-8",
    )

    import_data(tmp_path, "--new-plans")

    assert Action.objects.get().due == datetime.date(2010, 3, 31)
    assert Risk.objects.get().review_date == datetime.date(2010, 6, 1)
    recommendation = Recommendation.objects.get()
    assert (recommendation.meeting.date, recommendation.due) == (
        datetime.date(2010, 3, 4),
        datetime.date(2010, 9, 30),
    )


@pytest.mark.django_db
def test_a_day_written_otherwise_is_refused_in_each_table_alike(tmp_path, partnership_a):
    _plan_file(tmp_path, "31.03.2010")

    errors = refused(tmp_path)

    assert (
        "actions.csv row 2: due '31.03.2010' is not a date like 2017-04-01 or 01/04/2017 "
        "(day/month/year)"
    ) in errors


RISK_COLUMNS = ["partnership", "reference", "description", "likelihood", "impact", "review_date"]


def _workbook(name: str, header: list[str], *rows: list, epoch=None) -> bytes:
    workbook = Workbook()
    if epoch is not None:
        workbook.epoch = epoch
    workbook.remove(workbook.active)
    sheet = workbook.create_sheet(name)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = BytesIO()
    workbook.save(data)
    return data.getvalue()


def test_a_workbooks_whole_number_in_a_date_column_is_read_as_excels_day():
    """40268 is 31 March 2010 (Excel shows a day as that after "paste values"); a number
    far from any day the portal holds stays as it is, and is refused as no date; a number
    in any other column is a number."""
    data = _workbook(
        "risks",
        RISK_COLUMNS,
        ["p", 40268, "Staff shortage", 2, 3, 40268],
        ["p", "R2", "Staff shortage", 2, 3, 40268.0],
        ["p", "R3", "Staff shortage", 2, 3, 12],
    )
    errors = []

    tables = reading.read_workbook(data, errors)

    assert not errors
    assert [(row.get("reference"), row.get("review_date")) for row in tables["risks"]] == [
        ("40268", "2010-03-31"),
        ("R2", "2010-03-31"),
        ("R3", "12"),
    ]


def test_a_workbooks_whole_number_in_a_month_column_is_read_as_its_month():
    data = _workbook("actuals", ["partnership", "indicator", "period"], ["p", "HC 01", 40544])
    errors = []

    tables = reading.read_workbook(data, errors)

    assert [row.get("period") for row in tables["actuals"]] == ["2011-01"]


@pytest.mark.parametrize(
    "cell, read",
    [
        (42675, "2016-11"),  # 1 November 2016
        (42689, "2016-11-15"),
        (datetime.datetime(2016, 11, 1), "2016-11"),
        (datetime.datetime(2016, 11, 15), "2016-11-15"),
    ],
)
def test_a_workbooks_day_in_a_month_column_is_read_as_its_month_only_if_the_first(cell, read):
    """Review finding: 42689 (15 November 2016) was read as 2016-11 silently, where the
    same day written 15/11/2016 in a CSV file is refused: the day other than the first is
    kept, for the import to refuse it as it refuses the CSV's."""
    data = _workbook("actuals", ["partnership", "indicator", "period"], ["p", "HC 01", cell])
    errors = []

    tables = reading.read_workbook(data, errors)

    assert [row.get("period") for row in tables["actuals"]] == [read]


@pytest.mark.django_db
@pytest.mark.parametrize("cell", [42689, datetime.datetime(2016, 11, 15)])
def test_a_workbooks_day_not_the_first_in_a_month_column_is_refused_as_a_csvs_is(
    tmp_path, partnership_a, cell
):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    path = tmp_path / "figures.xlsx"
    path.write_bytes(
        _workbook(
            "actuals",
            ["partnership", "indicator", "period", "value"],
            ["partnership-a", "HC 01", cell, 7],
        )
    )

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(path, by=None)

    assert "period '2016-11-15' is a day, not a month: write it as 2016-11" in "\n".join(
        failed.value.report.errors
    )
    assert not Actual.objects.exists()


def test_a_1904_workbooks_serial_is_read_from_its_own_start():
    from openpyxl.utils.datetime import MAC_EPOCH

    data = _workbook("risks", RISK_COLUMNS, ["p", "R1", "Staff", 2, 3, 38806], epoch=MAC_EPOCH)
    errors = []

    tables = reading.read_workbook(data, errors)

    assert [row.get("review_date") for row in tables["risks"]] == ["2010-03-31"]


@pytest.mark.django_db
@pytest.mark.parametrize("period", ["Jan-11", "Jan 2011", "January 2011", "01/01/2011", "jan-11"])
def test_a_month_as_excel_writes_it_is_read(tmp_path, partnership_a, period):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    write_csv(
        tmp_path,
        "actuals",
        [{"partnership": "partnership-a", "indicator": "HC 01", "period": period, "value": 7}],
    )

    import_data(tmp_path)

    assert Actual.objects.get().period == datetime.date(2011, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period, message",
    [
        ("15/01/2011", "period '15/01/2011' is a day, not a month: write it as 2011-01"),
        ("02/01/2011", "period '02/01/2011' is a day, not a month: write it as 2011-01"),
        ("Janvier 2011", "period 'Janvier 2011' is not a month like 2016-11"),
        ("2016-13", "period '2016-13' is not a month like 2016-11"),
    ],
)
def test_a_month_that_is_not_certain_is_refused_saying_how_to_write_it(
    tmp_path, partnership_a, period, message
):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    write_csv(
        tmp_path,
        "actuals",
        [{"partnership": "partnership-a", "indicator": "HC 01", "period": period, "value": 7}],
    )

    assert f"actuals.csv row 2: {message}" in refused(tmp_path)


# A CSV file separated by semicolons (Excel's "CSV" in much of Europe) ------------------


@pytest.mark.django_db
def test_a_csv_file_separated_by_semicolons_is_refused_saying_how_to_save_it(
    tmp_path, partnership_a
):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    (tmp_path / "actuals.csv").write_text(
        "partnership;indicator;period;value;note\n"
        "partnership-a;HC 01;2017-02;12;checked\n"
        "partnership-a;HC 01;2017-03;13;late, revised\n",
        encoding="utf-8",
    )

    assert refused(tmp_path) == [
        "actuals.csv: the file is separated by semicolons: save it as CSV UTF-8 (comma "
        "delimited) and try again"
    ]


def test_an_uploaded_csv_file_separated_by_semicolons_is_refused():
    upload = SimpleUploadedFile("q3-actions.csv", b"\xef\xbb\xbfpartnership;plan;reference\n")

    _tables, errors = reading.read_uploads([upload])

    assert errors == [
        "q3-actions.csv: the file is separated by semicolons: save it as CSV UTF-8 (comma "
        "delimited) and try again"
    ]


# The upload time limit, checked through the import, not only before each chunk ---------


class Clock:
    """time.monotonic moving on ``step`` seconds each time it is read."""

    def __init__(self, step: float):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def _figures(partnership, count: int):
    IndicatorFactory(partnership=partnership, code="HC 01")
    rows = [f"partnership-a,HC 01,{2000 + i // 12}-{i % 12 + 1:02d},{i}" for i in range(count)]
    text = "partnership,indicator,period,value\n" + "\n".join(rows) + "\n"
    errors = []
    tables = {"actuals": reading.rows_from_csv(text, "actuals", errors)}
    assert not errors
    return tables


@pytest.mark.django_db
@pytest.mark.parametrize("reads_in_time", [1, 2])
def test_an_import_past_its_time_limit_after_its_one_chunk_saves_nothing(
    partnership_a, monkeypatch, reads_in_time
):
    """Each read of the clock moves it on a second: the limit passes after the chunk is
    checked (1 read in time), or after it is written (2), yet before the commit."""
    tables = _figures(partnership_a, 30)
    monkeypatch.setattr(reading.time, "monotonic", Clock(1.0))
    deadline = reading.Deadline(reads_in_time + 0.5)

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_tables(tables, by=None, deadline=deadline)

    assert failed.value.report.errors == [deadline.message()]
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_an_import_within_its_time_limit_is_saved(partnership_a, monkeypatch):
    tables = _figures(partnership_a, 30)
    monkeypatch.setattr(reading.time, "monotonic", Clock(0.001))

    importing.import_tables(tables, by=None, deadline=reading.Deadline(1))

    assert Actual.objects.count() == 30


# An indicator's code in other capitals or spacing; an empty upload ---------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code, message",
    [
        (
            "ni 16",
            "indicator 'ni 16' does not exist in partnership 'partnership-a': did you "
            "mean 'NI 16'?",
        ),
        (
            "NI16",
            "indicator 'NI16' does not exist in partnership 'partnership-a': did you mean 'NI 16'?",
        ),
        ("hc 01", "indicator 'hc 01' does not exist in partnership 'partnership-a'"),
        ("XX 9", "indicator 'XX 9' does not exist in partnership 'partnership-a'"),
    ],
)
def test_an_indicator_code_in_other_capitals_suggests_the_stored_one_if_only_one_matches(
    tmp_path, partnership_a, code, message
):
    IndicatorFactory(partnership=partnership_a, code="NI 16")
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    IndicatorFactory(partnership=partnership_a, code="HC01")
    write_csv(
        tmp_path,
        "actuals",
        [{"partnership": "partnership-a", "indicator": code, "period": "2016-04", "value": 7}],
    )

    assert refused(tmp_path) == [f"actuals.csv row 2: {message}"]


@pytest.mark.django_db
def test_an_empty_upload_is_named(officer_client):
    response = officer_client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [SimpleUploadedFile("q3-actuals.csv", b"")]},
    )

    assert "q3-actuals.csv is empty: choose the file again" in response.content.decode()
    assert "The submitted file is empty." not in response.content.decode()
