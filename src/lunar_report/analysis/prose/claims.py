"""Sentences of the claim check: which article was checked, and how its claims fared."""

from __future__ import annotations

import functools
import re

import pandas as pd

from ...facts.dates import format_partial
from ...facts.load import Facts
from ..claims import article_published, changed_verdicts, claims_reviewed, verdict_tally
from ..display import Link, Sentence
from ..wording import by_count


def tally_sentences(claims: pd.DataFrame, subject: str, facts: Facts | None = None) -> list[Sentence]:
    """How many claims were checked and how they fared, when published and now; `subject` says which
    ("about Chang’e-5"). With `facts`, the two times are dated (the article's date, the claims' review)."""
    if claims.empty:
        return [Sentence("The data holds no claims {subject}.", {"subject": subject})]
    published = article_published(facts, claims) if facts is not None else None
    reviewed = claims_reviewed(facts) if facts is not None else None
    then = f" ({format_partial(published)})" if published else ""
    now = f" (reviewed {format_partial(reviewed)})" if reviewed else ""
    return [
        Sentence(
            by_count(len(claims), "**{total} claim** {subject} was", "**{total} claims** {subject} were")
            + " checked twice. When published{then}: {tally_then}. Now{now}: {tally_now}.",
            {
                "total": len(claims),
                "subject": subject,
                "then": then,
                "now": now,
                "tally_then": _tally_text(claims, "verdict"),
                "tally_now": _tally_text(claims, "verdict_now"),
            },
        )
    ]


def _tally_text(claims: pd.DataFrame, column: str) -> str:
    tally = verdict_tally(claims, column).set_index("Verdict")["Claims"]
    return ", ".join(f"{n} {verdict}" for verdict, n in tally.items() if n)


def changed_sentences(claims: pd.DataFrame) -> list[Sentence]:
    """How many claims' verdicts changed between publication and now, and which."""
    changed = changed_verdicts(claims)
    if changed.empty:
        return [Sentence("No claim's verdict changed between publication and now.")]
    return [
        Sentence(
            "**{n}** {claims} changed verdict between publication and now: {which}.",
            {
                "n": len(changed),
                "claims": "claim" if len(changed) == 1 else "claims",
                "which": "; ".join(
                    f"“{row['quote']}”: {row['verdict']} → {row['verdict_now']}" for _, row in changed.iterrows()
                ),
            },
        )
    ]


def article_sentences(facts: Facts) -> list[Sentence]:
    """Which article is checked: publisher, title, publication date and address, from the sources table."""
    articles = facts.sources[facts.sources["kind"] == "article"]
    return [
        Sentence(
            "The article: {publisher}, “{title}”, published {published} ({url}).",
            {
                "publisher": row["publisher"],
                "title": row["title"],
                "published": format_partial(row["published"]) or "on an unknown date",
                "url": Link(row["url"], row["url"]) if isinstance(row["url"], str) else "no address recorded",
            },
        )
        for _, row in articles.iterrows()
    ]


CONCERN_WORDS = {
    "circular": "rests only on the article’s own publisher",
    "no source": "cites no reference source",
    "one source": "rests on a single source",
    "grade C only": "rests on secondary (grade C) or ungraded sources only",
    "inferred date": "rests on a date that is inferred, not stated",
    "review over a year old": "was last reviewed in full more than a year ago",
}
"""Each audit concern as the predicate of a sentence."""
TIMES = {"then": "when published", "now": "now"}
WEAK_SPOTS_SHOWN = 5


NOUNS = {"claims": "claim", "events": "event", "figures": "figure", "missions": "mission", "agreements": "agreement"}
NAME_COLUMNS = {"claims": "quote", "events": "title", "figures": "stated", "missions": "name", "agreements": "title"}
"""The column a row is named by in a sentence (a claim by the article's words, an event by its title)."""


def row_names(facts: Facts) -> dict[str, str]:
    """How a reader knows a row: "table:id" -> its words or title; a source's id -> its publisher."""
    names = {str(source): str(publisher) for source, publisher in zip(facts.sources["id"], facts.sources["publisher"])}
    for table, column in NAME_COLUMNS.items():
        frame = getattr(facts, table)
        names.update({f"{table}:{row}": str(name) for row, name in zip(frame["id"], frame[column]) if pd.notna(name)})
    return names


def weak_spot_sentences(
    spots: pd.DataFrame, shown: int = WEAK_SPOTS_SHOWN, names: dict[str, str] | None = None
) -> list[Sentence]:
    """The first `shown` concerns of the audit's query about the claims (`audit.claim_weak_spots`) in plain
    sentences (a concern at both times said once), then how many more there are; one sentence when there is none.

    `names` (see `row_names`) names each row by its words or title and each source by its publisher: a
    reader sees no ids."""
    if spots.empty:
        return [
            Sentence("The audit finds no thin evidence behind the claims: every check rests on more than one source.")
        ]
    items = _weak_spot_items(spots)
    sentences = [_weak_spot(*item, names=names or {}) for item in items[:shown]]
    rest = len(items) - shown
    if rest > 0:
        sentences.append(
            Sentence(
                "There {are} {rest} more {concerns} of this kind about the claims and the evidence they rest on.",
                {"rest": rest, "concerns": "concerns" if rest > 1 else "concern", "are": "are" if rest > 1 else "is"},
            )
        )
    return sentences


_SAID = ("only the article's publisher: ", "only ", "sources: ")


def _weak_spot_items(spots: pd.DataFrame) -> list[tuple[str, str, str, list[str], list[str]]]:
    """(table, id, concern, times, details) per row and concern, in the audit's order."""
    items: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for table, row_id, concern, detail in (
        spots[["table", "id", "concern", "detail"]].astype(str).itertuples(index=False)
    ):
        time, _, said = detail.partition(": ") if detail.split(": ")[0] in TIMES else ("", "", detail)
        said = next((said.removeprefix(p) for p in _SAID if said.startswith(p)), said)
        times, details = items.setdefault((table, row_id, concern), ([], []))
        times += [TIMES[time]] if time else []
        details += [said] if said and concern != "no source" and said not in details else []
    return [(*key, times, details) for key, (times, details) in items.items()]


def _readable(detail: str, names: dict[str, str]) -> str:
    """A detail of the audit with each source named by its publisher: "tass-1 (TASS)" and "tass-1" become "TASS"."""
    for source, publisher in names.items():
        if ":" not in source and source in detail:
            said = rf"\b{re.escape(source)}\b(?: \({re.escape(publisher)}(?:, (grade [ABC]))?\))?"
            detail = re.sub(said, functools.partial(_named, publisher), detail)
    return detail


def _named(publisher: str, match: re.Match[str]) -> str:
    return f"{publisher} ({match.group(1)})" if match.group(1) else publisher


def _weak_spot(
    table: str, row_id: str, concern: str, times: list[str], details: list[str], names: dict[str, str]
) -> Sentence:
    name = names.get(f"{table}:{row_id}")
    noun = NOUNS.get(table, table.removesuffix("s"))
    subject = "The claim “{id}”" if table == "claims" else f"The {noun} “{{id}}”, which a claim was checked against,"
    if name is None:  # no name known: the row as the audit lists it
        subject = "The claim {id}" if table == "claims" else "The {table} row {id}, which a claim was checked against,"
    when = ", " + " and ".join(times) + "," if times else ""
    said = ": {detail}" if details else ""
    detail = _readable("; ".join(details).removesuffix("."), names)
    return Sentence(
        f"{subject}{when} {CONCERN_WORDS.get(concern, concern)}{said}.",
        {"id": name or row_id, "table": table, "detail": detail},
    )
