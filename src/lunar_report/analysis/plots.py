"""Figure styling shared by every report figure: readable in greyscale and for colour-blind readers.

Colours come from the Okabe–Ito palette, and every colour distinction is doubled by a
marker shape or a hatch, so no figure relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
import pandas as pd

from ..facts.load import split_ids

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
HATCHES = ("///", "\\\\\\", "xxx", "...", "---", "|||", "ooo", "+++")
INK = "#333333"
SOURCE_PREFIX = "Source: lunar-report fact base"


def style(index: int) -> dict:
    """Colour, marker and hatch of the `index`-th series (cycling)."""
    return {
        "color": OKABE_ITO[index % len(OKABE_ITO)],
        "marker": MARKERS[index % len(MARKERS)],
        "hatch": HATCHES[index % len(HATCHES)],
    }


def new_figure(width: float = 7.5, height: float = 4.0):
    """A figure and axes with the report's plain look (no top/right spines, light grid)."""
    fig, ax = plt.subplots(figsize=(width, height))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def source_labels(sources: pd.DataFrame, source_ids: Iterable[str]) -> list[str]:
    """Short labels of the cited sources, most cited first: the article as "TASS 2021-04-27", others by publisher."""
    cited = [source_id for text in source_ids for source_id in split_ids(text)]
    label_of = {
        row.id: f"{row.publisher} {row.published}"
        if row.kind == "article" and not pd.isna(row.published)
        else str(row.publisher)
        for row in sources.itertuples(index=False)
        if row.kind != "computed"
    }
    labels = [label_of[source_id] for source_id in cited if source_id in label_of]
    counts = pd.Series(labels, dtype=object).value_counts(sort=False)
    return list(counts.sort_values(ascending=False, kind="stable").index)


def source_note(sources: pd.DataFrame, source_ids: Iterable[str], limit: int = 6) -> str:
    """The figure's source line, e.g. "Source: lunar-report fact base (TASS 2021-04-27; CNSA; NASA NSSDCA)"."""
    labels = source_labels(sources, source_ids)
    if len(labels) > limit:
        labels = [*labels[:limit], f"{len(labels) - limit} more sources"]
    return f"{SOURCE_PREFIX} ({'; '.join(labels)})" if labels else SOURCE_PREFIX


def add_source_note(fig, note: str) -> None:
    """Print `note` under the figure, left-aligned, in small grey type."""
    fig.text(0.01, -0.01, note, ha="left", va="top", fontsize=7.5, color="#555555", wrap=True)
