"""What people meet at the edges of a session: it lasts from their last request, signing
out says so, a stale form gets a page that says what to do, and the lockout keeps the
time it names."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csp_portal.core import sessions
from csp_portal.core.models import Session
from tests.factories import IndicatorFactory, ReportFactory
from tests.factories.actions import ActionPlanFactory
from tests.integration.test_signin import LOCKED, fail, sign_in


def _expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.django_db
def test_a_session_lasts_from_the_last_request_renewed_at_most_every_few_minutes(
    client, officer_a, partnership_a, monkeypatch
):
    client.force_login(officer_a)
    page = reverse("core:partnership", args=[partnership_a.slug])
    client.get(page)
    first = _expiry(client)

    client.get(page)
    assert _expiry(client) == first  # within five minutes: nothing written

    later = timezone.now() + datetime.timedelta(hours=3)
    monkeypatch.setattr(sessions.timezone, "now", lambda: later)
    client.get(page)
    assert _expiry(client) > first + datetime.timedelta(hours=2)


@pytest.mark.django_db
def test_a_session_in_use_all_day_still_ends_the_longest_time_after_sign_in(
    client, officer_a, partnership_a, monkeypatch
):
    client.force_login(officer_a)
    signed_in_at = timezone.now()
    page = reverse("core:partnership", args=[partnership_a.slug])
    longest = signed_in_at + datetime.timedelta(hours=12)

    for hours in (3, 6, 9, 11.9):  # a request every few hours: never idle for long
        later = signed_in_at + datetime.timedelta(hours=hours)
        monkeypatch.setattr(sessions.timezone, "now", lambda later=later: later)
        response = client.get(page)
        assert response.status_code == 200, hours
    assert abs((_expiry(client) - longest).total_seconds()) <= 1

    later = longest + datetime.timedelta(minutes=1)
    monkeypatch.setattr(sessions.timezone, "now", lambda: later)
    response = client.get(page)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    sign_in_page = client.get(response.url).content.decode()
    assert "a sign-in ends after 8 hours without using the site, and 12 hours after" in (
        sign_in_page
    )


@pytest.mark.django_db
def test_the_renewal_that_reaches_the_longest_time_sets_the_cookie_to_end_then(
    client, officer_a, partnership_a, monkeypatch
):
    client.force_login(officer_a)
    signed_in_at = timezone.now()
    later = signed_in_at + datetime.timedelta(hours=5)  # 8 hours more would pass 12
    monkeypatch.setattr(sessions.timezone, "now", lambda: later)

    renewed = client.get(reverse("core:partnership", args=[partnership_a.slug]))

    assert abs(renewed.cookies["sessionid"]["max-age"] - 7 * 60 * 60) <= 1


@pytest.mark.django_db
def test_a_longest_time_shorter_than_the_idle_time_holds_from_sign_in(client, officer_a, settings):
    settings.SESSION_MAX_SECONDS = 60 * 60
    client.force_login(officer_a)
    left = (_expiry(client) - timezone.now()).total_seconds()
    assert 60 * 60 - 5 <= left <= 60 * 60


@pytest.mark.django_db
def test_signing_out_says_so_and_a_typed_sign_out_address_offers_the_button(client, officer_a):
    client.force_login(officer_a)
    offered = client.get(reverse("logout"))
    assert offered.status_code == 200
    assert b"Anything you have not saved" in offered.content
    assert "_auth_user_id" in client.session  # a GET signs nobody out

    signed_out = client.post(reverse("logout"))
    assert signed_out.status_code == 200
    assert b"You have signed out" in signed_out.content
    assert b"You have signed out</h1>" in client.get(reverse("logout")).content


@pytest.mark.django_db
def test_a_form_sent_without_its_security_cookie_gets_a_page_saying_what_to_do(officer_a):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "officer-a", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form could not be sent" in page and "Nothing was saved" in page
    assert "govuk-template" in page  # the site's layout, not Django's bare page


ENDED = "Your sign-in has ended"


@pytest.mark.django_db
def test_a_bad_request_gets_the_sites_page(client, settings):
    settings.DEBUG = False
    response = client.get("/", HTTP_HOST="not-this-site.example")
    assert response.status_code == 400
    assert b"the address was not understood" in response.content


@pytest.mark.django_db
def test_sign_in_from_a_page_says_why(client):
    page = client.get(reverse("login"), {"next": "/p/partnership-a/"}).content.decode()
    assert "Sign in to go on to the page you asked for." in page
    assert ENDED not in page


@pytest.fixture
def pages(partnership_a):
    """A page of each kind someone signed out is sent to sign in from."""
    plan = ActionPlanFactory(partnership=partnership_a)
    report = ReportFactory(partnership=partnership_a)
    return {
        "indicator": IndicatorFactory(partnership=partnership_a).get_absolute_url(),
        "plan": reverse("actions:plan", args=[partnership_a.slug, plan.pk]),
        "report": reverse("reports:detail", args=[partnership_a.slug, report.pk]),
    }


def _sent_to_sign_in(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    return client.get(response.url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["indicator", "plan", "report"])
def test_the_sign_in_page_says_a_sign_in_has_ended_only_to_someone_whose_one_did(
    client, officer_a, pages, page
):
    url = pages[page]
    assert ENDED not in _sent_to_sign_in(client, url)

    sign_in(client, "officer-a", "pw-for-tests-1")
    assert not client.get(url).get("Location", "").startswith(reverse("login"))
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    ended = _sent_to_sign_in(client, url)
    assert ENDED in ended
    assert "a sign-in ends after 8 hours without using the site" in ended


@pytest.mark.django_db
def test_a_browser_that_dropped_an_expired_cookie_is_told_if_it_was_signed_in(
    client, officer_a, pages
):
    sign_in(client, "officer-a", "pw-for-tests-1")
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    del client.cookies["sessionid"]  # as a browser drops it when it expires

    page = _sent_to_sign_in(client, pages["plan"])
    assert ENDED not in page
    assert "If you were signed in before, your sign-in has ended" in page


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["indicator", "plan", "report"])
def test_a_session_ended_on_the_server_says_so_where_its_cookie_is_sent(
    client, officer_a, pages, page
):
    client.force_login(officer_a)
    Session.objects.all().delete()  # signed out in another server process, or deactivated

    assert ENDED in _sent_to_sign_in(client, pages[page])


@pytest.mark.django_db
def test_a_form_sent_after_the_sign_in_ended_is_said_not_saved(client, officer_a, partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    url = reverse("indicators:month_sheet", args=[partnership_a.slug, "2016-11"])
    client.force_login(officer_a)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.post(url, {f"i{indicator.pk}-value": "12"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    page = client.get(response.url).content.decode()
    assert ENDED in page
    assert "What you sent was not saved: sign in, then enter it again." in page
    # A page only asked for is not said to be unsaved.
    client.force_login(officer_a)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert "not saved" not in _sent_to_sign_in(client, url)


@pytest.mark.django_db
def test_an_expired_session_with_its_cookie_still_sent_says_so(client, officer_a, pages):
    client.force_login(officer_a)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    assert ENDED in _sent_to_sign_in(client, pages["indicator"])


@pytest.mark.django_db
def test_after_signing_out_the_sign_in_page_does_not_say_a_sign_in_ended(client, officer_a, pages):
    sign_in(client, "officer-a", "pw-for-tests-1")
    client.get(pages["plan"])
    client.post(reverse("logout"), headers={"Sec-Fetch-Site": "same-origin"})

    page = _sent_to_sign_in(client, pages["plan"])
    assert ENDED not in page
    assert "Sign in to go on to the page you asked for." in page


@pytest.mark.django_db
def test_an_anonymous_session_that_expired_is_no_ended_sign_in(client, pages):
    session = client.session  # a session before signing in
    session["note"] = "kept"
    session.save()
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    assert ENDED not in _sent_to_sign_in(client, pages["indicator"])


@pytest.mark.django_db
def test_the_not_found_page_offers_someone_signed_out_sign_in_not_their_partnerships(
    client, officer_a
):
    # "Go to your partnerships" led someone signed out only to the sign-in page.
    signed_out = client.get("/no-such-page/")
    assert signed_out.status_code == 404
    assert b"Go to your partnerships" not in signed_out.content
    sign_in_link = f'<a class="govuk-link" href="{reverse("login")}">sign in</a>'
    assert f"If you are a member, {sign_in_link} to see them.".encode() in signed_out.content

    client.force_login(officer_a)
    signed_in = client.get("/no-such-page/")
    assert b"Go to your partnerships" in signed_in.content
    assert b"If you are a member" not in signed_in.content


@pytest.mark.django_db
def test_a_password_change_error_summary_says_there_is_a_problem(client, officer_a):
    client.force_login(officer_a)
    page = client.post(reverse("password_change"), {}).content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in page


@pytest.mark.django_db
def test_trying_again_during_a_lockout_does_not_start_it_again(client, officer_a, settings):
    fail(client, "officer-a", 5)
    assert sign_in(client, "officer-a", "pw-for-tests-1").status_code == 429
    locked_at = AccessAttempt.objects.get(username="officer-a").attempt_time
    fail(client, "officer-a", 1)
    assert AccessAttempt.objects.get(username="officer-a").attempt_time == locked_at
    assert LOCKED in sign_in(client, "officer-a", "wrong").content


@pytest.mark.django_db
def test_the_month_sheet_tab_goes_box_to_box(client, officer_a, partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    client.force_login(officer_a)
    page = client.get(reverse("indicators:month_sheet", args=[partnership_a.slug, "2016-11"]))
    assert f'href="{indicator.get_absolute_url()}" tabindex="-1"' in page.content.decode()


@pytest.mark.django_db
def test_a_renewal_the_database_is_too_busy_for_is_skipped_not_an_error(
    client, officer_a, partnership_a, monkeypatch
):
    client.force_login(officer_a)
    page = reverse("core:partnership", args=[partnership_a.slug])
    first = _expiry(client)
    later = timezone.now() + datetime.timedelta(hours=3)
    monkeypatch.setattr(sessions.timezone, "now", lambda: later)

    def locked(self, must_create=False):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patched:
        patched.setattr(sessions.SessionStore, "save", locked)
        busy = client.get(page)
    assert busy.status_code == 200 and _expiry(client) == first

    renewed = client.get(page)
    assert _expiry(client) > first
    assert renewed.cookies["sessionid"]["max-age"] == 8 * 60 * 60


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": "http://testserver"},
        {"Origin": "https://portal.example.gov.uk"},  # a trusted origin (CSRF_TRUSTED_ORIGINS)
    ],
)
def test_the_headers_sign_out_button_needs_no_token_from_this_site(headers, officer_a, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://portal.example.gov.uk"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)

    response = client.post(reverse("logout"), headers=headers)

    assert b"You have signed out" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another site of the same domain
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},  # the browser's word
        {"Origin": "https://elsewhere.example"},
        {"Origin": "null"},
        {},  # neither header, nor a token
    ],
)
def test_a_sign_out_from_another_site_gets_the_confirmation_page_signed_in_still(
    headers, officer_a
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)

    response = client.post(reverse("logout"), headers=headers)

    assert response.status_code == 200
    assert b"Anything you have not saved" in response.content
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_confirmation_pages_button_signs_out_with_its_token(officer_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    page = client.get(reverse("logout"))
    token = str(page.context["csrf_token"])

    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert b"You have signed out" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_signed_in_page_with_no_form_sends_no_csrf_token_or_cookie(client, officer_a):
    client.force_login(officer_a)

    response = client.get(reverse("core:accessibility"))

    assert b"csrfmiddlewaretoken" not in response.content
    assert "csrftoken" not in response.cookies
