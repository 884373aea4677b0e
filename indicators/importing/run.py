"""One import: check every table in apply order, write in one transaction, all or nothing."""

import datetime
import gc
from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from csp_portal.core.models import Partnership

from .. import data_version
from . import registry
from .context import ImportContext, ImportFailed, ImportReport
from .reading import Deadline, SheetRows, Tables, place, read_path

CHUNK = 10_000  # rows checked and then written at a time


def import_tables(
    tables: Tables,
    *,
    by: User | None,
    scope: Partnership | None = None,
    allowed: Iterable[str] | None = None,
    dry_run: bool = False,
    confirmed: Iterable[str] = (),
    source: str = "import",
    today: datetime.date | None = None,
    deadline: Deadline | None = None,
) -> ImportReport:
    """Check every row, then write all of them or none. Raises ImportFailed with the report.

    Tables are checked in apply order, a chunk at a time (CSV files are read as they
    are checked, so memory does not grow with the file); each checked chunk's good rows
    are written at once, inside one transaction that is rolled back if any row of any
    table turns out bad (or for a dry run). They are written even after a bad row, so
    that what only writing finds (a figure in a published month, a locked target) is
    listed with every other problem, at once. With a ``deadline`` (a web request's, which
    its reading spent too) an import still running then stops, writes nothing, and says
    to use the command. ``confirmed`` names what the person has confirmed that a table
    would otherwise refuse (``"new_plans"``: see actions.transfer).
    """
    report = ImportReport(dry_run=dry_run)
    allowed = set(registry.names() if allowed is None else allowed)
    # A workbook (an export, say) may hold sheets this user does not import: they are left
    # out, and said so; a CSV file of such a table is a mistake worth stopping for.
    left_out = [name for name, rows in tables.items() if name not in allowed and _sheet(rows)]
    tables = {name: rows for name, rows in tables.items() if name not in left_out}
    for name, rows in tables.items():
        if name not in allowed:
            may = registry.listed([n for n in registry.names() if n in allowed], last="and")
            report.errors.append(f"{place(name, rows)}: you can import only {may} here")
    if report.errors:
        raise ImportFailed(report)
    if left_out:
        report.notes.append(
            f"Left out the sheet{'s' if len(left_out) > 1 else ''} "
            f"{registry.listed(left_out, last='and')}: only an administrator imports "
            f"{'these' if len(left_out) > 1 else 'this'}."
        )
    try:
        with transaction.atomic(), _collecting_rarely() as collect:
            ctx = ImportContext(
                user=by,
                scope=scope,
                today=today or timezone.localdate(),
                source=source,
                dry_run=dry_run,
                confirmed=frozenset(confirmed),
            )
            ctx.sheets = {name for name, rows in tables.items() if _sheet(rows)}
            ctx.files = {name: place(name, rows) for name, rows in tables.items()}
            # Each partnership written to gets one new data version, at the end: its row is
            # then locked only until the commit, not for the whole import.
            with data_version.batched():
                try:
                    _write(tables, ctx, report, collect=collect, deadline=deadline)
                finally:
                    ctx.background.wait()  # never leave a COPY running on a connection rolled back
            if ctx.errors or dry_run:
                transaction.set_rollback(True)
    except IntegrityError as error:
        if not _figure_added_meanwhile(error):
            raise
        # A figure this import adds was added by someone else after it was checked.
        report.errors = [
            "Someone saved figures for these indicators while the import ran, so nothing was "
            "saved. Import the files again: figures that now match are left as they are."
        ]
        raise ImportFailed(report) from None
    if ctx.errors:
        report.errors, report.error_count = ctx.errors_in_order(), ctx.error_count
        report.other_partnerships = ctx.other_partnerships
        raise ImportFailed(report)
    report.notes.extend(ctx.notes)
    if ctx.new_groups:
        groups = "theme groups" if len(ctx.new_groups) > 1 else "theme group"
        report.notes.append(f"New {groups}: {registry.listed(ctx.new_groups, last='and')}.")
    report.rows, report.landing = ctx.rows, ctx.landing
    return report


def _write(
    tables: Tables, ctx: ImportContext, report: ImportReport, *, collect, deadline: Deadline | None
) -> None:
    """Each table in apply order, a chunk at a time: checked, then its good rows written
    (all rolled back if any row has an error), then the checks left for the end
    (``ctx.later``); stopped, with nothing saved, once the
    ``deadline`` has passed (asked before and after each chunk's check, and at the end,
    before the commit)."""
    for table in registry.tables():
        rows = tables.get(table.name)
        if rows is None:
            continue
        rows = iter(rows)
        while chunk := list(islice(rows, CHUNK)):
            if _out_of_time(deadline, ctx):
                return
            items = table.check(chunk, ctx)
            if _out_of_time(deadline, ctx):
                return
            ctx.background.wait()
            report.add(table.name, table.apply(items, ctx))
            collect()
        ctx.background.wait()
    ctx.check_later()  # what a later table may have met, now that every one is written
    # The last chunk's writing may have taken the import past it: then nothing is kept.
    _out_of_time(deadline, ctx)


def _out_of_time(deadline: Deadline | None, ctx: ImportContext) -> bool:
    """Whether the ``deadline`` has passed, failing the import (so that nothing it wrote
    is kept) if so."""
    if deadline is None or not deadline.passed():
        return False
    ctx.fail(deadline.message())
    return True


def _figure_added_meanwhile(error: IntegrityError) -> bool:
    """Whether the error is a figure's (indicator, month) already stored: PostgreSQL names
    the constraint, SQLite its columns."""
    text = str(error)
    return "unique_actual_period" in text or "indicators_actual.indicator_id" in text


def _sheet(rows) -> bool:
    return isinstance(rows, SheetRows)


COLLECT_EVERY = 20  # chunks between garbage collections during an import


@contextmanager
def _collecting_rarely():
    """Python's cyclic garbage collector off during an import, run every COLLECT_EVERY
    chunks instead: each chunk's rows live just long enough to be promoted, which set off
    a full collection of the whole heap every few chunks (a third of a large import's
    Python time). Yields the function to call after each chunk."""
    enabled = gc.isenabled()
    gc.disable()
    chunks = 0

    def collect() -> None:
        nonlocal chunks
        chunks += 1
        if chunks % COLLECT_EVERY == 0:
            gc.collect()

    try:
        yield collect
    finally:
        if enabled:
            gc.enable()


def import_path(path: Path, **options) -> ImportReport:
    errors: list[str] = []
    tables = read_path(Path(path), errors)
    if errors:
        raise ImportFailed(ImportReport(errors=errors, dry_run=options.get("dry_run", False)))
    return import_tables(tables, **options)
