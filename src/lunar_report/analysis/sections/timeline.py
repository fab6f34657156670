"""Sections of the timeline notebook, each shown by one call."""

from __future__ import annotations

import pandas as pd

from ...facts.load import key_figure
from ..citations import SourceList
from ..display import Sentence, say, show_figure, show_table
from ..figures import data as figure_data
from ..figures.style import source_note
from ..figures.timeline import MAX_MARKERS, MAX_PHASE_BARS, ilrs_phases_figure, partners_figure, timeline_figure
from ..notebook import say_all
from ..parameters import TimelineParameters
from ..plans import plan_sentences, plans_due
from ..prose import timeline as prose
from ..provenance import is_article_only
from ..tables.timeline import chronology, counts_table, ilrs_phase_table, step_intervals
from ..timeline import cooperation_steps, partner_joinings, stated_partner_count


def show_chronology(params: TimelineParameters, window: pd.DataFrame, sources: SourceList) -> None:
    """What the window holds, then its events one by one (or counted per category and year, when too many)."""
    left_out = int(is_article_only(params.facts.events, params.facts).sum())
    say_all(prose.window_sentences(window, left_out, params.timezone, params.as_of))
    if len(window) > MAX_MARKERS:
        say("Too many events to list one by one; the table counts them per category and year.")
        show_table(counts_table(window, params.timezone), caption="Events per category and year")
    elif not window.empty:
        show_table(chronology(window, params.timezone, sources), caption="Chronology of the cooperation")


def show_timeline(params: TimelineParameters, window: pd.DataFrame) -> None:
    """The window's events on one lane per category."""
    if window.empty:
        return
    note = source_note(params.facts.sources, window["source"])
    many = len(window) > MAX_MARKERS
    table = counts_table(window, params.timezone) if many else figure_data.events_data(window, params.timezone)
    span = "" if many else f": {len(table)} events, from {table['Date'].iloc[0]} to {table['Date'].iloc[-1]}"
    show_figure(
        timeline_figure(window, params.timezone, params.as_of, note=note),
        alt=f"Timeline of the cooperation's events, one lane per category{span}",
        data=table,
        note=note,
        name="timeline-events",
    )


def show_milestones(params: TimelineParameters, window: pd.DataFrame, sources: SourceList) -> None:
    """The cooperation's milestones in the window with the time between them, then the whole span."""
    steps = cooperation_steps(params.facts, window)
    if not steps.empty:
        show_table(
            step_intervals(steps, params.timezone, sources), caption="Cooperation milestones and the time between them"
        )
    say_all(prose.step_sentences(steps))


def show_ilrs_phases(params: TimelineParameters, events: pd.DataFrame, sources: SourceList) -> None:
    """The ILRS phases as a chart and a table (whatever the window), then the phase running on `as_of`."""
    phases = events[events["category"] == "phase"]
    if not phases.empty:
        note = source_note(params.facts.sources, phases["source"])
        table = figure_data.ilrs_phases_data(events)
        show_figure(
            ilrs_phases_figure(events, params.as_of, note=note),
            alt=f"Gantt chart of the ILRS phases: {figure_data.ilrs_phases_finding(table)}",
            data=table,
            note=note,
            name="ilrs-phases",
        )
        if len(phases) <= MAX_PHASE_BARS:
            show_table(ilrs_phase_table(events, sources), caption="ILRS phases")
    say_all(prose.phase_statement_sentences(params.facts, events))
    say_all(prose.current_phase_sentences(events, params.as_of))


PARTNER_COUNT = "Partner countries with a dated government-level joining"
"""The key figure the What-changed section follows between editions."""


def show_partners(params: TimelineParameters, events: pd.DataFrame) -> None:
    """How many partner countries joined and when, beside the count a source states, as sentences and a chart."""
    facts = params.facts
    joinings = partner_joinings(events)
    key_figure(PARTNER_COUNT, len(joinings))
    say_all(prose.partner_sentences(facts, joinings, params.timezone, events))
    if joinings.empty:
        return
    stated = stated_partner_count(facts)
    count, label = prose.stated_partner_line(facts)
    cited = list(joinings["source"]) + ([] if stated is None else [stated["source"]])
    note = source_note(facts.sources, cited)
    table = figure_data.partners_data(joinings, params.timezone)
    show_figure(
        partners_figure(joinings, count, label, params.as_of, params.timezone, note=note),
        alt=f"Cumulative number of ILRS partner countries over time: {figure_data.partners_finding(table)}",
        thumbnail=True,
        data=table,
        note=note,
        name="partner-countries",
    )


def show_targets(params: TimelineParameters) -> None:
    """Each dated target: the latest stated one, the time left to it, and how its statements were revised."""
    say_all(prose.target_sentences(params.facts, params.as_of, params.timezone))


PLANS_SECTION = "Plans at or past their date"
"""The section (and its heading's anchor) that lists the plans due or overdue; a key finding links to it."""


def plans_due_sentences(params: TimelineParameters) -> list:
    """The plans due or overdue on `as_of`, one sentence each, or one sentence saying there is none."""
    plans = plans_due(params.facts, params.as_of)
    if plans.empty:
        return [
            Sentence(
                "As of {as_of:%-d %B %Y}, no planned event or stated target in the fact base has reached its date "
                "without a recorded outcome.",
                {"as_of": params.as_of},
            )
        ]
    return plan_sentences(plans, params.as_of)


def show_plans(params: TimelineParameters) -> None:
    """Each planned event or stated target whose date has come (due) or passed (overdue) with no outcome recorded."""
    say_all(plans_due_sentences(params))
