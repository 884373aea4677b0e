"""User journeys in a real browser, each page checked with axe-core."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from csp_portal.core.models import Membership
from indicators import services
from indicators.models import Actual, Indicator
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    ActualFactory,
    IndicatorFactory,
    MeetingFactory,
    MembershipFactory,
    PartnershipFactory,
    ThemeGroupFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plymouth():
    partnership = PartnershipFactory(name="Safer Plymouth", slug="safer-plymouth", area="Plymouth")
    group = ThemeGroupFactory(partnership=partnership, name="Safe and Strong")
    MeetingFactory(
        partnership=partnership,
        title="Scrutiny panel",
        date=datetime.date.today() + datetime.timedelta(days=20),
    )
    officer = MembershipFactory(
        user=UserFactory(username="olu", first_name="Olu", last_name="Officer"),
        partnership=partnership,
        role=Membership.Role.OFFICER,
    ).user
    hate = IndicatorFactory(
        partnership=partnership,
        theme_group=group,
        code="SP 09",
        title="Police recorded hate crime",
        unit="hate crimes",
        polarity=Indicator.Polarity.MONITOR,
    )
    for month, value in zip(range(4, 13), [30, 25, 26, 17, 36, 25, 22, 38, 21], strict=False):
        ActualFactory(indicator=hate, period=datetime.date(2015, month, 1), value=value)
    for month, value in [(1, 20), (2, 53), (3, 32)]:
        ActualFactory(indicator=hate, period=datetime.date(2016, month, 1), value=value)
    for month, value in zip(range(4, 12), [17, 25, 32, 54, 37, 45, 42, 35], strict=True):
        ActualFactory(indicator=hate, period=datetime.date(2016, month, 1), value=value)
    return partnership, officer, hate


def test_officer_signs_in_and_opens_partnership(page, live_server, plymouth):
    _, officer, _ = plymouth
    sign_in(page, live_server, officer.username)
    assert_accessible(page)
    page.get_by_role("link", name="Safer Plymouth").click()
    page.wait_for_url(f"{live_server.url}/p/safer-plymouth/")
    expect(page.get_by_role("heading", name="Safer Plymouth", level=1)).to_be_visible()
    expect(page.get_by_text("Safe and Strong").first).to_be_visible()
    expect(page.get_by_text("Scrutiny panel").first).to_be_visible()
    assert_accessible(page)


def test_the_headers_sign_out_button_signs_out_at_once(page, live_server, plymouth):
    _, officer, _ = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/p/safer-plymouth/")
    assert page.locator('input[name="csrfmiddlewaretoken"]').count() == 0  # none needed

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    page.goto(f"{live_server.url}/p/safer-plymouth/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)


def test_sign_in_with_wrong_password_shows_error_summary(page, live_server, plymouth):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("olu")
    page.get_by_label("Password", exact=True).fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_officer_fills_month_sheet_and_pastes_a_year(page, live_server, plymouth):
    partnership, officer, hate = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("indicators:month_sheet", args=[partnership.slug, "2016-12"])
    )
    assert_accessible(page)
    page.get_by_label("SP 09 Police recorded hate crime").fill("N/A")
    page.get_by_role("button", name="Save figures").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert not Actual.objects.filter(indicator=hate, period=datetime.date(2016, 12, 1)).exists()
    page.get_by_label("SP 09 Police recorded hate crime").fill("29")
    page.get_by_role("button", name="Save figures").click()
    page.wait_for_url("**/figures/2016-12/")
    expect(page.get_by_text("Saved 1 figure")).to_be_visible()
    assert Actual.objects.get(indicator=hate, period=datetime.date(2016, 12, 1)).value == 29

    # Paste a row copied from Excel into the 2017/18 year grid.
    page.goto(
        live_server.url + reverse("indicators:year_grid", args=[partnership.slug, hate.pk, 2017])
    )
    first = page.get_by_label("April 2017")
    first.focus()
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData('text/plain', '31\\t28\\t1,040\\t');
            const event = new ClipboardEvent(
                'paste', {clipboardData: data, bubbles: true, cancelable: true});
            document.activeElement.dispatchEvent(event);
        }"""
    )
    expect(page.get_by_label("May 2017")).to_have_value("28")
    expect(page.get_by_label("June 2017")).to_have_value("1040")
    assert_accessible(page)
    page.get_by_role("button", name="Save figures").click()
    page.wait_for_url(f"**/indicators/{hate.pk}/?year=2017")
    values = dict(
        Actual.objects.filter(indicator=hate, period__year=2017).values_list("period", "value")
    )
    assert values == {
        datetime.date(2017, 4, 1): Decimal(31),
        datetime.date(2017, 5, 1): Decimal(28),
        datetime.date(2017, 6, 1): Decimal(1040),
    }
    expect(page.get_by_role("row", name="June 2017").get_by_text("1,040").first).to_be_visible()
    assert_accessible(page)


def paste(page, text: str) -> None:
    """Paste this text, as a spreadsheet puts it on the clipboard, into the focused box."""
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            const event = new ClipboardEvent(
                'paste', {clipboardData: data, bubbles: true, cancelable: true});
            document.activeElement.dispatchEvent(event);
        }""",
        text,
    )


def test_month_sheet_paste_fills_one_row_per_line_and_both_parts_of_a_percentage(
    page, live_server, plymouth
):
    partnership, officer, hate = plymouth
    group = hate.theme_group
    IndicatorFactory(partnership=partnership, theme_group=group, code="SP 01", title="Burglary")
    satisfaction = IndicatorFactory(
        partnership=partnership,
        theme_group=group,
        code="SP 02",
        title="Victims satisfied",
        measure=Indicator.Measure.PERCENTAGE,
    )
    IndicatorFactory(partnership=partnership, theme_group=group, code="SP 03", title="Robbery")
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("indicators:month_sheet", args=[partnership.slug, "2016-12"])
    )
    numerator = page.get_by_label("Numerator for SP 02 Victims satisfied")
    denominator = page.get_by_label("Denominator for SP 02 Victims satisfied")

    # A column with a lone number on the percentage's line would shift: nothing is pasted.
    page.get_by_label("SP 01 Burglary").focus()
    paste(page, "150\r\n72\r\n12\r\n")
    expect(
        page.get_by_text("Nothing was pasted: SP 02 Victims satisfied needs a numerator")
    ).to_be_visible()
    expect(page.get_by_label("SP 01 Burglary")).to_have_value("")
    expect(numerator).to_have_value("")
    assert_accessible(page)

    # Two cells side by side, or one cell like 72/100: one line per indicator.
    paste(page, "150\r\n72\t100\r\n12\r\n29\r\n")
    expect(page.get_by_label("SP 01 Burglary")).to_have_value("150")
    expect(numerator).to_have_value("72")
    expect(denominator).to_have_value("100")
    expect(page.get_by_label("SP 03 Robbery")).to_have_value("12")
    expect(page.get_by_label("SP 09 Police recorded hate crime")).to_have_value("29")
    expect(page.get_by_text("Nothing was pasted")).to_be_hidden()
    numerator.focus()
    paste(page, "64/80\r\n13\r\n")
    expect(numerator).to_have_value("64")
    expect(denominator).to_have_value("80")
    expect(page.get_by_label("SP 03 Robbery")).to_have_value("13")

    page.get_by_role("button", name="Save figures").click()
    page.wait_for_url("**/figures/2016-12/")
    saved = Actual.objects.get(indicator=satisfaction, period=datetime.date(2016, 12, 1))
    assert (saved.numerator, saved.denominator, saved.value) == (64, 80, 80)


def test_year_grid_of_a_quarterly_indicator_refuses_a_row_of_months_on_screen(
    page, live_server, plymouth
):
    partnership, officer, hate = plymouth
    referrals = IndicatorFactory(
        partnership=partnership,
        theme_group=hate.theme_group,
        code="SP 05",
        title="Referrals to domestic abuse services",
        frequency=Indicator.Frequency.QUARTERLY,
    )
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url
        + reverse("indicators:year_grid", args=[partnership.slug, referrals.pk, 2016])
    )
    first = page.get_by_label("Q1 (April 2016 quarter)")
    message = page.locator("[data-paste-message]")

    # Twelve monthly figures would fill the quarters with April to July: refused, visibly.
    first.focus()
    paste(page, "\t".join(str(10 + month) for month in range(12)))
    expect(message).to_have_text(
        "Nothing was pasted. SP 05 is quarterly: paste one figure per quarter (4 at most), not 12."
    )
    expect(message).to_be_in_viewport()
    for box in page.locator("input[data-paste-cell]").all():
        expect(box).to_have_value("")
    # From the third quarter on there are two quarters left.
    page.get_by_label("Q3 (October 2016 quarter)").focus()
    paste(page, "7\t8\t9")
    expect(message).to_contain_text("(2 at most), not 3.")
    assert_accessible(page)

    # One figure per quarter is pasted, and the page says so.
    first.focus()
    paste(page, "31\t28\t40\t35")
    expect(page.get_by_label("Q4 (January 2017 quarter)")).to_have_value("35")
    expect(message).to_have_text("Pasted 4 figures.")
    expect(message).to_be_in_viewport()


def test_year_grid_paste_with_blank_cells_keeps_the_figures_they_land_on(
    page, live_server, plymouth
):
    """Review finding: a row copied from Excel with empty cells at its end cleared the
    saved figures of February and March, and the page said "Pasted 12 figures."."""
    partnership, officer, hate = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("indicators:year_grid", args=[partnership.slug, hate.pk, 2015])
    )
    expect(page.get_by_label("February 2016")).to_have_value("53")

    page.get_by_label("April 2015").focus()
    paste(page, "\t".join(str(40 + month) for month in range(10)) + "\t\t\r\n")

    expect(page.get_by_label("January 2016")).to_have_value("49")
    expect(page.get_by_label("February 2016")).to_have_value("53")
    expect(page.get_by_label("March 2016")).to_have_value("32")
    said = (
        "Pasted 10 figures. 2 blank cells left February 2016 and March 2016 as they were: "
        "to clear a figure, delete it in its box."
    )
    expect(page.locator("[data-paste-message]")).to_have_text(said)
    expect(page.get_by_role("status")).to_have_text(said)  # said to screen readers too
    page.get_by_role("button", name="Save figures").click()
    page.wait_for_url(f"**/indicators/{hate.pk}/?year=2015")
    values = dict(
        Actual.objects.filter(indicator=hate, period__year=2016, period__month__lte=3).values_list(
            "period", "value"
        )
    )
    assert values == {
        datetime.date(2016, 1, 1): Decimal(49),
        datetime.date(2016, 2, 1): Decimal(53),
        datetime.date(2016, 3, 1): Decimal(32),
    }


def test_year_grid_paste_leaves_out_a_row_heading_and_refuses_a_cell_not_a_number(
    page, live_server, plymouth
):
    """Review finding: a row copied with its heading ("Overall crime") put the text in
    April, April's figure in May and so on, and said "1 figure was left out"."""
    partnership, officer, hate = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("indicators:year_grid", args=[partnership.slug, hate.pk, 2015])
    )
    message = page.locator("[data-paste-message]")

    page.get_by_label("April 2015").focus()
    paste(page, "Overall crime\t" + "\t".join(f"1,4{month:02d}" for month in range(12)))

    expect(page.get_by_label("April 2015")).to_have_value("1400")
    expect(page.get_by_label("March 2016")).to_have_value("1411")
    expect(message).to_have_text(
        "Pasted 12 figures. The first cell, 'Overall crime', was taken as the row's heading "
        "and left out."
    )

    paste(page, "7\t8\tabc\t9")
    expect(message).to_have_text("Nothing was pasted: 'abc' (the 3rd cell) is not a number.")
    expect(page.get_by_label("April 2015")).to_have_value("1400")
    expect(page.get_by_label("May 2015")).to_have_value("1401")

    # The forms the site reads are numbers: a space in thousands, a blank.
    paste(page, "1 500\t\t1,600")
    expect(page.get_by_label("April 2015")).to_have_value("1500")
    expect(page.get_by_label("June 2015")).to_have_value("1600")


def test_year_grid_paste_refuses_a_percentage_row_with_one_part_blank(page, live_server, plymouth):
    """Review finding: a row pasted with its numerator and a blank denominator kept the
    stored denominator, so June's 8/9 became 5/9 without a word."""
    partnership, officer, hate = plymouth
    referred = IndicatorFactory(
        partnership=partnership,
        theme_group=hate.theme_group,
        code="SP 08",
        title="Victims referred to support",
        measure=Indicator.Measure.PERCENTAGE,
    )
    ActualFactory(
        indicator=referred,
        period=datetime.date(2016, 6, 1),
        numerator=8,
        denominator=9,
        value=Decimal("88.9"),
    )
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url
        + reverse("indicators:year_grid", args=[partnership.slug, referred.pk, 2016])
    )
    numerator = page.get_by_label("Numerator for June 2016")
    denominator = page.get_by_label("Denominator for June 2016")
    expect(numerator).to_have_value("8")
    message = page.locator("[data-paste-message]")

    page.get_by_label("Numerator for April 2016").focus()
    paste(page, "\t\r\n\t\r\n5\t\r\n")
    expect(message).to_have_text(
        "Nothing was pasted: June 2016 needs a numerator and a denominator, "
        "like 72/100 or two cells side by side."
    )
    expect(numerator).to_have_value("8")
    expect(denominator).to_have_value("9")
    paste(page, "\t\r\n\t\r\n\t9\r\n")
    expect(message).to_contain_text("June 2016 needs a numerator and a denominator")
    expect(numerator).to_have_value("8")

    # Both parts blank leave June as it was; July, given both, takes them.
    paste(page, "\t\r\n\t\r\n\t\r\n6\t7\r\n")
    expect(numerator).to_have_value("8")
    expect(denominator).to_have_value("9")
    expect(page.get_by_label("Numerator for July 2016")).to_have_value("6")
    expect(message).to_have_text(
        "Pasted 1 figure. 1 blank cell left June 2016 as it was: "
        "to clear a figure, delete it in its box."
    )
    assert_accessible(page)


def test_year_grid_of_a_quarterly_indicator_does_not_count_blank_cells_after_the_figures(
    page, live_server, plymouth
):
    """Review finding: a row of six cells, one a figure, was refused as six quarterly
    figures ("not 6"), though its blank cells paste nothing."""
    partnership, officer, hate = plymouth
    referrals = IndicatorFactory(
        partnership=partnership,
        theme_group=hate.theme_group,
        code="SP 05",
        title="Referrals to domestic abuse services",
        frequency=Indicator.Frequency.QUARTERLY,
    )
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url
        + reverse("indicators:year_grid", args=[partnership.slug, referrals.pk, 2016])
    )
    message = page.locator("[data-paste-message]")

    page.get_by_label("Q1 (April 2016 quarter)").focus()
    paste(page, "\t\t\t9\t\t")
    expect(page.get_by_label("Q4 (January 2017 quarter)")).to_have_value("9")
    expect(message).to_have_text("Pasted 1 figure.")

    # A figure past the last quarter is still refused, the blank cells before it named.
    paste(page, "\t\t\t\t7\t")
    expect(message).to_have_text(
        "Nothing was pasted. SP 05 is quarterly: "
        "paste one figure per quarter (4 at most), not 5 cells, 4 of them blank."
    )
    expect(page.get_by_label("Q4 (January 2017 quarter)")).to_have_value("9")


def test_month_sheet_column_longer_than_the_sheet_says_on_screen_what_was_left_out(
    page, live_server, plymouth
):
    partnership, officer, hate = plymouth
    # A sheet long enough that its top is off screen when its last rows are.
    for number in range(10, 40):
        IndicatorFactory(
            partnership=partnership,
            theme_group=hate.theme_group,
            code=f"SP {number}",
            title=f"Indicator {number}",
        )
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("indicators:month_sheet", args=[partnership.slug, "2016-12"])
    )

    page.get_by_label("SP 38 Indicator 38").focus()
    paste(page, "29\r\n410\r\n12\r\n13\r\n")

    expect(page.get_by_label("SP 39 Indicator 39")).to_have_value("410")
    message = page.locator("[data-paste-message]")
    expect(message).to_have_text(
        "Pasted 2 figures: SP 38 and SP 39. 2 figures were left out: there were no more rows."
    )
    expect(message).to_be_in_viewport()
    assert_accessible(page)


def test_month_sheet_paste_keeps_a_percent_sign_for_the_page_to_refuse(page, live_server, plymouth):
    """Review finding: the paste dropped "%", so 36% copied from Excel was saved as a
    count of 36 hate crimes without a word."""
    partnership, officer, hate = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("indicators:month_sheet", args=[partnership.slug, "2016-12"])
    )
    box = page.get_by_label("SP 09 Police recorded hate crime")
    box.focus()

    paste(page, "1,036%\r\n")
    expect(box).to_have_value("1036%")
    page.get_by_role("button", name="Save figures").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "SP 09 Police recorded hate crime is a count: enter 1036, not 1036%."
    )
    assert not Actual.objects.filter(indicator=hate, period=datetime.date(2016, 12, 1)).exists()
    assert_accessible(page)


def test_month_sheet_paste_keeps_a_quarter_under_way_in_its_place(
    page, live_server, plymouth, monkeypatch
):
    """A quarter under way has no box, but a pasted column keeps a line for it: a figure
    there is refused, not pasted into the next indicator's box."""
    from django.utils import timezone

    partnership, officer, hate = plymouth
    group = hate.theme_group
    IndicatorFactory(partnership=partnership, theme_group=group, code="SP 01", title="Burglary")
    IndicatorFactory(
        partnership=partnership,
        theme_group=group,
        code="SP 05",
        title="Referrals",
        frequency=Indicator.Frequency.QUARTERLY,
    )
    IndicatorFactory(partnership=partnership, theme_group=group, code="SP 07", title="Robbery")
    real = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, tz=None: datetime.date(2016, 11, 30) if value is None else real(value),
    )
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("indicators:month_sheet", args=[partnership.slug, "2016-11"])
    )
    expect(page.get_by_text("Not open yet: the quarter ends in December 2016.")).to_be_visible()
    burglary, robbery = page.get_by_label("SP 01 Burglary"), page.get_by_label("SP 07 Robbery")

    burglary.focus()
    paste(page, "150\r\n7\r\n12\r\n")
    expect(page.get_by_text("Nothing was pasted: SP 05 Referrals is not open yet.")).to_be_visible()
    expect(robbery).to_have_value("")

    paste(page, "150\r\n\r\n12\r\n")
    expect(burglary).to_have_value("150")
    expect(robbery).to_have_value("12")
    expect(page.get_by_text("Nothing was pasted")).to_be_hidden()
    assert_accessible(page)


def test_month_sheet_refuses_a_row_of_one_indicators_months_and_names_rows_a_column_fills(
    page, live_server, plymouth
):
    """Review finding: one indicator's months copied from an Excel row and pasted into its
    box on the month sheet went down the page, a month into each of seven indicators, and
    the page said only "Pasted 7 figures."."""
    partnership, officer, hate = plymouth
    first = None
    for number in range(1, 8):
        made = IndicatorFactory(
            partnership=partnership,
            theme_group=hate.theme_group,
            code=f"SP 0{number}",
            title=f"Indicator {number}",
        )
        first = first or made
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("indicators:month_sheet", args=[partnership.slug, "2016-11"])
    )
    message = page.locator("[data-paste-message]")
    boxes = [page.get_by_label(f"SP 0{number} Indicator {number}") for number in range(1, 8)]

    boxes[0].focus()
    paste(page, "1510\t1480\t1502\t1495\t1530\t1470\t1466\r\n")
    expect(message).to_have_text(
        "Nothing was pasted: a row of 7 cells would fill SP 01, SP 02, SP 03 and 4 more, and "
        "each box on this page is a different indicator. To enter one indicator's months, use its "
        "year grid: SP 01 figures for 2016/17."
    )
    expect(message.get_by_role("link", name="SP 01 figures for 2016/17")).to_have_attribute(
        "href", reverse("indicators:year_grid", args=[partnership.slug, first.pk, 2016])
    )
    for box in boxes:
        expect(box).to_have_value("")
    assert_accessible(page)

    # A column, a figure per indicator, fills down the page and says which rows.
    paste(page, "1510\r\n1480\r\n1502\r\n1495\r\n1530\r\n1470\r\n1466\r\n")
    expect(message).to_have_text("Pasted 7 figures: SP 01, SP 02, SP 03 and 4 more.")
    expect(boxes[6]).to_have_value("1466")
    # A row of one figure, the rest of its cells blank, is still one figure.
    boxes[2].focus()
    paste(page, "12\t\t\r\n")
    expect(message).to_contain_text("Pasted 1 figure: SP 03. 2 blank cells left SP 04")
    expect(boxes[2]).to_have_value("12")
    # Each row filled is named, not a range from first to last (the sheet lists by theme
    # group, not code order), a code kept on one line.
    boxes[4].focus()
    paste(page, "5\r\n6\r\n7\r\n")
    expect(message).to_have_text("Pasted 3 figures: SP 05, SP 06 and SP 07.")
    assert "SP\u00a005" in message.text_content()


def test_year_grid_refuses_a_year_pasted_from_a_later_month(page, live_server, plymouth):
    """Review finding: twelve months pasted into May's box moved each figure a month on
    (April's into May), saying only that one figure was left out."""
    partnership, officer, hate = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("indicators:year_grid", args=[partnership.slug, hate.pk, 2016])
    )
    message = page.locator("[data-paste-message]")
    year = "\t".join(str(60 + month) for month in range(12))

    page.get_by_label("May 2016").focus()
    paste(page, year + "\r\n")
    expect(message).to_have_text(
        "Nothing was pasted: there are 11 months from May 2016 on, not 12 figures. To paste "
        "a whole year, click the first box (April 2016) and paste again."
    )
    expect(page.get_by_label("May 2016")).to_have_value("25")
    expect(page.get_by_label("March 2017")).to_have_value("")
    assert_accessible(page)

    # A few months from May on still paste; so does the year with its total, from April.
    paste(page, "70\t71\r\n")
    expect(message).to_have_text("Pasted 2 figures.")
    expect(page.get_by_label("June 2016")).to_have_value("71")
    page.get_by_label("April 2016").focus()
    paste(page, year + "\t780\r\n")
    expect(page.get_by_label("May 2016")).to_have_value("61")
    expect(message).to_have_text(
        "Pasted 12 figures. 1 figure was left out: there were no more rows."
    )


def test_month_sheet_stacks_at_320_px_so_every_box_is_on_screen(page, live_server, plymouth):
    """WCAG 1.4.10: at 320 px each indicator's box sits under its name and last year's
    figure, inside the screen, instead of off to the side of a scroll box."""
    partnership, officer, _hate = plymouth
    sign_in(page, live_server, officer.username)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(
        live_server.url + reverse("indicators:month_sheet", args=[partnership.slug, "2016-12"])
    )
    box = page.get_by_label("SP 09 Police recorded hate crime").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    expect(page.get_by_text("Same month last year:").first).to_be_visible()
    assert_accessible(page)


def test_officer_meets_a_conflict_on_the_month_sheet_and_saves_again(page, live_server, plymouth):
    partnership, officer, hate = plymouth
    other = MembershipFactory(
        user=UserFactory(username="sam", first_name="Sam", last_name="Other"),
        partnership=partnership,
        role=Membership.Role.COORDINATOR,
    ).user
    asb = IndicatorFactory(
        partnership=partnership, theme_group=hate.theme_group, code="SP 10", title="ASB incidents"
    )
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url + reverse("indicators:month_sheet", args=[partnership.slug, "2016-11"])
    )
    # While the sheet is open, a colleague changes hate crime and enters ASB.
    november = datetime.date(2016, 11, 1)
    services.actuals_save(
        entries=[
            services.FigureInput(hate, november, Decimal(36), shown=services.Figure(Decimal(35))),
            services.FigureInput(asb, november, Decimal(410), shown=services.NO_FIGURE),
        ],
        by=other,
    )
    page.get_by_label("SP 09 Police recorded hate crime").fill("34")
    page.get_by_role("button", name="Save figures").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Sam Other changed it to 36 after you opened this page")
    expect(page.get_by_label("SP 09 Police recorded hate crime")).to_have_value("34")
    expect(page.get_by_label("SP 10 ASB incidents")).to_have_value("410")
    assert_accessible(page)
    page.get_by_role("button", name="Save figures").click()

    page.wait_for_url("**/figures/2016-11/")
    expect(page.get_by_text("Saved 1 figure")).to_be_visible()
    assert Actual.objects.get(indicator=hate, period=november).value == 34
    assert Actual.objects.get(indicator=asb, period=november).entered_by == other


def test_indicator_page_shows_figures_and_charts(page, live_server, plymouth):
    partnership, officer, hate = plymouth
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url
        + reverse("indicators:detail", args=[partnership.slug, hate.pk])
        + "?year=2016"
    )
    expect(page.get_by_text("287 hate crimes").first).to_be_visible()
    chart = page.locator(".app-chart__plot").first
    chart.scroll_into_view_if_needed()  # a chart is drawn as it comes near the window
    expect(chart.locator(".main-svg").first).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + reverse("indicators:dashboard", args=[partnership.slug]))
    expect(page.get_by_text("68 more than the same period last year").first).to_be_visible()
    assert_accessible(page)


def test_the_dashboard_stacks_on_a_phone(page, live_server, plymouth):
    """Review finding: at 375 px the dashboard was a 735 px table in a scroll box, every
    line of its sentences running off the screen. Now nothing in it scrolls sideways."""
    partnership, officer, _ = plymouth
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, officer.username)
    page.goto(live_server.url + reverse("indicators:dashboard", args=[partnership.slug]))
    sentence = page.get_by_text("68 more than the same period last year").first
    expect(sentence).to_be_visible()
    expect(page.get_by_text("Year to date:").first).to_be_visible()
    for table in page.locator(".app-dashboard").all():
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    box = sentence.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert_accessible(page)


COVERS_NO_POINT = """chart => {
    const box = node => node.getBoundingClientRect();
    const points = [...chart.querySelectorAll(".scatterlayer .point")].map(box);
    return [...chart.querySelectorAll(".annotation")].map(box).every(label => points.every(
        point => !(label.left < point.right && point.left < label.right
                   && label.top < point.bottom && point.top < label.bottom)));
}"""


def test_the_xmr_chart_keeps_most_of_a_phones_width(page, live_server, plymouth):
    """Review finding: at 375 px the XmR chart kept a 172 px right margin for "Upper
    process limit" and turned its "Apr 2015" ticks upright. Now the plot keeps most of the
    width, the limits are named short inside it and the ticks are thinned and level."""
    partnership, officer, hate = plymouth
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, officer.username)
    page.goto(
        live_server.url
        + reverse("indicators:detail", args=[partnership.slug, hate.pk])
        + "?chart=spc"
    )
    plot = page.locator(".app-chart__plot").first
    plot.scroll_into_view_if_needed()
    expect(plot.locator(".main-svg").first).to_be_visible()
    layout = plot.evaluate(
        """e => ({plot: e._fullLayout.xaxis._length, width: e._fullLayout.width,
        ticks: [...e.querySelectorAll('.xtick text')].map(t => t.textContent),
        angle: e._fullLayout.xaxis.tickangle,
        notes: [...e.querySelectorAll('.annotation-text')].map(t => t.textContent)})"""
    )
    assert layout["plot"] >= 0.75 * layout["width"]
    assert "Upper limit" in layout["notes"] and "Upper process limit" not in layout["notes"]
    assert layout["angle"] == 0 and 2 <= len(layout["ticks"]) <= 6
    assert all(len(tick) <= 6 for tick in layout["ticks"])  # "Nov 16"
    # No line label covers a point once the labels are placed: "Figure", set above its
    # line's last point, covered the points before it, and "Lower limit" a low point.
    page.wait_for_function(COVERS_NO_POINT, arg=plot.element_handle(), timeout=5000)


def test_panel_member_reads_partnership_but_not_live_figures(page, live_server, plymouth):
    partnership, _, hate = plymouth
    MembershipFactory(
        user=UserFactory(username="pat", first_name="Pat", last_name="Panel"),
        partnership=partnership,
        role=Membership.Role.PANEL_MEMBER,
    )
    sign_in(page, live_server, "pat")
    page.get_by_role("link", name="Safer Plymouth").click()
    expect(page.get_by_role("heading", name="Safer Plymouth", level=1)).to_be_visible()
    assert page.get_by_role("link", name="Performance dashboard").count() == 0
    assert_accessible(page)
    response = page.goto(
        live_server.url + reverse("indicators:detail", args=[partnership.slug, hate.pk])
    )
    # A member: told whose the page is, and where the published reports are.
    assert response.status == 403
    assert page.get_by_text("Police recorded hate crime").count() == 0
    reports = page.get_by_role("link", name="Read the partnership's published reports")
    expect(reports).to_be_visible()
    assert_accessible(page)


def test_admin_imports_a_spreadsheet_fixing_a_bad_row(page, live_server, plymouth, tmp_path):
    partnership, _, hate = plymouth
    UserFactory(username="root", is_staff=True, is_superuser=True)
    bad = tmp_path / "bad" / "actuals.csv"
    bad.parent.mkdir()
    bad.write_text(
        "partnership,indicator,period,value,numerator,denominator,note\n"
        "safer-plymouth,SP 09,2016-12,29,,,\n"
        "safer-plymouth,SP 09,2016-13,30,,,\n"
    )
    sign_in(page, live_server, "root")
    page.goto(live_server.url + reverse("indicators:import", args=[partnership.slug]))
    assert_accessible(page)
    page.get_by_label("Files", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("actuals.csv row 3: period '2016-13' is not a month")
    assert_accessible(page)
    assert not Actual.objects.filter(indicator=hate, period=datetime.date(2016, 12, 1)).exists()

    good = tmp_path / "good" / "actuals.csv"
    good.parent.mkdir()
    good.write_text(
        "partnership,indicator,period,value,numerator,denominator,note\n"
        "safer-plymouth,SP 09,2016-12,29,,,\n"
    )
    page.get_by_label("Files", exact=True).set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/indicators/")
    expect(page.get_by_text("actuals: 1 new")).to_be_visible()
    expect(page.get_by_role("heading", name="What changed in actuals")).to_be_visible()
    expect(page.get_by_text("SP 09 December 2016: new")).to_be_visible()
    assert_accessible(page)
    assert Actual.objects.get(indicator=hate, period=datetime.date(2016, 12, 1)).value == 29


def test_officer_sets_a_target_and_sees_its_status(page, live_server, plymouth):
    partnership, officer, hate = plymouth
    hate.polarity = Indicator.Polarity.HIGHER
    hate.save()
    sign_in(page, live_server, officer.username)
    page.goto(live_server.url + reverse("indicators:detail", args=[partnership.slug, hate.pk]))
    page.get_by_role("link", name="Set the 2016/17 target").click()
    assert_accessible(page)
    page.get_by_label("A figure for the whole year").check()
    page.get_by_label("Target", exact=True).fill("lots")
    page.get_by_role("button", name="Save target").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a number")
    assert_accessible(page)
    page.get_by_label("Target", exact=True).fill("400")
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_text("Saved the 2016/17 target.")).to_be_visible()
    expect(page.locator(".app-headline .govuk-tag").first).to_contain_text("Green")
    assert_accessible(page)
