"""Reads for hotspots and import runs, each in a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import Lower

from csp_portal.core.models import Partnership
from indicators import periods
from indicators.figures import rate_per_1000
from indicators.models import Indicator

from . import family, police_uk
from .models import (
    CspOffenceCount,
    ForceCount,
    LsoaCount,
    LsoaWard,
    OffenceMapping,
    OutcomeCount,
    Peer,
)


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
    wards = dict(
        LsoaWard.objects.filter(partnership=partnership, lsoa_code__in=list(names)).values_list(
            "lsoa_code", "ward_name"
        )
    )
    table = police_uk.hotspot_rows(
        counts, names, wards, month=month, crime_types=indicator.crime_types
    )
    return Hotspots(
        months,
        month,
        [Hotspot(r.name, r.code, r.ward, r.count) for r in table.lsoas],
        [Hotspot(r.name, r.code, r.ward, r.count) for r in table.wards],
        table.total,
    )


def ward_lookup_size(partnership: Partnership) -> int:
    return LsoaWard.objects.filter(partnership=partnership).count()


# Why a member of the group has no rate for the quarter.
NO_DENOMINATOR = {"population": "no population figure", "households": "no households figure"}
NO_COUNTS = "no Home Office counts under this name"
NOT_PUBLISHED = "not published"


@dataclass(frozen=True)
class PeerRate:
    name: str
    rate: Decimal | None
    rank: int | None
    is_self: bool
    missing: str = ""  # why there is no rate (NO_DENOMINATOR, NO_COUNTS, NOT_PUBLISHED)


@dataclass
class FamilyRanking:
    """An indicator's place in its partnership's most similar group."""

    year: int
    quarter: int
    offence_groups: list[str]
    per: str  # "population" or "households"
    peers: list[PeerRate]  # this quarter, best first; no rate last
    rank: int | None
    n: int
    change: int | None  # since the previous quarter
    ytd_rank: int | None
    ytd_n: int
    ytd_change: int | None
    illustrative: bool = False  # some counts are demo figures, not Home Office data
    joint: int = 1  # how many share the rank this quarter (1: none level with it)
    ytd_joint: int = 1
    ytd_rate: Decimal | None = None  # the partnership's own, for the year to date

    @property
    def own_rate(self) -> Decimal | None:
        return next((p.rate for p in self.peers if p.is_self), None)

    @property
    def own_missing(self) -> str:
        """Why the partnership has no rate this quarter ("" when it has one)."""
        return next((p.missing for p in self.peers if p.is_self), "")

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {periods.fy_label(self.year)}"

    @property
    def sentence(self) -> str:
        """The rank in words; "" when the partnership has no rate."""
        if self.rank:
            return family.rank_sentence(self.rank, self.n, self.change, joint=self.joint)
        return _UNRANKED if self.own_rate is not None else ""

    @property
    def ytd_sentence(self) -> str:
        """The year to date's rank in words; "" when not every quarter has a rate."""
        if self.ytd_rank:
            return family.rank_sentence(
                self.ytd_rank, self.ytd_n, self.ytd_change, joint=self.ytd_joint
            )
        return _UNRANKED if self.ytd_rate is not None else ""

    @property
    def ytd_missing(self) -> str:
        """Why the partnership has no rate for the year to date ("" when it has one)."""
        if self.ytd_rate is not None:
            return ""
        if self.own_missing in NO_DENOMINATOR.values():
            return self.own_missing
        return "not every quarter is published yet"

    @property
    def gaps(self) -> list[tuple[str, list[str]]]:
        """(why, members) for the members without a rate this quarter, the partnership
        included: those an admin can mend (a denominator, a name) first."""
        order = [*NO_DENOMINATOR.values(), NO_COUNTS, NOT_PUBLISHED]
        by_reason: dict[str, list[str]] = {}
        for peer in self.peers:
            if peer.missing:
                by_reason.setdefault(peer.missing, []).append(peer.name)
        return sorted(by_reason.items(), key=lambda item: order.index(item[0]))


_UNRANKED = "not ranked: no other member of the group has a rate"


def _ranks(rates: dict, own: str, lower: bool) -> tuple[int | None, int]:
    """(rank, N): no rank without a rate of its own or another to rank it against."""
    ranked = family.rank_of(rates, own, lower_is_better=lower)
    return ranked if ranked else (None, sum(1 for r in rates.values() if r is not None))


def offence_names(text: str) -> set[str]:
    """A mapping's offence groups or subgroups as they are matched: in lower case."""
    return {name.lower() for name in police_uk.split_list(text)}


def _counts_named(names: set[str]):
    """The counts whose offence group or subgroup is one of these (lower case) names."""
    return CspOffenceCount.objects.alias(
        group_name=Lower("offence_group"), subgroup_name=Lower("offence_subgroup")
    ).filter(Q(group_name__in=names) | Q(subgroup_name__in=names))


def _named(names: set[str], group: str, subgroup: str) -> bool:
    return group.lower() in names or subgroup.lower() in names


def offence_names_unknown(text: str) -> list[str]:
    """The names of a mapping (offence groups or subgroups) that no stored Home Office count
    has as its group or subgroup, in any case: 1 query."""
    names = police_uk.split_list(text)
    known: set[str] = set()
    for group, subgroup in (
        _counts_named({n.lower() for n in names})
        .values_list("offence_group", "offence_subgroup")
        .distinct()
    ):
        known |= {group.lower(), subgroup.lower()}
    return [name for name in names if name.lower() not in known]


# What a count row gives its readers, in the order they unpack it.
COUNT_COLUMNS = (
    "csp_name",
    "financial_year",
    "quarter",
    "offence_group",
    "offence_subgroup",
    "count",
    "illustrative",
)


def _count_rows(peers: list[Peer], names: set[str]) -> list[tuple]:
    return list(
        _counts_named(names)
        .filter(csp_name__in=[p.csp_name for p in peers])
        .values_list(*COUNT_COLUMNS)
    )


def family_ranking(indicator: Indicator) -> FamilyRanking | None:
    """Rates per 1,000, rank of N and change of rank for the latest quarter: 3 queries.

    None when the indicator has no offence mapping, or the partnership no group with
    itself in it, or no Home Office counts for the partnership yet.
    """
    mapping = OffenceMapping.objects.filter(indicator=indicator).first()
    if mapping is None:
        return None
    peers = list(Peer.objects.filter(partnership_id=indicator.partnership_id))
    if not any(p.is_self for p in peers):
        return None
    return _ranking(
        indicator, mapping, peers, _count_rows(peers, offence_names(mapping.offence_groups))
    )


def family_rankings(
    partnership: Partnership, *, up_to: tuple[int, int] | None = None
) -> list[tuple[Indicator, FamilyRanking]]:
    """family_ranking for every mapped indicator of the partnership: 3 queries.

    ``up_to`` (financial year, quarter): rank the latest quarter no later than it, as a
    report for an earlier period must."""
    mappings = list(
        OffenceMapping.objects.filter(indicator__partnership=partnership, indicator__active=True)
        .select_related("indicator")
        .order_by("indicator__code")
    )
    if not mappings:
        return []
    peers = list(Peer.objects.filter(partnership=partnership))
    if not any(p.is_self for p in peers):
        return []
    names = {name for m in mappings for name in offence_names(m.offence_groups)}
    rows = _count_rows(peers, names)
    if up_to is not None:
        rows = [row for row in rows if (row[1], row[2]) <= up_to]
    result = []
    for mapping in mappings:
        ranking = _ranking(mapping.indicator, mapping, peers, rows)
        if ranking is not None:
            result.append((mapping.indicator, ranking))
    return result


def _ranking(indicator, mapping, peers, count_rows) -> FamilyRanking | None:
    own = next(p for p in peers if p.is_self)
    wanted = offence_names(mapping.offence_groups)
    totals: dict = {}
    illustrative = False
    for name, year, quarter, group, subgroup, n, made_up in count_rows:
        if _named(wanted, group, subgroup):  # once, were both its group and subgroup named
            totals[name, year, quarter] = totals.get((name, year, quarter), 0) + n
            illustrative = illustrative or made_up
    own_quarters = sorted((y, q) for name, y, q in totals if name == own.csp_name)
    if not own_quarters:
        return None
    year, quarter = own_quarters[-1]
    lower = indicator.polarity != Indicator.Polarity.HIGHER

    def denominator(peer):
        return peer.households if mapping.per_households else peer.population

    def rates(y, quarters):
        result = {}
        for peer in peers:
            counts = [totals.get((peer.csp_name, y, q)) for q in quarters]
            count = None if any(c is None for c in counts) else sum(counts)
            result[peer.csp_name] = rate_per_1000(count, denominator(peer))
        return result

    now = rates(year, [quarter])
    before_year, before_quarter = periods.previous_quarter(year, quarter)
    before = rates(before_year, [before_quarter])
    rank, n = _ranks(now, own.csp_name, lower)
    previous_rank, _ = _ranks(before, own.csp_name, lower)
    ytd = rates(year, range(1, quarter + 1))
    ytd_rank, ytd_n = _ranks(ytd, own.csp_name, lower)
    ytd_change = None
    if quarter > 1:
        ytd_before, _ = _ranks(rates(year, range(1, quarter)), own.csp_name, lower)
        ytd_change = family.rank_change(ytd_before, ytd_rank)
    per = "households" if mapping.per_households else "population"
    named = {name for name, _, _ in totals}

    def missing(peer) -> str:
        if now[peer.csp_name] is not None:
            return ""
        if not denominator(peer):
            return NO_DENOMINATOR[per]
        return NOT_PUBLISHED if peer.csp_name in named else NO_COUNTS

    rows = []
    for p in peers:
        ranked = family.rank_of(now, p.csp_name, lower_is_better=lower)
        rows.append(
            PeerRate(
                p.csp_name, now[p.csp_name], ranked[0] if ranked else None, p.is_self, missing(p)
            )
        )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
    return FamilyRanking(
        year=year,
        quarter=quarter,
        offence_groups=police_uk.split_list(mapping.offence_groups),
        per=per,
        peers=rows,
        rank=rank,
        n=n,
        change=family.rank_change(previous_rank, rank),
        ytd_rank=ytd_rank,
        ytd_n=ytd_n,
        ytd_change=ytd_change,
        illustrative=illustrative,
        joint=family.sharing(now, own.csp_name) or 1,
        ytd_joint=family.sharing(ytd, own.csp_name) or 1,
        ytd_rate=ytd[own.csp_name],
    )


@dataclass(frozen=True)
class ReportContext:
    """What a report needs of the open police data, read in a fixed number of queries."""

    force_counts: dict[str, dict]  # crime type -> {month: count}, whole force
    force_months: list  # months imported (a type with no row in one of them had none)
    forces: list[str]
    outcomes: dict[str, dict[str, int]]  # crime type -> {last outcome: crimes}, 12 months
    outcome_months: list  # months with outcome counts
    lsoa_counts: list[tuple[str, str, str, int]]  # (crime type, LSOA code, name, count)
    wards: dict[str, str]  # LSOA code -> ward name
    own_csp: str  # the partnership as the Home Office names it, "" if unknown
    force_name: str  # its force as the Home Office names it
    # indicator id -> (CSP, year, quarter, count) of the offences its mapping names
    neighbour_counts: dict[int, list[tuple]]
    illustrative: bool  # some neighbours' Home Office counts are demo figures
    family_illustrative: bool  # some of the family group's counts are demo figures


def report_context(
    partnership: Partnership, period, crime_types: set[str], indicator_ids: list[int]
) -> ReportContext:
    """police.uk force and outcome counts for the 24 and 12 months to ``period``, the
    month's LSOA counts with their wards, and Home Office counts for the CSPs of the
    partnership's force: 9 queries at most, whatever the number of indicators."""
    first = periods.add_months(period, -23)
    force_counts: dict[str, dict] = {}
    forces, force_months = set(), set()
    for force, month, crime_type, n in ForceCount.objects.filter(
        partnership=partnership, period__range=(first, period), crime_type__in=crime_types
    ).values_list("force", "period", "crime_type", "count"):
        forces.add(force)
        force_months.add(month)
        months = force_counts.setdefault(crime_type, {})
        months[month] = months.get(month, 0) + n
    outcomes: dict[str, dict[str, int]] = {}
    outcome_months = set()
    for month, crime_type, outcome, n in OutcomeCount.objects.filter(
        partnership=partnership,
        period__range=(periods.add_months(period, -11), period),
        crime_type__in=crime_types,
    ).values_list("period", "crime_type", "outcome", "count"):
        outcome_months.add(month)
        by_outcome = outcomes.setdefault(crime_type, {})
        by_outcome[outcome] = by_outcome.get(outcome, 0) + n
    lsoa_counts = list(
        LsoaCount.objects.filter(
            partnership=partnership, period=period, crime_type__in=crime_types
        ).values_list("crime_type", "lsoa_code", "lsoa_name", "count")
    )
    wards = {}
    if lsoa_counts:
        wards = dict(
            LsoaWard.objects.filter(
                partnership=partnership, lsoa_code__in={row[1] for row in lsoa_counts}
            ).values_list("lsoa_code", "ward_name")
        )
    mappings = {
        indicator_id: offence_names(groups)
        for indicator_id, groups in OffenceMapping.objects.filter(
            indicator_id__in=indicator_ids
        ).values_list("indicator_id", "offence_groups")
    }
    own_csp = force_name = ""
    neighbour_counts: dict[int, list[tuple]] = {}
    illustrative = family_illustrative = False
    if mappings:
        peers = list(
            Peer.objects.filter(partnership=partnership).values_list("csp_name", "is_self")
        )
        own_csp = next((name for name, is_self in peers if is_self), "")
        family_illustrative = CspOffenceCount.objects.filter(
            csp_name__in=[name for name, _ in peers], illustrative=True
        ).exists()
    if own_csp:
        force_name = (
            CspOffenceCount.objects.filter(csp_name=own_csp)
            .exclude(force_name="")
            .values_list("force_name", flat=True)
            .first()
        ) or ""
    if force_name:
        rows = _counts_named(set().union(*mappings.values())).filter(force_name=force_name)
        for csp, year, quarter, group, subgroup, n, made_up in rows.values_list(*COUNT_COLUMNS):
            for indicator_id, names in mappings.items():
                if _named(names, group, subgroup):
                    neighbour_counts.setdefault(indicator_id, []).append((csp, year, quarter, n))
            illustrative = illustrative or made_up
    return ReportContext(
        force_counts=force_counts,
        force_months=sorted(force_months),
        forces=sorted(forces),
        outcomes=outcomes,
        outcome_months=sorted(outcome_months),
        lsoa_counts=lsoa_counts,
        wards=wards,
        own_csp=own_csp,
        force_name=force_name,
        neighbour_counts=neighbour_counts,
        illustrative=illustrative,
        family_illustrative=family_illustrative,
    )
