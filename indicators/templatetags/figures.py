"""Presenting figures: rounding happens here, at the last step, never in stored figures."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import pluralize
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from csp_portal.core.templatetags.govuk import escape_text as esc
from csp_portal.core.templatetags.govuk import govuk_direction, govuk_status_tag
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
        f'role="img" aria-label="{esc(chart.alt)}" tabindex="0"></div>\n'
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


def _summary_row(key: str, value: str) -> str:
    return (
        '    <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
        f'{key}</dt><dd class="govuk-summary-list__value">{value}</dd></div>\n'
    )


@register.simple_tag
def indicator_headline(indicator, result, sentence):
    """`indicators/_headline.html`: the indicator page's status, direction, commentary
    and headline figures, written in Python (made again after every save of a figure)."""
    f, p = result.figures, places_for(indicator)

    def shown(value, places=p) -> str:
        return esc(figure(value, places))

    def change(value) -> str:
        return esc(signed(value, p))

    status = f"{govuk_status_tag(f.status)}\n" if indicator.polarity != "monitor" else ""
    note = indicator.interpretation_note
    note = f'<div class="govuk-inset-text">{esc(note)}</div>' if note else ""
    points = " points" if f.change_is_points else ""
    parts = (
        f" ({shown(f.ytd_numerator, 0)} of {shown(f.ytd_denominator, 0)})"
        if f.ytd_numerator is not None
        else ""
    )
    if f.change_is_points:
        ytd_change = " percentage points"
    elif f.ytd_change_pct is not None:
        ytd_change = f" ({esc(percent(f.ytd_change_pct))})"
    else:
        ytd_change = ""
    rows = [
        _summary_row(
            esc(month_label(f.period)),
            f"{shown(f.value)} (last year {shown(f.last_year_value)}, "
            f"change {change(f.change)}{points})",
        ),
        _summary_row("Year to date", f"{shown(f.ytd)}{parts}"),
        _summary_row("Same period last year", shown(f.ytd_last_year)),
        _summary_row("Change", f"{change(f.ytd_change)}{ytd_change}"),
        _summary_row(
            f"Quarter {esc(f.quarter)}",
            f"{shown(f.quarter_value)} (same quarter last year {shown(f.quarter_last_year)}; "
            f"previous quarter {shown(f.quarter_previous)})",
        ),
        "    ",
    ]
    if f.target_to_date is not None:
        target = f"{shown(f.target_to_date)} (gap {change(f.target_gap)})"
        rows += ["\n", _summary_row("Target to date", target), "    "]
    rows.append("\n    ")
    if f.annual_target is not None:
        annual = shown(f.annual_target)
        if f.required_monthly_average is not None:
            annual += f"; {shown(f.required_monthly_average)} a month needed from now on"
        rows += ["\n", _summary_row("Annual target", annual), "    "]
    rows += ["\n", _summary_row("Year-end forecast", shown(f.forecast))]
    warning = ""
    if f.missing_periods:
        months = ", ".join(esc(month_label(m)) for m in f.missing_periods)
        them = esc(pluralize(len(f.missing_periods), "it,them"))
        warning = (
            '\n  <div class="govuk-warning-text">\n'
            '    <span class="govuk-warning-text__icon" aria-hidden="true">!</span>\n'
            '    <strong class="govuk-warning-text__text">'
            '<span class="govuk-visually-hidden">Warning</span>\n'
            f"      No figure for {months}: the year to date leaves {them} out.\n"
            "    </strong>\n"
            "  </div>\n  "
        )
    return mark_safe(
        '<div class="app-headline">\n'
        '  <p class="govuk-body app-headline__status">\n'
        f"    {status}\n"
        f"    {govuk_direction(f.direction, indicator.polarity)}\n\n"
        "  </p>\n"
        f'  <p class="govuk-body-l app-commentary">{esc(sentence)}</p>\n'
        f"  {note}\n"
        '  <dl class="govuk-summary-list govuk-summary-list--no-border app-figures">\n'
        f"{''.join(rows)}"
        "  </dl>\n"
        f"  {warning}\n"
        "</div>"
    )
