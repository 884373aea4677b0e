"""Checks on a zip file (an .xlsx or .ods is one) before a reader unpacks it.

A few megabytes of zip can unpack to gigabytes (a "zip bomb"): openpyxl reads a
workbook's shared strings and styles whole before its first row, so a file within the
upload limit could hold a worker for minutes and take gigabytes of memory. The sizes
checked here are the ones the zip's central directory declares, which a made-up file
could understate; Python's zipfile, which openpyxl and the .ods reader use, never gives
more bytes of a part than its declared size (it stops there, and the part then fails its
CRC check), so the declared sizes bound what any of them unpacks
(tests/unit/test_zips.py checks that).
"""

import io
import zipfile
from pathlib import Path

# More parts than any spreadsheet has: each costs memory to list before anything is read.
MAX_ENTRIES = 10_000
# Text unpacks to 5-20 times its packed size; a part unpacking to more than this many
# times is made to be small in the file and huge in memory. Small parts (a sheet of
# empty rows) can be more repetitive than that, harmlessly.
MAX_RATIO = 100
RATIO_FROM_BYTES = 5 * 1024 * 1024


def zip_problem(
    source: bytes | Path | io.IOBase,
    *,
    max_bytes: int | None = None,
    what: str = "The workbook",
    instead: str = "",
) -> str | None:
    """Why the zip should not be unpacked (too many parts, a part packed far beyond any
    spreadsheet's ratio, or more than ``max_bytes`` unpacked in all, when ``instead`` says
    what to do), or None.

    A file that is no zip at all is no problem here: the reader says it cannot read it.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        if isinstance(source, io.IOBase) and source.seekable():
            source.seek(0)
    if len(parts) > MAX_ENTRIES:
        return (
            f"{what} cannot be read: it is made of {len(parts):,} parts, more than the "
            f"{MAX_ENTRIES:,} any spreadsheet needs. Save it again from your spreadsheet "
            "program and use that file."
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            return (
                f"{what} cannot be read: its part {part.filename} unpacks to "
                f"{ratio:,.0f} times its size in the file, which no spreadsheet does "
                f"(more than {MAX_RATIO} times). Save it again from your spreadsheet "
                "program and use that file."
            )
    total = sum(part.file_size for part in parts)
    if max_bytes is not None and total > max_bytes:
        return (
            f"{what} unpacks to {total / 1024 / 1024:,.0f} MB: a workbook can unpack to at "
            f"most {max_bytes // 1024 // 1024:,} MB when uploaded. {instead}"
        ).strip()
    return None
