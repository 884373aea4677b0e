from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "csp_portal.core"
    label = "core"
    verbose_name = "Partnerships and people"

    def ready(self):
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from .sessions import inactive_user_signed_out, signed_in
        from .signin import failures_cleared_on_sign_in

        user_logged_in.connect(signed_in, dispatch_uid="csp_session_renewed")
        user_logged_in.connect(failures_cleared_on_sign_in, dispatch_uid="csp_failures_cleared")
        post_save.connect(
            inactive_user_signed_out,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="csp_inactive_user_signed_out",
        )
