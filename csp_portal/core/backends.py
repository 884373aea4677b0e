"""The sign-in backend: Django's, with the signed-in user read by a prepared statement."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .prepared import PreparedGet
from .sessions import user_read_with_session

_user_by_pk = PreparedGet(get_user_model(), "pk")


class UserBackend(ModelBackend):
    """ModelBackend, but `get_user`, which runs on every request of a signed-in user,
    takes the user read with the session in the same query (csp_portal/core/sessions.py),
    else reads it without building the ORM query each time (csp_portal/core/prepared.py).
    Either way the row is read afresh on each request: a deactivated user or a changed
    password still signs out."""

    def get_user(self, user_id):
        user = user_read_with_session(user_id) or _user_by_pk.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
