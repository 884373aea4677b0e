from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from commissioning import budget
from indicators.commentary import format_number

register = template.Library()

CONTRIBUTION_TAGS = {
    "tbc": mark_safe('<strong class="govuk-tag govuk-tag--yellow">To be confirmed</strong>'),
    "awaiting": mark_safe(
        '<strong class="govuk-tag govuk-tag--orange">Awaiting confirmation</strong>'
    ),
    "": mark_safe('<span class="app-missing">None</span>'),
}
STATUS_COLOURS = {
    "proposed": "grey",
    "approved": "blue",
    "commissioned": "green",
    "ended": "purple",
}


@register.filter
def money(amount) -> str:
    """£400,568 or £1,234.50 (formatting only: the figure comes from budget)."""
    return budget.format_money(amount)


@register.filter
def output_places(values) -> int:
    """Decimals that show every output given exactly (an output has at most two): a
    series shown to the same decimals all along."""
    if not isinstance(values, list | tuple):
        values = [values]
    exponents = [v.normalize().as_tuple().exponent for v in values if v is not None]
    return min(max([0, *(-e for e in exponents)]), 2)


@register.filter
def output(value, places=None) -> str:
    """An output's number as the figures are shown, commas above 999 ("1,450"), to the
    decimals given, or to those it has."""
    return format_number(value, output_places(value) if places is None else int(places))


def contribution_html(line) -> str:
    """A line's contribution: the amount, or its status as a word in a tag."""
    if line.contribution_status == "amount":
        return budget.format_money(line.contribution)
    return CONTRIBUTION_TAGS.get(line.contribution_status, CONTRIBUTION_TAGS[""])


@register.simple_tag
def contribution(line):
    return contribution_html(line)


@register.simple_tag
def line_status(line):
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        STATUS_COLOURS.get(line.status, "grey"),
        line.get_status_display(),
    )


@register.simple_tag
def shown_value_inputs(field):
    """The hidden value(s) a radios or checkboxes field showed, for the concurrency check
    (csp_portal/core/concurrency.py; the GOV.UK partial adds them only for single inputs)."""
    if not field.field.show_hidden_initial:
        return ""
    return field.as_hidden(only_initial=True)
