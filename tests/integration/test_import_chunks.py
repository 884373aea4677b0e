"""Large imports: files are read and checked a chunk at a time and written as they go,
still all or nothing in one transaction, and a flood of bad rows is counted, not kept."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from indicators import importing
from indicators.importing import context, run
from indicators.models import Actual, FigureChange
from tests.factories import IndicatorFactory

HEADER = "partnership,indicator,period,value,numerator,denominator,note\n"


def actuals(folder, lines: list[str]) -> None:
    (folder / "actuals.csv").write_text(HEADER + "".join(lines), encoding="utf-8")


def months(count: int, value: str = "5") -> list[str]:
    return [
        f"partnership-a,HC 01,{2010 + n // 12}-{n % 12 + 1:02d},{value},,,\n" for n in range(count)
    ]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(run, "CHUNK", 3)


@pytest.mark.django_db
def test_import_in_chunks_writes_every_row(tmp_path, partnership_a, small_chunks):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    actuals(tmp_path, months(10))

    report = importing.import_path(tmp_path, by=None)

    assert report.created["actuals"] == 10
    assert Actual.objects.count() == FigureChange.objects.count() == 10


@pytest.mark.django_db
def test_import_bad_row_in_a_later_chunk_undoes_the_earlier_chunks(
    tmp_path, partnership_a, small_chunks
):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    actuals(tmp_path, [*months(8), "partnership-a,HC 01,2016-13,5,,,\n"])

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)

    assert failed.value.report.errors == [
        "actuals.csv row 10: period '2016-13' is not a month like 2016-11"
    ]
    assert not Actual.objects.exists() and not FigureChange.objects.exists()


@pytest.mark.django_db
def test_import_repeat_in_another_chunk_is_found(tmp_path, partnership_a, small_chunks):
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    actuals(tmp_path, [*months(5), months(1)[0]])

    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_path(tmp_path, by=None)

    assert failed.value.report.errors == [
        "actuals.csv row 7: a second figure for 'HC 01' in 2010-01 (first at row 2)"
    ]
    assert not Actual.objects.exists()


@pytest.mark.django_db
def test_import_data_many_bad_rows_lists_the_first_and_counts_the_rest(
    tmp_path, partnership_a, monkeypatch
):
    monkeypatch.setattr(context, "MAX_ERRORS", 4)
    IndicatorFactory(partnership=partnership_a, code="HC 01")
    actuals(tmp_path, months(10, value="N/A"))
    stderr = StringIO()

    with pytest.raises(CommandError, match=r"Nothing imported: 10 problems found"):
        call_command("import_data", str(tmp_path), stdout=StringIO(), stderr=stderr)

    lines = stderr.getvalue().splitlines()
    assert lines[0] == "actuals.csv row 2: value 'N/A' is not a number"
    assert len(lines) == 5 and lines[-1] == "... and 6 more"


@pytest.mark.django_db
def test_import_usual_rows_checked_quickly_as_the_careful_path_checks_them(partnership_a):
    """check_actuals takes the usual row without _actual's calls: the same items, and every
    other row still reported by _actual."""
    from indicators.importing import checking
    from indicators.importing.reading import Row

    IndicatorFactory(partnership=partnership_a, code="HC 01")
    IndicatorFactory(partnership=partnership_a, code="HC 02", measure="percentage")
    columns = {name: i for i, name in enumerate(HEADER.strip().split(","))}
    lines = [
        "partnership-a,HC 01,2016-04,5,,,\n",
        "partnership-a,HC 01,2016-04,6,,,\n",  # a second figure
        "partnership-a, HC 01 ,2016-05, 7 ,,,a note\n",
        "partnership-a,HC 01,2016-06,'7,,,\n",
        "partnership-a,HC 01,2016-07,7.5,,,\n",
        "partnership-a,HC 02,2016-04,,3,4,\n",
        "partnership-a,HC 09,2016-04,5,,,\n",
        "partnership-a,HC 01,2016-08\n",
    ]

    def check(quick: bool):
        ctx = context.ImportContext(
            user=None, scope=None, today=datetime.date(2017, 1, 1), source="test"
        )
        rows = [
            Row(n, line.rstrip("\n").split(","), columns, "actuals")
            for n, line in enumerate(lines, start=2)
        ]
        if quick:
            items = checking.check_actuals(rows, ctx)
        else:
            this_month = datetime.date(2017, 1, 1)
            items = [i for r in rows if (i := checking._actual(r, ctx, this_month)) is not None]
        return items, ctx.errors

    assert check(quick=True) == check(quick=False)
    items, errors = check(quick=True)
    assert [i["row"] for i in items] == [2, 4, 7]
    assert [e.split(":")[0] for e in errors] == [f"actuals.csv row {n}" for n in (3, 5, 6, 8, 9)]
