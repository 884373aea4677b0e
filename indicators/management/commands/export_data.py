from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from csp_portal.core.models import Partnership
from indicators import importing


class Command(BaseCommand):
    help = "Write a partnership's data as the CSV files import_data reads."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("path", type=Path, help="Folder to write the CSV files into.")

    def handle(self, *args, partnership, path, **options):
        found = Partnership.objects.filter(slug=partnership).first()
        if found is None:
            raise CommandError(f"No partnership with slug '{partnership}'")
        counts = importing.export_to_folder(found, path)
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(f"Wrote {summary} to {path}")
