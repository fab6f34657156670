"""Queries on the fact base for the mission report: phases, duration, returned sample masses, sample returns."""

from __future__ import annotations

import pandas as pd

from ..facts.dates import PRECISIONS, Interval
from ..facts.load import Facts
from .provenance import is_article_only, reference_events

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
CORE_PHASES = ("launch", "lunar_orbit_insertion", "lunar_landing", "ascent", "docking", "earth_return")
"""The phases every sample return flies: the data should date each of them."""
SAMPLE_RETURN = "sample return"
GRAMS_PER_UNIT = {"g": 1.0, "kg": 1000.0, "t": 1_000_000.0}


def mission_name(facts: Facts, mission: str) -> str:
    """The display name of `mission` (its id when unknown)."""
    names = facts.missions.set_index("id")["name"]
    return str(names.get(mission, mission))


def _finest_per(events: pd.DataFrame, key: str) -> pd.DataFrame:
    """One event per value of `key`: the most precisely dated one."""
    ranked = events.assign(_rank=events["precision"].astype(str).map(PRECISIONS.index))
    return ranked.sort_values(["_rank", "start_utc"]).drop_duplicates(key).drop(columns="_rank")


def phase_events(facts: Facts, mission: str) -> pd.DataFrame:
    """The mission's phase events (reference rows, the finest per phase), in time order."""
    events = reference_events(facts)
    own = events[(events["mission"] == mission) & events["milestone"].isin(PHASES)]
    return _finest_per(own, "milestone").sort_values("start_utc")


def missing_phases(facts: Facts, mission: str) -> list[str]:
    """The names of the core phases (launch … capsule landing) the data has no event for."""
    have = set(phase_events(facts, mission)["milestone"].astype(str))
    return [PHASE_NAMES[phase] for phase in CORE_PHASES if phase not in have]


def mission_duration(facts: Facts, mission: str) -> Interval | None:
    """Launch to capsule landing on Earth, or None when the data lacks either event."""
    phases = phase_events(facts, mission)
    by_phase = phases.set_index(phases["milestone"].astype(str))
    if not {"launch", "earth_return"} <= set(by_phase.index):
        return None
    return Interval(by_phase.loc["launch"], by_phase.loc["earth_return"])


def stated_figure(facts: Facts, mission: str, metric: str) -> pd.Series | None:
    """The article's own figure for `metric` of `mission` ("about 23 days"), or None."""
    figures = facts.figures
    chosen = figures[(figures["mission"] == mission) & (figures["metric"] == metric) & is_article_only(figures, facts)]
    return None if chosen.empty else chosen.iloc[0]


def in_grams(value: float, unit: str) -> float:
    """A mass in grams from its value and unit (g, kg or t), as the figures table records them."""
    return float(value) * GRAMS_PER_UNIT[str(unit)]


def sample_return_missions(facts: Facts) -> list[str]:
    """Ids of the sample-return missions in the data."""
    missions = facts.missions
    return [str(mission) for mission in missions.loc[missions["kind"] == SAMPLE_RETURN, "id"]]


def sample_returns(facts: Facts) -> pd.DataFrame:
    """The capsule-landing event of every successful sample-return mission, in time order."""
    missions = facts.missions
    ok = missions[(missions["kind"] == SAMPLE_RETURN) & (missions["outcome"] == "success")]["id"]
    events = reference_events(facts)
    landings = events[(events["milestone"] == "earth_return") & events["mission"].isin(ok)]
    return _finest_per(landings, "mission").sort_values("start_utc")


def sample_masses(facts: Facts, missions: list[str] | None = None) -> pd.DataFrame:
    """Returned sample mass per mission in grams, from reference rows; conflicting rows are all kept.

    Columns: id, mission, grams, stated, conflict_group, source, name, crewed, returned (UTC);
    in order of return, then mass.
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
            "grams": [in_grams(value, unit) for value, unit in zip(rows["value"], rows["unit"], strict=True)],
            "stated": rows["stated"].fillna("").to_numpy(),
            "conflict_group": rows["conflict_group"].to_numpy(),
            "source": rows["source"].to_numpy(),
        }
    )
    table["name"] = table["mission"].map(info["name"]).astype(str)
    table["crewed"] = table["mission"].map(info["crewed"]).astype(bool)
    table["returned"] = table["mission"].map(sample_returns(facts).set_index("mission")["start_utc"])
    return table.sort_values(["returned", "grams"]).reset_index(drop=True)


def since_previous_return(facts: Facts, mission: str) -> Interval | None:
    """From the latest earlier sample return to this mission's, or None (no return event, or no earlier return)."""
    returns = sample_returns(facts)
    own = returns[returns["mission"] == mission]
    if own.empty:
        return None
    earlier = returns[returns["start_utc"] < own.iloc[0]["start_utc"]]
    return None if earlier.empty else Interval(earlier.iloc[-1], own.iloc[0])
