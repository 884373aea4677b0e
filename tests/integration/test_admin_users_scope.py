"""A staff user who is not an administrator sees in the admin's users only themselves and
their partnerships' members, never an administrator; changes only themselves and people of
no other partnership; never sets anyone's staff or superuser status, groups or
permissions; and adds people to their own partnerships only."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from csp_portal.core.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.integration.test_admin_rules import NO_INLINES, _partnership_form, _user_form

pytestmark = pytest.mark.django_db

USER_PERMISSIONS = ["view_user", "add_user", "change_user", "delete_user"]
STAFF_PERMISSIONS = ["view_organisation", "view_membership"]


def _staff_of(partnership, username: str, *codenames: str) -> User:
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, partnership=partnership, role="officer")
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def staff_a(partnership_a):
    """The finding's officer of partnership A: staff, who may view and change users."""
    return _staff_of(partnership_a, "staff-a", *USER_PERMISSIONS, *STAFF_PERMISSIONS)


@pytest.fixture
def people(partnership_a, partnership_b, admin_user):
    """Alice of A, Abby of A and B, Bob of B, Peer (staff) of A, Loner of none, and the
    administrator, a member of A too."""
    found = {"admin": admin_user, "loner": UserFactory(username="loner")}
    for name, partnerships in (("alice", "a"), ("abby", "ab"), ("bob", "b")):
        found[name] = UserFactory(username=name)
        for letter in partnerships:
            partnership = partnership_a if letter == "a" else partnership_b
            MembershipFactory(user=found[name], partnership=partnership)
    found["peer"] = _staff_of(partnership_a, "peer")
    MembershipFactory(user=admin_user, partnership=partnership_a)
    return found


def _url(view: str, user: User) -> str:
    name = "password_change" if view == "password" else view
    return reverse(f"admin:auth_user_{name}", args=[user.pk])


def _looked_up_users(client) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "core", "model_name": "membership", "field_name": "user", "term": ""},
    )
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


def test_a_staff_user_cannot_make_themselves_an_administrator(client, staff_a, people):
    """Review finding: an officer given "change user" ticked Superuser status on their own
    page and then read and changed every partnership."""
    group = Group.objects.create(name="Everything")
    group.permissions.add(*Permission.objects.all())
    everything = list(Permission.objects.values_list("pk", flat=True))
    crafted = {
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [group.pk],
        "user_permissions": everything,
    }
    client.force_login(staff_a)

    page = client.get(_url("change", staff_a)).content.decode()
    own = client.post(_url("change", staff_a), _user_form(staff_a, **crafted))
    alice = client.post(_url("change", people["alice"]), _user_form(people["alice"], **crafted))

    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert own.status_code == alice.status_code == 302  # saved, without those
    staff_a.refresh_from_db()
    people["alice"].refresh_from_db()
    assert not staff_a.is_superuser and not staff_a.groups.exists()
    assert staff_a.user_permissions.count() == len(USER_PERMISSIONS + STAFF_PERMISSIONS)
    assert not people["alice"].is_staff and not people["alice"].is_superuser


def test_a_staff_user_lists_and_looks_up_only_their_partnerships_people(client, staff_a, people):
    """Review finding: the list of users, and the box choosing a member's person, named
    every partnership's people and the administrator."""
    client.force_login(staff_a)

    listed = client.get(reverse("admin:auth_user_changelist")).content.decode()
    looked_up = _looked_up_users(client)

    for name in ("alice", "abby", "peer"):
        assert _url("change", people[name]) in listed, name
    for name in ("bob", "loner", "admin"):
        assert _url("change", people[name]) not in listed, name
    assert looked_up == ["abby", "alice", "peer", "staff-a"]


@pytest.mark.parametrize("name", ["bob", "loner", "admin"])
def test_a_staff_user_cannot_open_anyone_else(client, staff_a, people, name):
    client.force_login(staff_a)
    other = people[name]

    for view in ("change", "history", "delete"):
        response = client.get(_url(view, other))
        # Django's answer for a row that does not exist: back to the admin's index.
        assert response.status_code == 302, view
        assert response.url == reverse("admin:index")
    assert client.get(_url("password", other)).status_code == 404
    assert client.post(_url("password", other), {"usable_password": "false"}).status_code == 404
    assert client.post(_url("change", other), _user_form(other, email="x@example.org")).url == (
        reverse("admin:index")
    )
    other.refresh_from_db()
    assert other.email != "x@example.org"


@pytest.mark.parametrize("name", ["abby", "peer"])
def test_a_staff_user_only_reads_a_member_of_another_partnership_or_another_staff_user(
    client, staff_a, people, name
):
    """A password set for them would sign the staff user in to another partnership, or
    with another's permissions."""
    client.force_login(staff_a)
    other = people[name]
    password = {"usable_password": "true", "password1": "Taken-over-1", "password2": "Taken-over-1"}

    page = client.get(_url("change", other))
    changed = client.post(_url("change", other), _user_form(other, email="x@example.org"))
    password_set = client.post(_url("password", other), password)
    deleted = client.post(_url("delete", other), {"post": "yes"})
    selected = {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    client.post(reverse("admin:auth_user_changelist"), selected)

    assert page.status_code == 200 and 'name="email"' not in page.content.decode()
    assert changed.status_code == password_set.status_code == deleted.status_code == 403
    other.refresh_from_db()
    assert other.email != "x@example.org" and not other.check_password("Taken-over-1")
    assert User.objects.filter(pk=other.pk).exists()


def test_a_staff_user_changes_their_own_partnerships_people(client, staff_a, people):
    client.force_login(staff_a)
    alice = people["alice"]
    password = {
        "usable_password": "true",
        "password1": "Brand-new-9876",
        "password2": "Brand-new-9876",
    }

    changed = client.post(_url("change", alice), _user_form(alice, email="alice@example.net"))
    password_set = client.post(_url("password", alice), password)

    assert changed.status_code == password_set.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@example.net" and alice.check_password("Brand-new-9876")


def _added(client, partnership, username: str = "newcomer"):
    return client.post(
        reverse("admin:auth_user_add"),
        {
            "username": username,
            "email": f"{username}@example.org",
            "first_name": "Nia",
            "last_name": "Newcomer",
            "usable_password": "false",
            "password1": "",
            "password2": "",
            "partnership": partnership.pk,
            "organisation": OrganisationFactory(name="Police").pk,
            "role": "officer",
            "job_title": "Analyst",
        },
    )


def test_a_staff_user_invites_someone_to_their_own_partnership(
    client, staff_a, people, partnership_a, partnership_b
):
    """The person added joins the partnership chosen, so the staff user goes on to their
    page and finds them in the boxes; the link to choose a password does the rest."""
    client.force_login(staff_a)

    page = client.get(reverse("admin:auth_user_add")).content.decode()
    refused = _added(client, partnership_b)
    added = _added(client, partnership_a)

    assert "Partnership A" in page and "Partnership B" not in page
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert added.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert client.get(added.url).status_code == 200  # their page
    assert not newcomer.has_usable_password()
    membership = Membership.objects.get(user=newcomer)
    assert (membership.partnership, membership.role, membership.job_title) == (
        partnership_a,
        "officer",
        "Analyst",
    )
    assert "newcomer" in _looked_up_users(client)
    history = client.get(reverse("admin:core_membership_history", args=[membership.pk]))
    assert history.status_code == 200 and "Added." in history.content.decode()


def test_a_staff_user_of_no_partnership_adds_no_one(client, staff_only):
    staff_only.user_permissions.add(*Permission.objects.filter(codename__in=USER_PERMISSIONS))
    client.force_login(staff_only)

    assert client.get(reverse("admin:auth_user_add")).status_code == 403
    assert _looked_up_users(client) == ["staff-only"]


def test_a_staff_users_membership_boxes_refuse_people_they_are_not_shown(
    client, staff_a, people, partnership_a
):
    staff_a.user_permissions.add(*Permission.objects.filter(content_type__app_label="core"))
    client.force_login(staff_a)
    organisation = OrganisationFactory()
    form = {"partnership": partnership_a.pk, "organisation": organisation.pk, "role": "officer"}

    refused = client.post(reverse("admin:core_membership_add"), {**form, "user": people["bob"].pk})
    # The partnership's page still saves with the administrator among its members.
    membership = Membership.objects.get(user=people["admin"])
    rows = {
        **NO_INLINES,
        "memberships-TOTAL_FORMS": 1,
        "memberships-INITIAL_FORMS": 1,
        "memberships-0-id": membership.pk,
        "memberships-0-partnership": partnership_a.pk,
        "memberships-0-organisation": membership.organisation_id,
        "memberships-0-role": "chair",
        "memberships-0-job_title": "",
    }
    saved = client.post(
        reverse("admin:core_partnership_change", args=[partnership_a.pk]),
        _partnership_form(partnership_a, **rows),
    )

    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not Membership.objects.filter(user=people["bob"], partnership=partnership_a).exists()
    assert saved.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "chair"


def test_an_administrator_sees_and_changes_everyone(client, admin_user, people):
    client.force_login(admin_user)

    listed = client.get(reverse("admin:auth_user_changelist")).content.decode()
    page = client.get(_url("change", people["abby"])).content.decode()
    add_page = client.get(reverse("admin:auth_user_add")).content.decode()

    assert all(_url("change", person) in listed for person in people.values())
    assert 'name="is_superuser"' in page and 'name="user_permissions"' in page
    assert 'name="partnership"' not in add_page
