"""Figure styling shared by every report figure: readable in greyscale and for colour-blind readers.

Colours come from the Okabe–Ito palette, and every colour distinction is doubled by a
marker shape or a hatch, so no figure relies on colour alone. Every figure starts with
`new_figure` and ends with `finish`, which prints its source note.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..citations import source_labels

OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
# Line hatches only: dotted and circle hatches draw every dot as a curve (a 300 KB SVG for one lane).
HATCHES = ("///", "\\\\\\", "xxx", "---", "|||", "+++", "//", "\\\\")
INK = "#333333"
SOURCE_PREFIX = "Source: lunar-report fact base"
WIDTH = 5.2
"""Figure width in inches (500 px): shown on a 390 px phone at about 70 %, type stays at 9 px or more."""
SMALL = 10
"""Points of the smallest type in a figure (notes, annotations, legends)."""
RC: dict[str, Any] = {
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "xtick.labelsize": SMALL,
    "ytick.labelsize": SMALL,
    "legend.fontsize": SMALL,
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.8,
    "path.simplify": True,
}
"""The one matplotlib style of every report figure."""


class Look(TypedDict):
    """How one series is drawn: colour, marker shape and hatch."""

    color: str
    marker: str
    hatch: str


def style(index: int) -> Look:
    """Colour, marker and hatch of the `index`-th series (cycling)."""
    return {
        "color": OKABE_ITO[index % len(OKABE_ITO)],
        "marker": MARKERS[index % len(MARKERS)],
        "hatch": HATCHES[index % len(HATCHES)],
    }


def new_figure(width: float = WIDTH, height: float = 4.0) -> tuple[Figure, Axes]:
    """A figure and axes with the report's plain look (one type scale, no top/right spines, light grid)."""
    plt.style.use(RC)
    fig, ax = plt.subplots(figsize=(width, height))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def source_note(sources: pd.DataFrame, source_ids: Iterable[object], limit: int = 6) -> str:
    """The figure's source line, e.g. "Source: lunar-report fact base (TASS 2021-04-27; CNSA; NASA NSSDCA)"."""
    labels = source_labels(sources, source_ids)
    if len(labels) > limit:
        labels = [*labels[:limit], f"{len(labels) - limit} more sources"]
    return f"{SOURCE_PREFIX} ({'; '.join(labels)})" if labels else SOURCE_PREFIX


def finish(fig: Figure, note: str) -> Figure:
    """Print `note` under the figure (left-aligned, small grey type), fit the layout, and return the figure."""
    fig.text(0.01, -0.01, note, ha="left", va="top", fontsize=SMALL, color="#555555", wrap=True)
    fig.tight_layout()
    return fig
