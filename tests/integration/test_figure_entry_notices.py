"""What the figure pages say up front and after a refused save: the months a published
report covers (a change needs a reason), and, after a conflict, that nothing was saved
and which boxes now show someone else's figures."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Actual
from reports import services as report_services
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    ReportFactory,
    TargetFactory,
    ThemeGroupFactory,
)
from tests.factories.series import actuals_create, hate_crime_indicator, indicators_with_history
from tests.integration.test_figure_entry import (
    entered_by_other,
    error_summary,
    form_data,
    messages_of,
    page_text,
    table_row,
)

NOV_2016 = datetime.date(2016, 11, 1)
COVERS = (
    "The published report “Hate crime update” (Scrutiny panel, 24 January 2017) covers "
    "{months}: a change needs a reason, and the next report will show it as a revision."
)


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
def hate_crime(partnership_a):
    return hate_crime_indicator(partnership_a)


@pytest.fixture
def published(partnership_a, hate_crime):
    report = ReportFactory(partnership=partnership_a, title="Hate crime update", period=NOV_2016)
    report_services.report_publish(report=report, by=None)
    return report


def sheet_url(partnership, month="2016-11"):
    return reverse("indicators:month_sheet", args=[partnership.slug, month])


def grid_url(indicator, year=2016):
    return reverse("indicators:year_grid", args=[indicator.partnership.slug, indicator.pk, year])


SHEET_COVERS = (
    "The published report “Hate crime update” (Scrutiny panel, 24 January 2017) covers "
    "November 2016 for {which}: a change to their figures needs a reason, and the next "
    "report will show it as a revision."
)
PUBLISHED_TAG = 'Published<span class="govuk-visually-hidden"> in a report, so a change'


@pytest.mark.django_db
def test_month_sheet_says_up_front_that_a_published_report_covers_its_month(
    client, officer_a, published, hate_crime
):
    client.force_login(officer_a)

    covered = page_text(client.get(sheet_url(hate_crime.partnership)))
    open_month = page_text(client.get(sheet_url(hate_crime.partnership, "2016-12")))

    assert SHEET_COVERS.format(which="SP 09, marked “Published” below") in covered
    assert "Reason for changing figures" in covered  # the reason box, shown up front
    assert "The published report" not in open_month
    assert PUBLISHED_TAG not in open_month


@pytest.mark.django_db
def test_month_sheet_marks_only_the_rows_the_report_locked(
    client, officer_a, published, hate_crime, partnership_a
):
    """Review finding: the notice spoke for the whole sheet, but a report locks only the
    indicators it showed: SP 10 (no figures then, so not shown) saved with no reason."""
    asb = IndicatorFactory(partnership=partnership_a, code="SP 10", title="ASB")
    client.force_login(officer_a)
    url = sheet_url(partnership_a)

    for _ in range(2):  # built, then from the cache
        response = client.get(url)
        assert SHEET_COVERS.format(which="SP 09, marked “Published” below") in page_text(response)
        assert PUBLISHED_TAG in table_row(response, "Police recorded hate crime")
        assert "Published" not in table_row(response, "ASB")

    saved = client.post(url, form_data(response) | {f"i{asb.pk}-v": "12"})
    assert saved.status_code == 302
    assert Actual.objects.get(indicator=asb, period=NOV_2016).value == 12


@pytest.mark.django_db
def test_month_sheet_counts_the_locked_rows_when_many(client, officer_a, partnership_a):
    indicators_with_history(partnership_a, 5, last=NOV_2016)
    IndicatorFactory(partnership=partnership_a, code="SP 99", title="Not shown")
    report = ReportFactory(partnership=partnership_a, title="Hate crime update", period=NOV_2016)
    report_services.report_publish(report=report, by=None)
    client.force_login(officer_a)

    response = client.get(sheet_url(partnership_a))

    which = "5 of the indicators below, marked “Published”"
    assert SHEET_COVERS.format(which=which) in page_text(response)
    assert page_text(response).count(PUBLISHED_TAG) == 5
    assert "Published" not in table_row(response, "Not shown")


@pytest.mark.django_db
def test_month_sheet_says_nothing_when_the_report_locked_none_of_its_rows(
    client, officer_a, published, hate_crime, partnership_a
):
    hate_crime.active = False
    hate_crime.save()
    IndicatorFactory(partnership=partnership_a, code="SP 10", title="ASB")
    client.force_login(officer_a)

    response = client.get(sheet_url(partnership_a))

    assert "The published report" not in page_text(response)
    assert PUBLISHED_TAG not in page_text(response)


@pytest.mark.django_db
def test_month_sheet_kept_before_a_report_is_published_marks_its_rows_after(
    client, officer_a, hate_crime, partnership_a
):
    client.force_login(officer_a)
    url = sheet_url(partnership_a)
    assert PUBLISHED_TAG not in page_text(client.get(url))

    report = ReportFactory(partnership=partnership_a, title="Hate crime update", period=NOV_2016)
    report_services.report_publish(report=report, by=None)

    response = client.get(url)
    assert PUBLISHED_TAG in table_row(response, "Police recorded hate crime")


@pytest.mark.django_db
def test_year_grid_says_which_of_its_months_a_published_report_covers(
    client, officer_a, published, hate_crime
):
    client.force_login(officer_a)

    this_year = page_text(client.get(grid_url(hate_crime)))
    next_year = page_text(client.get(grid_url(hate_crime, 2017)))

    assert COVERS.format(months="April to November 2016") in this_year
    # The quotation marks of the notices and the reason's hint are the curly ones.
    assert "for example “revised by police”." in this_year
    assert "The published report" not in next_year


@pytest.mark.django_db
def test_year_grid_boxes_of_locked_months_are_described_by_the_notice(
    client, officer_a, published, hate_crime
):
    # The month sheet's locked boxes named their tag; the year grid's named nothing.
    client.force_login(officer_a)

    page = client.get(grid_url(hate_crime)).text

    assert '<div class="govuk-inset-text" id="locked-notice" data-locked-notice>' in page
    november = re.search(r'<input type="text" name="m2016-11-v"[^>]*>', page).group()
    december = re.search(r'<input type="text" name="m2016-12-v"[^>]*>', page).group()
    assert 'aria-describedby="locked-notice"' in november
    assert "aria-describedby" not in december
    assert page.count('aria-describedby="locked-notice"') == 8  # April to November


@pytest.mark.django_db
def test_year_grid_boxes_of_a_rated_baseline_are_described_by_the_notice(
    client, officer_a, rated_on_2014, hate_crime
):
    client.force_login(officer_a)

    baseline = client.get(grid_url(hate_crime, 2014)).text
    before = client.get(grid_url(hate_crime, 2013)).text

    assert baseline.count('aria-describedby="locked-notice"') == 12
    assert "locked-notice" not in before


@pytest.mark.django_db
def test_year_grid_of_an_indicator_the_report_did_not_show_says_nothing_of_it(
    client, officer_a, published, partnership_a
):
    other = IndicatorFactory(partnership=partnership_a, code="SP 10", title="ASB")
    client.force_login(officer_a)

    assert "The published report" not in page_text(client.get(grid_url(other)))


JUNE_2014 = datetime.date(2014, 6, 1)
SHEET_RATED = (
    "The published report “Hate crime update” (Scrutiny panel, 24 January 2017) rated "
    "{which}, against {target}: a change to {its} 2014/15 figures needs a reason, and the next "
    "report will show it as a revision."
)
BASELINE_TAG = (
    'Baseline<span class="govuk-visually-hidden"> of a target a published report rated, so a '
    "change needs a reason</span>"
)


@pytest.fixture
def rated_on_2014(partnership_a, hate_crime):
    """SP 09's 2016/17 target, 5% more than 2014/15, rated by a report published for
    November 2016: 2014/15's figures, which no report covers, are locked by it."""
    TargetFactory(
        indicator=hate_crime,
        financial_year=2016,
        kind="change_pct",
        value=Decimal(5),
        baseline_year=2014,
    )
    report = ReportFactory(partnership=partnership_a, title="Hate crime update", period=NOV_2016)
    report_services.report_publish(report=report, by=None)
    return report


@pytest.mark.django_db
def test_month_sheet_of_a_rated_targets_baseline_says_so_and_tags_the_row(
    client, officer_a, rated_on_2014, hate_crime, partnership_a
):
    """Review finding: a month locked only as a rated change target's baseline asked for a
    reason on saving, but the sheet said nothing of it up front and tagged no row."""
    IndicatorFactory(partnership=partnership_a, code="SP 10", title="ASB")
    client.force_login(officer_a)
    url = sheet_url(partnership_a, "2014-06")

    for _ in range(2):  # built, then from the cache
        response = client.get(url)
        which = "SP 09, marked “Baseline” below"
        target = "its target for 2016/17, set as a change on 2014/15"
        assert SHEET_RATED.format(which=which, target=target, its="its") in page_text(response)
        assert "covers June 2014" not in page_text(response)
        assert BASELINE_TAG in table_row(response, "Police recorded hate crime")
        assert 'aria-describedby="baseline-' in table_row(response, "Police recorded hate crime")
        assert "Baseline" not in table_row(response, "ASB")
        assert "Published" not in page_text(response)

    # The notice and the save read one rule: the tagged row's change needs the reason.
    refused = client.post(url, form_data(response) | {f"i{hate_crime.pk}-v": "30"})
    assert "Give a reason for the late figure for SP 09 June 2014" in error_summary(refused)[0]
    assert BASELINE_TAG in table_row(refused, "Police recorded hate crime")


@pytest.mark.django_db
def test_month_sheet_locked_both_ways_says_both(
    client, officer_a, rated_on_2014, hate_crime, partnership_a
):
    """SP 10 is in a report covering June 2014 (its year is that report's last year); SP
    09's June 2014 figure only in the baseline of its rated target."""
    asb = IndicatorFactory(partnership=partnership_a, code="SP 10", title="ASB")
    actuals_create(asb, {JUNE_2014: 12, datetime.date(2015, 6, 1): 14})
    asb_update = ReportFactory(
        partnership=partnership_a,
        title="ASB update",
        period=datetime.date(2015, 6, 1),
        theme_group=asb.theme_group,
    )
    report_services.report_publish(report=asb_update, by=None)
    client.force_login(officer_a)

    response = client.get(sheet_url(partnership_a, "2014-06"))

    assert (
        "The published report “ASB update” (Scrutiny panel, 24 January 2017) covers June 2014 "
        "for SP 10, marked “Published” below: a change to their figures needs a reason, and "
        "the next report will show it as a revision."
    ) in page_text(response)
    which = "SP 09, marked “Baseline” below"
    target = "its target for 2016/17, set as a change on 2014/15"
    assert SHEET_RATED.format(which=which, target=target, its="its") in page_text(response)
    assert PUBLISHED_TAG in table_row(response, "ASB")
    assert BASELINE_TAG in table_row(response, "Police recorded hate crime")
    assert "Published" not in table_row(response, "Police recorded hate crime")


@pytest.mark.django_db
def test_month_sheet_names_each_rated_baseline_it_locks(
    client, officer_a, rated_on_2014, hate_crime, partnership_a
):
    asb = IndicatorFactory(partnership=partnership_a, code="SP 10", title="ASB")
    actuals_create(asb, {NOV_2016: 12})
    TargetFactory(
        indicator=asb, financial_year=2016, kind="change_pct", value=-3, baseline_year=2014
    )
    # Published again, now showing SP 10 too.
    report_services.report_publish(report=rated_on_2014, by=None, reason="SP 10 added")
    client.force_login(officer_a)

    response = client.get(sheet_url(partnership_a, "2014-06"))

    which = "SP 09 and SP 10, marked “Baseline” below"
    target = "their targets for 2016/17, set as changes on 2014/15"
    assert SHEET_RATED.format(which=which, target=target, its="their") in page_text(response)
    assert page_text(response).count(BASELINE_TAG) == 2


@pytest.mark.django_db
def test_month_sheet_of_a_month_no_report_locks_says_nothing(
    client, officer_a, rated_on_2014, partnership_a
):
    client.force_login(officer_a)

    response = client.get(sheet_url(partnership_a, "2013-06"))

    assert "data-locked-notice" not in response.text
    assert "The published report" not in page_text(response)
    assert "Baseline<span" not in response.text
    assert "Published<span" not in response.text


@pytest.mark.django_db
def test_year_grid_of_a_rated_targets_baseline_says_so(
    client, officer_a, rated_on_2014, hate_crime
):
    client.force_login(officer_a)

    baseline = page_text(client.get(grid_url(hate_crime, 2014)))
    before = page_text(client.get(grid_url(hate_crime, 2013)))

    assert (
        "The published report “Hate crime update” (Scrutiny panel, 24 January 2017) rated this "
        "indicator against its target for 2016/17, set as a change on 2014/15: a change to its "
        "2014/15 figures needs a reason, and the next report will show it as a revision."
    ) in baseline
    assert "The published report" not in before
    # The reason's hint spoke of periods a report covers only, which a baseline is not.
    assert (
        "Needed to change or add a figure a published report has used (a month it covers, "
        "or the baseline year of a target it rated); kept in the history of each figure you "
        "change, for example “revised by police”."
    ) in baseline


def _change_target(indicator, baseline_year, reason=""):
    from indicators.services import target_set

    target_set(
        indicator=indicator,
        financial_year=2016,
        kind="change_pct",
        value=Decimal(5),
        baseline_year=baseline_year,
        by=None,
        reason=reason,
    )


@pytest.mark.django_db
def test_a_change_target_set_before_publishing_locks_its_baseline(
    client, officer_a, hate_crime, partnership_a
):
    _change_target(hate_crime, 2014)
    report = ReportFactory(partnership=partnership_a, title="Hate crime update", period=NOV_2016)
    report_services.report_publish(report=report, by=None)
    client.force_login(officer_a)

    response = client.get(sheet_url(partnership_a, "2014-06"))

    assert BASELINE_TAG in table_row(response, "Police recorded hate crime")
    assert "rated SP 09" in page_text(response)


@pytest.mark.django_db
def test_a_change_target_set_after_publishing_locks_nothing(
    client, officer_a, published, hate_crime, partnership_a
):
    """Review finding: a change target set after the report was published (which printed
    none) locked its baseline year, and the notice said the report "rated" it."""
    _change_target(hate_crime, 2014, reason="agreed by the board")
    client.force_login(officer_a)
    url = sheet_url(partnership_a, "2014-06")

    response = client.get(url)
    grid = page_text(client.get(grid_url(hate_crime, 2014)))
    saved = client.post(url, form_data(response) | {f"i{hate_crime.pk}-v": "30"})

    assert "The published report" not in page_text(response)
    assert "Baseline<span" not in response.text
    assert "The published report" not in grid
    assert saved.status_code == 302
    assert Actual.objects.get(indicator=hate_crime, period=JUNE_2014).value == 30


@pytest.mark.django_db
def test_a_change_targets_baseline_moved_after_publishing_locks_the_one_rated(
    client, officer_a, hate_crime, partnership_a
):
    """The report rated the target set as a change on 2013/14: moved to 2014/15 since, the
    year it was worked out from stays locked and the new baseline is not."""
    _change_target(hate_crime, 2013)
    report = ReportFactory(partnership=partnership_a, title="Hate crime update", period=NOV_2016)
    report_services.report_publish(report=report, by=None)
    _change_target(hate_crime, 2014, reason="baseline corrected")
    client.force_login(officer_a)

    rated = client.get(sheet_url(partnership_a, "2013-06"))
    moved = client.get(sheet_url(partnership_a, "2014-06"))

    assert BASELINE_TAG in table_row(rated, "Police recorded hate crime")
    assert "set as a change on 2013/14" in page_text(rated)
    assert "Baseline<span" not in moved.text


RATED_BASELINE = (
    "the baseline year of SP 09's target for 2016/17, which the published report "
    "“Hate crime update” rated"
)


@pytest.mark.django_db
def test_saving_a_rated_targets_baseline_without_a_reason_says_why_it_is_locked(
    client, officer_a, rated_on_2014, hate_crime, partnership_a
):
    """Review finding: the refusal said "a published report covers this month" of a month
    no report covers, locked only as the baseline of a change target a report rated."""
    actuals_create(hate_crime, {JUNE_2014: 20})
    client.force_login(officer_a)
    url = sheet_url(partnership_a, "2014-06")

    refused = client.post(url, form_data(client.get(url)) | {f"i{hate_crime.pk}-v": "30"})

    assert error_summary(refused)[0] == (
        f"Give a reason for changing SP 09 June 2014: it is in 2014/15, {RATED_BASELINE}, and "
        "the next report will list the change as a revision"
    )
    assert "covers" not in error_summary(refused)[0]


@pytest.mark.django_db
def test_saving_a_month_locked_both_ways_gives_each_figure_its_reason(
    client, officer_a, rated_on_2014, hate_crime, partnership_a
):
    # SP 10 in a report covering June 2014 that did not show SP 09 (another theme group).
    asb = IndicatorFactory(partnership=partnership_a, code="SP 10", title="ASB")
    actuals_create(asb, {JUNE_2014: 12, datetime.date(2015, 6, 1): 14})
    actuals_create(hate_crime, {JUNE_2014: 20})
    asb_update = ReportFactory(
        partnership=partnership_a,
        title="ASB update",
        period=datetime.date(2015, 6, 1),
        theme_group=asb.theme_group,
    )
    report_services.report_publish(report=asb_update, by=None)
    client.force_login(officer_a)
    url = sheet_url(partnership_a, "2014-06")
    changed = {f"i{hate_crime.pk}-v": "30", f"i{asb.pk}-v": "13"}

    refused = client.post(url, form_data(client.get(url)) | changed)

    assert error_summary(refused)[0] == (
        "Give a reason for changing SP 09 June 2014, SP 10 June 2014: a published report "
        f"covers SP 10 June 2014; SP 09 June 2014 is in 2014/15, {RATED_BASELINE}, and the "
        "next report will list the changes as revisions"
    )


@pytest.mark.django_db
def test_saving_a_rated_targets_baseline_on_the_year_grid_says_why_it_is_locked(
    client, officer_a, rated_on_2014, hate_crime
):
    actuals_create(hate_crime, {JUNE_2014: 20})
    client.force_login(officer_a)
    url = grid_url(hate_crime, 2014)
    changed = {"m2014-06-v": "30", "m2014-07-v": "31"}

    refused = client.post(url, form_data(client.get(url)) | changed)

    assert error_summary(refused)[0] == (
        "Give a reason for changing SP 09 June 2014 and for the late figure for SP 09 July "
        f"2014: they are in 2014/15, {RATED_BASELINE}, and the next report will list the "
        "change as a revision and the late figure as a late return, each with the reason "
        "you give"
    )


@pytest.mark.django_db
def test_import_refusing_a_rated_targets_baseline_says_why_it_is_locked(
    tmp_path, rated_on_2014, hate_crime, partnership_a
):
    from indicators import importing
    from tests.integration.test_import import write_csv

    actuals_create(hate_crime, {JUNE_2014: 20})
    row = {"partnership": partnership_a.slug, "indicator": "SP 09"}
    write_csv(
        tmp_path,
        "actuals",
        [{**row, "period": "2014-06", "value": "30"}, {**row, "period": "2014-07", "value": "31"}],
    )

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)

    rated = RATED_BASELINE.replace("“", "'").replace("”", "'")
    assert failed.value.report.errors == [
        f"actuals.csv row 2: SP 09 2014-06 is in 2014/15, {rated}; change it on the month "
        "sheet with a reason",
        f"actuals.csv row 3: SP 09 2014-07 is in 2014/15, {rated}; enter it on the month "
        "sheet with a reason (a late figure)",
    ]


@pytest.mark.django_db
def test_conflict_in_a_locked_month_asks_for_the_reason_at_once(
    client, officer_a, published, hate_crime
):
    """Review finding: after a conflict in a month a published report covers, the officer
    learnt only on saving again that a reason was needed, and had to save a third time."""
    client.force_login(officer_a)
    url = sheet_url(hate_crime.partnership)
    opened = form_data(client.get(url))
    Actual.objects.filter(indicator=hate_crime, period=NOV_2016).update(value=40, version=2)

    refused = client.post(url, opened | {f"i{hate_crime.pk}-v": "36"})

    assert error_summary(refused) == [
        "Nothing was saved. Your figure is still in its box: check it below and save again.",
        "Give a reason for changing SP 09 November 2016: a published report covers this "
        "month, and the next report will list the change as a revision",
        "SP 09 Police recorded hate crime: someone else changed it to 40 after you opened "
        "this page. Your figure (36) is still in the box: save again to use it instead, or "
        "change it.",
    ]
    again = form_data(refused) | {"reason": "revised by police"}
    saved = client.post(url, again)
    assert saved.status_code == 302
    assert Actual.objects.get(indicator=hate_crime, period=NOV_2016).value == 36


@pytest.mark.django_db
def test_conflict_says_nothing_was_saved_and_names_the_boxes_now_showing_others_figures(
    client, officer_a, coordinator_a, partnership_a
):
    # One theme group: the sheet (and the message) go by group name, then code; a group
    # each, named by a sequence, would order them by how many groups earlier tests made.
    group = ThemeGroupFactory(partnership=partnership_a)
    asb = IndicatorFactory(
        partnership=partnership_a, code="SP 02", title="Anti-social behaviour", theme_group=group
    )
    burglary = IndicatorFactory(
        partnership=partnership_a, code="SP 03", title="Burglary", theme_group=group
    )
    robbery = IndicatorFactory(
        partnership=partnership_a, code="SP 04", title="Robbery", theme_group=group
    )
    satisfied = IndicatorFactory(
        partnership=partnership_a,
        code="SP 05",
        title="Satisfied",
        measure="percentage",
        theme_group=group,
    )
    client.force_login(officer_a)
    url = sheet_url(partnership_a)
    opened = form_data(client.get(url))
    entered_by_other(asb, NOV_2016, (Decimal(50),), by=coordinator_a)
    entered_by_other(burglary, NOV_2016, (Decimal(1500),), by=coordinator_a)
    entered_by_other(satisfied, NOV_2016, (Decimal(90), Decimal(9), Decimal(10)), by=coordinator_a)

    refused = client.post(url, opened | {f"i{burglary.pk}-v": "1400", f"i{robbery.pk}-v": "12"})

    assert error_summary(refused)[:2] == [
        "Nothing was saved. Your 2 figures are still in their boxes: check the ones below "
        "and save again.",
        "These now show figures someone else saved: SP 02 Anti-social behaviour (50) and "
        "SP 05 Satisfied (9 out of 10).",
    ]
    assert "SP 03 Burglary: Sam Other changed it to 1500" in error_summary(refused)[2]
    assert 'value="50"' in table_row(refused, f'name="i{asb.pk}-v"')
    assert messages_of(refused) == []


@pytest.mark.django_db
def test_conflicts_nothing_saved_links_to_the_first_box_in_conflict(
    client, officer_a, coordinator_a, partnership_a
):
    """Review finding: "Nothing was saved." linked to the reason box at the foot of the
    sheet (the form's first box), even for a month no report covers."""
    burglary = IndicatorFactory(partnership=partnership_a, code="SP 03", title="Burglary")
    robbery = IndicatorFactory(partnership=partnership_a, code="SP 04", title="Robbery")
    client.force_login(officer_a)
    url = sheet_url(partnership_a)
    opened = form_data(client.get(url))
    entered_by_other(robbery, NOV_2016, (Decimal(15),), by=coordinator_a)

    refused = client.post(url, opened | {f"i{burglary.pk}-v": "1400", f"i{robbery.pk}-v": "12"})

    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', refused.text, re.S)
    links = re.findall(r'<a href="([^"]*)"[^>]*>\s*Nothing was saved', summary.group(0))
    assert links == [f"#id_i{robbery.pk}-v"]


@pytest.mark.django_db
def test_year_grid_last_year_of_a_percentage_shows_its_parts_as_the_month_sheet_does(
    client, officer_a, partnership_a
):
    satisfied = IndicatorFactory(
        partnership=partnership_a, code="SP 05", title="Satisfied", measure="percentage"
    )
    Actual.objects.create(
        indicator=satisfied,
        period=datetime.date(2015, 5, 1),
        value=Decimal(100),
        numerator=10,
        denominator=10,
    )
    client.force_login(officer_a)

    response = client.get(grid_url(satisfied))

    assert "100.0 (10/10)" in table_row(response, "May 2016")
    assert "100.0 (10/10)" in table_row(client.get(sheet_url(partnership_a, "2016-05")), "SP 05")
