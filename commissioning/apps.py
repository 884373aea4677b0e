from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Commissioning"

    def ready(self):
        from indicators import data_version

        from . import models

        # What a draft report shows changes with these: its cache key does too.
        data_version.watch(
            models.FundingStream,
            models.CommissioningLine,
            models.ProgressUpdate,
            models.ProgressOutput,
        )
        data_version.watch_m2m(models.CommissioningLine.indicators)
        from .transfer import register_tables

        register_tables()
