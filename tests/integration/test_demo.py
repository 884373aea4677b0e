"""The load_demo command: safe to re-run, working demo logins, and none on a live site."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from csp_portal.core.models import Meeting, Membership, Organisation, Partnership, ThemeGroup
from indicators.models import Actual, FigureChange, Indicator, Target

MODELS = (
    Organisation,
    Partnership,
    ThemeGroup,
    Membership,
    Meeting,
    User,
    Indicator,
    Target,
    Actual,
    FigureChange,
)
DEMO_LOGINS = ("admin", "officer", "panel")


def db_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def debug_on(settings, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.DEBUG = True
    return settings


def load_demo(*args) -> str:
    stdout = StringIO()
    call_command("load_demo", *args, stdout=stdout)
    return stdout.getvalue()


@pytest.mark.django_db
def test_load_demo_twice_creates_no_duplicates(debug_on):
    load_demo()
    first = db_counts()

    output = load_demo()

    assert db_counts() == first
    assert first["Partnership"] == 8
    assert first["Actual"] > 100
    assert "actuals: 0 new, 0 changed," in output


@pytest.mark.django_db
def test_load_demo_logins_sign_in_with_demo_password(client, debug_on):
    output = load_demo()

    for username in DEMO_LOGINS:
        assert f"  {username:<8} password csp-demo" in output
        response = client.post(reverse("login"), {"username": username, "password": "csp-demo"})
        assert response.status_code == 302, username
        client.post(reverse("logout"))
    # Everyone else in the demo is there to fill member lists and cannot sign in.
    others = User.objects.exclude(username__in=DEMO_LOGINS)
    assert others.exists()
    assert not any(user.has_usable_password() for user in others)


@pytest.mark.django_db
def test_load_demo_logins_have_their_roles(client, debug_on):
    load_demo()
    dashboard = reverse("indicators:dashboard", args=["safer-plymouth"])
    sheet = reverse("indicators:month_sheet", args=["safer-plymouth", "2016-11"])

    assert User.objects.get(username="admin").is_superuser
    expected = {"admin": (200, 200), "officer": (200, 200), "panel": (403, 403)}
    for username, statuses in expected.items():
        client.force_login(User.objects.get(username=username))
        assert (client.get(dashboard).status_code, client.get(sheet).status_code) == statuses


@pytest.mark.django_db
def test_load_demo_without_debug_refuses_to_create_users(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="Refusing to create demo logins with DJANGO_DEBUG off"):
        load_demo()

    assert not Partnership.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_load_demo_without_debug_and_no_users_loads_only_data(settings):
    settings.DEBUG = False

    output = load_demo("--no-users")

    assert "Loaded 8 partnerships." in output
    assert "Demo logins" not in output
    assert Indicator.objects.filter(partnership__slug="safer-plymouth").exists()
    assert not User.objects.filter(username__in=DEMO_LOGINS).exists()


@pytest.mark.django_db
def test_demo_reports_compare_with_similar_areas_and_neighbours(debug_on):
    from opendata.models import CspOffenceCount, Peer
    from opendata.selectors import family_rankings
    from reports.models import Report

    load_demo("--no-users")
    counts = CspOffenceCount.objects.count()
    assert load_demo("--no-users").count("illustrative Home Office counts") == 0  # idempotent
    assert CspOffenceCount.objects.count() == counts
    assert not CspOffenceCount.objects.filter(illustrative=False).exists()

    plymouth = Partnership.objects.get(slug="safer-plymouth")
    assert Peer.objects.filter(partnership=plymouth).count() == 15
    # Seed 000, quarter to September 2010: rate and rank as the paper reports them.
    ranked = {i.code: r for i, r in family_rankings(plymouth, up_to=(2010, 2))}
    assert ranked["SS 06"].sentence == "3rd best of 15, unchanged"
    assert f"{ranked['SS 06'].own_rate:.1f}" == "20.1"
    # The seed says "10th of 15 (i.e. 5th worst)": 10th of 15 is the 6th worst.
    assert ranked["SS 07"].sentence == "10th of 15 (6th worst), down 1 place"
    assert ranked["SS 08"].sentence == "best of 15, unchanged"
    assert ranked["SS 09"].sentence == "4th best of 15, up 4 places"
    assert ranked["SS 10"].sentence == "13th of 15 (3rd worst), unchanged"

    january_2017 = Report.objects.get(title="Safer Plymouth performance update")
    version = january_2017.versions.get()
    context = version.snapshot["context"]
    assert {"core", "family", "neighbours"} <= set(context["parts"])
    assert context["neighbours"]["quarter"] == "Q2 2016/17"
    assert context["neighbours"]["illustrative"] and context["family_illustrative"]
    for heading in ("Comparison with similar areas", "Comparison with neighbours"):
        assert heading in version.html
    assert "Illustrative demo data" in version.html
    seed_000 = Report.objects.get(title="Safe and Strong Theme Group Update").versions.get()
    assert "3rd best of 15, unchanged" in seed_000.html
    # The executive summary is typed by an editor: its counts are the report's own.
    summary = " ".join(version.snapshot["cover"]["executive_summary"])
    change = {
        entry["code"]: entry["figures"]["ytd_change"]
        for entry in version.snapshot["indicators"].values()
    }
    assert (change["SP 01"], change["SP 04"], change["SP 09"]) == ("570", "-1099", "68")
    for words in ("570 higher", "fallen by 1,099", "risen by 68"):
        assert words in summary
    # Seed 004 went to a police authority's committee, not a crime and disorder committee.
    overview = Report.objects.get(title="Community Safety Partnerships update")
    assert overview.meeting.kind == "committee"
    html = overview.versions.get().html
    assert "It gives an overview of six partnerships" in html
    assert "crime and disorder committee" not in html
