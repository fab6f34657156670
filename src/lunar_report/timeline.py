"""Timeline analysis: the chronology table and the timeline figure."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .dates import format_at_precision


def chronology(events: pd.DataFrame) -> pd.DataFrame:
    """Events in date order, each date printed at its precision with its timezone."""
    ordered = events.sort_values("start_utc")
    return pd.DataFrame(
        {
            "Date": [
                format_at_precision(start, precision, None if pd.isna(zone) else zone)
                for start, precision, zone in zip(ordered["start_utc"], ordered["precision"], ordered["timezone"])
            ],
            "Event": ordered["title"].to_numpy(),
            "Category": ordered["category"].astype(str).to_numpy(),
        }
    ).reset_index(drop=True)


def timeline_figure(events: pd.DataFrame):
    """A timeline with one lane per category."""
    lanes = list(dict.fromkeys(events["category"].astype(str)))
    fig, ax = plt.subplots(figsize=(9, 1 + 0.6 * len(lanes)))
    for lane, (category, group) in enumerate(events.groupby(events["category"].astype(str), sort=False)):
        ax.plot(group["start_utc"], [lanes.index(category)] * len(group), "o")
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_xlabel("Date (UTC)")
    ax.set_title("Events of the article")
    fig.tight_layout()
    return fig
