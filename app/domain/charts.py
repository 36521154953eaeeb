"""Charts as inline SVG, built on the server: no JavaScript, no CDN.

Every chart is a well-formed ``<svg role="img" aria-label=...>`` with a ``<title>`` and a
``<desc>`` that lists its values in words, so a screen reader (and a printout) never depends
on the picture. Series differ by dash pattern and marker shape as well as colour. Pages show
a table of the same numbers next to each chart. All text is XML-escaped here, so the result
can be placed in a page as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"
COLOURS = ("#0b5cad", "#a15c00", "#1b1f24")
DASHES = ("", "6 4", "2 3")
MARKERS = ("circle", "square", "triangle")
GRID = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Box:
    """The plotting area inside a chart: left, top, width and height in SVG units."""

    left: float
    top: float
    width: float
    height: float

    def y(self, value: float, max_value: float = 1.0) -> float:
        """The y coordinate of ``value`` on a 0..max_value scale (0 at the bottom)."""
        clamped = min(max(value, 0.0), max_value)
        return round(self.top + self.height * (1 - clamped / max_value), 2)

    def x(self, index: int, count: int) -> float:
        """The x coordinate of point ``index`` of ``count`` evenly spaced points."""
        if count <= 1:
            return round(self.left + self.width / 2, 2)
        return round(self.left + self.width * index / (count - 1), 2)


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a name and a value (or None: no data) per x label."""

    name: str
    values: tuple[float | None, ...]


def percent(value: float | None) -> str:
    """A share as a whole percentage, or a dash when there is no value."""
    return "—" if value is None else f"{round(value * 100)}%"


def _svg(width: float, height: float, title: str, desc: str, body: list[str],
         css_class: str) -> str:
    return (
        f'<svg xmlns="{SVG_NS}" class={quoteattr(css_class)} role="img" '
        f'aria-label={quoteattr(title)} width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}"><title>{escape(title)}</title>'
        f"<desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, content: str, anchor: str = "start", css: str = "label") -> str:
    return (f'<text class="{css}" x="{x:g}" y="{y:g}" text-anchor="{anchor}">'
            f"{escape(content)}</text>")


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points: a missing value breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _polyline(run: list[tuple[float, float]], colour: str, dash: str, width: float) -> str:
    coords = " ".join(f"{x:g},{y:g}" for x, y in run)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<polyline class="line" points="{coords}" fill="none" stroke="{colour}" '
            f'stroke-width="{width:g}"{dashed}/>')


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return (f'<rect class="marker" x="{x - 3.5:g}" y="{y - 3.5:g}" width="7" height="7" '
                f'fill="{colour}"/>')
    if kind == "triangle":
        return (f'<polygon class="marker" points="{x:g},{y - 4.5:g} {x + 4.5:g},{y + 3.5:g} '
                f'{x - 4.5:g},{y + 3.5:g}" fill="{colour}"/>')
    return f'<circle class="marker" cx="{x:g}" cy="{y:g}" r="3.5" fill="{colour}"/>'


SPARK_STEP = 8  # x distance between two weeks of a sparkline


def sparkline(values: Sequence[float | None], *, title: str, labels: Sequence[str] = (),
              width: float | None = None, height: float = 28, max_value: float = 1.0) -> str:
    """A small trend line (no axes) of shares, its last value marked; at least 120 wide, wider
    when the weeks need it (a year of weeks keeps a visible step each)."""
    width = width or max(120, 4 + SPARK_STEP * max(len(values) - 1, 1))
    box = Box(2, 3, width - 4, height - 6)
    points = [None if v is None else (box.x(i, len(values)), box.y(v, max_value))
              for i, v in enumerate(values)]
    body = [_polyline(run, COLOURS[0], "", 1.5) for run in _segments(points)]
    last = next((p for p in reversed(points) if p is not None), None)
    if last is not None:
        body.append(_marker("circle", *last, COLOURS[0]))
    return _svg(width, height, title, _describe(labels, values), body, "chart sparkline")


def _describe(labels: Sequence[str], values: Sequence[float | None]) -> str:
    if not labels:
        labels = [str(n + 1) for n in range(len(values))]
    return "; ".join(f"{label}: {percent(v)}" for label, v in zip(labels, values, strict=False))


def _grid(box: Box, max_value: float, right: float) -> list[str]:
    body = []
    for step in GRID:
        y = box.y(step * max_value, max_value)
        body.append(f'<line class="grid" x1="{box.left:g}" y1="{y:g}" x2="{right:g}" '
                    f'y2="{y:g}" stroke="#c4cad3" stroke-width="1"/>')
        body.append(_text(box.left - 6, y + 4, percent(step * max_value), "end"))
    return body


WEEK_STEP = 64  # x distance between two labelled points: a short date fits ("8월 29일")
LEGEND_STEP = 190  # width of one legend entry
PLOT_LEFT, PLOT_RIGHT = 48, 32


def line_width(points: int, series: int) -> float:
    """The width a line chart needs: every point its own labelled step, and room for the
    legend; nothing more, so one week is not stretched and 26 weeks are not squeezed."""
    plot = max(WEEK_STEP * max(points - 1, 1), LEGEND_STEP * max(series, 1) - 30)
    return PLOT_LEFT + plot + PLOT_RIGHT


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str,
               width: float | None = None, height: float = 240,
               max_value: float = 1.0) -> str:
    """Lines of shares over x ``labels`` (e.g. week ends), with a grid, axis labels and a legend.

    Every label is drawn; the width follows the number of points (:func:`line_width`) unless
    given, so a page shows a long range in a scrolling box instead of overlapping dates.
    """
    width = width or line_width(len(labels), len(series[: len(COLOURS)]))
    box = Box(PLOT_LEFT, 12, width - PLOT_LEFT - PLOT_RIGHT, height - 12 - 64)
    body = _grid(box, max_value, box.left + box.width)
    for i, label in enumerate(labels):
        body.append(_text(box.x(i, len(labels)), box.top + box.height + 18, label, "middle"))
    for n, line in enumerate(series[: len(COLOURS)]):
        colour, dash, marker = COLOURS[n], DASHES[n], MARKERS[n]
        points = [None if v is None else (box.x(i, len(labels)), box.y(v, max_value))
                  for i, v in enumerate(line.values)]
        body += [_polyline(run, colour, dash, 2.5) for run in _segments(points)]
        body += [_marker(marker, x, y, colour) for x, y in filter(None, points)]
        legend_y = height - 16
        legend_x = box.left + n * LEGEND_STEP
        body.append(_polyline([(legend_x, legend_y), (legend_x + 24, legend_y)], colour, dash,
                              2.5))
        body.append(_marker(marker, legend_x + 12, legend_y, colour))
        body.append(_text(legend_x + 30, legend_y + 4, line.name))
    desc = " | ".join(f"{line.name}: {_describe(labels, line.values)}" for line in series)
    return _svg(width, height, title, desc, body, "chart line-chart")


BAR_ROW = 26
BAR_LABEL = 160


def bar_chart(bars: Sequence[tuple[str, float | None]], *, title: str, width: float = 520,
              max_value: float = 1.0) -> str:
    """Horizontal bars of shares, one per label, each with its value written beside it."""
    box = Box(BAR_LABEL, 8, width - BAR_LABEL - 56, BAR_ROW * len(bars))
    height = box.top + box.height + 8
    body = []
    for n, (label, value) in enumerate(bars):
        y = box.top + n * BAR_ROW
        body.append(_text(box.left - 8, y + 17, label, "end"))
        length = 0.0 if value is None else round(box.width * min(max(value, 0), max_value)
                                                 / max_value, 2)
        body.append(f'<rect class="bar" x="{box.left:g}" y="{y + 4:g}" width="{length:g}" '
                    f'height="{BAR_ROW - 8}" fill="{COLOURS[0]}"/>')
        body.append(_text(box.left + length + 6, y + 17, percent(value), css="value"))
    body.append(f'<line class="axis" x1="{box.left:g}" y1="{box.top:g}" x2="{box.left:g}" '
                f'y2="{box.top + box.height:g}" stroke="#1b1f24" stroke-width="1"/>')
    desc = _describe([label for label, _ in bars], [value for _, value in bars])
    return _svg(width, height, title, desc, body, "chart bar-chart")
