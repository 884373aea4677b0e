"""A date far outside any sensible range (a year typed short, 0016 for 2016, or a
placeholder such as 9999-12-31) is refused with the range it must be in, on the site's
forms and in the imports, as an action's due date is: a commissioning line's contract
dates within 5 years of its year, a risk's review date from 1 January 2000 to 10 years
from today, a recommendation's meeting from 1 January 2000 to today and its due date
within 5 years of the meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Recommendation, Risk
from commissioning.models import CommissioningLine
from indicators import importing
from tests.factories import FundingStreamFactory
from tests.integration.test_actions_transfer import _import, _write
from tests.integration.test_commissioning import HEADER, _line_post, _tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


def _ten_years_on() -> datetime.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + 10)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 10, day=28)


def _words(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


CONTRACT = (
    "The contract {} must be between 1 April 2012 and 31 March 2023, within 5 years of the "
    "line's year 2017/18."
)


def test_a_lines_contract_dates_are_within_five_years_of_its_year(signed_in, partnership_a):
    """Review finding: a contract from 1 January 0001 to 31 December 9999 was kept, and the
    line's page showed "1 January 0001"."""
    stream = FundingStreamFactory(partnership=partnership_a, financial_year=2017)
    url = reverse("commissioning:line_add", args=[partnership_a.slug, 2017])

    response = signed_in.post(url, _line_post(stream, start="01/01/0001", end="31/12/9999"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["start"] == [CONTRACT.format("start")]
    assert errors["end"] == [CONTRACT.format("end")]
    assert not CommissioningLine.objects.exists()
    ok = signed_in.post(url, _line_post(stream, start="01/04/2012", end="31/03/2023"))
    assert ok.status_code == 302


def test_the_commissioning_import_refuses_contract_dates_out_of_range(partnership_a):
    lines = f"""{HEADER}
partnership-a,2017/18,CI 01,Need,,,,,,,0001-01-01,2017-12-31,proposed
partnership-a,2017/18,CI 02,Need,,,,,,,2017-04-01,9999-12-31,proposed
"""
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_tables(_tables(commissioning=lines), by=None)

    assert failed.value.report.errors == [
        f"commissioning.csv row 2: {CONTRACT.format('start')}",
        f"commissioning.csv row 3: {CONTRACT.format('end')}",
    ]
    assert not CommissioningLine.objects.exists()


RISK = {
    "reference": "R1",
    "description": "Night time disorder",
    "likelihood": "3",
    "impact": "3",
    "status": "open",
}


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "far"])
def test_a_risks_review_date_is_from_2000_to_ten_years_on(signed_in, partnership_a, day):
    if day == "far":
        day = (_ten_years_on() + datetime.timedelta(days=1)).isoformat()
    url = reverse("actions:risk_create", args=[partnership_a.slug])

    response = signed_in.post(url, {**RISK, "review_date": day})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "review_date": [
            f"The review date must be between 1 January 2000 and {_words(_ten_years_on())}."
        ]
    }
    assert not Risk.objects.exists()
    ok = signed_in.post(url, {**RISK, "review_date": _ten_years_on().isoformat()})
    assert ok.status_code == 302


def test_the_risks_import_refuses_a_review_date_out_of_range(tmp_path, partnership_a):
    _write(tmp_path, "risks", "partnership-a,R1,,Funding ends,,4,4,,open,0001-01-01")

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)

    assert failed.value.report.errors == [
        "risks.csv row 2: The review date must be between 1 January 2000 and "
        f"{_words(_ten_years_on())}"
    ]


RECOMMENDATION = {
    "meeting_date": "2016-11-01",
    "reference": "SP 1",
    "recommendation": "Report hate crime by ward",
    "assigned_to": "Chair",
    "status": "awaiting_response",
}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"meeting_date": "0001-01-01"},
            "meeting_date",
            "The meeting date must be on or after 1 January 2000.",
        ),
        (
            {"due": "9999-12-31"},
            "due",
            "The due date must be on or before 1 November 2021, 5 years after the meeting "
            "that made it.",
        ),
    ],
)
def test_a_recommendations_dates_are_in_range(signed_in, partnership_a, changes, field, message):
    url = reverse("actions:recommendation_create", args=[partnership_a.slug])

    response = signed_in.post(url, {**RECOMMENDATION, **changes})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert not Recommendation.objects.exists()
    ok = signed_in.post(url, {**RECOMMENDATION, "due": "2021-11-01"})
    assert ok.status_code == 302


def test_the_recommendations_import_refuses_dates_out_of_range(tmp_path, partnership_a):
    _write(
        tmp_path,
        "recommendations",
        "partnership-a,CC-01,0001-01-01,Include the family group position,Chair,,,",
        "partnership-a,CC-02,2016-11-01,Report on hate crime,Chair,,,9999-12-31",
        "partnership-a,CC-03,2016-11-01,Report on hate crime,Chair,,,2016-10-31",
    )

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)

    assert failed.value.report.errors == [
        "recommendations.csv row 2: The meeting date must be on or after 1 January 2000",
        "recommendations.csv row 3: The due date must be on or before 1 November 2021, 5 years "
        "after the meeting that made it",
        "recommendations.csv row 4: The due date must be on or after the date of the meeting "
        "that made it",
    ]
