"""schema.org ClaimReview markup for the checked claims (the fields Google's ClaimReview documentation asks for).

Each claim becomes one ClaimReview: what the claim asserts, in a short statement
(`claimReviewed`, from the `asserts` column), the claim itself (`itemReviewed`, a `Claim` by
the person the article quotes or by the article's publisher, appearing in the article) and the
verdict as known at the claims table's latest review (`reviewRating`). `url` is the absolute
address of the claim's own page (`claims/<claim-id>.html`, which carries this one review: a
search engine shows a fact-check result only for a page with a single ClaimReview), so reviews
are made only when the site's address (`base_url`) is known. `datePublished` is the date of that review, not of the rendering: an
unchanged fact base gives unchanged reviews.

The rating scale (higher means more true; `bestRating` 4, `worstRating` 1):

    1 contradicted       the evidence says otherwise
    2 imprecise          true in substance, but the wording misstates it ("lunar rock" for soil)
    3 partly supported   part of it is confirmed, part is not ("around 2 kg" for 1,731 g)
    4 supported          the evidence confirms it

"unverifiable" is no point on that scale: its rating has `alternateName` only, no number.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import pandas as pd

from ..facts.load import Facts
from .claims import claims_reviewed

RATING_SCALE = {"contradicted": 1, "imprecise": 2, "partly supported": 3, "supported": 4}
"""Verdict → ratingValue, higher is more true; a verdict not listed ("unverifiable") carries no number."""
PUBLISHER = "lunar-report"
PAGES = "claims"
"""The folder of the claims' own pages, beside the claims report."""
CONCISE = 75
"""Google's advice for `claimReviewed`: at most 75 characters."""


def claim_anchor(claim_id: str) -> str:
    """The id of a claim's row in the claims report (the `url` fragment of its review)."""
    return claim_id


def claim_page(claim_id: str) -> str:
    """A claim's own page, relative to the site's root: the one page that carries its ClaimReview."""
    return f"{PAGES}/{claim_id}.html"


def concise_claim(claim: pd.Series) -> str:
    """`claimReviewed`: the claim's `asserts` without its final full stop (the data keeps it to 75 characters)."""
    return str(claim["asserts"]).strip().removesuffix(".")


def rating(verdict: str) -> dict[str, Any]:
    """The review's Rating: the verdict as `alternateName`, and its number on the scale when it has one."""
    value: dict[str, Any] = {"@type": "Rating", "alternateName": verdict}
    if verdict in RATING_SCALE:
        value |= {
            "ratingValue": RATING_SCALE[verdict],
            "bestRating": max(RATING_SCALE.values()),
            "worstRating": min(RATING_SCALE.values()),
        }
    return value


def _current_verdict(claim: pd.Series) -> str:
    now = claim.get("verdict_now")
    return str(claim["verdict"] if now is None or pd.isna(now) or not str(now) else now)


def _claimant(claim: pd.Series, article: pd.Series) -> dict[str, str]:
    """Who made the claim: the person the article quotes, else the article's publisher."""
    person = claim.get("claimant")
    if person is not None and not pd.isna(person) and str(person).strip():
        return {"@type": "Person", "name": str(person)}
    return {"@type": "Organization", "name": str(article["publisher"])}


class _Known(NamedTuple):
    """What every review of one fact base shares: the sources by id, the date of the claims' review."""

    sources: pd.DataFrame
    reviewed: str


def _known(facts: Facts) -> _Known:
    return _Known(facts.sources.set_index("id"), claims_reviewed(facts) or "")


def claim_review(facts: Facts, claim: pd.Series, base_url: str) -> dict[str, Any]:
    """One claim's ClaimReview as a JSON-LD object; `base_url` is the site's absolute address, ending in "/"."""
    return _review(_known(facts), claim, base_url)


def _review(known: _Known, claim: pd.Series, base_url: str) -> dict[str, Any]:
    article = known.sources.loc[str(claim["source"]).split(";")[0].strip()]
    appearance = {
        "@type": "NewsArticle",
        "headline": str(article["title"]),
        "url": str(article["url"]),
        "datePublished": str(article["published"]),
        "publisher": {"@type": "Organization", "name": str(article["publisher"])},
    }
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base_url}{claim_page(str(claim['id']))}",
        "claimReviewed": concise_claim(claim),
        "author": {"@type": "Organization", "name": PUBLISHER},
        "datePublished": known.reviewed,
        "itemReviewed": {
            "@type": "Claim",
            "author": _claimant(claim, article),
            "datePublished": str(article["published"]),
            "appearance": appearance,
        },
        "reviewRating": rating(_current_verdict(claim)),
    }


def claim_reviews(facts: Facts, base_url: str, claims: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """Each claim's ClaimReview (every claim by default), in the order of the claims table."""
    known = _known(facts)
    return [_review(known, claim, base_url) for _, claim in (facts.claims if claims is None else claims).iterrows()]


def claimreview_json(facts: Facts, base_url: str) -> str:
    """The reviews as a JSON document (a list), stable for the same inputs."""
    return json.dumps(claim_reviews(facts, base_url), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
