"""Recommendations stored before their references were unique in any capitals and spaces
(migrations actions.0007 and 0008): a later one whose reference differs from an earlier
one's only so is renamed "... (2)", with the change in the history of action plans, so
that the database can then refuse such clashes."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from tests.migrations import migrate, migrate_to_the_end

BEFORE = [("actions", "0006_titles_and_references_in_any_case")]
AFTER = [("actions", "0008_recommendation_references_in_any_case")]
SOURCE = "taken in other capitals"


@pytest.fixture
def old_state(transactional_db):
    """The tables as they were before the two migrations; migrated to the end afterwards."""
    yield migrate(BEFORE)
    migrate_to_the_end()


def test_clashing_references_are_renamed_and_recorded(old_state):
    partnership_model = old_state.get_model("core", "Partnership")
    recommendation_model = old_state.get_model("actions", "Recommendation")
    a = partnership_model.objects.create(name="Partnership A", slug="partnership-a")
    b = partnership_model.objects.create(name="Partnership B", slug="partnership-b")
    c = partnership_model.objects.create(name="Partnership C", slug="partnership-c")

    def make(partnership, reference):
        return recommendation_model.objects.create(
            partnership=partnership,
            reference=reference,
            meeting_date=datetime.date(2016, 11, 1),
            recommendation="r",
            assigned_to="Chair",
        ).pk

    for reference in ("SP1", "sp1", "SP1 (2)", "Sp1", "SP 2", "sp  2"):
        make(a, reference)
    make(b, "sp1")  # another partnership's: kept
    long_reference = "x" * 20
    make(b, long_reference)
    long_clash = make(b, long_reference.upper())
    make(c, "SP1")  # nothing renamed: its version is kept
    versions = dict(partnership_model.objects.values_list("pk", "data_version"))

    after = migrate(AFTER)

    from actions.models import Recommendation
    from csp_portal.core.models import Partnership

    def references(partnership):
        rows = Recommendation.objects.filter(partnership_id=partnership.pk).order_by("pk")
        return list(rows.values_list("reference", flat=True))

    assert references(a) == ["SP1", "sp1 (3)", "SP1 (2)", "Sp1 (4)", "SP 2", "sp  2 (2)"]
    assert references(b) == ["sp1", long_reference, "X" * 16 + " (2)"]
    assert references(c) == ["SP1"]
    # The table as it was then: columns added since are not there yet.
    changes = after.get_model("actions", "ActionsChange").objects.order_by("pk")
    assert [(c.partnership_id, c.subject, c.old, c.new, c.source) for c in changes] == [
        (a.pk, "recommendation", {"reference": "sp1"}, {"reference": "sp1 (3)"}, SOURCE),
        (a.pk, "recommendation", {"reference": "Sp1"}, {"reference": "Sp1 (4)"}, SOURCE),
        (a.pk, "recommendation", {"reference": "sp  2"}, {"reference": "sp  2 (2)"}, SOURCE),
        (
            b.pk,
            "recommendation",
            {"reference": long_reference.upper()},
            {"reference": "X" * 16 + " (2)"},
            SOURCE,
        ),
    ]
    assert changes.last().object_id == long_clash
    # No draft report kept before the renaming shows the old references.
    now = dict(Partnership.objects.values_list("pk", "data_version"))
    assert now[a.pk] != versions[a.pk]
    assert now[b.pk] != versions[b.pk]
    assert now[c.pk] == versions[c.pk]
    with pytest.raises(IntegrityError), transaction.atomic():
        # As the table is there (it gains its reference keys later).
        after.get_model("actions", "Recommendation").objects.create(
            partnership_id=a.pk,
            reference="SP1 (3)",
            meeting_date=datetime.date(2016, 11, 1),
            recommendation="r",
            assigned_to="Chair",
        )
