"""The role x URL matrix: every named URL of the site, tried by every kind of user.

How to add a URL (read this before adding a view)
--------------------------------------------------
The URL list is read from the URLconf (`test_every_url_has_a_row`), so a new named
URL fails the suite until it has exactly one row in `URLS` below. Django admin
(`admin:`) and the `accounts/` sign-in views are left out: they have their own tests.

A row is `Url(name, args, access, ok_status, query=..., post=...)`:

- `args(w)` returns the URL's positional arguments from `w`, a `World`:
  `w.p` is partnership A, `w.i` an indicator of A (with a figure for April 2016),
  and `w.get("fixture_name")` any pytest fixture, resolved only when asked for.
  A URL that needs another object (an action plan, a report) gets a fixture of
  partnership A in `tests/conftest.py` (or `tests/integration/conftest.py`), e.g.
  `action_plan_a`, and a row such as
  `Url("actions:plan", lambda w: [w.p.slug, w.get("action_plan_a").pk], LIVE)`.
  `w.needs("fixture_name")` resolves a fixture the URL does not name but the view
  needs to exist (a funding stream a new line can use): it is made before the
  database is compared, and does not count as naming an object of A.
- `access` is who may open it: PUBLIC (anyone, signed in or not: e.g. a
  published report), SIGNED_IN (any account), PUBLISHED (members of the
  partnership: panel members and editors), LIVE and EDIT (editors of the
  partnership), STAFF (administrators: active superusers). `USERS` says which user has which.
- `ok_status` is the answer to a GET by a user who has the access (200, or 302
  for a URL that redirects); everyone else is refused without a word of partnership
  A: a panel member of A gets 403 from an editors' page (it says whose the page is),
  others 404 from a page of A, and anonymous users are sent to sign in (an API
  answers 401).
- `post(w)` is the form data of a POST that writes something. Leave it out for a
  URL that only reads: the view must then refuse POST with 405 (decorate it with
  `require_safe`). With it, the matrix checks that the least entitled allowed
  user's POST writes to the database, and that anonymous users, panel members,
  officers of partnership B and outsiders are refused and nothing is written.
- Any URL that names an object of A (it used `w.i` or `w.get(...)`) is also tried
  with partnership B's slug by B's officer: another partnership's objects give 404.
"""

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from opendata import police_uk
from tests.factories import ActualFactory, IndicatorFactory, MeetingFactory

PUBLIC, SIGNED_IN, PUBLISHED, LIVE, EDIT, STAFF = (
    "public",
    "signed in",
    "published",
    "live",
    "edit",
    "staff",
)

# What each kind of user may do to partnership A. None is the anonymous visitor.
USERS: dict[str | None, set[str]] = {
    None: {PUBLIC},
    "admin_user": {PUBLIC, SIGNED_IN, PUBLISHED, LIVE, EDIT, STAFF},
    "officer_a": {PUBLIC, SIGNED_IN, PUBLISHED, LIVE, EDIT},
    "panel_a": {PUBLIC, SIGNED_IN, PUBLISHED},
    "officer_b": {PUBLIC, SIGNED_IN},
    "outsider": {PUBLIC, SIGNED_IN},
    # Staff status lets someone into the admin: on the site they are nobody's member.
    "staff_only": {PUBLIC, SIGNED_IN},
}
# The user who proves a POST writes: the one with least rights that has the access.
LEAST_ENTITLED = {
    PUBLIC: None,
    SIGNED_IN: "outsider",
    PUBLISHED: "panel_a",
    LIVE: "officer_a",
    EDIT: "officer_a",
    STAFF: "admin_user",
}
SECRET = b"Secret burglary figures"  # the title of A's indicator: must never leak


class World:
    """The objects a row builds its URL from; fixtures are resolved only when asked for."""

    def __init__(self, request, partnership, indicator):
        self._request = request
        self.p = partnership
        self._indicator = indicator
        self.names_an_object = False  # whether the URL names more than the partnership

    @property
    def i(self):
        self.names_an_object = True
        return self._indicator

    def get(self, fixture_name: str) -> Any:
        self.names_an_object = True
        return self._request.getfixturevalue(fixture_name)

    def needs(self, fixture_name: str) -> Any:
        return self._request.getfixturevalue(fixture_name)


class Url(NamedTuple):
    name: str
    args: Callable[[World], list]
    access: str
    ok_status: int = 200
    query: str = ""
    post: Callable[[World], dict] | None = None


def _no_args(w: World) -> list:
    return []


def _line_form(w: World, **changes) -> dict:
    data = {
        "reference": "CI 09",
        "area_of_need": "Hate crime awareness",
        "funding_stream": w.needs("funding_stream_a").pk,
        "contribution_status": "amount",
        "contribution": "12500",
        "total_budget": "20000",
        "status": "approved",
    }
    return {**data, **changes}


def _as_shown(shown: dict, **typed) -> dict:
    """An edit page's post: each box's shown value (initial-*) and what is in it now."""
    data = {}
    for name, value in shown.items():
        values = [str(v) for v in value] if isinstance(value, list) else str(value)
        data[name] = data[f"initial-{name}"] = values
    return {**data, **typed}


def _line_edit(w: World) -> dict:
    from commissioning.forms import LineForm

    return _as_shown(LineForm.initial_for(w.get("commissioning_line_a")), provider="Changed")


def _update_form(w: World, **changes) -> dict:
    data = {
        "date": "30/9/2017",
        "text": "Service has met 23 clients.",
        "outputs-TOTAL_FORMS": "1",
        "outputs-INITIAL_FORMS": "0",
        "outputs-0-label": "Clients supported",
        "outputs-0-value": "23",
    }
    return {**data, **changes}


def _actuals_csv(w: World) -> dict:
    text = f"partnership,indicator,period,value\n{w.p.slug},{w.i.code},2016-05,7\n"
    return {"files": SimpleUploadedFile("actuals.csv", text.encode(), "text/csv")}


def _street_csv(w: World) -> dict:
    header = ",".join(police_uk.HEADER)
    row = ",2024-01,Force,Force,,,On or near X,E01000001,Area 001A,Burglary,,"
    text = f"{header}\r\n{row}\r\n"
    return {"files": SimpleUploadedFile("2024-01-test-street.csv", text.encode(), "text/csv")}


def _ward_csv(w: World) -> dict:
    text = "LSOA21CD,WD24CD,WD24NM\nE01000001,E05000001,A Ward\n"
    return {"file": SimpleUploadedFile("lookup.csv", text.encode(), "text/csv")}


def _quick_update(w: World) -> dict:
    action = w.get("action_a")
    prefix = f"a{action.pk}"
    return {
        "action": action.pk,
        f"{prefix}-status": "green",
        f"{prefix}-text": "Done",
        f"initial-{prefix}-status": action.status,  # the status the page showed
    }


def _row_as_shown(row, data: dict) -> dict:
    """A form's data with the values an edit page showed (the stored ones) beside it."""
    shown = {}
    for name in data:
        value = getattr(row, f"{name}_id", getattr(row, name, ""))
        shown[f"initial-{name}"] = "" if value is None else str(value)
    return {**data, **shown}


def _action_edit(w: World) -> dict:
    return _row_as_shown(w.get("action_a"), _action_form(w))


def _plan_form(w: World) -> dict:
    return {"title": "Changed plan", "financial_year": "2016/17", "theme_group": ""}


def _plan_edit(w: World) -> dict:
    return _row_as_shown(w.get("action_plan_a"), _plan_form(w))


def _objective_form(w: World) -> dict:
    return {"number": 7, "title": "Changed objective"}


def _objective_edit(w: World) -> dict:
    return _row_as_shown(w.get("action_a").objective, _objective_form(w))


def _risk_edit(w: World) -> dict:
    return _row_as_shown(w.get("risk_a"), _risk_form(w))


def _issue_edit(w: World) -> dict:
    return _row_as_shown(w.get("cross_theme_issue_a"), _issue_form(w))


def _recommendation_edit(w: World) -> dict:
    return _row_as_shown(w.get("recommendation_a"), _recommendation_form(w))


def _action_form(w: World) -> dict:
    action = w.get("action_a")
    return {"objective": action.objective_id, "reference": "9.9", "description": "Changed"}


def _risk_form(w: World) -> dict:
    return {
        "reference": "R99",
        "description": "Changed",
        "likelihood": 2,
        "impact": 3,
        "status": "open",
    }


def _issue_form(w: World) -> dict:
    return {"title": "Changed", "issue": "Changed", "status": "open"}


def _recommendation_form(w: World) -> dict:
    return {
        "meeting_date": "2016-12-01",
        "reference": "REC-99",
        "recommendation": "Changed",
        "assigned_to": "Chair",
        "status": "accepted",
    }


URLS = [
    Url("core:home", _no_args, SIGNED_IN),
    Url("core:accessibility", _no_args, PUBLIC),
    Url("core:partnership", lambda w: [w.p.slug], PUBLISHED),
    Url("indicators:list", lambda w: [w.p.slug], LIVE),
    Url("indicators:detail", lambda w: [w.p.slug, w.i.pk], LIVE),
    Url("indicators:dashboard", lambda w: [w.p.slug], LIVE),
    Url("indicators:api_comparisons", lambda w: [w.p.slug], LIVE, query="period=2016-04"),
    Url("indicators:export", lambda w: [w.p.slug], LIVE),
    Url(
        "indicators:year_grid",
        lambda w: [w.p.slug, w.i.pk, 2016],
        EDIT,
        post=lambda w: {"m2016-05-v": "7", "initial-m2016-05-v": ""},
    ),
    Url(
        "indicators:target_edit",
        lambda w: [w.p.slug, w.i.pk, 2016],
        EDIT,
        post=lambda w: {"kind": "annual", "value": "5", "reason": "Board"},
    ),
    Url(
        "indicators:spc_settings",
        lambda w: [w.p.slug, w.i.pk],
        EDIT,
        post=lambda w: {"run_length": "7", "reason": "Board"},
    ),
    Url("indicators:month_sheet_latest", lambda w: [w.p.slug], EDIT, 302),
    Url(
        "indicators:month_sheet",
        lambda w: [w.p.slug, "2016-05"],
        EDIT,
        post=lambda w: {f"i{w.i.pk}-v": "7", f"initial-i{w.i.pk}-v": ""},
    ),
    Url("indicators:import", lambda w: [w.p.slug], EDIT, post=_actuals_csv),
    Url("indicators:import_all", _no_args, STAFF, post=_actuals_csv),
    Url("reports:list", lambda w: [w.p.slug], PUBLISHED),
    Url("reports:detail", lambda w: [w.p.slug, w.get("report_a").pk], PUBLISHED),
    Url("reports:version", lambda w: [w.p.slug, w.get("report_a").pk, 1], PUBLISHED),
    Url("reports:csv", lambda w: [w.p.slug, w.get("report_a").pk], PUBLISHED),
    Url("reports:pdf", lambda w: [w.p.slug, w.get("report_a").pk], PUBLISHED),
    Url("reports:docx", lambda w: [w.p.slug, w.get("report_a").pk], PUBLISHED),
    Url("reports:preview", lambda w: [w.p.slug, w.get("draft_a").pk], LIVE),
    Url(
        "reports:create",
        lambda w: [w.p.slug],
        EDIT,
        post=lambda w: {
            "title": "New report",
            "period": "2016-04",
            "meeting_kind": "board",
            "meeting_date": "2017-01-24",
            "wards": "All",
            "purpose": "noting",
            "recommendations": "To note the update",
        },
    ),
    Url(
        "reports:edit",
        lambda w: [w.p.slug, w.get("draft_a").pk],
        EDIT,
        post=lambda w: _as_shown(
            {
                "title": "Secret draft title",
                "period": "2016-11",
                "meeting_kind": "scrutiny_panel",
                "meeting_date": "2017-01-24",
                "wards": "All",
                "purpose": "noting",
                "recommendations": "To note the update",
            },
            title="Renamed report",
        ),
    ),
    Url("reports:publish", lambda w: [w.p.slug, w.get("draft_a").pk], EDIT, post=lambda w: {}),
    Url("commissioning:plan_latest", lambda w: [w.p.slug], LIVE, 302),
    Url(
        "commissioning:plan",
        lambda w: [w.p.slug, w.needs("commissioning_line_a").financial_year],
        LIVE,
    ),
    Url("commissioning:line", lambda w: [w.p.slug, w.get("commissioning_line_a").pk], LIVE),
    Url(
        "commissioning:line_add",
        lambda w: [w.p.slug, w.needs("funding_stream_a").financial_year],
        EDIT,
        post=_line_form,
    ),
    Url(
        "commissioning:line_edit",
        lambda w: [w.p.slug, w.get("commissioning_line_a").pk],
        EDIT,
        post=_line_edit,
    ),
    Url(
        "commissioning:stream_add",
        lambda w: [w.p.slug, 2017],
        EDIT,
        post=lambda w: {"source": "Council grant", "amount": "1000"},
    ),
    Url(
        "commissioning:stream_edit",
        lambda w: [w.p.slug, w.get("funding_stream_a").pk],
        EDIT,
        post=lambda w: _as_shown({"source": "PCC grant", "amount": "400568.00"}, amount="1"),
    ),
    Url(
        "commissioning:update_add",
        lambda w: [w.p.slug, w.get("commissioning_line_a").pk],
        EDIT,
        post=_update_form,
    ),
    Url(
        "commissioning:update_edit",
        lambda w: [
            w.p.slug,
            w.get("commissioning_line_a").pk,
            w.get("progress_update_a").pk,
        ],
        EDIT,
        post=lambda w: _update_form(w, text="Changed", version="1"),
    ),
    # Removing a row (csp_portal/core/removal.py): the POST removes it.
    Url(
        "commissioning:stream_remove",
        lambda w: [w.p.slug, w.get("funding_stream_a").pk],
        EDIT,
        post=lambda w: {},
    ),
    Url(
        "commissioning:line_remove",
        lambda w: [w.p.slug, w.get("commissioning_line_a").pk],
        EDIT,
        post=lambda w: {},
    ),
    Url(
        "commissioning:update_remove",
        lambda w: [
            w.p.slug,
            w.get("commissioning_line_a").pk,
            w.get("progress_update_a").pk,
        ],
        EDIT,
        post=lambda w: {},
    ),
    Url(
        "commissioning:copy_forward",
        lambda w: [w.p.slug, w.needs("commissioning_line_a").financial_year + 1],
        EDIT,
        post=lambda w: {},
    ),
    Url("opendata:upload", lambda w: [w.p.slug], EDIT, post=_street_csv),
    Url("opendata:wards", lambda w: [w.p.slug], EDIT, post=_ward_csv),
    Url("opendata:import_detail", lambda w: [w.p.slug, w.get("police_import_a").pk], LIVE),
    Url("opendata:hotspots", lambda w: [w.p.slug, w.i.pk], LIVE),
    Url("actions:plans", lambda w: [w.p.slug], LIVE, post=_quick_update),
    Url("actions:plan", lambda w: [w.p.slug, w.get("action_plan_a").pk], LIVE, post=_quick_update),
    Url("actions:action", lambda w: [w.p.slug, w.get("action_a").pk], LIVE, post=_quick_update),
    Url("actions:plan_create", lambda w: [w.p.slug], EDIT, post=_plan_form),
    Url(
        "actions:plan_edit", lambda w: [w.p.slug, w.get("action_plan_a").pk], EDIT, post=_plan_edit
    ),
    Url(
        "actions:objective_create",
        lambda w: [w.p.slug, w.get("action_plan_a").pk],
        EDIT,
        post=_objective_form,
    ),
    Url(
        "actions:objective_edit",
        lambda w: [w.p.slug, w.get("action_a").objective.pk],
        EDIT,
        post=_objective_edit,
    ),
    Url(
        "actions:action_create",
        lambda w: [w.p.slug, w.get("action_plan_a").pk],
        EDIT,
        post=_action_form,
    ),
    Url("actions:action_edit", lambda w: [w.p.slug, w.get("action_a").pk], EDIT, post=_action_edit),
    Url(
        "actions:plan_remove",
        lambda w: [w.p.slug, w.get("action_plan_a").pk],
        EDIT,
        post=lambda w: {},
    ),
    Url(
        "actions:objective_remove",
        lambda w: [w.p.slug, w.get("objective_a").pk],
        EDIT,
        post=lambda w: {},
    ),
    Url(
        "actions:action_remove", lambda w: [w.p.slug, w.get("action_a").pk], EDIT, post=lambda w: {}
    ),
    Url("actions:risk_remove", lambda w: [w.p.slug, w.get("risk_a").pk], EDIT, post=lambda w: {}),
    Url(
        "actions:issue_remove",
        lambda w: [w.p.slug, w.get("cross_theme_issue_a").pk],
        EDIT,
        post=lambda w: {},
    ),
    Url(
        "actions:recommendation_remove",
        lambda w: [w.p.slug, w.get("recommendation_a").pk],
        EDIT,
        post=lambda w: {},
    ),
    Url("actions:risks", lambda w: [w.p.slug], LIVE),
    Url("actions:risk_matrix", lambda w: [w.p.slug], LIVE),
    Url("actions:risk_create", lambda w: [w.p.slug], EDIT, post=_risk_form),
    Url("actions:risk_edit", lambda w: [w.p.slug, w.get("risk_a").pk], EDIT, post=_risk_edit),
    Url("actions:issues", lambda w: [w.p.slug], LIVE),
    Url("actions:issue_create", lambda w: [w.p.slug], EDIT, post=_issue_form),
    Url(
        "actions:issue_edit",
        lambda w: [w.p.slug, w.get("cross_theme_issue_a").pk],
        EDIT,
        post=_issue_edit,
    ),
    Url("actions:recommendations", lambda w: [w.p.slug], LIVE),
    Url("actions:follow_up", lambda w: [w.p.slug], LIVE),
    Url("actions:recommendation_create", lambda w: [w.p.slug], EDIT, post=_recommendation_form),
    Url(
        "actions:recommendation_edit",
        lambda w: [w.p.slug, w.get("recommendation_a").pk],
        EDIT,
        post=_recommendation_edit,
    ),
]

SKIPPED_NAMESPACES = {"admin"}  # Django admin: tests/integration/test_admin.py
SKIPPED_PREFIXES = ("accounts/",)  # Django's sign-in views: their own tests


def url_names(patterns=None, namespace: str = "", prefix: str = "") -> set[str]:
    """Every named URL of the URLconf, namespaced, except the skipped ones."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def _user_id(user_fixture: str | None) -> str:
    return user_fixture or "anonymous"


def _ids(rows):
    return [row.name for row in rows]


POSTING = [row for row in URLS if row.post]
READING = [row for row in URLS if not row.post]


@pytest.fixture
def indicator_a(partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a, title=SECRET.decode())
    ActualFactory(indicator=indicator, period="2016-04-01", value=123)
    MeetingFactory(partnership=partnership_a)
    return indicator


@pytest.fixture
def world(request, partnership_a, partnership_b, indicator_a):
    return World(request, partnership_a, indicator_a)


def _url(row: Url, world: World) -> str:
    url = reverse(row.name, args=row.args(world))
    return f"{url}?{row.query}" if row.query else url


def _sign_in(client, request, user_fixture):
    if user_fixture:
        client.force_login(request.getfixturevalue(user_fixture))


def database_state() -> dict[str, list]:
    """Every row of every table a request could write (not sessions or sign-in logs)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "axes"} and model._meta.managed
    }


def _assert_refused(response, user_fixture, name, access):
    if user_fixture is None:
        assert response.status_code in (302, 401), f"{name}: {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))
    elif access in (LIVE, EDIT) and PUBLISHED in USERS[user_fixture]:
        # A member refused an editors' page is told so (permissions.EditorsOnly).
        assert response.status_code == 403, f"{name}: {response.status_code}"
    elif access in (PUBLISHED, LIVE, EDIT):
        # Anyone else is told nothing of the partnership.
        assert response.status_code == 404, f"{name}: {response.status_code}"
    else:
        assert response.status_code in (403, 404), f"{name}: {response.status_code}"
    assert SECRET not in response.content
    assert b"Partnership A" not in response.content


def test_every_url_has_a_row():
    rows = _ids(URLS)
    assert len(rows) == len(set(rows)), "a URL has two rows"
    assert set(rows) - url_names() == set(), "rows for URLs that no longer exist"
    assert url_names() - set(rows) == set(), "URLs with no row: add them to URLS"


def test_every_row_names_a_known_access():
    assert {row.access for row in URLS} <= set(LEAST_ENTITLED)


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", list(USERS), ids=_user_id)
@pytest.mark.parametrize("row", URLS, ids=_ids(URLS))
def test_get_matrix(client, request, world, user_fixture, row):
    _sign_in(client, request, user_fixture)
    response = client.get(_url(row, world))
    if row.access in USERS[user_fixture]:
        assert response.status_code == row.ok_status
    else:
        _assert_refused(response, user_fixture, row.name, row.access)


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["admin_user", "officer_a", None], ids=_user_id)
@pytest.mark.parametrize("row", READING, ids=_ids(READING))
def test_post_to_reading_url_is_refused(client, request, world, user_fixture, row):
    _sign_in(client, request, user_fixture)
    url = _url(row, world)  # first: it may make the object the URL names
    before = database_state()
    response = client.post(url, {"anything": "1"})
    assert response.status_code == 405
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("row", POSTING, ids=_ids(POSTING))
def test_post_by_entitled_user_writes(client, request, world, row):
    _sign_in(client, request, LEAST_ENTITLED[row.access])
    url = _url(row, world)
    data = row.post(world)  # before the snapshot: it may build fixtures
    before = database_state()
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    assert database_state() != before, f"{row.name}: the row's POST data wrote nothing"


REFUSED_POSTS = [
    pytest.param(row, user, id=f"{row.name}-{_user_id(user)}")
    for row in POSTING
    for user in USERS
    if row.access not in USERS[user]
]


@pytest.mark.django_db
@pytest.mark.parametrize("row, user_fixture", REFUSED_POSTS)
def test_post_by_unentitled_user_writes_nothing(client, request, world, user_fixture, row):
    _sign_in(client, request, user_fixture)
    url = _url(row, world)
    data = row.post(world)  # before the snapshot: it may build fixtures
    before = database_state()
    response = client.post(url, data)
    _assert_refused(response, user_fixture, row.name, row.access)
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("row", URLS, ids=_ids(URLS))
def test_other_partnerships_object_under_own_slug_is_404(
    client, request, world, partnership_b, officer_b, row
):
    """B's officer with B's slug and A's object: no such object in B."""
    own = World(request, partnership_b, world.i)
    url = _url(row, own)
    if not own.names_an_object or row.access in USERS["officer_b"]:
        pytest.skip("names no object of A, or open to B's officer anyway")
    client.force_login(officer_b)
    assert client.get(url).status_code == 404
    if row.post:
        data = row.post(own)
        before = database_state()
        assert client.post(url, data).status_code == 404
        assert database_state() == before


@pytest.mark.django_db
def test_home_lists_only_own_partnerships(client, officer_a, partnership_b):
    client.force_login(officer_a)
    response = client.get(reverse("core:home"))
    assert b"Partnership A" in response.content
    assert b"Partnership B" not in response.content


@pytest.mark.django_db
def test_home_for_admin_lists_every_partnership(client, admin_user, partnership_a, partnership_b):
    client.force_login(admin_user)
    response = client.get(reverse("core:home"))
    assert b"Partnership A" in response.content
    assert b"Partnership B" in response.content


@pytest.mark.django_db
def test_inactive_member_sees_nothing(client, officer_a, partnership_a):
    officer_a.is_active = False
    officer_a.save()
    client.force_login(officer_a)
    response = client.get(reverse("core:partnership", args=[partnership_a.slug]))
    assert response.status_code in (302, 404)


@pytest.mark.django_db
def test_a_panel_member_on_an_editors_page_is_told_whose_it_is(client, panel_a, partnership_a):
    client.force_login(panel_a)

    response = client.get(reverse("indicators:dashboard", args=[partnership_a.slug]))

    assert response.status_code == 403
    page = response.content.decode()
    assert "Only the partnership's officers and coordinator can open this page" in page
    assert f'href="{reverse("reports:list", args=[partnership_a.slug])}"' in page


@pytest.mark.django_db
def test_home_for_staff_only_user_lists_no_partnership(client, staff_only, partnership_a):
    client.force_login(staff_only)
    response = client.get(reverse("core:home"))
    assert b"Partnership A" not in response.content


@pytest.mark.django_db
def test_staff_only_user_cannot_change_partnership_by_import(client, staff_only, partnership_a):
    client.force_login(staff_only)
    text = f"slug,name,reports_public\n{partnership_a.slug},Partnership A,yes\n"
    upload = SimpleUploadedFile("partnerships.csv", text.encode(), "text/csv")
    response = client.post(reverse("indicators:import_all"), {"files": upload})
    assert response.status_code == 403
    partnership_a.refresh_from_db()
    assert not partnership_a.reports_public
