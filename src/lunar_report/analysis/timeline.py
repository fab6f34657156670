"""Queries on the fact base for the timeline report: events in a window, milestones, ILRS phases, partners, targets."""

from __future__ import annotations

import pandas as pd

from ..facts.dates import PRECISION_BY_LENGTH, coarse_dates, end_of_period
from ..facts.load import Facts, split_ids
from .provenance import reference_events
from .statements import current_statements, first_with_target, history

STEP_LABELS = {
    "programme": "Cooperation programme signed",
    "memorandum": "Memorandum signed",
    "joint statement": "Joint statement released",
    "roadmap": "Roadmap released",
    "intergovernmental agreement": "Intergovernmental agreement signed",
}

MAX_PHASE_BARS = 30
"""Above this many phases, figures count the phases in progress and prose does not list them one by one."""


def with_periods(events: pd.DataFrame) -> pd.DataFrame:
    """Add `last_utc`: where the event ends on a time axis (after its end's, or its start's, period)."""
    start_precision = events["precision"].astype(str)
    end_precision = events["end"].str.len().map(PRECISION_BY_LENGTH)
    past_start = end_of_period(events["start_utc"], start_precision)
    past_end = end_of_period(events["end_utc"], end_precision)
    spans = coarse_dates(start_precision) | events["end_utc"].notna()
    last = past_end.where(events["end_utc"].notna(), past_start.where(spans, events["start_utc"]))
    return events.assign(last_utc=last)


def select_events(
    events: pd.DataFrame,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    categories: tuple[str, ...] | list[str] | None = None,
) -> pd.DataFrame:
    """Events of `categories` that overlap [start, end) (UTC instants; None: unbounded), in time order."""
    chosen = with_periods(events)
    if categories is not None:
        chosen = chosen[chosen["category"].astype(str).isin(categories)]
    if start is not None:
        chosen = chosen[(chosen["last_utc"] > start) | (chosen["start_utc"] >= start)]
    if end is not None:
        chosen = chosen[chosen["start_utc"] < end]
    return chosen.sort_values(["start_utc", "id"])


def cooperation_steps(facts: Facts, events: pd.DataFrame) -> pd.DataFrame:
    """The cooperation's milestones among `events`: agreements (not partner ones), briefings, first and latest partner.

    Columns: step (a reader's label) plus the event's columns; in time order.
    """
    agreements = facts.agreements[facts.agreements["kind"].isin(STEP_LABELS)]
    labels = dict(zip(agreements["event"], agreements["kind"].map(STEP_LABELS), strict=False))
    briefings = events[events["category"] == "briefing"]
    labels.update({event_id: "Press briefing" for event_id in briefings["id"]})
    joinings = partner_joinings(events)
    if len(joinings):
        labels[joinings["id"].iloc[0]] = f"First partner joins ({joinings['country'].iloc[0]})"
        labels[joinings["id"].iloc[-1]] = f"Latest dated partner joins ({joinings['country'].iloc[-1]})"
    steps = events[events["id"].isin(labels)].sort_values(["start_utc", "id"])
    return steps.assign(step=steps["id"].map(labels))


def ilrs_phases(events: pd.DataFrame) -> pd.DataFrame:
    """The ILRS phases (category `phase`) with `last_utc` and `open_ended`, in time order; an open end stays NaT."""
    chosen = with_periods(events[events["category"] == "phase"])
    open_ended = chosen["end"].isna()
    return chosen.assign(last_utc=chosen["last_utc"].where(~open_ended), open_ended=open_ended).sort_values("start_utc")


def current_phase(events: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series | None:
    """The ILRS phase running at `as_of`, or None."""
    spans = ilrs_phases(events)
    running = spans[(spans["start_utc"] <= as_of) & (spans["last_utc"].isna() | (spans["last_utc"] > as_of))]
    return None if running.empty else running.iloc[0]


def phases_in_progress(spans: pd.DataFrame) -> pd.Series:
    """How many of `spans` are in progress from each start or end on (a step function; open ends never end)."""
    starts = pd.Series(1, index=spans["start_utc"])
    ends = pd.Series(-1, index=spans["last_utc"].dropna())
    return pd.concat([starts, ends]).groupby(level=0).sum().sort_index().cumsum()


COUNTED_SCOPE = "government"
"""A partner row counts as a country joining only at this `scope`; `institution` rows are an institute's MoU."""


def _joinings(events: pd.DataFrame, scope: str) -> pd.DataFrame:
    joins = events[(events["category"] == "partner") & (events["milestone"] == "joining") & (events["scope"] == scope)]
    joins = joins.assign(country=joins["actors"].map(lambda text: (split_ids(text) or ["unknown"])[0]))
    return with_periods(joins.sort_values(["start_utc", "id"]))


def partner_joinings(events: pd.DataFrame) -> pd.DataFrame:
    """Government-level joinings (`scope` government) with `country` (the first actor), one per country, in time order."""
    return _joinings(events, COUNTED_SCOPE).drop_duplicates("country")


def institution_agreements(events: pd.DataFrame) -> pd.DataFrame:
    """Partner rows of any other scope (an institute's MoU): not a country joining, listed apart; in time order."""
    partners = events[(events["category"] == "partner") & (events["milestone"] == "joining")]
    scopes = [str(s) for s in partners["scope"].dropna().unique() if s != COUNTED_SCOPE]
    frames = [_joinings(events, scope) for scope in scopes]
    return pd.concat(frames).sort_values(["start_utc", "id"]) if frames else partners.iloc[:0].assign(country="")


def stated_partner_count(facts: Facts) -> pd.Series | None:
    """The latest stated number of partner countries (figure metric `ilrs_partner_countries`), or None.

    Latest by the date of the statement announcing it (rows without one count as the oldest; on the
    same date, the later row of the file).
    """
    rows = facts.figures[facts.figures["metric"] == "ilrs_partner_countries"]
    if rows.empty:
        return None
    said = [announcing_event(facts, row) for _, row in rows.iterrows()]
    when = pd.Series([pd.NaT if event is None else event["start_utc"] for event in said], index=rows.index)
    return rows.loc[when.sort_values(kind="stable", na_position="first").index[-1]]


def announcing_event(facts: Facts, row: pd.Series, category: str = "statement") -> pd.Series | None:
    """The earliest `category` event citing a source of `row` (who said it, and when), or None."""
    sources = set(split_ids(row["source"]))
    events = reference_events(facts)
    candidates = events[
        (events["category"] == category) & events["source"].map(lambda t: bool(sources & set(split_ids(t))))
    ]
    return None if candidates.empty else candidates.sort_values("start_utc").iloc[0]


def targets(facts: Facts) -> pd.DataFrame:
    """Dated targets (milestone `target`, and planned missions' events with statements; reference rows) with the
    statements behind them.

    Columns: id, title, deadline (UTC start of the row's period: the latest stated target),
    target (as recorded), statements (the subject's history, date order), current (its
    latest-dated statements), first (the earliest statement giving a target, or None).
    """
    events = reference_events(facts)
    stated = set(facts.statements["subject"].astype(str))
    chosen = (events["milestone"] == "target") | ((events["category"] == "mission") & events["id"].isin(stated))
    rows = []
    for _, target in events[chosen].sort_values(["start_utc", "id"]).iterrows():
        said = history(facts, str(target["id"]))
        rows.append(
            {
                "id": target["id"],
                "title": target["title"],
                "deadline": target["start_utc"],
                "target": target["start"],
                "statements": said,
                "current": current_statements(said),
                "first": first_with_target(said),
            }
        )
    return pd.DataFrame(rows, columns=["id", "title", "deadline", "target", "statements", "current", "first"])
