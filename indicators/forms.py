"""Forms for entering figures: the month sheet and the year grid share one grid form."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings

from csp_portal.core.models import ThemeGroup

from . import periods
from .importing import USE_THE_COMMAND
from .models import Actual, Indicator, Target
from .services import Conflict, FigureInput, TargetRow
from .validation import FigureError, check_figure, parse_number, plain_number


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
        self.fields["theme_group"].queryset = partnership.theme_groups.order_by("name")


def _text(number) -> str:
    return plain_number(number) or ""


# A posted figure: the cell key, then -v (value), -n (numerator) or -d (denominator).
_FIGURE_NAME = re.compile(r"^(?P<key>[a-z][\w-]*?)-[vnd]$")


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


class FigureGridForm(forms.Form):
    """Inputs for many figures at once. Blank means no figure; only changed figures are saved."""

    reason = forms.CharField(
        label="Reason for changing figures",
        required=False,
        max_length=500,
        help_text="Kept in the history of each figure you change, e.g. 'revised by police'.",
    )

    def __init__(
        self,
        *args,
        cells: list[Cell],
        today: datetime.date,
        stray_message: Callable[[str], str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.cells = cells
        self.today = today
        # Says why a posted figure that is not on this grid was refused.
        self.stray_message = stray_message or (lambda key: f"{key} is not on this page.")
        for cell in cells:
            current = cell.current
            if cell.ratio:
                self.fields[f"{cell.key}-n"] = forms.CharField(
                    label=f"{cell.label}: numerator",
                    required=False,
                    initial=_text(current.numerator) if current else "",
                )
                self.fields[f"{cell.key}-d"] = forms.CharField(
                    label=f"{cell.label}: denominator",
                    required=False,
                    initial=_text(current.denominator) if current else "",
                )
            else:
                self.fields[f"{cell.key}-v"] = forms.CharField(
                    label=cell.label,
                    required=False,
                    initial=_text(current.value) if current else "",
                )
            self.fields[f"{cell.key}-ver"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=current.version if current else 0
            )

    def main_field(self, cell: Cell) -> str:
        return f"{cell.key}-n" if cell.ratio else f"{cell.key}-v"

    def rows(self):
        """(cell, bound fields) pairs for templates."""
        for cell in self.cells:
            names = ["n", "d"] if cell.ratio else ["v"]
            yield cell, [self[f"{cell.key}-{n}"] for n in names], self[f"{cell.key}-ver"]

    def strays(self) -> list[str]:
        """Keys of posted figures that are not cells of this grid (tampering, a stale page)."""
        keys = {c.key for c in self.cells}
        posted = {m["key"] for name in self.data if (m := _FIGURE_NAME.match(name))}
        return sorted(posted - keys)

    def clean(self):
        cleaned = super().clean()
        for key in self.strays():
            self.add_error(None, self.stray_message(key))
        this_month = periods.month_start(self.today)
        entries = []
        for cell in self.cells:
            try:
                if cell.ratio:
                    numerator = parse_number(
                        cleaned.get(f"{cell.key}-n"), label=f"{cell.label} numerator"
                    )
                    denominator = parse_number(
                        cleaned.get(f"{cell.key}-d"), label=f"{cell.label} denominator"
                    )
                    value = None
                else:
                    numerator = denominator = None
                    value = parse_number(cleaned.get(f"{cell.key}-v"), label=cell.label)
                value = check_figure(
                    cell.indicator.measure, value, numerator, denominator, label=cell.label
                )
            except FigureError as error:
                self.add_error(self.main_field(cell), str(error))
                continue
            if value is not None and cell.period > this_month:
                self.add_error(
                    self.main_field(cell),
                    f"{cell.label}: {periods.month_label(cell.period)} has not started yet.",
                )
                continue
            entries.append(
                FigureInput(
                    indicator=cell.indicator,
                    period=cell.period,
                    value=value,
                    numerator=numerator,
                    denominator=denominator,
                    expected_version=cleaned.get(f"{cell.key}-ver") or 0,
                )
            )
        cleaned["entries"] = entries
        return cleaned

    def add_conflicts(self, conflicts: list[Conflict]) -> None:
        """Report figures changed by someone else, and arm the form to overwrite on resubmit."""
        by_place = {(c.indicator.pk, c.period): c for c in conflicts}
        data = self.data.copy()
        for cell in self.cells:
            conflict = by_place.get((cell.indicator.pk, cell.period))
            if conflict is None:
                continue
            current = conflict.current
            now = "removed it" if current is None else f"changed it to {_text(current.value)}"
            who = ""
            if current is not None and current.entered_by:
                who = f" ({current.entered_by.get_full_name() or current.entered_by.username})"
            self.add_error(
                self.main_field(cell),
                f"{cell.label}: someone else{who} {now} after you opened this page. "
                "Check the figure and save again to replace it.",
            )
            data[f"{cell.key}-ver"] = str(current.version if current else 0)
        self.data = data


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
        return [single(item, initial) for item in items]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        error_messages={"required": "Choose at least one file to import."},
        help_text="CSV files named partnerships.csv, indicators.csv, targets.csv or actuals.csv, "
        "or one Excel workbook (.xlsx) with sheets of those names.",
    )
    dry_run = forms.BooleanField(
        label="Check the files and show what would change, without saving", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text += f" Up to {settings.IMPORT_UPLOAD_MAX_MB} MB."

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


class TargetForm(forms.Form):
    """An indicator's target for one financial year, in any of the three kinds."""

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
        self, *args, indicator: Indicator, year: int, slots: list[datetime.date], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.indicator, self.year, self.slots = indicator, year, slots
        start = indicator.partnership.fy_start_month
        self.fields["baseline_year"].choices = [("", "Choose a year")] + [
            (y, periods.fy_label(y, start)) for y in range(year - 1, year - 11, -1)
        ]
        step = 3 if indicator.frequency == Indicator.Frequency.QUARTERLY else 1
        for slot in slots:
            end = periods.add_months(slot, step - 1)  # a quarter's profile point is at its end
            self.fields[f"p-{slot:%Y-%m}"] = forms.CharField(
                label=f"To the end of {periods.month_label(end)}", required=False
            )

    def profile_rows(self):
        """(label, [bound field]) for each profile point, the shape the grid partial takes."""
        return [(field.label, [field]) for field in (self[f"p-{s:%Y-%m}"] for s in self.slots)]

    def _number(self, name: str, label: str) -> Decimal | None:
        try:
            return parse_number(self.cleaned_data.get(name), label=label)
        except FigureError as error:
            self.add_error(name, str(error))
            return None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        rows: list[TargetRow] = []
        if kind in (Target.Kind.ANNUAL, Target.Kind.CHANGE_PCT):
            value = self._number("value", "The target")
            if value is None and "value" not in self.errors:
                self.add_error("value", "Enter the target.")
            elif value is not None and kind == Target.Kind.ANNUAL and value < 0:
                self.add_error("value", "A target for the year cannot be negative.")
            elif (
                value is not None
                and self.indicator.measure == Indicator.Measure.PERCENTAGE
                and kind == Target.Kind.ANNUAL
                and value > 100
            ):
                self.add_error("value", "A percentage target cannot be more than 100.")
            if kind == Target.Kind.CHANGE_PCT and cleaned.get("baseline_year") is None:
                self.add_error("baseline_year", "Choose the baseline year the change is against.")
            if value is not None and not self.errors:
                rows.append(
                    TargetRow(
                        kind,
                        value,
                        cleaned.get("baseline_year") if kind == Target.Kind.CHANGE_PCT else None,
                    )
                )
        elif kind == Target.Kind.CUMULATIVE:
            previous = None
            for slot in self.slots:
                name = f"p-{slot:%Y-%m}"
                value = self._number(name, f"The target to the end of {periods.month_label(slot)}")
                if value is None:
                    continue
                if value < 0:
                    self.add_error(name, "A target cannot be negative.")
                elif (
                    self.indicator.measure == Indicator.Measure.COUNT
                    and previous is not None
                    and value < previous
                ):
                    self.add_error(
                        name,
                        f"A cumulative target cannot go down: {periods.month_label(slot)} is "
                        f"less than the month before.",
                    )
                previous = value
                rows.append(TargetRow(kind, value, None, slot))
            if not rows and not self.errors:
                self.add_error(
                    f"p-{self.slots[0]:%Y-%m}",
                    "Enter the cumulative target for at least one month.",
                )
        cleaned["rows"] = rows
        return cleaned
