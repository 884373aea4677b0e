"""Breadcrumbs: every page's trail is its parent page's trail followed by that parent, so no
level is left out, and each crumb says what the page it links to calls itself (its <h1>, or
its title before the partnership's name)."""

import pytest
from django.urls import reverse
from lxml import html

from tests.factories import (
    CommissioningLineFactory,
    FundingStreamFactory,
    IndicatorFactory,
    ProgressUpdateFactory,
    ReportFactory,
)
from tests.factories.actions import (
    ActionFactory,
    CrossThemeIssueFactory,
    ObjectiveFactory,
    RecommendationFactory,
    RiskFactory,
)


def _page(client, url: str):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return html.fromstring(response.content.decode())


def _trail(doc) -> list[tuple[str, str]]:
    """The breadcrumb trail as (text, link), top first: one trail a page."""
    [nav] = doc.xpath('//nav[contains(@class, "govuk-breadcrumbs")]')
    return [(" ".join(a.text_content().split()), a.get("href")) for a in nav.xpath(".//a")]


def _names(doc) -> set[str]:
    """What a page calls itself: its <h1>, and its <title> up to the first dash."""
    [h1] = doc.xpath("//h1")
    [title] = doc.xpath("//title")
    return {" ".join(h1.text_content().split()), title.text_content().split(" – ")[0].strip()}


@pytest.fixture
def site(partnership_a, report_a):
    """One of each kind of page of partnership A, as (its URL, its parent page's URL)."""
    from opendata.models import PoliceImport

    slug = partnership_a.slug
    indicator = IndicatorFactory(partnership=partnership_a, code="SP 01", title="Overall crime")
    action = ActionFactory(objective=ObjectiveFactory(plan__partnership=partnership_a))
    plan, objective = action.plan, action.objective
    risk = RiskFactory(partnership=partnership_a)
    issue = CrossThemeIssueFactory(partnership=partnership_a)
    recommendation = RecommendationFactory(partnership=partnership_a)
    stream = FundingStreamFactory(partnership=partnership_a, financial_year=2017)
    line = CommissioningLineFactory(
        partnership=partnership_a, funding_stream=stream, provider="Victim Support"
    )
    update = ProgressUpdateFactory(line=line)
    draft = ReportFactory(partnership=partnership_a, title="Draft update")
    run = PoliceImport.objects.create(partnership=partnership_a, files=["a.csv"], report={})

    def url(name, *args):
        return reverse(name, args=[slug, *args])

    home = reverse("core:home")
    top = url("core:partnership")
    indicators, detail = url("indicators:list"), url("indicators:detail", indicator.pk)
    plans, plan_url = url("actions:plans"), url("actions:plan", plan.pk)
    action_url = url("actions:action", action.pk)
    risks, issues = url("actions:risks"), url("actions:issues")
    recommendations = url("actions:recommendations")
    year, line_url = url("commissioning:plan", 2017), url("commissioning:line", line.pk)
    reports = url("reports:list")
    report, draft_url = url("reports:detail", report_a.pk), url("reports:detail", draft.pk)
    police = url("opendata:upload")
    return [
        (top, home),
        (url("indicators:dashboard"), top),
        (url("indicators:month_sheet", "2016-11"), top),
        (url("indicators:import"), top),
        (indicators, top),
        (detail, indicators),
        (url("indicators:year_grid", indicator.pk, 2016), detail),
        (url("indicators:target_edit", indicator.pk, 2016), detail),
        (url("indicators:spc_settings", indicator.pk), detail),
        (url("opendata:hotspots", indicator.pk), detail),
        (plans, top),
        (url("actions:plan_create"), plans),
        (plan_url, plans),
        (url("actions:plan_edit", plan.pk), plan_url),
        (url("actions:objective_create", plan.pk), plan_url),
        (url("actions:objective_edit", objective.pk), plan_url),
        (url("actions:action_create", plan.pk), plan_url),
        (action_url, plan_url),
        (url("actions:action_edit", action.pk), action_url),
        (risks, top),
        (url("actions:risk_create"), risks),
        (url("actions:risk_edit", risk.pk), risks),
        (url("actions:risk_matrix"), risks),
        (issues, top),
        (url("actions:issue_create"), issues),
        (url("actions:issue_edit", issue.pk), issues),
        (recommendations, top),
        (url("actions:recommendation_create"), recommendations),
        (url("actions:recommendation_edit", recommendation.pk), recommendations),
        (url("actions:follow_up"), recommendations),
        (year, top),
        (url("commissioning:line_add", 2017), year),
        (url("commissioning:stream_add", 2017), year),
        (url("commissioning:stream_edit", stream.pk), year),
        (url("commissioning:copy_forward", 2018), url("commissioning:plan", 2018)),
        (line_url, year),
        (url("commissioning:line_edit", line.pk), line_url),
        (url("commissioning:update_add", line.pk), line_url),
        (url("commissioning:update_edit", line.pk, update.pk), line_url),
        (reports, top),
        (url("reports:create"), reports),
        (report, reports),
        (url("reports:edit", report_a.pk), report),
        # A draft's own page is its preview (a report never published has no other).
        (url("reports:preview", report_a.pk), reports),
        (url("reports:publish", report_a.pk), report),
        (url("reports:edit", draft.pk), draft_url),
        (police, top),
        (url("opendata:wards"), police),
        (url("opendata:import_detail", run.pk), police),
    ]


@pytest.mark.django_db
def test_each_pages_trail_is_its_parents_trail_and_then_its_parent(client, officer_a, site):
    client.force_login(officer_a)
    trails = {}
    wrong = []
    for url, parent in site:
        trail = _trail(_page(client, url))
        if parent not in trails:
            trails[parent] = _trail(_page(client, parent)) if parent != reverse("core:home") else []
        if not trail or trail[-1][1] != parent or trail[:-1] != trails[parent]:
            wrong.append((url, [text for text, _ in trail], parent))
    assert wrong == []


@pytest.mark.django_db
def test_each_crumb_says_what_the_page_it_links_to_calls_itself(client, officer_a, site):
    client.force_login(officer_a)
    crumbs = {crumb for url, _ in site for crumb in _trail(_page(client, url))}
    wrong = []
    for text, link in sorted(crumbs):
        names = _names(_page(client, link))
        if text not in names:
            wrong.append((text, link, names))
    assert wrong == []


@pytest.mark.django_db
def test_a_public_reports_trail_leaves_out_the_pages_a_sign_in_opens(
    client, partnership_a, report_a
):
    partnership_a.reports_public = True
    partnership_a.save()

    doc = _page(client, reverse("reports:detail", args=[partnership_a.slug, report_a.pk]))

    assert _trail(doc) == [("Reports", reverse("reports:list", args=[partnership_a.slug]))]
