"""The XmR chart and the SPC settings in a real browser, each page checked with axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from indicators.models import SpcSetting
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_journeys import plymouth  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_opens_the_xmr_chart_and_changes_its_settings(page, live_server, plymouth):  # noqa: F811
    partnership, officer, hate = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url
        + reverse("indicators:detail", args=[partnership.slug, hate.pk])
        + "?year=2016"
    )
    page.get_by_role("link", name="Show the statistical process control (XmR) chart").click()
    plot = page.locator(f"#chart-{hate.pk}-xmr")
    plot.scroll_into_view_if_needed()  # a chart is drawn as it comes near the window
    expect(plot.locator(".main-svg").first).to_be_visible()
    # Monitoring only: the six months above the mean are special cause, neither good nor bad.
    expect(
        page.get_by_text("Special cause, neither improving nor concerning").first
    ).to_be_visible()
    sixth = "Special cause: the sixth month in a row above the average"
    expect(page.get_by_role("cell", name=sixth)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change the SPC settings").click()
    page.get_by_label("Baseline from").fill("2015-04")
    page.get_by_label("Baseline to").fill("2015-09")
    page.get_by_role("button", name="Save SPC settings").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least 13 months")
    assert_accessible(page)
    assert not SpcSetting.objects.exists()

    page.get_by_label("Baseline to").fill("2016-04")
    page.get_by_label("7 points").check()
    page.get_by_label("Reason for the change").fill("A settled year")
    page.get_by_role("button", name="Save SPC settings").click()
    expect(page.get_by_text("Saved the SPC settings.")).to_be_visible()
    expect(page.get_by_text("A shift or trend is 7 points in a row")).to_be_visible()
    assert SpcSetting.objects.get(indicator=hate).run_length == 7

    page.goto(live_server.url + reverse("indicators:dashboard", args=[partnership.slug]))
    expect(page.get_by_role("columnheader", name="Direction and variation")).to_be_visible()
    # Run length 7 now: the six months above the mean are no longer a signal.
    expect(page.get_by_text("Common cause", exact=True)).to_be_visible()
    assert_accessible(page)
