from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0015_theme_group_names_differ_by_more_than_spaces"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="themegroup",
            name="unique_theme_group_name_any_case",
        ),
        migrations.AddConstraint(
            model_name="themegroup",
            constraint=models.UniqueConstraint(
                fields=("partnership", "name_key"),
                name="unique_theme_group_name_key",
                violation_error_message=(
                    "This partnership already has a theme group of this name, in these or "
                    "other capitals and spaces: use that one, or a name that differs by "
                    "more than capitals and spaces."
                ),
            ),
        ),
    ]
