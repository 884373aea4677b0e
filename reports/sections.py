"""Report sections from plain data: the priorities (``builder.build_snapshot`` builds them
once the indicator entries exist) and the glossary (``rendering.render_document`` builds it
from the rendered text). Pure: no database, no arithmetic beyond counting entries."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

# Status and direction words for the priority sentences, in the order they are listed:
# every indicator in one status group, as the key findings count them (finding_status).
STATUS = (
    ("red", "red"),
    ("amber", "amber"),
    ("green", "green"),
    ("unrated", "with a target but not rated (figures missing)"),
    ("unrated_baseline", "with a target but not rated (baseline year has no figures)"),
    ("no_target", "with no target set"),
    ("monitor", "for information only"),
)
DIRECTIONS = ("improving", "deteriorating", "stable")
# The directions a change in a count can take by chance: each says how many of its
# indicators' changes are within normal variation (REPORTING.md, REPORT_CHECKLIST 15, 16).
MOVED = ("improving", "deteriorating")

# Abbreviations and terms a report uses (REPORT_CHECKLIST 6 and 24), each listed only when
# the report's text uses it: an abbreviation when it is printed (a whole word in capitals),
# a term when its words are. (term, abbreviation as a pattern or None, words, meaning)
# Those every report is likely to use, listed first:
STANDING = (
    ("CSP", "CSPs?", (), "Community Safety Partnership: the council, police, fire and "
     "rescue, health and probation services working together to reduce crime and disorder "
     "in an area."),
    ("RAG", "RAG", (), "Red, amber, green: the status of an indicator against its target, or "
     "of an action against its plan."),
    ("YTD (year to date)", "YTD", (), "From the first month of the financial year to the "
     "month the report covers."),
    ("Direction of travel", None, ("direction of travel",), "Whether an indicator is "
     "improving or deteriorating, taking account of whether a higher or a lower figure is "
     "better."),
    ("SPC (statistical process control)", "SPC", (), "A method that tells a real change from "
     "the ups and downs every figure has."),
    ("Common cause", None, ("common cause",), "The ups and downs every figure has from one "
     "month to the next by chance: no sign of a real change."),
    ("Special cause", None, ("special cause",), "A figure, or a run of figures, too far from "
     "the usual or too steady a pattern to be chance: a sign of a real change, for the "
     "better or the worse."),
    ("Process limits", None, ("process limit",), "The top and bottom of an indicator's usual "
     "range: how high or low its figure can go by chance alone, worked out from its own "
     "past figures."),
    ("Normal variation", None, ("normal variation", "poisson test"), "A change between two "
     "counts small enough to be chance, so not a real rise or fall. The Poisson test, a "
     "standard test for counts, decides it: for the arithmetic, the test statistic "
     "2(\u221athis figure \u2212 \u221athe figure compared with) lies between \u22123 and "
     "3."),
    ("No target set", None, ("no target set",), "An indicator with no target, so no red, "
     "amber or green status. A higher (or lower) figure is still better, so its direction "
     "of travel is shown."),
    ("For information only", None, ("for information only",), "An indicator with no "
     "target and no better or worse direction (a rise is neither good nor bad news), "
     "reported for context: it has no status and no direction of travel."),
)  # fmt: skip
WHEN_USED = (
    ("ASB", "ASB", (), "Anti-social behaviour: incidents reported to the police, which are "
     "not all crimes."),
    ("PCC", "PCC", (), "Police and Crime Commissioner: the elected official who sets the "
     "police budget and funds community safety work."),
    ("CCG", "CCGs?", (), "Clinical Commissioning Group: the NHS body that plans and buys "
     "health services for an area, and a partner in community safety work."),
    ("SLA", "SLAs?", (), "Service level agreement: what a funded provider agrees to deliver, "
     "and how it will be monitored."),
    ("SARC", "SARC", (), "Sexual assault referral centre."),
    ("IOM", "IOM", (), "Integrated offender management: partners managing the most prolific "
     "offenders together."),
    ("MARAC", "MARAC", (), "Multi-agency risk assessment conference, for victims of domestic "
     "abuse at high risk of serious harm."),
    ("NI", "NI", (), "National indicator: a measure from the former national indicator set."),
    ("LAA", "LAA", (), "Local area agreement: targets agreed between an area's partners and "
     "central government."),
    ("MSG", "MSG", (), "Most similar group: the areas the Home Office judges most like this "
     "one, used to compare crime rates."),
    ("Per 1,000", None, ("per 1,000",), "A rate: the count divided by the population (or "
     "households, or businesses) and multiplied by 1,000, so areas of different sizes can be "
     "compared."),
    ("[c]", None, ("[c]",), "A small count withheld so that nobody can be identified."),
    ("[r]", None, ("[r]",), "A revised figure: changed since a report gave it. The figures "
     "revised since the last report are listed as they were and as they are, with the "
     "reasons given."),
)  # fmt: skip


# Every abbreviation at once, each a named group: one pass over a report's text finds all
# it uses (a search per abbreviation read half a megabyte 20 times).
_ABBREVIATIONS = re.compile(
    "|".join(
        rf"\b(?P<t{i}>{abbreviation})\b"
        for i, (_, abbreviation, _, _) in enumerate(STANDING + WHEN_USED)
        if abbreviation
    )
)


# Said of RAG only when the definitions print the key (an indicator with a target).
RAG_KEY = " The key in this appendix gives the thresholds."


def glossary(text: str, own: Sequence[dict] = (), *, status_key: bool = True) -> list[dict]:
    """The abbreviations and terms ``text`` uses, the report's standing ones first, then
    the editor's ``own`` (``Report.other_terms``), each printed whether used or not. An
    editor's term for an abbreviation listed here is printed instead of ours.
    ``status_key``: whether the definitions print the key to red, amber and green."""
    lower = text.lower()
    found = {match.lastgroup for match in _ABBREVIATIONS.finditer(text)}
    replaced = {abbreviation for item in own for abbreviation in abbreviations(item["term"])}
    terms = []
    for i, (term, abbreviation, forms, meaning) in enumerate(STANDING + WHEN_USED):
        used = f"t{i}" in found if abbreviation else any(form in lower for form in forms)
        if used and not (abbreviations(term) & replaced):
            if term == "RAG" and status_key:
                meaning += RAG_KEY
            terms.append({"term": term, "meaning": meaning})
    return terms + [{"term": item["term"], "meaning": item["meaning"]} for item in own]


# An abbreviation: two or more capitals (digits may follow the first), with a plural "s"
# ("CCGs", "NI16"). A run of such words is shouting ("FOR MONITORING ONLY"), not one.
ABBREVIATION = re.compile(r"(?<![\w'’-])([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)s?(?![\w'’-])")


def abbreviations(text: str) -> set[str]:
    """The abbreviations ``text`` uses, each without its plural "s"."""
    return {match.group(1) for match in ABBREVIATION.finditer(text)}


def explained_abbreviations(own: Sequence[dict] = ()) -> set[str]:
    """The abbreviations the glossary explains wherever the report uses them: ours and the
    editor's own terms (``Report.other_terms``)."""
    ours = {term for term, abbreviation, _, _ in STANDING + WHEN_USED if abbreviation}
    return {a for text in [*ours, *(item["term"] for item in own)] for a in abbreviations(text)}


def formats_contact(cover: Mapping, partnership: str, covered: Sequence[str] = ()) -> str:
    """Whom the "another format" statement asks a reader to go to: the contact officer,
    else the responsible officer the report is of, each by name; with neither, the
    partnership by name, or for an overview of several partnerships (``covered``) any of
    them. Never "the contact officer" with nobody named."""
    for key, who in (
        ("contact_officer", "the contact officer"),
        ("report_of", "the responsible officer"),
    ):
        name = (cover.get(key) or "").strip()
        if name:
            return f"{who} ({name})"
    if len(covered) > 1:
        return "any of the partnerships this report covers"
    return covered[0] if covered else partnership


def _counts(pairs: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{count} {word}" for word, count in pairs if count)


def finding_status(entry: Mapping) -> str:
    """An indicator's one status group: its status; else, not rated though it has a target
    ("unrated", or "unrated_baseline" when its baseline year has no figures for the months),
    no target set, or monitoring only. The key findings and the priorities'
    statistics both count by it, so their counts agree."""
    if entry.get("polarity") == "monitor":
        return "monitor"
    if entry["status"] != "none":
        return entry["status"]
    if not entry.get("has_target"):
        return "no_target"
    # Why, as commentary.target_status_words said it (a snapshot made before has no why).
    return "unrated_baseline" if entry.get("unrated_why") == "baseline" else "unrated"


def within_normal_variation(entry: Mapping) -> bool:
    """Whether an indicator's year-to-date change against the same months last year was
    tested and is within normal variation (``changes["ytd"]``): its direction of travel may
    be chance. An untested change (a rate, a percentage, a missing figure) is not."""
    return ((entry.get("changes") or {}).get("ytd") or {}).get("within") is True


def within_note(count: int, within: int | None) -> str:
    """What ``count`` indicators improving or deteriorating say of normal variation, when
    ``within`` of them are within it: "(1 within normal variation)", "(both within normal
    variation)"; nothing when none is (or a snapshot made before it was counted)."""
    if not within:
        return ""
    if within < count:
        return f"({within} within normal variation)"
    every = {1: "", 2: "both "}.get(count, "all ")
    return f"({every}within normal variation)"


def _direction_count(word: str, entries: Sequence[dict]) -> str:
    """ "2 deteriorating (1 within normal variation)", "1 stable"."""
    within = sum(map(within_normal_variation, entries)) if word in MOVED else 0
    return f"{len(entries)} {word} {within_note(len(entries), within)}".rstrip()


def statistics_sentence(entries: Sequence[dict]) -> str:
    """A priority's indicators in one sentence: "Of its 3 indicators: 1 amber, 2 for
    information only; against last year, 2 deteriorating (1 within normal variation)."
    Every indicator is counted in one status group. Counts only, no percentages."""
    if not entries:
        return "No indicator with figures is reported under this priority."
    total = len(entries)
    groups = [finding_status(e) for e in entries]
    statuses = _counts([(word, groups.count(key)) for key, word in STATUS])
    rated = [e for e in entries if e.get("polarity") != "monitor"]
    moved = [(word, [e for e in rated if e["direction"] == word]) for word in DIRECTIONS]
    directions = ", ".join(_direction_count(word, own) for word, own in moved if own)
    noun = "indicator" if total == 1 else "indicators"
    sentence = f"Of its {total} {noun}: {statuses}"
    if directions:
        sentence += f"; against last year, {directions}"
    return f"{sentence}."


def _none_reported(missing: Sequence[str]) -> str:
    """ "No successes or focus for next quarter reported." for the parts left empty."""
    if not missing:
        return ""
    words = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} or {missing[-1]}"
    return f"No {words} reported."


def priorities(
    entries: Sequence[dict],
    group_names: Sequence[str],
    *,
    whole_name: str,
    successes: Mapping[str, str],
    focus: Mapping[str, str],
    risks: Sequence[str],
    risk_groups: Sequence[str],
) -> list[dict]:
    """Each CSP priority (theme group) with its statistics, successes, current risks and
    focus for next quarter (REPORT_CHECKLIST 6). "" is the partnership as a whole."""

    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    items = []
    single = len(group_names) == 1
    for name in group_names:
        # A theme group's own report takes all its indicators; otherwise by theme group.
        own = list(entries) if single else [e for e in entries if e["theme_group"] == name]
        own_risks = [
            text for text, group in zip(risks, risk_groups, strict=False) if single or group == name
        ]
        item = {
            "group": name or f"{whole_name} as a whole",
            "statistics": statistics_sentence(own) if own else "",
            "exceptions": [
                {"id": e["id"], "title": e["title"], "status": e["status"]}
                for e in own
                if e["has_target"] and e["status"] in ("red", "amber")
            ],
            "successes": lines(successes.get(name, "")),
            "risks": own_risks,
            "focus": lines(focus.get(name, "")),
        }
        missing = [
            label
            for key, label in (
                ("successes", "successes"),
                ("risks", "open risks"),
                ("focus", "focus for next quarter"),
            )
            if not item[key]
        ]
        item["not_reported"] = _none_reported(missing)
        # Its paragraphs are numbered in turn, with no gap where a part has nothing to say.
        parts = ("statistics", "successes", "risks", "focus", "not_reported")
        given = [key for key in parts if item[key]]
        item["numbers"] = {key: number for number, key in enumerate(given, start=1)}
        if own or item["successes"] or item["risks"] or item["focus"]:
            items.append(item)
    return items
