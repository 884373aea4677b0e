"""Sessions in the database, read with their user in one query (``SESSION_ENGINE``).

Every request of a signed-in user must read both: the session, to know who it is, and the
user, to know they may still sign in and their password has not changed. A session kept in
each server process's memory (Django's ``cached_db`` with the default local-memory cache)
would save the first read, but signing out in one process would leave the session valid
in the others until it expired. So the session row is read on every request, and the user
row comes with it (``user`` is a column of ``core.Session``, set whenever the session is
saved): one query, as few as before, and signing out ends the session everywhere at once.

``AuthenticationMiddleware`` hands the user read with the session to
``UserBackend.get_user`` (``csp_portal/core/backends.py``) for the length of
Django's own ``auth.get_user``, which still verifies the session against the user's
password hash exactly as it always does.
"""

import contextvars
import functools
from contextlib import contextmanager

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .prepared import PreparedRows

# The session of the request whose user Django is reading, while it reads it.
_reading = contextvars.ContextVar("csp_session_being_read", default=None)


@functools.cache
def _session_by_key() -> PreparedRows:
    """The session by its key with its user (built on first use: the models are not
    ready when Django imports the session engine)."""
    from .models import Session

    return PreparedRows(
        lambda key: Session.objects.filter(session_key=key).select_related("user"),
        Session._meta.get_field("session_key"),
    )


class SessionStore(DatabaseStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def _get_session_from_db(self):
        found = _session_by_key().instances(self.session_key, one=True)
        session = found[0] if found else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            self._user_read = None
            return None
        self._user_read = session.user
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
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, with the user read with the session where it was (see the module)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


# A signed-in session is renewed (saved, so its expiry starts again) at most this often.
RENEW_EVERY_SECONDS = 5 * 60


class SlidingSessionMiddleware:
    """A signed-in session lasts ``SESSION_COOKIE_AGE`` from the person's last request,
    not from sign-in: someone writing a report all afternoon is not signed out under it.

    Only a session the request read anyway is looked at, and it is saved again at most
    every ``RENEW_EVERY_SECONDS``, so most requests write nothing. Place it after
    ``SessionMiddleware``: its save runs after this has marked the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        signed_in = session is not None and session.accessed and SESSION_KEY in session
        if signed_in and _now() - session.get(RENEWED, 0) >= RENEW_EVERY_SECONDS:
            session[RENEWED] = _now()  # modified: SessionMiddleware saves it
        return response


RENEWED = "_renewed"  # the session key of when it was last saved for its expiry's sake


def _now() -> int:
    return int(timezone.now().timestamp())


def signed_in(sender, request, user, **kwargs) -> None:
    """A session begins renewed: the sign-in's own save sets its expiry."""
    request.session[RENEWED] = _now()
