"""Reads that give the figures module its plain series, each in a fixed number of queries."""

import datetime
import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from csp_portal.core.models import Partnership
from csp_portal.core.prepared import PreparedRows
from csp_portal.core.selectors import rows_naming

from . import charts, commentary, periods
from .figures import (
    Figures,
    IndicatorSpec,
    Point,
    SpcSettings,
    TargetSpec,
    compute,
    history_start,
    spc_series,
    stored_point,
)
from .figures_memo import memo_get_many, memo_set_many
from .models import Actual, FigureChange, Indicator, SpcSetting, Target

# The dashboard's and the month sheet's order: by theme group, those with none first on
# every database (PostgreSQL would put them last, SQLite first), then by code.
BY_THEME_GROUP = (F("theme_group__name").asc(nulls_first=True), "code")


def spec_for(indicator: Indicator) -> IndicatorSpec:
    return _spec(
        indicator.polarity,
        indicator.measure,
        indicator.frequency,
        # As text, so the key is exact: Decimal 5 and 5.00 are equal, and hash alike.
        _text(indicator.tolerance),
        _text(indicator.stability),
        indicator.partnership.fy_start_month,
    )


def _text(number):
    return None if number is None else str(number)


@functools.lru_cache(maxsize=256)
def _spec(
    polarity: str,
    measure: str,
    frequency: str,
    tolerance: str | None,
    stability: str | None,
    fy_start_month: int,
) -> IndicatorSpec:
    # Specs are immutable and most indicators of a partnership share one: made (and
    # checked) once, not for each indicator on every page.
    return IndicatorSpec(
        polarity=polarity,
        measure=measure,
        frequency=frequency,
        tolerance_pct=tolerance,
        stability_pct=stability,
        fy_start_month=fy_start_month,
    )


def spc_settings_for(indicator: Indicator) -> SpcSettings | None:
    """The indicator's SPC settings for the figures (None: the defaults); no query if the
    indicator was read with ``select_related("spc_setting")``."""
    try:
        setting = indicator.spc_setting
    except SpcSetting.DoesNotExist:
        return None
    return SpcSettings(
        baseline_start=setting.baseline_start,
        baseline_end=setting.baseline_end,
        recalculate_from=setting.recalculation_months,
        run_length=setting.run_length,
    )


def target_spec_for(targets: Iterable[Target], financial_year: int) -> TargetSpec | None:
    """The target for one financial year: one row, or the points of a cumulative profile."""
    rows = [t for t in targets if t.financial_year == financial_year]
    if not rows:
        return None
    first = rows[0]
    if first.kind == Target.Kind.CUMULATIVE:
        return TargetSpec(kind="cumulative", profile={t.period: t.value for t in rows if t.period})
    return TargetSpec(kind=first.kind, value=first.value, baseline_year=first.baseline_year)


def _latest_month(until: datetime.date | None = None) -> Subquery:
    """Each indicator's latest month with a figure (to ``until``), one index lookup each
    (not a scan of all their figures)."""
    actuals = Actual.objects.filter(indicator=OuterRef("pk"))
    if until is not None:
        actuals = actuals.filter(period__lte=until)
    return Subquery(actuals.order_by("-period").values("period")[:1])


# Each indicator's latest figure that has ended by a month: a month's to that month, a
# quarter's stored two months before it at the latest (`periods.ended_by`).
_latest_periods = PreparedRows(
    lambda partnership_id, month, quarter: (
        Indicator.objects.filter(partnership_id=partnership_id)
        .order_by()
        .annotate(monthly=_latest_month(month), quarterly=_latest_month(quarter))
        .values_list("monthly", "quarterly", "frequency")
    ),
    Indicator._meta.get_field("partnership"),
    Actual._meta.get_field("period"),
    Actual._meta.get_field("period"),
)


def latest_period(partnership: Partnership) -> datetime.date | None:
    """The latest month any indicator of the partnership has a figure to (read after
    every save: its SQL is built once). See `reported_to`."""
    this_month = periods.month_start(timezone.localdate())
    rows = _latest_periods.rows(partnership.pk, this_month, periods.add_months(this_month, -2))
    return reported_to(
        (quarterly if frequency == Indicator.Frequency.QUARTERLY else monthly, frequency)
        for monthly, quarterly, frequency in rows
    )


def reported_to(stored: Iterable[tuple[datetime.date | None, str]]) -> datetime.date | None:
    """The month a page reports to by default, from stored periods and their frequencies:
    the last month of the latest that has ended by this month (a quarterly figure runs to
    its quarter's third month; a quarter under way, whose figure a report to this month
    leaves out, is passed over, as a period still to come would be)."""
    this_month = periods.month_start(timezone.localdate())
    ends = [
        periods.last_month_of(period, frequency)
        for period, frequency in stored
        if period is not None and periods.ended_by(period, frequency, this_month)
    ]
    return max(ends, default=None)


@dataclass(frozen=True)
class IndicatorFigures:
    indicator: Indicator
    figures: Figures
    series: dict[datetime.date, Point]
    target: TargetSpec | None

    @property
    def has_target(self) -> bool:
        """Whether the indicator is rated against a target (a monitored one never is): its
        sentence then says when the target cannot be rated yet."""
        return self.target is not None and self.indicator.polarity != "monitor"

    def commentary(self) -> str:
        """The sentence about these figures, worded alike on every page, the API and the
        report: the indicator's unit, and its singular for a count of one."""
        noun = self.indicator.noun
        singular = commentary.singular_noun(noun)
        if singular is None and not self.indicator.unit:
            # No unit: the noun is the title, which names one ("domestic homicide") as
            # often as many; as it is, it reads as before for a count of one.
            singular = noun
        return commentary.commentary(
            self.figures,
            spec_for(self.indicator),
            noun=noun,
            noun_singular=singular,
            has_target=self.has_target,
        )


def _target_specs(rows: Iterable[tuple], financial_year: int) -> dict[int, TargetSpec]:
    """Each indicator's target from (indicator id, kind, value, baseline year, period) rows
    in period order, as ``target_spec_for`` makes it from Target instances."""
    by_indicator: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        by_indicator[row[0]].append(row)
    specs = {}
    for indicator_id, found in by_indicator.items():
        _, kind, value, baseline_year, _ = found[0]
        if kind == Target.Kind.CUMULATIVE:
            specs[indicator_id] = TargetSpec(
                kind="cumulative",
                profile={period: value for _, _, value, _, period in found if period},
            )
        else:
            specs[indicator_id] = TargetSpec(kind=kind, value=value, baseline_year=baseline_year)
    return specs


class _Kept(NamedTuple):
    """What the memo keeps of one indicator's figures, and what its series was read from."""

    figures: Figures
    series: dict[datetime.date, Point]
    target: TargetSpec | None
    earliest_baseline: int | None  # of its target this year: how far back the series reach
    start: datetime.date  # the first month read


# What partnership_figures reads, as plain tuples (not model instances): the fewest
# columns, and no ordering but the one that matters (a cumulative profile's periods). After
# a save, one indicator's are read: that query's SQL is built once.
def _target_query(financial_year: int, **indicators) -> QuerySet:
    return (
        Target.objects.filter(financial_year=financial_year, **indicators)
        .order_by("period")
        .values_list("indicator_id", "kind", "value", "baseline_year", "period")
    )


def _series_query(start: datetime.date, end: datetime.date, **indicators) -> QuerySet:
    return (
        Actual.objects.filter(period__gte=start, period__lte=end, **indicators)
        .order_by()
        .values_list("indicator_id", "period", "value", "numerator", "denominator")
    )


def _indicator_query(**indicators) -> QuerySet:
    return Indicator.objects.filter(**indicators).select_related("theme_group", "spc_setting")


_one_target = PreparedRows(
    lambda pk, year: _target_query(year, indicator_id=pk),
    Target._meta.get_field("indicator"),
    Target._meta.get_field("financial_year"),
)
_one_series = PreparedRows(
    lambda pk, start, end: _series_query(start, end, indicator_id=pk),
    Actual._meta.get_field("indicator"),
    Actual._meta.get_field("period"),
    Actual._meta.get_field("period"),
)
_one_indicator = PreparedRows(lambda pk: _indicator_query(pk=pk), Indicator._meta.pk)
_active_indicators = PreparedRows(
    lambda partnership_id: _indicator_query(partnership_id=partnership_id, active=True).order_by(
        *BY_THEME_GROUP
    ),
    Indicator._meta.get_field("partnership"),
)


def _target_rows(indicator_ids: list[int], financial_year: int) -> list[tuple]:
    if len(indicator_ids) == 1:
        return _one_target.rows(indicator_ids[0], financial_year)
    return list(_target_query(financial_year, indicator_id__in=indicator_ids))


def _series_rows(indicator_ids: list[int], start: datetime.date, end: datetime.date):
    if len(indicator_ids) == 1:
        return _one_series.rows(indicator_ids[0], start, end)
    return _series_query(start, end, indicator_id__in=indicator_ids)


_indicator_in = PreparedRows(
    lambda pk, partnership_id: _indicator_query(pk=pk, partnership_id=partnership_id),
    Indicator._meta.pk,
    Indicator._meta.get_field("partnership"),
)


def indicator_in(partnership: Partnership, pk: int) -> Indicator | None:
    """The partnership's indicator with this id (None: no such indicator there), with its
    theme group and SPC settings and the partnership in hand: one query (its SQL built
    once: every indicator page, grid and target form reads it)."""
    found = _indicator_in.instances(pk, partnership.pk)
    with_partnership(found, partnership)
    return found[0] if found else None


def indicators_for_figures(indicator_ids: list[int]) -> list[Indicator]:
    """These indicators, read as `partnership_figures` uses them (with their theme group
    and SPC settings), in the dashboard's order: one query."""
    if len(indicator_ids) == 1:
        return _one_indicator.instances(indicator_ids[0])
    return list(_indicator_query(pk__in=indicator_ids).order_by(*BY_THEME_GROUP))


def partnership_figures(
    partnership: Partnership,
    period: datetime.date,
    *,
    indicators: QuerySet[Indicator] | list[Indicator] | None = None,
) -> list[IndicatorFigures]:
    """Figures for every (given) indicator of a partnership at a period: three queries, or
    one for figures kept from an earlier request (indicators/figures_memo.py). The given
    indicators may be a queryset, or a list already read (with their SPC settings, else
    each costs a query) in the order wanted: one query fewer."""
    fy = periods.financial_year_of(period, partnership.fy_start_month)
    if indicators is None:
        indicators = _active_indicators.instances(partnership.pk)
    if isinstance(indicators, QuerySet):  # read as `indicators_for_figures` reads them
        indicators = indicators.select_related("theme_group", "spc_setting").order_by(
            *BY_THEME_GROUP
        )
    indicator_list = list(indicators)
    # One Partnership for all, not a copy joined to every row (an indicator of another
    # partnership, which no caller passes, would read its own when asked).
    cache_partnership = Indicator.partnership.field.set_cached_value
    for indicator in indicator_list:
        if indicator.partnership_id == partnership.pk:
            cache_partnership(indicator, partnership)
    inputs = [(spec_for(i), spc_settings_for(i)) for i in indicator_list]
    # Everything the figures are computed from; the figures version stands for the
    # indicator's actuals, targets and SPC settings.
    keys = [
        (i.pk, i.figures_version, spec, spc, period)
        for i, (spec, spc) in zip(indicator_list, inputs, strict=True)
    ]
    kept: list[_Kept | None] = memo_get_many(keys)
    missing = [i.pk for i, found in zip(indicator_list, kept, strict=True) if found is None]
    # A monitoring-only indicator is never rated: a target kept for it (set before it
    # became one) is left out of its figures, so no page, sentence or chart measures it.
    monitored = {i.pk for i in indicator_list if i.polarity == Indicator.Polarity.MONITOR}
    target_rows = [row for row in _target_rows(missing, fy) if row[0] not in monitored]
    targets = _target_specs(target_rows, fy)
    baselines: dict[int, int] = {}
    for row in target_rows:
        if row[3]:
            baselines[row[0]] = min(row[3], baselines.get(row[0], row[3]))
    for indicator, found in zip(indicator_list, kept, strict=True):
        if found is not None:
            targets[indicator.pk] = found.target
            if found.earliest_baseline is not None:
                baselines[indicator.pk] = found.earliest_baseline
    # Each indicator's series starts where its own figures need (figures.history_start),
    # never where another's do: its figures are the same on every page, alone or not.
    starts = {
        i.pk: history_start(spec, period, [baselines[i.pk]] if i.pk in baselines else [], spc)
        for i, (spec, spc) in zip(indicator_list, inputs, strict=True)
    }
    end = periods.fy_months(fy, partnership.fy_start_month)[-1]
    # One kept from when its figures needed a different start (a target's baseline year
    # changed) is read again.
    kept = [
        found if found is None or found.start == starts[i.pk] else None
        for i, found in zip(indicator_list, kept, strict=True)
    ]
    reread = [i.pk for i, found in zip(indicator_list, kept, strict=True) if found is None]
    earliest = min((starts[pk] for pk in reread), default=end)
    series_by: dict[int, dict[datetime.date, Point]] = defaultdict(dict)
    for indicator_id, period_, value, numerator, denominator in _series_rows(reread, earliest, end):
        if period_ >= starts[indicator_id]:
            series_by[indicator_id][period_] = stored_point(value, numerator, denominator)
    results, made = [], []
    for indicator, key, (spec, spc), found in zip(indicator_list, keys, inputs, kept, strict=True):
        if found is None:
            series = series_by[indicator.pk]
            target = targets.get(indicator.pk)
            figures = compute(spec, series, period, target, spc)
            start = starts[indicator.pk]
            found = _Kept(figures, series, target, baselines.get(indicator.pk), start)
            made.append((key, found))
        results.append(IndicatorFigures(indicator, found.figures, found.series, found.target))
    memo_set_many(made)
    return results


def _listed(**indicators) -> QuerySet[Indicator]:
    # Per indicator, through the index on (indicator, period): no join and grouping of
    # every figure of the partnership (nor in the count of the rows).
    figures = Actual.objects.filter(indicator=OuterRef("pk")).order_by()
    return (
        Indicator.objects.filter(**indicators)
        .select_related("theme_group")
        .annotate(
            latest=_latest_month(),
            figure_count=Coalesce(
                Subquery(figures.values("indicator").annotate(n=Count("pk")).values("n")), 0
            ),
        )
    )


_one_listed = PreparedRows(
    lambda pk, partnership_id: _listed(pk=pk, partnership_id=partnership_id).order_by(),
    Indicator._meta.pk,
    Indicator._meta.get_field("partnership"),
)


def listed_indicators(partnership: Partnership, pks: list[int]) -> list[Indicator]:
    """These indicators of the partnership as the indicator list shows them (with their
    latest month and number of figures): one query, its SQL built once for the one
    indicator a save changes."""
    if len(pks) == 1:
        found = _one_listed.instances(pks[0], partnership.pk)
    else:
        found = list(_listed(partnership=partnership, pk__in=pks).order_by())
    with_partnership(found, partnership)
    return found


def indicator_queryset(
    partnership: Partnership, *, theme_group=None, polarity="", measure="", search=""
) -> QuerySet[Indicator]:
    """The indicator list, filtered, with each one's latest period and number of figures.

    Each row links through the partnership's slug: `with_partnership` gives the rows read
    the partnership already in hand (rather than a copy joined to each)."""
    queryset = _listed(partnership=partnership)
    if theme_group:
        queryset = queryset.filter(theme_group=theme_group)
    if polarity:
        queryset = queryset.filter(polarity=polarity)
    if measure:
        queryset = queryset.filter(measure=measure)
    if search:
        queryset = queryset.filter(Q(code__icontains=search) | Q(title__icontains=search))
    return queryset


class ListEntry(NamedTuple):
    """An indicator's place in the indicator list's row keys."""

    pk: int
    version: uuid.UUID  # Indicator.figures_version
    group_name: str | None


_list_index = PreparedRows(
    lambda partnership_id: (
        Indicator.objects.filter(partnership_id=partnership_id)
        .order_by()
        .values_list("pk", "figures_version", "theme_group__name")
    ),
    Indicator._meta.get_field("partnership"),
)


def list_index(partnership: Partnership) -> dict[int, ListEntry]:
    """Every indicator of the partnership (active or not) by id, with the version of its
    figures and its theme group's name: one query (its SQL built once)."""
    return {row[0]: ListEntry(*row) for row in _list_index.rows(partnership.pk)}


def with_partnership(indicators: Iterable[Indicator], partnership: Partnership) -> None:
    """Give these indicators (of this partnership) the partnership in hand, so that
    reading ``indicator.partnership`` costs no query."""
    for indicator in indicators:
        Indicator.partnership.field.set_cached_value(indicator, partnership)


@dataclass(frozen=True)
class SheetRow:
    indicator: Indicator
    period: datetime.date  # the month, or the quarter's first month for quarterly indicators
    current: Actual | None
    last_year: Actual | None


def sheet_period(indicator: Indicator, month: datetime.date) -> datetime.date:
    """Where a month's figure is stored: the month itself, or its quarter's first month."""
    if indicator.frequency == Indicator.Frequency.QUARTERLY:
        start = indicator.partnership.fy_start_month
        year = periods.financial_year_of(month, start)
        return periods.quarter_months(year, periods.quarter_of(month, start), start)[0]
    return month


class SheetEntry(NamedTuple):
    """An active indicator's place on the month sheet, and the version of its figures."""

    pk: int
    version: uuid.UUID  # Indicator.figures_version
    group_id: int | None
    group_name: str | None
    code: str
    frequency: str  # whether a published report froze its row: services.sheet_locked


_sheet_index = PreparedRows(
    lambda partnership_id: (
        Indicator.objects.filter(partnership_id=partnership_id, active=True)
        .order_by(*BY_THEME_GROUP)
        .values_list(
            "pk", "figures_version", "theme_group_id", "theme_group__name", "code", "frequency"
        )
    ),
    Indicator._meta.get_field("partnership"),
)


def month_sheet_index(partnership: Partnership) -> list[SheetEntry]:
    """The month sheet's indicators in order, with their theme groups: one query (read on
    every view of a sheet or dashboard: its SQL is built once)."""
    return [SheetEntry(*row) for row in _sheet_index.rows(partnership.pk)]


_sheet_indicator = PreparedRows(
    lambda pk, partnership_id: Indicator.objects.filter(
        pk=pk, partnership_id=partnership_id, active=True
    ),
    Indicator._meta.pk,
    Indicator._meta.get_field("partnership"),
)
_sheet_actuals = PreparedRows(
    lambda pk, this, last: Actual.objects.filter(
        indicator_id=pk, period__in=[this, last]
    ).order_by(),
    Actual._meta.get_field("indicator"),
    Actual._meta.get_field("period"),
    Actual._meta.get_field("period"),
)


def month_sheet(
    partnership: Partnership, month: datetime.date, *, indicator_ids: list[int] | None = None
) -> list[SheetRow]:
    """Every active indicator with this month's figure and last year's, in the sheet's
    order with their theme groups; or only those of ``indicator_ids``, in no order and
    without their groups (as `month_sheet_index` has them): two queries."""
    indicators = Indicator.objects.filter(partnership=partnership, active=True)
    if indicator_ids is None:
        indicators = indicators.select_related("theme_group").order_by(*BY_THEME_GROUP)
    elif len(indicator_ids) == 1:  # after a save: SQL built once
        indicators = _sheet_indicator.instances(indicator_ids[0], partnership.pk)
    else:
        indicators = indicators.filter(pk__in=indicator_ids).order_by()
    indicators = list(indicators)
    with_partnership(indicators, partnership)  # one for all, not a copy joined to each row
    if len(indicators) == 1:
        [indicator] = indicators
        this = sheet_period(indicator, month)
        last = periods.same_month_last_year(this)
        actuals = _sheet_actuals.instances(indicator.pk, this, last)
    else:
        wanted = {sheet_period(i, month) for i in indicators}
        wanted |= {periods.same_month_last_year(p) for p in wanted}
        ids = [i.pk for i in indicators]
        actuals = Actual.objects.filter(indicator_id__in=ids, period__in=wanted).order_by()
    found = {(a.indicator_id, a.period): a for a in actuals}
    rows = []
    for indicator in indicators:
        period = sheet_period(indicator, month)
        rows.append(
            SheetRow(
                indicator,
                period,
                found.get((indicator.pk, period)),
                found.get((indicator.pk, periods.same_month_last_year(period))),
            )
        )
    return rows


def actuals_at(places: list[tuple[Indicator, datetime.date]]) -> dict:
    """The figures stored at these (indicator, period) places, by (indicator pk, period):
    one query."""
    indicators = {indicator.pk for indicator, _ in places}
    wanted = {(indicator.pk, period) for indicator, period in places}
    found = Actual.objects.filter(
        indicator__in=indicators, period__in={period for _, period in places}
    ).order_by()
    return {(a.indicator_id, a.period): a for a in found if (a.indicator_id, a.period) in wanted}


def baselines_without_figures(baselines: Iterable[tuple[Indicator, int]]) -> dict:
    """Of these change targets' baselines, (indicator, baseline year), those with no figure
    in the year, by (indicator pk, year), each with why it is refused: "2015/16 has no
    figures for SP 07, so a change against it could never be rated" (the target to date is
    the baseline's same months changed by the per cent; a year with some months will do).
    One query however many, for the target page and targets.csv alike."""
    wanted = {(indicator.pk, year): indicator for indicator, year in baselines}
    if not wanted:
        return {}
    starts = {pk: indicator.partnership.fy_start_month for (pk, _), indicator in wanted.items()}
    # The months of every baseline year asked for, each partnership's years as it starts them.
    first = min(periods.fy_start(year, starts[pk]) for pk, year in wanted)
    end = max(periods.fy_start(year + 1, starts[pk]) for pk, year in wanted)
    months = (
        Actual.objects.filter(indicator__in=starts, period__gte=first, period__lt=end)
        .order_by()
        .values_list("indicator_id", "period")
        .distinct()
    )
    with_figures = {(pk, periods.financial_year_of(month, starts[pk])) for pk, month in months}
    return {
        (pk, year): (
            f"{periods.fy_label(year, indicator.partnership.fy_start_month)} has no figures "
            f"for {indicator.code}, so a change against it could never be rated"
        )
        for (pk, year), indicator in wanted.items()
        if (pk, year) not in with_figures
    }


def year_grid_actuals(
    indicator: Indicator, slots: list[datetime.date]
) -> dict[datetime.date, Actual]:
    """The indicator's figures at these months and a year before each, by month: one query."""
    wanted = {*slots, *(periods.same_month_last_year(slot) for slot in slots)}
    return {
        a.period: a
        for a in Actual.objects.filter(indicator=indicator, period__in=wanted).order_by()
    }


@dataclass(frozen=True)
class IndicatorHistory:
    year: int  # the financial year asked for, else the latest with figures (or today's)
    actuals: dict[datetime.date, "HistoryFigure"]  # of that year and the year before
    targets: list[Target]
    years: list[int]  # every financial year with figures


def indicator_history(indicator: Indicator, *, year: int | None = None) -> IndicatorHistory:
    """The indicator's figures in full for one financial year and the year before (the
    page's table), the years it has figures for, and its targets: three queries. An
    indicator may have ten years of figures; the page shows two."""
    start = indicator.partnership.fy_start_month
    months = [month for (month,) in _months_of.rows(indicator.pk)]
    years = sorted({periods.financial_year_of(month, start) for month in months})
    if year is None:
        year = years[-1] if years else periods.financial_year_of(timezone.localdate(), start)
    shown = periods.fy_months(year - 1, start)[0], periods.fy_months(year, start)[-1]
    actuals = {}
    for *fields, person, first, last, username in _actuals_between.rows(indicator.pk, *shown):
        # As User.get_full_name, else the user name; None: imported, or the person deleted.
        name = (f"{first} {last}".strip() or username) if person else None
        actuals[fields[0]] = HistoryFigure(*fields, entered_by=name)
    return IndicatorHistory(
        year=year,
        actuals=actuals,
        targets=_targets_of.instances(indicator.pk),
        years=years,
    )


# The indicator page's reads, after every save of its figures: their SQL is built once.
_months_of = PreparedRows(
    lambda pk: Actual.objects.filter(indicator_id=pk).order_by().values_list("period"),
    Actual._meta.get_field("indicator"),
)


class HistoryFigure(NamedTuple):
    """A figure as the indicator page shows it (plain values: a page reads two years)."""

    period: datetime.date
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    version: int
    entered_at: datetime.datetime
    entered_by: str | None  # who entered it, by name; None: imported (or since deleted)


_actuals_between = PreparedRows(
    lambda pk, first, last: (
        Actual.objects.filter(indicator_id=pk, period__range=(first, last))
        .order_by()
        .values_list(
            "period",
            "value",
            "numerator",
            "denominator",
            "version",
            "entered_at",
            "entered_by",
            "entered_by__first_name",
            "entered_by__last_name",
            "entered_by__username",
        )
    ),
    Actual._meta.get_field("indicator"),
    Actual._meta.get_field("period"),
    Actual._meta.get_field("period"),
)
_targets_of = PreparedRows(
    lambda pk: Target.objects.filter(indicator_id=pk).order_by("financial_year", "period"),
    Target._meta.get_field("indicator"),
)


CHANGES_SHOWN = 50  # a page of an indicator's history of changes


def _changes_of(pk, period: datetime.date | None = None):
    # Each row carries how many changes there are in all: the page and its count in one query.
    changes = FigureChange.objects.filter(indicator_id=pk)
    if period is not None:
        changes = changes.filter(period=period)
    return (
        changes.annotate(total=Window(Count("pk")))
        .order_by("-changed_at", "-pk")
        .values_list(
            "pk",
            "changed_by",
            "changed_by__first_name",
            "changed_by__last_name",
            "changed_by__username",
            "total",
        )
    )


_latest_changes = PreparedRows(
    lambda pk: _changes_of(pk)[:CHANGES_SHOWN], FigureChange._meta.get_field("indicator")
)
_one_change = PreparedRows(
    lambda pk: FigureChange.objects.filter(pk=pk).select_related("changed_by"),
    FigureChange._meta.pk,
)


class ChangesPage(NamedTuple):
    """A page of an indicator's audited changes, newest first."""

    rows: list[tuple]  # (id, who made it: id, first name, last name, user name)
    page: int  # from 1
    total: int  # changes in all


def changes_page(
    indicator: Indicator, page: int = 1, period: datetime.date | None = None
) -> ChangesPage:
    """The ``page``-th 50 of the indicator's audited changes (``period``: those to its
    figure or target for that month or quarter), newest first, and how many there are in
    all: one query (its SQL built once for the first page of them all)."""
    page = max(page, 1)
    if page == 1 and period is None:
        found = _latest_changes.rows(indicator.pk)
    else:
        first = (page - 1) * CHANGES_SHOWN
        found = list(_changes_of(indicator.pk, period)[first : first + CHANGES_SHOWN])
    total = found[0][-1] if found else 0
    return ChangesPage([row[:-1] for row in found], page, total)


def changes_in_full(pks: list[int]) -> list[FigureChange]:
    """These audited changes with who made them: one query (its SQL built once for the
    one change a save makes)."""
    if len(pks) == 1:
        return _one_change.instances(pks[0])
    return list(FigureChange.objects.filter(pk__in=pks).select_related("changed_by"))


def year_rows(indicator: Indicator, history: IndicatorHistory, year: int) -> list[tuple]:
    """(period, this year's Actual, last year's Actual, change) for each month or quarter."""
    start = indicator.partnership.fy_start_month
    slots = periods.fy_months(year, start)
    if indicator.frequency == Indicator.Frequency.QUARTERLY:
        slots = slots[::3]
    rows = []
    for slot in slots:
        this = history.actuals.get(slot)
        last = history.actuals.get(periods.same_month_last_year(slot))
        change = this.value - last.value if this and last else None
        rows.append((slot, this, last, change))
    return rows


@dataclass(frozen=True)
class IndicatorSpc:
    """What the indicator page shows about SPC: the XmR chart, its words and settings."""

    chart: object
    variation: str | None
    assurance: str | None
    has_gap: bool
    settings: SpcSettings | None
    limits_from: int  # figures the latest limits were worked out from (0: no limits)


def indicator_spc(indicator: Indicator, result: IndicatorFigures) -> IndicatorSpc:
    """The XmR chart and SPC words for an indicator's figures (no queries)."""
    settings = spc_settings_for(result.indicator)
    slots, analysis = spc_series(
        spec_for(indicator), result.series, result.figures.period, settings
    )
    latest = analysis.latest
    return IndicatorSpc(
        chart=charts.xmr_chart(indicator, slots, analysis),
        variation=result.figures.variation,
        assurance=result.figures.assurance,
        has_gap=analysis.has_gap,
        settings=settings,
        limits_from=latest.points if latest else 0,
    )


# What keeps an indicator from being deleted, as a refusal counts it (one, many): its figures
# and their history (kept: an inactive indicator leaves the lists), and the actions and
# commissioning lines linking it (which would lose the link without a word in their history).
INDICATOR_USES = {
    ("indicators.actual", "indicator"): ("figure", "figures"),
    ("indicators.figurechange", "indicator"): (
        "change in the history of its figures",
        "changes in the history of its figures",
    ),
    ("actions.action", "indicators"): ("action linked to it", "actions linked to it"),
    ("commissioning.commissioningline", "indicators"): (
        "commissioning line linked to it",
        "commissioning lines linked to it",
    ),
}
# What is the indicator's own and goes with it.
INDICATOR_OWN = frozenset(
    {
        ("indicators.target", "indicator"),
        ("indicators.spcsetting", "indicator"),
        ("opendata.offencemapping", "indicator"),
    }
)
# Of those, its figures and their history.
WITH_FIGURES = frozenset(
    {("indicators.actual", "indicator"), ("indicators.figurechange", "indicator")}
)


def indicators_in_use(indicator_ids: list[int]) -> dict[int, dict[tuple[str, str], str]]:
    """Indicator id -> what still names it, by relation ("24 figures", "2 actions linked to
    it"), for those with anything. One query a kind."""
    return rows_naming(Indicator, indicator_ids, INDICATOR_USES, own=INDICATOR_OWN)
