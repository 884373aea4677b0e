"""Sessions (csp_portal/core/sessions.py): kept in the database, read with their user in one
query, and ended everywhere when the person signs out."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from csp_portal.core.models import Session

PAGE = "/"  # "My partnerships": for signed-in users only


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def same_session(client: Client) -> Client:
    """Another browser tab, or the same cookie reaching another server process."""
    other = Client()
    for name, morsel in client.cookies.items():
        other.cookies[name] = morsel.value
    return other


def is_signed_in(client: Client) -> bool:
    response = client.get(PAGE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.mark.django_db
def test_signing_out_ends_the_session_in_every_server_process(officer_a):
    client = signed_in(officer_a)
    assert is_signed_in(client)
    # What another server process would still hold in its own memory after this one
    # signs out: everything this one's cache holds now.
    held_elsewhere = dict(cache._cache), dict(cache._expire_info)
    other = same_session(client)
    client.post(reverse("logout"))
    cache._cache.update(held_elsewhere[0])
    cache._expire_info.update(held_elsewhere[1])
    assert not is_signed_in(other)
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_one_query_reads_the_session_and_its_user(officer_a):
    client = signed_in(officer_a)
    with CaptureQueriesContext(connection) as queries:
        assert is_signed_in(client)
    session_reads = [q["sql"] for q in queries if "core_session" in q["sql"]]
    assert len(session_reads) == 1
    assert "auth_user" in session_reads[0]
    assert not [q for q in queries if q["sql"].lstrip().startswith('SELECT "auth_user"')]


@pytest.mark.django_db
def test_the_session_row_names_its_user_and_goes_with_them(officer_a, panel_a):
    signed_in(officer_a)
    signed_in(panel_a)
    assert set(Session.objects.values_list("user_id", flat=True)) == {officer_a.pk, panel_a.pk}
    officer_a.delete()
    assert list(Session.objects.values_list("user_id", flat=True)) == [panel_a.pk]


@pytest.mark.django_db
def test_a_changed_password_or_deactivation_still_signs_out(officer_a, panel_a):
    client = signed_in(officer_a)
    officer_a.set_password("a-new-password-2026")
    officer_a.save()
    assert not is_signed_in(client)

    client = signed_in(panel_a)
    panel_a.is_active = False
    panel_a.save()
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_sessions_for_good(officer_a, panel_a):
    phone, laptop, other = signed_in(officer_a), signed_in(officer_a), signed_in(panel_a)

    officer_a.is_active = False
    officer_a.save()
    officer_a.is_active = True
    officer_a.save()

    assert not is_signed_in(phone) and not is_signed_in(laptop)
    assert is_signed_in(other)
    assert list(Session.objects.values_list("user_id", flat=True)) == [panel_a.pk]


@pytest.mark.django_db
def test_an_expired_session_is_refused(officer_a):
    client = signed_in(officer_a)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_signing_in_through_the_form_keeps_the_user_on_the_session(officer_a):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "officer-a", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 302
    assert Session.objects.get().user_id == officer_a.pk
    assert is_signed_in(client)


@pytest.mark.django_db
def test_a_session_of_someone_signed_out_has_no_user(officer_a):
    client = Client()
    session = client.session  # a session before signing in, as a failed sign-in leaves
    session["note"] = "kept"
    session.save()
    assert Session.objects.get().user_id is None
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_a_user_deactivated_in_bulk_is_refused_and_their_old_cookie_never_signs_in_again(
    officer_a, panel_a
):
    # No page deactivates in bulk, but a shell or a future admin action might: no signal
    # runs, so the session is ended when it is next read.
    client, other = signed_in(officer_a), signed_in(panel_a)
    old_cookie = same_session(client)
    User = get_user_model()

    User.objects.filter(pk=officer_a.pk).update(is_active=False)
    assert not is_signed_in(client)
    User.objects.filter(pk=officer_a.pk).update(is_active=True)

    assert not is_signed_in(old_cookie)
    assert is_signed_in(other)
    assert list(Session.objects.values_list("user_id", flat=True)) == [panel_a.pk]
