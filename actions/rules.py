"""Pure rules for action plans, risks and issues: statuses, the overdue rule, RAG counts,
risk bands, the theme groups a cross-theme issue affects.

No ORM and no Django here, so the rules are tested without a database and the pages,
the importer and the reports all read them from one place.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from csp_portal.core.text import day_label, differs_only_in, name_key

NOT_STARTED, RED, AMBER, GREEN = "not_started", "red", "amber", "green"
# Worst first: the order of RAG counts, legends and filters.
STATUSES = (RED, AMBER, GREEN, NOT_STARTED)
STATUS_WORDS = {RED: "Red", AMBER: "Amber", GREEN: "Green", NOT_STARTED: "Not started"}
NOT_STARTED_MEANING = "Work on the action has not begun"

LIKELIHOOD_IMPACT = range(1, 6)
# (lowest score in the band, band): a 5 x 5 matrix scores 1 to 25.
RISK_BANDS = ((15, "very_high"), (8, "high"), (4, "medium"), (1, "low"))
RISK_BAND_WORDS = {"very_high": "Very high", "high": "High", "medium": "Medium", "low": "Low"}


@dataclass(frozen=True)
class LegendEntry:
    status: str
    word: str
    meaning: str


def status_legend(rag_legend: Mapping[str, str]) -> list[LegendEntry]:
    """The statuses an action may take: the partnership's red, amber and green, then not started.

    A colour missing from the partnership's legend is not offered, so "a status not in
    the legend" is one the form and the importer refuse. A legend stored in another shape
    (written around the admin's check) gives the colours no meaning, not an error page.
    """
    if not isinstance(rag_legend, Mapping):
        rag_legend = {}
    entries = [
        LegendEntry(status, STATUS_WORDS[status], str(rag_legend[status]))
        for status in (RED, AMBER, GREEN)
        if rag_legend.get(status)
    ]
    return [*entries, LegendEntry(NOT_STARTED, STATUS_WORDS[NOT_STARTED], NOT_STARTED_MEANING)]


def legend_statuses(rag_legend: Mapping[str, str]) -> list[str]:
    """The status codes the partnership's legend allows."""
    return [entry.status for entry in status_legend(rag_legend)]


def is_overdue(
    due: datetime.date | None, status: str, today: datetime.date, *, closed: bool = False
) -> bool:
    """Overdue: the due date has passed (before today) and the action is not green or closed."""
    return status != GREEN and is_past_due(due, today, closed=closed)


def is_past_due(day: datetime.date | None, as_at: datetime.date, *, closed: bool) -> bool:
    """Overdue: a date to act by (an action's or scrutiny recommendation's due date, a
    risk's review date) was before ``as_at`` and the record is still open. ``as_at`` is
    today on the live pages, a report's month end (or today, if sooner) in a report."""
    return day is not None and not closed and day < as_at


@dataclass(frozen=True)
class RagCount:
    status: str
    word: str
    count: int
    percent: Decimal | None  # whole per cent of the actions counted; None when there are none


def percent_of(part: int, whole: int) -> Decimal | None:
    """part as a whole percentage of whole, half rounded up; None when whole is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def rag_counts(actions: Iterable[tuple[str, bool]]) -> list[RagCount]:
    """How many of the open actions, given as (status, closed), have each status, and the
    share of the open ones, in STATUSES order.

    A RAG rating is the risk to delivery (REPORT_CHECKLIST 21): a closed action has no
    delivery left at risk, so it is counted only as complete (`progress_counts`), never
    under the rating it last had. Percentages are each rounded, so they may add to 99 or
    101; the counts always add up to the open actions.
    """
    values = [status for status, closed in actions if not closed]
    total = len(values)
    return [
        RagCount(status, STATUS_WORDS[status], n, percent_of(n, total))
        for status in STATUSES
        for n in [values.count(status)]
    ]


COMPLETE, IN_PROGRESS = "complete", "in_progress"
# Where an action stands, before how it is rated (REPORT_CHECKLIST 21): most done first.
PROGRESS = (COMPLETE, IN_PROGRESS, NOT_STARTED)
PROGRESS_WORDS = {COMPLETE: "Complete", IN_PROGRESS: "In progress", NOT_STARTED: "Not started"}


def progress_of(status: str, closed: bool) -> str:
    """Complete once closed; not started until an update gives it a RAG rating; else in
    progress (its RAG rating then says how at risk its delivery is)."""
    if closed:
        return COMPLETE
    return NOT_STARTED if status == NOT_STARTED else IN_PROGRESS


def status_word(status: str, closed: bool) -> str:
    """How an action's status reads wherever it is listed: its RAG word while open; once
    closed "Complete", with the rating it last had kept as information ("Complete (last
    rated Red)"), as a complete action has no delivery left at risk."""
    if not closed:
        return STATUS_WORDS.get(status, status.replace("_", " "))
    last = last_rating(status)
    return f"{PROGRESS_WORDS[COMPLETE]} (last rated {last})" if last else PROGRESS_WORDS[COMPLETE]


def last_rating(status: str) -> str:
    """The RAG word a closed action keeps as information: "" for one never rated."""
    return STATUS_WORDS[status] if status in (RED, AMBER, GREEN) else ""


CLOSED, REOPENED = "closed", "reopened"  # an action's closings in its history


def closed_then(closings_since: Sequence[str], *, closed: bool, closed_since: bool) -> bool:
    """Whether an action was closed (complete) at an earlier moment, such as when the last
    report was published, from the closings and reopenings recorded since, oldest first
    (CLOSED or REOPENED): the first of them undid what it was then, so a reopening says
    it was closed and a closing that it was open. With none recorded since, it was as it
    is now, unless its closing came after the moment (``closed_since``: one closed
    outside the services leaves no record)."""
    if closings_since:
        return closings_since[0] == REOPENED
    return closed and not closed_since


def closed_since(closings_since: Sequence[str], *, closed: bool, closed_after: bool) -> bool:
    """Whether an action was closed after an earlier moment (the last report's publishing):
    closed now and open then (`closed_then`). A closing recorded since counts whatever day
    it gives the action's closing (an import's closed_on may be days before), as the
    report then did not know of it; ``closed_after`` (its closing day after the moment)
    counts only for one closed outside the services, with nothing recorded since."""
    return closed and not closed_then(closings_since, closed=closed, closed_since=closed_after)


def progress_counts(actions: Iterable[tuple[str, bool]]) -> list[RagCount]:
    """How many actions, given as (status, closed), are complete, in progress and not
    started, with each share of all of them (rounded as in `rag_counts`)."""
    values = [progress_of(status, closed) for status, closed in actions]
    return [
        RagCount(stage, PROGRESS_WORDS[stage], n, percent_of(n, len(values)))
        for stage in PROGRESS
        for n in [values.count(stage)]
    ]


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood x impact, each 1 to 5."""
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if value not in LIKELIHOOD_IMPACT:
            raise ValueError(f"{name} must be 1 to 5, not {value}")
    return likelihood * impact


def risk_band(score: int) -> str:
    """low 1-3, medium 4-6, high 8-12, very_high 15-25 (no product of 1-5 lies between)."""
    if not 1 <= score <= 25:
        raise ValueError(f"a risk score is 1 to 25, not {score}")
    return next(band for lowest, band in RISK_BANDS if score >= lowest)


@dataclass(frozen=True)
class MatrixCell:
    likelihood: int
    impact: int
    score: int
    band: str
    count: int


def risk_matrix(pairs: Iterable[tuple[int, int]]) -> list[list[MatrixCell]]:
    """5 x 5 counts of (likelihood, impact): rows from likelihood 5 down to 1, impact 1 to 5."""
    counts: dict[tuple[int, int], int] = {}
    for pair in pairs:
        counts[pair] = counts.get(pair, 0) + 1
    return [
        [
            MatrixCell(lk, im, lk * im, risk_band(lk * im), counts.get((lk, im), 0))
            for im in LIKELIHOOD_IMPACT
        ]
        for lk in reversed(LIKELIHOOD_IMPACT)
    ]


ISSUE_AFFECTS_ANOTHER = (
    "A cross-theme issue must affect at least one theme group other than the one that raised it."
)


def affects_only_its_raiser(raised_by: object | None, affects: Iterable[object]) -> bool:
    """Whether a cross-theme issue affects no theme group but the one that raised it (keys
    of theme groups): then it is no cross-theme issue. One that names none it affects yet
    is allowed, as the groups may not be known when it is raised."""
    return raised_by is not None and set(affects) == {raised_by}


# The range a risk's review date and a recommendation's dates are kept in: a date outside
# it is a typo (0016 for 2016) or a placeholder (9999-12-31), which the pages would print
# as "1 January 0001". No partnership's papers go back further than 2000.
EARLIEST_DAY = datetime.date(2000, 1, 1)
# How far ahead a risk's review may be set.
REVIEW_YEARS_AHEAD = 10
# How far after the meeting that made it a recommendation may be due (as an action may be
# due at most 5 years after its plan's year ends).
RECOMMENDATION_DUE_YEARS = 5


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest_review(today: datetime.date) -> datetime.date:
    """The last day a risk's review may be set for, as at ``today``."""
    return years_after(today, REVIEW_YEARS_AHEAD)


def review_date_problem(review: datetime.date, today: datetime.date) -> str | None:
    """Why a risk may not be reviewed on ``review``, or None."""
    latest = latest_review(today)
    if EARLIEST_DAY <= review <= latest:
        return None
    return f"The review date must be between {day_label(EARLIEST_DAY)} and {day_label(latest)}."


def meeting_date_problem(meeting: datetime.date, today: datetime.date) -> str | None:
    """Why a recommendation may not have been made at a meeting on ``meeting``, or None:
    at a meeting that has taken place (as an issue is raised by today), since 2000."""
    if meeting > today:
        return "The meeting date cannot be in the future."
    if meeting < EARLIEST_DAY:
        return f"The meeting date must be on or after {day_label(EARLIEST_DAY)}."
    return None


def recommendation_due_problem(due: datetime.date, meeting: datetime.date) -> str | None:
    """Why a recommendation made at a meeting on ``meeting`` may not be due on ``due``, or
    None: from the meeting to RECOMMENDATION_DUE_YEARS after it."""
    if due < meeting:
        return "The due date must be on or after the date of the meeting that made it."
    latest = years_after(meeting, RECOMMENDATION_DUE_YEARS)
    if due > latest:
        return (
            f"The due date must be on or before {day_label(latest)}, "
            f"{RECOMMENDATION_DUE_YEARS} years after the meeting that made it."
        )
    return None


# An action's lead is a member of the partnership or a name written in, never both.
LEAD_NOT_BOTH = "Choose a member or write a lead, not both."
# A panel member scrutinises the plan, and an account no longer active is someone gone:
# neither becomes an action's lead (one already its lead stays so: Action.MAY_LEAD).
LEAD_MAY_NOT_LEAD = (
    "Choose a member who may lead an action: a panel member, or one whose account is no "
    "longer active, may not."
)


def unique_key(text: str) -> str:
    """What makes two plan titles, or two risk or recommendation references, name one row
    of a partnership: the imports find a row by it, in any capitals and spacing
    (`name_key`: "sp  1" is "SP 1", "équipe" is "Équipe"), as theme groups by name, and
    each row keeps it, which the database holds unique (`KeepsNameKey`)."""
    return name_key(text)


def plan_title_taken(partnership: str, title: str, stored: str) -> str:
    """Why a plan may not be called ``title``: the partnership's plan ``stored`` has that
    title, in these capitals and spaces or others (actions.csv names a plan by its title)."""
    how = differs_only_in(title, stored)
    if not how:
        return f"{partnership} already has a plan called {title!r}."
    return (
        f"{partnership} already has a plan called {stored!r}, which differs from "
        f"{title!r} only in {how}: use that plan, or choose another title."
    )


def reference_taken(kind: str, reference: str, stored: str) -> str:
    """Why a risk or recommendation (``kind``: "Risk", "Recommendation") may not have
    ``reference``: its partnership's ``stored`` has it, in these capitals and spaces or
    others (risks.csv and recommendations.csv find a row by its `unique_key`)."""
    how = differs_only_in(reference, stored)
    if not how:
        return f"{kind} {reference} already exists in this partnership: choose another reference."
    return (
        f"{kind} {stored} already exists in this partnership, and {reference} differs from "
        f"it only in {how}: choose another reference."
    )
