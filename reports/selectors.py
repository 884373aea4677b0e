"""Reads for reports, each in a fixed number of queries whatever the number of indicators."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, Max, Q, QuerySet
from django.utils import timezone

from csp_portal.core.models import Partnership
from indicators import periods
from indicators.commentary import target_words
from indicators.models import FigureChange, Indicator
from indicators.selectors import partnership_figures

from . import sources
from .builder import PartnershipBlock, ReportInputs
from .models import Report, ReportVersion

# The heavy columns a list or a check never needs.
HEAVY = ("snapshot", "html", "csv", "pdf", "docx")
LIST_DEFERRED = (
    "shown",
    "timings",
    *(
        f"report__{name}"
        for name in ("implications", "successes", "focus", "editor_comments", "news")
    ),
)


def covered_periods(period: datetime.date, fy_start_month: int) -> list[datetime.date]:
    """The months a report to ``period`` covers: the year to date and the same months last
    year, the comparison it prints beside them."""
    months = periods.months_to_date(period, fy_start_month)
    return [periods.same_month_last_year(m) for m in months] + months


def _covers(report_group_id: int | None, indicator_group_id: int | None) -> bool:
    """Whether a report of this theme group (None: the whole partnership) covers an
    indicator of that one."""
    return report_group_id is None or report_group_id == indicator_group_id


def locked_figures(
    entries: Iterable[tuple[Indicator, datetime.date]],
) -> list[tuple[Indicator, datetime.date, str]]:
    """Which (indicator, period) pairs a published report covers, with that report's title.

    One query. A report covers its partnership's indicators, or its theme group's only.
    A quarterly figure is stored at its quarter's first month, which a report to any
    later month covers.
    """
    entries = list(entries)
    if not entries:
        return []
    partnership_ids = {indicator.partnership_id for indicator, _ in entries}
    published = list(
        Report.objects.filter(partnership_id__in=partnership_ids, versions__isnull=False)
        .values_list("partnership_id", "theme_group_id", "period", "title")
        .distinct()
    )
    if not published:
        return []
    locked = []
    for indicator, period in entries:
        start = indicator.partnership.fy_start_month
        for partnership_id, theme_group_id, report_period, title in published:
            if partnership_id != indicator.partnership_id:
                continue
            if not _covers(theme_group_id, indicator.theme_group_id):
                continue
            if period in covered_periods(report_period, start):
                locked.append((indicator, period, title))
                break
    return locked


def locked_target_years(indicator: Indicator) -> dict[int, str]:
    """The financial years whose target a published report covering the indicator rated it
    against, each with that report's title (the latest published): a change to such a
    target needs a reason, and the next report lists it as a revision. One query."""
    start = indicator.partnership.fy_start_month
    found: dict[int, str] = {}
    published = (
        Report.objects.filter(partnership_id=indicator.partnership_id, versions__isnull=False)
        .values_list("theme_group_id", "period", "title")
        .distinct()
        .order_by("period", "title")
    )
    for theme_group_id, period, title in published:
        if _covers(theme_group_id, indicator.theme_group_id):
            found[periods.financial_year_of(period, start)] = title
    return found


def locked_months(
    partnerships: Iterable[Partnership],
) -> dict[int, list[tuple[int | None, frozenset[datetime.date], str]]]:
    """Partnership id -> (theme group id or None, months covered, title) of each report
    published for it: one query, whatever the number of figures checked against it."""
    partnerships = {p.pk: p for p in partnerships}
    if not partnerships:
        return {}
    published = (
        Report.objects.filter(partnership_id__in=list(partnerships), versions__isnull=False)
        .values_list("partnership_id", "theme_group_id", "period", "title")
        .distinct()
        .order_by("period", "title")
    )
    found: dict[int, list] = {}
    for partnership_id, theme_group_id, period, title in published:
        months = covered_periods(period, partnerships[partnership_id].fy_start_month)
        found.setdefault(partnership_id, []).append((theme_group_id, frozenset(months), title))
    return found


def report_list(partnership: Partnership, *, drafts: bool, exempt: bool = True) -> list[Report]:
    """The partnership's reports, newest first (the latest figures, then the latest
    published): published ones only unless ``drafts``; exempt ones (Schedule 12A) only
    with ``exempt`` (members, not the public)."""
    queryset = (
        Report.objects.filter(partnership=partnership)
        .select_related("theme_group", "meeting")
        .annotate(latest_number=Max("versions__number"), published_at=Max("versions__published_at"))
    )
    if not drafts:
        queryset = queryset.filter(versions__isnull=False)
    if not exempt:
        queryset = queryset.filter(exempt=False)
    return sorted(
        queryset,
        key=lambda r: (r.period, r.published_at or r.updated_at, r.pk),
        reverse=True,
    )


def report_for(partnership: Partnership, pk: int) -> Report:
    """One report of the partnership with its relations (404 from the caller if absent)."""
    return Report.objects.select_related("partnership", "theme_group", "meeting").get(
        partnership=partnership, pk=pk
    )


def versions_of(report: Report) -> list[ReportVersion]:
    """Every published version, newest first, without their stored files, each saying
    whether its PDF and Word files were made (``has_pdf``, ``has_docx``)."""
    return list(
        ReportVersion.objects.filter(report=report)
        .defer(*HEAVY)
        .select_related("published_by")
        .annotate(
            has_pdf=ExpressionWrapper(Q(pdf__isnull=False), output_field=BooleanField()),
            has_docx=ExpressionWrapper(Q(docx__isnull=False), output_field=BooleanField()),
        )
        .order_by("-number")
    )


def published_versions(partnership: Partnership, pk: int) -> list[ReportVersion]:
    """``versions_of`` for the partnership's report ``pk``, each with the report and its
    relations already loaded (as ``report_for`` loads them): one query; empty for a draft
    or another partnership's report."""
    return list(
        ReportVersion.objects.filter(report_id=pk, report__partnership=partnership)
        # The figures shown (decoded per row) and the editor's texts are not for this list.
        .defer(*HEAVY, *LIST_DEFERRED)
        .select_related("published_by", "report__partnership", "report__theme_group")
        .select_related("report__meeting")
        .annotate(
            has_pdf=ExpressionWrapper(Q(pdf__isnull=False), output_field=BooleanField()),
            has_docx=ExpressionWrapper(Q(docx__isnull=False), output_field=BooleanField()),
        )
        .order_by("-number")
    )


def version_page(version: ReportVersion) -> ReportVersion:
    """A version (from ``versions_of``) with its stored page and what the page around it
    needs of the figures it shows (``shown``: has_charts, contact_officer): one query, no
    model built, the page not copied, the figures not decoded."""
    html, has_charts, contact = ReportVersion.objects.filter(pk=version.pk).values_list(
        "html", "shown__has_charts", "shown__contact_officer"
    )[0]
    version.html = html
    version.shown = {"has_charts": has_charts, "contact_officer": contact}
    return version


def previous_version(report: Report) -> ReportVersion | None:
    """The latest published version of an earlier report for the same partnership and group,
    or this report's own latest version: what status changes and revisions count from."""
    return (
        ReportVersion.objects.filter(
            Q(report=report)
            | Q(
                report__partnership_id=report.partnership_id,
                report__theme_group_id=report.theme_group_id,
                report__kind=report.kind,
            )
        )
        .defer(*HEAVY)
        .order_by("-published_at")
        .first()
    )


def last_published(
    partnership_id: int, indicators: Iterable[tuple[int, int | None]]
) -> dict[int, datetime.datetime]:
    """For each (indicator id, theme group id), when a report that covers it (`_covers`,
    as for `locked_figures`) was last published; indicators never published are left out.
    One query."""
    published = list(
        ReportVersion.objects.filter(report__partnership_id=partnership_id)
        .values_list("report__theme_group_id")
        .annotate(latest=Max("published_at"))
        .values_list("report__theme_group_id", "latest")
    )
    found = {}
    for indicator_id, group_id in indicators:
        times = [at for group, at in published if _covers(group, group_id)]
        if times:
            found[indicator_id] = max(times)
    return found


def revisions_since(
    indicator_ids: list[int],
    months: list[datetime.date],
    since: Mapping[int, datetime.datetime],
    financial_year: int | None = None,
) -> list[dict]:
    """Changes made after each indicator's time in ``since`` (when a report covering it
    was last published) to the figures of ``months`` and to the targets of
    ``financial_year``: the next report flags them as revisions. One query."""
    indicator_ids = [pk for pk in indicator_ids if pk in since]
    if not indicator_ids:
        return []
    Subject = FigureChange.Subject
    changes = [
        change
        for change in FigureChange.objects.filter(
            Q(subject=Subject.ACTUAL, period__in=months)
            | Q(subject=Subject.TARGET, financial_year=financial_year),
            indicator_id__in=indicator_ids,
            changed_at__gt=min(since[pk] for pk in indicator_ids),
        )
        .select_related("indicator__partnership")
        .order_by("changed_at", "pk")
        if change.changed_at > since[change.indicator_id]
    ]
    return [_revision(change) for change in changes]


def _revision(change: FigureChange) -> dict:
    """A revision as a report lists it: what changed (a month's figure or a target), was,
    now and the reason given."""
    indicator = change.indicator
    places = 0 if indicator.measure == "count" else 1
    revision = {
        "indicator": change.indicator_id,
        "code": indicator.code,
        "title": indicator.title,
        "period": change.period.isoformat() if change.period else None,
        "places": places,
        "reason": change.reason,
        "changed_at": change.changed_at.isoformat(),
    }
    if change.subject == FigureChange.Subject.ACTUAL:
        return {
            **revision,
            "what": periods.month_label(change.period),
            "old": (change.old or {}).get("value"),
            "new": (change.new or {}).get("value"),
        }
    start = indicator.partnership.fy_start_month
    if change.period:
        what = f"Target to {periods.month_label(change.period)}"
    else:
        what = f"Target for {periods.fy_label(change.financial_year, start)}"
    return {
        **revision,
        "what": what,
        "target": True,
        "old": target_words(change.old, indicator.measure, start),
        "new": target_words(change.new, indicator.measure, start),
    }


def _indicators_for(report: Report) -> QuerySet[Indicator]:
    queryset = Indicator.objects.filter(partnership=report.partnership, active=True)
    if report.theme_group_id:
        queryset = queryset.filter(theme_group_id=report.theme_group_id)
    return queryset


def report_inputs(report: Report, *, at: datetime.datetime | None = None) -> ReportInputs:
    """Everything the builder needs for a report, read now."""
    at = at or timezone.now()
    partnership = report.partnership
    # An overview sets its partnerships side by side (blocks) instead of one's indicators.
    results = (
        []
        if report.kind == Report.Kind.OVERVIEW
        else partnership_figures(partnership, report.period, indicators=_indicators_for(report))
    )
    ids = [r.indicator.pk for r in results]
    group_of = {r.indicator.pk: r.indicator.theme_group_id for r in results}
    if report.theme_group_id:
        group_names = [report.theme_group.name]
    else:
        group_names = [
            "",
            *partnership.theme_groups.order_by("name").values_list("name", flat=True),
        ]
    previous = previous_version(report)
    since = previous.published_at if previous else None
    blocks = []
    if report.kind == Report.Kind.OVERVIEW:
        blocks = overview_blocks(report)
    return ReportInputs(
        report=report,
        results=results,
        theme_group_names=group_names,
        figures_as_at=at,
        # A figure's revisions count from when it was last given to a panel, in a report of
        # any scope that covers it (the one that locked it), not only one of this scope.
        revisions=revisions_since(
            ids,
            covered_periods(report.period, partnership.fy_start_month),
            last_published(partnership.pk, group_of.items()),
            periods.financial_year_of(report.period, partnership.fy_start_month),
        ),
        linked_actions=sources.linked_actions(partnership, ids),
        action_plan=sources.action_plan(partnership, report.theme_group, at, since),
        commissioning=sources.commissioning(partnership, report.period, report.theme_group),
        risk_items=sources.risks(partnership, report.theme_group),
        blocks=blocks,
        family=sources.family(partnership, ids, report.period) if ids else [],
        context=sources.crime_context(partnership, report.period, results),
    )


def overview_blocks(report: Report) -> list[PartnershipBlock]:
    """Each covered partnership's headline figures (three queries a partnership)."""
    news = {str(k): v for k, v in (report.news or {}).items()}
    blocks = []
    for partnership in sorted(report.covers.all(), key=lambda p: p.name):
        results = partnership_figures(partnership, report.period)
        blocks.append(
            PartnershipBlock(
                name=partnership.name,
                slug=partnership.slug,
                results=results,
                news=news.get(str(partnership.pk), ""),
            )
        )
    return blocks


@dataclass(frozen=True)
class Revision:
    code: str
    title: str
    what: str  # the month of a figure, or which target
    old: str | None
    new: str | None
    places: int
    target: bool = False  # old and new are a target in words, not figures


def revision_notice(version: ReportVersion, fy_start_month: int = 4) -> list[Revision]:
    """Figures of the version's period, and targets of its year, that differ now from what
    it showed: two queries (the figures it showed, then the changes since).

    The audit trail gives every change after publishing; the latest change to each
    figure is compared with the frozen value, so a figure changed and changed back
    is not reported. A target is compared with the value its first change after
    publishing replaced: the one the report rated against.
    """
    shown = ReportVersion.objects.values_list("shown", flat=True).get(pk=version.pk) or {}
    indicators = shown.get("indicators", {})
    if not indicators:
        return []
    period = datetime.date.fromisoformat(shown["period"])
    Subject = FigureChange.Subject
    changes = FigureChange.objects.filter(
        Q(subject=Subject.ACTUAL, period__lte=period)
        | Q(
            subject=Subject.TARGET,
            financial_year=periods.financial_year_of(period, fy_start_month),
        ),
        indicator_id__in=[int(k) for k in indicators],
        changed_at__gt=version.published_at,
    ).order_by("changed_at", "pk")
    latest: dict[tuple[str, str], str | None] = {}
    targets: dict[tuple[str, datetime.date | None], list] = {}
    for subject, indicator_id, month, old, new, measure in changes.values_list(
        "subject", "indicator_id", "period", "old", "new", "indicator__measure"
    ):
        if subject == Subject.TARGET:
            targets.setdefault((str(indicator_id), month), [old, new, measure])[1] = new
            continue
        key = (str(indicator_id), month.isoformat())
        if key[1] in indicators[key[0]]["values"]:
            latest[key] = (new or {}).get("value")
    revisions = []
    for (indicator_id, month), new in sorted(latest.items()):
        entry = indicators[indicator_id]
        old = entry["values"][month]
        if not _same(old, new):
            revisions.append(
                Revision(
                    entry["code"],
                    entry["title"],
                    periods.month_label(datetime.date.fromisoformat(month)),
                    old,
                    new,
                    entry["places"],
                )
            )
    return revisions + _target_revisions(targets, indicators, fy_start_month)


def _target_revisions(targets: dict, indicators: dict, fy_start_month: int) -> list[Revision]:
    """Targets changed since publishing: (indicator id, profile month or None) -> the
    target as published, the target now (audit snapshots) and the indicator's measure."""
    revisions = []
    for (indicator_id, month), (old, new, measure) in sorted(
        targets.items(), key=lambda item: (item[0][0], item[0][1] or datetime.date.min)
    ):
        if _same_target(old, new):
            continue
        entry = indicators[indicator_id]
        revisions.append(
            Revision(
                entry["code"],
                entry["title"],
                f"Target to {periods.month_label(month)}" if month else "Target for the year",
                target_words(old, measure, fy_start_month),
                target_words(new, measure, fy_start_month),
                entry["places"],
                target=True,
            )
        )
    return revisions


def _same_target(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a["kind"], a["baseline_year"], a["period"]) == (
        b["kind"],
        b["baseline_year"],
        b["period"],
    ) and _same(a["value"], b["value"])


def _same(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


def partnerships_for_overview(user) -> QuerySet[Partnership]:
    """Partnerships whose live figures the user may read: what an overview may cover."""
    from csp_portal.core import permissions

    return (
        permissions.visible_partnerships(user)
        .filter(
            pk__in=[
                p.pk
                for p in permissions.visible_partnerships(user)
                if permissions.has_access(user, p, permissions.Access.LIVE)
            ]
        )
        .order_by("name")
    )


def overviews_closed_to(user, report_ids: Iterable[int]) -> set[int]:
    """Of these overview reports, those covering a partnership whose live figures the user
    may not read: their drafts show those figures, so the user may not open, edit or
    publish them (an overview is limited to the user's partnerships only when saved, and
    staff may make one covering partnerships an officer of one of them cannot read)."""
    from csp_portal.core import permissions

    report_ids = list(report_ids)
    if not report_ids or (user.is_authenticated and user.is_active and user.is_staff):
        return set()
    through = Report.covers.through.objects.filter(report_id__in=report_ids)
    return {
        report_id
        for report_id, partnership_id in through.values_list("report_id", "partnership_id")
        if not permissions.has_access_to(user, partnership_id, permissions.Access.LIVE)
    }


def latest_versions(reports: Iterable[Report]) -> dict[int, ReportVersion]:
    """Each report's latest version, without its stored files: one query."""
    ids = [r.pk for r in reports]
    found: dict[int, ReportVersion] = {}
    for version in (
        ReportVersion.objects.filter(report_id__in=ids).defer(*HEAVY).order_by("report", "-number")
    ):
        found.setdefault(version.report_id, version)
    return found
