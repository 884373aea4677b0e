"""Reading figures typed or pasted by people: one set of rules and messages for forms
and imports."""

import re
from decimal import Decimal
from itertools import pairwise

from . import periods

# Figures and targets are stored in fields of 16 digits, 4 of them after the point: the
# models use these, and every figure typed, pasted or imported is checked against them.
FIGURE_DIGITS = 16
FIGURE_PLACES = 4
# Derived values are stored to the model's 4 places; figures always recompute from the parts.
STORED_PLACES = Decimal(1).scaleb(-FIGURE_PLACES)
# SQLite keeps a decimal as a double, which holds 15 significant digits exactly: a longer
# figure would come back changed (or, rounded up past the field, not at all). The same
# rule on every database, so a file PostgreSQL takes is one SQLite takes too.
SIGNIFICANT_DIGITS = 15
# A change target is against one of the ten years before its own (the target page's
# choice, and the import's rule).
BASELINE_YEARS = 10
# A number as people write one: ASCII digits, commas between thousands, at most one point,
# a sign in front. Not what Decimal() reads besides (1e3, 1_000, other scripts' digits).
_NUMBER = re.compile(r"[+-]?(?=\.?[0-9])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]*)?", re.ASCII)
# Spaces people put in a number: between thousands ("1 250", a non-breaking space as
# spreadsheets copy it) and before a "%". Any other space is a typo, never squeezed out:
# "12 50" is not 1250.
_SPACED_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+(?:\.[0-9]*)?", re.ASCII)
_SPACES = re.compile(r"[\u00a0\u202f]")


class FigureError(ValueError):
    """A figure that cannot be stored, with a message fit to show the person who typed it.
    ``part``: "numerator" or "denominator" when that part alone is wrong (its box is the
    one a form marks), else None."""

    def __init__(self, message: str = "", *, part: str | None = None):
        super().__init__(message)
        self.part = part


class PercentSign(FigureError):
    """A figure given with a "%": the message says what to enter instead."""


class TooPrecise(FigureError):
    """A figure with more digits after the point, or in all, than are kept: rounded, it
    would fit."""


# An example in a message is one the box takes: a count is whole, a rate or percentage a
# level with decimals, a point-in-time value either.
_EXAMPLES = {"count": "148", "percentage": "12.5", "rate": "12.5", "snapshot": "148 or 12.5"}


def number_example(measure: str) -> str:
    """A number like those a figure of this measure takes, for a message: "148", "12.5"."""
    return _EXAMPLES.get(measure, "148")


def parse_number(
    raw: object,
    label: str = "The figure",
    *,
    example: str = "148",
    blank_is_no_figure: bool = False,
) -> Decimal | None:
    """A Decimal from what a person typed: blank is None (missing); thousands commas and a
    trailing % allowed (a target's "5%"; a figure's box refuses it: ``parse_figure``).

    Text that is not a number is a FigureError naming ``example`` (``number_example``);
    where a blank box is how a person says there is no figure (figure entry, not a
    target), the message says so."""
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = _squeezed(raw)
    if text == "":
        return None
    number = _read(text[:-1] if text.endswith("%") else text)
    if number is None:
        raise FigureError(_not_a_number(raw, label, example, blank_is_no_figure))
    return _trimmed(number)


def _squeezed(raw: object) -> str:
    """What was typed, trimmed, without the spaces between thousands or before a "%"; any
    other space is left in, for ``_read`` to refuse."""
    text = _SPACES.sub(" ", str(raw)).strip()
    number, percent = (text[:-1].rstrip(), "%") if text.endswith("%") else (text, "")
    if _SPACED_THOUSANDS.fullmatch(number):
        number = number.replace(" ", "")
    return number + percent


def _read(text: str) -> Decimal | None:
    """The number ``text`` writes as ``_NUMBER`` has it, else None."""
    return Decimal(text.replace(",", "")) if _NUMBER.fullmatch(text) else None


def read_number(text: str) -> Decimal | None:
    """A number written as people write one (``_NUMBER``: digits, commas or spaces between
    thousands, a point, a sign), else None: never 1e3, 1_000, "12 50" or other scripts'
    digits, which Decimal() would read. For other kinds of number, such as money."""
    return _read(_squeezed(text))


def _not_a_number(raw: object, label: str, example: str, blank_is_no_figure: bool) -> str:
    blank = ""
    if blank_is_no_figure:
        # Excel's accounting format shows a zero as a dash: a blank would record no figure.
        dash = str(raw).strip() in ("-", "\u2013", "\u2014")
        zero = " (if it means zero, enter 0)" if dash else ""
        blank = f" Leave it blank if there is no figure yet{zero}."
    return f"{label} must be a number, like {example} ('{raw}' is not a number).{blank}"


_MEASURE_WORDS = {
    "count": "a count",
    "rate": "a rate per 1,000",
    "snapshot": "a point-in-time value",
    "percentage": "a percentage",
}


def parse_figure(
    raw: object,
    label: str = "The figure",
    *,
    measure: str,
    part: bool = False,
    blank_is_no_figure: bool = False,
) -> Decimal | None:
    """``parse_number`` for a figure of an indicator of ``measure`` (``part``: its
    numerator or denominator, a count), typed in a box or read from a file's cell.

    A percentage is entered as its numerator and denominator, so a "%" is never right
    here: it is refused, saying what to enter, as is a sign other than a minus (a
    negative figure is refused by ``check_figure``, saying so)."""
    text = "" if raw is None or isinstance(raw, Decimal | int | float) else _squeezed(raw)
    example = "148" if part else number_example(measure)
    if text.endswith("%") and _read(text[:-1]) is not None:
        typed = text[:-1]
        if part:
            hint = (
                " (the percentage is worked out from the numerator and denominator)"
                if measure == "percentage"
                else ""
            )
            raise PercentSign(f"{label} is a count: enter {typed}, not {text}{hint}.")
        if measure == "percentage":
            raise PercentSign(
                f"{label} is a percentage: enter its numerator and denominator, not {text}."
            )
        words = _MEASURE_WORDS.get(measure, "a figure")
        raise PercentSign(f"{label} is {words}: enter {typed}, not {text}.")
    if text.startswith("+") or text.endswith("%"):
        raise FigureError(_not_a_number(raw, label, example, blank_is_no_figure))
    return parse_number(raw, label, example=example, blank_is_no_figure=blank_is_no_figure)


def _trimmed(number: Decimal) -> Decimal:
    """The number without zeros beyond the stored places (12.50000 is 12.5000), so that a
    figure typed with them fits; any other number as it is."""
    if number.as_tuple().exponent >= -FIGURE_PLACES or number.adjusted() >= FIGURE_DIGITS:
        return number
    stored = number.quantize(STORED_PLACES)
    return stored if stored == number else number


def check_size(
    number: Decimal | None,
    label: str = "The figure",
    *,
    digits: int = FIGURE_DIGITS,
    places: int = FIGURE_PLACES,
) -> Decimal | None:
    """The number if a field of these digits and places holds it (trailing zeros beyond
    the places dropped: 12.50000 is 12.5), else FigureError saying what is too long."""
    if number is None:
        return None
    whole = digits - places
    if number.adjusted() >= whole:
        raise FigureError(
            f"{label} has too many digits (at most {whole} before the decimal point)."
        )
    if len(number.normalize().as_tuple().digits) > SIGNIFICANT_DIGITS:
        raise TooPrecise(f"{label} has too many digits (at most {SIGNIFICANT_DIGITS} in all).")
    if -number.as_tuple().exponent > places:
        stored = number.quantize(Decimal(1).scaleb(-places))
        if stored != number:
            raise TooPrecise(f"{label} has too many decimal places (at most {places}).")
        return stored
    return number


def check_target(measure: str, kind: str, value: Decimal, *, label: str = "The target") -> Decimal:
    """A target's value as stored, or FigureError: the rules of the target form and the
    import alike (a profile's order is checked by ``profile_drops``)."""
    value = check_size(value, label)
    if kind == "change_pct":
        if value < -100:
            raise FigureError(
                f"{label} is a change in per cent: a reduction cannot be more than 100%."
            )
        return value
    if value < 0:
        raise FigureError(f"{label} cannot be negative.")
    if measure == "percentage" and value > 100:
        raise FigureError(f"{label} is a percentage, so it cannot be more than 100.")
    return value


def profile_drop_words(slot, *, quarterly: bool, start_month: int) -> str:
    """Why a profile point is refused, as the form and the import say it: "the target to
    the end of September 2016 is less than the quarter before"."""
    end = periods.quarter_end(slot, start_month) if quarterly else slot
    before = "quarter" if quarterly else "month"
    return f"the target to the end of {periods.month_label(end)} is less than the {before} before"


def profile_drops(measure: str, points: dict) -> list:
    """The periods of a cumulative profile whose target is less than the period's before
    (a count to date cannot go down); none for other measures."""
    if measure != "count":
        return []
    ordered = sorted(points.items())
    return [period for (_, before), (period, value) in pairwise(ordered) if value < before]


def check_figure(
    measure: str,
    value: Decimal | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    *,
    label: str = "The figure",
) -> Decimal | None:
    """The value to store for these inputs, or FigureError saying what is wrong.

    Percentages are entered as numerator and denominator and their value derived,
    so the year to date can be the sum of numerators over the sum of denominators. A
    rate given with its parts is theirs too (the figures compute it from them); a value
    typed beside parts must agree with them (``_check_agrees``). Every number must fit
    the stored fields (``check_size``).
    """
    value = check_size(value, label)
    numerator = _part_size(numerator, label, "numerator")
    denominator = _part_size(denominator, label, "denominator")
    missing = "numerator" if numerator is None else "denominator"
    if measure == "percentage":
        if numerator is None and denominator is None:
            if value is None:
                return None
            raise FigureError(
                f"{label}: enter the numerator and denominator, not only the percentage."
            )
        if numerator is None or denominator is None:
            raise FigureError(
                f"{label}: enter both the numerator and the denominator.", part=missing
            )
        if numerator < 0:
            raise FigureError(f"{label}: the numerator cannot be negative.", part="numerator")
        if denominator <= 0:
            raise FigureError(f"{label}: the denominator must be more than 0.", part="denominator")
        if numerator > denominator:
            raise FigureError(
                f"{label}: the numerator ({numerator.normalize():f}) cannot be more than "
                f"the denominator ({denominator.normalize():f})."
            )
        derived = (numerator * 100 / denominator).quantize(STORED_PLACES)
        _check_agrees(value, derived, "%", label)
        return derived
    if numerator is not None or denominator is not None:
        if numerator is None or denominator is None:
            raise FigureError(
                f"{label}: enter both the numerator and the denominator, or neither.",
                part=missing,
            )
        if denominator <= 0:
            raise FigureError(f"{label}: the denominator must be more than 0.", part="denominator")
        if measure == "rate":
            if numerator < 0:
                raise FigureError(f"{label}: the numerator cannot be negative.", part="numerator")
            # As a percentage: the figures compute the rate from the parts, so a value
            # stored beside them is theirs, and one typed must agree.
            derived = check_size((numerator * 1000 / denominator).quantize(STORED_PLACES), label)
            _check_agrees(value, derived, " per 1,000", label)
            return derived
    if value is None:
        return None
    if value < 0:
        raise FigureError(f"{label} cannot be negative.")
    if measure == "count" and value != value.to_integral_value():
        raise FigureError(f"{label} is a count, so it must be a whole number.")
    return value


def _part_size(number: Decimal | None, label: str, part: str) -> Decimal | None:
    """check_size of a numerator or denominator, its FigureError saying which part."""
    try:
        return check_size(number, f"{label}: the {part}")
    except FigureError as error:
        error.part = part
        raise


# Pages show percentages and rates to one place: a value typed beside its parts agrees with
# them if it is theirs to that, or to the places it gives where it gives fewer.
_SHOWN_PLACE = Decimal("0.1")


def _check_agrees(value: Decimal | None, derived: Decimal, unit: str, label: str) -> None:
    """FigureError unless a value typed beside its parts is theirs, shown or typed as
    a spreadsheet rounds or cuts it: 88 or 88.9 for 88.8889%, not 87 or 88.7."""
    if value is None:
        return
    last_place = Decimal(1).scaleb(min(value.as_tuple().exponent, 0))
    if abs(value - derived) >= max(last_place, _SHOWN_PLACE):
        raise FigureError(
            f"{label}: {value.normalize():f}{unit} does not match the numerator and "
            f"denominator, which give {derived.quantize(_SHOWN_PLACE)}{unit}."
        )


def same_number(a: Decimal | None, b: Decimal | None) -> bool:
    """Equal as numbers (12.0 is 12), and None only equals None."""
    if a is None or b is None:
        return a is b
    return a.compare(b) == 0


def plain_number(number: Decimal | None) -> str | None:
    """A number as a person would write it back: no exponent, no trailing zeros."""
    return None if number is None else format(number.normalize(), "f")
