"""Figures of the claim check: the verdict tally."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ..claims import verdict_tally
from .style import INK, finish, new_figure, style


def tally_figure(claims: pd.DataFrame, note: str) -> Figure:
    """The verdict tally as a horizontal bar chart, each bar with its own hatch and count."""
    tally = verdict_tally(claims)
    fig, ax = new_figure(7.0, 2.8)
    for index, count in enumerate(tally["Claims"]):
        look = style(index)
        ax.barh(index, count, color=look["color"], hatch=look["hatch"], edgecolor=INK, linewidth=0.6)
        ax.text(count + 0.3, index, str(count), va="center", fontsize=9)
    ax.set_yticks(range(len(tally)), tally["Verdict"])
    ax.invert_yaxis()
    ax.set_xlabel("Number of claims")
    ax.set_xlim(0, max(int(tally["Claims"].max()), 1) * 1.12 + 1)
    ax.set_title(f"Verdicts on the article’s {int(tally['Claims'].sum())} claims")
    return finish(fig, note)
