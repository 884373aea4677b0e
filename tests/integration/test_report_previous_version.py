"""What a report's status changes count from (reports/selectors.py: previous_version): the
last report the panel was given before it, for the same partnership, theme group and kind:
its own latest version, else the latest version of the report for the latest earlier month
(or of the same month, made before it); never one for a later month."""

import datetime

import pytest

from actions import services as action_services
from actions.models import ActionUpdate
from reports import selectors, services
from reports.models import ReportVersion
from tests.factories import ReportFactory, ThemeGroupFactory
from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory

JUN, SEP, DEC = datetime.date(2010, 6, 1), datetime.date(2010, 9, 1), datetime.date(2010, 12, 1)


def _at(day: int) -> datetime.datetime:
    return datetime.datetime(2011, 1, day, 12, 0, tzinfo=datetime.UTC)


def _publish(report, when: datetime.datetime) -> ReportVersion:
    version = services.report_publish(report=report, by=None, reason="Corrected.").version
    ReportVersion.objects.filter(pk=version.pk).update(published_at=when)
    version.refresh_from_db()
    return version


def _rated(action, status: str, when: datetime.datetime) -> None:
    update = action_services.action_update_add(
        action=action, status=status, text=f"{status} now.", by=None, date=when.date()
    )
    ActionUpdate.objects.filter(pk=update.pk).update(created_at=when)


@pytest.fixture
def group(partnership_a):
    return ThemeGroupFactory(partnership=partnership_a, name="Safe and Strong")


@pytest.fixture
def action(partnership_a, group):
    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2010, theme_group=group)
    action = ActionFactory(
        objective=ObjectiveFactory(plan=plan), reference="1.1", due=datetime.date(2011, 3, 31)
    )
    _rated(action, "red", _at(1) - datetime.timedelta(days=60))
    return action


@pytest.mark.django_db
def test_a_republished_earlier_report_is_not_compared_with_a_later_months(
    partnership_a, group, action
):
    # Review finding: September's version 2 counted from December's latest version, the
    # most recently published of the group's reports, and said "No action has changed
    # status since the last report" though the action went from red to green after
    # September's version 1, the last September report the panel was given.
    september = ReportFactory(partnership=partnership_a, theme_group=group, period=SEP)
    december = ReportFactory(partnership=partnership_a, theme_group=group, period=DEC)
    first = _publish(september, _at(1))
    _publish(december, _at(2))
    _rated(action, "green", _at(3))
    _publish(december, _at(4))

    assert selectors.previous_version(september) == first
    html = services.report_publish(report=september, by=None, reason="Corrected.").version.html

    assert "No action has changed status since the last report" not in html
    assert "1.1 Action" in html and "Red to Green" in html


@pytest.mark.django_db
def test_a_first_report_of_an_earlier_month_made_after_a_later_ones_has_none_before_it(
    partnership_a, group, action
):
    december = ReportFactory(partnership=partnership_a, theme_group=group, period=DEC)
    _publish(december, _at(1))
    _rated(action, "green", _at(2))
    september = ReportFactory(partnership=partnership_a, theme_group=group, period=SEP)

    assert selectors.previous_version(september) is None
    html = services.report_publish(report=september, by=None).version.html

    assert "This is the first report, so there is no earlier report to compare" in html


@pytest.mark.django_db
def test_the_previous_report_is_of_the_same_theme_group_and_an_earlier_month_or_report(
    partnership_a, group
):
    other = ThemeGroupFactory(partnership=partnership_a, name="Other")
    june = ReportFactory(partnership=partnership_a, theme_group=group, period=JUN)
    september = ReportFactory(partnership=partnership_a, theme_group=group, period=SEP)
    whole = ReportFactory(partnership=partnership_a, period=SEP)
    others = ReportFactory(partnership=partnership_a, theme_group=other, period=SEP)
    again = ReportFactory(partnership=partnership_a, theme_group=group, period=SEP)
    december = ReportFactory(partnership=partnership_a, theme_group=group, period=DEC)
    _publish(june, _at(1))
    june_2 = _publish(june, _at(2))
    for report in (whole, others, december):
        _publish(report, _at(3))

    assert selectors.previous_version(june) == june_2  # its own latest
    # June's latest version, not December's nor those of the other group or the whole.
    assert selectors.previous_version(september) == june_2
    september_1 = _publish(september, _at(4))
    # A second report of the same month, made after it, counts from its latest version;
    # a new version of it from its own latest.
    assert selectors.previous_version(again) == september_1
    assert selectors.previous_version(september) == september_1
    assert selectors.previous_version(december) != september_1  # its own


@pytest.mark.django_db
def test_of_two_reports_of_one_month_the_one_published_last_is_the_previous(partnership_a):
    """Review finding: two reports of November, the earlier made published again after the
    later one: December counted from the later-made report, not the version published last
    (which already showed an action closed)."""
    first = ReportFactory(partnership=partnership_a, period=SEP)
    second = ReportFactory(partnership=partnership_a, period=SEP)
    december = ReportFactory(partnership=partnership_a, period=DEC)
    _publish(first, _at(1))
    _publish(second, _at(2))
    first_again = _publish(first, _at(3))

    assert selectors.previous_version(december) == first_again
