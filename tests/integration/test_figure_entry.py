"""Entering figures: the save service, the month sheet, the year grid, the upload page,
and the indicator list and detail pages that show what was entered."""

import datetime
import re
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from indicators import periods, services
from indicators.models import Actual, FigureChange, Indicator
from indicators.services import NO_FIGURE, Figure
from tests.factories import ActualFactory, IndicatorFactory, MembershipFactory, ThemeGroupFactory
from tests.factories.series import hate_crime_indicator

NOV_2016 = datetime.date(2016, 11, 1)
NOV_2015 = datetime.date(2015, 11, 1)


def error_summary(response) -> list[str]:
    """The messages in the page's GOV.UK error summary, as text."""
    match = re.search(
        r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.DOTALL
    )
    if match is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", match.group(0), re.DOTALL)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def table_row(response, containing: str) -> str:
    """The one table row of the page that contains this text."""
    html = re.sub(r"\s+", " ", response.content.decode())
    [row] = [row for row in re.findall(r"<tr[ >].*?</tr>", html) if containing in row]
    return row


def page_text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def coordinator_a(partnership_a):
    return MembershipFactory(
        user__username="coordinator-a",
        user__first_name="Sam",
        user__last_name="Other",
        partnership=partnership_a,
        role="coordinator",
    ).user


@pytest.fixture
def sheet(partnership_a):
    """A count and a percentage indicator, each with figures for November 2015 and 2016."""
    group = ThemeGroupFactory(partnership=partnership_a, name="Hate crime")
    count = IndicatorFactory(
        partnership=partnership_a, theme_group=group, code="HC 01", title="Hate crime"
    )
    ratio = IndicatorFactory(
        partnership=partnership_a,
        theme_group=group,
        code="SAT 01",
        title="Victim satisfaction",
        polarity="higher",
        measure="percentage",
    )
    ActualFactory(indicator=count, period=NOV_2015, value=38)
    ActualFactory(indicator=count, period=NOV_2016, value=35)
    ActualFactory(
        indicator=ratio, period=NOV_2015, value=Decimal("80"), numerator=8, denominator=10
    )
    return count, ratio


def sheet_url(partnership, month="2016-11"):
    return reverse("indicators:month_sheet", args=[partnership.slug, month])


def sheet_post(count, ratio, **overrides) -> dict:
    """The month sheet as opened for November 2016, with the figures it showed
    (initial-...) and, changed by the overrides, the figures in its boxes."""
    data = {
        f"i{count.pk}-v": "35",
        f"initial-i{count.pk}-v": "35",
        f"i{ratio.pk}-n": "",
        f"initial-i{ratio.pk}-n": "",
        f"i{ratio.pk}-d": "",
        f"initial-i{ratio.pk}-d": "",
        "reason": "",
    }
    data.update(
        {
            key.replace("COUNT", f"i{count.pk}").replace("RATIO", f"i{ratio.pk}"): value
            for key, value in overrides.items()
        }
    )
    return data


def figures() -> set[tuple]:
    return set(Actual.objects.values_list("indicator__code", "period", "value", "version"))


# The service ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_actuals_save_writes_only_changed_figures_and_audits_them(sheet, officer_a):
    count, ratio = sheet
    entries = [
        services.FigureInput(count, NOV_2015, Decimal(38), shown=Figure(Decimal(37))),  # already
        services.FigureInput(count, NOV_2016, Decimal(36), shown=Figure(Decimal(35))),  # changed
        services.FigureInput(
            ratio, NOV_2016, Decimal("88.8889"), Decimal(16), Decimal(18), shown=NO_FIGURE
        ),  # new
    ]

    result = services.actuals_save(entries=entries, by=officer_a, reason="revised by police")

    assert (result.created, result.updated, result.deleted, result.unchanged) == (1, 1, 0, 1)
    changed = Actual.objects.get(indicator=count, period=NOV_2016)
    assert (changed.value, changed.version, changed.entered_by) == (Decimal(36), 2, officer_a)
    assert Actual.objects.get(indicator=count, period=NOV_2015).version == 1
    audit = {(c.indicator.code, c.period): c for c in FigureChange.objects.all()}
    assert set(audit) == {("HC 01", NOV_2016), ("SAT 01", NOV_2016)}
    update = audit["HC 01", NOV_2016]
    assert update.old == {"value": "35", "numerator": None, "denominator": None}
    assert update.new == {"value": "36", "numerator": None, "denominator": None}
    assert (update.reason, update.changed_by, update.source) == (
        "revised by police",
        officer_a,
        "form",
    )
    assert update.financial_year == 2016
    assert audit["SAT 01", NOV_2016].old is None
    assert audit["SAT 01", NOV_2016].new == {
        "value": "88.8889",
        "numerator": "16",
        "denominator": "18",
    }


@pytest.mark.django_db
def test_actuals_save_blank_removes_figure_and_audits_it(sheet, officer_a):
    count, _ = sheet

    result = services.actuals_save(
        entries=[services.FigureInput(count, NOV_2016, None, shown=Figure(Decimal(35)))],
        by=officer_a,
        reason="entered in error",
    )

    assert result.deleted == 1
    assert not Actual.objects.filter(indicator=count, period=NOV_2016).exists()
    change = FigureChange.objects.get()
    assert change.old == {"value": "35", "numerator": None, "denominator": None}
    assert change.new is None
    assert (change.reason, change.changed_by) == ("entered in error", officer_a)


@pytest.mark.django_db
def test_actuals_save_figure_changed_since_opened_raises_conflict_and_writes_nothing(
    sheet, officer_a, coordinator_a
):
    count, ratio = sheet
    # The coordinator saves November while the officer has the sheet open at version 1.
    services.actuals_save(
        entries=[services.FigureInput(count, NOV_2016, Decimal(40), shown=Figure(Decimal(35)))],
        by=coordinator_a,
    )
    before, audit_before = figures(), FigureChange.objects.count()

    with pytest.raises(services.FigureConflict) as conflict:
        services.actuals_save(
            entries=[
                services.FigureInput(count, NOV_2016, Decimal(36), shown=Figure(Decimal(35))),
                services.FigureInput(
                    ratio, NOV_2016, Decimal(90), Decimal(9), Decimal(10), shown=NO_FIGURE
                ),
            ],
            by=officer_a,
        )

    [found] = conflict.value.conflicts
    assert (found.indicator, found.period, found.current.value) == (count, NOV_2016, Decimal(40))
    assert figures() == before
    assert FigureChange.objects.count() == audit_before


@pytest.mark.django_db
def test_actuals_save_same_value_as_concurrent_edit_is_not_a_conflict(
    sheet, officer_a, coordinator_a
):
    count, _ = sheet
    services.actuals_save(
        entries=[services.FigureInput(count, NOV_2016, Decimal(40), shown=Figure(Decimal(35)))],
        by=coordinator_a,
    )

    result = services.actuals_save(
        entries=[services.FigureInput(count, NOV_2016, Decimal(40), shown=Figure(Decimal(35)))],
        by=officer_a,
    )

    assert (result.unchanged, result.written, result.conflicts) == (1, 0, [])
    assert Actual.objects.get(indicator=count, period=NOV_2016).entered_by == coordinator_a


# The month sheet ------------------------------------------------------------------------


@pytest.mark.django_db
def test_month_sheet_shows_last_year_same_month_beside_each_input(client, officer_a, sheet):
    count, ratio = sheet
    client.force_login(officer_a)

    response = client.get(sheet_url(count.partnership))

    assert response.status_code == 200
    last_year = {cell.indicator.code: last for cell, _, last in response.context["grid"]}
    assert (last_year["HC 01"].period, last_year["HC 01"].value) == (NOV_2015, 38)
    assert last_year["SAT 01"].numerator == 8
    # In the page: last year's figure in the same table row as this year's input.
    count_row = table_row(response, f'name="i{count.pk}-v"')
    assert "last year: </span>38</td>" in count_row
    assert 'value="35"' in count_row
    assert "80.0 (8/10)" in table_row(response, f'name="i{ratio.pk}-n"')
    assert "Same month last year" in page_text(response)


@pytest.mark.django_db
def test_month_sheet_post_saves_changes_and_redirects_with_message(client, officer_a, sheet):
    count, ratio = sheet
    client.force_login(officer_a)
    url = sheet_url(count.partnership)

    response = client.post(
        url, sheet_post(count, ratio, **{"COUNT-v": "36", "RATIO-n": "9", "RATIO-d": "10"})
    )

    assert response.status_code == 302
    assert response["Location"] == url
    assert messages_of(response) == ["Saved 2 figures (1 new, 1 changed, 0 removed)."]
    assert Actual.objects.get(indicator=count, period=NOV_2016).value == 36
    saved = Actual.objects.get(indicator=ratio, period=NOV_2016)
    assert (saved.value, saved.numerator, saved.denominator) == (Decimal(90), 9, 10)
    assert FigureChange.objects.count() == 2


@pytest.mark.django_db
def test_month_sheet_post_unchanged_saves_nothing(client, officer_a, sheet):
    count, ratio = sheet
    client.force_login(officer_a)

    response = client.post(sheet_url(count.partnership), sheet_post(count, ratio))

    assert response.status_code == 302
    assert messages_of(response) == ["No figures had changed, so nothing was saved."]
    assert not FigureChange.objects.exists()


@pytest.mark.django_db
def test_month_sheet_post_blank_removes_figure(client, officer_a, sheet):
    count, ratio = sheet
    client.force_login(officer_a)

    response = client.post(
        sheet_url(count.partnership), sheet_post(count, ratio, **{"COUNT-v": ""})
    )

    assert response.status_code == 302
    assert not Actual.objects.filter(indicator=count, period=NOV_2016).exists()
    assert FigureChange.objects.get().new is None


BAD_INPUT = {
    "not_a_number": (
        {"COUNT-v": "N/A"},
        "HC 01 Hate crime must be a number, like 148 ('N/A' is not a number). "
        "Leave it blank if there is no figure yet.",
    ),
    "negative": ({"COUNT-v": "-3"}, "HC 01 Hate crime cannot be negative."),
    # Review finding: "%" was dropped, so 36% was stored as a count of 36.
    "percent_sign_on_a_count": (
        {"COUNT-v": "36%"},
        "HC 01 Hate crime is a count: enter 36, not 36%.",
    ),
    "percent_sign_beside_the_figure_shown": (
        {"COUNT-v": "35%"},
        "HC 01 Hate crime is a count: enter 35, not 35%.",
    ),
    "percent_sign_on_a_numerator": (
        {"RATIO-n": "9%", "RATIO-d": "10"},
        "SAT 01 Victim satisfaction numerator is a count: enter 9, not 9% (the percentage is "
        "worked out from the numerator and denominator).",
    ),
    # Decimal() reads these; nobody typing a count means them.
    **{
        name: (
            {"COUNT-v": typed},
            f"HC 01 Hate crime must be a number, like 148 ('{typed}' is not a number). "
            "Leave it blank if there is no figure yet.",
        )
        for name, typed in (
            ("exponent", "1e3"),
            ("underscore", "1_000"),
            ("other_digits", "\u0663\u0666"),
        )
    },
    "fraction_of_a_count": (
        {"COUNT-v": "35.5"},
        "HC 01 Hate crime is a count, so it must be a whole number.",
    ),
    "numerator_above_denominator": (
        {"RATIO-n": "12", "RATIO-d": "10"},
        "SAT 01 Victim satisfaction: the numerator (12) cannot be more than the denominator (10).",
    ),
    "denominator_missing": (
        {"RATIO-n": "12"},
        "SAT 01 Victim satisfaction: enter both the numerator and the denominator.",
    ),
    "numerator_missing": (
        {"RATIO-d": "10"},
        "SAT 01 Victim satisfaction: enter both the numerator and the denominator.",
    ),
    "denominator_zero": (
        {"RATIO-n": "0", "RATIO-d": "0"},
        "SAT 01 Victim satisfaction: the denominator must be more than 0.",
    ),
    # Review finding: the summary's link and the red box were the numerator's.
    "denominator_zero_beside_a_numerator": (
        {"RATIO-n": "10", "RATIO-d": "0"},
        "SAT 01 Victim satisfaction: the denominator must be more than 0.",
    ),
    "denominator_not_a_number": (
        {"RATIO-n": "9", "RATIO-d": "ten"},
        "SAT 01 Victim satisfaction denominator must be a number, like 148 ('ten' is not a "
        "number). Leave it blank if there is no figure yet.",
    ),
}
# The cases whose error is the denominator's alone: its box is marked, not the numerator's.
DENOMINATOR_ERRORS = {
    "denominator_missing",
    "denominator_zero",
    "denominator_zero_beside_a_numerator",
    "denominator_not_a_number",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case, bad, message", [(k, *v) for k, v in BAD_INPUT.items()], ids=BAD_INPUT.keys()
)
def test_month_sheet_post_bad_input_shows_error_summary_and_saves_nothing(
    client, officer_a, sheet, case, bad, message
):
    count, ratio = sheet
    client.force_login(officer_a)
    # The other indicator's figure in the same submission is valid, and is not saved either.
    valid = {"RATIO-n": "9", "RATIO-d": "10"} if "COUNT-v" in bad else {"COUNT-v": "36"}
    before = figures()

    response = client.post(sheet_url(count.partnership), sheet_post(count, ratio, **valid, **bad))

    assert response.status_code == 200
    assert error_summary(response) == [message]
    # The same message beside the input, which keeps what was typed.
    part = "d" if case in DENOMINATOR_ERRORS else "n"
    field = f"i{count.pk}-v" if "COUNT-v" in bad else f"i{ratio.pk}-{part}"
    assert response.context["form"].errors[field] == [message]
    assert f'href="#id_{field}"' in response.content.decode()  # the summary's link
    row = unescape(table_row(response, f'name="{field}"'))
    assert f'<p class="govuk-error-message" id="id_{field}-error">' in row
    assert message in row
    typed = bad.get("COUNT-v", bad.get(f"RATIO-{part}", ""))
    assert f'value="{typed}"' in row or typed == ""
    assert "<title>Error: Figures for November 2016" in page_text(response)
    assert figures() == before
    assert not FigureChange.objects.exists()


def form_data(response) -> dict:
    """What a browser would post back from the page's form: every input's name and value."""
    data = {}
    for tag in re.findall(r"<input [^>]*>", response.content.decode()):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            data[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    data["reason"] = ""
    return data


def entered_by_other(indicator, period, figure, *, by, shown=None):
    """Another officer saves one figure, from a page that showed `shown`."""
    current = Actual.objects.filter(indicator=indicator, period=period).first()
    services.actuals_save(
        entries=[
            services.FigureInput(
                indicator, period, *figure, shown=shown or services.Figure.of(current)
            )
        ],
        by=by,
    )


@pytest.mark.django_db
def test_month_sheet_page_carries_the_figures_it_showed(client, officer_a, sheet):
    count, ratio = sheet
    client.force_login(officer_a)

    page = client.get(sheet_url(count.partnership)).content.decode()

    assert f'name="initial-i{count.pk}-v" value="35"' in page
    assert f'name="initial-i{ratio.pk}-n" value=""' in page or (
        f'name="initial-i{ratio.pk}-n" id' in page
    )


@pytest.mark.django_db
def test_month_sheet_concurrent_edit_of_same_figure_is_a_conflict_naming_who(
    client, officer_a, coordinator_a, sheet
):
    count, ratio = sheet
    client.force_login(officer_a)
    url = sheet_url(count.partnership)
    opened = form_data(client.get(url))
    entered_by_other(count, NOV_2016, (Decimal(40),), by=coordinator_a)

    response = client.post(
        url, opened | {f"i{count.pk}-v": "36", f"i{ratio.pk}-n": "9", f"i{ratio.pk}-d": "10"}
    )

    assert response.status_code == 200
    assert error_summary(response) == [
        "Nothing was saved. Your 2 figures are still in their boxes: check the ones below "
        "and save again.",
        "HC 01 Hate crime: Sam Other changed it to 40 after you opened this page. "
        "Your figure (36) is still in the box: save again to use it instead, or change it.",
    ]
    # All or nothing: the officer's other, unopposed figure is not saved either.
    assert Actual.objects.get(indicator=count, period=NOV_2016).value == 40
    assert not Actual.objects.filter(indicator=ratio, period=NOV_2016).exists()
    assert FigureChange.objects.count() == 1


@pytest.mark.django_db
def test_month_sheet_other_figure_saved_since_opened_is_not_a_conflict(
    client, officer_a, coordinator_a, sheet
):
    count, ratio = sheet
    client.force_login(officer_a)
    url = sheet_url(count.partnership)
    opened = form_data(client.get(url))
    # The coordinator enters the percentage while the officer has the sheet open.
    entered_by_other(ratio, NOV_2016, (Decimal(90), Decimal(9), Decimal(10)), by=coordinator_a)

    response = client.post(url, opened | {f"i{count.pk}-v": "36"})

    assert response.status_code == 302
    assert messages_of(response) == ["Saved 1 figure (0 new, 1 changed, 0 removed)."]
    assert Actual.objects.get(indicator=count, period=NOV_2016).value == 36
    # The percentage the officer left alone (blank on their page) is the coordinator's still.
    kept = Actual.objects.get(indicator=ratio, period=NOV_2016)
    assert (kept.numerator, kept.entered_by, kept.version) == (9, coordinator_a, 1)
    assert [c.changed_by for c in FigureChange.objects.order_by("pk")] == [
        coordinator_a,
        officer_a,
    ]


@pytest.mark.django_db
def test_month_sheet_override_after_conflict_changes_only_the_users_cells(
    client, officer_a, coordinator_a, sheet
):
    count, ratio = sheet
    client.force_login(officer_a)
    url = sheet_url(count.partnership)
    opened = form_data(client.get(url))
    entered_by_other(count, NOV_2016, (Decimal(40),), by=coordinator_a)
    entered_by_other(ratio, NOV_2016, (Decimal(90), Decimal(9), Decimal(10)), by=coordinator_a)
    conflict = client.post(url, opened | {f"i{count.pk}-v": "36"})
    assert error_summary(conflict)[:2] == [
        "Nothing was saved. Your figure is still in its box: check it below and save again.",
        "This now shows a figure someone else saved: SAT 01 Victim satisfaction (9 out of 10).",
    ]
    assert len(error_summary(conflict)) == 3
    shown_again = form_data(conflict)
    # The box the officer changed keeps their figure; the one they left shows the new one.
    assert (shown_again[f"i{count.pk}-v"], shown_again[f"initial-i{count.pk}-v"]) == ("36", "40")
    assert (shown_again[f"i{ratio.pk}-n"], shown_again[f"i{ratio.pk}-d"]) == ("9", "10")

    again = client.post(url, shown_again)

    assert again.status_code == 302
    assert messages_of(again) == ["Saved 1 figure (0 new, 1 changed, 0 removed)."]
    replaced = Actual.objects.get(indicator=count, period=NOV_2016)
    assert (replaced.value, replaced.version, replaced.entered_by) == (36, 3, officer_a)
    kept = Actual.objects.get(indicator=ratio, period=NOV_2016)
    assert (kept.value, kept.version, kept.entered_by) == (90, 1, coordinator_a)
    assert FigureChange.objects.filter(changed_by=officer_a).count() == 1


@pytest.mark.django_db
def test_month_sheet_conflict_on_one_box_of_a_percentage_keeps_the_other_persons_box(
    client, officer_a, coordinator_a, sheet
):
    count, ratio = sheet
    ActualFactory(indicator=ratio, period=NOV_2016, value=50, numerator=5, denominator=10)
    url = sheet_url(count.partnership)
    client.force_login(officer_a)
    colleague = Client()
    colleague.force_login(coordinator_a)
    opened, colleague_opened = form_data(client.get(url)), form_data(colleague.get(url))
    numerator, denominator = f"i{ratio.pk}-n", f"i{ratio.pk}-d"
    # The colleague changes only the numerator, then the officer only the denominator.
    assert colleague.post(url, colleague_opened | {numerator: "7"}).status_code == 302

    conflict = client.post(url, opened | {denominator: "20"})

    assert error_summary(conflict) == [
        "Nothing was saved. Your figure is still in its box: check it below and save again.",
        "SAT 01 Victim satisfaction: Sam Other changed it to 7 out of 10 after you opened "
        "this page. Your denominator (20) is still in its box; the numerator is now 7, as "
        "stored: save again to use 7 out of 20 instead, or change it.",
    ]
    shown_again = form_data(conflict)
    assert (shown_again[numerator], shown_again[denominator]) == ("7", "20")

    again = client.post(url, shown_again)

    assert messages_of(again) == ["Saved 1 figure (0 new, 1 changed, 0 removed)."]
    saved = Actual.objects.get(indicator=ratio, period=NOV_2016)
    assert (saved.numerator, saved.denominator, saved.value) == (7, 20, 35)


@pytest.mark.django_db
def test_month_sheet_conflict_on_one_box_of_a_percentage_removed_since_opened(
    client, officer_a, coordinator_a, sheet
):
    count, ratio = sheet
    ActualFactory(indicator=ratio, period=NOV_2016, value=50, numerator=5, denominator=10)
    url = sheet_url(count.partnership)
    client.force_login(officer_a)
    opened = form_data(client.get(url))
    entered_by_other(ratio, NOV_2016, (None, None, None), by=coordinator_a)

    conflict = client.post(url, opened | {f"i{ratio.pk}-d": "20"})

    assert error_summary(conflict) == [
        "Nothing was saved. Your figure is still in its box: check it below and save again.",
        "SAT 01 Victim satisfaction: Sam Other removed it after you opened this page. Your "
        "denominator (20) is still in its box; the numerator box is now blank, as stored: "
        "enter a numerator and save again, or clear the denominator to leave the figure "
        "removed.",
    ]
    shown_again = form_data(conflict)
    assert (shown_again[f"i{ratio.pk}-n"], shown_again[f"i{ratio.pk}-d"]) == ("", "20")
    assert not Actual.objects.filter(indicator=ratio, period=NOV_2016).exists()


@pytest.mark.django_db
def test_month_sheet_stale_untouched_figure_is_never_written(
    client, officer_a, coordinator_a, sheet
):
    count, _ratio = sheet
    client.force_login(officer_a)
    url = sheet_url(count.partnership)
    opened = form_data(client.get(url))
    entered_by_other(count, NOV_2016, (Decimal(40),), by=coordinator_a)

    # The officer changes nothing: the stale 35 in their box is not theirs to save.
    response = client.post(url, opened)

    assert messages_of(response) == ["No figures had changed, so nothing was saved."]
    assert Actual.objects.get(indicator=count, period=NOV_2016).value == 40


@pytest.mark.django_db
def test_month_sheet_rate_stored_with_its_parts_can_be_changed(client, officer_a, partnership_a):
    # A rate imported with numerator and denominator shows as one value on the sheet.
    rate = IndicatorFactory(partnership=partnership_a, code="RT 01", measure="rate")
    ActualFactory(
        indicator=rate, period=NOV_2016, value=Decimal("2.5"), numerator=5, denominator=2000
    )
    client.force_login(officer_a)
    url = sheet_url(partnership_a)
    opened = form_data(client.get(url))
    assert opened[f"initial-i{rate.pk}-v"] == "2.5"

    response = client.post(url, opened | {f"i{rate.pk}-v": "2.6"})

    assert response.status_code == 302
    assert Actual.objects.get(indicator=rate).value == Decimal("2.6")


@pytest.mark.django_db
def test_month_sheet_figure_stored_under_older_rules_does_not_stop_a_save(client, officer_a, sheet):
    count, ratio = sheet
    # Numerator above denominator: refused today, stored before the rule existed.
    ActualFactory(
        indicator=ratio, period=NOV_2016, value=Decimal(120), numerator=12, denominator=10
    )
    client.force_login(officer_a)
    url = sheet_url(count.partnership)

    response = client.post(url, form_data(client.get(url)) | {f"i{count.pk}-v": "36"})

    assert response.status_code == 302
    assert Actual.objects.get(indicator=count, period=NOV_2016).value == 36
    assert Actual.objects.get(indicator=ratio, period=NOV_2016).numerator == 12


@pytest.mark.django_db
def test_month_sheet_figure_removed_since_opened_is_a_conflict(
    client, officer_a, coordinator_a, sheet
):
    count, _ratio = sheet
    client.force_login(officer_a)
    url = sheet_url(count.partnership)
    opened = form_data(client.get(url))
    entered_by_other(count, NOV_2016, (None,), by=coordinator_a)

    response = client.post(url, opened | {f"i{count.pk}-v": "36"})

    assert error_summary(response) == [
        "Nothing was saved. Your figure is still in its box: check it below and save again.",
        "HC 01 Hate crime: Sam Other removed it after you opened this page. "
        "Your figure (36) is still in the box: save again to use it instead, or change it.",
    ]
    assert not Actual.objects.filter(indicator=count, period=NOV_2016).exists()
    again = client.post(url, form_data(response))
    assert again.status_code == 302
    assert Actual.objects.get(indicator=count, period=NOV_2016).value == 36


@pytest.mark.django_db
def test_month_sheet_post_without_shown_figures_cannot_overwrite(client, officer_a, sheet):
    count, _ratio = sheet
    client.force_login(officer_a)

    # A page from before the shown figures, or a script: as if it showed blanks.
    response = client.post(sheet_url(count.partnership), {f"i{count.pk}-v": "36"})

    assert response.status_code == 200
    assert error_summary(response)[1].startswith("HC 01 Hate crime: someone else changed it to 35")
    assert Actual.objects.get(indicator=count, period=NOV_2016).value == 35


@pytest.mark.django_db
def test_actuals_save_lost_race_to_add_a_figure_is_a_conflict(
    monkeypatch, officer_a, coordinator_a, sheet
):
    """The second of two people adding the same figure at once: there was no row to lock,
    so their insert meets the other's row (IntegrityError), and that is a conflict."""
    _, ratio = sheet
    read = services._locked_actuals
    calls = []

    def read_before_the_other_commits(places):
        calls.append(places)
        if len(calls) == 1:  # the other officer's figure lands just after this read
            entered_by_other(
                ratio, NOV_2016, (Decimal(90), Decimal(9), Decimal(10)), by=coordinator_a
            )
            return {}
        return read(places)

    monkeypatch.setattr(services, "_locked_actuals", read_before_the_other_commits)

    with pytest.raises(services.FigureConflict) as conflict:
        services.actuals_save(
            entries=[
                services.FigureInput(
                    ratio, NOV_2016, Decimal(80), Decimal(8), Decimal(10), shown=NO_FIGURE
                )
            ],
            by=officer_a,
        )

    [found] = conflict.value.conflicts
    assert (found.current.numerator, found.by) == (9, coordinator_a)
    # Staged on one connection, the other's figure rolls back with this save; the
    # threaded test in test_concurrency.py shows it kept when it is really another session.
    assert not FigureChange.objects.filter(changed_by=officer_a).exists()
    assert not Actual.objects.filter(entered_by=officer_a).exists()


@pytest.mark.django_db
def test_actuals_save_lost_race_with_the_same_figure_saves_nothing(
    monkeypatch, officer_a, coordinator_a, sheet
):
    _, ratio = sheet
    read = services._locked_actuals
    calls = []

    def read_before_the_other_commits(places):
        calls.append(places)
        if len(calls) == 1:
            entered_by_other(
                ratio, NOV_2016, (Decimal(90), Decimal(9), Decimal(10)), by=coordinator_a
            )
            return {}
        return read(places)

    monkeypatch.setattr(services, "_locked_actuals", read_before_the_other_commits)

    result = services.actuals_save(
        entries=[
            services.FigureInput(
                ratio, NOV_2016, Decimal(90), Decimal(9), Decimal(10), shown=NO_FIGURE
            )
        ],
        by=officer_a,
    )

    assert (result.written, result.unchanged) == (0, 1)
    assert [c.changed_by for c in FigureChange.objects.all()] == [coordinator_a]


@pytest.mark.django_db
def test_month_sheet_quarterly_indicator_is_entered_at_quarter_start(
    client, officer_a, partnership_a
):
    referrals = IndicatorFactory(
        partnership=partnership_a, code="REF 01", polarity="higher", frequency="quarterly"
    )
    ActualFactory(indicator=referrals, period=datetime.date(2015, 4, 1), value=250)
    client.force_login(officer_a)
    url = sheet_url(partnership_a, "2016-05")

    [(cell, _, last)] = client.get(url).context["grid"]
    response = client.post(url, {f"i{referrals.pk}-v": "260", f"i{referrals.pk}-ver": "0"})

    assert (cell.period, last.value) == (datetime.date(2016, 4, 1), 250)
    assert response.status_code == 302
    assert Actual.objects.get(indicator=referrals, value=260).period == datetime.date(2016, 4, 1)


@pytest.mark.django_db
def test_month_sheet_future_month_refuses_figures(client, officer_a, sheet):
    count, ratio = sheet
    client.force_login(officer_a)
    future = periods.add_months(periods.month_start(timezone.localdate()), 1)
    label = periods.month_label(future)

    response = client.post(
        sheet_url(count.partnership, f"{future:%Y-%m}"),
        {f"i{count.pk}-v": "5", f"i{count.pk}-ver": "0", f"i{ratio.pk}-ver": "0"},
    )

    assert response.status_code == 200
    assert error_summary(response) == [f"HC 01 Hate crime: {label} has not started yet."]
    assert not Actual.objects.filter(period=future).exists()


# The year grid --------------------------------------------------------------------------


def grid_url(indicator, year=2016):
    return reverse("indicators:year_grid", args=[indicator.partnership.slug, indicator.pk, year])


@pytest.mark.django_db
def test_year_grid_post_saves_twelve_months(client, officer_a, partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, code="HC 01", title="Hate crime")
    client.force_login(officer_a)
    months = periods.fy_months(2016)
    data = {f"m{m:%Y-%m}-v": str(10 + i) for i, m in enumerate(months)}
    data |= {f"m{m:%Y-%m}-ver": "0" for m in months}

    response = client.post(grid_url(indicator), data)

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("indicators:detail", args=[partnership_a.slug, indicator.pk]) + "?year=2016"
    )
    assert messages_of(response) == ["Saved 12 figures (12 new, 0 changed, 0 removed)."]
    assert dict(Actual.objects.values_list("period", "value")) == {
        m: Decimal(10 + i) for i, m in enumerate(months)
    }


@pytest.mark.parametrize("stray", ["m2017-04-v", "m2016-03-v"])
@pytest.mark.django_db
def test_year_grid_post_period_outside_financial_year_is_rejected(
    client, officer_a, partnership_a, stray
):
    indicator = IndicatorFactory(partnership=partnership_a, code="HC 01", title="Hate crime")
    client.force_login(officer_a)

    response = client.post(
        grid_url(indicator), {"m2016-04-v": "10", "m2016-04-ver": "0", stray: "12"}
    )

    assert response.status_code == 200
    month = stray[1:8]
    assert f"{month} is outside the financial year 2016/17." in error_summary(response)
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_year_grid_post_ratio_period_outside_financial_year_names_the_month(
    client, officer_a, partnership_a
):
    indicator = IndicatorFactory(
        partnership=partnership_a, code="SAT 01", measure="percentage", polarity="higher"
    )
    client.force_login(officer_a)

    response = client.post(grid_url(indicator), {"m2017-04-n": "9", "m2017-04-d": "10"})

    assert error_summary(response) == ["2017-04 is outside the financial year 2016/17."]
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_year_grid_post_future_month_is_rejected(client, officer_a, partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, code="HC 01", title="Hate crime")
    client.force_login(officer_a)
    this_month = periods.month_start(timezone.localdate())
    future = periods.add_months(this_month, 1)
    year = periods.financial_year_of(future)

    response = client.post(
        grid_url(indicator, year),
        {f"m{future:%Y-%m}-v": "5", f"m{future:%Y-%m}-ver": "0"},
    )

    assert response.status_code == 200
    assert error_summary(response) == [f"{periods.month_label(future)} has not started yet."]
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_year_grid_post_future_quarter_names_it_once(client, officer_a, partnership_a):
    indicator = IndicatorFactory(
        partnership=partnership_a, code="REF 01", title="Referrals", frequency="quarterly"
    )
    client.force_login(officer_a)
    this_month = periods.month_start(timezone.localdate())
    year = periods.financial_year_of(this_month) + 1
    first = periods.fy_start(year)

    response = client.post(
        grid_url(indicator, year), {f"m{first:%Y-%m}-v": "5", f"m{first:%Y-%m}-ver": "0"}
    )

    assert error_summary(response) == [
        f"Q1 ({periods.month_label(first)} quarter) has not started yet."
    ]
    assert not Actual.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "indicators/{pk}/?year=99999",
        "indicators/{pk}/?year=0",
        "indicators/{pk}/year/0/",
        "indicators/{pk}/year/99999/",
        "figures/9999-12/",
        "figures/0001-01/",
        "figures/2016-13/",
    ],
)
def test_pages_year_out_of_range_is_404(client, officer_a, partnership_a, path):
    indicator = hate_crime_indicator(partnership_a)
    client.force_login(officer_a)

    response = client.get(f"/p/{partnership_a.slug}/" + path.format(pk=indicator.pk))

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["abc", "²", "-2016"])
def test_indicator_detail_year_not_a_number_shows_latest_year(
    client, officer_a, partnership_a, year
):
    indicator = hate_crime_indicator(partnership_a)
    client.force_login(officer_a)

    response = client.get(
        reverse("indicators:detail", args=[partnership_a.slug, indicator.pk]), {"year": year}
    )

    assert response.status_code == 200
    assert response.context["year"] == 2016


@pytest.mark.django_db
def test_year_grid_boxes_name_their_own_indicator_beside_another_with_blank_months(
    client, officer_a, partnership_a
):
    # The same measure, no figures: rows alike but for the code naming their boxes.
    first = IndicatorFactory(partnership=partnership_a, code="SP 01", measure="count")
    second = IndicatorFactory(partnership=partnership_a, code="SP 02", measure="count")
    client.force_login(officer_a)

    pages = [client.get(grid_url(indicator)).content.decode() for indicator in (first, second)]

    labels = [re.findall(r'<label [^>]*for="id_m[^>]*>([^<]*)</label>', p) for p in pages]
    assert len(labels[0]) == len(labels[1]) == 12
    codes = [{label.split(", ")[-1] for label in page_labels} for page_labels in labels]
    assert codes == [{"SP 01"}, {"SP 02"}]


@pytest.mark.django_db
def test_year_grid_quarterly_indicator_has_four_inputs(client, officer_a, partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    client.force_login(officer_a)

    response = client.get(grid_url(indicator))

    keys = [cell.key for cell, *_ in response.context["grid"]]
    assert keys == ["m2016-04", "m2016-07", "m2016-10", "m2017-01"]


@pytest.mark.django_db
def test_year_grid_conflicts_only_where_both_changed_the_same_month(
    client, officer_a, coordinator_a, partnership_a
):
    indicator = hate_crime_indicator(partnership_a)
    october = datetime.date(2016, 10, 1)
    client.force_login(officer_a)
    opened = form_data(client.get(grid_url(indicator)))
    entered_by_other(indicator, NOV_2016, (Decimal(40),), by=coordinator_a)
    entered_by_other(indicator, october, (Decimal(50),), by=coordinator_a)

    response = client.post(grid_url(indicator), opened | {"m2016-11-v": "36"})

    assert error_summary(response) == [
        "Nothing was saved. Your figure is still in its box: check it below and save again.",
        "This now shows a figure someone else saved: October 2016 (50).",
        "November 2016: Sam Other changed it to 40 after you opened this page. "
        "Your figure (36) is still in the box: save again to use it instead, or change it.",
    ]
    again = client.post(grid_url(indicator), form_data(response))
    assert again.status_code == 302
    stored = dict(
        Actual.objects.filter(indicator=indicator, period__in=[october, NOV_2016]).values_list(
            "period", "value"
        )
    )
    assert stored == {october: 50, NOV_2016: 36}


# Uploads ----------------------------------------------------------------------------------

ACTUALS_HEADER = "partnership,indicator,period,value,numerator,denominator,note\n"


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def hate_crime_a(partnership_a):
    return IndicatorFactory(partnership=partnership_a, code="HC 01", title="Hate crime")


@pytest.mark.django_db
def test_import_upload_officer_imports_own_partnership_actuals(client, officer_a, hate_crime_a):
    client.force_login(officer_a)
    csv_text = (
        ACTUALS_HEADER + "partnership-a,HC 01,2016-04,17,,,\npartnership-a,HC 01,2016-05,25,,,\n"
    )

    response = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [upload("actuals.csv", csv_text)]},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:list", args=["partnership-a"])
    assert messages_of(response) == ["Imported actuals: 2 new, 0 changed, 0 unchanged."]
    assert Actual.objects.filter(indicator=hate_crime_a).count() == 2
    assert {c.changed_by for c in FigureChange.objects.all()} == {officer_a}
    assert {c.source for c in FigureChange.objects.all()} == {"upload"}


@pytest.mark.django_db
def test_import_upload_officer_rows_of_other_partnership_are_refused(
    client, officer_a, hate_crime_a, partnership_b
):
    IndicatorFactory(partnership=partnership_b, code="HC 01")
    client.force_login(officer_a)
    csv_text = (
        ACTUALS_HEADER + "partnership-a,HC 01,2016-04,17,,,\npartnership-b,HC 01,2016-04,9,,,\n"
    )

    response = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [upload("actuals.csv", csv_text)]},
    )

    assert response.status_code == 200
    assert error_summary(response) == [
        "actuals.csv row 3: partnership 'partnership-b' is not Partnership A"
    ]
    assert "Nothing was imported: fix this problem and try again" in page_text(response)
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_import_upload_officer_indicators_file_is_refused(client, officer_a, hate_crime_a):
    client.force_login(officer_a)
    text = (
        "partnership,code,title,theme_group,polarity,measure,frequency,tolerance,unit\n"
        "partnership-a,NEW 01,New,,lower,count,monthly,5,\n"
    )

    response = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [upload("indicators.csv", text)]},
    )

    assert response.status_code == 200
    assert error_summary(response) == [
        "indicators.csv: you can import only actuals, actions, risks, recommendations, "
        "funding and commissioning here"
    ]
    assert Indicator.objects.count() == 1


@pytest.mark.django_db
def test_import_upload_badly_named_file_is_refused(client, officer_a, hate_crime_a):
    client.force_login(officer_a)

    response = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [upload("figures.csv", ACTUALS_HEADER)]},
    )

    assert response.status_code == 200
    # An officer is told the names of the files they may import, as the form's hint says.
    message = error_summary(response)[0]
    assert message.startswith("figures.csv: name CSV files actuals.csv, actions.csv")
    assert "partnerships.csv" not in message


@pytest.mark.django_db
def test_import_upload_officer_imports_workbook(client, officer_a, hate_crime_a):
    workbook = Workbook()
    workbook.active.title = "actuals"
    workbook.active.append(["partnership", "indicator", "period", "value"])
    workbook.active.append(["partnership-a", "HC 01", datetime.datetime(2016, 4, 1), 17])
    content = BytesIO()
    workbook.save(content)
    client.force_login(officer_a)

    response = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [SimpleUploadedFile("figures.xlsx", content.getvalue())]},
    )

    assert response.status_code == 302
    assert Actual.objects.get(indicator=hate_crime_a).period == datetime.date(2016, 4, 1)


@pytest.mark.django_db
def test_import_upload_file_not_utf8_is_refused(client, officer_a, hate_crime_a):
    client.force_login(officer_a)
    text = ACTUALS_HEADER + "partnership-a,HC 01,2016-04,17,,,Caf\xe9 figure\n"

    response = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [SimpleUploadedFile("actuals.csv", text.encode("cp1252"))]},
    )

    assert error_summary(response) == [
        "actuals.csv line 2: the file is not UTF-8 text: save it as CSV UTF-8 and try again"
    ]
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_import_upload_without_a_file_asks_for_one(client, officer_a, hate_crime_a):
    client.force_login(officer_a)
    url = reverse("indicators:import", args=["partnership-a"])
    # What a browser sends when no file is chosen: the form's token and no file part.
    token = str(client.get(url).context["csrf_token"])

    response = client.post(url, {"csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert error_summary(response) == ["Choose at least one file to import."]


ALL_FILES = {
    "partnerships.csv": "slug,name,population,police_force\nnew-csp,New CSP,1000,New Police\n",
    "indicators.csv": (
        "partnership,code,title,theme_group,polarity,measure,frequency,tolerance,unit\n"
        "new-csp,HC 01,Hate crime,Cohesion,higher,count,monthly,5,hate crimes\n"
    ),
    "targets.csv": (
        "partnership,indicator,year,type,value,baseline_year,period\n"
        "new-csp,HC 01,2016/17,annual,300,,\n"
    ),
    "actuals.csv": ACTUALS_HEADER + "new-csp,HC 01,2016-04,17,,,\n",
}


@pytest.mark.django_db
def test_import_upload_admin_imports_every_file(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("indicators:import_all"),
        {"files": [upload(name, text) for name, text in ALL_FILES.items()]},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:import_all")
    assert messages_of(response) == [
        "Imported partnerships: 1 new, 0 changed, 0 unchanged; "
        "indicators: 1 new, 0 changed, 0 unchanged; targets: 1 new, 0 changed, 0 unchanged; "
        "actuals: 1 new, 0 changed, 0 unchanged. New theme group: Cohesion (New CSP)."
    ]
    indicator = Indicator.objects.get(partnership__slug="new-csp", code="HC 01")
    assert indicator.targets.get().value == 300
    assert indicator.actuals.get().value == 17


@pytest.mark.django_db
def test_import_upload_dry_run_shows_summary_and_saves_nothing(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("indicators:import_all"),
        {"files": [upload(name, text) for name, text in ALL_FILES.items()], "dry_run": "on"},
    )

    assert response.status_code == 200
    text = page_text(response)
    assert "The files are valid" in text
    assert "Would import partnerships: 1 new, 0 changed, 0 unchanged;" in text
    assert error_summary(response) == []
    assert not Indicator.objects.exists()
    assert not FigureChange.objects.exists()


# The indicator list and detail ------------------------------------------------------------


@pytest.fixture
def listed(partnership_a):
    cohesion = ThemeGroupFactory(partnership=partnership_a, name="Cohesion")
    violence = ThemeGroupFactory(partnership=partnership_a, name="Violence")
    hate = IndicatorFactory(
        partnership=partnership_a,
        theme_group=cohesion,
        code="HC 01",
        title="Hate crime",
        polarity="higher",
    )
    IndicatorFactory(
        partnership=partnership_a,
        theme_group=violence,
        code="SAT 01",
        title="Victim satisfaction",
        polarity="higher",
        measure="percentage",
    )
    IndicatorFactory(
        partnership=partnership_a,
        theme_group=violence,
        code="VI 01",
        title="Violence with injury",
        polarity="lower",
    )
    ActualFactory(indicator=hate, period=datetime.date(2016, 4, 1), value=17)
    ActualFactory(indicator=hate, period=datetime.date(2016, 5, 1), value=25)
    return {"cohesion": cohesion, "violence": violence}


def list_url(query=""):
    return reverse("indicators:list", args=["partnership-a"]) + query


def listed_codes(response) -> list[str]:
    return [indicator.code for indicator in response.context["table"].data]


@pytest.mark.django_db
def test_indicator_list_filters(client, officer_a, listed):
    client.force_login(officer_a)

    assert listed_codes(client.get(list_url())) == ["HC 01", "SAT 01", "VI 01"]
    by_group = client.get(list_url(f"?theme_group={listed['violence'].pk}"))
    assert listed_codes(by_group) == ["SAT 01", "VI 01"]
    assert listed_codes(client.get(list_url("?polarity=lower"))) == ["VI 01"]
    assert listed_codes(client.get(list_url("?measure=percentage"))) == ["SAT 01"]
    assert listed_codes(client.get(list_url("?polarity=higher&measure=count"))) == ["HC 01"]
    assert listed_codes(client.get(list_url("?q=victim"))) == ["SAT 01"]


@pytest.mark.django_db
def test_indicator_list_export_csv_has_header_and_filtered_rows(client, officer_a, listed):
    client.force_login(officer_a)

    response = client.get(list_url("?polarity=higher&_export=csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "partnership-a-indicators.csv" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "Code,Indicator,Theme group,Polarity,Measure,Frequency,Latest figure,Figures,Owner"
    )
    assert [line.split(",")[0] for line in lines[1:]] == ["HC 01", "SAT 01"]
    assert lines[1].startswith(
        "HC 01,Hate crime,Cohesion,Higher is better,Count,Monthly,2016-05,2,"
    )


@pytest.mark.django_db
def test_indicator_list_export_xlsx_is_a_workbook(client, officer_a, listed):
    client.force_login(officer_a)

    response = client.get(list_url("?_export=xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Code", "Indicator", "Theme group")
    assert [row[0] for row in rows[1:]] == ["HC 01", "SAT 01", "VI 01"]


@pytest.mark.django_db
def test_indicator_detail_shows_months_history_and_commentary(client, officer_a, partnership_a):
    indicator = hate_crime_indicator(partnership_a)
    services.actuals_save(
        entries=[services.FigureInput(indicator, NOV_2016, Decimal(36), shown=Figure(Decimal(35)))],
        by=officer_a,
        reason="revised by police",
    )
    client.force_login(officer_a)

    response = client.get(reverse("indicators:detail", args=[partnership_a.slug, indicator.pk]))

    assert response.status_code == 200
    assert response.context["year"] == 2016
    rows = {month: (this, last, change) for month, this, last, change in response.context["rows"]}
    assert list(rows) == periods.fy_months(2016)
    assert (rows[NOV_2016][0].value, rows[NOV_2016][1].value, rows[NOV_2016][2]) == (36, 38, -2)
    assert rows[datetime.date(2016, 12, 1)][0] is None
    text = page_text(response)
    assert "2016/17 against 2015/16" in text
    # The history row: who, what, old, new and why.
    history = re.search(r"History of changes.*?</table>", text).group(0)
    assert officer_a.get_full_name() in history
    assert "Figure for November 2016" in history
    assert re.search(
        r'numeric">35</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">36</td>',
        history,
    )
    assert "revised by police" in history
    assert response.context["sentence"].startswith(
        "Between April and the end of November there have been 288 hate crimes recorded, "
        "69 more than the same period last year, a 32% increase."
    )
    assert response.context["sentence"] in text


@pytest.mark.django_db
def test_indicator_detail_year_without_figures_says_so(client, officer_a, partnership_a):
    indicator = hate_crime_indicator(partnership_a)
    client.force_login(officer_a)

    response = client.get(
        reverse("indicators:detail", args=[partnership_a.slug, indicator.pk]) + "?year=2014"
    )

    assert response.status_code == 200
    assert "There are no figures for 2014/15 yet." in page_text(response)
    assert response.context["result"] is None


@pytest.mark.django_db
def test_month_sheet_post_for_another_partnerships_indicator_is_refused(
    client, officer_a, sheet, partnership_b
):
    count, ratio = sheet
    other = IndicatorFactory(partnership=partnership_b, code="B 01")
    client.force_login(officer_a)
    before = figures()

    response = client.post(
        sheet_url(count.partnership),
        {**sheet_post(count, ratio, **{"COUNT-v": "36"}), f"i{other.pk}-v": "5"},
    )

    assert response.status_code == 200
    # Another partnership's indicator is never named, nor its key shown.
    assert error_summary(response) == [
        "A figure sent with this page is not for an active indicator of Partnership A, "
        "so it was not saved."
    ]
    assert figures() == before


@pytest.mark.parametrize(
    ("measure", "typed", "said"),
    [
        ("count", {"v": "50"}, "so your figure (50) was not saved"),
        ("percentage", {"n": "9", "d": "10"}, "so your figure (9 out of 10) was not saved"),
        ("count", {"v": ""}, "so its figure was not removed"),
    ],
)
@pytest.mark.django_db
def test_month_sheet_figure_for_an_indicator_deactivated_while_open_names_it_and_keeps_the_rest(
    client, officer_a, sheet, measure, typed, said
):
    count, ratio = sheet
    reporting = IndicatorFactory(
        partnership=count.partnership,
        theme_group=count.theme_group,
        code="HC 07",
        title="Increase reporting of hate crime",
        measure=measure,
        polarity="higher",
    )
    parts = {"numerator": 4, "denominator": 10} if measure == "percentage" else {}
    ActualFactory(indicator=reporting, period=NOV_2016, value=40, **parts)
    client.force_login(officer_a)
    url = sheet_url(count.partnership)
    opened = form_data(client.get(url))
    # An administrator deactivates it while the officer has the sheet open.
    reporting.active = False
    reporting.save()
    before = figures()

    response = client.post(
        url,
        opened
        | {f"i{count.pk}-v": "36", f"i{ratio.pk}-n": "8", f"i{ratio.pk}-d": "9"}
        | {f"i{reporting.pk}-{part}": text for part, text in typed.items()},
    )

    assert response.status_code == 200
    assert error_summary(response) == [
        f"HC 07 Increase reporting of hate crime is no longer active, {said}."
    ]
    assert figures() == before
    # The figures typed for the rest of the sheet are still in their boxes.
    shown_again = form_data(response)
    assert shown_again[f"i{count.pk}-v"] == "36"
    assert (shown_again[f"i{ratio.pk}-n"], shown_again[f"i{ratio.pk}-d"]) == ("8", "9")
    assert f"i{reporting.pk}-v" not in shown_again

    again = client.post(url, shown_again)

    assert messages_of(again) == ["Saved 2 figures (1 new, 1 changed, 0 removed)."]


@pytest.mark.django_db
def test_month_sheet_untouched_figure_of_an_indicator_deactivated_while_open_does_not_stop_a_save(
    client, officer_a, sheet
):
    count, _ratio = sheet
    reporting = IndicatorFactory(partnership=count.partnership, code="HC 07")
    ActualFactory(indicator=reporting, period=NOV_2016, value=40)
    client.force_login(officer_a)
    url = sheet_url(count.partnership)
    opened = form_data(client.get(url))
    reporting.active = False
    reporting.save()

    response = client.post(url, opened | {f"i{count.pk}-v": "36"})

    assert messages_of(response) == ["Saved 1 figure (0 new, 1 changed, 0 removed)."]
    assert Actual.objects.get(indicator=reporting, period=NOV_2016).value == 40


@pytest.mark.django_db
def test_an_empty_month_sheet_sends_officers_to_an_administrator_not_to_an_import_they_cannot_use(
    client, officer_a, admin_user, partnership_a
):
    client.force_login(officer_a)
    officer_page = page_text(client.get(sheet_url(partnership_a)))
    client.force_login(admin_user)
    admin_page = client.get(sheet_url(partnership_a)).content.decode()

    assert "Ask an administrator to add them" in officer_page
    assert "Import indicators" not in officer_page
    assert reverse("indicators:import", args=[partnership_a.slug]) in admin_page


@pytest.mark.django_db
def test_a_new_indicator_offers_the_year_before_so_last_year_can_be_entered(
    client, officer_a, partnership_a
):
    indicator = IndicatorFactory(partnership=partnership_a)
    client.force_login(officer_a)
    this_year = periods.financial_year_of(timezone.localdate())

    page = page_text(client.get(indicator.get_absolute_url()))
    grid = client.get(grid_url(indicator, this_year)).content.decode()
    earlier = client.get(grid_url(indicator, this_year - 1)).content.decode()

    before, now = periods.fy_label(this_year - 1), periods.fy_label(this_year)
    assert re.search(rf"Financial year: <a [^>]*>{before}</a> · <strong>{now}</strong>", page)
    assert grid_url(indicator, this_year - 1) in grid
    assert grid_url(indicator, this_year + 1) not in grid  # a year not begun
    assert grid_url(indicator, this_year) in earlier


@pytest.mark.django_db
def test_a_csv_download_tells_excel_it_is_utf8(client, officer_a, listed):
    Indicator.objects.filter(code="HC 01").update(title="Hate crime – £ spent")
    client.force_login(officer_a)

    content = client.get(list_url("?_export=csv")).content

    assert content.startswith("\ufeff".encode())
    assert "Hate crime – £ spent" in content.decode("utf-8-sig")
    assert not client.get(list_url("?_export=xlsx")).content.startswith("\ufeff".encode())
