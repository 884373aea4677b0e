"""Words for lists, shortened text and money, the same everywhere the site writes them."""

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal

# Characters XML 1.0 cannot hold (tab, line feed and carriage return it can): a pasted
# control character would break a workbook or a Word file. Exports leave them out,
# imports and the site's forms refuse them.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """The text without the characters XML cannot hold."""
    return NOT_IN_XML.sub("", text)


def one_line_end(text: str) -> str:
    """Text whose every line ends in "\n": "\r\n" (a browser posts it) and a lone "\r"
    (old Macs) become "\n", as a workbook and the imports give them back. The site's
    forms store text so (``PlainTextMixin``), and the edit-conflict check compares it so."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def joined(words: Iterable[object], last: str = "and", *, between: str = ", ") -> str:
    """ "A", "A and B", "A, B and C" (``last="or"``: "A, B or C"); "" for none. With
    ``between="; "``, for items that hold a comma or an "and" of their own: "A; B; and C"."""
    words = [str(word) for word in words]
    if len(words) < 2:
        return "".join(words)
    if between == ", ":
        return f"{', '.join(words[:-1])} {last} {words[-1]}"
    return f"{between.join(words[:-1])}{between}{last} {words[-1]}"


def name_key(name: str) -> str:
    """What makes two names one: the name ignoring case, in any script, and spaces around
    and between words ("Safer  streets" is "Safer Streets", "équipe" is "Équipe")."""
    return " ".join(name.split()).casefold()


def differs_only_in(given: str, stored: str) -> str:
    """How ``given`` differs from ``stored``, of the same `name_key`: "capitals", "spaces"
    or "capitals and spaces" ("" if it is the same)."""
    if given == stored:
        return ""
    if given.casefold() == stored.casefold():
        return "capitals"
    if given.split() == stored.split():
        return "spaces"
    return "capitals and spaces"


ELLIPSIS = "\u2026"


def shortened(text: str, most: int = 60) -> str:
    """The text on one line, as it is when it has at most ``most`` characters; else cut
    after the last whole word that fits, with no comma or stop left hanging, and an
    ellipsis added: "Include the family group position for violence with…"."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    # The character after the cut tells whether the cut falls between words.
    words = text[: most + 1].rsplit(" ", 1)[0] if " " in text[: most + 1] else text[:most]
    return f"{words.rstrip(' ,;:.-–—') or text[:most]}{ELLIPSIS}"


def ended(text: str) -> str:
    """The text with a full stop, unless it already ends as a sentence does (".", "?",
    "!" or an ellipsis): a message ending in a shortened title never reads "…." or ".."."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!", ELLIPSIS)) else f"{text}."


PENCE = Decimal("0.01")


def day_label(day: datetime.date) -> str:
    """A day as the site writes it, e.g. "1 April 2017"."""
    return f"{day.day} {day:%B %Y}"


def format_money(amount: Decimal | None) -> str:
    """£400,568 for whole pounds, £1,234.50 where there are pence, -£500 below zero."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    amount = abs(amount).quantize(PENCE)
    if amount == amount.to_integral_value():
        return f"{sign}£{amount:,.0f}"
    return f"{sign}£{amount:,.2f}"
