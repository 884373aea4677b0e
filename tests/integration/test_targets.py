"""Officers set an indicator's target for a year: any kind, validated, audited."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import FigureChange, Target
from tests.factories import IndicatorFactory, TargetFactory
from tests.factories.series import actuals_create
from tests.integration.target_pages import shown_target

PROFILE = [55, 108, 162, 214, 268, 321, 375, 428, 482, 536, 588, 640]


@pytest.fixture
def ist(partnership_a):
    return IndicatorFactory(partnership=partnership_a, code="SP 07", polarity="higher")


def url(indicator, year=2016):
    return reverse("indicators:target_edit", args=[indicator.partnership.slug, indicator.pk, year])


def profile_data(values) -> dict:
    months = [datetime.date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(12)]
    return {f"p-{m:%Y-%m}": str(v) for m, v in zip(months, values, strict=False)}


def errors(response) -> list[str]:
    return [str(e) for field in response.context["form"].errors.values() for e in field]


@pytest.mark.django_db
def test_target_annual_is_saved_and_audited(client, officer_a, ist):
    client.force_login(officer_a)
    response = client.post(url(ist), {"kind": "annual", "value": "640", "reason": "Board"})
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.kind, target.value, target.financial_year) == ("annual", 640, 2016)
    change = FigureChange.objects.get()
    assert (change.old, change.new["value"], change.reason) == (None, "640", "Board")
    assert change.changed_by == officer_a


@pytest.mark.django_db
def test_target_form_shows_the_current_target(client, officer_a, ist):
    TargetFactory(indicator=ist, kind="change_pct", value=Decimal(-3), baseline_year=2015)
    client.force_login(officer_a)
    form = client.get(url(ist)).context["form"]
    assert form.initial == {"kind": "change_pct", "value": "-3", "baseline_year": 2015}


@pytest.mark.django_db
def test_target_cumulative_profile_then_annual_replaces_every_row(client, officer_a, ist):
    client.force_login(officer_a)
    client.post(url(ist), {"kind": "cumulative", **profile_data(PROFILE)})
    assert Target.objects.filter(kind="cumulative").count() == 12
    assert FigureChange.objects.count() == 12

    client.post(url(ist), {**shown_target(client, url(ist)), "kind": "annual", "value": "640"})

    assert list(Target.objects.values_list("kind", "value")) == [("annual", 640)]
    removed = FigureChange.objects.filter(new__isnull=True)
    assert removed.count() == 12


@pytest.mark.django_db
def test_target_none_removes_the_target(client, officer_a, ist):
    TargetFactory(indicator=ist, value=Decimal(640))
    client.force_login(officer_a)
    client.post(url(ist), {**shown_target(client, url(ist)), "kind": "none"})
    assert not Target.objects.exists()
    assert FigureChange.objects.get().new is None


@pytest.mark.django_db
def test_target_unchanged_saves_nothing(client, officer_a, ist):
    TargetFactory(indicator=ist, value=Decimal(640))
    client.force_login(officer_a)
    client.post(url(ist), {"kind": "annual", "value": "640.0"})
    assert not FigureChange.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "annual", "value": ""}, "Enter the target."),
        ({"kind": "annual", "value": "N/A"}, "must be a number"),
        ({"kind": "annual", "value": "-5"}, "cannot be negative"),
        ({"kind": "change_pct", "value": "-3"}, "Choose the baseline year"),
        ({"kind": "cumulative"}, "at least one month"),
        ({"kind": "cumulative", **profile_data([55, 108, 100])}, "cannot go down"),
        ({"kind": ""}, "required"),
    ],
)
def test_target_bad_input_is_explained_and_saves_nothing(client, officer_a, ist, data, message):
    client.force_login(officer_a)
    response = client.post(url(ist), data)
    assert response.status_code == 200
    assert any(message in e for e in errors(response)), errors(response)
    assert b"govuk-error-summary" in response.content
    assert not Target.objects.exists()
    assert not FigureChange.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "measure, data, message",
    [
        ("count", {"kind": "annual", "value": "N/A"}, "like 148 ('N/A' is not a number)."),
        ("rate", {"kind": "annual", "value": "N/A"}, "like 12.5 ('N/A' is not a number)."),
        (
            "count",
            {"kind": "change_pct", "value": "N/A", "baseline_year": "2015"},
            "like -3 or 5 ('N/A' is not a number).",
        ),
        (
            "count",
            {"kind": "cumulative", **profile_data(["N/A"])},
            "The target to the end of April 2016 must be a number, like 148 ('N/A' is not a "
            "number).",
        ),
    ],
)
def test_target_not_a_number_gives_an_example_and_no_figure_entry_advice(
    client, officer_a, partnership_a, measure, data, message
):
    indicator = IndicatorFactory(partnership=partnership_a, measure=measure)
    client.force_login(officer_a)
    found = errors(client.post(url(indicator), data))
    assert any(e.endswith(message) for e in found), found
    assert not any("Leave it blank" in e for e in found)


@pytest.mark.django_db
def test_target_percentage_above_100_is_refused(client, officer_a, partnership_a):
    satisfaction = IndicatorFactory(partnership=partnership_a, measure="percentage")
    client.force_login(officer_a)
    response = client.post(url(satisfaction), {"kind": "annual", "value": "110"})
    assert "The target is a percentage, so it cannot be more than 100." in errors(response)
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_target_change_against_baseline_drives_the_figures(client, officer_a, ist):
    actuals_create(ist, {datetime.date(2015, 4, 1): 50})
    client.force_login(officer_a)
    client.post(url(ist), {"kind": "change_pct", "value": "-3", "baseline_year": "2015"})
    target = Target.objects.get()
    assert (target.kind, target.value, target.baseline_year) == ("change_pct", -3, 2015)


@pytest.mark.django_db
def test_target_change_against_a_baseline_year_without_figures_is_refused(client, officer_a, ist):
    # Figures for 2016/17 only: a change on 2015/16 could never be rated.
    actuals_create(ist, {datetime.date(2016, 4, 1): 50, datetime.date(2016, 5, 1): 60})
    client.force_login(officer_a)
    response = client.post(url(ist), {"kind": "change_pct", "value": "-3", "baseline_year": "2015"})
    assert response.status_code == 200
    assert errors(response) == [
        "2015/16 has no figures for SP 07, so a change against it could never be rated: "
        "choose a baseline year with figures, or set a figure for the whole year instead."
    ]
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_target_change_against_a_baseline_year_with_some_months_is_saved(client, officer_a, ist):
    # The rating compares the same months, so a year with some figures can be a baseline.
    actuals_create(ist, {datetime.date(2016, 3, 1): 50})
    client.force_login(officer_a)
    response = client.post(url(ist), {"kind": "change_pct", "value": "-3", "baseline_year": "2015"})
    assert response.status_code == 302
    assert Target.objects.get().baseline_year == 2015


@pytest.mark.django_db
@pytest.mark.parametrize(("frequency", "offered"), [("monthly", "month"), ("quarterly", "quarter")])
def test_target_profile_is_offered_by_the_indicators_own_period(
    client, officer_a, partnership_a, frequency, offered
):
    indicator = IndicatorFactory(partnership=partnership_a, frequency=frequency)
    client.force_login(officer_a)

    page = client.get(url(indicator))

    choices = dict(page.context["form"].fields["kind"].choices)
    assert choices[Target.Kind.CUMULATIVE] == f"A cumulative profile, {offered} by {offered}"
    assert f"A cumulative profile, {offered} by {offered}" in page.content.decode()
