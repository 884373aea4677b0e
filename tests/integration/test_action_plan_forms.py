"""Starting and changing action plans and their objectives on the site."""

import pytest
from django.urls import reverse

from actions.models import ActionPlan, Objective
from tests.factories import IndicatorFactory, ThemeGroupFactory
from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


def test_plans_page_empty_state_says_how_to_start(signed_in):
    response = signed_in.get(reverse("actions:plans", args=["partnership-a"]))
    text = response.content.decode()
    assert "There are no action plans yet" in text
    assert reverse("actions:plan_create", args=["partnership-a"]) in text


def test_plan_create_happy_path(signed_in, partnership_a):
    group = ThemeGroupFactory(partnership=partnership_a, name="Safe")
    response = signed_in.post(
        reverse("actions:plan_create", args=["partnership-a"]),
        {"title": " Safer streets ", "financial_year": "2016/17", "theme_group": group.pk},
    )
    plan = ActionPlan.objects.get(partnership=partnership_a)
    assert (plan.title, plan.financial_year, plan.theme_group) == ("Safer streets", 2016, group)
    assert response.url == reverse("actions:objective_create", args=["partnership-a", plan.pk])


def test_plan_create_accepts_start_year_alone(signed_in, partnership_a):
    signed_in.post(
        reverse("actions:plan_create", args=["partnership-a"]),
        {"title": "Plan", "financial_year": "2019"},
    )
    assert ActionPlan.objects.get(partnership=partnership_a).financial_year == 2019


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "  ", "financial_year": "2016/17"}, "title", "Enter a title"),
        ({"title": "Plan", "financial_year": ""}, "financial_year", "Enter the financial year"),
        ({"title": "Plan", "financial_year": "2016/18"}, "financial_year", "like 20"),
        ({"title": "Plan", "financial_year": "1016"}, "financial_year", "from 2000/01 to"),
        ({"title": "Plan", "financial_year": "2106/07"}, "financial_year", "from 2000/01 to"),
        ({"title": "Plan", "financial_year": "soon"}, "financial_year", "like 20"),
    ],
)
def test_plan_create_bad_input_shows_error_summary(signed_in, partnership_a, data, field, message):
    response = signed_in.post(reverse("actions:plan_create", args=["partnership-a"]), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert f'href="#id_{field}"' in text
    assert message in text
    assert not ActionPlan.objects.exists()


def test_plan_create_theme_group_of_another_partnership_refused(
    signed_in, partnership_a, partnership_b
):
    other = ThemeGroupFactory(partnership=partnership_b)
    response = signed_in.post(
        reverse("actions:plan_create", args=["partnership-a"]),
        {"title": "Plan", "financial_year": "2016/17", "theme_group": other.pk},
    )
    assert "Choose a theme group of this partnership." in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_plan_create_duplicate_title_refused(signed_in, partnership_a):
    ActionPlanFactory(partnership=partnership_a, title="Safer streets")
    response = signed_in.post(
        reverse("actions:plan_create", args=["partnership-a"]),
        {"title": "safer streets", "financial_year": "2016/17"},
    )
    assert "already has a plan called" in response.content.decode()
    assert ActionPlan.objects.count() == 1


def test_plan_edit_changes_only_what_was_changed(signed_in, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a, title="Old", financial_year=2016)
    response = signed_in.post(
        reverse("actions:plan_edit", args=["partnership-a", plan.pk]),
        {
            "title": "New",
            "financial_year": "2016/17",
            "theme_group": "",
            "initial-title": "Old",
            "initial-financial_year": "2016",
            "initial-theme_group": "",
        },
    )
    assert response.url == plan.get_absolute_url()
    plan.refresh_from_db()
    assert (plan.title, plan.financial_year) == ("New", 2016)


def test_plan_edit_stale_title_refused(signed_in, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a, title="Someone else's")
    response = signed_in.post(
        reverse("actions:plan_edit", args=["partnership-a", plan.pk]),
        {
            "title": "Mine",
            "financial_year": "2016/17",
            "initial-title": "Old",
            "initial-financial_year": "2016",
        },
    )
    assert "Someone else changed the title" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Someone else's"


def test_plan_edit_year_after_an_action_due_refused(signed_in, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2016)
    ActionFactory(objective=ObjectiveFactory(plan=plan), due="2016-09-30")
    response = signed_in.post(
        reverse("actions:plan_edit", args=["partnership-a", plan.pk]),
        {
            "title": plan.title,
            "financial_year": "2017/18",
            "initial-title": plan.title,
            "initial-financial_year": "2016",
        },
    )
    assert "1 action of this plan is due before 1 April 2017" in response.content.decode()
    plan.refresh_from_db()
    assert plan.financial_year == 2016


def test_objective_create_happy_path_goes_on_to_actions(signed_in, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a)
    form = signed_in.get(reverse("actions:objective_create", args=["partnership-a", plan.pk]))
    assert 'value="1"' in form.content.decode()  # the next number is offered
    response = signed_in.post(
        reverse("actions:objective_create", args=["partnership-a", plan.pk]),
        {"number": 1, "title": "Reduce criminal damage"},
    )
    objective = Objective.objects.get(plan=plan)
    assert objective.title == "Reduce criminal damage"
    assert response.url.endswith(f"?objective={objective.pk}")
    page = signed_in.get(response.url).content.decode()
    assert f'<option value="{objective.pk}" selected>' in page


def test_objective_number_unique_in_plan(signed_in, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a)
    ObjectiveFactory(plan=plan, number=1)
    ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership_a), number=2)
    response = signed_in.post(
        reverse("actions:objective_create", args=["partnership-a", plan.pk]),
        {"number": 1, "title": "Again"},
    )
    assert "This plan already has an objective 1" in response.content.decode()
    assert plan.objectives.count() == 1
    signed_in.post(
        reverse("actions:objective_create", args=["partnership-a", plan.pk]),
        {"number": 2, "title": "Another plan's number is free"},
    )
    assert plan.objectives.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "", "title": "T"}, "Enter the objective&#x27;s number"),
        ({"number": "0", "title": "T"}, "must be 1 or more"),
        ({"number": "x", "title": "T"}, "as a whole number"),
        ({"number": "1", "title": " "}, "Say what the objective is."),
    ],
)
def test_objective_create_bad_input_refused(signed_in, partnership_a, data, message):
    plan = ActionPlanFactory(partnership=partnership_a)
    response = signed_in.post(
        reverse("actions:objective_create", args=["partnership-a", plan.pk]), data
    )
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert message in text
    assert not plan.objectives.exists()


def test_objective_edit_renumbers(signed_in, partnership_a):
    objective = ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership_a), number=1)
    signed_in.post(
        reverse("actions:objective_edit", args=["partnership-a", objective.pk]),
        {
            "number": 3,
            "title": objective.title,
            "initial-number": "1",
            "initial-title": objective.title,
        },
    )
    objective.refresh_from_db()
    assert objective.number == 3


def test_plan_page_links_to_forms_for_editors(signed_in, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a)
    objective = ObjectiveFactory(plan=plan, number=1)
    text = signed_in.get(plan.get_absolute_url()).content.decode()
    for url in [
        reverse("actions:plan_edit", args=["partnership-a", plan.pk]),
        reverse("actions:objective_create", args=["partnership-a", plan.pk]),
        reverse("actions:objective_edit", args=["partnership-a", objective.pk]),
        reverse("actions:action_create", args=["partnership-a", plan.pk]),
    ]:
        assert url in text


def test_plan_forms_refused_to_other_partnership(client, officer_b, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a, title="Kept")
    objective = ObjectiveFactory(plan=plan, number=1, title="Kept")
    client.force_login(officer_b)
    assert client.post(
        reverse("actions:plan_edit", args=["partnership-a", plan.pk]), {"title": "Taken"}
    ).status_code in (403, 404)
    assert client.post(
        reverse("actions:objective_edit", args=["partnership-a", objective.pk]),
        {"number": 1, "title": "Taken"},
    ).status_code in (403, 404)
    assert client.post(
        reverse("actions:plan_create", args=["partnership-a"]),
        {"title": "New", "financial_year": "2016/17"},
    ).status_code in (403, 404)
    plan.refresh_from_db()
    objective.refresh_from_db()
    assert (plan.title, objective.title, ActionPlan.objects.count()) == ("Kept", "Kept", 1)


def test_plan_page_shows_actions_a_page_at_a_time(signed_in, partnership_a):
    from tests.factories.action_plans import plan_with_actions

    plan = plan_with_actions(partnership_a, 60)
    first = signed_in.get(plan.get_absolute_url())
    second = signed_in.get(plan.get_absolute_url(), {"page": 2})
    assert first.content.decode().count("<article") == 50
    assert second.content.decode().count("<article") == 10
    assert "Showing 60 of 60 actions: 51 to 60 on this page." in second.content.decode()
    assert 'aria-label="Pages of actions"' in first.content.decode()
    assert first.context["page"].counts == second.context["page"].counts  # every action


@pytest.mark.parametrize("number", ["-1", "0"])
def test_an_objective_number_below_one_is_said_once(signed_in, partnership_a, number):
    """Review finding: −1 was refused by the field's own 0-or-more rule and by the form's
    1-or-more one, so the same sentence showed twice at the field."""
    plan = ActionPlanFactory(partnership=partnership_a)

    response = signed_in.post(
        reverse("actions:objective_create", args=["partnership-a", plan.pk]),
        {"number": number, "title": "Reduce criminal damage"},
    )

    assert response.context["form"].errors == {
        "number": ["The objective's number must be 1 or more."]
    }
    assert response.content.decode().count("The objective&#x27;s number must be 1 or more.") == 2
    assert not plan.objectives.exists()


def test_add_action_form_preselects_an_indicator_given_in_the_address(signed_in, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a)
    chosen = IndicatorFactory(partnership=partnership_a, code="ST 02")
    other = IndicatorFactory(partnership=partnership_a, code="ST 03")
    url = reverse("actions:action_create", args=["partnership-a", plan.pk])

    form = signed_in.get(f"{url}?indicator={chosen.pk}").context["form"]

    assert form.initial["indicators"] == [chosen.pk]
    assert other.pk not in form.initial["indicators"]


def test_add_action_form_says_which_indicators_it_has_ticked(signed_in, partnership_a):
    # The indicator was ticked silently, the 6th of 29 boxes.
    plan = ActionPlanFactory(partnership=partnership_a)
    chosen = IndicatorFactory(partnership=partnership_a, code="SP 01", title="Overall crime")
    IndicatorFactory(partnership=partnership_a, code="SP 02", title="Burglary")
    url = reverse("actions:action_create", args=["partnership-a", plan.pk])

    page = signed_in.get(f"{url}?indicator={chosen.pk}").content.decode()

    assert '<div class="govuk-inset-text">This action is for SP 01 Overall crime.</div>' in page
    assert "Back to publishing" not in page
    assert "This action is for" not in signed_in.get(url).content.decode()


def test_add_action_form_links_back_to_the_publish_page_it_came_from(signed_in, partnership_a):
    from tests.factories import ReportFactory

    plan = ActionPlanFactory(partnership=partnership_a)
    chosen = IndicatorFactory(partnership=partnership_a, code="SP 01", title="Overall crime")
    report = ReportFactory(partnership=partnership_a)
    url = reverse("actions:action_create", args=["partnership-a", plan.pk])
    publish = reverse("reports:publish", args=["partnership-a", report.pk])

    page = signed_in.get(f"{url}?indicator={chosen.pk}&from=publish&report={report.pk}").text

    assert f'href="{publish}"' in page
    for other in (f"{report.pk + 1}", "x", "99999999999999999999"):
        page = signed_in.get(f"{url}?indicator={chosen.pk}&from=publish&report={other}").text
        assert "Back to publishing" not in page


def test_a_plan_started_for_an_indicator_goes_on_to_its_objective_then_its_action(
    signed_in, partnership_a
):
    # From the publish page's red indicator: the indicator stays chosen through the
    # plan's and objective's forms to the action's.
    chosen = IndicatorFactory(partnership=partnership_a)
    carried = f"indicator={chosen.pk}&from=publish&report=7"

    response = signed_in.post(
        reverse("actions:plan_create", args=["partnership-a"]) + f"?{carried}",
        {"title": "Safer streets", "financial_year": "2016/17"},
    )
    plan = ActionPlan.objects.get(partnership=partnership_a)
    assert response.url == (
        reverse("actions:objective_create", args=["partnership-a", plan.pk]) + f"?{carried}"
    )
    response = signed_in.post(response.url, {"number": "1", "title": "Fewer burglaries"})
    objective = plan.objectives.get()
    assert response.url == (
        reverse("actions:action_create", args=["partnership-a", plan.pk])
        + f"?objective={objective.pk}&{carried}"
    )
    form = signed_in.get(response.url).context["form"]
    assert form.initial == {"objective": str(objective.pk), "indicators": [chosen.pk]}


@pytest.mark.parametrize("given", ["other", "junk", "99999999999999999999", ""])
def test_add_action_form_ignores_an_indicator_not_of_the_partnership(
    signed_in, partnership_a, partnership_b, given
):
    plan = ActionPlanFactory(partnership=partnership_a)
    theirs = IndicatorFactory(partnership=partnership_b)
    url = reverse("actions:action_create", args=["partnership-a", plan.pk])
    value = theirs.pk if given == "other" else given

    response = signed_in.get(f"{url}?indicator={value}")

    assert response.status_code == 200
    assert not response.context["form"].initial.get("indicators")


def test_action_due_date_example_is_in_the_plans_year(signed_in, partnership_a):
    # "For example, 25/08/2007" was refused as before a 2026/27 plan's year.
    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2026)

    form = signed_in.get(reverse("actions:action_create", args=["partnership-a", plan.pk])).context[
        "form"
    ]

    assert form.fields["due"].help_text == "For example, 31/03/2027."
    assert form.fields["due"].error_messages["invalid"] == (
        "Enter the due date as a real date, like 31/03/2027."
    )
