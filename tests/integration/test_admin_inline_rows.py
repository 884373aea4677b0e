"""The admin's inlines laid out as tables (a partnership's theme groups, members and
meetings): each box named by its column and row."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin

from csp_portal.core.admin import TableInline
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    ProgressOutputFactory,
    ThemeGroupFactory,
)
from tests.integration.test_admin_history import _admin_url

pytestmark = pytest.mark.django_db


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
        self.chosen: dict[str, list[tuple[str, str]]] = {}
        self._select: str | None = None
        self._option: str | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        named = attrs.get("name") and attrs.get("type") != "hidden"
        if tag in ("input", "select", "textarea") and named:
            self.label[attrs["name"]] = attrs.get("aria-label")
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
    """So each names its boxes (`TableInline`)."""
    inlines = [
        (model_admin, inline)
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    ]

    assert inlines
    assert [(m, i) for m, i in inlines if not issubclass(i, TableInline)] == []
