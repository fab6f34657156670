"""Figures of the claim check: the verdict tally, when published and now."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ..claims import VERDICT_COLUMNS, verdict_tallies
from .style import INK, SMALL, WIDTH, finish, new_figure, style

BAR = 0.38


def tally_figure(claims: pd.DataFrame, note: str) -> Figure:
    """Claims per verdict as horizontal bars, one pair per verdict: when published and now, each with its count."""
    tally = verdict_tallies(claims)
    fig, ax = new_figure(WIDTH, 3.4)
    for offset, (index, label) in zip((-BAR / 2, BAR / 2), enumerate(VERDICT_COLUMNS.values()), strict=True):
        look = style(index)
        counts = tally[label].to_numpy()
        positions = [row + offset for row in range(len(tally))]
        ax.barh(
            positions,
            counts,
            height=BAR,
            color=look["color"],
            hatch=look["hatch"],
            edgecolor=INK,
            linewidth=0.6,
            label=label,
        )
        for position, count in zip(positions, counts, strict=True):
            ax.text(count + 0.3, position, str(count), va="center", fontsize=SMALL)
    ax.set_yticks(range(len(tally)), tally["Verdict"])
    ax.invert_yaxis()
    ax.set_xlabel("Number of claims")
    ax.set_xlim(0, max(int(tally[list(VERDICT_COLUMNS.values())].to_numpy().max()), 1) * 1.12 + 1)
    ax.set_title(f"Verdicts on the article’s {len(claims)} claims, when published and now")
    ax.legend(loc="lower right", fontsize=SMALL, frameon=False)
    return finish(fig, note)
