"""A published report's tables on a phone and on a laptop, and its Tab stops: what a panel
member reads on screen (print.css and the PDF are tested apart)."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from reports import services
from reports.models import Report
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_report_journey import _on_a_phone, _published, _satisfaction, plymouth

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["plymouth"]  # the fixture, shared with the report's journey

STATIC = Path(settings.BASE_DIR) / "static"
# Each scroll box: whether its table runs past it, whether it is a Tab stop, its caption's
# and its own right edges.
SCROLL_BOXES_JS = """() => [...document.querySelectorAll('article .app-table-scroll')].map(box => ({
    label: box.getAttribute('aria-label'),
    overflows: box.scrollWidth > box.clientWidth,
    focusable: box.tabIndex === 0 && box.hasAttribute('tabindex'),
    captionRight: box.querySelector('caption').getBoundingClientRect().right,
    boxRight: box.getBoundingClientRect().right,
}))"""


def _overview(partnership) -> Report:
    """An overview of the one partnership, published: its headline tables."""
    report = services.report_save(
        report=Report(
            partnership=partnership,
            kind=Report.Kind.OVERVIEW,
            period=datetime.date(2016, 11, 1),
            title="Overview",
            meeting_kind="scrutiny_panel",
            meeting_date=datetime.date(2017, 1, 24),
        ),
        by=None,
        covers=[partnership],
    )
    services.report_publish(report=report, by=None, documents=False)
    return report


@pytest.mark.parametrize("kind", ["partnership", "overview"])
def test_a_reports_performance_tables_read_on_a_phone(page, live_server, plymouth, kind):
    """Review finding: at 375 px the performance tables ran 785 px wide in a 345 px box,
    their Change, Status and Direction off to the side, and their captions with them
    ("Indicators with targets, April to Noven")."""
    partnership, _, panel = plymouth
    _satisfaction(partnership)
    report = _published(partnership) if kind == "partnership" else _overview(partnership)
    _on_a_phone(page, live_server, panel.username, report)

    tables = page.locator(".app-report__summary, .app-report__headline")
    assert tables.count() == 2  # with a target, and monitored
    for table in tables.all():
        box = table.locator("xpath=..")
        assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), "it scrolls sideways"
    # Each figure, status and direction in sight, and named.
    status = page.locator("td[data-label='Status']").first
    status.scroll_into_view_if_needed()
    cell = status.bounding_box()
    assert cell["x"] >= 0 and cell["x"] + cell["width"] <= 375
    assert "Status:" in status.evaluate("td => getComputedStyle(td, '::before').content")
    assert status.locator(".govuk-tag").is_visible()
    direction = page.locator("td[data-label='Direction']").last
    direction.scroll_into_view_if_needed()
    assert direction.bounding_box()["x"] + direction.bounding_box()["width"] <= 375
    # An overview's partnerships side by side stack too, each count named.
    compared = page.locator(".app-report__compared")
    assert compared.count() == (2 if kind == "overview" else 0)
    for table in compared.all():
        assert table.locator("xpath=..").evaluate("b => b.scrollWidth <= b.clientWidth")
    if kind == "overview":
        green = page.locator(".app-report__compared td[data-label='Green']").first
        green.scroll_into_view_if_needed()
        assert green.bounding_box()["x"] + green.bounding_box()["width"] <= 375
        assert "Green:" in green.evaluate("td => getComputedStyle(td, '::before').content")
    # A table that still scrolls keeps its caption in the width of its box.
    boxes = page.evaluate(SCROLL_BOXES_JS)
    assert all(b["captionRight"] <= b["boxRight"] + 1 for b in boxes), boxes
    assert_accessible(page)


def test_a_wide_tables_caption_stays_in_view_on_a_phone(page, live_server, plymouth):
    partnership, _, panel = plymouth
    _on_a_phone(page, live_server, panel.username, _published(partnership))
    months = page.locator(".app-table-scroll:has(.app-report__months)").first
    months.scroll_into_view_if_needed()
    assert months.evaluate("b => b.scrollWidth > b.clientWidth")  # the month by month table

    caption = months.locator("caption")
    assert caption.bounding_box()["x"] + caption.bounding_box()["width"] <= 375
    months.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    assert caption.bounding_box()["x"] >= 0  # it stays put as the table scrolls


def test_only_a_table_that_scrolls_and_no_chart_is_a_tab_stop(page, live_server, plymouth):
    """Review finding: 35 of the report's 86 Tab stops did nothing: every table's box and
    every chart took the focus, though only one box scrolled."""
    partnership, _, panel = plymouth
    _satisfaction(partnership)
    report = _published(partnership)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, panel.username)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")

    charts = page.locator("[data-chart-id]")
    assert charts.count() == 2
    assert all(chart.get_attribute("tabindex") is None for chart in charts.all())
    wide = page.evaluate(SCROLL_BOXES_JS)
    assert wide and not any(b["focusable"] or b["overflows"] for b in wide), wide

    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_timeout(200)  # the ResizeObserver's turn
    narrow = page.evaluate(SCROLL_BOXES_JS)
    assert any(b["overflows"] for b in narrow)
    assert [b["focusable"] for b in narrow] == [b["overflows"] for b in narrow], narrow
    assert_accessible(page)  # scrollable-region-focusable among its rules

    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_timeout(200)
    assert not any(b["focusable"] for b in page.evaluate(SCROLL_BOXES_JS))


FAMILY = [
    {
        "title": "Overall crime",
        "code": "SP 01",
        "rate": 18.7,
        "per": "",
        "quarter": "Q2 2016/17",
        "sentence": "5th best of 15, up 1 place",
        "ytd_sentence": "5th best of 15, up 1 place",
        "peers": list(range(15)),
    },
    {
        "title": "Reduce violence with injury (excluding domestic abuse)",
        "code": "SP 03",
        "rate": 2.1,
        "per": "",
        "quarter": "Q2 2016/17",
        "sentence": "8th best of 15, unchanged",
        "ytd_sentence": "10th of 15 (6th worst), down 2 places",
        "peers": list(range(15)),
    },
]


def test_the_comparison_with_similar_areas_fits_a_laptops_page(page):
    """Review finding: at 1280 px Appendix B.2 ran 966 px wide in its 960 px box ("down 2
    places" cut off), the indicator's name squeezed to seven lines."""
    html = render_to_string(
        "reports/_context.html",
        {"c": {"parts": ["family"]}, "s": {"family": FAMILY, "period_label": "November 2016"}},
    )
    styles = "".join(
        f"<style>{(STATIC / name).read_text()}</style>"
        for name in (
            "vendor/govuk-frontend/govuk-frontend.min.css",
            "css/portal.css",
            "css/reports.css",
        )
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_content(
        f"<html><head>{styles}</head><body class='govuk-template__body'>"
        f"<div class='govuk-width-container'><main class='govuk-main-wrapper'>"
        f"<article class='app-report'>{html}</article></main></div></body></html>"
    )

    box = page.locator(".app-table-scroll")
    assert box.evaluate("b => b.clientWidth") == 960
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth")
    # The indicator's name on three lines at most (it had seven), its text's own height.
    lines = page.locator("th[scope='row']").last.evaluate(
        """th => { const words = document.createRange(); words.selectNodeContents(th);
            return words.getBoundingClientRect().height
                / parseFloat(getComputedStyle(th).lineHeight); }"""
    )
    assert lines <= 3
