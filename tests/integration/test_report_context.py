"""The report's crime-in-context sections: the 12- and 3-month table with rates and the
force's change, similar areas and neighbours, hotspots with [c] and solved crimes.

Shown only when their data exists; in the HTML, the PDF, the Word file and the CSV."""

import csv
import datetime
import io
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from indicators import periods
from opendata.models import CspOffenceCount, ForceCount, LsoaWard, OffenceMapping, Peer
from reports import documents, rendering, services
from tests.factories import IndicatorFactory, ReportFactory
from tests.factories.series import actuals_create

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "police_uk"
JAN_2024 = datetime.date(2024, 1, 1)
NOV_2016 = datetime.date(2016, 11, 1)
SAC = ["Burglary", "Robbery", "Theft from the person", "Vehicle crime"]
HEADINGS = (
    "The last 12 months and the last 3",
    "Comparison with similar areas",
    "Comparison with neighbours",
    "Hotspots",
    "Solved crimes: outcomes",
)


@pytest.fixture
def plymouth(partnership_a):
    partnership_a.local_authorities = "Plymouth"
    partnership_a.population = 250_000
    partnership_a.households = 100_000
    partnership_a.save()
    return partnership_a


@pytest.fixture
def sac(plymouth):
    return IndicatorFactory(
        partnership=plymouth, code="SAC", title="Serious acquisitive crime",
        police_uk_crime_types=";".join(SAC),
    )  # fmt: skip


@pytest.fixture
def imported(plymouth, sac):
    call_command("import_police_uk", str(SAMPLE), partnership=plymouth.slug, stdout=io.StringIO())
    return sac


def _plain(month: str, where) -> Counter:
    """Plymouth's SAC rows of the month by LSOA code: a plain csv pass."""
    path = SAMPLE / month / f"{month}-devon-and-cornwall-street.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return Counter(
            row["LSOA code"]
            for row in csv.DictReader(handle)
            if row["LSOA name"].startswith("Plymouth ") and row["Crime type"] in SAC and where(row)
        )


def _png() -> bytes:
    """A blank stand-in for a chart image (no browser in these tests)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (90, 46), "white").save(out, "PNG")
    return out.getvalue()


def _snapshot(partnership, period):
    return services.report_snapshot(ReportFactory(partnership=partnership, period=period))


@pytest.mark.django_db
def test_hotspots_show_top_areas_and_hide_small_counts(imported):
    counts = _plain("2024-01", lambda row: True)

    hotspots = _snapshot(imported.partnership, JAN_2024)["context"]["hotspots"]

    [section] = hotspots
    shown = [(row["code"], row["shown"]) for row in section["top"]]
    expected = sorted(((c, n) for c, n in counts.items() if n >= 5), key=lambda i: -i[1])
    assert [n for _, n in shown] == [str(n) for _, n in expected[:10]]
    assert section["small"] == sum(1 for n in counts.values() if 1 <= n <= 4)
    assert section["total_shown"] == f"{sum(counts.values()):,}"
    assert section["month_label"] == "January 2024"


@pytest.mark.django_db
def test_ward_counts_of_one_to_four_are_c_in_every_output(imported):
    counts = _plain("2024-01", lambda row: True)
    small = next(code for code, n in counts.items() if 1 <= n <= 4)
    big = max(counts, key=counts.get)
    LsoaWard.objects.create(partnership=imported.partnership, lsoa_code=small, ward_name="Tiny")
    LsoaWard.objects.create(partnership=imported.partnership, lsoa_code=big, ward_name="Busy")
    report = ReportFactory(partnership=imported.partnership, period=JAN_2024)
    snapshot = services.report_snapshot(report)
    html = rendering.render_document(snapshot)

    wards = {w["name"]: w["shown"] for w in snapshot["context"]["hotspots"][0]["wards"]}
    assert wards["Tiny"] == "[c]" and wards["Busy"] == str(counts[big])
    assert str(counts[small]) not in [w for w in wards.values()]
    assert '>Tiny</th><td class="govuk-table__cell govuk-table__cell--numeric">[c]</td>' in html
    text = rendering.report_csv(snapshot)
    assert ",ward_count,2024-01,[c],Tiny,\n" in text
    assert f",ward_count,2024-01,{counts[big]},Busy,\n" in text
    charts = services.chart_specs(snapshot)
    images = dict.fromkeys(charts, _png())
    pdf = documents.render_pdf(html, title="T", charts=charts, images=images)
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Tiny" in pdf_text and "[c]" in pdf_text and "Hotspots" in pdf_text
    word = docx.Document(
        io.BytesIO(documents.render_docx(html, title="T", charts=charts, images=images))
    )
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "[c]" in cells and "Tiny" in cells
    assert any(p.style.name.startswith("Heading") and "Hotspots" in p.text for p in word.paragraphs)


@pytest.mark.django_db
def test_solved_crimes_share_matches_a_plain_count(imported):
    charged = sum(_plain(m, lambda r: r["Last outcome category"] in {
        "Awaiting court outcome", "Court result unavailable", "Offender sent to prison",
        "Suspect charged as part of another case", "Offender fined",
    }).total() for m in ("2024-01",))  # fmt: skip
    total = sum(_plain(m, lambda r: r["Last outcome category"] != "").total() for m in ("2024-01",))

    [row] = _snapshot(imported.partnership, JAN_2024)["context"]["outcomes"]

    assert (row["charged"], row["total"]) == (charged, total)
    assert Decimal(row["pct"]) == Decimal(charged) / Decimal(total) * 100


@pytest.mark.django_db
def test_core_table_with_rate_per_households_and_the_force_change(sac):
    sac.rate_per = "households"
    sac.save()
    # 24 months to November 2016: 100 a month, then 110 a month.
    first = datetime.date(2014, 12, 1)
    months = [periods.add_months(first, i) for i in range(24)]
    actuals_create(sac, {m: 100 if i < 12 else 110 for i, m in enumerate(months)})
    # The force: each of the four types 1,000 a month, then 950 (-5%).
    ForceCount.objects.bulk_create(
        ForceCount(partnership=sac.partnership, force="Devon & Cornwall Police", period=m,
                   crime_type=t, count=1000 if i < 12 else 950)
        for i, m in enumerate(months) for t in SAC
    )  # fmt: skip

    snapshot = _snapshot(sac.partnership, NOV_2016)
    [row] = snapshot["context"]["core"]

    # 12 x 110 = 1,320 against 1,200: +120, +10%; per 1,000 of 100,000 households: 13.2.
    assert row["year"]["current"] == "1320" and row["year"]["change"] == "120"
    assert Decimal(row["year"]["change_pct"]) == 10
    assert Decimal(row["rate"]) == Decimal("13.2") and row["rate_per"] == "households"
    assert Decimal(row["quarter"]["change_pct"]) == 10  # 330 against 300
    assert Decimal(row["force_change_pct"]) == -5
    html = rendering.render_document(snapshot)
    assert '13.2 <span class="app-report__per">per 1,000 households</span>' in html
    assert "Force change (%)" in html and "Devon &amp; Cornwall Police" in html
    # Changes to no decimals, as everywhere else in the report.
    assert "−5%" in html and "+10%" in html
    assert "(quarterly: to" not in html  # a monthly indicator's windows end at the period
    assert "so no change over the year is shown" not in html


@pytest.mark.django_db
def test_core_table_says_why_no_change_over_the_year_is_shown(sac):
    # 20 months: the 12 months before November 2016 are not all entered.
    first = datetime.date(2015, 4, 1)
    actuals_create(sac, {periods.add_months(first, i): 100 for i in range(20)})

    snapshot = _snapshot(sac.partnership, NOV_2016)

    assert snapshot["context"]["core_has_year_before"] is False
    assert "so no change over the year is shown" in rendering.render_document(snapshot)


def _core_tables(client, user, report) -> dict[str, list[list[str]]]:
    """The 12- and 3-month tables of the published report, as its page and its Word file
    (made from the stored HTML, as a download makes it) show them: rows of cell texts."""
    from html import unescape

    from django.urls import reverse

    version = services.report_publish(report=report, by=None, documents=False).version
    client.force_login(user)
    page = client.get(reverse("reports:detail", args=[report.partnership.slug, report.pk]))
    assert page.status_code == 200
    tables = {}
    for label in ("The last 12 months", "The last 3 months"):
        table = page.content.decode().split(f'aria-label="{label}"')[1].split("</table>")[0]
        tables[f"page: {label}"] = [
            [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in
             re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        ]  # fmt: skip
    charts = services.chart_specs(version.snapshot)
    made = documents.render_docx(
        version.html, title="T", charts=charts, images=dict.fromkeys(charts, _png())
    )
    word = docx.Document(io.BytesIO(made))
    for label, heading in (("The last 12 months", "12 months"), ("The last 3 months", "3 months")):
        [table] = [t for t in word.tables if t.rows[0].cells[1].text == heading]
        tables[f"word: {label}"] = [
            [" ".join(cell.text.split()) for cell in row.cells] for row in table.rows
        ]
    return tables


@pytest.mark.django_db
def test_core_table_gives_the_12_months_before_beside_its_change(client, officer_a, sac):
    """Review finding: the 12-month table printed the volume, change and % change but not
    the 12 months before (REPORT_CHECKLIST 8), which the 3-month table gives."""
    first = datetime.date(2014, 12, 1)
    months = [periods.add_months(first, i) for i in range(24)]
    actuals_create(sac, {m: 1000 if i < 12 else 1100 for i, m in enumerate(months)})
    ForceCount.objects.bulk_create(
        ForceCount(partnership=sac.partnership, force="Devon & Cornwall Police", period=m,
                   crime_type=t, count=1000 if i < 12 else 950)
        for i, m in enumerate(months) for t in SAC
    )  # fmt: skip

    tables = _core_tables(client, officer_a, ReportFactory(partnership=sac.partnership))

    for where in ("page", "word"):
        [head, row] = tables[f"{where}: The last 12 months"]
        assert head == [
            "Indicator", "12 months", "12 months before", "Change", "Change (%)",
            "Rate per 1,000", "Force change (%)",
        ]  # fmt: skip
        # 12 x 1,100 = 13,200 against 12 x 1,000 = 12,000: +1,200 (z = 10.7), +10%.
        assert row[1:5] == ["13,200", "12,000", "+1,200 beyond normal variation", "+10%"]
        [head, _] = tables[f"{where}: The last 3 months"]
        assert head[2] == "A year before"


@pytest.mark.django_db
def test_core_table_leaves_out_the_columns_no_indicator_can_fill(client, officer_a, sac):
    # April 2015 to November 2016: no whole 12 months before, so every row's 12 months
    # before, change and % change would be a dash.
    first = datetime.date(2015, 4, 1)
    actuals_create(sac, {periods.add_months(first, i): 100 + i for i in range(20)})

    tables = _core_tables(client, officer_a, ReportFactory(partnership=sac.partnership))

    for where in ("page", "word"):
        [head, row] = tables[f"{where}: The last 12 months"]
        assert head == ["Indicator", "12 months", "Rate per 1,000"]
        assert row[1:] == ["1,362", "5.4 per 1,000 people"]  # 108 to 119; of 250,000
        # The 3 months a year before are whole: that table keeps its columns.
        [head, row] = tables[f"{where}: The last 3 months"]
        assert head == ["Indicator", "3 months", "A year before", "Change", "Change (%)"]


@pytest.mark.django_db
def test_core_table_with_every_column_fits_the_printed_page(sac):
    from tests.integration.test_report_pdf_tables import _layout, _overruns

    sac.title = "Reduce violence with injury (excluding domestic abuse) and robbery"
    sac.rate_per = "households"
    sac.save()
    first = datetime.date(2014, 12, 1)
    months = [periods.add_months(first, i) for i in range(24)]
    actuals_create(sac, {m: 10_000 if i < 12 else 11_000 for i, m in enumerate(months)})
    ForceCount.objects.bulk_create(
        ForceCount(partnership=sac.partnership, force="Devon & Cornwall Police", period=m,
                   crime_type=t, count=10_000 if i < 12 else 9_500)
        for i, m in enumerate(months) for t in SAC
    )  # fmt: skip
    snapshot = _snapshot(sac.partnership, NOV_2016)
    html = rendering.render_document(snapshot)
    assert "12 months before</th>" in html and "Force change (%)" in html

    assert _overruns(_layout(html, snapshot)) == []


@pytest.mark.parametrize(
    ("rows", "columns"),
    [
        # (measure, previous, change, change_pct) of each row.
        ([("count", "10", "2", "20")], (True, True, True)),
        ([("count", None, None, None)], (False, False, False)),
        # A gap in the latest 12 months: the 12 before, but no change.
        ([("count", "10", None, None), ("count", None, None, None)], (True, False, False)),
        # A percentage's change is in points: its % change column would be all dashes.
        ([("percentage", "50.0", "2.0", "4")], (True, True, False)),
        # Zero the year before: a change, but no percentage of it.
        ([("count", "0", "3", None), ("percentage", "5.0", "1.0", "20")], (True, True, False)),
    ],
)
def test_core_year_columns_are_those_some_row_fills(rows, columns):
    from reports.context import core_year_columns

    core = [
        {"measure": m, "year": {"previous": p, "change": c, "change_pct": pct}}
        for m, p, c, pct in rows
    ]

    shown = core_year_columns(core)

    assert (shown["previous"], shown["change"], shown["change_pct"]) == columns


@pytest.mark.django_db
def test_core_table_counts_a_quarterly_indicator_to_the_last_quarter_ended(sac):
    sac.frequency = "quarterly"
    sac.save()
    # Quarters stored at their first month, July 2014 to October 2016: 300 each to July
    # 2015, then 330. November's report: Q3 2016/17 (October to December) is under way, so
    # the four quarters to September 2016 count, against the four before them.
    quarters = [periods.add_months(datetime.date(2014, 7, 1), 3 * i) for i in range(10)]
    actuals_create(sac, {q: 300 if q < datetime.date(2015, 10, 1) else 330 for q in quarters})

    snapshot = _snapshot(sac.partnership, NOV_2016)
    [row] = snapshot["context"]["core"]

    # Oct 2015 to Sep 2016: 4 x 330 = 1,320; Oct 2014 to Sep 2015: 4 x 300 = 1,200.
    assert (row["year"]["end"], row["year"]["current"], row["year"]["previous"]) == (
        "2016-09-01",
        "1320",
        "1200",
    )
    # Q2 2016/17 (July to September) against Q2 2015/16: 330 against 300.
    assert (row["quarter"]["current"], row["quarter"]["previous"]) == ("330", "300")
    html = rendering.render_document(snapshot)
    assert html.count("(quarterly: to September 2016)") == 2
    # Its table is named for what it holds, to a screen reader too.
    assert 'aria-label="Serious acquisitive crime: quarter by quarter"' in html


@pytest.mark.django_db
def test_no_denominator_or_no_force_data_leaves_those_cells_out(sac):
    sac.partnership.population = None
    sac.partnership.save()
    actuals_create(sac, {periods.add_months(datetime.date(2014, 12, 1), i): 5 for i in range(24)})

    snapshot = _snapshot(sac.partnership, NOV_2016)

    [row] = snapshot["context"]["core"]
    assert row["rate"] is None and row["force_change_pct"] is None
    assert "Force change (%)" not in rendering.render_document(snapshot)


def _home_office(force_name="Devon & Cornwall", illustrative=False, years_later=0):
    """Eight quarters, 2014/15 Q3 to 2016/17 Q2: Plymouth 100 then 90 a quarter, Torbay 50
    then 60, in the same force; Luton (another force) is left out of the neighbours."""
    quarters = [
        (2014, 3),
        (2014, 4),
        (2015, 1),
        (2015, 2),
        (2015, 3),
        (2015, 4),
        (2016, 1),
        (2016, 2),
    ]
    rows = []
    for i, (year, quarter) in enumerate(quarters):
        year += years_later
        for csp, before, after, force in (
            ("Plymouth", 100, 90, force_name), ("Torbay", 50, 60, force_name),
            ("Luton", 70, 70, "Bedfordshire"),
        ):  # fmt: skip
            rows.append(
                CspOffenceCount(
                    csp_name=csp, financial_year=year, quarter=quarter, offence_group="Burglary",
                    offence_subgroup="Domestic burglary", count=before if i < 4 else after,
                    force_name=force, illustrative=illustrative,
                )
            )  # fmt: skip
    CspOffenceCount.objects.bulk_create(rows)


@pytest.mark.django_db
# A group or subgroup, in any case; named both ways, each count once.
@pytest.mark.parametrize("names", ["Burglary", "domestic BURGLARY", "Domestic burglary;burglary"])
def test_neighbours_are_the_other_partnerships_of_the_force(sac, names):
    actuals_create(sac, {NOV_2016: 5})
    OffenceMapping.objects.create(indicator=sac, offence_groups=names)
    Peer.objects.create(
        partnership=sac.partnership, csp_name="Plymouth", population=250_000, is_self=True
    )
    Peer.objects.create(partnership=sac.partnership, csp_name="Luton", population=200_000)
    _home_office()

    snapshot = _snapshot(sac.partnership, NOV_2016)
    neighbours = snapshot["context"]["neighbours"]

    [indicator] = neighbours["indicators"]
    rows = {r["name"]: (r["current"], r["previous"], r["change"]) for r in indicator["rows"]}
    # Plymouth 4 x 90 = 360 against 400; Torbay 240 against 200; the force 600 against 600.
    assert rows == {"Plymouth": ("360", "400", "-40"), "Torbay": ("240", "200", "40")}
    assert (indicator["force"]["current"], indicator["force"]["change_pct"]) == ("600", "0")
    assert neighbours["quarter"] == "Q2 2016/17" and not neighbours["illustrative"]
    # Similar areas: Plymouth 90 per 250,000 = 0.36 per 1,000; Luton 70 per 200,000 = 0.35.
    [family] = snapshot["family"]
    assert family["sentence"] == "2nd of 2 (worst), unchanged"
    html = rendering.render_document(snapshot)
    assert "Comparison with neighbours" in html and "Comparison with similar areas" in html
    assert "Illustrative demo data" not in html


@pytest.mark.django_db
def test_neighbours_of_a_rate_indicator_are_titled_as_counts(sac):
    # The table holds Home Office counts; a rate indicator's title must not head them.
    sac.title, sac.measure = "Burglary rate per 1,000 population", "rate"
    sac.save()
    actuals_create(sac, {NOV_2016: 5})
    OffenceMapping.objects.create(indicator=sac, offence_groups="Burglary")
    Peer.objects.create(
        partnership=sac.partnership, csp_name="Plymouth", population=250_000, is_self=True
    )
    _home_office()

    snapshot = _snapshot(sac.partnership, NOV_2016)
    html = rendering.render_document(snapshot)

    [indicator] = snapshot["context"]["neighbours"]["indicators"]
    assert indicator["is_count"] is False
    assert "Recorded crimes behind burglary rate (SAC): Devon &amp; Cornwall partnerships" in html
    assert "numbers of crimes, not rates" in html and "Crimes, 4 quarters before" in html


@pytest.mark.django_db
def test_illustrative_home_office_figures_are_labelled(sac):
    actuals_create(sac, {NOV_2016: 5})
    OffenceMapping.objects.create(indicator=sac, offence_groups="Burglary")
    Peer.objects.create(
        partnership=sac.partnership, csp_name="Plymouth", population=250_000, is_self=True
    )
    _home_office(illustrative=True)

    snapshot = _snapshot(sac.partnership, NOV_2016)

    assert snapshot["context"]["neighbours"]["illustrative"]
    assert snapshot["context"]["family_illustrative"]
    assert rendering.render_document(snapshot).count("Illustrative demo data") == 2


@pytest.mark.django_db
def test_sections_are_absent_without_their_data_and_numbered_when_present(imported):
    html_empty = rendering.render_document(_snapshot(imported.partnership, NOV_2016))
    for heading in HEADINGS:
        assert heading not in html_empty

    snapshot = _snapshot(imported.partnership, JAN_2024)
    html = rendering.render_document(snapshot)

    assert snapshot["context"]["parts"] == ["hotspots", "outcomes"]
    # In an appendix of their own, after the performance appendix: the main report stays short.
    letter = rendering.document_context(snapshot)["appendices"]["context"]["letter"]
    assert letter == "B"
    assert "Appendix B. Crime in context" in html
    assert '<span class="app-para__no">B.1</span> Hotspots' in html
    assert '<span class="app-para__no">B.2</span> Solved crimes: outcomes' in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["detail", "preview", "csv"])
def test_context_sections_keep_page_queries_constant(
    client, officer_a, imported, page, django_assert_max_num_queries
):
    from django.urls import reverse

    from tests.integration.test_report_query_counts import queries

    partnership = imported.partnership
    Peer.objects.create(partnership=partnership, csp_name="Plymouth", population=1, is_self=True)
    _home_office(years_later=7)  # to 2023/24 Q2, recent for a report to January 2024

    def add(count):
        for _ in range(count):
            indicator = IndicatorFactory(partnership=partnership, police_uk_crime_types="Burglary")
            actuals_create(indicator, {JAN_2024: 5})
            OffenceMapping.objects.create(indicator=indicator, offence_groups="Burglary")

    client.force_login(officer_a)
    add(2)
    report = ReportFactory(partnership=partnership, period=JAN_2024)
    url = reverse(f"reports:{page}", args=[partnership.slug, report.pk])

    def count():
        services.report_publish(report=report, by=None, reason="Indicators added")
        return queries(client, url, django_assert_max_num_queries)

    few = count()
    add(20)
    assert count() == few
    snapshot = services.report_snapshot(report)
    assert snapshot["context"]["parts"] == ["family", "neighbours", "hotspots", "outcomes"]


@pytest.mark.django_db
def test_home_office_figures_over_a_year_old_are_not_compared(sac):
    actuals_create(sac, {datetime.date(2018, 11, 1): 5})
    OffenceMapping.objects.create(indicator=sac, offence_groups="Burglary")
    Peer.objects.create(
        partnership=sac.partnership, csp_name="Plymouth", population=1, is_self=True
    )
    _home_office()  # to 2016/17 Q2

    snapshot = _snapshot(sac.partnership, datetime.date(2018, 11, 1))

    assert snapshot["family"] == [] and snapshot["context"]["neighbours"] is None


@pytest.mark.django_db
def test_admins_set_the_denominators(client, admin_user, sac):
    from django.urls import reverse

    client.force_login(admin_user)
    indicator_page = client.get(reverse("admin:indicators_indicator_change", args=[sac.pk]))
    partnership_page = client.get(
        reverse("admin:core_partnership_change", args=[sac.partnership.pk])
    )

    assert 'name="rate_per"' in indicator_page.text
    assert 'name="households"' in partnership_page.text
    assert 'name="businesses"' in partnership_page.text


@pytest.mark.django_db
def test_force_change_counts_a_type_with_no_rows_in_an_imported_month_as_none(sac):
    first = datetime.date(2014, 12, 1)
    months = [periods.add_months(first, i) for i in range(24)]
    actuals_create(sac, {m: 10 for m in months})
    # Only burglary has rows: 40 a month, then 50 (+25%); robbery and the rest had none.
    ForceCount.objects.bulk_create(
        ForceCount(partnership=sac.partnership, force="F", period=m, crime_type="Burglary",
                   count=40 if i < 12 else 50)
        for i, m in enumerate(months)
    )  # fmt: skip

    [row] = _snapshot(sac.partnership, NOV_2016)["context"]["core"]

    assert Decimal(row["force_change_pct"]) == 25


@pytest.mark.django_db
def test_a_gap_in_the_latest_12_months_is_not_blamed_on_the_12_before(sac):
    # December 2014 to November 2016 but February 2016: the 12 months before are whole.
    months = [periods.add_months(datetime.date(2014, 12, 1), i) for i in range(24)]
    months.remove(datetime.date(2016, 2, 1))
    actuals_create(sac, {m: 100 for m in months})

    snapshot = _snapshot(sac.partnership, NOV_2016)

    assert snapshot["context"]["core"][0]["year"]["previous"] is not None
    assert "so no change over the year is shown" not in rendering.render_document(snapshot)


def _csv_values(snapshot, figure: str) -> list[tuple[str, str]]:
    """(area, value) of each report.csv row of ``figure``, in order."""
    text = rendering.report_csv(snapshot).lstrip("\ufeff")
    return [
        (r["area"], r["value"]) for r in csv.DictReader(io.StringIO(text)) if r["figure"] == figure
    ]


@pytest.mark.django_db
def test_core_table_changes_carry_their_normal_variation_test(sac):
    """Review finding: the 12- and 3-month tables printed changes in counts with no
    normal-variation label, though Appendix F says every such change is labelled."""
    first = datetime.date(2014, 12, 1)
    months = [periods.add_months(first, i) for i in range(24)]
    actuals_create(sac, {m: 100 if i < 12 else 110 for i, m in enumerate(months)})
    ForceCount.objects.bulk_create(
        ForceCount(partnership=sac.partnership, force="Devon & Cornwall Police", period=m,
                   crime_type=t, count=1000 if i < 12 else 950)
        for i, m in enumerate(months) for t in SAC
    )  # fmt: skip

    snapshot = _snapshot(sac.partnership, NOV_2016)
    [row] = snapshot["context"]["core"]

    # 1,320 against 1,200: z = 2(36.33 - 34.64) = 3.38; 330 against 300: z = 1.69; the
    # force, 45,600 against 48,000: z = -11.1.
    assert (row["year"]["within"], row["quarter"]["within"]) == (False, True)
    assert row["force_variation"]["within"] is False
    html = rendering.render_document(snapshot)
    core = html[html.index('id="rolling-year"') : html.index("Percentages change in percentage")]
    assert '+120 <span class="app-variation">beyond normal variation</span>' in core
    assert '+30 <span class="app-variation">within normal variation</span>' in core
    assert '−5% <span class="app-variation">beyond normal variation</span>' in core
    # The definitions say which changes are tested: these, and no neighbours'.
    tested = "in the crime in context tables the last 12 months, the last 3 months and the force"
    assert f"{tested}&#x27;s change." in html and "four quarters" not in html
    assert _csv_values(snapshot, "rolling_year_change_within_normal_variation") == [("", "false")]
    assert _csv_values(snapshot, "rolling_quarter_change_within_normal_variation") == [("", "true")]
    assert _csv_values(snapshot, "force_change_within_normal_variation") == [("", "false")]


@pytest.mark.django_db
def test_a_rate_or_percentage_in_the_core_table_is_not_tested(sac):
    sac.measure = "rate"
    sac.save()
    first = datetime.date(2014, 12, 1)
    actuals_create(sac, {periods.add_months(first, i): 100 if i < 12 else 110 for i in range(24)})

    snapshot = _snapshot(sac.partnership, NOV_2016)
    [row] = snapshot["context"]["core"]

    assert row["year"]["within"] is None and row["quarter"]["within"] is None
    core = rendering.render_document(snapshot)
    core = core[core.index('id="rolling-year"') : core.index("Percentages change in percentage")]
    assert "normal variation" not in core
    assert _csv_values(snapshot, "rolling_year_change_within_normal_variation") == [("", "")]


@pytest.mark.django_db
def test_neighbours_changes_carry_their_normal_variation_test(sac):
    actuals_create(sac, {NOV_2016: 5})
    OffenceMapping.objects.create(indicator=sac, offence_groups="Burglary")
    Peer.objects.create(
        partnership=sac.partnership, csp_name="Plymouth", population=250_000, is_self=True
    )
    _home_office()
    # Torbay's last four quarters 60 each, 240 against 200; another partnership, 300
    # against 200: z = 2(17.32 - 14.14) = 6.36, beyond normal variation.
    CspOffenceCount.objects.bulk_create(
        CspOffenceCount(csp_name="Exeter", financial_year=year, quarter=quarter,
                        offence_group="Burglary", offence_subgroup="Domestic burglary",
                        count=75 if (year, quarter) >= (2015, 3) else 50,
                        force_name="Devon & Cornwall")
        for year, quarter in ((2014, 3), (2014, 4), (2015, 1), (2015, 2), (2015, 3), (2015, 4),
                              (2016, 1), (2016, 2))
    )  # fmt: skip

    snapshot = _snapshot(sac.partnership, NOV_2016)
    [indicator] = snapshot["context"]["neighbours"]["indicators"]

    # Plymouth 360 against 400 (z = -2.05), Torbay 240 against 200 (z = 2.70): within;
    # the force, 900 against 800: z = 2(30 - 28.28) = 3.43, beyond.
    within = {r["name"]: r["within"] for r in indicator["rows"]}
    assert within == {"Plymouth": True, "Exeter": False, "Torbay": True}
    assert indicator["force"]["within"] is False
    html = rendering.render_document(snapshot)
    table = html[html.index('id="neighbours"') :]
    table = table[: table.index("</table>")]
    assert '−40 <span class="app-variation">within normal variation</span>' in table
    assert table.count('+100 <span class="app-variation">beyond normal variation</span>') == 2
    assert _csv_values(snapshot, "home_office_4_quarters_change_within_normal_variation") == [
        ("Plymouth", "true"),
        ("Exeter", "false"),
        ("Torbay", "true"),
        ("Devon & Cornwall", "false"),
    ]


@pytest.mark.django_db
def test_a_change_pct_column_is_whole_throughout(sac):
    """Review findings: one neighbours table's "Change (%)" column held −6%, +3%, +13% and
    −0.4% (a decimal only where the change rounded to 0%); then each column took a decimal
    for one such row, so one figure read +6% in one table and +6.1% in another. Whole
    throughout: a change that would read 0% says so."""
    actuals_create(sac, {NOV_2016: 5})
    OffenceMapping.objects.create(indicator=sac, offence_groups="Burglary")
    Peer.objects.create(
        partnership=sac.partnership, csp_name="Plymouth", population=250_000, is_self=True
    )
    _home_office()
    # Exeter 250 a quarter, then 249: 996 against 1,000 (−0.4%); the force 1,596 against
    # 1,600 (−0.25%). Plymouth 360 against 400 (−10%), Torbay 240 against 200 (+20%).
    CspOffenceCount.objects.bulk_create(
        CspOffenceCount(csp_name="Exeter", financial_year=year, quarter=quarter,
                        offence_group="Burglary", offence_subgroup="Domestic burglary",
                        count=249 if (year, quarter) >= (2015, 3) else 250,
                        force_name="Devon & Cornwall")
        for year, quarter in ((2014, 3), (2014, 4), (2015, 1), (2015, 2), (2015, 3), (2015, 4),
                              (2016, 1), (2016, 2))
    )  # fmt: skip

    snapshot = _snapshot(sac.partnership, NOV_2016)
    html = rendering.render_document(snapshot)

    table = html[html.index('id="neighbours"') :]
    table = table[: table.index("</table>")]
    cells = [
        cell.split("</td>")[0]
        for cell in table.split('govuk-table__cell--numeric">')[1:]
        if "%" in cell.split("</td>")[0]
    ]
    assert cells == ["−10%", "a fall of less than 1%", "+20%", "a fall of less than 1%"]
