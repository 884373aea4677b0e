"""Re-importing a partnership's own workbook reads its rows in bulk and skips the unchanged
ones: the queries do not grow with the number of actions, risks, recommendations and lines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, ActionsChange
from commissioning.models import CommissioningChange
from indicators import importing
from tests.factories import CommissioningLineFactory, FundingStreamFactory
from tests.factories.action_plans import plan_with_actions
from tests.factories.actions import RecommendationFactory, RiskFactory


def _filled(partnership, count: int) -> None:
    """``count`` actions, risks, recommendations and commissioning lines."""
    plan = plan_with_actions(partnership, count, indicators=3)
    group = plan.actions.first().indicators.first().theme_group
    RiskFactory.create_batch(count, partnership=partnership, theme_group=group)
    RecommendationFactory.create_batch(count, partnership=partnership)
    stream = FundingStreamFactory(partnership=partnership)
    CommissioningLineFactory.create_batch(
        count, partnership=partnership, funding_stream=stream, theme_group=group
    )


def _reimport(partnership, workbook: bytes) -> tuple[importing.ImportReport, int]:
    errors: list[str] = []
    tables = importing.read_workbook(workbook, errors)
    assert not errors
    with CaptureQueriesContext(connection) as queries:
        report = importing.import_tables(tables, by=None, scope=partnership)
    return report, len(queries)


@pytest.mark.django_db
def test_reimport_unchanged_queries_constant_10_to_40_rows(partnership_a, partnership_b):
    _filled(partnership_a, 10)
    _filled(partnership_b, 40)
    _, small_queries = _reimport(partnership_a, importing.export_workbook(partnership_a))
    large, large_queries = _reimport(partnership_b, importing.export_workbook(partnership_b))
    assert large.unchanged["actions"] == 40 and large.unchanged["commissioning"] == 40
    assert large.unchanged["risks"] == 40 and large.unchanged["recommendations"] == 40
    assert not +large.created and not +large.updated  # no count above 0
    assert not ActionsChange.objects.exists() and not CommissioningChange.objects.exists()
    assert large_queries == small_queries


@pytest.mark.django_db
def test_reimport_writes_and_records_only_the_changed_row(partnership_a):
    _filled(partnership_a, 10)
    action = Action.objects.get(reference="3.1")
    workbook = importing.export_workbook(partnership_a)
    Action.objects.filter(pk=action.pk).update(description="Changed since the export")
    report, _ = _reimport(partnership_a, workbook)
    assert report.updated["actions"] == 1 and report.unchanged["actions"] == 9
    change = ActionsChange.objects.get()
    assert (change.object_id, change.old["description"], change.new["description"]) == (
        action.pk,
        "Changed since the export",
        action.description,
    )
