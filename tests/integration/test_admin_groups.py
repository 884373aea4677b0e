"""Groups in the admin are for administrators only. Review finding: a staff user given
"change group" added every permission to a group they belonged to, and so gave them to
themselves."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from tests.integration.test_admin_users_scope import USER_PERMISSIONS, _added, _staff_of

pytestmark = pytest.mark.django_db

GROUP_PERMISSIONS = ["view_group", "add_group", "change_group", "delete_group"]


@pytest.fixture
def editors():
    group = Group.objects.create(name="Editors")
    group.permissions.add(*Permission.objects.filter(codename="view_user"))
    return group


def _everything(group: Group) -> dict:
    every = list(Permission.objects.values_list("pk", flat=True))
    return {"name": group.name, "permissions": every}


def test_a_staff_user_given_group_permissions_cannot_open_groups(client, partnership_a, editors):
    staff = _staff_of(partnership_a, "staff-a", *GROUP_PERMISSIONS)
    staff.groups.add(editors)
    client.force_login(staff)
    change = reverse("admin:auth_group_change", args=[editors.pk])

    pages = [
        client.get(reverse("admin:auth_group_changelist")),
        client.get(reverse("admin:auth_group_add")),
        client.post(reverse("admin:auth_group_add"), _everything(Group(name="Mine"))),
        client.get(change),
        client.post(change, _everything(editors)),
        client.post(reverse("admin:auth_group_delete", args=[editors.pk]), {"post": "yes"}),
    ]
    index = client.get(reverse("admin:index")).content.decode()

    assert [page.status_code for page in pages] == [403] * len(pages)
    assert reverse("admin:auth_group_changelist") not in index
    assert list(editors.permissions.values_list("codename", flat=True)) == ["view_user"]
    assert list(Group.objects.values_list("name", flat=True)) == ["Editors"]
    staff = User.objects.get(pk=staff.pk)  # afresh: permissions are cached on the user
    assert not staff.has_perm("auth.delete_user")


def test_a_staff_user_adds_no_one_to_a_group(client, partnership_a, editors):
    """Neither a person they add, nor (test_admin_users_scope) themselves or another."""
    staff = _staff_of(partnership_a, "staff-a", *USER_PERMISSIONS, "view_organisation")
    client.force_login(staff)

    response = _added(client, partnership_a, groups=[editors.pk])

    assert response.status_code == 302
    assert not User.objects.get(username="newcomer").groups.exists()


def test_an_administrator_manages_groups(client, admin_user, editors):
    client.force_login(admin_user)
    change = reverse("admin:auth_group_change", args=[editors.pk])

    listed = client.get(reverse("admin:auth_group_changelist"))
    changed = client.post(change, _everything(editors))
    added = client.post(reverse("admin:auth_group_add"), {"name": "Readers"})

    assert listed.status_code == 200 and change in listed.content.decode()
    assert changed.status_code == added.status_code == 302
    assert editors.permissions.count() == Permission.objects.count()
    assert Group.objects.filter(name="Readers").exists()


def test_a_staff_user_is_not_shown_the_groups_on_the_user_list(client, partnership_a, editors):
    """Django's "By group" filter names them all: it is an administrator's."""
    staff = _staff_of(partnership_a, "staff-a", *USER_PERMISSIONS)
    staff.groups.add(editors)
    client.force_login(staff)
    users = reverse("admin:auth_user_changelist")

    listed = client.get(users)

    assert listed.status_code == 200
    assert "By group" not in listed.content.decode()
    assert "Editors" not in listed.content.decode()
    # Nor filtered by a group's id typed into the address (who belongs to which).
    for lookup in ("groups__id__exact", "groups", "groups__name"):
        asked = client.get(users, {lookup: editors.pk if lookup != "groups__name" else "Editors"})
        assert asked.status_code == 400, lookup


def test_an_administrator_filters_the_user_list_by_group(client, admin_user, editors):
    client.force_login(admin_user)

    listed = client.get(reverse("admin:auth_user_changelist"))

    assert "By group" in listed.content.decode() and "Editors" in listed.content.decode()
    filtered = client.get(reverse("admin:auth_user_changelist"), {"groups__id__exact": editors.pk})
    assert filtered.status_code == 200
