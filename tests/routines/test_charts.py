"""The charts' geometry, table by table, and the markup's promises: an image named by its
title and description, the same figures in a table, every value escaped."""

import datetime

import pytest

from routines.progress import charts
from routines.progress.charts import Point, Rect


@pytest.mark.parametrize(
    ("value", "most", "length", "expected"),
    [
        (5, 10, 100, 50),
        (0, 10, 100, 0),
        (10, 10, 100, 100),
        (15, 10, 100, 100),  # clipped to the top
        (-3, 10, 100, 0),  # and to the bottom
        (5, 0, 100, 0),  # nothing to scale against
    ],
)
def test_scaled(value, most, length, expected):
    assert charts.scaled(value, most, length) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([10], [Rect(x=2, y=0, width=96, height=100)]),
        (
            [5, None, 10, 0],
            [
                Rect(x=2, y=50, width=21, height=50),
                None,
                Rect(x=52, y=0, width=21, height=100),
                Rect(x=77, y=100, width=21, height=0),
            ],
        ),
    ],
)
def test_bars(values, expected):
    assert charts.bars(values, width=100, height=100, most=10, gap=4) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([None, None], []),
        ([0, 10], [[Point(25, 100), Point(75, 0)]]),
        # A week without a figure breaks the line rather than drawing through zero.
        (
            [5, None, 5, 10],
            [[Point(12.5, 50)], [Point(62.5, 50), Point(87.5, 0)]],
        ),
    ],
)
def test_line(values, expected):
    assert charts.line(values, width=100, height=100, most=10) == expected


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, Point(0, 0)),  # the first Monday
        (6, Point(0, 6 * 14)),  # its Sunday, at the bottom of the first column
        (7, Point(14, 0)),  # the next Monday starts the second column
        (181, Point(25 * 14, 6 * 14)),  # the 26th week's Sunday
    ],
)
def test_heat_cell(index, expected):
    assert charts.heat_cell(index, cell=12, gap=2) == expected


@pytest.mark.parametrize(
    ("value", "most", "expected"),
    [
        (0, 10, 0),
        (1, 10, 1),
        (3, 10, 2),
        (5, 10, 2),
        (6, 10, 3),
        (10, 10, 4),
        (12, 10, 4),
        (3, 0, 0),
    ],
)
def test_level(value, most, expected):
    assert charts.level(value, most) == expected


STARTS = [datetime.date(2026, 9, 7) + datetime.timedelta(weeks=n) for n in range(12)]


def test_adherence_chart_is_a_named_image_with_its_table():
    html = charts.adherence_chart(STARTS, [8] * 11 + [2], [0] + [10] * 11, 0.8)
    assert '<svg class="chart-svg"' in html
    assert 'role="img" aria-labelledby="adherence-chart-title adherence-chart-desc"' in html
    assert '<title id="adherence-chart-title">Adherence by week</title>' in html
    assert "10 of the 11 planned weeks reached 80 %" in html
    # The table: a row a week, the unplanned week said in words.
    assert html.count("<tr>") == 13
    assert "<td>none</td>" in html and "<td>20 %</td>" in html
    assert html.count('class="bar bar-met"') == 10


def test_adherence_table_shows_sets_beyond_the_plan_as_extra():
    html = charts.adherence_chart(STARTS, [8] * 11 + [12], [10] * 12, 0.8)
    # Never "12 of 10": the sets planned, and the rest as extra.
    assert "<td>10 + 2 extra</td>" in html and "<td>12</td>" not in html
    assert "<td>100 %</td>" in html


def test_region_chart_counts_halves_and_says_how():
    html = charts.region_chart(
        STARTS, [("Foot", [1.5] * 12), ("Calf", [2] * 12)], note="Helping muscles: half."
    )
    assert "<td>1.5</td>" in html and "Foot 18" in html
    assert '<p class="chart-note">Helping muscles: half.</p>' in html


def test_heat_map_cells_carry_their_day_in_words():
    days = [
        (datetime.date(2026, 6, 1) + datetime.timedelta(days=n), n % 3, n > 178) for n in range(182)
    ]
    html = charts.heat_map(days)
    assert html.count('<rect class="heat') == 182
    assert "<title>Mon 1 Jun: 0 sets</title>" in html
    assert "<title>Tue 2 Jun: 1 set</title>" in html
    assert html.count("to come") == 3
    # The table has a row a week, not one per day.
    assert html.count("<tr>") == 27


def test_region_chart_leaves_out_a_region_without_work_and_says_so():
    html = charts.region_chart(
        STARTS, [("Foot", [1] * 12), ("Calf", [2] * 12), ("Hip and thigh", [0] * 12)]
    )
    assert "No hip and thigh work in these 12 weeks." in html
    assert '<text class="chart-label" x="0"' in html and ">Hip and thigh</text>" not in html
    assert '<th scope="col">Hip and thigh</th>' in html  # still a column of the table


def test_pain_chart_describes_both_lines():
    session = [None] * 6 + [4, 3, 2, 2, 1, 1]
    morning = [None] * 6 + [5, 5, 3, None, 2, 1]
    html = charts.pain_chart(STARTS, session, morning)
    assert "during sessions (solid line) from 4 to 1" in html
    assert "(dashed line) from 5 to 1" in html
    assert html.count('<polyline class="pain-line pain-morning"') == 2  # broken by the gap


def test_values_are_escaped():
    html = charts.region_chart(STARTS, [("<script>", [1] * 12)])
    assert "<script>" not in html and "&lt;script&gt;" in html
