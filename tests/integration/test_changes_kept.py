"""What a row's Changes section keeps (csp_portal/core/change_log.py): a risk's, an
issue's and a recommendation's status changes (an action's are its updates), its removed
children's changes on the parent's page, and labels in the site's words; what an import
says of a new action; and what an administrator is told on a refusal page."""

import datetime

import pytest
from django.urls import reverse

from actions import services as action_services
from actions.models import ActionsChange
from commissioning import services as commissioning_services
from indicators import importing
from tests.factories import ProgressUpdateFactory
from tests.factories.actions import ActionFactory, ObjectiveFactory, RiskFactory
from tests.integration.test_actions_transfer import ACTION_ROWS, _write, valley  # noqa: F401
from tests.integration.test_admin_history import _admin_url
from tests.integration.test_change_history import _text
from tests.migrations import migrate, migrate_to_the_end

pytestmark = pytest.mark.django_db


def _risk_page(client, risk) -> str:
    return _text(client.get(reverse("actions:risk_edit", args=[risk.partnership.slug, risk.pk])))


# Status ----------------------------------------------------------------------


def test_closing_a_risk_shows_in_its_changes(client, officer_a, risk_a):
    action_services.risk_save(
        partnership=risk_a.partnership,
        by=officer_a,
        values={},
        risk=risk_a,
        edits={"status": ("open", "closed")},
    )
    client.force_login(officer_a)

    assert "Status from “Open” to “Closed”" in _risk_page(client, risk_a)


def test_a_recommendations_status_change_shows_in_its_changes(client, officer_a, recommendation_a):
    action_services.recommendation_save(
        partnership=recommendation_a.partnership,
        by=officer_a,
        values={},
        recommendation=recommendation_a,
        edits={"status": (recommendation_a.status, "done")},
    )
    client.force_login(officer_a)
    url = reverse(
        "actions:recommendation_edit", args=[recommendation_a.partnership.slug, recommendation_a.pk]
    )

    assert "Status from “Awaiting response” to “Done”" in _text(client.get(url))


def test_an_imports_status_change_is_recorded(client, tmp_path, officer_a, partnership_a):
    risk = RiskFactory(partnership=partnership_a, reference="R1", description="Funding")
    (tmp_path / "risks.csv").write_text(
        "partnership,reference,description,likelihood,impact,status,review_date\n"
        f"partnership-a,R1,Funding,{risk.likelihood},{risk.impact},closed,\n",
        encoding="utf-8",
    )
    importing.import_path(tmp_path, by=officer_a, source="import")
    client.force_login(officer_a)

    assert "Status from “Open” to “Closed”" in _risk_page(client, risk)


def test_a_removal_records_the_status(partnership_a):
    risk = RiskFactory(partnership=partnership_a, status="closed")
    action_services.row_remove(row=risk, by=None)
    assert ActionsChange.objects.get(new__isnull=True).old["status"] == "closed"


def test_an_actions_status_stays_out_of_its_changes(action_a):
    """Its updates are the history of its status (action_history)."""
    assert "status" not in action_services.HISTORY.snapshot(action_a)


# An import's new action ----------------------------------------------------------


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_imports_new_action_is_described_with_its_status(tmp_path, valley, dry_run):  # noqa: F811
    _write(tmp_path, "actions", ACTION_ROWS[0])
    report = importing.import_path(tmp_path, by=None, source="import", dry_run=dry_run)

    (row,) = report.rows["actions"]
    assert "Status “Green”" in row.words, row.words


# Removed children ------------------------------------------------------------


def test_a_lines_changes_keep_a_removed_update(
    client, officer_a, commissioning_line_a, progress_update_a
):
    history = commissioning_services.HISTORY
    history.record(
        progress_update_a, old=None, new=history.snapshot(progress_update_a), by=None, source="x"
    )
    commissioning_services.row_remove(row=progress_update_a, by=officer_a)
    client.force_login(officer_a)

    response = client.get(commissioning_line_a.get_absolute_url())

    words = [change.changes for change in response.context["changes"].rows]
    assert words == [["Removed"], ["Added"]]


def test_a_plans_changes_keep_a_removed_objective_and_action(client, officer_a, partnership_a):
    plan, _ = action_services.plan_save(
        partnership=partnership_a, by=officer_a, values={"title": "Plan", "financial_year": 2016}
    )
    objective = ObjectiveFactory(plan=plan, number=7, title="Gone")
    action_services.HISTORY.record(
        objective, old=None, new=action_services.HISTORY.snapshot(objective), by=None, source="x"
    )
    action = ActionFactory(plan=plan, objective=ObjectiveFactory(plan=plan, number=8))
    action_services.row_remove(row=action, by=officer_a)
    action_services.row_remove(row=objective, by=officer_a)
    client.force_login(officer_a)

    response = client.get(plan.get_absolute_url())

    shown = [(c.label, c.changes) for c in response.context["changes"].rows]
    assert (str(objective), ["Removed"]) in shown
    assert (str(objective), ["Added"]) in shown
    assert (str(action), ["Removed"]) in shown


# Labels ------------------------------------------------------------------------


def test_a_lines_changes_name_an_update_by_its_day_in_words(
    client, officer_a, commissioning_line_a
):
    update = ProgressUpdateFactory(line=commissioning_line_a, date=datetime.date(2011, 1, 20))
    history = commissioning_services.HISTORY
    history.record(update, old=None, new=history.snapshot(update), by=None, source="import")
    client.force_login(officer_a)

    text = _text(client.get(commissioning_line_a.get_absolute_url()))

    assert "update 20 January 2011" in text
    assert "2011-01-20" not in text


# An administrator on a refusal page ------------------------------------------------


def test_an_administrator_is_pointed_to_the_admins_delete_page(
    client, admin_user, partnership_a, report_a
):
    risk = RiskFactory(partnership=partnership_a)
    client.force_login(admin_user)

    page = client.get(reverse("actions:risk_remove", args=[partnership_a.slug, risk.pk]))

    html = page.content.decode()
    assert "ask an administrator" not in html
    assert "delete it in the admin" in html
    assert f'href="{_admin_url(risk, "delete")}"' in html


def test_an_officer_is_still_told_to_ask_an_administrator(client, officer_a, risk_a, report_a):
    client.force_login(officer_a)
    page = client.get(reverse("actions:risk_remove", args=[risk_a.partnership.slug, risk_a.pk]))
    assert "or ask an administrator" in page.content.decode()


# Records made before they named their parent ------------------------------------------


@pytest.fixture
def before_parents(transactional_db):
    """The tables as they were before a change record named its row's parent; migrated
    to the end afterwards."""
    yield migrate(
        [
            ("actions", "0012_titles_and_references_unique_by_key"),
            ("commissioning", "0005_references_and_sources_unique_by_key"),
        ]
    )
    migrate_to_the_end()


def test_migrating_names_the_parent_of_a_stored_objective(before_parents):
    old = before_parents
    partnership = old.get_model("core", "Partnership").objects.create(name="A", slug="a")
    plan = old.get_model("actions", "ActionPlan").objects.create(
        partnership=partnership, title="Plan", title_key="plan", financial_year=2016
    )
    objective = old.get_model("actions", "Objective").objects.create(
        plan=plan, number=1, title="Less crime"
    )
    change = old.get_model("actions", "ActionsChange")
    kept = change.objects.create(
        partnership=partnership, subject="objective", object_id=objective.pk, label="1", new={}
    )
    gone = change.objects.create(
        partnership=partnership, subject="objective", object_id=objective.pk + 1, label="2"
    )

    migrate_to_the_end()

    named = dict(ActionsChange.objects.values_list("pk", "parent_object_id"))
    assert named == {kept.pk: plan.pk, gone.pk: None}
