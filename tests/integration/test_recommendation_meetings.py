"""A recommendation's meeting is any meeting of its partnership (the admin may link a
board meeting). The site's form offers, and recommendations.csv finds by its date, a
scrutiny panel's meeting, where recommendations are made; both keep the meeting a
recommendation has, whatever its kind, while its meeting date is that meeting's."""

import csv
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import transfer
from actions.models import Recommendation
from csp_portal.core.models import Meeting
from tests.factories import MeetingFactory
from tests.factories.actions import RecommendationFactory
from tests.integration.test_actions_transfer import _import, _write

pytestmark = pytest.mark.django_db

DAY = datetime.date(2017, 1, 24)
FORM = {
    "meeting_date": "24/01/2017",
    "reference": "SP1",
    "recommendation": "Report hate crime by ward",
    "assigned_to": "Chair",
    "response": "",
    "status": "awaiting_response",
    "due": "",
}


@pytest.fixture
def board(partnership_a):
    return MeetingFactory(
        partnership=partnership_a, date=DAY, kind=Meeting.Kind.BOARD, title="Board"
    )


@pytest.fixture
def at_the_board(partnership_a, board):
    """A recommendation linked to a board meeting, as the admin may link it."""
    return RecommendationFactory(
        partnership=partnership_a,
        meeting=board,
        meeting_date=DAY,
        reference="SP1",
        recommendation=FORM["recommendation"],
        assigned_to="Chair",
    )


def test_the_admin_links_a_recommendation_to_a_meeting_of_any_kind(
    client, admin_user, partnership_a, board
):
    client.force_login(admin_user)
    form = {**FORM, "meeting_date": "2017-01-24", "partnership": partnership_a.pk}

    response = client.post(
        reverse("admin:actions_recommendation_add"), {**form, "meeting": board.pk}
    )

    assert response.status_code == 302
    assert Recommendation.objects.get().meeting == board


def test_a_new_recommendation_is_offered_the_panels_meetings_only(
    client, officer_a, partnership_a, board
):
    panel = MeetingFactory(partnership=partnership_a, date=DAY)
    client.force_login(officer_a)

    form = client.get(reverse("actions:recommendation_create", args=["partnership-a"]))

    assert list(form.context["form"].fields["meeting"].queryset) == [panel]


def test_a_recommendation_of_a_board_meeting_keeps_it_when_changed_on_its_page(
    client, officer_a, partnership_a, at_the_board, board
):
    """Review finding: the form offered no board meeting, so the stored one was not shown,
    and saving a response cleared it ("Someone else changed the meeting since you opened
    this page", then lost)."""
    MeetingFactory(partnership=partnership_a, date=DAY, kind=Meeting.Kind.BOARD)  # another
    panel = MeetingFactory(partnership=partnership_a, date=DAY)
    client.force_login(officer_a)
    url = reverse("actions:recommendation_edit", args=["partnership-a", at_the_board.pk])

    form = client.get(url).context["form"]
    shown = {**FORM, "meeting": str(form["meeting"].value())}
    response = client.post(
        url,
        {
            **{f"initial-{name}": value for name, value in shown.items()},
            **shown,
            "response": "Agreed.",
        },
    )

    assert set(form.fields["meeting"].queryset) == {board, panel}
    assert response.status_code == 302
    at_the_board.refresh_from_db()
    assert (at_the_board.meeting, at_the_board.response) == (board, "Agreed.")


def _export(partnership, folder) -> None:
    with (folder / "recommendations.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(transfer.COLUMNS["recommendations"])
        writer.writerows(transfer.export_recommendations(partnership))


def test_a_recommendation_of_a_board_meeting_keeps_it_through_its_own_export(
    tmp_path, officer_a, partnership_a, at_the_board, board
):
    """Review finding: recommendations.csv found only a panel's meeting by the date, so
    importing a recommendation's own export unlinked its board meeting."""
    MeetingFactory(partnership=partnership_a, date=DAY)  # the panel met that day too
    _export(partnership_a, tmp_path)

    report = _import(tmp_path, by=officer_a)

    at_the_board.refresh_from_db()
    assert at_the_board.meeting == board
    assert report.unchanged["recommendations"] == 1


def test_an_import_finds_a_panels_meeting_by_its_date_never_a_boards(
    tmp_path, officer_a, partnership_a, at_the_board, board
):
    """A new recommendation on the board meeting's day is linked to no meeting; one moved
    to another day is linked to the panel's meeting of that day."""
    panel = MeetingFactory(partnership=partnership_a, date=datetime.date(2017, 2, 7))
    _write(
        tmp_path,
        "recommendations",
        "partnership-a,SP1,2017-02-07,Report hate crime by ward,Chair,,,",
        "partnership-a,SP2,2017-01-24,Review the CCTV contract,Chair,,,",
    )

    _import(tmp_path, by=officer_a)

    meetings = dict(Recommendation.objects.values_list("reference", "meeting"))
    assert meetings == {"SP1": panel.pk, "SP2": None}


def _create(client, data):
    return client.post(reverse("actions:recommendation_create", args=["partnership-a"]), data)


def test_a_new_recommendation_with_a_meeting_chosen_takes_its_date(
    client, officer_a, partnership_a
):
    panel = MeetingFactory(partnership=partnership_a, date=DAY)
    client.force_login(officer_a)

    response = _create(client, {**FORM, "meeting": panel.pk, "meeting_date": ""})

    assert response.status_code == 302
    stored = Recommendation.objects.get()
    assert (stored.meeting, stored.meeting_date) == (panel, DAY)


def test_a_new_recommendation_with_no_meeting_needs_its_date(client, officer_a, partnership_a):
    MeetingFactory(partnership=partnership_a, date=DAY)
    client.force_login(officer_a)

    response = _create(client, {**FORM, "meeting": "", "meeting_date": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["meeting_date"] == [
        "Enter the meeting date, or choose the meeting."
    ]
    assert not Recommendation.objects.exists()


def test_the_recommendation_form_says_a_chosen_meeting_gives_the_date(
    client, officer_a, partnership_a
):
    client.force_login(officer_a)

    form = client.get(reverse("actions:recommendation_create", args=["partnership-a"]))

    assert "leave it blank to use the meeting's date" in (
        form.context["form"].fields["meeting_date"].help_text
    )


def test_the_due_date_example_is_a_date_the_form_takes(client, officer_a, partnership_a):
    # "For example, 25/08/2007" was refused: a recommendation cannot be due before its meeting.
    made = RecommendationFactory(partnership=partnership_a, meeting_date=DAY, reference="SP2")
    client.force_login(officer_a)

    new = client.get(reverse("actions:recommendation_create", args=["partnership-a"]))
    changed = client.get(reverse("actions:recommendation_edit", args=["partnership-a", made.pk]))

    today = timezone.localdate().strftime("%d/%m/%Y")
    assert new.context["form"].fields["due"].help_text == f"For example, {today}."
    due = changed.context["form"].fields["due"]
    assert due.help_text == "For example, 24/01/2017."
    assert due.error_messages["invalid"] == "Enter the due date as a real date, like 24/01/2017."


def test_the_admin_takes_a_chosen_meetings_date_as_the_site_does(
    client, admin_user, partnership_a, board
):
    client.force_login(admin_user)
    url = reverse("admin:actions_recommendation_add")
    form = {**FORM, "partnership": partnership_a.pk, "meeting_date": ""}

    neither = client.post(url, {**form, "meeting": ""})
    chosen = client.post(url, {**form, "meeting": board.pk})

    assert neither.context["adminform"].form.errors["meeting_date"] == [
        "Enter the meeting date, or choose the meeting."
    ]
    assert chosen.status_code == 302
    stored = Recommendation.objects.get()
    assert (stored.meeting, stored.meeting_date) == (board, DAY)
