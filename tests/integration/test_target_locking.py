"""A target a published report rated against is locked like the report's figures: a change
needs a reason (target page), is refused by imports and the admin, and the next report and
the published report's own page list it as a revision. What a report never showed (a new
indicator, a new year's first target, a month first entered since) is neither locked nor a
revision."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from indicators import importing
from indicators import services as figure_services
from indicators.models import FigureChange, Indicator, Target
from reports import rendering, selectors, services
from reports.models import Report, ReportVersion
from tests.factories import IndicatorFactory, ReportFactory, TargetFactory, ThemeGroupFactory
from tests.factories.series import actuals_create, hate_crime_indicator
from tests.integration.target_pages import shown_target
from tests.integration.test_import import write_csv

NOV_2016 = datetime.date(2016, 11, 1)


@pytest.fixture
def hate_crime(partnership_a):
    indicator = hate_crime_indicator(partnership_a)
    TargetFactory(indicator=indicator, financial_year=2016, kind="annual", value=Decimal(400))
    return indicator


@pytest.fixture
def published(partnership_a, hate_crime):
    report = ReportFactory(partnership=partnership_a, title="Hate crime update", period=NOV_2016)
    services.report_publish(report=report, by=None)
    return report


def set_target(indicator, value, *, year=2016, reason=""):
    return figure_services.target_set(
        indicator=indicator,
        financial_year=year,
        kind="annual",
        value=Decimal(value),
        by=None,
        reason=reason,
    )


def target_url(indicator, year=2016):
    return reverse("indicators:target_edit", args=[indicator.partnership.slug, indicator.pk, year])


@pytest.mark.django_db
def test_a_rated_target_changes_only_with_a_reason(published, hate_crime):
    with pytest.raises(figure_services.TargetLocked) as refused:
        set_target(hate_crime, 450)

    assert str(refused.value) == (
        "Give a reason for changing the 2016/17 target: the published report "
        "'Hate crime update' rated SP 09 against it, and the next report will list the "
        "change as a revision"
    )
    assert Target.objects.get(indicator=hate_crime).value == 400
    assert not FigureChange.objects.exists()

    set_target(hate_crime, 450, reason="agreed by the board")

    assert Target.objects.get(indicator=hate_crime).value == 450


@pytest.mark.django_db
def test_other_years_drafts_and_other_theme_groups_leave_a_target_free(partnership_a, hate_crime):
    ReportFactory(partnership=partnership_a, period=NOV_2016)  # a draft
    other_group = ReportFactory(
        partnership=partnership_a,
        period=NOV_2016,
        theme_group=ThemeGroupFactory(partnership=partnership_a),
    )
    services.report_publish(report=other_group, by=None)

    set_target(hate_crime, 450)
    set_target(hate_crime, 300, year=2017)

    assert sorted(Target.objects.values_list("financial_year", "value")) == [
        (2016, 450),
        (2017, 300),
    ]


@pytest.mark.django_db
def test_target_page_warns_and_asks_for_a_reason(client, officer_a, published, hate_crime):
    client.force_login(officer_a)

    page = client.get(target_url(hate_crime))
    assert "The published report 'Hate crime update' rated" in page.content.decode()

    shown = shown_target(client, target_url(hate_crime))
    refused = client.post(target_url(hate_crime), {**shown, "kind": "annual", "value": "450"})
    assert refused.status_code == 200
    assert "Give a reason for changing the 2016/17 target" in refused.content.decode()
    assert Target.objects.get(indicator=hate_crime).value == 400

    saved = client.post(
        target_url(hate_crime),
        {**shown, "kind": "annual", "value": "450", "reason": "Board, 24 Jan"},
    )
    assert saved.status_code == 302
    assert Target.objects.get(indicator=hate_crime).value == 450


@pytest.mark.django_db
def test_removing_a_rated_target_needs_a_reason(published, hate_crime):
    with pytest.raises(figure_services.TargetLocked):
        figure_services.targets_replace(indicator=hate_crime, financial_year=2016, rows=[], by=None)

    assert Target.objects.get(indicator=hate_crime).value == 400
    assert not FigureChange.objects.exists()

    figure_services.targets_replace(
        indicator=hate_crime, financial_year=2016, rows=[], by=None, reason="dropped by the board"
    )

    assert not Target.objects.filter(indicator=hate_crime).exists()
    assert FigureChange.objects.get().reason == "dropped by the board"


@pytest.mark.django_db
def test_target_page_refuses_no_target_without_a_reason(client, officer_a, published, hate_crime):
    client.force_login(officer_a)
    shown = shown_target(client, target_url(hate_crime))

    refused = client.post(target_url(hate_crime), {**shown, "kind": "none"})

    assert refused.status_code == 200
    assert "Give a reason for changing the 2016/17 target" in refused.content.decode()
    assert Target.objects.get(indicator=hate_crime).value == 400


@pytest.mark.django_db
def test_target_page_of_a_year_no_report_rated_has_no_warning(client, officer_a, hate_crime):
    client.force_login(officer_a)

    page = client.get(target_url(hate_crime))

    assert page.context["locked_by"] is None
    assert "rated this indicator" not in page.content.decode()


@pytest.mark.django_db
def test_import_changing_a_rated_target_fails_naming_the_report(tmp_path, published, hate_crime):
    slug = hate_crime.partnership.slug
    row = {"partnership": slug, "indicator": "SP 09", "type": "annual"}
    write_csv(
        tmp_path,
        "targets",
        [{**row, "year": "2017/18", "value": "300"}, {**row, "year": "2016/17", "value": "450"}],
    )

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)

    assert failed.value.report.errors == [
        "targets.csv row 3: the 2016/17 target is in the published report "
        "'Hate crime update'; change it on the indicator's target page with a reason"
    ]
    # All or nothing: the unlocked year (row 2) is not written either.
    assert list(Target.objects.values_list("financial_year", "value")) == [(2016, 400)]


@pytest.mark.django_db
def test_import_lists_a_locked_target_and_a_falling_profile_with_other_problems(
    tmp_path, published, hate_crime
):
    """Review finding: the target locks and the stored profile were checked only once no
    row of any file had an error, so they were listed only after the others were fixed."""
    other = IndicatorFactory(partnership=hate_crime.partnership, code="SP 10")
    TargetFactory(
        indicator=other,
        financial_year=2017,
        kind="cumulative",
        period=datetime.date(2017, 6, 1),
        value=Decimal(30),
    )
    slug = hate_crime.partnership.slug
    write_csv(
        tmp_path,
        "targets",
        [
            {"partnership": slug, "indicator": "SP 09", "year": "2016/17", "type": "annual"}
            | {"value": "450"},
            {"partnership": slug, "indicator": "SP 10", "year": "2017/18", "type": "cumulative"}
            | {"value": "20", "period": "2017-07"},
            {"partnership": slug, "indicator": "SP 09", "year": "2018/19", "type": "annual"}
            | {"value": "lots"},
        ],
    )
    write_csv(
        tmp_path,
        "actuals",
        [{"partnership": slug, "indicator": "SP 09", "period": "2016-13", "value": "5"}],
    )

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)

    assert failed.value.report.errors == [  # by file and row, as the files have them
        "targets.csv row 2: the 2016/17 target is in the published report "
        "'Hate crime update'; change it on the indicator's target page with a reason",
        "targets.csv row 3: a cumulative target cannot go down: with the SP 10 profile "
        "already stored, the target to the end of July 2017 is less than the month before",
        "targets.csv row 4: value 'lots' is not a number",
        "actuals.csv row 2: period '2016-13' is not a month like 2016-11",
    ]
    assert list(Target.objects.filter(indicator=hate_crime).values_list("value")) == [(400,)]
    assert Target.objects.filter(indicator=other).count() == 1


@pytest.mark.django_db
def test_admin_leaves_a_rated_target_to_its_target_page(client, admin_user, published, hate_crime):
    client.force_login(admin_user)
    target = Target.objects.get()

    change = client.get(reverse("admin:indicators_target_change", args=[target.pk]))
    assert "value" not in change.context["adminform"].form.fields
    added = client.post(
        reverse("admin:indicators_target_add"),
        {
            "indicator": hate_crime.pk,
            "financial_year": 2016,
            "kind": "cumulative",
            "value": "30",
            "period": "2016-04-01",
        },
    )

    assert added.status_code == 200
    assert "change it on the indicator&#x27;s target page" in added.content.decode()
    assert Target.objects.count() == 1


@pytest.mark.django_db
def test_next_report_lists_a_target_change_as_a_revision(partnership_a, published, hate_crime):
    set_target(hate_crime, 450, reason="agreed by the board")
    later = ReportFactory(partnership=partnership_a, title="Next update", period=NOV_2016)

    snapshot = services.report_snapshot(later)

    assert [(r["what"], r["old"], r["new"], r["reason"]) for r in snapshot["revisions"]] == [
        ("Target for 2016/17", "400 for the year", "450 for the year", "agreed by the board")
    ]
    html = rendering.render_document(snapshot)
    assert '<td class="govuk-table__cell">Target for 2016/17</td>' in html
    assert "450 for the year" in html


@pytest.mark.django_db
def test_published_page_names_a_changed_target_and_not_one_changed_back(
    client, officer_a, panel_a, published, hate_crime
):
    set_target(hate_crime, 450, reason="agreed by the board")
    client.force_login(officer_a)

    revisions = client.get(published.get_absolute_url()).context["revisions"]

    assert [(r.what, r.old, r.new) for r in revisions] == [
        ("Target for 2016/17", "400 for the year", "450 for the year")
    ]
    # The target now is not yet published: the panel is told only that it was revised.
    client.force_login(panel_a)
    page = client.get(published.get_absolute_url())
    assert [(r.what, r.old, r.new) for r in page.context["revisions"]] == [
        ("Target for 2016/17", "400 for the year", None)
    ]
    assert b"450 for the year" not in page.content
    assert b"Revised since publication" in page.content

    set_target(hate_crime, 400, reason="the board changed its mind")
    assert client.get(published.get_absolute_url()).context["revisions"] == []


@pytest.mark.django_db
def test_a_years_first_target_and_a_month_first_entered_are_no_revisions(partnership_a):
    indicator = hate_crime_indicator(partnership_a)  # figures April 2015 to November 2016
    march = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 3, 1))
    services.report_publish(report=march, by=None)
    # April: the new year's target is set, and April's figure entered again (it was not
    # in the March report): neither changes anything the panel was given.
    set_target(indicator, 400)
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(indicator, datetime.date(2016, 4, 1), Decimal(1))],
        by=None,
    )
    # April 2015, which both reports show (June's beside April 2016), changed with a
    # reason: a revision.
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(indicator, datetime.date(2015, 4, 1), Decimal(2))],
        by=None,
        reason="late crimes",
    )
    june = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 6, 1))

    revisions = services.report_snapshot(june)["revisions"]

    assert [(r["what"], r["new"], r["reason"]) for r in revisions] == [
        ("April 2015", "2", "late crimes")
    ]


@pytest.mark.django_db
def test_a_change_of_kind_is_one_revision_in_words(published, hate_crime):
    profile = [
        figure_services.TargetRow("cumulative", Decimal(30 * n), None, datetime.date(2016, m, 1))
        for n, m in enumerate(range(4, 13), start=1)
    ]
    figure_services.targets_replace(
        indicator=hate_crime, financial_year=2016, rows=profile, by=None, reason="board"
    )
    version = ReportVersion.objects.get(report=published)

    notice = selectors.revision_notice(version)
    later = ReportFactory(partnership=published.partnership, period=NOV_2016)
    listed = services.report_snapshot(later)["revisions"]

    # Its points stop at December: 270 is the target to December, not for the year.
    expected = ("Target for 2016/17", "400 for the year", "a monthly profile: 270 to December 2016")
    assert [(r.what, r.old, r.new) for r in notice] == [expected]
    assert [(r["what"], r["old"], r["new"], r["reason"]) for r in listed] == [(*expected, "board")]


@pytest.mark.django_db
def test_a_quarterly_profile_point_is_named_by_its_quarters_last_month(partnership_a):
    indicator = IndicatorFactory(
        partnership=partnership_a, code="Q 01", frequency=Indicator.Frequency.QUARTERLY
    )
    actuals_create(indicator, {datetime.date(2016, 4, 1): 20, datetime.date(2016, 7, 1): 25})
    for quarter, value in ((4, 30), (7, 60)):
        figure_services.target_set(
            indicator=indicator,
            financial_year=2016,
            kind="cumulative",
            value=Decimal(value),
            period=datetime.date(2016, quarter, 1),
            by=None,
        )
    services.report_publish(report=ReportFactory(partnership=partnership_a), by=None)
    figure_services.target_set(
        indicator=indicator,
        financial_year=2016,
        kind="cumulative",
        value=Decimal(40),
        period=datetime.date(2016, 4, 1),
        by=None,
        reason="re-profiled",
    )

    revisions = services.report_snapshot(ReportFactory(partnership=partnership_a))["revisions"]

    assert [(r["what"], r["old"], r["new"]) for r in revisions] == [
        ("Target to June 2016", "30 to date", "40 to date")
    ]


@pytest.mark.django_db
def test_an_indicator_the_report_did_not_show_is_not_locked(tmp_path, published, hate_crime):
    # Added after the report was published, with its history and this year's target.
    slug = hate_crime.partnership.slug
    write_csv(
        tmp_path,
        "indicators",
        [{"partnership": slug, "code": "NEW 1", "title": "New", "polarity": "lower",
          "measure": "count"}],
    )  # fmt: skip
    write_csv(
        tmp_path,
        "targets",
        [{"partnership": slug, "indicator": "NEW 1", "year": "2016/17", "type": "annual",
          "value": "100"}],
    )  # fmt: skip
    write_csv(
        tmp_path,
        "actuals",
        [{"partnership": slug, "indicator": "NEW 1", "period": "2016-10", "value": "7"}],
    )

    importing.import_path(tmp_path, by=None)

    new = Indicator.objects.get(code="NEW 1")
    assert new.targets.get().value == 100 and new.actuals.get().value == 7
    assert figure_services.target_locked_by(new, 2016) is None
    assert figure_services.target_locked_by(hate_crime, 2016).title == "Hate crime update"


@pytest.mark.django_db
def test_a_report_of_earlier_months_published_later_leaves_newer_revisions_listed(
    partnership_a,
):
    indicator = hate_crime_indicator(partnership_a)
    october = datetime.date(2016, 10, 1)
    november = ReportFactory(partnership=partnership_a, period=NOV_2016, title="November")
    services.report_publish(report=november, by=None)
    figure_services.actuals_save(
        entries=[figure_services.FigureInput(indicator, october, Decimal(999))],
        by=None,
        reason="late crimes",
    )
    # Published after the change, but showing April to June only (a theme group's, or
    # June's again): October's revision still counts from November's publication.
    june = ReportFactory(
        partnership=partnership_a,
        period=datetime.date(2016, 6, 1),
        theme_group=indicator.theme_group,
        title="June",
    )
    services.report_publish(report=june, by=None)

    revisions = services.report_snapshot(ReportFactory(partnership=partnership_a))["revisions"]

    assert [(r["what"], r["new"], r["reason"]) for r in revisions] == [
        ("October 2016", "999", "late crimes")
    ]


@pytest.mark.django_db
def test_a_first_target_for_a_year_the_report_showed_without_one_needs_a_reason(
    client, officer_a, partnership_a
):
    # The report showed SP 10 for 2016/17 with no target. The year is frozen all the same:
    # its first target is a change the panel was not given, listed by the next report as a
    # revision, so it needs a reason like any other (and the page says so beforehand).
    other = IndicatorFactory(partnership=partnership_a, code="SP 10")
    actuals_create(other, {datetime.date(2016, 10, 1): 5})
    report = ReportFactory(partnership=partnership_a, title="Update", period=NOV_2016)
    services.report_publish(report=report, by=None)
    client.force_login(officer_a)
    page = client.get(target_url(other)).content.decode()
    assert (
        "The published report 'Update' showed this indicator with no 2016/17 target. Setting "
        "or changing its target needs a reason"
    ) in page

    with pytest.raises(figure_services.TargetLocked):
        set_target(other, 420)
    refused = client.post(target_url(other), {"kind": "annual", "value": "420"})
    assert "Give a reason for changing the 2016/17 target" in unescape(refused.content.decode())
    assert not Target.objects.filter(indicator=other).exists()

    target, outcome = set_target(other, 420, reason="the board set one in December")

    assert outcome == "created" and target.value == 420
    later = ReportFactory(partnership=partnership_a, period=datetime.date(2017, 1, 1))
    revisions = services.report_snapshot(later)["revisions"]
    assert [r["reason"] for r in revisions] == ["the board set one in December"]


@pytest.mark.django_db
@pytest.mark.parametrize("polarity", ["higher", "monitor"])
def test_a_target_the_report_did_not_print_is_locked_in_words_saying_so(
    tmp_path, client, officer_a, admin_user, partnership_a, polarity
):
    # The report showed SP 10 for 2016/17 with no target: none then, or monitoring only
    # (a target kept, not printed). A target set, or kept, since changes only with a reason,
    # but the words must not say the report rated SP 10 against it. A monitoring-only
    # indicator takes no new target at all; the one kept is removed only with a reason.
    other = IndicatorFactory(partnership=partnership_a, code="SP 10", polarity=polarity)
    actuals_create(other, {datetime.date(2016, 10, 1): 5})
    if polarity == "monitor":
        TargetFactory(indicator=other, financial_year=2016, kind="annual", value=Decimal(40))
    report = ReportFactory(partnership=partnership_a, title="Update", period=NOV_2016)
    services.report_publish(report=report, by=None)
    if polarity == "higher":
        set_target(other, 40, reason="set in December")  # the report printed none

    with pytest.raises(figure_services.TargetLocked) as refused:
        if polarity == "monitor":
            figure_services.targets_replace(indicator=other, financial_year=2016, rows=[], by=None)
        else:
            set_target(other, 60)

    assert str(refused.value) == (
        "Give a reason for changing the 2016/17 target: the published report 'Update' "
        "showed SP 10 with no target for 2016/17, and the next report will list the change "
        "as a revision"
    )
    client.force_login(officer_a)
    page = client.get(target_url(other)).content.decode()
    assert (
        "The published report 'Update' showed this indicator with no 2016/17 target. Setting "
        "or changing its target needs a reason, and the next report will list it as a revision."
    ) in page
    assert "rated this indicator" not in page
    client.force_login(admin_user)
    added = client.post(
        reverse("admin:indicators_target_add"),
        {"indicator": other.pk, "financial_year": 2016, "kind": "annual", "value": "60"},
    )
    assert "A published report showed SP 10 with no 2016/17 target: change it" in unescape(
        added.content.decode()
    )
    write_csv(
        tmp_path,
        "targets",
        [{"partnership": partnership_a.slug, "indicator": "SP 10", "year": "2016/17",
          "type": "annual", "value": "60"}],
    )  # fmt: skip
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)
    assert failed.value.report.errors == [
        "targets.csv row 2: SP 10 is for monitoring only, so it cannot have a target: make "
        "lower or higher better for it first"
        if polarity == "monitor"
        else "targets.csv row 2: the published report 'Update' showed SP 10 with no target "
        "for 2016/17; change it on the indicator's target page with a reason"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [Report.Kind.PARTNERSHIP, Report.Kind.OVERVIEW])
def test_a_report_or_overview_that_printed_the_target_rated_against_it(
    partnership_a, hate_crime, kind
):
    report = ReportFactory(partnership=partnership_a, title="Update", kind=kind)
    report.covers.set([partnership_a])
    services.report_publish(report=report, by=None)

    assert figure_services.target_locked_by(hate_crime, 2016) == figure_services.TargetLock(
        "Update", rated=True
    )


@pytest.mark.django_db
def test_import_of_a_years_first_profile_the_report_showed_without_one_is_refused(
    tmp_path, published, hate_crime
):
    # Another indicator the report showed for 2016/17 had no target: a file (which gives no
    # reason) may not set its first profile, as the target page would not without one.
    other = IndicatorFactory(partnership=hate_crime.partnership, code="SP 10")
    actuals_create(other, {datetime.date(2016, 10, 1): 5})
    services.report_publish(
        report=ReportFactory(partnership=hate_crime.partnership, title="Update", period=NOV_2016),
        by=None,
    )
    row = {"partnership": hate_crime.partnership.slug, "indicator": "SP 10", "year": "2016/17"}
    write_csv(
        tmp_path,
        "targets",
        [
            {**row, "type": "cumulative", "value": str(10 * n), "period": f"2016-0{n + 3}"}
            for n in (1, 2, 3)
        ],
    )

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None, dry_run=True)

    assert failed.value.report.errors[0].startswith(
        "targets.csv row 2: the published report 'Update' showed SP 10 with no target for "
        "2016/17; change it on the indicator's target page with a reason"
    )
    with pytest.raises(importing.ImportFailed):
        importing.import_path(tmp_path, by=None)
    assert not Target.objects.filter(indicator=other).exists()
    # A year no report showed takes its first target from a file as before.
    write_csv(tmp_path, "targets", [{**row, "year": "2017/18", "type": "annual", "value": "9"}])
    importing.import_path(tmp_path, by=None)
    assert Target.objects.filter(indicator=other, financial_year=2017).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "baseline", "refused"),
    [
        ("change_pct", "2017", "Enter a baseline year from 2007 to 2016"),
        ("change_pct", "2006", "Enter a baseline year from 2007 to 2016"),
        ("change_pct", "", "Enter a baseline year from 2007 to 2016"),
        ("annual", "2016", "Leave the baseline year blank: only a change has one"),
        ("change_pct", "2016", None),
    ],
)
def test_the_admin_takes_the_baseline_years_the_target_page_offers(
    client, admin_user, hate_crime, kind, baseline, refused
):
    client.force_login(admin_user)
    added = client.post(
        reverse("admin:indicators_target_add"),
        {
            "indicator": hate_crime.pk,
            "financial_year": 2017,
            "kind": kind,
            "value": "-5",
            "baseline_year": baseline,
        },
    )

    if refused:
        assert refused in unescape(added.content.decode())
        assert not Target.objects.filter(financial_year=2017).exists()
    else:
        assert added.status_code == 302
        assert Target.objects.get(financial_year=2017).baseline_year == 2016


@pytest.mark.django_db
def test_the_target_admin_names_years_as_their_partnerships_do(
    admin_client, partnership_a, hate_crime, django_assert_max_num_queries
):
    partnership_a.fy_start_month = 1
    partnership_a.save()
    for code in ("HC 2", "HC 3", "HC 4"):
        TargetFactory(
            indicator=IndicatorFactory(partnership=partnership_a, code=code),
            financial_year=2016,
            kind="annual",
            value=Decimal(10),
        )

    assert str(Target.objects.get(indicator=hate_crime)).endswith(" 2016 annual figure")
    with django_assert_max_num_queries(10):
        page = admin_client.get(reverse("admin:indicators_target_changelist"))
    text = unescape(page.content.decode())
    assert "2016/17" not in text and "2016" in text


@pytest.mark.django_db
def test_the_admins_year_filter_says_years_as_every_partnership_does(
    admin_client, partnership_a, partnership_b
):
    url = reverse("admin:indicators_target_changelist")
    assert "2020/21" in unescape(admin_client.get(url).content.decode())

    partnership_a.fy_start_month = 1
    partnership_a.save()

    text = unescape(admin_client.get(url).content.decode())
    assert "2020/21" not in text and "Starting in 2020" in text


@pytest.mark.django_db
def test_the_next_report_lists_changes_to_the_baseline_year_a_report_rated(partnership_a):
    """Review finding: the lock and the revisions disagreed once a change target's baseline
    moved. The November report rated SP 09 against a change on 2013/14; moved to 2014/15
    since, June 2013 stays locked (its change needs a reason) and June 2014 is free. The
    next report lists the change the lock asked a reason for, not the free one."""
    june_2013, june_2014 = datetime.date(2013, 6, 1), datetime.date(2014, 6, 1)
    indicator = hate_crime_indicator(partnership_a)
    actuals_create(indicator, {june_2013: 10, june_2014: 20})

    def change_on(baseline_year, reason=""):
        figure_services.target_set(
            indicator=indicator,
            financial_year=2016,
            kind="change_pct",
            value=Decimal(5),
            baseline_year=baseline_year,
            by=None,
            reason=reason,
        )

    def save(period, value, reason=""):
        figure_services.actuals_save(
            entries=[figure_services.FigureInput(indicator, period, Decimal(value))],
            by=None,
            reason=reason,
        )

    change_on(2013)
    november = ReportFactory(partnership=partnership_a, title="Hate crime update", period=NOV_2016)
    services.report_publish(report=november, by=None)
    published = ReportVersion.objects.get(report=november)
    change_on(2014, reason="baseline corrected")
    with pytest.raises(figure_services.FigureLocked):
        save(june_2013, 17)
    save(june_2013, 17, reason="corrected by police")
    save(june_2014, 29)  # no report rated or covered it: no reason asked

    december = ReportFactory(partnership=partnership_a, period=datetime.date(2016, 12, 1))
    revisions = services.report_snapshot(december)["revisions"]

    figures = [(r["what"], r["old"], r["new"], r["reason"]) for r in revisions if r.get("period")]
    assert figures == [("June 2013", "10", "17", "corrected by police")]
    assert ReportVersion.objects.get(pk=published.pk).html == published.html
