import hashlib
import logging
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from csp_portal.core import concurrency
from csp_portal.core.caching import KeptBytes, cached, page_from_cache, page_to_cache
from csp_portal.core.models import Partnership
from csp_portal.core.permissions import (
    Access,
    has_access,
    is_site_admin,
    partnership_for,
    reports_partnership_for,
    roles_by_partnership,
)
from csp_portal.core.prepared import PreparedRows
from csp_portal.core.text import joined
from indicators.models import Indicator

from . import checks, rendering, selectors, services, sources
from .forms import PublishForm, ReportForm
from .models import Report, ReportVersion
from .sections import formats_contact

logger = logging.getLogger(__name__)

# Where the stored report goes in the rendered page (a comment no report contains).
DOCUMENT_MARK = mark_safe("<!-- report-document-7f3a -->")

# The published reports last read, in this process: 32 MB holds some twenty of 30 indicators.
STORED_DOCUMENTS = KeptBytes(limit=32 * 1024 * 1024)

FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}
FILE_NAMES = {"pdf": "PDF", "docx": "Word document"}


def _reader_partnership(request, slug) -> Partnership:
    """Members read published reports; anyone may when the partnership makes them public.
    Anyone else signed out is asked to sign in rather than told nothing is there."""
    try:
        return reports_partnership_for(request.user, slug)
    except Http404:
        if not request.user.is_authenticated:
            raise _SignIn from None
        raise


class _SignIn(Exception):
    pass


def _readable(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignIn:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _report(partnership, pk) -> Report:
    try:
        return selectors.report_for(partnership, pk)
    except Report.DoesNotExist:
        raise Http404("No report found") from None


def _check_overview(user, pk: int, kind: str) -> None:
    """404 for an overview covering a partnership whose live figures the user may not
    read (`selectors.overviews_closed_to`), as for any partnership they may not read."""
    if kind == Report.Kind.OVERVIEW and selectors.overviews_closed_to(user, [pk]):
        raise Http404("No report found")


def _open_to(request, report, versions: list[ReportVersion], partnership) -> list[ReportVersion]:
    """The versions this reader may open under ``partnership``'s address. Exempt ones
    (Schedule 12A) reach members only: a version published as exempt stays so whatever the
    draft now says, and ticking "exempt" on the draft withdraws every version from the
    public at once. An overview reaches the public only while every partnership it covers
    makes its reports public (`selectors.overview_versions_public`), and only under the
    partnership it is filed under; under another, its members read the versions that
    covered it when published (``versions`` are those already: `selectors.covering_versions`)."""
    if report.partnership_id != partnership.pk:
        return versions if has_access(request.user, partnership, Access.PUBLISHED) else []
    if has_access(request.user, report.partnership, Access.PUBLISHED):
        return versions
    if report.exempt:
        return []
    if report.kind == Report.Kind.OVERVIEW:
        versions = selectors.overview_versions_public(report, versions)
    return [v for v in versions if not v.exempt]


@require_safe
@_readable
def report_list(request, slug):
    partnership = _reader_partnership(request, slug)
    can_view_live = has_access(request.user, partnership, Access.LIVE)
    member = has_access(request.user, partnership, Access.PUBLISHED)
    reports = selectors.report_list(partnership, drafts=can_view_live, exempt=member, covered=True)
    # Overviews filed under another partnership that cover this one: edited there, and read
    # here by members; the public reads them there alone, so their links go there.
    elsewhere = {r.report.pk for r in reports if r.report.partnership_id != partnership.pk}
    # Overviews whose drafts this user may not open: listed only once published, and
    # without an edit link.
    closed = elsewhere | selectors.overviews_closed_to(
        request.user,
        [
            r.report.pk
            for r in reports
            if r.report.kind == Report.Kind.OVERVIEW and r.report.pk not in elsewhere
        ],
    )
    return render(
        request,
        "reports/report_list.html",
        {
            "partnership": partnership,
            "reports": [r for r in reports if r.report.pk not in closed or r.version],
            "closed": closed,
            "elsewhere": elsewhere,
            "can_edit": (can_edit := has_access(request.user, partnership, Access.EDIT)),
            # An overview covers two partnerships at least, of those the editor reads.
            "can_overview": can_edit
            and selectors.partnerships_for_overview(request.user)[:2].count() == 2,
            "can_view_live": can_view_live,
            "member": member,
        },
    )


def _form_for(request, partnership, report, data=None):
    overview = report.kind == Report.Kind.OVERVIEW
    indicators = group_names = ()
    if report.pk and not overview:
        indicators = Indicator.objects.filter(partnership=partnership, active=True)
        if report.theme_group_id:
            indicators = indicators.filter(theme_group_id=report.theme_group_id)
            group_names = [report.theme_group.name]
        else:
            group_names = ["", *partnership.theme_groups.values_list("name", flat=True)]
        # Indicators of no theme group first, on every database.
        indicators = indicators.order_by(F("theme_group__name").asc(nulls_first=True), "code")
    return ReportForm(
        data,
        instance=report,
        partnership=partnership,
        indicators=indicators,
        group_names=group_names,
        covers=selectors.partnerships_for_overview(request.user) if overview else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request, slug):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    kind = request.GET.get("kind") or request.POST.get("kind") or Report.Kind.PARTNERSHIP
    if kind not in Report.Kind.values:
        raise Http404("No such kind of report")
    report = Report(partnership=partnership, kind=kind)
    if kind == Report.Kind.OVERVIEW:
        report.title = "Community Safety Partnerships update"
    form = _form_for(request, partnership, report, request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = services.report_save(
            report=form.instance, by=request.user, covers=form.cleaned_data.get("covers")
        )
        messages.success(request, "Report created. Add successes and comments, then preview it.")
        return redirect("reports:edit", slug=slug, pk=report.pk)
    return render(
        request,
        "reports/report_form.html",
        {"partnership": partnership, "form": form, "report": report, "kind": kind},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    report = _report(partnership, pk)
    _check_overview(request.user, report.pk, report.kind)
    form = _form_for(request, partnership, report, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, changed = services.report_edit(report=report, edits=form.edits())
        except services.StaleEdit as stale:
            _stale_message(request, form, stale)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, "Report saved." if changed else "Nothing changed.")
            return redirect("reports:preview", slug=slug, pk=report.pk)
    return render(
        request,
        "reports/report_form.html",
        {"partnership": partnership, "form": form, "report": report, "kind": report.kind},
    )


def _stale_message(request, form: ReportForm, stale: services.StaleEdit) -> None:
    """Someone changed the same parts first: say which, and show what is stored now,
    keeping the person's own changes in their boxes, so saving again replaces theirs
    (csp_portal.core.concurrency.rebase)."""
    fields = [name for name, part in form.parts.items() if part in stale.parts]
    labels = [str(form.fields[name].label) for name in fields]
    form.add_error(
        None,
        f"Someone else changed the {joined(label[:1].lower() + label[1:] for label in labels)} "
        "of this report since you opened this page. The page now shows what is stored, with "
        "your changes kept: check them and save again to replace theirs.",
    )
    stored = _form_for(request, form.partnership, stale.current)
    changed = set(form.changed_data)
    now = {
        name: _raw(stored[name].value())
        for name, field in form.fields.items()
        if name in stored.fields and not field.disabled
    }
    concurrency.rebase(
        form,
        refresh={name: raw for name, raw in now.items() if name not in changed | set(fields)},
        conflicts={name: raw for name, raw in now.items() if name in fields},
    )


def _raw(value) -> str | list[str]:
    """A stored value as a box (or a group of checkboxes) posts it."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@require_safe
@login_required
def report_preview(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.LIVE)
    # Only what names the draft: the whole report is read when the draft is rendered.
    found = _draft_names.rows(partnership.pk, pk)
    if not found:
        raise Http404("No report found")
    _check_overview(request.user, pk, found[0][1])
    key = _draft_key(pk, *found[0], partnership)
    reader_key = f"{key}:{_reader(request.user)}"
    report = None
    if (layout := page_from_cache(request, reader_key)) is None:
        report = _report(partnership, pk)
    # Kept in this process as the published pages' are: half a megabyte for 30 indicators,
    # which the shared cache would copy on every view.
    document = STORED_DOCUMENTS.get(f"{key}:document")
    if document is None:
        document = _draft(report or _report(partnership, pk), key)
        STORED_DOCUMENTS.set(f"{key}:document", document)
    if layout is None:
        layout = render_to_string(
            "reports/report_preview.html",
            {
                "partnership": partnership,
                "report": report,
                "document": DOCUMENT_MARK,
                "can_edit": has_access(request.user, partnership, Access.EDIT),
                "has_charts": b'data-chart-id="' in document,
                # Made with the draft; made again only if the cache has let them go.
                "text_warnings": cached(
                    f"{key}:checks",
                    lambda: checks.report_warnings(services.report_snapshot(report)),
                ),
            },
            request=request,
        )
        page_to_cache(request, reader_key, layout)
    return _page(layout, document)


# What names a draft, read on every view of it: the SQL is built once (core/prepared.py).
_draft_names = PreparedRows(
    lambda partnership_id, pk: (
        Report.objects.filter(partnership_id=partnership_id, pk=pk)
        .order_by()
        .values_list("updated_at", "kind")
    ),
    Report._meta.get_field("partnership"),
    Report._meta.pk,
)


def _draft(report: Report, key: str) -> bytes:
    """The draft report's HTML (rendered by our own template, escaped there) as sent; what
    the preview and the publish page warn of is stored under the draft's ``key`` from the
    same snapshot (`_draft_warnings`)."""
    snapshot = services.report_snapshot(report)
    cache.set_many(_draft_warnings(report, snapshot, key))
    return rendering.render_document(snapshot).encode()


def _draft_warnings(report: Report, snapshot: dict, key: str, *, made: tuple = ()) -> dict:
    """What the preview and the publish page warn of, under the draft's ``key``: the text
    checks' warnings (``key:checks``, the slow part) and the publish page's other findings
    (``key:publish``); those named in ``made`` are already stored and not made again."""
    warnings = {}
    if f"{key}:checks" not in made:
        warnings[f"{key}:checks"] = checks.report_warnings(snapshot)
    if f"{key}:publish" not in made:
        warnings[f"{key}:publish"] = services.publish_findings(report, snapshot)
    return warnings


def _draft_key(pk: int, updated_at, kind: str, partnership: Partnership) -> str:
    """Everything a draft is made from: the report's own fields (``updated_at``), the data
    version of its partnership (figures, action plans, commissioning, police data and
    published versions all change it: indicators/data_version.py) or of the partnerships
    an overview covers, and today (what is overdue). Publishing always builds afresh."""
    versions = [partnership.data_version.hex]
    if kind == Report.Kind.OVERVIEW:
        covered = Partnership.objects.filter(overview_reports=pk).order_by("pk")
        versions += [v.hex for v in covered.values_list("data_version", flat=True)]
    # One digest for them all: an overview of six partnerships made a key past the 250
    # characters memcached takes.
    digest = hashlib.blake2b(".".join(versions).encode(), digest_size=16).hexdigest()
    return f"report-draft:{pk}:{updated_at.isoformat()}:{digest}:{timezone.localdate()}"


@login_required
@require_http_methods(["GET", "POST"])
def report_publish(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    report = _report(partnership, pk)
    _check_overview(request.user, report.pk, report.kind)
    versions = selectors.versions_of(report)
    if request.method != "POST":
        form = PublishForm(number=versions[0].number + 1 if versions else 1)
        return _publish_page(request, partnership, report, versions, form)
    # The reason is asked for the version the page said it would be: if another was
    # published meanwhile, the editor is told so (below) rather than asked for a reason.
    form = PublishForm(request.POST, number=_seen(request) + 1)
    if not form.is_valid():
        return _publish_page(request, partnership, report, versions, form)
    with_files = services.documents_available()
    # The page, figures and CSV are stored at once; the PDF and Word files, which take
    # longer, are then made while the page shows each step (no hanging page).
    try:
        version = services.report_publish(
            report=report,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
            documents=False,
            seen=_seen(request),
        ).version
    except services.PublishedMeanwhile as meanwhile:
        messages.error(request, _published_meanwhile(meanwhile.version))
        return redirect("reports:detail", slug=slug, pk=report.pk)
    except ValidationError as error:
        form.add_error("reason" if "reason" in form.fields else None, error.messages)
        return _publish_page(request, partnership, report, versions, form)
    if not with_files:
        messages.success(request, f"Published version {version.number} of {report.title}.")
        return redirect("reports:detail", slug=slug, pk=report.pk)
    # Rendered now: the page's CSP nonce must exist before the response's headers go.
    page = render_to_string(
        "reports/report_publishing.html",
        {"partnership": partnership, "report": report, "version": version},
        request=request,
    )
    url = reverse("reports:detail", args=[partnership.slug, report.pk])
    return StreamingHttpResponse(_publishing(page, version, url))


def _publish_page(request, partnership, report, versions, form: PublishForm) -> HttpResponse:
    """The publish page: what the editor is warned of, and the reason asked for a later
    version (with its error, when the form came back without one), after what has changed
    since the last report (the one reason those changes give, if only one does, offered).

    The warnings are the draft's, kept under its key (`_draft_key`: the report's fields,
    the data version and the date), which the preview stores as it builds the draft: the
    report is built here only when neither page has been read since the last change."""
    key = _draft_key(report.pk, report.updated_at, report.kind, partnership)
    kept = cache.get_many([f"{key}:checks", f"{key}:publish"])
    if len(kept) < 2:
        made = _draft_warnings(report, services.report_snapshot(report), key, made=tuple(kept))
        cache.set_many(made)
        kept |= made
    found = kept[f"{key}:publish"]
    if found["offered_reason"] and versions and "reason" in form.fields and not form.is_bound:
        form.initial["reason"] = found["offered_reason"]
    return render(
        request,
        "reports/report_publish.html",
        {
            "partnership": partnership,
            "report": report,
            **found,
            "changes": found["changes"] if versions else [],
            "text_warnings": kept[f"{key}:checks"],
            "red_without_action": sources.corrective_action_links(
                found["red_without_action"],
                report.period,
                lambda other: has_access(request.user, other, Access.EDIT),
                report_pk=report.pk,
            ),
            "actions_connected": sources.actions_connected(),
            "versions": versions,
            "form": form,
        },
    )


def _seen(request) -> int:
    """The latest version the publish page showed: 0 for none, or for a post without it."""
    seen = request.POST.get("seen", "")
    return int(seen) if seen.isdecimal() and len(seen) < 10 else 0


def _published_meanwhile(version: ReportVersion) -> str:
    """Why a publish was refused: who published which version when."""
    moment = timezone.localtime(version.published_at)
    when = f"{moment:%H:%M}"
    if moment.date() != timezone.localdate():
        when += f" on {moment.day} {moment:%B %Y}"
    by = version.published_by
    who = f" by {by.get_full_name() or by.get_username()}" if by else ""
    return (
        f"Version {version.number} was published{who} at {when} while you were looking at "
        "this page. Check it before publishing again."
    )


def _publishing(page: str, version, url: str):
    """The publishing page, sent in pieces: each step as it is done, then a link."""
    head, rest = page.split("<!-- steps -->")
    middle, tail = rest.split("<!-- result -->")
    yield head
    try:
        for step in services.version_documents_steps(version):
            yield f"<li>{services.DOCUMENT_STEPS[step]}</li>\n"
    except Exception:
        logger.exception("Making the PDF and Word files of %s failed", version)
        services.version_documents_failed(version)
        yield middle
        yield format_html(
            '<p class="govuk-body">The report is published, but its PDF and Word files could '
            "not be made. A download tries again after a few minutes, or at once when an "
            "editor asks. "
            '<a class="govuk-link" href="{}">Read the report</a>.</p>',
            url,
        )
    else:
        yield middle
        yield format_html(
            '<p class="govuk-body">Published version {}. <a class="govuk-link" href="{}">'
            "Read the published report</a>.</p>",
            version.number,
            url,
        )
    yield tail


@require_safe
@_readable
def report_detail(request, slug, pk, number=None):
    partnership = _reader_partnership(request, slug)
    # The page around the stored report, for this reader, and the stored report itself:
    # both fixed until the data version changes (publishing a version changes it too).
    # Under this partnership's own key: it was checked that the report is its own. Which
    # version is the latest depends on who reads (`_open_to`: the public never opens an
    # exempt one), so the key says which versions this reader may open.
    opens = "all" if has_access(request.user, partnership, Access.PUBLISHED) else "public"
    # (An overview's revision notice follows the figures of the partnerships it showed:
    # a change to them gives its filing partnership a new version too, `overview_filers`.)
    key = f"report-page:{partnership.pk}:{pk}:{number}:{opens}:{partnership.data_version.hex}"
    reader_key = f"{key}:{_reader(request.user)}"
    layout = page_from_cache(request, reader_key)
    document = STORED_DOCUMENTS.get(f"{key}:document") if layout is not None else None
    if document is None:
        try:
            rendered = _report_detail(request, partnership, pk, number)
        except Http404:
            return _not_published(request, partnership)
        if isinstance(rendered, HttpResponse):
            return rendered
        layout, html, elsewhere = rendered
        document = html.encode()
        # An overview read under a partnership it covers is not stored under that one's
        # key: what it shows follows the data version of the partnership it is filed under.
        if not elsewhere:
            page_to_cache(request, reader_key, layout)
            STORED_DOCUMENTS.set(f"{key}:document", document)
    return _page(layout, document)


def _not_published(request, partnership) -> HttpResponse:
    """A report, or a version, this reader of the partnership's reports may not open or
    that is not there: the same answer for a draft as for no report at all, so no draft
    is revealed, with the way to the published reports this reader may read."""
    return render(
        request,
        "reports/report_not_found.html",
        {"reports_url": reverse("reports:list", args=[partnership.slug])},
        status=404,
    )


def _formats_contact(version: ReportVersion, partnership) -> str:
    """Whom a reader of the version asks for another format (``sections.formats_contact``),
    from the cover it was published with: one query, two for an overview."""
    cover, kind, formats = (
        ReportVersion.objects.filter(pk=version.pk)
        .values_list("snapshot__cover", "snapshot__kind", "snapshot__formats")
        .get()
    )
    covered = []
    if kind == Report.Kind.OVERVIEW:
        covered = list(version.partnerships_shown.order_by("name").values_list("name", flat=True))
    cover = cover or {}
    who = formats_contact(cover, partnership.name, covered)
    # Read with get: versions published before the cover sheet had an email have none.
    email = cover.get("contact_email")
    if email:
        return f"{who} by email at {email}"
    # Versions published before the files gave another address (``formats``) have none.
    fallback = (formats or {}).get("email")
    return f"{who}, or email {fallback}" if fallback else who


def _page(layout: str, document: bytes) -> HttpResponse:
    """The layout with the stored document where its mark is. The document (half a
    megabyte for 30 indicators) is sent as it is, never copied into one body: the server
    writes the three pieces in turn, and the length is given so nothing joins them."""
    head, tail = (piece.encode() for piece in layout.split(DOCUMENT_MARK, 1))
    response = HttpResponse(head)
    response.write(document)
    response.write(tail)
    response["Content-Length"] = len(head) + len(document) + len(tail)
    return response


def _report_detail(request, partnership, pk, number) -> tuple[str, str, bool] | HttpResponse:
    """The page around a published version (with ``DOCUMENT_MARK`` where the stored report
    goes), the stored report and whether it is an overview filed under another partnership;
    or where to go instead (a draft has no version yet)."""
    # The versions bring their report with them (one query); a draft has none to bring.
    published = selectors.published_versions(partnership, pk)
    report = published[0].report if published else _report(partnership, pk)
    if not published:
        if has_access(request.user, partnership, Access.LIVE):
            return redirect("reports:preview", slug=partnership.slug, pk=pk)
        raise Http404("No published report")
    # An overview filed under another partnership, read under one it covers.
    elsewhere = report.partnership_id != partnership.pk
    filer = report.partnership
    versions = _open_to(request, report, published, partnership)
    if not versions:
        raise Http404("No report found")
    if number is None:
        number = versions[0].number
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404("No such version")
    version = selectors.version_page(version)
    # Figures changed since publishing: worked out once for every reader. ("6": the form
    # that names what changed, a month's figure or a target, with its unit and counts, of
    # every partnership the version showed, and whose; "7": a quarter's by its quarter;
    # "8": a figure's indicator and month.) What each is now is a live figure, left out for
    # a reader who may not read it, unless a later version this reader may open gives it:
    # the page is stored for each reader. Late returns are told apart from revisions.
    notice = selectors.revision_notice_for(
        request.user,
        selectors.revisions_published_later(
            cached(
                f"report-revisions:8:{version.pk}:{filer.data_version.hex}",
                lambda: selectors.revision_notice(version),
            ),
            [v for v in versions if v.number > version.number],
        ),
    )
    revisions = [revision for revision in notice if not revision.late]
    # Each later version holding revised figures, and how many of them.
    published_later = [
        {"number": number, "count": count, "all": count == len(revisions), "again": again}
        for (number, again), count in sorted(
            Counter(
                (r.published_in or r.revised_in, not r.published_in)
                for r in revisions
                if r.published_in or r.revised_in
            ).items()
        )
    ]
    has_charts = version.shown.get("has_charts")
    if has_charts is None:  # published before the stored figures said so
        has_charts = 'data-chart-id="' in version.html
    # The "another format" statement: in the document (and so its PDF and Word files) since
    # it was put there; the page gives it for versions before.
    formats_in_document = 'class="govuk-body app-report__formats"' in version.html
    # The stored page goes in after the layout is rendered: the template engine never
    # carries (or copies) half a megabyte of HTML through its blocks.
    layout = render_to_string(
        "reports/report_detail.html",
        {
            "partnership": partnership,
            "report": report,
            "version": version,
            "versions": versions,
            "latest": versions[0],
            # Linked beside the version line too: the list at the foot is a long way down.
            "other_versions": [v for v in reversed(versions) if v.number != version.number],
            # Only members are told who published, by name.
            "member": has_access(request.user, partnership, Access.PUBLISHED),
            "filer": filer,
            "elsewhere": elsewhere,
            "document": DOCUMENT_MARK,
            "revisions": revisions,
            "late_figures": [revision for revision in notice if revision.late],
            "revisions_withheld": any(revision.withheld for revision in notice),
            "published_later": published_later,
            "can_edit": has_access(request.user, partnership, Access.EDIT)
            and not elsewhere
            and not (
                report.kind == Report.Kind.OVERVIEW
                and selectors.overviews_closed_to(request.user, [report.pk])
            ),
            "has_charts": has_charts,
            "formats_in_document": formats_in_document,
            "formats_contact": "" if formats_in_document else _formats_contact(version, filer),
            # Files not made at publishing are made when first downloaded.
            "files": {
                "pdf": version.has_pdf or services.documents_available(),
                "docx": version.has_docx or services.documents_available(),
            },
        },
        request=request,
    )
    # Rendered by our own template at publishing, so safe as stored.
    return layout, version.html, elsewhere


def _reader(user) -> str:
    """Who is reading, as far as a page can differ between readers: their name (in the
    page header) and their roles (in this partnership, and in those an overview covers)."""
    if not user.is_authenticated:
        return "public"
    if is_site_admin(user):
        return f"{user.pk}:admin:{user.is_active}"
    roles = sorted(roles_by_partnership(user).items())
    digest = hashlib.blake2b(repr(roles).encode(), digest_size=8).hexdigest()
    return f"{user.pk}:{digest}:{user.is_active}"


@require_safe
@_readable
def report_file(request, slug, pk, kind):
    partnership = _reader_partnership(request, slug)
    try:
        report = selectors.report_for(partnership, pk, covering=True)
    except Report.DoesNotExist:
        raise Http404("No report found") from None
    versions = _open_to(
        request, report, selectors.versions_of(report, under=partnership), partnership
    )
    if not versions:
        raise Http404("No published report")
    asked = request.GET.get("version")
    if asked is not None and not asked.isdecimal():
        raise Http404("No such version")
    number = int(asked) if asked else versions[0].number
    if number not in {v.number for v in versions}:
        raise Http404("No such version")
    version = get_object_or_404(
        ReportVersion.objects.only("pk", "number", kind),
        report=report,
        number=number,
    )
    body = getattr(version, kind)
    if body is None:
        # Publishing makes the PDF and Word files while its page is open: one closed early
        # left them to be made now, from what the version stored. After a failure, readers'
        # downloads wait a few minutes before trying again; an editor's try at once.
        editor = has_access(request.user, report.partnership, Access.EDIT)
        try:
            made = services.version_documents_fill(version=version, now_allowed=editor)
        except Exception:
            logger.exception("Making the PDF and Word files of %s on download failed", version)
            # Each file is stored once made: the one asked for may be there all the same.
            made = ReportVersion.objects.only(kind, "files_failed_at").get(pk=version.pk)
        body = getattr(made, kind)
        if body is None and made.files_failed_at is not None:
            messages.error(
                request,
                f"The {FILE_NAMES[kind]} of this report is not available yet. Try again in a "
                f"few minutes, or ask {_formats_contact(version, report.partnership)} for a copy.",
            )
            return redirect("reports:version", slug=slug, pk=report.pk, number=version.number)
    if body is None:
        raise Http404("This file was not made when the report was published")
    if kind == "csv":
        body = body.encode("utf-8")
    response = HttpResponse(bytes(body), content_type=FILE_TYPES[kind])
    # Named by the partnership it is filed under, wherever it is read.
    filename = f"{report.partnership.slug}-report-{report.pk}-v{version.number}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
