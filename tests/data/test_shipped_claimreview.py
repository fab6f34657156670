"""ClaimReview JSON-LD of the shipped claims: one complete review per claim, their claimants and verdicts."""

from __future__ import annotations

import json

from helpers import run_cli
from lunar_report.analysis import claims as claimcheck
from lunar_report.analysis.claimreview import CONCISE, RATING_SCALE, claim_reviews
from lunar_report.facts.schema import VERDICTS

SITE = "https://example.org/lunar/"


def claim_id(review: dict) -> str:
    """The claim a review is about, read from its page's address."""
    return review["url"].removeprefix(f"{SITE}claims/").removesuffix(".html")


def _required(review: dict, reviewed: str) -> None:
    """Google's ClaimReview required properties, and the Claim and Rating ones we promise."""
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"].startswith(f"{SITE}claims/") and review["url"].endswith(".html"), "the claim page's, absolute"
    assert review["author"] == {"@type": "Organization", "name": "lunar-report"}
    assert review["datePublished"] == reviewed, "the date of the claims' review, not of the rendering"
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2021-04-27"
    assert item["author"]["@type"] in {"Person", "Organization"} and item["author"]["name"]
    assert item["appearance"]["@type"] == "NewsArticle"
    assert item["appearance"]["url"] == "https://tass.com/science/1283825"
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] in VERDICTS


def test_one_complete_review_per_claim(facts):
    reviews = claim_reviews(facts, SITE)
    assert len(reviews) == len(facts.claims)
    assert [claim_id(r) for r in reviews] == list(facts.claims["id"])
    for review in reviews:
        _required(review, claimcheck.claims_reviewed(facts))


def test_claim_reviewed_is_the_concise_statement_of_what_is_asserted(facts):
    for review, asserts in zip(claim_reviews(facts, SITE), facts.claims["asserts"], strict=True):
        assert review["claimReviewed"] == asserts.removesuffix(".")
        assert len(review["claimReviewed"]) <= CONCISE, review["claimReviewed"]


def test_the_claimant_is_the_person_quoted_or_the_publisher(facts):
    by_id = {claim_id(r): r["itemReviewed"]["author"] for r in claim_reviews(facts, SITE)}
    assert by_id["claim-ready-to-cooperate"] == {"@type": "Person", "name": "Wang Wenbin"}
    assert by_id["claim-ce5-launch-date"] == {"@type": "Organization", "name": "TASS"}
    quoted = set(facts.claims.loc[facts.claims["claimant"].notna(), "id"])
    assert {claim for claim, author in by_id.items() if author["@type"] == "Person"} == quoted


def test_the_scale_rises_with_truth_and_unverifiable_has_no_number(facts):
    assert sorted(RATING_SCALE, key=RATING_SCALE.get) == ["contradicted", "imprecise", "partly supported", "supported"]
    assert "unverifiable" not in RATING_SCALE
    claims = facts.claims.set_index("id")
    for review in claim_reviews(facts, SITE):
        rating = review["reviewRating"]
        assert rating["alternateName"] == claims.loc[claim_id(review), "verdict_now"], "the verdict now"
        if rating["alternateName"] == "unverifiable":
            assert set(rating) == {"@type", "alternateName"}
        else:
            assert rating["ratingValue"] == RATING_SCALE[rating["alternateName"]]
            assert (rating["worstRating"], rating["bestRating"]) == (1, 4)
    assert any(r["reviewRating"]["alternateName"] == "unverifiable" for r in claim_reviews(facts, SITE))


def test_export_command_writes_the_same_reviews(tmp_path, facts, capsys):
    out = tmp_path / "claims.json"
    result = run_cli(capsys, "export", "claims", "--base-url", "https://example.org/lunar", "--out", str(out))
    assert result.code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == claim_reviews(facts, SITE)
