"""Optimistic concurrency with a shown value: a form that edits many stored things at
once saves only what the person changed, and reports a conflict only where someone
else changed the same thing since the page was built.

The month sheet and the year grid use it; a form for action plans, commissioning lines
or reports copies it in four steps:

1. Build each edited field with ``show_hidden_initial=True`` (a Django option): the page
   then carries, beside each box, a hidden ``initial-<name>`` input holding the value it
   showed (the GOV.UK widget tags render it). ``shown_value(form, name)`` reads it back.
2. The person changed a field only when what they post differs from what was shown
   (``form.changed_data`` answers this for ordinary fields, the posted text's line ends
   made "\n" first by ``PlainTextMixin``; compare parsed values where
   different text means the same, like "35" and "35.0"). Send only those to the
   service: what the person did not change is never written, whoever changed it since.
3. The service locks the stored rows of those fields (``select_for_update``), then asks
   ``decide(shown=..., posted=..., stored=...)`` for each: WRITE; ALREADY (someone made
   the same change: nothing to write); CONFLICT (someone else changed it since the page
   was built). Any conflict: raise, and write nothing. A row that did not exist cannot
   be locked, so an insert runs in a savepoint and, if another session inserted the
   same row first, it is decided again against theirs.
4. The view shows the form again with ``rebase``: boxes the person did not touch show
   what is stored now; boxes in conflict keep the person's value and now carry the
   stored value they were told about as shown, so saving again (the override) writes
   the person's changes, and only those, over the other edit.

For one object edited field by field (an action's status and update, say)::

    # forms.py: each field built with show_hidden_initial=True, initial from the object
    # services.py, inside @transaction.atomic, the row locked:
    action = Action.objects.select_for_update().get(pk=pk)
    clashes = [
        name for name in form.changed_data
        if decide(shown=form[name].field.clean(shown_value(form, name)),
                  posted=form.cleaned_data[name], stored=getattr(action, name))
        is Outcome.CONFLICT
    ]
    # any clashes: raise, naming them; else set only form.changed_data, full_clean, save

Why the shown value rather than a version number per row: a version cannot tell
whether the person touched a field that someone else has changed meanwhile (the box
still holds the old value, no longer the stored one), so the shown value must travel
anyway, and with it a version adds nothing. The shown value needs no column, works for
any field of any model (a text update, a status, a date), and is not fooled when a row
is removed and added again (a new row's version starts again at 1).
"""

import enum
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms

from .text import one_line_end

T = TypeVar("T")


class Outcome(enum.Enum):
    WRITE = "write"
    ALREADY = "already"  # the stored value is already what the person asks for
    CONFLICT = "conflict"  # someone else changed it since the page was built


def same_value(a: Any, b: Any) -> bool:
    """Equal, texts with their line ends alike: a browser posts "\r\n" where the stored
    text may hold "\n" (``one_line_end``)."""
    if isinstance(a, str) and isinstance(b, str):
        return one_line_end(a) == one_line_end(b)
    return a == b


def decide(*, shown: T, posted: T, stored: T, same: Callable[[T, T], bool] = same_value) -> Outcome:
    """What to do with a value the person changed (posted differs from shown)."""
    if same(stored, posted):
        return Outcome.ALREADY
    if not same(stored, shown):
        return Outcome.CONFLICT
    return Outcome.WRITE


def shown_value(form: forms.Form, name: str) -> Any:
    """The raw value the page showed for a field built with ``show_hidden_initial``.

    None when the post did not carry it (a page from before the field was tracked, a
    script): treat that as "shown blank", which turns any overwrite into a conflict. A
    text's line ends are "\n", as the site stores them (a browser posts "\r\n").
    """
    bound = form[name]
    value = bound.field.hidden_widget().value_from_datadict(
        form.data, form.files, bound.html_initial_name
    )
    return one_line_end(value) if isinstance(value, str) else value


def rebase(form: forms.Form, *, refresh: Mapping[str, str], conflicts: Mapping[str, str]) -> None:
    """Arm a bound form to be shown again after a conflict.

    refresh: fields the person did not change, to the value stored now (the box and the
    shown value). conflicts: fields in conflict, to the stored value the person is told
    about (the shown value only: their own value stays in the box). Fields in neither
    keep the value first shown, so a change someone makes to them meanwhile is still
    caught on the next save. A value is the text a box posts, or a list of them (a group
    of checkboxes).
    """
    data = form.data.copy()

    def put(key: str, value) -> None:
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value

    for name, value in refresh.items():
        bound = form[name]
        put(bound.html_name, value)
        put(bound.html_initial_name, value)
    for name, value in conflicts.items():
        put(form[name].html_initial_name, value)
    form.data = data
