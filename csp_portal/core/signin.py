"""Sign-in throttling hooks for django-axes: whose address, and what a locked-out user sees."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LogoutView
from django.shortcuts import render


class SignInForm(AuthenticationForm):
    """Django's sign-in form, saying which box is empty in words (GOV.UK style)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


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


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page with a GOV.UK error summary saying why sign-in is refused."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/login.html",
        {
            "form": SignInForm(request, initial={"username": request.POST.get("username", "")}),
            "lockout_errors": [
                (
                    "id_username",
                    "There have been too many failed attempts to sign in to this account "
                    f"or from your network. You can try again in {minutes} minutes, or ask "
                    "a portal administrator to unlock your account.",
                )
            ],
            "next": request.POST.get("next", request.GET.get("next", "")),
        },
        status=429,
    )


class SignOutView(LogoutView):
    """Django's sign-out (a POST, from the header's button), and for a typed or
    bookmarked address a page with the button, not a bare "405 Method Not Allowed"."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return render(request, "registration/logged_out.html")
        return render(request, "registration/logout_confirm.html")
