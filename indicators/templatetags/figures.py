"""Presenting figures: rounding happens here, at the last step, never in stored figures."""

import datetime
import functools
from decimal import Decimal

from django import template
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from csp_portal.core.templatetags.govuk import escape_text as esc
from indicators import periods
from indicators.commentary import figures_places, format_number

register = template.Library()

MINUS = "\u2212"


@register.filter
def figure(value, places=0):
    """1,149 / 88.0: commas above 999, fixed decimals; a marked blank when missing."""
    if value is None or value == "":
        return mark_safe('<span class="app-missing">No figure</span>')
    return format_number(Decimal(value), int(places))


def unit_suffix(measure: str) -> str:
    """What follows a figure of this measure as printed: "%", " per 1,000" or nothing."""
    return {"percentage": "%", "rate": " per 1,000"}.get(measure, "")


@register.filter
def with_unit(value, measure: str, places=0):
    """A figure with its measure's unit, as a report prints it: "88.4%", "20.1 per 1,000",
    "1,149"; the marked blank when missing."""
    if value is None or value == "":
        return figure(value)
    return figure(value, places) + unit_suffix(measure)


def change_unit(measure: str, *, points: bool) -> str:
    """What follows a change in a level: " percentage points" between two percentages,
    " per 1,000" for a rate, nothing for a count (its relative change follows it)."""
    if points:
        return " percentage points"
    return " per 1,000" if measure == "rate" else ""


@register.filter
def signed(value, places=0):
    """+68 or −74: a change, always this year minus last."""
    if value is None:
        return mark_safe('<span class="app-missing">–</span>')
    value = Decimal(value)
    text = format_number(abs(value), int(places))
    return _sign(value, text)


def _sign(value: Decimal, text: str) -> str:
    """The text of ``abs(value)`` with the value's sign, none where it rounds to nought
    ("0.0", never "−0.0")."""
    if not any(digit in text for digit in "123456789"):
        return text
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"{MINUS}{text}"
    return text


@register.filter
def percent(value, places=0):
    """+5% or −12%; a change that rounds to nought is "<1%" (or "<0.1%"), never "0%": the
    sentence beside it says "less than 1%"."""
    if value is None:
        return mark_safe('<span class="app-missing">–</span>')
    value, places = Decimal(value), int(places)
    text = format_number(abs(value), places)
    if value and not any(digit in text for digit in "123456789"):
        return f"<{format_number(Decimal(1).scaleb(-places), places)}%"
    return _sign(value, text + "%")


@register.filter
def places_for(indicator) -> int:
    return 0 if indicator.measure == "count" else 1


def places_of_figures(indicator, figures) -> int:
    """``places_for``, except that a point-in-time level whose figures are all whole (a
    snapshot of a count: 128 open cases) shows none, as the report and charts show it."""
    return figures_places(indicator.measure, figures)


@register.filter
def month_label(value):
    return periods.month_label(value) if value else ""


@register.filter
def ytd_mark(figures, frequency: str) -> str:
    """What a year to date of fewer periods than its column names says, in brackets after
    it: "months with figures only" where some are missing, "to October 2016" where it stops
    before the reporting month (a late month, or a quarter still under way); both where
    both; "" for a whole year to date. ``figures``: Figures, or a report's record of them
    (a dict, dates in ISO)."""
    read = figures.get if isinstance(figures, dict) else functools.partial(getattr, figures)
    if read("ytd") is None:
        return ""
    marks = []
    if read("ytd_partial"):
        marks.append(gaps_words(frequency))
    end, period = (_date(read(name)) for name in ("ytd_end", "period"))
    if end is not None and end < period:
        marks.append(f"to {periods.short_month_label(end)}")
    return ", ".join(marks)


def gaps_words(frequency: str) -> str:
    """The mark of a total that leaves out missing periods (and of last year's same ones)."""
    return f"{'quarters' if frequency == 'quarterly' else 'months'} with figures only"


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def period_words(indicator, month) -> str:
    """A stored period as the indicator counts it: "November 2016", or for a quarterly
    indicator "Quarter 2 (July to September 2016)"."""
    if indicator.frequency == "quarterly":
        return periods.quarter_words(month, indicator.partnership.fy_start_month)
    return periods.month_label(month)


def target_places(measure: str, kind: str, value) -> int:
    """Decimals for a target's value: a count's, or a change's per cent, is shown whole
    unless it has a fraction (1,000, not 1,000.0); a level of a percentage, a rate or a
    point-in-time value to one place, as its figures are."""
    if measure == "count" or kind == "change_pct":
        return 0 if value is None or Decimal(value) == Decimal(value).to_integral() else 1
    return 1


@register.filter
def short_month(value):
    return periods.short_month_label(value) if value else ""


@register.filter
def fy_label(value, start_month=4):
    """ "2016/17" (or "2016" for a year starting in January): pass the partnership's
    fy_start_month."""
    return periods.fy_label(int(value), int(start_month)) if value not in (None, "") else ""


_SOURCE_POLICE_UK = (
    ", and counts imported from data.police.uk (Open Government Licence v3.0; see the "
    "history of changes)"
)


@register.simple_tag
def chart_figure(chart, partnership=None, indicator=None):
    """`includes/chart.html`: a plotly chart with its title, subtitle, alt text, its spec
    and its data as a real table, written in Python (a page has several, and as a
    template they were a fifth of a page made afresh). The partnership names the source;
    an indicator counting police.uk crime types names that source too."""
    chart_id, title = esc(chart.id), esc(chart.title)
    headers = "".join(
        '<th scope="col" class="govuk-table__header'
        f'{" govuk-table__header--numeric" if index else ""}">{esc(header)}</th>'
        for index, header in enumerate(chart.headers)
    )
    police_uk = _SOURCE_POLICE_UK if getattr(indicator, "crime_types", None) else ""
    return mark_safe(
        f'<figure class="app-chart" aria-labelledby="{chart_id}-title">\n'
        f'  <h3 class="govuk-heading-s" id="{chart_id}-title">{title}</h3>\n'
        f'  <p class="govuk-body-s app-chart__subtitle">{esc(chart.subtitle)}</p>\n'
        f'  <div class="app-chart__plot" id="{chart_id}" data-chart="{esc(chart.spec_id)}" '
        f'role="img" aria-label="{esc(chart.alt)}"></div>\n'
        f"  {json_script(chart.spec, chart.spec_id)}\n"
        '  <details class="govuk-details app-chart__data" open>\n'
        '    <summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
        "Data for this chart</span></summary>\n"
        '    <div class="govuk-details__text">\n'
        '      <div class="app-table-scroll" role="region" '
        f'aria-label="Data for: {title}" tabindex="0">\n'
        '      <table class="govuk-table app-table--compact">\n'
        '        <caption class="govuk-table__caption govuk-visually-hidden">'
        f"Data for: {title}</caption>\n"
        '        <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
        f"          {headers}\n"
        "        </tr></thead>\n"
        '        <tbody class="govuk-table__body">\n'
        f"          {chart_data_rows(chart)}\n"
        "        </tbody>\n"
        "      </table>\n"
        "      </div>\n"
        "    </div>\n"
        "  </details>\n"
        '  <p class="govuk-body-s app-chart__source">Source: figures entered by '
        f"{esc(getattr(partnership, 'name', ''))} officers{police_uk}.</p>\n"
        "</figure>"
    )


def chart_data_rows(chart):
    """The rows of a chart's data table: a chart has a row a month, and as a template loop
    of cells they cost more than the rest of the chart's HTML."""
    written = []
    for row in chart.rows:
        cells = "".join(
            f'<th scope="row" class="govuk-table__header">{esc(cell)}</th>'
            if index == 0
            else '<td class="govuk-table__cell govuk-table__cell--numeric'
            f'{" app-missing" if cell == "No figure" else ""}">{esc(cell)}</td>'
            for index, cell in enumerate(row)
        )
        written.append(f'<tr class="govuk-table__row">\n            {cells}\n          </tr>')
    return mark_safe("".join(written))
