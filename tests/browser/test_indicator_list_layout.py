"""The indicator list fits the GOV.UK page at 1280 px and reflows at 320 px (WCAG 1.4.10):
the table may scroll inside its own container, the page must not."""

import pytest

from csp_portal.core.models import Membership
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import IndicatorFactory, MembershipFactory, PartnershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 320])
def test_indicator_list_fits_the_page(page, live_server, width):
    partnership = PartnershipFactory(name="Safer Plymouth", slug="safer-plymouth")
    officer = MembershipFactory(
        user=UserFactory(username="olu"), partnership=partnership, role=Membership.Role.OFFICER
    ).user
    IndicatorFactory(
        partnership=partnership,
        code="NI 60",
        title="Core assessments for children's social care carried out within 35 working "
        "days of commencement",
    )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/p/safer-plymouth/indicators/")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    table = page.locator("table.govuk-table")
    if width == 1280:
        # Every column inside the page's width: nothing cut off at the right.
        box, container = table.bounding_box(), page.locator("main").bounding_box()
        assert box["x"] + box["width"] <= container["x"] + container["width"] + 1
    assert_accessible(page)
