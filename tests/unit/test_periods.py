from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.periods import (
    add_months,
    financial_year_of,
    fy_label,
    fy_months,
    month_label,
    month_start,
    months_span,
    months_to_date,
    parse_fy_label,
    parse_month,
    previous_quarter,
    quarter_label,
    quarter_months,
    quarter_of,
    same_month_last_year,
    short_month_label,
)

months = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)).map(month_start)
start_months = st.integers(min_value=1, max_value=12)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2016, 11, 30), date(2016, 11, 1)),
        (date(2016, 11, 1), date(2016, 11, 1)),
        (date(2016, 2, 29), date(2016, 2, 1)),
    ],
)
def test_month_start_any_day(day, expected):
    assert month_start(day) == expected


@pytest.mark.parametrize(
    ("month", "n", "expected"),
    [
        (date(2016, 11, 1), 1, date(2016, 12, 1)),
        (date(2016, 12, 1), 1, date(2017, 1, 1)),
        (date(2017, 3, 1), 1, date(2017, 4, 1)),
        (date(2017, 1, 1), -1, date(2016, 12, 1)),
        (date(2016, 4, 1), -12, date(2015, 4, 1)),
        (date(2016, 4, 1), 0, date(2016, 4, 1)),
        (date(2016, 4, 1), 25, date(2018, 5, 1)),
    ],
)
def test_add_months_crosses_years(month, n, expected):
    assert add_months(month, n) == expected


@pytest.mark.parametrize(
    ("month", "start_month", "expected"),
    [
        (date(2016, 4, 1), 4, 2016),
        (date(2017, 3, 1), 4, 2016),
        (date(2017, 4, 1), 4, 2017),
        (date(2016, 12, 1), 4, 2016),
        (date(2017, 1, 1), 4, 2016),
        (date(2017, 1, 1), 1, 2017),
        (date(2017, 12, 1), 1, 2017),
        (date(2017, 6, 1), 7, 2016),
        (date(2017, 7, 1), 7, 2017),
    ],
)
def test_financial_year_of_march_april_boundary(month, start_month, expected):
    assert financial_year_of(month, start_month) == expected


@pytest.mark.parametrize(
    ("year", "start_month", "expected"),
    [
        (2016, 4, "2016/17"),
        (1999, 4, "1999/00"),
        (2009, 4, "2009/10"),
        (2016, 1, "2016"),
    ],
)
def test_fy_label_names_year(year, start_month, expected):
    assert fy_label(year, start_month) == expected
    assert parse_fy_label(expected, start_month) == year


@pytest.mark.parametrize("label", ["2016/18", "16/17", "2016-17", "", "2016", "2016/17/18", "x"])
def test_parse_fy_label_bad_input(label):
    with pytest.raises(ValueError, match="is not a financial year"):
        parse_fy_label(label)


def test_parse_fy_label_says_what_follows():
    with pytest.raises(ValueError, match="2016 is followed by 17, not 18"):
        parse_fy_label("2016/18")


def test_fy_months_april_to_march():
    result = fy_months(2016)
    assert len(result) == 12
    assert result[0] == date(2016, 4, 1)
    assert result[-1] == date(2017, 3, 1)


def test_fy_months_january_start():
    assert fy_months(2017, start_month=1) == [date(2017, m, 1) for m in range(1, 13)]


@pytest.mark.parametrize(
    ("period", "start_month", "count", "first"),
    [
        (date(2016, 4, 1), 4, 1, date(2016, 4, 1)),
        (date(2016, 11, 1), 4, 8, date(2016, 4, 1)),
        (date(2017, 3, 1), 4, 12, date(2016, 4, 1)),
        (date(2017, 3, 1), 1, 3, date(2017, 1, 1)),
        (date(2016, 11, 17), 4, 8, date(2016, 4, 1)),
    ],
)
def test_months_to_date_from_fy_start(period, start_month, count, first):
    result = months_to_date(period, start_month)
    assert len(result) == count
    assert result[0] == first
    assert result[-1] == month_start(period)


@pytest.mark.parametrize(
    ("month", "expected"),
    [(date(2016, 11, 1), date(2015, 11, 1)), (date(2016, 2, 1), date(2015, 2, 1))],
)
def test_same_month_last_year_one_year_back(month, expected):
    assert same_month_last_year(month) == expected


@pytest.mark.parametrize(
    ("month", "start_month", "expected"),
    [
        (date(2016, 4, 1), 4, 1),
        (date(2016, 6, 1), 4, 1),
        (date(2016, 7, 1), 4, 2),
        (date(2016, 11, 1), 4, 3),
        (date(2016, 12, 1), 4, 3),
        (date(2017, 1, 1), 4, 4),
        (date(2017, 3, 1), 4, 4),
        (date(2017, 3, 1), 1, 1),
        (date(2017, 12, 1), 1, 4),
    ],
)
def test_quarter_of_financial_quarters(month, start_month, expected):
    assert quarter_of(month, start_month) == expected


@pytest.mark.parametrize(
    ("year", "quarter", "first"),
    [(2016, 1, date(2016, 4, 1)), (2016, 3, date(2016, 10, 1)), (2016, 4, date(2017, 1, 1))],
)
def test_quarter_months_three_in_order(year, quarter, first):
    assert quarter_months(year, quarter) == [first, add_months(first, 1), add_months(first, 2)]


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_quarter_months_bad_quarter(quarter):
    with pytest.raises(ValueError, match="quarter must be 1 to 4"):
        quarter_months(2016, quarter)


@pytest.mark.parametrize(
    ("year", "quarter", "expected"),
    [(2016, 1, (2015, 4)), (2016, 2, (2016, 1)), (2016, 4, (2016, 3))],
)
def test_previous_quarter_wraps_year(year, quarter, expected):
    assert previous_quarter(year, quarter) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-11", date(2016, 11, 1)),
        ("2017-01", date(2017, 1, 1)),
        (" 2016-04 ", date(2016, 4, 1)),
    ],
)
def test_parse_month_good_input(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    "text", ["2016-13", "2016-00", "2016-1", "16-11", "November", "", "0000-01"]
)
def test_parse_month_bad_input(text):
    with pytest.raises(ValueError, match=f"'{text}' is not a month"):
        parse_month(text)


def test_parse_month_not_a_string():
    with pytest.raises(ValueError, match="is not a month"):
        parse_month(201611)  # type: ignore[arg-type]


def test_financial_year_of_bad_start_month():
    with pytest.raises(ValueError, match="start month must be 1 to 12"):
        financial_year_of(date(2016, 4, 1), 13)


@pytest.mark.parametrize(
    ("month", "long", "short"),
    [
        (date(2016, 11, 1), "November 2016", "Nov 2016"),
        (date(2017, 3, 1), "March 2017", "Mar 2017"),
        (date(2016, 9, 1), "September 2016", "Sep 2016"),
    ],
)
def test_month_labels_in_english(month, long, short):
    assert month_label(month) == long
    assert short_month_label(month) == short


@settings(max_examples=200, deadline=None)
@given(month=months, n=st.integers(min_value=-600, max_value=600))
def test_add_months_inverse(month, n):
    assert add_months(add_months(month, n), -n) == month


@settings(max_examples=200, deadline=None)
@given(month=months, start_month=start_months)
def test_financial_year_of_contains_month(month, start_month):
    year = financial_year_of(month, start_month)
    assert month in fy_months(year, start_month)
    quarter = quarter_of(month, start_month)
    assert month in quarter_months(year, quarter, start_month)


@settings(max_examples=200, deadline=None)
@given(month=months, start_month=start_months)
def test_months_to_date_ends_at_period(month, start_month):
    result = months_to_date(month, start_month)
    year = financial_year_of(month, start_month)
    assert result == fy_months(year, start_month)[: len(result)]
    assert result[-1] == month


@settings(max_examples=200, deadline=None)
@given(month=months)
def test_parse_month_round_trip(month):
    assert parse_month(month.isoformat()[:7]) == month


@settings(max_examples=200, deadline=None)
@given(year=st.integers(min_value=1900, max_value=2200), start_month=start_months)
def test_fy_label_round_trip(year, start_month):
    assert parse_fy_label(fy_label(year, start_month), start_month) == year


@pytest.mark.parametrize(
    ("month", "start_month", "expected"),
    [
        (date(2016, 11, 1), 4, "Q3 2016/17"),
        (date(2017, 3, 1), 4, "Q4 2016/17"),
        (date(2016, 4, 1), 4, "Q1 2016/17"),
        (date(2016, 11, 1), 1, "Q4 2016"),
    ],
)
def test_quarter_label_names_the_financial_quarter(month, start_month, expected):
    assert quarter_label(month, start_month) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2005, 4, 1), date(2005, 4, 1), "April 2005"),
        (date(2016, 4, 1), date(2016, 11, 1), "April to November 2016"),
        (date(2016, 4, 1), date(2017, 3, 1), "April 2016 to March 2017"),
        (date(2015, 11, 1), date(2016, 1, 1), "November 2015 to January 2016"),
        (date(2016, 1, 1), date(2016, 1, 1), "January 2016"),
    ],
)
def test_months_span_names_one_month_once(first, last, expected):
    assert months_span(first, last) == expected
