"""Where print.css lets WeasyPrint break a report's pages: short tables whole, an
indicator's heading with its summary, no table row left alone on a page."""

import io

import pytest
from pypdf import PdfReader

from reports import documents

# Pushes what follows down to the last few centimetres of the first A4 page.
SPACER = '<div style="height: {mm}mm"></div>'


def _pages(body: str) -> list[str]:
    pdf = documents.render_pdf(body, title="Breaks", charts={})
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _page_of(pages: list[str], text: str) -> int:
    [page] = [i for i, words in enumerate(pages) if text in words]
    return page


def _table(css_class: str, rows: int) -> str:
    body = "".join(
        f'<tr><th scope="row">Row{i:02d}</th><td>{i}</td></tr>' for i in range(1, rows + 1)
    )
    return (
        f'<table class="govuk-table {css_class}"><thead><tr><th scope="col">Month</th>'
        f'<th scope="col">Figure</th></tr></thead><tbody>{body}</tbody></table>'
    )


@pytest.mark.parametrize("css_class", ["app-report__months", "app-report__core"])
def test_a_short_table_is_not_split_across_pages(css_class):
    pages = _pages(SPACER.format(mm=190) + _table(css_class, 12))

    assert _page_of(pages, "Row01") == _page_of(pages, "Row12") == 1


# Without the rule, 110mm left the last row alone on the third page, 224mm the first on
# the first.
@pytest.mark.parametrize("mm", [110, 224])
def test_a_long_table_leaves_no_row_alone_on_a_page(mm):
    pages = _pages(SPACER.format(mm=mm) + _table("app-report__table", 45))

    rows_on = [sum(f"Row{i:02d}" in words for i in range(1, 46)) for words in pages]
    assert all(n == 0 or n >= 2 for n in rows_on), rows_on


def test_an_indicators_heading_stays_with_its_whole_summary():
    facts = "".join(
        f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Fact{i}'
        f'</dt><dd class="govuk-summary-list__value">Value {i}</dd></div>'
        for i in range(1, 7)
    )
    body = (
        SPACER.format(mm=180)
        + '<div class="app-report__indicator"><h3 class="govuk-heading-m">A.9 Hate crime</h3>'
        '<p class="govuk-body-s app-report__meta">Higher is better. Count.</p>'
        f'<dl class="govuk-summary-list app-report__facts">{facts}</dl></div>'
    )
    pages = _pages(body)

    assert _page_of(pages, "A.9 Hate crime") == _page_of(pages, "Fact1") == _page_of(pages, "Fact6")


WARNING = (
    '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">'
    '!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">'
    "Warning</span>Illustrative demo data: made up for the demonstration.</strong></div>"
)


# Review finding: in the demo report's PDF, B.2's heading, its intro and the illustrative
# data warning ended a page, its table starting the next. Without the rule, each of these
# spacers left the heading on the first page and the table on the second.
@pytest.mark.parametrize("mm", [170, 185, 200])
@pytest.mark.parametrize("css_class", ["app-keep-together", "app-report__table"])
def test_a_heading_its_intro_and_warning_stay_with_their_table(mm, css_class):
    body = (
        SPACER.format(mm=mm) + '<h3 class="govuk-heading-m">B.2 Similar areas</h3>'
        '<p class="govuk-body app-para">Recorded crime per 1,000 people in the group.</p>'
        + WARNING
        + f'<div class="app-table-scroll">{_table(css_class, 8)}</div>'
    )
    pages = _pages(body)

    assert (
        _page_of(pages, "B.2 Similar areas")
        == _page_of(pages, "Illustrative")
        == _page_of(pages, "Row02")
    )
