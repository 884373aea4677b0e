from django.db import migrations, models


class Migration(migrations.Migration):
    """The column first, filled by 0015 and held unique by 0016 (each its own transaction
    on PostgreSQL, which refuses to alter a table a transaction has written to)."""

    dependencies = [
        ("core", "0013_membership_role_help"),
    ]

    operations = [
        migrations.AddField(
            model_name="themegroup",
            name="name_key",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
    ]
