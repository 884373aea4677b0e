"""Money in a report adds up as printed: pence on every amount once any amount has them,
never parts rounded to whole pounds that miss their total by a pound."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest

from reports import rendering, services
from reports.templatetags.report_tags import money_places
from tests.factories import CommissioningLineFactory, FundingStreamFactory, ReportFactory

JUNE_2017 = datetime.date(2017, 6, 1)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _report_text(partnership, amount: str, contributions: list[str]) -> str:
    stream = FundingStreamFactory(
        partnership=partnership, source="PCC grant", amount=Decimal(amount)
    )
    for contribution in contributions:
        CommissioningLineFactory(
            partnership=partnership, funding_stream=stream, contribution=Decimal(contribution)
        )
    report = ReportFactory(partnership=partnership, period=JUNE_2017)
    return _text(rendering.render_document(services.report_snapshot(report)))


@pytest.mark.django_db
def test_money_with_pence_is_printed_with_pence_everywhere(partnership_a):
    text = _report_text(partnership_a, "120000", ["60000.00", "45500.50"])

    assert (
        "Funding totals £120,000.00 from 1 source: £105,500.50 is allocated to commissioning "
        "lines and £14,499.50 is not yet allocated."
    ) in text
    assert "PCC grant 120,000.00 105,500.50 14,499.50" in text  # the funding table
    assert "60,000.00" in text and "45,500.50" in text  # the appendix's lines
    assert "105,501" not in text and "45,501" not in text


@pytest.mark.django_db
def test_whole_pounds_stay_whole(partnership_a):
    text = _report_text(partnership_a, "120000", ["60000", "45500"])

    assert (
        "Funding totals £120,000 from 1 source: £105,500 is allocated to commissioning "
        "lines and £14,500 is not yet allocated."
    ) in text
    assert ".00" not in text


@pytest.mark.parametrize(
    ("commissioning", "places"),
    [
        (None, 0),
        ({"total": None, "streams": [], "lines": []}, 0),
        ({"total": {"amount": "120000", "confirmed": "105500", "unallocated": "14500"}}, 0),
        ({"total": {"amount": "120000", "confirmed": "105500.5", "unallocated": "14499.5"}}, 2),
        ({"streams": [{"amount": "10.01", "allocated": "0", "unallocated": "10.01"}]}, 2),
        ({"lines": [{"contribution": None, "total": "501753.25"}]}, 2),  # a line's budget
        ({"lines": [{"contribution": None, "total": None}]}, 0),
        ({"total": {"amount": "-0.50", "confirmed": "0", "unallocated": "-0.50"}}, 2),
    ],
)
def test_pence_anywhere_give_pence_everywhere(commissioning, places):
    assert money_places(commissioning) == places


@pytest.mark.django_db
def test_over_allocation_is_named_not_netted_against_other_streams(partnership_a):
    over = FundingStreamFactory(
        partnership=partnership_a, source="PCC grant", amount=Decimal("192067.50")
    )
    FundingStreamFactory(partnership=partnership_a, source="Council", amount=Decimal("75000"))
    CommissioningLineFactory(
        partnership=partnership_a, funding_stream=over, contribution=Decimal("300000")
    )
    report = ReportFactory(partnership=partnership_a, period=JUNE_2017)

    text = _text(rendering.render_document(services.report_snapshot(report)))

    assert (
        "Funding totals £267,067.50 from 2 sources: £300,000.00 is allocated to commissioning "
        "lines and £75,000.00 is not yet allocated. £107,932.50 is over-allocated on PCC "
        "grant: more is allocated to lines than that stream holds."
    ) in text
    assert "£-" not in text


@pytest.mark.django_db
def test_the_section_writes_all_its_money_alike_with_a_true_minus(partnership_a):
    """Review finding: the warning wrote "(£433,500) exceed its £400,568 by £32,932" beside
    "£433,500.00 ... £32,932.00 is over-allocated", and the funding table "-32,932.00"."""
    over = FundingStreamFactory(
        partnership=partnership_a, source="PCC grant", amount=Decimal("400568")
    )
    FundingStreamFactory(partnership=partnership_a, source="Council", amount=Decimal("75000.50"))
    CommissioningLineFactory(
        partnership=partnership_a, funding_stream=over, contribution=Decimal("433500")
    )
    report = ReportFactory(partnership=partnership_a, period=JUNE_2017)

    text = _text(rendering.render_document(services.report_snapshot(report)))

    assert "£32,932.00 is over-allocated on PCC grant" in text
    assert (
        "Confirmed contributions from PCC grant (£433,500.00) exceed its £400,568.00 by £32,932.00."
    ) in text
    assert "PCC grant 400,568.00 433,500.00 \u221232,932.00" in text  # the funding table
    assert "-32,932" not in text and "£32,932 " not in text
