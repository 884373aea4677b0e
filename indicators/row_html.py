"""The dashboard's rows, the indicator list's, and the indicator page's rows of figures
and of audited changes, written in Python: a page has one per indicator, month or change,
some fifty, and as templates they were a quarter of a page made from scratch. Each writes
exactly what its template did (whitespace included), through the same filters and tags."""

import functools
from decimal import Decimal

from django.conf import settings
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.dates import MONTHS_3
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from csp_portal.core.models import Partnership
from csp_portal.core.templatetags.govuk import escape_text as esc
from csp_portal.core.templatetags.govuk import (
    govuk_direction,
    govuk_status_tag,
    govuk_variation,
)

from . import commentary, periods
from .charts import shown_places
from .indicator_html import unrated
from .models import FigureChange, Indicator
from .selectors import IndicatorFigures
from .templatetags.figures import (
    change_unit,
    figure,
    fy_label,
    gaps_words,
    month_label,
    percent,
    period_words,
    places_of_figures,
    short_month,
    signed,
    with_unit,
    ytd_mark,
)
from .validation import FIGURE_PLACES


def _variation_cell(f) -> str:
    """Variation, then assurance, under a dashboard row's status or direction."""
    assurance = (
        f'<span class="govuk-body-s app-variation__assurance">Assurance: {esc(f.assurance)}</span>'
        if f.assurance
        else ""
    )
    return (
        ' <span class="app-variation"><span class="govuk-visually-hidden">Variation: </span>'
        f"{govuk_variation(f.variation)}{assurance}</span>\n"
    )


# Any indicator's id, reversed in place of the real one and then replaced by it.
_ANY_PK = 987654321


@functools.lru_cache(maxsize=1024)
def _detail_url_around(slug: str, script_prefix: str, urlconf: str) -> tuple[str, str]:
    before, _, after = reverse(
        "indicators:detail", args=[slug, _ANY_PK], urlconf=urlconf
    ).rpartition(str(_ANY_PK))
    return before, after


def detail_url(slug: str, pk: int) -> str:
    """``reverse("indicators:detail", args=[slug, pk])``, reversed once a partnership
    (under the script prefix and URLconf in force): a reverse costs as much as the rest of
    a dashboard row."""
    before, after = _detail_url_around(
        slug, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
    return f"{before}{pk}{after}"


def _detail_link(partnership: Partnership, indicator: Indicator) -> str:
    url = detail_url(partnership.slug, indicator.pk)
    return f'<a class="govuk-link" href="{esc(url)}">{esc(indicator.title)}</a>'


def dashboard_row(
    partnership: Partnership, result: IndicatorFigures, *, sentence: str, with_target: bool
) -> SafeString:
    """An indicator's two dashboard rows: its figures, status (with a target) and direction
    with the SPC words, then the commentary ``sentence`` across the table."""
    indicator, f = result.indicator, result.figures
    p, measure = places_of_figures(indicator, f), indicator.measure
    change = esc(signed(f.ytd_change, p))
    if f.ytd_change is not None:
        change += change_unit(measure, points=f.change_is_points)
        if f.ytd_change_pct is not None and not f.change_is_points:
            change += f" ({esc(percent(f.ytd_change_pct))})"
    # The counts behind a percentage, as the report gives them: "88.4% (61 of 69)".
    parts = (
        f' <span class="app-parts">({esc(figure(f.ytd_numerator))} of '
        f"{esc(figure(f.ytd_denominator))})</span>"
        if measure == "percentage"
        and f.ytd is not None
        and f.ytd_numerator is not None
        and f.ytd_denominator is not None
        else ""
    )
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'

    def label(text: str) -> str:  # shown where the table stacks, on a small screen
        return f'<span class="app-stack__label">{text}: </span>'

    # A total of fewer periods than the column names (one is missing, or late) says so, in
    # the words and brackets of the report's mark (templates/reports/_partial.html).
    mark = ytd_mark(f, indicator.frequency)
    partial = f' <span class="app-variation">({esc(mark)})</span>' if mark else ""
    # Last year's total is of the same months: it shares the gaps, not this year's date.
    gaps = gaps_words(indicator.frequency)
    same_months = f' <span class="app-variation">({gaps})</span>' if f.ytd_partial else ""
    target = (
        f"{numeric}{label('Target to date')}{esc(with_unit(f.target_to_date, measure, p))}</td>\n"
        f'      <td class="govuk-table__cell">{label("Status")}{govuk_status_tag(f.status)}'
        f"{unrated(indicator, result)}{_variation_cell(f)}</td>"
        if with_target
        else ""
    )
    direction = govuk_direction(f.direction, indicator.polarity)
    if not with_target:
        direction += _variation_cell(f)
    return mark_safe(
        '\n    <tr class="govuk-table__row">\n'
        f'      <th scope="row" class="govuk-table__header">{_detail_link(partnership, indicator)}'
        f' <span class="govuk-body-s app-code">{esc(indicator.code)}</span></th>\n'
        f"      {numeric}{label('Year to date')}{esc(with_unit(f.ytd, measure, p))}{parts}"
        f"{partial}</td>\n"
        f"      {numeric}{label('Same period last year')}"
        f"{esc(with_unit(f.ytd_last_year, measure, p))}"
        f"{same_months if f.ytd_last_year is not None else ''}</td>\n"
        f"      {numeric}{label('Change')}{change}</td>\n"
        f"      {target}\n"
        f'      <td class="govuk-table__cell">{label("Direction")}{direction}</td>\n'
        "    </tr>\n"
        '    <tr class="govuk-table__row app-dashboard__comment">\n'
        f'      <td class="govuk-table__cell" colspan="{7 if with_target else 5}">'
        f"{esc(sentence)}</td>\n"
        "    </tr>\n  "
    )


def dashboard_empty(partnership: Partnership, indicator: Indicator) -> SafeString:
    """An indicator's line in the dashboard's list of those without figures."""
    return mark_safe(f"<li>{_detail_link(partnership, indicator)} ({esc(indicator.code)})</li>")


def indicator_list_row(indicator: Indicator) -> SafeString:
    """An indicator's row of the indicator list, in the order of IndicatorTable's visible
    columns: code and title (and whether inactive), theme group, how it is measured, and
    its latest figure's month with its number of figures (``latest`` and
    ``figure_count``, as selectors.indicator_queryset annotates them)."""
    url = detail_url(indicator.partnership.slug, indicator.pk)
    inactive = (
        "" if indicator.active else ' <strong class="govuk-tag govuk-tag--grey">Inactive</strong>'
    )
    group = indicator.theme_group.name if indicator.theme_group else ""
    if indicator.latest:
        count = indicator.figure_count
        latest = (
            f'{esc(short_month(indicator.latest))}<span class="app-table__meta">'
            f"{esc(localize(count))} figure{pluralize(count)}</span>"
        )
    else:
        latest = "None yet"
    return mark_safe(
        '<tr class="govuk-table__row">\n'
        '  <th scope="row" class="govuk-table__header app-indicator-cell">'
        f'<a class="govuk-link" href="{esc(url)}"><span class="app-indicator-code">'
        f"{esc(indicator.code)}</span> {esc(indicator.title)}</a>{inactive}</th>\n"
        f'  <td class="govuk-table__cell">{esc(group or "–")}</td>\n'
        f'  <td class="govuk-table__cell">{esc(indicator.get_measure_display())}, '
        f"{esc(indicator.get_frequency_display().lower())}"
        f'<span class="app-table__meta">{esc(indicator.get_polarity_display())}</span></td>\n'
        f'  <td class="govuk-table__cell">{latest}</td>\n'
        "</tr>\n"
    )


def _day_month_year(moment) -> str:
    """The date filter's "j M Y" (in the current time zone), written here: through
    dateformat it was most of a row's cost."""
    if moment is None:
        return ""
    at = template_localtime(moment)
    return f"{at.day} {str(MONTHS_3[at.month]).title()} {at.year:04d}"


_REVISED = (
    ' <strong class="govuk-tag govuk-tag--yellow app-tag--small" title="Changed after it was '
    'first entered: see the history of changes">Revised</strong>'
)
_NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">'


def year_rows(indicator: Indicator, rows: list[tuple], changes_url: str = "") -> SafeString:
    """The indicator page's table of a year against the last, one row per month or
    quarter from selectors.year_rows: (month, this year's HistoryFigure, last year's,
    the change); each links to the history of its changes (``changes_url``, the page's
    history of changes, to which its period is added)."""
    places = shown_places(
        indicator.measure,
        [kept.value for _, this, last, _ in rows for kept in (this, last) if kept],
    )
    written = []
    for month, this, last, change in rows:
        if this:
            shown = esc(figure(this.value, places))
            if this.denominator:
                parts = f"{esc(figure(this.numerator))}/{esc(figure(this.denominator))}"
                shown += f' <span class="app-parts">({parts})</span>'
            if this.version > 1:
                shown += _REVISED
            who = esc(this.entered_by) if this.entered_by else "Imported"
            who += f", {esc(_day_month_year(this.entered_at))}"
        else:
            shown, who = figure(None), ""
        before = esc(figure(last.value, places)) if last else figure(None)
        if changes_url:
            link = (
                f'<a class="govuk-link" href="{esc(changes_url)}&amp;period={month:%Y-%m}#history">'
                "Changes"
                f'<span class="govuk-visually-hidden"> to {esc(month_label(month))}</span></a>'
            )
            who = f"{who}<br>{link}" if who else link
        written.append(
            '\n    <tr class="govuk-table__row">\n'
            f'      <th scope="row" class="govuk-table__header">{esc(month_label(month))}</th>\n'
            f"      {_NUMERIC}{shown}</td>\n"
            f"      {_NUMERIC}{before}</td>\n"
            f"      {_NUMERIC}{esc(signed(change, places))}</td>\n"
            f'      <td class="govuk-table__cell">{who}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(written))


def _stored_value(snapshot) -> Decimal | None:
    if not isinstance(snapshot, dict) or snapshot.get("value") in (None, ""):
        return None
    return Decimal(snapshot["value"])


def _places_telling_apart(old: Decimal | None, new: Decimal | None, measure: str) -> int:
    """The places the year table shows a figure to, or more where two different figures
    would round alike ("4.12 per 1,000 → 4.14 per 1,000", not "4.1 → 4.1")."""
    values = [v for v in (old, new) if v is not None]
    places = shown_places(measure, values)
    if old is None or new is None or old == new:
        return places
    while round(old, places) == round(new, places) and places < FIGURE_PLACES:
        places += 1
    return places


def _snapshot_value(snapshot, missing: str, measure: str, places: int | None = None) -> str:
    """A figure as its audit record holds it, as the year table shows it: rounded (to
    ``places`` if given), with its unit and the counts behind it ("85.7% (12 of 14)"), so a
    change of those shows even where the value is the same; nothing where there is no
    value, or the word for no figure at all."""
    if not snapshot:
        return f'<span class="app-missing">{missing}</span>'
    value = _stored_value(snapshot)
    if value is None:
        return ""
    if places is None:
        places = shown_places(measure, [value])
    if measure == "percentage":
        shown = commentary.format_level(value, measure, places)
    elif measure == "rate":
        shown = f"{figure(value, places)} per 1,000"
    else:
        shown = figure(value, places)
    numerator, denominator = snapshot.get("numerator"), snapshot.get("denominator")
    if numerator not in (None, "") and denominator not in (None, ""):
        shown += f" ({figure(numerator)} of {figure(denominator)})"
    return esc(shown)


def _target_value(snapshot, missing: str, indicator: Indicator) -> str:
    """A target as its audit record holds it, in words ("a 5% reduction on 2014/15"), so
    that a change of its kind or baseline year shows, not only of its value."""
    if not snapshot or not isinstance(snapshot, dict) or "kind" not in snapshot:
        return _snapshot_value(snapshot, missing, indicator.measure)
    if snapshot["kind"] == "change_pct" and snapshot.get("baseline_year") is None:
        return _snapshot_value(snapshot, missing, indicator.measure)
    start = indicator.partnership.fy_start_month
    return esc(commentary.target_words(snapshot, indicator.measure, start))


def _changed_period(indicator: Indicator, change: FigureChange) -> str:
    """What period a change is for: a month, or a quarterly indicator's quarter; a point
    of a cumulative profile runs to the end of its month (or quarter)."""
    if change.subject == "target":
        end = change.period
        if indicator.frequency == "quarterly":
            end = periods.quarter_end(end, indicator.partnership.fy_start_month)
        return f" to the end of {month_label(end)}"
    return f" for {period_words(indicator, change.period)}"


def change_row(change: FigureChange, indicator: Indicator | None = None) -> SafeString:
    """One row of an indicator's audit trail: when (in the current time zone), who, what,
    the old and new figure, target (in words) or SPC settings, and why; ``changed_by``
    read with it, and its ``indicator`` (with its partnership) given or read."""
    indicator = indicator or change.indicator
    # The date filter's "j M Y H:i" in the current time zone, written here: through
    # dateformat it was two thirds of the row's cost.
    at = template_localtime(change.changed_at)
    when = f"{at.day} {str(MONTHS_3[at.month]).title()} {at.year:04d} {at:%H:%M}"
    person = change.changed_by
    if person:
        who = esc(person.get_full_name() or person.username)
        if change.source != "form":
            who += f" ({esc(change.source)})"
    else:
        who = f"System ({esc(change.source)})"
    what = esc(change.get_subject_display())
    if change.period:
        what += esc(_changed_period(indicator, change))
    elif change.financial_year:
        start = indicator.partnership.fy_start_month
        what += f" for {esc(fy_label(change.financial_year, start))}"
    if change.subject == "spc":
        # Rare: SPC settings keep their template.
        old, new = (
            render_to_string("indicators/_spc_change.html", {"settings": spc_settings})
            for spc_settings in (change.old, change.new)
        )
        values = (
            f'\n      <td class="govuk-table__cell">{old}</td>\n'
            f'      <td class="govuk-table__cell">{new}</td>\n      '
        )
    elif change.subject == "target":
        cell = '<td class="govuk-table__cell">'
        old = _target_value(change.old, "none", indicator)
        new = _target_value(change.new, "removed", indicator)
        values = f"\n      {cell}{old}</td>\n      {cell}{new}</td>\n      "
    else:
        numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
        places = _places_telling_apart(
            _stored_value(change.old), _stored_value(change.new), indicator.measure
        )
        old = _snapshot_value(change.old, "none", indicator.measure, places)
        new = _snapshot_value(change.new, "removed", indicator.measure, places)
        values = f"\n      {numeric}{old}</td>\n      {numeric}{new}</td>\n      "
    return mark_safe(
        '\n    <tr class="govuk-table__row">\n'
        f'      <td class="govuk-table__cell">{esc(when)}</td>\n'
        f'      <td class="govuk-table__cell">{who}</td>\n'
        f'      <td class="govuk-table__cell">{what}</td>\n'
        f"      {values}\n"
        f'      <td class="govuk-table__cell">{esc(change.reason or "–")}</td>\n'
        "    </tr>\n"
    )
