import datetime

from django.db import migrations, models


def _shown_figures(entries) -> dict:
    """What `builder.shown_figures` stores of each indicator, as it was when written."""
    indicators = {}
    for entry in entries:
        values = {}
        for month in entry["months"]:
            values[month["period"]] = month["this_year"]
            period = datetime.date.fromisoformat(month["period"])
            values[period.replace(year=period.year - 1).isoformat()] = month["last_year"]
        indicators[str(entry["id"])] = {
            "code": entry["code"],
            "title": entry["title"],
            "places": entry["places"],
            "values": values,
        }
    return indicators


def fill(apps, schema_editor):
    """Whose figures each version published before showed: a report's own partnership's;
    an overview's, the covered partnerships of the indicators its blocks showed, which it
    now locks (and lists as revisions) one by one instead of its own partnership's whole."""
    ReportVersion = apps.get_model("reports", "ReportVersion")
    Indicator = apps.get_model("indicators", "Indicator")
    Through = ReportVersion.partnerships_shown.through
    versions = ReportVersion.objects.select_related("report").only(
        "snapshot", "shown", "indicator_ids", "report__kind", "report__partnership_id"
    )
    for version in versions.iterator(chunk_size=100):
        if version.report.kind != "overview":
            shown = [version.report.partnership_id]
        else:
            entries = [
                entry
                for block in (version.snapshot or {}).get("overview", [])
                for entry in block.get("indicators", [])
            ]
            ids = sorted(int(entry["id"]) for entry in entries)
            shown = sorted(
                set(
                    Indicator.objects.filter(pk__in=ids).values_list("partnership_id", flat=True)
                )
            )
            version.indicator_ids = ids
            version.shown = {**(version.shown or {}), "indicators": _shown_figures(entries)}
            version.save(update_fields=["indicator_ids", "shown"])
        Through.objects.bulk_create(
            Through(reportversion_id=version.pk, partnership_id=pk) for pk in shown
        )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("indicators", "0001_initial"),
        ("reports", "0005_reportversion_cover"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportversion",
            name="partnerships_shown",
            field=models.ManyToManyField(blank=True, related_name="+", to="core.partnership"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
