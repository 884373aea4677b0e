"""Who may read reports beyond the role x URL matrix (tests/integration/test_permissions.py).

Drafts never reach panel members, anyone outside the partnership, or the public; published
reports reach anonymous readers only when the partnership makes them public.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from indicators import services as figure_services
from indicators.models import Indicator
from reports import services
from reports.models import Report, ReportVersion
from tests.factories import ReportFactory
from tests.factories.series import hate_crime_indicator

PUBLISHED, LIVE, EDIT = "published", "live", "edit"
# PDF and Word files are not made in these tests (settings.REPORTS_MAKE_DOCUMENTS).
FILES = 404

# (name, args builder, access needed, status when allowed). "report" is published, "draft" not.
VIEWS = [
    ("reports:list", lambda w: [w["p"].slug], PUBLISHED, 200),
    ("reports:detail", lambda w: [w["p"].slug, w["report"].pk], PUBLISHED, 200),
    ("reports:version", lambda w: [w["p"].slug, w["report"].pk, 1], PUBLISHED, 200),
    ("reports:csv", lambda w: [w["p"].slug, w["report"].pk], PUBLISHED, 200),
    ("reports:pdf", lambda w: [w["p"].slug, w["report"].pk], PUBLISHED, FILES),
    ("reports:docx", lambda w: [w["p"].slug, w["report"].pk], PUBLISHED, FILES),
    ("reports:create", lambda w: [w["p"].slug], EDIT, 200),
    ("reports:edit", lambda w: [w["p"].slug, w["draft"].pk], EDIT, 200),
    ("reports:preview", lambda w: [w["p"].slug, w["draft"].pk], LIVE, 200),
    ("reports:publish", lambda w: [w["p"].slug, w["draft"].pk], EDIT, 200),
    ("reports:detail", lambda w: [w["p"].slug, w["draft"].pk], LIVE, 302),
]
IDS = [f"{v[0]}-{'draft' if 'draft' in v[1].__code__.co_names else 'published'}" for v in VIEWS]
IDS = [f"{name}{i}" for i, name in enumerate(IDS)]

USERS = {
    "admin_user": {PUBLISHED, LIVE, EDIT},
    "officer_a": {PUBLISHED, LIVE, EDIT},
    "panel_a": {PUBLISHED},
    "officer_b": set(),
    "outsider": set(),
}
SECRET = b"Secret draft title"


@pytest.fixture
def world(partnership_a):
    hate_crime_indicator(partnership_a)
    report = ReportFactory(partnership=partnership_a, title="Published update")
    services.report_publish(report=report, by=None)
    draft = ReportFactory(partnership=partnership_a, title="Secret draft title")
    return {"p": partnership_a, "report": report, "draft": draft}


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", list(USERS))
def test_draft_report_page_reaches_editors_only(client, request, world, user_fixture):
    """The role x URL matrix is in test_permissions.py; a draft's own page is checked here."""
    client.force_login(request.getfixturevalue(user_fixture))

    response = client.get(reverse("reports:detail", args=[world["p"].slug, world["draft"].pk]))

    if LIVE in USERS[user_fixture]:
        assert response.status_code == 302
        assert response["Location"].endswith("/preview/")
    else:
        assert response.status_code == 404
        assert SECRET not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name, build, access, ok_status", VIEWS, ids=IDS)
def test_public_reports_reach_anonymous_readers_but_drafts_never(
    client, world, name, build, access, ok_status
):
    world["p"].reports_public = True
    world["p"].save()

    response = client.get(reverse(name, args=build(world)))

    if access == PUBLISHED:
        assert response.status_code == ok_status
    else:
        assert response.status_code in (302, 404)
        assert SECRET not in response.content
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_public_report_list_shows_no_drafts(client, world):
    world["p"].reports_public = True
    world["p"].save()

    response = client.get(reverse("reports:list", args=[world["p"].slug]))

    assert b"Published update" in response.content
    assert SECRET not in response.content


@pytest.mark.django_db
def test_panel_member_list_shows_published_only(client, world, panel_a):
    client.force_login(panel_a)

    response = client.get(reverse("reports:list", args=[world["p"].slug]))

    assert b"Published update" in response.content
    assert SECRET not in response.content
    assert b"Create a report" not in response.content


@pytest.mark.django_db
def test_officer_list_shows_drafts_too(client, world, officer_a):
    client.force_login(officer_a)

    response = client.get(reverse("reports:list", args=[world["p"].slug]))

    assert SECRET in response.content
    assert b"Draft" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["panel_a", "officer_b", "outsider", None])
def test_refused_users_write_nothing(client, request, world, user_fixture):
    if user_fixture:
        client.force_login(request.getfixturevalue(user_fixture))
    slug, draft = world["p"].slug, world["draft"]

    client.post(reverse("reports:publish", args=[slug, draft.pk]))
    client.post(reverse("reports:edit", args=[slug, draft.pk]), {"title": "Changed"})
    client.post(
        reverse("reports:create", args=[slug]),
        {
            "title": "New",
            "period": "2016-11",
            "meeting_kind": "board",
            "meeting_date": "2017-01-01",
        },
    )

    assert not ReportVersion.objects.filter(report=draft).exists()
    assert Report.objects.get(pk=draft.pk).title == "Secret draft title"
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_another_partnerships_report_is_not_found(client, world, partnership_b, officer_b):
    client.force_login(officer_b)

    response = client.get(reverse("reports:detail", args=[partnership_b.slug, world["report"].pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_exempt_report_never_reaches_the_public(client, world, panel_a):
    world["p"].reports_public = True
    world["p"].save()
    Report.objects.filter(pk=world["report"].pk).update(exempt=True, exempt_paragraph="3")
    slug, pk = world["p"].slug, world["report"].pk

    listed = client.get(reverse("reports:list", args=[slug]))
    page = client.get(reverse("reports:detail", args=[slug, pk]))
    csv = client.get(reverse("reports:csv", args=[slug, pk]))

    assert b"Published update" not in listed.content
    assert (page.status_code, csv.status_code) == (404, 404)
    client.force_login(panel_a)
    assert client.get(reverse("reports:detail", args=[slug, pk])).status_code == 200


@pytest.mark.django_db
def test_a_report_made_exempt_after_a_public_read_leaves_the_public_page(client, world, officer_a):
    world["p"].reports_public = True
    world["p"].save()
    slug, pk = world["p"].slug, world["report"].pk
    url = reverse("reports:detail", args=[slug, pk])
    assert client.get(url).status_code == 200  # read by the public, and kept

    report = Report.objects.get(pk=pk)
    report.exempt, report.exempt_paragraph = True, "3"
    services.report_save(report=report, by=officer_a)  # what the edit form does

    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:version", args=[slug, pk, 1])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["member", "public"])
def test_the_public_never_gets_an_exempt_version_a_member_read_first(
    client, world, panel_a, officer_a, first
):
    """Review finding: version 2 was published exempt, then the draft made public again.
    After a panel member read the latest (version 2), the public's latest (version 1)
    came with version 2's stored body, exempt content and all; and the other way round."""
    world["p"].reports_public = True
    world["p"].save()
    report = Report.objects.get(pk=world["report"].pk)
    report.exempt, report.exempt_paragraph = True, "3"
    services.report_save(report=report, by=officer_a)
    services.report_publish(report=report, by=officer_a, reason="Exempt")  # version 2, exempt
    report.exempt, report.exempt_paragraph = False, ""
    services.report_save(report=report, by=officer_a)
    url = reverse("reports:detail", args=[world["p"].slug, report.pk])
    member = Client()
    member.force_login(panel_a)
    exempt_words = b"Exempt under paragraph 3"

    reads = [member, client] if first == "member" else [client, member]
    for reader in reads + reads:
        page = reader.get(url).content
        if reader is client:
            assert b"Version 1" in page and exempt_words not in page
        else:
            assert b"Version 2" in page and exempt_words in page


@pytest.fixture
def overview(partnership_a, partnership_b, admin_user):
    """An overview of partnerships A and B, made by staff, with B's live figures in it."""
    hate_crime_indicator(partnership_a)
    hate_crime_indicator(partnership_b, code="B 99", title="B's unpublished indicator")
    report = ReportFactory(partnership=partnership_a, kind=Report.Kind.OVERVIEW, title="Overview")
    report.covers.set([partnership_a, partnership_b])
    return report


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reports:preview", "reports:edit", "reports:publish"])
def test_an_overview_draft_is_closed_to_an_officer_of_only_some_partnerships(
    client, overview, officer_a, name
):
    client.force_login(officer_a)

    response = client.get(reverse(name, args=[overview.partnership.slug, overview.pk]))

    assert response.status_code == 404
    assert b"unpublished indicator" not in response.content


@pytest.mark.django_db
def test_an_officer_of_only_some_partnerships_cannot_publish_an_overview(
    client, overview, officer_a
):
    client.force_login(officer_a)

    response = client.post(
        reverse("reports:publish", args=[overview.partnership.slug, overview.pk])
    )
    edited = client.post(
        reverse("reports:edit", args=[overview.partnership.slug, overview.pk]),
        {"title": "Changed"},
    )

    assert (response.status_code, edited.status_code) == (404, 404)
    assert not ReportVersion.objects.filter(report=overview).exists()
    assert Report.objects.get(pk=overview.pk).title == "Overview"


@pytest.mark.django_db
def test_the_list_shows_an_officer_only_the_overviews_they_may_open(
    client, overview, officer_a, admin_user
):
    client.force_login(officer_a)
    url = reverse("reports:list", args=[overview.partnership.slug])
    assert b"Overview" not in client.get(url).content  # a draft they may not open

    services.report_publish(report=overview, by=admin_user)
    listed = client.get(url).content.decode()
    page = client.get(reverse("reports:detail", args=[overview.partnership.slug, overview.pk]))

    assert "Overview" in listed  # published: theirs to read, not to edit
    assert reverse("reports:edit", args=[overview.partnership.slug, overview.pk]) not in listed
    assert page.status_code == 200
    assert reverse("reports:edit", args=[overview.partnership.slug, overview.pk]) not in (
        page.content.decode()
    )


@pytest.mark.django_db
def test_an_officer_of_every_covered_partnership_opens_the_overview(
    client, overview, officer_a, partnership_b
):
    from csp_portal.core.models import Membership

    membership = Membership.objects.filter(user=officer_a).first()
    Membership.objects.create(
        user=officer_a,
        partnership=partnership_b,
        organisation=membership.organisation,
        role=Membership.Role.OFFICER,
    )
    client.force_login(officer_a)

    response = client.get(reverse("reports:preview", args=[overview.partnership.slug, overview.pk]))

    assert response.status_code == 200
    assert b"unpublished indicator" in response.content


OVERVIEW_URLS = ["reports:detail", "reports:csv"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", OVERVIEW_URLS)
def test_a_public_partnerships_overview_of_one_not_public_stays_with_members(
    client, overview, admin_user, partnership_b, name
):
    """Review finding: an overview filed under a partnership whose reports are public
    showed a partnership whose reports are not (B's figures, 1,381 CSV rows) to anyone
    signed out. It reaches the public only when every partnership it covers is public."""
    services.report_publish(report=overview, by=admin_user)
    overview.partnership.reports_public = True
    overview.partnership.save()
    url = reverse(name, args=[overview.partnership.slug, overview.pk])
    listed = reverse("reports:list", args=[overview.partnership.slug])

    closed, closed_list = client.get(url), client.get(listed).content
    partnership_b.reports_public = True
    partnership_b.save()
    opened, opened_list = client.get(url), client.get(listed).content
    partnership_b.reports_public = False
    partnership_b.save()
    closed_again = client.get(url)

    assert (closed.status_code, opened.status_code, closed_again.status_code) == (404, 200, 404)
    assert b"unpublished indicator" not in closed.content + closed_again.content
    assert b"Overview" not in closed_list and b"Overview" in opened_list


@pytest.mark.django_db
def test_a_public_overview_stays_public_to_members_of_its_partnership(
    client, overview, admin_user, panel_a
):
    services.report_publish(report=overview, by=admin_user)
    client.force_login(panel_a)

    response = client.get(reverse("reports:detail", args=[overview.partnership.slug, overview.pk]))

    assert response.status_code == 200


# The notice of figures revised since publishing -------------------------------------------
# Every reader is told which figures were revised; the figure now is a live figure, shown
# only to a reader who may read that partnership's live figures (Access.LIVE).

OCT_2016 = datetime.date(2016, 10, 1)
WITHHELD = "Revised since publication"


def _revise(indicator, value, period=OCT_2016):
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(indicator, period, Decimal(value))],
        by=None,
        reason="late crimes added by police",
    )


def _notice(response) -> str:
    """The revision notice's text as it reads (the page around the stored report)."""
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="revised-title"')
    return " ".join(re.sub(r"<[^>]+>", " ", page[start : page.index("</table>", start)]).split())


@pytest.fixture
def revised(world):
    """The published report's October 2016 hate crime figure (as published: 42), now 98,765."""
    _revise(world["p"].indicators.get(code="SP 09"), 98765)
    return reverse("reports:detail", args=[world["p"].slug, world["report"].pk])


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["admin_user", "officer_a", "panel_a", None])
def test_the_figure_now_of_a_revision_reaches_live_readers_only(
    client, request, world, revised, user_fixture
):
    """Review finding: the notice showed every reader the live figure ("As published 169,
    Now 999"), the public included where reports are public."""
    world["p"].reports_public = True
    world["p"].save()
    if user_fixture:
        client.force_login(request.getfixturevalue(user_fixture))

    notice = _notice(client.get(revised))

    assert "Police recorded hate crime (SP 09) October 2016 42" in notice
    if user_fixture and LIVE in USERS[user_fixture]:
        assert "98,765" in notice and WITHHELD not in notice
    else:
        assert "98,765" not in notice and "98765" not in notice
        assert f"October 2016 42 {WITHHELD}" in notice
        assert (
            "Officers can see the figures now; the partnership may publish a new version "
            "with them." in notice
        )


@pytest.mark.django_db
def test_an_overviews_notice_shows_each_partnerships_figure_now_to_its_live_readers(
    client, overview, admin_user, officer_a, panel_a
):
    """Review finding: A's panel member read B's new, unpublished figure in the notice of
    an overview filed in A covering B. Each figure now goes to who may read its own
    partnership's live figures: A's officer reads A's, not B's."""
    services.report_publish(report=overview, by=admin_user, documents=False)
    _revise(overview.partnership.indicators.get(code="SP 09"), 87654)
    _revise(Indicator.objects.get(code="B 99"), 98765)
    url = reverse("reports:detail", args=[overview.partnership.slug, overview.pk])
    seen = {}
    for name, user in [("panel_a", panel_a), ("officer_a", officer_a), ("admin", admin_user)]:
        client.force_login(user)
        notice = _notice(client.get(url))
        seen[name] = ("87,654" in notice, "98,765" in notice, notice.count(WITHHELD))

    assert seen == {
        "panel_a": (False, False, 2),
        "officer_a": (True, False, 1),
        "admin": (True, True, 0),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["panel_a", None])
def test_a_revised_figure_reaches_no_other_published_page(
    client, request, world, revised, user_fixture
):
    """The version's CSV is the one stored when it was published, and the list of reports
    and of versions says nothing of figures changed since (its "Draft changed since" tag
    is for editors)."""
    world["p"].reports_public = True
    world["p"].save()
    if user_fixture:
        client.force_login(request.getfixturevalue(user_fixture))
    slug, pk = world["p"].slug, world["report"].pk
    stored = ReportVersion.objects.get(report=world["report"]).csv

    csv = client.get(reverse("reports:csv", args=[slug, pk]))
    version = client.get(reverse("reports:version", args=[slug, pk, 1]))
    listed = client.get(reverse("reports:list", args=[slug]))

    assert csv.content.decode() == stored and "98765" not in stored
    assert b"98,765" not in version.content
    assert b"Draft changed since" not in listed.content and b"98,765" not in listed.content


# What a refused reader is told ----------------------------------------------------------

EDITORS_PAGES = ["reports:edit", "reports:preview", "reports:publish"]
MISSING = 999999  # no report has this id


def _body(response) -> str:
    """The page as a reader meets it, less what differs from one request to the next."""
    varying = r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"'
    return re.sub(varying, "", response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("name", EDITORS_PAGES)
def test_a_panel_member_on_a_report_editors_page_is_told_whose_it_is(client, world, panel_a, name):
    # It was "Page not found ... may have moved or been removed".
    client.force_login(panel_a)
    slug = world["p"].slug

    draft = client.get(reverse(name, args=[slug, world["draft"].pk]))
    missing = client.get(reverse(name, args=[slug, MISSING]))

    assert draft.status_code == missing.status_code == 403
    page = _body(draft)
    # The same answer whether or not there is such a report: no draft is revealed.
    assert page == _body(missing)
    assert SECRET not in draft.content
    assert "Only the partnership's officers and coordinator can write reports or read " in page
    assert f'href="{reverse("reports:list", args=[slug])}"' in page


@pytest.mark.django_db
def test_a_panel_member_creating_a_report_is_told_whose_page_it_is(client, world, panel_a):
    client.force_login(panel_a)

    response = client.get(reverse("reports:create", args=[world["p"].slug]))

    assert response.status_code == 403
    assert b"can write reports or read drafts" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*EDITORS_PAGES, "reports:detail"])
def test_someone_outside_the_partnership_is_still_told_nothing(client, world, officer_b, name):
    client.force_login(officer_b)

    response = client.get(reverse(name, args=[world["p"].slug, world["draft"].pk]))

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"officers and coordinator" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("public", [False, True])
def test_a_draft_reads_to_a_reader_as_no_report_at_all(client, world, panel_a, public):
    # A panel member (or, where reports are public, anyone) asking for a draft's page is
    # told where the published reports are, in the words a report that is not there gets.
    world["p"].reports_public = public
    world["p"].save()
    if not public:
        client.force_login(panel_a)
    slug = world["p"].slug

    draft = client.get(reverse("reports:detail", args=[slug, world["draft"].pk]))
    missing = client.get(reverse("reports:detail", args=[slug, MISSING]))
    no_version = client.get(reverse("reports:version", args=[slug, world["report"].pk, 9]))

    assert draft.status_code == missing.status_code == no_version.status_code == 404
    page = _body(draft)
    assert page == _body(missing) == _body(no_version)
    assert SECRET not in draft.content
    assert "There is no published report at this address" in page
    assert f'href="{reverse("reports:list", args=[slug])}"' in page


@pytest.mark.django_db
def test_sign_in_from_a_report_says_who_reads_reports_and_where_else_to_look(client, world):
    # A member of the public following a link from a council agenda was told only that
    # their sign-in had ended.
    pk = world["report"].pk
    asked = client.get(reverse("reports:detail", args=[world["p"].slug, pk]))
    nowhere = client.get(reverse("reports:detail", args=["no-such-partnership", pk]))

    pages = [_body(client.get(r["Location"])) for r in (asked, nowhere)]

    # Nothing says whether the partnership, or the report, is there.
    assert pages[0].replace("partnership-a", "") == pages[1].replace("no-such-partnership", "")
    page = pages[0]
    assert "Reports on this site are for the members of a partnership" in page
    assert "look for the report in the papers of the meeting it went to" in page
    assert "sign-in has ended" not in page.lower()
    assert "Partnership A" not in page


# An overview read under the partnerships it covers -----------------------------------------
# Filed under one partnership, an overview is listed and read under every partnership it
# covers, by that partnership's readers of published reports: never a draft, and never by
# the public there (they read it under the partnership it is filed under, as before).

COVERED_URLS = [
    ("reports:detail", lambda o: [o.pk], 200),
    ("reports:version", lambda o: [o.pk, 1], 200),
    ("reports:csv", lambda o: [o.pk], 200),
    ("reports:pdf", lambda o: [o.pk], FILES),
    ("reports:docx", lambda o: [o.pk], FILES),
]
COVERED_IDS = [name for name, _, _ in COVERED_URLS]


def _member(partnership, username, role):
    from tests.factories import MembershipFactory, UserFactory

    return MembershipFactory(
        user=UserFactory(username=username), partnership=partnership, role=role
    ).user


@pytest.fixture
def panel_b(partnership_b):
    return _member(partnership_b, "panel-b", "panel_member")


@pytest.fixture
def partnership_c(db):
    from tests.factories import PartnershipFactory

    return PartnershipFactory(name="Partnership C", slug="partnership-c")


@pytest.fixture
def panel_c(partnership_c):
    return _member(partnership_c, "panel-c", "panel_member")


@pytest.mark.django_db
@pytest.mark.parametrize("name, build, ok_status", COVERED_URLS, ids=COVERED_IDS)
@pytest.mark.parametrize("user_fixture", ["panel_b", "officer_b"])
def test_a_covered_partnerships_readers_read_a_published_overview_under_it(
    client, request, overview, admin_user, user_fixture, name, build, ok_status
):
    """Review finding: an overview filed under Gateshead covering six partnerships was
    listed and read only under Gateshead: North Tyneside's panel could not read it."""
    client.force_login(request.getfixturevalue(user_fixture))
    url = reverse(name, args=["partnership-b", *build(overview)])
    assert client.get(url).status_code == 404  # a draft: never

    services.report_publish(report=overview, by=admin_user)
    response = client.get(url)

    assert response.status_code == ok_status
    if name in ("reports:detail", "reports:version"):
        page = response.content.decode()
        assert "unpublished indicator" in page  # B's own figures, and A's beside them
        assert "by Partnership A" in page or "of Partnership A" in page
        assert reverse("reports:edit", args=["partnership-b", overview.pk]) not in page
        assert reverse("reports:csv", args=["partnership-b", overview.pk]) in page


@pytest.mark.django_db
@pytest.mark.parametrize("name, build, ok_status", COVERED_URLS, ids=COVERED_IDS)
def test_an_overview_is_not_read_under_a_partnership_it_does_not_cover(
    client, overview, admin_user, panel_c, name, build, ok_status
):
    services.report_publish(report=overview, by=admin_user)
    client.force_login(panel_c)

    own = client.get(reverse(name, args=["partnership-c", *build(overview)]))
    covered = client.get(reverse(name, args=["partnership-b", *build(overview)]))

    assert (own.status_code, covered.status_code) == (404, 404)
    assert b"unpublished indicator" not in own.content + covered.content


@pytest.mark.django_db
@pytest.mark.parametrize("name, build, ok_status", COVERED_URLS, ids=COVERED_IDS)
def test_the_public_reads_an_overview_only_under_the_partnership_it_is_filed_under(
    client, overview, admin_user, partnership_a, partnership_b, name, build, ok_status
):
    services.report_publish(report=overview, by=admin_user)
    for partnership in (partnership_a, partnership_b):
        partnership.reports_public = True
        partnership.save()

    filed = client.get(reverse(name, args=["partnership-a", *build(overview)]))
    covered = client.get(reverse(name, args=["partnership-b", *build(overview)]))

    assert (filed.status_code, covered.status_code) == (ok_status, 404)
    assert b"unpublished indicator" not in covered.content


@pytest.mark.django_db
def test_a_covered_partnerships_list_shows_the_published_overview_only(
    client, overview, admin_user, panel_b, officer_b, panel_c
):
    url = reverse("reports:list", args=["partnership-b"])
    client.force_login(officer_b)
    assert b"Overview" not in client.get(url).content  # a draft: not even to its officers

    services.report_publish(report=overview, by=admin_user)
    overview.title = "Overview draft changed"
    overview.save()
    listed = {}
    for user in (panel_b, officer_b):
        client.force_login(user)
        listed[user.username] = client.get(url).content.decode()
    client.force_login(panel_c)
    elsewhere = client.get(reverse("reports:list", args=["partnership-c"])).content.decode()

    for page in listed.values():
        assert f'href="{reverse("reports:detail", args=["partnership-b", overview.pk])}"' in page
        assert "published by Partnership A" in page
        assert reverse("reports:edit", args=["partnership-b", overview.pk]) not in page
        assert "Draft changed since" not in page and "Overview draft changed" not in page
    assert "Overview" not in elsewhere


BY_A = "An overview by Partnership A covering this partnership"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reader, byline",
    [("panel_b", "published by Partnership A"), ("public", BY_A)],
)
def test_a_covered_partnerships_list_costs_the_same_however_many_overviews(
    client,
    request,
    partnership_a,
    partnership_b,
    admin_user,
    django_assert_max_num_queries,
    reader,
    byline,
):
    if reader == "public":
        _make_public(partnership_a, partnership_b)
    else:
        client.force_login(request.getfixturevalue(reader))
    url = reverse("reports:list", args=["partnership-b"])

    def count(n):
        for i in range(n):
            report = ReportFactory(
                partnership=partnership_a, kind=Report.Kind.OVERVIEW, title=f"Overview {i}"
            )
            report.covers.set([partnership_a, partnership_b])
            services.report_publish(report=report, by=admin_user, documents=False)
        with django_assert_max_num_queries(20) as captured:
            response = client.get(url)
        assert response.content.decode().count(byline) == len(
            Report.objects.filter(covers=partnership_b)
        )
        return len(captured)

    assert count(1) == count(3)


# The public list of a partnership an overview covers ----------------------------------------
# The public reads an overview under the partnership it is filed under alone; the list of a
# partnership it covered links there, when the public may read it there.


def _make_public(*partnerships, public=True):
    for partnership in partnerships:
        partnership.reports_public = public
        partnership.save()


@pytest.fixture
def overview_of_b_and_c(partnership_a, partnership_b, partnership_c):
    """An overview filed under A (which it does not cover) of B and C, with B's figures."""
    hate_crime_indicator(partnership_b, code="B 99", title="B's unpublished indicator")
    report = ReportFactory(
        partnership=partnership_a, kind=Report.Kind.OVERVIEW, title="Overview of B and C"
    )
    report.covers.set([partnership_b, partnership_c])
    return report


def _public_list(partnership_slug: str) -> str:
    response = Client().get(reverse("reports:list", args=[partnership_slug]))
    assert response.status_code == 200
    return response.content.decode()


def _assert_not_hinted(page: str, overview) -> None:
    assert "Overview of B and C" not in page
    assert "Partnership A" not in page and "overview" not in page.lower()
    assert f"/reports/{overview.pk}/" not in page


@pytest.mark.django_db
def test_a_covered_partnerships_public_list_names_no_overview_of_a_partnership_not_public(
    overview_of_b_and_c, admin_user, partnership_a, partnership_b, partnership_c
):
    services.report_publish(report=overview_of_b_and_c, by=admin_user, documents=False)
    _make_public(partnership_b, partnership_c)  # A, the filing partnership, is not

    _assert_not_hinted(_public_list("partnership-b"), overview_of_b_and_c)
    _assert_not_hinted(_public_list("partnership-c"), overview_of_b_and_c)


@pytest.mark.django_db
def test_a_covered_partnerships_public_list_links_to_the_overview_where_the_public_reads_it(
    client, overview_of_b_and_c, admin_user, partnership_a, partnership_b, partnership_c
):
    """Review finding: a resident reading B's public papers never found the overview of B
    filed under A, though A's reports, and the overview there, were public."""
    services.report_publish(report=overview_of_b_and_c, by=admin_user, documents=False)
    _make_public(partnership_a, partnership_b, partnership_c)
    link = reverse("reports:version", args=["partnership-a", overview_of_b_and_c.pk, 1])

    listed = _public_list("partnership-b")
    opened = client.get(link)

    assert f'href="{link}"' in listed and "Overview of B and C" in listed
    assert BY_A in listed
    assert reverse("reports:edit", args=["partnership-a", overview_of_b_and_c.pk]) not in listed
    assert reverse("reports:detail", args=["partnership-b", overview_of_b_and_c.pk]) not in listed
    assert opened.status_code == 200 and b"unpublished indicator" in opened.content
    assert f'href="{link}"' in _public_list("partnership-c")


@pytest.mark.django_db
def test_a_covered_partnerships_public_list_names_no_overview_covering_one_not_public(
    overview_of_b_and_c, admin_user, partnership_a, partnership_b, partnership_c
):
    """C keeps its reports from the public: the overview of B and C is public nowhere."""
    services.report_publish(report=overview_of_b_and_c, by=admin_user, documents=False)
    _make_public(partnership_a, partnership_b)

    _assert_not_hinted(_public_list("partnership-b"), overview_of_b_and_c)


@pytest.mark.django_db
@pytest.mark.parametrize("exempt", ["version", "draft"])
def test_a_covered_partnerships_public_list_names_no_exempt_overview(
    overview_of_b_and_c, admin_user, partnership_a, partnership_b, partnership_c, panel_b, exempt
):
    """Published as exempt (Schedule 12A), or the draft ticked "exempt" since: members
    only, under any partnership."""
    _make_public(partnership_a, partnership_b, partnership_c)
    report = overview_of_b_and_c
    if exempt == "version":
        report.exempt, report.exempt_paragraph = True, "3"
        services.report_save(report=report, by=admin_user)
    services.report_publish(report=report, by=admin_user, documents=False)
    if exempt == "draft":
        report.exempt, report.exempt_paragraph = True, "3"
        services.report_save(report=report, by=admin_user)
    member = Client()
    member.force_login(panel_b)

    _assert_not_hinted(_public_list("partnership-b"), report)
    members_list = member.get(reverse("reports:list", args=["partnership-b"])).content.decode()
    assert "Overview of B and C" in members_list


@pytest.mark.django_db
def test_a_covered_partnerships_public_list_never_names_an_overview_draft(
    overview_of_b_and_c, admin_user, partnership_a, partnership_b, partnership_c
):
    _make_public(partnership_a, partnership_b, partnership_c)
    report = overview_of_b_and_c
    _assert_not_hinted(_public_list("partnership-b"), report)  # a draft: never

    services.report_publish(report=report, by=admin_user, documents=False)
    report.title = "Overview draft changed"
    report.save()
    listed = _public_list("partnership-b")

    assert "Overview of B and C" in listed
    assert "Overview draft changed" not in listed and "Draft" not in listed


@pytest.mark.django_db
def test_a_covered_partnerships_public_list_links_to_the_latest_version_that_covered_it(
    client, overview_of_b_and_c, admin_user, partnership_a, partnership_b, partnership_c
):
    """Version 1 covered B and C, version 2 covers C alone: B's list links to version 1,
    C's to version 2, each where the public reads it, under A."""
    _make_public(partnership_a, partnership_b, partnership_c)
    report = overview_of_b_and_c
    services.report_publish(report=report, by=admin_user, documents=False)
    report.covers.set([partnership_c])
    services.report_publish(report=report, by=admin_user, reason="C alone", documents=False)
    one, two = (
        reverse("reports:version", args=["partnership-a", report.pk, number]) for number in (1, 2)
    )

    b_list, c_list = _public_list("partnership-b"), _public_list("partnership-c")

    assert f'href="{one}"' in b_list and f'href="{two}"' not in b_list
    assert f'href="{two}"' in c_list and f'href="{one}"' not in c_list
    assert client.get(one).status_code == 200
    assert client.get(two).status_code == 200


def _read_as(client, user, partnership_slug, overview, *number):
    client.force_login(user)
    name = "reports:version" if number else "reports:detail"
    page = client.get(reverse(name, args=[partnership_slug, overview.pk, *number]))
    csv = client.get(
        reverse("reports:csv", args=[partnership_slug, overview.pk]),
        {"version": number[0]} if number else {},
    )
    listed = client.get(reverse("reports:list", args=[partnership_slug])).content.decode()
    return page, csv, listed


@pytest.mark.django_db
def test_an_overviews_version_is_read_under_the_partnerships_it_covered_when_published(
    client, overview, admin_user, panel_b, panel_c, partnership_a, partnership_c
):
    """Review finding: access followed the draft's covers now. Filed under A covering A and
    B, version 1 published with B's figures, the draft then made to cover A and C: C's panel
    read version 1 and its CSV (B's figures), and B's panel got 404 for its own figures."""
    services.report_publish(report=overview, by=admin_user)
    overview.covers.set([partnership_a, partnership_c])
    detail = reverse("reports:detail", args=["partnership-c", overview.pk])

    c_page, c_csv, c_list = _read_as(client, panel_c, "partnership-c", overview, 1)
    c_latest = client.get(detail)
    b_page, b_csv, b_list = _read_as(client, panel_b, "partnership-b", overview, 1)
    b_latest = client.get(reverse("reports:detail", args=["partnership-b", overview.pk]))

    assert (c_page.status_code, c_csv.status_code, c_latest.status_code) == (404, 404, 404)
    assert b"Partnership B" not in c_page.content + c_latest.content
    assert b"B 99" not in c_csv.content
    assert "Overview" not in c_list
    assert (b_page.status_code, b_csv.status_code, b_latest.status_code) == (200, 200, 200)
    assert b"unpublished indicator" in b_page.content and b"B 99" in b_csv.content
    assert f'href="{reverse("reports:detail", args=["partnership-b", overview.pk])}"' in b_list

    # Version 2 covers A and C: C reads it alone, B still reads version 1 alone.
    services.report_publish(report=overview, by=admin_user, reason="Covers C, not B")
    c_latest = client.get(detail)  # still signed in as B's panel member: 404
    assert c_latest.status_code == 404
    c_one, c_csv_one, _ = _read_as(client, panel_c, "partnership-c", overview, 1)
    c_two, c_csv_two, c_list = _read_as(client, panel_c, "partnership-c", overview, 2)
    c_latest = client.get(detail)
    b_one, b_csv_one, _ = _read_as(client, panel_b, "partnership-b", overview, 1)
    b_two, b_csv_two, b_list = _read_as(client, panel_b, "partnership-b", overview, 2)
    b_latest = client.get(reverse("reports:detail", args=["partnership-b", overview.pk]))

    assert [r.status_code for r in (c_one, c_csv_one, c_two, c_csv_two)] == [404, 404, 200, 200]
    assert b"Partnership B" not in c_two.content and b"B 99" not in c_csv_two.content
    assert c_latest.status_code == 200 and b"version 1" not in c_latest.content.lower()
    assert f'href="{detail}"' in c_list
    assert [r.status_code for r in (b_one, b_csv_one, b_two, b_csv_two)] == [200, 200, 404, 404]
    assert b_latest.status_code == 200 and b"unpublished indicator" in b_latest.content
    assert ReportVersion.objects.get(report=overview, number=2).pk not in {
        v.pk for v in b_latest.context["versions"]
    }
    assert f'href="{reverse("reports:detail", args=["partnership-b", overview.pk])}"' in b_list


@pytest.mark.django_db
def test_an_overview_version_records_every_partnership_it_covered(
    overview, admin_user, partnership_a, partnership_b, partnership_c
):
    """A covered partnership with no figures shown is covered all the same (its name and
    news are in the version), though its figures lock nothing."""
    overview.covers.set([partnership_a, partnership_b, partnership_c])

    version = services.report_publish(report=overview, by=admin_user).version

    assert set(version.covered.all()) == {partnership_a, partnership_b, partnership_c}
    assert partnership_c not in set(version.partnerships_shown.all())


@pytest.mark.django_db
def test_a_version_covering_a_partnership_not_public_stays_closed_when_the_draft_drops_it(
    client, overview, admin_user, partnership_a, partnership_b, partnership_c
):
    """C (no figures, so not among those the version showed) keeps its reports from the
    public: the version covering it stays closed after the draft covers A and B only."""
    overview.covers.set([partnership_a, partnership_c])
    services.report_publish(report=overview, by=admin_user)
    overview.covers.set([partnership_a, partnership_b])
    for partnership in (partnership_a, partnership_b):
        partnership.reports_public = True
        partnership.save()

    page = client.get(reverse("reports:detail", args=["partnership-a", overview.pk]))
    listed = client.get(reverse("reports:list", args=["partnership-a"])).content

    assert page.status_code == 404
    assert b"Overview" not in listed


@pytest.mark.django_db
def test_a_covered_partnerships_notice_names_the_partnership_that_may_publish_again(
    client, overview, admin_user, panel_b
):
    """Reader review: a member of a covered partnership was told "the partnership may
    publish a new version", when only the partnership the overview is filed under may."""
    services.report_publish(report=overview, by=admin_user, documents=False)
    _revise(Indicator.objects.get(code="B 99"), 98765)
    client.force_login(panel_b)

    notice = _notice(client.get(reverse("reports:detail", args=["partnership-b", overview.pk])))

    assert (
        "Officers can see the figures now; Partnership A may publish a new version with them."
        in notice
    )


def _byline(response) -> str:
    page = response.content.decode()
    start = page.index("Version 1, published")
    return " ".join(re.sub(r"<[^>]+>", " ", page[start : page.index("</p>", start)]).split())


@pytest.mark.django_db
@pytest.mark.parametrize("full_name", [("", ""), ("Jo", "Bloggs")])
def test_an_overviews_byline_under_a_covered_partnership_names_the_filer_once(
    client, overview, admin_user, panel_b, full_name
):
    """Reader review: "published … by Partnership A of Partnership A" when the publisher had
    no full name."""
    admin_user.first_name, admin_user.last_name = full_name
    admin_user.save()
    services.report_publish(report=overview, by=admin_user, documents=False)
    client.force_login(panel_b)

    byline = _byline(client.get(reverse("reports:detail", args=["partnership-b", overview.pk])))

    by = "Jo Bloggs of Partnership A" if full_name[0] else "Partnership A"
    assert byline.endswith(f" by {by} .") or byline.endswith(f" by {by}.")
    assert "Partnership A of Partnership A" not in byline
