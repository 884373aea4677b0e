"""What the site's tables share: downloads without formulas, blanks sorted first."""

import django_tables2 as tables
from django.db.models import F

from .spreadsheet import spreadsheet_safe


class ExportTable(tables.Table):
    """A table whose CSV and Excel downloads pass every text cell through spreadsheet_safe:
    text a spreadsheet would run as a formula is shown as text, whichever column it is in
    (a column added later needs nothing of its own)."""

    def as_values(self, exclude_columns=None):
        for row in super().as_values(exclude_columns=exclude_columns):
            yield [spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row]


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
