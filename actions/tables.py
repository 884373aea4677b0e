"""django-tables2 tables for risks, cross-theme issues and recommendations (sortable,
exported to CSV and Excel with no formulas). Each fits the page: its long text (a
risk's mitigation, an issue's detail and ask, a recommendation's response) is shown
under its row, not in a column (DetailsTable); its downloads keep every column.

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
from django.utils.html import format_html

from csp_portal.core.tables import BlanksFirstColumn, DetailsTable

from . import rules
from .models import CrossThemeIssue, Recommendation, Risk

TEXT = {"td": {"class": "app-col-text"}}  # what a row is about: wraps in a column of its own
LONG = {"td": {"class": "app-table__detail--long"}}  # long text under a row: a line of its own
REF = {"td": {"class": "app-col-ref"}}  # a reference, never broken at its hyphen
NOWRAP = {"td": {"class": "app-nowrap"}}  # a date, or a score and its band, on one line
# A date to act by: on one line, with an "Overdue" tag that wraps under it (never wider).
DUE = {"td": {"class": "app-col-due"}}
EDIT = {"th": {"class": "app-col-edit"}, "td": {"class": "app-col-edit"}}  # not printed


def _date(value) -> str:
    return value.strftime("%-d %b %Y") if value else "–"


def _due_date(value, overdue: bool, word: str):
    """A date to act by, with a tag under it once it has passed on an open record (as the
    action plan marks its overdue actions), in the date's own cell so the table keeps its
    width."""
    if not overdue:
        return format_html('<span class="app-nowrap">{}</span>', _date(value))
    return format_html(
        '<span class="app-nowrap">{}</span> <strong class="govuk-tag app-overdue">{}</strong>',
        _date(value),
        word,
    )


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _change_link(url: str, hidden: str):
    return format_html(
        '<a class="govuk-link" href="{}">Change<span class="govuk-visually-hidden"> {}</span></a>',
        url,
        hidden,
    )


class RiskTable(DetailsTable):
    caption = "Risks"
    details = ("theme_group", "likelihood", "impact", "mitigation")
    row_header = "reference"  # each row named by its risk, not by its Change link
    reference = tables.Column(verbose_name="Ref", attrs=REF)
    description = tables.Column(
        verbose_name="Risk", order_by=("description", "reference"), attrs=TEXT
    )
    theme_group = BlanksFirstColumn(
        verbose_name="Theme group",
        accessor="theme_group__name",
        order_by=("theme_group__name", "reference"),
        default="–",
    )
    owner = tables.Column(verbose_name="Owner", order_by=("owner", "reference"), default="–")
    likelihood = tables.Column(verbose_name="Likelihood", order_by=("likelihood", "reference"))
    impact = tables.Column(verbose_name="Impact", order_by=("impact", "reference"))
    # Highest first by default. Shown with its band, which sorts the same.
    score_value = tables.Column(
        verbose_name="Score", order_by=("score_value", "-reference"), attrs=NOWRAP
    )
    band = tables.Column(
        verbose_name="Band",
        accessor="score_value",
        order_by=("score_value", "-reference"),
        visible=False,
    )
    mitigation = tables.Column(
        verbose_name="Mitigation", order_by=("mitigation", "reference"), default="–", attrs=LONG
    )
    status = tables.Column(verbose_name="Status", order_by=("status", "reference"))
    review_date = BlanksFirstColumn(
        verbose_name="Review date", order_by=("review_date", "reference"), attrs=DUE
    )
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True, attrs=EDIT
    )

    class Meta:
        model = Risk
        fields = []
        # The change link first, in sight on any screen. (The downloads' column order.)
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

    def render_score_value(self, value):
        return format_html(
            "{} {}",
            value,
            render_to_string("actions/_risk_band.html", {"band": rules.risk_band(value)}),
        )

    def value_score_value(self, value):
        return value

    def value_band(self, value):
        return rules.RISK_BAND_WORDS[rules.risk_band(value)]

    def render_status(self, record):
        return render_to_string("actions/_open_closed.html", {"status": record.status})

    def value_status(self, value):
        return value

    def render_review_date(self, record, value):
        return _due_date(value, record.review_overdue, "Review overdue")

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


class IssueTable(DetailsTable):
    caption = "Issues that will impact on other theme groups"
    details = ("issue", "ask")
    row_header = "title"
    title = tables.Column(verbose_name="Issue", attrs=TEXT)
    raised_by = BlanksFirstColumn(
        verbose_name="Raised by",
        accessor="raised_by__name",
        order_by=("raised_by__name", "title"),
        default="–",
    )
    affects = tables.Column(verbose_name="Affects", empty_values=(), orderable=False)
    issue = tables.Column(verbose_name="Detail", order_by=("issue", "title"), attrs=LONG)
    ask = tables.Column(
        verbose_name="What is asked of them", order_by=("ask", "title"), default="–", attrs=LONG
    )
    status = tables.Column(verbose_name="Status", order_by=("status", "title"))
    # Latest first by default.
    raised_on = BlanksFirstColumn(
        verbose_name="Raised", order_by=("raised_on", "-title"), attrs=NOWRAP
    )
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True, attrs=EDIT
    )

    class Meta:
        model = CrossThemeIssue
        fields = []
        # The change link first, in sight on any screen. (The downloads' column order.)
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


class RecommendationTable(DetailsTable):
    caption = "Scrutiny recommendations"
    details = ("response",)
    row_header = "reference"
    reference = tables.Column(verbose_name="Ref", attrs=REF)
    # Latest first by default.
    meeting_date = tables.Column(
        verbose_name="Meeting", order_by=("meeting_date", "-reference"), attrs=NOWRAP
    )
    recommendation = tables.Column(
        verbose_name="Recommendation", order_by=("recommendation", "reference"), attrs=TEXT
    )
    assigned_to = tables.Column(verbose_name="To", order_by=("assigned_to", "reference"))
    response = tables.Column(
        verbose_name="Response",
        order_by=("response", "reference"),
        empty_values=(),
        attrs=LONG,
    )
    status = tables.Column(verbose_name="Status", order_by=("status", "reference"))
    due = BlanksFirstColumn(verbose_name="Due", order_by=("due", "reference"), attrs=DUE)
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True, attrs=EDIT
    )

    class Meta:
        model = Recommendation
        fields = []
        # The change link first, in sight on any screen. (The downloads' column order.)
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
        return _due_date(value, record.overdue, "Overdue")

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
