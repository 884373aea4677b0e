from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0011_fill_title_and_reference_keys"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="actionplan",
            name="unique_action_plan_title_any_case",
        ),
        migrations.RemoveConstraint(
            model_name="risk",
            name="unique_risk_reference_any_case",
        ),
        migrations.RemoveConstraint(
            model_name="recommendation",
            name="unique_recommendation_reference_any_case",
        ),
        migrations.AddConstraint(
            model_name="actionplan",
            constraint=models.UniqueConstraint(
                fields=("partnership", "title_key"),
                name="unique_action_plan_title_key",
                violation_error_message="This partnership already has a plan with this title.",
            ),
        ),
        migrations.AddConstraint(
            model_name="risk",
            constraint=models.UniqueConstraint(
                fields=("partnership", "reference_key"),
                name="unique_risk_reference_key",
                violation_error_message="This partnership already has a risk with this reference.",
            ),
        ),
        migrations.AddConstraint(
            model_name="recommendation",
            constraint=models.UniqueConstraint(
                fields=("partnership", "reference_key"),
                name="unique_recommendation_reference_key",
                violation_error_message=(
                    "This partnership already has a recommendation with this reference."
                ),
            ),
        ),
    ]
