from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from csp_portal.core import demo


class Command(BaseCommand):
    help = "Load the demo partnerships, their people, meetings and figures (safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users", action="store_true", help="Do not create the demo logins."
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Where the site is served."
        )

    def handle(self, *args, no_users=False, url="http://127.0.0.1:8000/", **options):
        if not no_users and not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo logins with DJANGO_DEBUG off. "
                "Use --no-users to load only the demo partnerships."
            )
        partnerships = demo.core_load()
        self.stdout.write(f"Loaded {len(partnerships)} partnerships.")
        for line in demo.extra_load():
            self.stdout.write(line)
        from reports.demo import reports_load

        for line in reports_load():
            self.stdout.write(line)
        if no_users:
            return
        logins = demo.users_load()
        self.stdout.write("")
        self.stdout.write(f"Demo logins ({url}):")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<8} password {login.password:<10} {login.description}"
            )
