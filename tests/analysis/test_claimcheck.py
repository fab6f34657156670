"""Claim queries: verdicts, tallies and the sources behind each claim.

On the `known` fixture (tests/fixtures/known/README.md).
"""

from __future__ import annotations

from known import MISSION
from lunar_report.analysis import claims as claimcheck
from lunar_report.facts.schema import VERDICTS


def test_tally_counts_every_verdict_at_both_times(known):
    then = claimcheck.verdict_tally(known.claims).set_index("Verdict")
    assert list(then.index) == list(VERDICTS), "every verdict listed, zero included"
    assert then["Claims"].to_dict() == {
        "supported": 1,
        "partly supported": 1,
        "contradicted": 0,
        "imprecise": 0,
        "unverifiable": 1,
    }
    assert then.loc["supported", "Share"] == "33 %" and then.loc["contradicted", "Share"] == "0 %"
    both = claimcheck.verdict_tallies(known.claims).set_index("Verdict")
    assert both.loc["unverifiable"].to_dict() == {"When published": 1, "Now": 0}
    assert both.loc["contradicted"].to_dict() == {"When published": 0, "Now": 1}
    assert list(claimcheck.verdict_tally(known.claims.iloc[:0])["Share"]) == [""] * len(VERDICTS)


def test_mission_claims(known):
    assert list(claimcheck.mission_claims(known, MISSION)["id"]) == ["claim-fx-mass"]
    assert claimcheck.mission_claims(known, "fx-lander-2").empty
    assert list(claimcheck.mission_claims(known)["id"]) == ["claim-fx-partners", "claim-fx-mass", "claim-fx-crewed"]


def test_changed_verdicts_and_the_two_dates(known):
    assert list(claimcheck.changed_verdicts(known.claims)["id"]) == ["claim-fx-crewed"]
    assert claimcheck.article_published(known, known.claims) == "2021-04-27"
    assert claimcheck.claims_reviewed(known) == "2026-09-15", "the claims table's latest full review"


def test_sources_behind_the_rows_a_claim_was_checked_against(known):
    claim = known.claims.set_index("id").loc["claim-fx-partners"]
    assert claimcheck.checked_sources(known, claim["checked_against_now"]) == ["fx-agency", "fx-observer"]
    assert claimcheck.checked_sources(known, "fx-lab-a") == ["fx-lab-a"], "a source cited directly stands for itself"
    assert claimcheck.checked_sources(known, None) == []


def test_reference_sources_leave_out_the_article(known):
    cited = "art-mou-2021;fx-mou-2021"  # the article's own row, then a reference row
    assert claimcheck.checked_sources(known, cited) == ["fx-article", "fx-agency"]
    assert claimcheck.reference_sources(known, cited) == ["fx-agency"]
    assert claimcheck.references_each(known, [cited, "fx-base-target"]) == [["fx-agency"], ["fx-wiki"]]
