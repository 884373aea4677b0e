"""Most-similar-group benchmarking: rates per 1,000, rank of N and change of rank. Pure.

selectors.family_ranking applies it to the Home Office counts of a partnership's peers
(issue 11, "Family groups"); worked by hand in tests/unit/test_family_groups.py.

- Rate: offences x 1,000 / denominator (population by default; households where an
  admin says so, e.g. burglary), ``indicators.figures.rate_per_1000``. No denominator,
  no rate.
- Rank: 1 is the best rate (the lowest where lower is better); equal rates share a rank
  and the next rank is skipped ("1, 2, 2, 4"); members without a rate are left out of N,
  and with fewer than two rates nobody is ranked (first of one says nothing).
  A shared rank reads "joint", counted from either end ("joint 3rd of 4 (joint worst)").
- Change of rank: previous rank minus current rank, so +2 is two places better.
"""

from collections.abc import Mapping
from decimal import Decimal


def rank_of(
    rates: Mapping[str, Decimal | None], member: str, *, lower_is_better: bool = True
) -> tuple[int, int] | None:
    """(rank, N) of one member among the group's rates; None if it has no rate, or no
    other member has one to rank it against."""
    known = {name: rate for name, rate in rates.items() if rate is not None}
    own = known.get(member)
    if own is None or len(known) < 2:
        return None
    better = sum(1 for rate in known.values() if (rate < own if lower_is_better else rate > own))
    return better + 1, len(known)


def sharing(rates: Mapping[str, Decimal | None], member: str) -> int:
    """How many members share the member's rank (itself included); 0 if it has no rate."""
    own = rates.get(member)
    if own is None:
        return 0
    return sum(1 for rate in rates.values() if rate == own)


def rank_change(previous: int | None, current: int | None) -> int | None:
    """Places gained since the previous period (negative: lost); None if either is unknown."""
    if previous is None or current is None:
        return None
    return previous - current


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_sentence(rank: int, n: int, change: int | None, *, joint: int = 1) -> str:
    """'3rd best of 15, unchanged', as seed 000 reports a most similar group; in the lower
    half '13th of 15 (3rd worst)', so a low place never reads as good; the ends read
    'best of 15' and '15th of 15 (worst)', never '1st best'. ``joint``: how many share the
    rank; they read "joint" and count from the bottom from the last of them ("joint 3rd
    of 4 (joint worst)")."""
    shared = "joint " if joint > 1 else ""
    from_bottom = n - rank - joint + 2  # 1: nobody is worse
    if n == 1:
        text = "the only one with a rate"
    elif joint == n:
        text = f"all {n} level"
    elif rank == 1 and n > 1 and from_bottom > 1:
        text = f"{shared}best of {n}"
    elif from_bottom == 1 and n > 1:
        text = f"{shared}{ordinal(rank)} of {n} ({shared}worst)"
    elif rank + (joint - 1) / 2 > (n + 1) / 2:
        text = f"{shared}{ordinal(rank)} of {n} ({shared}{ordinal(from_bottom)} worst)"
    else:
        text = f"{shared}{ordinal(rank)} best of {n}"
    if change is None:
        return text
    if change == 0:
        return f"{text}, unchanged"
    places = abs(change)
    word = "up" if change > 0 else "down"
    return f"{text}, {word} {places} place{'s' if places != 1 else ''}"
