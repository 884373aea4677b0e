"""What every table's check and apply share during one import, and the report it gives.

``ImportContext`` resolves partnerships, indicators and theme groups (in the database
or earlier in the same import), knows the user and the upload's partnership scope,
and collects the errors (``actuals.csv row 3: ...``, or ``sheet 'actuals' row 3: ...``
for a workbook).
"""

import datetime
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.text import capfirst

from csp_portal.core.history import import_logged
from csp_portal.core.models import Partnership, ThemeGroup, theme_group_key

from .. import periods
from ..models import Actual, Indicator
from ..validation import (
    FIGURE_DIGITS,
    FIGURE_PLACES,
    FigureError,
    PercentSign,
    TooPrecise,
    check_size,
    parse_figure,
    parse_number,
)
from . import registry
from .copying import BackgroundCopy
from .days import NotTheMonth, spreadsheet_month
from .reading import Row

# Problems kept word for word; the rest are counted (a file of bad rows lists millions).
MAX_ERRORS = 1000
# New and changed rows named in the report, per table; the rest are counted.
ROWS_NAMED = 50


def max_lengths(model: type[Model], **fields: str) -> dict[str, int]:
    """For each column, the max_length of the model field it is written to
    (``max_lengths(Risk, owner="owner")``)."""
    return {column: model._meta.get_field(name).max_length for column, name in fields.items()}


class RowChange(NamedTuple):
    """A row an import adds (``changes`` empty) or changes, as its report names it."""

    key: str  # the row's natural key in words: "safer-plymouth", "SP 01 October 2016"
    changes: tuple[str, ...]  # "Population from 263,100 to 26,310"

    @property
    def words(self) -> str:
        """What the import does to the row: "new", or its changes."""
        return "; ".join(self.changes) if self.changes else "new"


class IndicatorKind(NamedTuple):
    measure: str
    frequency: str
    number: int  # a small number for this indicator, unique within one import (a compact key)


class TableRows(NamedTuple):
    """A table's new and changed rows as an import, or its check run, names them."""

    table: str
    rows: list[RowChange]  # the first ROWS_NAMED, or none for a table that names none
    more: int  # how many more it adds or changes than ``rows`` names
    unlisted: str  # with no row named: "1 new and 2 changed rows (not listed)"
    written: bool = False  # an import's rows, not a check run's

    @property
    def heading(self) -> str:
        """ "What would change in risks" for a check run, "What changed in risks" once
        written."""
        return f"What {'changed' if self.written else 'would change'} in {self.table}"

    def lines(self) -> list[str]:
        """The table's part of the report in plain text, line by line as the import page
        shows it (import_data prints them)."""
        if not self.rows:
            return [f"{self.heading}:", f"{capfirst(self.unlisted)}."]
        return [
            f"{self.heading}:",
            *(f"- {row.key}: {row.words}" for row in self.rows),
            *([f"… and {self.more:,} more."] if self.more else []),
        ]


def rows_counted(created: int, updated: int) -> str:
    """ "1 new and 2 changed rows (not listed)", for a table whose rows are only counted."""
    parts = [f"{n:,} {word}" for n, word in ((created, "new"), (updated, "changed")) if n]
    rows = "row" if created + updated == 1 else "rows"
    return f"{' and '.join(parts)} {rows} (not listed)"


@dataclass
class ImportReport:
    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # the first MAX_ERRORS problems
    error_count: int = 0  # every problem found (errors may hold only the first ones)
    notes: list[str] = field(default_factory=list)  # said with the summary (sheets left out)
    # table -> the first ROWS_NAMED rows it adds or changes
    rows: dict[str, list[RowChange]] = field(default_factory=dict)
    other_partnerships: bool = False  # a partnership's import refused another's rows
    # table -> the page its first row is on, where it is not the table's own page alone:
    # (URL name, its arguments besides the slug), e.g. a commissioning line's year's plan
    landing: dict[str, tuple[str, dict]] = field(default_factory=dict)

    @property
    def problems(self) -> int:
        return max(self.error_count, len(self.errors))

    def add(self, table: str, counts: Mapping[str, int] | None) -> None:
        for outcome, number in (counts or {}).items():
            getattr(self, outcome)[table] += number

    def imported(self) -> set[str]:
        """The tables the import took rows of, new, changed or unchanged."""
        counts = (self.created, self.updated, self.unchanged)
        return {name for name in registry.names() if any(c[name] for c in counts)}

    def summary(self) -> str:
        if self.errors:
            problems = "problem" if self.problems == 1 else "problems"
            return f"Nothing imported: {self.problems:,} {problems} found."
        parts = []
        for name in registry.names():
            c, u, s = self.created[name], self.updated[name], self.unchanged[name]
            if c or u or s:
                parts.append(f"{name}: {c} new, {u} changed, {s} unchanged")
        verb = "Would import" if self.dry_run else "Imported"
        summary = f"{verb} " + ("; ".join(parts) if parts else "nothing (no rows)") + "."
        return " ".join([summary, *self.notes])

    def rows_named(self) -> list[TableRows]:
        """Each table with new or changed rows, in apply order: the rows named and how many
        more; a table that names none (its importer tells ``row_changed`` of none) counted."""
        named = []
        for name in registry.names():
            rows = self.rows.get(name, [])
            created, updated = self.created[name], self.updated[name]
            more = created + updated - len(rows)
            if rows or more > 0:
                unlisted = "" if rows else rows_counted(created, updated)
                named.append(
                    TableRows(name, rows, max(more, 0), unlisted, written=not self.dry_run)
                )
        return named


def _table_order(table: str | None) -> int:
    """Where a table's rows come in the apply order (None, the whole import: last)."""
    names = registry.names()
    return names.index(table) if table in names else len(names)


class ImportFailed(Exception):
    def __init__(self, report: ImportReport):
        super().__init__("; ".join(report.errors[:5]))
        self.report = report


class ImportContext:
    def __init__(
        self,
        *,
        user: User | None,
        scope: Partnership | None,
        today: datetime.date,
        source: str,
        dry_run: bool = False,
        confirmed: frozenset[str] = frozenset(),
    ):
        self.user, self.scope, self.today = user, scope, today
        self.source, self.dry_run = source, dry_run
        # What the person importing has confirmed that a table would otherwise refuse
        # ("new_plans": actions.csv's new plans whose titles are close to stored ones).
        self.confirmed = confirmed
        self.errors: list[str] = []  # the first MAX_ERRORS
        self.notes: list[str] = []  # said with the summary of an import that succeeds
        self.rows: dict[str, list[RowChange]] = {}  # the report's (ImportReport.rows)
        self.landing: dict[str, tuple[str, dict]] = {}  # the report's (ImportReport.landing)
        self.new_groups: list[str] = []  # theme groups this import creates
        self.other_partnerships = False  # a row of a partnership outside the scope
        self.sheets: set[str] = set()  # tables read from a workbook's sheets, not CSV files
        self.files: dict[str, str] = {}  # table -> its CSV file's name, as uploaded
        self.error_count = 0
        self._error_places: list[tuple[int, int]] = []  # each error's (table order, row)
        known = Partnership.objects.all()
        if scope is not None:
            known = known.filter(pk=scope.pk)
        self._partnerships = {p.slug: p for p in known}
        # slug -> first month of the financial year, for partnerships in the database or import
        self.fy_start: dict[str, int] = {s: p.fy_start_month for s, p in self._partnerships.items()}
        # (slug, code with no spaces in lower case) -> the codes so written, while there
        # are as many kinds as the first number says (no_indicator builds it when needed)
        self._codes_by_key: tuple[int, dict[tuple[str, str], list[str]]] | None = None
        # (slug, code) -> its kind, for indicators in the database or in this import
        self._kinds: dict[tuple[str, str], IndicatorKind] = {
            (slug, code): IndicatorKind(measure, frequency, number)
            for number, (slug, code, measure, frequency) in enumerate(
                Indicator.objects.filter(
                    partnership__in=list(self._partnerships.values())
                ).values_list("partnership__slug", "code", "measure", "frequency")
            )
        }
        self._indicators: dict[tuple[str, str], Indicator] | None = None
        self._with_figures: set[tuple[str, str]] | None = None
        self._groups: dict[tuple[int, str], ThemeGroup] | None = None
        self._seen: dict[str, dict[Hashable, int]] = {}
        self._kept: dict[tuple[str, Hashable], object] = {}
        self._months: dict[str, datetime.date] = {}
        self._later: dict[str, tuple[Callable[[ImportContext, list], None], list]] = {}
        self.background = BackgroundCopy()  # bulk writes still running (see copying.py)

    # Checking -----------------------------------------------------------------

    def error(self, row: Row, message: str) -> None:
        self.error_at(row.table, row.number, message)

    def error_at(self, table: str, number: int, message: str) -> None:
        """An error in a row known by its table and number (once the Row itself is gone)."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(f"{self.where(table)} row {number}: {message}")
            self._error_places.append((_table_order(table), number))

    def errors_in_order(self) -> list[str]:
        """The errors by file and row, as the files have them (they are found a check at a
        time: a locked month only once its chunk is written), the whole import's last."""
        order = sorted(range(len(self.errors)), key=self._error_places.__getitem__)
        return [self.errors[i] for i in order]

    def where(self, table: str) -> str:
        """How messages name a table: ``sheet 'actions'`` for a workbook's, else its CSV
        file as named (``plan-actions.csv``; ``actions.csv`` when not known)."""
        if table in self.sheets:
            return f"sheet '{table}'"
        return self.files.get(table, f"{table}.csv")

    def fail(self, message: str) -> None:
        """A problem with the import as a whole, not with one row."""
        self.error_count += 1
        self.errors.append(message)
        self._error_places.append((_table_order(None), 0))

    def repeated(self, row: Row, key: Hashable) -> int | None:
        """Where this key was first given in this table, or None (and remember it)."""
        seen = self._seen.setdefault(row.table, {})
        if key in seen:
            return seen[key]
        seen[key] = row.number
        return None

    def remember(self, row: Row, key: Hashable, value):
        """What this table's rows have kept under this key in this import: ``value`` if
        none has (and then keep it)."""
        return self._kept.setdefault((row.table, key), value)

    def check_partnership(self, row: Row, column: str = "partnership") -> str | None:
        """The slug in this column if it names a partnership the import may touch."""
        slug = row.get(column)
        if not slug:
            self.error(row, f"{column} is blank")
            return None
        if slug not in self.fy_start:
            named = self._named(slug)
            if named is not None:
                # "Safer Plymouth" in the column: the partnership, by its name, not its slug.
                self.error(
                    row,
                    f"partnership '{slug}' must be given by its short name, as in its web "
                    f"address: {named.slug}",
                )
            elif self.scope is not None:
                self.other_partnerships = True
                self.error(row, f"partnership '{slug}' is not {self.scope.name}")
            else:
                self.error(row, f"partnership '{slug}' does not exist")
            return None
        return slug

    def _named(self, written: str) -> Partnership | None:
        """The partnership the import may touch whose name ``written`` is, in any capitals
        and spacing."""
        key = " ".join(written.split()).casefold()
        return next(
            (p for p in self._partnerships.values() if " ".join(p.name.split()).casefold() == key),
            None,
        )

    def check_indicator(
        self, row: Row, slug: str, column: str = "indicator"
    ) -> "IndicatorKind | None":
        """The measure and frequency of the indicator coded in this column (in the database
        or earlier in this import), or None after an error."""
        code = row.get(column)
        found = self._kinds.get((slug, code))
        if found is None:
            self.error(row, self.no_indicator(slug, code))
        return found

    def no_indicator(self, slug: str, code: str) -> str:
        """Why an indicator's code is refused: none has it. When one only of the
        partnership's codes is the same in other capitals or spacing ("ni 16", "NI16"),
        it is suggested as stored ("NI 16")."""
        key = _code_key(code)
        if self._codes_by_key is None or self._codes_by_key[0] != len(self._kinds):
            by_key: dict[tuple[str, str], list[str]] = {}
            for known_slug, known in self._kinds:
                by_key.setdefault((known_slug, _code_key(known)), []).append(known)
            self._codes_by_key = (len(self._kinds), by_key)
        like = self._codes_by_key[1].get((slug, key), [])
        suggestion = f": did you mean '{like[0]}'?" if len(like) == 1 else ""
        return f"indicator '{code}' does not exist in partnership '{slug}'{suggestion}"

    def numbers(
        self,
        row: Row,
        columns: tuple[str, ...],
        *,
        digits: int = FIGURE_DIGITS,
        places: int = FIGURE_PLACES,
        measure: str | None = None,
    ) -> list | None:
        """The numbers in these columns (None for blanks), or None after reporting each bad
        one: not a number, or too long for a field of these digits and places (a figure's).
        With ``measure``, they are a figure of an indicator of that measure, its value and
        parts, which take no "%" (``parse_figure``)."""
        values, ok = [], True
        whole = digits - places
        for column in columns:
            text = row.get(column)
            # The usual cells, quickly.
            if not text or (len(text) <= whole and text.isascii() and text.isdigit()):
                values.append(Decimal(text) if text else None)
                continue
            try:
                if measure is None or (measure == "percentage" and column in row.percent):
                    # A percentage's value as Excel shows its cell: 0.9 formatted as 90%.
                    number = parse_number(text, label=column)
                else:
                    part = column != "value"
                    number = parse_figure(text, label=column, measure=measure, part=part)
            except PercentSign as error:
                self.error(row, str(error))
                ok = False
                continue
            except FigureError:
                self.error(row, f"{column} '{row.get(column)}' is not a number")
                ok = False
                continue
            try:
                values.append(check_size(number, column, digits=digits, places=places))
            except TooPrecise as error:
                # A workbook's cell may hold more than it shows (=10/3 shows 3.33).
                hint = (
                    f" The cell holds {text}, which Excel may show rounded: round it in Excel "
                    "(type the figure, or use ROUND) and import again."
                    if row.table in self.sheets
                    else ""
                )
                self.error(row, f"{error}{hint}")
                ok = False
            except FigureError as error:
                self.error(row, str(error))
                ok = False
        return values if ok else None

    def too_long(self, row: Row, column: str, text: str, most: int) -> bool:
        """Whether this column's text is longer than its field holds (then reported):
        SQLite keeps text of any length, PostgreSQL would stop the import part way."""
        if len(text) <= most:
            return False
        self.error(row, f"{column} is {len(text):,} characters long (at most {most:,})")
        return True

    def texts_fit(self, row: Row, lengths: Mapping[str, int]) -> bool:
        """Whether every column's cell fits its length (``max_lengths``), reporting each
        that does not."""
        too_long = [c for c, most in lengths.items() if self.too_long(row, c, row.get(c), most)]
        return not too_long

    def period(self, row: Row, column: str = "period") -> datetime.date | None:
        raw = row.get(column)
        month = self._months.get(raw)  # a file names the same few hundred months again and again
        if month is None:
            try:
                month = self._months[raw] = _month(raw)
            except ValueError as error:
                self.error(row, f"{column} {error}")
        return month

    def financial_year(self, row: Row, column: str = "year", slug: str | None = None) -> int | None:
        """The start year a cell names, labelled as the partnership ``slug`` labels its years
        ("2016" where they are calendar years), else as April years."""
        start_month = self.fy_start.get(slug, 4) if slug else 4
        try:
            return periods.parse_fy_label(row.get(column), start_month)
        except ValueError:
            example = periods.fy_label(2016, start_month)
            self.error(row, f"{column} '{row.get(column)}' is not a financial year like {example}")
            return None

    def add_partnership(self, slug: str) -> None:
        """A partnership this import will create (checked, not yet written)."""
        self.fy_start.setdefault(slug, 4)

    def stored_kind_with_figures(self, slug: str, code: str) -> "IndicatorKind | None":
        """The measure and frequency of an indicator stored with figures (they are read as
        its measure and frequency say: neither can change under them), else None."""
        if self._with_figures is None:
            self._with_figures = set(
                Indicator.objects.filter(
                    partnership__in=list(self._partnerships.values()),
                    pk__in=Actual.objects.values("indicator_id"),
                ).values_list("partnership__slug", "code")
            )
        return self._kinds.get((slug, code)) if (slug, code) in self._with_figures else None

    def kind(self, slug: str, code: str) -> "IndicatorKind | None":
        """The measure and frequency of this indicator, in the database or earlier in this
        import; None for an indicator neither holds."""
        return self._kinds.get((slug, code))

    def add_indicator(self, slug: str, code: str, measure: str, frequency: str) -> None:
        """An indicator this import will create or change (checked, not yet written)."""
        known = self._kinds.get((slug, code))
        number = len(self._kinds) if known is None else known.number
        self._kinds[slug, code] = IndicatorKind(measure, frequency, number)

    # Applying -----------------------------------------------------------------

    def later(self, key: str, check: "Callable[[ImportContext, list], None]") -> list:
        """A list to add to, which ``check(ctx, items)`` is given once every table is
        written (before the commit): for a rule a later table's rows may meet (a change
        target's baseline figures in actuals.csv, written after targets.csv)."""
        return self._later.setdefault(key, (check, []))[1]

    def check_later(self) -> None:
        """Run the checks ``later`` was given, each once."""
        for check, items in self._later.values():
            check(self, items)

    def row_changed(
        self, table: str, key: str, changes: list[str] | None = None, *, new: str = ""
    ) -> None:
        """A row this import adds (``changes`` None; ``new``, what it holds in words: "new:
        40") or changes, for the report to name (the first ROWS_NAMED of each table; the
        counts give the rest). A change none of whose words differ (a lead now a member of
        the same name) is "changed", never "new"."""
        named = self.rows.setdefault(table, [])
        if len(named) < ROWS_NAMED:
            if changes is None:
                changes = [f"new: {new}"] if new else []
            elif not changes:
                changes = ["changed"]
            named.append(RowChange(key, tuple(changes)))

    def lands_on(self, table: str, page: str, **kwargs) -> None:
        """The page (URL name, with ``kwargs`` besides the slug) showing this table's row
        just taken, for a partnership's import to lead to if it is the table's first row
        (a commissioning line's year's plan, not the latest year's)."""
        self.landing.setdefault(table, (page, kwargs))

    def wants_rows(self, table: str) -> bool:
        """Whether the report still names this table's rows (checked before working out
        a row's words, in a table of millions)."""
        return len(self.rows.get(table, ())) < ROWS_NAMED

    def row_key(self, slug: str, key: str) -> str:
        """A row's key as the report names it: with its partnership's slug in an import
        that may hold several partnerships."""
        return key if self.scope is not None else f"{slug} {key}"

    def partnership(self, slug: str) -> Partnership:
        found = self._partnerships.get(slug)
        if found is None:
            found = self._partnerships[slug] = Partnership.objects.get(slug=slug)
        return found

    def remember_partnership(self, partnership: Partnership) -> None:
        self._partnerships[partnership.slug] = partnership

    def indicators(self) -> dict[tuple[str, str], Indicator]:
        """(slug, code) -> Indicator for the partnerships of this import, loaded once."""
        if self._indicators is None:
            self._indicators = {
                (i.partnership.slug, i.code): i
                for i in Indicator.objects.filter(
                    partnership__in=list(self._partnerships.values())
                ).select_related("partnership", "theme_group")
            }
        return self._indicators

    def indicator(self, slug: str, code: str) -> Indicator:
        return self.indicators()[slug, code]

    def theme_group(self, slug: str, name: str, *, create: bool = False) -> ThemeGroup | None:
        """The partnership's theme group of this name, in any case and spacing ("Safer
        streets" is "Safer  Streets"), made if ``create`` (and logged in its history), or
        None."""
        name = name.strip()
        if not name:
            return None
        if self._groups is None:
            self._groups = {}
            for g in ThemeGroup.objects.filter(
                partnership__in=list(self._partnerships.values())
            ).order_by("pk"):
                self._groups.setdefault((g.partnership_id, theme_group_key(g.name)), g)
        partnership = self.partnership(slug)
        key = (partnership.pk, theme_group_key(name))
        if key not in self._groups and create:
            self._groups[key] = self._theme_group_made(partnership, name)
        return self._groups.get(key)

    def _theme_group_made(self, partnership: Partnership, name: str) -> ThemeGroup:
        """A new theme group of this name, or the one in its capitals and spaces (the
        database's constraint) that someone added since this import read the partnership's
        groups."""
        try:
            with transaction.atomic():
                group = ThemeGroup.objects.create(partnership=partnership, name=name)
        except IntegrityError:
            group = (
                partnership.theme_groups.filter(name_key=theme_group_key(name))
                .order_by("pk")
                .first()
            )
            if group is None:
                raise
            return group
        import_logged(row=group, by=self.user, changes=None, source=self.source)
        self.new_groups.append(name if self.scope else f"{name} ({partnership.name})")
        return group


def _month(raw: str) -> datetime.date:
    """The month a cell names: 2016-11, or as a spreadsheet writes one (Jan-11, January
    2011, its first day 01/01/2011: ``spreadsheet_month``). ValueError says why not and
    how to write it."""
    try:
        return periods.parse_month(raw)
    except ValueError:
        pass
    outside = periods.outside_the_years(raw)
    if outside:
        raise ValueError(outside)
    try:
        month = spreadsheet_month(raw)
    except NotTheMonth as unsure:
        raise ValueError(f"'{raw}' is a day, not a month: {unsure}") from None
    if month is None:
        raise ValueError(f"'{raw}' is not a month like 2016-11")
    if not periods.MIN_YEAR <= month.year <= periods.MAX_YEAR:
        raise ValueError(
            f"'{raw}' is outside the years the portal holds ({periods.MIN_YEAR} to "
            f"{periods.MAX_YEAR}): write it like 2016-11"
        )
    return month


def _code_key(code: str) -> str:
    """What makes two indicator codes alike enough to suggest one for the other: the code
    ignoring capitals and spaces ("ni 16" and "NI16" are "NI 16")."""
    return "".join(code.split()).casefold()
