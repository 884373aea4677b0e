"""The demo's risks, cross-theme issues and recommendations fit the page. At 1,100 px each
table is no wider than its box: no scrolling sideways to read a row (the risks table was
1,842 px). At 375 px each row stacks, every cell on the screen, and the page does not
scroll sideways either."""

import shutil

import pytest
from django.urls import reverse

from actions.demo import issues_load
from csp_portal.core import demo
from csp_portal.core.models import Membership, Partnership
from indicators.importing.run import import_path
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = ["actions:risks", "actions:issues", "actions:recommendations"]


@pytest.fixture
def demo_lists(tmp_path):
    """Safer Plymouth with the demo's risks, cross-theme issues and recommendations."""
    demo.core_load()
    data = demo.DEMO_DIR / "data"
    for name in ("risks.csv", "recommendations.csv"):
        shutil.copy(data / name, tmp_path / name)
    import_path(tmp_path, by=None, source="demo")
    issues_load(data / "cross_theme_issues.csv")
    partnership = Partnership.objects.get(slug=demo.DEMO_PARTNERSHIP)
    assert partnership.risks.count() and partnership.recommendations.count()
    officer = MembershipFactory(
        user=UserFactory(username="olu"), partnership=partnership, role=Membership.Role.OFFICER
    ).user
    return partnership, officer


# Each cell of the list's table that holds text, and how far it reaches past the window
# or its table's box on either side (0 when it is all in view).
CELLS_OUT_OF_VIEW_JS = """(width) => {
  const out = [];
  for (const cell of document.querySelectorAll("main table.govuk-table tbody :is(th, td)")) {
    const text = cell.innerText.trim();
    if (!text) continue;
    const r = cell.getBoundingClientRect();
    const box = cell.closest(".app-table-scroll").getBoundingClientRect();
    if (r.left < Math.max(0, box.left) - 1 || r.right > Math.min(width, box.right) + 1) {
      out.push(`${text.slice(0, 30)} (${Math.round(r.left)} to ${Math.round(r.right)})`);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("name", LISTS)
def test_the_list_fits_a_laptop_screen(page, live_server, demo_lists, name):
    partnership, officer = demo_lists
    page.set_viewport_size({"width": 1100, "height": 900})
    sign_in(page, live_server, officer.username)
    page.goto(live_server.url + reverse(name, args=[partnership.slug]))

    table = page.locator("main table.govuk-table")
    assert table.locator("tbody tr").count() >= 4
    widths = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert widths[0] <= widths[1], f"the table is {widths[0]} px wide in a {widths[1]} px box"
    assert page.evaluate(CELLS_OUT_OF_VIEW_JS, 1100) == []
    assert_accessible(page)


@pytest.mark.parametrize("name", LISTS)
def test_the_list_stacks_on_a_phone(page, live_server, demo_lists, name):
    partnership, officer = demo_lists
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, officer.username)
    page.goto(live_server.url + reverse(name, args=[partnership.slug]))

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    table = page.locator("main table.govuk-table")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    assert page.evaluate(CELLS_OUT_OF_VIEW_JS, 375) == []
    assert_accessible(page)
