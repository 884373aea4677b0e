from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Open police data"

    def ready(self):
        from indicators import data_version

        from . import models

        # What a draft report shows changes with these: its cache key does too. The
        # counts written in bulk call data_version themselves (services.py).
        data_version.watch(
            models.LsoaCount,
            models.LsoaWard,
            models.Peer,
            models.OffenceMapping,
            models.ForceCount,
            models.OutcomeCount,
        )
