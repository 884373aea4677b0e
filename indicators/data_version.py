"""A partnership's data version: a token that changes whenever its figures' inputs change.

Cached fragments of the figure pages are keyed by (partnership, data version, ...), so a
change shows on the next request of every page, in every worker, without anyone
deleting a cache entry. The token changes in the same transaction as the change:

- saves and deletes of actuals, targets, indicators, SPC settings and theme groups, by
  any path that sends Django's model signals (the figure services, forms, the admin, the
  audited import of targets, the police.uk import through the figure service), here;
- a partnership's own save (`Partnership.save`), and of those following it, here;
- a person's save (their name shows beside the figures they entered): every partnership;
- writes that send no signals (COPY, ``bulk_create``, ``bulk_update``, ``update()``)
  call `data_changed` themselves, as `indicators/importing/applying.py` does.

A write path added later that bypasses the signals must call `data_changed` too, with the
ids of the indicators whose actuals, targets or SPC settings it wrote: those indicators get
a new figures version (`Indicator.figures_version`), the key of the figures kept between
requests (indicators/figures_memo.py). Such a write of figures alone leaves the
partnership's context version (`Partnership.context_version`) as it was; every other change
gives it a new one too. What is made from a partnership's data but not from its figures
(the most similar group's rankings) is kept under the context version.

The other apps' data that a draft report shows (action plans, commissioning, police data,
published versions) change the version too: each app lists its models with `watch` (and
its many-to-many tables with `watch_m2m`) in its AppConfig.ready, and data shared by every
partnership (the Home Office tables) calls `changed_everywhere`.
"""

import contextlib
import contextvars
import uuid
from collections.abc import Callable, Iterable

from django.contrib.auth.models import User
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from csp_portal.core.models import Partnership, ThemeGroup

from .models import Actual, Indicator, SpcSetting, Target

# Inside `batched`: the (partnership ids, indicator ids) changed so far, bumped once at the end.
_pending: contextvars.ContextVar[tuple[set, set] | None] = contextvars.ContextVar(
    "data_version_pending", default=None
)


# Finders of the partnerships whose pages show other partnerships' data too, given the
# ids of those changed (reports: the partnerships that filed a published overview of
# them). Registered by the apps that know (`followed_by`); asked on each change, which
# keeps the pages' reads to their own partnership's version.
_followers: list[Callable[[set[int]], Iterable[int]]] = []


def followed_by(find: Callable[[set[int]], Iterable[int]]) -> None:
    """Register a finder of partnerships whose data version changes with others'."""
    if find not in _followers:
        _followers.append(find)


def data_changed(*, partnership_ids: Iterable[int] = (), indicator_ids: Iterable[int] = ()) -> None:
    """Give these partnerships (and those of these indicators) a new data version, and
    these indicators a new figures version.

    A write of actuals, targets or SPC settings names its indicators: their partnerships'
    ids alone leave the indicators' figures version, and so their kept figures, as they were.
    """
    partnership_ids, indicator_ids = set(partnership_ids), set(indicator_ids)
    pending = _pending.get()
    if pending is not None:
        pending[0].update(partnership_ids)
        pending[1].update(indicator_ids)
        return
    if not partnership_ids and not indicator_ids:
        return
    owners: set[int] = set()
    if indicator_ids:
        # Their figures kept between requests are keyed by this (indicators/figures_memo.py).
        Indicator.objects.filter(pk__in=indicator_ids).update(figures_version=uuid.uuid4())
        # Only figures changed in these partnerships: their context version stays.
        owners = set(
            Indicator.objects.filter(pk__in=indicator_ids).values_list("partnership", flat=True)
        )
        owners -= partnership_ids
        Partnership.objects.filter(pk__in=owners).update(data_version=uuid.uuid4())
    if partnership_ids:
        Partnership.objects.filter(pk__in=partnership_ids).update(
            data_version=uuid.uuid4(), context_version=uuid.uuid4()
        )
    _followers_changed(partnership_ids | owners)


def _followers_changed(changed: set[int]) -> None:
    """New data versions for the partnerships whose pages show these ones' data too."""
    following = {pk for find in _followers for pk in find(changed)} - changed
    if following:
        Partnership.objects.filter(pk__in=following).update(data_version=uuid.uuid4())


@contextlib.contextmanager
def batched():
    """Bump each changed partnership once, at the end, instead of once a row.

    Use inside the write's ``transaction.atomic`` (as its innermost wrapper): when an
    error leaves this block it leaves the atomic block too, whose writes roll back, so
    nothing is bumped then.
    """
    if _pending.get() is not None:  # already in a batch: the outer one bumps
        yield
        return
    pending: tuple[set, set] = (set(), set())
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    # Not reached on an error, whose atomic block rolls the writes back.
    data_changed(partnership_ids=pending[0], indicator_ids=pending[1])


def _cascaded(sender, origin) -> bool:
    """Deleted because something above it was: that deletion bumps the version."""
    model = getattr(origin, "model", type(origin))
    return origin is not None and model is not sender


def _by_indicator(sender, instance, origin=None, **kwargs) -> None:
    if kwargs.get("raw") or (origin is not None and _cascaded(sender, origin)):
        return
    data_changed(indicator_ids=[instance.indicator_id])


def _by_partnership(sender, instance, origin=None, **kwargs) -> None:
    if kwargs.get("raw") or (origin is not None and _cascaded(sender, origin)):
        return
    ids = {instance.partnership_id, getattr(instance, "_partnership_before", None)}
    data_changed(partnership_ids=ids - {None})


def _partnership_saved(sender, instance, created, **kwargs) -> None:
    """A partnership's save gives it new versions itself (`Partnership.save`); the
    partnerships that follow it (an overview of it, whose readers its choices decide)
    get new ones here."""
    if created or kwargs.get("raw"):
        return
    pending = _pending.get()
    if pending is not None:
        pending[0].add(instance.pk)
        return
    _followers_changed({instance.pk})


def _remember_partnership(sender, instance, **kwargs) -> None:
    """An indicator moved to another partnership changes the old one's figures too."""
    if instance.pk and not kwargs.get("raw"):
        instance._partnership_before = (
            Indicator.objects.filter(pk=instance.pk).values_list("partnership", flat=True).first()
        )


def _user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """Pages name who entered and changed figures: a renamed person changes them all."""
    if created or kwargs.get("raw"):
        return
    if update_fields is not None and not set(update_fields) & NAME_FIELDS:
        return  # a sign-in's last_login, say
    _person_changed(instance)


def _user_deleted(sender, instance, **kwargs) -> None:
    """A deleted person's name leaves the figures they entered (before it does)."""
    _person_changed(instance)


def _person_changed(person: User) -> None:
    # The indicator page names who entered each figure and is kept under the figures
    # version: those of the figures this person entered change too. Indicators before
    # partnerships, the order a figure's save locks them in (`data_changed`): the other
    # order deadlocks with a month sheet saved at the same moment.
    entered = Actual.objects.filter(entered_by=person).values("indicator")
    Indicator.objects.filter(pk__in=entered).update(figures_version=uuid.uuid4())
    _new_versions_everywhere()


NAME_FIELDS = {"username", "first_name", "last_name"}


def connect() -> None:
    post_save.connect(_user_saved, sender=User, dispatch_uid="data_version_user")
    pre_delete.connect(_user_deleted, sender=User, dispatch_uid="data_version_user_deleted")
    for model in (Actual, Target, SpcSetting):
        post_save.connect(_by_indicator, sender=model, dispatch_uid=f"data_version_{model}")
        post_delete.connect(_by_indicator, sender=model, dispatch_uid=f"data_version_d_{model}")
    for model in (Indicator, ThemeGroup):
        post_save.connect(_by_partnership, sender=model, dispatch_uid=f"data_version_{model}")
        post_delete.connect(_by_partnership, sender=model, dispatch_uid=f"data_version_d_{model}")
    post_save.connect(_partnership_saved, sender=Partnership, dispatch_uid="data_version_p")
    pre_save.connect(_remember_partnership, sender=Indicator, dispatch_uid="data_version_move")


def changed_everywhere() -> None:
    """Every partnership's pages change: data they all share (the Home Office tables)."""
    _new_versions_everywhere()


def _new_versions_everywhere() -> None:
    """New versions for every partnership, each its own (one UUID for all would make every
    partnership's version the same, and a cache key without its partnership would then
    serve one's page for another's). One statement, in the order of their keys."""
    partnerships = list(Partnership.objects.order_by("pk").only("pk"))
    for partnership in partnerships:
        partnership.data_version, partnership.context_version = uuid.uuid4(), uuid.uuid4()
    Partnership.objects.bulk_update(
        partnerships, ["data_version", "context_version"], batch_size=500
    )


# Where a watched row belongs: its own partnership, or its parent's, walked up these links.
PARENT_LINKS = ("plan", "action", "line", "update", "indicator", "report")


def partnership_of(instance) -> int | None:
    """The partnership a row belongs to (through its parents), or None."""
    for _ in range(4):
        if getattr(instance, "partnership_id", None) is not None:
            return instance.partnership_id
        link = next((name for name in PARENT_LINKS if hasattr(instance, f"{name}_id")), None)
        if link is None:
            return None
        instance = getattr(instance, link)
    return None


def _watched(sender, instance, origin=None, **kwargs) -> None:
    if kwargs.get("raw") or (origin is not None and _cascaded(sender, origin)):
        return
    data_changed(partnership_ids={partnership_of(instance)} - {None})


def _watched_m2m(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        data_changed(partnership_ids={partnership_of(instance)} - {None})


def watch(*models) -> None:
    """Saves and deletes of these models change their partnership's data version."""
    for model in models:
        label = model._meta.label
        post_save.connect(_watched, sender=model, dispatch_uid=f"data_version_w_{label}")
        post_delete.connect(_watched, sender=model, dispatch_uid=f"data_version_wd_{label}")


def watch_m2m(*fields) -> None:
    """Links added or removed through these many-to-many fields (``Model.field``) change the
    data version of the partnership on either side."""
    for field in fields:
        through = field.through
        m2m_changed.connect(
            _watched_m2m, sender=through, dispatch_uid=f"data_version_m2m_{through._meta.label}"
        )
