"""The seam to the action-plan and commissioning apps: their reads, as plain report data.

Each function returns None while its app offers nothing to read (not installed yet, or
no plan for the partnership), and the report then leaves the section out. The shapes
returned are what ``templates/reports/_document.html`` reads. Numbers are the apps' own
(``actions.rules``, ``commissioning.budget``) or the figures module's, never worked out here.
"""

from __future__ import annotations

import datetime
import functools
import importlib
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from csp_portal.core.models import Partnership, ThemeGroup
from csp_portal.core.text import day_label
from indicators import periods
from indicators.context import is_recent_quarter, last_complete_quarter
from indicators.figures import shares, shares_add_to_hundred
from indicators.models import Indicator

from .builder import plain
from .templatetags.report_tags import money_places, pounds


def _selectors(app: str):
    try:
        return importlib.import_module(f"{app}.selectors")
    except ImportError:
        return None


def _reader(app: str, name: str):
    return getattr(_selectors(app), name, None)


def _action(action, *, overdue_at: datetime.date | None = None, year_of=None) -> dict:
    rules = importlib.import_module("actions.rules")
    found = {
        "reference": action.reference,
        "title": f"{action.reference} {action.description}".strip(),
        # "Complete (last rated Red)" once closed: a complete action is never "Red".
        "status": rules.status_word(action.status, action.closed),
        "lead": getattr(action, "lead", ""),
        "due": plain(action.due),
        "open": not action.closed,
    }
    if overdue_at is not None:
        # As the action plan section judges them (its overdue actions' appendix), and the
        # plan of an earlier year it is carried over from ("Plan, 2015/16"), or "".
        found["overdue"] = rules.is_overdue(
            action.due, action.status, overdue_at, closed=action.closed
        )
        year = year_of(action.plan.financial_year)
        found["carried_from"] = f"{action.plan.title}, {year}" if year else ""
    return found


def actions_connected() -> bool:
    """Whether reports can read action plans at all (the app is installed)."""
    return _reader("actions", "plan_summary") is not None


def corrective_action_links(
    entries: list[dict],
    period: datetime.date,
    can_edit: Callable[[Partnership], bool],
    *,
    report_pk: int,
) -> list[dict]:
    """Red indicators without an open action (the publish page's), each with the address
    of its page and, where the editor may edit its partnership and there is an action plan
    app, where to give it its action: the "Add an action" form of the plan for the report's
    year (the indicator's theme group's first), the indicator chosen; with no objective in
    that plan (an action needs one), its "Add an objective" form; with no plan for that
    year, the page to start one. Those forms lead on to the action's with the indicator
    chosen and a link back to the publish page of report ``report_pk``. Actions of a later
    year's plan do not count for the report (``linked_actions``), so that year's plan is
    the one offered."""
    plans_of_year = _reader("actions", "plans_of_year")
    found = Indicator.objects.select_related("partnership").in_bulk(
        [e["id"] for e in entries if e.get("id")]
    )
    plans: dict[int, list] = {}
    links = []
    for entry in entries:
        indicator = found.get(entry.get("id"))
        link = {**entry, "url": indicator.get_absolute_url() if indicator else ""}
        links.append(link)
        if indicator is None or plans_of_year is None or not can_edit(indicator.partnership):
            continue
        partnership = indicator.partnership
        year = periods.financial_year_of(period, partnership.fy_start_month)
        if partnership.pk not in plans:
            plans[partnership.pk] = plans_of_year(partnership, year)
        own = [p for p in plans[partnership.pk] if p.theme_group_id == indicator.theme_group_id]
        plan = next(iter(own or plans[partnership.pk]), None)
        query = f"?indicator={indicator.pk}&from=publish&report={report_pk}"
        if plan is None:
            link["act_url"] = reverse("actions:plan_create", args=[partnership.slug]) + query
            year_label = periods.fy_label(year, partnership.fy_start_month)
            link["act_label"] = f"Start an action plan for {year_label}, then its action"
        elif not plan.has_objectives:
            create = reverse("actions:objective_create", args=[partnership.slug, plan.pk])
            link["act_url"] = create + query
            link["act_label"] = f"Add an objective to {plan.title}, then its action"
        else:
            create = reverse("actions:action_create", args=[partnership.slug, plan.pk])
            link["act_url"] = create + query
            link["act_label"] = f"Add an action to {plan.title}"
    return links


def linked_actions(
    partnership: Partnership,
    indicator_ids: list[int],
    financial_year: int,
    overdue_at: datetime.date | None = None,
) -> dict[int, list[dict]] | None:
    """Open actions linked to each indicator, of plans of the report's year or earlier (as
    the action plan section counts them), or None when there is no action plan app. With
    ``overdue_at`` (an overview's), each says whether it was overdue then and the earlier
    year's plan it is carried over from, as the action plan section tells them."""
    reader = _reader("actions", "actions_for_indicators")
    if reader is None:
        return None
    found = reader(partnership, indicator_ids, financial_year=financial_year)

    def year_of(year: int) -> str:
        return periods.fy_label(year, partnership.fy_start_month) if year < financial_year else ""

    return {
        pk: [_action(a, overdue_at=overdue_at, year_of=year_of) for a in actions]
        for pk, actions in found.items()
    }


def action_plan(
    partnership: Partnership,
    theme_group: ThemeGroup | None,
    as_at: datetime.datetime,
    since: datetime.datetime | None,
    financial_year: int,
    overdue_at: datetime.date | None = None,
) -> dict | None:
    """RAG counts of the open actions, how many are complete, in progress and not started,
    status changes (closures among them, "Red to Complete", and reopenings, "Complete to
    Red") since the last report and overdue actions,
    of the report's year's plans and of actions carried over from earlier years' plans
    (still open, or changed or closed since the last report); None if there are none. A
    later year's plan is not the report's. Statuses are as at ``as_at``; overdue is judged
    at ``overdue_at`` (a report's ``as_at_month_end``, as for risks), by default ``as_at``."""
    reader = _reader("actions", "plan_summary")
    if reader is None:
        return None
    summary = reader(
        partnership,
        theme_group=theme_group,
        as_at=as_at,
        since=since,
        overdue_at=overdue_at,
    )
    plans = _reader("actions", "plans_of_year")(
        partnership, financial_year, theme_group=theme_group
    )
    # Closings since are among the changes (StatusChange.closed).
    changed = {change.action.pk for change in summary.changes}
    closed_since = {change.action.pk for change in summary.changes if change.closed}

    def covered(row) -> bool:
        year = row.action.plan.financial_year
        if year == financial_year:
            return True
        action = row.action
        return year < financial_year and (not action.closed or action.pk in changed)

    rows = [row for row in summary.actions if covered(row)]
    if not rows and not plans:
        return None
    rules = importlib.import_module("actions.rules")
    words = {entry.status: entry.word for entry in summary.legend}
    shown = {row.action.pk for row in rows}
    open_rows = [(row.status, row.action.closed) for row in rows if not row.action.closed]
    carried = [row for row in rows if row.action.plan.financial_year != financial_year]
    carried_plans = sorted(
        {row.action.plan for row in carried}, key=lambda p: (p.financial_year, p.title)
    )
    rag_counts = _count_rows(rules.rag_counts(open_rows)) if open_rows else []
    # A RAG rating is of an action under way: one not started is counted by its progress.
    started = [(status, closed) for status, closed in open_rows if status != rules.NOT_STARTED]
    rated_counts = [
        row for row in _count_rows(rules.rag_counts(started)) if row["key"] != rules.NOT_STARTED
    ]
    return {
        # No earlier report to compare with: it says so rather than "no change since".
        "first": since is None,
        "total": len(rows),
        "year": periods.fy_label(financial_year, partnership.fy_start_month),
        "plans": [plan.title for plan in plans],
        "carried": len(carried),
        "carried_plans": [
            f"{p.title}, {periods.fy_label(p.financial_year, partnership.fy_start_month)}"
            for p in carried_plans
        ],
        # The RAG rating is the risk to delivery: of the open actions only. A closed one
        # is counted as complete in "progress_counts", so the two add up to "total".
        "rag_counts": rag_counts,
        "open_total": len(open_rows),
        "complete_total": len(rows) - len(open_rows),
        # Whether the RAG table's shares, printed whole, miss 100: it then says why.
        "rag_rounding_note": not shares_add_to_hundred(row["pct"] for row in rag_counts),
        # Since "rated_counts" the report's RAG table is of the actions in progress (started
        # and open), the not started counted with the complete by progress alone; the CSV
        # keeps "rag_counts".
        "rated_counts": rated_counts if started else [],
        "rated_total": len(started),
        "not_started_total": len(open_rows) - len(started),
        "rated_rounding_note": not shares_add_to_hundred(row["pct"] for row in rated_counts),
        # Complete, in progress, not started: before the RAG rating (REPORT_CHECKLIST 21).
        "progress_counts": _count_rows(
            c
            for c in rules.progress_counts((row.status, row.action.closed) for row in rows)
            if c.count
        ),
        "status_changes": [
            _status_change(c, words, rules) for c in summary.changes if c.action.pk in shown
        ],
        # Each also among the status changes ("Red to Complete"), which say so since
        # "closings_in_changes"; versions published before list them apart.
        "closings_in_changes": True,
        "closed_since": [
            {
                "title": f"{row.action.reference} {row.action.description}".strip(),
                "date": plain(timezone.localdate(row.action.closed_at)),
            }
            for row in rows
            if row.action.pk in closed_since
        ],
        # Complete at the last report and open now: among the status changes too
        # ("Complete to Red"), listed here to be counted as closings are (report.csv).
        "reopened_since": [
            {
                "title": f"{c.action.reference} {c.action.description}".strip(),
                "date": plain(c.reopened_on),
            }
            for c in summary.changes
            if c.reopened_on is not None and c.action.pk in shown
        ],
        "overdue": [
            {
                **_action(row.action),
                "status": rules.status_word(row.status, row.action.closed),
                "status_key": row.status,
                "progress": rules.PROGRESS_WORDS[rules.progress_of(row.status, row.action.closed)],
            }
            for row in rows
            if row.overdue
        ],
    }


def _status_change(change, words: dict, rules) -> dict:
    """A status change since the last report as the report prints it: "Red to Green", or
    for an action closed since, "Red to Complete" (its last rating kept where it changed:
    "Red to Complete (last rated Green)") with the day it was closed; for one reopened
    since, "Complete to Red" ("Complete (last rated Red) to Amber") with the day it was
    reopened."""

    def word(status: str) -> str:
        return words.get(status, status.replace("_", " "))

    def complete(status: str) -> str:
        if change.after == change.before:
            return rules.PROGRESS_WORDS[rules.COMPLETE]
        return rules.status_word(status, True)

    reopened = change.reopened_on is not None
    return {
        "title": f"{change.action.reference} {change.action.description}",
        "old": complete(change.before) if reopened else word(change.before),
        "new": complete(change.after) if change.closed else word(change.after),
        "update": change.update.text if change.update is not None else "",
        "closed_on": plain(timezone.localdate(change.action.closed_at)) if change.closed else None,
        "reopened_on": plain(change.reopened_on) if reopened else None,
    }


def _count_rows(counts) -> list[dict]:
    """Action counts (``actions.rules.RagCount``) as the snapshot keeps them: ``pct`` rounded
    to a whole per cent as the action plan prints it, ``share`` unrounded for the CSV."""
    counts = list(counts)
    unrounded = shares({c.status: c.count for c in counts})
    return [
        {
            "key": c.status,
            "label": c.word,
            "count": c.count,
            "pct": plain(c.percent),
            "share": plain(unrounded[c.status]),
        }
        for c in counts
    ]


def as_at_month_end(period: datetime.date) -> datetime.date:
    """The day a report judges what is due at: its month's last day (a contract ending
    mid-month ends in the report's month; a review due on the 20th is overdue by the
    month's end), or today for a report of this month (what falls later is not yet due)."""
    month_end = periods.add_months(periods.month_start(period), 1) - datetime.timedelta(days=1)
    return min(month_end, timezone.localdate())


def risks(
    partnership: Partnership,
    theme_group: ThemeGroup | None,
    period: datetime.date,
    meeting_date: datetime.date | None = None,
) -> dict | None:
    """Open risks, issues for other theme groups and open scrutiny recommendations; and,
    under ``follow_up``, each risk's review date and each recommendation's due date with
    whether it was overdue at the report's month end (``as_at_month_end``), by the rule
    the action plan's pages use (``Risk.review_overdue_at``, ``Recommendation.overdue_at``).
    The recommendations are those made before the report's meeting (``meeting_date``;
    at it, they answer the report), or with none by its month's end: all the
    partnership's, as they are not filed by theme group."""
    open_risks = _reader("actions", "open_risks")
    if open_risks is None:
        return None
    issues = _reader("actions", "open_cross_theme_issues")
    recommendations = _reader("actions", "open_recommendations")
    found = open_risks(partnership, theme_group=theme_group)
    made_before = meeting_date or periods.add_months(periods.month_start(period), 1)
    recommended = recommendations(partnership, made_before=made_before) if recommendations else []
    as_at = as_at_month_end(period)
    risk_texts = [
        _sentence(r.description)
        + (f" Mitigation: {_sentence(r.mitigation)}" if r.mitigation else "")
        + (f" Next review: {day_label(r.review_date)}." if r.review_date else "")
        for r in found
    ]
    recommendation_texts = [
        f"{_sentence(r.recommendation)} Made on {day_label(r.meeting_date)}"
        + (f", due by {day_label(r.due)}" if r.due else "")
        + f". For {r.assigned_to}; {r.get_status_display().lower()}."
        + (f" Response: {_sentence(r.response)}" if r.response else "")
        for r in recommended
    ]
    return {
        "risks": risk_texts,
        # Each risk's theme group ("" for the whole partnership): the report's priorities.
        "risk_groups": [r.theme_group.name if r.theme_group_id else "" for r in found],
        # When each was raised or made, so the panel sees how long it has stood open.
        "issues": [
            f"{_sentence(i.title)} {_sentence(i.issue)}"
            + (f" Asked of other theme groups: {_sentence(i.ask)}" if i.ask else "")
            + (f" Raised on {day_label(i.raised_on)}." if i.raised_on else "")
            for i in (issues(partnership, theme_group=theme_group) if issues else [])
        ],
        "recommendations": recommendation_texts,
        # The dates to act by, marked in the report beside the text printed for each and
        # given in report.csv's "overdue" column.
        "follow_up": {
            "as_at": plain(as_at),
            "risks": [
                {
                    "title": f"{r.reference} {r.description}".strip(),
                    "text": text,
                    "date": plain(r.review_date),
                    "overdue": r.review_overdue_at(as_at),
                }
                for r, text in zip(found, risk_texts, strict=True)
            ],
            "recommendations": [
                {
                    "title": f"{r.reference} {r.recommendation}".strip(),
                    "text": text,
                    "date": plain(r.due),
                    "overdue": r.overdue_at(as_at),
                }
                for r, text in zip(recommended, recommendation_texts, strict=True)
            ],
        },
    }


def _sentence(text: str) -> str:
    """Text ending as a sentence, so items joined into one line still read as prose."""
    text = (text or "").strip()
    return text if not text or text[-1] in ".!?" else f"{text}."


def commissioning(
    partnership: Partnership, period: datetime.date, theme_group: ThemeGroup | None = None
) -> dict | None:
    """The year's lines and totals against the funding streams, with SLA progress.

    The report's financial year, or the next one when only that has lines (a board in
    January agrees next year's commissioning, as in seed 002).
    """
    reader = _reader("commissioning", "commissioning_summary")
    if reader is None:
        return None
    year = periods.financial_year_of(period, partnership.fy_start_month)
    # Warnings as at the report month's last day: a contract ending mid-month has not
    # ended "within three months" of the month's first day, it ends in the report's month.
    as_at = as_at_month_end(period)
    for candidate in (year, year + 1):
        summary = reader(partnership, candidate, theme_group, as_at=as_at, progress=True)
        if summary.lines or summary.streams:
            break
    else:
        return None
    budget = importlib.import_module("commissioning.budget")
    found = {
        "year_label": summary.year_label,
        "title": summary.plan.title,
        "lines": [
            {
                "reference": line.reference,
                "area": line.area_of_need,
                "provider": line.provider,
                "contribution": plain(line.contribution),
                "contribution_status": line.get_contribution_status_display(),
                "total": plain(line.total_budget),
                "status": line.get_status_display(),
                "end": plain(line.end),
                "outcomes": _lines(getattr(line, "outcomes", "")),
            }
            for line in summary.lines
        ],
        "streams": [
            {
                "name": row.stream.source,
                "amount": plain(row.totals.amount),
                "allocated": plain(row.totals.confirmed),
                "unallocated": plain(row.totals.unallocated),
                "allocated_by": _sentence(getattr(row.stream, "allocated_by", "")),
                "criteria": _sentence(getattr(row.stream, "criteria", "")),
                "monitoring": _sentence(getattr(row.stream, "monitoring", "")),
            }
            for row in summary.streams
        ],
        "total": _plan_total(summary.streams),
        # A theme group's report lists its own lines against the partnership's streams.
        "streams_of_partnership": theme_group is not None,
        "line_statuses": _line_statuses(summary.lines),
        "to_be_confirmed": budget.unconfirmed_count(summary.lines),
        "no_outcomes": [
            line.reference for line in summary.lines if not getattr(line, "outcomes", "").strip()
        ],
        "updates": [
            {
                "title": f"{p.line.reference} {p.line.area_of_need}",
                "date": plain(p.update.date),
                "text": p.update.text,
            }
            for p in summary.progress
            if p.update is not None
        ],
    }
    found["warnings"] = _commissioning_warnings(summary, budget, money_places(found))
    return found


def _commissioning_warnings(summary, budget, places: int) -> list[str]:
    """The plan's warnings, an over-allocated stream's money written as the section writes
    all of its money (to the same decimals, a true minus), not as the plan page does."""
    totals = {row.totals.key: row.totals for row in summary.streams}

    def written(warning) -> str:
        if warning.kind != "over_allocated" or warning.stream not in totals:
            return warning.message
        money = functools.partial(pounds, places=places)
        return budget.stream_warnings([totals[warning.stream]], money=money)[0].message

    return [written(w) for w in summary.warnings]


def _line_statuses(lines) -> str:
    """How many of the lines listed are at each status, as a sentence ("Of the 8 lines,
    5 are proposed and 3 commissioned."), so that money allocated to a line still proposed
    is never read as spent."""
    if not lines:
        return ""
    order = [label.lower() for label in type(lines[0]).Status.labels]
    counts = {label: 0 for label in order}
    for line in lines:
        counts[line.get_status_display().lower()] += 1
    found = [(count, label) for label, count in counts.items() if count]
    if len(lines) == 1:
        return f"The line is {found[0][1]}."
    if len(found) == 1:
        every = "Both" if len(lines) == 2 else f"All {len(lines):,}"
        return f"{every} lines are {found[0][1]}."
    (first, label), rest = found[0], found[1:]
    parts = [f"{first:,} {'is' if first == 1 else 'are'} {label}"]
    parts += [f"{count:,} {label}" for count, label in rest]
    return f"Of the {len(lines):,} lines, {', '.join(parts[:-1])} and {parts[-1]}."


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _plan_total(rows) -> dict | None:
    """The year's funding over every stream (REPORT_CHECKLIST 22), from the budget module."""
    budget = importlib.import_module("commissioning.budget")
    if not rows:
        return None
    total = budget.plan_total(row.totals for row in rows)
    return {
        "streams": total.streams,
        "amount": plain(total.amount),
        "confirmed": plain(total.confirmed),
        "unallocated": plain(total.unallocated),
        "over_allocated": [
            {"name": source, "by": plain(by)} for source, by in total.over_allocated
        ],
        "over_allocated_total": plain(total.over_allocated_total),
    }


def family(
    partnership: Partnership, indicator_ids: list[int], period: datetime.date | None = None
) -> list[dict]:
    """Each of the report's indicators with a rank in the partnership's most similar group
    (Home Office recorded crime per 1,000): empty when it has no family group. 3 queries.
    With ``period``, the latest quarter ranked is the last one complete by then."""
    reader = _reader("opendata", "family_rankings")
    if reader is None:
        return []
    wanted = set(indicator_ids)
    up_to = None if period is None else last_complete_quarter(period)
    return [
        {
            "code": indicator.code,
            "title": indicator.title,
            "quarter": ranking.label,
            "per": ranking.per,
            "rank": ranking.rank,
            "n": ranking.n,
            "change": ranking.change,
            "sentence": ranking.sentence,
            "ytd_rank": ranking.ytd_rank,
            "ytd_n": ranking.ytd_n,
            "ytd_change": ranking.ytd_change,
            "ytd_sentence": ranking.ytd_sentence,
            "peers": [p.name for p in ranking.peers],
            "rate": plain(ranking.own_rate),
            "illustrative": ranking.illustrative,
        }
        for indicator, ranking in reader(partnership, up_to=up_to)
        if indicator.pk in wanted
        and (up_to is None or is_recent_quarter((ranking.year, ranking.quarter), up_to))
    ]


def crime_context(partnership: Partnership, period: datetime.date, results: list):
    """What the crime-in-context sections read (``reports.context.ContextInputs``): the
    partnership's denominators and its open police data, in 9 queries at most."""
    from .context import ContextInputs

    reader = _reader("opendata", "report_context")
    denominators = {
        "population": partnership.population,
        "households": partnership.households,
        "businesses": partnership.businesses,
    }
    data = None
    if reader is not None and results:
        crime_types = {t for r in results for t in r.indicator.crime_types}
        data = reader(partnership, period, crime_types, [r.indicator.pk for r in results])
    return ContextInputs(period=period, denominators=denominators, data=data)
