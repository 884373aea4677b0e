"""A police.uk file is one force's month: rows of another month are skipped, and a crime
type the file lists nowhere is unknown, not 0 (no database)."""

import io

import pytest

from opendata import police_uk

HEADER_LINE = ",".join(police_uk.HEADER)
DECEMBER = "2016-12-devon-and-cornwall-street.csv"


def _row(month="2016-12", lsoa="E01015000", name="Plymouth 001A", crime_type="Burglary"):
    return (
        f"abc,{month},Devon & Cornwall Police,Devon & Cornwall Police,-4.1,50.3,On or near X,"
        f"{lsoa},{name},{crime_type},Under investigation,"
    )


def _read(*rows: str, name: str = DECEMBER) -> police_uk.StreetCounts:
    text = io.StringIO("\r\n".join((HEADER_LINE, *rows)) + "\r\n", newline="")
    return police_uk.read_street_csv(text, name=name)


@pytest.mark.parametrize(
    ("name", "rows_by_month", "own"),
    [
        (DECEMBER, {"2016-12": 3, "2016-11": 1}, "2016-12"),
        (DECEMBER, {"2016-12": 1, "2016-11": 9}, "2016-12"),  # the name decides
        ("2016-12/" + DECEMBER, {"2016-12": 1, "2016-11": 9}, "2016-12"),
        (DECEMBER, {"2016-11": 2}, "2016-11"),  # misnamed: its rows decide
        ("upload-street.csv", {"2016-12": 3, "2016-11": 1}, "2016-12"),
        ("", {"2016-11": 2, "2016-12": 2}, "2016-12"),  # a tie: the later
        ("", {}, None),
    ],
)
def test_own_month_is_the_declared_month_else_the_most_rows(name, rows_by_month, own):
    assert police_uk.own_month(name, rows_by_month) == own


def test_a_stray_row_of_another_month_is_skipped_not_counted():
    street = _read(*[_row()] * 3, _row(month="2016-11"))

    assert street.months == ["2016-12"]
    assert street.other_month == 1
    assert street.other_months == {(DECEMBER, "2016-11"): 1}
    assert street.file_months == {DECEMBER: "2016-12"}
    assert {month for _, month, _ in street.force_counts} == {"2016-12"}
    match = police_uk.match_area(street, areas=["Plymouth"], crime_types=["Burglary"])
    assert match.months == ["2016-12"] and match.matched == 3
    assert match.skipped[police_uk.OTHER_MONTH] == 1
    assert match.matched + sum(match.skipped.values()) == match.rows_read == 4


def test_a_file_of_stray_rows_alone_gives_no_month_of_figures():
    street = _read(_row(month="2016-11"), name="2016-12-x-street.csv")
    # Its only month is the one its rows are in: a misnamed file, not stray rows.
    assert street.months == ["2016-11"] and street.other_month == 0


# (crime types, rows in the force's file) -> the indicator's December figure, or missing.
@pytest.mark.parametrize(
    ("crime_types", "rows", "totals"),
    [
        # Listed in the force, none in Plymouth: a true 0.
        (["Anti-social behaviour"], [_row(name="Torbay 001A", lsoa="E01020000",
         crime_type="Anti-social behaviour")], {"2016-12": 0}),
        # Listed nowhere in the file: unknown, not 0.
        (["Anti-social behaviour"], [_row()], {}),
        # Listed only with no location: still listed by the force.
        (["Anti-social behaviour"], [_row(lsoa="", name="",
         crime_type="Anti-social behaviour")], {"2016-12": 0}),
        (["Burglary"], [_row(), _row()], {"2016-12": 2}),
        # One of its types listed: the others are counted as none.
        (["Burglary", "Robbery"], [_row(), _row()], {"2016-12": 2}),
    ],
)  # fmt: skip
def test_monthly_totals_leave_a_type_listed_nowhere_missing(crime_types, rows, totals):
    street = _read(_row(crime_type="Drugs"), *rows)
    match = police_uk.match_area(street, areas=["Plymouth"], crime_types=crime_types)

    found = police_uk.monthly_totals(
        match.counts, months=match.months, crime_types=crime_types, listed=match.listed
    )

    assert found == totals
