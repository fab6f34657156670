"""Mission analysis: phase timelines, durations, returned sample masses, gaps between sample returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..facts.dates import DAYS_PER_YEAR, PRECISIONS, coarser, format_event_date
from ..facts.load import Facts, split_ids
from . import plots
from .citations import SourceList, with_sources

PHASE_NAMES = {
    "launch": "Launch",
    "lunar_orbit_insertion": "Lunar orbit insertion",
    "lunar_landing": "Lunar landing",
    "ascent": "Ascent from the Moon",
    "docking": "Docking in lunar orbit",
    "sample_transfer": "Sample transfer",
    "separation": "Separation",
    "earth_return": "Capsule lands on Earth",
    "sample_handover": "Sample handover",
}
PHASES = tuple(PHASE_NAMES)  # mission milestones, in flight order
SAMPLE_RETURN = "sample return"


def article_ids(facts: Facts) -> set[str]:
    """Ids of the sources that are the article itself."""
    return set(facts.sources.loc[facts.sources["kind"] == "article", "id"])


def is_article_only(frame: pd.DataFrame, facts: Facts) -> pd.Series:
    """True for rows that cite only the article: what the article says, not what references confirm."""
    article = article_ids(facts)
    return frame["source"].map(lambda text: set(split_ids(text)) <= article)


def mission_name(facts: Facts, mission: str) -> str:
    """The display name of `mission` (its id when unknown)."""
    names = facts.missions.set_index("id")["name"]
    return str(names.get(mission, mission))


def reference_events(facts: Facts) -> pd.DataFrame:
    """Events backed by reference sources (rows citing only the article left out)."""
    return facts.events[~is_article_only(facts.events, facts)]


def _finest_per(events: pd.DataFrame, key: str) -> pd.DataFrame:
    """One event per value of `key`: the most precisely dated one."""
    ranked = events.assign(_rank=events["precision"].astype(str).map(PRECISIONS.index))
    return ranked.sort_values(["_rank", "start_utc"]).drop_duplicates(key).drop(columns="_rank")


def phase_events(facts: Facts, mission: str) -> pd.DataFrame:
    """The mission's milestone events (reference rows, the finest per milestone), in time order."""
    events = reference_events(facts)
    own = events[(events["mission"] == mission) & events["milestone"].isin(PHASES)]
    return _finest_per(own, "milestone").sort_values("start_utc")


def phase_table(facts: Facts, mission: str, timezone: str = "UTC", sources: SourceList | None = None) -> pd.DataFrame:
    """Each phase with its date, the time since the previous phase and since launch (and sources, given `sources`)."""
    phases = phase_events(facts, mission)
    launches = phases[phases["milestone"] == "launch"]
    launch = None if launches.empty else launches.iloc[0]
    rows = []
    previous = None
    for _, event in phases.iterrows():
        rows.append(
            {
                "Phase": PHASE_NAMES[str(event["milestone"])],
                "Date": format_event_date(event, timezone),
                "Since previous phase": "" if previous is None else _days_text(previous, event),
                "Since launch": "" if launch is None or event["id"] == launch["id"] else _days_text(launch, event),
                "Event": event["title"],
            }
        )
        previous = event
    table = pd.DataFrame(rows, columns=["Phase", "Date", "Since previous phase", "Since launch", "Event"])
    return with_sources(table, phases["source"], sources)


def _days_text(first: pd.Series, second: pd.Series) -> str:
    span = Duration(first, second)
    if span.precision in ("minute", "second"):
        return f"{span.days:.2f} d"
    return f"≈ {span.days:.0f} d (dates to the {span.precision})"


@dataclass(frozen=True)
class Duration:
    """The time between two dated events (launch and capsule landing, for a mission)."""

    launch: pd.Series
    landing: pd.Series

    @property
    def precision(self) -> str:
        return coarser(str(self.launch["precision"]), str(self.landing["precision"]))

    @property
    def delta(self) -> pd.Timedelta:
        """The span, rounded to its coarser precision when that is a minute or a second."""
        span = self.landing["start_utc"] - self.launch["start_utc"]
        return span.round({"minute": "min", "second": "s"}.get(self.precision, "ns"))

    @property
    def days(self) -> float:
        return self.delta / pd.Timedelta(days=1)

    def text(self) -> str:
        """E.g. "22 d 21 h 29 min" (minute precision) or "53 d" (day precision)."""
        total_minutes = round(self.delta / pd.Timedelta(minutes=1))
        days, rest = divmod(total_minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if self.precision in ("minute", "second"):
            return f"{days} d {hours} h {minutes} min"
        return f"about {self.days:.0f} d"


def mission_duration(facts: Facts, mission: str) -> Duration | None:
    """Launch to capsule landing on Earth, or None when the data lacks either event."""
    phases = phase_events(facts, mission)
    by_milestone = phases.set_index(phases["milestone"].astype(str))
    if not {"launch", "earth_return"} <= set(by_milestone.index):
        return None
    return Duration(by_milestone.loc["launch"], by_milestone.loc["earth_return"])


def stated_figure(facts: Facts, mission: str, metric: str) -> pd.Series | None:
    """The article's own figure for `metric` of `mission` ("about 23 days"), or None."""
    figures = facts.figures
    chosen = figures[(figures["mission"] == mission) & (figures["metric"] == metric) & is_article_only(figures, facts)]
    return None if chosen.empty else chosen.iloc[0]


def missing_phases(facts: Facts, mission: str) -> list[str]:
    """The standard sample-return phases the data has no event for (launch … earth_return)."""
    have = set(phase_events(facts, mission)["milestone"].astype(str))
    core = ("launch", "lunar_orbit_insertion", "lunar_landing", "ascent", "docking", "earth_return")
    return [PHASE_NAMES[m] for m in core if m not in have]


_GRAMS = {"g": 1.0, "kg": 1000.0, "t": 1_000_000.0}


def sample_masses(facts: Facts, missions: list[str] | None = None) -> pd.DataFrame:
    """Returned sample mass per mission in grams, from reference rows; conflicting rows are all kept.

    Columns: mission, name, crewed, grams, stated, conflict_group, source.
    """
    figures = facts.figures
    rows = figures[(figures["metric"] == "sample_mass") & ~is_article_only(figures, facts)]
    if missions is not None:
        rows = rows[rows["mission"].isin(missions)]
    info = facts.missions.set_index("id")
    table = pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "mission": rows["mission"].astype(str).to_numpy(),
            "grams": (rows["value"].astype(float) * rows["unit"].astype(str).map(_GRAMS)).to_numpy(),
            "stated": rows["stated"].fillna("").to_numpy(),
            "conflict_group": rows["conflict_group"].to_numpy(),
            "source": rows["source"].to_numpy(),
        }
    )
    table["name"] = table["mission"].map(info["name"]).astype(str)
    table["crewed"] = table["mission"].map(info["crewed"]).astype(bool)
    table["returned"] = table["mission"].map(_return_dates(facts))
    return table.sort_values(["returned", "grams"]).reset_index(drop=True)


def _return_dates(facts: Facts) -> pd.Series:
    returns = sample_returns(facts)
    return returns.set_index("mission")["start_utc"]


def sample_return_missions(facts: Facts) -> list[str]:
    """Ids of the sample-return missions in the data."""
    missions = facts.missions
    return missions.loc[missions["kind"] == SAMPLE_RETURN, "id"].astype(str).tolist()


def sample_returns(facts: Facts) -> pd.DataFrame:
    """The capsule-landing event of every successful sample-return mission, in time order."""
    missions = facts.missions
    ok = missions[(missions["kind"] == SAMPLE_RETURN) & (missions["outcome"] == "success")]["id"]
    events = reference_events(facts)
    landings = events[(events["milestone"] == "earth_return") & events["mission"].isin(ok)]
    return _finest_per(landings, "mission").sort_values("start_utc")


@dataclass(frozen=True)
class Gap:
    """The time from the previous sample return to this mission's."""

    previous: pd.Series
    this: pd.Series

    @property
    def years(self) -> float:
        return (self.this["start_utc"] - self.previous["start_utc"]) / pd.Timedelta(days=DAYS_PER_YEAR)


def years_since_previous_return(facts: Facts, mission: str) -> Gap | None:
    """The gap to the latest earlier sample return, or None (no return event, or no earlier return)."""
    returns = sample_returns(facts)
    own = returns[returns["mission"] == mission]
    if own.empty:
        return None
    earlier = returns[returns["start_utc"] < own.iloc[0]["start_utc"]]
    return None if earlier.empty else Gap(earlier.iloc[-1], own.iloc[0])


def mass_table(masses: pd.DataFrame, sources: SourceList | None = None) -> pd.DataFrame:
    """The sample masses as a reader's table; conflicting values say so. With `sources`, each row cites its own."""
    conflict = masses["conflict_group"].notna()
    table = pd.DataFrame(
        {
            "Mission": masses["name"],
            "Crew": np.where(masses["crewed"], "crewed", "robotic"),
            "Returned": [
                f"{g / 1000:,.2f} kg" if g >= 1000 else f"{g:,.1f} g".replace(".0 g", " g") for g in masses["grams"]
            ],
            "As the source states it": masses["stated"],
            "Note": np.where(conflict, "sources disagree: every value is shown", ""),
        }
    )
    return with_sources(table, masses["source"], sources)


def phase_figure(facts: Facts, mission: str, note: str):
    """The mission's phases on a time axis (days since launch), each labelled with its elapsed time.

    Filled markers are times known to the minute or better; hollow ones are dates known only to the day.
    """
    phases = phase_events(facts, mission)
    first = phases.iloc[0]
    spans = [Duration(first, event) for _, event in phases.iterrows()]
    days = np.array([span.days for span in spans])
    labels = [PHASE_NAMES[str(m)] for m in phases["milestone"]]
    fig, ax = plots.new_figure(7.5, 1.2 + 0.4 * len(phases))
    look = plots.style(3)
    ax.hlines(range(len(phases)), 0, days, color="#bbbbbb", linewidth=1)
    for index, (day, span) in enumerate(zip(days, spans, strict=False)):
        fine = span.precision in ("minute", "second")
        ax.plot(
            day,
            index,
            marker="o",
            markersize=8,
            color=look["color"],
            markeredgecolor=plots.INK,
            markerfacecolor=look["color"] if fine else "white",
            linestyle="none",
        )
        ax.annotate(
            f"day {day:.2f}" if fine else f"day {day:.0f} (date only)",
            (day, index),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=plots.INK,
        )
    ax.plot(
        [],
        [],
        marker="o",
        color=look["color"],
        markeredgecolor=plots.INK,
        linestyle="none",
        label="time known to the minute",
    )
    ax.plot(
        [],
        [],
        marker="o",
        markerfacecolor="white",
        markeredgecolor=plots.INK,
        linestyle="none",
        label="date known to the day",
    )
    ax.set_yticks(range(len(phases)), labels)
    ax.invert_yaxis()
    ax.set_xlim(-0.5, max(days.max(), 1) * 1.22)
    ax.set_xlabel(f"Days since {PHASE_NAMES[str(first['milestone'])].lower()} ({format_event_date(first, 'UTC')})")
    ax.set_title(f"{mission_name(facts, mission)}: mission phases")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    plots.add_source_note(fig, note)
    fig.tight_layout()
    return fig


def _mass_label(grams: float, _position=None) -> str:
    """A log-axis tick in readable units: 10 g, 100 g, 1 kg, 10 kg, 100 kg."""
    return f"{grams / 1000:g} kg" if grams >= 1000 else f"{grams:g} g"


def mass_figure(facts: Facts, masses: pd.DataFrame, mission: str, stated: pd.Series | None, note: str):
    """Returned sample mass per mission on a log scale; crewed and robotic marked by shape and colour.

    Conflicting values of one mission are all drawn and joined by a line; the article's
    stated figure for `mission` is drawn beside the measured one.
    """
    order = list(dict.fromkeys(masses["name"]))
    fig, ax = plots.new_figure(7.5, 1.3 + 0.38 * len(order))
    kinds = {True: ("crewed", plots.style(3) | {"marker": "s"}), False: ("robotic", plots.style(0) | {"marker": "o"})}
    for crewed, (label, look) in kinds.items():
        chosen = masses[masses["crewed"] == crewed]
        ax.plot(
            chosen["grams"],
            chosen["name"].map(order.index),
            linestyle="none",
            marker=look["marker"],
            markersize=8,
            color=look["color"],
            markeredgecolor=plots.INK,
            label=label,
        )
    for _, group in masses[masses["conflict_group"].notna()].groupby("conflict_group"):
        position = order.index(group["name"].iloc[0])
        ax.plot(group["grams"], [position] * len(group), color=plots.INK, linewidth=1, linestyle=":")
        for grams in group["grams"]:
            ax.annotate(
                f"{grams:g} g",
                (grams, position),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=7,
                color=plots.INK,
            )
        ax.annotate(
            "sources disagree",
            (group["grams"].max(), position),
            xytext=(18, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            style="italic",
            color=plots.INK,
        )
    name = mission_name(facts, mission)
    if stated is not None and name in order:
        grams = float(stated["value"]) * _GRAMS.get(str(stated["unit"]), np.nan)
        ax.plot(
            grams,
            order.index(name),
            linestyle="none",
            marker="D",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor=plots.INK,
            label=f"as the article states it ({stated['stated']})",
        )
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(_mass_label)
    ax.set_yticks(range(len(order)), order)
    for tick in ax.get_yticklabels():
        tick.set_fontweight("bold" if tick.get_text() == name else "normal")
    ax.invert_yaxis()
    ax.set_xlabel("Returned sample mass (g or kg, log scale)")
    ax.set_title("Returned lunar sample mass per mission")
    ax.legend(loc="center", bbox_to_anchor=(0.6, 0.5), fontsize=8, frameon=True, framealpha=0.9, edgecolor="#dddddd")
    plots.add_source_note(fig, note)
    fig.tight_layout()
    return fig


def gaps_figure(facts: Facts, mission: str, note: str):
    """Every sample return on a time axis, crewed and robotic in their own lanes, the gap before `mission` marked."""
    returns = sample_returns(facts)
    info = facts.missions.set_index("id")
    fig, ax = plots.new_figure(7.5, 2.8)
    lanes = (
        (0, False, plots.style(0) | {"marker": "o"}, "robotic"),
        (1, True, plots.style(3) | {"marker": "s"}, "crewed"),
    )
    for lane, crewed, look, _label in lanes:
        chosen = returns[returns["mission"].map(info["crewed"]).astype(bool) == crewed]
        ax.plot(
            chosen["start_utc"].dt.tz_localize(None),
            [lane] * len(chosen),
            linestyle="none",
            marker=look["marker"],
            markersize=9,
            color=look["color"],
            markeredgecolor=plots.INK,
            alpha=0.85,
        )
    gap = years_since_previous_return(facts, mission)
    if gap is not None:
        start, end = (gap.previous["start_utc"].tz_localize(None), gap.this["start_utc"].tz_localize(None))
        ax.annotate("", xy=(end, 0.45), xytext=(start, 0.45), arrowprops={"arrowstyle": "<->", "color": plots.INK})
        ax.text(start + (end - start) / 2, 0.52, f"{gap.years:.1f} years", ha="center", va="bottom", fontsize=9)
        for moment, mission_id, side in ((start, gap.previous["mission"], -1), (end, gap.this["mission"], 1)):
            ax.annotate(
                str(info.loc[mission_id, "name"]),
                (moment, 0),
                xytext=(side * 3, -12),
                textcoords="offset points",
                ha="left" if side > 0 else "right",
                va="top",
                fontsize=8,
            )
    ax.set_ylim(-0.7, 1.5)
    ax.set_yticks([lane for lane, *_ in lanes], [label for *_, label in lanes])
    ax.set_xlabel("Date of the capsule’s landing on Earth (UTC)")
    ax.set_title("Lunar sample returns over time")
    plots.add_source_note(fig, note)
    fig.tight_layout()
    return fig


Sentence = tuple[str, dict]
"""A template for `display.say` and the values it fills in."""


def overview_sentences(facts: Facts, mission: str) -> list[Sentence]:
    """Who flew the mission, on what, from where to where, and how it ended."""
    row = facts.missions.set_index("id").loc[mission]
    parts = [
        (
            "**{name}** ({kind}) was flown by {agency} ({country}); outcome: {outcome}.",
            {
                "name": row["name"],
                "kind": row["kind"],
                "agency": row["agency"],
                "country": row["country"],
                "outcome": row["outcome"],
            },
        )
    ]
    known = {
        label: row[column]
        for column, label in (
            ("vehicle", "launch vehicle"),
            ("launch_site", "launch site"),
            ("landing_site", "landing site on the Moon"),
        )
        if not pd.isna(row[column])
    }
    if known:
        parts.append(
            (
                "Recorded " + "; ".join(f"{label}: {{v{i}}}" for i, label in enumerate(known)) + ".",
                {f"v{i}": value for i, value in enumerate(known.values())},
            )
        )
    missing = [label for label in ("launch vehicle", "launch site", "landing site on the Moon") if label not in known]
    if missing:
        parts.append(("The data does not record its {missing}.", {"missing": ", ".join(missing)}))
    return parts


def phase_sentences(facts: Facts, mission: str) -> list[Sentence]:
    """What the phase table shows, and which standard phases the data lacks."""
    name = mission_name(facts, mission)
    phases = phase_events(facts, mission)
    if phases.empty:
        return [("The data has no dated phase events for {name}.", {"name": name})]
    parts = [("The data dates {n} phases of {name}.", {"n": len(phases), "name": name})]
    missing = missing_phases(facts, mission)
    if missing:
        parts.append(("It has no event for: {missing}.", {"missing": ", ".join(missing)}))
    return parts


def duration_sentences(facts: Facts, mission: str, timezone: str = "UTC") -> list[Sentence]:
    """The duration computed from the data beside the article's stated figure."""
    name = mission_name(facts, mission)
    duration = mission_duration(facts, mission)
    stated = stated_figure(facts, mission, "duration")
    if duration is None:
        return [
            (
                "The data lacks a launch or a capsule-landing event for {name}, so its duration cannot be computed.",
                {"name": name},
            )
        ]
    parts = [
        (
            "Computed from the data, {name} took **{days:.2f} days** ({text}), from launch on {launch} "
            "to the capsule’s landing on {landing}.",
            {
                "name": name,
                "days": duration.days,
                "text": duration.text(),
                "launch": format_event_date(duration.launch, timezone),
                "landing": format_event_date(duration.landing, timezone),
            },
        )
    ]
    if stated is None:
        parts.append(("The article states no duration for {name}.", {"name": name}))
    else:
        diff = duration.days - float(stated["value"])
        parts.append(
            (
                "The article says “{stated}”: the computed duration is {diff:.2f} days {side} than its {value:g} {unit}.",
                {
                    "stated": stated["stated"],
                    "diff": abs(diff),
                    "side": "shorter" if diff < 0 else "longer",
                    "value": float(stated["value"]),
                    "unit": stated["unit"],
                },
            )
        )
    return parts


def mass_sentences(facts: Facts, mission: str, masses: pd.DataFrame) -> list[Sentence]:
    """The mission's returned mass beside the article's figure, and any conflicting values in the comparison."""
    name = mission_name(facts, mission)
    own = masses[masses["mission"] == mission]
    stated = stated_figure(facts, mission, "sample_mass")
    parts = []
    if own.empty:
        parts.append(("The data has no returned sample mass for {name}.", {"name": name}))
    else:
        values = " or ".join(f"{g:,.1f} g".replace(".0 g", " g") for g in own["grams"])
        parts.append(
            (
                "{name} returned **{values}** ({sources}).",
                {"name": name, "values": values, "sources": "; ".join(_attributed(facts, own))},
            )
        )
    if stated is not None and not own.empty:
        grams = float(stated["value"]) * _GRAMS[str(stated["unit"])]
        measured = float(own["grams"].iloc[0])
        parts.append(
            (
                "The article says “{stated}”: {over:.1f} % more than the {measured:,.0f} g recorded.",
                {"stated": stated["stated"], "over": 100 * (grams / measured - 1), "measured": measured},
            )
        )
    elif stated is None:
        parts.append(("The article gives no sample mass for {name}.", {"name": name}))
    for _, group in masses[masses["conflict_group"].notna()].groupby("conflict_group"):
        parts.append(
            (
                "Sources disagree on {other}: {values}; both are shown, neither is chosen.",
                {"other": group["name"].iloc[0], "values": " vs ".join(_attributed(facts, group))},
            )
        )
    return parts


def _attributed(facts: Facts, rows: pd.DataFrame) -> list[str]:
    """Each mass row as "“55 g” (LROC; Open University)": the stated value and who states it."""
    return [
        f"“{stated}” ({'; '.join(plots.source_labels(facts.sources, [source]))})"
        for stated, source in zip(rows["stated"], rows["source"], strict=False)
    ]


def gap_sentences(facts: Facts, mission: str, timezone: str = "UTC") -> list[Sentence]:
    """Years since the previous sample return, beside the article's figure."""
    name = mission_name(facts, mission)
    gap = years_since_previous_return(facts, mission)
    stated = stated_figure(facts, mission, "years_since_previous_return")
    if gap is None:
        return [
            (
                "The data has no earlier sample return (or no return event) for {name}, so no gap can be computed.",
                {"name": name},
            )
        ]
    parts = [
        (
            "{name}'s capsule landed **{years:.1f} years** after the previous sample return, "
            "{previous} ({previous_date}).",
            {
                "name": name,
                "years": gap.years,
                "previous": mission_name(facts, gap.previous["mission"]),
                "previous_date": format_event_date(gap.previous, timezone),
            },
        )
    ]
    if stated is None:
        parts.append(("The article states no such gap for {name}.", {"name": name}))
    else:
        parts.append(
            (
                "The article says “{stated}”; the data gives {years:.2f} years, {whole} whole years.",
                {"stated": stated["stated"], "years": gap.years, "whole": int(gap.years)},
            )
        )
    return parts
