"""Tables of the mission report: the mission's phases with elapsed times, returned sample masses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...facts.dates import Interval
from ...facts.load import Facts
from ..citations import SourceList, with_sources
from ..missions import PHASE_NAMES, phase_events
from ..wording import event_date, mass_text


def mission_phase_table(
    facts: Facts, mission: str, timezone: str = "UTC", sources: SourceList | None = None
) -> pd.DataFrame:
    """Each phase with its date, the time since the previous phase and since launch (and sources, given `sources`).

    Clock times are shown in `timezone`; a date known only to the day stays the calendar date of
    the zone it was recorded in and names that zone ("19 December 2020 (Asia/Shanghai date)").
    """
    phases = phase_events(facts, mission)
    launches = phases[phases["milestone"] == "launch"]
    launch = None if launches.empty else launches.iloc[0]
    rows = []
    previous = None
    for _, event in phases.iterrows():
        rows.append(
            {
                "Phase": PHASE_NAMES[str(event["milestone"])],
                "Date": event_date(event, timezone),
                "Since previous phase": "" if previous is None else _elapsed(previous, event),
                "Since launch": "" if launch is None or event["id"] == launch["id"] else _elapsed(launch, event),
                "Event": event["title"],
            }
        )
        previous = event
    table = pd.DataFrame(rows, columns=["Phase", "Date", "Since previous phase", "Since launch", "Event"])
    return with_sources(table, phases["source"], sources)


def _elapsed(first: pd.Series, second: pd.Series) -> str:
    """Days between two phases: "22.90 d" between clock times, "≈ 53 d (dates to the day)" otherwise."""
    span = Interval(first, second)
    if span.precision.is_clock_time:
        return f"{span.days:.2f} d"
    return f"≈ {span.days:.0f} d (dates to the {span.precision})"


def mass_table(masses: pd.DataFrame, sources: SourceList | None = None) -> pd.DataFrame:
    """The sample masses as a reader's table; conflicting values say so. With `sources`, each row cites its own."""
    conflict = masses["conflict_group"].notna()
    table = pd.DataFrame(
        {
            "Mission": masses["name"],
            "Crew": np.where(masses["crewed"], "crewed", "robotic"),
            "Returned": [mass_text(grams, kilograms_from=1000) for grams in masses["grams"]],
            "As the source states it": masses["stated"],
            "Note": np.where(conflict, "sources disagree: every value is shown", ""),
        }
    )
    return with_sources(table, masses["source"], sources)
