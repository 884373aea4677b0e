"""The PDF's contents list, read back with pdftotext: each part's page number, as the
page's foot numbers it."""

import io
import re
import shutil
import subprocess

import pytest
from PIL import Image

from reports import documents, rendering, services
from tests.factories import ReportFactory
from tests.factories.series import hate_crime_indicator

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (poppler-utils)")


def _pages(pdf: bytes) -> list[str]:
    text = subprocess.run(
        [PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")


@pytest.mark.django_db
def test_the_pdfs_contents_give_each_parts_page(partnership_a):
    # Review finding: a 36-page PDF's contents named its parts but no pages.
    hate_crime_indicator(partnership_a)
    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    html = rendering.render_document(snapshot)
    charts = services.chart_specs(snapshot)
    png = io.BytesIO()
    Image.new("RGB", (1800, 720), "white").save(png, "PNG")
    pdf = documents.render_pdf(
        html, title="Contents", charts=charts, images=dict.fromkeys(charts, png.getvalue())
    )

    pages = _pages(pdf)
    contents = pages[0][pages[0].index("Contents") :]
    entries = re.findall(r"^ *(\S.*?) ?\.{3,} ?(\d+)$", contents, re.MULTILINE)
    listed = html[html.index("app-report__contents-list") : html.index("</nav>")]
    assert len(entries) == listed.count("<li>") > 5, contents
    assert entries[0][0] == "1. Summary and recommendations"
    for title, number in entries:
        # The heading is on that page, below its running head.
        page = pages[int(number) - 1]
        assert title in page.split("\n", 1)[1], (title, number)
