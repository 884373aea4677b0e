"""What the editor wrote, checked against the report before it is published.

Three checks, each a list of warnings the editor sees on the preview and the publish page
(they never stop publishing: the editor may know better):

- a number, or a rise or fall, that the report's figures do not bear out ("hate crime
  fell by 68, a 31% reduction" where the figures show 63 more, +29%);
- a change told as REPORTING.md says it must not be: "significantly" of a change the
  report finds within normal variation, or a percentage without its count;
- an abbreviation that the glossary does not explain.

Pure: they read a snapshot (``builder.build_snapshot``), never the database. Both are
cautious: where it is unclear what a sentence is about, or it speaks of another period,
a target or a hope, nothing is said. A false alarm on every report would teach editors
to skip the warnings.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from csp_portal.core.text import joined
from indicators.commentary import format_change_pct, format_level, format_number
from indicators.periods import MONTH_NAMES

from .sections import ABBREVIATION, explained_abbreviations


@dataclass(frozen=True)
class TextWarning:
    """Where in the report the text is, and what is wrong with it, in plain English."""

    where: str
    message: str


@dataclass(frozen=True)
class _Text:
    where: str
    text: str
    # Whether its numbers and words of direction are checked (a risk or a plan is not
    # about the figures); the indicator it is about (an indicator's comment); and the
    # indicators a sentence in it may name.
    figures: bool = False
    subject: dict | None = None
    entries: Sequence[dict] = field(default_factory=list)


def report_warnings(snapshot: dict) -> list[TextWarning]:
    """Every warning about the editor's text of a report: figures first, then glossary."""
    texts = editor_texts(snapshot)
    return [
        *figure_warnings(snapshot, texts),
        *wording_warnings(snapshot, texts),
        *abbreviation_warnings(snapshot, texts),
    ]


def _entries(snapshot: dict) -> list[dict]:
    return [
        *snapshot.get("indicators", {}).values(),
        *(entry for block in snapshot.get("overview", []) for entry in block["indicators"]),
    ]


def _named(entry: dict) -> str:
    return f"{entry['code']} {entry['title']}" if entry.get("code") else entry["title"]


def editor_texts(snapshot: dict) -> list[_Text]:
    """The free text the report prints, each with where it is: what people wrote (the
    cover sheet, successes, comments, risks, news) and the indicators' titles and notes."""
    shown = {section["key"] for section in snapshot.get("sections", [])}
    entries = _entries(snapshot)
    cover = snapshot["cover"]
    texts = [
        _Text("Title", snapshot.get("title", "")),
        _Text("Priority or objective", cover.get("priority", "")),
        *(_Text("Executive summary", line, True, entries=entries)
          for line in cover.get("executive_summary", [])),
        *(_Text("Recommendations", line) for line in cover.get("recommendations", [])),
        *(_Text(f"{item['label']} implications", item["text"])
          for item in cover.get("implications", [])),
        *(_Text("Background papers", line) for line in cover.get("background_papers", [])),
    ]  # fmt: skip
    if "successes" in shown:
        for item in snapshot.get("priorities", []):
            texts += [
                _Text(f"Successes: {item['group']}", line, True, entries=entries)
                for line in item["successes"]
            ]
            texts += [
                _Text(f"Focus for next quarter: {item['group']}", line) for line in item["focus"]
            ]
    if "risks" in shown:
        risks = snapshot.get("risks", {})
        texts += [_Text("Risks", line) for line in risks.get("risks", [])]
        texts += [_Text("Issues for other theme groups", line) for line in risks.get("issues", [])]
        texts += [
            _Text("Scrutiny recommendations", line) for line in risks.get("recommendations", [])
        ]
    texts += [_Text("National developments", line) for line in snapshot.get("introduction", [])]
    for block in snapshot.get("overview", []):
        texts += [
            _Text(f"News: {block['name']}", line, True, entries=block["indicators"])
            for line in block["news"]
        ]
    own = list(snapshot.get("indicators", {}).values()) if "performance" in shown else []
    for entry in own:
        if entry.get("editor_comment"):
            texts.append(
                _Text(
                    f"Comment on {_named(entry)}",
                    entry["editor_comment"],
                    True,
                    subject=entry,
                    entries=entries,
                )
            )
    for entry in entries:
        texts.append(_Text(f"Indicator title: {_named(entry)}", entry["title"]))
        if entry.get("interpretation_note"):
            texts.append(_Text(f"Note on {_named(entry)}", entry["interpretation_note"]))
    texts += record_texts(snapshot, shown, own)
    return [text for text in texts if text.text.strip()]


def record_texts(snapshot: dict, shown: set[str], own: Sequence[dict]) -> list[_Text]:
    """The text the report prints from records kept elsewhere in the portal, each with
    where it is: funding streams, commissioning lines and their progress, and actions. Not
    the editor's words, so only its abbreviations are checked (an abbreviation in a funding
    stream's criteria needs explaining as much as one in the summary)."""
    texts = []
    commissioning = snapshot.get("commissioning") or {}
    if "commissioning" in shown and commissioning:
        texts.append(_Text("Commissioning", commissioning.get("title", "")))
        for stream in commissioning.get("streams", []):
            texts += [
                _Text(f"Funding stream: {stream['name']}", text)
                for text in (
                    stream["name"],
                    stream.get("allocated_by", ""),
                    stream.get("criteria", ""),
                    stream.get("monitoring", ""),
                )
            ]
        for line in commissioning.get("lines", []):
            where = f"Commissioning line: {line['reference']}"
            texts += [
                _Text(where, text)
                for text in (
                    line.get("area", ""),
                    line.get("provider", ""),
                    *line.get("outcomes", []),
                )
            ]
        texts += [
            _Text(f"Progress: {update['title']}", text)
            for update in commissioning.get("updates", [])
            for text in (update["title"], update["text"])
        ]
    actions = snapshot.get("actions") or {}
    if "actions" in shown and actions:
        texts += [_Text("Action plan", plan) for plan in actions.get("plans", [])]
        for change in actions.get("status_changes", []):
            texts += [
                _Text(f"Action: {change['title']}", text)
                for text in (change["title"], change.get("update", ""))
            ]
        texts += [
            _Text(f"Action: {item['title']}", text)
            for item in [*actions.get("closed_since", []), *actions.get("overdue", [])]
            for text in (item["title"], item.get("lead", ""))
        ]
    # Actions linked to an indicator are printed under it (and an overview's red ones).
    linked = [*own, *(e for block in snapshot.get("overview", []) for e in block["indicators"])]
    texts += [
        _Text(f"Action: {action['title']}", text)
        for entry in linked
        for action in entry.get("actions") or []
        for text in (action["title"], action.get("lead", ""))
    ]
    return texts


# --- Figures -----------------------------------------------------------------------------

_MONTH_WORDS = (
    "jan(?:uary)?", "feb(?:ruary)?", "mar(?:ch)?", "apr(?:il)?", "may", "june?", "july?",
    "aug(?:ust)?", "sep(?:t(?:ember)?)?", "oct(?:ober)?", "nov(?:ember)?", "dec(?:ember)?",
)  # fmt: skip
_MONTHS = "|".join(_MONTH_WORDS)
# A clause that speaks of a hope, an aim, a target, another place, or a share of the
# indicator ("more than half of ...", "a higher share"): nothing in it is checked.
_HEDGED = re.compile(
    r"\b(?:if|unless|whether|aim\w*|target\w*|hop\w*|expect\w*|forecast\w*|predict\w*"
    r"|plan\w*|want\w*|should|would|could|might|may|will|can|need\w*|likely|tbc|force"
    r"|national\w*|england|wales|region\w*|similar|average|other|neighbour\w*"
    r"|share|proportion|half|of all|of total)\b|\?",
    re.IGNORECASE,
)
# A clause that speaks of another period (a month, a quarter, a year, "two years ago"):
# neither its numbers nor its rise or fall are the year to date's.
_ANOTHER_PERIOD = re.compile(
    rf"\b(?:month|quarter\w*|week\w*|since|rolling|{_MONTHS}|years? ago"
    r"|(?:two|three|four|five|\d+) years)\b|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)
# "Last year" is the year to date's comparison only after "than", "with", "on" ...;
# otherwise ("increased last year", "overall last year crimes ...") it is a time of its own.
_LAST_YEAR_AS_A_TIME = re.compile(
    r"^(?:(?!\b(?:than|with|on|against|from|versus|vs)\b).)*\blast year\b",
    re.IGNORECASE | re.DOTALL,
)
# A clause that denies, or speaks of a rate: its rise or fall is not checked.
_DENIED_OR_A_RATE = re.compile(
    r"\b(?:not|no|never|nor|without|rates?)\b|n't\b|\bper 1,000\b", re.IGNORECASE
)


def year_to_date_words(snapshot: dict) -> re.Pattern | None:
    """How a sentence may name the report's year to date by its months: "since April" and
    "(from) April to November" in a year starting in April reported to November, with no
    year or this one's ("since April 2014" is another period). None where the snapshot does
    not say when its year starts."""
    try:
        start = MONTH_NAMES.index(snapshot["fy_start_label"].split()[0]) + 1
        period = datetime.date.fromisoformat(snapshot["period"])
    except (KeyError, AttributeError, IndexError, ValueError):
        return None
    first_year = period.year if start <= period.month else period.year - 1
    first = rf"(?:{_MONTH_WORDS[start - 1]})(?:\s+{first_year})?"
    last = rf"(?:{_MONTH_WORDS[period.month - 1]})(?:\s+{period.year})?"
    return re.compile(
        rf"\bsince\s+(?:the\s+start\s+of\s+)?{first}\b"
        rf"|\b(?:from\s+|between\s+)?{first}\s*(?:to|until|till|and|-|–)\s*{last}\b",
        re.IGNORECASE,
    )


def report_month_words(snapshot: dict) -> re.Pattern | None:
    """How a sentence may name the report's own month: "in November", "November 2016";
    its change is the month's against the same month last year, which the report tests.
    None where the snapshot does not say its month."""
    try:
        period = datetime.date.fromisoformat(snapshot["period"])
    except (KeyError, TypeError, ValueError):
        return None
    # With its capital, so that "may" is never May; the rest of the name in any case.
    name = _MONTH_WORDS[period.month - 1]
    return re.compile(
        rf"\b(?:[Ii]n\s+|[Dd]uring\s+)?{name[0].upper()}(?i:{name[1:]})"
        rf"(?:\s+{period.year})?\b(?!\s+(?:19|20)\d\d\b)(?!\s*(?:to\s|until\s|-|–))"
    )


def _month_name(snapshot: dict) -> str:
    """The report's month's name ("November"), or "" where the snapshot does not say."""
    try:
        return MONTH_NAMES[datetime.date.fromisoformat(snapshot["period"]).month - 1]
    except (KeyError, TypeError, ValueError):
        return ""


def _another_period(clause: str) -> bool:
    """Whether a clause speaks of a period other than the year to date."""
    return bool(_ANOTHER_PERIOD.search(clause) or _LAST_YEAR_AS_A_TIME.search(clause))


# "More than half", "fewer than 10": an amount, not a comparison with last year.
_THAN_AN_AMOUNT = r"(?!\s+than\s+(?:half|a\s+(?:third|quarter|fifth|tenth)|one|two|three|\d))"
_UP = (
    r"rose|risen|rising|increased|increasing|grew|grown|growing|climbed|doubled|higher"
    rf"|more\b{_THAN_AN_AMOUNT}[^,;]*\bthan|(?:went|gone|go|is|are|was|were|been) up"
    r"|up (?:by|on|from)"
)
_DOWN = (
    r"fell|fallen|falling|decreased|decreasing|reduced|reductions?|dropped|declined|declining"
    rf"|halved|lower|fewer{_THAN_AN_AMOUNT}|less\b{_THAN_AN_AMOUNT}[^,;]*\bthan"
    r"|(?:went|gone|go|is|are|was|were|been) down"
    r"|down (?:by|on|from)"
)
# Words that name a change, or ask for one ("to increase reporting"): only the first.
_UP_ASKED = r"rises?|increases?|growth"
_DOWN_ASKED = r"falls?|drops?|declines?|decreases?"
_ASKING = r"(?<!\bto )(?<!\bmust )"
_DIRECTION = re.compile(
    rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN})|{_ASKING}(?P<up_noun>{_UP_ASKED})"
    rf"|{_ASKING}(?P<down_noun>{_DOWN_ASKED}))\b",
    re.IGNORECASE,
)
# What a polarity says is better is no claim of a rise or fall.
_POLARITY_WORDS = re.compile(r"\b(?:higher|lower) is better\b", re.IGNORECASE)

# A number as written: "1,099", "68", "31.5", with "%" or "per cent" after a percentage.
_NUMBER = re.compile(
    r"(?<![\w.,£$€/:])(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<decimals>\.\d+)?"
    r"(?P<percent>\s*(?:%|per ?cent\b))?",
    re.IGNORECASE,
)
_NOT_A_FIGURE_AFTER = re.compile(r"^(?:[\w/:\-–]|[.,]\d)")  # 2016/17, 12-month, 3rd, 10:30
_NOT_A_FIGURE_BEFORE = re.compile(rf"(?:[£$€]\s?|\bper |\b(?:{_MONTHS}) )$", re.IGNORECASE)
_CODE_BEFORE = re.compile(r"(?:\b[A-Z]{2,4} ?|\bQ)$")  # "SP 09", "NI 16", "Q3"
_BEFORE_MONTH = re.compile(rf"^ (?:{_MONTHS})\b", re.IGNORECASE)
# A number beside a word of rise or fall, or signed, is the size of a change: "rose by 68",
# "down 40%", "(+31%)"; "223 fewer", "a 31% reduction". ("Rose to 7,170" is a level.)
_CHANGED_BY = re.compile(
    r"(?:\b(?:rose|risen|rising|increased|increasing|grew|grown|growing|climbed|fell|fallen"
    r"|falling|decreased|decreasing|reduced|dropped|declined|declining|up|down)(?:\s+by)?"
    r"(?:\s+(?:almost|nearly|about|around|over|some))?\s+|(?:^|[\s(])[+−-]\s?)$",
    re.IGNORECASE,
)
_CHANGE_AFTER = re.compile(
    r"^\s*(?:more|fewer|less|higher|lower|rises?|increases?|growth|falls?|drops?|declines?"
    r"|decreases?|reductions?)\b",
    re.IGNORECASE,
)

# A number that is a level of the indicator: after "is", "was", "to" or "at" ("rose to
# 7,170", "is now 281"), or before a word for what it counts ("41 reports", "80 crimes").
# Other numbers beside the indicator's name are most often counts of something else ("after
# 12 new centres opened", "across 12 wards"), and are let be.
_LEVEL_BEFORE = re.compile(
    r"\b(?:is|was|to|at)\s+(?:(?:now|still|almost|nearly|about|around|over|some|just)\s+)?$",
    re.IGNORECASE,
)
_COUNTED_AFTER = re.compile(
    r"^\s+(?:(?:recorded|reported|police[- ]recorded)\s+)?"
    r"(?:incidents?|offences?|crimes?|reports?|cases?)\b",
    re.IGNORECASE,
)
# "Fell by 1,099 (25%)": a figure in brackets after a change is the same change.
_BRACKETED = re.compile(r"^\s*\(\s*$")

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CLAUSE = re.compile(r";|:|,\s|\s(?:and|but|while|whereas|although|though)\s", re.IGNORECASE)
# A clause that only adds to the one before: ", a 31% reduction".
_APPOSITION = re.compile(r"^\s*(?:an?|which is an?)\b", re.IGNORECASE)
# What may come before the claim of a clause in a comment that names nothing, for it to be
# about the indicator commented on: a pronoun, or a word for what it counts ("Reporting
# has reduced", "It rose by 68"). Anything else ("Shoplifting accounts for 300", "Repeat
# victims fell") is a sub-category or a related measure, whose numbers are let be.
_ITSELF = frozenset({
    "it", "its", "this", "that", "these", "those", "they", "there", "the", "a", "an", "our",
    "overall", "reporting", "reports", "recorded", "figure", "figures", "number", "numbers",
    "total", "level", "levels", "count", "crimes", "incidents", "offences",
    "year", "to", "date", "so", "far", "now", "still", "also", "again",
    "has", "have", "had", "is", "are", "was", "were", "been",
})  # fmt: skip

# What an indicator's title begins or ends with that a sentence leaves out: "Reduce",
# "Increase reporting of", "Police recorded"; "incidents".
_AIM = re.compile(
    r"^(?:(?:increase|reduce|reduction|decrease|improve|maintain|raise|lower|cut|prevent"
    r"|tackle)(?:\s+in)?\s+)?"
    r"(?:(?:the\s+)?(?:number|rate|level|percentage|proportion|reporting|reports|count)"
    r"\s+of\s+)?(?:police[- ]recorded\s+|recorded\s+|reported\s+)?"
)
_COUNTED = re.compile(r"\s+(?:incidents|offences|crimes)$")


def short_title(title: str) -> str:
    """An indicator's title as a sentence names it: "Police recorded hate crime" is "hate
    crime"; "Reduce Violence with Injury - Excluding Domestic Abuse" is "violence with
    injury"."""
    text = re.sub(r"\([^)]*\)|[\"“”]", " ", title.lower())
    text = re.split(r"\s[-–—]\s|[,:;]", text)[0]
    text = _AIM.sub("", " ".join(text.split()))
    shorter = _COUNTED.sub("", text)
    return shorter if " " in shorter else text


def _phrase(words: str) -> re.Pattern:
    parts = [re.escape(part) for part in re.split(r"[\s-]+", words.strip()) if part]
    return re.compile(r"\b" + r"[\s-]+".join(parts) + r"s?\b", re.IGNORECASE)


def _names(entries: Sequence[dict]) -> list[tuple[re.Pattern, frozenset[int]]]:
    """Each way a sentence may name the indicators, with the indicators it names (the
    same title in two partnerships names both)."""
    named: dict[str, set[int]] = {}
    for entry in entries:
        forms = {entry["title"].lower(), short_title(entry["title"])}
        if entry.get("code"):
            forms.add(entry["code"].lower())
        for form in forms:
            if len(form) >= 4 or (entry.get("code") or "").lower() == form:
                named.setdefault(form, set()).add(entry["id"])
    return [(_phrase(form), frozenset(ids)) for form, ids in named.items() if form.strip()]


def _mentions(text: str, names) -> list[tuple[int, int, frozenset[int]]]:
    """Where ``text`` names indicators: the longest names first, none overlapping."""
    found = sorted(
        ((m.start(), m.end(), ids) for pattern, ids in names for m in pattern.finditer(text)),
        key=lambda item: item[0] - item[1],
    )
    kept: list[tuple[int, int, frozenset[int]]] = []
    for start, end, ids in found:
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, ids))
    return sorted(kept)


def _blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _clauses(sentence: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _CLAUSE.finditer(sentence):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(sentence)))
    return bounds


@dataclass(frozen=True)
class _Number:
    written: str
    value: Decimal
    places: int
    percent: bool
    change: bool = False
    level: bool = False


def numbers_in(text: str, named: Iterable[int] = ()) -> list[_Number]:
    """The numbers ``text`` gives as figures: none that is a year (2016, 2016/17), a date,
    money, a code ("SP 09", "Q3"), part of a word ("12-month", "3rd"), a rate's base
    ("per 1,000"), or a count below 10 (more often "3 groups" than a figure). Each says
    whether it is the size of a change ("rose by 68"), or a level ("rose to 281", "281
    crimes", or "281 hate crimes" where an indicator's name starts at an offset in
    ``named``)."""
    named = set(named)
    found: list[_Number] = []
    previous_end = 0
    for match in _NUMBER.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        whole, decimals = match["number"], match["decimals"] or ""
        percent = bool(match["percent"])
        if not percent and _NOT_A_FIGURE_AFTER.match(after):
            continue
        if _NOT_A_FIGURE_BEFORE.search(before) or _CODE_BEFORE.search(before):
            continue
        if _BEFORE_MONTH.match(after):
            continue
        if len(whole) > 1 and whole.startswith("0"):
            continue
        value = Decimal(whole.replace(",", "") + decimals)
        year = "," not in whole and 1900 <= value <= 2100
        if not percent and not decimals and (year or value < 10):
            continue
        written = match.group().strip()
        places = len(decimals) - 1 if decimals else 0
        change = bool(
            _CHANGED_BY.search(before)
            or _CHANGE_AFTER.match(after)
            or (found and found[-1].change and _BRACKETED.match(text[previous_end : match.start()]))
        )
        level = bool(
            _LEVEL_BEFORE.search(before)
            or _COUNTED_AFTER.match(after)
            or any(n > match.end() and not text[match.end() : n].strip() for n in named)
        )
        found.append(_Number(written, value, places, percent, change, level))
        previous_end = match.end()
    return found


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return abs(number) if number.is_finite() else None


def _walk(value: object, keys: tuple[str, ...] = ()):
    """Every number in a snapshot part, with the keys it is under."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*keys, str(key)))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item, keys)
    else:
        number = _decimal(value)
        if number is not None:
            yield keys, number


# Figures the report does not print as numbers (process limits are drawn, not written;
# the forecast is not shown) or that number periods: a number in the text that only they
# match is no figure.
_NOT_PRINTED = frozenset(
    {"spc_mean", "spc_lower", "spc_upper", "spc_points", "forecast", "months_elapsed",
     "months_remaining", "quarter"}
)  # fmt: skip


@dataclass(frozen=True)
class _Pool:
    counts: frozenset[Decimal]
    percents: frozenset[Decimal]

    def shows(self, number: _Number) -> bool:
        """Whether a figure reads as ``number`` at the decimals it is written to (the
        report's rounding, and rounding the other way, both tolerated)."""
        step = Decimal(1).scaleb(-number.places)
        pool = self.percents if number.percent else self.counts
        return any(abs(figure - number.value) < step for figure in pool)


def _pool(parts: Iterable[tuple[object, bool]], *, changes: bool = False) -> _Pool:
    """The printed figures of snapshot parts (only the changes, if asked): all of them as
    counts; as percentages, those of a percentage measure and those under a "pct" key."""
    counts, percents = set(), set()
    for part, is_percentage in parts:
        for keys, number in _walk(part):
            if keys and keys[-1] in _NOT_PRINTED:
                continue
            if changes and not any("change" in key for key in keys):
                continue
            counts.add(number)
            if is_percentage or any("pct" in key for key in keys):
                percents.add(number)
    return _Pool(frozenset(counts), frozenset(percents))


@dataclass(frozen=True)
class _Shown:
    """What the report prints of some indicators: all their figures, and their changes."""

    figures: _Pool
    changes: _Pool

    def shows(self, number: _Number) -> bool:
        """Whether the report prints ``number``: the size of a change only as a change."""
        return (self.changes if number.change else self.figures).shows(number)


_Parts = list[tuple[object, bool]]  # snapshot parts, each with whether it is a percentage


def _shown(changing: _Parts, others: _Parts) -> _Shown:
    """What the parts print: every figure; changes only from the ``changing`` parts."""
    return _Shown(_pool(changing + others), _pool(changing, changes=True))


def _entry_parts(entry: dict, context: dict) -> tuple[_Parts, _Parts]:
    """What of the snapshot holds an indicator's figures: what holds the changes a sentence
    speaks of (its own record and rolling year), then the rest: its months (a month's
    change is the month's, and a clause naming a month is not checked) and its rows in the
    crime-in-context tables (another source, over other quarters)."""
    percentage = entry.get("measure") == "percentage"
    rows = [
        row
        for key in ("core", "outcomes")
        for row in context.get(key) or []
        if row.get("id") == entry["id"]
    ]
    changing = [(entry.get("figures", {}), percentage), (entry.get("rolling", {}), percentage)]
    return changing, [(entry.get("months", []), percentage), (rows, False)]


# The figures of each period a claim may be about: its value, last year's, the change, and
# the change as a percentage.
_FIGURE_KEYS = {
    "ytd": ("ytd", "ytd_last_year", "ytd_change", "ytd_change_pct"),
    "month": ("value", "last_year_value", "change", "change_pct"),
}


def _change(
    entry: dict, when: str = "ytd"
) -> tuple[Decimal, Decimal, Decimal, Decimal | None] | None:
    """An indicator's figures for the year to date (``when="ytd"``) or the report's month
    ("month"), against the same months last year; None where it has none to compare."""
    if when == "month" and entry.get("frequency", "monthly") != "monthly":
        return None  # a quarterly indicator has no month of its own
    figures = entry.get("figures") or {}
    value, last, change, pct = _FIGURE_KEYS[when]
    try:
        numbers = tuple(Decimal(figures[k]) for k in (value, last, change))
    except (KeyError, TypeError, InvalidOperation):
        return None
    return (*numbers, None if figures.get(pct) is None else Decimal(figures[pct]))


def figures_words(entry: dict, when: str = "ytd", month: str = "") -> str:
    """What the figures show of an indicator's year to date, as the report gives it: "the
    year to date is 281, 63 more than the same months last year (+29%)"; of the report's
    ``month`` ("November is 23, 3 fewer than November last year (−12%)")."""
    figures = _change(entry, when)
    if when == "month":
        subject, than, period = f"{month} is", f"{month} last year", f"figure for {month}"
    else:
        subject, than, period = "the year to date is", "the same months last year", "year to date"
    if figures is None:
        return f"the report has no {period} compared with last year for it"
    value, _, change, pct = figures
    measure = entry.get("measure", "count")
    places = int(entry.get("places") or 0)
    level = format_level(value, measure, places)
    if change == 0:
        return f"{subject} {level}, the same as {than}"
    if measure == "percentage":
        points = format_number(abs(change), max(places, 1))
        size = f"{points} percentage points {'higher' if change > 0 else 'lower'}"
    elif measure == "count":
        size = f"{format_number(abs(change), places)} {'more' if change > 0 else 'fewer'}"
    else:
        size = f"{format_number(abs(change), 1)} {'higher' if change > 0 else 'lower'}"
    relative = ""
    if pct is not None and measure != "percentage":
        relative = f" ({format_change_pct(pct)})"
    return f"{subject} {level}, {size} than {than}{relative}"


def _direction(clause: str) -> tuple[str, str] | None:
    """The one direction a clause gives ("up" or "down") and the word that gives it; None
    for none, or both."""
    words = {}
    for match in _DIRECTION.finditer(_POLARITY_WORDS.sub(" ", clause)):
        way = "up" if match["up"] or match["up_noun"] else "down"
        said = match.group()
        words.setdefault(way, said if len(said.split()) <= 2 else said.split()[0])
    if len(words) != 1:
        return None
    return next(iter(words.items()))


def _about_itself(clause: str) -> bool:
    """Whether a clause of a comment that names no indicator is about the one it is on."""
    claims = [m.start() for m in (_DIRECTION.search(clause), _NUMBER.search(clause)) if m]
    lead = clause[: min(claims)] if claims else clause
    return all(word in _ITSELF for word in re.findall(r"[\w'’-]+", lead.lower()))


@dataclass(frozen=True)
class _Claim:
    """A clause of the text about the figures that is about indicators the report shows
    and speaks of no hope, aim or target, with the sentence it is in and the one before (a
    count may be given there)."""

    where: str
    clause: str
    about: list[dict]
    single: bool  # it names one indicator, or is a comment speaking of its own
    named: tuple[int, ...]  # where in the clause the indicators' names start
    sentence: str
    before: str
    elsewhen: bool  # the sentence speaks of a period other than the year to date or month
    when: str = "ytd"  # the period it speaks of: the year to date, or the report's "month"


def _claims(snapshot: dict, texts: Sequence[_Text]) -> Iterator[_Claim]:
    """Each clause of the text about the figures that is about indicators the report
    shows (the one walk both figure and wording checks read)."""
    entries = {entry["id"]: entry for entry in _entries(snapshot)}
    year_to_date = year_to_date_words(snapshot)
    report_month = report_month_words(snapshot)
    names_by_list: dict[int, list] = {}
    for text in texts:
        if not text.figures:
            continue
        names = names_by_list.setdefault(id(text.entries), _names(text.entries))
        sentences = _SENTENCE.split(text.text)
        for number, sentence in enumerate(sentences):
            mentions = _mentions(sentence, names)
            plain = _blanked(sentence, [(start, end) for start, end, _ in mentions])
            # "Since April", "April to November": the year to date by its months, not
            # another period (a month's name otherwise says the clause is about one).
            if year_to_date is not None:
                plain = _blanked(plain, [m.span() for m in year_to_date.finditer(plain)])
            # "In November": the report's month, whose change the report tests too.
            month_spans = [m.span() for m in report_month.finditer(plain)] if report_month else []
            plain = _blanked(plain, month_spans)
            # What each clause is about: the indicators it names; else (", a 31%
            # reduction") what the clause before was about; else, in a comment, the
            # indicator it is on if the clause speaks of it, or something else.
            about: frozenset[int] = frozenset()
            single = elsewhen = in_month = False
            for start, end in _clauses(plain):
                clause = plain[start:end]
                # From the clause naming the report's month on, the sentence may be of it.
                in_month = in_month or any(start <= s < end for s, _ in month_spans)
                # Once a sentence speaks of another period, so may the rest of it
                # ("last year crimes and incidents reduced by 3%").
                elsewhen = elsewhen or _another_period(clause)
                named = {ids for s, e, ids in mentions if s >= start and e <= end}
                if named:
                    about, single = frozenset().union(*named), len(named) == 1
                elif start > 0 and _APPOSITION.match(clause):
                    pass
                elif text.subject is not None and _about_itself(clause):
                    about, single = frozenset({text.subject["id"]}), True
                else:
                    about, single = frozenset(), False
                subjects = [entries[i] for i in sorted(about) if i in entries]
                if subjects and not _HEDGED.search(clause):
                    yield _Claim(
                        text.where,
                        clause,
                        subjects,
                        single,
                        tuple(s - start for s, e, _ in mentions if s >= start and e <= end),
                        sentence,
                        sentences[number - 1] if number else "",
                        elsewhen,
                        "month" if in_month else "ytd",
                    )


def figure_warnings(snapshot: dict, texts: Sequence[_Text]) -> list[TextWarning]:
    """Numbers no figure of the report shows, and rises or falls the figures contradict,
    in the text about the figures."""
    checker = _FigureChecker(snapshot)
    for claim in _claims(snapshot, texts):
        if not claim.elsewhen:
            checker.check(claim)
    return checker.warnings


class _FigureChecker:
    def __init__(self, snapshot: dict):
        context = snapshot.get("context") or {}
        entries = {entry["id"]: entry for entry in _entries(snapshot)}
        parts = {i: _entry_parts(entry, context) for i, entry in entries.items()}
        self.shown = {i: _shown(*own) for i, own in parts.items()}
        self.everything = _shown(
            [part for changing, _ in parts.values() for part in changing],
            [part for _, others in parts.values() for part in others]
            + [(snapshot.get("family"), False)],
        )
        self.month = _month_name(snapshot)
        self.warnings: list[TextWarning] = []
        self._directions: set[tuple[str, int, str]] = set()

    def _warn(self, where: str, message: str) -> None:
        if TextWarning(where, message) not in self.warnings:
            self.warnings.append(TextWarning(where, message))

    def check(self, claim: _Claim) -> None:
        """A clause's numbers, and its rise or fall if it is about one indicator."""
        for number in numbers_in(claim.clause, claim.named):
            if number.change or number.level:
                self._number(claim, number)
        direction = _direction(claim.clause)
        if claim.single and direction and not _DENIED_OR_A_RATE.search(claim.clause):
            self._direction(claim, direction)

    def _number(self, claim: _Claim, number: _Number) -> None:
        where, subjects = claim.where, claim.about
        if any(self.shown[entry["id"]].shows(number) for entry in subjects):
            return
        if len(subjects) == 1:
            entry = subjects[0]
            self._warn(
                where,
                f"{number.written} is not a figure the report shows for {_named(entry)}: "
                f"{figures_words(entry, claim.when, self.month)}.",
            )
        # A number about nothing the report names ("4 groups were set up", "shoplifting
        # rose by 12%") is let be: it may be about what the report does not measure.
        elif subjects and not self.everything.shows(number):
            self._warn(where, f"{number.written} is not a figure the report shows.")

    def _direction(self, claim: _Claim, direction: tuple[str, str]) -> None:
        where, subjects = claim.where, claim.about
        way, word = direction
        changes = [_change(entry, claim.when) for entry in subjects]
        if any(change is None or change[2] == 0 for change in changes):
            return
        if any((change[2] > 0) == (way == "up") for change in changes):
            return
        entry = subjects[0]
        if (where, entry["id"], claim.when) in self._directions:
            return  # one contradiction of an indicator a text is enough to send them back
        self._directions.add((where, entry["id"], claim.when))
        said = "went up" if way == "up" else "went down"
        shown = "rose" if changes[0][2] > 0 else "fell"
        in_month = f" in {self.month}" if claim.when == "month" else ""
        self._warn(
            where,
            f'"{word}" says {short_title(entry["title"])} {said}{in_month}, but the figures of '
            f"{entry.get('code') or entry['title']} show it {shown}: "
            f"{figures_words(entry, claim.when, self.month)}.",
        )


# --- How a change is told ---------------------------------------------------------------

# "Significant", "significantly"; not "non-significant" or "insignificant".
_SIGNIFICANT = re.compile(r"(?<![\w-])significant(?:ly)?\b", re.IGNORECASE)
_A_CHANGE = re.compile(r"\b(?:changes?|changed|difference)\b", re.IGNORECASE)
# A count in words beside a percentage: "five more (20%)".
_COUNT_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", re.IGNORECASE
)


def _gives_a_count(text: str) -> bool:
    """Whether ``text`` gives a count: a number that is no percentage, year, date, money,
    code or rate's base, or one in words."""
    for match in _NUMBER.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if match["percent"] or _NOT_A_FIGURE_AFTER.match(after) or _BEFORE_MONTH.match(after):
            continue
        if _NOT_A_FIGURE_BEFORE.search(before) or _CODE_BEFORE.search(before):
            continue
        whole = match["number"]
        if "," not in whole and not match["decimals"] and 1900 <= int(whole) <= 2100:
            continue
        return True
    return bool(_COUNT_WORDS.search(text))


def wording_warnings(snapshot: dict, texts: Sequence[_Text]) -> list[TextWarning]:
    """Changes told as REPORTING.md says they must not be, in the text about the figures:
    "significant" of a year to date (or the report's month) the report finds within normal
    variation, and a percentage change of a count given without the count (in its sentence
    or the one before)."""
    warnings: list[TextWarning] = []
    month = _month_name(snapshot)

    def warn(where: str, message: str) -> None:
        if TextWarning(where, message) not in warnings:
            warnings.append(TextWarning(where, message))

    for claim in _claims(snapshot, texts):
        significant = _SIGNIFICANT.search(claim.clause)
        if (
            significant
            and not claim.elsewhen
            and not _DENIED_OR_A_RATE.search(claim.clause)
            and (_DIRECTION.search(claim.clause) or _A_CHANGE.search(claim.clause))
        ):
            for entry in claim.about:
                test = (entry.get("changes") or {}).get(claim.when) or {}
                if test.get("within") is True and _change(entry, claim.when) is not None:
                    in_month = f" in {month}" if claim.when == "month" else ""
                    warn(
                        claim.where,
                        f'"{significant.group()}": the report finds the change in '
                        f"{_named(entry)}{in_month} within normal variation: "
                        f"{figures_words(entry, claim.when, month)}. "
                        'Keep "significant" for a change beyond normal variation, or say '
                        "the change is within it.",
                    )
        if not all(entry.get("measure") == "count" for entry in claim.about):
            continue  # a percentage's change is in points, a rate's has no count
        if _gives_a_count(claim.sentence) or _gives_a_count(claim.before):
            continue
        for number in numbers_in(claim.clause):
            if number.percent and number.change:
                figures = (
                    f" For {_named(claim.about[0])}, "
                    f"{figures_words(claim.about[0], claim.when, month)}."
                    if len(claim.about) == 1 and not claim.elsewhen
                    else ""
                )
                warn(
                    claim.where,
                    f"{number.written} is a percentage without its count: give the number "
                    f"as well.{figures}",
                )
    return warnings


# --- Abbreviations -----------------------------------------------------------------------

# Abbreviations readers know without a glossary (GOV.UK style spells none of them out).
WELL_KNOWN = frozenset({"UK", "EU", "BBC", "NHS", "TV", "PDF", "OK", "GP", "AM", "PM"})
# A run of capitals is shouting ("FOR MONITORING ONLY"); a code ("SP 09", "NI 16") is a code.
_SHOUTING = re.compile(r"\b[A-Z]{2,}(?:[\s,/-]+[A-Z]{2,}\b)+")
_CODE = re.compile(r"\b[A-Z]{1,4} ?\d+\b")


_SPELLED_OUT = re.compile(
    r"\(([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)s?\)|\b([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)s? \([A-Za-z][a-z]"
)


def _spelled_out(texts: Sequence[_Text]) -> set[str]:
    """Abbreviations a text explains where it uses them: "ABC (in words)", "ABC (In
    Words)" or "in words (ABC)"; not "ABC (SP 01)"."""
    joined = "\n".join(text.text for text in texts)
    return {match.group(1) or match.group(2) for match in _SPELLED_OUT.finditer(joined)}


def abbreviations_used(texts: Sequence[_Text]) -> dict[str, str]:
    """Each abbreviation the texts use, and where it is first used."""
    used: dict[str, str] = {}
    for text in texts:
        plain = _CODE.sub(" ", _SHOUTING.sub(" ", text.text))
        for match in ABBREVIATION.finditer(plain):
            used.setdefault(match.group(1), text.where)
    return used


def abbreviation_warnings(snapshot: dict, texts: Sequence[_Text]) -> list[TextWarning]:
    """Abbreviations used in the text that neither the glossary nor the text explains."""
    definitions = snapshot.get("definitions") or {}
    shown = {section["key"] for section in snapshot.get("sections", [])}
    known = WELL_KNOWN | _spelled_out(texts)
    used = {a: where for a, where in abbreviations_used(texts).items() if a not in known}
    if "definitions" not in shown:
        if not used:
            return []
        return [
            TextWarning(
                "Definitions",
                f"The definitions section, with the glossary, is not shown, so "
                f"{joined(used)} {'is' if len(used) == 1 else 'are'} not explained: show "
                "the section, or spell them out where first used.",
            )
        ]
    explained = explained_abbreviations(definitions.get("other_terms", []))
    return [
        TextWarning(where, f"{a} is not explained in the glossary: add it under Other terms.")
        for a, where in used.items()
        if a not in explained
    ]
