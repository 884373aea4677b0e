"""Demo progress on Safer Plymouth's service level agreements (seed 000), from fixtures/demo.

The demo's funding streams and lines (seeds 002 and 000) come in through the import
(fixtures/demo/data/funding.csv and commissioning.csv) before this runs.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from csp_portal.core.models import Partnership
from indicators import periods
from indicators.models import Indicator

from . import services
from .models import CommissioningLine, ProgressUpdate

PROGRESS_FILE = "commissioning_progress.json"


@transaction.atomic
def progress_load(demo_dir: Path) -> list[str]:
    """Progress updates and linked indicators; re-running changes nothing."""
    path = demo_dir / PROGRESS_FILE
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    written = 0
    for item in data["lines"]:
        partnership = Partnership.objects.get(slug=item["partnership"])
        line = CommissioningLine.objects.get(
            partnership=partnership,
            financial_year=periods.parse_fy_label(
                item["financial_year"], partnership.fy_start_month
            ),
            reference=item["reference"],
        )
        if item.get("indicators"):
            wanted = Indicator.objects.filter(partnership=partnership, code__in=item["indicators"])
            line.indicators.set(wanted)
        for entry in item["updates"]:
            day = datetime.date.fromisoformat(entry["date"])
            current = ProgressUpdate.objects.filter(line=line, date=day).first()
            outputs = [(label, Decimal(value)) for label, value in entry["outputs"]]
            before = services.update_snapshot(current)
            saved = services.update_save(
                line=line,
                date=day,
                text=entry["text"],
                reported_by=entry.get("reported_by", ""),
                outputs=outputs,
                update=current,
                expected_version=current.version if current else None,
                by=None,
                origin="demo",
            )
            if services.update_snapshot(saved, outputs) != before:
                written += 1
    return [f"Commissioning progress updates: {written} new or changed."]
