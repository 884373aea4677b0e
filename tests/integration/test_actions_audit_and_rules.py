"""Actions: who closed, reopened or changed what; dates that cannot be right; the lists'
words when there is nothing to show."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions import selectors, services
from actions.models import ActionsChange, ActionUpdate, CrossThemeIssue, Recommendation, Risk
from tests.factories.actions import (
    ActionFactory,
    ActionPlanFactory,
    ObjectiveFactory,
    RecommendationFactory,
    RiskFactory,
)

DAY = datetime.date


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


@pytest.fixture
def green_action(partnership_a, officer_a):
    plan = ActionPlanFactory(partnership=partnership_a, title="Community safety plan")
    action = ActionFactory(objective=ObjectiveFactory(plan=plan), reference="1.1")
    services.action_update_add(
        action=action, status="green", text="Proposal agreed.", by=officer_a, date=DAY(2016, 9, 1)
    )
    action.refresh_from_db()
    return action


def _action_post(action, **changes):
    stored = {
        "objective": action.objective_id,
        "reference": action.reference,
        "description": action.description,
        "outcome": "",
        "lead_member": "",
        "lead_text": "Somewhere Police",
        "due": "2016-09-30",
        "when": "",
        "closed": "True" if action.closed else "False",
    }
    data = {**stored, **changes, **{f"initial-{k}": v for k, v in stored.items()}}
    if data["closed"] in ("False", ""):
        data.pop("closed")  # an unticked box posts nothing
    return data


# Closing, reopening and changing an action ----------------------------------------


def test_action_closed_and_reopened_on_its_page_joins_its_history(
    signed_in, officer_a, green_action
):
    url = reverse("actions:action_edit", args=["partnership-a", green_action.pk])
    assert signed_in.post(url, _action_post(green_action, closed="on")).status_code == 302
    green_action.refresh_from_db()
    assert signed_in.post(url, _action_post(green_action, closed="")).status_code == 302
    closing, reopening = (
        green_action.updates.filter(kind=ActionUpdate.Kind.CLOSED).get(),
        green_action.updates.filter(kind=ActionUpdate.Kind.REOPENED).get(),
    )
    assert closing.text == "Closed on the action's page."
    assert reopening.text == "Reopened on the action's page."
    for record in (closing, reopening):
        assert (record.by, record.date, record.source) == (officer_a, timezone.localdate(), "form")
        assert record.status == "green"  # the status it had, unchanged
    page = signed_in.get(reverse("actions:action", args=["partnership-a", green_action.pk]))
    text = page.content.decode()
    assert "Closed on the action&#x27;s page." in text and ">Reopened<" in text


def test_closing_an_action_never_changes_its_status_or_latest_update(
    signed_in, officer_a, green_action
):
    before = (green_action.status, green_action.latest_update)
    url = reverse("actions:action_edit", args=["partnership-a", green_action.pk])
    signed_in.post(url, _action_post(green_action, closed="on"))
    # Closed, it takes no update, even one dated before the closing: it stays complete
    # and as it was rated, never counted complete and amber at once.
    with pytest.raises(ValidationError):
        services.action_update_add(
            action=green_action,
            status="amber",
            text="Slipped.",
            by=officer_a,
            date=DAY(2016, 10, 1),
        )
    green_action.refresh_from_db()
    assert green_action.closed
    assert (green_action.status, green_action.latest_update) == before
    summary = selectors.plan_summary(green_action.plan.partnership, as_at=timezone.localdate())
    assert [row.status for row in summary.actions] == [before[0]]


def test_action_added_closed_says_so(signed_in, officer_a, green_action):
    url = reverse("actions:action_create", args=["partnership-a", green_action.plan.pk])
    data = _action_post(green_action, reference="1.2", closed="on")
    data = {k: v for k, v in data.items() if not k.startswith("initial-")}
    assert signed_in.post(url, data).status_code == 302
    added = green_action.plan.actions.get(reference="1.2")
    assert [(u.kind, u.text, u.by) for u in added.updates.all()] == [
        ("closed", "Closed when it was added.", officer_a)
    ]


def test_action_edit_is_recorded_with_who_and_what(signed_in, officer_a, green_action):
    url = reverse("actions:action_edit", args=["partnership-a", green_action.pk])
    signed_in.post(url, _action_post(green_action, description="Reworded"))
    change = ActionsChange.objects.get(subject="action")
    assert change.changed_by == officer_a and change.object_id == green_action.pk
    assert (change.old["description"], change.new["description"]) == (
        green_action.description,
        "Reworded",
    )
    assert "status" not in change.new  # the status's history is its updates


@pytest.mark.parametrize(
    "subject, factory, save, label, values",
    [
        ("risk", RiskFactory, services.risk_save, "risk", {"description": "New words"}),
        (
            "recommendation",
            RecommendationFactory,
            services.recommendation_save,
            "recommendation",
            {"response": "Agreed"},
        ),
    ],
)
def test_risk_and_recommendation_changes_are_recorded(
    partnership_a, officer_a, subject, factory, save, label, values
):
    row = factory(partnership=partnership_a)
    field = next(iter(values))
    before = getattr(row, field)
    save(partnership=partnership_a, by=officer_a, values=values, **{label: row})
    change = ActionsChange.objects.get(subject=subject)
    assert (change.old[field], change.new[field]) == (before, values[field])
    assert change.changed_by == officer_a
    # Nothing changed: nothing recorded.
    save(partnership=partnership_a, by=officer_a, values=values, **{label: row})
    assert ActionsChange.objects.filter(subject=subject).count() == 1


def test_issue_added_is_recorded(partnership_a, officer_a):
    issue, _ = services.issue_save(
        partnership=partnership_a,
        by=officer_a,
        values={"title": "Night-time economy", "issue": "Affects two groups", "affects": []},
    )
    change = ActionsChange.objects.get(subject="issue")
    assert change.old is None and change.new["title"] == "Night-time economy"
    assert change.object_id == issue.pk and change.changed_by == officer_a


# Rules ------------------------------------------------------------------------------


def test_recommendation_due_before_its_meeting_refused(signed_in, partnership_a):
    url = reverse("actions:recommendation_create", args=["partnership-a"])
    data = {
        "meeting": "",
        "meeting_date": "2017-06-01",
        "reference": "SP-1",
        "recommendation": "Review the CCTV contract",
        "assigned_to": "Community Safety Manager",
        "response": "",
        "status": "awaiting_response",
        "due": "2017-01-01",
    }
    text = signed_in.post(url, data).content.decode()
    assert "The due date must be on or after the date of the meeting that made it." in text
    assert not Recommendation.objects.exists()
    assert signed_in.post(url, {**data, "due": "2017-06-01"}).status_code == 302


def test_duplicate_risk_reference_named_on_the_reference(signed_in, partnership_a):
    RiskFactory(partnership=partnership_a, reference="R3")
    url = reverse("actions:risk_create", args=["partnership-a"])
    data = {"reference": "R3", "description": "d", "likelihood": "3", "impact": "3"}
    response = signed_in.post(url, {**data, "status": "open"})
    assert response.context["form"].errors["reference"] == [
        "Risk R3 already exists in this partnership: choose another reference."
    ]
    assert "Risk with this Partnership and Reference already exists" not in (
        response.content.decode()
    )
    with pytest.raises(ValidationError) as refused:
        services.risk_save(partnership=partnership_a, by=None, values={**data, "reference": "r3"})
    assert refused.value.message_dict["reference"] == [
        "Risk R3 already exists in this partnership, and r3 differs from it only in capitals: "
        "choose another reference."
    ]
    assert Risk.objects.count() == 1


def test_issue_raised_in_the_future_refused(signed_in, partnership_a):
    url = reverse("actions:issue_create", args=["partnership-a"])
    data = {"title": "I1", "issue": "x", "ask": "", "status": "open"}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    text = signed_in.post(url, {**data, "raised_on": tomorrow.isoformat()}).content.decode()
    assert "The date raised cannot be in the future." in text
    assert not CrossThemeIssue.objects.exists()
    today = timezone.localdate().isoformat()
    assert signed_in.post(url, {**data, "raised_on": today}).status_code == 302


def test_action_due_long_after_its_plans_year_refused(signed_in, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2009)
    objective = ObjectiveFactory(plan=plan)
    url = reverse("actions:action_create", args=["partnership-a", plan.pk])
    data = {"objective": objective.pk, "reference": "1.1", "description": "d", "lead_text": "x"}
    text = signed_in.post(url, {**data, "due": "2099-01-01"}).content.decode()
    assert (
        "The due date must be on or before 31 March 2015, 5 years after the plan&#x27;s "
        "financial year 2009/10 ends." in text
    )
    assert signed_in.post(url, {**data, "due": "2015-03-31"}).status_code == 302


def test_plan_year_may_not_move_so_far_back_its_actions_are_too_late(partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2016)
    ActionFactory(objective=ObjectiveFactory(plan=plan), due=DAY(2021, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.plan_save(
            partnership=partnership_a,
            by=None,
            values={},
            plan=plan,
            edits={"financial_year": (2016, 2014)},
        )
    assert "1 action of this plan is due after 31 March 2020" in str(refused.value)


# Lists ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, words, add, status",
    [
        ("actions:risks", "No risks recorded yet.", "Add a risk", "closed"),
        (
            "actions:issues",
            "No cross-theme issues recorded yet.",
            "Add a cross-theme issue",
            "closed",
        ),
        (
            "actions:recommendations",
            "No recommendations recorded yet.",
            "Add a recommendation",
            "done",
        ),
    ],
)
def test_empty_lists_say_there_are_none_yet(signed_in, partnership_a, name, words, add, status):
    url = reverse(name, args=["partnership-a"])
    text = signed_in.get(url).content.decode()
    assert f'{words} <a class="govuk-link" href="{url}new/">{add}</a>.' in text
    assert "Clear the filter" not in text
    filtered = signed_in.get(url + f"?status={status}").content.decode()
    assert "Clear the filter" in filtered and words not in filtered


def test_follow_up_with_no_recommendations_says_there_are_none_yet(signed_in, partnership_a):
    url = reverse("actions:follow_up", args=["partnership-a"])
    text = signed_in.get(url).content.decode()
    assert "No recommendations recorded yet." in text and "every recommendation" not in text
    RecommendationFactory(partnership=partnership_a, status="done")
    text = signed_in.get(url).content.decode()
    assert "Nothing to follow up: every recommendation is done or rejected." in text


def test_recommendation_without_response_awaited_only_while_open(signed_in, partnership_a):
    RecommendationFactory(partnership=partnership_a, reference="A", status="in_progress")
    RecommendationFactory(partnership=partnership_a, reference="B", status="done")
    RecommendationFactory(partnership=partnership_a, reference="C", status="rejected")
    table = signed_in.get(reverse("actions:recommendations", args=["partnership-a"])).context[
        "table"
    ]
    words = {row.record.reference: row.get_cell("response") for row in table.rows}
    assert words == {
        "A": "Awaiting response",
        "B": "No response recorded",
        "C": "No response recorded",
    }


# A lead who is no longer a member ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("removed", ["membership", "user"])
def test_an_action_keeps_its_leads_name_when_the_membership_goes(
    removed, partnership_a, officer_a, admin_user
):
    """Review finding: deleting a member in the admin left their actions' lead blank
    ("Not given"), with nothing in the plan's history."""
    officer_a.first_name, officer_a.last_name = "Tom", "Hargreaves"
    officer_a.save()
    membership = officer_a.memberships.get()
    plan = ActionPlanFactory(partnership=partnership_a)
    action = ActionFactory(objective=ObjectiveFactory(plan=plan), lead_member=membership)

    if removed == "membership":
        membership.delete()
    else:
        officer_a.delete()

    action.refresh_from_db()
    assert action.lead_member is None and action.lead == "Tom Hargreaves"
    change = ActionsChange.objects.get(object_id=action.pk, source="membership removed")
    assert change.old["lead_member"].startswith("Tom Hargreaves")
    assert change.new["lead_text"] == "Tom Hargreaves" and change.new["lead_member"] is None


@pytest.mark.django_db
def test_deleting_a_partnership_with_led_actions_deletes_them_with_it(partnership_a, officer_a):
    plan = ActionPlanFactory(partnership=partnership_a)
    ActionFactory(objective=ObjectiveFactory(plan=plan), lead_member=officer_a.memberships.get())

    partnership_a.delete()

    assert not ActionsChange.objects.exists()
    assert not plan.__class__.objects.exists()
