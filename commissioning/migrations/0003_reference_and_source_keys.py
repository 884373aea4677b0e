from django.db import migrations, models


class Migration(migrations.Migration):
    """The columns first, filled by 0004 and held unique by 0005 (each its own transaction
    on PostgreSQL, which refuses to alter a table a transaction has written to)."""

    dependencies = [
        ("commissioning", "0002_funding_allocation_monitoring_outcomes"),
    ]

    operations = [
        migrations.AddField(
            model_name="commissioningline",
            name="reference_key",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="fundingstream",
            name="source_key",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
    ]
