"""The monthly trend as a small hand-written SVG: bars for accepted and closed, a line for pending.

Plain SVG with no script, font or stylesheet to fetch, so it works offline, in the browser and in WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 52
COLOURS = {"accepted": "#3b6ea5", "closed": "#4f9a6b", "pending": "#c0392b"}


@dataclass(frozen=True)
class TrendPoint:
    month: str  # YYYY-MM
    accepted: int
    closed: int
    pending: int  # at the end of the month


def _nice_top(value: int) -> int:
    """The smallest 4 × (1, 2, 5 × 10^k) at least `value`, so the four grid steps are round numbers."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if 4 * step * scale >= value:
                return 4 * step * scale
        scale *= 10


def trend_svg(points: list[TrendPoint], names: dict[str, str], title: str) -> Markup:
    """`names`: the legend's words for accepted, closed and pending, in the reader's language."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_top(max([0] + [max(p.accepted, p.closed, p.pending) for p in points]))
    slot = plot_w / max(len(points), 1)
    bar = min(slot * 0.35, 22)

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
        'font-family="sans-serif" font-size="11">'
    )
    parts = [opening, f"<title>{escape(title)}</title>"]
    for n in range(5):
        value = top * n // 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#555">{value}</text>')
    line = []
    for i, p in enumerate(points):
        x0 = LEFT + i * slot + slot / 2
        for offset, key in ((-bar, "accepted"), (0, "closed")):
            value = getattr(p, key)
            parts.append(
                f'<rect x="{x0 + offset:.1f}" y="{y(value):.1f}" width="{bar:.1f}" '
                f'height="{TOP + plot_h - y(value):.1f}" fill="{COLOURS[key]}">'
                f"<title>{escape(names[key])} {p.month}: {value}</title></rect>"
            )
        line.append(f"{x0:.1f},{y(p.pending):.1f}")
        if len(points) <= 12 or i % 2 == 0:
            parts.append(
                f'<text x="{x0:.1f}" y="{TOP + plot_h + 14}" text-anchor="middle" fill="#555">{p.month[2:]}</text>'
            )
    if line:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{COLOURS["pending"]}" stroke-width="2"/>'
        )
        for xy, p in zip(line, points, strict=True):
            x, yy = xy.split(",")
            parts.append(
                f'<circle cx="{x}" cy="{yy}" r="2.5" fill="{COLOURS["pending"]}">'
                f"<title>{escape(names['pending'])} {p.month}: {p.pending}</title></circle>"
            )
    legend_y = HEIGHT - 12
    for i, key in enumerate(("accepted", "closed", "pending")):
        x = LEFT + i * 150
        parts.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{COLOURS[key]}"/>')
        parts.append(f'<text x="{x + 14}" y="{legend_y}" fill="#333">{escape(names[key])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
