"""Radios and checkboxes carry the value the page showed, from the shared govuk tags (the
target, report and action forms use it)."""

from django import forms
from django.template import Context, Template


class _Form(forms.Form):
    kind = forms.ChoiceField(
        choices=[("annual", "Annual"), ("monthly", "Monthly")],
        widget=forms.RadioSelect,
        initial="annual",
        show_hidden_initial=True,
    )
    shown = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        initial=["b"],
        show_hidden_initial=True,
    )
    colour = forms.ChoiceField(choices=[("red", "Red")], widget=forms.RadioSelect)
    name = forms.CharField(show_hidden_initial=True)


def _shown(field) -> str:
    return Template("{% load govuk %}{{ field|govuk_shown_for_choices }}").render(
        Context({"field": field})
    )


def test_shown_value_of_radios_and_checkboxes_asking_for_it():
    form = _Form()
    assert _shown(form["kind"]) == (
        '<input type="hidden" name="initial-kind" value="annual" id="initial-id_kind">'
    )
    assert 'name="initial-shown" value="b"' in _shown(form["shown"])


def test_nothing_for_radios_not_asking_or_other_inputs():
    # A text input's shown value comes with its widget (govuk_widget).
    form = _Form()
    assert _shown(form["colour"]) == "" and _shown(form["name"]) == ""
