"""An action's lead is a member of its partnership who may lead (not a panel member, nor an
account no longer active, unless already its lead) or a written name, not both: one rule
(Action.clean) for the admin, the action's page, the services and imports."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions import services
from actions.models import Action
from tests.factories import MembershipFactory, ThemeGroupFactory
from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory
from tests.integration.test_actions import _action_post
from tests.integration.test_actions_transfer import ACTION_ROWS, _import, _write
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


# Who may lead: not a panel member, nor an account no longer active --------------------

MAY_NOT_LEAD = (
    "Choose a member who may lead an action: a panel member, or one whose account is no "
    "longer active, may not."
)


@pytest.fixture
def may_not_lead(partnership_a):
    """A panel member and an officer whose account is no longer active."""
    panel = MembershipFactory(
        partnership=partnership_a,
        role="panel_member",
        user__first_name="Pat",
        user__last_name="Panel",
    )
    gone = MembershipFactory(
        partnership=partnership_a, user__first_name="Sam", user__last_name="Gone"
    )
    gone.user.is_active = False
    gone.user.save()
    return panel, gone


def test_admin_and_service_refuse_a_lead_who_may_not_lead(
    client, admin_user, partnership_a, may_not_lead
):
    """Review finding: only the action page's list kept a panel member, or an account no
    longer active, from leading an action; the admin and an import made them its lead."""
    action = _action_of(partnership_a)
    client.force_login(admin_user)
    url = _admin_url(action)
    page = client.get(url)

    for member in may_not_lead:
        refused = client.post(url, {**_untouched(page), "lead_member": member.pk, "lead_text": ""})
        assert refused.status_code == 200
        assert refused.context["adminform"].form.errors == {"lead_member": [MAY_NOT_LEAD]}
        with pytest.raises(ValidationError) as refusal:
            services.action_save(
                plan=action.plan,
                by=None,
                action=action,
                edits={"lead_member": (None, member), "lead_text": (action.lead_text, "")},
            )
        assert refusal.value.message_dict["lead_member"] == [MAY_NOT_LEAD]
    action.refresh_from_db()
    assert (action.lead_member, action.lead_text) == (None, "Somewhere Police")


def test_an_action_keeps_a_lead_who_may_no_longer_lead(client, officer_a, may_not_lead):
    """Led by a member who has since joined the panel or left: the action is changed with
    its lead as it is, on its page, in the admin and by an import."""
    action = _action_of(officer_a.memberships.get().partnership)
    for member in may_not_lead:
        Action.objects.filter(pk=action.pk).update(lead_member=member, lead_text="")
        action.refresh_from_db()
        services.action_save(
            plan=action.plan,
            by=None,
            action=action,
            edits={"description": (action.description, f"Led by {member.user.last_name}")},
        )
        action.refresh_from_db()
        assert (action.lead_member, action.description) == (
            member,
            f"Led by {member.user.last_name}",
        )


def test_an_import_keeps_a_name_who_may_not_lead_as_the_leads_name(
    tmp_path, officer_a, partnership_a, may_not_lead
):
    """actions.csv naming a panel member, or an account no longer active, as a new lead
    keeps the name as written, as for a lead who is no member; an action they lead
    already keeps them."""
    ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    _, gone = may_not_lead
    row = ACTION_ROWS[1]
    _write(tmp_path, "actions", row.replace(",Someone,", ",Pat Panel,"))
    _import(tmp_path, by=officer_a)
    action = Action.objects.get()
    led_by_panel = (action.lead_member, action.lead_text)
    Action.objects.filter(pk=action.pk).update(lead_member=gone, lead_text="")
    _write(tmp_path, "actions", row.replace(",Someone,", ",Sam Gone,").replace("Proposal", "New"))
    _import(tmp_path, by=officer_a)
    action.refresh_from_db()

    assert led_by_panel == (None, "Pat Panel")
    assert (action.description, action.lead_member, action.lead_text) == ("New", gone, "")
