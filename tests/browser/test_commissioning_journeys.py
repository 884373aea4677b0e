"""Commissioning in a real browser: an officer adds a line and sees the totals change."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commissioning.models import CommissioningLine
from csp_portal.core.models import Membership
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    CommissioningLineFactory,
    FundingStreamFactory,
    MembershipFactory,
    PartnershipFactory,
    ProgressOutputFactory,
    ProgressUpdateFactory,
    ThemeGroupFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Seed 002: the PCC grant and its eight 2017-18 lines (three amounts, one awaiting, four tbc).
SEED_002 = [
    ("CI 01", "amount", "110000", "501753"),
    ("CI 02", "amount", "25000", "75000"),
    ("CI 03", "amount", "98500", "2000000"),
    ("CI 04", "awaiting", None, None),
    ("CI 05", "tbc", None, None),
    ("CI 06", "tbc", None, None),
    ("CI 07", "tbc", None, None),
    ("CI 08", "tbc", None, None),
]


@pytest.fixture
def plymouth():
    partnership = PartnershipFactory(name="Safer Plymouth", slug="safer-plymouth")
    group = ThemeGroupFactory(partnership=partnership, name="Hate crime and community cohesion")
    officer = MembershipFactory(
        user=UserFactory(username="olu", first_name="Olu", last_name="Officer"),
        partnership=partnership,
        role=Membership.Role.OFFICER,
    ).user
    pcc = FundingStreamFactory(
        partnership=partnership,
        financial_year=2017,
        source="Police and Crime Commissioner grant",
        amount=Decimal("400568"),
    )
    for reference, status, amount, total in SEED_002:
        CommissioningLineFactory(
            partnership=partnership,
            reference=reference,
            funding_stream=pcc,
            contribution_status=status,
            contribution=None if amount is None else Decimal(amount),
            total_budget=None if total is None else Decimal(total),
        )
    sla = CommissioningLineFactory(
        partnership=partnership,
        reference="SLA 01",
        funding_stream=None,
        contribution_status="",
        contribution=None,
        provider="Plymouth Third Sector Consortium",
        theme_group=group,
        status="commissioned",
    )
    update = ProgressUpdateFactory(line=sla, date=datetime.date(2017, 9, 30))
    ProgressOutputFactory(update=update, label="Clients met", value=23)
    ProgressOutputFactory(update=update, label="Potential partners met", value=12)
    return partnership, officer, pcc, sla


def _total(page, name):
    return page.locator(f'[data-total="{name}"]').first


def test_officer_adds_a_line_and_sees_the_stream_totals_change(page, live_server, plymouth):
    partnership, officer, pcc, _ = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(live_server.url + reverse("core:partnership", args=[partnership.slug]))
    page.get_by_role("link", name="Commissioning plan").click()
    page.wait_for_url("**/commissioning/2017/")
    expect(_total(page, "confirmed")).to_contain_text("£233,500")
    expect(_total(page, "unallocated")).to_contain_text("£167,068")
    assert_accessible(page)

    page.get_by_role("link", name="Add a line").click()
    assert_accessible(page)
    # Bad input first: a contribution with pence beyond two places changes nothing.
    page.get_by_label("Reference").fill("CI 09")
    page.get_by_label("Area of need").fill("Hate crime reporting centres")
    page.get_by_role("combobox", name="Funding stream").select_option(str(pcc.pk))
    page.get_by_label("An amount").check()
    page.get_by_label("Contribution", exact=True).fill("12,500.005")
    page.get_by_label("Proposed").check()
    page.get_by_role("button", name="Save line").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at most two decimal places")
    assert_accessible(page)
    assert not CommissioningLine.objects.filter(reference="CI 09").exists()

    page.get_by_label("Contribution", exact=True).fill("12,500.50")
    page.get_by_role("button", name="Save line").click()
    page.wait_for_url("**/commissioning/lines/*/")
    expect(page.get_by_text("Saved line CI 09")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Commissioning plan 2017/18").click()
    expect(_total(page, "confirmed")).to_contain_text("£246,000.50")
    expect(_total(page, "unallocated")).to_contain_text("£154,567.50")
    expect(page.get_by_role("link", name="CI 09")).to_be_visible()


def test_line_page_stream_form_update_form_and_copy_forward_are_accessible(
    page, live_server, plymouth
):
    partnership, officer, pcc, sla = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(live_server.url + reverse("commissioning:line", args=[partnership.slug, sla.pk]))
    expect(page.get_by_role("heading", name="Outputs over time")).to_be_visible()
    expect(page.get_by_role("row", name="Clients met")).to_contain_text("23")
    assert_accessible(page)
    page.get_by_role("link", name="Add a progress update").click()
    page.get_by_label("Progress").fill("")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the progress made.")
    assert_accessible(page)
    page.goto(
        live_server.url + reverse("commissioning:stream_edit", args=[partnership.slug, pcc.pk])
    )
    page.get_by_label("Amount for the year").fill("-1")
    page.get_by_role("button", name="Save funding stream").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be negative")
    assert_accessible(page)
    page.goto(
        live_server.url + reverse("commissioning:copy_forward", args=[partnership.slug, 2018])
    )
    assert_accessible(page)
    page.get_by_role("button", name="Copy 9 lines").click()
    page.wait_for_url("**/commissioning/2018/")
    expect(page.get_by_text("Copied 9 lines into 2018/19 as proposals.")).to_be_visible()
    expect(_total(page, "confirmed")).to_contain_text("£233,500")
    assert_accessible(page)


def test_officer_edits_a_line_and_a_change_made_meanwhile_is_kept(page, live_server, plymouth):
    partnership, officer, *_ = plymouth
    line = CommissioningLine.objects.get(reference="CI 05")
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("commissioning:line_edit", args=[partnership.slug, line.pk])
    )
    assert_accessible(page)
    # Someone else names the provider while the page is open.
    CommissioningLine.objects.filter(pk=line.pk).update(provider="Their provider")
    page.get_by_label("An amount").check()
    page.get_by_label("Contribution", exact=True).fill("5000")
    page.get_by_label("Approved").check()
    page.get_by_role("button", name="Save line").click()
    page.wait_for_url(f"**/commissioning/lines/{line.pk}/")
    line.refresh_from_db()
    assert (line.contribution, line.status, line.provider) == (
        Decimal("5000"),
        "approved",
        "Their provider",
    )
    # Someone else changes the status; this officer changes it too: a conflict, then an override.
    page.goto(
        live_server.url + reverse("commissioning:line_edit", args=[partnership.slug, line.pk])
    )
    CommissioningLine.objects.filter(pk=line.pk).update(status="ended")
    page.get_by_label("Commissioned").check()
    page.get_by_role("button", name="Save line").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "someone else changed this to ended"
    )
    assert_accessible(page)
    line.refresh_from_db()
    assert line.status == "ended"
    page.get_by_role("button", name="Save line").click()
    page.wait_for_url(f"**/commissioning/lines/{line.pk}/")
    line.refresh_from_db()
    assert line.status == "commissioned"


def test_officer_removes_a_mis_keyed_stream_and_is_told_why_a_used_one_stays(
    page, live_server, plymouth
):
    partnership, officer, pcc, _ = plymouth
    FundingStreamFactory(partnership=partnership, financial_year=2019, source="S 0", amount=0)
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("commissioning:stream_edit", args=[partnership.slug, pcc.pk])
    )
    page.get_by_role("link", name="Remove this funding stream").click()
    expect(page.get_by_role("heading", name="Why it cannot be removed")).to_be_visible()
    expect(page.locator("main")).to_contain_text("pays for 8 commissioning lines")
    expect(page.get_by_role("button", name="Remove")).to_have_count(0)
    assert_accessible(page)

    page.goto(live_server.url + reverse("commissioning:plan", args=[partnership.slug, 2019]))
    page.get_by_role("link", name="Change S 0").click()
    page.get_by_role("link", name="Remove this funding stream").click()
    expect(page.get_by_role("heading", name="Remove this funding stream")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Remove funding stream").click()
    page.wait_for_url("**/commissioning/2017/")
    expect(page.get_by_text("Removed the funding stream “S 0”.")).to_be_visible()
    expect(page.get_by_role("link", name="2019/20")).to_have_count(0)
