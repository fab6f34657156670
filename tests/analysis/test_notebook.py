"""Helpers every report notebook calls: sentences in a row and the closing source list."""

from __future__ import annotations

from known import known_facts
from lunar_report.analysis.citations import SourceList
from lunar_report.analysis.display import Sentence
from lunar_report.analysis.notebook import say_all, show_sources


def test_say_all_says_each_sentence_in_order(published):
    say_all([Sentence("First, {a}.", {"a": "one"}), Sentence("Then **{b}**.", {"b": "two"}), Sentence("Done.")])
    assert [output["text/plain"] for output in published] == ["First, one.", "Then two.", "Done."]
    assert published[1]["text/html"] == "<p>Then <strong>two</strong>.</p>"


def test_say_all_of_nothing_says_nothing(published):
    say_all([])
    assert published == []


def test_show_sources_lists_the_cited_sources(published):
    sources = SourceList(known_facts().sources)
    sources.cite("fx-wiki;fx-agency")
    show_sources(sources)
    (table,) = published
    assert '<ol class="lr-sources" aria-label="Sources">' in table["text/html"], "a numbered list, not a wide table"
    assert 'id="source-1"' in table["text/html"] and 'id="source-2"' in table["text/html"]
    assert "source-3" not in table["text/html"], "only the cited sources"
    assert table["text/plain"].index("Fixture Wiki Mirror") < table["text/plain"].index("Fixture Space Agency")
    latex = table["text/latex"]
    assert latex.startswith(r"\begin{description}") and r"\item[\hypertarget{source-1}{[1]}]" in latex
    assert "longtable" not in latex and "tabular" not in latex, "full-width entries in the PDF, not a narrow column"


def test_show_sources_says_when_nothing_was_cited(published):
    show_sources(SourceList(known_facts().sources))
    assert [output["text/plain"] for output in published] == ["No table above cites a source."]
