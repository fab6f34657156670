"""Sentences of the freshness stamp: the as-of date, how current the facts are, and a warning when they are old."""

from __future__ import annotations

import pandas as pd

from ...facts.dates import format_partial
from ..display import Sentence
from ..reviews import is_stale, reviewed_up_to


def _names(tables: list[str]) -> str:
    names = [t.replace("_", " ") for t in tables]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def freshness_sentences(latest: pd.DataFrame, as_of: pd.Timestamp) -> list[Sentence]:
    """ "As of … · Facts reviewed up to …", the review of each table, and a warning past six months."""
    up_to = reviewed_up_to(latest)
    if up_to is None:
        unreviewed = _names([str(t) for t in latest.loc[latest["full"].isna(), "table"]]) or "any table"
        return [
            Sentence(
                "As of {as_of:%-d %B %Y}. **The review log records no full review of {tables}**: "
                "how current these facts are is unknown.",
                {"as_of": as_of, "tables": unreviewed},
            )
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
    if is_stale(as_of, up_to):
        parts.append(
            Sentence(
                "**Warning:** {as_of:%-d %B %Y} is more than six months after {up_to}, when some of the facts "
                "used here were last fully reviewed: they may be out of date.",
                {"as_of": as_of, "up_to": format_partial(up_to)},
            )
        )
    return parts
