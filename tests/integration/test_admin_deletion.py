"""The admin deletes nothing the site's records still name: a user who entered, changed,
published or imported anything is deactivated instead."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from csp_portal.core import selectors
from csp_portal.core.models import Partnership
from indicators.models import FigureChange
from tests.factories import (
    ActualFactory,
    IndicatorFactory,
    ProgressUpdateFactory,
    ReportFactory,
)


def _figure_change(user):
    FigureChange.objects.create(
        indicator=IndicatorFactory(),
        subject="actual",
        period=datetime.date(2016, 4, 1),
        new={"value": "1"},
        changed_by=user,
    )


def _action_update(user):
    from actions.models import ActionUpdate
    from tests.factories.actions import ActionFactory

    ActionUpdate.objects.create(
        action=ActionFactory(), date=datetime.date(2016, 5, 1), status="green", by=user
    )


def _actions_change(user):
    from actions.models import ActionsChange

    ActionsChange.record(
        old=None,
        new={"title": "Plan"},
        label="Plan",
        partnership=Partnership.objects.first(),
        subject="plan",
        changed_by=user,
    )


def _commissioning_change(user):
    from commissioning.models import CommissioningChange

    CommissioningChange.record(
        old=None,
        new={"reference": "CI 01"},
        label="CI 01",
        partnership=Partnership.objects.first(),
        subject="line",
        changed_by=user,
    )


def _published_report(user):
    from reports import services

    services.report_publish(report=ReportFactory(), by=user)


def _police_import(user):
    from opendata.models import PoliceImport

    PoliceImport.objects.create(partnership=Partnership.objects.first(), imported_by=user)


def _admin_change(user):
    partnership = Partnership.objects.first()
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(partnership),
        object_id=str(partnership.pk),
        object_repr=str(partnership),
        action_flag=CHANGE,
    )


RECORDS = [
    (lambda user: ActualFactory(entered_by=user), "figures"),
    (_figure_change, "the history of figures"),
    (_action_update, "action updates"),
    (_actions_change, "the history of action plans"),
    (lambda user: ProgressUpdateFactory(entered_by=user), "commissioning progress updates"),
    (_commissioning_change, "the history of commissioning"),
    (lambda user: ReportFactory(created_by=user), "reports"),
    (_published_report, "published reports"),
    (_police_import, "police.uk imports"),
    (_admin_change, "the admin's history"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "named"), RECORDS, ids=[named for _, named in RECORDS])
def test_a_user_the_records_name_is_not_deleted(
    client, admin_user, officer_a, partnership_a, make, named
):
    make(officer_a)
    client.force_login(admin_user)
    delete = reverse("admin:auth_user_delete", args=[officer_a.pk])

    confirm = client.get(delete)
    deleted = client.post(delete, {"post": "yes"}, follow=True)
    bulk = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [officer_a.pk], "post": "yes"},
        follow=True,
    )

    message = (
        f"You cannot delete the user “officer-a” because the site's records name them ({named}), "
        'which would then lose who did what. Untick "Active" on their page instead'
    )
    assert confirm.status_code == 302
    assert confirm["Location"] == reverse("admin:auth_user_change", args=[officer_a.pk])
    for response in (deleted, bulk):
        said = [str(m) for m in response.context["messages"]]
        assert said and all(m.startswith(message) for m in said)
    assert User.objects.filter(pk=officer_a.pk).exists()


@pytest.mark.django_db
def test_selected_users_are_all_kept_when_the_records_name_any(client, admin_user, officer_a):
    ActualFactory(entered_by=officer_a)
    unnamed = User.objects.create_user("unnamed")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [officer_a.pk, unnamed.pk],
            "post": "yes",
        },
        follow=True,
    )

    [message] = response.context["messages"]
    assert str(message).startswith("You cannot delete the user “officer-a” because")
    assert User.objects.filter(pk__in=[officer_a.pk, unnamed.pk]).count() == 2


@pytest.mark.django_db
def test_a_user_no_record_names_is_deleted_with_their_memberships(client, admin_user, officer_a):
    client.force_login(admin_user)
    delete = reverse("admin:auth_user_delete", args=[officer_a.pk])

    confirm = client.get(delete)
    deleted = client.post(delete, {"post": "yes"})

    assert confirm.status_code == 200
    assert deleted.status_code == 302
    assert not User.objects.filter(pk=officer_a.pk).exists()


def test_every_record_that_names_a_user_has_words_for_the_refusal():
    relations = {key for key, _ in selectors._relations_to(User, [])}

    assert relations == set(selectors.USER_RECORDS) | selectors.USER_OWN


@pytest.fixture
def group_in_use(partnership_a):
    """A theme group with two indicators and a cross-theme issue affecting only it."""
    from tests.factories import ThemeGroupFactory
    from tests.factories.actions import CrossThemeIssueFactory

    group = ThemeGroupFactory(partnership=partnership_a, name="Violence")
    IndicatorFactory.create_batch(2, partnership=partnership_a, theme_group=group)
    CrossThemeIssueFactory(partnership=partnership_a).affects.add(group)
    return group


IN_USE = (
    "You cannot delete the theme group “Violence” because it still has 2 indicators and "
    "1 cross-theme issue affecting it: move them to another theme group, or delete them, first."
)


@pytest.mark.django_db
def test_a_theme_group_anything_belongs_to_is_not_deleted(client, admin_user, group_in_use):
    client.force_login(admin_user)
    delete = reverse("admin:core_themegroup_delete", args=[group_in_use.pk])

    confirm = client.get(delete, follow=True)
    deleted = client.post(delete, {"post": "yes"}, follow=True)
    bulk = client.post(
        reverse("admin:core_themegroup_changelist"),
        {"action": "delete_selected", "_selected_action": [group_in_use.pk], "post": "yes"},
        follow=True,
    )

    assert confirm.redirect_chain == [
        (reverse("admin:core_themegroup_change", args=[group_in_use.pk]), 302)
    ]
    for response in (confirm, deleted, bulk):
        assert [str(m) for m in response.context["messages"]] == [IN_USE]
    assert group_in_use.indicators.count() == 2
    assert group_in_use.issues_affecting.count() == 1


@pytest.mark.django_db
def test_a_partnerships_theme_group_rows_keep_a_group_in_use(
    client, admin_user, partnership_a, group_in_use
):
    from tests.factories import ThemeGroupFactory
    from tests.integration.test_admin_rules import _partnership_form

    unused = ThemeGroupFactory(partnership=partnership_a, name="Unused")
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])

    def rows(*deleted):
        groups = [group_in_use, unused]
        form = {"theme_groups-TOTAL_FORMS": 2, "theme_groups-INITIAL_FORMS": 2}
        for number, group in enumerate(groups):
            form |= {
                f"theme_groups-{number}-id": group.pk,
                f"theme_groups-{number}-partnership": partnership_a.pk,
                f"theme_groups-{number}-name": group.name,
            }
            if group in deleted:
                form[f"theme_groups-{number}-DELETE"] = "on"
        return _partnership_form(partnership_a, **form)

    refused = client.post(url, rows(group_in_use, unused))
    taken = client.post(url, rows(unused))

    assert refused.status_code == 200
    assert IN_USE in refused.content.decode()
    assert taken.status_code == 302
    assert list(partnership_a.theme_groups.all()) == [group_in_use]


@pytest.mark.django_db
def test_a_theme_group_nothing_belongs_to_is_deleted(client, admin_user, partnership_a):
    from tests.factories import ThemeGroupFactory

    group = ThemeGroupFactory(partnership=partnership_a)
    client.force_login(admin_user)
    delete = reverse("admin:core_themegroup_delete", args=[group.pk])

    confirm = client.get(delete)
    deleted = client.post(delete, {"post": "yes"})

    assert confirm.status_code == 200
    assert deleted.status_code == 302
    assert not partnership_a.theme_groups.exists()


@pytest.mark.django_db
def test_what_belongs_to_theme_groups_is_counted_for_each(partnership_a):
    from actions.models import CrossThemeIssue
    from tests.factories import CommissioningLineFactory, MeetingFactory, ThemeGroupFactory
    from tests.factories.actions import ActionPlanFactory, CrossThemeIssueFactory, RiskFactory

    one, two, idle = ThemeGroupFactory.create_batch(3, partnership=partnership_a)
    IndicatorFactory(partnership=partnership_a, theme_group=one)
    CommissioningLineFactory(partnership=partnership_a, theme_group=one)
    ActionPlanFactory(partnership=partnership_a, theme_group=two)
    RiskFactory.create_batch(2, partnership=partnership_a, theme_group=two)
    MeetingFactory(partnership=partnership_a, theme_group=two)
    ReportFactory(partnership=partnership_a, theme_group=two)
    both = CrossThemeIssueFactory(partnership=partnership_a, raised_by=one)
    both.affects.add(one, two)
    CrossThemeIssue.objects.create(partnership=partnership_a, title="Other", issue="Other")

    in_use = selectors.theme_groups_in_use([one.pk, two.pk, idle.pk])

    assert in_use == {
        one.pk: [
            "1 indicator",
            "1 commissioning line",
            "1 cross-theme issue it raised",
            "1 cross-theme issue affecting it",
        ],
        two.pk: [
            "1 action plan",
            "2 risks",
            "1 cross-theme issue affecting it",
            "1 meeting",
            "1 report",
        ],
    }


def test_everything_that_may_belong_to_a_theme_group_has_words_for_the_refusal():
    from csp_portal.core.models import ThemeGroup

    relations = {key for key, _ in selectors._relations_to(ThemeGroup, [])}

    assert relations == set(selectors.THEME_GROUP_USES)


@pytest.fixture
def linked_indicator(partnership_a):
    """An indicator with no figures that two actions and a commissioning line link."""
    from tests.factories import CommissioningLineFactory
    from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory

    indicator = IndicatorFactory(partnership=partnership_a, code="CS 01", title="Burglary")
    objective = ObjectiveFactory(plan=ActionPlanFactory(partnership=partnership_a))
    for action in ActionFactory.create_batch(2, objective=objective):
        action.indicators.add(indicator)
    CommissioningLineFactory(partnership=partnership_a).indicators.add(indicator)
    return indicator


LINKED = (
    "You cannot delete the indicator “CS 01 Burglary” because it still has 2 actions linked "
    "to it and 1 commissioning line linked to it: unlink it from them, or delete them, first."
)


@pytest.mark.django_db
def test_an_indicator_actions_or_lines_link_is_not_deleted(client, admin_user, linked_indicator):
    """Review finding: deleting an indicator in the admin unlinked the actions and lines that
    linked it, with no word in their history."""
    client.force_login(admin_user)
    delete = reverse("admin:indicators_indicator_delete", args=[linked_indicator.pk])

    confirm = client.get(delete, follow=True)
    deleted = client.post(delete, {"post": "yes"}, follow=True)
    bulk = client.post(
        reverse("admin:indicators_indicator_changelist"),
        {"action": "delete_selected", "_selected_action": [linked_indicator.pk], "post": "yes"},
        follow=True,
    )

    assert confirm.redirect_chain == [
        (reverse("admin:indicators_indicator_change", args=[linked_indicator.pk]), 302)
    ]
    for response in (confirm, deleted, bulk):
        assert [str(m) for m in response.context["messages"]] == [LINKED]
    assert linked_indicator.actions.count() == 2
    assert linked_indicator.commissioning_lines.count() == 1


@pytest.mark.django_db
def test_an_indicator_with_figures_is_not_deleted(client, admin_user, partnership_a):
    """Its figures and their history would go with it: it is made inactive instead."""
    indicator = IndicatorFactory(partnership=partnership_a, code="CS 02", title="Robbery")
    ActualFactory(indicator=indicator)
    _figure_change(admin_user)
    FigureChange.objects.update(indicator=indicator)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:indicators_indicator_delete", args=[indicator.pk]),
        {"post": "yes"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "You cannot delete the indicator “CS 02 Robbery” because it still has 1 figure and 1 "
        'change in the history of its figures: untick "Active" on its page instead: it leaves '
        "the partnership's lists, and its figures and their history are kept."
    ]
    assert indicator.actuals.count() == 1


@pytest.mark.django_db
def test_an_indicator_nothing_names_is_deleted(client, admin_user, partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    client.force_login(admin_user)
    delete = reverse("admin:indicators_indicator_delete", args=[indicator.pk])

    confirm = client.get(delete)
    deleted = client.post(delete, {"post": "yes"})

    assert confirm.status_code == 200
    assert deleted.status_code == 302
    assert not partnership_a.indicators.exists()


def test_everything_that_may_name_an_indicator_keeps_it_or_goes_with_it():
    from indicators.models import Indicator
    from indicators.selectors import INDICATOR_OWN, INDICATOR_USES

    relations = {key for key, _ in selectors._relations_to(Indicator, [])}

    assert relations == set(INDICATOR_USES) | INDICATOR_OWN


@pytest.mark.django_db
def test_a_partnership_with_figures_is_not_deleted(client, admin_user, partnership_a):
    """Review finding: Django's page said the account had no permission to delete
    "figure change, ...", which read as a fault in the administrator's permissions."""
    indicator = IndicatorFactory(partnership=partnership_a, code="CS 02")
    ActualFactory(indicator=indicator)
    ActualFactory(indicator=indicator, period=datetime.date(2016, 5, 1))
    _figure_change(admin_user)
    FigureChange.objects.update(indicator=indicator)
    client.force_login(admin_user)

    response = client.get(
        reverse("admin:core_partnership_delete", args=[partnership_a.pk]), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Partnership A has figures and history, so it is kept: figures, targets and the "
        "history of changes are never deleted, and it has 2 figures and 1 change in the "
        "history of its figures."
    ]
    assert Partnership.objects.filter(pk=partnership_a.pk).exists()


@pytest.mark.django_db
def test_selected_partnerships_are_kept_when_any_has_figures(
    client, admin_user, partnership_a, partnership_b
):
    ActualFactory(indicator=IndicatorFactory(partnership=partnership_b))
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:core_partnership_changelist"),
        {"action": "delete_selected", "_selected_action": [partnership_a.pk, partnership_b.pk]},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Partnership B has figures and history, so it is kept: figures, targets and the "
        "history of changes are never deleted, and it has 1 figure."
    ]
    assert Partnership.objects.count() == 2


@pytest.mark.django_db
def test_a_partnership_without_figures_is_deleted(client, admin_user, partnership_a):
    IndicatorFactory(partnership=partnership_a)
    client.force_login(admin_user)
    delete = reverse("admin:core_partnership_delete", args=[partnership_a.pk])

    confirm = client.get(delete)
    deleted = client.post(delete, {"post": "yes"})

    assert "permission" not in confirm.content.decode()
    assert deleted.status_code == 302
    assert not Partnership.objects.filter(pk=partnership_a.pk).exists()


@pytest.mark.django_db
def test_everything_the_admin_never_deletes_keeps_a_partnership(rf, admin_user):
    """What a partnership's deletion would take with it that the admin deletes for no one is
    counted by the refusal (else Django's page would say the account lacks permission)."""
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    never_deleted = {
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if not model_admin.has_delete_permission(request)
    }

    assert {label for label, _ in selectors.PARTNERSHIP_KEPT} == never_deleted
