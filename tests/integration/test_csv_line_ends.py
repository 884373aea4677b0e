"""A cell holding a line end, "\r\n" or a lone "\r" (older data may hold one), stays one
cell in every CSV download: the writer makes its line ends "\n" and quotes it, so no
spreadsheet starts a row inside it, with a formula's "=" first and no apostrophe before
it. An import stores such a cell's line ends as "\n"."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from actions.models import Risk
from csp_portal.core.spreadsheet import CsvDictWriter, CsvWriter, spreadsheet_safe
from indicators import comparisons, importing
from reports import rendering, services
from tests.factories import (
    ActualFactory,
    CommissioningLineFactory,
    IndicatorFactory,
    ReportFactory,
)
from tests.factories.actions import (
    ActionFactory,
    CrossThemeIssueFactory,
    RecommendationFactory,
    RiskFactory,
)

TEXT = "x\r=1"  # a spreadsheet reading it bare starts a row with =1, a formula


def _assert_one_cell(text: str) -> list[list[str]]:
    """Every row has the header's number of cells, and none starts with "=" but the
    header's first (it never does)."""
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows
    for row in rows:
        assert len(row) == len(header), row
        assert not [cell for cell in row if cell.startswith("=")], row
    return rows


def test_csv_writer_quotes_a_lone_carriage_return():
    handle = io.StringIO()
    CsvWriter(handle).writerow(["a", TEXT, 1])
    assert handle.getvalue() == 'a,"x\n=1",1\n'


def test_csv_dict_writer_quotes_a_lone_carriage_return():
    handle = io.StringIO()
    writer = CsvDictWriter(handle, ["a", "b"])
    writer.writeheader()
    writer.writerow({"a": "y\r\n=2", "b": TEXT})
    assert handle.getvalue() == 'a,b\n"y\n=2","x\n=1"\n'


@pytest.mark.parametrize(("text", "safe"), [(TEXT, "x\n=1"), ("\r=1", "\n=1"), ("a\r\nb", "a\nb")])
def test_spreadsheet_safe_makes_line_ends_one(text, safe):
    assert spreadsheet_safe(text) == safe


@pytest.fixture
def cr_everywhere(partnership_a):
    """A partnership whose every kind of text holds TEXT, as older data may."""
    indicator = IndicatorFactory(partnership=partnership_a, title=TEXT)
    ActualFactory(indicator=indicator, period=datetime.date(2016, 11, 1))
    action = ActionFactory(
        objective__plan__partnership=partnership_a, description=TEXT, lead_text=TEXT
    )
    RiskFactory(
        partnership=partnership_a,
        description=TEXT,
        mitigation=TEXT,
        review_date=datetime.date(2011, 4, 20),
    )
    CrossThemeIssueFactory(partnership=partnership_a, title=TEXT, issue=TEXT)
    RecommendationFactory(partnership=partnership_a, recommendation=TEXT, status="in_progress")
    CommissioningLineFactory(partnership=partnership_a, area_of_need=TEXT, recommendation=TEXT)
    return action.plan


@pytest.mark.django_db
def test_every_csv_download_keeps_a_carriage_return_in_its_cell(
    client, partnership_a, officer_a, cr_everywhere
):
    client.force_login(officer_a)
    slug = partnership_a.slug
    urls = [
        reverse("actions:risks", args=[slug]),
        reverse("actions:recommendations", args=[slug]),
        reverse("actions:issues", args=[slug]),
        reverse("actions:plan", args=[slug, cr_everywhere.pk]),
        reverse("commissioning:plan", args=[slug, 2017]),
        reverse("indicators:list", args=[slug]),
    ]
    for url in urls:
        response = client.get(url, {"_export": "csv"})
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/csv"), url
        rows = _assert_one_cell(response.content.decode("utf-8"))
        assert any("x\n=1" in row for row in rows), url


@pytest.mark.django_db
def test_figures_export_comparisons_and_report_csv_keep_it_in_its_cell(
    tmp_path, partnership_a, cr_everywhere
):
    importing.export_to_folder(partnership_a, tmp_path)
    for name in ("risks", "actions", "recommendations", "commissioning", "indicators"):
        rows = _assert_one_cell((tmp_path / f"{name}.csv").read_text(encoding="utf-8"))
        assert any("x\n=1" in row for row in rows), name

    rows = _assert_one_cell(comparisons.records_csv(partnership_a, datetime.date(2016, 11, 1)))
    assert any("x\n=1" in row for row in rows)

    snapshot = services.report_snapshot(ReportFactory(partnership=partnership_a))
    rows = _assert_one_cell(rendering.report_csv(snapshot))
    assert any("x\n=1" in cell for row in rows for cell in row)


@pytest.mark.django_db
def test_import_stores_a_cells_line_ends_as_line_feeds(tmp_path, partnership_a, officer_a):
    (tmp_path / "risks.csv").write_bytes(
        b"partnership,reference,description,likelihood,impact\n"
        + f'{partnership_a.slug},R9,"Burglary rising\r=2+2",3,3\n'.encode()
        + f'{partnership_a.slug},R10,"One\r\ntwo",3,3\n'.encode()
    )
    importing.import_path(tmp_path, by=officer_a, scope=None, source="import")
    assert Risk.objects.get(reference="R9").description == "Burglary rising\n=2+2"
    assert Risk.objects.get(reference="R10").description == "One\ntwo"
