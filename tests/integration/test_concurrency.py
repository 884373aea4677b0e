"""Two officers saving the month sheet at the same moment, each in their own database
session: real threads and real transactions on PostgreSQL.

The coordinator's save is held open (its transaction not yet committed) while the
officer posts the month sheet from another thread; the test waits until the officer's
session is blocked on a lock, or has finished, before letting the coordinator commit.
"""

import datetime
import re
import threading
import time
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from indicators import services
from indicators.models import Actual, FigureChange
from tests.factories import ActualFactory, IndicatorFactory, MembershipFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets one session write at a time and locks the whole "
        "database, so two saves cannot interleave; the same paths are staged on one "
        "connection in test_figure_entry.py",
    ),
    pytest.mark.django_db(transaction=True),
]

NOV_2016 = datetime.date(2016, 11, 1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(partnership_a, officer_a):
    coordinator = MembershipFactory(
        user__username="coordinator-a",
        user__first_name="Sam",
        user__last_name="Other",
        partnership=partnership_a,
        role="coordinator",
    ).user
    client = Client()
    client.force_login(officer_a)
    return client, officer_a, coordinator


@pytest.fixture
def indicators(partnership_a):
    hate = IndicatorFactory(partnership=partnership_a, code="HC 01", title="Hate crime")
    asb = IndicatorFactory(partnership=partnership_a, code="ASB 01", title="Antisocial behaviour")
    return hate, asb


class Session(threading.Thread):
    """One officer's request in a thread of its own, so in a database session of its own."""

    def __init__(self, client: Client, url: str, data: dict):
        super().__init__(daemon=True)
        self.client, self.url, self.data = client, url, data
        self.response = None
        self.error: BaseException | None = None

    def run(self):
        try:
            self.response = self.client.post(self.url, self.data)
        except BaseException as error:  # reported by the test thread
            self.error = error
        finally:
            connection.close()

    def result(self):
        self.join(timeout=30)
        assert not self.is_alive(), "the officer's save never finished"
        if self.error:
            raise self.error
        return self.response


def wait_until_blocked(session: Session, timeout: float = 10) -> None:
    """Wait until the officer's session waits on a lock that this one holds."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and session.is_alive():
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else cached per transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the officer's save did not wait for the coordinator's")


def sheet_url(partnership) -> str:
    return reverse("indicators:month_sheet", args=[partnership.slug, "2016-11"])


def sheet_post(shown: dict, typed: dict) -> dict:
    """A post of the month sheet: the figures it showed, and those in its boxes."""
    data = {"reason": ""}
    for indicator, figure in shown.items():
        data[f"i{indicator.pk}-v"] = data[f"initial-i{indicator.pk}-v"] = figure
    for indicator, figure in typed.items():
        data[f"i{indicator.pk}-v"] = figure
    return data


def error_summary(response) -> list[str]:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    items = re.findall(r"<li>(.*?)</li>", match.group(0), re.S) if match else []
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def save(indicator, value, *, shown, by):
    services.actuals_save(
        entries=[services.FigureInput(indicator, NOV_2016, value, shown=shown)], by=by
    )


def test_two_officers_adding_the_same_empty_figure_the_second_gets_a_conflict(people, indicators):
    client, _, coordinator = people
    hate, asb = indicators
    officer_save = Session(
        client, sheet_url(hate.partnership), sheet_post({hate: "", asb: ""}, {hate: "36"})
    )

    with transaction.atomic():
        save(hate, Decimal(40), shown=services.NO_FIGURE, by=coordinator)
        officer_save.start()
        # No row to lock: the officer's insert waits on the coordinator's uncommitted one.
        wait_until_blocked(officer_save)
    response = officer_save.result()

    assert response.status_code == 200
    assert error_summary(response) == [
        "Nothing was saved. Your figure is still in its box: check it below and save again.",
        "HC 01 Hate crime: Sam Other changed it to 40 after you opened this page. "
        "Your figure (36) is still in the box: save again to use it instead, or change it.",
    ]
    stored = Actual.objects.get(indicator=hate, period=NOV_2016)
    assert (stored.value, stored.entered_by) == (40, coordinator)
    assert [(c.changed_by, c.new["value"]) for c in FigureChange.objects.all()] == [
        (coordinator, "40")
    ]


def test_two_officers_adding_the_same_figure_both_succeed_without_a_second_write(
    people, indicators
):
    client, _, coordinator = people
    hate, asb = indicators
    officer_save = Session(
        client, sheet_url(hate.partnership), sheet_post({hate: "", asb: ""}, {hate: "40"})
    )

    with transaction.atomic():
        save(hate, Decimal(40), shown=services.NO_FIGURE, by=coordinator)
        officer_save.start()
        wait_until_blocked(officer_save)
    response = officer_save.result()

    assert response.status_code == 302
    assert FigureChange.objects.get().changed_by == coordinator


def test_two_officers_changing_the_same_figure_the_second_gets_a_conflict(people, indicators):
    client, _, coordinator = people
    hate, asb = indicators
    ActualFactory(indicator=hate, period=NOV_2016, value=35)
    officer_save = Session(
        client, sheet_url(hate.partnership), sheet_post({hate: "35", asb: ""}, {hate: "36"})
    )

    with transaction.atomic():
        save(hate, Decimal(40), shown=services.Figure(Decimal(35)), by=coordinator)
        officer_save.start()
        wait_until_blocked(officer_save)  # on the coordinator's lock of the row
    response = officer_save.result()

    assert response.status_code == 200
    assert error_summary(response)[0].startswith("Nothing was saved.")
    assert error_summary(response)[1].startswith(
        "HC 01 Hate crime: Sam Other changed it to 40 after you opened this page."
    )
    assert Actual.objects.get(indicator=hate, period=NOV_2016).value == 40
    assert FigureChange.objects.get().changed_by == coordinator


def test_two_officers_changing_different_figures_both_save_without_a_conflict(people, indicators):
    client, officer, coordinator = people
    hate, asb = indicators
    ActualFactory(indicator=hate, period=NOV_2016, value=35)
    ActualFactory(indicator=asb, period=NOV_2016, value=120)
    # The officer's page showed hate crime at 35, and they change only antisocial behaviour.
    officer_save = Session(
        client, sheet_url(hate.partnership), sheet_post({hate: "35", asb: "120"}, {asb: "125"})
    )

    with transaction.atomic():
        save(hate, Decimal(40), shown=services.Figure(Decimal(35)), by=coordinator)
        officer_save.start()
        # The figures are locked one by one; the only thing the officer's save waits for is
        # the partnership's data version (indicators/data_version.py), which a save changes
        # as its last step: it goes on as soon as this transaction commits.
        wait_until_blocked(officer_save)
    response = officer_save.result()
    assert response.status_code == 302

    figures = {a.indicator: (a.value, a.entered_by) for a in Actual.objects.all()}
    assert figures == {hate: (40, coordinator), asb: (125, officer)}
    assert {c.changed_by for c in FigureChange.objects.all()} == {coordinator, officer}
