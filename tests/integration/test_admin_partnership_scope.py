"""A staff user who is not an administrator lists, opens, changes and deletes in the admin
only the rows of the partnerships they edit: another partnership's people, meetings, plans
and figures are as if they did not exist."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth.models import Permission
from django.urls import reverse

from commissioning.models import CommissioningLine
from csp_portal.core.admin import InAdministeredPartnerships
from csp_portal.core.models import Membership, Partnership, ThemeGroup
from tests.factories import (
    IndicatorFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ThemeGroupFactory,
    UserFactory,
)
from tests.integration.test_admin_action_leads import _action_of
from tests.integration.test_admin_history import _admin_url

pytestmark = pytest.mark.django_db

# The project's apps, and the models of theirs whose rows belong to no one partnership.
PROJECT_APPS = {"core", "actions", "commissioning", "indicators", "opendata", "reports"}
NATIONAL = {"organisation"}


@pytest.fixture
def staff_editor_a(partnership_a):
    """A staff user, officer of partnership A, with every permission of the admin's
    partnership rows."""
    user = UserFactory(username="staff-a", is_staff=True)
    MembershipFactory(user=user, partnership=partnership_a, role="officer")
    codenames = Permission.objects.filter(
        content_type__app_label__in=["core", "actions", "indicators", "commissioning", "opendata"]
    )
    user.user_permissions.add(*codenames)
    return user


@pytest.fixture
def rows(partnership_a, partnership_b):
    """Two people, two meetings, two actions and two indicators: one of each partnership's."""
    found = {}
    for partnership in (partnership_a, partnership_b):
        letter = partnership.name[-1]
        found[letter] = {
            "membership": MembershipFactory(
                partnership=partnership,
                user=UserFactory(username=f"member-{letter}", first_name=f"Member{letter}"),
            ),
            "meeting": MeetingFactory(partnership=partnership, title=f"Meeting of {letter}"),
            "action": _action_of(partnership),
            "indicator": IndicatorFactory(partnership=partnership, title=f"Indicator {letter}"),
        }
    return found


def test_a_staff_editor_lists_only_their_partnerships_people_and_meetings(
    client, staff_editor_a, rows
):
    """Review finding: the lists of members and meetings named every partnership's."""
    client.force_login(staff_editor_a)

    members = client.get(reverse("admin:core_membership_changelist")).content.decode()
    meetings = client.get(reverse("admin:core_meeting_changelist")).content.decode()

    assert "member-A" in members and "member-B" not in members
    assert "Meeting of A" in meetings and "Meeting of B" not in meetings


@pytest.mark.parametrize("name", ["membership", "meeting", "action", "indicator"])
def test_a_staff_editor_cannot_open_another_partnerships_rows(client, staff_editor_a, rows, name):
    """Review finding: /admin/core/membership/<B's>/change/ opened for a staff user of A."""
    client.force_login(staff_editor_a)
    own, other = rows["A"][name], rows["B"][name]

    assert client.get(_admin_url(own)).status_code == 200
    for view in ("change", "history", "delete"):
        response = client.get(_admin_url(other, view))
        # Django's answer for a row that does not exist: back to the admin's index.
        assert response.status_code == 302, view
        assert response.url == reverse("admin:index")
    assert client.post(_admin_url(other, "delete"), {"post": "yes"}).status_code == 302
    assert type(other).objects.filter(pk=other.pk).exists()


def test_a_staff_editor_adds_members_to_their_own_partnership_only(
    client, staff_editor_a, rows, partnership_a, partnership_b
):
    # People the staff user may choose: panel members of another partnership they edit.
    partnership_c = PartnershipFactory(name="Partnership C", slug="partnership-c")
    MembershipFactory(user=staff_editor_a, partnership=partnership_c, role="officer")
    client.force_login(staff_editor_a)
    organisation = OrganisationFactory()
    url = reverse("admin:core_membership_add")

    def added(username, partnership):
        user = UserFactory(username=username)
        MembershipFactory(user=user, partnership=partnership_c, role="panel_member")
        form = {"partnership": partnership.pk, "organisation": organisation.pk}
        return client.post(url, {**form, "user": user.pk, "role": "officer"})

    refused = added("newcomer-b", partnership_b)
    accepted = added("newcomer-a", partnership_a)

    assert refused.status_code == 200  # the form again, with its error
    assert "Select a valid choice" in refused.content.decode()
    assert accepted.status_code == 302
    added_to = Membership.objects.filter(user__username__startswith="newcomer")
    assert list(
        added_to.exclude(partnership=partnership_c).values_list("partnership", flat=True)
    ) == [partnership_a.pk]


def test_an_administrator_sees_every_partnerships_rows(client, admin_user, rows):
    client.force_login(admin_user)

    members = client.get(reverse("admin:core_membership_changelist")).content.decode()

    assert "member-A" in members and "member-B" in members
    assert client.get(_admin_url(rows["B"]["membership"])).status_code == 200


def test_every_admin_of_a_partnerships_rows_keeps_to_the_users_partnerships():
    """Each admin but those of national rows names how its rows reach their partnership."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS or model._meta.model_name in NATIONAL:
            continue
        assert isinstance(model_admin, InAdministeredPartnerships), model
        path = model_admin.partnership_path
        last = model if path == "pk" else None
        for name in [] if path == "pk" else path.split("__"):
            last = (last or model)._meta.get_field(name).related_model
        assert last is Partnership, model


# Every admin that keeps to the user's partnerships.
PARTNERSHIP_ADMINS = sorted(
    (
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, InAdministeredPartnerships)
    ),
    key=str,
)


def _changelist(client, model_admin, query: dict | None = None) -> str:
    opts = model_admin.opts
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client.get(url, query or {})
    assert response.status_code == 200, model_admin
    return response.content.decode()


def _filtered_by(model_admin, partnership, group) -> dict:
    """A query setting each of the list's filters by a related row to this partnership, or
    to this theme group of it."""
    rows = {Partnership: partnership, ThemeGroup: group}
    query = {}
    for item in model_admin.list_filter:
        if not isinstance(item, str | tuple):
            continue  # a filter of its own (the financial year): no related row
        path = item if isinstance(item, str) else item[0]
        related = get_fields_from_path(model_admin.model, path)[-1].related_model
        if related in rows:
            query[f"{path}__id__exact"] = rows[related].pk
    if "theme_group__id__exact" in query:
        # A theme group filter lists the groups of the partnership filtered by.
        query.setdefault("partnership__id__exact", partnership.pk)
    return query


@pytest.fixture
def groups(partnership_a, partnership_b):
    return {
        letter: ThemeGroupFactory(partnership=partnership, name=f"Theme of {letter}")
        for letter, partnership in (("A", partnership_a), ("B", partnership_b))
    }


@pytest.mark.parametrize("model_admin", PARTNERSHIP_ADMINS, ids=str)
def test_a_staff_editors_list_filters_never_name_another_partnership(
    client, staff_editor_a, partnership_a, partnership_b, groups, model_admin
):
    """Review finding: the filters beside a staff user's lists offered every partnership by
    name, and a line's theme group filter, asked for another partnership's, its groups."""
    client.force_login(staff_editor_a)

    for query in (
        {},
        _filtered_by(model_admin, partnership_a, groups["A"]),
        _filtered_by(model_admin, partnership_b, groups["B"]),  # typed in by hand
    ):
        page = _changelist(client, model_admin, query)
        assert "Partnership B" not in page, query
        assert "Theme of B" not in page, query


def test_a_staff_editor_of_two_partnerships_filters_by_each(
    client, staff_editor_a, partnership_a, partnership_b, groups
):
    other = PartnershipFactory(name="Partnership C", slug="partnership-c")
    MembershipFactory(user=staff_editor_a, partnership=other, role="officer")
    ThemeGroupFactory(partnership=other, name="Theme of C")
    client.force_login(staff_editor_a)
    theme_groups = admin.site._registry[ThemeGroup]
    lines = admin.site._registry[CommissioningLine]

    everyone = _changelist(client, theme_groups)
    own = _changelist(client, theme_groups, {"partnership__id__exact": partnership_a.pk})
    lines_of_a = _changelist(client, lines, {"partnership__id__exact": partnership_a.pk})

    assert f"?partnership__id__exact={other.pk}" in everyone
    assert "Partnership A" in everyone and "Partnership B" not in everyone
    assert "Theme of A" in own and "Theme of C" not in own
    assert f"theme_group__id__exact={groups['A'].pk}" in lines_of_a


def test_an_administrators_list_filters_name_every_partnership(client, admin_user, groups):
    client.force_login(admin_user)
    lines = admin.site._registry[CommissioningLine]

    page = _changelist(client, lines, {"partnership__id__exact": groups["B"].partnership_id})

    assert "Partnership A" in page and "Partnership B" in page
    assert "Theme of B" in page
