"""Telling apart the streams and lines of a partnership's year that name one row in any
capitals and spaces (a stream's source, a line's reference), for 0004, before 0005 has the
database hold their keys unique, and filling the keys. Not a migration itself (its name
starts with "_"), and kept as it ran: the rule is the one of its day, as
actions/migrations/_clashes.py.

The first made of each such set (the lowest id) keeps its name and each later one takes
" (2)", " (3)"... (the first number giving a name none of its year has), recorded in the
history of commissioning as a change nobody made by hand. The partnerships renamed in get
a new data version, so no draft report kept before shows the old name.
"""

import uuid

# What the history says made the change (CommissioningChange.source), as in actions.
SOURCE = "taken in other capitals"


def _key(name: str) -> str:
    # As core.text.name_key in this migration's day.
    return " ".join(name.split()).casefold()


def _free(name: str, taken: set[str], size: int) -> str:
    """``name`` with the first " (n)" from 2 whose key no name in ``taken`` has, cut to fit
    the column."""
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name.strip()[: size - len(suffix)].rstrip() + suffix
        if _key(candidate) not in taken:
            return candidate
        n += 1


def _rename(apps, model_name: str, field: str, subject: str) -> set[int]:
    """Rename the later rows of each clash in ``field``; the partnerships renamed in."""
    model = apps.get_model("commissioning", model_name)
    change = apps.get_model("commissioning", "CommissioningChange")
    size = model._meta.get_field(field).max_length
    label_size = change._meta.get_field("label").max_length
    by_year: dict[tuple[int, int], list[tuple[int, str]]] = {}
    rows = model.objects.order_by("partnership_id", "financial_year", "pk")
    for pk, partnership_id, year, name in rows.values_list(
        "pk", "partnership_id", "financial_year", field
    ):
        by_year.setdefault((partnership_id, year), []).append((pk, name))
    renamed_in = set()
    for (partnership_id, _), names in by_year.items():
        taken = {_key(name) for _, name in names}
        kept = set()
        for pk, name in names:
            if _key(name) not in kept:
                kept.add(_key(name))
                continue
            new = _free(name, taken, size)
            taken.add(_key(new))
            kept.add(_key(new))
            model.objects.filter(pk=pk).update(**{field: new})
            change.objects.create(
                partnership_id=partnership_id,
                subject=subject,
                object_id=pk,
                label=new[:label_size],
                old={field: name},
                new={field: new},
                source=SOURCE,
            )
            renamed_in.add(partnership_id)
    return renamed_in


def rename_clashes(apps, *fields: tuple[str, str, str]) -> None:
    """For each (model name, field, history subject): rename the rows whose ``field`` names
    an earlier row of their partnership's year in any capitals and spaces."""
    partnership = apps.get_model("core", "Partnership")
    renamed_in = set()
    for model_name, field, subject in fields:
        renamed_in |= _rename(apps, model_name, field, subject)
    for pk in renamed_in:
        partnership.objects.filter(pk=pk).update(
            data_version=uuid.uuid4(), context_version=uuid.uuid4()
        )


def fill_keys(apps, *fields: tuple[str, str, str]) -> None:
    """For each (model name, field, key's field): set every row's key to its ``field`` in
    any capitals and spaces."""
    for model_name, field, key_field in fields:
        model = apps.get_model("commissioning", model_name)
        rows = list(model.objects.only("pk", field))
        for row in rows:
            setattr(row, key_field, _key(getattr(row, field)))
        model.objects.bulk_update(rows, [key_field], batch_size=500)
