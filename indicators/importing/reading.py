"""Files to rows: a folder of CSV files, one CSV file, an .xlsx workbook, or uploads.

A file is named after its table (``actuals.csv``, or a sheet named ``actuals``); see
``registry``. Reading checks only the header; the rows are checked by each table.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..validation import spreadsheet_text
from . import registry


@dataclass
class Row:
    number: int  # the spreadsheet row: the header is row 1
    data: dict[str, str]
    table: str = ""

    def get(self, column: str) -> str:
        return spreadsheet_text((self.data.get(column) or "").strip())


Tables = dict[str, list[Row]]


def _missing(name: str, header: list[str]) -> list[str]:
    return sorted(set(registry.get(name).required) - set(header))


def rows_from_csv(text: str, name: str, errors: list[str]) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = _missing(name, header)
    if missing:
        errors.append(f"{name}.csv: missing column(s) {', '.join(missing)}")
        return []
    return [Row(number, data, name) for number, data in enumerate(reader, start=2)]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows_from_sheet(sheet, name: str, errors: list[str]) -> list[Row]:
    values = sheet.iter_rows(values_only=True)
    header = [_cell(h).strip() for h in next(values, ())]
    missing = _missing(name, header)
    if missing:
        errors.append(f"{name} sheet: missing column(s) {', '.join(missing)}")
        return []
    rows = []
    for number, cells in enumerate(values, start=2):
        if all(c is None or c == "" for c in cells):
            continue
        rows.append(Row(number, {h: _cell(c) for h, c in zip(header, cells, strict=False)}, name))
    return rows


def read_workbook(data: bytes | Path, errors: list[str]) -> Tables:
    from openpyxl import load_workbook

    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises several kinds for a file that is not a workbook
        errors.append("The file is not an Excel workbook (.xlsx) that can be read.")
        return {}
    known = registry.names()
    tables: Tables = {}
    for sheet in workbook.worksheets:
        name = sheet.title.strip().lower().removesuffix(".csv")
        if name in known:
            tables[name] = _rows_from_sheet(sheet, name, errors)
    workbook.close()
    if not tables and not errors:
        errors.append(f"The workbook has no sheet named {registry.listed(known)}.")
    return tables


def read_path(path: Path, errors: list[str]) -> Tables:
    """Tables from a folder of CSV files or one .xlsx workbook."""
    known = registry.names()
    if path.is_dir():
        tables = {}
        for name in known:
            file = path / f"{name}.csv"
            if file.exists():
                tables[name] = rows_from_csv(file.read_text(encoding="utf-8-sig"), name, errors)
        if not tables:
            errors.append(f"{path}: no {registry.listed(known)} CSV file")
        return tables
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path, errors)
    if path.suffix.lower() == ".csv" and path.stem in known:
        return {path.stem: rows_from_csv(path.read_text(encoding="utf-8-sig"), path.stem, errors)}
    errors.append(f"{path}: give a folder of CSV files or an .xlsx workbook")
    return {}


def read_uploads(files: Iterable) -> tuple[Tables, list[str]]:
    """Tables from uploaded files (Django UploadedFile): named CSVs or one workbook."""
    known = registry.names()
    errors: list[str] = []
    tables: Tables = {}
    for upload in files:
        name = Path(upload.name).name.lower()
        raw = upload.read()
        if name.endswith(".xlsx"):
            tables.update(read_workbook(raw, errors))
        elif name.endswith(".csv") and name.removesuffix(".csv") in known:
            table = name.removesuffix(".csv")
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                errors.append(f"{name}: save the file as CSV UTF-8 and try again")
                continue
            tables[table] = rows_from_csv(text, table, errors)
        else:
            files_named = registry.listed(f"{n}.csv" for n in known)
            errors.append(
                f"{upload.name}: name CSV files {files_named}, or upload one .xlsx workbook"
            )
    return tables, errors
