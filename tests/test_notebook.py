"""Helpers every report notebook calls: sentences in a row and the closing source list."""

from __future__ import annotations

import pytest

from lunar_report.analysis import display
from lunar_report.analysis.citations import SourceList
from lunar_report.analysis.display import Sentence
from lunar_report.analysis.notebook import say_all, show_sources


@pytest.fixture
def published(monkeypatch) -> list[dict]:
    """What the helpers publish, in order, instead of sending it to a kernel."""
    outputs: list[dict] = []
    monkeypatch.setattr(display, "_publish", lambda data, **_: outputs.append(data))
    return outputs


def test_say_all_says_each_sentence_in_order(published):
    say_all([Sentence("First, {a}.", {"a": "one"}), Sentence("Then **{b}**.", {"b": "two"}), Sentence("Done.")])
    assert [output["text/plain"] for output in published] == ["First, one.", "Then two.", "Done."]
    assert published[1]["text/html"] == "<p>Then <strong>two</strong>.</p>"


def test_say_all_of_nothing_says_nothing(published):
    say_all([])
    assert published == []


def test_show_sources_lists_the_cited_sources(facts, published):
    sources = SourceList(facts.sources)
    sources.cite("cgtn-2020-12-19;derstandard-2017")
    show_sources(sources)
    (table,) = published
    assert "<caption>Sources</caption>" in table["text/html"]
    assert 'id="source-1"' in table["text/html"] and 'id="source-2"' in table["text/html"]
    assert table["text/plain"].index("CGTN") < table["text/plain"].index("derStandard")


def test_show_sources_says_when_nothing_was_cited(facts, published):
    show_sources(SourceList(facts.sources))
    assert [output["text/plain"] for output in published] == ["No table above cites a source."]
