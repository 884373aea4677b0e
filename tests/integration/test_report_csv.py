"""report.csv against the demo's published reports: every figure the report prints, unrounded,
months as YYYY-MM, made from what the version stored; and build_report making only the
files someone receives."""

import csv
import datetime
import io
import time

import pytest
from django.core.management import call_command

from reports import rendering, services
from reports.models import Report, ReportVersion


def _rows(text: str) -> dict[tuple[str, str, str, str], str]:
    """(indicator or title, figure, period, area) -> value."""
    return {
        (r["indicator"] or r["title"], r["figure"], r["period"], r["area"]): r["value"]
        for r in csv.DictReader(io.StringIO(text))
    }


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-users", stdout=io.StringIO())


def _version(title: str) -> ReportVersion:
    return Report.objects.get(title=title).versions.get()


@pytest.mark.django_db
def test_demo_csv_holds_the_figures_report_1_prints(demo):
    version = _version("Safer Plymouth performance update")
    rows = _rows(version.csv)

    # Funding of £400,568: £233,500 allocated, £167,068 not allocated (for 2017/18).
    assert rows["", "funding_total_amount", "2017/18", ""] == "400568"
    assert rows["", "funding_total_allocated", "2017/18", ""] == "233500"
    assert rows["", "funding_total_unallocated", "2017/18", ""] == "167068"
    stream = "Police and Crime Commissioner grant"
    assert rows[stream, "funding_stream_unallocated", "2017/18", ""] == "167068"
    # Actions: 4 red, printed as 67%, written unrounded.
    assert rows["Red", "actions_rag_red_count", "", ""] == "4"
    assert rows["Red", "actions_rag_red_pct", "", ""] == "66.66666666666666666666666667"
    assert rows["", "actions_overdue", "", ""] == str(len(version.snapshot["actions"]["overdue"]))
    # Key findings: each count and its share as the tables print them, unrounded.
    for item in version.snapshot["key_findings"]["statuses"]:
        name = f"key_findings_status_{item['key']}"
        assert rows[item["label"], f"{name}_count", "", ""] == str(item["count"])
        assert rows[item["label"], f"{name}_pct", "", ""] == item["pct"]
    assert rows["Amber", "key_findings_status_amber_pct", "", ""] == "22.22222222222222222222222222"
    # SP 01's special cause, a field a cell.
    assert rows["SP 01", "spc_signal", "", ""] == "shift"
    assert rows["SP 01", "spc_signal_side", "", ""] == "above"


@pytest.mark.django_db
def test_demo_csv_holds_the_family_group_ranks_report_2_prints(demo):
    rows = _rows(_version("Safe and Strong Theme Group Update").csv)

    # "3rd best of 15, unchanged" in Q2 2010/11, at the rate stored unrounded.
    quarter = "Q2 2010/11"
    assert rows["SS 06", "family_group_rate_per_1000_population", quarter, ""].startswith(
        "20.0988217407829722538958570"
    )
    assert rows["SS 06", "family_group_rank", quarter, ""] == "3"
    assert rows["SS 06", "family_group_areas", quarter, ""] == "15"
    assert rows["SS 06", "family_group_rank_change", quarter, ""] == "0"
    assert rows["SS 07", "family_group_rank_change", quarter, ""] == "-1"


@pytest.mark.django_db
def test_demo_csv_writes_months_yyyy_mm_and_is_made_from_the_stored_snapshot(demo):
    for version in ReportVersion.objects.all():
        stored = ReportVersion.objects.get(pk=version.pk)  # the snapshot as read back
        assert stored.csv == rendering.report_csv(stored.snapshot)
        for row in csv.DictReader(io.StringIO(stored.csv)):
            assert len(row["report_period"]) == 7
            assert not (row["period"][:4].isdigit() and len(row["period"]) > 7), row
            if row["figure"] in ("period", "fy_start", "ytd_end") and row["value"]:
                assert len(row["value"]) == 7, row


@pytest.mark.django_db
def test_a_section_the_editor_hid_is_not_in_the_csv(demo):
    report = Report.objects.get(title="Safer Plymouth performance update")
    before = _rows(report.versions.get().csv)
    hidden = {"actions", "commissioning", "risks"}
    report.sections = [{**s, "shown": s["key"] not in hidden} for s in report.sections]
    report.save()

    version = services.report_publish(
        report=report, by=None, documents=False, reason="Sections hidden"
    ).version

    figures = {figure for _, figure, _, _ in _rows(version.csv)}
    for figure in (
        "actions_total",
        "actions_overdue",
        "funding_total_amount",
        "funding_stream_amount",
        "commissioning_lines",
        "commissioning_line_contribution",
        "open_issues_for_other_theme_groups",
        "open_scrutiny_recommendations",
    ):
        assert figure in {figure for _, figure, _, _ in before}
        assert figure not in figures, figure
    # What it prints is still there.
    assert "key_findings_status_amber_count" in figures
    assert _rows(version.csv)["SP 01", "spc_signal", "", ""] == "shift"


@pytest.mark.django_db
def test_an_overviews_csv_has_no_key_findings_it_does_not_print(demo):
    from csp_portal.core.models import Partnership

    report = Report.objects.create(
        partnership=Partnership.objects.get(slug="test-valley-csp"),
        kind=Report.Kind.OVERVIEW,
        title="Overview",
        period=datetime.date(2016, 11, 1),
        meeting_kind="scrutiny_panel",
        meeting_date=datetime.date(2017, 1, 24),
    )
    report.covers.set(Partnership.objects.filter(slug__in=["safer-plymouth", "safer-sunderland"]))

    text = rendering.report_csv(services.report_snapshot(report))

    figures = {figure for _, figure, _, _ in _rows(text)}
    assert not [f for f in figures if f.startswith(("key_findings", "actions_", "funding_"))]
    assert "indicators_without_figures" not in figures
    assert "spc_signal" in figures  # its partnerships' figures, which it prints


# build_report -----------------------------------------------------------------------------


def _build_report(*args) -> str:
    out = io.StringIO()
    call_command(
        "build_report", "--partnership=safer-plymouth", "--period=2016-11", *args, stdout=out
    )
    return out.getvalue().strip()


@pytest.mark.django_db
def test_demo_csv_holds_the_tolerance_the_commentary_prints(demo):
    # Review finding: the commentary says "within the tolerance of 5% of the target to
    # date, which is 18.8"; report.csv had neither the 5% nor the 18.75.
    version = _version("Safer Plymouth performance update")
    rows = _rows(version.csv)
    entry = next(e for e in version.snapshot["indicators"].values() if e["code"] == "SP 07")

    assert "tolerance of 5% of the target to date, which is 18.8" in entry["commentary"]
    assert rows["SP 07", "target_to_date", "", ""] == "375"
    assert rows["SP 07", "tolerance_pct", "", ""] == "5"
    assert rows["SP 07", "tolerance_amount", "", ""] == "18.75"
    # An indicator without a target has no tolerance to be within.
    monitored = next(e for e in version.snapshot["indicators"].values() if not e["has_target"])
    assert (monitored["code"], "tolerance_pct", "", "") not in rows
    # Added after the indicator's existing rows: those keep their order.
    figures = [
        r["figure"] for r in csv.DictReader(io.StringIO(version.csv)) if r["indicator"] == "SP 07"
    ]
    assert figures[-2:] == ["tolerance_pct", "tolerance_amount"]


@pytest.mark.django_db
def test_build_report_without_publish_or_out_makes_no_files(demo, fake_documents, monkeypatch):
    def not_wanted(*args, **kwargs):
        raise AssertionError("built for nobody")

    monkeypatch.setattr(services, "report_snapshot", not_wanted)
    drafts = Report.objects.count()

    start = time.perf_counter()
    path = _build_report()

    assert time.perf_counter() - start < 2
    assert fake_documents.calls == []
    assert Report.objects.count() == drafts + 1
    assert path == Report.objects.latest("pk").get_absolute_url()


@pytest.mark.django_db
def test_build_report_with_out_writes_the_drafts_files(demo, fake_documents, tmp_path):
    _build_report(f"--out={tmp_path}")

    assert [kind for kind, _ in fake_documents.calls] == ["charts", "pdf", "docx"]
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "report.docx").read_bytes().startswith(b"PK")
    assert (tmp_path / "report.csv").read_bytes().startswith(b"\xef\xbb\xbfpartnership,")
    rows = _rows((tmp_path / "report.csv").read_text(encoding="utf-8-sig"))
    assert rows["", "funding_total_amount", "2017/18", ""] == "400568"


@pytest.mark.django_db
@pytest.mark.parametrize("args", [["--publish"], ["--out={out}"]])
def test_build_report_that_cannot_draw_its_charts_stops_and_leaves_nothing(
    demo, fake_documents, monkeypatch, tmp_path, args
):
    # With BROWSER_PATH=/bin/false it ended in a ChartImageError traceback, a draft saved.
    from django.core.management.base import CommandError

    from reports.chart_images import ChartImageError

    def cannot_draw(charts):
        raise ChartImageError("the browser closed")

    monkeypatch.setattr(fake_documents, "chart_images", cannot_draw)
    reports, versions = Report.objects.count(), ReportVersion.objects.count()

    with pytest.raises(CommandError, match=r"could not be drawn .* nothing was saved"):
        _build_report(*(a.format(out=tmp_path / "files") for a in args))

    assert (Report.objects.count(), ReportVersion.objects.count()) == (reports, versions)
    assert not (tmp_path / "files").exists()


@pytest.mark.django_db
def test_build_report_warns_of_what_the_publish_page_warns_of(demo, fake_documents, tmp_path):
    # Review finding: a scheduled job publishing with --publish was told nothing of a cover
    # sheet with no author or implications, nor of NEW unexplained, which the publish page
    # warns of.
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "build_report",
        "--partnership=safer-plymouth",
        "--period=2016-11",
        f"--out={tmp_path}",
        stdout=out,
        stderr=err,
    )

    report = Report.objects.latest("pk")
    assert out.getvalue().strip() == report.get_absolute_url()
    snapshot = services.report_snapshot(report)
    lines = services.publish_check_lines(services.publish_checks(report, snapshot), snapshot)
    assert err.getvalue().splitlines() == [f"Warning: {line}" for line in lines]
    assert "Warning: The cover sheet does not give: who the report is of; " in err.getvalue()
    assert "NEW" in err.getvalue()
