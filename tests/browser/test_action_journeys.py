"""Action plans in a real browser: the quick update journey, and axe-core on every page."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actions import services
from csp_portal.core.models import Membership
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    ActualFactory,
    IndicatorFactory,
    MeetingFactory,
    MembershipFactory,
    PartnershipFactory,
    ThemeGroupFactory,
    UserFactory,
)
from tests.factories.actions import (
    ActionFactory,
    ActionPlanFactory,
    CrossThemeIssueFactory,
    ObjectiveFactory,
    RecommendationFactory,
    RiskFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEGEND = {
    "red": "Action not completed",
    "amber": "Action completed but further work required",
    "green": "All actions done",
}


@pytest.fixture
def valley():
    partnership = PartnershipFactory(name="Test Valley CSP", slug="test-valley", rag_legend=LEGEND)
    group = ThemeGroupFactory(partnership=partnership, name="Delivery Group")
    officer = MembershipFactory(
        user=UserFactory(username="rachel", first_name="Rachel", last_name="Nunn"),
        partnership=partnership,
        role=Membership.Role.OFFICER,
    ).user
    indicator = IndicatorFactory(
        partnership=partnership, theme_group=group, code="TV 02", title="Criminal damage"
    )
    for month in (4, 5, 6):
        ActualFactory(indicator=indicator, period=datetime.date(2015, month, 1), value=100)
        ActualFactory(indicator=indicator, period=datetime.date(2016, month, 1), value=90)
    plan = ActionPlanFactory(partnership=partnership, theme_group=group, title="CSP action plan")
    objective = ObjectiveFactory(plan=plan, number=2, title="Reduction in criminal damage")
    statuses = [
        ("2.1", "Warden patrols", "green"),
        ("2.2", "False vandalism reports", "red"),
        ("2.3", "Environmental campaign", "red"),
        ("2.4", "Joint patrols", "amber"),
    ]
    for reference, description, status in statuses:
        action = ActionFactory(objective=objective, reference=reference, description=description)
        action.indicators.add(indicator)
        services.action_update_add(
            action=action,
            status=status,
            text="First update",
            by=officer,
            date=datetime.date(2016, 7, 1),
        )
    RiskFactory(partnership=partnership, likelihood=4, impact=5, description="Funding ends")
    CrossThemeIssueFactory(partnership=partnership, raised_by=group, title="Alcohol harm")
    MeetingFactory(partnership=partnership, date=datetime.date(2016, 12, 1))
    RecommendationFactory(partnership=partnership, recommendation="Report SARC funding")
    return partnership, officer, plan


def _count(page, status: str) -> str:
    return page.locator(f"#rag-counts tr[data-status='{status}'] td").first.inner_text()


def test_officer_filters_to_red_updates_one_to_green_and_counts_change(page, live_server, valley):
    partnership, officer, plan = valley
    sign_in(page, live_server, officer.username)
    page.goto(live_server.url + reverse("actions:plan", args=[partnership.slug, plan.pk]))
    assert_accessible(page)
    assert (_count(page, "red"), _count(page, "green")) == ("2", "1")

    page.get_by_label("Status", exact=True).select_option("red")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#shown-count")).to_have_text(
        "Showing 2 of 4 actions. Indicator status and direction are for the year to June 2016."
    )
    expect(page.locator("article.app-action")).to_have_count(2)
    assert_accessible(page)

    action = page.locator("article.app-action", has_text="False vandalism reports")
    action.get_by_text("Update action 2.2").click()
    action.get_by_label("Green: All actions done").check()
    action.get_by_label("Update and further actions").fill("Proposal agreed by the Delivery Group.")
    action.get_by_role("button", name="Save update").click()

    expect(page.get_by_text("Action 2.2 is now Green.")).to_be_visible()
    assert "status=red" in page.url
    assert (_count(page, "red"), _count(page, "green")) == ("1", "2")
    expect(page.locator("article.app-action")).to_have_count(1)  # still filtered to red
    assert_accessible(page)


def test_quick_update_without_text_shows_error_summary(page, live_server, valley):
    partnership, officer, plan = valley
    sign_in(page, live_server, officer.username)
    page.goto(live_server.url + reverse("actions:plan", args=[partnership.slug, plan.pk]))
    action = page.locator("article.app-action", has_text="Joint patrols")
    action.get_by_text("Update action 2.4").click()
    action.get_by_label("Green: All actions done").check()
    action.get_by_role("button", name="Save update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Write what has been done and what comes next.")
    assert _count(page, "amber") == "1"
    assert_accessible(page)


@pytest.mark.parametrize(
    "name, with_pk",
    [
        ("actions:plans", None),
        ("actions:action", "action"),
        ("actions:action_edit", "action"),
        ("actions:action_create", "plan"),
        ("actions:plan_create", None),
        ("actions:plan_edit", "plan"),
        ("actions:objective_create", "plan"),
        ("actions:objective_edit", "objective"),
        ("actions:risks", None),
        ("actions:risk_matrix", None),
        ("actions:risk_create", None),
        ("actions:issues", None),
        ("actions:issue_create", None),
        ("actions:recommendations", None),
        ("actions:recommendation_create", None),
        ("actions:follow_up", None),
    ],
)
def test_actions_pages_are_accessible(page, live_server, valley, name, with_pk):
    partnership, officer, plan = valley
    args = [partnership.slug]
    if with_pk == "plan":
        args.append(plan.pk)
    elif with_pk == "action":
        args.append(plan.actions.first().pk)
    elif with_pk == "objective":
        args.append(plan.objectives.first().pk)
    sign_in(page, live_server, officer.username)
    page.goto(live_server.url + reverse(name, args=args))
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    if name.endswith("_create"):  # the same form with every error showing
        if name == "actions:objective_create":
            page.get_by_label("Objective number").fill("")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)


def test_pages_with_changes_are_accessible(page, live_server, valley):
    """An action's, its plan's and a risk's Changes sections, and an indicator's changes to
    one month, pass axe and reflow."""
    from indicators.models import FigureChange

    partnership, officer, plan = valley
    action = plan.actions.order_by("reference").first()
    services.action_save(
        plan=plan,
        by=officer,
        action=action,
        edits={
            "due": (action.due, datetime.date(2016, 8, 15)),
            "lead_text": (action.lead_text, "Hampshire Constabulary and a long partner name"),
        },
    )
    risk = partnership.risks.get()
    services.risk_save(
        partnership=partnership,
        by=officer,
        values={},
        risk=risk,
        edits={"likelihood": (4, 2)},
        source="upload",
    )
    indicator = action.indicators.get()
    FigureChange.objects.create(
        indicator=indicator,
        subject="actual",
        period=datetime.date(2016, 5, 1),
        old={"value": "80"},
        new={"value": "90"},
        reason="Late crimes recorded",
        changed_by=officer,
    )
    sign_in(page, live_server, officer.username)
    for url in (
        action.get_absolute_url(),
        plan.get_absolute_url(),
        reverse("actions:risk_edit", args=[partnership.slug, risk.pk]),
        reverse("indicators:detail", args=[partnership.slug, indicator.pk])
        + "?year=2016&period=2016-05",
    ):
        page.goto(live_server.url + url)
        expect(page.locator("#changes, #history").first).to_be_visible()
        assert_accessible(page)
