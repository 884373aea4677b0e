"""The open scrutiny recommendations a report lists: those made before the meeting it goes
to (or, with no meeting date, by the end of its month), never later ones; and, as they are
filed by partnership, not theme group, a theme group's report says they are all the
partnership's."""

import datetime
import re

import pytest

from reports import rendering, services
from reports.models import Report
from tests.factories import ReportFactory, ThemeGroupFactory
from tests.factories.actions import RecommendationFactory

# ReportFactory's reports are of November 2016, to the panel of 24 January 2017.
MEETING = datetime.date(2017, 1, 24)


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _made(partnership, *days: datetime.date) -> None:
    for day in days:
        RecommendationFactory(
            partnership=partnership,
            reference=f"R {day.isoformat()}",
            recommendation=f"Made on {day.isoformat()}",
            meeting_date=day,
        )


def _listed(snapshot: dict) -> list[str]:
    return [r.split(".")[0] for r in snapshot["risks"]["recommendations"]]


@pytest.mark.django_db
def test_a_report_lists_no_recommendation_made_at_or_after_its_meeting(partnership_a):
    # Review finding: a report listed every open recommendation, those made after the
    # meeting it went to included (republished later, or built for an earlier month).
    _made(
        partnership_a,
        datetime.date(2016, 12, 1),
        MEETING - datetime.timedelta(days=1),
        MEETING,  # made at the meeting the report went to, on it
        datetime.date(2017, 3, 1),
    )
    report = ReportFactory(partnership=partnership_a)

    snapshot = services.report_snapshot(report)

    assert _listed(snapshot) == ["Made on 2016-12-01", "Made on 2017-01-23"]
    assert [r["title"] for r in snapshot["follow_up"]["recommendations"]] == [
        "R 2016-12-01 Made on 2016-12-01",
        "R 2017-01-23 Made on 2017-01-23",
    ]


@pytest.mark.django_db
def test_a_report_with_no_meeting_date_lists_those_made_by_its_months_end(partnership_a):
    _made(partnership_a, datetime.date(2016, 11, 30), datetime.date(2016, 12, 1))
    report = ReportFactory(partnership=partnership_a)
    Report.objects.filter(pk=report.pk).update(meeting_kind="", meeting_date=None)
    report.refresh_from_db()

    assert _listed(services.report_snapshot(report)) == ["Made on 2016-11-30"]


@pytest.mark.django_db
def test_a_theme_groups_report_says_its_recommendations_are_the_partnerships(partnership_a):
    _made(partnership_a, datetime.date(2016, 12, 1))
    group = ThemeGroupFactory(partnership=partnership_a, name="Safe and Strong")

    grouped = _words(
        rendering.render_document(
            services.report_snapshot(ReportFactory(partnership=partnership_a, theme_group=group))
        )
    )
    whole = _words(
        rendering.render_document(
            services.report_snapshot(ReportFactory(partnership=partnership_a))
        )
    )

    said = (
        "All of Partnership A's open scrutiny recommendations, not only the Safe and Strong "
        "theme group's: recommendations are not filed by theme group."
    )
    assert said in grouped
    assert "1 scrutiny recommendation of Partnership A as a whole" in grouped
    assert said not in whole and "as a whole" not in whole
