"""Commissioning: copy forward keeps a stream's details, one error for a refused stream,
over-allocation warned on saving, updates dated in the line's year, the version an edit
needs, copy forward offered only when there is something to copy, the Starts column."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning import services
from commissioning.models import CommissioningLine, ProgressUpdate
from tests.factories import (
    CommissioningLineFactory,
    FundingStreamFactory,
    PartnershipFactory,
    ProgressUpdateFactory,
)

D = Decimal
CHOOSE_A_STREAM = "Choose a funding stream, or say there is no contribution from one."


@pytest.fixture
def pcc(partnership_a):
    return FundingStreamFactory(
        partnership=partnership_a,
        financial_year=2017,
        source="Police and Crime Commissioner grant",
        amount=D("400568"),
        allocated_by="Partnership board",
        criteria="Meets a priority of the plan",
        monitoring="Quarterly returns",
    )


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


def _line_post(stream, **changes):
    return {
        "reference": "CI 09",
        "area_of_need": "Hate crime awareness",
        "recommendation": "",
        "theme_group": "",
        "provider": "Provider Ltd",
        "funding_stream": stream.pk,
        "contribution_status": "amount",
        "contribution": "12500",
        "total_budget": "",
        "start": "",
        "end": "",
        "status": "approved",
        **changes,
    }


def test_copy_forward_keeps_the_streams_allocation_criteria_and_monitoring(pcc):
    CommissioningLineFactory(partnership=pcc.partnership, funding_stream=pcc, contribution=500)
    result = services.lines_copy_forward(
        partnership=pcc.partnership, from_year=2017, to_year=2018, by=None
    )
    (stream,) = result.streams
    assert (stream.amount, stream.allocated_by, stream.criteria, stream.monitoring) == (
        pcc.amount,
        "Partnership board",
        "Meets a priority of the plan",
        "Quarterly returns",
    )


@pytest.mark.parametrize("whose", ["another year", "another partnership"])
def test_refused_stream_gives_only_the_stream_error(signed_in, pcc, whose):
    other = FundingStreamFactory(
        partnership=pcc.partnership if whose == "another year" else PartnershipFactory(),
        financial_year=2018 if whose == "another year" else 2017,
    )
    url = reverse("commissioning:line_add", args=[pcc.partnership.slug, 2017])
    form = signed_in.post(url, _line_post(other)).context["form"]
    assert list(form.errors) == ["funding_stream"]
    assert CHOOSE_A_STREAM not in str(form.errors)


def test_no_stream_with_a_contribution_still_asks_for_one(signed_in, pcc):
    url = reverse("commissioning:line_add", args=[pcc.partnership.slug, 2017])
    form = signed_in.post(url, _line_post(pcc, funding_stream="")).context["form"]
    assert form.errors["contribution_status"] == [CHOOSE_A_STREAM]


def test_line_that_over_allocates_its_stream_saves_with_a_warning(signed_in, pcc):
    url = reverse("commissioning:line_add", args=[pcc.partnership.slug, 2017])
    response = signed_in.post(url, _line_post(pcc, reference="BIG", contribution="399000"))
    assert response.status_code == 302
    # Within the stream: no warning.
    assert [str(m) for m in signed_in.get(response.url).context["messages"]] == ["Saved line BIG."]
    big = (
        "Confirmed contributions from Police and Crime Commissioner grant (£411,500) exceed "
        "its £400,568 by £10,932."
    )
    CommissioningLineFactory(partnership=pcc.partnership, funding_stream=pcc, contribution=12500)
    response = signed_in.post(url, _line_post(pcc, reference="BIGGER", contribution="12500"))
    assert response.status_code == 302
    page = signed_in.get(response.url)
    bigger = big.replace("£411,500", "£424,000").replace("£10,932", "£23,432")
    assert [str(m) for m in page.context["messages"]] == ["Saved line BIGGER.", bigger]
    # The line page keeps saying so, as the plan page does.
    again = signed_in.get(response.url)
    assert bigger in again.content.decode()
    plan = signed_in.get(reverse("commissioning:plan", args=[pcc.partnership.slug, 2017]))
    assert bigger in [w.message for w in plan.context["summary"].warnings]


def _update_post(**changes):
    return {
        "date": "30/9/2017",
        "text": "Service has met 23 clients.",
        "reported_by": "",
        "outputs-TOTAL_FORMS": "1",
        "outputs-INITIAL_FORMS": "0",
        "outputs-0-label": "",
        "outputs-0-value": "",
        **changes,
    }


def test_update_dated_before_the_lines_year_refused(signed_in, pcc):
    line = CommissioningLineFactory(partnership=pcc.partnership, funding_stream=pcc)
    url = reverse("commissioning:update_add", args=[pcc.partnership.slug, line.pk])
    form = signed_in.post(url, _update_post(date="1/1/2001")).context["form"]
    assert form.errors["date"] == [
        "The date of the update must be on or after 1 April 2017, when 2017/18 starts."
    ]
    assert not ProgressUpdate.objects.exists()
    # A contract that started before the year may be reported on from its start.
    CommissioningLine.objects.filter(pk=line.pk).update(start=datetime.date(2017, 1, 1))
    assert signed_in.post(url, _update_post(date="1/2/2017")).status_code == 302


def test_update_edit_without_its_version_refused(signed_in, pcc):
    line = CommissioningLineFactory(partnership=pcc.partnership, funding_stream=pcc)
    update = ProgressUpdateFactory(line=line, text="Going well.")
    url = reverse("commissioning:update_edit", args=[pcc.partnership.slug, line.pk, update.pk])
    response = signed_in.post(url, _update_post(text="Changed"))
    assert response.status_code == 200
    assert "could not be checked against what is stored now" in response.content.decode()
    update.refresh_from_db()
    assert update.text == "Going well."
    assert signed_in.post(url, _update_post(text="Changed", version="1")).status_code == 302
    with pytest.raises(services.EditConflict):
        services.update_save(
            line=line, date=update.date, text="x", outputs=[], update=update, by=None
        )


def test_copy_forward_offered_only_when_last_year_has_lines(signed_in, pcc):
    # 2017/18 has a funding stream but no lines: nothing to copy.
    url = reverse("commissioning:plan", args=[pcc.partnership.slug, 2018])
    offer = "Copy 2017/18's lines into 2018/19"
    assert offer not in signed_in.get(url).content.decode()
    CommissioningLineFactory(partnership=pcc.partnership, funding_stream=pcc)
    assert offer in signed_in.get(url).content.decode()


def test_plan_export_has_starts_beside_ends(signed_in, pcc):
    CommissioningLineFactory(
        partnership=pcc.partnership,
        funding_stream=pcc,
        start=datetime.date(2017, 4, 1),
        end=datetime.date(2018, 3, 31),
    )
    url = reverse("commissioning:plan", args=[pcc.partnership.slug, 2017])
    header, row = signed_in.get(url + "?_export=csv").content.decode().splitlines()[:2]
    columns = header.split(",")
    assert columns[columns.index("start") + 1] == "end"
    assert "2017-04-01,2018-03-31" in row


def test_plan_export_shows_no_cell_as_a_formula(signed_in, pcc):
    CommissioningLineFactory(
        partnership=pcc.partnership,
        funding_stream=pcc,
        reference="=1+1",
        status="commissioned",
        start=datetime.date(2017, 4, 1),
        end=datetime.date(2018, 3, 31),
    )
    url = reverse("commissioning:plan", args=[pcc.partnership.slug, 2017])
    rows = list(csv.reader(io.StringIO(signed_in.get(url + "?_export=csv").content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=1+1" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
