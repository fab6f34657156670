"""Sentences of the mission report: overview, phases covered, duration, sample mass and the gap since the last return."""

from __future__ import annotations

import pandas as pd

from ...facts.dates import format_event_date
from ...facts.load import Facts
from ..citations import source_labels
from ..display import Sentence
from ..missions import (
    in_grams,
    missing_phases,
    mission_duration,
    mission_name,
    phase_events,
    since_previous_return,
    stated_figure,
)
from ..wording import by_count, duration_text, mass_text

RECORDED = (("vehicle", "launch vehicle"), ("launch_site", "launch site"), ("landing_site", "landing site on the Moon"))
"""Columns of missions.csv the overview names when recorded, with their labels."""


def overview_sentences(facts: Facts, mission: str) -> list[Sentence]:
    """Who flew the mission, on what, from where to where, and how it ended."""
    row = facts.missions.set_index("id").loc[mission]
    parts = [
        Sentence(
            "**{name}** ({kind}) was flown by {agency} ({country}); outcome: {outcome}.",
            {key: row[key] for key in ("name", "kind", "agency", "country", "outcome")},
        )
    ]
    known = {label: row[column] for column, label in RECORDED if not pd.isna(row[column])}
    if known:
        parts.append(
            Sentence(
                "Recorded " + "; ".join(f"{label}: {{v{i}}}" for i, label in enumerate(known)) + ".",
                {f"v{i}": value for i, value in enumerate(known.values())},
            )
        )
    missing = [label for _, label in RECORDED if label not in known]
    if missing:
        parts.append(Sentence("The data does not record its {missing}.", {"missing": ", ".join(missing)}))
    return parts


def phase_coverage_sentences(facts: Facts, mission: str) -> list[Sentence]:
    """How many phases of the mission the data dates, and which core phases it lacks."""
    name = mission_name(facts, mission)
    phases = phase_events(facts, mission)
    if phases.empty:
        return [Sentence("The data has no dated phase events for {name}.", {"name": name})]
    dates = by_count(len(phases), "The data dates {n} phase of {name}.", "The data dates {n} phases of {name}.")
    parts = [Sentence(dates, {"n": len(phases), "name": name})]
    missing = missing_phases(facts, mission)
    if missing:
        parts.append(Sentence("It has no event for: {missing}.", {"missing": ", ".join(missing)}))
    return parts


def duration_sentences(facts: Facts, mission: str, timezone: str = "UTC") -> list[Sentence]:
    """The duration computed from the data beside the article's stated figure."""
    name = mission_name(facts, mission)
    duration = mission_duration(facts, mission)
    if duration is None:
        return [
            Sentence(
                "The data lacks a launch or a capsule-landing event for {name}, so its duration cannot be computed.",
                {"name": name},
            )
        ]
    computed = Sentence(
        "Computed from the data, {name} took **{days:.2f} days** ({text}), from launch on {launch} "
        "to the capsule’s landing on {landing}.",
        {
            "name": name,
            "days": duration.days,
            "text": duration_text(duration),
            "launch": format_event_date(duration.start, timezone),
            "landing": format_event_date(duration.end, timezone),
        },
    )
    stated = stated_figure(facts, mission, "duration")
    if stated is None:
        return [computed, Sentence("The article states no duration for {name}.", {"name": name})]
    diff = duration.days - float(stated["value"])
    return [
        computed,
        Sentence(
            "The article says “{stated}”: the computed duration is {diff:.2f} days {side} than its {value:g} {unit}.",
            {
                "stated": stated["stated"],
                "diff": abs(diff),
                "side": "shorter" if diff < 0 else "longer",
                "value": float(stated["value"]),
                "unit": stated["unit"],
            },
        ),
    ]


def mass_sentences(facts: Facts, mission: str, masses: pd.DataFrame) -> list[Sentence]:
    """The mission's returned mass beside the article's figure, and any conflicting values in the comparison."""
    name = mission_name(facts, mission)
    own = masses[masses["mission"] == mission]
    stated = stated_figure(facts, mission, "sample_mass")
    parts = []
    if own.empty:
        parts.append(Sentence("The data has no returned sample mass for {name}.", {"name": name}))
    else:
        parts.append(
            Sentence(
                "{name} returned **{values}** ({sources}).",
                {
                    "name": name,
                    "values": " or ".join(mass_text(grams) for grams in own["grams"]),
                    "sources": "; ".join(_attributed(facts, own)),
                },
            )
        )
    if stated is None:
        parts.append(Sentence("The article gives no sample mass for {name}.", {"name": name}))
    elif not own.empty:
        parts.append(_stated_mass_sentence(stated, float(own["grams"].iloc[0])))
    return parts + _conflict_sentences(facts, masses)


def _stated_mass_sentence(stated: pd.Series, measured: float) -> Sentence:
    return Sentence(
        "The article says “{stated}”: {over:.1f} % more than the {measured:,.0f} g recorded.",
        {
            "stated": stated["stated"],
            "over": 100 * (in_grams(stated["value"], stated["unit"]) / measured - 1),
            "measured": measured,
        },
    )


def _conflict_sentences(facts: Facts, masses: pd.DataFrame) -> list[Sentence]:
    """One sentence per mission whose sources disagree on its mass, quoting each value and its sources."""
    return [
        Sentence(
            "Sources disagree on {other}: {values}; both are shown, neither is chosen.",
            {"other": group["name"].iloc[0], "values": " vs ".join(_attributed(facts, group))},
        )
        for _, group in masses[masses["conflict_group"].notna()].groupby("conflict_group")
    ]


def _attributed(facts: Facts, rows: pd.DataFrame) -> list[str]:
    """Each mass row as "“55 g” (LROC; Open University)": the stated value and who states it."""
    return [
        f"“{stated}” ({'; '.join(source_labels(facts.sources, [source]))})"
        for stated, source in zip(rows["stated"], rows["source"], strict=False)
    ]


def gap_sentences(facts: Facts, mission: str, timezone: str = "UTC") -> list[Sentence]:
    """Years since the previous sample return, beside the article's figure."""
    name = mission_name(facts, mission)
    gap = since_previous_return(facts, mission)
    if gap is None:
        return [
            Sentence(
                "The data has no earlier sample return (or no return event) for {name}, so no gap can be computed.",
                {"name": name},
            )
        ]
    computed = Sentence(
        "{name}'s capsule landed **{years:.1f} years** after the previous sample return, {previous} ({previous_date}).",
        {
            "name": name,
            "years": gap.years,
            "previous": mission_name(facts, gap.start["mission"]),
            "previous_date": format_event_date(gap.start, timezone),
        },
    )
    stated = stated_figure(facts, mission, "years_since_previous_return")
    if stated is None:
        return [computed, Sentence("The article states no such gap for {name}.", {"name": name})]
    return [
        computed,
        Sentence(
            "The article says “{stated}”; the data gives {years:.2f} years, {whole} whole years.",
            {"stated": stated["stated"], "years": gap.years, "whole": int(gap.years)},
        ),
    ]
