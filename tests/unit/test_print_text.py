"""What print.css keeps on the page, read back from the PDF as pdftotext reads it: text
outside the page box is cut off there, as on paper."""

import logging
import re
import shutil
import subprocess

import pytest

from reports import documents

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (poppler-utils)")

EMAIL = "jane.averyveryverylongsurname.community.safety.analyst@plymouth.gov.uk"
URL = "https://www.plymouth.gov.uk/documents/scrutiny?id=" + "averylongdocumentname" * 6


def _pages(body: str) -> list[str]:
    """Each page's text, column by column."""
    pdf = documents.render_pdf(body, title="Printed text", charts={})
    text = subprocess.run(
        [PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")


def _unspaced(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(
    "body",
    [
        # The cover sheet's contact officer.
        '<dl class="govuk-summary-list"><div class="govuk-summary-list__row">'
        '<dt class="govuk-summary-list__key">Contact officer</dt>'
        f'<dd class="govuk-summary-list__value">{EMAIL}</dd></div></dl>',
        # The executive summary, and the background papers.
        f'<p class="govuk-body app-para"><span class="app-para__no">1.2</span> See {URL}</p>',
        f'<ul class="govuk-list govuk-list--bullet"><li>{URL}</li></ul>',
        # An implication and who signed it off.
        '<table class="govuk-table app-report__implications"><thead><tr>'
        '<th scope="col">Implication</th><th scope="col">Assessment</th>'
        '<th scope="col">Signed off by</th></tr></thead><tbody><tr>'
        f'<th scope="row">Financial</th><td>{URL}</td><td>{EMAIL}</td></tr></tbody></table>',
    ],
    ids=["cover-sheet", "paragraph", "list", "implications"],
)
def test_a_long_address_wraps_onto_the_page_rather_than_off_it(body):
    # It ran off the right-hand edge of the page and was cut off there.
    [page, *_] = _pages(body)

    for address in (EMAIL, URL):
        if address in body:
            assert address in _unspaced(page)


def _head_and_body(page: str) -> tuple[str, str]:
    """A page's running head (its first line: the section it is in) and the rest."""
    head, _, body = page.strip().partition("\n")
    return head.strip(), body


def _section(number: int, name: str, paragraphs: int, *, new_page: bool = False) -> str:
    heading = f'<h2 class="govuk-heading-l">{number}. {name}</h2>'
    text = "".join(f"<p>{name} paragraph {i}.</p>" for i in range(1, paragraphs + 1))
    if new_page:
        return f'<section class="app-page-break">{heading}{text}</section>'
    return heading + text


def test_the_running_head_names_the_section_a_page_is_in():
    # It named the section starting on the page: a page opening halfway through section 1
    # and starting section 2 was headed "2. Beta".
    pages = _pages(
        '<h1 class="govuk-heading-xl">Report</h1>'
        + _section(1, "Alpha", 40)
        + _section(2, "Beta", 40)
        + _section(3, "Gamma", 5, new_page=True)
    )
    # The first page has no running head.
    second, third, fourth = (_head_and_body(page) for page in pages[1:] if page.strip())

    head, body = second
    assert body.split()[:2] == ["Alpha", "paragraph"] and "2. Beta" in body
    assert head == "1. Alpha"
    head, body = third
    assert body.split()[:2] == ["Beta", "paragraph"] and head == "2. Beta"
    # A page opening with a section's heading is headed by that section.
    head, body = fourth
    assert body.split()[:2] == ["3.", "Gamma"] and head == "3. Gamma"


def test_no_printed_text_is_smaller_than_12pt():
    # The overview's "Not rated" reason printed at 10pt, under the stylesheet's own minimum.
    sizes = re.findall(r"font-size:\s*([\d.]+)pt", documents._print_css().read_text())

    assert sizes and all(float(size) >= 12 for size in sizes), sizes


def test_the_pdfs_stylesheet_leaves_out_what_weasyprint_does_not_know(caplog):
    # Review finding: WeasyPrint warned "Ignored `clip-path: none `, unknown property." on
    # every PDF; a browser printing the page needs it (GOV.UK Frontend's clip-path).
    from weasyprint import CSS

    assert "clip-path: none" in documents._print_css().read_text()
    assert "clip-path" not in documents.pdf_css()
    assert "caption.govuk-visually-hidden" in documents.pdf_css()

    with caplog.at_level("WARNING", logger="weasyprint"):
        CSS(string=documents.pdf_css())

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
