"""The recorded history of a row (`ChangeRecord`: an action, a risk, a recommendation, a
commissioning line or funding stream) as its page and the admin's History page show it:
when, who (and how, when not on the site's own form: "upload", "admin"), and each field
from its old value to its new, as the site writes them ("Due date from 1 March 2027 to
15 January 2027", "Amount from £1,250 to £2,000")."""

import datetime
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, DateField, DateTimeField, DecimalField, Model, QuerySet, Window
from django.utils.timezone import template_localtime

from .history import changes_described
from .text import day_label

CHANGES_SHOWN = 20  # the latest changes a page shows; all of them on asking


class ChangeShown(NamedTuple):
    at: datetime.datetime
    who: str  # the person's name, or "System" for a change by no one (an import, the demo)
    source: str  # how, when not on the site's form ("upload", "import", "admin"); else ""
    label: str  # the row changed, as it was named then
    changes: list[str]  # "Due date from 1 March 2027 to 15 January 2027"; "Added"; "Removed"


class ChangesShown(NamedTuple):
    rows: list[ChangeShown]  # newest first
    total: int  # changes recorded in all

    @property
    def all_shown(self) -> bool:
        return len(self.rows) >= self.total


def _field(model: type[Model], name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _value(field, value: Any) -> Any:
    """A value as a snapshot holds it (JSON) back as the field holds it, for its words: a
    day as a date, money as a Decimal, a list as its items joined."""
    if isinstance(value, list):
        items = [": ".join(map(str, v)) if isinstance(v, list) else str(v) for v in value]
        return ", ".join(items) or None
    if not isinstance(value, str) or field is None:
        return value
    try:
        if isinstance(field, DateTimeField):
            return template_localtime(datetime.datetime.fromisoformat(value)).date()
        if isinstance(field, DateField):
            return datetime.date.fromisoformat(value)
        if isinstance(field, DecimalField):
            return Decimal(value)
    except (ValueError, InvalidOperation):
        pass
    return value


def change_words(
    model: type[Model],
    old: dict | None,
    new: dict | None,
    labels: Mapping[str, str] | None = None,
    shown: Mapping[str, Callable[[Any], Any]] | None = None,
) -> list[str]:
    """What one recorded change did, in words: "Added", "Removed", or each field that
    changed from its old value to its new (`history.changes_described`). ``shown``: how
    a field's value is shown, where the site writes it otherwise (a financial year as
    "2025/26")."""
    if old is None and new is None:
        return []
    if old is None:
        return ["Added"]
    if new is None:
        return ["Removed"]
    names = [*new, *(name for name in old if name not in new)]
    fields = {name: _field(model, name) for name in names}
    # What the model holds no field for (a progress update's outputs) by its own name.
    named = {name: name.replace("_", " ") for name, field in fields.items() if field is None}
    shown = shown or {}

    def value(name, found):
        if found is not None and name in shown:
            return shown[name](found)
        return _value(fields[name], found)

    before = {name: value(name, old.get(name)) for name in names}
    after = {name: value(name, new.get(name)) for name in names}
    return changes_described(model, before, after, labels={**named, **(labels or {})})


ISO_DAY_AT_END = re.compile(r"(\d{4}-\d{2}-\d{2})$")


def day_in_words(label: str) -> str:
    """A label ending in a day as ISO ("CI 01 2010/11 update 2011-01-20", as a progress
    update's records were named) with the day as the site writes it ("… 20 January 2011")."""

    def words(found: re.Match) -> str:
        try:
            day = datetime.date.fromisoformat(found.group(1))
        except ValueError:
            return found.group(1)
        return day_label(day)

    return ISO_DAY_AT_END.sub(words, label)


def changed_by(change) -> str:
    """Who made a recorded change (its ``changed_by`` read with it): their name, or
    "System" for a change by no one (an import, the demo)."""
    person = change.changed_by
    return (person.get_full_name() or person.username) if person else "System"


def changed_how(change) -> str:
    """How a recorded change was made, when not on the site's own form ("upload",
    "admin"); else ""."""
    return "" if change.source == "form" else change.source


def changes_shown(
    records: QuerySet,
    models: Mapping[str, type[Model]],
    *,
    every: bool = False,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    shown: Mapping[str, Callable[[Any], Any]] | None = None,
    named: Mapping[str, Callable[[str], str]] | None = None,
) -> ChangesShown:
    """The latest `CHANGES_SHOWN` of these recorded changes (``every``: all of them),
    newest first, in words, and how many there are: one query, however many are shown.
    ``models``: the model of each subject; ``labels``: a subject's names for its fields;
    ``shown``: how a field's value is shown (`change_words`); ``named``: how a subject's
    stored label is shown (`day_in_words`)."""
    found = list(
        records.select_related("changed_by")
        .annotate(total=Window(Count("pk")))
        .order_by("-changed_at", "-pk")[: None if every else CHANGES_SHOWN]
    )
    labels, named = labels or {}, named or {}
    rows = []
    for change in found:
        rows.append(
            ChangeShown(
                at=change.changed_at,
                who=changed_by(change),
                source=changed_how(change),
                label=named.get(change.subject, str)(change.label),
                changes=change_words(
                    models[change.subject],
                    change.old,
                    change.new,
                    labels.get(change.subject),
                    shown,
                ),
            )
        )
    return ChangesShown(rows, found[0].total if found else 0)
