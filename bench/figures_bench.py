"""Figures throughput: time to compute every indicator's figures for one period, and the
queries the comparisons API makes, for 10, 100 and 1,000 indicators.

The figures are timed cold (the memo of indicators/figures_memo.py emptied before each
run: every indicator computed), and stored: the memo warm (every indicator kept), and
after one actual changed (all kept but that indicator's).

    .venv/bin/python bench/figures_bench.py [--database sqlite|postgresql] [--spc-only]

Also times building 30 chart specs (plain dicts), the budget for a chart-heavy page, and
what statistical process control adds: 1,000 indicators with 36 months each, figures with
and without SPC (the SPC step replaced by a stub that returns no limits).
"""

import argparse
import datetime
import gc
import random
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZES = (10, 100, 1000)
PERIOD = datetime.date(2016, 11, 1)


def build(partnership_slug: str, count: int):
    from csp_portal.core.models import Partnership
    from indicators.models import Actual, Indicator, Target

    rng = random.Random(count)
    partnership = Partnership.objects.create(
        name=f"Bench {count}", slug=partnership_slug, population=250_000
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            partnership=partnership,
            code=f"B {i:04d}",
            title=f"Indicator {i}",
            polarity=rng.choice(["lower", "higher", "monitor"]),
            measure="count",
        )
        for i in range(count)
    )
    months = [datetime.date(2014 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(32)]
    Actual.objects.bulk_create(
        (
            Actual(indicator=i, period=m, value=Decimal(rng.randint(50, 500)))
            for i in indicators
            for m in months
        ),
        batch_size=5000,
    )
    Target.objects.bulk_create(
        Target(indicator=i, financial_year=2016, kind="annual", value=Decimal(3000))
        for i in indicators
    )
    return partnership


def timed(function, repeat: int = 5) -> float:
    """Median wall-clock seconds."""
    return timed_both(function, repeat)[0]


def timed_both(function, repeat: int = 5, before=None) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of this process (on a shared machine the CPU
    time is the steadier figure; on SQLite it includes the database's work); ``before``
    runs ahead of each run, untimed."""
    wall, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--spc-only", action="store_true", help="only what SPC adds, for 1,000 indicators"
    )
    args = parser.parse_args()
    from _setup import django_with, postgres_fresh

    django_with(postgres_fresh("csp_bench_figures") if args.database == "postgresql" else None)
    print(f"Database: {args.database}")
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from indicators import charts, selectors, services
    from indicators.figures import compute
    from indicators.figures_memo import memo_clear

    if args.spc_only:
        spc_overhead(build("bench-spc", 1000))
        return
    admin = User.objects.create(username="bench-admin", is_staff=True, is_superuser=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    print(
        f"{'indicators':>10} {'figures cold (DB + compute)':>28} {'CPU':>9} {'compute only':>14} "
        f"{'CPU':>9} {'per indicator':>14} {'API queries':>12} {'API time':>10} "
        f"{'stored CPU':>11} {'1 changed CPU':>14}"
    )
    for size in SIZES:
        partnership = build(f"bench-{size}", size)
        results = selectors.partnership_figures(partnership, PERIOD)
        whole, whole_cpu = timed_both(
            lambda p=partnership: selectors.partnership_figures(p, PERIOD), before=memo_clear
        )
        selectors.partnership_figures(partnership, PERIOD)
        _, stored_cpu = timed_both(lambda p=partnership: selectors.partnership_figures(p, PERIOD))
        changing = results[size // 2].indicator
        values = iter(range(1, 100))

        def one_changed(indicator=changing, values=values):
            entry = services.FigureInput(indicator, PERIOD, Decimal(next(values)))
            services.actuals_save(entries=[entry], by=None)

        _, changed_cpu = timed_both(
            lambda p=partnership: selectors.partnership_figures(p, PERIOD), before=one_changed
        )
        pure, pure_cpu = timed_both(
            lambda r=results: [
                compute(selectors.spec_for(x.indicator), x.series, PERIOD, x.target) for x in r
            ]
        )
        url = f"/api/partnerships/{partnership.slug}/comparisons?period=2016-11"
        queries: list[str] = []

        def count(run, sql, *rest, seen=queries):
            seen.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        api = timed(lambda u=url: client.get(u), repeat=3)
        print(
            f"{size:>10} {whole * 1000:>25.1f} ms {whole_cpu * 1000:>6.1f} ms "
            f"{pure * 1000:>11.1f} ms {pure_cpu * 1000:>6.1f} ms "
            f"{pure_cpu / size * 1000:>11.3f} ms {len(queries):>12} {api * 1000:>7.0f} ms "
            f"{stored_cpu * 1000:>8.1f} ms {changed_cpu * 1000:>11.1f} ms"
        )
    memo_clear()
    gc.collect()
    tracemalloc.start()
    selectors.partnership_figures(partnership, PERIOD)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    each = kept / size / 1024
    print(f"Memo of {size:,} indicators' figures: {kept / 2**20:.1f} MB ({each:.1f} KB each)")
    thirty = selectors.partnership_figures(partnership, PERIOD)[:30]
    spec_time = timed(lambda: [charts.indicator_charts(r.indicator, r) for r in thirty], repeat=20)
    count = sum(len(charts.indicator_charts(r.indicator, r)) for r in thirty)
    print(f"Chart specs for 30 indicators ({count} charts): {spec_time * 1000:.1f} ms")
    spc_overhead(partnership)


def spc_overhead(partnership) -> None:
    """Figures for 1,000 indicators with 36 months each, with and without SPC."""
    from unittest import mock

    from indicators import data_version, figures, selectors
    from indicators.figures_memo import memo_clear
    from indicators.models import Actual, Indicator

    rng = random.Random(36)
    extra = [datetime.date(2016, 12, 1), *(datetime.date(2017, m, 1) for m in (1, 2, 3))]
    indicators = list(Indicator.objects.filter(partnership=partnership))
    Actual.objects.bulk_create(
        (
            Actual(indicator=i, period=m, value=Decimal(rng.randint(50, 500)))
            for i in indicators
            for m in extra
        ),
        batch_size=5000,
    )
    data_version.data_changed(indicator_ids=[i.pk for i in indicators])  # no signals
    period = extra[-1]
    results = selectors.partnership_figures(partnership, period)
    assert {len(r.series) for r in results} == {36}
    assert all(r.figures.spc_points == 36 for r in results)
    # What the SPC step gives for a period with no figure: every field empty.
    empty = figures.Calc(selectors.spec_for(results[0].indicator), {})
    stub = figures._spc_figures(empty, period, None, None, None)

    def without(*args, **kwargs):
        return stub

    def pure():
        return [
            figures.compute(selectors.spec_for(r.indicator), r.series, period, r.target)
            for r in results
        ]

    def whole():
        return selectors.partnership_figures(partnership, period)

    # Interleaved runs, CPU time of this process: the machine is shared, so wall-clock
    # times of two runs minutes apart are not comparable.
    runs: dict[tuple[str, bool], list[float]] = {}
    for _ in range(5):
        for on in (True, False):
            for name, function in (("pure", pure), ("whole", whole)):
                patch = mock.patch.object(figures, "_spc_figures", without)
                if not on:
                    patch.start()
                memo_clear()  # every indicator computed
                gc.collect()  # no run pays for the garbage of the one before
                started = time.process_time()
                function()
                runs.setdefault((name, on), []).append(time.process_time() - started)
                if not on:
                    patch.stop()
    with_pure, with_whole = (statistics.median(runs[(n, True)]) for n in ("pure", "whole"))
    without_pure, without_whole = (statistics.median(runs[(n, False)]) for n in ("pure", "whole"))
    print(f"SPC, {len(results)} indicators x 36 months (CPU time, median of 5 interleaved):")
    for name, on, off in (
        ("figures (DB + compute)", with_whole, without_whole),
        ("compute only", with_pure, without_pure),
    ):
        print(
            f"  {name:<24} without SPC {off * 1000:8.1f} ms   with SPC {on * 1000:8.1f} ms"
            f"   SPC adds {(on / off - 1) * 100:5.1f}%"
        )


if __name__ == "__main__":
    main()
