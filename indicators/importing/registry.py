"""The tables an import reads and an export writes, so that any app can add its own.

Each table is one CSV file (``NAME.csv``) or one sheet (``NAME``) of a workbook. The
indicators app registers four: partnerships (order 10), indicators (20), targets (30)
and actuals (40). To add a table from another app, in that app's
``AppConfig.ready()``::

    from indicators.importing import Table, register

    register(
        Table(
            name="risks",                      # risks.csv, or a sheet named risks
            columns=("partnership", "ref", "title", "rating"),  # export order
            required=("partnership", "ref", "title"),  # a file without one is refused
            order=60,                          # applied after lower orders; use 50 or more
            check=check_risks,                 # (rows, ctx) -> items
            apply=apply_risks,                 # (items, ctx) -> {"created": n, ...}
            export=export_risks,               # (partnership) -> rows in column order
            page="actions:risks",              # where the site's import of it lands
        )
    )

``check(rows, ctx)`` gets a list of ``Row`` (``row.get("ref")`` is the stripped cell
text, ``row.number`` the spreadsheet row). For each bad row call
``ctx.error(row, "rating 'x' must be 1 to 5")`` (shown as ``risks.csv row 3: ...``)
and leave the row out; return one item (anything: a dict is usual) per good row. It may
be called several times with consecutive chunks of one file, so keep what must span
the file on ``ctx`` (``ctx.repeated(row, key)`` finds a natural key given twice). Use
``ctx.check_partnership(row)`` (slug or None; applies the upload's scope) and
``ctx.check_indicator(row, slug)`` (includes indicators earlier in the same import);
``ctx.numbers(row, ("value",))``, ``ctx.period(row)`` and ``ctx.financial_year(row)``
read typed cells and report bad ones; ``ctx.texts_fit(row, max_lengths(Risk,
owner="owner"))`` reports text too long for its field (SQLite stores it, PostgreSQL
would stop the import). Check must not write.

``apply(items, ctx)`` gets each chunk's good rows, inside the one transaction of the
whole import, which is rolled back at the end if any row of any table has an error (or
for a dry run). It runs even after a bad row, so that a rule only writing can check (a
service's refusal: report it with ``ctx.error_at(table, row_number, message)``) is listed
with every other problem at once; it must not rely on an earlier table's rows all being
good (each table's check leaves out rows naming what an earlier one left out). A rule a
later table's rows may meet is left to ``ctx.later(key, check)``, whose list ``check(ctx,
items)`` is given once every table is written (targets.csv's baselines, whose figures
actuals.csv may bring). Match
rows by natural key so importing the same file twice changes nothing, and return
counts: ``{"created": 1, "updated": 0, "unchanged": 4}``. A check run ("check only")
names the rows an import adds or changes that ``ctx.row_changed(table, key, changes)``
is told of (``changes`` like "Title from “A” to “B”" from
``csp_portal.core.history.changes_described``, None for a new row), on the site and
under ``import_data --dry-run``'s summary; a table that tells it of none is only counted.
``ctx.lands_on(table, "commissioning:plan", year=2017)`` for a row makes the page a
partnership's import leads to that page (its first row's), not the table's ``page``.
A row the person must confirm (a likely typing slip) is refused unless
``ctx.confirmed`` holds the word the import page's box and ``import_data``'s option
give (``"new_plans"``).
``ctx.partnership(slug)``, ``ctx.indicator(slug, code)`` and
``ctx.theme_group(slug, name)`` (``create=True`` makes a missing one) give the model
objects, including ones created earlier in this import; ``ctx.user`` and ``ctx.source``
are for the audit.

``export(partnership)`` yields one partnership's rows (lists in ``columns`` order;
strings, numbers, Decimals, months as dates, or None). They go into ``export_data``'s
folder and the partnership's workbook, in the form the import reads back.

``tests/integration/test_import_registry.py`` registers a tiny table this way.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from csp_portal.core.text import joined


@dataclass(frozen=True)
class Table:
    name: str
    columns: Sequence[str]
    required: Iterable[str]
    order: int
    check: Callable[[list, Any], list]
    apply: Callable[[list, Any], Mapping[str, int]]
    export: Callable[[Any], Iterable[Sequence]]
    # The URL name, taking a partnership's slug, of the page listing the table's rows: a
    # partnership's import of it lands there.
    page: str = "indicators:list"


_TABLES: dict[str, Table] = {}


def register(table: Table) -> Table:
    """Add a table (registering the same name again replaces it)."""
    missing = set(table.required) - set(table.columns)
    if missing:
        raise ValueError(f"{table.name}: required column(s) {sorted(missing)} not in columns")
    _TABLES[table.name] = table
    return table


def unregister(name: str) -> None:
    _TABLES.pop(name, None)


def tables() -> list[Table]:
    """Every registered table, in apply order."""
    return sorted(_TABLES.values(), key=lambda t: (t.order, t.name))


def names() -> list[str]:
    return [t.name for t in tables()]


def get(name: str) -> Table:
    return _TABLES[name]


def listed(words: Iterable[str], last: str = "or") -> str:
    """'a, b, c or d' for messages."""
    return joined(words, last)
