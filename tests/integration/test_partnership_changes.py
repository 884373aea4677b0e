"""A partnership's settings that what is stored depends on stay fixed (its financial
year's start month, its slug), whether changed in the admin or by importing
partnerships.csv; every change that is made is kept in the admin's history."""

import datetime
import json
from io import StringIO

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators import importing
from indicators.models import FigureChange
from tests.factories import IndicatorFactory, TargetFactory
from tests.factories.series import actuals_create
from tests.integration.test_admin_rules import _partnership_form
from tests.integration.test_import import write_csv


def _import_partnership(folder, partnership, by, **changes):
    row = {
        "slug": partnership.slug,
        "name": partnership.name,
        "population": partnership.population,
        "police_force": partnership.police_force,
        "fy_start_month": partnership.fy_start_month,
        **changes,
    }
    write_csv(folder, "partnerships", [row])
    return importing.import_path(folder, by=by, source="upload")  # as the import page does


def _with_figures(partnership):
    actuals_create(IndicatorFactory(partnership=partnership), {datetime.date(2016, 4, 1): 10})


def _with_targets(partnership):
    TargetFactory(indicator=IndicatorFactory(partnership=partnership))


def _with_a_published_report(partnership):
    from reports import services
    from tests.factories import ReportFactory

    services.report_publish(report=ReportFactory(partnership=partnership), by=None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "held"),
    [
        (_with_figures, "figures"),
        (_with_targets, "targets"),
        (_with_a_published_report, "published reports"),
    ],
)
def test_a_partnership_keeps_its_financial_year_start_once_anything_is_read_by_it(
    client, admin_user, partnership_a, tmp_path, make, held
):
    make(partnership_a)
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])
    message = (
        f"This partnership has {held} for financial years that start in April, which would "
        "be read wrongly with any other start: keep its financial year start month."
    )

    refused = client.post(url, _partnership_form(partnership_a, fy_start_month=1))
    with pytest.raises(importing.ImportFailed) as failed:
        _import_partnership(tmp_path, partnership_a, admin_user, fy_start_month="1")

    assert refused.status_code == 200
    assert message in refused.content.decode()
    assert failed.value.report.errors == [f"partnerships.csv row 2: fy_start_month: {message}"]
    partnership_a.refresh_from_db()
    assert partnership_a.fy_start_month == 4


@pytest.mark.django_db
def test_a_partnership_names_all_it_holds_by_its_financial_years(partnership_a, report_a):
    _with_figures(partnership_a)
    _with_targets(partnership_a)

    assert partnership_a.held_by_financial_year() == ["figures", "targets", "published reports"]


@pytest.mark.django_db
def test_an_overview_that_showed_a_partnership_keeps_its_financial_year_start(
    partnership_a, partnership_b
):
    from reports.models import ReportVersion

    version = ReportVersion.objects.create(
        report=_report(partnership_b),
        number=1,
        snapshot={},
        html="",
        csv="",
        published_at=datetime.datetime(2017, 1, 1, tzinfo=datetime.UTC),
    )
    version.partnerships_shown.add(partnership_a)

    assert partnership_a.held_by_financial_year() == ["published reports"]


def _report(partnership):
    from tests.factories import ReportFactory

    return ReportFactory(partnership=partnership)


@pytest.mark.django_db
def test_a_partnership_with_nothing_stored_may_change_its_financial_year_start(
    client, admin_user, partnership_a, partnership_b, tmp_path
):
    _report(partnership_a)  # a draft is not published: it holds nothing by the years yet
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])

    response = client.post(url, _partnership_form(partnership_a, fy_start_month=1))
    _import_partnership(tmp_path, partnership_b, admin_user, fy_start_month="7")

    assert response.status_code == 302
    partnership_a.refresh_from_db()
    partnership_b.refresh_from_db()
    assert (partnership_a.fy_start_month, partnership_b.fy_start_month) == (1, 7)


@pytest.mark.django_db
def test_a_partnership_with_figures_may_change_everything_but_its_financial_year_start(
    client, admin_user, partnership_a, tmp_path
):
    _with_figures(partnership_a)
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])

    response = client.post(url, _partnership_form(partnership_a, population=260_000))
    partnership_a.refresh_from_db()
    _import_partnership(tmp_path, partnership_a, admin_user, police_force="New Police")

    assert response.status_code == 302
    partnership_a.refresh_from_db()
    assert (partnership_a.population, partnership_a.police_force) == (260_000, "New Police")


@pytest.mark.django_db
def test_a_membership_stays_whose_and_of_which_partnership_it_is(
    client, admin_user, officer_a, outsider, partnership_b
):
    membership = officer_a.memberships.get()
    client.force_login(admin_user)
    url = reverse("admin:core_membership_change", args=[membership.pk])
    form = {
        "user": outsider.pk,
        "partnership": partnership_b.pk,
        "organisation": membership.organisation_id,
        "role": "chair",
        "job_title": "Chair",
    }

    page = client.get(url).content.decode()
    response = client.post(url, form)

    assert 'name="partnership"' not in page and 'name="user"' not in page
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.user, membership.partnership.slug) == (officer_a, "partnership-a")
    assert membership.role == "chair"
    add = client.get(reverse("admin:core_membership_add")).content.decode()
    assert 'name="partnership"' in add and 'name="user"' in add


@pytest.mark.django_db
def test_a_partnerships_membership_rows_keep_their_people(
    client, admin_user, partnership_a, officer_a, outsider
):
    from tests.factories import OrganisationFactory

    membership = officer_a.memberships.get()
    other = OrganisationFactory()
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])
    rows = {
        "memberships-TOTAL_FORMS": 2,
        "memberships-INITIAL_FORMS": 1,
        "memberships-0-id": membership.pk,
        "memberships-0-partnership": partnership_a.pk,
        "memberships-0-user": outsider.pk,
        "memberships-0-organisation": other.pk,
        "memberships-0-role": "coordinator",
        "memberships-1-partnership": partnership_a.pk,
        "memberships-1-user": outsider.pk,
        "memberships-1-organisation": other.pk,
        "memberships-1-role": "panel_member",
    }

    response = client.post(url, _partnership_form(partnership_a, **rows))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.user, membership.role) == (officer_a, "coordinator")
    assert outsider.memberships.get().role == "panel_member"  # a new row names anyone


@pytest.mark.django_db
def test_a_partnerships_slug_is_fixed_once_it_is_made(
    client, admin_user, partnership_a, report_a, tmp_path
):
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])

    page = client.get(url).content.decode()
    response = client.post(url, _partnership_form(partnership_a, slug="renamed", area="Moved"))
    with pytest.raises(importing.ImportFailed) as failed:
        _import_partnership(tmp_path, partnership_a, admin_user, slug="renamed")

    assert 'name="slug"' not in page
    assert response.status_code == 302
    partnership_a.refresh_from_db()
    assert (partnership_a.slug, partnership_a.area) == ("partnership-a", "Moved")
    # An import finds a partnership by its slug: a new one under the same name is refused.
    assert failed.value.report.errors == [
        f"partnerships.csv row 2: name '{partnership_a.name}' is another partnership's"
    ]
    assert client.get(f"/p/partnership-a/reports/{report_a.pk}/").status_code == 200
    assert 'name="slug"' in client.get(reverse("admin:core_partnership_add")).content.decode()


@pytest.mark.django_db
def test_an_import_that_changes_a_partnership_is_in_the_admins_history(
    admin_user, partnership_a, tmp_path
):
    _import_partnership(
        tmp_path, partnership_a, admin_user, population="260000", reports_public="yes"
    )
    partnership_a.refresh_from_db()
    _import_partnership(tmp_path / "again", partnership_a, admin_user, reports_public="yes")
    _import_partnership(tmp_path / "anyone", partnership_a, None, police_force="Any Police")

    [entry] = LogEntry.objects.all()
    assert (entry.user, entry.object_id, entry.action_flag) == (
        admin_user,
        str(partnership_a.pk),
        CHANGE,
    )
    assert entry.get_change_message() == (
        "Changed by an import: Population from 250,000 to 260,000; and Published reports are "
        "public from no to yes."
    )


@pytest.mark.django_db
def test_an_import_that_adds_a_partnership_is_in_the_admins_history(admin_user, tmp_path):
    write_csv(tmp_path, "partnerships", [{"slug": "new-csp", "name": "New CSP"}])

    importing.import_path(tmp_path, by=admin_user, dry_run=True, source="upload")
    assert not LogEntry.objects.exists()
    importing.import_path(tmp_path, by=admin_user, source="upload")

    [entry] = LogEntry.objects.all()
    assert (entry.object_repr, entry.action_flag) == ("New CSP", ADDITION)
    assert entry.get_change_message() == "Added by an import."


@pytest.mark.django_db
def test_the_admins_history_of_a_partnership_names_old_and_new_values(
    client, admin_user, partnership_a
):
    client.force_login(admin_user)
    url = reverse("admin:core_partnership_change", args=[partnership_a.pk])
    legend = {"red": "Late", "green": "Done"}

    client.post(
        url,
        _partnership_form(
            partnership_a, name="Safer A", population="", rag_legend=json.dumps(legend)
        ),
    )

    entry = LogEntry.objects.get()
    assert entry.get_change_message() == (
        "Changed Name from “Partnership A” to “Safer A”, Population from 250,000 to blank and "
        'RAG legend from {"red": "Off track: the target will not be met without '
        'intervention", "amber": "At risk: within tolerance of the target", "green": "On '
        'track: the target is met or exceeded"} to {"red": "Late", "green": "Done"}.'
    )
    history = client.get(reverse("admin:core_partnership_history", args=[partnership_a.pk]))
    assert "Population from 250,000 to blank" in history.content.decode()


def _import_data(folder, *options) -> str:
    """What the command says: its summary, then any warning."""
    stdout, stderr = StringIO(), StringIO()
    call_command("import_data", str(folder), *options, stdout=stdout, stderr=stderr)
    return stdout.getvalue() + stderr.getvalue()


def _population_and_figure(folder, partnership):
    """Files that change the partnership's population and add a figure of its HC 01."""
    IndicatorFactory(partnership=partnership, code="HC 01")
    write_csv(
        folder,
        "partnerships",
        [{"slug": partnership.slug, "name": partnership.name, "population": "270000"}],
        columns=["slug", "name", "population"],
    )
    figure = {"partnership": partnership.slug, "indicator": "HC 01", "period": "2016-04"}
    write_csv(folder, "actuals", [{**figure, "value": "17"}])


@pytest.mark.django_db
def test_import_data_with_a_user_records_them_and_names_the_command(
    admin_user, partnership_a, tmp_path
):
    """As an import on the site does: the admin's history of each partnership changed and
    the figures' history name who imported, and say it came from the command."""
    _population_and_figure(tmp_path, partnership_a)

    _import_data(tmp_path, "--user", admin_user.username)

    [entry] = LogEntry.objects.all()
    assert (entry.user, entry.object_id, entry.action_flag) == (
        admin_user,
        str(partnership_a.pk),
        CHANGE,
    )
    assert entry.get_change_message() == (
        "Changed by the import_data command: Population from 250,000 to 270,000."
    )
    change = FigureChange.objects.get()
    assert (change.changed_by, change.source) == (admin_user, "import")


@pytest.mark.django_db
def test_import_data_without_a_user_records_its_changes_as_the_systems(partnership_a, tmp_path):
    """As the site's other changes by no one: the figures' history says "System (import)".
    The admin's history needs a person, so the command says the partnership is not in it."""
    _population_and_figure(tmp_path, partnership_a)

    out = _import_data(tmp_path)

    assert not LogEntry.objects.exists()
    change = FigureChange.objects.get()
    assert (change.changed_by, change.source) == (None, "import")
    assert "1 partnership added or changed is not in the admin's history" in out
    assert "--user" in out


@pytest.mark.django_db
def test_import_data_refuses_a_user_it_cannot_name(admin_user, partnership_a, tmp_path):
    _population_and_figure(tmp_path, partnership_a)

    with pytest.raises(CommandError, match="No user with the username 'nobody'"):
        _import_data(tmp_path, "--user", "nobody")
    admin_user.is_active = False
    admin_user.save()
    with pytest.raises(CommandError, match="'admin-user' is deactivated"):
        _import_data(tmp_path, "--user", admin_user.username)

    partnership_a.refresh_from_db()
    assert partnership_a.population == 250_000 and not FigureChange.objects.exists()
