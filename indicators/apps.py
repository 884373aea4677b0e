from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicators and figures"

    def ready(self):
        from . import data_version
        from .importing import core

        core.register_all()
        data_version.connect()
