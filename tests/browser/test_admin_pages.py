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


def test_a_partnerships_change_page_fits_a_1280_pixel_screen(
    page, live_server, admin_user, partnership_a, officer_a
):
    """Review finding: at 1,280 pixels the page scrolled sideways (to 1,394-1,695 px), its
    meetings' Location and Delete columns and memberships' Job title and Delete columns
    off the screen, each meeting's theme group box naming the partnership again."""
    from csp_portal.core.models import Meeting, Membership, ThemeGroup

    group = ThemeGroup.objects.create(
        partnership=partnership_a, name="Safer Streets and Night-Time Economy"
    )
    Meeting.objects.create(
        partnership=partnership_a,
        theme_group=group,
        kind=Meeting.Kind.choices[0][0],
        title="Quarterly performance review of the partnership plan",
        date="2016-10-12",
        location="Council House, Committee Room 2",
    )
    Membership.objects.filter(user=officer_a).update(
        job_title="Community Safety Partnership Coordinator"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, admin_user.username)
    page.goto(f"{live_server.url}/admin/core/partnership/{partnership_a.pk}/change/")
    page.wait_for_load_state("load")

    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shown = page.locator("select[name='meetings-0-theme_group'] option:checked").inner_text()
    assert shown == "Safer Streets and Night-Time Economy"
