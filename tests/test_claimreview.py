"""ClaimReview JSON-LD: one complete review per claim, with the fields Google's documentation requires."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from lunar_report.analysis.claimreview import RATING_SCALE, claim_reviews, claimreview_script

AS_OF = date(2026, 11, 25)


def _required(review: dict) -> None:
    """Google's ClaimReview required properties, and the Claim and Rating ones we promise."""
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"].strip()
    assert review["url"].startswith("claims.html#")
    assert review["author"] == {"@type": "Organization", "name": "lunar-report"}
    assert review["datePublished"] == AS_OF.isoformat()
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["name"] == "TASS" and item["datePublished"] == "2021-04-27"
    assert item["appearance"]["url"] == "https://tass.com/science/1283825"
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] in RATING_SCALE
    assert rating["ratingValue"] == RATING_SCALE[rating["alternateName"]]
    assert (rating["worstRating"], rating["bestRating"]) == (1, 5)


def test_one_complete_review_per_claim(facts):
    reviews = claim_reviews(facts, AS_OF)
    assert len(reviews) == len(facts.claims)
    assert [r["url"].split("#")[1] for r in reviews] == list(facts.claims["id"])
    for review in reviews:
        _required(review)


def test_the_rating_is_the_verdict_as_known_now(facts):
    claims = facts.claims.set_index("id")
    column = "verdict_now" if "verdict_now" in claims else "verdict"
    for review in claim_reviews(facts, AS_OF):
        claim_id = review["url"].split("#")[1]
        assert review["reviewRating"]["alternateName"] == str(claims.loc[claim_id, column])


def test_the_script_element_cannot_be_closed_by_data(facts):
    script = claimreview_script(facts, AS_OF)
    assert script.startswith('<script type="application/ld+json">') and script.endswith("</script>")
    assert script.count("</script>") == 1
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert len(json.loads(body)) == len(facts.claims)


def test_export_command_writes_the_same_reviews(tmp_path, facts):
    out = tmp_path / "claims.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lunar_report",
            "export",
            "claims",
            "--format",
            "claimreview",
            "--as-of",
            "2026-11-25",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == claim_reviews(facts, AS_OF)
