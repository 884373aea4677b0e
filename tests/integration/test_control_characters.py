"""Invisible control characters (pasted from a PDF, say) are refused in every text box,
naming the box, so that no report's Word file or export is broken by one."""

import pytest
from django import forms
from django.urls import reverse

from actions import forms as action_forms
from commissioning import forms as commissioning_forms
from csp_portal.core.forms import PlainTextMixin, PlainTextModelForm
from indicators import forms as indicator_forms
from reports import forms as report_forms
from reports.models import Report
from tests.integration.test_report_editing import _form


class NoteForm(PlainTextMixin, forms.Form):
    note = forms.CharField(label="Note", required=False)
    count = forms.IntegerField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"] = forms.CharField(label="A box added later", required=False)


@pytest.mark.parametrize("character", ["\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\ufffe"])
def test_a_control_character_is_refused_naming_the_box(character):
    form = NoteForm({"note": f"Crime fell{character} by 5%", "count": "3"})

    assert not form.is_valid()
    assert form.errors["note"] == [
        f"Note holds an invisible control character (U+{ord(character):04X}), often pasted "
        "from a PDF, which documents and spreadsheets cannot hold: delete it, or type that "
        "part of the text again"
    ]


def test_a_box_a_form_adds_in_its_init_is_checked_too():
    form = NoteForm({"later": "a\x02b"})

    assert not form.is_valid()
    assert form.errors["later"][0].startswith("A box added later holds an invisible control")


def test_tabs_and_line_ends_are_allowed():
    form = NoteForm({"note": "One\ttwo\r\nthree\nfour"})

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "form_class",
    [
        report_forms.ReportForm,
        action_forms.QuickUpdateForm,
        action_forms.ActionPlanForm,
        action_forms.ObjectiveForm,
        action_forms.ActionForm,
        action_forms.RiskForm,
        action_forms.IssueForm,
        action_forms.RecommendationForm,
        commissioning_forms.StreamForm,
        commissioning_forms.LineForm,
        commissioning_forms.UpdateForm,
        commissioning_forms.OutputForm,
        indicator_forms.FigureGridForm,
        indicator_forms.TargetForm,
        indicator_forms.SpcSettingsForm,
        PlainTextModelForm,  # the admin's partnership and meeting pages
    ],
)
def test_every_form_that_saves_text_checks_it(form_class):
    assert issubclass(form_class, PlainTextMixin)


@pytest.mark.django_db
def test_a_report_with_a_control_character_in_its_summary_is_not_saved(
    client, partnership_a, officer_a
):
    client.force_login(officer_a)

    response = client.post(
        reverse("reports:create", args=["partnership-a"]),
        _form(executive_summary="Overall crime fell by 5\x02 per cent."),
    )

    assert response.status_code == 200
    assert "Executive summary holds an invisible control character (U+0002)" in (
        response.content.decode()
    )
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_meeting_with_a_control_character_is_refused_in_the_admin(admin_client, partnership_a):
    response = admin_client.post(
        reverse("admin:core_meeting_add"),
        {
            "partnership": partnership_a.pk,
            "date": "2017-01-24",
            "kind": "scrutiny_panel",
            "title": "Panel\x07 meeting",
            "location": "Guildhall",
        },
    )

    assert response.status_code == 200
    assert "holds an invisible control character (U+0007)" in response.content.decode()
    assert not partnership_a.meetings.exists()


def test_every_admin_page_that_saves_text_checks_it():
    """Each model admin and inline of the site's own models edits through a form that refuses
    control characters (the user admin has Django's own forms, which hold no free text)."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    # The audit trails' pages only read.
    read_only = {
        "ActualAdmin",
        "FigureChangeAdmin",
        "ActionsChangeAdmin",
        "CommissioningChangeAdmin",
    }
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"core", "indicators", "actions", "commissioning"}:
            continue
        if model is get_user_model() or type(model_admin).__name__ in read_only:
            continue
        for page in [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]:
            if not issubclass(page.form, PlainTextMixin):
                unchecked.append(type(page).__name__)
    assert unchecked == []
