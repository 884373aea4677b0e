"""Django's password change and reset, with errors that say which box is empty (GOV.UK
style, as the sign-in form's do); a completed reset also unlocks its user name."""

import logging
import unicodedata

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.db.models.functions import Trim

from .signin import failures_clear

User = get_user_model()
logger = logging.getLogger(__name__)

NEW_PASSWORD_REQUIRED = {
    "new_password1": "Enter a new password",
    "new_password2": "Enter the new password again",
}


def _same_email(asked: str, stored: str) -> bool:
    """Whether two addresses are the same, as Django's reset compares them (a database's
    case-insensitive match may take a look-alike letter for another)."""
    return (
        unicodedata.normalize("NFKC", asked).casefold()
        == unicodedata.normalize("NFKC", stored).casefold()
    )


def users_with_email(email: str) -> list[User]:
    """Every user, active or not, whose email address is this one as the reset compares
    them: in any capitals, and with any spaces around either."""
    field = User.get_email_field_name()
    email = email.strip()
    users = User._default_manager.alias(address=Trim(field)).filter(address__iexact=email)
    return [user for user in users if _same_email(email, getattr(user, field).strip())]


def _say_what_is_missing(form, required: dict[str, str]) -> None:
    for name, message in required.items():
        form.fields[name].error_messages["required"] = message


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Choosing a new password from a reset link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].label = "Confirm new password"
        _say_what_is_missing(self, NEW_PASSWORD_REQUIRED)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Changing your own password, signed in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password2"].label = "Confirm new password"
        _say_what_is_missing(
            self, {"old_password": "Enter your current password", **NEW_PASSWORD_REQUIRED}
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Asking for a reset link: also how someone an administrator added without a password
    chooses their first (Django sends none to a user whose password is unusable)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )

    def get_users(self, email):
        """The active user with this email address, with a password or without one yet;
        none if several have it: each would be sent a link for every other's account (the
        admin refuses a second user an address, but one may have been stored before)."""
        users = [user for user in users_with_email(email) if user.is_active]
        if len(users) > 1:
            logger.warning(
                "No password reset link sent: the users %s share the email address asked "
                "for; give each their own in the admin.",
                ", ".join(sorted(user.get_username() for user in users)),
            )
            return iter(())
        return iter(users)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password from a reset link, which proves the person holds the
    account's email address: their user name's failed sign-ins are cleared, so that
    "You can now sign in with your new password" is true even if they were locked out."""

    form_class = SetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        failures_clear(form.user.get_username())
        return response
