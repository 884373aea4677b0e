"""The prepared lookups every request makes: the same rows as the ORM, read afresh."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from csp_portal.core.backends import UserBackend
from csp_portal.core.models import Membership, Partnership
from csp_portal.core.permissions import roles_by_partnership
from csp_portal.core.prepared import PreparedGet, PreparedRows
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_prepared_get_reads_what_the_orm_reads_in_one_query():
    user = UserFactory(first_name="Ann", last_name="Lee")
    user.last_login = timezone.make_aware(datetime.datetime(2026, 11, 1, 9, 30))
    user.save()
    partnership = PartnershipFactory()
    with CaptureQueriesContext(connection) as queries:
        got_user = PreparedGet(User, "pk").get(str(user.pk))  # as the session holds it
        got_partnership = PreparedGet(Partnership, "slug").get(partnership.slug)
    assert len(queries) == 2
    assert _fields(got_user) == _fields(User.objects.get(pk=user.pk))
    assert got_user.last_login == user.last_login  # converted back to an aware datetime
    assert _fields(got_partnership) == _fields(Partnership.objects.get(pk=partnership.pk))
    assert not got_user._state.adding and got_user._state.db == "default"


def test_prepared_get_answers_none_for_no_row_and_reads_each_change():
    lookup = PreparedGet(Partnership, "slug")
    assert lookup.get("no-such-partnership") is None
    partnership = PartnershipFactory(name="Before")
    assert lookup.get(partnership.slug).name == "Before"
    Partnership.objects.filter(pk=partnership.pk).update(name="After")
    assert lookup.get(partnership.slug).name == "After"  # nothing kept but the SQL


def test_prepared_rows_give_what_the_queryset_gives_for_each_value():
    def build(user_id):
        return (
            Membership.objects.filter(user_id=user_id, role__in=["officer", "panel_member"])
            .order_by("partnership__slug")
            .values_list("partnership__slug", "role", "user__date_joined")
        )

    lookup = PreparedRows(build, Membership._meta.get_field("user"))
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        for role in ("officer", "panel_member", "chair"):
            MembershipFactory(user=user, role=role)
    for user in (first, second, UserFactory()):
        assert lookup.rows(user.pk) == list(build(user.pk))  # datetimes converted alike
        assert lookup.rows(str(user.pk)) == list(build(user.pk))


def test_roles_are_read_afresh_for_each_request(client):
    membership = MembershipFactory(role="officer")
    user = User.objects.get(pk=membership.user_id)
    assert roles_by_partnership(user) == {membership.partnership_id: "officer"}
    Membership.objects.filter(pk=membership.pk).update(role="panel_member")
    assert roles_by_partnership(User.objects.get(pk=user.pk)) == {
        membership.partnership_id: "panel_member"
    }


def test_the_sign_in_backend_refuses_a_deactivated_or_deleted_user():
    user = UserFactory()
    backend = UserBackend()
    assert backend.get_user(user.pk) == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None
    User.objects.filter(pk=user.pk).delete()
    assert backend.get_user(user.pk) is None


def test_a_password_change_elsewhere_signs_the_session_out(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/").wsgi_request.user == user
    user.set_password("a-new-password-1234")
    user.save()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_latest_period_is_the_latest_month_of_any_indicator_read_afresh():
    from django.db.models import Max

    from indicators.models import Actual
    from indicators.selectors import latest_period
    from tests.factories import IndicatorFactory

    partnership, other = PartnershipFactory(), PartnershipFactory()
    assert latest_period(partnership) is None  # no indicators
    first = IndicatorFactory(partnership=partnership, code="A")
    IndicatorFactory(partnership=partnership, code="B")  # no figures: left out
    assert latest_period(partnership) is None
    first.actuals.create(period=datetime.date(2016, 10, 1), value=1)
    first.actuals.create(period=datetime.date(2016, 11, 1), value=1)
    IndicatorFactory(partnership=other).actuals.create(period=datetime.date(2017, 3, 1), value=1)
    assert latest_period(partnership) == datetime.date(2016, 11, 1)
    third = IndicatorFactory(partnership=partnership, code="C")
    third.actuals.create(period=datetime.date(2016, 12, 1), value=1)
    with CaptureQueriesContext(connection) as queries:
        assert latest_period(partnership) == datetime.date(2016, 12, 1)
    assert len(queries) == 1
    for each in (partnership, other):
        mine = Actual.objects.filter(indicator__partnership=each)
        assert latest_period(each) == mine.aggregate(m=Max("period"))["m"]


def _history(count: int = 3):
    from decimal import Decimal

    from indicators.models import SpcSetting, Target
    from tests.factories.series import indicators_with_history

    partnership = PartnershipFactory(fy_start_month=4)
    built = indicators_with_history(partnership, count, last=datetime.date(2016, 11, 1))
    Target.objects.create(
        indicator=built[0], financial_year=2016, kind="change_pct", value=-3, baseline_year=2014
    )
    for month in (datetime.date(2016, 6, 1), datetime.date(2016, 9, 1)):
        Target.objects.create(
            indicator=built[1],
            financial_year=2016,
            kind="cumulative",
            value=Decimal(9),
            period=month,
        )
    SpcSetting.objects.create(indicator=built[1], run_length=7)
    return partnership, built


def test_prepared_rows_take_several_values_of_each_kind():
    from indicators.models import Actual, Indicator, Target

    _, built = _history()

    def series(pk, start, end):
        return Actual.objects.filter(
            indicator_id=pk, period__gte=start, period__lte=end
        ).values_list("indicator_id", "period", "value")

    def targets(pk, year):  # a small integer column: its stand-in is within its range
        return Target.objects.filter(indicator_id=pk, financial_year=year).values_list("period")

    by_series = PreparedRows(
        series,
        Actual._meta.get_field("indicator"),
        Actual._meta.get_field("period"),
        Actual._meta.get_field("period"),
    )
    by_target = PreparedRows(
        targets, Target._meta.get_field("indicator"), Target._meta.get_field("financial_year")
    )
    spans = [
        (datetime.date(2016, 1, 1), datetime.date(2016, 3, 1)),
        (datetime.date(2015, 4, 1), datetime.date(2016, 11, 1)),
        (datetime.date(2017, 1, 1), datetime.date(2016, 1, 1)),  # none
    ]
    for indicator in built:
        for start, end in spans:
            assert by_series.rows(indicator.pk, start, end) == list(
                series(indicator.pk, start, end)
            )
        for year in (2015, 2016):
            assert by_target.rows(indicator.pk, year) == list(targets(indicator.pk, year))
    with pytest.raises(ValueError, match="value 1"):  # a value the query leaves out
        PreparedRows(
            lambda pk, code: Indicator.objects.filter(pk=pk).values_list("code"),
            Indicator._meta.pk,
            Indicator._meta.get_field("code"),
        ).rows(1, "x")


def test_prepared_instances_bring_the_related_rows_selected():
    from indicators.models import Indicator

    _, built = _history()
    lookup = PreparedRows(
        lambda pk: Indicator.objects.filter(pk=pk).select_related("theme_group", "spc_setting"),
        Indicator._meta.pk,
    )
    for indicator in built:
        [got] = lookup.instances(indicator.pk)
        expected = Indicator.objects.select_related("theme_group", "spc_setting").get(
            pk=indicator.pk
        )
        with CaptureQueriesContext(connection) as queries:
            assert _fields(got) == _fields(expected)
            assert _fields(got.theme_group) == _fields(expected.theme_group)
            has_setting = hasattr(expected, "spc_setting")
            assert hasattr(got, "spc_setting") == has_setting  # none, and no query to say so
            if has_setting:
                assert _fields(got.spc_setting) == _fields(expected.spc_setting)
        assert len(queries) == 0
    assert lookup.instances(0) == []


def test_one_indicators_figures_read_alone_are_those_read_with_the_rest():
    """After a save, one indicator's figures are read by SQL built once; they are the
    figures the partnership's query for all its indicators gives."""
    from indicators import selectors
    from indicators.figures_memo import memo_clear

    partnership, built = _history()
    period = datetime.date(2016, 11, 1)
    memo_clear()
    together = selectors.partnership_figures(partnership, period)
    assert [r.indicator for r in together] == selectors.indicators_for_figures(
        [i.pk for i in built]
    )
    for result in together:
        memo_clear()
        with CaptureQueriesContext(connection) as queries:
            [one] = selectors.indicators_for_figures([result.indicator.pk])
            [alone] = selectors.partnership_figures(partnership, period, indicators=[one])
        assert len(queries) == 3  # the indicator, its targets and its figures
        assert _fields(alone.indicator) == _fields(result.indicator)
        assert (alone.figures, alone.series, alone.target) == (
            result.figures,
            result.series,
            result.target,
        )
    assert together[1].target.kind == "cumulative" and together[0].target.kind == "change_pct"


def test_an_integer_beyond_its_column_finds_nothing(client):
    """As the ORM answers it: no row (SQLite would refuse a number that large)."""
    partnership = PartnershipFactory()
    assert PreparedGet(Partnership, "pk").get(10**30) is None
    assert PreparedGet(Partnership, "pk").get(-(10**30)) is None
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (
        f"/p/{partnership.slug}/indicators/{10**30}/",
        f"/p/{partnership.slug}/indicators/{2**63}/year/2016/",
    ):
        assert client.get(url).status_code == 404


def test_one_indicators_month_sheet_row_read_alone_is_the_one_read_with_the_rest():
    from indicators import selectors

    partnership, built = _history()
    november = datetime.date(2016, 11, 1)
    together = {row.indicator.pk: row for row in selectors.month_sheet(partnership, november)}
    for indicator in built:
        with CaptureQueriesContext(connection) as queries:
            [alone] = selectors.month_sheet(partnership, november, indicator_ids=[indicator.pk])
        assert len(queries) == 2
        row = together[indicator.pk]
        assert (alone.indicator.pk, alone.period) == (row.indicator.pk, row.period)
        assert _fields(alone.current) == _fields(row.current)
        assert _fields(alone.last_year) == _fields(row.last_year)
    other = PartnershipFactory()
    assert selectors.month_sheet(other, november, indicator_ids=[built[0].pk]) == []


def test_a_listed_indicator_read_alone_carries_its_latest_month_and_count():
    from indicators import selectors
    from tests.factories import IndicatorFactory

    partnership, built = _history()
    empty = IndicatorFactory(partnership=partnership, code="ZZ")
    shown = {i.pk: i for i in selectors.indicator_queryset(partnership)}
    for indicator in [*built, empty]:
        with CaptureQueriesContext(connection) as queries:
            [alone] = selectors.listed_indicators(partnership, [indicator.pk])
            assert alone.partnership is partnership and alone.theme_group == indicator.theme_group
        assert len(queries) == 1
        expected = shown[indicator.pk]
        assert (alone.latest, alone.figure_count) == (expected.latest, expected.figure_count)
    assert (shown[empty.pk].latest, shown[empty.pk].figure_count) == (None, 0)
    assert selectors.listed_indicators(PartnershipFactory(), [built[0].pk]) == []


def test_a_prepared_pair_reads_both_rows_in_one_query_as_the_orm_reads_them():
    from csp_portal.core.prepared import PreparedPair

    user, partnership = UserFactory(first_name="Ann"), PartnershipFactory()
    users = PreparedGet(User, "pk")
    pair = PreparedPair(users, PreparedGet(Partnership, "slug"))

    with CaptureQueriesContext(connection) as queries:
        got_user, got_partnership = pair.instances((user.pk,), (partnership.slug,))
        alone, nothing = pair.instances((user.pk,), ("no-such-partnership",))
        missing = pair.instances((user.pk + 1000,), (partnership.slug,))
    assert len(queries) == 3
    assert _fields(got_user) == _fields(alone) == _fields(User.objects.get(pk=user.pk))
    assert _fields(got_partnership) == _fields(Partnership.objects.get(pk=partnership.pk))
    assert got_partnership.data_version == partnership.data_version  # a UUID again
    assert nothing is None and missing is None  # no first row: nothing of either


def test_a_signed_in_page_of_a_partnership_reads_session_user_and_partnership_at_once(client):
    membership = MembershipFactory(role="officer")
    client.force_login(membership.user)
    url = f"/p/{membership.partnership.slug}/"
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    first = queries.captured_queries[0]["sql"]
    assert "core_session" in first and "auth_user" in first and "core_partnership" in first


def test_the_partnership_read_with_the_session_is_given_once_then_read_afresh(rf):
    from django.contrib.sessions.middleware import SessionMiddleware

    from csp_portal.core import sessions
    from csp_portal.core.permissions import Access, partnership_for

    membership = MembershipFactory(role="officer")
    partnership, user = membership.partnership, membership.user
    store = sessions.SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    seen = []

    def view(request):
        first = partnership_for(user, partnership.slug, Access.EDIT)
        Partnership.objects.filter(pk=partnership.pk).update(name="Renamed meanwhile")
        again = partnership_for(user, partnership.slug, Access.EDIT)
        seen.extend([first.name, again.name])
        return None

    request = rf.get("/")
    request.COOKIES["sessionid"] = store.session_key
    SessionMiddleware(lambda r: None).process_request(request)
    middleware = sessions.PartnershipWithSessionMiddleware(
        lambda r: middleware.process_view(r, view, (), {"slug": partnership.slug}) or view(r)
    )
    with CaptureQueriesContext(connection) as queries:
        middleware(request)

    assert seen == [partnership.name, "Renamed meanwhile"]
    assert "core_partnership" in queries.captured_queries[0]["sql"]  # with the session
    assert sessions.partnership_read_with_session(partnership.slug) is sessions.NOT_READ


def test_a_signed_out_reader_of_a_public_report_list_reads_the_partnership_alone(client):
    partnership = PartnershipFactory(reports_public=True)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/p/{partnership.slug}/reports/")

    assert response.status_code == 200
    assert len(queries) == 2  # the partnership, then its reports
    first = queries.captured_queries[0]["sql"]
    assert "core_partnership" in first
    assert "core_session" not in first and "auth_user" not in first


def test_a_members_roles_come_with_the_session_and_are_read_afresh_each_request(client):
    membership = MembershipFactory(role="officer")
    other = MembershipFactory(user=membership.user, role="panel_member")
    client.force_login(membership.user)
    url = f"/p/{membership.partnership.slug}/"
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert roles_by_partnership(response.wsgi_request.user) == {
        membership.partnership_id: "officer",
        other.partnership_id: "panel_member",
    }
    assert "core_membership" in queries.captured_queries[0]["sql"]
    assert not any(
        q["sql"].startswith('SELECT "core_membership"."partnership_id", "core_membership"."role"')
        for q in queries.captured_queries
    ), "the roles are not read a second time"

    Membership.objects.filter(pk=membership.pk).update(role="panel_member")
    again = client.get(url).wsgi_request.user
    assert roles_by_partnership(again)[membership.partnership_id] == "panel_member"


def test_a_user_with_no_membership_reads_no_roles_with_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert roles_by_partnership(client.get("/").wsgi_request.user) == {}
