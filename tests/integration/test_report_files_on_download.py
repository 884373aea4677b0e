"""A published version whose PDF and Word files were never made (its publish page closed
early) gets them on the first download: made from what the version stored, by the code
publishing uses, stored once and never changed. The real renderers, with stand-in chart
images (drawing them needs a browser)."""

import io
import threading

import docx
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from reports import documents, services
from reports.models import ReportVersion
from tests.factories import ReportFactory
from tests.factories.series import hate_crime_indicator
from tests.integration.test_concurrency import wait_until_blocked


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 46), "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def renderers(settings, monkeypatch):
    """The real PDF and Word renderers, counting what they make."""
    settings.REPORTS_MAKE_DOCUMENTS = True
    made = []
    monkeypatch.setattr(documents, "chart_images", lambda charts: dict.fromkeys(charts, _png()))
    for name in ("render_pdf", "render_docx"):
        real = getattr(documents, name)

        def counted(html, *, real=real, name=name, **kwargs):
            made.append(name)
            return real(html, **kwargs)

        monkeypatch.setattr(documents, name, counted)
    return made


@pytest.fixture
def version(partnership_a):
    """Version 1 as a publish page closed at once leaves it: stored, with no files."""
    hate_crime_indicator(partnership_a)
    report = ReportFactory(partnership=partnership_a, title="Hate crime update")
    version = services.report_publish(report=report, by=None, documents=False).version
    assert version.pdf is None and version.docx is None
    # The draft moves on: the files are of the version, not of the draft.
    report.title = "A later title"
    report.save()
    return version


def _url(version, kind: str) -> str:
    args = [version.report.partnership.slug, version.report.pk]
    return reverse(f"reports:{kind}", args=args) + f"?version={version.number}"


def _pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


@pytest.mark.django_db
def test_download_makes_the_missing_files_once(client, panel_a, version, renderers):
    client.force_login(panel_a)

    first = client.get(_url(version, "pdf"))
    second = client.get(_url(version, "pdf"))
    word = client.get(_url(version, "docx"))

    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert "Hate crime update" in _pdf_text(first.content)
    assert "A later title" not in _pdf_text(first.content)
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert any("Hate crime update" in text for text in paragraphs)
    assert second.content == first.content
    stored = ReportVersion.objects.get(pk=version.pk)
    assert bytes(stored.pdf) == first.content and bytes(stored.docx) == word.content
    assert renderers == ["render_pdf", "render_docx"]  # both at the first download, once


@pytest.mark.django_db
def test_files_made_on_download_are_the_bytes_publishing_makes(client, panel_a, version, renderers):
    client.force_login(panel_a)

    pdf = client.get(_url(version, "pdf")).content
    word = client.get(_url(version, "docx")).content

    stored = ReportVersion.objects.get(pk=version.pk)
    made = services.document_properties(
        stored.title, stored.snapshot, stored.published_at, number=stored.number
    )
    charts = services.chart_specs(stored.snapshot)
    made.update(charts=charts, images=documents.chart_images(charts))
    assert pdf == documents.render_pdf(stored.html, **made)
    assert word == documents.render_docx(stored.html, **made)


@pytest.mark.django_db
def test_each_versions_files_say_which_version_they_are(client, panel_a, version, renderers):
    client.force_login(panel_a)
    why = "Burglary figures for October corrected by the police"
    later = services.report_publish(report=version.report, by=None, reason=why).version

    first = client.get(_url(version, "pdf")).content  # made on download
    second = client.get(_url(later, "pdf")).content  # made at publishing
    word = docx.Document(io.BytesIO(client.get(_url(later, "docx")).content))

    day = f"{timezone.localtime(later.published_at):%-d %B %Y}"
    line = f"Version 2, published {day}: {why}"
    assert "Version 1, published" in _pdf_text(first) and why not in _pdf_text(first)
    assert line in _pdf_text(second)
    assert PdfReader(io.BytesIO(second)).metadata.subject == line
    assert f"{line}." in [p.text for p in word.paragraphs[:4]]
    assert word.core_properties.version == "2"
    assert client.get(_url(later, "pdf")).content == second  # the stored bytes, every time


@pytest.mark.django_db
def test_files_made_while_another_version_was_stored_are_left_to_be_made(
    panel_a, version, renderers, monkeypatch
):
    # Version 1 is stored after the files were made as version 1 (the first look at the
    # latest found none), before the row is locked.
    real, looks = services._latest, []

    def latest(report):
        looks.append(report)
        return real(report) if len(looks) > 1 else None

    monkeypatch.setattr(services, "_latest", latest)

    later = services.report_publish(report=version.report, by=None, reason="Again").version

    assert later.number == 2 and later.pdf is None and later.docx is None
    assert later.reason == "Again"


@pytest.mark.django_db
def test_report_page_links_to_files_still_to_be_made(client, panel_a, version, renderers):
    client.force_login(panel_a)

    page = client.get(reverse("reports:detail", args=["partnership-a", version.report.pk]))

    assert "Download the PDF" in page.text and "Download the Word document" in page.text
    assert "not yet available" not in page.text


@pytest.mark.django_db
def test_without_the_renderers_a_missing_file_is_not_found(client, panel_a, version):
    client.force_login(panel_a)

    response = client.get(_url(version, "pdf"))
    page = client.get(reverse("reports:detail", args=["partnership-a", version.report.pk]))

    assert response.status_code == 404
    assert "PDF not yet available" in page.text


@pytest.mark.django_db
def test_a_word_file_that_cannot_be_made_leaves_the_pdf_stored_and_served(
    client, panel_a, version, renderers, monkeypatch
):
    client.force_login(panel_a)

    def broken(html, **kwargs):
        raise ValueError("All strings must be XML compatible")

    monkeypatch.setattr(documents, "render_docx", broken)
    response = client.get(_url(version, "pdf"))

    assert response.content.startswith(b"%PDF")
    stored = ReportVersion.objects.get(pk=version.pk)
    assert stored.pdf is not None and stored.docx is None
    assert stored.files_failed_at is not None


@pytest.mark.django_db
def test_a_file_that_cannot_be_made_is_explained_and_not_remade_on_every_download(
    client, panel_a, version, renderers, monkeypatch
):
    client.force_login(panel_a)
    real = documents.render_docx

    def broken(html, **kwargs):
        raise ValueError("All strings must be XML compatible")

    monkeypatch.setattr(documents, "render_docx", broken)
    response = client.get(_url(version, "docx"))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reports:version", args=["partnership-a", version.report.pk, version.number]
    )
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert message == (
        "The Word document of this report is not available yet. Try again in a few minutes, "
        "or ask Partnership A for a copy."
    )
    assert renderers == ["render_pdf"]

    # The next downloads within a few minutes say so again, making nothing.
    monkeypatch.setattr(documents, "render_docx", real)
    again = client.get(_url(version, "docx"))
    assert again.status_code == 302
    assert "not available yet" in str(next(iter(get_messages(again.wsgi_request))))
    assert renderers == ["render_pdf"]

    # Past the wait, a download tries again.
    ReportVersion.objects.filter(pk=version.pk).update(
        files_failed_at=timezone.now() - services.FILES_RETRY
    )
    assert client.get(_url(version, "docx")).content.startswith(b"PK")
    assert renderers == ["render_pdf", "render_docx"]
    assert ReportVersion.objects.get(pk=version.pk).files_failed_at is None


@pytest.mark.django_db
def test_an_editor_downloading_tries_again_at_once(
    client, officer_a, version, renderers, monkeypatch
):
    ReportVersion.objects.filter(pk=version.pk).update(files_failed_at=timezone.now())
    client.force_login(officer_a)

    assert client.get(_url(version, "docx")).content.startswith(b"PK")
    assert renderers == ["render_pdf", "render_docx"]


@pytest.mark.django_db
def test_files_the_publish_page_could_not_make_are_not_remade_by_every_download(
    client, partnership_a, officer_a, panel_a, renderers, monkeypatch
):
    hate_crime_indicator(partnership_a)
    report = ReportFactory(partnership=partnership_a, title="Update")
    client.force_login(officer_a)

    def broken(html, **kwargs):
        raise ValueError("All strings must be XML compatible")

    monkeypatch.setattr(documents, "render_docx", broken)
    response = client.post(reverse("reports:publish", args=["partnership-a", report.pk]))
    page = b"".join(response.streaming_content).decode()

    assert "its PDF and Word files could not be made" in page
    version = ReportVersion.objects.get(report=report)
    assert version.files_failed_at is not None
    client.force_login(panel_a)
    assert client.get(_url(version, "docx")).status_code == 302
    assert renderers == ["render_pdf"]  # by the publish page; the download made nothing


@pytest.mark.django_db
def test_publish_page_closed_early_leaves_the_version_whole(
    client, partnership_a, officer_a, panel_a, renderers, monkeypatch
):
    hate_crime_indicator(partnership_a)
    report = ReportFactory(partnership=partnership_a, title="Update")
    client.force_login(officer_a)

    response = client.post(reverse("reports:publish", args=["partnership-a", report.pk]))
    next(iter(response.streaming_content))  # the page's head, then the tab is closed
    _close(response, monkeypatch)

    version = ReportVersion.objects.get(report=report)
    assert (version.number, version.pdf, version.docx) == (1, None, None)
    assert renderers == []
    client.force_login(panel_a)
    assert client.get(_url(version, "docx")).content.startswith(b"PK")
    assert bytes(ReportVersion.objects.get(pk=version.pk).pdf).startswith(b"%PDF")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: two downloads in two sessions at once (SQLite lets one "
    "session write at a time)",
)
@pytest.mark.django_db(transaction=True)
def test_two_downloads_at_once_make_the_files_once(panel_a, version, renderers, monkeypatch):
    drawing, go_on = threading.Event(), threading.Event()
    real = documents.render_pdf

    def slow(html, **kwargs):
        drawing.set()
        go_on.wait(timeout=30)
        return real(html, **kwargs)

    monkeypatch.setattr(documents, "render_pdf", slow)
    first, second = Download(panel_a, _url(version, "pdf")), Download(panel_a, _url(version, "pdf"))

    first.start()
    assert drawing.wait(timeout=30)
    second.start()
    wait_until_blocked(second)  # on the first's lock of the version
    go_on.set()

    assert first.result().content == second.result().content
    assert renderers == ["render_pdf", "render_docx"]  # once, by the first
    assert bytes(ReportVersion.objects.get(pk=version.pk).pdf) == first.result().content


def _close(response, monkeypatch) -> None:
    """Close a streamed response as the server does when its reader goes, keeping the
    test's database connection (closing it ends the request, which would close that)."""
    with monkeypatch.context() as patch:
        patch.setattr(connection, "close_if_unusable_or_obsolete", lambda: None)
        response.close()


class Download(threading.Thread):
    """One reader's download in a thread, so in a database session, of its own."""

    def __init__(self, user, url: str):
        super().__init__(daemon=True)
        self.client = Client()
        self.client.force_login(user)
        self.url = url
        self.response = None
        self.error: BaseException | None = None

    def run(self):
        try:
            self.response = self.client.get(self.url)
        except BaseException as error:  # reported by the test thread
            self.error = error
        finally:
            connection.close()

    def result(self):
        self.join(timeout=60)
        assert not self.is_alive(), "the download never finished"
        if self.error:
            raise self.error
        return self.response


def _properties(pdf: bytes, word: bytes) -> list[tuple]:
    """(title, author, created, modified) of the PDF, then of the Word file; language too."""
    info = PdfReader(io.BytesIO(pdf)).metadata
    core = docx.Document(io.BytesIO(word)).core_properties
    return [
        (info.title, info.author, info.creation_date, info.modification_date),
        (core.title, core.author, core.created, core.modified),
        core.language,
    ]


@pytest.mark.django_db
def test_the_files_say_who_published_them_and_when(partnership_a, renderers):
    """Review finding: the Word file said it was created and modified on 23 December 2013
    (python-docx's template) by no one, and the PDF gave no author or dates."""
    import datetime

    hate_crime_indicator(partnership_a)
    report = ReportFactory(partnership=partnership_a, title="Hate crime update")
    at = datetime.datetime(2016, 12, 14, 9, 30, 15, 250000, tzinfo=datetime.UTC)

    version = services.report_publish(report=report, by=None, at=at).version

    when = datetime.datetime(2016, 12, 14, 9, 30, 15, tzinfo=datetime.UTC)
    title = "Hate crime update, November 2016"
    pdf, word, language = _properties(bytes(version.pdf), bytes(version.docx))
    assert word == (title, partnership_a.name, when, when)
    assert pdf == word
    assert language == "en-GB"


@pytest.mark.django_db
def test_files_made_on_download_say_when_the_version_was_published(
    client, panel_a, version, renderers
):
    client.force_login(panel_a)

    pdf = client.get(_url(version, "pdf")).content
    word = client.get(_url(version, "docx")).content

    published = version.published_at.replace(microsecond=0)
    [pdf_properties, word_properties, _] = _properties(pdf, word)
    assert pdf_properties[1:] == word_properties[1:] == ("Partnership A", published, published)
