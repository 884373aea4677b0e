"""build_report: the theme group found by its name as everywhere else (any capitals and
spacing, letters beyond ASCII), and --out checked before anything is built, written whole
or not at all, a failure told as a CommandError."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.models import Report, ReportVersion
from tests.factories import ThemeGroupFactory

NAMES = ("report.html", "report.pdf", "report.docx", "report.csv")


def _build(*args, stdout=None, stderr=None) -> str:
    out = stdout or io.StringIO()
    call_command(
        "build_report",
        "--partnership=partnership-a",
        "--period=2016-11",
        *args,
        stdout=out,
        stderr=stderr or io.StringIO(),
    )
    return out.getvalue().strip()


# --theme-group ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Safe and Strong", "safe  and strong"),
        ("Safe and Strong", " SAFE and\tSTRONG "),
        ("Équipe Sûre", "équipe sûre"),
        ("Équipe Sûre", "ÉQUIPE SÛRE"),
    ],
)
def test_build_report_finds_a_theme_group_in_any_capitals_and_spacing(partnership_a, stored, typed):
    # Review finding: name__iexact on the stripped name refused two spaces, and on SQLite
    # any capital beyond ASCII, which imports, the demo and the admin all take.
    group = ThemeGroupFactory(partnership=partnership_a, name=stored)
    ThemeGroupFactory(partnership=partnership_a, name="Other")

    _build(f"--theme-group={typed}")

    assert Report.objects.get().theme_group == group


# --out --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("publish", [True, False])
def test_build_report_refuses_a_file_name_taken_by_a_folder_before_building(
    partnership_a, fake_documents, tmp_path, publish
):
    # Review finding: DIR/report.csv a folder ended in IsADirectoryError after publishing,
    # with a version published and report.html written.
    (tmp_path / "report.csv").mkdir()

    with pytest.raises(CommandError, match=r"report\.csv: it is a folder"):
        _build(f"--out={tmp_path}", *(["--publish"] if publish else []))

    assert not Report.objects.exists()
    assert fake_documents.calls == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


@pytest.mark.django_db
def test_build_report_that_cannot_make_its_folder_says_so_and_saves_nothing(partnership_a):
    # Review finding: /proc/x passed the access check on /proc, then mkdir failed after
    # the draft was saved (FileNotFoundError, a draft left behind).
    with pytest.raises(CommandError, match="Cannot make the folder /proc/x"):
        _build("--out=/proc/x", "--publish")

    assert not Report.objects.exists()


@pytest.mark.django_db
def test_build_report_makes_its_folder_and_leaves_nothing_else_in_it(
    partnership_a, fake_documents, tmp_path
):
    out = tmp_path / "reports" / "2016-11"

    _build(f"--out={out}", "--publish")

    assert sorted(p.name for p in out.iterdir()) == sorted(NAMES)


@pytest.mark.django_db
def test_build_report_replaces_the_files_of_an_earlier_run(partnership_a, fake_documents, tmp_path):
    for name in NAMES:
        (tmp_path / name).write_text("old")

    _build(f"--out={tmp_path}")

    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)


def _failing_replace(monkeypatch, fail_on: str):
    """os.replace failing for one file, as a full disk or a lost mount would."""
    real = os.replace

    def replace(source, target):
        if Path(target).name == fail_on:
            raise OSError(28, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.django_db
def test_build_report_that_cannot_write_after_publishing_says_it_published(
    partnership_a, fake_documents, tmp_path, monkeypatch
):
    _failing_replace(monkeypatch, "report.csv")
    out = io.StringIO()

    with pytest.raises(CommandError) as failed:
        _build(f"--out={tmp_path}", "--publish", stdout=out)

    report = Report.objects.get()
    assert report.versions.count() == 1
    message = str(failed.value)
    assert f"published as {report.get_absolute_url()}" in message
    assert f"could not be written into {tmp_path}" in message
    assert "No space left on device" in message
    assert out.getvalue().strip() == report.get_absolute_url()
    # No half-made folder left behind.
    assert not [p for p in tmp_path.iterdir() if p.name not in NAMES]


@pytest.mark.django_db
def test_build_report_that_cannot_write_a_drafts_files_saves_nothing(
    partnership_a, fake_documents, tmp_path, monkeypatch
):
    _failing_replace(monkeypatch, "report.html")

    with pytest.raises(CommandError, match=r"could not be written .* nothing was saved"):
        _build(f"--out={tmp_path / 'files'}")

    assert (Report.objects.count(), ReportVersion.objects.count()) == (0, 0)
    assert not (tmp_path / "files").exists()


@pytest.mark.django_db
def test_build_report_refused_later_removes_the_folder_it_made(partnership_a, tmp_path):
    # The folder is made before anything is built; a refusal after (a month not begun)
    # takes it away again.
    out = tmp_path / "reports" / "2999-01"

    with pytest.raises(CommandError, match="has not started yet"):
        call_command(
            "build_report",
            partnership="partnership-a",
            period="2999-01",
            out=str(out),
            stdout=io.StringIO(),
        )

    assert list(tmp_path.iterdir()) == []


# Standard error -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_build_report_publishing_writes_only_its_warnings_to_stderr(
    partnership_a, settings, monkeypatch, tmp_path, caplog
):
    # Review finding: every run that made a PDF printed WeasyPrint's "Ignored `clip-path:
    # none ` at 241:3, unknown property." (print.css), though the README promises one line
    # a warning, each starting "Warning: ".
    from PIL import Image

    from reports import documents
    from tests.factories.series import hate_crime_indicator

    hate_crime_indicator(partnership_a)
    settings.REPORTS_MAKE_DOCUMENTS = True
    png = io.BytesIO()
    Image.new("RGB", (900, 360), "white").save(png, "PNG")
    monkeypatch.setattr(
        documents, "chart_images", lambda charts: dict.fromkeys(charts, png.getvalue())
    )
    err = io.StringIO()

    with caplog.at_level("WARNING"):
        _build("--publish", f"--out={tmp_path}", stderr=err)

    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    lines = err.getvalue().splitlines()
    assert lines
    assert [line for line in lines if not line.startswith("Warning: ")] == []
