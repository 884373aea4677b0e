"""A partnership's recommendations have references that differ by more than capitals and
spaces.

recommendations.csv finds a recommendation by its reference in any capitals and spaces
("sp  1" is "SP 1"), the site's form and the admin refuse a second such reference, and
since 0008 the database refuses one differing from another only in capitals. Rows stored
before could hold such pairs. Here the first made of each such set (the lowest id) keeps
its reference and each later one takes " (2)", " (3)"... (the first number giving a
reference none of its partnership has), recorded in the history of action plans as a
change nobody made by hand, as 0005 did for plans and risks. The partnerships renamed in
get a new data version, so no draft report kept before shows the old reference.
"""

import uuid

from django.db import migrations

# What the history says made the change (ActionsChange.source), as in 0005.
SOURCE = "taken in other capitals"


def _key(reference: str) -> str:
    # As actions.rules.recommendation_reference_key in this migration's day.
    return " ".join(reference.split()).casefold()


def _free(reference: str, taken: set[str], size: int) -> str:
    """``reference`` with the first " (n)" from 2 whose key no reference in ``taken`` has,
    cut to fit the column."""
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = reference.strip()[: size - len(suffix)].rstrip() + suffix
        if _key(candidate) not in taken:
            return candidate
        n += 1


def rename_clashes(apps, schema_editor):
    recommendation = apps.get_model("actions", "Recommendation")
    change = apps.get_model("actions", "ActionsChange")
    partnership = apps.get_model("core", "Partnership")
    size = recommendation._meta.get_field("reference").max_length
    by_partnership: dict[int, list[tuple[int, str]]] = {}
    rows = recommendation.objects.order_by("partnership_id", "pk")
    for pk, partnership_id, reference in rows.values_list("pk", "partnership_id", "reference"):
        by_partnership.setdefault(partnership_id, []).append((pk, reference))
    renamed_in = set()
    for partnership_id, references in by_partnership.items():
        taken = {_key(reference) for _, reference in references}
        kept = set()
        for pk, reference in references:
            if _key(reference) not in kept:
                kept.add(_key(reference))
                continue
            new = _free(reference, taken, size)
            taken.add(_key(new))
            kept.add(_key(new))
            recommendation.objects.filter(pk=pk).update(reference=new)
            change.objects.create(
                partnership_id=partnership_id,
                subject="recommendation",
                object_id=pk,
                label=new,
                old={"reference": reference},
                new={"reference": new},
                source=SOURCE,
            )
            renamed_in.add(partnership_id)
    for pk in renamed_in:
        partnership.objects.filter(pk=pk).update(
            data_version=uuid.uuid4(), context_version=uuid.uuid4()
        )


class Migration(migrations.Migration):
    """Its own migration (its own transaction on PostgreSQL), before the constraint changes."""

    dependencies = [
        ("actions", "0006_titles_and_references_in_any_case"),
    ]

    operations = [
        migrations.RunPython(rename_clashes, migrations.RunPython.noop),
    ]
