"""Plain-English commentary and number formatting built from computed figures.

Every word that says which way a figure moved is chosen from the sign of an unrounded
figure, so the text cannot contradict the numbers. Rounding happens here, only for display.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from csp_portal.core.text import joined
from indicators import spc
from indicators.figures import Figures, IndicatorSpec, TargetSpec, change_test, tolerance_amount
from indicators.periods import (
    add_months,
    financial_year_of,
    fy_label,
    fy_start,
    month_label,
    month_name,
    period_label,
    quarter_months,
    quarter_of,
    quarter_span,
)
from indicators.spc import Signal

__all__ = [
    "change_variation_sentence",
    "commentary",
    "figures_places",
    "format_change_pct",
    "format_level",
    "format_number",
    "format_percent",
    "partial_ytd_only_this_month",
    "profile_words",
    "quarter_gap_words",
    "quarter_same_label",
    "required_per_month",
    "shown_gap",
    "shown_places",
    "signal_phrase",
    "signal_sentence",
    "singular_noun",
    "spc_summary",
    "target_status_words",
    "target_words",
    "usual_range_sentence",
]


def _rounded(value: Decimal, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero."""
    # ROUND_HALF_UP in decimal rounds halves away from zero, which is the presentation rule.
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded  # no "-0"


def format_number(value: Decimal, places: int = 0) -> str:
    """The number rounded for display with thousands separated by commas, e.g. "1,149"."""
    return f"{_rounded(value, places):,.{places}f}"


def format_percent(value: Decimal, places: int = 0) -> str:
    """The number rounded for display as a percentage, e.g. "31%"."""
    return f"{format_number(value, places)}%"


def _plain(value: Decimal) -> str:
    """A setting such as a tolerance, with no trailing zeros: "5", "2.5"."""
    return format(value.normalize(), "f")


def shown_places(measure: str, values: Iterable[Decimal | None]) -> int:
    """Decimals a series is shown to: none for a count, nor for a point-in-time level
    whose every value is whole (a snapshot of a count: 333, not 333.0); one otherwise (a
    level of 89.6% rounded to "90%" would read as meeting a 90% target)."""
    if measure == "count":
        return 0
    whole = [v == v.to_integral_value() for v in values if v is not None]
    if measure == "snapshot" and whole and all(whole):
        return 0
    return 1


def figures_places(measure: str, figures: Figures) -> int:
    """``shown_places`` of an indicator's headline figures, as its tables and sentences
    show them all: a point-in-time level of 7.46 against a target of 7.2 is not "7"."""
    f = figures
    shown = (f.value, f.last_year_value, f.ytd, f.ytd_last_year, f.target_to_date, f.annual_target)
    return shown_places(measure, shown)


def _amount(value: Decimal, places: int) -> str:
    """A size of difference, which never reads as zero when it is not."""
    size = abs(value)
    if size != 0 and _rounded(size, places) == 0:
        return f"less than {format_number(Decimal(1).scaleb(-places), places)}"
    return format_number(size, places)


def _with_article(phrase: str) -> str:
    """The phrase after "a" or "an", chosen by how its first word is spoken: "an 8%
    increase", "an 11% reduction", "a 1% reduction", "an increase", "a reduction".

    A number takes "an" when said with a vowel sound (8, 11, 18, 80, 11,000...); a word
    takes "an" when it starts with a vowel (none of the words put here is said otherwise,
    as "unit" or "one" would be)."""
    number = re.match(r"[\d,]+", phrase)  # the whole part: "11,000" of "11,000.5%"
    if number:
        digits = number.group().replace(",", "")
        eleven_or_eighteen = len(digits) % 3 == 2 and digits[:2] in ("11", "18")
        vowel = digits.startswith("8") or eleven_or_eighteen
    else:
        vowel = phrase[:1].lower() in "aeiou"
    return f"{'an' if vowel else 'a'} {phrase}"


def _relative(pct: Decimal | None, up: str, down: str) -> str:
    """A percentage change as a phrase: "a 31% increase", "a 6% reduction"."""
    if pct is None or pct == 0:
        return ""
    word = up if pct > 0 else down
    if _rounded(abs(pct), 0) == 0:
        return f", {_with_article(f'{word} of less than 1%')}"
    return f", {_with_article(f'{format_number(abs(pct))}% {word}')}"


def _months_in_words(months: Sequence[date]) -> str:
    """Month names joined as prose: "August", "August and September", "May, June and July"."""
    names = [month_name(m) for m in months]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _level(value: Decimal, spec: IndicatorSpec, figures: Figures, noun: str = "") -> str:
    """A level as read aloud: "88.4%", "12.3 per 1,000", "45"; a rate's number alone
    after a noun that already says "per 1,000" ("the crime rate per 1,000 population was
    20.1")."""
    if spec.measure == "rate" and "per 1,000" in noun:
        return format_number(value, 1)
    return format_level(value, spec.measure, figures_places(spec.measure, figures))


# The decimals of every percentage change a report prints (``format_change_pct``).
CHANGE_PCT_PLACES = 0


def format_change_pct(value: Decimal, places: int = CHANGE_PCT_PLACES) -> str:
    """A percentage change as a report prints it, in every table and sentence: to a whole
    per cent, so one figure reads the same throughout (REPORTING: the same decimals along a
    series; ONS: round consistently, at the precision a panel needs): "+27%", "−31%",
    "0%". One that is not nothing but would read 0% says so, "a rise of less than 1%",
    never taking a decimal that the same figure elsewhere lacks. ``places`` other than
    ``CHANGE_PCT_PLACES`` only for a column of a snapshot made before this rule, which
    chose decimals for each column."""
    if value and _rounded(value, places) == 0:
        word = "rise" if value > 0 else "fall"
        return f"a {word} of less than {format_number(Decimal(1).scaleb(-places), places)}%"
    text = format_percent(abs(value), places)
    if value > 0:
        return f"+{text}"
    return f"\u2212{text}" if value < 0 else text


def format_level(value: Decimal, measure: str, places: int = 0) -> str:
    """A level with its unit: "88%" (or to ``places``: "88.4%"), "12.3 per 1,000" (a
    rate to one place), "1,149" (a count, whole), "7.5" (a point-in-time value to
    ``places``)."""
    if measure == "percentage":
        return format_percent(value, places)
    if measure == "rate":
        return f"{format_number(value, 1)} per 1,000"
    return format_number(value, places if measure == "snapshot" else 0)


def target_words(target: dict | None, measure: str, fy_start_month: int = 4) -> str:
    """A target as its audit record holds it, in words: "375 for the year", "a 3%
    reduction on 2015/16", "428 to date" (a point of a cumulative profile), "No target"."""
    if target is None:
        return "No target"
    value = Decimal(target["value"])
    places = 0 if value == value.to_integral() else 1  # a 3% reduction, a 2.5% increase
    if target["kind"] == "change_pct":
        baseline = fy_label(target["baseline_year"], fy_start_month)
        if value == 0:
            return f"no change on {baseline}"
        size = "reduction" if value < 0 else "increase"
        return f"{_with_article(f'{format_percent(abs(value), places)} {size}')} on {baseline}"
    # A level to the decimals its figures and target to date are printed to: "90.0%" (as
    # beside "88.4%"), never "90%" a few lines from "90.0%"; a point-in-time level "7.2",
    # never "7" (``shown_places``).
    level = format_level(value, measure, shown_places(measure, [value]))
    return f"{level} to date" if target["kind"] == "cumulative" else f"{level} for the year"


def profile_words(
    last: date, value: Decimal, measure: str, *, quarterly: bool, fy_start_month: int = 4
) -> str:
    """A cumulative profile by its last point: "a monthly profile: 640 for the year", or
    "a monthly profile: 300 to September 2016" when its points stop before the year ends
    (a quarterly point is named by its quarter's last month)."""
    value = Decimal(value)
    year = financial_year_of(last, fy_start_month)
    quarter = quarter_months(year, quarter_of(last, fy_start_month), fy_start_month)
    end = quarter[-1] if quarterly else last
    kind = "quarterly" if quarterly else "monthly"
    level = format_level(value, measure, shown_places(measure, [value]))
    if end == add_months(fy_start(year, fy_start_month), 11):
        return f"a {kind} profile: {level} for the year"
    return f"a {kind} profile: {level} to {month_label(end)}"


def target_status_words(
    target: TargetSpec, figures: Figures, measure: str, *, quarterly: bool, fy_start_month: int
) -> dict[str, str]:
    """The year's target in words ("a 2% reduction on 2009/10", "a monthly profile: 640
    for the year") as ``target_words``, and as ``unrated`` why the indicator is not rated
    against it when it is not ("" when it is): REPORTING, flag a missing baseline or
    target. The report and the indicator page both say it from here. ``unrated_why`` names
    the reason for the report's counts: "baseline" (the baseline year has no figures for
    the months), "profile" (no profile point for them), "figures" (this year's are
    missing), "" when rated."""
    if target.kind == "cumulative":
        last = max(target.profile) if target.profile else None
        words = (
            profile_words(
                last,
                target.profile[last],
                measure,
                quarterly=quarterly,
                fy_start_month=fy_start_month,
            )
            if last
            else "a profile with no points set"
        )
    else:
        words = target_words(
            {"kind": target.kind, "value": target.value, "baseline_year": target.baseline_year},
            measure,
            fy_start_month,
        )
    if figures.ytd_partial:
        unrated = (
            "figures are missing for part of the year so far, so there is no year-to-date "
            "total to set against the target"
        )
        why = "figures"
    elif figures.ytd is None and figures.ratio_parts_missing:
        unrated = (
            "the numerators and denominators behind the year to date are missing for some "
            "months, so there is no year-to-date figure to set against the target"
        )
        why = "figures"
    elif figures.target_to_date is not None:
        unrated, why = "", ""  # rated
    elif all(value is None for _, value in figures.this_year):
        unrated, why = "there are no figures for the year yet", "figures"
    elif target.kind == "change_pct":
        baseline = fy_label(target.baseline_year, fy_start_month)
        parts = (
            " (or their numerators and denominators)" if measure in ("percentage", "rate") else ""
        )
        unrated = (
            f"there is no target to date, as {baseline}, the baseline, has no figures{parts} "
            "for the same months"
        )
        why = "baseline"
    elif target.kind == "cumulative":
        unrated = (
            "there is no target to date, as the profile has no point for one or more "
            f"{'quarters' if quarterly else 'months'} of the year so far"
        )
        why = "profile"
    else:
        unrated, why = "there is no target to date", "figures"
    return {"target_words": words, "unrated": unrated, "unrated_why": why}


def _difference(
    change: Decimal, spec: IndicatorSpec, figures: Figures, *, under_shown: bool = False
) -> str:
    """The size of a change in a level: "2 percentage points", "0.4", "3"; with
    ``under_shown``, less than the figures' last decimal ("less than 1")."""
    places = figures_places(spec.measure, figures)
    if under_shown:
        amount = f"less than {format_number(Decimal(1).scaleb(-places), places)}"
    else:
        amount = _amount(change, places)
    if spec.measure == "percentage":
        single = amount in ("1", "less than 1")  # "less than 1 percentage point"
        return f"{amount} percentage point{'' if single else 's'}"
    return amount


def _parts(numerator: Decimal | None, denominator: Decimal | None) -> str:
    """The counts behind a percentage: " (528 of 600)"."""
    if numerator is None or denominator is None:
        return ""
    return f" ({format_number(numerator)} of {format_number(denominator)})"


def _count_noun(value: Decimal, noun: str, noun_singular: str | None) -> str:
    return noun_singular if noun_singular and _rounded(value, 0) == 1 else noun


def _one_unnamed(value: Decimal, noun_singular: str | None) -> bool:
    """Whether a count is 1 of a noun with no singular: "1 hate crimes" would be wrong, so
    the sentence says "the number of ... was 1" instead."""
    return not noun_singular and _rounded(value, 0) == 1


def _number_of(noun: str) -> str:
    """ "the number of hate crimes recorded" (a noun that already names a number as it is)."""
    named = noun if re.match(r"(number|count|total) of ", noun) else f"number of {noun}"
    return f"the {named}{_recorded(noun)}"


# Plurals that do not end in "s", and their singulars.
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman"}
# Words that begin what follows a head noun: "incidents of ...", "people accessing ...".
_AFTER_HEAD = {
    "of", "with", "without", "in", "to", "from", "for", "on", "by", "at", "against",
    "involving", "under", "over", "who", "that", "which", "where", "per", "excluding",
    "including",
}  # fmt: skip


def _singular_word(word: str) -> str | None:
    """A plural word's singular ("crimes" -> "crime", "opportunities" -> "opportunity",
    "people" -> "person"), or None when it is not a regular plural."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return word[0] + _IRREGULAR[lower][1:] if word[:1].isupper() else _IRREGULAR[lower]
    if len(lower) < 3 or not lower.endswith("s") or lower.endswith(("ss", "us", "is")):
        return None
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    return word[:-1]


def singular_noun(noun: str) -> str | None:
    """A count's unit for one of it, its head noun made singular: "hate crimes" -> "hate
    crime", "incidents of anti-social behaviour" -> "incident of anti-social behaviour",
    "people attending sessions" -> "person attending sessions", "crimes and incidents" ->
    "crime or incident". None when there is no plural head to make singular (commentary
    then words a count of 1 another way)."""
    words = noun.split(" ")
    head = len(words) - 1
    for index, word in enumerate(words[1:], start=1):
        bare = word.strip("()\"'").lower()
        # The head ends before a preposition, a participle ("recorded", "attending") or a
        # bracket.
        if (
            bare in _AFTER_HEAD
            or word.startswith("(")
            or (len(bare) > 4 and bare.endswith(("ed", "ing")) and _singular_word(words[index - 1]))
        ):
            head = index - 1
            break
    words = list(words)
    one = _singular_word(words[head])
    if one is None:
        return None
    words[head] = one
    # "crimes and incidents": either is one.
    if head >= 2 and words[head - 1] == "and" and (other := _singular_word(words[head - 2])):
        words[head - 2 : head] = [other, "or"]
    return " ".join(words)


def _recorded(noun: str) -> str:
    """ " recorded" after a noun that does not already say how it was counted: "crimes
    recorded", but "organisations registered" and "people attending sessions" as they are."""
    outside = re.sub(r"\([^)]*\)", "", noun)
    words = re.findall(r"[a-z]+", outside.lower())
    said = any(len(w) > 4 and (w.endswith("ed") or w.endswith("ing")) for w in words)
    return "" if said else " recorded"


def _covered_in_words(figures: Figures, spec: IndicatorSpec) -> tuple[str, bool]:
    """The periods the year to date adds up, in words, and whether there is more than one."""
    covered = figures.ytd_periods
    if spec.frequency == "quarterly":
        spans = [f"{month_name(m)} to {month_name(add_months(m, 2))}" for m in covered]
        plural = len(spans) > 1
        return f"the quarter{'s' if plural else ''} {' and '.join(spans)}", plural
    return _months_in_words(covered), len(covered) > 1


def partial_ytd_only_this_month(figures: Figures, spec: IndicatorSpec) -> bool:
    """Whether a partial year to date is just the reporting month (its own sentence says it)."""
    return (
        figures.ytd_partial
        and spec.frequency == "monthly"
        and figures.ytd_periods == (figures.period,)
        and figures.value is not None
    )


def _against(head: str, figures: Figures, spec: IndicatorSpec, compared: str) -> str:
    """The sentence ``head`` (a year to date, or the months with figures), then how it
    compares with ``compared`` ("the same period last year"): more or fewer for a count,
    higher or lower for a level."""
    change = figures.ytd_change
    if change is None:
        return f"{head}."
    if spec.measure == "count":
        if change == 0:
            return f"{head}, the same number as {compared}."
        more = "more" if change > 0 else "fewer"
        tail = (
            ", when there were none"
            if figures.ytd_last_year == 0
            else _relative(figures.ytd_change_pct, "increase", "reduction")
        )
        return f"{head}, {_amount(change, 0)} {more} than {compared}{tail}."
    if change == 0:
        return f"{head}, the same as {compared}."
    higher = "higher" if change > 0 else "lower"
    tail = (
        ""
        if figures.change_is_points
        else _relative(figures.ytd_change_pct, "increase", "reduction")
    )
    return f"{head}, {_difference(change, spec, figures)} {higher} than {compared}{tail}."


def _partial_sentences(
    figures: Figures, spec: IndicatorSpec, noun: str, noun_singular: str | None, has_target: bool
) -> str:
    """A year to date with gaps: which periods it adds up, never called the year so far."""
    named, plural = _covered_in_words(figures, spec)
    step = 3 if spec.frequency == "quarterly" else 1
    ends = [figures.ytd_end, *(add_months(m, step - 1) for m in figures.missing_periods)]
    span = f"{month_name(figures.fy_start)} to {month_name(max(ends))}"
    has = "have figures" if plural else "has a figure"
    status = " and no status against the target" if has_target else ""
    head = f"Only {named} {has} so far, so there is no total for {span}{status}."
    if partial_ytd_only_this_month(figures, spec):
        return head
    ytd = figures.ytd
    those = "Those months" if plural else "That month"
    if spec.frequency == "quarterly":
        those = "Those quarters" if plural else "That quarter"
    compared = f"the same {'quarters' if spec.frequency == 'quarterly' else 'months'} last year"
    if spec.measure == "count" and _one_unnamed(ytd, noun_singular):
        body = f"In {those.lower()} {_number_of(noun)} was {format_number(ytd)}"
    elif spec.measure == "count":
        word = _count_noun(ytd, noun, noun_singular)
        body = f"{those} had {format_number(ytd)} {word}{_recorded(noun)}"
    else:
        body = (
            f"Over {those.lower()} the {noun} was {_level(ytd, spec, figures, noun)}"
            f"{_parts(figures.ytd_numerator, figures.ytd_denominator)}"
        )
    return _against(f"{head} {body}", figures, spec, compared)


def _ytd_sentence(
    figures: Figures,
    spec: IndicatorSpec,
    noun: str,
    noun_singular: str | None,
    has_target: bool = False,
) -> str | None:
    """The year to date against the same period last year."""
    ytd = figures.ytd
    if ytd is None or figures.ytd_end is None:
        return None
    if figures.ytd_partial:
        return _partial_sentences(figures, spec, noun, noun_singular, has_target)
    single = figures.ytd_end == figures.fy_start
    start, end = month_name(figures.fy_start), month_name(figures.ytd_end)
    span = f"In {end}" if single else f"Between {start} and the end of {end}"
    compared = "a year earlier" if spec.measure == "snapshot" else "the same period last year"
    if spec.measure == "count" and _one_unnamed(ytd, noun_singular):
        head = f"{span} {_number_of(noun)} was {format_number(ytd)}"
    elif spec.measure == "count":
        word = _count_noun(ytd, noun, noun_singular)
        is_one = _rounded(ytd, 0) == 1
        verb = ("was" if is_one else "were") if single else ("has been" if is_one else "have been")
        head = f"{span} there {verb} {format_number(ytd)} {word}{_recorded(noun)}"
    else:
        if spec.measure == "snapshot":
            span = f"At the end of {end}"
        head = (
            f"{span} the {noun} was {_level(ytd, spec, figures, noun)}"
            f"{_parts(figures.ytd_numerator, figures.ytd_denominator)}"
        )
    return _against(head, figures, spec, compared)


def shown_gap(figures: Figures, places: int) -> Decimal | None:
    """The gap to the target to date as the two figures beside it read: the year to date
    less the target, each rounded to ``places`` as printed (100 against a target of 97.5,
    printed 98, is 2 above it, not 2.5 printed 3). None where there is no gap, or where
    the two print alike, or the wrong way round, though they differ: its size is then
    under what the figures show ("less than 1")."""
    ytd, target, gap = figures.ytd, figures.target_to_date, figures.target_gap
    if ytd is None or target is None or gap is None:
        return None
    shown = _rounded(ytd, places) - _rounded(target, places)
    if gap == 0 or (shown != 0 and (shown > 0) == (gap > 0)):
        return shown
    return None


def _tolerance(figures: Figures, spec: IndicatorSpec, target: str) -> str:
    """The amber band in words, as a share of the target and as an amount in the figure's
    unit, to a decimal more than the figures (a 5% band of a 3.0% target is 0.15 points,
    not a 5 point one): "the tolerance of 5% of the target, which is 0.15 percentage
    points"."""
    band = tolerance_amount(figures.target_to_date, spec.tolerance_pct)
    places = figures_places(spec.measure, figures) + 1
    amount = format_number(band, places).rstrip("0").rstrip(".") if band else "0"
    if spec.measure == "percentage":
        amount += " percentage point" + ("" if amount == "1" else "s")
    return f"the tolerance of {_plain(spec.tolerance_pct)}% of the {target}, which is {amount}"


def _target_sentence(figures: Figures, spec: IndicatorSpec) -> str | None:
    """The year to date against the target to date, with its status in words."""
    target, gap = figures.target_to_date, figures.target_gap
    if target is None or gap is None:
        return None
    if spec.measure == "count":
        what, level = "target to date", format_number(target)
    else:
        what, level = "target", _level(target, spec, figures)
    named = f"the {what} of {level}"
    status = {
        "green": ", so the target is met (green)",
        "amber": f", within {_tolerance(figures, spec, what)} (amber)",
        "red": f", outside {_tolerance(figures, spec, what)} (red)",
    }.get(figures.status, "")
    if gap == 0:
        return f"This is exactly {named}{status}."
    side = "above" if gap > 0 else "below"
    shown = shown_gap(figures, figures_places(spec.measure, figures))
    size = _difference(gap if shown is None else shown, spec, figures, under_shown=shown is None)
    return f"This is {size} {side} {named}{status}."


def required_per_month(required: Decimal, polarity: str) -> Decimal:
    """The monthly average still needed for the annual target, whole and rounded the way
    that keeps to it: up for a figure to reach (higher is better: 82.2 a month needs 83, as
    82 falls short), down for a ceiling (lower is better: staying within 1,478.5 a month
    is staying within 1,478, as 1,479 goes over)."""
    rounding = ROUND_CEILING if polarity == "higher" else ROUND_FLOOR
    return required.to_integral_value(rounding=rounding)


def _required_sentence(
    figures: Figures, spec: IndicatorSpec, noun: str, noun_singular: str | None
) -> str | None:
    """The monthly average still needed to meet (or stay within) the annual target."""
    required, annual = figures.required_monthly_average, figures.annual_target
    if required is None or annual is None or figures.ytd_end is None or figures.ytd is None:
        return None
    if spec.polarity not in ("lower", "higher"):
        return None
    first = add_months(figures.ytd_end, 1)
    last = add_months(figures.fy_start, 11)
    when = (
        f"in {month_name(last)}"
        if first == last
        else (f"between {month_name(first)} and {month_name(last)}")
    )
    annual_text = format_number(annual)
    if required <= 0:
        if spec.polarity == "higher":
            return f"The annual target of {annual_text} has already been met."
        position = "already equals" if required == 0 else "is already above"
        return f"The year to date {position} the annual target of {annual_text}."
    average = required_per_month(required, spec.polarity)
    if average == 0:
        # Under 1 a month: what is left, in all, for the rest of the year.
        left = (annual - figures.ytd).to_integral_value(rounding=ROUND_FLOOR)
        within = f"To stay within the annual target of {annual_text}"
        if left == 0:
            return f"{within}, no more {noun} can be recorded {when}."
        named = (
            ""
            if _one_unnamed(left, noun_singular)
            else f" {_count_noun(left, noun, noun_singular)}"
        )
        return f"{within}, no more than {format_number(left)}{named} can be recorded {when}."
    # "an average of 1 per month" where the noun has no singular.
    named = (
        ""
        if _one_unnamed(average, noun_singular)
        else f" {_count_noun(average, noun, noun_singular)}"
    )
    per_month = f"{format_number(average)}{named} per month"
    if spec.polarity == "higher":
        return (
            f"To meet the annual target of {annual_text}, an average of {per_month} is needed "
            f"{when}."
        )
    return (
        f"To stay within the annual target of {annual_text}, the average must not exceed "
        f"{per_month} {when}."
    )


ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
)


def _ordinal(number: int) -> str:
    """ "sixth" for 6; digits with a suffix beyond twenty ("24th")."""
    if 1 <= number <= len(ORDINALS):
        return ORDINALS[number - 1]
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def signal_phrase(signal: Signal, frequency: str = "monthly") -> str:
    """A special-cause signal named in words: "the sixth month in a row below the average"."""
    unit = "month" if frequency == "monthly" else "quarter"
    if signal.rule == "beyond":
        return f"{signal.side} the {_limit(signal.side)}"
    if signal.rule == "two_of_three":
        return f"two of the last three {unit}s near the {_limit(signal.side)}"
    if signal.rule == "shift":
        where = f"{signal.side} the average"
    else:
        where = f"{'higher' if signal.side == 'rising' else 'lower'} than the one before"
    if signal.run == signal.length:  # the run so far, as at its latest point
        return f"the {_ordinal(signal.run)} {unit} in a row {where}"
    return f"one of {signal.length} {unit}s in a row {where}"


def _limit(side: str) -> str:
    return f"{'upper' if side == 'above' else 'lower'} process limit"


def signal_sentence(name: str, signal: Signal, frequency: str = "monthly") -> str:
    """A special cause as a sentence of its own (so it cannot read as part of a comparison),
    worded by its rule: only a figure beyond a process limit is outside its usual range; a
    run, a trend or two of three near a limit is special cause within the limits. "November's
    figure is within the process limits, but it is the seventh month in a row above the
    average (special cause variation)."."""
    if signal.rule == "beyond":
        return (
            f"{name}'s figure is outside its usual range: {signal_phrase(signal, frequency)} "
            "(special cause variation)."
        )
    if signal.rule == "two_of_three":
        unit = "month" if frequency == "monthly" else "quarter"
        which = f"two of the last three {unit}s, {name} included, are near the "
        said = which + _limit(signal.side)
    else:
        said = f"it is {signal_phrase(signal, frequency)}"
    return f"{name}'s figure is within the process limits, but {said} (special cause variation)."


def _quarter_ended(figures: Figures, spec: IndicatorSpec) -> bool:
    """Whether the reporting month ends its quarter."""
    month = figures.period
    return quarter_of(add_months(month, 1), spec.fy_start_month) != quarter_of(
        month, spec.fy_start_month
    )


def quarter_gap_words(figures: Figures, spec: IndicatorSpec) -> str:
    """Why the quarter's comparisons lack a change, to follow "No comparison" in brackets:
    a quarterly indicator's quarter with no figure ("Quarter 3 has no figure"), a quarter of
    months with one missing, or a quarter not over. Empty when the quarter is complete."""
    if figures.quarter_complete:
        return ""
    if not _quarter_ended(figures, spec):
        return "the quarter is not over"
    if spec.frequency == "quarterly":
        return f"Quarter {figures.quarter} has no figure"
    return "figures are missing for part of the quarter"


def quarter_same_label(figures: Figures, spec: IndicatorSpec) -> str:
    """What the quarter's comparison with last year compares: "Quarter 3, months with
    figures only, against the same months last year" when a month of it is missing (a
    quarterly figure is there or not: it has no months to leave out)."""
    quarter = f"Quarter {figures.quarter}"
    if spec.frequency == "quarterly":
        return f"{quarter} against the same quarter last year"
    if not figures.quarter_complete:
        quarter += ", months with figures only," if _quarter_ended(figures, spec) else " so far"
    return f"{quarter} against the same months last year"


def usual_range_sentence(figures: Figures, spec: IndicatorSpec, name: str) -> str:
    """Process control's verdict on the period's level, ``name`` the reporting period
    ("November 2016"): the special cause in words (``signal_sentence``), or that it is within
    its usual range. With no figure for the reporting period, the latest period with one is
    judged and named; with none this year, it says so. Empty when process control did not
    judge it (too few figures for limits)."""
    if figures.spc_period is None:
        unit = "quarter" if spec.frequency == "quarterly" else "month"
        return f"No {unit} of {figures.financial_year} has a figure yet, so there is none to judge."
    if figures.variation_test != "spc":
        return ""
    if figures.value is None:
        name = period_label(figures.spc_period, spec.frequency, spec.fy_start_month)
    if figures.spc_signal is not None:
        return signal_sentence(name, figures.spc_signal, spec.frequency)
    return f"{name}'s figure is within its usual range: no sign of a real change in its level."


def _tested_change(figures: Figures, spec: IndicatorSpec) -> str:
    """The month's change against last year with its Poisson test, as the month table has it
    (REPORT_CHECKLIST 16): a trailing phrase. The process-control verdict on the month's level
    is a separate sentence, so the two tests never share words."""
    change = figures.change
    if spec.measure != "count" or change is None:
        return ""
    within = change_test(figures.value, figures.last_year_value).within
    if within is None:
        return ""
    if not within:
        # A tested difference, so "significant" is earned.
        return f", a significant {'rise' if change > 0 else 'fall'} (Poisson test)"
    if change == 0:
        return ", within normal variation"
    return f", a small {'rise' if change > 0 else 'fall'}, within normal variation"


def _month_sentence(
    figures: Figures, spec: IndicatorSpec, noun: str, noun_singular: str | None
) -> str | None:
    """The reporting month against the same month last year, and whether it is noise."""
    value = figures.value
    if value is None or spec.frequency != "monthly":
        return None
    month = month_name(figures.period)
    signal = (
        f" {signal_sentence(month, figures.spc_signal, spec.frequency)}"
        if figures.spc_signal is not None
        else ""
    )
    last = f"in {month_label(add_months(figures.period, -12))}"
    if figures.period == figures.fy_start or spec.measure == "snapshot":
        # The year-to-date sentence already gives this month's figure; only add the noise check.
        if signal:
            return signal.strip()
        if figures.variation_test == "spc":
            return f"{month}'s figure is within its usual range."
        if figures.within_normal_variation is None:
            return None
        if not figures.within_normal_variation:
            return f"{month}'s figure is a significant change from {last[3:]} (Poisson test)."
        return f"{month}'s change from {last[3:]} is within normal variation."
    change = figures.change
    if spec.measure == "count":
        word = _count_noun(value, noun, noun_singular)
        verb = "was" if _rounded(value, 0) == 1 else "were"
        head = f"In {month} there {verb} {format_number(value)} {word}{_recorded(noun)}"
        if _one_unnamed(value, noun_singular):
            head = f"In {month} {_number_of(noun)} was {format_number(value)}"
        if change is None:
            comparison = ""
        elif change == 0:
            comparison = f", the same number as {last}"
        else:
            comparison = f", {_amount(change, 0)} {'more' if change > 0 else 'fewer'} than {last}"
    else:
        head = (
            f"In {month} the {noun} was {_level(value, spec, figures, noun)}"
            f"{_parts(figures.numerator, figures.denominator)}"
        )
        if change is None:
            comparison = ""
        elif change == 0:
            comparison = f", the same as {last}"
        else:
            higher = "higher" if change > 0 else "lower"
            comparison = f", {_difference(change, spec, figures)} {higher} than {last}"
    return f"{head}{comparison}{_tested_change(figures, spec)}.{signal}"


def _no_comparison_sentence(figures: Figures, spec: IndicatorSpec) -> str:
    """Why the year to date has no comparison: last year lacks a period this year has
    (DESIGN: like for like, and say why there is none)."""
    covered = [
        (before, last)
        for (slot, this), (before, last) in zip(figures.this_year, figures.last_year, strict=True)
        if slot <= figures.period and this is not None
    ]
    lacking = [before for before, last in covered if last is None]
    compared = "the same period last year"
    if spec.measure == "snapshot":
        # A level at a moment is set against its level a year earlier alone: only the last
        # period's is lacking, named unless last year has no figure at all.
        compared = "a year earlier"
        if all(last is None for _, last in figures.last_year) or not lacking:
            return f"There is no figure for {compared} to compare with."
        lacking = lacking[-1:]
    elif not lacking or len(lacking) == len(covered):  # none at all: nothing to name
        return f"There is no figure for {compared} to compare with."
    if spec.frequency == "quarterly":
        spans = [quarter_span(m) for m in lacking]
        named = f"the quarter{'s' if len(spans) > 1 else ''} {' and '.join(spans)}"
    else:
        named = joined(month_label(m) for m in lacking)
    return (
        f"There is no comparison with {compared}, as {named} "
        f"{'has no figure' if len(lacking) == 1 else 'have no figures'}."
    )


def _missing_sentences(figures: Figures, spec: IndicatorSpec) -> list[str]:
    """Data problems the reader must know about: missing periods and incomplete parts."""
    sentences = []
    missing = figures.missing_periods
    if missing:
        plural = len(missing) > 1
        if spec.frequency == "quarterly":
            spans = [f"{month_name(m)} to {month_name(add_months(m, 2))}" for m in missing]
            named = f"the quarter{'s' if plural else ''} {' and '.join(spans)}"
        else:
            named = _months_in_words(missing)
        entered = "figures have" if plural else "figure has"
        sentences.append(f"No {entered} been entered for {named}.")
        compared = figures.ytd is not None and figures.ytd_last_year is not None
        # A level at a moment is compared at one period, so leaves nothing out.
        if (
            compared
            and spec.measure != "snapshot"
            and not partial_ytd_only_this_month(figures, spec)
        ):
            sentences.append(
                "The comparison with last year leaves out the same months in both years."
            )
    if figures.ratio_parts_missing:
        sentences.append(
            "The year-to-date figure cannot be worked out because some months have no "
            "numerator and denominator."
        )
    if figures.ytd_rates_averaged:
        periods_word = "quarters'" if spec.frequency == "quarterly" else "months'"
        sentences.append(
            f"The year to date is the average of the {periods_word} rates, as their counts "
            "and populations were not entered."
        )
    if figures.ytd is not None and figures.ytd_last_year is None:
        sentences.append(_no_comparison_sentence(figures, spec))
    if figures.ytd is None and not missing and not figures.ratio_parts_missing:
        sentences.append(f"There are no figures yet for {figures.financial_year}.")
    return sentences


def commentary(
    figures: Figures,
    spec: IndicatorSpec,
    *,
    noun: str,
    noun_singular: str | None = None,
    has_target: bool | None = None,
) -> str:
    """The generated commentary for an indicator's figures, in short plain-English sentences.

    ``has_target``: whether the indicator has a target (a year to date with gaps gets no
    target to date, so the figures alone cannot always tell); by default, whether it has an
    annual target."""
    if has_target is None:
        has_target = figures.annual_target is not None and spec.polarity != "monitor"
    parts = [
        _ytd_sentence(figures, spec, noun, noun_singular, has_target),
        _target_sentence(figures, spec),
        _required_sentence(figures, spec, noun, noun_singular),
        _month_sentence(figures, spec, noun, noun_singular),
        *_missing_sentences(figures, spec),
    ]
    return " ".join(p for p in parts if p)


# The variation and assurance in the words a councillor reads, the term in brackets.
VARIATION_WORDS = {
    spc.COMMON_CAUSE: "Only the ups and downs every figure has (common cause variation).",
    spc.SPECIAL_IMPROVING: "A real change, for the better (special cause variation).",
    spc.SPECIAL_CONCERNING: "A real change, for the worse (special cause variation).",
    spc.SPECIAL_NEITHER: "A real change, neither better nor worse (special cause variation).",
}
ASSURANCE_WORDS = {
    "consistently passes": "the target will be met every {period}",
    "hit and miss": "the target will be met in some {period}s and missed in others",
    "consistently fails": "the target will be missed every {period}",
}


def spc_summary(figures: Figures, spec: IndicatorSpec) -> str:
    """What a report prints after ``usual_range_sentence`` (which names the signal): the
    variation and assurance, in plain words.

    "A real change, for the better. If nothing changes, the target will be met in some
    months and missed in others." (The term, "(special cause variation)", only where the
    sentence before it has not given it.) Empty when there are too few figures for process
    limits.
    """
    if figures.variation is None:
        return ""
    text = VARIATION_WORDS[figures.variation]
    if figures.spc_signal is not None:
        # ``usual_range_sentence`` before it has named the special cause once already.
        text = text.replace(" (special cause variation)", "")
    if figures.assurance is not None:
        period = "quarter" if spec.frequency == "quarterly" else "month"
        text += f" If nothing changes, {ASSURANCE_WORDS[figures.assurance].format(period=period)}."
    return text


def change_variation_sentence(
    test, what: str = "the same period last year", subject: str = "the year to date"
) -> str:
    """A sentence on whether a tested change in a count is more than normal variation."""
    if test.within is None:
        return ""
    head = f"The change in {subject} against {what} is"
    if test.within:
        return f"{head} within normal variation."
    return f"{head} beyond normal variation (Poisson test)."
