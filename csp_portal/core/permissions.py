"""Who may do what. Every view asks this module; nothing else decides access.

- Administrators (active superusers: `is_site_admin`) may do everything, in every
  partnership. "Staff status" alone lets someone into Django's admin, to do there what
  their admin permissions allow; on the site they have only their memberships.
- Editors (chair, vice chair, coordinator, officer) of a partnership read its live,
  unpublished figures and write its data.
- Panel members of a partnership read its published material only.
- In Django's admin, a staff user lists, opens and changes only the rows of the
  partnerships they edit (every one to an administrator), and its boxes offer only
  those partnerships' rows (the boxes that look up an action's lead or a recommendation's
  meeting, on a row's page, only that row's partnership's). Of the users, it shows them
  themselves and their partnerships' members, never an administrator, and lets them change
  only themselves and members of no other partnership who are not staff: a password set
  there would let them sign in as that person (`users_administered`, `user_changeable_by`).
- Anyone else gets nothing of that partnership: views answer 404, so the
  existence of another partnership's drafts is not revealed.
"""

from enum import Enum

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    Aggregate,
    CharField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.http import Http404

from .models import Membership, Partnership
from .prepared import PreparedGet, PreparedRows
from .sessions import NOT_READ, partnership_read_with_session

# Nearly every request reads its partnership by slug and the user's roles: the SQL of
# each is built once. A signed-in reader's partnership usually comes with the session
# (csp_portal/core/sessions.py).
partnership_by_slug = PreparedGet(Partnership, "slug")
_roles_of_user = PreparedRows(
    # No default ordering: it would join the partnership, organisation and user to sort.
    lambda user_id: (
        Membership.objects.filter(user_id=user_id).order_by().values_list("partnership_id", "role")
    ),
    Membership._meta.get_field("user"),
)


class Access(Enum):
    PUBLISHED = "published"  # read published reports
    LIVE = "live"  # read live figures, drafts, plans
    EDIT = "edit"  # enter and change data


def roles_by_partnership(user: User | AnonymousUser) -> dict[int, str]:
    """The user's role in each partnership, cached on the user for the request (read with
    the session, usually: `roles_subquery`)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_csp_roles", None)
    if cached is None:
        cached = dict(_roles_of_user.rows(user.pk))
        user._csp_roles = cached
    return cached


class _Joined(Aggregate):
    """Texts joined with commas, on SQLite and PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "%(function)s(%(expressions)s, ',')"
        return self.as_sql(compiler, connection, function="STRING_AGG", template=template)


def roles_subquery() -> Subquery:
    """The roles of the user whose id is in the outer query's ``user_id`` column, as one
    text ("12:officer,15:panel_member"): read with the session, so that a request needs
    no query of its own for them (`remember_roles`)."""
    pair = Concat(Cast("partnership_id", CharField()), Value(":"), "role")
    return Subquery(
        Membership.objects.filter(user_id=OuterRef("user_id"))
        .order_by()
        .values("user_id")
        .annotate(roles=_Joined(pair))
        .values("roles")
    )


def remember_roles(user: User, roles: str | None) -> None:
    """Keep for this request the roles ``roles_subquery`` read with the user."""
    pairs = (pair.partition(":") for pair in (roles or "").split(",") if pair)
    user._csp_roles = {int(partnership): role for partnership, _, role in pairs}


def is_site_admin(user: User | AnonymousUser) -> bool:
    """Whether the user administers the site: every partnership, every import."""
    return user.is_authenticated and user.is_active and user.is_superuser


def has_access(user: User | AnonymousUser, partnership: Partnership, access: Access) -> bool:
    """Whether the user has this access to this partnership."""
    return has_access_to(user, partnership.pk, access)


def has_access_to(user: User | AnonymousUser, partnership_id: int, access: Access) -> bool:
    """Whether the user has this access to the partnership with this id."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_site_admin(user):
        return True
    role = roles_by_partnership(user).get(partnership_id)
    if role is None:
        return False
    if access is Access.PUBLISHED:
        return True
    return role in Membership.EDITOR_ROLES


def visible_partnerships(user: User | AnonymousUser) -> QuerySet[Partnership]:
    """Partnerships the user may open at all (published material at least)."""
    if not user.is_authenticated or not user.is_active:
        return Partnership.objects.none()
    if is_site_admin(user):
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=roles_by_partnership(user).keys())


def administered_partnership_ids(user: User | AnonymousUser) -> set[int] | None:
    """The ids of the partnerships whose rows the admin lists, opens and offers in its
    boxes (an action's lead, a recommendation's meeting) to the user: None, meaning every
    one, for an administrator; else those the user may write to (Access.EDIT). Staff
    status alone grants none: the admin must not name another partnership's people."""
    if is_site_admin(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return set()
    return {
        partnership_id
        for partnership_id, role in roles_by_partnership(user).items()
        if role in Membership.EDITOR_ROLES
    }


def users_administered(users: QuerySet[User], user: User | AnonymousUser) -> QuerySet[User]:
    """These users, less those the admin does not show this user: an administrator sees
    every one; anyone else sees themselves and the members of the partnerships they
    administer (`administered_partnership_ids`), and never an administrator."""
    allowed = administered_partnership_ids(user)
    if allowed is None:
        return users
    members = Membership.objects.filter(partnership__in=allowed).values("user")
    return users.filter(Q(pk=user.pk) | Q(pk__in=members)).exclude(is_superuser=True)


def user_changeable_by(person: User, user: User | AnonymousUser) -> bool:
    """Whether the admin lets this user change, delete or set the password of this person
    (one `users_administered` shows them): an administrator anyone; anyone else themselves,
    or someone who is not staff and a member of no partnership but those they administer.
    A password set for a member of another partnership, or for another staff user, would
    let them sign in as that person, to that partnership or with those permissions."""
    allowed = administered_partnership_ids(user)
    if allowed is None or person.pk == user.pk:
        return True
    if person.is_superuser or person.is_staff:
        return False
    memberships = Membership.objects.filter(user=person).order_by()  # no join to sort
    theirs = set(memberships.values_list("partnership", flat=True))
    return bool(theirs) and theirs <= allowed


def _partnership(slug: str) -> Partnership | None:
    found = partnership_read_with_session(slug)
    return partnership_by_slug.get(slug) if found is NOT_READ else found


def partnership_for(user: User | AnonymousUser, slug: str, access: Access) -> Partnership:
    """The partnership with this slug if the user has the access, else Http404."""
    partnership = _partnership(slug)
    if partnership is None or not has_access(user, partnership, access):
        raise Http404("No partnership found")
    return partnership


def reports_partnership_for(user: User | AnonymousUser, slug: str) -> Partnership:
    """The partnership whose published reports the user may read, else Http404.

    Its members may; so may anyone, signed in or not, when the partnership has made its
    published reports public. Drafts are a matter for Access.LIVE, never for this.
    """
    partnership = _partnership(slug)
    if partnership is None:
        raise Http404("No partnership found")
    if partnership.reports_public or has_access(user, partnership, Access.PUBLISHED):
        return partnership
    raise Http404("No partnership found")
