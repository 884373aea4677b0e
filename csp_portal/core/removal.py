"""Removing a row on the site: an action plan, objective or action, a risk, cross-theme
issue or recommendation, a funding stream, commissioning line or progress update.

An editor removes a row keyed in by mistake (a stream "S 0" at £0, a line in the wrong
year) from its change page, through a page that says what goes and asks again. Only a
row nothing depends on (a line with no progress updates, a plan with no objectives) and
that no published report may have shown: the record keeps anything else, and the page
says why and what to do instead (close it, mark it ended), or to ask an administrator,
who may delete it in the admin. Each app's services decide (``removal_refusals``) and
remove (``row_remove``, through ``remove_checked`` here): the row locked, checked again,
its history recording it removed with every field it had, in one transaction. A published
version is self-contained (its page, files and snapshot name no row by its key), so
removing a row never changes one.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .text import day_label

ASK = "or ask an administrator"


def added_at(changes: QuerySet) -> datetime.datetime | None:
    """When a row was added, as its history (``changes``: its records) says: the latest
    record of it being added. None when its history does not go back that far."""
    return (
        changes.filter(old__isnull=True)
        .order_by("-changed_at")
        .values_list("changed_at", flat=True)
        .first()
    )


def shown_in_report(
    partnership_id: int, since: datetime.datetime | None, what: str, instead: str | None
) -> str | None:
    """Why a row added at ``since`` (None: not known) stays: a report of its partnership
    published since may have shown it. ``what``: "risk"; ``instead``: what to do instead
    ("set its status to Closed instead", "" for nothing but to ask an administrator), None
    where another reason has said it already. None when no report was published since."""
    from reports.selectors import published_since  # reports build on the apps

    version = published_since(partnership_id, since)
    if version is None:
        return None
    day = timezone.localdate(version.published_at)
    title = f" (“{version.title}”)" if version.title else ""
    shown = f"A report published on {day_label(day)}{title} may have shown this {what}"
    if instead is None:
        return f"{shown}."
    return f"{shown}, so the record keeps it: {advice(instead)}"


def advice(instead: str) -> str:
    """What to do about a row the record keeps: ``instead`` (if anything), or ask an
    administrator, who may delete it in the admin."""
    return f"{instead}, {ASK}." if instead else "ask an administrator if it must go."


def for_administrator(refusal: str) -> str:
    """A refusal as an administrator reads it: not to ask an administrator, but that
    they may delete the row in the admin (the page links its delete page)."""
    return refusal.replace(ASK, "or delete it in the admin").replace(
        advice(""), "delete it in the admin if it must go."
    )


@transaction.atomic
def remove_checked(
    row: Model,
    *,
    joined: Sequence[str],
    prefetched: Sequence[str],
    noun: str,
    refusals: Callable[[Model], list[str]],
    record: Callable[[Model], None],
) -> None:
    """An app's ``row_remove``: lock the row and read it again (``joined``, ``prefetched``:
    what its checks and its record read), so that an update added meanwhile waits; raise
    ValidationError, writing nothing, with ``refusals(row)`` if any, or if someone removed
    it first (``noun``: "risk"); else ``record(row)`` removed in its history, then delete
    it. The record is written first, from the row as it was."""
    model = type(row)
    try:
        row = (
            model.objects.select_for_update(of=("self",))
            .select_related(*joined)
            .prefetch_related(*prefetched)
            .get(pk=row.pk)
        )
    except model.DoesNotExist:
        raise ValidationError(f"Someone else has removed this {noun} already.") from None
    refused = refusals(row)
    if refused:
        raise ValidationError(refused)
    record(row)
    row.delete()


def admin_delete_url(row) -> str | None:
    """The admin's delete page of the row, if the admin has one."""
    opts = row._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])
    except NoReverseMatch:
        return None


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 update", "3 updates"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


@dataclass(frozen=True)
class RemovalPage:
    """What a removal page shows: the row (``noun``: "risk SS-R1"), its details as
    (label, value) pairs, and where it sits and leads back to."""

    partnership: object
    noun: str
    details: list
    parent: object  # its breadcrumb trail's last link: anything with a crumb, or a Crumb
    caption: str
    back_url: str
    # Where a removal leads: the list or plan it was in (asked once it has gone, when the
    # answer depends on what is left).
    done_url: str | Callable[[], str]
    note: str = ""  # more to say before removing (how to move a line to another year)
    # A row named by a long title: what it is ("action plan"), for a heading "Remove this
    # action plan" and a button "Remove action plan" (the title is in its details).
    kind: str = ""


def removal_view(request, page: RemovalPage, *, row, refusals, remove):
    """The confirmation page (GET), and the removal (POST): ``remove()`` calls the
    service, which checks again with the row locked and raises ValidationError, writing
    nothing, if it may not go (someone added an update meanwhile); the page then says why.
    An administrator refused is pointed to the row's delete page in the admin."""
    errors = []
    if request.method == "POST":
        try:
            remove()
        except ValidationError as error:
            refusals = error.messages
            errors = [("", message) for message in refusals]
        else:
            messages.success(request, f"Removed {page.noun}.")
            return redirect(page.done_url() if callable(page.done_url) else page.done_url)
    admin_url = None
    if refusals and request.user.is_superuser:
        refusals = [for_administrator(refusal) for refusal in refusals]
        errors = [(field, for_administrator(message)) for field, message in errors]
        admin_url = admin_delete_url(row)
    return render(
        request,
        "core/remove.html",
        {
            "page": page,
            "partnership": page.partnership,
            "refusals": refusals,
            "errors": errors,
            "admin_url": admin_url,
        },
    )
