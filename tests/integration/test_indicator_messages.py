"""What the indicator pages and the import say when something is wrong or missing: a
month outside the years the portal holds, a partnership with no indicators yet, and
text too long for the field it would be saved in."""

import pytest
from django.urls import reverse

from actions.models import Action, Recommendation, Risk
from commissioning.models import CommissioningLine, FundingStream
from csp_portal.core.models import Partnership
from indicators import importing
from indicators.models import Actual, Indicator
from tests.factories import IndicatorFactory
from tests.integration.test_import import write_csv

pytestmark = pytest.mark.django_db

# A month outside the years the portal holds ---------------------------------------


def dashboard(client, user, period: str):
    client.force_login(user)
    return client.get(reverse("indicators:dashboard", args=["partnership-a"]), {"period": period})


@pytest.mark.parametrize(
    "period, message",
    [
        ("9999-12", "9999-12 is outside the years the portal holds (1900 to 2999)"),
        ("0001-01", "0001-01 is outside the years the portal holds (1900 to 2999)"),
        (" 1899-12 ", "1899-12 is outside the years the portal holds (1900 to 2999)"),
        ("2016-13", "&#x27;2016-13&#x27; is not a month like 2016-11"),
        ("9999-13", "&#x27;9999-13&#x27; is not a month like 2016-11"),
        ("Nov 2016", "&#x27;Nov 2016&#x27; is not a month like 2016-11"),
    ],
)
def test_dashboard_bad_period_says_why(client, officer_a, period, message):
    response = dashboard(client, officer_a, period)

    assert response.status_code == 200
    assert f"{message}, so the latest month is shown." in response.content.decode()


def test_dashboard_period_at_the_years_edges_is_no_error_until_it_has_not_begun(client, officer_a):
    assert b"govuk-error-summary" not in dashboard(client, officer_a, "1900-01").content
    # The last month the portal holds is in range, but has not begun.
    assert "December 2999 has not begun yet, so the latest month is shown." in (
        dashboard(client, officer_a, "2999-12").content.decode()
    )


def comparisons(client, user, period: str):
    client.force_login(user)
    return client.get(
        reverse("indicators:api_comparisons", args=["partnership-a"]), {"period": period}
    )


@pytest.mark.parametrize("period", ["9999-12", "0001-01"])
def test_comparisons_api_period_outside_the_years_is_400_saying_so(client, officer_a, period):
    response = comparisons(client, officer_a, period)

    assert response.status_code == 400
    assert response.json() == {
        "error": f"period {period} is outside the years the portal holds (1900 to 2999)"
    }


@pytest.mark.parametrize("period", ["2016-13", "9999-00", "Nov 2016", ""])
def test_comparisons_api_period_not_a_month_keeps_its_message(client, officer_a, period):
    response = comparisons(client, officer_a, period)

    assert response.status_code == 400
    assert response.json() == {"error": "period must be a month like 2016-11"}


# A partnership with no indicators yet -----------------------------------------------


def indicator_list(client, user, **query) -> str:
    client.force_login(user)
    response = client.get(reverse("indicators:list", args=["partnership-a"]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_indicator_list_of_no_indicators_tells_an_editor_whom_to_ask(client, officer_a):
    html = indicator_list(client, officer_a)

    assert (
        "This partnership has no indicators yet. "
        "Ask an administrator to import them from a spreadsheet." in html
    )
    assert "No indicators match" not in html


def test_indicator_list_of_no_indicators_links_an_administrator_to_the_import(
    client, officer_a, admin_user
):
    indicator_list(client, officer_a)  # cached for editors first: not shown to the admin

    html = indicator_list(client, admin_user)

    url = reverse("indicators:import", args=["partnership-a"])
    assert (
        "This partnership has no indicators yet. "
        f'<a class="govuk-link" href="{url}">Import indicators from a spreadsheet</a>.' in html
    )
    assert "Ask an administrator" not in html
    assert "Ask an administrator" in indicator_list(client, officer_a)


@pytest.mark.parametrize("query", [{"q": "burglary"}, {"polarity": "higher"}, {"measure": "rate"}])
def test_indicator_list_filtered_to_nothing_says_no_match(client, officer_a, partnership_a, query):
    IndicatorFactory(partnership=partnership_a, code="HC 01", title="Hate crime", measure="count")

    html = indicator_list(client, officer_a, **query)

    assert "No indicators match. Clear the filters" in html
    assert "no indicators yet" not in html


def test_indicator_list_unfiltered_sort_or_page_still_says_none_yet(client, officer_a):
    html = indicator_list(client, officer_a, sort="-indicator", q="  ")

    assert "This partnership has no indicators yet." in html


# Text too long for its field ----------------------------------------------------------


def import_errors(folder) -> list[str]:
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(folder, by=None)
    return failed.value.report.errors


def indicator(**values) -> dict:
    row = {"partnership": "partnership-a", "code": "HC 01", "title": "Hate crime"}
    return row | {"polarity": "lower", "measure": "count", **values}


@pytest.mark.parametrize(
    "values, message",
    [
        ({"code": "C" * 31}, "code is 31 characters long (at most 30)"),
        ({"title": "T" * 201}, "title is 201 characters long (at most 200)"),
        ({"unit": "U" * 101}, "unit is 101 characters long (at most 100)"),
        ({"theme_group": "G" * 201}, "theme_group is 201 characters long (at most 200)"),
    ],
)
def test_import_indicator_text_too_long_is_a_row_error_and_saves_nothing(
    tmp_path, partnership_a, values, message
):
    write_csv(tmp_path, "indicators", [indicator(code="OK 01"), indicator(**values)])

    assert import_errors(tmp_path) == [f"indicators.csv row 3: {message}"]
    assert not Indicator.objects.exists()


def test_import_indicator_text_at_the_limits_is_saved(tmp_path, partnership_a):
    write_csv(
        tmp_path,
        "indicators",
        [indicator(code="C" * 30, title="T" * 200, unit="U" * 100, theme_group="G" * 200)],
    )

    importing.import_path(tmp_path, by=None)

    saved = Indicator.objects.select_related("theme_group").get()
    assert (len(saved.code), len(saved.title), len(saved.unit)) == (30, 200, 100)
    assert len(saved.theme_group.name) == 200


def test_import_indicator_every_long_cell_is_named(tmp_path, partnership_a):
    write_csv(tmp_path, "indicators", [indicator(title="T" * 1200, unit="U" * 101)])

    assert import_errors(tmp_path) == [
        "indicators.csv row 2: title is 1,200 characters long (at most 200)",
        "indicators.csv row 2: unit is 101 characters long (at most 100)",
    ]


@pytest.mark.parametrize(
    "values, message",
    [
        ({"slug": "p" * 81}, "slug is 81 characters long (at most 80)"),
        ({"name": "N" * 201}, "name is 201 characters long (at most 200)"),
        ({"police_force": "F" * 201}, "police_force is 201 characters long (at most 200)"),
        (
            {"local_authorities": ";".join(["Authority"] * 60)},
            "local_authorities is 599 characters long (at most 500)",
        ),
    ],
)
def test_import_partnership_text_too_long_is_a_row_error(tmp_path, values, message):
    before = Partnership.objects.count()
    write_csv(tmp_path, "partnerships", [{"slug": "new-one", "name": "New one", **values}])

    assert import_errors(tmp_path) == [f"partnerships.csv row 2: {message}"]
    assert Partnership.objects.count() == before


def test_import_actual_note_too_long_is_still_refused(tmp_path, partnership_a):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    row = {"partnership": "partnership-a", "indicator": "HC 01", "period": "2016-11"}
    write_csv(tmp_path, "actuals", [row | {"value": "5", "note": "n" * 501}])

    assert import_errors(tmp_path) == [
        "actuals.csv row 2: note is 501 characters long (at most 500)"
    ]
    assert not Actual.objects.exists()


ACTION = {
    "partnership": "partnership-a",
    "plan": "Plan",
    "financial_year": "2016/17",
    "objective_number": "1",
    "objective": "Reduce crime",
    "reference": "1.1",
    "action": "Patrols",
}
RISK = {
    "partnership": "partnership-a",
    "reference": "R1",
    "description": "Funding ends",
    "likelihood": "3",
    "impact": "4",
}
RECOMMENDATION = {
    "partnership": "partnership-a",
    "reference": "REC 1",
    "meeting_date": "2016-11-01",
    "recommendation": "Publish the figures",
    "assigned_to": "Coordinator",
}
FUNDING = {
    "partnership": "partnership-a",
    "financial_year": "2017/18",
    "source": "PCC grant",
    "amount": "1000",
}
LINE = {
    "partnership": "partnership-a",
    "financial_year": "2017/18",
    "reference": "CI 01",
    "area_of_need": "Domestic abuse",
}


@pytest.mark.parametrize(
    "table, good, bad, message, model",
    [
        (
            "actions",
            ACTION,
            {"plan": "P" * 201},
            "plan is 201 characters long (at most 200)",
            Action,
        ),
        (
            "actions",
            ACTION,
            {"objective": "O" * 301},
            "objective is 301 characters long (at most 300)",
            Action,
        ),
        (
            "actions",
            ACTION,
            {"reference": "1" * 21},
            "reference is 21 characters long (at most 20)",
            Action,
        ),
        (
            "actions",
            ACTION,
            {"lead": "L" * 201},
            "lead is 201 characters long (at most 200)",
            Action,
        ),
        (
            "actions",
            ACTION,
            {"when": "W" * 201},
            "when is 201 characters long (at most 200)",
            Action,
        ),
        (
            "risks",
            RISK,
            {"reference": "R" * 21},
            "reference is 21 characters long (at most 20)",
            Risk,
        ),
        ("risks", RISK, {"owner": "O" * 201}, "owner is 201 characters long (at most 200)", Risk),
        (
            "recommendations",
            RECOMMENDATION,
            {"reference": "R" * 21},
            "reference is 21 characters long (at most 20)",
            Recommendation,
        ),
        (
            "recommendations",
            RECOMMENDATION,
            {"assigned_to": "A" * 201},
            "assigned_to is 201 characters long (at most 200)",
            Recommendation,
        ),
        (
            "funding",
            FUNDING,
            {"source": "S" * 201},
            "source is 201 characters long (at most 200)",
            FundingStream,
        ),
        (
            "funding",
            FUNDING,
            {"source": "Other", "allocated_by": "A" * 201},
            "allocated_by is 201 characters long (at most 200)",
            FundingStream,
        ),
        (
            "commissioning",
            LINE,
            {"reference": "C" * 31},
            "reference is 31 characters long (at most 30)",
            CommissioningLine,
        ),
        (
            "commissioning",
            LINE,
            {"reference": "CI 02", "provider": "P" * 201},
            "provider is 201 characters long (at most 200)",
            CommissioningLine,
        ),
    ],
)
def test_import_other_tables_text_too_long_is_a_row_error_and_saves_nothing(
    tmp_path, partnership_a, table, good, bad, message, model
):
    # A good row first: checked, but not saved once a later row is refused.
    write_csv(tmp_path, table, [good, good | {"reference": "2.1"} | bad])

    assert import_errors(tmp_path) == [f"{table}.csv row 3: {message}"]
    assert not model.objects.exists()


def test_import_indicator_crime_types_too_long_once_tidied_is_a_row_error(tmp_path, partnership_a):
    # Known types, but one given over and over: as stored, "Burglary;Burglary;..."
    write_csv(
        tmp_path, "indicators", [indicator(police_uk_crime_types="; ".join(["Burglary"] * 60))]
    )

    assert import_errors(tmp_path) == [
        "indicators.csv row 2: police_uk_crime_types is 539 characters long (at most 500)"
    ]
    assert not Indicator.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("polarity", "target", "words"),
    [
        ("lower", 600, "has already exceeded"),
        ("higher", 600, "has already met"),
        ("lower", 1000, "already equals"),
    ],
)
def test_an_annual_target_already_passed_gives_no_negative_monthly_average(
    client, officer_a, partnership_a, polarity, target, words
):
    import datetime
    from decimal import Decimal

    from tests.factories import TargetFactory
    from tests.factories.series import actuals_create

    indicator = IndicatorFactory(partnership=partnership_a, polarity=polarity)
    actuals_create(indicator, {datetime.date(2016, 4, 1): 500, datetime.date(2016, 5, 1): 500})
    TargetFactory(indicator=indicator, financial_year=2016, kind="annual", value=Decimal(target))
    client.force_login(officer_a)

    page = client.get(indicator.get_absolute_url() + "?period=2016-05").content.decode()

    assert f"the year to date {words} it" in page
    assert "a month needed from now on" not in page
