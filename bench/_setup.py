"""Point Django at a throwaway database for a benchmark and migrate it."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_with(database_url: str | None) -> str:
    """Configure Django for the given database (a fresh temporary SQLite file by default)."""
    sys.path.insert(0, str(ROOT))
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="csp-bench-")
        database_url = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return database_url


def postgres_fresh(name: str) -> str:
    """A new empty PostgreSQL database on the local server (dropped first if it exists)."""
    import psycopg2

    base = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
    connection = psycopg2.connect(base)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return base.rsplit("/", 1)[0] + f"/{name}"
