"""Scrutiny recommendations and risks past their date: a recommendation still open whose
due date, or an open risk whose review date, had passed by the report's month end is
marked in the report (so its PDF and Word files) and in report.csv's last column, and the
action plan's lists mark them as at today, as overdue actions are marked."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports import rendering, services
from reports.models import Report
from tests.factories import ReportFactory
from tests.factories.actions import (
    ActionFactory,
    ObjectiveFactory,
    RecommendationFactory,
    RiskFactory,
)

# ReportFactory's reports are of November 2016: overdue is judged at 30 November 2016.
MONTH_END = datetime.date(2016, 11, 30)
REVIEW = '<strong class="govuk-tag app-overdue">Review overdue</strong> '
OVERDUE = '<strong class="govuk-tag app-overdue">Overdue</strong> '


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
        meeting_date=datetime.date(2016, 10, 1),
        due=MONTH_END,  # due on the month's last day: not yet overdue at it
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
        review_date=datetime.date(2016, 12, 1),  # after the month's end: not yet due
    )


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.django_db
def test_a_report_marks_overdue_recommendations_and_risk_reviews(partnership_a, follow_up):
    report = ReportFactory(partnership=partnership_a)

    html = services.report_publish(report=report, by=None).version.html

    # The risks (under the partnership's priority) and the recommendations (the appendix).
    assert f"<li>{REVIEW}Volunteer capacity. Next review: 20 April 2011.</li>" in html
    assert "<li>Funding beyond March. Next review: 1 December 2016.</li>" in html
    assert f"<li>{OVERDUE}Report the SARC funding. Made on 20 January 2011" in html
    assert "<li>Explain the ASB review. Made on 1 October 2016, due by 30 November 2016" in html
    assert "Open at the time of this report: 2 scrutiny recommendations (1 overdue)." in html


@pytest.mark.django_db
def test_overdue_is_judged_at_the_reports_month_end(partnership_a, follow_up):
    # A report of October 2016: K2's review and R2's due date are further off still, and
    # R1 and K1 were as overdue then.
    report = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 10, 1))
    follow_up = services.report_snapshot(report)["follow_up"]
    assert follow_up["as_at"] == "2016-10-31"
    assert [(i["title"], i["overdue"]) for i in follow_up["recommendations"]] == [
        ("R1 Report the SARC funding", True),
        ("R2 Explain the ASB review", False),
    ]

    # A report of December 2016: R2, due on 30 November, is overdue by its month's end.
    report = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 12, 1))
    follow_up = services.report_snapshot(report)["follow_up"]
    assert follow_up["as_at"] == "2016-12-31"
    assert all(item["overdue"] for item in follow_up["recommendations"])
    assert all(item["overdue"] for item in follow_up["risks"])


@pytest.mark.django_db
def test_a_report_of_this_month_judges_overdue_today(partnership_a, follow_up, monkeypatch):
    from django.utils import timezone

    # On 20 December 2016 a review due on 1 December is overdue; one due on the 31st not.
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2016, 12, 20))
    RiskFactory(
        partnership=partnership_a,
        reference="K3",
        description="Late in the month",
        review_date=datetime.date(2016, 12, 31),
    )
    report = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 12, 1))

    follow_up = services.report_snapshot(report)["follow_up"]

    assert follow_up["as_at"] == "2016-12-20"
    assert {i["title"]: i["overdue"] for i in follow_up["risks"]} == {
        "K1 Volunteer capacity": True,
        "K2 Funding beyond March": True,
        "K3 Late in the month": False,
    }


@pytest.mark.django_db
def test_report_csv_has_an_overdue_column_at_the_end(partnership_a, follow_up):
    report = ReportFactory(partnership=partnership_a)

    text = services.report_publish(report=report, by=None).version.csv

    header = text.lstrip("\ufeff").splitlines()[0].split(",")
    # The columns before it are unchanged: it is only appended.
    assert header == [
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
        "overdue",
    ]
    rows = {(r["figure"], r["title"]): r for r in _csv_rows(text)}
    due = rows["scrutiny_recommendation_due", "R1 Report the SARC funding"]
    assert (due["value"], due["overdue"]) == ("2011-04-21", "true")
    due = rows["scrutiny_recommendation_due", "R2 Explain the ASB review"]
    assert (due["value"], due["overdue"]) == ("2016-11-30", "false")
    review = rows["risk_review_date", "K1 Volunteer capacity"]
    assert (review["value"], review["overdue"]) == ("2011-04-20", "true")
    review = rows["risk_review_date", "K2 Funding beyond March"]
    assert (review["value"], review["overdue"]) == ("2016-12-01", "false")
    assert rows["open_scrutiny_recommendations_overdue", ""]["value"] == "1"
    assert rows["open_risks_review_overdue", ""]["value"] == "1"
    # Every other row leaves it blank.
    assert rows["open_scrutiny_recommendations", ""]["overdue"] == ""
    assert rows["open_risks_review_overdue", ""]["overdue"] == ""


@pytest.mark.django_db
def test_a_hidden_risks_section_leaves_its_rows_out_of_the_csv(partnership_a, follow_up):
    report = ReportFactory(partnership=partnership_a)
    report.sections = [
        {**s, "shown": s["key"] not in ("risks", "successes")} for s in report.sections
    ]
    report.save()

    text = services.report_publish(report=report, by=None).version.csv

    figures = {r["figure"] for r in _csv_rows(text)}
    assert not figures & {"risk_review_date", "scrutiny_recommendation_due"}


@pytest.mark.django_db
def test_a_version_published_before_the_marks_renders_without_them(partnership_a, follow_up):
    report = ReportFactory(partnership=partnership_a)
    snapshot = services.report_snapshot(report)
    del snapshot["follow_up"]

    html = rendering.render_document(snapshot)

    assert "app-overdue" not in html
    assert "Volunteer capacity. Next review: 20 April 2011." in html
    assert "overdue" not in rendering.report_csv(snapshot).split("\n", 1)[1]


@pytest.mark.django_db
def test_the_action_plans_lists_mark_overdue_recommendations_and_reviews(
    client, partnership_a, officer_a, follow_up
):
    client.force_login(officer_a)
    RecommendationFactory(
        partnership=partnership_a,
        reference="R3",
        status="done",  # done: never overdue, however late
        meeting_date=datetime.date(2011, 1, 20),
        due=datetime.date(2011, 4, 21),
    )

    recommendations = client.get(reverse("actions:recommendations", args=["partnership-a"]))
    risks = client.get(reverse("actions:risks", args=["partnership-a"]))
    follow = client.get(reverse("actions:follow_up", args=["partnership-a"]))

    rows = {r.record.reference: r.get_cell("due") for r in recommendations.context["table"].rows}
    assert rows["R1"] == (
        '<span class="app-nowrap">21 Apr 2011</span> '
        '<strong class="govuk-tag app-overdue">Overdue</strong>'
    )
    assert rows["R3"] == '<span class="app-nowrap">21 Apr 2011</span>'
    rows = {r.record.reference: r.get_cell("review_date") for r in risks.context["table"].rows}
    assert rows["K1"] == (
        '<span class="app-nowrap">20 Apr 2011</span> '
        '<strong class="govuk-tag app-overdue">Review overdue</strong>'
    )
    # Judged at today: K2's review, 1 December 2016, has long passed too.
    assert "Review overdue" in rows["K2"]
    assert follow.content.decode().count('class="govuk-tag app-overdue">Overdue<') == 2
    # Each list says what the mark means, as the action plan does.
    assert "An open risk is overdue for review when its review date has passed." in (
        risks.content.decode()
    )
    assert "One is overdue when its due date has passed and it is not yet done" in (
        recommendations.content.decode()
    )
    # The download keeps the date alone, to import back.
    text = client.get(
        reverse("actions:risks", args=["partnership-a"]), {"_export": "csv"}
    ).content.decode()
    assert "overdue" not in text and "2011-04-20" in text


@pytest.mark.django_db
def test_a_closed_risk_is_never_overdue_for_review(partnership_a):
    risk = RiskFactory(
        partnership=partnership_a, status="closed", review_date=datetime.date(2011, 4, 20)
    )
    assert not risk.review_overdue_at(MONTH_END)
    risk.status = "open"
    assert risk.review_overdue_at(MONTH_END)


@pytest.mark.django_db
def test_the_demo_report_marks_its_overdue_recommendations_and_reviews(db):
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    version = Report.objects.get(title="Safer Plymouth performance update").versions.get()

    # A report of November 2016: due by 21 April 2011 and reviewed by 20 April 2011.
    assert (
        f"{OVERDUE}Report the funding position of the Sexual Assault Referral Centre"
        in version.html
    )
    assert f"{REVIEW}Continued funding for 2011/12" in version.html
    overdue = [r for r in _csv_rows(version.csv) if r["overdue"] == "true"]
    assert {r["figure"] for r in overdue} == {"scrutiny_recommendation_due", "risk_review_date"}


@pytest.mark.django_db
def test_actions_recommendations_and_risks_are_overdue_by_one_day(partnership_a):
    # All three due after November's end (and before today): not yet overdue in a report
    # of November 2016, however long after it is built; all overdue in one of December.
    due = datetime.date(2016, 12, 15)
    ActionFactory(objective=ObjectiveFactory(plan__partnership=partnership_a), due=due)
    RecommendationFactory(partnership=partnership_a, status="in_progress", due=due)
    RiskFactory(partnership=partnership_a, review_date=due)

    for month, overdue in [(11, False), (12, True)]:
        report = ReportFactory(partnership=partnership_a, period=datetime.date(2016, month, 1))
        snapshot = services.report_snapshot(report)

        follow_up = snapshot["follow_up"]
        assert [bool(snapshot["actions"]["overdue"])] == [overdue]
        assert [i["overdue"] for i in follow_up["recommendations"]] == [overdue]
        assert [i["overdue"] for i in follow_up["risks"]] == [overdue]
