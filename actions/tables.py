"""django-tables2 tables for risks, cross-theme issues and recommendations (sortable,
exported to CSV and Excel with no formulas)."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from csp_portal.core.tables import ExportTable

from . import rules
from .models import CrossThemeIssue, Recommendation, Risk

WIDE = {"td": {"class": "app-col-wide"}}  # long text: keep it readable, let the table scroll
NUMERIC = {
    "td": {"class": "govuk-table__cell--numeric"},
    "th": {"class": "govuk-table__header--numeric"},
}


def _date(value) -> str:
    return value.strftime("%-d %b %Y") if value else "–"


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _change_link(url: str, hidden: str):
    return format_html(
        '<a class="govuk-link" href="{}">Change<span class="govuk-visually-hidden"> {}</span></a>',
        url,
        hidden,
    )


class RiskTable(ExportTable):
    caption = "Risks"
    reference = tables.Column(verbose_name="Ref")
    description = tables.Column(verbose_name="Risk", attrs=WIDE)
    theme_group = tables.Column(
        verbose_name="Theme group", accessor="theme_group__name", default="–"
    )
    owner = tables.Column(verbose_name="Owner", default="–")
    likelihood = tables.Column(verbose_name="Likelihood", attrs=NUMERIC)
    impact = tables.Column(verbose_name="Impact", attrs=NUMERIC)
    score_value = tables.Column(verbose_name="Score", attrs=NUMERIC)
    band = tables.Column(verbose_name="Band", accessor="score_value", order_by="score_value")
    mitigation = tables.Column(verbose_name="Mitigation", default="–", attrs=WIDE)
    status = tables.Column(verbose_name="Status")
    review_date = tables.Column(verbose_name="Review date")
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Risk
        fields = []
        sequence = [
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
            "edit",
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

    def render_review_date(self, value):
        return _date(value)

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
    raised_by = tables.Column(verbose_name="Raised by", accessor="raised_by__name", default="–")
    affects = tables.Column(verbose_name="Affects", empty_values=(), orderable=False)
    issue = tables.Column(verbose_name="Detail", attrs=WIDE)
    ask = tables.Column(verbose_name="What is asked of them", default="–", attrs=WIDE)
    status = tables.Column(verbose_name="Status")
    raised_on = tables.Column(verbose_name="Raised")
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = CrossThemeIssue
        fields = []
        sequence = ["title", "raised_by", "affects", "issue", "ask", "status", "raised_on", "edit"]
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
    reference = tables.Column(verbose_name="Ref")
    meeting_date = tables.Column(verbose_name="Meeting")
    recommendation = tables.Column(verbose_name="Recommendation", attrs=WIDE)
    assigned_to = tables.Column(verbose_name="To")
    response = tables.Column(verbose_name="Response", empty_values=(), attrs=WIDE)
    status = tables.Column(verbose_name="Status")
    due = tables.Column(verbose_name="Due")
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Recommendation
        fields = []
        sequence = [
            "reference",
            "meeting_date",
            "recommendation",
            "assigned_to",
            "response",
            "status",
            "due",
            "edit",
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

    def render_due(self, value):
        return _date(value)

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
