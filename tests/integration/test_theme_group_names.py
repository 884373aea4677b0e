"""A partnership's theme group names differ by more than capitals (and spaces:
test_name_keys): the database refuses two that do not (imports match a group in any
case), the migration renames the pairs stored before, and every way in says so in
words."""

import json
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from csp_portal.core.models import Partnership, ThemeGroup
from indicators.importing.context import ImportContext
from indicators.models import Indicator
from tests.factories import PartnershipFactory
from tests.integration.test_admin_rules import _partnership_form
from tests.integration.test_import_dry_run import upload
from tests.migrations import migrate, migrate_to_the_end

BEFORE = [("core", "0011_theme_group_names_differ_by_more_than_case")]
BEFORE_RENAMING = [("core", "0010_partnership_slug_words")]
IN_ANY_CASE = (
    "This partnership already has a theme group of this name, in these or other capitals "
    "and spaces: use that one, or a name that differs by more than capitals and spaces."
)


@pytest.mark.django_db(transaction=True)
def test_migrating_renames_the_later_of_theme_groups_differing_only_in_capitals(caplog):
    """The first made keeps its name; each later one takes the first free " (n)"."""
    plymouth, torbay = PartnershipFactory(name="Plymouth"), PartnershipFactory()
    groups = migrate(BEFORE_RENAMING).get_model("core", "ThemeGroup").objects
    names = [
        "Safer Streets",
        "safer streets",
        "Safer streets (2)",  # a name the second would otherwise take
        "SAFER STREETS ",
        "Drugs",
    ]
    made = {name: groups.create(partnership_id=plymouth.pk, name=name).pk for name in names}
    other = groups.create(partnership_id=torbay.pk, name="safer streets").pk
    versions = {p.pk: p.data_version for p in Partnership.objects.all()}

    with caplog.at_level(logging.WARNING, logger="csp_portal.core.migrations"):
        migrate(BEFORE)

    stored = dict(ThemeGroup.objects.values_list("pk", "name"))
    assert [stored[made[name]] for name in names] == [
        "Safer Streets",
        "safer streets (3)",
        "Safer streets (2)",
        "SAFER STREETS (4)",
        "Drugs",
    ]
    assert stored[other] == "safer streets"
    assert caplog.messages == [
        f"Theme group {made['safer streets']} of Plymouth renamed from “safer streets” to "
        "“safer streets (3)”: its name differed from an older group's only in capitals.",
        f"Theme group {made['SAFER STREETS ']} of Plymouth renamed from “SAFER STREETS ” to "
        "“SAFER STREETS (4)”: its name differed from an older group's only in capitals.",
    ]
    assert all(p.data_version != versions[p.pk] for p in Partnership.objects.all())
    migrate_to_the_end()  # the constraint now holds, as the other tests expect
    with pytest.raises(IntegrityError), transaction.atomic():
        ThemeGroup.objects.create(partnership=plymouth, name="DRUGS")


@pytest.mark.django_db(transaction=True)
def test_migrating_a_name_at_its_full_length_keeps_it_within_the_column():
    partnership = PartnershipFactory()
    groups = migrate(BEFORE_RENAMING).get_model("core", "ThemeGroup").objects
    groups.create(partnership_id=partnership.pk, name="A" * 200)
    later = groups.create(partnership_id=partnership.pk, name="a" * 200).pk

    migrate_to_the_end()

    assert ThemeGroup.objects.get(pk=later).name == "a" * 196 + " (2)"


@pytest.mark.django_db
def test_the_database_refuses_a_theme_group_differing_only_in_capitals(partnership_a):
    ThemeGroup.objects.create(partnership=partnership_a, name="Safer Streets")
    ThemeGroup.objects.create(partnership=PartnershipFactory(), name="SAFER STREETS")

    with pytest.raises(IntegrityError), transaction.atomic():
        ThemeGroup.objects.create(partnership=partnership_a, name="safer STREETS")
    with pytest.raises(ValidationError) as refused:
        ThemeGroup(partnership=partnership_a, name="SAFER streets").validate_constraints()

    assert refused.value.messages == [IN_ANY_CASE]
    assert partnership_a.theme_groups.count() == 1


@pytest.mark.django_db
def test_admin_refuses_a_theme_group_of_the_same_name(client, admin_user, partnership_a):
    ThemeGroup.objects.create(partnership=partnership_a, name="Safer Streets")
    client.force_login(admin_user)
    form = {"partnership": partnership_a.pk, "chair": "", "coordinator": ""}

    refused = client.post(reverse("admin:core_themegroup_add"), {**form, "name": "Safer Streets"})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors.get_json_data() == {
        "name": [
            {
                "message": "This partnership already has the theme group “Safer Streets”: use "
                "that one, or choose another name.",
                "code": "",
            }
        ]
    }
    assert partnership_a.theme_groups.count() == 1


def _group_rows(*names: str) -> dict:
    rows = {"theme_groups-TOTAL_FORMS": len(names), "theme_groups-INITIAL_FORMS": 0}
    for number, name in enumerate(names):
        rows |= {f"theme_groups-{number}-name": name, f"theme_groups-{number}-chair": ""}
    return rows


def _inline_errors(response) -> list:
    [formset] = [
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "theme_groups"
    ]
    return formset.errors


NAMED_TWICE = (
    "Another row already names the theme group “Safer Streets”: give each theme group one "
    "row, with names that differ by more than capitals and spaces."
)


@pytest.mark.django_db
def test_a_partnerships_page_refuses_two_rows_of_one_theme_group(client, admin_user, partnership_a):
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])

    rows = _group_rows("Safer Streets", "Drugs", "safer streets ")
    refused = client.post(url, _partnership_form(partnership_a, **rows))
    taken = client.post(
        url, _partnership_form(partnership_a, **_group_rows("Safer Streets", "Drugs"))
    )

    assert refused.status_code == 200
    assert _inline_errors(refused) == [{}, {}, {"name": [NAMED_TWICE]}]
    assert taken.status_code == 302
    assert sorted(partnership_a.theme_groups.values_list("name", flat=True)) == [
        "Drugs",
        "Safer Streets",
    ]


@pytest.mark.django_db
def test_a_new_partnerships_page_refuses_two_rows_of_one_theme_group(client, admin_user):
    client.force_login(admin_user)
    form = {
        "name": "Safer Torbay",
        "slug": "safer-torbay",
        "area": "",
        "police_force": "",
        "local_authorities": "",
        "population": "",
        "households": "",
        "businesses": "",
        "fy_start_month": 4,
        "rag_legend": json.dumps({"red": "Late"}),
        **{
            f"{prefix}-{name}": 0
            for prefix in ("memberships", "meetings")
            for name in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
        **_group_rows("Safer Streets", "SAFER STREETS"),
    }

    refused = client.post(reverse("admin:core_partnership_add"), form)

    assert refused.status_code == 200
    assert _inline_errors(refused) == [{}, {"name": [NAMED_TWICE]}]
    assert not Partnership.objects.filter(slug="safer-torbay").exists()


@pytest.mark.django_db
def test_an_import_takes_a_theme_group_added_in_other_capitals_while_it_ran(
    client, admin_user, partnership_a, monkeypatch
):
    """Another way in (an administrator, another import) adds the group after the import
    read the partnership's groups: the import takes it, as it takes any group in any case."""
    read = ImportContext.theme_group

    def added_meanwhile(ctx, slug, name, *, create=False):
        if create and not ThemeGroup.objects.exists():
            read(ctx, slug, name)  # the import reads the groups stored: none yet
            ThemeGroup.objects.create(partnership=partnership_a, name="SAFER STREETS")
        return read(ctx, slug, name, create=create)

    monkeypatch.setattr(ImportContext, "theme_group", added_meanwhile)
    client.force_login(admin_user)
    text = "partnership,code,title,theme_group,polarity,measure\n" + (
        "partnership-a,HC 01,Hate crime,Safer streets,lower,count\n"
    )

    response = client.post(
        reverse("indicators:import_all"), {"files": [upload("indicators", text)]}
    )

    assert response.status_code == 302
    [group] = ThemeGroup.objects.all()
    assert group.name == "SAFER STREETS"
    assert Indicator.objects.get(code="HC 01").theme_group == group


@pytest.mark.django_db
def test_demo_loading_takes_a_theme_group_stored_in_other_capitals(tmp_path):
    from csp_portal.core import demo

    plymouth = PartnershipFactory(slug="safer-plymouth")
    stored = ThemeGroup.objects.create(partnership=plymouth, name="safe and strong")
    data = json.loads((demo.DEMO_DIR / "core.json").read_text(encoding="utf-8"))
    [row] = [p for p in data["partnerships"] if p["slug"] == "safer-plymouth"]
    row["theme_groups"].append({"name": "SAFE AND STRONG", "chair": "Another chair"})
    row["meetings"] = [{**row["meetings"][0], "theme_group": "Safe and Strong"}]
    path = tmp_path / "core.json"
    path.write_text(json.dumps({**data, "partnerships": [row]}), encoding="utf-8")

    demo.core_load(path)

    assert plymouth.theme_groups.filter(name__iexact="safe and strong").count() == 1
    stored.refresh_from_db()
    assert (stored.name, stored.chair) == ("safe and strong", "Another chair")
    assert plymouth.meetings.get().theme_group == stored
