"""A partnership's tables out again, in the form the import reads back: a folder of
CSV files (``export_data``) or one .xlsx workbook with a sheet per table."""

import datetime
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from csp_portal.core.models import Partnership
from csp_portal.core.spreadsheet import MAY_CHANGE, CsvWriter, spreadsheet_safe, workbook_text
from csp_portal.core.tables import UTF8_BOM

from .. import periods
from ..models import Actual, Indicator, Target
from ..validation import plain_number
from . import registry
from .xlsx import Number, StreamedWorkbook, number


def cell_text(value, escape=spreadsheet_safe) -> str:
    """One exported cell: blanks for None, plain numbers (a `Number`, a workbook's number
    cell), months as 2016-11; text that a spreadsheet would run as a formula gets an
    apostrophe (see spreadsheet_safe; a workbook's text cells need only
    ``workbook_text``)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number(plain_number(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return number(str(value))
    if isinstance(value, Number):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()[:7]
    text = value if isinstance(value, str) else str(value)
    return escape(text) if text.startswith(MAY_CHANGE) else text


# The four indicator tables ---------------------------------------------------


def export_partnerships(partnership: Partnership) -> Iterator[Sequence]:
    yield [
        partnership.slug,
        partnership.name,
        partnership.population,
        partnership.police_force,
        partnership.local_authorities,
        partnership.households,
        partnership.businesses,
        partnership.fy_start_month,
        "yes" if partnership.reports_public else "no",
        json.dumps(partnership.rag_legend, ensure_ascii=False),
    ]


def export_indicators(partnership: Partnership) -> Iterator[Sequence]:
    indicators = (
        Indicator.objects.filter(partnership=partnership)
        .select_related("theme_group")
        .order_by("code")
    )
    for i in indicators:
        yield [
            partnership.slug,
            i.code,
            i.title,
            i.theme_group.name if i.theme_group else "",
            i.polarity,
            i.measure,
            i.frequency,
            i.tolerance,
            i.unit,
            i.police_uk_crime_types,
            i.rate_per,
            i.stability,
            "yes" if i.active else "no",
            i.owner,
            i.data_source,
            i.interpretation_note,
        ]


def export_targets(partnership: Partnership) -> Iterator[Sequence]:
    targets = (
        Target.objects.filter(indicator__partnership=partnership)
        .order_by("indicator__code", "financial_year", "period")
        .values_list(
            "indicator__code", "financial_year", "kind", "value", "baseline_year", "period"
        )
    )
    for code, year, kind, value, baseline, period in targets:
        yield [
            partnership.slug,
            code,
            periods.fy_label(year, partnership.fy_start_month),
            kind,
            value,
            periods.fy_label(baseline, partnership.fy_start_month) if baseline else "",
            period,
        ]


def export_actuals(partnership: Partnership) -> Iterator[Sequence]:
    code = dict(Indicator.objects.filter(partnership=partnership).values_list("pk", "code"))
    actuals = (
        Actual.objects.filter(indicator__partnership=partnership)
        .order_by("indicator__code", "period")
        .values_list("indicator_id", "period", "value", "numerator", "denominator", "note")
        .iterator(chunk_size=5000)
    )
    for indicator_id, period, value, numerator, denominator, note in actuals:
        yield [partnership.slug, code[indicator_id], period, value, numerator, denominator, note]


# Writing the files -------------------------------------------------------------


def _rows(table: registry.Table, partnership: Partnership, escape) -> Iterator[list[str]]:
    yield list(table.columns)
    for row in table.export(partnership):
        yield [cell_text(cell, escape) for cell in row]


def export_rows(
    partnership: Partnership, escape=spreadsheet_safe
) -> dict[str, Iterable[list[str]]]:
    """Every registered table for one partnership, as rows of text with a header."""
    return {table.name: _rows(table, partnership, escape) for table in registry.tables()}


def export_to_folder(partnership: Partnership, folder: Path) -> dict[str, int]:
    """Each table as NAME.csv, starting with a byte-order mark as the site's CSV downloads
    do, so Excel opens it as UTF-8 ("£", not "Â£"); the import reads past the mark."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, rows in export_rows(partnership).items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            handle.write(UTF8_BOM)
            writer = CsvWriter(handle)
            written = -1  # the header is not a record
            for row in rows:
                writer.writerow(row)
                written += 1
        counts[name] = written
    return counts


def write_workbook(partnership: Partnership, file: BinaryIO) -> None:
    """The same tables as sheets of one .xlsx workbook, which the import reads back.

    Figures, targets, money and counts are number cells, which a spreadsheet adds up
    (as text, a SUM of them is 0), exactly as stored: none has more digits than a
    spreadsheet keeps (15), or it is text. Every other cell is text, as in the CSV files,
    so Excel does not turn periods like 2016-11 into dates or drop the trailing zeros of
    a code; and as text cells are never run, text starting "=" or "-" is written as it
    is, with no apostrophe before it. Written a row at a time.
    """
    workbook = StreamedWorkbook(file)
    for name, rows in export_rows(partnership, escape=workbook_text).items():
        workbook.add_sheet(name, rows)
    workbook.close()


def export_workbook(partnership: Partnership) -> bytes:
    buffer = io.BytesIO()
    write_workbook(partnership, buffer)
    return buffer.getvalue()


def table_file(
    name: str, columns: Sequence[str], rows: Iterable[Sequence], export_format: str
) -> bytes:
    """One table's rows as NAME's own file (a page's download of part of it): CSV with a
    byte-order mark, or a workbook with a sheet called NAME. Both import back."""
    escape = workbook_text if export_format == "xlsx" else spreadsheet_safe
    lines = [list(columns), *([cell_text(cell, escape) for cell in row] for row in rows)]
    if export_format == "xlsx":
        data = io.BytesIO()
        workbook = StreamedWorkbook(data)
        workbook.add_sheet(name, lines)
        workbook.close()
        return data.getvalue()
    text = io.StringIO()
    text.write(UTF8_BOM)  # Excel then reads it as UTF-8; the import reads past it
    CsvWriter(text).writerows(lines)
    return text.getvalue().encode("utf-8")
