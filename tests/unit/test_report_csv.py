"""The report CSV as a tool reads it: one scalar a cell, months as YYYY-MM, and a row for
every figure the report prints, worked from hand-made snapshots."""

import csv
import io
import logging
from decimal import Decimal
from types import SimpleNamespace

from commissioning.budget import AMOUNT, LineFacts, StreamFacts, stream_totals
from reports.context import context_csv_rows
from reports.csv_rows import (
    action_rows,
    commissioning_rows,
    family_rows,
    indicator_rows,
    key_findings_rows,
    revision_rows,
)
from reports.rendering import report_csv
from reports.sources import _plan_total


def _entry(**figures):
    return {
        "code": "SP 01",
        "title": "Overall crime",
        "theme_group": "",
        "measure": "count",
        "figures": {
            "period": "2016-11-01",
            "fy_start": "2016-04-01",
            "ytd_end": "2016-11-01",
            "ytd_periods": ["2016-10-01", "2016-11-01"],
            "ytd_partial": False,
            "within_normal_variation": None,
            "spc_signal": {"rule": "shift", "side": "above", "run": 7, "length": 7},
            "this_year": [["2016-11-01", "1530"]],
            **figures,
        },
        "rolling": {
            "end": "2016-11-01",
            "current": "18177",
            "previous": None,
            "change": None,
            "change_pct": None,
        },
        "changes": {"ytd": {"z": "4.2", "within": False}},
        "months": [
            {
                "period": "2016-11-01",
                "year_before": "1400",
                "last_year": "1500",
                "this_year": "1530",
                "change": "30",
                "cumulative": "12000",
                "cumulative_target": None,
                "within": True,
            }
        ],
    }


def _snapshot(entry, **more):
    return {
        "partnership": {"slug": "safer-plymouth"},
        "period": "2016-11-01",
        "indicators": {"1": entry},
        "indicator_order": [1],
        "sections": [{"key": "performance"}, {"key": "definitions"}],
        **more,
    }


def _rows(snapshot) -> list[dict]:
    # Read as Excel and the imports read it: past its byte-order mark.
    return list(csv.DictReader(io.StringIO(report_csv(snapshot).removeprefix("\ufeff"))))


def _values(rows, figure) -> list[str]:
    return [row["value"] for row in rows if row["figure"] == figure]


def test_spc_signal_is_written_field_by_field():
    rows = dict(((f, p), v) for f, p, v in indicator_rows(_entry()))

    assert rows["spc_signal", ""] == "shift"
    assert rows["spc_signal_side", ""] == "above"
    assert (rows["spc_signal_run", ""], rows["spc_signal_length", ""]) == (7, 7)


def test_no_spc_signal_gives_the_same_rows_blank():
    rows = dict(((f, p), v) for f, p, v in indicator_rows(_entry(spc_signal=None)))

    for name in ("spc_signal", "spc_signal_side", "spc_signal_run", "spc_signal_length"):
        assert rows[name, ""] == ""


def test_every_value_is_one_scalar_a_tool_can_read():
    rows = _rows(_snapshot(_entry()))

    assert not [r for r in rows if r["value"][:1] in ("{", "[", "(") and r["value"] != "[c]"]
    # Yes or no as JSON writes them; unknown is blank.
    assert _values(rows, "ytd_partial") == ["false"]
    assert _values(rows, "within_normal_variation") == [""]
    assert _values(rows, "change_within_normal_variation_ytd") == ["false"]
    assert _values(rows, "month_change_within_normal_variation") == ["true"]
    # A list of months is a row a month; a series is the month rows, not a cell.
    assert _values(rows, "ytd_periods") == ["2016-10", "2016-11"]
    assert _values(rows, "this_year") == []


def test_months_are_written_yyyy_mm():
    rows = _rows(_snapshot(_entry()))

    assert {r["report_period"] for r in rows} == {"2016-11"}
    assert _values(rows, "period") == ["2016-11"]
    assert _values(rows, "fy_start") == ["2016-04"]
    assert _values(rows, "ytd_end") == ["2016-11"]
    month = {r["figure"]: r for r in rows if r["period"] == "2016-11"}
    assert month["month_this_year"]["value"] == "1530"
    assert month["month_year_before"]["value"] == "1400"
    assert month["rolling_12_months_current"]["value"] == "18177"


def test_a_percentages_counts_are_written_for_each_month():
    entry = _entry()
    entry["measure"] = "percentage"
    entry["months"][0] |= {"this_parts": ["16", "18"]}

    rows = {r["figure"]: r["value"] for r in _rows(_snapshot(entry)) if r["period"] == "2016-11"}

    assert (rows["month_this_year_numerator"], rows["month_this_year_denominator"]) == ("16", "18")
    assert rows["month_last_year_numerator"] == ""  # missing is blank, never 0


def test_key_findings_give_each_count_and_its_share_unrounded():
    findings = {
        "total": 9,
        "statuses": [{"key": "amber", "label": "Amber", "count": 2, "pct": "22.2222222"}],
        "directions": [{"key": "improving", "label": "Improving", "count": 1, "pct": "11.1"}],
    }

    rows = {r["figure"]: r for r in key_findings_rows(findings)}

    assert rows["key_findings_indicators"]["value"] == 9
    assert rows["key_findings_status_amber_count"]["value"] == 2
    assert rows["key_findings_status_amber_pct"]["value"] == "22.2222222"
    assert rows["key_findings_status_amber_pct"]["measure"] == "percentage"
    assert rows["key_findings_direction_improving_count"]["title"] == "Improving"


def test_key_findings_say_how_many_improving_or_deteriorating_are_within_normal_variation():
    """Review finding: a fall within normal variation was counted as deteriorating with no
    word of it. The count of those within sits beside each direction's own; a snapshot made
    before it was counted has none, and no row."""
    findings = {
        "total": 9,
        "statuses": [],
        "directions": [
            {"key": "deteriorating", "label": "Deteriorating", "count": 4, "pct": "44.4",
             "within_normal_variation": 1},
            {"key": "stable", "label": "Stable", "count": 0, "pct": "0"},
        ],
    }  # fmt: skip

    rows = {r["figure"]: r for r in key_findings_rows(findings)}

    within = rows["key_findings_direction_deteriorating_within_normal_variation_count"]
    assert (within["value"], within["title"], within["measure"]) == (1, "Deteriorating", "count")
    assert rows["key_findings_direction_deteriorating_count"]["value"] == 4
    assert not [f for f in rows if f.startswith("key_findings_direction_stable_within")]
    del findings["directions"][0]["within_normal_variation"]
    assert not [f for f in (r["figure"] for r in key_findings_rows(findings)) if "within" in f]


def test_funding_rows_per_stream_and_in_total_for_their_year():
    commissioning = {
        "year_label": "2017/18",
        "total": {"streams": 1, "amount": "400568", "confirmed": "233500", "unallocated": "167068"},
        "streams": [
            {
                "name": "=PCC grant",
                "amount": "400568",
                "allocated": "233500",
                "unallocated": "167068",
            }
        ],
        "lines": [
            {
                "reference": "CI 04",
                "area": "Awareness work",
                "contribution": None,
                "contribution_status": "Awaiting confirmation",
                "total": None,
                "status": "Proposed",
            }
        ],
        "to_be_confirmed": 1,
    }

    rows = {(r["figure"], r["title"]): r for r in commissioning_rows(commissioning)}

    assert rows["funding_total_unallocated", ""]["value"] == "167068"
    assert rows["funding_total_allocated", ""]["measure"] == "pounds"
    assert rows["funding_stream_amount", "'=PCC grant"]["period"] == "2017/18"
    line = "CI 04 Awareness work"
    assert rows["commissioning_line_contribution", line]["value"] == ""
    assert rows["commissioning_line_contribution_status", line]["value"] == "Awaiting confirmation"
    assert rows["commissioning_lines", ""]["value"] == 1


def test_family_group_rate_and_ranks_for_the_quarter_and_year_to_date():
    family = [
        {
            "code": "SS 06",
            "title": "Total crime rate",
            "quarter": "Q2 2010/11",
            "per": "population",
            "rank": 3,
            "n": 15,
            "change": 0,
            "ytd_rank": 1,
            "ytd_n": 15,
            "ytd_change": 2,
            "rate": "20.09882174078297225389585709",
        }
    ]

    rows = {r["figure"]: r["value"] for r in family_rows(family)}

    assert rows["family_group_rate_per_1000_population"] == "20.09882174078297225389585709"
    assert (rows["family_group_rank"], rows["family_group_areas"]) == (3, 15)
    assert rows["family_group_rank_change"] == 0
    assert (rows["family_group_ytd_rank"], rows["family_group_ytd_rank_change"]) == (1, 2)


def test_revised_figures_as_they_were_and_are_by_month_and_targets_in_words():
    common = {"indicator": 1, "code": "SP 09", "title": "Hate crime", "places": 0}
    revisions = [
        common
        | {"period": "2016-10-01", "what": "October 2016", "old": "42", "new": "45"}
        | {"reason": "late crimes added"},
        common | {"period": None, "target": True, "what": "2016/17", "old": "400", "new": "450"},
    ]

    rows = revision_rows(revisions, {"1": {"measure": "count"}})

    figure = {r["figure"]: r for r in rows if r["period"] == "2016-10"}
    assert (figure["revised_figure_was"]["value"], figure["revised_figure_now"]["value"]) == (
        "42",
        "45",
    )
    assert figure["revised_figure_now"]["measure"] == "count"
    # The reason given, after them (blank where none was), as text.
    assert (
        figure["revised_figure_reason"]["value"],
        figure["revised_figure_reason"]["measure"],
    ) == (
        "late crimes added",
        "",
    )
    assert [r["figure"] for r in rows] == [
        "revised_figure_was",
        "revised_figure_now",
        "revised_figure_reason",
        "revised_target_was",
        "revised_target_now",
        "revised_target_reason",
    ]
    target = {r["figure"]: r["value"] for r in rows if r["period"] == "2016/17"}
    assert target == {
        "revised_target_was": "400",
        "revised_target_now": "450",
        "revised_target_reason": "",
    }


def test_hotspot_counts_lose_their_thousands_comma_and_keep_c():
    context = {
        "hotspots": [
            {
                "code": "SP 01",
                "title": "Overall crime",
                "month": "2016-11",
                "total_shown": "1,234",
                "top": [{"code": "E01015000", "shown": "1,001"}],
                "wards": [{"name": "Tiny", "shown": "[c]"}],
                "small": 3,
            }
        ]
    }

    rows = {(r["figure"], r["area"]): r["value"] for r in context_csv_rows(context)}

    assert rows["lsoa_total", ""] == "1234"
    assert rows["lsoa_count", "E01015000"] == "1001"
    assert rows["ward_count", "Tiny"] == "[c]"
    assert rows["lsoas_shown_as_c", ""] == 3


def test_rolling_year_rows_of_the_context_tables_are_months():
    window = {"end": "2016-09-01", "current": "10", "previous": "8", "change": "2"}
    core = {
        "code": "SP 02",
        "title": "Burglary",
        "measure": "count",
        "year": window | {"change_pct": "25"},
        "quarter": window | {"change_pct": "25"},
        "rate_per_key": "",
        "rate": None,
        "force_change_pct": None,
    }

    periods = {r["period"] for r in context_csv_rows({"core": [core]}) if r["period"]}

    assert periods == {"2016-09"}


def test_drawing_charts_keeps_the_browsers_closing_message_off_stderr(caplog):
    from reports import chart_images
    from tests.unit.test_documents import _chromium_or_skip

    _chromium_or_skip()
    chart = {"data": [{"type": "scatter", "x": ["Apr", "May"], "y": [1, 2]}], "layout": {}}
    assert set(chart_images.render_chart_images({"c": chart})) == {"c"}

    # What choreographer logs when the browser closes mid-message: dropped; the rest kept.
    logger = logging.getLogger("choreographer.channels.pipe")
    for message in ("JSONError decoding message. Ignoring", "Error in run_read_loop."):
        try:
            raise ValueError("half a message")
        except ValueError:
            logger.exception(message)
    assert "JSONError" not in caplog.text
    assert "Error in run_read_loop." in caplog.text


def test_an_overviews_indicators_are_written_under_their_own_partnership():
    snapshot = _snapshot(_entry()) | {
        "partnership": {"slug": "safer-gateshead"},
        "indicators": {},
        "indicator_order": [],
        "overview": [{"slug": "safe-newcastle", "indicators": [_entry()]}],
    }

    rows = _rows(snapshot)

    assert {r["partnership"] for r in rows if r["indicator"] == "SP 01"} == {"safe-newcastle"}


def test_a_hidden_performance_section_takes_its_revisions_and_comparisons_with_it():
    common = {"indicator": 1, "code": "SP 01", "title": "Overall crime", "places": 0}
    family = {
        "code": "SP 01",
        "title": "Overall crime",
        "quarter": "Q2 2016/17",
        "per": "population",
        "rate": "20.1",
        **{key: 1 for key in ("rank", "n", "change", "ytd_rank", "ytd_n", "ytd_change")},
    }
    more = {
        "revisions": [common | {"period": "2016-10-01", "what": "", "old": "1", "new": "2"}],
        "family": [family],
        "context": {"parts": ["family"]},
    }
    shown = _snapshot(_entry(), **more)
    hidden = _snapshot(_entry(), **more, sections=[{"key": "definitions"}])

    assert {"revised_figure_was", "family_group_rank"} <= {r["figure"] for r in _rows(shown)}
    figures = {r["figure"] for r in _rows(hidden)}
    assert not [f for f in figures if f.startswith(("revised_", "family_group"))]


def test_without_the_performance_section_only_the_key_findings_exceptions_figures_are_written():
    entries = {str(i): _entry() | {"code": f"SP 0{i}"} for i in (1, 2, 3)}
    more = {"indicators": entries, "indicator_order": [1, 2, 3]}
    findings = {"total": 3, "statuses": [], "directions": [], "exceptions": [3, 1]}

    def written(*keys):
        sections = [{"key": key} for key in keys]
        snapshot = _snapshot(_entry(), **more, key_findings=findings, sections=sections)
        return sorted({r["indicator"] for r in _rows(snapshot) if r["indicator"]})

    assert written("performance") == ["SP 01", "SP 02", "SP 03"]
    assert written("key_findings", "definitions") == ["SP 01", "SP 03"]
    assert written("definitions") == []
    # The other notable changes the key findings tell of are printed with their figures too.
    findings["notable"] = [2]
    assert written("key_findings", "definitions") == ["SP 01", "SP 02", "SP 03"]


def test_funding_over_allocated_is_its_own_total_beside_what_is_not_yet_allocated():
    # A snapshot made before the total over-allocated was frozen: the CSV adds the
    # streams' amounts over, as it did then (107,932.50 + 0.25).
    commissioning = {
        "year_label": "2017/18",
        "total": {
            "streams": 3,
            "amount": "600000",
            "confirmed": "632932.50",
            "unallocated": "75000",
            "over_allocated": [
                {"name": "PCC grant", "by": "107932.50"},
                {"name": "Council grant", "by": "0.25"},
            ],
        },
        "streams": [],
        "lines": [],
        "to_be_confirmed": 0,
    }

    rows = {r["figure"]: r for r in commissioning_rows(commissioning)}

    assert rows["funding_total_unallocated"]["value"] == "75000"
    assert rows["funding_total_over_allocated"]["value"] == "107932.75"
    assert rows["funding_total_over_allocated"]["measure"] == "pounds"


def test_funding_over_allocated_is_frozen_in_the_snapshot_and_written_as_frozen():
    # PCC grant £192,067.50 with £300,000 confirmed: £107,932.50 over; Council grant
    # £75,000 with £75,000.25 confirmed: £0.25 over. Together £107,932.75 over.
    streams = [
        StreamFacts(1, "PCC grant", Decimal("192067.50")),
        StreamFacts(2, "Council grant", Decimal("75000")),
    ]
    lines = [
        LineFacts(1, "CI 01", 1, AMOUNT, Decimal("300000")),
        LineFacts(2, "CI 02", 2, AMOUNT, Decimal("75000.25")),
    ]
    rows = [SimpleNamespace(totals=t) for t in stream_totals(streams, lines)]

    total = _plan_total(rows)

    assert total["over_allocated_total"] == "107932.75"
    # The CSV writes the frozen figure: it adds nothing up itself.
    frozen = {"year_label": "2017/18", "streams": [], "lines": [], "to_be_confirmed": 0}
    frozen["total"] = total | {"over_allocated": [], "over_allocated_total": "107932.75"}
    written = {r["figure"]: r["value"] for r in commissioning_rows(frozen)}
    assert written["funding_total_over_allocated"] == "107932.75"


def test_the_action_plans_rag_table_as_printed_is_written_of_the_actions_in_progress():
    # The report's RAG table rates the actions in progress only (a not-started one has no
    # risk to delivery yet); report.csv gives that table as well as its counts of the open.
    counts = [{"key": "red", "label": "Red", "count": 1, "share": "25"}]
    rated = [{"key": "red", "label": "Red", "count": 1, "share": "33.33333333"}]
    actions = {
        "total": 5, "carried": 0, "rag_counts": counts, "progress_counts": [],
        "status_changes": [], "closed_since": [], "overdue": [], "open_total": 4,
        "rated_counts": rated, "rated_total": 3,
    }  # fmt: skip

    rows = {r["figure"]: r for r in action_rows(actions)}

    assert rows["actions_in_progress"]["value"] == 3
    assert rows["actions_rated_red_count"]["value"] == 1
    assert rows["actions_rated_red_pct"]["value"] == "33.33333333"
    assert rows["actions_rag_red_pct"]["value"] == "25"
    assert list(rows)[-3:] == [
        "actions_in_progress",
        "actions_rated_red_count",
        "actions_rated_red_pct",
    ]
    del actions["rated_counts"], actions["rated_total"]
    assert not [f for f in (r["figure"] for r in action_rows(actions)) if "rated" in f]
