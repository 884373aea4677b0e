"""The action plan page makes the same number of queries for 10 actions as for 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.action_plans import plan_with_actions

# Measured with 10 actions: session, user, partnership, membership, plan, lead choices,
# counts, actions, their indicators, latest month, and the figures (indicators,
# targets, actuals). The page of every plan has no plan to look up but lists the plans
# and the theme groups to filter by: 14.
MAX_QUERIES = 14


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["actions:plan", "actions:plans"])
def test_plan_page_queries_constant_10_to_200_actions(client, officer_a, partnership_a, view):
    small = plan_with_actions(partnership_a, 10)
    client.force_login(officer_a)
    args = ["partnership-a", small.pk] if view == "actions:plan" else ["partnership-a"]
    counted_small = _count(client, reverse(view, args=args))
    small.delete()
    large = plan_with_actions(partnership_a, 200)
    args = ["partnership-a", large.pk] if view == "actions:plan" else ["partnership-a"]
    counted_large = _count(client, reverse(view, args=args))
    assert counted_small == counted_large
    assert counted_large <= MAX_QUERIES


@pytest.mark.django_db
def test_plan_page_filtered_queries_constant(
    client, officer_a, partnership_a, django_assert_max_num_queries
):
    plan = plan_with_actions(partnership_a, 200)
    client.force_login(officer_a)
    url = reverse("actions:plan", args=["partnership-a", plan.pk])
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url, {"status": "red", "overdue": "on", "lead": "text:Lead 3"})


def _autocomplete_queries(client, model: str, field: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "actions", "model_name": model, "field_name": field, "term": ""},
        )
    assert response.status_code == 200
    return len(response.json()["results"]), len(queries)


@pytest.mark.django_db
def test_the_admins_plan_autocomplete_names_plans_in_a_fixed_number_of_queries(client, admin_user):
    from tests.factories import PartnershipFactory
    from tests.factories.actions import ActionPlanFactory

    client.force_login(admin_user)
    ActionPlanFactory(partnership=PartnershipFactory())
    one = _autocomplete_queries(client, "objective", "plan")
    for _ in range(5):
        ActionPlanFactory(partnership=PartnershipFactory())
    six = _autocomplete_queries(client, "objective", "plan")

    assert (one[0], six[0]) == (1, 6)
    assert one[1] == six[1]
