"""Plans and risks stored before titles and references were unique in any capitals
(migrations actions.0005 and 0006): a later one differing from an earlier one only in
capitals is renamed "... (2)", with the change in the history of action plans, so that the
database can then refuse such clashes."""

import pytest

from tests.migrations import migrate, migrate_to_the_end

BEFORE = [("actions", "0004_issue_order_blank_dates_last")]
AFTER = [("actions", "0006_titles_and_references_in_any_case")]


@pytest.fixture
def old_state(transactional_db):
    """The tables as they were before the two migrations; migrated to the end afterwards."""
    yield migrate(BEFORE)
    migrate_to_the_end()


def test_clashing_titles_and_references_are_renamed_and_recorded(old_state):
    partnership_model = old_state.get_model("core", "Partnership")
    plan_model = old_state.get_model("actions", "ActionPlan")
    risk_model = old_state.get_model("actions", "Risk")
    a = partnership_model.objects.create(name="Partnership A", slug="partnership-a")
    b = partnership_model.objects.create(name="Partnership B", slug="partnership-b")
    for title in ("Safe and Strong", "safe and strong", "Safe and strong (2)", "SAFE AND STRONG"):
        plan_model.objects.create(partnership=a, title=title, financial_year=2016)
    plan_model.objects.create(partnership=b, title="safe and strong", financial_year=2016)
    for reference in ("R1", "r1"):
        risk_model.objects.create(
            partnership=a, reference=reference, description="d", likelihood=1, impact=1
        )
    long_title = "x" * 200
    plan_model.objects.create(partnership=b, title=long_title, financial_year=2016)
    plan_model.objects.create(partnership=b, title=long_title.upper(), financial_year=2016)

    after = migrate(AFTER)

    from actions.models import ActionPlan, Risk

    assert list(
        ActionPlan.objects.filter(partnership_id=a.pk)
        .order_by("pk")
        .values_list("title", flat=True)
    ) == [
        "Safe and Strong",
        "safe and strong (3)",
        "Safe and strong (2)",
        "SAFE AND STRONG (4)",
    ]
    titles_b = list(
        ActionPlan.objects.filter(partnership_id=b.pk)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert titles_b == ["safe and strong", long_title, "X" * 196 + " (2)"]
    assert list(Risk.objects.order_by("pk").values_list("reference", flat=True)) == [
        "R1",
        "r1 (2)",
    ]
    # The table as it was then: columns added since are not there yet.
    changes = after.get_model("actions", "ActionsChange").objects.order_by("pk")
    assert [(c.subject, c.old, c.new, c.source) for c in changes] == [
        (
            "plan",
            {"title": "safe and strong"},
            {"title": "safe and strong (3)"},
            "taken in other capitals",
        ),
        (
            "plan",
            {"title": "SAFE AND STRONG"},
            {"title": "SAFE AND STRONG (4)"},
            "taken in other capitals",
        ),
        (
            "plan",
            {"title": long_title.upper()},
            {"title": "X" * 196 + " (2)"},
            "taken in other capitals",
        ),
        ("risk", {"reference": "r1"}, {"reference": "r1 (2)"}, "taken in other capitals"),
    ]
    assert {c.partnership_id for c in changes} == {a.pk, b.pk}
