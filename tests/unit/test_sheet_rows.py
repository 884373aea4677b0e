"""The month sheet's and year grid's rows, written in Python: the markup their templates
wrote, byte for byte."""

import datetime
from decimal import Decimal

from indicators.forms import Cell, FigureGridForm
from indicators.templatetags.sheet import month_sheet_rows, year_grid_row
from tests.factories import ActualFactory, IndicatorFactory, PartnershipFactory

NOV_2016 = datetime.date(2016, 11, 1)
OCT_2016 = datetime.date(2016, 10, 1)


def grid(data=None):
    """A count (a figure now and a year ago) and a quarterly percentage (none now; a year
    ago with its parts), as the month sheet has them, the form cleaned when bound."""
    partnership = PartnershipFactory.build(slug="safer-town")
    count = IndicatorFactory.build(
        pk=7, partnership=partnership, code="HC 01", title="Hate & <crime>"
    )
    ratio = IndicatorFactory.build(
        pk=8,
        partnership=partnership,
        code="SAT 01",
        title="Victim satisfaction",
        measure="percentage",
        frequency="quarterly",
    )
    now = ActualFactory.build(indicator=count, period=NOV_2016, value=Decimal(35))
    cells = [
        Cell("i7", count, NOV_2016, now, "HC 01 Hate & <crime>"),
        Cell("i8", ratio, OCT_2016, None, "SAT 01 Victim satisfaction"),
    ]
    last = {
        7: ActualFactory.build(indicator=count, value=Decimal(1149)),
        8: ActualFactory.build(
            indicator=ratio, value=Decimal("87.5"), numerator=Decimal(7), denominator=Decimal(8)
        ),
    }
    form = FigureGridForm(data, cells=cells, today=datetime.date(2016, 12, 5))
    form.is_valid()
    rows = [(cell, fields, last[cell.indicator.pk]) for cell, fields in form.rows()]
    return partnership, rows


# The one box of HC 01 (count) as sheet_cell_inputs writes it, the figure shown kept.
BOXES_OF_HC01 = (
    '          \n<div class="govuk-form-group app-sheet__input">\n  \n'
    '  <label class="govuk-label govuk-visually-hidden" for="id_i7-v">'
    "HC 01 Hate &amp; &lt;crime&gt;, November 2016</label>\n  \n  \n"
    '  <input type="text" name="i7-v" value="35" class="govuk-input govuk-input--width-10"'
    ' inputmode="decimal" autocomplete="off" data-paste-cell="" id="id_i7-v">'
    '<input type="hidden" name="initial-i7-v" value="35" id="initial-id_i7-v">\n'
    "</div>\n\n\n"
)


def test_month_sheet_row_of_a_count_links_its_page_and_shows_last_year():
    partnership, rows = grid()

    html = month_sheet_rows(partnership, NOV_2016, rows)[7]

    assert html == (
        '\n      <tr class="govuk-table__row">\n'
        '        <th scope="row" class="govuk-table__header app-sheet__name">\n'
        '          <a class="govuk-link" href="/p/safer-town/indicators/7/" tabindex="-1">HC 01</a>'
        " Hate &amp; &lt;crime&gt;\n"
        '          <span class="govuk-body-s app-sheet__meta">Count</span>\n'
        "        </th>\n"
        '        <td class="govuk-table__cell govuk-table__cell--numeric">'
        '<span class="app-stack__label">Same month last year: </span>1,149</td>\n'
        '        <td class="govuk-table__cell">\n'
        '          <span class="app-stack__label" aria-hidden="true">November 2016'
        "</span>\n" + BOXES_OF_HC01 + "        </td>\n"
        "      </tr>\n"
    )


def test_month_sheet_row_of_a_quarterly_percentage_in_error():
    posted = {"i7-v": "35", "initial-i7-v": "35", "i8-n": "x", "initial-i8-n": ""}
    partnership, rows = grid(posted | {"i8-d": "9", "initial-i8-d": ""})

    html = month_sheet_rows(partnership, NOV_2016, rows)[8]

    assert html == (
        '\n      <tr class="govuk-table__row app-sheet__row--error">\n'
        '        <th scope="row" class="govuk-table__header app-sheet__name">\n'
        '          <a class="govuk-link" href="/p/safer-town/indicators/8/" tabindex="-1">'
        "SAT 01</a>"
        " Victim satisfaction\n"
        '          <span class="govuk-body-s app-sheet__meta">'
        "Percentage, quarterly: quarter starting October 2016</span>\n"
        "        </th>\n"
        '        <td class="govuk-table__cell govuk-table__cell--numeric">'
        '<span class="app-stack__label">Same quarter last year: </span>87.5 (7/8)</td>\n'
        '        <td class="govuk-table__cell">\n'
        '          <span class="app-stack__label" aria-hidden="true">'
        "Quarter 3 (October to December 2016)"
        "</span>\n"
        '          \n<div class="govuk-form-group app-sheet__input govuk-form-group--error">\n'
        '  \n  <label class="govuk-label" for="id_i8-n">Numerator<span class="govuk-visually-'
        'hidden"> for SAT 01 Victim satisfaction, Quarter 3 (October to December 2016)'
        "</span></label>\n  \n"
        '  <p class="govuk-error-message" id="id_i8-n-error"><span class="govuk-visually-'
        'hidden">Error:</span> SAT 01 Victim satisfaction numerator must be a number, like 148'
        " (&#x27;x&#x27; is not a number). Leave it blank if there is no figure yet."
        "</p>\n"
        '  <input type="text" name="i8-n" value="x" class="govuk-input govuk-input--error'
        ' govuk-input--width-10" aria-describedby="id_i8-n-error" inputmode="decimal"'
        ' autocomplete="off" data-paste-cell="" aria-invalid="true" id="id_i8-n">'
        '<input type="hidden" name="initial-i8-n" aria-describedby="id_i8-n_error"'
        ' id="initial-id_i8-n">\n'
        "</div>\n\n"
        '<div class="govuk-form-group app-sheet__input">\n  \n'
        '  <label class="govuk-label" for="id_i8-d">Denominator<span class="govuk-visually-'
        'hidden"> for SAT 01 Victim satisfaction, Quarter 3 (October to December 2016)'
        "</span></label>\n  \n  \n"
        '  <input type="text" name="i8-d" value="9" class="govuk-input govuk-input--width-10"'
        ' inputmode="decimal" autocomplete="off" data-paste-cell="" id="id_i8-d">'
        '<input type="hidden" name="initial-i8-d" id="initial-id_i8-d">\n'
        "</div>\n\n\n"
        "        </td>\n"
        "      </tr>\n"
    )


def test_month_sheet_rows_link_each_indicator_whatever_its_slug():
    partnership, rows = grid()
    partnership.slug = "9876543210"

    html = month_sheet_rows(partnership, NOV_2016, rows)

    assert 'href="/p/9876543210/indicators/7/"' in html[7]
    assert 'href="/p/9876543210/indicators/8/"' in html[8]


def test_year_grid_row_shows_the_label_last_year_and_the_boxes():
    _, rows = grid()
    cell, fields, last = rows[0]

    html = year_grid_row(cell.indicator, cell, fields, last)

    assert html == (
        '\n      <tr class="govuk-table__row">\n'
        '        <th scope="row" class="govuk-table__header">HC 01 Hate &amp; &lt;crime&gt;</th>\n'
        '        <td class="govuk-table__cell govuk-table__cell--numeric">1,149</td>\n'
        '        <td class="govuk-table__cell">\n'
        + BOXES_OF_HC01.replace(", November 2016", ", HC 01")
        + "        </td>\n"
        "      </tr>\n"
    )
    assert 'numeric"><span class="app-missing">No figure</span></td>' in year_grid_row(
        cell.indicator, cell, fields, None
    )


def test_year_grid_boxes_of_a_locked_month_are_described_by_the_notice():
    posted = {"i8-n": "x", "initial-i8-n": "", "i8-d": "9", "initial-i8-d": ""}
    _, rows = grid(posted)
    (count, count_fields, _), (ratio, ratio_fields, _) = rows

    html = year_grid_row(count.indicator, count, count_fields, None, "locked-notice")
    both = year_grid_row(ratio.indicator, ratio, ratio_fields, None, "locked-notice")

    assert 'data-paste-cell="" aria-describedby="locked-notice" id="id_i7-v">' in html
    assert 'aria-describedby="id_i8-n-error locked-notice"' in both
    assert 'data-paste-cell="" aria-describedby="locked-notice" id="id_i8-d">' in both


def test_month_sheet_boxes_of_a_published_row_are_described_by_its_tag():
    """Review finding: a screen reader at a box was not told its figure is in a published
    report (a change needs a reason): the "Published" tag was only in the row heading."""
    posted = {"i7-v": "35", "initial-i7-v": "35", "i8-n": "x", "initial-i8-n": ""}
    partnership, rows = grid(posted | {"i8-d": "9", "initial-i8-d": ""})

    html = month_sheet_rows(partnership, NOV_2016, rows, {7: "published", 8: "published"})

    assert (
        '<strong class="govuk-tag govuk-tag--grey app-sheet__tag" id="published-7">Published'
        in html[7]
    )
    assert 'data-paste-cell="" aria-describedby="published-7" id="id_i7-v">' in html[7]
    assert 'id="published-8">Published' in html[8]
    assert "Same month last year: </span>1,149</td>" in html[7]
    # Both boxes of a percentage; after its error, for a box in error.
    assert 'aria-describedby="id_i8-n-error published-8"' in html[8]
    assert 'data-paste-cell="" aria-describedby="published-8" id="id_i8-d">' in html[8]
    assert "aria-describedby" not in month_sheet_rows(partnership, NOV_2016, rows)[7]


def test_month_sheet_row_of_a_rated_baseline_is_tagged_so_and_keeps_last_years_figure():
    """Review finding: a figure locked as a rated change target's baseline had no tag; the
    tag says why, and the row still shows last year's figure beside it."""
    partnership, rows = grid()

    html = month_sheet_rows(partnership, NOV_2016, rows, {7: "baseline"})[7]

    assert (
        '<span class="govuk-body-s app-sheet__meta">Count <strong class="govuk-tag '
        'govuk-tag--grey app-sheet__tag" id="baseline-7">Baseline<span '
        'class="govuk-visually-hidden"> of a target a published report rated, so a change '
        "needs a reason</span></strong></span>"
    ) in html
    assert '<span class="app-stack__label">Same month last year: </span>1,149</td>' in html
    assert 'data-paste-cell="" aria-describedby="baseline-7" id="id_i7-v">' in html
    assert "Published" not in html
