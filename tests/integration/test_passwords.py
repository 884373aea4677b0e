"""Changing and resetting a password (csp_portal/core/passwords.py): errors that say which
box is empty, and a completed reset that unlocks its user name."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

NEW_PASSWORD = "Brand-new-pass-9876"


def reset_link_form(client: Client, email: str) -> str:
    """Ask for a reset link, open it, and return the address of its new-password form."""
    assert client.post(reverse("password_reset"), {"email": email}).status_code == 302
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[-1].body).group(1)
    return client.get(link, follow=True).redirect_chain[-1][0]


def sign_in(username: str, password: str, address: str = "10.0.0.1") -> int:
    response = Client().post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def fail(username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        assert sign_in(username, "wrong", address) in (200, 429)


@pytest.mark.django_db
def test_password_change_says_which_box_is_empty(client, officer_a):
    client.force_login(officer_a)

    page = client.post(reverse("password_change"), {}).content.decode()

    for message in (
        "Enter your current password",
        "Enter a new password",
        "Enter the new password again",
    ):
        assert message in page
    assert "This field is required" not in page
    assert "Current password" in page


@pytest.mark.django_db
def test_password_change_still_changes_the_password(client, officer_a):
    client.force_login(officer_a)
    data = {
        "old_password": "pw-for-tests-1",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }

    response = client.post(reverse("password_change"), data)

    assert response["Location"] == reverse("password_change_done")
    officer_a.refresh_from_db()
    assert officer_a.check_password(NEW_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("officer-a", "Enter an email address in the correct format, like name@example.org"),
    ],
)
def test_password_reset_says_what_is_wrong_with_the_email(client, officer_a, email, message):
    response = client.post(reverse("password_reset"), {"email": email})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "This field is required" not in response.content.decode()
    assert not mail.outbox


@pytest.mark.django_db
def test_new_password_from_a_reset_link_says_which_box_is_empty(client, officer_a):
    form = reset_link_form(client, officer_a.email)

    page = client.post(form, {}).content.decode()

    assert "Enter a new password" in page and "Enter the new password again" in page
    assert "This field is required" not in page
    officer_a.refresh_from_db()
    assert officer_a.check_password("pw-for-tests-1")


@pytest.mark.django_db
def test_a_completed_reset_unlocks_its_user_name_only(client, officer_a, panel_a):
    fail("officer-a", 5, address="10.0.0.1")
    fail("panel-a", 5, address="10.0.0.2")
    assert sign_in("officer-a", "pw-for-tests-1", "10.0.0.3") == 429
    form = reset_link_form(client, officer_a.email)

    done = client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done["Location"] == reverse("password_reset_complete")
    assert sign_in("officer-a", NEW_PASSWORD, "10.0.0.1") == 302
    assert sign_in("panel-a", "pw-for-tests-1", "10.0.0.3") == 429


@pytest.mark.django_db
def test_a_reset_refused_leaves_the_lock(client, officer_a):
    fail("officer-a", 5)
    form = reset_link_form(client, officer_a.email)

    refused = client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": "other"})

    assert refused.status_code == 200
    assert sign_in("officer-a", "pw-for-tests-1", "10.0.0.3") == 429


@pytest.mark.django_db
def test_a_user_added_without_a_password_sets_their_first_by_reset(client, officer_a):
    """An administrator invites someone by adding them with password-based authentication
    disabled: the reset link is how they choose their first password."""
    officer_a.set_unusable_password()
    officer_a.save()

    form = reset_link_form(client, officer_a.email)
    response = client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert sign_in("officer-a", NEW_PASSWORD) == 302


@pytest.mark.django_db
def test_an_inactive_user_gets_no_reset_link(client, officer_a):
    officer_a.set_unusable_password()
    officer_a.is_active = False
    officer_a.save()

    assert client.post(reverse("password_reset"), {"email": officer_a.email}).status_code == 302
    assert not mail.outbox


@pytest.mark.django_db
def test_reset_done_page_sends_to_an_administrator(client):
    page = client.get(reverse("password_reset_done")).content.decode()

    assert "ask a portal administrator" in page
    assert "coordinator" not in page


@pytest.mark.django_db
def test_admin_adds_a_user_with_their_email_and_name(client, admin_user):
    client.force_login(admin_user)
    form = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "first_name": "Nia",
        "last_name": "Newcomer",
        "usable_password": "false",
        "password1": "",
        "password2": "",
    }

    response = client.post(reverse("admin:auth_user_add"), form)

    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert (user.email, user.first_name, user.last_name) == (
        "newcomer@example.org",
        "Nia",
        "Newcomer",
    )
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_admin_add_user_page_says_how_someone_without_a_password_gets_in(client, admin_user):
    client.force_login(admin_user)

    page = client.get(reverse("admin:auth_user_add")).content.decode()

    assert "Single Sign-On" not in page
    assert "Forgotten your password?" in page
    assert 'name="email"' in page
