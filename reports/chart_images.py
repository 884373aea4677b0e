"""PNG images of a report's plotly charts, for its PDF and Word versions.

kaleido 1.x drives a headless Chromium (through choreographer). All of a report's charts
go through one browser session: starting Chromium costs about two seconds, each chart a
fraction of one, most of it kaleido reloading its page (and so plotly.js) after each
chart. The page loads plotly.js from a local file and no MathJax (kaleido's default is a
CDN), and the browser gets a proxy that goes nowhere, so nothing is fetched from the
network. The file is our vendored basic bundle (the one the report page draws with, the
same plotly.js version as the plotly package's, a quarter of its size: charts take half
the time); a chart with a trace type outside the basic bundle gets the plotly package's
full bundle instead.
"""

import asyncio
import concurrent.futures
import copy
import logging
import os
from pathlib import Path

import plotly

from indicators import charts

# Pixels at 1x; images are rendered at 2x. At 170 mm wide on A4 (the text width of
# print.css), 23 px text prints at about 12 pt.
WIDTH, HEIGHT, SCALE, FONT_SIZE = 900, 360, 2, 23
MONTH_FONT_SIZE = 19  # about 10 pt
FULL_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
BASIC_PLOTLY_JS = "vendor/plotly/plotly-basic.min.js"  # a static file
BASIC_TRACE_TYPES = {"scatter", "bar", "pie"}
# A port nothing listens on: any http(s) request fails at once instead of going out.
NO_NETWORK_PROXY = "127.0.0.1:9"
TIMEOUT_SECONDS = 60


def _not_the_closing_message(record: logging.LogRecord) -> bool:
    """False for choreographer's "JSONError decoding message. Ignoring", logged with a
    traceback when the browser is closed after the last chart. Closing the pipe while
    Chromium is still writing its last event leaves the read thread a part of a message
    (choreographer 1.4 ``Pipe.read_jsons``: an OSError mid-read falls through to decoding
    what was read), which it then ignores. Every image is drawn by then; a message lost
    while drawing would time out ``calc_fig`` and raise ChartImageError instead."""
    return not record.getMessage().startswith("JSONError decoding message")


class ChartImageError(RuntimeError):
    """The charts could not be drawn (no browser, or a chart failed)."""


def browser_path() -> Path:
    """Chromium: $BROWSER_PATH (kaleido's name), else $CHROMIUM_PATH (the tests'), else Debian's."""
    return Path(
        os.environ.get("BROWSER_PATH") or os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    )


def plotly_js(figures) -> Path:
    """The smallest local plotly.js that draws every trace of these figures."""
    from django.contrib.staticfiles import finders

    types = {trace.get("type", "scatter") for f in figures for trace in f.get("data", [])}
    basic = finders.find(BASIC_PLOTLY_JS)
    return Path(basic) if basic and types <= BASIC_TRACE_TYPES else FULL_PLOTLY_JS


def print_figure(figure: dict) -> dict:
    """The figure laid out for a printed page: fixed size, larger text, no interactivity."""
    figure = copy.deepcopy(figure)
    layout = figure.setdefault("layout", {})
    layout.update(width=WIDTH, height=HEIGHT, hovermode=False)
    layout["font"] = {**layout.get("font", {}), "size": FONT_SIZE}
    layout["margin"] = {"l": 90, "r": 30, "t": 20, "b": 120}
    layout["legend"] = {**layout.get("legend", {}), "orientation": "h", "y": -0.22}
    # Room for the axis title beside the tick labels; commas above 999 (ONS style).
    layout["xaxis"] = {**layout.get("xaxis", {}), "automargin": True}
    if _short_categories(figure):
        # Twelve month names fit level, a little smaller than the rest of the text, even
        # when labels at the ends of lines narrow the plot; plotly would turn them upright
        # there, and two charts of one indicator would differ.
        layout["xaxis"]["tickangle"] = 0
        layout["xaxis"]["tickfont"] = {"size": MONTH_FONT_SIZE}
    y_axis = layout.get("yaxis", {})
    layout["yaxis"] = {
        **y_axis,
        "automargin": True,
        "tickformat": y_axis.get("tickformat", ","),
        "title": {**y_axis.get("title", {}), "standoff": 16},
    }
    if layout.get("annotations") and layout.get("showlegend") is False:
        # Lines labelled directly (no legend below): label again for this size and font.
        layout["margin"]["b"] = 70
        charts.label_lines(figure)
    return figure


def _short_categories(figure: dict, longest: int = 3) -> bool:
    """Whether every x value is a label of at most ``longest`` characters ("Apr")."""
    values = [x for trace in figure.get("data", []) for x in trace.get("x") or []]
    return bool(values) and all(isinstance(x, str) and len(x) <= longest for x in values)


async def _render(figures: dict[str, dict], path: Path) -> dict[str, bytes]:
    import kaleido  # imported here: it pulls in choreographer and logging set-up

    # Only once choreographer has made its logger: one made here first would lack
    # logistro's methods (``debug2``), and every chart would fail.
    logging.getLogger("choreographer.channels.pipe").addFilter(_not_the_closing_message)

    options = {"format": "png", "width": WIDTH, "height": HEIGHT, "scale": SCALE}
    async with kaleido.Kaleido(
        n=1,
        timeout=TIMEOUT_SECONDS,
        plotlyjs=str(plotly_js(figures.values())),
        mathjax=False,
        path=str(path),
        proxy_server=NO_NETWORK_PROXY,
    ) as browser:
        # One tab, in order: a second tab was no faster on two cores and costs memory.
        return {
            chart_id: await browser.calc_fig(print_figure(figure), opts=options)
            for chart_id, figure in figures.items()
        }


def render_chart_images(charts: dict[str, dict]) -> dict[str, bytes]:
    """PNG bytes for each chart id, drawn in one browser session."""
    if not charts:
        return {}
    path = browser_path()
    if not path.exists():
        raise ChartImageError(
            f"No Chromium at {path}: install Debian's `chromium` or set BROWSER_PATH"
        )
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        run = asyncio.run
    else:
        # Called from async code (an ASGI view, a test with a loop): use a thread of our own.
        def run(coroutine):
            with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(asyncio.run, coroutine).result()

    try:
        return run(_render(charts, path))
    except ChartImageError:
        raise
    except Exception as error:
        raise ChartImageError(f"Drawing the charts failed: {error}") from error
