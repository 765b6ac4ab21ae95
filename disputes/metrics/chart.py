"""The reports' charts as SVG drawn server-side by pygal (docs/decisions.md, "Charts"): the monthly trend and the
year-over-year comparison.

The SVG carries no script (pygal's tooltip script is taken out) and no font or stylesheet to fetch, and is shown as
a data: image, so it works offline, under the pages' CSP, in the browser and in the PDF."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from xml.etree import ElementTree

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

WIDTH, HEIGHT = 640, 260
COLOURS = ("#3b6ea5", "#4f9a6b", "#c0392b", "#9bb7d4", "#a7ccb5")
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#333",
    foreground_strong="#333",
    foreground_subtle="#ddd",
    font_family="sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=13,
    colors=COLOURS,
)


@dataclass(frozen=True)
class TrendPoint:
    month: str  # YYYY-MM
    accepted: int
    closed: int
    pending: int  # at the end of the month


def _chart(kind, title: str, labels: list[str]):
    chart = kind(
        style=STYLE,
        width=WIDTH,
        height=HEIGHT,
        explicit_size=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=4,
        disable_xml_declaration=True,
        js=[],
        show_y_guides=True,
        x_label_rotation=0,
        truncate_legend=-1,
        margin=6,
        print_values=False,
        min_scale=4,
        max_scale=8,
    )
    chart.title = None  # the page's heading names the chart; its accessible name is the aria-label below
    chart.x_labels = labels
    chart._caption = title
    return chart


def _svg(chart) -> Markup:
    """The chart's SVG without pygal's script, with a title and an aria-label, as one markup string."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if child.tag == "script" or child.tag is ElementTree.Comment:
                parent.remove(child)
    tree.set("role", "img")
    tree.set("aria-label", chart._caption)
    tree.set("class", "trend-chart pygal-chart")
    title = ElementTree.Element("title")
    title.text = chart._caption
    tree.insert(0, title)
    svg = ElementTree.tostring(tree, encoding="unicode")
    # pygal names the chart by a random UUID (its CSS is scoped by it): a name drawn from the content instead keeps
    # the page the same for the same figures (the summary's pages are compared with the live ones).
    random_id = chart.uuid
    stable = hashlib.sha1(svg.replace(random_id, "").encode()).hexdigest()[:12]
    svg = svg.replace(random_id, stable)
    # An image, not inline SVG: pygal styles its chart with a <style> sheet, which the pages' CSP (style-src 'self')
    # forbids inline; inside an image the sheet applies (img-src allows data:), in the browser and in WeasyPrint.
    data = base64.b64encode(svg.encode()).decode()
    return Markup(
        f'<img class="chart-image" id="chart-{stable}" src="data:image/svg+xml;base64,{data}" '
        f'width="{WIDTH}" height="{HEIGHT}" alt="{escape(chart._caption)}">'
    )


def _month_label(month: str, many: bool, i: int) -> str:
    return month[2:] if not many or i % 2 == 0 else ""


def trend_svg(points: list[TrendPoint], names: dict[str, str], title: str) -> Markup:
    """Bars for accepted and closed per month, the pending at each month's end; `names` are the legend's words."""
    many = len(points) > 12
    chart = _chart(pygal.Bar, title, [_month_label(p.month, many, i) for i, p in enumerate(points)])
    for key in ("accepted", "closed", "pending"):
        chart.add(names[key], [{"value": getattr(p, key), "label": p.month} for p in points])
    return _svg(chart)


def year_on_year_svg(now: list[TrendPoint], before: list[TrendPoint], names: dict[str, str], title: str) -> Markup:
    """Accepted and closed per month beside the same months a year earlier (同比); `now` and `before` are aligned
    month by month. `names`: accepted, closed, accepted_before, closed_before."""
    chart = _chart(pygal.Bar, title, [p.month[5:] for p in now])
    chart.config.style = Style(**{**STYLE.to_dict(), "colors": ("#9bb7d4", "#3b6ea5", "#a7ccb5", "#4f9a6b")})
    for key, points, attr in (
        ("accepted_before", before, "accepted"),
        ("accepted", now, "accepted"),
        ("closed_before", before, "closed"),
        ("closed", now, "closed"),
    ):
        chart.add(names[key], [{"value": getattr(p, attr), "label": p.month} for p in points])
    return _svg(chart)
