"""django-tables2 tables for risks, cross-theme issues and recommendations (sortable,
exported to CSV and Excel with no formulas).

Every column sorts last by the row's reference (an issue's title), unique in a
partnership: rows that tie would otherwise come in any order the database likes, which
PostgreSQL changes from one page's query to the next (some rows shown on two pages, some
on none). Reversing a column reverses its tie-breaker too, so a column shown latest or
highest first by default declares its tie-breaker descending: the references then read
ascending in the default order.
"""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from csp_portal.core.tables import BlanksFirstColumn, ExportTable

from . import rules
from .models import CrossThemeIssue, OpenClosed, Recommendation, Risk

WIDE = {"td": {"class": "app-col-wide"}}  # long text: keep it readable, let the table scroll
REF = {"td": {"class": "app-col-ref"}}  # a reference, never broken at its hyphen
NUMERIC = {
    "td": {"class": "govuk-table__cell--numeric"},
    "th": {"class": "govuk-table__header--numeric"},
}


def _date(value) -> str:
    return value.strftime("%-d %b %Y") if value else "–"


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _with_overdue(day, still_open: bool, word: str):
    """A date, marked in words (and a tag's colour) once it has passed while still open: a
    recommendation's due date, a risk's review date (the follow-up list marks them so too)."""
    if not rules.date_passed(day, timezone.localdate(), still_open=still_open):
        return _date(day)
    return format_html('{} <strong class="govuk-tag app-overdue">{}</strong>', _date(day), word)


def _change_link(url: str, hidden: str):
    return format_html(
        '<a class="govuk-link" href="{}">Change<span class="govuk-visually-hidden"> {}</span></a>',
        url,
        hidden,
    )


class RiskTable(ExportTable):
    caption = "Risks"
    reference = tables.Column(verbose_name="Ref", attrs=REF)
    description = tables.Column(
        verbose_name="Risk", order_by=("description", "reference"), attrs=WIDE
    )
    theme_group = BlanksFirstColumn(
        verbose_name="Theme group",
        accessor="theme_group__name",
        order_by=("theme_group__name", "reference"),
        default="–",
    )
    owner = tables.Column(verbose_name="Owner", order_by=("owner", "reference"), default="–")
    likelihood = tables.Column(
        verbose_name="Likelihood", order_by=("likelihood", "reference"), attrs=NUMERIC
    )
    impact = tables.Column(verbose_name="Impact", order_by=("impact", "reference"), attrs=NUMERIC)
    # Highest first by default.
    score_value = tables.Column(
        verbose_name="Score", order_by=("score_value", "-reference"), attrs=NUMERIC
    )
    band = tables.Column(
        verbose_name="Band", accessor="score_value", order_by=("score_value", "-reference")
    )
    mitigation = tables.Column(
        verbose_name="Mitigation", order_by=("mitigation", "reference"), default="–", attrs=WIDE
    )
    status = tables.Column(verbose_name="Status", order_by=("status", "reference"))
    review_date = BlanksFirstColumn(
        verbose_name="Review date", order_by=("review_date", "reference")
    )
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Risk
        fields = []
        # The change link first: the table is wider than most screens, and it scrolls.
        sequence = [
            "edit",
            "reference",
            "description",
            "theme_group",
            "owner",
            "likelihood",
            "impact",
            "score_value",
            "band",
            "mitigation",
            "status",
            "review_date",
        ]
        order_by = ("-score_value", "reference")
        empty_text = "No risks match. Clear the filter, or add a risk."

    def __init__(self, *args, slug: str, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.slug = slug
        if not can_edit:
            self.columns.hide("edit")

    def render_band(self, value):
        return render_to_string("actions/_risk_band.html", {"band": rules.risk_band(value)})

    def value_band(self, value):
        return rules.RISK_BAND_WORDS[rules.risk_band(value)]

    def render_status(self, record):
        return render_to_string("actions/_open_closed.html", {"status": record.status})

    def value_status(self, value):
        return value

    def render_review_date(self, record, value):
        return _with_overdue(value, record.status == OpenClosed.OPEN, "Review overdue")

    def value_review_date(self, value):
        return _iso(value)

    def render_edit(self, record):
        url = reverse("actions:risk_edit", args=[self.slug, record.pk])
        return _change_link(url, f"risk {record.reference}")

    def value_reference(self, value):
        return value

    def value_description(self, value):
        return value

    def value_theme_group(self, value):
        return value or ""

    def value_owner(self, value):
        return value or ""

    def value_mitigation(self, value):
        return value or ""


class IssueTable(ExportTable):
    caption = "Issues that will impact on other theme groups"
    title = tables.Column(verbose_name="Issue")
    raised_by = BlanksFirstColumn(
        verbose_name="Raised by",
        accessor="raised_by__name",
        order_by=("raised_by__name", "title"),
        default="–",
    )
    affects = tables.Column(verbose_name="Affects", empty_values=(), orderable=False)
    issue = tables.Column(verbose_name="Detail", order_by=("issue", "title"), attrs=WIDE)
    ask = tables.Column(
        verbose_name="What is asked of them", order_by=("ask", "title"), default="–", attrs=WIDE
    )
    status = tables.Column(verbose_name="Status", order_by=("status", "title"))
    # Latest first by default.
    raised_on = BlanksFirstColumn(verbose_name="Raised", order_by=("raised_on", "-title"))
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = CrossThemeIssue
        fields = []
        # The change link first: the table is wider than most screens, and it scrolls.
        sequence = ["edit", "title", "raised_by", "affects", "issue", "ask", "status", "raised_on"]
        order_by = ("-raised_on", "title")
        empty_text = "No cross-theme issues match. Clear the filter, or add an issue."

    def __init__(self, *args, slug: str, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.slug = slug
        if not can_edit:
            self.columns.hide("edit")

    def _affects(self, record) -> str:
        names = [g.name for g in record.affects.all()]
        return ", ".join(names) if names else "All theme groups"

    def render_affects(self, record):
        return self._affects(record)

    def value_affects(self, record):
        return self._affects(record)

    def render_status(self, record):
        return render_to_string("actions/_open_closed.html", {"status": record.status})

    def value_status(self, value):
        return value

    def render_raised_on(self, value):
        return _date(value)

    def value_raised_on(self, value):
        return _iso(value)

    def render_edit(self, record):
        url = reverse("actions:issue_edit", args=[self.slug, record.pk])
        return _change_link(url, record.title)

    def value_title(self, value):
        return value

    def value_raised_by(self, value):
        return value or ""

    def value_issue(self, value):
        return value

    def value_ask(self, value):
        return value or ""


class RecommendationTable(ExportTable):
    caption = "Scrutiny recommendations"
    reference = tables.Column(verbose_name="Ref", attrs=REF)
    # Latest first by default.
    meeting_date = tables.Column(verbose_name="Meeting", order_by=("meeting_date", "-reference"))
    recommendation = tables.Column(
        verbose_name="Recommendation", order_by=("recommendation", "reference"), attrs=WIDE
    )
    assigned_to = tables.Column(verbose_name="To", order_by=("assigned_to", "reference"))
    response = tables.Column(
        verbose_name="Response",
        order_by=("response", "reference"),
        empty_values=(),
        attrs=WIDE,
    )
    status = tables.Column(verbose_name="Status", order_by=("status", "reference"))
    due = BlanksFirstColumn(verbose_name="Due", order_by=("due", "reference"))
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Recommendation
        fields = []
        # The change link first: the table is wider than most screens, and it scrolls.
        sequence = [
            "edit",
            "reference",
            "meeting_date",
            "recommendation",
            "assigned_to",
            "response",
            "status",
            "due",
        ]
        order_by = ("-meeting_date", "reference")
        empty_text = "No recommendations match. Clear the filter, or add a recommendation."

    def __init__(self, *args, slug: str, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.slug = slug
        if not can_edit:
            self.columns.hide("edit")

    def render_meeting_date(self, value):
        return _date(value)

    def value_meeting_date(self, value):
        return _iso(value)

    def render_due(self, record, value):
        return _with_overdue(value, record.is_open, "Overdue")

    def value_due(self, value):
        return _iso(value)

    def render_response(self, record):
        """The response; without one, awaited only while the recommendation is open."""
        if record.response:
            return record.response
        return "Awaiting response" if record.is_open else "No response recorded"

    def render_status(self, record):
        return render_to_string("actions/_recommendation_status.html", {"r": record})

    def value_status(self, value):
        return value

    def render_edit(self, record):
        url = reverse("actions:recommendation_edit", args=[self.slug, record.pk])
        return _change_link(url, f"recommendation {record.reference}")

    def value_reference(self, value):
        return value

    def value_recommendation(self, value):
        return value

    def value_assigned_to(self, value):
        return value

    def value_response(self, value):
        return value or ""
