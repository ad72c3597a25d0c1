"""One SVG bar chart per cube: the figures with their labels, the base population and the source.

Written by hand (no plotting library): text stays text (searchable, read by screen readers),
the chart has a ``<title>`` and a ``<desc>`` that says every figure in words, and every piece of
text from the graph is escaped. Same cube in, same bytes out.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from xml.sax.saxutils import escape

from twentyfive.cubes import Cube, Figure

WIDTH = 760
LABEL_WIDTH = 310
BAR_AREA = 300
ROW = 34
BAR = 22
TOP = 78
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
COLOURS = {"exact": "#2f5d8a", "approximate": "#8fb3d6", "derived": "#c7862f"}


def charted(cube: Cube) -> list[Figure]:
    """The figures the chart shows: the shares when the cube has any, else every count."""
    shares = [f for f in cube.figures if f.is_share]
    return shares or list(cube.figures)


def caption_lines(cube: Cube) -> list[str]:
    """Base population and sources, in words (also used as the chart's description)."""
    lines = []
    base = cube.base
    if base is not None:
        count = f"{int(base[1]):,} persons" if base[1] else "?"
        what = cube.base_label
        lines.append(f"Base: {count}{' ' + what if what else ''} ({_local(base[0])}).")
    shown = charted(cube)
    for figure in cube.figures:
        if figure not in shown:
            lines.append(f"Also stated: {figure.category}, {figure.shown()} {figure.unit_label}.")
    labels = sorted({label for f in cube.figures for label in (f.source_labels or f.sources)})
    if labels:
        lines.append(("Sources: " if len(labels) > 1 else "Source: ") + "; ".join(labels) + ".")
    if any(f.approximate for f in charted(cube)):
        lines.append("≈ the source gives the figure as approximate.")
    if any(f.lower_bound for f in charted(cube)):
        lines.append('≥ the source gives a lower bound ("over").')
    if any(f.derived for f in charted(cube)):
        inputs = sorted({i for f in charted(cube) for i in f.derived_from})
        lines.append(
            "Derived: computed by the build (not stated by the source) from "
            + ", ".join(_local(i) for i in inputs)
            + "."
        )
    return lines


def chart_svg(cube: Cube) -> str:
    figures = charted(cube)
    percent = bool(figures) and all(f.is_share for f in figures)
    maximum = (
        Decimal(100)
        if percent
        else max((f.number for f in figures), default=Decimal(1)) or Decimal(1)
    )
    unit = "per cent" if percent else (figures[0].unit_label if figures else "")
    caption = [w for line in caption_lines(cube) for w in textwrap.wrap(line, 100)]
    height = TOP + ROW * len(figures) + 24 + 18 * len(caption) + 12
    description = (
        "; ".join(f"{f.category}: {f.shown()} {f.unit_label}" for f in figures)
        + ". "
        + " ".join(caption_lines(cube))
    )
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="title desc" font-family="{FONT}">',
        f'<title id="title">{escape(cube.label)}</title>',
        f'<desc id="desc">{escape(description)}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="16" y="30" font-size="19" font-weight="bold" fill="#111111">{escape(cube.label)}</text>',
        f'<text x="16" y="52" font-size="13" fill="#444444">{escape(cube.dimension_label)}, '
        f"{escape(unit)}{escape(' of the base population' if percent else '')}</text>",
    ]
    for index, figure in enumerate(figures):
        y = TOP + ROW * index
        length = float(figure.number / maximum) * BAR_AREA if maximum else 0.0
        kind = (
            "derived"
            if figure.derived
            else "approximate"
            if figure.approximate or figure.lower_bound
            else "exact"
        )
        value = (
            figure.shown() + (" %" if percent else "") + (" (derived)" if figure.derived else "")
        )
        out += [
            f'<text x="{LABEL_WIDTH - 10}" y="{y + BAR - 6}" font-size="14" text-anchor="end" '
            f'fill="#111111">{escape(figure.category)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR}" fill="{COLOURS[kind]}">'
            f"<title>{escape(figure.category + ': ' + value)}</title></rect>",
            f'<text x="{LABEL_WIDTH + length + 8:.1f}" y="{y + BAR - 6}" font-size="14" '
            f'fill="#111111">{escape(value)}</text>',
        ]
    axis_y = TOP + ROW * len(figures) - 6
    out.append(
        f'<line x1="{LABEL_WIDTH}" y1="{TOP - 6}" x2="{LABEL_WIDTH}" y2="{axis_y}" stroke="#666666"/>'
    )
    for number, line in enumerate(caption):
        out.append(
            f'<text x="16" y="{axis_y + 30 + 18 * number}" font-size="12" fill="#333333">{escape(line)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]
