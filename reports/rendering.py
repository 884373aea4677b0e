"""A snapshot drawn as the report's HTML, and written out as CSV. No queries."""

import csv
import io

from django.template.loader import render_to_string

from .builder import DIRECTION_LABELS, STATUS_LABELS
from .context import context_csv_rows

SAFE = ("indicator", "title", "area")


AUDIENCES = {"board": "board", "theme_group": "group", "committee": "committee"}


def document_context(snapshot: dict) -> dict:
    """The snapshot with its indicator lists resolved, as the document template reads it."""
    indicators = snapshot.get("indicators", {})

    def pick(ids):
        return [indicators[str(i)] for i in ids if str(i) in indicators]

    findings = snapshot["key_findings"]
    shown = [section["key"] for section in snapshot["sections"]]
    target = pick(snapshot["performance"]["target"])
    monitor = pick(snapshot["performance"]["monitoring"])
    show_appendix = "performance" in shown and bool(target or monitor)
    appendices = appendix_letters(snapshot, shown, with_indicators=show_appendix)
    main = [section for section in snapshot["sections"] if not section.get("appendix")]
    return {
        "s": snapshot,
        "cover": snapshot["cover"],
        "sections": main,
        "appendices": appendices,
        "appendix_list": list(appendices.values()),
        "shown_keys": shown,
        # Whom the report is written to, by the kind of meeting.
        "audience": AUDIENCES.get(snapshot["cover"].get("meeting_kind") or "", "panel"),
        "implications_given": any(
            item["text"] or item["officer"] for item in snapshot["cover"]["implications"]
        ),
        # An overview's partnerships follow the numbered sections.
        "overview_number": len(main) + 2,
        # Risks filed under a priority are printed there; the rest in the risks section.
        "other_risks": snapshot.get("other_risks", [])
        if "successes" in shown
        else snapshot["risks"]["risks"],
        "exceptions": pick(findings["exceptions"]),
        "red_without_action": pick(findings["red_without_action"]),
        "target_indicators": target,
        "monitor_indicators": monitor,
        # The detail of every indicator goes to an appendix, so the main report stays short.
        "show_appendix": show_appendix,
        "appendix_indicators": target + monitor,
        "status_labels": STATUS_LABELS,
        "direction_labels": DIRECTION_LABELS,
    }


APPENDIX_TITLES = {
    "indicators": "Performance by indicator",
    "context": "Crime in context",
    "overdue": "Overdue actions",
    "commissioning": "Funding and commissioning lines",
    "issues": "Issues for other theme groups and scrutiny recommendations",
    "definitions": "Definitions and glossary",
}


def appendix_letters(snapshot: dict, shown: list[str], *, with_indicators: bool) -> dict:
    """The report's appendices, lettered A, B, C in order, each present only when it has
    something to show: the detail that keeps the main report to about five sides."""
    actions, commissioning = snapshot.get("actions"), snapshot.get("commissioning")
    present = {
        "indicators": with_indicators,
        "context": "performance" in shown and bool((snapshot.get("context") or {}).get("parts")),
        "overdue": "actions" in shown and bool(actions and actions.get("overdue")),
        "commissioning": "commissioning" in shown
        and bool(commissioning and (commissioning["lines"] or commissioning["streams"])),
        "issues": "risks" in shown
        and bool(snapshot["risks"]["issues"] or snapshot["risks"]["recommendations"]),
        "definitions": "definitions" in shown,
    }
    keys = [key for key in APPENDIX_TITLES if present[key]]
    return {
        key: {"key": key, "letter": chr(ord("A") + i), "title": APPENDIX_TITLES[key]}
        for i, key in enumerate(keys)
    }


def render_document(snapshot: dict) -> str:
    """The report's body HTML: what a version stores and every page and file is made from."""
    return render_to_string("reports/_document.html", document_context(snapshot))


def standalone_page(html: str, *, title: str, snapshot: dict) -> str:
    """The report's HTML as a page of its own (for the committee system's agenda pack)."""
    return render_to_string(
        "reports/standalone.html",
        {"document": html, "title": title, "s": snapshot},
    )


CSV_FIELDS = [
    "partnership",
    "report_period",
    "indicator",
    "title",
    "theme_group",
    "measure",
    "figure",
    "period",
    "value",
    "area",  # a small area (LSOA, ward) or a neighbouring partnership; blank otherwise
]


def report_csv(snapshot: dict) -> str:
    """Every figure the report shows, unrounded, one per row (long format)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    base = {"partnership": snapshot["partnership"]["slug"], "report_period": snapshot["period"]}

    def write(entry, figure, period, value):
        writer.writerow(
            {
                **base,
                "indicator": _safe(entry["code"]),
                "title": _safe(entry["title"]),
                "theme_group": _safe(entry["theme_group"]),
                "measure": entry["measure"],
                "figure": figure,
                "period": period or "",
                "value": "" if value is None else value,
            }
        )

    entries = [snapshot["indicators"][str(i)] for i in snapshot["indicator_order"]]
    for block in snapshot.get("overview", []):
        entries += block["indicators"]
    for entry in entries:
        for name, value in entry["figures"].items():
            if isinstance(value, list):
                continue  # the series follow, one row a period
            write(entry, name, "", value)
        for month in entry["months"]:
            for name in ("last_year", "this_year", "change", "cumulative", "cumulative_target"):
                write(entry, f"month_{name}", month["period"], month[name])
    for row in context_csv_rows(snapshot.get("context") or {}):
        writer.writerow({**base, **{k: _safe(v) if k in SAFE else v for k, v in row.items()}})
    return buffer.getvalue()


def _safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text
