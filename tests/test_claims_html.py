"""The rendered claims report: ClaimReview JSON-LD once per claim, each pointing at its claim's row."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lunar_report import load_facts
from lunar_report.analysis.claims import claims_reviewed
from lunar_report.facts.dates import format_partial


def check_claims_html(page: Path) -> None:
    markup = page.read_text(encoding="utf-8")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', markup, re.S)
    assert len(scripts) == 1, "one JSON-LD element"
    reviews = json.loads(scripts[0])
    facts = load_facts()
    claims = facts.claims
    assert [review["url"].split("#")[1] for review in reviews] == list(claims["id"]), "once per claim, in order"
    assert all(review["url"].startswith("https://example.org/lunar/claims.html#") for review in reviews)
    for claim_id in claims["id"]:
        assert markup.count(f'id="{claim_id}"') == 1, f"claims.html#{claim_id} lands on one row"
    reviewed = format_partial(claims_reviewed(facts))
    assert "When published (27 April 2021)" in markup and f"Now (reviewed {reviewed})" in markup


@pytest.mark.slow
def test_claims_html_embeds_claimreview_once_per_claim(rendered_reports):
    check_claims_html(rendered_reports / "claims.html")
