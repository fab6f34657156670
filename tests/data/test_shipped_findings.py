"""Key findings and claim cards built from the shipped claims."""

from __future__ import annotations

import html
import re

import matplotlib

from lunar_report.analysis.cards import claim_cards
from lunar_report.analysis.citations import SourceList
from lunar_report.analysis.claimreview import claim_anchor
from lunar_report.analysis.sections import findings
from lunar_report.analysis.tables.claims import claims_table
from lunar_report.facts.load import READS
from lunar_report.facts.schema import VERDICTS

matplotlib.use("Agg")


def test_claims_findings_link_their_sections_and_report_the_tally_as_key_figures(published, facts):
    claims = facts.claims
    findings.show_claims_findings(facts, claims)
    (bundle,) = published
    assert bundle["text/html"].startswith(
        '<section class="lr-findings" aria-label="Key findings"><h2>Key findings</h2>'
    )
    assert re.findall(r'href="(#[^"]+)"', bundle["text/html"]) == ["#Verdict-tally", "#Verdicts-that-changed"]
    assert f"{len(claims)} claims" in bundle["text/plain"]
    figures = READS.figures()
    assert figures["Claims checked"] == str(len(claims))
    for verdict in VERDICTS:
        now = int((claims["verdict_now"].astype(str) == verdict).sum())
        assert figures.get(f"Claims {verdict}, now", "0") == str(now)
    assert bundle["text/latex"].startswith(r"\subsection*{Key findings}")


def test_claim_cards_carry_both_verdicts_in_words_and_filter_by_verdict_now(facts):
    claims = facts.claims
    table = claims_table(facts, claims, SourceList(facts.sources))
    anchors = [claim_anchor(str(i)) for i in claims["id"]]
    markup = claim_cards(table, anchors)
    cards = re.findall(
        r'<li class="lr-card lr-c-([a-z-]+)" id="([^"]+)">(.*?)</li>(?=<li class="lr-card|</ol>)', markup
    )
    assert [anchor for _, anchor, _ in cards] == anchors
    for (slug, _, body), (_, claim) in zip(cards, claims.iterrows(), strict=True):
        badges = re.findall(r'<span class="lr-badge lr-v-([a-z-]+)">([a-z ]+)</span>', body)
        assert badges == [
            (str(claim["verdict"]).replace(" ", "-"), claim["verdict"]),
            (str(claim["verdict_now"]).replace(" ", "-"), claim["verdict_now"]),
        ], "each badge says its verdict in words"
        assert slug == str(claim["verdict_now"]).replace(" ", "-")
        assert html.escape(str(claim["quote"]), quote=False) in html.unescape(body) or str(
            claim["quote"]
        ) in html.unescape(body)
    present = sorted({str(v).replace(" ", "-") for v in claims["verdict_now"]})
    assert sorted(re.findall(r'<span class="lr-filter" id="verdict-([a-z-]+)"></span>', markup)) == present
    assert sorted(re.findall(r'<a href="#verdict-([a-z-]+)">', markup)) == present
    shares = re.findall(r'style="flex: (\d+) 0 0"', markup)
    assert sum(map(int, shares)) == len(claims)
