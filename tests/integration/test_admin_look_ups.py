"""The admin's boxes that look up an action's lead or a recommendation's meeting name only
the people and meetings of partnerships the user may administer, and on a row's page only
its partnership's."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import MeetingFactory, MembershipFactory, UserFactory
from tests.factories.actions import RecommendationFactory
from tests.integration.test_admin_action_leads import _action_of
from tests.integration.test_admin_history import _admin_url

pytestmark = pytest.mark.django_db


def _staff_of(partnership, *permissions: str):
    user = UserFactory(username=f"staff-{partnership.slug}", is_staff=True)
    MembershipFactory(user=user, partnership=partnership, role="officer")
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def _looked_up(client, model: str, field: str, **params) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "actions", "model_name": model, "field_name": field, "term": "", **params},
    )
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


@pytest.fixture
def members_and_meetings(partnership_a, partnership_b):
    for partnership, name in ((partnership_a, "Alice"), (partnership_b, "Bob")):
        MembershipFactory(
            partnership=partnership, user=UserFactory(username=name.lower(), first_name=name)
        )
        MeetingFactory(partnership=partnership, title=f"Panel of {partnership.name}")


def test_a_staff_users_look_up_boxes_name_only_their_partnerships_people_and_meetings(
    client, partnership_a, partnership_b, members_and_meetings
):
    """Review finding: the boxes for an action's lead and a recommendation's meeting listed
    every partnership's members and meetings to a staff user who administers one."""
    client.force_login(_staff_of(partnership_a, "view_membership", "view_meeting"))

    leads = _looked_up(client, "action", "lead_member")
    meetings = _looked_up(client, "recommendation", "meeting")

    assert any(lead.startswith("Alice") for lead in leads)
    assert all("Partnership A" in lead for lead in leads)
    assert meetings and all("Partnership A" in meeting for meeting in meetings)
    # A box naming another partnership (in its URL) is shown none of that one's rows.
    assert _looked_up(client, "action", "lead_member", partnership=partnership_b.pk) == []


def test_a_staff_user_of_no_partnership_is_offered_nobody(
    client, partnership_a, members_and_meetings
):
    user = UserFactory(username="staff", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_membership"))
    client.force_login(user)

    assert _looked_up(client, "action", "lead_member") == []


def test_an_actions_page_looks_up_leads_of_its_own_partnership(
    client, admin_user, partnership_a, partnership_b, members_and_meetings
):
    action = _action_of(partnership_a)
    recommendation = RecommendationFactory(partnership=partnership_b)
    client.force_login(admin_user)

    page = client.get(_admin_url(action)).content.decode()
    recommendation_page = client.get(_admin_url(recommendation)).content.decode()
    every = _looked_up(client, "action", "lead_member")
    own = _looked_up(client, "action", "lead_member", partnership=partnership_a.pk)
    meetings = _looked_up(client, "recommendation", "meeting", partnership=partnership_b.pk)

    assert f'data-ajax--url="/admin/autocomplete/?partnership={partnership_a.pk}"' in page
    assert f'data-ajax--url="/admin/autocomplete/?partnership={partnership_b.pk}"' in (
        recommendation_page
    )
    assert any("Partnership B" in lead for lead in every)  # an administrator: all of them
    assert own and all("Partnership A" in lead for lead in own)
    assert meetings and all("Partnership B" in m for m in meetings)


def test_an_action_add_page_looks_up_leads_of_every_partnership_it_may(client, admin_user):
    client.force_login(admin_user)

    page = client.get(reverse("admin:actions_action_add")).content.decode()

    assert 'data-ajax--url="/admin/autocomplete/"' in page
