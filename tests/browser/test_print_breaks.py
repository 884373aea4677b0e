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
