"""A report page's HTML as the documents module receives it, built from the site's own
partials (status tag, direction, summary list, chart), for the documents tests and
`bench/documents_bench.py`. No database: indicators are unsaved, series are made up.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.template import engines

from indicators import charts, commentary
from indicators.commentary import format_number
from indicators.figures import IndicatorSpec, TargetSpec, compute, series_of
from indicators.selectors import IndicatorFigures

PERIOD = datetime.date(2016, 11, 1)

TEMPLATE = """{% load static %}<!DOCTYPE html>
<html lang="en-GB"><head><title>{{ title }}</title>
<link rel="stylesheet" href="{% static 'css/print.css' %}" media="print"></head>
<body><a class="govuk-skip-link" href="#main-content">Skip to main content</a>
<header class="govuk-header">Portal header</header>
<main class="govuk-main-wrapper" id="main-content">
<h1 class="govuk-heading-l">{{ title }}</h1>
{% include "includes/summary_list.html" with rows=cover %}
<nav aria-label="Contents"><h2 class="govuk-heading-m" id="contents">Contents</h2>
<ol class="govuk-list govuk-list--number">
  <li><a class="govuk-link" href="#key-findings">Key findings</a></li>
  <li><a class="govuk-link" href="#performance">Performance</a></li>
</ol></nav>
<h2 class="govuk-heading-m" id="key-findings">1. Key findings</h2>
<ol class="app-paragraphs" start="1">
  <li><p>{{ summary }}</p></li>
  <li><p>Rises in recorded hate crime may reflect <strong>better recording</strong> and
  more confidence to report, <em>not</em> more crime. See the
  <a href="https://www.ons.gov.uk/">Office for National Statistics</a>.</p></li>
</ol>
<table class="govuk-table">
  <caption class="govuk-table__caption govuk-table__caption--m">Indicators at a glance</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">Indicator</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Year to date</th>
    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Last year to date</th>
    <th scope="col" class="govuk-table__header">Status</th>
    <th scope="col" class="govuk-table__header">Direction</th>
  </tr></thead>
  <tbody class="govuk-table__body">{% for row in rows %}<tr class="govuk-table__row">
    <th scope="row" class="govuk-table__header">{{ row.title }}</th>
    <td class="govuk-table__cell govuk-table__cell--numeric">{{ row.ytd }}</td>
    <td class="govuk-table__cell govuk-table__cell--numeric">{{ row.last }}</td>
    <td class="govuk-table__cell">
      {% include "includes/status_tag.html" with status=row.status %}</td>
    <td class="govuk-table__cell">
      {% include "includes/direction.html" with direction=row.direction %}</td>
  </tr>{% endfor %}</tbody>
</table>
<h2 class="govuk-heading-m" id="performance">2. Performance</h2>
{% for row in rows %}<section>
<h3 class="govuk-heading-m">{{ row.title }}</h3>
<p class="govuk-body">{{ row.sentence }}</p>
{% for chart in row.charts %}{% include "includes/chart.html" %}{% endfor %}
</section>{% endfor %}
<button class="govuk-button">Publish</button>
</main>
<footer class="govuk-footer">Portal footer</footer>
<script src="{% static 'js/charts.js' %}"></script>
</body></html>"""


@dataclass(frozen=True)
class SampleReport:
    title: str
    html: str
    charts: dict[str, dict]


def made_up_result(indicator, seed: int) -> IndicatorFigures:
    """Two and a half years of monthly counts to November 2016, with a cumulative target."""
    months = [datetime.date(2014 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(32)]
    values = {m: 40 + (i * 7 + seed * 13) % 35 for i, m in enumerate(months)}
    profile = {
        datetime.date(2016 + (m + 3) // 12, (m + 3) % 12 + 1, 1): Decimal(55 * (m + 1))
        for m in range(12)
    }
    target = TargetSpec(kind="cumulative", profile=profile)
    spec = IndicatorSpec(polarity=indicator.polarity, measure=indicator.measure)
    series = series_of(values)
    return IndicatorFigures(indicator, compute(spec, series, PERIOD, target), series, target)


def sample_report(results: list[IndicatorFigures], *, partnership) -> SampleReport:
    """The report page for these indicator figures, and its charts by id."""
    rows, chart_specs = [], {}
    for result in results:
        indicator, figures = result.indicator, result.figures
        built = charts.indicator_charts(indicator, result)
        chart_specs.update({chart.id: chart.spec for chart in built})
        rows.append(
            {
                "title": indicator.title,
                "ytd": "No figure" if figures.ytd is None else format_number(figures.ytd, 0),
                "last": "No figure"
                if figures.ytd_last_year is None
                else format_number(figures.ytd_last_year, 0),
                "status": figures.status,
                "direction": figures.direction,
                "sentence": commentary.commentary(
                    figures,
                    IndicatorSpec(polarity=indicator.polarity, measure=indicator.measure),
                    noun=indicator.title.lower(),
                ),
                "charts": built,
            }
        )
    title = f"{partnership.name} performance update: April to November 2016"
    html = (
        engines["django"]
        .from_string(TEMPLATE)
        .render(
            {
                "title": title,
                "partnership": partnership,
                "rows": rows,
                "summary": f"This update covers {len(rows)} indicators to November 2016.",
                "cover": [
                    ("Meeting", "Scrutiny panel, 12 January 2017"),
                    ("Report of", "Community Safety Partnership Manager"),
                    ("Wards affected", "All"),
                    ("Purpose", "Noting"),
                ],
            }
        )
    )
    return SampleReport(title=title, html=html, charts=chart_specs)


def made_up_report(count: int) -> SampleReport:
    """A report of `count` unsaved indicators, two charts each."""
    from tests.factories import IndicatorFactory, PartnershipFactory

    partnership = PartnershipFactory.build(name="Safer Plymouth", area="Plymouth")
    indicators = [
        IndicatorFactory.build(
            pk=n + 1,
            partnership=partnership,
            title=f"Indicator {n + 1}",
            polarity="lower" if n % 3 else "higher",
            measure="count",
        )
        for n in range(count)
    ]
    results = [made_up_result(indicator, n) for n, indicator in enumerate(indicators)]
    return sample_report(results, partnership=partnership)
