"""A streamed .xlsx writer: text and number cells, one pass, a few rows in memory at a time.

openpyxl (even in write-only mode) spent about 0.1 ms a cell binding and checking
each one; an export is text and numbers, so each row is written as XML straight into the
zip. Cells are inline strings, which Excel, LibreOffice and openpyxl read as text, but
for a `Number`'s, written as a number so that a spreadsheet adds it up.
"""

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from csp_portal.core.text import NOT_IN_XML

# NOT_IN_XML is left out of an export, and refused by an import (reading.py), so that one
# reads the other back.
__all__ = ["NOT_IN_XML", "Number", "StreamedWorkbook", "number"]
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_COLUMNS = list(_LETTERS) + [a + b for a in _LETTERS for b in _LETTERS]
_ROWS_PER_WRITE = 1000

_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>"
)
_SHEET_END = "</sheetData></worksheet>"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Number(str):
    """A number's text ("1234.5", "-17") for a number cell: a CSV file writes it as it is."""

    __slots__ = ()


# A spreadsheet's number is a double, which holds 15 significant digits exactly.
NUMBER_DIGITS = 15


def number(text: str) -> str:
    """A plain number's text as a `Number`; as text if it has more significant digits
    than a spreadsheet's number keeps, so that it reads back exactly."""
    digits = text.lstrip("-").replace(".", "").lstrip("0")
    return Number(text) if len(digits) <= NUMBER_DIGITS else text


def _cell(column: str, row: int, text: str) -> str:
    if type(text) is Number:
        return f'<c r="{column}{row}"><v>{text}</v></c>'
    if _SPECIAL.search(text):  # most cells are plain words and numbers
        text = escape(NOT_IN_XML.sub("", text))
    return f'<c r="{column}{row}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


class StreamedWorkbook:
    """Sheets of text and numbers (`Number`) written one after another into ``file``; call
    close() at the end."""

    def __init__(self, file: BinaryIO):
        self._zip = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._sheets: list[str] = []

    def add_sheet(self, name: str, rows: Iterable[Sequence[str]]) -> int:
        """Write one sheet; returns the number of rows written."""
        self._sheets.append(name)
        number = 0
        path = f"xl/worksheets/sheet{len(self._sheets)}.xml"
        with self._zip.open(path, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
            out.write(_SHEET_START)
            batch: list[str] = []
            for number, row in enumerate(rows, start=1):
                cells = "".join(
                    _cell(column, number, text)
                    for column, text in zip(_COLUMNS, row, strict=False)
                    if text
                )
                batch.append(f'<row r="{number}">{cells}</row>')
                if len(batch) == _ROWS_PER_WRITE:
                    out.write("".join(batch))
                    batch.clear()
            out.write("".join(batch))
            out.write(_SHEET_END)
        return number

    def close(self) -> None:
        count = range(1, len(self._sheets) + 1)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            f'ContentType="{_TYPE}.worksheet+xml"/>'
            for i in count
        )
        self._write(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
            f"{overrides}</Types>",
        )
        self._write(
            "_rels/.rels",
            f'<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        sheets = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, name in zip(count, self._sheets, strict=True)
        )
        self._write(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>',
        )
        links = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in count
        )
        styles = len(self._sheets) + 1
        self._write(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PACKAGE_REL}">{links}'
            f'<Relationship Id="rId{styles}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        self._write(
            "xl/styles.xml",
            f'<styleSheet xmlns="{_MAIN}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="1">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>",
        )
        self._zip.close()

    def _write(self, path: str, xml: str) -> None:
        declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        self._zip.writestr(path, declaration + xml)
