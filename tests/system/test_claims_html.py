"""The rendered claims report: a card per claim linking its own page, which carries the claim's one ClaimReview."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lunar_report import load_facts
from lunar_report.analysis.claims import claims_reviewed
from lunar_report.facts.dates import format_partial

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def check_claims_html(page: Path) -> None:
    markup = page.read_text(encoding="utf-8")
    assert LD_JSON.findall(markup) == [], "no ClaimReview on the report: one on each claim's page"
    facts = load_facts()
    claims = facts.claims
    for claim_id in claims["id"]:
        assert markup.count(f'id="{claim_id}"') == 1, f"claims.html#{claim_id} lands on one row"
        assert markup.count(f'href="claims/{claim_id}.html"') == 1, f"the card of {claim_id} links its page"
        (review,) = (
            json.loads(found)
            for found in LD_JSON.findall((page.parent / f"claims/{claim_id}.html").read_text(encoding="utf-8"))
        )
        assert review["url"] == f"https://example.org/lunar/claims/{claim_id}.html"
        assert review["datePublished"] == claims_reviewed(facts)
    reviewed = format_partial(claims_reviewed(facts))
    assert "When published (27 April 2021)" in markup and f"Now (reviewed {reviewed})" in markup


@pytest.mark.slow
def test_each_claim_card_links_its_page_and_each_page_carries_one_claimreview(rendered_reports):
    check_claims_html(rendered_reports / "claims.html")
