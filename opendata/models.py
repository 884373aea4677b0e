"""Open police data kept beside the figures: street counts by LSOA, ward lookups, import runs."""

from django.conf import settings
from django.core.exceptions import ValidationError
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


class Peer(models.Model):
    """A member of a partnership's most similar group, named as the Home Office names CSPs."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="peers")
    csp_name = models.CharField(
        "CSP name", max_length=200, help_text="Exactly as the Home Office tables name it."
    )
    population = models.PositiveIntegerField()
    households = models.PositiveIntegerField(
        null=True, blank=True, help_text="For rates per 1,000 households (burglary)."
    )
    is_self = models.BooleanField(
        "this partnership",
        default=False,
        help_text="The row that is the partnership itself: one in each group.",
    )

    class Meta:
        ordering = ["partnership", "csp_name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "csp_name"], name="unique_peer"),
            # Two would rank whichever came first as the partnership.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(is_self=True),
                name="one_self_peer",
                violation_error_message=(
                    "Another member of this group is already this partnership: untick it first."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.csp_name} (peer of {self.partnership})"

    def clean(self):
        # Names the member ticked already, which the constraint's own message cannot.
        if not self.is_self or self.partnership_id is None:
            return
        other = (
            Peer.objects.filter(partnership_id=self.partnership_id, is_self=True)
            .exclude(pk=self.pk)
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "is_self": f"You cannot tick this for {self.csp_name or 'this member'}, "
                    f"because {other.csp_name} is already this partnership in the group: "
                    f"untick it there first."
                }
            )


class OffenceMapping(models.Model):
    """Which Home Office offence groups or subgroups an indicator compares across its family
    group (a count is one of them if its group or its subgroup is named, in any case)."""

    indicator = models.OneToOneField(
        "indicators.Indicator", on_delete=models.CASCADE, related_name="offence_mapping"
    )
    offence_groups = models.CharField(
        "offence groups or subgroups",
        max_length=500,
        help_text='As the Home Office tables name them, separated by ";": groups such as '
        '"Robbery", subgroups such as "Violence with injury".',
    )
    per_households = models.BooleanField(
        "rate per 1,000 households", default=False, help_text="Otherwise per 1,000 population."
    )

    def __str__(self) -> str:
        return f"{self.indicator}: {self.offence_groups}"


class CspOffenceCount(models.Model):
    """Home Office recorded crime for one CSP, quarter, offence group and subgroup."""

    csp_name = models.CharField("CSP name", max_length=200)
    financial_year = models.PositiveSmallIntegerField(help_text="Start year: 2023 is 2023/24.")
    quarter = models.PositiveSmallIntegerField()
    offence_group = models.CharField(max_length=200)
    offence_subgroup = models.CharField(
        max_length=200, blank=True, help_text="Blank in counts imported before it was kept."
    )
    count = models.DecimalField(max_digits=12, decimal_places=2)
    force_name = models.CharField(max_length=200, blank=True)
    illustrative = models.BooleanField(
        default=False, help_text="Made-up figures for the demo: not Home Office data."
    )

    class Meta:
        ordering = ["csp_name", "financial_year", "quarter", "offence_group", "offence_subgroup"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "csp_name",
                    "financial_year",
                    "quarter",
                    "offence_group",
                    "offence_subgroup",
                ],
                name="unique_csp_offence_subgroup_count",
            )
        ]

    def __str__(self) -> str:
        offence = " / ".join(filter(None, (self.offence_group, self.offence_subgroup)))
        return f"{self.csp_name} {self.financial_year} Q{self.quarter} {offence}"


class ForceCount(models.Model):
    """police.uk rows of one crime type in one month across a whole force's file.

    Kept at import beside the partnership's own counts, so a report can set the force's
    change beside the partnership's; an import of a month replaces the month's rows.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="force_counts"
    )
    force = models.CharField(max_length=120, help_text='As police.uk names it ("Falls within").')
    period = models.DateField(help_text="First day of the month.")
    crime_type = models.CharField(max_length=60)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["partnership", "force", "period", "crime_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "force", "period", "crime_type"], name="unique_force_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.force} {self.period:%Y-%m} {self.crime_type}: {self.count}"


class OutcomeCount(models.Model):
    """police.uk crimes of one type and month in a partnership's area by last outcome."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="outcome_counts"
    )
    period = models.DateField(help_text="First day of the month.")
    crime_type = models.CharField(max_length=60)
    outcome = models.CharField(max_length=120, help_text='"Last outcome category".')
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["partnership", "period", "crime_type", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period", "crime_type", "outcome"],
                name="unique_outcome_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.crime_type} {self.outcome}: {self.count}"
