"""Two people editing or publishing the same report at once.

Each post is built from a page as the browser would send it back, so the values the page
showed (initial-*) travel with it: the interleaving is two pages opened, then posted in turn.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html

from reports import services
from reports.models import SECTION_KEYS, Report, ReportVersion
from tests.factories import IndicatorFactory, MembershipFactory, ReportFactory, UserFactory


def posted_back(response) -> dict:
    """What a browser posts from the page's report form: each named box's value."""
    form = next(f for f in html.fromstring(response.content).forms if "kind" in f.inputs)
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value.removeprefix("\n"))  # a textarea's first line end
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def box_labelled(response, label: str) -> str:
    """The name of the box with this label."""
    page = html.fromstring(response.content)
    for_id = page.xpath(
        f"//label[normalize-space()='{label}' or normalize-space()='{label} (optional)']/@for"
    )[0]
    return page.get_element_by_id(for_id).get("name")


def errors(response) -> str:
    summary = html.fromstring(response.content).xpath("//*[@class='govuk-error-summary']")
    return " ".join(summary[0].text_content().split()) if summary else ""


@pytest.fixture
def editors(partnership_a, officer_a):
    other = MembershipFactory(
        user=UserFactory(username="officer-a2"), partnership=partnership_a, role="officer"
    ).user
    first, second = Client(), Client()
    first.force_login(officer_a)
    second.force_login(other)
    return first, second


@pytest.fixture
def draft(partnership_a):
    grouped = IndicatorFactory(partnership=partnership_a, code="B 1", title="Grouped")
    ungrouped = IndicatorFactory(
        partnership=partnership_a, theme_group=None, code="A 1", title="Ungrouped"
    )
    report = ReportFactory(
        partnership=partnership_a,
        executive_summary="The original summary.",
        risks="The original risk.",
        editor_comments={str(grouped.pk): "The original comment."},
    )
    return report, grouped, ungrouped


def edit_url(report) -> str:
    return reverse("reports:edit", args=["partnership-a", report.pk])


@pytest.mark.django_db
def test_two_editors_changing_different_parts_both_keep_their_changes(editors, draft):
    (first, second), (report, grouped, ungrouped) = editors, draft
    url = edit_url(report)
    page_1, page_2 = posted_back(first.get(url)), posted_back(second.get(url))
    group = grouped.theme_group.name
    success = box_labelled(first.get(url), f"Successes and developments: {group}")
    focus = box_labelled(first.get(url), f"Focus for next quarter: {group}")

    first_post = page_1 | {
        "executive_summary": "Summary by the first.",
        focus: "Focus by the first.",
        "implication_legal": "None.",
        "signoff_legal": "Legal officer",
    }
    assert first.post(url, first_post).status_code == 302
    second_post = page_2 | {
        "risks": "Risk by the second.",
        f"comment_{ungrouped.pk}": "Comment by the second.",
        success: "Success by the second.",
    }
    assert second.post(url, second_post).status_code == 302

    report.refresh_from_db()
    assert report.executive_summary == "Summary by the first."
    assert report.risks == "Risk by the second."
    assert report.editor_comments == {
        str(grouped.pk): "The original comment.",
        str(ungrouped.pk): "Comment by the second.",
    }
    assert (report.successes[group], report.focus[group]) == (
        "Success by the second.",
        "Focus by the first.",
    )
    assert report.implications["legal"] == {"text": "None.", "officer": "Legal officer"}


@pytest.mark.django_db
def test_two_editors_changing_different_comments_both_keep_theirs(editors, draft):
    (first, second), (report, grouped, ungrouped) = editors, draft
    url = edit_url(report)
    page_1, page_2 = posted_back(first.get(url)), posted_back(second.get(url))

    first.post(url, page_1 | {f"comment_{grouped.pk}": "Changed by the first."})
    second.post(url, page_2 | {f"comment_{ungrouped.pk}": "Added by the second."})

    report.refresh_from_db()
    assert report.editor_comments == {
        str(grouped.pk): "Changed by the first.",
        str(ungrouped.pk): "Added by the second.",
    }


@pytest.mark.django_db
def test_two_editors_changing_the_same_part_the_second_is_told_and_nothing_is_written(
    editors, draft
):
    (first, second), (report, grouped, _) = editors, draft
    url = edit_url(report)
    page_1, page_2 = posted_back(first.get(url)), posted_back(second.get(url))
    first.post(
        url,
        page_1
        | {
            "executive_summary": "Summary by the first.",
            f"comment_{grouped.pk}": "Comment by the first.",
            "purpose": "decision",
        },
    )

    response = second.post(
        url,
        page_2
        | {
            "executive_summary": "Summary by the second.",
            f"comment_{grouped.pk}": "Comment by the second.",
            "risks": "Risk by the second.",
        },
    )

    assert response.status_code == 200
    assert errors(response).startswith(
        "There is a problem Someone else changed the executive summary and comment on "
        "Grouped (B 1) of this report since you opened this page."
    )
    report.refresh_from_db()
    assert report.executive_summary == "Summary by the first."
    assert report.risks == "The original risk."  # nothing of the refused post is written
    # The page keeps the second's own changes, shows the first's elsewhere, and is told
    # the first's values, so saving again replaces them.
    again = posted_back(response)
    assert again["executive_summary"] == "Summary by the second."
    assert again["initial-executive_summary"] == "Summary by the first."
    assert again["risks"] == "Risk by the second."
    assert again["purpose"] == again["initial-purpose"] == "decision"

    assert second.post(url, again).status_code == 302
    report.refresh_from_db()
    assert report.executive_summary == "Summary by the second."
    assert report.editor_comments[str(grouped.pk)] == "Comment by the second."
    assert (report.risks, report.purpose) == ("Risk by the second.", "decision")


@pytest.mark.django_db
def test_the_same_change_made_twice_is_no_conflict(editors, draft):
    (first, second), (report, _, _) = editors, draft
    url = edit_url(report)
    page_1, page_2 = posted_back(first.get(url)), posted_back(second.get(url))
    first.post(url, page_1 | {"risks": "The same risk."})

    assert second.post(url, page_2 | {"risks": "The same risk."}).status_code == 302
    report.refresh_from_db()
    assert report.risks == "The same risk."


@pytest.mark.django_db
def test_moving_a_section_keeps_anothers_hidden_section(editors, draft):
    (first, second), (report, _, _) = editors, draft
    url = edit_url(report)
    page_1, page_2 = posted_back(first.get(url)), posted_back(second.get(url))
    first.post(url, page_1 | {"shown": [k for k in page_1["shown"] if k != "definitions"]})

    second.post(url, page_2 | {"order_key_findings": "7", "order_definitions": "1"})

    report.refresh_from_db()
    assert report.sections[0] == {"key": "definitions", "shown": False}
    assert report.sections[-1] == {"key": "key_findings", "shown": True}


@pytest.mark.django_db
def test_indicators_of_no_theme_group_come_first_on_the_edit_page(client, officer_a, draft):
    report, grouped, ungrouped = draft
    client.force_login(officer_a)

    names = [n for n in posted_back(client.get(edit_url(report))) if n.startswith("comment_")]

    assert names == [f"comment_{ungrouped.pk}", f"comment_{grouped.pk}"]


# Publishing ------------------------------------------------------------------------------


def publish_url(report) -> str:
    return reverse("reports:publish", args=["partnership-a", report.pk])


def seen_on(response) -> str:
    return html.fromstring(response.content).xpath("//input[@name='seen']/@value")[0]


@pytest.mark.django_db
def test_publishing_twice_from_the_same_page_stores_one_version(editors, draft, officer_a):
    (first, second), (report, _, _) = editors, draft
    seen_1, seen_2 = (
        seen_on(first.get(publish_url(report))),
        seen_on(second.get(publish_url(report))),
    )
    assert seen_1 == seen_2 == "0"

    assert first.post(publish_url(report), {"seen": seen_1}).status_code == 302
    refused = second.post(publish_url(report), {"seen": seen_2}, follow=True)

    version = ReportVersion.objects.get(report=report)
    assert version.number == 1 and version.published_by == officer_a
    text = " ".join(refused.content.decode().split())
    assert (
        f"Version 1 was published by {officer_a.get_full_name()} at "
        f"{timezone.localtime(version.published_at):%H:%M} while you were looking at this page. "
        "Check it before publishing again." in text
    )
    assert refused.redirect_chain[-1][0] == reverse(
        "reports:detail", args=["partnership-a", report.pk]
    )


@pytest.mark.django_db
def test_publishing_again_from_a_page_showing_the_latest_version_stores_the_next(
    client, officer_a, draft
):
    report, _, _ = draft
    client.force_login(officer_a)
    client.post(publish_url(report), {"seen": seen_on(client.get(publish_url(report)))})

    seen = seen_on(client.get(publish_url(report)))
    assert seen == "1"
    assert client.post(publish_url(report), {"seen": seen, "reason": "Again"}).status_code == 302

    assert list(report.versions.values_list("number", flat=True)) == [2, 1]


@pytest.mark.django_db
def test_publish_refuses_a_later_version_than_the_one_seen_and_stores_nothing(draft):
    report, _, _ = draft
    services.report_publish(report=report, by=None, documents=False, seen=0)

    with pytest.raises(services.PublishedMeanwhile) as refused:
        services.report_publish(report=report, by=None, documents=False, seen=0)

    assert refused.value.version.number == 1
    assert report.versions.count() == 1
    # Without a version seen (the build_report command) it publishes the next.
    again = services.report_publish(report=report, by=None, reason="Again", documents=False)
    assert again.version.number == 2


@pytest.mark.django_db
def test_publish_post_without_the_version_seen_is_refused_once_one_exists(client, officer_a, draft):
    report, _, _ = draft
    services.report_publish(report=report, by=None, documents=False)
    client.force_login(officer_a)

    response = client.post(publish_url(report), follow=True)

    assert Report.objects.get(pk=report.pk).versions.count() == 1
    assert "Version 1 was published at" in response.content.decode()


@pytest.mark.django_db
def test_two_editors_of_an_overview_keep_each_others_news(admin_user, partnership_a, partnership_b):
    overview = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW)
    overview.covers.set([partnership_a, partnership_b])
    first, second = Client(), Client()
    first.force_login(admin_user)
    second.force_login(UserFactory(username="admin-2", is_staff=True, is_superuser=True))
    url = edit_url(overview)
    page_1, page_2 = posted_back(first.get(url)), posted_back(second.get(url))
    assert sorted(page_2["initial-covers"]) == sorted(
        [str(partnership_a.pk), str(partnership_b.pk)]
    )

    first.post(url, page_1 | {"introduction": "National news.", f"news_{partnership_a.pk}": "A."})
    assert second.post(url, page_2 | {f"news_{partnership_b.pk}": "B."}).status_code == 302

    overview.refresh_from_db()
    assert overview.introduction == "National news."
    assert overview.news == {str(partnership_a.pk): "A.", str(partnership_b.pk): "B."}
    assert set(overview.covers.all()) == {partnership_a, partnership_b}


@pytest.mark.django_db
def test_an_overview_offers_only_the_sections_it_prints_and_keeps_the_others(
    admin_user, partnership_a, partnership_b
):
    overview = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW)
    overview.covers.set([partnership_a, partnership_b])
    client = Client()
    client.force_login(admin_user)
    url = edit_url(overview)
    page = client.get(url)
    boxes = html.fromstring(page.content).xpath("//input[@name='shown']/@value")
    assert boxes == ["definitions"]
    assert not [name for name in posted_back(page) if name.startswith("order_")]
    assert "in order of position" not in page.content.decode()

    posted = posted_back(page)
    posted.pop("shown")  # the definitions box cleared
    assert client.post(url, posted).status_code == 302

    overview.refresh_from_db()
    shown = set(overview.shown_sections)
    assert "definitions" not in shown
    assert shown == set(SECTION_KEYS) - {"definitions"}
    assert [s["key"] for s in overview.sections] == list(SECTION_KEYS)


@pytest.mark.django_db
def test_a_partnership_report_still_offers_every_section_and_its_position(editors, draft):
    (first, _), (report, _, _) = editors, draft
    page = first.get(edit_url(report))
    boxes = html.fromstring(page.content).xpath("//input[@name='shown']/@value")
    assert boxes == list(SECTION_KEYS)
    assert len([name for name in posted_back(page) if name.startswith("order_")]) == 7
