"""Writing the checked rows of the four indicator tables, matched by natural key.

Called inside the import's one transaction; each function returns its counts.
"""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.utils import timezone

from csp_portal.core.history import (
    changes_described,
    import_logged,
    imports_added,
    value_words,
    values_described,
)
from csp_portal.core.models import Partnership, ThemeGroup

from .. import commentary, periods
from ..data_version import data_changed
from ..models import Actual, FigureChange, Indicator, Target
from ..selectors import baselines_without_figures
from ..services import (
    TargetLocked,
    TargetMonitored,
    figure_snapshot,
    rated_baseline_words,
    target_set,
    targets_kept_words,
)
from ..validation import plain_number, profile_drop_words, profile_drops, same_number
from .context import ImportContext
from .copying import insert_rows

BATCH = 5000


def _locked(changing: list[tuple[int, dict, bool]], indicators: dict[int, Indicator], ctx) -> bool:
    """Whether any figure the import would add (``changing``'s flag) or change is locked
    (`reports.selectors.figure_lock`: a published report covers its month, or it is in the
    baseline year of a change target one rated): each is a row error naming the report and
    why (one query per chunk), in row order. On the month sheet such a change needs a
    reason, which a file cannot give. A note alone may change: the report shows figures,
    not notes."""
    # Reports build on indicators, not the reverse.
    from reports.selectors import baseline_years, figure_lock, frozen_by

    if not changing:
        return False
    # Per indicator, not per figure: a national import changes millions of figures.
    partnerships = {
        indicators[pk].partnership_id: indicators[pk].partnership
        for pk in {pk for pk, _, _ in changing}
    }
    published: dict[int, list] = {}
    for frozen in frozen_by(partnerships):
        published.setdefault(frozen.partnership_id, []).append(frozen)
    if not published:
        return False
    baselines = baseline_years({pk for pk, _, _ in changing})
    found = False
    # Grouped by indicator to be written: the errors go by row, as the file has them.
    for pk, item, added in sorted(changing, key=lambda change: change[1]["row"]):
        indicator = indicators[pk]
        lock = figure_lock(
            pk,
            indicator.frequency,
            item["period"],
            partnerships[indicator.partnership_id].fy_start_month,
            published.get(indicator.partnership_id, ()),
            baselines,
        )
        if lock is not None:
            where = f"{indicator.code} {item['period']:%Y-%m}"
            title = lock.first.title
            if lock.why == "baseline":  # a rated change target's, which no report covers
                start = partnerships[indicator.partnership_id].fy_start_month
                frozen = max(lock.rating, key=lambda frozen: frozen.published_at)
                rated = rated_baseline_words(
                    [indicator.code],
                    frozen,
                    periods.financial_year_of(frozen.period, start),
                    start,
                    quotes="''",
                )
                baseline = periods.fy_label(periods.financial_year_of(item["period"], start), start)
                message = f"{where} is in {baseline}, {rated}; " + (
                    "enter it on the month sheet with a reason (a late figure)"
                    if added
                    else "change it on the month sheet with a reason"
                )
            elif added:
                message = (
                    f"{where} has no figure in the published report '{title}'; "
                    "enter it on the month sheet with a reason (a late figure)"
                )
            else:
                message = (
                    f"{where} is in the published report '{title}'; "
                    "change it on the month sheet with a reason"
                )
            ctx.error_at("actuals", item["row"], message)
            found = True
    return found


def apply_partnerships(items: list[dict], ctx: ImportContext) -> Counter:
    counts: Counter = Counter()
    current = {p.slug: p for p in Partnership.objects.filter(slug__in=[i["slug"] for i in items])}
    for item in items:
        values = {"name": item["name"], **item["extras"]}
        if item["local_authorities"] is not None:
            values["local_authorities"] = item["local_authorities"]
        found = current.get(item["slug"])
        if found is None:
            found = Partnership.objects.create(slug=item["slug"], area=item["name"], **values)
            import_logged(row=found, by=ctx.user, changes=None, source=ctx.source)
            ctx.row_changed(
                "partnerships",
                found.slug,
                new=values_described(
                    Partnership, {"name": found.name, "population": found.population}
                ),
            )
            counts["created"] += 1
        elif all(getattr(found, f) == v for f, v in values.items()):
            counts["unchanged"] += 1
        else:
            old = {f: getattr(found, f) for f in values}
            for f, v in values.items():
                setattr(found, f, v)
            found.save(update_fields=list(values))
            changes = changes_described(Partnership, old, values)
            import_logged(row=found, by=ctx.user, changes=changes, source=ctx.source)
            ctx.row_changed("partnerships", found.slug, changes)
            counts["updated"] += 1
        ctx.remember_partnership(found)
    return counts


def apply_indicators(items: list[dict], ctx: ImportContext) -> Counter:
    counts: Counter = Counter()
    indicators = ctx.indicators()
    new: list[Indicator] = []
    made_monitoring: dict[int, str] = {}  # id -> the indicator as the report names it
    for item in items:
        values = {"title": item["title"], "polarity": item["polarity"], "measure": item["measure"]}
        # None: the file has no such column, and what is stored stays.
        if item["theme_group"] is not None:
            values["theme_group"] = ctx.theme_group(
                item["partnership"], item["theme_group"], create=True
            )
        for field in ("frequency", "tolerance", "police_uk_crime_types"):
            if item[field] is not None:
                values[field] = item[field]
        if item["unit"]:
            values["unit"] = item["unit"]
        values.update(item["extras"])
        current = indicators.get((item["partnership"], item["code"]))
        if current is None:
            created = Indicator(
                partnership=ctx.partnership(item["partnership"]), code=item["code"], **values
            )
            indicators[item["partnership"], item["code"]] = created
            new.append(created)
            ctx.row_changed(
                "indicators",
                ctx.row_key(item["partnership"], item["code"]),
                new=values_described(
                    Indicator, {"title": created.title, "measure": created.measure}
                ),
            )
            continue
        changed = [
            f
            for f, v in values.items()
            if (
                not same_number(getattr(current, f), v)
                if isinstance(v, Decimal)
                else getattr(current, f) != v
            )
        ]
        if not changed:
            counts["unchanged"] += 1
            continue
        changes = None
        if ctx.wants_rows("indicators") or ctx.user is not None:
            changes = _indicator_changes(current, {f: values[f] for f in changed})
        if ctx.wants_rows("indicators"):
            ctx.row_changed("indicators", ctx.row_key(item["partnership"], item["code"]), changes)
        if "polarity" in changed and values["polarity"] == Indicator.Polarity.MONITOR:
            made_monitoring[current.pk] = ctx.row_key(item["partnership"], item["code"])
        for f in changed:
            setattr(current, f, values[f])
        current.save(update_fields=changed)
        if changes is not None:
            import_logged(row=current, by=ctx.user, changes=changes, source=ctx.source)
        counts["updated"] += 1
    _note_targets_kept(made_monitoring, ctx)
    Indicator.objects.bulk_create(new, batch_size=BATCH)
    imports_added(rows=new, by=ctx.user, source=ctx.source)
    # bulk_create sends no signals: new indicators change their partnerships' pages.
    data_changed(partnership_ids={i.partnership_id for i in new})
    counts["created"] += len(new)
    return counts


def _note_targets_kept(made_monitoring: dict[int, str], ctx: ImportContext) -> None:
    """Say that the targets of indicators the import makes monitoring only are kept, though
    no longer measured against: a note, not a refusal."""
    if not made_monitoring:
        return
    with_targets = Target.objects.filter(indicator_id__in=made_monitoring)
    ids = set(with_targets.values_list("indicator_id", flat=True))
    if ids:
        ctx.notes.append(
            targets_kept_words([name for pk, name in made_monitoring.items() if pk in ids])
        )


def _indicator_changes(indicator: Indicator, values: dict) -> list[str]:
    """The report's words for an indicator's changed fields (a theme group by its name)."""

    def words(value):
        return value.name if isinstance(value, ThemeGroup) else value

    old = {f: words(getattr(indicator, f)) for f in values}
    return changes_described(Indicator, old, {f: words(v) for f, v in values.items()})


def apply_targets(items: list[dict], ctx: ImportContext) -> Counter:
    # Targets are few (a dozen a year at most per indicator): the audited service per row.
    counts: Counter = Counter()
    for item in items:
        indicator = ctx.indicator(item["partnership"], item["code"])
        try:
            _, outcome = target_set(
                indicator=indicator,
                financial_year=item["financial_year"],
                kind=item["kind"],
                value=item["value"],
                baseline_year=item["baseline_year"],
                period=item["period"],
                by=ctx.user,
                source=ctx.source,
            )
        except TargetMonitored as monitored:
            # A target kept from before, read back unchanged (an export), is let through.
            ctx.error_at("targets", item["row"], str(monitored))
            continue
        except TargetLocked as locked:
            # A file gives no reason; the row error rolls the whole import back.
            start = locked.indicator.partnership.fy_start_month
            label = periods.fy_label(item["financial_year"], start)
            if locked.lock.rated:
                why = f"the {label} target is in the published report '{locked.title}'"
            else:
                why = (
                    f"the published report '{locked.title}' showed {locked.indicator.code} "
                    f"with no target for {label}"
                )
            ctx.error_at(
                "targets",
                item["row"],
                f"{why}; change it on the indicator's target page with a reason",
            )
            continue
        if outcome in ("created", "updated"):
            start = indicator.partnership.fy_start_month
            key = f"{indicator.code} {periods.fy_label(item['financial_year'], start)}"
            if item["period"]:
                key += f" {periods.month_label(item['period'])}"
            words = commentary.target_words(
                {
                    "kind": item["kind"],
                    "value": item["value"],
                    "baseline_year": item["baseline_year"],
                },
                indicator.measure,
                start,
            )
            if outcome == "created":
                ctx.row_changed("targets", ctx.row_key(item["partnership"], key), new=words)
            else:  # the stored target it replaces is the service's
                ctx.row_changed("targets", ctx.row_key(item["partnership"], key), [f"now {words}"])
            if item["kind"] == Target.Kind.CHANGE_PCT:
                ctx.later("baselines", _check_baselines).append(
                    (item["row"], indicator, item["baseline_year"])
                )
        counts[outcome if outcome in ("created", "updated") else "unchanged"] += 1
    _check_profiles(items, ctx)
    return counts


def _check_baselines(ctx: ImportContext, changes: list[tuple[int, Indicator, int]]) -> None:
    """Each change target the import set, against a baseline year with no figures, is a row
    error, as on the target page. Checked once every table is written, so that figures in
    actuals.csv (written after targets.csv) count; one query for the whole file. A target
    read back unchanged is let through, as one kept from before the rule."""
    refused = baselines_without_figures((indicator, year) for _, indicator, year in changes)
    for row, indicator, year in changes:
        if (indicator.pk, year) in refused:
            ctx.error_at(
                "targets",
                row,
                f"{refused[indicator.pk, year]}: give a baseline_year with figures (stored, "
                "or in actuals.csv), or an annual target instead",
            )


def _check_profiles(items: list[dict], ctx: ImportContext) -> None:
    """A cumulative profile as it stands after the import, stored points and the file's
    together, must not go down (the target page refuses it so): a row error if it does."""
    first_rows: dict[tuple, int] = {}
    for item in items:
        if item["kind"] == Target.Kind.CUMULATIVE:
            indicator = ctx.indicator(item["partnership"], item["code"])
            first_rows.setdefault((indicator, item["financial_year"]), item["row"])
    if not first_rows:
        return
    # Every profile the file touched, read in one query (not one per indicator and year).
    stored: dict[tuple[int, int], dict] = defaultdict(dict)
    for indicator_id, year, period, value in Target.objects.filter(
        indicator__in={indicator for indicator, _ in first_rows},
        financial_year__in={year for _, year in first_rows},
        kind=Target.Kind.CUMULATIVE,
    ).values_list("indicator_id", "financial_year", "period", "value"):
        stored[indicator_id, year][period] = value
    for (indicator, year), row in first_rows.items():
        drops = profile_drops(indicator.measure, stored[indicator.pk, year])
        if drops:
            ctx.error_at(
                "targets",
                row,
                f"a cumulative target cannot go down: with the {indicator.code} profile "
                "already stored, "
                + profile_drop_words(
                    drops[0],
                    quarterly=indicator.frequency == "quarterly",
                    start_month=indicator.partnership.fy_start_month,
                ),
            )


ACTUAL_FIELDS = [
    "indicator",
    "period",
    "value",
    "numerator",
    "denominator",
    "note",
    "entered_by",
    "entered_at",
    "version",
]
AUDIT_FIELDS = [
    "indicator",
    "subject",
    "period",
    "financial_year",
    "old",
    "new",
    "reason",
    "source",
    "changed_by",
    "changed_at",
]


def _snapshot(made: dict, value, numerator, denominator) -> dict:
    """figure_snapshot, one object for every figure of the same value and no parts (equal
    numbers have the same snapshot text, but for the sign of a zero): written many times,
    encoded once (copying.py)."""
    if numerator is not None or denominator is not None:
        return figure_snapshot(value, numerator, denominator)
    key = (value, value.is_signed())
    found = made.get(key)
    if found is None:
        found = made[key] = figure_snapshot(value, None, None)
    return found


def _figure_key(indicator: Indicator, period: datetime.date, ctx: ImportContext) -> str:
    """A figure as the report names it: "SP 01 October 2016"."""
    key = f"{indicator.code} {periods.month_label(period)}"
    return ctx.row_key(indicator.partnership.slug, key)


def _figure_changes(stored: list, value, numerator, denominator, note: str) -> list[str]:
    """The report's words for a stored figure an import changes."""

    def words(number: Decimal | None) -> str:
        return value_words(None if number is None else Decimal(plain_number(number)))

    changes = [
        f"{label} from {words(was)} to {words(now)}"
        for label, was, now in (
            ("Value", stored[0], value),
            ("Numerator", stored[1], numerator),
            ("Denominator", stored[2], denominator),
        )
        if not same_number(was, now)
    ]
    if stored[3] != note:
        changes.append(f"Note from {value_words(stored[3])} to {value_words(note)}")
    return changes


def _figure_words(measure: str, value: Decimal, numerator, denominator) -> str:
    """A new figure as the report names it, exactly and with its unit, as the site writes
    a level: "1,500", "90% (45 of 50)", "12.5 per 1,000"."""

    def words(number: Decimal) -> str:
        return value_words(Decimal(plain_number(number)))

    shown = words(value)
    if measure == "percentage":
        shown += "%"
    elif measure == "rate":
        shown += " per 1,000"
    if numerator is not None and denominator is not None:
        shown += f" ({words(numerator)} of {words(denominator)})"
    return shown


def _stored_from_parts(item: dict) -> list[str]:
    """ "value 89 stored as 88.8889 from 16 of 18": a file's value within rounding of its
    parts', which is what is stored (none when the file's value is the one stored)."""
    given = item.get("given")
    if given is None:
        return []
    value, numerator, denominator = (
        plain_number(item[name]) for name in ("value", "numerator", "denominator")
    )
    return [f"value {plain_number(given)} stored as {value} from {numerator} of {denominator}"]


def apply_actuals(items: list[dict], ctx: ImportContext) -> Counter:
    counts: Counter = Counter()
    by_indicator: dict[int, list[dict]] = defaultdict(list)
    indicators = ctx.indicators()
    # The chunk's own indicators, each looked up once (a national import has thousands).
    pk_of: dict[tuple[str, str], int] = {}
    indicators_by_pk: dict[int, Indicator] = {}
    for item in items:
        key = (item["partnership"], item["code"])
        pk = pk_of.get(key)
        if pk is None:
            indicator = indicators[key]
            pk = pk_of[key] = indicator.pk
            indicators_by_pk[pk] = indicator
        by_indicator[pk].append(item)
    # (indicator, period) -> (id, value, numerator, denominator, note, version): plain
    # tuples, as a re-import compares every row and changes few.
    existing: dict[tuple[int, datetime.date], tuple] = {}
    # Locked until the import commits: a figure saved on the month sheet meanwhile waits,
    # rather than being overwritten by a value compared with what it replaced.
    if by_indicator:
        ids = list(by_indicator)
        months = [item["period"] for item in items]
        for start in range(0, len(ids), 500):
            found = (
                Actual.objects.select_for_update()
                .filter(
                    indicator_id__in=ids[start : start + 500],
                    period__gte=min(months),
                    period__lte=max(months),
                )
                .values_list(
                    "indicator_id",
                    "period",
                    "id",
                    "value",
                    "numerator",
                    "denominator",
                    "note",
                    "version",
                )
            )
            for indicator_id, period, *stored in found.order_by("id"):  # locked in one order
                existing[indicator_id, period] = stored
    now = timezone.now()
    by_id = ctx.user.pk if ctx.user else None
    actual_subject = FigureChange.Subject.ACTUAL.value
    new: list[tuple] = []
    changed: list[Actual] = []
    audit: list[tuple] = []
    changing: list[tuple[int, dict]] = []  # (indicator pk, item) of every figure written
    # Of those, the ones whose figure changes (not only the note): a published report
    # shows figures, not notes, so only these need a reason in a locked month.
    refigured: list[tuple[int, dict, bool]] = []  # and whether it is a new figure
    source = ctx.source
    snapshots: dict = {}
    for pk, group in by_indicator.items():
        for item in group:
            period = item["period"]
            value, numerator, denominator = item["value"], item["numerator"], item["denominator"]
            note = item["note"]  # None: the file has no note column
            current = existing.get((pk, period)) if existing else None
            if current is None:
                old = None
                note = note or ""
                new.append((pk, period, value, numerator, denominator, note, by_id, now, 1))
                refigured.append((pk, item, True))
                if ctx.wants_rows("actuals"):
                    indicator = indicators_by_pk[pk]
                    words = _figure_words(indicator.measure, value, numerator, denominator)
                    ctx.row_changed(
                        "actuals",
                        _figure_key(indicator, period, ctx),
                        new="; ".join([words, *_stored_from_parts(item)]),
                    )
                snapshot = _snapshot(snapshots, value, numerator, denominator)
            else:
                actual_id, *stored, version = current
                # A column the file lacks leaves what is stored: the note, and the parts of
                # a figure whose value it gives unchanged (a new value replaces them).
                if note is None:
                    note = stored[3]
                if not item["parts"] and same_number(stored[0], value):
                    numerator, denominator = stored[1], stored[2]
                same_figure = (
                    same_number(stored[0], value)
                    and same_number(stored[1], numerator)
                    and same_number(stored[2], denominator)
                )
                if same_figure and stored[3] == note:
                    counts["unchanged"] += 1
                    continue
                old = figure_snapshot(*stored[:3])
                snapshot = _snapshot(snapshots, value, numerator, denominator)
                if not same_figure:
                    refigured.append((pk, item, False))
                if stored[3] != note:  # the audit keeps the notes too
                    old = {**old, "note": stored[3]}
                    snapshot = {**snapshot, "note": note}
                if ctx.wants_rows("actuals"):
                    ctx.row_changed(
                        "actuals",
                        _figure_key(indicators_by_pk[pk], period, ctx),
                        _figure_changes(stored, value, numerator, denominator, note)
                        + _stored_from_parts(item),
                    )
                changed.append(
                    Actual(
                        id=actual_id,
                        value=value,
                        numerator=numerator,
                        denominator=denominator,
                        note=note,
                        entered_by_id=by_id,
                        entered_at=now,
                        version=version + 1,
                    )
                )
            changing.append((pk, item))
            audit.append(
                (
                    pk,
                    actual_subject,
                    period,
                    item["financial_year"],
                    old,
                    snapshot,
                    "",
                    source,
                    by_id,
                    now,
                )
            )
    if _locked(refigured, indicators_by_pk, ctx):
        return counts  # the row errors roll the whole import back
    # The updates first: the connection is the COPY thread's from the moment a COPY starts
    # until the next wait() (an UPDATE sent meanwhile hung on PostgreSQL).
    Actual.objects.bulk_update(
        changed,
        ["value", "numerator", "denominator", "note", "version", "entered_by", "entered_at"],
        batch_size=BATCH,
    )
    insert_rows(Actual, ACTUAL_FIELDS, new, background=ctx.background)
    insert_rows(FigureChange, AUDIT_FIELDS, audit, background=ctx.background)
    # COPY and bulk_update send no signals: the figures' version changes here.
    data_changed(indicator_ids={pk for pk, _ in changing})
    counts["created"] += len(new)
    counts["updated"] += len(changed)
    return counts
