"""The numbers each figure draws, one row per mark, in a reader's columns: the figure's data view and CSV.

Each function takes the frame its figure is drawn from (or computes it with the same helper the
figure calls), so the table and the download hold exactly the rows drawn.
"""

from __future__ import annotations

import pandas as pd

from ...facts.dates import Interval, coarse_dates, format_event_date
from ...facts.load import Facts
from ..missions import PHASE_NAMES, in_grams, sample_returns
from ..timeline import ilrs_phases


def _dates(events: pd.DataFrame, zone: str = "UTC") -> list[str]:
    return [format_event_date(event, zone) for _, event in events.iterrows()]


def phases_data(phases: pd.DataFrame) -> pd.DataFrame:
    """The mission-phases chart: each phase, its date and its days since the first (launch)."""
    first = phases.iloc[0]
    spans = [Interval(first, event) for _, event in phases.iterrows()]
    return pd.DataFrame(
        {
            "Phase": [PHASE_NAMES[str(m)] for m in phases["milestone"]],
            "Date (UTC)": _dates(phases),
            "Days since launch": [
                f"{span.days:.2f}" if span.precision.is_clock_time else f"{span.days:.0f}" for span in spans
            ],
            "Known to": ["the minute or better" if s.precision.is_clock_time else "the day" for s in spans],
        }
    )


def masses_data(masses: pd.DataFrame, stated: pd.Series | None, name: str) -> pd.DataFrame:
    """The sample-mass chart: one row per value drawn (each of a disagreement), then the article's figure."""
    rows = pd.DataFrame(
        {
            "Mission": masses["name"].astype(str).to_numpy(),
            "Crewed": ["crewed" if crewed else "robotic" for crewed in masses["crewed"]],
            "Returned sample mass (g)": [f"{grams:g}" for grams in masses["grams"]],
            "As the source states it": masses["stated"].astype(str).to_numpy(),
        }
    )
    if stated is None:
        return rows
    article = {
        "Mission": f"{name} (as the article states it)",
        "Crewed": "",
        "Returned sample mass (g)": f"{in_grams(stated['value'], stated['unit']):g}",
        "As the source states it": str(stated["stated"]),
    }
    return pd.concat([rows, pd.DataFrame([article])], ignore_index=True)


def returns_data(returns: pd.DataFrame, missions: pd.DataFrame) -> pd.DataFrame:
    """The sample-returns chart: each return's mission, landing date and lane."""
    info = missions.set_index("id")
    return pd.DataFrame(
        {
            "Mission": returns["mission"].map(info["name"]).astype(str).to_numpy(),
            "Capsule landed (UTC)": _dates(returns),
            "Lane": ["crewed" if info.loc[m, "crewed"] else "robotic" for m in returns["mission"]],
        }
    )


def sample_returns_data(facts: Facts) -> pd.DataFrame:
    """`returns_data` of every sample return in the fact base (what `gaps_figure` draws)."""
    return returns_data(sample_returns(facts), facts.missions)


def events_data(window: pd.DataFrame, zone: str) -> pd.DataFrame:
    """The timeline chart: each event's date (in `zone`), category and title, a span marked as one."""
    ordered = window.sort_values("start_utc", kind="stable")
    return pd.DataFrame(
        {
            "Date": _dates(ordered, zone),
            "Category": ordered["category"].astype(str).to_numpy(),
            "Event": ordered["title"].astype(str).to_numpy(),
            "Drawn as": ["a bar (month, year or span)" if c else "a point" for c in _is_bar(ordered)],
        }
    )


def _is_bar(events: pd.DataFrame) -> list[bool]:
    coarse = coarse_dates(events["precision"]).to_numpy()
    spans = events["end"].notna().to_numpy()
    return [bool(c or s) for c, s in zip(coarse, spans, strict=True)]


def ilrs_phases_data(events: pd.DataFrame) -> pd.DataFrame:
    """The ILRS phases chart: each phase with its years, open-ended ones marked."""
    spans = ilrs_phases(events)
    return pd.DataFrame(
        {
            "Phase": spans["title"].astype(str).to_numpy(),
            "From": spans["start"].astype(str).to_numpy(),
            "To": ["open-ended" if o else str(e) for o, e in zip(spans["open_ended"], spans["end"], strict=True)],
        }
    )


def partners_data(joinings: pd.DataFrame, zone: str) -> pd.DataFrame:
    """The partner chart: each country in order of joining, its date (in `zone`) and the running count."""
    return pd.DataFrame(
        {
            "Country": joinings["country"].astype(str).to_numpy(),
            "Joined": _dates(joinings, zone),
            "Partner countries so far": list(range(1, len(joinings) + 1)),
        }
    )


def _listed(parts: list[str]) -> str:
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def phases_finding(table: pd.DataFrame) -> str:
    """What the phases chart shows, for its alt text: the first and last phase and the days between."""
    last = table.iloc[-1]
    return f"from {table.iloc[0]['Phase'].lower()} (day 0) to {last['Phase'].lower()} (day {last['Days since launch']})"


def masses_finding(masses: pd.DataFrame, name: str) -> str:
    """What the sample-mass chart shows: the smallest and largest returns, and the mission's own."""
    low, high = masses.loc[masses["grams"].idxmin()], masses.loc[masses["grams"].idxmax()]
    own = masses[masses["name"] == name]
    said = f"; {name} returned {own['stated'].iloc[0]}" if len(own) else ""
    return f"from {low['stated']} ({low['name']}) to {high['stated']} ({high['name']}){said}"


def partners_finding(table: pd.DataFrame) -> str:
    """What the partner chart shows: how many countries, the first and the latest."""
    first, last = table.iloc[0], table.iloc[-1]
    return (
        f"{len(table)} countries, from {first['Country']} ({first['Joined']}) to {last['Country']} ({last['Joined']})"
    )


def ilrs_phases_finding(table: pd.DataFrame) -> str:
    """What the ILRS phases chart shows: each phase with its years."""
    years = [f"{row['Phase']} {row['From']}–{row['To']}" for _, row in table.iterrows()]
    return _listed([y.replace("–open-ended", " on, open-ended") for y in years])


def tally_finding(tally: pd.DataFrame) -> str:
    """What the verdict chart shows: the count per verdict when published and now."""
    columns = list(tally.columns)
    shown = tally[(tally[columns[1]] > 0) | (tally[columns[2]] > 0)]
    return _listed([f"{row['Verdict']} {row[columns[1]]} then, {row[columns[2]]} now" for _, row in shown.iterrows()])
