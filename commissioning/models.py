"""Funding streams, the commissioning lines they pay for, and progress on each line."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from csp_portal.core.breadcrumbs import Crumb
from csp_portal.core.models import ChangeRecord, KeepsNameKey, Partnership, ThemeGroup
from csp_portal.core.text import day_label, differs_only_in, name_key
from indicators import periods
from indicators.models import Indicator

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}
# A line's contract starts and ends within this many years of the line's financial year
# (its contract may have begun earlier, or run on): a date further off is a typo (0017 for
# 2017) or a placeholder (9999-12-31), as an action due long after its plan's year is.
CONTRACT_YEARS = 5


def contract_range(financial_year: int, start_month: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day a contract of a line of ``financial_year`` may start or end:
    from the start of the year CONTRACT_YEARS before to the end of the one after."""
    first = periods.fy_start(financial_year - CONTRACT_YEARS, start_month)
    after = periods.fy_start(financial_year + CONTRACT_YEARS + 1, start_month)
    return first, after - datetime.timedelta(days=1)


def namesake(row: "FundingStream | CommissioningLine") -> str | None:
    """The name (a stream's source, a line's reference) of another row of the partnership's
    year that ``row``'s would be taken for: the same in any capitals and spaces
    (`name_key`, kept in the row's key column), the first made; or None."""
    field, key = row.name_fields
    value = getattr(row, field)
    if not row.partnership_id or row.financial_year is None or not value:
        return None
    others = (
        type(row)
        .objects.filter(
            partnership_id=row.partnership_id,
            financial_year=row.financial_year,
            **{key: name_key(value)},
        )
        .exclude(pk=row.pk)
    )
    return others.order_by("pk").values_list(field, flat=True).first()


def source_taken(source: str, stored: str, year: str) -> str:
    """Why a stream of ``year`` may not have ``source``: the year's stream ``stored`` has
    it, in these capitals and spaces or others (funding.csv and commissioning.csv find a
    stream by its `name_key`)."""
    how = differs_only_in(source, stored)
    if not how:
        return (
            f"{year} already has the funding stream '{source}': change that stream, or "
            "choose another source."
        )
    return (
        f"{year} already has the funding stream '{stored}', and '{source}' differs from it "
        f"only in {how}: change that stream, or choose another source."
    )


def reference_taken(reference: str, stored: str, year: str) -> str:
    """Why a line of ``year`` may not have ``reference``: the year's line ``stored`` has
    it, in these capitals and spaces or others (commissioning.csv finds a line by it)."""
    how = differs_only_in(reference, stored)
    if not how:
        return f"Line {reference} already exists in {year}: choose another reference."
    return (
        f"Line {stored} already exists in {year}, and {reference} differs from it only in "
        f"{how}: choose another reference."
    )


@dataclass(frozen=True)
class CommissioningPlan:
    """A partnership's commissioning in one financial year: its funding streams and lines.
    Not a table of its own (the year's page is the plan); what every page calls it."""

    partnership: Partnership
    financial_year: int

    @property
    def year_label(self) -> str:
        """The financial year as the partnership labels it ("2024" for a calendar year)."""
        return periods.fy_label(self.financial_year, self.partnership.fy_start_month)

    @property
    def title(self) -> str:
        """Its one name, on its page and in links, breadcrumbs and reports: "Commissioning
        plan 2017/18"."""
        return f"Commissioning plan {self.year_label}"

    def get_absolute_url(self) -> str:
        return reverse("commissioning:plan", args=[self.partnership.slug, self.financial_year])

    @property
    def crumb(self) -> Crumb:
        return Crumb(self.title, self.get_absolute_url(), self.partnership.crumb)


class FundingStream(KeepsNameKey, models.Model):
    """Money a partnership has to commission with in one financial year (e.g. the PCC grant)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="funding_streams"
    )
    financial_year = models.PositiveSmallIntegerField(help_text="Start year: 2017 is 2017/18.")
    source = models.CharField(
        max_length=200, help_text='For example "Police and Crime Commissioner grant".'
    )
    # The source in any capitals and spaces (`name_key`), set by save.
    source_key = models.TextField(editable=False)
    amount = models.DecimalField("amount (£)", **MONEY)
    # How the money is given out and watched (REPORT_CHECKLIST 22): the report prints them.
    allocated_by = models.CharField(
        "allocated by",
        max_length=200,
        blank=True,
        help_text='Who decides what it pays for, for example "Partnership board".',
    )
    criteria = models.TextField("allocation criteria", blank=True)
    monitoring = models.TextField(
        blank=True, help_text="How spending and delivery are monitored, and how often."
    )
    version = models.PositiveIntegerField(default=1)

    name_fields = ("source", "source_key")

    class Meta:
        ordering = ["partnership__name", "financial_year", "source"]
        constraints = [
            # The imports find a stream by its source in any capitals and spaces: clean()
            # refuses a second, naming the stream that has it; the database refuses it too,
            # which stops a race (`KeepsNameKey`).
            models.UniqueConstraint(
                fields=["partnership", "financial_year", "source_key"],
                name="unique_funding_stream_source_key",
                violation_error_code="duplicate_source",
                violation_error_message="There is already a funding stream from this source "
                "in this year.",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.year_label}"

    @property
    def year_label(self) -> str:
        """The financial year as the partnership labels it ("2024" for a calendar year)."""
        return periods.fy_label(self.financial_year, self.partnership.fy_start_month)

    @property
    def plan(self) -> CommissioningPlan:
        return CommissioningPlan(self.partnership, self.financial_year)

    def name_taken(self) -> dict[str, str]:
        """{"source": why} if another stream of the year has the source in any capitals
        and spaces, else {}."""
        stored = namesake(self)
        if stored is None:
            return {}
        return {"source": source_taken(self.source, stored, self.year_label)}

    def clean(self) -> None:
        """A stream's source names one of its year (`name_taken`); a stream that pays for
        lines keeps its partnership and year, however it is changed (form, import, admin):
        its lines are paid from a stream of theirs."""
        errors = self.name_taken()
        stored = (
            FundingStream.objects.select_related("partnership").filter(pk=self.pk).first()
            if self.pk
            else None
        )
        if stored is None:
            field = None
        elif stored.partnership_id != self.partnership_id:
            field, problem = "partnership", stream_kept(f"of {stored.partnership}", "partnership")
        elif stored.financial_year != self.financial_year:
            field, problem = "financial_year", stream_kept(f"in {stored.year_label}", "year")
        else:
            field = None
        if field is not None and stored.lines.exists():
            errors[field] = problem
        if errors:
            raise ValidationError(errors)


def stream_kept(lines: str, what: str) -> str:
    """Why a stream with lines keeps its partnership or year."""
    return (
        f"This stream pays for commissioning lines {lines}: keep its {what}, or add a stream "
        f"for the other {what}."
    )


class CommissioningLine(KeepsNameKey, models.Model):
    """One thing the partnership commissions in a year, and what a stream puts towards it."""

    class Contribution(models.TextChoices):
        AMOUNT = "amount", "An amount"
        TBC = "tbc", "To be confirmed"
        AWAITING = "awaiting", "Awaiting confirmation"
        # Paid for outside the partnership's recorded streams (no funding stream).
        NONE = "", "No contribution from a funding stream"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        COMMISSIONED = "commissioned", "Commissioned"
        ENDED = "ended", "Ended"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="commissioning_lines"
    )
    financial_year = models.PositiveSmallIntegerField(help_text="Start year: 2017 is 2017/18.")
    reference = models.CharField(max_length=30, help_text="Unique in a partnership's year.")
    # The reference in any capitals and spaces (`name_key`), set by save.
    reference_key = models.TextField(editable=False)
    area_of_need = models.TextField()
    recommendation = models.TextField(blank=True)
    theme_group = models.ForeignKey(
        ThemeGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commissioning_lines",
    )
    provider = models.CharField(max_length=200, blank=True)
    funding_stream = models.ForeignKey(
        FundingStream,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
    )
    contribution_status = models.CharField(
        max_length=10, choices=Contribution.choices, blank=True, default=Contribution.AMOUNT
    )
    contribution = models.DecimalField("contribution (£)", null=True, blank=True, **MONEY)
    total_budget = models.DecimalField(
        "total budget (£)",
        null=True,
        blank=True,
        help_text="The line's whole cost, which other funders may share.",
        **MONEY,
    )
    start = models.DateField("contract start", null=True, blank=True)
    end = models.DateField("contract end", null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.PROPOSED)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="commissioning_lines")
    # What the funded work achieved, in words (REPORT_CHECKLIST 22); outputs are counted
    # in progress updates.
    outcomes = models.TextField("outcomes", blank=True)
    # Bumped on every change so a form opened earlier can detect a concurrent edit.
    version = models.PositiveIntegerField(default=1)

    name_fields = ("reference", "reference_key")

    class Meta:
        ordering = ["partnership__name", "financial_year", "reference"]
        constraints = [
            # commissioning.csv finds a line by its reference in any capitals and spaces:
            # clean() refuses a second, naming the line that has it; the database refuses
            # it too, which stops a race (`KeepsNameKey`).
            models.UniqueConstraint(
                fields=["partnership", "financial_year", "reference_key"],
                name="unique_commissioning_reference_key",
                violation_error_code="duplicate_reference",
                violation_error_message="A line with this reference already exists in this year.",
            ),
            models.CheckConstraint(
                condition=(Q(contribution_status="amount") & Q(contribution__isnull=False))
                | (~Q(contribution_status="amount") & Q(contribution__isnull=True)),
                name="contribution_amount_only_when_amount",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.year_label}"

    def get_absolute_url(self) -> str:
        return reverse("commissioning:line", args=[self.partnership.slug, self.pk])

    @property
    def heading(self) -> str:
        """Its page's heading: the reference and the provider ("CI 01: Victim Support")."""
        return f"{self.reference}: {self.provider}" if self.provider else self.reference

    @property
    def crumb(self) -> Crumb:
        return Crumb(self.heading, self.get_absolute_url(), self.plan.crumb)

    @property
    def year_label(self) -> str:
        """The financial year as the partnership labels it ("2024" for a calendar year)."""
        return periods.fy_label(self.financial_year, self.partnership.fy_start_month)

    @property
    def plan(self) -> CommissioningPlan:
        return CommissioningPlan(self.partnership, self.financial_year)

    def name_taken(self) -> dict[str, str]:
        """{"reference": why} if another line of the year has the reference in any
        capitals and spaces, else {}."""
        stored = namesake(self)
        if stored is None:
            return {}
        return {"reference": reference_taken(self.reference, stored, self.year_label)}

    def clean(self) -> None:
        """The rules a line keeps however it is written (form, import, admin)."""
        errors = self.name_taken()
        stream = self.funding_stream
        if stream is not None and (
            stream.partnership_id != self.partnership_id
            or stream.financial_year != self.financial_year
        ):
            errors["funding_stream"] = (
                f"Choose a funding stream of this partnership for {self.year_label}."
            )
        if stream is None and self.contribution_status:
            errors["contribution_status"] = (
                "Choose a funding stream, or say there is no contribution from one."
            )
        if stream is not None and not self.contribution_status:
            errors["contribution_status"] = (
                "Say what the funding stream contributes: an amount, to be confirmed, "
                "or awaiting confirmation."
            )
        if self.contribution_status == self.Contribution.AMOUNT and self.contribution is None:
            errors["contribution"] = "Enter the contribution in pounds."
        if self.contribution_status != self.Contribution.AMOUNT and self.contribution is not None:
            errors["contribution"] = "Leave the contribution blank when it is not yet confirmed."
        if (
            self.contribution is not None
            and self.total_budget is not None
            and self.contribution > self.total_budget
        ):
            errors["contribution"] = "The contribution cannot be more than the line's total budget."
        if self.theme_group is not None and self.theme_group.partnership_id != self.partnership_id:
            errors["theme_group"] = "Choose a theme group of this partnership."
        if self.start and self.end and self.end < self.start:
            errors["end"] = "The contract must end on or after the day it starts."
        errors.update(self._contract_dates_problems())
        if errors:
            raise ValidationError(errors)

    def _contract_dates_problems(self) -> dict[str, str]:
        """The contract dates outside `contract_range` of the line's year, and why."""
        if self.financial_year is None or not (self.start or self.end):
            return {}
        start_month = self.partnership.fy_start_month
        first, last = contract_range(self.financial_year, start_month)
        return {
            name: (
                f"The contract {name} must be between {day_label(first)} and "
                f"{day_label(last)}, within {CONTRACT_YEARS} years of the line's year "
                f"{periods.fy_label(self.financial_year, start_month)}."
            )
            for name in ("start", "end")
            if getattr(self, name) and not first <= getattr(self, name) <= last
        }


class ProgressUpdate(models.Model):
    """A dated report on a line (a service level agreement update), with its outputs."""

    line = models.ForeignKey(CommissioningLine, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    text = models.TextField("update")
    reported_by = models.CharField(
        max_length=200, blank=True, help_text="Who gave the update, for example the provider."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["line", "-date", "-pk"]
        indexes = [models.Index(fields=["line", "-date"])]

    def __str__(self) -> str:
        return f"{self.line.reference} update {day_label(self.date)}"

    def clean(self) -> None:
        """An update reports on the line's year: not dated before the year starts, nor
        before the contract starts where that is earlier (a typo such as 2001)."""
        if self.date is None or self.line_id is None:
            return
        line = self.line
        earliest = periods.fy_start(line.financial_year, line.partnership.fy_start_month)
        when = (
            f"when {periods.fy_label(line.financial_year, line.partnership.fy_start_month)} starts"
        )
        if line.start and line.start < earliest:
            earliest, when = line.start, "when the line's contract starts"
        if self.date < earliest:
            raise ValidationError(
                {
                    "date": f"The date of the update must be on or after "
                    f"{day_label(earliest)}, {when}."
                }
            )


def output_key(label: str) -> str:
    """What makes two outputs the same: their names, ignoring case and spaces around and
    between words ("Clients  supported" is "clients supported")."""
    return " ".join(label.split()).casefold()


class ProgressOutput(models.Model):
    """One output reported in an update: a label and a number (clients supported: 23)."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="outputs")
    label = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["update", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


class CommissioningChange(ChangeRecord):
    """One change to a stream, a line or an update."""

    class Subject(models.TextChoices):
        STREAM = "stream", "Funding stream"
        LINE = "line", "Commissioning line"
        UPDATE = "update", "Progress update"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="commissioning_changes"
    )
    subject = models.CharField(max_length=10, choices=Subject.choices)
