from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "csp_portal.core"
    label = "core"
    verbose_name = "Partnerships and people"
