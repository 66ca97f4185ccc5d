"""A tile-grid map of England and Wales drawn on the server as SVG: one square per police
force area, placed roughly where the area lies (row and col in lms/areas/data). The map is
one image to screen readers (role="img", a title and a description); every square also
carries its label and figure as text, so no reading depends on colour, and the page sets
the same figures out as a table."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from lms.areas.reference import ForceArea
from lms.i18n import gettext as _

TILE = 56
GAP = 4
LEGEND_WIDTH = 210
INK, MUTED = "#1f2a30", "#56646b"
#: Sequential blues, light to dark (ColorBrewer "Blues"; colour-blind safe, and they
#: stay ordered in greyscale). Zero and "not shown" have their own fills.
SCALE = ("#deebf7", "#9ecae1", "#4292c6", "#08519c")
DARK = frozenset({"#4292c6", "#08519c"})
ZERO_FILL = "#ffffff"
OUTSIDE_FILL = "#e6e8e6"


@dataclass(frozen=True)
class Band:
    fill: str
    label: str


def _nice_step(top: float) -> float:
    """A round band width so that four bands cover `top`."""
    raw = top / len(SCALE)
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def bands(values: list[float]) -> tuple[float, list[Band]]:
    """The band width and the legend: none, then four equal bands up to the highest."""
    top = max(values, default=0)
    step = _nice_step(top) if top > 0 else 1.0
    legend = [Band(ZERO_FILL, _("None"))]
    for i, fill in enumerate(SCALE):
        legend.append(Band(fill, _("%(low)s to %(high)s", low=_fmt(i * step),
                                   high=_fmt((i + 1) * step))))
    return step, legend


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fill_for(value: float, step: float) -> str:
    if value <= 0:
        return ZERO_FILL
    return SCALE[min(len(SCALE) - 1, math.ceil(value / step) - 1)]


def tile_map_svg(areas: list[ForceArea], values: dict[str, float], *, title: str,
                 description: str, id_prefix: str = "map") -> Markup:
    """Squares for every area in `areas`; an area missing from `values` is drawn as
    outside the reader's view (no figure)."""
    step, legend = bands(list(values.values()))
    rows = max(a.row for a in areas) + 1
    cols = max(a.col for a in areas) + 1
    map_width = cols * (TILE + GAP)
    width = map_width + LEGEND_WIDTH
    height = max(rows * (TILE + GAP), (len(legend) + 2) * 24 + 30)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tile-map" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    for area in sorted(areas, key=lambda a: (a.row, a.col)):
        parts.append(_tile(area, values.get(area.code), step))
    parts.append(_legend(legend, map_width + 10, any(a.code not in values for a in areas)))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text from data went through escape()


def _tile(area: ForceArea, value: float | None, step: float) -> str:
    x, y = area.col * (TILE + GAP), area.row * (TILE + GAP)
    if value is None:
        fill, figure, tooltip = OUTSIDE_FILL, "\u2013", _("%(area)s: not in your view",
                                                          area=area.local_name())
    else:
        fill, figure = fill_for(value, step), f"{value:,.2f}"
        tooltip = _("%(area)s: %(value)s per 100,000 people", area=area.local_name(),
                    value=figure)
    ink = "#ffffff" if fill in DARK else INK
    dash = ' stroke-dasharray="4 3"' if fill == ZERO_FILL else ""
    return (f'<g class="tile" data-code="{escape(area.code)}"><title>{escape(tooltip)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3" fill="{fill}" '
            f'stroke="{MUTED}"{dash}/>'
            f'<text x="{x + TILE / 2}" y="{y + 22}" text-anchor="middle" font-size="12" '
            f'font-weight="bold" fill="{ink}">{escape(area.short)}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 42}" text-anchor="middle" font-size="12" '
            f'fill="{ink}">{escape(figure)}</text></g>')


def _legend(legend: list[Band], x: int, with_outside: bool) -> str:
    items = [*legend, *([Band(OUTSIDE_FILL, _("Not in your view"))] if with_outside else [])]
    parts = [f'<g class="legend"><text x="{x}" y="16" font-size="12" font-weight="bold" '
             f'fill="{INK}">{escape(_("Per 100,000 people"))}</text>']
    for i, band in enumerate(items):
        y = 30 + i * 24
        dash = ' stroke-dasharray="4 3"' if band.fill == ZERO_FILL else ""
        parts.append(f'<rect x="{x}" y="{y}" width="18" height="18" fill="{band.fill}" '
                     f'stroke="{MUTED}"{dash}/><text x="{x + 26}" y="{y + 14}" font-size="12" '
                     f'fill="{INK}">{escape(band.label)}</text>')
    parts.append("</g>")
    return "".join(parts)
