"""Figures kept between requests (indicators/figures_memo.py): after every kind of write,
partnership_figures gives what a fresh computation gives, and a full hit reads only the
indicators."""

import datetime
from decimal import Decimal

import pytest

from csp_portal.core.models import Partnership
from indicators import importing, services
from indicators.figures_memo import memo_clear, memo_get_many, memo_set_many
from indicators.models import Actual, Indicator, Target
from indicators.selectors import partnership_figures
from indicators.services import FigureInput, TargetRow
from tests.factories import IndicatorFactory, TargetFactory
from tests.factories.series import hate_crime_indicator
from tests.integration.test_page_cache import month_sheet_post

NOV_2016 = datetime.date(2016, 11, 1)
DEC_2016 = datetime.date(2016, 12, 1)


@pytest.fixture
def world(partnership_a):
    """The hate crime series with an annual target, and a second indicator beside it."""
    own = hate_crime_indicator(partnership_a)
    TargetFactory(indicator=own, financial_year=2016, kind="annual", value=Decimal(300))
    other = IndicatorFactory(partnership=partnership_a, code="AA 01")
    services.actuals_save(entries=[FigureInput(other, NOV_2016, Decimal(12))], by=None)
    return own, other


def figures_now(indicators=None):
    partnership = Partnership.objects.get(slug="partnership-a")
    return partnership_figures(partnership, NOV_2016, indicators=indicators)


def fresh(indicators=None):
    memo_clear()
    return figures_now(indicators)


def actuals_added(own, other, **_):
    # Two new figures: one INSERT, as the month sheet makes it.
    services.actuals_save(
        entries=[FigureInput(own, DEC_2016, Decimal(5)), FigureInput(other, DEC_2016, Decimal(6))],
        by=None,
    )


def actual_edited(own, **_):
    services.actuals_save(entries=[FigureInput(own, NOV_2016, Decimal(99))], by=None)


def actual_removed(own, **_):
    services.actuals_save(entries=[FigureInput(own, NOV_2016, None)], by=None)


def actual_deleted_in_admin(own, **_):
    Actual.objects.get(indicator=own, period=NOV_2016).delete()


def target_set(own, **_):
    services.target_set(
        indicator=own, financial_year=2016, kind="annual", value=Decimal(250), by=None
    )


def target_replaced(own, **_):
    services.targets_replace(
        indicator=own,
        financial_year=2016,
        rows=[TargetRow(kind="change_pct", value=Decimal(-3), baseline_year=2013)],
        by=None,
    )


def target_deleted(own, **_):
    Target.objects.filter(indicator=own).delete()


def spc_changed(own, **_):
    services.spc_setting_save(
        indicator=own,
        baseline_start=datetime.date(2015, 4, 1),
        baseline_end=datetime.date(2016, 3, 1),
        recalculate_from=[],
        run_length=7,
        by=None,
    )


def polarity_changed(own, **_):
    own.polarity = Indicator.Polarity.LOWER
    own.save()


def measure_changed(own, **_):
    own.measure = Indicator.Measure.SNAPSHOT
    own.save()


def stale_copy_saved(own, **_):
    # A copy read before the figures changed, saved after: it must not bring their old
    # figures version back.
    stale = Indicator.objects.get(pk=own.pk)
    services.actuals_save(entries=[FigureInput(own, NOV_2016, Decimal(88))], by=None)
    stale.title = "Renamed"
    stale.save()


def year_started_later(own, **_):
    partnership = Partnership.objects.get(pk=own.partnership_id)
    partnership.fy_start_month = 1
    partnership.save()


def actuals_imported(own, tmp_path, **_):
    (tmp_path / "actuals.csv").write_text(
        "partnership,indicator,period,value,numerator,denominator,note\n"
        f"{own.partnership.slug},SP 09,2016-11,91,,,\n"
        f"{own.partnership.slug},SP 09,2016-12,92,,,\n"
    )
    importing.import_path(tmp_path, by=None)


WRITES = [
    actuals_added,
    actual_edited,
    actual_removed,
    actual_deleted_in_admin,
    target_set,
    target_replaced,
    target_deleted,
    spc_changed,
    polarity_changed,
    measure_changed,
    stale_copy_saved,
    year_started_later,
    actuals_imported,
]


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES, ids=[w.__name__ for w in WRITES])
def test_figures_after_a_write_are_fresh(world, write, tmp_path):
    own, other = world
    before = figures_now()
    assert figures_now() == before  # from the memo

    write(own=own, other=other, tmp_path=tmp_path)

    after = figures_now()
    assert after == fresh()
    assert after != before
    # One indicator alone, as the indicator page asks, agrees too.
    one = Indicator.objects.filter(pk=own.pk)
    assert figures_now(one) == fresh(one)


@pytest.mark.django_db
def test_figures_after_the_month_sheet_are_fresh(client, officer_a, world):
    own, _ = world
    before = figures_now()
    client.force_login(officer_a)

    month_sheet_post(client, own, value="77")

    after = figures_now()
    assert after == fresh()
    assert after != before


@pytest.mark.django_db
def test_series_read_as_far_back_as_the_indicators_asked_for_now(world):
    # A target on a baseline year long ago makes every series of the dashboard reach back
    # to it; the indicator page, asking for another indicator alone, reads less.
    own, other = world
    services.actuals_save(entries=[FigureInput(other, datetime.date(2013, 5, 1), 4)], by=None)
    target_replaced(own)
    alone = Indicator.objects.filter(pk=other.pk)
    assert figures_now(alone) == fresh(alone)
    everyone = figures_now()
    assert everyone == fresh()
    assert figures_now(alone) == fresh(alone)
    assert figures_now() == everyone


@pytest.mark.django_db
def test_figures_all_kept_read_only_the_indicators(world, django_assert_num_queries):
    figures_now()
    partnership = Partnership.objects.get(slug="partnership-a")

    with django_assert_num_queries(1):
        kept = partnership_figures(partnership, NOV_2016)

    assert kept == fresh()
    assert [(type(r.figures), type(r.series)) for r in kept] == [
        (type(r.figures), type(r.series)) for r in fresh()
    ]


def test_memo_drops_the_least_recently_used_beyond_its_bound(settings):
    settings.FIGURES_MEMO_ENTRIES = 2
    memo_clear()
    memo_set_many([("a", 1), ("b", 2)])
    assert memo_get_many(["a"]) == [1]  # "a" is now the most recently used

    memo_set_many([("c", 3)])

    assert memo_get_many(["a", "b", "c"]) == [1, None, 3]


@pytest.mark.django_db
def test_an_indicators_figures_do_not_depend_on_the_others_beside_it(partnership_a):
    """Its XmR window reaches 35 months back (December 2013 for November 2016), beyond the
    two years before this one: read alone or beside an indicator whose target's baseline
    reaches further still, its variation is the same (the dashboard and its page agreed
    only when the other was computed in the same call)."""
    from indicators import periods

    own = IndicatorFactory(partnership=partnership_a, code="AA 01")
    months = [periods.add_months(NOV_2016, -i) for i in range(36)]
    # Low before April 2014, high since: the window's first four months hold the low ones.
    values = {
        m: Decimal(10 if m < datetime.date(2014, 4, 1) else 100 + (i % 3))
        for i, m in enumerate(months)
    }
    services.actuals_save(entries=[FigureInput(own, m, v) for m, v in values.items()], by=None)
    other = IndicatorFactory(partnership=partnership_a, code="BB 01")
    TargetFactory(
        indicator=other,
        financial_year=2016,
        kind="change_pct",
        value=Decimal(-3),
        baseline_year=2009,
    )

    alone = fresh(Indicator.objects.filter(pk=own.pk))[0].figures
    beside = next(f.figures for f in fresh() if f.indicator.pk == own.pk)

    assert alone.spc_points == beside.spc_points == 36
    assert (alone.variation, alone.spc_mean) == (beside.variation, beside.spc_mean)
