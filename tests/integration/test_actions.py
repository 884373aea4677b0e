"""Action plans, risks, issues and recommendations: services, selectors and pages."""

import datetime
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions import selectors, services
from actions.models import Action, ActionUpdate, CrossThemeIssue, Recommendation, Risk
from tests.factories import ActualFactory, IndicatorFactory, ThemeGroupFactory, UserFactory
from tests.factories.actions import (
    ActionFactory,
    ActionPlanFactory,
    CrossThemeIssueFactory,
    ObjectiveFactory,
    RecommendationFactory,
    RiskFactory,
)

DAY = datetime.date


@pytest.fixture
def plan_a(partnership_a):
    return ActionPlanFactory(partnership=partnership_a, title="Community safety plan")


@pytest.fixture
def red_action(plan_a, officer_a):
    action = ActionFactory(
        objective=ObjectiveFactory(plan=plan_a, number=2, title="Reduce criminal damage"),
        reference="2.2",
        description="Draft a proposal on false vandalism reports",
    )
    services.action_update_add(
        action=action, status="red", text="Not progressed yet.", by=officer_a, date=DAY(2016, 10, 1)
    )
    action.refresh_from_db()
    return action


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


def _quick(action, **changes):
    data = {
        "action": action.pk,
        f"initial-a{action.pk}-status": action.status,  # the status the page showed
        f"a{action.pk}-status": "green",
        f"a{action.pk}-text": "Proposal agreed by the Delivery Group.",
    }
    data.update({f"a{action.pk}-{k}": v for k, v in changes.items()})
    return data


# Services -------------------------------------------------------------------


def test_action_update_add_sets_current_status_and_keeps_history(red_action, officer_a):
    services.action_update_add(
        action=red_action, status="green", text="Done.", by=officer_a, date=DAY(2016, 12, 1)
    )
    red_action.refresh_from_db()
    assert (red_action.status, red_action.latest_update) == ("green", "Done.")
    assert red_action.updated_on == DAY(2016, 12, 1)
    assert [u.status for u in red_action.updates.all()] == ["green", "red"]
    assert red_action.updates.first().by == officer_a


def test_action_update_add_backdated_keeps_current_status(red_action, officer_a):
    services.action_update_add(
        action=red_action, status="amber", text="Earlier note.", by=officer_a, date=DAY(2016, 9, 1)
    )
    red_action.refresh_from_db()
    assert red_action.status == "red"
    assert red_action.updates.count() == 2


def test_action_update_add_empty_text_refused(red_action, officer_a):
    with pytest.raises(ValidationError):
        services.action_update_add(
            action=red_action, status="green", text="  ", by=officer_a, date=DAY(2016, 12, 1)
        )
    assert red_action.updates.count() == 1


def test_action_update_add_status_not_in_legend_refused(partnership_a, red_action, officer_a):
    partnership_a.rag_legend = {"red": "Late", "green": "Done"}
    partnership_a.save()
    red_action.refresh_from_db()
    with pytest.raises(ValidationError):
        services.action_update_add(
            action=red_action, status="amber", text="Half done", by=officer_a, date=DAY(2016, 12, 1)
        )
    assert Action.objects.get(pk=red_action.pk).status == "red"


def test_action_update_add_status_changed_by_someone_else_refused(red_action, officer_a):
    # The page showed amber, someone has set red since, and this person chose green.
    with pytest.raises(services.StaleEdit):
        services.action_update_add(
            action=red_action,
            status="green",
            text="Done",
            by=officer_a,
            date=DAY(2016, 12, 1),
            shown_status="amber",
        )
    assert red_action.updates.count() == 1


def test_action_update_add_status_left_as_shown_keeps_the_stored_one(red_action, officer_a):
    # The page showed amber; someone set red since; this person only wrote a note.
    services.action_update_add(
        action=red_action,
        status="amber",
        text="A note",
        by=officer_a,
        date=DAY(2016, 12, 1),
        shown_status="amber",
    )
    red_action.refresh_from_db()
    assert (red_action.status, red_action.latest_update) == ("red", "A note")


def test_action_save_indicator_of_another_partnership_refused(plan_a, partnership_b, officer_a):
    objective = ObjectiveFactory(plan=plan_a)
    other = IndicatorFactory(partnership=partnership_b)
    fields = services.ActionFields(objective_id=objective.pk, reference="1.1", description="x")
    with pytest.raises(ValidationError):
        services.action_save(plan=plan_a, fields=fields, indicators=[other], by=officer_a)
    assert not Action.objects.exists()


def test_action_save_due_before_financial_year_refused(plan_a, officer_a):
    objective = ObjectiveFactory(plan=plan_a)
    fields = services.ActionFields(
        objective_id=objective.pk, reference="1.1", description="x", due=DAY(2016, 3, 31)
    )
    with pytest.raises(ValidationError) as error:
        services.action_save(plan=plan_a, fields=fields, indicators=[], by=officer_a)
    assert "1 April 2016" in str(error.value)


def test_risk_save_likelihood_six_refused(partnership_a, officer_a):
    values = {"reference": "R1", "description": "Funding ends", "likelihood": 6, "impact": 2}
    with pytest.raises(ValidationError):
        services.risk_save(partnership=partnership_a, values=values, by=officer_a)
    assert not Risk.objects.exists()


# Selectors for the reports ----------------------------------------------------


def test_plan_summary_status_as_at_any_date(partnership_a, red_action, officer_a):
    services.action_update_add(
        action=red_action, status="green", text="Done.", by=officer_a, date=DAY(2016, 12, 1)
    )
    before = selectors.plan_summary(partnership_a, as_at=DAY(2016, 9, 1))
    during = selectors.plan_summary(partnership_a, as_at=DAY(2016, 11, 1))
    after = selectors.plan_summary(partnership_a, as_at=DAY(2016, 12, 31), since=DAY(2016, 11, 1))
    assert before.actions[0].status == "not_started"
    assert during.actions[0].status == "red" and during.actions[0].overdue
    assert after.actions[0].status == "green" and not after.overdue
    assert [(c.before, c.after) for c in after.changes] == [("red", "green")]
    assert [u.text for u in after.updates] == ["Done."]
    assert {c.status: c.count for c in after.counts}["green"] == 1


def test_plan_summary_datetime_leaves_out_later_records(partnership_a, red_action, officer_a):
    moment = ActionUpdate.objects.get().created_at
    services.action_update_add(
        action=red_action, status="green", text="Backdated.", by=officer_a, date=DAY(2016, 10, 2)
    )
    assert selectors.plan_summary(partnership_a, as_at=moment).actions[0].status == "red"
    later = selectors.plan_summary(partnership_a, as_at=DAY(2016, 10, 2))
    assert later.actions[0].status == "green"


def test_plan_summary_queries_fixed(partnership_a, red_action, django_assert_num_queries):
    with django_assert_num_queries(3):
        selectors.plan_summary(partnership_a, as_at=DAY(2016, 12, 1), since=DAY(2016, 1, 1))


def test_actions_for_indicators_open_actions_only(partnership_a, plan_a, red_action):
    indicator = IndicatorFactory(partnership=partnership_a)
    closed = ActionFactory(objective=red_action.objective, reference="2.3", closed=True)
    red_action.indicators.add(indicator)
    closed.indicators.add(indicator)
    found = selectors.actions_for_indicators(partnership_a, [indicator.pk, 999])
    assert found == {indicator.pk: [red_action], 999: []}


def test_open_lists_for_reports(partnership_a):
    group = ThemeGroupFactory(partnership=partnership_a)
    RiskFactory(partnership=partnership_a, reference="R1", likelihood=2, impact=2)
    RiskFactory(partnership=partnership_a, reference="R2", likelihood=5, impact=4)
    RiskFactory(partnership=partnership_a, reference="R3", status="closed")
    issue = CrossThemeIssueFactory(partnership=partnership_a)
    issue.affects.add(group)
    CrossThemeIssueFactory(partnership=partnership_a, status="closed")
    RecommendationFactory(partnership=partnership_a, reference="A", status="done")
    RecommendationFactory(partnership=partnership_a, reference="B", status="in_progress")
    assert [r.reference for r in selectors.open_risks(partnership_a)] == ["R2", "R1"]
    assert selectors.open_cross_theme_issues(partnership_a, theme_group=group) == [issue]
    assert [r.reference for r in selectors.open_recommendations(partnership_a)] == ["B"]


# Pages --------------------------------------------------------------------------


def test_plan_page_shows_rag_counts_and_legend(signed_in, plan_a, red_action):
    response = signed_in.get(reverse("actions:plan", args=["partnership-a", plan_a.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Draft a proposal on false vandalism reports" in text
    assert "Off track" in text  # the partnership's legend
    counts = {c.status: (c.count, c.percent) for c in response.context["page"].counts}
    assert counts["red"] == (1, 100)
    assert response.context["page"].overdue_total == 1


def test_plan_page_linked_indicator_status_from_figures(
    signed_in, partnership_a, plan_a, red_action
):
    indicator = IndicatorFactory(partnership=partnership_a, code="NI 16")
    for month in (4, 5):
        ActualFactory(indicator=indicator, period=DAY(2015, month, 1), value=100)
        ActualFactory(indicator=indicator, period=DAY(2016, month, 1), value=80)
    red_action.indicators.add(indicator)
    response = signed_in.get(reverse("actions:plans", args=["partnership-a"]))
    row = response.context["page"].plans[0].objectives[0].rows[0]
    assert row.indicators[0].direction == "improving"
    assert "Improving" in response.content.decode()


@pytest.mark.parametrize(
    "filters, shown",
    [
        ({"status": "red"}, 1),
        ({"status": "green"}, 1),
        ({"overdue": "on"}, 1),
        ({"lead": "text:Somewhere Police"}, 2),
        ({"lead": "text:Nobody"}, 0),
    ],
)
def test_plan_page_filters(signed_in, plan_a, red_action, officer_a, filters, shown):
    green = ActionFactory(objective=red_action.objective, reference="2.3")
    services.action_update_add(
        action=green, status="green", text="Done", by=officer_a, date=DAY(2016, 10, 1)
    )
    response = signed_in.get(reverse("actions:plan", args=["partnership-a", plan_a.pk]), filters)
    if filters.get("lead") == "text:Nobody":
        assert response.context["form"].errors  # not a lead on the plan: shown as an error
    else:
        assert response.context["page"].shown == shown


def test_plan_page_overdue_filter_shows_what_the_overdue_mark_marks(signed_in, plan_a, red_action):
    """Due today is not yet overdue: the filter shows the actions marked overdue, no more
    (rules.is_overdue and its query, selectors._overdue_q)."""
    today = timezone.localdate()
    for reference, days in (("3.1", -1), ("3.2", 0), ("3.3", 1)):
        ActionFactory(
            objective=red_action.objective,
            reference=reference,
            due=today + datetime.timedelta(days=days),
        )
    url = reverse("actions:plan", args=["partnership-a", plan_a.pk])

    every = signed_in.get(url).context["page"]
    shown = signed_in.get(url, {"overdue": "on"}).context["page"]

    marked = [r.action.reference for r in _rows(every) if r.overdue]
    assert marked == ["2.2", "3.1"] == [r.action.reference for r in _rows(shown)]
    assert every.overdue_total == shown.shown == 2


def _rows(page):
    return [r for b in page.plans for o in b.objectives for r in o.rows]


def test_plans_page_theme_group_filter(signed_in, partnership_a, red_action):
    group = ThemeGroupFactory(partnership=partnership_a)
    other = ActionPlanFactory(partnership=partnership_a, theme_group=group)
    ActionFactory(objective=ObjectiveFactory(plan=other))
    url = reverse("actions:plans", args=["partnership-a"])
    assert signed_in.get(url).context["page"].shown == 2
    assert signed_in.get(url, {"theme_group": group.pk}).context["page"].shown == 1


def test_quick_update_sets_status_and_counts_change(signed_in, plan_a, red_action, officer_a):
    url = reverse("actions:plan", args=["partnership-a", plan_a.pk]) + "?status=red"
    response = signed_in.post(url, _quick(red_action))
    assert response.status_code == 302
    assert response["Location"].endswith(f"?status=red#action-{red_action.pk}")
    red_action.refresh_from_db()
    assert red_action.status == "green"
    update = red_action.updates.first()
    assert (update.text, update.by, update.source) == (
        "Proposal agreed by the Delivery Group.",
        officer_a,
        "form",
    )
    page = signed_in.get(url).context["page"]
    assert {c.status: c.count for c in page.counts}["green"] == 1
    assert page.shown == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"text": "   "}, "Write what has been done and what comes next."),
        ({"status": "purple"}, "Choose a status from the partnership&#x27;s legend."),
        ({"status": ""}, "Choose the action&#x27;s status."),
    ],
)
def test_quick_update_bad_input_error_summary_nothing_changes(
    signed_in, plan_a, red_action, changes, message
):
    url = reverse("actions:plan", args=["partnership-a", plan_a.pk])
    response = signed_in.post(url, _quick(red_action, **changes))
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text and message in text
    assert red_action.updates.count() == 1
    assert Action.objects.get(pk=red_action.pk).status == "red"


def test_quick_update_stale_page_refused(signed_in, plan_a, red_action, officer_a):
    data = _quick(red_action)
    services.action_update_add(
        action=red_action, status="amber", text="Someone else", by=officer_a, date=DAY(2016, 11, 1)
    )
    url = reverse("actions:plan", args=["partnership-a", plan_a.pk])
    response = signed_in.post(url, data)
    who = officer_a.get_full_name()
    assert f"{who} changed the status of action 2.2 since you opened this page" in unescape(
        response.content.decode()
    )  # named as the month sheet names who changed a figure
    assert Action.objects.get(pk=red_action.pk).status == "amber"


def test_quick_update_action_of_another_plan_not_found(signed_in, partnership_b, red_action):
    other = ActionFactory(
        objective=ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership_b))
    )
    url = reverse("actions:plan", args=["partnership-a", red_action.plan.pk])
    response = signed_in.post(url, _quick(other))
    assert response.status_code == 404
    assert not other.updates.exists()


def test_action_detail_shows_history_and_updates(signed_in, red_action):
    url = reverse("actions:action", args=["partnership-a", red_action.pk])
    assert "Not progressed yet." in signed_in.get(url).content.decode()
    response = signed_in.post(url, _quick(red_action))
    assert response.status_code == 302
    assert Action.objects.get(pk=red_action.pk).status == "green"


def _action_post(action, **changes):
    """The edit page's post: stored values shown and (unless changed) sent back."""
    stored = {
        "objective": action.objective_id,
        "reference": action.reference,
        "description": action.description,
        "outcome": "",
        "lead_member": "",
        "lead_text": "Somewhere Police",
        "due": "2016-09-30",
        "when": "",
        "closed": "False",
    }
    data = {**stored, **changes, **{f"initial-{k}": v for k, v in stored.items()}}
    data.pop("closed")  # an unticked box posts nothing
    return data


def test_action_edit_saves(signed_in, partnership_a, red_action):
    indicator = IndicatorFactory(partnership=partnership_a)
    url = reverse("actions:action_edit", args=["partnership-a", red_action.pk])
    response = signed_in.post(
        url, _action_post(red_action, when="Quarterly", indicators=[indicator.pk])
    )
    assert response.status_code == 302
    red_action.refresh_from_db()
    assert red_action.when == "Quarterly"
    assert list(red_action.indicators.all()) == [indicator]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"due": "2016-03-31"}, "on or after 1 April 2016"),
        ({"due": "2016-02-30"}, "Enter the due date as a real date"),
        ({"description": ""}, "Describe the action."),
    ],
)
def test_action_edit_bad_input_changes_nothing(signed_in, red_action, changes, message):
    url = reverse("actions:action_edit", args=["partnership-a", red_action.pk])
    response = signed_in.post(url, _action_post(red_action, **changes))
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text and message in text
    assert Action.objects.get(pk=red_action.pk).due == DAY(2016, 9, 30)


def test_action_edit_indicator_of_another_partnership_refused(signed_in, partnership_b, red_action):
    other = IndicatorFactory(partnership=partnership_b)
    url = reverse("actions:action_edit", args=["partnership-a", red_action.pk])
    response = signed_in.post(url, _action_post(red_action, indicators=[other.pk]))
    assert response.status_code == 200
    assert "Choose indicators of Partnership A" in response.content.decode()
    assert not red_action.indicators.exists()


def test_action_create_adds_to_plan(signed_in, plan_a):
    objective = ObjectiveFactory(plan=plan_a)
    url = reverse("actions:action_create", args=["partnership-a", plan_a.pk])
    data = {"objective": objective.pk, "reference": "1.1", "description": "Run a campaign"}
    assert signed_in.post(url, data).status_code == 302
    assert Action.objects.get().status == "not_started"


def test_action_form_names_a_taken_reference_with_its_other_problems(signed_in, plan_a, red_action):
    """Review finding: a taken reference was said only once every other problem was fixed,
    a second round of errors."""
    url = reverse("actions:action_create", args=["partnership-a", plan_a.pk])
    data = {
        "objective": red_action.objective_id,
        "reference": red_action.reference,
        "description": "",
    }

    response = signed_in.post(url, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["reference"] == [
        f"This plan already has an action {red_action.reference}: choose another reference."
    ]
    assert errors["description"] == ["Describe the action."]
    assert Action.objects.count() == 1


def _risk_post(**changes):
    data = {"reference": "R1", "description": "Funding ends", "likelihood": "4", "impact": "5"}
    data.update(changes)
    return data


def test_risk_create_and_edit(signed_in, partnership_a):
    url = reverse("actions:risk_create", args=["partnership-a"])
    assert signed_in.post(url, _risk_post(status="open")).status_code == 302
    risk = Risk.objects.get()
    assert (risk.score, risk.band) == (20, "very_high")
    edit = reverse("actions:risk_edit", args=["partnership-a", risk.pk])
    data = _risk_edit_post(risk, {}, status="closed")
    assert signed_in.post(edit, data).status_code == 302
    assert Risk.objects.get().status == "closed"


@pytest.mark.parametrize(
    "field, value", [("likelihood", "0"), ("likelihood", "6"), ("impact", "6")]
)
def test_risk_scale_outside_one_to_five_error_summary(signed_in, partnership_a, field, value):
    url = reverse("actions:risk_create", args=["partnership-a"])
    response = signed_in.post(url, _risk_post(status="open", **{field: value}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert f"{field.capitalize()} must be a whole number from 1 to 5." in text
    assert not Risk.objects.exists()


def _risk_edit_post(risk, shown: dict, **changes) -> dict:
    data = {
        "reference": risk.reference,
        "description": risk.description,
        "likelihood": str(risk.likelihood),
        "impact": str(risk.impact),
        "status": risk.status,
    }
    shown = {**data, **shown}
    return {**data, **changes, **{f"initial-{k}": v for k, v in shown.items()}}


def test_risk_edit_over_someone_elses_change_refused_then_override(signed_in, partnership_a):
    risk = RiskFactory(partnership=partnership_a, description="Changed by someone else")
    edit = reverse("actions:risk_edit", args=["partnership-a", risk.pk])
    data = _risk_edit_post(risk, {"description": "As first shown"}, description="Mine")
    response = signed_in.post(edit, data)
    text = response.content.decode()
    # No history names who: the risk was made by a factory, not through the site.
    assert "Someone else changed the description since you opened this page" in text
    assert Risk.objects.get().description == "Changed by someone else"
    # Saving the page as shown again (theirs now shown, mine still in the box) overrides.
    form = response.context["form"]
    again = {key: form.data.getlist(key) for key in form.data if key != "csrfmiddlewaretoken"}
    assert signed_in.post(edit, again).status_code == 302
    assert Risk.objects.get().description == "Mine"


def test_risk_edit_leaves_fields_changed_by_someone_else_alone(signed_in, partnership_a):
    risk = RiskFactory(partnership=partnership_a, likelihood=5)  # someone made it 5
    edit = reverse("actions:risk_edit", args=["partnership-a", risk.pk])
    data = _risk_edit_post(risk, {"likelihood": "3"}, likelihood="3", impact="4")
    assert signed_in.post(edit, data).status_code == 302
    assert (Risk.objects.get().likelihood, Risk.objects.get().impact) == (5, 4)


def test_issue_create_with_affected_groups(signed_in, partnership_a, partnership_b):
    group = ThemeGroupFactory(partnership=partnership_a)
    foreign = ThemeGroupFactory(partnership=partnership_b)
    url = reverse("actions:issue_create", args=["partnership-a"])
    data = {"title": "Alcohol", "issue": "Harm", "status": "open", "affects": [foreign.pk]}
    response = signed_in.post(url, data)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not CrossThemeIssue.objects.exists()
    data["affects"] = [group.pk]
    assert signed_in.post(url, data).status_code == 302
    assert list(CrossThemeIssue.objects.get().affects.all()) == [group]


def test_issue_affecting_only_the_group_that_raised_it_refused(signed_in, partnership_a):
    raiser = ThemeGroupFactory(partnership=partnership_a, name="Safe and Strong")
    other = ThemeGroupFactory(partnership=partnership_a, name="Domestic abuse")
    url = reverse("actions:issue_create", args=["partnership-a"])
    data = {
        "title": "Alcohol",
        "issue": "Harm",
        "status": "open",
        "raised_by": raiser.pk,
        "affects": [raiser.pk],
    }
    response = signed_in.post(url, data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert response.context["form"].errors["affects"] == [
        "A cross-theme issue must affect at least one theme group other than the one that "
        "raised it."
    ]
    assert not CrossThemeIssue.objects.exists()
    data["affects"] = [raiser.pk, other.pk]
    assert signed_in.post(url, data).status_code == 302
    assert set(CrossThemeIssue.objects.get().affects.all()) == {raiser, other}


def test_issue_edit_to_affect_only_its_raiser_refused(signed_in, partnership_a):
    raiser = ThemeGroupFactory(partnership=partnership_a)
    other = ThemeGroupFactory(partnership=partnership_a)
    issue = CrossThemeIssueFactory(partnership=partnership_a, raised_by=raiser)
    issue.affects.set([other])
    shown = {
        "title": issue.title,
        "issue": issue.issue,
        "status": "open",
        "raised_by": str(raiser.pk),
        "affects": [str(other.pk)],
    }
    data = {**shown, "affects": [str(raiser.pk)]}
    data.update({f"initial-{k}": v for k, v in shown.items()})
    url = reverse("actions:issue_edit", args=["partnership-a", issue.pk])
    response = signed_in.post(url, data)
    assert response.status_code == 200
    assert "must affect at least one theme group other than" in response.content.decode()
    assert list(issue.affects.all()) == [other]


def test_issue_edit_over_someone_elses_change_names_them_and_what_they_changed(
    signed_in, partnership_a
):
    """Review finding: "Someone else changed the what is asked of them of this issue since
    you opened this page." Each field is named by a noun phrase, and the editor by name."""
    raiser = ThemeGroupFactory(partnership=partnership_a)
    other = ThemeGroupFactory(partnership=partnership_a)
    olu = UserFactory(username="olu", first_name="Olu", last_name="Officer")
    issue, _ = services.issue_save(
        partnership=partnership_a,
        by=olu,
        values={"title": "Alcohol", "issue": "Late licences", "raised_by": raiser,
                "affects": [other], "ask": "Their ask", "status": "open"},
    )  # fmt: skip
    shown = {
        "title": "Alcohol",
        "issue": "Late licences",
        "status": "open",
        "raised_by": str(raiser.pk),
        "affects": [str(other.pk)],
        "ask": "The ask first shown",
    }
    data = {**shown, "ask": "My ask"}
    data.update({f"initial-{k}": v for k, v in shown.items()})

    response = signed_in.post(reverse("actions:issue_edit", args=["partnership-a", issue.pk]), data)

    assert (
        "Olu Officer changed what is asked of other theme groups since you opened this page. "
        "The page now shows what is stored"
    ) in response.content.decode()
    assert CrossThemeIssue.objects.get().ask == "Their ask"


def test_issue_edit_over_someone_elses_change_shows_stored_and_keeps_mine(signed_in, partnership_a):
    """After a conflict the boxes the person did not touch show what is stored now (a
    group of checkboxes too); the box in conflict keeps theirs, told about the stored
    value; a box they changed without conflict keeps theirs and what was first shown."""
    raiser, other, third = (ThemeGroupFactory(partnership=partnership_a) for _ in range(3))
    issue, _ = services.issue_save(
        partnership=partnership_a,
        by=UserFactory(),
        values={"title": "Alcohol", "issue": "Late licences", "raised_by": raiser,
                "affects": [other, third], "ask": "Their ask", "status": "open"},
    )  # fmt: skip
    shown = {
        "title": "Alcohol",
        "issue": "Late licences",
        "status": "open",
        "raised_by": str(raiser.pk),
        "affects": [str(other.pk)],
        "ask": "The ask first shown",
    }
    data = {**shown, "title": "Drink", "ask": "My ask"}
    data.update({f"initial-{k}": v for k, v in shown.items()})
    edit = reverse("actions:issue_edit", args=["partnership-a", issue.pk])

    form = signed_in.post(edit, data).context["form"]

    both = [str(other.pk), str(third.pk)]
    assert (form.data.getlist("affects"), form.data.getlist("initial-affects")) == (both, both)
    assert (form.data["ask"], form.data["initial-ask"]) == ("My ask", "Their ask")
    assert (form.data["title"], form.data["initial-title"]) == ("Drink", "Alcohol")
    assert (form.data["raised_by"], form.data["initial-raised_by"]) == ((str(raiser.pk),) * 2)
    again = {key: form.data.getlist(key) for key in form.data if key != "csrfmiddlewaretoken"}
    assert signed_in.post(edit, again).status_code == 302
    issue.refresh_from_db()
    assert (issue.title, issue.ask) == ("Drink", "My ask")
    assert set(issue.affects.all()) == {other, third}


def test_issue_save_refuses_an_issue_affecting_only_its_raiser(partnership_a, officer_a):
    raiser = ThemeGroupFactory(partnership=partnership_a)
    other = ThemeGroupFactory(partnership=partnership_a)
    values = {"title": "Alcohol", "issue": "Harm", "raised_by": raiser, "affects": [raiser]}
    with pytest.raises(ValidationError) as error:
        services.issue_save(partnership=partnership_a, by=officer_a, values=values)
    assert "affects" in error.value.message_dict
    # A change to who raised it alone is checked against the groups it already affects.
    issue, _ = services.issue_save(
        partnership=partnership_a, by=officer_a, values={**values, "raised_by": other}
    )
    with pytest.raises(ValidationError) as error:
        services.issue_save(
            partnership=partnership_a,
            by=officer_a,
            values={},
            issue=issue,
            edits={"raised_by": (other, raiser)},
        )
    assert "affects" in error.value.message_dict
    issue.refresh_from_db()
    assert issue.raised_by == other


def test_recommendation_create_and_follow_up(signed_in, partnership_a):
    url = reverse("actions:recommendation_create", args=["partnership-a"])
    data = {
        "meeting_date": "2016-12-01",
        "reference": "SP-1",
        "recommendation": "Report SARC funding",
        "assigned_to": "Chair",
        "status": "awaiting_response",
    }
    assert signed_in.post(url, data).status_code == 302
    follow = signed_in.get(reverse("actions:follow_up", args=["partnership-a"]))
    assert "Report SARC funding" in follow.content.decode()
    assert Recommendation.objects.get().is_open


def test_recommendation_made_at_a_future_meeting_is_refused(signed_in, partnership_a):
    url = reverse("actions:recommendation_create", args=["partnership-a"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {
        "meeting_date": tomorrow.isoformat(),
        "reference": "SP-1",
        "recommendation": "Report SARC funding",
        "assigned_to": "Chair",
        "status": "awaiting_response",
    }

    response = signed_in.post(url, data)

    assert response.status_code == 200
    assert "The meeting date cannot be in the future." in response.content.decode()
    assert not Recommendation.objects.exists()
    with pytest.raises(ValidationError) as refused:
        RecommendationFactory.build(partnership=partnership_a, meeting_date=tomorrow).full_clean()
    assert refused.value.message_dict["meeting_date"] == [
        "The meeting date cannot be in the future."
    ]


def test_a_new_recommendation_is_offered_only_meetings_held(signed_in, partnership_a):
    from tests.factories import MeetingFactory

    today = timezone.localdate()
    held = MeetingFactory(partnership=partnership_a, date=today - datetime.timedelta(days=7))
    later = MeetingFactory(partnership=partnership_a, date=today + datetime.timedelta(days=30))
    url = reverse("actions:recommendation_create", args=["partnership-a"])

    offered = signed_in.get(url).context["form"].fields["meeting"].queryset

    assert list(offered) == [held]
    # A recommendation already linked to a later meeting (stored before this rule) still
    # shows it when changed.
    stored = RecommendationFactory(partnership=partnership_a, meeting_date=later.date)
    Recommendation.objects.filter(pk=stored.pk).update(meeting=later)
    edit = reverse("actions:recommendation_edit", args=["partnership-a", stored.pk])
    assert set(signed_in.get(edit).context["form"].fields["meeting"].queryset) == {held, later}


def test_recommendation_saved_message_shortens_at_a_word(signed_in, partnership_a):
    url = reverse("actions:recommendation_create", args=["partnership-a"])
    data = {
        "meeting_date": "2011-01-20",
        "reference": "CC-2011-02",
        "recommendation": "Include the family group position for violence with injury, and "
        "the actions to improve it, in every update",
        "assigned_to": "Priya Shah",
        "status": "awaiting_response",
    }
    response = signed_in.post(url, data, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Added recommendation CC-2011-02 Include the family group position for violence "
        "with injury…"
    ]
    assert str(Recommendation.objects.get()) == (
        "CC-2011-02 Include the family group position for violence with injury…"
    )


def test_risk_and_action_named_by_shortened_text(partnership_a, red_action):
    risk = RiskFactory(
        partnership=partnership_a,
        reference="R7",
        description="Funding for the independent domestic violence advisers ends in March",
    )
    red_action.description = (
        "Draft a proposal on false vandalism reports with the police, the council"
    )
    assert str(risk) == "R7 Funding for the independent domestic violence advisers ends…"
    assert str(red_action) == "2.2 Draft a proposal on false vandalism reports with the police…"


@pytest.mark.parametrize("name", ["risks", "issues", "recommendations"])
@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_lists_export(signed_in, partnership_a, name, export):
    RiskFactory(partnership=partnership_a, description="=HYPERLINK(1)")
    CrossThemeIssueFactory(partnership=partnership_a)
    RecommendationFactory(partnership=partnership_a)
    response = signed_in.get(
        reverse(f"actions:{name}", args=["partnership-a"]), {"_export": export}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{export}"')
    if export == "csv" and name == "risks":  # risks.csv, a spreadsheet's formula escaped
        text = response.content.decode()
        assert "'=HYPERLINK(1)" in text and ",3,3," in text


def test_risk_list_shows_long_text_under_each_row_and_downloads_every_column(
    signed_in, partnership_a
):
    """The risk's short facts are columns; its theme group, likelihood, impact and
    mitigation are named in a row under it (the table was 1,842 px wide on a 1,100 px
    screen). The download keeps them all as columns: risks.csv's, to import back."""
    RiskFactory(
        partnership=partnership_a,
        reference="SS-R4",
        theme_group=ThemeGroupFactory(partnership=partnership_a, name="Safe and Strong"),
        likelihood=4,
        impact=3,
        mitigation="Task and finish group to address the issues.",
    )
    url = reverse("actions:risks", args=["partnership-a"])
    page = signed_in.get(url).content.decode()

    headers = re.findall(r'<th scope="col"[^>]*>\s*(?:<a[^>]*>)?([^<]*)<', page)
    assert [h.strip() for h in headers] == [
        "",
        "Ref",
        "Risk",
        "Owner",
        "Score",
        "Status",
        "Review date",
    ]
    details = re.findall(r"<dt>([^<]*)</dt> <dd>([^<]*)</dd>", page)
    assert details == [
        ("Theme group:", "Safe and Strong"),
        ("Likelihood:", "4"),
        ("Impact:", "3"),
        ("Mitigation:", "Task and finish group to address the issues."),
    ]
    download = signed_in.get(url, {"_export": "csv"}).content.decode()
    assert download.splitlines()[0] == (
        "\ufeffpartnership,reference,theme_group,description,owner,likelihood,impact,"
        "mitigation,status,review_date"
    )


@pytest.mark.parametrize(
    "name, make, header",
    [
        ("risks", lambda p: RiskFactory(partnership=p, reference="SS-R4"), "SS-R4"),
        ("issues", lambda p: CrossThemeIssueFactory(partnership=p, title="Alcohol"), "Alcohol"),
        (
            "recommendations",
            lambda p: RecommendationFactory(partnership=p, reference="CC-01"),
            "CC-01",
        ),
    ],
)
def test_each_row_is_headed_by_its_reference_not_its_change_link(
    signed_in, partnership_a, name, make, header
):
    """A screen reader names each row by its header cell: that was "Change" on every row
    once the Change link came first."""
    make(partnership_a)
    page = signed_in.get(reverse(f"actions:{name}", args=["partnership-a"])).content.decode()

    row_headers = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', page, re.S)
    shown = [re.sub(r'<span class="app-stack__label">[^<]*</span>', "", h) for h in row_headers]
    assert [re.sub(r"<[^>]+>", "", h).strip() for h in shown] == [header]
    assert re.search(r'<td class="[^"]*app-col-edit[^"]*"><a class="govuk-link"', page)


def test_risk_list_sorts_by_score(signed_in, partnership_a):
    RiskFactory(partnership=partnership_a, reference="LOW", likelihood=1, impact=1)
    RiskFactory(partnership=partnership_a, reference="HIGH", likelihood=5, impact=5)
    url = reverse("actions:risks", args=["partnership-a"])
    rows = signed_in.get(url, {"sort": "score_value"}).context["table"].rows
    assert [r.record.reference for r in rows] == ["LOW", "HIGH"]
    rows = signed_in.get(url).context["table"].rows
    assert [r.record.reference for r in rows] == ["HIGH", "LOW"]


def test_risk_matrix_is_a_table_with_counts(signed_in, partnership_a):
    RiskFactory(partnership=partnership_a, likelihood=4, impact=2)
    RiskFactory(partnership=partnership_a, likelihood=4, impact=2)
    response = signed_in.get(reverse("actions:risk_matrix", args=["partnership-a"]))
    text = response.content.decode()
    assert "<table" in text and 'data-likelihood="4" data-impact="2"' in text
    cell = response.context["matrix"][1][1]
    assert (cell.likelihood, cell.impact, cell.count) == (4, 2, 2)


def test_partnership_page_links_to_plans(signed_in, partnership_a):
    text = signed_in.get(reverse("core:partnership", args=["partnership-a"])).content.decode()
    assert reverse("actions:plans", args=["partnership-a"]) in text
    assert reverse("actions:follow_up", args=["partnership-a"]) in text


@pytest.mark.django_db
def test_the_report_counts_actions_by_progress_before_their_rating(plan_a, red_action):
    from reports import sources

    objective = red_action.objective
    ActionFactory(objective=objective, reference="2.3", description="Not begun")
    ActionFactory(objective=objective, reference="2.4", description="Done", closed=True)

    found = sources.action_plan(
        plan_a.partnership, None, as_at=DAY(2016, 11, 30), since=None, financial_year=2016
    )

    assert [(row["label"], row["count"], row["pct"]) for row in found["progress_counts"]] == [
        ("Complete", 1, "33"),
        ("In progress", 1, "33"),
        ("Not started", 1, "33"),
    ]


@pytest.mark.django_db
def test_the_report_leaves_out_progress_no_action_has(plan_a, red_action):
    from reports import sources

    found = sources.action_plan(
        plan_a.partnership, None, as_at=DAY(2016, 11, 30), since=None, financial_year=2016
    )

    assert [(row["label"], row["count"]) for row in found["progress_counts"]] == [
        ("In progress", 1)
    ]


LAST_REPORT = datetime.datetime(2016, 9, 1, 12, 0, tzinfo=datetime.UTC)


def _section_of_2016_report(partnership, since=LAST_REPORT):
    """The action plan section of a 2016/17 report as at 30 November 2016, the last report
    having been published at ``since``."""
    from reports import sources

    return sources.action_plan(
        partnership, None, as_at=DAY(2016, 11, 30), since=since, financial_year=2016
    )


@pytest.fixture
def plans_of_three_years(plan_a, red_action):
    """Plan A is 2016/17's. An earlier plan has an action still open, one closed before
    the last report and one closed since; a later plan has an action of its own."""
    partnership = plan_a.partnership
    earlier = ActionPlanFactory(
        partnership=partnership, title="Plan of 2015/16", financial_year=2015
    )
    old = ObjectiveFactory(plan=earlier, number=1, title="Carried")
    ActionFactory(objective=old, reference="1.1", description="Still open", due=DAY(2016, 3, 31))
    ActionFactory(
        objective=old,
        reference="1.2",
        description="Finished long ago",
        closed=True,
        closed_at=datetime.datetime(2016, 5, 1, tzinfo=datetime.UTC),
    )
    closed_since = ActionFactory(
        objective=old, reference="1.3", description="Finished since", due=DAY(2016, 3, 31)
    )
    services.action_update_add(
        action=closed_since, status="green", text="Done.", by=None, date=DAY(2016, 10, 1)
    )
    closed_since.closed = True
    closed_since.save()  # closed today: since the last report
    later = ActionPlanFactory(partnership=partnership, title="Plan of 2017/18", financial_year=2017)
    ActionFactory(objective=ObjectiveFactory(plan=later, number=1), description="Next year's")
    return partnership


@pytest.mark.django_db
def test_a_report_gives_its_years_plans_and_the_actions_earlier_plans_carry_over(
    plans_of_three_years,
):
    found = _section_of_2016_report(plans_of_three_years)

    # Plan A's action, the earlier plan's open one and the one closed since the last
    # report; not the one closed before it, nor next year's.
    assert found["total"] == 3
    assert (found["year"], found["plans"]) == ("2016/17", ["Community safety plan"])
    assert (found["carried"], found["carried_plans"]) == (2, ["Plan of 2015/16, 2015/16"])
    assert sorted(c["title"][:3] for c in found["status_changes"]) == ["1.3", "2.2"]
    assert [c["title"] for c in found["closed_since"]] == ["1.3 Finished since"]
    assert sorted(a["reference"] for a in found["overdue"]) == ["1.1", "2.2"]
    # The one closed since is complete: rated no longer, so the RAG counts are of the others.
    assert sum(row["count"] for row in found["rag_counts"]) == found["open_total"] == 2
    assert found["complete_total"] == 1


@pytest.mark.django_db
def test_a_report_says_when_its_year_has_no_plan_and_which_plans_carry_over(plan_a, red_action):
    from reports import services as report_services
    from tests.factories import ReportFactory

    report = ReportFactory(partnership=plan_a.partnership, period=DAY(2017, 5, 1))

    html = report_services.report_publish(report=report, by=None).version.html

    assert (
        "No action plan for 2017/18 has been entered. Carried over from an earlier year&#x27;s "
        "plan (Community safety plan, 2016/17): 1 action still open or changed since the last "
        "report." in html
    )


@pytest.mark.django_db
def test_closing_an_action_records_the_day_and_reopening_clears_it(red_action):
    red_action.closed = True
    red_action.save(update_fields=["closed"])
    red_action.refresh_from_db()
    assert red_action.closed_at is not None
    assert abs(red_action.closed_at - timezone.now()) < datetime.timedelta(minutes=1)

    red_action.closed = False
    red_action.save()
    red_action.refresh_from_db()
    assert red_action.closed_at is None


@pytest.mark.django_db
def test_an_earlier_plans_action_closed_since_the_last_report_with_no_update_is_reported(
    partnership_a,
):

    earlier = ActionPlanFactory(
        partnership=partnership_a, title="2015/16 plan", financial_year=2015
    )
    action = ActionFactory(objective=ObjectiveFactory(plan=earlier), reference="1.1")
    services.action_update_add(
        action=action, status="green", text="Done.", by=None, date=DAY(2016, 8, 1)
    )
    action.refresh_from_db()
    action.closed = True
    action.save()  # the box ticked after the last report, with no new update

    found = _section_of_2016_report(partnership_a)

    assert found["carried"] == 1
    assert [c["title"] for c in found["closed_since"]] == [f"1.1 {action.description}"]


@pytest.mark.django_db
def test_a_later_years_action_is_neither_in_the_report_nor_a_red_indicators_action(
    partnership_a,
):
    from indicators.models import Target
    from reports import rendering
    from reports import services as report_services
    from tests.factories import ReportFactory
    from tests.factories.series import indicators_with_history

    red = indicators_with_history(partnership_a, 1, last=DAY(2016, 11, 1))[0]
    Target.objects.create(indicator=red, financial_year=2016, kind="annual", value=100)
    later = ActionPlanFactory(partnership=partnership_a, title="Plan 2017/18", financial_year=2017)
    action = ActionFactory(
        objective=ObjectiveFactory(plan=later), reference="9.9", description="Next year's work"
    )
    action.indicators.add(red)

    snapshot = report_services.report_snapshot(ReportFactory(partnership=partnership_a))

    assert snapshot["actions"] is None
    assert snapshot["key_findings"]["red_without_action"] == [red.pk]
    assert "9.9 Next year" not in rendering.render_document(snapshot)


@pytest.mark.django_db
def test_the_publish_page_knows_plans_are_connected_when_none_is_the_reports(
    client, partnership_a, officer_a
):
    from indicators.models import Target
    from tests.factories import ReportFactory
    from tests.factories.series import indicators_with_history

    red = indicators_with_history(partnership_a, 1, last=DAY(2016, 11, 1))[0]
    Target.objects.create(indicator=red, financial_year=2016, kind="annual", value=100)
    later = ActionPlanFactory(partnership=partnership_a, title="Plan 2017/18", financial_year=2017)
    ActionFactory(objective=ObjectiveFactory(plan=later))
    report = ReportFactory(partnership=partnership_a)
    client.force_login(officer_a)

    page = client.get(reverse("reports:publish", args=[partnership_a.slug, report.pk]))

    assert page.status_code == 200
    # The red indicator has no action of the report's: the page says so, and no more.
    assert b"Every red indicator should carry its corrective action." in page.content
    assert b"Action plans are not yet connected to reports" not in page.content


@pytest.mark.django_db
def test_a_plan_of_the_reports_year_with_no_actions_is_named(partnership_a):
    from reports import services as report_services
    from tests.factories import ReportFactory

    ActionPlanFactory(partnership=partnership_a, title="Plan 2016/17", financial_year=2016)
    earlier = ActionPlanFactory(
        partnership=partnership_a, title="Plan 2015/16", financial_year=2015
    )
    ActionFactory(objective=ObjectiveFactory(plan=earlier))  # open: carried over

    html = report_services.report_publish(
        report=ReportFactory(partnership=partnership_a), by=None
    ).version.html

    assert (
        "The 2016/17 action plan: Plan 2016/17. It has no actions yet. Carried over from an "
        "earlier year&#x27;s plan (Plan 2015/16, 2015/16): 1 action still open or changed since "
        "the last report." in html
    )


@pytest.mark.django_db
def test_the_action_page_says_when_it_was_closed(client, officer_a, red_action):
    red_action.closed = True
    red_action.closed_at = datetime.datetime(2016, 10, 12, 15, 0, tzinfo=datetime.UTC)
    red_action.save()
    client.force_login(officer_a)

    page = client.get(red_action.get_absolute_url())

    status = re.search(r'<p class="govuk-body">(.*?)</p>', page.content.decode()).group(1)
    words = " ".join(re.sub(r"<[^>]+>", " ", status).split())
    # Complete, the rating it last had kept as information: never a plain "Red".
    assert words == "✓ Complete (last rated Red) Closed on 12 October 2016."
    assert "app-status--red" not in status


@pytest.mark.django_db
def test_closed_since_counts_from_the_time_the_last_report_was_published(partnership_a):

    earlier = ActionPlanFactory(
        partnership=partnership_a, title="2015/16 plan", financial_year=2015
    )
    objective = ObjectiveFactory(plan=earlier)
    published = LAST_REPORT
    for reference, hour in (("1.1", 9), ("1.2", 15)):  # the morning before, the afternoon after
        ActionFactory(
            objective=objective,
            reference=reference,
            description="Done",
            closed=True,
            closed_at=published.replace(hour=hour),
        )

    found = _section_of_2016_report(partnership_a)

    assert [c["title"] for c in found["closed_since"]] == ["1.2 Done"]
    assert found["carried"] == 1


# A closed action takes no update -------------------------------------------------------

CLOSED_REFUSAL = "Action 2.2 is closed: reopen it to update its status."


def _closed(action):
    services.action_save(plan=action.plan, by=None, action=action, edits={"closed": (False, True)})
    action.refresh_from_db()
    return action


def test_an_update_to_a_closed_action_is_refused(red_action, officer_a):
    action = _closed(red_action)
    updates = action.updates.count()

    with pytest.raises(ValidationError) as refused:
        services.action_update_add(
            action=action, status="amber", text="Late news.", by=officer_a, date=DAY(2016, 12, 1)
        )

    assert refused.value.messages == [CLOSED_REFUSAL]
    assert action.updates.count() == updates
    assert Action.objects.get(pk=action.pk).status == "red"


def test_a_closed_actions_page_offers_no_update_and_says_how_to_reopen(signed_in, red_action):
    action = _closed(red_action)
    url = reverse("actions:action", args=["partnership-a", action.pk])

    page = signed_in.get(url)

    assert page.context["form"] is None
    text = page.content.decode()
    assert "Update this action" not in text
    assert "To update its status, reopen it" in text

    posted = signed_in.post(url, _quick(action, status="red"))

    assert posted.status_code == 200
    assert "govuk-error-summary" in posted.content.decode()
    assert CLOSED_REFUSAL in posted.content.decode()
    assert Action.objects.get(pk=action.pk).updates.filter(kind="update").count() == 1


def test_the_plan_page_offers_no_quick_update_for_a_closed_action(signed_in, plan_a, red_action):
    action = _closed(red_action)
    url = reverse("actions:plan", args=["partnership-a", plan_a.pk])

    text = signed_in.get(url).content.decode()

    assert "Update action 2.2" not in text
    assert "To update its status, reopen it" in text

    posted = signed_in.post(url, _quick(action, status="red"))

    assert posted.status_code == 200
    assert CLOSED_REFUSAL in posted.content.decode()
    assert Action.objects.get(pk=action.pk).updates.filter(kind="update").count() == 1


@pytest.fixture
def inactive_officer(partnership_a):
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="gone", first_name="Gwen", last_name="Gone", is_active=False)
    return MembershipFactory(user=user, partnership=partnership_a, role="officer")


def test_new_action_offers_only_active_members_as_lead(signed_in, plan_a, inactive_officer):
    url = reverse("actions:action_create", args=["partnership-a", plan_a.pk])
    leads = signed_in.get(url).context["form"].fields["lead_member"].queryset
    assert inactive_officer not in leads
    assert leads.exists()


def test_action_edit_keeps_an_inactive_lead(signed_in, red_action, inactive_officer):
    red_action.lead_member, red_action.lead_text = inactive_officer, ""
    red_action.save()
    url = reverse("actions:action_edit", args=["partnership-a", red_action.pk])
    assert inactive_officer in signed_in.get(url).context["form"].fields["lead_member"].queryset
    data = _action_post(red_action, lead_member=inactive_officer.pk, lead_text="", when="Monthly")
    assert signed_in.post(url, data).status_code == 302
    red_action.refresh_from_db()
    assert red_action.lead_member == inactive_officer


@pytest.mark.parametrize("text", ["Late news.", ""])
def test_the_plan_pages_error_summary_for_a_closed_action_links_to_the_action(
    signed_in, plan_a, red_action, text
):
    action = _closed(red_action)
    url = reverse("actions:plan", args=["partnership-a", plan_a.pk])

    # An update posted from a page opened before the action was closed.
    text = signed_in.post(url, _quick(action, status="red", text=text)).content.decode()

    summary = text[text.index("govuk-error-summary__list") :]
    targets = re.findall(r'<li><a href="#([^"]+)">', summary[: summary.index("</ul>")])
    assert targets
    for target in targets:
        assert f'id="{target}"' in text
        assert text.index(f'id="{target}"') >= text.index(f'id="action-{action.pk}"')
