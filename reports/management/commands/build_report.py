import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from csp_portal.core.models import Partnership, theme_group_key
from indicators import periods
from reports import chart_images, rendering, services

FILE_NAMES = ("report.html", "report.pdf", "report.docx", "report.csv")


@dataclass
class Folder:
    """Where --out's files go: the folder, the folders this run made for it (outermost
    first) and the folder inside it the files are written to before they are renamed into
    place, so a failure half-way leaves no file half-written."""

    path: Path
    made: list[Path] = field(default_factory=list)
    staging: Path | None = None

    def discard(self) -> None:
        """Takes away what this run made (the folders only if empty): nothing was written."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        for folder in reversed(self.made):
            with contextlib.suppress(OSError):
                folder.rmdir()


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
        parser.add_argument(
            "--theme-group", default="", help="A theme group's name, in any capitals and spacing."
        )
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
            # As imports, the demo and the admin find a group (`theme_group_key`).
            group = found.theme_groups.filter(name_key=theme_group_key(theme_group)).first()
            if group is None:
                names = ", ".join(found.theme_groups.values_list("name", flat=True)) or "none"
                raise CommandError(
                    f"{found.name} has no theme group '{theme_group}' (it has: {names})"
                )
        if (publish or out) and not chart_images.browser_path().exists():
            # Checked before the draft is saved: a failure half-way would leave one behind.
            raise CommandError(
                f"No Chromium at {chart_images.browser_path()} to draw the charts of the PDF "
                "and Word files: install Debian's chromium, or set BROWSER_PATH"
            )
        # Before anything is built or published: the files must have somewhere to go.
        folder = self._folder(Path(out)) if out else None
        try:
            report, files = self._build(found, month, group, publish=publish, out=out)
        except BaseException:
            if folder is not None:
                folder.discard()
            raise
        if files:
            self._write(folder, files, report, published=publish)
        self.stdout.write(report.get_absolute_url())

    def _build(self, partnership, month, group, *, publish: bool, out: str):
        """The report saved (and published if asked), and its files if they are to be
        written out."""
        try:
            report = services.report_default(
                partnership=partnership, period=month, theme_group=group
            )
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
        return report, files

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

    def _folder(self, path: Path) -> Folder:
        """The folder made if need be, each file's name free to be written, and a folder
        inside it to write into: or a CommandError saying why not."""
        if path.exists() and not path.is_dir():
            raise CommandError(f"Cannot write files into {path}: it is not a folder")
        made = [p for p in (path, *path.parents) if not p.exists() and not p.is_symlink()]
        folder = Folder(path=path, made=made[::-1])
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            folder.discard()
            raise CommandError(
                f"Cannot make the folder {path}: {error.strerror or error}"
            ) from None
        try:
            for name in FILE_NAMES:
                if (path / name).is_dir():
                    raise CommandError(f"Cannot write {path / name}: it is a folder")
            folder.staging = Path(tempfile.mkdtemp(prefix=".build_report-", dir=path))
        except OSError as error:
            folder.discard()
            raise CommandError(
                f"Cannot write files into {path}: {error.strerror or error}"
            ) from None
        except CommandError:
            folder.discard()
            raise
        return folder

    def _write(self, folder: Folder, files: dict, report, *, published: bool) -> None:
        """The files written into the staging folder, then renamed into place."""
        page = rendering.standalone_page(
            files["html"], title=report.title, snapshot=files["snapshot"]
        )
        contents = {"report.html": page.encode(), "report.csv": files["csv"].encode()}
        for kind in ("pdf", "docx"):
            if files[kind] is None:
                self.stderr.write(
                    f"report.{kind} not written: the {kind.upper()} renderer is not installed yet."
                )
                continue
            contents[f"report.{kind}"] = bytes(files[kind])
        renamed = []
        try:
            for name, data in contents.items():
                (folder.staging / name).write_bytes(data)
            for name in contents:
                os.replace(folder.staging / name, folder.path / name)
                renamed.append(folder.path / name)
            folder.staging.rmdir()
        except OSError as error:
            shutil.rmtree(folder.staging, ignore_errors=True)
            if published:
                self.stdout.write(report.get_absolute_url())
                raise CommandError(
                    f"The report was published as {report.get_absolute_url()}, but its files "
                    f"could not be written into {folder.path}: {error}"
                ) from None
            # Nobody has a draft's files but the folder: the draft and they go.
            report.delete()
            for written in renamed:
                written.unlink(missing_ok=True)
            folder.discard()
            raise CommandError(
                f"The report's files could not be written into {folder.path}, so nothing was "
                f"saved: {error}"
            ) from None
