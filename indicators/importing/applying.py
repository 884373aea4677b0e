"""Writing the checked rows of the four indicator tables, matched by natural key.

Called inside the import's one transaction; each function returns its counts.
"""

import datetime
import io
import json
from collections import Counter, defaultdict
from decimal import Decimal

from django.db import connections, router
from django.utils import timezone

from csp_portal.core.models import Partnership

from .. import periods
from ..models import Actual, FigureChange, Indicator
from ..services import figure_snapshot, target_set
from ..validation import same_number
from .context import ImportContext

BATCH = 5000


def apply_partnerships(items: list[dict], ctx: ImportContext) -> Counter:
    counts: Counter = Counter()
    current = {p.slug: p for p in Partnership.objects.filter(slug__in=[i["slug"] for i in items])}
    fields = ["name", "population", "police_force"]
    for item in items:
        found = current.get(item["slug"])
        if found is None:
            found = Partnership.objects.create(
                slug=item["slug"],
                name=item["name"],
                area=item["name"],
                population=item["population"],
                police_force=item["police_force"],
            )
            counts["created"] += 1
        elif all(getattr(found, f) == item[f] for f in fields):
            counts["unchanged"] += 1
        else:
            for f in fields:
                setattr(found, f, item[f])
            found.save(update_fields=fields)
            counts["updated"] += 1
        ctx.remember_partnership(found)
    return counts


def apply_indicators(items: list[dict], ctx: ImportContext) -> Counter:
    counts: Counter = Counter()
    indicators = ctx.indicators()
    new: list[Indicator] = []
    for item in items:
        values = {
            "title": item["title"],
            "theme_group": ctx.theme_group(item["partnership"], item["theme_group"], create=True),
            "polarity": item["polarity"],
            "measure": item["measure"],
            "frequency": item["frequency"],
            "tolerance": item["tolerance"],
        }
        if item["unit"]:
            values["unit"] = item["unit"]
        current = indicators.get((item["partnership"], item["code"]))
        if current is None:
            created = Indicator(
                partnership=ctx.partnership(item["partnership"]), code=item["code"], **values
            )
            indicators[item["partnership"], item["code"]] = created
            new.append(created)
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
            counts["unchanged"] += 1
            continue
        for f in changed:
            setattr(current, f, values[f])
        current.save(update_fields=changed)
        counts["updated"] += 1
    Indicator.objects.bulk_create(new, batch_size=BATCH)
    counts["created"] += len(new)
    return counts


def apply_targets(items: list[dict], ctx: ImportContext) -> Counter:
    # Targets are few (a dozen a year at most per indicator): the audited service per row.
    counts: Counter = Counter()
    for item in items:
        _, outcome = target_set(
            indicator=ctx.indicator(item["partnership"], item["code"]),
            financial_year=item["financial_year"],
            kind=item["kind"],
            value=item["value"],
            baseline_year=item["baseline_year"],
            period=item["period"],
            by=ctx.user,
            source=ctx.source,
        )
        counts[outcome if outcome in ("created", "updated") else "unchanged"] += 1
    return counts


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


def insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
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


ACTUAL_FIELDS = [
    "indicator",
    "period",
    "value",
    "numerator",
    "denominator",
    "note",
    "entered_by",
    "entered_at",
    "version",
]
AUDIT_FIELDS = [
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
]


def apply_actuals(items: list[dict], ctx: ImportContext) -> Counter:
    counts: Counter = Counter()
    by_indicator: dict[Indicator, list[dict]] = defaultdict(list)
    for item in items:
        by_indicator[ctx.indicator(item["partnership"], item["code"])].append(item)
    ids = [i.pk for i in by_indicator]
    existing: dict[tuple[int, datetime.date], Actual] = {}
    for start in range(0, len(ids), 500):
        for actual in Actual.objects.filter(indicator_id__in=ids[start : start + 500]).only(
            "id", "indicator_id", "period", "value", "numerator", "denominator", "note", "version"
        ):
            existing[actual.indicator_id, actual.period] = actual
    now = timezone.now()
    by_id = ctx.user.pk if ctx.user else None
    new: list[tuple] = []
    changed: list[Actual] = []
    audit: list[tuple] = []
    for indicator, group in by_indicator.items():
        fy_start = indicator.partnership.fy_start_month
        for item in group:
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
                counts["unchanged"] += 1
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
                    ctx.source,
                    by_id,
                    now,
                )
            )
    insert_rows(Actual, ACTUAL_FIELDS, new)
    Actual.objects.bulk_update(
        changed,
        ["value", "numerator", "denominator", "note", "version", "entered_by", "entered_at"],
        batch_size=BATCH,
    )
    insert_rows(FigureChange, AUDIT_FIELDS, audit)
    counts["created"] += len(new)
    counts["updated"] += len(changed)
    return counts
