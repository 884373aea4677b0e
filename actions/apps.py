from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Action plans, risks and recommendations"

    def ready(self):
        from . import transfer

        transfer.register_tables()
