"""Demo action plans, risks, recommendations and cross-theme issues (fixtures/demo/data).

actions.csv, risks.csv and recommendations.csv come in through the import registry
with the indicator tables. cross_theme_issues.csv is demo-only (the import contract
has no such file), so it is read here.
"""

import csv
import datetime
from pathlib import Path

from django.db import transaction

from csp_portal.core.models import Partnership

from . import services
from .models import CrossThemeIssue


@transaction.atomic
def issues_load(path: Path) -> str:
    """Create or update the demo's cross-theme issues, matched by partnership and title."""
    if not path.exists():
        return ""
    created = updated = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            partnership = Partnership.objects.get(slug=row["partnership"])
            groups = {g.name: g for g in partnership.theme_groups.all()}
            current = CrossThemeIssue.objects.filter(
                partnership=partnership, title=row["title"]
            ).first()
            affects = [groups[name] for name in row["affects"].split(";") if name]
            _, changed = services.issue_save(
                partnership=partnership,
                values={
                    "title": row["title"],
                    "raised_by": groups.get(row["raised_by"]),
                    "issue": row["issue"],
                    "ask": row["ask"],
                    "status": row["status"],
                    "raised_on": datetime.date.fromisoformat(row["raised_on"])
                    if row["raised_on"]
                    else None,
                    "affects": affects,
                },
                by=None,
                issue=current,
                source="demo",
            )
            created += current is None
            updated += current is not None and changed
    return f"Cross-theme issues: {created} new, {updated} changed."


def load(data_dir: Path) -> list[str]:
    """The demo's cross-theme issues (the other tables came in through the importer)."""
    return [issues_load(data_dir / "cross_theme_issues.csv")]
