"""An accessible bar chart of the four statutory figures, year by year, as inline SVG.

Inline SVG needs no script, font or request, so the page works offline. It carries
role="img" with a <title> and <desc> (its accessible name and summary); every bar has its
number written above it and the legend names each colour, so colour is never the only
cue. Colours are the GOV.UK palette's darker shades, each at least 4.5:1 on white.
The same numbers are in the table beside it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..templating import file_env

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: One colour per statutory figure, in STATUTORY order (contrast on white: 5.2, 4.5, 6.3, 9.6 to 1).
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92")
TOP, BOTTOM, LEFT, RIGHT = 16, 44, 40, 12
PLOT_HEIGHT = 200
GROUP_WIDTH = 140
BAR_WIDTH = 24
LEGEND_ROW = 20


def render(template: str, **context: Any) -> str:
    """One of the monitoring templates (the chart, the figures page), in the kit's sandboxed environment."""
    return file_env(TEMPLATES, trim=True).get_template(template).render(**context)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    value: int
    colour: str


@dataclass(frozen=True)
class Group:
    label: str
    centre: float
    bars: tuple[Bar, ...]


def _scale(largest: int) -> tuple[int, int]:
    """(top, step) of the value axis: at most five whole-number steps, of 1, 2 or 5 times a power of ten."""
    step = 1
    while math.ceil(largest / step) > 5:
        step = _next_step(step)
    return max(step * math.ceil(largest / step), 5 if step == 1 else step), step


def _next_step(step: int) -> int:
    """1, 2, 5, 10, 20, 50, 100, ..."""
    return step * 5 // 2 if str(step).startswith("2") else step * 2


def chart_svg(chart_id: str, title: str, description: str, labels: list[str],
              years: list[tuple[str, list[int]]]) -> Markup:
    """SVG of grouped bars: one group per year, one bar per figure, each with its number."""
    top, step = _scale(max([v for _, values in years for v in values] + [0]))
    width = LEFT + RIGHT + GROUP_WIDTH * max(len(years), 3)
    base = TOP + PLOT_HEIGHT
    legend_y = base + BOTTOM
    height = legend_y + LEGEND_ROW * len(labels) + 8

    def y_of(value: int) -> float:
        return base - PLOT_HEIGHT * value / top

    groups = []
    for i, (year, values) in enumerate(years):
        centre = LEFT + GROUP_WIDTH * (i + 0.5)
        first = centre - BAR_WIDTH * len(values) / 2
        bars = tuple(Bar(x=first + BAR_WIDTH * j, y=y_of(v), height=base - y_of(v), value=v,
                         colour=COLOURS[j % len(COLOURS)]) for j, v in enumerate(values))
        groups.append(Group(year, centre, bars))
    ticks = [(t, y_of(t)) for t in range(0, top + 1, step)]
    legend = [(label, COLOURS[j % len(COLOURS)], legend_y + LEGEND_ROW * j) for j, label in enumerate(labels)]
    return Markup(render("chart.svg.j2", chart_id=chart_id, title=title, description=description,
                         width=width, height=height, left=LEFT, right=width - RIGHT, base=base,
                         ticks=ticks, groups=groups, legend=legend, bar_width=BAR_WIDTH).strip())
