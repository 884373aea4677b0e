"""Each line keeps its reference, and each funding stream its source, in any capitals and
spaces (``reference_key``, ``source_key``), which 0005 has the database hold unique in the
partnership's year.

The database compared them as written, so "ci 01" could stand beside "CI 01" in a year,
and that year's own export then would not import back. Any such row is renamed " (2)",
" (3)"... as _clashes says, then every row's key is filled in.
"""

from django.db import migrations

from commissioning.migrations._clashes import fill_keys, rename_clashes


def rename_clashes_and_fill_keys(apps, schema_editor):
    rename_clashes(
        apps,
        ("FundingStream", "source", "stream"),
        ("CommissioningLine", "reference", "line"),
    )
    fill_keys(
        apps,
        ("FundingStream", "source", "source_key"),
        ("CommissioningLine", "reference", "reference_key"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0003_reference_and_source_keys"),
        # The partnerships' data versions, which a rename renews.
        ("core", "0016_theme_group_name_unique_by_key"),
    ]

    operations = [
        migrations.RunPython(rename_clashes_and_fill_keys, migrations.RunPython.noop),
    ]
