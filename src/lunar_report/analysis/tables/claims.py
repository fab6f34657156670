"""Tables of the claim check: every claim with both verdicts and their sources, and the claims whose verdict changed."""

from __future__ import annotations

import pandas as pd

from ...facts.dates import format_partial
from ...facts.load import Facts
from ..citations import SourceList
from ..claimreview import claim_anchor
from ..claims import article_published, claims_reviewed, reference_sources
from ..display import Anchor, Link

CLAIM = "Claim (the article’s words)"


def verdict_headings(facts: Facts, claims: pd.DataFrame) -> tuple[str, str]:
    """The two verdict columns' headings: "When published (27 April 2021)", "Now (reviewed 25 November 2026)"."""
    published, reviewed = article_published(facts, claims), claims_reviewed(facts)
    then = f"When published ({format_partial(published)})" if published else "When published"
    now = f"Now (reviewed {format_partial(reviewed)})" if reviewed else "Now"
    return then, now


def claims_table(facts: Facts, claims: pd.DataFrame, sources: SourceList) -> pd.DataFrame:
    """Each claim (anchored by its id) with its verdict when published and now, each with its explanation and
    links to the reference sources of its own rows (`checked_against`, `checked_against_now`) in `sources`."""
    then, now = verdict_headings(facts, claims)
    return pd.DataFrame(
        {
            CLAIM: [Anchor(str(q), claim_anchor(str(i))) for q, i in zip(claims["quote"], claims["id"], strict=True)],
            then: claims["verdict"].astype(str).to_numpy(),
            "Why, then": claims["explanation"].to_numpy(),
            "Sources, then": [
                sources.cite(reference_sources(facts, rows)) or "none" for rows in claims["checked_against"]
            ],
            now: claims["verdict_now"].astype(str).to_numpy(),
            "Why, now": claims["explanation_now"].to_numpy(),
            "Sources, now": [
                sources.cite(reference_sources(facts, rows)) or "none" for rows in claims["checked_against_now"]
            ],
        }
    )


def changed_table(facts: Facts, changed: pd.DataFrame) -> pd.DataFrame:
    """The claims whose verdict changed, each linking to its row in the full table."""
    then, now = verdict_headings(facts, changed)
    return pd.DataFrame(
        {
            CLAIM: [
                Link(str(q), f"#{claim_anchor(str(i))}") for q, i in zip(changed["quote"], changed["id"], strict=True)
            ],
            then: changed["verdict"].astype(str).to_numpy(),
            now: changed["verdict_now"].astype(str).to_numpy(),
        }
    )
