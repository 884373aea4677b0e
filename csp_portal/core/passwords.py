"""Django's password change and reset, with errors that say which box is empty (GOV.UK
style, as the sign-in form's do)."""

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views

NEW_PASSWORD_REQUIRED = {
    "new_password1": "Enter a new password",
    "new_password2": "Enter the new password again",
}


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
    """Asking for a reset link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
