from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from csp_portal.core.permissions import Access, has_access, partnership_for
from csp_portal.core.removal import RemovalPage, removal_view
from csp_portal.core.tables import XLSX_TYPE
from csp_portal.core.text import day_label, format_money
from indicators import periods
from indicators.importing.exporting import table_file
from indicators.validation import plain_number

from . import selectors, services, transfer
from .forms import (
    LineForm,
    OutputFormSet,
    StreamForm,
    UpdateForm,
    line_value_words,
    outputs_of,
    stream_value_words,
)
from .models import CommissioningLine, CommissioningPlan, FundingStream, ProgressUpdate
from .tables import LineTable


def _year_or_404(year: int) -> int:
    if not periods.MIN_YEAR <= year <= periods.MAX_YEAR:
        raise Http404("Not a financial year")
    return year


def _every_change(request) -> bool:
    """Whether the page shows every recorded change of its row, not only the latest."""
    return request.GET.get("changes") == "all"


def _line(request, slug: str, pk: int, access: Access) -> CommissioningLine:
    partnership = partnership_for(request.user, slug, access)
    return get_object_or_404(
        CommissioningLine.objects.select_related("partnership", "theme_group", "funding_stream"),
        pk=pk,
        partnership=partnership,
    )


@require_safe
@login_required
def plan_latest(request, slug):
    """The latest year with commissioning, or this financial year."""
    partnership = partnership_for(request.user, slug, Access.LIVE)
    years = selectors.commissioning_years(partnership)
    this_year = periods.financial_year_of(timezone.localdate(), partnership.fy_start_month)
    return redirect("commissioning:plan", slug=slug, year=years[-1] if years else this_year)


@require_safe
@login_required
def plan(request, slug, year):
    partnership = partnership_for(request.user, slug, Access.LIVE)
    year = _year_or_404(year)
    export_format = request.GET.get("_export")
    if export_format in {"csv", "xlsx"}:
        return _plan_download(partnership, year, export_format)
    summary = selectors.commissioning_summary(
        partnership, year, as_at=timezone.localdate(), progress=False
    )
    table = LineTable(summary.lines)
    RequestConfig(request, paginate=False).configure(table)
    years = sorted(set(selectors.commissioning_years(partnership)) | {year})
    start = partnership.fy_start_month
    return render(
        request,
        "commissioning/plan.html",
        {
            "partnership": partnership,
            "summary": summary,
            "table": table,
            "year": year,
            "years": [(y, periods.fy_label(y, start)) for y in years],
            "next_year_label": periods.fy_label(year + 1, start),
            "last_year_label": periods.fy_label(year - 1, start),
            # Copying last year's lines is offered only to an empty year, and only when
            # last year has some to copy.
            "can_copy_last_year": not summary.lines
            and selectors.year_has_lines(partnership, year - 1),
            "can_edit": has_access(request.user, partnership, Access.EDIT),
            "removed": selectors.removed_in_year(partnership, year),
        },
    )


def _plan_download(partnership, year: int, export_format: str) -> HttpResponse:
    """The year's lines as commissioning.csv (or a workbook with a "commissioning" sheet):
    the import's own columns, so the file, changed in a spreadsheet, imports back."""
    rows = transfer.export_commissioning(partnership, year)
    data = table_file("commissioning", transfer.COMMISSIONING_COLUMNS, rows, export_format)
    content_type = XLSX_TYPE if export_format == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    name = f"{partnership.slug}-{year}-commissioning.{export_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
@login_required
def line_detail(request, slug, pk):
    line = _line(request, slug, pk, Access.LIVE)
    detail = selectors.line_detail(line, as_at=timezone.localdate())
    return render(
        request,
        "commissioning/line_detail.html",
        {
            "partnership": line.partnership,
            "line": line,
            "detail": detail,
            "can_edit": has_access(request.user, line.partnership, Access.EDIT),
            "changes": selectors.row_changes(line, every=_every_change(request)),
        },
    )


def _line_form(request, partnership, year, line=None):
    form = LineForm(
        request.POST or None,
        partnership=partnership,
        year=year,
        line=line,
        initial=LineForm.initial_for(line)
        if line
        else {"status": CommissioningLine.Status.PROPOSED, "contribution_status": "amount"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if line is None:
                saved = services.line_save(
                    partnership=partnership, data=form.line_input(), by=request.user
                )
            else:
                saved = services.line_change(
                    line=line, changes=form.changes(), posted=form.line_input(), by=request.user
                )
        except services.FieldConflict as conflict:
            form.add_conflicts(
                {name: line_value_words(conflict.row, name) for name in conflict.fields},
                LineForm.initial_for(conflict.row),
            )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"Saved line {saved.reference}.")
            # Saved all the same: the plan page shows the same warning until it is put right.
            for warning in selectors.stream_warnings(saved.funding_stream):
                messages.warning(request, warning.message)
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "commissioning/line_form.html",
        {
            "partnership": partnership,
            "line": line,
            "form": form,
            "year": year,
            "commissioning_plan": CommissioningPlan(partnership, year),
        },
    )


@login_required
def line_add(request, slug, year):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    return _line_form(request, partnership, _year_or_404(year))


@login_required
def line_edit(request, slug, pk):
    line = _line(request, slug, pk, Access.EDIT)
    return _line_form(request, line.partnership, line.financial_year, line)


def _stream_form(request, partnership, year, stream=None):
    form = StreamForm(
        request.POST or None,
        editing=stream is not None,
        initial=StreamForm.initial_for(stream) if stream else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if stream is None:
                saved = services.stream_save(
                    partnership=partnership,
                    financial_year=year,
                    source=form.cleaned_data["source"].strip(),
                    amount=form.cleaned_data["amount"],
                    allocated_by=form.cleaned_data["allocated_by"].strip(),
                    criteria=form.cleaned_data["criteria"].strip(),
                    monitoring=form.cleaned_data["monitoring"].strip(),
                    by=request.user,
                )
            else:
                saved = services.stream_change(
                    stream=stream, changes=form.changes(), by=request.user
                )
        except services.FieldConflict as conflict:
            form.add_conflicts(
                {name: stream_value_words(conflict.row, name) for name in conflict.fields},
                StreamForm.initial_for(conflict.row),
            )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"Saved the funding stream {saved.source}.")
            return redirect("commissioning:plan", slug=partnership.slug, year=year)
    return render(
        request,
        "commissioning/stream_form.html",
        {
            "partnership": partnership,
            "stream": stream,
            "form": form,
            "year": year,
            "commissioning_plan": CommissioningPlan(partnership, year),
            "changes": selectors.row_changes(stream, every=_every_change(request))
            if stream
            else None,
        },
    )


@login_required
def stream_add(request, slug, year):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    return _stream_form(request, partnership, _year_or_404(year))


@login_required
def stream_edit(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    stream = get_object_or_404(FundingStream, pk=pk, partnership=partnership)
    return _stream_form(request, partnership, stream.financial_year, stream)


def _update_form(request, line, update=None):
    today = timezone.localdate()
    form = UpdateForm(
        request.POST or None,
        today=today,
        line=line,
        initial=UpdateForm.initial_for(update) if update else {"date": today.strftime("%d/%m/%Y")},
    )
    outputs = (
        [
            {"label": o.label, "value": format(o.value.normalize(), "f")}
            for o in update.outputs.all()
        ]
        if update
        else []
    )
    formset = OutputFormSet(request.POST or None, initial=outputs, prefix="outputs")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_save(
                line=line,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"].strip(),
                reported_by=form.cleaned_data["reported_by"].strip(),
                outputs=outputs_of(formset),
                update=update,
                expected_version=form.cleaned_data["version"] if update else None,
                by=request.user,
            )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"Saved the progress update for {line.reference}.")
            return redirect(line.get_absolute_url())
    return render(
        request,
        "commissioning/update_form.html",
        {
            "partnership": line.partnership,
            "line": line,
            "update": update,
            "form": form,
            "formset": formset,
        },
    )


@login_required
def update_add(request, slug, pk):
    return _update_form(request, _line(request, slug, pk, Access.EDIT))


@login_required
def update_edit(request, slug, pk, update_pk):
    line = _line(request, slug, pk, Access.EDIT)
    update = get_object_or_404(
        ProgressUpdate.objects.prefetch_related("outputs"), pk=update_pk, line=line
    )
    return _update_form(request, line, update)


@login_required
def copy_forward(request, slug, year):
    """Copy the previous year's lines into this year as proposals."""
    partnership = partnership_for(request.user, slug, Access.EDIT)
    year = _year_or_404(year)
    start = partnership.fy_start_month
    errors = []
    if request.method == "POST":
        try:
            result = services.lines_copy_forward(
                partnership=partnership, from_year=year - 1, to_year=year, by=request.user
            )
        except ValidationError as error:
            errors = [("", message) for message in error.messages]
        else:
            streams = "".join(
                f" Created the funding stream {s.source} with last year's amount: check it."
                for s in result.streams
            )
            messages.success(
                request,
                f"Copied {len(result.lines)} line{'s' if len(result.lines) != 1 else ''} "
                f"into {periods.fy_label(year, start)} as proposals.{streams}",
            )
            return redirect("commissioning:plan", slug=slug, year=year)
    previous = selectors.commissioning_summary(
        partnership, year - 1, as_at=timezone.localdate(), progress=False
    )
    return render(
        request,
        "commissioning/copy_forward.html",
        {
            "partnership": partnership,
            "year": year,
            "year_label": periods.fy_label(year, start),
            "commissioning_plan": CommissioningPlan(partnership, year),
            "previous": previous,
            "errors": errors,
        },
    )


# Removing a row keyed in by mistake ----------------------------------------


def _year_left(partnership, year: int) -> str:
    """Where removing a stream or line leads: its year, or the latest year once its year
    has nothing left (whose page would show it again among the years)."""
    if year in selectors.commissioning_years(partnership):
        return reverse("commissioning:plan", args=[partnership.slug, year])
    return reverse("commissioning:plan_latest", args=[partnership.slug])


def _removal(request, row, **page) -> HttpResponse:
    """The removal page of a stream, line or update (csp_portal/core/removal.py)."""
    return removal_view(
        request,
        RemovalPage(**page),
        row=row,
        refusals=services.removal_refusals(row),
        remove=lambda: services.row_remove(row=row, by=request.user),
    )


@login_required
def stream_remove(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    stream = get_object_or_404(
        FundingStream.objects.select_related("partnership"), pk=pk, partnership=partnership
    )
    return _removal(
        request,
        stream,
        partnership=partnership,
        noun=f"the funding stream “{stream.source}”",
        kind="funding stream",
        details=[
            ("Source", stream.source),
            ("Financial year", stream.year_label),
            ("Amount", format_money(stream.amount)),
        ],
        parent=stream.plan,
        caption=stream.plan.title,
        back_url=reverse("commissioning:stream_edit", args=[slug, pk]),
        done_url=lambda: _year_left(partnership, stream.financial_year),
        note="A year with no funding stream and no line leaves the list of years.",
    )


@login_required
def line_remove(request, slug, pk):
    line = _line(request, slug, pk, Access.EDIT)
    return _removal(
        request,
        line,
        partnership=line.partnership,
        noun=f"line {line.reference}",
        details=[
            ("Reference", line.reference),
            ("Financial year", line.year_label),
            ("Area of need", line.area_of_need),
            ("Provider", line.provider),
            ("Funding stream", line.funding_stream.source if line.funding_stream else ""),
            (
                "Contribution",
                format_money(line.contribution) or line.get_contribution_status_display(),
            ),
            ("Status", line.get_status_display()),
        ],
        parent=line,
        caption=line.plan.title,
        back_url=reverse("commissioning:line_edit", args=[slug, pk]),
        done_url=lambda: _year_left(line.partnership, line.financial_year),
        note=services.MOVE_LINE,
    )


@login_required
def update_remove(request, slug, pk, update_pk):
    line = _line(request, slug, pk, Access.EDIT)
    update = get_object_or_404(
        ProgressUpdate.objects.prefetch_related("outputs"), pk=update_pk, line=line
    )
    outputs = [f"{o.label}: {plain_number(o.value)}" for o in update.outputs.all()]
    return _removal(
        request,
        update,
        partnership=line.partnership,
        noun=f"the progress update of {day_label(update.date)}",
        details=[
            ("Date", day_label(update.date)),
            ("Update", update.text),
            ("Reported by", update.reported_by),
            ("Outputs", "; ".join(outputs)),
        ],
        parent=line,
        caption=line.heading,
        back_url=reverse("commissioning:update_edit", args=[slug, pk, update_pk]),
        done_url=line.get_absolute_url(),
    )
