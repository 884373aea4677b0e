"""The admin's inlines laid out as tables (a partnership's theme groups, members and
meetings): each box named by its column and row, and the page read in the same number of
queries however many rows it has, by administrators and by staff editors alike."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission

from csp_portal.core.admin import ROW_BOX_WIDTH, MeetingInline, TableInline
from csp_portal.core.models import Meeting, Membership
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgressOutputFactory,
    ThemeGroupFactory,
    UserFactory,
)
from tests.integration.test_admin import _admin_page_queries
from tests.integration.test_admin_history import _admin_url, _change, _untouched

pytestmark = pytest.mark.django_db

# A partnership's page: the session, the partnership, its theme groups, members and
# meetings, and the theme groups its meetings' boxes offer (one more on a first visit); a
# staff editor's permissions too. It was 59 for a partnership of 3 groups and 10 members.
MAX_QUERIES = {"admin_user": 7, "staff_editor_a": 8}


@pytest.fixture
def staff_editor_a(partnership_a):
    """A staff user, officer of partnership A, with every permission of the admin's core
    rows: not an administrator."""
    user = UserFactory(username="staff-a", is_staff=True)
    MembershipFactory(user=user, partnership=partnership_a, role="officer")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="core"))
    return user


def _rows(partnership, count: int) -> None:
    """``count`` more theme groups, members and meetings (each of a theme group)."""
    for group in ThemeGroupFactory.create_batch(count, partnership=partnership):
        MembershipFactory(partnership=partnership)
        MeetingFactory(partnership=partnership, theme_group=group)


class _Boxes(HTMLParser):
    """Each form box of a page by its name: its accessible name (aria-label) and, for a
    select, the values and texts of its chosen options."""

    def __init__(self, page: str):
        super().__init__()
        self.label: dict[str, str | None] = {}
        self.attrs: dict[str, dict[str, str | None]] = {}
        self.chosen: dict[str, list[tuple[str, str]]] = {}
        self._select: str | None = None
        self._option: str | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        named = attrs.get("name") and attrs.get("type") != "hidden"
        if tag in ("input", "select", "textarea") and named:
            self.label[attrs["name"]] = attrs.get("aria-label")
            self.attrs[attrs["name"]] = attrs
        if tag == "select" and named:
            self._select = attrs["name"]
            self.chosen[self._select] = []
        elif tag == "option" and self._select and "selected" in attrs:
            self._option = attrs["value"]

    def handle_data(self, data):
        if self._option is not None:
            self.chosen[self._select].append((self._option, data.strip()))
            self._option = None

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _page(client, row) -> _Boxes:
    response = client.get(_admin_url(row))
    assert response.status_code == 200
    return _Boxes(response.content.decode())


def test_each_box_of_a_partnerships_inlines_is_named_by_its_column_and_row(
    client, admin_user, partnership_a
):
    """Review finding: axe-core found 68 boxes with no label on a partnership's page (a
    column heading labels no box) and 28 role selects with no accessible name."""
    _rows(partnership_a, 2)
    client.force_login(admin_user)

    boxes = _page(client, partnership_a).label
    inlines = {
        name: label
        for name, label in boxes.items()
        if name.startswith(("theme_groups-", "memberships-", "meetings-"))
    }

    assert len(inlines) == 2 * 4 + 3 + 2 * 5 + 4 + 2 * 6 + 5  # each row's boxes, a new row's
    assert all(inlines.values()), [name for name, label in inlines.items() if not label]
    assert inlines["theme_groups-1-name"] == "Name, theme group 2"
    assert inlines["theme_groups-0-DELETE"] == "Delete, theme group 1"
    assert inlines["memberships-1-role"] == "Role, membership 2"
    assert inlines["memberships-0-user"] == "User, membership 1"
    assert inlines["meetings-1-theme_group"] == "Theme group, meeting 2"
    # The row the admin's script copies to add one (admin.js numbers the copy).
    assert inlines["theme_groups-__prefix__-name"] == "Name, new theme group"
    assert inlines["meetings-__prefix__-date"] == "Date, new meeting"


def test_each_box_of_a_progress_updates_outputs_is_named_by_its_column_and_row(client, admin_user):
    output = ProgressOutputFactory()
    client.force_login(admin_user)

    boxes = _page(client, output.update).label

    assert boxes["outputs-0-label"] == "Label, progress output 1"
    assert boxes["outputs-0-value"] == "Value, progress output 1"
    assert boxes["outputs-1-label"] == "Label, progress output 2"  # the blank row to fill


def test_every_inline_of_the_admin_is_a_table_inline():
    """So each names its boxes, and reads its selects' choices once (`TableInline`)."""
    inlines = [
        (model_admin, inline)
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    ]

    assert inlines
    assert [(m, i) for m, i in inlines if not issubclass(i, TableInline)] == []


@pytest.mark.parametrize("who", ["admin_user", "staff_editor_a"])
def test_a_partnerships_page_reads_more_rows_in_no_more_queries(
    client, request, partnership_a, who, django_assert_max_num_queries
):
    """Review finding: 59 queries for one partnership, each member's person, partnership
    and organisation read row by row, and each meeting's theme groups."""
    _rows(partnership_a, 3)
    client.force_login(request.getfixturevalue(who))
    url = _admin_url(partnership_a)

    queries = _admin_page_queries(
        client, url, lambda: _rows(partnership_a, 9), django_assert_max_num_queries
    )

    assert queries <= MAX_QUERIES[who]
    assert Meeting.objects.filter(partnership=partnership_a).count() == 12


def test_a_partnerships_rows_show_what_each_chose(client, admin_user, partnership_a):
    """Read once for every row, the choices still show each row's own."""
    first, second = ThemeGroupFactory.create_batch(2, partnership=partnership_a)
    meeting = MeetingFactory(partnership=partnership_a, theme_group=second)
    MeetingFactory(partnership=partnership_a, theme_group=None, date=meeting.date)
    member = MembershipFactory(
        partnership=partnership_a, organisation=OrganisationFactory(name="Devon Fire")
    )
    client.force_login(admin_user)

    chosen = _page(client, partnership_a).chosen

    assert chosen["meetings-0-theme_group"] == [(str(second.pk), second.name)]
    assert chosen["meetings-1-theme_group"] == [("", "---------")]
    assert chosen["memberships-0-user"] == [(str(member.user_id), str(member.user))]
    assert chosen["memberships-0-organisation"] == [(str(member.organisation_id), "Devon Fire")]
    assert first.name in client.get(_admin_url(partnership_a)).content.decode()


def test_a_partnerships_page_sent_back_shows_the_organisation_chosen(
    client, admin_user, partnership_a
):
    """A page sent back with an error shows the organisation chosen on it, not the one
    stored (read with the rows)."""
    MembershipFactory(partnership=partnership_a, organisation=OrganisationFactory(name="Old"))
    chosen = OrganisationFactory(name="New organisation")
    client.force_login(admin_user)
    url = _admin_url(partnership_a)
    data = _untouched(client.get(url))

    response = client.post(
        url, {**data, "name": "", "memberships-0-organisation": chosen.pk}
    )  # no name: refused

    assert response.status_code == 200
    shown = _Boxes(response.content.decode()).chosen["memberships-0-organisation"]
    assert shown == [(str(chosen.pk), "New organisation")]


def test_a_staff_editor_changes_a_meetings_theme_group_and_a_members_role(
    client, staff_editor_a, partnership_a
):
    group = ThemeGroupFactory(partnership=partnership_a)
    meeting = MeetingFactory(partnership=partnership_a)
    client.force_login(staff_editor_a)

    _change(
        client,
        _admin_url(partnership_a),
        **{"meetings-0-theme_group": group.pk, "memberships-0-role": "chair"},
    )

    meeting.refresh_from_db()
    assert meeting.theme_group == group
    assert Membership.objects.get(user=staff_editor_a).role == "chair"


def test_a_partnerships_autocomplete_boxes_are_drawn_without_measuring_the_page(
    client, admin_user, partnership_a
):
    """Measured in a browser (bench/admin_page_bench.py): select2 measured each autocomplete
    box's width as it drew it, a layout of the whole page for each of a partnership's
    members' two boxes. A member's person, fixed once the row is made, is a plain select
    (select2 would draw it greyed out, to choose nothing); their organisation's box is
    given the table's width."""
    MembershipFactory.create_batch(2, partnership=partnership_a)
    client.force_login(admin_user)

    boxes = _page(client, partnership_a).attrs

    person, organisation = boxes["memberships-1-user"], boxes["memberships-1-organisation"]
    assert "disabled" in person
    assert "admin-autocomplete" not in (person.get("class") or "")
    assert "data-ajax--url" not in person
    assert "admin-autocomplete" in organisation["class"]
    assert organisation["data-width"] == ROW_BOX_WIDTH
    # A new row's person is chosen in an autocomplete box, as wide as the others.
    new_person = boxes["memberships-__prefix__-user"]
    assert "admin-autocomplete" in new_person["class"]
    assert new_person["data-width"] == ROW_BOX_WIDTH


def test_a_partnerships_many_meetings_are_a_link_to_their_own_list(
    client, admin_user, partnership_a, monkeypatch, django_assert_max_num_queries
):
    """Measured in a browser (bench/admin_page_bench.py): each row of an inline adds to
    the time the page takes to draw, and a partnership's meetings grow every year. Past
    ``rows_listed`` they are a link to the meetings' list, filtered to the partnership."""
    monkeypatch.setattr(MeetingInline, "rows_listed", 2)
    MeetingFactory.create_batch(3, partnership=partnership_a)
    MembershipFactory.create_batch(3, partnership=partnership_a)
    client.force_login(admin_user)
    url = _admin_url(partnership_a)

    queries = _admin_page_queries(
        client, url, lambda: _rows(partnership_a, 3), django_assert_max_num_queries
    )
    page = client.get(url).content.decode()

    assert queries <= MAX_QUERIES["admin_user"]
    assert "meetings-TOTAL_FORMS" not in page
    assert "memberships-TOTAL_FORMS" in page  # fewer than its own limit
    listed = f"/admin/core/meeting/?partnership__id__exact={partnership_a.pk}"
    assert f'<a href="{listed}">See and change its 6 meetings</a>' in page
    assert "6 meetings" in client.get(listed).content.decode()


def test_a_partnerships_page_saves_its_meetings_sent_though_they_became_many(
    client, admin_user, partnership_a, monkeypatch
):
    """A page drawn with its meetings' rows saves them, though another meeting was added
    meanwhile (past ``rows_listed``): its meetings' changes are not dropped."""
    monkeypatch.setattr(MeetingInline, "rows_listed", 2)
    meeting = MeetingFactory(partnership=partnership_a, title="Old title")
    client.force_login(admin_user)
    url = _admin_url(partnership_a)
    data = _untouched(client.get(url))
    MeetingFactory.create_batch(2, partnership=partnership_a)

    response = client.post(url, {**data, "meetings-0-title": "New title"})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "New title"


def test_a_partnerships_change_page_leaves_out_the_scripts_that_fill_a_slug(
    client, admin_user, partnership_a
):
    """Its slug is fixed once it is made: Django's scripts that fill it from the name as it
    is typed (xregexp the largest) are for the add page only."""
    client.force_login(admin_user)

    change = client.get(_admin_url(partnership_a)).content.decode()
    add = client.get("/admin/core/partnership/add/").content.decode()

    for script in ("admin/js/urlify.js", "admin/js/prepopulate.js", "admin/js/vendor/xregexp/"):
        assert script not in change
        assert script in add
    assert "admin/js/inlines.js" in change
