from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from csp_portal.core.models import Partnership
from opendata import police_uk, services


class Command(BaseCommand):
    help = (
        "Import data.police.uk street-level CSVs (files, or folders such as an archive's "
        "month folders) into the indicators mapped to police.uk crime types. Re-importing "
        "a month replaces its police.uk figures; figures entered by hand, and those of months "
        "a published report covers, are left and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--partnership",
            metavar="SLUG",
            help="Only this partnership (default: every partnership naming local authorities).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change and write nothing."
        )

    def handle(self, *args, paths, partnership, dry_run, **options):
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"Not found: {', '.join(missing)}")
        if partnership:
            partnerships = list(Partnership.objects.filter(slug=partnership))
            if not partnerships:
                raise CommandError(f"No partnership with slug {partnership!r}")
        else:
            partnerships = list(Partnership.objects.exclude(local_authorities=""))
            if not partnerships:
                raise CommandError("No partnership names its local authorities.")
        try:
            street = police_uk.read_paths(paths)
        except (
            police_uk.NotStreetFile,
            police_uk.RepeatedMonth,
            police_uk.DamagedFile,
            UnicodeDecodeError,
        ) as error:
            raise CommandError(str(error)) from None
        if not street.files:
            raise CommandError("No street-level CSV files (*-street.csv) found.")
        self.stdout.write(f"Read {len(street.files)} file(s), {street.rows:,} rows.")
        for each in partnerships:
            run = services.police_uk_import(
                partnership=each, street=street, by=None, dry_run=dry_run
            )
            report = run.report
            self.stdout.write(f"{each.name}{' (dry run)' if dry_run else ''}:")
            self.stdout.write(f"  rows read {report['rows_read']:,}, matched {report['matched']:,}")
            for reason, n in report["skipped"].items():
                self.stdout.write(f"  skipped, {reason}: {n:,}")
            for problem in report["problems"] + report["not_imported"]:
                self.stdout.write(f"  {problem}")
            for line in report["figures"]:
                stored = (
                    f"stored {line['current']} from {line['current_source'] or 'unknown'}"
                    if line["current"] is not None
                    else "none stored"
                )
                extra = ""
                if line["outcome"] == "conflict":
                    extra = f" ({stored}, left for an editor)"
                elif line["outcome"] == "locked":
                    extra = (
                        f" ({stored}, left as it is: it is in the published report "
                        f"'{line['report']}'; change it on the month sheet with a reason)"
                    )
                self.stdout.write(
                    f"  {line['code']} {line['month']}: {line['count']:,} {line['outcome']}{extra}"
                )
