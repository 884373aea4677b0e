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
    assert rows[0].cells["CSP Name"] == "Plymouth" and rows[0].cells["Offence Code"] == "28E"
    assert rows[0].where == f"{path.name}, sheet 2023-24, row 2"


@pytest.mark.parametrize("make", [_xlsx, _ods], ids=["xlsx", "ods"])
def test_group_counts_sum_each_offence_group_and_subgroup(tmp_path, make):
    path = make(tmp_path / f"csp.{make.__name__[1:]}")
    table = home_office.read_counts([path])
    assert table.counts == {
        ("Plymouth", 2023, 1, "Theft offences", "Burglary"): Decimal(120),
        ("Plymouth", 2023, 1, "Robbery", "Robbery"): Decimal(30),
        ("Plymouth", 2023, 2, "Theft offences", "Burglary"): Decimal(110),
        ("Luton", 2023, 1, "Theft offences", "Burglary"): Decimal(95),
    }
    assert table.forces == {"Plymouth": "Devon and Cornwall", "Luton": "Bedfordshire"}
    assert (table.notes, table.problems) == (0, [])


def test_a_workbook_without_the_table_is_refused(tmp_path):
    workbook = Workbook()
    workbook.active.append(["Something", "else"])
    workbook.save(tmp_path / "other.xlsx")
    with pytest.raises(home_office.NotCspTable):
        list(home_office.read_table(tmp_path / "other.xlsx"))


def _row(year="2023/24", quarter=1, csp="Plymouth", group="Robbery", count=30):
    return [year, quarter, "Devon and Cornwall", csp, "Robbery", group, "Robbery", "34B", count]


def _sheet_of(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2016_17"
    sheet.append(list(home_office.HEADER))
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_row_of_counts_that_cannot_be_read_refuses_the_files_naming_it(tmp_path):
    path = _sheet_of(
        tmp_path / "csp.xlsx",
        [
            _row(count=500),
            _row(count=None),  # row 3
            _row(count="[x]"),
            _row(count="1,200"),  # read: the thousands separator is dropped
            _row(year="2016-17", quarter="Q2", count=" 7 "),  # read: other spellings
            _row(year="FY 2016/17"),  # row 7
            _row(quarter=5, csp=None),  # row 8: both problems named
            _row(count="2.5"),
        ],
    )
    with pytest.raises(home_office.UnreadableRows) as refused:
        home_office.read_counts([path])
    assert refused.value.problems == [
        "csp.xlsx, sheet 2016_17, row 3: Offence Count is blank",
        "csp.xlsx, sheet 2016_17, row 4: Offence Count '[x]' is not a number",
        "csp.xlsx, sheet 2016_17, row 7: Financial Year 'FY 2016/17' is not a year such as 2023/24",
        "csp.xlsx, sheet 2016_17, row 8: Financial Quarter '5' is not 1 to 4; CSP Name is blank",
        "csp.xlsx, sheet 2016_17, row 9: Offence Count '2.5' is not a whole number of offences",
    ]
    assert str(refused.value).startswith("Nothing was imported: 5 rows cannot be read")


def test_a_refusal_names_the_first_rows_and_counts_the_rest(tmp_path):
    path = _sheet_of(tmp_path / "csp.xlsx", [_row(count="[x]")] * (home_office.LISTED + 5))
    with pytest.raises(home_office.UnreadableRows) as refused:
        home_office.read_counts([path])
    lines = str(refused.value).splitlines()
    assert len(lines) == 1 + home_office.LISTED + 1
    assert lines[1].startswith("csp.xlsx, sheet 2016_17, row 2:")
    assert lines[-1] == "and 5 more rows."


def test_blank_rows_notes_and_totals_are_passed_over(tmp_path):
    path = _sheet_of(
        tmp_path / "csp.xlsx",
        [
            _row(count=30),
            [None] * 9,
            ["Source: Home Office police recorded crime"],
            ["Total", None, None, None, None, None, None, None, 30],
        ],
    )
    table = home_office.read_counts([path])
    assert table.counts == {("Plymouth", 2023, 1, "Robbery", "Robbery"): Decimal(30)}
    assert table.notes == 2


def test_ods_rows_are_numbered_as_the_sheet_numbers_them(tmp_path):
    path = _ods(tmp_path / "csp.ods")
    content = zipfile.ZipFile(path).read("content.xml").decode()
    # Two empty rows, written as one repeated row, before the data.
    content = content.replace(
        '</table:table-row><table:table-row><table:table-cell office:value-type="string">'
        "<text:p>2023/24",
        '</table:table-row><table:table-row table:number-rows-repeated="2"/>'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>2023/24',
        1,
    ).replace('office:value="30"><text:p>30</text:p>', "><text:p>[x]</text:p>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", content)
    with pytest.raises(home_office.UnreadableRows) as refused:
        home_office.read_counts([path])
    assert refused.value.problems == [
        "csp.ods, sheet 2023-24, row 5: Offence Count '[x]' is not a number"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("csp.csv", b"a,b\n", "csp.csv is not an .xlsx or .ods file"),
        ("csp.xlsx", b"junk", "csp.xlsx cannot be read as an .xlsx file"),
        ("csp.ods", b"junk", "csp.ods cannot be read as an .ods file"),
        ("empty.ods", None, "empty.ods cannot be read as an .ods file"),  # a zip, no content
        ("broken.ods", "<office:document-content", "broken.ods cannot be read as an .ods"),
    ],
)
def test_a_file_that_is_no_spreadsheet_is_refused_with_its_name(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            if content is not None:
                archive.writestr("content.xml", content)
    with pytest.raises(home_office.UnreadableFile, match=message):
        home_office.read_counts([path])


@pytest.mark.parametrize(
    ("label", "start"),
    [("2023/24", 2023), ("2023-24", 2023), ("2023_24", 2023), ("2023", 2023), ("1999/00", 1999)],
)
def test_year_start_reads_the_spellings_of_a_financial_year(label, start):
    assert home_office.year_start(label) == start


@pytest.mark.parametrize("label", ["FY 2016/17", "2016/18", "2016abc", "", "16/17"])
def test_year_start_refuses_anything_else(label):
    with pytest.raises(ValueError):
        home_office.year_start(label)


@pytest.mark.parametrize(
    ("text", "count"),
    [("1,200", Decimal(1200)), ("7", Decimal(7)), ("3.0", 3), ("1E+3", 1000), ("-2", -2)],
)
def test_offence_count_reads_whole_numbers(text, count):
    assert home_office.offence_count(text) == count


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Offence Count is blank"),
        ("[x]", "Offence Count '[x]' is not a number"),
        ("NaN", "Offence Count 'NaN' is not a number"),
        ("Infinity", "Offence Count 'Infinity' is not a number"),
        ("2.5", "Offence Count '2.5' is not a whole number"),
        ("1e12", "Offence Count '1e12' is not a whole number"),
    ],
)
def test_offence_count_names_what_it_cannot_read(text, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        home_office.offence_count(text)


@pytest.mark.parametrize("text", ["0", "5", "Q5", "sNaN", "NaN", "", "one"])
def test_quarter_number_refuses_anything_but_1_to_4(text):
    with pytest.raises(ValueError):
        home_office.quarter_number(text)
