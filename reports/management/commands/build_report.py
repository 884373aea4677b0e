import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from csp_portal.core.models import Partnership, theme_group_key
from indicators import periods
from reports import chart_images, rendering, services


class Command(BaseCommand):
    help = (
        "Build a report with the default sections and cover sheet, publish it if asked, "
        "and write report.html, .pdf, .docx and .csv into --out. Prints the report's path. "
        "Without --publish or --out it saves the draft only: its page builds it when read. "
        "When it publishes or writes files, what the publish page warns of (red indicators "
        "with no action, cover sheet gaps, text that does not match the figures) is written "
        "to standard error."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--period", required=True, help="The month figures run to, YYYY-MM.")
        parser.add_argument("--theme-group", default="", help="A theme group's name.")
        parser.add_argument("--publish", action="store_true", help="Publish it (frozen).")
        parser.add_argument("--out", default="", help="A folder to write the files into.")

    def handle(self, *args, partnership, period, theme_group, publish, out, **options):
        found = Partnership.objects.filter(slug=partnership).first()
        if found is None:
            raise CommandError(f"No partnership with slug '{partnership}'")
        try:
            month = periods.parse_month(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        group = None
        if theme_group:
            group = found.theme_groups.filter(name_key=theme_group_key(theme_group)).first()
            if group is None:
                names = ", ".join(found.theme_groups.values_list("name", flat=True)) or "none"
                raise CommandError(
                    f"{found.name} has no theme group '{theme_group}' (it has: {names})"
                )
        if out:
            self._check_folder(Path(out))
        if (publish or out) and not chart_images.browser_path().exists():
            # Checked before the draft is saved: a failure half-way would leave one behind.
            raise CommandError(
                f"No Chromium at {chart_images.browser_path()} to draw the charts of the PDF "
                "and Word files: install Debian's chromium, or set BROWSER_PATH"
            )
        try:
            report = services.report_default(partnership=found, period=month, theme_group=group)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        # What the publish page would tell an editor, told here too (it stops nothing),
        # when the report is built: a draft only saved is built when its page is read.
        snapshot = services.report_snapshot(report) if publish or out else None
        if snapshot is not None:
            found = services.publish_checks(report, snapshot)
            for line in services.publish_check_lines(found, snapshot):
                self.stderr.write(f"Warning: {line}")
        try:
            files = self._files(report, snapshot, publish=publish, out=out)
        except chart_images.ChartImageError as error:
            # Nothing is published: the documents are made before the version is stored.
            # The draft goes too, as the command promises a failure leaves nothing.
            report.delete()
            raise CommandError(
                f"The charts of the PDF and Word files could not be drawn with the browser "
                f"at {chart_images.browser_path()}, so nothing was saved: {error}"
            ) from None
        if files:
            self._write(Path(out), files, report.title, files["snapshot"])
        self.stdout.write(report.get_absolute_url())

    def _files(self, report, snapshot: dict | None, *, publish: bool, out: str) -> dict | None:
        """Publish the report if asked; its files, when they are to be written out."""
        if publish:
            version = services.report_publish(report=report, by=None).version
            if not out:
                return None
            files = {kind: getattr(version, kind) for kind in ("html", "pdf", "docx", "csv")}
            return {**files, "snapshot": version.snapshot}
        if not out:
            return None
        # A draft's files are made only to be written out: nobody else receives them.
        html = rendering.render_document(snapshot)
        pdf, docx = services.report_documents(report, snapshot, html)
        csv = rendering.report_csv(snapshot)
        return {"html": html, "pdf": pdf, "docx": docx, "csv": csv, "snapshot": snapshot}

    def _check_folder(self, folder: Path) -> None:
        """Before anything is built or published: the files must have somewhere to go. The
        folder is only made when they are written, so a command refused later (a month not
        begun yet) leaves nothing behind."""
        if folder.exists():
            if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
                raise CommandError(f"Cannot write files into {folder}")
            return
        # The nearest folder above it that exists is where it would be made.
        above = next(parent for parent in folder.absolute().parents if parent.exists())
        if not above.is_dir():
            raise CommandError(f"Cannot make the folder {folder}: {above} is not a folder")
        if not os.access(above, os.W_OK | os.X_OK):
            raise CommandError(f"Cannot make the folder {folder}: {above} is not writable")

    def _write(self, folder: Path, files: dict, title: str, snapshot: dict) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        page = rendering.standalone_page(files["html"], title=title, snapshot=snapshot)
        (folder / "report.html").write_text(page, encoding="utf-8")
        (folder / "report.csv").write_text(files["csv"], encoding="utf-8")
        for kind in ("pdf", "docx"):
            if files[kind] is None:
                self.stderr.write(
                    f"report.{kind} not written: the {kind.upper()} renderer is not installed yet."
                )
                continue
            (folder / f"report.{kind}").write_bytes(bytes(files[kind]))
