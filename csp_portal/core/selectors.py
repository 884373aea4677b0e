"""Reads for the partnership core, each in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, Q, QuerySet
from django.db.models.fields.reverse_related import ForeignObjectRel

from . import permissions
from .models import Meeting, Membership, Partnership, ThemeGroup


@dataclass(frozen=True)
class PartnershipOverview:
    partnership: Partnership
    theme_groups: list[ThemeGroup]
    members_by_organisation: list[tuple[str, list[Membership]]]  # active accounts only
    inactive_members: list[Membership]  # whose accounts an administrator deactivated
    upcoming_meetings: list[Meeting]
    past_meetings: list[Meeting]


def partnership_list_for(user: User) -> QuerySet[Partnership]:
    """The partnerships a user may open, with member counts (of active accounts), by name."""
    return (
        permissions.visible_partnerships(user)
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__user__is_active=True), distinct=True
            ),
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
    """Theme groups, members grouped by organisation (those whose accounts are inactive
    apart) and meetings either side of today."""
    memberships = (
        Membership.objects.filter(partnership=partnership)
        .select_related("user", "organisation")
        .order_by("organisation__name", "role", "user__last_name", "user__first_name")
    )
    grouped: dict[str, list[Membership]] = defaultdict(list)
    inactive = []
    for membership in memberships:
        if membership.user.is_active:
            grouped[membership.organisation.name].append(membership)
        else:
            inactive.append(membership)
    meetings = list(
        Meeting.objects.filter(partnership=partnership)
        .select_related("theme_group")
        .order_by("date")
    )
    return PartnershipOverview(
        partnership=partnership,
        theme_groups=list(partnership.theme_groups.order_by("name")),
        members_by_organisation=sorted(grouped.items()),
        inactive_members=inactive,
        upcoming_meetings=[m for m in meetings if m.date >= today],
        past_meetings=[m for m in reversed(meetings) if m.date < today][:5],
    )


def _relations_to(
    model: type[Model], first: list
) -> list[tuple[tuple[str, str], ForeignObjectRel]]:
    """Every foreign key and many-to-many field of any model that points at this one (those
    hidden by ``related_name="+"`` too, not the tables Django makes for a many-to-many
    field), each keyed by (model label, field name): the keys in ``first`` in their
    order, then the rest."""
    keyed = [
        ((field.related_model._meta.label_lower, field.field.name), field)
        for field in model._meta.get_fields(include_hidden=True)
        if isinstance(field, ForeignObjectRel) and not field.related_model._meta.auto_created
    ]
    return sorted(keyed, key=lambda item: first.index(item[0]) if item[0] in first else len(first))


# Where the site's records name a user (who entered, changed, published or imported what),
# as a refusal to delete them says it; any other relation is named by its model.
USER_RECORDS = {
    ("admin.logentry", "user"): "the admin's history",
    ("indicators.actual", "entered_by"): "figures",
    ("indicators.figurechange", "changed_by"): "the history of figures",
    ("actions.actionupdate", "by"): "action updates",
    ("actions.actionschange", "changed_by"): "the history of action plans",
    ("commissioning.progressupdate", "entered_by"): "commissioning progress updates",
    ("commissioning.commissioningchange", "changed_by"): "the history of commissioning",
    ("reports.report", "created_by"): "reports",
    ("reports.reportversion", "published_by"): "published reports",
    ("opendata.policeimport", "imported_by"): "police.uk imports",
}
# What is the user's own and goes with them: no record of anything they did.
USER_OWN = {("core.membership", "user"), ("core.session", "user")}


def users_on_record(user_ids: list[int]) -> dict[int, list[str]]:
    """User id -> where the site's records name them (``USER_RECORDS``), for those named
    anywhere: deleting them would leave those records naming no one, and take their
    entries out of the admin's history. One query a kind of record."""
    named: dict[int, list[str]] = defaultdict(list)
    for key, relation in _relations_to(User, list(USER_RECORDS)):
        if key in USER_OWN:
            continue
        records = relation.related_model._default_manager.filter(
            **{f"{relation.field.name}__in": user_ids}
        )
        words = USER_RECORDS.get(key, relation.related_model._meta.verbose_name_plural)
        for user_id in set(records.values_list(relation.field.name, flat=True).distinct()):
            named[user_id].append(words)
    return dict(named)


# What may belong to a theme group or name it, as a refusal to delete it counts them (one,
# many); any other relation is named by its model.
THEME_GROUP_USES = {
    ("indicators.indicator", "theme_group"): ("indicator", "indicators"),
    ("commissioning.commissioningline", "theme_group"): (
        "commissioning line",
        "commissioning lines",
    ),
    ("actions.actionplan", "theme_group"): ("action plan", "action plans"),
    ("actions.risk", "theme_group"): ("risk", "risks"),
    ("actions.crossthemeissue", "raised_by"): (
        "cross-theme issue it raised",
        "cross-theme issues it raised",
    ),
    ("actions.crossthemeissue", "affects"): (
        "cross-theme issue affecting it",
        "cross-theme issues affecting it",
    ),
    ("core.meeting", "theme_group"): ("meeting", "meetings"),
    ("reports.report", "theme_group"): ("report", "reports"),
}


def theme_groups_in_use(group_ids: list[int]) -> dict[int, list[str]]:
    """Theme group id -> what still belongs to it or names it ("3 indicators"), for those
    with anything: deleting one would leave its indicators, lines and the rest in no
    group, and an issue affecting only it affecting every group. One query a kind."""
    named = rows_naming(ThemeGroup, group_ids, THEME_GROUP_USES)
    return {group_id: list(uses.values()) for group_id, uses in named.items()}


# What keeps a partnership from being deleted, as a refusal counts it (one, many): its
# figures, targets and the histories of its changes, which the admin deletes for no one
# (their own pages refuse to), by the path from each to the partnership.
PARTNERSHIP_KEPT = {
    ("indicators.actual", "indicator__partnership"): ("figure", "figures"),
    ("indicators.target", "indicator__partnership"): ("target", "targets"),
    ("indicators.figurechange", "indicator__partnership"): (
        "change in the history of its figures",
        "changes in the history of its figures",
    ),
    ("actions.actionschange", "partnership"): (
        "change in the history of its action plans",
        "changes in the history of its action plans",
    ),
    ("commissioning.commissioningchange", "partnership"): (
        "change in the history of its commissioning",
        "changes in the history of its commissioning",
    ),
}


def partnerships_kept(partnership_ids: list[int]) -> dict[int, list[str]]:
    """Partnership id -> what it holds that is never deleted ("24 figures"), for those
    with anything. One query a kind."""
    kept: dict[int, list[str]] = defaultdict(list)
    for (label, path), (one, many) in PARTNERSHIP_KEPT.items():
        model = apps.get_model(label)
        counts = (
            model._default_manager.filter(**{f"{path}__in": partnership_ids})
            .values_list(path)
            .annotate(count=Count("pk"))
            .order_by()
        )
        for partnership_id, count in counts:
            kept[partnership_id].append(f"{count:,} {one if count == 1 else many}")
    return dict(kept)


def rows_naming(
    model: type[Model],
    ids: list,
    words: dict[tuple[str, str], tuple[str, str]],
    *,
    own: frozenset[tuple[str, str]] = frozenset(),
) -> dict[Any, dict[tuple[str, str], str]]:
    """Id -> the rows of other models that name that row of ``model``, by relation (model
    label, field name), counted in words ("3 indicators": ``words`` gives one and many; any
    other relation is named by its model), for the rows any names. Relations in ``own``
    (rows that go with it) are not counted. One query a kind of row."""
    uses: dict = defaultdict(dict)
    for key, relation in _relations_to(model, list(words)):
        if key in own:
            continue
        meta, name = relation.related_model._meta, relation.field.name
        one, many = words.get(key, (meta.verbose_name, meta.verbose_name_plural))
        counts = (
            relation.related_model._default_manager.filter(**{f"{name}__in": ids})
            .values_list(name)
            .annotate(count=Count("pk", distinct=True))
            .order_by()
        )
        for row_id, count in counts:
            uses[row_id][key] = f"{count:,} {one if count == 1 else many}"
    return dict(uses)
