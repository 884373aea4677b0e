"""The pure rules of action plans and risks, worked by hand."""

import datetime
from decimal import Decimal

import pytest

from actions import rules

TODAY = datetime.date(2016, 12, 1)


@pytest.mark.parametrize(
    "likelihood, impact, score, band",
    [
        (1, 1, 1, "low"),
        (1, 3, 3, "low"),
        (2, 2, 4, "medium"),
        (2, 3, 6, "medium"),
        (2, 4, 8, "high"),
        (3, 4, 12, "high"),
        (3, 5, 15, "very_high"),
        (4, 4, 16, "very_high"),
        (5, 5, 25, "very_high"),
    ],
)
def test_risk_score_and_band_by_hand(likelihood, impact, score, band):
    assert rules.risk_score(likelihood, impact) == score
    assert rules.risk_band(score) == band


@pytest.mark.parametrize("likelihood, impact", [(0, 3), (6, 3), (3, 0), (3, 6)])
def test_risk_score_outside_one_to_five_refused(likelihood, impact):
    with pytest.raises(ValueError):
        rules.risk_score(likelihood, impact)


def test_risk_band_every_score_has_one_band():
    bands = {rules.risk_band(a * b) for a in range(1, 6) for b in range(1, 6)}
    assert bands == {"low", "medium", "high", "very_high"}


@pytest.mark.parametrize(
    "due, status, closed, overdue",
    [
        (datetime.date(2016, 11, 30), "red", False, True),
        (datetime.date(2016, 11, 30), "amber", False, True),
        (datetime.date(2016, 11, 30), "not_started", False, True),
        (datetime.date(2016, 11, 30), "green", False, False),  # done, however late
        (datetime.date(2016, 11, 30), "red", True, False),  # closed
        (datetime.date(2016, 12, 1), "red", False, False),  # due today is not yet overdue
        (datetime.date(2017, 1, 1), "red", False, False),
        (None, "red", False, False),  # no due date ("Ongoing")
    ],
)
def test_is_overdue_rule(due, status, closed, overdue):
    assert rules.is_overdue(due, status, TODAY, closed=closed) is overdue


def test_rag_counts_count_and_percentage():
    statuses = ["red", "red", "amber", "green", "green", "green", "not_started"]
    counts = rules.rag_counts((status, False) for status in statuses)
    assert [(c.status, c.count, c.percent) for c in counts] == [
        ("red", 2, Decimal(29)),  # 28.57
        ("amber", 1, Decimal(14)),  # 14.29
        ("green", 3, Decimal(43)),  # 42.86
        ("not_started", 1, Decimal(14)),
    ]


def test_rag_counts_half_rounds_up():
    open_ = [("red", False)] + [("green", False)] * 7
    counts = {c.status: c.percent for c in rules.rag_counts(open_)}
    assert counts["red"] == Decimal(13)  # 12.5


def test_rag_counts_no_actions_has_no_percentages():
    assert all(c.count == 0 and c.percent is None for c in rules.rag_counts([]))


def test_rag_counts_cover_open_actions_only():
    # A closed action has no delivery at risk: complete, never counted under its last rating.
    counts = rules.rag_counts(
        [("red", True), ("red", False), ("amber", True), ("green", False), ("not_started", True)]
    )
    assert [(c.status, c.count, c.percent) for c in counts] == [
        ("red", 1, Decimal(50)),
        ("amber", 0, Decimal(0)),
        ("green", 1, Decimal(50)),
        ("not_started", 0, Decimal(0)),
    ]
    progress = rules.progress_counts(
        [("red", True), ("red", False), ("amber", True), ("green", False), ("not_started", True)]
    )
    assert (progress[0].status, progress[0].count) == ("complete", 3)


def test_rag_counts_all_closed_have_no_percentages():
    counts = rules.rag_counts([("red", True), ("green", True)])
    assert all(c.count == 0 and c.percent is None for c in counts)


@pytest.mark.parametrize(
    "status, closed, word",
    [
        ("red", False, "Red"),
        ("not_started", False, "Not started"),
        ("red", True, "Complete (last rated Red)"),
        ("amber", True, "Complete (last rated Amber)"),
        ("green", True, "Complete (last rated Green)"),
        ("not_started", True, "Complete"),  # closed with no rating ever given
    ],
)
def test_status_word_reads_complete_once_closed(status, closed, word):
    assert rules.status_word(status, closed) == word


@pytest.mark.parametrize(
    "closings_since, closed, closed_since, closed_then",
    [
        ([], False, False, False),  # open then and now
        ([], True, False, True),  # closed before, still closed
        ([], True, True, False),  # closed since with no record (outside the services)
        (["reopened"], False, False, True),  # reopened since
        (["reopened"], True, True, True),  # closed with no record, reopened, closed again
        (["reopened", "closed"], True, True, True),  # reopened and closed again
        (["closed"], True, True, False),  # closed since
        (["closed", "reopened"], False, False, False),  # closed and reopened since
        (["closed"], True, False, False),  # closed since, on an earlier day (an import's)
    ],
)
def test_closed_then_is_what_the_first_closing_or_reopening_since_undid(
    closings_since, closed, closed_since, closed_then
):
    assert (
        rules.closed_then(closings_since, closed=closed, closed_since=closed_since) is closed_then
    )


@pytest.mark.parametrize(
    "closings_since, closed, closed_after, closed_since",
    [
        ([], True, True, True),  # closed since with no record (outside the services)
        ([], True, False, False),  # closed before, no record since
        (["closed"], True, False, True),  # an import's, closed_on days before: still since
        (["reopened", "closed"], True, False, False),  # closed then and now
        (["closed", "reopened"], False, False, False),  # open now
    ],
)
def test_closed_since_counts_a_closing_recorded_since_whatever_day_it_gives(
    closings_since, closed, closed_after, closed_since
):
    assert (
        rules.closed_since(closings_since, closed=closed, closed_after=closed_after) is closed_since
    )


def test_status_legend_follows_the_partnerships_words():
    legend = rules.status_legend(
        {"red": "Action not completed", "amber": "Further work", "green": "All actions done"}
    )
    assert [(e.status, e.word, e.meaning) for e in legend] == [
        ("red", "Red", "Action not completed"),
        ("amber", "Amber", "Further work"),
        ("green", "Green", "All actions done"),
        ("not_started", "Not started", rules.NOT_STARTED_MEANING),
    ]


def test_status_legend_without_a_colour_does_not_offer_it():
    assert rules.legend_statuses({"red": "Late", "green": "Done"}) == [
        "red",
        "green",
        "not_started",
    ]


def test_risk_matrix_counts_cells_highest_likelihood_first():
    matrix = rules.risk_matrix([(5, 1), (5, 1), (1, 5), (3, 3)])
    assert len(matrix) == 5 and all(len(row) == 5 for row in matrix)
    assert matrix[0][0].likelihood == 5 and matrix[0][0].impact == 1
    assert matrix[0][0].count == 2
    assert matrix[4][4].likelihood == 1 and matrix[4][4].impact == 5 and matrix[4][4].count == 1
    assert matrix[2][2].count == 1 and matrix[2][2].band == "high"
    assert sum(cell.count for row in matrix for cell in row) == 4


def test_progress_is_complete_once_closed_and_not_started_until_rated():
    assert rules.progress_of(rules.NOT_STARTED, closed=False) == rules.NOT_STARTED
    assert rules.progress_of(rules.RED, closed=False) == rules.IN_PROGRESS
    assert rules.progress_of(rules.GREEN, closed=True) == rules.COMPLETE
    assert rules.progress_of(rules.NOT_STARTED, closed=True) == rules.COMPLETE


def test_progress_counts_add_up_in_order_with_shares():
    counts = rules.progress_counts(
        [(rules.GREEN, True), (rules.RED, False), (rules.AMBER, False), (rules.NOT_STARTED, False)]
    )
    assert [(c.status, c.word, c.count, c.percent) for c in counts] == [
        ("complete", "Complete", 1, 25),
        ("in_progress", "In progress", 2, 50),
        ("not_started", "Not started", 1, 25),
    ]
    assert [c.percent for c in rules.progress_counts([])] == [None, None, None]


def test_a_legend_stored_in_another_shape_offers_only_not_started():
    assert [e.status for e in rules.status_legend("text")] == [rules.NOT_STARTED]


@pytest.mark.parametrize(
    "raised_by, affects, only_its_raiser",
    [
        (1, [1], True),
        (1, [1, 1], True),
        (1, [2], False),
        (1, [1, 2], False),  # the raiser among others is still cross-theme
        (1, [], False),  # the groups it affects not known yet
        (None, [1], False),
    ],
)
def test_affects_only_its_raiser(raised_by, affects, only_its_raiser):
    assert rules.affects_only_its_raiser(raised_by, affects) is only_its_raiser


@pytest.mark.parametrize(
    "day, closed, overdue",
    [
        (datetime.date(2016, 11, 30), False, True),
        (datetime.date(2016, 12, 1), False, False),  # due that day is not yet overdue
        (datetime.date(2016, 11, 30), True, False),  # done, rejected or closed, however late
        (None, False, False),  # no date to act by
    ],
)
def test_a_recommendation_or_review_is_overdue_once_its_date_has_passed(day, closed, overdue):
    assert rules.is_past_due(day, TODAY, closed=closed) is overdue


@pytest.mark.parametrize(
    "reference, stored, message",
    [
        (
            "SP1",
            "SP1",
            "Recommendation SP1 already exists in this partnership: choose another reference.",
        ),
        (
            "sp1",
            "SP1",
            "Recommendation SP1 already exists in this partnership, and sp1 differs from it "
            "only in capitals: choose another reference.",
        ),
        (
            "SP  1",
            "SP 1",
            "Recommendation SP 1 already exists in this partnership, and SP  1 differs from it "
            "only in spaces: choose another reference.",
        ),
        (
            "sp  1",
            "SP 1",
            "Recommendation SP 1 already exists in this partnership, and sp  1 differs from it "
            "only in capitals and spaces: choose another reference.",
        ),
    ],
)
def test_reference_taken_says_how_it_differs(reference, stored, message):
    assert rules.unique_key(reference) == rules.unique_key(stored)
    assert rules.reference_taken("Recommendation", reference, stored) == message


@pytest.mark.parametrize(
    "title, stored, message",
    [
        ("Safe", "Safe", "Plymouth already has a plan called 'Safe'."),
        (
            "équipe",
            "Équipe",
            "Plymouth already has a plan called 'Équipe', which differs from 'équipe' only in "
            "capitals: use that plan, or choose another title.",
        ),
        (
            "Safe  and strong",
            "Safe and strong",
            "Plymouth already has a plan called 'Safe and strong', which differs from "
            "'Safe  and strong' only in spaces: use that plan, or choose another title.",
        ),
        (
            "SAFE  AND STRONG",
            "Safe and strong",
            "Plymouth already has a plan called 'Safe and strong', which differs from "
            "'SAFE  AND STRONG' only in capitals and spaces: use that plan, or choose another "
            "title.",
        ),
    ],
)
def test_plan_title_taken_says_how_it_differs(title, stored, message):
    assert rules.unique_key(title) == rules.unique_key(stored)
    assert rules.plan_title_taken("Plymouth", title, stored) == message


@pytest.mark.parametrize("other", ["SP 2", "SP1", "S P 1", "SP-1"])
def test_references_differing_by_more_are_two(other):
    assert rules.unique_key("SP 1") != rules.unique_key(other)
