"""Reads for the commissioning pages and the reports app, each in a fixed number of queries.

`commissioning_summary` is what a page or a report of a year's commissioning calls:
2 queries (the year's funding streams; its lines with theme group, stream and the
date and id of each line's latest update), and with progress=True 2 more (those
latest updates, and their outputs): 4 in all. `line_detail` takes 4 (updates,
outputs, indicators, its stream's lines); `removed_in_year` 1. The number never depends
on the number of lines, updates or removals (tests/integration/test_commissioning.py;
bench/commissioning_bench.py).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery

from csp_portal.core.change_log import (
    ChangesShown,
    changed_by,
    changed_how,
    changes_shown,
    day_in_words,
)
from csp_portal.core.models import Partnership, ThemeGroup
from csp_portal.core.text import format_money
from indicators import periods

from . import budget
from .models import (
    CommissioningChange,
    CommissioningLine,
    CommissioningPlan,
    FundingStream,
    ProgressOutput,
    ProgressUpdate,
    output_key,
)


@dataclass(frozen=True)
class StreamRow:
    """A funding stream with its totals and the lines still to be confirmed against it."""

    stream: FundingStream
    totals: budget.StreamTotals
    to_be_confirmed: list[CommissioningLine]


@dataclass(frozen=True)
class LineProgress:
    """A line and its latest progress update (None if none), outputs prefetched."""

    line: CommissioningLine
    update: ProgressUpdate | None


@dataclass(frozen=True)
class CommissioningSummary:
    partnership: Partnership
    financial_year: int
    year_label: str
    as_at: datetime.date
    theme_group: ThemeGroup | None
    # The year's lines (of the theme group, if given), by reference; each has
    # `last_update` (date or None) and `warnings` (list of budget.Warning).
    lines: list[CommissioningLine]
    # Every stream of the year: totals always count all the year's lines, since a
    # stream's unallocated money is the partnership's, not one theme group's.
    streams: list[StreamRow]
    # Lines whose contribution is "to be confirmed" or "awaiting confirmation".
    to_be_confirmed: list[CommissioningLine]
    # Stream warnings first, then the lines' (of the theme group, if given).
    warnings: list[budget.Warning]
    # Commissioned lines with their latest update (only with progress=True).
    progress: list[LineProgress] = field(default_factory=list)

    @property
    def plan(self) -> CommissioningPlan:
        return CommissioningPlan(self.partnership, self.financial_year)


def line_facts(line: CommissioningLine) -> budget.LineFacts:
    return budget.LineFacts(
        key=line.pk,
        reference=line.reference,
        stream=line.funding_stream_id,
        contribution_status=line.contribution_status,
        contribution=line.contribution,
        status=line.status,
        start=line.start,
        end=line.end,
        last_update=getattr(line, "last_update", None),
    )


def stream_facts(stream: FundingStream) -> budget.StreamFacts:
    return budget.StreamFacts(key=stream.pk, source=stream.source, amount=stream.amount)


def _latest_update_id(as_at: datetime.date):
    return Subquery(
        ProgressUpdate.objects.filter(line=OuterRef("pk"), date__lte=as_at)
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )


def commissioning_summary(
    partnership: Partnership,
    financial_year: int,
    theme_group: ThemeGroup | None = None,
    *,
    as_at: datetime.date,
    progress: bool = True,
) -> CommissioningSummary:
    """A year's commissioning: lines, per-stream totals, unconfirmed lines, warnings, progress.

    2 queries (4 with progress); `as_at` is "today" for the warnings, and a line's latest
    progress update is its latest dated by then (a report's is as at its month's end).
    """
    streams = list(
        FundingStream.objects.filter(partnership=partnership, financial_year=financial_year)
    )
    all_lines = list(
        CommissioningLine.objects.filter(partnership=partnership, financial_year=financial_year)
        .select_related("theme_group", "funding_stream")
        .annotate(
            last_update=Max("updates__date", filter=Q(updates__date__lte=as_at)),
            latest_update_id=_latest_update_id(as_at),
        )
        .order_by("reference")
    )
    for line in all_lines:
        line.partnership = partnership  # for links, without a query per line
    totals = budget.stream_totals([stream_facts(s) for s in streams], map(line_facts, all_lines))
    by_key = {line.pk: line for line in all_lines}
    lines = [
        line for line in all_lines if theme_group is None or line.theme_group_id == theme_group.pk
    ]
    for line in lines:
        line.warnings = budget.line_warnings(line_facts(line), as_at)
    over_allocated = budget.stream_warnings(totals)
    rows = [
        StreamRow(stream, t, [by_key[key] for key in t.unconfirmed_lines])
        for stream, t in zip(streams, totals, strict=True)
    ]
    summary = CommissioningSummary(
        partnership=partnership,
        financial_year=financial_year,
        year_label=periods.fy_label(financial_year, partnership.fy_start_month),
        as_at=as_at,
        theme_group=theme_group,
        lines=lines,
        streams=rows,
        to_be_confirmed=[line for line in lines if budget.is_unconfirmed(line)],
        warnings=over_allocated + [w for line in lines for w in line.warnings],
    )
    if progress:
        running = [line for line in lines if line.status == CommissioningLine.Status.COMMISSIONED]
        wanted = [line.latest_update_id for line in running if line.latest_update_id]
        updates = {
            u.pk: u
            for u in ProgressUpdate.objects.filter(pk__in=wanted).prefetch_related("outputs")
        }
        summary.progress.extend(
            LineProgress(line, updates.get(line.latest_update_id)) for line in running
        )
    return summary


def stream_warnings(stream: FundingStream | None) -> list[budget.Warning]:
    """The over-allocation warning of one stream, as the plan page gives it: 1 query
    (none without a stream)."""
    if stream is None:
        return []
    lines = CommissioningLine.objects.filter(funding_stream=stream)
    totals = budget.stream_totals([stream_facts(stream)], map(line_facts, lines))
    return budget.stream_warnings(totals)


def year_has_lines(partnership: Partnership, financial_year: int) -> bool:
    """Whether the partnership has any line in the year (1 query)."""
    return CommissioningLine.objects.filter(
        partnership=partnership, financial_year=financial_year
    ).exists()


def commissioning_years(partnership: Partnership) -> list[int]:
    """Years with a funding stream or a line, oldest first (1 query)."""
    streams = (
        FundingStream.objects.filter(partnership=partnership)
        .order_by()
        .values_list("financial_year", flat=True)
    )
    lines = (
        CommissioningLine.objects.filter(partnership=partnership)
        .order_by()
        .values_list("financial_year", flat=True)
    )
    return sorted(set(streams.union(lines)))


@dataclass(frozen=True)
class OutputSeries:
    label: str
    values: list  # Decimal or None, one per update in LineDetail.dates order


@dataclass(frozen=True)
class LineDetail:
    line: CommissioningLine
    updates: list[ProgressUpdate]  # newest first, outputs prefetched
    indicators: list
    dates: list[datetime.date]  # update dates, oldest first (the columns of `outputs`)
    outputs: list[OutputSeries]  # each output label over time
    warnings: list[budget.Warning]


def line_detail(line: CommissioningLine, *, as_at: datetime.date) -> LineDetail:
    """A line with its updates and their outputs over time, and the warnings of the line
    and of its stream (4 queries)."""
    updates = list(
        line.updates.select_related("entered_by").prefetch_related(
            Prefetch("outputs", queryset=ProgressOutput.objects.order_by("position", "pk"))
        )
    )
    indicators = list(line.indicators.order_by("code"))
    oldest_first = list(reversed(updates))
    # One row per output, however its name was typed (output_key, as an update's form
    # compares them), in the order they were first reported; the row is named as the
    # latest update spells it, which is how the line reports it now.
    labels: dict[str, str] = {}
    for update in oldest_first:
        for output in update.outputs.all():
            labels[output_key(output.label)] = output.label
    outputs = []
    for key, label in labels.items():
        values = []
        for update in oldest_first:
            found = [o.value for o in update.outputs.all() if output_key(o.label) == key]
            # One per update (the form refuses a name twice); an older update that gave
            # one twice is shown with its total, never half of it.
            values.append(sum(found) if found else None)
        outputs.append(OutputSeries(label, values))
    line.last_update = updates[0].date if updates else None
    return LineDetail(
        line=line,
        updates=updates,
        indicators=indicators,
        dates=[u.date for u in oldest_first],
        outputs=outputs,
        warnings=stream_warnings(line.funding_stream)
        + budget.line_warnings(line_facts(line), as_at),
    )


CHANGED_MODELS = {
    CommissioningChange.Subject.STREAM: FundingStream,
    CommissioningChange.Subject.LINE: CommissioningLine,
    CommissioningChange.Subject.UPDATE: ProgressUpdate,
}
_SUBJECT_OF = {model: subject for subject, model in CHANGED_MODELS.items()}


def row_changes(
    row: FundingStream | CommissioningLine | ProgressUpdate, *, every: bool = False
) -> ChangesShown:
    """The recorded changes to a funding stream, a progress update, or a line with its
    updates' (removed ones' too; each named by its day in words), newest first, in
    words: the latest few, or ``every`` one; one query."""
    found = Q(subject=_SUBJECT_OF[type(row)], object_id=row.pk)
    if isinstance(row, CommissioningLine):
        # Its updates', removed ones' too.
        found |= Q(subject=CommissioningChange.Subject.UPDATE, parent_object_id=row.pk)
    partnership = row.line.partnership if isinstance(row, ProgressUpdate) else row.partnership
    start = partnership.fy_start_month
    return changes_shown(
        CommissioningChange.objects.filter(found),
        CHANGED_MODELS,
        every=every,
        shown={"financial_year": lambda year: periods.fy_label(year, start)},
        named={CommissioningChange.Subject.UPDATE: day_in_words},
    )


@dataclass(frozen=True)
class RemovedRow:
    """A funding stream or line removed from a year, as its record of removal holds it."""

    at: datetime.datetime
    who: str  # the person's name, or "System"
    source: str  # how, when not on the site's form ("admin"); else ""
    kind: str  # "Funding stream", "Line"
    name: str  # its source or reference
    about: str  # a line's area of need; "" for a stream
    facts: list[tuple[str, str]]  # what it was: ("Amount", "£5,000"); blanks left out


def _recorded_money(value) -> str:
    """An amount as a record holds it ("5000.00") as the site writes it ("£5,000")."""
    try:
        return format_money(Decimal(value))
    except (TypeError, ArithmeticError):
        return "" if value is None else str(value)


def _contribution(old: dict) -> str:
    """A removed line's contribution: its amount, or what its record says instead ("To be
    confirmed"); "" where the record holds neither."""
    if old.get("contribution") is not None:
        return _recorded_money(old["contribution"])
    status = old.get("contribution_status")
    if status is None:
        return ""
    return dict(CommissioningLine.Contribution.choices).get(status, status)


def _removed_row(record: CommissioningChange) -> RemovedRow:
    old = record.old
    if record.subject == CommissioningChange.Subject.STREAM:
        kind, name, about = "Funding stream", old.get("source"), ""
        facts = [("Amount", _recorded_money(old.get("amount")))]
    else:
        kind, name, about = "Line", old.get("reference"), old.get("area_of_need") or ""
        facts = [
            ("Provider", old.get("provider") or ""),
            ("Funding stream", old.get("funding_stream") or ""),
            ("Contribution", _contribution(old)),
        ]
    return RemovedRow(
        at=record.changed_at,
        who=changed_by(record),
        source=changed_how(record),
        kind=kind,
        name=name or record.label,
        about=about,
        facts=[(label, value) for label, value in facts if value],
    )


def removed_in_year(partnership: Partnership, financial_year: int) -> list[RemovedRow]:
    """The partnership's funding streams and lines of the year that were removed, on the
    site or in the admin, newest first, each as its record of removal holds it (one removed
    on the site; an older record may hold fewer fields): 1 query."""
    records = (
        CommissioningChange.objects.filter(
            partnership=partnership,
            subject__in=[CommissioningChange.Subject.STREAM, CommissioningChange.Subject.LINE],
            new__isnull=True,
            old__financial_year=financial_year,
        )
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )
    return [_removed_row(record) for record in records]
