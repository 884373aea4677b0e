"""data.police.uk street-level files: read, count and match to a partnership. Pure: no ORM.

A file is read exactly as published (``YYYY-MM-<force>-street.csv``): CRLF or LF line
endings, an optional byte-order mark, anti-social behaviour rows with a blank Crime ID
and outcome, "No Location" rows with a blank LSOA, quoted LSOA names containing commas
("Bournemouth, Christchurch and Poole 016E"), and rows in other forces' areas.

Each file is one force's month, and lists every crime the force recorded in it: its
month is the one its name declares (else the one most of its rows are in), and a row of
any other month is skipped, never counted as that month's figure.

Reading keeps only counts by month x crime type x LSOA, so a million-row year is a few
thousand keys; matching to a partnership (by the area part of the LSOA name) and to an
indicator (by its crime types) works on those counts, never on rows again.
"""

import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

HEADER = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
_CRIME_TYPE_SET = frozenset(CRIME_TYPES)
SOURCE = "police.uk"
SEPARATOR = ";"

# Why a row read is not counted for a partnership, in the order the report lists them.
NO_LOCATION = "no location (blank LSOA)"
MALFORMED = "malformed row"
OUTSIDE_AREA = "outside the partnership's local authorities"
TYPE_NOT_COUNTED = "crime type counted by no indicator"
OTHER_MONTH = "a month other than its file's own"
SKIP_REASONS = (NO_LOCATION, MALFORMED, OTHER_MONTH, OUTSIDE_AREA, TYPE_NOT_COUNTED)

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])\Z")
# The longest LSOA code, and LSOA name, force or outcome, that opendata/models.py keeps:
# a row with a longer one is malformed (police.uk's own are far shorter).
LSOA_CODE_LENGTH = 12
NAME_LENGTH = 120
_LSOA_SUFFIX = re.compile(r" \d{3}[A-Z]\Z")

Key = tuple[str, str, str]  # (month "YYYY-MM", crime type, LSOA code)
OutcomeKey = tuple[str, str, str, str]  # (month, crime type, LSOA code, last outcome)
ForceKey = tuple[str, str, str]  # (force, month, crime type)

# "Last outcome category" values that mean a suspect was charged or summonsed: the
# court outcomes and "awaiting court outcome" (police.uk's outcome list, data.police.uk/about).
CHARGED_OUTCOMES = frozenset(
    {
        "Awaiting court outcome",
        "Court result unavailable",
        "Court case unable to proceed",
        "Defendant found not guilty",
        "Defendant sent to Crown Court",
        "Offender deprived of property",
        "Offender fined",
        "Offender given a community sentence",
        "Offender given absolute discharge",
        "Offender given conditional discharge",
        "Offender given suspended prison sentence",
        "Offender ordered to pay compensation",
        "Offender otherwise dealt with",
        "Offender sent to prison",
        "Suspect charged as part of another case",
    }
)


class NotStreetFile(ValueError):
    """The file is not a police.uk street-level file (its header differs)."""


class RepeatedMonth(ValueError):
    """A second file of a force's month: read with the first, each crime would count twice."""


class DamagedFile(ValueError):
    """A file csv cannot parse, or one holding a NUL character no field can store."""


def csv_trouble(error: csv.Error, line: int) -> str:
    """Why csv gave up on a file, in plain words, with the line it stopped at: a cell past
    csv's limit comes of a quotation mark never closed, most often."""
    if "field limit" in str(error):
        what = f"a cell runs on past {csv.field_size_limit():,} characters"
    else:
        what = str(error)
    return f"it stops at line {line:,}, where {what}"


def _unparsable(name: str, line: int, error: csv.Error) -> DamagedFile:
    return DamagedFile(
        f"{name} cannot be read as CSV: {csv_trouble(error, line)}. The file is damaged, "
        "perhaps by a quotation mark that is never closed: download it again from data.police.uk"
    )


@dataclass
class StreetCounts:
    """What one or more street-level files hold, as counts."""

    rows: int = 0
    no_location: int = 0
    malformed: int = 0
    other_month: int = 0
    # (file, month) -> rows of a month other than the file's own, skipped
    other_months: Counter = field(default_factory=Counter)
    file_months: dict[str, str] = field(default_factory=dict)  # file -> its own month
    force_months: dict[tuple[str, str], str] = field(default_factory=dict)  # -> its file
    counts: Counter = field(default_factory=Counter)  # Key -> rows
    lsoa_names: dict[str, str] = field(default_factory=dict)
    outcomes: Counter = field(default_factory=Counter)  # OutcomeKey -> crimes with an outcome
    force_counts: Counter = field(default_factory=Counter)  # ForceKey -> rows, located or not
    lsoa_forces: dict[str, str] = field(default_factory=dict)  # LSOA code -> force of its file
    files: list[str] = field(default_factory=list)

    @property
    def months(self) -> list[str]:
        return sorted({month for month, _, _ in self.counts})


def split_list(text: str) -> list[str]:
    """'Plymouth; Torbay' -> ['Plymouth', 'Torbay']: the ;-separated contract columns."""
    return [part.strip() for part in (text or "").split(SEPARATOR) if part.strip()]


def join_list(parts: Iterable[str]) -> str:
    return SEPARATOR.join(parts)


def area_of(lsoa_name: str) -> str:
    """The local authority part of an LSOA name: 'Plymouth 001A' is 'Plymouth'."""
    return _LSOA_SUFFIX.sub("", lsoa_name.strip())


def month_start(month: str) -> datetime.date:
    """'2024-01' -> 1 January 2024."""
    year, number = month.split("-")
    return datetime.date(int(year), int(number), 1)


def read_street_csv(
    lines: Iterable[str], *, name: str = "", into: StreetCounts | None = None
) -> StreetCounts:
    """Count one file's rows by month x crime type x LSOA (added to ``into`` if given).

    ``lines`` is the file opened as text with ``newline=""`` (or any iterable of lines:
    csv copes with CRLF and LF alike). Raises NotStreetFile if the header is not
    police.uk's, and RepeatedMonth (adding nothing) if ``into`` holds the same force's
    month already, from a file of any name (a download kept twice, "... (1).csv").
    """
    result = into if into is not None else StreetCounts()
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise _unparsable(name or "the file", reader.line_num, error) from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    if header is None or tuple(h.strip() for h in header) != HEADER:
        raise NotStreetFile(f"{name or 'the file'} is not a police.uk street-level file")
    # One C call makes each row's key and one dict holds the counts: the loop costs about
    # a third of csv's own parse (the bench's floor). The LSOA name, force and outcome ride
    # in the key, then are folded: the first row seen for an LSOA names it, blank LSOAs
    # are counted as no location (and still count towards the force's total).
    width = len(HEADER)
    key_of = itemgetter(
        *(
            HEADER.index(c)
            for c in (
                "Month",
                "Crime type",
                "LSOA code",
                "LSOA name",
                "Falls within",
                "Last outcome category",
            )
        )
    )
    named: dict[tuple[str, str, str, str, str, str], int] = {}
    seen = named.get
    malformed = 0
    try:
        for row in reader:
            if len(row) == width:
                key = key_of(row)
                named[key] = seen(key, 0) + 1
            elif row:  # a blank line (a trailing one, usually) is no row
                malformed += 1
    except csv.Error as error:
        raise _unparsable(name or "the file", reader.line_num, error) from None
    nul = next((key for key in named if any("\x00" in part for part in key)), None)
    if nul is not None:
        raise DamagedFile(
            f"{name or 'the file'} holds a NUL character, which no field can store (in a "
            f"{nul[1].replace(chr(0), '')!r} row of {nul[0].replace(chr(0), '')!r}): the file "
            "is damaged. Download it again from data.police.uk"
        )
    rows = malformed + sum(named.values())
    # Checked on the keys, not per row: a few thousand, however long the file.
    bad_months = {key[0] for key in named if not _MONTH.match(key[0])}
    too_long = {key for key in named if _too_long(key)}
    by_month: Counter = Counter()
    for key, n in named.items():
        if key[0] not in bad_months and key[1] in _CRIME_TYPE_SET and key not in too_long:
            by_month[key[0]] += n
    own = own_month(name, by_month)
    force = next((key[4] for key in named if key[2] and key not in too_long), "") or _force_of(name)
    if own is not None:
        if (force, own) in result.force_months:
            earlier = result.force_months[force, own]
            raise RepeatedMonth(_repeated(name or "the file", earlier, force, own))
        result.force_months[force, own] = name or "the file"
        result.file_months[name or "the file"] = own
    plain, outcomes, forces = result.counts, result.outcomes, result.force_counts
    name_first, force_first = result.lsoa_names.setdefault, result.lsoa_forces.setdefault
    no_location = other_month = 0
    for key, n in named.items():
        month, crime_type, code, lsoa_name, row_force, outcome = key
        if month in bad_months or crime_type not in _CRIME_TYPE_SET or key in too_long:
            malformed += n
            continue
        if month != own:
            other_month += n
            result.other_months[name or "the file", month] += n
            continue
        forces[force, month, crime_type] += n
        if not code:
            no_location += n
            continue
        plain[month, crime_type, code] += n
        if outcome:
            outcomes[month, crime_type, code, outcome] += n
        name_first(code, lsoa_name)
        force_first(code, row_force)
    result.rows += rows
    result.no_location += no_location
    result.malformed += malformed
    result.other_month += other_month
    if name:
        result.files.append(name)
    return result


def _repeated(name: str, earlier: str, force: str, month: str) -> str:
    """Why a second file of a force's month is refused, naming both files."""
    what = f"{force}'s file for {month_start(month):%B %Y}"
    if name == earlier:
        return f"{name} is chosen twice: import {what} once (read twice, each crime counts twice)"
    return (
        f"{earlier} and {name} are both {what}: import only one of them (read together, "
        "each crime counts twice)"
    )


def _too_long(key: tuple[str, str, str, str, str, str]) -> bool:
    """Whether a row's LSOA code, LSOA name, force or outcome is longer than is kept."""
    _, _, code, lsoa_name, force, outcome = key
    return len(code) > LSOA_CODE_LENGTH or max(map(len, (lsoa_name, force, outcome))) > NAME_LENGTH


def own_month(name: str, rows_by_month: Mapping[str, int]) -> str | None:
    """The month a file covers: the one its name declares ('2024-01-...-street.csv') if
    it has rows of it, else the month most of its rows are in (the later of a tie)."""
    declared = Path(name).name[:7]
    if rows_by_month.get(declared):
        return declared
    return max(rows_by_month, key=lambda month: (rows_by_month[month], month), default=None)


def _force_of(name: str) -> str:
    """'2024-01-devon-and-cornwall-street.csv' -> 'devon-and-cornwall' (when no row says)."""
    return re.sub(r"\A\d{4}-\d{2}-|-street\.csv\Z", "", name)


def street_files(paths: Iterable[str | Path]) -> list[Path]:
    """The street-level CSVs among these files and folders (folders searched throughout).

    The same file name twice (a month re-published, in two archive downloads) is read
    once: the later path given wins.
    """
    found: dict[str, Path] = {}
    for path in map(Path, paths):
        files = sorted(path.rglob("*-street.csv")) if path.is_dir() else [path]
        for file in files:
            found.pop(file.name, None)
            found[file.name] = file
    return list(found.values())


def read_paths(paths: Iterable[str | Path]) -> StreetCounts:
    """Count every street-level file among these files and folders."""
    result = StreetCounts()
    for file in street_files(paths):
        with file.open(encoding="utf-8-sig", newline="") as handle:
            read_street_csv(handle, name=file.name, into=result)
    return result


def read_upload(binary, *, name: str, into: StreetCounts) -> StreetCounts:
    """Count an uploaded file (a binary file object)."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    try:
        return read_street_csv(text, name=name, into=into)
    finally:
        text.detach()


@dataclass
class AreaMatch:
    """A partnership's share of some street counts."""

    rows_read: int
    matched: int
    skipped: dict[str, int]
    months: list[str]  # months with at least one row in the partnership's area
    counts: dict[Key, int]  # in the area, crime types some indicator counts
    lsoa_names: dict[str, str]
    # (month, crime type, last outcome) -> crimes in the area of the counted types
    outcomes: dict[tuple[str, str, str], int] = field(default_factory=dict)
    # (force, month, crime type) -> rows in the whole file of each force the area lies in
    force_counts: dict[ForceKey, int] = field(default_factory=dict)

    @property
    def listed(self) -> set[tuple[str, str]]:
        """(month, crime type) of the counted types with any row in the area's force files,
        in the area or not: a type listed nowhere in a month is unknown, not 0."""
        return {(month, crime_type) for _, month, crime_type in self.force_counts}


def match_area(
    street: StreetCounts, *, areas: Iterable[str], crime_types: Iterable[str]
) -> AreaMatch:
    """The rows in the partnership's local authorities, and why the others were skipped."""
    wanted_areas = {a.casefold() for a in areas}
    wanted_types = set(crime_types)
    in_area: dict[str, bool] = {}
    months: set[str] = set()
    counts: dict[Key, int] = {}
    outside = not_counted = 0
    for key, n in street.counts.items():
        month, crime_type, code = key
        inside = in_area.get(code)
        if inside is None:
            inside = in_area[code] = (
                area_of(street.lsoa_names.get(code, "")).casefold() in wanted_areas
            )
        if not inside:
            outside += n
            continue
        months.add(month)
        if crime_type in wanted_types:
            counts[key] = n
        else:
            not_counted += n
    skipped = {
        NO_LOCATION: street.no_location,
        MALFORMED: street.malformed,
        OTHER_MONTH: street.other_month,
        OUTSIDE_AREA: outside,
        TYPE_NOT_COUNTED: not_counted,
    }
    outcomes: Counter = Counter()
    for (month, crime_type, code, outcome), n in street.outcomes.items():
        if crime_type in wanted_types and in_area.get(code):
            outcomes[month, crime_type, outcome] += n
    forces = {street.lsoa_forces.get(code) for code, inside in in_area.items() if inside}
    return AreaMatch(
        rows_read=street.rows,
        matched=sum(counts.values()),
        skipped=skipped,
        months=sorted(months),
        counts=counts,
        lsoa_names={code: street.lsoa_names[code] for _, _, code in counts},
        outcomes=dict(outcomes),
        force_counts={
            key: n
            for key, n in street.force_counts.items()
            if key[0] in forces and key[2] in wanted_types
        },
    )


def monthly_totals(
    counts: Mapping[Key, int],
    *,
    months: Iterable[str],
    crime_types: Iterable[str],
    listed: Collection[tuple[str, str]],
) -> dict[str, int]:
    """An indicator's count per month: the rows of its crime types in the area.

    A force's month file lists every crime it recorded, so a type it lists but not in the
    area is a true 0 there. A month whose files list none of the types at all (``listed``:
    (month, crime type) with any row in the force) is left out: missing, never 0.
    """
    types = set(crime_types)
    totals = {m: 0 for m in months if any((m, t) in listed for t in types)}
    for (month, crime_type, _), n in counts.items():
        if crime_type in types and month in totals:
            totals[month] += n
    return totals


def by_lsoa(counts: Mapping[Key, int], *, month: str, crime_types: Iterable[str]) -> dict[str, int]:
    """One month's count per LSOA for these crime types."""
    types = set(crime_types)
    result: Counter = Counter()
    for (m, crime_type, code), n in counts.items():
        if m == month and crime_type in types:
            result[code] += n
    return dict(result)


def by_ward(lsoa_counts: Mapping[str, int], wards: Mapping[str, str]) -> dict[str | None, int]:
    """LSOA counts summed by ward (None: LSOAs the lookup does not name)."""
    result: Counter = Counter()
    for code, n in lsoa_counts.items():
        result[wards.get(code)] += n
    return dict(result)


NOT_IN_LOOKUP = "Not in the lookup"  # the ward of an LSOA the ward lookup does not name


@dataclass(frozen=True)
class HotspotRow:
    code: str  # the LSOA's code ("" for a ward)
    name: str  # the LSOA's name, or the ward's (NOT_IN_LOOKUP for LSOAs it does not name)
    ward: str | None  # an LSOA's ward; None if the lookup does not name it, or for a ward
    count: int


@dataclass(frozen=True)
class HotspotTable:
    lsoas: tuple[HotspotRow, ...]  # most crimes first; equal counts by name
    wards: tuple[HotspotRow, ...]  # likewise, NOT_IN_LOOKUP last; none without a lookup
    total: int  # every LSOA's crimes


def hotspot_rows(
    counts: Mapping[Key, int],
    names: Mapping[str, str],
    wards: Mapping[str, str],
    *,
    month: str,
    crime_types: Iterable[str],
) -> HotspotTable:
    """One month's counts of these crime types by LSOA and, with a ward lookup (LSOA code
    to ward name), by ward; the hotspot page's table and the report's. Counts are as
    counted: the caller shows 1 to 4 as [c] (``suppressed``)."""
    lsoas = by_lsoa(counts, month=month, crime_types=crime_types)
    lsoa_rows = sorted(
        (HotspotRow(code, names.get(code, code), wards.get(code), n) for code, n in lsoas.items()),
        key=lambda row: (-row.count, row.name),
    )
    ward_counts = by_ward(lsoas, wards) if wards else {}
    ward_rows = sorted(
        ward_counts.items(), key=lambda item: (item[0] is None, -item[1], item[0] or "")
    )
    return HotspotTable(
        lsoas=tuple(lsoa_rows),
        wards=tuple(HotspotRow("", ward or NOT_IN_LOOKUP, None, n) for ward, n in ward_rows),
        total=sum(lsoas.values()),
    )


_WARD_COLUMNS = {
    "lsoa": re.compile(r"(lsoa\d*cd|lsoa code)\Z", re.I),
    "code": re.compile(r"(wd\d*cd|ward code)\Z", re.I),
    "name": re.compile(r"(wd\d*nm|ward name)\Z", re.I),
}


def read_ward_lookup(lines: Iterable[str]) -> list[tuple[str, str, str]]:
    """(LSOA code, ward code, ward name) from an ONS LSOA-to-ward lookup or a plain CSV.

    Raises ValueError naming what is missing.
    """
    reader = csv.reader(lines)
    try:
        return _ward_rows(reader)
    except csv.Error as error:
        raise ValueError(
            f"The file cannot be read as CSV: {csv_trouble(error, reader.line_num)}. It may "
            "have a quotation mark that is never closed."
        ) from None


def _ward_rows(reader) -> list[tuple[str, str, str]]:
    header = [h.lstrip("\ufeff").strip() for h in next(reader, [])]
    where = {}
    for key, pattern in _WARD_COLUMNS.items():
        found = [i for i, h in enumerate(header) if pattern.match(h)]
        if not found:
            raise ValueError(
                "The lookup needs columns for the LSOA code, the ward code and the ward name "
                "(LSOA21CD, WD24CD, WD24NM or LSOA code, ward code, ward name)."
            )
        where[key] = found[0]
    rows: dict[str, tuple[str, str, str]] = {}
    first_row: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if not any(row):
            continue
        try:
            lsoa, code, name = (row[where[k]].strip() for k in ("lsoa", "code", "name"))
        except IndexError:
            raise ValueError(f"Row {number} has too few cells.") from None
        if not lsoa or not name:
            raise ValueError(f"Row {number} has no LSOA code or no ward name.")
        if "\x00" in lsoa + code + name:
            raise ValueError(f"Row {number} holds a NUL character, which no field can store.")
        earlier = rows.get(lsoa)
        if earlier is not None and earlier != (lsoa, code, name):
            raise ValueError(
                f"LSOA {lsoa} is in two wards: {_ward(earlier)} in row {first_row[lsoa]} and "
                f"{_ward((lsoa, code, name))} in row {number}. Keep one row for it."
            )
        rows.setdefault(lsoa, (lsoa, code, name))
        first_row.setdefault(lsoa, number)
    if not rows:
        raise ValueError(
            "The file has a header but no rows of LSOAs and their wards, so the lookup "
            "loaded before is kept."
        )
    return list(rows.values())


def _ward(row: tuple[str, str, str]) -> str:
    _, code, name = row
    return f"{name} ({code})" if code else name


def charged_share(outcomes: Mapping[str, int]) -> tuple[int, int]:
    """(crimes charged or summonsed, crimes with an outcome) from counts by last outcome."""
    total = sum(outcomes.values())
    return sum(n for outcome, n in outcomes.items() if outcome in CHARGED_OUTCOMES), total


def suppressed(count: int) -> str:
    """A count as a panel or the public may see it: 1 to 4 is '[c]' (disclosure control)."""
    if 1 <= count <= 4:
        return "[c]"
    return f"{count:,}"
