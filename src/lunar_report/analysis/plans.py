"""Plans that reached their date: planned events and stated targets with no recorded outcome.

A *plan* is a mission event (category `mission`) of a mission whose outcome is still `planned`
(Chang’e-7's launch, "2026"), or a stated target (category `plan`, the latest target of a statement history). Its date
is a period at the row's precision: "2026" is all of 2026, "2026-09" all of September 2026.

- **Overdue**: the whole period has passed by `as_of` (the year 2026 has ended: from 1 January 2027
  on) and no outcome is recorded. A hedge does not move the date: "before 2030" is a year-precision
  2030 and becomes overdue on 1 January 2031, never earlier.
- **Due**: `as_of` falls inside the period (7 December 2026 for "2026") and no outcome is recorded.

An outcome is recorded when the mission's outcome is no longer `planned` (the editor re-dates the
event to what happened), or, for a target, when its row is replaced by the event that met it or
re-dated by a later statement. The wording never says a plan did not happen: only that the fact
base records no outcome as of the date.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pandas as pd

from ..facts.dates import PRECISION_BY_LENGTH, after_period, format_partial, parse_partial
from ..facts.load import Facts, split_ids
from .display import Sentence
from .provenance import reference_events


class PlanState(StrEnum):
    """Where a plan's date stands on `as_of`."""

    OVERDUE = "overdue"  # its whole period has passed
    DUE = "due"  # `as_of` is inside its period


COLUMNS = ("id", "table", "mission", "name", "what", "planned", "state", "since", "sources")
"""What :func:`plans_due` returns: the event id, its table, its mission (or ""), the plan's name, what was
planned (a launch, an outcome), the planned date as written, its state, the first instant after its period
(UTC) and the row's sources."""

PLANNED_OUTCOME = "planned"


def _day(as_of: date | pd.Timestamp) -> pd.Timestamp:
    moment = pd.Timestamp(as_of)
    moment = moment.tz_convert("UTC") if moment.tzinfo is not None else moment.tz_localize("UTC")
    return moment.normalize()


def _what(milestone: object) -> str:
    if milestone is None or pd.isna(milestone) or not str(milestone) or str(milestone) == "target":
        return "outcome"
    return str(milestone).replace("_", " ")


def _name(row: pd.Series, missions: dict[str, str]) -> str:
    mission = "" if pd.isna(row["mission"]) else str(row["mission"])
    if mission and str(row["category"]) != "plan":
        return f"{missions.get(mission, mission)} {_what(row['milestone'])}"
    return str(row["title"]).removeprefix("Target: ")


def plans_due(facts: Facts, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """Every plan due or overdue on `as_of` (its UTC day counts), overdue first, each in date order.

    `as_of` is a day or a moment; the rows cited only by the article are the article's claims, not plans.
    """
    day = _day(as_of)
    events = reference_events(facts)
    missions = facts.missions
    planned_missions = set(missions.loc[missions["outcome"].astype(str) == PLANNED_OUTCOME, "id"].astype(str))
    names = dict(zip(missions["id"].astype(str), missions["name"].astype(str), strict=True))
    of_planned = events["mission"].astype("string").isin(planned_missions).fillna(False).astype(bool)
    of_planned &= events["category"].astype(str) == "mission"  # (a partner's agreement about it is no plan)
    targets = (events["category"].astype(str) == "plan").to_numpy()
    rows = []
    for _, row in events[of_planned.to_numpy() | targets].iterrows():
        start = str(row["start"])
        since = after_period(start)
        first = parse_partial(start, None)
        if since <= day:
            state = PlanState.OVERDUE
        elif first <= day:
            state = PlanState.DUE
        else:
            continue
        rows.append(
            {
                "id": str(row["id"]),
                "table": "events",
                "mission": "" if pd.isna(row["mission"]) else str(row["mission"]),
                "name": _name(row, names),
                "what": _what(row["milestone"]),
                "planned": start,
                "state": state.value,
                "since": since,
                "sources": ";".join(split_ids(row["source"])),
            }
        )
    found = pd.DataFrame(rows, columns=list(COLUMNS))
    found["order"] = found["state"].map({PlanState.OVERDUE.value: 0, PlanState.DUE.value: 1})
    return found.sort_values(["order", "since", "id"], kind="stable").drop(columns="order").reset_index(drop=True)


def plan_text(plan: pd.Series, as_of: date | pd.Timestamp) -> str:
    """One plan in words: "Chang’e-7 launch: planned for 2026; no launch recorded in the fact base as of
    7 December 2026" (with "overdue" once its whole period has passed). It never says the plan did not happen."""
    when = format_partial(plan["planned"])
    precision = PRECISION_BY_LENGTH[len(str(plan["planned"]))]
    on = "for" if precision in ("year", "month") else "on"
    verb = "planned" if plan["what"] != "outcome" else "targeted"
    state = f" (overdue: {when} has ended)" if plan["state"] == PlanState.OVERDUE.value else ""
    return (
        f"{plan['name']}{state}: {verb} {on} {when}; no {plan['what']} recorded in the fact base "
        f"as of {_day(as_of):%-d %B %Y}"
    )


def plan_sentences(plans: pd.DataFrame, as_of: date | pd.Timestamp) -> list[Sentence]:
    """A sentence per plan (see :func:`plan_text`), the plan's name in bold."""
    return [
        Sentence("**{name}**{rest}.", {"name": plan["name"], "rest": plan_text(plan, as_of)[len(plan["name"]) :]})
        for _, plan in plans.iterrows()
    ]


def plans_of_mission(facts: Facts, mission: str, as_of: date | pd.Timestamp) -> pd.DataFrame:
    """The due or overdue plans of one mission."""
    found = plans_due(facts, as_of)
    return found[found["mission"] == mission].reset_index(drop=True)


def plans_among(facts: Facts, row_ids: list[str], as_of: date | pd.Timestamp) -> pd.DataFrame:
    """The due or overdue plans among `row_ids` (rows a claim rests on), and those of the missions they belong to."""
    found = plans_due(facts, as_of)
    events = facts.events
    missions = set(events.loc[events["id"].isin(row_ids), "mission"].dropna().astype(str)) | set(row_ids)
    return found[found["id"].isin(row_ids) | found["mission"].isin(missions)].reset_index(drop=True)
