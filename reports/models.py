"""Scrutiny-panel update reports: an editable draft and its frozen published versions."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from csp_portal.core.breadcrumbs import Crumb, section
from csp_portal.core.models import Meeting, Partnership, ThemeGroup
from csp_portal.core.text import joined
from indicators import periods

# The generated sections, in their default order.
SECTION_KEYS = (
    "key_findings",
    "successes",
    "performance",
    "actions",
    "commissioning",
    "risks",
    "definitions",
)
SECTION_TITLES = {
    "key_findings": "Key findings",
    "successes": "Priorities: successes, risks and focus",
    "performance": "Performance",
    "actions": "Action plan",
    "commissioning": "Commissioning",
    "risks": "Risks, issues and recommendations",
    "definitions": "Definitions",
}
# The sections an overview can print: it sets its partnerships side by side, each with its
# own headline figures and news, so the others (a partnership's own) have nothing in it.
OVERVIEW_SECTION_KEYS = ("definitions",)
# The implications a council report template asks for, each with an officer's sign-off.
IMPLICATION_KEYS = (
    ("financial", "Financial"),
    ("legal", "Legal"),
    ("equality", "Equality"),
    ("risk", "Risk"),
    ("crime_disorder", "Crime and disorder"),
    ("data_protection", "Data protection"),
)


def default_sections() -> list[dict]:
    return [{"key": key, "shown": True} for key in SECTION_KEYS]


# Schedule 12A to the Local Government Act 1972: paragraphs 1 to 7 in England, 12 to 18
# in Wales.
SCHEDULE_12A = frozenset(range(1, 8)) | frozenset(range(12, 19))


def schedule_12a_paragraphs(text: str) -> str:
    """ "3" or "3 and 4" from what an editor typed ("para 3", "3, 4"); ValidationError if
    it names no paragraph of Schedule 12A."""
    # The numbers of the Schedule ("12A") and the Act ("1972") are no paragraphs.
    named = re.sub(r"\b12\s*A\b|\b1972\b", " ", text, flags=re.IGNORECASE)
    numbers = [int(n) for n in re.findall(r"\d+", named)]
    if not numbers or any(n not in SCHEDULE_12A for n in numbers):
        raise ValidationError(
            {
                "exempt_paragraph": "Give the paragraph of Schedule 12A by its number: 1 to 7 "
                "in England, 12 to 18 in Wales"
            }
        )
    return joined(sorted(set(numbers)))


NO_WARDS = frozenset({"n/a", "na", "none", "nil", "tbc", "-"})


def wards_affected(text: str) -> str:
    """ "All", or the wards by name, one comma between each."""
    names = [name.strip() for name in re.split(r"[,;\n]+", text or "") if name.strip()]
    if not names or not all(re.search(r"[^\W\d_]", name) for name in names):
        raise ValidationError({"wards": 'Enter "All", or the wards affected by name'})
    if any(name.casefold() in NO_WARDS for name in names):
        raise ValidationError(
            {"wards": 'Enter "All", or the wards affected by name (not "none" or "N/A")'}
        )
    if any(name.casefold() in ("all", "all wards") for name in names):
        if len(names) > 1:
            raise ValidationError(
                {"wards": 'Enter "All" on its own, or the wards affected by name'}
            )
        return "All"
    return ", ".join(names)


def other_terms(text: str) -> list[dict]:
    """The terms an editor explains for the glossary, one "TERM: meaning" a line (blank
    lines skipped); ValidationError naming the first line that is not in that form."""
    terms = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        term, colon, meaning = line.partition(":")
        if not (colon and term.strip() and meaning.strip()):
            raise ValidationError(
                {
                    "other_terms": f'Line {number} ("{line.strip()}") is not a term and its '
                    'meaning: write one a line, as "CCG: clinical commissioning group"'
                }
            )
        terms.append({"term": " ".join(term.split()), "meaning": " ".join(meaning.split())})
    return terms


class Report(models.Model):
    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", "Partnership or theme group update"
        OVERVIEW = "overview", "Overview of several partnerships"

    class Purpose(models.TextChoices):
        DECISION = "decision", "Decision"
        DISCUSSION = "discussion", "Discussion"
        NOTING = "noting", "Noting"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PARTNERSHIP)
    theme_group = models.ForeignKey(
        ThemeGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    # An overview report also covers these partnerships (seed 004).
    covers = models.ManyToManyField(Partnership, blank=True, related_name="overview_reports")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    meeting_kind = models.CharField(max_length=20, choices=Meeting.Kind.choices, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    period = models.DateField(help_text="The month figures run to (first of the month).")

    # Cover sheet.
    title = models.CharField(max_length=200)
    report_of = models.CharField("report of", max_length=200, blank=True)
    contact_officer = models.CharField(max_length=200, blank=True)
    # Where readers write about the report, or for it in another format.
    contact_email = models.EmailField(blank=True)
    coordinator = models.CharField(max_length=200, blank=True)
    priority = models.CharField("priority or objective", max_length=300, blank=True)
    wards = models.CharField("wards affected", max_length=500, default="All")
    exempt = models.BooleanField(default=False)
    exempt_paragraph = models.CharField("Schedule 12A paragraph", max_length=200, blank=True)
    executive_summary = models.TextField(blank=True)
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.NOTING)
    recommendations = models.TextField(default="To note the update")
    implications = models.JSONField(default=dict, blank=True)
    background_papers = models.TextField(blank=True)
    # Abbreviations and terms the editor explains, printed in the glossary ("TERM: meaning").
    other_terms = models.TextField(blank=True)

    # What the editor adds to the generated sections.
    sections = models.JSONField(default=default_sections)
    successes = models.JSONField(default=dict, blank=True)  # theme group name ("" whole) -> text
    # The focus for next quarter of each priority (theme group name, "" whole) -> text.
    focus = models.JSONField("focus for next quarter", default=dict, blank=True)
    editor_comments = models.JSONField(default=dict, blank=True)  # indicator pk -> text
    risks = models.TextField(blank=True)
    issues_for_others = models.TextField("issues for other theme groups", blank=True)
    scrutiny_recommendations = models.TextField(
        "open scrutiny recommendations and responses", blank=True
    )
    # Overview reports: national developments, then news per covered partnership (pk -> text).
    introduction = models.TextField(blank=True)
    news = models.JSONField(default=dict, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({periods.month_label(self.period)})"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.partnership.slug, self.pk])

    @property
    def crumb(self) -> Crumb:
        return Crumb(self.title, self.get_absolute_url(), section(self.partnership, "reports:list"))

    def clean(self) -> None:
        if self.period and self.period.day != 1:
            raise ValidationError({"period": "The period is a month: use its first day."})
        this_month = timezone.localdate().replace(day=1)
        if self.period and self.period > this_month:
            raise ValidationError(
                {
                    "period": f"{periods.month_label(self.period)} has not started yet: "
                    "figures can run to this month at the latest"
                }
            )
        if self.theme_group_id and self.theme_group.partnership_id != self.partnership_id:
            raise ValidationError({"theme_group": "Choose a theme group of this partnership."})
        if self.meeting_id and self.meeting.partnership_id != self.partnership_id:
            raise ValidationError({"meeting": "Choose a meeting of this partnership."})
        if not self.meeting_id and not (self.meeting_kind and self.meeting_date):
            raise ValidationError(
                {"meeting": "Choose a meeting, or give the kind of meeting and its date."}
            )
        if self.meeting_id and (self.meeting_kind or self.meeting_date):
            # Both given: the typed kind and date would be kept, and the listed one shown.
            raise ValidationError(
                {
                    "meeting": "Choose a listed meeting, or give the kind and date of one that "
                    "is not listed, not both"
                }
            )
        meeting_date = self.date_of_meeting
        if self.period and meeting_date and meeting_date < self.period:
            raise ValidationError(
                {
                    "meeting" if self.meeting_id else "meeting_date": (
                        f"The meeting ({meeting_date.day} {meeting_date:%B %Y}) is before "
                        f"the figures' month ({periods.month_label(self.period)}): choose "
                        "the meeting the report goes to"
                    )
                }
            )
        if self.exempt and not self.exempt_paragraph.strip():
            raise ValidationError(
                {"exempt_paragraph": "Give the Schedule 12A paragraph that makes it exempt."}
            )
        if self.exempt:
            self.exempt_paragraph = schedule_12a_paragraphs(self.exempt_paragraph)
        self.wards = wards_affected(self.wards)
        other_terms(self.other_terms)
        keys = [s.get("key") for s in self.sections or []]
        if sorted(keys) != sorted(SECTION_KEYS):
            raise ValidationError({"sections": "Every section must be listed once."})
        # A sign-off vouches for an assessment (the form says so on its field; this holds
        # for two editors' changes merged, one taking the text away, one signing it off).
        for key, label in IMPLICATION_KEYS:
            given = (self.implications or {}).get(key) or {}
            officer = (given.get("officer") or "").strip()
            if officer and not (given.get("text") or "").strip():
                raise ValidationError(
                    {
                        "implications": f"Enter the {label.lower()} implications that "
                        f"{officer} signed off, or remove the sign-off"
                    }
                )

    @property
    def meeting_label(self) -> str:
        if self.meeting_id:
            return self.meeting.title
        return Meeting.Kind(self.meeting_kind).label if self.meeting_kind else ""

    @property
    def kind_of_meeting(self) -> str:
        return self.meeting.kind if self.meeting_id else self.meeting_kind

    @property
    def date_of_meeting(self):
        return self.meeting.date if self.meeting_id else self.meeting_date

    @property
    def shown_sections(self) -> list[str]:
        return [s["key"] for s in self.sections if s.get("shown")]


class ReportVersion(models.Model):
    """A published report, frozen: what it showed, its HTML and files, never changed."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    # The figures the report shows, by indicator and month, and the contact officer: small,
    # so the page can check for revisions without reading the whole snapshot.
    shown = models.JSONField(default=dict)
    # The indicators it showed: their figures of its months and targets of its year are
    # locked (a change needs a reason and is a revision). An overview's are those of the
    # partnerships it covers that its blocks showed.
    indicator_ids = models.JSONField(null=True, blank=True)
    # Whose figures it showed: its own partnership's, or an overview's covered partnerships
    # with a figure in its blocks (not the one it was filed under, unless it covers it).
    # What a check of one partnership's figures looks its locking versions up by.
    partnerships_shown = models.ManyToManyField(Partnership, blank=True, related_name="+")
    # An overview's: every partnership it covered when published, figures shown or not (its
    # name and news are in it). Its members read the version under it; a later edit of the
    # draft's partnerships reaches the next version only. Empty for a partnership's report.
    covered = models.ManyToManyField(Partnership, blank=True, related_name="+")
    html = models.TextField()
    csv = models.TextField()
    pdf = models.BinaryField(null=True, blank=True)
    docx = models.BinaryField(null=True, blank=True)
    # When making a missing file last failed: downloads wait FILES_RETRY before trying again
    # (services.version_documents_fill), rather than each redoing seconds of work to fail.
    files_failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What names it in lists and on its page, as it was when published: a later edit of the
    # draft (its title, its meeting, whether it is exempt) reaches the next version only.
    title = models.CharField(max_length=200, blank=True)
    exempt = models.BooleanField(default=False)
    meeting_label = models.CharField(max_length=200, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField()
    # Why it was published again (blank for a first version): printed with its version line
    # on its page and in its PDF and Word files, so a reader can tell what changed.
    reason = models.CharField("reason for this version", max_length=200, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    timings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} version {self.number}"
