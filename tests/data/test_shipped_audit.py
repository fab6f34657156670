"""The audit of the shipped claims: the weak spots it finds and how they read."""

from __future__ import annotations

import re
from datetime import date

import pytest

from lunar_report.analysis.audit import claim_weak_spots

pytestmark = pytest.mark.usefixtures("load_once")


def test_claim_weak_spots_are_the_claims_rows_and_what_they_rest_on(facts):
    spots = claim_weak_spots(facts, date(2026, 12, 2))
    rested_on = {
        r
        for column in ("checked_against", "checked_against_now")
        for c in facts.claims[column]
        for r in str(c).split(";")
    }
    others = spots[spots["table"] != "claims"]
    assert set(others["id"]) <= rested_on and not others.empty
    assert set(spots["table"]) <= {"claims", "events", "figures", "missions", "agreements"}
    assert "claim-lunar-base-purpose" in set(spots["id"])
    assert "claim-six-sections" not in set(spots.loc[spots["concern"] == "circular", "id"])


def test_the_weak_spots_read_as_a_few_sentences_and_a_count_of_the_rest(facts):
    from lunar_report.analysis.prose.claims import row_names, weak_spot_sentences

    spots = claim_weak_spots(facts, date(2026, 12, 2))
    names = row_names(facts)
    said = [s.formatted() for s in weak_spot_sentences(spots, shown=3, names=names)]
    assert len(said) == 4
    assert all(s.startswith("The ") for s in said[:3])
    everything = [s.formatted() for s in weak_spot_sentences(spots, shown=len(spots), names=names)]
    assert (
        said[-1]
        == f"There are {len(everything) - 3} more concerns of this kind about the claims and the evidence they rest on."
    )
    quote = facts.claims.set_index("id").loc["claim-lunar-base-purpose", "quote"]
    assert f"The claim “{quote}”, when published and now, cites no reference source." in everything
    ids = set(facts.sources["id"]) | set(facts.events["id"]) | set(facts.claims["id"])
    assert [s for s in everything if any(re.search(rf"\b{re.escape(i)}\b", s) for i in ids)] == [], "no row ids"
