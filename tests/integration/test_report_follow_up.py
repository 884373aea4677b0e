"""Scrutiny recommendations and risks a report lists: an open recommendation whose due date
was before the report's meeting is marked "Overdue", a risk whose review date had passed
"Review overdue", in words (so in the PDF and Word files too) and in report.csv."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports import rendering, services
from reports.models import Report
from tests.factories import ReportFactory
from tests.factories.actions import RecommendationFactory, RiskFactory

MEETING = datetime.date(2017, 1, 24)  # ReportFactory's meeting


@pytest.fixture
def follow_up(partnership_a):
    RecommendationFactory(
        partnership=partnership_a,
        reference="R1",
        recommendation="Report the SARC funding",
        status="in_progress",
        meeting_date=datetime.date(2011, 1, 20),
        due=datetime.date(2011, 4, 21),
    )
    RecommendationFactory(
        partnership=partnership_a,
        reference="R2",
        recommendation="Explain the ASB review",
        status="awaiting_response",
        meeting_date=datetime.date(2016, 12, 1),
        due=MEETING,  # due at the meeting: not yet overdue
    )
    RiskFactory(
        partnership=partnership_a,
        reference="K1",
        description="Volunteer capacity",
        review_date=datetime.date(2011, 4, 20),
    )
    RiskFactory(
        partnership=partnership_a,
        reference="K2",
        description="Funding beyond March",
        review_date=datetime.date(2017, 3, 1),
    )


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.django_db
def test_a_report_marks_overdue_recommendations_and_risk_reviews_in_words(partnership_a, follow_up):
    report = ReportFactory(partnership=partnership_a)

    snapshot = services.report_snapshot(report)

    assert snapshot["risks"]["recommendations"] == [
        "Overdue: Report the SARC funding. Made on 20 January 2011, due by 21 April 2011. For "
        "Community Safety Manager; in progress.",
        "Explain the ASB review. Made on 1 December 2016, due by 24 January 2017. For "
        "Community Safety Manager; awaiting response.",
    ]
    assert sorted(snapshot["risks"]["risks"]) == [
        "Funding beyond March. Next review: 1 March 2017.",
        "Review overdue: Volunteer capacity. Next review: 20 April 2011.",
    ]
    html = rendering.render_document(snapshot)
    assert "Overdue: Report the SARC funding." in html
    assert "Review overdue: Volunteer capacity." in html


@pytest.mark.django_db
def test_without_a_meeting_date_overdue_is_judged_at_the_months_end(partnership_a, follow_up):
    report = ReportFactory(partnership=partnership_a, meeting_date=datetime.date(2017, 1, 24))
    # Kept only by older reports and overviews: the month's end stands in for the meeting.
    assert report.overdue_as_at == MEETING
    report.meeting_date = None
    assert report.overdue_as_at == datetime.date(2016, 11, 30)


@pytest.mark.django_db
def test_report_csv_has_an_overdue_column_at_the_end(partnership_a, follow_up):
    report = ReportFactory(partnership=partnership_a)

    text = services.report_publish(report=report, by=None).version.csv

    header = text.lstrip("\ufeff").splitlines()[0].split(",")
    assert header == [*rendering.CSV_FIELDS[:-1], "overdue"]
    assert header[:10] == [
        "partnership",
        "report_period",
        "indicator",
        "title",
        "theme_group",
        "measure",
        "figure",
        "period",
        "value",
        "area",
    ]
    rows = {(r["figure"], r["title"]): r for r in _csv_rows(text)}
    due = rows["scrutiny_recommendation_due", "R1 Report the SARC funding"]
    assert (due["value"], due["overdue"]) == ("2011-04-21", "true")
    due = rows["scrutiny_recommendation_due", "R2 Explain the ASB review"]
    assert (due["value"], due["overdue"]) == ("2017-01-24", "false")
    review = rows["risk_review_date", "K1 Volunteer capacity"]
    assert (review["value"], review["overdue"]) == ("2011-04-20", "true")
    review = rows["risk_review_date", "K2 Funding beyond March"]
    assert (review["value"], review["overdue"]) == ("2017-03-01", "false")
    assert rows["open_scrutiny_recommendations_overdue", ""]["value"] == "1"
    assert rows["open_risks_review_overdue", ""]["value"] == "1"
    # Other rows leave the column blank.
    assert rows["open_scrutiny_recommendations", ""]["overdue"] == ""


@pytest.mark.django_db
def test_the_action_plans_lists_mark_overdue_recommendations_and_reviews(
    client, partnership_a, officer_a, follow_up
):
    client.force_login(officer_a)

    recommendations = client.get(reverse("actions:recommendations", args=["partnership-a"]))
    risks = client.get(reverse("actions:risks", args=["partnership-a"]))

    rows = {r.record.reference: r.get_cell("due") for r in recommendations.context["table"].rows}
    assert rows["R1"] == '21 Apr 2011 <strong class="govuk-tag app-overdue">Overdue</strong>'
    # Judged at today: R2 was due at 24 January 2017, long past.
    assert "Overdue" in rows["R2"]
    rows = {r.record.reference: r.get_cell("review_date") for r in risks.context["table"].rows}
    assert rows["K1"] == (
        '20 Apr 2011 <strong class="govuk-tag app-overdue">Review overdue</strong>'
    )
    # The download keeps the date alone, to import back.
    text = client.get(
        reverse("actions:risks", args=["partnership-a"]), {"_export": "csv"}
    ).content.decode()
    assert "Review overdue" not in text and "2011-04-20" in text


@pytest.mark.django_db
def test_the_demo_report_marks_its_overdue_recommendations_and_reviews(db):
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    version = Report.objects.get(title="Safer Plymouth performance update").versions.get()

    # Its meeting, 24 January 2017, is long after the 21 April 2011 they were due by.
    assert "Overdue: Report the funding position of the Sexual Assault Referral Centre" in (
        version.html
    )
    assert "Review overdue: " in version.html
    overdue = [r for r in _csv_rows(version.csv) if r["overdue"] == "true"]
    assert {r["figure"] for r in overdue} == {"scrutiny_recommendation_due", "risk_review_date"}
