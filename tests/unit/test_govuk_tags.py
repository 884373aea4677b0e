"""GOV.UK tags that write HTML in Python: the same markup as Django's templates wrote."""

from decimal import Decimal

from django import forms
from django.template import Context, Template
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from csp_portal.core.templatetags.govuk import _as_widget, _widget_attrs, escape_text


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_status_tag_word_and_colour_for_each_status():
    for status, word in (("green", "Green"), ("AMBER", "Amber"), ("red", "Red")):
        html = render("{% govuk_status_tag s %}", s=status)
        assert f"app-status--{status.lower()}" in html
        assert html.endswith(f"</span> {word}</strong>")


def test_status_tag_unknown_or_missing_is_no_status():
    for status in (None, "", "purple"):
        assert "</span> No status</strong>" in render("{% govuk_status_tag s %}", s=status)


def test_direction_words_and_monitoring_only():
    assert "▲</span> Improving" in render("{% govuk_direction d %}", d="improving")
    assert "▼</span> Deteriorating" in render("{% govuk_direction d %}", d="Deteriorating")
    assert "►</span> Stable" in render("{% govuk_direction d %}", d="stable")
    assert "No comparison" in render("{% govuk_direction d %}", d=None)
    assert "For information only" in render("{% govuk_direction d p %}", d="improving", p="monitor")


def test_include_renders_the_tag():
    html = render('{% include "includes/status_tag.html" with status="red" %}')
    assert html == render('{% govuk_status_tag "red" %}') + "\n"


class _Form(forms.Form):
    name = forms.CharField(initial='a "quoted" <value>', show_hidden_initial=True)
    email = forms.EmailField(required=False)
    choice = forms.ChoiceField(choices=[("a", "A")])


def test_plain_inputs_written_as_django_renders_them():
    for data in (None, {"name": "x&y", "initial-name": "<old>", "email": "bad"}):
        form = _Form(data)
        for name in ("name", "email", "choice"):
            field = form[name]
            assert render("{% govuk_widget_with f %}", f=field) == render(
                "{{ f|govuk_widget }}", f=field
            )
            attrs = _widget_attrs(field)
            assert _as_widget(field, dict(attrs)) == field.as_widget(attrs=dict(attrs))
            if field.field.show_hidden_initial:
                assert _as_widget(field, only_initial=True) == field.as_hidden(only_initial=True)


def test_escape_text_is_conditional_escape():
    values = [
        "a & <b> \"c\" 'd'",
        *"&<>\"'",  # each alone
        "plain text, 1,149 and \u2212 12.5%",
        mark_safe("<b>kept</b>"),
        lazy(lambda: "<lazy>", str)(),
        lazy(lambda: mark_safe("<safe lazy>"), str)(),
        12,
        Decimal("1.50"),
        None,
        "",
    ]
    for value in values:
        assert escape_text(value) == conditional_escape(value)
