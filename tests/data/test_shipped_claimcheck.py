"""The verdict tally of the shipped claims table."""

from __future__ import annotations

from lunar_report.analysis import claims as claimcheck


def test_shipped_tally_counts_the_claims_table(facts):
    tally = claimcheck.verdict_tally(facts.claims).set_index("Verdict")["Claims"]
    assert tally.sum() == len(facts.claims)
    for verdict, count in facts.claims["verdict"].astype(str).value_counts().items():
        assert tally[verdict] == count
