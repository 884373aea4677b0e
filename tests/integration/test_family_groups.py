"""Home Office CSP tables into a most similar group: import, rank of N on the indicator page."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from opendata import home_office
from opendata.demo import family_load
from opendata.models import CspOffenceCount, OffenceMapping, Peer
from opendata.selectors import family_ranking
from tests.factories import IndicatorFactory, PartnershipFactory
from tests.migrations import migrate, migrate_to_the_end

# (CSP, population, burglaries in Q1 and Q2 of 2023/24); rates per 1,000 worked by hand.
GROUP = [
    ("Plymouth", 263_100, 2800, 2630),  # Q1 10.64 (4th), Q2 9.996 (2nd)
    ("Luton", 220_000, 2000, 2200),  # Q1 9.09 (2nd), Q2 10 (3rd=)
    ("Trafford", 240_000, 1800, 1800),  # 7.5, 7.5 (1st)
    ("Kirklees", 440_000, 4400, 4400),  # 10 (3rd), 10 (3rd=)
    ("Bolton", 300_000, None, 3000),  # not published in Q1; Q2 10 (3rd=)
]


def _workbook(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2023-24"
    sheet.append(list(home_office.HEADER))
    for name, _, q1, q2 in GROUP:
        for quarter, count in ((1, q1), (2, q2)):
            if count is not None:
                sheet.append(
                    ["2023/24", quarter, "Force", name, "Domestic burglary", "Burglary",
                     "Domestic burglary", "28E", count]
                )  # fmt: skip
        sheet.append(
            ["2023/24", 1, "Force", name, "Shoplifting", "Theft offences", "Shoplifting", "46", 99]
        )
    workbook.save(path)
    return path


@pytest.fixture
def burglary(partnership_a, tmp_path):
    indicator = IndicatorFactory(partnership=partnership_a, code="BUR", title="Burglary")
    OffenceMapping.objects.create(indicator=indicator, offence_groups="Burglary")
    for name, population, _, _ in GROUP:
        Peer.objects.create(
            partnership=partnership_a,
            csp_name=name,
            population=population,
            is_self=name == "Plymouth",
        )
    call_command("import_home_office", str(_workbook(tmp_path / "csp.xlsx")))
    return indicator


@pytest.mark.django_db
def test_import_stores_counts_by_quarter_and_group(burglary):
    assert CspOffenceCount.objects.get(
        csp_name="Plymouth", financial_year=2023, quarter=2, offence_group="Burglary"
    ).count == Decimal(2630)
    assert CspOffenceCount.objects.filter(offence_group="Theft offences").count() == 5


@pytest.mark.django_db
def test_reimport_replaces_the_quarter(burglary, tmp_path):
    call_command("import_home_office", str(_workbook(tmp_path / "again.xlsx")))
    assert CspOffenceCount.objects.count() == 14  # 9 burglary + 5 shoplifting, no duplicates


@pytest.mark.django_db
def test_an_import_with_a_count_it_cannot_read_changes_nothing(burglary, tmp_path):
    path = _workbook(tmp_path / "again.xlsx")
    workbook = load_workbook(path)
    workbook.active["I3"] = "[x]"  # Plymouth's Q2 burglaries
    workbook.active["I4"] = None
    workbook.save(path)
    before = list(CspOffenceCount.objects.values_list("csp_name", "quarter", "count"))
    with pytest.raises(CommandError) as refused:
        call_command("import_home_office", str(path))
    assert str(refused.value).splitlines()[1:] == [
        "again.xlsx, sheet 2023-24, row 3: Offence Count '[x]' is not a number",
        "again.xlsx, sheet 2023-24, row 4: Offence Count is blank",
    ]
    assert list(CspOffenceCount.objects.values_list("csp_name", "quarter", "count")) == before


@pytest.mark.django_db
def test_import_refuses_a_file_that_is_no_spreadsheet(tmp_path):
    (tmp_path / "csp.csv").write_text("Financial Year,Financial Quarter\n")
    (tmp_path / "csp.xlsx").write_bytes(b"not a zip")
    with pytest.raises(CommandError, match=re.escape("csp.csv is not an .xlsx or .ods file")):
        call_command("import_home_office", str(tmp_path / "csp.csv"))
    with pytest.raises(CommandError, match=re.escape("csp.xlsx cannot be read as an .xlsx file")):
        call_command("import_home_office", str(tmp_path / "csp.xlsx"))


@pytest.mark.django_db
def test_admin_refuses_a_second_member_ticked_as_this_partnership(
    client, admin_user, burglary, partnership_a
):
    client.force_login(admin_user)
    luton = Peer.objects.get(csp_name="Luton")
    response = client.post(
        reverse("admin:opendata_peer_change", args=[luton.pk]),
        {
            "partnership": partnership_a.pk,
            "csp_name": "Luton",
            "population": 220_000,
            "households": "",
            "is_self": "on",
        },
    )
    assert response.status_code == 200
    assert (
        "You cannot tick this for Luton, because Plymouth is already this partnership in the "
        "group: untick it there first."
    ) in response.content.decode()
    assert list(Peer.objects.filter(is_self=True).values_list("csp_name", flat=True)) == [
        "Plymouth"
    ]


@pytest.mark.django_db
def test_the_database_keeps_one_member_as_this_partnership(burglary, partnership_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Peer.objects.create(
            partnership=partnership_a, csp_name="Bradford", population=1, is_self=True
        )
    Peer.objects.create(partnership=partnership_a, csp_name="Bradford", population=1)


@pytest.mark.django_db
def test_the_demo_group_moves_this_partnership_to_the_member_it_names(partnership_a, tmp_path):
    # Ticked before, and in the group no longer.
    Peer.objects.create(partnership=partnership_a, csp_name="Oldham", population=1, is_self=True)
    path = tmp_path / "family_group.json"
    path.write_text(
        json.dumps(
            {
                "partnership": partnership_a.slug,
                "groups": [],
                "mappings": {},
                "peers": [
                    {"csp_name": n, "force": "F", "population": 1, "is_self": n == "Plymouth"}
                    for n in ("Luton", "Plymouth")
                ],
                "neighbours": [],
                "counts": {},
            }
        )
    )
    family_load(path)
    assert list(Peer.objects.filter(is_self=True).values_list("csp_name", flat=True)) == [
        "Plymouth"
    ]


@pytest.mark.django_db
def test_rank_of_n_and_change_of_rank_worked_by_hand(burglary, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        ranking = family_ranking(burglary)
    assert (ranking.year, ranking.quarter) == (2023, 2)
    assert (ranking.rank, ranking.n, ranking.change) == (2, 5, 2)  # 4th of 4 in Q1
    assert ranking.sentence == "2nd best of 5, up 2 places"
    # Year to date: Bolton has no Q1, so 4 ranked; Plymouth (5430 / 263,100 = 20.64)
    # is behind Trafford (15), Luton (19.09) and Kirklees (20): 4th of 4, and 4th of 4 in Q1.
    assert ranking.ytd_sentence == "4th of 4 (worst), unchanged"
    assert [(p.name, p.rank) for p in ranking.peers] == [
        ("Trafford", 1),
        ("Plymouth", 2),
        ("Bolton", 3),
        ("Kirklees", 3),
        ("Luton", 3),
    ]


@pytest.mark.django_db
def test_a_rank_shared_with_others_reads_joint(burglary):
    # Plymouth at Luton's, Kirklees' and Bolton's 10 per 1,000 in Q2: four level last of 5.
    Peer.objects.filter(csp_name="Plymouth").update(population=263_000)
    ranking = family_ranking(burglary)
    assert (ranking.rank, ranking.n, ranking.joint) == (2, 5, 4)
    assert ranking.sentence.startswith("joint 2nd of 5 (joint worst)")


@pytest.mark.django_db
def test_rate_per_households_where_the_admin_says_so(burglary):
    Peer.objects.filter(csp_name="Trafford").update(households=60_000)  # 30 per 1,000
    Peer.objects.exclude(csp_name="Trafford").update(households=1_000_000)
    OffenceMapping.objects.filter(indicator=burglary).update(per_households=True)
    ranking = family_ranking(burglary)
    assert ranking.per == "households"
    assert ranking.peers[-1].name == "Trafford"


@pytest.mark.django_db
def test_households_for_this_partnership_only_gives_no_rank_and_names_the_gaps(
    client, officer_a, burglary
):
    Peer.objects.filter(csp_name="Plymouth").update(households=110_000)
    OffenceMapping.objects.filter(indicator=burglary).update(per_households=True)
    ranking = family_ranking(burglary)
    assert (ranking.rank, ranking.n, ranking.ytd_rank) == (None, 1, None)
    assert ranking.sentence == "not ranked: no other member of the group has a rate"
    assert ranking.ytd_sentence == "not ranked: no other member of the group has a rate"
    assert [(p.name, p.rank, p.missing) for p in ranking.peers] == [
        ("Bolton", None, "no households figure"),
        ("Kirklees", None, "no households figure"),
        ("Luton", None, "no households figure"),
        ("Plymouth", None, ""),
        ("Trafford", None, "no households figure"),
    ]
    client.force_login(officer_a)
    page = client.get(burglary.get_absolute_url()).content.decode()
    assert "No households figure: Bolton, Kirklees, Luton, Trafford." in page
    assert "the only one with a rate" not in page and "not published" not in page


@pytest.mark.django_db
def test_a_member_named_unlike_the_home_office_and_one_unpublished_say_which(
    client, officer_a, burglary
):
    Peer.objects.filter(csp_name="Trafford").update(csp_name="Trafford MBC")
    Peer.objects.filter(csp_name="Plymouth").update(households=None)
    ranking = family_ranking(burglary)
    assert {p.name: p.missing for p in ranking.peers if p.missing} == {
        "Trafford MBC": "no Home Office counts under this name"
    }
    CspOffenceCount.objects.filter(csp_name="Luton", quarter=2).delete()  # Q1 only
    OffenceMapping.objects.filter(indicator=burglary).update(per_households=True)
    Peer.objects.exclude(csp_name="Plymouth").update(households=100_000)
    ranking = family_ranking(burglary)
    assert ranking.gaps == [
        ("no households figure", ["Plymouth"]),
        ("no Home Office counts under this name", ["Trafford MBC"]),
        ("not published", ["Luton"]),
    ]
    client.force_login(officer_a)
    page = client.get(burglary.get_absolute_url()).content.decode()
    assert "No rate for this partnership: no households figure" in page
    assert "No Home Office counts under this name: Trafford MBC (check each is named" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "names",
    [
        "Domestic burglary",  # the subgroup, as real tables have "Violence with injury"
        "BURGLARY",  # the group, in another case
        "Burglary; domestic burglary",  # both: each count once
    ],
)
def test_a_mapping_names_a_group_or_a_subgroup_in_any_case(burglary, names):
    OffenceMapping.objects.filter(indicator=burglary).update(offence_groups=names)
    ranking = family_ranking(burglary)
    assert ranking.sentence == "2nd best of 5, up 2 places"
    assert ranking.own_rate == Decimal(2630) * 1000 / 263_100


@pytest.mark.django_db
def test_import_keeps_the_subgroup(burglary):
    assert CspOffenceCount.objects.get(
        csp_name="Plymouth", quarter=2, offence_subgroup="Domestic burglary"
    ).count == Decimal(2630)


@pytest.mark.django_db
def test_mapping_admin_warns_of_names_no_stored_count_has(client, admin_user, burglary):
    client.force_login(admin_user)
    mapping = OffenceMapping.objects.get(indicator=burglary)
    url = reverse("admin:opendata_offencemapping_change", args=[mapping.pk])
    response = client.post(
        url,
        {"indicator": burglary.pk, "offence_groups": "domestic burglary; Burglery"},
        follow=True,
    )
    page = response.content.decode()
    assert (
        "No Home Office count stored has “Burglery” as its offence group or subgroup, so it "
        "adds nothing to the ranking."
    ) in page
    assert "domestic burglary”" not in page
    mapping.refresh_from_db()
    assert mapping.offence_groups == "domestic burglary; Burglery"  # saved all the same
    assert '<div class="readonly">Burglery</div>' in client.get(url).content.decode()


@pytest.mark.django_db
def test_indicator_page_shows_the_group(client, officer_a, burglary):
    client.force_login(officer_a)
    page = client.get(burglary.get_absolute_url()).content.decode()
    assert "Most similar group, Q2 2023/24" in page
    assert "2nd best of 5, up 2 places" in page


@pytest.mark.django_db
def test_no_mapping_no_section(client, officer_a, partnership_a):
    indicator = IndicatorFactory(partnership=partnership_a)
    assert family_ranking(indicator) is None
    client.force_login(officer_a)
    assert b"Most similar group" not in client.get(indicator.get_absolute_url()).content


@pytest.mark.django_db
def test_dashboard_shows_the_group_in_fixed_queries(
    client, officer_a, burglary, partnership_a, django_assert_max_num_queries
):
    from opendata.selectors import family_rankings

    other = IndicatorFactory(partnership=partnership_a, code="ROB", title="Robbery")
    OffenceMapping.objects.create(indicator=other, offence_groups="Robbery")  # no counts
    with django_assert_max_num_queries(3):
        rankings = family_rankings(partnership_a)
    assert [(i.code, r.sentence) for i, r in rankings] == [("BUR", "2nd best of 5, up 2 places")]
    burglary.actuals.create(period="2024-01-01", value=5)
    client.force_login(officer_a)
    page = client.get(f"/p/{partnership_a.slug}/dashboard/").content.decode()
    assert "Most similar group" in page and "2nd best of 5, up 2 places" in page


@pytest.mark.django_db
def test_dashboard_warns_of_illustrative_figures_in_any_ranking_and_marks_its_row(
    client, officer_a, burglary, partnership_a
):
    robbery = IndicatorFactory(partnership=partnership_a, code="ROB", title="Robbery")
    OffenceMapping.objects.create(indicator=robbery, offence_groups="Robbery")
    for name, *_ in GROUP:  # made up, after BUR's Home Office counts in the list
        CspOffenceCount.objects.create(
            csp_name=name,
            financial_year=2023,
            quarter=2,
            offence_group="Robbery",
            count=10,
            illustrative=True,
        )
    burglary.actuals.create(period="2024-01-01", value=5)
    client.force_login(officer_a)
    page = client.get(f"/p/{partnership_a.slug}/dashboard/").content.decode()
    assert "Illustrative demo data: the rankings marked “Illustrative”" in page
    rows = _family_section(page).split("</tr>")
    assert "(BUR)" in rows[1] and "Illustrative" not in rows[1]
    assert "(ROB)" in rows[2] and ">Illustrative</strong>" in rows[2]


@pytest.mark.django_db
def test_rankings_outlive_a_saved_figure_but_not_what_they_are_made_from(
    client, officer_a, burglary, partnership_a, tmp_path, monkeypatch
):
    """Kept under the partnership's context version: a save of figures leaves them as they
    were; a change to the peers, the mapping, the Home Office counts or the indicator
    shows on the next view of the dashboard and the indicator page."""
    from indicators import services, views
    from indicators.services import FigureInput

    made = []
    for name in ("family_ranking", "family_rankings"):
        real = getattr(views, name)
        monkeypatch.setattr(
            views,
            name,
            lambda *args, real=real, name=name, **kwargs: (
                made.append(name) or real(*args, **kwargs)
            ),
        )
    burglary.actuals.create(period="2024-01-01", value=5)
    client.force_login(officer_a)
    dashboard, page = f"/p/{partnership_a.slug}/dashboard/", burglary.get_absolute_url()

    def views_made() -> list[str]:
        shown = [client.get(url).content.decode() for url in (dashboard, page)]
        assert all("Most similar group" in html for html in shown)
        found = sorted(made)
        made.clear()
        return found

    both = ["family_ranking", "family_rankings"]
    assert views_made() == both
    assert views_made() == []
    period = datetime.date(2024, 2, 1)
    services.actuals_save(entries=[FigureInput(burglary, period, Decimal(6))], by=officer_a)
    assert views_made() == []  # the new figure shows; the rankings are kept

    def peers_changed():
        Peer.objects.filter(csp_name="Trafford").update(population=24_000)  # now the worst
        Peer.objects.get(csp_name="Trafford").save()  # update() sends no signal

    writes = [
        peers_changed,
        lambda: OffenceMapping.objects.get(indicator=burglary).save(),
        lambda: call_command("import_home_office", str(_workbook(tmp_path / "again.xlsx"))),
        lambda: setattr(burglary, "title", "Burglary, renamed") or burglary.save(),
    ]
    for write in writes:
        write()
        assert views_made() == both
    page_html = client.get(page).content.decode()
    assert "Burglary, renamed" in client.get(dashboard).content.decode()
    # Trafford falls to the bottom: Plymouth, 2nd best before, is now the best.
    assert "best of 5, up 2 places" in page_html and "2nd best" not in page_html


def _family_section(page: str) -> str:
    return page[page.index("Most similar group") :].split("</table>")[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("period", "quarter"),
    [
        ("2023-06", "Q1 2023/24"),  # Q1's last month: Q1 is complete
        ("2023-08", "Q1 2023/24"),  # within Q2: Q2 is not complete yet
        ("2023-09", "Q2 2023/24"),
        ("2024-01", "Q2 2023/24"),  # the latest published
    ],
)
def test_dashboard_of_a_month_ranks_no_quarter_after_it(
    client, officer_a, burglary, partnership_a, period, quarter
):
    from opendata.selectors import family_rankings

    burglary.actuals.create(period="2023-04-01", value=5)
    year, number = int(quarter[3:7]), int(quarter[1])
    [(_, ranking)] = family_rankings(partnership_a, up_to=(year, number))
    client.force_login(officer_a)

    page = client.get(f"/p/{partnership_a.slug}/dashboard/", {"period": period}).content.decode()

    section = _family_section(page)
    assert f"{quarter}: {ranking.sentence}" in section
    later = {"Q1 2023/24": "Q2 2023/24", "Q2 2023/24": "Q3 2023/24"}[quarter]
    assert later not in section


@pytest.mark.django_db(transaction=True)
def test_migrating_unticks_a_group_with_two_members_ticked_as_this_partnership():
    """Which of the two is the partnership cannot be told: the group shows no rank until an
    admin ticks the right one, rather than the rank of whichever sorts first."""
    before, after = (
        [("opendata", "0003_force_outcome_counts")],
        [("opendata", "0004_one_self_peer_per_partnership")],
    )
    doubled, single = PartnershipFactory(), PartnershipFactory()
    old = migrate(before)
    peers = old.get_model("opendata", "Peer").objects
    for name in ("Luton", "Plymouth", "Trafford"):
        peers.create(
            partnership_id=doubled.pk, csp_name=name, population=1, is_self=name != "Luton"
        )
    peers.create(partnership_id=single.pk, csp_name="Torbay", population=1, is_self=True)
    migrate(after)
    assert list(Peer.objects.filter(is_self=True).values_list("csp_name", flat=True)) == ["Torbay"]
    migrate_to_the_end()  # as the other tests expect
