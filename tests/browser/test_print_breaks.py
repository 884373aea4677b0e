"""Where Chromium breaks a printed report's pages (its own print, not WeasyPrint's PDF):
print.css's rules must be ones Chromium honours too."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

pytestmark = pytest.mark.browser

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "print.css"


def _printed_pages(page, body: str) -> list[str]:
    page.set_content(f"<html><head><style>{PRINT_CSS.read_text()}</style></head><body>{body}")
    pdf = page.pdf(format="A4")
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def _table(rows: int) -> str:
    body = "".join(
        f'<tr><th scope="row">Row{i:02d}</th><td>{i}</td></tr>' for i in range(1, rows + 1)
    )
    return (
        '<div class="app-table-scroll"><table class="govuk-table app-report__table">'
        "<caption>Monitored indicators</caption><thead><tr><th>Indicator</th><th>Figure</th>"
        f"</tr></thead><tbody>{body}</tbody></table></div>"
    )


# Review finding: printed from the browser, page 5 of the demo report ended with the
# "Monitored indicators" caption and header row, its rows on page 6: Chromium does not
# keep a row with the next by break-before on the second. Without the rule, spacers of
# 218 to 230 mm left the caption and header alone.
@pytest.mark.parametrize("rows", [5, 30])
@pytest.mark.parametrize("mm", [218, 224, 230])
def test_a_printed_table_never_leaves_its_caption_and_header_alone(page, rows, mm):
    pages = _printed_pages(page, f'<div style="height: {mm}mm"></div>{_table(rows)}')

    for words in pages:
        if "Monitored indicators" in words:
            assert "Row01" in words and "Row02" in words, pages


def _printed_report_page(page, body: str) -> None:
    """The body over the report page's own styles, laid out for paper as Chromium prints
    it: GOV.UK's and the portal's, then print.css (media="print")."""
    static = PRINT_CSS.parent.parent
    screen = "".join(
        f"<style>{(static / name).read_text()}</style>"
        for name in ("vendor/govuk-frontend/govuk-frontend.min.css", "css/portal.css")
    )
    page.set_viewport_size({"width": 643, "height": 900})  # A4's text width in print.css
    page.set_content(
        f"<html><head>{screen}<style media='print'>{PRINT_CSS.read_text()}</style></head>"
        f"<body><article class='app-report'>{body}</article></body></html>"
    )
    page.emulate_media(media="print")


def test_a_printed_tables_note_is_under_it_not_over_it(page):
    # Review finding: printed from the browser, "Percentages may not add to 100 because of
    # rounding." was drawn over the Direction of travel table's bottom border.
    _printed_report_page(
        page,
        '<div class="app-table-scroll"><table class="govuk-table app-report__tally">'
        "<caption>Direction of travel</caption><tbody>"
        '<tr><th scope="row">Improving</th><td>1</td><td>33%</td></tr>'
        '<tr><th scope="row">Stable</th><td>2</td><td>67%</td></tr></tbody></table>'
        '<p class="govuk-body-s app-table-note">Percentages may not add to 100 because of '
        "rounding.</p></div>",
    )

    table = page.locator("table").bounding_box()
    note = page.locator(".app-table-note").bounding_box()
    assert note["y"] >= table["y"] + table["height"]


def test_a_printed_overdue_tag_stays_inside_its_item(page):
    # Review finding: where a recommendation began a page, Chromium drew its "Overdue"
    # tag's top border at the foot of the page before: the tag stood above its item.
    recommendation = (
        '<li><strong class="govuk-tag app-overdue">Overdue</strong> Report the funding '
        "position of the Sexual Assault Referral Centre to the next panel.</li>"
    )
    _printed_report_page(
        page,
        f'<ul class="govuk-list govuk-list--bullet app-report__items">{recommendation * 2}</ul>'
        '<p class="govuk-body app-para"><strong class="govuk-tag app-overdue">Review overdue'
        "</strong> Capacity of the third sector.</p>",
    )

    for item in page.locator("li, p").all():
        assert item.locator(".govuk-tag").bounding_box()["y"] >= item.bounding_box()["y"]
    # Nor is a recommendation split between pages.
    assert page.locator("li").first.evaluate("li => getComputedStyle(li).breakInside") == "avoid"
