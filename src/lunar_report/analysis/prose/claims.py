"""Sentences of the claim check: which article was checked, and how its claims fared."""

from __future__ import annotations

import pandas as pd

from ...facts.dates import format_partial
from ...facts.load import Facts
from ..claims import article_published, changed_verdicts, claims_reviewed, verdict_tally
from ..display import Sentence


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
            "**{total} claims** {subject} were checked twice. When published{then}: {tally_then}. Now{now}: {tally_now}.",
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
                "url": row["url"],
            },
        )
        for _, row in articles.iterrows()
    ]
