"""The report CSV's rows (``rendering.CSV_FIELDS``) from a snapshot: every figure the report
prints, unrounded, one a row. No queries and no arithmetic beyond counting what a list
holds, as the report counts it.

What the columns hold for rows other than an indicator's own figures: ``figure`` names the
section and what is counted ("key_findings_status_red_count", "funding_stream_amount");
``title`` the thing counted as the report names it (a status, a funding stream, a line);
``measure`` what the value is: count, percentage, pounds, rank or rate (blank for a word);
``period`` a month as YYYY-MM, a quarter or a financial year where the figure is for one.
A value is blank when missing, "true" or "false" for a yes or no. ``overdue``, the last
column, is "true" or "false" on the row of a recorded risk's review date or scrutiny
recommendation's due date (overdue at the report's month end or not), blank on the others.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

from csp_portal.core.spreadsheet import spreadsheet_safe
from indicators.figures import Figures
from indicators.spc import Signal

# An indicator's figures in the order of Figures: a snapshot read back from PostgreSQL
# (jsonb) has its keys in another order, and the CSV is the same whichever it is made from.
FIGURE_NAMES = tuple(f.name for f in dataclasses.fields(Figures))
# An indicator's figures whose values are months (lists of months: one row each).
MONTH_FIGURES = frozenset({"period", "fy_start", "ytd_end", "ytd_periods", "missing_periods"})
# Its series of (period, value) pairs: written month by month after its other figures.
SERIES = frozenset({"this_year", "last_year", "cumulative_this_year", "cumulative_target"})
# The SPC signal's rule is written as "spc_signal", each other field of it beside it.
SIGNAL_DETAILS = tuple(f.name for f in dataclasses.fields(Signal) if f.name != "rule")
MONTH_COLUMNS = ("last_year", "this_year", "change", "cumulative", "cumulative_target")


def csv_month(value: str | None) -> str:
    """An ISO date of a month ("2016-11-01") as the month, "2016-11": how the API, the data
    export and every import write months."""
    return value[:7] if value else ""


def figure_period(revision: dict) -> str:
    """A revised or late figure's period: a quarterly figure's quarter ("Q3 2016/17", as
    the CSV names quarters), else its month."""
    return revision.get("quarter") or csv_month(revision["period"])


def csv_value(value: object) -> object:
    """A value as a cell: blank when missing, "true" or "false" for a yes or no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _figure(name: str, value: object) -> Iterator[tuple[str, object]]:
    """(figure, value) for one of an indicator's figures (``builder.figures_record``)."""
    if name in SERIES:
        return
    if name == "spc_signal":
        signal = value or {}
        yield name, signal.get("rule")
        for key in SIGNAL_DETAILS:
            yield f"{name}_{key}", signal.get(key)
    elif name in MONTH_FIGURES:
        for month in value if isinstance(value, list) else [value]:
            yield name, csv_month(month)
    else:
        yield name, value


def indicator_rows(entry: dict) -> Iterator[tuple[str, str, object]]:
    """(figure, period, value) for everything the report prints of one indicator."""
    figures = entry["figures"]
    for name in FIGURE_NAMES:
        if name in figures:
            for figure, shown in _figure(name, figures[name]):
                yield figure, "", csv_value(shown)
    for key in ("direction_previous_quarter", "direction_same_quarter"):
        if key in entry:
            yield key, "", entry[key]
    rolling = entry.get("rolling")
    if rolling:
        for name in ("current", "previous", "change", "change_pct"):
            yield f"rolling_12_months_{name}", csv_month(rolling["end"]), csv_value(rolling[name])
    changes = entry.get("changes") or {}
    for key in sorted(changes):
        yield f"change_within_normal_variation_{key}", "", csv_value(changes[key]["within"])
    percentage = entry["measure"] == "percentage"
    for month in entry["months"]:
        period = csv_month(month["period"])
        for name in MONTH_COLUMNS:
            yield f"month_{name}", period, csv_value(month[name])
        yield "month_year_before", period, csv_value(month.get("year_before"))
        yield "month_change_within_normal_variation", period, csv_value(month.get("within"))
        if percentage:
            # The counts printed beside a percentage: [numerator, denominator].
            for year in ("this", "last"):
                parts = month.get(f"{year}_parts") or [None, None]
                yield f"month_{year}_year_numerator", period, csv_value(parts[0])
                yield f"month_{year}_year_denominator", period, csv_value(parts[1])
    if entry.get("has_target") and "tolerance_amount" in entry:
        # The amber band the commentary gives: its percentage of the target to date, and
        # that share in the figure's unit (added last: the rows before keep their order).
        yield "tolerance_pct", "", csv_value(entry["tolerance"])
        yield "tolerance_amount", "", csv_value(entry["tolerance_amount"])


def row(
    figure: str,
    value: object,
    *,
    measure: str = "count",
    title: str = "",
    period: str = "",
    indicator: str = "",
    theme_group: str | None = "",
) -> dict:
    """A row of the report's own figures (not one indicator's month by month)."""
    shown = csv_value(value)
    return {
        "indicator": spreadsheet_safe(indicator),
        "title": spreadsheet_safe(title),
        "theme_group": spreadsheet_safe(theme_group or ""),
        "measure": measure,
        "figure": figure,
        "period": period,
        "value": spreadsheet_safe(shown) if isinstance(shown, str) else shown,
        "area": "",
    }


def key_findings_rows(findings: dict) -> list[dict]:
    """How many indicators, and how many and what share of them have each status and
    direction (the key findings' two tables), and how many of those improving or
    deteriorating are within normal variation."""
    rows = [row("key_findings_indicators", findings["total"])]
    for kind, items in (("status", findings["statuses"]), ("direction", findings["directions"])):
        for item in items:
            name, label = f"key_findings_{kind}_{item['key']}", item["label"]
            rows.append(row(f"{name}_count", item["count"], title=label))
            rows.append(row(f"{name}_pct", item["pct"], measure="percentage", title=label))
            if "within_normal_variation" in item:  # improving and deteriorating, since counted
                rows.append(
                    row(
                        f"{name}_within_normal_variation_count",
                        item["within_normal_variation"],
                        title=label,
                    )
                )
    return rows


def comparison_rows(snapshot: dict) -> list[dict]:
    """An overview's partnerships side by side (``builder.overview_comparison``), each
    partnership's rows under its own slug, named as the key findings' are: how many
    indicators, and how many and what share of them have each status and direction (and
    how many improving or deteriorating are within normal variation). None when the report
    does not print it (no partnership has a figure)."""
    comparison = snapshot.get("overview_comparison")
    if not comparison or not any(block["indicators"] for block in snapshot["overview"]):
        return []
    rows = []
    for compared in comparison["rows"]:
        own = [row("overview_indicators", compared["total"])]
        for kind, key in (("status", "statuses"), ("direction", "directions")):
            for item in compared[key]:
                name, label = f"overview_{kind}_{item['key']}", item["label"]
                own.append(row(f"{name}_count", item["count"], title=label))
                own.append(row(f"{name}_pct", item["pct"], measure="percentage", title=label))
                if "within_normal_variation" in item:  # as the key findings' rows
                    own.append(
                        row(
                            f"{name}_within_normal_variation_count",
                            item["within_normal_variation"],
                            title=label,
                        )
                    )
        rows += [{**r, "partnership": compared["slug"]} for r in own]
    return rows


def revision_rows(revisions: list[dict], indicators: dict) -> list[dict]:
    """Figures revised since the last report, as they were and as they are, and the
    reasons given (blank where none was): a month's figure by its month, a target (in
    words) by what of it changed."""
    rows = []
    for r in revisions:
        target = r.get("target", False)
        entry = indicators.get(str(r["indicator"]), {})
        common = {
            "measure": "" if target else entry.get("measure", ""),
            "indicator": r["code"],
            "title": r["title"],
            "theme_group": entry.get("theme_group"),  # as the indicator's other rows
            "period": r["what"] if target else figure_period(r),
        }
        name = "revised_target" if target else "revised_figure"
        rows.append(row(f"{name}_was", r["old"], **common))
        rows.append(row(f"{name}_now", r["new"], **common))
        rows.append(row(f"{name}_reason", r.get("reason", ""), **{**common, "measure": ""}))
    return rows


def late_rows(late: list[dict], indicators: dict) -> list[dict]:
    """Figures the last report had none of, entered since: late returns, no revision."""
    rows = []
    for r in late:
        entry = indicators.get(str(r["indicator"]), {})
        rows.append(
            row(
                "late_figure",
                r["new"],
                measure=entry.get("measure", ""),
                indicator=r["code"],
                title=r["title"],
                period=figure_period(r),
                theme_group=entry.get("theme_group"),
            )
        )
    return rows


def action_rows(actions: dict | None) -> list[dict]:
    """The action plan section: actions counted by RAG status and by progress, each with
    its share unrounded; status changes, closures and overdue actions counted. Since
    "open_total", the RAG counts and shares are of the open actions (``actions_open``):
    a closed action is counted only as complete. Since "reopened_since", the actions
    reopened since the last report are counted too; since "rated_counts", the RAG table the
    report prints, of the actions in progress (last)."""
    if not actions:
        return []
    rows = [
        row("actions_total", actions["total"]),
        row("actions_carried_over", actions["carried"]),
    ]
    for kind in ("rag", "progress"):
        for item in actions[f"{kind}_counts"]:
            name, label = f"actions_{kind}_{item['key']}", item["label"]
            rows.append(row(f"{name}_count", item["count"], title=label))
            rows.append(row(f"{name}_pct", item["share"], measure="percentage", title=label))
    rows += [
        row("actions_status_changes", len(actions["status_changes"])),
        row("actions_closed_since_last_report", len(actions["closed_since"])),
        row("actions_overdue", len(actions["overdue"])),
    ]
    if "open_total" in actions:
        rows.append(row("actions_open", actions["open_total"], title="Open actions"))
    # Since "reopened_since": reopenings, like closings, are among the status changes.
    if "reopened_since" in actions:
        rows.append(row("actions_reopened_since_last_report", len(actions["reopened_since"])))
    # Since "rated_counts": the report's RAG table, of the actions in progress (started and
    # open), each count and share as it prints them (last).
    if "rated_counts" in actions:
        rows.append(row("actions_in_progress", actions["rated_total"], title="In progress"))
        for item in actions["rated_counts"]:
            name, label = f"actions_rated_{item['key']}", item["label"]
            rows.append(row(f"{name}_count", item["count"], title=label))
            rows.append(row(f"{name}_pct", item["share"], measure="percentage", title=label))
    return rows


def _over_allocated_total(total: dict) -> str | None:
    """The year's total over-allocated as the snapshot froze it (``budget.PlanTotal``).
    Snapshots made before it was frozen: the streams' amounts over added here, as they
    were then; before even those were kept, None (no such figure)."""
    if "over_allocated_total" in total:
        return total["over_allocated_total"]
    if "over_allocated" not in total:
        return None
    over = sum((Decimal(o["by"]) for o in total["over_allocated"]), Decimal(0))
    return format(over.normalize(), "f")  # as the snapshot writes money: unrounded


def commissioning_rows(commissioning: dict | None) -> list[dict]:
    """Funding in total and by stream (amount, allocated to lines, not allocated), and each
    commissioning line's contribution, total budget and status, for the year they are for."""
    if not commissioning:
        return []
    year = commissioning["year_label"]
    rows = []
    total = commissioning["total"]
    if total:
        rows.append(row("funding_total_streams", total["streams"], period=year))
        # "Allocated": confirmed against lines, whatever their status (_funding_total.html).
        for name, key in (
            ("amount", "amount"),
            ("allocated", "confirmed"),
            ("unallocated", "unallocated"),
        ):
            rows.append(row(f"funding_total_{name}", total[key], measure="pounds", period=year))
        over = _over_allocated_total(total)
        if over is not None:
            rows.append(row("funding_total_over_allocated", over, measure="pounds", period=year))
    for stream in commissioning["streams"]:
        for name in ("amount", "allocated", "unallocated"):
            rows.append(
                row(
                    f"funding_stream_{name}",
                    stream[name],
                    measure="pounds",
                    title=stream["name"],
                    period=year,
                )
            )
    rows.append(row("commissioning_lines", len(commissioning["lines"]), period=year))
    rows.append(
        row("commissioning_lines_to_be_confirmed", commissioning["to_be_confirmed"], period=year)
    )
    for line in commissioning["lines"]:
        title = f"{line['reference']} {line['area']}".strip()
        for name, value, measure in (
            ("contribution", line["contribution"], "pounds"),
            ("contribution_status", line["contribution_status"], ""),
            ("total_budget", line["total"], "pounds"),
            ("status", line["status"], ""),
        ):
            rows.append(
                row(f"commissioning_line_{name}", value, measure=measure, title=title, period=year)
            )
    return rows


def risk_rows(risks: dict) -> list[dict]:
    """How many issues for other theme groups and open scrutiny recommendations."""
    return [
        row("open_issues_for_other_theme_groups", len(risks["issues"])),
        row("open_scrutiny_recommendations", len(risks["recommendations"])),
    ]


def follow_up_rows(snapshot: dict, printed: set[str]) -> list[dict]:
    """Each recorded risk's review date and scrutiny recommendation's due date the report
    prints, with whether it was overdue at the report's month end, then how many were:
    the risks in the risks section or under their priorities, the recommendations with
    the risks section (its appendix)."""
    follow_up = snapshot.get("follow_up")
    if not follow_up:  # published before dates were kept, or no action plans
        return []
    if "risks" in printed:
        risks = set(snapshot["risks"]["risks"])
    elif "successes" in printed:
        risks = {text for item in snapshot["priorities"] for text in item["risks"]}
    else:
        risks = set()
    parts = [
        ("risk_review_date", "open_risks_review_overdue", "risks", risks),
        (
            "scrutiny_recommendation_due",
            "open_scrutiny_recommendations_overdue",
            "recommendations",
            set(snapshot["risks"]["recommendations"]) if "risks" in printed else set(),
        ),
    ]
    rows = []
    for figure, count, key, texts in parts:
        items = [item for item in follow_up[key] if item["text"] in texts]
        if not items:
            continue
        rows += [
            {
                **row(figure, item["date"], measure="", title=item["title"]),
                "overdue": csv_value(item["overdue"]),
            }
            for item in items
        ]
        rows.append(row(count, sum(item["overdue"] for item in items)))
    return rows


def family_rows(family: list[dict]) -> list[dict]:
    """Each indicator's rate per 1,000 in the most similar group, its rank (1 is the best
    rate) among how many areas, and the places it moved (up positive), in the latest
    quarter and over the year to date."""
    rows = []
    for r in family:
        common = {"indicator": r["code"], "title": r["title"], "period": r["quarter"]}
        rate = f"family_group_rate_per_1000_{r['per']}"
        rows.append(row(rate, r["rate"], measure="rate", **common))
        for prefix, key in (("family_group", ""), ("family_group_ytd", "ytd_")):
            rows += [
                row(f"{prefix}_rank", r[f"{key}rank"], measure="rank", **common),
                row(f"{prefix}_areas", r[f"{key}n"], **common),
                row(f"{prefix}_rank_change", r[f"{key}change"], measure="rank", **common),
            ]
    return rows


def printed_sections(snapshot: dict) -> set[str]:
    """The sections the report prints: those the editor left shown that have something to
    show (``snapshot["sections"]``). Its CSV holds their figures and no others."""
    return {section["key"] for section in snapshot["sections"]}


def printed_indicators(snapshot: dict) -> list[int]:
    """The report's own indicators whose figures it prints: every one, in the performance
    section's tables; without that section, the red and amber ones and the other notable
    changes its key findings tell of; without either, none."""
    printed = printed_sections(snapshot)
    if "performance" in printed:
        return snapshot["indicator_order"]
    if "key_findings" in printed:
        findings = snapshot["key_findings"]
        told = {*findings["exceptions"], *findings.get("notable", [])}
        return [i for i in snapshot["indicator_order"] if i in told]
    return []


def report_rows(snapshot: dict) -> list[dict]:
    """Every figure of the report beyond each indicator's own and the crime-in-context
    tables, of the sections it prints: none of a section the editor hid, or that the
    report does not have (an overview's key findings)."""
    printed = printed_sections(snapshot)
    rows = []
    if "key_findings" in printed and snapshot.get("key_findings"):
        rows += key_findings_rows(snapshot["key_findings"])
    if "performance" in printed:  # the revised figures' table is in it
        rows += revision_rows(snapshot.get("revisions", []), snapshot.get("indicators", {}))
        rows += late_rows(snapshot.get("late_figures", []), snapshot.get("indicators", {}))
    rows += comparison_rows(snapshot)
    # An overview's revisions are each of their own partnership's, as its figures are.
    for block in snapshot.get("overview", []):
        if block.get("revisions"):
            shown = {str(entry["id"]): entry for entry in block["indicators"]}
            rows += [
                {**revised, "partnership": block["slug"]}
                for revised in revision_rows(block["revisions"], shown)
            ]
        if block.get("late_figures"):
            shown = {str(entry["id"]): entry for entry in block["indicators"]}
            rows += [
                {**late, "partnership": block["slug"]}
                for late in late_rows(block["late_figures"], shown)
            ]
    if "actions" in printed:
        rows += action_rows(snapshot.get("actions"))
    if "commissioning" in printed:
        rows += commissioning_rows(snapshot.get("commissioning"))
    if "risks" in printed and snapshot.get("risks"):
        rows += risk_rows(snapshot["risks"])
    rows += follow_up_rows(snapshot, printed)
    if "performance" in printed:  # the crime-in-context appendix goes with it
        rows += family_rows(snapshot.get("family", []))
    # Those left out are counted in the performance section and named in the definitions.
    no_figures = snapshot.get("no_figures", [])
    if "performance" in printed or (no_figures and "definitions" in printed):
        rows.append(row("indicators_without_figures", len(no_figures)))
    # When the figures were read: what every row of the file is as at.
    as_at = (snapshot.get("definitions") or {}).get("figures_as_at")
    if as_at:
        rows.append(row("figures_as_at", as_at, measure=""))
    return rows
