"""What the import's check says would change, row by row; theme groups matched in any
case; the site's import found from the home page and from a partnership's import."""

import re
from html import unescape

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csp_portal.core.models import Partnership, ThemeGroup
from indicators.models import Actual, Indicator
from tests.factories import ActualFactory, CommissioningLineFactory, IndicatorFactory


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


@pytest.mark.django_db
def test_dry_run_counts_the_rows_of_a_table_that_names_none(officer_client, partnership_a):
    # Risks are only counted: no heading over an empty list, no "… and 2 more".
    response = check(
        officer_client,
        upload(
            "risks",
            "partnership,reference,description,likelihood,impact\n"
            "partnership-a,R1,Funding not confirmed,3,4\n"
            "partnership-a,R2,Staff shortage,2,2\n",
        ),
        slug="partnership-a",
    )

    text = page_text(response)
    html = response.content.decode()
    assert "What would change in risks 2 new rows (not listed)." in text
    assert "more." not in text
    assert not re.search(r'<ul class="govuk-list govuk-list--bullet">\s*</ul>', html)


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
    assert "CI 07 2017/18 : new" in text
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
    assert "SP 08 October 2016 : new; value 89 stored as 88.8889 from 16 of 18" in text
    assert "SP 08 November 2016 : new Nothing has been saved" in text  # 50 is 9 of 18
