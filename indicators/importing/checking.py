"""Checking the rows of the four indicator tables: each good row becomes a plain dict.

Nothing here writes. Errors go to the import context (``actuals.csv row 3: ...``).
"""

import json
from collections.abc import Mapping
from decimal import Decimal
from operator import itemgetter

from csp_portal.core.models import (
    MOST_IN_AN_AREA,
    RAG_LEGEND_EXAMPLE,
    Partnership,
    ThemeGroup,
    default_rag_legend,
    fy_start_kept,
    is_partnership_slug,
    rag_legend_problem,
)
from csp_portal.core.text import name_key
from opendata import police_uk
from opendata.police_uk import split_list

from .. import periods
from ..models import RATE_PER_OF_A_RATE, Actual, Indicator, Target, changed_under_figures
from ..validation import (
    BASELINE_YEARS,
    FIGURE_DIGITS,
    FIGURE_PLACES,
    FigureError,
    check_figure,
    check_target,
    profile_drops,
)
from .context import ImportContext, max_lengths
from .reading import Row

NOTE_LENGTH = Actual._meta.get_field("note").max_length
# The text each table writes, by column: a cell longer than its field is a row error.
PARTNERSHIP_LENGTHS = max_lengths(
    Partnership, slug="slug", name="name", police_force="police_force"
)
LOCAL_AUTHORITIES_LENGTH = Partnership._meta.get_field("local_authorities").max_length
FY_START_MONTH_DEFAULT = Partnership._meta.get_field("fy_start_month").default
INDICATOR_LENGTHS = max_lengths(
    Indicator, code="code", title="title", unit="unit", owner="owner", data_source="data_source"
) | max_lengths(ThemeGroup, theme_group="name")
YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")
CRIME_TYPES_LENGTH = Indicator._meta.get_field("police_uk_crime_types").max_length
WHOLE_DIGITS = FIGURE_DIGITS - FIGURE_PLACES


def _listed(row: Row, column: str) -> str | None:
    """A ;-separated list column, tidied; None when the file has no such column."""
    if column not in row.columns:
        return None  # an older file: leave what is stored
    return police_uk.join_list(split_list(row.get(column)))


def yes_no(row: Row, column: str, ctx: ImportContext, *, blank: bool = False):
    """(ok, the cell's yes or no, ``blank`` for an empty one; None when the file has no
    such column, an optional one added later); reports any other answer."""
    if column not in row.columns:
        return True, None
    raw = row.get(column)
    if not raw:
        return True, blank
    if raw.lower() not in YES + NO:
        ctx.error(row, f"{column} '{raw}' must be yes or no")
        return False, None
    return True, raw.lower() in YES


def choice(row: Row, column: str, ctx: ImportContext, choices: Mapping[str, str], *, blank: str):
    """The code of the choice the cell names (``choices``: code -> the words the pages
    show), by its code or its words in any capitals and spacing ("In progress",
    "in_progress"); ``blank`` for an empty cell; None after reporting any other answer,
    with the choices as the pages write them."""
    raw = row.get(column)
    if not raw:
        return blank
    for code, words in choices.items():
        if _choice_key(raw) in (_choice_key(code), _choice_key(words)):
            return code
    ctx.error(row, f"{column} '{raw}' must be one of {', '.join(choices.values())}")
    return None


def _choice_key(text: str) -> str:
    return name_key(text.replace("_", " "))


def _area_count(row: Row, column: str, ctx: ImportContext) -> tuple[bool, int | None]:
    """(ok, the number of people, households or businesses; None for a blank cell);
    reports a bad one."""
    text = row.get(column).replace(",", "")
    if not text:
        return True, None
    if not (text.isascii() and text.isdigit()):
        ctx.error(row, f"{column} '{text}' is not a whole number")
        return False, None
    if int(text) > MOST_IN_AN_AREA:
        ctx.error(row, f"{column} {text} is more than any area holds (at most {MOST_IN_AN_AREA:,})")
        return False, None
    return True, int(text)


def _partnership_extras(row: Row, ctx: ImportContext) -> dict | None:
    """The optional columns the file has, as stored (blank: the field's default); None
    after reporting a bad one. A column the file lacks leaves what is stored."""
    extras = {}
    for column in ("population", "households", "businesses"):
        if column in row.columns:
            ok, count = _area_count(row, column, ctx)
            if not ok:
                return None
            extras[column] = count
    if "police_force" in row.columns:
        extras["police_force"] = row.get("police_force")
    if "fy_start_month" in row.columns:
        month = row.get("fy_start_month") or str(FY_START_MONTH_DEFAULT)
        if not (month.isascii() and month.isdigit() and 1 <= int(month) <= 12):
            ctx.error(
                row,
                f"fy_start_month '{month}' must be the number of the financial year's first "
                "month, from 1 (January) to 12 (December)",
            )
            return None
        extras["fy_start_month"] = int(month)
    ok, public = yes_no(row, "reports_public", ctx)
    if not ok:
        return None
    if public is not None:
        extras["reports_public"] = public
    if "rag_legend" in row.columns:
        ok, legend = _rag_legend(row, ctx)
        if not ok:
            return None
        extras["rag_legend"] = legend
    return extras


def _legend_keeps_colours(row: Row, slug: str, extras: dict, ctx: ImportContext) -> bool:
    """Whether a stored partnership's new legend keeps every colour its actions have, as
    the admin checks (a query, for a row that gives a legend); reports it if not."""
    stored = Partnership.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if stored is None:
        return True
    problem = Partnership(pk=stored, rag_legend=extras["rag_legend"]).colours_in_use_dropped()
    if problem:
        ctx.error(row, f"rag_legend: {problem}")
        return False
    return True


def _fy_start_kept(
    row: Row, stored: tuple[int, int] | None, month: int, ctx: ImportContext
) -> bool:
    """Whether a stored partnership keeps its financial year start month, or may change it
    (it has nothing read by its years yet), as the admin checks; reports it if not."""
    if stored is None or stored[1] == month:
        return True
    held = Partnership(pk=stored[0]).held_by_financial_year()
    if held:
        ctx.error(row, f"fy_start_month: {fy_start_kept(stored[1], held)}")
        return False
    return True


def _rag_legend(row: Row, ctx: ImportContext) -> tuple[bool, dict | None]:
    """(ok, the legend: JSON as the admin takes it, the default where blank); reports a
    bad one in the admin's words."""
    text = row.get("rag_legend")
    if not text:
        return True, default_rag_legend()
    try:
        legend = json.loads(text)
    except ValueError:
        ctx.error(row, f"rag_legend is not written right. {RAG_LEGEND_EXAMPLE}")
        return False, None
    problem = (
        rag_legend_problem(legend)
        if legend
        else (f"The RAG legend must name colours and their meanings. {RAG_LEGEND_EXAMPLE}")
    )
    if problem:
        ctx.error(row, f"rag_legend: {problem}")
        return False, None
    return True, legend


def check_partnerships(rows: list[Row], ctx: ImportContext) -> list[dict]:
    items = []
    # Names already stored, with their partnership's slug: one query for the chunk.
    named = dict(
        Partnership.objects.filter(name__in=[row.get("name") for row in rows]).values_list(
            "name", "slug"
        )
    )
    # The stored partnerships' ids and financial year start months, by slug.
    stored = {
        slug: (pk, month)
        for slug, pk, month in Partnership.objects.filter(
            slug__in=[row.get("slug") for row in rows]
        ).values_list("slug", "pk", "fy_start_month")
    }
    for row in rows:
        slug, name = row.get("slug"), row.get("name")
        if not is_partnership_slug(slug):
            ctx.error(row, f"slug '{slug}' must be lower-case words joined by -")
            continue
        first = ctx.repeated(row, slug)
        if first is not None:
            ctx.error(row, f"slug '{slug}' is repeated (first at row {first})")
            continue
        if ctx.scope is not None and slug != ctx.scope.slug:
            ctx.error(row, f"partnership '{slug}' is not {ctx.scope.name}")
            continue
        if not name:
            ctx.error(row, "name is blank")
            continue
        first = ctx.repeated(row, ("name", name))
        if first is not None:
            ctx.error(row, f"name '{name}' is repeated (first at row {first})")
            continue
        if named.get(name, slug) != slug:
            ctx.error(row, f"name '{name}' is another partnership's")
            continue
        authorities = _listed(row, "local_authorities")
        fits = ctx.texts_fit(row, PARTNERSHIP_LENGTHS)
        if authorities is not None and ctx.too_long(
            row, "local_authorities", authorities, LOCAL_AUTHORITIES_LENGTH
        ):
            fits = False
        if not fits:
            continue
        extras = _partnership_extras(row, ctx)
        if extras is None:
            continue
        if "rag_legend" in extras and not _legend_keeps_colours(row, slug, extras, ctx):
            continue
        month = extras.get("fy_start_month")
        if month is not None and not _fy_start_kept(row, stored.get(slug), month, ctx):
            continue
        ctx.add_partnership(slug)
        if "fy_start_month" in extras:  # the later tables' years are read by it
            ctx.fy_start[slug] = extras["fy_start_month"]
        items.append(
            {
                "slug": slug,
                "name": name,
                "local_authorities": authorities,
                "extras": extras,
            }
        )
    return items


# Each choice column's codes and the words the pages show, either read in any capitals
# and spacing (`choice`); a blank cell is the value given (None: it must be filled in).
CHOICES = {
    "polarity": (dict(Indicator.Polarity.choices), None),
    "measure": (dict(Indicator.Measure.choices), None),
    "frequency": (dict(Indicator.Frequency.choices), Indicator.Frequency.MONTHLY),
}
RATE_PER = dict(Indicator.RatePer.choices)
# What each choice column of indicators.csv takes, as the import page lists it.
ACCEPTED = {name: choices for name, (choices, _) in CHOICES.items()} | {"rate_per": RATE_PER}


def _indicator_extras(row: Row, ctx: ImportContext, measure: str) -> dict | None:
    """The optional columns the file has, as stored (blank: the field's default); None
    after reporting a bad one."""
    extras = {}
    if "rate_per" in row.columns:
        rate_per = choice(row, "rate_per", ctx, RATE_PER, blank=Indicator.RatePer.POPULATION)
        if rate_per is None:
            return None
        if measure == Indicator.Measure.RATE and rate_per not in RATE_PER_OF_A_RATE:
            ctx.error(
                row,
                f"rate_per '{row.get('rate_per')}' applies to a count: a rate indicator's "
                f"figures are per 1,000 population. For a rate per {RATE_PER[rate_per]} give "
                f"measure count with rate_per {rate_per} (reports then give the rate)",
            )
            return None
        extras["rate_per"] = rate_per
    if "stability" in row.columns:
        field = Indicator._meta.get_field("stability")
        numbers = ctx.numbers(
            row, ("stability",), digits=field.max_digits, places=field.decimal_places
        )
        if numbers is None:
            return None
        if numbers[0] is not None and numbers[0] < 0:
            ctx.error(row, "stability cannot be negative")
            return None
        extras["stability"] = field.default if numbers[0] is None else numbers[0]
    ok, active = yes_no(row, "active", ctx, blank=True)
    if not ok:
        return None
    if active is not None:
        extras["active"] = active
    for name in ("owner", "data_source", "interpretation_note"):
        if name in row.columns:
            extras[name] = row.get(name)
    return extras


def check_indicators(rows: list[Row], ctx: ImportContext) -> list[dict]:
    items = []
    for row in rows:
        slug = ctx.check_partnership(row)
        if slug is None:
            continue
        code, title = row.get("code"), row.get("title")
        if not code or not title:
            ctx.error(row, "code and title must not be blank")
            continue
        if not ctx.texts_fit(row, INDICATOR_LENGTHS):
            continue
        first = ctx.repeated(row, (slug, code))
        if first is not None:
            ctx.error(row, f"indicator '{code}' is repeated (first at row {first})")
            continue
        values = {
            name: choice(row, name, ctx, choices, blank=blank)
            for name, (choices, blank) in CHOICES.items()
            if name in row.columns
        }
        for name, value in values.items():
            if value is None and not row.get(name):
                ctx.error(
                    row, f"{name} is blank: give one of {', '.join(CHOICES[name][0].values())}"
                )
        if None in values.values():
            continue
        tolerance_field = Indicator._meta.get_field("tolerance")
        numbers = ctx.numbers(
            row,
            ("tolerance",),
            digits=tolerance_field.max_digits,
            places=tolerance_field.decimal_places,
        )
        if numbers is None:
            continue
        tolerance = numbers[0]
        if tolerance is not None and tolerance < 0:
            ctx.error(row, "tolerance cannot be negative")
            continue
        if tolerance is None and "tolerance" in row.columns:
            tolerance = Decimal(5)  # a blank tolerance is the usual one
        crime_types = _listed(row, "police_uk_crime_types")
        unknown = [t for t in split_list(crime_types or "") if t not in police_uk.CRIME_TYPES]
        if unknown:
            ctx.error(row, f"police_uk_crime_types '{', '.join(unknown)}' is not a police.uk type")
            continue
        if crime_types is not None and ctx.too_long(
            row, "police_uk_crime_types", crime_types, CRIME_TYPES_LENGTH
        ):
            continue
        # A file without the column leaves a stored indicator's frequency as it is.
        known = ctx.kind(slug, code)
        frequency = values.get("frequency") or (known.frequency if known else "monthly")
        stored = ctx.stored_kind_with_figures(slug, code)
        if stored is not None and (stored.measure, stored.frequency) != (
            values["measure"],
            frequency,
        ):
            ctx.error(row, changed_under_figures(stored.measure, stored.frequency))
            continue
        extras = _indicator_extras(row, ctx, values["measure"])
        if extras is None:
            continue
        ctx.add_indicator(slug, code, values["measure"], frequency)
        # None for a column the file lacks: what is stored is left as it is.
        items.append(
            {
                "partnership": slug,
                "code": code,
                "title": title,
                "theme_group": row.get("theme_group") if "theme_group" in row.columns else None,
                "polarity": values["polarity"],
                "measure": values["measure"],
                "frequency": values.get("frequency"),
                "tolerance": tolerance,
                "unit": row.get("unit"),
                "police_uk_crime_types": crime_types,
                "extras": extras,
            }
        )
    return items


def _quarter_start_if_quarterly(row: Row, found, period, fy_start: int, ctx) -> bool:
    """Whether the row's period is a quarter's first month, as a quarterly indicator's
    figures and profile points are kept (any month for a monthly one); reports it if not."""
    if found.frequency != "quarterly":
        return True
    year = periods.financial_year_of(period, fy_start)
    if period == periods.quarter_months(year, periods.quarter_of(period, fy_start), fy_start)[0]:
        return True
    ctx.error(
        row,
        f"indicator '{row.get('indicator')}' is quarterly: "
        f"give the quarter's first month, not '{row.get('period')}'",
    )
    return False


def _target(row: Row, ctx: ImportContext) -> dict | None:
    slug = ctx.check_partnership(row)
    if slug is None:
        return None
    found = ctx.check_indicator(row, slug)
    if found is None:
        return None
    start = ctx.fy_start[slug]  # its years are labelled as its financial year starts
    year = ctx.financial_year(row, "year", slug=slug)
    if year is None:
        return None
    kind = row.get("type").lower()
    if kind not in Target.Kind.values:
        ctx.error(row, f"type '{row.get('type')}' must be one of {', '.join(Target.Kind.values)}")
        return None
    numbers = ctx.numbers(row, ("value",))
    if numbers is None:
        return None
    value = numbers[0]
    if value is None:
        ctx.error(row, "value is blank")
        return None
    try:
        value = check_target(found.measure, kind, value, label="value")
    except FigureError as error:
        ctx.error(row, str(error))
        return None
    baseline = None
    if kind == Target.Kind.CHANGE_PCT:
        if not row.get("baseline_year"):
            example = periods.fy_label(year - 1, start)
            ctx.error(row, f"a change_pct target needs a baseline_year like {example}")
            return None
        baseline = ctx.financial_year(row, "baseline_year", slug=slug)
        if baseline is None:
            return None
        # The years the target page offers.
        if not year - BASELINE_YEARS <= baseline < year:
            ctx.error(
                row,
                f"baseline_year '{row.get('baseline_year')}' must be one of the "
                f"{BASELINE_YEARS} years before {periods.fy_label(year, start)}, from "
                f"{periods.fy_label(year - BASELINE_YEARS, start)} to "
                f"{periods.fy_label(year - 1, start)}",
            )
            return None
    period = None
    if kind == Target.Kind.CUMULATIVE:
        period = ctx.period(row)
        if period is None:
            return None
        if periods.financial_year_of(period, start) != year:
            ctx.error(
                row,
                f"period '{row.get('period')}' is outside the financial year "
                f"{periods.fy_label(year, start)}",
            )
            return None
        if not _quarter_start_if_quarterly(row, found, period, start, ctx):
            return None
    elif row.get("period"):
        ctx.error(row, "period is only for cumulative targets")
        return None
    code = row.get("indicator")
    # A year has one kind of target: the service would let the last row replace the others.
    first, first_kind = ctx.remember(row, ("kind", slug, code, year), (row.number, kind))
    if first_kind != kind:
        ctx.error(
            row,
            f"the {periods.fy_label(year, start)} target is {first_kind} at row {first}: "
            "a year can have only one kind of target",
        )
        return None
    first = ctx.repeated(row, (slug, code, year, period))
    if first is not None:
        ctx.error(row, f"target repeated (first at row {first})")
        return None
    if period is not None:
        points = ctx.remember(row, ("profile", slug, code, year), {})
        if profile_drops(found.measure, points | {period: value}):
            ctx.error(
                row,
                f"a cumulative target cannot go down: the target to {row.get('period')} is "
                "out of order with the months before or after it",
            )
            return None
        points[period] = value
    return {
        "row": row.number,
        "partnership": slug,
        "code": row.get("indicator"),
        "financial_year": year,
        "kind": kind,
        "value": value,
        "baseline_year": baseline,
        "period": period,
    }


def check_targets(rows: list[Row], ctx: ImportContext) -> list[dict]:
    return [item for item in (_target(row, ctx) for row in rows) if item is not None]


def _actual(row: Row, ctx: ImportContext, this_month) -> dict | None:
    slug = ctx.check_partnership(row)
    if slug is None:
        return None
    found = ctx.check_indicator(row, slug)
    if found is None:
        return None
    period = ctx.period(row)
    if period is None:
        return None
    if period > this_month:
        ctx.error(row, f"period '{row.get('period')}' is in the future")
        return None
    fy_start = ctx.fy_start[slug]
    if not _quarter_start_if_quarterly(row, found, period, fy_start, ctx):
        return None
    if not periods.ended_by(period, found.frequency, this_month):  # a quarter under way
        ctx.error(
            row,
            f"indicator '{row.get('indicator')}' is quarterly: "
            f"{periods.quarter_span(period)} has not ended yet",
        )
        return None
    numbers = ctx.numbers(row, ("value", "numerator", "denominator"), measure=found.measure)
    if numbers is None:
        return None
    given, numerator, denominator = numbers
    try:
        value = check_figure(found.measure, given, numerator, denominator, label="value")
    except FigureError as error:
        ctx.error(row, str(error))
        return None
    if value is None:
        ctx.error(row, "value is blank (leave a missing month out of the file)")
        return None
    note = row.get("note") if "note" in row.columns else None  # None: keep the stored note
    if note is not None and ctx.too_long(row, "note", note, NOTE_LENGTH):
        return None
    # One int per figure (not a tuple of strings): a national file has millions of them.
    first = ctx.repeated(row, found.number * 1_000_000 + period.year * 12 + period.month)
    if first is not None:
        ctx.error(
            row,
            f"a second figure for '{row.get('indicator')}' in {row.get('period')} "
            f"(first at row {first})",
        )
        return None
    item = {
        "partnership": slug,
        "code": row.get("indicator"),
        "period": period,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "note": note,
        # False: the file has neither column, and a figure of the same value keeps its parts.
        "parts": "numerator" in row.columns or "denominator" in row.columns,
        "financial_year": period.year if period.month >= fy_start else period.year - 1,
        "row": row.number,
    }
    if given is not None and given != value:
        # Within rounding of its parts' value, which is stored: the check run says so.
        item["given"] = given
    return item


_ACTUAL_COLUMNS = (
    "partnership",
    "indicator",
    "period",
    "value",
    "numerator",
    "denominator",
    "note",
)


def check_actuals(rows: list[Row], ctx: ImportContext) -> list[dict]:
    """Each row checked by ``_actual``, except the usual row (a known monthly indicator, a
    month seen before, a whole number and nothing else), which is taken as ``_actual``
    would take it without its calls: a national file has millions of such rows."""
    this_month = periods.month_start(ctx.today)
    items: list[dict] = []
    if not rows:
        return items
    columns = rows[0].columns
    where = [columns.get(name) for name in _ACTUAL_COLUMNS]
    # The seven cells at once, at C speed (a file without some column: one at a time).
    if None in where:
        absent = [i for i, index in enumerate(where) if index is None]
        present = itemgetter(*(index for index in where if index is not None))

        def take(cells: list[str]) -> list[str]:
            found = list(present(cells))
            for i in absent:
                found.insert(i, "")
            return found

    else:
        take = itemgetter(*where)
    fy_start, kinds, months = ctx.fy_start, ctx._kinds, ctx._months
    seen = ctx._seen.setdefault(rows[0].table, {})
    given = ("note" in columns, "numerator" in columns or "denominator" in columns)
    for row in rows:
        if row.columns is not columns:  # rows of another shape: the careful path
            item = _actual(row, ctx, this_month)
        else:
            item = _usual_actual(row, take, fy_start, kinds, months, seen, this_month, given)
            if item is None:
                item = _actual(row, ctx, this_month)
        if item is not None:
            items.append(item)
    return items


def _usual_actual(
    row: Row, take, fy_start, kinds, months, seen, this_month, given: tuple[bool, bool]
) -> dict | None:
    """The item for a usual row, as ``_actual`` makes it; None for any other row (which
    ``_actual`` then checks, and reports on). ``given``: whether the file has a note
    column, and a numerator or denominator column."""
    try:
        slug, code, month, value, numerator, denominator, note = map(str.strip, take(row.values))
    except IndexError:  # a short row
        return None
    if numerator or denominator or not value or not (value.isascii() and value.isdigit()):
        return None
    if len(value) > WHOLE_DIGITS or len(note) > NOTE_LENGTH:
        return None  # too long: _actual says so
    if slug[:1] == "'" or code[:1] == "'" or month[:1] == "'" or note[:1] == "'":
        return None  # text a spreadsheet would run: Row.get takes its apostrophe off
    start = fy_start.get(slug)
    found = kinds.get((slug, code))
    period = months.get(month)
    if (
        start is None
        or found is None
        or period is None
        or period > this_month
        or found.frequency != "monthly"
        or found.measure == "percentage"
    ):
        return None
    key = found.number * 1_000_000 + period.year * 12 + period.month
    if key in seen:
        return None  # a second figure: _actual reports it
    seen[key] = row.number
    return {
        "partnership": slug,
        "code": code,
        "period": period,
        "value": Decimal(value),
        "numerator": None,
        "denominator": None,
        "note": note if given[0] else None,
        "parts": given[1],
        "financial_year": period.year if period.month >= start else period.year - 1,
        "row": row.number,
    }
