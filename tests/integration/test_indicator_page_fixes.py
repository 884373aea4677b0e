"""The indicator page says what it used and why: SPC settings checked against the figures,
the reason a target is not rated, targets in words in the history, three years charted,
quarters named as quarters, and no negative zero."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import commentary, periods, row_html, selectors
from indicators.models import FigureChange, Indicator, SpcSetting
from indicators.templatetags.figures import percent, signed
from reports import builder
from tests.factories import IndicatorFactory, TargetFactory
from tests.factories.series import actuals_create, hate_crime_indicator
from tests.integration.target_pages import shown_target
from tests.integration.test_permissions import database_state
from tests.integration.test_query_counts import MAX_QUERIES

NOV_2016 = datetime.date(2016, 11, 1)


@pytest.fixture
def hate_crime(partnership_a):
    return hate_crime_indicator(partnership_a)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _spc_url(indicator) -> str:
    return reverse("indicators:spc_settings", args=[indicator.partnership.slug, indicator.pk])


def _figures_of(indicator, period=NOV_2016):
    [result] = selectors.partnership_figures(
        indicator.partnership, period, indicators=Indicator.objects.filter(pk=indicator.pk)
    )
    return result


# 1. SPC settings: a baseline or recalculation point where the figures are.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"baseline_start": "2020-01", "baseline_end": "2021-12"},
            "baseline_end",
            "A baseline needs at least 13 figures; there are none from January 2020 to "
            "December 2021 (the figures run from April 2015 to November 2016)",
        ),
        (
            {"baseline_start": "2016-04"},
            "baseline_start",
            "A baseline needs at least 13 figures; there are 8 from April 2016 to the latest "
            "figure (the figures run from April 2015 to November 2016)",
        ),
        (
            {"recalculate_from": "2030-01, 1990-04"},
            "recalculate_from",
            "New limits can start only after the first figure and no later than the last: "
            "April 1990, January 2030 are outside them",
        ),
    ],
)
def test_spc_settings_outside_the_figures_are_refused(
    client, officer_a, hate_crime, data, field, message
):
    client.force_login(officer_a)
    before = database_state()
    response = client.post(_spc_url(hate_crime), {"run_length": "6", **data})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(e.startswith(message) for e in errors[field])
    assert database_state() == before


@pytest.mark.django_db
def test_spc_settings_baseline_with_enough_figures_is_saved(client, officer_a, hate_crime):
    client.force_login(officer_a)
    response = client.post(
        _spc_url(hate_crime),
        {"baseline_start": "2015-07", "recalculate_from": "2016-01", "run_length": "6"},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_spc_chart_says_a_stored_baseline_without_figures_was_not_used(
    client, officer_a, hate_crime
):
    # Stored before the form checked it (or the figures since deleted).
    SpcSetting.objects.create(
        indicator=hate_crime,
        baseline_start=datetime.date(2020, 1, 1),
        baseline_end=datetime.date(2021, 12, 1),
        recalculate_from=["2030-01-01"],
        run_length=6,
    )
    client.force_login(officer_a)
    page = _text(client.get(hate_crime.get_absolute_url(), {"chart": "spc"}).content.decode())
    assert (
        "20 figures, from April 2015 to November 2016; the baseline set, from January 2020 to "
        "December 2021, is not used for these limits; recalculation from January 2030 is not "
        "used: it falls outside the figures charted." in page
    )
    assert "the baseline from January 2020" not in page


# 2. Why an indicator with a target has no status: one function for report and page.


@pytest.mark.django_db
def test_indicator_page_says_why_a_target_is_not_rated(client, officer_a, hate_crime):
    TargetFactory(indicator=hate_crime, kind="change_pct", value=Decimal(-5), baseline_year=2014)
    client.force_login(officer_a)
    page = _text(client.get(hate_crime.get_absolute_url()).content.decode())
    reason = (
        "there is no target to date, as 2014/15, the baseline, has no figures for the same months"
    )
    assert f"No status Not rated: {reason}." in page
    entry = builder.indicator_entry(_figures_of(hate_crime), with_charts=False)
    assert entry["unrated"] == reason
    assert entry["target_words"] == "a 5% reduction on 2014/15"


@pytest.mark.django_db
def test_target_status_words_of_a_profile_with_gaps(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    actuals_create(indicator, {datetime.date(2016, 4, 1): 10, datetime.date(2016, 5, 1): 12})
    TargetFactory(
        indicator=indicator, kind="cumulative", value=20, period=datetime.date(2016, 4, 1)
    )
    result = _figures_of(indicator, datetime.date(2016, 5, 1))
    words = commentary.target_status_words(
        result.target, result.figures, "count", quarterly=False, fy_start_month=4
    )
    assert words == {
        "target_words": "a monthly profile: 20 to April 2016",
        "unrated": "there is no target to date, as the profile has no point for one or more "
        "months of the year so far",
        "unrated_why": "profile",
    }


# 3. The history of changes shows a target in words; removing one says so.


@pytest.mark.django_db
def test_history_shows_a_change_of_baseline_year(client, officer_a, hate_crime):
    actuals_create(hate_crime, {datetime.date(2015, 3, 1): 20})  # 2014/15 has a figure
    TargetFactory(indicator=hate_crime, kind="change_pct", value=Decimal(-5), baseline_year=2015)
    client.force_login(officer_a)
    url = reverse("indicators:target_edit", args=[hate_crime.partnership.slug, hate_crime.pk, 2016])
    saved = client.post(
        url,
        {**shown_target(client, url), "kind": "change_pct", "value": "-5", "baseline_year": "2014"},
        follow=True,
    )
    assert "Saved the 2016/17 target." in saved.content.decode()
    change = FigureChange.objects.get(subject="target")
    cells = re.findall(r'<td class="[^"]*">(.*?)</td>', row_html.change_row(change))
    assert cells[2:5] == [
        "Target for 2016/17",
        "a 5% reduction on 2015/16",
        "a 5% reduction on 2014/15",
    ]

    removed = client.post(url, {**shown_target(client, url), "kind": "none"}, follow=True)
    assert "Removed the 2016/17 target." in removed.content.decode()
    assert "Saved the 2016/17 target." not in removed.content.decode()


# 4. Three years charted where they exist, in the same number of queries.


@pytest.mark.django_db
def test_indicator_page_charts_the_year_before_last(
    client, officer_a, hate_crime, django_assert_max_num_queries
):
    earlier = {periods.add_months(datetime.date(2014, 4, 1), i): 20 + i for i in range(12)}
    actuals_create(hate_crime, earlier)
    client.force_login(officer_a)
    # The figures' series already reaches back two years (figures.history_start): the
    # year before last costs no query.
    with django_assert_max_num_queries(MAX_QUERIES["indicator_detail"]):
        page = client.get(hate_crime.get_absolute_url()).content.decode()
    assert "2014/15, 2015/16 and 2016/17" in page


# 5. Quarters named as quarters.


@pytest.fixture
def quarterly(partnership_a):
    indicator = IndicatorFactory(
        partnership=partnership_a, frequency="quarterly", measure="count", polarity="lower"
    )
    actuals_create(
        indicator,
        {
            datetime.date(2015, 4, 1): 280,
            datetime.date(2015, 7, 1): 300,
            datetime.date(2015, 10, 1): 290,
            datetime.date(2016, 1, 1): 270,
            datetime.date(2016, 4, 1): 260,
            datetime.date(2016, 7, 1): 250,
        },
    )
    return indicator


@pytest.mark.django_db
def test_quarterly_indicator_page_names_quarters(client, officer_a, quarterly):
    client.force_login(officer_a)
    url = reverse("indicators:target_edit", args=[quarterly.partnership.slug, quarterly.pk, 2016])
    client.post(url, {"kind": "cumulative", "p-2016-04": "270", "p-2016-07": "540"})
    page = _text(client.get(quarterly.get_absolute_url()).content.decode())
    assert "Quarter 2 (July to September 2016) 250 (last year 300" in page
    assert "Cumulative profile To the end of June 2016 270 –" in page
    assert "Cumulative profile To the end of September 2016 540 –" in page
    assert "Target to the end of June 2016 none 270 to date" in page
    assert "To April 2016" not in page and "Target for April 2016" not in page


@pytest.mark.django_db
def test_history_names_a_quarterly_figure_by_its_quarter(quarterly):
    change = FigureChange.objects.create(
        indicator=quarterly,
        subject="actual",
        period=datetime.date(2016, 7, 1),
        old=None,
        new={"value": "250"},
    )
    html = row_html.change_row(change, quarterly)
    assert ">Figure for Quarter 2 (July to September 2016)</td>" in html


@pytest.mark.django_db
def test_quarterly_profile_that_goes_down_names_the_quarter(client, officer_a, quarterly):
    client.force_login(officer_a)
    url = reverse("indicators:target_edit", args=[quarterly.partnership.slug, quarterly.pk, 2016])
    response = client.post(url, {"kind": "cumulative", "p-2016-04": "300", "p-2016-07": "200"})
    assert response.context["form"].errors["p-2016-07"] == [
        "A cumulative target cannot go down: the target to the end of September 2016 is "
        "less than the quarter before."
    ]


# 6. No negative zero, whole count targets, and the missing month named.


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("-0.04"), "0.0"),
        (Decimal("0.04"), "0.0"),
        (Decimal("-0.05"), "\u22120.1"),
        (Decimal(0), "0.0"),
        (Decimal(3), "+3.0"),
    ],
)
def test_signed_never_shows_a_negative_zero(value, shown):
    assert signed(value, 1) == shown


def test_percent_never_shows_a_negative_zero_or_nought_for_a_change():
    assert percent(Decimal("-0.2")) == "<1%"
    assert percent(Decimal("0.04"), 1) == "<0.1%"
    assert percent(Decimal(0)) == "0%"


@pytest.mark.django_db
def test_count_target_is_shown_whole(client, officer_a, hate_crime):
    TargetFactory(indicator=hate_crime, kind="annual", value=Decimal(1000))
    client.force_login(officer_a)
    page = _text(client.get(hate_crime.get_absolute_url()).content.decode())
    assert "Annual figure Whole year 1,000 –" in page
    assert "1,000.0" not in page


@pytest.mark.django_db
def test_no_comparison_names_the_missing_month_last_year(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, unit="thefts")
    values = {periods.add_months(datetime.date(2015, 4, 1), i): 100 + i for i in range(18)}
    del values[datetime.date(2015, 8, 1)]
    actuals_create(indicator, values)
    result = _figures_of(indicator, datetime.date(2016, 9, 1))
    text = commentary.commentary(result.figures, selectors.spec_for(indicator), noun="thefts")
    assert (
        "There is no comparison with the same period last year, as August 2015 has no figure."
        in text
    )


@pytest.mark.django_db
def test_a_quarter_not_over_is_set_beside_the_same_months_last_year(client, officer_a, hate_crime):
    """November is two months of the third quarter: last year's figure is October and
    November 2015, which the page must not call the whole quarter."""
    client.force_login(officer_a)
    page = _text(client.get(hate_crime.get_absolute_url()).content.decode())
    f = _figures_of(hate_crime).figures
    assert not f.quarter_complete
    assert f"Quarter 3 so far {f.quarter_value:,.0f} (same months last year " in page
    assert "whole previous quarter" in page
    assert "same quarter last year" not in page


@pytest.mark.django_db
def test_a_point_in_time_count_shows_whole_numbers_as_the_report_does(
    client, officer_a, partnership_a
):
    cases = IndicatorFactory(
        partnership=partnership_a, measure="snapshot", polarity="monitor", title="Open cases"
    )
    actuals_create(cases, {datetime.date(2015, 11, 1): 131, NOV_2016: 128})
    client.force_login(officer_a)
    dashboard = client.get(
        reverse("indicators:dashboard", args=[partnership_a.slug]), {"period": "2016-11"}
    ).content.decode()
    page = _text(client.get(cases.get_absolute_url()).content.decode())

    assert "128.0" not in dashboard and "128" in dashboard
    assert "Year to date 128 " in page
    assert "November 2016 128 131 −3 " in page  # the year's table (its chart's data is numbers)
