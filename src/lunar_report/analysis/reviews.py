"""Queries on the review log (reviews.csv): how current the facts a report uses are.

"As of" is the date elapsed and remaining times are counted to; it says nothing about how
current the facts are. A table's facts are current as of its latest review with `rows = all`;
a later review with `rows = some` re-checked only the rows its note names.
"""

from __future__ import annotations

import pandas as pd

from ..facts.dates import after_period, parse_partial
from ..facts.load import Facts

REPORT_TABLES = {
    "timeline": ("events", "sources", "agreements", "figures", "statements"),
    "mission": ("events", "missions", "figures", "claims", "sources"),
    "claims": ("claims", "events", "figures", "missions", "agreements", "sources"),
}
"""The tables each report's sections read (besides the review log itself)."""
STALE_AFTER = pd.DateOffset(months=6)
"""How long after a table's latest full review an as-of date may fall before the report warns."""


def _order(text: str) -> pd.Timestamp:
    return parse_partial(text, None)


def latest_reviews(facts: Facts, tables: tuple[str, ...]) -> pd.DataFrame:
    """Per table: `full` (latest `reviewed` with rows = all, or None) and `partial` (a later rows = some review, or None)."""
    reviews = facts.reviews
    rows = []
    for table in tables:
        mine = reviews[reviews["table"] == table]
        full = [str(t) for t in mine.loc[mine["rows"] == "all", "reviewed"]]
        latest_full = max(full, key=_order) if full else None
        partial = [
            str(t)
            for t in mine.loc[mine["rows"] == "some", "reviewed"]
            if latest_full is None or _order(str(t)) > _order(latest_full)
        ]
        rows.append({"table": table, "full": latest_full, "partial": max(partial, key=_order) if partial else None})
    return pd.DataFrame(rows, columns=["table", "full", "partial"])


def reviewed_up_to(latest: pd.DataFrame) -> str | None:
    """The date every table in `latest` was fully reviewed on or after (the earliest latest full review), or None."""
    full = [str(t) for t in latest["full"].dropna()]
    return min(full, key=_order) if len(full) == len(latest) and full else None


def is_stale(as_of: pd.Timestamp, reviewed: str) -> bool:
    """True when `as_of` is more than six months past the end of the `reviewed` period."""
    return bool(as_of > after_period(reviewed) + STALE_AFTER)
