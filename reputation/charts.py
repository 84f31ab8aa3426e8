"""Charts as inline SVG, drawn on the server. Every label goes through ``escape``: brand,
competitor, source and author names come from users and from the web. (The incident chart is
geometry only: its template draws it.)"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reputation.models.mentions import SentimentLabel

LABELS = dict(SentimentLabel.choices)
COLOURS = {"positive": "#2e9d5b", "neutral": "#9aa4b2", "negative": "#d1434b"}
PALETTE = ["#1f6feb", "#d97706", "#7c3aed", "#0d9488", "#db2777", "#65a30d", "#475569"]


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every interpolated text below is escaped
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def stacked_volume(days: list[dict], *, title: str, width=720, height=240) -> SafeString:
    """Bars per day, stacked negative / neutral / positive."""
    if not days:
        return _empty(title, width, height)
    left, bottom, top = 36, 24, 10
    plot_h = height - bottom - top
    peak = max(d["volume"] or 0 for d in days) or 1
    step = (width - left - 8) / len(days)
    bar = max(step * 0.7, 1)
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#d0d7de"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" font-size="10">{peak}</text>',
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" font-size="10">0</text>',
    ]
    for i, day in enumerate(days):
        x = left + i * step + (step - bar) / 2
        y = height - bottom
        for label in ("negative", "neutral", "positive"):
            value = day.get(label) or 0
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[label]}"><title>{escape(str(day["day"]))}: '
                f"{value} {escape(str(LABELS[label]))}</title></rect>"
            )
        if len(days) <= 16 or i % max(len(days) // 8, 1) == 0:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 8}" text-anchor="middle" '
                f'font-size="10">{escape(day["day"].strftime("%d/%m"))}</text>'
            )
    return _svg(width, height, title, body)


def line(points: list[tuple[str, float]], *, title: str, lo=0, hi=100, width=720, height=200):
    """A line over days, values between ``lo`` and ``hi`` (the e-reputation score)."""
    if not points:
        return _empty(title, width, height)
    left, bottom, top = 36, 24, 10
    plot_h = height - bottom - top
    step = (width - left - 16) / max(len(points) - 1, 1)

    def y_of(value):
        return top + plot_h * (1 - (value - lo) / (hi - lo))

    coords = [(left + i * step, y_of(v)) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    body = [
        f'<line x1="{left}" y1="{y_of(50):.1f}" x2="{width}" y2="{y_of(50):.1f}" '
        'stroke="#d0d7de" stroke-dasharray="4 4"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" font-size="10">{hi}</text>',
        f'<text x="{left - 4}" y="{y_of(50) + 3:.1f}" text-anchor="end" font-size="10">50</text>',
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" font-size="10">{lo}</text>',
        f'<polyline points="{path}" fill="none" stroke="#1f6feb" stroke-width="2"/>',
    ]
    for (label, value), (x, y) in zip(points, coords, strict=True):
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f6feb">'
            f"<title>{escape(label)}: {value}</title></circle>"
        )
    return _svg(width, height, title, body)


def horizontal_bars(rows: list[tuple[str, float, str]], *, title: str, width=340) -> SafeString:
    """(label, value, note) bars, longest first."""
    if not rows:
        return _empty(title, width, 80)
    row_h, label_w = 28, 118
    height = row_h * len(rows) + 8
    peak = max(v for _, v, _ in rows) or 1
    body = []
    for i, (label, value, note) in enumerate(rows):
        y = 4 + i * row_h
        w = (width - label_w - 44) * value / peak
        short = label if len(label) <= 16 else label[:15] + "…"
        body.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="13">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row_h - 10}" '
            f'fill="{PALETTE[i % len(PALETTE)]}" rx="2"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="11">{escape(note)}</text>'
        )
    return _svg(width, height, title, body)


def _empty(title: str, width: int, height: int) -> SafeString:
    # Outside the f-string: xgettext cannot find a message inside one.
    message = escape(_("No data for this period."))
    return _svg(
        width,
        height,
        title,
        [
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" font-size="12" '
            f'fill="#6e7781">{message}</text>'
        ],
    )


def incident_chart(series, incident) -> dict:
    """An inline SVG chart: hourly volume and negative mentions, the opening marked."""
    width, height, pad = 720, 180, 24
    peak = max([volume for _, volume, _ in series] + [1])
    step = (width - 2 * pad) / max(len(series) - 1, 1)

    def points(index):
        return " ".join(
            f"{pad + i * step:.1f},{height - pad - (row[index] / peak) * (height - 2 * pad):.1f}"
            for i, row in enumerate(series)
        )

    opened_x = None
    for i, (hour, _v, _n) in enumerate(series):
        if hour <= incident.opened_at < hour.replace(minute=59, second=59):
            # A string, as the points are: the template must not localise a float.
            opened_x = f"{pad + i * step:.1f}"
    return {
        "width": width,
        "height": height,
        "volume": points(1),
        "negative": points(2),
        "opened_x": opened_x,
        "peak": peak,
        "first": series[0][0] if series else None,
        "last": series[-1][0] if series else None,
    }
