"""Commissioning in and out of spreadsheets: reading, checking, applying and exporting.

Two files (contract: these names and columns), each optional:
- funding.csv: partnership, financial_year, source, amount
- commissioning.csv: partnership, financial_year, reference, area_of_need,
  recommendation, theme_group, provider, funding_source, contribution,
  total_budget, start, end, status

financial_year is a label such as 2017/18. contribution is an amount like 12500.00,
or tbc, or awaiting, or blank for a line paid outside the recorded streams.
funding_source names a stream of the same partnership and year, in funding.csv or
already stored. Every row is checked before anything is written; one bad row means
nothing is written. Rows match on natural keys (partnership, year, source or
reference), so importing the same files twice changes nothing.
"""

import csv
import datetime
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from csp_portal.core.models import Partnership
from indicators import periods
from indicators.validation import spreadsheet_safe, spreadsheet_text

from . import budget, services
from .models import CommissioningLine, FundingStream

KINDS = ("funding", "commissioning")
COLUMNS = {
    "funding": ["partnership", "financial_year", "source", "amount"],
    "commissioning": [
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
    ],
}
REQUIRED = {
    "funding": {"partnership", "financial_year", "source", "amount"},
    "commissioning": {"partnership", "financial_year", "reference", "area_of_need"},
}
CONTRIBUTION_WORDS = {
    "tbc": CommissioningLine.Contribution.TBC,
    "to be confirmed": CommissioningLine.Contribution.TBC,
    "awaiting": CommissioningLine.Contribution.AWAITING,
    "awaiting confirmation": CommissioningLine.Contribution.AWAITING,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class Row:
    number: int  # the spreadsheet row: the header is row 1
    data: dict[str, str]

    def get(self, column: str) -> str:
        return spreadsheet_text((self.data.get(column) or "").strip())


Tables = dict[str, list[Row]]


@dataclass
class TransferReport:
    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.errors:
            return f"Nothing imported: {len(self.errors)} problem(s) found."
        parts = []
        for kind in KINDS:
            c, u, s = self.created[kind], self.updated[kind], self.unchanged[kind]
            if c or u or s:
                parts.append(f"{kind}: {c} new, {u} changed, {s} unchanged")
        verb = "Would import" if self.dry_run else "Imported"
        return f"{verb} " + ("; ".join(parts) if parts else "nothing (no rows)") + "."


class TransferFailed(Exception):
    def __init__(self, report: TransferReport):
        super().__init__("; ".join(report.errors[:5]))
        self.report = report


# Reading ------------------------------------------------------------------


def rows_from_csv(text: str, kind: str, errors: list[str]) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = REQUIRED[kind] - set(header)
    if missing:
        errors.append(f"{kind}.csv: missing column(s) {', '.join(sorted(missing))}")
        return []
    return [Row(number, data) for number, data in enumerate(reader, start=2)]


def read_path(folder: Path, errors: list[str]) -> Tables:
    """The commissioning files present in a folder (none is fine: nothing to do)."""
    tables = {}
    for kind in KINDS:
        file = Path(folder) / f"{kind}.csv"
        if file.exists():
            tables[kind] = rows_from_csv(file.read_text(encoding="utf-8-sig"), kind, errors)
    return tables


# Checking -----------------------------------------------------------------


@dataclass
class _StreamPlan:
    partnership: Partnership
    financial_year: int
    source: str
    amount: object


@dataclass
class _LinePlan:
    partnership: Partnership
    data: services.LineInput
    stream_source: str


@dataclass
class _Plan:
    streams: list[_StreamPlan] = field(default_factory=list)
    lines: list[_LinePlan] = field(default_factory=list)


def _day(text: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


class _Checker:
    def __init__(self, tables: Tables, scope: Partnership | None):
        self.tables, self.scope = tables, scope
        self.errors: list[str] = []
        slugs = {row.get("partnership") for rows in tables.values() for row in rows}
        self.partnerships = {
            p.slug: p
            for p in Partnership.objects.filter(slug__in=slugs).prefetch_related("theme_groups")
        }
        self.stored_streams = {
            (s.partnership_id, s.financial_year, s.source): s
            for s in FundingStream.objects.filter(partnership__in=self.partnerships.values())
        }

    def _error(self, kind: str, row: Row, message: str) -> None:
        self.errors.append(f"{kind}.csv row {row.number}: {message}")

    def _partnership_year(self, kind: str, row: Row) -> tuple[Partnership, int] | None:
        slug = row.get("partnership")
        partnership = self.partnerships.get(slug)
        if partnership is None:
            self._error(kind, row, f"there is no partnership '{slug}'")
            return None
        if self.scope is not None and partnership != self.scope:
            self._error(kind, row, f"you can import only {self.scope.slug}'s rows here")
            return None
        try:
            year = periods.parse_fy_label(row.get("financial_year"), partnership.fy_start_month)
        except ValueError as error:
            self._error(kind, row, str(error))
            return None
        return partnership, year

    def check(self) -> _Plan:
        plan = _Plan()
        seen: set = set()
        file_streams: set = set()
        for row in self.tables.get("funding", []):
            found = self._partnership_year("funding", row)
            source = row.get("source")
            if not source:
                self._error("funding", row, "the source is blank")
                continue
            try:
                amount = budget.parse_money(row.get("amount"), label="The amount")
            except budget.MoneyError as error:
                self._error("funding", row, str(error))
                continue
            if amount is None:
                self._error("funding", row, "the amount is blank")
                continue
            if found is None:
                continue
            partnership, year = found
            key = (partnership.pk, year, source)
            if key in seen:
                self._error("funding", row, f"'{source}' appears twice for this year")
                continue
            seen.add(key)
            file_streams.add(key)
            plan.streams.append(_StreamPlan(partnership, year, source, amount))
        seen = set()
        for row in self.tables.get("commissioning", []):
            line = self._line(row, file_streams)
            if line is None:
                continue
            key = (line.partnership.pk, line.data.financial_year, line.data.reference)
            if key in seen:
                self._error(
                    "commissioning", row, f"reference '{line.data.reference}' appears twice"
                )
                continue
            seen.add(key)
            plan.lines.append(line)
        return plan

    def _line(self, row: Row, file_streams: set) -> _LinePlan | None:
        kind = "commissioning"
        found = self._partnership_year(kind, row)
        if found is None:
            return None
        partnership, year = found
        problems = []
        reference = row.get("reference")
        if not reference:
            problems.append("the reference is blank")
        group = None
        if row.get("theme_group"):
            group = next(
                (g for g in partnership.theme_groups.all() if g.name == row.get("theme_group")),
                None,
            )
            if group is None:
                problems.append(f"{partnership.name} has no theme group '{row.get('theme_group')}'")
        source = row.get("funding_source")
        stream = None
        if source:
            key = (partnership.pk, year, source)
            if key not in file_streams and key not in self.stored_streams:
                problems.append(
                    f"there is no funding stream '{source}' for {periods.fy_label(year)}"
                )
            stream = self.stored_streams.get(key) or FundingStream(
                partnership=partnership, financial_year=year, source=source
            )
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
        try:
            total = budget.parse_money(row.get("total_budget"), label="The total budget")
        except budget.MoneyError as error:
            problems.append(str(error))
            total = None
        dates = {}
        for column in ("start", "end"):
            text = row.get(column)
            dates[column] = None
            if text:
                try:
                    dates[column] = _day(text)
                except ValueError:
                    problems.append(f"{column} '{text}' is not a date like 2017-04-01")
        status_text = (row.get("status") or "proposed").lower()
        if status_text not in CommissioningLine.Status.values:
            problems.append(
                f"status '{row.get('status')}' is not one of "
                + ", ".join(CommissioningLine.Status.values)
            )
        if problems:
            for problem in problems:
                self._error(kind, row, problem)
            return None
        data = services.LineInput(
            financial_year=year,
            reference=reference,
            area_of_need=row.get("area_of_need"),
            recommendation=row.get("recommendation"),
            theme_group=group,
            provider=row.get("provider"),
            funding_stream=stream,
            contribution_status=status,
            contribution=amount,
            total_budget=total,
            start=dates["start"],
            end=dates["end"],
            status=status_text,
        )
        # The model's rules (contribution within the budget, dates in order...) before writing.
        probe = CommissioningLine(partnership=partnership)
        for name in services.LineInput.__dataclass_fields__:
            if name != "indicators":
                setattr(probe, name, getattr(data, name))
        try:
            probe.clean_fields(exclude=["partnership", "funding_stream", "theme_group"])
            probe.clean()
        except ValidationError as error:
            for message in error.messages:
                self._error(kind, row, message)
            return None
        return _LinePlan(partnership, data, source)


# Applying -----------------------------------------------------------------


def _apply(plan: _Plan, report: TransferReport, by: User | None, source: str) -> None:
    streams = {
        (s.partnership_id, s.financial_year, s.source): s
        for s in FundingStream.objects.filter(
            partnership__in={p.partnership.pk for p in [*plan.streams, *plan.lines]}
        )
    }
    for item in plan.streams:
        key = (item.partnership.pk, item.financial_year, item.source)
        current = streams.get(key)
        if current is not None and current.amount == item.amount:
            report.unchanged["funding"] += 1
            continue
        streams[key] = services.stream_save(
            partnership=item.partnership,
            financial_year=item.financial_year,
            source=item.source,
            amount=item.amount,
            stream=current,
            by=by,
            origin=source,
        )
        (report.updated if current else report.created)["funding"] += 1
    lines = {
        (line.partnership_id, line.financial_year, line.reference): line
        for line in CommissioningLine.objects.filter(
            partnership__in={p.partnership.pk for p in plan.lines}
        ).select_related("theme_group", "funding_stream")
    }
    for item in plan.lines:
        data = item.data
        if item.stream_source:
            key = (item.partnership.pk, data.financial_year, item.stream_source)
            data = services.LineInput(**{**data.__dict__, "funding_stream": streams[key]})
        current = lines.get((item.partnership.pk, data.financial_year, data.reference))
        before = services.line_snapshot(current)
        saved = services.line_save(
            partnership=item.partnership, data=data, line=current, by=by, origin=source
        )
        if current is None:
            report.created["commissioning"] += 1
        elif services.line_snapshot(saved) == before:
            report.unchanged["commissioning"] += 1
        else:
            report.updated["commissioning"] += 1


def import_tables(
    tables: Tables,
    *,
    by: User | None,
    scope: Partnership | None = None,
    dry_run: bool = False,
    source: str = "import",
) -> TransferReport:
    """Check every row, then write all of them or none. Raises TransferFailed with the report."""
    report = TransferReport(dry_run=dry_run)
    checker = _Checker(tables, scope)
    plan = checker.check()
    if checker.errors:
        report.errors = checker.errors
        raise TransferFailed(report)
    try:
        with transaction.atomic():
            _apply(plan, report, by, source)
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as error:  # a rule only the database state shows
        report.errors = [f"Nothing imported: {message}" for message in error.messages]
        raise TransferFailed(report) from None
    return report


def import_path(folder: Path, **options) -> TransferReport:
    errors: list[str] = []
    tables = read_path(Path(folder), errors)
    if errors:
        raise TransferFailed(TransferReport(errors=errors))
    return import_tables(tables, **options)


# Export -------------------------------------------------------------------


def _money(value) -> str:
    return "" if value is None else f"{value:.2f}"


def contribution_cell(line: CommissioningLine) -> str:
    if line.contribution_status == CommissioningLine.Contribution.AMOUNT:
        return _money(line.contribution)
    return line.contribution_status  # tbc, awaiting or blank


def export_rows(partnership: Partnership) -> dict[str, Iterator[list[str]]]:
    """funding.csv and commissioning.csv for one partnership, header first (2 queries)."""
    slug, start = partnership.slug, partnership.fy_start_month

    def funding():
        yield COLUMNS["funding"]
        for s in FundingStream.objects.filter(partnership=partnership).order_by(
            "financial_year", "source"
        ):
            yield [slug, periods.fy_label(s.financial_year, start), s.source, _money(s.amount)]

    def commissioning():
        yield COLUMNS["commissioning"]
        lines = (
            CommissioningLine.objects.filter(partnership=partnership)
            .select_related("theme_group", "funding_stream")
            .order_by("financial_year", "reference")
        )
        for line in lines:
            yield [
                slug,
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
            ]

    def safe(rows: Iterable[list[str]]):
        for row in rows:
            yield [spreadsheet_safe(cell) for cell in row]

    return {"funding": safe(funding()), "commissioning": safe(commissioning())}


def export_to_folder(partnership: Partnership, folder: Path) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for kind, rows in export_rows(partnership).items():
        with open(folder / f"{kind}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            written = -1  # the header is not a record
            for row in rows:
                writer.writerow(row)
                written += 1
        counts[kind] = written
    return counts
