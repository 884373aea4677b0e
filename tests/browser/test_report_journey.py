"""A report's journey in a real browser: an officer builds and publishes it, a panel member
reads it (and downloads the PDF when the renderer is installed). axe-core on every page."""

import datetime
import importlib.util
import itertools

import pytest
from playwright.sync_api import expect

from csp_portal.core.models import Membership
from reports.models import Report, ReportVersion
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import MeetingFactory, MembershipFactory, PartnershipFactory, UserFactory
from tests.factories.series import hate_crime_indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HAS_PDF = importlib.util.find_spec("reports.documents") is not None


@pytest.fixture
def plymouth():
    partnership = PartnershipFactory(name="Safer Plymouth", slug="safer-plymouth", area="Plymouth")
    MeetingFactory(
        partnership=partnership,
        title="Safer Plymouth scrutiny panel",
        date=datetime.date(2017, 1, 24),
    )
    officer = MembershipFactory(
        user=UserFactory(username="olu", first_name="Olu", last_name="Officer"),
        partnership=partnership,
        role=Membership.Role.OFFICER,
    ).user
    panel = MembershipFactory(
        user=UserFactory(username="pat", first_name="Pat", last_name="Panel"),
        partnership=partnership,
        role=Membership.Role.PANEL_MEMBER,
    ).user
    hate_crime_indicator(partnership)
    return partnership, officer, panel


def test_officer_publishes_report_and_panel_member_reads_it(page, live_server, plymouth, settings):
    settings.REPORTS_MAKE_DOCUMENTS = True  # the real PDF, when its renderer is installed
    partnership, officer, panel = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/p/{partnership.slug}/reports/")
    assert_accessible(page)
    page.get_by_role("link", name="Create a report").click()

    # A mistake first: the error summary names it and nothing is saved.
    page.get_by_role("button", name="Create report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for the report")
    assert_accessible(page)
    assert not Report.objects.exists()

    page.get_by_label("Title").fill("Hate crime update")
    page.get_by_label("Month the figures run to").fill("2016-11")
    page.get_by_label("Meeting", exact=True).select_option(
        label="Safer Plymouth scrutiny panel, 24 January 2017"
    )
    page.get_by_role("button", name="Create report").click()
    expect(page.get_by_role("heading", name="Edit the report")).to_be_visible()
    page.get_by_label("Comment on Police recorded hate crime (SP 09)").fill(
        "Awareness week in October brought more reports; the MAPPA helped."
    )
    page.get_by_role("button", name="Save and preview").click()

    expect(page.get_by_role("heading", name="Hate crime update", level=1)).to_be_visible()
    expect(page.locator("#indicator-" + str(partnership.indicators.get().pk))).to_contain_text(
        "287 hate crimes recorded, 68 more than the same period last year"
    )
    # The editor is told of what the glossary leaves unexplained, and may publish anyway.
    unexplained = "MAPPA is not explained in the glossary: add it under Other terms."
    expect(page.locator(".app-text-warnings + ul")).to_contain_text(unexplained)
    assert_accessible(page)
    page.get_by_role("link", name="Publish").first.click()
    expect(page.locator(".app-text-warnings + ul")).to_contain_text(unexplained)
    assert_accessible(page)
    page.get_by_role("button", name="Publish the report").click()
    if HAS_PDF:  # the files are made while the page shows each step
        page.get_by_role("link", name="Read the published report").click(timeout=180_000)
    expect(page.get_by_text("Version 1, published")).to_be_visible()
    assert ReportVersion.objects.count() == 1

    page.context.clear_cookies()
    sign_in(page, live_server, panel.username)
    page.goto(f"{live_server.url}/p/{partnership.slug}/")
    page.get_by_role("link", name="Reports to the scrutiny panel").click()
    page.get_by_role("link", name="Hate crime update").click()
    expect(page.get_by_role("heading", name="Contents")).to_be_visible()
    expect(page.locator("article")).to_contain_text("Awareness week in October")
    expect(page.get_by_text("Edit the draft")).to_have_count(0)
    assert_accessible(page)
    if HAS_PDF:
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the PDF").click()
        assert download.value.suggested_filename.endswith(".pdf")
    else:
        expect(page.get_by_text("PDF not yet available")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every figure as CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


def _published(partnership, **fields) -> Report:
    """A hate crime update to November 2016, published (without its PDF and Word)."""
    from reports import services

    report = Report.objects.create(
        partnership=partnership,
        title="Hate crime update",
        period=datetime.date(2016, 11, 1),
        meeting_kind="scrutiny_panel",
        meeting_date=datetime.date(2017, 1, 24),
        **fields,
    )
    services.report_publish(report=report, by=None, documents=False)
    return report


def _on_a_phone(page, live_server, username, report, width=375) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server, username)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")


def test_panel_member_reads_a_report_chart_on_a_phone(page, live_server, plymouth):
    partnership, _, panel = plymouth
    _on_a_phone(page, live_server, panel.username, _published(partnership))

    chart = page.locator("[data-chart-id]").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".xtick").first).to_be_visible()
    # The plot keeps most of the width: line labels take only what they reach past its
    # edge (here last year's, at March), and the axis title goes (the subtitle names the
    # measure). It had 61%.
    plot, width = chart.evaluate("e => [e._fullLayout._size.w, e.clientWidth]")
    assert plot >= 0.65 * width, (plot, width)
    # ... and its month names stay level, and apart (they ran together as
    # "AugOctDecFeb"): every other month at least, the table names them all.
    ticks = chart.locator(".xtick text")
    assert 3 <= ticks.count() <= 6
    assert all("rotate" not in (t.get_attribute("transform") or "") for t in ticks.all())
    boxes = [t.bounding_box() for t in ticks.all()]
    assert all(a["x"] + a["width"] + 4 <= b["x"] for a, b in itertools.pairwise(boxes))
    # The line labels, placed for a wider chart, are pushed apart where they would meet.
    labels = [a.bounding_box() for a in chart.locator(".annotation").all()]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            across = a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            level = a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]
            assert not (across and level), (a, b)
    assert_accessible(page)


LONG_URL = (
    "https://www.plymouth.gov.uk/documents/scrutiny?id="
    + "averyveryverylongdocumentidentifier" * 3
    + "&format=pdf"
)
LONG_EMAIL = "jane.averyveryverylongsurname.community.safety.analyst@plymouth.gov.uk"
PHONE_WIDTH = 375


def test_long_addresses_in_a_report_wrap_on_a_phone(page, live_server, plymouth):
    # A contact officer's long e-mail address and a long web address in the summary and
    # background papers pushed the page to 1,509 px wide at 375 px.
    partnership, _, panel = plymouth
    report = _published(
        partnership,
        contact_officer=LONG_EMAIL,
        executive_summary=f"The strategy is at {LONG_URL}",
        background_papers=LONG_URL,
    )
    _on_a_phone(page, live_server, panel.username, report, PHONE_WIDTH)
    expect(page.locator("article")).to_contain_text(LONG_EMAIL)

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH + 2, f"the report is {width} px wide at {PHONE_WIDTH} px"


def test_the_revision_notice_fits_a_phone(page, live_server, plymouth):
    # Its table, outside the wrapper every other table has, widened the page.
    from decimal import Decimal

    from indicators import services as figure_services
    from tests.factories import IndicatorFactory

    partnership, _, panel = plymouth
    satisfaction = IndicatorFactory(
        partnership=partnership,
        code="SP 08",
        title='Level Two Indicator: "ist" incidents satisfaction rate',
        measure="percentage",
    )
    october, november = datetime.date(2016, 10, 1), datetime.date(2016, 11, 1)
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(satisfaction, november, Decimal(80), 800, 1000)],
        by=None,
    )
    report = _published(partnership)
    figure_services.actuals_save(
        entries=[
            figure_services.FigureInput(satisfaction, october, Decimal(50), 5, 10),
            figure_services.FigureInput(satisfaction, november, Decimal("80.5"), 805, 1000),
        ],
        by=None,
        reason="Late survey returns",
    )
    _on_a_phone(page, live_server, panel.username, report, PHONE_WIDTH)
    expect(page.get_by_role("heading", name="Figures revised")).to_be_visible()

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH + 2, f"the report is {width} px wide at {PHONE_WIDTH} px"


def _satisfaction(partnership):
    """A percentage with a target, as seed 000's SP 08: its figures read "88.4% (61 of 69)"."""
    from decimal import Decimal

    from indicators.models import Indicator
    from tests.factories import ActualFactory, IndicatorFactory, TargetFactory

    indicator = IndicatorFactory(
        partnership=partnership,
        code="SP 08",
        title="Victims satisfied with the service they received from the police",
        unit="",
        measure=Indicator.Measure.PERCENTAGE,
        polarity=Indicator.Polarity.HIGHER,
    )
    for year in (2015, 2016):
        for month in range(4, 12):
            ActualFactory(
                indicator=indicator,
                period=datetime.date(year, month, 1),
                value=Decimal(100 * (7 + month % 3)) / 9,
                numerator=Decimal(7 + month % 3),
                denominator=Decimal(9),
            )
    TargetFactory(indicator=indicator, financial_year=2016, value=Decimal(90))


def test_a_printed_report_keeps_each_figure_in_its_column(page, live_server, plymouth):
    """Review finding: printed from the browser, the summary tables' fixed columns kept
    figures on one line, so "88.4% (61 of 69)" ran over the next column's "No figure"."""
    partnership, _, panel = plymouth
    _satisfaction(partnership)
    report = _published(partnership)
    page.set_viewport_size({"width": 643, "height": 900})  # A4's text width in print.css
    sign_in(page, live_server, panel.username)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    page.emulate_media(media="print")

    overflowing = page.evaluate(
        """() => [...document.querySelectorAll(
            '.app-report__summary td, .app-report__summary th,'
            + ' .app-report__table td, .app-report__table th')]
            .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
            .map(cell => cell.textContent.trim())"""
    )

    assert overflowing == []


def test_a_link_tabbed_to_in_a_sideways_table_is_in_view(page, live_server, plymouth):
    """Review finding: at 375 px, Tab from one row's link to the next left the second
    link scrolled almost out of its table (2 of 115 px showed), the browser scrolling
    nothing into view that already shows a little."""
    partnership, officer, _ = plymouth
    for _ in range(2):
        _published(partnership)
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/p/{partnership.slug}/reports/")
    first = page.locator(".app-table-scroll a").first
    first.focus()

    hidden = []
    for _ in range(page.locator(".app-table-scroll a").count()):
        hidden += page.evaluate(
            """() => {
                const focused = document.activeElement;
                const table = focused.closest('.app-table-scroll');
                if (!table) return [];
                const box = focused.getBoundingClientRect(), view = table.getBoundingClientRect();
                const shown = box.left >= view.left - 1 && box.right <= view.right + 1;
                return shown ? [] : [focused.textContent.trim()];
            }"""
        )
        page.keyboard.press("Tab")

    assert hidden == []


def test_the_12_month_table_fits_its_box_and_a_phone(page, live_server, plymouth):
    """With its 12 months before (review finding), the 12-month table has seven columns:
    at 1280 px they fit the 960 px page, no scrolling; on a phone the table scrolls in its
    own box and the page stays the phone's width."""
    from decimal import Decimal

    from indicators import periods
    from opendata.models import ForceCount
    from tests.factories import IndicatorFactory
    from tests.factories.series import actuals_create

    partnership, _, panel = plymouth
    partnership.population, partnership.households = 262_100, 115_000
    partnership.save()
    crime_types = ["Burglary", "Robbery", "Theft from the person", "Vehicle crime"]
    indicator = IndicatorFactory(
        partnership=partnership,
        code="SP 03",
        title="Reduce violence with injury (excluding domestic abuse)",
        rate_per="households",
        police_uk_crime_types=";".join(crime_types),
    )
    months = [periods.add_months(datetime.date(2014, 12, 1), i) for i in range(24)]
    actuals_create(indicator, {m: 11_000 if i < 12 else 12_500 for i, m in enumerate(months)})
    ForceCount.objects.bulk_create(
        ForceCount(partnership=partnership, force="Devon & Cornwall Police", period=m,
                   crime_type=t, count=10_000 if i < 12 else 9_500)
        for i, m in enumerate(months) for t in crime_types
    )  # fmt: skip
    # A percentage beside it: its change in points.
    share = IndicatorFactory(
        partnership=partnership,
        code="SP 08",
        title="Victims satisfied with the service they received from the police",
        measure="percentage",
    )
    actuals_create(share, {m: Decimal("72.5" if i < 12 else "84.9") for i, m in enumerate(months)})
    report = _published(partnership)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, panel.username)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    table = page.locator('[aria-label="The last 12 months"] table')
    expect(table.locator("thead th")).to_have_count(7)

    fits = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert fits[0] <= fits[1], f"the table is {fits[0]} px in its {fits[1]} px box"
    # Printed from the browser, each figure stays in its cell.
    page.set_viewport_size({"width": 643, "height": 900})  # A4's text width in print.css
    page.emulate_media(media="print")
    overflowing = table.evaluate(
        """t => [...t.querySelectorAll('th, td')]
            .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
            .map(cell => cell.textContent.trim())"""
    )
    assert overflowing == []
    page.emulate_media(media="screen")
    # Opened on the phone: the charts are drawn for its width.
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH + 2, f"the report is {width} px wide at {PHONE_WIDTH} px"
