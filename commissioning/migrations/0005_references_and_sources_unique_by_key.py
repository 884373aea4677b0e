from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0004_fill_reference_and_source_keys"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="commissioningline",
            name="unique_commissioning_reference",
        ),
        migrations.RemoveConstraint(
            model_name="fundingstream",
            name="unique_funding_stream",
        ),
        migrations.AddConstraint(
            model_name="commissioningline",
            constraint=models.UniqueConstraint(
                fields=("partnership", "financial_year", "reference_key"),
                name="unique_commissioning_reference_key",
                violation_error_code="duplicate_reference",
                violation_error_message="A line with this reference already exists in this year.",
            ),
        ),
        migrations.AddConstraint(
            model_name="fundingstream",
            constraint=models.UniqueConstraint(
                fields=("partnership", "financial_year", "source_key"),
                name="unique_funding_stream_source_key",
                violation_error_code="duplicate_source",
                violation_error_message=(
                    "There is already a funding stream from this source in this year."
                ),
            ),
        ),
    ]
