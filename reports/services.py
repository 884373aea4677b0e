"""Writes for reports: save a draft, publish a frozen version.

An edit of a stored draft writes only the parts the person changed, each with the value
their page showed (``Edits``); the row is locked and each part decided by
csp_portal.core.concurrency: a part someone else changed since the page was built is a
conflict (`StaleEdit`, nothing written). Publishing locks the row too, and refuses a
version asked for from a page that showed an older latest version (`PublishedMeanwhile`).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from csp_portal.core.concurrency import Outcome, decide
from csp_portal.core.models import Meeting, Partnership, ThemeGroup
from csp_portal.core.text import one_line_end
from indicators import data_version, periods

from . import builder, checks, rendering, selectors
from .models import SECTION_KEYS, Report, ReportVersion

# What of a report a form field edits: a field, ("title",); a key of one of its JSON
# fields, ("successes", "Safe and Strong"), ("implications", "legal", "officer"); the
# sections shown, ("sections", "shown"), or shown among some ("sections", "shown",
# "definitions"), or one section's position, ("sections", "risks").
Part = tuple[str, ...]
Edits = dict[Part, tuple[Any, Any]]  # part -> (value the page showed, value posted)


@transaction.atomic
def report_save(*, report: Report, by: User | None, covers=None) -> Report:
    """Validate and save a report's cover sheet and editor text (a draft until published)."""
    if report.pk is None:
        report.created_by = by
    report.full_clean()
    report.save()
    if covers is not None:
        report.covers.set(covers)
    return report


class StaleEdit(Exception):
    """Someone else changed these parts of the report after the form was opened."""

    def __init__(self, current: Report, parts: list[Part]):
        super().__init__(f"{current}: {', '.join(map(str, parts))} changed by someone else")
        self.current = current
        self.parts = parts


def report_part(report: Report, part: Part) -> Any:
    """The stored value of a part, as the form cleans it (sets for several choices)."""
    name, *keys = part
    if name == "covers":
        return frozenset(report.covers.values_list("pk", flat=True))
    if name == "sections":
        if keys[0] == "shown":
            among = keys[1:] or SECTION_KEYS
            return frozenset(key for key in report.shown_sections if key in among)
        return [s["key"] for s in report.sections].index(keys[0]) + 1
    value = getattr(report, name)
    if not keys:
        return value
    for key in keys:
        value = (value or {}).get(key)
    return value or ""


def _same(a: Any, b: Any) -> bool:
    """Texts compare as a browser sends them back (line ends, spaces at either end)."""
    if isinstance(a, str) and isinstance(b, str):
        return one_line_end(a).strip() == one_line_end(b).strip()
    return a == b


def _set_part(report: Report, part: Part, value: Any) -> None:
    name, *keys = part
    if not keys:
        setattr(report, name, value)
        return
    stored = dict(getattr(report, name) or {})
    if name == "implications":
        key, item = keys
        stored[key] = {"text": "", "officer": "", **stored.get(key, {}), item: value}
    elif name == "editor_comments" and not value.strip():
        stored.pop(keys[0], None)  # a blank comment is no comment
    else:
        stored[keys[0]] = value
    setattr(report, name, stored)


def _sections(report: Report, writes: dict[Part, Any]) -> list[dict]:
    """The stored sections with the shown set and positions written."""
    positions = {s["key"]: i + 1 for i, s in enumerate(report.sections)}
    shown = set(report.shown_sections)
    for (name, *keys), value in writes.items():
        if name != "sections":
            continue
        if keys[0] == "shown":
            shown = (shown - set(keys[1:] or SECTION_KEYS)) | set(value)
        else:
            positions[keys[0]] = value
    order = sorted(SECTION_KEYS, key=lambda k: (positions.get(k, 99), SECTION_KEYS.index(k)))
    return [{"key": key, "shown": key in shown} for key in order]


@transaction.atomic
def report_edit(*, report: Report, edits: Edits) -> tuple[Report, bool]:
    """Write the parts of a stored draft the person changed; whether anything changed.

    StaleEdit, writing nothing, if someone else changed any of them since the page was
    built; ValidationError if the report as it would be is invalid.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    writes, conflicts = {}, []
    for part, (shown, posted) in edits.items():
        outcome = decide(shown=shown, posted=posted, stored=report_part(report, part), same=_same)
        if outcome is Outcome.CONFLICT:
            conflicts.append(part)
        elif outcome is Outcome.WRITE:
            writes[part] = posted
    if conflicts:
        raise StaleEdit(report, conflicts)
    if not writes:
        return report, False
    for part, value in writes.items():
        if part[0] not in ("sections", "covers"):
            _set_part(report, part, value)
    report.sections = _sections(report, writes)
    report.full_clean()
    report.save()
    if ("covers",) in writes:
        report.covers.set(writes[("covers",)])
    return report, True


def report_snapshot(report: Report, *, at: datetime.datetime | None = None) -> dict:
    """The report as it would be published now."""
    return builder.build_snapshot(selectors.report_inputs(report, at=at))


def chart_specs(snapshot: dict) -> dict[str, dict]:
    """Chart id -> plotly figure dict, for every chart the report's HTML marks."""
    specs = {}
    for entry in snapshot.get("indicators", {}).values():
        for chart in entry["charts"]:
            specs[chart["id"]] = chart["spec"]
    return specs


def _documents_module():
    """The PDF and Word renderers, when they are installed (built alongside this app) and
    not switched off (settings.REPORTS_MAKE_DOCUMENTS, False in most tests: each drives
    a browser to draw the charts)."""
    if not getattr(settings, "REPORTS_MAKE_DOCUMENTS", True):
        return None
    try:
        from reports import documents
    except ImportError:
        return None
    return documents


def document_properties(
    title: str,
    snapshot: dict,
    published: datetime.datetime,
    *,
    number: int | None = None,
    reason: str = "",
) -> dict:
    """What the PDF and the Word file say of themselves: the title (with the month), the
    partnership as author, created and modified when published, and which version they
    are (``number``; None for a draft's) and why it was published again (``reason``). The
    same whenever a version's files are made, at publishing or at a later download."""
    return {
        "title": f"{title}, {snapshot['period_label']}",
        "author": snapshot["partnership"]["name"],
        "published": published,
        "version": number,
        "reason": reason,
    }


def report_documents(
    report: Report,
    snapshot: dict,
    html: str,
    *,
    published: datetime.datetime | None = None,
    number: int | None = None,
    reason: str = "",
    lap=None,
):
    """The PDF and Word files (None, None while the renderers are not installed), made
    as version ``number`` published at ``published`` for ``reason`` (by default a
    draft's, now, that build_report writes)."""
    documents = _documents_module()
    if documents is None:
        return None, None
    lap = lap or (lambda name: None)
    charts = chart_specs(snapshot)
    extra = document_properties(
        report.title, snapshot, published or timezone.now(), number=number, reason=reason
    )
    draw = getattr(documents, "chart_images", None)
    if draw is not None and charts:
        # One browser session draws every chart; both documents use the same images.
        extra["images"] = draw(charts)
        lap("charts")
    pdf = documents.render_pdf(html, charts=charts, **extra)
    lap("pdf")
    docx = documents.render_docx(html, charts=charts, **extra)
    lap("docx")
    return pdf, docx


@dataclass
class Published:
    version: ReportVersion
    timings: dict[str, float]


def documents_available() -> bool:
    """Whether the PDF and Word renderers are installed."""
    return _documents_module() is not None


class PublishedMeanwhile(Exception):
    """A version later than the one the person saw was published before theirs."""

    def __init__(self, version: ReportVersion):
        super().__init__(f"{version} was published meanwhile")
        self.version = version


REASON_LENGTH = ReportVersion._meta.get_field("reason").max_length
REASON_TOO_LONG = f"Give the reason in {REASON_LENGTH} characters or fewer"


def reason_needed(number: int) -> str:
    """What publishing version ``number`` (2 or later) without a reason is told."""
    return (
        f"Enter the reason for publishing version {number}, for example "
        "“Burglary figures for October corrected by the police”"
    )


def version_reason(text: str) -> str:
    """A reason as a version keeps it: on one line, without a closing full stop (the
    version line it is printed in has its own)."""
    return " ".join((text or "").split()).rstrip(".").rstrip()


def publish_changes(snapshot: dict) -> dict:
    """What the publish page lists above the reason it asks for a later version: the
    figures revised and received since the last report showed them, with their reasons
    (the snapshot's, as the report's own revision notes give them), each overview
    partnership's under its name (``changes``); and, when exactly one of them gives a
    reason that fits, that reason to offer in the box (``offered_reason``)."""
    groups = [{**snapshot, "name": ""}, *snapshot.get("overview", [])]
    changes = [
        {"name": g["name"], "revisions": g.get("revisions", []), "late": g.get("late_figures", [])}
        for g in groups
        if g.get("revisions") or g.get("late_figures")
    ]
    # One save gives its reason to every figure it changed: a reason given once is one.
    reasons = list(
        dict.fromkeys(
            version_reason(r.get("reason", ""))
            for group in changes
            for r in group["revisions"] + group["late"]
            if version_reason(r.get("reason", ""))
        )
    )
    simple = len(reasons) == 1 and len(reasons[0]) <= REASON_LENGTH
    return {"changes": changes, "offered_reason": reasons[0] if simple else ""}


def report_publish(
    *,
    report: Report,
    by: User | None,
    reason: str = "",
    at: datetime.datetime | None = None,
    documents: bool = True,
    seen: int | None = None,
) -> Published:
    """Freeze the report as its next version: snapshot, HTML, CSV, PDF and Word, stored.

    ``reason``: why a report already published is published again, kept with the new
    version and printed in its version line (page, PDF and Word); ValidationError on
    "reason", nothing stored, without one. A first version has nothing to replace, so it
    keeps none.
    With ``documents=False`` the PDF and Word files are left for
    ``version_documents_steps`` (the publish page makes them while showing progress).
    ``seen``: the latest version number the publish page showed (0 for none). If a later
    one is stored by the time the row is locked (someone else, or a second click),
    PublishedMeanwhile is raised and nothing is stored.
    """
    reason = version_reason(reason)
    # Checked before the report is built, and again once its row is locked (`_store`).
    latest = _latest(report)
    _check_publishable(latest, seen=seen, reason=reason)
    at = at or timezone.now()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    snapshot = report_snapshot(report, at=at)
    lap("snapshot")
    html = rendering.render_document(snapshot)
    csv = rendering.report_csv(snapshot)
    lap("html_csv")
    # The files say which version they are: the number this one will take, checked when
    # it is stored (`_store`).
    number = (latest.number if latest else 0) + 1
    pdf, docx = (
        report_documents(
            report,
            snapshot,
            html,
            published=at,
            number=number,
            reason=reason if number > 1 else "",
            lap=lap,
        )
        if documents
        else (None, None)
    )
    version = _store(
        report,
        snapshot,
        html,
        csv,
        pdf,
        docx,
        by=by,
        at=at,
        timings=timings,
        seen=seen,
        number=number,
        reason=reason,
    )
    lap("store")
    return Published(version, timings)


def _latest(report: Report) -> ReportVersion | None:
    """The report's latest version, as much of it as a refusal to publish names."""
    return (
        report.versions.only("number", "published_at", "published_by").order_by("-number").first()
    )


def _check_publishable(latest: ReportVersion | None, *, seen: int | None, reason: str) -> None:
    """PublishedMeanwhile if a version later than the one seen is stored; ValidationError
    if the report is published already and no reason is given for publishing it again."""
    if seen is not None and latest is not None and latest.number > seen:
        raise PublishedMeanwhile(latest)
    if latest is not None and not reason:
        raise ValidationError({"reason": reason_needed(latest.number + 1)})
    if len(reason) > REASON_LENGTH:
        raise ValidationError({"reason": REASON_TOO_LONG})


@transaction.atomic
def _store(
    report, snapshot, html, csv, pdf, docx, *, by, at, timings, seen, number, reason
) -> ReportVersion:
    # Lock the report's row: a second publisher waits here, then finds the first's version.
    # An update locks it on both databases. SQLite ignores select_for_update, and there a
    # transaction that has read cannot then write while another is writing ("database is
    # locked"); one that starts by writing waits its turn.
    Report.objects.filter(pk=report.pk).update(updated_at=F("updated_at"))
    latest = _latest(report)
    _check_publishable(latest, seen=seen, reason=reason)
    if (latest.number if latest else 0) + 1 != number:
        # Another version was stored while these files were made: theirs is the wrong
        # number. They are left to be made on the first download (`version_documents_fill`).
        number, pdf, docx = (latest.number if latest else 0) + 1, None, None
    version = ReportVersion(
        report=report,
        number=number,
        snapshot=snapshot,
        title=report.title,
        exempt=report.exempt,
        meeting_label=report.meeting_label,
        meeting_date=report.date_of_meeting,
        shown=builder.shown_figures(snapshot),
        indicator_ids=builder.shown_indicator_ids(snapshot),
        html=html,
        csv=csv,
        pdf=pdf,
        docx=docx,
        published_at=at,
        published_by=by,
        reason=reason if number > 1 else "",
        timings={k: round(v, 4) for k, v in timings.items()},
    )
    version.full_clean(exclude=["report", "published_by"])
    version.save()
    # Whose figures it froze: an overview locks those of the partnerships it covers, whose
    # drafts now count revisions from it (their data version changes; its own changed with
    # the save).
    shown = builder.shown_partnership_ids(snapshot, report.partnership_id)
    version.partnerships_shown.add(*shown)
    version.covered.add(*builder.covered_partnership_ids(snapshot))
    data_version.data_changed(partnership_ids=set(shown) - {report.partnership_id})
    return version


DOCUMENT_STEPS = {
    "charts": "Charts drawn",
    "pdf": "PDF made",
    "docx": "Word document made",
    "store": "PDF and Word document stored",
}


def version_documents_steps(version: ReportVersion) -> Iterator[str]:
    """Make a published version's PDF and Word files, yielding each step as it is done.

    Only fills files that are missing, so a stored file never changes. They are made from
    what the version stored, so they come out the same whenever they are made. Each is
    stored as soon as it is made: a Word file that fails leaves the PDF stored.
    """
    documents = _documents_module()
    if documents is None or (version.pdf is not None and version.docx is not None):
        return
    snapshot = version.snapshot
    charts = chart_specs(snapshot)
    extra = document_properties(
        version.title, snapshot, version.published_at, number=version.number, reason=version.reason
    )
    draw = getattr(documents, "chart_images", None)
    if draw is not None and charts:
        extra["images"] = draw(charts)
        yield "charts"
    # Stored before the step is shown: a page closed now loses none of the work.
    if version.pdf is None:
        pdf = documents.render_pdf(version.html, charts=charts, **extra)
        ReportVersion.objects.filter(pk=version.pk, pdf__isnull=True).update(pdf=pdf)
    yield "pdf"
    if version.docx is None:
        docx = documents.render_docx(version.html, charts=charts, **extra)
        ReportVersion.objects.filter(pk=version.pk, docx__isnull=True).update(docx=docx)
    yield "docx"
    yield "store"


# How long after making a missing file failed a download tries again (an editor's at once).
FILES_RETRY = datetime.timedelta(minutes=5)


def version_documents_failed(version: ReportVersion) -> None:
    """Record that making a version's files failed now: downloads in the next FILES_RETRY
    do not try again (`version_documents_fill`)."""
    ReportVersion.objects.filter(pk=version.pk).update(files_failed_at=timezone.now())


def version_documents_fill(*, version: ReportVersion, now_allowed: bool = False) -> ReportVersion:
    """Make and store a published version's missing PDF and Word files, as publishing
    does: the publish page makes them while it is open, and closing it early (or a
    dropped connection) leaves them unmade. Returns the version with its files (still
    None while the renderers are not installed, or while they failed within FILES_RETRY,
    unless ``now_allowed``: an editor asking).

    A failure is recorded on the version (``files_failed_at``) and raised: downloads in the
    next FILES_RETRY do not redo seconds of work only to fail again.

    On PostgreSQL the version's row is locked first (an update, as `_store` explains), so
    two downloads at once make them once: the second waits, then finds them stored. SQLite
    would lock the whole database for the seconds the files take, stopping every save in
    the site: there two first downloads at once may both make them, the same bytes, and
    the first stored is kept (`version_documents_steps` fills only what is missing)."""
    failed_at = (
        ReportVersion.objects.filter(pk=version.pk).values_list("files_failed_at", flat=True).get()
    )
    if now_allowed or failed_at is None or timezone.now() - failed_at >= FILES_RETRY:
        if connection.vendor == "sqlite":
            failure = _fill(version.pk)
        else:
            with transaction.atomic():  # committed even when one file failed: the other is kept
                ReportVersion.objects.filter(pk=version.pk).update(number=F("number"))
                failure = _fill(version.pk)
        if failure is not None:
            version_documents_failed(version)
            raise failure
        if failed_at is not None:
            ReportVersion.objects.filter(pk=version.pk).update(files_failed_at=None)
    return ReportVersion.objects.only("pk", "number", "pdf", "docx", "files_failed_at").get(
        pk=version.pk
    )


def _fill(pk: int) -> Exception | None:
    """Makes the missing files; what stopped making one, if anything did."""
    try:
        for _ in version_documents_steps(ReportVersion.objects.get(pk=pk)):
            pass
    except Exception as error:  # the renderers' failures are many kinds
        return error
    return None


def publish_checks(report: Report, snapshot: dict) -> dict:
    """What an editor is told before publishing, without being stopped: red indicators with
    no open action, no figures, cover sheet gaps and the text checks' warnings."""
    return {**publish_findings(report, snapshot), "text_warnings": checks.report_warnings(snapshot)}


def publish_findings(report: Report, snapshot: dict) -> dict:
    """What the publish page shows of the report as it would be published now, but for the
    text checks' warnings (kept apart: the preview shows them too): ``publish_checks``'
    other findings, each red indicator by its id, title and code alone, what has changed
    since the last report (``publish_changes``) and the months the report covers. Small,
    so it is kept between requests under the draft's key (reports/views.py)."""
    context = rendering.document_context(snapshot)
    # An overview's indicators are its partnerships': their reds count as the report's own.
    covered = [e for block in snapshot.get("overview", []) for e in block["indicators"]]
    red = [e for e in [*snapshot["indicators"].values(), *covered] if e["status"] == "red"]
    without_action = context["red_without_action"] + [
        e for e in covered if e["status"] == "red" and not _open_action(e)
    ]
    return {
        "red_without_action": [
            {"id": e.get("id"), "title": e["title"], "code": e["code"]} for e in without_action
        ],
        "any_red": bool(red),
        # A report with no figure for its months has no findings: warn, not refuse. One
        # before the first quarter ends may table last year's quarters alone.
        "no_figures": not snapshot.get("figures_to_date", bool(snapshot["indicators"]))
        and report.kind != Report.Kind.OVERVIEW,
        "cover_gaps": _cover_gaps(
            report, context["implications_given"], snapshot.get("formats") or {}
        ),
        **publish_changes(snapshot),
        "span_label": snapshot["span_label"],
        "period_label": snapshot["period_label"],
        "has_indicators": bool(snapshot["indicators"]),
    }


def publish_check_lines(found: dict, snapshot: dict) -> list[str]:
    """``publish_checks``' findings as lines of plain text (for the command line)."""
    lines = []
    if found["no_figures"]:
        tables = (
            "the report tables last year's figures only"
            if snapshot["indicators"]
            else "the report has no key findings and no tables of performance"
        )
        lines.append(f"No figures have been entered for {snapshot['span_label']}: {tables}.")
    for entry in found["red_without_action"]:
        lines.append(f"{entry['title']} ({entry['code']}) is red with no open action linked to it.")
    if found["cover_gaps"]:
        lines.append(f"The cover sheet does not give: {'; '.join(found['cover_gaps'])}.")
    lines.extend(f"{warning.where}: {warning.message}" for warning in found["text_warnings"])
    return lines


def _open_action(entry: dict) -> bool:
    """Whether an indicator entry has an open action linked to it."""
    return any(action.get("open", True) for action in entry.get("actions") or [])


def _cover_gaps(report: Report, implications_given: bool, formats: Mapping) -> list[str]:
    """What the cover sheet leaves out that a council report template asks for: the
    editor is told before publishing (the report itself says "Not given"). Without a
    contact email, what the files give instead to ask for another format."""
    gaps = [
        label
        for label, value in (
            ("who the report is of", report.report_of),
            ("a contact officer", report.contact_officer),
        )
        if not value.strip()
    ]
    if not report.contact_email.strip():
        fallback = formats.get("email")
        gaps.append(
            f"a contact email (for another format the files will ask readers to email {fallback})"
            if fallback
            else "a contact email (the files give no address to ask for another format)"
        )
    if not implications_given:
        gaps.append("its implications (financial, legal and the rest) and their sign-off")
    return gaps


def report_default(
    *,
    partnership: Partnership,
    period: datetime.date,
    theme_group: ThemeGroup | None = None,
    by: User | None = None,
    today: datetime.date | None = None,
) -> Report:
    """A new draft with the default sections and cover sheet: for scheduled jobs and checks.

    It goes to the partnership's next scrutiny panel (or board) after the period, if one is
    listed, else to a scrutiny panel today.
    """
    today = today or timezone.localdate()
    meetings = Meeting.objects.filter(partnership=partnership, date__gt=period).order_by("date")
    meeting = (
        meetings.filter(kind=Meeting.Kind.SCRUTINY_PANEL).first()
        or meetings.filter(kind=Meeting.Kind.BOARD).first()
    )
    subject = theme_group.name if theme_group else partnership.name
    span = f"{subject} from the start of the financial year to {periods.month_label(period)}"
    # The summary claims figures only where there are some (the report then says so too).
    if selectors.figures_entered(partnership, period, theme_group):
        summary = f"Performance of {span}, with the figures that need the panel's attention."
    else:
        summary = f"No figures have been entered for {span}."
    report = Report(
        partnership=partnership,
        theme_group=theme_group,
        period=period,
        meeting=meeting,
        meeting_kind="" if meeting else Meeting.Kind.SCRUTINY_PANEL,
        meeting_date=None if meeting else today,
        title=f"{subject} performance update",
        report_of=theme_group.chair if theme_group else "",
        coordinator=theme_group.coordinator if theme_group else "",
        executive_summary=summary,
    )
    return report_save(report=report, by=by)
