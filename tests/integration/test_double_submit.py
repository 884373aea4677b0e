"""A "new" form submitted twice at once (a double click): the second is refused with the
message a taken title, number or reference always gets, never an error page.

Two sessions racing are staged on one connection by letting the other's row land just
after this save's own check; the threaded test at the end races two real sessions on
PostgreSQL, where the second's insert meets the unique constraint.
"""

import datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from actions import services
from actions.models import (
    Action,
    ActionPlan,
    ActionsChange,
    CrossThemeIssue,
    Objective,
    Recommendation,
    Risk,
)
from commissioning.models import CommissioningChange, CommissioningLine, FundingStream
from tests.factories import FundingStreamFactory
from tests.factories.actions import ActionPlanFactory, ObjectiveFactory


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


@pytest.fixture
def plan(partnership_a):
    return ActionPlanFactory(partnership=partnership_a, title="Safer streets", financial_year=2016)


def _other_session_first(monkeypatch, make_other):
    """Another session saves the same row just after this save checked it was free."""
    check = services._refuse_taken
    made = []

    def check_then_other_saves(taken, row):
        check(taken, row)
        if taken is not None and not made:
            made.append(make_other())

    monkeypatch.setattr(services, "_refuse_taken", check_then_other_saves)


def _actions_cases(partnership, plan):
    objective = ObjectiveFactory(plan=plan, number=1)
    slug = partnership.slug
    return {
        "plan": (
            reverse("actions:plan_create", args=[slug]),
            {"title": "Night time economy", "financial_year": "2016/17"},
            lambda: ActionPlan.objects.create(
                partnership=partnership, title="Night time economy", financial_year=2016
            ),
            "Partnership A already has a plan called 'Night time economy'.",
        ),
        "objective": (
            reverse("actions:objective_create", args=[slug, plan.pk]),
            {"number": "2", "title": "Reduce reoffending"},
            lambda: Objective.objects.create(plan=plan, number=2, title="Other"),
            "This plan already has an objective 2: choose another number.",
        ),
        "action": (
            reverse("actions:action_create", args=[slug, plan.pk]),
            {"objective": objective.pk, "reference": "1.1", "description": "Patrols"},
            lambda: Action.objects.create(
                plan=plan, objective=objective, reference="1.1", description="Other"
            ),
            "This plan already has an action 1.1: choose another reference.",
        ),
        "risk": (
            reverse("actions:risk_create", args=[slug]),
            {
                "reference": "R1",
                "description": "d",
                "likelihood": "3",
                "impact": "3",
                "status": "open",
            },
            lambda: Risk.objects.create(
                partnership=partnership, reference="R1", description="o", likelihood=1, impact=1
            ),
            "Risk R1 already exists in this partnership: choose another reference.",
        ),
        "issue": (
            reverse("actions:issue_create", args=[slug]),
            {"title": "Street drinking", "issue": "i", "status": "open"},
            lambda: CrossThemeIssue.objects.create(
                partnership=partnership, title="Street drinking", issue="o"
            ),
            "Partnership A already has a cross-theme issue called 'Street drinking': "
            "choose another title.",
        ),
        "recommendation": (
            reverse("actions:recommendation_create", args=[slug]),
            {
                "meeting_date": "2016-11-01",
                "reference": "SP-1",
                "recommendation": "r",
                "assigned_to": "x",
                "status": "awaiting_response",
            },
            lambda: Recommendation.objects.create(
                partnership=partnership,
                reference="SP-1",
                meeting_date=datetime.date(2016, 11, 1),
                recommendation="o",
                assigned_to="y",
            ),
            "Recommendation SP-1 already exists in this partnership: choose another reference.",
        ),
    }


@pytest.mark.parametrize("case", ["plan", "objective", "action", "risk", "issue", "recommendation"])
def test_new_row_saved_twice_at_once_gets_the_taken_message(
    monkeypatch, signed_in, partnership_a, plan, case
):
    url, data, make_other, message = _actions_cases(partnership_a, plan)[case]
    _other_session_first(monkeypatch, make_other)

    response = signed_in.post(url, data)

    assert response.status_code == 200
    errors = [str(e) for field in response.context["form"].errors.values() for e in field]
    assert errors == [message]
    # Nothing of this save is written (staged on one connection, the other's row rolls
    # back with it; the threaded test below keeps it).
    assert not ActionsChange.objects.exists()


def test_second_recommendation_with_a_reference_gets_a_plain_message(signed_in, partnership_a):
    url = reverse("actions:recommendation_create", args=[partnership_a.slug])
    data = {
        "meeting_date": "2016-11-01",
        "reference": "SP-1",
        "recommendation": "r",
        "assigned_to": "x",
        "status": "awaiting_response",
    }
    assert signed_in.post(url, data).status_code == 302

    response = signed_in.post(url, data)

    assert response.context["form"].errors == {
        "reference": [
            "Recommendation SP-1 already exists in this partnership: choose another reference."
        ]
    }


def _full_clean_then(monkeypatch, model, make_other):
    """Another session saves the same row just after this one was checked (full_clean)."""
    full_clean = model.full_clean

    def check_then_other_saves(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        if self.pk is None:
            make_other()

    monkeypatch.setattr(model, "full_clean", check_then_other_saves)


def test_new_funding_stream_saved_twice_at_once_gets_the_taken_message(
    monkeypatch, signed_in, partnership_a
):
    _full_clean_then(
        monkeypatch,
        FundingStream,
        lambda: FundingStreamFactory(partnership=partnership_a, source="PCC grant"),
    )
    url = reverse("commissioning:stream_add", args=[partnership_a.slug, 2017])

    response = signed_in.post(url, {"source": "PCC grant", "amount": "1000"})

    assert response.status_code == 200
    assert (
        "2017/18 already has the funding stream &#x27;PCC grant&#x27;: change that stream, or "
        "choose another source."
    ) in response.content.decode()
    assert not CommissioningChange.objects.exists()  # the other's stream rolls back with it


def test_new_line_saved_twice_at_once_gets_the_taken_message(monkeypatch, signed_in, partnership_a):
    stream = FundingStreamFactory(partnership=partnership_a, source="PCC grant")
    _full_clean_then(
        monkeypatch,
        CommissioningLine,
        lambda: CommissioningLine.objects.create(
            partnership=partnership_a,
            financial_year=2017,
            reference="CI 09",
            area_of_need="o",
            contribution_status="tbc",
        ),
    )
    url = reverse("commissioning:line_add", args=[partnership_a.slug, 2017])
    data = {
        "reference": "CI 09",
        "area_of_need": "Hate crime awareness",
        "funding_stream": stream.pk,
        "contribution_status": "amount",
        "contribution": "12500",
        "total_budget": "20000",
        "status": "approved",
    }

    response = signed_in.post(url, data)

    assert response.status_code == 200
    assert "Line CI 09 already exists in 2017/18: choose another reference." in (
        response.content.decode()
    )
    assert not CommissioningChange.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite lets one session write at a time, so two inserts "
    "cannot interleave",
)
@pytest.mark.django_db(transaction=True)
def test_two_sessions_starting_the_same_plan_the_second_is_told(partnership_a, officer_a):
    from tests.integration.test_concurrency import Session, wait_until_blocked

    client = Client()
    client.force_login(officer_a)
    url = reverse("actions:plan_create", args=[partnership_a.slug])
    second = Session(client, url, {"title": "Safer streets", "financial_year": "2016/17"})

    with transaction.atomic():
        ActionPlan.objects.create(
            partnership=partnership_a, title="Safer streets", financial_year=2016
        )
        second.start()
        wait_until_blocked(second)  # its insert waits on this one's uncommitted row

    response = second.result()
    assert response.status_code == 200
    assert "Partnership A already has a plan called 'Safer streets'." in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert ActionPlan.objects.count() == 1
