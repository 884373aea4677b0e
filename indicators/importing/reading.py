"""Files to rows: a folder of CSV files, one CSV file, an .xlsx workbook, or uploads.

A file is named after its table (``actuals.csv``, or a sheet named ``actuals``); see
``registry``. A CSV file's name may start with more before a hyphen, as a download's does
(``safer-plymouth-plan-actions.csv``), so a download updated in a spreadsheet imports back.
Reading checks only the header; the rows are checked by each table.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from csp_portal.core.spreadsheet import spreadsheet_text

from . import registry

USE_THE_COMMAND = (
    "For an import this big, ask an administrator to run it on the server with "
    "python manage.py import_data (a folder of CSV files or one .xlsx workbook): "
    "the same checks, all or nothing, with no size limit."
)


class Row:
    """One record of a table: ``get(column)`` is its stripped cell text ('' if absent)."""

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
        return spreadsheet_text(text) if text[:1] == "'" else text

    @property
    def data(self) -> dict[str, str]:
        return {name: self.get(name) for name in self.columns}


# A table's rows: a list, a SheetRows, or a CsvRows that reads its file as they are checked.
Tables = dict[str, Iterable[Row]]


class SheetRows(list):
    """The rows of one sheet of a workbook: messages name the sheet, not a CSV file."""


def place(name: str, rows: Iterable[Row] | None = None) -> str:
    """How messages name a table: ``sheet 'actuals'`` for a workbook's, else ``actuals.csv``."""
    return f"sheet '{name}'" if isinstance(rows, SheetRows) else f"{name}.csv"


def _header(cells: Iterable) -> tuple[list[str], dict[str, int]]:
    # Column names are lower case: "Period" from a spreadsheet is the period column.
    header = [_cell(h).strip().lower() for h in cells]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        columns.setdefault(name, index)
    return header, columns


def _missing(name: str, header: list[str]) -> list[str]:
    return sorted(set(registry.get(name).required) - set(header))


class CsvRows:
    """The rows of one CSV file, read a record at a time each time they are iterated,
    so a file of millions of rows is never held in memory."""

    def __init__(self, name: str, open_text: Callable[[], TextIO], columns: dict[str, int]):
        self.name, self._open, self.columns = name, open_text, columns

    def __iter__(self) -> Iterator[Row]:
        with self._open() as handle:
            reader = csv.reader(handle)
            next(reader, None)
            for number, values in enumerate(reader, start=2):
                if values:  # a blank line is no record (as csv.DictReader had it)
                    yield Row(number, values, self.columns, self.name)

    def __len__(self) -> int:
        """The number of records, counted without building rows (a quick pass in C)."""
        with self._open() as handle:
            return sum(1 for values in csv.reader(handle) if values) - 1


def count_rows(tables: Tables) -> int:
    return sum(len(rows) for rows in tables.values())


def _nul_line(open_text: Callable[[], TextIO]) -> int | None:
    """The first line holding a NUL character, which no field (nor PostgreSQL) can store;
    found a block at a time, at C speed."""
    line = 1
    with open_text() as handle:
        while block := handle.read(1 << 20):
            at = block.find("\x00")
            if at >= 0:
                return line + block.count("\n", 0, at)
            line += block.count("\n")
    return None


def csv_rows(name: str, open_text: Callable[[], TextIO], errors: list[str]) -> Iterable[Row]:
    """A CSV table after checking its header (required columns present) and that it holds
    no NUL character, else []."""
    nul = _nul_line(open_text)
    if nul is not None:
        errors.append(
            f"{name}.csv line {nul}: a NUL character, which no field can hold: remove it "
            "and import again"
        )
        return []
    with open_text() as handle:
        first = next(csv.reader(handle), [])
    if first:
        first[0] = first[0].lstrip("\ufeff")
    header, columns = _header(first)
    missing = _missing(name, header)
    if missing:
        errors.append(f"{name}.csv: missing column(s) {', '.join(missing)}")
        return []
    return CsvRows(name, open_text, columns)


def rows_from_csv(text: str, name: str, errors: list[str]) -> Iterable[Row]:
    return csv_rows(name, lambda: io.StringIO(text.lstrip("\ufeff"), newline=""), errors)


def _file_opener(file: Path) -> Callable[[], TextIO]:
    return lambda: open(file, encoding="utf-8-sig", newline="")


# Columns whose dates are months ("2016-11"): a date Excel holds in any other column
# (a due date retyped in a cell, say) is a day ("2016-11-25").
MONTH_COLUMNS = ("period",)


def _cell(value: object, month: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m" if month else "%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class TooManyRows(Exception):
    """A workbook holds more rows than may be read (reading stops at the limit)."""


def _rows_from_sheet(sheet, name: str, errors: list[str], budget: list[int]) -> SheetRows:
    """The sheet's rows; ``budget`` ([rows still allowed]) stops a sheet of millions of
    rows (a small file can hold them) before it is all in memory."""
    values = sheet.iter_rows(values_only=True)
    header, columns = _header(next(values, ()))
    missing = _missing(name, header)
    rows = SheetRows()
    months = {columns[c] for c in MONTH_COLUMNS if c in columns}
    if missing:
        errors.append(f"sheet '{name}': missing column(s) {', '.join(missing)}")
        return rows
    for number, cells in enumerate(values, start=2):
        if all(c is None or c == "" for c in cells):
            continue
        budget[0] -= 1
        if budget[0] < 0:
            raise TooManyRows
        texts = [_cell(c, index in months) for index, c in enumerate(cells)]
        rows.append(Row(number, texts, columns, name))
    return rows


def read_workbook(data: bytes | Path, errors: list[str], max_rows: int | None = None) -> Tables:
    """The workbook's sheets named after tables. With ``max_rows``, reading stops once the
    sheets hold more rows than that (an error says so)."""
    from openpyxl import load_workbook

    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises several kinds for a file that is not a workbook
        errors.append("The file is not an Excel workbook (.xlsx) that can be read.")
        return {}
    known = registry.names()
    tables: Tables = {}
    budget = [max_rows if max_rows is not None else float("inf")]
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower().removesuffix(".csv")
            if name in known:
                tables[name] = _rows_from_sheet(sheet, name, errors, budget)
    except TooManyRows:
        errors.append(f"The workbook has more than {max_rows:,} rows. {USE_THE_COMMAND}")
        return {}
    finally:
        workbook.close()
    if not tables and not errors:
        errors.append(f"The workbook has no sheet named {registry.listed(known)}.")
    return tables


def csv_table(filename: str, known: Iterable[str]) -> str | None:
    """The table a CSV file's name gives: ``actions.csv`` or ``...-actions.csv``, any case."""
    stem = filename.lower().removesuffix(".csv")
    if stem == filename.lower():
        return None
    for table in known:
        if stem == table or stem.endswith(f"-{table}"):
            return table
    return None


def read_path(path: Path, errors: list[str]) -> Tables:
    """Tables from a folder of CSV files or one .xlsx workbook."""
    known = registry.names()
    if path.is_dir():
        tables = {}
        for name in known:
            file = path / f"{name}.csv"
            if file.exists():
                tables[name] = csv_rows(name, _file_opener(file), errors)
        if not tables:
            errors.append(f"{path}: no {registry.listed(known)} CSV file")
        return tables
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path, errors)
    table = csv_table(path.name, known)
    if table is not None:
        return {table: csv_rows(table, _file_opener(path), errors)}
    errors.append(f"{path}: give a folder of CSV files or an .xlsx workbook")
    return {}


def read_uploads(files: Iterable, max_rows: int | None = None) -> tuple[Tables, list[str]]:
    """Tables from uploaded files (Django UploadedFile): named CSVs or one workbook (read
    no further than ``max_rows`` rows)."""
    known = registry.names()
    errors: list[str] = []
    tables: Tables = {}
    for upload in files:
        name = Path(upload.name).name.lower()
        raw = upload.read()
        if name.endswith(".xlsx"):
            tables.update(read_workbook(raw, errors, max_rows))
        elif table := csv_table(name, known):
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                errors.append(f"{name}: save the file as CSV UTF-8 and try again")
                continue
            tables[table] = rows_from_csv(text, table, errors)
        else:
            files_named = registry.listed(f"{n}.csv" for n in known)
            errors.append(
                f"{upload.name}: name CSV files {files_named} (a name may start with more, "
                "as in plan-actions.csv), or upload one .xlsx workbook"
            )
    return tables, errors
