"""Plotly figure specs as plain dicts (no plotly objects: a page may carry dozens of charts).

Colours are the Analysis Function palette; series differ by dash as well as colour so
they survive black-and-white printing. Every chart carries its data as a table.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import periods
from .commentary import format_number
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
    return charts
