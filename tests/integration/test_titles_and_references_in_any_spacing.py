"""A plan's title and a risk's reference name one row of their partnership whatever their
capitals and spaces, as a recommendation's reference and a theme group's name do: on the
site's forms, in the admin, in the imports, and in the database (test_name_keys): each row
keeps its `rules.unique_key`, as SQLite folds the capitals of ASCII letters only, and no
database folds spaces."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import ActionPlan, Risk
from indicators import importing
from tests.factories import IndicatorFactory, ThemeGroupFactory
from tests.factories.actions import ActionPlanFactory, RiskFactory
from tests.integration.test_actions_transfer import ACTION_ROWS, RISK_ROWS, _import, _write
from tests.integration.test_admin_history import _admin_url, _untouched
from tests.integration.test_double_submit import _other_session_first

pytestmark = pytest.mark.django_db

NO_OBJECTIVES = {"objectives-TOTAL_FORMS": 0, "objectives-INITIAL_FORMS": 0}
RISK_FORM = {
    "reference": "r  1",
    "description": "Night time disorder",
    "likelihood": "3",
    "impact": "3",
    "status": "open",
}


def plan_taken(title: str, stored: str, how: str) -> str:
    return (
        f"Partnership A already has a plan called {stored!r}, which differs from {title!r} "
        f"only in {how}: use that plan, or choose another title."
    )


def risk_taken(reference: str, stored: str, how: str) -> str:
    return (
        f"Risk {stored} already exists in this partnership, and {reference} differs from it "
        f"only in {how}: choose another reference."
    )


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


@pytest.mark.parametrize(
    "given, stored, how",
    [
        ("Safe  and Strong", "Safe and Strong", "spaces"),
        ("SAFE  AND STRONG", "Safe and Strong", "capitals and spaces"),
        ("équipe jeunesse", "Équipe jeunesse", "capitals"),
    ],
)
def test_a_title_or_reference_differing_only_in_spaces_or_capitals_beyond_ascii_is_refused(
    partnership_a, given, stored, how
):
    """Review finding: "Safe  and Strong" was taken beside "Safe and Strong", and on SQLite
    "équipe jeunesse" beside "Équipe jeunesse" (its lower() folds ASCII letters only)."""
    ActionPlanFactory(partnership=partnership_a, title=stored)
    RiskFactory(partnership=partnership_a, reference=stored[:20])
    plan = ActionPlanFactory.build(partnership=partnership_a, title=given)
    risk = RiskFactory.build(partnership=partnership_a, reference=given[:20])

    with pytest.raises(ValidationError) as plan_refused:
        plan.full_clean()
    with pytest.raises(ValidationError) as risk_refused:
        risk.full_clean()

    assert plan_refused.value.message_dict["title"] == [plan_taken(given, stored, how)]
    assert risk_refused.value.message_dict["reference"] == [
        risk_taken(given[:20], stored[:20], how)
    ]


def test_the_plan_form_refuses_a_title_differing_only_in_spaces(signed_in, partnership_a):
    ActionPlanFactory(partnership=partnership_a, title="Safe and Strong")
    url = reverse("actions:plan_create", args=[partnership_a.slug])

    response = signed_in.post(url, {"title": "Safe  and Strong", "financial_year": "2016/17"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title": [plan_taken("Safe  and Strong", "Safe and Strong", "spaces")]
    }
    assert list(partnership_a.action_plans.values_list("title", flat=True)) == ["Safe and Strong"]


def test_the_risk_form_refuses_it_when_another_session_saves_it_first(
    monkeypatch, signed_in, partnership_a
):
    """A "R 1" another session saves meanwhile, after the service's own check, is found by
    the risk's clean(), with the same sentence."""
    _other_session_first(
        monkeypatch, lambda: RiskFactory(partnership=partnership_a, reference="R 1")
    )
    url = reverse("actions:risk_create", args=[partnership_a.slug])

    response = signed_in.post(url, RISK_FORM)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reference": [risk_taken("r  1", "R 1", "capitals and spaces")]
    }


def test_a_plan_may_change_the_spaces_of_its_own_title(client, admin_user, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a, title="Safe  and strong")
    client.force_login(admin_user)
    url = _admin_url(plan)

    response = client.post(url, {**_untouched(client.get(url)), "title": "Safe and Strong"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Safe and Strong"


def test_admin_refuses_titles_and_references_differing_only_in_spaces(
    client, admin_user, partnership_a, partnership_b
):
    ActionPlanFactory(partnership=partnership_a, title="Safe and Strong")
    RiskFactory(partnership=partnership_a, reference="R 1")
    client.force_login(admin_user)
    plan_form = {"partnership": partnership_a.pk, "financial_year": 2016, **NO_OBJECTIVES}
    risk_form = {**RISK_FORM, "partnership": partnership_a.pk, "reference": "R  1"}

    plan = client.post(
        reverse("admin:actions_actionplan_add"), {**plan_form, "title": "safe and  strong"}
    )
    risk = client.post(reverse("admin:actions_risk_add"), risk_form)
    elsewhere = client.post(
        reverse("admin:actions_risk_add"), {**risk_form, "partnership": partnership_b.pk}
    )

    assert plan.status_code == 200
    assert plan.context["adminform"].form.errors == {
        "title": [plan_taken("safe and  strong", "Safe and Strong", "capitals and spaces")]
    }
    assert risk.status_code == 200
    assert risk.context["adminform"].form.errors == {
        "reference": [risk_taken("R  1", "R 1", "spaces")]
    }
    assert elsewhere.status_code == 302
    assert ActionPlan.objects.count() == 1
    assert list(partnership_a.risks.values_list("reference", flat=True)) == ["R 1"]


def test_risks_import_updates_the_risk_a_reference_names_in_any_capitals_and_spaces(
    tmp_path, partnership_a
):
    """Review finding: re-importing "r  1" made a second risk beside "R 1"."""
    RiskFactory(partnership=partnership_a, reference="Équipe 1", description="Old")
    _write(tmp_path, "risks", RISK_ROWS[1].replace("R2", "R 2"))
    _import(tmp_path)
    _write(
        tmp_path,
        "risks",
        RISK_ROWS[1].replace("R2", "r  2").replace("Capacity", "Staff"),
        RISK_ROWS[1].replace("R2", "équipe  1").replace("Capacity", "New"),
    )

    report = _import(tmp_path)

    assert (report.created["risks"], report.updated["risks"]) == (0, 2)
    assert sorted(Risk.objects.values_list("reference", "description")) == [
        ("r  2", "Staff"),
        ("équipe  1", "New"),
    ]


def test_risks_import_refuses_a_file_naming_one_risk_twice_in_other_spaces(tmp_path, partnership_a):
    _write(
        tmp_path,
        "risks",
        RISK_ROWS[1].replace("R2", "R 2"),
        RISK_ROWS[1].replace("R2", "R1"),
        RISK_ROWS[1].replace("R2", "r 2"),
        RISK_ROWS[1].replace("R2", "r  2"),
    )

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)

    assert failed.value.report.errors == [
        "risks.csv row 4: a second risk 'r 2' (first at row 2)",
        "risks.csv row 5: a second risk 'r  2' (first at row 2)",
    ]
    assert not Risk.objects.exists()


def test_actions_import_refuses_a_plan_named_in_other_spaces(tmp_path, partnership_a, officer_a):
    """As in other capitals: actions.csv names a plan by its title, so "Safe  plan" beside a
    stored "Safe plan" would be a second plan to it."""
    ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    for code in ("TV 01", "TV 02"):
        IndicatorFactory(partnership=partnership_a, code=code)
    ActionPlanFactory(partnership=partnership_a, title="Safe plan", financial_year=2006)
    _write(tmp_path, "actions", ACTION_ROWS[0].replace(",Plan,", ",safe  Plan,"))

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path, by=officer_a)

    assert failed.value.report.errors == [
        "actions.csv row 2: "
        + plan_taken("safe  Plan", "Safe plan", "capitals and spaces").rstrip(".")
    ]
    assert list(ActionPlan.objects.values_list("title", flat=True)) == ["Safe plan"]
