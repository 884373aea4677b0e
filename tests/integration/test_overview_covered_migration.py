"""Overview versions published before each recorded the partnerships it covered (migration
reports.0011) are given them from what they showed: their blocks, by id or else by slug,
a block without figures too; failing that, the report's partnerships now."""

import datetime

import pytest

from tests.migrations import migrate, migrate_to_the_end

# Core as it is now: partnerships are made with every column their table has.
BEFORE = [("core", "0016_theme_group_name_unique_by_key"), ("reports", "0010_version_reason")]
AFTER = [("reports", "0011_reportversion_covered")]


@pytest.fixture
def old_state(transactional_db):
    """The tables as they were before the migration; migrated to the end afterwards."""
    yield migrate(BEFORE)
    migrate_to_the_end()


def test_overview_versions_take_the_partnerships_their_blocks_showed(old_state):
    partnership_model = old_state.get_model("core", "Partnership")
    report_model = old_state.get_model("reports", "Report")
    version_model = old_state.get_model("reports", "ReportVersion")
    a, b, c, _ = (  # D only by its slug
        partnership_model.objects.create(name=f"Partnership {x}", slug=f"partnership-{x}")
        for x in "abcd"
    )

    def report(kind, covers=()):
        made = report_model.objects.create(
            partnership=a,
            kind=kind,
            title="Update",
            period=datetime.date(2016, 11, 1),
            meeting_kind="scrutiny_panel",
            meeting_date=datetime.date(2017, 1, 24),
        )
        made.covers.set(covers)
        return made

    def version(made, number, blocks, kind="overview", shown=()):
        stored = version_model.objects.create(
            report=made,
            number=number,
            snapshot={"kind": kind, "overview": blocks},
            html="",
            csv="",
            published_at=datetime.datetime(2017, 1, 1, tzinfo=datetime.UTC),
        )
        stored.partnerships_shown.set(shown)
        return stored

    overview = report("overview", covers=[a, c])  # the draft now covers A and C
    # Blocks by id, B's without figures; blocks of before ids were stored, by slug alone.
    by_id = version(
        overview,
        1,
        [
            {"partnership_id": a.pk, "slug": "partnership-a", "indicators": [{"id": 1}]},
            {"partnership_id": b.pk, "slug": "partnership-b", "indicators": []},
        ],
        shown=[a],
    )
    by_slug = version(
        overview,
        2,
        [{"slug": "partnership-b", "indicators": []}, {"slug": "partnership-d", "indicators": []}],
    )
    no_blocks = version(overview, 3, [])
    own = version(report("partnership"), 1, [], kind="partnership", shown=[a])

    migrate(AFTER)

    from reports.models import ReportVersion

    def covered(stored):
        return set(ReportVersion.objects.get(pk=stored.pk).covered.values_list("slug", flat=True))

    assert covered(by_id) == {"partnership-a", "partnership-b"}
    assert covered(by_slug) == {"partnership-b", "partnership-d"}
    assert covered(no_blocks) == {"partnership-a", "partnership-c"}
    assert covered(own) == set()
