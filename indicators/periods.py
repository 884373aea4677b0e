"""Months, financial years and quarters: the calendar every figure is reported against.

A month is a ``date`` on the first of the month. A financial year (FY) is named by the
calendar year it starts in, so 2016 is 2016/17. Pure functions, no Django.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTH_NAMES",
    "add_months",
    "ended_by",
    "financial_year_of",
    "fy_label",
    "fy_months",
    "fy_start",
    "month_label",
    "month_name",
    "month_start",
    "months_to_date",
    "parse_fy_label",
    "parse_month",
    "period_label",
    "previous_quarter",
    "quarter_label",
    "quarter_months",
    "quarter_name",
    "quarter_of",
    "same_month_last_year",
    "short_month_label",
]

# Spelled out rather than taken from calendar.month_name, which follows the server's locale.
MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_FY_RE = re.compile(r"(\d{4})/(\d{2})")

# The years a month or financial year typed by someone may name. Far enough inside
# datetime's 1 to 9999 that looking years back (baselines, SPC) or forward never overflows.
MIN_YEAR, MAX_YEAR = 1900, 2999


def _check_start_month(start_month: int) -> None:
    if not 1 <= start_month <= 12:
        raise ValueError(f"financial year start month must be 1 to 12, not {start_month!r}")


def month_start(d: date) -> date:
    """The first day of the month that contains ``d``."""
    return date(d.year, d.month, 1)


@lru_cache(maxsize=8192)  # a dashboard asks the same few hundred shifts thousands of times
def add_months(month: date, n: int) -> date:
    """The first of the month ``n`` months after ``month`` (before it when ``n`` < 0)."""
    index = month.year * 12 + (month.month - 1) + n
    return date(index // 12, index % 12 + 1, 1)


def last_month_of(period: date, frequency: str) -> date:
    """The last month a figure stored at ``period`` covers: the month itself, or the third
    month of a quarterly figure's quarter (stored at its first)."""
    return add_months(period, 2) if frequency == "quarterly" else period


def ended_by(period: date, frequency: str, month: date) -> bool:
    """Whether a figure stored at ``period`` is one a report to ``month`` counts, and one
    that can be entered in ``month``: its last month has come (a month's figure in that
    month, a quarter's in its third: a quarter under way has not ended)."""
    return last_month_of(period, frequency) <= month


def financial_year_of(month: date, start_month: int = 4) -> int:
    """The calendar year in which the financial year containing ``month`` starts."""
    _check_start_month(start_month)
    return month.year if month.month >= start_month else month.year - 1


def fy_start(year: int, start_month: int = 4) -> date:
    """The first month of financial year ``year``."""
    _check_start_month(start_month)
    return date(year, start_month, 1)


def fy_label(year: int, start_month: int = 4) -> str:
    """The financial year's name: "2016/17", or "2016" when it is a calendar year."""
    _check_start_month(start_month)
    if start_month == 1:
        return f"{year:04d}"
    return f"{year:04d}/{(year + 1) % 100:02d}"


def parse_fy_label(label: str, start_month: int = 4) -> int:
    """The start year named by a label such as "2016/17" (or "2016" for calendar years)."""
    _check_start_month(start_month)
    text = label.strip()
    if start_month == 1:
        if re.fullmatch(r"\d{4}", text) and MIN_YEAR <= int(text) <= MAX_YEAR:
            return int(text)
        raise ValueError(f"{label!r} is not a financial year (expected a year such as 2016)")
    match = _FY_RE.fullmatch(text)
    if not match or not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
        raise ValueError(f"{label!r} is not a financial year (expected a form such as 2016/17)")
    year = int(match.group(1))
    if int(match.group(2)) != (year + 1) % 100:
        raise ValueError(
            f"{label!r} is not a financial year: {year} is followed by "
            f"{(year + 1) % 100:02d}, not {match.group(2)}"
        )
    return year


def fy_months(year: int, start_month: int = 4) -> list[date]:
    """The twelve months of financial year ``year``, in order."""
    first = fy_start(year, start_month)
    return [add_months(first, i) for i in range(12)]


def months_to_date(period: date, start_month: int = 4) -> list[date]:
    """The months from the start of ``period``'s financial year up to ``period`` inclusive."""
    period = month_start(period)
    first = fy_start(financial_year_of(period, start_month), start_month)
    count = (period.year - first.year) * 12 + period.month - first.month + 1
    return [add_months(first, i) for i in range(count)]


def same_month_last_year(month: date) -> date:
    """The same calendar month one year earlier."""
    return date(month.year - 1, month.month, 1)


def quarter_of(month: date, start_month: int = 4) -> int:
    """The quarter (1 to 4) of its financial year that ``month`` falls in."""
    _check_start_month(start_month)
    return (month.month - start_month) % 12 // 3 + 1


def quarter_months(year: int, quarter: int, start_month: int = 4) -> list[date]:
    """The three months of quarter ``quarter`` of financial year ``year``."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1 to 4, not {quarter!r}")
    first = add_months(fy_start(year, start_month), 3 * (quarter - 1))
    return [add_months(first, i) for i in range(3)]


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The (financial year, quarter) immediately before the given one."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1 to 4, not {quarter!r}")
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def parse_month(text: str) -> date:
    """The month written as "YYYY-MM", e.g. "2016-11"."""
    match = _MONTH_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if (
        not match
        or not 1 <= int(match.group(2)) <= 12
        or not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR
    ):
        raise ValueError(f"{text!r} is not a month (expected YYYY-MM, such as 2016-11)")
    return date(int(match.group(1)), int(match.group(2)), 1)


def outside_the_years(text: str) -> str | None:
    """If ``parse_month`` refuses ``text`` only for its year ("9999-12"), what to say."""
    match = _MONTH_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return f"{match.group(0)} is outside the years the portal holds ({MIN_YEAR} to {MAX_YEAR})"


def month_name(month: date) -> str:
    """The month's English name, e.g. "November"."""
    return MONTH_NAMES[month.month - 1]


def month_label(month: date) -> str:
    """The month and year in words, e.g. "November 2016"."""
    return f"{month_name(month)} {month.year}"


def short_month_label(month: date) -> str:
    """The month abbreviated to three letters with its year, e.g. "Nov 2016"."""
    return f"{month_name(month)[:3]} {month.year}"


def quarter_name(month: date, start_month: int = 4) -> str:
    """The financial-year quarter holding ``month``, e.g. "Q3" for November (April start)."""
    return f"Q{quarter_of(month, start_month)}"


def quarter_label(month: date, start_month: int = 4) -> str:
    """The quarter holding ``month`` with its financial year, e.g. "Q3 2016/17"."""
    year = financial_year_of(month, start_month)
    return f"{quarter_name(month, start_month)} {fy_label(year, start_month)}"


def period_label(period: date, frequency: str, start_month: int = 4) -> str:
    """A figure's period in words: its month ("October 2016"), or a quarterly figure's
    quarter ("Q3 2016/17", stored at its first month)."""
    if frequency == "quarterly":
        return quarter_label(period, start_month)
    return month_label(period)


def months_span(first: date, last: date) -> str:
    """The months from ``first`` to ``last`` in words: "April to November 2016", "November
    2015 to January 2016" across a new year, and one month once: "April 2016"."""
    if first == last:
        return month_label(last)
    named = month_name(first) if first.year == last.year else month_label(first)
    return f"{named} to {month_label(last)}"


def quarter_span(first: date) -> str:
    """A quarter's months in words from its first month: "July to September 2016", and
    "November 2015 to January 2016" across a new year."""
    return months_span(first, add_months(first, 2))


def quarter_words(month: date, start_month: int = 4) -> str:
    """The quarter holding ``month`` by its number and months: "Quarter 2 (July to
    September 2016)"."""
    year = financial_year_of(month, start_month)
    quarter = quarter_of(month, start_month)
    first = quarter_months(year, quarter, start_month)[0]
    return f"Quarter {quarter} ({quarter_span(first)})"


def quarter_start(month: date, start_month: int = 4) -> date:
    """The first month of the quarter holding ``month``, where a quarterly figure or
    target is stored."""
    year = financial_year_of(month, start_month)
    return quarter_months(year, quarter_of(month, start_month), start_month)[0]


def quarter_end(month: date, start_month: int = 4) -> date:
    """The last month of the quarter holding ``month``: a quarterly figure or target is
    stored at its quarter's first month but runs to the end of its last."""
    year = financial_year_of(month, start_month)
    return quarter_months(year, quarter_of(month, start_month), start_month)[-1]
