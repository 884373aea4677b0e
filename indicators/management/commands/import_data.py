from pathlib import Path

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

    def handle(self, *args, path, dry_run, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        try:
            report = importing.import_path(path, by=None, dry_run=dry_run, source="import")
        except importing.ImportFailed as failed:
            report = failed.report
            for line in report.errors:
                self.stderr.write(line)
            if report.problems > len(report.errors):
                self.stderr.write(f"... and {report.problems - len(report.errors):,} more")
            raise CommandError(failed.report.summary()) from None
        self.stdout.write(report.summary())
