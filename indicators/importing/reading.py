"""Files to rows: a folder of CSV files, one CSV file, an .xlsx workbook, or uploads.

A file is named after its table (``actuals.csv``, or a sheet named ``actuals``); see
``registry``. A CSV file's name may start with more ending in a hyphen, underscore or
space, as a download's does (``safer-plymouth-plan-actions.csv``, ``Q3_actuals.csv``), and
end with a browser's copy number (``actuals (1).csv``), so a download updated in a
spreadsheet imports back (`NAME_RULE`). Messages name a CSV file as it was named. Reading
checks only the header; the rows are checked by each table.
"""

import codecs
import csv
import datetime
import io
import re
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from csp_portal.core.spreadsheet import spreadsheet_text
from csp_portal.core.text import joined, one_line_end
from csp_portal.core.zips import zip_problem

from . import registry
from .xlsx import NOT_IN_XML

# How a CSV file may be named, for the messages that say it (csv_table applies it).
NAME_RULE = (
    "a name may start with more ending in a hyphen, underscore or space, as in "
    "plan-actions.csv or Q3 actuals.csv, and end with a copy's number, as in actuals (1).csv"
)

USE_THE_COMMAND = (
    "For an import this big, ask an administrator to run it on the server with "
    "python manage.py import_data (a folder of CSV files or one .xlsx workbook): "
    "the same checks, all or nothing, with no size limit."
)


class Row:
    """One record of a table: ``get(column)`` is its stripped cell text ('' if absent), each
    line of it ending "\n"; ``percent``, the columns whose workbook cell Excel shows as a
    percentage (read as it shows it: 0.9 as "90%")."""

    __slots__ = ("columns", "number", "table", "values")

    def __init__(self, number: int, values: list[str], columns: dict[str, int], table: str):
        self.number = number  # the spreadsheet row: the header is row 1
        self.values = values
        self.columns = columns  # column name -> position in values
        self.table = table

    def get(self, column: str) -> str:
        try:  # called for every cell of millions of rows: the usual case first
            text = self.values[self.columns[column]].strip()
        except (KeyError, IndexError):  # no such column, or a short row
            return ""
        if "\r" in text:  # a line end within the cell: "\r\n", or a lone "\r" (old Macs)
            text = one_line_end(text)
        return spreadsheet_text(text) if text[:1] == "'" else text

    @property
    def data(self) -> dict[str, str]:
        return {name: self.get(name) for name in self.columns}

    percent: frozenset[str] = frozenset()


class PercentRow(Row):
    """A workbook's row with a cell Excel shows as a percentage (``Row.percent``)."""

    __slots__ = ("percent",)


# A table's rows: a list, a SheetRows, or a CsvRows that reads its file as they are checked.
Tables = dict[str, Iterable[Row]]


class SheetRows(list):
    """The rows of one sheet of a workbook: messages name the sheet, not a CSV file."""


def place(name: str, rows: Iterable[Row] | None = None) -> str:
    """How messages name a table: ``sheet 'actuals'`` for a workbook's, else its CSV file
    as named (``q3-actuals.csv``; ``actuals.csv`` when not known)."""
    if isinstance(rows, SheetRows):
        return f"sheet '{name}'"
    return getattr(rows, "file", None) or f"{name}.csv"


def _header(cells: Iterable) -> tuple[list[str], dict[str, int]]:
    # Column names are lower case: "Period" from a spreadsheet is the period column.
    header = [_cell(h).strip().lower() for h in cells]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        columns.setdefault(name, index)
    return header, columns


def _missing(name: str, header: list[str]) -> list[str]:
    return sorted(set(registry.get(name).required) - set(header))


def _missing_words(name: str, header: list[str], missing: list[str]) -> str:
    """The error's words for required columns the first row does not name: when it names
    none of the table's columns, it is likely figures, not a heading row."""
    words = f"missing column(s) {', '.join(missing)}"
    if not set(header) & set(registry.get(name).columns):
        words += ": the first row must be the column names"
    return words


def _is_record(values: list[str]) -> bool:
    """Whether a CSV record holds a cell that is not blank: a blank line is none, nor is a
    row of only commas (",,,,,,"), which Excel and LibreOffice write for each empty row
    below the data, skipped as a workbook's empty rows are."""
    return bool(values) and (bool(values[0].strip()) or any(cell.strip() for cell in values))


class CsvRows:
    """The rows of one CSV file, read a record at a time each time they are iterated,
    so a file of millions of rows is never held in memory."""

    def __init__(
        self,
        name: str,
        open_text: Callable[[], TextIO],
        columns: dict[str, int],
        count: int,
        file: str | None = None,
    ):
        self.name, self._open, self.columns, self._count = name, open_text, columns, count
        self.file = file or f"{name}.csv"  # the file's name, as messages give it

    def __iter__(self) -> Iterator[Row]:
        with self._open() as handle:
            reader = csv.reader(handle)
            next(reader, None)
            for number, values in enumerate(reader, start=2):
                if _is_record(values):
                    yield Row(number, values, self.columns, self.name)

    def __len__(self) -> int:
        """The number of records (counted when the file was first read through)."""
        return self._count


def count_rows(tables: Tables) -> int:
    return sum(len(rows) for rows in tables.values())


def _scan(open_text: Callable[[], TextIO]) -> tuple[int | None, bool]:
    """(The first line holding a NUL character, which no field (nor PostgreSQL) can store;
    whether any other character a workbook cannot hold is there), found a block at a
    time, at C speed."""
    line, controls = 1, False
    with open_text() as handle:
        while block := handle.read(1 << 20):
            at = block.find("\x00")
            if at >= 0:
                return line + block.count("\n", 0, at), controls
            controls = controls or NOT_IN_XML.search(block) is not None
            line += block.count("\n")
    return None, controls


def _control_cells(file: str, number: int, values: list[str], header: list[str]) -> list[str]:
    """Why each cell of this record holding a control character is refused: the export's
    workbook cannot hold one, so the file would not read back the same."""
    problems = []
    for index, value in enumerate(values):
        found = NOT_IN_XML.search(value)
        if found:
            column = header[index].strip() if index < len(header) else f"column {index + 1}"
            problems.append(
                f"{file} row {number}: {column} holds an invisible control character "
                f"(U+{ord(found.group()):04X}), which a spreadsheet cannot hold: remove it "
                "(Excel's CLEAN function does) and import again"
            )
    return problems


# Said of a CSV file whose heading row is one cell holding semicolons: its columns are
# separated by them, so every row would be misread (a comma in a cell splitting it).
SEMICOLONS = (
    "the file is separated by semicolons: save it as CSV UTF-8 (comma delimited) and try again"
)

MAX_CONTROL_CELLS = 100  # listed one by one; any more are said in one line

# The first cell of a number written with thousands commas ("1" of 1,234), and each cell
# after it the commas split off ("234", or "568.00" of 400,568.00).
_THOUSANDS_START = re.compile(r"-?£?\d{1,3}")
_THOUSANDS_MORE = re.compile(r"\d{3}")
_THOUSANDS_LAST = re.compile(r"\d{3}(\.\d+)?")


def _width(cells: list[str]) -> int:
    """How many columns a heading row names: up to its last cell that is not blank."""
    return max((i + 1 for i, cell in enumerate(cells) if cell.strip()), default=0)


# Columns of the registered tables that hold a number: a number split by its thousands
# commas is suggested only where the joined number lands in one of them.
NUMBER_COLUMNS = frozenset(
    {
        "value",
        "numerator",
        "denominator",
        "amount",
        "contribution",
        "total_budget",
        "population",
        "households",
        "businesses",
        "tolerance",
        "stability",
    }
)
_A_NUMBER = re.compile(r"-?£?\d+(\.\d+)?%?")


def _split_number(cells: list[str], header: list[str]) -> str | None:
    """The number that commas split into several cells ("1", "234" of 1,234), joined
    again, if joining it lines the row up with the heading row: the row then has as many
    cells as the heading row names columns, the joined number is in a number column, and
    each cell after it in a number column is blank or a number. Else None: the extra cell
    came from elsewhere (a note's comma), and a number pair beside it (a numerator and
    its denominator) is not to blame."""
    extra = len(cells) - _width(header)
    names = [name.strip().lower() for name in header]
    for start, cell in enumerate(cells):
        end = start + extra + 1  # the cells joined make up the extra ones
        if end > len(cells) or not _THOUSANDS_START.fullmatch(cell.strip()):
            continue
        middle, last = cells[start + 1 : end - 1], cells[end - 1]
        if not all(_THOUSANDS_MORE.fullmatch(c.strip()) for c in middle):
            continue
        if not _THOUSANDS_LAST.fullmatch(last.strip()):
            continue
        if names[start] not in NUMBER_COLUMNS:
            continue
        later = zip(names[start + 1 :], cells[end:], strict=False)
        if all(
            name not in NUMBER_COLUMNS or not c.strip() or _A_NUMBER.fullmatch(c.strip())
            for name, c in later
        ):
            return ",".join(c.strip() for c in cells[start:end])
    return None


def _wide_row(file: str, number: int, values: list[str], header: list[str]) -> str | None:
    """Why a record with cells right of the heading row's last column is refused, or None
    (blank cells there are none: Excel writes a,b,c,, for a row of three). Read as the
    columns name them, the cells would shift and the extra be lost: 1,234 unquoted is 1
    and 234, stored as 1."""
    width = _width(header)
    if not any(cell.strip() for cell in values[width:]):
        return None
    cells = _width(values)
    why = f"{file} row {number}: {cells} cells, but the heading row names {width} columns: "
    split = _split_number(values[:cells], header)
    if split is not None:
        return f'{why}write {split} as "{split}" (in quotes) or {split.replace(",", "")}'
    last = max(width - 1, 0)
    over = [f"'{cell}'" for cell in values[last + 1 : cells]]
    read = (
        f"{header[last].strip()} reads '{values[last]}', and {joined(over)} "
        f"{'is' if len(over) == 1 else 'are'} left over: "
        if width
        else ""
    )
    # Which cell held the comma cannot be told (a description's, a note's...): no cell is
    # named as the one to quote, and deleting the cells left over would shift the columns.
    return (
        f"{why}{read}a comma inside a cell splits it in two, so put each cell that holds a "
        'comma in double quotes ("Burglary, robbery and theft")'
    )


def _read_through(
    file: str, open_text: Callable[[], TextIO], errors: list[str], controls: bool = False
) -> tuple[list[str], int] | None:
    """The header and the number of records after it, read through once (in C but for a
    line a record); None after reporting a record the csv module cannot read, a record
    with more cells than the header names (``_wide_row``), or (when ``controls`` says the
    file holds some) each cell holding a control character."""
    refused: list[str] = []
    wide: list[str] = []
    with open_text() as handle:
        reader = csv.reader(handle)
        count, start = 0, 1  # start: the line the record being read starts on
        try:
            first = next(reader, [])
            width = _width(first)
            if width == 1 and ";" in first[0]:  # Excel's "CSV" in much of Europe
                errors.append(f"{file}: {SEMICOLONS}")
                return None
            start = reader.line_num + 1
            for number, values in enumerate(reader, start=2):
                count += _is_record(values)
                start = reader.line_num + 1
                if len(values) > width and len(wide) <= MAX_CONTROL_CELLS:
                    problem = _wide_row(file, number, values, first)
                    if problem is not None:
                        wide.append(problem)
                if controls and len(refused) <= MAX_CONTROL_CELLS:
                    refused += _control_cells(file, number, values, first)
        except csv.Error as error:
            line = start
            if "field limit" in str(error):  # the usual cause: a quote opens and never closes
                errors.append(
                    f"{file} line {line}: a cell here is longer than "
                    f"{csv.field_size_limit():,} characters. Check that each double quote "
                    '(") that opens a cell is closed, and import again'
                )
            else:
                errors.append(f"{file} line {line}: this cannot be read as CSV ({error})")
            return None
    if wide:
        errors += wide[:MAX_CONTROL_CELLS]
        if len(wide) > MAX_CONTROL_CELLS:
            errors.append(
                f"{file}: more rows have more cells than the heading row names columns: put "
                'each cell holding a comma in double quotes ("1,234") and import again'
            )
    if refused:
        errors += refused[:MAX_CONTROL_CELLS]
        if len(refused) > MAX_CONTROL_CELLS:
            errors.append(
                f"{file}: more cells hold control characters: remove them all and import again"
            )
    if wide or refused:
        return None
    return first, count


def csv_rows(
    name: str, open_text: Callable[[], TextIO], errors: list[str], file: str | None = None
) -> Iterable[Row]:
    """A CSV table after checking its header (required columns present), that it holds
    no NUL or other control character (but tab and line ends) and that every record can
    be read, else []. ``file``: the file's name, as messages give it (``NAME.csv``)."""
    file = file or f"{name}.csv"
    nul, controls = _scan(open_text)
    if nul is not None:
        errors.append(
            f"{file} line {nul}: a NUL character, which no field can hold: remove it "
            "and import again"
        )
        return []
    read = _read_through(file, open_text, errors, controls)
    if read is None:
        return []
    first, count = read
    if first:
        first[0] = first[0].lstrip("\ufeff")
    header, columns = _header(first)
    missing = _missing(name, header)
    if missing:
        errors.append(f"{file}: {_missing_words(name, header, missing)}")
        return []
    return CsvRows(name, open_text, columns, count, file)


def rows_from_csv(
    text: str, name: str, errors: list[str], file: str | None = None
) -> Iterable[Row]:
    return csv_rows(name, lambda: io.StringIO(text.lstrip("\ufeff"), newline=""), errors, file)


def _file_opener(file: Path) -> Callable[[], TextIO]:
    return lambda: open(file, encoding="utf-8-sig", newline="")


def _not_utf8(file: str, line: int) -> str:
    return f"{file} line {line}: the file is not UTF-8 text: save it as CSV UTF-8 and try again"


def _not_utf8_line(file: Path) -> int | None:
    """The first line of the file that is not UTF-8 text, found a block at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(file, "rb") as handle:
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
                line += block.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            # error.object is the block with the few bytes of a character cut off before it
            # (never a newline): the lines before the bad byte are this block's.
            return line + error.object.count(b"\n", 0, error.start)
    return None


def _file_rows(name: str, file: Path, errors: list[str]) -> Iterable[Row]:
    """csv_rows of a file on disk, after checking that it is UTF-8 text."""
    line = _not_utf8_line(file)
    if line is not None:
        errors.append(_not_utf8(file.name, line))
        return []
    return csv_rows(name, _file_opener(file), errors, file.name)


# Columns whose dates are months ("2016-11"): a date Excel holds in any other column
# (a due date retyped in a cell, say) is a day ("2016-11-25").
MONTH_COLUMNS = ("period",)
# The registered tables' columns of days, and of months: a whole number there is a date
# Excel shows as a number (after "paste values", or a column formatted as General) and is
# read as the day it counts to, if that day is in SERIAL_DAYS (any other is left as it
# is, and refused as no date).
DATE_COLUMNS = (
    *MONTH_COLUMNS,
    "due",
    "updated_on",
    "closed_on",
    "review_date",
    "meeting_date",
    "start",
    "end",
)
SERIAL_DAYS = (datetime.date(2000, 1, 1), datetime.date(2099, 12, 31))


def _serial_day(value: object, epoch: datetime.datetime) -> datetime.date | None:
    """The day a workbook's whole number counts to, as Excel reads it (``from_excel``),
    if it is a day of SERIAL_DAYS; else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # the usual case, text or a date Excel formats as one: first
    if isinstance(value, float) and not value.is_integer():
        return None
    from openpyxl.utils.datetime import from_excel

    try:
        day = from_excel(value, epoch).date()
    except (OverflowError, ValueError):
        return None
    return day if SERIAL_DAYS[0] <= day <= SERIAL_DAYS[1] else None


def _cell(value: object, month: bool = False) -> str:
    """A cell's value as text. A day in a ``month`` column is its month (2016-11) if the
    month's first; another day is kept (2016-11-15), for the import to refuse it as it
    refuses 15/11/2016 in a CSV file: which month was meant is not certain."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m" if month and value.day == 1 else "%Y-%m-%d")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # Excel keeps 15 significant digits, and shows no more: a formula's result is read
        # as that (=0.1+0.2 is 0.3, not the 0.30000000000000004 the cell's binary holds).
        return f"{Decimal(format(value, '.15g')):f}"
    return str(value)


# Columns whose cell Excel shows as a percentage is read as it shows it (0.9 as "90%"): a
# percentage's value, and a target's.
PERCENT_COLUMNS = ("value",)
_QUOTED = re.compile(r'"[^"]*"|\\.')  # text a number format writes as it is ("%" in quotes)


def _shows_percent(number_format: str) -> bool:
    """Whether a cell of this number format is shown multiplied by 100 with a "%"."""
    return "%" in _QUOTED.sub("", number_format)


def _percent_text(value: int | float) -> str:
    """A number as Excel shows it formatted as a percentage, exactly: 0.9 is "90%", 0.07
    "7%" (not the 7.000000000000001 of 0.07 * 100); to Excel's 15 significant digits."""
    number = Decimal(value) if isinstance(value, int) else Decimal(format(value, ".15g"))
    return f"{number.scaleb(2).normalize():f}%"


def _percent_formats(workbook) -> bool:
    """Whether any cell style of the workbook shows numbers as percentages: only then are
    its cells read with their styles, which takes twice as long."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    try:  # openpyxl keeps a workbook's styles in these (as ReadOnlyCell reads them)
        styles, custom = workbook._cell_styles, workbook._number_formats
    except AttributeError:
        return True  # read every cell's style, to be safe
    for style in styles:
        at = style.numFmtId
        found = (
            BUILTIN_FORMATS.get(at, "")
            if at < BUILTIN_FORMATS_MAX_SIZE
            else custom[at - BUILTIN_FORMATS_MAX_SIZE]
        )
        if _shows_percent(found):
            return True
    return False


class Deadline:
    """When an upload must be read and imported by: ``seconds`` from when it is made."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._at = time.monotonic() + seconds

    def passed(self) -> bool:
        return time.monotonic() > self._at

    def message(self) -> str:
        unit = "second" if self.seconds == 1 else "seconds"
        return (
            f"The import was stopped after {self.seconds:g} {unit} and nothing was saved. "
            f"{USE_THE_COMMAND}"
        )


class StopReading(Exception):
    """Reading a workbook stopped: more rows than may be read, or out of time."""


def _rows_from_sheet(
    sheet, name: str, errors: list[str], budget: list[int], deadline: Deadline | None
) -> SheetRows:
    """The sheet's rows. Every row read, empty or not, spends ``budget`` ([rows still
    allowed]): a small file can hold millions of rows, empty ones too, and reading stops
    at the limit (or the ``deadline``) rather than holding them all in memory."""
    first = next(sheet.iter_rows(max_row=1, values_only=True), ())
    width = max((i + 1 for i, c in enumerate(first) if c is not None and c != ""), default=0)
    header, columns = _header(first[:width])
    missing = _missing(name, header)
    rows = SheetRows()
    months = {columns[c] for c in MONTH_COLUMNS if c in columns}
    dates = {columns[c] for c in DATE_COLUMNS if c in columns}
    epoch = getattr(sheet.parent, "epoch", None) or datetime.datetime(1899, 12, 30)
    if missing:
        errors.append(f"sheet '{name}': {_missing_words(name, header, missing)}")
        return rows
    # Cells right of the header belong to no column: not read into rows.
    percent = {columns[c]: c for c in PERCENT_COLUMNS if c in columns}
    styled = bool(percent) and _percent_formats(sheet.parent)
    values = sheet.iter_rows(min_row=2, max_col=width, values_only=not styled)
    for number, cells in enumerate(values, start=2):
        budget[0] -= 1
        if budget[0] < 0 or (deadline is not None and deadline.passed()):
            raise StopReading
        shown: dict[int, str] = {}
        if styled:
            shown = {
                index: _percent_text(cells[index].value)
                for index in percent
                if index < len(cells)
                and isinstance(cells[index].value, int | float)
                and not isinstance(cells[index].value, bool)
                and _shows_percent(cells[index].number_format or "")
            }
            cells = [getattr(cell, "value", None) for cell in cells]
        if all(c is None or c == "" for c in cells):
            continue
        texts = [_cell(c, index in months) for index, c in enumerate(cells)]
        for index in dates:
            if index < len(cells) and (day := _serial_day(cells[index], epoch)) is not None:
                texts[index] = _cell(day, index in months)
        if shown:
            for index, text in shown.items():
                texts[index] = text
            row = PercentRow(number, texts, columns, name)
            row.percent = frozenset(percent[index] for index in shown)
            rows.append(row)
        else:
            rows.append(Row(number, texts, columns, name))
    return rows


def read_workbook(
    data: bytes | Path,
    errors: list[str],
    max_rows: int | None = None,
    deadline: Deadline | None = None,
    max_unzipped: int | None = None,
) -> Tables:
    """The workbook's sheets named after tables. With ``max_rows``, reading stops once the
    sheets have more rows than that, empty ones included; with a ``deadline``, once it
    has passed (an error says which). A workbook that unpacks to more than
    ``max_unzipped`` bytes, or looks made to unpack to far more than it holds, is refused
    before openpyxl reads any of it (csp_portal/core/zips.py)."""
    from openpyxl import load_workbook

    source = io.BytesIO(data) if isinstance(data, bytes) else data
    problem = zip_problem(source, max_bytes=max_unzipped, instead=USE_THE_COMMAND)
    if problem:
        errors.append(problem)
        return {}
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises several kinds for a file that is not a workbook
        errors.append("The file is not an Excel workbook (.xlsx) that can be read.")
        return {}
    known = registry.names()
    tables: Tables = {}
    titles: dict[str, str] = {}
    budget = [max_rows if max_rows is not None else float("inf")]
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower().removesuffix(".csv")
            if name not in known:
                continue
            if name in titles:  # "actuals" and "Actuals.csv": one would be left out
                errors.append(
                    f"The workbook has two sheets of {name} ('{titles[name]}' and "
                    f"'{sheet.title}'): keep only one, or copy the rows into one."
                )
                continue
            titles[name] = sheet.title
            tables[name] = _rows_from_sheet(sheet, name, errors, budget, deadline)
    except StopReading:
        if budget[0] < 0:
            errors.append(
                f"The workbook has more than {max_rows:,} rows, counting empty ones (delete "
                f"any empty rows below the last row of figures). {USE_THE_COMMAND}"
            )
        else:
            errors.append(deadline.message())
        return {}
    finally:
        workbook.close()
    if not tables and not errors:
        errors.append(f"The workbook has no sheet named {registry.listed(known)}.")
    return tables


def _twice(table: str, first: str, second: str, keep: str = "upload") -> str:
    """Why a table given by two files is refused (read together, one would be left out)."""
    if first == second:
        return f"{first} is chosen twice: choose it once."
    return (
        f"Two files give {table} ({first}, {second}): {keep} only one, or copy the rows "
        "into one file."
    )


def csv_table(filename: str, known: Iterable[str]) -> str | None:
    """The table a CSV file's name gives, in any case (`NAME_RULE`): ``actions.csv``, with
    more before it ending in a hyphen, underscore or space (``plan-actions.csv``,
    ``Q3_actions.csv``, ``q3 actions.csv``), and a browser's copy number after it
    (``actions (1).csv``)."""
    stem = filename.lower().removesuffix(".csv")
    if stem == filename.lower():
        return None
    for table in known:
        if re.fullmatch(rf"(.*[-_ ])?{re.escape(table)}( \(\d+\))?", stem):
            return table
    return None


def read_path(path: Path, errors: list[str]) -> Tables:
    """Tables from a folder of CSV files or one .xlsx workbook."""
    known = registry.names()
    if path.is_dir():
        tables = {}
        found: dict[str, Path] = {}
        for file in sorted(path.iterdir()):
            name = csv_table(file.name, known)
            if name is None or file.is_dir():
                continue
            if name in found:  # actuals.csv and Actuals.csv
                errors.append(f"{path}: {_twice(name, found[name].name, file.name, 'keep')}")
                continue
            found[name] = file
        for name in known:  # in apply order
            if name in found:
                tables[name] = _file_rows(name, found[name], errors)
        if not tables:
            errors.append(f"{path}: no {registry.listed(known)} CSV file")
        return tables
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path, errors)
    table = csv_table(path.name, known)
    if table is not None:
        return {table: _file_rows(table, path, errors)}
    errors.append(f"{path}: give a folder of CSV files or an .xlsx workbook")
    return {}


def read_uploads(
    files: Iterable,
    max_rows: int | None = None,
    deadline: Deadline | None = None,
    max_unzipped: int | None = None,
    allowed: Iterable[str] | None = None,
) -> tuple[Tables, list[str]]:
    """Tables from uploaded files (Django UploadedFile): named CSVs or workbooks (each
    read no further than ``max_rows`` rows, nor past the ``deadline``; a workbook that
    unpacks to more than ``max_unzipped`` bytes is not read). A file of no table's name is
    told the names of those ``allowed`` (the tables this person may import; every one
    by default)."""
    known = registry.names()
    allowed = known if allowed is None else [name for name in known if name in set(allowed)]
    errors: list[str] = []
    tables: Tables = {}
    given_by: dict[str, str] = {}  # table -> the file that gave it

    def add(table: str, rows: Iterable[Row], file: str) -> None:
        if table in given_by:
            problem = _twice(table, given_by[table], file)
            if problem not in errors:  # a workbook chosen twice: said once, not per sheet
                errors.append(problem)
            return
        given_by[table] = file
        tables[table] = rows

    for upload in files:
        name = Path(upload.name).name.lower()
        raw = upload.read()
        if name.endswith(".xlsx"):
            for table, rows in read_workbook(raw, errors, max_rows, deadline, max_unzipped).items():
                add(table, rows, Path(upload.name).name)
        elif table := csv_table(name, known):
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                errors.append(
                    _not_utf8(Path(upload.name).name, raw.count(b"\n", 0, error.start) + 1)
                )
                continue
            file = Path(upload.name).name
            add(table, rows_from_csv(text, table, errors, file), file)
        else:
            files_named = registry.listed(f"{n}.csv" for n in allowed)
            errors.append(
                f"{upload.name}: name CSV files {files_named} ({NAME_RULE}), or upload one "
                ".xlsx workbook"
            )
    return tables, errors
