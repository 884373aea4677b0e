"""Sessions in the database, read with their user in one query (``SESSION_ENGINE``).

Every request of a signed-in user must read both: the session, to know who it is, and the
user, to know they may still sign in and their password has not changed; and nearly
every page then asks the user's roles, which come in the same query. A session kept in
each server process's memory (Django's ``cached_db`` with the default local-memory cache)
would save the first read, but signing out in one process would leave the session valid
in the others until it expired. So the session row is read on every request, and the user
row comes with it (``user`` is a column of ``core.Session``, set whenever the session is
saved): one query, as few as before, and signing out ends the session everywhere at once.

On a page of a partnership (a URL naming its slug), ``PartnershipWithSessionMiddleware``
reads the partnership in that same query, before the view asks for it
(`partnership_read_with_session`): a signed-in reader's page of a partnership starts with
one query, not two. Nothing is kept between requests.

``AuthenticationMiddleware`` hands the user read with the session to
``UserBackend.get_user`` (``csp_portal/core/backends.py``) for the length of
Django's own ``auth.get_user``, which still verifies the session against the user's
password hash exactly as it always does.
"""

import contextvars
import datetime
import functools
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import DatabaseError, connection
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date

from .prepared import PreparedPair, PreparedRows

# The session of the request whose user Django is reading, while it reads it.
_reading = contextvars.ContextVar("csp_session_being_read", default=None)
# The partnerships read with this request's session, by slug (None where there is none).
_partnerships_read = contextvars.ContextVar("csp_partnerships_read", default=None)
NOT_READ = object()


@functools.cache
def _session_by_key() -> PreparedRows:
    """The session by its key with its user and the user's roles (built on first use: the
    models are not ready when Django imports the session engine)."""
    from .models import Session
    from .permissions import roles_subquery

    return PreparedRows(
        lambda key: (
            Session.objects.filter(session_key=key)
            .select_related("user")
            .annotate(user_roles=roles_subquery())
        ),
        Session._meta.get_field("session_key"),
    )


@functools.cache
def _session_and_partnership() -> PreparedPair:
    """The session by its key with its user, and beside them the partnership by its slug."""
    from .permissions import partnership_by_slug

    return PreparedPair(_session_by_key(), partnership_by_slug)


class SessionStore(DatabaseStore):
    _partnership_slug = None  # while a read takes the partnership with this slug too
    # Whether the cookie named a sign-in that has ended (`sign_in_ended`).
    lapsed = False

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def read_with_partnership(self, slug: str) -> None:
        """Read the session now, if it is not read yet, and with it the partnership with
        this slug (`partnership_read_with_session`)."""
        if hasattr(self, "_session_cache") or self.session_key is None:
            return
        self._partnership_slug = slug
        try:
            self._get_session()
        finally:
            self._partnership_slug = None

    def _get_session_from_db(self):
        slug = self._partnership_slug
        if slug is None:
            found = _session_by_key().instances(self.session_key, one=True)
            session = found[0] if found else None
        else:
            pair = _session_and_partnership().instances((self.session_key,), (slug,))
            session = pair[0] if pair else None
            read = _partnerships_read.get()
            if pair and read is not None:
                read[slug] = pair[1]
        if session is None or session.expire_date <= timezone.now():
            # A row that is gone was deleted: its person signed out elsewhere, or may no
            # longer sign in. An expired row without a user was never a sign-in.
            self.lapsed = session is None or session.user_id is not None
            self._session_key = None
            self._user_read = None
            return None
        self._user_read = session.user
        if session.user is not None:
            from .permissions import remember_roles

            remember_roles(session.user, session.user_roles)
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        return session

    def user_read_with_session(self, user_id):
        """The user read with this session if it is the one asked for, else None."""
        user = getattr(self, "_user_read", None)
        return user if user is not None and str(user.pk) == str(user_id) else None


def partnership_read_with_session(slug: str):
    """The partnership with this slug as this request read it with its session (None if
    there is none), or NOT_READ. Given once: a second asker reads it afresh, since the
    view may have changed it meanwhile."""
    read = _partnerships_read.get()
    return NOT_READ if read is None else read.pop(slug, NOT_READ)


class PartnershipWithSessionMiddleware:
    """For a page of a partnership (its URL names the slug), reads the session, its user
    and the partnership in one query before the view runs. Place it after
    ``AuthenticationMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _partnerships_read.set({})
        try:
            return self.get_response(request)
        finally:
            _partnerships_read.reset(token)

    def process_view(self, request, view, args, kwargs):
        slug = kwargs.get("slug")
        session = getattr(request, "session", None)
        if isinstance(slug, str) and isinstance(session, SessionStore):
            session.read_with_partnership(slug)


def user_read_with_session(user_id):
    """For the sign-in backend: the user read with the session of the request whose user
    is being read, if that is the user asked for; else None (read it)."""
    session = _reading.get()
    if session is None or not hasattr(session, "user_read_with_session"):
        return None
    return session.user_read_with_session(user_id)


@contextmanager
def _reading_user_of(request):
    token = _reading.set(request.session)
    try:
        yield
    finally:
        _reading.reset(token)


def _user(request):
    if not hasattr(request, "_cached_user"):
        with _reading_user_of(request):
            request._cached_user = auth.get_user(request)
        if not request._cached_user.is_authenticated and SESSION_KEY in request.session:
            _refused_session_ended(request.session)
    return request._cached_user


def _refused_session_ended(session) -> None:
    """A signed-in session whose user may not sign in now ends for good. Saving a user
    inactive deletes their sessions (`inactive_user_signed_out`), but a bulk ``update()``
    sends no signal: the session would only pause while they were inactive, and made
    active again, the old cookie would sign them back in without a password."""
    session.flush()
    session.lapsed = True


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, with the user read with the session where it was (see the module)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


class PrivateResponsesMiddleware:
    """A response to someone signed in carries ``Cache-Control: private, no-store``, so no
    shared cache (a proxy) keeps it, nor the browser's on a shared machine: draft previews,
    figures, exports and private report files are not left behind for the next person. A
    view that says its own Cache-Control (the sign-in pages' ``never_cache``) keeps it; a
    response to someone signed out (a public report) is cacheable as before.

    Nothing is read for it: the user if the request read it, else the session if the
    request read that (a page that read neither is no signed-in person's). Place it after
    ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _signed_in(request) -> bool:
    """Whether the request was of someone signed in, as far as it read: never a query."""
    user = getattr(request, "_cached_user", None)
    if user is not None:
        return user.is_authenticated
    session = getattr(request, "session", None)
    return session is not None and session.accessed and SESSION_KEY in session


# A signed-in session is renewed (saved, so its expiry starts again) at most this often.
RENEW_EVERY_SECONDS = 5 * 60
RENEWED = "_renewed"  # the session key of when it was last saved for its expiry's sake
SIGNED_IN = "_signed_in"  # and of when its person signed in
# How long a renewal waits for SQLite's write lock (an import may hold it for minutes):
# a busy database skips it, and a later request renews the session.
RENEW_WAIT_MS = 200


class SlidingSessionMiddleware:
    """A signed-in session lasts ``SESSION_COOKIE_AGE`` from the person's last request,
    not from sign-in: someone writing a report all afternoon is not signed out under it.
    It never lasts beyond ``SESSION_MAX_SECONDS`` from sign-in (`_capped`), so a session
    taken from a shared machine, or one kept alive by a forgotten open tab, still ends.

    Only a session the request read anyway is looked at, and it is saved again at most
    every ``RENEW_EVERY_SECONDS``, so most requests write nothing. The renewal is best
    effort: a page never fails for it, and waits at most ``RENEW_WAIT_MS``. Place it after
    ``SessionMiddleware``, whose own save (of a session changed for other reasons)
    then renews it as well.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        signed_in = session is not None and session.accessed and SESSION_KEY in session
        if not signed_in or _now() - session.get(RENEWED, 0) < RENEW_EVERY_SECONDS:
            return response
        changed = session.modified  # SessionMiddleware saves it, and sets the cookie
        session[RENEWED] = _now()
        _capped(session)
        if changed:
            return response
        try:
            with _waiting_briefly():
                session.save()
        except (DatabaseError, UpdateError):
            return response  # busy, or signed out meanwhile: nothing renewed
        finally:
            session.modified = False  # saved here, or not at all
        max_age = session.get_expiry_age()
        response.set_cookie(
            settings.SESSION_COOKIE_NAME,
            session.session_key,
            max_age=max_age,
            expires=http_date(time.time() + max_age),
            domain=settings.SESSION_COOKIE_DOMAIN,
            path=settings.SESSION_COOKIE_PATH,
            secure=settings.SESSION_COOKIE_SECURE or None,
            httponly=settings.SESSION_COOKIE_HTTPONLY or None,
            samesite=settings.SESSION_COOKIE_SAMESITE,
        )
        return response


@contextmanager
def _waiting_briefly():
    """SQLite waits ``RENEW_WAIT_MS`` for its write lock, not the site's 20 seconds."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        usual = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {RENEW_WAIT_MS}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(usual)}")


def _now() -> int:
    return int(timezone.now().timestamp())


def _capped(session) -> None:
    """Where the session's usual expiry, ``SESSION_COOKIE_AGE`` from now, would fall
    after ``SESSION_MAX_SECONDS`` from sign-in, it ends then instead. The expiry is the
    session row's, which every read checks: nothing more is read on any request. A
    session from before this was kept counts from its first renewal."""
    ends = session.setdefault(SIGNED_IN, _now()) + settings.SESSION_MAX_SECONDS
    if _now() + settings.SESSION_COOKIE_AGE > ends:
        session.set_expiry(datetime.datetime.fromtimestamp(ends, tz=datetime.UTC))


def inactive_user_signed_out(sender, instance, **kwargs) -> None:
    """A user saved inactive (in the admin or anywhere else) loses their sessions: a
    session only pauses while its user is inactive (``UserBackend.get_user`` refuses it),
    and made active again, the old cookie would sign them back in without a password."""
    if not instance.is_active:
        from .models import Session

        Session.objects.filter(user=instance).delete()


def signed_in(sender, request, user, **kwargs) -> None:
    """A session begins renewed, and counts its longest life from now: the sign-in's own
    save sets its expiry."""
    request.session[SIGNED_IN] = request.session[RENEWED] = _now()
    _capped(request.session)


# Added to the sign-in redirect of a request whose cookie named a sign-in that has ended.
ENDED_PARAMETER = "ended"
UNSAVED = "unsaved"  # its value when the request was a form sent (`unsaved_form`)


class SignInEndedMiddleware:
    """Tells the sign-in page that the cookie of the request sent there named a sign-in
    that has ended without its person signing out (it expired, or was ended: signed out
    elsewhere, a password changed, an account made inactive), by ``?ended=1`` on the
    redirect: Django drops the cookie on that redirect, so the sign-in page cannot see it.
    A browser drops an expired session's cookie itself, so someone who sends none is told
    only "if you were signed in"; no second cookie is kept to tell, as it would outlive
    the sign-in it tells of. Nothing is read for it. Place it after ``SessionMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(getattr(request, "session", None), "lapsed", False):
            return response
        location = response.get("Location", "")
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            joiner = "&" if "?" in location else "?"
            # A form sent after the sign-in ended was not saved: the page says so.
            ended = UNSAVED if request.method == "POST" else "1"
            response["Location"] = f"{location}{joiner}{ENDED_PARAMETER}={ended}"
        return response


def sign_in_ended(request) -> bool:
    """Whether the person asking was sent here from a sign-in that has ended
    (`SignInEndedMiddleware`), or sends a cookie naming one."""
    if request.user.is_authenticated:
        return False
    return request.GET.get(ENDED_PARAMETER) in {"1", UNSAVED} or getattr(
        request.session, "lapsed", False
    )


def unsaved_form(request) -> bool:
    """Whether the person was sent here by a form they sent after their sign-in ended,
    which was not saved."""
    return not request.user.is_authenticated and request.GET.get(ENDED_PARAMETER) == UNSAVED
