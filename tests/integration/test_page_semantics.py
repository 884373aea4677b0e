"""What assistive technology is told: names of boxes, which column a table is sorted by,
which box of a form is empty."""

import datetime
from decimal import Decimal

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


@pytest.mark.django_db
def test_an_overviews_publish_page_counts_its_partnerships_red_indicators(
    client, admin_user, partnership_a, partnership_b
):
    import datetime
    from decimal import Decimal

    from reports.models import Report
    from tests.factories import IndicatorFactory, ReportFactory, TargetFactory
    from tests.factories.series import actuals_create

    red = IndicatorFactory(partnership=partnership_b, code="ZZ 1", title="Burglary")
    actuals_create(red, {datetime.date(2016, m, 1): 100 for m in range(4, 12)})
    TargetFactory(indicator=red, financial_year=2016, kind="annual", value=Decimal(10))
    report = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW)
    report.covers.set([partnership_a, partnership_b])
    client.force_login(admin_user)

    text = client.get(reverse("reports:publish", args=[partnership_a.slug, report.pk]))
    text = text.content.decode()

    assert "No indicator is red" not in text
    assert "Burglary (ZZ 1)" in text


def test_numbers_take_commas_only_between_thousands():
    from commissioning.forms import OutputForm

    def cleaned(value):
        form = OutputForm(data={"label": "People helped", "value": value})
        return form.cleaned_data["value"] if form.is_valid() else None

    assert cleaned("1,204") == 1204
    assert cleaned("12,345.50") == Decimal("12345.50")
    assert cleaned("2,5") is None and cleaned("1,2,3") is None and cleaned("12,50") is None


def test_an_action_date_takes_the_form_its_hint_gives():
    """Review finding: a date box (type=date, shown as dd/mm/yyyy in a UK browser) was
    hinted "For example, 25 8 2007", which it cannot show."""
    import datetime

    from actions.forms import _date_field

    field = _date_field("Due date")
    assert field.widget.input_type == "date"
    assert field.help_text == "For example, 25/08/2007."
    # Typed so where a browser has no date box, and posted as ISO where it has one.
    assert field.clean("25/08/2007") == datetime.date(2007, 8, 25)
    assert field.clean("2007-08-25") == datetime.date(2007, 8, 25)


@pytest.mark.django_db
def test_a_meeting_and_an_update_are_named_by_their_day_as_the_site_writes_it(partnership_a):
    """Review finding: "Scrutiny panel, 09 December 2026", where the site writes "9 December
    2026"."""
    from commissioning.models import ProgressUpdate
    from csp_portal.core.models import Meeting
    from tests.factories import CommissioningLineFactory

    meeting = Meeting(
        partnership=partnership_a, title="Scrutiny panel", date=datetime.date(2026, 12, 9)
    )
    assert str(meeting) == "Scrutiny panel, 9 December 2026"
    line = CommissioningLineFactory(partnership=partnership_a, reference="C1")
    update = ProgressUpdate(line=line, date=datetime.date(2017, 3, 1))
    assert str(update) == "C1 update 1 March 2017"


@pytest.mark.django_db
def test_the_month_sheet_goes_to_the_month_asked_for(client, officer_a, partnership_a):
    client.force_login(officer_a)
    url = reverse("indicators:month_sheet_latest", args=[partnership_a.slug])

    chosen = client.get(url, {"month": "2016-11"})
    page = client.get(chosen["Location"]).content.decode()
    wrong = client.get(url, {"month": "Nov"}, follow=True).content.decode()

    assert chosen["Location"].endswith("/figures/2016-11/")
    assert 'name="month" type="month" value="2016-11"' in page
    assert "&#x27;Nov&#x27; is not a month: choose a month like 2016-11." in wrong
