"""The indicator page's own part (all but the family ranking and the history of changes),
written in Python: after every save of a figure it is made again, and as a template it
was a third of that view's cost. It writes what `_indicator_main.html` did, whitespace
included, through the same filters and tags; the rare SPC view keeps its template."""

from decimal import ROUND_FLOOR

from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse

from csp_portal.core.templatetags.govuk import escape_text as esc
from csp_portal.core.templatetags.govuk import govuk_direction, govuk_status_tag

from . import commentary, periods
from .templatetags.figures import (
    change_unit,
    chart_figure,
    figure,
    fy_label,
    month_label,
    percent,
    period_words,
    places_of_figures,
    signed,
    target_places,
    with_unit,
)

_HOW_TO_READ = (
    '<p class="govuk-body-s">A change is this year minus last year. \u201cNo figure\u201d '
    "means no figure has been entered; it is never counted as zero. \u201cRevised\u201d marks "
    "a figure changed after it was first entered.</p>\n"
)


def main(context: dict) -> str:
    """The part, from the context `indicators.views._indicator_parts` makes."""
    indicator, partnership = context["indicator"], context["partnership"]
    year, year_label = context["year"], esc(context["year_label"])
    can_edit, result = context["can_edit"], context["result"]
    return "".join(
        (
            _heading(indicator),
            _year_nav(context["other_years"], year, context["partnership"].fy_start_month),
            _police_uk(indicator, partnership, can_edit),
            _enter_figures(indicator, partnership, year, year_label) if can_edit else "\n",
            '\n<h2 class="govuk-heading-l">Performance</h2>\n',
            _headline(context) if result else _no_figures(year_label),
            "\n\n",
            _year_table(context, year_label),
            "\n",
            _charts(context) if result else "",
            "\n\n",
            _targets(context, year_label),
            _target_link(context, year_label) if can_edit else "",
            "\n\n",
        )
    )


def _heading(indicator) -> str:
    group = f" \u00b7 {esc(indicator.theme_group.name)}" if indicator.theme_group else ""
    return (
        f'<span class="govuk-caption-xl">{esc(indicator.code)}{group}</span>\n'
        f'<h1 class="govuk-heading-xl">{esc(indicator.title)}</h1>\n\n'
    )


def _year_nav(years, year, start_month: int) -> str:
    items = []
    for index, each in enumerate(years):
        label = esc(fy_label(each, start_month))
        item = (
            f"<strong>{label}</strong>"
            if each == year
            else f'<a class="govuk-link" href="?year={esc(each)}">{label}</a>'
        )
        last = index == len(years) - 1
        items.append(f"\n    {item}{'' if last else ' · '}\n  ")
    return (
        '<nav class="app-year-nav" aria-label="Financial years">\n'
        '  <p class="govuk-body">Financial year:\n'
        f"  {''.join(items)}\n"
        "  </p>\n"
        "</nav>\n\n"
    )


def _police_uk(indicator, partnership, can_edit: bool) -> str:
    types = indicator.crime_types
    if not types:
        return "\n"
    hotspots = reverse("opendata:hotspots", args=[partnership.slug, indicator.pk])
    upload = ""
    if can_edit:
        url = reverse("opendata:upload", args=[partnership.slug])
        upload = f' \u00b7 <a class="govuk-link" href="{esc(url)}">Import police.uk data</a>'
    return (
        f'\n<p class="govuk-body">Counts police.uk crime types: '
        f"{', '.join(esc(t) for t in types)}. "
        f'<a class="govuk-link" href="{esc(hotspots)}">Hotspots by area</a>{upload}</p>\n\n'
    )


def _enter_figures(indicator, partnership, year, year_label: str) -> str:
    url = reverse("indicators:year_grid", args=[partnership.slug, indicator.pk, year])
    return (
        f'\n<a class="govuk-button" href="{esc(url)}">Enter or change {year_label} figures</a>\n\n'
    )


def _headline(context: dict) -> str:
    # With the blank lines the template's include left around it: the page is unchanged.
    written = headline(context["indicator"], context["result"], context["sentence"])
    return f"\n  \n\n{written}\n\n\n"


def _no_figures(year_label: str) -> str:
    return f'\n  <p class="govuk-body">There are no figures for {year_label} yet.</p>\n'


def _year_table(context: dict, year_label: str) -> str:
    indicator = context["indicator"]
    last_year_label = esc(context["last_year_label"])
    quarterly = indicator.frequency == "quarterly"
    unit = "quarter" if quarterly else "month"
    per_cent = " (per cent)" if indicator.measure == "percentage" else ""
    numeric = '<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
    return (
        f'<h2 class="govuk-heading-l">{year_label} against {last_year_label}</h2>\n'
        '<div class="app-table-scroll" role="region" '
        f'aria-label="{year_label} against {last_year_label}" tabindex="0">\n'
        '<table class="govuk-table app-table--compact">\n'
        '  <caption class="govuk-table__caption govuk-table__caption--s">'
        f"{esc(indicator.title)}, {unit} by {unit}{per_cent}</caption>\n"
        '  <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
        '    <th scope="col" class="govuk-table__header">'
        f"{'Quarter starting' if quarterly else 'Month'}</th>\n"
        f"    {numeric}{year_label}</th>\n"
        f"    {numeric}{last_year_label}</th>\n"
        f"    {numeric}Change</th>\n"
        '    <th scope="col" class="govuk-table__header">Entered by</th>\n'
        "  </tr></thead>\n"
        '  <tbody class="govuk-table__body">\n'
        f"  {context['year_rows']}\n"
        "  </tbody>\n"
        "</table>\n"
        "</div>\n" + _HOW_TO_READ
    )


def _charts(context: dict) -> str:
    year = esc(context["year"])
    if context["show_spc"]:
        link = (
            f'<a class="govuk-link" href="?year={year}">Show the charts against last year and '
            "the target</a>"
        )
    else:
        link = (
            f'<a class="govuk-link" href="?year={year}&amp;chart=spc">Show the statistical '
            "process control (XmR) chart</a>"
        )
    partnership, indicator = context["partnership"], context["indicator"]
    charts = "".join(
        f"\n{chart_figure(chart, partnership, indicator)}\n" for chart in context["chart_sets"]
    )
    spc = render_to_string("indicators/_spc.html", context) if context["spc"] else ""
    return (
        '\n<h2 class="govuk-heading-l">Charts</h2>\n'
        f'<p class="govuk-body">{link}</p>\n'
        f"{charts}\n{spc}\n"
    )


def _targets(context: dict, year_label: str) -> str:
    targets = context["targets"]
    heading = f'<h2 class="govuk-heading-l">Targets for {year_label}</h2>\n'
    if not targets:
        none = (
            "This indicator is for monitoring only, so it has no target: a monitoring-only "
            "indicator is not rated."
            if context["indicator"].polarity == "monitor"
            else f"No target has been set for {year_label}."
        )
        return f'{heading}\n<p class="govuk-body">{none}</p>\n\n'
    rows = []
    indicator = context["indicator"]
    quarterly = indicator.frequency == "quarterly"
    start = indicator.partnership.fy_start_month
    for target in targets:
        # A quarterly profile point is stored at its quarter's first month: it runs to the
        # end of the quarter's last.
        end = (
            periods.quarter_end(target.period, indicator.partnership.fy_start_month)
            if target.period and quarterly
            else target.period
        )
        period = f"To the end of {esc(month_label(end))}" if end else "Whole year"
        percent = "%" if target.kind == "change_pct" else ""
        places = target_places(indicator.measure, target.kind, target.value)
        rows.append(
            '\n    <tr class="govuk-table__row">\n'
            f'      <th scope="row" class="govuk-table__header">'
            f"{esc(target.get_kind_display())}</th>\n"
            f'      <td class="govuk-table__cell">{period}</td>\n'
            '      <td class="govuk-table__cell govuk-table__cell--numeric">'
            f"{esc(figure(target.value, places))}{percent}</td>\n"
            '      <td class="govuk-table__cell">'
            f"{esc(fy_label(target.baseline_year, start) or '–')}</td>\n"
            "    </tr>\n  "
        )
    return (
        f"{heading}\n"
        '<div class="app-table-scroll" role="region" aria-label="Targets" tabindex="0">\n'
        '<table class="govuk-table app-table--compact">\n'
        '  <caption class="govuk-table__caption govuk-visually-hidden">Targets</caption>\n'
        '  <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
        '    <th scope="col" class="govuk-table__header">Type</th>\n'
        '    <th scope="col" class="govuk-table__header">Period</th>\n'
        '    <th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th>\n'
        '    <th scope="col" class="govuk-table__header">Baseline year</th>\n'
        "  </tr></thead>\n"
        '  <tbody class="govuk-table__body">\n'
        f"  {''.join(rows)}\n"
        "  </tbody>\n"
        "</table>\n"
        "</div>\n\n"
        f"{_target_ignored(indicator)}"
    )


def _target_ignored(indicator) -> str:
    """Why a target kept for a monitoring-only indicator (set before it became one) is not
    used: its figures, sentence and charts leave it out (selectors.partnership_figures)."""
    if indicator.polarity != "monitor":
        return ""
    return (
        '<p class="govuk-body">This indicator is for monitoring only, so it is not rated '
        "against this target. Remove the target, or make lower or higher better for the "
        "indicator to rate it.</p>\n\n"
    )


def _target_link(context: dict, year_label: str) -> str:
    """The link to the year's target page: to set or change the target, or, for a
    monitoring-only indicator, which takes none, only to remove one kept from before."""
    indicator, partnership = context["indicator"], context["partnership"]
    monitoring = indicator.polarity == "monitor"
    if monitoring and not context["targets"]:
        return ""
    url = reverse("indicators:target_edit", args=[partnership.slug, indicator.pk, context["year"]])
    verb = "Remove" if monitoring else "Change" if context["targets"] else "Set"
    return (
        f'<p class="govuk-body"><a class="govuk-link" href="{esc(url)}">{verb} the '
        f"{year_label} target</a></p>"
    )


def _summary_row(key: str, value: str) -> str:
    return (
        '    <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
        f'{key}</dt><dd class="govuk-summary-list__value">{value}</dd></div>\n'
    )


def unrated(indicator, result) -> str:
    """Beside "No status", why there is none (REPORTING: flag a missing baseline or
    target), in the words the report uses: the indicator page's and the dashboard's."""
    f = result.figures
    if f.status in ("green", "amber", "red"):
        return ""
    if result.target is None:
        reason = "no target has been set for the year"
    else:
        reason = (
            commentary.target_status_words(
                result.target,
                f,
                indicator.measure,
                quarterly=indicator.frequency == "quarterly",
                fy_start_month=indicator.partnership.fy_start_month,
            )["unrated"]
            or "there is no target to date"
        )
    return f' <span class="govuk-body-s app-unrated">Not rated: {esc(reason)}.</span>'


def headline(indicator, result, sentence) -> str:
    """The indicator page's status, direction, commentary and headline figures."""
    f = result.figures
    p = places_of_figures(indicator, f)

    measure = indicator.measure

    def shown(value, places=p) -> str:  # with its unit, as the report prints it
        return esc(with_unit(value, measure, places))

    def change(value, *, points: bool) -> str:
        if value is None:
            return esc(signed(value, p))
        return esc(signed(value, p)) + change_unit(measure, points=points)

    status = (
        f"{govuk_status_tag(f.status)}{unrated(indicator, result)}\n"
        if indicator.polarity != "monitor"
        else ""
    )
    note = indicator.interpretation_note
    note = f'<div class="govuk-inset-text">{esc(note)}</div>' if note else ""
    points = measure == "percentage"  # a change between percentages is in points
    parts = (
        f" ({esc(figure(f.ytd_numerator))} of {esc(figure(f.ytd_denominator))})"
        if f.ytd_numerator is not None and f.ytd_denominator is not None and f.ytd is not None
        else ""
    )
    ytd_change = change(f.ytd_change, points=f.change_is_points)
    if f.ytd_change_pct is not None and not f.change_is_points:
        ytd_change += f" ({esc(percent(f.ytd_change_pct))})"
    if f.quarter_complete:
        quarter_row = _summary_row(
            f"Quarter {esc(f.quarter)}",
            f"{shown(f.quarter_value)} (same quarter last year {shown(f.quarter_last_year)}; "
            f"previous quarter {shown(f.quarter_previous)})",
        )
    else:  # last year's figure covers the same months only
        quarter_row = _summary_row(
            f"Quarter {esc(f.quarter)} so far",
            f"{shown(f.quarter_value)} (same months last year {shown(f.quarter_last_year)}; "
            f"whole previous quarter {shown(f.quarter_previous)})",
        )
    rows = [
        _summary_row(
            esc(period_words(indicator, f.period)),
            f"{shown(f.value)} (last year {shown(f.last_year_value)}, "
            f"change {change(f.change, points=points)})",
        ),
        _summary_row("Year to date", f"{shown(f.ytd)}{parts}"),
        _summary_row("Same period last year", shown(f.ytd_last_year)),
        _summary_row("Change", ytd_change),
        quarter_row,
        "    ",
    ]
    if f.target_to_date is not None:
        # The gap as the year to date and the target beside it read (2, not 2.5 or 3); to
        # a decimal more where they read alike.
        gap = commentary.shown_gap(f, p)
        if gap is None and f.target_gap is not None:
            gap_text = esc(signed(f.target_gap, p + 1)) + change_unit(measure, points=points)
        else:
            gap_text = change(gap, points=points)
        target = f"{shown(f.target_to_date)} (gap {gap_text})"
        rows += ["\n", _summary_row("Target to date", target), "    "]
    rows.append("\n    ")
    if f.annual_target is not None:
        annual = shown(f.annual_target)
        required = f.required_monthly_average
        if required is not None and required > 0:
            # A ceiling or a figure to reach, as the commentary words it.
            average = commentary.required_per_month(required, indicator.polarity)
            if indicator.polarity == "higher":
                annual += f"; at least {shown(average, 0)} a month needed from now on"
            elif average:
                annual += f"; at most {shown(average, 0)} a month from now on"
            else:  # under 1 a month: what is left for the rest of the year, in all
                left = (f.annual_target - f.ytd).to_integral_value(rounding=ROUND_FLOOR)
                annual += f"; at most {shown(left, 0)} more in all from now on"
        elif required is not None:  # never a negative average
            if required == 0:
                met = "already equals"
            elif indicator.polarity == "higher":
                met = "has already met"
            else:
                met = "has already exceeded"
            annual += f"; the year to date {met} it"
        rows += ["\n", _summary_row("Annual target", annual), "    "]
    rows += ["\n", _summary_row("Year-end forecast", shown(f.forecast))]
    warning = ""
    if f.missing_periods:
        # A quarterly indicator's missing period is a quarter: "Quarter 1 (April to June 2010)".
        months = ", ".join(esc(period_words(indicator, m)) for m in f.missing_periods)
        them = esc(pluralize(len(f.missing_periods), "it,them"))
        warning = (
            '\n  <div class="govuk-warning-text">\n'
            '    <span class="govuk-warning-text__icon" aria-hidden="true">!</span>\n'
            '    <strong class="govuk-warning-text__text">'
            '<span class="govuk-visually-hidden">Warning</span>\n'
            f"      No figure for {months}: the year to date leaves {them} out.\n"
            "    </strong>\n"
            "  </div>\n  "
        )
    return (
        '<div class="app-headline">\n'
        '  <p class="govuk-body app-headline__status">\n'
        f"    {status}\n"
        f"    {govuk_direction(f.direction, indicator.polarity)}\n\n"
        "  </p>\n"
        f'  <p class="govuk-body-l app-commentary">{esc(sentence)}</p>\n'
        f"  {note}\n"
        '  <dl class="govuk-summary-list govuk-summary-list--no-border app-figures">\n'
        f"{''.join(rows)}"
        "  </dl>\n"
        f"  {warning}\n"
        "</div>"
    )
