"""The demo reports (fixtures/demo/reports.json): three published (one an overview of
several partnerships, in the form of seed 004), one kept as a draft."""

import datetime
import json
from pathlib import Path

from django.conf import settings

from csp_portal.core.models import Meeting, Partnership
from indicators import periods
from indicators.models import Indicator

from . import chart_images, services
from .models import Report

REPORTS_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "reports.json"


def reports_load(path: Path = REPORTS_FILE) -> list[str]:
    """Create the demo reports once; publish those marked so. Safe to re-run."""
    if not path.exists():
        return []
    lines = []
    for row in json.loads(path.read_text(encoding="utf-8"))["reports"]:
        partnership = Partnership.objects.filter(slug=row["partnership"]).first()
        if partnership is None:
            continue
        group = None
        if row.get("theme_group"):
            group = partnership.theme_groups.get(name=row["theme_group"])
        period = periods.parse_month(row["period"])
        report = Report.objects.filter(
            partnership=partnership, title=row["title"], period=period
        ).first()
        if report is None:
            report = _create(partnership, group, period, row)
        if row.get("publish") and not report.versions.exists():
            # Without Chromium (a machine set up for the site alone) the demo still loads:
            # the PDF and Word files are made at the first download once it is installed.
            documents = chart_images.browser_path().exists()
            services.report_publish(report=report, by=None, documents=documents)
            lines.append(f"Published the demo report '{report.title}'.")
            if not documents:
                lines.append(
                    f"  Its PDF and Word files are not made: no Chromium at "
                    f"{chart_images.browser_path()} (install Debian's chromium)."
                )
        elif not row.get("publish"):
            lines.append(f"Kept the demo report '{report.title}' as a draft.")
    return lines


def _create(partnership, group, period, row) -> Report:
    meeting = Meeting.objects.filter(
        partnership=partnership,
        title=row["meeting"],
        date=datetime.date.fromisoformat(row["meeting_date"]),
    ).first()
    codes = row.get("comments", {})
    comments = {
        str(pk): codes[code]
        for pk, code in Indicator.objects.filter(
            partnership=partnership, code__in=codes
        ).values_list("pk", "code")
    }
    report = Report(
        partnership=partnership,
        theme_group=group,
        period=period,
        meeting=meeting,
        meeting_kind="" if meeting else Meeting.Kind.SCRUTINY_PANEL,
        meeting_date=None if meeting else datetime.date.fromisoformat(row["meeting_date"]),
        title=row["title"],
        report_of=row.get("report_of", ""),
        contact_officer=row.get("contact_officer", ""),
        coordinator=row.get("coordinator", ""),
        priority=row.get("priority", ""),
        purpose=row.get("purpose", Report.Purpose.NOTING),
        executive_summary=row.get("executive_summary", ""),
        recommendations=row.get("recommendations", "To note the update"),
        background_papers=row.get("background_papers", ""),
        successes=row.get("successes", {}),
        focus=row.get("focus", {}),
        kind=row.get("kind", Report.Kind.PARTNERSHIP),
        introduction=row.get("introduction", ""),
        implications=row.get("implications", {}),
        risks=row.get("risks", ""),
        issues_for_others=row.get("issues_for_others", ""),
        other_terms=row.get("other_terms", ""),
        editor_comments=comments,
    )
    covers = None
    if row.get("covers"):
        covers = list(Partnership.objects.filter(slug__in=row["covers"]))
        news = row.get("news", {})
        report.news = {str(p.pk): news.get(p.slug, "") for p in covers}
    return services.report_save(report=report, by=None, covers=covers)
