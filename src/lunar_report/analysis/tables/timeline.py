"""Tables of the timeline report: chronology, events per year, cooperation milestones, ILRS phases."""

from __future__ import annotations

import pandas as pd

from ...facts.dates import Interval
from ..citations import SourceList, with_sources
from ..timeline import ilrs_phases
from ..wording import event_date, interval_text


def chronology(events: pd.DataFrame, timezone: str = "UTC", sources: SourceList | None = None) -> pd.DataFrame:
    """The chronology table: each date at its precision with its zone, the event, its category and actors.

    With `sources`, a last column cites each event's sources.
    """
    ordered = events.sort_values(["start_utc", "id"])
    table = pd.DataFrame(
        {
            "Date": [event_date(row, timezone) for _, row in ordered.iterrows()],
            "Event": ordered["title"].to_numpy(),
            "Category": ordered["category"].astype(str).to_numpy(),
            "Actors": ordered["actors"].fillna("").str.replace(";", ", ").to_numpy(),
        }
    )
    return with_sources(table, ordered["source"], sources)


def counts_table(events: pd.DataFrame, timezone: str = "UTC") -> pd.DataFrame:
    """Events per category (rows) and year (columns) in `timezone`: the chronology when it is too long to list."""
    years = events["start_utc"].dt.tz_convert(timezone).dt.year.rename("Year")
    counts = events.groupby([events["category"].astype(str).rename("Category"), years]).size().unstack(fill_value=0)
    counts.columns = [str(year) for year in counts.columns]
    return counts.reset_index()


def step_intervals(steps: pd.DataFrame, timezone: str = "UTC", sources: SourceList | None = None) -> pd.DataFrame:
    """Each cooperation step with its date and the time since the previous one (and its sources, given `sources`)."""
    rows = []
    previous = None
    for _, step in steps.iterrows():
        rows.append(
            {
                "Milestone": step["step"],
                "Date": event_date(step, timezone),
                "Since the previous milestone": "" if previous is None else _since(previous, step),
                "Event": step["title"],
            }
        )
        previous = step
    table = pd.DataFrame(rows, columns=["Milestone", "Date", "Since the previous milestone", "Event"])
    return with_sources(table, steps["source"], sources)


def _since(previous: pd.Series, step: pd.Series) -> str:
    gap = Interval(previous, step)
    return interval_text(gap.days, gap.precision)


def ilrs_phase_table(events: pd.DataFrame, sources: SourceList | None = None) -> pd.DataFrame:
    """Each ILRS phase with its years, as the data states them (and its sources, given `sources`)."""
    spans = ilrs_phases(events)
    table = pd.DataFrame(
        {
            "Phase": spans["title"].to_numpy(),
            "From": spans["start"].to_numpy(),
            "To (inclusive)": spans["end"].fillna("open-ended").to_numpy(),
        }
    )
    return with_sources(table, spans["source"], sources)
