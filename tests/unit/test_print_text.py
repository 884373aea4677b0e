"""What print.css keeps on the page, read back from the PDF as pdftotext reads it: text
outside the page box is cut off there, as on paper."""

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
