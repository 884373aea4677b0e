"""The report pages are stored whole for each reader (csp_portal/core/caching.py
`page_from_cache`): a later view makes three queries and renders nothing, yet every reader
still gets their own name, role and CSP nonce (and no CSRF token: a report page has no form
that needs one, the header's sign-out included), a waiting message still shows,
and access is checked on every view."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from csp_portal.core.models import Membership
from indicators import services as figure_services
from reports import services
from tests.factories import ReportFactory
from tests.factories.series import hate_crime_indicator

NONCE = re.compile(r'nonce="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def report_a(partnership_a):
    hate_crime_indicator(partnership_a)
    return ReportFactory(partnership=partnership_a, title="Hate crime update")


@pytest.fixture
def published(report_a):
    services.report_publish(report=report_a, by=None, documents=False)
    return reverse("reports:detail", args=[report_a.partnership.slug, report_a.pk])


@pytest.fixture
def preview(report_a):
    return reverse("reports:preview", args=[report_a.partnership.slug, report_a.pk])


def _text(response) -> str:
    assert response.status_code == 200
    return b"".join(response).decode() if response.streaming else response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["published", "preview"])
def test_a_stored_page_carries_this_requests_nonce_and_no_csrf_token(
    page, request, client, officer_a, django_assert_max_num_queries
):
    url = request.getfixturevalue(page)
    client.force_login(officer_a)
    first = client.get(url)
    with django_assert_max_num_queries(4):  # user, partnership, role, the draft's key
        again = client.get(url)

    first_text, again_text = _text(first), _text(again)
    nonces = set(NONCE.findall(again_text))
    assert len(nonces) == 1
    assert nonces.pop() in again["Content-Security-Policy"]
    assert set(NONCE.findall(first_text)).isdisjoint(NONCE.findall(again_text))
    assert not TOKEN.findall(first_text + again_text)
    assert "csrftoken" not in again.cookies  # nor is the CSRF cookie sent again
    # Apart from those, the same page.
    strip = lambda text: TOKEN.sub("", NONCE.sub("", text))  # noqa: E731
    assert strip(first_text) == strip(again_text)


@pytest.mark.django_db
def test_the_sign_out_form_of_a_stored_page_works(published, client, officer_a):
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(officer_a)
    csrf_client.get(published)
    assert 'action="/accounts/logout/"' in _text(csrf_client.get(published))

    # As a browser sends the header's form: it says the form came from this site.
    response = csrf_client.post(reverse("logout"), headers={"Sec-Fetch-Site": "same-origin"})

    assert response.status_code == 200 and b"You have signed out" in response.content
    assert "_auth_user_id" not in csrf_client.session


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["published", "preview"])
def test_each_reader_sees_their_own_name_and_links(page, request, client, officer_a, panel_a):
    url = request.getfixturevalue(page) if page == "published" else None
    if page == "preview":
        url = request.getfixturevalue("preview")
        Membership.objects.filter(user=panel_a).update(role=Membership.Role.COORDINATOR)
    client.force_login(officer_a)
    client.get(url)
    officer_page = _text(client.get(url))
    client.force_login(panel_a)
    reader_page = _text(client.get(url))

    # As the page writes them (a generated name may have an apostrophe: O'Sullivan).
    officer, reader = escape(officer_a.get_full_name()), escape(panel_a.get_full_name())
    assert officer in officer_page and officer not in reader_page
    assert reader in reader_page


@pytest.mark.django_db
def test_a_changed_role_changes_the_stored_page(published, client, partnership_a, panel_a):
    edit = reverse("reports:edit", args=[partnership_a.slug, published.split("/")[-2]])
    client.force_login(panel_a)
    assert edit not in _text(client.get(published))

    Membership.objects.filter(user=panel_a).update(role=Membership.Role.COORDINATOR)

    assert edit in _text(client.get(published))


@pytest.mark.django_db
def test_access_is_checked_on_every_view(published, client, panel_a):
    client.force_login(panel_a)
    assert client.get(published).status_code == 200

    Membership.objects.filter(user=panel_a).delete()

    assert client.get(published).status_code == 404


@pytest.mark.django_db
def test_a_waiting_message_shows_on_a_stored_page(published, client, officer_a):
    client.force_login(officer_a)
    client.get(published)
    client.get(published)  # stored

    # A message left by the last request (as publishing leaves one) shows once.
    storage = CookieStorage(None)
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Published version 1 of Hate crime update.")]
    )

    assert "Published version 1 of Hate crime update." in _text(client.get(published))
    assert "Published version 1 of Hate crime update." not in _text(client.get(published))


@pytest.mark.django_db
def test_a_new_version_replaces_the_stored_page(published, report_a, client, officer_a):
    client.force_login(officer_a)
    assert "Version 1" in _text(client.get(published))
    report_a.title = "Hate crime update, revised"
    report_a.save()

    services.report_publish(report=report_a, by=None, reason="Retitled", documents=False)

    page = _text(client.get(published))
    assert "Hate crime update, revised" in page
    assert "Version 2" in page


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["published", "preview"])
def test_the_stored_report_is_sent_whole_with_its_length(page, request, client, officer_a):
    """The page goes out in three pieces (layout, stored report, layout) that are never
    joined on the server: each view must still send one whole page of the stated length."""
    url = request.getfixturevalue(page)
    client.force_login(officer_a)
    for response in (client.get(url), client.get(url)):  # rendered, then stored
        body = response.content
        assert int(response["Content-Length"]) == len(body)
        assert body.startswith(b"<!DOCTYPE html>") and body.rstrip().endswith(b"</html>")
        assert body.count(b"<html") == 1 and b"report-document-7f3a" not in body
        assert b"Hate crime" in body


@pytest.mark.django_db
def test_a_published_report_outlives_its_stored_copy(published, client, officer_a):
    """The process keeps the stored report it last sent; the shared cache emptied (or the
    process new) still gives the same page."""
    from django.core.cache import cache

    from reports.views import STORED_DOCUMENTS

    client.force_login(officer_a)
    first = _text(client.get(published))
    cache.clear()
    STORED_DOCUMENTS.clear()

    strip = lambda text: TOKEN.sub("", NONCE.sub("", text))  # noqa: E731
    assert strip(_text(client.get(published))) == strip(first)


@pytest.mark.django_db
def test_a_report_is_never_served_under_another_partnerships_address(
    published, report_a, client, partnership_a, partnership_b
):
    from django.contrib.auth.models import User

    from tests.factories import UserFactory

    Partnership = type(partnership_a)
    Partnership.objects.filter(pk__in=[partnership_a.pk, partnership_b.pk]).update(
        reports_public=True
    )
    # A person renamed, or the Home Office tables changed: every partnership's pages change.
    person = UserFactory()
    User.objects.filter(pk=person.pk).update(first_name="Renamed")
    person.refresh_from_db()
    person.first_name = "Renamed again"
    person.save()
    a, b = (Partnership.objects.get(pk=p.pk) for p in (partnership_a, partnership_b))
    assert a.data_version != b.data_version  # each its own, never one for all
    # And were they ever the same, the stored page is still kept under its partnership.
    Partnership.objects.filter(pk=b.pk).update(data_version=a.data_version)

    elsewhere = reverse("reports:detail", args=[partnership_b.slug, report_a.pk])
    assert client.get(published).status_code == 200  # stored for the public
    assert client.get(elsewhere).status_code == 404
    report_a.exempt = True
    report_a.save()
    assert client.get(published).status_code == 404
    assert client.get(elsewhere).status_code == 404


@pytest.mark.django_db
def test_an_editors_stored_page_never_reaches_the_panel_or_the_public(
    published, client, report_a, officer_a, panel_a
):
    """The figure now of a revision is for editors (reports.selectors.revision_notice_for):
    the page stored after an editor read it never goes to a panel member or the public."""
    partnership = report_a.partnership
    partnership.reports_public = True
    partnership.save()
    figure_services.actuals_save(
        entries=[
            figure_services.FigureInput(
                partnership.indicators.get(code="SP 09"), datetime.date(2016, 10, 1), Decimal(98765)
            )
        ],
        by=None,
        reason="late crimes added by police",
    )
    editor, member = Client(), Client()
    editor.force_login(officer_a)
    member.force_login(panel_a)

    for reader in [editor, member, client, editor, member, client]:
        page = _text(reader.get(published))
        assert "Figures revised" in page
        assert ("98,765" in page) is (reader is editor)
