"""The comparisons open data: the JSON API and the export_comparisons command."""

import csv
import datetime
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from csp_portal.core.models import Partnership
from indicators import importing
from tests.factories import ActualFactory, IndicatorFactory, MembershipFactory
from tests.factories.series import hate_crime_indicator

FIELDS = [
    "indicator",
    "title",
    "period",
    "financial_year",
    "value",
    "last_year_value",
    "change",
    "change_pct",
    "ytd",
    "ytd_last_year",
    "ytd_change",
    "ytd_change_pct",
    "quarter",
    "quarter_value",
    "quarter_last_year",
    "annual_target",
    "target_to_date",
    "target_gap",
    "required_monthly_average",
    "forecast",
    "status",
    "direction",
    "commentary",
]
NUMBERS = [
    f
    for f in FIELDS
    if f
    not in ("indicator", "title", "period", "financial_year", "status", "direction", "commentary")
]


def api_url(slug="partnership-a", period="2016-11"):
    url = reverse("indicators:api_comparisons", args=[slug])
    return url if period is None else f"{url}?period={period}"


@pytest.fixture
def hate_crime(partnership_a):
    return hate_crime_indicator(partnership_a)


@pytest.mark.django_db
def test_comparisons_api_record_has_exact_fields_in_order(client, officer_a, hate_crime):
    client.force_login(officer_a)

    response = client.get(api_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    [record] = response.json()
    assert list(record) == FIELDS


@pytest.mark.django_db
def test_comparisons_api_hate_crime_matches_seed_002(client, officer_a, hate_crime):
    client.force_login(officer_a)

    [record] = client.get(api_url()).json()

    assert {
        k: v
        for k, v in record.items()
        if k not in ("change_pct", "ytd_change_pct", "forecast", "commentary")
    } == {
        "indicator": "SP 09",
        "title": "Police recorded hate crime",
        "period": "2016-11",
        "financial_year": "2016/17",
        "value": 35,
        "last_year_value": 38,
        "change": -3,
        "ytd": 287,
        "ytd_last_year": 219,
        "ytd_change": 68,
        "quarter": 3,
        "quarter_value": 77,
        "quarter_last_year": 60,
        "annual_target": None,
        "target_to_date": None,
        "target_gap": None,
        "required_monthly_average": None,
        "status": "none",
        "direction": "improving",
    }
    # Unrounded: the paper's "31%" is 68 / 219.
    assert record["ytd_change_pct"] == pytest.approx(6800 / 219)
    assert record["change_pct"] == pytest.approx(-300 / 38)
    # Scaled by last year's pattern: 287 x 345 (all of 2015/16) / 219 (April to November).
    assert record["forecast"] == pytest.approx(287 * 345 / 219)
    assert record["commentary"].startswith(
        "Between April and the end of November there have been 287 hate crimes recorded, "
        "68 more than the same period last year, a 31% increase."
    )


@pytest.mark.django_db
def test_comparisons_api_numbers_are_json_numbers_and_nulls(client, officer_a, hate_crime):
    client.force_login(officer_a)

    response = client.get(api_url())

    [record] = json.loads(response.content)
    for name in NUMBERS:
        value = record[name]
        assert value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    raw = response.content.decode()
    assert '"ytd": 287,' in raw
    assert '"ytd_last_year": 219,' in raw
    assert '"annual_target": null' in raw


@pytest.mark.django_db
def test_comparisons_api_month_without_figures_is_all_null(client, officer_a, hate_crime):
    client.force_login(officer_a)

    [record] = client.get(api_url(period="2019-06")).json()

    assert record["period"] == "2019-06"
    assert record["financial_year"] == "2019/20"
    assert {name: record[name] for name in NUMBERS if name != "quarter"} == dict.fromkeys(
        (name for name in NUMBERS if name != "quarter"), None
    )
    assert (record["status"], record["direction"]) == ("none", "none")
    assert record["commentary"] == "No figures have been entered for April, May and June."


@pytest.mark.django_db
def test_comparisons_api_demo_targets_from_the_paper(client, officer_a, tmp_path):
    """SP 07 (cumulative profile) and SP 08 (a percentage against 90%), loaded from the demo."""
    importing.import_path(Path(settings.BASE_DIR) / "fixtures" / "demo" / "data", by=None)
    plymouth = Partnership.objects.get(slug="safer-plymouth")
    MembershipFactory(user=officer_a, partnership=plymouth, role="officer")
    client.force_login(officer_a)

    records = {r["indicator"]: r for r in client.get(api_url("safer-plymouth")).json()}

    assert (records["SP 09"]["ytd"], records["SP 09"]["ytd_last_year"]) == (287, 219)
    assert records["SP 09"]["ytd_change"] == 68
    # SP 07: April to October 361 against the profile's 375 to October (no November figure).
    ist = records["SP 07"]
    assert (ist["value"], ist["ytd"], ist["target_to_date"], ist["target_gap"]) == (
        None,
        361,
        375,
        -14,
    )
    assert (ist["annual_target"], ist["status"]) == (640, "amber")
    # SP 08: 61 satisfied of 69, April to September, against 90%.
    satisfaction = records["SP 08"]
    assert satisfaction["ytd"] == pytest.approx(6100 / 69)
    assert (satisfaction["annual_target"], satisfaction["target_to_date"]) == (90, 90)
    assert satisfaction["target_gap"] == pytest.approx(6100 / 69 - 90)
    assert satisfaction["status"] == "amber"
    assert satisfaction["required_monthly_average"] is None


@pytest.mark.django_db
# A month outside the years the portal holds says so: test_indicator_messages.py.
@pytest.mark.parametrize("period", ["2016-13", "Nov 2016", "2016-1", "", None])
def test_comparisons_api_bad_period_is_400_json(client, officer_a, hate_crime, period):
    client.force_login(officer_a)

    response = client.get(api_url(period=period))

    assert response.status_code == 400
    assert response.json() == {"error": "period must be a month like 2016-11"}


@pytest.mark.django_db
def test_comparisons_api_anonymous_is_401_json(client, hate_crime):
    response = client.get(api_url())

    assert response.status_code == 401
    assert response.json() == {"error": "Sign in to read comparisons."}


@pytest.mark.django_db
def test_comparisons_api_for_a_panel_member_is_403_json(client, hate_crime, panel_a):
    # A member of the partnership: told whose the figures are, not that there are none.
    client.force_login(panel_a)

    response = client.get(api_url())

    assert response.status_code == 403
    assert response.json() == {
        "error": "Only the partnership's officers and coordinator can read comparisons."
    }
    assert b"SP 09" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["officer_b", "outsider"])
def test_comparisons_api_without_live_access_is_404_json(client, request, hate_crime, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    response = client.get(api_url())

    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}
    assert b"SP 09" not in response.content


@pytest.mark.django_db
def test_comparisons_api_unknown_partnership_is_404_json(client, admin_user):
    client.force_login(admin_user)

    response = client.get(api_url(slug="nowhere"))

    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}


@pytest.mark.django_db
def test_comparisons_api_refuses_post(client, officer_a, hate_crime):
    client.force_login(officer_a)

    assert client.post(api_url()).status_code == 405


def _export(fmt: str, slug: str = "partnership-a", period: str = "2016-11") -> str:
    stdout = StringIO()
    call_command("export_comparisons", partnership=slug, period=period, format=fmt, stdout=stdout)
    return stdout.getvalue()


@pytest.fixture
def api_records(client, officer_a, hate_crime, partnership_a):
    hate_crime_indicator(partnership_a, code="SP 10", title="Hate crime, second copy")
    client.force_login(officer_a)
    records = client.get(api_url()).json()
    assert len(records) == 2
    return records


@pytest.mark.django_db
def test_export_comparisons_json_is_the_api_records(api_records):
    assert json.loads(_export("json")) == api_records


@pytest.mark.django_db
def test_export_comparisons_csv_is_the_api_records(api_records):
    rows = list(csv.DictReader(StringIO(_export("csv"))))

    assert len(rows) == len(api_records)
    for row, record in zip(rows, api_records, strict=True):
        assert list(row) == FIELDS
        parsed = {}
        for name, text in row.items():
            expected = record[name]
            if text == "":
                parsed[name] = None
            elif isinstance(expected, bool) or not isinstance(expected, int | float):
                parsed[name] = text
            else:
                parsed[name] = type(expected)(text)
        assert parsed == record


@pytest.mark.django_db
def test_export_comparisons_csv_never_hands_excel_a_formula(hate_crime):
    hate_crime.title = '=HYPERLINK("http://evil.example","Click")'
    hate_crime.save()

    [row] = csv.DictReader(StringIO(_export("csv")))

    assert row["title"] == "'" + hate_crime.title


@pytest.mark.django_db
def test_export_comparisons_unknown_partnership_or_bad_period_is_an_error(hate_crime):
    with pytest.raises(CommandError, match="No partnership with slug 'nowhere'"):
        _export("json", slug="nowhere")
    with pytest.raises(CommandError, match="is not a month"):
        _export("json", period="2016-13")


@pytest.mark.django_db
def test_dashboard_bad_period_says_so_and_shows_the_latest(client, officer_a, partnership_a):
    client.force_login(officer_a)
    response = client.get(
        reverse("indicators:dashboard", args=[partnership_a.slug]), {"period": "2016-13"}
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"is not a month like 2016-11" in response.content


@pytest.mark.django_db
def test_dashboard_monitoring_only_indicator_shows_change_and_is_not_rated(
    client, officer_a, partnership_a
):
    # Serious acquisitive crime, April to November: 1,149 against 1,223 the year before.
    crime = IndicatorFactory(
        partnership=partnership_a, code="SAC", title="Serious acquisitive crime", polarity="monitor"
    )
    for month, (this_year, last_year) in enumerate([(144, 153)] * 7 + [(141, 152)], start=4):
        ActualFactory(indicator=crime, period=datetime.date(2016, month, 1), value=this_year)
        ActualFactory(indicator=crime, period=datetime.date(2015, month, 1), value=last_year)
    client.force_login(officer_a)

    response = client.get(
        reverse("indicators:dashboard", args=[partnership_a.slug]), {"period": "2016-11"}
    )

    html = re.sub(r"\s+", " ", response.content.decode())
    [row] = [r for r in re.findall(r"<tr[ >].*?</tr>", html) if "Serious acquisitive crime" in r]
    # Less each cell's column name, shown only where the table stacks on a small screen.
    row = re.sub(r'<span class="app-stack__label">[^<]*</span>', "", row)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td.*?</td>", row)]
    assert cells[:3] == ["1,149", "1,223", "−74 (−6%)"]
    # The direction, then the SPC variation in words (issue 10): neither good nor bad here.
    direction, variation = cells[3].split(" Variation: ")
    assert direction == "– For information only"
    assert variation == "Special cause, neither improving nor concerning"
    assert "No comparison" not in row
