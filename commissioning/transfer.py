"""Commissioning in and out of spreadsheets, as two tables of the import registry.

Contract (these names and columns):
- funding.csv: partnership, financial_year, source, amount, allocated_by, criteria,
  monitoring
- commissioning.csv: partnership, financial_year, reference, area_of_need,
  recommendation, theme_group, provider, funding_source, contribution,
  total_budget, start, end, status, outcomes

Columns other than the required ones (partnership, financial_year, source and amount;
partnership, financial_year, reference and area_of_need) are optional: a file without
one leaves what is stored; a blank cell clears it.

financial_year is a label such as 2017/18. contribution is an amount like 12500.00,
or tbc, or awaiting, or blank for a line paid outside the recorded streams;
funding_source names a stream of the same partnership and year, in funding.csv or
already stored, in any capitals and spaces. Dates are 2017-04-01. Rows match on natural
keys (partnership, year and source or reference; a source or reference differing only in
capitals and spaces from a stored stream's or line's is refused, naming it, not added
beside it, as the database refuses it), so importing the same files twice changes
nothing; the import runs every table's checks before it keeps anything
(indicators/importing).

Registered in CommissioningConfig.ready(): reading and the one transaction are the
registry's; checking, applying and exporting are here.
"""

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError

from csp_portal.core.history import values_described
from csp_portal.core.models import Partnership
from csp_portal.core.text import differs_only_in, name_key
from indicators import periods
from indicators.importing import Table, max_lengths, register
from indicators.importing.checking import choice
from indicators.importing.days import not_a_day, parse_day
from indicators.importing.xlsx import number

from . import budget, services
from .models import CommissioningLine, FundingStream

FUNDING_COLUMNS = (
    "partnership",
    "financial_year",
    "source",
    "amount",
    "allocated_by",
    "criteria",
    "monitoring",
)
FUNDING_DETAILS = ("allocated_by", "criteria", "monitoring")  # optional columns
COMMISSIONING_COLUMNS = (
    "partnership",
    "financial_year",
    "reference",
    "area_of_need",
    "recommendation",
    "theme_group",
    "provider",
    "funding_source",
    "contribution",
    "total_budget",
    "start",
    "end",
    "status",
    "outcomes",
)
CONTRIBUTION_WORDS = {
    "tbc": CommissioningLine.Contribution.TBC,
    "to be confirmed": CommissioningLine.Contribution.TBC,
    "awaiting": CommissioningLine.Contribution.AWAITING,
    "awaiting confirmation": CommissioningLine.Contribution.AWAITING,
}
# The text each table writes to a field of limited length, by column.
FUNDING_LENGTHS = max_lengths(FundingStream, source="source", allocated_by="allocated_by")
LINE_LENGTHS = max_lengths(CommissioningLine, reference="reference", provider="provider")


@dataclass(frozen=True)
class StreamItem:
    slug: str
    financial_year: int
    source: str
    amount: object
    details: dict  # allocated_by, criteria, monitoring: only the columns the file has
    row: int = 0


# A commissioning.csv column, and the fields of a line it gives.
LINE_COLUMN_FIELDS = {
    "recommendation": ("recommendation",),
    "theme_group": ("theme_group",),
    "provider": ("provider",),
    "funding_source": ("funding_stream",),
    "contribution": ("contribution_status", "contribution"),
    "total_budget": ("total_budget",),
    "start": ("start",),
    "end": ("end",),
    "status": ("status",),
}


@dataclass(frozen=True)
class LineItem:
    slug: str
    data: services.LineInput
    stream_source: str
    theme_group: str
    row: int = 0
    # The optional columns the file lacks: a stored line keeps those fields.
    kept: tuple[str, ...] = ()


def _file_streams(ctx) -> set:
    """(slug, year, source's `name_key`) of the streams in this import's funding.csv."""
    if not hasattr(ctx, "commissioning_streams"):
        ctx.commissioning_streams = set()
    return ctx.commissioning_streams


def _year(row, ctx, slug: str | None) -> int | None:
    return ctx.financial_year(row, column="financial_year", slug=slug)


# Checking ----------------------------------------------------------------------


def check_funding(rows, ctx) -> list[StreamItem]:
    items = []
    for row in rows:
        slug = ctx.check_partnership(row)
        year = _year(row, ctx, slug)
        source = row.get("source")
        if not source:
            ctx.error(row, "source is blank")
        fits = ctx.texts_fit(row, FUNDING_LENGTHS)
        try:
            amount = budget.parse_money(row.get("amount"), label="The amount")
        except budget.MoneyError as error:
            ctx.error(row, str(error))
            continue
        if amount is None:
            ctx.error(row, "amount is blank")
            continue
        if slug is None or year is None or not source or not fits:
            continue
        label = periods.fy_label(year, ctx.fy_start[slug])
        stored = _stored_streams(ctx).get((slug, year, name_key(source)))
        if stored is not None and stored != source:
            ctx.error(
                row,
                f"source '{source}' differs only in {differs_only_in(source, stored)} from "
                f"the funding stream '{stored}' stored for {label}: write it as '{stored}' "
                "to change that stream",
            )
            continue
        first = ctx.repeated(row, (slug, year, name_key(source)))
        if first is not None:
            ctx.error(row, f"'{source}' for {label} repeats row {first}")
            continue
        _file_streams(ctx).add((slug, year, name_key(source)))
        details = {name: row.get(name) for name in FUNDING_DETAILS if name in row.columns}
        items.append(StreamItem(slug, year, source, amount, details, row=row.number))
    return items


def _stored_streams(ctx) -> dict:
    """(slug, year, source's `name_key`) -> the source stored (one: the database holds
    the key unique in the year)."""
    if not hasattr(ctx, "commissioning_stored"):
        ctx.commissioning_stored = {
            (slug, year, key): source
            for slug, year, key, source in FundingStream.objects.filter(
                partnership__slug__in=list(ctx.fy_start)
            ).values_list("partnership__slug", "financial_year", "source_key", "source")
        }
    return ctx.commissioning_stored


def _stored_references(ctx) -> dict:
    """(slug, year, reference's `name_key`) -> the reference stored (one: the database
    holds the key unique in the year)."""
    if not hasattr(ctx, "commissioning_references"):
        ctx.commissioning_references = {
            (slug, year, key): reference
            for slug, year, key, reference in CommissioningLine.objects.filter(
                partnership__slug__in=list(ctx.fy_start)
            ).values_list("partnership__slug", "financial_year", "reference_key", "reference")
        }
    return ctx.commissioning_references


def check_commissioning(rows, ctx) -> list[LineItem]:
    items = []
    for row in rows:
        item = _check_line(row, ctx)
        if item is None:
            continue
        year, reference = item.data.financial_year, item.data.reference
        # References match exactly; one differing only in capitals and spaces from a
        # stored line's ("ci  06" and "CI 06") names that line, so it is refused, as the
        # database would refuse it beside it.
        same = _stored_references(ctx).get((item.slug, year, name_key(reference)))
        if same is not None and same != reference:
            label = periods.fy_label(year, ctx.fy_start[item.slug])
            ctx.error(
                row,
                f"reference '{reference}' differs only in {differs_only_in(reference, same)} "
                f"from the line '{same}' stored for {label}: write it as '{same}' to change "
                "that line",
            )
            continue
        first = ctx.repeated(row, (item.slug, year, name_key(reference)))
        if first is not None:
            ctx.error(row, f"reference '{reference}' repeats row {first}")
            continue
        items.append(item)
    return items


def _check_line(row, ctx) -> LineItem | None:
    slug = ctx.check_partnership(row)
    year = _year(row, ctx, slug)
    if slug is None or year is None:
        return None
    problems = []
    # The line's fields whose cells are bad (said by the problems above): the model's
    # rules say nothing more of them ("Enter the contribution" after a bad amount).
    bad: set[str] = set()
    reference = row.get("reference")
    if not reference:
        problems.append("reference is blank")
        bad.add("reference")
    if not row.get("area_of_need"):
        problems.append("area_of_need is blank")
        bad.add("area_of_need")
    group = row.get("theme_group")
    # In any case and spacing, as the other imports match it and as the line is saved.
    if group and ctx.theme_group(slug, group) is None:
        problems.append(f"partnership '{slug}' has no theme group '{group}'")
    source = row.get("funding_source")
    if source:
        # In any capitals and spaces, as a theme group is found.
        key = (slug, year, name_key(source))
        if key not in _file_streams(ctx) and key not in _stored_streams(ctx):
            label = periods.fy_label(year, ctx.fy_start[slug])
            problems.append(f"there is no funding stream '{source}' for {label}")
    raw = row.get("contribution")
    status, amount = CommissioningLine.Contribution.NONE, None
    if raw.lower() in CONTRIBUTION_WORDS:
        status = CONTRIBUTION_WORDS[raw.lower()]
    elif raw:
        status = CommissioningLine.Contribution.AMOUNT
        try:
            amount = budget.parse_money(raw, label="The contribution")
        except budget.MoneyError as error:
            problems.append(f"{error} (or write tbc or awaiting)")
            bad.update({"contribution", "contribution_status"})
    try:
        total = budget.parse_money(row.get("total_budget"), label="The total budget")
    except budget.MoneyError as error:
        problems.append(str(error))
        bad.add("total_budget")
        total = None
    dates = {"start": None, "end": None}
    for column in dates:
        text = row.get(column)
        if text:
            try:
                dates[column] = parse_day(text)
            except ValueError:
                problems.append(not_a_day(column, text))
                bad.add(column)
    statuses = dict(CommissioningLine.Status.choices)
    line_status = choice(row, "status", ctx, statuses, blank=CommissioningLine.Status.PROPOSED)
    # Said by name here: the model's check below would say "Ensure this value has at most
    # 30 characters" without naming the column.
    if not ctx.texts_fit(row, LINE_LENGTHS):
        bad.update(LINE_LENGTHS)
    if line_status is None:
        bad.add("status")
    for problem in problems:
        ctx.error(row, problem)
    # Every problem of the row is said at once: the model's rules are checked with the
    # cells that are good.
    data = services.LineInput(
        financial_year=year,
        reference=reference,
        area_of_need=row.get("area_of_need"),
        recommendation=row.get("recommendation"),
        provider=row.get("provider"),
        contribution_status=status,
        contribution=amount,
        total_budget=total,
        start=dates["start"],
        end=dates["end"],
        status=line_status,
        outcomes=row.get("outcomes") if "outcomes" in row.columns else None,
    )
    # The model's own rules (contribution within the budget, dates in order...) before
    # anything is written: a stand-in stream of the right partnership and year. A column
    # the file lacks keeps the stored line's value, which the line is checked with.
    kept = tuple(column for column in LINE_COLUMN_FIELDS if column not in row.columns)
    stored = _stored_lines(ctx).get((slug, year, reference)) if kept else None
    # A stand-in partnership (none yet, perhaps: partnerships.csv may add it) with its
    # months, for the contract dates' range.
    probe = CommissioningLine(partnership=Partnership(pk=0, fy_start_month=ctx.fy_start[slug]))
    for name in services.LineInput.__dataclass_fields__:
        if name not in ("indicators", "theme_group", "funding_stream", "outcomes"):
            setattr(probe, name, getattr(data, name))
    has_stream = bool(source)
    if stored is not None:
        for field in (f for column in kept for f in LINE_COLUMN_FIELDS[column]):
            if field == "funding_stream":
                has_stream = stored.funding_stream_id is not None
            elif field != "theme_group":
                setattr(probe, field, getattr(stored, field))
    if has_stream:
        probe.funding_stream = FundingStream(partnership_id=0, financial_year=year)
    refused = False
    for check in (
        lambda: probe.clean_fields(exclude=["partnership", "funding_stream", "theme_group"]),
        probe.clean,
    ):
        try:
            check()
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                if field not in bad:
                    refused = True
                    for message in ValidationError(errors).messages:
                        ctx.error(row, message)
    if problems or bad or refused:
        return None
    return LineItem(slug, data, source, group, row=row.number, kept=kept)


def _stored_lines(ctx) -> dict:
    """(slug, year, reference) -> the line stored, as apply_commissioning finds it."""
    if not hasattr(ctx, "commissioning_lines"):
        ctx.commissioning_lines = {
            (line.partnership.slug, line.financial_year, line.reference): line
            for line in CommissioningLine.objects.filter(
                partnership__slug__in=list(ctx.fy_start)
            ).select_related("partnership")
        }
    return ctx.commissioning_lines


# Applying ----------------------------------------------------------------------


# A new line's fields its check run names: "new: Area of need “Youth work”, ...".
LINE_SUMMARY = ("area_of_need", "provider", "contribution", "total_budget", "status")


def apply_funding(items: list[StreamItem], ctx) -> Counter:
    counts = Counter()
    slugs = {item.slug for item in items}
    stored = {
        (s.partnership.slug, s.financial_year, s.source): s
        for s in FundingStream.objects.filter(partnership__slug__in=slugs).select_related(
            "partnership"
        )
    }
    for item in items:
        ctx.lands_on("funding", "commissioning:plan", year=item.financial_year)
        current = stored.get((item.slug, item.financial_year, item.source))
        if (
            current is not None
            and current.amount == item.amount
            and all(getattr(current, k) == v for k, v in item.details.items())
        ):
            counts["unchanged"] += 1
            continue
        changes = None
        if current is not None and ctx.wants_rows("funding"):
            changes = services.stream_changes(current, item.amount, item.details)
        try:
            services.stream_save(
                partnership=ctx.partnership(item.slug),
                financial_year=item.financial_year,
                source=item.source,
                amount=item.amount,
                **item.details,
                stream=current,
                by=ctx.user,
                origin=ctx.source,
            )
        except ValidationError as refused:
            # A source another way in took meanwhile, in other capitals or spaces: the
            # row's error, in the form's words.
            for message in refused.messages:
                ctx.error_at("funding", item.row, message.rstrip("."))
            continue
        counts["updated" if current else "created"] += 1
        if ctx.wants_rows("funding"):
            label = periods.fy_label(item.financial_year, ctx.fy_start[item.slug])
            key = ctx.row_key(item.slug, f"{item.source} {label}")
            new = values_described(FundingStream, {"amount": item.amount})
            ctx.row_changed("funding", key, changes, new=new)
    return counts


def apply_commissioning(items: list[LineItem], ctx) -> Counter:
    counts = Counter()
    slugs = {item.slug for item in items}
    streams = {
        (s.partnership.slug, s.financial_year, s.source_key): s
        for s in FundingStream.objects.filter(partnership__slug__in=slugs).select_related(
            "partnership"
        )
    }
    lines = {
        (line.partnership.slug, line.financial_year, line.reference): line
        for line in CommissioningLine.objects.filter(partnership__slug__in=slugs).select_related(
            "partnership", "theme_group", "funding_stream"
        )
    }
    for item in items:
        year = item.data.financial_year
        ctx.lands_on("commissioning", "commissioning:plan", year=year)
        data = replace(
            item.data,
            theme_group=ctx.theme_group(item.slug, item.theme_group),
            funding_stream=streams[item.slug, year, name_key(item.stream_source)]
            if item.stream_source
            else None,
        )
        current = lines.get((item.slug, year, data.reference))
        if current is not None and item.kept:
            kept = [field for column in item.kept for field in LINE_COLUMN_FIELDS[column]]
            data = replace(data, **{field: getattr(current, field) for field in kept})
        if current is not None and services.line_unchanged(current, data):
            counts["unchanged"] += 1
            continue
        changes = None
        if current is not None and ctx.wants_rows("commissioning"):
            changes = services.line_changes(current, data)  # before line_save sets them
        try:
            services.line_save(
                partnership=ctx.partnership(item.slug),
                data=data,
                line=current,
                by=ctx.user,
                origin=ctx.source,
            )
        except ValidationError as refused:
            # A rule the stored values a file leaves out break with the ones it gives (a
            # contribution above the stored total budget): the row's error.
            for message in refused.messages:
                ctx.error_at("commissioning", item.row, message.rstrip("."))
            continue
        counts["updated" if current else "created"] += 1
        if ctx.wants_rows("commissioning"):
            label = periods.fy_label(year, ctx.fy_start[item.slug])
            key = ctx.row_key(item.slug, f"{data.reference} {label}")
            summary = {name: getattr(data, name) for name in LINE_SUMMARY}
            new = values_described(CommissioningLine, summary)
            ctx.row_changed("commissioning", key, changes, new=new)
    return counts


# Export ------------------------------------------------------------------------


def _money(value) -> str:
    """An amount in pounds and pence ("12500.00"), a number cell in a workbook."""
    return "" if value is None else number(f"{value:.2f}")


def export_funding(partnership: Partnership) -> Iterator[Sequence]:
    start = partnership.fy_start_month
    for s in FundingStream.objects.filter(partnership=partnership).order_by(
        "financial_year", "source"
    ):
        yield [
            partnership.slug,
            periods.fy_label(s.financial_year, start),
            s.source,
            _money(s.amount),
            s.allocated_by,
            s.criteria,
            s.monitoring,
        ]


def contribution_cell(line: CommissioningLine) -> str:
    if line.contribution_status == CommissioningLine.Contribution.AMOUNT:
        return _money(line.contribution)
    return line.contribution_status  # tbc, awaiting or blank


def export_commissioning(partnership: Partnership, year: int | None = None) -> Iterator[Sequence]:
    """One row per line (of one financial year, if given), oldest year first (1 query).
    Text: the exporter keeps it as is."""
    start = partnership.fy_start_month
    lines = CommissioningLine.objects.filter(partnership=partnership)
    if year is not None:
        lines = lines.filter(financial_year=year)
    lines = lines.select_related("theme_group", "funding_stream").order_by(
        "financial_year", "reference"
    )
    for line in lines:
        yield [
            partnership.slug,
            periods.fy_label(line.financial_year, start),
            line.reference,
            line.area_of_need,
            line.recommendation,
            line.theme_group.name if line.theme_group else "",
            line.provider,
            line.funding_stream.source if line.funding_stream else "",
            contribution_cell(line),
            _money(line.total_budget),
            line.start.isoformat() if line.start else "",
            line.end.isoformat() if line.end else "",
            line.status,
            line.outcomes,
        ]


FUNDING = Table(
    name="funding",
    columns=FUNDING_COLUMNS,
    required=FUNDING_COLUMNS[:4],
    order=70,
    check=check_funding,
    apply=apply_funding,
    export=export_funding,
    page="commissioning:plan_latest",
)
COMMISSIONING = Table(
    name="commissioning",
    columns=COMMISSIONING_COLUMNS,
    required=("partnership", "financial_year", "reference", "area_of_need"),
    order=71,
    check=check_commissioning,
    apply=apply_commissioning,
    export=export_commissioning,
    page="commissioning:plan_latest",
)


def register_tables() -> None:
    register(FUNDING)
    register(COMMISSIONING)
