import json

from django.core.management.base import BaseCommand, CommandError

from csp_portal.core.models import Partnership
from indicators import comparisons, periods


class Command(BaseCommand):
    help = "Print one comparisons record per indicator for a partnership and month (open data)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--period", required=True, help="The month reported to, YYYY-MM.")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, partnership, period, format, **options):
        found = Partnership.objects.filter(slug=partnership).first()
        if found is None:
            raise CommandError(f"No partnership with slug '{partnership}'")
        try:
            month = periods.parse_month(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if format == "csv":
            self.stdout.write(comparisons.records_csv(found, month), ending="")
        else:
            self.stdout.write(json.dumps(comparisons.records_json(found, month), indent=2))
