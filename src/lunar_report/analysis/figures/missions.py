"""Figures of the mission report: the mission's phases, returned sample masses, the sample returns over time."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import offset_copy

from ...facts.dates import Interval, format_event_date
from ...facts.load import Facts
from ..missions import PHASE_NAMES, in_grams, mission_name, phase_events, sample_returns, since_previous_return
from ..wording import mass_text
from .style import INK, SMALL, WIDTH, Look, finish, new_figure, style

CREWED: Look = style(3) | {"marker": "s"}
ROBOTIC: Look = style(0) | {"marker": "o"}


def mission_phases_figure(facts: Facts, mission: str, note: str) -> Figure:
    """The mission's phases on a time axis (days since launch), each labelled with its elapsed time.

    Filled markers are times known to the minute or better; hollow ones are dates known only to the day.
    """
    phases = phase_events(facts, mission)
    first = phases.iloc[0]
    spans = [Interval(first, event) for _, event in phases.iterrows()]
    days = np.array([span.days for span in spans])
    fig, ax = new_figure(WIDTH, 1.7 + 0.4 * len(phases))  # room for the legend under the axis
    ax.hlines(range(len(phases)), 0, days, color="#bbbbbb", linewidth=1)
    for index, (day, span) in enumerate(zip(days, spans, strict=False)):
        _draw_phase(ax, index, day, span.precision.is_clock_time)
    _phase_legend(ax)  # drawn under the axis label: over the data it would hide a phase's label
    ax.set_yticks(range(len(phases)), [PHASE_NAMES[str(m)] for m in phases["milestone"]])
    ax.invert_yaxis()
    ax.set_xlim(-0.5, max(days.max(), 1) * 1.22)
    ax.set_xlabel(f"Days since {PHASE_NAMES[str(first['milestone'])].lower()} ({format_event_date(first, 'UTC')})")
    ax.set_title(f"{mission_name(facts, mission)}: mission phases")
    under = offset_copy(ax.transAxes, fig=fig, y=-44, units="points")  # below the ticks and the axis label
    ax.legend(loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=under, fontsize=SMALL, frameon=False)
    return finish(fig, note)


def _draw_phase(ax: Axes, index: int, day: float, clock_time: bool) -> None:
    """One phase's marker (hollow when only its date is known) and its elapsed time."""
    look = style(3)
    ax.plot(
        day,
        index,
        marker="o",
        markersize=8,
        color=look["color"],
        markeredgecolor=INK,
        markerfacecolor=look["color"] if clock_time else "white",
        linestyle="none",
    )
    ax.annotate(
        f"day {day:.2f}" if clock_time else f"day {day:.0f} (date only)",
        (day, index),
        xytext=(8, 0),
        textcoords="offset points",
        va="center",
        fontsize=SMALL,
        color=INK,
    )


def _phase_legend(ax: Axes) -> None:
    """Legend entries for filled (time known) and hollow (date known) markers."""
    look = style(3)
    ax.plot(
        [], [], marker="o", color=look["color"], markeredgecolor=INK, linestyle="none", label="time known to the minute"
    )
    ax.plot(
        [],
        [],
        marker="o",
        markerfacecolor="white",
        markeredgecolor=INK,
        linestyle="none",
        label="date known to the day",
    )


def _mass_tick(grams: float, _position: object = None) -> str:
    """A log-axis tick in readable units: 10 g, 100 g, 1 kg, 10 kg, 100 kg."""
    return f"{grams / 1000:g} kg" if grams >= 1000 else f"{grams:g} g"


def mass_figure(facts: Facts, masses: pd.DataFrame, mission: str, stated: pd.Series | None, note: str) -> Figure:
    """Returned sample mass per mission on a log scale; crewed and robotic marked by shape and colour.

    Conflicting values of one mission are all drawn and joined by a line; the article's
    stated figure for `mission` is drawn beside the measured one.
    """
    order = list(dict.fromkeys(masses["name"]))
    fig, ax = new_figure(WIDTH, 1.3 + 0.38 * len(order))
    for crewed, (label, look) in {True: ("crewed", CREWED), False: ("robotic", ROBOTIC)}.items():
        chosen = masses[masses["crewed"] == crewed]
        ax.plot(
            chosen["grams"],
            chosen["name"].map(order.index),
            linestyle="none",
            marker=look["marker"],
            markersize=8,
            color=look["color"],
            markeredgecolor=INK,
            label=label,
        )
    for _, group in masses[masses["conflict_group"].notna()].groupby("conflict_group"):
        _draw_conflict(ax, group, order.index(group["name"].iloc[0]))
    name = mission_name(facts, mission)
    if stated is not None and name in order:
        _draw_stated(ax, stated, order.index(name))
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(_mass_tick)
    ax.set_yticks(range(len(order)), order)
    for tick in ax.get_yticklabels():
        tick.set_fontweight("bold" if tick.get_text() == name else "normal")
    ax.invert_yaxis()
    ax.set_xlabel("Returned sample mass (g or kg, log scale)")
    ax.set_title("Returned lunar sample mass per mission")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.14), fontsize=SMALL, frameon=False)  # below: hides no point
    return finish(fig, note)


def _draw_conflict(ax: Axes, group: pd.DataFrame, position: int) -> None:
    """The disagreeing values of one mission joined by a dotted line, each labelled, and the line marked."""
    ax.plot(group["grams"], [position] * len(group), color=INK, linewidth=1, linestyle=":")
    values = sorted(group["grams"])
    for index, grams in enumerate(values):
        # the lowest value's label to its left, the highest's to its right: close values' labels never touch
        side = "right" if index == 0 else "left" if index == len(values) - 1 else "center"
        ax.annotate(
            mass_text(grams),
            (grams, position),
            xytext=({"right": -4, "left": 4, "center": 0}[side], 7),
            textcoords="offset points",
            ha=side,
            va="bottom",
            fontsize=SMALL,
            color=INK,
        )
    ax.annotate(
        "sources disagree",
        (group["grams"].max(), position),
        xytext=(18, 0),
        textcoords="offset points",
        va="center",
        fontsize=SMALL,
        style="italic",
        color=INK,
    )


def _draw_stated(ax: Axes, stated: pd.Series, position: int) -> None:
    """The article's figure for the mission, as a hollow diamond beside the measured mass."""
    ax.plot(
        in_grams(stated["value"], stated["unit"]),
        position,
        linestyle="none",
        marker="D",
        markersize=8,
        markerfacecolor="white",
        markeredgecolor=INK,
        label=f"as the article states it ({stated['stated']})",
    )


def gaps_figure(facts: Facts, mission: str, note: str) -> Figure:
    """Every sample return on a time axis, crewed and robotic in their own lanes, the gap before `mission` marked."""
    returns = sample_returns(facts)
    info = facts.missions.set_index("id")
    crewed = returns["mission"].map(info["crewed"]).astype(bool)
    fig, ax = new_figure(WIDTH, 2.8)
    for lane, look in enumerate((ROBOTIC, CREWED)):
        chosen = returns[crewed == bool(lane)]
        ax.plot(
            chosen["start_utc"].dt.tz_localize(None),
            [lane] * len(chosen),
            linestyle="none",
            marker=look["marker"],
            markersize=9,
            color=look["color"],
            markeredgecolor=INK,
            alpha=0.85,
        )
    gap = since_previous_return(facts, mission)
    if gap is not None:
        _draw_gap(ax, gap, info["name"])
    ax.set_ylim(-0.7, 1.5)
    ax.set_yticks([0, 1], ["robotic", "crewed"])
    ax.set_xlabel("Date of the capsule’s landing on Earth (UTC)")
    ax.set_title("Lunar sample returns over time")
    return finish(fig, note)


def _draw_gap(ax: Axes, gap: Interval, names: pd.Series) -> None:
    """An arrow from the previous return to this one, labelled in years, each end named."""
    start, end = gap.start["start_utc"].tz_localize(None), gap.end["start_utc"].tz_localize(None)
    ax.annotate("", xy=(end, 0.45), xytext=(start, 0.45), arrowprops={"arrowstyle": "<->", "color": INK})
    ax.text(start + (end - start) / 2, 0.52, f"{gap.years:.1f} years", ha="center", va="bottom", fontsize=SMALL)
    for moment, mission_id, side in ((start, gap.start["mission"], -1), (end, gap.end["mission"], 1)):
        ax.annotate(
            str(names[mission_id]),
            (moment, 0),
            xytext=(side * 3, -12),
            textcoords="offset points",
            ha="left" if side > 0 else "right",
            va="top",
            fontsize=SMALL,
        )
