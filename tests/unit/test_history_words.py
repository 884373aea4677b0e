"""How a history and an import's check run word a field's old and new values."""

import datetime
from decimal import Decimal

import pytest

from actions.models import Risk
from commissioning.models import CommissioningLine, FundingStream
from csp_portal.core.history import changes_described, value_words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "blank"),
        ("", "blank"),
        (True, "yes"),
        (Decimal("1250.5"), "1,250.5"),
        ("Board", "“Board”"),
        (datetime.date(2017, 4, 1), "1 April 2017"),
        (datetime.date(2017, 11, 30), "30 November 2017"),
    ],
)
def test_value_words(value, words):
    assert value_words(value) == words


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (Decimal("1000.00"), Decimal("1250.00"), "Amount from £1,000 to £1,250"),
        (Decimal("1000.00"), Decimal("1250.50"), "Amount from £1,000 to £1,250.50"),
    ],
)
def test_money_is_worded_in_pounds_without_the_labels_pound_sign(old, new, words):
    assert changes_described(FundingStream, {"amount": old}, {"amount": new}) == [words]


def test_a_blank_amount_of_money_is_blank():
    assert changes_described(
        CommissioningLine, {"total_budget": None}, {"total_budget": Decimal(500)}
    ) == ["Total budget from blank to £500"]


def test_choices_by_their_labels_and_dates_as_the_site_writes_them():
    old = {"status": "open", "review_date": None, "likelihood": 3}
    new = {"status": "closed", "review_date": datetime.date(2017, 3, 1), "likelihood": 3}
    assert changes_described(Risk, old, new) == [
        "Status from “Open” to “Closed”",
        "Review date from blank to 1 March 2017",
    ]


def test_labels_name_what_the_model_holds_no_field_for():
    assert changes_described(Risk, {"lead": "Ann"}, {"lead": "Bo"}, labels={"lead": "lead"}) == [
        "Lead from “Ann” to “Bo”"
    ]
