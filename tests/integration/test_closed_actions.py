"""A closed action is complete: it reads "Complete" (its last rating kept as information),
is counted only as complete and never under a RAG rating (the risk to delivery), and is
never overdue, on the action plan pages and in the report alike."""

import copy
import csv
import datetime
import io
import re

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from actions import services, transfer
from indicators import importing
from reports import csv_rows, documents, rendering
from reports import services as report_services
from tests.factories import ReportFactory
from tests.factories.actions import ActionFactory, ActionPlanFactory, ObjectiveFactory

DAY = datetime.date


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


PAST_DUE = DAY(2016, 10, 31)


def _rated(objective, reference, description, status):
    action = ActionFactory(
        objective=objective, reference=reference, description=description, due=PAST_DUE
    )
    services.action_update_add(
        action=action, status=status, text=f"Rated {status}.", by=None, date=DAY(2016, 10, 1)
    )
    action.refresh_from_db()
    return action


def _close(action):
    action.closed = True
    action.save()


@pytest.fixture
def objective(partnership_a):
    plan = ActionPlanFactory(partnership=partnership_a, title="Community safety plan")
    return ObjectiveFactory(plan=plan, number=1, title="Reduce criminal damage")


@pytest.fixture
def closed_red(objective):
    """A red action closed, past its due date; a red one open, past its due date; a green
    one open."""
    closed = _rated(objective, "1.1", "Closed while red", "red")
    _rated(objective, "1.2", "Still red", "red")
    _rated(objective, "1.3", "On track", "green")
    _close(closed)
    return closed


# The action plan page ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_plan_page_counts_a_closed_action_only_as_complete(client, officer_a, closed_red):
    client.force_login(officer_a)

    response = client.get(reverse("actions:plan", args=["partnership-a", closed_red.plan.pk]))

    page = response.context["page"]
    counts = {c.status: (c.count, c.percent) for c in page.counts}
    assert counts["red"] == (1, 50) and counts["green"] == (1, 50)
    assert (page.total, page.open_total, page.complete, page.overdue_total) == (3, 2, 1, 1)
    text = response.content.decode()
    # The numbers visibly add up: open actions by rating, then the complete ones.
    assert "RAG ratings of the 2 open actions; 1 complete." in _words(text)
    table = _words(re.search(r'<table[^>]*id="rag-counts".*?</table>', text, re.S).group(0))
    assert "Open actions 2 100% ✓ Complete 1 All actions 3 Overdue 1" in table


@pytest.mark.django_db
def test_the_plan_page_lists_a_closed_action_as_complete_never_red(client, officer_a, closed_red):
    client.force_login(officer_a)

    text = client.get(reverse("actions:plans", args=["partnership-a"])).content.decode()

    article = re.search(rf'<article[^>]*id="action-{closed_red.pk}".*?</article>', text, re.S)
    tags = re.search(r'<p class="app-action__tags">(.*?)</p>', article.group(0)).group(1)
    assert _words(tags) == "✓ Complete (last rated Red)"  # past due, yet not overdue
    assert 'data-status="complete"' in article.group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("status, shown", [("red", ["1.2"]), ("complete", ["1.1"])])
def test_the_plan_page_filters_as_it_counts(client, officer_a, closed_red, status, shown):
    client.force_login(officer_a)

    page = client.get(reverse("actions:plans", args=["partnership-a"]), {"status": status})

    rows = [r for b in page.context["page"].plans for o in b.objectives for r in o.rows]
    assert [r.action.reference for r in rows] == shown


# The report --------------------------------------------------------------------------


@pytest.fixture
def report_after_closings(partnership_a, objective):
    """A report published once; since then an action red then was closed with no new
    rating, and one amber then was rated green and closed; one red action stays open."""
    was_red = _rated(objective, "1.1", "Closed while red", "red")
    was_amber = _rated(objective, "1.2", "Finished", "amber")
    _rated(objective, "1.3", "Still red", "red")
    report = ReportFactory(partnership=partnership_a)
    report_services.report_publish(report=report, by=None)
    _close(was_red)
    services.action_update_add(
        action=was_amber, status="green", text="Done.", by=None, date=timezone.localdate()
    )
    was_amber.refresh_from_db()
    _close(was_amber)
    return report


@pytest.mark.django_db
def test_the_report_counts_ratings_of_open_actions_and_closings_as_complete(
    report_after_closings,
):
    snapshot = report_services.report_snapshot(report_after_closings)

    a = snapshot["actions"]
    assert [(r["key"], r["count"], r["pct"]) for r in a["rag_counts"]] == [
        ("red", 1, "100"),
        ("amber", 0, "0"),
        ("green", 0, "0"),
        ("not_started", 0, "0"),
    ]
    assert (a["total"], a["open_total"], a["complete_total"]) == (3, 1, 2)
    assert [(r["label"], r["count"]) for r in a["progress_counts"]] == [
        ("Complete", 2),
        ("In progress", 1),
    ]
    today = timezone.localdate().isoformat()
    assert [(c["title"], c["old"], c["new"], c["closed_on"]) for c in a["status_changes"]] == [
        ("1.1 Closed while red", "Red", "Complete", today),
        ("1.2 Finished", "Amber", "Complete (last rated Green)", today),
    ]
    assert [o["reference"] for o in a["overdue"]] == ["1.3"]  # closed is never overdue

    words = _words(rendering.render_document(snapshot))
    assert (
        "RAG ratings (red, amber, green: the risk to delivery) of the 1 action in progress; "
        "not rated: 2 complete"
    ) in words
    day = timezone.localdate()
    on = f"closed on {day.day} {day:%B %Y}"
    assert f"1.1 Closed while red: Red to Complete, {on}. Rated red." not in words
    assert f"1.1 Closed while red: Red to Complete, {on}" in words
    assert f"1.2 Finished: Amber to Complete (last rated Green), {on}. Done." in words
    assert "Two actions have changed status since the last report" in words
    # Listed once, among the changes: not again under "Closed since the last report".
    assert "Closed since the last report" not in words

    rows = {r["figure"]: r["value"] for r in csv_rows.action_rows(a)}
    assert rows["actions_rag_red_count"] == 1
    assert rows["actions_progress_complete_count"] == 2
    assert rows["actions_open"] == 1
    assert rows["actions_closed_since_last_report"] == 2
    assert rows["actions_reopened_since_last_report"] == 0
    # New rows go last, in the order they were added.
    added = ["actions_open", "actions_reopened_since_last_report", "actions_in_progress"]
    figures = list(rows)
    assert [figures.index(f) for f in added] == sorted(figures.index(f) for f in added)
    assert figures.index("actions_overdue") < figures.index("actions_open")
    assert figures[-1].startswith("actions_rated_")


@pytest.mark.django_db
def test_the_draft_preview_reads_complete_for_an_action_closed_since(
    client, officer_a, report_after_closings
):
    client.force_login(officer_a)
    url = reverse("reports:preview", args=["partnership-a", report_after_closings.pk])

    words = _words(client.get(url).content.decode())

    assert "1.1 Closed while red: Red to Complete, closed on" in words
    assert "the risk to delivery) of the 1 action in progress" in words


@pytest.mark.django_db
def test_a_snapshot_published_before_renders_as_it_did(report_after_closings):
    """A version published before the change keeps its words: counts of every action and
    closings listed apart (its stored page is served as stored; this is its snapshot)."""
    snapshot = copy.deepcopy(report_services.report_snapshot(report_after_closings))
    a = snapshot["actions"]
    for key in ("open_total", "complete_total", "closings_in_changes", "reopened_since"):
        del a[key]
    for key in ("rated_counts", "rated_total", "not_started_total", "rated_rounding_note"):
        del a[key]
    for change in a["status_changes"]:
        del change["closed_on"], change["reopened_on"]

    words = _words(rendering.render_document(snapshot))

    assert "Actions by status: the red, amber, green (RAG) rating of the risk to delivery" in words
    assert "RAG ratings" not in words
    assert "Closed since the last report: 1.1 Closed while red (closed on" in words
    figures = {r["figure"] for r in csv_rows.action_rows(a)}
    assert "actions_open" not in figures
    assert "actions_reopened_since_last_report" not in figures


# Reopened since the last report ------------------------------------------------------


def _closed(action, closed=True):
    """Closed or reopened on the action's page: its history records who did so and when."""
    services.action_save(
        plan=action.plan, by=None, action=action, edits={"closed": (not closed, closed)}
    )
    action.refresh_from_db()
    return action


@pytest.fixture
def report_after_reopenings(partnership_a, objective):
    """A report published once, when 1.1, 1.2 and 1.3 were closed (1.1 and 1.3 red, 1.2
    before any rating) and 1.4 was open and amber. Since then 1.1 was reopened as it was
    rated, 1.2 reopened and rated amber, 1.3 reopened and closed again, and 1.4 closed and
    reopened."""
    as_rated = _closed(_rated(objective, "1.1", "Reopened as rated", "red"))
    rerated = _closed(ActionFactory(objective=objective, reference="1.2", description="Rerated"))
    again = _closed(_rated(objective, "1.3", "Closed again", "red"))
    there_and_back = _rated(objective, "1.4", "Closed and reopened since", "amber")
    report = ReportFactory(partnership=partnership_a)
    report_services.report_publish(report=report, by=None)
    _closed(as_rated, False)
    _closed(rerated, False)
    services.action_update_add(
        action=rerated, status="amber", text="Started late.", by=None, date=timezone.localdate()
    )
    _closed(_closed(again, False))
    _closed(_closed(there_and_back), False)
    return report


@pytest.mark.django_db
def test_an_action_reopened_since_the_last_report_is_a_change_from_complete(
    report_after_reopenings,
):
    snapshot = report_services.report_snapshot(report_after_reopenings)

    a = snapshot["actions"]
    today = timezone.localdate().isoformat()
    changes = [(c["title"], c["old"], c["new"], c["reopened_on"]) for c in a["status_changes"]]
    # Complete at the last report and at this one (1.3), or open at both with its rating
    # as it was (1.4): no change.
    assert changes == [
        ("1.1 Reopened as rated", "Complete", "Red", today),
        ("1.2 Rerated", "Complete", "Amber", today),
    ]
    assert all(c["closed_on"] is None for c in a["status_changes"])
    assert a["reopened_since"] == [
        {"title": "1.1 Reopened as rated", "date": today},
        {"title": "1.2 Rerated", "date": today},
    ]
    assert (a["open_total"], a["complete_total"], a["closed_since"]) == (3, 1, [])

    words = _words(rendering.render_document(snapshot))
    day = timezone.localdate()
    on = f"reopened on {day.day} {day:%B %Y}"
    assert "Two actions have changed status since the last report" in words
    assert f"1.1 Reopened as rated: Complete to Red, {on}" in words
    assert f"1.1 Reopened as rated: Complete to Red, {on}. Rated red." not in words
    assert f"1.2 Rerated: Complete to Amber, {on}. Started late." in words
    assert "1.3 Closed again:" not in words and "1.4 Closed and reopened since:" not in words

    rows = {r["figure"]: r["value"] for r in csv_rows.action_rows(a)}
    assert rows["actions_status_changes"] == 2
    assert rows["actions_closed_since_last_report"] == 0
    assert rows["actions_reopened_since_last_report"] == 2
    # A new row goes last, before those of the RAG table as printed (added later).
    figures = list(rows)
    assert figures.index("actions_reopened_since_last_report") + 1 == figures.index(
        "actions_in_progress"
    )


@pytest.mark.django_db
def test_a_reopened_action_keeps_the_rating_it_was_complete_with_where_it_changed(
    partnership_a, objective
):
    action = _closed(_rated(objective, "1.1", "Slipped", "green"))
    report = ReportFactory(partnership=partnership_a)
    report_services.report_publish(report=report, by=None)
    _closed(action, False)
    services.action_update_add(
        action=action, status="red", text="Slipped.", by=None, date=timezone.localdate()
    )

    a = report_services.report_snapshot(report)["actions"]

    assert [(c["old"], c["new"], c["update"]) for c in a["status_changes"]] == [
        ("Complete (last rated Green)", "Red", "Slipped.")
    ]


@pytest.mark.django_db
def test_the_draft_preview_word_and_report_csv_give_an_action_reopened_since(
    client, officer_a, report_after_reopenings
):
    client.force_login(officer_a)
    args = ["partnership-a", report_after_reopenings.pk]

    words = _words(client.get(reverse("reports:preview", args=args)).content.decode())
    report_services.report_publish(
        report=report_after_reopenings, by=None, reason="Actions reopened", documents=False
    )
    version = report_after_reopenings.versions.get(number=2)
    word = docx.Document(io.BytesIO(documents.render_docx(version.html, title="T", charts={})))

    day = timezone.localdate()
    line = f"1.1 Reopened as rated: Complete to Red, reopened on {day.day} {day:%B %Y}"
    assert line in words
    assert line in [p.text for p in word.paragraphs]
    rows = {r["figure"]: r["value"] for r in csv.DictReader(io.StringIO(version.csv))}
    assert rows["actions_reopened_since_last_report"] == "2"


@pytest.mark.django_db
def test_the_report_rates_actions_in_progress_and_gives_the_progress_of_overdue_ones(
    partnership_a, objective
):
    """Review finding: the action plan's RAG table was headed "Status", with a "Not started"
    row (a progress, not a rating), and Appendix C's "Status" column gave Red or Amber with
    no progress. The RAG table rates the actions in progress; the overdue ones give both."""
    _rated(objective, "1.1", "Slipping", "red")
    _rated(objective, "1.2", "At risk", "amber")
    ActionFactory(objective=objective, reference="1.3", description="Waiting", due=PAST_DUE)
    snapshot = report_services.report_snapshot(ReportFactory(partnership=partnership_a))
    html = rendering.render_document(snapshot)
    word = docx.Document(io.BytesIO(documents.render_docx(html, title="T", charts={})))

    words = _words(html)
    assert "1 (33%) not started" in words  # the progress sentence
    table = html[html.index('aria-label="RAG ratings of actions"') :].split("</table>")[0]
    assert _words(table.split(">", 1)[1]).startswith(
        "RAG ratings (red, amber, green: the risk to delivery) of the 2 actions in progress; "
        "not rated: 1 not started RAG rating (risk to delivery) Actions in progress"
    )
    assert "Not started" not in table and "Status" not in table
    overdue = _words(html[html.index('aria-label="Overdue actions"') :].split("</table>")[0])
    assert "Due Progress RAG rating (risk to delivery)" in overdue
    assert "31 October 2016 In progress R Red" in overdue
    assert "31 October 2016 Not started Not rated" in overdue
    headers = [[c.text for c in t.rows[0].cells] for t in word.tables]
    assert ["Action", "Lead", "Due", "Progress", "RAG rating (risk to delivery)"] in headers


# Closed by an import -----------------------------------------------------------------


def _import_closing(partnership, closings: dict[str, str], folder):
    """actions.csv as exported, with the actions named (by reference) closed on the day
    given ("" for today, as a blank closed_on is)."""
    columns = transfer.COLUMNS["actions"]
    rows = [dict(zip(columns, row, strict=True)) for row in transfer.export_actions(partnership)]
    for row in rows:
        if row["reference"] in closings:
            row["closed"], row["closed_on"] = "yes", closings[row["reference"]]
    with (folder / "actions.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows(rows)
    importing.import_path(folder, by=None, scope=None, source="import")


@pytest.mark.django_db
@pytest.mark.parametrize("days_before", [None, 0, 3])
def test_an_action_an_import_closes_after_a_report_is_a_change_since(
    partnership_a, objective, tmp_path, days_before
):
    """Review finding: an action closed by actions.csv with closed_on (today, or the day
    it was really done, before the report was published) was no status change since: the
    day it was closed was compared with the moment of publishing. Its closing record says
    when the site learnt of it; the report gives the day declared."""
    _rated(objective, "1.1", "Patrols", "red")
    report = ReportFactory(partnership=partnership_a)
    report_services.report_publish(report=report, by=None)
    today = timezone.localdate()
    day = today if days_before is None else today - datetime.timedelta(days=days_before)
    closed_on = "" if days_before is None else day.isoformat()
    _import_closing(partnership_a, {"1.1": closed_on}, tmp_path)

    a = report_services.report_snapshot(report)["actions"]

    assert [(c["title"], c["old"], c["new"], c["closed_on"]) for c in a["status_changes"]] == [
        ("1.1 Patrols", "Red", "Complete", day.isoformat())
    ]
    assert a["closed_since"] == [{"title": "1.1 Patrols", "date": day.isoformat()}]
    words = _words(rendering.render_document(report_services.report_snapshot(report)))
    assert f"1.1 Patrols: Red to Complete, closed on {day.day} {day:%B %Y}" in words


@pytest.mark.django_db
def test_an_earlier_plans_action_an_import_closes_after_a_report_is_still_reported(
    partnership_a, tmp_path
):
    """Review finding: carried over from an earlier year's plan, it dropped out of the
    report altogether once closed by an import with closed_on."""
    earlier = ActionPlanFactory(partnership=partnership_a, title="Old plan", financial_year=2015)
    _rated(ObjectiveFactory(plan=earlier), "1.1", "Patrols", "amber")
    report = ReportFactory(partnership=partnership_a)
    report_services.report_publish(report=report, by=None)
    _import_closing(partnership_a, {"1.1": timezone.localdate().isoformat()}, tmp_path)

    a = report_services.report_snapshot(report)["actions"]

    assert (a["carried"], [c["title"] for c in a["closed_since"]]) == (1, ["1.1 Patrols"])
