"""Publishing a report again: the reason asked for, kept with the version and shown with it."""

import io
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Report, ReportVersion
from tests.factories import ReportFactory
from tests.factories.series import hate_crime_indicator

WHY = "Burglary figures for October corrected by the police"


@pytest.fixture
def report(partnership_a):
    hate_crime_indicator(partnership_a)
    return ReportFactory(partnership=partnership_a, title="Hate crime update")


def _url(report) -> str:
    return reverse("reports:publish", args=[report.partnership.slug, report.pk])


def _words(html: str) -> str:
    """The text of some HTML as it reads: tags gone, one space between words."""
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return unescape(re.sub(r" ([.,:;)])", r"\1", words))


def _day(version: ReportVersion) -> str:
    return f"{timezone.localtime(version.published_at):%-d %B %Y}"


@pytest.mark.django_db
def test_publish_form_asks_no_reason_for_a_first_version(client, report, officer_a):
    client.force_login(officer_a)

    page = client.get(_url(report))
    response = client.post(_url(report), {"seen": "0"})

    assert 'name="reason"' not in page.text
    assert response.status_code == 302
    assert ReportVersion.objects.get(report=report).reason == ""


@pytest.mark.django_db
@pytest.mark.parametrize("given", [None, "", "   ", "."])
def test_publish_form_refuses_to_publish_again_without_a_reason(client, report, officer_a, given):
    services.report_publish(report=report, by=officer_a)
    client.force_login(officer_a)
    data = {"seen": "1"} if given is None else {"seen": "1", "reason": given}

    page = client.get(_url(report))
    response = client.post(_url(report), data)

    assert 'name="reason"' in page.text and "Why are you publishing version 2?" in page.text
    assert "For example “Burglary figures for October corrected by the police”." in _words(
        page.text
    )
    assert response.status_code == 200
    assert "<title>Error: Publish Hate crime update" in response.text
    text = _words(response.text)
    assert "There is a problem" in text
    assert (
        "Error: Enter the reason for publishing version 2, for example “Burglary figures "
        "for October corrected by the police”"
    ) in text
    assert list(report.versions.values_list("number", flat=True)) == [1]


@pytest.mark.django_db
def test_publish_form_keeps_the_reason_with_the_new_version(client, report, officer_a):
    services.report_publish(report=report, by=officer_a)
    client.force_login(officer_a)

    response = client.post(_url(report), {"seen": "1", "reason": f"  {WHY}.\r\n"})

    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    first, second = report.versions.order_by("number")
    # One line, without the closing full stop: the version line gives its own.
    assert (first.reason, second.reason) == ("", WHY)
    assert second.published_by == officer_a


def _revise(report, value, reason, month=10):
    import datetime
    from decimal import Decimal

    from indicators import services as figure_services

    figure_services.actuals_save(
        entries=[
            figure_services.FigureInput(
                report.partnership.indicators.get(code="SP 09"),
                datetime.date(2016, month, 1),
                Decimal(value),
            )
        ],
        by=None,
        reason=reason,
    )


@pytest.mark.django_db
def test_publish_form_lists_what_changed_and_offers_its_one_reason(client, report, officer_a):
    """Reader review: "Why are you publishing version 2?" was asked without a word of what
    had changed since version 1."""
    services.report_publish(report=report, by=officer_a)
    _revise(report, 50, "Late crimes added by the police")
    client.force_login(officer_a)

    page = _words(client.get(_url(report)).text)

    assert "Figures revised since the last report" in page
    assert (
        "Police recorded hate crime (SP 09) October 2016 42 50 Late crimes added by the police"
        in page
    )
    assert page.index("Police recorded hate crime (SP 09)") < page.index(
        "Why are you publishing version 2?"
    )
    assert 'value="Late crimes added by the police"' in client.get(_url(report)).text


@pytest.mark.django_db
def test_publish_form_offers_no_reason_when_the_changes_give_several(client, report, officer_a):
    services.report_publish(report=report, by=officer_a)
    _revise(report, 50, "Late crimes added by the police")
    _revise(report, 51, "One more crime recorded", month=9)
    client.force_login(officer_a)

    page = client.get(_url(report)).text

    assert "September 2016" in _words(page) and "One more crime recorded" in _words(page)
    (box,) = re.findall(r'<input[^>]*name="reason"[^>]*>', page)
    assert "value=" not in box


@pytest.mark.django_db
def test_publish_form_says_when_no_figure_has_changed(client, report, officer_a):
    services.report_publish(report=report, by=officer_a)
    client.force_login(officer_a)

    page = _words(client.get(_url(report)).text)

    assert "No figure has been revised or received since the last report gave it." in page


@pytest.mark.django_db
def test_publish_form_refuses_a_reason_too_long(client, report, officer_a):
    services.report_publish(report=report, by=officer_a)
    client.force_login(officer_a)

    response = client.post(_url(report), {"seen": "1", "reason": "x" * 201})

    assert "Give the reason in 200 characters or fewer" in response.text
    assert report.versions.count() == 1


@pytest.mark.django_db
def test_a_version_published_meanwhile_is_told_not_asked_a_reason(client, report, officer_a):
    client.force_login(officer_a)
    services.report_publish(report=report, by=None)  # after the page showed no version

    response = client.post(_url(report), {"seen": "0"}, follow=True)

    assert "Version 1 was published at" in response.text
    assert report.versions.count() == 1


@pytest.mark.django_db
def test_service_refuses_to_publish_again_without_a_reason(report):
    services.report_publish(report=report, by=None, reason="Not kept: a first version")

    with pytest.raises(ValidationError) as refused:
        services.report_publish(report=report, by=None, reason=" ")

    assert refused.value.message_dict == {"reason": [services.reason_needed(2)]}
    assert list(report.versions.values_list("number", "reason")) == [(1, "")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"), [("panel_a", 403), ("officer_b", 404), ("public", 302)]
)
def test_only_an_editor_publishes_again(client, report, role, status, request):
    services.report_publish(report=report, by=None)
    if role != "public":
        client.force_login(request.getfixturevalue(role))

    response = client.post(_url(report), {"seen": "1", "reason": WHY})

    assert response.status_code == status
    assert report.versions.count() == 1


@pytest.mark.django_db
def test_panel_member_reads_the_reason_with_its_version_and_in_the_versions_list(
    client, report, officer_a, panel_a
):
    first = services.report_publish(report=report, by=None).version
    second = services.report_publish(report=report, by=officer_a, reason=WHY).version
    officer_a.first_name, officer_a.last_name = "Ann", "Lee"
    officer_a.save()
    client.force_login(panel_a)

    latest = _words(client.get(report.get_absolute_url()).text)
    old = _words(client.get(reverse("reports:version", args=["partnership-a", report.pk, 1])).text)

    assert re.search(
        rf"Version 2, published {_day(second)} at \d\d:\d\d by Ann Lee: {WHY}\.", latest
    )
    assert f"Version 2, published {_day(second)}: {WHY} (this version)" in latest
    assert f"Version 1, published {_day(first)} Version 2" not in latest
    # Reading version 1, the panel is told why version 2 replaced it.
    assert f"The latest is version 2, published {_day(second)}: {WHY}." in old
    assert f"Version 2, published {_day(second)}: {WHY}" in old
    assert re.search(rf"Version 1, published {_day(first)} at \d\d:\d\d by Partnership A\.", old)


@pytest.mark.django_db
@pytest.mark.parametrize("why", ["Were October's figures late?", "Figures corrected!"])
def test_a_reason_ending_as_a_sentence_does_gets_no_second_stop(client, report, panel_a, why):
    """Reader review: "...for October?." on the page."""
    services.report_publish(report=report, by=None)
    services.report_publish(report=report, by=None, reason="Late returns added")
    services.report_publish(report=report, by=None, reason=f"{why}.")
    client.force_login(panel_a)

    latest = _words(client.get(report.get_absolute_url()).text)
    old = _words(client.get(reverse("reports:version", args=["partnership-a", report.pk, 2])).text)

    assert report.versions.get(number=3).reason == why
    assert f"by Partnership A: {why} " in latest and f"{why}." not in latest
    assert f": {why} (this version)" in latest
    assert "by Partnership A: Late returns added." in old
    assert (
        f"The latest is version 3, published {_day(report.versions.get(number=3))}: {why} " in old
    )
    assert f"{why}." not in old


@pytest.mark.django_db
def test_reason_is_escaped_on_the_page(client, report, panel_a):
    services.report_publish(report=report, by=None)
    services.report_publish(report=report, by=None, reason="<b>Figures</b> & targets corrected")
    client.force_login(panel_a)

    page = client.get(report.get_absolute_url()).text

    assert "&lt;b&gt;Figures&lt;/b&gt; &amp; targets corrected" in page
    assert "<b>Figures</b>" not in page


class EditionDocuments:
    """A stand-in renderer whose files hold the version line they were asked to print."""

    def render_pdf(self, html, *, title, charts, version=None, reason="", **properties):
        return f"%PDF version {version}: {reason}".encode()

    def render_docx(self, html, *, title, charts, version=None, reason="", **properties):
        return f"PK version {version}: {reason}".encode()


@pytest.fixture
def edition_documents(monkeypatch, settings):
    import sys

    import reports

    settings.REPORTS_MAKE_DOCUMENTS = True
    fake = EditionDocuments()
    monkeypatch.setitem(sys.modules, "reports.documents", fake)
    monkeypatch.setattr(reports, "documents", fake, raising=False)
    return fake


@pytest.mark.django_db
def test_files_carry_the_reason_and_stay_as_stored(client, report, panel_a, edition_documents):
    services.report_publish(report=report, by=None)
    second = services.report_publish(report=report, by=None, reason=WHY).version
    made_later = services.report_publish(
        report=report, by=None, reason="Late returns added", documents=False
    ).version
    client.force_login(panel_a)
    pdf = reverse("reports:pdf", args=["partnership-a", report.pk])
    docx = reverse("reports:docx", args=["partnership-a", report.pk])

    first = [client.get(f"{pdf}?version=2").content, client.get(f"{docx}?version=2").content]
    page = client.get(report.get_absolute_url()).content
    again = [client.get(f"{pdf}?version=2").content, client.get(f"{docx}?version=2").content]
    # Files left to the first download are made with the reason the version stored.
    later = [client.get(f"{pdf}?version=3").content, client.get(f"{pdf}?version=3").content]

    assert first[0] == again[0] == f"%PDF version 2: {WHY}".encode()
    assert first[1] == again[1] == f"PK version 2: {WHY}".encode()
    assert bytes(ReportVersion.objects.get(pk=second.pk).pdf) == again[0]
    assert later[0] == later[1] == b"%PDF version 3: Late returns added"
    assert made_later.html in page.decode()
    assert ReportVersion.objects.get(pk=made_later.pk).html == made_later.html


# Command ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_build_report_publish_builds_a_new_report_each_run_with_no_reason_asked(report):
    paths = []
    for _ in range(2):
        out = io.StringIO()
        call_command(
            "build_report",
            "--partnership=partnership-a",
            "--period=2016-11",
            "--publish",
            stdout=out,
            stderr=io.StringIO(),
        )
        paths.append(out.getvalue().strip())

    built = Report.objects.exclude(pk=report.pk).order_by("pk")
    assert paths == [f"/p/partnership-a/reports/{r.pk}/" for r in built]
    # Each run publishes a new report's first version: never one already published.
    assert [list(r.versions.values_list("number", "reason")) for r in built] == [
        [(1, "")],
        [(1, "")],
    ]


def test_publish_changes_names_each_overview_partnerships_and_offers_one_reason_only():
    snapshot = {
        "revisions": [],
        "late_figures": [],
        "overview": [
            {
                "name": "Partnership A",
                "revisions": [{"reason": "Police corrected."}],
                "late_figures": [],
            },
            {"name": "Partnership B", "revisions": [], "late_figures": [{"reason": ""}]},
            {"name": "Partnership C", "revisions": [], "late_figures": []},
        ],
    }

    changed = services.publish_changes(snapshot)

    assert [g["name"] for g in changed["changes"]] == ["Partnership A", "Partnership B"]
    assert changed["offered_reason"] == "Police corrected"
    # One save gives its reason to each figure it changed: still one reason to offer.
    snapshot["revisions"] = [{"reason": "Police corrected"}]
    assert services.publish_changes(snapshot)["offered_reason"] == "Police corrected"
    snapshot["revisions"] = [{"reason": "Another reason"}]
    assert services.publish_changes(snapshot)["offered_reason"] == ""
