"""Commissioning plan: time and queries of `commissioning_summary` (with progress) and of
the plan page's table, for 10, 100 and 1,000 lines, each with 4 progress updates.

    .venv/bin/python bench/commissioning_bench.py [--database sqlite|postgresql]
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZES = (10, 100, 1000)
AS_AT = datetime.date(2017, 11, 1)


def build(slug: str, count: int):
    from commissioning.models import (
        CommissioningLine,
        FundingStream,
        ProgressOutput,
        ProgressUpdate,
    )
    from csp_portal.core.models import Partnership
    from csp_portal.core.text import name_key

    rng = random.Random(count)
    partnership = Partnership.objects.create(name=f"Bench {count}", slug=slug)
    streams = [
        FundingStream.objects.create(
            partnership=partnership, financial_year=2017, source=f"Grant {i}", amount=400568
        )
        for i in range(3)
    ]
    lines = CommissioningLine.objects.bulk_create(
        CommissioningLine(
            partnership=partnership,
            financial_year=2017,
            reference=f"CI {i:04d}",
            # bulk_create skips save, which keeps the key the database holds unique.
            reference_key=name_key(f"CI {i:04d}"),
            area_of_need=f"Need {i}",
            funding_stream=rng.choice(streams),
            contribution_status=(status := rng.choice(["amount", "amount", "tbc", "awaiting"])),
            contribution=Decimal(rng.randint(100, 5000)) if status == "amount" else None,
            status=rng.choice(["proposed", "approved", "commissioned"]),
            end=datetime.date(2018, rng.randint(1, 12), 1),
        )
        for i in range(count)
    )
    updates = ProgressUpdate.objects.bulk_create(
        ProgressUpdate(line=line, date=datetime.date(2017, month, 28), text="Progress")
        for line in lines
        for month in (4, 6, 8, 10)
    )
    ProgressOutput.objects.bulk_create(
        ProgressOutput(update=u, label=label, value=rng.randint(1, 50), position=n)
        for u in updates
        for n, label in enumerate(["Clients", "Partners"])
    )
    return partnership


def measure(function, repeat: int = 5) -> tuple[float, int]:
    from django.db import connection, reset_queries

    runs, queries = [], 0
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
        queries = len(connection.queries)
    return statistics.median(runs) * 1000, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    from _setup import django_with, postgres_fresh

    url = postgres_fresh("csp_bench_commissioning") if args.database == "postgresql" else None
    django_with(url)
    from django.conf import settings

    settings.DEBUG = True  # keep connection.queries
    from commissioning import selectors
    from commissioning.tables import LineTable

    print(f"commissioning_summary and the plan table ({args.database}), median of 5 runs")
    print(f"{'lines':>6} {'summary ms':>11} {'queries':>8} {'export ms':>10}")
    for count in SIZES:
        partnership = build(f"bench-{count}", count)

        def summary(partnership=partnership):
            result = selectors.commissioning_summary(partnership, 2017, as_at=AS_AT)
            for progress in result.progress:
                list(progress.update.outputs.all())
            return result

        def table(partnership=partnership):
            result = selectors.commissioning_summary(partnership, 2017, as_at=AS_AT, progress=False)
            return list(LineTable(result.lines).as_values())  # what the CSV export writes

        ms, queries = measure(summary)
        table_ms, _ = measure(table)
        print(f"{count:>6} {ms:>11.1f} {queries:>8} {table_ms:>10.1f}")


if __name__ == "__main__":
    main()
