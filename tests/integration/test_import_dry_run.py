"""What the import's check says would change, row by row, and the import what changed;
theme groups matched in any case; the site's import found from the home page and from a
partnership's import."""

import datetime
import re
import shutil
from decimal import Decimal
from html import unescape
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from actions import transfer
from actions.models import (
    Action,
    ActionPlan,
    ActionsChange,
    ActionUpdate,
    Objective,
    Recommendation,
    Risk,
)
from commissioning.models import CommissioningChange, CommissioningLine, FundingStream
from csp_portal.core.models import Partnership, ThemeGroup
from indicators.models import Actual, FigureChange, Indicator
from tests.factories import (
    ActualFactory,
    CommissioningLineFactory,
    FundingStreamFactory,
    IndicatorFactory,
    TargetFactory,
)
from tests.factories.actions import RecommendationFactory, RiskFactory


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.csv", text.encode("utf-8"), content_type="text/csv")


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def check(client, *files, slug=None):
    url = reverse("indicators:import", args=[slug]) if slug else reverse("indicators:import_all")
    return client.post(url, {"files": list(files), "dry_run": "on"})


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_dry_run_names_each_changed_partnership_and_its_changes(admin_client, partnership_a):
    Partnership.objects.filter(pk=partnership_a.pk).update(population=263100, reports_public=False)

    response = check(
        admin_client,
        upload(
            "partnerships",
            "slug,name,reports_public,population\n"
            f"partnership-a,{partnership_a.name},yes,26310\n"
            "safer-newtown,Safer Newtown,no,5000\n",
        ),
    )

    text = page_text(response)
    assert "Would import partnerships: 1 new, 1 changed, 0 unchanged." in text
    assert (
        "partnership-a : Population from 263,100 to 26,310; "
        "Published reports are public from no to yes"
    ) in text
    assert "safer-newtown : new" in text
    partnership_a.refresh_from_db()
    assert partnership_a.population == 263100
    assert not Partnership.objects.filter(slug="safer-newtown").exists()


@pytest.mark.django_db
def test_dry_run_names_new_and_changed_indicators_and_figures(officer_client, partnership_a):
    indicator = Indicator.objects.get(partnership=partnership_a, code="HC 01")
    ActualFactory(indicator=indicator, period="2016-10-01", value=12)

    response = check(
        officer_client,
        upload(
            "actuals",
            "partnership,indicator,period,value\n"
            "partnership-a,HC 01,2016-10,1300\n"
            "partnership-a,HC 01,2016-11,14\n",
        ),
        slug="partnership-a",
    )

    text = page_text(response)
    assert "HC 01 October 2016 : Value from 12 to 1,300" in text
    assert "HC 01 November 2016 : new" in text
    assert Actual.objects.get(indicator=indicator).value == 12


@pytest.mark.django_db
def test_dry_run_names_fifty_rows_of_a_table_and_counts_the_rest(officer_client):
    rows = "".join(f"partnership-a,HC 01,{2000 + n // 12}-{n % 12 + 1:02d},5\n" for n in range(60))

    response = check(
        officer_client,
        upload("actuals", "partnership,indicator,period,value\n" + rows),
        slug="partnership-a",
    )

    text = page_text(response)
    assert "HC 01 February 2004 : new" in text  # the 50th
    assert "HC 01 March 2004" not in text
    assert "… and 10 more." in text


@pytest.mark.django_db
def test_theme_groups_are_matched_ignoring_case_and_spaces(admin_client, partnership_a):
    streets = ThemeGroup.objects.create(partnership=partnership_a, name="Safer Streets")
    text = (
        "partnership,code,title,theme_group,polarity,measure\n"
        "partnership-a,HC 01,Hate crime,Safer streets,lower,count\n"
        "partnership-a,HC 02,Burglary, safer streets ,lower,count\n"
        "partnership-a,HC 03,Drug offences,Drugs,lower,count\n"
        "partnership-a,HC 04,Vehicle crime,safer  STREETS,lower,count\n"
    )

    checked = page_text(check(admin_client, upload("indicators", text)))
    response = admin_client.post(
        reverse("indicators:import_all"), {"files": [upload("indicators", text)]}
    )

    assert "New theme group: Drugs (Partnership A)." in checked
    assert "Safer streets" not in checked
    assert response.status_code == 302
    assert set(ThemeGroup.objects.values_list("name", flat=True)) == {"Safer Streets", "Drugs"}
    assert set(
        Indicator.objects.filter(code__in=["HC 01", "HC 02", "HC 04"]).values_list(
            "theme_group", flat=True
        )
    ) == {streets.pk}
    shown = page_text(admin_client.get(reverse("core:home")))
    assert "New theme group: Drugs (Partnership A)." in shown
    drugs = ThemeGroup.objects.get(name="Drugs")
    assert LogEntry.objects.filter(
        object_id=str(drugs.pk), action_flag=ADDITION, change_message="Added by an import."
    ).exists()


@pytest.mark.django_db
def test_home_page_links_the_sites_import_for_administrators_only(client, admin_user, officer_a):
    link = f'href="{reverse("indicators:import_all")}"'
    client.force_login(admin_user)
    assert link in client.get(reverse("core:home")).content.decode()
    client.force_login(officer_a)
    assert link not in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize("who", ["admin_user", "officer_a"])
@pytest.mark.django_db
def test_a_partnerships_import_refusing_anothers_rows_points_administrators_to_the_sites(
    client, request, who, partnership_a, partnership_b
):
    client.force_login(request.getfixturevalue(who))
    IndicatorFactory(partnership=partnership_a, code="HC 01")

    response = check(
        client,
        upload("actuals", "partnership,indicator,period,value\npartnership-b,HC 01,2016-10,1\n"),
        slug="partnership-a",
    )

    text = page_text(response)
    assert "partnership 'partnership-b' is not Partnership A" in text
    link = f'href="{reverse("indicators:import_all")}"'
    assert (link in response.content.decode()) == (who == "admin_user")


ACTIONS_HEADER = ",".join(transfer.COLUMNS["actions"])
STARTED = (
    "partnership-a,Plan,2006/07,,1,Reduce crime,1.1,Wardens,,All,2006-11-01,,amber,,"
    "Started.,2007-01-25,no,"
)
OPEN = "partnership-a,Plan,2006/07,,1,Reduce crime,1.2,Patrols,,All,,,red,,Late.,2007-01-25,no,"


def history_counts() -> dict[str, int]:
    """The rows an import writes, with every history and audit table."""
    models = (
        Action,
        ActionUpdate,
        ActionsChange,
        Risk,
        Recommendation,
        FundingStream,
        CommissioningLine,
        CommissioningChange,
        Actual,
        FigureChange,
        LogEntry,
        ActionPlan,
        Objective,
        ThemeGroup,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def two_actions(officer_client, partnership_a):
    """Actions 1.1 (amber, due 1 November 2006) and 1.2 (red, open), imported."""
    response = officer_client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [upload("actions", "\n".join([ACTIONS_HEADER, STARTED, OPEN]) + "\n")]},
    )
    assert response.status_code == 302
    return Action.objects.order_by("reference")


@pytest.mark.django_db
def test_dry_run_names_new_and_changed_actions_and_writes_nothing(officer_client, two_actions):
    before = history_counts()
    rows = [
        ACTIONS_HEADER,
        STARTED.replace("2006-11-01", "2006-12-01")
        .replace("amber", "green")
        .replace("Started.,2007-01-25", "Done.,2007-02-01"),
        OPEN.replace(",no,", ",yes,2007-01-30"),
        "partnership-a,Plan,2006/07,,1,Reduce crime,1.3,Leaflets,,All,,,not_started,,,,no,",
    ]

    response = check(
        officer_client, upload("actions", "\n".join(rows) + "\n"), slug="partnership-a"
    )

    text = page_text(response)
    assert "Would import actions: 1 new, 2 changed, 0 unchanged." in text
    assert (
        "1.1 (Plan) : Due date from 1 November 2006 to 1 December 2006; "
        "Status from “Amber” to “Green”; Latest update from “Started.” to “Done.”; "
        "Date of the latest update from 25 January 2007 to 1 February 2007"
    ) in text
    assert "1.2 (Plan) : Closed from no to yes; Closed on from blank to 30 January 2007" in text
    assert "1.3 (Plan) : new" in text
    assert "not listed" not in text
    assert history_counts() == before
    assert [(a.status, a.closed, a.due) for a in two_actions] == [
        ("amber", False, datetime.date(2006, 11, 1)),
        ("red", False, None),
    ]


@pytest.mark.django_db
def test_dry_run_says_an_older_update_joins_an_actions_history(officer_client, two_actions):
    older = STARTED.replace("amber", "red").replace("Started.,2007-01-25", "Planned.,2007-01-10")

    response = check(
        officer_client, upload("actions", f"{ACTIONS_HEADER}\n{older}\n"), slug="partnership-a"
    )

    assert (
        "1.1 (Plan) : An update of 10 January 2007 joins its history (not its latest)"
    ) in page_text(response)


@pytest.mark.django_db
def test_dry_run_names_new_and_changed_risks_and_writes_nothing(officer_client, partnership_a):
    RiskFactory(partnership=partnership_a, reference="R1", description="Funding", likelihood=3)
    before = history_counts()

    response = check(
        officer_client,
        upload(
            "risks",
            "partnership,reference,description,likelihood,impact,status,review_date\n"
            "partnership-a,R1,Funding,4,3,closed,2017-03-01\n"
            "partnership-a,R2,Staff shortage,2,2,open,\n",
        ),
        slug="partnership-a",
    )

    text = page_text(response)
    assert (
        "R1 : Likelihood from 3 to 4; Status from “Open” to “Closed”; "
        "Review date from blank to 1 March 2017"
    ) in text
    assert "R2 : new" in text
    assert "not listed" not in text
    assert history_counts() == before
    assert Risk.objects.get().likelihood == 3


@pytest.mark.django_db
def test_dry_run_names_new_and_changed_recommendations_and_writes_nothing(
    officer_client, partnership_a
):
    RecommendationFactory(partnership=partnership_a, reference="REC-1", recommendation="Do it")
    before = history_counts()

    response = check(
        officer_client,
        upload(
            "recommendations",
            "partnership,reference,meeting_date,recommendation,assigned_to,status,due\n"
            "partnership-a,REC-1,2016-12-01,Do it,Community Safety Manager,accepted,"
            "2017-02-28\n"
            "partnership-a,REC-2,2016-12-01,Do more,Chair,awaiting_response,\n",
        ),
        slug="partnership-a",
    )

    text = page_text(response)
    assert (
        "REC-1 : Status from “Awaiting response” to “Accepted”; "
        "Due date from blank to 28 February 2017"
    ) in text
    assert "REC-2 : new" in text
    assert history_counts() == before
    assert Recommendation.objects.get().status == "awaiting_response"


@pytest.mark.django_db
def test_dry_run_names_new_and_changed_funding_in_pounds_and_writes_nothing(
    officer_client, partnership_a
):
    FundingStreamFactory(partnership=partnership_a, source="PCC grant", amount=Decimal(1000))
    before = history_counts()

    response = check(
        officer_client,
        upload(
            "funding",
            "partnership,financial_year,source,amount,allocated_by\n"
            "partnership-a,2017/18,PCC grant,1250.50,Board\n"
            "partnership-a,2017/18,Council,500,\n",
        ),
        slug="partnership-a",
    )

    text = page_text(response)
    assert (
        "PCC grant 2017/18 : Amount from £1,000 to £1,250.50; Allocated by from blank to “Board”"
    ) in text
    assert "Council 2017/18 : new" in text
    assert history_counts() == before
    assert FundingStream.objects.get().amount == 1000


@pytest.mark.django_db
def test_dry_run_names_new_and_changed_commissioning_lines(officer_client, partnership_a):
    CommissioningLineFactory(
        partnership=partnership_a, reference="CI 06", area_of_need="Need", status="proposed"
    )
    header = "partnership,financial_year,reference,area_of_need,status\n"

    response = check(
        officer_client,
        upload(
            "commissioning",
            header + "partnership-a,2017/18,CI 06,Need,commissioned\n"
            "partnership-a,2017/18,CI 07,Need,proposed\n",
        ),
        slug="partnership-a",
    )

    text = page_text(response)
    assert "CI 06 2017/18 : Status from “Proposed” to “Commissioned”" in text
    assert "CI 07 2017/18 : new: Area of need “Need”, Status “Proposed”" in text
    assert "more." not in text


@pytest.mark.django_db
def test_dry_run_says_a_percentage_is_stored_from_its_parts(officer_client, partnership_a):
    # 89 is within rounding of 16 of 18 (88.89%): the parts' value is what is stored.
    IndicatorFactory(partnership=partnership_a, code="SP 08", measure="percentage")

    response = check(
        officer_client,
        upload(
            "actuals",
            "partnership,indicator,period,value,numerator,denominator\n"
            "partnership-a,SP 08,2016-10,89,16,18\n"
            "partnership-a,SP 08,2016-11,50,9,18\n",
        ),
        slug="partnership-a",
    )

    text = page_text(response)
    assert (
        "SP 08 October 2016 : new: 88.8889% (16 of 18); value 89 stored as 88.8889 from 16 of 18"
    ) in text
    assert "SP 08 November 2016 : new: 50% (9 of 18) Nothing has been saved" in text  # 9 of 18


@pytest.mark.django_db
def test_import_data_dry_run_prints_the_named_rows_under_its_summary(tmp_path, two_actions):
    partnership = Partnership.objects.get(slug="partnership-a")
    RiskFactory(partnership=partnership, reference="R1", description="Funding", likelihood=3)
    FundingStreamFactory(partnership=partnership, source="PCC grant", amount=Decimal(1000))
    files = {
        "actions": f"{ACTIONS_HEADER}\n{STARTED.replace('amber', 'green')}\n{OPEN}\n",
        "risks": "partnership,reference,description,likelihood,impact\n"
        "partnership-a,R1,Funding,4,3\npartnership-a,R2,Staff shortage,2,2\n",
        "recommendations": "partnership,reference,meeting_date,recommendation,assigned_to\n"
        "partnership-a,REC-1,2016-12-01,Do it,Chair\n",
        "funding": "partnership,financial_year,source,amount\n"
        "partnership-a,2017/18,PCC grant,1250\n",
    }
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    before = history_counts()
    stdout = StringIO()

    call_command("import_data", str(tmp_path), "--dry-run", stdout=stdout)

    assert stdout.getvalue().splitlines() == [
        "Would import actions: 0 new, 1 changed, 1 unchanged; "
        "risks: 1 new, 1 changed, 0 unchanged; recommendations: 1 new, 0 changed, 0 unchanged; "
        "funding: 0 new, 1 changed, 0 unchanged.",
        "What would change in actions:",
        "- partnership-a 1.1 (Plan): Status from “Amber” to “Green”",
        "What would change in risks:",
        "- partnership-a R1: Likelihood from 3 to 4",
        "- partnership-a R2: new: Description “Staff shortage”, Likelihood 2, Impact 2, "
        "Status “Open”",
        "What would change in recommendations:",
        "- partnership-a REC-1: new: Recommendation “Do it”, To whom “Chair”, "
        "Status “Awaiting response”",
        "What would change in funding:",
        "- partnership-a PCC grant 2017/18: Amount from £1,000 to £1,250",
    ]
    assert history_counts() == before


@pytest.mark.django_db
def test_import_data_dry_run_says_how_many_more_rows_than_it_names(tmp_path, partnership_a):
    rows = "".join(f"partnership-a,R{n},Risk {n},2,2\n" for n in range(1, 53))
    (tmp_path / "risks.csv").write_text(
        "partnership,reference,description,likelihood,impact\n" + rows, encoding="utf-8"
    )
    stdout = StringIO()

    call_command("import_data", str(tmp_path), "--dry-run", stdout=stdout)

    lines = stdout.getvalue().splitlines()
    assert lines[0] == "Would import risks: 52 new, 0 changed, 0 unchanged."
    assert lines[1] == "What would change in risks:"
    new = "new: Description “Risk {0}”, Likelihood 2, Impact 2, Status “Open”"
    assert lines[2:4] == [
        f"- partnership-a R1: {new.format(1)}",
        f"- partnership-a R2: {new.format(2)}",
    ]
    assert lines[51:] == [f"- partnership-a R50: {new.format(50)}", "… and 2 more."]
    assert not Risk.objects.exists()


def import_data(path, *options: str) -> list[str]:
    """What import_data prints, line by line."""
    stdout = StringIO()
    call_command("import_data", str(path), *options, stdout=stdout)
    return stdout.getvalue().splitlines()


def as_written(check_lines: list[str]) -> list[str]:
    """A check run's named rows as its import prints them: only the headings' tense differs."""
    return [line.replace("What would change in", "What changed in") for line in check_lines]


@pytest.mark.django_db
def test_import_data_prints_the_rows_it_changed_under_its_summary(tmp_path, partnership_a):
    RiskFactory(partnership=partnership_a, reference="R1", description="Funding", likelihood=3)
    (tmp_path / "risks.csv").write_text(
        "partnership,reference,description,likelihood,impact,status,review_date\n"
        "partnership-a,R1,Funding,4,3,closed,2017-03-01\n"
        "partnership-a,R2,Staff shortage,2,2,open,\n",
        encoding="utf-8",
    )

    lines = import_data(tmp_path)

    assert lines == [
        "Imported risks: 1 new, 1 changed, 0 unchanged.",
        "What changed in risks:",
        "- partnership-a R1: Likelihood from 3 to 4; Status from “Open” to “Closed”; "
        "Review date from blank to 1 March 2017",
        "- partnership-a R2: new: Description “Staff shortage”, Likelihood 2, Impact 2, "
        "Status “Open”",
    ]
    assert Risk.objects.get(reference="R1").likelihood == 4
    assert import_data(tmp_path) == ["Imported risks: 0 new, 0 changed, 2 unchanged."]


DEMO_DATA = settings.BASE_DIR / "fixtures" / "demo" / "data"
# Cells of the demo's files changed after importing them: (file, from, to), first match.
DEMO_EDITS = [
    ("partnerships", ",263100,", ",263200,"),
    ("actuals", "safer-plymouth,SP 01,2015-04,1652,", "safer-plymouth,SP 01,2015-04,1700,"),
    ("risks", ",4,4,,open,2011-04-20", ",5,4,,closed,2011-04-20"),
    ("actions", ",green,TV 01,", ",amber,TV 01,"),
    ("funding", ",400568.00,", ",400600.00,"),
    ("commissioning", ",proposed,", ",commissioned,"),
]


@pytest.mark.parametrize("edited", [False, True], ids=["all-new", "changed"])
@pytest.mark.django_db
def test_import_data_names_the_rows_its_dry_run_names(tmp_path, edited):
    data = shutil.copytree(DEMO_DATA, tmp_path / "data")
    if edited:
        import_data(data)
        for name, old, new in DEMO_EDITS:
            path = data / f"{name}.csv"
            text = path.read_text(encoding="utf-8")
            assert old in text
            path.write_text(text.replace(old, new, 1), encoding="utf-8")

    checked = import_data(data, "--dry-run")
    written = import_data(data)

    assert checked[0].startswith("Would import ")
    assert written[0] == checked[0].replace("Would import ", "Imported ", 1)
    assert written[1:] == as_written(checked[1:])
    if edited:
        assert written[1:] == [
            "What changed in partnerships:",
            "- safer-plymouth: Population from 263,100 to 263,200",
            "What changed in actuals:",
            "- safer-plymouth SP 01 April 2015: Value from 1,652 to 1,700",
            "What changed in actions:",
            "- test-valley-csp 1.1 (Test Valley CSP action plan): Status from “Green” to “Amber”",
            "What changed in risks:",
            "- safer-plymouth SS-R1: Likelihood from 4 to 5; Status from “Open” to “Closed”",
            "What changed in funding:",
            "- safer-plymouth Police and Crime Commissioner grant 2017/18: "
            "Amount from £400,568 to £400,600",
            "What changed in commissioning:",
            "- safer-plymouth CI 01 2017/18: Status from “Proposed” to “Commissioned”",
        ]
    else:
        assert "… and 113 more." in written  # the demo's 163 figures
        assert len([line for line in written if line.startswith("What changed in")]) == 9


def banner_rows(response) -> list[str]:
    """The rows named on a page, as "key: words"."""
    html = response.content.decode()
    return [
        unescape(re.sub(r"<[^>]+>", "", item))
        for item in re.findall(r"<li><strong>.*?</li>", html, flags=re.S)
    ]


RISKS = (
    "partnership,reference,description,likelihood,impact,status,review_date\n"
    "partnership-a,R1,Funding,4,3,closed,2017-03-01\n"
    "partnership-a,R2,Staff shortage,2,2,open,\n"
)


@pytest.mark.django_db
def test_an_upload_names_the_rows_it_changed_on_the_page_it_leads_to(officer_client, partnership_a):
    RiskFactory(partnership=partnership_a, reference="R1", description="Funding", likelihood=3)
    checked = check(officer_client, upload("risks", RISKS), slug="partnership-a")
    url = reverse("indicators:import", args=["partnership-a"])

    response = officer_client.post(url, {"files": [upload("risks", RISKS)]}, follow=True)

    assert response.redirect_chain == [(reverse("actions:risks", args=["partnership-a"]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Imported risks: 1 new, 1 changed, 0 unchanged."
    ]
    text = page_text(response)
    assert "Success Imported risks: 1 new, 1 changed, 0 unchanged. What changed in risks" in text
    assert (
        banner_rows(response)
        == banner_rows(checked)
        == [
            "R1: Likelihood from 3 to 4; Status from “Open” to “Closed”; "
            "Review date from blank to 1 March 2017",
            "R2: new: Description “Staff shortage”, Likelihood 2, Impact 2, Status “Open”",
        ]
    )
    assert Risk.objects.get(reference="R1").likelihood == 4
    # Said once, with its message.
    again = officer_client.get(reverse("actions:risks", args=["partnership-a"]))
    assert "What changed in" not in page_text(again)


ACTIONS = (
    ",".join(transfer.COLUMNS["actions"][:7])
    + ",action\npartnership-a,Plan,2016/17,,1,Reduce crime,1.1,Patrols\n"
)
RECOMMENDATIONS = (
    "partnership,reference,meeting_date,recommendation,assigned_to\n"
    "partnership-a,SP 1,2016-06-01,Report back,Chair\n"
)
COMMISSIONING = (
    "partnership,financial_year,reference,area_of_need\npartnership-a,2016/17,CI 01,Need\n"
)
ACTUALS = "partnership,indicator,period,value\npartnership-a,TV 01,2016-05,4\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "files, page",
    [
        ([("actions", ACTIONS)], reverse("actions:plans", args=["partnership-a"])),
        (
            [("recommendations", RECOMMENDATIONS)],
            reverse("actions:recommendations", args=["partnership-a"]),
        ),
        ([("commissioning", COMMISSIONING)], "/p/partnership-a/commissioning/2016/"),
        # Several tables: the first one's page, in the order the import takes them.
        (
            [("risks", RISKS), ("actions", ACTIONS)],
            reverse("actions:plans", args=["partnership-a"]),
        ),
        (
            [("risks", RISKS), ("actuals", ACTUALS)],
            reverse("indicators:list", args=["partnership-a"]),
        ),
        ([("actuals", ACTUALS)], reverse("indicators:list", args=["partnership-a"])),
    ],
)
def test_an_upload_leads_to_the_page_of_what_it_imported(
    officer_client, partnership_a, files, page
):
    IndicatorFactory(partnership=partnership_a, code="TV 01")
    url = reverse("indicators:import", args=["partnership-a"])

    response = officer_client.post(
        url, {"files": [upload(name, text) for name, text in files]}, follow=True
    )

    assert response.redirect_chain[-1] == (page, 302)
    text = page_text(response)
    assert "Success Imported " in text
    assert f"What changed in {files[0][0]}" in text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["commissioning", "funding"])
def test_an_upload_of_an_earlier_years_lines_lands_on_that_year(
    officer_client, partnership_a, name
):
    # A later year holds a line already: the plan the import leads to is the imported
    # rows' year, not the latest.
    CommissioningLineFactory(partnership=partnership_a, financial_year=2018, reference="CI 09")
    text = {
        "commissioning": COMMISSIONING.replace("2016/17", "2015/16"),
        "funding": "partnership,financial_year,source,amount\npartnership-a,2015/16,PCC,100\n",
    }[name]
    url = reverse("indicators:import", args=["partnership-a"])

    response = officer_client.post(url, {"files": [upload(name, text)]})

    assert response.url == "/p/partnership-a/commissioning/2015/"


@pytest.mark.django_db
def test_the_sites_upload_names_the_rows_it_changed_on_its_page(admin_client, partnership_a):
    files = upload(
        "partnerships",
        f"slug,name,population\npartnership-a,{partnership_a.name},26310\n"
        "safer-newtown,Safer Newtown,5000\n",
    )

    response = admin_client.post(reverse("indicators:import_all"), {"files": [files]}, follow=True)

    assert response.redirect_chain == [(reverse("indicators:import_all"), 302)]
    text = page_text(response)
    assert "What changed in partnerships" in text
    assert "What would change" not in text
    assert banner_rows(response)[1:] == [
        "safer-newtown: new: Name “Safer Newtown”, Population 5,000"
    ]
    assert banner_rows(response)[0].startswith("partnership-a: Population from ")


@pytest.mark.django_db
def test_an_upload_that_changes_nothing_names_no_rows(officer_client, partnership_a):
    url = reverse("indicators:import", args=["partnership-a"])
    officer_client.post(url, {"files": [upload("risks", RISKS)]})

    response = officer_client.post(url, {"files": [upload("risks", RISKS)]}, follow=True)

    assert "Imported risks: 0 new, 0 changed, 2 unchanged." in page_text(response)
    assert "What changed in" not in page_text(response)


@pytest.mark.django_db
def test_import_data_says_what_each_new_row_holds_as_the_site_writes_it(tmp_path, partnership_a):
    made = {
        code: IndicatorFactory(partnership=partnership_a, code=code, measure=measure)
        for code, measure in (("HC 01", "count"), ("SAT 01", "percentage"), ("CR 01", "rate"))
    }
    # SAT 01's change target is against 2015/16: a figure of that year.
    ActualFactory(indicator=made["SAT 01"], period=datetime.date(2015, 10, 1))
    files = {
        "targets": "partnership,indicator,year,type,value,baseline_year\n"
        "partnership-a,HC 01,2016/17,annual,375,\n"
        "partnership-a,SAT 01,2016/17,change_pct,-5,2015/16\n",
        "actuals": "partnership,indicator,period,value,numerator,denominator\n"
        "partnership-a,HC 01,2016-10,40,,\n"
        "partnership-a,HC 01,2016-11,1500,,\n"
        "partnership-a,SAT 01,2016-10,,45,50\n"
        "partnership-a,SAT 01,2016-11,89,16,18\n"
        "partnership-a,CR 01,2016-10,12.5,,\n",
        "risks": "partnership,reference,description,likelihood,impact\n"
        "partnership-a,R2,Staff shortage,2,3\n",
        "funding": "partnership,financial_year,source,amount\n"
        "partnership-a,2017/18,Council,400568.50\n",
    }
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")

    checked = import_data(tmp_path, "--dry-run")
    written = import_data(tmp_path)

    assert checked[1:] == [
        "What would change in targets:",
        "- partnership-a HC 01 2016/17: new: 375 for the year",
        "- partnership-a SAT 01 2016/17: new: a 5% reduction on 2015/16",
        "What would change in actuals:",
        "- partnership-a HC 01 October 2016: new: 40",
        "- partnership-a HC 01 November 2016: new: 1,500",
        "- partnership-a SAT 01 October 2016: new: 90% (45 of 50)",
        "- partnership-a SAT 01 November 2016: new: 88.8889% (16 of 18); "
        "value 89 stored as 88.8889 from 16 of 18",
        "- partnership-a CR 01 October 2016: new: 12.5 per 1,000",
        "What would change in risks:",
        "- partnership-a R2: new: Description “Staff shortage”, Likelihood 2, Impact 3, "
        "Status “Open”",
        "What would change in funding:",
        "- partnership-a Council 2017/18: new: Amount £400,568.50",
    ]
    assert written[1:] == as_written(checked[1:])


@pytest.mark.django_db
def test_the_check_page_says_what_each_new_row_holds(officer_client, two_actions):
    rows = [
        ACTIONS_HEADER,
        "partnership-a,Plan,2006/07,,1,Reduce crime,1.3,Leaflets,,All,2007-03-01,,"
        "not_started,,,,no,",
    ]

    response = check(
        officer_client, upload("actions", "\n".join(rows) + "\n"), slug="partnership-a"
    )

    assert banner_rows(response)[-1] == (  # after the banner of the import before
        "1.3 (Plan): new: Action “Leaflets”, Status “Not started”, Due date 1 March 2007"
    )


@pytest.mark.django_db
def test_import_data_says_what_a_target_it_replaces_is_now(tmp_path, partnership_a):
    hate = IndicatorFactory(partnership=partnership_a, code="HC 01")
    TargetFactory(indicator=hate, financial_year=2016, value=Decimal(1000))
    (tmp_path / "targets.csv").write_text(
        "partnership,indicator,year,type,value\npartnership-a,HC 01,2016/17,annual,375\n",
        encoding="utf-8",
    )

    assert import_data(tmp_path, "--dry-run")[1:] == [
        "What would change in targets:",
        "- partnership-a HC 01 2016/17: now 375 for the year",
    ]
