"""Sentences of the timeline report: the window shown, milestone span, current phase, partners, targets."""

from __future__ import annotations

import pandas as pd

from ...facts.dates import Interval, coarse_dates, format_event_date, years_between
from ...facts.load import Facts, split_ids
from ..display import Sentence
from ..timeline import announcing_event, current_phase, stated_partner_count, targets
from ..wording import event_date, interval_text, who, zone_name


def window_sentences(events: pd.DataFrame, left_out: int, timezone: str, as_of: pd.Timestamp) -> list[Sentence]:
    """What the chronology covers, in which zone, and what it leaves out."""
    if events.empty:
        return [Sentence("No event of the chosen categories falls in the chosen window.")]
    first, last = events.iloc[0], events.sort_values("start_utc").iloc[-1]
    return [
        Sentence(
            "**{n} events**, from {first} to {last}. Clock times are shown in **{zone}**; a date known only to the day "
            "is the calendar date where it happened, and names its zone when that differs.",
            {
                "n": len(events),
                "first": event_date(first, timezone),
                "last": event_date(last, timezone),
                "zone": zone_name(timezone),
            },
        ),
        Sentence(
            "{left_out} rows that only the article itself states are left out here; the claims report checks them. "
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


def partner_sentences(facts: Facts, joinings: pd.DataFrame, timezone: str) -> list[Sentence]:
    """How many partners have a dated joining, the first and latest, and which the data cannot date."""
    if joinings.empty:
        return [Sentence("The data has no partner joining events.")]
    stated = stated_partner_count(facts)
    joined = _joined_sentence(joinings, timezone)
    return [joined] if stated is None else [joined, _stated_count_sentence(facts, stated, len(joinings), timezone)]


def _joined_sentence(joinings: pd.DataFrame, timezone: str) -> Sentence:
    first, last = joinings.iloc[0], joinings.iloc[-1]
    return Sentence(
        "**{n} countries** besides China and Russia have a dated joining event: the first was {first} "
        "({first_date}), the latest {last} ({last_date}); {coarse} of these dates are known only to the month.",
        {
            "n": len(joinings),
            "first": first["country"],
            "first_date": format_event_date(first, timezone),
            "last": last["country"],
            "last_date": format_event_date(last, timezone),
            "coarse": int(coarse_dates(joinings["precision"]).sum()),
        },
    )


def _stated_count_sentence(facts: Facts, stated: pd.Series, dated: int, timezone: str) -> Sentence:
    said = announcing_event(facts, stated)
    return Sentence(
        "{who} stated **{count:.0f} countries** on {when}; **{undated}** of them have no joining date "
        "in the data. The data’s note: “{note}”",
        {
            "who": who(said["actors"]) if said is not None else "A source",
            "count": float(stated["value"]),
            "when": format_event_date(said, timezone) if said is not None else "an unknown date",
            "undated": max(int(stated["value"]) - dated, 0),
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
    """For each dated target: who set it and when, time elapsed since, and time left to the target year."""
    parts = [_target_sentence(target, as_of, timezone) for _, target in targets(facts).iterrows()]
    return parts or [Sentence("The data records no dated targets.")]


def _target_sentence(target: pd.Series, as_of: pd.Timestamp, timezone: str) -> Sentence:
    left = years_between(as_of, target["deadline"])
    values = {"title": target["title"], "target": target["target"], "as_of": as_of, "left": abs(left)}
    remaining = (
        "{left:.1f} years remain until 1 January {target}."
        if left >= 0
        else "1 January {target} passed {left:.1f} years before then."
    )
    if target["stated_event"] is None:
        return Sentence(
            "**{title}.** The data does not say who set it or when. On {as_of:%-d %B %Y}, " + remaining, values
        )
    return Sentence(
        "**{title}.** Set by {who} on {when}; {elapsed:.1f} years had passed by {as_of:%-d %B %Y}, and " + remaining,
        values
        | {
            "who": target["set_by"],
            "when": format_event_date(target["stated_event"], timezone),
            "elapsed": years_between(target["stated_on"], as_of),
        },
    )
