"""A status change since the last report in the report's words (reports/sources.py): a
closing is a change to complete, a reopening one from complete, each with its day."""

import datetime

import pytest
from django.utils import timezone

from actions import rules
from actions.models import Action
from actions.selectors import StatusChange
from reports.sources import _status_change

CLOSED_AT = timezone.make_aware(datetime.datetime(2026, 11, 30, 14, 5))
REOPENED_ON = datetime.date(2026, 12, 2)
WORDS = dict(rules.STATUS_WORDS)  # as the legend words them


@pytest.mark.parametrize(
    "before, after, closed, reopened, old, new",
    [
        ("red", "green", False, False, "Red", "Green"),
        ("red", "red", True, False, "Red", "Complete"),
        ("amber", "green", True, False, "Amber", "Complete (last rated Green)"),
        ("red", "red", False, True, "Complete", "Red"),
        ("green", "red", False, True, "Complete (last rated Green)", "Red"),
        ("not_started", "amber", False, True, "Complete", "Amber"),  # closed before a rating
    ],
)
def test_a_status_change_reads_complete_on_the_closed_side(
    before, after, closed, reopened, old, new
):
    action = Action(
        reference="1.1",
        description="Train staff",
        closed=closed,
        closed_at=CLOSED_AT if closed else None,
    )
    change = StatusChange(
        action, before, after, None, closed, reopened_on=REOPENED_ON if reopened else None
    )

    words = _status_change(change, WORDS, rules)

    assert (words["title"], words["old"], words["new"]) == ("1.1 Train staff", old, new)
    assert words["closed_on"] == ("2026-11-30" if closed else None)
    assert words["reopened_on"] == ("2026-12-02" if reopened else None)
