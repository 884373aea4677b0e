"""What reports take from the figures module beyond Figures itself, worked by hand; and the
pure parts of the report builder and CSV."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.figures import (
    IndicatorSpec,
    Point,
    compute,
    direction_of,
    month_rows,
    rolling_twelve,
    series_of,
    shares,
    shares_add_to_hundred,
    year_series,
)
from indicators.periods import add_months

APR_2015 = date(2015, 4, 1)
NOV_2016 = date(2016, 11, 1)
COUNT = IndicatorSpec(polarity="lower", measure="count")
# Seed 002, police recorded hate crime, April 2015 to November 2016.
HATE = [30, 25, 26, 17, 36, 25, 22, 38, 21, 20, 53, 32, 17, 25, 32, 54, 37, 45, 42, 35]


def hate_series():
    return series_of({add_months(APR_2015, i): v for i, v in enumerate(HATE)})


def test_month_rows_give_change_this_minus_last_and_cumulatives():
    figures = compute(IndicatorSpec("higher", "count"), hate_series(), NOV_2016)

    rows = {row.period: row for row in month_rows(figures)}

    assert len(rows) == 12
    april = rows[date(2016, 4, 1)]
    assert (april.last_year, april.this_year, april.change, april.cumulative) == (30, 17, -13, 17)
    november = rows[NOV_2016]
    assert (november.change, november.cumulative) == (-3, 287)
    december = rows[date(2016, 12, 1)]
    assert (december.last_year, december.this_year, december.change) == (21, None, None)


@pytest.mark.parametrize(
    "counts, expected",
    [
        ({"green": 1, "red": 3}, {"green": Decimal(25), "red": Decimal(75)}),
        ({"green": 0, "red": 0}, {"green": None, "red": None}),
        ({"a": 1, "b": 2}, {"a": Decimal(1) / 3 * 100, "b": Decimal(2) / 3 * 100}),
    ],
)
def test_shares_are_percentages_of_the_total(counts, expected):
    assert shares(counts) == expected


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 1000), min_size=1))
def test_shares_add_up_to_a_hundred_or_are_none(counts):
    result = shares(counts)
    if sum(counts.values()) == 0:
        assert set(result.values()) == {None}
    else:
        assert abs(sum(result.values()) - 100) < Decimal("1e-20")


@pytest.mark.parametrize(
    "polarity, change, pct, expected",
    [
        ("lower", Decimal(-10), Decimal(-5), "improving"),
        ("lower", Decimal(10), Decimal(5), "deteriorating"),
        ("higher", Decimal(10), Decimal(5), "improving"),
        ("lower", Decimal(1), Decimal("0.5"), "stable"),  # within the 1% band
        ("monitor", Decimal(10), Decimal(5), "none"),
        ("lower", None, None, "none"),
    ],
)
def test_direction_of_any_change_follows_the_year_to_date_rule(polarity, change, pct, expected):
    assert direction_of(IndicatorSpec(polarity, "count"), change, pct) == expected


def test_year_series_names_missing_months_none():
    values = year_series(COUNT, hate_series(), 2014)

    assert len(values) == 12 and all(v is None for _, v in values)
    assert year_series(COUNT, hate_series(), 2015)[0] == (APR_2015, 30)


@pytest.mark.parametrize(
    "months, period, current, previous, change",
    [
        # 24 months, 10 to 33, ending November 2016: Dec 2015 to Nov 2016 is 22..33.
        (24, NOV_2016, Decimal(330), Decimal(186), Decimal(144)),
        # 23 months: the earlier year lacks December 2014, so there is no comparison.
        (23, NOV_2016, Decimal(330), None, None),
        # A period before the figures start: nothing.
        (24, date(2015, 6, 1), None, None, None),
    ],
)
def test_rolling_twelve_months_needs_every_month(months, period, current, previous, change):
    start = add_months(NOV_2016, -(months - 1))
    series = series_of({add_months(start, i): 10 + i + (24 - months) for i in range(months)})

    rolling = rolling_twelve(COUNT, series, period)

    assert (rolling.current, rolling.previous, rolling.change) == (current, previous, change)


def test_rolling_twelve_for_a_percentage_divides_summed_parts():
    spec = IndicatorSpec("higher", "percentage")
    series = {
        add_months(date(2014, 12, 1), i): Point(Decimal(0), Decimal(1 + i % 2), Decimal(2))
        for i in range(24)
    }

    rolling = rolling_twelve(spec, series, NOV_2016)

    assert rolling.current == rolling.previous == Decimal(18) / Decimal(24) * 100
    assert rolling.change == 0


# The builder's pure parts ----------------------------------------------------------------


def entry(pk, status, direction, actions=()):
    return {"id": pk, "status": status, "direction": direction, "actions": list(actions)}


def test_key_findings_count_share_and_exceptions_red_first():
    from reports.builder import key_findings

    findings = key_findings(
        [
            entry(1, "amber", "improving"),
            entry(2, "red", "deteriorating", [{"title": "Patrols", "open": True}]),
            entry(3, "red", "stable"),
            entry(4, "none", "none"),
        ]
    )

    statuses = {row["key"]: (row["count"], row["pct"]) for row in findings["statuses"]}
    assert statuses == {
        "green": (0, "0"),
        "amber": (1, "25"),
        "red": (2, "50"),
        "no_target": (1, "25"),
    }
    assert findings["exceptions"] == [2, 3, 1]
    assert findings["red_without_action"] == [3]


def _ytd(within, *, variation="common cause", **fields):
    """An entry's year-to-date test (``within``: True, False or None, untested) and its SPC
    verdict."""
    return {
        "changes": {"ytd": {"z": None, "within": within}},
        "figures": {"variation": variation},
        "has_target": False,
        "polarity": "lower",
        **fields,
    }


def test_key_findings_count_the_changes_within_normal_variation_of_each_direction():
    """Review finding: Safer Plymouth's "4 Deteriorating" held SP 05, a fall within normal
    variation (z -1.1), with no word of it."""
    from reports.builder import key_findings

    findings = key_findings(
        [
            entry(1, "none", "deteriorating") | _ytd(False),
            entry(2, "none", "deteriorating") | _ytd(True),
            entry(3, "none", "deteriorating") | _ytd(None),  # a rate: not tested
            entry(4, "none", "improving") | _ytd(True),
            entry(5, "none", "stable") | _ytd(True),
            entry(6, "none", "none") | _ytd(True, polarity="monitor"),
        ]
    )

    rows = {row["key"]: row for row in findings["directions"]}
    assert (rows["deteriorating"]["count"], rows["deteriorating"]["within_normal_variation"]) == (
        3,
        1,
    )
    assert (rows["improving"]["count"], rows["improving"]["within_normal_variation"]) == (1, 1)
    # Stable and the rows with no direction say nothing of it.
    assert [key for key, row in rows.items() if "within_normal_variation" in row] == [
        "improving",
        "deteriorating",
    ]


def _compared_blocks():
    """Two partnerships side by side: A with changes within normal variation, B with no
    indicators at all."""
    a = [
        entry(1, "none", "deteriorating") | _ytd(False),
        entry(2, "none", "deteriorating") | _ytd(True),
        entry(3, "none", "improving") | _ytd(True),
        entry(4, "none", "stable") | _ytd(True),
    ]
    return [
        {"slug": "a", "name": "A", "indicators": a},
        {"slug": "b", "name": "B", "indicators": []},
    ]


def test_the_overview_comparison_counts_the_changes_within_normal_variation_as_key_findings():
    """Reader review: the comparison's "Deteriorating 2" left out the "(1 within normal
    variation)" the partnership's own key findings give."""
    from reports.builder import key_findings, overview_comparison

    blocks = _compared_blocks()
    comparison = overview_comparison(blocks)

    a, b = comparison["rows"]
    own = {
        row["key"]: row.get("within_normal_variation")
        for row in key_findings(blocks[0]["indicators"])["directions"]
    }
    compared = {item["key"]: item.get("within_normal_variation") for item in a["directions"]}
    assert compared == own
    assert (compared["deteriorating"], compared["improving"], compared["stable"]) == (1, 1, None)
    assert {item["key"]: item.get("within_normal_variation") for item in b["directions"]}[
        "deteriorating"
    ] == 0


def test_key_findings_list_other_notable_changes_by_exception():
    """Review finding: the key findings listed red and amber only, so SP 04's fall of 1,099
    (-25%, special cause concerning) and overall crime's rise of 570, both beyond normal
    variation and neither with a target, were never among them. Worked by hand: worse
    beyond normal variation, or special cause concerning, and neither red nor amber."""
    from reports.builder import key_findings

    findings = key_findings(
        [
            entry(1, "none", "deteriorating") | _ytd(False),  # overall crime: listed
            entry(2, "none", "deteriorating") | _ytd(True),  # within normal variation
            entry(3, "none", "deteriorating") | _ytd(None),  # untested rate
            entry(4, "none", "improving") | _ytd(True, variation="special cause concerning"),
            entry(5, "green", "deteriorating") | _ytd(False, has_target=True),  # green, worse
            entry(6, "red", "deteriorating") | _ytd(False, has_target=True),  # an exception
            entry(7, "amber", "none") | _ytd(None, variation="special cause concerning"),
            entry(8, "none", "improving") | _ytd(False, variation="special cause improving"),
            entry(9, "none", "none") | _ytd(False, polarity="monitor"),  # no better or worse
        ]
    )

    assert findings["exceptions"] == [6, 7]
    assert findings["notable"] == [1, 4, 5]


def test_shown_figures_index_both_years_by_month():
    from reports.builder import shown_figures

    snapshot = {
        "period": "2016-11-01",
        "cover": {"contact_officer": "Analyst"},
        "indicators": {
            "7": {
                "id": 7,
                "code": "SP 09",
                "title": "Hate crime",
                "places": 0,
                "months": [{"period": "2016-11-01", "this_year": "35", "last_year": "38"}],
            }
        },
    }

    shown = shown_figures(snapshot)

    assert shown["indicators"]["7"]["values"] == {"2016-11-01": "35", "2015-11-01": "38"}
    assert shown["contact_officer"] == "Analyst"


def test_report_csv_keeps_figures_unrounded_and_text_safe():
    from reports.rendering import report_csv

    entry_ = {
        "code": "=SUM(A1)",
        "title": "Satisfaction",
        "theme_group": "",
        "measure": "percentage",
        "figures": {"ytd": "88.88888888888888888888888889", "this_year": [["2016-11-01", "1"]]},
        "months": [
            {
                "period": "2016-11-01",
                "year_before": None,
                "last_year": None,
                "this_year": "88.8889",
                "change": None,
                "cumulative": None,
                "cumulative_target": None,
            }
        ],
    }
    snapshot = {
        "partnership": {"slug": "p"},
        "period": "2016-11-01",
        "indicators": {"1": entry_},
        "indicator_order": [1],
        "sections": [{"key": "performance"}],
    }

    text = report_csv(snapshot)

    assert "'=SUM(A1),Satisfaction,,percentage,ytd,,88.88888888888888888888888889" in text
    assert ",month_this_year,2016-11,88.8889" in text
    assert ",month_last_year,2016-11,,,\n" in text  # missing is blank, never 0


QUARTERLY = IndicatorSpec("higher", "count", frequency="quarterly")


@pytest.mark.parametrize(
    "period, end, current, previous",
    [
        # November: Q3 (October to December) is under way, so the year runs to September:
        # Q3 2015/16 to Q2 2016/17 (3 + 4 + 5 + 6) against the four before (1 + 1 + 2 + 3).
        (NOV_2016, date(2016, 9, 1), 18, 7),
        # September ends Q2: the same four quarters, to September.
        (date(2016, 9, 1), date(2016, 9, 1), 18, 7),
        # December ends Q3, which has no figure yet: the year to December has no total.
        (date(2016, 12, 1), date(2016, 12, 1), None, 9),
    ],
)
def test_rolling_twelve_for_a_quarterly_indicator_ends_at_a_quarter_end(
    period, end, current, previous
):
    # Stored at each quarter's first month, Q1 2014/15 to Q2 2016/17.
    series = series_of(
        {
            add_months(date(2014, 4, 1), 3 * i): n
            for i, n in enumerate([1, 1, 1, 1, 2, 3, 3, 4, 5, 6])
        }
    )

    rolling = rolling_twelve(QUARTERLY, series, period)

    assert (rolling.end, rolling.current, rolling.previous) == (end, current, previous)


def test_key_findings_name_each_unrated_group_once_in_the_same_words():
    from reports.builder import INFORMATION_ONLY, key_findings

    findings = key_findings(
        [
            entry(1, "amber", "improving") | {"has_target": True, "polarity": "lower"},
            entry(2, "none", "none") | {"has_target": False, "polarity": "lower"},
            entry(3, "none", "improving") | {"has_target": False, "polarity": "higher"},
            entry(4, "none", "none") | {"has_target": False, "polarity": "monitor"},
            entry(5, "none", "none") | {"has_target": True, "polarity": "lower"},
        ]
    )

    statuses = {row["label"]: (row["count"], row["pct"]) for row in findings["statuses"]}
    directions = {row["label"]: (row["count"], row["pct"]) for row in findings["directions"]}
    assert statuses == {
        "Green": (0, "0"),
        "Amber": (1, "20"),
        "Red": (0, "0"),
        "Target set but not rated: figures missing": (1, "20"),
        "No target set": (2, "40"),
        INFORMATION_ONLY: (1, "20"),
    }
    assert directions == {
        "Improving": (2, "40"),
        "Deteriorating": (0, "0"),
        "Stable": (0, "0"),
        "No comparison: no figures for the same months last year": (2, "40"),
        INFORMATION_ONLY: (1, "20"),
    }
    # Every indicator counted exactly once in each table.
    assert sum(c for c, _ in statuses.values()) == sum(c for c, _ in directions.values()) == 5


@pytest.mark.parametrize(
    ("start", "period", "expected"),
    [
        (date(2009, 4, 1), date(2010, 3, 1), "April 2009"),
        (date(2016, 4, 1), date(2016, 11, 1), "April"),
        (date(2017, 1, 1), date(2017, 3, 1), "January"),
    ],
)
def test_report_span_names_the_start_year_when_it_crosses_a_year(start, period, expected):
    from reports.builder import _start_label

    assert _start_label(start, period) == expected


# Shares that add to 100 as printed ------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "adds_up"),
    [
        # 1, 4, 0, 2, 2 of 9: 11.1, 44.4, 0, 22.2, 22.2 print 11, 44, 0, 22, 22: 99.
        ({"a": 1, "b": 4, "c": 0, "d": 2, "e": 2}, False),
        ({"a": 1, "b": 1, "c": 1}, False),  # 33 + 33 + 33 = 99
        ({"a": 1, "b": 2}, True),  # 33.3 and 66.7 print 33 and 67
        ({"a": 1, "b": 7}, False),  # 12.5 and 87.5 print 13 and 88 (halves up): 101
        ({"a": 1, "b": 1, "c": 2}, True),  # 25, 25, 50
        ({"a": 0, "b": 0}, True),  # no total: no shares
    ],
)
def test_shares_add_to_hundred_as_printed_worked_by_hand(counts, adds_up):
    assert shares_add_to_hundred(shares(counts).values()) is adds_up


def test_shares_add_to_hundred_at_the_places_printed():
    # 1 of 3 and 2 of 3 to one place: 33.3 + 66.7 = 100.0; 1, 1, 1 of 3: 99.9.
    assert shares_add_to_hundred(["33.333", "66.667"], places=1)
    assert not shares_add_to_hundred(["33.333"] * 3, places=1)
    assert shares_add_to_hundred(["12", "88"])  # stored strings, as a snapshot keeps them


def test_key_findings_say_which_tables_shares_miss_100():
    """Review finding: the direction table's shares read 11% + 44% + 0% + 22% + 22%
    with no note."""
    from reports.builder import key_findings

    entries = [
        *(entry(i, "none", "improving") for i in range(1)),
        *(entry(i, "none", "deteriorating") for i in range(1, 5)),
        *(entry(i, "none", "none") for i in range(5, 9)),
    ]
    findings = key_findings([{**e, "has_target": False} for e in entries])

    directions = {row["key"]: row["pct"] for row in findings["directions"]}
    assert [round(Decimal(directions[k])) for k in ("improving", "deteriorating", "none")] == [
        11,
        44,
        44,
    ]
    assert findings["directions_rounding_note"] is True  # 11 + 44 + 0 + 44 = 99
    assert findings["statuses_rounding_note"] is False  # 9 of 9 with no target: 100
