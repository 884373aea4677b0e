"""The dashboard, indicator page, month sheet and comparisons API say what they show: the
whole history of changes, figures with their units, sentences as the report has them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators import data_version, periods, selectors
from indicators.models import Actual, FigureChange, Indicator
from reports import builder
from tests.factories import IndicatorFactory, TargetFactory, ThemeGroupFactory
from tests.factories.series import actuals_create

NOV_2016 = datetime.date(2016, 11, 1)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _changes(indicator, count: int) -> None:
    FigureChange.objects.bulk_create(
        FigureChange(
            indicator=indicator,
            subject=FigureChange.Subject.ACTUAL,
            period=NOV_2016,
            old={"value": str(number)},
            new={"value": str(number + 1)},
            source="form",
            reason=f"change {number}",
        )
        for number in range(count)
    )


@pytest.mark.django_db
def test_history_of_changes_pages_through_every_change(
    client, officer_a, partnership_a, django_assert_max_num_queries
):
    indicator = IndicatorFactory(partnership=partnership_a)
    _changes(indicator, 120)
    client.force_login(officer_a)
    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])

    first = _text(client.get(url).content.decode())
    with django_assert_max_num_queries(14):
        last = client.get(url, {"changes": 3}).content.decode()

    assert "Showing changes 1 to 50 of 120, newest first." in first
    assert "Older changes" in first and "Newer changes" not in first
    assert "Showing changes 101 to 120 of 120, newest first." in _text(last)
    reasons = re.findall(r">change (\d+)<", last)
    assert sorted(map(int, reasons)) == list(range(20))  # the oldest
    assert "Older changes" not in last and "Newer changes" in last
    assert "changes=2#history" in last


@pytest.mark.django_db
def test_history_of_changes_that_fits_a_page_says_nothing_of_pages(
    client, officer_a, partnership_a
):
    indicator = IndicatorFactory(partnership=partnership_a)
    _changes(indicator, 3)
    client.force_login(officer_a)
    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])

    text = _text(client.get(url, {"changes": "9"}).content.decode())  # past the end

    assert "change 2" in text and "change 0" in text
    assert "Showing changes" not in text and "Older changes" not in text


@pytest.mark.django_db
def test_a_count_with_no_unit_names_one_by_its_title(partnership_a):
    indicator = IndicatorFactory(
        partnership=partnership_a, code="DH 1", title="Domestic homicide", unit=""
    )
    actuals_create(indicator, {datetime.date(2016, 4, 1): 1})
    [result] = selectors.partnership_figures(
        partnership_a, datetime.date(2016, 4, 1), indicators=Indicator.objects.all()
    )

    sentence = result.commentary()

    assert "1 domestic homicide recorded" in sentence
    assert "the number of" not in sentence


@pytest.fixture
def one_hate_crime(partnership_a):
    """One hate crime in April 2016, none entered for May, none in June, against a 5% rise
    on 2015/16, which has no figures: a target that exists but cannot be rated."""
    indicator = IndicatorFactory(
        partnership=partnership_a, code="HC 1", unit="hate crimes", polarity="higher"
    )
    actuals_create(indicator, {datetime.date(2016, 4, 1): 1, datetime.date(2016, 6, 1): 0})
    TargetFactory(
        indicator=indicator, kind="change_pct", value=5, baseline_year=2015, financial_year=2016
    )
    return indicator


@pytest.mark.django_db
def test_every_page_words_the_sentence_as_the_report_does(client, officer_a, one_hate_crime):
    partnership = one_hate_crime.partnership
    [result] = selectors.partnership_figures(
        partnership, datetime.date(2016, 6, 1), indicators=Indicator.objects.all()
    )
    report = builder.indicator_entry(result)["commentary"]
    client.force_login(officer_a)

    dashboard = client.get(
        reverse("indicators:dashboard", args=[partnership.slug]), {"period": "2016-06"}
    )
    api = client.get(
        reverse("indicators:api_comparisons", args=[partnership.slug]), {"period": "2016-06"}
    )

    assert report.startswith(
        "Only April and June have figures so far, so there is no total for April to June "
        "and no status against the target. Those months had 1 hate crime recorded"
    )
    assert result.commentary() in report
    assert result.commentary() in _text(dashboard.content.decode())
    assert api.json()[0]["commentary"] == result.commentary()
    page = client.get(reverse("indicators:detail", args=[partnership.slug, one_hate_crime.pk]))
    assert page.context["sentence"] == result.commentary()


@pytest.mark.django_db
def test_a_calendar_year_partnership_names_its_years_by_the_calendar(
    client, officer_a, partnership_a
):
    partnership_a.fy_start_month = 1
    partnership_a.save()
    indicator = IndicatorFactory(partnership=partnership_a, unit="crimes")
    actuals_create(indicator, {datetime.date(2016, 3, 1): 10, datetime.date(2015, 3, 1): 12})
    TargetFactory(
        indicator=indicator, kind="change_pct", value=-5, baseline_year=2015, financial_year=2016
    )
    FigureChange.objects.create(
        indicator=indicator,
        subject=FigureChange.Subject.TARGET,
        financial_year=2016,
        old=None,
        new={"kind": "change_pct", "value": "-5", "baseline_year": 2015},
        source="form",
    )
    client.force_login(officer_a)

    text = _text(
        client.get(
            reverse("indicators:detail", args=[partnership_a.slug, indicator.pk]), {"year": 2016}
        ).content.decode()
    )

    assert "Target for 2016 " in text and "a 5% reduction on 2015" in text
    assert "2016/17" not in text and "2015/16" not in text


@pytest.fixture
def satisfaction(partnership_a):
    """A percentage: 61 of 69 (88.4%) this year to date, 45 of 50 (90%) last year, against
    a 90% target."""
    indicator = IndicatorFactory(
        partnership=partnership_a, measure="percentage", polarity="higher", code="SAT 1"
    )
    Actual.objects.bulk_create(
        Actual(
            indicator=indicator,
            period=period,
            value=Decimal(num) * 100 / Decimal(den),
            numerator=num,
            denominator=den,
        )
        for period, num, den in [
            (datetime.date(2015, 4, 1), 45, 50),
            (datetime.date(2016, 4, 1), 61, 69),
        ]
    )
    TargetFactory(indicator=indicator, kind="annual", value=90, financial_year=2016)
    data_version.data_changed(indicator_ids=[indicator.pk])
    return indicator


@pytest.mark.django_db
def test_dashboard_and_indicator_page_give_each_figure_its_unit(client, officer_a, satisfaction):
    partnership = satisfaction.partnership
    client.force_login(officer_a)

    dashboard = _text(
        client.get(
            reverse("indicators:dashboard", args=[partnership.slug]), {"period": "2016-04"}
        ).content.decode()
    )
    page = _text(
        client.get(
            reverse("indicators:detail", args=[partnership.slug, satisfaction.pk])
        ).content.decode()
    )

    assert "Year to date: 88.4% (61 of 69)" in dashboard
    assert "Same period last year: 90.0%" in dashboard
    assert "Target to date: 90.0%" in dashboard
    assert "−1.6 percentage points" in dashboard
    assert "88.4% (61 of 69)" in page
    assert "90.0% (gap −1.6 percentage points)" in page


@pytest.mark.django_db
def test_a_quarterly_indicators_missing_period_is_named_as_its_quarter(
    client, officer_a, partnership_a
):
    indicator = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    actuals_create(indicator, {datetime.date(2016, 7, 1): 5, datetime.date(2015, 7, 1): 4})
    client.force_login(officer_a)

    text = _text(
        client.get(
            reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])
        ).content.decode()
    )

    assert "No figure for Quarter 1 (April to June 2016): the year to date leaves it out." in text
    assert "No figure for April 2016" not in text


def _month_after_this() -> str:
    return f"{periods.add_months(periods.month_start(timezone.localdate()), 1):%Y-%m}"


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["2030-01", "next"])
def test_a_month_not_begun_is_refused_by_the_api_and_the_dashboard(
    client, officer_a, partnership_a, asked
):
    asked = _month_after_this() if asked == "next" else asked
    client.force_login(officer_a)

    api = client.get(
        reverse("indicators:api_comparisons", args=[partnership_a.slug]), {"period": asked}
    )
    dashboard = client.get(
        reverse("indicators:dashboard", args=[partnership_a.slug]), {"period": asked}
    )

    assert api.status_code == 400
    assert "has not begun yet" in api.json()["error"]
    assert "has not begun yet, so the latest month is shown." in dashboard.context["period_error"]
    assert "govuk-error-summary" in dashboard.content.decode()


@pytest.mark.django_db
def test_a_dashboard_with_no_indicators_says_so_for_a_chosen_month(
    client, officer_a, partnership_a
):
    client.force_login(officer_a)

    response = client.get(
        reverse("indicators:dashboard", args=[partnership_a.slug]), {"period": "2016-11"}
    )

    assert "This partnership has no active indicators yet." in _text(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "head", "put", "delete"])
def test_the_api_refuses_other_methods_in_json(client, officer_a, partnership_a, method):
    client.force_login(officer_a)
    client.handler.enforce_csrf_checks = True
    url = reverse("indicators:api_comparisons", args=[partnership_a.slug])

    response = getattr(client, method)(url + "?period=2016-11")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "GET"
    if method != "head":
        assert "is not allowed: read comparisons with GET" in response.json()["error"]


def test_the_readme_documents_every_api_field():
    from pathlib import Path

    from indicators.comparisons import FIELDS

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for field in FIELDS:
        assert f"| `{field}` |" in readme


@pytest.mark.django_db
def test_a_partnerships_pages_offer_its_theme_groups_by_name_alone(client, officer_a):
    group = ThemeGroupFactory(partnership=officer_a.memberships.get().partnership, name="Safe")
    client.force_login(officer_a)

    page = client.get(reverse("actions:risk_create", args=[group.partnership.slug]))

    assert ">Safe</option>" in page.content.decode()
    assert f"Safe ({group.partnership})" not in page.content.decode()


@pytest.mark.django_db
def test_a_dashboard_with_nothing_entered_says_whether_there_are_indicators(
    client, officer_a, partnership_a
):
    client.force_login(officer_a)
    url = reverse("indicators:dashboard", args=[partnership_a.slug])
    assert "has no active indicators yet" in client.get(url).content.decode()

    IndicatorFactory(partnership=partnership_a)
    page = client.get(url).content.decode()
    assert "No figures have been entered for this partnership yet" in page
    assert "Enter monthly figures" in page
