"""Server time and queries of each officer and admin page, as a ratio to the sign-in page.

    .venv/bin/python bench/national.py              # once: the national data set in csp_perf
    .venv/bin/python bench/pages.py                 # median of 5 runs per page
    .venv/bin/python bench/pages.py --runs 9 --database sqlite:////tmp/national.sqlite3
    .venv/bin/python bench/pages.py --cold          # every request a cache miss

In-process, through Django's test Client (no HTTP server, no static files), with
production settings (DEBUG off). Signs in through the sign-in form as `officer-000`
(of `csp-000`) and as `bench-admin`. The sign-in page (GET) is the floor: the cost of
a request that does almost nothing, measured in the same run. CPU ms is this process's
CPU time (Django's share, not the database server's): the steadier figure on a machine
shared with other work.

Figure pages cache their parts under the partnership's data version (README, "Caching"):
the warm-up request fills the cache, so the runs measure what a page costs until the
next change to its data. ``--cold`` empties the cache before each run: the cost of the
first request after a change.
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


def measure(client, url: str, runs: int, cold: bool = False) -> tuple[float, float, int, int, int]:
    """Median seconds, median CPU seconds of this process (Django's share, without the
    database server's), queries, status and bytes of a GET (after one warm-up)."""
    from django.core.cache import cache
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, *rest):
        queries.append(sql)
        return execute(sql, *rest)

    client.get(url)
    times, cpu = [], []
    for _ in range(runs):
        if cold:
            cache.clear()
        queries.clear()
        with connection.execute_wrapper(count):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    median = statistics.median
    return median(times), median(cpu), len(queries), response.status_code, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="a DATABASE_URL")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--cold", action="store_true", help="empty the cache before each run")
    args = parser.parse_args()
    production_settings()
    from _setup import django_with

    django_with(args.database)
    from django.db import connection

    from csp_portal.core.models import Partnership
    from indicators.models import Actual

    print(
        f"Database: {connection.vendor}, {Partnership.objects.count():,} partnerships, "
        f"{Actual.objects.count():,} actuals; median of {args.runs} runs, Django test Client "
        f"in-process, DEBUG off, cache {'emptied before each run' if args.cold else 'warm'}"
    )
    clients = {None: __import__("django.test").test.Client()}
    clients["officer"] = signed_in("officer-000")
    clients["admin"] = signed_in("bench-admin")
    floor = cpu_floor = None
    print(
        f"{'page':<26} {'ms':>8} {'x floor':>8} {'CPU ms':>8} {'x floor':>8} {'queries':>8} "
        f"{'status':>6} {'KB':>7}"
    )
    for name, who, url in pages_to_measure():
        if floor is not None and args.only and args.only not in name:
            continue
        seconds, cpu, queries, status, size = measure(clients[who], url, args.runs, args.cold)
        floor = floor or seconds
        cpu_floor = cpu_floor or cpu
        print(
            f"{name:<26} {seconds * 1000:>8.1f} {seconds / floor:>8.1f} {cpu * 1000:>8.1f} "
            f"{cpu / cpu_floor:>8.1f} {queries:>8} {status:>6} {size / 1024:>7.0f}"
        )


if __name__ == "__main__":
    main()
