"""Figures that set an indicator in context. Pure: no ORM, no formatting, no rounding.

- Rolling windows of an indicator and rates per 1,000 are ``figures.rolling`` and
  ``figures.rate_per_1000``; here, the denominator a rate is per: population by default,
  households for burglary, businesses for business crime.
- The force's change: the same windows over a force's police.uk counts, its crime types
  added month by month.
- Neighbours' change: the same over Home Office quarterly counts, by CSP.
- Charged share: crimes whose last police.uk outcome is a charge or summons.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from indicators import periods
from indicators.figures import Rolling, compared

HUNDRED = Decimal(100)


def counts_window(counts: Mapping[date, int | Decimal], period: date, months: int) -> Rolling:
    """A plain monthly count series (a force's crimes) over the same windows as
    ``figures.rolling``."""
    span = [periods.add_months(period, -k) for k in range(months)]
    before = [periods.add_months(m, -12) for m in span]

    def total(ms: list[date]) -> Decimal | None:
        if not all(m in counts for m in ms):
            return None
        return sum((Decimal(counts[m]) for m in ms), Decimal(0))

    return compared(period, months, total(span), total(before))


def force_window(
    force_counts: Mapping[str, Mapping[date, int]],
    crime_types: Sequence[str],
    imported: Iterable[date],
    period: date,
    months: int,
) -> Rolling | None:
    """A force's police.uk counts of these crime types, added month by month, over the
    windows of ``counts_window``; None without a crime type, or unless every month of both
    years was imported and the year before had crimes (a type with no row in an imported
    month had none)."""
    if not crime_types:
        return None
    monthly = {
        month: sum(force_counts.get(t, {}).get(month, 0) for t in crime_types) for month in imported
    }
    window = counts_window(monthly, period, months)
    return window if window.change_pct is not None else None


def quarters_window(
    counts: Mapping[tuple[int, int], int | Decimal], end: tuple[int, int], quarters: int = 4
) -> Rolling:
    """Home Office quarterly counts, keyed (financial year, quarter): the ``quarters`` to
    ``end`` against the same quarters a year before. The window ends with the last month
    of ``end`` (Home Office years start in April)."""
    span = [end]
    while len(span) < quarters:
        span.append(periods.previous_quarter(*span[-1]))
    before = [(year - 1, quarter) for year, quarter in span]

    def total(keys) -> Decimal | None:
        if not all(k in counts for k in keys):
            return None
        return sum((Decimal(counts[k]) for k in keys), Decimal(0))

    last_month = periods.quarter_months(end[0], end[1], 4)[2]
    return compared(last_month, quarters * 3, total(span), total(before))


def denominator_for(rate_per: str, figures: Mapping[str, int | None]) -> int | None:
    """The partnership's figure for an indicator's denominator ('none': no rate)."""
    return None if rate_per == "none" else figures.get(rate_per)


@dataclass(frozen=True)
class Share:
    part: int
    total: int
    pct: Decimal | None


def share(part: int, total: int) -> Share:
    """``part`` of ``total`` as a percentage; None when the total is zero."""
    return Share(part, total, Decimal(part) / Decimal(total) * HUNDRED if total else None)


def summed(counts: Iterable[tuple[object, int]]) -> dict:
    """Counts with the same key added together."""
    result: dict = {}
    for key, n in counts:
        result[key] = result.get(key, 0) + n
    return result


def csp_quarters(
    rows: Iterable[tuple[str, int, int, int]], end: tuple[int, int]
) -> dict[str, dict[tuple[int, int], int]]:
    """Home Office counts (CSP, financial year, quarter, count) to ``end``, by CSP and
    quarter: the offences an indicator maps to added together."""
    result: dict[str, dict[tuple[int, int], int]] = {}
    for csp, year, quarter, n in rows:
        if (year, quarter) <= end:
            quarters = result.setdefault(csp, {})
            quarters[year, quarter] = quarters.get((year, quarter), 0) + n
    return result


def last_complete_quarter(period: date) -> tuple[int, int]:
    """(financial year, quarter) of the latest April-start quarter ending by ``period``'s
    month: November 2016 gives Q2 2016/17 (July to September)."""
    year = periods.financial_year_of(period, 4)
    quarter = periods.quarter_of(period, 4)
    if periods.quarter_months(year, quarter, 4)[2] == periods.month_start(period):
        return year, quarter
    return periods.previous_quarter(year, quarter)


def is_recent_quarter(quarter: tuple[int, int], end: tuple[int, int], within: int = 4) -> bool:
    """Whether ``quarter`` is one of the ``within`` quarters to ``end``: recent enough for
    a report to ``end`` to compare on (an older one would be stale)."""
    span = [end]
    while len(span) < within:
        span.append(periods.previous_quarter(*span[-1]))
    return quarter in span
