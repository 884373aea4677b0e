"""The admin keeps the partnership's rules: a RAG legend the pages can read, theme groups
within their partnership, and at least one administrator."""

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from csp_portal.core.admin import LAST_ADMINISTRATOR
from tests.factories import (
    IndicatorFactory,
    MeetingFactory,
    ThemeGroupFactory,
    UserFactory,
)

NO_INLINES = {
    f"{prefix}-{name}": value
    for prefix in ("theme_groups", "memberships", "meetings")
    for name, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0), ("MIN_NUM_FORMS", 0))
}


def _partnership_form(partnership, **changes) -> dict:
    return {
        "name": partnership.name,
        "slug": partnership.slug,
        "area": partnership.area,
        "police_force": partnership.police_force,
        "local_authorities": partnership.local_authorities,
        "population": partnership.population,
        "households": "",
        "businesses": "",
        "fy_start_month": partnership.fy_start_month,
        "rag_legend": json.dumps(partnership.rag_legend),
        **NO_INLINES,
        **changes,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("legend", "message"),
    [
        ('"text"', "must name colours and their meanings"),
        ("red: Off track", "is not written right. Write it as {&quot;red&quot;"),
        ('["red", "green"]', "must name colours and their meanings"),
        ('{"blue": "Fine"}', "are red, amber and green, not blue"),
        ('{"red": 5}', "Give red a meaning in words"),
        ('{"red": "Late", "green": " "}', "Give green a meaning in words"),
    ],
)
def test_admin_refuses_a_rag_legend_the_pages_cannot_read(
    client, admin_user, partnership_a, officer_a, legend, message
):
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])

    response = client.post(url, _partnership_form(partnership_a, rag_legend=legend))

    assert response.status_code == 200
    assert message in response.content.decode()
    partnership_a.refresh_from_db()
    assert partnership_a.rag_legend["red"].startswith("Off track")
    client.force_login(officer_a)
    assert client.get(f"/p/{partnership_a.slug}/actions/").status_code == 200


@pytest.mark.django_db
def test_admin_takes_a_legend_of_some_colours(client, admin_user, partnership_a):
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])

    legend = {"red": "Late", "green": "Done"}
    response = client.post(url, _partnership_form(partnership_a, rag_legend=json.dumps(legend)))

    assert response.status_code == 302
    partnership_a.refresh_from_db()
    assert partnership_a.rag_legend == legend


@pytest.mark.django_db
def test_admin_keeps_a_colour_that_actions_still_have(client, admin_user, partnership_a):
    from tests.factories.actions import ActionFactory, ActionPlanFactory

    ActionFactory(plan=ActionPlanFactory(partnership=partnership_a), status="amber")
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])

    legend = json.dumps({"red": "Late", "green": "Done"})
    response = client.post(url, _partnership_form(partnership_a, rag_legend=legend))

    assert response.status_code == 200
    assert "Actions of this partnership are amber: keep that colour" in response.content.decode()
    partnership_a.refresh_from_db()
    assert "amber" in partnership_a.rag_legend


def _indicator_form(indicator, **changes) -> dict:
    return {
        "partnership": indicator.partnership_id,
        "theme_group": indicator.theme_group_id,
        "code": indicator.code,
        "title": indicator.title,
        "polarity": indicator.polarity,
        "measure": indicator.measure,
        "frequency": indicator.frequency,
        "tolerance": "5",
        "stability": "1",
        "rate_per": indicator.rate_per,
        "active": "on",
        "targets-TOTAL_FORMS": 0,
        "targets-INITIAL_FORMS": 0,
        **changes,
    }


@pytest.mark.django_db
def test_admin_refuses_another_partnerships_theme_group_for_an_indicator(
    client, admin_user, partnership_a, partnership_b
):
    indicator = IndicatorFactory(partnership=partnership_a)
    own = indicator.theme_group
    other = ThemeGroupFactory(partnership=partnership_b)
    client.force_login(admin_user)
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])

    refused = client.post(url, _indicator_form(indicator, theme_group=other.pk))
    indicator.refresh_from_db()
    kept = indicator.theme_group
    mine = ThemeGroupFactory(partnership=partnership_a)
    taken = client.post(url, _indicator_form(indicator, theme_group=mine.pk))

    assert refused.status_code == 200
    assert "Choose a theme group of this partnership." in refused.content.decode()
    assert kept == own
    assert taken.status_code == 302
    indicator.refresh_from_db()
    assert indicator.theme_group == mine


@pytest.mark.django_db
@pytest.mark.parametrize("per", ["households", "businesses"])
def test_admin_refuses_a_rate_indicator_per_households_or_businesses(
    client, admin_user, partnership_a, per
):
    indicator = IndicatorFactory(partnership=partnership_a, measure="rate")
    client.force_login(admin_user)
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])

    refused = client.post(url, _indicator_form(indicator, rate_per=per))
    count = client.post(url, _indicator_form(indicator, measure="count", rate_per=per))

    assert refused.status_code == 200
    assert "a rate indicator&#x27;s figures are per 1,000 population" in refused.content.decode()
    assert count.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.measure, indicator.rate_per) == ("count", per)


@pytest.mark.django_db
def test_an_indicator_with_figures_keeps_its_measure_and_frequency(
    client, admin_user, partnership_a, tmp_path
):
    import datetime

    from indicators import importing
    from tests.factories.series import actuals_create
    from tests.integration.test_import import write_csv

    indicator = IndicatorFactory(partnership=partnership_a, code="RJ X")
    client.force_login(admin_user)
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    # Before any figure, it may change.
    assert client.post(url, _indicator_form(indicator, frequency="quarterly")).status_code == 302
    indicator.refresh_from_db()
    actuals_create(indicator, {datetime.date(2016, 4, 1): 10})

    refused = client.post(url, _indicator_form(indicator, frequency="monthly"))

    assert refused.status_code == 200
    assert "has figures entered as a quarterly count" in refused.content.decode()
    indicator.refresh_from_db()
    assert indicator.frequency == "quarterly"
    write_csv(
        tmp_path,
        "indicators",
        [
            {
                "partnership": "partnership-a",
                "code": "RJ X",
                "title": indicator.title,
                "polarity": indicator.polarity,
                "measure": "percentage",
                "frequency": "quarterly",
            }
        ],
    )
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=admin_user)
    assert "has figures entered as a quarterly count" in failed.value.report.errors[0]


@pytest.mark.django_db
def test_a_meeting_takes_only_a_theme_group_of_its_partnership(
    client, admin_user, partnership_a, partnership_b
):
    meeting = MeetingFactory(partnership=partnership_a)
    other = ThemeGroupFactory(partnership=partnership_b)
    client.force_login(admin_user)
    url = reverse("admin:core_meeting_change", args=[meeting.pk])
    form = {
        "partnership": partnership_a.pk,
        "kind": meeting.kind,
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "location": meeting.location,
    }

    response = client.post(url, {**form, "theme_group": other.pk})

    assert response.status_code == 200
    assert "Choose a theme group of this partnership." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.theme_group is None
    meeting.theme_group = ThemeGroupFactory(partnership=partnership_a)
    meeting.full_clean()  # its own partnership's: fine
    meeting.theme_group = other
    with pytest.raises(ValidationError):
        meeting.full_clean()


@pytest.mark.django_db
def test_a_theme_groups_partnership_is_fixed_once_it_is_made(
    client, admin_user, partnership_a, partnership_b
):
    indicator = IndicatorFactory(partnership=partnership_a)
    group = indicator.theme_group
    client.force_login(admin_user)
    url = reverse("admin:core_themegroup_change", args=[group.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {"partnership": partnership_b.pk, "name": group.name, "chair": "", "coordinator": ""},
    )

    assert 'name="partnership"' not in page
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.partnership == partnership_a
    assert 'name="partnership"' in client.get(reverse("admin:core_themegroup_add")).content.decode()


def _user_form(user, **changes) -> dict:
    form = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    form |= {
        flag: "on" for flag in ("is_active", "is_staff", "is_superuser") if getattr(user, flag)
    }
    form |= changes
    return {key: value for key, value in form.items() if value is not None}


@pytest.mark.django_db
@pytest.mark.parametrize("flag", ["is_active", "is_staff", "is_superuser"])
def test_the_last_administrator_cannot_unmake_themselves(client, admin_user, flag):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[admin_user.pk])

    response = client.post(url, _user_form(admin_user, **{flag: None}))

    assert response.status_code == 200
    assert LAST_ADMINISTRATOR in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.is_staff and admin_user.is_superuser


@pytest.mark.django_db
def test_an_administrator_may_step_down_while_another_remains(client, admin_user):
    UserFactory(username="second", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[admin_user.pk])

    response = client.post(url, _user_form(admin_user, is_superuser=None))

    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser


@pytest.mark.django_db
def test_a_user_who_is_no_administrator_is_changed_as_before(client, admin_user, officer_a):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[officer_a.pk])

    response = client.post(url, _user_form(officer_a, is_active=None))

    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert not officer_a.is_active


@pytest.mark.django_db
def test_a_user_deactivated_in_the_admin_stays_signed_out_when_reactivated(
    client, admin_user, officer_a
):
    officer = Client()
    officer.force_login(officer_a)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[officer_a.pk])

    client.post(url, _user_form(officer_a, is_active=None))
    officer_a.refresh_from_db()
    client.post(url, _user_form(officer_a, is_active="on"))

    officer_a.refresh_from_db()
    assert officer_a.is_active
    assert officer.get("/").status_code == 302  # to sign in
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_an_administrator_who_deactivates_themselves_is_signed_out(client, admin_user):
    UserFactory(username="second", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[admin_user.pk])

    response = client.post(url, _user_form(admin_user, is_active=None))

    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_the_last_administrator_cannot_be_deleted(client, admin_user, officer_a):
    client.force_login(admin_user)
    delete = reverse("admin:auth_user_delete", args=[admin_user.pk])
    changelist = reverse("admin:auth_user_changelist")

    confirm = client.get(delete)
    deleted = client.post(delete, {"post": "yes"}, follow=True)
    bulk = client.post(
        changelist,
        {
            "action": "delete_selected",
            "_selected_action": [admin_user.pk, officer_a.pk],
            "post": "yes",
        },
        follow=True,
    )

    assert confirm.status_code == 302
    assert LAST_ADMINISTRATOR in deleted.content.decode()
    assert LAST_ADMINISTRATOR in bulk.content.decode()
    assert User.objects.filter(pk__in=[admin_user.pk, officer_a.pk]).count() == 2


@pytest.mark.django_db
def test_users_are_deleted_while_an_administrator_remains(client, admin_user, officer_a):
    second = UserFactory(username="second", is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    one = client.post(reverse("admin:auth_user_delete", args=[second.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [officer_a.pk], "post": "yes"},
    )

    assert one.status_code == 302 and bulk.status_code == 302
    assert list(User.objects.values_list("username", flat=True)) == [admin_user.username]


DISABLE_PASSWORD = {"usable_password": "false", "unset-password": "Disable"}


@pytest.mark.django_db
def test_the_last_administrator_cannot_disable_their_password(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[admin_user.pk])

    response = client.post(url, DISABLE_PASSWORD)

    assert response.status_code == 200
    assert LAST_ADMINISTRATOR in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.check_password("pw-for-tests-1")


@pytest.mark.django_db
def test_an_administrator_without_a_password_is_not_one_who_remains(client, admin_user):
    second = UserFactory(username="second", is_staff=True, is_superuser=True)
    second.set_unusable_password()
    second.save()
    client.force_login(admin_user)

    disabled = client.post(
        reverse("admin:auth_user_password_change", args=[admin_user.pk]), DISABLE_PASSWORD
    )
    deleted = client.post(
        reverse("admin:auth_user_delete", args=[admin_user.pk]), {"post": "yes"}, follow=True
    )

    assert LAST_ADMINISTRATOR in disabled.content.decode()
    assert LAST_ADMINISTRATOR in deleted.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.has_usable_password()


@pytest.mark.django_db
def test_an_administrators_password_is_disabled_while_another_can_sign_in(client, admin_user):
    UserFactory(username="second", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[admin_user.pk])

    response = client.post(url, DISABLE_PASSWORD)

    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert not admin_user.has_usable_password()


@pytest.mark.django_db
def test_the_last_administrator_still_changes_their_password(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[admin_user.pk])

    empty = client.post(url, {"usable_password": "true"})
    changed = client.post(
        url,
        {"usable_password": "true", "password1": "Brand-new-9876", "password2": "Brand-new-9876"},
    )

    assert empty.context["form"].errors == {
        "password1": ["Enter a new password"],
        "password2": ["Enter the new password again"],
    }
    assert changed.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.check_password("Brand-new-9876")


@pytest.mark.django_db
def test_the_admin_refuses_an_issue_affecting_only_the_group_that_raised_it(
    client, admin_user, partnership_a
):
    from actions.models import CrossThemeIssue

    raiser = ThemeGroupFactory(partnership=partnership_a)
    other = ThemeGroupFactory(partnership=partnership_a)
    client.force_login(admin_user)
    url = reverse("admin:actions_crossthemeissue_add")
    data = {
        "partnership": partnership_a.pk,
        "title": "Alcohol",
        "issue": "Harm",
        "status": "open",
        "raised_by": raiser.pk,
        "affects": [raiser.pk],
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["affects"] == [
        "A cross-theme issue must affect at least one theme group other than the one that "
        "raised it."
    ]
    assert not CrossThemeIssue.objects.exists()
    assert client.post(url, {**data, "affects": [raiser.pk, other.pk]}).status_code == 302
    assert set(CrossThemeIssue.objects.get().affects.all()) == {raiser, other}


def _plan_page_form(client, url, **changes) -> dict:
    from tests.integration.test_admin_history import _untouched

    return {**_untouched(client.get(url)), **changes}


@pytest.mark.django_db
def test_admin_refuses_a_plan_year_its_actions_are_not_due_in(client, admin_user, partnership_a):
    """Review finding: the admin moved a plan to a year its actions' due dates fall outside,
    which the plan's page refuses (services.plan_year_check)."""
    from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory

    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2016)
    ActionFactory(objective=ObjectiveFactory(plan=plan), due=datetime.date(2016, 9, 30))
    client.force_login(admin_user)
    url = reverse("admin:actions_actionplan_change", args=[plan.pk])

    refused = client.post(url, _plan_page_form(client, url, financial_year="2017"))
    plan.refresh_from_db()
    kept = plan.financial_year
    taken = client.post(url, _plan_page_form(client, url, financial_year="2015"))

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["financial_year"] == [
        "1 action of this plan is due before 1 April 2017, when 2017/18 starts: change their "
        "due dates first, or choose an earlier year."
    ]
    assert kept == 2016
    assert taken.status_code == 302
    plan.refresh_from_db()
    assert plan.financial_year == 2015


@pytest.mark.django_db
def test_a_plans_partnership_and_an_objectives_plan_are_fixed_once_made(
    client, admin_user, partnership_a, partnership_b
):
    """Review finding: the admin moved a plan to another partnership (its actions' leads and
    indicators then another's) and an objective to another plan (its actions then in one
    plan, their objective in another); the site's pages move neither."""
    from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory

    plan = ActionPlanFactory(partnership=partnership_a)
    objective = ObjectiveFactory(plan=plan)
    ActionFactory(objective=objective)
    other = ActionPlanFactory(partnership=partnership_b)
    client.force_login(admin_user)
    plan_url = reverse("admin:actions_actionplan_change", args=[plan.pk])
    objective_url = reverse("admin:actions_objective_change", args=[objective.pk])

    plan_page = client.get(plan_url).content.decode()
    objective_page = client.get(objective_url).content.decode()
    client.post(plan_url, _plan_page_form(client, plan_url, partnership=partnership_b.pk))
    client.post(objective_url, {"plan": other.pk, "number": objective.number, "title": "Moved"})

    assert 'name="partnership"' not in plan_page
    assert 'name="plan"' not in objective_page
    plan.refresh_from_db()
    objective.refresh_from_db()
    assert plan.partnership == partnership_a
    assert objective.plan == plan and objective.title == "Moved"
    add_page = client.get(reverse("admin:actions_actionplan_add")).content.decode()
    assert 'name="partnership"' in add_page


@pytest.mark.django_db
def test_an_indicators_partnership_is_fixed_once_it_is_made(
    client, admin_user, partnership_a, partnership_b
):
    """Review finding: the admin moved an indicator, with its figures and the actions and
    lines linking it, to another partnership."""
    indicator = IndicatorFactory(partnership=partnership_a)
    client.force_login(admin_user)
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url, _indicator_form(indicator, partnership=partnership_b.pk, theme_group="")
    )

    assert 'name="partnership"' not in page
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.partnership == partnership_a


def _own_groups_case(partnership):
    from tests.factories.actions import (
        ActionPlanFactory,
        CrossThemeIssueFactory,
        RiskFactory,
    )

    return {
        "indicator": (IndicatorFactory(partnership=partnership), ["theme_group"]),
        "plan": (ActionPlanFactory(partnership=partnership), ["theme_group"]),
        "risk": (RiskFactory(partnership=partnership), ["theme_group"]),
        "issue": (CrossThemeIssueFactory(partnership=partnership), ["raised_by", "affects"]),
        "meeting": (MeetingFactory(partnership=partnership), ["theme_group"]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["indicator", "plan", "risk", "issue", "meeting"])
def test_admin_change_pages_offer_only_the_partnerships_theme_groups(
    client, admin_user, partnership_a, partnership_b, kind
):
    """Review finding: the admin's theme group boxes looked groups up among every
    partnership's, where the site's forms offer the partnership's own."""
    from tests.integration.test_admin_history import _untouched

    row, names = _own_groups_case(partnership_a)[kind]
    ThemeGroupFactory(partnership=partnership_a, name="Violence")
    other = ThemeGroupFactory(partnership=partnership_b, name="Burglary")
    own = list(partnership_a.theme_groups.order_by("name"))
    client.force_login(admin_user)
    opts = row._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])

    page = client.get(url)
    form = page.context["adminform"].form
    offered = {name: list(form.fields[name].queryset) for name in names}
    posted = _untouched(page)
    for name in names:
        posted[name] = [other.pk] if name == "affects" else other.pk
    refused = client.post(url, posted)

    assert offered == {name: own for name in names}
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    for name in names:
        assert errors[name] == [
            "Choose theme groups of this partnership."
            if name == "affects"
            else "Choose a theme group of this partnership."
        ]


@pytest.mark.django_db
def test_admin_refuses_an_issue_affecting_another_partnerships_theme_group(
    client, admin_user, partnership_a, partnership_b
):
    """Review finding: an issue added in the admin affected another partnership's theme
    group, which the site's form and the service refuse (services.issue_groups_check)."""
    from actions.models import CrossThemeIssue

    own = ThemeGroupFactory(partnership=partnership_a)
    other = ThemeGroupFactory(partnership=partnership_b)
    client.force_login(admin_user)
    url = reverse("admin:actions_crossthemeissue_add")
    data = {
        "partnership": partnership_a.pk,
        "title": "Alcohol",
        "issue": "Harm",
        "status": "open",
        "affects": [own.pk, other.pk],
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["affects"] == [
        "Choose theme groups of this partnership."
    ]
    assert not CrossThemeIssue.objects.exists()
    assert client.post(url, {**data, "affects": [own.pk]}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["Test-Valley", "test--valley", "-test-valley", "_test_valley"])
def test_admin_refuses_a_slug_the_import_would_not_find(client, admin_user, slug):
    """Review finding: the admin made partnerships with slugs such as "Test-Valley", which
    the import refuses ("must be lower-case words joined by -"): no file could update them."""
    from csp_portal.core.models import Partnership

    client.force_login(admin_user)
    form = {
        "name": "Test Valley",
        "fy_start_month": 4,
        "rag_legend": json.dumps({"red": "Late"}),
        **NO_INLINES,
    }

    refused = client.post(reverse("admin:core_partnership_add"), {**form, "slug": slug})
    taken = client.post(reverse("admin:core_partnership_add"), {**form, "slug": "test-valley"})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["slug"][-1] == (
        "The slug must be lower-case words joined by -, such as test-valley."
    )
    assert taken.status_code == 302
    assert list(Partnership.objects.values_list("slug", flat=True)) == ["test-valley"]


@pytest.mark.django_db
def test_user_page_says_what_staff_and_superuser_status_grant_here(client, admin_user, officer_a):
    client.force_login(admin_user)

    page = client.get(reverse("admin:auth_user_change", args=[officer_a.pk])).content.decode()

    assert "Designates whether the user can log into this admin site." not in page
    assert "On the site they see only the partnerships they are a member of." in page
    assert "on the site every partnership" in page


@pytest.mark.django_db
def test_user_list_shows_who_is_active(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("admin:auth_user_changelist"))

    assert "is_active" in response.context["cl"].list_display
    assert "column-is_active" in response.content.decode()


@pytest.mark.django_db
def test_admin_refuses_a_theme_group_differing_only_in_capitals(client, admin_user, partnership_a):
    """Review finding: imports match theme groups in any case, but the admin took a
    second "Safer streets" beside "Safer Streets"."""
    from csp_portal.core.models import ThemeGroup

    ThemeGroup.objects.create(partnership=partnership_a, name="Safer Streets")
    client.force_login(admin_user)
    form = {"partnership": partnership_a.pk, "chair": "", "coordinator": ""}

    refused = client.post(reverse("admin:core_themegroup_add"), {**form, "name": "safer streets"})
    other = client.post(reverse("admin:core_themegroup_add"), {**form, "name": "Safer Homes"})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["name"] == [
        "This partnership already has the theme group “Safer Streets”: use that one, or a "
        "name that differs by more than capitals and spaces."
    ]
    assert other.status_code == 302
    assert sorted(partnership_a.theme_groups.values_list("name", flat=True)) == [
        "Safer Homes",
        "Safer Streets",
    ]


@pytest.mark.django_db
def test_admin_refuses_two_new_theme_groups_differing_only_in_capitals(
    client, admin_user, partnership_a
):
    """Review finding: each row was compared with the groups stored, not with the other
    rows of the same partnership form, so both were saved."""
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])
    rows = {"theme_groups-TOTAL_FORMS": 3, "theme_groups-INITIAL_FORMS": 0}
    for n, name in enumerate(["Safer Streets", "Safer Homes", "safer  streets"]):
        rows |= {f"theme_groups-{n}-partnership": partnership_a.pk, f"theme_groups-{n}-name": name}

    response = client.post(url, _partnership_form(partnership_a, **rows))

    assert response.status_code == 200
    forms = response.context["inline_admin_formsets"][0].formset.forms
    assert [form.errors.get("name") for form in forms] == [
        None,
        None,
        [
            "Another row already names the theme group “Safer Streets”: give each theme "
            "group one row, with names that differ by more than capitals and spaces."
        ],
    ]
    assert not partnership_a.theme_groups.exists()


@pytest.mark.django_db
def test_admin_refuses_a_theme_group_differing_only_in_capitals_beyond_ascii(
    client, admin_user, partnership_a
):
    """Review finding: iexact on SQLite ignores case for ASCII letters only."""
    from csp_portal.core.models import ThemeGroup

    ThemeGroup.objects.create(partnership=partnership_a, name="Équipe jeunesse")
    client.force_login(admin_user)
    form = {"partnership": partnership_a.pk, "chair": "", "coordinator": "", "name": ""}

    refused = client.post(reverse("admin:core_themegroup_add"), {**form, "name": "équipe jeunesse"})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["name"] == [
        "This partnership already has the theme group “Équipe jeunesse”: use that one, or a "
        "name that differs by more than capitals and spaces."
    ]
    assert list(partnership_a.theme_groups.values_list("name", flat=True)) == ["Équipe jeunesse"]
