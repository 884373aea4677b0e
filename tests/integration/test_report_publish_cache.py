"""The publish page's warnings are kept under the draft's key (reports/views.py
`_draft_key`): the preview keeps them when it builds the draft, so the publish page after
it does not build the report again, and any change of the figures, actions, report text
or cover sheet shows on the next view, as a fresh build gives it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from indicators import services as figure_services
from indicators.models import Target
from reports import services
from reports.views import STORED_DOCUMENTS
from tests.factories import ReportFactory
from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory
from tests.factories.series import indicators_with_history

NOV_2016 = datetime.date(2016, 11, 1)
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')
RED = "1 red indicator has no open action linked to it"


@pytest.fixture
def publish_page(client, officer_a, partnership_a):
    """The publish page as an editor sees it after the preview, of a report published once
    (so it lists what has changed) with one red indicator and no contact officer."""
    red = indicators_with_history(partnership_a, 1, last=NOV_2016)[0]
    Target.objects.create(indicator=red, financial_year=2016, kind="annual", value=Decimal(100))
    report = ReportFactory(partnership=partnership_a, period=NOV_2016)
    services.report_publish(report=report, by=None, documents=False)
    args = [partnership_a.slug, report.pk]
    client.force_login(officer_a)

    def page() -> str:
        assert client.get(reverse("reports:preview", args=args)).status_code == 200
        response = client.get(reverse("reports:publish", args=args))
        assert response.status_code == 200
        return PER_RESPONSE.sub(r"\1", response.content.decode())

    page.report, page.indicator = report, red
    return page


@pytest.mark.django_db
def test_the_publish_page_after_the_preview_does_not_build_the_report_again(
    publish_page, monkeypatch
):
    built = []
    snapshot = services.report_snapshot
    monkeypatch.setattr(
        services, "report_snapshot", lambda *a, **k: built.append(1) or snapshot(*a, **k)
    )

    first = publish_page()
    again = publish_page()

    assert len(built) == 1  # by the preview
    assert first == again and RED in first and "a contact officer" in first


def figure_revised(partnership, indicator, report):
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(indicator, NOV_2016, Decimal(9999))],
        by=None,
        reason="Police corrected the count",
    )
    return "Police corrected the count", None


def action_linked(partnership, indicator, report):
    plan = ActionPlanFactory(partnership=partnership, financial_year=2016)
    action = ActionFactory(objective=ObjectiveFactory(plan=plan), description="Patrols")
    action.indicators.add(indicator)  # many-to-many: no save signal
    return "Every red indicator has an open action linked to it.", RED


def text_edited(partnership, indicator, report):
    report.executive_summary = "The MAPPA helped."
    report.save()
    return "MAPPA is not explained in the glossary", None


def cover_completed(partnership, indicator, report):
    report.contact_officer = "A. Officer"
    report.save()
    return None, "a contact officer"


WRITES = [figure_revised, action_linked, text_edited, cover_completed]


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES, ids=[w.__name__ for w in WRITES])
def test_the_publish_page_warns_afresh_after_each_kind_of_change(
    publish_page, partnership_a, write
):
    before = publish_page()
    assert publish_page() == before  # kept

    shown, gone = write(partnership_a, publish_page.indicator, publish_page.report)

    after = publish_page()
    cache.clear()
    STORED_DOCUMENTS.clear()
    assert publish_page() == after  # what a fresh build gives
    if shown:
        assert shown in after and shown not in before
    if gone:
        assert gone in before and gone not in after
