"""Forms for entering figures: the month sheet and the year grid share one grid form."""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings

from csp_portal.core import concurrency
from csp_portal.core.forms import PlainTextMixin, partnership_theme_groups
from csp_portal.core.models import ThemeGroup
from csp_portal.core.text import joined

from . import periods, spc
from .commentary import format_number
from .figures import SpcSettings, spc_window
from .importing import NAME_RULE, USE_THE_COMMAND
from .importing.registry import listed
from .models import Actual, Indicator, SpcSetting, Target
from .selectors import baselines_without_figures
from .services import (
    NO_FIGURE,
    Conflict,
    Figure,
    FigureInput,
    TargetConflict,
    TargetRow,
    monitoring_only_words,
)
from .validation import (
    BASELINE_YEARS,
    FigureError,
    check_figure,
    check_target,
    number_example,
    parse_figure,
    parse_number,
    plain_number,
    profile_drop_words,
    profile_drops,
)


class IndicatorFilterForm(forms.Form):
    q = forms.CharField(label="Code or title contains", required=False)
    theme_group = forms.ModelChoiceField(
        label="Theme group",
        queryset=ThemeGroup.objects.none(),
        required=False,
        empty_label="All theme groups",
    )
    polarity = forms.ChoiceField(
        label="Polarity",
        required=False,
        choices=[("", "All polarities"), *Indicator.Polarity.choices],
    )
    measure = forms.ChoiceField(
        label="Measure", required=False, choices=[("", "All measures"), *Indicator.Measure.choices]
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        partnership_theme_groups(self.fields["theme_group"], partnership)


def _text(number) -> str:
    return plain_number(number) or ""


# A posted figure: the cell key, then -v (value), -n (numerator) or -d (denominator).
# The hidden "initial-..." copies of what the page showed are not figures.
_FIGURE_NAME = re.compile(r"^(?!initial-)(?P<key>[a-z][\w-]*?)-[vnd]$")


def same_number(text: object, other: object) -> bool:
    """Whether two boxes' texts are the same figure ("35" and "35.0", blank and blank)."""
    try:
        return parse_number(text) == parse_number(other)
    except FigureError:
        return str(text or "").strip() == str(other or "").strip()


def typed_text(texts: Iterable[object]) -> str:
    """A figure's boxes as typed, for a message: "36", "9 out of 10"; "" when blank."""
    texts = [str(text or "").strip() for text in texts]
    return " out of ".join(text or "blank" for text in texts) if any(texts) else ""


@dataclass(frozen=True)
class Cell:
    """One figure on a grid: an indicator and the period it is stored at."""

    key: str
    indicator: Indicator
    period: datetime.date
    current: Actual | None
    label: str

    @property
    def ratio(self) -> bool:
        return self.indicator.needs_ratio

    @property
    def names(self) -> list[str]:
        """The form fields of this cell: numerator and denominator, or the value."""
        return [f"{self.key}-n", f"{self.key}-d"] if self.ratio else [f"{self.key}-v"]

    def texts(self, actual: Actual | None) -> dict[str, str]:
        """A stored figure as this cell's boxes show it."""
        if actual is None:
            return dict.fromkeys(self.names, "")
        if self.ratio:
            return {
                self.names[0]: _text(actual.numerator),
                self.names[1]: _text(actual.denominator),
            }
        return {self.names[0]: _text(actual.value)}


class FigureGridForm(PlainTextMixin, forms.Form):
    """Inputs for many figures at once. Blank means no figure.

    Each box carries the figure the page showed (csp_portal/core/concurrency.py): only
    the figures a person changed are saved, and only those can be in conflict.
    """

    reason = forms.CharField(
        label="Reason for changing figures",
        required=False,
        max_length=500,
        help_text="Needed to change or add a figure a published report has used (a month it "
        "covers, or the baseline year of a target it rated); kept in the history of each "
        "figure you change, for example “revised by police”.",
    )

    def __init__(
        self,
        *args,
        cells: list[Cell],
        today: datetime.date,
        stray_message: Callable[[str, str], str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.cells = cells
        self.today = today
        # Says why a posted figure that is not on this grid was refused, given its key
        # and what was typed for it (typed_text).
        self.stray_message = stray_message or (lambda key, typed: f"{key} is not on this page.")
        # Keys of the cells the person changed, known once the form is cleaned.
        self.changed_keys: set[str] = set()
        for cell in cells:
            labels = (
                [f"{cell.label}: numerator", f"{cell.label}: denominator"]
                if cell.ratio
                else [cell.label]
            )
            initial = cell.texts(cell.current)
            for name, label in zip(cell.names, labels, strict=True):
                self.fields[name] = forms.CharField(
                    label=label, required=False, initial=initial[name], show_hidden_initial=True
                )

    def main_field(self, cell: Cell) -> str:
        return cell.names[0]

    def error_field(self, cell: Cell, error: FigureError) -> str:
        """The box a figure's error marks: the denominator's for an error in it alone."""
        if cell.ratio and error.part == "denominator":
            return cell.names[1]
        return self.main_field(cell)

    def rows(self):
        """(cell, bound fields) pairs for templates: no fields for a cell not open yet,
        unless a figure posted there is refused (then shown with its error)."""
        for cell in self.cells:
            fields = [self[name] for name in cell.names]
            if self.not_open(cell) and not any(field.errors for field in fields):
                fields = []
            yield cell, fields

    def not_open(self, cell: Cell) -> bool:
        """Whether the cell takes no figure yet: a figure is entered from its period's last
        month on, a month's from that month, a quarter's from its third (a report to a
        month counts no quarter under way)."""
        this_month = periods.month_start(self.today)
        return not periods.ended_by(cell.period, cell.indicator.frequency, this_month)

    def strays(self) -> list[str]:
        """Keys of posted figures that are not cells of this grid (tampering, a stale page)."""
        keys = {c.key for c in self.cells}
        posted = {m["key"] for name in self.data if (m := _FIGURE_NAME.match(name))}
        return sorted(posted - keys)

    def stray_typed(self, key: str) -> str | None:
        """What was typed for a posted figure that is not on this grid (typed_text), or
        None when its boxes still hold what the page showed (nothing is lost)."""
        names = [name for part in "vnd" if (name := f"{key}-{part}") in self.data]
        texts = [self.data.get(name) for name in names]
        shown = [self.data.get(f"initial-{name}") for name in names]
        if None not in shown and all(map(same_number, texts, shown)):
            return None
        return typed_text(texts)

    def _figure(self, cell: Cell, texts: dict[str, object]) -> Figure:
        """The figure these box texts stand for, or FigureError."""
        # A blank box is no figure. A numerator and a denominator are counts, which the
        # default example fits.
        measure = cell.indicator.measure
        if cell.ratio:
            numerator, denominator = (
                _parsed_part(texts[name], f"{cell.label} {part}", measure, part)
                for name, part in zip(cell.names, ("numerator", "denominator"), strict=True)
            )
            value = None
        else:
            numerator = denominator = None
            value = parse_figure(
                texts[cell.names[0]], label=cell.label, measure=measure, blank_is_no_figure=True
            )
        value = check_figure(
            cell.indicator.measure, value, numerator, denominator, label=cell.label
        )
        return Figure(value, numerator, denominator)

    @staticmethod
    def _read(cell: Cell, texts: dict[str, object]) -> Figure:
        """The figure in a cell's boxes as typed, numbers read but not checked; FigureError
        for text that is not a number (nor a figure: "50%" is not 50)."""
        measure = cell.indicator.measure
        parts = [parse_figure(texts[name], measure=measure, part=cell.ratio) for name in cell.names]
        if cell.ratio:
            numerator, denominator = parts
            if numerator is None and denominator is None:
                return NO_FIGURE
            return Figure(None, numerator, denominator)
        return Figure(parts[0])

    def _untouched(self, cell: Cell, texts: dict[str, object], shown: Figure) -> bool:
        try:
            return self._read(cell, texts).same(shown)
        except FigureError:
            return False

    def clean(self):
        cleaned = super().clean()
        for key in self.strays():
            typed = self.stray_typed(key)
            if typed is not None:
                self.add_error(None, self.stray_message(key, typed))
        this_month = periods.month_start(self.today)
        entries = []
        for cell in self.cells:
            texts = {name: cleaned.get(name) for name in cell.names}
            try:
                shown = self._read(cell, {n: concurrency.shown_value(self, n) for n in cell.names})
            except FigureError:
                shown = None  # not what this site renders
            if shown is not None and self._untouched(cell, texts, shown):
                # Not changed by this person, so never written, nor checked again (a
                # figure stored under older rules must not stop the sheet being saved).
                continue
            try:
                posted = self._figure(cell, texts)
            except FigureError as error:
                self.add_error(self.error_field(cell, error), str(error))
                continue
            if shown is None:
                self.add_error(
                    self.main_field(cell),
                    f"{cell.label}: this page was changed after it was opened. "
                    "Open it again to enter figures.",
                )
                continue
            self.changed_keys.add(cell.key)
            if posted.value is not None and cell.period > this_month:
                month = periods.month_label(cell.period)
                # A year grid's cell is named by its month (or quarter): said once.
                when = cell.label if month in cell.label else f"{cell.label}: {month}"
                self.add_error(self.main_field(cell), f"{when} has not started yet.")
                continue
            if posted.value is not None and self.not_open(cell):  # a quarter under way
                self.add_error(self.main_field(cell), _not_ended(cell))
                continue
            entries.append(
                FigureInput(
                    indicator=cell.indicator,
                    period=cell.period,
                    value=posted.value,
                    numerator=posted.numerator,
                    denominator=posted.denominator,
                    shown=shown,
                )
            )
        cleaned["entries"] = entries
        return cleaned

    def add_conflicts(self, conflicts: list[Conflict], stored: dict) -> None:
        """Report figures changed by someone else, and arm the form to save again.

        stored: the figures stored now, by (indicator pk, period). Boxes the person did
        not change show them; boxes in conflict keep the person's figure, so saving
        again replaces the other edit, and only in the cells the person changed. Of a
        percentage, only the box the person changed is theirs: had they changed only
        the denominator, the numerator in their box would be the one they were shown,
        and saving again would undo the other person's numerator.
        """
        by_place = {(c.indicator.pk, c.period): c for c in conflicts}
        refresh, acknowledged = {}, {}
        first_box = None  # the first box in conflict, where "Nothing was saved" leads
        others = []  # the boxes now showing a figure someone else saved, in words
        for cell in self.cells:
            place = (cell.indicator.pk, cell.period)
            conflict = by_place.get(place)
            if conflict is not None:
                now = cell.texts(conflict.current)
                mine = [name for name in cell.names if self._box_changed(name)]
                if len(mine) != 1:
                    mine = cell.names  # a figure of one box, or both boxes changed
                self.add_error(self.main_field(cell), _conflict_message(cell, conflict, self, mine))
                first_box = first_box or self[self.main_field(cell)].id_for_label
                acknowledged |= {name: now[name] for name in mine}
                refresh |= {name: now[name] for name in cell.names if name not in mine}
            elif cell.key not in self.changed_keys:
                now = cell.texts(stored.get(place))
                shown = [concurrency.shown_value(self, name) for name in cell.names]
                if not all(map(same_number, now.values(), shown)):
                    others.append(f"{cell.label} ({typed_text(now.values()) or 'removed'})")
                refresh |= now
        # First in the error summary: a conflict anywhere keeps every figure from saving.
        mine = len(self.changed_keys)
        yours = (
            "Your figure is still in its box: check it below"
            if mine == 1
            else f"Your {mine} figures are still in their boxes: check the ones below"
        )
        self.add_error(None, f"Nothing was saved. {yours} and save again.")
        # Not the form's first box (the reason box at the foot of a month sheet).
        self.non_field_errors_anchor = first_box or ""
        if others:
            these = "This now shows a figure" if len(others) == 1 else "These now show figures"
            self.add_error(None, f"{these} someone else saved: {joined(others)}.")
        concurrency.rebase(self, refresh=refresh, conflicts=acknowledged)

    def _box_changed(self, name: str) -> bool:
        return not same_number(self.data.get(name), concurrency.shown_value(self, name))


def _parsed_part(text, label: str, measure: str, part: str) -> Decimal | None:
    """A numerator or denominator as typed (blank: none), its FigureError saying which."""
    try:
        return parse_figure(text, label=label, measure=measure, part=True, blank_is_no_figure=True)
    except FigureError as error:
        error.part = part
        raise


def _not_ended(cell: Cell) -> str:
    """Why a quarter under way takes no figure: "REF 01 Referrals is quarterly: October to
    December 2016 has not ended yet."; a year grid's cell, named by its quarter, "Q3
    (October 2016 quarter) has not ended yet." """
    if periods.month_label(cell.period) in cell.label:
        return f"{cell.label} has not ended yet."
    return f"{cell.label} is quarterly: {periods.quarter_span(cell.period)} has not ended yet."


def _conflict_message(cell: Cell, conflict: Conflict, form: FigureGridForm, mine: list[str]) -> str:
    """mine: the boxes that keep the person's figure (the others take the stored one)."""
    current = conflict.current
    if current is None:
        now = "removed it"
    elif cell.ratio:
        now = f"changed it to {_text(current.numerator)} out of {_text(current.denominator)}"
    else:
        now = f"changed it to {_text(current.value)}"
    who = "someone else"
    if conflict.by is not None:
        who = conflict.by.get_full_name() or conflict.by.username
    typed = [str(form.data.get(name, "")).strip() for name in cell.names]
    if len(mine) < len(cell.names):
        yours = _one_box_kept(cell, form, typed, cell.texts(current), mine[0])
    elif any(typed):
        yours = f"Your figure ({typed_text(typed)}) is still in the box: save again to use it"
        yours += " instead, or change it."
    else:
        yours = "Your box is still blank: save again to remove the figure, or enter one."
    return f"{cell.label}: {who} {now} after you opened this page. {yours}"


def _one_box_kept(
    cell: Cell, form: FigureGridForm, typed: list[str], now: dict[str, str], kept: str
) -> str:
    """What a percentage's boxes hold after a conflict when the person changed one."""
    parts = ["numerator", "denominator"]
    index = cell.names.index(kept)
    part, other = parts[index], parts[1 - index]
    other_name = cell.names[1 - index]
    stored = now[other_name]
    yours = (
        f"Your {part} ({typed[index]}) is still in its box"
        if typed[index]
        else f"Your {part} box is still blank"
    )
    if not stored:
        return (
            f"{yours}; the {other} box is now blank, as stored: enter a {other} and save "
            f"again, or clear the {part} to leave the figure removed."
        )
    still = same_number(stored, concurrency.shown_value(form, other_name))
    figure = [typed[index], stored] if index == 0 else [stored, typed[index]]
    return (
        f"{yours}; the {other} is {'still' if still else 'now'} {stored}, as stored: save "
        f"again to use {typed_text(figure)} instead, or change it."
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = list(data) if isinstance(data, list | tuple) else [data]
        if not items:
            # No file chosen arrives as an empty list: FileField raises "required" for None.
            single(None, initial)
            return []
        return [self._one(single, item, initial) for item in items]

    @staticmethod
    def _one(single, item, initial):
        """One file cleaned, an empty one named (Django's message does not say which)."""
        try:
            return single(item, initial)
        except forms.ValidationError as error:
            if error.code != "empty":
                raise
            raise forms.ValidationError(
                f"{item.name} is empty: choose the file again, saved with its rows",
                code="empty",
            ) from None


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        error_messages={"required": "Choose at least one file to import."},
    )
    dry_run = forms.BooleanField(
        label="Check the files and show what would change, without saving", required=False
    )
    # actions.csv's confirmation (actions.transfer.NEW_PLANS), whose refusal names this box.
    new_plans = forms.BooleanField(
        label="Add new action plans even if a title is almost the same as an existing plan's",
        help_text="Importing actions.csv stops at a plan whose title is almost the same as "
        "one of your plans for that year (for example “Safer Streets” and “Safer Street”), "
        "in case it is a typing slip. Tick this if those plans really are new.",
        required=False,
    )

    def __init__(self, *args, tables: list[str], **kwargs):
        """tables: the names of the tables this person may import, in apply order."""
        super().__init__(*args, **kwargs)
        if "actions" not in tables:
            del self.fields["new_plans"]
        self.fields["files"].help_text = (
            f"CSV files named {listed(f'{name}.csv' for name in tables)} ({NAME_RULE}), "
            "or one Excel workbook (.xlsx) with sheets of those names; other sheets of a "
            "workbook are "
            f"left out. Up to {settings.IMPORT_UPLOAD_MAX_MB} MB."
        )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        limit = settings.IMPORT_UPLOAD_MAX_MB * 1024 * 1024
        total = sum(upload.size for upload in uploads)
        if total > limit:
            what = uploads[0].name if len(uploads) == 1 else "The files together"
            raise forms.ValidationError(
                f"{what} is {total / 1024 / 1024:.1f} MB: an upload can be at most "
                f"{settings.IMPORT_UPLOAD_MAX_MB} MB. {USE_THE_COMMAND}"
            )
        return uploads


class TargetForm(PlainTextMixin, forms.Form):
    """An indicator's target for one financial year, in any of the three kinds.

    Its boxes carry the values the page showed (csp_portal/core/concurrency.py), read back
    as the target shown (`shown_rows`): the year's target is saved as one value, written
    only if the person changed it, and refused if someone else changed it meanwhile.
    """

    NONE = "none"
    kind = forms.ChoiceField(
        label="Type of target",
        widget=forms.RadioSelect,
        choices=[
            (NONE, "No target (monitoring only this year)"),
            (Target.Kind.ANNUAL, "A figure for the whole year"),
            (Target.Kind.CHANGE_PCT, "A change against a baseline year"),
            (Target.Kind.CUMULATIVE, "A cumulative profile, month by month"),
        ],
    )
    value = forms.CharField(
        label="Target",
        required=False,
        help_text="For a whole-year figure, the figure (a level for percentages and rates). "
        "For a change, the per cent: -3 for a 3% reduction, 5 for a 5% increase.",
    )
    baseline_year = forms.TypedChoiceField(
        label="Baseline year", required=False, coerce=int, empty_value=None
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=500,
        help_text="Kept in the indicator's history, e.g. 'agreed by the board on 24 January'.",
    )

    def __init__(
        self,
        *args,
        indicator: Indicator,
        year: int,
        slots: list[datetime.date],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.indicator, self.year, self.slots = indicator, year, slots
        start = indicator.partnership.fy_start_month
        self.fields["baseline_year"].choices = [("", "Choose a year")] + [
            (y, periods.fy_label(y, start)) for y in range(year - 1, year - BASELINE_YEARS - 1, -1)
        ]
        step = 3 if indicator.frequency == Indicator.Frequency.QUARTERLY else 1
        self.unit = "quarter" if step == 3 else "month"
        # A quarterly indicator's profile has a point a quarter, as its boxes show.
        self.fields["kind"].choices = [
            (kind, f"A cumulative profile, {self.unit} by {self.unit}")
            if kind == Target.Kind.CUMULATIVE
            else (kind, label)
            for kind, label in self.fields["kind"].choices
        ]
        # A quarter's profile point is at the end of its last month.
        self.ends = {
            slot: periods.month_label(periods.add_months(slot, step - 1)) for slot in slots
        }
        for slot in slots:
            self.fields[f"p-{slot:%Y-%m}"] = forms.CharField(
                label=f"To the end of {self.ends[slot]}", required=False
            )
        self.target_fields = [name for name in self.fields if name != "reason"]
        for name in self.target_fields:
            self.fields[name].show_hidden_initial = True

    @staticmethod
    def initial_for(targets: list[Target]) -> dict:
        """The form's values for a year's stored target rows."""
        if not targets:
            return {"kind": TargetForm.NONE}
        first = targets[0]
        if first.kind == Target.Kind.CUMULATIVE:
            initial = {"kind": first.kind}
            initial.update({f"p-{t.period:%Y-%m}": plain_number(t.value) for t in targets})
            return initial
        return {
            "kind": first.kind,
            "value": plain_number(first.value),
            "baseline_year": first.baseline_year,
        }

    def shown_rows(self) -> list[TargetRow]:
        """The target the page showed, read from the values beside its boxes. A post
        without them (a script, a page from before they were kept) showed no target, so
        that it cannot overwrite one."""

        def number(name: str) -> Decimal | None:
            try:
                return parse_number(concurrency.shown_value(self, name))
            except FigureError:  # not what this site renders
                return None

        kind = concurrency.shown_value(self, "kind")
        if kind in (Target.Kind.ANNUAL, Target.Kind.CHANGE_PCT):
            value = number("value")
            baseline = str(concurrency.shown_value(self, "baseline_year") or "")
            if value is None:
                return []
            if kind == Target.Kind.ANNUAL or not baseline.isdecimal():
                return [TargetRow(kind, value)]
            return [TargetRow(kind, value, int(baseline))]
        if kind == Target.Kind.CUMULATIVE:
            points = {slot: number(f"p-{slot:%Y-%m}") for slot in self.slots}
            return [TargetRow(kind, v, None, slot) for slot, v in points.items() if v is not None]
        return []

    def same_target(self, a: list[TargetRow], b: list[TargetRow]) -> bool:
        """Whether two targets read the same on this form: it shows a baseline only for a
        change, and a profile's points only where it has a box (a quarterly profile imported
        at other months shows none)."""

        def as_shown(rows: list[TargetRow]) -> set[TargetRow]:
            return {
                TargetRow(
                    row.kind,
                    row.value,
                    row.baseline_year if row.kind == Target.Kind.CHANGE_PCT else None,
                    row.period,
                )
                for row in rows
                if row.period is None or row.period in self.slots
            }

        return as_shown(a) == as_shown(b)

    def add_conflict(self, conflict: TargetConflict) -> None:
        """Say who changed the target to what, and arm the form to save again: boxes the
        person did not change show the stored target; those they changed keep their values,
        so saving again replaces the other change with theirs."""
        start = self.indicator.partnership.fy_start_month
        who = "Someone else"
        if conflict.by is not None:
            who = conflict.by.get_full_name() or conflict.by.username
        self.add_error(
            None,
            f"{who} changed the {periods.fy_label(self.year, start)} target after you opened "
            f"this page: it is now {self._words(conflict.current)}. Your target is still in "
            "the boxes: save again to use it instead, or change it.",
        )
        stored = self.initial_for(conflict.current)
        texts = {name: str(stored.get(name) or "") for name in self.target_fields}
        changed = set(self.changed_data)
        concurrency.rebase(
            self,
            refresh={name: text for name, text in texts.items() if name not in changed},
            conflicts={name: text for name, text in texts.items() if name in changed},
        )

    def _words(self, targets: list[Target]) -> str:
        """A stored target in words: "a figure for the year of 640"."""
        if not targets:
            return "no target"
        last = max(targets, key=lambda t: t.period or datetime.date.min)
        # As every page writes it (15,000), every decimal place kept (a rate's 7.25).
        places = len(plain_number(last.value).partition(".")[2])
        value = format_number(last.value, places)
        if last.kind == Target.Kind.ANNUAL:
            return f"a figure for the year of {value}"
        if last.kind == Target.Kind.CHANGE_PCT:
            start = self.indicator.partnership.fy_start_month
            against = f" against {periods.fy_label(last.baseline_year, start)}"
            return f"a change of {value}%{against if last.baseline_year else ''}"
        end = self.ends.get(last.period) or periods.month_label(last.period)
        return f"a cumulative profile, {value} by the end of {end}"

    def profile_rows(self):
        """(label, [bound field]) for each profile point, the shape the grid partial takes."""
        return [(field.label, [field]) for field in (self[f"p-{s:%Y-%m}"] for s in self.slots)]

    def _target(self, name: str, kind: str, label: str) -> Decimal | None:
        """The target in this box, checked by the rules the import uses too; None when
        blank or after adding the box's error."""
        try:
            # A blank target box is no target, not a missing figure: no advice to leave it.
            example = (
                "-3 or 5"
                if kind == Target.Kind.CHANGE_PCT
                else number_example(self.indicator.measure)
            )
            value = parse_number(self.cleaned_data.get(name), label=label, example=example)
            if value is None:
                return None
            return check_target(self.indicator.measure, kind, value, label=label)
        except FigureError as error:
            self.add_error(name, str(error))
            return None

    def _check_baseline_has_figures(self, baseline_year: int) -> None:
        """Refuse a baseline year with no figures at all (targets.csv by the same rule)."""
        refused = baselines_without_figures([(self.indicator, baseline_year)])
        if refused:
            self.add_error(
                "baseline_year",
                f"{refused[self.indicator.pk, baseline_year]}: choose a baseline year with "
                "figures, or set a figure for the whole year instead.",
            )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        rows: list[TargetRow] = []
        if kind not in (None, self.NONE) and self.indicator.polarity == Indicator.Polarity.MONITOR:
            # Never rated, so never given a target (one kept from before can be removed).
            self.add_error("kind", f"{monitoring_only_words(self.indicator)}, or choose no target.")
        elif kind in (Target.Kind.ANNUAL, Target.Kind.CHANGE_PCT):
            value = self._target("value", kind, "The target")
            if value is None and "value" not in self.errors:
                self.add_error("value", "Enter the target.")
            if kind == Target.Kind.CHANGE_PCT and cleaned.get("baseline_year") is None:
                self.add_error("baseline_year", "Choose the baseline year the change is against.")
            if kind == Target.Kind.CHANGE_PCT and value is not None and not self.errors:
                self._check_baseline_has_figures(cleaned["baseline_year"])
            if value is not None and not self.errors:
                rows.append(
                    TargetRow(
                        kind,
                        value,
                        cleaned.get("baseline_year") if kind == Target.Kind.CHANGE_PCT else None,
                    )
                )
        elif kind == Target.Kind.CUMULATIVE:
            points = {}
            for slot in self.slots:
                label = f"The target to the end of {self.ends[slot]}"
                value = self._target(f"p-{slot:%Y-%m}", kind, label)
                if value is not None:
                    points[slot] = value
            for slot in profile_drops(self.indicator.measure, points):
                self.add_error(
                    f"p-{slot:%Y-%m}",
                    "A cumulative target cannot go down: "
                    + profile_drop_words(
                        slot,
                        quarterly=self.unit == "quarter",
                        start_month=self.indicator.partnership.fy_start_month,
                    )
                    + ".",
                )
            rows = [TargetRow(kind, value, None, slot) for slot, value in points.items()]
            if not rows and not self.errors:
                self.add_error(
                    f"p-{self.slots[0]:%Y-%m}",
                    f"Enter the cumulative target for at least one {self.unit}.",
                )
        cleaned["rows"] = rows
        return cleaned


class SpcSettingsForm(PlainTextMixin, forms.Form):
    """An indicator's SPC settings: a fixed baseline, recalculation points and the run length."""

    baseline_start = forms.CharField(
        label="Baseline from",
        required=False,
        help_text="The first month the limits are worked out from, as YYYY-MM, e.g. 2015-04. "
        "Leave both months empty to use every month shown.",
    )
    baseline_end = forms.CharField(
        label="Baseline to",
        required=False,
        help_text="The last month of the baseline, as YYYY-MM. Empty: up to the latest month.",
    )
    recalculate_from = forms.CharField(
        label="Recalculate the limits from",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Months where the process changed, such as a change of recording practice, "
        "as YYYY-MM, separated by commas or on separate lines. New limits start at each.",
    )
    run_length = forms.TypedChoiceField(
        label="Points in a row that count as a shift or a trend",
        coerce=int,
        widget=forms.RadioSelect,
        choices=SpcSetting.RunLength.choices,
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=500,
        help_text="Kept in the indicator's history, e.g. 'new crime recording standard'.",
    )

    def __init__(
        self, *args, indicator: Indicator, figure_months: Iterable[datetime.date] = (), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.figure_months = figure_months  # the periods with a figure; read when checked
        self.step = 3 if indicator.frequency == Indicator.Frequency.QUARTERLY else 1

    def _month(self, name: str, label: str) -> datetime.date | None:
        text = self.cleaned_data.get(name, "").strip()
        if not text:
            return None
        try:
            month = periods.parse_month(text)
        except ValueError:
            raise forms.ValidationError(
                f"Enter the {label} as a year and month, like 2015-04"
            ) from None
        if self.step == 3 and month != self._quarter_start(month):
            raise forms.ValidationError(
                f"Enter the {label} as the first month of a quarter, like "
                f"{self._quarter_start(month):%Y-%m}"
            )
        return month

    def _quarter_start(self, month: datetime.date) -> datetime.date:
        start = self.indicator.partnership.fy_start_month
        year = periods.financial_year_of(month, start)
        return periods.quarter_months(year, periods.quarter_of(month, start), start)[0]

    def clean_baseline_start(self):
        return self._month("baseline_start", "first month of the baseline")

    def clean_baseline_end(self):
        return self._month("baseline_end", "last month of the baseline")

    def clean_recalculate_from(self):
        months = []
        for text in re.split(r"[\s,;]+", self.cleaned_data.get("recalculate_from", "")):
            if not text:
                continue
            try:
                month = periods.parse_month(text)
            except ValueError:
                raise forms.ValidationError(
                    f"'{text[:20]}' is not a month: enter months like 2016-04, separated by commas"
                ) from None
            if self.step == 3 and month != self._quarter_start(month):
                raise forms.ValidationError(
                    f"{text} is not the first month of a quarter: use "
                    f"{self._quarter_start(month):%Y-%m}"
                )
            months.append(month)
        return sorted(set(months))

    def _charted(self, baseline_start: datetime.date | None) -> list[datetime.date]:
        """The periods with figures an XmR chart at the latest figure would use: its
        window reaches back to the baseline's start."""
        months = sorted(set(self.figure_months))
        if not months:
            return []
        settings = SpcSettings(baseline_start=baseline_start)
        first = spc_window(self.step, months[-1], settings)[0]
        return [month for month in months if month >= first]

    def _span(self, months: list[datetime.date]) -> str:
        if not months:
            return "there are no figures yet"
        return (
            f"the figures run from {periods.month_label(months[0])} "
            f"to {periods.month_label(months[-1])}"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("baseline_start"), data.get("baseline_end")
        unit = "quarters" if self.step == 3 else "months"
        if end and not start and "baseline_start" not in self.errors:
            self.add_error("baseline_start", "Enter the first month of the baseline as well")
        elif start and end and end < start:
            self.add_error("baseline_end", "The baseline must end after it starts")
        elif start and end:
            count = ((end.year - start.year) * 12 + end.month - start.month) // self.step + 1
            if count < spc.MIN_POINTS:
                self.add_error(
                    "baseline_end",
                    f"A baseline needs at least {spc.MIN_POINTS} {unit}; this one has {count}",
                )
        if self.errors:
            return data
        charted = self._charted(start)
        if start:
            # The limits are worked out from the figures in the baseline, not its months:
            # too few of them and the chart would quietly use every figure instead.
            last = end or (charted[-1] if charted else start)
            inside = [month for month in charted if start <= month <= last]
            if len(inside) < spc.MIN_POINTS:
                to = f"to {periods.month_label(end)}" if end else "to the latest figure"
                self.add_error(
                    "baseline_end" if end else "baseline_start",
                    f"A baseline needs at least {spc.MIN_POINTS} figures; there "
                    f"{'is' if len(inside) == 1 else 'are'} {len(inside) or 'none'} from "
                    f"{periods.month_label(start)} {to} ({self._span(charted)})",
                )
        outside = [
            month
            for month in data.get("recalculate_from", [])
            if not charted or not charted[0] < month <= charted[-1]
        ]
        if outside:
            months = ", ".join(periods.month_label(month) for month in outside)
            self.add_error(
                "recalculate_from",
                f"New limits can start only after the first figure and no later than the "
                f"last: {months} {'is' if len(outside) == 1 else 'are'} outside them "
                f"({self._span(charted)})",
            )
        return data
