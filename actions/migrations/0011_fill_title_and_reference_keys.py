"""Each plan keeps its title, and each risk and recommendation its reference, in any
capitals and spaces (``title_key``, ``reference_key``), which 0012 has the database hold
unique in the partnership.

0007 and 0009 renamed the rows that named an earlier one of their partnership's in any
capitals and spaces, and the site's forms, the admin and the imports have refused such
pairs since; but the database folded capitals only, so two saves at once, or a script,
could still store "SP 1" beside "sp  1". Any such row is renamed " (2)", " (3)"... as
_clashes says, then every row's key is filled in.
"""

from django.db import migrations

from actions.migrations._clashes import fill_keys, rename_clashes


def rename_clashes_and_fill_keys(apps, schema_editor):
    rename_clashes(
        apps,
        ("ActionPlan", "title", "plan"),
        ("Risk", "reference", "risk"),
        ("Recommendation", "reference", "recommendation"),
    )
    fill_keys(
        apps,
        ("ActionPlan", "title", "title_key"),
        ("Risk", "reference", "reference_key"),
        ("Recommendation", "reference", "reference_key"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0010_title_and_reference_keys"),
    ]

    operations = [
        migrations.RunPython(rename_clashes_and_fill_keys, migrations.RunPython.noop),
    ]
