"""The sentence saying how many commissioning lines are at each status (reports/sources.py)."""

import pytest

from commissioning.models import CommissioningLine
from reports.sources import _line_statuses


def lines(*statuses):
    return [CommissioningLine(status=status) for status in statuses]


@pytest.mark.parametrize(
    "statuses, sentence",
    [
        ((), ""),
        (("proposed",), "The line is proposed."),
        (("proposed",) * 8, "All 8 lines are proposed."),
        (("commissioned",) * 2, "Both lines are commissioned."),
        (
            ("proposed", "commissioned", "proposed"),
            "Of the 3 lines, 2 are proposed and 1 commissioned.",
        ),
        (
            ("ended", "approved", "commissioned", "commissioned", "proposed"),
            "Of the 5 lines, 1 is proposed, 1 approved, 2 commissioned and 1 ended.",
        ),
    ],
)
def test_line_statuses_in_words(statuses, sentence):
    assert _line_statuses(lines(*statuses)) == sentence
