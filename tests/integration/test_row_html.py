"""The dashboard's and the indicator page's rows as indicators/row_html.py writes them."""

import dataclasses
import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse, set_script_prefix

from csp_portal.core.templatetags.govuk import govuk_variation
from indicators import row_html, selectors, spc
from indicators.models import FigureChange, Indicator
from tests.factories import IndicatorFactory, TargetFactory, UserFactory
from tests.factories.series import actuals_create, hate_crime_indicator

NOV_2016 = datetime.date(2016, 11, 1)


def figures_of(indicator):
    [result] = selectors.partnership_figures(
        indicator.partnership, NOV_2016, indicators=Indicator.objects.filter(pk=indicator.pk)
    )
    return result


@pytest.mark.django_db
def test_dashboard_row_with_a_target_shows_figures_status_direction_and_variation(
    partnership_a,
):
    indicator = hate_crime_indicator(partnership_a, title="Hate <crime> & more")
    TargetFactory(indicator=indicator, financial_year=2016, kind="annual", value=Decimal(300))
    result = figures_of(indicator)

    html = row_html.dashboard_row(partnership_a, result, sentence="Up & on.", with_target=True)

    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])
    assert f'<a class="govuk-link" href="{url}">Hate &lt;crime&gt; &amp; more</a>' in html
    assert '<span class="govuk-body-s app-code">SP 09</span>' in html
    # April to November 2016 against 2015 (tests/factories/series.py).
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    # Each cell names its column too, shown where the table stacks on a small screen.
    assert f'{numeric}<span class="app-stack__label">Year to date: </span>287</td>' in html
    assert f'{numeric}<span class="app-stack__label">Same period last year: </span>219</td>' in (
        html
    )
    assert "+68 (+31%)</td>" in html
    assert ">190</td>" in html  # the target to date, 300 spread over the year
    assert (
        '<span class="app-status__shape" aria-hidden="true" data-shape>G</span> Green</strong>'
        in html
    )
    assert "app-direction--improving" in html and "</span> Improving</span>" in html
    assert (
        '<span class="govuk-visually-hidden">Variation: </span><strong class="govuk-tag '
        'govuk-tag--blue app-tag--small">Special cause: improving</strong>'
    ) in html
    assert "Assurance: hit and miss" in html
    assert 'colspan="7">Up &amp; on.</td>' in html


@pytest.mark.django_db
def test_dashboard_row_says_why_a_target_is_not_rated(partnership_a):
    # Stored before the target page refused it: 2014/15 has no figures (from April 2015).
    indicator = hate_crime_indicator(partnership_a)
    TargetFactory(indicator=indicator, kind="change_pct", value=Decimal(-5), baseline_year=2014)

    html = row_html.dashboard_row(
        partnership_a, figures_of(indicator), sentence="", with_target=True
    )

    # In the indicator page's words (indicator_html), beside "No status".
    assert (
        'No status</strong> <span class="govuk-body-s app-unrated">Not rated: there is no '
        "target to date, as 2014/15, the baseline, has no figures for the same months.</span>"
    ) in html


@pytest.mark.django_db
def test_dashboard_row_of_a_rated_target_gives_no_reason(partnership_a):
    indicator = hate_crime_indicator(partnership_a)
    TargetFactory(indicator=indicator, financial_year=2016, kind="annual", value=Decimal(300))

    html = row_html.dashboard_row(
        partnership_a, figures_of(indicator), sentence="", with_target=True
    )

    assert "Not rated" not in html


@pytest.mark.django_db
def test_dashboard_row_of_a_monitored_percentage_shows_points_and_no_status(partnership_a):
    indicator = IndicatorFactory(
        partnership=partnership_a,
        measure=Indicator.Measure.PERCENTAGE,
        polarity=Indicator.Polarity.MONITOR,
    )
    actuals_create(indicator, {datetime.date(2015, 11, 1): 40, NOV_2016: Decimal("42.25")})
    result = figures_of(indicator)

    html = row_html.dashboard_row(partnership_a, result, sentence="", with_target=False)

    # One decimal place; November alone, so the totals say they are of fewer months.
    partial = ' <span class="app-variation">(months with figures only)</span></td>'
    assert f">42.3%{partial}" in html and f">40.0%{partial}" in html
    assert "+2.3 percentage points</td>" in html
    assert "app-status" not in html
    assert "For information only" in html
    assert 'colspan="5"></td>' in html


@pytest.mark.django_db
def test_dashboard_row_names_the_variation_and_assurance(partnership_a):
    result = figures_of(hate_crime_indicator(partnership_a))
    figures = dataclasses.replace(
        result.figures, variation=spc.SPECIAL_CONCERNING, assurance="hit and miss"
    )
    result = dataclasses.replace(result, figures=figures)

    html = row_html.dashboard_row(partnership_a, result, sentence="", with_target=False)

    assert 'govuk-tag--orange app-tag--small">Special cause: concerning</strong>' in html
    assert "Assurance: hit and miss</span>" in html


@pytest.mark.django_db
def test_dashboard_links_are_reversed_under_the_script_prefix(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    try:
        for prefix in ("/", "/portal/", "/"):
            set_script_prefix(prefix)
            html = row_html.dashboard_empty(partnership_a, indicator)
            url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])
            assert url.startswith(prefix) and f'href="{url}"' in html
    finally:
        set_script_prefix("/")


@pytest.mark.django_db
def test_dashboard_empty_links_the_indicator(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, code="X 1", title="No <figures>")
    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])

    assert row_html.dashboard_empty(partnership_a, indicator) == (
        f'<li><a class="govuk-link" href="{url}">No &lt;figures&gt;</a> (X 1)</li>'
    )


def _tag(colour: str, words: str) -> str:
    return f'<strong class="govuk-tag govuk-tag--{colour} app-tag--small">{words}</strong>\n'


@pytest.mark.parametrize(
    ("variation", "html"),
    [
        ("common cause", _tag("grey", "Common cause")),
        ("special cause improving", _tag("blue", "Special cause: improving")),
        ("special cause concerning", _tag("orange", "Special cause: concerning")),
        (
            "special cause, neither improving nor concerning",
            _tag("purple", "Special cause, neither improving nor concerning"),
        ),
        ("odd <variation>", _tag("purple", "Odd &lt;variation&gt;")),
        (None, '<span class="app-missing">Not enough figures</span>\n'),
        ("", '<span class="app-missing">Not enough figures</span>\n'),
    ],
)
def test_variation_words_are_what_the_variation_include_rendered(variation, html):
    # The HTML templates/includes/variation.html wrote, which the tag replaced.
    assert govuk_variation(variation) == html


def change(indicator, **fields) -> FigureChange:
    fields = {
        "indicator": indicator,
        "subject": FigureChange.Subject.ACTUAL,
        "period": NOV_2016,
        "old": {"value": "12"},
        "new": {"value": "15"},
        "source": "form",
        **fields,
    }
    made = FigureChange.objects.create(**fields)
    # Summer time: 23:30 UTC is 00:30 the next day in London.
    FigureChange.objects.filter(pk=made.pk).update(
        changed_at=datetime.datetime(2024, 7, 1, 23, 30, tzinfo=datetime.UTC)
    )
    return FigureChange.objects.select_related("changed_by").get(pk=made.pk)


def cells(html: str) -> list[str]:
    return re.findall(r'<td class="[^"]*">(.*?)</td>', html, re.DOTALL)


@pytest.mark.django_db
def test_change_row_shows_when_who_what_values_and_why(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    person = UserFactory(first_name="Dana", last_name="Entered")

    html = row_html.change_row(change(indicator, changed_by=person, reason="Typo <fixed>"))

    assert cells(html) == [
        "2 Jul 2024 00:30",
        "Dana Entered",
        "Figure for November 2016",
        "12",
        "15",
        "Typo &lt;fixed&gt;",
    ]


@pytest.mark.django_db
def test_change_row_without_a_person_or_figures(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    nameless = UserFactory(username="nameless", first_name="", last_name="")

    by_no_one = row_html.change_row(change(indicator, old=None, source="import"))
    by_username = row_html.change_row(change(indicator, changed_by=nameless, new=None))
    target = row_html.change_row(
        change(
            indicator,
            subject="target",
            period=None,
            financial_year=2016,
            source="import",
            changed_by=nameless,
        )
    )

    assert cells(by_no_one)[1:] == [
        "System (import)",
        "Figure for November 2016",
        '<span class="app-missing">none</span>',
        "15",
        "–",
    ]
    assert cells(by_username)[1] == "nameless"
    assert cells(by_username)[4] == '<span class="app-missing">removed</span>'
    assert cells(target)[1:3] == ["nameless (import)", "Target for 2016/17"]


@pytest.mark.django_db
def test_change_row_of_a_deleted_person_is_the_systems(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    person = UserFactory(first_name="Gone", last_name="Away")
    made = change(indicator, changed_by=person)
    person.delete()
    made.refresh_from_db()

    html = row_html.change_row(made)

    assert "Gone" not in html
    assert cells(html)[1] == "System (form)"


@pytest.mark.django_db
def test_change_row_of_spc_settings_describes_them(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    new = {
        "baseline_start": "2019-04-01",
        "baseline_end": None,
        "recalculate_from": ["2020-04-01"],
        "run_length": 7,
    }

    html = row_html.change_row(change(indicator, subject="spc", period=None, old=None, new=new))

    assert cells(html)[2:5] == [
        "SPC settings",
        "\n",  # no settings: the template's newline alone
        "Baseline 2019-04 to latest; recalculated from 2020-04-01; run length 7\n",
    ]


@pytest.mark.django_db
def test_indicator_list_row_shows_code_title_group_measure_and_latest_figure(partnership_a):
    indicator = hate_crime_indicator(partnership_a, title="Hate <crime>")
    [row] = selectors.indicator_queryset(partnership_a)

    html = row_html.indicator_list_row(row)

    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])
    assert html.startswith('<tr class="govuk-table__row">') and html.endswith("</tr>\n")
    assert (
        f'<a class="govuk-link" href="{url}"><span class="app-indicator-code">SP 09</span> '
        "Hate &lt;crime&gt;</a></th>"
    ) in html
    assert "Inactive" not in html
    assert f'<td class="govuk-table__cell">{indicator.theme_group.name}</td>' in html
    assert "Count, monthly" in html
    assert f'Nov 2016<span class="app-table__meta">{row.figure_count} figures</span>' in html


@pytest.mark.django_db
def test_indicator_list_row_of_an_inactive_indicator_without_figures_or_group(partnership_a):
    IndicatorFactory(partnership=partnership_a, theme_group=None, active=False)
    [row] = selectors.indicator_queryset(partnership_a)

    html = row_html.indicator_list_row(row)

    assert ' <strong class="govuk-tag govuk-tag--grey">Inactive</strong></th>' in html
    assert '<td class="govuk-table__cell">–</td>' in html
    assert '<td class="govuk-table__cell">None yet</td>' in html


@pytest.mark.django_db
def test_year_rows_show_each_month_against_last_year_and_who_entered_it(partnership_a):
    from django.utils import timezone

    from indicators.models import Actual

    indicator = IndicatorFactory(
        partnership=partnership_a, measure="percentage", frequency="monthly"
    )
    person = UserFactory(first_name="Ann <b>", last_name="O'Neil")
    nameless = UserFactory(username="nameless", first_name="", last_name="")
    entered = timezone.make_aware(datetime.datetime(2016, 12, 1, 23, 30), datetime.UTC)
    rows_of = {
        datetime.date(2016, 4, 1): dict(value=Decimal("12.5"), numerator=5, denominator=40),
        datetime.date(2015, 4, 1): dict(value=Decimal("10")),
        datetime.date(2016, 5, 1): dict(value=Decimal("1234.56"), entered_by=person),
        datetime.date(2016, 6, 1): dict(value=Decimal("3"), entered_by=nameless),
    }
    for period, fields in rows_of.items():
        Actual.objects.create(indicator=indicator, period=period, **fields)
    Actual.objects.filter(indicator=indicator).update(entered_at=entered)
    Actual.objects.filter(indicator=indicator, period=datetime.date(2016, 6, 1)).update(version=2)
    history = selectors.indicator_history(indicator, year=2016)

    with timezone.override("Europe/London"):
        html = row_html.year_rows(indicator, selectors.year_rows(indicator, history, 2016))

    rows = html.split("</tr>")[:-1]
    assert len(rows) == 12 and "April 2016" in rows[0] and "March 2017" in rows[-1]
    assert cells(rows[0]) == [
        '12.5 <span class="app-parts">(5/40)</span>',
        "10.0",
        "+2.5",
        "Imported, 1 Dec 2016",
    ]
    assert cells(rows[1])[0] == "1,234.6"
    assert cells(rows[1])[1:] == [
        '<span class="app-missing">No figure</span>',
        '<span class="app-missing">–</span>',
        "Ann &lt;b&gt; O&#x27;Neil, 1 Dec 2016",
    ]
    assert "Revised</strong>" in cells(rows[2])[0] and cells(rows[2])[3].startswith("nameless, ")
    assert cells(rows[3]) == [
        '<span class="app-missing">No figure</span>',
        '<span class="app-missing">No figure</span>',
        '<span class="app-missing">–</span>',
        "",
    ]
    with timezone.override("Pacific/Auckland"):  # 2 December there
        later = row_html.year_rows(indicator, selectors.year_rows(indicator, history, 2016))
    assert "Imported, 2 Dec 2016" in later


def test_chart_data_rows_head_each_row_and_mark_missing_figures():
    from types import SimpleNamespace

    from indicators.templatetags.figures import chart_data_rows

    chart = SimpleNamespace(rows=[["April <2016>", "1,149", "No figure"], ["May 2016", 3, "–"]])

    html = chart_data_rows(chart)

    rows = html.split("</tr>")[:-1]
    assert len(rows) == 2
    assert '<th scope="row" class="govuk-table__header">April &lt;2016&gt;</th>' in rows[0]
    assert cells(rows[0]) == ["1,149", "No figure"]
    assert 'numeric app-missing">No figure</td>' in rows[0]
    assert cells(rows[1]) == ["3", "–"] and "app-missing" not in rows[1]


@pytest.mark.django_db
def test_chart_figure_carries_title_alt_text_spec_data_and_source(partnership_a):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from indicators.templatetags.figures import chart_figure

    chart = SimpleNamespace(
        id="c1",
        spec_id="c1-spec",
        title="Burglary <2016>",
        subtitle="Per month",
        alt='A line chart "up"',
        spec={"data": [{"y": [1, 2]}]},
        headers=["Month", "2016/17"],
        rows=[["April 2016", "No figure"]],
    )
    partnership_a.name = "Safer <Plymouth>"
    plain = IndicatorFactory(partnership=partnership_a)
    police = IndicatorFactory(partnership=partnership_a, police_uk_crime_types="Burglary")

    html = chart_figure(chart, partnership_a, plain)

    assert html.startswith('<figure class="app-chart" aria-labelledby="c1-title">')
    assert '<h3 class="govuk-heading-s" id="c1-title">Burglary &lt;2016&gt;</h3>' in html
    assert 'aria-label="A line chart &quot;up&quot;"' in html
    assert '<script id="c1-spec" type="application/json">{"data": [{"y": [1, 2]}]}</script>' in html
    assert 'govuk-table__header govuk-table__header--numeric">2016/17</th>' in html
    assert "entered by Safer &lt;Plymouth&gt; officers.</p>" in html
    assert "data.police.uk" in chart_figure(chart, partnership_a, police)
    # The include, as reports' sample pages use it without a partnership or indicator.
    included = render_to_string("includes/chart.html", {"chart": chart})
    assert included == f"\n{chart_figure(chart)}\n" and "entered by  officers." in included


@pytest.mark.django_db
def test_indicator_headline_shows_status_direction_commentary_and_figures(partnership_a):
    from indicators.indicator_html import headline

    indicator = hate_crime_indicator(partnership_a, interpretation_note="Higher <is> better")
    TargetFactory(indicator=indicator, financial_year=2016, kind="annual", value=Decimal(300))
    result = figures_of(Indicator.objects.get(pk=indicator.pk))
    html = headline(indicator, result, "Up <a lot>.")

    assert html.startswith('<div class="app-headline">') and html.endswith("</div>")
    assert "app-status--" in html and "app-direction--" in html
    assert '<p class="govuk-body-l app-commentary">Up &lt;a lot&gt;.</p>' in html
    assert '<div class="govuk-inset-text">Higher &lt;is&gt; better</div>' in html
    keys = re.findall(r'<dt class="govuk-summary-list__key">(.*?)</dt>', html)
    assert keys == [
        "November 2016",
        "Year to date",
        "Same period last year",
        "Change",
        f"Quarter {result.figures.quarter} so far",  # November: the quarter is not over
        "Target to date",
        "Annual target",
        "Year-end forecast",
    ]
    indicator.polarity = Indicator.Polarity.MONITOR  # no status: monitoring only
    monitored = headline(indicator, result, "Up <a lot>.")
    assert "app-status--" not in monitored and "For information only" in monitored


@pytest.mark.django_db
def test_indicator_page_main_part_names_years_links_and_targets(client, officer_a, partnership_a):
    """The part of the indicator page written by indicators/indicator_html.py."""
    indicator = hate_crime_indicator(partnership_a, police_uk_crime_types="Burglary")
    TargetFactory(indicator=indicator, financial_year=2016, kind="annual", value=Decimal(300))
    url = reverse("indicators:detail", args=[partnership_a.slug, indicator.pk])
    client.force_login(officer_a)
    page = client.get(url).content.decode()

    nav = re.search(r'<nav class="app-year-nav".*?</nav>', page, re.DOTALL).group(0)
    assert "<strong>2016/17</strong>" in nav and 'href="?year=2015">2015/16</a>' in nav
    grid = reverse("indicators:year_grid", args=[partnership_a.slug, indicator.pk, 2016])
    assert f'<a class="govuk-button" href="{grid}">Enter or change 2016/17 figures</a>' in page
    assert "Counts police.uk crime types: Burglary." in page and "Import police.uk data" in page
    assert '<h2 class="govuk-heading-l">2016/17 against 2015/16</h2>' in page
    assert '<th scope="row" class="govuk-table__header">Annual figure</th>' in page
    assert "Change the 2016/17 target</a>" in page
    assert "Show the statistical process control (XmR) chart" in page

    monitored = hate_crime_indicator(partnership_a, code="SP 10", polarity="monitor")
    other = client.get(reverse("indicators:detail", args=[partnership_a.slug, monitored.pk]))
    html = other.content.decode()
    # A monitoring-only indicator takes no target (test_monitoring_targets): none to set.
    assert (
        "This indicator is for monitoring only, so it has no target: a monitoring-only "
        "indicator is not rated."
    ) in html and "No target has been set" not in html
    assert "the 2016/17 target</a>" not in html and "Counts police.uk" not in html


@pytest.mark.django_db
def test_dashboard_row_marks_only_a_figure_of_fewer_months(partnership_a):
    # A year to date of fewer months, and no figure last year: "No figure" unmarked.
    indicator = IndicatorFactory(partnership=partnership_a)
    actuals_create(indicator, {datetime.date(2016, 4, 1): 5, NOV_2016: 7})
    html = row_html.dashboard_row(
        partnership_a, figures_of(indicator), sentence="", with_target=False
    )
    assert html.count("months with figures only") == 1


@pytest.mark.django_db
def test_a_late_month_marks_this_years_total_with_its_end_and_not_last_years(partnership_a):
    """Review finding: last year's cell said "(to Oct 2016)" too."""
    indicator = hate_crime_indicator(partnership_a)
    indicator.actuals.filter(period=NOV_2016).delete()

    html = row_html.dashboard_row(
        partnership_a, figures_of(indicator), sentence="", with_target=False
    )

    [this_year, last_year] = re.findall(r"<td[^>]*numeric\">(.*?)</td>", html)[:2]
    assert "(to Oct 2016)" in this_year and "(to " not in last_year


@pytest.mark.django_db
def test_change_row_of_a_percentage_shows_what_changed_in_its_counts(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, measure="percentage")
    corrected = change(
        indicator,
        old={"value": "85.7142857143", "numerator": "12", "denominator": "14"},
        new={"value": "85.7142857143", "numerator": "6", "denominator": "7"},
    )
    rate = IndicatorFactory(partnership=partnership_a, measure="rate", code="R 1")

    assert cells(row_html.change_row(corrected))[3:5] == ["85.7% (12 of 14)", "85.7% (6 of 7)"]
    assert cells(row_html.change_row(change(rate, new={"value": "20.14"})))[4] == "20.1 per 1,000"


@pytest.mark.django_db
def test_change_row_gives_the_places_that_tell_a_correction_apart(partnership_a):
    rate = IndicatorFactory(partnership=partnership_a, measure="rate", code="R 1")
    share = IndicatorFactory(partnership=partnership_a, measure="percentage", code="P 1")
    count = IndicatorFactory(partnership=partnership_a, code="C 1")

    def shown(indicator, old, new):
        row = row_html.change_row(change(indicator, old={"value": old}, new={"value": new}))
        return cells(row)[3:5]

    assert shown(rate, "4.12", "4.14") == ["4.12 per 1,000", "4.14 per 1,000"]
    assert shown(share, "85.71", "85.74") == ["85.71%", "85.74%"]
    assert shown(rate, "4.12", "5.31") == ["4.1 per 1,000", "5.3 per 1,000"]
    assert shown(count, "148", "150") == ["148", "150"]
