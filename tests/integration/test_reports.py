"""Reports: building, publishing a frozen version, revisions, locking, files and commands."""

import datetime
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators import data_version, periods
from indicators import selectors as indicator_selectors
from indicators import services as figure_services
from indicators.models import Actual, FigureChange, Indicator, Target
from reports import csv_rows, rendering, selectors, services
from reports.models import Report, ReportVersion
from tests.factories import IndicatorFactory, ReportFactory, TargetFactory, ThemeGroupFactory
from tests.factories.series import actuals_create, hate_crime_indicator, indicators_with_history

NOV_2016 = datetime.date(2016, 11, 1)
OCT_2016 = datetime.date(2016, 10, 1)


@pytest.fixture
def hate_crime(partnership_a):
    return hate_crime_indicator(partnership_a)


@pytest.fixture
def report_a(partnership_a, hate_crime):
    return ReportFactory(partnership=partnership_a, title="Hate crime update")


def publish(report, by=None, reason=""):
    return services.report_publish(report=report, by=by, reason=reason).version


AGAIN = "Figures revised by the police"  # why a report is published again


def change_figure(indicator, period, value, *, by=None, reason="revised by police"):
    current = Actual.objects.filter(indicator=indicator, period=period).first()
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(indicator, period, Decimal(value))],
        by=by,
        reason=reason,
    )
    return current


def _words(html: str) -> str:
    """The text of some HTML as it reads: tags gone, one space between words."""
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([.,:;)])", r"\1", words)


# Building -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_snapshot_takes_every_number_from_the_figures(report_a, hate_crime):
    snapshot = services.report_snapshot(report_a)

    entry = snapshot["indicators"][str(hate_crime.pk)]
    # Seed 002: 287 hate crimes April to November 2016 against 219 (+68, a 31% increase).
    assert entry["figures"]["ytd"] == "287"
    assert entry["figures"]["ytd_last_year"] == "219"
    assert entry["figures"]["ytd_change"] == "68"
    assert "287 hate crimes recorded, 68 more than the same period last year" in entry["commentary"]
    months = {m["period"]: m for m in entry["months"]}
    november = months["2016-11-01"]
    assert (november["last_year"], november["this_year"], november["change"]) == ("38", "35", "-3")
    assert november["due"] and not months["2016-12-01"]["due"]
    assert months["2016-12-01"]["last_year"] == "21"  # last year's December is shown
    # 12 months to November 2016 (December 2015 on) against the 12 before: incomplete.
    assert entry["rolling"]["current"] == "413" and entry["rolling"]["previous"] is None
    assert entry["direction"] == "improving"
    assert entry["charts"] and entry["charts"][0]["spec"]["data"]


@pytest.mark.django_db
def test_every_printed_change_carries_its_normal_variation_test(report_a, hate_crime):
    snapshot = services.report_snapshot(report_a)
    entry = snapshot["indicators"][str(hate_crime.pk)]
    # 287 against 219: z = 2(sqrt 287 - sqrt 219) = 4.28, beyond normal variation.
    assert entry["changes"]["ytd"]["within"] is False
    assert entry["changes"]["ytd"]["z"].startswith("4.28")
    # November, 35 against 38: z = -0.50, within; the rolling year is incomplete: untested.
    months = {m["period"]: m for m in entry["months"]}
    assert months["2016-11-01"]["within"] is True
    assert entry["changes"]["rolling"]["within"] is None
    assert "beyond normal variation (Poisson test)" in entry["commentary"]
    html = rendering.render_document(snapshot)
    summary = html[html.index("app-report__summary") : html.index('id="appendix-a"')]
    assert "+68 (+31%)" in summary and "beyond normal variation" in summary
    assert "within normal variation" in html[html.index('id="indicator-') :]


@pytest.mark.django_db
def test_key_findings_give_counts_and_shares(partnership_a, hate_crime):
    red = indicators_with_history(partnership_a, 1, last=NOV_2016)[0]
    Target.objects.create(indicator=red, financial_year=2016, kind="annual", value=Decimal(100))
    report = ReportFactory(partnership=partnership_a)

    findings = services.report_snapshot(report)["key_findings"]

    statuses = {row["key"]: (row["count"], row["pct"]) for row in findings["statuses"]}
    assert statuses == {
        "green": (0, "0"),
        "amber": (0, "0"),
        "red": (1, "50"),
        "no_target": (1, "50"),
    }
    assert findings["exceptions"] == [red.pk]
    assert findings["red_without_action"] == [red.pk]


def _worse_without_a_target(partnership):
    """Hate crime with lower taken as better: 287 against 219 (+68, +31%, z 4.28), worse
    beyond normal variation. And a count 816 against 800 (+16, +2%, z 0.56), worse within
    normal variation. Neither has a target: the first is returned."""
    worse = hate_crime_indicator(partnership, polarity=Indicator.Polarity.LOWER)
    slight = IndicatorFactory(
        partnership=partnership,
        title="Slight rise",
        code="SP 10",
        polarity="lower",
        theme_group=worse.theme_group,
    )
    months = [periods.add_months(datetime.date(2015, 4, 1), i) for i in range(20)]
    # Up and down by 5 each month, so process control sees no special cause.
    actuals_create(
        slight,
        {
            m: (102 if m.year == 2016 and m.month > 3 else 100) + (5 if i % 2 else -5)
            for i, m in enumerate(months)
        },
    )
    return worse


def _key_findings_page(client, officer, report) -> tuple[str, str]:
    """The report's preview page, and its key findings section's HTML."""
    client.force_login(officer)
    page = client.get(reverse("reports:preview", args=["partnership-a", report.pk])).text
    start = page.index('<section class="app-report__section" id="section-2"')
    return page, page[start : page.index("</section>", start) + len("</section>")]


def _word_of(html: str):
    from docx import Document

    from reports import documents

    return Document(io.BytesIO(documents.render_docx(f"<main>{html}</main>", title="T", charts={})))


@pytest.mark.django_db
def test_key_findings_say_how_many_changes_are_within_normal_variation(
    client, partnership_a, officer_a
):
    """Review finding: a fall within normal variation was counted as one of "4
    Deteriorating" (key findings) and "2 deteriorating" (the priority's statistics) with no
    word of it. On the page and in Word."""
    _worse_without_a_target(partnership_a)
    report = ReportFactory(partnership=partnership_a)

    page, html = _key_findings_page(client, officer_a, report)

    assert "Deteriorating (1 within normal variation) 2 100%" in unescape(_words(html))
    assert "against last year, 2 deteriorating (1 within normal variation)." in _words(page)
    direction = _word_of(html).tables[1]
    assert [c.text for c in direction.rows[2].cells] == [
        "\u25bc Deteriorating (1 within normal variation)",
        "2",
        "100%",
    ]


@pytest.mark.django_db
def test_a_snapshot_made_before_the_counts_within_normal_variation_renders_as_it_did(
    partnership_a,
):
    _worse_without_a_target(partnership_a)
    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    for row in snapshot["key_findings"]["directions"]:
        row.pop("within_normal_variation", None)

    assert "Deteriorating 2 100%" in _words(rendering.render_document(snapshot))
    assert "key_findings_direction_deteriorating_within" not in rendering.report_csv(snapshot)


@pytest.mark.django_db
def test_key_findings_list_other_notable_changes(client, partnership_a, officer_a):
    """Review finding: the key findings listed only red and amber indicators, so a large
    change in an indicator with no target (SP 04's fall of 1,099, -25%) never reached
    them. Listed by exception with the count and percentage change. On the page and in
    Word."""
    worse = _worse_without_a_target(partnership_a)
    report = ReportFactory(partnership=partnership_a)

    _page, html = _key_findings_page(client, officer_a, report)

    text = unescape(_words(html))
    notable = text[text.index("Other notable changes") :]
    assert (
        "Other notable changes 2.3 Police recorded hate crime SP 09 \u25bc Deteriorating: 287 "
        "against 219 in the same months last year, +68 (+31%) beyond normal variation"
    ) in notable
    assert "Slight rise" not in notable  # worse within normal variation
    # The words run on to the full stop (or semicolon) after them, with no space between.
    assert re.search(r"beyond normal variation</span>[.;]", html)
    assert services.report_snapshot(report)["key_findings"]["notable"] == [worse.pk]
    paragraphs = [p.text for p in _word_of(html).paragraphs]
    assert "Other notable changes" in paragraphs
    assert any(
        p.startswith("2.3 Police recorded hate crime SP 09 \u25bc Deteriorating: 287 against 219")
        for p in paragraphs
    )


@pytest.mark.django_db
def test_a_snapshot_made_before_the_other_notable_changes_renders_as_it_did(partnership_a):
    _worse_without_a_target(partnership_a)
    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    del snapshot["key_findings"]["notable"]

    text = _words(rendering.render_document(snapshot))

    assert "Other notable changes" not in text
    assert "By exception: red and amber indicators 2.2 No indicator is red or amber." in text


ROUNDING_NOTE = "Percentages may not add to 100 because of rounding."


@pytest.mark.django_db
def test_a_share_table_that_misses_100_as_printed_says_why(partnership_a):
    """Review finding: the direction of travel read 11% + 44% + 0% + 22% + 22% with no
    note. Three indicators, improving, deteriorating and monitored: 33% + 33% + 0% + 33%
    (99) under direction; 67% + 33% (100) under status, which has no note."""
    _improving, deteriorating, monitored = indicators_with_history(partnership_a, 3, last=NOV_2016)
    Indicator.objects.filter(pk=deteriorating.pk).update(polarity="higher")
    Indicator.objects.filter(pk=monitored.pk).update(polarity="monitor")
    data_version.data_changed(indicator_ids=[deteriorating.pk, monitored.pk])
    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    html = rendering.render_document(snapshot)

    findings = html[
        html.index('<div class="app-report__tallies">') : html.index(
            '<h3 class="govuk-heading-m">By exception'
        )
    ]
    status, direction = findings.split('aria-label="Direction of travel"')
    assert ROUNDING_NOTE not in status
    assert direction.count(ROUNDING_NOTE) == 1
    assert direction.index("</table>") < direction.index(ROUNDING_NOTE)

    from docx import Document

    from reports import documents

    word = Document(
        io.BytesIO(documents.render_docx(f"<main>{findings}</main>", title="T", charts={}))
    )
    assert [p.text for p in word.paragraphs].count(ROUNDING_NOTE) == 1


@pytest.mark.django_db
def test_the_action_plans_rag_table_says_when_its_shares_miss_100(partnership_a, officer_a):
    from actions import services as action_services
    from tests.factories.actions import ActionFactory, ObjectiveFactory

    objective = ObjectiveFactory(plan__partnership=partnership_a)
    for status in ("red", "amber", "green"):  # 33% each: 99
        action_services.action_update_add(
            action=ActionFactory(objective=objective),
            status=status,
            text="Reviewed.",
            by=officer_a,
            date=datetime.date(2016, 10, 1),
        )
    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    html = rendering.render_document(snapshot)

    assert snapshot["actions"]["rag_rounding_note"] is True
    table = html[html.index('aria-label="RAG ratings of actions"') :]
    table = table[: table.index("</div>")]
    assert table.index("</table>") < table.index(ROUNDING_NOTE)

    # One more green: 25% + 25% + 50%, no note.
    action_services.action_update_add(
        action=ActionFactory(objective=objective),
        status="green",
        text="Reviewed.",
        by=officer_a,
        date=datetime.date(2016, 10, 1),
    )
    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    assert snapshot["actions"]["rag_rounding_note"] is False
    assert ROUNDING_NOTE not in rendering.render_document(snapshot)


@pytest.mark.django_db
def test_snapshot_theme_group_report_covers_only_its_indicators(partnership_a, hate_crime):
    other = indicators_with_history(partnership_a, 1, last=NOV_2016)[0]
    report = ReportFactory(partnership=partnership_a, theme_group=hate_crime.theme_group)

    snapshot = services.report_snapshot(report)

    assert set(snapshot["indicators"]) == {str(hate_crime.pk)}
    assert str(other.pk) not in snapshot["indicators"]


@pytest.mark.django_db
def test_editor_comment_adds_to_the_commentary(report_a, hate_crime):
    report_a.editor_comments = {str(hate_crime.pk): "Awareness week in October."}
    report_a.save()

    html = rendering.render_document(services.report_snapshot(report_a))

    assert "287 hate crimes recorded" in html
    assert "Awareness week in October." in html


@pytest.mark.django_db
def test_hidden_section_is_left_out(report_a):
    report_a.sections = [
        {"key": s["key"], "shown": s["key"] != "key_findings"} for s in report_a.sections
    ]
    report_a.save()

    snapshot = services.report_snapshot(report_a)

    assert "key_findings" not in [s["key"] for s in snapshot["sections"]]
    assert "Key findings" not in rendering.render_document(snapshot)


# Publishing and freezing ----------------------------------------------------------------


@pytest.mark.django_db
def test_published_page_and_files_unchanged_when_data_changes(
    client, report_a, hate_crime, panel_a
):
    version = publish(report_a)
    client.force_login(panel_a)
    page_before = client.get(report_a.get_absolute_url()).content.decode()
    csv_before = client.get(reverse("reports:csv", args=["partnership-a", report_a.pk])).content

    change_figure(hate_crime, NOV_2016, 50)
    Indicator.objects.filter(pk=hate_crime.pk).update(title="Renamed indicator")

    page_after = client.get(report_a.get_absolute_url()).content.decode()
    csv_after = client.get(reverse("reports:csv", args=["partnership-a", report_a.pk])).content
    assert version.html in page_before and version.html in page_after
    assert csv_after == csv_before
    assert ReportVersion.objects.get(pk=version.pk).html == version.html
    assert "Renamed indicator" not in version.html


@pytest.mark.django_db
def test_csv_download_starts_with_a_byte_order_mark_and_an_older_version_stays_as_stored(
    client, report_a, panel_a
):
    # Excel read report.csv as Windows-1252 without it: "£" became "Â£", dashes garbled.
    older = publish(report_a)
    ReportVersion.objects.filter(pk=older.pk).update(csv="partnership,title\na,Hate – £5\n")
    newer = publish(report_a, reason=AGAIN)
    client.force_login(panel_a)
    url = reverse("reports:csv", args=["partnership-a", report_a.pk])

    downloads = [client.get(url).content, client.get(url).content]
    old = [client.get(f"{url}?version={older.number}").content for _ in range(2)]

    assert downloads[0] == downloads[1] == newer.csv.encode("utf-8")
    assert downloads[0].startswith(b"\xef\xbb\xbfpartnership,")
    assert downloads[0].count(b"\xef\xbb\xbf") == 1
    # Published before the mark: the same bytes every time, without one.
    assert old[0] == old[1] == "partnership,title\na,Hate – £5\n".encode()


@pytest.mark.django_db
def test_csv_holds_every_figure_unrounded(report_a, hate_crime):
    SAT = Indicator.objects.create(
        partnership=report_a.partnership,
        code="SAT 01",
        title="Satisfaction",
        polarity="higher",
        measure="percentage",
    )
    Actual.objects.create(
        indicator=SAT, period=NOV_2016, value=Decimal("88.8889"), numerator=16, denominator=18
    )

    text = publish(report_a).csv

    assert "SP 09,Police recorded hate crime" in text
    assert ",ytd,,287,,\n" in text
    assert ",month_this_year,2016-11,35,,\n" in text
    # 16 / 18 unrounded, not 89 or 88.9.
    assert ",ytd,,88.88888888888888888888888889,,\n" in text


@pytest.mark.django_db
def test_publishing_again_keeps_every_version(client, report_a, officer_a):
    first = publish(report_a)
    second = publish(report_a, reason=AGAIN)
    client.force_login(officer_a)

    latest = client.get(report_a.get_absolute_url())
    old = client.get(reverse("reports:version", args=["partnership-a", report_a.pk, 1]))

    assert (first.number, second.number) == (1, 2)
    assert latest.context["version"].number == 2
    assert old.status_code == 200 and old.context["version"].number == 1
    assert b"Earlier version" in old.content


@pytest.mark.django_db
def test_earlier_versions_are_linked_beside_the_version_line(client, report_a, panel_a):
    # The only link to an earlier version was under "Versions", at the foot of the page.
    for _ in range(3):
        publish(report_a, reason=AGAIN)
    client.force_login(panel_a)

    def version_line(url):
        page = client.get(url).text
        return _words(page.split('<div class="app-report__toolbar">')[1].split("</p>")[0])

    def link(number):
        url = reverse("reports:version", args=["partnership-a", report_a.pk, number])
        return f'<a class="govuk-link" href="{url}">version {number}</a>'

    assert version_line(report_a.get_absolute_url()).endswith(
        "Earlier versions: version 1, version 2."
    )
    assert f"{link(1)}, {link(2)}." in client.get(report_a.get_absolute_url()).text
    second = reverse("reports:version", args=["partnership-a", report_a.pk, 2])
    assert version_line(second).endswith("Other versions: version 1, version 3.")


@pytest.mark.django_db
def test_a_report_of_one_version_links_no_other(client, report_a, panel_a):
    publish(report_a)
    client.force_login(panel_a)

    page = client.get(report_a.get_absolute_url()).text

    assert "Earlier version" not in page and "Other versions" not in page


@pytest.mark.django_db
def test_publish_page_warns_of_red_indicators_without_action(client, partnership_a, officer_a):
    red = indicators_with_history(partnership_a, 1, last=NOV_2016)[0]
    Target.objects.create(indicator=red, financial_year=2016, kind="annual", value=Decimal(100))
    report = ReportFactory(partnership=partnership_a)
    client.force_login(officer_a)

    response = client.get(reverse("reports:publish", args=["partnership-a", report.pk]))

    assert b"1 red indicator has no open action linked to it" in response.content
    assert red.title.encode() in response.content
    assert not ReportVersion.objects.exists()


@pytest.mark.django_db
def test_publish_page_links_each_red_indicator_to_adding_its_action(
    client, partnership_a, officer_a
):
    from tests.factories.actions import ActionPlanFactory, ObjectiveFactory

    red = indicators_with_history(partnership_a, 1, last=NOV_2016)[0]
    Target.objects.create(indicator=red, financial_year=2016, kind="annual", value=Decimal(100))
    ObjectiveFactory(plan__partnership=partnership_a, plan__financial_year=2015)
    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2016, title="Safer streets")
    ObjectiveFactory(plan=plan)
    report = ReportFactory(partnership=partnership_a)
    client.force_login(officer_a)

    page = client.get(reverse("reports:publish", args=["partnership-a", report.pk])).text

    assert f'href="{red.get_absolute_url()}"' in page
    add = reverse("actions:action_create", args=["partnership-a", plan.pk])
    assert f'href="{add}?indicator={red.pk}&amp;from=publish&amp;report={report.pk}"' in page
    assert "Add an action to Safer streets" in page


@pytest.mark.django_db
def test_publish_page_offers_an_objective_first_for_a_plan_without_one(
    client, partnership_a, officer_a
):
    # The "Add an action" form of a plan without objectives could never be saved: its
    # Objective list was empty.
    from tests.factories.actions import ActionPlanFactory

    red = indicators_with_history(partnership_a, 1, last=NOV_2016)[0]
    Target.objects.create(indicator=red, financial_year=2016, kind="annual", value=Decimal(100))
    plan = ActionPlanFactory(partnership=partnership_a, financial_year=2016, title="Safer streets")
    report = ReportFactory(partnership=partnership_a)
    client.force_login(officer_a)

    page = client.get(reverse("reports:publish", args=["partnership-a", report.pk])).text

    add = reverse("actions:objective_create", args=["partnership-a", plan.pk])
    assert f'href="{add}?indicator={red.pk}&amp;from=publish&amp;report={report.pk}"' in page
    assert "Add an objective to Safer streets, then its action" in page
    assert reverse("actions:action_create", args=["partnership-a", plan.pk]) not in page


@pytest.mark.django_db
def test_publish_page_offers_to_start_a_plan_when_the_year_has_none(
    client, partnership_a, officer_a
):
    red = indicators_with_history(partnership_a, 1, last=NOV_2016)[0]
    Target.objects.create(indicator=red, financial_year=2016, kind="annual", value=Decimal(100))
    report = ReportFactory(partnership=partnership_a)
    client.force_login(officer_a)

    page = client.get(reverse("reports:publish", args=["partnership-a", report.pk])).text

    start = reverse("actions:plan_create", args=["partnership-a"])
    assert f'href="{start}?indicator={red.pk}&amp;from=publish&amp;report={report.pk}"' in page
    assert "Start an action plan for 2016/17, then its action" in page


@pytest.mark.django_db
def test_publish_page_names_what_the_cover_sheet_leaves_out(client, partnership_a, officer_a):
    report = ReportFactory(partnership=partnership_a, report_of="Director of Communities")
    client.force_login(officer_a)
    url = reverse("reports:publish", args=["partnership-a", report.pk])

    page = client.get(url).content.decode()

    assert "The cover sheet does not give:" in page
    assert "a contact officer" in page and "its implications" in page
    assert "who the report is of" not in page
    report.contact_officer = "A. Officer"
    report.contact_email = "a.officer@example.gov.uk"
    report.implications = {"financial": {"text": "Within budget", "officer": "S151 officer"}}
    report.save()
    assert "The cover sheet does not give" not in client.get(url).content.decode()


JUN_2020 = datetime.date(2020, 6, 1)


@pytest.mark.django_db
def test_a_report_without_figures_for_its_period_says_so_where_performance_would_be(
    partnership_a, hate_crime
):
    # The key findings and performance sections went, with no word of why: the contents
    # jumped from 1 to the priorities.
    report = ReportFactory(partnership=partnership_a, period=JUN_2020)

    snapshot = services.report_snapshot(report)
    html = rendering.render_document(snapshot)

    numbered = {s["key"]: s["number"] for s in snapshot["sections"] if "number" in s}
    assert "key_findings" not in numbered
    n = numbered["performance"]
    assert f'<a class="govuk-link" href="#section-{n}">{n}. Performance</a>' in html
    section = html[html.index(f'id="section-{n}"') :]
    assert _words(section[: section.index("</p>")]).endswith(
        f"{n}. Performance {n}.1 No figures have been entered for April to June 2020, so this "
        "report has no key findings and no tables of performance. The one indicator without "
        'figures is listed under "Missing figures" '
        "in Appendix A."
    )
    assert "Appendix A. Performance by indicator" not in html
    assert "with figures from April to June 2020" not in html


@pytest.mark.django_db
def test_a_default_report_without_figures_claims_none_in_its_summary(partnership_a, hate_crime):
    summaries = [
        services.report_default(partnership=partnership_a, period=month).executive_summary
        for month in (NOV_2016, JUN_2020)
    ]

    assert summaries == [
        "Performance of Partnership A from the start of the financial year to November 2016, "
        "with the figures that need the panel's attention.",
        "No figures have been entered for Partnership A from the start of the financial year "
        "to June 2020.",
    ]


@pytest.mark.django_db
def test_publish_page_warns_of_a_report_without_figures_but_publishes_it(
    client, partnership_a, hate_crime, officer_a
):
    report = ReportFactory(partnership=partnership_a, period=JUN_2020)
    client.force_login(officer_a)
    url = reverse("reports:publish", args=["partnership-a", report.pk])

    page = _words(client.get(url).content.decode())

    assert (
        "Warning No figures have been entered for April to June 2020: the report has no key "
        "findings and no tables of performance, and says so."
    ) in page
    assert "Enter the figures for June 2020, or publish the report without them." in page
    assert "No indicator is red" not in page
    assert client.post(url).status_code == 302
    assert ReportVersion.objects.filter(report=report).exists()


@pytest.mark.django_db
def test_publish_post_stores_a_version_and_shows_it(client, report_a, officer_a):
    client.force_login(officer_a)

    response = client.post(reverse("reports:publish", args=["partnership-a", report_a.pk]))

    assert response.status_code == 302
    version = ReportVersion.objects.get(report=report_a)
    assert version.published_by == officer_a
    assert response["Location"] == report_a.get_absolute_url()


# Revisions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_revision_notice_names_changed_figures_old_and_new(
    client, report_a, hate_crime, officer_a, panel_a
):
    publish(report_a)
    change_figure(hate_crime, OCT_2016, 44)
    client.force_login(officer_a)

    response = client.get(report_a.get_absolute_url())

    revisions = response.context["revisions"]
    assert [(r.code, r.what, r.old, r.new) for r in revisions] == [
        ("SP 09", "October 2016", "42", "44")
    ]
    assert b"Figures revised" in response.content
    # The figure now is a live figure: the panel is told only that it was revised.
    client.force_login(panel_a)
    revisions = client.get(report_a.get_absolute_url()).context["revisions"]
    assert [(r.code, r.what, r.old, r.new, r.withheld) for r in revisions] == [
        ("SP 09", "October 2016", "42", None, True)
    ]


@pytest.mark.django_db
def test_revision_notice_absent_when_figure_changed_back(client, report_a, hate_crime, panel_a):
    publish(report_a)
    change_figure(hate_crime, OCT_2016, 44)
    change_figure(hate_crime, OCT_2016, 42)
    client.force_login(panel_a)

    response = client.get(report_a.get_absolute_url())

    assert response.context["revisions"] == []
    assert b"Figures revised" not in response.content


@pytest.mark.django_db
def test_revised_figures_tables_head_the_month_column_period(
    client, report_a, hate_crime, officer_a
):
    """Review finding: the revised tables headed the month "Figure", the late one "Period"."""
    publish(report_a)
    change_figure(hate_crime, OCT_2016, 44, reason="late crimes added")
    client.force_login(officer_a)

    page = _words(client.get(report_a.get_absolute_url()).content.decode())
    snapshot = services.report_snapshot(ReportFactory(partnership=report_a.partnership))
    document = _words(rendering.render_document(snapshot))

    assert "Indicator Period As published Now" in page
    assert "Indicator Period Was Now Reason given" in document
    assert "Indicator Figure" not in page + document


@pytest.mark.django_db
def test_revision_notice_tells_late_returns_apart_from_revisions(
    client, report_a, hate_crime, officer_a, panel_a
):
    """Review finding: a figure the published report had none of, entered since, was
    counted as a revision: "2 figures in this report have changed since it was published"."""
    Actual.objects.filter(indicator=hate_crime, period=NOV_2016).delete()
    publish(report_a)  # November: "No figure"
    change_figure(hate_crime, NOV_2016, 36, reason="police return came in late")
    change_figure(hate_crime, OCT_2016, 44)
    client.force_login(officer_a)

    response = client.get(report_a.get_absolute_url())

    assert [(r.what, r.old, r.new) for r in response.context["revisions"]] == [
        ("October 2016", "42", "44")
    ]
    assert [(r.what, r.new) for r in response.context["late_figures"]] == [("November 2016", "36")]
    page = _words(response.content.decode())
    assert "1 figure in this report has changed since it was published" in page
    assert "1 figure has come in since (a late return)." in page
    assert "Police recorded hate crime (SP 09) November 2016 36" in page
    # What came in is a live figure: the panel is told only that it came in.
    client.force_login(panel_a)
    page = _words(client.get(report_a.get_absolute_url()).content.decode())
    assert "November 2016 Received since publication" in page
    assert "Officers can see the figures now; the partnership may publish a new version" in page
    assert "A new version of the report will show" not in page


@pytest.mark.django_db
def test_revision_notice_names_an_indicator_without_a_code_without_brackets(
    client, report_a, hate_crime, officer_a
):
    """Review finding: "Police recorded hate crime ()"."""
    Indicator.objects.filter(pk=hate_crime.pk).update(code="")
    publish(report_a)
    change_figure(hate_crime, OCT_2016, 44)
    client.force_login(officer_a)

    page = _words(client.get(report_a.get_absolute_url()).content.decode())

    assert "Police recorded hate crime October 2016 42 44" in page
    assert "hate crime ()" not in page


@pytest.mark.django_db
def test_a_late_figure_in_a_locked_month_asks_for_a_reason_for_a_late_figure(report_a, hate_crime):
    """Review finding: it asked for a reason "for changing SP 09 Nov 2016" and said the next
    report would list "the change as a revision", though the report had no figure."""
    Actual.objects.filter(indicator=hate_crime, period=NOV_2016).delete()
    publish(report_a)

    with pytest.raises(figure_services.FigureLocked) as refused:
        change_figure(hate_crime, NOV_2016, 36, reason="")

    assert str(refused.value) == (
        "Give a reason for the late figure for SP 09 November 2016: a published report "
        "covers this month, and the next report will list it as a late return"
    )
    with pytest.raises(figure_services.FigureLocked) as refused:
        figure_services.actuals_save(
            entries=[
                figure_services.FigureInput(hate_crime, OCT_2016, Decimal(44)),
                figure_services.FigureInput(hate_crime, NOV_2016, Decimal(36)),
            ],
            by=None,
        )
    assert str(refused.value) == (
        "Give a reason for changing SP 09 October 2016 and for the late figure for SP 09 "
        "November 2016: a published report covers these months, and the next report will "
        "list the change as a revision and the late figure as a late return, each with the "
        "reason you give"
    )


@pytest.mark.django_db
def test_a_late_figure_changed_again_is_still_a_late_figure(report_a, hate_crime):
    """Review finding: once a late figure was stored, changing it asked for a reason "for
    changing SP 09 Nov 2016" as "a revision", though the next report lists a late return."""
    Actual.objects.filter(indicator=hate_crime, period=NOV_2016).delete()
    publish(report_a)
    change_figure(hate_crime, NOV_2016, 36, reason="came in late")

    with pytest.raises(figure_services.FigureLocked) as refused:
        change_figure(hate_crime, NOV_2016, 38, reason="")

    assert str(refused.value) == (
        "Give a reason for the late figure for SP 09 November 2016: a published report "
        "covers this month, and the next report will list it as a late return"
    )
    change_figure(hate_crime, NOV_2016, 38, reason="corrected")
    snapshot = services.report_snapshot(ReportFactory(partnership=report_a.partnership))
    assert [r["what"] for r in snapshot["late_figures"]] == ["November 2016"]
    assert snapshot["revisions"] == []


@pytest.mark.django_db
def test_a_removed_figure_entered_again_is_a_change_not_a_late_figure(report_a, hate_crime):
    """Review finding: re-entering a figure the report showed, since removed, was called a
    late figure, though the next report lists it as a revision."""
    publish(report_a)
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(hate_crime, NOV_2016, None)],
        by=None,
        reason="withdrawn",
    )

    with pytest.raises(figure_services.FigureLocked) as refused:
        change_figure(hate_crime, NOV_2016, 40, reason="")

    assert str(refused.value) == (
        "Give a reason for changing SP 09 November 2016: a published report covers this "
        "month, and the next report will list the change as a revision"
    )


@pytest.mark.django_db
def test_late_figures_table_heads_its_columns_and_names_an_indicator_without_a_code(
    report_a, hate_crime
):
    """Review finding: "Received since" headed the figures and "Figure" the months, and an
    indicator without a code was named "Title ()"."""
    hate_crime.code = ""
    hate_crime.save()
    Actual.objects.filter(indicator=hate_crime, period=NOV_2016).delete()
    publish(report_a)
    change_figure(hate_crime, NOV_2016, 36, reason="police return came in late")
    change_figure(hate_crime, OCT_2016, 44, reason="late crimes added by police")
    later = ReportFactory(partnership=report_a.partnership, title="Next update")

    html = rendering.render_document(services.report_snapshot(later))

    late = html[html.index('id="late-figures"') :]
    late = late[: late.index("</table>")]
    assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', late) == [
        "Indicator",
        "Period",
        "Figure received",
        "Reason given",
    ]
    assert "Police recorded hate crime November 2016 36 police return came in late" in _words(late)
    revised = html[html.index('id="revised-figures"') : html.index('id="late-figures"')]
    assert "Police recorded hate crime October 2016 42 44" in _words(revised)
    assert "()" not in _words(html)


@pytest.mark.django_db
def test_next_report_flags_a_locked_change_as_a_revision(report_a, hate_crime):
    publish(report_a)
    change_figure(hate_crime, OCT_2016, 44, reason="late crimes added by police")
    later = ReportFactory(partnership=report_a.partnership, title="Next update")

    snapshot = services.report_snapshot(later)

    assert [(r["code"], r["old"], r["new"], r["reason"]) for r in snapshot["revisions"]] == [
        ("SP 09", "42", "44", "late crimes added by police")
    ]
    assert "Figures revised since the last report" in rendering.render_document(snapshot)


@pytest.mark.django_db
def test_a_figure_the_last_report_had_none_of_is_a_late_return_not_a_revision(report_a, hate_crime):
    Actual.objects.filter(indicator=hate_crime, period=NOV_2016).delete()
    publish(report_a)  # November: "No figure"
    change_figure(hate_crime, NOV_2016, 36, reason="police return came in late")
    change_figure(hate_crime, OCT_2016, 44, reason="late crimes added by police")
    later = ReportFactory(partnership=report_a.partnership, title="Next update")

    snapshot = services.report_snapshot(later)

    assert [(r["what"], r["old"], r["new"]) for r in snapshot["revisions"]] == [
        ("October 2016", "42", "44")
    ]
    assert [(r["what"], r["new"], r["reason"]) for r in snapshot["late_figures"]] == [
        ("November 2016", "36", "police return came in late")
    ]
    words = _words(rendering.render_document(snapshot))
    assert "Figures received since the last report" in words
    assert (
        "The last report had no figure for this period: it has come in since and is a late "
        "return, not a revision." in words
    )
    rows = [
        r for r in csv_rows.report_rows(snapshot) if r["figure"].startswith(("late", "revised"))
    ]
    assert [(r["figure"], r["period"], r["value"]) for r in rows] == [
        ("revised_figure_was", "2016-10", "42"),
        ("revised_figure_now", "2016-10", "44"),
        ("revised_figure_reason", "2016-10", "late crimes added by police"),
        ("late_figure", "2016-11", "36"),
    ]


@pytest.mark.django_db
def test_revised_and_late_csv_rows_name_the_indicators_theme_group(report_a, hate_crime):
    """Review finding: every other row of SP 09 gave its theme group, these left it empty."""
    Indicator.objects.filter(pk=hate_crime.pk).update(
        theme_group=ThemeGroupFactory(partnership=report_a.partnership, name="Safer streets")
    )
    Actual.objects.filter(indicator=hate_crime, period=NOV_2016).delete()
    publish(report_a)
    change_figure(hate_crime, NOV_2016, 36, reason="police return came in late")
    change_figure(hate_crime, OCT_2016, 44, reason="late crimes added by police")

    snapshot = services.report_snapshot(ReportFactory(partnership=report_a.partnership))

    rows = [
        r for r in csv_rows.report_rows(snapshot) if r["figure"].startswith(("late", "revised"))
    ]
    assert [(r["figure"], r["theme_group"]) for r in rows] == [
        ("revised_figure_was", "Safer streets"),
        ("revised_figure_now", "Safer streets"),
        ("revised_figure_reason", "Safer streets"),
        ("late_figure", "Safer streets"),
    ]


@pytest.mark.django_db
def test_next_report_lists_a_figure_once_as_given_and_as_now(report_a, hate_crime):
    publish(report_a)
    change_figure(hate_crime, OCT_2016, 44, reason="late crimes added by police")
    change_figure(hate_crime, OCT_2016, 45, reason="one more found")
    change_figure(hate_crime, NOV_2016, 1, reason="keyed in error")
    change_figure(hate_crime, NOV_2016, 35, reason="corrected")  # as published again
    later = ReportFactory(partnership=report_a.partnership, title="Next update")

    snapshot = services.report_snapshot(later)

    assert [(r["what"], r["old"], r["new"], r["reason"]) for r in snapshot["revisions"]] == [
        ("October 2016", "42", "45", "late crimes added by police; one more found")
    ]


def change_percentage(indicator, period, numerator, denominator, reason="survey re-weighted"):
    value = Decimal(numerator) * 100 / Decimal(denominator)
    figure_services.actuals_save(
        entries=[
            figure_services.FigureInput(
                indicator, period, value, Decimal(numerator), Decimal(denominator)
            )
        ],
        by=None,
        reason=reason,
    )


@pytest.mark.django_db
def test_revision_notice_prints_a_percentage_with_its_unit_and_counts(
    client, partnership_a, officer_a
):
    # It read "No figure → 50.0" and "80.0 → 50.0": no unit, no counts.
    indicator = _percentage_with_parts_from(partnership_a, datetime.date(2015, 4, 1))
    Actual.objects.filter(indicator=indicator, period=OCT_2016).delete()
    report = ReportFactory(partnership=partnership_a)
    publish(report)
    change_percentage(indicator, OCT_2016, 5, 10)
    change_percentage(indicator, NOV_2016, 6, 10)
    client.force_login(officer_a)

    page = client.get(report.get_absolute_url()).content.decode()

    notice = page[page.index("Figures changed since publishing") : page.index("</table>")]
    rows = [_words(row) for row in re.findall(r"<tr\b.*?</tr>", notice)[1:]]
    assert rows == [
        f"Cases closed ({indicator.code}) November 2016 80.0% (80 of 100) 60.0% (6 of 10)",
    ]
    # October had no figure: it came in since, a late return.
    late = page[page.index("Figures received since publishing") :]
    late = late[: late.index("</table>")]
    rows = [_words(row) for row in re.findall(r"<tr\b.*?</tr>", late)[1:]]
    assert rows == [f"Cases closed ({indicator.code}) October 2016 50.0% (5 of 10)"]
    # A wide table scrolls in its own box rather than the page on a phone.
    assert (
        '<div class="app-table-scroll" role="region" aria-label="Figures changed since '
        'publishing" tabindex="0"><table' in page
    )


@pytest.mark.django_db
def test_next_report_prints_a_revised_percentage_with_its_unit_and_counts(partnership_a):
    indicator = _percentage_with_parts_from(partnership_a, datetime.date(2015, 4, 1))
    publish(ReportFactory(partnership=partnership_a))
    change_percentage(indicator, OCT_2016, 5, 10)

    html = rendering.render_document(
        services.report_snapshot(ReportFactory(partnership=partnership_a, title="Next update"))
    )

    table = html[html.index('id="revised-figures"') :]
    row = _words(table[: table.index("</tr>", table.index("<tbody"))])
    assert row.endswith(
        f"Cases closed ({indicator.code}) October 2016 80.0% (80 of 100) 50.0% (5 of 10) "
        "survey re-weighted"
    )


# Locking -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_locked_period_change_without_reason_is_refused(report_a, hate_crime):
    publish(report_a)

    with pytest.raises(figure_services.FigureLocked) as refused:
        change_figure(hate_crime, OCT_2016, 44, reason="")

    assert "SP 09 October 2016" in str(refused.value)
    assert Actual.objects.get(indicator=hate_crime, period=OCT_2016).value == 42
    assert not FigureChange.objects.exists()


@pytest.mark.django_db
def test_locked_period_change_with_reason_is_saved(report_a, hate_crime):
    publish(report_a)

    change_figure(hate_crime, OCT_2016, 44, reason="late crimes added")

    assert Actual.objects.get(indicator=hate_crime, period=OCT_2016).value == 44


def _actuals_csv(folder, rows):
    from tests.integration.test_import import write_csv

    return write_csv(folder, "actuals", rows)


@pytest.mark.django_db
def test_import_changing_a_locked_period_fails_naming_the_report(tmp_path, report_a, hate_crime):
    from indicators import importing

    publish(report_a)
    slug = report_a.partnership.slug
    _actuals_csv(
        tmp_path,
        [
            {"partnership": slug, "indicator": "SP 09", "period": "2014-03", "value": "5"},
            {"partnership": slug, "indicator": "SP 09", "period": "2016-11", "value": "99"},
            {"partnership": slug, "indicator": "SP 09", "period": "2016-10", "value": "42"},
        ],
    )
    before = Actual.objects.filter(indicator=hate_crime).count()

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)

    assert failed.value.report.errors == [
        "actuals.csv row 3: SP 09 2016-11 is in the published report 'Hate crime update'; "
        "change it on the month sheet with a reason"
    ]
    # All or nothing: the unlocked new month (row 2) is not written either.
    assert Actual.objects.filter(indicator=hate_crime).count() == before
    assert not Actual.objects.filter(indicator=hate_crime, period=datetime.date(2014, 3, 1))
    assert not FigureChange.objects.exists()


@pytest.mark.django_db
def test_import_lists_a_locked_month_with_every_other_problem_at_once(
    tmp_path, report_a, hate_crime
):
    """Review finding: the published month was found only once no row had an error, so a
    file with it and three bad rows listed the three, then, fixed, the fourth."""
    from indicators import importing

    publish(report_a)
    row = {"partnership": report_a.partnership.slug, "indicator": "SP 09"}
    _actuals_csv(
        tmp_path,
        [
            {**row, "period": "2016-13", "value": "5"},
            {**row, "period": "2016-11", "value": "99"},
            {**row, "period": "2014-03", "value": "N/A"},
            {**row, "period": "2014-04", "value": "-1"},
        ],
    )
    before = Actual.objects.filter(indicator=hate_crime).count()

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)

    assert failed.value.report.errors == [
        "actuals.csv row 2: period '2016-13' is not a month like 2016-11",
        "actuals.csv row 3: SP 09 2016-11 is in the published report 'Hate crime update'; "
        "change it on the month sheet with a reason",
        "actuals.csv row 4: value 'N/A' is not a number",
        "actuals.csv row 5: value cannot be negative.",
    ]
    assert Actual.objects.filter(indicator=hate_crime).count() == before
    assert Actual.objects.get(indicator=hate_crime, period=NOV_2016).value != 99
    assert not FigureChange.objects.exists()


@pytest.mark.django_db
def test_import_of_a_figure_a_published_report_lacked_says_to_enter_it_late(
    tmp_path, report_a, hate_crime
):
    """Review finding: a new figure for a month the report had none of was told to "change
    it on the month sheet", named no indicator, and the rows came out of order."""
    from indicators import importing

    Actual.objects.filter(indicator=hate_crime, period__in=[OCT_2016, NOV_2016]).delete()
    publish(report_a)
    row = {"partnership": report_a.partnership.slug, "indicator": "SP 09"}
    _actuals_csv(
        tmp_path,
        [
            {**row, "period": "2016-11", "value": "36"},
            {**row, "period": "2016-09", "value": "99"},
            {**row, "period": "2016-10", "value": "40"},
        ],
    )

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)

    late = "enter it on the month sheet with a reason (a late figure)"
    assert failed.value.report.errors == [
        f"actuals.csv row 2: SP 09 2016-11 has no figure in the published report "
        f"'Hate crime update'; {late}",
        "actuals.csv row 3: SP 09 2016-09 is in the published report 'Hate crime update'; "
        "change it on the month sheet with a reason",
        f"actuals.csv row 4: SP 09 2016-10 has no figure in the published report "
        f"'Hate crime update'; {late}",
    ]


@pytest.mark.django_db
def test_import_outside_locked_periods_or_unchanged_is_saved(tmp_path, report_a, hate_crime):
    from indicators import importing

    publish(report_a)
    slug = report_a.partnership.slug
    unchanged = Actual.objects.get(indicator=hate_crime, period=NOV_2016).value
    _actuals_csv(
        tmp_path,
        [
            {"partnership": slug, "indicator": "SP 09", "period": "2014-03", "value": "5"},
            {"partnership": slug, "indicator": "SP 09", "period": "2016-11", "value": unchanged},
        ],
    )

    importing.import_path(tmp_path, by=None)

    assert Actual.objects.get(indicator=hate_crime, period=datetime.date(2014, 3, 1)).value == 5


@pytest.mark.django_db
def test_periods_outside_published_reports_and_drafts_are_not_locked(
    partnership_a, report_a, hate_crime
):
    publish(report_a)
    ReportFactory(partnership=partnership_a, period=datetime.date(2017, 2, 1))  # a draft

    change_figure(hate_crime, datetime.date(2016, 12, 1), 40, reason="")  # after the period
    change_figure(hate_crime, datetime.date(2017, 1, 1), 41, reason="")

    assert Actual.objects.filter(indicator=hate_crime, period__gte="2016-12-01").count() == 2


@pytest.mark.django_db
def test_theme_group_report_locks_only_its_indicators(partnership_a, hate_crime):
    other = indicators_with_history(partnership_a, 1, last=NOV_2016)[0]
    publish(
        ReportFactory(
            partnership=partnership_a, theme_group=ThemeGroupFactory(partnership=partnership_a)
        )
    )
    publish(ReportFactory(partnership=partnership_a, theme_group=hate_crime.theme_group))

    change_figure(other, OCT_2016, 1, reason="")
    with pytest.raises(figure_services.FigureLocked):
        change_figure(hate_crime, OCT_2016, 1, reason="")

    assert Actual.objects.get(indicator=other, period=OCT_2016).value == 1


@pytest.mark.django_db
def test_month_sheet_locked_change_shows_error_and_writes_nothing(
    client, report_a, hate_crime, officer_a
):
    publish(report_a)
    client.force_login(officer_a)
    url = reverse("indicators:month_sheet", args=["partnership-a", "2016-10"])

    response = client.post(
        url, {"reason": "", f"i{hate_crime.pk}-v": "44", f"initial-i{hate_crime.pk}-v": "42"}
    )

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"a published report covers" in response.content
    assert Actual.objects.get(indicator=hate_crime, period=OCT_2016).value == 42


# Forms ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_report_with_bad_input_shows_errors_and_saves_nothing(
    client, partnership_a, officer_a
):
    client.force_login(officer_a)

    response = client.post(
        reverse("reports:create", args=["partnership-a"]),
        {"title": "", "period": "Nov 2016", "exempt": "on", "purpose": "noting"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Enter a title for the report" in content
    assert "like 2016-11" in content
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_create_report_then_edit_sections_and_comments(
    client, partnership_a, officer_a, hate_crime
):
    client.force_login(officer_a)
    form = {
        "title": "Quarterly update",
        "period": "2016-11",
        "meeting_kind": "scrutiny_panel",
        "meeting_date": "2017-01-24",
        "wards": "All",
        "purpose": "noting",
        "recommendations": "To note the update",
        "shown": ["key_findings", "performance", "definitions"],
        **{
            f"order_{key}": str(i + 1)
            for i, key in enumerate(
                [
                    "key_findings",
                    "successes",
                    "performance",
                    "actions",
                    "commissioning",
                    "risks",
                    "definitions",
                ]
            )
        },
    }
    created = client.post(reverse("reports:create", args=["partnership-a"]), form)
    report = Report.objects.get()
    assert created["Location"] == reverse("reports:edit", args=["partnership-a", report.pk])

    shown = {f"initial-{k}": v for k, v in form.items()}  # what the edit page shows
    form |= shown | {
        f"comment_{hate_crime.pk}": "Awareness week.",
        "order_definitions": "1",
        "order_key_findings": "7",
    }
    client.post(reverse("reports:edit", args=["partnership-a", report.pk]), form)

    report.refresh_from_db()
    assert report.editor_comments == {str(hate_crime.pk): "Awareness week."}
    assert report.sections[0] == {"key": "definitions", "shown": True}
    assert report.sections[-1] == {"key": "key_findings", "shown": True}
    assert report.created_by == officer_a


# Overview --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_overview_report_sets_partnerships_side_by_side(partnership_a, partnership_b, hate_crime):
    report = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW)
    report.covers.set([partnership_a, partnership_b])
    report.news = {str(partnership_b.pk): "New chair appointed."}
    report.save()

    version = publish(report)

    names = [block["name"] for block in version.snapshot["overview"]]
    assert names == ["Partnership A", "Partnership B"]
    assert "Police recorded hate crime" in version.html
    assert "New chair appointed." in version.html


@pytest.mark.django_db
def test_overview_key_has_no_blank_thresholds(partnership_a, partnership_b):
    # Neither partnership has an indicator: no key with blank thresholds (nor any key).
    report = ReportFactory(
        partnership=partnership_a, kind=Report.Kind.OVERVIEW, period=datetime.date(2010, 3, 1)
    )
    report.covers.set([partnership_a, partnership_b])

    html = rendering.render_document(services.report_snapshot(report))

    assert "(% of the target" not in html
    assert "within % " not in html
    assert "Figures for April 2009 to March 2010" in html
    # It is the partnerships', not the one it was filed under.
    assert '<span class="govuk-caption-l">Two community safety partnerships</span>' in html
    # No figure, so no figures' source (test_report_definitions).
    assert "Figures entered by" not in html


@pytest.mark.django_db
def test_partial_year_to_date_gets_no_status_and_agrees_with_its_table(partnership_a):
    [indicator] = indicators_with_history(partnership_a, 1, last=NOV_2016, months=1)
    Actual.objects.create(indicator=indicator, period=datetime.date(2015, 11, 1), value=150)
    Target.objects.create(
        indicator=indicator, financial_year=2016, kind="change_pct", value=-2, baseline_year=2015
    )
    report = ReportFactory(partnership=partnership_a)

    snapshot = services.report_snapshot(report)
    entry = snapshot["indicators"][str(indicator.pk)]
    html = rendering.render_document(snapshot)

    assert entry["status"] == "none"
    assert entry["figures"]["target_to_date"] is None
    assert all(m["cumulative_target"] is None for m in entry["months"])
    assert "Not rated: figures are missing for part of the year so far" in html
    assert entry["commentary"].startswith("Only November has a figure so far")
    assert "Between April" not in entry["commentary"]
    findings = {row["key"]: row["count"] for row in snapshot["key_findings"]["statuses"]}
    assert findings["unrated"] == 1


@pytest.mark.django_db
def test_process_control_and_poisson_verdicts_use_different_words(report_a, hate_crime):
    # Seed 002 hate crime, November 2016: special cause (six months above the average) while
    # its change from November 2015 (-3) is within normal variation.
    html = rendering.render_document(services.report_snapshot(report_a))

    # Review finding: it said "November 2016's figure is outside its usual range" of a
    # figure inside its process limits, whose signal is a run: the words now name the signal.
    row = unescape(_words(html[html.index("Usual range (statistical process control)") :]))
    assert row.startswith(
        "Usual range (statistical process control) November 2016's figure is within the "
        "process limits, but it is the sixth month in a row above the average (special cause "
        "variation). A real change, for the better."
    )
    assert "for the better (special cause variation)" not in row  # the term once
    assert "outside its usual range" not in html.split('id="appendix-')[0]
    assert "is outside normal variation" not in html
    assert "within normal variation</span>" in html  # the month table's tested changes
    assert "Usual range and normal variation" in html  # the key explains both


@pytest.mark.django_db
def test_a_change_within_normal_variation_is_not_said_to_be_no_change(partnership_a):
    """Review finding: "within normal variation (Poisson test): not a real change" claimed
    more than the test shows."""
    [indicator] = indicators_with_history(partnership_a, 1, last=NOV_2016, months=1)
    Actual.objects.create(indicator=indicator, period=datetime.date(2015, 11, 1), value=110)
    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    assert snapshot["indicators"][str(indicator.pk)]["figures"]["variation_test"] == "poisson"

    text = _words(rendering.render_document(snapshot))

    assert (
        "November 2016 against the same period last year The change is within normal "
        "variation (Poisson test): not enough to show a real change." in text
    )
    assert "not a real change" not in text


@pytest.mark.django_db
def test_a_summary_tables_percentage_changes_are_whole(partnership_a):
    """Review findings: a decimal was added only to a change that rounded to 0%; then the
    whole column took one, so the table read +20.0% where the indicator's own summary
    read +20%. Every percentage change is whole; one that would read 0% says so."""
    big, small = IndicatorFactory.create_batch(2, partnership=partnership_a)
    months = [periods.add_months(datetime.date(2015, 4, 1), i) for i in range(20)]
    # April to November: 960 against 800 (+20%), 8,024 against 8,000 (+0.3%).
    actuals_create(big, {m: 100 if m.year == 2015 and m.month > 3 else 120 for m in months})
    actuals_create(small, {m: 1000 if i < 12 else 1003 for i, m in enumerate(months)})

    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    html = rendering.render_document(snapshot)

    summary = _words(html[html.index("Indicators without a target") :])
    summary = summary[: summary.index("A.1")]
    assert "+160 (+20%)" in summary and "+24 (a rise of less than 1%)" in summary


@pytest.mark.django_db
def test_one_figure_has_one_precision_throughout_the_report(partnership_a):
    """Review finding: October to December 2016 against the same months of 2015 read +6%
    in Appendix A and +6.1% in Appendix B.1, whose column took a decimal for another
    indicator's +0.1%."""
    rising, steady = IndicatorFactory.create_batch(2, partnership=partnership_a)
    months = [periods.add_months(datetime.date(2014, 12, 1), i) for i in range(25)]
    autumn = {datetime.date(2016, m, 1) for m in (10, 11, 12)}
    # 1,000 a month; October to December 2016 1,061 (+6.1%) and 1,001 (+0.1%) a month.
    actuals_create(rising, {m: 1061 if m in autumn else 1000 for m in months})
    actuals_create(steady, {m: 1001 if m in autumn else 1000 for m in months})
    report = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 12, 1))

    text = _words(rendering.render_document(services.report_snapshot(report)))

    core = text[text.index("B.1 The last 12 months") :]
    core = core[: core.index("Appendix C")]
    appendix_a = text[text.index("Appendix A") : text.index("B.1 The last 12 months")]
    assert "against the same months last year ▼ Deteriorating (+183, +6%)" in appendix_a
    assert "against the same months last year ► Stable (+3, a rise of less than 1%)" in appendix_a
    quarter = core[core.index("3 months to December 2016 against") :]
    assert "+183 beyond normal variation +6%" in quarter
    assert "+3 within normal variation a rise of less than 1%" in quarter
    assert not re.search(r"[+\u2212]\d+\.\d%", text)  # no percentage change with a decimal


@pytest.mark.django_db
def test_a_snapshot_made_before_these_rules_renders_as_it_did(partnership_a):
    """A stored snapshot from before: each column's decimals of its own, no rounding note
    flags. It still renders, its columns to the decimals it stored."""
    rising, steady = IndicatorFactory.create_batch(2, partnership=partnership_a)
    months = [periods.add_months(datetime.date(2014, 12, 1), i) for i in range(25)]
    autumn = {datetime.date(2016, m, 1) for m in (10, 11, 12)}
    actuals_create(rising, {m: 1061 if m in autumn else 1000 for m in months})
    actuals_create(steady, {m: 1001 if m in autumn else 1000 for m in months})
    report = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 12, 1))
    snapshot = services.report_snapshot(report)
    snapshot["context"]["core_pct_places"] = {"year": 1, "quarter": 1, "force": 0}
    snapshot["performance"]["monitoring_pct_places"] = 1
    del snapshot["key_findings"]["statuses_rounding_note"]
    del snapshot["key_findings"]["directions_rounding_note"]

    text = _words(rendering.render_document(snapshot))

    core = text[text.index("B.1 The last 12 months") :]
    assert "+183 beyond normal variation +6.1%" in core
    assert "+3 within normal variation +0.1%" in core
    assert "Percentages may not add to 100" not in text


@pytest.mark.django_db
def test_a_percentage_target_has_one_format_throughout(partnership_a):
    """Review finding: one target read "90.0%" and "90%" lines apart."""
    indicator = IndicatorFactory(
        partnership=partnership_a, measure="percentage", polarity="higher", code="SAT 1"
    )
    figures = [(datetime.date(2015, 4, 1), 45, 50), (datetime.date(2016, 4, 1), 61, 69)]
    Actual.objects.bulk_create(
        Actual(indicator=indicator, period=period, value=Decimal(n) * 100 / Decimal(d),
               numerator=n, denominator=d)
        for period, n, d in figures
    )  # fmt: skip
    Target.objects.create(indicator=indicator, financial_year=2016, kind="annual", value=90)
    report = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 4, 1))

    text = _words(rendering.render_document(services.report_snapshot(report)))

    assert "Target for 2016/17 90.0% for the year" in text
    assert "against a target to date of 90.0%" in text
    assert "the target of 90.0%" in text
    assert not re.search(r"\b90%", text)


# Command ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_build_report_publishes_and_writes_files(tmp_path, partnership_a, hate_crime):
    out = io.StringIO()

    call_command(
        "build_report",
        "--partnership=partnership-a",
        "--period=2016-11",
        "--publish",
        f"--out={tmp_path}",
        stdout=out,
        stderr=io.StringIO(),
    )

    report = Report.objects.get()
    assert out.getvalue().strip() == f"/p/partnership-a/reports/{report.pk}/"
    version = report.versions.get()
    assert (tmp_path / "report.csv").read_text() == version.csv
    assert (tmp_path / "report.csv").read_bytes().startswith(b"\xef\xbb\xbfpartnership,")
    assert version.html in (tmp_path / "report.html").read_text()
    for kind in ("pdf", "docx"):
        stored = getattr(version, kind)
        if stored is not None:
            assert (tmp_path / f"report.{kind}").read_bytes() == bytes(stored)


def test_publish_check_lines_name_each_finding():
    from reports.checks import TextWarning

    found = {
        "no_figures": False,
        "red_without_action": [{"title": "Hate crime", "code": "SS 01"}],
        "cover_gaps": ["a contact officer"],
        "text_warnings": [TextWarning("Executive summary", "CCG is not explained.")],
    }

    assert services.publish_check_lines(found, {}) == [
        "Hate crime (SS 01) is red with no open action linked to it.",
        "The cover sheet does not give: a contact officer.",
        "Executive summary: CCG is not explained.",
    ]


@pytest.mark.django_db
def test_build_report_unknown_theme_group_fails_clearly(partnership_a):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="has no theme group 'Nope'"):
        call_command(
            "build_report", "--partnership=partnership-a", "--period=2016-11", "--theme-group=Nope"
        )
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_build_report_without_chromium_fails_clearly_and_leaves_no_draft(
    partnership_a, monkeypatch
):
    from pathlib import Path

    from django.core.management.base import CommandError

    from reports import chart_images

    monkeypatch.setattr(chart_images, "browser_path", lambda: Path("/nowhere/chromium"))
    with pytest.raises(CommandError, match="No Chromium at /nowhere/chromium"):
        call_command("build_report", "--partnership=partnership-a", "--period=2016-11", "--publish")
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_covered_periods_are_year_to_date_and_the_whole_of_last_year():
    # Its month-by-month tables print every month of last year beside this year's.
    months = selectors.covered_periods(NOV_2016, 4)

    assert months[0] == datetime.date(2015, 4, 1)
    assert datetime.date(2016, 3, 1) in months
    assert months[-1] == NOV_2016
    assert len(months) == 20


@pytest.mark.django_db
def test_a_quarter_under_way_at_a_published_reports_month_is_not_locked(partnership_a):
    """Review finding: a report to November counted, and so locked, October to December.
    It counts only quarters ended by November: the third quarter's figure is entered
    freely once December is over; the second quarter's stays locked."""
    quarterly = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    change_figure(quarterly, datetime.date(2016, 7, 1), 526, reason="")
    publish(ReportFactory(partnership=partnership_a))

    locked = selectors.locked_figures(
        [(quarterly, datetime.date(2016, 7, 1)), (quarterly, datetime.date(2016, 10, 1))]
    )
    assert [period for _, period, _ in locked] == [datetime.date(2016, 7, 1)]

    change_figure(quarterly, datetime.date(2016, 10, 1), 600, reason="")
    assert Actual.objects.get(indicator=quarterly, period=datetime.date(2016, 10, 1)).value == 600
    with pytest.raises(figure_services.FigureLocked):
        change_figure(quarterly, datetime.date(2016, 7, 1), 527, reason="")


@pytest.mark.django_db
def test_the_latest_period_with_figures_runs_to_a_quarters_last_month(partnership_a, hate_crime):
    quarterly = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    change_figure(quarterly, datetime.date(2016, 10, 1), 600, reason="")

    # Monthly figures run to November; the quarter to December.
    assert indicator_selectors.latest_period(partnership_a) == datetime.date(2016, 12, 1)


@pytest.mark.django_db
def test_a_rated_change_targets_baseline_year_is_locked_and_other_years_are_not(
    partnership_a, hate_crime
):
    # Rated against "5% more than 2014/15": the target to date it printed came from
    # 2014/15's figures, which are then locked as its own months are.
    TargetFactory(
        indicator=hate_crime,
        financial_year=2016,
        kind="change_pct",
        value=Decimal(5),
        baseline_year=2014,
    )
    publish(ReportFactory(partnership=partnership_a))
    entries = [
        (hate_crime, datetime.date(2014, 6, 1)),  # the baseline year
        (hate_crime, datetime.date(2016, 2, 1)),  # last year, after November
        (hate_crime, datetime.date(2013, 6, 1)),  # neither
    ]

    locked = {period for _, period, _ in selectors.locked_figures(entries)}

    assert locked == {datetime.date(2014, 6, 1), datetime.date(2016, 2, 1)}


# PDF and Word (with the stand-in renderer of conftest.py) ---------------------------------


@pytest.mark.django_db
def test_publish_page_shows_progress_then_stores_files(
    client, report_a, officer_a, panel_a, fake_documents
):
    client.force_login(officer_a)

    response = client.post(reverse("reports:publish", args=["partnership-a", report_a.pk]))

    assert response.status_code == 200 and response.streaming
    page = b"".join(response.streaming_content).decode()
    assert page.index("Charts drawn") < page.index("PDF made") < page.index("Word document made")
    assert "Read the published report" in page
    version = ReportVersion.objects.get(report=report_a)
    assert bytes(version.pdf) == b"%PDF-1.7 Hate crime update, November 2016"
    chart_ids = next(call[1] for call in fake_documents.calls if call[0] == "charts")
    assert chart_ids and all(f'data-chart-id="{c}"' in version.html for c in chart_ids)

    client.force_login(panel_a)
    first = client.get(reverse("reports:pdf", args=["partnership-a", report_a.pk]))
    second = client.get(reverse("reports:pdf", args=["partnership-a", report_a.pk]))
    word = client.get(reverse("reports:docx", args=["partnership-a", report_a.pk]))
    assert first["Content-Type"] == "application/pdf"
    assert first.content == second.content == bytes(version.pdf)
    assert word.content == bytes(version.docx)


@pytest.mark.django_db
def test_stored_files_never_change_when_made_again(report_a, hate_crime, fake_documents):
    version = publish(report_a)
    pdf = bytes(version.pdf)
    change_figure(hate_crime, OCT_2016, 44)
    report_a.title = "Another title"
    report_a.save()

    steps = list(services.version_documents_steps(ReportVersion.objects.get(pk=version.pk)))

    assert steps == []
    assert bytes(ReportVersion.objects.get(pk=version.pk).pdf) == pdf


@pytest.mark.django_db
def test_only_an_editor_of_two_partnerships_is_offered_an_overview(
    client, partnership_a, partnership_b, officer_a, admin_user
):
    offer = "Create an overview of several partnerships"
    url = reverse("reports:list", args=["partnership-a"])
    client.force_login(officer_a)  # reads the live figures of partnership A only
    page = client.get(url).content.decode()
    assert "Create a report" in page and offer not in page

    client.force_login(admin_user)
    assert offer in client.get(url).content.decode()


@pytest.mark.django_db
def test_overview_report_created_on_the_site_covers_chosen_partnerships(
    client, partnership_a, partnership_b, admin_user, hate_crime
):
    client.force_login(admin_user)
    url = reverse("reports:create", args=["partnership-a"]) + "?kind=overview"
    assert client.get(url).status_code == 200

    client.post(
        url,
        {
            "kind": "overview",
            "title": "Community Safety Partnerships update",
            "period": "2016-11",
            "meeting_kind": "scrutiny_panel",
            "meeting_date": "2017-01-24",
            "wards": "All",
            "purpose": "noting",
            "recommendations": "To note the update",
            "introduction": "Probation becomes a responsible authority.",
            "covers": [partnership_a.pk, partnership_b.pk],
        },
    )

    report = Report.objects.get()
    assert report.kind == Report.Kind.OVERVIEW
    assert set(report.covers.all()) == {partnership_a, partnership_b}
    html = rendering.render_document(services.report_snapshot(report))
    assert "Probation becomes a responsible authority." in html
    assert "Partnership B" in html and "Police recorded hate crime" in html
    assert "Performance by indicator" not in html  # no single partnership's detail


# Comparison with similar areas ------------------------------------------------------------


@pytest.mark.django_db
def test_family_group_section_is_shown_and_frozen(partnership_a, tmp_path):
    from opendata.models import CspOffenceCount, OffenceMapping, Peer
    from tests.factories import IndicatorFactory
    from tests.integration.test_family_groups import GROUP, _workbook

    burglary = IndicatorFactory(partnership=partnership_a, code="BUR", title="Burglary")
    burglary.actuals.create(period=datetime.date(2023, 9, 1), value=5)
    OffenceMapping.objects.create(indicator=burglary, offence_groups="Burglary")
    for name, population, _, _ in GROUP:
        Peer.objects.create(
            partnership=partnership_a, csp_name=name, population=population,
            is_self=name == "Plymouth",
        )  # fmt: skip
    call_command("import_home_office", str(_workbook(tmp_path / "csp.xlsx")))
    # The workbook holds 2023/24 Q1 and Q2: a report to September 2023 ranks Q2.
    report = ReportFactory(
        partnership=partnership_a, title="Update", period=datetime.date(2023, 9, 1)
    )

    version = publish(report)
    CspOffenceCount.objects.all().delete()  # later data must not change a published report

    assert [(r["code"], r["sentence"]) for r in version.snapshot["family"]] == [
        ("BUR", "2nd best of 5, up 2 places")
    ]
    assert "Comparison with similar areas" in version.html
    assert "2nd best of 5, up 2 places" in version.html
    assert services.report_snapshot(report)["family"] == []
    # Sources named only the officers' figures.
    assert version.snapshot["definitions"]["compared_sources"] == [
        "Home Office police recorded crime by Community Safety Partnership area, to "
        "Q2 2023/24: the comparisons with other areas."
    ]
    assert "Home Office police recorded crime by Community Safety Partnership" in version.html


@pytest.mark.django_db
def test_no_family_group_no_comparison_section(report_a, hate_crime):
    snapshot = services.report_snapshot(report_a)

    assert snapshot["family"] == []
    assert "Comparison with similar areas" not in rendering.render_document(snapshot)
    assert snapshot["definitions"]["compared_sources"] == []


@pytest.mark.django_db
def test_recommendations_read_as_sentences(report_a, hate_crime):
    from tests.factories.actions import (
        CrossThemeIssueFactory,
        RecommendationFactory,
        RiskFactory,
    )

    RecommendationFactory(
        partnership=report_a.partnership,
        recommendation="Report the SARC funding to the next panel",
        status="in_progress",
        response="A stakeholder group has been formed",
        meeting_date=datetime.date(2010, 1, 25),
        due=datetime.date(2011, 4, 30),
    )
    CrossThemeIssueFactory(
        partnership=report_a.partnership,
        title="Funding",
        issue="Not yet confirmed",
        ask="",
        raised_on=datetime.date(2010, 9, 30),
    )

    RiskFactory(
        partnership=report_a.partnership,
        description="Volunteer capacity",
        mitigation="",
        review_date=datetime.date(2011, 4, 20),
    )

    snapshot = services.report_snapshot(report_a)

    # Each says when it was made or raised: the panel sees how long it has stood open.
    assert snapshot["risks"]["risks"] == ["Volunteer capacity. Next review: 20 April 2011."]
    assert snapshot["risks"]["recommendations"] == [
        "Report the SARC funding to the next panel. Made on 25 January 2010, due by 30 April "
        "2011. For Community Safety Manager; in progress. "
        "Response: A stakeholder group has been formed."
    ]
    assert snapshot["risks"]["issues"] == [
        "Funding. Not yet confirmed. Raised on 30 September 2010."
    ]


@pytest.mark.django_db
def test_report_list_puts_the_latest_figures_first_whatever_order_they_were_published(
    partnership_a,
):
    later = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 11, 1))
    earlier = ReportFactory(partnership=partnership_a, period=datetime.date(2010, 9, 1))
    for report in (later, earlier):  # the older report is published last
        services.report_publish(report=report, by=None, documents=False)

    listed = selectors.report_list(partnership_a, drafts=False)

    assert [r.report.pk for r in listed] == [later.pk, earlier.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("locked_by_group", [True, False])
def test_the_next_report_of_another_scope_flags_the_revision(
    partnership_a, hate_crime, locked_by_group
):
    group = hate_crime.theme_group
    assert group is not None
    first = ReportFactory(partnership=partnership_a, theme_group=group if locked_by_group else None)
    publish(first)
    change_figure(hate_crime, OCT_2016, 44, reason="late crimes added by police")
    later = ReportFactory(
        partnership=partnership_a,
        theme_group=None if locked_by_group else group,
        period=datetime.date(2016, 12, 1),
    )

    snapshot = services.report_snapshot(later)

    assert [(r["code"], r["old"], r["new"]) for r in snapshot["revisions"]] == [
        ("SP 09", "42", "44")
    ]


@pytest.mark.django_db
def test_the_next_report_lists_a_revised_baseline_figure(partnership_a, hate_crime):
    from tests.factories.series import actuals_create

    june_2014 = datetime.date(2014, 6, 1)
    actuals_create(hate_crime, {june_2014: 30})
    TargetFactory(
        indicator=hate_crime,
        financial_year=2016,
        kind="change_pct",
        value=Decimal(5),
        baseline_year=2014,
    )
    publish(ReportFactory(partnership=partnership_a))
    change_figure(hate_crime, june_2014, 33, reason="recount")
    later = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 12, 1))

    revisions = services.report_snapshot(later)["revisions"]

    assert [(r["code"], r["old"], r["new"]) for r in revisions] == [("SP 09", "30", "33")]


@pytest.mark.django_db
def test_a_change_made_before_the_figure_was_last_published_is_no_revision(
    partnership_a, hate_crime
):
    publish(ReportFactory(partnership=partnership_a))
    change_figure(hate_crime, OCT_2016, 44, reason="late crimes added by police")
    publish(ReportFactory(partnership=partnership_a, theme_group=hate_crime.theme_group))
    later = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 12, 1))

    assert services.report_snapshot(later)["revisions"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "audience", "statutory"),
    [
        ("scrutiny_panel", "panel", True),
        ("board", "board", False),
        ("theme_group", "group", False),
        ("committee", "committee", False),
    ],
)
def test_only_a_scrutiny_panel_is_told_it_is_the_crime_and_disorder_committee(
    partnership_a, kind, audience, statutory
):
    # REPORT_CHECKLIST 5: the statutory line is the council's scrutiny committee's; a
    # partnership board or a police authority's committee is not that committee.
    html = publish(ReportFactory(partnership=partnership_a, meeting_kind=kind)).html

    assert f"It updates the {audience} on {partnership_a.name}" in html
    assert ("acts as the crime and disorder committee" in html) is statutory


@pytest.mark.django_db
def test_an_implication_left_blank_beside_others_is_not_recorded_rather_than_none(
    partnership_a,
):
    report = ReportFactory(
        partnership=partnership_a,
        implications={"financial": {"text": "Within budget.", "officer": "Finance officer"}},
    )

    html = publish(report).html

    assert "Within budget." in html
    assert "None identified" not in html and "Not recorded" in html


@pytest.mark.django_db
def test_an_incomplete_quarter_says_whether_it_is_under_way_or_short_of_figures(partnership_a):
    [indicator] = indicators_with_history(partnership_a, 1, last=datetime.date(2016, 11, 1))
    Actual.objects.filter(indicator=indicator, period=datetime.date(2016, 8, 1)).delete()

    def row_words(period):
        html = publish(ReportFactory(partnership=partnership_a, period=period)).html
        return html[html.index(f'id="indicator-{indicator.pk}"') :]

    # September 2016 ends quarter 2, but August has no figure.
    ended = row_words(datetime.date(2016, 9, 1))
    assert "(figures are missing for part of the quarter)" in ended
    assert "Quarter 2, months with figures only, against the same months last year" in ended
    # November 2016 is the second month of quarter 3.
    under_way = row_words(datetime.date(2016, 11, 1))
    assert "(the quarter is not over)" in under_way
    assert "Quarter 3 so far against the same months last year" in under_way


@pytest.mark.django_db
def test_a_target_that_cannot_be_rated_is_stated_with_the_reason(partnership_a):
    # REPORTING: flag a missing baseline. A 3% reduction on 2015/16, with no 2015/16 figures.
    [indicator] = indicators_with_history(
        partnership_a, 1, last=datetime.date(2016, 11, 1), months=8
    )
    Target.objects.create(
        indicator=indicator,
        financial_year=2016,
        kind="change_pct",
        value=Decimal("-3"),
        baseline_year=2015,
    )

    html = publish(ReportFactory(partnership=partnership_a)).html
    entry = html[html.index(f'id="indicator-{indicator.pk}"') :]

    assert "Target for 2016/17</dt>" in entry and "A 3% reduction on 2015/16" in entry
    assert (
        "Not rated: there is no target to date, as 2015/16, the baseline, has no figures for "
        "the same months." in entry
    )


@pytest.mark.django_db
def test_key_findings_tell_a_baseline_without_figures_from_figures_missing(partnership_a):
    # A 3% reduction on 2015/16, with no 2015/16 figures: the year's figures are all in.
    [indicator] = indicators_with_history(
        partnership_a, 1, last=datetime.date(2016, 11, 1), months=8
    )
    Target.objects.create(
        indicator=indicator,
        financial_year=2016,
        kind="change_pct",
        value=Decimal("-3"),
        baseline_year=2015,
    )

    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))

    statuses = {row["key"]: row for row in snapshot["key_findings"]["statuses"]}
    assert "unrated" not in statuses
    assert statuses["unrated_baseline"]["count"] == 1
    assert statuses["unrated_baseline"]["label"] == (
        "Target set but not rated: baseline year has no figures"
    )
    html = rendering.render_document(snapshot)
    assert "Target set but not rated: baseline year has no figures" in html
    assert "figures missing" not in html


@pytest.mark.django_db
def test_a_target_with_no_figures_for_the_year_yet_blames_no_baseline(partnership_a):
    # April 2016, before April's figure is in: the baseline year is complete. With no figure
    # for the year the indicator is named under "Missing figures", not tabled.
    [indicator] = indicators_with_history(partnership_a, 1, last=datetime.date(2016, 3, 1))
    Target.objects.create(
        indicator=indicator,
        financial_year=2016,
        kind="change_pct",
        value=Decimal("-3"),
        baseline_year=2015,
    )

    html = publish(ReportFactory(partnership=partnership_a, period=datetime.date(2016, 4, 1))).html

    assert f'id="indicator-{indicator.pk}"' not in html
    assert f"{indicator.title} ({indicator.code})" in html[html.index("Missing figures") :]
    assert "the baseline, has no figures" not in html


@pytest.mark.django_db
def test_an_overview_of_one_partnership_is_captioned_in_the_singular(partnership_a):
    report = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW)
    report.covers.set([partnership_a])

    html = rendering.render_document(services.report_snapshot(report))

    assert '<span class="govuk-caption-l">One community safety partnership</span>' in html


def _percentage_with_parts_from(partnership, first_with_parts):
    """A percentage indicator, 80% a month from April 2015 to November 2016, with its
    numerators and denominators only from ``first_with_parts``."""
    indicator = IndicatorFactory(
        partnership=partnership, measure="percentage", polarity="higher", title="Cases closed"
    )
    months = [periods.add_months(datetime.date(2015, 4, 1), i) for i in range(20)]
    Actual.objects.bulk_create(
        Actual(
            indicator=indicator,
            period=month,
            value=Decimal(80),
            numerator=Decimal(80) if month >= first_with_parts else None,
            denominator=Decimal(100) if month >= first_with_parts else None,
        )
        for month in months
    )
    data_version.data_changed(indicator_ids=[indicator.pk])
    return indicator


def _status_words(partnership, indicator):
    html = publish(ReportFactory(partnership=partnership)).html
    entry = html[html.index(f'id="indicator-{indicator.pk}"') :]
    return entry[entry.index("Status</dt>") : entry.index("</dd>", entry.index("Status</dt>"))]


@pytest.mark.django_db
def test_a_percentage_without_its_counts_says_so_rather_than_no_figure(partnership_a):
    indicator = _percentage_with_parts_from(partnership_a, datetime.date(2099, 1, 1))
    Target.objects.create(indicator=indicator, financial_year=2016, kind="annual", value=90)

    status = _status_words(partnership_a, indicator)

    assert "No figure" not in status
    assert "numerators and denominators behind the year to date are missing" in status


@pytest.mark.django_db
def test_a_percentage_baseline_without_its_counts_is_named_as_such(partnership_a):
    indicator = _percentage_with_parts_from(partnership_a, datetime.date(2016, 4, 1))
    Target.objects.create(
        indicator=indicator,
        financial_year=2016,
        kind="change_pct",
        value=Decimal(5),
        baseline_year=2015,
    )

    status = _status_words(partnership_a, indicator)

    assert "2015/16, the baseline, has no figures (or their numerators and denominators)" in status


@pytest.mark.django_db
def test_the_another_format_statement_is_in_the_document_once(client, report_a, panel_a):
    # It was on the web page only, never in the PDF or Word file.
    Report.objects.filter(pk=report_a.pk).update(contact_officer="Jo Bloggs, 01752 000000")
    report_a.refresh_from_db()
    version = publish(report_a)
    client.force_login(panel_a)

    page = client.get(report_a.get_absolute_url()).content.decode()

    statement = "If you need this report in another format, such as large print or audio"
    assert f"{statement}, ask the contact officer (Jo Bloggs, 01752 000000)." in version.html
    assert page.count(statement) == 1
    # A version published before it was in the document keeps it on the page.
    ReportVersion.objects.filter(pk=version.pk).update(
        html=version.html.split('<p class="govuk-body app-report__formats">')[0]
    )
    page = client.get(report_a.get_absolute_url()).content.decode()
    assert page.count(statement) == 1


@pytest.mark.django_db
def test_the_another_format_statement_names_someone_to_ask_without_a_contact_officer(
    client, report_a, panel_a
):
    # It ended "ask the contact officer." with nobody named.
    statement = "If you need this report in another format, such as large print or audio, ask"
    Report.objects.filter(pk=report_a.pk).update(contact_officer="", report_of="Chair of A")
    report_a.refresh_from_db()
    assert f"{statement} the responsible officer (Chair of A)." in publish(report_a).html

    Report.objects.filter(pk=report_a.pk).update(report_of="")
    report_a.refresh_from_db()
    version = publish(report_a, reason=AGAIN)
    assert f"{statement} Partnership A." in version.html
    assert "contact officer" not in version.html

    # A version published before the statement was in the document: the page says it.
    ReportVersion.objects.filter(pk=version.pk).update(
        html=version.html.split('<p class="govuk-body app-report__formats">')[0]
    )
    client.force_login(panel_a)
    page = client.get(report_a.get_absolute_url()).content.decode()
    assert f"{statement} Partnership A. See the" in page


@pytest.mark.django_db
def test_the_contact_email_is_on_the_cover_sheet_and_in_the_another_format_statement(
    client, report_a, panel_a
):
    # The report named a job title to ask, with no way of reaching them.
    Report.objects.filter(pk=report_a.pk).update(
        contact_officer="Community safety analyst", contact_email="csp@example.gov.uk"
    )
    report_a.refresh_from_db()
    version = publish(report_a)

    mailto = '<a class="govuk-link" href="mailto:csp@example.gov.uk">csp@example.gov.uk</a>'
    assert (
        '<dt class="govuk-summary-list__key">Contact email</dt>'
        f'<dd class="govuk-summary-list__value">{mailto}</dd>'
    ) in version.html
    assert (
        "If you need this report in another format, such as large print or audio, ask the "
        f"contact officer (Community safety analyst) by email at {mailto}."
    ) in version.html
    # A version published before the statement was in the document: the page says it.
    ReportVersion.objects.filter(pk=version.pk).update(
        html=version.html.split('<p class="govuk-body app-report__formats">')[0]
    )
    client.force_login(panel_a)
    page = _words(client.get(report_a.get_absolute_url()).text)
    assert "ask the contact officer (Community safety analyst) by email at csp@example.gov.uk." in (
        page
    )


@pytest.mark.django_db
def test_a_version_from_before_the_contact_email_renders_as_it_did(report_a):
    snapshot = services.report_snapshot(report_a)
    before = rendering.render_document(snapshot)
    del snapshot["cover"]["contact_email"]  # as versions published before it stored it

    assert rendering.render_document(snapshot) == before
    assert "Contact email" not in before and "by email at" not in before


def _printed(html: str) -> str:
    """The page's words that reach paper: without what print.css hides (app-no-print)."""
    from reports.documents import report_content

    return " ".join(report_content(html).text_content().split())


@pytest.mark.django_db
def test_report_page_prints_its_version_and_its_banners_without_their_links(
    client, report_a, hate_crime, officer_a
):
    publish(report_a)
    publish(report_a, reason=AGAIN)
    change_figure(hate_crime, OCT_2016, 44)
    client.force_login(officer_a)

    old = client.get(reverse("reports:version", args=["partnership-a", report_a.pk, 1]))
    latest = client.get(report_a.get_absolute_url())

    printed = _printed(old.text)
    assert "Earlier version This is version 1." in printed
    # On paper too, a reader learns a later version exists.
    assert re.search(rf"The latest is version 2, published \d+ \w+ \d{{4}}: {AGAIN}\.", printed)
    assert "Figures revised" in printed
    assert "Version 1, published" in printed
    for link in ("Read the latest version", "Download every figure", "Edit for a new version"):
        assert link in old.text and link not in printed
    assert "Publish a new version with the revised figures" in latest.text
    css = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    assert ".govuk-notification-banner.app-report__notice" in css  # portal.css hides banners
    # The banner's link to publish again is hidden on paper by print.css, not app-no-print.
    assert ".app-revision-notice .govuk-body:has(> .govuk-notification-banner__link)" in css


@pytest.mark.django_db
def test_report_page_says_its_files_are_the_version_as_published(client, report_a, panel_a):
    version = publish(report_a)
    client.force_login(panel_a)

    page = _words(client.get(report_a.get_absolute_url()).text)

    day = f"{timezone.localtime(version.published_at):%-d %B %Y}"
    assert f"The PDF, Word and CSV files are version 1 as published on {day}." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last", "shown"), [("", "", "Partnership A"), ("Ann", "Lee", "Ann Lee")]
)
def test_report_page_never_shows_the_publishers_username(
    client, report_a, officer_a, panel_a, first, last, shown
):
    officer_a.first_name, officer_a.last_name = first, last
    officer_a.save()
    publish(report_a, by=officer_a)

    client.force_login(panel_a)  # a reader
    page = _words(client.get(report_a.get_absolute_url()).text)

    assert "officer-a" not in page
    assert re.search(rf"Version 1, published \d+ \w+ \d{{4}} at \d\d:\d\d by {shown}\.", page)


@pytest.mark.django_db
def test_a_reader_outside_the_partnership_is_not_told_who_published(
    client, report_a, officer_a, partnership_a
):
    # Signed out, with the partnership's reports public: "published ... by Olu Officer".
    officer_a.first_name, officer_a.last_name = "Olu", "Officer"
    officer_a.save()
    publish(report_a, by=officer_a)
    partnership_a.reports_public = True
    partnership_a.save()

    page = _words(client.get(report_a.get_absolute_url()).text)

    assert "Olu" not in page and "officer-a" not in page
    assert re.search(r"Version 1, published \d+ \w+ \d{4} at \d\d:\d\d by Partnership A\.", page)


@pytest.mark.django_db
def test_a_printed_preview_says_it_is_a_draft(client, report_a, officer_a):
    report_a.executive_summary = "The MAPPA agreed the plan."
    report_a.save()
    client.force_login(officer_a)

    page = client.get(reverse("reports:preview", args=["partnership-a", report_a.pk])).text

    # Printed as the published report is (print.css), with its Draft notice on paper.
    assert 'href="/static/css/print.css" media="print"' in page
    printed = _printed(page)
    assert "Draft This is the report as it will be published" in printed
    assert "It is not published yet" in printed
    # The editor's warnings and buttons are for the screen.
    assert "not explained in the glossary" in page
    assert "not explained in the glossary" not in printed


@pytest.mark.django_db
def test_an_overdue_mark_prints_black_on_white():
    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()
    printed = css[css.index("@media print", css.index(".app-overdue {")) :]
    rule = printed[
        printed.index(".app-overdue {") : printed.index("}", printed.index(".app-overdue {"))
    ]
    assert "color: #0b0c0c" in rule and "outline: 2px solid #0b0c0c" in rule
