"""The demo's published report read back from its PDF: a main report of about five A4
sides before the appendices, numbered and titled appendices listed in the contents
(REPORT_CHECKLIST 3), and the overview report of seed 004."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader

from reports import chart_images, documents, services
from reports.models import Report, ReportVersion

# Side 1 is the cover sheet and contents; the report itself then has at most five sides.
MAIN_SIDES = 5


def _chart_png() -> bytes:
    # The size the real chart images have.
    size = (chart_images.WIDTH * chart_images.SCALE, chart_images.HEIGHT * chart_images.SCALE)
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def plymouth_pdf(db):
    # One fixture for the three checks would be quicker, but a module-wide database
    # outlives the tests' transactions; loading the demo takes a few seconds.
    call_command("load_demo", "--no-users", stdout=StringIO())
    version = ReportVersion.objects.get(report__title="Safer Plymouth performance update")
    charts = services.chart_specs(version.snapshot)
    images = {chart_id: _chart_png() for chart_id in charts}
    data = documents.render_pdf(
        version.html, title=version.report.title, charts=charts, images=images
    )
    return PdfReader(io.BytesIO(data))


def _first_page_with(reader: PdfReader, heading: str, after: int = 1) -> int:
    for number, page in enumerate(reader.pages, start=1):
        if number > after and heading in page.extract_text():
            return number
    raise AssertionError(f"no page has {heading!r}")


def test_demo_report_main_body_at_most_five_sides_then_lettered_appendices(plymouth_pdf):
    # The contents (side 1) name Appendix A too: look for its heading after side 1.
    appendix_a = _first_page_with(plymouth_pdf, "Appendix A. Performance by indicator")
    assert appendix_a - 2 <= MAIN_SIDES, f"Appendix A starts on page {appendix_a}"
    assert "1. Summary and recommendations" in plymouth_pdf.pages[1].extract_text()
    # The appendices: numbered (lettered), titled, in the contents, each from a new page.
    contents = plymouth_pdf.pages[0].extract_text() + plymouth_pdf.pages[1].extract_text()
    titles = [
        "Appendix A. Performance by indicator",
        "Appendix B. Crime in context",
        "Appendix C. Overdue actions",
        "Appendix D. Funding and commissioning lines",
        "Appendix E. Issues for other theme groups and scrutiny recommendations",
        "Appendix F. Definitions and glossary",
    ]
    starts = []
    for title in titles:
        assert title in contents
        starts.append(_first_page_with(plymouth_pdf, title))
    assert starts == sorted(starts) and len(set(starts)) == len(starts)  # a page each
    text = "".join(page.extract_text() for page in plymouth_pdf.pages)
    assert "A.1 Increase reporting of Level Two Indicator" in text
    assert "Glossary: abbreviations and terms" in text and "Anti-social behaviour" in text


@pytest.mark.django_db
def test_demo_publishes_an_overview_of_six_partnerships():
    call_command("load_demo", "--no-users", stdout=StringIO())
    report = Report.objects.get(kind=Report.Kind.OVERVIEW)
    assert report.covers.count() == 6
    html = report.versions.get().html
    assert "National developments" in html
    for name in ("Safer Gateshead Partnership", "Safer Sunderland Partnership"):
        assert name in html
    assert "Local Innovation Awards" in html
