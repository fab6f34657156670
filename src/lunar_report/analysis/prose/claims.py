"""Sentences of the claim check: which article was checked, and how its claims fared."""

from __future__ import annotations

import pandas as pd

from ...facts.dates import PRECISION_BY_LENGTH, format_at_precision, parse_partial
from ...facts.load import Facts
from ..claims import verdict_tally
from ..display import Sentence


def tally_sentences(claims: pd.DataFrame, subject: str) -> list[Sentence]:
    """How many claims were checked and how they fared; `subject` says which ("about Chang’e-5")."""
    if claims.empty:
        return [Sentence("The data holds no claims {subject}.", {"subject": subject})]
    tally = verdict_tally(claims).set_index("Verdict")["Claims"]
    others = ", ".join(f"{n} {verdict}" for verdict, n in tally.items() if n and verdict != "supported")
    return [
        Sentence(
            "**{total} claims** {subject} were checked: **{supported}** are supported{rest}.",
            {
                "total": int(tally.sum()),
                "subject": subject,
                "supported": int(tally.get("supported", 0)),
                "rest": f"; {others}" if others else "",
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
                "published": _partial_date(row["published"]),
                "url": row["url"],
            },
        )
        for _, row in articles.iterrows()
    ]


def _partial_date(text: object) -> str:
    """A partial ISO date as a reader writes it ("27 April 2021"); "on an unknown date" when missing."""
    if pd.isna(text):
        return "on an unknown date"
    return format_at_precision(parse_partial(str(text), None), PRECISION_BY_LENGTH[len(str(text))])
