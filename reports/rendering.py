"""A snapshot drawn as the report's HTML, and written out as CSV. No queries."""

import html
import io
import re

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from csp_portal.core.spreadsheet import CsvDictWriter, spreadsheet_safe
from csp_portal.core.tables import UTF8_BOM
from csp_portal.core.text import joined

from . import csv_rows
from .builder import DIRECTION_LABELS, STATUS_LABELS, by_target
from .context import context_csv_rows
from .sections import formats_contact, glossary

SAFE = ("indicator", "title", "area")


AUDIENCES = {"board": "board", "theme_group": "group", "committee": "committee"}


def document_context(snapshot: dict, *, definitions: bool = True) -> dict:
    """The snapshot with its indicator lists resolved, as the document template reads it.
    ``definitions``: False leaves the definitions appendix out (``render_document``)."""
    indicators = snapshot.get("indicators", {})

    def pick(ids):
        return [indicators[str(i)] for i in ids if str(i) in indicators]

    findings = snapshot["key_findings"]
    actions = snapshot.get("actions") or {}
    shown = [section["key"] for section in snapshot["sections"]]
    target = pick(snapshot["performance"]["target"])
    monitor = pick(snapshot["performance"]["monitoring"])
    show_appendix = "performance" in shown and bool(target or monitor)
    appendices = appendix_letters(
        snapshot, shown, with_indicators=show_appendix, definitions=definitions
    )
    main = [section for section in snapshot["sections"] if not section.get("appendix")]
    introduced = 1 if snapshot.get("introduction") else 0
    # The comparison's paragraph number (x.1, or x.2 after the national developments); 0
    # for none: versions built before it, and an overview without a figure to compare.
    figured = any(block["indicators"] for block in snapshot.get("overview", []))
    compared = introduced + 1 if snapshot.get("overview_comparison") and figured else 0
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
        # An overview's partnerships follow the numbered sections, each a paragraph after
        # the national developments (x.1) if there are any and the partnerships side by
        # side (when any has figures), else from x.1.
        "overview_number": len(main) + 2,
        "overview_offset": introduced + bool(compared),
        "overview_compared": compared,
        "overview_blocks": [_overview_block(block) for block in snapshot.get("overview", [])],
        # Risks filed under a priority are printed there; the rest in the risks section.
        "other_risks": snapshot.get("other_risks", [])
        if "successes" in shown
        else snapshot["risks"]["risks"],
        "exceptions": pick(findings["exceptions"]),
        # Snapshots made before the other notable changes were listed have none.
        "notable": pick(findings.get("notable", [])),
        "red_without_action": pick(findings["red_without_action"]),
        "target_indicators": target,
        "monitor_indicators": monitor,
        # The detail of every indicator goes to an appendix, so the main report stays short.
        "show_appendix": show_appendix,
        "appendix_indicators": target + monitor,
        # Figures revised since the last report, marked [r] in Appendix A (builder.revised_months).
        "revised_marked": show_appendix and any(e.get("revised") for e in target + monitor),
        "status_labels": STATUS_LABELS,
        # The action plan's RAG table: of the actions in progress since "rated_counts".
        "rag_rows": actions.get("rated_counts", actions.get("rag_counts", [])),
        "rag_rounding_note": actions.get("rated_rounding_note", actions.get("rag_rounding_note")),
        "direction_labels": DIRECTION_LABELS,
        # Paragraph numbers drawn in turn by the `para` tag, section by section.
        "para_counts": {},
        "national_codes": _uses_national_codes(target + monitor),
        "sla_used": any(
            u.get("title", "").startswith("SLA")
            for u in (snapshot.get("commissioning") or {}).get("updates", [])
        ),
        **_context_contents(snapshot),
        "defines": _definitions_shown(
            snapshot, shown, appendices, target + monitor if show_appendix else []
        ),
        "risk_paragraphs": _risk_paragraphs(snapshot, main) if "successes" in shown else [],
        "overdue_risks": overdue_texts(snapshot, "risks"),
        "overdue_recommendations": overdue_texts(snapshot, "recommendations"),
        "recommendations_overdue": sum(
            item["overdue"] for item in (snapshot.get("follow_up") or {}).get("recommendations", [])
        ),
        "glossary_html": GLOSSARY_MARK,
        "formats_contact": formats_contact(
            snapshot["cover"],
            snapshot["partnership"]["name"],
            [block["name"] for block in snapshot.get("overview", [])],
        ),
    }


def _overview_block(block: dict) -> dict:
    """An overview's partnership as a partnership report tables it: indicators with targets,
    then those monitored; and each note on reading them once, naming the indicators it
    applies to (the cautions a partnership report prints in its appendix A)."""
    target, monitored = by_target(block["indicators"])
    notes: dict[str, list[str]] = {}
    for entry in target + monitored:
        if entry.get("interpretation_note"):
            name = f"{entry['title']} ({entry['code']})" if entry["code"] else entry["title"]
            notes.setdefault(entry["interpretation_note"], []).append(name)
    return {
        **block,
        "target": target,
        "monitored": monitored,
        "notes": [{"text": text, "names": names} for text, names in notes.items()],
    }


def _uses_national_codes(entries: list[dict]) -> bool:
    """Whether the report prints an "NI" code: spelled out in the performance section's
    first paragraph (the key findings name codes only of red and amber ones)."""
    return any(e["code"].startswith("NI ") for e in entries)


# What the crime-in-context appendix holds, part by part, as the performance section says it.
CONTEXT_WORDS = {
    "core": "the last 12 months and the last 3 against the year before",
    "hotspots": "hotspots",
    "outcomes": "solved crimes",
}


def _context_contents(snapshot: dict) -> dict:
    """ "Comparisons with similar areas and neighbours": only what the appendix has, with
    "and" before the last item."""
    parts = (snapshot.get("context") or {}).get("parts", [])
    items = [CONTEXT_WORDS[part] for part in ("core",) if part in parts]
    compared = [w for part, w in (("family", "similar areas"), ("neighbours", "neighbours"))
                if part in parts]  # fmt: skip
    if compared:
        noun = "comparisons" if len(compared) > 1 else "a comparison"
        items.append(f"{noun} with {' and '.join(compared)}")
    items += [CONTEXT_WORDS[part] for part in ("hotspots", "outcomes") if part in parts]
    if not items:
        return {"context_contents": "", "context_contents_plural": False}
    # The core table's words hold an "and" of their own: a list with it takes semicolons.
    text = joined(items, between="; " if "core" in parts else ", ")
    plural = len(items) > 1 or not items[0].startswith("a comparison")
    return {"context_contents": text, "context_contents_plural": plural}


# The sections that tell of the report's own indicators: their tables, the tallies of
# status and direction, and each priority's statistics.
TELLING_SECTIONS = {"performance", "key_findings", "successes"}


def _tested(changes) -> bool:
    """Whether any of these changes carries a normal-variation label (within or beyond)."""
    return any(change is not None and change.get("within") is not None for change in changes)


def _definitions_shown(
    snapshot: dict, shown: list[str], appendices: dict, appendix_entries: list[dict]
) -> dict:
    """What the definitions appendix explains: only what the report prints. The key to the
    status only with an indicator that has a target; the tests only where a change or a
    month is tested, naming those it prints; the sources only with a figure."""
    own = snapshot.get("indicators", {})
    covered = [entry for block in snapshot.get("overview", []) for entry in block["indicators"]]
    told = [*(own.values() if TELLING_SECTIONS & set(shown) else []), *covered]
    # The years to date printed with their change: in a summary table or a key finding's
    # commentary (csv_rows.printed_indicators), or an overview's row.
    ytd = [own[str(i)] for i in csv_rows.printed_indicators(snapshot)] + covered
    items = []
    if _tested(e["changes"].get("ytd") for e in ytd):
        items.append("the year to date")
    for words, keys in (
        ("the rolling year", ("rolling",)),
        ("the quarter", ("quarter_previous", "quarter_same")),
    ):
        if _tested(e["changes"].get(key) for e in appendix_entries for key in keys):
            items.append(words)
    if _tested(m for e in appendix_entries for m in e["months"]):
        items.append("each month against the same month last year")
    context = (snapshot.get("context") or {}) if appendices.get("context") else {}
    parts = context.get("parts", [])
    core = context.get("core", []) if "core" in parts else []
    neighbours = (context.get("neighbours") or {}) if "neighbours" in parts else {}
    in_context = [
        words
        for window, words in (("year", "the last 12 months"), ("quarter", "the last 3 months"))
        if _tested(row[window] for row in core)
    ]
    if context.get("forces") and _tested(row.get("force_variation") for row in core):
        in_context.append("the force's change")
    if _tested(row for i in neighbours.get("indicators", []) for row in [*i["rows"], i["force"]]):
        in_context.append("each partnership's four quarters")
    tested = joined(items)
    if in_context:
        in_tables = f"in the crime in context tables {joined(in_context)}"
        tested = f"{tested}, and {in_tables}" if tested else in_tables
    # Appendix A judges the latest month with the Poisson test when it has too little
    # history for process limits, and otherwise prints its usual range.
    poisson_month = any(e["figures"].get("variation_test") == "poisson" for e in appendix_entries)
    usual_range = any(e["figures"].get("variation_test") != "poisson" for e in appendix_entries)
    definitions = snapshot.get("definitions", {})
    figures = bool(told)
    return {
        "status_key": any(e.get("has_target") for e in told),
        # No target: a direction still rated, or none (for information only).
        "no_target": any(not e.get("has_target") and e.get("polarity") != "monitor" for e in told),
        "information_only": any(e.get("polarity") == "monitor" for e in told),
        "direction": bool(told),
        # Appendix A compares each quarter (an overview's rows only the year to date).
        "quarters": bool(appendix_entries),
        "usual_range": usual_range,
        "normal_variation": bool(tested) or poisson_month,
        "tested": tested,
        "poisson_month": poisson_month,
        "ranks": "family" in parts,
        "no_figure": figures or bool(core),
        "sources": [
            *(definitions.get("sources", []) if figures else []),
            *definitions.get("compared_sources", []),
        ],
        "as_at": figures or bool(parts),
    }


def overdue_texts(snapshot: dict, kind: str) -> set[str]:
    """The recorded risks (``kind`` "risks") or scrutiny recommendations as printed that
    were overdue at the report's month end: each is marked where it is printed. Versions
    published before they were marked have none."""
    follow_up = snapshot.get("follow_up") or {}
    return {item["text"] for item in follow_up.get(kind, []) if item["overdue"]}


def _risk_paragraphs(snapshot: dict, main: list[dict]) -> list[str]:
    """The numbers of the priorities' "Current risks" paragraphs ("3.1.3"), as
    reports/_priorities.html numbers them."""
    number = next((s["number"] for s in main if s["key"] == "successes"), None)
    if number is None:
        return []
    return [
        f"{number}.{m}.{item['numbers'].get('risks', 3)}"
        for m, item in enumerate(snapshot.get("priorities", []), start=1)
        if item["risks"]
    ]


APPENDIX_TITLES = {
    "indicators": "Performance by indicator",
    "context": "Crime in context",
    "overdue": "Overdue actions",
    "commissioning": "Funding and commissioning lines",
    "issues": "Issues for other theme groups and scrutiny recommendations",
    "definitions": "Definitions and glossary",
}


def appendix_letters(
    snapshot: dict, shown: list[str], *, with_indicators: bool, definitions: bool = True
) -> dict:
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
        "definitions": definitions and "definitions" in shown,
    }
    keys = [key for key in APPENDIX_TITLES if present[key]]
    return {
        key: {"key": key, "letter": chr(ord("A") + i), "title": APPENDIX_TITLES[key]}
        for i, key in enumerate(keys)
    }


GLOSSARY_MARK = mark_safe("<!-- app-glossary -->")
_TAGS = re.compile(r"<script\b.*?</script>|<[^>]+>", re.S)


def render_document(snapshot: dict) -> str:
    """The report's body HTML: what a version stores and every page and file is made from.

    The glossary lists only the abbreviations and terms the drawn text uses, so it is
    written last, from the rest of the document's words."""
    context = document_context(snapshot)
    document = render_to_string("reports/_document.html", context)
    if GLOSSARY_MARK not in document:
        return document
    words = html.unescape(_TAGS.sub(" ", document))
    defines = context["defines"]
    terms = glossary(
        words,
        snapshot.get("definitions", {}).get("other_terms", []),
        status_key=defines["status_key"],
    )
    if not terms and not snapshot.get("no_figures") and not any(defines.values()):
        # Nothing to define (an overview with no figures): no empty appendix.
        return render_to_string(
            "reports/_document.html", document_context(snapshot, definitions=False)
        )
    return document.replace(
        GLOSSARY_MARK, render_to_string("reports/_glossary.html", {"terms": terms})
    )


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
    # Added later, so last (the columns are only ever added to, at the end): "true" or
    # "false" on a risk's review date or a recommendation's due date, blank otherwise.
    "overdue",
]


def report_csv(snapshot: dict) -> str:
    """Every figure the report shows, unrounded, one per row (long format): each indicator's
    figures and months, the crime-in-context tables, then the report's own figures
    (``csv_rows.report_rows``); none of a section it does not print. Months are written
    YYYY-MM.

    It starts with a byte-order mark, as the site's other CSV downloads do, so Excel reads
    it as UTF-8 (curly quotes, dashes, £). A version stores the text made at publishing and
    is served as stored, so versions published before the mark came stay without it."""
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = CsvDictWriter(buffer, CSV_FIELDS)
    writer.writeheader()
    own = snapshot["partnership"]["slug"]
    base = {"partnership": own, "report_period": csv_rows.csv_month(snapshot["period"])}

    def write(entry, slug):
        named = {
            **base,
            "partnership": slug,
            "indicator": spreadsheet_safe(entry["code"] or ""),
            "title": spreadsheet_safe(entry["title"] or ""),
            "theme_group": spreadsheet_safe(entry["theme_group"] or ""),
            "measure": entry["measure"],
        }
        for figure, period, value in csv_rows.indicator_rows(entry):
            writer.writerow({**named, "figure": figure, "period": period, "value": value})

    for i in csv_rows.printed_indicators(snapshot):
        write(snapshot["indicators"][str(i)], own)
    # An overview's indicators are each of their own partnership's.
    for block in snapshot.get("overview", []):
        for entry in block["indicators"]:
            write(entry, block["slug"])
    context = snapshot.get("context") or {}
    if "performance" not in csv_rows.printed_sections(snapshot):
        context = {}  # the crime-in-context appendix is printed with the performance section
    for row in context_csv_rows(context):
        writer.writerow(
            {**base, **{k: spreadsheet_safe(v or "") if k in SAFE else v for k, v in row.items()}}
        )
    for row in csv_rows.report_rows(snapshot):
        writer.writerow({**base, **row})
    return buffer.getvalue()
