"""A theme group's name, a plan's title and a risk's or recommendation's reference name one
row of their partnership whatever their capitals and spaces, and the database itself holds
them so (each row keeps its name's `name_key`, unique in the partnership): written past
every check (a script, or two sessions saving at the same instant), "R  1" beside "R 1" is
refused, and a save that meets the other's row says so in the check's own words."""

import datetime
import logging

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import ActionPlan, ActionsChange, Recommendation, Risk
from csp_portal.core.models import ThemeGroup
from csp_portal.core.text import name_key
from indicators import importing
from indicators.importing.context import ImportContext
from indicators.models import Indicator
from tests.factories import PartnershipFactory, ThemeGroupFactory
from tests.factories.actions import ActionPlanFactory, RecommendationFactory, RiskFactory
from tests.integration.test_actions_transfer import RISK_ROWS, _import, _write
from tests.integration.test_double_submit import _other_session_first
from tests.integration.test_import_dry_run import upload
from tests.migrations import migrate, migrate_to_the_end

# (factory, the name's field)
NAMED = {
    "theme group": (ThemeGroupFactory, "name"),
    "plan": (ActionPlanFactory, "title"),
    "risk": (RiskFactory, "reference"),
    "recommendation": (RecommendationFactory, "reference"),
}
BEFORE = [
    ("core", "0013_membership_role_help"),
    ("actions", "0009_rename_titles_and_references_taken_in_other_spaces"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", NAMED)
@pytest.mark.parametrize(
    "stored, clash", [("R 1", "R  1"), ("R 1", " r 1 "), ("Équipe 1", "équipe 1")]
)
def test_the_database_refuses_a_name_differing_only_in_capitals_and_spaces(
    partnership_a, kind, stored, clash
):
    """Review finding: the database folded capitals only (ASCII ones alone on SQLite), so
    two sessions saving "R 1" and "R  1" at the same instant both stored theirs."""
    factory, field = NAMED[kind]
    factory(partnership=partnership_a, **{field: stored})
    factory(partnership=PartnershipFactory(), **{field: clash})  # another partnership's

    with pytest.raises(IntegrityError), transaction.atomic():
        factory(partnership=partnership_a, **{field: clash})


@pytest.mark.django_db
@pytest.mark.parametrize("kind", NAMED)
def test_a_rename_keeps_the_key(partnership_a, kind):
    """Saving only the name (``update_fields``) saves its key with it."""
    factory, field = NAMED[kind]
    row = factory(partnership=partnership_a, **{field: "R 1"})
    setattr(row, field, "R 2")
    row.save(update_fields=[field])

    factory(partnership=partnership_a, **{field: "r  1"})
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(partnership=partnership_a, **{field: "r  2"})


def _other_session_between_check_and_save(monkeypatch, model, make_other):
    """Another session saves its row after this save's checks found the name free (its
    row was not yet committed) and before this one's insert: only the database sees it."""
    _other_session_first(monkeypatch, make_other)
    monkeypatch.setattr(model, "full_clean", lambda row, *args, **kwargs: None)


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, model, form, field, message",
    [
        (
            "plan",
            ActionPlan,
            {"title": "r  1", "financial_year": "2016/17"},
            "title",
            "Partnership A already has a plan called 'R 1', which differs from 'r  1' only in "
            "capitals and spaces: use that plan, or choose another title.",
        ),
        (
            "risk",
            Risk,
            {
                "reference": "r  1",
                "description": "Night time disorder",
                "likelihood": "3",
                "impact": "3",
                "status": "open",
            },
            "reference",
            "Risk R 1 already exists in this partnership, and r  1 differs from it only in "
            "capitals and spaces: choose another reference.",
        ),
        (
            "recommendation",
            Recommendation,
            {
                "meeting_date": "2016-11-01",
                "reference": "r  1",
                "recommendation": "Report hate crime by ward",
                "assigned_to": "Chair",
                "status": "awaiting_response",
            },
            "reference",
            "Recommendation R 1 already exists in this partnership, and r  1 differs from it "
            "only in capitals and spaces: choose another reference.",
        ),
    ],
)
def test_a_form_saving_as_another_session_saves_the_name_says_it_is_taken(
    monkeypatch, signed_in, partnership_a, kind, model, form, field, message
):
    factory = NAMED[kind][0]
    _other_session_between_check_and_save(
        monkeypatch, model, lambda: factory(partnership=partnership_a, **{field: "R 1"})
    )

    response = signed_in.post(reverse(f"actions:{kind}_create", args=[partnership_a.slug]), form)

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}


@pytest.mark.django_db
def test_an_import_saving_as_another_session_saves_the_reference_refuses_the_row(
    monkeypatch, tmp_path, partnership_a
):
    _other_session_between_check_and_save(
        monkeypatch, Risk, lambda: RiskFactory(partnership=partnership_a, reference="R 2")
    )
    _write(tmp_path, "risks", RISK_ROWS[1].replace("R2", "r  2"))

    with pytest.raises(importing.ImportFailed) as failed:
        _import(tmp_path)

    assert failed.value.report.errors == [
        "risks.csv row 2: Risk R 2 already exists in this partnership, and r  2 differs from "
        "it only in capitals and spaces: choose another reference"
    ]


@pytest.mark.django_db
def test_an_import_takes_a_theme_group_added_in_other_spaces_while_it_ran(
    client, admin_user, partnership_a, monkeypatch
):
    """As in other capitals (test_theme_group_names): the group another way in adds after
    the import read the partnership's groups is the import's, not a second beside it."""
    read = ImportContext.theme_group

    def added_meanwhile(ctx, slug, name, *, create=False):
        if create and not ThemeGroup.objects.exists():
            read(ctx, slug, name)  # the import reads the groups stored: none yet
            ThemeGroup.objects.create(partnership=partnership_a, name="Safer  Streets")
        return read(ctx, slug, name, create=create)

    monkeypatch.setattr(ImportContext, "theme_group", added_meanwhile)
    client.force_login(admin_user)
    text = "partnership,code,title,theme_group,polarity,measure\n" + (
        "partnership-a,HC 01,Hate crime,safer streets,lower,count\n"
    )

    response = client.post(
        reverse("indicators:import_all"), {"files": [upload("indicators", text)]}
    )

    assert response.status_code == 302
    [group] = ThemeGroup.objects.all()
    assert group.name == "Safer  Streets"
    assert Indicator.objects.get(code="HC 01").theme_group == group


@pytest.fixture
def old_state(transactional_db):
    """The tables as they were before the keys; migrated to the end afterwards."""
    yield migrate(BEFORE)
    migrate_to_the_end()


def test_migrating_fills_the_keys_and_renames_what_still_clashes(old_state, caplog):
    """Rows stored before (the database then folded capitals only) get their keys; a later
    one naming an earlier one in other spaces takes " (2)", as 0007, 0009 and 0011 did."""
    partnership_model = old_state.get_model("core", "Partnership")
    a = partnership_model.objects.create(name="Partnership A", slug="partnership-a")
    b = partnership_model.objects.create(name="Partnership B", slug="partnership-b")
    models = {
        "theme group": (old_state.get_model("core", "ThemeGroup"), "name", {}),
        "plan": (old_state.get_model("actions", "ActionPlan"), "title", {"financial_year": 2016}),
        "risk": (
            old_state.get_model("actions", "Risk"),
            "reference",
            {"description": "d", "likelihood": 1, "impact": 1},
        ),
        "recommendation": (
            old_state.get_model("actions", "Recommendation"),
            "reference",
            {
                "meeting_date": datetime.date(2016, 11, 1),
                "recommendation": "r",
                "assigned_to": "Chair",
            },
        ),
    }
    made = {}
    for kind, (model, field, values) in models.items():
        for partnership, name in ((a, "R 1"), (a, "r  1"), (a, "R2"), (b, "R  1")):
            row = model.objects.create(partnership_id=partnership.pk, **{field: name}, **values)
            made[kind, partnership.pk, name] = row.pk
    versions = dict(partnership_model.objects.values_list("pk", "data_version"))

    with caplog.at_level(logging.WARNING, logger="csp_portal.core.migrations"):
        migrate_to_the_end()

    from csp_portal.core.models import Partnership

    for kind, (model, field, _) in models.items():
        model = {"theme group": ThemeGroup, "plan": ActionPlan, "risk": Risk}.get(
            kind, Recommendation
        )
        stored = {row.pk: row for row in model.objects.all()}
        names = {key: getattr(stored[pk], field) for key, pk in made.items() if key[0] == kind}
        assert names == {
            (kind, a.pk, "R 1"): "R 1",
            (kind, a.pk, "r  1"): "r  1 (2)",
            (kind, a.pk, "R2"): "R2",
            (kind, b.pk, "R  1"): "R  1",
        }
        key_field = f"{field}_key"
        assert all(
            getattr(row, key_field) == name_key(getattr(row, field)) for row in stored.values()
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            NAMED[kind][0](partnership=Partnership.objects.get(pk=a.pk), **{field: "r 1 (2)"})
    changes = ActionsChange.objects.order_by("pk")
    assert [(c.partnership_id, c.subject, c.old, c.new) for c in changes] == [
        (a.pk, subject, {field: "r  1"}, {field: "r  1 (2)"})
        for subject, field in (
            ("plan", "title"),
            ("risk", "reference"),
            ("recommendation", "reference"),
        )
    ]
    assert caplog.messages == [
        f"Theme group {made['theme group', a.pk, 'r  1']} of Partnership A renamed from “r  1” "
        "to “r  1 (2)”: its name differed from an older group's only in capitals and spaces."
    ]
    now = dict(Partnership.objects.values_list("pk", "data_version"))
    assert now[a.pk] != versions[a.pk]
    assert now[b.pk] == versions[b.pk]


def _checked_before_the_other_session_saved(monkeypatch, owner, name: str) -> None:
    """The admin form's check (``owner.name``, a namesake finder) runs before another
    session's row is committed, and so misses it the first time it is asked."""
    check = getattr(owner, name)
    asked = []

    def blind_at_first(*args, **kwargs):
        asked.append(True)
        return None if len(asked) == 1 else check(*args, **kwargs)

    monkeypatch.setattr(owner, name, blind_at_first)


@pytest.mark.django_db
def test_the_admin_saving_as_another_session_saves_the_reference_says_it_is_taken(
    monkeypatch, client, admin_user, partnership_a
):
    """The database refuses the save: the admin asks its form again, which now finds the
    other's row and says so (not an error page)."""
    import actions.models

    RiskFactory(partnership=partnership_a, reference="R 1")
    _checked_before_the_other_session_saved(monkeypatch, actions.models, "namesake")
    client.force_login(admin_user)
    form = {
        "partnership": partnership_a.pk,
        "reference": "r  1",
        "description": "Night time disorder",
        "likelihood": "3",
        "impact": "3",
        "status": "open",
    }

    response = client.post(reverse("admin:actions_risk_add"), form)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "reference": [
            "Risk R 1 already exists in this partnership, and r  1 differs from it only in "
            "capitals and spaces: choose another reference."
        ]
    }
    assert list(Risk.objects.values_list("reference", flat=True)) == ["R 1"]
    assert not ActionsChange.objects.exists()


@pytest.mark.django_db
def test_the_admin_saving_as_another_session_saves_the_theme_group_says_it_is_taken(
    monkeypatch, client, admin_user, partnership_a
):
    ThemeGroup.objects.create(partnership=partnership_a, name="Safer Streets")
    _checked_before_the_other_session_saved(monkeypatch, ThemeGroup, "namesake")
    client.force_login(admin_user)
    form = {
        "partnership": partnership_a.pk,
        "name": "safer  streets",
        "chair": "",
        "coordinator": "",
    }

    response = client.post(reverse("admin:core_themegroup_add"), form)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name": [
            "This partnership already has the theme group “Safer Streets”: use that one, or a "
            "name that differs by more than capitals and spaces."
        ]
    }
    assert list(partnership_a.theme_groups.values_list("name", flat=True)) == ["Safer Streets"]
