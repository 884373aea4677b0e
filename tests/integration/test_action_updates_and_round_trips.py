"""Action plans and commissioning: future and repeated updates, status changes since the
last report, export round trips, messages and calendar-year labels."""

import csv
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions import services
from actions.models import Action, ActionUpdate
from indicators import importing
from tests.factories import IndicatorFactory, ThemeGroupFactory
from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory
from tests.integration.test_actions_transfer import ACTION_ROWS, _import, _write

DAY = datetime.date


@pytest.fixture
def valley(partnership_a):
    ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    IndicatorFactory(partnership=partnership_a, code="TV 01")
    IndicatorFactory(partnership=partnership_a, code="TV 02")
    return partnership_a


def test_import_refuses_an_update_dated_in_the_future(tmp_path, valley, officer_a):
    today = timezone.localdate()
    _write(tmp_path, "actions", ACTION_ROWS[1].replace("2007-01-25", "2062-01-15"))

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path, by=officer_a)

    assert (
        "actions.csv row 2: updated_on 2062-01-15 is in the future: an update cannot be "
        f"dated after today ({today.isoformat()})"
    ) in failed.value.report.errors
    assert not Action.objects.exists()


def test_an_update_dated_in_the_future_is_refused(partnership_a, officer_a):
    action = ActionFactory(
        objective=ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership_a))
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        services.action_update_add(
            action=action, status="green", text="Done.", by=officer_a, date=tomorrow
        )

    assert refused.value.message_dict == {
        "date": ["The date of the update cannot be in the future."]
    }
    assert not ActionUpdate.objects.exists()


# Status changes since the last report ----------------------------------------------------

PUBLISHED = datetime.datetime(2016, 9, 1, 12, 0, tzinfo=datetime.UTC)


def _update_recorded(action, *, status, day, recorded):
    update = services.action_update_add(
        action=action, status=status, text=f"{status} update.", by=None, date=day
    )
    ActionUpdate.objects.filter(pk=update.pk).update(created_at=recorded)


def test_a_status_changed_on_the_day_the_last_report_was_published_is_a_change(
    partnership_a,
):
    from reports import sources

    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2016)
    action = ActionFactory(objective=ObjectiveFactory(plan=plan), reference="1.1")
    day = timezone.localdate(PUBLISHED)
    _update_recorded(
        action, status="red", day=day, recorded=PUBLISHED - datetime.timedelta(hours=2)
    )
    _update_recorded(
        action, status="green", day=day, recorded=PUBLISHED + datetime.timedelta(hours=3)
    )

    found = sources.action_plan(
        partnership_a,
        None,
        as_at=datetime.date(2016, 11, 30),
        since=PUBLISHED,
        financial_year=2016,
    )

    assert [(c["old"], c["new"]) for c in found["status_changes"]] == [("Red", "Green")]
    assert found["first"] is False


def test_an_update_recorded_before_the_last_report_is_not_a_change_since(partnership_a):
    from actions import selectors

    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2016)
    action = ActionFactory(objective=ObjectiveFactory(plan=plan), reference="1.1")
    _update_recorded(
        action,
        status="green",
        day=timezone.localdate(PUBLISHED),
        recorded=PUBLISHED - datetime.timedelta(hours=1),
    )

    summary = selectors.plan_summary(
        partnership_a, as_at=datetime.date(2016, 11, 30), since=PUBLISHED
    )

    assert (summary.changes, summary.updates) == ([], [])


def test_a_first_report_says_it_has_no_earlier_report_to_compare_with(partnership_a):
    from reports import services as report_services
    from tests.factories import ReportFactory

    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2016)
    ActionFactory(objective=ObjectiveFactory(plan=plan), reference="1.1")
    report = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 9, 1))

    html = report_services.report_publish(report=report, by=None).version.html

    assert "This is the first report, so there is no earlier report to compare" in html
    assert "No action has changed status since the last report" not in html


# Re-importing an action's update ---------------------------------------------------------


def test_reimporting_a_back_dated_update_adds_it_once(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    action = Action.objects.get(reference="2.2")
    services.action_update_add(
        action=action, status="amber", text="Under way.", by=officer_a, date=DAY(2007, 3, 1)
    )
    older = ACTION_ROWS[1].replace("red", "green").replace("2007-01-25", "2007-02-10")
    _write(tmp_path, "actions", older)

    first = _import(tmp_path, by=officer_a)
    again = _import(tmp_path, by=officer_a)

    action.refresh_from_db()
    assert (action.status, action.latest_update) == ("amber", "Under way.")
    assert [(u.date, u.status) for u in action.updates.all()] == [
        (DAY(2007, 3, 1), "amber"),
        (DAY(2007, 2, 10), "green"),
        (DAY(2007, 1, 25), "red"),
    ]
    assert first.updated["actions"] == 1
    assert (
        "actions.csv row 2: the update of 2007-02-10 was added to action 2.2's history but "
        "does not change its status, as its latest update is of 2007-03-01."
    ) in first.summary()
    assert (again.updated["actions"], again.unchanged["actions"]) == (0, 1)
    assert "history" not in again.summary()


def test_reimporting_an_export_taken_before_a_later_update_changes_nothing(
    tmp_path, valley, officer_a
):
    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    action = Action.objects.get(reference="2.2")
    services.action_update_add(
        action=action, status="amber", text="Under way.", by=officer_a, date=DAY(2007, 3, 1)
    )

    report = _import(tmp_path, by=officer_a)

    assert report.updated["actions"] == 0 and report.unchanged["actions"] == 3
    assert action.updates.count() == 2


# A plan's CSV download imports back under its own name ----------------------------------


def test_a_plans_csv_download_uploads_back_under_the_name_it_was_given(
    client, tmp_path, valley, officer_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from actions.models import ActionPlan

    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    plan = ActionPlan.objects.get(title="Plan")
    client.force_login(officer_a)
    download = client.get(f"{plan.get_absolute_url()}?_export=csv")
    name = download["Content-Disposition"].split('filename="')[1].rstrip('"')
    edited = download.content.decode("utf-8-sig").replace("Not progressed.", "Under way.")

    response = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [SimpleUploadedFile(name, edited.encode("utf-8"), "text/csv")]},
        follow=True,
    )

    assert name == "partnership-a-plan-actions.csv"
    assert response.status_code == 200
    assert Action.objects.get(reference="2.2").latest_update == "Under way."


def test_a_csv_named_for_no_table_is_still_refused():
    from indicators.importing.reading import csv_table

    known = ["actuals", "actions", "risks"]
    assert csv_table("Plan-Actions.csv", known) == "actions"
    assert csv_table("actuals.CSV", known) == "actuals"
    assert csv_table("transactions.csv", known) is None  # no hyphen before the table
    assert csv_table("plan-actions.xlsx", known) is None


# Export then import keeps what is stored ---------------------------------------------------


def test_a_recommendation_cannot_name_a_meeting_of_another_date(client, officer_a, partnership_a):
    from django.urls import reverse

    from actions.models import Recommendation
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(partnership=partnership_a, date=DAY(2017, 3, 2))
    client.force_login(officer_a)
    url = reverse("actions:recommendation_create", args=["partnership-a"])
    data = {
        "meeting": meeting.pk,
        "meeting_date": "2017-06-01",
        "reference": "SP-1",
        "recommendation": "Review the CCTV contract",
        "assigned_to": "Community Safety Manager",
        "response": "",
        "status": "awaiting_response",
        "due": "",
    }

    text = client.post(url, data).content.decode()

    assert "The meeting date must be the date of the meeting chosen (2 March 2017)." in text
    assert not Recommendation.objects.exists()
    assert client.post(url, {**data, "meeting_date": "2017-03-02"}).status_code == 302
    assert Recommendation.objects.get().meeting == meeting


def test_a_lead_with_no_full_name_exports_and_imports_back_as_themselves(
    tmp_path, valley, officer_a
):
    from actions import transfer
    from tests.factories import MembershipFactory, UserFactory

    nameless = MembershipFactory(
        partnership=valley, user=UserFactory(username="jbloggs", first_name="", last_name="")
    )
    _write(tmp_path, "actions", ACTION_ROWS[1].replace(",Someone,", ",jbloggs,"))

    _import(tmp_path, by=officer_a)

    action = Action.objects.get(reference="2.2")
    assert (action.lead_member, action.lead_text) == (nameless, "")
    assert [row[9] for row in transfer.export_actions(valley)] == ["jbloggs"]


# The report's commissioning warnings ---------------------------------------------------------


def test_a_reports_commissioning_warnings_are_as_at_the_end_of_its_month(partnership_a):
    from commissioning.models import CommissioningLine
    from reports import sources
    from tests.factories import CommissioningLineFactory, ProgressUpdateFactory

    commissioned = CommissioningLine.Status.COMMISSIONED
    ending = CommissioningLineFactory(
        partnership=partnership_a,
        reference="CI 01",
        status=commissioned,
        start=DAY(2017, 4, 1),
        end=DAY(2017, 9, 15),
    )
    ProgressUpdateFactory(line=ending, date=DAY(2017, 9, 10))
    quiet = CommissioningLineFactory(
        partnership=partnership_a, reference="CI 02", status=commissioned, start=DAY(2017, 4, 1)
    )
    ProgressUpdateFactory(line=quiet, date=DAY(2017, 12, 1))  # after the report's month

    found = sources.commissioning(partnership_a, DAY(2017, 9, 1))

    assert found["warnings"] == [
        "CI 01: the contract ended on 15 September 2017 but the line is still marked commissioned.",
        "CI 02: no progress update since the contract started on 1 April 2017.",
    ]
    assert [u["title"][:5] for u in found["updates"]] == ["CI 01"]


def test_a_report_of_this_month_judges_its_contracts_as_at_today(partnership_a, monkeypatch):
    from commissioning.models import CommissioningLine
    from reports import sources
    from tests.factories import CommissioningLineFactory, ProgressUpdateFactory

    monkeypatch.setattr(timezone, "localdate", lambda *args: DAY(2017, 9, 10))
    line = CommissioningLineFactory(
        partnership=partnership_a,
        reference="CI 01",
        status=CommissioningLine.Status.COMMISSIONED,
        start=DAY(2017, 4, 1),
        end=DAY(2017, 9, 20),
    )
    ProgressUpdateFactory(line=line, date=DAY(2017, 9, 1))

    found = sources.commissioning(partnership_a, DAY(2017, 9, 1))

    assert found["warnings"] == [
        "CI 01: the contract ends on 20 September 2017, within three months."
    ]


# The quick update's message ----------------------------------------------------------------


def test_the_quick_updates_message_gives_the_status_saved_not_the_one_posted(
    client, partnership_a, officer_a
):
    from django.contrib.messages import get_messages

    action = ActionFactory(
        objective=ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership_a))
    )
    today = timezone.localdate()
    services.action_update_add(action=action, status="red", text="Late.", by=None, date=today)
    shown = "red"  # the page showed red; someone then saves green
    services.action_update_add(action=action, status="green", text="Done.", by=None, date=today)
    client.force_login(officer_a)

    response = client.post(
        action.get_absolute_url(),
        {
            f"initial-a{action.pk}-status": shown,
            f"a{action.pk}-status": shown,  # left as shown: the stored status stands
            f"a{action.pk}-text": "Checked the figures.",
        },
    )

    action.refresh_from_db()
    assert response.status_code == 302 and action.status == "green"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Action {action.reference} is now Green."
    ]


# Calendar-year partnerships -----------------------------------------------------------------


@pytest.fixture
def calendar_year(partnership_a):
    partnership_a.fy_start_month = 1
    partnership_a.save()
    return partnership_a


def test_a_calendar_year_partnerships_streams_lines_and_plans_say_the_year_as_it_does(
    calendar_year,
):
    from tests.factories import CommissioningLineFactory, FundingStreamFactory

    stream = FundingStreamFactory(
        partnership=calendar_year, source="PCC grant", financial_year=2024
    )
    line = CommissioningLineFactory(
        partnership=calendar_year, funding_stream=stream, reference="CI 01", financial_year=2024
    )
    plan = ActionPlanFactory(partnership=calendar_year, title="Plan", financial_year=2024)

    assert (str(stream), str(line), str(plan)) == ("PCC grant 2024", "CI 01 2024", "Plan (2024)")


def test_a_calendar_year_partnerships_commissioning_import_names_its_year(calendar_year):
    from tests.integration.test_commissioning import _tables

    funding = "partnership,financial_year,source,amount\npartnership-a,2024,PCC grant,1000\n"
    lines = (
        "partnership,financial_year,reference,area_of_need,recommendation,theme_group,"
        "provider,funding_source,contribution,total_budget,start,end,status\n"
        "partnership-a,2025,CI 01,Need,,,,PCC grant,tbc,,,,proposed\n"
    )

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_tables(_tables(funding, lines), by=None)

    assert "commissioning.csv row 2: there is no funding stream 'PCC grant' for 2025" in (
        failed.value.report.errors
    )


# Import errors keep proper names ------------------------------------------------------------


def test_an_import_refusal_keeps_the_partnerships_name_as_it_is_written(
    tmp_path, valley, officer_a
):
    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",Plan,", ",PLAN,"))

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path, by=officer_a)

    assert failed.value.report.errors == [
        "actions.csv row 2: Partnership A already has a plan called 'Plan', which differs "
        "from 'PLAN' only in capitals: use that plan, or choose another title"
    ]


# Line breaks and where the older-update note points ----------------------------------------


def test_an_update_typed_with_windows_line_breaks_imports_back_as_the_same(
    tmp_path, valley, officer_a
):
    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    action = Action.objects.get(reference="2.2")
    # As a browser posts it, stored before updates kept one kind of line break.
    ActionUpdate.objects.filter(action=action).update(text="Not progressed.\r\nReview in March. ")
    Action.objects.filter(pk=action.pk).update(latest_update="Not progressed.\r\nReview in March.")
    row = ACTION_ROWS[1].replace("Not progressed.", '"Not progressed.\nReview in March."')
    _write(tmp_path, "actions", row)

    report = _import(tmp_path, by=officer_a)

    assert (report.updated["actions"], report.unchanged["actions"]) == (0, 1)
    assert action.updates.count() == 1


def test_an_update_is_stored_with_one_kind_of_line_break(valley, officer_a):
    action = ActionFactory(objective__plan__partnership=valley)

    update = services.action_update_add(
        action=action,
        status="green",
        text="Agreed.\r\nNext: review.\r\n",
        by=officer_a,
        date=DAY(2016, 6, 1),
    )

    assert update.text == "Agreed.\nNext: review."


def _older_row() -> str:
    return ACTION_ROWS[1].replace("red", "green").replace("2007-01-25", "2007-02-10")


def test_a_dry_run_says_an_older_update_would_be_added(tmp_path, valley, officer_a):
    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    action = Action.objects.get(reference="2.2")
    services.action_update_add(
        action=action, status="amber", text="Under way.", by=officer_a, date=DAY(2007, 3, 1)
    )
    _write(tmp_path, "actions", _older_row())

    report = importing.import_path(tmp_path, by=officer_a, source="import", dry_run=True)

    assert (
        "actions.csv row 2: the update of 2007-02-10 would be added to action 2.2's history "
        "but does not change its status, as its latest update is of 2007-03-01."
    ) in report.summary()


def test_the_older_update_note_names_a_workbooks_sheet(tmp_path, valley, officer_a):
    from openpyxl import Workbook

    from actions.transfer import COLUMNS

    _write(tmp_path, "actions", *ACTION_ROWS)
    _import(tmp_path, by=officer_a)
    action = Action.objects.get(reference="2.2")
    services.action_update_add(
        action=action, status="amber", text="Under way.", by=officer_a, date=DAY(2007, 3, 1)
    )
    book = Workbook()
    sheet = book.active
    sheet.title = "actions"
    sheet.append(COLUMNS["actions"])
    sheet.append(next(csv.reader([_older_row()])))
    path = tmp_path / "plan.xlsx"
    book.save(path)

    report = _import(path, by=officer_a)

    assert "sheet 'actions' row 2: the update of 2007-02-10 was added" in report.summary()


# A recommendation's meeting date follows its meeting -------------------------------------


def test_moving_a_meeting_in_the_admin_moves_its_recommendations(client, admin_user, partnership_a):
    from django.urls import reverse

    from actions.models import ActionsChange, Recommendation
    from tests.factories import MeetingFactory
    from tests.factories.actions import RecommendationFactory

    meeting = MeetingFactory(partnership=partnership_a, date=DAY(2017, 3, 2))
    made_there = RecommendationFactory(
        partnership=partnership_a, meeting=meeting, meeting_date=meeting.date
    )
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:core_meeting_change", args=[meeting.pk]),
        {
            "partnership": partnership_a.pk,
            "kind": meeting.kind,
            "title": meeting.title,
            "date": "2017-03-09",
            "location": "",
            "theme_group": "",
        },
    )

    assert response.status_code == 302
    made_there = Recommendation.objects.get(pk=made_there.pk)
    assert made_there.meeting_date == DAY(2017, 3, 9)
    made_there.full_clean()  # it can be saved again as it is
    change = ActionsChange.objects.get(object_id=made_there.pk)
    assert (change.source, change.old["meeting_date"], change.new["meeting_date"]) == (
        "meeting date changed",
        "2017-03-02",
        "2017-03-09",
    )
