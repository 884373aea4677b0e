"""A partnership's theme groups have names that differ by more than capitals.

Imports find a theme group by its name in any case, spaces around it aside ("Safer
streets" is "Safer Streets"), and since 0012 the database refuses a second name differing
from another of its partnership only in capitals. Rows stored before could hold such
pairs (the admin refused them only from 30 November; other paths never did), and an import
then took whichever was made first. Here the first made of each such set (the lowest id)
keeps its name and each later one is renamed by appending " (2)", " (3)"... (the first
number giving a name no group of its partnership has), so nothing is lost and each keeps
its indicators, plans, lines and meetings. Every partnership gets a new data version, so
no page kept before shows the old name.

The core app keeps no history of its own for theme groups: the admin's history (its
LogEntry rows) names a person for every entry, and a migration is made by no one, as an
import without ``--user`` is (which writes none either). Each rename is written to the
migrate command's log instead (logger ``csp_portal.core.migrations``, a warning).
"""

import logging
import uuid

from django.db import migrations

logger = logging.getLogger("csp_portal.core.migrations")
NAME_LENGTH = 200  # ThemeGroup.name's max_length in this migration's day


def _key(name):
    # As csp_portal.core.models.theme_group_key in this migration's day.
    return name.strip().casefold()


def _free_name(name, taken):
    """``name`` with the first " (n)" from 2 whose key no name in ``taken`` has."""
    number = 2
    while True:
        suffix = f" ({number})"
        renamed = name.strip()[: NAME_LENGTH - len(suffix)] + suffix
        if _key(renamed) not in taken:
            return renamed
        number += 1


def rename_clashing_theme_groups(apps, schema_editor):
    ThemeGroup = apps.get_model("core", "ThemeGroup")
    Partnership = apps.get_model("core", "Partnership")
    groups = ThemeGroup.objects.order_by("partnership_id", "pk").values_list(
        "pk", "partnership_id", "partnership__name", "name"
    )
    names_by_partnership = {}
    for pk, partnership_id, partnership_name, name in groups:
        names_by_partnership.setdefault(partnership_id, []).append((pk, partnership_name, name))
    renamed = 0
    for rows in names_by_partnership.values():
        taken = {_key(name) for _, _, name in rows}
        kept = set()
        for pk, partnership_name, name in rows:
            if _key(name) not in kept:
                kept.add(_key(name))
                continue
            new_name = _free_name(name, taken)
            taken.add(_key(new_name))
            kept.add(_key(new_name))
            ThemeGroup.objects.filter(pk=pk).update(name=new_name)
            renamed += 1
            logger.warning(
                "Theme group %s of %s renamed from “%s” to “%s”: its name differed from an "
                "older group's only in capitals.",
                pk,
                partnership_name,
                name,
                new_name,
            )
    if not renamed:
        return
    for pk in Partnership.objects.values_list("pk", flat=True):
        Partnership.objects.filter(pk=pk).update(
            data_version=uuid.uuid4(), context_version=uuid.uuid4()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_partnership_slug_words"),
    ]

    operations = [
        migrations.RunPython(
            rename_clashing_theme_groups, migrations.RunPython.noop, elidable=True
        ),
    ]
