"""The report snapshot: everything a report shows, as plain JSON, built from figures already read.

No database and no arithmetic here: every number comes from ``indicators.figures`` (and the
action-plan and commissioning readers), every sentence from ``indicators.commentary``.
Numbers are stored as unrounded strings; rounding happens only when the HTML is drawn.
The snapshot is what a published version freezes.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from indicators import charts, commentary, periods, spc
from indicators.figures import (
    Figures,
    change_test,
    change_tests,
    direction_of,
    month_rows,
    rolling_twelve,
    shares,
    shares_add_to_hundred,
    tolerance_amount,
    year_series,
)
from indicators.selectors import IndicatorFigures, spec_for
from indicators.templatetags.figures import unit_suffix

from . import sections as report_sections
from .models import IMPLICATION_KEYS, SECTION_TITLES, other_terms

SCHEMA = 1
APPENDIX_SECTIONS = ("definitions",)
STATUS_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "none": "Monitored"}
DIRECTION_LABELS = {
    "improving": "Improving",
    "deteriorating": "Deteriorating",
    "stable": "Stable",
    "none": "No comparison",
    "monitor": "For information only",
}
# Standard cautions (REPORTING.md), added when an indicator has no note of its own and
# counts recorded crimes or incidents: the first whose pattern matches the words of its
# title and unit.
CAUTIONS = (
    (
        re.compile(r"\bdomestic[ -](abuse|violence)\b|\bsexual\b|\brape\b|\bhate\b|\bracially\b"),
        "More recorded crime of this kind may reflect better recording and more confidence "
        "to report, not more crime.",
    ),
    (
        re.compile(r"\banti-?social\b|\basb\b"),
        "Anti-social behaviour figures are incidents reported to the police, not crimes.",
    ),
    (
        re.compile(r"\bcrimes?\b|\boffences?\b"),
        "Police-recorded crime measures demand on the police rather than trends in crime.",
    ),
)
# What a count of recorded crime or incidents names ("hate crimes", "ASB rate").
_RECORDED = re.compile(r"\b(crimes?|offences?|incidents?|rapes?|anti-?social behaviour|asb)\b")
# Other things counted about a kind of crime: the cautions say nothing of them.
_NOT_RECORDED = re.compile(
    r"\b(arrests?|cases?|victims?|survivors?|offenders?|perpetrators?|outcomes?|referrals?"
    r"|satisf\w*|charged?|charges|convict\w*|detect\w*|solved|sanctions?|brought to justice"
    r"|people|clients?)\b"
)
# What a measure leaves out is not what it counts ("violence (excluding domestic abuse)").
_LEFT_OUT = re.compile(r"\b(excluding|excludes|except|not including|other than)\b[^)]*")


@dataclass(frozen=True)
class PartnershipBlock:
    """One partnership of an overview report: its headline figures and its news."""

    partnership_id: int
    name: str
    slug: str
    results: list[IndicatorFigures]
    news: str
    # Open actions linked to each indicator (as ReportInputs.linked_actions), so a red
    # indicator carries its corrective action here too; None without the action plan app.
    linked_actions: Mapping[int, list[dict]] | None = None
    # Its figures revised since a published report showed them (as ReportInputs.revisions).
    revisions: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class ReportInputs:
    """What the builder reads, gathered by ``reports.selectors.report_inputs``."""

    report: object  # reports.models.Report, already loaded with its relations
    results: list[IndicatorFigures]
    theme_group_names: list[str]
    figures_as_at: datetime.datetime
    revisions: list[dict] = field(default_factory=list)
    linked_actions: Mapping[int, list[dict]] | None = None
    action_plan: dict | None = None
    commissioning: dict | None = None
    risk_items: dict | None = None  # open risks, issues and recommendations from action plans
    blocks: list[PartnershipBlock] = field(default_factory=list)
    family: list[dict] = field(default_factory=list)  # ranks in the most similar group
    context: object | None = None  # reports.context.ContextInputs: crime in context
    formats: dict | None = None  # selectors.formats_contact: for another format, if no email


def plain(value: object) -> object:
    """A JSON-safe, unrounded form: Decimals as strings without trailing zeros, dates ISO."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value  # most of a snapshot's values: no further checks
    if kind is Decimal or isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def figures_record(figures: Figures) -> dict:
    """Every figure of an indicator, unrounded, keyed by the Figures field name."""
    return {f.name: plain(getattr(figures, f.name)) for f in dataclasses.fields(figures)}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _caution(indicator) -> str:
    """The indicator's interpretation note, else the standard caution for a count (or
    rate) of recorded crimes or incidents of its kind. Arrests, cases, victims, outcomes,
    referrals and satisfaction are not recorded crime, and a percentage is no count: they
    get none."""
    if indicator.interpretation_note:
        return indicator.interpretation_note
    if indicator.measure == indicator.Measure.PERCENTAGE:
        return ""
    # The title and the unit each lose what they leave out, never each other's words.
    words = " ".join(_LEFT_OUT.sub("", text.lower()) for text in (indicator.title, indicator.unit))
    if not _RECORDED.search(words) or _NOT_RECORDED.search(words):
        return ""
    for pattern, sentence in CAUTIONS:
        if pattern.search(words):
            return sentence
    return ""


def _chart(chart: charts.Chart) -> dict:
    return {
        "id": chart.id,
        "title": chart.title,
        "subtitle": chart.subtitle,
        "alt": chart.alt,
        "spec": chart.spec,
        "headers": chart.headers,
        "rows": chart.rows,
    }


def indicator_entry(
    result: IndicatorFigures,
    *,
    editor_comment: str = "",
    actions: list[dict] | None = None,
    with_charts: bool = True,
    revised: Sequence[str] = (),
) -> dict:
    """One indicator as the report shows it. ``revised``: the months (ISO) whose figures
    were revised since a report gave them, marked "[r]" where the report prints them."""
    indicator, figures = result.indicator, result.figures
    spec = spec_for(indicator)
    fy = periods.financial_year_of(figures.fy_start, spec.fy_start_month)
    before = dict(year_series(spec, result.series, fy - 2))
    rolling = rolling_twelve(spec, result.series, figures.period)
    # Three years of months where the data exist, so seasonality shows (REPORT_CHECKLIST 11).
    year_before = charts.year_before_last(spec, result)
    before_label = year_before[0]
    revised_months = {datetime.date.fromisoformat(month) for month in revised}
    built = (
        charts.indicator_charts(indicator, result, year_before, revised=revised_months)
        if with_charts
        else []
    )
    # Every change the report prints carries its normal-variation test (REPORT_CHECKLIST 16).
    tests = change_tests(figures, indicator.measure, rolling)
    counted = indicator.measure == "count"
    has_target = result.has_target
    if built and tests["ytd"].within and figures.ytd_change:
        # The chart's title states a rise or fall: say when it is only normal variation.
        built[0] = charts.retitled(
            built[0], indicator, f"{built[0].finding}, within normal variation"
        )
    charts_ = [_chart(c) for c in built]
    has_before = any(v is not None for v in before.values())
    return {
        "id": indicator.pk,
        "code": indicator.code,
        "title": indicator.title,
        "theme_group": indicator.theme_group.name if indicator.theme_group else "",
        "measure": indicator.measure,
        "measure_label": indicator.get_measure_display(),
        "polarity": indicator.polarity,
        # In the words the key findings and definitions use (not "Monitoring only").
        "polarity_label": INFORMATION_ONLY
        if indicator.polarity == "monitor"
        else indicator.get_polarity_display(),
        "frequency": indicator.frequency,
        # A snapshot of a count (every value whole) shows no decimals: 333, not 333.0.
        "places": charts.shown_places(
            indicator.measure,
            [v for _, v in figures.this_year + figures.last_year] + list(before.values()),
        ),
        "suffix": unit_suffix(indicator.measure),
        "tolerance": plain(indicator.tolerance),
        # The amber band the commentary gives ("the tolerance of 5% of the target to date,
        # which is 18.8"), unrounded for report.csv.
        "tolerance_amount": plain(tolerance_amount(figures.target_to_date, spec.tolerance_pct)),
        "stability": plain(indicator.stability),
        "data_source": indicator.data_source,
        "owner": indicator.owner,
        "has_target": has_target,
        **(
            commentary.target_status_words(
                result.target,
                figures,
                indicator.measure,
                quarterly=indicator.frequency == "quarterly",
                fy_start_month=spec.fy_start_month,
            )
            if has_target
            else {}
        ),
        "status": figures.status,
        "direction": figures.direction,
        "direction_previous_quarter": direction_of(
            spec, figures.quarter_previous_change, figures.quarter_previous_change_pct
        ),
        "direction_same_quarter": direction_of(
            spec, figures.quarter_change, figures.quarter_change_pct
        ),
        # Why the quarter's comparisons have no change, and what the one with last year
        # compares ("Quarter 3, months with figures only, against the same months last year").
        "quarter_gap": commentary.quarter_gap_words(figures, spec),
        "quarter_same_label": commentary.quarter_same_label(figures, spec),
        "figures": figures_record(figures),
        "months": [
            {
                "period": row.period.isoformat(),
                "label": periods.month_name(row.period)
                if indicator.frequency == "monthly"
                else f"Q{periods.quarter_of(row.period, spec.fy_start_month)}",
                "year_before": plain(before.get(periods.add_months(row.period, -24))),
                "last_year": plain(row.last_year),
                "this_year": plain(row.this_year),
                "change": plain(row.change),
                "cumulative": plain(row.cumulative),
                "cumulative_target": plain(row.cumulative_target),
                # A period not over by the reporting month is not yet due, not "missing": a
                # quarter is due once its last month is (October to December in December).
                "due": periods.last_month_of(row.period, indicator.frequency) <= figures.period,
                "within": change_test(row.this_year, row.last_year).within if counted else None,
                **(
                    _parts(result.series, row.period, periods.add_months(row.period, -12))
                    if indicator.measure == "percentage"
                    else {}
                ),
            }
            for row in month_rows(figures)
        ],
        "charts": charts_,
        "revised": sorted(revised),
        "year_before_label": before_label if has_before else "",
        "rolling": {
            "end": plain(rolling.end),
            "current": plain(rolling.current),
            "previous": plain(rolling.previous),
            "change": plain(rolling.change),
            "change_pct": plain(rolling.change_pct),
        },
        "changes": {key: {"z": plain(t.z), "within": t.within} for key, t in tests.items()},
        "commentary": " ".join(
            part
            for part in (
                result.commentary(),
                _ytd_variation_sentence(figures, spec, tests["ytd"]),
            )
            if part
        ),
        # Process control's verdict on the period's level, worded by its signal, then the
        # variation and assurance.
        "usual_range": commentary.usual_range_sentence(
            figures, spec, periods.month_label(figures.period)
        ),
        "variation": commentary.spc_summary(figures, spec),
        "interpretation_note": _caution(indicator),
        "editor_comment": editor_comment.strip(),
        "actions": actions or [],
        "actions_known": actions is not None,
    }


def _ytd_variation_sentence(figures: Figures, spec, test) -> str:
    """The year to date's tested change; for one with gaps, the periods it adds up (and
    nothing when that is the reporting month alone, whose own change is already tested)."""
    if not figures.ytd_partial:
        return commentary.change_variation_sentence(test)
    if commentary.partial_ytd_only_this_month(figures, spec):
        return ""
    plural = len(figures.ytd_periods) > 1
    unit = "quarter" if spec.frequency == "quarterly" else "month"
    those = f"those {unit}s" if plural else f"that {unit}"
    return commentary.change_variation_sentence(
        test, what=f"the same {unit}{'s' if plural else ''} last year", subject=those
    )


def _parts(series: Mapping, period: datetime.date, last: datetime.date) -> dict:
    """A percentage's counts for a month and the same month last year (REPORT_CHECKLIST 16)."""
    parts = {}
    for key, month in (("this_parts", period), ("last_parts", last)):
        point = series.get(month)
        if point is not None and point.numerator is not None and point.denominator is not None:
            parts[key] = [plain(point.numerator), plain(point.denominator)]
    return parts


def _has_figures(figures: Figures) -> bool:
    """Whether a report tables an indicator: it has a figure for the year so far, or none
    is due yet (no period of the year has ended by the report's month: a quarterly one
    before its first quarter ends) and it has last year's figures to be tabled with. One
    whose figures are all overdue (even with last year's), or with none in either year,
    is named under "Missing figures", not tabled: a row of "No figure" pads the main
    report and compares nothing. The rule ``selectors.figures_entered`` reads in the
    database."""
    if figures_to_date(figures):
        return True
    return not figures.missing_periods and any(v is not None for _, v in figures.last_year)


def figures_to_date(figures: Figures) -> bool:
    """Whether an indicator has a figure for the months its report covers this year."""
    return any(v is not None for _, v in figures.this_year)


def by_target(entries: Sequence[dict]) -> tuple[list[dict], list[dict]]:
    """The indicators with a target, then those monitored (REPORT_CHECKLIST 12: apart)."""
    return [e for e in entries if e["has_target"]], [e for e in entries if not e["has_target"]]


# Key findings: every indicator counted once in each table, and the indicators that are
# neither rated nor compared named for why, in the same words in both tables.
INFORMATION_ONLY = "For information only: no better or worse direction"
FINDING_STATUSES = {
    "green": "Green",
    "amber": "Amber",
    "red": "Red",
    "unrated": "Target set but not rated: figures missing",
    "unrated_baseline": "Target set but not rated: baseline year has no figures",
    "no_target": "No target set",
    "monitor": INFORMATION_ONLY,
}
FINDING_DIRECTIONS = {
    "improving": "Improving",
    "deteriorating": "Deteriorating",
    "stable": "Stable",
    "none_this_year": "No comparison: no figures this year yet",
    "none": "No comparison: no figures for the same months last year",
    "monitor": INFORMATION_ONLY,
}
RATED = ("green", "amber", "red", "improving", "deteriorating", "stable")


def _finding_direction(entry: dict) -> str:
    """The direction's key; with no comparison, whether this year or last year lacks figures."""
    if entry.get("polarity") == "monitor":
        return "monitor"
    this_year = (entry.get("figures") or {}).get("this_year")
    has_this_year = this_year is None or any(value is not None for _, value in this_year)
    if entry["direction"] == "none" and not has_this_year:
        return "none_this_year"
    return entry["direction"]


def _tally(
    entries: Sequence[dict], key_of, labels: Mapping[str, str], keep: Sequence[str] = ()
) -> list[dict]:
    """Each label's count and share of all the entries; an unrated row only when it has any
    (or is one of ``keep``: a column another partnership of an overview has)."""
    counts = {name: 0 for name in labels}
    for entry in entries:
        counts[key_of(entry)] += 1
    pcts = shares(counts)
    return [
        {
            "key": name,
            "label": labels[name],
            "rated": name in RATED,
            "count": counts[name],
            "pct": plain(pcts[name]),
        }
        for name in labels
        if name in RATED or counts[name] or name in keep
    ]


def _notable(entry: dict) -> bool:
    """Whether an indicator that is not red or amber is a notable change all the same: worse
    than the same months last year by more than normal variation, or a concerning special
    cause in process control. A green status can give false assurance, and an indicator
    without a target has no status at all (REPORT_CHECKLIST 7 and 15)."""
    if entry["status"] in ("red", "amber") or entry.get("polarity") == "monitor":
        return False
    tested = ((entry.get("changes") or {}).get("ytd") or {}).get("within")
    worse = entry["direction"] == "deteriorating" and tested is False
    return worse or (entry.get("figures") or {}).get("variation") == spc.SPECIAL_CONCERNING


def _count_within(directions: list[dict], entries: Sequence[dict]) -> list[dict]:
    """The direction rows, with how many of those improving or deteriorating are within
    normal variation (``within_normal_variation``: stable and no direction have none)."""
    for row in directions:
        if row["key"] in report_sections.MOVED:
            row["within_normal_variation"] = sum(
                1
                for e in entries
                if _finding_direction(e) == row["key"]
                and report_sections.within_normal_variation(e)
            )
    return directions


def key_findings(entries: Sequence[dict]) -> dict:
    """Status and direction counts with their shares (and how many of those improving or
    deteriorating are within normal variation), then the red and amber exceptions and the
    other notable changes."""
    exceptions = [e for e in entries if e["status"] == "red"] + [
        e for e in entries if e["status"] == "amber"
    ]
    statuses = _tally(entries, report_sections.finding_status, FINDING_STATUSES)
    directions = _count_within(_tally(entries, _finding_direction, FINDING_DIRECTIONS), entries)
    return {
        "total": len(entries),
        "statuses": statuses,
        "directions": directions,
        # Whether each table's shares, printed whole, miss 100: it then says why.
        "statuses_rounding_note": not shares_add_to_hundred(row["pct"] for row in statuses),
        "directions_rounding_note": not shares_add_to_hundred(row["pct"] for row in directions),
        "exceptions": [e["id"] for e in exceptions],
        # Added later: a snapshot made before has none (read with .get).
        "notable": [e["id"] for e in entries if _notable(e)],
        "red_without_action": [
            e["id"]
            for e in entries
            if e["status"] == "red" and not any(a.get("open", True) for a in e["actions"])
        ],
    }


# The overview's comparison heads its columns in short: the caption says what is compared.
COMPARED_STATUSES = {
    **FINDING_STATUSES,
    "unrated": "Not rated: figures missing",
    "unrated_baseline": "Not rated: baseline year has no figures",
    "monitor": "For information only",
}
COMPARED_DIRECTIONS = {
    **FINDING_DIRECTIONS,
    "none_this_year": "No figures this year yet",
    "none": "No figures last year",
    "monitor": "For information only",
}


def overview_comparison(blocks: Sequence[dict]) -> dict:
    """An overview's partnerships side by side: for each, how many of its indicators have
    each status and each direction of travel, with their shares, counted as the key
    findings count them (with how many improving or deteriorating are within normal
    variation). Every partnership has the same columns: green, amber, red, improving,
    deteriorating and stable, and any other that one of them has. A partnership with no
    indicators (``empty``) has no counts to give: its row says so across them (``spans``:
    how many columns that cell crosses in each table)."""
    entries = [entry for block in blocks for entry in block["indicators"]]
    kinds = (
        ("statuses", report_sections.finding_status, COMPARED_STATUSES),
        ("directions", _finding_direction, COMPARED_DIRECTIONS),
    )
    comparison: dict = {"rows": [{"slug": b["slug"], "name": b["name"]} for b in blocks]}
    for kind, key_of, labels in kinds:
        present = {key_of(entry) for entry in entries}
        for row, block in zip(comparison["rows"], blocks, strict=True):
            row["total"] = len(block["indicators"])
            row["empty"] = not block["indicators"]
            row[kind] = _tally(block["indicators"], key_of, labels, keep=present)
            if kind == "directions":
                _count_within(row[kind], block["indicators"])
        comparison[kind] = [
            {"key": item["key"], "label": item["label"]} for item in comparison["rows"][0][kind]
        ]
        # Whether any partnership's shares, printed whole, miss 100: the table says why.
        comparison[f"{kind}_rounding_note"] = any(
            not shares_add_to_hundred(item["pct"] for item in row[kind])
            for row in comparison["rows"]
        )
    # The status table's cell crosses the indicators' column too.
    comparison["spans"] = {
        "statuses": len(comparison["statuses"]) + 1,
        "directions": len(comparison["directions"]),
    }
    return comparison


def _definitions(
    partnership,
    entries: Sequence[dict],
    figures_as_at: datetime.datetime,
    blocks: Sequence[PartnershipBlock] = (),
    *,
    compared: Sequence[str] = (),
    terms: Sequence[dict] = (),
) -> dict:
    """The definitions appendix. ``compared``: the quarters ("Q2 2016/17") of the Home
    Office figures the crime-in-context appendix prints (similar areas, neighbours);
    ``terms``: the editor's own for the glossary (``models.other_terms``)."""
    legend = partnership.rag_legend or {}
    sources = sorted({e["data_source"] for e in entries if e["data_source"]})
    # An overview has no indicators of its own: its key gives the covered partnerships' bands.
    covered = [r.indicator for block in blocks for r in block.results]
    tolerances = {e["tolerance"] for e in entries} | {plain(i.tolerance) for i in covered}
    stabilities = {e["stability"] for e in entries} | {plain(i.stability) for i in covered}
    return {
        "legend": [
            {"key": key, "label": STATUS_LABELS[key], "text": legend.get(key, "")}
            for key in ("green", "amber", "red")
        ],
        # The indicators' figures' sources (printed only with a figure), then the Home
        # Office's for the comparisons.
        "sources": sources
        or [
            "Figures entered by each partnership's officers."
            if blocks
            else f"Figures entered by {partnership.name} officers."
        ],
        "compared_sources": _home_office_source(compared),
        "tolerances": sorted(tolerances, key=Decimal),
        "stabilities": sorted(stabilities, key=Decimal),
        "figures_as_at": figures_as_at.isoformat(),
        "other_terms": list(terms),
    }


def _home_office_source(quarters: Sequence[str]) -> list[str]:
    """The Home Office's figures as a source, to the latest of the quarters compared."""
    if not quarters:
        return []
    # "Q2 2016/17": by financial year, then quarter.
    latest = max(quarters, key=lambda label: (label.split()[-1], label))
    return [
        "Home Office police recorded crime by Community Safety Partnership area, to "
        f"{latest}: the comparisons with other areas."
    ]


def _compared_quarters(context: dict, family: list[dict], shown: list[str]) -> list[str]:
    """The quarters of Home Office figures the crime-in-context appendix prints: it is
    printed with the performance section."""
    if "performance" not in shown:
        return []
    parts = context.get("parts", [])
    quarters = [row["quarter"] for row in family] if "family" in parts else []
    if "neighbours" in parts and context.get("neighbours"):
        quarters += [i["quarter"] for i in context["neighbours"]["indicators"]]
    return quarters


def _cover(report) -> dict:
    implications = report.implications or {}
    return {
        "meeting": report.meeting_label,
        "meeting_kind": report.kind_of_meeting,
        "meeting_date": plain(report.date_of_meeting),
        "report_of": report.report_of,
        "contact_officer": report.contact_officer,
        "contact_email": report.contact_email,
        "coordinator": report.coordinator,
        "priority": report.priority,
        "wards": report.wards or "All",
        "exempt": report.exempt,
        "exempt_paragraph": report.exempt_paragraph,
        "executive_summary": _lines(report.executive_summary),
        "purpose": report.get_purpose_display(),
        "recommendations": _lines(report.recommendations) or ["To note the update"],
        "implications": [
            {
                "key": key,
                "label": label,
                "text": (implications.get(key) or {}).get("text", "").strip(),
                "officer": (implications.get(key) or {}).get("officer", "").strip(),
            }
            for key, label in IMPLICATION_KEYS
        ],
        "background_papers": _lines(report.background_papers),
    }


def _formats(report, fallback: Mapping) -> dict:
    """The another-format statement's address: the cover sheet's contact email, else the
    fallback (``from_cover`` says which); and the accessibility statement's full address."""
    email = report.contact_email.strip()
    return {
        "email": email or fallback.get("email", ""),
        "from_cover": bool(email),
        "statement_url": fallback.get("statement_url", ""),
    }


def _number_sections(snapshot: dict, available: Mapping[str, bool]) -> list[dict]:
    """The shown sections in the report's order, numbered, with their paragraph numbers."""
    shown = []
    for item in snapshot["section_order"]:
        key = item["key"]
        if item.get("shown") and available.get(key, False):
            shown.append({"key": key, "title": SECTION_TITLES[key]})
    # Section 1 is the introduction (purpose and summary); generated sections follow. The
    # definitions are reference, printed as an appendix to keep the main report short.
    number = 1
    for section in shown:
        if section["key"] in APPENDIX_SECTIONS:
            section["appendix"] = True
            continue
        number += 1
        section["number"] = number
    return shown


def _context(results: list[IndicatorFigures], inputs, *, has_family: bool) -> dict:
    """The crime-in-context sections (reports.context); empty without their inputs."""
    if inputs is None:
        return {"parts": ["family"] if has_family else []}
    from .context import context_snapshot  # it reads plain() from here

    return context_snapshot(results, inputs, has_family=has_family)


def build_snapshot(inputs: ReportInputs) -> dict:
    """The whole report as plain JSON, ready to render, freeze and export."""
    report = inputs.report
    partnership = report.partnership
    comments = {str(k): v for k, v in (report.editor_comments or {}).items()}
    linked = inputs.linked_actions
    # An indicator with no figure in either year has nothing to report: it is named, not tabled.
    reported = [r for r in inputs.results if _has_figures(r.figures)]
    no_figures = [
        {"code": r.indicator.code, "title": r.indicator.title}
        for r in inputs.results
        if not _has_figures(r.figures)
    ]
    revised = revised_months(inputs.revisions)
    entries = [
        indicator_entry(
            result,
            editor_comment=comments.get(str(result.indicator.pk), ""),
            actions=None if linked is None else list(linked.get(result.indicator.pk, [])),
            revised=revised.get(result.indicator.pk, ()),
        )
        for result in reported
    ]
    fy_start_month = partnership.fy_start_month
    fy = periods.financial_year_of(report.period, fy_start_month)
    target_entries, monitor_entries = by_target(entries)
    successes = [
        {"group": name or partnership.name, "text": _lines(report.successes.get(name, ""))}
        for name in inputs.theme_group_names
        if (report.successes or {}).get(name, "").strip()
    ]
    # Recorded risks, issues and recommendations first, then what the editor adds.
    recorded = inputs.risk_items or {}
    risks = {
        "risks": [*recorded.get("risks", []), *_lines(report.risks)],
        "issues": [*recorded.get("issues", []), *_lines(report.issues_for_others)],
        "recommendations": [
            *recorded.get("recommendations", []),
            *_lines(report.scrutiny_recommendations),
        ],
    }
    # Ranks only for the indicators the report tables (those with figures).
    family = [f for f in inputs.family if f["code"] in {e["code"] for e in entries}]
    context = _context(reported, inputs.context, has_family=bool(family))
    snapshot = {
        "schema": SCHEMA,
        "introduction": _lines(report.introduction),
        "kind": report.kind,
        "title": report.title,
        "partnership": {
            "name": partnership.name,
            "slug": partnership.slug,
            "area": partnership.area,
        },
        "theme_group": report.theme_group.name if report.theme_group_id else "",
        "period": report.period.isoformat(),
        "period_label": periods.month_label(report.period),
        "financial_year": periods.fy_label(fy, fy_start_month),
        "last_financial_year": periods.fy_label(fy - 1, fy_start_month),
        "fy_start_label": _start_label(periods.fy_start(fy, fy_start_month), report.period),
        # The months the report covers in words, one month once: "April 2016".
        "span_label": periods.months_span(periods.fy_start(fy, fy_start_month), report.period),
        # Whether any indicator it covers has a figure for them (one tabled before its
        # first quarter ends may show last year's alone): else the editor is warned.
        "figures_to_date": any(figures_to_date(r.figures) for r in inputs.results),
        "quarter": periods.quarter_of(report.period, fy_start_month),
        "cover": _cover(report),
        "formats": _formats(report, inputs.formats or {}),
        "section_order": [dict(s) for s in report.sections],
        "key_findings": key_findings(entries),
        "successes": successes,
        "performance": {
            "target": [e["id"] for e in target_entries],
            "monitoring": [e["id"] for e in monitor_entries],
            # The decimals of each summary table's percentage changes: the report's one
            # precision (snapshots made before it chose them for each column).
            "target_pct_places": commentary.CHANGE_PCT_PLACES,
            "monitoring_pct_places": commentary.CHANGE_PCT_PLACES,
        },
        "indicators": {str(e["id"]): e for e in entries},
        "indicator_order": [e["id"] for e in target_entries + monitor_entries],
        "no_figures": no_figures,
        "actions": inputs.action_plan,
        "commissioning": inputs.commissioning,
        "risks": risks,
        # The recorded risks' review dates and recommendations' due dates, and whether each
        # was overdue at the report's month end: marked where printed, and in report.csv.
        "follow_up": recorded.get("follow_up"),
        "family": family,
        "context": context,
        "definitions": _definitions(
            partnership,
            entries,
            inputs.figures_as_at,
            inputs.blocks,
            compared=_compared_quarters(context, family, report.shown_sections),
            terms=other_terms(getattr(report, "other_terms", "")),
        ),
        **_revisions_and_late(inputs.revisions),
        "overview": [
            {
                "partnership_id": block.partnership_id,
                "name": block.name,
                "slug": block.slug,
                "news": _lines(block.news),
                **_revisions_and_late(block.revisions),
                "indicators": indicators,
                "pct_places": commentary.CHANGE_PCT_PLACES,
            }
            for block, indicators in ((block, _block_entries(block)) for block in inputs.blocks)
        ],
    }
    # The partnerships side by side, before each one's own part (added later: read with get).
    if snapshot["overview"]:
        snapshot["overview_comparison"] = overview_comparison(snapshot["overview"])
    # Whether the report prints any figure at all (an overview: in any partnership's block).
    snapshot["has_figures"] = bool(entries) or any(b["indicators"] for b in snapshot["overview"])
    # Organised by CSP priority, and the terms the report uses (REPORT_CHECKLIST 6).
    snapshot["priorities"] = report_sections.priorities(
        entries,
        inputs.theme_group_names,
        whole_name=partnership.name,
        successes=report.successes or {},
        focus=getattr(report, "focus", None) or {},
        risks=recorded.get("risks", []),
        risk_groups=recorded.get("risk_groups", []),
    )
    placed = [text for item in snapshot["priorities"] for text in item["risks"]]
    snapshot["other_risks"] = [
        text for text in risks["risks"] if not any(same_risk(text, p) for p in placed)
    ]
    available = {
        "key_findings": bool(entries),
        "successes": bool(snapshot["priorities"]),
        # Without a figure for the period the section stays, to say so: the report never
        # drops its performance silently. (An overview's figures are its partnerships'.)
        "performance": bool(entries) or report.kind != "overview",
        "actions": inputs.action_plan is not None,
        "commissioning": inputs.commissioning is not None,
        # An overview's risks would be those of the partnership it is filed under.
        "risks": any(risks.values()) and report.kind != "overview",
        "definitions": True,
    }
    snapshot["sections"] = _number_sections(snapshot, available)
    return snapshot


def _block_entries(block: PartnershipBlock) -> list[dict]:
    """An overview's headline indicators of one covered partnership: those with figures, as
    a partnership report tables them, those with a target first. An overview has no
    month-by-month table, so one with no year to date in either year (a quarterly one
    before its first quarter ends) would be a row of "No figure": it is left out."""
    target, monitored = by_target(
        [
            indicator_entry(
                r,
                with_charts=False,
                actions=None
                if block.linked_actions is None
                else list(block.linked_actions.get(r.indicator.pk, [])),
            )
            for r in block.results
            if _has_figures(r.figures)
            and (r.figures.ytd is not None or r.figures.ytd_last_year is not None)
        ]
    )
    return target + monitored


def same_risk(text: str, recorded: str) -> bool:
    """Whether a risk the editor typed is one recorded on a priority, as it is printed there
    (case, spacing and a closing full stop aside): it is then printed once, under its
    priority. A line in other words is the editor's own and always printed: no guess ever
    leaves out what someone wrote."""
    return _plain(text) == _plain(recorded)


def _plain(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".")


def _start_label(start: datetime.date, period: datetime.date) -> str:
    """The first month of "<start> to <period>": "April" within a year, "April 2009" when
    the span crosses into the next (so it never reads "April to March 2010")."""
    if start.year == period.year:
        return periods.month_name(start)
    return periods.month_label(start)


def shown_entries(snapshot: dict) -> list[dict]:
    """Every indicator the report shows figures of: its own, and an overview's in each
    covered partnership's block (an indicator belongs to one partnership: no id twice)."""
    return [
        *snapshot.get("indicators", {}).values(),
        *(entry for block in snapshot.get("overview", []) for entry in block["indicators"]),
    ]


def shown_figures(snapshot: dict) -> dict:
    """Each indicator's code, title and the monthly figures the report prints (both years),
    keyed by ISO month: what a revision check compares the audit trail against."""
    indicators = {}
    for entry in shown_entries(snapshot):
        values = {}
        for month in entry["months"]:
            values[month["period"]] = month["this_year"]
            last = periods.same_month_last_year(datetime.date.fromisoformat(month["period"]))
            values[last.isoformat()] = month["last_year"]
        indicators[str(entry["id"])] = {
            "code": entry["code"],
            "title": entry["title"],
            "places": entry["places"],
            "values": values,
        }
    return {
        "period": snapshot["period"],
        "contact_officer": snapshot["cover"]["contact_officer"],
        "has_charts": has_charts(snapshot),
        "indicators": indicators,
    }


def shown_indicator_ids(snapshot: dict) -> list[int]:
    """The indicators a report shows (those with figures; an overview's, those its blocks
    show): `ReportVersion.indicator_ids`."""
    return sorted(int(entry["id"]) for entry in shown_entries(snapshot))


def shown_partnership_ids(snapshot: dict, own: int) -> list[int]:
    """The partnerships whose figures a report shows (`ReportVersion.partnerships_shown`):
    an overview's, those of its blocks with a figure shown; any other report's, its own."""
    if snapshot.get("kind") != "overview":
        return [own]
    return sorted(
        {block["partnership_id"] for block in snapshot.get("overview", []) if block["indicators"]}
    )


def covered_partnership_ids(snapshot: dict) -> list[int]:
    """The partnerships an overview covers (`ReportVersion.covered`): each of its blocks',
    figures shown or not; none for any other report."""
    if snapshot.get("kind") != "overview":
        return []
    return sorted({block["partnership_id"] for block in snapshot.get("overview", [])})


def has_charts(snapshot: dict) -> bool:
    """Whether the report draws any chart (its page then loads the charting script)."""
    return any(entry.get("charts") for entry in snapshot.get("indicators", {}).values())


def is_late_return(old: str | None, *, target: bool = False) -> bool:
    """Whether a change to what a report showed is a late return, not a revision: a figure
    (not a target) the report had none of (``old``). One rule for the next report and for
    the published report's notice."""
    return not target and old is None


def revised_months(revisions: Sequence[dict]) -> dict[int, list[str]]:
    """Each indicator's months (ISO) whose figures were revised since a report gave them
    (``ReportInputs.revisions``; not late returns, not targets)."""
    months: dict[int, list[str]] = {}
    for r in revisions:
        if not r.get("target") and not is_late_return(r["old"]):
            months.setdefault(r["indicator"], []).append(r["period"])
    return months


def _revisions_and_late(revisions: Sequence[dict]) -> dict:
    """Figures changed since the last report showed them (``revisions``), and apart from
    them figures that report had none of (``late_figures``): late returns are no revision,
    and REPORT_CHECKLIST point 20 flags the two separately."""
    parts: dict[str, list[dict]] = {"revisions": [], "late_figures": []}
    for r in revisions:
        late = is_late_return(r["old"], target=r.get("target", False))
        parts["late_figures" if late else "revisions"].append(r)
    return parts
