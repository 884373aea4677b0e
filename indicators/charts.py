"""Plotly figure specs as plain dicts (no plotly objects: a page may carry dozens of charts).

Colours are the Analysis Function palette; series differ by dash as well as colour so
they survive black-and-white printing. Every chart carries its data as a table.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import periods, spc
from .commentary import format_number, signal_phrase
from .figures import Figures
from .models import Indicator

DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE = "#12436D", "#28A197", "#801650", "#F46A25"


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    subtitle: str
    alt: str
    spec: dict
    headers: list[str]
    rows: list[list[str]]

    @property
    def spec_id(self) -> str:
        return f"{self.id}-spec"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _cell(value: Decimal | None, places: int) -> str:
    return "No figure" if value is None else format_number(value, places)


def _layout(y_title: str) -> dict:
    return {
        "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
        "height": 320,
        "font": {
            "family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
            "size": 14,
            "color": "#0b0c0c",
        },
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": {"showgrid": False, "linecolor": "#505a5f", "fixedrange": True},
        "yaxis": {
            "title": {"text": y_title},
            "rangemode": "tozero",
            "gridcolor": "#e5e6e7",
            "fixedrange": True,
        },
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "x unified",
    }


MAX_SERIES = 4
# Line labels, in multiples of the chart's font size: the least distance between two
# labels' centres, and the width of a character (to leave room on the right).
LABEL_GAP, LABEL_CHAR = 1.3, 0.6


def _plot_height(layout: dict) -> int:
    margin = layout.get("margin", {})
    return layout.get("height", 320) - margin.get("t", 0) - margin.get("b", 0)


def label_lines(spec: dict) -> dict:
    """Each line named at its last point instead of in a legend (REPORT_CHECKLIST 31).

    Labels closer than LABEL_GAP lines of text are pushed apart, the lowest staying put;
    the right margin grows to fit the longest label. Positions follow the layout's height
    and font size: call it again after changing them (the printed images do), or after
    adding a line. At most MAX_SERIES lines: more cannot be told apart in black and
    white. Changes ``spec`` in place and returns it.
    """
    lines = [t for t in spec["data"] if "lines" in t.get("mode", "lines")]
    if len(lines) > MAX_SERIES:
        raise ValueError(f"a chart has {len(lines)} lines; at most {MAX_SERIES} can be read")
    layout = spec["layout"]
    values = [y for t in lines for y in t["y"] if y is not None]
    top = max([*values, 0]) * 1.05 or 1  # plotly's own headroom above the highest point
    pixels = _plot_height(layout) / top
    size = layout.get("font", {}).get("size", 14)
    gap = LABEL_GAP * size
    ends = []
    for trace in lines:
        # A trace drawn as several lines (upper and lower limits, split by a None) names
        # each line's end itself: meta.ends, [x, y, name] each.
        named = (trace.get("meta") or {}).get("ends")
        if named:
            ends += [(y, x, name) for x, y, name in named]
            continue
        points = [(x, y) for x, y in zip(trace["x"], trace["y"], strict=True) if y is not None]
        if points:
            ends.append((points[-1][1], points[-1][0], trace["name"]))
    ends.sort(key=lambda end: end[0])
    annotations, last = [], None
    for y, x, name in ends:
        at = y * pixels
        if last is not None and at < last + gap:
            at = last + gap
        last = at
        annotations.append(
            {
                "x": x,
                "y": y,
                "xref": "x",
                "yref": "y",
                "text": name,
                "showarrow": False,
                "xanchor": "left",
                "xshift": 8,
                "yshift": round(at - y * pixels),
                "font": {"color": "#0b0c0c"},
                "bgcolor": "rgba(255,255,255,0.8)",
            }
        )
    layout["annotations"] = annotations
    layout["showlegend"] = False
    longest = max((len(name) for _, _, name in ends), default=0)
    needed = round(longest * LABEL_CHAR * size) + 16
    layout["margin"]["r"] = max(layout["margin"].get("r", 0), needed)
    return spec


def indicator_charts(indicator: Indicator, result) -> list[Chart]:
    """Month by month against last year, and cumulative against the target profile."""
    figures: Figures = result.figures
    places = 1 if indicator.measure != Indicator.Measure.COUNT else 0
    unit = {"percentage": "Per cent", "rate": "Rate per 1,000"}.get(indicator.measure, "Number")
    labels = [periods.short_month_label(m).split(" ")[0] for m, _ in figures.this_year]
    this_label = f"{figures.financial_year}"
    start_month = figures.fy_start.month
    last_year = periods.fy_label(
        periods.financial_year_of(figures.fy_start, start_month) - 1, start_month
    )
    this_values = [_number(v) for _, v in figures.this_year]
    last_values = [_number(v) for _, v in figures.last_year]
    slug = f"chart-{indicator.pk}"
    if figures.ytd_change is None:
        finding = f"{indicator.title}: {figures.financial_year} month by month"
    else:
        words = (
            "higher than"
            if figures.ytd_change > 0
            else "lower than"
            if figures.ytd_change < 0
            else "level with"
        )
        finding = f"{indicator.title}: {figures.financial_year} {words} {last_year} so far"
    monthly = Chart(
        id=f"{slug}-monthly",
        title=finding,
        subtitle=f"{unit}, {indicator.partnership.area or indicator.partnership.name}, "
        f"month by month, {last_year} and {figures.financial_year}",
        alt=f"Line chart of {indicator.title.lower()} by month, {figures.financial_year} against "
        f"{last_year}. The data are in the table that follows.",
        spec={
            "data": [
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": last_year,
                    "x": labels,
                    "y": last_values,
                    "line": {"color": TURQUOISE, "dash": "dash", "width": 3},
                },
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": this_label,
                    "x": labels,
                    "y": this_values,
                    "line": {"color": DARK_BLUE, "width": 3},
                },
            ],
            "layout": _layout(unit),
        },
        headers=["Month", last_year, figures.financial_year],
        rows=[
            [label, _cell(last, places), _cell(this, places)]
            for label, (_, last), (_, this) in zip(
                labels, figures.last_year, figures.this_year, strict=True
            )
        ],
    )
    label_lines(monthly.spec)
    charts = [monthly]
    has_target = any(v is not None for _, v in figures.cumulative_target)
    if indicator.measure == Indicator.Measure.COUNT and has_target:
        cumulative = [_number(v) for _, v in figures.cumulative_this_year]
        target = [_number(v) for _, v in figures.cumulative_target]
        charts.append(
            Chart(
                id=f"{slug}-cumulative",
                title=f"{indicator.title}: year to date against the target",
                subtitle=f"Cumulative {unit.lower()}, {figures.financial_year}",
                alt=f"Line chart of the cumulative {indicator.title.lower()} in "
                f"{figures.financial_year} against the cumulative target. The data are in the "
                "table that follows.",
                spec={
                    "data": [
                        {
                            "type": "scatter",
                            "mode": "lines",
                            "name": "Target",
                            "x": labels,
                            "y": target,
                            "line": {"color": ORANGE, "dash": "dot", "width": 3},
                        },
                        {
                            "type": "scatter",
                            "mode": "lines+markers",
                            "name": "Year to date",
                            "x": labels,
                            "y": cumulative,
                            "line": {"color": DARK_BLUE, "width": 3},
                        },
                    ],
                    "layout": _layout(f"Cumulative {unit.lower()}"),
                },
                headers=["Month", "Target to date", "Year to date"],
                rows=[
                    [label, _cell(t, places), _cell(c, places)]
                    for label, (_, t), (_, c) in zip(
                        labels, figures.cumulative_target, figures.cumulative_this_year, strict=True
                    )
                ],
            )
        )
        label_lines(charts[-1].spec)
    return charts


GREY, PURPLE = "#505A5F", "#3D3D9A"
# Special cause differs by marker shape as well as colour: it must survive greyscale printing.
SIGNAL_MARKERS = {
    "improvement": ("Special cause: improvement", "triangle-up", TURQUOISE),
    "concern": ("Special cause: concern", "square", ORANGE),
    "neither": ("Special cause: neither better nor worse", "diamond", PURPLE),
}


def _signal_words(meaning: str | None, signal, frequency: str) -> str:
    """A point's special cause as the table says it: "Concern: above the upper process limit"."""
    if meaning is None:
        return "Common cause"
    head = {"improvement": "Improvement", "concern": "Concern", "neither": "Special cause"}
    return f"{head[meaning]}: {signal_phrase(signal, frequency)}"


def xmr_chart(indicator: Indicator, slots, analysis) -> Chart | None:
    """An XmR chart: figures, mean, process limits, special-cause points by shape and colour."""
    if not slots:
        return None
    places = 1 if indicator.measure != Indicator.Measure.COUNT else 0
    unit = {"percentage": "Per cent", "rate": "Rate per 1,000"}.get(indicator.measure, "Number")
    labels = [periods.short_month_label(s) for s in slots]
    limits = [analysis.limits_at(i) for i in range(len(slots))]
    values = [_number(v) for v in analysis.values]

    def line(name: str, attribute: str, colour: str, dash: str) -> dict:
        return {
            "type": "scatter",
            "mode": "lines",
            "name": name,
            "x": labels,
            "y": [_number(getattr(x, attribute)) if x else None for x in limits],
            "line": {"color": colour, "dash": dash, "width": 2, "shape": "hvh"},
            "hoverinfo": "skip",
        }

    # Four series at most (REPORT_CHECKLIST 31): the two process limits are one dashed
    # trace, broken between them; special cause is one trace of shapes.
    upper, lower = line("", "upper", GREY, "dash"), line("", "lower", GREY, "dash")

    def last(trace: dict, name: str) -> list:
        points = zip(trace["x"], trace["y"], strict=True)
        return [[x, y, name] for x, y in points if y is not None][-1:]

    limit_lines = {
        **upper,
        "name": "Process limits",
        "x": [*upper["x"], upper["x"][-1], *lower["x"]],
        "y": [*upper["y"], None, *lower["y"]],
        "connectgaps": False,
        "meta": {"ends": last(upper, "Upper process limit") + last(lower, "Lower process limit")},
    }
    data = [
        limit_lines,
        line("Mean", "mean", GREY, "solid"),
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Figure",
            "x": labels,
            "y": values,
            "connectgaps": False,
            "line": {"color": DARK_BLUE, "width": 2},
            "marker": {"color": DARK_BLUE, "size": 6, "symbol": "circle"},
        },
    ]
    marked = [i for i, point in enumerate(analysis.points) if point in SIGNAL_MARKERS]
    if marked:
        kinds = [SIGNAL_MARKERS[analysis.points[i]] for i in marked]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Special cause",
                "x": [labels[i] for i in marked],
                "y": [values[i] for i in marked],
                "hovertext": [name for name, _, _ in kinds],
                "marker": {
                    "color": [colour for _, _, colour in kinds],
                    "size": 13,
                    "symbol": [symbol for _, symbol, _ in kinds],
                    "line": {"color": "#0b0c0c", "width": 1},
                },
            }
        )
    layout = _layout(unit)
    layout["yaxis"]["rangemode"] = "normal"
    layout["xaxis"]["nticks"] = 12
    layout["height"] = 360
    latest = analysis.latest
    signals = sum(1 for p in analysis.points if p is not None)
    span = f"{periods.month_label(slots[0])} to {periods.month_label(slots[-1])}"
    if latest is None:
        summary = (
            f"There are too few figures for process limits (at least {spc.MIN_POINTS} are needed)."
        )
    else:
        summary = (
            f"The mean is {format_number(latest.mean, places + 1)}, with process limits from "
            f"{format_number(latest.lower, places + 1)} to "
            f"{format_number(latest.upper, places + 1)}. "
            f"{signals or 'No'} point{'' if signals == 1 else 's'} show"
            f"{'s' if signals == 1 else ''} special cause variation."
        )
    rows = []
    for i, slot in enumerate(slots):
        here = limits[i]
        rows.append(
            [
                periods.month_label(slot),
                _cell(analysis.values[i], places),
                _cell(here.mean, places + 1) if here else "No limits",
                _cell(here.lower, places + 1) if here else "No limits",
                _cell(here.upper, places + 1) if here else "No limits",
                ""
                if analysis.values[i] is None or here is None
                else _signal_words(analysis.points[i], analysis.signals[i], indicator.frequency),
            ]
        )
    spec = label_lines({"data": data, "layout": layout})
    return Chart(
        id=f"chart-{indicator.pk}-xmr",
        title=f"{indicator.title}: statistical process control (XmR) chart",
        subtitle=f"{unit}, {span}. {summary}",
        alt=f"XmR chart of {indicator.title.lower()} from {span}. {summary} Improvement is "
        "marked with triangles, concern with squares. The data are in the table that follows.",
        spec=spec,
        headers=["Month", "Figure", "Mean", "Lower limit", "Upper limit", "Variation"],
        rows=rows,
    )
