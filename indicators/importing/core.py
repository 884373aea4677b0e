"""The indicators app's own four tables (registered in ``IndicatorsConfig.ready``)."""

from . import applying, checking, exporting
from .registry import Table, register

PARTNERSHIPS = Table(
    name="partnerships",
    columns=(
        "slug",
        "name",
        "population",
        "police_force",
        "local_authorities",
        # Added later, so optional: a file without them leaves what is stored.
        "households",
        "businesses",
        "fy_start_month",
        "reports_public",
        "rag_legend",
    ),
    required=("slug", "name"),
    order=10,
    check=checking.check_partnerships,
    apply=applying.apply_partnerships,
    export=exporting.export_partnerships,
)
INDICATORS = Table(
    name="indicators",
    columns=(
        "partnership",
        "code",
        "title",
        "theme_group",
        "polarity",
        "measure",
        "frequency",
        "tolerance",
        "unit",
        "police_uk_crime_types",
        # Added later, so optional: a file without them leaves what is stored.
        "rate_per",
        "stability",
        "active",
        "owner",
        "data_source",
        "interpretation_note",
    ),
    required=("partnership", "code", "title", "polarity", "measure"),
    order=20,
    check=checking.check_indicators,
    apply=applying.apply_indicators,
    export=exporting.export_indicators,
)
TARGETS = Table(
    name="targets",
    columns=("partnership", "indicator", "year", "type", "value", "baseline_year", "period"),
    required=("partnership", "indicator", "year", "type", "value"),
    order=30,
    check=checking.check_targets,
    apply=applying.apply_targets,
    export=exporting.export_targets,
)
ACTUALS = Table(
    name="actuals",
    columns=("partnership", "indicator", "period", "value", "numerator", "denominator", "note"),
    required=("partnership", "indicator", "period"),
    order=40,
    check=checking.check_actuals,
    apply=applying.apply_actuals,
    export=exporting.export_actuals,
)


def register_all() -> None:
    for table in (PARTNERSHIPS, INDICATORS, TARGETS, ACTUALS):
        register(table)
