"""actions.csv, risks.csv, recommendations.csv and commissioning.csv: a column left out
leaves what is stored in it, and a blank cell still clears it."""

import datetime
from decimal import Decimal

import pytest

from actions.models import Action, ActionUpdate, Recommendation
from commissioning.models import CommissioningLine
from indicators import importing
from tests.factories import (
    CommissioningLineFactory,
    IndicatorFactory,
    ThemeGroupFactory,
)
from tests.factories.actions import ActionFactory, RecommendationFactory, RiskFactory
from tests.integration.test_import import write_csv

pytestmark = pytest.mark.django_db

ACTION_KEYS = ["partnership", "plan", "financial_year", "objective_number", "objective"]
ACTION_KEYS += ["reference", "action"]


@pytest.fixture
def action(partnership_a, officer_a):
    group = ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    action = ActionFactory(
        objective__plan__partnership=partnership_a,
        objective__plan__title="Plan",
        objective__plan__theme_group=group,
        objective__number=1,
        objective__title="Reduce crime",
        reference="1.1",
        description="Patrols",
        outcome="Fewer burglaries",
        lead_text="",
        lead_member=officer_a.memberships.get(partnership=partnership_a),
        due=datetime.date(2016, 9, 30),
        when="Quarterly",
        status="green",
        latest_update="On track.",
        updated_on=datetime.date(2016, 6, 1),
        closed=True,
    )
    action.indicators.set([IndicatorFactory(partnership=partnership_a, code="TV 01")])
    return action


def _action_row(**values) -> dict:
    row = {
        "partnership": "partnership-a",
        "plan": "Plan",
        "financial_year": "2016/17",
        "objective_number": "1",
        "objective": "Reduce crime",
        "reference": "1.1",
        "action": "Patrols",
    }
    return {**row, **values}


def _action_state(action: Action) -> tuple:
    action = Action.objects.select_related("plan").get(pk=action.pk)
    return (
        action.outcome,
        action.lead_member_id,
        action.lead_text,
        action.due,
        action.when,
        action.status,
        action.latest_update,
        action.closed,
        [i.code for i in action.indicators.all()],
        action.plan.theme_group.name if action.plan.theme_group else None,
    )


def test_an_actions_file_of_the_key_columns_leaves_every_other_field(tmp_path, action):
    before = _action_state(action)
    write_csv(tmp_path, "actions", [_action_row()], columns=ACTION_KEYS)

    report = importing.import_path(tmp_path, by=None)

    assert report.unchanged["actions"] == 1
    assert _action_state(action) == before
    assert ActionUpdate.objects.filter(action=action).count() == 0


def _reopened(action: Action) -> Action:
    """The action open: a closed one takes no update (services.action_update_add)."""
    Action.objects.filter(pk=action.pk).update(closed=False)
    return action


def test_an_actions_file_changes_only_the_columns_it_has(tmp_path, action):
    _reopened(action)
    write_csv(
        tmp_path,
        "actions",
        [_action_row(outcome="", due="2016-12-31", status="amber")],
        columns=[*ACTION_KEYS, "outcome", "due", "status"],
    )

    report = importing.import_path(tmp_path, by=None)

    assert report.updated["actions"] == 1
    state = _action_state(action)
    assert state[0] == ""  # a blank cell clears
    assert state[3] == datetime.date(2016, 12, 31)
    assert state[5] == "amber"
    # An update of its status only: the file has no latest_update column.
    assert ActionUpdate.objects.get(action=action).text == ""
    assert state[1] == action.lead_member_id and state[4] == "Quarterly"
    assert state[7] is False and state[8] == ["TV 01"] and state[9] == "Delivery Group"


def test_an_actions_file_without_a_status_column_keeps_the_status_of_a_new_update(tmp_path, action):
    _reopened(action)
    write_csv(
        tmp_path,
        "actions",
        [_action_row(latest_update="Patrols doubled.", updated_on="2016-07-01")],
        columns=[*ACTION_KEYS, "latest_update", "updated_on"],
    )

    importing.import_path(tmp_path, by=None)

    update = ActionUpdate.objects.get(action=action)
    assert (update.status, update.text) == ("green", "Patrols doubled.")


def test_a_risks_file_without_owner_or_review_date_keeps_them(tmp_path, partnership_a):
    group = ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    risk = RiskFactory(
        partnership=partnership_a,
        reference="R1",
        theme_group=group,
        owner="Community Safety Manager",
        mitigation="Extra patrols",
        status="closed",
        review_date=datetime.date(2017, 3, 1),
    )
    write_csv(
        tmp_path,
        "risks",
        [
            {
                "partnership": "partnership-a",
                "reference": "R1",
                "description": "Risk",
                "likelihood": "4",
                "impact": "4",
            }
        ],
        columns=["partnership", "reference", "description", "likelihood", "impact"],
    )

    report = importing.import_path(tmp_path, by=None)

    assert report.updated["risks"] == 1
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (4, 4)
    assert (risk.theme_group, risk.owner, risk.mitigation, risk.status, risk.review_date) == (
        group,
        "Community Safety Manager",
        "Extra patrols",
        "closed",
        datetime.date(2017, 3, 1),
    )


def test_a_risks_file_with_a_blank_owner_clears_it(tmp_path, partnership_a):
    risk = RiskFactory(partnership=partnership_a, reference="R1", owner="Someone")
    write_csv(
        tmp_path,
        "risks",
        [
            {
                "partnership": "partnership-a",
                "reference": "R1",
                "description": risk.description,
                "likelihood": "3",
                "impact": "3",
            }
        ],
        columns=["partnership", "reference", "description", "likelihood", "impact", "owner"],
    )

    importing.import_path(tmp_path, by=None)

    risk.refresh_from_db()
    assert risk.owner == ""


def test_a_recommendations_file_without_response_status_or_due_keeps_them(tmp_path, partnership_a):
    recommendation = RecommendationFactory(
        partnership=partnership_a,
        reference="REC-1",
        response="Agreed",
        status=Recommendation.Status.ACCEPTED,
        due=datetime.date(2017, 3, 1),
    )
    write_csv(
        tmp_path,
        "recommendations",
        [
            {
                "partnership": "partnership-a",
                "reference": "REC-1",
                "meeting_date": recommendation.meeting_date.isoformat(),
                "recommendation": "Reworded",
                "assigned_to": "Someone else",
            }
        ],
        columns=["partnership", "reference", "meeting_date", "recommendation", "assigned_to"],
    )

    report = importing.import_path(tmp_path, by=None)

    assert report.updated["recommendations"] == 1
    recommendation.refresh_from_db()
    assert (recommendation.recommendation, recommendation.assigned_to) == (
        "Reworded",
        "Someone else",
    )
    assert (recommendation.response, recommendation.status, recommendation.due) == (
        "Agreed",
        Recommendation.Status.ACCEPTED,
        datetime.date(2017, 3, 1),
    )


LINE_KEYS = ["partnership", "financial_year", "reference", "area_of_need"]


def test_a_commissioning_file_of_the_required_columns_leaves_the_rest(tmp_path, partnership_a):
    group = ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    line = CommissioningLineFactory(
        partnership=partnership_a,
        reference="CI 01",
        theme_group=group,
        provider="Provider",
        total_budget=Decimal("20000.00"),
        start=datetime.date(2017, 4, 1),
        end=datetime.date(2018, 3, 31),
        status=CommissioningLine.Status.APPROVED,
    )
    fields = ["recommendation", "theme_group", "provider", "funding_stream"]
    fields += ["contribution_status", "contribution", "total_budget", "start", "end", "status"]
    before = CommissioningLine.objects.filter(pk=line.pk).values_list(*fields).get()
    row = {"partnership": "partnership-a", "financial_year": "2017/18", "reference": "CI 01"}
    write_csv(tmp_path, "commissioning", [{**row, "area_of_need": "Renamed"}], columns=LINE_KEYS)

    report = importing.import_path(tmp_path, by=None)

    assert report.updated["commissioning"] == 1
    assert CommissioningLine.objects.filter(pk=line.pk).values_list(*fields).get() == before
    assert CommissioningLine.objects.get(pk=line.pk).area_of_need == "Renamed"


def test_a_commissioning_file_breaking_a_rule_with_a_stored_value_changes_nothing(
    tmp_path, partnership_a
):
    line = CommissioningLineFactory(
        partnership=partnership_a, reference="CI 01", total_budget=Decimal("20000.00")
    )
    row = {"partnership": "partnership-a", "financial_year": "2017/18", "reference": "CI 01"}
    write_csv(
        tmp_path,
        "commissioning",
        [{**row, "area_of_need": line.area_of_need, "contribution": "25000"}],
        columns=[*LINE_KEYS, "contribution"],
    )

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)

    assert len(failed.value.report.errors) == 1
    assert failed.value.report.errors[0].startswith(
        "commissioning.csv row 2: The contribution cannot be more than the line's total budget"
    )
    line.refresh_from_db()
    assert line.contribution == Decimal("10000.00")


@pytest.mark.parametrize(
    "contribution, status, amount",
    [
        ("1500.00", CommissioningLine.Contribution.AMOUNT, Decimal("1500.00")),
        ("tbc", CommissioningLine.Contribution.TBC, None),
        ("awaiting", CommissioningLine.Contribution.AWAITING, None),
    ],
)
def test_a_commissioning_file_without_funding_source_changes_a_lines_contribution(
    tmp_path, partnership_a, contribution, status, amount
):
    """Review finding: the file's rows were checked as if the line had no stream ("Choose
    a funding stream, or say there is no contribution from one"), not with the stream
    stored, which a file without the column keeps."""
    line = CommissioningLineFactory(partnership=partnership_a, reference="CI 01")
    row = {"partnership": "partnership-a", "financial_year": "2017/18", "reference": "CI 01"}
    write_csv(
        tmp_path,
        "commissioning",
        [{**row, "area_of_need": line.area_of_need, "contribution": contribution}],
        columns=[*LINE_KEYS, "contribution"],
    )

    report = importing.import_path(tmp_path, by=None)

    assert report.updated["commissioning"] == 1
    stored = CommissioningLine.objects.get(pk=line.pk)
    assert (stored.funding_stream, stored.contribution_status, stored.contribution) == (
        line.funding_stream,
        status,
        amount,
    )


def test_a_commissioning_file_without_contribution_keeps_it_as_it_names_the_stream(
    tmp_path, partnership_a
):
    line = CommissioningLineFactory(partnership=partnership_a, reference="CI 01")
    row = {"partnership": "partnership-a", "financial_year": "2017/18", "reference": "CI 01"}
    row |= {"area_of_need": "Renamed", "funding_source": line.funding_stream.source}
    write_csv(tmp_path, "commissioning", [row], columns=[*LINE_KEYS, "funding_source"])

    report = importing.import_path(tmp_path, by=None)

    assert report.updated["commissioning"] == 1
    stored = CommissioningLine.objects.get(pk=line.pk)
    assert (stored.area_of_need, stored.contribution) == ("Renamed", Decimal("10000.00"))
