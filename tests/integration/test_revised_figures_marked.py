"""A revised figure is marked where the report prints it, and an earlier version's notice
says when a later version publishes the revision.

Review findings: report 5 version 2, republished after SP 01's December figure went from
1,480 to 1,500, showed 1,500 in A.3's table and chart with no mark (only section 4 listed
it), and report.csv gave no reason; version 1's notice still told the panel "Officers can
see the figures now; the partnership may publish a new version with them." with "Revised
since publication" for a figure version 2 had published.
"""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import services as figure_services
from indicators.models import Actual
from reports import csv_rows, rendering, services
from reports.models import Report
from tests.factories import ReportFactory
from tests.factories.series import hate_crime_indicator

OCT_2016 = datetime.date(2016, 10, 1)
REASON = "late crimes added by police"
WITHHELD = "Revised since publication"
STALE = "Officers can see the figures now; the partnership may publish a new version with them."


@pytest.fixture
def hate_crime(partnership_a):
    return hate_crime_indicator(partnership_a)


@pytest.fixture
def report_a(partnership_a, hate_crime):
    return ReportFactory(partnership=partnership_a, title="Hate crime update")


def change_figure(indicator, value, *, reason=REASON):
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(indicator, OCT_2016, Decimal(value))],
        by=None,
        reason=reason,
    )


def publish(report):
    # The reason is kept from version 2 on (publishing again): the October figure revised.
    return services.report_publish(
        report=Report.objects.get(pk=report.pk), by=None, reason="October figure revised"
    ).version


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _notice(response) -> str:
    """The revision notice's words (the page around the stored report)."""
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="revised-title"')
    return _words(page[start : page.index("</table>", start)])


# Marked where printed ---------------------------------------------------------------------


@pytest.fixture
def revised_snapshot(report_a, hate_crime):
    """The next report's snapshot after October's figure went from 42 to 44."""
    publish(report_a)
    change_figure(hate_crime, 44)
    return services.report_snapshot(ReportFactory(partnership=report_a.partnership))


@pytest.mark.django_db
def test_a_revised_figure_is_marked_r_in_its_indicators_table(revised_snapshot, hate_crime):
    html = rendering.render_document(revised_snapshot)

    appendix = html[html.index(f'id="indicator-{hate_crime.pk}"') :]
    table = _words(appendix[appendix.index("<tbody") : appendix.index("</tbody>")])
    assert "October 22 44 [r] +22" in table  # last year's 22, this year's 44, revised
    assert table.count("[r]") == 1
    note = _words(appendix[appendix.index("</table>") : appendix.index("</table>") + 600])
    assert note.startswith("[r] Revised: a figure changed since a report gave it.")
    assert 'href="#revised-figures"' in appendix
    assert "Each revised figure is marked [r] where Appendix A prints it" in _words(html)
    glossary = _words(html[html.index('id="glossary"') :])
    assert "[r] A revised figure: changed since a report gave it." in glossary


@pytest.mark.django_db
def test_a_revised_figure_is_marked_r_above_its_point_in_the_chart(revised_snapshot, hate_crime):
    chart = revised_snapshot["indicators"][str(hate_crime.pk)]["charts"][0]

    this_year = chart["spec"]["data"][-1]
    october = this_year["x"].index("Oct")
    assert this_year["text"][october] == "[r]"
    assert [mark for mark in this_year["text"] if mark] == ["[r]"]
    assert "text" in this_year["mode"]
    # Last year's line has nothing revised: drawn as before.
    assert "text" not in chart["spec"]["data"][-2]
    assert json.loads(json.dumps(chart["spec"]))  # still plain JSON


@pytest.mark.django_db
def test_report_csv_gives_the_reason_for_a_revised_figure(revised_snapshot):
    rows = [
        (r["figure"], r["period"], r["value"], r["measure"])
        for r in csv_rows.report_rows(revised_snapshot)
        if r["figure"].startswith("revised")
    ]

    assert rows == [
        ("revised_figure_was", "2016-10", "42", "count"),
        ("revised_figure_now", "2016-10", "44", "count"),
        ("revised_figure_reason", "2016-10", REASON, ""),
    ]


@pytest.mark.django_db
def test_a_report_without_revisions_has_no_mark(report_a, hate_crime):
    html = rendering.render_document(services.report_snapshot(report_a))

    assert "[r]" not in _words(html)
    assert all(
        "text" not in trace
        for entry in services.report_snapshot(report_a)["indicators"].values()
        for chart in entry["charts"]
        for trace in chart["spec"]["data"]
    )


# The earlier version's notice ------------------------------------------------------------


@pytest.fixture
def republished(report_a, hate_crime):
    """Version 1 gave October as 42; the figure became 44, and version 2 published it."""
    publish(report_a)
    change_figure(hate_crime, 44)
    publish(report_a)
    return reverse("reports:version", args=["partnership-a", report_a.pk, 1])


@pytest.mark.django_db
def test_version_1_says_version_2_includes_the_revised_figure(client, panel_a, republished):
    client.force_login(panel_a)

    response = client.get(republished)
    notice = _notice(response)

    assert "Version 2 includes this revised figure." in notice
    assert "Police recorded hate crime (SP 09) October 2016 42 44 ( in version 2 )" in notice
    assert WITHHELD not in notice and STALE not in notice
    link = reverse("reports:version", args=["partnership-a", republished.split("/")[-4], 2])
    assert response.content.decode().count(f'href="{link}"') >= 2


@pytest.mark.django_db
def test_a_figure_revised_again_after_version_2_stays_withheld_from_the_panel(
    client, panel_a, officer_a, hate_crime, republished
):
    """Review finding: the panel was then told no later version gave a revised figure, and
    that the partnership "may publish" one, though version 2 had; it is named with its
    figure, and the figure now stays withheld."""
    change_figure(hate_crime, 45, reason="one more found")

    client.force_login(panel_a)
    panel = _notice(client.get(republished))
    client.force_login(officer_a)
    officer = _notice(client.get(republished))

    assert f"October 2016 42 {WITHHELD}" in panel and STALE in panel
    assert "Version 2 includes" not in panel and "45" not in panel
    again = "Version 2 gives a revised figure that has been revised again since."
    assert again in panel and again in officer
    assert "( version 2 gives 44, revised again since)" in panel
    assert "October 2016 42 45 ( version 2 gives 44, revised again since)" in officer


@pytest.mark.django_db
def test_an_exempt_version_2_is_not_named_to_the_public(client, report_a, hate_crime):
    """The public never opens an exempt version: its figure stays withheld from them."""
    report_a.partnership.reports_public = True
    report_a.partnership.save()
    publish(report_a)
    change_figure(hate_crime, 44)
    Report.objects.filter(pk=report_a.pk).update(exempt=True)
    publish(report_a)  # version 2, exempt: for members only
    Report.objects.filter(pk=report_a.pk).update(exempt=False)

    notice = _notice(client.get(reverse("reports:detail", args=["partnership-a", report_a.pk])))

    assert f"October 2016 42 {WITHHELD}" in notice
    assert "Version 2" not in notice and "44" not in notice


@pytest.mark.django_db
def test_a_published_version_keeps_its_stored_page(report_a, hate_crime):
    version = publish(report_a)
    stored = (version.html, version.csv)
    change_figure(hate_crime, 44)
    publish(report_a)

    version.refresh_from_db()
    assert (version.html, version.csv) == stored
    assert "[r]" not in _words(version.html)
    assert Actual.objects.get(indicator=hate_crime, period=OCT_2016).value == 44
