"""One page per claim (`claims/<claim-id>.html`), as data the build lays out with the site's templates.

The kernel knows the claims; the host (which never imports this package) writes the pages. So
each claim's page is noted in the report's read log (`ReadLog.page`) with what it shows: the
article's words, what the claim asserts, both checks (verdict, why, sources), the plans it rests on
that reached their date with no outcome recorded (see :mod:`.plans`) and, when the site's address is
known, its single ClaimReview. A search engine shows a fact-check result only for a
page with one ClaimReview, so the reviews live on these pages, not in the claims report.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..facts.dates import format_partial
from ..facts.load import Facts
from .cards import verdict_slug
from .claimreview import claim_page, claim_reviews, concise_claim
from .claims import article_published, references_each
from .plans import plan_text, plans_among
from .tables.claims import verdict_headings

CHECKS = (("verdict", "explanation", "checked_against"), ("verdict_now", "explanation_now", "checked_against_now"))
"""Each check's columns: its verdict, why, and the rows it rests on."""


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _source(row: pd.Series) -> dict[str, str]:
    published = _text(row.get("published"))
    return {
        "title": _text(row.get("title")),
        "publisher": _text(row.get("publisher")),
        "published": format_partial(published) if published else "",
        "grade": _text(row.get("grade")),
        "url": _text(row.get("url")),
    }


def claim_pages(
    facts: Facts, claims: pd.DataFrame, base_url: str | None, as_of: pd.Timestamp | None = None
) -> dict[str, dict[str, Any]]:
    """Each claim's page by name (`claims/<claim-id>.html`): what it asserts, the article's words and date, both
    checks (heading, verdict, why, sources), with `as_of` the plans its rows (or its mission) hold that are due
    or overdue then, in words, and its ClaimReview, or None without the site's address."""
    headings = verdict_headings(facts, claims)
    published = article_published(facts, claims)
    sources = {str(i): _source(row) for i, row in facts.sources.set_index("id").iterrows()}
    cited = {column: references_each(facts, list(claims[column])) for _, _, column in CHECKS}
    reviews = claim_reviews(facts, base_url, claims) if base_url else [None] * len(claims)
    pages = {}
    for position, ((_, claim), review) in enumerate(zip(claims.iterrows(), reviews, strict=True)):
        checks = [
            {
                "heading": heading,
                "verdict": str(claim[verdict]),
                "slug": verdict_slug(str(claim[verdict])),
                "why": str(claim[why]),
                "sources": [sources[s] for s in cited[rows][position]],
            }
            for heading, (verdict, why, rows) in zip(headings, CHECKS, strict=True)
        ]
        pages[claim_page(str(claim["id"]))] = {
            "id": str(claim["id"]),
            "asserts": concise_claim(claim),
            "quote": str(claim["quote"]),
            "published": format_partial(published) if published else "",
            "checks": checks,
            "plans": _plans(facts, claim, as_of),
            "review": review,
        }
    return pages


def _plans(facts: Facts, claim: pd.Series, as_of: pd.Timestamp | None) -> list[str]:
    """The plans the claim's rows (now) or its mission hold that are due or overdue on `as_of`, in words."""
    if as_of is None:
        return []
    rows = [_text(claim.get("mission")), *(str(i) for i in str(_text(claim.get("checked_against_now"))).split(";"))]
    plans = plans_among(facts, [r.strip() for r in rows if r.strip()], as_of)
    return [plan_text(plan, as_of) for _, plan in plans.iterrows()]


def note_claim_pages(
    facts: Facts, claims: pd.DataFrame, base_url: str | None, as_of: pd.Timestamp | None = None
) -> None:
    """Note every claim's page in the read log, for the build to write beside the report."""
    for name, content in claim_pages(facts, claims, base_url, as_of).items():
        facts.log.page(name, content)
