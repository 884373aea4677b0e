"""police.uk street-level import: the command, the upload page, hotspots and the audit."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators import services as figure_services
from indicators.models import Actual, FigureChange
from opendata.models import LsoaCount, LsoaWard, PoliceImport
from tests.factories import IndicatorFactory, ReportFactory

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "police_uk"
DEVON_JAN = SAMPLE / "2024-01" / "2024-01-devon-and-cornwall-street.csv"
CITY_JAN = SAMPLE / "2024-01" / "2024-01-city-of-london-street.csv"
JAN = datetime.date(2024, 1, 1)
SAC = ["Burglary", "Robbery", "Vehicle crime", "Theft from the person"]


def _plain(path: Path, area: str, types) -> int:
    with path.open(newline="") as handle:
        return sum(
            1
            for row in csv.DictReader(handle)
            if row["LSOA name"].startswith(area + " ") and row["Crime type"] in types
        )


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
        police_uk_crime_types=";".join(SAC),
    )


def _value(indicator, period=JAN):
    return Actual.objects.get(indicator=indicator, period=period).value


def _import(*paths, **options):
    call_command("import_police_uk", *map(str, paths), partnership="partnership-a", **options)
    return PoliceImport.objects.first()


@pytest.mark.django_db
def test_import_writes_plain_counts_with_source_police_uk(asb, sac):
    run = _import(DEVON_JAN)
    assert _value(asb) == _plain(DEVON_JAN, "Plymouth", ["Anti-social behaviour"])
    assert _value(sac) == _plain(DEVON_JAN, "Plymouth", SAC)
    change = FigureChange.objects.get(indicator=sac, period=JAN)
    assert change.source == "police.uk" and change.old is None
    report = run.report
    assert report["rows_read"] == 10871
    assert report["matched"] == _plain(DEVON_JAN, "Plymouth", [*SAC, "Anti-social behaviour"])
    assert report["matched"] + sum(report["skipped"].values()) == report["rows_read"]
    assert LsoaCount.objects.filter(partnership=asb.partnership).exists()


@pytest.mark.django_db
def test_reimport_of_the_same_month_changes_nothing(asb, sac):
    _import(DEVON_JAN)
    changes = FigureChange.objects.count()
    counts = list(LsoaCount.objects.values_list("crime_type", "lsoa_code", "count"))
    run = _import(DEVON_JAN)
    assert {f["outcome"] for f in run.report["figures"]} == {"unchanged"}
    assert FigureChange.objects.count() == changes
    assert sorted(LsoaCount.objects.values_list("crime_type", "lsoa_code", "count")) == sorted(
        counts
    )


@pytest.mark.django_db
def test_republished_month_replaces_the_police_uk_figure(asb, sac, tmp_path):
    _import(DEVON_JAN)
    first = _value(sac)
    lines = DEVON_JAN.read_text().splitlines(keepends=True)
    corrected = [lines[0]] + [
        line for line in lines[1:] if not (",Plymouth " in line and ",Burglary," in line)
    ]
    (tmp_path / DEVON_JAN.name).write_text("".join(corrected))
    run = _import(tmp_path)
    burglaries = _plain(DEVON_JAN, "Plymouth", ["Burglary"])
    assert _value(sac) == first - burglaries
    assert [f["outcome"] for f in run.report["figures"] if f["code"] == "SAC"] == ["updated"]
    change = FigureChange.objects.filter(indicator=sac).first()
    assert Decimal(change.old["value"]) == first and change.source == "police.uk"
    assert not LsoaCount.objects.filter(crime_type="Burglary").exists()


@pytest.mark.django_db
def test_hand_entered_figure_is_left_and_listed_as_a_conflict(asb, sac, officer_a):
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(sac, JAN, Decimal(7))], by=officer_a
    )
    run = _import(DEVON_JAN)
    assert _value(sac) == 7
    [conflict] = [f for f in run.report["figures"] if f["outcome"] == "conflict"]
    assert conflict["code"] == "SAC" and conflict["current"] == "7"
    assert conflict["current_source"] == "form"
    assert _value(asb) == _plain(DEVON_JAN, "Plymouth", ["Anti-social behaviour"])


@pytest.mark.django_db
def test_police_uk_figure_changed_by_hand_is_not_overwritten(asb, sac, officer_a):
    _import(DEVON_JAN)
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(sac, JAN, Decimal(3))], by=officer_a
    )
    run = _import(DEVON_JAN)
    assert _value(sac) == 3
    assert [f["code"] for f in run.report["figures"] if f["outcome"] == "conflict"] == ["SAC"]


def _month_copy(folder: Path, month: str, *, drop: str | None = None) -> Path:
    """The January 2024 Devon and Cornwall file as another month's (its Month column and
    name changed), without the Plymouth rows of the crime type ``drop`` if given."""
    lines = DEVON_JAN.read_text().splitlines(keepends=True)
    kept = [
        line for line in lines[1:] if not (drop and ",Plymouth " in line and f",{drop}," in line)
    ]
    path = folder / DEVON_JAN.name.replace("2024-01", month)
    path.write_text(lines[0] + "".join(line.replace(",2024-01,", f",{month},", 1) for line in kept))
    return path


def _publish_to_november_2016(partnership):
    """A report covering April 2015 to November 2016, published (as the demo's is)."""
    from reports import services as report_services

    report = ReportFactory(partnership=partnership, title="Panel update")
    report_services.report_publish(report=report, by=None)
    return report


@pytest.mark.django_db
def test_import_leaves_a_month_a_published_report_covers_and_lists_it(
    asb, sac, officer_a, tmp_path
):
    may_2016 = datetime.date(2016, 5, 1)
    # Figures the report shows: ASB's in November 2016, SAC's typed in for May 2016.
    figure_services.actuals_save(
        entries=[
            figure_services.FigureInput(asb, datetime.date(2016, 11, 1), Decimal(50)),
            figure_services.FigureInput(sac, may_2016, Decimal(7)),
        ],
        by=officer_a,
    )
    _publish_to_november_2016(asb.partnership)
    changes = FigureChange.objects.count()

    run = _import(_month_copy(tmp_path, "2016-05"), DEVON_JAN)

    assert not Actual.objects.filter(indicator=asb, period=may_2016).exists()
    assert _value(sac, may_2016) == 7
    locked = {f["code"]: f for f in run.report["figures"] if f["outcome"] == "locked"}
    assert {(code, f["month"], f["report"]) for code, f in locked.items()} == {
        ("ASB", "2016-05", "Panel update"),
        ("SAC", "2016-05", "Panel update"),
    }
    # Typed in, it would be a conflict anyway: the published report is why it is left.
    assert (locked["SAC"]["current"], locked["SAC"]["current_source"]) == ("7", "form")
    # The rest of the import goes ahead: January 2024 is in no published report.
    assert _value(sac) == _plain(DEVON_JAN, "Plymouth", SAC)
    assert FigureChange.objects.count() == changes + 2


@pytest.mark.django_db
def test_import_does_not_replace_a_police_uk_figure_in_a_published_month(
    client, officer_a, asb, sac, tmp_path
):
    may_2016 = datetime.date(2016, 5, 1)
    _import(_month_copy(tmp_path, "2016-05"))
    before = int(_value(sac, may_2016))
    _publish_to_november_2016(asb.partnership)
    corrected = tmp_path / "corrected"
    corrected.mkdir()
    out = io.StringIO()

    call_command(
        "import_police_uk",
        str(_month_copy(corrected, "2016-05", drop="Burglary")),
        partnership="partnership-a",
        stdout=out,
    )

    assert _value(sac, may_2016) == before
    run = PoliceImport.objects.first()
    outcomes = {f["code"]: f["outcome"] for f in run.report["figures"]}
    assert outcomes == {"ASB": "unchanged", "SAC": "locked"}
    assert (
        f"SAC 2016-05: {before - _plain(DEVON_JAN, 'Plymouth', ['Burglary']):,} locked "
        f"(stored {before} from police.uk, left as it is: it is in the published report "
        "'Panel update'; "
        "change it on the month sheet with a reason)"
    ) in out.getvalue()
    client.force_login(officer_a)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Figures in a published report (1)" in page and "Panel update" in page
    assert reverse("indicators:month_sheet", args=["partnership-a", "2016-05"]) in page


@pytest.mark.django_db
def test_dry_run_lists_a_month_a_published_report_covers(asb, sac, tmp_path):
    may_2016 = datetime.date(2016, 5, 1)
    _import(_month_copy(tmp_path, "2016-05"))
    _publish_to_november_2016(asb.partnership)
    corrected = tmp_path / "corrected"
    corrected.mkdir()

    run = _import(_month_copy(corrected, "2016-05", drop="Burglary"), dry_run=True)

    assert [f["outcome"] for f in run.report["figures"] if f["code"] == "SAC"] == ["locked"]
    assert FigureChange.objects.filter(period=may_2016, indicator=sac).count() == 1


@pytest.mark.django_db
def test_dry_run_writes_no_figure(asb, sac):
    run = _import(DEVON_JAN, dry_run=True)
    assert run.dry_run and run.report["figures"]
    assert not Actual.objects.exists() and not LsoaCount.objects.exists()


@pytest.mark.django_db
def test_file_of_another_area_writes_nothing(asb, sac):
    run = _import(CITY_JAN)
    assert run.report["months"] == [] and run.report["figures"] == []
    assert run.report["skipped"]["outside the partnership's local authorities"] > 0
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_city_of_london_counts_from_a_folder(partnership_b):
    partnership_b.local_authorities = "City of London"
    partnership_b.save()
    shop = IndicatorFactory(partnership=partnership_b, police_uk_crime_types="Shoplifting")
    call_command("import_police_uk", str(SAMPLE), partnership="partnership-b")
    for month in ("2024-01", "2024-02"):
        path = SAMPLE / month / f"{month}-city-of-london-street.csv"
        period = datetime.date(2024, int(month[5:]), 1)
        assert _value(shop, period) == _plain(path, "City of London", ["Shoplifting"])


@pytest.mark.django_db
def test_command_without_partnership_imports_every_mapped_one(asb):
    call_command("import_police_uk", str(DEVON_JAN))
    assert _value(asb) > 0


def _upload(client, path=DEVON_JAN, **data):
    upload = SimpleUploadedFile(path.name, path.read_bytes(), "text/csv")
    return client.post(
        reverse("opendata:upload", args=["partnership-a"]), {"files": upload, **data}
    )


def _copy_of_devon_jan(folder: Path) -> Path:
    """The January file as a second download of it is saved ("... (1).csv")."""
    copy = folder / "2024-01-devon-and-cornwall-street (1).csv"
    copy.write_bytes(DEVON_JAN.read_bytes())
    return copy


@pytest.mark.django_db
def test_command_refuses_a_second_file_of_a_forces_month_and_imports_nothing(asb, sac, tmp_path):
    with pytest.raises(CommandError) as refused:
        _import(DEVON_JAN, _copy_of_devon_jan(tmp_path))
    assert str(refused.value) == (
        "2024-01-devon-and-cornwall-street.csv and 2024-01-devon-and-cornwall-street (1).csv "
        "are both Devon & Cornwall Police's file for January 2024: import only one of them "
        "(read together, each crime counts twice)"
    )
    assert not PoliceImport.objects.exists() and not Actual.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "second, named",
    [
        (DEVON_JAN.name, "2024-01-devon-and-cornwall-street.csv is chosen twice"),
        (
            "2024-01-devon-and-cornwall-street (1).csv",
            "2024-01-devon-and-cornwall-street.csv and "
            "2024-01-devon-and-cornwall-street (1).csv are both",
        ),
    ],
)
def test_upload_of_a_forces_month_twice_is_refused_and_imports_nothing(
    client, officer_a, asb, sac, second, named
):
    client.force_login(officer_a)
    files = [
        SimpleUploadedFile(name, DEVON_JAN.read_bytes(), "text/csv")
        for name in (DEVON_JAN.name, second)
    ]
    response = client.post(reverse("opendata:upload", args=["partnership-a"]), {"files": files})
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert named in page
    assert "Devon &amp; Cornwall Police's file for January 2024" in page
    assert not PoliceImport.objects.exists() and not Actual.objects.exists()


@pytest.mark.django_db
def test_officer_uploads_a_month_and_sees_the_report(client, officer_a, asb, sac):
    client.force_login(officer_a)
    response = client.post(
        reverse("opendata:upload", args=["partnership-a"]),
        {"files": SimpleUploadedFile(DEVON_JAN.name, DEVON_JAN.read_bytes(), "text/csv")},
    )
    run = PoliceImport.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.imported_by == officer_a
    page = client.get(run.get_absolute_url()).content.decode()
    assert "10,871" in page and "Added" in page
    assert FigureChange.objects.filter(changed_by=officer_a, source="police.uk").count() == 2
    detail = client.get(sac.get_absolute_url()).content.decode()
    assert "(police.uk)" in detail


@pytest.mark.django_db
def test_upload_of_another_kind_of_file_changes_nothing(client, officer_a, asb):
    client.force_login(officer_a)
    bad = SimpleUploadedFile("actuals.csv", b"partnership,indicator,period,value\n", "text/csv")
    response = client.post(reverse("opendata:upload", args=["partnership-a"]), {"files": bad})
    assert response.status_code == 200
    assert "is not a police.uk street-level file" in response.content.decode()
    assert not PoliceImport.objects.exists()


_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)
_ROW = (
    "e6c0,2024-01,Devon & Cornwall Police,Devon & Cornwall Police,-4.12,50.42,On or near X,"
    "E01015025,Plymouth 001A,Burglary,{outcome},\n"
)
DAMAGED = [
    # A quotation mark never closed: csv reads the rest of the file as one field.
    (
        _HEADER + _ROW.format(outcome="Under investigation") + '"' + "x" * 140_000 + "\n",
        "2024-01-devon-and-cornwall-street.csv cannot be read as CSV: it stops at line 3, "
        "where a cell runs on past 131,072 characters",
    ),
    (
        _HEADER + _ROW.format(outcome="Under\x00investigation"),
        "2024-01-devon-and-cornwall-street.csv holds a NUL character, which no field can store",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "message"), DAMAGED, ids=["field-limit", "nul"])
def test_upload_of_a_damaged_file_is_refused_plainly_and_imports_nothing(
    client, officer_a, asb, sac, body, message
):
    client.force_login(officer_a)
    upload = SimpleUploadedFile(DEVON_JAN.name, body.encode(), "text/csv")
    response = client.post(reverse("opendata:upload", args=["partnership-a"]), {"files": upload})
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not PoliceImport.objects.exists() and not Actual.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "message"), DAMAGED, ids=["field-limit", "nul"])
def test_command_refuses_a_damaged_file_and_imports_nothing(asb, sac, tmp_path, body, message):
    path = tmp_path / DEVON_JAN.name
    path.write_text(body, newline="")
    with pytest.raises(CommandError, match=re.escape(message)):
        _import(path)
    assert not PoliceImport.objects.exists() and not Actual.objects.exists()


@pytest.mark.django_db
def test_hotspots_suppress_counts_of_one_to_four(client, officer_a, asb):
    _import(DEVON_JAN)
    client.force_login(officer_a)
    url = reverse("opendata:hotspots", args=["partnership-a", asb.pk])
    page = client.get(url, {"month": "2024-01"}).content.decode()
    small = LsoaCount.objects.filter(crime_type="Anti-social behaviour", count__lte=4)
    assert small.exists() and "[c]" in page
    assert small.first().lsoa_name not in page  # grouped: a small count names no area
    top = LsoaCount.objects.filter(crime_type="Anti-social behaviour").order_by("-count").first()
    assert top.lsoa_name in page and f">{top.count}<" in page


@pytest.mark.django_db
def test_ward_lookup_groups_hotspots_by_ward(client, officer_a, asb):
    _import(DEVON_JAN)
    codes = list(LsoaCount.objects.values_list("lsoa_code", flat=True).distinct())
    text = "LSOA21CD,LSOA21NM,WD24CD,WD24NM\n" + "".join(
        f"{code},x,E05000001,Test Ward\n" for code in codes
    )
    client.force_login(officer_a)
    response = client.post(
        reverse("opendata:wards", args=["partnership-a"]),
        {"file": SimpleUploadedFile("lookup.csv", text.encode(), "text/csv")},
    )
    assert response.status_code == 302
    assert LsoaWard.objects.count() == len(codes)
    page = client.get(reverse("opendata:hotspots", args=["partnership-a", asb.pk])).content
    assert b"By ward" in page and b"Test Ward" in page


@pytest.mark.django_db
def test_ward_lookup_without_the_columns_is_refused(client, officer_a, plymouth):
    client.force_login(officer_a)
    response = client.post(
        reverse("opendata:wards", args=["partnership-a"]),
        {"file": SimpleUploadedFile("lookup.csv", b"a,b\n1,2\n", "text/csv")},
    )
    assert response.status_code == 200 and b"needs columns" in response.content
    assert not LsoaWard.objects.exists()


@pytest.mark.django_db
def test_a_ward_lookup_row_too_long_is_refused_and_the_old_lookup_kept(client, officer_a, plymouth):
    client.force_login(officer_a)
    url = reverse("opendata:wards", args=["partnership-a"])
    good = "LSOA21CD,WD24CD,WD24NM\nE01000001,E05000001,A Ward\n"
    client.post(url, {"file": SimpleUploadedFile("lookup.csv", good.encode(), "text/csv")})
    bad = good + "E01000002TOOLONGCODE,E05000002,B Ward\n"

    response = client.post(
        url, {"file": SimpleUploadedFile("lookup.csv", bad.encode(), "text/csv")}
    )

    assert response.status_code == 200
    assert b"E01000002TOOLONGCODE" in response.content
    assert b"at most 12 characters" in response.content
    assert list(LsoaWard.objects.values_list("lsoa_code", flat=True)) == ["E01000001"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"LSOA21CD,WD24CD,WD24NM\nE01000001,E05\x00001,A Ward\n", b"Row 2 holds a NUL character"),
        (b"LSOA21CD,WD24CD,WD24NM\nE01000001,E05000001,Caf\xe9 Ward\n", b"save it as CSV UTF-8"),
    ],
)
def test_a_ward_lookup_with_what_no_field_holds_is_refused_plainly(
    client, officer_a, plymouth, body, message
):
    client.force_login(officer_a)
    response = client.post(
        reverse("opendata:wards", args=["partnership-a"]),
        {"file": SimpleUploadedFile("lookup.csv", body, "text/csv")},
    )
    assert response.status_code == 200 and message in response.content
    assert b"codec" not in response.content
    assert not LsoaWard.objects.exists()


@pytest.mark.django_db
def test_a_ward_lookup_csv_cannot_parse_is_refused_and_the_old_lookup_kept(
    client, officer_a, plymouth
):
    client.force_login(officer_a)
    url = reverse("opendata:wards", args=["partnership-a"])
    good = "LSOA21CD,WD24CD,WD24NM\nE01000001,E05000001,A Ward\n"
    client.post(url, {"file": SimpleUploadedFile("lookup.csv", good.encode(), "text/csv")})
    bad = good + 'E01000002,E05000002,"B Ward\n' + "x" * 140_000 + "\n"
    response = client.post(
        url, {"file": SimpleUploadedFile("lookup.csv", bad.encode(), "text/csv")}
    )
    assert response.status_code == 200
    assert (
        b"cannot be read as CSV: it stops at line 4, where a cell runs on past 131,072 characters"
        in response.content
    )
    assert list(LsoaWard.objects.values_list("lsoa_code", flat=True)) == ["E01000001"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("", "The file has a header but no rows of LSOAs and their wards"),
        (",,\n", "The file has a header but no rows of LSOAs and their wards"),
        (
            "E01000002,E05000002,B Ward\nE01000003,E05000002,B Ward\nE01000002,E05000003,C Ward\n",
            "LSOA E01000002 is in two wards: B Ward (E05000002) in row 2 and C Ward (E05000003) "
            "in row 4. Keep one row for it.",
        ),
    ],
    ids=["header-only", "blank-rows", "lsoa-twice"],
)
def test_a_ward_lookup_without_rows_or_with_an_lsoa_twice_is_refused_and_the_old_kept(
    client, officer_a, plymouth, rows, message
):
    client.force_login(officer_a)
    url = reverse("opendata:wards", args=["partnership-a"])
    good = "LSOA21CD,WD24CD,WD24NM\nE01000001,E05000001,A Ward\n"
    client.post(url, {"file": SimpleUploadedFile("lookup.csv", good.encode(), "text/csv")})
    bad = "LSOA21CD,WD24CD,WD24NM\n" + rows
    response = client.post(url, {"file": SimpleUploadedFile("l.csv", bad.encode(), "text/csv")})
    assert response.status_code == 200 and message in response.content.decode()
    assert list(LsoaWard.objects.values_list("lsoa_code", flat=True)) == ["E01000001"]


@pytest.mark.django_db
def test_a_ward_lookup_may_list_an_lsoa_twice_in_the_same_ward(client, officer_a, plymouth):
    client.force_login(officer_a)
    text = "LSOA code,ward code,ward name\nE01000001,E05000001,A Ward\nE01000001,E05000001,A Ward\n"
    response = client.post(
        reverse("opendata:wards", args=["partnership-a"]),
        {"file": SimpleUploadedFile("lookup.csv", text.encode(), "text/csv")},
    )
    assert response.status_code == 302
    assert list(LsoaWard.objects.values_list("lsoa_code", "ward_name")) == [("E01000001", "A Ward")]


@pytest.mark.django_db
def test_a_ward_lookup_that_is_not_a_csv_is_refused(client, officer_a, plymouth):
    client.force_login(officer_a)
    response = client.post(
        reverse("opendata:wards", args=["partnership-a"]),
        {"file": SimpleUploadedFile("lookup.xlsx", b"PK\x03\x04", "application/zip")},
    )
    assert response.status_code == 200 and b"lookup.xlsx is not a CSV file" in response.content
    assert not LsoaWard.objects.exists()


@pytest.mark.django_db
def test_contract_columns_round_trip_through_export_data(tmp_path, plymouth, sac):
    plymouth.local_authorities = "Plymouth;Torbay"
    plymouth.save()
    call_command("export_data", "--partnership", plymouth.slug, str(tmp_path))
    with (tmp_path / "partnerships.csv").open(newline="") as handle:
        [partnership] = csv.DictReader(handle)
    with (tmp_path / "indicators.csv").open(newline="") as handle:
        [indicator] = csv.DictReader(handle)
    assert partnership["local_authorities"] == "Plymouth;Torbay"
    assert (
        indicator["police_uk_crime_types"] == "Burglary;Robbery;Vehicle crime;Theft from the person"
    )

    plymouth.local_authorities = ""
    plymouth.save()
    sac.police_uk_crime_types = ""
    sac.save()
    call_command("import_data", str(tmp_path))
    plymouth.refresh_from_db()
    sac.refresh_from_db()
    assert plymouth.local_authority_names == ["Plymouth", "Torbay"]
    assert sac.crime_types == SAC


@pytest.mark.django_db
def test_files_without_the_new_columns_leave_them_alone(tmp_path, plymouth, sac):
    (tmp_path / "partnerships.csv").write_text(f"slug,name\n{plymouth.slug},Renamed\n")
    (tmp_path / "indicators.csv").write_text(
        f"partnership,code,title,polarity,measure\n{plymouth.slug},SAC,SAC,lower,count\n"
    )
    call_command("import_data", str(tmp_path))
    plymouth.refresh_from_db()
    sac.refresh_from_db()
    assert plymouth.name == "Renamed" and plymouth.local_authorities == "Plymouth"
    assert sac.crime_types == SAC


@pytest.mark.django_db
def test_unknown_crime_type_in_indicators_csv_is_refused(tmp_path, plymouth, sac):
    (tmp_path / "indicators.csv").write_text(
        "partnership,code,title,polarity,measure,police_uk_crime_types\n"
        f"{plymouth.slug},SAC,SAC,lower,count,Burglary;Burglery\n"
    )
    with pytest.raises(CommandError):
        call_command("import_data", str(tmp_path), stderr=io.StringIO())
    sac.refresh_from_db()
    assert sac.crime_types == SAC


@pytest.mark.django_db
def test_figure_changed_during_the_import_saves_nothing(asb, sac, monkeypatch):
    def changed_meanwhile(**kwargs):
        raise figure_services.FigureConflict([])

    monkeypatch.setattr(figure_services, "actuals_save", changed_meanwhile)
    run = _import(DEVON_JAN)
    assert "nothing was saved" in run.report["problems"][0]
    assert run.report["figures"] == []
    assert not LsoaCount.objects.exists()


def test_the_import_reason_fits_the_audit_trail_for_a_year_of_files():
    from indicators.models import FigureChange
    from opendata.services import import_reason

    files = [f"2024-{m:02d}-british-transport-police-street.csv" for m in range(1, 13)]
    files.append("2023-12-british-transport-police-street.csv")

    reason = import_reason(files)

    assert len(reason) <= FigureChange._meta.get_field("reason").max_length
    assert reason == (
        "police.uk street-level data (13 files, 2023-12-british-transport-police-street.csv "
        "to 2024-12-british-transport-police-street.csv)"
    )
    assert import_reason(files[:1]) == f"police.uk street-level data ({files[0]})"


def test_a_figure_left_as_it_is_shows_a_stored_nought_as_nought():
    from django.template.loader import render_to_string

    line = {
        "code": "SP 02",
        "title": "Serious acquisitive crime",
        "month": "2016-05",
        "report": "Safer Plymouth performance update",
        "current": 0,
        "current_source": "form",
        "count": 119,
    }
    html = render_to_string(
        "opendata/_left_figures.html",
        {"lines": [line], "caption": "Figures in a published report", "with_report": True},
    )
    assert ">0 <span" in html and "None" not in html
    assert "May 2016" in html and "Safer Plymouth performance update" in html
