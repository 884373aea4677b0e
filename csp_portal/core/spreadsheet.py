"""Text a spreadsheet would run as a formula (CSV injection): every download writes it
through ``spreadsheet_safe``, every import reads it back through ``spreadsheet_text``.
Every CSV download is written by ``CsvWriter`` (or ``CsvDictWriter``), which keeps a
cell's line ends inside its quotes."""

import csv
import re
from decimal import Decimal, InvalidOperation

from .text import one_line_end

# Exports prefix such text with an apostrophe, which Excel shows as plain text; imports
# take the apostrophe off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# Apostrophes then a formula's first character: what an import takes one apostrophe off.
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def spreadsheet_safe(text: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula (numbers stay numbers);
    text that already starts with apostrophes before such a character gets one more, so an
    import gives it back as it was (``spreadsheet_text``). Its line ends are made "\n"
    first, as the CSV writer writes them (`CsvWriter`)."""
    text = one_line_end(text)
    if _ESCAPED.match(text):
        return "'" + text
    if not text.startswith(FORMULA_START):
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return "'" + text
    return text if number.is_finite() else "'" + text  # "-Infinity" is no number to Excel


def workbook_text(text: str) -> str:
    """Text for a workbook's text cell, which a spreadsheet shows as it is and never runs:
    only text starting with apostrophes before a formula's first character gets one
    more, so an import, which reads workbooks and CSV files alike, gives it back as it was
    (``spreadsheet_text``). Workbooks written with ``spreadsheet_safe`` still read back."""
    return "'" + text if _ESCAPED.match(text) else text


def spreadsheet_text(text: str) -> str:
    """Text as it was before spreadsheet_safe."""
    return text[1:] if _ESCAPED.match(text) else text


# What a cell must start with for spreadsheet_safe to change it: a quick test first.
MAY_CHANGE = (*FORMULA_START, "'")


class CsvWriter:
    """The writer of every CSV download: csv.writer's, lines ending "\n", with every text
    cell's line ends made "\n" (`one_line_end`), so a cell holding one is quoted.

    Python's writer quotes only a cell holding a character of its line end (or a comma or
    quote): a cell holding a lone "\r" would be written bare, and a spreadsheet, which ends
    a line at "\r" too, would start a new row there, with whatever follows ("=2+2", say)
    as its first cell and no apostrophe before it (`spreadsheet_safe` sees only the cell's
    start); the file would not import back either."""

    def __init__(self, handle):
        self._writer = csv.writer(handle, lineterminator="\n")

    def writerow(self, row):
        return self._writer.writerow(
            [one_line_end(cell) if isinstance(cell, str) else cell for cell in row]
        )

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class CsvDictWriter(csv.DictWriter):
    """csv.DictWriter writing through `CsvWriter`."""

    def __init__(self, handle, fieldnames):
        super().__init__(handle, fieldnames)
        self.writer = CsvWriter(handle)
