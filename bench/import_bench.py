"""Import throughput: partnerships x indicators x years of monthly actuals, SQLite and PostgreSQL.

    .venv/bin/python bench/import_bench.py                 # 300 x 50 x 5 years = 900,000 rows
    .venv/bin/python bench/import_bench.py --partnerships 10 --database sqlite

Each database runs in its own process so the two do not share Django's connection state.
Prints rows per second for the check (parse and validate) and the write, and for the
re-import of the same files (which must change nothing).
"""

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write_files(folder: Path, partnerships: int, indicators: int, years: int) -> int:
    rng = random.Random(2016)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "partnerships.csv", "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["slug", "name", "population", "police_force"])
        for p in range(partnerships):
            writer.writerow(
                [
                    f"csp-{p:03d}",
                    f"Community Safety Partnership {p:03d}",
                    rng.randint(80_000, 600_000),
                    "Bench Police",
                ]
            )
    with open(folder / "indicators.csv", "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "partnership",
                "code",
                "title",
                "theme_group",
                "polarity",
                "measure",
                "frequency",
                "tolerance",
                "unit",
            ]
        )
        for p in range(partnerships):
            for i in range(indicators):
                writer.writerow(
                    [
                        f"csp-{p:03d}",
                        f"IND {i:02d}",
                        f"Indicator {i:02d}",
                        f"Theme {i % 4}",
                        "lower",
                        "count",
                        "monthly",
                        "5",
                        "crimes",
                    ]
                )
    rows = 0
    with open(folder / "actuals.csv", "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["partnership", "indicator", "period", "value", "numerator", "denominator", "note"]
        )
        for p in range(partnerships):
            for i in range(indicators):
                base = rng.randint(10, 2000)
                for y in range(years):
                    for m in range(12):
                        year, month = 2019 + y + (m + 3) // 12, (m + 3) % 12 + 1
                        writer.writerow(
                            [
                                f"csp-{p:03d}",
                                f"IND {i:02d}",
                                f"{year}-{month:02d}",
                                max(0, base + rng.randint(-base // 5, base // 5)),
                                "",
                                "",
                                "",
                            ]
                        )
                        rows += 1
    return rows


def run_one(database: str, folder: Path, rows: int) -> None:
    sys.path.insert(0, str(HERE))
    from _setup import django_with, postgres_fresh

    url = postgres_fresh("csp_bench") if database == "postgresql" else None
    django_with(url)
    from indicators import importing
    from indicators.models import Actual

    for label in ("first import", "re-import (no changes)"):
        errors: list[str] = []
        started = time.perf_counter()
        tables = importing.read_path(folder, errors)
        assert not errors, errors
        report = importing.import_tables(tables, by=None, source="bench")
        seconds = time.perf_counter() - started
        print(
            f"{database:<10} {label:<24} {rows:>9,} rows in {seconds:7.1f} s = "
            f"{rows / seconds:>9,.0f} rows/s  ({report.summary()[:90]})",
            flush=True,
        )
    assert Actual.objects.count() == rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--partnerships", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--_child", help=argparse.SUPPRESS)
    parser.add_argument("--_folder", help=argparse.SUPPRESS)
    parser.add_argument("--_rows", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child:
        run_one(args._child, Path(args._folder), args._rows)
        return
    folder = Path(tempfile.mkdtemp(prefix="csp-import-bench-"))
    started = time.perf_counter()
    rows = write_files(folder, args.partnerships, args.indicators, args.years)
    print(
        f"Wrote {rows:,} actuals ({args.partnerships} partnerships x {args.indicators} "
        f"indicators x {args.years} years) in {time.perf_counter() - started:.1f} s"
    )
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for database in databases:
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--_child",
                database,
                "--_folder",
                str(folder),
                "--_rows",
                str(rows),
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
