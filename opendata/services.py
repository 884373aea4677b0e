"""Writes police.uk counts into a partnership's indicators, through the audited figure services."""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction

from csp_portal.core.models import Partnership
from indicators import data_version
from indicators import services as figure_services
from indicators.models import Actual, FigureChange, Indicator
from indicators.periods import month_label
from indicators.services import Figure, FigureInput
from indicators.validation import plain_number

from . import police_uk
from .models import (
    CspOffenceCount,
    ForceCount,
    LsoaCount,
    LsoaWard,
    OutcomeCount,
    PoliceImport,
)


@dataclass
class FigureLine:
    """What the import did with one indicator's month."""

    indicator_id: int
    code: str
    title: str
    month: str
    count: int
    outcome: str  # created, updated, unchanged, conflict, locked
    current: str | None = None  # the stored figure, if any
    current_source: str | None = None
    report: str | None = None  # the published report whose month it is, when locked


@dataclass
class ImportReport:
    files: list[str]
    rows_read: int = 0
    matched: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    months: list[str] = field(default_factory=list)
    figures: list[FigureLine] = field(default_factory=list)
    # What was left without a figure (an indicator, a month, stray rows), and why.
    not_imported: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.figures if line.outcome == outcome)

    @property
    def conflicts(self) -> list[FigureLine]:
        return [line for line in self.figures if line.outcome == "conflict"]

    @property
    def locked(self) -> list[FigureLine]:
        return [line for line in self.figures if line.outcome == "locked"]

    def summary(self) -> str:
        return (
            f"{self.rows_read:,} rows read, {self.matched:,} matched; figures: "
            f"{self.count('created')} added, {self.count('updated')} replaced, "
            f"{self.count('unchanged')} unchanged, {self.count('conflict')} left as entered, "
            f"{self.count('locked')} left in a published report"
        )

    def as_json(self) -> dict:
        return asdict(self)


class DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def mapped_indicators(partnership: Partnership) -> list[Indicator]:
    """The partnership's active indicators that count police.uk crime types."""
    return list(
        partnership.indicators.filter(active=True)
        .exclude(police_uk_crime_types="")
        .select_related("partnership")
        .order_by("code")
    )


def _last_sources(indicators: list[Indicator], periods: list[datetime.date]) -> dict:
    """The source of the latest audited change to each stored figure, in one query."""
    latest: dict = {}
    changes = (
        FigureChange.objects.filter(
            indicator__in=indicators, subject=FigureChange.Subject.ACTUAL, period__in=periods
        )
        .order_by("indicator_id", "period", "-changed_at", "-pk")
        .values_list("indicator_id", "period", "source")
    )
    for indicator_id, period, source in changes:
        latest.setdefault((indicator_id, period), source)
    return latest


def police_uk_import(
    *,
    partnership: Partnership,
    street: police_uk.StreetCounts,
    by: User | None,
    dry_run: bool = False,
) -> PoliceImport:
    """Put the street counts of the partnership's area into its mapped indicators.

    A month's police.uk figure is replaced by a re-import (unchanged if the count is the
    same); a figure whose latest change came from anywhere else (typed in, a spreadsheet
    import) is left as it is and listed as a conflict. A figure in a month a published
    report covers is left as it is too (added or changed only on the month sheet, with a
    person's reason) and listed with that report. Hotspot counts for each month read are
    replaced. The run and its report are kept (a dry run writes only the run).
    """
    report = ImportReport(files=list(street.files), dry_run=dry_run)
    try:
        with transaction.atomic():
            _import(partnership, street, by, report)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    except figure_services.FigureConflict:
        # A figure changed between reading it and writing: nothing was saved.
        report.figures = []
        report.problems.append(
            "Someone changed a figure while the import ran, so nothing was saved. "
            "Import the files again."
        )
    return PoliceImport.objects.create(
        partnership=partnership,
        files=report.files,
        report=report.as_json(),
        dry_run=dry_run,
        imported_by=by,
    )


def _import(partnership, street, by, report: ImportReport) -> None:
    areas = partnership.local_authority_names
    indicators = mapped_indicators(partnership)
    usable = []
    for indicator in indicators:
        if indicator.measure != Indicator.Measure.COUNT:
            report.not_imported.append(f"{indicator.code}: not a count")
        elif indicator.frequency != Indicator.Frequency.MONTHLY:
            report.not_imported.append(f"{indicator.code}: not monthly")
        else:
            usable.append(indicator)
    if not areas:
        report.problems.append(
            f"{partnership.name} names no local authorities, so no row can be matched."
        )
    if not usable:
        report.problems.append(f"No indicator of {partnership.name} counts police.uk crime types.")
    all_types = {t for indicator in usable for t in indicator.crime_types}
    match = police_uk.match_area(street, areas=areas, crime_types=all_types)
    report.rows_read, report.matched = match.rows_read, match.matched
    report.skipped, report.months = match.skipped, match.months
    report.not_imported += [
        f"{file}: {n:,} {'row' if n == 1 else 'rows'} of {_month_label(month)} skipped. "
        f"A police.uk file holds one month, and this is {_month_label(own)}'s"
        for (file, month), n in sorted(street.other_months.items())
        if (own := street.file_months.get(file))
    ]
    if not match.months or not usable:
        return
    periods = [police_uk.month_start(m) for m in match.months]
    stored = {
        (a.indicator_id, a.period): a
        for a in Actual.objects.filter(indicator__in=usable, period__in=periods)
    }
    sources = _last_sources(usable, periods)
    entries = []
    listed = match.listed
    for indicator in usable:
        totals = police_uk.monthly_totals(
            match.counts,
            months=match.months,
            crime_types=indicator.crime_types,
            listed=listed,
        )
        report.not_imported += [
            f"{indicator.code} {indicator.title}, {_month_label(month)}: no figure. The "
            f"force's file has no {' or '.join(indicator.crime_types)} row at all: whether "
            "none were recorded or the file is incomplete cannot be told, and 0 would be a guess"
            for month in match.months
            if month not in totals
        ]
        for month, count in totals.items():
            period = police_uk.month_start(month)
            current = stored.get((indicator.pk, period))
            line = FigureLine(indicator.pk, indicator.code, indicator.title, month, count, "")
            figure = Figure(Decimal(count))
            if current is not None:
                line.current = plain_number(current.value)
                line.current_source = sources.get((indicator.pk, period))
            if current is not None and Figure.of(current).same(figure):
                line.outcome = "unchanged"
            elif current is not None and line.current_source != police_uk.SOURCE:
                line.outcome = "conflict"
            else:
                line.outcome = "updated" if current is not None else "created"
                # What we read now: a change made meanwhile is a conflict, not overwritten.
                entries.append(
                    FigureInput(indicator, period, Decimal(count), shown=Figure.of(current))
                )
            report.figures.append(line)
    entries = _leave_locked(usable, report.figures, entries)
    figure_services.actuals_save(
        entries=entries,
        by=by,
        reason=import_reason(report.files),
        source=police_uk.SOURCE,
    )
    _lsoa_counts_replace(partnership, periods, match)


def _leave_locked(
    indicators: list[Indicator], lines: list[FigureLine], entries: list[FigureInput]
) -> list[FigureInput]:
    """The entries to write: those in no month a published report covers. A figure the
    import would add or change there (a conflict too) is left as it is, its line naming the
    report: the import's reason names a file, which is no person's reason for revising what
    the panel was given. That is for the month sheet, as a spreadsheet import refuses such a
    change (indicators/importing)."""
    # Reports build on indicators and open data, not the reverse.
    from reports.selectors import locked_figures

    by_pk = {indicator.pk: indicator for indicator in indicators}
    changing = [line for line in lines if line.outcome in ("created", "updated", "conflict")]
    locked = {
        (indicator.pk, period): title
        for indicator, period, title in locked_figures(
            (by_pk[line.indicator_id], police_uk.month_start(line.month)) for line in changing
        )
    }
    if not locked:
        return entries
    for line in changing:
        title = locked.get((line.indicator_id, police_uk.month_start(line.month)))
        if title is not None:
            line.outcome, line.report = "locked", title
    return [e for e in entries if (e.indicator.pk, e.period) not in locked]


def _month_label(month: str) -> str:
    return month_label(police_uk.month_start(month))


def import_reason(files: list[str]) -> str:
    """The reason recorded with each figure an import writes: the file, or how many files
    and the first and last, within the audit trail's column (a year of one force's files
    named one by one would not fit)."""
    if not files:
        named = "upload"
    elif len(files) == 1:
        named = files[0]
    else:
        named = f"{len(files)} files, {min(files)} to {max(files)}"
    limit = FigureChange._meta.get_field("reason").max_length
    return f"police.uk street-level data ({named})"[:limit]


LSOA_FIELDS = ("period", "crime_type", "lsoa_code", "lsoa_name", "count")


def _lsoa_counts_replace(partnership: Partnership, periods: list, match) -> None:
    """Make the hotspot counts of these months exactly the match's, touching only the rows
    that differ (a re-import of an unchanged month writes nothing)."""
    wanted = {
        (police_uk.month_start(month), crime_type, code, match.lsoa_names[code], n)
        for (month, crime_type, code), n in match.counts.items()
    }
    stored = LsoaCount.objects.filter(partnership=partnership, period__in=periods).order_by()
    gone = []
    for pk, *row in stored.values_list("pk", *LSOA_FIELDS):
        if tuple(row) in wanted:
            wanted.discard(tuple(row))
        else:
            gone.append(pk)
    if gone:
        LsoaCount.objects.filter(pk__in=gone).delete()
    _insert_rows(
        LsoaCount, ("partnership", *LSOA_FIELDS), [(partnership.pk, *r) for r in sorted(wanted)]
    )
    OutcomeCount.objects.filter(partnership=partnership, period__in=periods).delete()
    OutcomeCount.objects.bulk_create(
        OutcomeCount(
            partnership=partnership,
            period=police_uk.month_start(month),
            crime_type=crime_type,
            outcome=outcome,
            count=n,
        )
        for (month, crime_type, outcome), n in match.outcomes.items()
    )
    ForceCount.objects.filter(partnership=partnership, period__in=periods).delete()
    ForceCount.objects.bulk_create(
        ForceCount(
            partnership=partnership,
            force=force,
            period=police_uk.month_start(month),
            crime_type=crime_type,
            count=n,
        )
        for (force, month, crime_type), n in match.force_counts.items()
        if month in match.months
    )
    # Written in bulk (no signals): the hotspots and context a draft report shows changed.
    data_version.data_changed(partnership_ids=[partnership.pk])


# Column types whose Python values every backend takes as they are (no adapting).
_PASSED_AS_IS = {"CharField", "TextField", "IntegerField", "PositiveIntegerField", "ForeignKey"}


def _insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """New rows in a few multi-row INSERTs: bulk_create's model instances and per-object
    SQL cost more than the rest of a month's import."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(c.column) for c in columns)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES "
    one = f"({', '.join(['%s'] * len(columns))})"
    size = max(1, connection.ops.bulk_batch_size(columns, rows))
    passed = [c.get_internal_type() in _PASSED_AS_IS for c in columns]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                sql + ", ".join([one] * len(batch)),
                [
                    value if plain else column.get_db_prep_save(value, connection)
                    for row in batch
                    for column, plain, value in zip(columns, passed, row, strict=True)
                ],
            )


@transaction.atomic
def lsoa_wards_replace(*, partnership: Partnership, rows: list[tuple[str, str, str]]) -> int:
    """Make the partnership's LSOA-to-ward lookup exactly these (LSOA, ward code, ward name).

    Raises ValueError naming the first row the lookup cannot hold; nothing changes then.
    """
    LsoaWard.objects.filter(partnership=partnership).delete()
    wards = [
        LsoaWard(partnership=partnership, lsoa_code=lsoa, ward_code=code, ward_name=name)
        for lsoa, code, name in rows
    ]
    for ward in wards:
        try:
            ward.clean_fields(exclude=["partnership"])
        except ValidationError as error:
            problems = " ".join(" ".join(messages) for messages in error.message_dict.values())
            raise ValueError(f"LSOA {ward.lsoa_code[:20]!r}: {problems}") from None
    LsoaWard.objects.bulk_create(wards)
    data_version.data_changed(partnership_ids=[partnership.pk])  # bulk: no signals
    return len(wards)


@transaction.atomic
def csp_counts_replace(*, counts: dict, forces: dict[str, str] | None = None) -> dict[str, int]:
    """Make the stored Home Office counts for each quarter in ``counts`` exactly these
    (``forces``: each CSP's police force, for comparisons with neighbours)."""
    forces = forces or {}
    quarters = {(year, quarter) for _, year, quarter, _, _ in counts}
    removed = 0
    for year, quarter in quarters:
        removed += CspOffenceCount.objects.filter(financial_year=year, quarter=quarter).delete()[0]
    CspOffenceCount.objects.bulk_create(
        (
            CspOffenceCount(
                csp_name=csp,
                financial_year=year,
                quarter=quarter,
                offence_group=group,
                offence_subgroup=subgroup,
                count=n,
                force_name=forces.get(csp, ""),
            )
            for (csp, year, quarter, group, subgroup), n in counts.items()
        ),
        batch_size=5000,
    )
    data_version.changed_everywhere()  # any partnership's similar areas may name these
    return {"quarters": len(quarters), "rows": len(counts), "replaced": removed}
