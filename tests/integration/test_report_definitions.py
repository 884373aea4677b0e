"""The definitions appendix explains only what the report prints: the key to red, amber and
green with an indicator that has a target, each test where a change it labels is printed,
the crime in context tables' changes with those tables, the figures' sources with a
figure. On the report's page and in its Word file alike; a stored version as stored."""

import datetime
import io
import re
from decimal import Decimal
from html import unescape

import docx
import pytest
from django.urls import reverse
from PIL import Image

from reports import documents, services
from reports.models import Report
from tests.factories import PartnershipFactory, ReportFactory, TargetFactory
from tests.factories.series import hate_crime_indicator, indicators_with_history

NOV_2016 = datetime.date(2016, 11, 1)
KEY = "Status key: red, amber and green (RAG)"
MONITORED = "No target, so no status; a higher (or lower) figure is still better"
DIRECTION = "Direction of travel"
QUARTERS = "each quarter is compared with the previous quarter"
USUAL_RANGE = "Usual range (statistical process control)"
POISSON = "Normal variation (Poisson test)"
CONTEXT = "crime in context tables"
MISSING = 'A month with no figure is shown as "No figure"'
SOURCE = "Figures entered by"
AS_AT = "Figures as at"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _png() -> bytes:
    """A blank stand-in for a chart image (no browser in these tests)."""
    out = io.BytesIO()
    Image.new("RGB", (90, 46), "white").save(out, "PNG")
    return out.getvalue()


def _published(report: Report):
    return services.report_publish(report=report, by=None, documents=False).version


def _page(client, user, report: Report) -> str:
    """The published report as its page shows it, to its Definitions (and glossary)."""
    client.force_login(user)
    response = client.get(reverse("reports:detail", args=[report.partnership.slug, report.pk]))
    assert response.status_code == 200
    return _text(response.content.decode())


def _word(version) -> str:
    """The version's Word file (made from its stored HTML, as a download makes it), read
    back: every paragraph, in the body and in table cells."""
    charts = services.chart_specs(version.snapshot)
    images = dict.fromkeys(charts, _png())
    made = documents.render_docx(version.html, title=version.title, charts=charts, images=images)
    word = docx.Document(io.BytesIO(made))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join([*(p.text for p in word.paragraphs), *cells]).split())


def _definitions(text: str) -> str:
    """The definitions appendix: from its heading to the background papers."""
    start = text.rfind("Definitions and glossary")
    return text[start : text.index("Background papers", start)] if start >= 0 else ""


def overview(owner, *covers) -> Report:
    report = ReportFactory(partnership=owner, kind=Report.Kind.OVERVIEW, title="Overview")
    report.covers.set(covers)
    return report


@pytest.mark.django_db
def test_an_overview_without_figures_defines_nothing_it_does_not_contain(
    client, officer_a, partnership_a, partnership_b
):
    """Review finding: the demo's overview (seed 004, no indicators) gave the status key,
    the direction rule, both tests ("the force's change", "crime in context tables") and
    "Figures entered by each partnership's officers"."""
    version = _published(overview(partnership_a, partnership_a, partnership_b))

    for text in (_page(client, officer_a, version.report), _word(version)):
        for absent in (KEY, MONITORED, DIRECTION, "Poisson", "process control", CONTEXT,
                       "the force's change", MISSING, SOURCE, AS_AT):  # fmt: skip
            assert absent not in text
        # With nothing left to define, no empty appendix: nor in the contents.
        assert "Definitions and glossary" not in text
        assert "No figures have been entered for Partnership B for this period." in text


@pytest.mark.django_db
def test_an_overview_defines_what_its_partnerships_rows_show(
    client, officer_a, partnership_a, partnership_b
):
    [covered] = indicators_with_history(partnership_b, 1, last=NOV_2016)
    TargetFactory(indicator=covered, financial_year=2016, value=Decimal(1200))
    version = _published(overview(partnership_a, partnership_a, partnership_b))

    for text in (_page(client, officer_a, version.report), _word(version)):
        definitions = _definitions(text)
        assert KEY in definitions and DIRECTION in definitions
        assert MONITORED not in definitions  # its one indicator has a target
        # Its rows give the year to date, tested; no quarter, month or usual range.
        assert "The year to date is compared with the same months last year." in definitions
        assert QUARTERS not in definitions and USUAL_RANGE not in definitions
        assert POISSON in definitions
        assert "this report prints is labelled so: the year to date." in definitions
        assert CONTEXT not in definitions
        assert "Figures entered by each partnership's officers." in definitions
        assert AS_AT in definitions
        assert "The key in this appendix gives the thresholds." in definitions  # RAG


@pytest.mark.django_db
def test_a_partnership_report_defines_its_indicators_tests(client, officer_a, partnership_a):
    hate_crime_indicator(partnership_a)  # monitored, no target
    report = ReportFactory(partnership=partnership_a)
    version = _published(report)

    for text in (_page(client, officer_a, report), _word(version)):
        definitions = _definitions(text)
        assert KEY not in definitions and "Status key" in definitions
        assert MONITORED in definitions
        assert DIRECTION in definitions and QUARTERS in definitions
        assert "Usual range and normal variation" in definitions
        assert USUAL_RANGE in definitions and POISSON in definitions
        # April 2015 to November 2016: no whole 12 months before, so no rolling year's
        # change, in Appendix A or the crime in context tables.
        assert (
            "labelled so: the year to date, the quarter and each month against the same "
            "month last year, and in the crime in context tables the last 3 months. Changes "
            "in rates and percentages are not tested"
        ) in definitions
        assert MISSING in definitions
        assert "Figures entered by Partnership A officers." in definitions


@pytest.mark.django_db
def test_a_report_showing_no_indicator_defines_none_of_their_terms(
    client, officer_a, partnership_a
):
    # Its figures are left out with the sections that would print them.
    hate_crime_indicator(partnership_a)
    hidden = {"key_findings", "successes", "performance"}
    report = ReportFactory(
        partnership=partnership_a,
        sections=[{"key": key, "shown": key not in hidden} for key in (
            "key_findings", "successes", "performance", "actions", "commissioning", "risks",
            "definitions",
        )],
        other_terms="Hub: the partnership's shared office.",
    )  # fmt: skip
    version = _published(report)

    for text in (_page(client, officer_a, report), _word(version)):
        definitions = _definitions(text)
        assert "Hub" in definitions  # the appendix stays, for the editor's glossary
        for absent in ("Status key", DIRECTION, "Poisson", "process control", MISSING, SOURCE):
            assert absent not in definitions


@pytest.mark.django_db
def test_a_version_published_before_keeps_its_definitions(client, officer_a, partnership_a):
    report = overview(partnership_a, partnership_a, PartnershipFactory(slug="partnership-c"))
    version = _published(report)
    earlier = version.html.replace(
        "</article>", f"<p>{KEY}. {SOURCE} each partnership's officers.</p></article>"
    )
    type(version).objects.filter(pk=version.pk).update(html=earlier)

    text = _page(client, officer_a, report)

    assert KEY in text and f"{SOURCE} each partnership's officers." in text
