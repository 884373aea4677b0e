"""Text typed on the site is stored with its lines ending "\n", as a workbook and the imports
give it back, though a browser posts them "\r\n": so a workbook read back changes nothing,
and a box left as it was is neither a change nor, against the stored text, a conflict."""

import datetime

import pytest
from django import forms
from django.urls import reverse

from actions.models import ActionsChange, Risk
from commissioning.models import CommissioningChange
from csp_portal.core import concurrency
from csp_portal.core.forms import PlainTextMixin
from indicators import importing
from indicators.models import FigureChange
from tests.factories import (
    ActualFactory,
    CommissioningLineFactory,
    FundingStreamFactory,
    IndicatorFactory,
)
from tests.factories.actions import ActionFactory, RecommendationFactory, RiskFactory

TYPED = "Line one\r\nLine two\rLine three"  # as a browser posts it (a lone "\r": old Macs)
STORED = "Line one\nLine two\nLine three"


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


class NoteForm(PlainTextMixin, forms.Form):
    note = forms.CharField(required=False, strip=False, show_hidden_initial=True)


def test_a_forms_text_is_cleaned_with_line_feeds():
    form = NoteForm({"note": TYPED})

    assert form.is_valid()
    assert form.cleaned_data["note"] == STORED


def test_a_box_left_as_shown_is_not_changed_though_the_browser_posts_carriage_returns():
    form = NoteForm({"note": TYPED, "initial-note": TYPED})

    assert form.is_valid()
    assert form.changed_data == []
    assert concurrency.shown_value(form, "note") == STORED


def test_the_conflict_check_takes_line_ends_alike():
    decide = concurrency.decide
    assert decide(shown=TYPED, posted="Mine", stored=STORED) is concurrency.Outcome.WRITE
    assert decide(shown=STORED, posted=TYPED, stored=STORED) is concurrency.Outcome.ALREADY
    assert decide(shown=TYPED, posted="Mine", stored="Theirs") is concurrency.Outcome.CONFLICT


def _risk_post(risk: Risk, shown: dict, **changes) -> dict:
    data = {
        "reference": risk.reference,
        "description": risk.description,
        "likelihood": str(risk.likelihood),
        "impact": str(risk.impact),
        "mitigation": risk.mitigation,
        "status": risk.status,
    }
    shown = {**data, **shown}
    return {**data, **changes, **{f"initial-{k}": v for k, v in shown.items()}}


@pytest.mark.django_db
def test_a_risk_typed_on_the_site_is_stored_with_line_feeds(signed_in, partnership_a):
    url = reverse("actions:risk_create", args=["partnership-a"])
    data = {"reference": "R1", "description": "Funding ends", "likelihood": "4", "impact": "5"}

    response = signed_in.post(url, {**data, "status": "open", "mitigation": TYPED})

    assert response.status_code == 302
    assert Risk.objects.get().mitigation == STORED


@pytest.mark.django_db
def test_a_multi_line_box_left_as_shown_is_no_change_and_no_conflict(signed_in, partnership_a):
    """The page showed the stored text; the browser posts it, and its shown copy, "\r\n"."""
    risk = RiskFactory(partnership=partnership_a, mitigation=STORED, likelihood=2)
    edit = reverse("actions:risk_edit", args=["partnership-a", risk.pk])

    response = signed_in.post(
        edit, _risk_post(risk, {"mitigation": TYPED}, mitigation=TYPED, likelihood="3")
    )

    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.likelihood, risk.mitigation) == (3, STORED)
    for change in ActionsChange.objects.all():
        assert (change.old or {}).get("mitigation") == (change.new or {}).get("mitigation")


@pytest.mark.django_db
def test_a_multi_line_box_changed_over_the_stored_text_is_written(signed_in, partnership_a):
    risk = RiskFactory(partnership=partnership_a, mitigation=STORED)
    edit = reverse("actions:risk_edit", args=["partnership-a", risk.pk])

    response = signed_in.post(
        edit, _risk_post(risk, {"mitigation": TYPED}, mitigation="Mine\r\nnow")
    )

    assert response.status_code == 302
    assert Risk.objects.get().mitigation == "Mine\nnow"


@pytest.mark.django_db
def test_a_multi_line_box_someone_else_changed_is_still_a_conflict(signed_in, partnership_a):
    risk = RiskFactory(partnership=partnership_a, mitigation="Theirs\nnow")
    edit = reverse("actions:risk_edit", args=["partnership-a", risk.pk])

    response = signed_in.post(edit, _risk_post(risk, {"mitigation": TYPED}, mitigation="Mine"))

    assert response.status_code == 200
    assert "Someone else changed the mitigation" in response.content.decode()
    assert Risk.objects.get().mitigation == "Theirs\nnow"


@pytest.mark.django_db
def test_a_risk_changed_in_the_admin_is_stored_with_line_feeds(admin_client, partnership_a):
    risk = RiskFactory(partnership=partnership_a, mitigation="Old")
    url = reverse("admin:actions_risk_change", args=[risk.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: "" if value is None else value
        for name, value in ((bound.html_name, bound.value()) for bound in form)
    }
    data.update(mitigation=TYPED, review_date="")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Risk.objects.get().mitigation == STORED


@pytest.fixture
def multi_line_everywhere(partnership_a):
    """A row of each table with a text of many lines, as the site stores it."""
    indicator = IndicatorFactory(partnership=partnership_a, code="TV 01")
    indicator.interpretation_note = STORED
    indicator.save()
    ActualFactory(indicator=indicator, period=datetime.date(2016, 11, 1), note=STORED)
    ActionFactory(objective__plan__partnership=partnership_a, description=STORED, outcome=STORED)
    RiskFactory(partnership=partnership_a, mitigation=STORED, review_date=datetime.date(2017, 1, 5))
    RecommendationFactory(partnership=partnership_a, recommendation=STORED, response=STORED)
    stream = FundingStreamFactory(partnership=partnership_a, criteria=STORED)
    CommissioningLineFactory(partnership=partnership_a, funding_stream=stream, outcomes=STORED)
    return partnership_a


def _history() -> int:
    return (
        ActionsChange.objects.count()
        + CommissioningChange.objects.count()
        + FigureChange.objects.count()
    )


@pytest.mark.django_db
def test_a_csv_export_read_back_changes_nothing(tmp_path, multi_line_everywhere, officer_a):
    importing.export_to_folder(multi_line_everywhere, tmp_path)
    history = _history()

    report = importing.import_path(tmp_path, by=officer_a, scope=None, source="import")

    assert {name: n for name, n in report.updated.items() if n} == {}
    assert report.unchanged.keys() >= {"risks", "actions", "recommendations", "commissioning"}
    assert _history() == history


@pytest.mark.django_db
def test_a_workbook_read_back_changes_nothing(multi_line_everywhere, officer_a):
    errors: list[str] = []
    tables = importing.read_workbook(importing.export_workbook(multi_line_everywhere), errors)
    history = _history()

    report = importing.import_tables(tables, by=officer_a, scope=None, source="import")

    assert errors == []
    assert {name: n for name, n in report.updated.items() if n} == {}
    assert _history() == history
