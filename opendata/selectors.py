"""Reads for hotspots and import runs, each in a fixed number of queries."""

from dataclasses import dataclass

from csp_portal.core.models import Partnership
from indicators.models import Indicator

from . import police_uk
from .models import LsoaCount, LsoaWard


@dataclass(frozen=True)
class Hotspot:
    name: str
    code: str
    ward: str | None
    count: int

    @property
    def shown(self) -> str:
        return police_uk.suppressed(self.count)


@dataclass
class Hotspots:
    months: list[str]  # months with street counts, newest first
    month: str | None
    lsoas: list[Hotspot]
    wards: list[Hotspot]  # empty when no lookup is loaded
    total: int

    @property
    def named_lsoas(self) -> list[Hotspot]:
        """LSOAs with a count that may be shown (5 or more): a list of [c] tells no one anything."""
        return [h for h in self.lsoas if police_uk.suppressed(h.count) != "[c]"]

    @property
    def small_lsoas(self) -> int:
        """How many LSOAs have a count of 1 to 4."""
        return len(self.lsoas) - len(self.named_lsoas)

    @property
    def total_shown(self) -> str:
        return police_uk.suppressed(self.total)


def hotspots_for(indicator: Indicator, month: str | None) -> Hotspots:
    """The indicator's counts by LSOA (and ward) for a month (the latest if None): 3 queries."""
    partnership = indicator.partnership
    months = [
        f"{period:%Y-%m}"
        for period in LsoaCount.objects.filter(partnership=partnership)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    ]
    if month not in months:
        month = months[0] if months else None
    if month is None:
        return Hotspots(months, None, [], [], 0)
    rows = LsoaCount.objects.filter(
        partnership=partnership,
        period=police_uk.month_start(month),
        crime_type__in=indicator.crime_types,
    ).values_list("crime_type", "lsoa_code", "lsoa_name", "count")
    counts, names = {}, {}
    for crime_type, code, name, n in rows:
        counts[month, crime_type, code] = n
        names[code] = name
    lsoas = police_uk.by_lsoa(counts, month=month, crime_types=indicator.crime_types)
    wards = dict(
        LsoaWard.objects.filter(partnership=partnership, lsoa_code__in=list(lsoas)).values_list(
            "lsoa_code", "ward_name"
        )
    )
    lsoa_rows = sorted(
        (Hotspot(names[code], code, wards.get(code), n) for code, n in lsoas.items()),
        key=lambda h: (-h.count, h.name),
    )
    ward_rows = []
    if wards:
        ward_rows = sorted(
            (
                Hotspot(ward or "Not in the lookup", "", None, n)
                for ward, n in police_uk.by_ward(lsoas, wards).items()
            ),
            key=lambda h: (h.name == "Not in the lookup", -h.count, h.name),
        )
    return Hotspots(months, month, lsoa_rows, ward_rows, sum(lsoas.values()))


def ward_lookup_size(partnership: Partnership) -> int:
    return LsoaWard.objects.filter(partnership=partnership).count()
