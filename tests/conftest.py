"""Shared fixtures: two partnerships and a user of each kind.

Model imports stay inside the fixtures so the pure unit tests can run without Django.
"""

import pytest


def _factories():
    from tests import factories

    return factories


@pytest.fixture
def partnership_a(db):
    return _factories().PartnershipFactory(name="Partnership A", slug="partnership-a")


@pytest.fixture
def partnership_b(db):
    return _factories().PartnershipFactory(name="Partnership B", slug="partnership-b")


@pytest.fixture
def admin_user(db):
    return _factories().UserFactory(username="admin-user", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_only(db):
    """Ticked "Staff status" only: into the admin, with no permissions there, and a
    member of no partnership."""
    return _factories().UserFactory(username="staff-only", is_staff=True)


@pytest.fixture
def officer_a(partnership_a):
    f = _factories()
    return f.MembershipFactory(
        user=f.UserFactory(username="officer-a"),
        partnership=partnership_a,
        role="officer",
    ).user


@pytest.fixture
def panel_a(partnership_a):
    f = _factories()
    return f.MembershipFactory(
        user=f.UserFactory(username="panel-a"),
        partnership=partnership_a,
        role="panel_member",
    ).user


@pytest.fixture
def officer_b(partnership_b):
    f = _factories()
    return f.MembershipFactory(
        user=f.UserFactory(username="officer-b"),
        partnership=partnership_b,
        role="officer",
    ).user


@pytest.fixture
def outsider(db):
    return _factories().UserFactory(username="outsider")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (keys are versioned; this is hygiene)."""
    yield
    from django.core.cache import cache

    from reports.views import STORED_DOCUMENTS

    cache.clear()
    STORED_DOCUMENTS.clear()
