"""Presenting a report snapshot: ISO dates back to words. No queries, no arithmetic."""

import datetime
import re
from decimal import Decimal

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from csp_portal.core.text import ended as _ended
from csp_portal.core.text import joined
from indicators import periods
from indicators.commentary import format_number
from indicators.templatetags.figures import ytd_mark
from reports import sections

register = template.Library()


@register.filter
def iso_month(value: str) -> str:
    """ "2016-11-01" -> "November 2016"."""
    return periods.month_label(datetime.date.fromisoformat(value)) if value else ""


@register.filter
def iso_date(value: str) -> str:
    """ "2017-01-24" -> "24 January 2017"."""
    if not value:
        return ""
    day = datetime.date.fromisoformat(value[:10])
    return f"{day.day} {periods.month_label(day)}"


@register.filter
def iso_datetime(value: str) -> str:
    """An ISO date and time -> "24 January 2017 at 09:30" (in the site's time zone)."""
    if not value:
        return ""
    from django.utils import timezone

    moment = timezone.localtime(datetime.datetime.fromisoformat(value))
    return f"{moment.day} {periods.month_label(moment.date())} at {moment:%H:%M}"


_NUM = '<td class="govuk-table__cell govuk-table__cell--numeric">'
# A change's normal-variation label, as reports/_variation.html writes it.
_VARIATION = {
    True: ' <span class="app-variation">within normal variation</span>',
    False: ' <span class="app-variation">beyond normal variation</span>',
}
_MISSING = '<td class="govuk-table__cell govuk-table__cell--numeric app-missing">'


def _parts(parts: list | None) -> str:
    """A percentage's counts beside it: " (61 of 69)"."""
    from indicators.templatetags.figures import figure

    return f" ({figure(parts[0])} of {figure(parts[1])})" if parts else ""


@register.filter
def parts(value: list | None) -> str:
    """A percentage's counts, [numerator, denominator], printed after it: " (5 of 10)";
    nothing without them."""
    return _parts(value)


# A revised figure's mark (the GSS "[r]"), as the chart marks its point.
_REVISED = ' <span class="app-revised">[r]</span>'


def _revised(month: datetime.date, revised: set[str]) -> str:
    return _REVISED if month.isoformat() in revised else ""


@register.simple_tag
def month_rows(e: dict):
    """The rows of an indicator's month-by-month table, written directly: the largest
    table of the report, which the template engine took most of a page's time over."""
    from indicators.templatetags.figures import figure, signed

    p = e["places"]
    count = e["measure"] == "count"
    before = bool(e.get("year_before_label"))
    target = count and e["has_target"]
    revised = set(e.get("revised") or ())
    rows = []
    for m in e["months"]:
        this = last = first = ""
        if revised:
            month = datetime.date.fromisoformat(m["period"])
            this, last, first = (
                _revised(periods.add_months(month, back), revised) for back in (0, -12, -24)
            )
        cells = ['<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">']
        cells.append(conditional_escape(m["label"]))
        cells.append("</th>")
        if before:
            cells += [_NUM, figure(m["year_before"], p), first, "</td>"]
        cells += [_NUM, figure(m["last_year"], p), _parts(m.get("last_parts")), last, "</td>"]
        if m["due"]:
            cells += [
                _NUM, figure(m["this_year"], p), _parts(m.get("this_parts")), this, "</td>"
            ]  # fmt: skip
            cells += [_NUM, signed(m["change"], p), _VARIATION.get(m.get("within"), ""), "</td>"]
            if count:
                cells += [_NUM, figure(m["cumulative"], p), "</td>"]
        else:
            cells += [_MISSING, "Not yet due</td>", _MISSING, "–</td>"]
            if count:
                cells += [_MISSING, "–</td>"]
        if target:
            cells += [_NUM, figure(m["cumulative_target"], p), "</td>"]
        cells.append("</tr>")
        rows.append("".join(cells))
    return mark_safe("\n".join(rows))


def _rounds_to_zero(value: Decimal, places: int) -> bool:
    return value != 0 and abs(value) < Decimal("0.5").scaleb(-places)


def _change_pct(value, places: int) -> str:
    from indicators.commentary import format_change_pct
    from indicators.templatetags.figures import percent

    return percent(None) if value is None else format_change_pct(Decimal(value), places)


@register.filter
def change_pct(value):
    """A percentage change as every table and sentence of a report prints it
    (``commentary.format_change_pct``): "+27%", "−31%", "a rise of less than 1%"."""
    from indicators.commentary import CHANGE_PCT_PLACES

    return _change_pct(value, CHANGE_PCT_PLACES)


@register.filter
def change_pct_column(value, places):
    """A percentage change in a table's column, to the decimals the snapshot stored for
    the column: the report's one precision, as ``change_pct``; a snapshot made before that
    rule chose them for each column ("+12.0%" above "−0.4%"), and renders as it did."""
    return _change_pct(value, int(places or 0))


@register.filter
def points_change(value, places=1):
    """A change between two percentages, in words: "+1.5 percentage points", "no change",
    "a rise of less than 0.1 percentage points" (REPORTING: percentage points)."""
    from indicators.templatetags.figures import signed

    if value is None:
        return signed(None)
    value, places = Decimal(value), int(places)
    if value == 0:
        return "no change"
    if _rounds_to_zero(value, places):
        word = "rise" if value > 0 else "fall"
        return f"a {word} of less than {Decimal(1).scaleb(-places)} percentage points"
    return f"{signed(value, places)} percentage points"


MINUS = "\u2212"


@register.filter
def money_figure(value, places=0) -> str:
    """An amount of the commissioning section as printed: commas, the section's decimals
    (``money_places``) and a true minus below zero ("−32,932.00"), as ``signed`` writes
    one; put "£" before it in a sentence."""
    if value is None or value == "":
        return mark_safe('<span class="app-missing">No figure</span>')
    amount = Decimal(value)
    text = format_number(abs(amount), int(places))
    return f"{MINUS}{text}" if amount < 0 and any(d in text for d in "123456789") else text


def pounds(value, places=0) -> str:
    """An amount in a sentence: "£433,500.00", "−£500" below zero."""
    text = money_figure(value, places)
    return f"{MINUS}£{text[1:]}" if text.startswith(MINUS) else f"£{text}"


@register.filter
def money_places(c: dict | None) -> int:
    """The decimals of the commissioning money (c, the snapshot's commissioning): pence for
    every amount when any has pence, else whole pounds. Each part then adds up to its
    total as printed: £105,500.50 allocated and £14,499.50 not make £120,000.00, where
    whole pounds made £105,501 and £14,500 of £120,000."""
    if not c:
        return 0
    rows = [c.get("total") or {}, *c.get("streams", [])]
    keys = ("amount", "confirmed", "allocated", "unallocated")
    amounts = [row.get(key) for row in rows for key in keys]
    amounts += [line.get(key) for line in c.get("lines", []) for key in ("contribution", "total")]
    return 2 if any(Decimal(a) % 1 for a in amounts if a is not None) else 0


@register.filter
def ended(text: str) -> str:
    """A sentence's last words with its full stop, unless they end as a sentence does
    ("...late?", "...corrected!"): a version's reason in its version line."""
    return _ended(str(text))


@register.filter
def within_note(row: dict) -> str:
    """A key findings direction row's count of changes within normal variation, after its
    direction: "(1 within normal variation)" (``sections.within_note``); nothing for a
    snapshot made before they were counted."""
    return sections.within_note(row["count"], row.get("within_normal_variation"))


@register.filter(is_safe=True)
def trimmed(value: str) -> str:
    """``{% filter trimmed %}{% include ... %}{% endfilter %}``: an included partial without
    the white space at its ends, so a full stop after it in a sentence follows its last word."""
    return value.strip()


_NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


@register.filter
def number_words(value) -> str:
    """One to nine in words, larger numbers as figures with commas (ONS style): "six",
    "12"; capitalise it with ``capfirst`` at the start of a sentence."""
    number = int(value)
    if 1 <= number <= 9:
        return _NUMBER_WORDS[number - 1]
    return f"{number:,}"


@register.simple_tag(takes_context=True)
def para(context, *prefix) -> str:
    """The next paragraph number under ``prefix`` ("4" gives 4.1, 4.2...): numbered in
    the order the paragraphs are drawn, so a paragraph left out leaves no gap. The
    counts live in the document context's ``para_counts`` (one per rendering)."""
    counts = context.get("para_counts")
    if counts is None:
        counts = context["para_counts"] = {}
    key = ".".join(str(part) for part in prefix)
    counts[key] = counts.get(key, 0) + 1
    return format_html('<span class="app-para__no">{}.{}</span>', key, counts[key])


@register.filter
def and_list(items) -> str:
    """ "SLA 01", "SLA 01 and SLA 02", "A, B and C": a list as prose."""
    return joined(items)


# What an indicator's name says of the comparison it is measured in ("(most similar group)",
# "(iQuanta family)"), and a rate's denominator ("per 1,000 population"): the neighbours
# table compares the force's partnerships, in numbers of crimes, so neither is its label.
_COMPARISON = re.compile(
    r"\s*\((?:[^()]*\b(?:most similar|similar (?:group|areas?)|msg|family|iquanta|peers?"
    r"|compared|comparison)\b[^()]*)\)",
    re.IGNORECASE,
)
_PER_THOUSAND = re.compile(r"\s*per\s+1,?000\b(?:\s+(?:of\s+)?(?:the\s+)?[a-z]+)?", re.IGNORECASE)


def _in_sentence(name: str) -> str:
    """A name as it reads after other words: "total crime rate", but "ASB rate" and "NI 16"
    keep their capitals (a first word in capitals is an abbreviation)."""
    first = name.split(" ", 1)[0]
    if first[1:] and not first[1:].islower():
        return name
    return name[:1].lower() + name[1:]


@register.simple_tag
def neighbours_caption(indicator: dict, force: str) -> str:
    """The caption of a neighbours table, which compares the force's partnerships' recorded
    crimes: "Domestic burglary (SLA 04): Devon & Cornwall partnerships, four quarters to Q2
    2016/17"; a rate indicator's table counts the crimes behind it: "Recorded crimes behind
    total crime rate (SS 06): ...". What the indicator's name says of another comparison
    (its most similar group) or of a rate's denominator is left out: not this table's."""
    title = _COMPARISON.sub("", indicator["title"]).strip()
    if indicator["is_count"]:
        name = title or indicator["title"]
    else:
        name = f"Recorded crimes behind {_in_sentence(_PER_THOUSAND.sub('', title).strip())}"
    return (
        f"{name} ({indicator['code']}): {force} partnerships, four quarters to "
        f"{indicator['quarter']}"
    )


@register.simple_tag
def ytd_notes(rows) -> dict:
    """A table's year-to-date marks ("months with figures only", "to Oct 2016") as notes
    said once under it: ``rows``, each indicator entry with its note's number (None for a
    whole year to date), and ``notes``, each number with its words. In every cell, the
    mark wrapped narrow columns to three or four lines."""
    numbers: dict[str, int] = {}
    noted = []
    for e in rows:
        mark = ytd_mark(e["figures"], e["frequency"])
        noted.append((e, numbers.setdefault(mark, len(numbers) + 1) if mark else None))
    notes = [{"number": n, "text": f"{mark[0].upper()}{mark[1:]}."} for mark, n in numbers.items()]
    return {"rows": noted, "notes": notes}
