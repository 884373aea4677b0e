"""What the site's tables share: downloads without formulas, blanks sorted first, and
long text under each row rather than in a column of its own."""

import io

import django_tables2 as tables
from django.db.models import F
from django.http import HttpResponse
from django_tables2.export import TableExport

from .spreadsheet import spreadsheet_safe

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportTable(tables.Table):
    """A table whose CSV download passes every text cell through spreadsheet_safe: text a
    spreadsheet would run as a formula is shown as text, whichever column it is in (a
    column added later needs nothing of its own). Its Excel download holds such text as
    a text cell instead (`table_download`), so it shows as it was, with no apostrophe."""

    def as_values(self, exclude_columns=None):
        for row in self.as_plain_values(exclude_columns=exclude_columns):
            yield [spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row]

    def as_plain_values(self, exclude_columns=None):
        return super().as_values(exclude_columns=exclude_columns)


class DetailsTable(ExportTable):
    """A table of records with long text that fits the page: the columns `details` names
    are shown in a row under each record's own (templates/includes/table.html), each
    named, rather than as columns, and below the tablet width each row stacks, each cell
    named. Its downloads keep every column, in the order the table declares them."""

    details: tuple[str, ...] = ()
    stacks = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.details:
            self.columns.hide(name)


# Excel reads a CSV file as Windows-1252 unless it starts with this: "£" would show as "Â£".
UTF8_BOM = "\ufeff"


def table_download(table: tables.Table, export_format: str, filename: str) -> HttpResponse:
    """A table's CSV or Excel download (the table already configured for the request).
    The CSV starts with a byte-order mark, so Excel opens it as UTF-8; the imports read
    past one."""
    if export_format == "xlsx" and isinstance(table, ExportTable):
        response = HttpResponse(_workbook(table.as_plain_values()), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    exporter = TableExport(export_format, table, exclude_columns=())
    response = exporter.response(filename)
    if export_format == "csv":
        response.content = UTF8_BOM.encode() + response.content
    return response


def _workbook(rows) -> bytes:
    """One sheet: the header row bold and kept in view, numbers as numbers, and every text
    cell a text cell, which a spreadsheet shows and never runs (text starting "=" would
    otherwise be written as a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    bold = Font(bold=True)
    for number, row in enumerate(sheet.iter_rows(), start=1):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
            if number == 1:
                cell.font = bold
    sheet.freeze_panes = "A2"
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


class BlanksFirstColumn(tables.Column):
    """A column that may be blank (NULL): blanks sort as the smallest value on every
    database, first and last when reversed, as SQLite has them (PostgreSQL puts them the
    other way round). Sorted by its order_by, each key reversed with the column."""

    def order(self, queryset, is_descending):
        return queryset.order_by(
            *(
                F(key.bare).desc(nulls_last=True)
                if key.is_descending != is_descending
                else F(key.bare).asc(nulls_first=True)
                for key in self.order_by
            )
        ), True
