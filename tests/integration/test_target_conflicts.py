"""Two people change the same year's target: the second is told, and nothing of theirs is
written until they save again (csp_portal/core/concurrency.py)."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from indicators import services
from indicators.models import FigureChange, Target
from tests.factories import IndicatorFactory, MembershipFactory, TargetFactory


@pytest.fixture
def ist(partnership_a):
    return IndicatorFactory(partnership=partnership_a, code="SP 07", polarity="higher")


@pytest.fixture
def two_officers(partnership_a, officer_a):
    other = MembershipFactory(
        user__username="officer-two",
        user__first_name="Sam",
        user__last_name="Other",
        partnership=partnership_a,
        role="officer",
    ).user
    first, second = Client(), Client()
    first.force_login(officer_a)
    second.force_login(other)
    return first, second


def url(indicator, year=2016):
    return reverse("indicators:target_edit", args=[indicator.partnership.slug, indicator.pk, year])


def form_data(response) -> dict:
    """What a browser posts back from the target page: text and hidden inputs, the checked
    radio and the selected option."""
    page = response.content.decode()
    data = {}
    for tag in re.findall(r"<input [^>]*>", page):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or ('type="radio"' in tag and " checked" not in tag):
            continue
        data[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    for name, options in re.findall(r'<select [^>]*name="([^"]*)"[^>]*>(.*?)</select>', page, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = unescape(selected.group(1)) if selected else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def non_field_errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


@pytest.mark.django_db
def test_target_page_carries_the_target_it_showed(client, officer_a, ist):
    TargetFactory(indicator=ist, kind="change_pct", value=Decimal(-3), baseline_year=2015)
    client.force_login(officer_a)

    data = form_data(client.get(url(ist)))

    assert data["initial-kind"] == "change_pct"
    assert data["initial-value"] == "-3"
    assert data["initial-baseline_year"] == "2015"
    assert data["initial-p-2016-04"] == ""


@pytest.mark.django_db
def test_second_of_two_target_edits_is_refused_naming_the_first(two_officers, officer_a, ist):
    first, second = two_officers
    first_page, second_page = form_data(first.get(url(ist))), form_data(second.get(url(ist)))

    saved = first.post(url(ist), first_page | {"kind": "annual", "value": "1000"})
    refused = second.post(url(ist), second_page | {"kind": "annual", "value": "900"})

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert non_field_errors(refused) == [
        f"{officer_a.get_full_name()} changed the 2016/17 target after you opened this page: "
        "it is now a figure for the year of 1,000. Your target is still in the boxes: save "
        "again to use it instead, or change it."
    ]
    assert list(Target.objects.values_list("value", flat=True)) == [1000]
    assert FigureChange.objects.count() == 1


@pytest.mark.django_db
def test_refused_target_edit_keeps_the_persons_value_and_saving_again_overrides(two_officers, ist):
    TargetFactory(indicator=ist, value=Decimal(800))
    first, second = two_officers
    first_page, second_page = form_data(first.get(url(ist))), form_data(second.get(url(ist)))
    first.post(url(ist), first_page | {"value": "1000"})

    refused = second.post(url(ist), second_page | {"value": "900"})
    again = form_data(refused)

    assert "it is now a figure for the year of 1,000" in non_field_errors(refused)[0]
    assert (again["value"], again["initial-value"]) == ("900", "1000")
    assert again["kind"] == again["initial-kind"] == "annual"
    assert second.post(url(ist), again).status_code == 302
    assert list(Target.objects.values_list("value", flat=True)) == [900]


@pytest.mark.django_db
def test_target_left_as_shown_keeps_what_someone_else_saved(two_officers, ist):
    TargetFactory(indicator=ist, value=Decimal(800))
    first, second = two_officers
    first_page, second_page = form_data(first.get(url(ist))), form_data(second.get(url(ist)))
    first.post(url(ist), first_page | {"value": "1000"})

    response = second.post(url(ist), second_page | {"reason": "no change"})

    assert response.status_code == 302
    assert list(Target.objects.values_list("value", flat=True)) == [1000]


@pytest.mark.django_db
def test_the_same_target_saved_twice_writes_it_once(two_officers, ist):
    first, second = two_officers
    first_page, second_page = form_data(first.get(url(ist))), form_data(second.get(url(ist)))

    first.post(url(ist), first_page | {"kind": "annual", "value": "1000"})
    response = second.post(url(ist), second_page | {"kind": "annual", "value": "1000.0"})

    assert response.status_code == 302
    assert FigureChange.objects.count() == 1


@pytest.mark.django_db
def test_target_post_without_the_values_shown_cannot_overwrite(client, officer_a, ist):
    TargetFactory(indicator=ist, value=Decimal(800))
    client.force_login(officer_a)

    # A page from before the shown values, or a script: as if it showed no target.
    response = client.post(url(ist), {"kind": "annual", "value": "900"})

    assert response.status_code == 200
    assert "it is now a figure for the year of 800" in non_field_errors(response)[0]
    assert list(Target.objects.values_list("value", flat=True)) == [800]


@pytest.mark.django_db
def test_quarterly_profile_stored_at_other_months_is_no_conflict(client, officer_a, partnership_a):
    """A profile imported at the quarters' last months has no boxes on the form (which has
    one per quarter's first month): those points are not part of the target it shows."""
    quarterly = IndicatorFactory(partnership=partnership_a, code="Q 01", frequency="quarterly")
    for month, value in ((datetime.date(2016, 4, 1), 10), (datetime.date(2016, 6, 1), 30)):
        TargetFactory(indicator=quarterly, kind="cumulative", value=Decimal(value), period=month)
    client.force_login(officer_a)
    page = form_data(client.get(url(quarterly)))

    response = client.post(url(quarterly), page | {"p-2016-04": "12"})

    assert response.status_code == 302
    assert list(Target.objects.values_list("period", "value")) == [(datetime.date(2016, 4, 1), 12)]


@pytest.mark.django_db
def test_targets_replace_refuses_over_a_change_made_since(officer_a, ist):
    TargetFactory(indicator=ist, value=Decimal(1000))
    row = services.TargetRow

    with pytest.raises(services.TargetConflict) as conflict:
        services.targets_replace(
            indicator=ist,
            financial_year=2016,
            rows=[row("annual", Decimal(900))],
            shown=[row("annual", Decimal(800))],
            by=officer_a,
        )

    assert [t.value for t in conflict.value.current] == [1000]
    assert Target.objects.get().value == 1000


@pytest.mark.django_db
def test_target_conflict_writes_the_other_persons_target_with_thousands_commas(two_officers, ist):
    """Review finding: the message said "a figure for the year of 15000", where every other
    page writes 15,000."""
    first, second = two_officers
    first_page, second_page = form_data(first.get(url(ist))), form_data(second.get(url(ist)))
    first.post(url(ist), first_page | {"kind": "annual", "value": "15000"})

    refused = second.post(url(ist), second_page | {"kind": "annual", "value": "14000"})

    assert "it is now a figure for the year of 15,000." in non_field_errors(refused)[0]
