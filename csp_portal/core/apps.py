from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "csp_portal.core"
    label = "core"
    verbose_name = "Partnerships and people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import signed_in

        user_logged_in.connect(signed_in, dispatch_uid="csp_session_renewed")
