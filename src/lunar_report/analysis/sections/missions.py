"""Sections of the mission notebook, each shown by one call."""

from __future__ import annotations

from ..cards import claim_cards_latex
from ..citations import SourceList
from ..claims import mission_claims
from ..display import show_figure, show_table
from ..figures import data as figure_data
from ..figures.missions import gaps_figure, mass_figure, mission_phases_figure
from ..figures.style import source_note
from ..missions import (
    mission_name,
    phase_events,
    sample_masses,
    sample_return_missions,
    sample_returns,
    since_previous_return,
    stated_figure,
)
from ..notebook import say_all
from ..parameters import MissionParameters
from ..plans import plan_sentences, plans_of_mission
from ..prose import missions as prose
from ..prose.claims import tally_sentences
from ..tables.claims import claims_table
from ..tables.missions import mass_table, mission_phase_table


def show_phases(params: MissionParameters, sources: SourceList) -> None:
    """Which phases the data dates and which planned ones reached their date with no outcome recorded, then each
    phase's date and elapsed times as a table and on a time axis."""
    facts, mission = params.facts, params.mission
    phases = phase_events(facts, mission)
    say_all(prose.phase_coverage_sentences(facts, mission))
    say_all(plan_sentences(plans_of_mission(facts, mission, params.as_of), params.as_of))
    if phases.empty:
        return
    show_table(
        mission_phase_table(facts, mission, sources=sources),
        caption="Mission phases (clock times in UTC; dates known only to the day in the zone they were recorded in)",
    )
    note = source_note(facts.sources, phases["source"])
    table = figure_data.phases_data(phases)
    show_figure(
        mission_phases_figure(facts, mission, note=note),
        alt=f"Mission phases on a time axis of days since launch: {figure_data.phases_finding(table)}",
        thumbnail=True,  # the mission's own figure: each mission report has its own picture
        data=table,
        note=note,
        name=f"{mission}-phases",
    )


def show_masses(params: MissionParameters, sources: SourceList) -> None:
    """The returned sample mass beside the article's figure and beside the missions compared (all sample returns)."""
    facts, mission = params.facts, params.mission
    compared = params.compare_with or sample_return_missions(facts)
    masses = sample_masses(facts, sorted(set(compared) | {mission}))
    say_all(prose.mass_sentences(facts, mission, masses))
    if masses.empty:
        return
    show_table(mass_table(masses, sources), caption="Returned lunar sample mass")
    stated = stated_figure(facts, mission, "sample_mass")
    cited = list(masses["source"]) + ([] if stated is None else [stated["source"]])
    note = source_note(facts.sources, cited)
    show_figure(
        mass_figure(facts, masses, mission, stated, note=note),
        alt="Returned sample mass per mission, log scale, crewed and robotic marked: "
        + figure_data.masses_finding(masses, mission_name(facts, mission)),
        data=figure_data.masses_data(masses, stated, mission_name(facts, mission)),
        note=note,
        name="sample-masses",
    )


def show_gap(params: MissionParameters) -> None:
    """The years since the previous sample return, and every sample return on a time axis."""
    facts, mission = params.facts, params.mission
    say_all(prose.gap_sentences(facts, mission))
    returns = sample_returns(facts)
    if mission in set(returns["mission"]):
        note = source_note(facts.sources, returns["source"])
        show_figure(
            gaps_figure(facts, mission, note=note),
            alt="Every lunar sample return over time, with the gap before this mission marked" + _gap_finding(params),
            data=figure_data.sample_returns_data(facts),
            note=note,
            name="sample-returns",
        )


def show_claim_check(params: MissionParameters, sources: SourceList) -> None:
    """How the article's claims about the mission fared, and each claim with both verdicts and their sources."""
    facts, mission = params.facts, params.mission
    claims = mission_claims(facts, mission)
    say_all(tally_sentences(claims, "about " + mission_name(facts, mission), facts))
    if not claims.empty:
        table, caption = claims_table(facts, claims, sources), "Claims about this mission"
        show_table(table, caption, latex=claim_cards_latex(table, caption))  # (seven columns do not fit a page)


def _gap_finding(params: MissionParameters) -> str:
    """The gap the sample-returns chart marks, for its alt text ("" when there is no earlier return)."""
    gap = since_previous_return(params.facts, params.mission)
    if gap is None:
        return ""
    names = params.facts.missions.set_index("id")["name"]
    return f": {gap.years:.1f} years from {names[gap.start['mission']]} to {names[gap.end['mission']]}"
