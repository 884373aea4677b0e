"""Report pages and publishing: server time and queries of the draft (preview) page and the
published page, a bare Django view as the floor in the same run, and the time of each
publishing step, for 10, 30 and 100 indicators.

    .venv/bin/python bench/report_bench.py [--database sqlite|postgresql] [--pages-only]

Times are medians of wall-clock and CPU time of this process (CPU is the steadier figure
on a shared machine; on SQLite it includes the database's work). ``--pages-only``
publishes without the PDF and Word files (seconds instead of minutes) and prints the
pages only.

Goals (issue 9): draft page within 5x the floor at 30 indicators, published page within 2x,
query counts constant in the number of indicators. Publishing steps: snapshot (figures,
commentary, chart specs), html_csv, charts (images), pdf, docx, store.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZES = (10, 30, 100)


def urlpatterns_with_floor():
    """The site's URLs plus a bare view that answers "ok" through the same middleware."""
    import types

    from django.http import HttpResponse
    from django.urls import include, path

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [
        path("bench-floor/", lambda request: HttpResponse("ok")),
        path("", include("csp_portal.urls")),
    ]
    sys.modules["bench_urls"] = module
    return "bench_urls"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pages-only", action="store_true", help="no PDF, Word or steps")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each page (median)")
    args = parser.parse_args()
    from _setup import django_with, postgres_fresh

    django_with(postgres_fresh("csp_bench_reports") if args.database == "postgresql" else None)
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from figures_bench import build, timed_both

    from reports import services
    from reports.models import Report

    print(f"Database: {args.database}")
    admin = User.objects.create(username="bench-admin", is_staff=True, is_superuser=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)

    def queries_of(url: str) -> int:
        seen: list[str] = []

        def count(run, sql, *rest):
            seen.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(seen)

    rows = []
    with override_settings(ROOT_URLCONF=urlpatterns_with_floor(), DEBUG=False):
        settings.ALLOWED_HOSTS = ["127.0.0.1"]
        for size in SIZES:
            partnership = build(f"bench-report-{size}", size)
            report = Report.objects.create(
                partnership=partnership,
                period=build.__globals__["PERIOD"],
                title=f"Bench report {size}",
                meeting_kind="scrutiny_panel",
                meeting_date=build.__globals__["PERIOD"],
            )
            base = f"/p/{partnership.slug}/reports/{report.pk}"
            draft = f"{base}/preview/"
            published = f"{base}/"
            draft_queries = queries_of(draft)
            n = args.repeat
            draft_time = timed_both(lambda u=draft: client.get(u), repeat=n)
            publish = services.report_publish(
                report=report, by=admin, documents=not args.pages_only
            )
            published_queries = queries_of(published)
            published_time = timed_both(lambda u=published: client.get(u), repeat=n)
            floor = timed_both(lambda: client.get("/bench-floor/"), repeat=4 * n)
            page = timed_both(lambda: client.get("/accessibility/"), repeat=4 * n)
            rows.append(
                (
                    size,
                    floor,
                    page,
                    draft_time,
                    draft_queries,
                    published_time,
                    published_queries,
                    publish.timings,
                )
            )

    print(
        "floor: a bare view answering 'ok' through the site's middleware (session, user).\n"
        "page: the accessibility statement, the site's layout with no work of its own.\n"
    )
    for label, which in (("wall-clock", 0), ("CPU", 1)):
        print(f"{label} ms, median:")
        print(
            f"{'indicators':>10} {'floor':>8} {'page':>8} {'draft page':>11} {'x floor':>8} "
            f"{'x page':>7} {'queries':>8} {'published':>10} {'x floor':>8} {'x page':>7} "
            f"{'queries':>8}"
        )
        for size, floor, page, draft_t, draft_q, pub_t, pub_q, _ in rows:
            floor, page, draft_t, pub_t = (t[which] for t in (floor, page, draft_t, pub_t))
            print(
                f"{size:>10} {floor * 1000:>5.1f} ms {page * 1000:>5.1f} ms "
                f"{draft_t * 1000:>8.1f} ms {draft_t / floor:>7.0f}x {draft_t / page:>6.1f}x "
                f"{draft_q:>8} {pub_t * 1000:>7.1f} ms {pub_t / floor:>7.0f}x "
                f"{pub_t / page:>6.1f}x {pub_q:>8}"
            )
        print()
    if args.pages_only:
        return
    steps = ("snapshot", "html_csv", "charts", "pdf", "docx", "store")
    print(f"{'indicators':>10} " + " ".join(f"{s:>9}" for s in steps) + f" {'total':>9}")
    for size, *_, timings in rows:
        cells = [f"{timings[s] * 1000:>6.0f} ms" if s in timings else f"{'-':>9}" for s in steps]
        total = sum(timings.values())
        print(f"{size:>10} " + " ".join(cells) + f" {total * 1000:>6.0f} ms")
    print("('-': the PDF and Word renderers are not installed on this branch yet.)")


if __name__ == "__main__":
    main()
