"""Server time of the action plan page at 200 actions, beside the indicator list's.

    .venv/bin/python bench/actions_bench.py [--database sqlite|postgresql] [--repeat 20]

One partnership: 30 indicators with 24 months of figures each, and a plan of 200
actions, each linked to two indicators (so the page works out 30 indicators' figures).
Times a signed-in officer's GET through Django's test client (no network): wall-clock
median and 95th percentile of --repeat runs after one warm-up, the median CPU time of
this process (the Python side, steady when other work shares the machine; on SQLite it
includes the database), and the queries.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import django_with, postgres_fresh


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--actions", type=int, default=200)
    args = parser.parse_args()
    url = postgres_fresh("csp_actions_bench") if args.database == "postgresql" else None
    django_with(url)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.factories import MembershipFactory, PartnershipFactory, UserFactory
    from tests.factories.action_plans import plan_with_actions

    # Not setup_test_environment(): its template instrumentation would slow every page.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    partnership = PartnershipFactory(name="Bench CSP", slug="bench-csp")
    officer = MembershipFactory(
        user=UserFactory(username="bench-officer"), partnership=partnership, role="officer"
    ).user
    plan = plan_with_actions(partnership, args.actions, indicators=30)
    client = Client()
    client.force_login(officer)
    pages = {
        f"action plan ({args.actions} actions)": reverse(
            "actions:plan", args=[partnership.slug, plan.pk]
        ),
        "every plan, filtered to red": reverse("actions:plans", args=[partnership.slug])
        + "?status=red",
        "indicator list (30 indicators)": reverse("indicators:list", args=[partnership.slug]),
    }
    print(f"Database: {connection.vendor}; {args.repeat} runs each after a warm-up")
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'queries':>8} {'KB':>6}")
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times, cpu = [], []
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(
            f"{name:<34} {statistics.median(times):>10.1f} {p95:>8.1f} "
            f"{statistics.median(cpu):>7.1f} "
            f"{len(queries):>8} {len(response.content) // 1024:>6}"
        )


if __name__ == "__main__":
    main()
