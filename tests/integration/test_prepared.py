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
