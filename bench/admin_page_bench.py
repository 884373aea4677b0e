"""The browser's time to draw an admin change page: a partnership's, with its inlines.

    .venv/bin/python bench/admin_page_bench.py                  # the demo's Safer Plymouth
    .venv/bin/python bench/admin_page_bench.py --runs 15 --port 8790
    .venv/bin/python bench/admin_page_bench.py --base-url http://127.0.0.1:8000 \\
        --path /admin/core/partnership/1/change/               # a server already running

Without ``--base-url`` it builds the demo (`migrate`, `load_demo`) in a temporary SQLite
file and starts `runserver` on ``--port`` (DEBUG on, static files served by Django), then
drives Chromium (/usr/bin/chromium, or CHROMIUM_PATH) through Playwright: signs in as
admin / csp-demo and opens the page ``--runs`` times after one warm-up, each time in a new
tab. Prints the medians of:

- load: navigation start to the end of the load event (ms), and of that the browser's
  share, from the last byte of the page to the end of the load event (the server's time
  depends on the machine's other work and on DEBUG);
- script, layout, style: the tab's main-thread time in each (Chrome's performance metrics);
- long tasks: the total of the tasks over 50 ms (a PerformanceObserver from before the
  page's first script), the time the page could not answer a click or a key;
- the page's form boxes, and those select2 draws.

The machine's other work moves these by 10-30%: compare medians of one run of this
script with another taken just after it.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DEMO_PARTNERSHIP = "Safer Plymouth"

# Set before the page's own scripts run, so that no long task is missed.
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (entry) { window.__longTasks.push(entry.duration); });
}).observe({type: 'longtask', buffered: true});
"""
FIGURES = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  return {
    load: n.loadEventEnd,
    browser: n.loadEventEnd - n.responseEnd,
    long_tasks: window.__longTasks.reduce((a, b) => a + b, 0),
    boxes: document.querySelectorAll(
      'input:not([type=hidden]), select, textarea').length,
    select2: document.querySelectorAll('.select2-container').length,
  };
}"""
METRICS = {"script": "ScriptDuration", "layout": "LayoutDuration", "style": "RecalcStyleDuration"}


def manage(*args: str, env: dict) -> str:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def demo_server(port: int) -> tuple[subprocess.Popen, str, Path]:
    """runserver on the demo, in a new SQLite file; and the demo partnership's page."""
    folder = Path(tempfile.mkdtemp(prefix="csp-admin-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
        "PYTHONPATH": str(ROOT),
    }
    manage("migrate", "-v0", env=env)
    manage("load_demo", env=env)
    found = manage(
        "shell",
        "-c",
        "from csp_portal.core.models import Partnership; "
        f"print(Partnership.objects.get(name={DEMO_PARTNERSHIP!r}).pk)",
        env=env,
    )
    path = f"/admin/core/partnership/{found.split()[-1]}/change/"
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return server, path, folder


def measure(base: str, path: str, runs: int, username: str, password: str) -> list[dict]:
    from playwright.sync_api import sync_playwright

    figures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(LONG_TASKS)
        page = context.new_page()
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        page.close()
        for run in range(runs + 1):
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(base + path, wait_until="load")
            page.wait_for_timeout(200)  # a long task that ends after the load event
            shown = page.evaluate(FIGURES)
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            shown.update({name: metrics[key] * 1000 for name, key in METRICS.items()})
            page.close()
            if run:  # the first fills the browser's cache of scripts and styles
                figures.append(shown)
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--base-url", help="a server already running (the demo loaded)")
    parser.add_argument("--path", help="the page (default: the demo's Safer Plymouth)")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="csp-demo")
    options = parser.parse_args()

    server = folder = None
    if options.base_url:
        base, path = options.base_url.rstrip("/"), options.path
        if not path:
            parser.error("--path is needed with --base-url")
    else:
        server, path, folder = demo_server(options.port)
        base, path = f"http://127.0.0.1:{options.port}", options.path or path
    try:
        figures = measure(base, path, options.runs, options.username, options.password)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
            shutil.rmtree(folder, ignore_errors=True)

    print(f"{base}{path}: median of {options.runs} loads")
    for name, unit in [
        ("load", "ms  navigation start to load event end"),
        ("browser", "ms  of which the browser's: last byte to load event end"),
        ("script", "ms  scripting"),
        ("layout", "ms  layout"),
        ("style", "ms  style"),
        ("long_tasks", "ms  in long tasks (over 50 ms)"),
        ("boxes", "    form boxes"),
        ("select2", "    of which drawn by select2"),
    ]:
        print(f"{statistics.median(f[name] for f in figures):8.0f} {unit}")


if __name__ == "__main__":
    main()
