import django_tables2 as tables
from django.utils.html import format_html

from . import periods
from .models import Indicator
from .validation import spreadsheet_safe


class IndicatorTable(tables.Table):
    caption = "Indicators"
    code = tables.Column(verbose_name="Code")
    title = tables.Column(verbose_name="Indicator", linkify=True)
    theme_group = tables.Column(
        verbose_name="Theme group", accessor="theme_group__name", default="–"
    )
    polarity = tables.Column(verbose_name="Polarity")
    measure = tables.Column(verbose_name="Measure")
    frequency = tables.Column(verbose_name="Frequency")
    latest = tables.Column(verbose_name="Latest figure", default="None yet")
    figure_count = tables.Column(
        verbose_name="Figures",
        attrs={
            "td": {"class": "govuk-table__cell--numeric"},
            "th": {"class": "govuk-table__header--numeric"},
        },
    )
    owner = tables.Column(verbose_name="Owner", default="–")

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "theme_group",
            "polarity",
            "measure",
            "frequency",
            "latest",
            "figure_count",
            "owner",
        ]
        order_by = "code"
        empty_text = (
            "No indicators match. Clear the filters, or import indicators from a spreadsheet."
        )

    # Officers type these; an export must not hand Excel a formula.
    def value_code(self, value):
        return spreadsheet_safe(value)

    def value_title(self, value):
        return spreadsheet_safe(value)

    def value_owner(self, value):
        return spreadsheet_safe(value or "")

    def value_theme_group(self, value):
        return spreadsheet_safe(value or "")

    def render_latest(self, value):
        return periods.short_month_label(value)

    def value_latest(self, value):
        return value.strftime("%Y-%m") if value else ""

    def render_title(self, value, record):
        if not record.active:
            return format_html(
                "{} <strong class='govuk-tag govuk-tag--grey'>Inactive</strong>", value
            )
        return value
