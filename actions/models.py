"""Action plans (objectives, actions and their dated updates), risks, cross-theme issues
and the scrutiny panel's recommendations."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from csp_portal.core.breadcrumbs import Crumb, section
from csp_portal.core.models import (
    ChangeRecord,
    KeepsNameKey,
    Meeting,
    Membership,
    Partnership,
    ThemeGroup,
)
from csp_portal.core.text import shortened
from indicators import periods
from indicators.models import Indicator

from . import rules

# An action due further beyond its plan's year than this is a typo (2099 for 2019).
DUE_YEARS_AFTER = 5


def namesake(
    model: type[models.Model], field: str, value: str, *, partnership_id: int, pk: int | None
) -> str | None:
    """The ``field`` of another row of the partnership that ``value`` would be taken for (a
    plan's title, a risk's or recommendation's reference): the same in any capitals and
    spaces (`rules.unique_key`, kept in the row's ``<field>_key``), the first made; or None."""
    if not partnership_id or not value:
        return None
    others = model.objects.filter(
        partnership_id=partnership_id, **{f"{field}_key": rules.unique_key(value)}
    ).exclude(pk=pk)
    return others.order_by("pk").values_list(field, flat=True).first()


def latest_due(financial_year: int, start_month: int) -> datetime.date:
    """The last due date an action of a plan for this year may have."""
    return periods.fy_start(financial_year + DUE_YEARS_AFTER + 1, start_month) - datetime.timedelta(
        days=1
    )


class Status(models.TextChoices):
    """An action's status: the partnership's RAG legend says what each colour means."""

    NOT_STARTED = rules.NOT_STARTED, "Not started"
    RED = rules.RED, "Red"
    AMBER = rules.AMBER, "Amber"
    GREEN = rules.GREEN, "Green"


class ActionPlan(KeepsNameKey, models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="action_plans"
    )
    theme_group = models.ForeignKey(
        ThemeGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_plans"
    )
    title = models.CharField(max_length=200)
    # The title in any capitals and spaces (`rules.unique_key`), set by save.
    title_key = models.TextField(editable=False)
    financial_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(periods.MIN_YEAR), MaxValueValidator(periods.MAX_YEAR)],
        help_text="Start year: 2006 is 2006/07.",
    )

    name_fields = ("title", "title_key")

    class Meta:
        ordering = ["partnership__name", "-financial_year", "title"]
        constraints = [
            # Two titles differing only in capitals or spaces would be one plan to an
            # import: clean() refuses them, naming the plan that has it; the database
            # refuses them too, which stops a race (`KeepsNameKey`).
            models.UniqueConstraint(
                fields=["partnership", "title_key"],
                name="unique_action_plan_title_key",
                violation_error_message="This partnership already has a plan with this title.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year_label})"

    def get_absolute_url(self) -> str:
        return reverse("actions:plan", args=[self.partnership.slug, self.pk])

    @property
    def crumb(self) -> Crumb:
        plans = section(self.partnership, "actions:plans")
        return Crumb(self.title, self.get_absolute_url(), plans)

    @property
    def year_label(self) -> str:
        return periods.fy_label(self.financial_year, self.partnership.fy_start_month)

    def clean(self) -> None:
        errors = {}
        if self.theme_group_id and self.theme_group.partnership_id != self.partnership_id:
            errors["theme_group"] = "Choose a theme group of this partnership."
        stored = namesake(
            ActionPlan, "title", self.title, partnership_id=self.partnership_id, pk=self.pk
        )
        if stored is not None:
            errors["title"] = rules.plan_title_taken(self.partnership.name, self.title, stored)
        if errors:
            raise ValidationError(errors)


class Objective(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_objective_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Action(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    reference = models.CharField(max_length=20, help_text='For example "2.3".')
    description = models.TextField("action")
    outcome = models.TextField("outcome needed", blank=True)
    lead_member = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lead (member)",
    )
    lead_text = models.CharField(
        "lead (name or organisation)",
        max_length=200,
        blank=True,
        help_text='For a lead who is not a member, such as "Hampshire Constabulary".',
    )
    due = models.DateField("due date", null=True, blank=True)
    when = models.CharField(
        max_length=200, blank=True, help_text='Free text such as "Quarterly" or "Ongoing".'
    )
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="actions")
    closed = models.BooleanField(default=False)
    # When it was closed (set by save): a report tells an action closed since the last
    # report was published from one closed before it.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The latest update's status, text and date, kept by services.action_update_add so the
    # plan page filters and counts without reading the history.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    latest_update = models.TextField(blank=True)
    updated_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The members who may be made an action's lead: no panel member (the panel scrutinises
    # the plan), with an active account. A lead who has since joined the panel or left
    # stays the action's lead as it is changed (`clean`, selectors.members_for).
    MAY_LEAD = models.Q(user__is_active=True) & ~models.Q(role=Membership.Role.PANEL_MEMBER)

    class Meta:
        ordering = ["plan", "objective__number", "reference", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="unique_action_reference")
        ]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {shortened(self.description)}"

    def save(self, *args, **kwargs) -> None:
        if not self.closed:
            self.closed_at = None
        elif self.closed_at is None:
            self.closed_at = timezone.now()
        fields = kwargs.get("update_fields")
        if fields is not None and "closed" in fields:
            kwargs["update_fields"] = {*fields, "closed_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("actions:action", args=[self.plan.partnership.slug, self.pk])

    @property
    def crumb(self) -> Crumb:
        # "Action 1.1", as its page's title names it (its heading is its whole text).
        return Crumb(f"Action {self.reference}", self.get_absolute_url(), self.plan.crumb)

    @property
    def lead(self) -> str:
        if self.lead_member_id:
            user = self.lead_member.user
            return user.get_full_name() or user.get_username()
        return self.lead_text

    def may_be_led_by(self, membership_id: int) -> bool:
        """Whether the membership may be this action's lead: one who may lead (`MAY_LEAD`),
        or its lead already, as stored."""
        if Membership.objects.filter(self.MAY_LEAD, pk=membership_id).exists():
            return True
        return (
            self.pk is not None
            and Action.objects.filter(pk=self.pk, lead_member_id=membership_id).exists()
        )

    def clean(self) -> None:
        errors = {}
        if self.objective_id and self.plan_id and self.objective.plan_id != self.plan_id:
            errors["objective"] = "Choose an objective of this action plan."
        if self.lead_member_id and self.lead_member.partnership_id != self.plan.partnership_id:
            errors["lead_member"] = "Choose a member of this partnership."
        elif self.lead_member_id and not self.may_be_led_by(self.lead_member_id):
            errors["lead_member"] = rules.LEAD_MAY_NOT_LEAD
        if self.lead_member_id and self.lead_text.strip():
            errors["lead_text"] = rules.LEAD_NOT_BOTH
        if self.due and self.plan_id:
            start_month = self.plan.partnership.fy_start_month
            start = periods.fy_start(self.plan.financial_year, start_month)
            latest = latest_due(self.plan.financial_year, start_month)
            if self.due < start:
                errors["due"] = (
                    f"The due date must be on or after {start.day} {start:%B %Y}, "
                    f"when the plan's financial year {self.plan.year_label} starts."
                )
            elif self.due > latest:
                errors["due"] = (
                    f"The due date must be on or before {latest.day} {latest:%B %Y}, "
                    f"{DUE_YEARS_AFTER} years after the plan's financial year "
                    f"{self.plan.year_label} ends."
                )
        if self.status not in rules.legend_statuses(self.plan.partnership.rag_legend):
            errors["status"] = "Choose a status from the partnership's legend."
        if errors:
            raise ValidationError(errors)


class ActionUpdate(models.Model):
    """One dated, attributed update: the action's status as at that date and what was done.

    A closing or reopening (kind closed or reopened) joins the history to say who did it
    and when; it carries the status the action had, and never sets or changes it.
    """

    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(help_text="The date the update describes.")
    status = models.CharField(max_length=12, choices=Status.choices)
    text = models.TextField("update and further actions", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=30, default="form")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at", "-pk"]
        indexes = [models.Index(fields=["action", "date"])]

    def __str__(self) -> str:
        return f"{self.action.reference} {self.date}: {self.get_status_display()}"

    def clean(self) -> None:
        # A future update would stay the latest, and so the action's status, for good.
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "The date of the update cannot be in the future."})


class OpenClosed(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Risk(KeepsNameKey, models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    reference = models.CharField(max_length=20)
    # The reference in any capitals and spaces (`rules.unique_key`), set by save.
    reference_key = models.TextField(editable=False)
    theme_group = models.ForeignKey(
        ThemeGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="risks"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    likelihood = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1 (rare) to 5."
    )
    impact = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1 (minor) to 5."
    )
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=6, choices=OpenClosed.choices, default=OpenClosed.OPEN)
    review_date = models.DateField(null=True, blank=True)

    name_fields = ("reference", "reference_key")

    class Meta:
        ordering = ["partnership__name", "reference"]
        constraints = [
            # risks.csv finds a risk by its reference in any capitals and spaces (as
            # clean() refuses, and the database: `KeepsNameKey`).
            models.UniqueConstraint(
                fields=["partnership", "reference_key"],
                name="unique_risk_reference_key",
                violation_error_message="This partnership already has a risk with this reference.",
            ),
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5)
                & models.Q(impact__gte=1, impact__lte=5),
                name="risk_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {shortened(self.description)}"

    @property
    def score(self) -> int:
        return rules.risk_score(self.likelihood, self.impact)

    @property
    def band(self) -> str:
        return rules.risk_band(self.score)

    def review_overdue_at(self, as_at: datetime.date) -> bool:
        """Whether the review date had passed by ``as_at`` while the risk was open."""
        return rules.is_past_due(self.review_date, as_at, closed=self.status != OpenClosed.OPEN)

    @property
    def review_overdue(self) -> bool:
        """Overdue for review today (the live pages)."""
        return self.review_overdue_at(timezone.localdate())

    def clean(self) -> None:
        errors = {}
        if self.theme_group_id and self.theme_group.partnership_id != self.partnership_id:
            errors["theme_group"] = "Choose a theme group of this partnership."
        stored = namesake(
            Risk, "reference", self.reference, partnership_id=self.partnership_id, pk=self.pk
        )
        if stored is not None:
            errors["reference"] = rules.reference_taken("Risk", self.reference, stored)
        if self.review_date:
            problem = rules.review_date_problem(self.review_date, timezone.localdate())
            if problem:
                errors["review_date"] = problem
        if errors:
            raise ValidationError(errors)


class CrossThemeIssue(models.Model):
    """An issue one theme group raises that will affect other theme groups (seeds 000, 001)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="cross_theme_issues"
    )
    raised_by = models.ForeignKey(
        ThemeGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues_raised"
    )
    affects = models.ManyToManyField(ThemeGroup, blank=True, related_name="issues_affecting")
    title = models.CharField(max_length=200)
    issue = models.TextField()
    ask = models.TextField("what is asked of them", blank=True)
    status = models.CharField(max_length=6, choices=OpenClosed.choices, default=OpenClosed.OPEN)
    raised_on = models.DateField(null=True, blank=True)

    class Meta:
        # Latest first; those with no date last on every database, as SQLite has them.
        ordering = [
            "partnership__name",
            models.F("raised_on").desc(nulls_last=True),
            "title",
        ]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "title"], name="unique_cross_theme")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.raised_by_id and self.raised_by.partnership_id != self.partnership_id:
            errors["raised_by"] = "Choose a theme group of this partnership."
        if self.raised_on and self.raised_on > timezone.localdate():
            errors["raised_on"] = "The date raised cannot be in the future."
        if errors:
            raise ValidationError(errors)


class Recommendation(KeepsNameKey, models.Model):
    """What a scrutiny panel recommended at a meeting, to whom, and what became of it."""

    class Status(models.TextChoices):
        AWAITING = "awaiting_response", "Awaiting response"
        ACCEPTED = "accepted", "Accepted"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        REJECTED = "rejected", "Rejected"

    # Still to follow up at the next meeting.
    OPEN = frozenset({Status.AWAITING, Status.ACCEPTED, Status.IN_PROGRESS})

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="recommendations"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="recommendations"
    )
    meeting_date = models.DateField()
    reference = models.CharField(max_length=20)
    # The reference in any capitals and spaces (`rules.unique_key`), set by save.
    reference_key = models.TextField(editable=False)
    recommendation = models.TextField()
    assigned_to = models.CharField("to whom", max_length=200)
    response = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    due = models.DateField("due date", null=True, blank=True)

    name_fields = ("reference", "reference_key")

    class Meta:
        ordering = ["partnership__name", "-meeting_date", "reference"]
        constraints = [
            # recommendations.csv finds a recommendation by its reference in any capitals
            # and spaces (as clean() refuses, and the database: `KeepsNameKey`).
            models.UniqueConstraint(
                fields=["partnership", "reference_key"],
                name="unique_recommendation_reference_key",
                violation_error_message=(
                    "This partnership already has a recommendation with this reference."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {shortened(self.recommendation)}"

    # A recommendation may be linked to any meeting of its partnership (`clean`: the admin
    # may link a board meeting). The site's form offers, and recommendations.csv finds by
    # the meeting date, a meeting of these kinds, where recommendations are made; both keep
    # the meeting a recommendation has, whatever its kind, while its meeting date is that
    # meeting's (`meetings_offered`, `meeting_on`).
    MEETING_KINDS = (Meeting.Kind.SCRUTINY_PANEL,)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def meetings_offered(self, meetings: models.QuerySet[Meeting]) -> models.QuerySet[Meeting]:
        """Of ``meetings`` (its partnership's), those it may be given on its page: a scrutiny
        panel's (`MEETING_KINDS`), and the one it has."""
        return meetings.filter(models.Q(kind__in=self.MEETING_KINDS) | models.Q(pk=self.meeting_id))

    def meeting_on(self, date: datetime.date, found: Meeting | None) -> Meeting | None:
        """Its meeting when its meeting date is ``date``: the one it has while that is on the
        date, else ``found``, the scrutiny panel's meeting of that day (`MEETING_KINDS`)."""
        if self.meeting_id and self.meeting.date == date:
            return self.meeting
        return found

    def overdue_at(self, as_at: datetime.date) -> bool:
        """Whether the due date had passed by ``as_at`` while it was still open."""
        return rules.is_past_due(self.due, as_at, closed=not self.is_open)

    @property
    def overdue(self) -> bool:
        """Overdue today (the live pages)."""
        return self.overdue_at(timezone.localdate())

    def clean(self) -> None:
        errors = {}
        stored = namesake(
            Recommendation,
            "reference",
            self.reference,
            partnership_id=self.partnership_id,
            pk=self.pk,
        )
        if stored is not None:
            errors["reference"] = rules.reference_taken("Recommendation", self.reference, stored)
        if self.meeting_id and self.meeting.partnership_id != self.partnership_id:
            errors["meeting"] = "Choose a meeting of this partnership."
        elif self.meeting_id and self.meeting_date and self.meeting.date != self.meeting_date:
            # recommendations.csv finds the meeting by its date: another date loses it.
            errors["meeting_date"] = (
                "The meeting date must be the date of the meeting chosen "
                f"({self.meeting.date.day} {self.meeting.date:%B %Y})."
            )
        if self.meeting_date:
            problem = rules.meeting_date_problem(self.meeting_date, timezone.localdate())
            if problem:
                errors.setdefault("meeting_date", problem)
        if self.due and self.meeting_date:
            problem = rules.recommendation_due_problem(self.due, self.meeting_date)
            if problem:
                errors["due"] = problem
        if errors:
            raise ValidationError(errors)


class ActionsChange(ChangeRecord):
    """One change to a plan, objective, action, risk, cross-theme issue or recommendation
    (as commissioning.CommissioningChange). An action's status has its own history, its
    updates."""

    class Subject(models.TextChoices):
        PLAN = "plan", "Action plan"
        OBJECTIVE = "objective", "Objective"
        ACTION = "action", "Action"
        RISK = "risk", "Risk"
        ISSUE = "issue", "Cross-theme issue"
        RECOMMENDATION = "recommendation", "Recommendation"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="actions_changes"
    )
    subject = models.CharField(max_length=20, choices=Subject.choices)

    class Meta(ChangeRecord.Meta):
        indexes = [models.Index(fields=["subject", "object_id"])]
