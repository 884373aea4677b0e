"""Cached figures and page fragments (indicators/data_version.py): every write path that
changes a figure's inputs shows on the next request of every cached page, cached pages
are byte for byte what an empty cache gives, and nothing cached crosses partnerships or
roles.
"""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.template.loader import render_to_string as django_render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csp_portal.core.models import Partnership, ThemeGroup
from indicators import comparisons, data_version, importing, row_html, services, views
from indicators.models import Actual, Indicator, Target
from indicators.services import FigureInput, TargetRow
from reports import services as report_services
from tests.factories import IndicatorFactory, ReportFactory, TargetFactory, UserFactory
from tests.factories.series import hate_crime_indicator, indicators_with_history
from tests.integration.target_pages import shown_target

NOV_2016 = datetime.date(2016, 11, 1)


@pytest.fixture
def world(partnership_a, partnership_b, officer_a):
    """Two partnerships with the same indicator code, different figures; a target on A's.
    A has a second indicator in the same theme group, whose rows on the dashboard and the
    indicator list stay cached when only the first one's figures change."""
    own = hate_crime_indicator(partnership_a)
    hate_crime_indicator(partnership_a, code="SP 10", title="Neighbouring indicator")
    TargetFactory(indicator=own, financial_year=2016, kind="annual", value=Decimal(300))
    other = hate_crime_indicator(partnership_b)
    Actual.objects.filter(indicator=other).update(value=Decimal(7777))
    data_version.data_changed(indicator_ids=[other.pk])  # update() sends no signals
    return own, other


def pages(indicator: Indicator) -> list[str]:
    slug, pk = indicator.partnership.slug, indicator.pk
    return [
        reverse("indicators:dashboard", args=[slug]),
        reverse("indicators:list", args=[slug]),
        reverse("indicators:detail", args=[slug, pk]),
        reverse("indicators:detail", args=[slug, pk]) + "?year=2016&chart=spc",
        reverse("indicators:month_sheet", args=[slug, "2016-11"]),
        reverse("indicators:year_grid", args=[slug, pk, 2016]),
        reverse("indicators:api_comparisons", args=[slug]) + "?period=2016-11",
    ]


# What differs between two responses of the same page whatever the cache: the CSRF
# token and the Content-Security-Policy nonce.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


def fetch(client, urls: list[str]) -> dict[str, str]:
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = PER_RESPONSE.sub(r"\1", response.content.decode())
    return found


def fetch_uncached(client, urls: list[str]) -> dict[str, str]:
    cache.clear()
    return fetch(client, urls)


@pytest.mark.django_db
def test_cached_pages_are_byte_identical_and_cheaper(client, officer_a, world):
    own, _ = world
    client.force_login(officer_a)
    urls = pages(own)
    cold = fetch_uncached(client, urls)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            warm = fetch(client, [url])
        assert warm[url] == cold[url], url
        uncached = fetch_uncached(client, [url])
        with CaptureQueriesContext(connection) as cold_queries:
            fetch_uncached(client, [url])
        assert uncached[url] == cold[url], url
        assert len(queries) < len(cold_queries), url


def form_fields(client, url: str) -> dict[str, str]:
    """The form of a page as it was opened: every input's name and value."""
    html = client.get(url).content.decode()
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) != "csrfmiddlewaretoken":
            fields[name.group(1)] = value.group(1) if value else ""
    fields.setdefault("reason", "")
    return fields


def month_sheet_post(client, indicator, value="555", **_):
    url = reverse("indicators:month_sheet", args=[indicator.partnership.slug, "2016-11"])
    data = form_fields(client, url)
    data[f"i{indicator.pk}-v"] = value
    assert client.post(url, data).status_code == 302


def year_grid_post(client, indicator, **_):
    url = reverse("indicators:year_grid", args=[indicator.partnership.slug, indicator.pk, 2016])
    data = form_fields(client, url)
    data["m2016-10-v"] = "444"
    data["m2016-11-v"] = ""  # removed: a blank is a missing figure
    assert client.post(url, data).status_code == 302


def figure_service(indicator, officer, **_):
    # The path of the police.uk import and every figure form.
    services.actuals_save(
        entries=[FigureInput(indicator, NOV_2016, Decimal(1))], by=officer, source="police.uk"
    )


def import_actuals(indicator, tmp_path, **_):
    # Existing figures changed (bulk_update) and a new one added (COPY or bulk insert).
    slug = indicator.partnership.slug
    (tmp_path / "actuals.csv").write_text(
        "partnership,indicator,period,value,numerator,denominator,note\n"
        f"{slug},SP 09,2016-11,91,,,\n{slug},SP 09,2016-12,92,,,\n"
    )
    importing.import_path(tmp_path, by=None)


def import_indicators(indicator, tmp_path, **_):
    slug = indicator.partnership.slug
    (tmp_path / "indicators.csv").write_text(
        "partnership,code,title,theme_group,polarity,measure,frequency,tolerance,unit\n"
        f"{slug},ZZ 01,Imported indicator,,lower,count,monthly,5,crimes\n"
    )
    importing.import_path(tmp_path, by=None)


def target_form(client, indicator, **_):
    url = reverse("indicators:target_edit", args=[indicator.partnership.slug, indicator.pk, 2016])
    data = {**shown_target(client, url), "kind": "annual", "value": "150"}
    assert client.post(url, data).status_code == 302


def target_service(indicator, officer, **_):
    services.targets_replace(
        indicator=indicator,
        financial_year=2016,
        rows=[TargetRow(kind="change_pct", value=Decimal(-3), baseline_year=2015)],
        by=officer,
    )


def target_deleted(indicator, **_):
    Target.objects.filter(indicator=indicator).delete()  # as the admin's bulk delete


def spc_settings(indicator, officer, **_):
    services.spc_setting_save(
        indicator=indicator,
        baseline_start=datetime.date(2015, 4, 1),
        baseline_end=datetime.date(2016, 3, 1),
        recalculate_from=[],
        run_length=7,
        by=officer,
    )


def indicator_settings(indicator, **_):
    indicator.polarity = Indicator.Polarity.LOWER  # as the admin's form saves it
    indicator.title = "Hate crime, renamed"
    indicator.save()


def indicator_deleted(indicator, **_):
    IndicatorFactory(partnership=indicator.partnership, code="AA 01")
    Indicator.objects.get(pk=indicator.pk).delete()


def actual_deleted(indicator, **_):
    Actual.objects.get(indicator=indicator, period=NOV_2016).delete()


def actual_edited_in_admin(indicator, **_):
    actual = Actual.objects.get(indicator=indicator, period=NOV_2016)
    actual.value = Decimal(2)
    actual.save()


def partnership_settings(indicator, **_):
    partnership = Partnership.objects.get(pk=indicator.partnership_id)
    partnership.name = "Partnership A, renamed"
    partnership.rag_legend = {"red": "Red!", "amber": "Amber!", "green": "Green!"}
    partnership.save()


def theme_group_renamed(indicator, **_):
    group = ThemeGroup.objects.get(pk=indicator.theme_group_id)
    group.name = "Community cohesion, renamed"
    group.save()


def person_renamed(officer, **_):
    officer.first_name = "Renamed"
    officer.save()


def partnership_year_start(indicator, **_):
    partnership = Partnership.objects.get(pk=indicator.partnership_id)
    partnership.fy_start_month = 1  # the figures of every indicator move to calendar years
    partnership.save()


WRITES = [
    month_sheet_post,
    year_grid_post,
    figure_service,
    import_actuals,
    import_indicators,
    target_form,
    target_service,
    target_deleted,
    spc_settings,
    indicator_settings,
    indicator_deleted,
    actual_deleted,
    actual_edited_in_admin,
    partnership_settings,
    theme_group_renamed,
    person_renamed,
    partnership_year_start,
]


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES, ids=[w.__name__ for w in WRITES])
def test_every_write_path_shows_on_the_next_request(client, officer_a, world, write, tmp_path):
    own, other = world
    client.force_login(officer_a)
    month_sheet_post(client, own, value="123")  # an edit by this officer, so the pages name them
    client.get("/accessibility/")
    urls = pages(own)
    other_urls = pages(other)
    client_b = client.__class__()
    client_b.force_login(UserFactory(is_staff=True, is_superuser=True))
    before = fetch(client, urls)
    fetch(client, urls)  # every page now comes from the cache
    other_before = fetch(client_b, other_urls)

    write(client=client, indicator=own, officer=officer_a, tmp_path=tmp_path)
    client.get("/accessibility/")  # shows (and so clears) the write's "saved" message

    if not Indicator.objects.filter(pk=own.pk).exists():  # the partnership's pages only
        urls = [u for u in urls if f"/{own.pk}/" not in u]
    after = fetch(client, urls)
    assert after == fetch_uncached(client, urls)
    assert after != {u: before[u] for u in urls}
    # The other partnership's pages are as they were (a person's name is everywhere).
    if write is not person_renamed:
        assert fetch(client_b, other_urls) == other_before


@pytest.mark.django_db
def test_nothing_cached_crosses_partnerships(client, officer_a, officer_b, world):
    own, other = world
    client.force_login(officer_a)
    ours = fetch(client, pages(own))
    client.force_login(officer_b)
    theirs = fetch(client, pages(other))
    assert theirs == fetch_uncached(client, pages(other))
    showing_figures = [0, 2, 3, 4, 5, 6]  # all but the indicator list
    for url in [pages(other)[i] for i in showing_figures]:
        assert "7777" in theirs[url].replace(",", ""), url
    for url in pages(own):
        assert "7777" not in ours[url].replace(",", ""), url
        assert "Partnership B" not in ours[url], url
    # Each reads only their own, cached or not.
    for url in pages(own):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_editors_cached_pages_never_reach_a_panel_member(client, officer_a, panel_a, world):
    own, _ = world
    client.force_login(officer_a)
    fetch(client, pages(own))  # cached for an editor
    client.force_login(panel_a)
    for url in pages(own):
        assert client.get(url).status_code in (403, 404), url


@pytest.mark.django_db
@pytest.mark.parametrize("write", [month_sheet_post, target_service, import_actuals])
def test_draft_report_shows_a_change_at_once(client, officer_a, world, write, tmp_path):
    own, _ = world
    report = ReportFactory(partnership=own.partnership)
    url = reverse("reports:preview", args=[own.partnership.slug, report.pk])
    client.force_login(officer_a)
    as_at = re.compile(r"Figures as at [^<]*")  # the time the draft was made: now

    def draft() -> str:
        return as_at.sub("", fetch(client, [url])[url])

    before = draft()
    assert draft() == before  # nothing else changes it (served from the cache)

    write(client=client, indicator=own, officer=officer_a, tmp_path=tmp_path)
    client.get("/accessibility/")

    after = draft()
    assert after != before
    cache.clear()
    assert draft() == after


# The month sheet, the year grid and the comparisons API keep each indicator's piece (a
# row, the grid's rows, a record) under its figures version, beside the whole page kept
# under the data version: a write that changes the data version but not the figures
# version (a theme group, a person, a partnership, a report) must still show.


def figure_pages(indicator: Indicator) -> list[str]:
    return pages(indicator)[4:]


def report_published(indicator, **_):
    # Locks November 2016 (the sheet refuses figures for it: tested below).
    report = ReportFactory(partnership=indicator.partnership)
    report_services.report_publish(report=report, by=None, documents=False)


PIECE_WRITES = [*WRITES, report_published]


@pytest.mark.django_db
@pytest.mark.parametrize("write", PIECE_WRITES, ids=[w.__name__ for w in PIECE_WRITES])
def test_pages_kept_in_pieces_are_fresh_after_every_write(
    client, officer_a, world, write, tmp_path
):
    own, _ = world
    client.force_login(officer_a)
    month_sheet_post(client, own, value="123")
    client.get("/accessibility/")
    urls = figure_pages(own)
    fetch(client, urls)
    fetch(client, urls)  # whole and in pieces, from the cache

    write(client=client, indicator=own, officer=officer_a, tmp_path=tmp_path)
    client.get("/accessibility/")

    if not Indicator.objects.filter(pk=own.pk).exists():
        urls = [u for u in urls if f"/{own.pk}/" not in u]
    after = fetch(client, urls)
    uncached = fetch_uncached(client, urls)
    for url in urls:
        assert after[url] == uncached[url], url


@pytest.mark.django_db
def test_month_sheet_shows_renamed_theme_group_and_indicator(client, officer_a, world):
    own, _ = world
    client.force_login(officer_a)
    sheet, api = figure_pages(own)[0], figure_pages(own)[2]
    fetch(client, [sheet, api])

    theme_group_renamed(own)
    assert "Community cohesion, renamed" in fetch(client, [sheet])[sheet]
    indicator_settings(Indicator.objects.get(pk=own.pk))
    assert "Hate crime, renamed" in fetch(client, [sheet])[sheet]
    assert "Hate crime, renamed" in fetch(client, [api])[api]


@pytest.mark.django_db
def test_month_sheet_kept_rows_refuse_a_month_a_report_locked(client, officer_a, world):
    own, _ = world
    client.force_login(officer_a)
    sheet = figure_pages(own)[0]
    fetch(client, [sheet])

    report_published(own)
    url = reverse("indicators:month_sheet", args=[own.partnership.slug, "2016-11"])
    data = form_fields(client, url)
    data[f"i{own.pk}-v"] = "555"
    response = client.post(url, data)

    assert response.status_code == 200
    assert "published" in response.content.decode()
    assert not Actual.objects.filter(indicator=own, period=NOV_2016, value=555).exists()


@pytest.mark.django_db
def test_after_a_saved_figure_only_its_pieces_are_made_again(
    client, officer_a, partnership_a, monkeypatch
):
    indicators = indicators_with_history(partnership_a, 6, last=NOV_2016)
    changed = indicators[2]
    client.force_login(officer_a)
    sheet = reverse("indicators:month_sheet", args=[partnership_a.slug, "2016-11"])
    api = reverse("indicators:api_comparisons", args=[partnership_a.slug]) + "?period=2016-11"
    made = []
    record = comparisons.record
    monkeypatch.setattr(
        comparisons,
        "record",
        lambda result, period: made.append(result.indicator) or record(result, period),
    )

    def rows_made(response) -> list[int]:
        assert response.status_code == 200
        return [cell.indicator.pk for cell, *_ in response.context.get("grid", [])]

    grid = reverse("indicators:year_grid", args=[partnership_a.slug, changed.pk, 2016])
    grid_rows = []
    year_grid_row = views.year_grid_row
    monkeypatch.setattr(
        views, "year_grid_row", lambda *row: grid_rows.append(row) or year_grid_row(*row)
    )

    def grid_rows_made(response) -> int:
        assert response.status_code == 200
        made = len(grid_rows)
        grid_rows.clear()
        return made

    assert len(rows_made(client.get(sheet))) == len(indicators)
    client.get(api)
    assert len(made) == len(indicators)
    assert grid_rows_made(client.get(grid)) == 12

    figure_service(changed, officer_a)  # November 2016
    made.clear()
    rebuilt = client.get(sheet)
    client.get(api)

    assert rows_made(rebuilt) == [changed.pk]
    assert made == [changed]
    assert grid_rows_made(client.get(grid)) == 1
    assert fetch(client, [sheet, api, grid]) == fetch_uncached(client, [sheet, api, grid])
    # The records put together are the list written at once.
    whole = json.dumps(comparisons.records_json(partnership_a, NOV_2016), cls=DjangoJSONEncoder)
    assert client.get(api).content.decode() == whole


@pytest.mark.django_db
def test_a_saved_figure_renders_only_its_own_rows(client, officer_a, partnership_a, monkeypatch):
    built = indicators_with_history(partnership_a, 5, last=NOV_2016)
    changed = built[2]
    client.force_login(officer_a)
    urls = [
        reverse("indicators:dashboard", args=[partnership_a.slug]),
        reverse("indicators:list", args=[partnership_a.slug]),
    ]
    fetch(client, urls)
    rendered = []
    row, empty_row = row_html.dashboard_row, row_html.dashboard_empty
    list_row = row_html.indicator_list_row

    def render_to_string(template_name, context=None, *args, **kwargs):
        item = context.get("indicator")
        rendered.append((template_name, item.pk if item else None))
        return django_render_to_string(template_name, context, *args, **kwargs)

    def dashboard_row(partnership, result, **kwargs):
        rendered.append(("dashboard row", result.indicator.pk))
        return row(partnership, result, **kwargs)

    def indicator_list_row(indicator):
        rendered.append(("list row", indicator.pk))
        return list_row(indicator)

    def dashboard_empty(partnership, indicator):
        rendered.append(("dashboard empty row", indicator.pk))
        return empty_row(partnership, indicator)

    monkeypatch.setattr(views, "render_to_string", render_to_string)
    monkeypatch.setattr(row_html, "dashboard_row", dashboard_row)
    monkeypatch.setattr(row_html, "dashboard_empty", dashboard_empty)
    monkeypatch.setattr(row_html, "indicator_list_row", indicator_list_row)
    services.actuals_save(
        entries=[FigureInput(changed, NOV_2016, Decimal(1))], by=officer_a, source="form"
    )
    after = fetch(client, urls)

    rows = [r for r in rendered if r[0].endswith(("_row.html", " row"))]
    assert sorted(rows) == [
        ("dashboard row", changed.pk),
        ("list row", changed.pk),
    ]
    assert after == fetch_uncached(client, urls)


@pytest.mark.django_db
def test_the_indicator_page_outlives_a_save_to_another_indicator_but_not_a_name(
    client, officer_a, partnership_a
):
    shown, other = indicators_with_history(partnership_a, 2, last=NOV_2016)
    person = UserFactory(first_name="Dana", last_name="Entered")
    services.actuals_save(
        entries=[FigureInput(shown, NOV_2016, Decimal(5))], by=person, source="form"
    )
    url = reverse("indicators:detail", args=[partnership_a.slug, shown.pk])
    client.force_login(officer_a)
    assert "Dana Entered" in fetch(client, [url])[url]

    figure_service(other, officer_a)
    with CaptureQueriesContext(connection) as queries:
        fetch(client, [url])
    assert not any('"indicators_actual"' in q["sql"] for q in queries), "kept, not rebuilt"

    person.first_name = "Dana renamed"
    person.save()
    assert "Dana renamed Entered" in fetch(client, [url])[url]

    person.delete()
    page = fetch(client, [url])[url]
    assert "Dana renamed" not in page
    assert page == fetch_uncached(client, [url])[url]


@pytest.mark.django_db
def test_a_renamed_person_locks_indicators_before_partnerships_as_a_figure_save_does(
    partnership_a,
):
    """The other order deadlocks on PostgreSQL with a month sheet saved at that moment."""
    shown = indicators_with_history(partnership_a, 1, last=NOV_2016)[0]
    person = UserFactory()
    services.actuals_save(
        entries=[FigureInput(shown, NOV_2016, Decimal(5))], by=person, source="form"
    )
    person.first_name = "Renamed"
    with CaptureQueriesContext(connection) as queries:
        person.save()
    updated = [
        table
        for q in queries
        if q["sql"].startswith("UPDATE")
        for table in ("indicators_indicator", "core_partnership")
        if f'"{table}"' in q["sql"].split(" SET ")[0]
    ]
    assert updated == ["indicators_indicator", "core_partnership"]


@pytest.mark.django_db
def test_figures_change_the_data_version_and_all_else_the_context_version_too(world):
    own, other = world
    a, b = own.partnership_id, other.partnership_id

    def changed(write) -> dict[int, tuple[bool, bool]]:
        """Per partnership: (data version changed, context version changed)."""
        fields = ("pk", "data_version", "context_version")
        before = {pk: rest for pk, *rest in Partnership.objects.values_list(*fields)}
        write()
        after = {pk: rest for pk, *rest in Partnership.objects.values_list(*fields)}
        return {pk: (after[pk][0] != old[0], after[pk][1] != old[1]) for pk, old in before.items()}

    figures = changed(lambda: figure_service(own, None))
    assert figures == {a: (True, False), b: (False, False)}
    assert changed(lambda: data_version.data_changed(partnership_ids=[b])) == {
        a: (False, False),
        b: (True, True),
    }

    def both_kinds_at_once():
        with data_version.batched():
            data_version.data_changed(indicator_ids=[own.pk, other.pk], partnership_ids=[b])

    assert changed(both_kinds_at_once) == {a: (True, False), b: (True, True)}
    assert changed(lambda: Partnership.objects.get(pk=a).save()) == {
        a: (True, True),
        b: (False, False),
    }
    assert changed(lambda: indicator_settings(own)) == {a: (True, True), b: (False, False)}


@pytest.mark.django_db
def test_the_indicator_list_keeps_its_order_through_a_save_unless_sorted_by_figures(
    client, officer_a, partnership_a
):
    """Which indicators a list page holds, in what order, is kept under the context
    version: a save of figures reads no table, only the rows' versions and the saved
    indicator. Sorted by the latest figure, the order follows the save."""
    first, second, third = indicators_with_history(partnership_a, 3, last=NOV_2016)
    Actual.objects.filter(indicator=first, period=NOV_2016).delete()  # latest: October
    data_version.data_changed(indicator_ids=[first.pk])
    client.force_login(officer_a)
    listed = reverse("indicators:list", args=[partnership_a.slug])
    by_latest = listed + "?sort=latest"

    def order(url) -> list[str]:
        page = client.get(url).content.decode()
        return [i.code for i in sorted((first, second, third), key=lambda i: page.index(i.title))]

    codes = sorted([first.code, second.code, third.code])
    assert order(listed) == codes
    assert order(by_latest)[0] == first.code  # the only one without November
    december = datetime.date(2016, 12, 1)
    services.actuals_save(entries=[FigureInput(first, december, Decimal(5))], by=officer_a)

    with CaptureQueriesContext(connection) as queries:
        assert order(listed) == codes
    read = [q["sql"] for q in queries.captured_queries]
    assert not any("COUNT(*)" in sql for sql in read)  # the table's count of rows
    # Its page of rows neither: the saved indicator's row alone is read.
    [figures] = [sql for sql in read if "figure_count" in sql]
    assert f'"indicators_indicator"."id" = {first.pk}' in figures
    assert order(by_latest)[-1] == first.code  # now the only one with December
    assert fetch(client, [listed, by_latest]) == fetch_uncached(client, [listed, by_latest])


@pytest.mark.parametrize(
    ("query", "by_figures"),
    [("", False), ("sort=indicator", False), ("sort=-latest", True), ("sort=how,latest", True)],
)
def test_which_sorts_follow_the_figures(query, by_figures):
    from django.http import QueryDict

    from indicators.tables import IndicatorTable

    assert IndicatorTable.sorted_by_figures(QueryDict(query)) is by_figures
