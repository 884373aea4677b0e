"""Import throughput and memory: partnerships x indicators x years of monthly actuals.

    .venv/bin/python bench/import_bench.py                 # 300 x 50 x 10 years = 1.8 M rows
    .venv/bin/python bench/import_bench.py --partnerships 30 --database postgresql

Each database runs in its own process so the two do not share Django's connection state.
Prints, for the first import and for the re-import of the same files (which must change
nothing): rows per second and the process's peak memory (resource.getrusage maxrss).
On PostgreSQL it then prints the floor: a plain COPY of the same actuals and their audit
rows into the same tables, committed, and the import's speed as a share of it.
"""

import argparse
import csv
import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATABASE = os.environ.get("BENCH_DATABASE", "csp_importpkg")  # dropped and made again


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
    first = datetime.date.today().year - years - 1  # financial years ending in the past
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
                        year, month = first + y + (m + 3) // 12, (m + 3) % 12 + 1
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


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def copy_floor(folder: Path, rows: int, clock: "Clock") -> tuple[float, float | None]:
    """Seconds (and server CPU seconds) for PostgreSQL to COPY the same actuals and audit
    rows and commit."""
    import json

    from django.db import connection, transaction
    from django.utils import timezone

    from indicators import periods
    from indicators.importing.applying import ACTUAL_FIELDS, AUDIT_FIELDS
    from indicators.models import Actual, FigureChange, Indicator

    ids = {
        (slug, code): pk
        for pk, slug, code in Indicator.objects.values_list("pk", "partnership__slug", "code")
    }
    now = timezone.now().isoformat()
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as actuals,
        tempfile.TemporaryFile("w+", encoding="utf-8") as audit,
    ):
        with open(folder / "actuals.csv", newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            for slug, code, period, value, *_ in reader:
                pk, month = ids[slug, code], periods.parse_month(period)
                actuals.write(f"{pk}\t{month}\t{value}\t\\N\t\\N\t\t\\N\t{now}\t1\n")
                new = json.dumps({"value": value, "numerator": None, "denominator": None})
                year = periods.financial_year_of(month, 4)
                audit.write(f"{pk}\tactual\t{month}\t{year}\t\\N\t{new}\t\tbench\t\\N\t{now}\n")
        quote = connection.ops.quote_name

        def columns(model, fields):
            return ", ".join(quote(model._meta.get_field(f).column) for f in fields)

        # The import's rows are emptied out (untimed) and the same rows copied back in
        # one transaction, committed like the import's, so deferred foreign-key checks count.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"TRUNCATE {quote(Actual._meta.db_table)}, {quote(FigureChange._meta.db_table)}"
            )
            clock.start()
            for model, fields, file in (
                (Actual, ACTUAL_FIELDS, actuals),
                (FigureChange, AUDIT_FIELDS, audit),
            ):
                file.seek(0)
                cursor.cursor.copy_expert(
                    f"COPY {quote(model._meta.db_table)} ({columns(model, fields)}) FROM STDIN",
                    file,
                )
        seconds, _, server = clock.stop()
    assert Actual.objects.count() == rows
    return seconds, server


class Clock:
    """Wall-clock seconds, this process's CPU seconds and (when PostgreSQL runs on this
    machine and /proc can be read) its server process's CPU seconds, since start()."""

    def __init__(self):
        from django.db import connection

        self.server_pid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.server_pid = cursor.fetchone()[0]

    def _now(self) -> tuple[float, float, float | None]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        server = None
        try:
            fields = Path(f"/proc/{self.server_pid}/stat").read_text().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
        return time.perf_counter(), usage.ru_utime + usage.ru_stime, server

    def start(self) -> None:
        self.started = self._now()

    def stop(self) -> tuple[float, float, float | None]:
        now = self._now()
        server = None if None in (now[2], self.started[2]) else now[2] - self.started[2]
        return now[0] - self.started[0], now[1] - self.started[1], server


def cpu_text(python: float, server: float | None) -> str:
    server_text = "?" if server is None else f"{server:.1f}"
    return f"CPU: Python {python:.1f} s, server {server_text} s"


def run_one(database: str, folder: Path, rows: int) -> None:
    sys.path.insert(0, str(HERE))
    from _setup import django_with, postgres_fresh

    url = postgres_fresh(DATABASE) if database == "postgresql" else None
    django_with(url)
    from indicators import importing
    from indicators.models import Actual

    clock = Clock()
    first = None
    for label in ("first import", "re-import (no changes)"):
        errors: list[str] = []
        clock.start()
        tables = importing.read_path(folder, errors)
        assert not errors, errors
        report = importing.import_tables(tables, by=None, source="bench")
        seconds, python, server = clock.stop()
        first = first or (seconds, python, server)
        print(
            f"{database:<10} {label:<24} {rows:>9,} rows in {seconds:7.1f} s = "
            f"{rows / seconds:>9,.0f} rows/s  peak {peak_mb():6,.0f} MB  "
            f"({cpu_text(python, server)})",
            flush=True,
        )
        assert Actual.objects.count() == rows, report.summary()
    if database == "postgresql":
        seconds, server = copy_floor(folder, rows, clock)
        share = first[0] and seconds / first[0]
        print(
            f"{database:<10} {'COPY floor':<24} {rows:>9,} rows in {seconds:7.1f} s = "
            f"{rows / seconds:>9,.0f} rows/s  (actuals and audit rows, no checks; "
            f"server CPU {'?' if server is None else f'{server:.1f}'} s)\n"
            f"{database:<10} first import runs at {share:.0%} of COPY's speed",
            flush=True,
        )
        if server is not None and first[2] is not None:
            work = first[1] + first[2]
            print(
                f"{database:<10} CPU time: the import {work:.1f} s (Python and server, partly "
                f"at once), the COPY {server:.1f} s: {server / work:.0%} "
                "(steadier than the clock when the machine is shared)",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--partnerships", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
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
