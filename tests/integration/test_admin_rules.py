"""The admin keeps the partnership's rules: a RAG legend the pages can read, theme groups
within their partnership, and at least one administrator."""

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
