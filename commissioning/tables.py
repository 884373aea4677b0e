import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from csp_portal.core.tables import ExportTable

from .budget import format_money
from .models import CommissioningLine
from .templatetags.commissioning import contribution_html, line_status

NUMERIC = {
    "td": {"class": "govuk-table__cell--numeric"},
    "th": {"class": "govuk-table__header--numeric"},
}

NO_UPDATE = mark_safe('<span class="app-missing">No update yet</span>')


def _day(value) -> str:
    return f"{value.day} {value:%b %Y}" if value else "–"


class LineTable(ExportTable):
    """A year's lines (model instances from the summary selector: sorted in Python)."""

    caption = "Lines"
    caption_class = "govuk-table__caption--l"
    reference = tables.Column(
        verbose_name="Ref", linkify=True, attrs={"td": {"class": "app-nowrap"}}
    )
    area_of_need = tables.Column(verbose_name="Area of need")
    recommendation = tables.Column(verbose_name="Recommendation", visible=False)
    theme_group = tables.Column(
        verbose_name="Theme group", accessor="theme_group__name", default="–", visible=False
    )
    provider = tables.Column(verbose_name="Provider", default="–")
    funding_stream = tables.Column(
        verbose_name="Funding stream",
        accessor="funding_stream__source",
        default="–",
        visible=False,
    )
    contribution = tables.Column(verbose_name="Contribution", attrs=NUMERIC, empty_values=())
    total_budget = tables.Column(verbose_name="Budget", attrs=NUMERIC, default="–")
    # In the downloads only: on the page the table keeps to what fits.
    start = tables.Column(verbose_name="Starts", default="–", visible=False)
    end = tables.Column(verbose_name="Ends", default="–")
    status = tables.Column(verbose_name="Status")
    # A line with no progress update says so as a marked blank, as the action plan does.
    last_update = tables.Column(verbose_name="Updated", default=NO_UPDATE)
    warnings = tables.Column(
        verbose_name="Warnings", orderable=False, empty_values=(), visible=False
    )

    class Meta:
        model = CommissioningLine
        fields = []
        sequence = [
            "reference",
            "area_of_need",
            "recommendation",
            "theme_group",
            "provider",
            "funding_stream",
            "contribution",
            "total_budget",
            "start",
            "end",
            "status",
            "last_update",
            "warnings",
        ]
        order_by = "reference"
        attrs = {"class": "app-table--compact"}
        empty_text = "No lines for this year yet."

    def render_area_of_need(self, value):
        return Truncator(value).words(10)

    def render_contribution(self, record):
        return contribution_html(record)

    def render_total_budget(self, value):
        return format_money(value)

    def render_start(self, value):
        return _day(value)

    def render_end(self, value):
        return _day(value)

    def render_last_update(self, value):
        return _day(value)

    def render_status(self, record):
        """The status, and beneath it how many warnings the line has (listed above the table)."""
        count = len(getattr(record, "warnings", []))
        if not count:
            return line_status(record)
        return format_html(
            '{}<br><strong class="govuk-tag govuk-tag--red app-tag-gap">{} warning{}</strong>',
            line_status(record),
            count,
            "" if count == 1 else "s",
        )

    # Exports: plain values a spreadsheet reads back (ExportTable makes text formula-safe).
    def value_reference(self, value):
        return value

    def value_area_of_need(self, value):
        return value

    def value_recommendation(self, value):
        return value

    def value_theme_group(self, value):
        return value or ""

    def value_provider(self, value):
        return value or ""

    def value_funding_stream(self, value):
        return value or ""

    def value_contribution(self, record):
        if record.contribution_status == "amount":
            return f"{record.contribution:.2f}"
        return record.get_contribution_status_display() if record.contribution_status else ""

    def value_total_budget(self, value):
        return "" if value in (None, "") else f"{value:.2f}"

    def value_start(self, value):
        return value.isoformat() if value else ""

    def value_end(self, value):
        return value.isoformat() if value else ""

    def value_last_update(self, value):
        return value.isoformat() if value else ""

    def value_status(self, record):
        return record.get_status_display()

    def value_warnings(self, record):
        return " ".join(w.message for w in getattr(record, "warnings", []))
