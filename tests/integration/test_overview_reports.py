"""Overview reports (seed 004): filed under one partnership, they show each covered
partnership's headline figures. What they show is frozen as any published report's is:
locked (a change needs a reason; imports refuse it) and listed as a revision, by the
partnership whose figures they are; what they do not show is not."""

import csv
import datetime
import importlib
import io
import re
from decimal import Decimal

import pytest
from django.apps import apps

from csp_portal.core.models import Partnership
from indicators import importing
from indicators import services as figure_services
from indicators.models import Actual, FigureChange, Indicator
from reports import rendering, selectors, services
from reports.builder import plain
from reports.models import Report, ReportVersion
from tests.factories import PartnershipFactory, ReportFactory, ThemeGroupFactory
from tests.factories.series import actuals_create, indicators_with_history
from tests.integration.test_import import write_csv

NOV_2016 = datetime.date(2016, 11, 1)
OCT_2016 = datetime.date(2016, 10, 1)


def overview(owner, *covers, title="Partnerships overview", period=NOV_2016) -> Report:
    report = ReportFactory(partnership=owner, kind=Report.Kind.OVERVIEW, title=title, period=period)
    report.covers.set(covers)
    return report


def _csv_rows(text: str) -> list[dict]:
    # Read past the byte-order mark, as Excel and the imports do.
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def publish(report):
    return services.report_publish(report=report, by=None, documents=False).version


def change_figure(indicator, period, value, *, reason):
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(indicator, period, Decimal(value))],
        by=None,
        reason=reason,
    )


def import_actual(folder, indicator, period, value):
    write_csv(
        folder,
        "actuals",
        [
            {
                "partnership": indicator.partnership.slug,
                "indicator": indicator.code,
                "period": f"{period:%Y-%m}",
                "value": str(value),
            }
        ],
    )
    return importing.import_path(folder, by=None)


@pytest.fixture
def covered(partnership_b):
    """An indicator of a partnership the overview covers, filed under another."""
    return indicators_with_history(partnership_b, 1, last=NOV_2016)[0]


@pytest.fixture
def own(partnership_a):
    return indicators_with_history(partnership_a, 1, last=NOV_2016)[0]


@pytest.mark.django_db
def test_an_overview_locks_the_figures_it_shows_of_a_covered_partnership(
    partnership_a, partnership_b, own, covered
):
    publish(overview(partnership_a, partnership_a, partnership_b))

    with pytest.raises(figure_services.FigureLocked):
        change_figure(covered, OCT_2016, 500, reason="")
    with pytest.raises(figure_services.FigureLocked):
        change_figure(own, OCT_2016, 500, reason="")

    assert Actual.objects.get(indicator=covered, period=OCT_2016).value != 500
    assert not FigureChange.objects.exists()


@pytest.mark.django_db
def test_an_import_changing_a_figure_an_overview_showed_is_refused_naming_it(
    tmp_path, partnership_a, partnership_b, covered
):
    publish(overview(partnership_a, partnership_a, partnership_b, title="CSP overview"))
    before = Actual.objects.get(indicator=covered, period=OCT_2016).value

    with pytest.raises(importing.ImportFailed) as failed:
        import_actual(tmp_path, covered, OCT_2016, 500)

    assert failed.value.report.errors == [
        f"actuals.csv row 2: {covered.code} 2016-10 is in the published report 'CSP overview'; "
        "change it on the month sheet with a reason"
    ]
    assert Actual.objects.get(indicator=covered, period=OCT_2016).value == before


@pytest.mark.django_db
def test_an_overview_locks_nothing_of_the_partnership_it_is_filed_under_unless_it_covers_it(
    tmp_path, partnership_a, partnership_b, own, covered
):
    third = PartnershipFactory(slug="partnership-c", name="Partnership C")
    indicators_with_history(third, 1, last=NOV_2016)
    publish(overview(partnership_a, partnership_b, third))

    change_figure(own, OCT_2016, 500, reason="")
    import_actual(tmp_path, own, datetime.date(2016, 9, 1), 96)

    assert Actual.objects.get(indicator=own, period=OCT_2016).value == 500
    assert Actual.objects.get(indicator=own, period=datetime.date(2016, 9, 1)).value == 96
    with pytest.raises(figure_services.FigureLocked):
        change_figure(covered, OCT_2016, 500, reason="")


@pytest.mark.django_db
def test_an_overview_locks_only_the_indicators_its_blocks_show(partnership_a, partnership_b):
    shown = indicators_with_history(partnership_b, 1, last=NOV_2016)[0]
    # No figure this year: the overview leaves it out of its block.
    old = indicators_with_history(partnership_b, 1, last=datetime.date(2016, 1, 1), months=6)[0]
    publish(overview(partnership_a, partnership_a, partnership_b))

    change_figure(old, datetime.date(2015, 12, 1), 1, reason="")

    assert Actual.objects.get(indicator=old, period=datetime.date(2015, 12, 1)).value == 1
    with pytest.raises(figure_services.FigureLocked):
        change_figure(shown, datetime.date(2015, 12, 1), 1, reason="")


@pytest.mark.django_db
def test_an_overview_locks_a_quarter_only_once_it_has_ended_by_its_month(
    partnership_a, partnership_b
):
    quarterly = indicators_with_history(partnership_b, 1, last=NOV_2016)[0]
    Indicator.objects.filter(pk=quarterly.pk).update(frequency=Indicator.Frequency.QUARTERLY)
    Actual.objects.filter(indicator=quarterly).delete()
    actuals_create(
        quarterly,
        {datetime.date(2016, 4, 1): 300, datetime.date(2016, 7, 1): 310, OCT_2016: 320},
    )
    quarterly.refresh_from_db()
    publish(overview(partnership_a, partnership_a, partnership_b))

    change_figure(quarterly, OCT_2016, 330, reason="")  # October to December: under way

    with pytest.raises(figure_services.FigureLocked):
        change_figure(quarterly, datetime.date(2016, 7, 1), 330, reason="")


@pytest.mark.django_db
def test_a_target_an_overview_rated_a_covered_indicator_against_is_locked(
    partnership_a, partnership_b, covered
):
    figure_services.target_set(
        indicator=covered, financial_year=2016, kind="annual", value=Decimal(1500), by=None
    )
    publish(overview(partnership_a, partnership_a, partnership_b, title="CSP overview"))

    assert figure_services.target_locked_by(covered, 2016) == figure_services.TargetLock(
        "CSP overview", rated=True
    )


@pytest.mark.django_db
def test_a_published_overview_gives_notice_of_a_covered_figure_revised_since(
    client, partnership_a, partnership_b, covered, admin_user
):
    report = overview(partnership_a, partnership_a, partnership_b)
    publish(report)
    client.force_login(admin_user)  # may read both partnerships' live figures
    assert b"Figures revised" not in client.get(report.get_absolute_url()).content
    was = plain(Actual.objects.get(indicator=covered, period=OCT_2016).value)

    change_figure(covered, OCT_2016, 500, reason="late crimes added")
    response = client.get(report.get_absolute_url())

    assert [(r.code, r.what, r.old, r.new) for r in response.context["revisions"]] == [
        (covered.code, "October 2016", was, "500")
    ]
    assert b"Figures revised" in response.content
    # Its partnerships share indicator codes: each line names whose figure it is.
    assert f"{covered.title} ({covered.code}), {partnership_b.name}</th>" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_a_covered_partnerships_change_gives_the_filing_partnership_a_new_version(
    partnership_a, partnership_b, covered
):
    """The overview's page is kept under its own partnership's version alone, as any
    report page; a change to a partnership it showed renews that version
    (indicators.data_version.followed_by)."""
    publish(overview(partnership_a, partnership_a, partnership_b))
    before = Partnership.objects.get(pk=partnership_a.pk).data_version

    change_figure(covered, OCT_2016, 500, reason="late crimes added")

    assert Partnership.objects.get(pk=partnership_a.pk).data_version != before


@pytest.mark.django_db
def test_the_next_overview_lists_a_covered_figure_revised_since_the_last(
    partnership_a, partnership_b, covered
):
    Indicator.objects.filter(pk=covered.pk).update(
        theme_group=ThemeGroupFactory(partnership=partnership_b, name="Safer streets")
    )
    publish(overview(partnership_a, partnership_a, partnership_b))
    was = plain(Actual.objects.get(indicator=covered, period=OCT_2016).value)
    change_figure(covered, OCT_2016, 500, reason="late crimes added")
    later = overview(partnership_a, partnership_a, partnership_b, period=datetime.date(2016, 12, 1))

    snapshot = services.report_snapshot(later)

    blocks = {block["slug"]: block["revisions"] for block in snapshot["overview"]}
    assert blocks["partnership-a"] == []
    assert [(r["code"], r["old"], r["new"], r["reason"]) for r in blocks["partnership-b"]] == [
        (covered.code, was, "500", "late crimes added")
    ]
    html = rendering.render_document(snapshot)
    assert html.count("Figures revised since the last report") == 1
    assert 'aria-label="Revised figures for Partnership B"' in html
    revised = [
        (row["partnership"], row["figure"], row["value"], row["theme_group"])
        for row in _csv_rows(rendering.report_csv(snapshot))
        if row["figure"].startswith("revised_")
    ]
    assert revised == [
        ("partnership-b", "revised_figure_was", was, "Safer streets"),
        ("partnership-b", "revised_figure_now", "500", "Safer streets"),
        ("partnership-b", "revised_figure_reason", "late crimes added", "Safer streets"),
    ]


@pytest.mark.django_db
def test_a_partnerships_own_next_report_lists_a_figure_an_overview_showed_and_revised(
    partnership_a, partnership_b, covered
):
    publish(overview(partnership_a, partnership_a, partnership_b))
    change_figure(covered, OCT_2016, 500, reason="late crimes added")
    own_report = ReportFactory(partnership=partnership_b, period=datetime.date(2016, 12, 1))

    snapshot = services.report_snapshot(own_report)

    assert [(r["code"], r["new"]) for r in snapshot["revisions"]] == [(covered.code, "500")]


@pytest.mark.django_db
def test_looking_up_what_published_overviews_froze_is_one_query(
    partnership_a, partnership_b, covered, django_assert_num_queries
):
    for _ in range(3):
        publish(overview(partnership_a, partnership_a, partnership_b))

    with django_assert_num_queries(1):
        frozen = selectors.frozen_by([partnership_b.pk])

    assert len(frozen) == 3
    assert all(f.partnership_id == partnership_b.pk and f.shows(covered.pk) for f in frozen)


@pytest.mark.django_db
def test_overview_versions_published_before_are_filled_in_with_what_they_showed(
    partnership_a, partnership_b, own, covered
):
    migration = importlib.import_module("reports.migrations.0006_reportversion_partnerships_shown")
    version = publish(overview(partnership_b, partnership_a, partnership_b))
    ordinary = publish(ReportFactory(partnership=partnership_a))
    stored = ReportVersion.objects.get(pk=version.pk)
    # As the versions were: an overview named no indicator and no figure; no version said
    # whose figures it showed.
    ReportVersion.partnerships_shown.through.objects.all().delete()
    ReportVersion.objects.filter(pk=version.pk).update(
        indicator_ids=None, shown={**stored.shown, "indicators": {}}
    )

    migration.fill(apps, None)

    filled = ReportVersion.objects.get(pk=version.pk)
    assert filled.indicator_ids == sorted([own.pk, covered.pk])
    assert filled.shown == stored.shown
    assert set(filled.partnerships_shown.all()) == {partnership_a, partnership_b}
    assert list(ordinary.partnerships_shown.all()) == [partnership_a]


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("load_demo", "--no-users", stdout=io.StringIO())


@pytest.mark.django_db
def test_an_overview_prints_none_of_the_sections_of_the_partnership_it_is_filed_under(demo):
    from csp_portal.core.models import Partnership

    slugs = ("test-valley-csp", "safer-plymouth", "safer-sunderland")
    test_valley, plymouth, sunderland = (Partnership.objects.get(slug=s) for s in slugs)
    report = overview(test_valley, plymouth, sunderland)

    snapshot = services.report_snapshot(report)

    # Its introduction (section 1), its partnerships, then the definitions.
    assert [s["key"] for s in snapshot["sections"]] == ["definitions"]
    assert snapshot["actions"] is None and snapshot["commissioning"] is None
    assert snapshot["priorities"] == [] and snapshot["risks"]["risks"] == []
    text = rendering.render_document(snapshot)
    assert "Test Valley" not in text
    assert "2. Partnerships" in text
    for title in ("Action plan", "Commissioning", "Risks, issues and", "Priorities: successes"):
        assert title not in text


@pytest.mark.django_db
@pytest.mark.parametrize("introduction", ["", "The Probation Service joins every partnership."])
def test_an_overviews_partnerships_are_numbered_from_x_1_after_any_national_developments(
    partnership_a, partnership_b, introduction
):
    report = overview(partnership_a, partnership_a, partnership_b)
    report.introduction = introduction
    report.save()

    html = rendering.render_document(services.report_snapshot(report))

    numbers = re.findall(r'id="(?:national-developments|partnership-[\w-]+)">([\d.]+) ', html)
    assert numbers == (["2.1", "2.2", "2.3"] if introduction else ["2.1", "2.2"])


@pytest.mark.django_db
def test_an_overview_claims_figures_only_where_its_partnerships_have_some(
    partnership_a, partnership_b, covered
):
    """The demo's overview (seed 004's, no figures) said "with figures from April 2009 to
    March 2010"."""
    with_figures = rendering.render_document(
        services.report_snapshot(overview(partnership_a, partnership_a, partnership_b))
    )
    empty = PartnershipFactory(slug="partnership-c", name="Partnership C")
    without = rendering.render_document(
        services.report_snapshot(overview(partnership_a, empty, partnership_a, title="Empty"))
    )

    assert "with figures from April to November 2016" in with_figures
    assert "covering April to November 2016" in without


@pytest.mark.django_db
def test_an_overview_without_a_contact_officer_asks_any_partnership_it_covers(
    partnership_a, partnership_b
):
    report = overview(partnership_a, partnership_a, partnership_b)

    html = publish(report).html

    assert (
        "If you need this report in another format, such as large print or audio, ask any of "
        "the partnerships this report covers."
    ) in html


# The partnerships side by side ------------------------------------------------------------


@pytest.fixture
def compared(partnership_a, partnership_b):
    """An overview of A (two indicators, one with a target) and B (one, with no target)."""
    from indicators.models import Target

    with_target, _ = indicators_with_history(partnership_a, 2, last=NOV_2016)
    Target.objects.create(
        indicator=with_target, financial_year=2016, kind=Target.Kind.ANNUAL, value=Decimal(900)
    )
    indicators_with_history(partnership_b, 1, last=NOV_2016)
    return overview(partnership_a, partnership_a, partnership_b)


@pytest.mark.django_db
def test_an_overview_compares_its_partnerships_as_the_key_findings_count(compared):
    """Review finding: each partnership's tables followed one another, with nothing comparing
    the partnerships. The counts and shares are the key findings' (builder.key_findings)."""
    from reports.builder import key_findings

    snapshot = services.report_snapshot(compared)
    comparison = snapshot["overview_comparison"]

    assert [row["slug"] for row in comparison["rows"]] == ["partnership-a", "partnership-b"]
    for row, block in zip(comparison["rows"], snapshot["overview"], strict=True):
        findings = key_findings(block["indicators"])
        assert row["total"] == findings["total"]
        for kind in ("statuses", "directions"):

            def counted(items):
                return {i["key"]: (i["count"], i["pct"]) for i in items if i["count"]}

            assert counted(row[kind]) == counted(findings[kind])
            # Every partnership has the same columns, in the same order.
            assert [item["key"] for item in row[kind]] == [c["key"] for c in comparison[kind]]
    assert [c["key"] for c in comparison["statuses"]] == ["green", "amber", "red", "no_target"]
    a, b = comparison["rows"]
    assert (a["total"], b["total"]) == (2, 1)
    assert [item["count"] for item in b["statuses"]] == [0, 0, 0, 1]


@pytest.mark.django_db
def test_the_comparison_is_printed_before_the_partnerships_and_links_to_each(compared):
    html = rendering.render_document(services.report_snapshot(compared))

    numbers = re.findall(
        r'id="(?:partnerships-compared|partnership-[\w-]+)">([\d.]+) ([^<]+)<', html
    )
    assert numbers == [
        ("2.1", "The partnerships side by side"),
        ("2.2", "Partnership A"),
        ("2.3", "Partnership B"),
    ]
    start = html.index('id="partnerships-compared"')
    table = html[start : html.index('id="partnership-partnership-a"')]
    assert table.count('href="#partnership-partnership-b"') == 2  # status, then direction
    # Count and share together, named in each cell for a narrow screen.
    assert 'data-label="No target set">1 (100%)</td>' in table
    assert "app-stack" in table


@pytest.mark.django_db
def test_the_comparison_is_frozen_with_the_version_and_in_its_csv(compared):
    version = publish(compared)
    rows = [r for r in _csv_rows(version.csv) if r["figure"].startswith("overview_")]

    assert "The partnerships side by side" in version.html
    assert version.snapshot["overview_comparison"]["rows"][1]["slug"] == "partnership-b"
    b = {r["figure"]: r for r in rows if r["partnership"] == "partnership-b"}
    assert b["overview_indicators"]["value"] == "1"
    assert b["overview_status_no_target_count"]["value"] == "1"
    assert b["overview_status_no_target_count"]["title"] == "No target set"
    assert b["overview_status_no_target_pct"]["measure"] == "percentage"
    assert b["overview_status_green_count"]["value"] == "0"
    assert "overview_direction_improving_pct" in b


def _compared_html(blocks) -> str:
    from django.template.loader import render_to_string

    from reports.builder import overview_comparison

    comparison = overview_comparison(blocks)
    return render_to_string(
        "reports/_overview_comparison.html",
        {"s": {"overview_comparison": comparison}, "n": 2, "k": 1},
    )


def _ytd_entry(pk, direction, within):
    return {
        "id": pk,
        "status": "none",
        "direction": direction,
        "actions": [],
        "has_target": False,
        "polarity": "lower",
        "changes": {"ytd": {"z": None, "within": within}},
        "figures": {"variation": "common cause"},
    }


COMPARED_BLOCKS = [
    {
        "slug": "partnership-a",
        "name": "Partnership A",
        "indicators": [
            _ytd_entry(1, "deteriorating", False),
            _ytd_entry(2, "deteriorating", True),
            _ytd_entry(3, "improving", True),
        ],
    },
    {"slug": "partnership-c", "name": "Partnership C", "indicators": []},
]


def test_a_partnership_without_figures_is_said_to_have_none_not_zeros():
    """Reader review: a partnership with no figures read as a row of zeros ("Indicators 0,
    Green 0, Amber 0, Red 0"), which a reader may take as "no red indicators"."""
    html = _compared_html(COMPARED_BLOCKS)

    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)
    empty = [row for row in rows if "partnership-c" in row]
    assert len(empty) == 2  # status, then direction
    for row in empty:
        assert 'href="#partnership-partnership-c"' in row
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert cells == ["No figures for this period"]
    status, direction = empty
    # One cell across the counts (the indicators' too): the table keeps its columns.
    assert 'colspan="5"' in status and 'colspan="3"' in direction


def test_the_comparison_says_how_many_changes_are_within_normal_variation():
    """Reader review: the partnership's key findings say "Deteriorating 2 (1 within normal
    variation)"; the comparison left it out."""
    html = _compared_html(COMPARED_BLOCKS)

    assert (
        'data-label="Deteriorating">2 (67%) <span class="app-variation">'
        "(1 within normal variation)</span></td>"
    ) in html
    assert (
        'data-label="Improving">1 (33%) <span class="app-variation">'
        "(within normal variation)</span></td>"
    ) in html


def test_word_gives_a_cell_across_columns_one_cell():
    from docx import Document

    from reports import documents

    html = _compared_html(COMPARED_BLOCKS)
    word = Document(io.BytesIO(documents.render_docx(f"<main>{html}</main>", title="T", charts={})))

    status = word.tables[0]
    row = [c.text for c in status.rows[2].cells]
    assert row[0] == "Partnership C"
    assert set(row[1:]) == {"No figures for this period"}  # merged: one cell across
    assert len({id(c._tc) for c in status.rows[2].cells}) == 2


@pytest.mark.django_db
def test_the_comparisons_csv_counts_the_changes_within_normal_variation(compared):
    version = publish(compared)
    rows = [r for r in _csv_rows(version.csv) if r["figure"].startswith("overview_")]

    names = {r["figure"] for r in rows}
    assert "overview_direction_deteriorating_within_normal_variation_count" in names
    assert "overview_direction_improving_within_normal_variation_count" in names
    assert "overview_direction_stable_within_normal_variation_count" not in names


@pytest.mark.django_db
def test_an_overview_without_figures_compares_nothing(partnership_a, partnership_b):
    snapshot = services.report_snapshot(overview(partnership_a, partnership_a, partnership_b))

    html = rendering.render_document(snapshot)

    assert "partnerships-compared" not in html
    assert not [r for r in _csv_rows(rendering.report_csv(snapshot)) if "overview_" in r["figure"]]


@pytest.mark.django_db
def test_an_overviews_red_indicator_marks_its_actions_overdue_or_carried_over(compared):
    """Review finding: the partnership report lists its overdue actions (Appendix C) and says
    which are carried over from an earlier year's plan; an overview's red indicators listed
    theirs with neither."""
    from tests.factories.actions import ActionFactory, ObjectiveFactory

    snapshot = services.report_snapshot(compared)
    red = next(e for e in snapshot["overview"][0]["indicators"] if e["status"] == "red")
    indicator = Indicator.objects.get(pk=red["id"])
    this_year = ObjectiveFactory(plan__partnership=indicator.partnership, plan__title="Plan 16")
    last_year = ObjectiveFactory(
        plan__partnership=indicator.partnership, plan__title="Plan 15", plan__financial_year=2015
    )
    late = ActionFactory(objective=this_year, description="Late one", status="amber")
    on_time = ActionFactory(
        objective=this_year, description="Due later", status="red", due=datetime.date(2017, 3, 1)
    )
    carried = ActionFactory(
        objective=last_year, description="Older one", status="green", due=datetime.date(2016, 5, 1)
    )
    for action in (late, on_time, carried):
        action.indicators.add(indicator)

    html = rendering.render_document(services.report_snapshot(compared))

    listed = sorted(
        re.sub(r"<[^>]+>", "", item)
        for item in re.findall(r"<li>((?:(?!</li>).)*)</li>", html)
        if re.search("Late one|Due later|Older one", item)
    )
    lead = "(lead: Somewhere Police)"
    # Sorted both sides: the factories' references ("1.9", "1.10") depend on the tests before.
    assert listed == sorted(
        [
            f"{on_time.reference} Due later {lead}, due 1 March 2017: Red",
            # Green, so not overdue (as the action plan judges it), but from last year's plan.
            f"{carried.reference} Older one {lead}, due 1 May 2016: Green; carried over from an "
            "earlier year's plan (Plan 15, 2015/16)",
            f"Overdue {late.reference} Late one {lead}, due 30 September 2016: Amber",
        ]
    )
    assert 'class="govuk-tag app-overdue">Overdue</strong>' in html


@pytest.mark.django_db
def test_the_comparison_is_a_word_table_with_a_repeating_header_row(compared):
    import docx
    from docx.oxml.ns import qn

    from reports import documents

    html = rendering.render_document(services.report_snapshot(compared))
    document = docx.Document(io.BytesIO(documents.render_docx(html, title="O", charts={})))

    tables = [t for t in document.tables if t.rows[0].cells[0].text == "Partnership"]
    assert len(tables) == 2  # status, then direction
    status = tables[0]
    assert status.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert (
        status._tbl.tblPr.find(qn("w:tblCaption"))
        .get(qn("w:val"))
        .startswith("Status against target to date, by partnership")
    )
    assert [c.text for c in status.rows[0].cells] == [
        "Partnership", "Indicators", "Green", "Amber", "Red", "No target set",
    ]  # fmt: skip
    assert [c.text for c in status.rows[2].cells] == [
        "Partnership B",
        "1",
        *["0 (0%)"] * 3,
        "1 (100%)",
    ]
