"""Lines labelled directly instead of a legend (REPORT_CHECKLIST 31), worked by hand."""

import pytest

from indicators.charts import DARK_BLUE, TURQUOISE, label_lines


def _spec(*lines, height=320, size=10):
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": ["Apr", "May", "Jun"],
                "y": ys,
                "line": {"color": colour, "dash": dash},
            }
            for name, ys, colour, dash in lines
        ],
        "layout": {
            "height": height,
            "font": {"size": size},
            "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
        },
    }


def test_each_line_named_at_its_last_point_and_no_legend():
    spec = _spec(
        ("2015/16", [10, 20, 30], TURQUOISE, "dash"),
        ("2016/17", [40, 50, None], DARK_BLUE, "solid"),
    )
    label_lines(spec)
    labels = {a["text"]: (a["x"], a["y"]) for a in spec["layout"]["annotations"]}
    assert labels == {"2015/16": ("Jun", 30), "2016/17": ("May", 50)}
    assert spec["layout"]["showlegend"] is False
    # "2015/16" is 7 characters at 0.6 of a 10px font, plus 16px: 58px on the right.
    assert spec["layout"]["margin"]["r"] == 58


def test_close_labels_pushed_apart_the_lowest_staying():
    # Plot height 320 - 10 - 50 = 260px for 0 to 100 x 1.05 = 105: 2.476px a unit.
    # Ends at 100 and 99 are 2.5px apart; a 10px font needs 13px, so the upper label
    # moves up by 13 - 2.476 = 10.5, rounded to 11 pixels.
    spec = _spec(
        ("A", [0, 0, 99], DARK_BLUE, "solid"),
        ("B", [0, 0, 100], TURQUOISE, "dash"),
    )
    label_lines(spec)
    shifts = {a["text"]: a["yshift"] for a in spec["layout"]["annotations"]}
    assert shifts == {"A": 0, "B": 11}


def test_more_than_four_lines_refused():
    spec = _spec(*[(str(i), [1, 2, 3], DARK_BLUE, "solid") for i in range(5)])
    with pytest.raises(ValueError, match="at most 4"):
        label_lines(spec)


def _quarters(last_year, this_year):
    spec = _spec(
        ("2015/16", last_year, TURQUOISE, "dash"),
        ("2016/17", this_year, DARK_BLUE, "solid"),
    )
    for trace in spec["data"]:
        trace["x"] = ["Q1", "Q2", "Q3", "Q4"]
    return label_lines(spec)


def test_label_moves_off_a_line_that_runs_on_through_it():
    # Last year runs on at 100 past this year's end (Q2, 98). Plot 260px for 0 to 105:
    # 2.476px a unit. The 10px label (13px tall) must clear the line by 2px: its centre
    # at most 100 x 2.476 - 6.5 - 2 = 239.1px, against 98 x 2.476 = 242.7px. Down by
    # 3.5px is nearer than up (above 256.1px): yshift -4 (plotly's pixels, up positive).
    spec = _quarters([100, 100, 100, 100], [50, 98, None, None])
    shifts = {a["text"]: a["yshift"] for a in spec["layout"]["annotations"]}
    assert shifts == {"2015/16": 0, "2016/17": -4}


def test_label_moves_up_when_below_would_leave_the_plot():
    # Near zero, below the line would put the label under the x axis, so it goes above.
    # Plot 260px for 0 to 30 x 1.05: 8.254px a unit. The line at 1 is 8.25px; the label's
    # centre must be at least 8.25 + 8.5 = 16.75px, from 0.9 x 8.254 = 7.43px: up 9.3px.
    spec = _quarters([30, 1, 1, 1], [30, 0.9, None, None])
    shifts = {a["text"]: a["yshift"] for a in spec["layout"]["annotations"]}
    assert shifts["2016/17"] == 9


def test_label_not_moved_for_a_line_that_ends_where_it_starts():
    # Both lines end at Q4: nothing runs on to the right of either label.
    spec = _quarters([10, 20, 30, 100], [10, 20, 30, 60])
    assert {a["yshift"] for a in spec["layout"]["annotations"]} == {0}


def test_label_clears_another_lines_point_at_its_own_month():
    # Review finding: hate crime's "2016/17" (ending at 35 in November) sat on 2015/16's
    # November point (38), the dashed line falling away under its first letters. Plot
    # 360 - 20 - 70 = 270px for 0 to 54 x 1.05: 4.762px a unit. The 24px label (31.2px
    # tall) clears 38 by 2px: its centre at least 38 x 4.762 + 15.6 + 2 = 198.6px.
    months = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
    spec = _spec(
        ("2015/16", [30, 25, 26, 17, 36, 25, 22, 38, 21, 20, 53, 32], TURQUOISE, "dash"),
        ("2016/17", [17, 25, 32, 54, 37, 45, 42, 35, None, None, None, None], DARK_BLUE, "solid"),
        height=360,
        size=24,
    )
    for trace in spec["data"]:
        trace["x"] = months
    spec["layout"].update(width=900, margin={"l": 90, "r": 30, "t": 20, "b": 70})
    spec["layout"]["xaxis"] = {"range": [-0.3, 11.3]}
    label_lines(spec)

    pixels = 270 / (54 * 1.05)
    [label] = [a for a in spec["layout"]["annotations"] if a["text"] == "2016/17"]
    assert 35 * pixels + label["yshift"] >= 38 * pixels + 1.3 * 24 / 2 + 2
