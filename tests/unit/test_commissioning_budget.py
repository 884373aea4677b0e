"""Commissioning totals and warnings, worked by hand from seed 002 (Safer Plymouth 2017-18)."""

import datetime
from decimal import Decimal

import pytest

from commissioning.budget import (
    AMOUNT,
    AWAITING,
    NONE,
    TBC,
    LineFacts,
    MoneyError,
    PlanTotal,
    StreamFacts,
    add_months,
    format_money,
    is_unconfirmed,
    line_warnings,
    parse_money,
    plan_total,
    stream_totals,
    stream_warnings,
    unconfirmed_count,
)

D = Decimal
PCC = StreamFacts(1, "Police and Crime Commissioner grant", D("400568"))


def _line(key, reference, contribution_status, amount=None, **extra):
    contribution = None if amount is None else D(amount)
    return LineFacts(key, reference, 1, contribution_status, contribution, **extra)


# The eight lines of the Integrated Commissioning table, in the paper's order.
SEED_002 = [
    _line(1, "CI 01", AMOUNT, "110000"),  # domestic abuse contract, total £501,753
    _line(2, "CI 02", AMOUNT, "25000"),  # sexual violence counselling, total £75,000
    _line(3, "CI 03", AMOUNT, "98500"),  # drug and alcohol treatment, total £2m
    _line(4, "CI 04", AWAITING),  # healthy relationships work with schools
    _line(5, "CI 05", TBC),  # awareness plan
    _line(6, "CI 06", TBC),  # anti-social behaviour
    _line(7, "CI 07", TBC),  # emerging threat, risk and harm
    _line(8, "CI 08", TBC),  # partnership infrastructure
]


def test_stream_totals_seed_002_count_only_amounts():
    # 110,000 + 25,000 + 98,500 = 233,500 confirmed; 400,568 - 233,500 = 167,068 left.
    [totals] = stream_totals([PCC], SEED_002)
    assert totals.confirmed == D("233500")
    assert totals.unallocated == D("167068")
    assert totals.confirmed_lines == (1, 2, 3)
    assert totals.unconfirmed_lines == (4, 5, 6, 7, 8)
    assert not totals.over_allocated
    assert totals.over_allocated_by == 0


def test_stream_totals_tbc_and_awaiting_lines_never_count_as_money():
    only_unconfirmed = [line for line in SEED_002 if line.contribution_status != AMOUNT]
    [totals] = stream_totals([PCC], only_unconfirmed)
    assert totals.confirmed == D("0")
    assert totals.unallocated == D("400568")
    assert len(totals.unconfirmed_lines) == 5


def test_unconfirmed_count_is_the_tbc_and_awaiting_lines():
    lines = [
        _line(1, "CI 01", AMOUNT, "110000"),
        _line(2, "CI 02", TBC),  # to be confirmed: 1
        _line(3, "CI 03", AWAITING),  # awaiting confirmation: 2
        _line(4, "CI 04", NONE),  # no contribution: not waiting on one
    ]

    assert unconfirmed_count(lines) == 2
    assert [is_unconfirmed(line) for line in lines] == [False, True, True, False]
    assert unconfirmed_count([]) == 0


def test_stream_totals_line_of_another_stream_not_counted():
    other = StreamFacts(2, "Council", D("1000"))
    lines = [*SEED_002, LineFacts(9, "X", 2, AMOUNT, D("999.99"))]
    pcc, council = stream_totals([PCC, other], lines)
    assert pcc.confirmed == D("233500")
    assert council.confirmed == D("999.99")
    assert council.unallocated == D("0.01")


def test_stream_totals_with_no_lines_leaves_all_unallocated():
    [totals] = stream_totals([PCC], [])
    assert totals.confirmed == 0 and totals.unallocated == D("400568")


def test_stream_warnings_over_allocation_names_the_excess():
    # A ninth line of £167,069 puts confirmed at 400,569: £1 over the grant.
    lines = [*SEED_002, _line(9, "CI 09", AMOUNT, "167069")]
    totals = stream_totals([PCC], lines)
    assert totals[0].unallocated == D("-1")
    assert totals[0].over_allocated_by == D("1")
    warnings = stream_warnings(totals)
    assert [w.kind for w in warnings] == ["over_allocated"]
    assert warnings[0].message == (
        "Confirmed contributions from Police and Crime Commissioner grant (£400,569) "
        "exceed its £400,568 by £1."
    )


def test_stream_warnings_exactly_allocated_is_no_warning():
    lines = [*SEED_002, _line(9, "CI 09", AMOUNT, "167068")]
    totals = stream_totals([PCC], lines)
    assert totals[0].unallocated == 0
    assert stream_warnings(totals) == []


TODAY = datetime.date(2017, 10, 15)


@pytest.mark.parametrize(
    "status, end, kinds",
    [
        # The domestic abuse contract runs to December 2017: within three months of 15 Oct.
        ("commissioned", datetime.date(2017, 12, 31), ["ends_soon"]),
        ("proposed", datetime.date(2017, 12, 31), ["ends_soon"]),
        ("commissioned", datetime.date(2018, 1, 15), ["ends_soon"]),  # exactly three months
        ("commissioned", datetime.date(2018, 1, 16), []),
        ("commissioned", TODAY, ["ends_soon"]),
        ("commissioned", datetime.date(2017, 10, 14), ["ended_still_commissioned"]),
        ("approved", datetime.date(2017, 10, 14), []),  # ended, not claimed to be running
        ("ended", datetime.date(2017, 12, 31), []),
        ("ended", datetime.date(2017, 1, 1), []),
    ],
)
def test_line_warnings_contract_end(status, end, kinds):
    line = _line(1, "CI 01", AMOUNT, "110000", status=status, end=end, last_update=TODAY)
    assert [w.kind for w in line_warnings(line, TODAY)] == kinds


@pytest.mark.parametrize(
    "status, start, last_update, kinds",
    [
        ("commissioned", None, datetime.date(2017, 7, 15), []),  # exactly a quarter ago
        ("commissioned", None, datetime.date(2017, 7, 14), ["no_recent_update"]),
        ("commissioned", None, None, ["no_recent_update"]),
        ("commissioned", datetime.date(2017, 9, 1), None, []),  # started less than a quarter ago
        ("commissioned", datetime.date(2017, 7, 15), None, []),  # started exactly a quarter ago
        ("commissioned", datetime.date(2017, 7, 14), None, ["no_recent_update"]),
        ("commissioned", datetime.date(2017, 4, 1), None, ["no_recent_update"]),
        ("proposed", None, None, []),  # nothing to report on yet
        ("ended", None, datetime.date(2016, 1, 1), []),
    ],
)
def test_line_warnings_progress(status, start, last_update, kinds):
    line = _line(1, "SLA 01", TBC, status=status, start=start, last_update=last_update)
    assert [w.kind for w in line_warnings(line, TODAY)] == kinds


def test_line_warnings_messages_read_as_sentences():
    line = _line(
        3,
        "SLA 01",
        TBC,
        status="commissioned",
        start=datetime.date(2010, 4, 1),
        end=datetime.date(2011, 3, 31),
        last_update=datetime.date(2011, 1, 20),
    )
    messages = [w.message for w in line_warnings(line, datetime.date(2026, 11, 29))]
    assert messages == [
        "SLA 01: the contract ended on 31 March 2011 but the line is still marked commissioned.",
        "SLA 01: no progress update since 20 January 2011, more than a quarter ago.",
    ]


@pytest.mark.parametrize(
    "amount, text",
    [
        (D("400568"), "£400,568"),
        (D("400568.00"), "£400,568"),
        (D("1234.5"), "£1,234.50"),
        (D("1234.50"), "£1,234.50"),
        (D("0"), "£0"),
        (D("0.05"), "£0.05"),
        (D("2000000"), "£2,000,000"),
        (D("-1"), "-£1"),
        (D("-167068.25"), "-£167,068.25"),
        (None, ""),
    ],
)
def test_format_money(amount, text):
    assert format_money(amount) == text


@pytest.mark.parametrize(
    "raw, amount",
    [
        ("12500.00", D("12500.00")),
        ("12500", D("12500.00")),
        ("£400,568", D("400568.00")),
        ("1,234.5", D("1234.50")),
        ("0", D("0.00")),
        ("1,000.50", D("1000.50")),
        ("£ 12 500", D("12500.00")),
        ("1 250.50", D("1250.50")),
        ("£1\u00a0000\u00a0000", D("1000000.00")),  # non-breaking spaces between thousands
        (".5", D("0.50")),
        ("", None),
        ("  ", None),
        ("-0", D("0.00")),  # nothing, whatever its sign
        ("-£0.00", D("0.00")),
        ("999,999,999,999.99", D("999999999999.99")),  # the most
    ],
)
def test_parse_money_reads_pounds_and_pence(raw, amount):
    assert parse_money(raw) == amount


@pytest.mark.parametrize(
    "raw, message",
    [
        ("-5", "cannot be negative"),
        ("12.345", "at most two decimal places"),
        ("tbc", "must be given in pounds"),
        ("NaN", "must be given in pounds"),
        ("1e3x", "must be given in pounds"),
        # What Decimal() reads but people do not write as money.
        ("1e3", "like 1000 or 1,000.50 \\('1e3' is not an amount\\)"),
        ("2e-2", "must be given in pounds"),
        ("1_000", "must be given in pounds"),
        ("\u0661\u0662\u0663", "must be given in pounds"),  # Arabic-Indic digits
        ("Infinity", "must be given in pounds"),
        ("+5", "must be given in pounds"),
        ("1,00", "must be given in pounds"),
        ("£-5", "cannot be negative"),
        ("-£5", "cannot be negative"),
        ("--5", "must be given in pounds"),
        # A space is a thousands separator only between groups of three digits.
        ("12 50", "like 1000 or 1,000.50 \\('12 50' is not an amount\\)"),
        ("1 500 00", "must be given in pounds"),
        ("1 500.5 0", "must be given in pounds"),
        ("1,000,000,000,000", "must be less than £1,000,000,000,000"),
    ],
)
def test_parse_money_refuses_bad_amounts(raw, message):
    with pytest.raises(MoneyError, match=message):
        parse_money(raw)


def test_parse_money_refuses_floats():
    with pytest.raises(TypeError):
        parse_money(0.1)


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (datetime.date(2017, 10, 15), 3, datetime.date(2018, 1, 15)),
        (datetime.date(2017, 11, 30), 3, datetime.date(2018, 2, 28)),
        (datetime.date(2018, 1, 31), -3, datetime.date(2017, 10, 31)),
        (datetime.date(2019, 11, 30), 3, datetime.date(2020, 2, 29)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_plan_total_adds_every_stream_by_hand():
    # Seed 002: the PCC grant, £400,568, of which £110,000 + £25,000 + £98,500 = £233,500
    # is confirmed; a second stream of £10,000 with £2,500 confirmed.
    totals = stream_totals(
        [
            StreamFacts(1, "PCC grant", D("400568")),
            StreamFacts(2, "Council", D("10000")),
        ],
        [
            LineFacts(1, "CI 01", 1, AMOUNT, D("110000")),
            LineFacts(2, "CI 02", 1, AMOUNT, D("25000")),
            LineFacts(3, "CI 03", 1, AMOUNT, D("98500")),
            LineFacts(4, "CI 04", 1, AWAITING, None),
            LineFacts(5, "L 01", 2, AMOUNT, D("2500")),
        ],
    )
    total = plan_total(totals)
    assert (total.streams, total.amount, total.confirmed, total.unallocated) == (
        2,
        D("410568"),
        D("236000"),
        D("174568"),
    )


def test_plan_total_never_lets_one_streams_spare_money_hide_anothers_over_allocation():
    # £300,000 of the £192,067.50 PCC grant is confirmed (£107,932.50 over); the council's
    # £75,000 has £75,000 left. Netted, £32,932.50 over would have hidden both.
    totals = stream_totals(
        [
            StreamFacts(1, "PCC grant", D("192067.50")),
            StreamFacts(2, "Council", D("75000")),
        ],
        [LineFacts(1, "CI 01", 1, AMOUNT, D("300000"))],
    )
    total = plan_total(totals)
    assert (total.confirmed, total.unallocated, total.over_allocated) == (
        D("300000"),
        D("75000"),
        (("PCC grant", D("107932.50")),),
    )


def test_plan_total_over_allocated_total_adds_each_streams_excess():
    # PCC grant £192,067.50 with £300,000 confirmed: £107,932.50 over; council £75,000
    # with £75,000.25: £0.25 over; community fund £5,000 with £1,000: £4,000 left, which
    # pays for neither. Over-allocated in total: £107,932.75.
    totals = stream_totals(
        [
            StreamFacts(1, "PCC grant", D("192067.50")),
            StreamFacts(2, "Council", D("75000")),
            StreamFacts(3, "Community fund", D("5000")),
        ],
        [
            LineFacts(1, "CI 01", 1, AMOUNT, D("300000")),
            LineFacts(2, "L 01", 2, AMOUNT, D("75000.25")),
            LineFacts(3, "C 01", 3, AMOUNT, D("1000")),
        ],
    )
    total = plan_total(totals)
    assert total.over_allocated_total == D("107932.75")
    assert total.unallocated == D("4000")


def test_plan_total_of_no_streams_is_zero():
    assert plan_total([]) == PlanTotal(0, D(0), D(0), D(0))
    assert plan_total([]).over_allocated_total == 0
