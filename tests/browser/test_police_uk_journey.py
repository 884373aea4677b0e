"""An officer imports a police.uk month and reads the figure, its source and the hotspots."""

import csv
import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from csp_portal.core.models import Membership
from indicators.models import Actual
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import IndicatorFactory, MembershipFactory, PartnershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVON_JAN = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "police_uk"
    / "2024-01"
    / "2024-01-devon-and-cornwall-street.csv"
)


def test_officer_uploads_a_month_and_sees_the_figure_and_its_source(page, live_server):
    partnership = PartnershipFactory(
        name="Safer Plymouth", slug="safer-plymouth", local_authorities="Plymouth"
    )
    MembershipFactory(
        user=UserFactory(username="olu", first_name="Olu", last_name="Officer"),
        partnership=partnership,
        role=Membership.Role.OFFICER,
    )
    asb = IndicatorFactory(
        partnership=partnership,
        code="SP 06",
        title="Reduce anti-social behaviour incidents",
        police_uk_crime_types="Anti-social behaviour",
    )
    with DEVON_JAN.open(newline="") as handle:
        expected = sum(
            1
            for row in csv.DictReader(handle)
            if row["LSOA name"].startswith("Plymouth ")
            and row["Crime type"] == "Anti-social behaviour"
        )

    sign_in(page, live_server, "olu")
    page.goto(live_server.url + reverse("opendata:upload", args=[partnership.slug]))
    assert_accessible(page)
    page.get_by_label("Street-level files").set_input_files(str(DEVON_JAN))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/police-uk/imports/*/")
    expect(page.get_by_role("heading", name="police.uk import")).to_be_visible()
    expect(page.get_by_text("10,871")).to_be_visible()
    assert_accessible(page)
    assert Actual.objects.get(indicator=asb, period=datetime.date(2024, 1, 1)).value == expected

    page.get_by_role("link", name="SP 06 Reduce anti-social behaviour incidents").click()
    history = page.get_by_role("region", name="Changes to figures and targets")
    expect(history).to_contain_text("Olu Officer (police.uk)")
    expect(history).to_contain_text(str(expected))
    assert_accessible(page)

    page.get_by_role("link", name="Hotspots by area").click()
    expect(page.get_by_role("heading", name="Hotspots, January 2024")).to_be_visible()
    expect(page.get_by_role("region", name="Counts by LSOA")).to_contain_text("[c]")
    assert_accessible(page)
