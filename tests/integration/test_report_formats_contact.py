"""The "another format" statement of a report's files: an address to write to even when
the cover sheet gives none, and the accessibility statement's full address (a PDF or Word
file has no site around it to link from)."""

import pytest

from reports import services
from reports.models import Report
from tests.factories import MembershipFactory, ReportFactory, UserFactory
from tests.factories.series import hate_crime_indicator

STATEMENT = "If you need this report in another format, such as large print or audio, ask"


@pytest.fixture
def report_a(partnership_a):
    hate_crime_indicator(partnership_a)
    return ReportFactory(
        partnership=partnership_a, title="Hate crime update", contact_officer="Jo Bloggs"
    )


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://csp.example.gov.uk"
    settings.ACCESSIBILITY_CONTACT = ""
    return settings


def _publish(report):
    return services.report_publish(report=report, by=None).version


@pytest.mark.django_db
def test_the_files_give_the_accessibility_contact_without_a_contact_email(site, report_a):
    site.ACCESSIBILITY_CONTACT = "access@example.gov.uk"

    html = _publish(report_a).html

    mailto = '<a class="govuk-link" href="mailto:access@example.gov.uk">access@example.gov.uk</a>'
    assert f"{STATEMENT} the contact officer (Jo Bloggs), or email {mailto}." in html


@pytest.mark.django_db
def test_the_files_give_the_coordinators_address_without_any_other(site, report_a):
    MembershipFactory(
        user=UserFactory(username="coordinator-a", email="coordinator@example.gov.uk"),
        partnership=report_a.partnership,
        role="coordinator",
    )
    MembershipFactory(
        user=UserFactory(username="officer-x", email="officer@example.gov.uk"),
        partnership=report_a.partnership,
        role="officer",
    )

    html = _publish(report_a).html

    assert "or email <a class" in html and "coordinator@example.gov.uk</a>." in html
    assert "officer@example.gov.uk" not in html


@pytest.mark.django_db
def test_the_contact_email_comes_first(site, report_a):
    site.ACCESSIBILITY_CONTACT = "access@example.gov.uk"
    Report.objects.filter(pk=report_a.pk).update(contact_email="csp@example.gov.uk")
    report_a.refresh_from_db()

    html = _publish(report_a).html

    assert f"{STATEMENT} the contact officer (Jo Bloggs) by email at <a" in html
    assert "access@example.gov.uk" not in html


@pytest.mark.django_db
def test_the_files_give_the_accessibility_statements_full_address(site, report_a):
    html = _publish(report_a).html

    url = "https://csp.example.gov.uk/accessibility/"
    assert (
        f'The accessibility statement is at <a class="govuk-link" href="{url}">{url}</a>.'
    ) in html


@pytest.mark.django_db
def test_publishing_warns_when_the_cover_sheet_gives_no_contact_email(site, report_a):
    site.ACCESSIBILITY_CONTACT = "access@example.gov.uk"
    snapshot = services.report_snapshot(report_a)

    lines = services.publish_check_lines(services.publish_checks(report_a, snapshot), snapshot)

    assert any(
        "a contact email (for another format the files will ask readers to email "
        "access@example.gov.uk)" in line
        for line in lines
    ), lines

    site.ACCESSIBILITY_CONTACT = ""
    snapshot = services.report_snapshot(report_a)
    lines = services.publish_check_lines(services.publish_checks(report_a, snapshot), snapshot)
    assert any(
        "a contact email (the files give no address to ask for another format)" in line
        for line in lines
    ), lines


@pytest.mark.django_db
def test_the_publish_page_warns_when_the_cover_sheet_gives_no_contact_email(
    client, site, report_a, officer_a
):
    client.force_login(officer_a)

    page = client.get(f"{report_a.get_absolute_url()}publish/").content.decode()

    assert "a contact email (the files give no address to ask for another format)" in page
