"""Plans and risks stored before their titles and references were unique in any capitals
and spaces (migration actions.0009, as 0007 for recommendations): a later one differing
from an earlier one only so is renamed "... (2)", with the change in the history of action
plans."""

import pytest

from tests.migrations import migrate, migrate_to_the_end

BEFORE = [("actions", "0008_recommendation_references_in_any_case")]
AFTER = [("actions", "0009_rename_titles_and_references_taken_in_other_spaces")]
SOURCE = "taken in other capitals"


@pytest.fixture
def old_state(transactional_db):
    """The tables as they were before the migration; migrated to the end afterwards."""
    yield migrate(BEFORE)
    migrate_to_the_end()


def test_titles_and_references_differing_only_in_spaces_are_renamed_and_recorded(old_state):
    partnership_model = old_state.get_model("core", "Partnership")
    plan_model = old_state.get_model("actions", "ActionPlan")
    risk_model = old_state.get_model("actions", "Risk")
    a = partnership_model.objects.create(name="Partnership A", slug="partnership-a")
    b = partnership_model.objects.create(name="Partnership B", slug="partnership-b")
    c = partnership_model.objects.create(name="Partnership C", slug="partnership-c")

    def plan(partnership, title):
        return plan_model.objects.create(
            partnership=partnership, title=title, financial_year=2016
        ).pk

    def risk(partnership, reference):
        return risk_model.objects.create(
            partnership=partnership, reference=reference, description="d", likelihood=1, impact=1
        ).pk

    # Each pair differs in spaces, so the database's lower() keeps them apart.
    for title in ("Safe and Strong", "Safe  and Strong", "Safe and Strong (2)", "SAFE AND  STRONG"):
        plan(a, title)
    plan(a, "Équipe jeunesse")
    plan(a, "équipe  jeunesse")
    plan(b, "Safe  and Strong")  # another partnership's: kept
    long_title, long_clash_title = "a " + "x" * 197, "a  " + "x" * 197
    plan(b, long_title)
    long_clash = plan(b, long_clash_title)
    for reference in ("R 1", "R  1", "r 2"):
        risk(a, reference)
    risk(c, "R 1")  # nothing renamed: its version is kept
    versions = dict(partnership_model.objects.values_list("pk", "data_version"))

    after = migrate(AFTER)

    from actions.models import ActionPlan, Risk
    from csp_portal.core.models import Partnership

    def titles(partnership):
        rows = ActionPlan.objects.filter(partnership_id=partnership.pk).order_by("pk")
        return list(rows.values_list("title", flat=True))

    long_renamed = "a  " + "x" * 193 + " (2)"  # cut to fit the column
    assert titles(a) == [
        "Safe and Strong",
        "Safe  and Strong (3)",
        "Safe and Strong (2)",
        "SAFE AND  STRONG (4)",
        "Équipe jeunesse",
        "équipe  jeunesse (2)",
    ]
    assert titles(b) == ["Safe  and Strong", long_title, long_renamed]
    assert list(Risk.objects.order_by("pk").values_list("reference", flat=True)) == [
        "R 1",
        "R  1 (2)",
        "r 2",
        "R 1",
    ]
    # The table as it was then: columns added since are not there yet.
    changes = after.get_model("actions", "ActionsChange").objects.order_by("pk")
    assert [(c.partnership_id, c.subject, c.old, c.new, c.source) for c in changes] == [
        (a.pk, "plan", {"title": "Safe  and Strong"}, {"title": "Safe  and Strong (3)"}, SOURCE),
        (a.pk, "plan", {"title": "SAFE AND  STRONG"}, {"title": "SAFE AND  STRONG (4)"}, SOURCE),
        (a.pk, "plan", {"title": "équipe  jeunesse"}, {"title": "équipe  jeunesse (2)"}, SOURCE),
        (
            b.pk,
            "plan",
            {"title": long_clash_title},
            {"title": long_renamed},
            SOURCE,
        ),
        (a.pk, "risk", {"reference": "R  1"}, {"reference": "R  1 (2)"}, SOURCE),
    ]
    assert changes[3].object_id == long_clash
    # No draft report kept before the renaming shows the old titles and references.
    now = dict(Partnership.objects.values_list("pk", "data_version"))
    assert now[a.pk] != versions[a.pk]
    assert now[b.pk] != versions[b.pk]
    assert now[c.pk] == versions[c.pk]
