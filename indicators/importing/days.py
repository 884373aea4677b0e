"""Days and months in a cell, as people and spreadsheets write them, for every table's
import: a day as 2017-04-01 or as Excel (UK) writes one, 01/04/2017 (or 1/4/2017); a
month as 2016-11, or as Excel shows a month-formatted cell (Nov-16, Nov 2016, November
2016), or as the first of it (01/11/2016). A workbook's whole number in a day or month
column is Excel's serial of a day shown as a number (reading.py turns it into the day)."""

import datetime
import re

from .. import periods

# How each message says a day may be written.
DAY_FORMS = "2017-04-01 or 01/04/2017 (day/month/year)"
_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")  # strptime takes 1/4/2017 for %d/%m/%Y too
_NUMBERS_ONLY = re.compile(r"[\d/-]+")


def parse_day(text: str) -> datetime.date:
    """The day written as 2017-04-01, 01/04/2017 or 1/4/2017 (day first, as in the UK);
    ValueError for any other text."""
    if _NUMBERS_ONLY.fullmatch(text):
        for form in _DAY_FORMATS:
            try:
                return datetime.datetime.strptime(text, form).date()
            except ValueError:
                continue
    raise ValueError(f"{text!r} is not a date like {DAY_FORMS}")


def not_a_day(column: str, text: str) -> str:
    """What an import says of a cell that is no day."""
    return f"{column} '{text}' is not a date like {DAY_FORMS}"


# A month as Excel shows a cell formatted as one: Jan-11, Jan 2011, January 2011.
_NAMED_MONTH = re.compile(r"([a-z]{3,9})\.?[- ]+(\d{2}|\d{4})", re.IGNORECASE)
_MONTH_NUMBERS = {
    **{name.lower(): number for number, name in enumerate(periods.MONTH_NAMES, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(periods.MONTH_NAMES, start=1)},
    "sept": 9,
}


class NotTheMonth(ValueError):
    """A day that is not a month's first: which month is meant is not certain."""

    def __init__(self, month: datetime.date):
        super().__init__(f"write it as {month:%Y-%m}")
        self.month = month


def spreadsheet_month(text: str) -> datetime.date | None:
    """The month a cell names as a spreadsheet writes it (besides 2016-11): Jan-11,
    Jan 2011 or January 2011, or its first day (01/01/2011, 2011-01-01); None if the
    text is none of these. A day other than the first (15/01/2011) raises NotTheMonth,
    naming the month it falls in: a figure is a month's, and the day may have been
    meant otherwise (01/02 is 1 February here, 2 January in the US)."""
    named = _NAMED_MONTH.fullmatch(text)
    if named:
        number = _MONTH_NUMBERS.get(named.group(1).lower())
        if number is None:
            return None
        year = int(named.group(2))
        return datetime.date(2000 + year if year < 100 else year, number, 1)
    try:
        day = parse_day(text)
    except ValueError:
        return None
    if day.day != 1:
        raise NotTheMonth(day.replace(day=1))
    return day
