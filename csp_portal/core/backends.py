"""The sign-in backend: Django's, with the signed-in user read by a prepared statement."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .prepared import PreparedGet

_user_by_pk = PreparedGet(get_user_model(), "pk")


class UserBackend(ModelBackend):
    """ModelBackend, but `get_user`, which runs on every request of a signed-in user,
    reads the user without building the ORM query each time (csp_portal/core/prepared.py).
    The row is read afresh: a deactivated user or a changed password still signs out."""

    def get_user(self, user_id):
        user = _user_by_pk.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
