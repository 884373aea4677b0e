"""Figures and targets beyond what is stored, and the target rules, refused alike by the
forms and the import: a clear message at the box or the row, and nothing saved."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators import importing
from indicators.models import Actual, FigureChange, Target
from reports import services as report_services
from tests.factories import ActualFactory, IndicatorFactory, ReportFactory, TargetFactory
from tests.factories.series import hate_crime_indicator
from tests.integration.test_figure_entry import error_summary, form_data, messages_of
from tests.integration.test_import import write_csv

DEC_2016 = datetime.date(2016, 12, 1)
NOV_2016 = datetime.date(2016, 11, 1)


@pytest.fixture
def burglary(partnership_a):
    return IndicatorFactory(partnership=partnership_a, code="SP 01", title="Burglary")


@pytest.fixture
def satisfaction(partnership_a):
    return IndicatorFactory(
        partnership=partnership_a, code="SP 08", title="Satisfied", measure="percentage"
    )


@pytest.fixture
def rate(partnership_a):
    return IndicatorFactory(partnership=partnership_a, code="SS 06", title="Rate", measure="rate")


def actual(code, period="2016-12", **values) -> dict:
    return {"partnership": "partnership-a", "indicator": code, "period": period, **values}


def target(code, **values) -> dict:
    return {"partnership": "partnership-a", "indicator": code, "year": "2016/17", **values}


def import_errors(folder) -> list[str]:
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(folder, by=None)
    return failed.value.report.errors


# Import: figures too long for the fields ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row, message",
    [
        (
            actual("SP 01", value="99999999999999999999"),
            "actuals.csv row 2: value has too many digits (at most 12 before the decimal point).",
        ),
        # An exponent is not read (Decimal would, as a number past the field).
        (actual("SP 01", value="1e20"), "actuals.csv row 2: value '1e20' is not a number"),
        (
            actual("SS 06", value="1.123456"),
            "actuals.csv row 2: value has too many decimal places (at most 4).",
        ),
        (
            actual("SP 08", numerator="1", denominator="3.123456789"),
            "actuals.csv row 2: denominator has too many decimal places (at most 4).",
        ),
        (
            actual("SP 01", value="5", note="x" * 600),
            "actuals.csv row 2: note is 600 characters long (at most 500)",
        ),
    ],
)
def test_import_figure_beyond_the_fields_is_a_row_error_and_saves_nothing(
    tmp_path, burglary, satisfaction, rate, row, message
):
    write_csv(tmp_path, "actuals", [actual("SP 01", period="2016-11", value="7"), row])

    assert import_errors(tmp_path) == [message.replace("row 2", "row 3")]
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_import_figure_at_the_limits_is_saved_and_pages_show_it(
    client, officer_a, tmp_path, burglary, rate
):
    write_csv(
        tmp_path,
        "actuals",
        [
            actual("SP 01", value="999999999999"),
            actual("SS 06", value="1.1234"),
            actual("SS 06", period="2016-11", value="2.50000"),
        ],
    )

    importing.import_path(tmp_path, by=None)

    assert Actual.objects.get(indicator=burglary).value == Decimal("999999999999")
    assert Actual.objects.get(indicator=rate, period=NOV_2016).value == Decimal("2.5")
    client.force_login(officer_a)
    for url in (
        reverse("indicators:detail", args=["partnership-a", burglary.pk]),
        reverse("indicators:dashboard", args=["partnership-a"]) + "?period=2016-12",
        reverse("indicators:month_sheet", args=["partnership-a", "2016-12"]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_import_data_target_too_long_is_a_row_error_not_a_traceback(tmp_path, burglary):
    write_csv(tmp_path, "targets", [target("SP 01", type="annual", value="99999999999999999999")])

    with pytest.raises(CommandError, match="Nothing imported: 1 problem found"):
        call_command("import_data", str(tmp_path))

    assert not Target.objects.exists()


# Forms: figures too long for the fields -------------------------------------------------


def sheet_url(month="2016-12"):
    return reverse("indicators:month_sheet", args=["partnership-a", month])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "boxes, message",
    [
        (
            {"i{burglary}-v": "99999999999999999"},
            "SP 01 Burglary has too many digits (at most 12 before the decimal point).",
        ),
        (
            {"i{burglary}-v": "1e20"},
            "SP 01 Burglary must be a number, like 148 ('1e20' is not a number). "
            "Leave it blank if there is no figure yet.",
        ),
        (
            {"i{satisfaction}-n": "1", "i{satisfaction}-d": "3.123456789"},
            "SP 08 Satisfied: the denominator has too many decimal places (at most 4).",
        ),
    ],
)
def test_month_sheet_figure_beyond_the_fields_is_a_box_error(
    client, officer_a, burglary, satisfaction, boxes, message
):
    client.force_login(officer_a)
    data = form_data(client.get(sheet_url()))
    pks = {"burglary": burglary.pk, "satisfaction": satisfaction.pk}
    data |= {name.format(**pks): value for name, value in boxes.items()}

    response = client.post(sheet_url(), data)

    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert not Actual.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, message",
    [
        ("1.123456", "has too many decimal places (at most 4)."),
        ("9999999999999", "has too many digits (at most 12 before the decimal point)."),
    ],
)
def test_year_grid_figure_beyond_the_fields_is_a_box_error(client, officer_a, rate, typed, message):
    url = reverse("indicators:year_grid", args=["partnership-a", rate.pk, 2016])
    client.force_login(officer_a)
    data = form_data(client.get(url)) | {"m2016-05-v": typed}

    response = client.post(url, data)

    assert response.status_code == 200
    assert error_summary(response) == [f"May 2016 {message}"]
    assert not Actual.objects.exists()


def target_url(indicator, year=2017):
    return reverse("indicators:target_edit", args=["partnership-a", indicator.pk, year])


def form_errors(response) -> list[str]:
    return [str(e) for field in response.context["form"].errors.values() for e in field]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"kind": "annual", "value": "99999999999999999"},
            "The target has too many digits (at most 12 before the decimal point).",
        ),
        (
            {"kind": "annual", "value": "1.123456"},
            "The target has too many decimal places (at most 4).",
        ),
        (
            {"kind": "change_pct", "value": "-9999999999999", "baseline_year": "2016"},
            "The target has too many digits (at most 12 before the decimal point).",
        ),
        (
            {"kind": "change_pct", "value": "-1e30", "baseline_year": "2016"},
            "The target must be a number, like -3 or 5 ('-1e30' is not a number).",
        ),
        (
            {"kind": "change_pct", "value": "-150", "baseline_year": "2016"},
            "The target is a change in per cent: a reduction cannot be more than 100%.",
        ),
    ],
)
def test_target_form_refuses_what_cannot_be_stored_or_cannot_be(
    client, officer_a, burglary, data, message
):
    client.force_login(officer_a)

    response = client.post(target_url(burglary), data)

    assert response.status_code == 200
    assert form_errors(response) == [message]
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_target_form_percentage_profile_above_100_is_refused(client, officer_a, satisfaction):
    client.force_login(officer_a)

    response = client.post(target_url(satisfaction), {"kind": "cumulative", "p-2017-04": "500"})

    assert form_errors(response) == [
        "The target to the end of April 2017 is a percentage, so it cannot be more than 100."
    ]
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_target_form_change_of_minus_100_is_allowed(client, officer_a, burglary):
    ActualFactory(indicator=burglary, period=datetime.date(2016, 4, 1))  # the baseline's
    client.force_login(officer_a)

    client.post(
        target_url(burglary), {"kind": "change_pct", "value": "-100", "baseline_year": "2016"}
    )

    assert Target.objects.get().value == -100


# Import: the target rules of the form --------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row, message",
    [
        (
            target("SP 01", type="cumulative", value="-50", period="2016-04"),
            "value cannot be negative.",
        ),
        (
            target("SP 08", type="annual", value="250"),
            "value is a percentage, so it cannot be more than 100.",
        ),
        (
            target("SP 01", type="change_pct", value="-400", baseline_year="2015/16"),
            "value is a change in per cent: a reduction cannot be more than 100%.",
        ),
        (
            target("SP 01", type="annual", value="1.123456"),
            "value has too many decimal places (at most 4).",
        ),
    ],
)
def test_import_target_follows_the_target_form_rules(
    tmp_path, burglary, satisfaction, row, message
):
    write_csv(tmp_path, "targets", [row])

    assert import_errors(tmp_path) == [f"targets.csv row 2: {message}"]
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_import_count_profile_that_goes_down_is_refused_as_the_form_refuses_it(tmp_path, burglary):
    write_csv(
        tmp_path,
        "targets",
        [
            target("SP 01", type="cumulative", value="50", period="2016-04"),
            target("SP 01", type="cumulative", value="120", period="2016-06"),
            target("SP 01", type="cumulative", value="130", period="2016-05"),
            target("SP 01", type="cumulative", value="40", period="2016-07"),
            target("SP 01", type="cumulative", value="125", period="2016-08"),
        ],
    )

    errors = import_errors(tmp_path)

    assert errors == [
        "targets.csv row 4: a cumulative target cannot go down: the target to 2016-05 is "
        "out of order with the months before or after it",
        "targets.csv row 5: a cumulative target cannot go down: the target to 2016-07 is "
        "out of order with the months before or after it",
    ]


@pytest.mark.django_db
def test_import_profile_point_below_a_stored_one_before_it_is_refused(tmp_path, burglary):
    for period, value in (("2016-04-01", 10), ("2016-05-01", 20), ("2016-06-01", 30)):
        TargetFactory(
            indicator=burglary, financial_year=2016, kind="cumulative", value=value, period=period
        )
    write_csv(
        tmp_path, "targets", [target("SP 01", type="cumulative", value="5", period="2016-05")]
    )

    assert import_errors(tmp_path) == [
        "targets.csv row 2: a cumulative target cannot go down: with the SP 01 profile "
        "already stored, the target to the end of May 2016 is less than the month before"
    ]
    stored = Target.objects.filter(indicator=burglary).order_by("period")
    assert [t.value for t in stored] == [10, 20, 30]


@pytest.mark.django_db
def test_import_two_kinds_of_target_for_one_year_is_a_row_error(tmp_path, burglary):
    write_csv(
        tmp_path,
        "targets",
        [
            target("SP 01", type="annual", value="500"),
            target("SP 01", type="cumulative", value="40", period="2016-04"),
        ],
    )

    assert import_errors(tmp_path) == [
        "targets.csv row 3: the 2016/17 target is annual at row 2: "
        "a year can have only one kind of target"
    ]
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_import_profile_of_one_kind_twice_changes_nothing_the_second_time(tmp_path, burglary):
    write_csv(
        tmp_path,
        "targets",
        [
            target("SP 01", type="cumulative", value="40", period="2016-04"),
            target("SP 01", type="cumulative", value="80", period="2016-05"),
        ],
    )
    importing.import_path(tmp_path, by=None)

    again = importing.import_path(tmp_path, by=None)

    assert (again.created["targets"], again.unchanged["targets"]) == (0, 2)


# Import: an officer's own export, and a note in a published month -------------------------


@pytest.mark.django_db
def test_officer_reimports_own_export_leaving_out_admin_sheets(client, officer_a, burglary):
    ActualFactory(indicator=burglary, period=NOV_2016, value=Decimal(12))
    TargetFactory(indicator=burglary, financial_year=2016, value=Decimal(300))
    client.force_login(officer_a)
    workbook = client.get(reverse("indicators:export", args=["partnership-a"]))
    content = b"".join(workbook.streaming_content)

    response = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [SimpleUploadedFile("partnership-a.xlsx", content)]},
    )

    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith("Imported actuals: 0 new, 0 changed, 1 unchanged")
    assert message.endswith(
        "Left out the sheets partnerships, indicators and targets: "
        "only an administrator imports these."
    )
    assert not FigureChange.objects.exists()


@pytest.mark.django_db
def test_import_workbook_errors_name_the_sheet(client, officer_a, burglary):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "actuals"
    workbook.active.append(["partnership", "indicator", "period", "value"])
    workbook.active.append(["partnership-a", "SP 01", "2016-13", 5])
    content = BytesIO()
    workbook.save(content)
    client.force_login(officer_a)

    response = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [SimpleUploadedFile("figures.xlsx", content.getvalue())]},
    )

    assert error_summary(response) == [
        "sheet 'actuals' row 2: period '2016-13' is not a month like 2016-11"
    ]


@pytest.mark.django_db
def test_import_form_hint_names_only_what_the_person_may_import(client, officer_a, admin_user):
    client.force_login(officer_a)
    hint = client.get(reverse("indicators:import", args=["partnership-a"])).context["form"]
    text = hint.fields["files"].help_text
    assert text.startswith("CSV files named actuals.csv, actions.csv, risks.csv")
    assert "partnerships.csv" not in text and "targets.csv" not in text
    assert "(a name may start with more ending in a hyphen, underscore or space" in text

    client.force_login(admin_user)
    hint = client.get(reverse("indicators:import_all")).context["form"]
    assert hint.fields["files"].help_text.startswith(
        "CSV files named partnerships.csv, indicators.csv, targets.csv, actuals.csv"
    )


@pytest.fixture
def published_hate_crime(partnership_a):
    indicator = hate_crime_indicator(partnership_a)
    report = ReportFactory(partnership=partnership_a, title="Hate crime update", period=NOV_2016)
    report_services.report_publish(report=report, by=None)
    return indicator


@pytest.mark.django_db
def test_import_note_only_change_in_a_published_month_is_saved_and_audited(
    tmp_path, published_hate_crime
):
    stored = Actual.objects.get(indicator=published_hate_crime, period=NOV_2016)
    write_csv(
        tmp_path,
        "actuals",
        [actual("SP 09", period="2016-11", value=str(stored.value), note="Revised by police")],
    )

    report = importing.import_path(tmp_path, by=None)

    assert report.updated["actuals"] == 1
    saved = Actual.objects.get(pk=stored.pk)
    assert (saved.value, saved.note) == (stored.value, "Revised by police")
    change = FigureChange.objects.get()
    assert change.old["value"] == change.new["value"]
    assert (change.old["note"], change.new["note"]) == ("", "Revised by police")


@pytest.mark.django_db
def test_import_figure_change_in_a_published_month_is_still_refused(tmp_path, published_hate_crime):
    write_csv(tmp_path, "actuals", [actual("SP 09", period="2016-11", value="999", note="x")])

    [error] = import_errors(tmp_path)

    assert "is in the published report 'Hate crime update'" in error


# The import page's heading ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rows, heading",
    [
        (1, "Nothing was imported: fix this problem and try again"),
        (3, "Nothing was imported: fix these 3 problems and try again"),
    ],
)
def test_import_error_heading_counts_the_problems(client, officer_a, burglary, rows, heading):
    text = "partnership,indicator,period,value\n" + "partnership-a,SP 01,2016-13,5\n" * rows
    client.force_login(officer_a)

    response = client.post(
        reverse("indicators:import", args=["partnership-a"]),
        {"files": [SimpleUploadedFile("actuals.csv", text.encode())]},
    )

    assert heading in response.content.decode()
