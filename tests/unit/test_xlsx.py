"""The streamed .xlsx writer: what it writes, openpyxl (and so the import) reads back."""

from io import BytesIO
from zipfile import ZipFile

from openpyxl import load_workbook

from indicators.importing.xlsx import StreamedWorkbook, number


def written(sheets: dict[str, list[list[str]]]) -> bytes:
    buffer = BytesIO()
    workbook = StreamedWorkbook(buffer)
    for name, rows in sheets.items():
        workbook.add_sheet(name, rows)
    workbook.close()
    return buffer.getvalue()


def read(data: bytes, read_only: bool) -> dict[str, list[tuple]]:
    workbook = load_workbook(BytesIO(data), read_only=read_only, data_only=True)
    return {s.title: list(s.iter_rows(values_only=True)) for s in workbook.worksheets}


def test_xlsx_text_cells_read_back_exactly():
    rows = [
        ["code", "note", "value"],
        ["HC 01", "a & b < c > d \"quoted\" 'single'", "017"],
        ["2016-11", "  leading spaces\nand a new line\tand a tab", "-5"],
    ]
    data = written({"actuals": rows, "targets": [["partnership"]]})

    for read_only in (True, False):
        sheets = read(data, read_only)
        assert list(sheets) == ["actuals", "targets"]
        assert sheets["actuals"] == [tuple(r) for r in rows]
        assert sheets["targets"] == [("partnership",)]


def test_xlsx_blank_cells_are_left_empty_and_control_characters_dropped():
    data = written({"actuals": [["a", "", "c"], ["bell\x07here", "", ""]]})

    assert read(data, read_only=False)["actuals"] == [("a", None, "c"), ("bellhere", None, None)]


def test_xlsx_many_columns_get_two_letter_references():
    row = [str(n) for n in range(30)]
    data = written({"wide": [row]})

    assert read(data, read_only=False)["wide"] == [tuple(row)]


def test_xlsx_numbers_are_number_cells_exactly_and_longer_ones_text():
    rows = [
        ["code", "value"],
        ["SP 01", number("1234.5678")],
        ["SP 02", number("-0.25")],
        ["SP 03", number("400568.00")],
        ["SP 04", number("99999999999.9999")],  # 15 significant digits: a number exactly
        ["SP 05", number("123456789012.3456")],  # 16: more than a number keeps, so text
        ["017", "2016-11"],
    ]
    data = written({"actuals": rows})

    for read_only in (True, False):
        assert read(data, read_only)["actuals"] == [
            ("code", "value"),
            ("SP 01", 1234.5678),
            ("SP 02", -0.25),
            ("SP 03", 400568),
            ("SP 04", 99999999999.9999),
            ("SP 05", "123456789012.3456"),
            ("017", "2016-11"),
        ]
    assert ' t="inlineStr"><is><t xml:space="preserve">1234.5678<' not in sheet_xml(data)
    assert '<c r="B2"><v>1234.5678</v></c>' in sheet_xml(data)


def sheet_xml(data: bytes) -> str:
    with ZipFile(BytesIO(data)) as package:
        return package.read("xl/worksheets/sheet1.xml").decode()
