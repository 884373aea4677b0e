"""What assistive technology is told: names of boxes, which column a table is sorted by,
which box of a form is empty."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_sign_in_says_which_box_is_empty(client):
    page = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in page and "Enter your password" in page
    assert "This field is required." not in page


@pytest.mark.django_db
def test_a_table_sorted_by_one_column_says_so_of_that_column_alone(
    client, officer_a, partnership_a
):
    client.force_login(officer_a)
    page = client.get(f"/p/{partnership_a.slug}/risks/").content.decode()
    # Sorted by score, ties by reference: only the score column is announced as sorted,
    # and the reference column's link sorts it ascending first.
    assert page.count('aria-sort="descending"') == 1 and 'aria-sort="ascending"' not in page
    assert "?sort=reference" in page


@pytest.mark.django_db
def test_date_boxes_show_their_dates_as_a_browser_reads_them(client, officer_a, partnership_a):
    """A date box (type="date") takes only ISO dates: one written day first shows as no
    date in a browser, and saving the form then removed it."""
    from tests.factories import ReportFactory
    from tests.factories.actions import ActionFactory, ActionPlanFactory

    action = ActionFactory(plan=ActionPlanFactory(partnership=partnership_a))
    report = ReportFactory(partnership=partnership_a)
    client.force_login(officer_a)

    action_page = client.get(reverse("actions:action_edit", args=[partnership_a.slug, action.pk]))
    report_page = client.get(reverse("reports:edit", args=[partnership_a.slug, report.pk]))

    assert 'type="date" name="due" value="2016-09-30"' in action_page.content.decode()
    assert 'value="2017-01-24"' in report_page.content.decode()


@pytest.mark.django_db
def test_the_publish_page_does_not_vouch_for_red_indicators_there_are_none_of(
    client, officer_a, partnership_a
):
    from tests.factories import ReportFactory
    from tests.factories.series import hate_crime_indicator

    hate_crime_indicator(partnership_a)  # monitored: no status
    report = ReportFactory(partnership=partnership_a)
    client.force_login(officer_a)

    page = client.get(reverse("reports:publish", args=[partnership_a.slug, report.pk]))

    text = page.content.decode()
    assert "No indicator is red" in text and "Every red indicator has" not in text
