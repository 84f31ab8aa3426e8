"""Charts as server-side SVG: the geometry is computed here, the partials
(templates/reports/charts/) draw it. Every number that reaches the SVG is already a string
formatted here with a full stop ("12.5"), so no locale can turn a coordinate into "12,5";
a chart's figures are in its section's table beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Left margin for the value axis, bottom margin for the dates.
PAD_LEFT = 44.0
PAD_RIGHT = 8.0
PAD_TOP = 8.0
PAD_BOTTOM = 22.0


def _num(value: float) -> str:
    return f"{value:.1f}"


def compact(value: float | None) -> str:
    """A figure short enough for an axis, in no locale: 950, 12k, 1.5M."""
    if value is None:
        return ""
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if size >= 10_000:
        return f"{value / 1_000:.0f}k"
    if size >= 1_000:
        return f"{value / 1_000:.1f}k".replace(".0k", "k")
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}"


@dataclass(frozen=True)
class Tick:
    position: str
    label: str


@dataclass(frozen=True)
class LineSeries:
    label: str
    colour: str
    segments: list[str]  # polyline points "x,y x,y", broken where a day is not available
    dots: list[tuple[str, str]]  # (x, y) of a value with no neighbour to join: drawn as a dot


@dataclass(frozen=True)
class LineChart:
    width: str
    height: str
    plot_left: str
    plot_right: str
    plot_bottom: str
    series: list[LineSeries]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    empty: bool


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def line_chart(
    *,
    days: list[dt.date],
    series: list[tuple[str, str, list[float | None]]],
    width: int = 640,
    height: int = 180,
) -> LineChart:
    """One line per (label, colour, values), a value per day (None: not available)."""
    values = [v for _label, _colour, vs in series for v in vs if v is not None]
    top = _nice_ceiling(max(values)) if values else 1.0
    plot_w = width - PAD_LEFT - PAD_RIGHT
    plot_h = height - PAD_TOP - PAD_BOTTOM
    count = max(len(days) - 1, 1)

    def x(i: int) -> float:
        return PAD_LEFT + plot_w * i / count

    def y(v: float) -> float:
        return PAD_TOP + plot_h * (1 - v / top)

    lines = []
    for label, colour, vs in series:
        segments: list[str] = []
        current: list[str] = []
        for i, v in enumerate(vs):
            if v is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            current.append(f"{_num(x(i))},{_num(y(v))}")
        if current:
            segments.append(" ".join(current))
        # A value with no neighbour is no line: it is drawn as a dot.
        dots = [tuple(s.split(",")) for s in segments if " " not in s]
        lines.append(LineSeries(label, colour, [s for s in segments if " " in s], dots))
    y_ticks = [Tick(_num(y(top * f)), compact(top * f)) for f in (0, 0.5, 1)]
    step = max(1, len(days) // 6)
    x_ticks = [Tick(_num(x(i)), f"{d.day}/{d.month}") for i, d in enumerate(days) if i % step == 0]
    return LineChart(
        width=str(width),
        height=str(height),
        plot_left=_num(PAD_LEFT),
        plot_right=_num(width - PAD_RIGHT),
        plot_bottom=_num(PAD_TOP + plot_h),
        series=lines,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        empty=not values,
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value_label: str
    y: str
    text_y: str
    length: str
    value_x: str
    colour: str


@dataclass(frozen=True)
class BarChart:
    width: str
    height: str
    label_width: str
    bar_height: str
    bars: list[Bar]
    empty: bool


def bar_chart(
    *,
    items: list[tuple[str, float | None, str]],
    width: int = 640,
    bar_height: int = 18,
    label_width: int = 150,
) -> BarChart:
    """Horizontal bars, one per (label, value, colour); a value not available draws no bar
    and says so in its label ("—")."""
    gap = 8
    known = [v for _label, v, _colour in items if v is not None]
    top = max(known) if known and max(known) > 0 else 1.0
    room = width - label_width - 60
    bars = []
    for i, (label, value, colour) in enumerate(items):
        y = i * (bar_height + gap)
        length = room * (value or 0) / top if value is not None else 0.0
        bars.append(
            Bar(
                label=label,
                value_label=compact(value) if value is not None else "—",
                y=_num(y),
                text_y=_num(y + bar_height * 0.72),
                length=_num(max(length, 0.0)),
                value_x=_num(label_width + max(length, 0.0) + 4),
                colour=colour,
            )
        )
    return BarChart(
        width=str(width),
        height=str(max(len(items) * (bar_height + gap), bar_height)),
        label_width=str(label_width),
        bar_height=str(bar_height),
        bars=bars,
        empty=not known,
    )
