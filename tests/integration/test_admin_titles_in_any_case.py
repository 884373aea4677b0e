"""A plan's title and a risk's reference name one row of their partnership whatever their
capitals, in the admin as on the site's forms and in imports, and in the database."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import ActionPlan, Risk
from indicators import importing
from tests.factories import IndicatorFactory, ThemeGroupFactory
from tests.factories.actions import ActionPlanFactory, RiskFactory
from tests.integration.test_actions_transfer import ACTION_ROWS, _import, _write
from tests.integration.test_admin_history import _admin_url, _untouched

pytestmark = pytest.mark.django_db

NO_OBJECTIVES = {"objectives-TOTAL_FORMS": 0, "objectives-INITIAL_FORMS": 0}


def test_admin_refuses_a_plan_title_differing_only_in_capitals(
    client, admin_user, partnership_a, partnership_b
):
    """Review finding: the admin took "safe and strong" beside "Safe and Strong", which the
    site's form and the import refuse (the import could not tell which plan a row meant)."""
    ActionPlanFactory(partnership=partnership_a, title="Safe and Strong")
    other = ActionPlanFactory(partnership=partnership_a, title="Night time economy")
    client.force_login(admin_user)
    add = reverse("admin:actions_actionplan_add")
    form = {"partnership": partnership_a.pk, "financial_year": 2016, **NO_OBJECTIVES}

    added = client.post(add, {**form, "title": "safe and strong"})
    renamed = client.post(
        _admin_url(other), {**_untouched(client.get(_admin_url(other))), "title": "SAFE AND STRONG"}
    )
    elsewhere = client.post(
        add, {**form, "partnership": partnership_b.pk, "title": "safe and strong"}
    )

    message = (
        "Partnership A already has a plan called 'Safe and Strong', which differs from "
        "{!r} only in capitals: use that plan, or choose another title."
    )
    assert added.status_code == 200
    assert added.context["adminform"].form.errors == {"title": [message.format("safe and strong")]}
    assert renamed.status_code == 200
    assert renamed.context["adminform"].form.errors == {
        "title": [message.format("SAFE AND STRONG")]
    }
    other.refresh_from_db()
    assert other.title == "Night time economy"
    assert elsewhere.status_code == 302
    assert sorted(partnership_a.action_plans.values_list("title", flat=True)) == [
        "Night time economy",
        "Safe and Strong",
    ]


def test_a_plan_may_change_the_capitals_of_its_own_title(client, admin_user, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a, title="Safe and strong")
    client.force_login(admin_user)
    url = _admin_url(plan)

    response = client.post(url, {**_untouched(client.get(url)), "title": "Safe and Strong"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Safe and Strong"


def test_admin_refuses_a_risk_reference_differing_only_in_capitals(
    client, admin_user, partnership_a, partnership_b
):
    """Review finding: the admin took risk "r1" beside "R1"; the import finds a risk by its
    reference in any capitals, so one of the two could no longer be updated."""
    RiskFactory(partnership=partnership_a, reference="R1")
    client.force_login(admin_user)
    add = reverse("admin:actions_risk_add")
    form = {
        "partnership": partnership_a.pk,
        "reference": "r1",
        "description": "Night time disorder",
        "likelihood": 3,
        "impact": 3,
        "status": "open",
    }

    refused = client.post(add, form)
    elsewhere = client.post(add, {**form, "partnership": partnership_b.pk})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {
        "reference": [
            "Risk R1 already exists in this partnership, and r1 differs from it only in "
            "capitals: choose another reference."
        ]
    }
    assert elsewhere.status_code == 302
    assert list(partnership_a.risks.values_list("reference", flat=True)) == ["R1"]


@pytest.mark.parametrize(
    ("make", "clash"),
    [
        (
            lambda p: ActionPlan.objects.create(partnership=p, title="Safe", financial_year=2016),
            lambda p: ActionPlan.objects.create(partnership=p, title="SAFE", financial_year=2017),
        ),
        (
            lambda p: Risk.objects.create(
                partnership=p, reference="R1", description="d", likelihood=1, impact=1
            ),
            lambda p: Risk.objects.create(
                partnership=p, reference="r1", description="d", likelihood=1, impact=1
            ),
        ),
    ],
    ids=["plan", "risk"],
)
def test_the_database_refuses_titles_and_references_differing_only_in_capitals(
    partnership_a, partnership_b, make, clash
):
    """Written past the forms (a script, a race between two saves): the database refuses."""
    make(partnership_a)
    clash(partnership_b)  # another partnership's may

    with pytest.raises(IntegrityError), transaction.atomic():
        clash(partnership_a)


def test_an_import_naming_one_plan_in_two_capitals_is_told_the_row(
    tmp_path, partnership_a, officer_a
):
    """The import refuses it as the admin and the site's form do, naming the row; nothing
    is imported."""
    ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    for code in ("TV 01", "TV 02"):
        IndicatorFactory(partnership=partnership_a, code=code)
    _write(tmp_path, "actions", ACTION_ROWS[0], ACTION_ROWS[1].replace(",Plan,", ",PLAN,"))

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path, by=officer_a)

    assert failed.value.report.errors == [
        "actions.csv row 3: Partnership A already has a plan called 'Plan', which differs "
        "from 'PLAN' only in capitals: use that plan, or choose another title"
    ]
    assert not ActionPlan.objects.exists()
