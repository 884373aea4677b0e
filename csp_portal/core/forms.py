from operator import attrgetter

from django import forms
from django.forms.utils import pretty_name

from .text import NOT_IN_XML, one_line_end


class PartnershipSearchForm(forms.Form):
    q = forms.CharField(
        label="Search partnerships",
        help_text="Part of a partnership's name or area",
        required=False,
        max_length=100,
        strip=True,
    )


class PlainTextMixin:
    """Stores every line of the form's text ending "\n", and refuses, in every text box, the
    invisible control characters that XML cannot hold (``NOT_IN_XML``: pasted from a PDF,
    say), naming the box: saved, one would stop the report's Word file and the exports
    being made. Tab, line feed and carriage return are allowed.

    A browser posts a box's line ends as "\r\n" (the hidden copy of the value the page
    showed too, see csp_portal/core/concurrency.py): the posted data's line ends are made
    "\n" (``one_line_end``) before anything reads it, so the text is stored as a workbook
    and the imports give it back (a workbook read back changes nothing), and a box left as
    it was is not seen as changed. The control characters are checked after the fields
    are cleaned, so boxes a form adds in its ``__init__`` are checked too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = one_line_end_data(self.data)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, value in list(getattr(self, "cleaned_data", {}).items()):
            found = NOT_IN_XML.search(value) if isinstance(value, str) else None
            if found and name in self.fields:
                self.add_error(name, control_character_message(self, name, found.group()))


def one_line_end_data(data):
    """Posted data (a QueryDict, or a dict in a test) with each text's line ends "\n"."""

    def plain(value):
        return one_line_end(value) if isinstance(value, str) else value

    if not hasattr(data, "lists"):
        return {
            key: [plain(v) for v in value] if isinstance(value, list | tuple) else plain(value)
            for key, value in data.items()
        }
    if not any("\r" in v for _, values in data.lists() for v in values if isinstance(v, str)):
        return data  # the usual case: no line end, or a page's box left single-line
    copy = data.copy()
    for key, values in data.lists():
        copy.setlist(key, [plain(value) for value in values])
    return copy


def control_character_message(form: forms.BaseForm, name: str, character: str) -> str:
    label = form.fields[name].label or pretty_name(name)
    return (
        f"{label} holds an invisible control character (U+{ord(character):04X}), often "
        "pasted from a PDF, which documents and spreadsheets cannot hold: delete it, or "
        "type that part of the text again"
    )


class PlainTextModelForm(PlainTextMixin, forms.ModelForm):
    """An admin page's form, with its text boxes checked as the site's forms are."""


class LinkedIndicatorsForm(PlainTextModelForm):
    """An admin page's form for a row linked to indicators, which must be of the row's own
    partnership, as the site's forms require (the admin's box offers every partnership's).
    ``partnership_of`` says whose the row is, from the form's cleaned data."""

    def partnership_of(self, data: dict):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        partnership = self.partnership_of(data)
        others = [
            indicator.code
            for indicator in data.get("indicators") or []
            if partnership is not None and indicator.partnership_id != partnership.pk
        ]
        if others:
            self.add_error(
                "indicators",
                f"Choose indicators of {partnership.name}: {', '.join(others)} "
                f"{'is' if len(others) == 1 else 'are'} another partnership's.",
            )
        return data


def partnership_theme_groups(field, partnership) -> None:
    """A choice among the partnership's theme groups, each by its name alone: the page
    names the partnership (a theme group's own name adds it in brackets)."""
    field.queryset = partnership.theme_groups.order_by("name")
    field.label_from_instance = attrgetter("name")
