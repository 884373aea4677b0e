"""The Django admin is usable by a real admin: every list, search and form loads."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import FigureChange, Target
from tests.factories import (
    ActualFactory,
    IndicatorFactory,
    MeetingFactory,
    MembershipFactory,
    PartnershipFactory,
    TargetFactory,
    ThemeGroupFactory,
)

MODELS = [
    "core_partnership",
    "core_themegroup",
    "core_organisation",
    "core_membership",
    "core_meeting",
    "indicators_indicator",
    "indicators_target",
    "indicators_actual",
    "indicators_figurechange",
    "actions_actionplan",
    "actions_objective",
    "actions_action",
    "actions_actionupdate",
    "actions_risk",
    "actions_crossthemeissue",
    "actions_recommendation",
]


@pytest.fixture
def populated(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    ActualFactory(indicator=indicator)
    TargetFactory(indicator=indicator)
    MembershipFactory(partnership=partnership_a)
    MeetingFactory(partnership=partnership_a)
    return indicator


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_and_search_load(client, admin_user, populated, model):
    client.force_login(admin_user)
    url = reverse(f"admin:{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "a"}).status_code == 200


@pytest.mark.django_db
def test_admin_partnership_form_has_inlines(client, admin_user, populated):
    client.force_login(admin_user)
    response = client.get(reverse("admin:core_partnership_change", args=[populated.partnership.pk]))
    assert response.status_code == 200
    assert b"Theme groups" in response.content
    assert b"Memberships" in response.content


def _admin_page_queries(client, url, grow, django_assert_max_num_queries) -> int:
    """The queries of an admin page, asserted not to grow when ``grow()`` adds rows."""
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_max_num_queries(len(before)):
        assert client.get(url).status_code == 200
    return len(before)


@pytest.mark.django_db
def test_admin_partnership_page_offers_its_meetings_only_its_own_theme_groups(
    client, admin_user, populated, django_assert_max_num_queries
):
    partnership = populated.partnership
    own = ThemeGroupFactory(partnership=partnership, name="Own group")
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership.pk])

    def other_partnerships_groups():
        for _ in range(5):
            ThemeGroupFactory.create_batch(3, partnership=PartnershipFactory())

    _admin_page_queries(client, url, other_partnerships_groups, django_assert_max_num_queries)
    page = client.get(url).content.decode()
    assert f'<option value="{own.pk}">' in page
    assert "Theme 1 (" not in page  # no other partnership's group


@pytest.mark.django_db
def test_admin_indicator_page_does_not_read_each_target_again(
    client, admin_user, populated, django_assert_max_num_queries
):
    client.force_login(admin_user)
    url = reverse("admin:indicators_indicator_change", args=[populated.pk])

    def more_targets():
        for year in range(2010, 2016):
            TargetFactory(indicator=populated, financial_year=year)

    _admin_page_queries(client, url, more_targets, django_assert_max_num_queries)


@pytest.mark.django_db
def test_admin_figures_are_read_only(client, admin_user, populated):
    client.force_login(admin_user)
    assert client.get(reverse("admin:indicators_actual_add")).status_code == 403


@pytest.mark.django_db
def test_admin_target_change_is_audited(client, admin_user, populated):
    client.force_login(admin_user)
    target = Target.objects.get()
    response = client.post(
        reverse("admin:indicators_target_change", args=[target.pk]),
        {
            "indicator": populated.pk,
            "financial_year": 2016,
            "kind": "annual",
            "value": "900",
            "baseline_year": "",
            "period": "",
        },
    )
    assert response.status_code == 302
    assert Target.objects.get().value == 900
    change = FigureChange.objects.get(subject="target")
    assert change.old["value"] == "1000" and change.new["value"] == "900"
    assert change.changed_by == admin_user


@pytest.mark.django_db
def test_admin_target_stays_where_it_is_and_is_not_deleted_unaudited(client, admin_user, populated):
    client.force_login(admin_user)
    target = Target.objects.get()
    url = reverse("admin:indicators_target_change", args=[target.pk])

    moved = client.post(
        url,
        {
            "indicator": populated.pk,
            "financial_year": 2017,  # read-only on a saved target: ignored
            "kind": "annual",
            "value": "900",
            "baseline_year": "",
            "period": "",
        },
    )
    deleted = client.post(
        reverse("admin:indicators_target_delete", args=[target.pk]), {"post": "yes"}
    )

    assert moved.status_code == 302
    assert list(Target.objects.values_list("financial_year", "value")) == [(2016, 900)]
    assert deleted.status_code == 403
    assert Target.objects.exists()


@pytest.mark.django_db
def test_admin_is_closed_to_officers(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


@pytest.fixture
def action_plan_rows(partnership_a, officer_a):
    from actions import services
    from tests.factories.actions import (
        ActionFactory,
        CrossThemeIssueFactory,
        RecommendationFactory,
        RiskFactory,
    )

    action = ActionFactory(objective__plan__partnership=partnership_a)
    services.action_update_add(
        action=action, status="amber", text="Begun", by=officer_a, date=datetime.date(2016, 7, 1)
    )
    RiskFactory(partnership=partnership_a)
    CrossThemeIssueFactory(partnership=partnership_a)
    RecommendationFactory(partnership=partnership_a)
    return action


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in MODELS if m.startswith("actions_")])
def test_admin_actions_lists_filter_and_change_pages_load(
    client, admin_user, action_plan_rows, model
):
    from django.apps import apps

    client.force_login(admin_user)
    url = reverse(f"admin:{model}_changelist")
    response = client.get(url, {"q": "1"})
    assert response.status_code == 200
    assert b"By " in response.content or b"Filter" in response.content  # the filters show
    row = apps.get_model(*model.split("_", 1)).objects.first()
    assert client.get(reverse(f"admin:{model}_change", args=[row.pk])).status_code == 200


@pytest.mark.django_db
def test_admin_action_history_is_read_only(client, admin_user, action_plan_rows):
    client.force_login(admin_user)
    assert client.get(reverse("admin:actions_actionupdate_add")).status_code == 403


def _populate(count: int) -> None:
    """``count`` partnerships, each with a theme group, an indicator in it, a figure, a
    target, a member, a meeting and an audited change."""
    from tests.factories import PartnershipFactory, ThemeGroupFactory

    for _ in range(count):
        partnership = PartnershipFactory()
        group = ThemeGroupFactory(partnership=partnership)
        indicator = IndicatorFactory(partnership=partnership, theme_group=group)
        ActualFactory(indicator=indicator)
        TargetFactory(indicator=indicator)
        MembershipFactory(partnership=partnership)
        MeetingFactory(partnership=partnership, theme_group=group)
        FigureChange.objects.create(indicator=indicator, subject="actual", source="form")


def _changelist_queries(client, model: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_queries_constant(client, admin_user, model):
    client.force_login(admin_user)
    _populate(2)
    few = _changelist_queries(client, model)
    _populate(10)
    assert _changelist_queries(client, model) == few


@pytest.mark.django_db
def test_admin_big_lists_have_no_date_hierarchy_or_value_scans(client, admin_user, populated):
    """Filters that list every distinct value, and date drill-downs, read the whole table."""
    from django.contrib import admin
    from django.contrib.admin.filters import AllValuesFieldListFilter
    from django.db.models import BooleanField

    from indicators.models import Actual, Indicator

    for model in (Actual, FigureChange, Target, Indicator):
        model_admin = admin.site._registry[model]
        assert model_admin.date_hierarchy is None
        assert model_admin.show_full_result_count is False
        for item in model_admin.list_filter:
            if isinstance(item, str) and "__" not in item:
                field = model._meta.get_field(item)
                assert field.choices or field.is_relation or isinstance(field, BooleanField), item
            assert item is not AllValuesFieldListFilter


@pytest.mark.django_db
def test_estimated_count_paginator_counts_small_and_filtered_lists_exactly(populated):
    from csp_portal.core.paginators import EstimatedCountPaginator

    FigureChange.objects.create(indicator=populated, subject="actual", source="form")
    assert EstimatedCountPaginator(FigureChange.objects.order_by("pk"), 10).count == 1
    filtered = FigureChange.objects.filter(source="import").order_by("pk")
    assert EstimatedCountPaginator(filtered, 10).count == 0


@pytest.mark.django_db
def test_admin_action_plans_list_reads_no_theme_group_or_partnership_a_plan(
    client, admin_user, partnership_a, django_assert_max_num_queries
):
    from tests.factories.actions import ActionPlanFactory

    def plans_with_their_own_groups():
        for _ in range(6):
            group = ThemeGroupFactory(partnership=PartnershipFactory())
            ActionPlanFactory(partnership=group.partnership, theme_group=group)

    plans_with_their_own_groups()
    client.force_login(admin_user)
    url = reverse("admin:actions_actionplan_changelist")
    _admin_page_queries(client, url, plans_with_their_own_groups, django_assert_max_num_queries)


@pytest.mark.django_db
def test_admin_refuses_to_delete_a_stream_that_pays_for_lines_in_one_query(
    client, admin_user, partnership_a, django_assert_max_num_queries
):
    from commissioning.models import FundingStream
    from tests.factories import CommissioningLineFactory, FundingStreamFactory

    stream = FundingStreamFactory(partnership=partnership_a, source="Home Office grant")
    for _ in range(12):
        CommissioningLineFactory(partnership=partnership_a, funding_stream=stream)
    unused = FundingStreamFactory(partnership=partnership_a)
    client.force_login(admin_user)
    url = reverse("admin:commissioning_fundingstream_delete", args=[stream.pk])
    with django_assert_max_num_queries(8):
        response = client.get(url, follow=True)
    page = response.content.decode()
    assert (
        "The funding stream Home Office grant pays for 12 commissioning lines: give them "
        "another stream or delete them first." in page
    )
    # Selected with one it may delete: neither is deleted.
    changelist = reverse("admin:commissioning_fundingstream_changelist")
    client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [stream.pk, unused.pk], "post": "yes"},
    )
    assert FundingStream.objects.filter(pk__in=[stream.pk, unused.pk]).count() == 2
    # One that pays for nothing gets Django's confirmation page.
    url = reverse("admin:commissioning_fundingstream_delete", args=[unused.pk])
    assert "Are you sure" in client.get(url).content.decode()


@pytest.mark.django_db
def test_admin_refuses_to_delete_an_organisation_members_name_in_one_query(
    client, admin_user, partnership_a, django_assert_max_num_queries
):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Devon and Cornwall Police")
    for _ in range(7):
        MembershipFactory(partnership=PartnershipFactory(), organisation=organisation)
    client.force_login(admin_user)
    url = reverse("admin:core_organisation_delete", args=[organisation.pk])
    with django_assert_max_num_queries(8):
        page = client.get(url, follow=True).content.decode()
    assert "7 memberships of partnerships name Devon and Cornwall Police as the" in page
    assert organisation.memberships.count() == 7
