"""Indicators, their monthly or quarterly figures (actuals), targets and the audit trail."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from csp_portal.core.breadcrumbs import Crumb, section
from csp_portal.core.models import Partnership, ThemeGroup
from opendata.police_uk import CRIME_TYPES, split_list

from . import periods
from .validation import FIGURE_DIGITS, FIGURE_PLACES


def changed_under_figures(measure: str, frequency: str) -> str:
    """Why an indicator with figures keeps its measure and frequency."""
    return (
        f"This indicator has figures entered as a {frequency} {measure}, which would be read "
        "wrongly as anything else: keep its measure and frequency, or make a new indicator "
        "for the new measure."
    )


# A rate's figures are entered per 1,000 population (the pages label them so); `rate_per`
# is the denominator reports divide a count by (reports/context.py), so a rate per
# households or businesses would be labelled wrongly everywhere.
RATE_PER_OF_A_RATE = ("population", "none")


def rate_per_of_a_rate(per_words: str) -> str:
    """Why a rate indicator cannot be per households or businesses, and what to do."""
    return (
        f"Rate per applies to a count: a rate indicator's figures are per 1,000 population. "
        f"For a rate per {per_words}, make the measure Count with rate per {per_words}: "
        "reports then give the rate."
    )


def validate_police_uk_crime_types(value: str) -> None:
    unknown = [t for t in split_list(value) if t not in CRIME_TYPES]
    if unknown:
        raise ValidationError(
            f"Not a police.uk crime type: {', '.join(unknown)}. "
            f"The types are: {', '.join(CRIME_TYPES)}."
        )


class Indicator(models.Model):
    class Polarity(models.TextChoices):
        LOWER = "lower", "Lower is better"
        HIGHER = "higher", "Higher is better"
        MONITOR = "monitor", "Monitoring only"

    class Measure(models.TextChoices):
        COUNT = "count", "Count"
        PERCENTAGE = "percentage", "Percentage"
        RATE = "rate", "Rate per 1,000 population"
        SNAPSHOT = "snapshot", "Point-in-time value"

    class RatePer(models.TextChoices):
        POPULATION = "population", "1,000 population"
        HOUSEHOLDS = "households", "1,000 households"
        BUSINESSES = "businesses", "1,000 businesses"
        NONE = "none", "No rate"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="indicators"
    )
    theme_group = models.ForeignKey(
        ThemeGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    code = models.CharField(
        max_length=30, help_text='For example "NI 16". Unique in a partnership.'
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField(
        max_length=100,
        blank=True,
        help_text='How commentary names the figure: a plural noun for counts ("hate crimes"), '
        'a name for percentages and rates ("satisfaction rate").',
    )
    interpretation_note = models.TextField(
        blank=True, help_text="A caution printed with the figures (e.g. better recording)."
    )
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    measure = models.CharField(max_length=12, choices=Measure.choices, default=Measure.COUNT)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    tolerance = models.DecimalField(
        "amber tolerance (%)",
        max_digits=6,
        decimal_places=2,
        default=Decimal(5),
        validators=[MinValueValidator(Decimal(0))],
    )
    stability = models.DecimalField(
        "stability band (%)",
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    owner = models.CharField(max_length=200, blank=True)
    data_source = models.CharField(max_length=200, blank=True)
    police_uk_crime_types = models.CharField(
        "police.uk crime types",
        max_length=500,
        blank=True,
        validators=[validate_police_uk_crime_types],
        help_text='The police.uk crime types this indicator counts, separated by ";" '
        '(e.g. "Burglary;Robbery;Vehicle crime;Theft from the person").',
    )
    rate_per = models.CharField(
        "rate per",
        max_length=12,
        choices=RatePer.choices,
        default=RatePer.POPULATION,
        help_text="The denominator of a count's rate in reports: households for burglary, "
        "businesses for business crime, population otherwise. Needs the partnership's figure.",
    )
    active = models.BooleanField(default=True)
    # A new token, in the same transaction, whenever the indicator's actuals, targets or
    # SPC settings change (indicators/data_version.py): part of the key of its figures
    # kept between requests (indicators/figures_memo.py). Random, as the partnership's
    # data version is, so that a rolled-back change never brings an old key back.
    figures_version = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["partnership__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="unique_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        # A copy read before someone changed the figures must not write their old version
        # back (their memo entries would be found again): every save is a new version.
        self.figures_version = uuid.uuid4()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "figures_version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.partnership.slug, self.pk])

    @property
    def crumb(self) -> Crumb:
        # "SP 01 Overall crime", as its page's title names it.
        return Crumb(
            f"{self.code} {self.title}",
            self.get_absolute_url(),
            section(self.partnership, "indicators:list"),
        )

    def clean(self):
        super().clean()
        if self.theme_group and self.theme_group.partnership_id != self.partnership_id:
            raise ValidationError({"theme_group": "Choose a theme group of this partnership."})
        if self.measure == self.Measure.RATE and self.rate_per not in RATE_PER_OF_A_RATE:
            per = self.RatePer(self.rate_per).label
            raise ValidationError({"rate_per": rate_per_of_a_rate(per)})
        if self.pk:
            stored = Indicator.objects.filter(pk=self.pk).values("measure", "frequency").first()
            kind = (self.measure, self.frequency)
            changed = stored and kind != (stored["measure"], stored["frequency"])
            if changed and self.actuals.exists():
                field = "measure" if self.measure != stored["measure"] else "frequency"
                raise ValidationError(
                    {field: changed_under_figures(stored["measure"], stored["frequency"])}
                )

    @property
    def needs_ratio(self) -> bool:
        """Percentages are entered as numerator and denominator."""
        return self.measure == self.Measure.PERCENTAGE

    @property
    def crime_types(self) -> list[str]:
        return split_list(self.police_uk_crime_types)

    @property
    def noun(self) -> str:
        return self.unit or self.title.lower()


class Actual(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    period = models.DateField(help_text="First day of the month (of the quarter if quarterly).")
    value = models.DecimalField(max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES)
    numerator = models.DecimalField(
        max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES, null=True, blank=True
    )
    denominator = models.DecimalField(
        max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES, null=True, blank=True
    )
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    # Bumped on every change so a form opened earlier can detect a concurrent edit.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        # By the key, not "indicator": that would join and sort by the indicator's own
        # ordering (its partnership's name), on every figures query in the country.
        ordering = ["indicator_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="unique_actual_period"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="actual_denominator_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {periods.short_month_label(self.period)}: {self.value}"


class Target(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", "Annual figure"
        CHANGE_PCT = "change_pct", "Change against a baseline year (%)"
        CUMULATIVE = "cumulative", "Cumulative profile"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField(help_text="Start year: 2016 is 2016/17.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.DecimalField(max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES)
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    period = models.DateField(null=True, blank=True, help_text="Cumulative profiles only.")

    class Meta:
        ordering = ["indicator_id", "financial_year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "financial_year"],
                condition=Q(period__isnull=True),
                name="unique_target_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "financial_year", "period"],
                condition=Q(period__isnull=False),
                name="unique_target_period",
            ),
        ]

    def __str__(self) -> str:
        label = periods.fy_label(self.financial_year, self.indicator.partnership.fy_start_month)
        if self.period:
            return f"{self.indicator.code} {label} to {periods.short_month_label(self.period)}"
        return f"{self.indicator.code} {label} {self.get_kind_display().lower()}"


class FigureChange(models.Model):
    """One change to an actual or a target: who, when, old and new, and why."""

    class Subject(models.TextChoices):
        ACTUAL = "actual", "Figure"
        TARGET = "target", "Target"
        SPC = "spc", "SPC settings"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="changes")
    subject = models.CharField(max_length=10, choices=Subject.choices)
    period = models.DateField(null=True, blank=True)
    financial_year = models.PositiveSmallIntegerField(null=True, blank=True)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=30, default="form")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["indicator", "-changed_at"]),
            # The admin's newest-first list over the whole country.
            models.Index(fields=["-changed_at", "-id"], name="figurechange_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} change to {self.indicator.code} at {self.changed_at}"


class SpcSetting(models.Model):
    """How an indicator's XmR chart is drawn: a fixed baseline, recalculation points, run length.

    Without a row the chart uses its defaults: limits from every point shown, run length 6.
    """

    class RunLength(models.IntegerChoices):
        SIX = 6, "6 points (Making Data Count's default)"
        SEVEN = 7, "7 points"

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="spc_setting"
    )
    baseline_start = models.DateField(
        null=True, blank=True, help_text="First month of the baseline the limits come from."
    )
    baseline_end = models.DateField(null=True, blank=True, help_text="Last month of the baseline.")
    # Months where the process changed (e.g. a change of recording practice): new limits begin.
    recalculate_from = models.JSONField(default=list, blank=True)
    run_length = models.PositiveSmallIntegerField(choices=RunLength.choices, default=RunLength.SIX)

    class Meta:
        verbose_name = "SPC setting"
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_end__isnull=True)
                | Q(baseline_start__isnull=False, baseline_end__gte=models.F("baseline_start")),
                name="spc_baseline_ordered",
            ),
            models.CheckConstraint(condition=Q(run_length__in=[6, 7]), name="spc_run_length"),
        ]

    def __str__(self) -> str:
        return f"SPC settings for {self.indicator.code}"

    @property
    def recalculation_months(self) -> tuple[datetime.date, ...]:
        return tuple(sorted(datetime.date.fromisoformat(m) for m in self.recalculate_from))
