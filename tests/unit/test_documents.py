"""The report's PDF and Word files, read back: headings, figures, tables, alt text, title,
language. Charts are stand-in PNGs here (no browser); the last tests draw real ones."""

import datetime
import io
import os
import struct
import zipfile

import docx
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from reports import chart_images as chart_module
from reports import documents
from reports import word as word_module
from tests.factories.report_html import made_up_report

WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def _png(width=90, height=46) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def report():
    return made_up_report(2)


@pytest.fixture(scope="module")
def images(report):
    return {chart_id: _png() for chart_id in report.charts}


@pytest.fixture(scope="module")
def pdf(report, images):
    data = documents.render_pdf(
        report.html, title=report.title, charts=report.charts, images=images
    )
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def word(report, images):
    data = documents.render_docx(
        report.html, title=report.title, charts=report.charts, images=images
    )
    return docx.Document(io.BytesIO(data))


def _pdf_text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _structure(node, found: list) -> list:
    """(tag, alt text) of every element in a tagged PDF's structure tree."""
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for child in node:
            _structure(child, found)
    elif isinstance(node, DictionaryObject) and "/S" in node:
        found.append((str(node["/S"]), node.get("/Alt")))
        if "/K" in node:
            _structure(node["/K"], found)
    return found


def test_pdf_text_has_the_headings_and_figures(pdf, report):
    text = _pdf_text(pdf)
    assert report.title.split(":")[0] in text
    for heading in ("1. Key findings", "2. Performance", "Indicators at a glance"):
        assert heading in text
    assert "Indicator 1: lower than 2015/16 so far" in text
    assert "Apr 54 68" in text  # a chart's data table, month by month
    assert "Amber" in text and "Deteriorating" in text


def test_pdf_leaves_out_the_page_furniture(pdf):
    text = _pdf_text(pdf)
    for furniture in ("Portal header", "Portal footer", "Skip to main content", "Publish"):
        assert furniture not in text


def test_pdf_is_a4_tagged_with_title_and_language(pdf, report):
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pdf.metadata.title == report.title
    width, height = pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    tags = _structure(root["/StructTreeRoot"]["/K"], [])
    names = {tag for tag, _ in tags}
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/L", "/LI", "/Link"} <= names
    figures = [alt for tag, alt in tags if tag == "/Figure"]
    assert len(figures) == len(report.charts)
    assert all(alt and alt.startswith("Line chart of") for alt in figures)


def test_pdf_numbers_every_page(pdf):
    last = len(pdf.pages)
    assert last > 1
    assert f"Page {last} of {last}" in pdf.pages[-1].extract_text()


def test_word_has_heading_styles_title_and_language(word, report):
    styles = [p.style.name for p in word.paragraphs]
    assert styles[0] == "Heading 1"
    assert word.paragraphs[0].text == report.title
    headings = {p.text: p.style.name for p in word.paragraphs if p.style.name.startswith("Head")}
    assert headings["1. Key findings"] == "Heading 2"
    assert headings["Indicator 1"] == "Heading 3"
    assert word.core_properties.title == report.title
    assert word.core_properties.language == "en-GB"
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "en-GB"


def test_word_tables_repeat_their_header_row(word):
    assert len(word.tables) == 5  # the summary table and four chart data tables
    for table in word.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
    glance = word.tables[0]
    assert [c.text for c in glance.rows[0].cells] == [
        "Indicator",
        "Year to date",
        "Last year to date",
        "Status",
        "Direction",
    ]
    # The word with its letter and arrow, as the page and the PDF show them.
    assert glance.rows[1].cells[3].text == "A Amber"
    assert glance.rows[1].cells[4].text == "▼ Deteriorating"


def test_word_pictures_have_alt_text(word, report):
    pictures = list(word.element.body.iter(WP_DOCPR))
    assert len(pictures) == len(report.charts)
    assert all(p.get("descr", "").startswith("Line chart of") for p in pictures)


def test_word_keeps_numbered_paragraphs_and_links(word):
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert [p.text[:20] for p in numbered[2:]] == [
        "This update covers 2",
        "Rises in recorded ha",
    ]
    # Each list restarts at its own first number instead of continuing the last list.
    assert numbered[0]._p.pPr.numPr.numId.val != numbered[2]._p.pPr.numPr.numId.val
    links = word.element.body.findall(f".//{qn('w:hyperlink')}")
    anchors = {link.get(qn("w:anchor")) for link in links} - {None}
    bookmarks = {b.get(qn("w:name")) for b in word.element.body.iter(qn("w:bookmarkStart"))}
    assert anchors == {"r_key_findings", "r_performance"}
    assert anchors <= bookmarks  # the contents list's links land on their headings


def test_word_keeps_the_start_of_a_numbered_list():
    html = '<main><h1>T</h1><ol start="4"><li><p>Fourth.</p></li><li>Fifth.</li></ol></main>'
    data = documents.render_docx(html, title="T", charts={})
    document = docx.Document(io.BytesIO(data))
    num_id = document.paragraphs[1]._p.pPr.numPr.numId.val
    numbering = document.part.numbering_part.numbering_definitions._numbering
    start = numbering.num_having_numId(num_id).find(f".//{qn('w:startOverride')}")
    assert start.get(qn("w:val")) == "4"
    assert [p.text for p in document.paragraphs[1:]] == ["Fourth.", "Fifth."]


def test_word_lists_follow_their_govuk_list_style():
    html = (
        '<article><ul class="govuk-list"><li>Plain</li></ul>'
        '<ul class="govuk-list govuk-list--bullet"><li>Bullet</li></ul>'
        '<section id="s2"><p class="govuk-body app-para"><span class="app-para__no">2.1</span>'
        " Numbered.</p></section></article>"
    )
    document = docx.Document(io.BytesIO(documents.render_docx(html, title="T", charts={})))
    paragraphs = document.paragraphs
    assert [(p.style.name, p.text) for p in paragraphs] == [
        ("Normal", "Plain"),
        ("List Bullet", "Bullet"),
        ("Normal", "2.1 Numbered."),
    ]
    assert paragraphs[2].runs[0].bold  # the paragraph number
    bookmark = paragraphs[2]._p.find(qn("w:bookmarkStart"))
    assert bookmark.get(qn("w:name")) == "r_s2"  # a link to the section lands on its text


def test_documents_take_a_fragment_as_well_as_a_page():
    html = (
        '<h1>Fragment</h1><p>One <strong class="govuk-tag app-status app-status--red">'
        '<span aria-hidden="true">R</span> Red</strong> indicator.</p>'
        '<div data-chart-id="c1" role="img" aria-label="Bar chart of one thing"></div>'
    )
    charts = {"c1": {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}}}
    pdf = PdfReader(
        io.BytesIO(documents.render_pdf(html, title="F", charts=charts, images={"c1": _png()}))
    )
    assert "One R Red indicator." in _pdf_text(pdf)
    word = docx.Document(
        io.BytesIO(documents.render_docx(html, title="F", charts=charts, images={"c1": _png()}))
    )
    assert word.paragraphs[1].text == "One Red indicator."
    red = next(r for r in word.paragraphs[1].runs if r.text == "Red")
    assert red.bold and red._r.rPr.find(qn("w:shd")).get(qn("w:fill")) == "D4351C"
    assert next(word.element.body.iter(WP_DOCPR)).get("descr") == "Bar chart of one thing"


def test_word_keeps_the_status_letter_and_direction_arrow():
    # The page and the PDF show them beside the word (a cue that is not colour alone); the
    # Word file left them out with everything hidden from screen readers.
    from csp_portal.core.templatetags.govuk import govuk_direction, govuk_status_tag

    html = (
        f"<p>{govuk_status_tag('amber')}, {govuk_status_tag('green')}: "
        f"{govuk_direction('improving', 'lower')} and "
        f"{govuk_direction('deteriorating', 'lower')}.</p>"
    )
    word = docx.Document(io.BytesIO(documents.render_docx(html, title="T", charts={})))
    assert [p.text for p in word.paragraphs if p.text] == [
        "A Amber, G Green: ▲ Improving and ▼ Deteriorating."
    ]


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ('<div data-chart-id="nope" aria-label="A chart"></div>', "No chart spec"),
        ('<div data-chart-id="c1"></div>', "no alt text"),
    ],
)
def test_documents_refuse_a_chart_they_cannot_draw_or_describe(html, message):
    charts = {"c1": {"data": [], "layout": {}}}
    with pytest.raises(ValueError, match=message):
        documents.render_docx(html, title="T", charts=charts, images={"c1": _png()})


def test_documents_draw_the_charts_once_for_both_files(monkeypatch, report):
    calls = []

    def fake(charts):
        calls.append(sorted(charts))
        return {chart_id: _png() for chart_id in charts}

    monkeypatch.setattr(documents, "_last_images", None)
    monkeypatch.setattr(chart_module, "render_chart_images", fake)
    documents.render_pdf(report.html, title=report.title, charts=report.charts)
    documents.render_docx(report.html, title=report.title, charts=report.charts)
    assert calls == [sorted(report.charts)]


def test_print_figure_sizes_the_chart_and_leaves_the_spec_alone(report):
    spec = next(iter(report.charts.values()))
    printed = chart_module.print_figure(spec)
    assert printed["layout"]["width"] == chart_module.WIDTH
    assert printed["layout"]["font"]["size"] == chart_module.FONT_SIZE
    assert printed["layout"]["yaxis"]["rangemode"] == "tozero"
    assert "width" not in spec["layout"]


def test_printed_month_labels_stay_level_and_longer_labels_may_turn():
    def figure(labels):
        return {"data": [{"x": labels, "y": [1] * len(labels)}], "layout": {}}

    months = chart_module.print_figure(figure(["Apr", "May", "Jun"]))
    assert months["layout"]["xaxis"]["tickangle"] == 0
    assert months["layout"]["xaxis"]["tickvals"] == ["Apr", "May", "Jun"]
    for labels in (["Apr 16", "May 16"], [2015, 2016], []):
        assert "tickangle" not in chart_module.print_figure(figure(labels))["layout"]["xaxis"]


def _sizes(tree) -> list:
    """Every font size set anywhere in a plotly layout (font, tickfont, an annotation's)."""
    if isinstance(tree, list):
        return [size for value in tree for size in _sizes(value)]
    if not isinstance(tree, dict):
        return []
    own = [v["size"] for k, v in tree.items() if k.endswith("font") and "size" in v]
    return own + [size for value in tree.values() for size in _sizes(value)]


# REPORT_CHECKLIST 37. Review finding: the month names were 19 px, about 10 pt, and the
# rest 23 px: 11.6 pt in Word, where a chart is 16 cm wide.
def test_printed_chart_text_is_at_least_12_points_where_it_is_placed(report):
    narrowest = min(chart_module.PDF_WIDTH_PT, word_module.PICTURE_WIDTH.pt)
    points_a_pixel = narrowest / chart_module.WIDTH

    assert chart_module.FONT_SIZE * points_a_pixel >= 12
    for spec in report.charts.values():
        sizes = _sizes(chart_module.print_figure(spec)["layout"])
        assert sizes and min(sizes) * points_a_pixel >= 12, sizes


def test_twelve_printed_month_names_too_wide_for_the_plot_are_every_other_one():
    months = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
    lines = [
        {"type": "scatter", "mode": "lines", "name": name, "x": months, "y": ys}
        for name, ys in (("2015/16", list(range(12))), ("2016/17", [5] * 8 + [None] * 4))
    ]
    figure = {"data": lines, "layout": {"annotations": [{}], "showlegend": False}}

    xaxis = chart_module.print_figure(figure)["layout"]["xaxis"]

    assert xaxis["tickvals"] == xaxis["ticktext"] == ["May", "Jul", "Sep", "Nov", "Jan", "Mar"]
    assert "tickfont" not in xaxis


def _chromium_or_skip():
    path = chart_module.browser_path()
    if path.exists():
        return
    message = (
        f"Chromium not found at {path}: install it with `sudo apt-get install -y chromium` "
        "to draw chart images"
    )
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set, so a missing browser is a failure)")
    pytest.skip(message)


def test_chart_images_are_pngs_drawn_offline(report):
    _chromium_or_skip()
    charts = dict(list(report.charts.items())[:2])
    images = chart_module.render_chart_images(charts)
    assert set(images) == set(charts)
    for png in images.values():
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (
            chart_module.WIDTH * chart_module.SCALE,
            chart_module.HEIGHT * chart_module.SCALE,
        )
        assert len(png) > 10_000  # lines, labels and axes, not a blank page


def test_charts_are_drawn_with_the_smallest_local_plotly_js():
    line = {"data": [{"type": "scatter"}, {"type": "bar"}]}
    assert chart_module.plotly_js([line]).name == "plotly-basic.min.js"
    assert chart_module.plotly_js([line, {"data": [{"type": "heatmap"}]}]).name == "plotly.min.js"


def test_pdf_fetches_nothing_the_html_points_at(monkeypatch):
    opened = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda *a, **k: opened.append(a))
    html = '<h1>T</h1><img src="http://169.254.169.254/latest" alt="x"><p>Text.</p>'
    pdf = PdfReader(io.BytesIO(documents.render_pdf(html, title="T", charts={})))
    assert "Text." in _pdf_text(pdf)
    assert opened == []


CHART_FIGURE = (
    '<h1>T</h1><figure class="app-chart app-report__chart">'
    '<p class="govuk-heading-s app-chart__title">Hate crime rose</p>'
    '<p class="govuk-body-s app-chart__subtitle">Offences a month, Safer Plymouth</p>'
    '<div class="app-chart__plot" data-chart-id="c1" role="img" aria-label="Line chart"></div>'
    '<p class="govuk-body-s app-chart__source">Source: police.</p></figure>'
    "<p>After the chart.</p>"
)


def test_word_keeps_a_charts_title_and_subtitle_with_its_picture():
    # They were free to end a page, leaving the picture alone at the top of the next.
    data = documents.render_docx(CHART_FIGURE, title="T", charts={"c1": {}}, images={"c1": _png()})
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    kept = {p.text: p.paragraph_format.keep_with_next for p in paragraphs}

    assert kept["Hate crime rose"] is True
    assert kept["Offences a month, Safer Plymouth"] is True
    assert not kept["Source: police."] and not kept["After the chart."]


def test_word_numbers_its_pages_in_the_footer_with_the_title(word, report):
    # The .docx had an empty footer.
    footer = word.sections[0].footer
    [paragraph] = footer.paragraphs
    fields = [f.get(qn("w:instr")) for f in paragraph._p.iter(qn("w:fldSimple"))]

    assert fields == ["PAGE", "NUMPAGES"]
    assert paragraph.text.startswith(f"{report.title}\tPage ")
    assert not footer.is_linked_to_previous
    assert " of " in "".join(t.text for t in paragraph._p.iter(qn("w:t")))
    # The page number's tab is the only one: the Footer style's own stops are cleared, so a
    # short title does not send it to the middle of the foot.
    stops = [*paragraph.style.paragraph_format.tab_stops, *paragraph.paragraph_format.tab_stops]
    [stop] = stops
    assert stop.alignment == WD_TAB_ALIGNMENT.RIGHT
    assert abs(stop.position - word_module.TEXT_WIDTH) <= 635  # stored in whole twips


def test_word_carries_the_another_format_statement():
    html = (
        '<article><h1>T</h1><p class="govuk-body app-report__formats">If you need this '
        "report in another format, ask the contact officer (Jo Bloggs).</p></article>"
    )
    text = [
        p.text
        for p in docx.Document(
            io.BytesIO(documents.render_docx(html, title="T", charts={}))
        ).paragraphs
    ]

    assert "If you need this report in another format, ask the contact officer (Jo Bloggs)." in text


def test_word_leaves_out_characters_xml_cannot_hold():
    """A control character pasted into a report's text before the forms refused them
    must not stop the Word file being made."""
    html = (
        "<main><h1>Crime\x01 update</h1><p>Overall crime fell by 5\x02 per cent.\x1f</p>"
        '<p><a href="#s1" title="To\x0b the section">Tab\tkept</a></p></main>'
    )

    data = documents.render_docx(html, title="Quarterly\x0c update", charts={})

    document = docx.Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs] == [
        "Crime update",
        "Overall crime fell by 5 per cent.",
        "Tab kept",
    ]
    assert document.core_properties.title == "Quarterly update"


PUBLISHED = datetime.datetime(2016, 12, 14, 9, 30, 15, tzinfo=datetime.UTC)


def _files(html: str, **extra) -> tuple[PdfReader, docx.Document]:
    pdf = documents.render_pdf(html, title="T", charts={}, **extra)
    word = documents.render_docx(html, title="T", charts={}, **extra)
    return PdfReader(io.BytesIO(pdf)), docx.Document(io.BytesIO(word))


def test_documents_say_their_version_on_the_cover_and_in_their_properties():
    html = "<h1>Safer Plymouth update</h1><p>Figures for April to November 2016.</p>"

    pdf, word = _files(html, version=2, published=PUBLISHED, author="Safer Plymouth")

    line = "Version 2, published 14 December 2016"
    # The cover's line ends with a full stop, as the page's version line does.
    assert f"Safer Plymouth update {line}. Figures for" in _pdf_text(pdf)
    assert pdf.metadata.subject == line
    assert [p.text for p in word.paragraphs[:2]] == ["Safer Plymouth update", f"{line}."]
    assert word.core_properties.subject == line
    assert word.core_properties.version == "2"
    assert word.core_properties.revision == 2


def test_documents_say_why_their_version_was_published():
    html = "<h1>Safer Plymouth update</h1><p>Figures for April to November 2016.</p>"
    why = "Burglary figures for October corrected by the police"

    pdf, word = _files(html, version=2, published=PUBLISHED, reason=why)

    line = f"Version 2, published 14 December 2016: {why}"
    assert f"Safer Plymouth update {line}. Figures for" in _pdf_text(pdf)
    assert pdf.metadata.subject == line
    assert [p.text for p in word.paragraphs[:2]] == ["Safer Plymouth update", f"{line}."]
    assert word.core_properties.subject == line


def test_a_reason_ending_as_a_sentence_does_gets_no_second_stop_on_the_cover():
    """Reader review: the page printed "...for October?." and the cover no stop at all."""
    html = "<h1>Safer Plymouth update</h1><p>Figures for April to November 2016.</p>"
    why = "Why were October's figures late?"

    pdf, word = _files(html, version=2, published=PUBLISHED, reason=why)

    line = f"Version 2, published 14 December 2016: {why}"
    assert f"{line} Figures for" in _pdf_text(pdf)
    assert word.paragraphs[1].text == line


def test_documents_without_a_version_say_none():
    pdf, word = _files("<h1>Draft</h1><p>Text.</p>")

    assert "Version" not in _pdf_text(pdf) and not pdf.metadata.subject
    assert [p.text for p in word.paragraphs] == ["Draft", "Text."]
    assert word.core_properties.subject == "" and word.core_properties.version == ""


HIDDEN_CAPTION = (
    "<h1>T</h1><table><caption class='govuk-table__caption govuk-visually-hidden'>"
    "Rate and rank in the most similar group</caption><thead><tr><th>Indicator</th>"
    "<th>Rate</th></tr></thead><tbody><tr><th>Crime</th><td>1.2</td></tr></tbody></table>"
)


def test_pdf_prints_a_visually_hidden_caption_apart_from_the_header_row():
    pdf, _ = _files(HIDDEN_CAPTION)

    text = pdf.pages[0].extract_text()
    assert "Rate and rank in the most similar group\nIndicator" in text
    assert ("/Caption", None) in _structure(pdf.trailer["/Root"]["/StructTreeRoot"]["/K"], [])


def test_word_captions_every_table_a_visually_hidden_caption_too():
    _, word = _files(HIDDEN_CAPTION)

    caption = word.paragraphs[1]
    assert caption.text == "Rate and rank in the most similar group"
    assert caption.style.name == "Caption"
    table = word.tables[0]._tbl.tblPr
    assert table.find(qn("w:tblCaption")).get(qn("w:val")) == caption.text


def test_word_puts_no_space_before_a_status_keys_colon():
    html = (
        '<dl><div><dt>\n<strong class="govuk-tag app-status app-status--green">'
        '<span aria-hidden="true">G</span> Green</strong>\n</dt><dd>On track.</dd></div></dl>'
    )
    _, word = _files(html)

    assert word.paragraphs[0].text == "Green: On track."


def test_word_settings_give_the_theme_fonts_british_english():
    data = documents.render_docx("<h1>T</h1>", title="T", charts={})

    with zipfile.ZipFile(io.BytesIO(data)) as files:
        settings = files.read("word/settings.xml").decode()
    assert '<w:themeFontLang w:val="en-GB"' in settings
    assert "en-US" not in settings


def test_pdf_bookmarks_leave_out_status_badges():
    html = (
        "<h1>Report</h1><h2>2. Key findings</h2><h4><span class='app-para__no'>2.2</span> "
        "<a href='#i1'>Increase reporting</a> <span class='app-code'>SP 07</span> "
        '<strong class="govuk-tag app-status app-status--amber">'
        '<span aria-hidden="true">A</span> Amber</strong></h4><p id="i1">Text.</p>'
    )
    pdf, _ = _files(html)

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    assert list(titles(pdf.outline)) == [
        "Report",
        "2. Key findings",
        "2.2 Increase reporting SP 07",
    ]
    assert "SP 07 A Amber" in _pdf_text(pdf)  # the badge is still printed


def _headed_tables() -> str:
    """A late figures table under its heading, and the overdue actions appendix, as the
    report prints them."""
    from django.template.loader import render_to_string

    late = [
        {
            "title": "Hate crime",
            "code": "SP 09",
            "what": "November 2016",
            "new": "36",
            "places": 0,
            "suffix": "",
            "new_parts": None,
            "reason": "came in late",
        }
    ]
    heading = '<h3 class="govuk-heading-m">Figures received since the last report</h3>'
    return (
        "<h1>T</h1>"
        + heading
        + render_to_string("reports/_late_figures.html", {"late": late, "headed": True})
        + render_to_string(
            "reports/_appendices.html",
            {
                "appendices": {"overdue": {"letter": "C", "title": "Overdue actions"}},
                "s": {
                    "actions": {
                        "overdue": [
                            {
                                "title": "Fix it",
                                "lead": "Ann",
                                "due": "2016-10-01",
                                "status": "Red",
                                "status_key": "red",
                            }
                        ]
                    }
                },
                "status_labels": {},
            },
        )
    )


def test_documents_print_no_caption_a_heading_just_above_already_says():
    """Review finding: with hidden captions printed, "Figures received since the last
    report" and "Overdue actions" each came twice: the heading, then the caption."""
    pdf, word = _files(_headed_tables())

    text = _pdf_text(pdf)
    assert text.count("Figures received since the last report") == 1
    assert "Appendix C. Overdue actions Action Lead Due RAG rating (risk to delivery)" in text
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs.count("Figures received since the last report") == 1
    assert not [p for p in word.paragraphs if p.style.name == "Caption"]
    assert "Appendix C. Overdue actions" in paragraphs
