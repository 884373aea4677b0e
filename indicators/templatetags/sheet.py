"""The boxes of one grid cell (month sheet, year grid, target form), written in Python:
a sheet has a cell per indicator, and an include per cell cost half its rendering."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from csp_portal.core.templatetags.govuk import govuk_error_id, govuk_widget_with

register = template.Library()


@register.simple_tag
def sheet_cell_inputs(fields, cell_label) -> SafeString:
    """`{% sheet_cell_inputs fields cell.label %}`: one box, or numerator and denominator
    for a percentage, each a GOV.UK form group with its label (visually hidden for a
    single box; the cell label names the boxes for screen readers) and errors. A field
    built with show_hidden_initial also renders the hidden figure the page showed, by
    which the save tells a person's own changes from other people's
    (csp_portal/core/concurrency.py)."""
    esc = conditional_escape
    parts = []
    for index, field in enumerate(fields):
        errors = field.errors
        group_error = " govuk-form-group--error" if errors else ""
        parts.append(f'\n<div class="govuk-form-group app-sheet__input{group_error}">\n  ')
        if len(fields) == 1:
            parts.append(
                f'\n  <label class="govuk-label govuk-visually-hidden" '
                f'for="{esc(field.id_for_label)}">{esc(field.label)}</label>\n  '
            )
        else:
            part = "Numerator" if index == 0 else "Denominator"
            parts.append(
                f'\n  <label class="govuk-label" for="{esc(field.id_for_label)}">{part}'
                f'<span class="govuk-visually-hidden"> for {esc(cell_label)}</span></label>\n  '
            )
        parts.append("\n  ")
        for error in errors:
            parts.append(
                f'<p class="govuk-error-message" id="{esc(govuk_error_id(field))}">'
                f'<span class="govuk-visually-hidden">Error:</span> {esc(error)}</p>'
            )
        widget = govuk_widget_with(
            field, width=10, inputmode="decimal", autocomplete="off", data_paste_cell=""
        )
        parts.append(f"\n  {widget}\n</div>\n")
    parts.append("\n")
    return mark_safe("".join(parts))
