"""The admin's history (its LogEntry rows) of partnerships: each change names its fields
with their old and new values, made in the admin or by an import. And how the apps that
keep a history of their own rows (commissioning, action plans: `ChangeRecord`) record the
changes made to them in the admin (`History`)."""

import datetime
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import NamedTuple

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import User
from django.db.models import DecimalField, Model
from django.utils.text import capfirst

from .text import format_money, joined


class History(NamedTuple):
    """How an app records changes to its rows made outside its services (the admin), as
    its services record their own."""

    models: frozenset  # the models whose rows it keeps a history of
    snapshot: Callable[[Model], dict | None]  # a row as its history shows it
    # record(row, *, old, new, by, source): old None for a row added, new None for one
    # about to be deleted (the row still stored, for its label and partnership).
    record: Callable[..., None]


def value_words(value) -> str:
    """A field's value as the history says it: text in quotes, numbers with separators,
    days as the site writes them ("1 April 2017"), "blank" for none."""
    if value is None or value == "":
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal):
        return f"{value:,}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return f"{value.day} {value:%B %Y}"
    return str(value)


# A field of money is a decimal named in pounds, as "amount (£)".
POUNDS = " (£)"


def money_words(value: Decimal | None) -> str:
    """An amount of money as the history says it: "£1,250", "£2,000.50", "blank"."""
    return "blank" if value is None else format_money(value)


def _field_words(
    model: type[Model], name: str, labels: Mapping[str, str]
) -> tuple[str, Callable[[object], str]]:
    """How the history names a field, and says its values: as the admin labels it, a
    choice by its label, money as the site writes it (``labels`` names what the model
    holds no field for, or names otherwise)."""
    field = None if name in labels else model._meta.get_field(name)
    label = labels.get(name) or str(field.verbose_name)
    words = value_words
    if isinstance(field, DecimalField) and label.endswith(POUNDS):
        label, words = label.removesuffix(POUNDS), money_words
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if choices:
        plain = words

        def words(value):
            return plain(choices.get(value, value))

    return capfirst(label), words


def changes_described(
    model: type[Model], old: dict, new: dict, *, labels: Mapping[str, str] | None = None
) -> list[str]:
    """'Population from 26,310 to 263,100', for each field whose value changed, in the
    order of ``new``, named as the admin names the field (a choice by its label, money
    as the site writes it: "Amount from £1,250 to £2,000.50"). ``labels`` names what the
    model holds no field for, or names otherwise (an action's lead, whoever it is)."""
    labels = labels or {}
    described = []
    for name, value in new.items():
        if old[name] == value:
            continue
        label, words = _field_words(model, name, labels)
        described.append(f"{label} from {words(old[name])} to {words(value)}")
    return described


SHORT = 60  # characters of a text a new row's summary says (values_described)


def values_described(
    model: type[Model], values: dict, *, labels: Mapping[str, str] | None = None
) -> str:
    """A new row's key fields as an import's report says them ("Amount £1,250, Status
    “Open”"), named and worded as ``changes_described`` names a change, in the order of
    ``values``; blanks left out, a long text cut short ("…")."""
    labels = labels or {}
    described = []
    for name, value in values.items():
        if value is None or value == "":
            continue
        if isinstance(value, str) and len(value) > SHORT:
            value = value[: SHORT - 1].rstrip() + "…"
        label, words = _field_words(model, name, labels)
        described.append(f"{label} {words(value)}")
    return ", ".join(described)


# What made an import, as the admin's history says it (an upload on the site is "an import").
IMPORTED_BY = {"import": "the import_data command"}


def import_logged(*, row: Model, by: User | None, changes: list[str] | None, source: str) -> None:
    """An entry in the admin's history of a partnership, indicator or theme group an import added
    (``changes`` None) or changed, by the person who imported it, naming the command when
    it came from import_data. An entry must name a person: an import by no one
    (import_data without --user, the demo) writes none."""
    if by is None:
        return
    what = IMPORTED_BY.get(source, "an import")
    if changes is None:
        flag, message = ADDITION, f"Added by {what}."
    else:
        flag, message = CHANGE, f"Changed by {what}: {joined(changes, between='; ')}."
    LogEntry.objects.log_actions(by.pk, [row], flag, message, single_object=True)


def imports_added(*, rows: list[Model], by: User | None, source: str) -> None:
    """``import_logged`` of rows an import added, in one insert: an import may add
    thousands of indicators."""
    if by is None or not rows:
        return
    what = IMPORTED_BY.get(source, "an import")
    LogEntry.objects.log_actions(by.pk, rows, ADDITION, f"Added by {what}.")
