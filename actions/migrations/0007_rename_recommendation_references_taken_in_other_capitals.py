"""A partnership's recommendations have references that differ by more than capitals and
spaces.

recommendations.csv finds a recommendation by its reference in any capitals and spaces
("sp  1" is "SP 1"), the site's form and the admin refuse a second such reference, and
since 0008 the database refuses one differing from another only in capitals. Rows stored
before could hold such pairs: the later of each is renamed " (2)", " (3)"... as _clashes
says (0009 does the same for plans and risks).
"""

from django.db import migrations

from actions.migrations._clashes import rename_clashes


def rename_recommendation_clashes(apps, schema_editor):
    rename_clashes(apps, ("Recommendation", "reference", "recommendation"))


class Migration(migrations.Migration):
    """Its own migration (its own transaction on PostgreSQL), before the constraint changes."""

    dependencies = [
        ("actions", "0006_titles_and_references_in_any_case"),
    ]

    operations = [
        migrations.RunPython(rename_recommendation_clashes, migrations.RunPython.noop),
    ]
