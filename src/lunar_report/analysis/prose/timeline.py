"""Sentences of the timeline report: the window shown, milestone span, current phase, partners, targets."""

from __future__ import annotations

import pandas as pd

from ...facts.dates import Interval, after_period, coarse_dates, format_event_date, format_partial, years_between
from ...facts.load import Facts, split_ids
from ..display import Sentence
from ..statements import history_text, revisions, stated_by, target_text
from ..timeline import (
    MAX_PHASE_BARS,
    announcing_event,
    current_phase,
    ilrs_phases,
    institution_agreements,
    stated_partner_count,
    targets,
)
from ..wording import by_count, event_date, interval_text, who, zone_name


def window_sentences(events: pd.DataFrame, left_out: int, timezone: str, as_of: pd.Timestamp) -> list[Sentence]:
    """What the chronology covers, in which zone, and what it leaves out."""
    if events.empty:
        return [Sentence("No event of the chosen categories falls in the chosen window.")]
    first, last = events.iloc[0], events.sort_values("start_utc").iloc[-1]
    return [
        Sentence(
            by_count(len(events), "**{n} event**", "**{n} events**")
            + ", from {first} to {last}. Clock times are shown in **{zone}**; a date known only to the day "
            "is the calendar date where it happened, and names its zone when that differs.",
            {
                "n": len(events),
                "first": event_date(first, timezone),
                "last": event_date(last, timezone),
                "zone": zone_name(timezone),
            },
        ),
        Sentence(
            by_count(
                left_out,
                "{left_out} row that only the article itself states is",
                "{left_out} rows that only the article itself states are",
            )
            + " left out here; the claims report checks them. "
            "The sections on phases, partners and targets use every event, whatever the window; "
            "elapsed and remaining times are counted to {as_of:%-d %B %Y} (UTC).",
            {"left_out": left_out, "as_of": as_of},
        ),
    ]


def step_sentences(steps: pd.DataFrame) -> list[Sentence]:
    """The span from the first to the last cooperation milestone."""
    if len(steps) < 2:
        return [
            Sentence("The chosen window holds fewer than two cooperation milestones, so there is no interval to show.")
        ]
    first, last = steps.iloc[0], steps.iloc[-1]
    gap = Interval(first, last)
    return [
        Sentence(
            "From “{first}” to “{last}”: {span}.",
            {"first": first["step"], "last": last["step"], "span": interval_text(gap.days, gap.precision)},
        )
    ]


def current_phase_sentences(events: pd.DataFrame, as_of: pd.Timestamp) -> list[Sentence]:
    """Which ILRS phase runs at `as_of`, and how long it has run and has left."""
    running = current_phase(events, as_of)
    if running is None:
        return [Sentence("No ILRS phase in the data runs on {as_of:%-d %B %Y}.", {"as_of": as_of})]
    parts = [
        Sentence(
            "On {as_of:%-d %B %Y} the plan is in **{phase}**, which began in {start}: {elapsed:.1f} years ago.",
            {
                "as_of": as_of,
                "phase": running["title"],
                "start": running["start"],
                "elapsed": years_between(running["start_utc"], as_of),
            },
        )
    ]
    if not pd.isna(running["last_utc"]):
        parts.append(
            Sentence(
                "It is planned to run to the end of {end}: {left:.1f} years from then.",
                {"end": running["end"], "left": years_between(as_of, running["last_utc"])},
            )
        )
    return parts


def partner_sentences(
    facts: Facts, joinings: pd.DataFrame, timezone: str, events: pd.DataFrame | None = None
) -> list[Sentence]:
    """How many countries have a dated government-level joining, the first and latest, which the data cannot date,
    and (given `events`) the institution-level agreements not counted."""
    if joinings.empty:
        return [Sentence("The data has no government-level partner joining events.")]
    stated = stated_partner_count(facts)
    parts = [_joined_sentence(joinings, timezone)]
    if stated is not None:
        parts.append(_stated_count_sentence(facts, stated, len(joinings), timezone))
    parts += _other_count_sentences(facts, timezone)
    if events is not None:
        parts += _institution_sentences(institution_agreements(events), timezone)
    return parts


OTHER_COUNTS = {
    "ilrs_partner_parties": "countries and international organisations",
    "ilrs_partner_institutions": "research institutions",
}
"""Partner counts a source states with its own scope (CNSA counts countries and organisations together, and
institutions apart): shown as stated, dated by their statement, beside the countries counted here."""


def _other_count_sentences(facts: Facts, timezone: str) -> list[Sentence]:
    rows = facts.figures[facts.figures["metric"].isin(list(OTHER_COUNTS))]
    said = []
    for _, row in rows.iterrows():
        event = announcing_event(facts, row)
        if event is not None:
            said.append(
                (event["start_utc"], f"{row['stated']} ({who(event['actors'])}, {event_date(event, timezone)})")
            )
    if not said:
        return []
    return [
        Sentence(
            "Counts stated with another scope, each as its source words it (not comparable with the countries "
            "above): {counts}.",
            {"counts": "; ".join(text for _, text in sorted(said, key=lambda pair: pair[0]))},
        )
    ]


def _institution_sentences(agreements: pd.DataFrame, timezone: str) -> list[Sentence]:
    return [
        Sentence(
            "Not counted as a country joining ({scope} level): {title}, {date}.",
            {"title": row["title"], "date": event_date(row, timezone), "scope": row["scope"]},
        )
        for _, row in agreements.iterrows()
    ]


def _joined_sentence(joinings: pd.DataFrame, timezone: str) -> Sentence:
    first, last = joinings.iloc[0], joinings.iloc[-1]
    coarse = int(coarse_dates(joinings["precision"]).sum())
    return Sentence(
        by_count(
            len(joinings),
            "**{n} country** besides China and Russia has",
            "**{n} countries** besides China and Russia have",
        )
        + " a dated government-level joining: the first was {first} ({first_date}), the latest dated partner {last} "
        "({last_date}); "
        + by_count(coarse, "{coarse} of these dates is", "{coarse} of these dates are")
        + " known only to the month.",
        {
            "n": len(joinings),
            "first": first["country"],
            "first_date": format_event_date(first, timezone),
            "last": last["country"],
            "last_date": format_event_date(last, timezone),
            "coarse": coarse,
        },
    )


def _stated_count_sentence(facts: Facts, stated: pd.Series, dated: int, timezone: str) -> Sentence:
    said = announcing_event(facts, stated)
    # Which stated countries lack a date is in the note only: the statement's list need not match the dated ones.
    return Sentence(
        "{who} stated "
        + by_count(int(stated["value"]), "**{count:.0f} country**", "**{count:.0f} countries**")
        + " on {when}, against **{dated}** with a dated government-level "
        "joining in the data. The data’s note: “{note}”",
        {
            "who": who(said["actors"]) if said is not None else "A source",
            "count": float(stated["value"]),
            "when": format_event_date(said, timezone) if said is not None else "an unknown date",
            "dated": dated,
            "note": said["note"] if said is not None else stated["note"],
        },
    )


def stated_partner_line(facts: Facts) -> tuple[int | None, str]:
    """The stated partner count and its label for the partners figure ("13 countries stated: Roscosmos, 28 April 2025")."""
    stated = stated_partner_count(facts)
    if stated is None:
        return None, ""
    said = announcing_event(facts, stated)
    by = f": {split_ids(said['actors'])[0]}, {format_event_date(said)}" if said is not None else ""
    return int(stated["value"]), f"{stated['stated']} stated{by}"


def target_sentences(facts: Facts, as_of: pd.Timestamp, timezone: str) -> list[Sentence]:
    """For each dated target: its latest stated target, who set it and when, time left, and its revisions."""
    parts = [sentence for _, target in targets(facts).iterrows() for sentence in _target_sentences(target, as_of)]
    return parts or [Sentence("The data records no dated targets.")]


def _remaining(target: pd.Series, as_of: pd.Timestamp) -> tuple[str, float]:
    left = years_between(as_of, target["deadline"])
    if left >= 0:
        return "{left:.1f} years remain until 1 January {target}.", left
    if len(str(target["target"])) == 4 and as_of < after_period(str(target["target"])):
        return "{target} is under way: 1 January {target} passed {left:.1f} years before then.", -left
    return "1 January {target} passed {left:.1f} years before then.", -left


def _on(text: object) -> str:
    """ "on 5 September 2024" for a day, "in April 2024" for a month or a year."""
    return ("on " if len(str(text)) >= 10 else "in ") + format_partial(text)


def _target_sentences(target: pd.Series, as_of: pd.Timestamp) -> list[Sentence]:
    remaining, left = _remaining(target, as_of)
    values = {"title": target["title"], "target": target["target"], "as_of": as_of, "left": left}
    current = target["current"]
    if current.empty:
        return [
            Sentence(
                "**{title}.** The data records no statement of this target. On {as_of:%-d %B %Y}, " + remaining, values
            )
        ]
    latest, first = current.iloc[-1], target["first"]
    setter = revisions(target["statements"])[-1].first  # who first stated the target as it now stands
    reaffirmed = "" if setter["id"] == latest["id"] else ", last reaffirmed by {reaffirmed_by} {reaffirmed_on}"
    parts = [
        Sentence(
            "**{title}.** Latest stated target: **{wording}** (set by {who} {when}" + reaffirmed + "; "
            "first stated: {first}). On {as_of:%-d %B %Y}, " + remaining,
            values
            | {
                "wording": latest["wording"],
                "who": who(setter["actor"]),
                "when": _on(setter["stated"]),
                "reaffirmed_by": who(latest["actor"]),
                "reaffirmed_on": _on(latest["stated"]),
                "first": f"{target_text(first)} ({stated_by(first)})" if first is not None else "without a date",
            },
        )
    ]
    if len(target["statements"]) > 1:
        parts.append(Sentence("Revisions: {history}.", {"history": history_text(target["statements"])}))
    return parts


def phase_statement_sentences(facts: Facts, events: pd.DataFrame) -> list[Sentence]:
    """Where the phases come from (their statements), conflicting statements of one phase, and later descriptions."""
    phases = ilrs_phases(events)
    ids = [str(i) for i in phases["id"]]
    statements = facts.statements
    said = statements[statements["subject"].isin(ids)]
    if said.empty:
        return []
    first = next(rows.iloc[0] for rows in (said[said["subject"] == i] for i in ids) if not rows.empty)
    current = said[said["stated"] == said.groupby("subject", observed=True)["stated"].transform("last")]
    parts = [
        Sentence(
            "These phases were set out on {when} by {who}: {phases}.",
            {
                "when": format_partial(first["stated"]),
                "who": " and ".join(split_ids(first["actor"])),
                "phases": _phase_targets(phases, current),
            },
        )
    ]
    targets = current.groupby("subject", observed=True)["target"].nunique()
    for _, row in phases[phases["id"].astype(str).map(targets).fillna(0) > 1].head(MAX_PHASE_BARS).iterrows():
        parts.append(_conflict_sentence(facts, row, current[current["subject"] == str(row["id"])]))
    later = _later_target_statements(facts, said)
    if later is not None:
        parts.append(later)
    return parts


def _phase_targets(phases: pd.DataFrame, current: pd.DataFrame) -> str:
    """Each phase with its current target ("or" between same-day versions); a count when there are too many."""
    if len(phases) > MAX_PHASE_BARS:
        return f"{len(phases):,} phases, too many to list here"
    by_subject = {str(key): frame for key, frame in current.groupby("subject", sort=False, observed=True)}
    listed = []
    for _, row in phases.iterrows():
        latest = by_subject.get(str(row["id"]), current.iloc[0:0])
        versions = " or ".join(dict.fromkeys(target_text(c) for _, c in latest.iterrows()))
        listed.append(f"{row['title']} {versions}" + (" (reports differ)" if len(latest) > 1 else ""))
    return "; ".join(listed)


def _conflict_sentence(facts: Facts, phase: pd.Series, current: pd.DataFrame) -> Sentence:
    publishers = facts.sources.set_index("id")["publisher"]
    versions = [
        f"“{row['wording']}” ({', '.join(str(publishers.get(s, s)) for s in split_ids(row['source']))})"
        for _, row in current.iterrows()
    ]
    return Sentence(
        "For {title}, reports of the same day disagree: {versions}; the data dates the phase from {start}.",
        {"title": phase["title"], "versions": " and ".join(versions), "start": phase["start"]},
    )


def _later_target_statements(facts: Facts, phase_statements: pd.DataFrame) -> Sentence | None:
    """Targets later stated by the phases' own actors: the plan as they describe it since then."""
    actors = {actor for text in phase_statements["actor"] for actor in split_ids(text)}
    roadmap = phase_statements["stated"].max()
    rows = []
    for _, target in targets(facts).iterrows():
        said = target["statements"]
        mine = said[said["actor"].map(lambda t: bool(set(split_ids(t)[:1]) & actors)) & (said["stated"] > roadmap)]
        if not mine.empty:
            rows.append((mine.iloc[0]["stated"], split_ids(mine.iloc[0]["actor"])[0], target))
    if not rows:
        return None
    since, actor, _ = min(rows, key=lambda r: r[0])
    described = "; ".join(
        f"{str(t['title']).removeprefix('Target: ')} {target_text(t['current'].iloc[-1])}" for _, _, t in rows
    )
    return Sentence(
        "Since {since} {actor} describes the plan by targets instead of these phases ({described}; see "
        "“Elapsed and remaining time”), so the phase named below is the 2021 roadmap’s, not necessarily the "
        "current plan’s.",
        {"since": format_partial(since), "actor": actor, "described": described},
    )
