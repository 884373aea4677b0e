"""Optimistic concurrency with a shown value: what happens to a value the person changed."""

import pytest

from csp_portal.core.concurrency import Outcome, decide

# shown: what the page showed; posted: what the person asks for; stored: what is there now.
CASES = {
    "nobody_else_changed_it": ("35", "36", "35", Outcome.WRITE),
    "someone_else_changed_it": ("35", "36", "40", Outcome.CONFLICT),
    "someone_else_made_the_same_change": ("35", "36", "36", Outcome.ALREADY),
    "added_where_there_was_none": (None, "36", None, Outcome.WRITE),
    "someone_else_added_it_first": (None, "36", "40", Outcome.CONFLICT),
    "someone_else_removed_it": ("35", "36", None, Outcome.CONFLICT),
    "removed_by_both": ("35", None, None, Outcome.ALREADY),
    "changed_and_changed_back_meanwhile": ("35", "36", "35", Outcome.WRITE),
}


@pytest.mark.parametrize("shown, posted, stored, outcome", CASES.values(), ids=CASES.keys())
def test_decide(shown, posted, stored, outcome):
    assert decide(shown=shown, posted=posted, stored=stored) is outcome


def test_decide_compares_with_the_given_sameness():
    def same_number(a, b):
        return (a is None and b is None) or (None not in (a, b) and float(a) == float(b))

    assert decide(shown="35.0", posted="36", stored="35", same=same_number) is Outcome.WRITE
