"""Reads for the partnership core, each in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from . import permissions
from .models import Meeting, Membership, Partnership, ThemeGroup


@dataclass(frozen=True)
class PartnershipOverview:
    partnership: Partnership
    theme_groups: list[ThemeGroup]
    members_by_organisation: list[tuple[str, list[Membership]]]
    upcoming_meetings: list[Meeting]
    past_meetings: list[Meeting]


def partnership_list_for(user: User) -> QuerySet[Partnership]:
    """The partnerships a user may open, with member counts, by name."""
    return (
        permissions.visible_partnerships(user)
        .annotate(
            member_count=Count("memberships", distinct=True),
            theme_group_count=Count("theme_groups", distinct=True),
        )
        .order_by("name")
    )


HOME_PAGE_SIZE = 25
HOME_SEARCH_FROM = 10  # offer a search box to people who can open more partnerships than this


@dataclass(frozen=True)
class PartnershipPage:
    page: Page  # of (partnership, the user's role in it) pairs
    page_numbers: list  # page numbers with Paginator.ELLIPSIS where some are left out
    search: str
    show_search: bool


def partnership_page_for(
    user: User, *, search: str = "", page_number: str | int | None = 1
) -> PartnershipPage:
    """One page of the partnerships a user may open, those matching `search` (name or
    area) only, each with the user's role; three queries however many there are."""
    partnerships = partnership_list_for(user)
    if search:
        partnerships = partnerships.filter(Q(name__icontains=search) | Q(area__icontains=search))
    paginator = Paginator(partnerships, HOME_PAGE_SIZE)
    page = paginator.get_page(page_number)
    roles = permissions.roles_by_partnership(user)
    labels = dict(Membership.Role.choices)
    page.object_list = [(p, labels.get(roles.get(p.pk), "Administrator")) for p in page]
    numbers = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return PartnershipPage(
        page=page,
        page_numbers=numbers,
        search=search,
        show_search=bool(search) or paginator.count > HOME_SEARCH_FROM,
    )


def partnership_overview(partnership: Partnership, *, today: datetime.date) -> PartnershipOverview:
    """Theme groups, members grouped by organisation and meetings either side of today."""
    memberships = (
        Membership.objects.filter(partnership=partnership)
        .select_related("user", "organisation")
        .order_by("organisation__name", "role", "user__last_name", "user__first_name")
    )
    grouped: dict[str, list[Membership]] = defaultdict(list)
    for membership in memberships:
        grouped[membership.organisation.name].append(membership)
    meetings = list(
        Meeting.objects.filter(partnership=partnership)
        .select_related("theme_group")
        .order_by("date")
    )
    return PartnershipOverview(
        partnership=partnership,
        theme_groups=list(partnership.theme_groups.order_by("name")),
        members_by_organisation=sorted(grouped.items()),
        upcoming_meetings=[m for m in meetings if m.date >= today],
        past_meetings=[m for m in reversed(meetings) if m.date < today][:5],
    )
