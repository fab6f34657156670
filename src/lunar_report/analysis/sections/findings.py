"""Each report's key findings: the opening sentence of the sections that carry its main results.

The sentences are the sections' own (computed from data/); the numbers behind them are also
reported as key figures, which the build compares between editions and the front page shows.
"""

from __future__ import annotations

import pandas as pd

from ...facts.load import Facts, key_figure
from ...facts.schema import VERDICTS
from ..claims import mission_claims
from ..display import Finding, Sentence, show_findings
from ..missions import mission_duration, mission_name, sample_masses
from ..parameters import MissionParameters, TimelineParameters
from ..plans import plan_sentences, plans_due
from ..prose import missions as mission_prose
from ..prose import timeline as timeline_prose
from ..prose.claims import changed_sentences, tally_sentences
from ..timeline import partner_joinings
from .timeline import PARTNER_COUNT, PLANS_SECTION

SAMPLE_MASS = "Returned sample mass"
DURATION = "Mission duration, launch to landing on Earth"


def _first(sentences: list[Sentence], section: str) -> list[Finding]:
    return [Finding(sentences[0], section)] if sentences else []


def show_timeline_findings(params: TimelineParameters, events: pd.DataFrame) -> None:
    """Partners, the current ILRS phase, the crewed-landing target and each plan due or overdue, each linked to
    its section."""
    facts = params.facts
    joinings = partner_joinings(events)
    key_figure(PARTNER_COUNT, len(joinings))
    show_findings(
        _first(timeline_prose.partner_sentences(facts, joinings, params.timezone, events), "Partner countries")
        + _first(timeline_prose.current_phase_sentences(events, params.as_of), "ILRS phases")
        + _first(timeline_prose.target_sentences(facts, params.as_of, params.timezone), "Elapsed and remaining time")
        + [Finding(s, PLANS_SECTION) for s in plan_sentences(plans_due(facts, params.as_of), params.as_of)]
    )


def show_mission_findings(params: MissionParameters) -> None:
    """The mission's duration, its returned sample mass and its claim check, each linked to its section."""
    facts, mission = params.facts, params.mission
    duration = mission_duration(facts, mission)
    if duration is not None:
        key_figure(DURATION, round(duration.days, 2), "days")
    own = sample_masses(facts, [mission])
    if len(own):
        key_figure(SAMPLE_MASS, float(own["grams"].iloc[0]), "g")
    claims = mission_claims(facts, mission)
    show_findings(
        _first(mission_prose.duration_sentences(facts, mission), "Mission duration")
        + _first(mission_prose.mass_sentences(facts, mission, own), "Returned sample mass")
        + _first(mission_prose.gap_sentences(facts, mission), "Years since the previous sample return")
        + _first(tally_sentences(claims, "about " + mission_name(facts, mission), facts), "Claim check")
    )


def verdict_figures(claims: pd.DataFrame) -> None:
    """The verdict tally at both times as key figures, e.g. "Claims supported, when published" → 25."""
    key_figure("Claims checked", len(claims))
    for verdict in VERDICTS:
        for column, when in (("verdict", "when published"), ("verdict_now", "now")):
            count = int((claims[column].astype(str) == verdict).sum())
            if count:
                key_figure(f"Claims {verdict}, {when}", count)


def show_claims_findings(facts: Facts, claims: pd.DataFrame) -> None:
    """The tally at both times and the verdicts that changed, each linked to its section."""
    verdict_figures(claims)
    show_findings(
        _first(tally_sentences(claims, "in the article", facts), "Verdict tally")
        + _first(changed_sentences(claims), "Verdicts that changed")
    )
