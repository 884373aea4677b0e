"""Reads for reports, each in a fixed number of queries whatever the number of indicators."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from csp_portal.core.models import Membership, Partnership, ThemeGroup
from indicators import periods
from indicators.commentary import profile_words, target_words
from indicators.models import Actual, FigureChange, Indicator, Target
from indicators.selectors import IndicatorFigures, partnership_figures
from indicators.services import target_snapshot

from . import sources
from .builder import PartnershipBlock, ReportInputs, is_late_return, unit_suffix
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
    """The months a report to ``period`` covers: the year to date and the whole of last
    year, which its month-by-month tables print beside them."""
    year = periods.financial_year_of(period, fy_start_month)
    return periods.fy_months(year - 1, fy_start_month) + periods.months_to_date(
        period, fy_start_month
    )


# A target's baseline years over time: each (until when, the year it was a change on then,
# None when it was no change target), oldest first; the last (until None) as it is now.
BaselineHistory = tuple[tuple[datetime.datetime | None, int | None], ...]


def baseline_years(indicator_ids: Iterable[int]) -> dict[tuple[int, int], BaselineHistory]:
    """(indicator id, financial year) -> the earlier years its target for that year has
    been a change on (`BaselineHistory`): a report that rated the indicator against it
    printed a target worked out from the figures of the baseline year it had when the
    report was published (`baseline_at`), so they are locked as its own months are; one
    set or moved since, the report never printed. One query: the change targets now and
    the audit trail of each target change (a target kept from before the trail counts as
    set all along)."""
    ids = list(indicator_ids)
    kind = Target.Kind.CHANGE_PCT
    now = Target.objects.filter(
        indicator_id__in=ids, kind=kind, baseline_year__isnull=False
    ).values_list(
        "indicator_id",
        "financial_year",
        "baseline_year",
        "kind",
        Value(None, output_field=DateTimeField()),
    )
    before = FigureChange.objects.filter(
        indicator_id__in=ids, subject=FigureChange.Subject.TARGET, period__isnull=True
    ).values_list(
        "indicator_id",
        "financial_year",
        Cast(KT("old__baseline_year"), IntegerField()),
        KT("old__kind"),
        "changed_at",
    )
    current: dict[tuple[int, int], int] = {}
    changes: dict[tuple[int, int], list] = {}
    # Unordered: a union's parts take no ORDER BY (the models order by default).
    for indicator_id, year, baseline, was, at in now.order_by().union(before.order_by(), all=True):
        if at is None:
            current[(indicator_id, year)] = baseline
        else:  # until this change, the target was this
            changes.setdefault((indicator_id, year), []).append(
                (at, baseline if was == kind else None)
            )
    return {
        key: (*sorted(changes.get(key, ()), key=lambda change: change[0]), (None, current.get(key)))
        for key in current.keys() | changes.keys()
    }


def baseline_at(history: BaselineHistory, at: datetime.datetime) -> int | None:
    """The baseline year a target had at ``at`` (`baseline_years`)."""
    for until, baseline in history:
        if until is None or until > at:
            return baseline
    return None


def _rated_months(
    frozen: Frozen, indicator_id: int, start: int, baselines: Mapping[tuple, BaselineHistory]
) -> frozenset[datetime.date]:
    """The months of the baseline year of the change target ``frozen`` rated the
    indicator against, as the target was when it was published."""
    history = baselines.get((indicator_id, periods.financial_year_of(frozen.period, start)))
    baseline = baseline_at(history, frozen.published_at) if history else None
    return frozenset(periods.fy_months(baseline, start)) if baseline is not None else frozenset()


@dataclass(frozen=True)
class Frozen:
    """What one published version froze of one partnership's figures: those of the
    indicators it showed, of the months it covers, and their targets of its year (a change
    needs a reason; the next report lists it). An overview freezes each partnership it
    showed figures of, each by that partnership's own financial year."""

    partnership_id: int
    indicator_ids: frozenset[int]
    period: datetime.date
    title: str
    published_at: datetime.datetime
    version_id: int
    meeting_label: str = ""  # the meeting it went to ("Scrutiny panel"), as published
    meeting_date: datetime.date | None = None

    def shows(self, indicator_id: int) -> bool:
        """Whether it showed this indicator (one with figures then): the version names them."""
        return indicator_id in self.indicator_ids


def frozen_by(partnership_ids: Iterable[int]) -> list[Frozen]:
    """Every version published that showed figures of these partnerships (its own report,
    or an overview covering them, whichever partnership it was filed under), oldest report
    month first. One query, whatever the number of figures checked against them."""
    rows = (
        ReportVersion.partnerships_shown.through.objects.filter(
            partnership_id__in=list(partnership_ids)
        )
        .values_list(
            "partnership_id",
            "reportversion__indicator_ids",
            "reportversion__report__period",
            "reportversion__title",
            "reportversion__published_at",
            "reportversion_id",
            "reportversion__meeting_label",
            "reportversion__meeting_date",
        )
        .order_by("reportversion__report__period", "reportversion__title", "reportversion__number")
    )
    return [
        Frozen(partnership, frozenset(ids or ()), period, title, at, version, meeting, date)
        for partnership, ids, period, title, at, version, meeting, date in rows
    ]


def locked_figures(
    entries: Iterable[tuple[Indicator, datetime.date]],
) -> list[tuple[Indicator, datetime.date, str]]:
    """Which (indicator, period) pairs a published report froze, with that report's title.

    One query. A quarterly figure is stored at its quarter's first month; a report covers
    it once the quarter has ended by the report's month (it counts no quarter under way).
    """
    return [(indicator, period, lock.first.title) for indicator, period, lock in _locking(entries)]


def locked_figures_printed(
    entries: Iterable[tuple[Indicator, datetime.date]],
) -> tuple[list[tuple[Indicator, datetime.date, Lock]], dict[tuple[int, datetime.date], object]]:
    """Each locked pair with why (`figure_lock`), and for each the figure the last report
    covering it printed (None for a blank: a figure entered now is a late return, `is_late_return`),
    keyed by (indicator id, period); a period it did not print (a rated target's baseline
    year) is left out. The next report lists a change against that report's figures.
    Two queries, and one more when any pair is locked (what those reports printed)."""
    locking = _locking(entries)
    if not locking:
        return [], {}
    versions = {lock.last.version_id for _, _, lock in locking}
    shown = dict(ReportVersion.objects.filter(pk__in=versions).values_list("pk", "shown"))
    printed = {}
    for indicator, period, lock in locking:
        entry = ((shown[lock.last.version_id] or {}).get("indicators") or {}).get(str(indicator.pk))
        values = (entry or {}).get("values", {})
        if period.isoformat() in values:
            printed[(indicator.pk, period)] = values[period.isoformat()]
    return locking, printed


@dataclass(frozen=True)
class Lock:
    """Why a figure changes only with a reason: the versions published that froze it,
    each list oldest report month first. ``covering``: those covering its period (their
    year to date or last year); ``rating``: those that rated the indicator against a
    change target worked out from the figures of its year (`baseline_years`). A version
    may be in both."""

    covering: tuple[Frozen, ...]
    rating: tuple[Frozen, ...]
    froze: tuple[Frozen, ...]  # either

    @property
    def first(self) -> Frozen:
        return self.froze[0]

    @property
    def last(self) -> Frozen:
        """The latest version published that froze it, whose figures a change is listed
        against."""
        return max(self.froze, key=lambda frozen: frozen.published_at)

    @property
    def why(self) -> str:
        """ "published" when a report covers its period (whatever else), else "baseline"."""
        return "published" if self.covering else "baseline"


@lru_cache(maxsize=512)
def _covered(period: datetime.date, fy_start_month: int) -> frozenset[datetime.date]:
    return frozenset(covered_periods(period, fy_start_month))


def figure_lock(
    indicator_id: int,
    frequency: str,
    period: datetime.date,
    fy_start_month: int,
    published: Sequence[Frozen],
    baselines: Mapping[tuple[int, int], BaselineHistory],
) -> Lock | None:
    """The rule for whether a figure needs a reason to change, and why (None: it does
    not). The figure stored at ``period`` is frozen by each of its partnership's
    ``published`` versions (`frozen_by`) that showed the indicator and either covers the
    period (a quarterly figure once its quarter has ended by the report's month) or rated
    the indicator against a change target whose baseline year, as the target stood when
    it was published, holds it (``baselines``: `baseline_years`). Saving checks it, and
    the figure pages' notices say it. No query."""
    ends = periods.last_month_of(period, frequency)
    covering, rating, froze = [], [], []
    for frozen in published:
        if not frozen.shows(indicator_id):
            continue
        covers = ends in _covered(frozen.period, fy_start_month)
        rated = period in _rated_months(frozen, indicator_id, fy_start_month, baselines)
        if covers:
            covering.append(frozen)
        if rated:
            rating.append(frozen)
        if covers or rated:
            froze.append(frozen)
    return Lock(tuple(covering), tuple(rating), tuple(froze)) if froze else None


def _locking(
    entries: Iterable[tuple[Indicator, datetime.date]],
) -> list[tuple[Indicator, datetime.date, Lock]]:
    """Each locked (indicator, period) pair with why (`figure_lock`). Two queries, none
    when nothing was published."""
    entries = list(entries)
    if not entries:
        return []
    published = frozen_by({indicator.partnership_id for indicator, _ in entries})
    if not published:
        return []
    baselines = baseline_years({indicator.pk for indicator, _ in entries})
    by_partnership: dict[int, list[Frozen]] = {}
    for frozen in published:
        by_partnership.setdefault(frozen.partnership_id, []).append(frozen)
    locked = []
    for indicator, period in entries:
        lock = figure_lock(
            indicator.pk,
            indicator.frequency,
            period,
            indicator.partnership.fy_start_month,
            by_partnership.get(indicator.partnership_id, []),
            baselines,
        )
        if lock is not None:
            locked.append((indicator, period, lock))
    return locked


def locked_target_years(indicator: Indicator) -> dict[int, Frozen]:
    """The financial years a published report showed the indicator for, each with that
    report (the latest): a change to such a year's target needs a reason, and the next
    report lists it as a revision. One query. (Whether the report printed a target for
    the year, or showed the indicator without one: `printed_target`.)"""
    start = indicator.partnership.fy_start_month
    return {
        periods.financial_year_of(frozen.period, start): frozen
        for frozen in frozen_by([indicator.partnership_id])
        if frozen.shows(indicator.pk)
    }


def printed_target(frozen: Frozen, indicator_id: int) -> bool:
    """Whether a published version printed the indicator's target of its year, rating the
    indicator against it: False where it showed the indicator without one (no target then,
    or monitoring only). One query, reading that version's snapshot."""
    snapshot = ReportVersion.objects.values_list("snapshot", flat=True).get(pk=frozen.version_id)
    entries = [
        snapshot.get("indicators", {}).get(str(indicator_id)),
        *(
            entry
            for block in snapshot.get("overview", [])
            for entry in block.get("indicators", [])
            if entry.get("id") == indicator_id
        ),
    ]
    return any(entry and entry.get("has_target") for entry in entries)


@dataclass(frozen=True)
class Listed:
    """A report in the list: named as its latest version the reader may open was
    published (a later edit of the draft shows only to those who may read drafts)."""

    report: Report
    version: ReportVersion | None  # None: a draft never published

    @property
    def title(self) -> str:
        return self.version.title if self.version else self.report.title

    @property
    def meeting_label(self) -> str:
        return self.version.meeting_label if self.version else self.report.meeting_label

    @property
    def meeting_date(self):
        return self.version.meeting_date if self.version else self.report.date_of_meeting

    @property
    def published_at(self):
        return self.version.published_at if self.version else None

    @property
    def changed_since(self) -> bool:
        """The draft was edited after this version was published."""
        return self.version is not None and self.report.updated_at > self.version.published_at


def published_since(partnership_id: int, since: datetime.datetime | None) -> ReportVersion | None:
    """The first version of the partnership's own reports (an overview shows no row of it)
    published at or after ``since``, the time a row of it was added (any, when that is not
    known): one that may have shown the row. Such a row stays on the record; removing it
    would change no published version (each is self-contained), yet the next report's
    "since the last report" would lose it. One query."""
    versions = ReportVersion.objects.filter(
        report__partnership_id=partnership_id, report__kind=Report.Kind.PARTNERSHIP
    )
    if since is not None:
        versions = versions.filter(published_at__gte=since)
    return versions.only("title", "published_at", "report_id").order_by("published_at").first()


def filed_or_covering(partnership: Partnership) -> Q:
    """Reports filed under the partnership, and overviews filed under another with a
    published version that covered it. An overview is read under a partnership it covered
    by that partnership's members, version by version (`covering_versions`), whatever its
    draft covers now."""
    covering = ReportVersion.covered.through.objects.filter(partnership=partnership).values(
        "reportversion__report_id"
    )
    return Q(partnership=partnership) | Q(kind=Report.Kind.OVERVIEW, pk__in=covering)


def covering_versions(partnership: Partnership) -> Q:
    """The versions read under the partnership: those of its own reports, and those of
    overviews filed elsewhere that covered it when published (not others of the same
    overview: a version covering other partnerships shows their figures, not its own)."""
    covering = ReportVersion.covered.through.objects.filter(partnership=partnership).values(
        "reportversion_id"
    )
    return Q(report__partnership=partnership) | Q(pk__in=covering)


def report_list(
    partnership: Partnership, *, drafts: bool, exempt: bool = True, covered: bool = False
) -> list[Listed]:
    """The partnership's reports, newest first (the latest figures, then the latest
    published), in two queries: published ones only unless ``drafts``; exempt ones
    (Schedule 12A: published as exempt, or the draft now says so) only with ``exempt``
    (members, not the public). With ``covered``, the published overviews filed under other
    partnerships that cover this one too, never their drafts; without ``exempt``, only those
    whose filing partnership makes its reports public, the one place the public reads them
    (`views._open_to`)."""
    where = Q(partnership=partnership)
    if covered:
        where = filed_or_covering(partnership)
        if not exempt:
            where &= Q(partnership=partnership) | Q(partnership__reports_public=True)
    reports = Report.objects.filter(where).select_related("partnership", "theme_group", "meeting")
    if not exempt:
        reports = reports.filter(exempt=False)  # ticked on the draft: withdrawn from the public
        # An overview of a partnership whose reports are not public is not public either.
        reports = reports.exclude(covers__reports_public=False)
    reports = list(reports)
    versions = ReportVersion.objects.filter(report__in=[r.pk for r in reports]).only(
        "report_id", "number", "title", "exempt", "meeting_label", "meeting_date", "published_at"
    )
    if covered:
        versions = versions.filter(covering_versions(partnership))
    if not exempt:
        versions = versions.filter(exempt=False).exclude(
            Q(partnerships_shown__reports_public=False) | Q(covered__reports_public=False)
        )
    latest: dict[int, ReportVersion] = {}
    for version in versions.order_by("report_id", "number"):
        latest[version.report_id] = version
    listed = [
        Listed(report, latest.get(report.pk))
        for report in reports
        if (drafts and report.partnership_id == partnership.pk) or report.pk in latest
    ]
    return sorted(
        listed,
        key=lambda r: (r.report.period, r.published_at or r.report.updated_at, r.report.pk),
        reverse=True,
    )


def report_for(partnership: Partnership, pk: int, *, covering: bool = False) -> Report:
    """One report of the partnership with its relations (404 from the caller if absent);
    with ``covering``, an overview filed elsewhere that covers it too (`filed_or_covering`)."""
    where = filed_or_covering(partnership) if covering else Q(partnership=partnership)
    return Report.objects.select_related("partnership", "theme_group", "meeting").get(where, pk=pk)


def versions_of(report: Report, *, under: Partnership | None = None) -> list[ReportVersion]:
    """Every published version, newest first, without their stored files, each saying
    whether its PDF and Word files were made (``has_pdf``, ``has_docx``); ``under``: only
    those read under that partnership (`covering_versions`: of an overview filed elsewhere,
    those that covered it)."""
    where = covering_versions(under) if under is not None else Q()
    return list(
        ReportVersion.objects.filter(where, report=report)
        .defer(*HEAVY)
        .select_related("published_by")
        .annotate(
            has_pdf=ExpressionWrapper(Q(pdf__isnull=False), output_field=BooleanField()),
            has_docx=ExpressionWrapper(Q(docx__isnull=False), output_field=BooleanField()),
        )
        .order_by("-number")
    )


def published_versions(partnership: Partnership, pk: int) -> list[ReportVersion]:
    """``versions_of`` for the partnership's report ``pk`` (or, of an overview filed
    elsewhere, the versions that covered it: `covering_versions`), each with the report and
    its relations already loaded (as ``report_for`` loads them): one query; empty for a
    draft or another partnership's report."""
    return list(
        ReportVersion.objects.filter(covering_versions(partnership), report_id=pk)
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


def overview_filers(partnership_ids: set[int]) -> list[int]:
    """The partnerships that filed a published version showing figures of any of these, or
    a published overview covering any of them (whether the public may read it follows
    theirs, `overview_versions_public`). An ordinary report shows only its own partnership's.
    One query."""
    shown = ReportVersion.partnerships_shown.through.objects.filter(
        partnership_id__in=partnership_ids
    ).values_list("reportversion__report__partnership_id", flat=True)
    covered = Report.covers.through.objects.filter(
        partnership_id__in=partnership_ids, report__versions__isnull=False
    ).values_list("report__partnership_id", flat=True)
    return list(set(shown.union(covered)))


def overview_versions_public(report: Report, versions: list[ReportVersion]) -> list[ReportVersion]:
    """Those of an overview's published versions the public may read: every partnership
    the overview covers, every one the version covered when published, and every one whose
    figures it showed, makes its reports public. Scrutiny papers are public documents, but
    only where each partnership chose."""
    if report.covers.filter(reports_public=False).exists():
        return []
    closed = set(
        ReportVersion.objects.filter(pk__in=[v.pk for v in versions])
        .filter(Q(partnerships_shown__reports_public=False) | Q(covered__reports_public=False))
        .values_list("pk", flat=True)
    )
    return [v for v in versions if v.pk not in closed]


def previous_version(report: Report) -> ReportVersion | None:
    """The last report the panel was given before this one, which its status changes count
    from: this report's own latest version, if it has one (a new version lists what has
    changed since the one it replaces), else the latest published version of the
    partnership's report of the same theme group and kind for the latest earlier month (or
    the same month, made before this one). Never one for a later month: republishing an
    old report is no report after the newer ones. One query."""
    return (
        ReportVersion.objects.filter(
            report__partnership_id=report.partnership_id,
            report__theme_group_id=report.theme_group_id,
            report__kind=report.kind,
        )
        .filter(
            Q(report__period__lt=report.period)
            | Q(report__period=report.period, report_id__lte=report.pk)
        )
        .defer(*HEAVY)
        # Its own versions first, then by month; of a month's reports, the version the
        # panel was given last (two reports of one month: the one published last).
        .annotate(own=Case(When(report_id=report.pk, then=1), default=0))
        .order_by("-own", "-report__period", "-published_at")
        .first()
    )


@dataclass(frozen=True)
class Cover:
    """What the reports published so far froze of one indicator: for each month whose
    figure and each year whose target one of them showed, when the last such report was
    published. The next report lists changes made since then."""

    months: dict[datetime.date, datetime.datetime]
    years: dict[int, datetime.datetime]
    # Each financial year's reports: the months of the baseline years of the change targets
    # they rated it against (`_rated_months`), which ``months`` holds too.
    rated: dict[int, frozenset[datetime.date]]

    @property
    def earliest(self) -> datetime.datetime:
        return min([*self.months.values(), *self.years.values()])


def covers_of(partnership: Partnership, indicator_ids: Iterable[int]) -> dict:
    """For each of the partnership's indicators, its `Cover`: from every published report
    that showed it, the partnership's own or an overview; indicators none showed are left
    out. The months a report rated a change target's baseline year holds count as covered,
    by the rule that locks them (`figure_lock`): the baseline year the target had when the
    report was published. Two queries, one when nothing was published."""
    published = frozen_by([partnership.pk])
    start = partnership.fy_start_month
    months_of = {period: covered_periods(period, start) for period in {f.period for f in published}}
    showing_of = {
        indicator_id: showing
        for indicator_id in indicator_ids
        if (showing := tuple(i for i, f in enumerate(published) if f.shows(indicator_id)))
    }
    baselines = baseline_years(showing_of) if showing_of else {}
    found = {}
    # Indicators shown by the same versions (most of them: all but the newest) and with the
    # same baseline years share one.
    shared: dict[tuple, Cover] = {}
    for indicator_id, showing in showing_of.items():
        extra = tuple(_rated_months(published[i], indicator_id, start, baselines) for i in showing)
        key = (showing, extra)
        if key not in shared:
            months: dict[datetime.date, datetime.datetime] = {}
            years: dict[int, datetime.datetime] = {}
            rated: dict[int, frozenset[datetime.date]] = {}
            for frozen, baseline in zip((published[i] for i in showing), extra, strict=True):
                at = frozen.published_at
                for month in (*months_of[frozen.period], *baseline):
                    months[month] = max(months.get(month, at), at)
                year = periods.financial_year_of(frozen.period, start)
                years[year] = max(years.get(year, at), at)
                rated[year] = rated.get(year, frozenset()) | baseline
            shared[key] = Cover(months, years, rated)
        found[indicator_id] = shared[key]
    return found


def revisions_since(
    indicator_ids: list[int],
    months: list[datetime.date],
    covers: Mapping[int, Cover],
    financial_year: int,
) -> list[dict]:
    """Changes to what a published report froze (`Cover`), made since the last report that
    showed that month or year, to the figures of ``months`` and the targets of
    ``financial_year``: the next report lists them as revisions, each once: as the last
    report gave it and as it is now, with every reason given; one changed back is none. A
    figure first entered since, or a year's first target, is no revision. Two queries
    (the changes, then the targets they leave)."""
    indicator_ids = [pk for pk in indicator_ids if pk in covers]
    if not indicator_ids:
        return []
    Subject = FigureChange.Subject
    changes = [
        change
        for change in FigureChange.objects.filter(
            Q(subject=Subject.ACTUAL, period__in=months)
            | Q(subject=Subject.TARGET, financial_year=financial_year),
            indicator_id__in=indicator_ids,
            changed_at__gt=min(covers[pk].earliest for pk in indicator_ids),
        )
        .select_related("indicator__partnership")
        .order_by("changed_at", "pk")
        if _revises(change, covers[change.indicator_id])
    ]
    figures: dict[tuple[int, datetime.date], list[FigureChange]] = {}
    for change in changes:
        if change.subject == Subject.ACTUAL:
            figures.setdefault((change.indicator_id, change.period), []).append(change)
    return [
        revision
        for month_changes in figures.values()
        if (revision := _figure_revision(month_changes))
    ] + _target_revisions([c for c in changes if c.subject == Subject.TARGET])


def _figure_revision(changes: list[FigureChange]) -> dict | None:
    """A month's figure as the last report gave it and as it is now, with every reason
    given between; None when it was changed back."""
    first, last = changes[0], changes[-1]
    old, new = (first.old or {}).get("value"), (last.new or {}).get("value")
    if _same(old, new):
        return None
    indicator = first.indicator
    start = indicator.partnership.fy_start_month
    quarterly = indicator.frequency == Indicator.Frequency.QUARTERLY
    return {
        **_revision_of(indicator),
        "period": first.period.isoformat(),
        "what": periods.period_label(first.period, indicator.frequency, start),
        # A quarterly figure's period as the CSV names a quarter ("" for a month's).
        "quarter": periods.quarter_label(first.period, start) if quarterly else "",
        "old": old,
        "new": new,
        "old_parts": _parts_of(first.old, indicator.measure),
        "new_parts": _parts_of(last.new, indicator.measure),
        "reason": "; ".join(dict.fromkeys(c.reason for c in changes if c.reason)),
        "changed_at": last.changed_at.isoformat(),
    }


def _under_way(change: FigureChange, period: datetime.date) -> bool:
    """Whether a figure's period (a quarter) had not ended by a report's month."""
    return periods.last_month_of(change.period, change.indicator.frequency) > period


def _revises(change: FigureChange, cover: Cover) -> bool:
    """Whether a change came after the last report that showed its month or year. A
    quarter's figure was shown once a report's month reached its third month."""
    if change.subject == FigureChange.Subject.ACTUAL:
        since = cover.months.get(periods.last_month_of(change.period, change.indicator.frequency))
    else:
        since = cover.years.get(change.financial_year)
    return since is not None and change.changed_at > since


def _revision_of(indicator: Indicator) -> dict:
    return {
        "indicator": indicator.pk,
        "code": indicator.code,
        "title": indicator.title,
        "places": 0 if indicator.measure == "count" else 1,
        "suffix": unit_suffix(indicator.measure),
    }


def _parts_of(figure: dict | None, measure: str) -> list[str] | None:
    """A percentage's counts as the audit trail holds them, [numerator, denominator],
    printed beside it as the report's other tables do ("50.0% (5 of 10)"); None for
    another measure or a figure given without them."""
    figure = figure or {}
    numerator, denominator = figure.get("numerator"), figure.get("denominator")
    if measure != Indicator.Measure.PERCENTAGE or numerator is None or denominator is None:
        return None
    return [numerator, denominator]


def _target_revisions(changes: list[FigureChange]) -> list[dict]:
    """Target changes, oldest first, as revisions: a year's target as it was and as it is
    now, in words (one row, or one per point where a profile's points changed). A change
    of kind is one row ("400 for the year" to "a monthly profile: 640 for the year"), and
    a target changed back is none. One query (the targets now)."""
    if not changes:
        return []
    years: dict[tuple[int, int], list[FigureChange]] = {}
    for change in changes:
        years.setdefault((change.indicator_id, change.financial_year), []).append(change)
    now: dict[tuple[int, int], dict] = {key: {} for key in years}
    wanted = Q()
    for indicator_id, year in years:
        wanted |= Q(indicator_id=indicator_id, financial_year=year)
    for target in Target.objects.filter(wanted):
        now[(target.indicator_id, target.financial_year)][target.period] = target_snapshot(target)
    revisions = []
    for key, year_changes in years.items():
        indicator = year_changes[0].indicator
        before = dict(now[key])
        for change in reversed(year_changes):  # undone newest first: the first old stays
            if change.old is None:
                before.pop(change.period, None)
            else:
                before[change.period] = change.old
        common = {
            **_revision_of(indicator),
            "period": None,
            "target": True,
            "reason": "; ".join(dict.fromkeys(c.reason for c in year_changes if c.reason)),
            "changed_at": year_changes[-1].changed_at.isoformat(),
        }
        for what, old, new in _target_differences(indicator, key[1], before, now[key]):
            revisions.append({**common, "what": what, "old": old, "new": new})
    return revisions


def _target_differences(indicator: Indicator, year: int, before: dict, after: dict):
    """(what, was, now) for each difference between two states of a year's target:
    {profile month or None: audit snapshot}."""
    start = indicator.partnership.fy_start_month
    measure = indicator.measure
    quarterly = indicator.frequency == Indicator.Frequency.QUARTERLY
    profiles = before and after and None not in before and None not in after
    if profiles:
        for month in sorted(set(before) | set(after)):
            if not _same_target(before.get(month), after.get(month)):
                end = periods.add_months(month, 2) if quarterly else month
                yield (
                    f"Target to {periods.month_label(end)}",
                    _point_words(before.get(month), measure, start),
                    _point_words(after.get(month), measure, start),
                )
        return
    was, now = (_year_words(rows, measure, quarterly, start) for rows in (before, after))
    if was != now:
        yield f"Target for {periods.fy_label(year, start)}", was, now


def _point_words(point: dict | None, measure: str, start: int) -> str:
    return "None set" if point is None else target_words(point, measure, start)


def _year_words(rows: dict, measure: str, quarterly: bool, start: int) -> str:
    """A year's target in words: "No target", "400 for the year", "a 3% reduction on
    2015/16", "a monthly profile: 640 for the year" (its last point)."""
    if not rows:
        return "No target"
    if None in rows:
        return target_words(rows[None], measure, start)
    last = max(rows)
    return profile_words(
        last, rows[last]["value"], measure, quarterly=quarterly, fy_start_month=start
    )


def _indicators_for(report: Report) -> QuerySet[Indicator]:
    queryset = Indicator.objects.filter(partnership=report.partnership, active=True)
    if report.theme_group_id:
        queryset = queryset.filter(theme_group_id=report.theme_group_id)
    return queryset


def figures_entered(
    partnership: Partnership, period: datetime.date, theme_group: ThemeGroup | None = None
) -> bool:
    """Whether a report to ``period`` tables any indicator (`builder._has_figures`): one
    with a figure in the year to date (a quarter's once it has ended by ``period``), or a
    quarterly one with last year's figures before the year's first quarter has ended,
    when none is due yet. A report without one has no performance to tell. One query."""
    indicators = Indicator.objects.filter(partnership=partnership, active=True)
    if theme_group is not None:
        indicators = indicators.filter(theme_group=theme_group)
    start = partnership.fy_start_month
    months = periods.months_to_date(period, start)
    ended = [month for month in months if periods.last_month_of(month, "quarterly") <= period]
    counted = Actual.objects.filter(indicator=OuterRef("pk")).filter(
        Q(period__in=months) & ~Q(indicator__frequency="quarterly")
        | Q(period__in=ended, indicator__frequency="quarterly")
    )
    tabled = Q(Exists(counted))
    if not ended:
        year = periods.financial_year_of(period, start)
        last_year = Actual.objects.filter(
            indicator=OuterRef("pk"), period__in=periods.fy_months(year - 1, start)
        )
        tabled |= Q(frequency="quarterly") & Q(Exists(last_year))
    return indicators.filter(tabled).exists()


def formats_contact(partnership: Partnership) -> dict:
    """Where a report's files send a reader for another format when the cover sheet gives
    no email, as the accessibility statement does: the site's accessibility contact, else
    the partnership's coordinator (the first with an address); and the statement's full
    address, as the files cannot link to it. One query, none with an accessibility contact."""
    email = settings.ACCESSIBILITY_CONTACT
    if not email:
        email = (
            Membership.objects.filter(
                partnership=partnership, role=Membership.Role.COORDINATOR, user__is_active=True
            )
            .exclude(user__email="")
            .order_by("user__last_name", "user__first_name", "pk")
            .values_list("user__email", flat=True)
            .first()
        ) or ""
    return {"email": email, "statement_url": settings.SITE_URL + reverse("core:accessibility")}


def report_inputs(report: Report, *, at: datetime.datetime | None = None) -> ReportInputs:
    """Everything the builder needs for a report, read now."""
    at = at or timezone.now()
    if report.kind == Report.Kind.OVERVIEW:
        # It sets its partnerships side by side (blocks): the priorities, action plan,
        # commissioning and risks of the partnership it is filed under are not its own.
        return ReportInputs(
            report=report,
            results=[],
            theme_group_names=[],
            figures_as_at=at,
            blocks=overview_blocks(report),
            formats=formats_contact(report.partnership),
        )
    partnership = report.partnership
    results = partnership_figures(partnership, report.period, indicators=_indicators_for(report))
    ids = [r.indicator.pk for r in results]
    if report.theme_group_id:
        group_names = [report.theme_group.name]
    else:
        group_names = [
            "",
            *partnership.theme_groups.order_by("name").values_list("name", flat=True),
        ]
    previous = previous_version(report)
    since = previous.published_at if previous else None
    year = periods.financial_year_of(report.period, partnership.fy_start_month)
    return ReportInputs(
        report=report,
        results=results,
        theme_group_names=group_names,
        figures_as_at=at,
        revisions=_revisions(partnership, report.period, results),
        linked_actions=sources.linked_actions(partnership, ids, year),
        # Statuses as the build found them; overdue at the report's month end, the day its
        # risks and recommendations are judged at.
        action_plan=sources.action_plan(
            partnership,
            report.theme_group,
            at,
            since,
            year,
            overdue_at=sources.as_at_month_end(report.period),
        ),
        commissioning=sources.commissioning(partnership, report.period, report.theme_group),
        risk_items=sources.risks(
            partnership, report.theme_group, report.period, report.date_of_meeting
        ),
        family=sources.family(partnership, ids, report.period) if ids else [],
        context=sources.crime_context(partnership, report.period, results),
        formats=formats_contact(partnership),
    )


def _revisions(
    partnership: Partnership, period: datetime.date, results: list[IndicatorFigures]
) -> list[dict]:
    """The revisions a report to ``period`` lists of the partnership's figures (`results`):
    a figure's revisions count from when it was last given to a panel, in a report of any
    scope that showed it (the one that locked it, an overview too), not only one of this
    scope. Up to four queries; none without indicators."""
    if not results:
        return []
    start = partnership.fy_start_month
    year = periods.financial_year_of(period, start)
    ids = [r.indicator.pk for r in results]
    covers = covers_of(partnership, ids)
    # Revisions to the figures of a baseline year the year's reports rated a change target
    # against (as each target was when each was published: those the lock asked a reason
    # for) are listed as those of the report's own months are.
    rated = sorted({month for cover in covers.values() for month in cover.rated.get(year, ())})
    return revisions_since(ids, [*covered_periods(period, start), *rated], covers, year)


def overview_blocks(report: Report) -> list[PartnershipBlock]:
    """Each covered partnership's headline figures and their revisions since a report
    showed them (up to seven queries a partnership, and one more for the actions of its red
    indicators)."""
    news = {str(k): v for k, v in (report.news or {}).items()}
    blocks = []
    for partnership in sorted(report.covers.all(), key=lambda p: p.name):
        results = partnership_figures(partnership, report.period)
        year = periods.financial_year_of(report.period, partnership.fy_start_month)
        # Only a red indicator's actions are printed: read them for those alone.
        red = [r.indicator.pk for r in results if r.figures.status == "red"]
        blocks.append(
            PartnershipBlock(
                partnership_id=partnership.pk,
                name=partnership.name,
                slug=partnership.slug,
                results=results,
                news=news.get(str(partnership.pk), ""),
                # Each marked overdue or carried over, as the action plan section marks them.
                linked_actions=sources.linked_actions(
                    partnership, red, year, overdue_at=sources.as_at_month_end(report.period)
                )
                if red
                else {},
                revisions=_revisions(partnership, report.period, results),
            )
        )
    return blocks


@dataclass(frozen=True)
class Revision:
    """A figure or target the published report shows that has changed since: old and new."""

    code: str
    title: str
    what: str  # the month of a figure, or which target
    old: str | None
    new: str | None
    places: int
    target: bool = False  # old and new are a target in words, not figures
    suffix: str = ""  # the unit printed after a figure: "%", " per 1,000"
    old_parts: list[str] | None = None  # a percentage's [numerator, denominator]
    new_parts: list[str] | None = None
    partnership: str = ""  # whose figure, in an overview (its partnerships share codes)
    partnership_id: int | None = None  # whose live figure ``new`` is (`revision_notice_for`)
    withheld: bool = False  # ``new`` left out: the reader may not read live figures
    indicator_id: int | None = None  # a figure's indicator and month (ISO), not a target's
    period: str = ""
    # A later published version that gives the figure as it is now: ``new`` is then public
    # to whoever may read that version (`revisions_published_later`).
    published_in: int | None = None
    # Else a later published version that gave a revised figure, revised again since:
    # its figure (``revised_value``), public to whoever may read that version.
    revised_in: int | None = None
    revised_value: str | None = None

    @property
    def late(self) -> bool:
        """A figure the report had none of, come in since: a late return, not a revision."""
        return is_late_return(self.old, target=self.target)


def revision_notice(version: ReportVersion) -> list[Revision]:
    """Figures of the version's period, and targets of its year, that differ now from what
    it showed (an overview: the figures of every partnership it showed, each year by that
    partnership's financial year): two queries (the figures it showed, then the changes
    since), and a third when a target changed (the targets now).

    The audit trail gives every change after publishing; the latest change to each
    figure is compared with the frozen value, so a figure changed and changed back
    is not reported. A target is compared with the year's target as it stood before its
    first change after publishing: the one the report rated against.
    """
    shown, kind = ReportVersion.objects.values_list("shown", "report__kind").get(pk=version.pk)
    shown = shown or {}
    indicators = shown.get("indicators", {})
    if not indicators:
        return []
    period = datetime.date.fromisoformat(shown["period"])
    Subject = FigureChange.Subject
    # The report's financial year is its month's calendar year or the one before, by the
    # partnership's start month: a target change is kept if of its own partnership's year.
    years = [period.year - 1, period.year]
    changes = [
        change
        for change in FigureChange.objects.filter(
            Q(subject=Subject.ACTUAL, period__lte=period)
            | Q(subject=Subject.TARGET, financial_year__in=years),
            indicator_id__in=[int(k) for k in indicators],
            changed_at__gt=version.published_at,
        )
        .select_related("indicator__partnership")
        .order_by("changed_at", "pk")
        if change.subject == Subject.ACTUAL
        or change.financial_year
        == periods.financial_year_of(period, change.indicator.partnership.fy_start_month)
    ]
    first: dict[tuple[str, str], FigureChange] = {}
    latest: dict[tuple[str, str], FigureChange] = {}
    for change in changes:
        key = (str(change.indicator_id), change.period and change.period.isoformat())
        if change.subject == Subject.ACTUAL and _under_way(change, period):
            continue  # a quarter still under way: the report counted no figure of it
        if change.subject == Subject.ACTUAL and key[1] in indicators[key[0]]["values"]:
            first.setdefault(key, change)
            latest[key] = change
    # An overview's figures are several partnerships': each line names its own.
    whose = {
        change.indicator_id: change.indicator.partnership.name
        for change in changes
        if kind == Report.Kind.OVERVIEW
    }
    revisions = []
    for key in sorted(latest):
        entry, last = indicators[key[0]], latest[key]
        old, new = entry["values"][key[1]], (last.new or {}).get("value")
        if _same(old, new):
            continue
        measure = last.indicator.measure
        # The counts as published are those the first change since replaced (the version
        # froze the figure alone), unless the figure had changed before it was published.
        before = first[key].old
        published = _same(old, (before or {}).get("value"))
        revisions.append(
            Revision(
                entry["code"],
                entry["title"],
                periods.period_label(
                    datetime.date.fromisoformat(key[1]),
                    last.indicator.frequency,
                    last.indicator.partnership.fy_start_month,
                ),
                old,
                new,
                entry["places"],
                suffix=unit_suffix(measure),
                old_parts=_parts_of(before, measure) if published else None,
                new_parts=_parts_of(last.new, measure),
                partnership=whose.get(last.indicator_id, ""),
                partnership_id=last.indicator.partnership_id,
                indicator_id=last.indicator_id,
                period=key[1],
            )
        )
    targets = _target_revisions([c for c in changes if c.subject == Subject.TARGET])
    owner = {change.indicator_id: change.indicator.partnership_id for change in changes}
    return revisions + [
        Revision(
            r["code"],
            r["title"],
            r["what"],
            r["old"],
            r["new"],
            r["places"],
            target=True,
            partnership=whose.get(r["indicator"], ""),
            partnership_id=owner[r["indicator"]],
        )
        for r in targets
    ]


def revisions_published_later(
    revisions: list[Revision], later: Sequence[ReportVersion]
) -> list[Revision]:
    """The revision notice with each figure that a later published version (of ``later``,
    those this reader may open) gives as it is now marked with the first such version
    (``published_in``); a figure a later version revised, and revised again since, with
    the latest such version and its figure (``revised_in``, ``revised_value``). One
    query, none without a later version or a revised figure."""
    figures = [r for r in revisions if r.indicator_id is not None]
    if not later or not figures:
        return revisions
    shown = ReportVersion.objects.filter(pk__in=[v.pk for v in later]).values_list(
        "number", "shown__indicators"
    )
    given: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for number, indicators in sorted(shown):
        for revision in figures:
            values = ((indicators or {}).get(str(revision.indicator_id)) or {}).get("values")
            if (values or {}).get(revision.period) is not None:
                key = (str(revision.indicator_id), revision.period)
                given.setdefault(key, []).append((number, values[revision.period]))
    marked = []
    for revision in revisions:
        gave = given.get((str(revision.indicator_id), revision.period), [])
        first = next((number for number, value in gave if _same(value, revision.new)), None)
        revised = [(number, value) for number, value in gave if not _same(value, revision.old)]
        if first:
            marked.append(replace(revision, published_in=first))
        elif revised:
            number, value = revised[-1]
            marked.append(replace(revision, revised_in=number, revised_value=value))
        else:
            marked.append(revision)
    return marked


def revision_notice_for(user, revisions: list[Revision]) -> list[Revision]:
    """The revision notice (`revision_notice`, the same for every reader) as this reader
    may read it. Every reader is told which figures changed and what they were as
    published; what a figure is now is a live figure, so it goes only to a reader who may
    read its own partnership's live figures (an overview's, each of its partnerships'),
    unless a later version this reader may open publishes it (``published_in``: the figure
    alone, as the version froze it, not its counts now). No query: the reader's roles came
    with the page's access check."""
    from csp_portal.core import permissions

    def as_read(revision: Revision) -> Revision:
        if permissions.has_access_to(user, revision.partnership_id, permissions.Access.LIVE):
            return revision
        if revision.published_in:
            return replace(revision, new_parts=None)
        return replace(revision, new=None, new_parts=None, withheld=True)

    return [as_read(revision) for revision in revisions]


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
    an administrator may make one covering partnerships an officer of one of them cannot read)."""
    from csp_portal.core import permissions

    report_ids = list(report_ids)
    if not report_ids or permissions.is_site_admin(user):
        return set()
    through = Report.covers.through.objects.filter(report_id__in=report_ids)
    return {
        report_id
        for report_id, partnership_id in through.values_list("report_id", "partnership_id")
        if not permissions.has_access_to(user, partnership_id, permissions.Access.LIVE)
    }
