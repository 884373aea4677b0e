"""Open police data kept beside the figures: street counts by LSOA, ward lookups, import runs."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from csp_portal.core.models import Partnership


class LsoaCount(models.Model):
    """police.uk rows of one crime type in one LSOA and month, in a partnership's area.

    Kept for hotspots; an import of a month replaces the month's rows.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lsoa_counts"
    )
    period = models.DateField(help_text="First day of the month.")
    crime_type = models.CharField(max_length=60)
    lsoa_code = models.CharField("LSOA code", max_length=12)
    lsoa_name = models.CharField("LSOA name", max_length=120)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["partnership", "period", "lsoa_code", "crime_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period", "crime_type", "lsoa_code"],
                name="unique_lsoa_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_name} {self.period:%Y-%m} {self.crime_type}: {self.count}"


class LsoaWard(models.Model):
    """A partnership's LSOA-to-ward lookup, loaded from a CSV."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lsoa_wards"
    )
    lsoa_code = models.CharField("LSOA code", max_length=12)
    ward_code = models.CharField(max_length=12, blank=True)
    ward_name = models.CharField(max_length=120)

    class Meta:
        ordering = ["partnership", "lsoa_code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "lsoa_code"], name="unique_lsoa_ward")
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_code} in {self.ward_name}"


class PoliceImport(models.Model):
    """One police.uk import into a partnership: what was read, written and left alone."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="police_imports"
    )
    files = models.JSONField(default=list)
    report = models.JSONField(default=dict)
    dry_run = models.BooleanField(default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"police.uk import into {self.partnership} at {self.imported_at}"

    def get_absolute_url(self) -> str:
        return reverse("opendata:import_detail", args=[self.partnership.slug, self.pk])
