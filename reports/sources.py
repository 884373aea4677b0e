"""The seam to the action-plan and commissioning apps.

Each function returns None while its app offers nothing to read, and the report then
leaves the section out (or says "no actions linked"). Connecting an app means filling
one function here; the builder and templates already take the shapes described below.
"""

import datetime
import importlib

from csp_portal.core.models import Partnership, ThemeGroup


def _selectors(app: str):
    try:
        return importlib.import_module(f"{app}.selectors")
    except ImportError:
        return None


def linked_actions(
    partnership: Partnership, indicator_ids: list[int]
) -> dict[int, list[dict]] | None:
    """Open actions linked to each indicator: {indicator pk: [{"title", "status", "lead",
    "due", "update", "open"}]}, or None when there is no action plan to read."""
    module = _selectors("actions")
    reader = getattr(module, "actions_for_indicators", None)
    if reader is None:
        return None
    return reader(partnership, indicator_ids)


def action_plan(
    partnership: Partnership,
    theme_group: ThemeGroup | None,
    period: datetime.date,
    since: datetime.datetime | None,
) -> dict | None:
    """The action-plan section: {"rag_counts": [{"key","label","count","pct"}],
    "status_changes": [...], "overdue": [...], "objectives": [...]}, or None."""
    module = _selectors("actions")
    reader = getattr(module, "report_section", None)
    if reader is None:
        return None
    return reader(partnership, theme_group=theme_group, period=period, since=since)


def commissioning(partnership: Partnership, period: datetime.date) -> dict | None:
    """The commissioning section: {"streams": [...], "lines": [...], "totals": {...},
    "updates": [...]}, or None."""
    module = _selectors("commissioning")
    reader = getattr(module, "report_section", None)
    if reader is None:
        return None
    return reader(partnership, period=period)
