"""Review 4 of action plans: future updates, repeated imports, round trips, messages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions import services
from actions.models import Action, ActionUpdate
from indicators import importing
from tests.factories import IndicatorFactory, ThemeGroupFactory
from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory
from tests.integration.test_actions_transfer import ACTION_ROWS, _import, _write


@pytest.fixture
def valley(partnership_a):
    ThemeGroupFactory(partnership=partnership_a, name="Delivery Group")
    IndicatorFactory(partnership=partnership_a, code="TV 01")
    IndicatorFactory(partnership=partnership_a, code="TV 02")
    return partnership_a


def test_import_refuses_an_update_dated_in_the_future(tmp_path, valley, officer_a):
    today = timezone.localdate()
    _write(tmp_path, "actions", ACTION_ROWS[1].replace("2007-01-25", "2062-01-15"))

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path, by=officer_a)

    assert (
        "actions.csv row 2: updated_on 2062-01-15 is in the future: an update cannot be "
        f"dated after today ({today.isoformat()})"
    ) in failed.value.report.errors
    assert not Action.objects.exists()


def test_an_update_dated_in_the_future_is_refused(partnership_a, officer_a):
    action = ActionFactory(
        objective=ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership_a))
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        services.action_update_add(
            action=action, status="green", text="Done.", by=officer_a, date=tomorrow
        )

    assert refused.value.message_dict == {
        "date": ["The date of the update cannot be in the future."]
    }
    assert not ActionUpdate.objects.exists()
