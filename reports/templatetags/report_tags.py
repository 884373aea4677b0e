"""Presenting a report snapshot: ISO dates back to words. No queries, no arithmetic."""

import datetime

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from indicators import periods

register = template.Library()


@register.filter
def iso_month(value: str) -> str:
    """ "2016-11-01" -> "November 2016"."""
    return periods.month_label(datetime.date.fromisoformat(value)) if value else ""


@register.filter
def iso_date(value: str) -> str:
    """ "2017-01-24" -> "24 January 2017"."""
    if not value:
        return ""
    day = datetime.date.fromisoformat(value[:10])
    return f"{day.day} {periods.month_label(day)}"


@register.filter
def iso_datetime(value: str) -> str:
    """An ISO date and time -> "24 January 2017 at 09:30" (in the site's time zone)."""
    if not value:
        return ""
    from django.utils import timezone

    moment = timezone.localtime(datetime.datetime.fromisoformat(value))
    return f"{moment.day} {periods.month_label(moment.date())} at {moment:%H:%M}"


_NUM = '<td class="govuk-table__cell govuk-table__cell--numeric">'
# A change's normal-variation label, as reports/_variation.html writes it.
_VARIATION = {
    True: ' <span class="app-variation">within normal variation</span>',
    False: ' <span class="app-variation">beyond normal variation</span>',
}
_MISSING = '<td class="govuk-table__cell govuk-table__cell--numeric app-missing">'


def _parts(parts: list | None) -> str:
    """A percentage's counts beside it: " (61 of 69)"."""
    from indicators.templatetags.figures import figure

    return f" ({figure(parts[0])} of {figure(parts[1])})" if parts else ""


@register.simple_tag
def month_rows(e: dict):
    """The rows of an indicator's month-by-month table, written directly: the largest
    table of the report, which the template engine took most of a page's time over."""
    from indicators.templatetags.figures import figure, signed

    p = e["places"]
    count = e["measure"] == "count"
    before = bool(e.get("year_before_label"))
    target = count and e["has_target"]
    rows = []
    for m in e["months"]:
        cells = ['<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">']
        cells.append(conditional_escape(m["label"]))
        cells.append("</th>")
        if before:
            cells += [_NUM, figure(m["year_before"], p), "</td>"]
        cells += [_NUM, figure(m["last_year"], p), _parts(m.get("last_parts")), "</td>"]
        if m["due"]:
            cells += [_NUM, figure(m["this_year"], p), _parts(m.get("this_parts")), "</td>"]
            cells += [_NUM, signed(m["change"], p), _VARIATION.get(m.get("within"), ""), "</td>"]
            if count:
                cells += [_NUM, figure(m["cumulative"], p), "</td>"]
        else:
            cells += [_MISSING, "Not yet due</td>", _MISSING, "–</td>"]
            if count:
                cells += [_MISSING, "–</td>"]
        if target:
            cells += [_NUM, figure(m["cumulative_target"], p), "</td>"]
        cells.append("</tr>")
        rows.append("".join(cells))
    return mark_safe("\n".join(rows))
