"""Sign-in throttling hooks for django-axes: whose address, whose failures a success
clears, and what a locked-out user sees."""

import datetime
import math
from collections.abc import Iterable
from urllib.parse import urlsplit

from axes.helpers import get_client_parameters, get_client_username, get_cool_off, get_failure_limit
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import DisallowedHost
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View

from .sessions import sign_in_ended, unsaved_form


class SignInForm(AuthenticationForm):
    """Django's sign-in form, saying which box is empty in words (GOV.UK style)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # Not Django's autofocus: a screen reader would begin inside the form, past the
        # page's heading and the reason for signing in (GOV.UK advises against it).
        self.fields["username"].widget.attrs.pop("autofocus", None)


class SignInView(LoginView):
    """Django's sign-in page, saying how long a sign-in lasts to someone sent back to it."""

    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            idle_limit=_duration(settings.SESSION_COOKIE_AGE),
            longest=_duration(settings.SESSION_MAX_SECONDS),
            **kwargs,
        )
        context["for_report"] = _names_a_report(context.get("next") or "")
        context["sign_in_ended"] = sign_in_ended(self.request)
        context["unsaved_form"] = unsaved_form(self.request)
        return context


def _names_a_report(address: str) -> bool:
    """Whether an address is a page of a partnership's reports. Someone sent to sign in
    from one has often followed a link from a council agenda: they are told who reads
    reports, never whether that partnership or report exists."""
    try:
        return resolve(urlsplit(address).path).app_name == "reports"
    except Resolver404:
        return False


def _duration(seconds: int) -> str:
    """A length of time in words: 8 hours, 1 hour, 90 minutes."""
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'' if hours == 1 else 's'}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def client_address(request) -> str:
    """The address the request came from, behind TRUSTED_PROXY_COUNT proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so the client is the entry that many places from the right;
    entries further left were sent by the client and could be anything.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def failures_clear(username: str) -> int:
    """Forget the failed sign-ins recorded against this user name, from every address,
    and no one else's: how many records went.

    django-axes's own ``AXES_RESET_ON_SUCCESS`` deletes the failures of the user name
    *or* the address, so anyone could try four passwords for ``admin``, sign in as
    themselves from the same address, and try four more, for ever."""
    return reset(username=username)


def failures_cleared_on_sign_in(sender, request, user, **kwargs) -> None:
    """A successful sign-in clears its own user name's failures (``user_logged_in``)."""
    failures_clear(user.get_username())


def lock_ends(
    failures: Iterable[tuple[datetime.datetime, int]], *, limit: int, cool_off: datetime.timedelta
) -> datetime.datetime | None:
    """When a lock lifts, or None if these failures set none.

    Each failure is a record's latest time and how many failures it holds, as
    django-axes keeps them: all of a record's failures count until ``cool_off`` after
    its latest, and sign-in is locked while those counting reach ``limit``.
    """
    failures = sorted(failures)
    counting = sum(count for _, count in failures)
    if counting < limit:
        return None
    for latest, count in failures:  # records stop counting oldest first
        counting -= count
        if counting < limit:
            return latest + cool_off
    return None  # only with a limit of 0, which django-axes does not take


def _lock_ends(request, credentials) -> datetime.datetime:
    """When this request's sign-in opens again: the latest any of its locks (its user
    name's, its address's) lifts."""
    from axes.models import AccessAttempt

    now = request.axes_attempt_time or timezone.now()
    cool_off = get_cool_off(request)
    limit = get_failure_limit(request, credentials)
    counting = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
    ends = []
    for lock in get_client_parameters(
        get_client_username(request, credentials),
        request.axes_ip_address,
        request.axes_user_agent,
        request,
        credentials,
    ):
        failures = counting.filter(**lock).values_list("attempt_time", "failures_since_start")
        ends.append(lock_ends(failures, limit=limit, cool_off=cool_off))
    return max((end for end in ends if end is not None), default=now + cool_off)


def try_again(ends: datetime.datetime, now: datetime.datetime) -> str:
    """When a lock ending at ``ends`` lets someone try again, in words: "in 12 minutes"
    within the hour (rounded up: never "0 minutes"), else a clock time ("at 4:05pm",
    with the day if it is not today)."""
    minutes = max(1, math.ceil((ends - now).total_seconds() / 60))
    if minutes <= 60:
        return f"in {minutes} minute{'' if minutes == 1 else 's'}"
    # Rounded up to a whole minute, so that trying at the time said always works.
    at = timezone.localtime(ends)
    if at.second or at.microsecond:
        at = at.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    clock = _clock(at)
    if at.date() != timezone.localtime(now).date():
        clock += f" on {at.day} {at:%B}"
    return f"at {clock}"


def _clock(at: datetime.datetime) -> str:
    """A time of day as GOV.UK writes it: 9am, 4:05pm, midday, midnight."""
    if at.minute == 0 and at.hour in (0, 12):
        return "midnight" if at.hour == 0 else "midday"
    minutes = "" if at.minute == 0 else f":{at.minute:02d}"
    return f"{at.hour % 12 or 12}{minutes}{'am' if at.hour < 12 else 'pm'}"


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page with a GOV.UK error summary saying why sign-in is refused, and
    when it opens again."""
    now = request.axes_attempt_time or timezone.now()
    when = try_again(_lock_ends(request, credentials), now)
    return render(
        request,
        "registration/login.html",
        {
            "form": SignInForm(request, initial={"username": request.POST.get("username", "")}),
            # No link: the sentence is about the account, not an answer in a box.
            "lockout_errors": [
                (
                    "",
                    "There have been too many failed attempts to sign in to this account "
                    f"or from your network. You can try again {when}, reset your password "
                    "(which unlocks the account), or ask a portal administrator to unlock it.",
                )
            ],
            "next": request.POST.get("next", request.GET.get("next", "")),
        },
        status=429,
    )


class SignOutView(LogoutView):
    """Django's sign-out (a POST, from the header's button), and for a typed or
    bookmarked address a page with the button, not a bare "405 Method Not Allowed".

    The header's button carries no CSRF token, so a page with no form of its own (a
    published report above all) needs none: making and masking one, and sending its
    cookie again, was a fifth of such a page's time. A sign-out is still never taken from
    another site: it is accepted when the browser says the form came from this site
    (``Sec-Fetch-Site: same-origin``, or an ``Origin`` naming this site: headers no page
    can set, sent with a form by every current browser) or with a valid token (the
    confirmation page's form). Anything else gets the confirmation page, signed in still.
    """

    http_method_names = ["get", "post", "options"]

    @method_decorator(csrf_exempt)  # checked in `post`, as the class says
    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        return View.dispatch(self, request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return render(request, "registration/logged_out.html")
        return render(request, "registration/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        if not (_sent_from_this_site(request) or _csrf_token_valid(request)):
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)


def _sent_from_this_site(request) -> bool:
    """Whether the browser says this request came from a page of this site."""
    fetched_from = request.headers.get("Sec-Fetch-Site")
    if fetched_from is not None:
        return fetched_from == "same-origin"
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    try:
        here = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    except DisallowedHost:
        return False
    return origin == here or origin in settings.CSRF_TRUSTED_ORIGINS


def _csrf_token_valid(request) -> bool:
    """Django's own CSRF check of this request, as if the view were protected."""
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None
