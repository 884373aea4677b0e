"""A report URL with an id too big for the database, and the day a report is published on."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import selectors, services
from actions.models import ActionUpdate
from tests.factories.actions import ActionFactory

TOO_BIG = 2**63  # one more than the largest id SQLite and PostgreSQL hold
ONE_DAY = datetime.timedelta(days=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "{}/",
        "{}/versions/1/",
        "{}/edit/",
        "{}/preview/",
        "{}/publish/",
        "{}/report.pdf",
        "{}/report.docx",
        "{}/report.csv",
    ],
)
def test_a_report_id_too_big_for_the_database_is_not_found(client, officer_a, path):
    client.force_login(officer_a)

    assert client.get("/p/partnership-a/reports/" + path.format(TOO_BIG)).status_code == 404


@pytest.mark.django_db
def test_a_version_number_too_big_for_the_database_is_not_found(client, officer_a, report_a):
    client.force_login(officer_a)
    url = reverse("reports:version", args=["partnership-a", report_a.pk, 1])

    assert client.get(url).status_code == 200
    assert client.get(url.replace("/1/", f"/{TOO_BIG}/")).status_code == 404


@pytest.mark.django_db
def test_plan_summary_at_a_moment_judges_the_day_in_the_site_time_zone(partnership_a, officer_a):
    """00:30 on 1 October 2016 in London is 23:30 on 30 September in UTC: that moment is
    on 1 October, so an action due on 30 September is overdue and 1 October's update counts."""
    day = datetime.date(2016, 10, 1)
    action = ActionFactory(objective__plan__partnership=partnership_a, due=day - ONE_DAY)
    services.action_update_add(action=action, status="amber", text="Begun.", by=officer_a, date=day)
    moment = datetime.datetime(2016, 9, 30, 23, 30, tzinfo=datetime.UTC)
    ActionUpdate.objects.update(created_at=moment - datetime.timedelta(minutes=5))

    summary = selectors.plan_summary(partnership_a, as_at=moment)

    assert summary.as_at == timezone.localdate(moment) == day
    assert [row.action for row in summary.overdue] == [action]
    assert summary.actions[0].status == "amber"
