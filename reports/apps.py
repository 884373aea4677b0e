from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from csp_portal.core.models import Meeting
        from indicators import data_version

        from . import models

        # A new published version changes what the next draft counts changes from; a
        # report's own fields (title, exempt) show around its published versions.
        data_version.watch(models.ReportVersion, models.Report, Meeting)
        data_version.watch_m2m(models.Report.covers)
