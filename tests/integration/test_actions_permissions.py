"""Every actions URL, tried by every kind of user, GET and POST; nothing written where refused.

Panel members read none of this live: they see it in published reports (404 here).
"""

import pytest
from django.urls import reverse

from actions.models import Action, ActionUpdate, CrossThemeIssue, Recommendation, Risk
from tests.factories.actions import (
    ActionFactory,
    ActionPlanFactory,
    CrossThemeIssueFactory,
    ObjectiveFactory,
    RecommendationFactory,
    RiskFactory,
)

LIVE, EDIT = "live", "edit"
USERS = {
    "admin_user": {LIVE, EDIT},
    "officer_a": {LIVE, EDIT},
    "panel_a": set(),
    "officer_b": set(),
    "outsider": set(),
}


@pytest.fixture
def world(partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a, title="Secret plan")
    action = ActionFactory(objective=ObjectiveFactory(plan=plan), description="Secret action")
    return {
        "plan": plan,
        "action": action,
        "risk": RiskFactory(partnership=partnership_a, description="Secret risk"),
        "issue": CrossThemeIssueFactory(partnership=partnership_a, title="Secret issue"),
        "recommendation": RecommendationFactory(
            partnership=partnership_a, recommendation="Secret recommendation"
        ),
    }


# (name, args builder, access for GET, access for POST or None when GET only, status)
VIEWS = [
    ("actions:plans", lambda p, w: [p.slug], LIVE, EDIT, 200),
    ("actions:plan", lambda p, w: [p.slug, w["plan"].pk], LIVE, EDIT, 200),
    ("actions:action", lambda p, w: [p.slug, w["action"].pk], LIVE, EDIT, 200),
    ("actions:action_create", lambda p, w: [p.slug, w["plan"].pk], EDIT, EDIT, 200),
    ("actions:action_edit", lambda p, w: [p.slug, w["action"].pk], EDIT, EDIT, 200),
    ("actions:risks", lambda p, w: [p.slug], LIVE, None, 200),
    ("actions:risk_matrix", lambda p, w: [p.slug], LIVE, None, 200),
    ("actions:risk_create", lambda p, w: [p.slug], EDIT, EDIT, 200),
    ("actions:risk_edit", lambda p, w: [p.slug, w["risk"].pk], EDIT, EDIT, 200),
    ("actions:issues", lambda p, w: [p.slug], LIVE, None, 200),
    ("actions:issue_create", lambda p, w: [p.slug], EDIT, EDIT, 200),
    ("actions:issue_edit", lambda p, w: [p.slug, w["issue"].pk], EDIT, EDIT, 200),
    ("actions:recommendations", lambda p, w: [p.slug], LIVE, None, 200),
    ("actions:follow_up", lambda p, w: [p.slug], LIVE, None, 200),
    ("actions:recommendation_create", lambda p, w: [p.slug], EDIT, EDIT, 200),
    (
        "actions:recommendation_edit",
        lambda p, w: [p.slug, w["recommendation"].pk],
        EDIT,
        EDIT,
        200,
    ),
]
IDS = [v[0] for v in VIEWS]
SECRETS = [b"Secret plan", b"Secret action", b"Secret risk", b"Secret issue", b"Secret rec"]


def _post_data(world) -> dict:
    action = world["action"]
    return {
        "action": action.pk,
        f"a{action.pk}-status": "green",
        f"a{action.pk}-text": "Written by someone",
        "objective": action.objective_id,
        "reference": "9.9",
        "description": "Written by someone",
        "likelihood": "3",
        "impact": "3",
        "status": "open",
        "title": "Written by someone",
        "issue": "Written by someone",
        "meeting_date": "2016-12-01",
        "recommendation": "Written by someone",
        "assigned_to": "Someone",
    }


def _snapshot():
    return (
        list(Action.objects.values_list("pk", "reference", "description", "status", "version")),
        ActionUpdate.objects.count(),
        list(Risk.objects.values_list("pk", "description", "version")),
        list(CrossThemeIssue.objects.values_list("pk", "title", "version")),
        list(Recommendation.objects.values_list("pk", "recommendation", "version")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", list(USERS))
@pytest.mark.parametrize("name, build, get_access, post_access, ok", VIEWS, ids=IDS)
def test_actions_get_matrix(
    client, request, partnership_a, world, user_fixture, name, build, get_access, post_access, ok
):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse(name, args=build(partnership_a, world)))
    if get_access in USERS[user_fixture]:
        assert response.status_code == ok
    else:
        assert response.status_code == 404
        assert not any(secret in response.content for secret in SECRETS)


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", list(USERS))
@pytest.mark.parametrize(
    "name, build, get_access, post_access, ok",
    [v for v in VIEWS if v[3]],
    ids=[v[0] for v in VIEWS if v[3]],
)
def test_actions_post_matrix_nothing_written_where_refused(
    client, request, partnership_a, world, user_fixture, name, build, get_access, post_access, ok
):
    client.force_login(request.getfixturevalue(user_fixture))
    before = _snapshot()
    response = client.post(reverse(name, args=build(partnership_a, world)), _post_data(world))
    if post_access in USERS[user_fixture]:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 404
        assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name, build, get_access, post_access, ok", VIEWS, ids=IDS)
def test_actions_anonymous_sent_to_sign_in(
    client, partnership_a, world, method, name, build, get_access, post_access, ok
):
    before = _snapshot()
    response = getattr(client, method)(reverse(name, args=build(partnership_a, world)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert _snapshot() == before


@pytest.mark.django_db
def test_actions_object_of_another_partnership_not_found(client, officer_b, partnership_a, world):
    """Officer B asks for A's objects under B's own slug."""
    client.force_login(officer_b)
    for name, key in [
        ("actions:plan", "plan"),
        ("actions:action", "action"),
        ("actions:action_edit", "action"),
        ("actions:risk_edit", "risk"),
        ("actions:issue_edit", "issue"),
        ("actions:recommendation_edit", "recommendation"),
    ]:
        url = reverse(name, args=["partnership-b", world[key].pk])
        assert client.get(url).status_code == 404
        before = _snapshot()
        assert client.post(url, _post_data(world)).status_code == 404
        assert _snapshot() == before
