"""What Python's cyclic garbage collector costs the pages, at its default threshold and
as csp_portal/wsgi.py sets it for a server's workers.

    .venv/bin/python bench/gc_bench.py              # national data set in csp_perf

Each setting runs in a fresh process: 20 officers (`officer-000` ... of `csp-000` ...)
each open their dashboard, indicator list, an indicator page and month sheet once, every
view a first view (the cache and the kept figures emptied before it), as in
bench/load.py, where most views are the first of their page in their worker. Prints the
pages' CPU time and the collector's share of it (timed through `gc.callbacks`).
"""

import argparse
import gc
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SETTINGS = {
    "Python's default (700)": [],
    "as the server runs (wsgi.py)": ["--as-served"],
}


def run(database: str, as_served: bool) -> None:
    import pages

    pages.production_settings()
    from _setup import django_with

    django_with(database)
    from django.core.cache import cache

    from indicators.figures_memo import memo_clear
    from indicators.models import Indicator

    if as_served:
        import csp_portal.wsgi  # noqa: F401  (sets the collector up as a worker does)
    spent, started = [0.0, 0], [0.0]

    def timed(phase, info):
        if phase == "start":
            started[0] = time.process_time()
        else:
            spent[0] += time.process_time() - started[0]
            spent[1] += 1

    gc.callbacks.append(timed)
    total = 0.0
    for number in range(20):
        slug = f"csp-{number:03d}"
        client = pages.signed_in(f"officer-{number:03d}")
        indicator = Indicator.objects.filter(partnership__slug=slug).order_by("pk").first()
        month = client.get(f"/p/{slug}/figures/")["Location"]
        for url in (
            f"/p/{slug}/dashboard/",
            f"/p/{slug}/indicators/",
            f"/p/{slug}/indicators/{indicator.pk}/",
            month,
        ):
            cache.clear()
            memo_clear()
            before = time.process_time()
            response = client.get(url)
            total += time.process_time() - before
            assert response.status_code == 200, (url, response.status_code)
    print(f"{total * 1000:.0f} {spent[0] * 1000:.0f} {spent[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/csp_perf")
    parser.add_argument("--as-served", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per setting")
    args = parser.parse_args()
    if args.child:
        run(args.database, args.as_served)
        return
    print("80 first page views (20 officers x dashboard, list, indicator page, month sheet)")
    print(f"{'collector':<30} {'CPU ms':>8} {'collector ms':>13} {'share':>6} {'sweeps':>7}")
    for name, flags in SETTINGS.items():
        runs = []
        for _ in range(args.repeat):
            output = subprocess.run(
                [sys.executable, __file__, "--child", "--database", args.database, *flags],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()[-3:]
            runs.append(tuple(float(value) for value in output))
        total, collector, sweeps = sorted(runs)[len(runs) // 2]  # the median run by CPU
        print(
            f"{name:<30} {total:>8.0f} {collector:>13.0f} {collector / total:>6.1%} {sweeps:>7.0f}"
        )


if __name__ == "__main__":
    main()
