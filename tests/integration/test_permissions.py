"""The role-by-view matrix: every URL of partnership A, tried by every kind of user."""

import pytest
from django.urls import reverse

from indicators.models import Actual
from tests.factories import ActualFactory, IndicatorFactory, MeetingFactory

PUBLISHED, LIVE, EDIT, STAFF = "published", "live", "edit", "staff"

# (name, kwargs builder, access needed, status when allowed)
VIEWS = [
    ("core:partnership", lambda p, i: [p.slug], PUBLISHED, 200),
    ("indicators:list", lambda p, i: [p.slug], LIVE, 200),
    ("indicators:detail", lambda p, i: [p.slug, i.pk], LIVE, 200),
    ("indicators:dashboard", lambda p, i: [p.slug], LIVE, 200),
    ("indicators:api_comparisons", lambda p, i: [p.slug], LIVE, 200),
    ("indicators:year_grid", lambda p, i: [p.slug, i.pk, 2016], EDIT, 200),
    ("indicators:target_edit", lambda p, i: [p.slug, i.pk, 2016], EDIT, 200),
    ("indicators:month_sheet_latest", lambda p, i: [p.slug], EDIT, 302),
    ("indicators:month_sheet", lambda p, i: [p.slug, "2016-05"], EDIT, 200),
    ("indicators:import", lambda p, i: [p.slug], EDIT, 200),
    ("indicators:export", lambda p, i: [p.slug], LIVE, 200),
    ("indicators:import_all", lambda p, i: [], STAFF, 200),
]

# What each kind of user may do to partnership A.
USERS = {
    "admin_user": {PUBLISHED, LIVE, EDIT, STAFF},
    "officer_a": {PUBLISHED, LIVE, EDIT},
    "panel_a": {PUBLISHED},
    "officer_b": set(),
    "outsider": set(),
}


@pytest.fixture
def indicator_a(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, title="Secret burglary figures")
    ActualFactory(indicator=indicator, period="2016-04-01", value=123)
    MeetingFactory(partnership=partnership_a)
    return indicator


def _url(name, build, partnership, indicator):
    url = reverse(name, args=build(partnership, indicator))
    if name == "indicators:api_comparisons":
        url += "?period=2016-04"
    return url


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", list(USERS))
@pytest.mark.parametrize("name, build, access, ok_status", VIEWS, ids=[v[0] for v in VIEWS])
def test_view_access_matrix(
    client, request, partnership_a, indicator_a, user_fixture, name, build, access, ok_status
):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    response = client.get(_url(name, build, partnership_a, indicator_a))
    if access in USERS[user_fixture]:
        assert response.status_code == ok_status
    else:
        assert response.status_code in (403, 404)
        assert b"Secret burglary figures" not in response.content
        assert b"partnership-a" not in response.content or name == "indicators:import_all"


@pytest.mark.django_db
@pytest.mark.parametrize("name, build, access, ok_status", VIEWS, ids=[v[0] for v in VIEWS])
def test_view_anonymous_is_sent_to_sign_in(
    client, partnership_a, indicator_a, name, build, access, ok_status
):
    response = client.get(_url(name, build, partnership_a, indicator_a))
    if name == "indicators:api_comparisons":
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["officer_b", "panel_a", "outsider"])
def test_month_sheet_post_by_non_editor_changes_nothing(client, request, indicator_a, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    url = reverse("indicators:month_sheet", args=[indicator_a.partnership.slug, "2016-04"])
    response = client.post(url, {f"i{indicator_a.pk}-v": "999", f"i{indicator_a.pk}-ver": "1"})
    assert response.status_code == 404
    assert Actual.objects.get(indicator=indicator_a).value == 123


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["officer_b", "panel_a"])
def test_year_grid_post_by_non_editor_changes_nothing(client, request, indicator_a, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    url = reverse("indicators:year_grid", args=[indicator_a.partnership.slug, indicator_a.pk, 2016])
    response = client.post(url, {"m2016-04-v": "999", "m2016-04-ver": "1"})
    assert response.status_code == 404
    assert Actual.objects.get(indicator=indicator_a).value == 123


@pytest.mark.django_db
def test_home_lists_only_own_partnerships(client, officer_a, partnership_b):
    client.force_login(officer_a)
    response = client.get(reverse("core:home"))
    assert b"Partnership A" in response.content
    assert b"Partnership B" not in response.content


@pytest.mark.django_db
def test_home_for_admin_lists_every_partnership(client, admin_user, partnership_a, partnership_b):
    client.force_login(admin_user)
    response = client.get(reverse("core:home"))
    assert b"Partnership A" in response.content
    assert b"Partnership B" in response.content


@pytest.mark.django_db
def test_inactive_member_sees_nothing(client, officer_a, partnership_a):
    officer_a.is_active = False
    officer_a.save()
    client.force_login(officer_a)
    response = client.get(reverse("core:partnership", args=[partnership_a.slug]))
    assert response.status_code in (302, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["officer_b", "panel_a"])
def test_target_post_by_non_editor_changes_nothing(client, request, indicator_a, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    url = reverse(
        "indicators:target_edit", args=[indicator_a.partnership.slug, indicator_a.pk, 2016]
    )
    response = client.post(url, {"kind": "annual", "value": "5"})
    assert response.status_code == 404
    assert not indicator_a.targets.exists()
