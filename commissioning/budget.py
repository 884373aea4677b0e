"""Commissioning money: totals per funding stream and the warnings a plan shows.

Pure: plain values in, plain values out, no ORM, no clock (the caller passes
"today"). Money is Decimal pounds and pence throughout.

Definitions:
- A line's contribution is confirmed when it is an amount. "To be confirmed" and
  "awaiting confirmation" lines are listed against their stream and never counted
  as money.
- A stream's confirmed total is the sum of its lines' confirmed contributions; what
  is left unallocated is its amount minus that total (negative when over-allocated).
  Over a year's streams, what is left is the sum of the streams with money left; the
  over-allocated ones are named with how far each is over, and those amounts added give
  the year's total over-allocated.
- Warnings: confirmed contributions exceed the stream; a contract that is not ended
  ends within three months of today; a contract has ended while the line is still
  commissioned; a commissioned line has had no progress update (or, with none, no
  start) for more than a quarter.
"""

import calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from csp_portal.core.text import day_label, format_money
from indicators.validation import read_number

PENCE = Decimal("0.01")
ZERO = Decimal("0.00")
AMOUNT, TBC, AWAITING, NONE = "amount", "tbc", "awaiting", ""
UNCONFIRMED = (TBC, AWAITING)  # listed against a stream, never counted as money
COMMISSIONED, ENDED = "commissioned", "ended"
QUARTER_MONTHS = 3


class MoneyError(ValueError):
    """An amount that cannot be stored, with a message fit for the person who typed it."""


@dataclass(frozen=True)
class StreamFacts:
    key: int
    source: str
    amount: Decimal


@dataclass(frozen=True)
class LineFacts:
    key: int
    reference: str
    stream: int | None  # the funding stream's key
    contribution_status: str  # AMOUNT, TBC, AWAITING or NONE
    contribution: Decimal | None
    status: str = "proposed"
    start: datetime.date | None = None
    end: datetime.date | None = None
    last_update: datetime.date | None = None


@dataclass(frozen=True)
class StreamTotals:
    key: int
    source: str
    amount: Decimal
    confirmed: Decimal
    unallocated: Decimal
    confirmed_lines: tuple[int, ...]
    unconfirmed_lines: tuple[int, ...]  # "to be confirmed" and "awaiting": never money

    @property
    def over_allocated(self) -> bool:
        return self.unallocated < 0

    @property
    def over_allocated_by(self) -> Decimal:
        """How far confirmed contributions exceed the amount, as a positive sum (else 0)."""
        return -self.unallocated if self.over_allocated else ZERO


@dataclass(frozen=True)
class Warning:
    kind: str  # over_allocated, ends_soon, ended_still_commissioned, no_recent_update
    message: str
    line: int | None = None
    stream: int | None = None


def parse_money(raw: object, label: str = "The amount") -> Decimal | None:
    """Pounds and pence from what a person typed: blank is None; digits with commas or
    spaces between thousands, a point and up to two decimals, "£" before them (read_number,
    as figures are read: never 1e3, 1_000, "12 50" or other scripts' digits). Money is
    never negative, whether the minus comes before the "£" or after it."""
    if raw is None:
        return None
    if isinstance(raw, float):
        raise TypeError("money is never a float")
    text = str(raw).strip()
    negative = text.startswith("-")
    text = text.removeprefix("-").removeprefix("£").lstrip()
    if not negative and text.startswith("-"):  # "£-5" is as negative as "-£5"
        negative = True
        text = text.removeprefix("-")
    if text == "" and not negative:
        return None
    amount = None if text.startswith(("+", "-")) else read_number(text)
    if amount is None or not amount.is_finite():
        raise MoneyError(
            f"{label} must be given in pounds, like 1000 or 1,000.50 ('{raw}' is not an amount)."
        )
    if negative and amount:
        raise MoneyError(f"{label} cannot be negative.")
    if amount != amount.quantize(PENCE):
        raise MoneyError(f"{label} can have at most two decimal places (pence).")
    if amount >= Decimal(10) ** 12:
        raise MoneyError(f"{label} must be less than £1,000,000,000,000.")
    return amount.quantize(PENCE)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, at the month's last day where it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def is_unconfirmed(line) -> bool:
    """Whether a line's contribution is still to be confirmed: "to be confirmed" or
    "awaiting confirmation" (a line with no contribution is neither)."""
    return line.contribution_status in UNCONFIRMED


def unconfirmed_count(lines: Iterable) -> int:
    """How many of the lines still have a contribution to be confirmed."""
    return sum(1 for line in lines if is_unconfirmed(line))


def stream_totals(streams: Iterable[StreamFacts], lines: Iterable[LineFacts]) -> list[StreamTotals]:
    """Each stream's amount, confirmed contributions and what is left, in the order given."""
    lines = list(lines)
    result = []
    for stream in streams:
        mine = [line for line in lines if line.stream == stream.key]
        confirmed_lines = [
            line
            for line in mine
            if line.contribution_status == AMOUNT and line.contribution is not None
        ]
        confirmed = sum((line.contribution for line in confirmed_lines), ZERO)
        result.append(
            StreamTotals(
                key=stream.key,
                source=stream.source,
                amount=stream.amount,
                confirmed=confirmed,
                unallocated=stream.amount - confirmed,
                confirmed_lines=tuple(line.key for line in confirmed_lines),
                unconfirmed_lines=tuple(line.key for line in mine if is_unconfirmed(line)),
            )
        )
    return result


@dataclass(frozen=True)
class PlanTotal:
    """A year's funding across all its streams."""

    streams: int
    amount: Decimal
    confirmed: Decimal
    unallocated: Decimal  # what the streams not over-allocated have left, never below 0
    # Each over-allocated stream's source and how far its confirmed contributions exceed it.
    over_allocated: tuple[tuple[str, Decimal], ...] = ()

    @property
    def over_allocated_total(self) -> Decimal:
        """How far the over-allocated streams are over, added together (0 if none is)."""
        return sum((by for _, by in self.over_allocated), ZERO)


def plan_total(totals: Iterable[StreamTotals]) -> PlanTotal:
    """The year's total funding, confirmed contributions and what is left, over every stream.

    What is left adds up only the streams with money left: one stream's spare money cannot
    pay for another's over-allocation, which is given stream by stream instead.
    """
    totals = list(totals)
    return PlanTotal(
        streams=len(totals),
        amount=sum((t.amount for t in totals), ZERO),
        confirmed=sum((t.confirmed for t in totals), ZERO),
        unallocated=sum((t.unallocated for t in totals if not t.over_allocated), ZERO),
        over_allocated=tuple((t.source, t.over_allocated_by) for t in totals if t.over_allocated),
    )


def line_warnings(line: LineFacts, today: datetime.date) -> list[Warning]:
    """The contract and progress warnings for one line on this day."""
    found = []
    if line.end and line.status != ENDED:
        if line.end < today and line.status == COMMISSIONED:
            found.append(
                Warning(
                    "ended_still_commissioned",
                    f"{line.reference}: the contract ended on {day_label(line.end)} "
                    "but the line is still marked commissioned.",
                    line=line.key,
                )
            )
        elif today <= line.end <= add_months(today, QUARTER_MONTHS):
            found.append(
                Warning(
                    "ends_soon",
                    f"{line.reference}: the contract ends on {day_label(line.end)}, "
                    "within three months.",
                    line=line.key,
                )
            )
    if line.status == COMMISSIONED:
        quarter_ago = add_months(today, -QUARTER_MONTHS)
        if line.last_update is not None:
            if line.last_update < quarter_ago:
                found.append(
                    Warning(
                        "no_recent_update",
                        f"{line.reference}: no progress update since "
                        f"{day_label(line.last_update)}, more than a quarter ago.",
                        line=line.key,
                    )
                )
        elif line.start is None or line.start < quarter_ago:
            since = f" since the contract started on {day_label(line.start)}" if line.start else ""
            found.append(
                Warning(
                    "no_recent_update",
                    f"{line.reference}: no progress update{since}.",
                    line=line.key,
                )
            )
    return found


def stream_warnings(
    totals: Iterable[StreamTotals], money: Callable[[Decimal], str] = format_money
) -> list[Warning]:
    """A warning for each stream whose confirmed contributions exceed its amount.
    ``money``: how an amount is written (a report writes all of its money to the same
    decimals: reports' ``money_places``)."""
    return [
        Warning(
            "over_allocated",
            f"Confirmed contributions from {t.source} ({money(t.confirmed)}) exceed "
            f"its {money(t.amount)} by {money(t.over_allocated_by)}.",
            stream=t.key,
        )
        for t in totals
        if t.over_allocated
    ]
