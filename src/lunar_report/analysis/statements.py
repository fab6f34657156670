"""Queries on the statements table: the dated history behind each target or phase row, and its current statement.

A subject's statements are in date order in the file (validation checks it). A *revision* is a
run of consecutive statements giving the same target; a statement made on the same day as the
run's last one, with the same target year, joins it even if it words the target differently, and
so does one in the same `conflict_group` whatever its target (sources reporting one statement with two
dates or two targets: a conflict, never a revision).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..facts.dates import format_partial
from ..facts.load import Facts, split_ids


@dataclass(frozen=True)
class Revision:
    """Consecutive statements of one target: the first states it, the others repeat it."""

    statements: pd.DataFrame

    @property
    def first(self) -> pd.Series:
        return self.statements.iloc[0]


def history(facts: Facts, subject: str) -> pd.DataFrame:
    """The statements about `subject` (a plan or phase event id), in date order (file order)."""
    statements = facts.statements
    return statements[statements["subject"] == subject]


def current_statements(statements: pd.DataFrame) -> pd.DataFrame:
    """The latest-dated statements of one subject's history (several when made the same day)."""
    if statements.empty:
        return statements
    return statements[statements["stated"] == statements["stated"].iloc[-1]]


def first_with_target(statements: pd.DataFrame) -> pd.Series | None:
    """The earliest statement that gives a target, or None."""
    dated = statements[statements["target"].notna()]
    return None if dated.empty else dated.iloc[0]


def _key(statement: pd.Series) -> tuple[str, str, str]:
    return tuple(str(statement[c]) if not pd.isna(statement[c]) else "" for c in ("target", "target_end", "qualifier"))  # type: ignore[return-value]


def _same_conflict(statement: pd.Series, previous: pd.Series) -> bool:
    group, other = statement.get("conflict_group"), previous.get("conflict_group")
    return not (group is None or other is None or pd.isna(group) or pd.isna(other)) and str(group) == str(other)


def revisions(statements: pd.DataFrame) -> list[Revision]:
    """`statements` (one subject's, in date order) grouped into revisions of the target."""
    groups: list[list[int]] = []
    previous: pd.Series | None = None
    for position, (_, statement) in enumerate(statements.iterrows()):
        same_target = previous is not None and _key(statement) == _key(previous)
        same_day_same_year = (
            previous is not None
            and (statement["stated"] == previous["stated"] or _same_conflict(statement, previous))
            and _key(statement)[:2] == _key(previous)[:2]
        )
        conflict = previous is not None and _same_conflict(statement, previous)
        if groups and (same_target or same_day_same_year or conflict):
            groups[-1].append(position)
        else:
            groups.append([position])
        if not (same_day_same_year or conflict) or same_target:
            previous = statement
    return [Revision(statements.iloc[group]) for group in groups]


def target_text(statement: pd.Series) -> str:
    """A statement's target with its qualifier: "around 2028", "in 2021–2025", "no date"."""
    if pd.isna(statement["target"]):
        return "no date"
    target = str(statement["target"])
    if not pd.isna(statement["target_end"]):
        target += f"–{statement['target_end']}"
    return f"{statement['qualifier']} {target}" if not pd.isna(statement["qualifier"]) else target


def stated_by(statement: pd.Series) -> str:
    """Who made a statement and when, briefly: "CNSA, 24 April 2024"."""
    actor = (split_ids(statement["actor"]) or ["an unnamed source"])[0]
    return f"{actor}, {format_partial(statement['stated'])}"


def revision_text(revision: Revision) -> str:
    """One revision: "by 2028 (Wu Weiren, 25 April 2023; Wu Yanhua the same day: around 2028)"; a statement that
    sources report with two targets (one conflict group) is headed by both: "around 2030 or by 2035 (…)"."""
    first = revision.first
    parts = [stated_by(first)]
    previous = first
    for _, statement in revision.statements.iloc[1:].iterrows():
        actor = (split_ids(statement["actor"]) or ["an unnamed source"])[0]
        conflict = _same_conflict(statement, previous)
        if statement["stated"] == previous["stated"]:
            said = f"{actor} the same day" if not conflict else "the same statement as another source reports it"
        elif conflict:
            said = f"the same statement as another source reports it, dated {format_partial(statement['stated'])}"
        else:
            said = stated_by(statement)
        if target_text(statement) != target_text(first):
            said += f": {target_text(statement)}"
        parts.append(said)
        previous = statement
    conflicting = (
        revision.statements[[_same_conflict(s, first) for _, s in revision.statements.iterrows()]]
        if len(revision.statements) > 1
        else revision.statements.iloc[:0]
    )
    other_years = [target_text(s) for _, s in conflicting.iterrows() if _key(s)[:2] != _key(first)[:2]]
    heads = list(dict.fromkeys([target_text(first), *other_years]))
    return f"{' or '.join(heads)} ({'; '.join(parts)})"


def history_text(statements: pd.DataFrame) -> str:
    """A subject's revisions joined by arrows: "around 2028 (CNSA, …) → around 2030 (…) → by 2035 (…)"."""
    return " → ".join(revision_text(revision) for revision in revisions(statements))
