"""Two editors with the same report open in a real browser: each keeps what they changed,
and text of several lines, as the browser sends it back, is no change of its own."""

import pytest

from reports.models import Report
from tests.browser.conftest import sign_in
from tests.factories import MembershipFactory, PartnershipFactory, ReportFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_editors_in_two_tabs_each_keep_their_change(browser, live_server):
    partnership = PartnershipFactory(name="Safer Plymouth", slug="safer-plymouth")
    officer = MembershipFactory(
        user=UserFactory(username="olu"), partnership=partnership, role="officer"
    ).user
    report = ReportFactory(
        partnership=partnership,
        executive_summary="First paragraph.\nSecond paragraph.",
        risks="One risk.\nAnother risk.",
    )
    url = f"{live_server.url}/p/safer-plymouth/reports/{report.pk}/edit/"
    context = browser.new_context()
    first = context.new_page()
    sign_in(first, live_server, officer.username)
    second = context.new_page()
    first.goto(url)
    second.goto(url)

    first.get_by_label("Executive summary").fill("A new summary.\nWith two lines.")
    first.get_by_role("button", name="Save and preview").click()
    first.wait_for_url(f"**/reports/{report.pk}/preview/")
    second.get_by_label("Title").fill("Renamed by the second")
    second.get_by_role("button", name="Save and preview").click()
    second.wait_for_url(f"**/reports/{report.pk}/preview/")

    report = Report.objects.get(pk=report.pk)
    assert report.title == "Renamed by the second"
    assert report.executive_summary.replace("\r\n", "\n") == "A new summary.\nWith two lines."
    assert report.risks.replace("\r\n", "\n") == "One risk.\nAnother risk."
    context.close()
