"""Forms for funding streams, lines and progress updates; rules live in the model and services."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from csp_portal.core import concurrency
from csp_portal.core.forms import PlainTextMixin, partnership_theme_groups
from csp_portal.core.models import Partnership
from indicators import periods
from indicators.models import Indicator
from indicators.validation import read_number

from . import budget
from .models import CommissioningLine, ProgressUpdate, output_key
from .services import LineInput

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]
DATE_HINT = "For example, 31/3/2018."


def year_end(year: int, start_month: int) -> datetime.date:
    """The last day of a financial year: a date a line's boxes take as an example."""
    return periods.fy_start(year + 1, start_month) - datetime.timedelta(days=1)


def set_date_example(field: forms.DateField, label: str, day: datetime.date) -> None:
    """Give a date box an example its form takes, from the form's own year (the default,
    31/3/2018, is outside a later line's range): in the hint and in the message for a
    date that is not one."""
    example = f"{day.day}/{day.month}/{day.year}"
    field.help_text = f"For example, {example}."
    field.error_messages["invalid"] = f"Enter the {label} as a date, like {example}."


class MoneyField(forms.CharField):
    """Pounds and pence typed as 12500, 12,500 or 1234.50; never a float."""

    def __init__(self, *, money_label: str, **kwargs):
        self.money_label = money_label
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal | None:
        try:
            return budget.parse_money(super().to_python(value), label=self.money_label)
        except budget.MoneyError as error:
            raise ValidationError(str(error), code="money") from None


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
        error_messages={"invalid": f"Enter the {label.lower()} as a date, like 31/3/2018."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


class ModelErrorsMixin:
    def add_model_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError against the fields it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            for one in errors:
                if one.code == "duplicate_reference" and "reference" in self.fields:
                    self.add_error("reference", one)
                elif one.code == "duplicate_source" and "source" in self.fields:
                    self.add_error("source", one)
                else:
                    self.add_error(name if name in self.fields else None, one)


class VersionedForm(PlainTextMixin, ModelErrorsMixin, forms.Form):
    """Carries the row's version, so a save after someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def comparable(value):
    """A value as the concurrency check compares it: objects by key, "none" as blank."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return frozenset(comparable(v) for v in value)
    if value == "none":
        return ""
    return value


class TrackedForm(PlainTextMixin, ModelErrorsMixin, forms.Form):
    """An edit form whose boxes carry the value they showed (csp_portal/core/concurrency.py):
    only what the person changed is saved, and only a change someone else made to the
    same field since the page was built is a conflict."""

    def track(self) -> None:
        for field in self.fields.values():
            field.show_hidden_initial = True

    def _shown(self, name: str):
        try:
            return self.fields[name].clean(concurrency.shown_value(self, name))
        except ValidationError:
            return None

    def changes(self) -> dict[str, tuple]:
        """{field: (shown, posted)} for each field the person changed, as comparable values."""
        return {
            name: (comparable(self._shown(name)), comparable(self.cleaned_data[name]))
            for name in self.changed_data
            if name in self.cleaned_data
        }

    def add_conflicts(self, clashes: dict[str, str], stored: dict) -> None:
        """Report fields someone else changed (clashes: field -> what is stored now, in
        words) and arm the form so saving again keeps the person's values over theirs.

        stored: every field's value as the form shows it (initial_for the stored row).
        """
        for name, now in clashes.items():
            self.add_error(
                name,
                f"{self.fields[name].label}: someone else changed this to {now} after you "
                "opened the page. Save again to replace it with yours, or change it.",
            )
        changed = set(self.changed_data)
        refresh = {n: v for n, v in stored.items() if n in self.fields and n not in changed}
        acknowledged = {n: stored[n] for n in clashes}
        lists = {n: v for n, v in {**refresh, **acknowledged}.items() if isinstance(v, list)}
        concurrency.rebase(
            self,
            refresh={n: v for n, v in refresh.items() if n not in lists},
            conflicts={n: v for n, v in acknowledged.items() if n not in lists},
        )
        data = self.data.copy()
        for name, values in lists.items():
            texts = [str(v) for v in values]
            if name in refresh:
                data.setlist(self[name].html_name, texts)
            data.setlist(self[name].html_initial_name, texts)
        self.data = data


class StreamForm(TrackedForm):
    source = forms.CharField(
        label="Source",
        max_length=200,
        help_text='For example "Police and Crime Commissioner grant".',
        error_messages={"required": "Enter the source of the funding."},
    )
    amount = MoneyField(
        label="Amount for the year",
        money_label="The amount",
        error_messages={"required": "Enter the amount for the year in pounds."},
    )
    allocated_by = forms.CharField(
        label="Who allocates it",
        max_length=200,
        required=False,
        help_text='Who decides what it pays for, for example "Partnership board".',
    )
    criteria = forms.CharField(
        label="Allocation criteria",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What a project must show to be funded.",
    )
    monitoring = forms.CharField(
        label="How it is monitored",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who checks spending and delivery, and how often.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.track()

    @staticmethod
    def initial_for(stream) -> dict:
        return {
            "source": stream.source,
            "amount": f"{stream.amount:.2f}",
            "allocated_by": stream.allocated_by,
            "criteria": stream.criteria,
            "monitoring": stream.monitoring,
        }


class LineForm(TrackedForm):
    reference = forms.CharField(
        label="Reference",
        max_length=30,
        help_text='Unique in the year, for example "CI 01".',
        error_messages={"required": "Enter a reference for the line."},
    )
    area_of_need = forms.CharField(
        label="Area of need",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the area of need."},
    )
    recommendation = forms.CharField(
        label="Recommendation", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    theme_group = forms.ModelChoiceField(
        label="Theme group",
        queryset=None,
        required=False,
        empty_label="No theme group",
        error_messages={"invalid_choice": "Choose a theme group of this partnership."},
    )
    provider = forms.CharField(label="Provider", max_length=200, required=False)
    funding_stream = forms.ModelChoiceField(
        label="Funding stream",
        queryset=None,
        required=False,
        empty_label="None (not paid from a recorded stream)",
    )
    contribution_status = forms.ChoiceField(
        label="Contribution from the funding stream",
        widget=forms.RadioSelect,
        choices=[
            (CommissioningLine.Contribution.AMOUNT, "An amount"),
            (CommissioningLine.Contribution.TBC, "To be confirmed"),
            (CommissioningLine.Contribution.AWAITING, "Awaiting confirmation"),
            ("none", "No contribution from a funding stream"),
        ],
        error_messages={"required": "Say what the funding stream contributes."},
    )
    contribution = MoneyField(
        label="Contribution",
        money_label="The contribution",
        required=False,
        help_text="In pounds, only when the contribution is an amount.",
    )
    total_budget = MoneyField(
        label="Total budget",
        money_label="The total budget",
        required=False,
        help_text="The line's whole cost, which other funders may share.",
    )
    start = _date_field("Contract start")
    end = _date_field("Contract end")
    status = forms.ChoiceField(
        label="Status", widget=forms.RadioSelect, choices=CommissioningLine.Status.choices
    )
    outcomes = forms.CharField(
        label="Outcomes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the funded work has achieved so far; the report prints it.",
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Linked indicators",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose indicators of this partnership."},
    )

    def __init__(
        self,
        *args,
        partnership: Partnership,
        year: int,
        line: CommissioningLine | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.partnership, self.year, self.line = partnership, year, line
        if line is not None:
            self.track()
        label = periods.fy_label(year, partnership.fy_start_month)
        for name in ("start", "end"):
            set_date_example(
                self.fields[name],
                self.fields[name].label.lower(),
                year_end(year, partnership.fy_start_month),
            )
        partnership_theme_groups(self.fields["theme_group"], partnership)
        # Only the year's streams are offered: one of another year is refused as no choice.
        self.fields["funding_stream"].queryset = partnership.funding_streams.filter(
            financial_year=year
        )
        self.fields["funding_stream"].error_messages["invalid_choice"] = (
            f"Choose a funding stream of {partnership.name} for {label}."
        )
        self.fields["funding_stream"].label_from_instance = lambda s: (
            f"{s.source} ({budget.format_money(s.amount)}, {label})"
        )
        self.fields["indicators"].queryset = Indicator.objects.filter(
            partnership=partnership
        ).order_by("code")
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code} {i.title}"

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("contribution_status")
        if status == "none":
            cleaned["contribution_status"] = CommissioningLine.Contribution.NONE
        stream = cleaned.get("funding_stream")
        if stream is not None and stream.financial_year != self.year:
            self.add_error(
                "funding_stream",
                f"Choose a funding stream for "
                f"{periods.fy_label(self.year, self.partnership.fy_start_month)}: "
                f"{stream.source} is for "
                f"{periods.fy_label(stream.financial_year, self.partnership.fy_start_month)}.",
            )
        self._check_model_rules(cleaned)
        return cleaned

    def _check_model_rules(self, cleaned) -> None:
        """The model's rules (a reference the year has in any capitals and spaces, dates in
        order, contribution within the budget...) shown with the field errors, so the
        person sees every problem at once; the service checks again."""
        fields = ["contribution_status", "contribution", "total_budget", "start", "end"]
        probe = CommissioningLine(
            pk=self.line.pk if self.line else None,
            partnership=self.partnership,
            financial_year=self.year,
            reference=(cleaned.get("reference") or "").strip(),
        )
        for name in [*fields, "funding_stream", "theme_group"]:
            setattr(probe, name, cleaned.get(name))
        # A refused stream is missing from `cleaned`, not absent: the probe would say to
        # choose one, beside the message saying why the chosen one will not do.
        skip = {"contribution_status"} if "funding_stream" in self.errors else set()
        try:
            probe.clean()
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                if name in skip:
                    continue
                if name in self.fields and name not in self.errors and name in cleaned:
                    for message in errors:
                        self.add_error(name, message)

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            financial_year=self.year,
            reference=data["reference"].strip(),
            area_of_need=data["area_of_need"].strip(),
            recommendation=data["recommendation"].strip(),
            theme_group=data["theme_group"],
            provider=data["provider"].strip(),
            funding_stream=data["funding_stream"],
            contribution_status=data["contribution_status"],
            contribution=data["contribution"],
            total_budget=data["total_budget"],
            start=data["start"],
            end=data["end"],
            status=data["status"],
            indicators=tuple(data["indicators"]),
            outcomes=data["outcomes"].strip(),
        )

    @staticmethod
    def initial_for(line: CommissioningLine) -> dict:
        return {
            "reference": line.reference,
            "area_of_need": line.area_of_need,
            "recommendation": line.recommendation,
            "theme_group": line.theme_group_id or "",
            "provider": line.provider,
            "funding_stream": line.funding_stream_id or "",
            "contribution_status": line.contribution_status or "none",
            "contribution": "" if line.contribution is None else f"{line.contribution:.2f}",
            "total_budget": "" if line.total_budget is None else f"{line.total_budget:.2f}",
            "start": line.start.strftime("%d/%m/%Y") if line.start else "",
            "end": line.end.strftime("%d/%m/%Y") if line.end else "",
            "status": line.status,
            "outcomes": line.outcomes,
            "indicators": [i.pk for i in line.indicators.all()],
        }


class UpdateForm(VersionedForm):
    date = forms.DateField(
        label="Date of the update",
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
        error_messages={
            "required": "Enter the date of the update.",
            "invalid": "Enter the date of the update as a date, like 31/3/2018.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    text = forms.CharField(
        label="Progress",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the progress made."},
    )
    reported_by = forms.CharField(
        label="Reported by",
        max_length=200,
        required=False,
        help_text="Who gave the update, for example the provider.",
    )

    def __init__(self, *args, today: datetime.date, line: CommissioningLine, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # A day the update may have: in the line's year (the model's rule), by today.
        start_month = line.partnership.fy_start_month
        example = min(year_end(line.financial_year, start_month), today)
        if example < periods.fy_start(line.financial_year, start_month):
            example = year_end(line.financial_year, start_month)  # a year to come: none yet
        set_date_example(self.fields["date"], "date of the update", example)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > self.today:
            raise ValidationError("The date of the update cannot be in the future.")
        return day

    @staticmethod
    def initial_for(update: ProgressUpdate) -> dict:
        return {
            "version": update.version,
            "date": update.date.strftime("%d/%m/%Y"),
            "text": update.text,
            "reported_by": update.reported_by,
        }


class NumberField(forms.DecimalField):
    """A number typed as money is (`read_number`): digits, with or without commas (or
    spaces) between thousands, and a point: 1204, 1,204 or 12.5. Never what Decimal() reads
    besides ("1e3", "1_000", other scripts' digits), nor a comma anywhere else ("2,5"),
    never read as a larger number. A minus reads, so that a negative number is told it is
    one (``min_value``)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        number = None if text.startswith("+") else read_number(text)
        if number is None or not number.is_finite():
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text}
            )
        return number


class OutputForm(PlainTextMixin, forms.Form):
    label = forms.CharField(label="Output", max_length=200, required=False)
    value = NumberField(
        label="Number",
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        error_messages={
            "invalid": "The output must be a number, like 23 or 1,204.50 "
            "('%(value)s' is not a number).",
            "max_decimal_places": "An output can have at most two decimal places.",
            "min_value": "An output cannot be negative: enter 0 or more.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Output 2" and "Number 2": each box has its own name for screen readers.
        number = int(self.prefix.rsplit("-", 1)[-1]) + 1 if self.prefix else 1
        self.fields["label"].label = f"Output {number}"
        self.fields["value"].label = f"Number {number}"

    def clean(self):
        cleaned = super().clean()
        label, value = cleaned.get("label", "").strip(), cleaned.get("value")
        if label and value is None and "value" not in self.errors:
            self.add_error("value", f"Enter the number for '{label}'.")
        if value is not None and not label:
            self.add_error(
                "label", "Enter what the number counts, for example 'clients supported'."
            )
        cleaned["label"] = label
        return cleaned


class BaseOutputFormSet(forms.BaseFormSet):
    def clean(self):
        """Each output once: the line's table of outputs over time has a row per name."""
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            label = form.cleaned_data.get("label", "")
            if label and output_key(label) in seen:
                form.add_error(
                    "label",
                    f"'{label}' is given twice in this update: give each output once, "
                    "with its total.",
                )
            seen.add(output_key(label))


OutputFormSet = forms.formset_factory(OutputForm, formset=BaseOutputFormSet, extra=3)


def outputs_of(formset) -> list[tuple[str, Decimal]]:
    return [
        (f.cleaned_data["label"], f.cleaned_data["value"])
        for f in formset.forms
        if f.cleaned_data.get("label")
    ]


def _words(value) -> str:
    if value is None or value == "":
        return "blank"
    if isinstance(value, Decimal):
        return budget.format_money(value)
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return f"'{value}'" if isinstance(value, str) else str(value)


def line_value_words(line: CommissioningLine, name: str) -> str:
    """What a line's field holds now, as the conflict message says it."""
    if name == "indicators":
        codes = [i.code for i in line.indicators.order_by("code")]
        return ", ".join(codes) if codes else "none"
    if name in ("status", "contribution_status"):
        return getattr(line, f"get_{name}_display")().lower() or "no funding stream"
    return _words(getattr(line, name))


def stream_value_words(stream, name: str) -> str:
    return _words(getattr(stream, name))
