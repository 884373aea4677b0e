"""The admin's pages, as administrators use them: axe-core on a form with autocomplete
boxes and on pages with breadcrumbs and filters. The admin is Django's own, laid out for
wide screens: no reflow check."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/actions/action/add/",  # autocomplete boxes: single and many
        "/admin/actions/",  # breadcrumbs
        "/admin/indicators/actual/",  # filters
    ],
)
def test_admin_pages_have_no_serious_accessibility_problems(page, live_server, admin_user, url):
    """Review finding: the autocomplete boxes had no accessible name (their combobox was
    labelled by the empty choice shown, their search box by nothing), and the breadcrumbs'
    and filters' links could not be told from the text around them."""
    sign_in(page, live_server, admin_user.username)
    page.goto(f"{live_server.url}{url}")
    expect(page.locator("#content")).to_be_visible()
    page.wait_for_load_state("load")

    assert_accessible(page, reflow=False)
