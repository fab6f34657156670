"""schema.org ClaimReview markup for the checked claims (the fields Google's ClaimReview documentation asks for).

Each claim becomes one ClaimReview: the claim in the article's words (`claimReviewed`), the
article as the claim's appearance (`itemReviewed`, a `Claim`), and the verdict as known at the
fact base's review date (`reviewRating`: the verdict as `alternateName`, plus a number on the
scale below). The review is published by the report's publisher on the report's as-of date.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd

from ..facts.load import Facts

RATING_SCALE = {"contradicted": 1, "unverifiable": 2, "partly supported": 3, "imprecise": 4, "supported": 5}
"""Verdict → ratingValue: 1 (worst: contradicted) to 5 (best: supported)."""
PUBLISHER = "lunar-report"
REPORT_PAGE = "claims.html"


def claim_anchor(claim_id: str) -> str:
    """The id of a claim's row in the claims report (the `url` fragment of its review)."""
    return claim_id


def _current_verdict(claim: pd.Series) -> str:
    now = claim.get("verdict_now")
    return str(claim["verdict"] if now is None or pd.isna(now) or not str(now) else now)


def _article(facts: Facts, source_id: str) -> pd.Series:
    return facts.sources.set_index("id").loc[source_id]


def claim_review(facts: Facts, claim: pd.Series, as_of: date, base_url: str = "") -> dict[str, Any]:
    """One claim's ClaimReview as a JSON-LD object."""
    article = _article(facts, str(claim["source"]).split(";")[0].strip())
    verdict = _current_verdict(claim)
    appearance = {"@type": "NewsArticle", "headline": str(article["title"]), "url": str(article["url"])}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base_url}{REPORT_PAGE}#{claim_anchor(str(claim['id']))}",
        "claimReviewed": str(claim["quote"]),
        "author": {"@type": "Organization", "name": PUBLISHER},
        "datePublished": as_of.isoformat(),
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": str(article["publisher"])},
            "datePublished": str(article["published"]),
            "appearance": appearance,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_SCALE[verdict],
            "bestRating": max(RATING_SCALE.values()),
            "worstRating": min(RATING_SCALE.values()),
            "alternateName": verdict,
        },
    }


def claim_reviews(facts: Facts, as_of: date, base_url: str = "") -> list[dict[str, Any]]:
    """Every claim's ClaimReview, in the order of the claims table."""
    return [claim_review(facts, claim, as_of, base_url) for _, claim in facts.claims.iterrows()]


def claimreview_json(facts: Facts, as_of: date, base_url: str = "") -> str:
    """The reviews as a JSON document (a list), stable for the same inputs."""
    return json.dumps(claim_reviews(facts, as_of, base_url), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def claimreview_script(facts: Facts, as_of: date, base_url: str = "") -> str:
    """The reviews as a `<script type="application/ld+json">` element for the report's HTML."""
    body = json.dumps(claim_reviews(facts, as_of, base_url), ensure_ascii=False, sort_keys=True)
    return f'<script type="application/ld+json">{script_safe(body)}</script>'


_SCRIPT_UNSAFE: dict[str, str | int | None] = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_safe(body: str) -> str:
    """JSON text safe inside an HTML <script>: no `</script>`, `<!--` or `-->` can form (same JSON value).

    Escapes `<`, `>`, `&` and U+2028/U+2029 as JSON \\u escapes, as Django's json_script does.
    """
    return body.translate(str.maketrans(_SCRIPT_UNSAFE))
