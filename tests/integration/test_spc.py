"""SPC on the pages: the XmR chart view, the settings form and its audit, the dashboard words."""

import datetime
import json

import plotly.graph_objects as go
import pytest
from django.urls import reverse

from indicators.models import FigureChange, SpcSetting
from tests.factories.series import actuals_create, hate_crime_indicator
from tests.integration.test_permissions import database_state


@pytest.fixture
def hate_crime(partnership_a):
    return hate_crime_indicator(partnership_a)


def _settings_url(indicator):
    return reverse("indicators:spc_settings", args=[indicator.partnership.slug, indicator.pk])


def _chart_spec(content: bytes, chart_id: str) -> dict:
    text = content.decode()
    start = text.index(f'id="{chart_id}-spec"')
    body = text[text.index(">", start) + 1 : text.index("</script>", start)]
    return json.loads(body)


@pytest.mark.django_db
def test_indicator_page_xmr_chart_on_request(client, officer_a, hate_crime):
    client.force_login(officer_a)
    url = hate_crime.get_absolute_url()
    plain = client.get(url)
    assert b"?year=2016&amp;chart=spc" in plain.content
    assert b"-xmr" not in plain.content

    response = client.get(url, {"chart": "spc"})
    assert response.status_code == 200
    content = response.content
    assert b"XmR chart, special cause variation at 6 points" in content
    assert b"Show the charts against last year" in content
    # Seed 002 hate crime, higher is better: June to November 2016 are six in a row above the
    # mean of 31.6, an improvement, marked by a triangle as well as a colour.
    assert b"Special cause: improving" in content
    assert b"Improvement: the sixth month in a row above the average" in content
    spec = _chart_spec(content, f"chart-{hate_crime.pk}-xmr")
    go.Figure(spec)  # a valid plotly figure
    # Four series, named on the chart (no legend): limits, mean, figures, special cause.
    names = [trace["name"] for trace in spec["data"]]
    assert names == ["Process limits", "Mean", "Figure", "Special cause"]
    assert spec["layout"]["showlegend"] is False
    labels = {a["text"] for a in spec["layout"]["annotations"]}
    assert labels == {"Upper process limit", "Lower process limit", "Mean", "Figure"}
    special = spec["data"][3]
    improved = [
        x
        for x, symbol in zip(special["x"], special["marker"]["symbol"], strict=True)
        if symbol == "triangle-up"
    ]
    assert improved == ["Jun 2016", "Jul 2016", "Aug 2016", "Sep 2016", "Oct 2016", "Nov 2016"]
    assert spec["data"][1]["y"][0] == 31.6
    assert b'aria-label="XmR chart of the number of hate crimes, ' in content
    assert b"Change the SPC settings" in content


@pytest.mark.django_db
def test_indicator_page_xmr_chart_says_when_a_gap_breaks_the_series(client, officer_a, hate_crime):
    hate_crime.actuals.filter(period=datetime.date(2016, 1, 1)).delete()
    client.force_login(officer_a)
    response = client.get(hate_crime.get_absolute_url(), {"chart": "spc"})
    assert b"A missing month breaks the series" in response.content
    assert b"No figure" in response.content


@pytest.mark.django_db
def test_indicator_page_xmr_chart_too_few_points(client, officer_a, partnership_a):
    indicator = hate_crime_indicator(partnership_a, code="SP 10")
    indicator.actuals.filter(period__lt=datetime.date(2015, 12, 1)).delete()
    client.force_login(officer_a)
    response = client.get(indicator.get_absolute_url(), {"chart": "spc"})
    assert b"too few figures for process limits" in response.content
    assert b"Not enough figures" in response.content


@pytest.mark.django_db
def test_indicator_page_xmr_chart_panel_member_has_no_settings_link(client, panel_a, hate_crime):
    # Panel members read published reports only: the live indicator page is not theirs.
    client.force_login(panel_a)
    response = client.get(hate_crime.get_absolute_url(), {"chart": "spc"})
    assert response.status_code in (403, 404)


@pytest.mark.django_db
def test_spc_settings_save_audits_and_changes_the_chart(client, officer_a, hate_crime):
    client.force_login(officer_a)
    response = client.post(
        _settings_url(hate_crime),
        {
            "baseline_start": "2015-04",
            "baseline_end": "2016-04",
            "recalculate_from": "",
            "run_length": "7",
            "reason": "Settled year before the campaign",
        },
    )
    assert response.status_code == 302
    setting = SpcSetting.objects.get(indicator=hate_crime)
    assert setting.baseline_start == datetime.date(2015, 4, 1)
    assert setting.baseline_end == datetime.date(2016, 4, 1)
    assert setting.run_length == 7
    change = FigureChange.objects.get(indicator=hate_crime, subject="spc")
    assert change.changed_by == officer_a
    assert change.reason == "Settled year before the campaign"
    assert change.old["run_length"] == 6 and change.new["run_length"] == 7
    assert change.new["baseline_start"] == "2015-04-01"

    page = client.get(hate_crime.get_absolute_url(), {"chart": "spc"})
    assert b"13 figures, the baseline from April 2015 to April 2016" in page.content
    assert b"A shift or trend is 7 points in a row" in page.content
    assert b"SPC settings" in page.content  # the history of changes names it

    again = client.post(
        _settings_url(hate_crime),
        {"baseline_start": "2015-04", "baseline_end": "2016-04", "run_length": "7"},
    )
    assert again.status_code == 302
    assert FigureChange.objects.filter(subject="spc").count() == 1  # unchanged: not audited


@pytest.mark.django_db
def test_spc_settings_recalculation_points(client, officer_a, hate_crime):
    client.force_login(officer_a)
    client.post(
        _settings_url(hate_crime),
        {"recalculate_from": "2016-04, 2015-10", "run_length": "6"},
    )
    setting = SpcSetting.objects.get(indicator=hate_crime)
    assert setting.recalculate_from == ["2015-10-01", "2016-04-01"]
    form = client.get(_settings_url(hate_crime))
    assert b"2015-10, 2016-04" in form.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"baseline_start": "April", "run_length": "6"}, "as a year and month, like 2015-04"),
        ({"baseline_end": "2016-04", "run_length": "6"}, "first month of the baseline as well"),
        (
            {"baseline_start": "2016-04", "baseline_end": "2015-04", "run_length": "6"},
            "must end after it starts",
        ),
        (
            {"baseline_start": "2015-04", "baseline_end": "2016-03", "run_length": "6"},
            "at least 13 months; this one has 12",
        ),
        (
            {"recalculate_from": "2016-04, soon", "run_length": "6"},
            "&#x27;soon&#x27; is not a month",
        ),
        ({"run_length": "5"}, "Select a valid choice"),
    ],
)
def test_spc_settings_bad_input_writes_nothing(client, officer_a, hate_crime, data, message):
    client.force_login(officer_a)
    before = database_state()
    response = client.post(_settings_url(hate_crime), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert message in content
    assert database_state() == before


@pytest.mark.django_db
def test_spc_settings_quarterly_needs_quarter_starts(client, officer_a, partnership_a):
    from tests.factories import IndicatorFactory

    indicator = IndicatorFactory(partnership=partnership_a, frequency="quarterly")
    client.force_login(officer_a)
    response = client.post(
        _settings_url(indicator), {"recalculate_from": "2016-05", "run_length": "6"}
    )
    assert "not the first month of a quarter: use 2016-04" in response.content.decode()
    assert not SpcSetting.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("user", [None, "panel_a", "officer_b", "outsider"])
def test_spc_settings_refused_writes_nothing(client, request, hate_crime, partnership_b, user):
    if user:
        client.force_login(request.getfixturevalue(user))
    before = database_state()
    response = client.post(_settings_url(hate_crime), {"run_length": "7"})
    assert response.status_code in ((302,) if user is None else (403, 404))
    assert database_state() == before


@pytest.mark.django_db
def test_spc_settings_other_partnership_404(client, officer_b, hate_crime, partnership_b):
    client.force_login(officer_b)
    url = reverse("indicators:spc_settings", args=[partnership_b.slug, hate_crime.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"run_length": "7"}).status_code == 404
    assert not SpcSetting.objects.exists()


@pytest.mark.django_db
def test_dashboard_shows_variation_words(client, officer_a, hate_crime):
    client.force_login(officer_a)
    response = client.get(reverse("indicators:dashboard", args=[hate_crime.partnership.slug]))
    content = response.content.decode()
    assert "Special cause: improving" in content
    assert "the sixth month in a row above the average" in content


@pytest.mark.django_db
def test_figures_read_spc_settings_without_extra_queries(
    django_assert_max_num_queries, partnership_a
):
    from indicators import selectors

    for n in range(5):
        indicator = hate_crime_indicator(partnership_a, code=f"SP 9{n}")
        SpcSetting.objects.create(indicator=indicator, run_length=7)
    actuals_create(indicator, {})
    with django_assert_max_num_queries(3):
        results = selectors.partnership_figures(partnership_a, datetime.date(2016, 11, 1))
    # Run length 7: June to November is only six in a row, so no signal.
    assert {r.figures.variation for r in results} == {"common cause"}


@pytest.mark.django_db
def test_the_xmr_chart_title_states_its_finding_in_ten_words_or_fewer(partnership_a):
    from indicators import charts
    from indicators.selectors import indicator_spc, partnership_figures
    from tests.factories.series import indicators_with_history

    indicator = indicators_with_history(partnership_a, 1, last=datetime.date(2016, 11, 1))[0]
    indicator.title = "Crimes of violence with injury (excluding domestic abuse)"
    indicator.save()
    result = partnership_figures(partnership_a, datetime.date(2016, 11, 1))[0]

    title = indicator_spc(result.indicator, result).chart.title

    assert len(title.split()) <= charts.TITLE_WORDS
    assert title.startswith("XmR chart, ")
