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
