"""A national data set: partnerships x indicators x years of monthly figures, with targets,
officers and an import audit trail, written straight to the database (COPY on PostgreSQL).

    .venv/bin/python bench/national.py                        # 300 x 50 x 10 years into csp_perf
    .venv/bin/python bench/national.py --scale 0.1            # 30 partnerships, for quick runs
    .venv/bin/python bench/national.py --database sqlite:////tmp/national.sqlite3

The database is emptied and migrated first. Sign-ins (password `bench-pass`):
`bench-admin` (staff), and `officer-000` ... one officer per partnership, of `csp-000` ...
Prints the row counts and how long each step took.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/csp_perf"
PASSWORD = "bench-pass"
FIRST_YEAR = 2016  # financial years 2016/17 ...
THEMES = ("Violence", "Acquisitive crime", "Antisocial behaviour", "Reoffending")
# (polarity, measure, frequency): most figures are monthly counts, as in the seed papers.
KINDS = (
    [("lower", "count", "monthly")] * 30
    + [("higher", "count", "monthly")] * 5
    + [("monitor", "count", "monthly")] * 5
    + [("higher", "percentage", "monthly")] * 4
    + [("lower", "rate", "monthly")] * 3
    + [("lower", "snapshot", "monthly")] * 2
    + [("lower", "count", "quarterly")] * 1
)


def months(first_year: int, years: int) -> list[datetime.date]:
    return [
        datetime.date(first_year + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(12 * years)
    ]


def _fresh(database: str) -> None:
    """Drop and recreate a PostgreSQL database, or delete a SQLite file."""
    if database.startswith("sqlite"):
        path = Path(database.split("sqlite:///", 1)[1])
        path.unlink(missing_ok=True)
        return
    import psycopg2

    base, name = database.rsplit("/", 1)
    connection = psycopg2.connect(base + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


class Writer:
    """Bulk rows into a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def write(self, table: str, columns: list[str], rows, chunk: int = 200_000) -> int:
        count = 0
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                count += self._flush(table, columns, batch)
                batch = []
        if batch:
            count += self._flush(table, columns, batch)
        return count

    def _flush(self, table, columns, batch) -> int:
        with self.connection.cursor() as cursor:
            if self.postgres:
                buffer = io.StringIO()
                for row in batch:
                    buffer.write("\t".join(_copy_text(v) for v in row))
                    buffer.write("\n")
                buffer.seek(0)
                cursor.cursor.copy_expert(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer, size=1 << 20
                )
            else:
                marks = ", ".join("%s" for _ in columns)
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch
                )
        return len(batch)


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def build(partnerships: int, indicators: int, years: int, *, audit: bool) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from csp_portal.core.models import (
        Membership,
        Organisation,
        Partnership,
        ThemeGroup,
        theme_group_key,
    )
    from indicators.models import Actual, FigureChange, Indicator, Target

    rng = random.Random(2016)
    counts: dict[str, int] = {}
    password = make_password(PASSWORD)
    with transaction.atomic():
        council = Organisation.objects.create(
            name="Bench Council", kind=Organisation.Kind.LOCAL_AUTHORITY, statutory=True
        )
        admin = User.objects.create(
            username="bench-admin",
            password=password,
            is_staff=True,
            is_superuser=True,
            email="bench-admin@example.org",
        )
        Partnership.objects.bulk_create(
            Partnership(
                name=f"Community Safety Partnership {p:03d}",
                slug=f"csp-{p:03d}",
                area=f"Area {p:03d}",
                police_force=f"Force {p % 43:02d}",
                population=rng.randint(80_000, 600_000),
            )
            for p in range(partnerships)
        )
        by_slug = {p.slug: p for p in Partnership.objects.all()}
        ordered = [by_slug[f"csp-{p:03d}"] for p in range(partnerships)]
        ThemeGroup.objects.bulk_create(
            # bulk_create skips save, which keeps the key the database holds unique.
            ThemeGroup(partnership=p, name=name, name_key=theme_group_key(name))
            for p in ordered
            for name in THEMES
        )
        groups = {(g.partnership_id, g.name): g for g in ThemeGroup.objects.all()}
        User.objects.bulk_create(
            User(
                username=f"officer-{p:03d}",
                password=password,
                first_name="Officer",
                last_name=f"{p:03d}",
                email=f"officer-{p:03d}@example.org",
            )
            for p in range(partnerships)
        )
        users = {u.username: u for u in User.objects.filter(username__startswith="officer-")}
        Membership.objects.bulk_create(
            Membership(
                user=users[f"officer-{p:03d}"],
                partnership=partnership,
                organisation=council,
                role=Membership.Role.OFFICER,
                job_title="Community safety officer",
            )
            for p, partnership in enumerate(ordered)
        )
        kinds = [KINDS[i % len(KINDS)] for i in range(indicators)]
        Indicator.objects.bulk_create(
            (
                Indicator(
                    partnership=partnership,
                    theme_group=groups[(partnership.pk, THEMES[i % len(THEMES)])],
                    code=f"CSP {i:02d}",
                    title=f"Recorded offences of kind {i:02d} reported to the police in the area",
                    unit="offences",
                    polarity=kinds[i][0],
                    measure=kinds[i][1],
                    frequency=kinds[i][2],
                    owner=f"Lead officer {i % 7}",
                    data_source="Police recorded crime",
                )
                for partnership in ordered
                for i in range(indicators)
            ),
            batch_size=5000,
        )
        counts["partnerships"] = partnerships
        counts["users"] = partnerships + 1
        counts["indicators"] = partnerships * indicators
    all_indicators = list(
        Indicator.objects.values_list("pk", "measure", "frequency").order_by("pk")
    )
    periods = months(FIRST_YEAR, years)
    writer = Writer(connection)
    actual_columns = [
        "indicator_id",
        "period",
        "value",
        "numerator",
        "denominator",
        "note",
        "entered_by_id",
        "entered_at",
        "version",
    ]
    audit_columns = [
        "indicator_id",
        "subject",
        "period",
        "financial_year",
        "old",
        "new",
        "reason",
        "source",
        "changed_by_id",
        "changed_at",
    ]
    rows_for_audit: list[tuple] = []

    def actuals():
        for pk, measure, frequency in all_indicators:
            base = rng.randint(20, 2000)
            step = 3 if frequency == "quarterly" else 1
            for index, period in enumerate(periods[::step]):
                seasonal = 1 + 0.15 * ((index * step) % 12 in (3, 4, 5))
                level = base * seasonal * (1 + rng.uniform(-0.12, 0.12))
                numerator = denominator = None
                if measure == "percentage":
                    denominator = rng.randint(200, 400)
                    numerator = rng.randint(denominator // 2, denominator)
                    value = round(numerator * 100 / denominator, 4)
                elif measure == "rate":
                    value = round(level / 100, 4)
                else:
                    value = round(level)
                stamp = datetime.datetime.combine(
                    period + datetime.timedelta(days=40), datetime.time(9), tzinfo=datetime.UTC
                )
                if audit:
                    rows_for_audit.append((pk, period, value, numerator, denominator, stamp))
                yield (pk, period, value, numerator, denominator, "", None, stamp, 1)

    def changes():
        for pk, period, value, numerator, denominator, stamp in rows_for_audit:
            year = period.year if period.month >= 4 else period.year - 1
            new = f'{{"value": "{value}", "numerator": {_json(numerator)}, '
            new += f'"denominator": {_json(denominator)}, "note": ""}}'
            yield (pk, "actual", period, year, None, new, "", "import", admin.pk, stamp)

    def targets():
        for pk, measure, _frequency in all_indicators:
            for year in range(FIRST_YEAR, FIRST_YEAR + years):
                if measure == "count":
                    yield (pk, year, "change_pct", -5, year - 1, None)
                else:
                    yield (pk, year, "annual", rng.randint(20, 90), None, None)

    started = time.perf_counter()
    with transaction.atomic():
        counts["actuals"] = writer.write(Actual._meta.db_table, actual_columns, actuals())
    print(f"  actuals: {counts['actuals']:,} in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    with transaction.atomic():
        counts["targets"] = writer.write(
            Target._meta.db_table,
            ["indicator_id", "financial_year", "kind", "value", "baseline_year", "period"],
            targets(),
        )
    print(f"  targets: {counts['targets']:,} in {time.perf_counter() - started:.0f} s")
    if audit:
        started = time.perf_counter()
        with transaction.atomic():
            counts["figure changes"] = writer.write(
                FigureChange._meta.db_table, audit_columns, changes()
            )
        print(
            f"  figure changes: {counts['figure changes']:,} "
            f"in {time.perf_counter() - started:.0f} s"
        )
    return counts


def _json(value) -> str:
    return "null" if value is None else f'"{value}"'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="a DATABASE_URL")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="share of the 300 partnerships (0.1 = 30)"
    )
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--no-audit", action="store_true", help="skip the import audit rows")
    args = parser.parse_args()
    partnerships = max(1, round(300 * args.scale))
    started = time.perf_counter()
    _fresh(args.database)
    from _setup import django_with

    os.environ.setdefault("DJANGO_DEBUG", "1")
    django_with(args.database)
    print(f"Migrated {args.database} in {time.perf_counter() - started:.0f} s")
    counts = build(partnerships, args.indicators, args.years, audit=not args.no_audit)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()))
    print(f"National data set ready in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
