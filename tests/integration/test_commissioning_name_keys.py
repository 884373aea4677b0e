"""A commissioning line's reference and a funding stream's source name one row of their
partnership's year whatever their capitals and spaces, as a plan's title and a risk's
reference name one of their partnership's (test_name_keys): the site's forms, the
imports and the database itself refuse "ci 01" beside "CI 01", and a save that meets
another session's row says so in the forms' own words."""

import datetime
import logging

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from commissioning import services
from commissioning.forms import LineForm
from commissioning.models import CommissioningChange, CommissioningLine, FundingStream
from csp_portal.core.text import name_key
from indicators import importing
from tests.factories import CommissioningLineFactory, FundingStreamFactory, PartnershipFactory
from tests.integration.test_commissioning import (
    FUNDING,
    HEADER,
    _edit_post,
    _line_post,
    _tables,
)
from tests.integration.test_double_submit import _full_clean_then
from tests.migrations import migrate, migrate_to_the_end

BEFORE = [
    ("core", "0016_theme_group_name_unique_by_key"),
    ("commissioning", "0002_funding_allocation_monitoring_outcomes"),
]
PCC = "Police and Crime Commissioner grant"


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


@pytest.fixture
def pcc(partnership_a):
    return FundingStreamFactory(partnership=partnership_a, financial_year=2017, source=PCC)


# (factory, the name's field, the stored name, a clash)
NAMED = {
    "line": (CommissioningLineFactory, "reference", "CI 01", "ci  01"),
    "stream": (FundingStreamFactory, "source", PCC, "police and crime  commissioner grant"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", NAMED)
def test_the_database_refuses_a_name_differing_only_in_capitals_and_spaces(partnership_a, kind):
    factory, field, stored, clash = NAMED[kind]
    factory(partnership=partnership_a, financial_year=2017, **{field: stored})
    factory(partnership=partnership_a, financial_year=2018, **{field: clash})  # another year
    factory(partnership=PartnershipFactory(), financial_year=2017, **{field: clash})

    with pytest.raises(IntegrityError), transaction.atomic():
        factory(partnership=partnership_a, financial_year=2017, **{field: clash})


LINE_TAKEN = (
    "Line CI 01 already exists in 2017/18, and {} differs from it only in {}: choose "
    "another reference."
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reference, how",
    [("ci 01", "capitals"), ("CI  01", "spaces"), (" ci  01", "capitals and spaces")],
)
def test_add_a_line_refuses_a_reference_differing_only_in_capitals_and_spaces(
    signed_in, pcc, reference, how
):
    """Review finding: "ci 01" was added beside "CI 01", and the year's own CSV export
    then would not import back ("reference 'ci 01' repeats row 2")."""
    CommissioningLineFactory(partnership=pcc.partnership, funding_stream=pcc, reference="CI 01")
    url = reverse("commissioning:line_add", args=[pcc.partnership.slug, 2017])

    response = signed_in.post(url, _line_post(pcc, reference=reference))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reference": [LINE_TAKEN.format(reference.strip(), how)]
    }
    assert CommissioningLine.objects.count() == 1


@pytest.mark.django_db
def test_add_a_line_with_a_reference_taken_as_it_is_names_it(signed_in, pcc):
    CommissioningLineFactory(partnership=pcc.partnership, funding_stream=pcc, reference="CI 01")
    url = reverse("commissioning:line_add", args=[pcc.partnership.slug, 2017])

    response = signed_in.post(url, _line_post(pcc, reference="CI 01"))

    assert response.context["form"].errors == {
        "reference": ["Line CI 01 already exists in 2017/18: choose another reference."]
    }


@pytest.mark.django_db
def test_add_a_line_names_a_taken_reference_with_its_other_problems_at_once(signed_in, pcc):
    """Review finding: the dates' errors came first, the reference's only once they were
    put right."""
    CommissioningLineFactory(partnership=pcc.partnership, funding_stream=pcc, reference="CI 01")
    url = reverse("commissioning:line_add", args=[pcc.partnership.slug, 2017])

    response = signed_in.post(
        url, _line_post(pcc, reference="ci  01", start="1/4/2018", end="31/3/2017")
    )

    errors = response.context["form"].errors
    assert errors["reference"] == [LINE_TAKEN.format("ci  01", "capitals and spaces")]
    assert "end" in errors or "start" in errors


@pytest.mark.django_db
def test_editing_a_line_keeps_its_own_reference_in_other_capitals(signed_in, pcc):
    line = CommissioningLineFactory(
        partnership=pcc.partnership, funding_stream=pcc, reference="CI 01"
    )
    url = reverse("commissioning:line_edit", args=[pcc.partnership.slug, line.pk])
    shown = {k: v for k, v in LineForm.initial_for(line).items() if k != "indicators"}

    response = signed_in.post(url, _edit_post(shown, reference="ci 01"))

    assert response.status_code == 302, response.context["form"].errors
    line.refresh_from_db()
    assert line.reference == "ci 01"


@pytest.mark.django_db
def test_add_a_stream_refuses_a_source_differing_only_in_capitals_and_spaces(signed_in, pcc):
    url = reverse("commissioning:stream_add", args=[pcc.partnership.slug, 2017])

    response = signed_in.post(
        url, {"source": "police and crime commissioner grant", "amount": "1000"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "source": [
            f"2017/18 already has the funding stream '{PCC}', and 'police and crime "
            "commissioner grant' differs from it only in capitals: change that stream, or "
            "choose another source."
        ]
    }
    assert FundingStream.objects.count() == 1


@pytest.mark.django_db
def test_a_line_saved_as_another_session_saves_the_reference_says_it_is_taken(
    monkeypatch, signed_in, pcc
):
    """The checks found "ci 01" free; another session's "CI 01" came in before this insert,
    which the database refuses: the message names the other's line."""
    _full_clean_then(
        monkeypatch,
        CommissioningLine,
        lambda: CommissioningLineFactory(
            partnership=pcc.partnership, funding_stream=pcc, reference="CI 01"
        ),
    )
    url = reverse("commissioning:line_add", args=[pcc.partnership.slug, 2017])

    response = signed_in.post(url, _line_post(pcc, reference="ci 01"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reference": [LINE_TAKEN.format("ci 01", "capitals")]
    }
    assert not CommissioningChange.objects.exists()


@pytest.mark.django_db
def test_a_stream_saved_as_another_session_saves_the_source_says_it_is_taken(
    monkeypatch, signed_in, partnership_a
):
    _full_clean_then(
        monkeypatch,
        FundingStream,
        lambda: FundingStreamFactory(partnership=partnership_a, source="PCC grant"),
    )
    url = reverse("commissioning:stream_add", args=[partnership_a.slug, 2017])

    response = signed_in.post(url, {"source": "pcc  grant", "amount": "1000"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "source": [
            "2017/18 already has the funding stream 'PCC grant', and 'pcc  grant' differs "
            "from it only in capitals and spaces: change that stream, or choose another "
            "source."
        ]
    }


@pytest.mark.django_db
def test_the_import_refuses_names_differing_only_in_capitals_and_spaces(partnership_a):
    importing.import_tables(
        _tables(FUNDING, f"{HEADER}\npartnership-a,2017/18,CI 04,Need,,,,PCC grant,tbc,,,,\n"),
        by=None,
    )
    funding = """partnership,financial_year,source,amount
partnership-a,2017/18,pcc  grant,400568.00
partnership-a,2017/18,Council grant,1000
partnership-a,2017/18,council  GRANT,1000
"""
    lines = f"""{HEADER}
partnership-a,2017/18,CI  04,Need,,,,PCC grant,tbc,,,,
partnership-a,2017/18,CI 09,Need,,,,,,,,,
partnership-a,2017/18,ci 09,Need,,,,,,,,,
"""

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_tables(_tables(funding, lines), by=None)

    assert failed.value.report.errors == [
        "funding.csv row 2: source 'pcc  grant' differs only in capitals and spaces from the "
        "funding stream 'PCC grant' stored for 2017/18: write it as 'PCC grant' to change "
        "that stream",
        "funding.csv row 4: 'council  GRANT' for 2017/18 repeats row 3",
        "commissioning.csv row 2: reference 'CI  04' differs only in spaces from the line "
        "'CI 04' stored for 2017/18: write it as 'CI 04' to change that line",
        "commissioning.csv row 4: reference 'ci 09' repeats row 3",
    ]


@pytest.mark.django_db
def test_the_import_finds_a_lines_funding_stream_in_any_capitals_and_spaces(partnership_a):
    """As a theme group: funding_source names a stream of the year, in the file or stored."""
    importing.import_tables(_tables(FUNDING), by=None)
    funding = "partnership,financial_year,source,amount\npartnership-a,2017/18,Council grant,1\n"
    lines = f"""{HEADER}
partnership-a,2017/18,CI 01,Need,,,,pcc  GRANT,tbc,,,,
partnership-a,2017/18,CI 02,Need,,,,council grant,tbc,,,,
"""

    importing.import_tables(_tables(funding, lines), by=None)

    found = dict(CommissioningLine.objects.values_list("reference", "funding_stream__source"))
    assert found == {"CI 01": "PCC grant", "CI 02": "Council grant"}


@pytest.mark.django_db
def test_copy_forward_refuses_a_reference_the_new_year_has_in_other_capitals(pcc):
    CommissioningLineFactory(partnership=pcc.partnership, funding_stream=pcc, reference="CI 01")
    CommissioningLineFactory(
        partnership=pcc.partnership,
        financial_year=2018,
        reference="ci  01",
        funding_stream=None,
        contribution_status="",
        contribution=None,
    )

    with pytest.raises(services.ValidationError) as refused:
        services.lines_copy_forward(
            partnership=pcc.partnership, from_year=2017, to_year=2018, by=None
        )

    assert refused.value.messages == [
        "2018/19 already has line ci  01, so nothing was copied. Change those lines' "
        "references first, or remove them (“Remove this line” on a line's change page, for a "
        "line with no progress updates)."
    ]


@pytest.mark.django_db
def test_copy_forward_uses_the_new_years_stream_in_other_capitals(pcc):
    CommissioningLineFactory(partnership=pcc.partnership, funding_stream=pcc, reference="CI 01")
    next_year = FundingStreamFactory(
        partnership=pcc.partnership, financial_year=2018, source=PCC.upper()
    )

    result = services.lines_copy_forward(
        partnership=pcc.partnership, from_year=2017, to_year=2018, by=None
    )

    assert result.streams == []
    assert [line.funding_stream for line in result.lines] == [next_year]


@pytest.fixture
def old_state(transactional_db):
    """The tables as they were before the keys; migrated to the end afterwards."""
    yield migrate(BEFORE)
    migrate_to_the_end()


def test_migrating_fills_the_keys_and_renames_what_clashes(old_state, caplog):
    """Lines and streams stored before (the database then compared them as written) get
    their keys; a later one naming an earlier one of its year in other capitals and spaces
    takes " (2)", recorded in the history of commissioning, as actions 0011 did."""
    partnership_model = old_state.get_model("core", "Partnership")
    stream_model = old_state.get_model("commissioning", "FundingStream")
    line_model = old_state.get_model("commissioning", "CommissioningLine")
    a = partnership_model.objects.create(name="Partnership A", slug="partnership-a")
    b = partnership_model.objects.create(name="Partnership B", slug="partnership-b")
    streams, lines = {}, {}
    for partnership, year, name in (
        (a, 2017, "PCC grant"),
        (a, 2017, "pcc  grant"),
        (a, 2018, "pcc grant"),  # another year's
        (b, 2017, "PCC grant"),
    ):
        stream = stream_model.objects.create(
            partnership_id=partnership.pk, financial_year=year, source=name, amount=1
        )
        streams[partnership.pk, year, name] = stream.pk
        line = line_model.objects.create(
            partnership_id=partnership.pk,
            financial_year=year,
            reference=name.replace("PCC grant", "CI 01")
            .replace("pcc  grant", "ci 01")
            .replace("pcc grant", "ci 01"),
            area_of_need="Need",
            contribution_status="tbc",
            start=datetime.date(2017, 4, 1),
        )
        lines[partnership.pk, year, line.reference] = line.pk
    versions = dict(partnership_model.objects.values_list("pk", "data_version"))

    with caplog.at_level(logging.WARNING):
        migrate_to_the_end()

    from csp_portal.core.models import Partnership

    sources = dict(FundingStream.objects.values_list("pk", "source"))
    assert {key: sources[pk] for key, pk in streams.items()} == {
        (a.pk, 2017, "PCC grant"): "PCC grant",
        (a.pk, 2017, "pcc  grant"): "pcc  grant (2)",
        (a.pk, 2018, "pcc grant"): "pcc grant",
        (b.pk, 2017, "PCC grant"): "PCC grant",
    }
    references = dict(CommissioningLine.objects.values_list("pk", "reference"))
    assert {key: references[pk] for key, pk in lines.items()} == {
        (a.pk, 2017, "CI 01"): "CI 01",
        (a.pk, 2017, "ci 01"): "ci 01 (2)",
        (a.pk, 2018, "ci 01"): "ci 01",
        (b.pk, 2017, "CI 01"): "CI 01",
    }
    assert all(s.source_key == name_key(s.source) for s in FundingStream.objects.all())
    assert all(
        line.reference_key == name_key(line.reference) for line in CommissioningLine.objects.all()
    )
    changes = CommissioningChange.objects.order_by("pk")
    assert [(c.partnership_id, c.subject, c.object_id, c.old, c.new) for c in changes] == [
        (
            a.pk,
            "stream",
            streams[a.pk, 2017, "pcc  grant"],
            {"source": "pcc  grant"},
            {"source": "pcc  grant (2)"},
        ),
        (
            a.pk,
            "line",
            lines[a.pk, 2017, "ci 01"],
            {"reference": "ci 01"},
            {"reference": "ci 01 (2)"},
        ),
    ]
    now = dict(Partnership.objects.values_list("pk", "data_version"))
    assert now[a.pk] != versions[a.pk]
    assert now[b.pk] == versions[b.pk]
    with pytest.raises(IntegrityError), transaction.atomic():
        CommissioningLineFactory(
            partnership=Partnership.objects.get(pk=a.pk), reference="CI  01 (2)"
        )


@pytest.mark.django_db
def test_the_admin_saving_as_another_session_saves_the_source_says_it_is_taken(
    monkeypatch, client, admin_user, pcc
):
    """The database refuses the save: the admin asks its form again, which now finds the
    other's stream and says so (not an error page)."""
    import commissioning.models

    check, asked = commissioning.models.namesake, []

    def blind_at_first(row):
        asked.append(True)
        return None if len(asked) == 1 else check(row)

    monkeypatch.setattr(commissioning.models, "namesake", blind_at_first)
    client.force_login(admin_user)
    form = {
        "partnership": pcc.partnership_id,
        "financial_year": "2017",
        "source": PCC.upper(),
        "amount": "1000",
        "allocated_by": "",
        "criteria": "",
        "monitoring": "",
    }

    response = client.post(reverse("admin:commissioning_fundingstream_add"), form)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "source": [
            f"2017/18 already has the funding stream '{PCC}', and '{PCC.upper()}' differs "
            "from it only in capitals: change that stream, or choose another source."
        ]
    }
    assert list(FundingStream.objects.values_list("source", flat=True)) == [PCC]
    assert not CommissioningChange.objects.exists()
