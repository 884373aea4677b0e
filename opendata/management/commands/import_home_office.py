from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opendata import home_office, services


class Command(BaseCommand):
    help = (
        "Import the Home Office 'police recorded crime by Community Safety Partnership' "
        "tables (.xlsx or .ods, one sheet per financial year). Each quarter in the files "
        "replaces that quarter's stored counts; a row that cannot be read imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args, paths, **options):
        for path in paths:
            if not path.is_file():
                raise CommandError(f"Not found: {path}")
        try:
            table = home_office.read_counts(paths)
        except home_office.TableError as error:
            raise CommandError(str(error)) from None
        result = services.csp_counts_replace(counts=table.counts, forces=table.forces)
        passed = (
            f"; {table.notes:,} row(s) naming no CSP or offence passed over (notes, totals)"
            if table.notes
            else ""
        )
        self.stdout.write(
            f"{result['rows']:,} CSP x quarter x offence group counts in "
            f"{result['quarters']} quarter(s){passed}."
        )
