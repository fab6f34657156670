"""Citations: numbered links to the report's source list, and short source labels."""

from __future__ import annotations

from lunar_report.analysis.citations import SourceList, source_labels
from lunar_report.analysis.display import Link


def test_source_list_links_only_working_addresses(facts):
    sources = SourceList(facts.sources)
    links = sources.cite("derstandard-2017;cgtn-2020-12-19;cgtn-earthsky")
    assert [link.href for link in links] == ["#source-1", "#source-2", "#source-3"]
    assert sources.cite(["cgtn-2020-12-19"]) == (Link("[2]", "#source-2"),), "a source keeps its first number"
    addresses = list(sources.table()["Address"])
    assert addresses[0] == (Link("http://derstandard.at/2000067007789/...", None), "truncated, not a working link")
    assert isinstance(addresses[1], Link) and addresses[1].href.startswith("https://news.cgtn.com/")
    assert addresses[2] == "no address recorded"


def test_source_labels_most_cited_first_with_the_article_dated(facts):
    labels = source_labels(facts.sources, ["cgtn-2020-12-19", "tass-1283825;cgtn-2020-12-19;computed", None])
    assert labels == ["CGTN", "TASS 2021-04-27"]
    assert source_labels(facts.sources, []) == []
