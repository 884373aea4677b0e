"""Reading figures typed or pasted by people."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csp_portal.core.spreadsheet import one_line_end, spreadsheet_safe, spreadsheet_text
from indicators.validation import (
    FigureError,
    check_figure,
    check_size,
    check_target,
    number_example,
    parse_figure,
    parse_number,
    profile_drops,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", None),
        ("   ", None),
        (None, None),
        ("148", Decimal(148)),
        ("1,149", Decimal(1149)),
        (" 12.5 ", Decimal("12.5")),
        ("88%", Decimal(88)),
        ("12,586.0", Decimal("12586.0")),
        ("-3", Decimal(-3)),
        (7, Decimal(7)),
        # Spaces between groups of three digits are thousands separators, as commas are.
        ("1 250", Decimal(1250)),
        ("1\u00a0250", Decimal(1250)),  # a non-breaking space, as spreadsheets copy it
        ("12 345 678.5", Decimal("12345678.5")),
        ("-1 250", Decimal(-1250)),
    ],
)
def test_parse_number_reads_what_people_type(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "N/A",
        "n/a",
        "twelve",
        "1,14,9",
        "1.2.3",
        "nan",
        "inf",
        "--",
        # Decimal() reads these; a person typing them means something else, or a typo.
        "1e3",
        "1E3",
        "1_000",
        "\u0661\u0662",  # Arabic-Indic digits
        "\uff11\uff12",  # full-width digits
        "1,\u0662\u0663\u0664",
        ".",
        "-",
        # A space anywhere else is not a thousands separator: "12 50" is not 1250.
        "12 50",
        "1 500 00",
        "1250 000",
        "1 2",
        "- 5",
        "1 250.5 0",
    ],
)
def test_parse_number_non_number_is_a_clear_error(raw):
    with pytest.raises(FigureError, match="must be a number"):
        parse_number(raw, label="April")


def test_parse_number_error_names_the_field_and_the_input():
    with pytest.raises(FigureError) as error:
        parse_number("N/A", label="SP 09 Police recorded hate crime")
    assert "SP 09 Police recorded hate crime" in str(error.value)
    assert "'N/A'" in str(error.value)


@pytest.mark.parametrize(
    "measure, example",
    [("count", "148"), ("percentage", "12.5"), ("rate", "12.5"), ("snapshot", "148 or 12.5")],
)
def test_parse_number_error_gives_an_example_the_measure_takes(measure, example):
    with pytest.raises(FigureError) as error:
        parse_number("N/A", label="April", example=number_example(measure))
    assert str(error.value) == f"April must be a number, like {example} ('N/A' is not a number)."


def test_parse_number_says_leave_it_blank_only_where_blank_is_no_figure():
    with pytest.raises(FigureError) as error:
        parse_number("inf", label="April", blank_is_no_figure=True)
    assert str(error.value) == (
        "April must be a number, like 148 ('inf' is not a number). "
        "Leave it blank if there is no figure yet."
    )


@pytest.mark.parametrize(
    "measure, value, numerator, denominator, message",
    [
        ("count", Decimal(-3), None, None, "cannot be negative"),
        ("count", Decimal("2.5"), None, None, "whole number"),
        ("percentage", None, Decimal(12), Decimal(10), "cannot be more than the denominator"),
        ("percentage", None, Decimal(5), None, "both the numerator and the denominator"),
        ("percentage", None, None, Decimal(5), "both the numerator and the denominator"),
        ("percentage", None, Decimal(0), Decimal(0), "denominator must be more than 0"),
        ("percentage", None, Decimal(-1), Decimal(10), "numerator cannot be negative"),
        ("percentage", Decimal(88), None, None, "not only the percentage"),
        ("rate", None, Decimal(5), None, "or neither"),
        ("rate", None, Decimal(-5), Decimal(1000), "numerator cannot be negative"),
    ],
)
def test_check_figure_refuses_impossible_figures(measure, value, numerator, denominator, message):
    with pytest.raises(FigureError, match=message):
        check_figure(measure, value, numerator, denominator)


@pytest.mark.parametrize(
    "measure, value, numerator, denominator, expected",
    [
        ("count", Decimal(0), None, None, Decimal(0)),
        ("count", None, None, None, None),
        ("percentage", None, Decimal(8), Decimal(9), Decimal("88.8889")),
        ("percentage", None, Decimal(10), Decimal(10), Decimal(100)),
        ("percentage", None, None, None, None),
        ("rate", None, Decimal(263), Decimal(263100), Decimal("0.9996")),
        ("snapshot", Decimal("4.5"), None, None, Decimal("4.5")),
    ],
)
def test_check_figure_value_to_store(measure, value, numerator, denominator, expected):
    assert check_figure(measure, value, numerator, denominator) == expected


def test_check_figure_percentage_typed_beside_its_parts_must_agree():
    assert check_figure("percentage", Decimal(88), Decimal(8), Decimal(9)) == Decimal("88.8889")
    with pytest.raises(FigureError, match="does not match the numerator and denominator"):
        check_figure("percentage", Decimal(50), Decimal(8), Decimal(9))


# A rate is numerator / denominator x 1,000. Worked by hand: 100 of 1,000 is 100 per 1,000;
# 263 of 263,100 is 0.99961..., stored to 4 places as 0.9996. A value typed beside the parts
# is checked against them to the last place it gives (1 is 0.9996 to whole numbers, 0.9 to
# one place, as Excel would show it rounded or cut), then the parts' rate is stored.
@pytest.mark.parametrize(
    "value, numerator, denominator, expected",
    [
        (None, "100", "1000", "100"),
        ("100", "100", "1000", "100"),
        ("100.0", "100", "1000", "100"),
        ("100.04", "100", "1000", "100"),
        ("1", "263", "263100", "0.9996"),
        ("0.9", "263", "263100", "0.9996"),
        ("0.9996", "263", "263100", "0.9996"),
        ("0.99", "263", "263100", "0.9996"),
    ],
)
def test_check_figure_rate_with_its_parts_stores_the_parts_rate(
    value, numerator, denominator, expected
):
    value = None if value is None else Decimal(value)
    stored = check_figure("rate", value, Decimal(numerator), Decimal(denominator))
    assert stored == Decimal(expected)


@pytest.mark.parametrize(
    "value, numerator, denominator, message",
    [
        # Review finding: imported as 5, shown as 5 in one place and 100 in another.
        (
            "5",
            "100",
            "1000",
            "5 per 1,000 does not match the numerator and denominator, which give 100.0 per 1,000.",
        ),
        (
            "101",
            "100",
            "1000",
            "101 per 1,000 does not match the numerator and denominator, "
            "which give 100.0 per 1,000.",
        ),
        (
            "100.1",
            "100",
            "1000",
            "100.1 per 1,000 does not match the numerator and "
            "denominator, which give 100.0 per 1,000.",
        ),
        (
            "0.8",
            "263",
            "263100",
            "0.8 per 1,000 does not match the numerator and denominator, which give 1.0 per 1,000.",
        ),
        (
            "2",
            "263",
            "263100",
            "2 per 1,000 does not match the numerator and denominator, which give 1.0 per 1,000.",
        ),
    ],
)
def test_check_figure_rate_typed_beside_its_parts_must_agree(
    value, numerator, denominator, message
):
    with pytest.raises(FigureError) as error:
        check_figure(
            "rate", Decimal(value), Decimal(numerator), Decimal(denominator), label="SS 06"
        )
    assert str(error.value) == f"SS 06: {message}"


@pytest.mark.parametrize(
    "raw, measure, expected",
    [
        ("50", "count", Decimal(50)),
        ("1,149", "count", Decimal(1149)),
        ("", "count", None),
        ("12.5", "rate", Decimal("12.5")),
        ("-3", "count", Decimal(-3)),  # read, then refused as negative by check_figure
    ],
)
def test_parse_figure_reads_a_figure(raw, measure, expected):
    assert parse_figure(raw, "SP 01", measure=measure) == expected


@pytest.mark.parametrize(
    "raw, measure, part, message",
    [
        ("50%", "count", False, "SP 01 is a count: enter 50, not 50%."),
        ("1,234 %", "count", False, "SP 01 is a count: enter 1,234, not 1,234%."),
        ("12.5%", "rate", False, "SP 01 is a rate per 1,000: enter 12.5, not 12.5%."),
        ("40%", "snapshot", False, "SP 01 is a point-in-time value: enter 40, not 40%."),
        (
            "88%",
            "percentage",
            False,
            "SP 01 is a percentage: enter its numerator and denominator, not 88%.",
        ),
        (
            "50%",
            "percentage",
            True,
            "SP 01 is a count: enter 50, not 50% (the percentage is worked out from the "
            "numerator and denominator).",
        ),
        ("50%", "rate", True, "SP 01 is a count: enter 50, not 50%."),
    ],
)
def test_parse_figure_refuses_a_percent_sign_saying_what_to_enter(raw, measure, part, message):
    with pytest.raises(FigureError) as error:
        parse_figure(raw, "SP 01", measure=measure, part=part)
    assert str(error.value) == message


@pytest.mark.parametrize("raw", ["1e3", "1_000", "\u0661\u0662", "+5", "x%", "%"])
def test_parse_figure_refuses_what_is_not_plainly_a_number(raw):
    with pytest.raises(FigureError) as error:
        parse_figure(raw, "SP 01", measure="count", blank_is_no_figure=True)
    assert str(error.value) == (
        f"SP 01 must be a number, like 148 ('{raw}' is not a number). "
        "Leave it blank if there is no figure yet."
    )


def test_parse_number_still_reads_a_target_typed_with_a_percent_sign():
    assert parse_number("-5%", label="The target") == Decimal(-5)
    assert parse_number("12.5 %", label="The target") == Decimal("12.5")


@pytest.mark.parametrize(
    "text, safe",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1752", "'+44 1752"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-3", "-3"),
        ("-12.5", "-12.5"),
        ("Hate crime", "Hate crime"),
        ("", ""),
        # Text that already starts with an apostrophe before a formula's first character
        # keeps it through an export and an import.
        ("'=A1 is the cell", "''=A1 is the cell"),
        ("'quoted", "'quoted"),
    ],
)
def test_spreadsheet_safe_text_round_trips(text, safe):
    assert spreadsheet_safe(text) == safe
    assert spreadsheet_text(safe) == text


@given(st.text(max_size=12))
def test_spreadsheet_safe_text_always_round_trips(text):
    # Line ends come back as "\n", as the import stores them ("\r\n" and a lone "\r").
    assert spreadsheet_text(spreadsheet_safe(text)) == one_line_end(text)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("999999999999", Decimal("999999999999")),
        ("999999999999.999", Decimal("999999999999.999")),
        ("12345678.1234", Decimal("12345678.1234")),
        ("12.50000", Decimal("12.5")),
        ("-0.0001", Decimal("-0.0001")),
    ],
)
def test_check_size_takes_what_the_fields_hold(raw, expected):
    assert check_size(parse_number(raw)) == expected


@pytest.mark.parametrize(
    "raw, message",
    [
        ("1000000000000", "too many digits (at most 12 before the decimal point)"),
        ("999999999999.9999", "too many digits (at most 15 in all)"),
        ("99999999999999999999", "too many digits"),
        ("1.123456", "too many decimal places (at most 4)"),
        (Decimal("1e20"), "too many digits"),
        (Decimal("-1e30"), "too many digits"),
        (Decimal("1e-7"), "too many decimal places"),
    ],
)
def test_check_size_refuses_what_the_fields_cannot_hold(raw, message):
    with pytest.raises(FigureError, match=re.escape(message)):
        check_size(parse_number(raw), "SP 01")


def test_check_figure_refuses_a_derived_rate_too_big_to_store():
    with pytest.raises(FigureError, match="too many digits"):
        check_figure("rate", None, Decimal("999999999999"), Decimal("0.0001"))


@pytest.mark.parametrize(
    "measure, kind, value, message",
    [
        ("count", "annual", "-1", "cannot be negative"),
        ("count", "cumulative", "-50", "cannot be negative"),
        ("percentage", "annual", "250", "cannot be more than 100"),
        ("percentage", "cumulative", "500", "cannot be more than 100"),
        ("count", "change_pct", "-150", "a reduction cannot be more than 100%"),
        ("count", "annual", "1e20", "too many digits"),
    ],
)
def test_check_target_refuses_what_cannot_be_a_target(measure, kind, value, message):
    with pytest.raises(FigureError, match=message):
        check_target(measure, kind, Decimal(value))


@pytest.mark.parametrize(
    "measure, kind, value",
    [
        ("count", "change_pct", "-100"),
        ("count", "change_pct", "250"),
        ("percentage", "annual", "100"),
        ("rate", "annual", "250"),
    ],
)
def test_check_target_takes_what_can_be_a_target(measure, kind, value):
    assert check_target(measure, kind, Decimal(value)) == Decimal(value)


def test_profile_drops_names_each_period_below_the_one_before_for_counts_only():
    points = {1: Decimal(50), 3: Decimal(40), 2: Decimal(60), 4: Decimal(70)}
    assert profile_drops("count", points) == [3]
    assert profile_drops("percentage", points) == []


@pytest.mark.parametrize(
    ("words", "kwargs", "text"),
    [
        ([], {}, ""),
        (["A"], {}, "A"),
        (["A", "B"], {}, "A and B"),
        (["A", "B", "C"], {"last": "or"}, "A, B or C"),
        (["A", "B and C", "D"], {"between": "; "}, "A; B and C; and D"),
    ],
)
def test_lists_are_written_one_way(words, kwargs, text):
    from csp_portal.core.text import joined

    assert joined(words, **kwargs) == text


def test_parse_number_a_dash_says_enter_0_if_it_means_zero():
    """Review finding: Excel's accounting format writes a zero as "-", and the message
    said only to leave the box blank, which records no figure."""
    with pytest.raises(FigureError) as error:
        parse_number("-", label="April", blank_is_no_figure=True)
    assert str(error.value) == (
        "April must be a number, like 148 ('-' is not a number). "
        "Leave it blank if there is no figure yet (if it means zero, enter 0)."
    )
