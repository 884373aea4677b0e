"""One import: check every table in apply order, write in one transaction, all or nothing."""

import datetime
from collections.abc import Iterable
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from csp_portal.core.models import Partnership

from . import registry
from .context import ImportContext, ImportFailed, ImportReport
from .reading import Tables, read_path

CHUNK = 5000  # rows checked and then written at a time


def import_tables(
    tables: Tables,
    *,
    by: User | None,
    scope: Partnership | None = None,
    allowed: Iterable[str] | None = None,
    dry_run: bool = False,
    source: str = "import",
    today: datetime.date | None = None,
) -> ImportReport:
    """Check every row, then write all of them or none. Raises ImportFailed with the report.

    Tables are checked in apply order, a chunk at a time; while no row has an error each
    checked chunk is written at once, inside one transaction that is rolled back if any
    row of any table turns out bad (or for a dry run).
    """
    report = ImportReport(dry_run=dry_run)
    allowed = set(registry.names() if allowed is None else allowed)
    for name in tables:
        if name not in allowed:
            report.errors.append(
                f"{name}.csv: you can import only {', '.join(sorted(allowed))} here"
            )
    if report.errors:
        raise ImportFailed(report)
    with transaction.atomic():
        ctx = ImportContext(
            user=by,
            scope=scope,
            today=today or timezone.localdate(),
            source=source,
            dry_run=dry_run,
        )
        for table in registry.tables():
            rows = tables.get(table.name)
            if rows is None:
                continue
            for start in range(0, len(rows), CHUNK):
                items = table.check(rows[start : start + CHUNK], ctx)
                if not ctx.errors:
                    report.add(table.name, table.apply(items, ctx))
        if ctx.errors or dry_run:
            transaction.set_rollback(True)
    if ctx.errors:
        report.errors = ctx.errors
        raise ImportFailed(report)
    return report


def import_path(path: Path, **options) -> ImportReport:
    errors: list[str] = []
    tables = read_path(Path(path), errors)
    if errors:
        raise ImportFailed(ImportReport(errors=errors, dry_run=options.get("dry_run", False)))
    return import_tables(tables, **options)
