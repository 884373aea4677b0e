"""One user an email address: the admin adds no one without a password or an address, nor
gives anyone an address another user has, and a reset link asked for with an address two
active users share goes to neither (csp_portal/core/admin.py, csp_portal/core/passwords.py).
Review finding: added as jbloggs with officer@example.org, an account's reset link went to
that mailbox's owner, who could then set its password."""

import logging

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from csp_portal.core.admin import EMAIL_KEPT, EMAIL_TAKEN, NO_EMAIL, NO_EMAIL_TO_DISABLE
from tests.factories import MembershipFactory, UserFactory
from tests.integration.test_admin_rules import _user_form
from tests.integration.test_admin_users_scope import USER_PERMISSIONS, _added, _staff_of

pytestmark = pytest.mark.django_db

NO_PASSWORD = {"usable_password": "false", "password1": "", "password2": ""}


def _add(client, email: str, **changes):
    form = {"username": "jbloggs", "email": email, "first_name": "Jo", "last_name": "Bloggs"}
    return client.post(reverse("admin:auth_user_add"), {**form, **NO_PASSWORD, **changes})


def _email_errors(response) -> list[str]:
    assert response.status_code == 200
    return response.context["adminform"].form.errors.get("email", [])


def _reset(client, email: str) -> list[str]:
    """Ask for a reset link: the addresses of the emails sent."""
    assert client.post(reverse("password_reset"), {"email": email}).status_code == 302
    return [address for message in mail.outbox for address in message.to]


def test_a_user_added_without_a_password_needs_an_email_address(client, admin_user):
    client.force_login(admin_user)

    refused = _add(client, "")
    with_password = _add(
        client, "", usable_password="true", password1="Brand-new-9876", password2="Brand-new-9876"
    )

    assert _email_errors(refused) == [NO_EMAIL]
    assert with_password.status_code == 302
    assert User.objects.get(username="jbloggs").has_usable_password()


def _without_a_password(username: str, email: str) -> User:
    user = UserFactory(username=username, email=email)
    user.set_unusable_password()
    user.save()
    return user


def test_a_user_without_a_password_keeps_their_email_address(client, admin_user):
    """Emptied, no link could reach them: they could never sign in. Someone with a password
    may be left without one; someone without either from before is still deactivated."""
    jbloggs = _without_a_password("jbloggs", "jo@example.org")
    with_password = UserFactory(username="alice", email="alice@example.org")
    neither = _without_a_password("neither", "")
    client.force_login(admin_user)

    def change(user, **changes):
        return client.post(
            reverse("admin:auth_user_change", args=[user.pk]), _user_form(user, **changes)
        )

    refused = change(jbloggs, email="  ")
    emptied = change(with_password, email="")
    deactivated = change(neither, is_active=None, first_name="Neither")

    assert _email_errors(refused) == [EMAIL_KEPT]
    assert emptied.status_code == deactivated.status_code == 302
    for user in (jbloggs, with_password, neither):
        user.refresh_from_db()
    assert (jbloggs.email, with_password.email) == ("jo@example.org", "")
    assert (neither.is_active, neither.first_name) == (False, "Neither")


def test_the_password_of_someone_without_an_email_address_is_not_disabled(client, admin_user):
    alice = UserFactory(username="alice", email="")
    jo = UserFactory(username="jo", email="jo@example.org")
    client.force_login(admin_user)
    disable = {"usable_password": "false", "unset-password": "Disable"}

    def disabled(user):
        url = reverse("admin:auth_user_password_change", args=[user.pk])
        return client.post(url, disable)

    refused = disabled(alice)
    allowed = disabled(jo)

    assert refused.status_code == 200
    assert refused.context["form"].errors == {"usable_password": [NO_EMAIL_TO_DISABLE]}
    assert allowed.status_code == 302
    alice.refresh_from_db()
    jo.refresh_from_db()
    assert alice.has_usable_password() and not jo.has_usable_password()


@pytest.mark.parametrize(
    "email", ["officer-a@example.org", "Officer-A@Example.ORG", "  OFFICER-A@example.org  "]
)
def test_add_user_refuses_an_email_address_another_user_has(client, admin_user, officer_a, email):
    client.force_login(admin_user)

    response = _add(client, email)

    assert _email_errors(response) == [EMAIL_TAKEN]
    assert not User.objects.filter(username="jbloggs").exists()


def test_add_user_refuses_an_address_stored_with_other_capitals_and_spaces(client, admin_user):
    """As one may have been, outside the admin."""
    UserFactory(username="stored", email="  Officer@Example.org ")
    client.force_login(admin_user)

    assert _email_errors(_add(client, "officer@example.org")) == [EMAIL_TAKEN]


def test_a_staff_user_is_not_told_whose_address_they_gave(client, partnership_a, partnership_b):
    """The address's user is of another partnership: the admin does not show them to the
    staff user, so the refusal does not name them."""
    staff = _staff_of(partnership_a, "staff-a", *USER_PERMISSIONS, "view_organisation")
    other = UserFactory(username="r-oddname", email="Newcomer@example.org", last_name="Oddname")
    MembershipFactory(user=other, partnership=partnership_b)
    client.force_login(staff)

    refused = _added(client, partnership_a)  # as newcomer@example.org

    assert _email_errors(refused) == [EMAIL_TAKEN]
    page = refused.content.decode()
    assert "r-oddname" not in page and "Oddname" not in page and "Partnership B" not in page
    assert not User.objects.filter(username="newcomer").exists()


def test_change_user_refuses_an_email_address_another_user_has(client, admin_user, officer_a):
    alice = UserFactory(username="alice")
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[alice.pk])

    refused = client.post(url, _user_form(alice, email="Officer-A@example.org "))
    own_in_capitals = client.post(url, _user_form(alice, email="ALICE@example.org"))

    assert _email_errors(refused) == [EMAIL_TAKEN]
    assert own_in_capitals.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "ALICE@example.org"


def test_people_sharing_an_address_from_before_can_still_be_changed(client, admin_user):
    """Deactivated, or given their own address: the page of either still saves."""
    first = UserFactory(username="first", email="shared@example.org")
    UserFactory(username="second", email="Shared@example.org")
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[first.pk])

    deactivated = client.post(url, _user_form(first, is_active=None))
    given_own = client.post(url, _user_form(first, is_active=None, email="first@example.org"))

    assert deactivated.status_code == given_own.status_code == 302
    first.refresh_from_db()
    assert (first.is_active, first.email) == (False, "first@example.org")


@pytest.mark.parametrize("second", ["officer@example.org", " Officer@Example.org"])
def test_a_reset_asked_for_an_address_two_users_share_sends_nothing(client, caplog, second):
    UserFactory(username="officer", email="officer@example.org")
    UserFactory(username="jbloggs", email=second)

    with caplog.at_level(logging.WARNING, logger="csp_portal.core.passwords"):
        sent = _reset(client, "officer@example.org")

    assert sent == []
    assert caplog.messages == [
        "No password reset link sent: the users jbloggs, officer share the email address "
        "asked for; give each their own in the admin."
    ]


def test_a_reset_goes_to_the_one_active_user_with_the_address(client):
    UserFactory(username="officer", email="Officer@example.org")
    UserFactory(username="left", email="officer@example.org", is_active=False)

    sent = _reset(client, "OFFICER@example.org")

    assert sent == ["Officer@example.org"]
    assert "officer" in mail.outbox[0].body
