"""police.uk street-level import speed, beside a plain pass of Python's csv module.

    .venv/bin/python bench/police_uk_bench.py              # D&C January 2024 + a 1,000,000-row year
    .venv/bin/python bench/police_uk_bench.py --rows 200000 --database-url postgres://...

Two inputs: the real Devon and Cornwall month in fixtures/police_uk (10,871 rows) and a
synthetic year for a large force (twelve month files drawn from that month's rows, CRLF
as published). For each it times, in the same run:

- plain csv: ``for row in csv.reader(file)`` over the same files (the floor);
- read: opendata.police_uk.read_paths, the parse and count (no database);
- import: read plus the whole import into a partnership mapped to Plymouth with three
  indicators (figures through the audited service, hotspot counts), as the command does.

The goal is the import within 3x of the plain csv pass (ratio printed).
"""

import argparse
import csv
import random
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


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def bench(label: str, paths: list[Path], partnership, user) -> None:
    from opendata import police_uk, services

    rows, plain_s = timed(lambda: plain_pass(paths))
    street, read_s = timed(lambda: police_uk.read_paths(paths))
    assert street.rows == rows, (street.rows, rows)

    def full():
        return services.police_uk_import(
            partnership=partnership, street=police_uk.read_paths(paths), by=user
        )

    run, import_s = timed(full)
    _, again_s = timed(full)  # a re-import: every figure unchanged
    print(f"\n{label}: {rows:,} rows in {len(paths)} file(s)")
    print(f"  plain csv pass   {plain_s:7.2f} s  {rows / plain_s:>12,.0f} rows/s")
    for name, seconds in (("read and count", read_s), ("import", import_s), ("re-import", again_s)):
        print(
            f"  {name:<16} {seconds:7.2f} s  {rows / seconds:>12,.0f} rows/s"
            f"  ({seconds / plain_s:.2f}x the plain pass)"
        )
    report = run.report
    print(
        f"  matched {report['matched']:,}; months {len(report['months'])}; "
        f"figures {len(report['figures'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic year's rows")
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
    bench("Devon and Cornwall, January 2024 (real)", [DEVON], partnership, None)
    with tempfile.TemporaryDirectory(prefix="police-uk-bench-") as folder:
        start = time.perf_counter()
        paths = synthetic_year(Path(folder), args.rows)
        print(f"\n(wrote the synthetic year in {time.perf_counter() - start:.1f} s)")
        bench(f"Synthetic large-force year ({args.rows:,} rows)", paths, partnership, None)


if __name__ == "__main__":
    main()
