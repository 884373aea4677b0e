"""What the site's tables share: downloads without formulas, blanks sorted first."""

import django_tables2 as tables
from django.db.models import F
from django.http import HttpResponse
from django_tables2.export import TableExport

from .spreadsheet import spreadsheet_safe


class ExportTable(tables.Table):
    """A table whose CSV and Excel downloads pass every text cell through spreadsheet_safe:
    text a spreadsheet would run as a formula is shown as text, whichever column it is in
    (a column added later needs nothing of its own)."""

    def as_values(self, exclude_columns=None):
        for row in super().as_values(exclude_columns=exclude_columns):
            yield [spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row]


# Excel reads a CSV file as Windows-1252 unless it starts with this: "£" would show as "Â£".
UTF8_BOM = "\ufeff"


def table_download(table: tables.Table, export_format: str, filename: str) -> HttpResponse:
    """A table's CSV or Excel download (the table already configured for the request).
    The CSV starts with a byte-order mark, so Excel opens it as UTF-8; the imports read
    past one."""
    exporter = TableExport(export_format, table, exclude_columns=())
    response = exporter.response(filename)
    if export_format == "csv":
        response.content = UTF8_BOM.encode() + response.content
    return response


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
