import datetime
import functools
import json
import re
import secrets
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from csp_portal.core.caching import cached, cached_fragment, cached_fragments, key_digest
from csp_portal.core.context_processors import IMPORT_ROWS
from csp_portal.core.models import Partnership
from csp_portal.core.permissions import (
    Access,
    EditorsOnly,
    has_access,
    is_site_admin,
    partnership_for,
)
from csp_portal.core.tables import XLSX_TYPE, table_download
from opendata.selectors import family_ranking, family_rankings

from . import (
    charts,
    comparisons,
    figures,
    importing,
    indicator_html,
    periods,
    row_html,
    selectors,
    services,
)
from .forms import (
    Cell,
    FigureGridForm,
    ImportForm,
    IndicatorFilterForm,
    SpcSettingsForm,
    TargetForm,
)
from .importing import checking as import_checking
from .importing import registry as import_registry
from .models import Indicator
from .tables import IndicatorTable, none_yet_text
from .templatetags.sheet import month_sheet_rows, year_grid_row

# What an officer may upload for their own partnership (an administrator, every table).
OFFICER_TABLES = ("actuals", "actions", "risks", "recommendations", "funding", "commissioning")


def _month_or_404(text: str) -> datetime.date:
    try:
        return periods.parse_month(text)
    except ValueError:
        raise Http404("Not a month") from None


def _year_or_404(year: int) -> int:
    if not periods.MIN_YEAR <= year <= periods.MAX_YEAR:
        raise Http404("Not a financial year")
    return year


def _indicator(request, slug: str, pk: int, access: Access) -> Indicator:
    partnership = partnership_for(request.user, slug, access)
    indicator = selectors.indicator_in(partnership, pk)
    if indicator is None:
        raise Http404("No indicator found")
    return indicator


@require_safe
@login_required
def indicator_list(request, slug):
    partnership = partnership_for(request.user, slug, Access.LIVE)
    staff = is_site_admin(request.user)  # an administrator is told how to add indicators

    def filtered_table() -> tuple[IndicatorFilterForm, IndicatorTable]:
        form = IndicatorFilterForm(request.GET or None, partnership=partnership)
        filters = form.cleaned_data if form.is_valid() else {}
        queryset = selectors.indicator_queryset(
            partnership,
            theme_group=filters.get("theme_group"),
            polarity=filters.get("polarity", ""),
            measure=filters.get("measure", ""),
            search=filters.get("q", ""),
        )
        if any(filters.values()):
            return form, IndicatorTable(queryset)
        # Unfiltered, an empty table means the partnership has none: say how to add them.
        import_url = reverse("indicators:import", args=[slug]) if staff else None
        return form, IndicatorTable(queryset, empty_text=none_yet_text(import_url))

    export_format = request.GET.get("_export")
    if export_format in {"csv", "xlsx"}:
        _, table = filtered_table()
        RequestConfig(request).configure(table)
        return table_download(
            table, export_format, f"{partnership.slug}-indicators.{export_format}"
        )

    made_from: dict[int, Indicator] = {}  # indicators read for the index on this request

    def page_index() -> tuple[list[int], str, str]:
        """Which indicators this page holds, in order, and what is around their rows: the
        filters, sort links and pages, with a mark where each row goes."""
        form, table = filtered_table()
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        records = [row.record for row in table.paginated_rows]
        selectors.with_partnership(records, partnership)
        made_from.update((i.pk, i) for i in records)
        # Around the rows, the filters, sort links and pages show the query string, the
        # theme groups (named with their partnership), which indicators this page holds
        # and how many match: rendered once for those.
        groups = list(partnership.theme_groups.order_by("name").values_list("pk", "name"))
        count = table.paginator.count if hasattr(table, "paginator") else len(records)
        shape = (
            partnership.slug,
            str(partnership),
            sorted(request.GET.lists()),
            staff,
            groups,
            [i.pk for i in records],
        )

        def around() -> tuple[str, str]:
            # The marks carry a secret, so nothing typed into the filters can pass for one.
            secret = secrets.token_hex(8)
            for index, record in enumerate(records):
                # The same instances the table's template iterates.
                record.row_html = mark_safe(f"\x00{secret}:{index}\x00")
            return secret, render_to_string(
                "indicators/_indicator_list_body.html",
                {"partnership": partnership, "form": form, "table": table},
                request=request,
            )

        secret, shell = cached(
            f"indicator-list-around:{partnership.pk}:{key_digest(shape, count)}", around
        )
        return [i.pk for i in records], secret, shell

    def body() -> str:
        # Which indicators match, in what order, follow the figures only when the table is
        # sorted by them: otherwise the index is kept through a save of figures, and only
        # the saved indicators' rows are made again.
        if IndicatorTable.sorted_by_figures(request.GET):
            pks, secret, shell = page_index()
        else:
            pks, secret, shell = cached(
                f"indicator-list-index:{partnership.pk}:{partnership.context_version.hex}:{asked}",
                page_index,
            )
        rows = _indicator_rows(partnership, pks, made_from)
        parts = shell.split(f"\x00{secret}:")
        return parts[0] + "".join(rows[int(i)] + rest for i, rest in _marked(parts[1:]))

    # The filters and table show figures' dates and counts, and the sort and page links
    # carry the query string: cached for this data version and these parameters.
    asked = key_digest(sorted(request.GET.lists()), staff)
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "partnership": partnership,
            "body": cached_fragment(
                f"indicator-list:{partnership.pk}:{partnership.data_version.hex}:{asked}",
                body,
            ),
            "can_edit": has_access(request.user, partnership, Access.EDIT),
            "query": request.GET.urlencode(),
        },
    )


def _marked(parts: list[str]):
    """(row index, what follows up to the next mark) for each part after a row's mark."""
    for part in parts:
        index, _, rest = part.partition("\x00")
        yield index, rest


def _indicator_rows(partnership, pks: list[int], read: dict[int, Indicator]) -> list[str]:
    """The indicator list's rows of these indicators, in one cache read: those not cached
    are made from the indicators ``read`` already, or read now (one query)."""
    if all(pk in read for pk in pks):  # the index was made on this request
        listed = {pk: _list_entry(read[pk]) for pk in pks}
    else:
        listed = selectors.list_index(partnership)
    keys = {pk: _indicator_row_key(partnership, listed[pk]) for pk in pks if pk in listed}
    found = cache.get_many(list(keys.values()))
    rows = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in rows]
    unread = [pk for pk in missing if pk not in read]
    if unread:
        read = read | {i.pk: i for i in selectors.listed_indicators(partnership, unread)}
    made = {}
    for pk in missing:
        if pk not in read:  # deleted since the index was made
            continue
        indicator = read[pk]
        rows[pk] = row_html.indicator_list_row(indicator)
        # Under the version it was made from, should a save have come between.
        made[_indicator_row_key(partnership, _list_entry(indicator))] = rows[pk]
    cache.set_many(made)
    # Written by row_html, escaped there; one deleted meanwhile is left out.
    return [mark_safe(rows.get(pk, "")) for pk in pks]


def _list_entry(indicator: Indicator) -> selectors.ListEntry:
    group = indicator.theme_group.name if indicator.theme_group else None
    return selectors.ListEntry(indicator.pk, indicator.figures_version, group)


def _indicator_row_key(partnership, entry: selectors.ListEntry) -> str:
    # A row shows the indicator's own fields, its latest figure and count of figures (all
    # change its figures version), its theme group's name and its partnership's slug.
    named = key_digest(partnership.slug, entry.group_name or "")
    return f"indicator-row:{entry.pk}:{entry.version.hex}:{named}"


@require_safe
@login_required
def indicator_detail(request, slug, pk):
    indicator = _indicator(request, slug, pk, Access.LIVE)
    partnership = indicator.partnership
    year_param = request.GET.get("year", "")
    # Not isdigit(), which lets "²" through to int(). None: the latest year with figures.
    year = _year_or_404(int(year_param)) if year_param.isdecimal() else None
    show_spc = request.GET.get("chart") == "spc"
    changes_param = request.GET.get("changes", "")
    # The page of the history of changes (its first by default: the latest 50).
    changes_page = int(changes_param) if changes_param.isdecimal() else 1
    # The changes to one month's (or quarter's) figure and target: ?period=2016-11.
    period_param = request.GET.get("period", "")
    changes_period = _month_or_404(period_param) if period_param else None
    if changes_period and indicator.frequency == Indicator.Frequency.QUARTERLY:
        # Any month of a quarter: its figure and target are kept at its first month.
        changes_period = periods.quarter_start(changes_period, partnership.fy_start_month)
    can_edit = has_access(request.user, partnership, Access.EDIT)
    # Everything but the family ranking (other data) is made from the indicator's own
    # figures, targets, settings and the names of who entered its figures (all change its
    # figures version, a person's rename too: indicators/data_version.py), its theme
    # group's name and the partnership's settings: a save to another indicator leaves it
    # cached. Who asks matters only through can_edit (the edit links); today matters only
    # when no year has figures.
    group = indicator.theme_group.name if indicator.theme_group else ""
    settings_of = [
        (f.attname, getattr(partnership, f.attname))
        for f in Partnership._meta.concrete_fields
        if f.attname != "data_version"
    ]
    key = ":".join(
        str(part)
        for part in (
            "indicator",
            indicator.pk,
            indicator.figures_version.hex,
            key_digest(settings_of, group),
            year,
            timezone.localdate(),  # the default year, and the month it reports to
            int(show_spc),
            int(can_edit),
            changes_page,
            changes_period,
        )
    )
    parts = cached(
        key,
        lambda: _indicator_parts(indicator, year, show_spc, can_edit, changes_page, changes_period),
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "partnership": partnership,
            "indicator": indicator,
            "main": mark_safe(parts["main"]),  # our templates' output, escaped there
            "changes": mark_safe(parts["changes"]),
            "has_charts": parts["has_charts"],
            "family": _family_ranking(indicator),
        },
    )


def _indicator_parts(
    indicator: Indicator,
    year: int | None,
    show_spc: bool,
    can_edit: bool,
    changes_page: int = 1,
    changes_period: datetime.date | None = None,
):
    """The indicator page's own HTML (before and after the family ranking)."""
    partnership = indicator.partnership
    history = selectors.indicator_history(indicator, year=year)
    year, start = history.year, partnership.fy_start_month
    months = periods.fy_months(year, start)
    in_year = [p for p in history.actuals if p in months]
    # To the end of the latest period with a figure (a quarter's third month) that has
    # ended (not a quarter under way).
    period = selectors.reported_to((p, indicator.frequency) for p in in_year)
    result = None
    if period:
        result = selectors.partnership_figures(partnership, period, indicators=[indicator])[0]
    spc_chart = selectors.indicator_spc(indicator, result) if show_spc and result else None
    chart_sets = []
    if result and not show_spc:
        # Three years where the figures exist, as the report draws them (seasonality shows).
        before = charts.year_before_last(selectors.spec_for(indicator), result)
        chart_sets = charts.indicator_charts(indicator, result, before)
    context = {
        "partnership": partnership,
        "indicator": indicator,
        "history": history,
        "year": year,
        "year_label": periods.fy_label(year, start),
        "last_year_label": periods.fy_label(year - 1, start),
        "rows": (rows := selectors.year_rows(indicator, history, year)),
        # Written in Python: 12 rows, each linking to the history of its period's changes.
        "year_rows": row_html.year_rows(indicator, rows, _changes_url(indicator, year)),
        "result": result,
        "sentence": result.commentary() if result else "",
        "chart_sets": chart_sets,
        "show_spc": show_spc,
        "spc": spc_chart,
        "spc_limits": _spc_limits(indicator, result) if spc_chart else "",
        "targets": [t for t in history.targets if t.financial_year == year],
        "other_years": _years_offered(history.years, year),
        "can_edit": can_edit,
    }
    context |= _change_rows(indicator, changes_page, year_param=year, period=changes_period)
    return {
        "main": indicator_html.main(context),
        "changes": render_to_string("indicators/_indicator_changes.html", context),
        "has_charts": bool(chart_sets or (spc_chart and spc_chart.chart)),
    }


def _spc_limits(indicator: Indicator, result) -> str:
    """What the XmR chart's limits were worked out from (no queries: the figures are read)."""
    settings = selectors.spc_settings_for(indicator)
    slots, analysis = figures.spc_series(
        selectors.spec_for(indicator), result.series, result.figures.period, settings
    )
    return charts.spc_limits_words(indicator, slots, analysis, settings)


def _changes_url(indicator: Indicator, year: int, period: datetime.date | None = None) -> str:
    """The indicator page's history of changes, for the year; of one period's if given."""
    url = reverse("indicators:detail", args=[indicator.partnership.slug, indicator.pk])
    url += f"?year={year}"
    if period is not None:
        url += f"&period={period:%Y-%m}"
    return url


def _change_rows(
    indicator: Indicator, page: int, *, year_param: int, period: datetime.date | None = None
) -> dict:
    """The rows of a page of the indicator's changes (``period``: those to one month's or
    quarter's figure and target), newest first (those not cached yet read in full and
    rendered), which of how many they are, and links to the pages newer and older."""
    # A row names its period and words its targets by the indicator's frequency, measure
    # and financial year.
    shape = (indicator.frequency, indicator.measure, indicator.partnership.fy_start_month)
    shown = selectors.changes_page(indicator, page, period)
    if not shown.rows and page > 1:  # past the last page: the latest changes instead
        shown = selectors.changes_page(indicator, 1, period)
    keys = {pk: _change_row_key(pk, who, shape) for pk, *who in shown.rows}
    found = cache.get_many(list(keys.values()))
    rows = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in rows]
    if missing:
        made = {}
        for change in selectors.changes_in_full(missing):
            person = change.changed_by
            who = (
                (person.pk, person.first_name, person.last_name, person.username) if person else ()
            )
            rows[change.pk] = row_html.change_row(change, indicator)
            # Under the name it was rendered with, should a rename have come between.
            made[_change_row_key(change.pk, who, shape)] = rows[change.pk]
        cache.set_many(made)
    first = (shown.page - 1) * selectors.CHANGES_SHOWN + 1
    url = _changes_url(indicator, year_param, period)

    def page_url(number: int) -> str:
        return f"{url}&changes={number}#history"

    return {
        "changes_period": row_html.period_words(indicator, period) if period else "",
        "all_changes_url": f"{_changes_url(indicator, year_param)}#history",
        # Written by row_html, escaped there.
        "change_rows": [mark_safe(rows[pk]) for pk in keys if pk in rows],
        "changes_total": shown.total,
        "changes_first": first,
        "changes_last": first + len(keys) - 1,
        "newer_changes": page_url(shown.page - 1) if shown.page > 1 else "",
        "older_changes": page_url(shown.page + 1) if first + len(keys) - 1 < shown.total else "",
    }


def _change_row_key(pk: int, who, shape: tuple) -> str:
    # An audited change is never edited: its row changes only with the name of who made
    # it (or their deletion), the time zone its time is shown in and how its indicator
    # names periods and targets.
    who = tuple(who) if who and who[0] is not None else ()  # () when no one (or deleted)
    return f"change-row:{pk}:{_who_digest(who, settings.TIME_ZONE, shape)}"


@functools.lru_cache(maxsize=1024)
def _who_digest(who: tuple, time_zone: str, shape: tuple) -> str:
    # A page's fifty changes are mostly by the same few people: each digested once.
    return key_digest(who, time_zone, shape)


def _grid_save(request, form: FigureGridForm, success_url: str):
    """Validate and save a grid; None when the form must be shown again."""
    if not form.is_valid():
        return None
    try:
        result = services.actuals_save(
            entries=form.cleaned_data["entries"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.FigureConflict as conflict:
        stored = selectors.actuals_at([(cell.indicator, cell.period) for cell in form.cells])
        form.add_conflicts(conflict.conflicts, stored)
        if conflict.locked is not None:
            form.add_error("reason", str(conflict.locked))
        return None
    except services.FigureLocked as locked:
        form.add_error("reason", str(locked))
        return None
    if result.written:
        messages.success(
            request,
            f"Saved {result.written} figure{'s' if result.written != 1 else ''} "
            f"({result.created} new, {result.updated} changed, {result.deleted} removed).",
        )
    else:
        messages.info(request, "No figures had changed, so nothing was saved.")
    return redirect(success_url)


@require_safe
@login_required
def month_sheet_latest(request, slug):
    """The month sheet of the month asked for (?month=YYYY-MM, the sheet's own picker), else
    of the month after the latest with figures."""
    partnership = partnership_for(request.user, slug, Access.EDIT)
    asked = request.GET.get("month", "")
    if asked:
        try:
            month = periods.parse_month(asked)
        except ValueError:
            problem = periods.outside_the_years(asked) or f"'{asked[:20]}' is not a month"
            messages.error(request, f"{problem}: choose a month like 2016-11.")
        else:
            return redirect("indicators:month_sheet", slug=slug, month=month.strftime("%Y-%m"))
    this_month = periods.month_start(timezone.localdate())
    latest = _latest_period(partnership)
    month = (
        min(periods.add_months(latest, 1), this_month)
        if latest
        else periods.add_months(this_month, -1)
    )
    return redirect("indicators:month_sheet", slug=slug, month=month.strftime("%Y-%m"))


@login_required
def month_sheet(request, slug, month):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    month = _month_or_404(month)
    today = timezone.localdate()
    year = periods.financial_year_of(month, partnership.fy_start_month)

    def stray_message(key: str, typed: str) -> str:
        # Named only if it is this partnership's: a key is any number a post sends.
        pk = re.fullmatch(r"i(\d{1,18})", key)
        gone = pk and selectors.indicator_in(partnership, int(pk[1]))
        if not gone or gone.active:
            return (
                "A figure sent with this page is not for an active indicator of "
                f"{partnership.name}, so it was not saved."
            )
        lost = f"your figure ({typed}) was not saved" if typed else "its figure was not removed"
        return f"{gone.code} {gone.title} is no longer active, so {lost}."

    context = {}
    if request.method == "POST":
        rows = selectors.month_sheet(partnership, month)
        form = FigureGridForm(
            request.POST, cells=_sheet_cells(rows), today=today, stray_message=stray_message
        )
        url = reverse("indicators:month_sheet", args=[slug, month.strftime("%Y-%m")])
        response = _grid_save(request, form, url)
        if response:
            return response
        # Shown again with the person's figures and errors: built afresh, never cached.
        published = services.published_versions(partnership)
        locked = services.sheet_locked(
            partnership, month, published, [(r.indicator.pk, r.indicator.frequency) for r in rows]
        )
        context["grid"], built = _sheet_rows(partnership, month, rows, form, locked)
        groups = [(row.indicator.pk, row.indicator.theme_group) for row in rows]
        rows_html = _sheet_html([(pk, g and g.pk, g and g.name) for pk, g in groups], built)
        frozen_rows = [
            (row.indicator.code, locked[row.indicator.pk])
            for row in rows
            if row.indicator.pk in locked
        ]
    else:
        form = FigureGridForm(None, cells=[], today=today, stray_message=stray_message)
        # The sheet as opened, whole, under the data version and the versions published
        # (which rows they froze); on a miss, each row under its indicator's figures version
        # and whether it is frozen, so a saved figure rebuilds only its own row.
        published = services.published_versions(partnership)
        key = ":".join(
            (
                f"month-sheet:{partnership.pk}:{partnership.data_version.hex}:{month:%Y-%m}",
                str(today),
                key_digest(*(frozen.version_id for frozen in published)),
            )
        )
        kept = cache.get(key)
        if kept is None:
            context["grid"], rows_html, frozen_rows = _sheet_opened(
                partnership, month, today, published
            )
            cache.set(key, (rows_html, frozen_rows))
        else:
            rows_html, frozen_rows = kept
    return render(
        request,
        "indicators/month_sheet.html",
        {
            **context,
            "partnership": partnership,
            "month": month,
            "form": form,
            "rows_html": mark_safe(rows_html),  # our templates' output, escaped there
            "has_rows": bool(rows_html.strip()),
            "previous_month": periods.add_months(month, -1),
            "next_month": periods.add_months(month, 1)
            if periods.add_months(month, 1) <= periods.month_start(today)
            else None,
            "future": month > periods.month_start(today),
            # Which rows need a reason to change, and why (tagged "Published" or "Baseline").
            "locked": services.sheet_locked_notices(partnership, month, frozen_rows),
            # Where the paste helper sends one indicator's months: {pk} is the indicator.
            "year_grid_url": reverse("indicators:year_grid", args=[slug, 0, year]).replace(
                "/0/", "/{pk}/", 1
            ),
            "year_label": periods.fy_label(year, partnership.fy_start_month),
        },
    )


def _sheet_cells(rows: list[selectors.SheetRow]) -> list[Cell]:
    return [
        Cell(
            f"i{row.indicator.pk}",
            row.indicator,
            row.period,
            row.current,
            f"{row.indicator.code} {row.indicator.title}",
        )
        for row in rows
    ]


def _sheet_rows(partnership, month, rows, form, locked: dict) -> tuple[list, dict[int, str]]:
    """The (cell, fields, last year's figure) of each row, and each row's HTML by indicator
    (those ``locked``, `services.sheet_locked`, tagged with why)."""
    last_year = {row.indicator.pk: row.last_year for row in rows}
    grid = [(cell, fields, last_year[cell.indicator.pk]) for cell, fields in form.rows()]
    tags = {pk: lock.why for pk, lock in locked.items()}
    return grid, month_sheet_rows(partnership, month, grid, tags)


def _sheet_opened(partnership, month, today, published) -> tuple[list, str, list]:
    """The rows of a sheet as opened, each kept under a key naming all it shows: the
    indicator's figures version (its code, title, measure, frequency, targets and figures:
    any save of it or of them makes a new one), whether and why a published version froze
    its figure (its "Published" or "Baseline" tag), the month, today, the partnership's
    slug (in the links) and financial year (where a quarterly figure is stored). The theme
    group headings, whose names only the data version follows, are put in between here.
    The grid of the rows built (not those found kept) is returned for the page's context,
    and the code and lock of each frozen row shown, for the notice above them."""
    entries = selectors.month_sheet_index(partnership)
    locked = services.sheet_locked(
        partnership, month, published, [(entry.pk, entry.frequency) for entry in entries]
    )
    where = f"{month:%Y-%m}:{today}:{partnership.slug}:{partnership.fy_start_month}"
    keys = {
        entry.pk: f"month-sheet-row:{entry.pk}:{entry.version.hex}:{where}"
        + (f":{locked[entry.pk].why}" if entry.pk in locked else "")
        for entry in entries
    }
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    built, grid = {}, []
    if missing:
        rows = selectors.month_sheet(partnership, month, indicator_ids=missing)
        form = FigureGridForm(None, cells=_sheet_cells(rows), today=today)
        grid, built = _sheet_rows(partnership, month, rows, form, locked)
        cache.set_many({keys[pk]: html for pk, html in built.items()})
    # A row of an indicator changed since the index was read is built from the newer
    # figures, and so is never older than its key.
    html = {pk: built.get(pk) or found.get(keys[pk]) for pk in keys}
    # One deactivated since the index was read is not built: left out.
    shown = [e for e in entries if html[e.pk] is not None]
    frozen_rows = [(e.code, locked[e.pk]) for e in shown if e.pk in locked]
    return grid, _sheet_html([(e.pk, e.group_id, e.group_name) for e in shown], html), frozen_rows


def _sheet_html(entries: list[tuple[int, int | None, str | None]], rows: dict[int, str]) -> str:
    """The rows in order, a heading before each theme group's first."""
    parts, group = [], object()
    for pk, group_id, group_name in entries:
        if group_id != group:
            group = group_id
            parts.append(
                format_html(
                    '\n      <tr class="govuk-table__row app-sheet__group"><th scope="colgroup"'
                    ' colspan="3" class="govuk-table__header">{}</th></tr>',
                    group_name or "No theme group",
                )
            )
        parts.append(rows[pk])
    return "".join(parts) + "\n"


@login_required
def year_grid(request, slug, pk, year):
    indicator = _indicator(request, slug, pk, Access.EDIT)
    partnership = indicator.partnership
    year = _year_or_404(year)
    today = timezone.localdate()
    start = partnership.fy_start_month
    slots = periods.fy_months(year, start)
    if indicator.frequency == Indicator.Frequency.QUARTERLY:
        slots = slots[::3]
    labels = [
        periods.month_label(slot)
        if indicator.frequency == "monthly"
        else f"Q{periods.quarter_of(slot, start)} ({periods.month_label(slot)} quarter)"
        for slot in slots
    ]
    locked = services.year_locked(indicator, slots)
    # The rows as opened are kept under the indicator's figures version (its settings and
    # figures: any save of either makes a new one), the year, today and the partnership's
    # financial year (the labels), the periods a published report locks (their boxes name
    # the notice), and each row under what it shows; the page around them is rendered
    # afresh.
    key = ":".join(
        str(part)
        for part in (
            "year-grid",
            pk,
            indicator.figures_version.hex,
            year,
            today,
            start,
            ",".join(f"{period:%Y%m}" for period in slots if period in locked),
        )
    )
    opened = request.method != "POST"
    rows_html = cache.get(key) if opened else None
    actuals = None if rows_html is not None else selectors.year_grid_actuals(indicator, slots)
    cells = (
        []
        if actuals is None
        else [
            Cell(f"m{slot:%Y-%m}", indicator, slot, actuals.get(slot), label)
            for slot, label in zip(slots, labels, strict=True)
        ]
    )
    label = periods.fy_label(year, start)
    form = FigureGridForm(
        request.POST or None,
        cells=cells,
        today=today,
        stray_message=lambda key, _typed: f"{key[1:]} is outside the financial year {label}.",
    )
    if request.method == "POST":
        url = reverse("indicators:detail", args=[slug, pk]) + f"?year={year}"
        response = _grid_save(request, form, url)
        if response:
            return response
    context = {}
    if rows_html is None:
        last_year = {slot: actuals.get(periods.same_month_last_year(slot)) for slot in slots}
        context["grid"] = [(cell, fields, last_year[cell.period]) for cell, fields in form.rows()]
        rows_html = _grid_rows_html(indicator, context["grid"], set(locked), keep=opened)
        if opened:
            cache.set(key, rows_html)
    return render(
        request,
        "indicators/year_grid.html",
        {
            **context,
            "partnership": partnership,
            "indicator": indicator,
            "year": year,
            "year_label": label,
            "form": form,
            "rows_html": mark_safe(rows_html),  # our template's output, escaped there
            "first_label": labels[0],
            "locked": services.locked_notices(
                indicator,
                [(slot, periods.period_label(slot, indicator.frequency, start)) for slot in slots],
                locked,
            ),
            "locked_notice_id": LOCKED_NOTICE_ID,
            "year_before": (year - 1, periods.fy_label(year - 1, start))
            if year > periods.MIN_YEAR
            else None,
            "year_after": (year + 1, periods.fy_label(year + 1, start))
            if periods.fy_start(year + 1, start) <= today
            else None,
        },
    )


def _years_offered(years_with_figures, year: int) -> list[int]:
    """The financial years an indicator page links to: those with figures, the one shown,
    and the year before the earliest, so a new indicator's last year can be entered (a
    year's comparisons need it)."""
    years = set(years_with_figures) | {year}
    before = min(years) - 1
    return sorted(years | ({before} if before >= periods.MIN_YEAR else set()))


# The year grid's notice of its locked periods, which their boxes name as their description.
LOCKED_NOTICE_ID = "locked-notice"


def _grid_rows_html(indicator: Indicator, grid: list, locked: set, *, keep: bool) -> str:
    """The year grid's rows, the boxes of the periods ``locked`` described by the notice
    that says why; with ``keep`` (as opened: no figures typed, no errors), each
    kept under a key made of all it shows (the month's label and box names, the indicator's
    code that names its boxes, the measure, the figure in the box and last year's,
    whether it has boxes: a quarter under way has none, and whether it is locked), so a
    saved figure rebuilds only its month. Without the code, another indicator's blank month
    would lend its row, boxes named by the wrong indicator."""

    def row_html(cell, fields, last) -> str:
        described_by = LOCKED_NOTICE_ID if cell.period in locked else ""
        return year_grid_row(indicator, cell, fields, last, described_by)

    if not keep:
        return "".join(row_html(*row) for row in grid) + "\n"
    pieces = [
        (
            "year-grid-row:"
            + key_digest(
                indicator.code,
                indicator.measure,
                cell.key,
                cell.label,
                cell.texts(cell.current),
                last and (last.value, last.numerator, last.denominator),
                bool(fields),  # none for a quarter under way, not open yet
                cell.period in locked,
            ),
            lambda row=(cell, fields, last): row_html(*row),
        )
        for cell, fields, last in grid
    ]
    rows = cached_fragments(pieces)
    return "".join(rows) + "\n"


@login_required
def target_edit(request, slug, pk, year):
    indicator = _indicator(request, slug, pk, Access.EDIT)
    year = _year_or_404(year)
    start = indicator.partnership.fy_start_month
    slots = periods.fy_months(year, start)
    if indicator.frequency == Indicator.Frequency.QUARTERLY:
        slots = slots[::3]
    current = list(indicator.targets.filter(financial_year=year))
    form = TargetForm(
        request.POST or None,
        indicator=indicator,
        year=year,
        slots=slots,
        initial=TargetForm.initial_for(current),
    )
    label = periods.fy_label(year, start)
    if request.method == "POST" and form.is_valid():
        saved = _target_save(request, form, indicator, year)
        if saved is not None:
            return saved
    return render(
        request,
        "indicators/target_form.html",
        {
            "partnership": indicator.partnership,
            "indicator": indicator,
            "year": year,
            "year_label": label,
            "form": form,
            # Why a change to this year's target needs a reason (a published report
            # showed the indicator for the year), or None.
            "locked_by": services.target_locked_by(indicator, year),
        },
    )


def _target_save(request, form: TargetForm, indicator: Indicator, year: int):
    """Save a valid target form; None when it must be shown again (a reason is needed, or
    someone else changed the target meanwhile)."""
    try:
        changed = services.targets_replace(
            indicator=indicator,
            financial_year=year,
            rows=form.cleaned_data["rows"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            shown=form.shown_rows(),
            same=form.same_target,
        )
    except services.TargetLocked as locked:
        form.add_error("reason", str(locked))
        return None
    except services.TargetConflict as conflict:
        form.add_conflict(conflict)
        return None
    label = periods.fy_label(year, indicator.partnership.fy_start_month)
    if changed and not form.cleaned_data["rows"]:
        messages.success(request, f"Removed the {label} target.")
    elif changed:
        messages.success(request, f"Saved the {label} target.")
    else:
        messages.info(request, f"The {label} target had not changed, so nothing was saved.")
    url = reverse("indicators:detail", args=[indicator.partnership.slug, indicator.pk])
    return redirect(f"{url}?year={year}")


@login_required
def spc_settings_edit(request, slug, pk):
    indicator = _indicator(request, slug, pk, Access.EDIT)
    current = selectors.spc_settings_for(indicator)
    initial = {"run_length": current.run_length if current else 6}
    if current:
        initial |= {
            "baseline_start": f"{current.baseline_start:%Y-%m}" if current.baseline_start else "",
            "baseline_end": f"{current.baseline_end:%Y-%m}" if current.baseline_end else "",
            "recalculate_from": ", ".join(f"{m:%Y-%m}" for m in current.recalculate_from),
        }
    form = SpcSettingsForm(
        request.POST or None,
        indicator=indicator,
        initial=initial,
        # Read only when a posted form is checked: the months that have a figure.
        figure_months=indicator.actuals.values_list("period", flat=True),
    )
    url = reverse("indicators:detail", args=[slug, pk]) + "?chart=spc"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = services.spc_setting_save(
            indicator=indicator,
            baseline_start=data["baseline_start"],
            baseline_end=data["baseline_end"],
            recalculate_from=data["recalculate_from"],
            run_length=data["run_length"],
            by=request.user,
            reason=data["reason"],
        )
        if changed:
            messages.success(request, "Saved the SPC settings.")
        else:
            messages.info(request, "The SPC settings had not changed, so nothing was saved.")
        return redirect(url)
    return render(
        request,
        "indicators/spc_settings_form.html",
        {"partnership": indicator.partnership, "indicator": indicator, "form": form, "back": url},
    )


ERRORS_SHOWN = 50  # problems listed on the import page; the rest are counted


@login_required
def import_upload(request, slug=None):
    if slug is None:
        if not is_site_admin(request.user):
            raise PermissionDenied
        partnership, allowed = None, import_registry.names()
    else:
        partnership = partnership_for(request.user, slug, Access.EDIT)
        allowed = [
            name
            for name in import_registry.names()
            if is_site_admin(request.user) or name in OFFICER_TABLES
        ]
    form = ImportForm(request.POST or None, request.FILES or None, tables=allowed)
    report = None
    errors: list[str] = []
    problems = 0
    other_partnerships = False  # rows of other partnerships, refused here
    if request.method == "POST" and form.is_valid():
        # One time limit for reading the files and importing them.
        deadline = importing.Deadline(settings.IMPORT_UPLOAD_MAX_SECONDS)
        tables, errors = importing.read_uploads(
            form.cleaned_data["files"],
            max_rows=settings.IMPORT_UPLOAD_MAX_ROWS,
            deadline=deadline,
            max_unzipped=settings.IMPORT_UPLOAD_MAX_UNZIPPED_MB * 1024 * 1024,
            allowed=allowed,
        )
        rows = 0 if errors else importing.count_rows(tables)
        if rows > settings.IMPORT_UPLOAD_MAX_ROWS:
            errors = [
                f"The files have {rows:,} rows: an upload can have at most "
                f"{settings.IMPORT_UPLOAD_MAX_ROWS:,}. {importing.USE_THE_COMMAND}"
            ]
        if not errors:
            try:
                report = importing.import_tables(
                    tables,
                    by=request.user,
                    scope=partnership,
                    allowed=allowed,
                    dry_run=form.cleaned_data["dry_run"],
                    confirmed={"new_plans"} if form.cleaned_data.get("new_plans") else set(),
                    source="upload",
                    deadline=deadline,
                )
            except importing.ImportFailed as failed:
                errors, problems = failed.report.errors, failed.report.problems
                other_partnerships = failed.report.other_partnerships
        if report and not report.dry_run:
            messages.success(request, report.summary())
            if named := report.rows_named():
                request.session[IMPORT_ROWS] = render_to_string(
                    "indicators/_import_rows.html", {"tables": named, "banner": True}
                )
            else:  # never an earlier import's rows, left unshown
                request.session.pop(IMPORT_ROWS, None)
            if partnership:
                page, kwargs = _import_landing(report)
                return redirect(page, slug=partnership.slug, **kwargs)
            return redirect("indicators:import_all")
    return render(
        request,
        "indicators/import.html",
        {
            "partnership": partnership,
            "form": form,
            "allowed": allowed,
            "allowed_words": import_registry.listed(allowed, last="and") if allowed else "",
            "report": report,
            "import_errors": errors[:ERRORS_SHOWN],
            "problem_count": max(problems, len(errors)),
            "more_problems": max(problems, len(errors)) - len(errors[:ERRORS_SHOWN]),
            "columns": {k: import_registry.get(k).columns for k in allowed},
            "indicator_choices": import_checking.ACCEPTED if "indicators" in allowed else {},
            # The site's import takes several partnerships' files, for those who may use it.
            "import_all_hint": other_partnerships and is_site_admin(request.user),
        },
    )


def _import_landing(report: importing.ImportReport) -> tuple[str, dict]:
    """The page a partnership's import leads to, and its arguments besides the slug: the
    one listing the rows of the first table it imported, in the order it takes them (the
    indicator list for a workbook of indicators and figures, the action plans for
    actions.csv and risks.csv), or the page of that table's first row if its import
    names one (the plan of the first commissioning line's year)."""
    imported = (
        report.landing.get(t.name, (t.page, {}))
        for t in import_registry.tables()
        if t.name in report.imported()
    )
    return next(imported, ("indicators:list", {}))


@require_safe
@login_required
def export_workbook(request, slug):
    partnership = partnership_for(request.user, slug, Access.LIVE)
    # Written row by row into a temporary file (memory stays small at any size), then
    # streamed to the browser from it.
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    importing.write_workbook(partnership, file)
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=f"{partnership.slug}-{timezone.localdate():%Y-%m-%d}.xlsx",
        content_type=XLSX_TYPE,
    )


@require_safe
@login_required
def dashboard(request, slug):
    partnership = partnership_for(request.user, slug, Access.LIVE)
    period, period_error = _requested_period(request, partnership)
    context = {"partnership": partnership, "period": period, "period_error": period_error}
    if period:
        fy = periods.financial_year_of(period, partnership.fy_start_month)
        family = _family_rankings(partnership, period)
        context |= {
            "year_label": periods.fy_label(fy, partnership.fy_start_month),
            "start_label": periods.month_name(periods.fy_start(fy, partnership.fy_start_month)),
            "family": family,
            # Any ranking shown, not the first: the rows that are marked say which.
            "family_illustrative": any(ranking.illustrative for _, ranking in family),
        }
        context["tables"] = cached_fragment(
            f"dashboard:{partnership.pk}:{partnership.data_version.hex}:{period:%Y-%m}",
            lambda: render_to_string(
                "indicators/_dashboard_tables.html", context | _dashboard_rows(partnership, period)
            ),
        )
    else:  # no month has figures: say whether there is anything to enter them for
        context["has_indicators"] = partnership.indicators.filter(active=True).exists()
        context["can_edit"] = has_access(request.user, partnership, Access.EDIT)
    return render(request, "indicators/dashboard.html", context)


def _dashboard_rows(partnership, period) -> dict:
    """Each active indicator's piece of the dashboard tables, in one cache read: after a
    save only the changed indicators' figures are worked out and their rows rendered."""
    # The active indicators in the sheet's order, which is the dashboard's too.
    listed = selectors.month_sheet_index(partnership)
    keys = {e.pk: _dashboard_row_key(partnership, period, e.pk, e.version) for e in listed}
    pieces = cache.get_many(list(keys.values()))
    pieces = {pk: pieces[key] for pk, key in keys.items() if key in pieces}
    missing = [pk for pk in keys if pk not in pieces]
    if missing:
        made = {}
        for result in selectors.partnership_figures(
            partnership, period, indicators=selectors.indicators_for_figures(missing)
        ):
            indicator = result.indicator
            pieces[indicator.pk] = _dashboard_row(partnership, result)
            # Under the version the figures were read with, should a save have come between.
            key = _dashboard_row_key(partnership, period, indicator.pk, indicator.figures_version)
            made[key] = pieces[indicator.pk]
        cache.set_many(made)
    # Written by row_html, escaped there.
    found = [pieces[pk] for pk in keys if pk in pieces]  # one deleted meanwhile: left out
    return {
        section: [mark_safe(html) for kind, html in found if kind == section]
        for section in ("target_rows", "monitor_rows", "empty")
    }


def _dashboard_row_key(partnership, period, pk: int, figures_version) -> str:
    # A piece shows its indicator's settings and figures (both change its figures version,
    # as do its targets and SPC settings), the month, and of its partnership only the
    # slug (the link) and the financial year's first month (the figures' year).
    return (
        f"dashboard-row:{pk}:{figures_version.hex}:{period:%Y-%m}:"
        f"{partnership.fy_start_month}:{partnership.slug}"
    )


def _dashboard_row(partnership, result) -> tuple[str, str]:
    """One indicator's piece of the dashboard: (the section it goes in, its HTML): the rows
    of its figures and commentary, or its line in the list of those without figures."""
    indicator = result.indicator
    if result.figures.ytd is None:
        return "empty", row_html.dashboard_empty(partnership, indicator)
    # Indicators with a target apart from monitoring-only ones (REPORTING.md).
    with_target = bool(result.target)
    sentence = result.commentary()
    html = row_html.dashboard_row(partnership, result, sentence=sentence, with_target=with_target)
    return "target_rows" if with_target else "monitor_rows", html


def _family_rankings(partnership, period):
    """The most similar group's rankings of the partnership's indicators, to the last
    quarter complete by ``period`` (as a report to it ranks): made from police data and
    the indicators' settings, not their figures, so kept under the context version, which
    a save of figures leaves as it was."""
    from .context import last_complete_quarter

    year, quarter = last_complete_quarter(period)
    return cached(
        f"family-rankings:{partnership.pk}:{partnership.context_version.hex}:{year}q{quarter}",
        lambda: family_rankings(partnership, up_to=(year, quarter)),
    )


def _family_ranking(indicator):
    """One indicator's ranking (or None: no mapping, group or counts), kept as above."""
    partnership = indicator.partnership
    key = f"family-ranking:{indicator.pk}:{partnership.context_version.hex}"
    # In a tuple: None is what `cached` reads as "not stored".
    return cached(key, lambda: (family_ranking(indicator),))[0]


def _latest_period(partnership) -> datetime.date | None:
    """The latest month with figures, cached under the data version and this month (it
    never runs past this month: `selectors.reported_to`). None is read again."""
    return cached(
        f"latest-period:{partnership.pk}:{partnership.data_version.hex}:"
        f"{timezone.localdate():%Y-%m}",
        lambda: selectors.latest_period(partnership),
    )


def _requested_period(request, partnership) -> tuple[datetime.date | None, str]:
    """The month asked for (?period=YYYY-MM), else the latest with figures; and any error."""
    raw = request.GET.get("period")
    if not raw:
        return _latest_period(partnership), ""
    try:
        month = periods.parse_month(raw)
    except ValueError:
        problem = periods.outside_the_years(raw) or f"'{raw[:20]}' is not a month like 2016-11"
    else:
        problem = _not_begun(month)
        if not problem:
            return month, ""
    return _latest_period(partnership), f"{problem}, so the latest month is shown."


def _not_begun(month: datetime.date) -> str:
    """Why a month cannot be reported on yet ("" when it can): it has not begun."""
    if month > periods.month_start(timezone.localdate()):
        return f"{periods.month_label(month)} has not begun yet"
    return ""


# Read-only: any other method is answered in JSON, not refused first as a form post
# without a CSRF token would be (a 403 page of HTML).
@csrf_exempt
def api_comparisons(request, slug):
    if request.method != "GET":
        refused = JsonResponse(
            {"error": f"{request.method[:20]} is not allowed: read comparisons with GET."},
            status=405,
        )
        refused["Allow"] = "GET"
        return refused
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to read comparisons."}, status=401)
    try:
        partnership = partnership_for(request.user, slug, Access.LIVE)
    except EditorsOnly:
        return JsonResponse(
            {"error": "Only the partnership's officers and coordinator can read comparisons."},
            status=403,
        )
    except Http404:
        return JsonResponse({"error": "Not found."}, status=404)
    raw = request.GET.get("period", "")
    try:
        period = periods.parse_month(raw)
    except ValueError:
        outside = periods.outside_the_years(raw)
        error = f"period {outside}" if outside else "period must be a month like 2016-11"
        return JsonResponse({"error": error}, status=400)
    if not_begun := _not_begun(period):
        return JsonResponse(
            {"error": f"period {not_begun}: choose a month up to this one"}, status=400
        )
    body = cached(
        f"comparisons:{partnership.pk}:{partnership.data_version.hex}:{period:%Y-%m}",
        lambda: _comparisons_body(partnership, period),
    )
    return HttpResponse(body, content_type="application/json")


def _comparisons_body(partnership, period: datetime.date) -> str:
    """The records as a JSON list, each kept under a key naming all it is made from.

    A record is made from the indicator's code, title and unit, its spec (its settings and
    the partnership's financial year), and its figures, computed from its actuals, target
    and SPC settings and from the period: the figures version changes with all of the
    indicator's own, and the series' first month stands for how far back the figures
    looked (how far depends on the other indicators' baselines: selectors.py). So after a
    saved figure only that indicator's record is made again.
    """
    results = selectors.partnership_figures(partnership, period)
    keys = [
        ":".join(
            str(part)
            for part in (
                "comparison",
                result.indicator.pk,
                result.indicator.figures_version.hex,
                partnership.fy_start_month,
                f"{period:%Y-%m}",
                min(result.series, default=None),
            )
        )
        for result in results
    ]
    found = cache.get_many(keys)
    made = {
        key: json.dumps(
            comparisons.record_json(comparisons.record(result, period)), cls=DjangoJSONEncoder
        )
        for key, result in zip(keys, results, strict=True)
        if key not in found
    }
    cache.set_many(made)
    # As json.dumps writes a list.
    return "[" + ", ".join(found.get(key) or made[key] for key in keys) + "]"
