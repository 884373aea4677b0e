"""What an editor may change once a report is published, and what the cover sheet accepts.

A published version keeps the title, meeting and exemption it was published with: a later
edit of the draft reaches the next version only, and never releases an exempt version to
the public. Its month and theme group are fixed, since its versions lock those figures.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports import services
from reports.models import Report, schedule_12a_paragraphs, wards_affected
from tests.factories import MeetingFactory, ReportFactory
from tests.factories.series import hate_crime_indicator

SECTIONS = [
    "key_findings",
    "successes",
    "performance",
    "actions",
    "commissioning",
    "risks",
    "definitions",
]


def _form(**changes) -> dict:
    form = {
        "title": "Quarterly update",
        "period": "2016-11",
        "meeting_kind": "scrutiny_panel",
        "meeting_date": "2017-01-24",
        "wards": "All",
        "purpose": "noting",
        "recommendations": "To note the update",
        "shown": SECTIONS,
        **{f"order_{key}": str(i + 1) for i, key in enumerate(SECTIONS)},
    }
    return form | changes


def _shown(**stored) -> dict:
    """What the edit page of the published fixture showed (initial-*), posted back with it."""
    return {f"initial-{k}": v for k, v in _form(title="Exempt update", **stored).items()}


@pytest.fixture
def published(partnership_a):
    hate_crime_indicator(partnership_a)
    report = ReportFactory(
        partnership=partnership_a, title="Exempt update", exempt=True, exempt_paragraph="3"
    )
    services.report_publish(report=report, by=None, documents=False)
    partnership_a.reports_public = True
    partnership_a.save()
    return report


@pytest.mark.django_db
def test_unticking_exempt_on_the_draft_does_not_release_the_exempt_version(
    client, officer_a, published
):
    client.force_login(officer_a)
    edit = reverse("reports:edit", args=["partnership-a", published.pk])
    response = client.post(
        edit, _form(title="Renamed draft") | _shown(exempt="True", exempt_paragraph="3")
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.exempt, published.title) == (False, "Renamed draft")
    client.logout()

    for name in ("reports:detail", "reports:csv"):
        assert client.get(reverse(name, args=["partnership-a", published.pk])).status_code == 404
    assert (
        b"Exempt update" not in client.get(reverse("reports:list", args=["partnership-a"])).content
    )

    # Published again, not exempt: that version reaches the public, the first still not.
    services.report_publish(report=published, by=None, reason="No longer exempt", documents=False)
    assert (
        client.get(reverse("reports:detail", args=["partnership-a", published.pk])).status_code
        == 200
    )
    first = reverse("reports:version", args=["partnership-a", published.pk, 1])
    assert client.get(first).status_code == 404
    csv = reverse("reports:csv", args=["partnership-a", published.pk])
    assert client.get(csv, {"version": "1"}).status_code == 404
    assert client.get(csv, {"version": "2"}).status_code == 200


@pytest.mark.django_db
def test_versions_keep_their_own_title_and_meeting_in_the_list_and_page(
    client, officer_a, panel_a, published
):
    Report.objects.filter(pk=published.pk).update(exempt=False)
    client.force_login(officer_a)
    edit = reverse("reports:edit", args=["partnership-a", published.pk])
    client.post(
        edit,
        _form(title="Renamed draft", meeting_date="2017-03-01", exempt="on", exempt_paragraph="3")
        | _shown(),
    )

    client.force_login(panel_a)
    listed = client.get(reverse("reports:list", args=["partnership-a"])).content.decode()
    page = client.get(
        reverse("reports:detail", args=["partnership-a", published.pk])
    ).content.decode()
    assert "Exempt update" in listed and "Renamed draft" not in listed
    assert "24 January 2017" in listed and "1 March 2017" not in listed
    assert "<title>Exempt update" in page and "Renamed draft" not in page
    # An editor is told the draft has changed since.
    client.force_login(officer_a)
    assert (
        "Draft changed since"
        in client.get(reverse("reports:list", args=["partnership-a"])).content.decode()
    )


@pytest.mark.django_db
def test_a_published_reports_month_and_theme_group_are_fixed(client, officer_a, published):
    client.force_login(officer_a)
    edit = reverse("reports:edit", args=["partnership-a", published.pk])
    assert "Fixed once a version is published" in client.get(edit).content.decode()
    client.post(edit, _form(period="2016-06", exempt="on", exempt_paragraph="3"))
    published.refresh_from_db()
    assert published.period == datetime.date(2016, 11, 1)


@pytest.mark.django_db
def test_an_older_version_does_not_offer_to_publish_again(client, officer_a, published):
    from decimal import Decimal

    from indicators import services as figure_services
    from indicators.models import Indicator

    services.report_publish(report=published, by=None, reason="Published again", documents=False)
    figure_services.actuals_save(
        entries=[
            figure_services.FigureInput(
                Indicator.objects.get(), datetime.date(2016, 10, 1), Decimal(999)
            )
        ],
        by=None,
        reason="revised by police",
    )
    client.force_login(officer_a)
    older = client.get(reverse("reports:version", args=["partnership-a", published.pk, 1]))
    latest = client.get(reverse("reports:detail", args=["partnership-a", published.pk]))
    assert b"Figures revised" in older.content and b"Figures revised" in latest.content
    assert b"Publish a new version" not in older.content
    assert b"Publish a new version" in latest.content


@pytest.mark.django_db
def test_a_version_that_is_not_a_number_is_not_found(client, officer_a, published):
    client.force_login(officer_a)
    csv = reverse("reports:csv", args=["partnership-a", published.pk])
    assert client.get(csv, {"version": "-1"}).status_code == 404
    assert client.get(csv, {"version": "x"}).status_code == 404
    assert client.get(csv, {"version": "1"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period": "2999-01"}, "January 2999 has not started yet"),
        ({"meeting_date": "2011-01-20"}, "is before the figures&#x27; month (November 2016)"),
        ({"exempt": "on", "exempt_paragraph": "99"}, "1 to 7 in England, 12 to 18 in Wales"),
        ({"wards": ",,;;  ,"}, "Enter &quot;All&quot;, or the wards affected by name"),
        ({"wards": "All, Stoke"}, "Enter &quot;All&quot; on its own"),
        ({"wards": ""}, "Enter &quot;All&quot;, or the wards affected by name"),
        ({"recommendations": ""}, "Enter at least one recommendation"),
    ],
)
def test_the_cover_sheet_refuses_what_no_council_would_print(
    client, partnership_a, officer_a, changes, message
):
    client.force_login(officer_a)
    response = client.post(reverse("reports:create", args=["partnership-a"]), _form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_date_that_is_no_date_is_said_once(client, partnership_a, officer_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("reports:create", args=["partnership-a"]), _form(meeting_date="2016-02-30")
    )
    text = response.content.decode()
    assert "Enter a valid date" in text
    assert "Choose a meeting, or give the kind of meeting and its date" not in text


def test_schedule_12a_paragraphs_and_wards_are_written_one_way():
    assert schedule_12a_paragraphs("para 3") == "3"
    assert schedule_12a_paragraphs("3, 4") == "3 and 4"
    assert schedule_12a_paragraphs("14") == "14"
    # The Schedule's own number and the Act's year are no paragraphs.
    assert schedule_12a_paragraphs("Paragraph 3 of Schedule 12A") == "3"
    assert schedule_12a_paragraphs("paragraph 3, Local Government Act 1972") == "3"
    assert wards_affected("All wards") == "All"
    for nothing in ("N/A", "None"):
        with pytest.raises(ValidationError):
            wards_affected(nothing)
    assert wards_affected("all") == "All"
    assert wards_affected("Stoke; Devonport\nPeverell") == "Stoke, Devonport, Peverell"


@pytest.mark.django_db
def test_an_overview_covers_at_least_two_partnerships(client, partnership_a, officer_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("reports:create", args=["partnership-a"]) + "?kind=overview",
        _form(kind="overview", covers=[partnership_a.pk]),
    )
    assert "An overview covers at least two partnerships" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_sign_off_without_the_implication_it_signs_off_is_refused(
    client, partnership_a, officer_a
):
    # It was saved, and printed "Financial | Not recorded | Bob".
    client.force_login(officer_a)
    create = reverse("reports:create", args=["partnership-a"])

    response = client.post(create, _form(signoff_financial="Bob", implication_financial=" "))

    assert response.status_code == 200 and not Report.objects.exists()
    form = response.context["form"]
    message = "Enter the financial implications that Bob signed off, or remove the sign-off"
    assert form.errors == {"signoff_financial": [message]}
    page = response.content.decode()
    assert '<a href="#id_signoff_financial">' + message in page  # the error summary
    assert '<p id="id_signoff_financial-error" class="govuk-error-message">' in page
    # With the implication it signs off, it is saved.
    client.post(create, _form(signoff_financial="Bob", implication_financial="Within budget."))
    assert Report.objects.get().implications["financial"] == {
        "text": "Within budget.",
        "officer": "Bob",
    }


@pytest.mark.django_db
def test_two_editors_cannot_merge_a_sign_off_onto_an_implication_taken_away(partnership_a):
    """Review finding: one editor cleared the financial implications while another, whose
    page still showed them, signed them off; the merge stored a sign-off of nothing."""
    report = ReportFactory(
        partnership=partnership_a,
        implications={"financial": {"text": "Within budget.", "officer": ""}},
    )
    report.implications = {"financial": {"text": "", "officer": "Bob"}}

    with pytest.raises(ValidationError) as refused:
        report.full_clean()

    assert refused.value.message_dict["implications"] == [
        "Enter the financial implications that Bob signed off, or remove the sign-off"
    ]


@pytest.mark.django_db
def test_build_report_refuses_a_future_month_and_a_folder_it_cannot_write(partnership_a, tmp_path):
    with pytest.raises(CommandError, match="has not started yet"):
        call_command(
            "build_report", partnership="partnership-a", period="2999-01", stdout=io.StringIO()
        )
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(CommandError, match="Cannot"):
        call_command(
            "build_report",
            partnership="partnership-a",
            period="2016-11",
            publish=True,
            out=str(blocker / "out"),
            stdout=io.StringIO(),
        )
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_build_report_refused_for_a_future_month_makes_no_folder(partnership_a, tmp_path):
    out = tmp_path / "reports" / "2027-01"

    with pytest.raises(CommandError, match="has not started yet"):
        call_command(
            "build_report",
            partnership="partnership-a",
            period="2999-01",
            out=str(out),
            stdout=io.StringIO(),
        )

    assert list(tmp_path.iterdir()) == []
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_listed_meeting_and_a_typed_one_are_not_both_taken(client, partnership_a, officer_a):
    # Review finding: both were accepted; the typed kind and date were stored and ignored.
    meeting = MeetingFactory(partnership=partnership_a, date=datetime.date(2017, 1, 26))
    client.force_login(officer_a)
    url = reverse("reports:create", args=["partnership-a"])

    response = client.post(url, _form(meeting=str(meeting.pk)))

    assert (
        "Choose a listed meeting, or give the kind and date of one that is not listed, not both"
        in (response.content.decode())
    )
    assert not Report.objects.exists()
    client.post(url, _form(meeting=str(meeting.pk), meeting_kind="", meeting_date=""))
    assert Report.objects.get().meeting == meeting


@pytest.mark.django_db
def test_sections_at_one_position_are_each_told_which_other_is_there(
    client, partnership_a, officer_a
):
    # Review finding: "Give each section a different position" named neither section.
    client.force_login(officer_a)

    response = client.post(
        reverse("reports:create", args=["partnership-a"]), _form(order_performance="1")
    )

    form = response.context["form"]
    assert form.errors["order_key_findings"] == [
        "Key findings is at position 1, as Performance is: give each section a different "
        "position from 1 to 7"
    ]
    assert form.errors["order_performance"] == [
        "Performance is at position 1, as Key findings is: give each section a different "
        "position from 1 to 7"
    ]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_contact_email_must_be_an_email_address(client, officer_a, partnership_a):
    client.force_login(officer_a)
    create = reverse("reports:create", args=["partnership-a"])

    page = client.post(create, _form(contact_email="csp at example")).content.decode()

    assert "Enter the contact email in the correct format, like name@example.gov.uk" in page
    assert not Report.objects.exists()
    assert client.post(create, _form(contact_email="csp@example.gov.uk")).status_code == 302
    assert Report.objects.get().contact_email == "csp@example.gov.uk"
