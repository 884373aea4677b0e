"""Action plan, risk, cross-theme issue and recommendation pages (officers and editors)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from csp_portal.core.breadcrumbs import section
from csp_portal.core.concurrency import rebase, shown_value
from csp_portal.core.permissions import Access, has_access, partnership_for
from csp_portal.core.removal import RemovalPage, removal_view
from csp_portal.core.tables import XLSX_TYPE, table_download
from csp_portal.core.text import day_label, ended, joined
from indicators import periods
from indicators.importing.exporting import table_file

from . import rules, selectors, services, transfer
from .forms import (
    RECOMMENDATION_STATUSES,
    RISK_STATUSES,
    ActionForm,
    ActionPlanForm,
    IssueForm,
    ListFilterForm,
    ObjectiveForm,
    PlanFilterForm,
    QuickUpdateForm,
    RecommendationForm,
    RiskForm,
    form_edits,
)
from .models import Action, ActionPlan, CrossThemeIssue, Objective, Recommendation, Risk
from .tables import IssueTable, RecommendationTable, RiskTable

EXPORT_FORMATS = {"csv", "xlsx"}


def _access_for(request) -> Access:
    return Access.EDIT if request.method == "POST" else Access.LIVE


def _add_form_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form's fields (or the form if none match)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# What a conflict message calls a field whose label is no noun phrase ("the what is asked of
# them" would not read); any other field is "the" and its label.
CONFLICT_NOUNS = {
    "ask": "what is asked of other theme groups",
    "raised_by": "the theme group that raised it",
    "affects": "the theme groups it affects",
    "when": "when it will be done",
    "lead_member": "the lead",
    "lead_text": "the lead",
    "closed": "whether it is closed",
    "assigned_to": "who it is assigned to",
    "text": "the update",
}


def _stale_message(form, stale: services.StaleEdit, what: str) -> None:
    """Someone changed the same fields first: say who and which, show what is stored now
    (keeping the person's own changes in their boxes), so saving again replaces theirs.
    ``what``: the row, "action 2.2", or "this risk" on the row's own page (then not said)."""
    nouns = []
    for name in stale.fields:
        if name in form.fields:
            noun = CONFLICT_NOUNS.get(name, f"the {str(form.fields[name].label).lower()}")
            if noun not in nouns:
                nouns.append(noun)
    who = "Someone else"
    if stale.by is not None:
        who = stale.by.get_full_name() or stale.by.username
    changed = joined(nouns) or "the same details"
    if not what.startswith("this "):
        changed += f" of {what}"
    form.add_error(
        None,
        f"{who} changed {changed} since you opened this page. The page now shows what is "
        "stored, with your changes kept: check them and save again to replace theirs.",
    )
    now = {
        name: _raw(value)
        for name, value in model_to_dict(stale.current, fields=list(form.fields)).items()
    }
    theirs_or_mine = set(form.changed_data) | set(stale.fields)
    rebase(
        form,
        refresh={name: raw for name, raw in now.items() if name not in theirs_or_mine},
        conflicts={name: raw for name, raw in now.items() if name in stale.fields},
    )


def _raw(value) -> str | list[str]:
    """A stored value as a box (or a group of checkboxes) posts it."""
    if isinstance(value, list):
        return [str(getattr(v, "pk", v)) for v in value]
    return "" if value is None else str(getattr(value, "pk", value))


# The action plan page ------------------------------------------------------


@login_required
def plans(request, slug):
    partnership = partnership_for(request.user, slug, _access_for(request))
    return _plan_view(request, partnership, None)


@login_required
def plan(request, slug, pk):
    partnership = partnership_for(request.user, slug, _access_for(request))
    action_plan = get_object_or_404(
        ActionPlan.objects.select_related("partnership", "theme_group"),
        pk=pk,
        partnership=partnership,
    )
    export_format = request.GET.get("_export")
    if request.method == "GET" and export_format in EXPORT_FORMATS:
        return _plan_download(partnership, action_plan, export_format)
    return _plan_view(request, partnership, action_plan)


def _plan_download(partnership, action_plan: ActionPlan, export_format: str) -> HttpResponse:
    """The plan's actions as actions.csv (or a workbook with an "actions" sheet): the
    import's own columns, so the file, updated in a spreadsheet, imports back."""
    rows = transfer.export_actions(partnership, plan=action_plan)
    name = f"{partnership.slug}-{slugify(action_plan.title)[:60] or 'plan'}-actions"
    return _import_file_download("actions", rows, export_format, name)


def _import_file_download(table: str, rows, export_format: str, name: str) -> HttpResponse:
    """Rows of an import table as its own file, NAME.csv or NAME.xlsx: the import's columns,
    so the file, updated in a spreadsheet, imports back (a name ending "-TABLE" is read as
    TABLE's file)."""
    data = table_file(table, transfer.COLUMNS[table], rows, export_format)
    content_type = XLSX_TYPE if export_format == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{export_format}"'
    return response


def _plan_view(request, partnership, action_plan):
    today = timezone.localdate()
    form = PlanFilterForm(
        request.GET or None,
        partnership=partnership,
        leads=selectors.lead_choices(partnership, action_plan),
        theme_groups=action_plan is None,
    )
    filters = selectors.PlanFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.PlanFilters(
            status=data["status"],
            lead=data["lead"],
            theme_group=data.get("theme_group"),
            overdue=data["overdue"],
        )
    quick_forms = {}
    closed_errors = []
    if request.method == "POST":
        actions = Action.objects.filter(plan__partnership=partnership)
        if action_plan is not None:
            actions = actions.filter(plan=action_plan)
        action_id = request.POST.get("action", "")
        valid = action_id.isdecimal() and len(action_id) < 19  # within a bigint
        action = get_object_or_404(actions, pk=int(action_id) if valid else 0)
        quick = QuickUpdateForm(request.POST, partnership=partnership, prefix=f"a{action.pk}")
        if _quick_update(request, action, quick):
            messages.success(request, _now_message(action))
            return redirect(f"{request.get_full_path()}#action-{action.pk}")
        quick_forms[action.pk] = quick
        if action.closed:
            # Closed since the page was opened: its row has no form now, so the error
            # summary links to the row, which says how to reopen it.
            closed_errors = [
                (f"action-{action.pk}", message)
                for messages in quick.errors.values()
                for message in messages
            ]
    page = selectors.plan_page(
        partnership,
        plan=action_plan,
        filters=filters,
        today=today,
        page_number=request.GET.get("page"),
    )
    can_edit = has_access(request.user, partnership, Access.EDIT)
    errored = next(iter(quick_forms.values()), None)
    # One hidden token input for the page's quick update forms (one per action).
    csrf_input = (
        format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        if can_edit
        else ""
    )
    return render(
        request,
        "actions/plan.html",
        {
            "partnership": partnership,
            "plan": action_plan,
            "plans": selectors.plans_for(partnership) if action_plan is None else [],
            "objectives": list(action_plan.objectives.all()) if action_plan and can_edit else [],
            "page": page,
            "form": form,
            "filters": filters,
            "errored": errored,
            "errored_pk": next(iter(quick_forms), None),
            "closed_errors": closed_errors,
            "csrf_input": csrf_input,
            "can_edit": can_edit,
            "today": today,
            "changes": selectors.row_changes(action_plan, every=_every_change(request))
            if action_plan
            else None,
        },
    )


def _quick_update(request, action: Action, form: QuickUpdateForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.action_update_add(
            action=action,
            status=form.cleaned_data["status"],
            text=form.cleaned_data["text"],
            by=request.user,
            date=timezone.localdate(),
            shown_status=shown_value(form, "status"),
        )
    except services.StaleEdit as stale:
        _stale_message(form, stale, f"action {action.reference}")
        return False
    except ValidationError as error:
        _add_form_errors(form, error)
        return False
    return True


def _now_message(action: Action) -> str:
    """The status stored after the update, which may not be the one posted: a status left
    as the page showed it keeps one someone else saved meanwhile."""
    action.refresh_from_db(fields=["status"])
    return f"Action {action.reference} is now {rules.STATUS_WORDS[action.status]}."


# Starting and changing plans and objectives --------------------------------


def _saved_or_errors(form, save, what: str):
    """Call the service; (saved, changed), or None with its refusal on the form."""
    try:
        return save()
    except services.StaleEdit as stale:
        _stale_message(form, stale, what)
    except ValidationError as error:
        _add_form_errors(form, error)
    return None


def _carried(request, joiner: str) -> str:
    """What the publish page's link to give a red indicator its action says (the indicator,
    and the report to go back to), for the next form's address as a new plan or objective
    leads on to its action: ``joiner`` and the query, or "" when it says nothing."""
    carried = [("indicator", v) for v in request.GET.getlist("indicator") if v.isdecimal()]
    report = request.GET.get("report", "")
    if request.GET.get("from") == "publish" and report.isdecimal():
        carried += [("from", "publish"), ("report", report)]
    return f"{joiner}{urlencode(carried)}" if carried else ""


def _plan_form_view(request, partnership, action_plan):
    form = ActionPlanForm(
        request.POST or None,
        instance=action_plan,
        partnership=partnership,
        this_year=periods.financial_year_of(timezone.localdate(), partnership.fy_start_month),
    )
    if request.method == "POST" and form.is_valid():
        result = _saved_or_errors(
            form,
            lambda: services.plan_save(
                partnership=partnership,
                by=request.user,
                values=dict(form.cleaned_data) if action_plan is None else {},
                plan=action_plan,
                edits=form_edits(form) if action_plan else None,
            ),
            "this action plan",
        )
        if result is not None:
            saved, changed = result
            if action_plan is None:
                messages.success(
                    request, f"Started {ended(saved.title)} Now add its first objective."
                )
                return redirect(
                    reverse("actions:objective_create", args=[partnership.slug, saved.pk])
                    + _carried(request, "?")
                )
            verb = "Saved" if changed else "Nothing changed in"
            messages.success(request, ended(f"{verb} {saved.title}"))
            return redirect(saved.get_absolute_url())
    back = (
        action_plan.get_absolute_url()
        if action_plan
        else reverse("actions:plans", args=[partnership.slug])
    )
    return render(
        request,
        "actions/form.html",
        {
            "partnership": partnership,
            "plan": action_plan,
            "form": form,
            "parent": action_plan or section(partnership, "actions:plans"),
            "page_title": "Change the plan's details" if action_plan else "Start an action plan",
            "intro": None
            if action_plan
            else (
                "Give the plan a title and the financial year it covers. Next you add its "
                "objectives, then the actions under each."
            ),
            "caption": action_plan.title if action_plan else partnership.name,
            "back_url": back,
            "back_label": "Back to the action plan" if action_plan else "Back to action plans",
            "remove_url": reverse("actions:plan_remove", args=[partnership.slug, action_plan.pk])
            if action_plan
            else "",
            "remove_label": "Remove this action plan",
        },
    )


@login_required
def plan_create(request, slug):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    return _plan_form_view(request, partnership, None)


@login_required
def plan_edit(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    action_plan = get_object_or_404(
        ActionPlan.objects.select_related("partnership", "theme_group"),
        pk=pk,
        partnership=partnership,
    )
    return _plan_form_view(request, partnership, action_plan)


def _objective_form_view(request, partnership, action_plan, objective):
    initial = {}
    if objective is None:
        numbers = list(action_plan.objectives.values_list("number", flat=True))
        initial["number"] = max(numbers, default=0) + 1
    form = ObjectiveForm(
        request.POST or None, instance=objective, plan=action_plan, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        result = _saved_or_errors(
            form,
            lambda: services.objective_save(
                plan=action_plan,
                by=request.user,
                values=dict(form.cleaned_data) if objective is None else {},
                objective=objective,
                edits=form_edits(form) if objective else None,
            ),
            f"objective {objective.number}" if objective else "this objective",
        )
        if result is not None:
            saved, changed = result
            verb = "Added" if objective is None else ("Saved" if changed else "Nothing changed in")
            messages.success(request, ended(f"{verb} objective {saved.number}: {saved.title}"))
            if objective is None:
                return redirect(
                    reverse("actions:action_create", args=[partnership.slug, action_plan.pk])
                    + f"?objective={saved.pk}"
                    + _carried(request, "&")
                )
            return redirect(action_plan.get_absolute_url() + "#objectives")
    title = f"Change objective {objective.number}" if objective else "Add an objective"
    remove = (
        reverse("actions:objective_remove", args=[partnership.slug, objective.pk])
        if objective
        else ""
    )
    return _plan_form_page(
        request, partnership, action_plan, form, title, remove=(remove, "Remove this objective")
    )


def _plan_form_page(
    request,
    partnership,
    action_plan,
    form,
    title: str,
    action=None,
    remove=("", ""),
    *,
    chosen=(),
    publish=None,
):
    """The form page of an objective or action, under its action plan (a change of an action
    under the action's own page); ``remove``: the link to remove the row changed, and its
    words; ``chosen``: the indicators a new action was opened for (the publish page's red
    ones), named above the form; ``publish``: that publish page's address and report title,
    to go back to."""
    return render(
        request,
        "actions/form.html",
        {
            "partnership": partnership,
            "plan": action_plan,
            "parent": action or action_plan,
            "form": form,
            "page_title": title,
            "caption": action_plan.title,
            "back_url": action_plan.get_absolute_url(),
            "back_label": "Back to the action plan",
            "remove_url": remove[0],
            "remove_label": remove[1],
            "chosen": joined(f"{i.code} {i.title}" for i in chosen),
            "publish": publish,
        },
    )


def _editable_plan(partnership, pk) -> ActionPlan:
    return get_object_or_404(
        ActionPlan.objects.select_related("partnership"), pk=pk, partnership=partnership
    )


@login_required
def objective_create(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    action_plan = _editable_plan(partnership, pk)
    return _objective_form_view(request, partnership, action_plan, None)


@login_required
def objective_edit(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    objective = get_object_or_404(
        Objective.objects.select_related("plan__partnership"),
        pk=pk,
        plan__partnership=partnership,
    )
    return _objective_form_view(request, partnership, objective.plan, objective)


def _action(request, slug, pk, access) -> Action:
    partnership = partnership_for(request.user, slug, access)
    return get_object_or_404(
        Action.objects.select_related(
            "plan__partnership", "plan__theme_group", "objective", "lead_member__user"
        ),
        pk=pk,
        plan__partnership=partnership,
    )


@login_required
def action_detail(request, slug, pk):
    action = _action(request, slug, pk, _access_for(request))
    partnership = action.plan.partnership
    can_edit = has_access(request.user, partnership, Access.EDIT)
    form = None
    # A closed action takes no update: its page offers none, and the service refuses one
    # posted from a page opened before it was closed (its error summary says why).
    if can_edit and (request.method == "POST" or not action.closed):
        form = QuickUpdateForm(
            request.POST or None,
            partnership=partnership,
            prefix=f"a{action.pk}",
            initial={"status": action.status},
        )
        if request.method == "POST" and _quick_update(request, action, form):
            messages.success(request, _now_message(action))
            return redirect(action.get_absolute_url())
    period, figures = selectors.linked_figures(
        partnership, action.indicators.values_list("pk", flat=True)
    )
    linked = [
        figures.get(i.pk) or selectors.LinkedIndicator(i, "", "", False)
        for i in action.indicators.order_by("code")
    ]
    return render(
        request,
        "actions/action_detail.html",
        {
            "partnership": partnership,
            "plan": action.plan,
            "action": action,
            "history": selectors.action_history(action),
            "changes": selectors.row_changes(action, every=_every_change(request)),
            "linked": linked,
            "figures_period": period,
            "legend": rules.status_legend(partnership.rag_legend),
            "overdue": rules.is_overdue(
                action.due, action.status, timezone.localdate(), closed=action.closed
            ),
            "form": form,
            "can_edit": can_edit,
        },
    )


def _every_change(request) -> bool:
    """Whether the page shows every recorded change of its row, not only the latest."""
    return request.GET.get("changes") == "all"


def _action_form_view(request, partnership, action_plan, action):
    objective = request.GET.get("objective", "")
    initial = {}
    chosen = []
    if action is None:
        # Just after adding an objective, its actions come next.
        if objective.isdecimal():
            initial["objective"] = objective
        # From the publish page's red indicator without an action (?indicator=<id>).
        chosen = selectors.indicators_chosen(partnership, request.GET.getlist("indicator"))
        if chosen:
            initial["indicators"] = [indicator.pk for indicator in chosen]
    form = ActionForm(
        request.POST or None,
        instance=action,
        initial=initial or None,
        plan=action_plan,
        members=selectors.members_for(partnership, keep=action.lead_member_id if action else None),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action is None:
                saved, changed = services.action_save(
                    plan=action_plan,
                    by=request.user,
                    fields=services.ActionFields(
                        objective_id=data["objective"].pk,
                        reference=data["reference"],
                        description=data["description"],
                        outcome=data["outcome"],
                        lead_member_id=data["lead_member"].pk if data["lead_member"] else None,
                        lead_text=data["lead_text"],
                        due=data["due"],
                        when=data["when"],
                        closed=data["closed"],
                    ),
                    indicators=list(data["indicators"]),
                )
            else:
                saved, changed = services.action_save(
                    plan=action_plan, by=request.user, action=action, edits=form_edits(form)
                )
        except services.StaleEdit as stale:
            _stale_message(form, stale, f"action {action.reference}")
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            verb = "Added" if action is None else ("Saved" if changed else "Nothing changed in")
            messages.success(request, f"{verb} action {saved.reference}.")
            return redirect(action_plan.get_absolute_url() + f"#action-{saved.pk}")
    title = f"Change action {action.reference}" if action else "Add an action"
    remove = reverse("actions:action_remove", args=[partnership.slug, action.pk]) if action else ""
    return _plan_form_page(
        request,
        partnership,
        action_plan,
        form,
        title,
        action,
        (remove, "Remove this action"),
        chosen=chosen,
        publish=selectors.report_to_publish(partnership, request.GET.get("report", ""))
        if chosen and request.GET.get("from") == "publish"
        else None,
    )


@login_required
def action_create(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    action_plan = _editable_plan(partnership, pk)
    return _action_form_view(request, partnership, action_plan, None)


@login_required
def action_edit(request, slug, pk):
    action = _action(request, slug, pk, Access.EDIT)
    return _action_form_view(request, action.plan.partnership, action.plan, action)


# Risks, cross-theme issues and recommendations -----------------------------


def _none_yet(text: str, add_url: str, add_label: str, can_edit: bool) -> str:
    if not can_edit:
        return text
    return format_html('{} <a class="govuk-link" href="{}">{}</a>.', text, add_url, add_label)


def _list_view(
    request,
    slug,
    *,
    table_class,
    queryset_for,
    statuses,
    template,
    name,
    heading,
    add,
    empty,
    current,
    export=None,
):
    """``export``: the list's rows as an import table's rows (transfer.EXPORT's), for a
    list whose download is that table's file, to import back; None downloads the table
    as shown."""
    partnership = partnership_for(request.user, slug, Access.LIVE)
    form = ListFilterForm(request.GET or None, choices=statuses)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    can_edit = has_access(request.user, partnership, Access.EDIT)
    listed = queryset_for(partnership, status=status)
    table = table_class(listed, slug=slug, can_edit=can_edit)
    if not status:
        # Nothing filtered out: an empty list means there are none at all.
        table.empty_text = _none_yet(empty, reverse(add[0], args=[slug]), add[1], can_edit)
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS and export is not None:
        rows = export(partnership, listed)
        return _import_file_download(name, rows, export_format, f"{partnership.slug}-{name}")
    if export_format in EXPORT_FORMATS:
        RequestConfig(request).configure(table)
        return table_download(table, export_format, f"{partnership.slug}-{name}.{export_format}")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {
        "partnership": partnership,
        "table": table,
        "form": form,
        "can_edit": can_edit,
        "query": request.GET.urlencode(),
        "page_title": heading,
        "add_url": reverse(add[0], args=[slug]),
        "add_label": add[1],
        "current": current,
        "import_table": name if export is not None else "",
    }
    return render(request, template, context)


@require_safe
@login_required
def risks(request, slug):
    return _list_view(
        request,
        slug,
        table_class=RiskTable,
        queryset_for=selectors.risk_queryset,
        statuses=RISK_STATUSES,
        template="actions/risk_list.html",
        name="risks",
        heading="Risks",
        add=("actions:risk_create", "Add a risk"),
        empty="No risks recorded yet.",
        current="risks",
        export=transfer.export_risks,
    )


@require_safe
@login_required
def risk_matrix(request, slug):
    partnership = partnership_for(request.user, slug, Access.LIVE)
    matrix = selectors.risk_matrix(partnership)
    return render(
        request,
        "actions/risk_matrix.html",
        {
            "partnership": partnership,
            "matrix": matrix,
            "impacts": list(rules.LIKELIHOOD_IMPACT),
            "total": sum(cell.count for row in matrix for cell in row),
            "bands": [
                (band, rules.RISK_BAND_WORDS[band], lowest) for lowest, band in rules.RISK_BANDS
            ],
        },
    )


@require_safe
@login_required
def issues(request, slug):
    return _list_view(
        request,
        slug,
        table_class=IssueTable,
        queryset_for=selectors.issue_queryset,
        statuses=RISK_STATUSES,
        template="actions/issue_list.html",
        name="cross-theme-issues",
        heading="Cross-theme issues",
        add=("actions:issue_create", "Add a cross-theme issue"),
        empty="No cross-theme issues recorded yet.",
        current="issues",
    )


@require_safe
@login_required
def recommendations(request, slug):
    return _list_view(
        request,
        slug,
        table_class=RecommendationTable,
        queryset_for=selectors.recommendation_queryset,
        statuses=RECOMMENDATION_STATUSES,
        template="actions/recommendation_list.html",
        name="recommendations",
        heading="Scrutiny recommendations",
        add=("actions:recommendation_create", "Add a recommendation"),
        empty="No recommendations recorded yet.",
        current="recommendations",
        export=transfer.export_recommendations,
    )


@require_safe
@login_required
def follow_up(request, slug):
    partnership = partnership_for(request.user, slug, Access.LIVE)
    recommendations = selectors.open_recommendations(partnership)
    return render(
        request,
        "actions/follow_up.html",
        {
            "partnership": partnership,
            "recommendations": recommendations,
            # Only asked when nothing is open: none at all, or all done or rejected.
            "any_recommendations": bool(recommendations) or partnership.recommendations.exists(),
            "can_edit": has_access(request.user, partnership, Access.EDIT),
        },
    )


def _edit_view(request, slug, pk, *, model, form_class, save, label, list_url):
    """Add (pk None) or change a risk, issue or recommendation through its service."""
    partnership = partnership_for(request.user, slug, Access.EDIT)
    row = get_object_or_404(model, pk=pk, partnership=partnership) if pk else None
    form = form_class(request.POST or None, instance=row, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            saved, changed = save(
                partnership=partnership,
                by=request.user,
                values=dict(form.cleaned_data) if row is None else {},
                edits=form_edits(form) if row else None,
                **{label: row},
            )
        except services.StaleEdit as stale:
            _stale_message(form, stale, f"this {label}")
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            verb = "Added" if row is None else ("Saved" if changed else "Nothing changed in")
            # A risk, issue or recommendation is named by its shortened text, which may end "…".
            messages.success(request, ended(f"{verb} {label} {saved}"))
            return redirect(reverse(list_url, args=[slug]))
    noun = "cross-theme issue" if label == "issue" else label
    # A risk or recommendation is named by its reference ("risk SS-R1"); an issue, which
    # has none, by its title.
    named = ""
    if row is not None:
        named = f"{noun} {row.reference}" if hasattr(row, "reference") else f"{noun} “{row.title}”"
    return render(
        request,
        "actions/form.html",
        {
            "partnership": partnership,
            "form": form,
            # "Change risk SS-R1", as an action's page names its action.
            "page_title": f"Change {named}" if row else f"Add a {noun}",
            "caption": partnership.name,
            "parent": section(partnership, list_url),
            "back_url": reverse(list_url, args=[slug]),
            "back_label": "Back to the list",
            "remove_url": reverse(f"actions:{label}_remove", args=[slug, row.pk]) if row else "",
            "remove_label": f"Remove this {noun}",
            "changes": selectors.row_changes(row, every=_every_change(request)) if row else None,
            "changes_of": named,
        },
    )


@login_required
def risk_edit(request, slug, pk=None):
    return _edit_view(
        request,
        slug,
        pk,
        model=Risk,
        form_class=RiskForm,
        save=services.risk_save,
        label="risk",
        list_url="actions:risks",
    )


@login_required
def issue_edit(request, slug, pk=None):
    return _edit_view(
        request,
        slug,
        pk,
        model=CrossThemeIssue,
        form_class=IssueForm,
        save=services.issue_save,
        label="issue",
        list_url="actions:issues",
    )


@login_required
def recommendation_edit(request, slug, pk=None):
    return _edit_view(
        request,
        slug,
        pk,
        model=Recommendation,
        form_class=RecommendationForm,
        save=services.recommendation_save,
        label="recommendation",
        list_url="actions:recommendations",
    )


# Removing a row keyed in by mistake ----------------------------------------


def _removal(request, partnership, row, **page) -> HttpResponse:
    """The removal page of a row of the partnership (csp_portal/core/removal.py)."""
    return removal_view(
        request,
        RemovalPage(partnership=partnership, **page),
        row=row,
        refusals=services.removal_refusals(row),
        remove=lambda: services.row_remove(row=row, by=request.user),
    )


@login_required
def plan_remove(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    action_plan = _editable_plan(partnership, pk)
    return _removal(
        request,
        partnership,
        action_plan,
        noun=f"the action plan “{action_plan.title}”",
        kind="action plan",
        details=[
            ("Title", action_plan.title),
            ("Financial year", action_plan.year_label),
            ("Theme group", action_plan.theme_group.name if action_plan.theme_group else ""),
        ],
        parent=action_plan,
        caption=partnership.name,
        back_url=reverse("actions:plan_edit", args=[slug, pk]),
        done_url=reverse("actions:plans", args=[slug]),
    )


@login_required
def objective_remove(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    objective = get_object_or_404(
        Objective.objects.select_related("plan__partnership"), pk=pk, plan__partnership=partnership
    )
    return _removal(
        request,
        partnership,
        objective,
        noun=f"objective {objective.number}",
        details=[("Number", objective.number), ("Objective", objective.title)],
        parent=objective.plan,
        caption=objective.plan.title,
        back_url=reverse("actions:objective_edit", args=[slug, pk]),
        done_url=objective.plan.get_absolute_url() + "#objectives",
    )


@login_required
def action_remove(request, slug, pk):
    action = _action(request, slug, pk, Access.EDIT)
    return _removal(
        request,
        action.plan.partnership,
        action,
        noun=f"action {action.reference}",
        details=[
            ("Reference", action.reference),
            ("Action", action.description),
            ("Objective", str(action.objective)),
            ("Lead", action.lead),
            ("Due date", day_label(action.due) if action.due else ""),
        ],
        parent=action,
        caption=action.plan.title,
        back_url=reverse("actions:action_edit", args=[slug, pk]),
        done_url=action.plan.get_absolute_url(),
    )


def _listed_removal(
    request, slug, pk, *, model, noun: str, details, list_url, edit_url, kind: str = ""
):
    """The removal page of a risk, cross-theme issue or recommendation."""
    partnership = partnership_for(request.user, slug, Access.EDIT)
    row = get_object_or_404(model, pk=pk, partnership=partnership)
    return _removal(
        request,
        partnership,
        row,
        noun=noun.format(row=row),
        kind=kind,
        details=details(row),
        parent=section(partnership, list_url),
        caption=partnership.name,
        back_url=reverse(edit_url, args=[slug, pk]),
        done_url=reverse(list_url, args=[slug]),
    )


@login_required
def risk_remove(request, slug, pk):
    return _listed_removal(
        request,
        slug,
        pk,
        model=Risk,
        noun="risk {row.reference}",
        details=lambda risk: [
            ("Reference", risk.reference),
            ("Description", risk.description),
            ("Owner", risk.owner),
            ("Likelihood", risk.likelihood),
            ("Impact", risk.impact),
            ("Status", risk.get_status_display()),
        ],
        list_url="actions:risks",
        edit_url="actions:risk_edit",
    )


@login_required
def issue_remove(request, slug, pk):
    return _listed_removal(
        request,
        slug,
        pk,
        model=CrossThemeIssue,
        noun="the cross-theme issue “{row.title}”",
        kind="cross-theme issue",
        details=lambda issue: [
            ("Title", issue.title),
            ("Issue", issue.issue),
            ("Raised on", day_label(issue.raised_on) if issue.raised_on else ""),
            ("Status", issue.get_status_display()),
        ],
        list_url="actions:issues",
        edit_url="actions:issue_edit",
    )


@login_required
def recommendation_remove(request, slug, pk):
    return _listed_removal(
        request,
        slug,
        pk,
        model=Recommendation,
        noun="recommendation {row.reference}",
        details=lambda rec: [
            ("Reference", rec.reference),
            ("Recommendation", rec.recommendation),
            ("To whom", rec.assigned_to),
            ("Meeting date", day_label(rec.meeting_date)),
            ("Response", rec.response),
            ("Status", rec.get_status_display()),
        ],
        list_url="actions:recommendations",
        edit_url="actions:recommendation_edit",
    )
