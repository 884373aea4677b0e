"""Uploads that a request cannot finish are refused with a message naming the command,
and a flood of problems shows the first 50 and a count of the rest."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from indicators.models import Actual

HEADER = "partnership,indicator,period,value,numerator,denominator,note\n"
COMMAND = "python manage.py import_data"


def upload(text: str, name: str = "actuals.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def month_rows(count: int, value: str = "5") -> str:
    return "".join(
        f"partnership-a,HC 01,{2000 + n // 12}-{n % 12 + 1:02d},{value},,,\n" for n in range(count)
    )


def summary_text(response) -> str:
    match = re.search(
        r'<div class="govuk-error-summary".*?</div>\s*</div>', response.content.decode(), re.DOTALL
    )
    assert match, "no error summary"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


def post(client, *files):
    return client.post(reverse("indicators:import", args=["partnership-a"]), {"files": files})


@pytest.mark.django_db
@override_settings(IMPORT_UPLOAD_MAX_MB=1)
def test_import_upload_over_the_size_limit_is_refused_naming_the_command(officer_client):
    big = HEADER + month_rows(300) * 150
    assert 1.2 * 1024 * 1024 < len(big) < 1.6 * 1024 * 1024

    response = post(officer_client, upload(big))

    assert response.status_code == 200
    text = summary_text(response)
    assert re.search(r"actuals\.csv is 1\.\d MB: an upload can be at most 1 MB\.", text)
    assert COMMAND in text
    assert not Actual.objects.exists()


@pytest.mark.django_db
@override_settings(IMPORT_UPLOAD_MAX_MB=1)
def test_import_upload_under_the_size_limit_is_imported(officer_client):
    response = post(officer_client, upload(HEADER + month_rows(12)))

    assert response.status_code == 302
    assert Actual.objects.count() == 12


@pytest.mark.django_db
@override_settings(IMPORT_UPLOAD_MAX_ROWS=10)
def test_import_upload_with_too_many_rows_is_refused_naming_the_command(officer_client):
    response = post(officer_client, upload(HEADER + month_rows(11)))

    text = summary_text(response)
    assert "The files have 11 rows: an upload can have at most 10." in text
    assert COMMAND in text
    assert not Actual.objects.exists()


@pytest.mark.django_db
@override_settings(IMPORT_UPLOAD_MAX_SECONDS=0)
def test_import_upload_that_runs_out_of_time_saves_nothing_and_names_the_command(
    officer_client,
):
    response = post(officer_client, upload(HEADER + month_rows(5)))

    text = summary_text(response)
    assert "The import was stopped after 0 seconds and nothing was saved." in text
    assert COMMAND in text
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_import_upload_many_problems_shows_the_first_50_and_counts_the_rest(officer_client):
    response = post(officer_client, upload(HEADER + month_rows(1234, value="N/A")))

    page = response.content.decode()
    text = summary_text(response)
    assert "fix these 1,234 problems" in text
    assert page.count('<li><a href="#id_files">') == 50
    assert "actuals.csv row 2: value 'N/A' is not a number" in text
    assert "… and 1,184 more problems." in text
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_import_upload_a_few_problems_are_all_listed(officer_client):
    response = post(officer_client, upload(HEADER + month_rows(3, value="N/A")))

    text = summary_text(response)
    assert "fix these 3 problems and try again" in text
    assert response.content.decode().count('<li><a href="#id_files">') == 3
    assert "more problem" not in text


@pytest.mark.django_db
@override_settings(IMPORT_UPLOAD_MAX_ROWS=10)
def test_a_workbook_of_too_many_rows_is_refused_before_it_is_all_read(officer_client):
    """A small .xlsx can hold a million rows: reading stops at the limit."""
    from io import BytesIO

    from openpyxl import Workbook

    from indicators import importing

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "actuals"
    sheet.append(HEADER.strip().split(","))
    for n in range(50):
        sheet.append(["partnership-a", "HC 01", f"{2000 + n // 12}-{n % 12 + 1:02d}", 5])
    data = BytesIO()
    workbook.save(data)

    errors: list[str] = []
    assert importing.read_workbook(data.getvalue(), errors, max_rows=10) == {}
    assert errors[0].startswith("The workbook has more than 10 rows, counting empty ones")
    response = post(
        officer_client,
        SimpleUploadedFile(
            "figures.xlsx", data.getvalue(), content_type="application/octet-stream"
        ),
    )
    text = summary_text(response)
    assert "The workbook has more than 10 rows, counting empty ones" in text and COMMAND in text
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_a_nul_character_is_refused_naming_its_line(officer_client):
    response = post(
        officer_client, upload(HEADER + month_rows(2) + "partnership-a,HC 01,2001-01,5,,,a\x00b\n")
    )

    text = summary_text(response)
    assert "actuals.csv line 4: a NUL character, which no field can hold" in text
    assert not Actual.objects.exists()


def empty_rows_workbook(count: int, cells: int = 4) -> bytes:
    """An actuals sheet of a header and ``count`` rows of empty cells (a small file can hold
    a great many: only the header says anything)."""
    from io import BytesIO
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "actuals"
    workbook.active.append(HEADER.strip().split(","))
    data = BytesIO()
    workbook.save(data)
    # openpyxl writes no empty cells: put them into the sheet's XML directly.
    empty = "<row>" + "<c/>" * cells + "</row>"
    out = BytesIO()
    with ZipFile(BytesIO(data.getvalue())) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</row>", b"</row>" + (empty * count).encode(), 1)
                # No used range: read as it comes (a range would stop reading at its end).
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.django_db
@override_settings(IMPORT_UPLOAD_MAX_ROWS=1000)
def test_a_workbook_of_many_empty_rows_is_refused_at_the_row_limit(officer_client):
    """Empty rows count: 200,000 of them in a 165 KB file took 48 s to read, to import
    nothing."""
    response = post(
        officer_client,
        SimpleUploadedFile("figures.xlsx", empty_rows_workbook(1001), content_type="x/y"),
    )

    text = summary_text(response)
    assert "The workbook has more than 1,000 rows, counting empty ones (delete any empty " in text
    assert COMMAND in text
    assert not Actual.objects.exists()


@pytest.mark.django_db
@override_settings(IMPORT_UPLOAD_MAX_ROWS=1000)
def test_a_workbook_with_empty_rows_within_the_limit_is_read(officer_client):
    response = post(
        officer_client,
        SimpleUploadedFile("figures.xlsx", empty_rows_workbook(1000), content_type="x/y"),
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_reading_a_workbook_stops_at_the_deadline(officer_client):
    from indicators import importing

    errors: list[str] = []
    deadline = importing.Deadline(0)
    tables = importing.read_workbook(empty_rows_workbook(10), errors, deadline=deadline)

    assert tables == {}
    assert errors == [deadline.message()]
    assert errors[0].startswith("The import was stopped after 0 seconds and nothing was saved.")


@pytest.mark.django_db
@override_settings(IMPORT_UPLOAD_MAX_SECONDS=1)
def test_the_time_limit_counts_the_reading_of_the_files(officer_client, monkeypatch):
    """The limit runs from when the upload is read, not from when its rows are checked."""
    import time

    from indicators.importing import reading

    read_workbook = reading.read_workbook

    def slow_reading(*args, **kwargs):
        time.sleep(1.1)
        return read_workbook(*args, **kwargs)

    monkeypatch.setattr(reading, "read_workbook", slow_reading)
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "actuals"
    workbook.active.append(HEADER.strip().split(","))
    workbook.active.append(["partnership-a", "HC 01", "2016-04", 5])
    from io import BytesIO

    data = BytesIO()
    workbook.save(data)

    response = post(
        officer_client, SimpleUploadedFile("figures.xlsx", data.getvalue(), content_type="x/y")
    )

    assert "The import was stopped after 1 second and nothing was saved." in summary_text(response)
    assert not Actual.objects.exists()
