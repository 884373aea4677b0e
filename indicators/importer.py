"""Bring a partnership's history in from spreadsheets, and take it out again.

Four files, each optional: partnerships.csv, indicators.csv, targets.csv and
actuals.csv (or sheets of those names in one .xlsx workbook). Every row is checked
before anything is written; one bad row means nothing is written. Rows are matched
by natural key (partnership slug, indicator code, period), so importing the same
files twice changes nothing.
"""

import csv
import datetime
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.text import slugify

from csp_portal.core.models import Partnership, ThemeGroup

from . import periods
from .models import Actual, FigureChange, Indicator, Target
from .services import figure_snapshot, target_set
from .validation import (
    FigureError,
    check_figure,
    parse_number,
    plain_number,
    same_number,
    spreadsheet_safe,
    spreadsheet_text,
)

KINDS = ("partnerships", "indicators", "targets", "actuals")
COLUMNS = {
    "partnerships": ["slug", "name", "population", "police_force"],
    "indicators": [
        "partnership",
        "code",
        "title",
        "theme_group",
        "polarity",
        "measure",
        "frequency",
        "tolerance",
        "unit",
    ],
    "targets": ["partnership", "indicator", "year", "type", "value", "baseline_year", "period"],
    "actuals": ["partnership", "indicator", "period", "value", "numerator", "denominator", "note"],
}
REQUIRED = {
    "partnerships": {"slug", "name"},
    "indicators": {"partnership", "code", "title", "polarity", "measure"},
    "targets": {"partnership", "indicator", "year", "type", "value"},
    "actuals": {"partnership", "indicator", "period"},
}
BATCH = 5000


@dataclass
class Row:
    number: int  # the spreadsheet row: the header is row 1
    data: dict[str, str]

    def get(self, column: str) -> str:
        return spreadsheet_text((self.data.get(column) or "").strip())


Tables = dict[str, list[Row]]


@dataclass
class ImportReport:
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


class ImportFailed(Exception):
    def __init__(self, report: ImportReport):
        super().__init__("; ".join(report.errors[:5]))
        self.report = report


# Reading ------------------------------------------------------------------


def _rows_from_csv(text: str, kind: str, errors: list[str]) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = REQUIRED[kind] - set(header)
    if missing:
        errors.append(f"{kind}.csv: missing column(s) {', '.join(sorted(missing))}")
        return []
    return [Row(number, data) for number, data in enumerate(reader, start=2)]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows_from_sheet(sheet, kind: str, errors: list[str]) -> list[Row]:
    values = sheet.iter_rows(values_only=True)
    header = [_cell(h).strip() for h in next(values, ())]
    missing = REQUIRED[kind] - set(header)
    if missing:
        errors.append(f"{kind} sheet: missing column(s) {', '.join(sorted(missing))}")
        return []
    rows = []
    for number, cells in enumerate(values, start=2):
        if all(c is None or c == "" for c in cells):
            continue
        rows.append(Row(number, {h: _cell(c) for h, c in zip(header, cells, strict=False)}))
    return rows


def read_workbook(data: bytes | Path, errors: list[str]) -> Tables:
    from openpyxl import load_workbook

    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises several kinds for a file that is not a workbook
        errors.append("The file is not an Excel workbook (.xlsx) that can be read.")
        return {}
    tables: Tables = {}
    for sheet in workbook.worksheets:
        kind = sheet.title.strip().lower().removesuffix(".csv")
        if kind in KINDS:
            tables[kind] = _rows_from_sheet(sheet, kind, errors)
    workbook.close()
    if not tables and not errors:
        errors.append(
            "The workbook has no sheet named partnerships, indicators, targets or actuals."
        )
    return tables


def read_path(path: Path, errors: list[str]) -> Tables:
    """Tables from a folder of CSV files or one .xlsx workbook."""
    if path.is_dir():
        tables = {}
        for kind in KINDS:
            file = path / f"{kind}.csv"
            if file.exists():
                tables[kind] = _rows_from_csv(file.read_text(encoding="utf-8-sig"), kind, errors)
        if not tables:
            errors.append(f"{path}: no partnerships, indicators, targets or actuals CSV file")
        return tables
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path, errors)
    if path.suffix.lower() == ".csv" and path.stem in KINDS:
        return {path.stem: _rows_from_csv(path.read_text(encoding="utf-8-sig"), path.stem, errors)}
    errors.append(f"{path}: give a folder of CSV files or an .xlsx workbook")
    return {}


def read_uploads(files: Iterable) -> tuple[Tables, list[str]]:
    """Tables from uploaded files (Django UploadedFile): named CSVs or one workbook."""
    errors: list[str] = []
    tables: Tables = {}
    for upload in files:
        name = Path(upload.name).name.lower()
        raw = upload.read()
        if name.endswith(".xlsx"):
            tables.update(read_workbook(raw, errors))
        elif name.endswith(".csv") and name.removesuffix(".csv") in KINDS:
            kind = name.removesuffix(".csv")
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                errors.append(f"{name}: save the file as CSV UTF-8 and try again")
                continue
            tables[kind] = _rows_from_csv(text, kind, errors)
        else:
            errors.append(
                f"{upload.name}: name CSV files partnerships.csv, indicators.csv, "
                "targets.csv or actuals.csv, or upload one .xlsx workbook"
            )
    return tables, errors


# Checking -----------------------------------------------------------------


@dataclass
class _Plan:
    partnerships: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    actuals: list[dict] = field(default_factory=list)


class _Checker:
    def __init__(self, tables: Tables, scope: Partnership | None, today: datetime.date):
        self.tables = tables
        self.scope = scope
        self.today = today
        self.errors: list[str] = []
        self.plan = _Plan()
        known = Partnership.objects.all()
        if scope is not None:
            known = known.filter(pk=scope.pk)
        self.partnerships = {p.slug: p for p in known}
        self.fy_start: dict[str, int] = {s: p.fy_start_month for s, p in self.partnerships.items()}
        # (slug, code) -> (measure, frequency) for indicators in the database or in this import
        self.indicators: dict[tuple[str, str], tuple[str, str]] = {
            (slug, code): (measure, frequency)
            for slug, code, measure, frequency in Indicator.objects.filter(
                partnership__in=list(self.partnerships.values())
            ).values_list("partnership__slug", "code", "measure", "frequency")
        }

    def error(self, kind: str, row: Row, message: str) -> None:
        self.errors.append(f"{kind}.csv row {row.number}: {message}")

    def partnership(self, kind: str, row: Row) -> str | None:
        slug = row.get("partnership")
        if not slug:
            self.error(kind, row, "partnership is blank")
            return None
        if slug not in self.partnerships and slug not in self.fy_start:
            if self.scope is not None:
                self.error(kind, row, f"partnership '{slug}' is not {self.scope.name}")
            else:
                self.error(kind, row, f"partnership '{slug}' does not exist")
            return None
        return slug

    def numbers(self, kind: str, row: Row, columns: tuple[str, ...]) -> list | None:
        """The numbers in these columns (None for blanks), or None after reporting each bad one."""
        values, ok = [], True
        for column in columns:
            try:
                values.append(parse_number(row.get(column), label=column))
            except FigureError:
                self.error(kind, row, f"{column} '{row.get(column)}' is not a number")
                ok = False
        return values if ok else None

    def check(self) -> _Plan:
        for kind in KINDS:
            getattr(self, f"_check_{kind}")(self.tables.get(kind, []))
        return self.plan

    def _check_partnerships(self, rows: list[Row]) -> None:
        seen: dict[str, int] = {}
        for row in rows:
            slug, name = row.get("slug"), row.get("name")
            if not slug or slugify(slug) != slug:
                self.error(
                    "partnerships", row, f"slug '{slug}' must be lower-case words joined by -"
                )
                continue
            if slug in seen:
                self.error(
                    "partnerships", row, f"slug '{slug}' is repeated (first at row {seen[slug]})"
                )
                continue
            if self.scope is not None and slug != self.scope.slug:
                self.error("partnerships", row, f"partnership '{slug}' is not {self.scope.name}")
                continue
            seen[slug] = row.number
            if not name:
                self.error("partnerships", row, "name is blank")
                continue
            population = row.get("population").replace(",", "")
            if population and not population.isdigit():
                self.error("partnerships", row, f"population '{population}' is not a whole number")
                continue
            self.fy_start.setdefault(slug, 4)
            self.plan.partnerships.append(
                {
                    "slug": slug,
                    "name": name,
                    "population": int(population) if population else None,
                    "police_force": row.get("police_force"),
                }
            )

    def _check_indicators(self, rows: list[Row]) -> None:
        seen: dict[tuple[str, str], int] = {}
        choices = {
            "polarity": Indicator.Polarity.values,
            "measure": Indicator.Measure.values,
            "frequency": Indicator.Frequency.values,
        }
        for row in rows:
            slug = self.partnership("indicators", row)
            if slug is None:
                continue
            code, title = row.get("code"), row.get("title")
            if not code or not title:
                self.error("indicators", row, "code and title must not be blank")
                continue
            if (slug, code) in seen:
                self.error(
                    "indicators",
                    row,
                    f"indicator '{code}' is repeated (first at row {seen[slug, code]})",
                )
                continue
            seen[slug, code] = row.number
            values = {name: row.get(name).lower() for name in choices}
            values["frequency"] = values["frequency"] or "monthly"
            bad = [n for n, v in values.items() if v not in choices[n]]
            if bad:
                for name in bad:
                    self.error(
                        "indicators",
                        row,
                        f"{name} '{row.get(name)}' must be one of {', '.join(choices[name])}",
                    )
                continue
            numbers = self.numbers("indicators", row, ("tolerance",))
            if numbers is None:
                continue
            tolerance = numbers[0]
            if tolerance is not None and tolerance < 0:
                self.error("indicators", row, "tolerance cannot be negative")
                continue
            self.indicators[slug, code] = (values["measure"], values["frequency"])
            self.plan.indicators.append(
                {
                    "partnership": slug,
                    "code": code,
                    "title": title,
                    "theme_group": row.get("theme_group"),
                    **values,
                    "tolerance": Decimal(5) if tolerance is None else tolerance,
                    "unit": row.get("unit"),
                }
            )

    def _indicator(self, kind: str, row: Row, slug: str) -> tuple[str, str] | None:
        code = row.get("indicator")
        found = self.indicators.get((slug, code))
        if found is None:
            self.error(kind, row, f"indicator '{code}' does not exist in partnership '{slug}'")
        return found

    def _year(self, row: Row, column: str) -> int | None:
        try:
            return periods.parse_fy_label(row.get(column))
        except ValueError:
            self.error(
                "targets", row, f"{column} '{row.get(column)}' is not a financial year like 2016/17"
            )
            return None

    def _check_targets(self, rows: list[Row]) -> None:
        seen: dict[tuple, int] = {}
        for row in rows:
            slug = self.partnership("targets", row)
            if slug is None or self._indicator("targets", row, slug) is None:
                continue
            year = self._year(row, "year")
            if year is None:
                continue
            kind = row.get("type").lower()
            if kind not in Target.Kind.values:
                self.error(
                    "targets",
                    row,
                    f"type '{row.get('type')}' must be one of {', '.join(Target.Kind.values)}",
                )
                continue
            numbers = self.numbers("targets", row, ("value",))
            if numbers is None:
                continue
            value = numbers[0]
            if value is None:
                self.error("targets", row, "value is blank")
                continue
            baseline = None
            if kind == Target.Kind.CHANGE_PCT:
                if not row.get("baseline_year"):
                    self.error(
                        "targets", row, "a change_pct target needs a baseline_year like 2009/10"
                    )
                    continue
                baseline = self._year(row, "baseline_year")
                if baseline is None:
                    continue
            period = None
            if kind == Target.Kind.CUMULATIVE:
                period = self._period("targets", row)
                if period is None:
                    continue
                if periods.financial_year_of(period, self.fy_start[slug]) != year:
                    self.error(
                        "targets",
                        row,
                        f"period '{row.get('period')}' is outside the financial year "
                        f"{periods.fy_label(year)}",
                    )
                    continue
            elif row.get("period"):
                self.error("targets", row, "period is only for cumulative targets")
                continue
            elif value < 0 and kind == Target.Kind.ANNUAL:
                self.error("targets", row, "an annual target cannot be negative")
                continue
            key = (slug, row.get("indicator"), year, period)
            if key in seen:
                self.error("targets", row, f"target repeated (first at row {seen[key]})")
                continue
            seen[key] = row.number
            self.plan.targets.append(
                {
                    "partnership": slug,
                    "code": row.get("indicator"),
                    "financial_year": year,
                    "kind": kind,
                    "value": value,
                    "baseline_year": baseline,
                    "period": period,
                }
            )

    def _period(self, kind: str, row: Row) -> datetime.date | None:
        raw = row.get("period")
        try:
            period = periods.parse_month(raw)
        except ValueError:
            self.error(kind, row, f"period '{raw}' is not a month like 2016-11")
            return None
        return period

    def _check_actuals(self, rows: list[Row]) -> None:
        seen: dict[tuple, int] = {}
        this_month = periods.month_start(self.today)
        for row in rows:
            slug = self.partnership("actuals", row)
            if slug is None:
                continue
            found = self._indicator("actuals", row, slug)
            if found is None:
                continue
            measure, frequency = found
            period = self._period("actuals", row)
            if period is None:
                continue
            if period > this_month:
                self.error("actuals", row, f"period '{row.get('period')}' is in the future")
                continue
            if (
                frequency == "quarterly"
                and period
                != periods.quarter_months(
                    periods.financial_year_of(period, self.fy_start[slug]),
                    periods.quarter_of(period, self.fy_start[slug]),
                    self.fy_start[slug],
                )[0]
            ):
                self.error(
                    "actuals",
                    row,
                    f"indicator '{row.get('indicator')}' is quarterly: "
                    f"give the quarter's first month, not '{row.get('period')}'",
                )
                continue
            numbers = self.numbers("actuals", row, ("value", "numerator", "denominator"))
            if numbers is None:
                continue
            value, numerator, denominator = numbers
            try:
                value = check_figure(measure, value, numerator, denominator, label="value")
            except FigureError as error:
                self.error("actuals", row, str(error))
                continue
            if value is None:
                self.error("actuals", row, "value is blank (leave a missing month out of the file)")
                continue
            key = (slug, row.get("indicator"), period)
            if key in seen:
                self.error(
                    "actuals",
                    row,
                    f"a second figure for '{row.get('indicator')}' in {row.get('period')} "
                    f"(first at row {seen[key]})",
                )
                continue
            seen[key] = row.number
            self.plan.actuals.append(
                {
                    "partnership": slug,
                    "code": row.get("indicator"),
                    "period": period,
                    "value": value,
                    "numerator": numerator,
                    "denominator": denominator,
                    "note": row.get("note"),
                }
            )


# Writing ------------------------------------------------------------------


def _apply(plan: _Plan, report: ImportReport, by: User | None, source: str) -> None:
    partnerships = {p.slug: p for p in Partnership.objects.all()}
    for item in plan.partnerships:
        current = partnerships.get(item["slug"])
        if current is None:
            partnerships[item["slug"]] = Partnership.objects.create(
                slug=item["slug"],
                name=item["name"],
                area=item["name"],
                population=item["population"],
                police_force=item["police_force"],
            )
            report.created["partnerships"] += 1
            continue
        fields = ["name", "population", "police_force"]
        if all(getattr(current, f) == item[f] for f in fields):
            report.unchanged["partnerships"] += 1
            continue
        for f in fields:
            setattr(current, f, item[f])
        current.save(update_fields=fields)
        report.updated["partnerships"] += 1

    indicators = {
        (i.partnership.slug, i.code): i
        for i in Indicator.objects.select_related("partnership", "theme_group")
    }
    groups = {(g.partnership_id, g.name): g for g in ThemeGroup.objects.all()}
    new_indicators: list[Indicator] = []
    for item in plan.indicators:
        partnership = partnerships[item["partnership"]]
        group = None
        if item["theme_group"]:
            key = (partnership.pk, item["theme_group"])
            if key not in groups:
                groups[key] = ThemeGroup.objects.create(
                    partnership=partnership, name=item["theme_group"]
                )
            group = groups[key]
        values = {
            "title": item["title"],
            "theme_group": group,
            "polarity": item["polarity"],
            "measure": item["measure"],
            "frequency": item["frequency"],
            "tolerance": item["tolerance"],
        }
        if item["unit"]:
            values["unit"] = item["unit"]
        current = indicators.get((item["partnership"], item["code"]))
        if current is None:
            created = Indicator(partnership=partnership, code=item["code"], **values)
            indicators[item["partnership"], item["code"]] = created
            new_indicators.append(created)
            continue
        changed = [
            f
            for f, v in values.items()
            if (
                not same_number(getattr(current, f), v)
                if isinstance(v, Decimal)
                else getattr(current, f) != v
            )
        ]
        if not changed:
            report.unchanged["indicators"] += 1
            continue
        for f in changed:
            setattr(current, f, values[f])
        current.save(update_fields=changed)
        report.updated["indicators"] += 1

    Indicator.objects.bulk_create(new_indicators, batch_size=BATCH)
    report.created["indicators"] += len(new_indicators)
    _apply_targets(plan, report, indicators, by, source)
    _apply_actuals(plan, report, indicators, by, source)


def _apply_targets(plan, report, indicators, by, source) -> None:
    # Targets are few (a dozen a year at most per indicator): the audited service per row.
    for item in plan.targets:
        _, outcome = target_set(
            indicator=indicators[item["partnership"], item["code"]],
            financial_year=item["financial_year"],
            kind=item["kind"],
            value=item["value"],
            baseline_year=item["baseline_year"],
            period=item["period"],
            by=by,
            source=source,
        )
        counts = {"created": report.created, "updated": report.updated}
        counts.get(outcome, report.unchanged)["targets"] += 1


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, dict):
        value = json.dumps(value)
    elif isinstance(value, datetime.date):  # datetimes too: ISO 8601 with the offset
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = format(value, "f")
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Write many new rows at once: bulk_create's per-value work dominated large imports.

    PostgreSQL gets one COPY; other databases get executemany with values prepared by
    each field's own get_db_prep_save, so they are stored exactly as the ORM would.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c.column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(_copy_text(v) for v in row))
                buffer.write("\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)
            return
        prepared = [
            [
                column.get_db_prep_save(value, connection)
                for column, value in zip(columns, row, strict=True)
            ]
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", prepared)


def _apply_actuals(plan, report, indicators, by, source) -> None:
    by_indicator: dict[Indicator, list[dict]] = defaultdict(list)
    for item in plan.actuals:
        by_indicator[indicators[item["partnership"], item["code"]]].append(item)
    ids = [i.pk for i in by_indicator]
    existing: dict[tuple[int, datetime.date], Actual] = {}
    for start in range(0, len(ids), 500):
        for actual in Actual.objects.filter(indicator_id__in=ids[start : start + 500]).only(
            "id", "indicator_id", "period", "value", "numerator", "denominator", "note", "version"
        ):
            existing[actual.indicator_id, actual.period] = actual
    now = timezone.now()
    by_id = by.pk if by else None
    new: list[tuple] = []
    changed: list[Actual] = []
    audit: list[tuple] = []
    for indicator, items in by_indicator.items():
        fy_start = indicator.partnership.fy_start_month
        for item in items:
            value, numerator, denominator = item["value"], item["numerator"], item["denominator"]
            current = existing.get((indicator.pk, item["period"]))
            if current is None:
                old = None
                new.append(
                    (
                        indicator.pk,
                        item["period"],
                        value,
                        numerator,
                        denominator,
                        item["note"],
                        by_id,
                        now,
                        1,
                    )
                )
            elif (
                same_number(current.value, value)
                and same_number(current.numerator, numerator)
                and same_number(current.denominator, denominator)
                and current.note == item["note"]
            ):
                report.unchanged["actuals"] += 1
                continue
            else:
                old = figure_snapshot(current.value, current.numerator, current.denominator)
                current.value, current.numerator, current.denominator = (
                    value,
                    numerator,
                    denominator,
                )
                current.note, current.entered_by_id, current.entered_at = item["note"], by_id, now
                current.version += 1
                changed.append(current)
            audit.append(
                (
                    indicator.pk,
                    FigureChange.Subject.ACTUAL.value,
                    item["period"],
                    periods.financial_year_of(item["period"], fy_start),
                    old,
                    figure_snapshot(value, numerator, denominator),
                    "",
                    source,
                    by_id,
                    now,
                )
            )
    _insert(
        Actual,
        [
            "indicator",
            "period",
            "value",
            "numerator",
            "denominator",
            "note",
            "entered_by",
            "entered_at",
            "version",
        ],
        new,
    )
    Actual.objects.bulk_update(
        changed,
        ["value", "numerator", "denominator", "note", "version", "entered_by", "entered_at"],
        batch_size=BATCH,
    )
    _insert(
        FigureChange,
        [
            "indicator",
            "subject",
            "period",
            "financial_year",
            "old",
            "new",
            "reason",
            "source",
            "changed_by",
            "changed_at",
        ],
        audit,
    )
    report.created["actuals"] += len(new)
    report.updated["actuals"] += len(changed)


# Entry points -------------------------------------------------------------


def import_tables(
    tables: Tables,
    *,
    by: User | None,
    scope: Partnership | None = None,
    allowed: Iterable[str] = KINDS,
    dry_run: bool = False,
    source: str = "import",
    today: datetime.date | None = None,
) -> ImportReport:
    """Check every row, then write all of them or none. Raises ImportFailed with the report."""
    report = ImportReport(dry_run=dry_run)
    allowed = set(allowed)
    for kind in tables:
        if kind not in allowed:
            report.errors.append(
                f"{kind}.csv: you can import only {', '.join(sorted(allowed))} here"
            )
    if report.errors:
        raise ImportFailed(report)
    checker = _Checker(tables, scope, today or timezone.localdate())
    plan = checker.check()
    if checker.errors:
        report.errors = checker.errors
        raise ImportFailed(report)
    with transaction.atomic():
        _apply(plan, report, by, source)
        if dry_run:
            transaction.set_rollback(True)
    return report


def import_path(path: Path, **options) -> ImportReport:
    errors: list[str] = []
    tables = read_path(Path(path), errors)
    if errors:
        raise ImportFailed(ImportReport(errors=errors, dry_run=options.get("dry_run", False)))
    return import_tables(tables, **options)


# Export -------------------------------------------------------------------


def _fmt(number: Decimal | None) -> str:
    return "" if number is None else plain_number(number)


def export_rows(partnership: Partnership) -> dict[str, Iterator[list[str]]]:
    """The four files for one partnership, as rows with a header (fixed number of queries)."""
    slug = partnership.slug
    indicators = list(
        Indicator.objects.filter(partnership=partnership)
        .select_related("theme_group")
        .order_by("code")
    )
    code = {i.pk: i.code for i in indicators}

    def partnerships_rows():
        yield COLUMNS["partnerships"]
        yield [
            slug,
            partnership.name,
            "" if partnership.population is None else str(partnership.population),
            partnership.police_force,
        ]

    def indicator_rows():
        yield COLUMNS["indicators"]
        for i in indicators:
            yield [
                slug,
                i.code,
                i.title,
                i.theme_group.name if i.theme_group else "",
                i.polarity,
                i.measure,
                i.frequency,
                _fmt(i.tolerance),
                i.unit,
            ]

    def target_rows():
        yield COLUMNS["targets"]
        targets = Target.objects.filter(indicator__partnership=partnership).order_by(
            "indicator__code", "financial_year", "period"
        )
        for t in targets:
            yield [
                slug,
                code[t.indicator_id],
                periods.fy_label(t.financial_year),
                t.kind,
                _fmt(t.value),
                periods.fy_label(t.baseline_year) if t.baseline_year else "",
                t.period.strftime("%Y-%m") if t.period else "",
            ]

    def actual_rows():
        yield COLUMNS["actuals"]
        actuals = (
            Actual.objects.filter(indicator__partnership=partnership)
            .order_by("indicator__code", "period")
            .values_list("indicator_id", "period", "value", "numerator", "denominator", "note")
            .iterator(chunk_size=5000)
        )
        for indicator_id, period, value, numerator, denominator, note in actuals:
            yield [
                slug,
                code[indicator_id],
                period.strftime("%Y-%m"),
                _fmt(value),
                _fmt(numerator),
                _fmt(denominator),
                note,
            ]

    def safe(rows):
        for row in rows:
            yield [spreadsheet_safe(cell) for cell in row]

    return {
        "partnerships": safe(partnerships_rows()),
        "indicators": safe(indicator_rows()),
        "targets": safe(target_rows()),
        "actuals": safe(actual_rows()),
    }


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


def export_workbook(partnership: Partnership) -> bytes:
    """The same four tables as sheets of one .xlsx workbook, which the import reads back.

    Cells are text, as in the CSV files, so Excel does not turn periods like 2016-11
    into dates or drop the trailing zeros of a code.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for kind, rows in export_rows(partnership).items():
        sheet = workbook.create_sheet(kind)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
