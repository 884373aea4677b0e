"""The commissioning admin pages read a fixed number of queries however many theme groups,
streams and lines other partnerships have, and name each stream and line's partnership."""

import pytest
from django.urls import reverse

from commissioning.models import CommissioningLine
from csp_portal.core.models import ThemeGroup
from tests.factories import (
    CommissioningLineFactory,
    PartnershipFactory,
    ProgressUpdateFactory,
    ThemeGroupFactory,
)
from tests.integration.test_admin import _admin_page_queries


def _other_partnerships():
    for _ in range(4):
        other = PartnershipFactory()
        ThemeGroupFactory.create_batch(3, partnership=other)
        CommissioningLineFactory(partnership=other, reference="L0")


@pytest.fixture
def line(partnership_a):
    ThemeGroupFactory(partnership=partnership_a, name="Own group")
    return CommissioningLineFactory(partnership=partnership_a, reference="L0")


PAGES = {
    "lines": lambda line: reverse("admin:commissioning_commissioningline_changelist"),
    "lines of a partnership": lambda line: (
        reverse("admin:commissioning_commissioningline_changelist")
        + f"?partnership__id__exact={line.partnership_id}"
    ),
    "line": lambda line: reverse("admin:commissioning_commissioningline_change", args=[line.pk]),
    "new line": lambda line: reverse("admin:commissioning_commissioningline_add"),
    "update": lambda line: reverse(
        "admin:commissioning_progressupdate_change", args=[ProgressUpdateFactory(line=line).pk]
    ),
    "new update": lambda line: reverse("admin:commissioning_progressupdate_add"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_admin_commissioning_page_queries_do_not_grow_with_other_partnerships(
    client, admin_user, line, page, django_assert_max_num_queries
):
    client.force_login(admin_user)
    url = PAGES[page](line)
    _admin_page_queries(client, url, _other_partnerships, django_assert_max_num_queries)


@pytest.mark.django_db
def test_admin_line_page_offers_its_partnerships_groups_and_streams_named(client, admin_user, line):
    _other_partnerships()
    client.force_login(admin_user)
    url = reverse("admin:commissioning_commissioningline_change", args=[line.pk])
    page = client.get(url).content.decode()
    assert "Own group (Partnership A)" in page
    assert page.count("(Partnership A)</option>") == 2  # its group and its stream
    assert f"{line.funding_stream} (Partnership A)</option>" in page


@pytest.mark.django_db
def test_admin_update_page_offers_its_partnerships_lines_named(client, admin_user, line):
    _other_partnerships()
    client.force_login(admin_user)
    update = ProgressUpdateFactory(line=line)
    url = reverse("admin:commissioning_progressupdate_change", args=[update.pk])
    page = client.get(url).content.decode()
    assert page.count("L0 2017/18 (") == 1 and "L0 2017/18 (Partnership A)" in page


@pytest.mark.django_db
def test_admin_new_line_and_update_name_every_partnership(client, admin_user, line):
    _other_partnerships()
    client.force_login(admin_user)
    streams = client.get(reverse("admin:commissioning_commissioningline_add")).content.decode()
    lines = client.get(reverse("admin:commissioning_progressupdate_add")).content.decode()
    for other in CommissioningLine.objects.select_related("partnership", "funding_stream"):
        assert f"{other.funding_stream} ({other.partnership})</option>" in streams
        assert f"L0 2017/18 ({other.partnership})</option>" in lines


@pytest.mark.django_db
def test_admin_lines_filter_by_theme_group_of_the_chosen_partnership(client, admin_user, line):
    _other_partnerships()
    client.force_login(admin_user)
    url = reverse("admin:commissioning_commissioningline_changelist")
    assert "Own group" not in client.get(url).content.decode()  # choose a partnership first
    page = client.get(url, {"partnership__id__exact": line.partnership_id}).content.decode()
    others = ThemeGroup.objects.exclude(partnership=line.partnership).select_related("partnership")
    assert ">Own group<" in page
    assert not [g for g in others if f">{g.name}<" in page or f">{g}<" in page]


@pytest.mark.django_db
def test_admin_line_saves_with_its_partnerships_group(client, admin_user, line):
    group = ThemeGroup.objects.get(name="Own group")
    client.force_login(admin_user)
    url = reverse("admin:commissioning_commissioningline_change", args=[line.pk])
    response = client.post(
        url,
        {
            "partnership": line.partnership_id,
            "financial_year": line.financial_year,
            "reference": line.reference,
            "area_of_need": line.area_of_need,
            "theme_group": group.pk,
            "funding_stream": line.funding_stream_id,
            "contribution_status": line.contribution_status,
            "contribution": "10000.00",
            "status": line.status,
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.theme_group == group
