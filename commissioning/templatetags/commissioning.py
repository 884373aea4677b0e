from django import template
from django.utils.html import format_html

from commissioning import budget

register = template.Library()


@register.filter
def money(amount) -> str:
    """£400,568 or £1,234.50 (formatting only: the figure comes from budget)."""
    return budget.format_money(amount)


@register.simple_tag
def contribution(line):
    """A line's contribution: the amount, or its status as a word in a tag."""
    return contribution_html(line)


def contribution_html(line) -> str:
    if line.contribution_status == "amount":
        return budget.format_money(line.contribution)
    if line.contribution_status == "tbc":
        return format_html('<strong class="govuk-tag govuk-tag--yellow">To be confirmed</strong>')
    if line.contribution_status == "awaiting":
        return format_html(
            '<strong class="govuk-tag govuk-tag--orange">Awaiting confirmation</strong>'
        )
    return format_html('<span class="app-missing">No stream</span>')


STATUS_COLOURS = {
    "proposed": "grey",
    "approved": "blue",
    "commissioned": "green",
    "ended": "purple",
}


@register.simple_tag
def line_status(line):
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        STATUS_COLOURS.get(line.status, "grey"),
        line.get_status_display(),
    )
