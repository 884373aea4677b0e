from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from csp_portal.core.models import Meeting
        from indicators import data_version

        from . import models, selectors

        # A new published version changes what the next draft counts changes from; a
        # report's own fields (title, exempt) show around its published versions.
        data_version.watch(models.ReportVersion, models.Report, Meeting)
        data_version.watch_m2m(models.Report.covers)
        # An overview's published page (its revision notice) follows the figures of the
        # partnerships it showed: they change its filing partnership's version too.
        data_version.followed_by(selectors.overview_filers)
