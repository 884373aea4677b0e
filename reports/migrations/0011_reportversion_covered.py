from django.db import migrations, models


def fill(apps, schema_editor):
    """Every partnership each overview version published before covered, from its blocks
    as it showed them: by id (stored since overviews locked their figures, 0006), else by
    slug; with those whose figures it showed (`partnerships_shown`). A version none of whose
    blocks is found takes the report's partnerships now, the only record left."""
    ReportVersion = apps.get_model("reports", "ReportVersion")
    Partnership = apps.get_model("core", "Partnership")
    Through = ReportVersion.covered.through
    by_slug = dict(Partnership.objects.values_list("slug", "pk"))
    versions = ReportVersion.objects.filter(report__kind="overview").only("snapshot", "report_id")
    for version in versions.iterator(chunk_size=100):
        blocks = (version.snapshot or {}).get("overview", [])
        found = {
            block.get("partnership_id") or by_slug.get(block.get("slug"))
            for block in blocks
        } - {None}
        found |= set(version.partnerships_shown.values_list("pk", flat=True))
        if not found:
            found = set(
                Partnership.objects.filter(overview_reports=version.report_id).values_list(
                    "pk", flat=True
                )
            )
        Through.objects.bulk_create(
            Through(reportversion_id=version.pk, partnership_id=pk) for pk in sorted(found)
        )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("reports", "0010_version_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportversion",
            name="covered",
            field=models.ManyToManyField(blank=True, related_name="+", to="core.partnership"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
