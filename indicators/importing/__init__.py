"""Bring a partnership's history in from spreadsheets, and take it out again.

Each table is one CSV file or one sheet of an .xlsx workbook, each optional: the
indicators app has partnerships.csv, indicators.csv, targets.csv and actuals.csv, and
other apps add theirs through ``registry`` (its docstring says how). Every row is
checked; one bad row means nothing is written. Rows are matched by natural key
(partnership slug, indicator code, period), so importing the same files twice changes
nothing.

    registry.py   the tables, and how an app adds one
    reading.py    files (folder, CSV, workbook, uploads) to rows
    days.py       days and months as a cell writes them (2017-04-01, 01/04/2017, Jan-11)
    context.py    what checks and applies share; the report
    checking.py   checking the indicator tables' rows
    applying.py   writing them
    copying.py    bulk writes: COPY in the background on PostgreSQL
    exporting.py  a partnership's tables out as CSV files or one workbook
    xlsx.py       a streamed .xlsx writer (text cells)
    core.py       the indicator tables themselves
    run.py        one import: check, then write in one transaction
"""

from .context import ImportContext, ImportFailed, ImportReport, max_lengths
from .exporting import export_rows, export_to_folder, export_workbook, write_workbook
from .reading import (
    NAME_RULE,
    USE_THE_COMMAND,
    Deadline,
    Row,
    Tables,
    count_rows,
    read_path,
    read_uploads,
    read_workbook,
)
from .registry import Table, register, unregister
from .run import import_path, import_tables

__all__ = [
    "NAME_RULE",
    "USE_THE_COMMAND",
    "Deadline",
    "ImportContext",
    "ImportFailed",
    "ImportReport",
    "Row",
    "Table",
    "Tables",
    "count_rows",
    "export_rows",
    "export_to_folder",
    "export_workbook",
    "import_path",
    "import_tables",
    "max_lengths",
    "read_path",
    "read_uploads",
    "read_workbook",
    "register",
    "unregister",
    "write_workbook",
]
