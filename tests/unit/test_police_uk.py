"""The police.uk street-level reader and counter, on the real sample files (no database)."""

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from opendata import police_uk

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "police_uk"
CITY_JAN = SAMPLE / "2024-01" / "2024-01-city-of-london-street.csv"
DEVON_JAN = SAMPLE / "2024-01" / "2024-01-devon-and-cornwall-street.csv"
HEADER_LINE = ",".join(police_uk.HEADER)


def _read(path: Path) -> police_uk.StreetCounts:
    return police_uk.read_paths([path])


def _plain_count(path: Path, area_prefix: str) -> Counter:
    """An independent count: csv.DictReader, rows whose LSOA name starts with the area."""
    with path.open(newline="", encoding="utf-8") as handle:
        return Counter(
            row["Crime type"]
            for row in csv.DictReader(handle)
            if row["LSOA name"].startswith(area_prefix + " ")
        )


def _text(*rows: str, newline: str = "\r\n") -> io.StringIO:
    return io.StringIO(newline.join((HEADER_LINE, *rows)) + newline, newline="")


ROW = (
    "abc,2024-01,City of London Police,City of London Police,-0.09,51.51,On or near X,"
    "{code},{name},{type},Under investigation,"
)


def _row(code="E01000001", name="City of London 001A", crime_type="Burglary") -> str:
    return ROW.format(code=code, name=name, type=crime_type)


@pytest.mark.parametrize(("path", "area"), [(DEVON_JAN, "Plymouth"), (CITY_JAN, "City of London")])
def test_counts_match_a_plain_csv_count(path, area):
    street = _read(path)
    match = police_uk.match_area(street, areas=[area], crime_types=police_uk.CRIME_TYPES)
    by_type = Counter()
    for (_, crime_type, _), n in match.counts.items():
        by_type[crime_type] += n
    assert by_type == _plain_count(path, area)
    assert match.matched == sum(_plain_count(path, area).values())
    assert match.months == ["2024-01"]


def test_plymouth_totals_for_an_indicator_match_a_plain_count():
    street = _read(DEVON_JAN)
    sac = ["Burglary", "Robbery", "Vehicle crime", "Theft from the person"]
    match = police_uk.match_area(street, areas=["Plymouth"], crime_types=sac)
    plain = _plain_count(DEVON_JAN, "Plymouth")
    totals = police_uk.monthly_totals(
        match.counts, months=match.months, crime_types=sac, listed=match.listed
    )
    assert totals == {"2024-01": sum(plain[t] for t in sac)}


def test_every_row_is_matched_or_skipped_for_a_reason():
    street = _read(DEVON_JAN)
    match = police_uk.match_area(street, areas=["Plymouth"], crime_types=["Burglary"])
    assert match.rows_read == 10871
    assert match.matched + sum(match.skipped.values()) == match.rows_read
    assert match.skipped[police_uk.NO_LOCATION] == 527  # grep -c "No Location"
    assert match.skipped[police_uk.MALFORMED] == 0


def test_crlf_and_lf_files_count_the_same():
    crlf = CITY_JAN.read_bytes()
    assert b"\r\n" in crlf
    lf = crlf.replace(b"\r\n", b"\n")
    a = police_uk.read_street_csv(io.StringIO(crlf.decode(), newline=""))
    b = police_uk.read_street_csv(io.StringIO(lf.decode(), newline=""))
    assert a.counts == b.counts and a.rows == b.rows == 734


def test_byte_order_mark_is_read_as_the_header():
    street = police_uk.read_street_csv(io.StringIO("\ufeff" + HEADER_LINE + "\n" + _row() + "\n"))
    assert street.rows == 1


def test_asb_rows_with_blank_crime_id_and_outcome_are_counted():
    street = _read(CITY_JAN)
    asb = sum(n for (_, t, _), n in street.counts.items() if t == "Anti-social behaviour")
    with CITY_JAN.open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Crime type"] == "Anti-social behaviour"]
    assert all(r["Crime ID"] == "" and r["Last outcome category"] == "" for r in rows)
    assert asb == sum(1 for r in rows if r["LSOA code"])


def test_no_location_rows_are_skipped_with_their_reason():
    street = _read(CITY_JAN)
    assert street.no_location == 77  # grep -c "No Location"
    assert all(code for _, _, code in street.counts)


def test_quoted_lsoa_name_with_a_comma_is_one_area():
    street = _read(DEVON_JAN)
    [code] = [c for c, name in street.lsoa_names.items() if "," in name]
    assert police_uk.area_of(street.lsoa_names[code]) == "Bournemouth, Christchurch and Poole"
    match = police_uk.match_area(
        street, areas=["Bournemouth, Christchurch and Poole"], crime_types=police_uk.CRIME_TYPES
    )
    assert match.matched >= 1


def test_rows_in_another_forces_area_are_skipped_as_outside():
    street = _read(CITY_JAN)
    match = police_uk.match_area(
        street, areas=["City of London"], crime_types=police_uk.CRIME_TYPES
    )
    assert match.skipped[police_uk.OUTSIDE_AREA] == 734 - 77 - 623  # Tower Hamlets, Hackney...
    assert all(
        police_uk.area_of(match.lsoa_names[code]) == "City of London" for _, _, code in match.counts
    )


def test_area_names_match_whatever_the_case():
    street = _read(CITY_JAN)
    lower = police_uk.match_area(street, areas=["city of london"], crime_types=["Burglary"])
    assert lower.matched == _plain_count(CITY_JAN, "City of London")["Burglary"]


def test_folders_are_read_throughout_and_files_combine():
    street = police_uk.read_paths([SAMPLE / "2024-01", SAMPLE / "2024-02"])
    assert street.months == ["2024-01", "2024-02"]
    assert len(street.files) == 3


def test_the_same_file_named_twice_is_read_once(tmp_path):
    newer = tmp_path / CITY_JAN.name
    newer.write_text(HEADER_LINE + "\r\n" + _row() + "\r\n")
    street = police_uk.read_paths([CITY_JAN, newer])
    assert street.rows == 1  # the re-published copy, given last, replaces the first


def test_a_second_file_of_a_forces_month_is_refused_naming_both(tmp_path):
    copy = tmp_path / "2024-01-city-of-london-street (1).csv"
    copy.write_bytes(CITY_JAN.read_bytes())
    with pytest.raises(police_uk.RepeatedMonth) as refused:
        police_uk.read_paths([CITY_JAN, copy])
    assert str(refused.value) == (
        "2024-01-city-of-london-street.csv and 2024-01-city-of-london-street (1).csv are "
        "both City of London Police's file for January 2024: import only one of them "
        "(read together, each crime counts twice)"
    )


def test_files_of_other_forces_or_months_are_not_repeats():
    street = police_uk.read_paths([CITY_JAN, DEVON_JAN, SAMPLE / "2024-02"])
    assert sorted(street.force_months) == [
        ("City of London Police", "2024-01"),
        ("City of London Police", "2024-02"),
        ("Devon & Cornwall Police", "2024-01"),
    ]


def test_a_file_with_another_header_is_refused():
    with pytest.raises(police_uk.NotStreetFile):
        police_uk.read_street_csv(io.StringIO("partnership,indicator,period,value\n"))


def test_malformed_rows_are_counted_not_fatal():
    street = police_uk.read_street_csv(
        _text(_row(), "too,few,cells", _row(crime_type="Not a type"), "", newline="\n")
    )
    assert street.rows == 3 and street.malformed == 2
    assert sum(street.counts.values()) == 1


def test_rows_with_fields_longer_than_kept_are_malformed_not_a_database_error():
    long_outcome = _row().replace("Under investigation", "x" * 121)
    street = police_uk.read_street_csv(
        _text(_row(), _row(code="E" * 13), _row(name="N" * 121), long_outcome, newline="\n")
    )
    assert street.rows == 4 and street.malformed == 3
    assert list(street.counts.values()) == [1]
    assert not street.outcomes.keys() - {
        ("2024-01", "Burglary", "E01000001", "Under investigation")
    }


@pytest.mark.parametrize(
    ("name", "area"),
    [
        ("Plymouth 001A", "Plymouth"),
        ("City of London 001F", "City of London"),
        ("Bournemouth, Christchurch and Poole 016E", "Bournemouth, Christchurch and Poole"),
        ("Plymouth", "Plymouth"),
    ],
)
def test_area_of_drops_the_trailing_code(name, area):
    assert police_uk.area_of(name) == area


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (1, "[c]"), (2, "[c]"), (4, "[c]"), (5, "5"), (1234, "1,234")],
)
def test_suppressed_hides_counts_of_one_to_four(count, shown):
    assert police_uk.suppressed(count) == shown


def test_hotspot_rows_most_first_equal_counts_by_name_unlooked_up_wards_last():
    counts = {
        ("2024-01", "Burglary", "E01000003"): 7,
        ("2024-01", "Robbery", "E01000003"): 2,  # Cable Street: 7 + 2 = 9
        ("2024-01", "Burglary", "E01000001"): 9,  # Abbey Road: 9, the same
        ("2024-01", "Burglary", "E01000002"): 12,  # Bridge End: the most
        ("2024-01", "Burglary", "E01000004"): 3,  # Dock Lane: in no ward of the lookup
        ("2024-01", "Burglary", "E01000005"): 20,  # Eastfield: also in no ward
        ("2024-01", "Vehicle crime", "E01000001"): 50,  # a type not asked for
        ("2023-12", "Burglary", "E01000001"): 40,  # another month
    }
    names = {
        "E01000001": "Abbey Road",
        "E01000002": "Bridge End",
        "E01000003": "Cable Street",
        "E01000004": "Dock Lane",
        "E01000005": "Eastfield",
    }
    wards = {"E01000001": "North", "E01000002": "South", "E01000003": "North"}

    table = police_uk.hotspot_rows(
        counts, names, wards, month="2024-01", crime_types=["Burglary", "Robbery"]
    )

    # 20, 12, then the two 9s by name (Abbey Road before Cable Street), then 3.
    assert [(r.name, r.count) for r in table.lsoas] == [
        ("Eastfield", 20),
        ("Bridge End", 12),
        ("Abbey Road", 9),
        ("Cable Street", 9),
        ("Dock Lane", 3),
    ]
    assert [r.ward for r in table.lsoas] == [None, "South", "North", "North", None]
    # North 9 + 9 = 18; South 12; not in the lookup 20 + 3 = 23, yet last.
    assert [(r.name, r.count) for r in table.wards] == [
        ("North", 18),
        ("South", 12),
        (police_uk.NOT_IN_LOOKUP, 23),
    ]
    assert table.total == 20 + 12 + 9 + 9 + 3


def test_hotspot_rows_equal_wards_by_name_and_no_lookup_no_wards():
    counts = {("2024-01", "Burglary", "A"): 5, ("2024-01", "Burglary", "B"): 5}
    names = {"A": "Zeal 001A", "B": "Ashby 001B"}

    table = police_uk.hotspot_rows(
        counts, names, {"A": "Beta", "B": "Alpha"}, month="2024-01", crime_types=["Burglary"]
    )

    assert [r.name for r in table.lsoas] == ["Ashby 001B", "Zeal 001A"]
    assert [r.name for r in table.wards] == ["Alpha", "Beta"]
    assert (
        police_uk.hotspot_rows(counts, names, {}, month="2024-01", crime_types=["Burglary"]).wards
        == ()
    )


def test_by_lsoa_and_by_ward_sum_the_types_asked_for():
    counts = {
        ("2024-01", "Burglary", "A"): 3,
        ("2024-01", "Robbery", "A"): 2,
        ("2024-01", "Burglary", "B"): 1,
        ("2024-02", "Burglary", "A"): 9,
        ("2024-01", "Drugs", "C"): 4,
    }
    lsoas = police_uk.by_lsoa(counts, month="2024-01", crime_types=["Burglary", "Robbery"])
    assert lsoas == {"A": 5, "B": 1}
    assert police_uk.by_ward(lsoas, {"A": "Ward 1", "B": "Ward 1"}) == {"Ward 1": 6}
    assert police_uk.by_ward(lsoas, {"A": "Ward 1"}) == {"Ward 1": 5, None: 1}


def test_split_list_reads_the_contract_columns():
    assert police_uk.split_list(" Plymouth; Torbay ;") == ["Plymouth", "Torbay"]
    assert police_uk.split_list("") == []


def test_force_counts_are_the_whole_file_located_or_not():
    street = _read(DEVON_JAN)
    with DEVON_JAN.open(newline="", encoding="utf-8") as handle:
        plain = Counter(row["Crime type"] for row in csv.DictReader(handle))

    assert street.force_counts == Counter(
        {("Devon & Cornwall Police", "2024-01", t): n for t, n in plain.items()}
    )


def test_plymouth_outcomes_and_force_counts_match_a_plain_count():
    street = _read(DEVON_JAN)
    types = ["Burglary", "Vehicle crime"]
    with DEVON_JAN.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    plain = Counter(
        (row["Crime type"], row["Last outcome category"])
        for row in rows
        if row["LSOA name"].startswith("Plymouth ") and row["Crime type"] in types
    )
    force = Counter(row["Crime type"] for row in rows if row["Crime type"] in types)

    match = police_uk.match_area(street, areas=["Plymouth"], crime_types=types)

    assert match.outcomes == {("2024-01", t, o): n for (t, o), n in plain.items() if o}
    assert match.force_counts == {
        ("Devon & Cornwall Police", "2024-01", t): force[t] for t in types
    }


def test_force_counts_keep_only_forces_whose_file_holds_the_area():
    street = police_uk.read_paths([CITY_JAN, DEVON_JAN])

    match = police_uk.match_area(street, areas=["Plymouth"], crime_types=["Burglary"])

    assert {force for force, _, _ in match.force_counts} == {"Devon & Cornwall Police"}


def test_charged_share_counts_charge_and_summons_outcomes():
    outcomes = {
        "Awaiting court outcome": 3,  # charged, not yet tried
        "Offender sent to prison": 1,
        "Unable to prosecute suspect": 4,
        "Under investigation": 2,
    }

    assert police_uk.charged_share(outcomes) == (4, 10)
