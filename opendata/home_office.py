"""Home Office "police recorded crime by Community Safety Partnership" tables. Pure: no ORM.

Long format, one sheet per financial year, with the columns in HEADER, as .xlsx (read
with openpyxl, already a dependency) or .ods. The .ods is read with the standard
library (zipfile and a streaming XML parse of content.xml): no new dependency, and a
real file (hundreds of thousands of rows) is never built as a whole document tree.

This reads and counts; import_home_office stores the counts (services.csp_counts_replace).
"""

import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree

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
_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
_T = f"{{{_ODS['table']}}}"
_O = f"{{{_ODS['office']}}}"
_MAX_REPEAT = 1000  # trailing empty cells and rows are "repeated" thousands of times


class NotCspTable(ValueError):
    """No sheet has the Home Office CSP table's header."""


def _ods_cell_text(cell) -> str:
    value = cell.get(f"{_O}value")
    if value is not None:
        return value
    return "\n".join("".join(p.itertext()) for p in cell.findall("text:p", _ODS))


def ods_sheets(path: Path) -> Iterator[tuple[str, Iterator[list[str]]]]:
    """(sheet name, rows of cell text) for each sheet of an .ods, streamed."""
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        rows: list[list[str]] = []
        name = None
        for event, element in ElementTree.iterparse(content, events=("start", "end")):
            if event == "start" and element.tag == f"{_T}table":
                name, rows = element.get(f"{_T}name"), []
            elif event == "end" and element.tag == f"{_T}table-row":
                cells: list[str] = []
                for cell in element:
                    if cell.tag not in (f"{_T}table-cell", f"{_T}covered-table-cell"):
                        continue
                    repeat = min(int(cell.get(f"{_T}number-columns-repeated", 1)), _MAX_REPEAT)
                    cells.extend([_ods_cell_text(cell)] * repeat)
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    repeat = min(int(element.get(f"{_T}number-rows-repeated", 1)), _MAX_REPEAT)
                    rows.extend([cells] * repeat)
                element.clear()
            elif event == "end" and element.tag == f"{_T}table":
                yield name, iter(rows)
                element.clear()


def xlsx_sheets(path: Path) -> Iterator[tuple[str, Iterator[list[str]]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            yield (
                sheet.title,
                (
                    ["" if v is None else str(v) for v in row]
                    for row in sheet.iter_rows(values_only=True)
                ),
            )
    finally:
        workbook.close()


def read_table(path: Path) -> Iterator[dict[str, str]]:
    """Every data row of every sheet whose first row is the CSP table's header.

    Sheets without that header (notes, contents) are passed over. Raises NotCspTable
    when no sheet has it.
    """
    sheets = ods_sheets(path) if path.suffix.lower() == ".ods" else xlsx_sheets(path)
    found = False
    for _, rows in sheets:
        header = next(rows, None)
        if header is None or tuple(h.strip() for h in header[: len(HEADER)]) != HEADER:
            continue
        found = True
        for row in rows:
            if any(row):
                yield dict(zip(HEADER, (c.strip() for c in row), strict=False))
    if not found:
        raise NotCspTable(f"{path.name}: no sheet starts with {', '.join(HEADER)}")


def quarter_counts(
    rows: Iterable[dict[str, str]], *, offence_groups: Iterable[str]
) -> dict[tuple[str, str, int], Decimal]:
    """Offences of these groups by (CSP name, financial year, quarter)."""
    groups = {g.casefold() for g in offence_groups}
    totals: Counter = Counter()
    for row in rows:
        if row.get("Offence Group", "").casefold() not in groups:
            continue
        try:
            count = Decimal(row["Offence Count"].replace(",", ""))
            quarter = int(Decimal(row["Financial Quarter"]))
        except (InvalidOperation, KeyError, ValueError):
            continue
        totals[row["CSP Name"], row["Financial Year"], quarter] += count
    return dict(totals)


def year_start(label: str) -> int:
    """'2023/24' (or '2023-24', '2023') -> 2023."""
    return int(label.strip()[:4])


def quarter_number(text: str) -> int:
    """'1', '1.0' or 'Q1' -> 1."""
    number = int(Decimal(text.strip().upper().removeprefix("Q")))
    if not 1 <= number <= 4:
        raise ValueError(f"quarter {text!r} is not 1 to 4")
    return number


def group_counts(
    rows: Iterable[dict[str, str]], *, forces: dict[str, str] | None = None
) -> tuple[dict, int]:
    """Offences by (CSP name, year start, quarter, offence group), and the rows skipped.

    ``forces``, if given, is filled with each CSP's force name (the neighbours it is
    compared with)."""
    totals: Counter = Counter()
    skipped = 0
    for row in rows:
        if forces is not None and row.get("Force Name") and row.get("CSP Name"):
            forces.setdefault(row["CSP Name"], row["Force Name"])
        try:
            key = (
                row["CSP Name"],
                year_start(row["Financial Year"]),
                quarter_number(row["Financial Quarter"]),
                row["Offence Group"],
            )
            totals[key] += Decimal(row["Offence Count"].replace(",", ""))
        except (InvalidOperation, KeyError, ValueError):
            skipped += 1
    return dict(totals), skipped
