"""A workbook made to unpack to far more than it holds is refused before openpyxl reads
any of it: on the import pages, by import_data, and by the Home Office import."""

import io
import re
import zipfile
from html import unescape

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from indicators import importing
from indicators.models import Actual
from opendata import home_office

COMMAND = "python manage.py import_data"
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
    '.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"'
    "/></Types>",
    "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006'
    '/main"><sheets><sheet name="actuals" sheetId="1"/></sheets></workbook>',
}


def bomb_workbook(megabytes: int = 6) -> bytes:
    """An .xlsx whose shared strings unpack to ``megabytes`` MB from a few kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b"<sst>")
            chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
            for _ in range(megabytes * 1024):
                part.write(chunk)
            part.write(b"</sst>")
    return out.getvalue()


def honest_workbook(rows: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "actuals"
    sheet.append(["partnership", "indicator", "period", "value", "note"])
    for n in range(rows):
        sheet.append(
            ["partnership-a", "HC 01", f"{2000 + n // 12}-{n % 12 + 1:02d}", n, f"{n}" * 40]
        )
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open the workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def summary_text(response) -> str:
    match = re.search(
        r'<div class="govuk-error-summary".*?</div>\s*</div>', response.content.decode(), re.DOTALL
    )
    assert match, "no error summary"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


def post(client, data: bytes, name: str = "figures.xlsx"):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(
        reverse("indicators:import", args=["partnership-a"]), {"files": [upload], "dry_run": "on"}
    )


@pytest.mark.django_db
def test_an_uploaded_zip_bomb_is_refused_before_openpyxl_reads_it(
    officer_client, openpyxl_never_opens
):
    data = bomb_workbook()
    assert len(data) < 100_000

    response = post(officer_client, data)

    text = summary_text(response)
    assert "The workbook cannot be read: its part xl/sharedStrings.xml unpacks to" in text
    assert "Save it again from your spreadsheet program" in text
    assert not Actual.objects.exists()


@pytest.mark.django_db
@override_settings(IMPORT_UPLOAD_MAX_UNZIPPED_MB=1)
def test_an_upload_unpacking_beyond_the_limit_is_refused_naming_the_command(
    officer_client, openpyxl_never_opens
):
    data = honest_workbook(5000)  # about 1.5 MB of XML, packed some 10 times

    response = post(officer_client, data)

    text = summary_text(response)
    assert re.search(
        r"The workbook unpacks to \d MB: a workbook can unpack to at most 1 MB when uploaded\.",
        text,
    )
    assert COMMAND in text


@pytest.mark.django_db
def test_an_upload_within_the_unpacked_limit_is_read(officer_client):
    response = post(officer_client, honest_workbook(3))

    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()


def test_import_data_refuses_a_zip_bomb(tmp_path, openpyxl_never_opens):
    path = tmp_path / "figures.xlsx"
    path.write_bytes(bomb_workbook())
    errors: list[str] = []

    assert importing.read_path(path, errors) == {}
    assert errors[0].startswith("The workbook cannot be read: its part xl/sharedStrings.xml")


def test_the_home_office_import_refuses_a_zip_bomb(tmp_path, openpyxl_never_opens):
    path = tmp_path / "csp-tables.xlsx"
    path.write_bytes(bomb_workbook())

    with pytest.raises(home_office.UnreadableFile, match=r"csp-tables\.xlsx cannot be read: its"):
        list(home_office.read_table(path))
