"""Load: officers of different partnerships using the site at once, against gunicorn.

    .venv/bin/pip install -e '.[bench]'                # once: httpx, the HTTP client
    .venv/bin/python bench/national.py                 # once: the national data set in csp_perf
    .venv/bin/python bench/load.py                     # 20 officers, 60 s, gunicorn 4 workers

Starts gunicorn (4 sync workers, production settings, DEBUG off) on port 8104 against the
database, signs in 20 officers (`officer-000` ... of `csp-000` ...) and runs each in a plain
thread with httpx: sign-in page (the floor), dashboard, indicator page, month sheet and a
save of one changed figure, with 2-5 s of think time before each request, for 60 s.
Prints p50/p95/p99 per page, errors, requests per second, and the gunicorn workers' CPU
time per request (from /proc, so Linux only).
"""

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import threading
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/csp_perf"
PASSWORD = "bench-pass"
PAGES = ("sign-in page (floor)", "dashboard", "indicator page", "month sheet", "save")


class FormReader(HTMLParser):
    """The inputs of each POST form on a page: (name, value) pairs, in order."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[list[str]]] = []
        self.in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.in_form = True
            self.forms.append([])
        elif tag == "input" and self.in_form and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1].append([attrs["name"], attrs.get("value") or ""])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def form_fields(html: str) -> list[list[str]]:
    """The fields of the page's biggest POST form (not the sign-out button's)."""
    reader = FormReader()
    reader.feed(html)
    return max(reader.forms, key=len, default=[])


class PlainHttpCookies:
    """The site's cookies, sent back over plain HTTP although production marks them Secure
    (httpx, rightly, would not): the bench has no TLS in front of gunicorn."""

    def __init__(self):
        self.values: dict[str, str] = {}

    def request(self, request: httpx.Request) -> None:
        if self.values:
            request.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.values.items())

    def response(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            self.values[name.strip()] = rest.split(";", 1)[0]


class Officer(threading.Thread):
    def __init__(self, number: int, base: str, until: float, think: tuple[float, float], log):
        super().__init__(daemon=True)
        self.username = f"officer-{number:03d}"
        self.slug = f"csp-{number:03d}"
        self.base = base
        self.until = until
        self.think = think
        self.log = log
        self.rng = random.Random(number)

    def timed(self, client, name, method, url, **kwargs):
        started = time.perf_counter()
        try:
            response = client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            self.log(name, time.perf_counter() - started, f"{type(error).__name__}")
            return None
        elapsed = time.perf_counter() - started
        ok = response.status_code < 400 and not (name == "save" and response.status_code != 302)
        self.log(name, elapsed, None if ok else f"HTTP {response.status_code}")
        return response

    def sign_in(self, client):
        page = client.get("/accounts/login/")
        token = dict(form_fields(page.text)).get("csrfmiddlewaretoken", "")
        response = client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.base}/accounts/login/"},
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in: {response.status_code}")

    def prepare(self):
        """Sign in and find the officer's indicators and month sheet (not timed)."""
        cookies = PlainHttpCookies()
        self.client = client = httpx.Client(
            base_url=self.base,
            timeout=30,
            event_hooks={"request": [cookies.request], "response": [cookies.response]},
        )
        self.sign_in(client)
        sheet = client.get(f"/p/{self.slug}/figures/").headers["location"]
        html = client.get(sheet).text
        self.indicators = sorted(set(re.findall(rf"/p/{self.slug}/indicators/(\d+)/", html)))
        month = re.search(r"/figures/(\d{4}-\d{2})/", sheet)
        if month:  # the latest month with figures, so a save changes one
            year, number = map(int, month.group(1).split("-"))
            previous = f"{year - (number == 1)}-{(number - 2) % 12 + 1:02d}"
            sheet = f"/p/{self.slug}/figures/{previous}/"
        self.sheet = sheet

    def run(self):
        client, sheet, indicators, fields = self.client, self.sheet, self.indicators, []
        try:
            while time.monotonic() < self.until:
                for name in PAGES:
                    time.sleep(self.rng.uniform(*self.think))
                    if time.monotonic() >= self.until:
                        return
                    if name == "sign-in page (floor)":
                        self.timed(client, name, "GET", "/accounts/login/")
                    elif name == "dashboard":
                        self.timed(client, name, "GET", f"/p/{self.slug}/dashboard/")
                    elif name == "indicator page":
                        pk = self.rng.choice(indicators)
                        self.timed(client, name, "GET", f"/p/{self.slug}/indicators/{pk}/")
                    elif name == "month sheet":
                        page = self.timed(client, name, "GET", sheet)
                        fields = form_fields(page.text) if page is not None else []
                    elif name == "save" and fields:
                        self.timed(
                            client,
                            name,
                            "POST",
                            sheet,
                            data=self.changed(fields),
                            headers={"Referer": f"{self.base}{sheet}"},
                        )
        finally:
            client.close()

    def changed(self, fields: list[list[str]]) -> dict[str, str]:
        """The form as shown, with one whole-number figure moved by one."""
        data = {name: value for name, value in fields}
        figures = [n for n, v in fields if n.endswith("-v") and v.isdigit()]
        if figures:
            name = self.rng.choice(figures)
            data[name] = str(int(data[name]) + self.rng.choice((-1, 1)))
        data["reason"] = "load test"
        return data


def worker_cpu(master: int) -> float:
    """User + system CPU seconds of the gunicorn master's worker processes."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in Path("/proc").iterdir():
        if not pid.name.isdigit():
            continue
        try:
            fields = (pid / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def start_gunicorn(database: str, port: int, workers: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=database,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-not-for-a-site"),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_PLAIN_STATIC="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore::UserWarning",
    )
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "csp_portal.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (is port {port} in use?)")
        try:
            httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="a DATABASE_URL")
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 5.0))
    args = parser.parse_args()
    server = start_gunicorn(args.database, args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()

    def log(name, seconds, error):
        with lock:
            times[name].append(seconds)
            if error:
                errors[name].append(error)

    try:
        # Sign in and warm every worker before the clock starts.
        until = time.monotonic() + 1e9
        officers = [Officer(n, base, until, tuple(args.think), log) for n in range(args.officers)]
        for officer in officers:
            officer.prepare()
        cpu_before = worker_cpu(server.pid)
        started = time.monotonic()
        for officer in officers:
            officer.until = started + args.seconds
            officer.start()
        for officer in officers:
            officer.join()
        elapsed = time.monotonic() - started
        cpu = worker_cpu(server.pid) - cpu_before
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    requests = sum(len(v) for v in times.values())
    print(
        f"{args.officers} officers, {args.think[0]:g}-{args.think[1]:g} s think time, "
        f"{elapsed:.0f} s, gunicorn {args.workers} workers, {args.database.split('://')[0]}"
    )
    print(f"{'page':<22} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name in PAGES:
        values = times.get(name)
        if not values:
            continue
        print(
            f"{name:<22} {len(values):>5} {statistics.median(values) * 1000:>8.0f} "
            f"{percentile(values, 0.95) * 1000:>8.0f} {percentile(values, 0.99) * 1000:>8.0f} "
            f"{len(errors.get(name, [])):>7}"
        )
    every = [v for values in times.values() for v in values]
    print(
        f"{'all':<22} {requests:>5} {statistics.median(every) * 1000:>8.0f} "
        f"{percentile(every, 0.95) * 1000:>8.0f} {percentile(every, 0.99) * 1000:>8.0f} "
        f"{sum(len(e) for e in errors.values()):>7}"
    )
    print(
        f"{requests / elapsed:.1f} requests/s; gunicorn workers' CPU {cpu:.1f} s, "
        f"{cpu / requests * 1000:.0f} ms per request (sign-ins and set-up not counted)"
    )
    for name, messages in errors.items():
        print(f"  {name}: {', '.join(sorted(set(messages)))}")


if __name__ == "__main__":
    main()
