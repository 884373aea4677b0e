"""Export speed and memory: one partnership's workbook (``export.xlsx``) and CSV folder
(``export_data``) with 100,000 figures (250 indicators x 400 months), on PostgreSQL.

    .venv/bin/python bench/export_bench.py [--figures 100000] [--database postgresql|sqlite]

The data is written in one process; each export runs in a fresh process so its peak
memory (resource.getrusage maxrss) is its own. Prints seconds (wall clock, and this
process's CPU time, steadier on a shared machine), the peak memory and its growth over
the process before the export, and the file size.
"""

import argparse
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
DATABASE = "csp_importpkg"  # this helper's own database: dropped and made again


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """This process's CPU time: steadier than the clock on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def build(figures: int) -> None:
    from csp_portal.core.models import Partnership
    from indicators.importing.applying import ACTUAL_FIELDS, insert_rows
    from indicators.models import Actual, Indicator

    months = 400
    count = max(1, figures // months)
    rng = random.Random(figures)
    partnership = Partnership.objects.create(name="Export Bench", slug="export-bench")
    indicators = Indicator.objects.bulk_create(
        Indicator(
            partnership=partnership,
            code=f"B {i:04d}",
            title=f"Indicator {i} with a title of ordinary length",
            polarity="lower",
            measure="count",
        )
        for i in range(count)
    )
    periods = [datetime.date(1990 + m // 12, m % 12 + 1, 1) for m in range(months)]
    now = datetime.datetime.now(datetime.UTC)
    insert_rows(
        Actual,
        ACTUAL_FIELDS,
        [
            (i.pk, p, rng.randint(10, 2000), None, None, "", None, now, 1)
            for i in indicators
            for p in periods
        ],
    )


def measure(kind: str) -> None:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from csp_portal.core.models import Partnership
    from indicators import importing
    from indicators.models import Actual

    partnership = Partnership.objects.get(slug="export-bench")
    figures = Actual.objects.count()
    before, cpu = maxrss_mb(), cpu_seconds()
    started = time.perf_counter()
    if kind == "view":
        user = User.objects.create_superuser("bench", password="x")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(user)
        before, cpu = maxrss_mb(), cpu_seconds()
        started = time.perf_counter()
        response = client.get(reverse("indicators:export", args=[partnership.slug]))
        size = (
            sum(len(chunk) for chunk in response) if response.streaming else len(response.content)
        )
        assert response.status_code == 200, response.status_code
    else:
        folder = Path(tempfile.mkdtemp(prefix="csp-export-bench-"))
        importing.export_to_folder(partnership, folder)
        size = sum(f.stat().st_size for f in folder.iterdir())
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    peak = maxrss_mb()
    label = {"view": "export.xlsx (view)", "folder": "export_data (CSV folder)"}[kind]
    print(
        f"{label:<26} {figures:>8,} figures  {seconds:6.2f} s ({cpu:5.2f} s CPU)  "
        f"peak {peak:6.0f} MB (+{peak - before:5.0f} MB)  {size / 1e6:5.1f} MB file",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--figures", type=int, default=100_000)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--_child", help=argparse.SUPPRESS)
    parser.add_argument("--_url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from _setup import django_with, postgres_fresh

    if args._child:
        os.environ["DATABASE_URL"] = args._url
        django_with(args._url)
        if args._child == "build":
            build(args.figures)
        else:
            measure(args._child)
        return
    if args.database == "postgresql":
        url = postgres_fresh(DATABASE)
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='csp-export-bench-')}/bench.sqlite3"
    for child in ("build", "view", "folder"):
        command = [sys.executable, __file__, "--_child", child, "--_url", url]
        subprocess.run([*command, "--figures", str(args.figures)], check=True)


if __name__ == "__main__":
    main()
