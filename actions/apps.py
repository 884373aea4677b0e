from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Action plans, risks and recommendations"

    def ready(self):
        from indicators import data_version

        from . import models

        # What a draft report shows changes with these: its cache key does too.
        data_version.watch(
            models.ActionPlan,
            models.Objective,
            models.Action,
            models.ActionUpdate,
            models.Risk,
            models.CrossThemeIssue,
            models.Recommendation,
        )
        data_version.watch_m2m(models.Action.indicators, models.CrossThemeIssue.affects)
        from . import transfer

        transfer.register_tables()
        from django.db.models.signals import post_save, pre_delete

        from csp_portal.core.models import Meeting, Membership

        from .services import follow_meeting_date, keep_leads_of

        # An action led by a member keeps its lead's name when the membership goes.
        pre_delete.connect(keep_leads_of, sender=Membership, dispatch_uid="actions_keep_leads")
        # A recommendation's meeting date is its meeting's, whichever page moves the meeting.
        post_save.connect(
            follow_meeting_date, sender=Meeting, dispatch_uid="actions_follow_meeting_date"
        )
