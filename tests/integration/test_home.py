"""My partnerships: search and pages, so an admin of 300 partnerships gets one page at a time."""

import re

import pytest
from django.urls import reverse

from csp_portal.core.selectors import HOME_PAGE_SIZE
from tests.factories import MembershipFactory, PartnershipFactory


def names(response) -> list[str]:
    return re.findall(
        r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>',
        response.content.decode(),
    )


@pytest.fixture
def many(db):
    return [
        PartnershipFactory(name=f"Safer Town {n:03}", slug=f"town-{n:03}", area=f"County {n % 7}")
        for n in range(60)
    ]


@pytest.mark.django_db
def test_home_for_admin_shows_one_page_with_pagination(client, admin_user, many):
    client.force_login(admin_user)
    response = client.get(reverse("core:home"))
    assert names(response) == [p.name for p in many[:HOME_PAGE_SIZE]]
    assert b"Showing 1 to 25 of 60 partnerships." in response.content
    assert b'class="govuk-pagination"' in response.content
    assert b'href="?page=2" rel="next"' in response.content


@pytest.mark.django_db
def test_home_last_page_and_bad_page_numbers(client, admin_user, many):
    client.force_login(admin_user)
    assert names(client.get(reverse("core:home"), {"page": 3})) == [p.name for p in many[50:]]
    assert names(client.get(reverse("core:home"), {"page": 999})) == [p.name for p in many[50:]]
    assert names(client.get(reverse("core:home"), {"page": "x"}))[0] == many[0].name


@pytest.mark.django_db
def test_home_search_matches_name_or_area_and_keeps_query_in_page_links(client, admin_user, many):
    client.force_login(admin_user)
    response = client.get(reverse("core:home"), {"q": "town 01"})
    assert names(response) == [f"Safer Town {n:03}" for n in range(10, 20)]
    assert "10 partnerships match “town 01”".encode() in response.content
    by_area = client.get(reverse("core:home"), {"q": "county 3"})
    assert names(by_area) == [p.name for p in many if p.area == "County 3"]
    wide = client.get(reverse("core:home"), {"q": "safer"})
    assert b'href="?q=safer&amp;page=2"' in wide.content


@pytest.mark.django_db
def test_home_search_with_no_match_says_so(client, admin_user, many):
    client.force_login(admin_user)
    response = client.get(reverse("core:home"), {"q": "Nowhere"})
    assert names(response) == []
    assert "0 partnerships match “Nowhere”".encode() in response.content
    assert b"You are not a member" not in response.content


@pytest.mark.django_db
def test_home_search_too_long_shows_error_summary(client, admin_user, many):
    client.force_login(admin_user)
    response = client.get(reverse("core:home"), {"q": "x" * 101})
    assert b"govuk-error-summary" in response.content
    assert len(names(response)) == HOME_PAGE_SIZE


@pytest.mark.django_db
def test_home_search_never_reveals_other_partnerships(client, officer_a, many):
    client.force_login(officer_a)
    response = client.get(reverse("core:home"), {"q": "Safer"})
    assert names(response) == []
    plain = client.get(reverse("core:home"))
    assert names(plain) == ["Partnership A"]
    assert b"Search partnerships" not in plain.content  # one partnership: nothing to search


@pytest.mark.django_db
@pytest.mark.parametrize("count", [60, 150])
def test_home_query_count_does_not_grow_with_partnerships(
    client, admin_user, officer_a, django_assert_max_num_queries, count
):
    for n in range(count):
        partnership = PartnershipFactory(name=f"P {n:03}", slug=f"p-{n:03}")
        MembershipFactory(partnership=partnership, user=officer_a, role="officer")
    for user in (admin_user, officer_a):
        client.force_login(user)
        with django_assert_max_num_queries(6):
            response = client.get(reverse("core:home"), {"page": 2})
        assert len(names(response)) == HOME_PAGE_SIZE


@pytest.fixture
def gone(partnership_a):
    """A member of A whose account an administrator deactivated."""
    from tests.factories import UserFactory

    user = UserFactory(username="gone", first_name="Gwen", last_name="Gone", is_active=False)
    return MembershipFactory(user=user, partnership=partnership_a, role="officer")


@pytest.mark.django_db
def test_home_counts_only_active_members(client, officer_a, gone):
    client.force_login(officer_a)
    response = client.get(reverse("core:home"))
    assert response.context["listing"].page.object_list[0][0].member_count == 1


@pytest.mark.django_db
def test_partnership_page_leaves_inactive_accounts_out_of_members(client, panel_a, gone):
    client.force_login(panel_a)
    page = client.get(reverse("core:partnership", args=["partnership-a"])).content.decode()
    assert "Gwen Gone" not in page


@pytest.mark.django_db
def test_partnership_page_tells_editors_of_inactive_accounts(client, officer_a, gone):
    client.force_login(officer_a)
    response = client.get(reverse("core:partnership", args=["partnership-a"]))
    members = [m for _, ms in response.context["overview"].members_by_organisation for m in ms]
    assert gone not in members
    page = response.content.decode()
    assert "Inactive accounts" in page
    assert "Gwen Gone" in page
