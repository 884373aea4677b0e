"""Removing a row keyed in by mistake (csp_portal/core/removal.py): the confirmation page,
the refusals of rows something depends on or a published report may have shown, the
history kept, and published versions left as they were. Who may open the pages:
test_permissions.py."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.timezone import localtime

from actions import services as action_services
from actions.models import Action, ActionPlan, ActionsChange, Objective, Recommendation, Risk
from commissioning import services as commissioning_services
from commissioning.models import CommissioningChange, CommissioningLine, FundingStream
from csp_portal.core.models import Partnership
from reports import services as report_services
from reports.models import ReportVersion
from tests.factories import (
    CommissioningLineFactory,
    FundingStreamFactory,
    ProgressUpdateFactory,
    ReportFactory,
)
from tests.factories.actions import (
    ActionFactory,
    ActionPlanFactory,
    CrossThemeIssueFactory,
    ObjectiveFactory,
    RecommendationFactory,
    RiskFactory,
)
from tests.integration.test_permissions import database_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


def _page(client, name: str, *args) -> tuple[str, str]:
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 200
    return url, response.content.decode()


# Funding streams and lines ---------------------------------------------------


def test_a_mis_keyed_stream_is_removed_and_its_year_tab_goes(signed_in, partnership_a, officer_a):
    FundingStreamFactory(partnership=partnership_a, financial_year=2024, source="PCC grant")
    stream = commissioning_services.stream_save(
        partnership=partnership_a, financial_year=2019, source="S 0", amount=Decimal(0), by=None
    )
    slug = partnership_a.slug
    plan = signed_in.get(reverse("commissioning:plan", args=[slug, 2024])).content.decode()
    assert "2019/20" in plan
    edit = signed_in.get(reverse("commissioning:stream_edit", args=[slug, stream.pk]))
    remove_url = reverse("commissioning:stream_remove", args=[slug, stream.pk])
    assert f'href="{remove_url}"' in edit.content.decode()

    url, page = _page(signed_in, "commissioning:stream_remove", slug, stream.pk)
    assert '<h1 class="govuk-heading-l">Remove this funding stream</h1>' in page
    assert "Remove funding stream</button>" in page
    assert "£0" in page and "2019/20" in page
    assert "govuk-button--warning" in page
    version = partnership_a.data_version
    response = signed_in.post(url, follow=True)

    # The year has nothing left: the latest year's page, whose tabs no longer list it.
    assert response.redirect_chain[-1][0] == reverse("commissioning:plan", args=[slug, 2024])
    text = response.content.decode()
    assert "Removed the funding stream “S 0”." in text
    assert "2019/20" not in text
    assert not FundingStream.objects.filter(pk=stream.pk).exists()
    removed = CommissioningChange.objects.get(
        subject="stream", object_id=stream.pk, new__isnull=True
    )
    assert removed.old["source"] == "S 0" and removed.old["amount"] == "0.00"
    assert removed.changed_by == officer_a and removed.source == "form"
    assert Partnership.objects.get(pk=partnership_a.pk).data_version != version
    # The emptied year's page, at its address, still says what was removed.
    emptied = signed_in.get(reverse("commissioning:plan", args=[slug, 2019]))
    assert [(row.kind, row.name) for row in emptied.context["removed"]] == [
        ("Funding stream", "S 0")
    ]


def test_a_stream_that_pays_for_lines_is_kept(signed_in, partnership_a):
    line = CommissioningLineFactory(partnership=partnership_a, reference="CI 01")
    stream = line.funding_stream
    url, page = _page(signed_in, "commissioning:stream_remove", partnership_a.slug, stream.pk)
    assert "This funding stream pays for 1 commissioning line (CI 01)" in page
    assert "govuk-button--warning" not in page
    before = database_state()

    response = signed_in.post(url)

    assert response.status_code == 200
    assert "This could not be removed" in response.content.decode()
    assert database_state() == before


def test_a_line_in_the_wrong_year_is_removed_to_be_added_again(signed_in, partnership_a):
    stream = FundingStreamFactory(partnership=partnership_a, financial_year=2018)
    line = commissioning_services.line_save(
        partnership=partnership_a,
        data=commissioning_services.LineInput(
            financial_year=2018,
            reference="CI 09",
            area_of_need="Domestic abuse",
            funding_stream=stream,
            contribution=Decimal(5000),
        ),
        by=None,
    )
    slug = partnership_a.slug
    edit = signed_in.get(reverse("commissioning:line_edit", args=[slug, line.pk])).content
    assert reverse("commissioning:line_remove", args=[slug, line.pk]).encode() in edit
    url, page = _page(signed_in, "commissioning:line_remove", slug, line.pk)
    assert commissioning_services.MOVE_LINE in page

    response = signed_in.post(url)

    # The year keeps its stream: its page, which no longer counts the line against it.
    assert response["Location"] == reverse("commissioning:plan", args=[slug, 2018])
    assert not CommissioningLine.objects.filter(pk=line.pk).exists()
    assert FundingStream.objects.filter(pk=stream.pk).exists()
    removed = CommissioningChange.objects.get(subject="line", object_id=line.pk, new__isnull=True)
    assert removed.old["reference"] == "CI 09" and removed.old["contribution"] == "5000.00"


def test_a_line_with_progress_updates_is_kept(signed_in, partnership_a):
    line = CommissioningLineFactory(partnership=partnership_a)
    ProgressUpdateFactory(line=line)
    ProgressUpdateFactory(line=line, date=datetime.date(2017, 12, 31))
    url, page = _page(signed_in, "commissioning:line_remove", partnership_a.slug, line.pk)
    assert "This line has 2 progress updates: set its status to Ended instead" in page
    before = database_state()
    assert signed_in.post(url).status_code == 200
    assert database_state() == before


def test_a_progress_update_is_removed_with_its_outputs_recorded(signed_in, progress_update_a):
    line = progress_update_a.line
    url, page = _page(
        signed_in,
        "commissioning:update_remove",
        line.partnership.slug,
        line.pk,
        progress_update_a.pk,
    )
    assert "Clients supported: 23" in page

    response = signed_in.post(url)

    assert response["Location"] == line.get_absolute_url()
    assert not line.updates.exists()
    removed = CommissioningChange.objects.get(subject="update", new__isnull=True)
    assert removed.old["outputs"] == [["Clients supported", "23"]]


def test_copy_forward_points_to_the_remove_links(signed_in, partnership_a):
    CommissioningLineFactory(partnership=partnership_a, financial_year=2017, reference="CI 03")
    CommissioningLineFactory(partnership=partnership_a, financial_year=2018, reference="CI 03")
    url = reverse("commissioning:copy_forward", args=[partnership_a.slug, 2018])
    text = signed_in.post(url).content.decode()
    assert "Change or remove those lines first" not in text
    assert "“Remove this line” on a line&#x27;s change page" in text


# The year page lists what was removed ---------------------------------------------


def _year_page(client, partnership, year: int):
    response = client.get(reverse("commissioning:plan", args=[partnership.slug, year]))
    assert response.status_code == 200
    return response


def test_the_year_page_lists_its_removed_line_and_stream(signed_in, partnership_a, officer_a):
    FundingStreamFactory(partnership=partnership_a, financial_year=2018, source="PCC grant")
    stream = FundingStreamFactory(
        partnership=partnership_a, financial_year=2018, source="S 0", amount=Decimal(0)
    )
    line = CommissioningLineFactory(
        partnership=partnership_a,
        financial_year=2018,
        reference="CI 09",
        area_of_need="Domestic abuse outreach",
        provider="Victim Support",
        funding_stream=stream,
        contribution=Decimal(5000),
    )
    commissioning_services.row_remove(row=line, by=officer_a)
    commissioning_services.row_remove(row=stream, by=officer_a)
    # Removed in the admin: by whom, and how.
    commissioning_services.row_remove(
        row=CommissioningLineFactory(
            partnership=partnership_a,
            financial_year=2018,
            reference="CI 10",
            funding_stream=None,
            contribution_status="",
            contribution=None,
        ),
        by=None,
        origin="admin",
    )

    response = _year_page(signed_in, partnership_a, 2018)

    removed = response.context["removed"]
    # Newest first, each with what its record holds.
    assert [(row.kind, row.name) for row in removed] == [
        ("Line", "CI 10"),
        ("Funding stream", "S 0"),
        ("Line", "CI 09"),
    ]
    assert removed[2].about == "Domestic abuse outreach"
    assert removed[2].facts == [
        ("Provider", "Victim Support"),
        ("Funding stream", "S 0"),
        ("Contribution", "£5,000"),
    ]
    assert removed[1].facts == [("Amount", "£0")]
    assert removed[0].facts == [("Contribution", "No contribution from a funding stream")]
    assert [(row.who, row.source) for row in removed] == [
        ("System", "admin"),
        (officer_a.get_full_name(), ""),
        (officer_a.get_full_name(), ""),
    ]
    text = response.content.decode()
    section = text[text.index('id="removed"') :]
    assert "Removed this year" in section
    assert "CI 09" in section and "Victim Support" in section and "£5,000" in section
    assert "S 0" in section and "£0" in section
    # At 375px "Funding stream S 0 …" ran on for ten lines: the type has its own line.
    assert '<span class="govuk-body-s app-secondary">Funding stream</span><br>S 0' in section
    assert escape(officer_a.get_full_name()) in section
    assert 'System <span class="app-secondary">(admin)</span>' in section
    record = CommissioningChange.objects.get(subject="line", object_id=line.pk, new__isnull=True)
    assert date_format(localtime(record.changed_at), "j M Y") in section


def test_the_year_page_has_no_removed_section_without_removals(signed_in, partnership_a, officer_a):
    stream = FundingStreamFactory(partnership=partnership_a, financial_year=2018)
    kept = CommissioningLineFactory(
        partnership=partnership_a, financial_year=2018, funding_stream=stream
    )
    # Added and changed (not removed), and a line of another year removed.
    history = commissioning_services.HISTORY
    history.record(kept, old=None, new=history.snapshot(kept), by=officer_a, source="form")
    commissioning_services.row_remove(
        row=CommissioningLineFactory(
            partnership=partnership_a, financial_year=2017, reference="CI 05"
        ),
        by=officer_a,
    )

    response = _year_page(signed_in, partnership_a, 2018)

    assert response.context["removed"] == []
    assert "Removed this year" not in response.content.decode()
    other_year = _year_page(signed_in, partnership_a, 2017).context["removed"]
    assert [row.name for row in other_year] == ["CI 05"]


def test_the_year_page_lists_no_other_partnerships_removals(
    signed_in, partnership_a, partnership_b, officer_b
):
    FundingStreamFactory(partnership=partnership_a, financial_year=2018)
    theirs = CommissioningLineFactory(
        partnership=partnership_b, financial_year=2018, reference="CI 77", provider="B Trust"
    )
    commissioning_services.row_remove(row=theirs, by=officer_b)
    commissioning_services.row_remove(row=theirs.funding_stream, by=officer_b)

    response = _year_page(signed_in, partnership_a, 2018)

    assert response.context["removed"] == []
    text = response.content.decode()
    assert "Removed this year" not in text
    assert "CI 77" not in text and "B Trust" not in text


# Action plans ------------------------------------------------------------------


def test_an_action_with_updates_is_kept(signed_in, action_a, officer_a):
    for text in ("Started", "Going", "Nearly"):
        action_services.action_update_add(
            action=action_a, status="green", text=text, by=officer_a, date=datetime.date(2016, 6, 1)
        )
    slug = action_a.plan.partnership.slug
    url, page = _page(signed_in, "actions:action_remove", slug, action_a.pk)
    assert "This action has 3 updates: mark it complete instead" in page
    assert "ask an administrator" in page
    before = database_state()
    response = signed_in.post(url)
    assert response.status_code == 200
    assert database_state() == before


def test_an_action_with_no_updates_is_removed_and_recorded(signed_in, action_a, officer_a):
    slug = action_a.plan.partnership.slug
    edit = signed_in.get(reverse("actions:action_edit", args=[slug, action_a.pk])).content
    assert b"Remove this action" in edit
    url, page = _page(signed_in, "actions:action_remove", slug, action_a.pk)
    assert "Remove action 1.1" in page

    response = signed_in.post(url)

    assert response["Location"] == action_a.plan.get_absolute_url()
    assert not Action.objects.filter(pk=action_a.pk).exists()
    removed = ActionsChange.objects.get(subject="action", object_id=action_a.pk)
    assert removed.new is None
    assert removed.old["reference"] == "1.1" and removed.old["lead_text"] == "Somewhere Police"
    assert removed.changed_by == officer_a


def test_a_plan_with_objectives_and_an_objective_with_actions_are_kept(signed_in, action_a):
    plan, slug = action_a.plan, action_a.plan.partnership.slug
    _, page = _page(signed_in, "actions:plan_remove", slug, plan.pk)
    assert "This plan has 1 objective and 1 action: remove its actions, then its objectives" in page
    url, page = _page(signed_in, "actions:objective_remove", slug, action_a.objective_id)
    assert "This objective has 1 action: move them to another objective or remove them" in page
    before = database_state()
    signed_in.post(url)
    signed_in.post(reverse("actions:plan_remove", args=[slug, plan.pk]))
    assert database_state() == before


@pytest.mark.parametrize(
    ("factory", "name", "kind", "noun"),
    [
        (ActionPlanFactory, "actions:plan_remove", "action plan", "the action plan"),
        (
            CrossThemeIssueFactory,
            "actions:issue_remove",
            "cross-theme issue",
            "the cross-theme issue",
        ),
    ],
)
def test_a_plan_or_issue_named_by_its_title_is_removed_as_this_one(
    signed_in, partnership_a, factory, name, kind, noun
):
    """Review finding: "Remove the action plan Planned interventions for failing targets"
    ran its title into the heading unquoted (four lines on a phone), and on the button."""
    row = factory(partnership=partnership_a, title="Planned interventions for failing targets")

    url, page = _page(signed_in, name, partnership_a.slug, row.pk)

    assert f'<h1 class="govuk-heading-l">Remove this {kind}</h1>' in page
    assert f"Remove {kind}</button>" in page
    assert "Planned interventions for failing targets</dd>" in " ".join(page.split())
    text = signed_in.post(url, follow=True).content.decode()
    assert f"Removed {noun} “Planned interventions for failing targets”." in text


def test_an_empty_objective_then_an_empty_plan_are_removed(signed_in, partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a)
    objective = ObjectiveFactory(plan=plan, number=1)
    slug = partnership_a.slug
    response = signed_in.post(reverse("actions:objective_remove", args=[slug, objective.pk]))
    assert response["Location"] == plan.get_absolute_url() + "#objectives"
    response = signed_in.post(reverse("actions:plan_remove", args=[slug, plan.pk]))
    assert response["Location"] == reverse("actions:plans", args=[slug])
    assert not Objective.objects.exists() and not ActionPlan.objects.exists()
    assert {c.subject for c in ActionsChange.objects.filter(new__isnull=True)} == {
        "objective",
        "plan",
    }


def test_a_recommendation_with_a_response_is_kept(signed_in, partnership_a):
    answered = RecommendationFactory(partnership=partnership_a, response="Agreed in full.")
    slug = partnership_a.slug
    url, page = _page(signed_in, "actions:recommendation_remove", slug, answered.pk)
    assert "This recommendation has a response: change its status instead" in page
    signed_in.post(url)
    assert Recommendation.objects.filter(pk=answered.pk).exists()


def test_a_risk_is_removed_through_its_edit_page(signed_in, risk_a):
    slug = risk_a.partnership.slug
    edit = signed_in.get(reverse("actions:risk_edit", args=[slug, risk_a.pk])).content
    assert b"Remove this risk" in edit
    response = signed_in.post(reverse("actions:risk_remove", args=[slug, risk_a.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("actions:risks", args=[slug])
    assert f"Removed risk {risk_a.reference}." in response.content.decode()
    assert not Risk.objects.exists()


def test_removing_checks_again_with_the_row_locked(partnership_a):
    """A page opened before an update was added: the service reads the row afresh."""
    line = CommissioningLineFactory(partnership=partnership_a)
    assert commissioning_services.removal_refusals(line) == []
    ProgressUpdateFactory(line=line)
    with pytest.raises(ValidationError, match="1 progress update"):
        commissioning_services.row_remove(row=line, by=None)
    assert CommissioningLine.objects.filter(pk=line.pk).exists()
    assert not CommissioningChange.objects.filter(new__isnull=True).exists()


def test_removing_an_action_checks_again_with_the_row_locked(partnership_a, officer_a):
    action = ActionFactory(
        objective=ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership_a))
    )
    assert action_services.removal_refusals(action) == []
    action_services.action_update_add(
        action=action, status="green", text="Done.", by=officer_a, date=datetime.date(2016, 10, 1)
    )
    with pytest.raises(ValidationError, match="1 update"):
        action_services.row_remove(row=action, by=None)
    assert Action.objects.filter(pk=action.pk).exists()
    assert not ActionsChange.objects.filter(new__isnull=True).exists()


@pytest.mark.parametrize(
    ("factory", "services", "noun"),
    [
        (RiskFactory, action_services, "risk"),
        (FundingStreamFactory, commissioning_services, "funding stream"),
    ],
)
def test_a_row_removed_already_is_said_so(partnership_a, factory, services, noun):
    row = factory(partnership=partnership_a)
    type(row).objects.filter(pk=row.pk).delete()
    with pytest.raises(ValidationError, match=f"removed this {noun} already"):
        services.row_remove(row=row, by=None)


# Published reports -------------------------------------------------------------


def _published_files(report) -> list:
    return list(
        ReportVersion.objects.filter(report=report).values_list(
            "snapshot", "html", "csv", "pdf", "docx", "shown"
        )
    )


def test_a_row_a_published_report_may_have_shown_is_kept(signed_in, partnership_a, report_a):
    """A row whose history does not say when it was added: the record keeps it. Added
    after the report was published (its history says when), it goes, and the published
    version stays as it was."""
    shown = RiskFactory(partnership=partnership_a, description="Shown risk")
    added, _ = action_services.risk_save(
        partnership=partnership_a,
        by=None,
        values={
            "reference": "NEW-1",
            "description": "Keyed by mistake",
            "likelihood": 2,
            "impact": 2,
        },
    )
    slug = partnership_a.slug
    url, page = _page(signed_in, "actions:risk_remove", slug, shown.pk)
    assert "A report published on" in page
    assert "(“Published update”) may have shown this risk" in page
    assert "set its status to Closed instead" in page
    before = _published_files(report_a)
    signed_in.post(url)
    assert Risk.objects.filter(pk=shown.pk).exists()

    signed_in.post(reverse("actions:risk_remove", args=[slug, added.pk]))

    assert not Risk.objects.filter(pk=added.pk).exists()
    assert _published_files(report_a) == before


def test_a_published_version_names_no_row_by_its_key(client, officer_a, partnership_a):
    """A version is self-contained: even the rows it showed, deleted (in the admin), leave
    its stored page, files and snapshot as they were, and its page still shows them."""
    RiskFactory(partnership=partnership_a, description="Burglary hotspots drift north")
    stream = FundingStreamFactory(partnership=partnership_a, financial_year=2016, source="Grant")
    CommissioningLineFactory(
        partnership=partnership_a, financial_year=2016, funding_stream=stream, reference="CI 07"
    )
    action = ActionFactory(plan=ActionPlanFactory(partnership=partnership_a, financial_year=2016))
    report = ReportFactory(partnership=partnership_a, title="Quarter 3")
    report_services.report_publish(report=report, by=officer_a)
    before = _published_files(report)
    html = before[0][1]
    assert "Burglary hotspots drift north" in html and "CI 07" in html

    Risk.objects.all().delete()
    CommissioningLine.objects.all().delete()
    FundingStream.objects.all().delete()
    Action.objects.filter(pk=action.pk).delete()

    assert _published_files(report) == before
    client.force_login(officer_a)
    page = client.get(reverse("reports:version", args=[partnership_a.slug, report.pk, 1]))
    assert page.status_code == 200
    assert "Burglary hotspots drift north" in page.content.decode()


def _title(page: str) -> str:
    return " ".join(page.split("<title>", 1)[1].split("</title>", 1)[0].split())


def test_pages_of_like_rows_have_titles_that_tell_them_apart(signed_in, partnership_a):
    """Crawl finding: every cross-theme issue's page was titled "Change cross-theme issue",
    and two years' "Add a line" pages, or two lines' update removals, shared a title."""
    slug = partnership_a.slug
    issue = CrossThemeIssueFactory(partnership=partnership_a, title="Alcohol harm")
    _, page = _page(signed_in, "actions:issue_edit", slug, issue.pk)
    assert _title(page).startswith("Change cross-theme issue “Alcohol harm” – ")
    line_2017 = _title(_page(signed_in, "commissioning:line_add", slug, 2017)[1])
    line_2018 = _title(_page(signed_in, "commissioning:line_add", slug, 2018)[1])
    assert line_2017 != line_2018 and "2017/18" in line_2017
    update = ProgressUpdateFactory(line__partnership=partnership_a, line__reference="SLA 01")
    _, page = _page(signed_in, "commissioning:update_remove", slug, update.line.pk, update.pk)
    assert "SLA 01" in _title(page)
