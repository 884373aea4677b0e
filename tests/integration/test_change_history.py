"""Each recorded change to an action's details, a risk, a recommendation, a plan and its
objectives, a commissioning line and a funding stream shows on the row's own page and on
its History page in the admin: who, when, each field from its old value to its new as the
site writes them. A page reads them in a fixed number of queries, however many there are;
only those who may open the page see them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services as action_services
from actions.models import ActionsChange
from commissioning import services as commissioning_services
from csp_portal.core.change_log import CHANGES_SHOWN, change_words
from tests.factories.actions import ObjectiveFactory
from tests.integration.test_admin_history import _admin_url
from tests.integration.test_admin_partnership_scope import staff_editor_a  # noqa: F401

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page's Changes section as text."""
    html = response.content.decode()
    start = html.find('id="changes"')
    assert start != -1, "no Changes section"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:]))


def _due_and_lead_changed(action, by):
    action_services.action_save(
        plan=action.plan,
        by=by,
        action=action,
        edits={
            "due": (action.due, datetime.date(2016, 8, 15)),
            "lead_text": (action.lead_text, "Hampshire Constabulary"),
        },
    )


def test_action_page_shows_its_due_date_and_lead_changed(client, officer_a, action_a):
    _due_and_lead_changed(action_a, officer_a)
    client.force_login(officer_a)

    text = _text(client.get(action_a.get_absolute_url()))

    assert "Due date from 30 September 2016 to 15 August 2016" in text
    assert "from “Somewhere Police” to “Hampshire Constabulary”" in text
    assert (officer_a.get_full_name() or officer_a.username) in text


def test_risk_page_shows_a_score_changed_by_an_upload(client, officer_a, risk_a):
    action_services.risk_save(
        partnership=risk_a.partnership,
        by=officer_a,
        values={},
        risk=risk_a,
        edits={"likelihood": (3, 2)},
        source="upload",
    )
    client.force_login(officer_a)

    text = _text(client.get(reverse("actions:risk_edit", args=["partnership-a", risk_a.pk])))

    assert "Likelihood from" in text and "(upload)" in text


def test_recommendation_page_shows_its_response_overwritten(client, officer_a, recommendation_a):
    recommendation_a.response = "We agree and will act."
    recommendation_a.save()
    action_services.recommendation_save(
        partnership=recommendation_a.partnership,
        by=officer_a,
        values={},
        recommendation=recommendation_a,
        edits={"response": ("We agree and will act.", "Rejected.")},
    )
    client.force_login(officer_a)

    url = reverse("actions:recommendation_edit", args=["partnership-a", recommendation_a.pk])
    text = _text(client.get(url))

    assert "from “We agree and will act.” to “Rejected.”" in text


def test_plan_page_shows_the_plans_and_its_objectives_changes(client, officer_a, action_a):
    plan, objective = action_a.plan, action_a.objective
    action_services.objective_save(
        plan=plan,
        by=officer_a,
        values={},
        objective=objective,
        edits={"title": (objective.title, "Fewer burglaries")},
    )
    client.force_login(officer_a)

    text = _text(client.get(plan.get_absolute_url()))

    assert f"from “{objective.title}” to “Fewer burglaries”" in text


def test_stream_page_shows_money_as_the_site_writes_it(client, officer_a, funding_stream_a):
    commissioning_services.stream_change(
        stream=funding_stream_a,
        changes={"amount": (funding_stream_a.amount, Decimal("410000"))},
        by=officer_a,
    )
    client.force_login(officer_a)

    url = reverse("commissioning:stream_edit", args=["partnership-a", funding_stream_a.pk])
    text = _text(client.get(url))

    assert "Amount from £400,568 to £410,000" in text


def test_line_page_shows_its_changes_and_its_updates(
    client, officer_a, commissioning_line_a, progress_update_a
):
    line, history = commissioning_line_a, commissioning_services.HISTORY
    old = history.snapshot(line)
    line.end = datetime.date(2018, 3, 31)
    line.save()
    history.record(line, old=old, new=history.snapshot(line), by=officer_a, source="upload")
    history.record(
        progress_update_a,
        old=None,
        new=history.snapshot(progress_update_a),
        by=None,
        source="import",
    )
    client.force_login(officer_a)

    text = _text(client.get(line.get_absolute_url()))

    assert "Contract end from blank to 31 March 2018" in text
    assert "(upload)" in text
    assert "System (import)" in text and "update" in text


# Queries ----------------------------------------------------------------------


def _record_many(row, subject, count: int, by):
    for n in range(count):
        ActionsChange.record(
            old={"description": f"Text {n}"},
            new={"description": f"Text {n + 1}"},
            label=str(row),
            partnership=row.partnership if hasattr(row, "partnership") else row.plan.partnership,
            subject=subject,
            object_id=row.pk,
            changed_by=by,
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("every", [False, True])
def test_action_page_reads_its_changes_in_a_fixed_number_of_queries(
    client, officer_a, action_a, every, django_assert_max_num_queries
):
    client.force_login(officer_a)
    url = action_a.get_absolute_url() + ("?changes=all" if every else "")
    _record_many(action_a, "action", 1, officer_a)
    one = _queries(client, url)
    _record_many(action_a, "action", CHANGES_SHOWN + 10, officer_a)

    with django_assert_max_num_queries(one):
        response = client.get(url)

    shown = response.context["changes"]
    assert shown.total == CHANGES_SHOWN + 11
    assert len(shown.rows) == (CHANGES_SHOWN + 11 if every else CHANGES_SHOWN)
    assert ("Show all" in response.content.decode()) is not every


@pytest.mark.parametrize("name", ["risk", "plan", "line", "stream"])
def test_pages_read_their_changes_in_a_fixed_number_of_queries(
    client, officer_a, risk_a, action_a, commissioning_line_a, name
):
    client.force_login(officer_a)
    plan, stream = action_a.plan, commissioning_line_a.funding_stream
    if name in ("risk", "plan"):
        row = risk_a if name == "risk" else plan
        url = (
            reverse("actions:risk_edit", args=["partnership-a", risk_a.pk])
            if name == "risk"
            else plan.get_absolute_url()
        )

        def add(count):
            _record_many(row, name, count, officer_a)
    else:
        row = commissioning_line_a if name == "line" else stream
        url = (
            row.get_absolute_url()
            if name == "line"
            else reverse("commissioning:stream_edit", args=["partnership-a", stream.pk])
        )

        def add(count):
            for n in range(count):
                commissioning_services.HISTORY.record(
                    row,
                    old={"source": f"A{n}"},
                    new={"source": f"B{n}"},
                    by=officer_a,
                    source="form",
                )

    add(1)
    one = _queries(client, url + "?changes=all")
    add(30)
    assert _queries(client, url + "?changes=all") == one


# Who sees them ------------------------------------------------------------------


def test_another_partnerships_officer_gets_no_action_risk_or_line(
    client, officer_a, officer_b, action_a, risk_a, commissioning_line_a
):
    _due_and_lead_changed(action_a, officer_a)
    client.force_login(officer_b)
    for url in (
        action_a.get_absolute_url(),
        reverse("actions:risk_edit", args=["partnership-a", risk_a.pk]),
        commissioning_line_a.get_absolute_url(),
        action_a.get_absolute_url() + "?changes=all",
    ):
        assert client.get(url).status_code == 404


def test_a_panel_member_gets_what_they_got_before(client, officer_a, panel_a, action_a):
    """Live pages are for editors: a panel member's answer is the same as before."""
    _due_and_lead_changed(action_a, officer_a)
    client.force_login(panel_a)

    response = client.get(action_a.get_absolute_url() + "?changes=all")

    assert response.status_code == 403
    assert "Hampshire Constabulary" not in response.content.decode()


# The admin ----------------------------------------------------------------------


def test_the_admins_history_page_shows_the_changes(client, admin_user, officer_a, action_a):
    _due_and_lead_changed(action_a, officer_a)
    client.force_login(admin_user)

    response = client.get(_admin_url(action_a, "history"))

    html = response.content.decode()
    assert "Due date from 30 September 2016 to 15 August 2016" in html
    assert "doesn’t have a change history" not in html


def test_the_admins_history_page_of_a_risk_and_a_line(
    client, admin_user, officer_a, risk_a, commissioning_line_a
):
    action_services.risk_save(
        partnership=risk_a.partnership,
        by=officer_a,
        values={},
        risk=risk_a,
        edits={"likelihood": (3, 2)},
        source="upload",
    )
    history = commissioning_services.HISTORY
    old = history.snapshot(commissioning_line_a)
    commissioning_line_a.provider = "Victim Support"
    commissioning_line_a.save()
    history.record(
        commissioning_line_a,
        old=old,
        new=history.snapshot(commissioning_line_a),
        by=officer_a,
        source="form",
    )
    client.force_login(admin_user)

    assert "Likelihood from" in client.get(_admin_url(risk_a, "history")).content.decode()
    line_page = client.get(_admin_url(commissioning_line_a, "history")).content.decode()
    assert "Provider from" in line_page and "“Victim Support”" in line_page


def test_the_admins_history_page_keeps_to_the_staff_users_partnerships(
    client,
    staff_editor_a,  # noqa: F811
    officer_b,
    partnership_b,
):
    other = ObjectiveFactory(plan__partnership=partnership_b)
    action_services.objective_save(
        plan=other.plan,
        by=officer_b,
        values={},
        objective=other,
        edits={"title": (other.title, "Secret title")},
    )
    client.force_login(staff_editor_a)

    response = client.get(_admin_url(other, "history"), follow=True)

    assert "Secret title" not in response.content.decode()
    assert response.redirect_chain  # as if it did not exist


# The words ----------------------------------------------------------------------


def test_change_words_added_removed_and_lists():
    from commissioning.models import CommissioningLine

    assert change_words(CommissioningLine, None, {"reference": "CI 01"}) == ["Added"]
    assert change_words(CommissioningLine, {"reference": "CI 01"}, None) == ["Removed"]
    assert change_words(
        CommissioningLine,
        {"indicators": ["A1"], "total_budget": "1250.00", "start": None},
        {"indicators": ["A1", "B2"], "total_budget": "2000.50", "start": "2017-04-01"},
    ) == [
        "Indicators from “A1” to “A1, B2”",
        "Total budget from £1,250 to £2,000.50",
        "Contract start from blank to 1 April 2017",
    ]


# One period's changes to an indicator's figures ---------------------------------


def _figure_changes(indicator, period, count, reason):
    from indicators.models import FigureChange

    FigureChange.objects.bulk_create(
        FigureChange(
            indicator=indicator,
            subject=FigureChange.Subject.ACTUAL,
            period=period,
            old={"value": str(n)},
            new={"value": str(n + 1)},
            source="form",
            reason=f"{reason} {n}",
        )
        for n in range(count)
    )


def test_indicator_page_shows_one_periods_changes(
    client, officer_a, partnership_a, django_assert_max_num_queries
):
    from tests.factories import IndicatorFactory
    from tests.factories.series import actuals_create

    indicator = IndicatorFactory(partnership=partnership_a)
    actuals_create(indicator, {datetime.date(2016, 11, 1): 40, datetime.date(2016, 10, 1): 30})
    _figure_changes(indicator, datetime.date(2016, 11, 1), 60, "november")
    _figure_changes(indicator, datetime.date(2016, 10, 1), 3, "october")
    client.force_login(officer_a)
    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])

    page = client.get(url, {"year": 2016}).content.decode()
    assert f"{url}?year=2016&amp;period=2016-11#history" in page  # the year table's row
    with django_assert_max_num_queries(14):
        november = client.get(url, {"year": 2016, "period": "2016-11"}).content.decode()
    october = re.sub(r"\s+", " ", client.get(url, {"period": "2016-10"}).content.decode())

    assert "Changes to November 2016" in november
    assert "Showing changes 1 to 50 of 60" in november and "october" not in november
    assert "period=2016-11&amp;changes=2#history" in november
    assert "Changes to October 2016" in october and "november 1" not in october
    assert "Show the changes to every period" in october
    assert client.get(url, {"period": "2016-13"}).status_code == 404


def test_indicator_page_shows_a_quarters_changes_from_any_of_its_months(
    client, officer_a, partnership_a
):
    """Review finding: ?period=2016-08 of a quarterly indicator was headed "Changes to
    Quarter 2 (July to September 2016)" but said none were recorded: its figure is kept
    at the quarter's first month, July."""
    from tests.factories import IndicatorFactory

    indicator = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    _figure_changes(indicator, datetime.date(2016, 7, 1), 2, "july")
    client.force_login(officer_a)
    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])

    august = re.sub(r"\s+", " ", client.get(url, {"year": 2016, "period": "2016-08"}).text)

    assert "Changes to Quarter 2 (July to September 2016)" in august
    assert "july 1" in august and "No changes have been recorded" not in august


def test_indicator_page_of_a_period_without_changes_says_so_once(client, officer_a, partnership_a):
    """Review finding: a period with no changes read "Every change to the figure and
    target for February 2017, newest first." and then "No changes have been recorded to
    February 2017."."""
    from tests.factories import IndicatorFactory

    indicator = IndicatorFactory(partnership=partnership_a)
    client.force_login(officer_a)
    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])

    page = re.sub(r"\s+", " ", client.get(url, {"year": 2016, "period": "2017-02"}).text)

    assert "Changes to February 2017" in page
    assert "Every change to the figure and target" not in page
    assert 'No changes have been recorded to February 2017. <a class="govuk-link" href="' in page
    assert "Show the changes to every period" in page


def test_admin_filters_figure_changes_by_period(client, admin_user, partnership_a):
    from tests.factories import IndicatorFactory

    indicator = IndicatorFactory(partnership=partnership_a)
    _figure_changes(indicator, datetime.date(2016, 11, 1), 2, "november")
    _figure_changes(indicator, datetime.date(2016, 10, 1), 3, "october")
    client.force_login(admin_user)
    url = reverse("admin:indicators_figurechange_changelist")

    response = client.get(url, {"period": "2016-11"})

    assert response.context["cl"].result_count == 2
    assert 'name="period" value="2016-11"' in response.content.decode()
    assert client.get(url, {"period": "November"}).status_code == 302  # told it is wrong
