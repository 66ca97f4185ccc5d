"""Bar charts drawn on the server as SVG: no JavaScript, no chart library, nothing from a
CDN. Each chart is an image to screen readers (role="img" with a title and a one-sentence
description) and templates/reports/_chart.html sets the same figures out as a table.
Output is deterministic (same chart, same string) and all text from data is escaped."""

import functools
import hashlib
import math

from flask_babel import get_locale
from markupsafe import Markup

from lms.i18n import gettext as _
from lms.reports.charts import Chart, format_value, nice_ticks
from lms.reports.svg import Drawing, attribute_markup, coordinate

#: Okabe-Ito colours, ordered so that neighbours differ in lightness (CIE L* 46, 71, 58,
#: 70, 54, 89, 61): series stay apart for colour-blind readers and in greyscale print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#56B4E9", "#D55E00", "#F0E442", "#CC79A7")
#: Those light enough to take dark pattern marks (the others take white ones).
LIGHT_COLOURS = frozenset({"#E69F00", "#56B4E9", "#F0E442"})
#: Marks laid over the colour of series 2, 3, 4, 6, ... so they differ in print as well.
PATTERNS = ("solid", "stripes", "dots", "crosshatch")

INK, MUTED, GRID = "#1f2a30", "#56646b", "#d5d9d6"  # the site's text, muted text and lines
MIN_WIDTH = 320
PAD = 8
FONT_SIZE = 12
CHAR = 7.0  # rough advance of a 12px sans-serif character: enough for layout decisions
SMALL_FONT_SIZE = 11
SMALL_CHAR = 6.4
PLOT_HEIGHT = 240  # vertical bars
MAX_BAR = 72  # so one category is not drawn as a 600px slab
BAR_THICKNESS = 18  # horizontal bars
LEGEND_ROW = 20


def bar_chart_svg(chart: Chart, *, width: int = 640) -> Markup:
    """An <svg> element drawing `chart`, `width` units wide, scaling to its container.
    Drawn once per process for the same chart and language: dashboards show kept figures
    (lms/reports/snapshots.py), so most views draw a chart drawn before."""
    return _drawn(chart, chart.unit.amount if chart.unit else None, width, str(get_locale()))


@functools.lru_cache(maxsize=256)
def _drawn(chart: Chart, _amount, width: int, _locale: str) -> Markup:
    if width < MIN_WIDTH:
        raise ValueError(f"charts need a width of at least {MIN_WIDTH}, got {width}")
    base_id = "chart-" + hashlib.blake2s(repr((chart, width)).encode(), digest_size=5).hexdigest()
    drawing = Drawing()
    defs = Markup("")
    if chart.has_data:
        fills, defs = _fills(chart, base_id)
        top = _legend(chart, fills, width, drawing)
        draw = _horizontal if chart.horizontal else _vertical
        height = draw(chart, fills, width, top, drawing)
    else:
        height = 80
        drawing.add("text", _("No data to show"), x=width / 2, y=44, text_anchor="middle",
                    fill=MUTED)
    title_id, desc_id = f"{base_id}-title", f"{base_id}-desc"
    root = attribute_markup(
        xmlns="http://www.w3.org/2000/svg", class_="chart-svg", role="img",
        aria_labelledby=f"{title_id} {desc_id}", viewBox=f"0 0 {width} {coordinate(height)}",
        width="100%", preserveAspectRatio="xMidYMid meet",
        font_family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
        font_size=FONT_SIZE, fill=INK)
    return Markup('<svg{}><title id="{}">{}</title><desc id="{}">{}</desc>{}{}</svg>').format(
        root, title_id, chart.title, desc_id, chart.summary(), defs, drawing.markup())


def _pattern(pattern_id: str, kind: str, colour: str) -> Markup:
    mark = "#000000" if colour in LIGHT_COLOURS else "#ffffff"
    marks = {
        "stripes": Markup('<rect width="2" height="6" fill="{0}" fill-opacity="0.55"/>'),
        "dots": Markup('<circle cx="3" cy="3" r="1.4" fill="{0}" fill-opacity="0.7"/>'),
        "crosshatch": Markup('<rect width="1.5" height="6" fill="{0}" fill-opacity="0.55"/>'
                             '<rect width="6" height="1.5" fill="{0}" fill-opacity="0.55"/>'),
    }[kind].format(mark)
    turn = Markup("") if kind == "dots" else Markup(' patternTransform="rotate(45)"')
    return Markup('<pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse"{}>'
                  '<rect width="6" height="6" fill="{}"/>{}</pattern>').format(
        pattern_id, turn, colour, marks)


def _fills(chart: Chart, base_id: str) -> tuple[list[str], Markup]:
    """The fill of each series, and the <defs> holding the patterns they use."""
    fills, patterns = [], []
    for j in range(len(chart.series)):
        colour, kind = PALETTE[j % len(PALETTE)], PATTERNS[j % len(PATTERNS)]
        if kind == "solid":
            fills.append(colour)
        else:
            patterns.append(_pattern(f"{base_id}-p{j}", kind, colour))
            fills.append(f"url(#{base_id}-p{j})")
    defs = Markup("<defs>{}</defs>").format(Markup("").join(patterns)) if patterns else Markup("")
    return fills, defs


def _legend(chart: Chart, fills: list[str], width: int, drawing: Drawing) -> float:
    """Draw the legend (several series only); return where the chart below it starts."""
    if len(chart.series) < 2:
        return PAD
    x: float = PAD
    y: float = PAD
    for j, series in enumerate(chart.series):
        item_width = 18 + min(len(series.label), 32) * CHAR + 16
        if x > PAD and x + item_width > width - PAD:
            x, y = PAD, y + LEGEND_ROW
        drawing.add("rect", class_="swatch", x=x, y=y, width=12, height=12,
                    fill=fills[j], stroke=INK, stroke_width=0.5)
        drawing.add_label(series.label, 32, class_="legend", x=x + 18, y=y + 10)
        x += item_width
    return y + LEGEND_ROW + 4


def _segments(chart: Chart):
    """(category, series, slot, base, value) per bar: slot is the bar's place within its
    category, base the value it stands on (non-zero only when stacked)."""
    for i in range(len(chart.categories)):
        base = 0.0
        for j, series in enumerate(chart.series):
            value = series.values[i]
            yield (i, j, 0, base, value) if chart.stacked else (i, j, j, 0.0, value)
            base += value


def _value_labels(chart: Chart) -> list[tuple[int, int, float, str]]:
    """(category, slot, value, text): one per bar, or one per stack when stacked."""
    if chart.stacked:
        return [(i, 0, total, format_value(total))
                for i, total in enumerate(chart.category_totals())]
    return [(i, j, s.values[i], format_value(s.values[i]))
            for i in range(len(chart.categories)) for j, s in enumerate(chart.series)]


def _ticks(chart: Chart, count: int = 5) -> tuple[float, ...]:
    peak = max(chart.category_totals()) if chart.stacked else max(
        max(s.values) for s in chart.series)
    whole = all(float(v).is_integer() for s in chart.series for v in s.values)
    return nice_ticks(peak, count=count, whole=whole)


def _bar_title(chart: Chart, i: int, j: int, value: float) -> str:
    if len(chart.series) > 1:
        return _("%(category)s, %(series)s: %(amount)s", category=chart.categories[i],
                 series=chart.series[j].label, amount=chart.amount(value))
    return _("%(category)s: %(amount)s", category=chart.categories[i],
             amount=chart.amount(value))


def _vertical(chart: Chart, fills: list[str], width: int, top: float,
              drawing: Drawing) -> float:
    """Columns rising from a baseline; return the drawing's height."""
    n, slots = len(chart.categories), 1 if chart.stacked else len(chart.series)
    ticks = _ticks(chart)
    tick_labels = [format_value(t) for t in ticks]
    left = PAD + max(map(len, tick_labels)) * CHAR + 6
    band = (width - left - PAD) / n
    group = min(band * 0.8, MAX_BAR * slots)
    bar = group / slots
    labels = _value_labels(chart)
    rotate = any(len(text) * SMALL_CHAR > bar + 2 for *_, text in labels)
    if chart.unit:
        drawing.add("text", chart.unit.label, class_="unit", x=PAD, y=top + 12, fill=MUTED)
        top += 18
    plot_top = top + (max(len(text) for *_, text in labels) * SMALL_CHAR + 8 if rotate else 18)
    plot_bottom = plot_top + PLOT_HEIGHT
    scale = PLOT_HEIGHT / ticks[-1]

    for tick, text in zip(ticks, tick_labels, strict=True):
        y = plot_bottom - tick * scale
        drawing.add("line", class_="grid", x1=left, y1=y, x2=width - PAD, y2=y,
                    stroke=GRID)
        drawing.add("text", text, class_="tick", x=left - 6, y=y + 4, text_anchor="end")
    for i, j, slot, base, value in _segments(chart):
        drawing.add("rect", class_="bar", x=left + i * band + (band - group) / 2 + slot * bar,
                    y=plot_bottom - (base + value) * scale, width=bar, height=value * scale,
                    fill=fills[j], stroke=INK, stroke_width=0.5,
                    title=_bar_title(chart, i, j, value))
    drawing.add("line", class_="axis", x1=left, y1=plot_bottom, x2=width - PAD,
                y2=plot_bottom, stroke=MUTED)
    for i, slot, value, text in labels:
        x = left + i * band + (band - group) / 2 + (slot + 0.5) * bar
        y = plot_bottom - value * scale - 4
        if rotate:  # reads upwards from the top of the bar
            drawing.add("text", text, class_="value", x=x + 4, y=y, font_size=SMALL_FONT_SIZE,
                        transform=f"rotate(-90 {coordinate(x + 4)} {coordinate(y)})")
        else:
            drawing.add("text", text, class_="value", x=x, y=y, font_size=SMALL_FONT_SIZE,
                        text_anchor="middle")

    # Narrow columns: shorten long labels, but to no fewer than 10 characters ("Jan 2026"
    # stays whole); if even that does not fit, show only every nth label.
    max_chars = min(18, max(10, int((band - 4) // CHAR)))
    shown = min(max(map(len, chart.categories)), max_chars)
    step = max(1, math.ceil((shown * CHAR + 4) / band))
    for i, category in enumerate(chart.categories):
        if i % step:
            continue
        half = min(len(category), max_chars) * CHAR / 2
        x = min(max(left + (i + 0.5) * band, half + 2), width - half - 2)  # keep it in view
        drawing.add_label(category, max_chars, class_="category", x=x, y=plot_bottom + 18,
                          text_anchor="middle")
    return plot_bottom + 30


def _horizontal(chart: Chart, fills: list[str], width: int, top: float,
                drawing: Drawing) -> float:
    """Bars growing rightwards from the category names; return the drawing's height."""
    slots = 1 if chart.stacked else len(chart.series)
    cap = int((width * 0.4 - PAD - 8) // CHAR)
    max_chars = max(4, min(28, cap, max(map(len, chart.categories))))
    left = PAD + max_chars * CHAR + 8
    labels = _value_labels(chart)
    right = PAD + max(len(text) for *_, text in labels) * SMALL_CHAR + 6
    plot_width = width - left - right
    ticks = _ticks(chart, count=max(2, min(5, int(plot_width // 70))))
    scale = plot_width / ticks[-1]
    band = slots * BAR_THICKNESS + 12
    plot_top = top + 4
    plot_bottom = plot_top + len(chart.categories) * band

    for tick in ticks:
        x = left + tick * scale
        drawing.add("line", class_="grid", x1=x, y1=plot_top, x2=x, y2=plot_bottom,
                    stroke=GRID)
        drawing.add("text", format_value(tick), class_="tick", x=x, y=plot_bottom + 16,
                    text_anchor="middle")
    for i, j, slot, base, value in _segments(chart):
        drawing.add("rect", class_="bar", x=left + base * scale,
                    y=plot_top + i * band + 6 + slot * BAR_THICKNESS, width=value * scale,
                    height=BAR_THICKNESS, fill=fills[j], stroke=INK, stroke_width=0.5,
                    title=_bar_title(chart, i, j, value))
    drawing.add("line", class_="axis", x1=left, y1=plot_top, x2=left, y2=plot_bottom,
                stroke=MUTED)
    for i, slot, value, text in labels:
        drawing.add("text", text, class_="value", x=left + value * scale + 4,
                    y=plot_top + i * band + 6 + (slot + 0.5) * BAR_THICKNESS + 4,
                    font_size=SMALL_FONT_SIZE)
    for i, category in enumerate(chart.categories):
        drawing.add_label(category, max_chars, class_="category", x=left - 8,
                          y=plot_top + (i + 0.5) * band + 4, text_anchor="end")
    if chart.unit:
        drawing.add("text", chart.unit.label, class_="unit", x=width - PAD,
                    y=plot_bottom + 34, text_anchor="end", fill=MUTED)
        return plot_bottom + 42
    return plot_bottom + 26
