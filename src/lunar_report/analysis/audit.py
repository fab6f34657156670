"""Where the evidence is thin: the rows a reviewer should look at next.

One query for the `lunar-report audit` command and the claims report. A row is listed once per
concern: it rests on the article's own publisher only (circular), its target changed from one day to
the next without a conflict group (a revision overnight is more likely one statement reported on two
days), it is a plan whose date has
passed with no outcome recorded (overdue, see :mod:`.plans`), it rests on one source, on grade-C or
ungraded sources only, on a date that is inferred, it is a plan whose date is running with no outcome
recorded yet (due), or its table's latest full review is more than a year old. Rows taken from the article itself (every source is the article) are what is checked,
not evidence, and are left out; `computed` sources derive from other rows and are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

import pandas as pd

from ..facts.dates import after_period
from ..facts.load import Facts, split_ids
from .claims import CHECKED_TABLES, references_each
from .plans import PlanState, plan_text, plans_due
from .reviews import latest_reviews


class Concern(StrEnum):
    """Why a row is listed, in the order a reviewer should take them."""

    CIRCULAR = "circular"  # only the article's own publisher (e.g. TASS) stands behind it
    NO_SOURCE = "no source"  # a claim's verdict cites no reference source
    OVERNIGHT = "revision overnight"  # one subject's target changes from one day to the next, no conflict group
    OVERDUE = "overdue plan"  # a planned event or stated target whose whole period has passed, no outcome recorded
    ONE_SOURCE = "one source"
    GRADE_C = "grade C only"  # every source is grade C (secondary) or ungraded
    INFERRED = "inferred date"
    DUE = "plan due"  # `as_of` is inside a plan's period and no outcome is recorded yet
    STALE = "review over a year old"


SOURCED_TABLES = ("events", "figures", "missions", "agreements", "statements")
"""Tables whose rows cite sources in a `source` column (claims are audited through their evidence)."""
CLAIM_EVIDENCE = {"checked_against": "then", "checked_against_now": "now"}
STALE_AFTER = pd.DateOffset(years=1)
COLUMNS = ("table", "id", "concern", "detail")


def audit(facts: Facts, as_of: date) -> pd.DataFrame:
    """Every row to look at next: table, id, concern (an ordered categorical of `Concern`), detail.

    `as_of` is a day, or a moment (a datetime or Timestamp, as the other analyses take it; its UTC day counts).
    """
    as_of = _utc_day(as_of)
    found = pd.DataFrame(
        [
            *_sourced_rows(facts),
            *_claims(facts),
            *_inferred(facts),
            *_overnight(facts),
            *_plans(facts, as_of),
            *_stale(facts, as_of),
        ],
        columns=list(COLUMNS),
    )
    found = found.astype({"table": "string", "id": "string", "detail": "string"})
    found["concern"] = pd.Categorical(found["concern"], categories=[c.value for c in Concern], ordered=True)
    return found.sort_values(["concern", "table", "id"], kind="stable").reset_index(drop=True)


def _utc_day(as_of: date) -> date:
    if not isinstance(as_of, datetime):
        return as_of
    moment = pd.Timestamp(as_of)
    return (moment.tz_convert("UTC") if moment.tzinfo is not None else moment).date()


def claim_weak_spots(facts: Facts, as_of: date) -> pd.DataFrame:
    """The audit's rows about the claims and the rows they were checked against (at either time): what the
    claims report shows as "Where the evidence is thin"."""
    found = audit(facts, as_of)
    rested_on = {row for column in CLAIM_EVIDENCE for cell in facts.claims[column] for row in split_ids(cell)}
    about = (found["table"] == "claims") | (found["table"].isin(CHECKED_TABLES) & found["id"].isin(rested_on))
    return found[about].reset_index(drop=True)


def _publisher_pattern(facts: Facts) -> re.Pattern[str] | None:
    """Matches a publisher that is, or carries, the article's publisher ("TASS", "Kazinform (carrying TASS)")."""
    names = facts.sources.loc[facts.sources["kind"] == "article", "publisher"].dropna().astype(str).unique()
    return re.compile("|".join(rf"\b{re.escape(n)}\b" for n in names)) if len(names) else None


class _Sources(NamedTuple):
    """The sources table as the concerns read it, looked up once: kind, publisher and grade by id."""

    kind: dict[str, str]
    publisher: dict[str, str]
    grade: dict[str, str]
    article_publisher: re.Pattern[str] | None

    @classmethod
    def of(cls, facts: Facts) -> _Sources:
        table = facts.sources
        ids = table["id"].astype(str)
        return cls(
            dict(zip(ids, table["kind"].astype(str), strict=True)),
            dict(zip(ids, table["publisher"].astype(str), strict=True)),
            dict(zip(ids, (_grade(g) for g in table["grade"]), strict=True)),
            _publisher_pattern(facts),
        )


def _concerns(sources: _Sources, cited: list[str]) -> Iterator[tuple[Concern, str]]:
    """The concerns about evidence resting on the sources `cited` (reference sources, `computed` left out)."""
    used = [s for s in dict.fromkeys(cited) if s in sources.kind and sources.kind[s] != "computed"]
    if not used:
        return
    pattern, publishers, grades = sources.article_publisher, sources.publisher, sources.grade
    if pattern is not None and all(pattern.search(publishers[s]) for s in used):
        yield Concern.CIRCULAR, "only the article's publisher: " + ", ".join(f"{s} ({publishers[s]})" for s in used)
    elif len(used) == 1:
        yield Concern.ONE_SOURCE, f"only {used[0]} ({publishers[used[0]]}, {grades[used[0]]})"
    if all(grades[s] in {"grade C", "ungraded"} for s in used):
        yield Concern.GRADE_C, "sources: " + ", ".join(f"{s} ({grades[s]})" for s in used)


def _grade(value: object) -> str:
    return "ungraded" if value is None or pd.isna(value) or not str(value) else f"grade {value}"


def _sourced_rows(facts: Facts) -> Iterator[tuple[str, str, str, str]]:
    articles = set(facts.sources.loc[facts.sources["kind"] == "article", "id"])
    sources = _Sources.of(facts)
    for table in SOURCED_TABLES:
        frame = facts.table(table)
        for row_id, cell in zip(frame["id"], frame["source"], strict=True):
            cited = split_ids(cell)
            if set(cited) <= articles:
                continue  # the article's own statement: what is checked, not evidence
            for concern, detail in _concerns(sources, [s for s in cited if s not in articles]):
                yield table, str(row_id), concern.value, detail


def _claims(facts: Facts) -> Iterator[tuple[str, str, str, str]]:
    sources, claims = _Sources.of(facts), facts.claims
    evidence = {column: references_each(facts, list(claims[column])) for column in CLAIM_EVIDENCE}
    for position, claim_id in enumerate(claims["id"].astype(str)):
        for column, time in CLAIM_EVIDENCE.items():
            cited = evidence[column][position]
            if not cited:
                yield "claims", claim_id, Concern.NO_SOURCE.value, f"{time}: no reference source ({column})"
            for concern, detail in _concerns(sources, cited):
                yield "claims", claim_id, concern.value, f"{time}: {detail}"


def _inferred(facts: Facts) -> Iterator[tuple[str, str, str, str]]:
    for table in ("events", "statements"):
        frame = facts.table(table)
        inferred = frame[frame["inferred"].fillna(False).astype(bool)]
        for row_id, reason in zip(inferred["id"], inferred["inference_reason"], strict=True):
            yield table, str(row_id), Concern.INFERRED.value, "" if pd.isna(reason) else str(reason)


def _overnight(facts: Facts) -> Iterator[tuple[str, str, str, str]]:
    """Consecutive statements of one subject, said on consecutive days (day precision), with different targets and
    no shared conflict group: more likely one statement reported on two days than a revision overnight."""
    statements = facts.statements
    for _, said in statements.groupby("subject", sort=False):
        days = said[said["precision"].astype(str) == "day"]
        for (_, before), (_, after) in zip(days.iloc[:-1].iterrows(), days.iloc[1:].iterrows(), strict=True):
            apart = (pd.Timestamp(str(after["stated"])) - pd.Timestamp(str(before["stated"]))).days
            targets = [
                tuple("" if pd.isna(r[c]) else str(r[c]) for c in ("target", "target_end")) for r in (before, after)
            ]
            groups = {str(r["conflict_group"]) for r in (before, after) if not pd.isna(r["conflict_group"])}
            same_group = len(groups) == 1 and all(not pd.isna(r["conflict_group"]) for r in (before, after))
            if apart == 1 and targets[0] != targets[1] and all(t[0] for t in targets) and not same_group:
                yield (
                    "statements",
                    str(after["id"]),
                    Concern.OVERNIGHT.value,
                    f"states {targets[1][0]} on {after['stated']}, the day after {before['id']} stated {targets[0][0]}: "
                    "if both report one statement, give them one conflict_group",
                )


def _plans(facts: Facts, as_of: date) -> Iterator[tuple[str, str, str, str]]:
    concern = {PlanState.OVERDUE.value: Concern.OVERDUE.value, PlanState.DUE.value: Concern.DUE.value}
    for _, plan in plans_due(facts, as_of).iterrows():
        yield str(plan["table"]), str(plan["id"]), concern[str(plan["state"])], plan_text(plan, as_of)


def _stale(facts: Facts, as_of: date) -> Iterator[tuple[str, str, str, str]]:
    tables = tuple(dict.fromkeys(str(t) for t in facts.reviews["table"]))
    limit = pd.Timestamp(as_of, tz="UTC")
    for _, review in latest_reviews(facts, tables).iterrows():
        full = review["full"]
        if full is None:
            yield str(review["table"]), "", Concern.STALE.value, "never reviewed in full"
        elif after_period(str(full)) + STALE_AFTER <= limit:
            yield (
                str(review["table"]),
                "",
                Concern.STALE.value,
                f"latest full review {full}, more than a year before {as_of.isoformat()}",
            )


def as_text(found: pd.DataFrame) -> str:
    """The audit as left-aligned columns for a terminal (a table-level concern has no id: shown as "-")."""
    text = found.astype(str).replace({"id": {"": "-"}})
    widths = {column: max([len(column), *text[column].str.len()]) for column in text.columns}
    lines = ["  ".join(column.ljust(widths[column]) for column in text.columns).rstrip()]
    lines += [
        "  ".join(value.ljust(widths[column]) for column, value in zip(text.columns, row, strict=True)).rstrip()
        for row in text.itertuples(index=False)
    ]
    return "\n".join(lines)
