"""actions.csv, risks.csv and recommendations.csv: all or nothing, bad rows named, round trip."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from actions import transfer
from actions.models import (
    Action,
    ActionPlan,
    ActionsChange,
    ActionUpdate,
    Recommendation,
    Risk,
)
from csp_portal.core.models import Partnership
from indicators import importing
from indicators.forms import ImportForm
from tests.factories import IndicatorFactory, ThemeGroupFactory
from tests.integration.test_import_upload_limits import summary_text

HEADER = {name: ",".join(columns) for name, columns in transfer.COLUMNS.items()}


def _write(folder: Path, name: str, *lines: str) -> None:
    (folder / f"{name}.csv").write_text("\n".join([HEADER[name], *lines]) + "\n", encoding="utf-8")


def _import(folder: Path, *, by=None, scope=None):
    return importing.import_path(folder, by=by, scope=scope, source="import")


@pytest.fixture
def valley(partnership_a):
    ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    IndicatorFactory(partnership=partnership_a, code="TV 01")
    IndicatorFactory(partnership=partnership_a, code="TV 02")
    return partnership_a


ACTION_ROWS = [
    'partnership-a,Plan,2006/07,Delivery Group,1,Reduce crime,1.1,"Wardens, patrols",,All,'
    "2006-11-01,,green,TV 01;TV 02,Done.,2007-01-25",
    "partnership-a,Plan,2006/07,Delivery Group,2,Criminal damage,2.2,Proposal,,Someone,"
    "2006-08-25,Quarterly,red,,Not progressed.,2007-01-25",
    "partnership-a,Plan,2006/07,Delivery Group,2,Criminal damage,2.3,Campaign,,,,,not_started,,,",
]


def test_import_actions_creates_plan_objectives_and_updates(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    plan = ActionPlan.objects.get()
    assert (plan.title, plan.financial_year, plan.theme_group.name) == (
        "Plan",
        2006,
        "Delivery Group",
    )
    assert [o.number for o in plan.objectives.order_by("number")] == [1, 2]
    first = Action.objects.get(reference="1.1")
    assert first.status == "green" and first.description == "Wardens, patrols"
    assert sorted(i.code for i in first.indicators.all()) == ["TV 01", "TV 02"]
    update = first.updates.get()
    assert (update.by, update.source, update.date) == (
        officer_a,
        "import",
        datetime.date(2007, 1, 25),
    )
    assert not Action.objects.get(reference="2.3").updates.exists()


def test_import_actions_twice_changes_nothing(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    _import(tmp_path, by=officer_a)
    assert Action.objects.count() == 3
    assert ActionUpdate.objects.count() == 2


def test_import_actions_new_status_adds_to_history(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    _write(
        tmp_path,
        "actions",
        ACTION_ROWS[1].replace(",red,", ",green,").replace("2007-01-25", "2007-03-01"),
    )
    _import(tmp_path, by=officer_a)
    action = Action.objects.get(reference="2.2")
    assert action.status == "green"
    assert [u.status for u in action.updates.all()] == ["green", "red"]


@pytest.mark.parametrize(
    "row, message",
    [
        (
            ACTION_ROWS[0].replace(",green,", ",purple,"),
            "status 'purple' must be one of Red, Amber, Green, Not started",
        ),
        (
            ACTION_ROWS[0].replace("TV 01;", "XX 9;"),
            "indicator 'XX 9' does not exist in partnership 'partnership-a'",
        ),
        (
            ACTION_ROWS[0].replace("2006-11-01", "2006-03-31"),
            "due 2006-03-31 is before the plan's financial year 2006/07 starts (2006-04-01)",
        ),
        (
            ACTION_ROWS[0].replace("2006-11-01", "1 Nov"),
            "due '1 Nov' is not a date like 2017-04-01 or 01/04/2017 (day/month/year)",
        ),
        (
            ACTION_ROWS[0].replace("2006/07", "2006/08"),
            "financial_year '2006/08' is not a financial year like 2007/08",
        ),
        (
            ACTION_ROWS[0].replace("Delivery Group", "Nowhere"),
            "theme_group 'Nowhere' is not a theme group of partnership 'partnership-a'",
        ),
        (
            ACTION_ROWS[0].replace("partnership-a", "partnership-z"),
            "partnership 'partnership-z' does not exist",
        ),
        (
            ACTION_ROWS[0].replace(",1.1,", ",2.2,"),
            "a second action '2.2' in plan 'Plan' (first at row 2)",
        ),
        (ACTION_ROWS[0] + ",maybe", "closed 'maybe' must be yes or no"),
        (ACTION_ROWS[0].replace("Reduce crime", "Criminal damage").replace(",1,", ",2,"), None),
    ],
)
def test_import_actions_bad_row_named_and_nothing_written(tmp_path, valley, row, message):
    _write(tmp_path, "actions", ACTION_ROWS[1], row)
    if message is None:  # a consistent row: accepted
        _import(tmp_path)
        return
    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)
    assert f"actions.csv row 3: {message}" in failed.value.report.errors
    assert not Action.objects.exists() and not ActionPlan.objects.exists()


def test_import_indicator_of_another_partnership_refused(tmp_path, valley, partnership_b):
    IndicatorFactory(partnership=partnership_b, code="B 1")
    _write(tmp_path, "actions", ACTION_ROWS[0].replace("TV 01;TV 02", "B 1"))
    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)
    assert (
        "actions.csv row 2: indicator 'B 1' does not exist in partnership 'partnership-a'"
        in failed.value.report.errors
    )


RISK_ROWS = [
    "partnership-a,R1,Delivery Group,Funding ends,Council,4,4,Bid for more,open,2011-04-20",
    "partnership-a,R2,,Capacity,,1,2,,closed,",
]


@pytest.mark.parametrize(
    "row, message",
    [
        (
            RISK_ROWS[0].replace(",4,4,", ",0,4,"),
            "likelihood '0' must be a whole number from 1 to 5",
        ),
        (RISK_ROWS[0].replace(",4,4,", ",4,6,"), "impact '6' must be a whole number from 1 to 5"),
        (RISK_ROWS[0].replace(",open,", ",maybe,"), "status 'maybe' must be one of Open, Closed"),
        (RISK_ROWS[0].replace("R1", "R2"), "a second risk 'R2' (first at row 2)"),
    ],
)
def test_import_risks_bad_row_named(tmp_path, valley, row, message):
    _write(tmp_path, "risks", RISK_ROWS[1], row)
    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)
    assert f"risks.csv row 3: {message}" in failed.value.report.errors
    assert not Risk.objects.exists()


def test_import_recommendations_bad_status_named(tmp_path, valley):
    _write(tmp_path, "recommendations", "partnership-a,SP-1,2011-01-20,Report,Chair,,maybe,")
    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)
    assert failed.value.report.errors == [
        "recommendations.csv row 2: status 'maybe' must be one of Awaiting response, "
        "Accepted, In progress, Done, Rejected"
    ]


def test_import_scope_refuses_another_partnership(tmp_path, valley, partnership_b):
    _write(tmp_path, "risks", RISK_ROWS[0])
    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path, scope=partnership_b)
    assert (
        "risks.csv row 2: partnership 'partnership-a' is not Partnership B"
        in failed.value.report.errors
    )


def _files(folder: Path) -> dict[str, list[list[str]]]:
    return {
        name: list(
            csv.reader(io.StringIO((folder / f"{name}.csv").read_text(encoding="utf-8-sig")))
        )
        for name in transfer.COLUMNS
    }


def test_export_then_import_into_empty_database_gives_same_rows(tmp_path, valley, officer_a):
    (tmp_path / "in").mkdir()
    _write(tmp_path / "in", "actions", *ACTION_ROWS)
    _write(tmp_path / "in", "risks", *RISK_ROWS)
    _write(
        tmp_path / "in",
        "recommendations",
        'partnership-a,SP-1,2011-01-20,"Report SARC funding, soon",Chair,Agreed,accepted,2011-04'
        "-21",
        "partnership-a,SP-2,2011-01-20,=cmd,Chair,,awaiting_response,",
    )
    _import(tmp_path / "in", by=officer_a)
    importing.export_to_folder(valley, tmp_path / "first")
    first = _files(tmp_path / "first")
    assert first["actions"][0] == list(transfer.COLUMNS["actions"])
    assert len(first["actions"]) == 4 and len(first["risks"]) == 3
    assert "'=cmd" in [cell for row in first["recommendations"] for cell in row]

    # An empty database: only the partnership, its theme group and indicators.
    Action.objects.all().delete()
    ActionPlan.objects.all().delete()
    Risk.objects.all().delete()
    Recommendation.objects.all().delete()
    assert Partnership.objects.filter(slug="partnership-a").exists()
    _import(tmp_path / "first", by=officer_a)
    importing.export_to_folder(valley, tmp_path / "second")
    assert _files(tmp_path / "second") == first
    assert Recommendation.objects.get(reference="SP-2").recommendation == "=cmd"


def test_export_then_import_into_empty_database_gives_the_same_partnership(
    tmp_path, partnership_a, officer_a
):
    """A closed action and the partnership's own settings come back as they went out."""
    settings = {
        "households": 50_000,
        "businesses": 3_000,
        "fy_start_month": 1,  # calendar years: the plan's year is "2006"
        "reports_public": True,
    }
    Partnership.objects.filter(pk=partnership_a.pk).update(**settings)
    group = ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    for code in ("TV 01", "TV 02"):
        IndicatorFactory(partnership=partnership_a, code=code, theme_group=group)
    rows = [row.replace("2006/07", "2006") for row in ACTION_ROWS[:2]]
    _write(tmp_path, "actions", rows[0] + ",yes", rows[1])
    _import(tmp_path, by=officer_a)
    assert Action.objects.get(reference="1.1").closed
    importing.export_to_folder(Partnership.objects.get(), tmp_path / "first")

    Partnership.objects.all().delete()
    assert not Action.objects.exists()
    _import(tmp_path / "first", by=officer_a)
    partnership = Partnership.objects.get()
    importing.export_to_folder(partnership, tmp_path / "second")

    assert _folder(tmp_path / "second") == _folder(tmp_path / "first")
    assert Partnership.objects.values(*settings).get() == settings
    closed = Action.objects.get(reference="1.1")
    assert closed.closed and closed.closed_at is not None
    assert not Action.objects.get(reference="2.2").closed


def _folder(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


# Closing and reopening by an import -------------------------------------------------


def test_import_closes_and_reopens_an_action_as_its_page_does(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    action = Action.objects.get(reference="2.2")

    _write(tmp_path, "actions", ACTION_ROWS[1] + ",yes")
    report = _import(tmp_path, by=officer_a)
    action.refresh_from_db()
    assert report.updated["actions"] == 1
    assert action.closed and action.closed_at is not None
    closing = action.updates.get(kind=ActionUpdate.Kind.CLOSED)
    assert (closing.text, closing.by, closing.source, closing.date) == (
        "Closed by an import.",
        officer_a,
        "import",
        timezone.localdate(),
    )
    assert closing.status == "red"  # the status it had, unchanged
    change = ActionsChange.objects.filter(subject="action", object_id=action.pk).first()
    assert (change.old["closed"], change.new["closed"]) == (False, True)
    assert (change.changed_by, change.source) == (officer_a, "import")

    _write(tmp_path, "actions", ACTION_ROWS[1] + ",no")
    _import(tmp_path, by=officer_a)
    action.refresh_from_db()
    assert not action.closed and action.closed_at is None
    reopening = action.updates.get(kind=ActionUpdate.Kind.REOPENED)
    assert (reopening.text, reopening.by, reopening.source) == (
        "Reopened by an import.",
        officer_a,
        "import",
    )


def test_import_of_a_closed_actions_own_row_changes_nothing(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", ACTION_ROWS[1] + ",yes")
    _import(tmp_path, by=officer_a)
    closed_at = Action.objects.get().closed_at
    updates = ActionUpdate.objects.count()

    report = _import(tmp_path, by=officer_a)

    assert report.unchanged["actions"] == 1 and not report.updated["actions"]
    assert ActionUpdate.objects.count() == updates
    assert Action.objects.get().closed_at == closed_at


def test_import_of_an_older_file_without_closed_leaves_each_action_as_it_is(
    tmp_path, valley, officer_a
):
    _write(tmp_path, "actions", ACTION_ROWS[1] + ",yes", ACTION_ROWS[2])
    _import(tmp_path, by=officer_a)
    older = ",".join(transfer.COLUMNS["actions"][:-2])  # before closed and closed_on
    (tmp_path / "actions.csv").write_text(
        "\n".join([older, ACTION_ROWS[1], ACTION_ROWS[2]]) + "\n", encoding="utf-8"
    )

    report = _import(tmp_path, by=officer_a)

    assert report.unchanged["actions"] == 2
    assert {a.reference: a.closed for a in Action.objects.all()} == {"2.2": True, "2.3": False}


# Rules the services keep are row errors too, never an error page -----------------------


def test_import_action_due_long_after_its_plans_year_is_a_row_error(tmp_path, valley):
    _write(tmp_path, "actions", ACTION_ROWS[0].replace("2006-11-01", "2099-01-01"))
    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)
    assert failed.value.report.errors == [
        "actions.csv row 2: due 2099-01-01 is more than 5 years after the plan's financial "
        "year 2006/07 ends (2012-03-31)"
    ]
    assert not ActionPlan.objects.exists()


def test_import_moving_a_plans_year_past_its_actions_is_a_row_error(tmp_path, valley):
    _write(tmp_path, "actions", ACTION_ROWS[0])
    _import(tmp_path)
    # The same plan, a year after its action 1.1 is due, by a row of another action.
    _write(tmp_path, "actions", ACTION_ROWS[2].replace("2006/07", "2008/09"))
    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)
    assert failed.value.report.errors[0].startswith(
        "actions.csv row 2: 1 action of this plan is due before 1 April 2008"
    )
    assert ActionPlan.objects.get().financial_year == 2006


def test_import_recommendation_due_before_its_meeting_is_a_row_error(tmp_path, valley):
    _write(
        tmp_path,
        "recommendations",
        "partnership-a,ZZ-1,2011-01-20,Do it,CSP,,awaiting_response,2010-12-01",
    )
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None, dry_run=True, source="import")
    assert failed.value.report.errors == [
        "recommendations.csv row 2: The due date must be on or after the date of the meeting "
        "that made it"
    ]
    assert not Recommendation.objects.exists()


def test_import_recommendation_made_at_a_future_meeting_is_a_row_error(tmp_path, valley):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    _write(
        tmp_path,
        "recommendations",
        "partnership-a,ZZ-1,2011-01-20,Do it,CSP,,awaiting_response,",
        f"partnership-a,ZZ-2,{tomorrow},Do it later,CSP,,awaiting_response,",
    )
    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)
    assert failed.value.report.errors == [
        "recommendations.csv row 3: The meeting date cannot be in the future"
    ]
    assert not Recommendation.objects.exists()


def test_import_risk_references_are_one_risk_whatever_their_case(tmp_path, valley):
    _write(tmp_path, "risks", RISK_ROWS[0])
    _import(tmp_path)
    _write(tmp_path, "risks", RISK_ROWS[0].replace("R1", "r1").replace("Funding", "Money"))
    _import(tmp_path)
    assert [(r.reference, r.description) for r in Risk.objects.all()] == [("r1", "Money ends")]
    _write(
        tmp_path, "risks", RISK_ROWS[1].replace("R2", "ZR-9"), RISK_ROWS[1].replace("R2", "zr-9")
    )
    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)
    assert "risks.csv row 3: a second risk 'zr-9' (first at row 2)" in failed.value.report.errors


def test_import_plans_theme_group_is_one_group_in_any_capitals(tmp_path, valley, officer_a):
    """Review finding: a later row naming the plan's group in other capitals than its first
    row ("delivery  GROUP" for "Delivery Group") was refused as a different theme group,
    though the import finds the group in any capitals."""
    rows = [*ACTION_ROWS[:2], ACTION_ROWS[2].replace("Delivery Group", "delivery  GROUP")]
    _write(tmp_path, "actions", *rows)

    _import(tmp_path, by=officer_a)

    plan = ActionPlan.objects.get()
    assert plan.theme_group.name == "Delivery Group"
    assert plan.actions.count() == 3


def test_import_plans_second_theme_group_is_still_refused(tmp_path, valley, officer_a):
    ThemeGroupFactory(partnership=valley, name="Other Group")
    rows = [*ACTION_ROWS[:2], ACTION_ROWS[2].replace("Delivery Group", "Other Group")]
    _write(tmp_path, "actions", *rows)

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path, by=officer_a)

    assert (
        "actions.csv row 4: plan 'Plan' has a different financial_year or theme_group at row 2"
    ) in failed.value.report.errors
    assert not ActionPlan.objects.exists()


def test_import_records_its_plans_and_objectives_as_imported(tmp_path, valley, officer_a):
    from actions.models import ActionsChange

    _write(tmp_path, "actions", ACTION_ROWS[0])
    _import(tmp_path, by=officer_a)
    recorded = {(c.subject, c.source, c.changed_by) for c in ActionsChange.objects.all()}
    assert recorded == {
        ("plan", "import", officer_a),
        ("objective", "import", officer_a),
        ("action", "import", officer_a),
    }


def test_text_starting_with_an_apostrophe_survives_the_workbook_round_trip(valley):
    # Typed as it is: an apostrophe before "=", which an import takes off an escaped cell.
    Risk.objects.create(
        partnership=valley, reference="R9", description="'=A1 is the cell", likelihood=1, impact=1
    )
    errors: list[str] = []
    tables = importing.read_workbook(importing.export_workbook(valley), errors)
    descriptions = [row.get("description") for row in tables["risks"]]
    assert not errors and descriptions == ["'=A1 is the cell"]


# A plan's own download ------------------------------------------------------------------


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_plans_download_holds_its_actions_and_imports_back(
    client, tmp_path, valley, officer_a, export_format
):
    """Review finding: an action plan had no download of its own. It gives the import's
    columns, this plan's actions only, and an edited copy imports back."""
    _write(tmp_path, "actions", *ACTION_ROWS)
    _write(
        tmp_path,
        "actions",
        *ACTION_ROWS,
        "partnership-a,Other plan,2006/07,,1,Elsewhere,9.9,Not in the download,,,,,red,,,",
    )
    _import(tmp_path, by=officer_a)
    plan = ActionPlan.objects.get(title="Plan")
    client.force_login(officer_a)

    response = client.get(f"{plan.get_absolute_url()}?_export={export_format}")

    assert response.status_code == 200
    assert (
        f'filename="partnership-a-plan-actions.{export_format}"'
        in (response["Content-Disposition"])
    )
    folder = tmp_path / "download"
    folder.mkdir()
    if export_format == "csv":
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == list(transfer.COLUMNS["actions"])
        assert sorted(row[6] for row in rows[1:]) == ["1.1", "2.2", "2.3"]
        edited = text.replace("Not progressed.", "Now under way.").replace(",red,", ",amber,")
        (folder / "actions.csv").write_text(edited, encoding="utf-8")
    else:
        errors: list[str] = []
        tables = importing.read_workbook(response.content, errors)
        assert not errors and sorted(r.get("reference") for r in tables["actions"]) == [
            "1.1",
            "2.2",
            "2.3",
        ]
        folder = folder / "plan.xlsx"
        folder.write_bytes(response.content)

    _import(folder, by=officer_a)

    action = Action.objects.get(plan=plan, reference="2.2")
    if export_format == "csv":
        assert (action.status, action.latest_update) == ("amber", "Now under way.")
    assert Action.objects.filter(plan=plan).count() == 3


def test_a_plans_download_is_its_partnerships_own(client, valley, officer_b):
    plan = ActionPlan.objects.create(partnership=valley, title="Plan", financial_year=2006)
    client.force_login(officer_b)
    assert client.get(f"{plan.get_absolute_url()}?_export=csv").status_code == 404


# The day an action was closed ------------------------------------------------------------


def _closed_on(action: Action) -> datetime.date | None:
    return timezone.localdate(action.closed_at) if action.closed_at else None


@pytest.mark.parametrize("export_format", ["folder", "csv", "xlsx"])
def test_the_actions_exports_carry_the_day_each_action_was_closed(
    client, tmp_path, valley, officer_a, export_format
):
    """export_data, the partnership's workbook and a plan's download all carry closed_on:
    the day the action's page says it was closed, blank for an open action."""
    _write(tmp_path, "actions", ACTION_ROWS[1] + ",yes", ACTION_ROWS[2])
    _import(tmp_path, by=officer_a)
    closed = Action.objects.get(reference="2.2")
    Action.objects.filter(pk=closed.pk).update(
        closed_at=datetime.datetime(2007, 2, 3, 23, 30, tzinfo=datetime.UTC)
    )
    if export_format == "folder":
        importing.export_to_folder(valley, tmp_path / "out")
        rows = _files(tmp_path / "out")["actions"]
    elif export_format == "csv":
        client.force_login(officer_a)
        response = client.get(f"{closed.plan.get_absolute_url()}?_export=csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        errors: list[str] = []
        tables = importing.read_workbook(importing.export_workbook(valley), errors)
        rows = [list(transfer.COLUMNS["actions"])] + [
            [row.get(column) for column in transfer.COLUMNS["actions"]] for row in tables["actions"]
        ]
    by_reference = {row[6]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    # Half past eleven at night in UTC is the next morning in summer time; in February,
    # London keeps UTC.
    assert by_reference["2.2"]["closed"] == "yes"
    assert by_reference["2.2"]["closed_on"] == "2007-02-03"
    assert (by_reference["2.3"]["closed"], by_reference["2.3"]["closed_on"]) == ("no", "")


def test_import_takes_the_day_an_action_was_closed_and_records_it(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", ACTION_ROWS[1] + ",yes,2007-01-20", ACTION_ROWS[2])
    report = _import(tmp_path, by=officer_a)
    action = Action.objects.get(reference="2.2")
    assert report.created["actions"] == 2
    assert action.closed and _closed_on(action) == datetime.date(2007, 1, 20)

    # The same file again changes nothing; another day is a change, in the history.
    assert _import(tmp_path, by=officer_a).unchanged["actions"] == 2
    _write(tmp_path, "actions", ACTION_ROWS[1] + ",yes,2007-01-22")
    assert _import(tmp_path, by=officer_a).updated["actions"] == 1
    action.refresh_from_db()
    assert _closed_on(action) == datetime.date(2007, 1, 22)
    change = ActionsChange.objects.filter(subject="action", object_id=action.pk).first()
    assert (change.old["closed_at"][:10], change.new["closed_at"][:10]) == (
        "2007-01-20",
        "2007-01-22",
    )
    assert (change.changed_by, change.source) == (officer_a, "import")


def test_import_without_a_closing_day_keeps_the_one_stored(tmp_path, valley, officer_a):
    """A file without the column, or a closed action's blank cell, keeps the day it was
    closed; an action the file closes with a blank cell is closed today, as on its page."""
    _write(tmp_path, "actions", ACTION_ROWS[1] + ",yes,2007-01-20")
    _import(tmp_path, by=officer_a)
    _write(tmp_path, "actions", ACTION_ROWS[1] + ",yes,", ACTION_ROWS[2] + ",yes,")
    report = _import(tmp_path, by=officer_a)
    assert (report.unchanged["actions"], report.created["actions"]) == (1, 1)
    without = ",".join(transfer.COLUMNS["actions"][:-1])
    (tmp_path / "actions.csv").write_text(
        "\n".join([without, ACTION_ROWS[1] + ",yes"]) + "\n", encoding="utf-8"
    )
    assert _import(tmp_path, by=officer_a).unchanged["actions"] == 1

    closing = {a.reference: _closed_on(a) for a in Action.objects.all()}
    assert closing == {"2.2": datetime.date(2007, 1, 20), "2.3": timezone.localdate()}


@pytest.mark.parametrize(
    "row, message",
    [
        (
            ACTION_ROWS[1] + ",yes,20.01.2007",
            "closed_on '20.01.2007' is not a date like 2017-04-01 or 01/04/2017 (day/month/year)",
        ),
        (ACTION_ROWS[1] + ",no,2007-01-20", "closed_on 2007-01-20 is given but closed is no"),
        (ACTION_ROWS[1] + ",,2007-01-20", "closed_on 2007-01-20 is given but closed is no"),
        (
            ACTION_ROWS[1] + ",yes,2999-01-01",
            "closed_on 2999-01-01 is in the future: an action cannot be closed after today",
        ),
    ],
)
def test_import_refuses_a_closing_day_that_cannot_be(tmp_path, valley, row, message):
    _write(tmp_path, "actions", row)
    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)
    assert failed.value.report.errors == [f"actions.csv row 2: {message}"]
    assert not Action.objects.exists()


def test_import_refuses_an_update_to_a_closed_action_and_writes_nothing(
    tmp_path, valley, officer_a
):
    _write(tmp_path, "actions", ACTION_ROWS[1] + ",yes", ACTION_ROWS[2])
    _import(tmp_path, by=officer_a)
    updates = ActionUpdate.objects.count()
    later = ACTION_ROWS[1].replace("red,,Not progressed.,2007-01-25", "amber,,Moving.,2007-02-01")
    _write(tmp_path, "actions", later + ",yes", ACTION_ROWS[2].replace("Campaign", "Campaigns"))

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path, by=officer_a)

    assert (
        "actions.csv row 2: Action 2.2 is closed: reopen it to update its status"
        in failed.value.report.errors
    )
    assert ActionUpdate.objects.count() == updates
    assert Action.objects.get(reference="2.2").status == "red"
    assert Action.objects.get(reference="2.3").description == "Campaign"  # all or nothing


def test_import_row_that_closes_an_action_gives_its_update_first(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", ACTION_ROWS[1])
    _import(tmp_path, by=officer_a)
    done = ACTION_ROWS[1].replace("red,,Not progressed.,2007-01-25", "green,,Done.,2007-02-01")
    _write(tmp_path, "actions", done + ",yes")

    _import(tmp_path, by=officer_a)

    action = Action.objects.get(reference="2.2")
    assert action.closed and (action.status, action.latest_update) == ("green", "Done.")
    kinds = list(action.updates.order_by("created_at", "pk").values_list("kind", "status"))
    assert kinds[-2:] == [("update", "green"), ("closed", "green")]


def test_import_reopens_a_closed_action_before_its_update(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", ACTION_ROWS[1] + ",yes")
    _import(tmp_path, by=officer_a)
    later = ACTION_ROWS[1].replace("red,,Not progressed.,2007-01-25", "amber,,Moving.,2007-02-01")
    _write(tmp_path, "actions", later + ",no")

    _import(tmp_path, by=officer_a)

    action = Action.objects.get(reference="2.2")
    assert not action.closed and action.status == "amber"


# The risk and recommendation lists' downloads -------------------------------------------

RECOMMENDATION_ROWS = [
    "partnership-a,CC-01,2011-01-20,Include the family group position,Chair,Agreed,accepted,"
    "2011-06-30",
    "partnership-a,CC-02,2011-01-20,Report on hate crime,=Officer,,awaiting_response,",
]


@pytest.mark.parametrize("table", ["risks", "recommendations"])
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_risk_and_recommendation_lists_download_files_that_import_back(
    client, tmp_path, valley, officer_a, table, export_format
):
    """Review finding: the lists' downloads had the table's headings (Ref, Risk, Theme
    group...), so uploading one was refused for missing columns. Each is now its import
    table's file, the columns in the README's order, and a check of it changes nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    _write(tmp_path, table, *(RISK_ROWS if table == "risks" else RECOMMENDATION_ROWS))
    _import(tmp_path, by=officer_a)
    client.force_login(officer_a)

    download = client.get(
        reverse(f"actions:{table}", args=["partnership-a"]), {"_export": export_format}
    )

    name = download["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert name == f"partnership-a-{table}.{export_format}"
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    else:
        errors: list[str] = []
        rows = importing.read_workbook(download.content, errors)[table]
        assert not errors
        rows = [
            list(transfer.COLUMNS[table]),
            *([r.get(c) for c in transfer.COLUMNS[table]] for r in rows),
        ]
    assert rows[0] == list(transfer.COLUMNS[table])
    assert len(rows) == 3
    checked = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [SimpleUploadedFile(name, download.content)], "dry_run": "on"},
    )
    report = checked.context["report"]
    assert checked.context["import_errors"] == [] and report is not None
    assert (report.created[table], report.updated[table], report.unchanged[table]) == (0, 0, 2)


def test_the_filtered_risk_list_downloads_the_risks_it_shows(client, tmp_path, valley, officer_a):
    _write(tmp_path, "risks", *RISK_ROWS)
    _import(tmp_path, by=officer_a)
    client.force_login(officer_a)

    download = client.get("/p/partnership-a/risks/", {"status": "open", "_export": "csv"})

    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["R1"]


@pytest.mark.parametrize(
    "written, status",
    [("Amber", "amber"), (" GREEN ", "green"), ("Not started", "not_started"), ("red", "red")],
)
def test_import_actions_status_in_the_words_the_pages_show(
    tmp_path, valley, officer_a, written, status
):
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",green,", f",{written},"))
    _import(tmp_path, by=officer_a)
    assert Action.objects.get().status == status


@pytest.mark.parametrize("written, status", [("Open", "open"), ("CLOSED", "closed")])
def test_import_risks_status_in_any_capitals(tmp_path, valley, written, status):
    _write(tmp_path, "risks", RISK_ROWS[0].replace(",open,", f",{written},"))
    _import(tmp_path)
    assert Risk.objects.get().status == status


@pytest.mark.parametrize(
    "written, status",
    [
        ("Done", "done"),
        ("In progress", "in_progress"),
        ("awaiting response", "awaiting_response"),
        ("awaiting_response", "awaiting_response"),
    ],
)
def test_import_recommendations_status_in_the_words_the_pages_show(
    tmp_path, valley, written, status
):
    _write(tmp_path, "recommendations", f"partnership-a,SP-1,2011-01-20,Report,Chair,,{written},")
    _import(tmp_path)
    assert Recommendation.objects.get().status == status


def test_import_names_the_plans_and_objectives_it_adds(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", *ACTION_ROWS)
    checked = importing.import_path(tmp_path, by=officer_a, dry_run=True)
    assert (
        "New action plan 'Plan' (2006/07, Partnership A), with objectives 1 and 2."
        in checked.summary()
    )

    report = _import(tmp_path, by=officer_a)

    assert report.summary() == (
        "Imported actions: 3 new, 0 changed, 0 unchanged. "
        "New action plan 'Plan' (2006/07, Partnership A), with objectives 1 and 2."
    )
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",1,Reduce crime,1.1,", ",3,Drugs,3.1,"))
    assert _import(tmp_path, by=officer_a).summary() == (
        "Imported actions: 1 new, 0 changed, 0 unchanged. "
        "New objective 3 of 'Plan' (Partnership A)."
    )


def _stored_plan_u_umlaut(folder: Path, by) -> None:
    """Plan ü stored, with an action and its update, and the file then naming 'Plan u'."""
    _write(folder, "actions", ACTION_ROWS[0].replace(",Plan,", ",Plan ü,"))
    _import(folder, by=by)


def _near_miss(typed: str, how: str) -> str:
    return (
        f"actions.csv row 2: Partnership A has no plan called '{typed}': did you mean "
        f"'Plan ü'? Correct the title in the file, or, if it is a new plan, {how}"
    )


COMMAND_CONFIRMS = "import again with --new-plans"


@pytest.mark.parametrize("typed", ["Plan u", "plan  U", "Plan ü!"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_import_refuses_a_new_plan_close_to_a_stored_one(
    tmp_path, valley, officer_a, typed, dry_run
):
    _stored_plan_u_umlaut(tmp_path, officer_a)
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",Plan,", f",{typed},"))

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(
            tmp_path, by=officer_a, scope=valley, dry_run=dry_run, source="import"
        )

    assert failed.value.report.errors == [_near_miss(typed, COMMAND_CONFIRMS)]
    assert list(ActionPlan.objects.values_list("title", flat=True)) == ["Plan ü"]
    assert Action.objects.count() == 1 and ActionUpdate.objects.count() == 1


def test_import_adds_a_new_plan_close_to_a_stored_one_when_confirmed(tmp_path, valley, officer_a):
    _stored_plan_u_umlaut(tmp_path, officer_a)
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",Plan,", ",Plan u,"))

    report = importing.import_path(
        tmp_path, by=officer_a, scope=valley, source="import", confirmed={"new_plans"}
    )

    assert report.notes == ["New action plan 'Plan u' (2006/07), with objective 1."]
    assert sorted(ActionPlan.objects.values_list("title", flat=True)) == ["Plan u", "Plan ü"]
    assert ActionPlan.objects.get(title="Plan u").actions.get().updates.count() == 1


def test_import_refuses_a_stored_title_in_other_capitals_as_taken_not_close(
    tmp_path, valley, officer_a
):
    _stored_plan_u_umlaut(tmp_path, officer_a)
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",Plan,", ",PLAN Ü,"))

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path, by=officer_a)

    assert failed.value.report.errors == [
        "actions.csv row 2: Partnership A already has a plan called 'Plan ü', which differs "
        "from 'PLAN Ü' only in capitals: use that plan, or choose another title"
    ]


def test_import_data_refuses_a_close_plan_title_unless_given_new_plans(tmp_path, valley, officer_a):
    _stored_plan_u_umlaut(tmp_path, officer_a)
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",Plan,", ",Plan u,"))
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="Nothing imported: 1 problem found"):
        call_command("import_data", str(tmp_path), stdout=io.StringIO(), stderr=stderr)

    assert stderr.getvalue().splitlines() == [_near_miss("Plan u", COMMAND_CONFIRMS)]
    assert not ActionPlan.objects.filter(title="Plan u").exists()
    call_command("import_data", str(tmp_path), "--new-plans", stdout=io.StringIO())
    assert ActionPlan.objects.filter(title="Plan u").exists()


def _upload(client, folder: Path, **options):
    upload = SimpleUploadedFile("actions.csv", (folder / "actions.csv").read_bytes())
    return client.post(
        reverse("indicators:import", args=["partnership-a"]), {"files": [upload], **options}
    )


PAGE_CONFIRMS = (
    "tick “Add new action plans even if a title is almost the same as an existing plan's” "
    "and import again"
)


@pytest.mark.parametrize("options", [{}, {"dry_run": "on"}])
def test_import_page_refuses_a_close_plan_title_saying_what_to_tick(
    tmp_path, valley, officer_a, officer_client, options
):
    _stored_plan_u_umlaut(tmp_path, officer_a)
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",Plan,", ",Plan u,"))

    response = _upload(officer_client, tmp_path, **options)

    assert _near_miss("Plan u", PAGE_CONFIRMS) in summary_text(response)
    assert not ActionPlan.objects.filter(title="Plan u").exists()
    # The box the message names is on the form, as the message writes it.
    assert ImportForm(tables=["actions"]).fields["new_plans"].label in PAGE_CONFIRMS


def test_import_page_adds_a_close_plan_title_once_ticked(
    tmp_path, valley, officer_a, officer_client
):
    _stored_plan_u_umlaut(tmp_path, officer_a)
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",Plan,", ",Plan u,"))

    checked = _upload(officer_client, tmp_path, dry_run="on", new_plans="on")
    assert "New action plan &#x27;Plan u&#x27; (2006/07)" in checked.content.decode()
    assert not ActionPlan.objects.filter(title="Plan u").exists()

    response = _upload(officer_client, tmp_path, new_plans="on")

    assert response.status_code == 302
    assert ActionPlan.objects.filter(title="Plan u").exists()


def test_import_asks_nothing_of_a_new_plan_of_another_year(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",Plan,", ",Plan 2006,"))
    _import(tmp_path, by=officer_a)
    _write(
        tmp_path,
        "actions",
        ACTION_ROWS[0]
        .replace(",Plan,", ",Plan 2007,")
        .replace("2006/07", "2007/08")
        .replace("2006-11-01", "2007-11-01"),
    )
    assert _import(tmp_path, by=officer_a, scope=valley).notes == [
        "New action plan 'Plan 2007' (2007/08), with objective 1."
    ]


def test_import_names_the_first_new_plans_and_counts_the_rest(tmp_path, valley, officer_a):
    _write(
        tmp_path,
        "actions",
        *(ACTION_ROWS[0].replace(",Plan,", f",Plan {n},") for n in "ABCDEFG"),
    )

    notes = _import(tmp_path, by=officer_a, scope=valley).notes

    assert notes[4:] == [
        "New action plan 'Plan E' (2006/07), with objective 1.",
        "2 more new action plans or objectives, not listed.",
    ]
