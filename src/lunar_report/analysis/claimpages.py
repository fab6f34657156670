"""One page per claim (`claims/<claim-id>.html`), as data the build lays out with the site's templates.

The kernel knows the claims; the host (which never imports this package) writes the pages. So
each claim's page is noted in the report's read log (`ReadLog.page`) with what it shows: the
article's words, what the claim asserts, both checks (verdict, why, sources) and, when the site's
address is known, its single ClaimReview. A search engine shows a fact-check result only for a
page with one ClaimReview, so the reviews live on these pages, not in the claims report.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..facts.dates import format_partial
from ..facts.load import Facts
from .cards import verdict_slug
from .claimreview import claim_page, claim_review, concise_claim
from .claims import article_published, reference_sources
from .tables.claims import verdict_headings

CHECKS = (("verdict", "explanation", "checked_against"), ("verdict_now", "explanation_now", "checked_against_now"))
"""Each check's columns: its verdict, why, and the rows it rests on."""


def _source(sources: pd.DataFrame, source_id: str) -> dict[str, str]:
    row = sources.loc[source_id]

    def text(column: str) -> str:
        value = row.get(column)
        return "" if value is None or pd.isna(value) else str(value)

    published = text("published")
    return {
        "title": text("title"),
        "publisher": text("publisher"),
        "published": format_partial(published) if published else "",
        "grade": text("grade"),
        "url": text("url"),
    }


def _checks(facts: Facts, claim: pd.Series, headings: tuple[str, str]) -> list[dict[str, Any]]:
    sources = facts.sources.set_index("id")
    return [
        {
            "heading": heading,
            "verdict": str(claim[verdict]),
            "slug": verdict_slug(str(claim[verdict])),
            "why": str(claim[why]),
            "sources": [_source(sources, s) for s in reference_sources(facts, claim[rows])],
        }
        for heading, (verdict, why, rows) in zip(headings, CHECKS, strict=True)
    ]


def claim_page_content(
    facts: Facts, claim: pd.Series, headings: tuple[str, str], base_url: str | None
) -> dict[str, Any]:
    """What one claim's page shows; `review` is its ClaimReview, or None without the site's address."""
    published = article_published(facts, facts.claims)
    return {
        "id": str(claim["id"]),
        "asserts": concise_claim(claim),
        "quote": str(claim["quote"]),
        "published": format_partial(published) if published else "",
        "checks": _checks(facts, claim, headings),
        "review": claim_review(facts, claim, base_url) if base_url else None,
    }


def note_claim_pages(facts: Facts, claims: pd.DataFrame, base_url: str | None) -> None:
    """Note every claim's page in the read log, for the build to write beside the report."""
    headings = verdict_headings(facts, claims)
    for _, claim in claims.iterrows():
        facts.log.page(claim_page(str(claim["id"])), claim_page_content(facts, claim, headings, base_url))
