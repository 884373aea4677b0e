"""The admin's pages, as administrators use them: axe-core on a form with autocomplete
boxes and on pages with breadcrumbs and filters. The admin is Django's own, laid out for
wide screens: no reflow check."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rows_with_inlines(partnership_a, officer_a):
    """A row of each admin change page whose inlines are tables: a partnership with theme
    groups, members and a meeting; a plan with objectives; an action with an update; an
    indicator with a target; a progress update with outputs."""
    from actions import services
    from csp_portal.core.models import ThemeGroup
    from tests.factories import (
        IndicatorFactory,
        MeetingFactory,
        MembershipFactory,
        ProgressOutputFactory,
        TargetFactory,
    )
    from tests.factories.actions import ActionFactory, ObjectiveFactory

    group = ThemeGroup.objects.create(partnership=partnership_a, name="Violence")
    MembershipFactory(partnership=partnership_a)
    MeetingFactory(partnership=partnership_a, theme_group=group)
    action = ActionFactory(objective__plan__partnership=partnership_a)
    ObjectiveFactory(plan=action.plan)
    services.action_update_add(
        action=action, status="amber", text="Begun", by=officer_a, date=datetime.date(2016, 7, 1)
    )
    output = ProgressOutputFactory(update__line__partnership=partnership_a)
    return {
        "partnership": partnership_a.pk,
        "plan": action.plan.pk,
        "action": action.pk,
        "indicator": TargetFactory(
            indicator=IndicatorFactory(partnership=partnership_a)
        ).indicator.pk,
        "update": output.update.pk,
    }


@pytest.mark.parametrize(
    "url",
    [
        "/admin/actions/action/add/",  # autocomplete boxes: single and many
        "/admin/actions/",  # breadcrumbs
        "/admin/indicators/actual/",  # filters
        # Inlines laid out as tables: a box in each column of each row.
        "/admin/core/partnership/{partnership}/change/",
        "/admin/actions/actionplan/{plan}/change/",
        "/admin/actions/action/{action}/change/",
        "/admin/indicators/indicator/{indicator}/change/",
        "/admin/commissioning/progressupdate/{update}/change/",
    ],
)
def test_admin_pages_have_no_serious_accessibility_problems(
    page, live_server, admin_user, rows_with_inlines, url
):
    """Review findings: the autocomplete boxes had no accessible name (their combobox was
    labelled by the empty choice shown, their search box by nothing), and the breadcrumbs'
    and filters' links could not be told from the text around them. The boxes of an
    inline's table rows had no name at all (a column heading is no label): a partnership's
    page had 68 of them, and a select of a role for each member."""
    sign_in(page, live_server, admin_user.username)
    page.goto(f"{live_server.url}{url.format(**rows_with_inlines)}")
    expect(page.locator("#content")).to_be_visible()
    page.wait_for_load_state("load")

    assert_accessible(page, reflow=False)


def test_a_partnerships_many_meetings_link_to_their_list_accessibly(
    page, live_server, admin_user, rows_with_inlines, monkeypatch
):
    from csp_portal.core.admin import MeetingInline

    monkeypatch.setattr(MeetingInline, "rows_listed", 0)
    sign_in(page, live_server, admin_user.username)
    page.goto(
        f"{live_server.url}/admin/core/partnership/{rows_with_inlines['partnership']}/change/"
    )
    page.wait_for_load_state("load")

    assert_accessible(page, reflow=False)
    page.get_by_role("link", name="See and change its 1 meeting").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)


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


def test_rows_added_to_an_inline_name_their_boxes_by_their_number(
    page, live_server, admin_user, partnership_a, officer_a
):
    """A row added to an inline's table is a copy of its template row ("Name, new theme
    group"): the page numbers it as it numbers its own rows, and again when a row added
    before it is removed."""
    from csp_portal.core.models import ThemeGroup

    ThemeGroup.objects.create(partnership=partnership_a, name="Violence")
    sign_in(page, live_server, admin_user.username)
    page.goto(f"{live_server.url}/admin/core/partnership/{partnership_a.pk}/change/")
    page.wait_for_load_state("load")

    add_group = page.locator("#theme_groups-group .add-row a")
    add_group.click()
    add_group.click()
    page.locator("#memberships-group .add-row a").click()

    expect(page.locator("#id_theme_groups-2-name")).to_have_attribute(
        "aria-label", "Name, theme group 3"
    )
    expect(page.locator("#memberships-1 .field-user .select2-selection")).to_have_attribute(
        "aria-label", "User, membership 2"
    )
    page.locator("#theme_groups-1 .inline-deletelink").click()
    expect(page.locator("#id_theme_groups-1-name")).to_have_attribute(
        "aria-label", "Name, theme group 2"
    )
    assert_accessible(page, reflow=False)
