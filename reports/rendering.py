"""A snapshot drawn as the report's HTML, and written out as CSV. No queries."""

import csv
import io

from django.template.loader import render_to_string

from .builder import DIRECTION_LABELS, STATUS_LABELS
from .context import context_csv_rows

SAFE = ("indicator", "title", "area")


def document_context(snapshot: dict) -> dict:
    """The snapshot with its indicator lists resolved, as the document template reads it."""
    indicators = snapshot.get("indicators", {})

    def pick(ids):
        return [indicators[str(i)] for i in ids if str(i) in indicators]

    findings = snapshot["key_findings"]
    shown = [section["key"] for section in snapshot["sections"]]
    target = pick(snapshot["performance"]["target"])
    monitor = pick(snapshot["performance"]["monitoring"])
    return {
        "s": snapshot,
        "cover": snapshot["cover"],
        "sections": snapshot["sections"],
        "exceptions": pick(findings["exceptions"]),
        "red_without_action": pick(findings["red_without_action"]),
        "target_indicators": target,
        "monitor_indicators": monitor,
        # The detail of every indicator goes to an appendix, so the main report stays short.
        "show_appendix": "performance" in shown and bool(target or monitor),
        "appendix_indicators": target + monitor,
        "status_labels": STATUS_LABELS,
        "direction_labels": DIRECTION_LABELS,
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
