"""Report pages and publishing: server time and queries of the draft (preview) page, the
publish page and the published page, a bare Django view as the floor in the same run, and
the time of each publishing step, for 10, 30 and 100 indicators.

    .venv/bin/python bench/report_bench.py [--database sqlite|postgresql] [--pages-only]

Times are medians of wall-clock and CPU time of this process (CPU is the steadier figure
on a shared machine; on SQLite it includes the database's work). ``--pages-only``
publishes without the PDF and Word files (seconds instead of minutes) and prints the
pages only.

Goals (issue 9): draft page within 5x the floor at 30 indicators, published page within 2x,
query counts constant in the number of indicators. Both floors are printed: every page of a
partnership reads the session and the user before anything else, which the bare floor
does not. The "least" row is a page that does only what every page of a partnership must
(`least_page`): how near any such page can come to the floor. Publishing steps: snapshot
(figures, commentary, chart specs), html_csv, charts (images), pdf, docx, store.
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZES = (10, 30, 100)


def least_page(request, slug):
    """The least any page of a partnership does for a signed-in reader, beyond the
    signed-in floor: read the partnership (with the session) and check the reader's
    access."""
    from django.http import HttpResponse

    from csp_portal.core.permissions import Access, partnership_for

    partnership_for(request.user, slug, Access.PUBLISHED)
    return HttpResponse("ok")


def urlpatterns_with_floor():
    """The site's URLs plus bare views that answer through the same middleware: to anyone
    (the floor), to the signed-in user only (what any page of a partnership must do first:
    read the session and the user), and `least_page`."""
    import types

    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import include, path

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [
        path("bench-floor/", lambda request: HttpResponse("ok")),
        path("bench-floor-signed-in/", login_required(lambda request: HttpResponse("ok"))),
        path("bench-least/<slug:slug>/", login_required(least_page)),
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
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from figures_bench import build, timed_both

    from reports import services
    from reports.models import Report
    from reports.views import STORED_DOCUMENTS

    print(f"Database: {args.database}")
    admin = User.objects.create(username="bench-admin", is_staff=True, is_superuser=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    signed_in_client = client

    def queries_of(url: str, client=client) -> int:
        seen: list[str] = []

        def count(run, sql, *rest):
            seen.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(seen)

    def panel_member_of(partnership) -> Client:
        from csp_portal.core.models import Membership, Organisation

        user = User.objects.create(username=f"bench-panel-{partnership.slug}")
        Membership.objects.create(
            user=user,
            partnership=partnership,
            organisation=Organisation.objects.create(name=f"Panel of {partnership.slug}"),
            role=Membership.Role.PANEL_MEMBER,
        )
        member = Client(HTTP_HOST="127.0.0.1")
        member.force_login(user)
        return member

    def first_view(url: str, client) -> None:
        """A view with nothing cached: the first after a change of the data."""
        cache.clear()
        STORED_DOCUMENTS.clear()  # what each server process keeps of the documents
        client.get(url)

    def once(client, url: str) -> tuple[float, float]:
        return timed_both(lambda: client.get(url), repeat=1)

    def measure(url: str, client=client) -> dict:
        """The first view (nothing cached) and later views of a page, with both floors timed
        just before each later view: ratios are the medians of each run's own ratio."""
        cache.clear()
        STORED_DOCUMENTS.clear()
        first_queries = queries_of(url, client)
        first = timed_both(lambda: first_view(url, client), repeat=args.repeat)
        runs = []
        for _ in range(4 * args.repeat):
            floor = once(signed_in_client, "/bench-floor/")
            signed_in = once(signed_in_client, "/bench-floor-signed-in/")
            runs.append((floor, signed_in, once(client, url)))
        median = statistics.median
        return {
            "first": first,
            "first_queries": first_queries,
            "again_queries": queries_of(url, client),
            # For wall-clock (0) and CPU (1): floor, signed-in floor, page, and the ratios.
            **{
                which: {
                    "floor": median(r[0][which] for r in runs),
                    "signed_in": median(r[1][which] for r in runs),
                    "again": median(r[2][which] for r in runs),
                    "x_floor": median(r[2][which] / r[0][which] for r in runs),
                    "x_signed_in": median(r[2][which] / r[1][which] for r in runs),
                }
                for which in (0, 1)
            },
        }

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
            draft = measure(f"{base}/preview/")
            publish = services.report_publish(
                report=report, by=admin, documents=not args.pages_only
            )
            # Its publish page, which then lists what has changed since that version.
            publish_page = measure(f"{base}/publish/")
            published = measure(f"{base}/")
            # The same page to a panel member, its usual reader (their role read as well).
            member = measure(f"{base}/", panel_member_of(partnership))
            # The same page to anyone signed out, when the partnership makes reports public.
            partnership.reports_public = True
            partnership.save()
            public = measure(f"{base}/", Client(HTTP_HOST="127.0.0.1"))
            page = measure("/accessibility/")
            least = measure(f"/bench-least/{partnership.slug}/")
            rows.append(
                (size, least, page, draft, publish_page, published, member, public, publish.timings)
            )

    print(
        "floor: a bare view answering 'ok' through the site's middleware.\n"
        "signed-in floor: the same view for the signed-in user only (reads session and user).\n"
        "least: what any page of a partnership does for a signed-in reader beyond the\n"
        "signed-in floor: read the partnership (with the session), check access.\n"
        "layout: the accessibility statement, the site's layout with no work of its own.\n"
        "first: nothing cached (the first view after the data changed); again: every later\n"
        "view until the next change, with both floors timed beside each run (the ratios are\n"
        "the medians of each run's own). Queries: first/again. publish: the publish page (its\n"
        "warnings are kept with the draft's, so after the preview it is as quick as again).\n"
        "published: to an admin; member: to a panel member of the partnership (their role\n"
        "read too); public: to someone signed out (the partnership's reports made public;\n"
        "no session or user).\n"
    )
    for label, which in (("wall-clock", 0), ("CPU", 1)):
        print(f"{label} ms, median:")
        print(
            f"{'indicators':>10} {'':>9} {'first':>7} {'again':>6} {'floor':>6} "
            f"{'signed-in':>9} {'x floor':>7} {'x signed-in':>11} {'queries':>8}"
        )
        for size, *pages in (r[:8] for r in rows):
            names = ("least", "layout", "draft", "publish", "published", "member", "public")
            for name, got in zip(names, pages, strict=True):
                t = got[which]
                print(
                    f"{size if name == 'least' else '':>10} {name:>9} "
                    f"{got['first'][which] * 1000:>7.1f} {t['again'] * 1000:>6.2f} "
                    f"{t['floor'] * 1000:>6.2f} {t['signed_in'] * 1000:>9.2f} "
                    f"{t['x_floor']:>6.1f}x {t['x_signed_in']:>10.1f}x "
                    f"{got['first_queries']:>4}/{got['again_queries']}"
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
