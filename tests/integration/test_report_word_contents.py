"""The Word file's contents list, read back with python-docx: Word's table of contents
(a TOC field) holding, before Word updates it, the parts the PDF's contents list names,
each a link to its heading; Word updates it on opening the file, adding each part's page."""

import io
import re

import docx
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from PIL import Image

from reports import documents, rendering, services, word
from tests.factories import ReportFactory
from tests.factories.series import hate_crime_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_files(partnership_a) -> tuple[str, docx.Document]:
    hate_crime_indicator(partnership_a)
    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    html = rendering.render_document(snapshot)
    charts = services.chart_specs(snapshot)
    png = io.BytesIO()
    Image.new("RGB", (1800, 720), "white").save(png, "PNG")
    data = documents.render_docx(
        html, title="Contents", charts=charts, images=dict.fromkeys(charts, png.getvalue())
    )
    return html, docx.Document(io.BytesIO(data))


def _listed(html: str) -> list[tuple[str, str]]:
    """(target id, text) of each entry of the HTML's contents list."""
    listed = html[html.index("app-report__contents-list") : html.index("</nav>")]
    return re.findall(r'<li><a class="govuk-link" href="#([^"]+)">([^<]+)</a></li>', listed)


def _field_paragraphs(document) -> tuple[str, list]:
    """The TOC field's instruction and the paragraphs of its result."""
    paragraphs = document.paragraphs
    instructions = ["".join(t.text for t in p._p.iter(qn("w:instrText"))) for p in paragraphs]
    starts = [i for i, text in enumerate(instructions) if text.strip().startswith("TOC")]
    assert starts, "no TOC field"
    start, instruction = starts[0], instructions[starts[0]]
    for end in range(start, len(paragraphs)):
        kinds = [c.get(qn("w:fldCharType")) for c in paragraphs[end]._p.iter(qn("w:fldChar"))]
        if "end" in kinds:
            return instruction, paragraphs[start : end + 1]
    raise AssertionError("the TOC field has no end")


def _heading_2s_in(document, name: str) -> list[str]:
    """The Heading 2 paragraphs' texts within the bookmark ``name`` (a range of the body)."""
    body = document.element.body
    [start] = [b for b in body.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == name]
    mark = start.get(qn("w:id"))
    inside, texts = False, []
    for element in body.iter():
        if element is start:
            inside = True
        elif element.tag == qn("w:bookmarkEnd") and element.get(qn("w:id")) == mark:
            return texts
        elif inside and element.tag == qn("w:p") and element.style == "Heading2":
            texts.append("".join(t.text for t in element.iter(qn("w:t"))))
    raise AssertionError(f"the bookmark {name} has no end")


def test_the_words_contents_name_each_part_before_word_updates_them(report_files):
    # Review finding: the contents named the parts but no pages, as the PDF's do.
    html, document = report_files
    listed = _listed(html)

    _, entries = _field_paragraphs(document)

    assert len(listed) > 5
    assert [p.text for p in entries] == [text for _, text in listed]
    assert entries[0].text == "1. Summary and recommendations"
    anchors = [[link.get(qn("w:anchor")) for link in p._p.iter(qn("w:hyperlink"))] for p in entries]
    assert anchors == [[word.bookmark_name(target)] for target, _ in listed]
    # Each link lands on its part's heading.
    headings = {
        b.get(qn("w:name")): p.text
        for p in document.paragraphs
        if p.style.name == "Heading 2"
        for b in p._p.iter(qn("w:bookmarkStart"))
    }
    assert [headings[anchor] for [anchor] in anchors] == [text for _, text in listed]


def test_word_updates_the_contents_with_the_same_parts_and_their_pages(report_files):
    html, document = report_files
    instruction, entries = _field_paragraphs(document)
    switches = re.fullmatch(r' TOC \\o "2-2" \\h \\z \\b (\w+) ', instruction)

    # Word builds its contents from the Heading 2s in the bookmarked range: the parts the
    # list names, not the cover sheet, the contents' own heading or the background papers.
    assert switches, instruction
    assert _heading_2s_in(document, switches[1]) == [text for _, text in _listed(html)]
    # Each entry's page at the right, after dots, as in the PDF.
    style = entries[0].style
    assert style.name == "toc 2" and style.style_id == "TOC2"
    [stop] = style.paragraph_format.tab_stops
    assert stop.alignment == WD_TAB_ALIGNMENT.RIGHT and stop.leader == WD_TAB_LEADER.DOTS
    # Word is not asked to update fields on opening: it would ask the reader every time.
    assert document.settings.element.find(qn("w:updateFields")) is None


def test_a_word_file_with_no_contents_list_has_no_contents_field():
    data = documents.render_docx("<main><h1>T</h1><p>Text.</p></main>", title="T", charts={})
    document = docx.Document(io.BytesIO(data))

    assert not list(document.element.body.iter(qn("w:instrText")))
