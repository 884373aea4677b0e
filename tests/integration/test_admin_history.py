"""Adds, changes and deletions made in the admin join the site's own history of
commissioning and action plans, as the site's forms record them: who (the admin user),
old and new values, source "admin"."""

import pytest
from django.urls import reverse

from actions.models import Action, ActionsChange, ActionUpdate, Objective
from commissioning.models import CommissioningChange, CommissioningLine, ProgressUpdate
from tests.factories import ProgressOutputFactory, ProgressUpdateFactory
from tests.factories.actions import (
    ActionFactory,
    ActionPlanFactory,
    CrossThemeIssueFactory,
    ObjectiveFactory,
    RecommendationFactory,
    RiskFactory,
)


def _untouched(page) -> dict:
    """What an admin change page posts when nothing on it is changed: each field's value as
    shown, its inlines' too."""
    forms = [page.context["adminform"].form]
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def _change(client, url: str, **changes):
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {**_untouched(page), **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def _admin_url(row, view: str = "change") -> str:
    opts = row._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[row.pk])


@pytest.fixture
def signed_in(client, admin_user):
    client.force_login(admin_user)
    return client


# Commissioning ----------------------------------------------------------------


@pytest.mark.django_db
def test_admin_change_of_a_line_joins_its_history(signed_in, admin_user, commissioning_line_a):
    line = commissioning_line_a

    _change(signed_in, _admin_url(line), contribution="150000.00")

    change = CommissioningChange.objects.get(subject="line", object_id=line.pk)
    assert (change.changed_by, change.source, change.label) == (admin_user, "admin", str(line))
    assert (change.old["contribution"], change.new["contribution"]) == ("110000.00", "150000.00")
    assert {k for k in change.new if change.new[k] != change.old[k]} == {"contribution"}
    line.refresh_from_db()
    assert line.version == 2  # a page opened before the change sees it was changed


@pytest.mark.django_db
def test_admin_save_of_an_unchanged_line_adds_nothing(signed_in, commissioning_line_a):
    _change(signed_in, _admin_url(commissioning_line_a))

    assert not CommissioningChange.objects.exists()
    commissioning_line_a.refresh_from_db()
    assert commissioning_line_a.version == 1


@pytest.mark.django_db
def test_admin_change_of_a_stream_joins_its_history(signed_in, admin_user, funding_stream_a):
    _change(signed_in, _admin_url(funding_stream_a), amount="500000.00")

    change = CommissioningChange.objects.get(subject="stream")
    assert (change.changed_by, change.source, change.object_id) == (
        admin_user,
        "admin",
        funding_stream_a.pk,
    )
    assert (change.old["amount"], change.new["amount"]) == ("400568.00", "500000.00")


@pytest.mark.django_db
def test_admin_add_of_a_stream_joins_its_history(signed_in, admin_user, partnership_a):
    url = reverse("admin:commissioning_fundingstream_add")
    data = {"partnership": partnership_a.pk, "financial_year": 2018, "source": "Grant"}

    assert signed_in.post(url, {**data, "amount": "1000"}).status_code == 302

    change = CommissioningChange.objects.get()
    assert (change.subject, change.old, change.changed_by) == ("stream", None, admin_user)
    assert change.new["source"] == "Grant" and change.new["amount"] == "1000.00"


@pytest.mark.django_db
def test_admin_change_of_an_updates_outputs_alone_joins_its_history(
    signed_in, admin_user, progress_update_a
):
    output = progress_update_a.outputs.get()
    url = _admin_url(progress_update_a)
    prefix = signed_in.get(url).context["inline_admin_formsets"][0].formset.prefix

    _change(signed_in, url, **{f"{prefix}-0-value": "30", f"{prefix}-0-id": output.pk})

    change = CommissioningChange.objects.get(subject="update")
    assert change.changed_by == admin_user and change.source == "admin"
    assert (change.old["outputs"], change.new["outputs"]) == (
        [["Clients supported", "23"]],
        [["Clients supported", "30"]],
    )
    assert ProgressUpdate.objects.get().version == 2


@pytest.mark.django_db
def test_admin_add_of_an_update_joins_its_history_entered_by_the_admin_user(
    signed_in, admin_user, commissioning_line_a
):
    url = reverse("admin:commissioning_progressupdate_add")
    prefix = signed_in.get(url).context["inline_admin_formsets"][0].formset.prefix
    data = {
        "line": commissioning_line_a.pk,
        "date": "2017-10-31",
        "text": "Opened the service.",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-label": "Clients supported",
        f"{prefix}-0-value": "12",
        f"{prefix}-0-position": "0",
    }

    response = signed_in.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    update = ProgressUpdate.objects.get()
    assert update.entered_by == admin_user
    change = CommissioningChange.objects.get()
    assert (change.subject, change.object_id, change.old) == ("update", update.pk, None)
    assert change.label == "CI 01 2017/18 update 2017-10-31"
    assert change.new["outputs"] == [["Clients supported", "12"]]


@pytest.mark.django_db
def test_admin_deletion_of_a_line_joins_the_history_with_its_updates(
    signed_in, admin_user, commissioning_line_a
):
    line = commissioning_line_a
    update = ProgressUpdateFactory(line=line)
    ProgressOutputFactory(update=update)
    label = str(line)

    response = signed_in.post(_admin_url(line, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not CommissioningLine.objects.exists()
    gone = {c.subject: c for c in CommissioningChange.objects.filter(new__isnull=True)}
    assert set(gone) == {"line", "update"}
    assert (gone["line"].label, gone["line"].object_id) == (label, line.pk)
    assert gone["line"].old["reference"] == "CI 01"
    assert gone["update"].old["outputs"] == [["Clients supported", "23"]]
    assert {c.changed_by for c in gone.values()} == {admin_user}


@pytest.mark.django_db
def test_admin_deletion_of_selected_updates_joins_their_history(
    signed_in, admin_user, commissioning_line_a
):
    updates = ProgressUpdateFactory.create_batch(2, line=commissioning_line_a)
    url = reverse("admin:commissioning_progressupdate_changelist")
    ids = [u.pk for u in updates]

    signed_in.post(url, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})

    assert not ProgressUpdate.objects.exists()
    gone = CommissioningChange.objects.filter(subject="update", new__isnull=True)
    assert sorted(gone.values_list("object_id", flat=True)) == sorted(ids)


# Action plans ---------------------------------------------------------------


@pytest.mark.django_db
def test_admin_change_of_a_risk_joins_its_history(signed_in, admin_user, partnership_a):
    risk = RiskFactory(partnership=partnership_a, reference="R1")

    _change(signed_in, _admin_url(risk), likelihood="5")

    change = ActionsChange.objects.get(subject="risk", object_id=risk.pk)
    assert (change.changed_by, change.source, change.label) == (admin_user, "admin", str(risk))
    assert (change.old["likelihood"], change.new["likelihood"]) == (3, 5)


@pytest.mark.django_db
def test_admin_change_of_an_action_joins_its_history_and_a_closing_its_updates(
    signed_in, admin_user, partnership_a
):
    action = ActionFactory(
        objective=ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership_a))
    )

    _change(signed_in, _admin_url(action), description="Run the campaign", closed="on")

    change = ActionsChange.objects.get(subject="action")
    assert change.changed_by == admin_user and change.source == "admin"
    assert change.new["description"] == "Run the campaign" and change.new["closed"] is True
    closing = ActionUpdate.objects.get(action=action)
    assert (closing.kind, closing.by, closing.source) == ("closed", admin_user, "admin")
    assert closing.text == "Closed in the admin."


@pytest.mark.django_db
def test_admin_change_of_a_plans_objectives_joins_their_history(
    signed_in, admin_user, partnership_a
):
    plan = ActionPlanFactory(partnership=partnership_a)
    kept = ObjectiveFactory(plan=plan, number=1, title="Reduce harm")
    dropped = ObjectiveFactory(plan=plan, number=2, title="Old aim")
    url = _admin_url(plan)
    page = signed_in.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    rows = {
        form.instance.pk: i
        for i, form in enumerate(page.context["inline_admin_formsets"][0].formset.forms)
    }

    _change(
        signed_in,
        url,
        title="Safer streets",
        **{
            f"{prefix}-{rows[kept.pk]}-title": "Reduce harm to victims",
            f"{prefix}-{rows[dropped.pk]}-DELETE": "on",
        },
    )

    recorded = {
        (c.subject, c.object_id): c for c in ActionsChange.objects.filter(changed_by=admin_user)
    }
    assert set(recorded) == {("plan", plan.pk), ("objective", kept.pk), ("objective", dropped.pk)}
    assert recorded["plan", plan.pk].new["title"] == "Safer streets"
    assert recorded["objective", kept.pk].new["title"] == "Reduce harm to victims"
    assert recorded["objective", dropped.pk].new is None
    assert recorded["objective", dropped.pk].old["title"] == "Old aim"
    assert {c.source for c in recorded.values()} == {"admin"}
    assert list(Objective.objects.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_admin_deletion_of_a_plan_joins_the_history_with_its_objectives_and_actions(
    signed_in, admin_user, partnership_a
):
    plan = ActionPlanFactory(partnership=partnership_a)
    action = ActionFactory(objective=ObjectiveFactory(plan=plan))

    signed_in.post(_admin_url(plan, "delete"), {"post": "yes"})

    assert not Action.objects.exists()
    gone = ActionsChange.objects.filter(new__isnull=True, changed_by=admin_user, source="admin")
    assert sorted(gone.values_list("subject", "object_id")) == sorted(
        [("plan", plan.pk), ("objective", action.objective_id), ("action", action.pk)]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "subject", "field", "value"),
    [
        (CrossThemeIssueFactory, "issue", "title", "Alcohol harm"),
        (RecommendationFactory, "recommendation", "response", "Agreed"),
    ],
)
def test_admin_change_of_an_issue_or_recommendation_joins_its_history(
    signed_in, admin_user, partnership_a, factory, subject, field, value
):
    row = factory(partnership=partnership_a)

    _change(signed_in, _admin_url(row), **{field: value})

    change = ActionsChange.objects.get(subject=subject, object_id=row.pk)
    assert change.changed_by == admin_user and change.new[field] == value


@pytest.mark.django_db
def test_admin_add_of_a_risk_joins_its_history(signed_in, admin_user, partnership_a):
    url = reverse("admin:actions_risk_add")
    data = {
        "partnership": partnership_a.pk,
        "reference": "R9",
        "description": "Funding ends",
        "likelihood": "2",
        "impact": "4",
        "status": "open",
    }

    response = signed_in.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    change = ActionsChange.objects.get()
    assert (change.subject, change.old, change.changed_by) == ("risk", None, admin_user)
    assert change.new["reference"] == "R9"


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["actions.ActionsChange", "commissioning.CommissioningChange"])
def test_the_admin_cannot_delete_the_history(client, admin_user, model):
    """Review finding: an administrator could delete history rows in the admin, and so
    erase who changed what (the figures' history was already read-only)."""
    from django.apps import apps
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = django_admin.site._registry[apps.get_model(model)]

    assert not model_admin.has_delete_permission(request)


@pytest.mark.django_db
def test_admin_links_only_indicators_of_the_rows_own_partnership(
    signed_in, partnership_a, partnership_b, commissioning_line_a
):
    """Review finding: the admin's action and line pages linked another partnership's
    indicators, which the site's forms refuse (its box offers every partnership's)."""
    from tests.factories import IndicatorFactory

    theirs = IndicatorFactory(partnership=partnership_b, code="B 01")
    action = ActionFactory(
        objective=ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership_a))
    )
    refused = []
    for row in (action, commissioning_line_a):
        url = _admin_url(row)
        page = signed_in.get(url)
        response = signed_in.post(url, {**_untouched(page), "indicators": [theirs.pk]})
        refused.append(response.context["adminform"].form.errors.get("indicators"))
        assert not row.indicators.exists()

    assert (
        refused
        == [[f"Choose indicators of {partnership_a.name}: B 01 is another partnership's."]] * 2
    )


# Users and memberships ------------------------------------------------------------


def _last_change_message() -> str:
    from django.contrib.admin.models import LogEntry

    return LogEntry.objects.order_by("-pk").first().get_change_message()


@pytest.mark.django_db
def test_a_users_history_names_old_and_new_flags_and_groups(signed_in, officer_a):
    from django.contrib.auth.models import Group

    from tests.integration.test_admin_rules import _user_form

    editors = Group.objects.create(name="Editors")
    officer_a.date_joined = officer_a.date_joined.replace(microsecond=0)  # as the form shows it
    officer_a.save()
    url = reverse("admin:auth_user_change", args=[officer_a.pk])

    form = _user_form(officer_a, is_active=None, is_staff="on", groups=[editors.pk])
    assert signed_in.post(url, form).status_code == 302

    assert _last_change_message() == (
        "Changed Active from yes to no, Staff status from no to yes and Groups from blank "
        "to “Editors”."
    )


@pytest.mark.django_db
def test_a_memberships_history_names_old_and_new_role_and_organisation(signed_in, officer_a):
    from tests.factories import OrganisationFactory

    membership = officer_a.memberships.get()
    before = membership.organisation.name
    other = OrganisationFactory(name="Devon Police")

    _change(signed_in, _admin_url(membership), role="chair", organisation=other.pk)

    assert _last_change_message() == (
        f"Changed Organisation from “{before}” to “Devon Police” and Role from “Officer” "
        "to “Chair”."
    )


@pytest.mark.django_db
def test_a_membership_changed_on_its_partnerships_page_names_old_and_new_role(
    signed_in, partnership_a, officer_a
):
    membership = officer_a.memberships.get()
    page = signed_in.get(_admin_url(partnership_a))
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model._meta.model_name == "membership"
    )
    row = next(f.prefix for f in page.context["inline_admin_formsets"][1].formset if f.instance.pk)
    assert row.startswith(prefix)

    _change(signed_in, _admin_url(partnership_a), **{f"{row}-role": "coordinator"})

    membership.refresh_from_db()
    assert _last_change_message() == (
        f"Changed Role from “Officer” to “Coordinator” for membership “{membership}”."
    )
