"""The report form: cover sheet, sections to show and their order, and the editor's text.

Editing a stored report, every field carries the value the page showed
(``show_hidden_initial``, csp_portal/core/concurrency.py): ``edits()`` gives the service
only what the person changed, so it never writes back what someone else changed since.
"""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from csp_portal.core.concurrency import shown_value
from csp_portal.core.forms import PlainTextMixin, partnership_theme_groups
from csp_portal.core.models import Meeting
from csp_portal.core.text import joined
from indicators import periods

from . import services
from .models import (
    IMPLICATION_KEYS,
    OVERVIEW_SECTION_KEYS,
    SECTION_KEYS,
    SECTION_TITLES,
    Report,
)
from .services import Edits, Part


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (a month input in browsers that have one)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        if isinstance(value, datetime.date):  # the stored month, when the field is fixed
            return value
        text = super().to_python(value)
        if not text:
            return None
        try:
            return periods.parse_month(text)
        except ValueError:
            raise forms.ValidationError(
                "Enter the month figures run to as a year and month, like 2016-11"
            ) from None

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


class ReportForm(PlainTextMixin, forms.ModelForm):
    period = MonthField(
        label="Month the figures run to",
        help_text="Figures run from the start of the financial year to this month, "
        "for example 2016-11.",
        error_messages={"required": "Enter the month the figures run to, like 2016-11"},
    )
    shown = forms.MultipleChoiceField(
        label="Sections to show",
        choices=[(key, SECTION_TITLES[key]) for key in SECTION_KEYS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="A section with nothing to show is left out anyway.",
    )

    class Meta:
        model = Report
        fields = [
            "title",
            "theme_group",
            "period",
            "meeting",
            "meeting_kind",
            "meeting_date",
            "report_of",
            "contact_officer",
            "contact_email",
            "coordinator",
            "priority",
            "wards",
            "exempt",
            "exempt_paragraph",
            "executive_summary",
            "purpose",
            "recommendations",
            "background_papers",
            "other_terms",
            "risks",
            "issues_for_others",
            "scrutiny_recommendations",
            "introduction",
        ]
        labels = {
            "theme_group": "Theme group",
            "meeting": "Meeting",
            "meeting_kind": "Kind of meeting (if it is not listed)",
            "meeting_date": "Date of the meeting (if it is not listed)",
            "introduction": "National developments",
            "other_terms": "Other terms",
        }
        help_texts = {
            "title": 'For example "Safe and Strong Theme Group Update".',
            "theme_group": "Leave blank for the whole partnership.",
            "meeting": "The meeting the report goes to.",
            "meeting_date": "For example 2017-01-24.",
            "report_of": "The responsible officer.",
            "contact_email": "The contact officer's, or a team's: the report gives it to "
            "readers who need it in another format.",
            "wards": '"All", or the wards by name.',
            "exempt": "Tick only if the report is exempt from publication.",
            "exempt_paragraph": "The paragraph of Schedule 12A to the Local Government Act 1972.",
            "executive_summary": "One short paragraph a line.",
            "recommendations": "One recommendation a line; they are numbered.",
            "background_papers": "One paper a line. Leave exempt papers off.",
            "risks": "One risk a line.",
            "issues_for_others": "One issue a paragraph (a line each).",
            "scrutiny_recommendations": "One recommendation and its response a line.",
            "introduction": "National developments, one paragraph a line.",
            "other_terms": "Abbreviations and terms the report uses that its glossary does "
            'not already explain, one a line, as "CCG: clinical commissioning group". They '
            "are printed in the glossary.",
        }
        widgets = {
            "purpose": forms.RadioSelect,
            "other_terms": forms.Textarea(attrs={"rows": 3}),
            "contact_email": forms.EmailInput(attrs={"spellcheck": "false"}),
            "meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "title": {"required": "Enter a title for the report"},
            "wards": {"required": 'Enter "All", or the wards affected by name'},
            "contact_email": {
                "invalid": "Enter the contact email in the correct format, like name@example.gov.uk"
            },
            "recommendations": {
                "required": 'Enter at least one recommendation, such as "To note the update"'
            },
        }

    def __init__(self, *args, partnership, indicators=(), group_names=(), covers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.instance.partnership = partnership
        partnership_theme_groups(self.fields["theme_group"], partnership)
        self.fields["theme_group"].empty_label = "None: the whole partnership"
        self.fields["meeting"].queryset = Meeting.objects.filter(partnership=partnership).order_by(
            "-date"
        )
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.title}, {m.date.day} {m.date:%B %Y}"
        )
        self.fields["meeting_kind"].choices = [("", "Choose a kind"), *Meeting.Kind.choices]
        # A meeting, or a kind and date: neither box on its own is optional.
        self.fields["meeting"].help_text = (
            "The meeting the report goes to. If it is not listed, give the kind of meeting "
            "and its date below."
        )
        # What of the report each field edits (services.report_part).
        self.parts: dict[str, Part] = {name: (name,) for name in self.fields}
        # An overview offers only the sections it can print; it keeps the others as stored.
        overview = self.instance.kind == Report.Kind.OVERVIEW
        self.offered = OVERVIEW_SECTION_KEYS if overview else SECTION_KEYS
        self.parts["shown"] = ("sections", "shown", *(self.offered if overview else ()))
        self.fields["shown"].choices = [(key, SECTION_TITLES[key]) for key in self.offered]
        if overview:
            self.fields["shown"].help_text = (
                "An overview prints each partnership's headline figures and news, "
                "then these sections."
            )
        self.published = bool(self.instance.pk and self.instance.versions.exists())
        if self.published:
            # Its published versions lock these months for entry: a report keeps its scope.
            for name in ("period", "theme_group"):
                self.fields[name].disabled = True
                self.fields[name].help_text = (
                    "Fixed once a version is published. For another month or theme group, "
                    "create a new report."
                )
        self.fields["purpose"].choices = list(Report.Purpose.choices)
        order = {s["key"]: i for i, s in enumerate(self.instance.sections)}
        self.fields["shown"].initial = [
            key for key in self.instance.shown_sections if key in self.offered
        ]
        for key in self.offered if len(self.offered) > 1 else ():
            self.fields[f"order_{key}"] = forms.IntegerField(
                label=f"Position of {SECTION_TITLES[key].lower()}",
                min_value=1,
                max_value=len(SECTION_KEYS),
                initial=order.get(key, SECTION_KEYS.index(key)) + 1,
                required=False,
                error_messages={
                    "min_value": "Give each section a position from 1 to 7",
                    "max_value": "Give each section a position from 1 to 7",
                    "invalid": "Give each section a position from 1 to 7",
                    "required": "Give each section a position from 1 to 7",
                },
            )
            self.parts[f"order_{key}"] = ("sections", key)
        implications = self.instance.implications or {}
        for key, label in IMPLICATION_KEYS:
            item = implications.get(key) or {}
            self.fields[f"implication_{key}"] = forms.CharField(
                label=f"{label} implications",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=item.get("text", ""),
            )
            self.fields[f"signoff_{key}"] = forms.CharField(
                label=f"{label} implications signed off by",
                required=False,
                max_length=200,
                initial=item.get("officer", ""),
            )
            self.parts[f"implication_{key}"] = ("implications", key, "text")
            self.parts[f"signoff_{key}"] = ("implications", key, "officer")
        self.group_names = list(group_names)
        for index, name in enumerate(self.group_names):
            self.fields[f"success_{index}"] = forms.CharField(
                label=f"Successes and developments: {name or partnership.name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=(self.instance.successes or {}).get(name, ""),
                help_text="One paragraph a line.",
            )
            self.fields[f"focus_{index}"] = forms.CharField(
                label=f"Focus for next quarter: {name or partnership.name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=(self.instance.focus or {}).get(name, ""),
                help_text="One paragraph a line.",
            )
            self.parts[f"success_{index}"] = ("successes", name)
            self.parts[f"focus_{index}"] = ("focus", name)
        self.indicators = list(indicators)
        comments = {str(k): v for k, v in (self.instance.editor_comments or {}).items()}
        for indicator in self.indicators:
            self.fields[f"comment_{indicator.pk}"] = forms.CharField(
                label=f"Comment on {indicator.title} ({indicator.code})",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=comments.get(str(indicator.pk), ""),
                help_text="Printed after the generated commentary, which it adds to.",
            )
            self.parts[f"comment_{indicator.pk}"] = ("editor_comments", str(indicator.pk))
        self.covers_choices = covers
        if covers is not None:
            self.fields["covers"] = forms.ModelMultipleChoiceField(
                label="Partnerships the overview covers",
                queryset=covers,
                widget=forms.CheckboxSelectMultiple,
                initial=list(self.instance.covers.all()) if self.instance.pk else [],
                error_messages={"required": "Choose at least one partnership to cover"},
            )
            self.parts["covers"] = ("covers",)
            news = {str(k): v for k, v in (self.instance.news or {}).items()}
            chosen = list(self.instance.covers.all()) if self.instance.pk else []
            for member in chosen:
                self.fields[f"news_{member.pk}"] = forms.CharField(
                    label=f"Summary and news: {member.name}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    initial=news.get(str(member.pk), ""),
                )
                self.parts[f"news_{member.pk}"] = ("news", str(member.pk))
        if self.instance.pk:
            for field in self.fields.values():
                field.show_hidden_initial = True

    def edits(self) -> Edits:
        """{part of the report: (value the page showed, value posted)} for each field the
        person changed; lists as sets."""
        edits = {}
        for name in self.changed_data:
            posted = self.cleaned_data[name]
            if posted is None and name.startswith("order_"):
                continue  # a position left blank keeps the section where it is
            try:
                shown = self.fields[name].clean(shown_value(self, name))
            except ValidationError:  # shown blank in a required field, or no shown value
                shown = None
            edits[self.parts[name]] = (_as_set(shown), _as_set(posted))
        return edits

    def section_fields(self):
        return [self[f"order_{key}"] for key in SECTION_KEYS if f"order_{key}" in self.fields]

    def implication_fields(self):
        return [(self[f"implication_{k}"], self[f"signoff_{k}"]) for k, _ in IMPLICATION_KEYS]

    def success_fields(self):
        """Each priority's successes and focus for next quarter, side by side."""
        return [
            field
            for i in range(len(self.group_names))
            for field in (self[f"success_{i}"], self[f"focus_{i}"])
        ]

    def comment_fields(self):
        return [self[f"comment_{i.pk}"] for i in self.indicators]

    def news_fields(self):
        return [self[name] for name in self.fields if name.startswith("news_")]

    def clean(self):
        data = super().clean()
        if self.covers_choices is not None and len(data.get("covers") or ()) == 1:
            self.add_error(
                "covers",
                "An overview covers at least two partnerships: choose another, or create "
                "a partnership update instead",
            )
        # A sign-off vouches for an assessment: the report would print one for nothing.
        for key, label in IMPLICATION_KEYS:
            officer = (data.get(f"signoff_{key}") or "").strip()
            if officer and not (data.get(f"implication_{key}") or "").strip():
                self.add_error(
                    f"signoff_{key}",
                    f"Enter the {label.lower()} implications that {officer} signed off, "
                    "or remove the sign-off",
                )
        # Each section at a position another also has is told which (both boxes marked).
        at: dict[int, list[str]] = {}
        for key in SECTION_KEYS:
            if data.get(f"order_{key}") is not None:
                at.setdefault(data[f"order_{key}"], []).append(key)
        for position, keys in at.items():
            for key in keys if len(keys) > 1 else ():
                others = [SECTION_TITLES[other] for other in keys if other != key]
                self.add_error(
                    f"order_{key}",
                    f"{SECTION_TITLES[key]} is at position {position}, as {joined(others)} "
                    f"{'is' if len(others) == 1 else 'are'}: give each section a different "
                    "position from 1 to 7",
                )
        return data

    def _post_clean(self):
        data = self.cleaned_data
        report = self.instance
        shown = set(data.get("shown") or []) | {
            key for key in report.shown_sections if key not in self.offered
        }
        current = {s["key"]: i + 1 for i, s in enumerate(report.sections)}
        positions = {key: data.get(f"order_{key}") or current.get(key, 99) for key in SECTION_KEYS}
        report.sections = [
            {"key": key, "shown": key in shown}
            for key in sorted(SECTION_KEYS, key=lambda k: (positions[k], SECTION_KEYS.index(k)))
        ]
        report.implications = {
            key: {
                "text": data.get(f"implication_{key}", ""),
                "officer": data.get(f"signoff_{key}", ""),
            }
            for key, _ in IMPLICATION_KEYS
        }
        if self.group_names:
            report.successes = {
                name: data.get(f"success_{i}", "") for i, name in enumerate(self.group_names)
            }
            report.focus = {
                name: data.get(f"focus_{i}", "") for i, name in enumerate(self.group_names)
            }
        if self.indicators:
            report.editor_comments = {
                str(i.pk): data.get(f"comment_{i.pk}", "")
                for i in self.indicators
                if data.get(f"comment_{i.pk}", "").strip()
            }
        news_names = [n for n in self.fields if n.startswith("news_")]
        if news_names:
            report.news = {n.removeprefix("news_"): data.get(n, "") for n in news_names}
        date_refused = "meeting_date" in self.errors
        super()._post_clean()
        if date_refused and not data.get("meeting") and "meeting" in self.errors:
            # The date typed was refused (said so beside it): not a missing meeting.
            del self.errors["meeting"]


def _as_set(value: Any) -> Any:
    """Several choices (section keys, partnerships) as a set of keys; others as they are."""
    if isinstance(value, list):
        return frozenset(value)
    if hasattr(value, "values_list"):  # the chosen partnerships
        return frozenset(value.values_list("pk", flat=True))
    return value


class PublishForm(PlainTextMixin, forms.Form):
    """What publishing asks: nothing for a first version; for a later one, why it is
    published (kept with the version and printed in its version line, so a reader can
    tell what changed)."""

    reason = forms.CharField(max_length=services.REASON_LENGTH)

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        if number == 1:
            del self.fields["reason"]
            return
        field = self.fields["reason"]
        field.label = f"Why are you publishing version {number}?"
        field.help_text = (
            "The panel reads it with the version, on its page and in its PDF and Word "
            "files. For example “Burglary figures for October corrected by the police”."
        )
        field.error_messages["required"] = services.reason_needed(number)
        field.error_messages["max_length"] = services.REASON_TOO_LONG
