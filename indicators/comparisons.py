"""The comparisons open-data records: one per indicator, the same for the API and the command."""

import datetime
import io
from decimal import Decimal

from csp_portal.core.models import Partnership
from csp_portal.core.spreadsheet import CsvDictWriter, spreadsheet_safe

from . import selectors

FIELDS = [
    "indicator",
    "title",
    "period",
    "financial_year",
    "value",
    "last_year_value",
    "change",
    "change_pct",
    "ytd",
    "ytd_last_year",
    "ytd_change",
    "ytd_change_pct",
    "quarter",
    "quarter_value",
    "quarter_last_year",
    "annual_target",
    "target_to_date",
    "target_gap",
    "required_monthly_average",
    "forecast",
    "status",
    "direction",
    "commentary",
]
# The figures' own attributes, copied as they are (unrounded).
_FIGURE_FIELDS = FIELDS[4:-1]


def records(partnership: Partnership, period: datetime.date) -> list[dict]:
    """One record per active indicator, numbers as Decimals (None where not computable)."""
    return [record(result, period) for result in selectors.partnership_figures(partnership, period)]


def record(result: selectors.IndicatorFigures, period: datetime.date) -> dict:
    """One indicator's record: its code, title and figures, and the sentence about them."""
    figures, indicator = result.figures, result.indicator
    out = {
        "indicator": indicator.code,
        "title": indicator.title,
        "period": period.strftime("%Y-%m"),
        "financial_year": figures.financial_year,
    }
    out.update({name: getattr(figures, name) for name in _FIGURE_FIELDS})
    out["commentary"] = result.commentary()
    return out


def _json_number(value):
    if isinstance(value, Decimal):
        # JSON numbers, unrounded: integral values as ints, others as floats.
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def records_json(partnership: Partnership, period: datetime.date) -> list[dict]:
    return [record_json(r) for r in records(partnership, period)]


def record_json(values: dict) -> dict:
    """A record as JSON has it: numbers unrounded, integral ones as ints."""
    return {k: _json_number(v) for k, v in values.items()}


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # Normalised, so a stored 35.0000 reads 35, as it does in the JSON.
        return format(value.normalize(), "f")
    # Titles, codes and sentences: an open-data file read in Excel must not run them.
    return spreadsheet_safe(value) if isinstance(value, str) else value


def records_csv(partnership: Partnership, period: datetime.date) -> str:
    buffer = io.StringIO()
    writer = CsvDictWriter(buffer, FIELDS)
    writer.writeheader()
    for record in records(partnership, period):
        writer.writerow({k: _csv_cell(v) for k, v in record.items()})
    return buffer.getvalue()
