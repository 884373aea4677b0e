"""A report's HTML (as cleaned by `documents.report_content`) written as a Word document.

python-docx has no HTML import, so this walks the known subset of elements (see the
contract in `documents`) and writes real Word structure: heading styles, numbered and
bulleted list styles, tables with repeating header rows, pictures with alt text.
"""

import datetime
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from csp_portal.core.text import NOT_IN_XML, xml_safe

FONT = "Arial"
TEXT = RGBColor(0x0B, 0x0C, 0x0C)
LINK = RGBColor(0x1D, 0x70, 0xB8)
# The status colours of portal.css; white text on each is at least 4.5:1.
STATUS_FILL = {"green": "00703C", "amber": "B35900", "red": "D4351C"}
HEADING_SIZES = {1: 22, 2: 17, 3: 14, 4: 12}
PICTURE_WIDTH = Cm(16)
TEXT_WIDTH = Cm(17)  # A4 less two 2 cm margins
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "li",
    "main", "nav", "ol", "p", "section", "table", "ul",
}  # fmt: skip


# The report's contents list (`documents`), written as Word's table of contents: a TOC
# field of the Heading 2s (the parts) in the bookmark CONTENTS_RANGE, from the first part
# the list names to the last (not the cover sheet, the contents' own heading or the
# background papers after the appendices). Its result, shown until Word updates it, is the
# list as the PDF gives it, each entry a link to its part's heading; "Update field" in Word
# adds each part's page. The file does not ask Word to update its fields on opening
# (w:updateFields): Word would ask the reader about "fields that may refer to other files"
# every time the stored file is opened, which an agenda pack's reader should not be asked.
CONTENTS_LIST = "app-report__contents-list"
CONTENTS_RANGE = "r_contents_range"
CONTENTS_FIELD = f' TOC \\o "2-2" \\h \\z \\b {CONTENTS_RANGE} '
CONTENTS_STYLE = "toc 2"  # Word's own name for its contents' second level


@dataclass(frozen=True)
class Style:
    bold: bool = False
    italic: bool = False
    href: str | None = None
    status: str | None = None


@dataclass
class Piece:
    text: str
    style: Style
    line_break: bool = False


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def _is_block(element) -> bool:
    return element.tag in BLOCK_TAGS or (
        element.tag == "img" and element.get("data-chart-id") is not None
    )


def bookmark_name(element_id: str) -> str:
    # Word: a letter first, letters, digits and underscores, at most 40 characters.
    return ("r_" + re.sub(r"\W", "_", element_id))[:40]


class WordWriter:
    def __init__(
        self, *, images, title, lang, resolve, author="", published=None, version=None, edition=""
    ):
        self.images = images
        self.resolve = resolve
        self.document = Document()
        self._bookmark_id = 0
        self._pending_ids: list[str] = []
        self._contents_targets: list[str] = []  # the bookmarks the contents list links to
        # Inside a chart's figure, up to its picture: its title and subtitle are kept on
        # the picture's page.
        self._keep_with_picture = False
        self._set_up(title, lang)
        self._properties(author, published)
        if version:
            # Which published version this is, as its cover says (`documents.edition`).
            properties = self.document.core_properties
            properties.subject = edition
            properties.version = str(version)
            properties.revision = version
        self._footer(title)

    # -- document set-up -------------------------------------------------------------
    def _properties(self, author: str, published: datetime.datetime | None) -> None:
        """Who the file is by and when it was made, as the PDF says: created and modified
        when the version was published (to the second, in UTC), not the dates python-docx's
        template carries (23 December 2013)."""
        properties = self.document.core_properties
        properties.author = properties.last_modified_by = author
        if published is None:
            element = properties._element  # python-docx has no way to unset a date
            for name in ("dcterms:created", "dcterms:modified"):
                for date in element.findall(qn(name)):
                    element.remove(date)
            return
        moment = published.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None)
        properties.created = properties.modified = moment

    def _set_up(self, title: str, lang: str) -> None:
        document = self.document
        document.core_properties.title = title
        document.core_properties.language = lang
        document.core_properties.comments = ""
        section = document.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
        # The language of all text, set once in the defaults every style inherits.
        defaults = document.styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        language = run_defaults.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            run_defaults.append(language)
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            language.set(qn(attribute), lang)
        # The template's theme fonts are for US English (and Japanese): Word offers their
        # language to text typed into the file.
        theme_language = document.settings.element.find(qn("w:themeFontLang"))
        if theme_language is not None:
            theme_language.attrib.clear()
            theme_language.set(qn("w:val"), lang)
        for name in ("Normal", "Title", "Caption", "Quote", "List Number", "List Bullet"):
            self._font(document.styles[name], size=12)
        normal = document.styles["Normal"].paragraph_format
        normal.space_after = Pt(8)
        normal.line_spacing = 1.15
        for level, size in HEADING_SIZES.items():
            style = document.styles[f"Heading {level}"]
            self._font(style, size=size, bold=True)
            style.font.italic = False
            style.paragraph_format.space_before = Pt(18 if level < 3 else 12)
            style.paragraph_format.space_after = Pt(6)
        caption = document.styles["Caption"]
        caption.font.bold = True
        caption.font.italic = False

    def _footer(self, title: str) -> None:
        """Each page's foot, as in the PDF: the report's title, and "Page X of Y" at the
        right (Word's PAGE and NUMPAGES fields, counted when the file is opened)."""
        style = self.document.styles["Footer"]
        self._font(style, size=12)
        # The template's centre and right stops fall short of this text width: a short title
        # would tab to the middle of the foot.
        style.paragraph_format.tab_stops.clear_all()
        paragraph = self.document.sections[0].footer.paragraphs[0]
        paragraph.style = style
        stops = paragraph.paragraph_format.tab_stops
        stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(f"{title}\tPage ")
        self._field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        self._field(paragraph, "NUMPAGES")

    @staticmethod
    def _field(paragraph, instruction: str) -> None:
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), instruction)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"  # shown until Word updates the field
        run.append(text)
        field.append(run)
        paragraph._p.append(field)

    def _font(self, style, *, size, bold=None) -> None:
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = TEXT
        if bold is not None:
            style.font.bold = bold
        # Theme fonts and colours win over named ones in Word: drop them.
        fonts = style.element.rPr.find(qn("w:rFonts"))
        for attribute in list(fonts.attrib):
            if "Theme" in attribute or "theme" in attribute:
                del fonts.attrib[attribute]
        fonts.set(qn("w:cs"), FONT)
        fonts.set(qn("w:eastAsia"), FONT)
        color = style.element.rPr.find(qn("w:color"))
        for attribute in list(color.attrib):
            if "theme" in attribute.lower():
                del color.attrib[attribute]

    # -- blocks ----------------------------------------------------------------------
    def write(self, root) -> None:
        self.blocks(root, self.document)
        if self._contents_targets:
            self._mark_contents_range()

    def blocks(self, element, container, *, list_level: int = 0) -> None:
        """Write the element's children into container (the document or a table cell)."""
        pieces: list[Piece] = []
        self._text(element.text, Style(), pieces)
        for child in element:
            if not isinstance(child.tag, str):
                self._text(child.tail, Style(), pieces)
                continue
            if _is_block(child):
                self._paragraph_from(pieces, container)
                pieces = []
                self.block(child, container, list_level=list_level)
            else:
                self.inline(child, Style(), pieces)
            self._text(child.tail, Style(), pieces)
        self._paragraph_from(pieces, container)

    def block(self, element, container, *, list_level: int = 0) -> None:
        tag = element.tag
        if element.get("id"):
            # Bookmarked at the next paragraph written, so "#id" links land here.
            self._pending_ids.append(element.get("id"))
        if re.fullmatch(r"h[1-6]", tag):
            level = min(int(tag[1]), 4)
            heading = self._paragraph_from(
                self.pieces(element), container, style=f"Heading {level}", force=True
            )
            parent = element.getparent()
            if tag == "h2" and parent is not None and "app-report__appendix" in _classes(parent):
                heading.paragraph_format.page_break_before = True  # each appendix a new page
        elif tag == "p":
            classes = _classes(element)
            style = "Caption" if "app-details__summary" in classes else None
            # A paragraph dressed as a heading (a chart's title) is bold, not a heading.
            bold = any(c.startswith("govuk-heading-") for c in classes)
            self._paragraph_from(self.pieces(element, Style(bold=bold)), container, style=style)
        elif tag in ("ul", "ol"):
            self.write_list(element, container, list_level=list_level)
        elif tag == "table":
            self.table(element, container)
        elif tag == "dl":
            self.definition_list(element, container)
        elif tag == "img":
            self.picture(element, container)
        elif tag == "hr":
            return
        elif tag == "blockquote":
            self._paragraph_from(self.pieces(element), container, style="Quote")
        elif tag == "figure" and element.find(".//img[@data-chart-id]") is not None:
            self._keep_with_picture = True
            self.blocks(element, container, list_level=list_level)
            self._keep_with_picture = False
        else:  # div, section, figure, li outside a list...: their children
            self.blocks(element, container, list_level=list_level)

    def write_list(self, element, container, *, list_level: int) -> None:
        classes = _classes(element)
        if CONTENTS_LIST in classes and container is self.document:
            self.contents_list(element, container)
            return
        plain = "govuk-list" in classes and not {
            "govuk-list--number",
            "govuk-list--bullet",
        } & set(classes)
        numbered = element.tag == "ol" and not plain
        depth = " 2" if list_level else ""
        if plain:  # a GOV.UK list with no bullets or numbers (a contents list)
            style = "List Continue" + depth if list_level else "Normal"
        else:
            style = ("List Number" if numbered else "List Bullet") + depth
        number = int(element.get("start") or 1)
        first = True
        for item in element.iter("li"):
            if item.getparent() is not element:
                continue
            if item.get("value"):
                number, first = int(item.get("value")), True
            # A fresh numbering instance restarts the count (Word continues it otherwise).
            restart = number if numbered and first and not list_level else None
            self.list_item(item, container, style=style, restart=restart, level=list_level)
            first = False
            number += 1

    def list_item(self, item, container, *, style, restart, level) -> None:
        pieces: list[Piece] = []
        self._text(item.text, Style(), pieces)
        wrote_first = False

        def flush(*, force=False):
            # The item's first paragraph carries the number; later ones continue it.
            nonlocal pieces, wrote_first
            block_style = "List Continue" if wrote_first else style
            paragraph = self._paragraph_from(pieces, container, style=block_style, force=force)
            if paragraph is not None and not wrote_first:
                if restart is not None:
                    self._restart_numbering(paragraph, restart)
                wrote_first = True
            pieces = []

        for child in item:
            if not isinstance(child.tag, str):
                self._text(child.tail, Style(), pieces)
                continue
            if child.tag == "p":
                flush()
                pieces = self.pieces(child)
                flush()
            elif child.tag in ("ul", "ol"):
                flush()
                self.write_list(child, container, list_level=level + 1)
            elif _is_block(child):
                flush()
                self.block(child, container, list_level=level + 1)
            else:
                self.inline(child, Style(), pieces)
            self._text(child.tail, Style(), pieces)
        flush(force=not wrote_first)

    def _restart_numbering(self, paragraph, start: int) -> None:
        numbering = self.document.part.numbering_part.numbering_definitions._numbering
        style = self.document.styles["List Number"]
        style_num_id = style.element.pPr.numPr.numId.val
        abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
        num = numbering.add_num(abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num.numId

    # -- the contents ----------------------------------------------------------------
    def contents_list(self, element, container) -> None:
        """The report's contents as Word's table of contents (`CONTENTS_FIELD`), its result
        the list's entries."""
        entries = []
        for item in element.iterchildren("li"):
            paragraph = self._paragraph_from(self.pieces(item), container, style=self._toc_style())
            if paragraph is None:
                continue
            entries.append(paragraph)
            for link in item.iter("a"):
                if (link.get("href") or "").startswith("#"):
                    self._contents_targets.append(bookmark_name(link.get("href")[1:]))
        if not entries:
            return
        begin = [self._field_char("begin"), self._instruction(CONTENTS_FIELD)]
        begin.append(self._field_char("separate"))
        first = entries[0]._p
        at = 1 if first.pPr is not None else 0
        for offset, run in enumerate(begin):
            first.insert(at + offset, run)
        entries[-1]._p.append(self._field_char("end"))

    def _toc_style(self):
        """Word's "TOC 2", as the PDF's contents: each page at the right after dots."""
        styles = self.document.styles
        if CONTENTS_STYLE in [style.name for style in styles]:
            return styles[CONTENTS_STYLE]
        style = styles.add_style(CONTENTS_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.element.styleId = "TOC2"
        style.element.attrib.pop(qn("w:customStyle"), None)  # Word's own, not the file's
        style.base_style = styles["Normal"]
        style.next_paragraph_style = styles["Normal"]
        style.paragraph_format.space_after = Pt(5)
        style.paragraph_format.tab_stops.add_tab_stop(
            TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        return style

    @staticmethod
    def _field_char(kind: str):
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        return run

    @staticmethod
    def _instruction(text: str):
        run = OxmlElement("w:r")
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = text
        run.append(instruction)
        return run

    def _mark_contents_range(self) -> None:
        """Bookmarks the body from the first part the contents list names to the Heading 2
        after the last (or the end): the parts Word lists when it updates the contents."""
        targets = set(self._contents_targets)
        body = self.document.element.body
        blocks = [child for child in body if child.tag != qn("w:sectPr")]

        def names(block) -> set[str]:
            return {b.get(qn("w:name")) for b in block.iterchildren(qn("w:bookmarkStart"))}

        named = [i for i, block in enumerate(blocks) if names(block) & targets]
        if not named:
            return
        after = next(
            (
                block
                for block in blocks[named[-1] + 1 :]
                if block.tag == qn("w:p") and block.style == "Heading2"
            ),
            None,
        )
        self._bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_id))
        start.set(qn("w:name"), CONTENTS_RANGE)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_id))
        blocks[named[0]].addprevious(start)
        if after is not None:
            after.addprevious(end)
        else:
            blocks[-1].addnext(end)

    def definition_list(self, element, container) -> None:
        key: list[Piece] = []
        for child in element.iter("dt", "dd"):
            if child.tag == "dt":
                key = self.pieces(child, Style(bold=True))
                # The key's trailing white space ("Green\n") would come before its colon.
                for piece in reversed(key):
                    piece.text = piece.text.rstrip()
                    if piece.text or piece.line_break:
                        break
                continue
            if any(_is_block(grandchild) for grandchild in child):
                self._paragraph_from(key, container, keep_with_next=True)
                self.blocks(child, container)
            else:
                label = [*key, Piece(": ", Style(bold=True))] if key else []
                self._paragraph_from([*label, *self.pieces(child)], container)
            key = []

    def table(self, element, container) -> None:
        caption = element.find("caption")
        if self._ends_with_table(container):
            # Word joins two tables that touch into one.
            container.add_paragraph().paragraph_format.space_after = Pt(0)
        if caption is not None and "app-caption--headed" not in caption.get("class", "").split():
            # A visually hidden caption too: on paper it names the table for every reader,
            # as the PDF prints it (print.css), unless a heading of the same words is
            # just above.
            self._paragraph_from(
                self.pieces(caption), container, style="Caption", keep_with_next=True
            )
        rows, header_rows = [], 0
        for part in element:
            if part.tag == "tr":
                rows.append(part)
            elif part.tag in ("thead", "tbody", "tfoot"):
                part_rows = [row for row in part if row.tag == "tr"]
                if part.tag == "thead" and len(rows) == header_rows:
                    header_rows += len(part_rows)
                rows.extend(part_rows)
        if not rows:
            return
        if header_rows == 0 and all(cell.tag == "th" for cell in rows[0]):
            header_rows = 1
        columns = max(sum(_span(c) for c in row if c.tag in ("th", "td")) for row in rows)
        table = container.add_table(rows=0, cols=columns)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        self._cell_margins(table)
        if caption is not None:
            self._table_caption(table, "".join(caption.itertext()).strip())
        for index, row in enumerate(rows):
            word_row = table.add_row()
            properties = word_row._tr.get_or_add_trPr()
            properties.append(self._on("w:cantSplit"))
            if index < header_rows:
                properties.append(self._on("w:tblHeader"))
            at = 0
            for cell in (c for c in row if c.tag in ("th", "td")):
                # A cell across columns ("No figures for this period") is one merged cell.
                span = min(_span(cell), columns - at)
                word_cell = word_row.cells[at]
                if span > 1:
                    word_cell = word_cell.merge(word_row.cells[at + span - 1])
                self.cell(cell, word_cell, header=index < header_rows)
                at += span
        self._column_widths(table, rows, columns)

    @staticmethod
    def _column_widths(table, rows, columns: int) -> None:
        """Widths by content: every column fits its longest word (no word broken across
        lines), and the width left over goes to the columns with the longest text."""
        char, padding = Cm(0.27), Cm(0.45)  # 12pt Arial, bold at worst; cell margins
        longest_word, longest_text = [1] * columns, [1] * columns
        for row in rows:
            cells = [c for c in row if c.tag in ("th", "td")]
            starts = itertools.accumulate((_span(c) for c in cells), initial=0)
            for index, cell in zip(starts, cells, strict=False):
                if index >= columns or _span(cell) > 1:
                    continue  # a cell across columns sets none of their widths
                words = "".join(cell.itertext()).split()
                longest_word[index] = max([longest_word[index], *(len(w) for w in words)])
                longest_text[index] = max(longest_text[index], min(len(" ".join(words)), 40))
        least = [padding + char * n for n in longest_word]
        wanted = [padding + char * n for n in longest_text]
        if sum(least) >= TEXT_WIDTH:
            widths = [w * TEXT_WIDTH / sum(least) for w in least]
        else:
            spare = TEXT_WIDTH - sum(least)
            extra = [w - m for w, m in zip(wanted, least, strict=True)]
            share = sum(extra) or 1
            widths = [
                m + min(e, spare * e / share) if sum(wanted) > TEXT_WIDTH else w
                for m, e, w in zip(least, extra, wanted, strict=True)
            ]
        for index, width in enumerate(widths):
            table.columns[index].width = int(width)
            for cell in table.columns[index].cells:
                cell.width = int(width)

    def _ends_with_table(self, container) -> bool:
        element = container._element
        element = element.body if element.tag == qn("w:document") else element
        last = [child for child in element if child.tag != qn("w:sectPr")][-1:]
        return bool(last) and last[0].tag == qn("w:tbl")

    def cell(self, cell, word_cell, *, header: bool) -> None:
        start = len(word_cell.paragraphs)
        bold = header or cell.tag == "th"
        if any(_is_block(child) for child in cell):
            self.blocks(cell, word_cell)
        else:
            self._paragraph_from(self.pieces(cell, Style(bold=bold)), word_cell, force=True)
        paragraphs = word_cell.paragraphs
        # A new cell holds one empty paragraph; drop it once there is real content.
        if start == 1 and len(paragraphs) > 1 and not paragraphs[0].text:
            paragraphs[0]._p.getparent().remove(paragraphs[0]._p)
        numeric = any("numeric" in name for name in _classes(cell))
        for paragraph in word_cell.paragraphs:
            paragraph.paragraph_format.space_after = Pt(0)
            if numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    @staticmethod
    def _cell_margins(table) -> None:
        margins = OxmlElement("w:tblCellMar")
        for side, twips in (("top", 40), ("left", 100), ("bottom", 40), ("right", 100)):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(twips))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        properties = table._tbl.tblPr
        look = properties.find(qn("w:tblLook"))  # the schema puts the margins before it
        if look is not None:
            look.addprevious(margins)
        else:
            properties.append(margins)

    def _table_caption(self, table, text: str) -> None:
        # Word's table alt text (title and description), read by screen readers.
        properties = table._tbl.tblPr
        for name in ("w:tblCaption", "w:tblDescription"):
            element = OxmlElement(name)
            element.set(qn("w:val"), text[:255])
            properties.append(element)

    def picture(self, element, container) -> None:
        png = self.images[element.get("data-chart-id")]
        self._keep_with_picture = False  # its source, after it, may go to the next page
        paragraph = container.add_paragraph()
        paragraph.paragraph_format.keep_together = True
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(png), width=PICTURE_WIDTH)
        for properties in run._r.iter(qn("wp:docPr")):
            properties.set("descr", element.get("alt", ""))

    # -- inline text -----------------------------------------------------------------
    def pieces(self, element, style: Style = Style()) -> list[Piece]:
        pieces: list[Piece] = []
        self._text(element.text, style, pieces)
        for child in element:
            if isinstance(child.tag, str):
                self.inline(child, style, pieces)
            self._text(child.tail, style, pieces)
        return pieces

    def inline(self, element, style: Style, pieces: list[Piece]) -> None:
        classes = _classes(element)
        # A status's letter or a direction's arrow (``data-shape``) is hidden from screen
        # readers on the page, beside its word; Word has no such hiding, and the file keeps
        # the shape the page and the PDF show (a cue that is not colour alone).
        hidden = element.get("aria-hidden") == "true" and element.get("data-shape") is None
        if hidden or "govuk-visually-hidden" in classes:
            return
        if element.tag == "br":
            pieces.append(Piece("", style, line_break=True))
            return
        if element.tag in ("strong", "b") or "app-para__no" in classes:
            style = replace(style, bold=True)
        elif element.tag in ("em", "i"):
            style = replace(style, italic=True)
        elif element.tag == "a" and element.get("href"):
            style = replace(style, href=element.get("href"))
        if "govuk-tag" in classes:
            status = next(
                (c.removeprefix("app-status--") for c in classes if c.startswith("app-status--")),
                None,
            )
            style = replace(style, bold=True, status=status)
        self._text(element.text, style, pieces)
        for child in element:
            if isinstance(child.tag, str):
                self.inline(child, style, pieces)
            self._text(child.tail, style, pieces)

    @staticmethod
    def _text(text: str | None, style: Style, pieces: list[Piece]) -> None:
        if text:
            pieces.append(Piece(text, style))

    def _paragraph_from(self, pieces, container, *, style=None, force=False, keep_with_next=False):
        """A paragraph of the pieces, with HTML's white space collapsed; None if empty."""
        for piece in pieces:
            piece.text = re.sub(r"\s+", " ", piece.text)
        # Collapse spaces across pieces and trim both ends, as a browser does.
        previous_space = True
        for piece in pieces:
            if piece.line_break:
                previous_space = True
                continue
            if previous_space:
                piece.text = piece.text.lstrip(" ")
            if piece.text:
                previous_space = piece.text.endswith(" ")
        for piece in reversed(pieces):
            if piece.line_break:
                break
            piece.text = piece.text.rstrip(" ")
            if piece.text:
                break
        pieces = [p for p in pieces if p.text or p.line_break]
        if not pieces and not force:
            return None
        after_table = self._ends_with_table(container)
        paragraph = container.add_paragraph(style=style)
        if after_table:
            paragraph.paragraph_format.space_before = Pt(10)
        if keep_with_next or self._keep_with_picture:
            paragraph.paragraph_format.keep_with_next = True
        for piece in pieces:
            self._run(paragraph, piece)
        for element_id in self._pending_ids:
            self._bookmark(paragraph, element_id)
        self._pending_ids = []
        return paragraph

    def _run(self, paragraph, piece: Piece) -> None:
        if piece.line_break:
            paragraph.add_run().add_break()
            return
        href = piece.style.href
        target = None
        if href and href.startswith("#"):
            target = ("anchor", bookmark_name(href[1:]))
        elif href and re.match(r"^(https?:|mailto:|tel:)", href):
            target = ("external", href)
        elif href and self.resolve:
            target = ("external", self.resolve(href))
        if target is None:
            run = paragraph.add_run(piece.text)
            self._format(run, piece.style)
            return
        link = OxmlElement("w:hyperlink")
        if target[0] == "anchor":
            link.set(qn("w:anchor"), target[1])
        else:
            relationship = paragraph.part.relate_to(
                target[1], RELATIONSHIP_TYPE.HYPERLINK, is_external=True
            )
            link.set(qn("r:id"), relationship)
        run = paragraph.add_run(piece.text)
        self._format(run, piece.style)
        run.font.color.rgb = LINK
        run.font.underline = True
        link.append(run._r)
        paragraph._p.append(link)

    @staticmethod
    def _format(run, style: Style) -> None:
        run.bold = style.bold or None
        run.italic = style.italic or None
        if style.status in STATUS_FILL:
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:color"), "auto")
            shading.set(qn("w:fill"), STATUS_FILL[style.status])
            run._r.get_or_add_rPr().append(shading)

    def _bookmark(self, paragraph, element_id: str) -> None:
        self._bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_id))
        start.set(qn("w:name"), bookmark_name(element_id))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_id))
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(end)

    @staticmethod
    def _on(name: str):
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        return element


def render_word(
    root,
    *,
    images: dict[str, bytes],
    title: str,
    lang: str,
    resolve: Callable | None,
    author: str = "",
    published: datetime.datetime | None = None,
    version: int | None = None,
    edition: str = "",
):
    """A python-docx Document of the cleaned report element; ``author`` and ``published``
    are its properties (who by, created and modified), ``version`` and ``edition`` which
    published version it is (the number, and the line its cover carries)."""
    _without_control_characters(root)
    writer = WordWriter(
        images=images,
        title=xml_safe(title),
        lang=lang,
        resolve=resolve,
        author=xml_safe(author),
        published=published,
        version=version,
        edition=xml_safe(edition),
    )
    writer.write(root)
    return writer.document


def _without_control_characters(root) -> None:
    """Takes out of the element's text and attributes what XML cannot hold: python-docx
    refuses a run holding one ("All strings must be XML compatible"), which would stop the
    file being made. The forms refuse them; this keeps text saved before that, or written
    some other way, from breaking the document."""
    for element in root.iter():
        if element.text and NOT_IN_XML.search(element.text):
            element.text = xml_safe(element.text)
        if element.tail and NOT_IN_XML.search(element.tail):
            element.tail = xml_safe(element.tail)
        for name, value in element.attrib.items():
            if NOT_IN_XML.search(value):
                element.set(name, xml_safe(value))


def _span(cell) -> int:
    """How many columns a table cell crosses (its ``colspan``; 1 if none or not a number)."""
    span = cell.get("colspan", "1")
    return max(int(span), 1) if span.isdigit() else 1
