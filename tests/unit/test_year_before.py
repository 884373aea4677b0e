"""The third year added to a month-by-month chart (reports/builder.py `_add_year_before`)."""

from reports.builder import _add_year_before


def test_the_year_before_is_named_beside_the_years_not_inside_the_measure():
    months = ["Apr", "May"]
    chart = {
        "subtitle": "Number, Plymouth, month by month, 2015/16 and 2016/17",
        "alt": "Line chart of the number of violence against the person offences in "
        "Plymouth, month by month, 2016/17 against 2015/16. The data are in the table.",
        "spec": {
            "data": [
                {"type": "scatter", "name": "2015/16", "x": months, "y": [1, 2]},
                {"type": "scatter", "name": "2016/17", "x": months, "y": [2, 3]},
            ],
            "layout": {"margin": {"r": 80}, "xaxis": {}, "yaxis": {}},
        },
    }

    _add_year_before(chart, {"2014-04": 3, "2014-05": 4}, "2014/15")

    assert chart["alt"] == (
        "Line chart of the number of violence against the person offences in Plymouth, "
        "month by month, 2016/17 against 2014/15 and 2015/16. The data are in the table."
    )
    assert chart["subtitle"].endswith("month by month, 2014/15, 2015/16 and 2016/17")
    assert [t["name"] for t in chart["spec"]["data"]] == ["2014/15", "2015/16", "2016/17"]


def test_with_no_figure_last_year_the_chart_names_the_two_years_it_shows():
    months = ["Apr", "May"]
    chart = {
        "subtitle": "Number, Plymouth, month by month, 2016/17",
        "alt": "Line chart of the number of thefts in Plymouth, month by month, 2016/17. "
        "The data are in the table.",
        "spec": {
            "data": [
                {"type": "scatter", "name": "2015/16", "x": months, "y": [None, None]},
                {"type": "scatter", "name": "2016/17", "x": months, "y": [2, 3]},
            ],
            "layout": {"margin": {"r": 80}, "xaxis": {}, "yaxis": {}},
        },
    }

    _add_year_before(chart, {"2014-04": 3, "2014-05": 4}, "2014/15")

    assert chart["subtitle"] == "Number, Plymouth, month by month, 2014/15 and 2016/17"
    assert chart["alt"] == (
        "Line chart of the number of thefts in Plymouth, month by month, 2016/17 against "
        "2014/15. The data are in the table."
    )
