"""Text stored with the browser's line ends before the site stored "\n" (migrations
actions.0014, commissioning.0007, indicators.0009 and reports.0012) is stored with "\n":
"\r\n" and a lone "\r" alike; other text, and the history of changes, is left alone."""

import datetime
from decimal import Decimal

import pytest

from tests.migrations import migrate, migrate_to_the_end

BEFORE = [
    ("core", "0016_theme_group_name_unique_by_key"),
    ("actions", "0013_change_parent"),
    ("commissioning", "0006_change_parent"),
    ("indicators", "0008_figures_agree_with_their_parts"),
    ("reports", "0011_reportversion_covered"),
]
AFTER = [
    ("actions", "0014_text_line_ends"),
    ("commissioning", "0007_text_line_ends"),
    ("indicators", "0009_text_line_ends"),
    ("reports", "0012_text_line_ends"),
]
TYPED = "Line one\r\nLine two\rLine three"
STORED = "Line one\nLine two\nLine three"


@pytest.fixture
def old_state(transactional_db):
    """The tables as they were before the migrations; migrated to the end afterwards."""
    yield migrate(BEFORE)
    migrate_to_the_end()


def test_text_typed_before_is_stored_with_line_feeds(old_state):
    model = old_state.get_model
    partnership = model("core", "Partnership").objects.create(name="A", slug="a")
    risk = model("actions", "Risk").objects.create(
        partnership=partnership,
        reference="R1",
        reference_key="r1",
        description="One line",
        likelihood=3,
        impact=3,
        mitigation=TYPED,
    )
    change = model("actions", "ActionsChange").objects.create(
        partnership=partnership, subject="risk", label="R1", new={"mitigation": TYPED}
    )
    indicator = model("indicators", "Indicator").objects.create(
        partnership=partnership,
        code="TV 01",
        title="Crime",
        polarity="lower",
        interpretation_note=TYPED,
    )
    actual = model("indicators", "Actual").objects.create(
        indicator=indicator, period=datetime.date(2016, 11, 1), value=Decimal(5), note=TYPED
    )
    stream = model("commissioning", "FundingStream").objects.create(
        partnership=partnership,
        financial_year=2017,
        source="Grant",
        source_key="grant",
        amount=Decimal(100),
        criteria=TYPED,
    )
    report = model("reports", "Report").objects.create(
        partnership=partnership,
        title="Update",
        period=datetime.date(2016, 11, 1),
        executive_summary=TYPED,
        successes={"": TYPED},
        implications={"financial": {"text": TYPED, "officer": "A Person"}},
    )
    version = model("reports", "ReportVersion").objects.create(
        report=report,
        number=1,
        snapshot={"summary": TYPED},
        html=TYPED,
        csv="",
        published_at=datetime.datetime(2017, 1, 5, tzinfo=datetime.UTC),
    )

    migrate(AFTER)

    from actions.models import ActionsChange, Risk
    from commissioning.models import FundingStream
    from indicators.models import Actual, Indicator
    from reports.models import Report, ReportVersion

    risk = Risk.objects.get(pk=risk.pk)
    assert (risk.mitigation, risk.description) == (STORED, "One line")
    assert Indicator.objects.get(pk=indicator.pk).interpretation_note == STORED
    assert Actual.objects.get(pk=actual.pk).note == STORED
    assert FundingStream.objects.get(pk=stream.pk).criteria == STORED
    report = Report.objects.get(pk=report.pk)
    assert report.executive_summary == STORED
    assert report.successes == {"": STORED}
    assert report.implications == {"financial": {"text": STORED, "officer": "A Person"}}
    # What was recorded and published stays as it was.
    assert ActionsChange.objects.get(pk=change.pk).new == {"mitigation": TYPED}
    version = ReportVersion.objects.get(pk=version.pk)
    assert (version.snapshot, version.html) == ({"summary": TYPED}, TYPED)
