"""Sentences of the freshness stamp: the as-of date, how current the facts are, and a warning naming the plans
that reached their date with no outcome recorded (or, without any, saying the facts are old)."""

from __future__ import annotations

import pandas as pd

from ...facts.dates import format_partial
from ..display import Sentence
from ..plans import PlanState
from ..reviews import is_stale, reviewed_up_to


def _names(tables: list[str]) -> str:
    names = [t.replace("_", " ") for t in tables]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _plan_list(plans: pd.DataFrame) -> str:
    """ "Chang’e-7 launch (planned for 2026, overdue)", … joined in words."""
    items = [
        f"{plan['name']} ({'planned' if plan['what'] != 'outcome' else 'targeted'} for "
        f"{format_partial(plan['planned'])}, "
        f"{'overdue' if plan['state'] == PlanState.OVERDUE.value else 'a period not yet over'})"
        for _, plan in plans.iterrows()
    ]
    return _names(items)


def _plan_warning(plans: pd.DataFrame, as_of: pd.Timestamp, up_to: str, stale: bool) -> Sentence:
    old = "; the facts were last fully reviewed in {up_to}, more than six months earlier" if stale else ""
    return Sentence(
        "**Warning:** as of {as_of:%-d %B %Y} the fact base records no outcome for {what} that reached "
        "{whose} date: {plans}" + old + ". Check before relying on this report.",
        {
            "as_of": as_of,
            "what": "this plan" if len(plans) == 1 else "these plans",
            "whose": "its" if len(plans) == 1 else "their",
            "plans": _plan_list(plans),
            "up_to": format_partial(up_to),
        },
    )


def freshness_sentences(latest: pd.DataFrame, as_of: pd.Timestamp, plans: pd.DataFrame | None = None) -> list[Sentence]:
    """ "As of … · Facts reviewed up to …", the review of each table, and a warning: naming the `plans` due or
    overdue on `as_of` (:func:`..plans.plans_due`) when there are any, or else saying the facts are more than
    six months old."""
    up_to = reviewed_up_to(latest)
    if up_to is None:
        unreviewed = _names([str(t) for t in latest.loc[latest["full"].isna(), "table"]]) or "any table"
        return [
            Sentence(
                "As of {as_of:%-d %B %Y}. **The review log records no full review of {tables}**: "
                "how current these facts are is unknown.",
                {"as_of": as_of, "tables": unreviewed},
            ),
            *([_plan_warning(plans, as_of, "", False)] if plans is not None and len(plans) else []),
        ]
    by_date: dict[str, list[str]] = {}
    for _, row in latest.iterrows():
        by_date.setdefault(str(row["full"]), []).append(str(row["table"]))
    full = "; ".join(f"{_names(tables)} {format_partial(date)}" for date, tables in by_date.items())
    partial = latest[latest["partial"].notna()]
    rechecked = (
        f" (some rows of {_names([str(t) for t in partial['table']])} re-checked "
        f"{format_partial(partial['partial'].iloc[0])})"
        if len(partial) and partial["partial"].nunique() == 1
        else "".join(
            f" ({str(r['table']).replace('_', ' ')}: some rows re-checked {format_partial(r['partial'])})"
            for _, r in partial.iterrows()
        )
    )
    parts = [
        Sentence(
            "As of {as_of:%-d %B %Y} (the date elapsed times are counted to). **Facts reviewed up to {up_to}**: "
            "last full review of {full}{rechecked}.",
            {"as_of": as_of, "up_to": format_partial(up_to), "full": full, "rechecked": rechecked},
        )
    ]
    stale = is_stale(as_of, up_to)
    if plans is not None and len(plans):
        parts.append(_plan_warning(plans, as_of, up_to, stale))
    elif stale:
        parts.append(
            Sentence(
                "**Warning:** {as_of:%-d %B %Y} is more than six months after {up_to}, when some of the facts "
                "used here were last fully reviewed: they may be out of date.",
                {"as_of": as_of, "up_to": format_partial(up_to)},
            )
        )
    return parts
