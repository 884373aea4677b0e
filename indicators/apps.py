from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicators and figures"

    def ready(self):
        from .importing import core

        core.register_all()
