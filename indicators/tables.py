import django_tables2 as tables
from django.utils.html import format_html

from csp_portal.core.tables import BlanksFirstColumn, ExportTable

from . import periods
from .models import Indicator

# Shown on the page only: the download keeps one column per field.
ON_PAGE = {"exclude_from_export": True}
# In the download only: the page shows them inside the cells above.
DOWNLOAD_ONLY = {"visible": False}

NO_MATCH = "No indicators match. Clear the filters, or import indicators from a spreadsheet."
NONE_YET = "This partnership has no indicators yet."


def none_yet_text(import_url: str | None) -> str:
    """What the unfiltered list says when the partnership has no indicators: with the
    import page's address (``import_url``) for an administrator, who imports them; without
    it for an editor, whose import leaves indicators out."""
    if import_url is None:
        return f"{NONE_YET} Ask an administrator to import them from a spreadsheet."
    return format_html(
        '{} <a class="govuk-link" href="{}">Import indicators from a spreadsheet</a>.',
        NONE_YET,
        import_url,
    )


class IndicatorTable(ExportTable):
    """The indicator list: four columns that fit the GOV.UK page width, and every field
    separately in the CSV and Excel downloads.

    Rows are written by `indicators/_indicator_table.html` straight from each record, not
    cell by cell through the columns (which cost about 5 ms a row): the columns give the
    headers, the sorting and the downloads.

    Every column sorts last by the code, which is unique in a partnership: rows that tie
    would otherwise come in any order the database likes, which PostgreSQL changes from one
    page's query to the next (some rows shown on two pages, some on none).
    """

    caption = "Indicators"
    indicator = tables.Column(
        verbose_name="Indicator",
        accessor="code",
        order_by=("code",),
        attrs={"th": {"class": "app-indicator-col"}},
        **ON_PAGE,
    )
    code = tables.Column(verbose_name="Code", **DOWNLOAD_ONLY)
    title = tables.Column(verbose_name="Indicator", order_by=("title", "code"), **DOWNLOAD_ONLY)
    theme_group = BlanksFirstColumn(
        verbose_name="Theme group",
        accessor="theme_group__name",
        order_by=("theme_group__name", "code"),
        default="–",
    )
    how = tables.Column(
        verbose_name="Measure",
        accessor="measure",
        order_by=("measure", "frequency", "code"),
        **ON_PAGE,
    )
    polarity = tables.Column(
        verbose_name="Polarity", order_by=("polarity", "code"), **DOWNLOAD_ONLY
    )
    measure = tables.Column(verbose_name="Measure", order_by=("measure", "code"), **DOWNLOAD_ONLY)
    frequency = tables.Column(
        verbose_name="Frequency", order_by=("frequency", "code"), **DOWNLOAD_ONLY
    )
    latest = BlanksFirstColumn(
        verbose_name="Latest figure", order_by=("latest", "code"), default="None yet"
    )
    figure_count = tables.Column(
        verbose_name="Figures", order_by=("figure_count", "code"), **DOWNLOAD_ONLY
    )
    owner = tables.Column(
        verbose_name="Owner", order_by=("owner", "code"), default="–", **DOWNLOAD_ONLY
    )

    class Meta:
        model = Indicator
        template_name = "indicators/_indicator_table.html"
        fields = [
            "indicator",
            "code",
            "title",
            "theme_group",
            "how",
            "polarity",
            "measure",
            "frequency",
            "latest",
            "figure_count",
            "owner",
        ]
        order_by = "indicator"
        empty_text = NO_MATCH  # the view says more when no filter is set

    # Made from the figures: a save of figures changes the list's order only when it is
    # sorted by one of these.
    FIGURE_COLUMNS = frozenset({"latest", "figure_count"})

    @classmethod
    def sorted_by_figures(cls, query) -> bool:
        """Whether this query string (a QueryDict) sorts the table by a figure column."""
        field = cls._meta.prefix + cls._meta.order_by_field
        names = {n.strip().lstrip("-") for v in query.getlist(field) for n in v.split(",")}
        return bool(names & cls.FIGURE_COLUMNS)

    # Exports: the stored text, not the page's markup (ExportTable makes it formula-safe).
    def value_code(self, value):
        return value

    def value_title(self, value):
        return value

    def value_owner(self, value):
        return value or ""

    def value_theme_group(self, value):
        return value or ""

    def value_polarity(self, record):
        return record.get_polarity_display()

    def value_measure(self, record):
        return record.get_measure_display()

    def value_frequency(self, record):
        return record.get_frequency_display()

    def value_latest(self, value):
        return value.strftime("%Y-%m") if value else ""

    def render_latest(self, value):
        return periods.short_month_label(value)
