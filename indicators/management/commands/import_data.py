from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from indicators import importing


class Command(BaseCommand):
    help = (
        "Import partnerships, indicators, targets and actuals from a folder of CSV files "
        "or one .xlsx workbook. All or nothing; re-importing the same files changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change and write nothing."
        )
        parser.add_argument(
            "--new-plans",
            action="store_true",
            help="Add the new action plans actions.csv names even where a title is close to "
            "a stored plan's of its year, which is otherwise refused as a likely typing slip.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Who is importing: every change recorded names them, as an import on the "
            "site does. Without it the changes are recorded as the system's.",
        )

    def handle(self, *args, path, dry_run, new_plans, user, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        by = _user(user) if user else None
        confirmed = {"new_plans"} if new_plans else set()
        try:
            report = importing.import_path(
                path, by=by, dry_run=dry_run, confirmed=confirmed, source="import"
            )
        except importing.ImportFailed as failed:
            report = failed.report
            for line in report.errors:
                self.stderr.write(line)
            if report.problems > len(report.errors):
                self.stderr.write(f"... and {report.problems - len(report.errors):,} more")
            raise CommandError(failed.report.summary()) from None
        self.stdout.write(report.summary())
        # Under the summary (which other tools read), the rows named as the site names them.
        for table in report.rows_named():
            for line in table.lines():
                self.stdout.write(line)
        counts = {
            table: report.created[table] + report.updated[table]
            for table in ("partnerships", "indicators")
        }
        if by is None and any(counts.values()) and not dry_run:
            # The admin's history names a person for every entry (LogEntry.user).
            named = [
                f"{count} {table if count > 1 else table[:-1]}"
                for table, count in counts.items()
                if count
            ]
            many = sum(counts.values()) > 1
            self.stderr.write(
                f"{' and '.join(named)} added or "
                f"changed {'are' if many else 'is'} not in the admin's history, "
                "which names who made each change: give --user USERNAME to record who "
                "imported.",
                style_func=self.style.WARNING,
            )


def _user(username: str):
    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise CommandError(f"No user with the username '{username}'")
    if not found.is_active:
        raise CommandError(f"'{username}' is deactivated: name an active user with --user")
    return found
