"""An action's lead is a member of its partnership or a written name, not both: one rule
(Action.clean) for the admin, the action's page, the services and imports."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions import services
from actions.models import Action
from tests.factories import MembershipFactory
from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory
from tests.integration.test_actions import _action_post
from tests.integration.test_admin_history import _admin_url, _untouched

pytestmark = pytest.mark.django_db

NOT_BOTH = "Choose a member or write a lead, not both."


def _action_of(partnership) -> Action:
    return ActionFactory(
        objective=ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership))
    )


def test_admin_refuses_an_action_led_by_a_member_and_a_written_name(
    client, admin_user, partnership_a
):
    """Review finding: the admin saved an action with a lead member and a lead name, which
    the action's page refuses: whose name the plan gave depended on which was read."""
    action = _action_of(partnership_a)
    member = MembershipFactory(partnership=partnership_a)
    client.force_login(admin_user)
    url = _admin_url(action)
    page = client.get(url)

    refused = client.post(url, {**_untouched(page), "lead_member": member.pk})
    action.refresh_from_db()
    kept = (action.lead_member_id, action.lead_text)
    taken = client.post(url, {**_untouched(page), "lead_member": member.pk, "lead_text": ""})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {"lead_text": [NOT_BOTH]}
    assert kept == (None, "Somewhere Police")
    assert taken.status_code == 302
    action.refresh_from_db()
    assert (action.lead_member, action.lead_text) == (member, "")


def test_the_site_form_and_the_service_keep_the_same_lead_rule(client, officer_a, partnership_a):
    action = _action_of(partnership_a)
    member = officer_a.memberships.get()
    client.force_login(officer_a)
    url = reverse("actions:action_edit", args=[partnership_a.slug, action.pk])

    page = client.post(url, _action_post(action, lead_member=member.pk))
    with pytest.raises(ValidationError) as refused:
        services.action_save(
            plan=action.plan,
            by=None,
            fields=services.ActionFields(
                objective_id=action.objective_id,
                reference="9.9",
                description="Both",
                lead_member_id=member.pk,
                lead_text="Hampshire Constabulary",
            ),
        )

    assert page.context["form"].errors["lead_text"] == [NOT_BOTH]
    assert refused.value.message_dict["lead_text"] == [NOT_BOTH]
    assert Action.objects.count() == 1
