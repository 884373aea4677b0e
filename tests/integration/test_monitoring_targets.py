"""A monitoring-only indicator is never measured against a target: none can be set for it,
and one kept from before it became one is left out of its figures, words and charts."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from indicators import importing, selectors, services
from indicators.charts import indicator_charts
from indicators.models import Indicator, Target
from tests.factories import IndicatorFactory, TargetFactory
from tests.factories.series import hate_crime_indicator
from tests.integration.target_pages import shown_target
from tests.integration.test_admin_rules import _indicator_form
from tests.integration.test_import import write_csv

pytestmark = pytest.mark.django_db

NOV_2016 = datetime.date(2016, 11, 1)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def monitored_with_a_target(partnership_a):
    """SP 09 made monitoring only after a target of 300 was set for 2016/17, which
    November's year to date of 287 would be measured against."""
    indicator = hate_crime_indicator(partnership_a, polarity="monitor")
    TargetFactory(indicator=indicator, financial_year=2016, kind="annual", value=Decimal(300))
    return indicator


def test_a_target_kept_for_a_monitoring_only_indicator_is_not_measured(
    client, officer_a, partnership_a, monitored_with_a_target
):
    indicator = monitored_with_a_target
    [result] = selectors.partnership_figures(partnership_a, NOV_2016, indicators=[indicator])

    figures = result.figures
    assert (figures.annual_target, figures.target_to_date, figures.target_gap) == (None,) * 3
    assert figures.required_monthly_average is None and figures.assurance is None
    assert not result.has_target and "target" not in result.commentary()
    titles = [chart.title for chart in indicator_charts(indicator, result, {})]
    assert not any("target" in title for title in titles)

    client.force_login(officer_a)
    [record] = client.get(
        reverse("indicators:api_comparisons", args=[partnership_a.slug]), {"period": "2016-11"}
    ).json()
    assert (record["target_to_date"], record["target_gap"], record["annual_target"]) == (
        None,
        None,
        None,
    )
    dashboard = _text(
        client.get(
            reverse("indicators:dashboard", args=[partnership_a.slug]), {"period": "2016-11"}
        ).content.decode()
    )
    assert "Indicators with targets" not in dashboard
    assert "Without a target (monitoring)" in dashboard
    page = _text(client.get(f"{indicator.get_absolute_url()}?period=2016-11").content.decode())
    assert "Target to date" not in page and "Annual target" not in page
    assert "This indicator is for monitoring only, so it is not rated against this target." in (
        page
    )


def test_a_monitoring_only_indicator_is_refused_a_target_on_its_target_page(
    client, officer_a, partnership_a
):
    indicator = hate_crime_indicator(partnership_a, polarity="monitor")
    client.force_login(officer_a)
    url = reverse("indicators:target_edit", args=[partnership_a.slug, indicator.pk, 2016])

    response = client.post(url, {"kind": "annual", "value": "300"})

    assert response.status_code == 200 and not Target.objects.exists()
    assert (
        "SP 09 is for monitoring only, so it cannot have a target: make lower or higher "
        "better for it first, or choose no target."
    ) in unescape(response.content.decode())


def test_a_target_kept_for_a_monitoring_only_indicator_can_be_removed(
    client, officer_a, partnership_a, monitored_with_a_target
):
    client.force_login(officer_a)
    url = reverse(
        "indicators:target_edit", args=[partnership_a.slug, monitored_with_a_target.pk, 2016]
    )
    page = client.get(monitored_with_a_target.get_absolute_url()).content.decode()

    response = client.post(url, {**shown_target(client, url), "kind": "none"})

    assert f'<a class="govuk-link" href="{url}">Remove the 2016/17 target</a>' in page
    assert response.status_code == 302 and not Target.objects.exists()
    after = client.get(monitored_with_a_target.get_absolute_url()).content.decode()
    assert url not in after and "This indicator is for monitoring only, so it has no target" in (
        after
    )


def test_a_monitoring_only_indicator_is_refused_a_target_in_the_admin(
    client, admin_user, partnership_a
):
    indicator = hate_crime_indicator(partnership_a, polarity="monitor")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:indicators_target_add"),
        {"indicator": indicator.pk, "financial_year": 2016, "kind": "annual", "value": "300"},
    )

    assert not Target.objects.exists()
    assert "SP 09 is for monitoring only, so it cannot have a target" in unescape(
        response.content.decode()
    )


def test_an_import_refuses_a_new_target_for_a_monitoring_only_indicator_but_reads_back_a_kept_one(
    tmp_path, partnership_a, monitored_with_a_target
):
    row = {"partnership": partnership_a.slug, "indicator": "SP 09", "year": "2016/17",
           "type": "annual"}  # fmt: skip
    write_csv(tmp_path, "targets", [{**row, "value": "300"}])

    report = importing.import_path(tmp_path, by=None)  # as an export has it: unchanged

    assert report.unchanged["targets"] == 1
    write_csv(tmp_path, "targets", [{**row, "value": "250"}])
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)
    assert failed.value.report.errors == [
        "targets.csv row 2: SP 09 is for monitoring only, so it cannot have a target: make "
        "lower or higher better for it first"
    ]
    assert Target.objects.get().value == 300


def test_the_service_refuses_a_new_target_for_a_monitoring_only_indicator(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, polarity=Indicator.Polarity.MONITOR)

    with pytest.raises(services.TargetMonitored):
        services.target_set(
            indicator=indicator, financial_year=2016, kind="annual", value=Decimal(5), by=None
        )


def _made_monitoring(client, indicator: Indicator):
    """Its admin page, sent back with "Monitoring only" chosen."""
    targets = list(indicator.targets.all())
    rows = {
        "targets-TOTAL_FORMS": len(targets),
        "targets-INITIAL_FORMS": len(targets),
        **{f"targets-{n}-id": target.pk for n, target in enumerate(targets)},
        **{f"targets-{n}-indicator": indicator.pk for n in range(len(targets))},
    }
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    return client.post(url, {**_indicator_form(indicator, polarity="monitor"), **rows}, follow=True)


def test_the_admin_says_a_target_is_kept_when_an_indicator_is_made_monitoring_only(
    client, admin_user, partnership_a
):
    rated = hate_crime_indicator(partnership_a)
    TargetFactory(indicator=rated, financial_year=2016, kind="annual", value=Decimal(300))
    without = IndicatorFactory(partnership=partnership_a, code="SP 10")
    client.force_login(admin_user)

    told = [str(message) for message in _made_monitoring(client, rated).context["messages"]]
    untold = [str(message) for message in _made_monitoring(client, without).context["messages"]]

    assert (
        "SP 09 is for monitoring only: its targets are kept, but it is not measured against "
        "them unless lower or higher is made better for it again."
    ) in told
    assert not any("targets are kept" in message for message in untold)
    rated.refresh_from_db()
    assert rated.polarity == "monitor" and rated.targets.count() == 1


def test_an_import_says_the_targets_are_kept_of_indicators_made_monitoring_only(
    tmp_path, partnership_a
):
    rated = hate_crime_indicator(partnership_a)
    TargetFactory(indicator=rated, financial_year=2016, kind="annual", value=Decimal(300))
    other = hate_crime_indicator(partnership_a, code="SP 10")
    TargetFactory(indicator=other, financial_year=2016, kind="annual", value=Decimal(20))
    without = IndicatorFactory(partnership=partnership_a, code="SP 11")
    rows = [
        {"partnership": partnership_a.slug, "code": i.code, "title": i.title,
         "polarity": "monitor", "measure": i.measure}
        for i in (rated, other, without)
    ]  # fmt: skip
    write_csv(tmp_path, "indicators", rows)

    report = importing.import_path(tmp_path, by=None)

    assert report.updated["indicators"] == 3
    assert report.notes == [
        "partnership-a SP 09 and partnership-a SP 10 are for monitoring only: their targets "
        "are kept, but they are not measured against them unless lower or higher is made "
        "better for them again."
    ]
    assert Target.objects.count() == 2
    write_csv(tmp_path, "indicators", rows)
    assert importing.import_path(tmp_path, by=None).notes == []  # already monitoring only
