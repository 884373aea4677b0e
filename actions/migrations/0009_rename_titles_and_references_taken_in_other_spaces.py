"""A partnership's plans have titles, and its risks references, that differ by more than
capitals and spaces.

0005 renamed the plans and risks whose titles and references differed only in capitals,
as the database folds them (on SQLite, the capitals of ASCII letters only), and 0006 has
the database refuse such pairs. The site's form, the admin and the imports now take two
that differ only in spaces, or in capitals beyond ASCII ("Équipe" and "équipe"), as one
too, as they do recommendations' references. Rows stored before could hold such pairs:
the later of each is renamed " (2)", " (3)"... as _clashes says, as 0007 did for
recommendations.
"""

from django.db import migrations

from actions.migrations._clashes import rename_clashes


def rename_plan_and_risk_clashes(apps, schema_editor):
    rename_clashes(
        apps,
        ("ActionPlan", "title", "plan"),
        ("Risk", "reference", "risk"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("actions", "0008_recommendation_references_in_any_case"),
    ]

    operations = [
        migrations.RunPython(rename_plan_and_risk_clashes, migrations.RunPython.noop),
    ]
