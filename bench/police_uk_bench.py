"""police.uk street-level import speed, beside a plain pass of Python's csv module.

    .venv/bin/python bench/police_uk_bench.py              # D&C January 2024 + a 1,000,000-row year
    .venv/bin/python bench/police_uk_bench.py --rows 200000 --database-url postgres://...

Two inputs: the real Devon and Cornwall month in fixtures/police_uk (10,871 rows) and a
synthetic year for a large force (twelve month files drawn from that month's rows, CRLF
as published). For each it times, in the same run:

- plain csv: ``for row in csv.reader(file)`` over the same files (the floor);
- read: opendata.police_uk.read_paths, the parse and count (no database);
- import: read plus the whole import into a partnership mapped to Plymouth with three
  indicators (figures through the audited service, hotspot counts), as the command does,
  each run into a partnership with no police.uk figures yet (emptied, untimed, before it);
- re-import: the same files again (every figure unchanged);
- first import (cold): the process's first import, once, which also loads modules.

Each is the median of --repeat runs (half as many for the synthetic year), wall-clock
and CPU time of this process (the steadier figure on a shared machine; on SQLite it
includes the database's work). The goal is the import within 3x of the plain csv pass
(ratios printed for both clocks).
"""

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
DEVON = HERE.parent / "fixtures" / "police_uk" / "2024-01" / "2024-01-devon-and-cornwall-street.csv"


def synthetic_year(folder: Path, rows: int) -> list[Path]:
    """Twelve month files of ``rows`` in all, rows drawn from the real month."""
    with DEVON.open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        source = list(reader)
    rng = random.Random(2024)
    paths = []
    per_month, extra = divmod(rows, 12)
    for month in range(1, 13):
        path = folder / f"2023-{month:02d}" / f"2023-{month:02d}-large-force-street.csv"
        path.parent.mkdir(parents=True)
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)  # \r\n, as published
            writer.writerow(header)
            for _ in range(per_month + (1 if month <= extra else 0)):
                row = list(rng.choice(source))
                row[1] = f"2023-{month:02d}"
                writer.writerow(row)
        paths.append(path)
    return paths


def plain_pass(paths: list[Path]) -> int:
    rows = 0
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for _ in csv.reader(handle):
                rows += 1
    return rows - len(paths)  # headers


def timed(fn, repeat: int, before=None):
    """The last result, and the median wall-clock and CPU seconds of ``repeat`` runs
    (``before`` runs untimed ahead of each). On a shared machine one run's wall-clock time
    can be several times another's; the CPU time of this process is the steadier figure
    (on SQLite it includes the database's work)."""
    wall, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return result, statistics.median(wall), statistics.median(cpu)


def bench(label: str, paths: list[Path], partnership, user, repeat: int) -> None:
    from indicators.models import Actual, FigureChange
    from opendata import police_uk, services
    from opendata.models import LsoaCount

    def full():
        return services.police_uk_import(
            partnership=partnership, street=police_uk.read_paths(paths), by=user
        )

    def forget():
        """Back to a partnership with no police.uk figures, so the next import is a first."""
        for model in (Actual, FigureChange):
            model.objects.filter(indicator__partnership=partnership).delete()
        LsoaCount.objects.filter(partnership=partnership).delete()

    rows, plain_s, plain_cpu = timed(lambda: plain_pass(paths), repeat)
    street, read_s, read_cpu = timed(lambda: police_uk.read_paths(paths), repeat)
    assert street.rows == rows, (street.rows, rows)
    # The process's very first import also loads modules (reports' selectors, compiled
    # from source where PYTHONDONTWRITEBYTECODE is set): shown apart, not in the median.
    forget()
    _, cold_s, cold_cpu = timed(full, 1)
    run, import_s, import_cpu = timed(full, repeat, before=forget)
    _, again_s, again_cpu = timed(full, repeat)  # re-imports: every figure unchanged
    print(f"\n{label}: {rows:,} rows in {len(paths)} file(s); median of {repeat} runs")
    print(f"  {'':<22} {'wall':>8} {'CPU':>8} {'rows/s (CPU)':>13}  ratio to the plain pass")
    for name, seconds, cpu in (
        ("plain csv pass", plain_s, plain_cpu),
        ("read and count", read_s, read_cpu),
        ("import", import_s, import_cpu),
        ("re-import", again_s, again_cpu),
        ("first import (cold)", cold_s, cold_cpu),
    ):
        print(
            f"  {name:<22} {seconds:7.3f}s {cpu:7.3f}s {rows / cpu:>13,.0f}"
            f"  wall {seconds / plain_s:.2f}x, CPU {cpu / plain_cpu:.2f}x"
        )
    report = run.report
    print(
        f"  matched {report['matched']:,}; months {len(report['months'])}; "
        f"figures {len(report['figures'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic year's rows")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each timing")
    parser.add_argument("--database-url", help="default: a fresh temporary SQLite file")
    args = parser.parse_args()

    from _setup import django_with

    url = django_with(args.database_url)
    print(f"database: {url.split('@')[-1]}")
    from csp_portal.core.models import Partnership
    from indicators.models import Indicator

    partnership, _ = Partnership.objects.get_or_create(
        slug="bench-plymouth", defaults={"name": "Bench Plymouth", "local_authorities": "Plymouth"}
    )
    for code, types in (
        ("ASB", "Anti-social behaviour"),
        ("SAC", "Burglary;Robbery;Vehicle crime;Theft from the person"),
        ("VIO", "Violence and sexual offences"),
    ):
        Indicator.objects.get_or_create(
            partnership=partnership,
            code=code,
            defaults={"title": code, "polarity": "lower", "police_uk_crime_types": types},
        )
    bench("Devon and Cornwall, January 2024 (real)", [DEVON], partnership, None, args.repeat)
    with tempfile.TemporaryDirectory(prefix="police-uk-bench-") as folder:
        start = time.perf_counter()
        paths = synthetic_year(Path(folder), args.rows)
        print(f"\n(wrote the synthetic year in {time.perf_counter() - start:.1f} s)")
        bench(
            f"Synthetic large-force year ({args.rows:,} rows)",
            paths,
            partnership,
            None,
            max(1, args.repeat // 2),
        )


if __name__ == "__main__":
    main()
