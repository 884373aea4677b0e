"""Presenting figures: rounding happens here, at the last step, never in stored figures."""

from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

from csp_portal.core.templatetags.govuk import escape_text as esc
from indicators import periods
from indicators.commentary import format_number

register = template.Library()

MINUS = "\u2212"


@register.filter
def figure(value, places=0):
    """1,149 / 88.0: commas above 999, fixed decimals; a marked blank when missing."""
    if value is None or value == "":
        return mark_safe('<span class="app-missing">No figure</span>')
    return format_number(Decimal(value), int(places))


@register.filter
def signed(value, places=0):
    """+68 or −74: a change, always this year minus last."""
    if value is None:
        return mark_safe('<span class="app-missing">–</span>')
    value = Decimal(value)
    text = format_number(abs(value), int(places))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"{MINUS}{text}"
    return text


@register.filter
def percent(value, places=0):
    if value is None:
        return mark_safe('<span class="app-missing">–</span>')
    value = Decimal(value)
    text = format_number(abs(value), int(places)) + "%"
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"{MINUS}{text}"
    return text


@register.filter
def places_for(indicator) -> int:
    return 0 if indicator.measure == "count" else 1


@register.filter
def month_label(value):
    return periods.month_label(value) if value else ""


@register.filter
def short_month(value):
    return periods.short_month_label(value) if value else ""


@register.filter
def fy_label(value):
    return periods.fy_label(int(value)) if value not in (None, "") else ""


@register.simple_tag
def chart_data_rows(chart):
    """The rows of a chart's data table (`includes/chart.html`), written in Python: a
    chart has a row a month, and as a template loop of cells they cost more than the rest
    of the chart's HTML."""
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
