"""The report's tables as WeasyPrint lays them out in the PDF: each within the text width
of the page, and whatever a cell holds within that cell. Text outside the page box is cut
off on paper; a status tag running over its cell covers the next one."""

import datetime
import html
import io
import re
from io import StringIO

import pytest
from django.core.management import call_command
from PIL import Image

from actions.models import Action
from commissioning.models import CommissioningLine
from csp_portal.core.models import Partnership
from reports import documents, rendering, services
from reports.models import Report, ReportVersion

EMAIL = "commissioning.team.victims.and.witnesses.service@plymouthcommunitysafety.org.uk"
LEAD = "https://www.plymouth.gov.uk/communitysafetypartnership/domesticabuseleadofficer"
PLYMOUTH = "Safer Plymouth performance update"
# A pixel's slack for rounding.
SLACK = 1


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(out, "PNG")
    return out.getvalue()


def _layout(html: str, snapshot: dict):
    charts = services.chart_specs(snapshot)
    return documents.pdf_layout(
        html, title="Tables", charts=charts, images={chart_id: _png() for chart_id in charts}
    )


def _descendants(box):
    for child in getattr(box, "children", None) or []:
        yield child
        yield from _descendants(child)


def _text(box) -> str:
    return "".join(getattr(b, "text", "") for b in [box, *_descendants(box)])


def _right(box) -> float:
    return box.position_x + box.margin_width()


def _overruns(document) -> list[str]:
    """Each table wider than the page's text, and each cell whose text runs past it."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        text_right = page_box.content_box_x() + page_box.width
        for box in _descendants(page_box):
            name = type(box).__name__
            if name == "TableBox" and _right(box) > text_right + SLACK:
                found.append(f"page {number}: a table {_right(box) - text_right:.0f}px too wide")
            if name == "TableCellBox":
                cell_right = box.position_x + box.border_width()
                for inner in _descendants(box):
                    if type(inner).__name__ == "TextBox" and _right(inner) > cell_right + SLACK:
                        found.append(f"page {number}: {inner.text!r} runs out of its cell")
    return found


def _table_text(document):
    for page in document.pages:
        for box in _descendants(page._page_box):
            if type(box).__name__ == "TableCellBox":
                yield from (b for b in _descendants(box) if type(b).__name__ == "TextBox")


def _hyphened(word: str) -> list[str]:
    """The word, and its parts either side of each hyphen (where a line may end)."""
    parts = re.split(r"(?<=-)", word)
    return [word, *("".join(parts[:i]) for i in range(1, len(parts)))] + [
        "".join(parts[i:]) for i in range(1, len(parts))
    ]


def _cell_lines(document, cell_text: str) -> list[str]:
    """The lines of the cells whose text starts with cell_text."""
    lines = []
    for page in document.pages:
        for box in _descendants(page._page_box):
            if type(box).__name__ == "TableCellBox" and _text(box).startswith(cell_text[:12]):
                lines += [
                    _text(line) for line in _descendants(box) if type(line).__name__ == "LineBox"
                ]
    return lines


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-users", stdout=StringIO())


def _republished(title: str) -> ReportVersion:
    report = Report.objects.get(title=title)
    return services.report_publish(
        report=report, by=None, reason="Commissioning lines changed", documents=False
    ).version


def test_a_long_provider_and_lead_keep_their_tables_on_the_page(demo):
    # With overflow-wrap: break-word a column was as wide as its longest word: an e-mail
    # address as a provider pushed the commissioning table 68 mm past the page's edge.
    published = ReportVersion.objects.filter(report__title=PLYMOUTH).first()
    shown = published.snapshot["commissioning"]["lines"][0]["reference"]
    CommissioningLine.objects.filter(partnership__slug="safer-plymouth", reference=shown).update(
        provider=EMAIL
    )
    Action.objects.filter(objective__plan__partnership__slug="safer-plymouth").update(
        lead_member=None, lead_text=LEAD
    )
    version = _republished(PLYMOUTH)
    assert EMAIL in version.html and LEAD in version.html

    document = _layout(version.html, version.snapshot)

    assert _overruns(document) == []
    # The address is broken across lines, whole; no other word in a table is broken
    # ("anywhere" on every cell split "Septemb-er" and "Marc-h" in the dates beside it).
    assert "".join(_cell_lines(document, EMAIL)) == EMAIL
    text = html.unescape(re.sub(r"<[^>]+>", " ", version.html))
    # A hyphenated word may end a line at its hyphen.
    words = {part for word in re.findall(r"[\w@.:/-]+", text) for part in _hyphened(word)}
    broken = {
        word
        for box in _table_text(document)
        for word in re.findall(r"[\w@.:/-]+", box.text)
        if word not in words and word not in EMAIL and word not in LEAD
    }
    assert broken == set()


@pytest.mark.parametrize(
    "title",
    [
        # Its summary tables were 8 to 13 mm wider than the text; "No status" ran into the
        # Direction column.
        PLYMOUTH,
        "Safe and Strong Theme Group Update",
    ],
)
def test_the_performance_summary_tables_fit_the_page(demo, title):
    version = ReportVersion.objects.filter(report__title=title).first()
    html = rendering.render_document(version.snapshot)

    assert _overruns(_layout(html, version.snapshot)) == []


def test_the_overviews_headline_tables_fit_the_page(demo):
    # Its Direction column never wrapped and squeezed the indicators' names.
    plymouth = Partnership.objects.get(slug="safer-plymouth")
    overview = services.report_save(
        report=Report(
            partnership=plymouth,
            kind=Report.Kind.OVERVIEW,
            period=datetime.date(2016, 11, 1),
            title="Overview",
            meeting_kind="scrutiny_panel",
            meeting_date=datetime.date(2017, 1, 20),
        ),
        by=None,
        covers=[plymouth],
    )
    version = services.report_publish(report=overview, by=None, documents=False).version

    assert "app-report__headline" in version.html
    assert _overruns(_layout(version.html, version.snapshot)) == []


def _page_ends(document) -> list[tuple[int, str, str]]:
    """Each page's last block of text: its page number, tag and classes."""
    ends = []
    for number, page in enumerate(document.pages, start=1):
        # The page's flow, not its margin boxes (the running head, the page number).
        [flow] = [b for b in page._page_box.children if type(b).__name__ != "MarginBox"]
        last = None
        for box in _descendants(flow):
            if type(box).__name__ == "TextBox" and box.text.strip():
                last = box
        block = last
        while block is not None and not _is_block(block):
            block = _parent(flow, block)
        if block is not None:
            ends.append((number, block.element_tag, block.element.get("class") or ""))
    return ends


def _is_block(box) -> bool:
    return type(box).__name__ in {"BlockBox", "TableCellBox", "TableCaptionBox"}


def _parent(root, target):
    for box in _descendants(root):
        if target in (getattr(box, "children", None) or []):
            return box
    return None


def test_no_page_of_the_report_ends_with_a_heading_or_a_tables_lead_in(demo):
    # Review finding: page 26 of the demo report ended with B.2's heading, its intro and
    # the illustrative data warning, the table starting page 27; page 27 the same with
    # B.3. Images the charts' shape (900 by 360), as published.
    version = ReportVersion.objects.filter(report__title=PLYMOUTH).first()
    charts = services.chart_specs(version.snapshot)
    out = io.BytesIO()
    Image.new("RGB", (1800, 720), "white").save(out, "PNG")
    document = documents.pdf_layout(
        version.html,
        title="Breaks",
        charts=charts,
        images={chart_id: out.getvalue() for chart_id in charts},
    )

    stranded = [
        (number, tag, classes)
        for number, tag, classes in _page_ends(document)[:-1]
        if tag in {"h2", "h3", "h4"} or "govuk-warning-text" in classes
    ]
    assert stranded == []
