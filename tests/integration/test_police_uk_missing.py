"""police.uk import: a month not in the file, or a crime type the file lists nowhere, gets
no figure (a missing period is missing, never zero), and the report says why."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import services as figure_services
from indicators.models import Actual
from opendata import police_uk
from opendata.models import ForceCount, LsoaCount, PoliceImport
from tests.factories import IndicatorFactory

DECEMBER = datetime.date(2016, 12, 1)
NOVEMBER = datetime.date(2016, 11, 1)
NAME = "2016-12-devon-and-cornwall-street.csv"
DEVON_JAN = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "police_uk"
    / "2024-01"
    / "2024-01-devon-and-cornwall-street.csv"
)


def _row(month="2016-12", lsoa="E01015000", name="Plymouth 001A", crime_type="Burglary"):
    return (
        f"abc,{month},Devon & Cornwall Police,Devon & Cornwall Police,-4.1,50.3,On or near X,"
        f"{lsoa},{name},{crime_type},Under investigation,\r\n"
    )


def _file(*rows: str) -> bytes:
    return (",".join(police_uk.HEADER) + "\r\n" + "".join(rows)).encode()


@pytest.fixture
def plymouth(partnership_a):
    partnership_a.local_authorities = "Plymouth"
    partnership_a.save()
    return partnership_a


@pytest.fixture
def asb(plymouth):
    return IndicatorFactory(
        partnership=plymouth,
        code="ASB",
        title="Anti-social behaviour",
        police_uk_crime_types="Anti-social behaviour",
    )


@pytest.fixture
def sac(plymouth):
    return IndicatorFactory(
        partnership=plymouth,
        code="SAC",
        title="Serious acquisitive crime",
        police_uk_crime_types="Burglary;Robbery",
    )


def _upload(client, body: bytes, name: str = NAME) -> PoliceImport:
    response = client.post(
        reverse("opendata:upload", args=["partnership-a"]),
        {"files": SimpleUploadedFile(name, body, "text/csv")},
    )
    assert response.status_code == 302
    return PoliceImport.objects.first()


def _figures(indicator) -> dict:
    return dict(Actual.objects.filter(indicator=indicator).values_list("period", "value"))


@pytest.mark.django_db
def test_a_type_the_file_lists_nowhere_gets_no_figure_and_the_report_says_why(
    client, officer_a, asb, sac
):
    client.force_login(officer_a)
    body = _file(*[_row()] * 3, _row(name="Torbay 001A", lsoa="E01020000", crime_type="Robbery"))

    run = _upload(client, body)

    assert _figures(sac) == {DECEMBER: 3}
    assert _figures(asb) == {}  # no Anti-social behaviour row at all: not 0
    assert [(f["code"], f["month"]) for f in run.report["figures"]] == [("SAC", "2016-12")]
    [note] = run.report["not_imported"]
    assert note.startswith("ASB Anti-social behaviour, December 2016: no figure.")
    assert "no Anti-social behaviour row at all" in note
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Not imported" in page and "no Anti-social behaviour row at all" in page


@pytest.mark.django_db
def test_a_type_the_force_lists_elsewhere_is_a_true_zero(client, officer_a, asb, sac):
    client.force_login(officer_a)
    torbay_asb = _row(name="Torbay 001A", lsoa="E01020000", crime_type="Anti-social behaviour")

    run = _upload(client, _file(_row(), torbay_asb))

    assert _figures(asb) == {DECEMBER: 0}
    assert _figures(sac) == {DECEMBER: 1}
    assert run.report["not_imported"] == []


@pytest.mark.django_db
def test_a_stray_row_of_another_month_makes_no_figures_for_it(client, officer_a, asb, sac):
    client.force_login(officer_a)
    asb_row = _row(crime_type="Anti-social behaviour")

    run = _upload(client, _file(*[_row()] * 3, asb_row, _row(month="2016-11")))

    assert _figures(sac) == {DECEMBER: 3} and _figures(asb) == {DECEMBER: 1}
    assert not Actual.objects.filter(period=NOVEMBER).exists()
    assert not LsoaCount.objects.filter(period=NOVEMBER).exists()
    assert not ForceCount.objects.filter(period=NOVEMBER).exists()
    assert run.report["months"] == ["2016-12"]
    assert run.report["skipped"][police_uk.OTHER_MONTH] == 1
    assert run.report["matched"] + sum(run.report["skipped"].values()) == 5
    assert run.report["not_imported"] == [
        f"{NAME}: 1 row of November 2016 skipped. "
        "A police.uk file holds one month, and this is December 2016's"
    ]
    page = client.get(run.get_absolute_url()).content.decode()
    assert "1 row of November 2016 skipped" in page


@pytest.mark.django_db
def test_a_stored_figure_left_as_entered_shows_thousands_separated(client, officer_a, sac):
    jan = datetime.date(2024, 1, 1)
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(sac, jan, Decimal(1575))], by=officer_a
    )
    client.force_login(officer_a)

    run = _upload(client, DEVON_JAN.read_bytes(), DEVON_JAN.name)

    [conflict] = [f for f in run.report["figures"] if f["outcome"] == "conflict"]
    assert conflict["current"] == "1575"
    page = client.get(run.get_absolute_url()).content.decode()
    assert "1,575" in page and ">1575 <" not in page
