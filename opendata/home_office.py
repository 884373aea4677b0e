"""Home Office "police recorded crime by Community Safety Partnership" tables. Pure: no ORM.

Long format, one sheet per financial year, with the columns in HEADER, as .xlsx (read
with openpyxl, already a dependency) or .ods. The .ods is read with the standard
library (zipfile and a streaming XML parse of content.xml): no new dependency, and a
real file (hundreds of thousands of rows) is never built as a whole document tree.

A sheet's row that names a CSP or an offence is a count and must be read whole (year,
quarter, CSP, offence group and a whole number of offences): one that cannot be (a count
the Home Office marks "[x]", a blank) refuses the import, naming the row, since leaving
it out would understate a CSP's total. Blank rows, and rows naming neither (a note, a
total), are passed over.

This reads and counts; import_home_office stores the counts (services.csp_counts_replace).
"""

import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree

from csp_portal.core.zips import zip_problem

HEADER = (
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "CSP Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Offence Count",
)
# Columns that make a row a count: a row naming none of them is a note or a total.
_NAMING = ("CSP Name", "Offence Description", "Offence Group", "Offence Subgroup", "Offence Code")
NAME_LENGTH = 200  # the longest CSP, force or offence name CspOffenceCount keeps
LISTED = 20  # unreadable rows a refusal names; the rest are counted
_YEAR = re.compile(r"(\d{4})(?:[/_-](\d{2}|\d{4}))?\Z")
_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
_T = f"{{{_ODS['table']}}}"
_O = f"{{{_ODS['office']}}}"
_MAX_REPEAT = 1000  # trailing empty cells and rows are "repeated" thousands of times


class TableError(ValueError):
    """A file the import cannot use: nothing is imported."""


class NotCspTable(TableError):
    """No sheet has the Home Office CSP table's header."""


class UnreadableFile(TableError):
    """Not an .xlsx or .ods file, or a damaged one."""


class UnreadableRows(TableError):
    """Rows of counts whose year, quarter, names or count cannot be read, each named."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = len(problems) - LISTED
        lines = [
            f"Nothing was imported: {_rows(len(problems))} cannot be read, and leaving "
            f"{'it' if len(problems) == 1 else 'them'} out would understate a CSP's total. "
            "Correct the file and import it again.",
            *problems[:LISTED],
        ]
        if more > 0:
            lines.append(f"and {more:,} more {'row' if more == 1 else 'rows'}.")
        super().__init__("\n".join(lines))


def _rows(n: int) -> str:
    return f"{n:,} {'row' if n == 1 else 'rows'}"


@dataclass(frozen=True)
class TableRow:
    """One row of a CSP table's sheet, by column name, and where it is."""

    where: str  # "csp.xlsx, sheet 2023_24, row 12"
    cells: dict[str, str]


def _ods_cell_text(cell) -> str:
    value = cell.get(f"{_O}value")
    if value is not None:
        return value
    return "\n".join("".join(p.itertext()) for p in cell.findall("text:p", _ODS))


def ods_sheets(path: Path) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    """(sheet name, (row number, cell text) of its non-empty rows) for each sheet of an
    .ods, streamed."""
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        rows: list[tuple[int, list[str]]] = []
        name = None
        number = 0  # rows of the sheet so far, empty ones included
        for event, element in ElementTree.iterparse(content, events=("start", "end")):
            if event == "start" and element.tag == f"{_T}table":
                name, rows, number = element.get(f"{_T}name"), [], 0
            elif event == "end" and element.tag == f"{_T}table-row":
                cells: list[str] = []
                for cell in element:
                    if cell.tag not in (f"{_T}table-cell", f"{_T}covered-table-cell"):
                        continue
                    repeat = min(int(cell.get(f"{_T}number-columns-repeated", 1)), _MAX_REPEAT)
                    cells.extend([_ods_cell_text(cell)] * repeat)
                while cells and not cells[-1]:
                    cells.pop()
                repeat = int(element.get(f"{_T}number-rows-repeated", 1))
                if cells:
                    rows.extend((number + i, cells) for i in range(1, min(repeat, _MAX_REPEAT) + 1))
                number += repeat
                element.clear()
            elif event == "end" and element.tag == f"{_T}table":
                yield name, iter(rows)
                element.clear()


def xlsx_sheets(path: Path) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    """(sheet name, (row number, cell text) of each row) for each sheet of an .xlsx."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            # Read-only sheets fill the rows the file leaves out: the count is the row number.
            yield (
                sheet.title,
                enumerate(
                    (
                        ["" if v is None else str(v) for v in row]
                        for row in sheet.iter_rows(values_only=True)
                    ),
                    start=1,
                ),
            )
    finally:
        workbook.close()


def _broken() -> tuple[type[Exception], ...]:
    """What openpyxl and zipfile raise for a file that is not what its name says, or damaged."""
    from openpyxl.utils.exceptions import InvalidFileException

    # SyntaxError: ElementTree's and lxml's ParseError; KeyError: a part missing in the zip.
    return (zipfile.BadZipFile, zlib.error, EOFError, KeyError, SyntaxError, InvalidFileException)


def read_table(path: Path) -> Iterator[TableRow]:
    """Every row of every sheet whose first (non-blank) row is the CSP table's header, blank
    rows left out.

    Sheets without that header (notes, contents) are passed over. Raises UnreadableFile
    for a file that is not a readable .xlsx or .ods, NotCspTable when no sheet has the header.
    """
    kind = path.suffix.lower()
    if kind not in (".xlsx", ".xlsm", ".ods"):
        raise UnreadableFile(
            f"{path.name} is not an .xlsx or .ods file: import the Home Office table as "
            "published (.ods), or saved as .xlsx."
        )
    problem = zip_problem(path, what=path.name)
    if problem:
        raise UnreadableFile(problem)
    sheets = ods_sheets(path) if kind == ".ods" else xlsx_sheets(path)
    found = False
    try:
        for sheet, rows in sheets:
            header = next((cells for _, cells in rows if any(c.strip() for c in cells)), None)
            if header is None or tuple(h.strip() for h in header[: len(HEADER)]) != HEADER:
                continue
            found = True
            for number, cells in rows:
                values = [c.strip() for c in cells[: len(HEADER)]]
                if any(values):
                    values += [""] * (len(HEADER) - len(values))
                    yield TableRow(
                        f"{path.name}, sheet {sheet}, row {number}",
                        dict(zip(HEADER, values, strict=True)),
                    )
    except _broken() as error:
        raise UnreadableFile(
            f"{path.name} cannot be read as an {kind} file: it may be damaged, or another "
            f"kind of file renamed ({error})."
        ) from None
    if not found:
        raise NotCspTable(f"{path.name}: no sheet starts with {', '.join(HEADER)}")


def year_start(label: str) -> int:
    """'2023/24' (or '2023-24', '2023_24', '2023') -> 2023; ValueError for anything else."""
    match = _YEAR.match(label.strip())
    if match is None or (match[2] is not None and int(match[2]) % 100 != (int(match[1]) + 1) % 100):
        raise ValueError(f"{label!r} is not a financial year")
    return int(match[1])


def quarter_number(text: str) -> int:
    """'1', '1.0' or 'Q1' -> 1."""
    try:
        number = Decimal(text.strip().upper().removeprefix("Q"))
    except InvalidOperation:
        raise ValueError(f"quarter {text!r} is not 1 to 4") from None
    if not number.is_finite() or number not in (1, 2, 3, 4):
        raise ValueError(f"quarter {text!r} is not 1 to 4")
    return int(number)


def offence_count(text: str) -> Decimal:
    """'1,200' -> 1200; ValueError naming the trouble for a blank, '[x]' or '2.5'."""
    if not text:
        raise ValueError("Offence Count is blank")
    try:
        count = Decimal(text.replace(",", ""))
    except InvalidOperation:
        count = None
    if count is None or not count.is_finite():
        raise ValueError(f"Offence Count {_quoted(text)} is not a number")
    if count != count.to_integral_value() or abs(count) >= 10**10:
        raise ValueError(f"Offence Count {_quoted(text)} is not a whole number of offences")
    return Decimal(int(count))


def _quoted(text: str) -> str:
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


@dataclass
class TableCounts:
    """What one or more CSP tables hold, as counts."""

    # (CSP name, year start, quarter, offence group, offence subgroup) -> offences
    counts: Counter = field(default_factory=Counter)
    forces: dict[str, str] = field(default_factory=dict)  # CSP name -> its force's name
    notes: int = 0  # rows naming no CSP and no offence (notes, totals), passed over
    problems: list[str] = field(default_factory=list)  # "where: what", one a row


def _row_problems(cells: dict[str, str]) -> list[str]:
    problems = []
    try:
        year_start(cells["Financial Year"])
    except ValueError:
        problems.append(
            f"Financial Year {_quoted(cells['Financial Year'])} is not a year such as 2023/24"
        )
    try:
        quarter_number(cells["Financial Quarter"])
    except ValueError:
        problems.append(f"Financial Quarter {_quoted(cells['Financial Quarter'])} is not 1 to 4")
    for column in ("CSP Name", "Offence Group"):
        if not cells[column]:
            problems.append(f"{column} is blank")
    for column in ("CSP Name", "Force Name", "Offence Group", "Offence Subgroup"):
        if len(cells[column]) > NAME_LENGTH:
            problems.append(f"{column} is longer than {NAME_LENGTH} characters")
    try:
        offence_count(cells["Offence Count"])
    except ValueError as error:
        problems.append(str(error))
    if any("\x00" in text for text in cells.values()):
        problems.append("a cell holds a NUL character, which cannot be stored")
    return problems


def group_counts(rows: Iterable[TableRow], *, into: TableCounts | None = None) -> TableCounts:
    """Offences by (CSP name, year start, quarter, offence group, offence subgroup), with
    each CSP's force.

    A row naming no CSP and no offence (a note, a total) is passed over and counted; any
    other row must be read whole, or it is listed in ``problems`` ("where: what")."""
    result = into if into is not None else TableCounts()
    for row in rows:
        cells = row.cells
        if not any(cells[column] for column in _NAMING):
            result.notes += 1
            continue
        problems = _row_problems(cells)
        if problems:
            result.problems.append(f"{row.where}: {'; '.join(problems)}")
            continue
        key = (
            cells["CSP Name"],
            year_start(cells["Financial Year"]),
            quarter_number(cells["Financial Quarter"]),
            cells["Offence Group"],
            cells["Offence Subgroup"],
        )
        result.counts[key] += offence_count(cells["Offence Count"])
        if cells["Force Name"]:
            result.forces.setdefault(cells["CSP Name"], cells["Force Name"])
    return result


def read_counts(paths: Iterable[Path]) -> TableCounts:
    """The counts of every file. Raises TableError, importing nothing, for a file that is not
    a CSP table, or naming every row of counts that cannot be read."""
    result = TableCounts()
    for path in paths:
        group_counts(read_table(path), into=result)
    if result.problems:
        raise UnreadableRows(result.problems)
    return result
