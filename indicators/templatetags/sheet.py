"""The rows of the month sheet and the year grid, and the boxes of one grid cell (those
and the target form), written in Python: a sheet has a row per indicator, and a template
rendered per row cost most of a sheet made afresh."""

from collections.abc import Mapping
from types import MappingProxyType

from django import template
from django.utils.safestring import SafeString, mark_safe

from csp_portal.core.templatetags.govuk import escape_text, govuk_error_id, govuk_widget_with

from .. import periods
from ..row_html import detail_url
from .figures import figure, month_label, places_for

register = template.Library()


@register.simple_tag
def sheet_cell_inputs(fields, cell_label, when: str = "", described_by: str = "") -> SafeString:
    """`{% sheet_cell_inputs fields cell.label %}`: one box, or numerator and denominator
    for a percentage, each a GOV.UK form group with its label (visually hidden for a
    single box; the cell label names the boxes for screen readers) and errors. A field
    built with show_hidden_initial also renders the hidden figure the page showed, by
    which the save tells a person's own changes from other people's
    (csp_portal/core/concurrency.py). ``when``: the month the page shows above the boxes
    on a small screen, which the boxes' names then include (speech input says it).
    ``described_by``: the id of what else describes each box (a row's tag), after
    its error if it has one."""
    esc = escape_text
    parts = []
    for index, field in enumerate(fields):
        errors = field.errors
        group_error = " govuk-form-group--error" if errors else ""
        parts.append(f'\n<div class="govuk-form-group app-sheet__input{group_error}">\n  ')
        if len(fields) == 1:
            parts.append(
                f'\n  <label class="govuk-label govuk-visually-hidden" '
                f'for="{esc(field.id_for_label)}">{esc(field.label)}{when}</label>\n  '
            )
        else:
            part = "Numerator" if index == 0 else "Denominator"
            parts.append(
                f'\n  <label class="govuk-label" for="{esc(field.id_for_label)}">{part}'
                f'<span class="govuk-visually-hidden"> for {esc(cell_label)}{when}</span>'
                "</label>\n  "
            )
        parts.append("\n  ")
        for error in errors:
            parts.append(
                f'<p class="govuk-error-message" id="{esc(govuk_error_id(field))}">'
                f'<span class="govuk-visually-hidden">Error:</span> {esc(error)}</p>'
            )
        described = {}
        if described_by:
            ids = [govuk_error_id(field), described_by] if errors else [described_by]
            described["aria_describedby"] = " ".join(ids)
        widget = govuk_widget_with(
            field,
            width=10,
            inputmode="decimal",
            autocomplete="off",
            data_paste_cell="",
            **described,
        )
        parts.append(f"\n  {widget}\n</div>\n")
    parts.append("\n")
    return mark_safe("".join(parts))


def _boxes_or_not_open(cell, fields, when: str, described_by: str = "") -> str:
    """The cell's boxes, or, where the form gives none (a month not begun, a quarter not
    ended), when it opens: a figure is entered from its period's last month on."""
    if fields:
        return sheet_cell_inputs(fields, cell.label, when, described_by)
    if cell.indicator.frequency == "quarterly":
        end = periods.last_month_of(cell.period, cell.indicator.frequency)
        words = f"the quarter ends in {month_label(end)}"
    else:
        words = f"{month_label(cell.period)} has not started"
    return (
        '<p class="govuk-body-s app-sheet__closed" data-paste-closed>'
        f"Not open yet: {escape_text(words)}.</p>"
    )


def _last_year(indicator, last) -> str:
    """A figure a year before, as the month sheet and the year grid show it: with its
    numerator and denominator when it has them ("100.0 (10/10)")."""
    if not last:
        return escape_text(figure(None))
    shown = escape_text(figure(last.value, places_for(indicator)))
    if last.denominator:
        shown += f" ({escape_text(figure(last.numerator))}/{escape_text(figure(last.denominator))})"
    return shown


# Beside the measure of a month sheet row whose figure a published report froze, by why
# (`reports.selectors.Lock.why`; the notice above the sheet says so): in the part a
# pasted row's name leaves out. The row's boxes name it as their description, so a screen
# reader says it at each box too.
TAGS = {
    "published": ("Published", " in a report, so a change needs a reason"),
    "baseline": (
        "Baseline",
        " of a target a published report rated, so a change needs a reason",
    ),
}
TAG = (
    ' <strong class="govuk-tag govuk-tag--grey app-sheet__tag" id="{id}">{shown}'
    '<span class="govuk-visually-hidden">{hidden}</span></strong>'
)


def month_sheet_rows(
    partnership, month, grid, tags: Mapping[int, str] = MappingProxyType({})
) -> dict[int, SafeString]:
    """Each row of the month sheet by indicator, from (cell, bound fields, last year's
    figure) triples: the indicator's code and title linked to its page, its measure (and
    the quarter a quarterly figure is stored at, and a tag if its indicator is one of
    ``tags``, by why its figure is locked: "published" or "baseline", `TAGS`), the same
    month last year (with its numerator and denominator when it has them), and the
    boxes."""
    esc = escape_text
    month_text = esc(month_label(month))
    rows = {}
    for cell, fields, last in grid:
        indicator = cell.indicator
        # A modifier for each box in error, as the row's template wrote it.
        error = "".join(" app-sheet__row--error" for field in fields if field.errors)
        quarterly = indicator.frequency == "quarterly"
        quarter = (
            f", quarterly: quarter starting {esc(month_label(cell.period))}" if quarterly else ""
        )
        # A quarterly figure is the quarter's: its box and last year's figure say so.
        when = (
            esc(periods.quarter_words(cell.period, partnership.fy_start_month))
            if quarterly
            else month_text
        )
        same = "Same quarter last year" if quarterly else "Same month last year"
        shown = _last_year(indicator, last)
        url = detail_url(partnership.slug, indicator.pk)
        why = tags.get(indicator.pk)
        tag_id = f"{why}-{indicator.pk}" if why else ""
        tag = TAG.format(id=tag_id, shown=TAGS[why][0], hidden=TAGS[why][1]) if why else ""
        rows[indicator.pk] = mark_safe(
            f'\n      <tr class="govuk-table__row{error}">\n'
            '        <th scope="row" class="govuk-table__header app-sheet__name">\n'
            # Out of the Tab order: Tab goes box to box, as in a spreadsheet (the
            # indicator list links every indicator too).
            f'          <a class="govuk-link" href="{esc(url)}" tabindex="-1">'
            f"{esc(indicator.code)}</a> {esc(indicator.title)}\n"
            '          <span class="govuk-body-s app-sheet__meta">'
            f"{esc(indicator.get_measure_display())}{quarter}"
            f"{tag}</span>\n"
            "        </th>\n"
            '        <td class="govuk-table__cell govuk-table__cell--numeric">'
            f'<span class="app-stack__label">{same}: </span>{shown}</td>\n'
            '        <td class="govuk-table__cell">\n'
            f'          <span class="app-stack__label" aria-hidden="true">{when}'
            "</span>\n"
            f"          {_boxes_or_not_open(cell, fields, f', {when}', tag_id)}\n"
            "        </td>\n"
            "      </tr>\n"
        )
    return rows


def year_grid_row(indicator, cell, fields, last, described_by: str = "") -> SafeString:
    """One month's (or quarter's) row of an indicator's year grid: its label, the figure
    a year before, and the boxes; ``described_by``: the id of the notice that its figure
    needs a reason to change, when it does."""
    esc = escape_text
    shown = _last_year(indicator, last)
    return mark_safe(
        '\n      <tr class="govuk-table__row">\n'
        f'        <th scope="row" class="govuk-table__header">{esc(cell.label)}</th>\n'
        f'        <td class="govuk-table__cell govuk-table__cell--numeric">{shown}</td>\n'
        '        <td class="govuk-table__cell">\n'
        # Each box named by its month and its indicator, as the month sheet's are.
        f"          {_boxes_or_not_open(cell, fields, f', {esc(indicator.code)}', described_by)}\n"
        "        </td>\n"
        "      </tr>\n"
    )
