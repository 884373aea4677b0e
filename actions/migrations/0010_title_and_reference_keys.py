from django.db import migrations, models


class Migration(migrations.Migration):
    """The columns first, filled by 0011 and held unique by 0012 (each its own transaction
    on PostgreSQL, which refuses to alter a table a transaction has written to)."""

    dependencies = [
        ("actions", "0009_rename_titles_and_references_taken_in_other_spaces"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionplan",
            name="title_key",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="recommendation",
            name="reference_key",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="risk",
            name="reference_key",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
    ]
