"""The draft report page (preview) is cached under its report's fields, its partnership's
data version and the date (reports/views.py `_draft_key`): every kind of data a draft
shows changes that version, so the cached page is always what a fresh build gives."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from actions.models import Status
from commissioning.models import CommissioningLine
from opendata import services as opendata_services
from opendata.models import Peer
from reports import services as report_services
from reports.views import STORED_DOCUMENTS
from tests.factories import CommissioningLineFactory, ReportFactory, TargetFactory
from tests.factories.actions import (
    ActionFactory,
    ActionPlanFactory,
    CrossThemeIssueFactory,
    ObjectiveFactory,
    RecommendationFactory,
    RiskFactory,
)
from tests.factories.series import hate_crime_indicator

PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')
AS_AT = re.compile(r"Figures as at [^<]*")  # the time the draft was built


@pytest.fixture
def draft(client, officer_a, partnership_a):
    indicator = hate_crime_indicator(partnership_a)
    TargetFactory(indicator=indicator, financial_year=2016, kind="annual", value=Decimal(300))
    report = ReportFactory(partnership=partnership_a)
    url = reverse("reports:preview", args=[partnership_a.slug, report.pk])
    client.force_login(officer_a)

    def page() -> str:
        response = client.get(url)
        assert response.status_code == 200
        return AS_AT.sub("", PER_RESPONSE.sub(r"\1", response.content.decode()))

    page.report, page.indicator = report, indicator
    return page


def _plan(partnership):
    return ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership, financial_year=2016))


def risk(partnership, indicator, report):
    RiskFactory(partnership=partnership, description="Funding for the hub ends in March")
    return "Funding for the hub ends in March"


def overdue_action(partnership, indicator, report):
    ActionFactory(
        objective=_plan(partnership),
        description="Train door staff in spotting hate incidents",
        status=Status.RED,
        due=datetime.date(2016, 6, 30),
    )
    return "Train door staff in spotting hate incidents"


def action_linked_to_the_indicator(partnership, indicator, report):
    action = ActionFactory(objective=_plan(partnership), description="Third-party reporting hubs")
    action.indicators.add(indicator)  # many-to-many: no save signal
    return None


def cross_theme_issue(partnership, indicator, report):
    CrossThemeIssueFactory(partnership=partnership, title="Night-time economy licensing")
    return "Night-time economy licensing"


def recommendation(partnership, indicator, report):
    RecommendationFactory(partnership=partnership, recommendation="Report hate crime by ward")
    return "Report hate crime by ward"


def commissioning_line(partnership, indicator, report):
    CommissioningLineFactory(
        partnership=partnership,
        financial_year=2016,
        area_of_need="Hate crime casework",
        status=CommissioningLine.Status.APPROVED,
    )
    return "Hate crime casework"


def family_peer(partnership, indicator, report):
    Peer.objects.create(partnership=partnership, csp_name="Somewhere Else", population=250_000)
    return None


def home_office_counts(partnership, indicator, report):
    # Data every partnership shares: all of them change.
    opendata_services.csp_counts_replace(
        counts={("Somewhere Else", 2016, 2, "Theft offences", "Domestic burglary"): 10}
    )
    return None


def ward_lookup(partnership, indicator, report):
    opendata_services.lsoa_wards_replace(
        partnership=partnership, rows=[("E01015001", "E05000001", "St Peter")]
    )
    return None


def published_version(partnership, indicator, report):
    # What the next draft counts status changes and revisions from.
    earlier = ReportFactory(partnership=partnership, period=datetime.date(2016, 8, 1))
    report_services.report_publish(report=earlier, by=None, documents=False)
    return None


def report_edited(partnership, indicator, report):
    report.successes = {"": "Two new reporting centres opened in the city centre."}
    report.save()
    return "Two new reporting centres opened in the city centre."


WRITES = [
    risk,
    overdue_action,
    action_linked_to_the_indicator,
    cross_theme_issue,
    recommendation,
    commissioning_line,
    family_peer,
    home_office_counts,
    ward_lookup,
    published_version,
    report_edited,
]


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES, ids=[w.__name__ for w in WRITES])
def test_the_cached_draft_is_what_a_fresh_build_gives_after_each_kind_of_write(
    draft, partnership_a, write
):
    before = draft()
    assert draft() == before  # served from the cache

    shown = write(partnership_a, draft.indicator, draft.report)

    after = draft()
    cache.clear()
    STORED_DOCUMENTS.clear()  # what this process keeps of the draft too: a fresh build
    assert draft() == after
    if shown:
        assert shown in after and shown not in before


@pytest.mark.django_db
def test_another_partnerships_writes_leave_the_draft_cached(draft, partnership_b):
    draft()
    version = type(partnership_b).objects.get(pk=draft.report.partnership_id).data_version
    RiskFactory(partnership=partnership_b)
    assert type(partnership_b).objects.get(pk=draft.report.partnership_id).data_version == version
