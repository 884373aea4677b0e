"""Plotly figure specs as plain dicts (no plotly objects: a page may carry dozens of charts).

Colours are the Analysis Function palette; series differ by dash as well as colour so
they survive black-and-white printing. Every chart carries its data as a table.
"""

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise

from csp_portal.core.text import joined

from . import periods, spc
from .commentary import format_level, format_number, shown_places, signal_phrase
from .figures import DEFAULT_SPC, Figures, year_series
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
    finding: str = ""  # what the title states, without the indicator's name

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
            # Commas above 999 (ONS style), as the tables: 1,500 not 1500. A percentage's
            # axis runs 0 to 100 and reads the same; its title says "Per cent".
            "tickformat": ",",
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
LABEL_XSHIFT, LABEL_PAD = 8, 2  # pixels: a label's gap from its point, and from a line
SCREEN_WIDTH = 700  # a chart's width on screen when the layout does not fix one


def _plot_height(layout: dict) -> int:
    margin = layout.get("margin", {})
    return layout.get("height", 320) - margin.get("t", 0) - margin.get("b", 0)


def _runs(lines: list[dict], index: dict) -> list[list[tuple[float, float]]]:
    """Each unbroken stretch of each line, as (category position, value) points."""
    runs = []
    for trace in lines:
        run: list[tuple[float, float]] = []
        for x, y in zip(trace["x"], trace["y"], strict=True):
            if y is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append((index[x], y))
        if run:
            runs.append(run)
    return runs


def _span(run: list[tuple[float, float]], start: float, stop: float) -> tuple | None:
    """The lowest and highest value a line takes between two x positions, None if it
    does not pass between them (a line that only ends at ``start`` does not)."""
    values = []
    for (x0, y0), (x1, y1) in pairwise(run):
        low, high = max(x0, start), min(x1, stop)
        if low >= high:
            continue
        values += [y0 + (y1 - y0) * (x - x0) / (x1 - x0) for x in (low, high)]
    return (min(values), max(values)) if values else None


def _clear_of(at: float, blocked: list[tuple[float, float]], floor: float) -> float:
    """The height nearest ``at`` outside every blocked band, not below ``floor``."""
    moved = at
    for _ in range(len(blocked) + 1):  # each move clears one band; bands may overlap
        inside = [(lo, hi) for lo, hi in blocked if lo < moved < hi]
        if not inside:
            return moved
        up = max(hi for _, hi in inside)
        down = min(lo for lo, _ in inside)
        moved = down if down >= floor and at - down < up - at else up
    return moved


def label_lines(spec: dict) -> dict:
    """Each line named at its last point instead of in a legend (REPORT_CHECKLIST 31).

    A label sits to the right of its line's end; where another line runs on through
    that space (this year's line ends in November, last year's goes on to March), the
    label moves just above or below it, whichever is nearer: above or below its point
    at the label's x too, where its marker reaches under the label. Labels side by side closer
    than LABEL_GAP lines of text are then pushed apart, the lowest staying put; the
    right margin grows to fit the longest label. Positions follow the layout's size and font:
    call it again after changing them (the printed images do), or after adding a line.
    At most MAX_SERIES lines: more cannot be told apart in black and white. Changes
    ``spec`` in place and returns it.
    """
    lines = [t for t in spec["data"] if "lines" in t.get("mode", "lines")]
    if len(lines) > MAX_SERIES:
        raise ValueError(f"a chart has {len(lines)} lines; at most {MAX_SERIES} can be read")
    layout = spec["layout"]
    values = [y for t in lines for y in t["y"] if y is not None]
    top = max([*values, 0]) * 1.05 or 1  # plotly's own headroom above the highest point
    pixels = _plot_height(layout) / top
    size = layout.get("font", {}).get("size", 14)
    gap, half = LABEL_GAP * size, LABEL_GAP * size / 2
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
    longest = max((len(name) for _, _, name in ends), default=0)
    needed = round(longest * LABEL_CHAR * size) + 16
    layout["margin"]["r"] = max(layout["margin"].get("r", 0), needed)
    # Where each label reaches, in categories: the x axis spreads them over the plot, or
    # over the range it is given (the printed images fix it: plotly would otherwise
    # widen it to hold the labels, and the categories come closer than reckoned here).
    index = {x: i for i, x in enumerate(dict.fromkeys(x for t in lines for x in t["x"]))}
    margin = layout["margin"]
    width = layout.get("width", SCREEN_WIDTH) - margin.get("l", 0) - margin["r"]
    first, last = layout.get("xaxis", {}).get("range") or (0, len(index) - 1)
    step = max(width, 1) / max(last - first, 1)
    runs = _runs(lines, index)
    placed = []
    for y, x, name in ends:
        start = index[x] + LABEL_XSHIFT / step
        stop = start + len(name) * LABEL_CHAR * size / step
        # From the label's point, not its text: another line's marker there reaches
        # under the text's first letters (hate crime's "2016/17" sat on last year's
        # November point).
        blocked = [
            (lo * pixels - half - LABEL_PAD, hi * pixels + half + LABEL_PAD)
            for run in runs
            if (span := _span(run, index[x], stop)) is not None
            for lo, hi in [span]
        ]
        placed.append((_clear_of(y * pixels, blocked, floor=half), y, x, name, start, stop))
    placed.sort(key=lambda label: label[0])
    annotations, below = [], []
    for at, y, x, name, start, stop in placed:
        # Only labels side by side can collide: those at other places along the axis stay.
        beside = [low for low, left, right in below if left < stop and start < right]
        if beside and at < max(beside) + gap:
            at = max(beside) + gap
        below.append((at, start, stop))
        annotations.append(
            {
                "x": x,
                "y": y,
                "xref": "x",
                "yref": "y",
                "text": name,
                "showarrow": False,
                "xanchor": "left",
                "xshift": LABEL_XSHIFT,
                "yshift": round(at - y * pixels),
                "font": {"color": "#0b0c0c"},
                "bgcolor": "rgba(255,255,255,0.8)",
            }
        )
    layout["annotations"] = annotations
    layout["showlegend"] = False
    return spec


# REPORT_CHECKLIST 29: an active title of ten words or fewer that states the finding.
TITLE_WORDS = 10


def titled(indicator: Indicator, finding: str) -> str:
    """A chart's title: the indicator's name and the finding, or the finding alone where
    the two run past ten words (the subtitle then names the indicator, see `named`)."""
    titled = f"{indicator.title}: {finding}"
    if len(titled.split()) <= TITLE_WORDS:
        return titled
    return finding[:1].upper() + finding[1:]


def named(indicator: Indicator, title: str, subtitle: str) -> str:
    """The subtitle, led by the indicator's name when the title leaves it out: a chart
    printed on a page of its own still says what it shows."""
    if title.startswith(f"{indicator.title}:") or subtitle.startswith(f"{indicator.title}:"):
        return subtitle
    return f"{indicator.title}: {subtitle[:1].lower()}{subtitle[1:]}"


def retitled(chart: Chart, indicator: Indicator, finding: str) -> Chart:
    """The chart with a new finding: its title, and its subtitle naming the indicator
    when the new title no longer does."""
    title = titled(indicator, finding)
    subtitle = chart.subtitle.removeprefix(f"{indicator.title}: ")
    if subtitle != chart.subtitle:
        subtitle = subtitle[:1].upper() + subtitle[1:]
    return replace(chart, title=title, finding=finding, subtitle=named(indicator, title, subtitle))


def _against_target(figures: Figures) -> str:
    """Where the year to date stands against the target to date, as a title says it."""
    if figures.target_gap is None:
        return "against the target"
    if figures.target_gap > 0:
        return "above the target"
    return "below the target" if figures.target_gap < 0 else "on the target"


def measure_name(indicator: Indicator) -> str:
    """What an indicator measures, to follow "a chart of": "the number of hate crimes"."""
    unit = indicator.unit.strip()
    if not unit:
        return indicator.title
    if indicator.measure == Indicator.Measure.COUNT and not unit.startswith("number of"):
        return f"the number of {unit}"
    return f"the {unit}"


def period_label(month, *, quarterly: bool, start_month: int) -> str:
    """A chart's x label for a stored period: "Apr", or "Q1" for a quarterly indicator."""
    if quarterly:
        return periods.quarter_name(month, start_month)
    return periods.month_name(month)[:3]


def year_before_last(spec, result) -> tuple[str, list]:
    """The year before last's label and values in the year's order, from the series the
    figures were worked out from (it reaches back two years: figures.history_start), as
    ``indicator_charts`` takes them."""
    start = spec.fy_start_month
    year = periods.financial_year_of(result.figures.fy_start, start) - 2
    values = [value for _, value in year_series(spec, result.series, year)]
    return periods.fy_label(year, start), values


# The GSS mark of a revised figure, beside it in a table and above its point in a chart.
REVISED_MARK = "[r]"


def marked_revised(trace: dict, months: Iterable, revised: Collection) -> dict:
    """A line with "[r]" above each point whose month (or quarter) is in ``revised``: the
    figures changed since a published report gave them. The line as it was without any."""
    marks = [REVISED_MARK if month in revised else "" for month in months]
    if not any(marks):
        return trace
    return {**trace, "mode": "lines+markers+text", "text": marks, "textposition": "top center"}


def indicator_charts(
    indicator: Indicator,
    result,
    year_before: tuple[str, list] | None = None,
    *,
    revised: Collection[datetime.date] = (),
) -> list[Chart]:
    """Month (or quarter) by month against last year, and cumulative against the target.

    ``year_before``: the year before last's label and values in the year's order, drawn as
    a third, dotted line where it has a figure (three years show seasonality). ``revised``:
    the months whose figures were revised since a report gave them, marked "[r]"."""
    figures: Figures = result.figures
    values = [v for _, v in figures.this_year + figures.last_year]
    places = shown_places(indicator.measure, values)
    unit = {"percentage": "Per cent", "rate": "Rate per 1,000"}.get(indicator.measure, "Number")
    quarterly = indicator.frequency == Indicator.Frequency.QUARTERLY
    start_month = figures.fy_start.month
    labels = [
        period_label(m, quarterly=quarterly, start_month=start_month) for m, _ in figures.this_year
    ]
    by = "quarter by quarter" if quarterly else "month by month"
    step = by
    if quarterly:
        first = periods.quarter_months(figures.fy_start.year, 1, start_month)
        step += f" (Q1 is {periods.month_name(first[0])} to {periods.month_name(first[-1])})"
    column = "Quarter" if quarterly else "Month"
    name = measure_name(indicator)
    this_label = f"{figures.financial_year}"
    last_year = periods.fy_label(
        periods.financial_year_of(figures.fy_start, start_month) - 1, start_month
    )
    this_values = [_number(v) for _, v in figures.this_year]
    last_values = [_number(v) for _, v in figures.last_year]
    before_label, before_values = year_before or ("", [])
    before_values = [_number(v) for v in before_values]
    if all(v is None for v in this_values + last_values + before_values):
        return []  # an empty chart shows nothing: the table's "No figure" says so
    # A year with no figure at all is not named as if the chart compared with it.
    compared = [
        label
        for label, values in ((before_label, before_values), (last_year, last_values))
        if any(v is not None for v in values)
    ]
    years = joined([*compared, figures.financial_year])
    slug = f"chart-{indicator.pk}"
    area = indicator.partnership.area or indicator.partnership.name
    # No finding starts with a numeral (REPORTING: none at the start of a sentence), as a
    # title that drops the indicator's name would.
    if all(v is None for v in this_values):
        # Last year (or the year before) drawn alone: the finding is that this year has none.
        finding = f"no figures yet for {figures.financial_year}"
    elif figures.ytd_change is None:
        # Nothing to compare with: the year's total so far is the finding, where it has one,
        # else that last year has nothing to set beside it.
        finding = f"{by}, {figures.financial_year}"
        if figures.ytd is not None:
            finding = f"no {last_year} figures to compare with"
        counted = indicator.measure != Indicator.Measure.SNAPSHOT  # a level has no total
        if counted and figures.ytd is not None and not figures.ytd_partial:
            so_far = format_level(figures.ytd, indicator.measure, places)
            what = "total" if indicator.measure == Indicator.Measure.COUNT else "level"
            finding = f"a {what} of {so_far} so far in {figures.financial_year}"
    else:
        words = (
            "higher than"
            if figures.ytd_change > 0
            else "lower than"
            if figures.ytd_change < 0
            else "level with"
        )
        finding = f"{words} {last_year} so far"
    title = titled(indicator, finding)
    monthly = Chart(
        id=f"{slug}-monthly",
        title=title,
        finding=finding,
        subtitle=named(indicator, title, f"{unit}, {area}, {step}, {years}"),
        alt=f"Line chart of {name} in {area}, {step}, {figures.financial_year}"
        + (f" against {joined(compared)}" if compared else "")
        + ". The data are in the table that follows.",
        spec={
            "data": [
                *(
                    [
                        marked_revised(
                            {
                                "type": "scatter",
                                "mode": "lines+markers",
                                "name": before_label,
                                "x": labels,
                                "y": before_values,
                                "line": {"color": DARK_PINK, "dash": "dot", "width": 3},
                            },
                            [periods.add_months(m, -24) for m, _ in figures.this_year],
                            revised,
                        )
                    ]
                    if before_label in compared
                    else []
                ),
                marked_revised(
                    {
                        "type": "scatter",
                        "mode": "lines+markers",
                        "name": last_year,
                        "x": labels,
                        "y": last_values,
                        "line": {"color": TURQUOISE, "dash": "dash", "width": 3},
                    },
                    [m for m, _ in figures.last_year],
                    revised,
                ),
                marked_revised(
                    {
                        "type": "scatter",
                        "mode": "lines+markers",
                        "name": this_label,
                        "x": labels,
                        "y": this_values,
                        "line": {"color": DARK_BLUE, "width": 3},
                    },
                    [m for m, _ in figures.this_year],
                    revised,
                ),
            ],
            "layout": _layout(unit),
        },
        headers=[column, last_year, figures.financial_year],
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
        finding = f"year to date {_against_target(figures)}"
        title = titled(indicator, finding)
        charts.append(
            Chart(
                id=f"{slug}-cumulative",
                title=title,
                finding=finding,
                subtitle=named(
                    indicator, title, f"Cumulative {unit.lower()}, {area}, {figures.financial_year}"
                ),
                alt=f"Line chart of {name} in {figures.financial_year} so far, added up "
                f"{step}, against the cumulative target. The data are in the table that follows.",
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
                headers=[column, "Target to date", "Year to date"],
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
    places = shown_places(indicator.measure, analysis.values)
    unit = {"percentage": "Per cent", "rate": "Rate per 1,000"}.get(indicator.measure, "Number")
    quarterly = indicator.frequency == Indicator.Frequency.QUARTERLY
    start_month = indicator.partnership.fy_start_month

    def slot_label(slot, short: bool = False) -> str:
        if quarterly:
            return periods.quarter_label(slot, start_month)
        return periods.short_month_label(slot) if short else periods.month_label(slot)

    labels = [slot_label(s, short=True) for s in slots]
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
    span = f"{slot_label(slots[0])} to {slot_label(slots[-1])}"
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
                slot_label(slot),
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
    if latest is None:
        finding = "XmR chart, too few figures for process limits"
    elif signals:
        finding = f"XmR chart, special cause variation at {signals} point{'s' * (signals != 1)}"
    else:
        finding = "XmR chart, no special cause variation"
    return Chart(
        id=f"chart-{indicator.pk}-xmr",
        title=titled(indicator, finding),
        finding=finding,
        subtitle=named(indicator, titled(indicator, finding), f"{unit}, {span}. {summary}"),
        alt=f"XmR chart of {measure_name(indicator)}, {span}. {summary} Improvement is "
        "marked with triangles, concern with squares. The data are in the table that follows.",
        spec=spec,
        headers=[
            "Quarter" if quarterly else "Month",
            "Figure",
            "Mean",
            "Lower limit",
            "Upper limit",
            "Variation",
        ],
        rows=rows,
    )


def spc_limits_words(indicator: Indicator, slots, analysis, settings) -> str:
    """What the XmR chart's latest limits were worked out from, as the chart used them:
    a baseline or recalculation point set where there are no figures is said to be unused,
    never printed as if it had been."""
    quarterly = indicator.frequency == Indicator.Frequency.QUARTERLY
    start_month = indicator.partnership.fy_start_month

    def label(slot) -> str:
        return periods.quarter_label(slot, start_month) if quarterly else periods.month_label(slot)

    settings = settings or DEFAULT_SPC
    latest = analysis.latest
    inside = set(slots[1:])  # new limits at the first figure change nothing
    cuts = [
        i for i, slot in enumerate(slots) if slot in inside and slot in settings.recalculate_from
    ]
    segment = (cuts[-1] if cuts else 0, len(slots))  # the latest limits' periods
    # As figures.spc_analysis applies it: to the segment its first period falls in.
    baseline = [
        i
        for i, slot in enumerate(slots)
        if settings.baseline_start is not None
        and settings.baseline_start <= slot <= (settings.baseline_end or slots[-1])
    ]
    if baseline and not segment[0] <= baseline[0] < segment[1]:
        baseline = []
    base = (baseline[0], min(baseline[-1] + 1, segment[1])) if baseline else segment
    shown = [slots[i] for i in range(*base) if analysis.values[i] is not None]
    named = "the baseline " if baseline else ""
    if latest is not None:
        words = f"{latest.points} figures, {named}from {label(shown[0])} to {label(shown[-1])}"
    elif baseline:
        count = len(shown)
        words = (
            f"No limits: the baseline, from {label(slots[base[0]])} to "
            f"{label(slots[base[1] - 1])}, has {count} figure{'' if count == 1 else 's'} "
            f"and at least {spc.MIN_POINTS} are needed"
        )
    else:
        words = f"No limits yet: at least {spc.MIN_POINTS} figures are needed"
    if settings.baseline_start is not None and not baseline:
        end = f" to {label(settings.baseline_end)}" if settings.baseline_end else ""
        words += (
            f"; the baseline set, from {label(settings.baseline_start)}{end}, "
            "is not used for these limits"
        )
    used = [m for m in settings.recalculate_from if m in inside]
    unused = [m for m in settings.recalculate_from if m not in inside]
    if used:
        words += f"; recalculated from {joined([label(m) for m in used])}"
    if unused:
        words += (
            f"; recalculation from {joined([label(m) for m in unused])} is not used: "
            "it falls outside the figures charted"
        )
    return words
