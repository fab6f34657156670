"""The claim check: verdicts, tallies and the sources behind each claim, all from the fact base."""
from __future__ import annotations

import matplotlib

from lunar_report import claimcheck
from lunar_report.schema import VERDICTS

matplotlib.use("Agg")


def test_tally_counts_every_verdict_from_the_data(facts):
    tally = claimcheck.verdict_tally(facts.claims).set_index("Verdict")["Claims"]
    assert list(tally.index) == list(VERDICTS)
    assert tally.sum() == len(facts.claims)
    expected = facts.claims["verdict"].astype(str).value_counts()
    for verdict, count in expected.items():
        assert tally[verdict] == count


def test_claims_table_has_every_claim_with_numbered_sources(facts):
    claims = claimcheck.mission_claims(facts)
    table = claimcheck.claims_table(facts, claims)
    assert len(table) == len(facts.claims)
    assert list(table.columns) == ["Claim (the article's words)", "Verdict", "Explanation", "Sources"]
    sources = claimcheck.cited_sources(facts, claims)
    assert list(sources["No."]) == list(range(1, len(sources) + 1))
    assert "tass-1283825" not in set(sources["id"]), "the article is not its own reference"
    row = table[table["Claim (the article's words)"] == "collecting around 2 kg"].iloc[0]
    assert row["Verdict"] == "partly supported"
    cgtn = sources.loc[sources["id"] == "cgtn-2020-12-19", "No."].item()
    assert f"[{cgtn}]" in row["Sources"]
    assert sources.loc[sources["id"] == "cgtn-2020-12-19", "URL"].item().startswith("https://news.cgtn.com/")


def test_claim_without_reference_rows_says_none(facts):
    claims = facts.claims[facts.claims["id"] == "claim-lunar-base-purpose"]
    assert claimcheck.claims_table(facts, claims)["Sources"].item() == "none"


def test_mission_claims_and_tally_sentences(facts):
    claims = claimcheck.mission_claims(facts, "change-5")
    assert set(claims["mission"]) == {"change-5"}
    (template, values), = claimcheck.tally_sentences(claims, "about Chang’e-5")
    text = template.format(**values)
    assert text.startswith(f"**{len(claims)} claims** about Chang’e-5 were checked")
    (template, values), = claimcheck.tally_sentences(claimcheck.mission_claims(facts, "change-6"), "about Chang’e-6")
    assert template.format(**values) == "The data holds no claims about Chang’e-6."


def test_tally_figure(facts):
    fig = claimcheck.tally_figure(facts.claims, note="Source: test")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Number of claims"
    assert f"{len(facts.claims)} claims" in ax.get_title()
    assert len(ax.patches) == len(VERDICTS)


def test_article_sentence_comes_from_the_sources_table(facts):
    (template, values), = claimcheck.article_sentences(facts)
    assert template.format(**values) == (
        "The article: TASS, “China to team up with Russia, other partners in creating lunar station — diplomat”, "
        "published 27 April 2021 (https://tass.com/science/1283825)."
    )
