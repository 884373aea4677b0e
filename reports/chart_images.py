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
import math
import os
from pathlib import Path

import plotly

from indicators import charts

from .word import PICTURE_WIDTH

# Pixels at 1x; images are rendered at 2x.
WIDTH, HEIGHT, SCALE = 900, 360, 2
# Every text at least 12 pt where the image is placed (REPORT_CHECKLIST 37): 17 cm wide in
# the PDF (print.css's text width, 481.9 pt), 16 cm in Word (word.PICTURE_WIDTH, 453.5 pt).
# At the narrower a pixel prints at 453.5 / 900 = 0.504 pt, so 12 pt takes 12 / 0.504 =
# 23.8 px: 24 px, for the month names too.
MIN_TEXT_PT = 12
PDF_WIDTH_PT = 170 / 25.4 * 72
FONT_SIZE = math.ceil(MIN_TEXT_PT * WIDTH / min(PDF_WIDTH_PT, PICTURE_WIDTH.pt))
# A month name's width, in font sizes, and the least space between two (as charts.js
# reckons them on a phone): where twelve do not fit level, every other is named.
TICK_CHAR, TICK_GAP = 0.75, 14
# The x axis of categories runs this far (in categories) beyond the first and last.
X_PAD = 0.3
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
    categories = _categories(figure)
    if categories:
        # A set range: plotly widened it to hold the line labels, which then fell
        # elsewhere than label_lines reckons, on the lines they should clear.
        layout["xaxis"]["range"] = [-X_PAD, len(categories) - 1 + X_PAD]
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
    if categories and max(len(x) for x in categories) <= 3:
        _name_months(layout, categories)
    return figure


def _categories(figure: dict) -> list[str]:
    """The x axis's categories in order ("Apr", "Q1"), none if any x is not a label."""
    values = [x for trace in figure.get("data", []) for x in trace.get("x") or []]
    if not all(isinstance(x, str) for x in values):
        return []
    return list(dict.fromkeys(values))


def _name_months(layout: dict, categories: list[str]) -> None:
    """Short names ("Apr", "Q1") level, as wide as the rest of the text: all of them
    where they fit beside the line labels, else every other, counted back from the last
    (the table below the chart names every month). Plotly would turn them upright, and
    two charts of one indicator would differ."""
    margin = layout["margin"]
    plot = max(WIDTH - margin["l"] - margin["r"], 1)
    each = max(len(x) for x in categories) * TICK_CHAR * FONT_SIZE + TICK_GAP
    every = math.ceil(len(categories) * each / plot)
    shown = [x for i, x in enumerate(reversed(categories)) if i % every == 0][::-1]
    layout["xaxis"].update(tickangle=0, tickmode="array", tickvals=shown, ticktext=shown)


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
