"""Claim queries: verdicts, tallies and the sources behind each claim, all from the fact base."""

from __future__ import annotations

from lunar_report.analysis import claims as claimcheck
from lunar_report.facts.schema import VERDICTS


def test_tally_counts_every_verdict_from_the_data(facts):
    tally = claimcheck.verdict_tally(facts.claims).set_index("Verdict")["Claims"]
    assert list(tally.index) == list(VERDICTS)
    assert tally.sum() == len(facts.claims)
    expected = facts.claims["verdict"].astype(str).value_counts()
    for verdict, count in expected.items():
        assert tally[verdict] == count


def test_mission_claims(facts):
    claims = claimcheck.mission_claims(facts, "change-5")
    assert len(claims) and set(claims["mission"]) == {"change-5"}
    assert claimcheck.mission_claims(facts, "change-6").empty
    assert len(claimcheck.mission_claims(facts)) == len(facts.claims)


def test_reference_sources_leave_out_the_article(facts):
    claim = facts.claims.set_index("id").loc["claim-ce5-sample-mass"]
    checked = claimcheck.checked_sources(facts, claim["checked_against"])
    assert "tass-1283825" in checked
    assert claimcheck.reference_sources(facts, claim["checked_against"]) == [s for s in checked if s != "tass-1283825"]
