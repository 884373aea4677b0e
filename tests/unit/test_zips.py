"""Zip checks before a workbook is unpacked: bombs are refused from the central directory,
and Python's zipfile never unpacks more of a part than the size that directory declares."""

import io
import struct
import zipfile

import pytest

from csp_portal.core import zips


def bomb(megabytes: int, name: str = "xl/sharedStrings.xml") -> bytes:
    """A zip whose one part unpacks to ``megabytes`` MB of one letter (about 1,000:1)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(name, "w", force_zip64=True) as part,
    ):
        for _ in range(megabytes):
            part.write(b"A" * (1024 * 1024))
    return out.getvalue()


def plain(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_part_packed_beyond_any_spreadsheets_ratio_is_refused():
    data = bomb(6)
    assert len(data) < 100_000

    problem = zips.zip_problem(data)

    assert problem.startswith(
        "The workbook cannot be read: its part xl/sharedStrings.xml unpacks to "
    )
    assert "more than 100 times" in problem


def test_a_small_repetitive_part_is_not_a_bomb():
    # A sheet of empty rows packs tightly but is small: the row limit deals with it.
    assert zips.zip_problem(bomb(4)) is None


def test_a_workbook_unpacking_beyond_the_limit_is_refused_naming_what_to_do():
    data = plain({"a.xml": bytes(range(256)) * 8192, "b.xml": bytes(range(256)) * 8192})

    problem = zips.zip_problem(data, max_bytes=3 * 1024 * 1024, instead="Use the command.")

    assert problem == (
        "The workbook unpacks to 4 MB: a workbook can unpack to at most 3 MB when "
        "uploaded. Use the command."
    )
    assert zips.zip_problem(data) is None  # no limit: the command's files


def test_too_many_parts_are_refused(monkeypatch):
    monkeypatch.setattr(zips, "MAX_ENTRIES", 3)

    problem = zips.zip_problem(plain({f"{n}.xml": b"x" for n in range(4)}), what="tables.ods")

    assert problem.startswith("tables.ods cannot be read: it is made of 4 parts, more than")


def test_what_is_no_zip_is_left_to_the_reader():
    assert zips.zip_problem(b"partnership,indicator\n") is None


def test_a_file_object_is_given_back_at_its_start():
    source = io.BytesIO(plain({"a.xml": b"<a/>"}))

    assert zips.zip_problem(source) is None
    assert source.tell() == 0


def test_zipfile_unpacks_no_more_of_a_part_than_its_declared_size():
    """What the checks rely on: a zip whose directory understates a part's size cannot
    make zipfile (so openpyxl) unpack more than it declares."""
    data = bytearray(plain({"a.xml": b"A" * 10_000_000}))
    directory = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, directory + 24, 1000)  # central directory: uncompressed size
    struct.pack_into("<I", data, 22, 1000)  # the local header's too
    assert zips.zip_problem(bytes(data)) is None  # the lie passes the checks...

    read = 0
    with (
        zipfile.ZipFile(io.BytesIO(bytes(data))) as archive,
        archive.open("a.xml") as part,
        pytest.raises(zipfile.BadZipFile, match="CRC"),
    ):
        while chunk := part.read(1 << 16):
            read += len(chunk)
    assert read <= 1000  # ...but no more than the declared 1,000 bytes is ever unpacked
