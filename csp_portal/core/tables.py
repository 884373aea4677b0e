"""What every table of the site that can be downloaded shares."""

import django_tables2 as tables

from .spreadsheet import spreadsheet_safe


class ExportTable(tables.Table):
    """A table whose CSV and Excel downloads pass every text cell through spreadsheet_safe:
    text a spreadsheet would run as a formula is shown as text, whichever column it is in
    (a column added later needs nothing of its own)."""

    def as_values(self, exclude_columns=None):
        for row in super().as_values(exclude_columns=exclude_columns):
            yield [spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row]
