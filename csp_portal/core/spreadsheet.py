"""Text a spreadsheet would run as a formula (CSV injection): every download writes it
through ``spreadsheet_safe``, every import reads it back through ``spreadsheet_text``."""

import re
from decimal import Decimal, InvalidOperation

# Exports prefix such text with an apostrophe, which Excel shows as plain text; imports
# take the apostrophe off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# Apostrophes then a formula's first character: what an import takes one apostrophe off.
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def spreadsheet_safe(text: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula (numbers stay numbers);
    text that already starts with apostrophes before such a character gets one more, so an
    import gives it back as it was (``spreadsheet_text``)."""
    if _ESCAPED.match(text):
        return "'" + text
    if not text.startswith(FORMULA_START):
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return "'" + text
    return text if number.is_finite() else "'" + text  # "-Infinity" is no number to Excel


def workbook_text(text: str) -> str:
    """Text for a workbook's text cell, which a spreadsheet shows as it is and never runs:
    only text starting with apostrophes before a formula's first character gets one
    more, so an import, which reads workbooks and CSV files alike, gives it back as it was
    (``spreadsheet_text``). Workbooks written with ``spreadsheet_safe`` still read back."""
    return "'" + text if _ESCAPED.match(text) else text


def spreadsheet_text(text: str) -> str:
    """Text as it was before spreadsheet_safe."""
    return text[1:] if _ESCAPED.match(text) else text


# What a cell must start with for spreadsheet_safe to change it: a quick test first.
MAY_CHANGE = (*FORMULA_START, "'")
