"""Forms for action plans, risks, cross-theme issues and recommendations.

A form that changes a stored row carries, beside each field, the value the page showed
(``show_hidden_initial``, csp_portal/core/concurrency.py), so the service writes only what
the person changed and refuses a change over someone else's. Every message names the
field and the fix.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils import timezone

from csp_portal.core.concurrency import shown_value
from csp_portal.core.forms import PlainTextMixin, partnership_theme_groups
from csp_portal.core.models import ThemeGroup
from indicators import periods
from indicators.models import Indicator

from . import rules, services
from .models import Action, ActionPlan, CrossThemeIssue, Objective, OpenClosed, Recommendation, Risk

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y"]


def _date_field(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        # A date box takes and shows ISO dates whatever the language: a day-first value
        # is shown as no date, and saving the form then removed it.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        # As the box shows a date in a UK browser (day, month and year, each in full),
        # and as a browser without a date box takes it typed.
        help_text=help_text or "For example, 25/08/2007.",
        error_messages={
            "invalid": f"Enter the {label.lower()} as a real date, like 25/08/2007.",
            "required": f"Enter the {label.lower()}.",
        },
    )


def _set_example(field: forms.DateField, label: str, day: datetime.date) -> None:
    """Give a date box an example its form takes (the default, 25/08/2007, is before a
    plan's year, or a recommendation's meeting): in the hint and in the message for a date
    that is not one."""
    example = day.strftime("%d/%m/%Y")
    field.help_text = f"For example, {example}."
    field.error_messages["invalid"] = f"Enter the {label} as a real date, like {example}."


def status_choices(partnership) -> list[tuple[str, str]]:
    """The legend's statuses, each with its meaning: "Red: Action not completed"."""
    return [
        (entry.status, f"{entry.word}: {entry.meaning}")
        for entry in rules.status_legend(partnership.rag_legend)
    ]


class _ShownValues:
    """Editing a stored row: every field carries the value the page showed."""

    def _track_shown(self):
        if self.instance.pk:
            for field in self.fields.values():
                field.show_hidden_initial = True


def form_edits(form: forms.Form) -> dict:
    """{field: (value the page showed, value posted)} for each field the person changed."""
    edits = {}
    for name in form.changed_data:
        field = form.fields[name]
        try:
            shown = field.clean(shown_value(form, name))
        except ValidationError:  # shown blank in a required field, or no shown value
            shown = None
        edits[name] = (shown, form.cleaned_data[name])
    return edits


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False)
    lead = forms.ChoiceField(label="Lead", required=False)
    theme_group = forms.ModelChoiceField(
        label="Theme group",
        queryset=ThemeGroup.objects.none(),
        required=False,
        empty_label="All theme groups",
        error_messages={"invalid_choice": "Choose a theme group from the list."},
    )
    overdue = forms.BooleanField(label="Only overdue actions", required=False)

    def __init__(self, *args, partnership, leads, theme_groups: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", "All statuses"),
            *[(e.status, e.word) for e in rules.status_legend(partnership.rag_legend)],
            # Closed actions: counted as complete, not under the rating they last had.
            (rules.COMPLETE, rules.PROGRESS_WORDS[rules.COMPLETE]),
        ]
        self.fields["status"].error_messages["invalid_choice"] = "Choose a status from the list."
        self.fields["lead"].choices = [("", "All leads"), *leads]
        self.fields["lead"].error_messages["invalid_choice"] = "Choose a lead from the list."
        if theme_groups:
            partnership_theme_groups(self.fields["theme_group"], partnership)
        else:
            del self.fields["theme_group"]


class QuickUpdateForm(PlainTextMixin, forms.Form):
    """Set an action's status and write its update in one step, from the plan page."""

    status = forms.ChoiceField(
        label="Status",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the action's status.",
            "invalid_choice": "Choose a status from the partnership's legend.",
        },
    )
    text = forms.CharField(
        label="Update and further actions",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Write what has been done and what comes next."},
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = status_choices(partnership)
        # The status the page showed: left as shown, the update keeps the stored one.
        self.fields["status"].show_hidden_initial = True

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write what has been done and what comes next.")
        return text


class FinancialYearField(forms.Field):
    """A financial year typed as "2016/17" (or its start year, 2016): the start year.

    Sensible means from 2000/01 to five years ahead of this one: plans are for the
    years the partnership reports on, and a typo such as 1016 or 2106 is refused.
    """

    FIRST = 2000
    AHEAD = 5

    def __init__(self, *, start_month: int = 4, this_year: int, **kwargs):
        self.start_month = start_month
        self.this_year = this_year
        super().__init__(widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}), **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return periods.fy_label(value, self.start_month)
        return value

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text in self.empty_values:
            return None
        example = periods.fy_label(self.this_year, self.start_month)
        try:
            year = (
                int(text)
                if text.isdecimal() and len(text) == 4
                else periods.parse_fy_label(text, self.start_month)
            )
        except ValueError:
            raise ValidationError(
                f"Enter the financial year like {example}.", code="invalid"
            ) from None
        last = self.this_year + self.AHEAD
        if not self.FIRST <= year <= last:
            first_label = periods.fy_label(self.FIRST, self.start_month)
            last_label = periods.fy_label(last, self.start_month)
            raise ValidationError(
                f"Enter a financial year from {first_label} to {last_label}.", code="range"
            )
        return year


class ActionPlanForm(PlainTextMixin, _ShownValues, forms.ModelForm):
    """Start an action plan, or change its title, theme group or year."""

    class Meta:
        model = ActionPlan
        fields = ["title", "financial_year", "theme_group"]
        labels = {"title": "Title", "theme_group": "Theme group"}
        error_messages = {"title": {"required": 'Enter a title, such as "Safer Test Valley".'}}

    def __init__(self, *args, partnership, this_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["financial_year"] = FinancialYearField(
            label="Financial year",
            start_month=partnership.fy_start_month,
            this_year=this_year,
            help_text=f"For example, {periods.fy_label(this_year, partnership.fy_start_month)}.",
            error_messages={"required": "Enter the financial year the plan covers."},
        )
        groups = self.fields["theme_group"]
        partnership_theme_groups(groups, partnership)
        groups.empty_label = "The whole partnership"
        groups.help_text = "Leave as the whole partnership for a plan no theme group owns."
        groups.error_messages["invalid_choice"] = "Choose a theme group of this partnership."
        self._track_shown()

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError('Enter a title, such as "Safer Test Valley".')
        return title


class ObjectiveForm(PlainTextMixin, _ShownValues, forms.ModelForm):
    """Add an objective to a plan, or change its number or title."""

    class Meta:
        model = Objective
        fields = ["number", "title"]
        labels = {"number": "Objective number", "title": "Objective"}
        help_texts = {"number": "Numbers order the objectives: 1, 2, 3."}
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "number": {
                "required": "Enter the objective's number, such as 1.",
                "invalid": "Enter the objective's number as a whole number, such as 1.",
                "min_value": "The objective's number must be 1 or more.",
            },
            "title": {"required": "Say what the objective is."},
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        # 1 or more in place of the column's 0 or more: one rule, so one message.
        number = self.fields["number"]
        number.min_value = 1
        number.validators = [
            v for v in number.validators if not isinstance(v, MinValueValidator)
        ] + [MinValueValidator(1)]
        self.fields["number"].widget.attrs["min"] = 1
        self._track_shown()

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError("Say what the objective is.")
        return title


class ActionForm(PlainTextMixin, _ShownValues, forms.ModelForm):
    due = _date_field("Due date")

    class Meta:
        model = Action
        fields = [
            "objective",
            "reference",
            "description",
            "outcome",
            "lead_member",
            "lead_text",
            "due",
            "when",
            "indicators",
            "closed",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "indicators": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "reference": {"required": 'Enter a reference, such as "2.3".'},
            "description": {"required": "Describe the action."},
        }

    def __init__(self, *args, plan, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self._track_shown()
        partnership = plan.partnership
        # The last day of the plan's year: an action may be due from its start.
        year_end = periods.fy_start(plan.financial_year + 1, partnership.fy_start_month)
        _set_example(self.fields["due"], "due date", year_end - datetime.timedelta(days=1))
        self.fields["objective"].queryset = plan.objectives.order_by("number")
        self.fields["objective"].error_messages["invalid_choice"] = (
            "Choose an objective of this action plan."
        )
        self.fields["objective"].error_messages["required"] = "Choose the action's objective."
        self.fields["lead_member"].queryset = members
        self.fields["lead_member"].label_from_instance = lambda m: (
            m.user.get_full_name() or m.user.username
        )
        self.fields["lead_member"].error_messages["invalid_choice"] = (
            "Choose a member of this partnership as lead."
        )
        indicators = self.fields["indicators"]
        indicators.queryset = Indicator.objects.filter(partnership=partnership).order_by("code")
        indicators.help_text = "The indicators this action serves."
        indicators.error_messages["invalid_choice"] = (
            f"Choose indicators of {partnership.name}: '%(value)s' is not one of them."
        )
        indicators.error_messages["invalid_pk_value"] = (
            f"Choose indicators of {partnership.name}: '%(pk)s' is not one of them."
        )
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code} {i.title}"

    def clean(self):
        data = super().clean()
        # Said with the form's other problems, not in a round of its own once they are
        # fixed (the service checks again as it saves, for two saves at once).
        reference = data.get("reference")
        if reference:
            others = Action.objects.filter(plan=self.instance.plan, reference=reference)
            if others.exclude(pk=self.instance.pk).exists():
                self.add_error("reference", services.action_reference_taken(reference))
        return data


class RiskForm(PlainTextMixin, _ShownValues, forms.ModelForm):
    SCALE = [(n, str(n)) for n in rules.LIKELIHOOD_IMPACT]
    likelihood = forms.TypedChoiceField(
        label="Likelihood",
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 (rare) to 5 (almost certain).",
        error_messages={
            "required": "Choose a likelihood from 1 to 5.",
            "invalid_choice": "Likelihood must be a whole number from 1 to 5.",
        },
    )
    impact = forms.TypedChoiceField(
        label="Impact",
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 (minor) to 5 (severe).",
        error_messages={
            "required": "Choose an impact from 1 to 5.",
            "invalid_choice": "Impact must be a whole number from 1 to 5.",
        },
    )
    review_date = _date_field("Review date")

    class Meta:
        model = Risk
        fields = [
            "reference",
            "theme_group",
            "description",
            "owner",
            "likelihood",
            "impact",
            "mitigation",
            "status",
            "review_date",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
        }
        error_messages = {
            "reference": {"required": 'Enter a reference, such as "R1".'},
            "description": {"required": "Describe the risk."},
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self._track_shown()
        partnership_theme_groups(self.fields["theme_group"], partnership)
        self.fields["theme_group"].error_messages["invalid_choice"] = (
            "Choose a theme group of this partnership."
        )


class IssueForm(PlainTextMixin, _ShownValues, forms.ModelForm):
    raised_on = _date_field("Date raised")

    class Meta:
        model = CrossThemeIssue
        fields = ["title", "raised_by", "affects", "issue", "ask", "status", "raised_on"]
        widgets = {
            "issue": forms.Textarea(attrs={"rows": 4}),
            "ask": forms.Textarea(attrs={"rows": 3}),
            "affects": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
        }
        labels = {"raised_by": "Raised by", "affects": "Theme groups it affects"}
        error_messages = {
            "title": {"required": "Give the issue a short title."},
            "issue": {"required": "Describe the issue."},
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self._track_shown()
        for name in ("raised_by", "affects"):
            partnership_theme_groups(self.fields[name], partnership)
            self.fields[name].error_messages["invalid_choice"] = (
                "Choose theme groups of this partnership."
            )

    def clean(self):
        cleaned = super().clean()
        affects_another_group(self)
        return cleaned


def affects_another_group(form: forms.ModelForm) -> None:
    """Refuse, on its "affects" field, a cross-theme issue that affects only the theme
    group that raised it, beside the form's other errors (the service asks again)."""
    raised_by, affects = form.cleaned_data.get("raised_by"), form.cleaned_data.get("affects")
    if raised_by is None or affects is None:  # refused already, or none raised it
        return
    if rules.affects_only_its_raiser(raised_by.pk, [group.pk for group in affects]):
        form.add_error("affects", rules.ISSUE_AFFECTS_ANOTHER)


class MeetingDateFromMeeting:
    """A recommendation's form, the site's or the admin's: its meeting date is needed only
    with no meeting chosen, whose date it takes when left blank."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date = self.fields["meeting_date"]
        date.required = False
        said = "With a meeting chosen, leave it blank to use the meeting's date."
        date.help_text = f"{date.help_text} {said}".strip()

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting")
        if cleaned.get("meeting_date") is None and "meeting_date" not in self.errors:
            if meeting is not None:
                cleaned["meeting_date"] = meeting.date
            else:
                self.add_error("meeting_date", "Enter the meeting date, or choose the meeting.")
        return cleaned


class RecommendationForm(MeetingDateFromMeeting, PlainTextMixin, _ShownValues, forms.ModelForm):
    meeting_date = _date_field("Meeting date")
    due = _date_field("Due date")

    class Meta:
        model = Recommendation
        fields = [
            "meeting",
            "meeting_date",
            "reference",
            "recommendation",
            "assigned_to",
            "response",
            "status",
            "due",
        ]
        widgets = {
            "recommendation": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
        }
        error_messages = {
            "reference": {"required": 'Enter a reference, such as "SP-2027-01".'},
            "recommendation": {"required": "Write what the panel recommended."},
            "assigned_to": {"required": "Say to whom the recommendation was made."},
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self._track_shown()
        meeting = self.fields["meeting"]
        # The panel's meetings held by today (a recommendation is made at one); on a change,
        # also the meeting already chosen, whatever its kind, so the form shows what is
        # stored (`Recommendation.meetings_offered`).
        held = Q(date__lte=timezone.localdate())
        if self.instance.meeting_id:
            held |= Q(pk=self.instance.meeting_id)
        meeting.queryset = self.instance.meetings_offered(partnership.meetings.filter(held))
        meeting.required = False
        meeting.error_messages["invalid_choice"] = "Choose a meeting of this partnership."
        # Due on or after its meeting: a stored one's meeting date, else today (a new one's
        # meeting is held by today).
        _set_example(
            self.fields["due"], "due date", self.instance.meeting_date or timezone.localdate()
        )


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All"), *choices]
        self.fields["status"].error_messages["invalid_choice"] = "Choose a status from the list."


RISK_STATUSES = OpenClosed.choices
RECOMMENDATION_STATUSES = [("open", "Still to follow up"), *Recommendation.Status.choices]
