"""A recommendation's reference names one recommendation of its partnership whatever its
capitals and spaces, as a risk's reference does: on the site's form, in the admin, in
recommendations.csv, and in the database (test_name_keys)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import Recommendation
from indicators import importing
from tests.factories.actions import RecommendationFactory
from tests.integration.test_actions_transfer import _import, _write
from tests.integration.test_double_submit import _other_session_first

pytestmark = pytest.mark.django_db

FORM = {
    "meeting_date": "2016-11-01",
    "reference": "sp-1",
    "recommendation": "Report hate crime by ward",
    "assigned_to": "Chair",
    "status": "awaiting_response",
}
TAKEN = (
    "Recommendation SP-1 already exists in this partnership, and sp-1 differs from it only "
    "in capitals: choose another reference."
)


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


def test_the_form_refuses_a_reference_differing_only_in_capitals_with_its_other_problems(
    signed_in, partnership_a
):
    """Review finding: "sp-1" was added beside "SP-1", and recommendations.csv could then
    no longer tell which of the two a row meant."""
    RecommendationFactory(partnership=partnership_a, reference="SP-1")
    url = reverse("actions:recommendation_create", args=[partnership_a.slug])

    response = signed_in.post(url, {**FORM, "recommendation": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reference": [TAKEN],
        "recommendation": ["Write what the panel recommended."],
    }
    assert list(partnership_a.recommendations.values_list("reference", flat=True)) == ["SP-1"]


def test_the_form_refuses_it_when_another_session_saves_it_first(
    monkeypatch, signed_in, partnership_a
):
    """A double click, or two people at once: the second finds the first's "SP-1" only as
    it saves, and is told so rather than saving "sp-1" beside it."""
    _other_session_first(
        monkeypatch, lambda: RecommendationFactory(partnership=partnership_a, reference="SP-1")
    )
    url = reverse("actions:recommendation_create", args=[partnership_a.slug])

    response = signed_in.post(url, FORM)

    assert response.status_code == 200
    assert response.context["form"].errors == {"reference": [TAKEN]}


def test_a_recommendation_may_change_the_capitals_of_its_own_reference(signed_in, partnership_a):
    stored = {**FORM, "reference": "SP-1"}
    recommendation = RecommendationFactory(
        partnership=partnership_a,
        reference="SP-1",
        meeting_date=datetime.date(2016, 11, 1),
        recommendation=FORM["recommendation"],
        assigned_to=FORM["assigned_to"],
    )
    url = reverse("actions:recommendation_edit", args=[partnership_a.slug, recommendation.pk])
    shown = {f"initial-{name}": value for name, value in stored.items()}

    response = signed_in.post(url, {**stored, **shown, "reference": "sp-1"})

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.reference == "sp-1"


def test_admin_refuses_a_reference_differing_only_in_capitals(
    client, admin_user, partnership_a, partnership_b
):
    RecommendationFactory(partnership=partnership_a, reference="SP-1")
    client.force_login(admin_user)
    add = reverse("admin:actions_recommendation_add")
    form = {**FORM, "partnership": partnership_a.pk}

    refused = client.post(add, form)
    elsewhere = client.post(add, {**form, "partnership": partnership_b.pk})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {"reference": [TAKEN]}
    assert elsewhere.status_code == 302
    assert list(partnership_a.recommendations.values_list("reference", flat=True)) == ["SP-1"]


@pytest.mark.parametrize(
    "reference, how",
    [("SP  1", "spaces"), ("sp  1", "capitals and spaces"), ("ÉP 1", "capitals")],
)
def test_a_reference_differing_only_in_spaces_or_capitals_beyond_ascii_is_refused(
    partnership_a, reference, how
):
    """By the reference's key (`rules.unique_key`), not the database's lower(): SQLite folds
    the capitals of ASCII letters only, and no database folds spaces, while
    recommendations.csv takes them as one."""
    stored = "SP 1" if how != "capitals" else "ép 1"
    RecommendationFactory(partnership=partnership_a, reference=stored)
    clash = RecommendationFactory.build(partnership=partnership_a, reference=reference)

    with pytest.raises(ValidationError) as refused:
        clash.full_clean()

    assert refused.value.message_dict["reference"] == [
        f"Recommendation {stored} already exists in this partnership, and {reference} "
        f"differs from it only in {how}: choose another reference."
    ]


def test_the_database_refuses_a_reference_differing_only_in_capitals(partnership_a, partnership_b):
    """Written past the forms (a script, a race between two saves): the database refuses."""

    def make(partnership, reference):
        return Recommendation.objects.create(
            partnership=partnership,
            reference=reference,
            meeting_date=datetime.date(2016, 11, 1),
            recommendation="r",
            assigned_to="Chair",
        )

    make(partnership_a, "SP-1")
    make(partnership_b, "sp-1")  # another partnership's may

    with pytest.raises(IntegrityError), transaction.atomic():
        make(partnership_a, "sp-1")


ROW = "partnership-a,{},2011-01-20,{},Chair,,awaiting_response,"


def test_import_updates_the_recommendation_a_reference_names_in_any_capitals_and_spaces(
    tmp_path, partnership_a
):
    """Review finding: re-importing "sp1" made a second recommendation beside "SP1"."""
    RecommendationFactory(partnership=partnership_a, reference="SP 2", recommendation="Old")
    _write(tmp_path, "recommendations", ROW.format("SP1", "Report"))
    _import(tmp_path)
    _write(
        tmp_path,
        "recommendations",
        ROW.format("sp1", "Report by ward"),
        ROW.format("sp  2", "New"),
    )

    report = _import(tmp_path)

    assert (report.created["recommendations"], report.updated["recommendations"]) == (0, 2)
    assert sorted(Recommendation.objects.values_list("reference", "recommendation")) == [
        ("sp  2", "New"),
        ("sp1", "Report by ward"),
    ]


def test_import_refuses_a_file_naming_one_recommendation_twice_in_other_capitals(
    tmp_path, partnership_a
):
    _write(
        tmp_path,
        "recommendations",
        ROW.format("SP1", "Report"),
        ROW.format("sp 1", "Other"),
        ROW.format("Sp1", "Other"),
    )

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)

    assert failed.value.report.errors == [
        "recommendations.csv row 4: a second recommendation 'Sp1' (first at row 2)"
    ]
    assert not Recommendation.objects.exists()
