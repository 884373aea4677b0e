"""The report's crime-in-context sections, as plain JSON: the rolling-year core table
(with rates per 1,000 and the force's change), comparisons with similar areas and
neighbours, and hotspots and outcomes from police.uk.

No database and no arithmetic here: every number comes from ``indicators.figures``
(rolling windows, rates per 1,000), ``indicators.context`` (the force's window with its
crime types added, neighbours' quarters) and ``opendata.police_uk`` (hotspot tables);
this module only lays them out.
Small-area counts are stored only as shown (``[c]`` for 1 to 4, the hotspot page's
rule), so a frozen report never holds a count it may not show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from indicators import context as ctx
from indicators import periods
from indicators.commentary import CHANGE_PCT_PLACES
from indicators.figures import Rolling, change_test, rate_per_1000, rolling
from indicators.selectors import IndicatorFigures, spec_for
from opendata import police_uk

from .builder import plain
from .csv_rows import csv_month, csv_value

RATE_LABELS = {"population": "people", "households": "households", "businesses": "businesses"}
TOP_LSOAS = 10


@dataclass(frozen=True)
class ContextInputs:
    """What the context sections read, gathered by ``reports.sources.crime_context``."""

    period: object  # datetime.date, the report's month
    denominators: Mapping[str, int | None]  # population, households, businesses
    data: object | None = None  # opendata.selectors.ReportContext, None without the app


def _window(window: Rolling, *, counted: bool = True) -> dict:
    """A window's figures, and whether its change is within normal variation (REPORT_CHECKLIST
    16: the Poisson test every change in a count the report prints carries; None for a rate
    or a percentage, or with a figure missing)."""
    return {
        "end": plain(window.end),
        "current": plain(window.current),
        "previous": plain(window.previous),
        "change": plain(window.change),
        "change_pct": plain(window.change_pct),
        "within": _within(window.current, window.previous) if counted else None,
    }


def _within(current, previous) -> bool | None:
    return change_test(current, previous).within


def _force_window(data, crime_types: Sequence[str], period) -> Rolling | None:
    """The force's 12 months of these crime types (``indicators.context.force_window``)."""
    if data is None:
        return None
    return ctx.force_window(data.force_counts, crime_types, data.force_months, period, 12)


def core_rows(results: Sequence[IndicatorFigures], inputs: ContextInputs) -> list[dict]:
    """For each indicator: the 12 months to the period against the 12 before, with the
    rate per 1,000 of its denominator, the 3 months against the same 3 a year before,
    and the force's % change over the same 12 months where police.uk maps it."""
    rows = []
    for result in results:
        indicator = result.indicator
        spec = spec_for(indicator)
        year = rolling(spec, result.series, inputs.period, 12)
        quarter = rolling(spec, result.series, inputs.period, 3)
        if year.change is None and quarter.change is None:
            continue  # nothing to compare: the table is about change
        per = indicator.rate_per if indicator.measure == "count" else "none"
        denominator = ctx.denominator_for(per, inputs.denominators)
        force = _force_window(inputs.data, indicator.crime_types, inputs.period)
        counted = indicator.measure == "count"
        rows.append(
            {
                "id": indicator.pk,
                "code": indicator.code,
                "title": indicator.title,
                "measure": indicator.measure,
                "polarity": indicator.polarity,
                "places": 0 if indicator.measure == "count" else 1,
                "year": _window(year, counted=counted),
                "quarter": _window(quarter, counted=counted),
                "rate_per": RATE_LABELS.get(per, "") if denominator else "",
                "rate_per_key": per if denominator else "",
                "rate": plain(rate_per_1000(year.current, denominator)),
                "rate_previous": plain(rate_per_1000(year.previous, denominator)),
                "force_change_pct": plain(force.change_pct) if force else None,
                # The force's crimes are counts, whatever the indicator measures.
                "force_variation": {
                    "within": _within(force.current, force.previous) if force else None
                },
            }
        )
    return rows


def hotspots(results: Sequence[IndicatorFigures], inputs: ContextInputs) -> list[dict]:
    """The report month's top LSOAs (count 5 or more) and, with a lookup, every ward, for
    each indicator mapped to police.uk crime types. Counts of 1 to 4 are shown as [c]."""
    data = inputs.data
    if data is None or not data.lsoa_counts:
        return []
    month = f"{inputs.period:%Y-%m}"
    keyed = {(month, t, code): n for t, code, _, n in data.lsoa_counts}
    names = {code: name for _, code, name, _ in data.lsoa_counts}
    sections = []
    for result in results:
        indicator = result.indicator
        if not indicator.crime_types:
            continue
        table = police_uk.hotspot_rows(
            keyed, names, data.wards, month=month, crime_types=indicator.crime_types
        )
        if not table.lsoas:
            continue
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "ward": r.ward or "",
                "shown": police_uk.suppressed(r.count),
            }
            for r in table.lsoas
        ]
        named = [r for r in rows if r["shown"] != "[c]"]
        wards = [{"name": r.name, "shown": police_uk.suppressed(r.count)} for r in table.wards]
        sections.append(
            {
                "id": indicator.pk,
                "code": indicator.code,
                "title": indicator.title,
                "month": month,
                "month_label": periods.month_label(inputs.period),
                "total_shown": police_uk.suppressed(table.total),
                "lsoa_count": len(table.lsoas),
                "top": named[:TOP_LSOAS],
                "small": len(rows) - len(named),
                "wards": wards,
            }
        )
    return sections


def outcomes(results: Sequence[IndicatorFigures], inputs: ContextInputs) -> list[dict]:
    """For each indicator mapped to police.uk crime types: the share of its crimes in the
    12 months to the period whose last outcome is a charge or summons."""
    data = inputs.data
    if data is None or not data.outcomes:
        return []
    rows = []
    for result in results:
        indicator = result.indicator
        crime_types = [t for t in indicator.crime_types if t in data.outcomes]
        if not crime_types:
            continue
        by_outcome = ctx.summed(item for t in crime_types for item in data.outcomes[t].items())
        charged, total = police_uk.charged_share(by_outcome)
        if not total:
            continue
        result_share = ctx.share(charged, total)
        rows.append(
            {
                "id": indicator.pk,
                "code": indicator.code,
                "title": indicator.title,
                "charged": charged,
                "total": total,
                "pct": plain(result_share.pct),
            }
        )
    return rows


def neighbours(results: Sequence[IndicatorFigures], inputs: ContextInputs) -> dict | None:
    """The partnership beside the other CSPs of its force (Home Office tables): each CSP's
    recorded crime in the latest four quarters to the report against the four before,
    and the force as a whole. Always numbers of crimes, a rate indicator's too (its
    ``is_count`` is False, so the table is titled as a count)."""
    data = inputs.data
    if data is None or not data.force_name or not data.neighbour_counts:
        return None
    end = ctx.last_complete_quarter(inputs.period)
    indicators = []
    for result in results:
        by_csp = ctx.csp_quarters(data.neighbour_counts.get(result.indicator.pk, []), end)
        if data.own_csp not in by_csp:
            continue
        latest = max(by_csp[data.own_csp])
        if not ctx.is_recent_quarter(latest, end):
            continue  # the latest published is more than a year old: stale
        if ctx.quarters_window(by_csp[data.own_csp], latest).current is None:
            continue  # fewer than four quarters: nothing to compare yet
        force_total = ctx.summed(item for q in by_csp.values() for item in q.items())
        rows = []
        for csp in sorted(by_csp, key=lambda name: (name != data.own_csp, name)):
            window = ctx.quarters_window(by_csp[csp], latest)
            rows.append({"name": csp, "is_self": csp == data.own_csp, **_window(window)})
        force = ctx.quarters_window(force_total, latest)
        indicators.append(
            {
                "id": result.indicator.pk,
                "code": result.indicator.code,
                "title": result.indicator.title,
                # The neighbours' populations are not held: a rate's table shows counts.
                "is_count": result.indicator.measure == "count",
                "quarter": f"Q{latest[1]} {periods.fy_label(latest[0])}",
                "rows": rows,
                "force": _window(force),
                # Its column of percentage changes' decimals: the report's one precision.
                "pct_places": CHANGE_PCT_PLACES,
            }
        )
    if not indicators:
        return None
    return {
        "force": data.force_name,
        "quarter": indicators[0]["quarter"],
        "illustrative": data.illustrative,
        "counts_for_rates": any(not i["is_count"] for i in indicators),
        "indicators": indicators,
    }


def core_year_columns(rows: Sequence[dict]) -> dict[str, bool]:
    """Which of the 12-month table's comparison columns any row has a figure for: a
    column that would be a dash in every row is left out (with no whole 12 months before,
    all three). A percentage's change is in points, so its change (%) is always a dash."""
    years = [row["year"] for row in rows]
    return {
        "previous": any(year["previous"] is not None for year in years),
        "change": any(year["change"] is not None for year in years),
        "change_pct": any(
            row["year"]["change_pct"] is not None and row["measure"] != "percentage" for row in rows
        ),
    }


PARTS = ("core", "family", "neighbours", "hotspots", "outcomes")


def context_snapshot(
    results: Sequence[IndicatorFigures], inputs: ContextInputs, *, has_family: bool = False
) -> dict:
    """Every context section's content, and ``parts``: the sections with something to
    show, in order (the report numbers them)."""
    data = inputs.data
    snapshot = {
        "core": core_rows(results, inputs),
        "forces": list(data.forces) if data else [],
        "family_illustrative": bool(data and data.family_illustrative),
        "neighbours": neighbours(results, inputs),
        "hotspots": hotspots(results, inputs),
        "outcomes": outcomes(results, inputs),
        "outcome_months": len(data.outcome_months) if data else 0,
    }
    # The decimals of each column of percentage changes: the report's one precision
    # (snapshots made before it chose them for each column).
    snapshot["core_pct_places"] = dict.fromkeys(("year", "quarter", "force"), CHANGE_PCT_PLACES)
    # Whether any indicator has the 12 months before in full: else the table says why it
    # shows no change over the year.
    snapshot["core_has_year_before"] = any(
        row["year"]["previous"] is not None for row in snapshot["core"]
    )
    snapshot["core_year_columns"] = core_year_columns(snapshot["core"])
    present = {key: bool(snapshot.get(key)) for key in PARTS}
    present["family"] = has_family
    snapshot["parts"] = [key for key in PARTS if present[key]]
    return snapshot


def _csv_count(shown: str) -> str:
    """A count as the report shows it ("1,234", "[c]") as a CSV cell: no thousands comma."""
    return shown.replace(",", "")


def context_csv_rows(context: dict) -> list[dict]:
    """The context sections' figures as report CSV rows (``rendering.CSV_FIELDS``): the
    small-area counts exactly as shown, [c] included; months as YYYY-MM."""
    rows = []

    def row(item, figure, value, *, period="", area="", measure="count"):
        rows.append(
            {
                "indicator": item["code"],
                "title": item["title"],
                "measure": item.get("measure", measure),
                "figure": figure,
                "period": period,
                "value": "" if value is None else value,
                "area": area,
            }
        )

    for item in context.get("core", []):
        for window in ("year", "quarter"):
            for name in ("current", "previous", "change", "change_pct"):
                end = csv_month(item[window]["end"])
                row(item, f"rolling_{window}_{name}", item[window][name], period=end)
        row(item, f"rate_per_1000_{item['rate_per_key'] or 'none'}", item["rate"])
        row(item, "force_change_pct", item["force_change_pct"])
        # After the figures above, so the rows before keep their places.
        for window in ("year", "quarter"):
            within = csv_value(item[window].get("within"))
            end = csv_month(item[window]["end"])
            row(item, f"rolling_{window}_change_within_normal_variation", within, period=end)
        force = csv_value((item.get("force_variation") or {}).get("within"))
        row(item, "force_change_within_normal_variation", force)
    for item in context.get("hotspots", []):
        month = item["month"]
        row(item, "lsoa_total", _csv_count(item["total_shown"]), period=month)
        for lsoa in item["top"]:
            row(item, "lsoa_count", _csv_count(lsoa["shown"]), period=month, area=lsoa["code"])
        for ward in item["wards"]:
            row(item, "ward_count", _csv_count(ward["shown"]), period=month, area=ward["name"])
        row(item, "lsoas_shown_as_c", item["small"], period=month)
    for item in context.get("outcomes", []):
        row(item, "crimes_with_outcome", item["total"])
        row(item, "charged_or_summonsed", item["charged"])
        row(item, "charged_or_summonsed_pct", item["pct"])
    if context.get("outcomes"):
        rows.append(
            {"figure": "outcome_months", "measure": "count", "value": context["outcome_months"]}
        )
    neighbours = context.get("neighbours") or {}
    for item in neighbours.get("indicators", []):
        for csp in [*item["rows"], {**item["force"], "name": neighbours["force"]}]:
            for name in ("current", "previous", "change", "change_pct"):
                row(item, f"home_office_4_quarters_{name}", csp[name], area=csp["name"])
            within = csv_value(csp.get("within"))
            name = "home_office_4_quarters_change_within_normal_variation"
            row(item, name, within, area=csp["name"])
    return rows
