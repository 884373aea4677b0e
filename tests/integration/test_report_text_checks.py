"""The editor is warned, on the preview and the publish page, of text that the figures do
not bear out and of abbreviations the glossary does not explain; "Other terms" explain
them in the glossary of the published page and its Word file."""

import io
import re
from html import unescape

import docx
import pytest
from django.urls import reverse

from reports import documents, rendering, services
from reports.models import Report, ReportVersion
from tests.factories import ReportFactory
from tests.factories.series import hate_crime_indicator

# Seed 002's hate crime: 287 in April to November 2016, 68 more than 2015 (+31%). The
# paper's fault, the other way round: the text calls the rise a fall.
WRONG_SUMMARY = "Police recorded hate crime fell by 68, a 31% reduction. The MAPPA helped."
FELL = '"fell" says hate crime went down, but the figures of SP 09 show it rose'
REDUCED = '"reduced" says hate crime went down'
MAPPA = "MAPPA is not explained in the glossary: add it under Other terms."


@pytest.fixture
def hate_crime(partnership_a):
    return hate_crime_indicator(partnership_a)


@pytest.fixture
def wrong_report(partnership_a, hate_crime):
    return ReportFactory(
        partnership=partnership_a,
        executive_summary=WRONG_SUMMARY,
        editor_comments={str(hate_crime.pk): "Reporting has reduced."},
    )


def _text(response) -> str:
    """The page's words, tags gone."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", response.content.decode())).split())


def _png() -> bytes:
    """A blank stand-in for a chart image (no browser in these tests)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (90, 46), "white").save(out, "PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_publish_page_warns_of_text_the_figures_contradict_but_publishes(
    client, officer_a, wrong_report
):
    client.force_login(officer_a)
    url = reverse("reports:publish", args=["partnership-a", wrong_report.pk])

    page = _text(client.get(url))

    assert "Check the report's text: 3 things in it do not match the figures" in page
    assert f"Executive summary: {FELL}: the year to date is 287, 68 more" in page
    assert f"Comment on SP 09 Police recorded hate crime: {REDUCED}" in page
    assert f"Executive summary: {MAPPA}" in page
    assert "68 is not a figure" not in page and "31% is not a figure" not in page
    client.post(url, {"seen": "0"})
    assert ReportVersion.objects.filter(report=wrong_report).count() == 1


@pytest.mark.django_db
def test_preview_warns_of_the_same_text(client, officer_a, wrong_report):
    client.force_login(officer_a)
    url = reverse("reports:preview", args=["partnership-a", wrong_report.pk])

    first, cached = _text(client.get(url)), _text(client.get(url))

    for page in (first, cached):
        assert f"Executive summary: {FELL}" in page
        assert f"Comment on SP 09 Police recorded hate crime: {REDUCED}" in page
        assert f"Executive summary: {MAPPA}" in page
    # The warnings are for the editor: the report itself does not carry them.
    html = rendering.render_document(services.report_snapshot(wrong_report))
    assert "not explained in the glossary" not in html and FELL not in unescape(html)


@pytest.mark.django_db
def test_text_the_figures_bear_out_gets_no_warning(client, officer_a, partnership_a, hate_crime):
    report = ReportFactory(
        partnership=partnership_a,
        executive_summary="Police recorded hate crime rose by 68 (+31%), as hoped.",
    )
    client.force_login(officer_a)

    for page in ("publish", "preview"):
        response = client.get(reverse(f"reports:{page}", args=["partnership-a", report.pk]))
        assert "Check the report's text" not in _text(response)


@pytest.mark.django_db
def test_other_terms_explain_an_abbreviation_in_the_published_page_and_word_file(
    client, officer_a, wrong_report
):
    wrong_report.other_terms = "MAPPA: public protection panels, for violent offenders"
    wrong_report.save()
    client.force_login(officer_a)

    page = _text(client.get(reverse("reports:publish", args=["partnership-a", wrong_report.pk])))
    assert MAPPA not in page
    version = services.report_publish(report=wrong_report, by=None).version

    glossary = version.html.split('id="glossary"')[1]
    assert '<dt class="govuk-summary-list__key">MAPPA</dt>' in glossary
    assert "public protection panels, for violent offenders" in glossary
    charts = services.chart_specs(version.snapshot)
    images = dict.fromkeys(charts, _png())
    word = docx.Document(
        io.BytesIO(documents.render_docx(version.html, title="T", charts=charts, images=images))
    )
    paragraphs = [p.text for p in word.paragraphs]
    assert "MAPPA: public protection panels, for violent offenders" in paragraphs


@pytest.mark.django_db
def test_report_form_saves_other_terms_and_refuses_a_bad_line(client, officer_a, wrong_report):
    client.force_login(officer_a)
    url = reverse("reports:edit", args=["partnership-a", wrong_report.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value is not None
    }
    data.update({f"initial-{name}": value for name, value in data.items()})
    data["period"] = "2016-11"
    data["initial-period"] = "2016-11"

    refused = client.post(url, {**data, "other_terms": "MAPPA public protection panels"})
    saved = client.post(url, {**data, "other_terms": "MAPPA: public protection panels"})

    assert 'Line 1 ("MAPPA public protection panels") is not a term and its meaning' in (
        unescape(refused.content.decode())
    )
    assert saved.status_code == 302
    report = Report.objects.get(pk=wrong_report.pk)
    assert report.other_terms == "MAPPA: public protection panels"
