"""Server-side SVG charts: well-formed, accessible, and values scaled correctly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from app.domain.charts import Box, Series, bar_chart, line_chart, percent, sparkline

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def _points(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(float(n) for n in pair.split(",")) for pair in polyline.get("points").split()]


def _accessible(root: ET.Element, title: str) -> str:
    assert root.get("role") == "img"
    assert root.get("aria-label") == title
    assert root.find("svg:title", NS).text == title
    return root.find("svg:desc", NS).text


@pytest.mark.parametrize(("value", "expected"), [(None, "—"), (0, "0%"), (0.333, "33%"),
                                                 (0.5, "50%"), (1, "100%")])
def test_percent(value, expected):
    assert percent(value) == expected


@pytest.mark.parametrize(("value", "y"), [(0, 110), (0.25, 85), (0.5, 60), (1, 10),
                                          (1.5, 10), (-1, 110)])
def test_box_scales_and_clamps(value, y):
    assert Box(10, 10, 200, 100).y(value) == y


@pytest.mark.parametrize(("index", "count", "x"), [(0, 5, 10), (4, 5, 210), (2, 5, 110),
                                                   (0, 1, 110)])
def test_box_spreads_points(index, count, x):
    assert Box(10, 10, 200, 100).x(index, count) == x


def test_sparkline_scales_values_and_marks_the_last():
    svg = sparkline([0, 0.5, 1], title="Wired care: readiness", width=104, height=26)
    root = _parse(svg)
    desc = _accessible(root, "Wired care: readiness")
    assert desc == "1: 0%; 2: 50%; 3: 100%"
    (line,) = root.findall("svg:polyline", NS)
    # plot box: left 2, top 3, width 100, height 20
    assert _points(line) == [(2, 23), (52, 13), (102, 3)]
    assert root.find("svg:circle", NS).get("cx") == "102"


def test_sparkline_breaks_at_missing_values():
    root = _parse(sparkline([0.2, None, 0.4, 0.6], title="t", labels=["a", "b", "c", "d"]))
    assert len(root.findall("svg:polyline", NS)) == 2
    assert "b: —" in root.find("svg:desc", NS).text


def test_line_chart_series_differ_by_more_than_colour():
    svg = line_chart(["w1", "w2", "w3"], [Series("Certified", (0.0, 0.5, 1.0)),
                                          Series("Correct", (1.0, None, 0.25))],
                     title="Trend", width=560, height=240)
    root = _parse(svg)
    desc = _accessible(root, "Trend")
    assert desc == "Certified: w1: 0%; w2: 50%; w3: 100% | Correct: w1: 100%; w2: —; w3: 25%"
    lines = [p for p in root.findall("svg:polyline", NS) if p.get("class") == "line"]
    # plot box: left 48, top 12, width 480, height 164 (bottom at y=176)
    certified = _points(lines[0])
    assert certified == [(48, 176), (288, 94), (528, 12)]
    assert lines[0].get("stroke-dasharray") is None
    dashed = [p for p in lines if p.get("stroke-dasharray") == "6 4"]
    assert dashed, "the second series is dashed"
    assert root.findall("svg:circle", NS) and root.findall("svg:rect", NS)  # two marker shapes
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"w1", "w2", "w3", "Certified", "Correct", "0%", "50%", "100%"} <= set(texts)


def test_bar_chart_lengths_are_proportional_and_values_written():
    svg = bar_chart([("Wired-line 100 centre", 0.25), ("Wi-Fi support", 1.0),
                     ("Sales", None)], title="Share correct: f-login", width=520)
    root = _parse(svg)
    desc = _accessible(root, "Share correct: f-login")
    assert desc == "Wired-line 100 centre: 25%; Wi-Fi support: 100%; Sales: —"
    bars = [r for r in root.findall("svg:rect", NS) if r.get("class") == "bar"]
    # plot width: 520 - 160 - 56 = 304
    assert [float(b.get("width")) for b in bars] == [76, 304, 0]
    values = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")
              if t.get("class") == "value"]
    assert values == ["25%", "100%", "—"]


def test_text_is_escaped():
    hostile = 'Team <script>alert(1)</script> & "quotes"'
    for svg in (sparkline([0.5], title=hostile),
                line_chart([hostile], [Series(hostile, (0.5,))], title=hostile),
                bar_chart([(hostile, 0.5)], title=hostile)):
        root = _parse(svg)
        assert root.get("aria-label") == hostile
        assert "<script>" not in svg
        assert not list(root.iter("script"))


@pytest.mark.parametrize(("points", "series", "width"), [
    (1, 2, 48 + 350 + 32),  # one week: as wide as the legend needs, not more
    (8, 2, 48 + 7 * 64 + 32),  # eight weeks: a 64-unit step each
    (26, 2, 48 + 25 * 64 + 32),  # half a year: wider, every week labelled
    (3, 1, 48 + 160 + 32),  # one series: a shorter legend
])
def test_line_width_follows_the_data(points, series, width):
    from app.domain.charts import line_width

    assert line_width(points, series) == width


@pytest.mark.parametrize("weeks", [1, 8, 26, 52])
def test_line_chart_labels_every_week_without_overlap(weeks):
    labels = [f"W{n:02d}" for n in range(weeks)]
    root = _parse(line_chart(labels, [Series("Certified", tuple(0.5 for _ in labels)),
                                      Series("Correct", tuple(0.25 for _ in labels))],
                             title="Trend"))
    axis = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text in labels]
    assert [t.text for t in axis] == labels  # every week, in order
    xs = [float(t.get("x")) for t in axis]
    assert all(b - a >= 64 for a, b in pairwise(xs))
    assert float(root.get("width")) >= xs[-1] + 32  # the last label inside the picture
    line = next(p for p in root.findall("svg:polyline", NS) if p.get("class") == "line")
    assert len(_points(line)) == weeks  # one point per week


def test_gaps_chart_rows_worst_first():
    from app.domain.gaps import worst_first

    rows = [("Wi-Fi", 1.0, 4), ("Sales", None, 0), ("Wired", 0.25, 8), ("Care", 0.5, 2),
            ("Billing", 0.25, 3)]
    assert [name for name, _s, _n in worst_first(rows)] == [
        "Wired", "Billing", "Care", "Wi-Fi", "Sales"]


@pytest.mark.parametrize(("weeks", "width"), [(1, 120), (8, 120), (16, 124), (52, 412)])
def test_sparkline_width_follows_the_weeks(weeks, width):
    root = _parse(sparkline([0.5] * weeks, title="t"))
    assert float(root.get("width")) == width
