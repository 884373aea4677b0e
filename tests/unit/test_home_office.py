"""Reading the Home Office CSP tables from .xlsx and .ods (small tables made here)."""

import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

import pytest
from openpyxl import Workbook

from opendata import home_office

ROWS = [
    [
        "2023/24",
        1,
        "Devon and Cornwall",
        "Plymouth",
        "Domestic burglary",
        "Theft offences",
        "Burglary",
        "28E",
        120,
    ],
    [
        "2023/24",
        1,
        "Devon and Cornwall",
        "Plymouth",
        "Robbery of personal property",
        "Robbery",
        "Robbery",
        "34B",
        30,
    ],
    [
        "2023/24",
        2,
        "Devon and Cornwall",
        "Plymouth",
        "Domestic burglary",
        "Theft offences",
        "Burglary",
        "28E",
        110,
    ],
    [
        "2023/24",
        1,
        "Bedfordshire",
        "Luton",
        "Domestic burglary",
        "Theft offences",
        "Burglary",
        "28E",
        95,
    ],
]


def _xlsx(path):
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["Police recorded crime by CSP"])
    sheet = workbook.create_sheet("2023-24")
    sheet.append(list(home_office.HEADER))
    for row in ROWS:
        sheet.append(row)
    workbook.save(path)
    return path


def _ods_cell(value):
    if isinstance(value, int):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{escape(value)}</text:p></table:table-cell>"
    )


def _ods(path):
    header = "".join(_ods_cell(h) for h in home_office.HEADER)
    body = "".join(
        f"<table:table-row>{''.join(_ods_cell(v) for v in row)}</table:table-row>" for row in ROWS
    )
    # Trailing empty cells and rows, "repeated" as spreadsheet programs write them.
    body += (
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="Notes"><table:table-row>'
        f"{_ods_cell('Police recorded crime by CSP')}</table:table-row></table:table>"
        f'<table:table table:name="2023-24"><table:table-row>{header}</table:table-row>'
        f"{body}</table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return path


@pytest.mark.parametrize("make", [_xlsx, _ods], ids=["xlsx", "ods"])
def test_reads_the_table_sheets_and_passes_over_notes(tmp_path, make):
    path = make(tmp_path / f"csp.{make.__name__[1:]}")
    rows = list(home_office.read_table(path))
    assert len(rows) == 4
    assert rows[0]["CSP Name"] == "Plymouth" and rows[0]["Offence Code"] == "28E"


@pytest.mark.parametrize("make", [_xlsx, _ods], ids=["xlsx", "ods"])
def test_quarter_counts_sum_the_offence_groups(tmp_path, make):
    path = make(tmp_path / f"csp.{make.__name__[1:]}")
    counts = home_office.quarter_counts(
        home_office.read_table(path), offence_groups=["Theft offences", "robbery"]
    )
    assert counts == {
        ("Plymouth", "2023/24", 1): Decimal(150),
        ("Plymouth", "2023/24", 2): Decimal(110),
        ("Luton", "2023/24", 1): Decimal(95),
    }


def test_a_workbook_without_the_table_is_refused(tmp_path):
    workbook = Workbook()
    workbook.active.append(["Something", "else"])
    workbook.save(tmp_path / "other.xlsx")
    with pytest.raises(home_office.NotCspTable):
        list(home_office.read_table(tmp_path / "other.xlsx"))
