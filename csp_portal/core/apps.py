from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "csp_portal.core"
    label = "core"
    verbose_name = "Partnerships and people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import signed_in
        from .signin import failures_cleared_on_sign_in

        user_logged_in.connect(signed_in, dispatch_uid="csp_session_renewed")
        user_logged_in.connect(failures_cleared_on_sign_in, dispatch_uid="csp_failures_cleared")
