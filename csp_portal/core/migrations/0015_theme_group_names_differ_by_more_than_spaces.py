"""A partnership's theme groups have names that differ by more than capitals and spaces,
and each keeps its name in those (its ``name_key``), which 0016 has the database hold
unique in the partnership.

0011 renamed the groups whose names differed only in capitals (and spaces around them),
and 0012 had the database refuse such pairs in ASCII capitals. Imports and the admin have
since found a group by its name in any capitals and spaces ("Safer  streets" is "Safer
Streets", "équipe" is "Équipe"), and refused a second such name, but a race or a script
could still store one. Here, as in 0011, the first made of each such set (the lowest id)
keeps its name and each later one is renamed by appending " (2)", " (3)"... (the first
number giving a name no group of its partnership has), each rename written to the migrate
command's log (logger ``csp_portal.core.migrations``, a warning), and the partnerships
renamed in get a new data version, so no page kept before shows the old name. Then every
group's key is filled in.
"""

import logging
import uuid

from django.db import migrations

logger = logging.getLogger("csp_portal.core.migrations")
NAME_LENGTH = 200  # ThemeGroup.name's max_length in this migration's day


def _key(name):
    # As csp_portal.core.models.theme_group_key (core.text.name_key) in this migration's day.
    return " ".join(name.split()).casefold()


def _free_name(name, taken):
    """``name`` with the first " (n)" from 2 whose key no name in ``taken`` has."""
    number = 2
    while True:
        suffix = f" ({number})"
        renamed = name.strip()[: NAME_LENGTH - len(suffix)].rstrip() + suffix
        if _key(renamed) not in taken:
            return renamed
        number += 1


def rename_clashes_and_fill_keys(apps, schema_editor):
    ThemeGroup = apps.get_model("core", "ThemeGroup")
    Partnership = apps.get_model("core", "Partnership")
    groups = ThemeGroup.objects.order_by("partnership_id", "pk")
    by_partnership = {}
    for group in groups.select_related("partnership"):
        by_partnership.setdefault(group.partnership_id, []).append(group)
    renamed_in = set()
    for rows in by_partnership.values():
        taken = {_key(group.name) for group in rows}
        kept = set()
        for group in rows:
            if _key(group.name) not in kept:
                kept.add(_key(group.name))
                continue
            old_name, group.name = group.name, _free_name(group.name, taken)
            taken.add(_key(group.name))
            kept.add(_key(group.name))
            renamed_in.add(group.partnership_id)
            logger.warning(
                "Theme group %s of %s renamed from “%s” to “%s”: its name differed from an "
                "older group's only in capitals and spaces.",
                group.pk,
                group.partnership.name,
                old_name,
                group.name,
            )
    rows = [group for rows in by_partnership.values() for group in rows]
    for group in rows:
        group.name_key = _key(group.name)
    ThemeGroup.objects.bulk_update(rows, ["name", "name_key"], batch_size=500)
    for pk in renamed_in:
        Partnership.objects.filter(pk=pk).update(
            data_version=uuid.uuid4(), context_version=uuid.uuid4()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0014_themegroup_name_key"),
    ]

    operations = [
        migrations.RunPython(rename_clashes_and_fill_keys, migrations.RunPython.noop),
    ]
