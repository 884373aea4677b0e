from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opendata import home_office, services


class Command(BaseCommand):
    help = (
        "Import the Home Office 'police recorded crime by Community Safety Partnership' "
        "tables (.xlsx or .ods, one sheet per financial year). Each quarter in the files "
        "replaces that quarter's stored counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args, paths, **options):
        for path in paths:
            if not path.exists():
                raise CommandError(f"Not found: {path}")
        counts: dict = {}
        forces: dict[str, str] = {}
        skipped = 0
        try:
            for path in paths:
                found, bad = home_office.group_counts(home_office.read_table(path), forces=forces)
                counts.update(found)
                skipped += bad
        except home_office.NotCspTable as error:
            raise CommandError(str(error)) from None
        result = services.csp_counts_replace(counts=counts, forces=forces)
        self.stdout.write(
            f"{result['rows']:,} CSP x quarter x offence group counts in "
            f"{result['quarters']} quarter(s); {skipped:,} row(s) skipped (unreadable)."
        )
