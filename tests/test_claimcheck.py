"""The claim check: verdicts, tallies and the sources behind each claim, all from the fact base."""

from __future__ import annotations

import matplotlib

from lunar_report.analysis import claims as claimcheck
from lunar_report.analysis.citations import SourceList
from lunar_report.analysis.display import Link
from lunar_report.facts.schema import VERDICTS

matplotlib.use("Agg")


def test_tally_counts_every_verdict_from_the_data(facts):
    tally = claimcheck.verdict_tally(facts.claims).set_index("Verdict")["Claims"]
    assert list(tally.index) == list(VERDICTS)
    assert tally.sum() == len(facts.claims)
    expected = facts.claims["verdict"].astype(str).value_counts()
    for verdict, count in expected.items():
        assert tally[verdict] == count


def test_claims_table_has_every_claim_with_linked_sources(facts):
    claims = claimcheck.mission_claims(facts)
    sources = SourceList(facts.sources)
    table = claimcheck.claims_table(facts, claims, sources)
    assert len(table) == len(facts.claims)
    assert list(table.columns) == ["Claim (the article’s words)", "Verdict", "Explanation", "Sources"]
    listed = sources.table()
    assert [anchor.text for anchor in listed["No."]] == [str(n) for n in range(1, len(listed) + 1)]
    article_url = facts.sources.set_index("id").loc["tass-1283825", "url"]
    assert article_url not in {getattr(link, "href", None) for link in listed["Address"]}, (
        "the article is not its own reference"
    )
    row = table[table["Claim (the article’s words)"] == "collecting around 2 kg"].iloc[0]
    assert row["Verdict"] == "partly supported"
    cgtn = sources.number("cgtn-2020-12-19")
    assert Link(f"[{cgtn}]", f"#source-{cgtn}") in row["Sources"]
    assert listed["Address"][cgtn - 1].href.startswith("https://news.cgtn.com/")


def test_claim_without_reference_rows_says_none(facts):
    claims = facts.claims[facts.claims["id"] == "claim-lunar-base-purpose"]
    assert claimcheck.claims_table(facts, claims, SourceList(facts.sources))["Sources"].item() == "none"


def test_mission_claims_and_tally_sentences(facts):
    claims = claimcheck.mission_claims(facts, "change-5")
    assert set(claims["mission"]) == {"change-5"}
    ((template, values),) = claimcheck.tally_sentences(claims, "about Chang’e-5")
    text = template.format(**values)
    assert text.startswith(f"**{len(claims)} claims** about Chang’e-5 were checked")
    ((template, values),) = claimcheck.tally_sentences(claimcheck.mission_claims(facts, "change-6"), "about Chang’e-6")
    assert template.format(**values) == "The data holds no claims about Chang’e-6."


def test_tally_figure(facts):
    fig = claimcheck.tally_figure(facts.claims, note="Source: test")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Number of claims"
    assert f"{len(facts.claims)} claims" in ax.get_title()
    assert len(ax.patches) == len(VERDICTS)


def test_article_sentence_comes_from_the_sources_table(facts):
    ((template, values),) = claimcheck.article_sentences(facts)
    assert template.format(**values) == (
        "The article: TASS, “China to team up with Russia, other partners in creating lunar station — diplomat”, "
        "published 27 April 2021 (https://tass.com/science/1283825)."
    )


def test_source_list_links_only_working_addresses(facts):
    sources = SourceList(facts.sources)
    links = sources.cite("derstandard-2017;cgtn-2020-12-19;cgtn-earthsky")
    assert [link.href for link in links] == ["#source-1", "#source-2", "#source-3"]
    assert sources.cite(["cgtn-2020-12-19"]) == (Link("[2]", "#source-2"),), "a source keeps its first number"
    addresses = list(sources.table()["Address"])
    assert addresses[0] == (Link("http://derstandard.at/2000067007789/...", None), "truncated, not a working link")
    assert isinstance(addresses[1], Link) and addresses[1].href.startswith("https://news.cgtn.com/")
    assert addresses[2] == "no address recorded"
