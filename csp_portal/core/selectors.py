"""Reads for the partnership core, each in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet

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
