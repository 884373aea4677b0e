"""Server time and queries of each officer and admin page, as a ratio to the sign-in page.

    .venv/bin/python bench/national.py              # once: the national data set in csp_perf
    .venv/bin/python bench/pages.py                 # median of 5 runs per page
    .venv/bin/python bench/pages.py --runs 9 --database sqlite:////tmp/national.sqlite3
    .venv/bin/python bench/pages.py --after-change  # every request the first after a save
    .venv/bin/python bench/pages.py --cold          # every request a cache miss

In-process, through Django's test Client (no HTTP server, no static files), with
production settings (DEBUG off). Signs in through the sign-in form as `officer-000`
(of `csp-000`) and as `bench-admin`. The sign-in page (GET) is the floor: the cost of
a request that does almost nothing, measured in the same run. CPU ms is this process's
CPU time (Django's share, not the database server's): the steadier figure on a machine
shared with other work.

Figure pages cache their parts under the partnership's data version (README, "Caching"):
the warm-up request fills the cache, so the runs measure what a page costs until the
next change to its data. ``--after-change`` changes one indicator's figures before each
run, as an officer's save does: the cost of the first request after a save.
``--cold`` empties the whole cache before each run (sessions and kept pages: the cost of
a request just after the cache server restarted). The floor is timed just before each
run and the ratios are the medians of each run's own ratio.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/csp_perf"
PASSWORD = "bench-pass"


def production_settings() -> None:
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-a-real-site")
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_PLAIN_STATIC"] = "1"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")


def signed_in(username: str):
    from django.test import Client

    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in ({response.status_code})"
    return client


def pages_to_measure():
    """(name, who, url) for each page, on the first partnership's data."""
    from django.db.models import Max

    from csp_portal.core.models import Partnership
    from indicators import periods
    from indicators.models import Actual, Indicator

    partnership = Partnership.objects.get(slug="csp-000")
    indicator = (
        Indicator.objects.filter(partnership=partnership, measure="count", frequency="monthly")
        .order_by("code")
        .first()
    )
    latest = Actual.objects.filter(indicator__partnership=partnership).aggregate(m=Max("period"))[
        "m"
    ]
    year = periods.financial_year_of(latest, partnership.fy_start_month)
    slug, month = partnership.slug, f"{latest:%Y-%m}"
    pages_to_measure.indicator = indicator
    return [
        ("login page (floor)", None, "/accounts/login/"),
        ("dashboard", "officer", f"/p/{slug}/dashboard/"),
        ("indicator list", "officer", f"/p/{slug}/indicators/"),
        ("indicator page", "officer", f"/p/{slug}/indicators/{indicator.pk}/"),
        ("month sheet", "officer", f"/p/{slug}/figures/{month}/"),
        ("year grid", "officer", f"/p/{slug}/indicators/{indicator.pk}/year/{year}/"),
        ("comparisons API", "officer", f"/api/partnerships/{slug}/comparisons?period={month}"),
        ("export.xlsx", "officer", f"/p/{slug}/export.xlsx"),
        ("home (admin)", "admin", "/"),
        ("admin FigureChange list", "admin", "/admin/indicators/figurechange/"),
        ("admin Indicator list", "admin", "/admin/indicators/indicator/"),
        ("admin Actual list", "admin", "/admin/indicators/actual/"),
        ("admin Target list", "admin", "/admin/indicators/target/"),
        ("admin Partnership list", "admin", "/admin/core/partnership/"),
        ("admin ThemeGroup list", "admin", "/admin/core/themegroup/"),
        ("admin Membership list", "admin", "/admin/core/membership/"),
        ("admin Meeting list", "admin", "/admin/core/meeting/"),
        ("admin Organisation list", "admin", "/admin/core/organisation/"),
        ("admin User list", "admin", "/admin/auth/user/"),
    ]


def measure(client, url: str, runs: int, before=None, floor=None) -> dict:
    """Median seconds and CPU seconds of this process (Django's share, without the database
    server's), queries, status and bytes of a GET (after one warm-up); ``before`` runs
    untimed before each run. With ``floor`` (a client and URL), the floor is timed just
    before each run, and the ratios are the medians of the runs' own ratios, so a machine
    that speeds up or slows down during the run does not skew them."""
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, *rest):
        queries.append(sql)
        return execute(sql, *rest)

    def timed(client, url):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        return time.perf_counter() - started, time.process_time() - started_cpu, response, body

    client.get(url)
    times, cpu, floor_times, floor_cpu = [], [], [], []
    for _ in range(runs):
        if floor:
            wall, used, *_ = timed(*floor)
            floor_times.append(wall)
            floor_cpu.append(used)
        if before:
            before()
        queries.clear()
        with connection.execute_wrapper(count):
            wall, used, response, body = timed(client, url)
        times.append(wall)
        cpu.append(used)
    median = statistics.median
    return {
        "seconds": median(times),
        "cpu": median(cpu),
        "ratio": median(t / f for t, f in zip(times, floor_times, strict=True)) if floor else 1,
        "cpu_ratio": median(t / f for t, f in zip(cpu, floor_cpu, strict=True)) if floor else 1,
        "queries": len(queries),
        "status": response.status_code,
        "size": len(body),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="a DATABASE_URL")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--cold", action="store_true", help="empty the cache before each run")
    parser.add_argument(
        "--after-change",
        action="store_true",
        help="change one indicator's figures before each run (as a save does)",
    )
    args = parser.parse_args()
    production_settings()
    from _setup import django_with

    django_with(args.database)
    from django.core.cache import cache
    from django.db import connection

    from csp_portal.core.models import Partnership
    from indicators.models import Actual

    print(
        f"Database: {connection.vendor}, {Partnership.objects.count():,} partnerships, "
        f"{Actual.objects.count():,} actuals; median of {args.runs} runs, Django test Client "
        f"in-process, DEBUG off, "
        + (
            "cache emptied before each run"
            if args.cold
            else "one indicator's figures changed before each run"
            if args.after_change
            else "cache warm"
        )
    )
    clients = {None: __import__("django.test").test.Client()}
    clients["officer"] = signed_in("officer-000")
    clients["admin"] = signed_in("bench-admin")
    pages, change = pages_to_measure(), None
    if args.after_change:
        from indicators.data_version import data_changed

        # As an officer's save of one figure does: that indicator's figures and every
        # page of its partnership are made again; the other indicators' figures are kept.
        changed = pages_to_measure.indicator

        def change():
            data_changed(indicator_ids=[changed.pk])

    print(
        f"{'page':<26} {'ms':>8} {'x floor':>8} {'CPU ms':>8} {'x floor':>8} {'queries':>8} "
        f"{'status':>6} {'KB':>7}"
    )
    floor = None
    for name, who, url in pages:
        if floor is not None and args.only and args.only not in name:
            continue
        before = cache.clear if args.cold else change
        got = measure(clients[who], url, args.runs, before if floor else None, floor)
        floor = floor or (clients[who], url)
        print(
            f"{name:<26} {got['seconds'] * 1000:>8.1f} {got['ratio']:>8.1f} "
            f"{got['cpu'] * 1000:>8.1f} {got['cpu_ratio']:>8.1f} {got['queries']:>8} "
            f"{got['status']:>6} {got['size'] / 1024:>7.0f}"
        )


if __name__ == "__main__":
    main()
