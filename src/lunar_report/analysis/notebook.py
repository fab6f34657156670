"""What every report notebook calls: sentences one after another, and the closing list of cited sources."""

from __future__ import annotations

from collections.abc import Iterable

from .citations import SourceList, sources_data
from .display import Sentence, say, show_html_and_latex


def say_all(sentences: Iterable[Sentence]) -> None:
    """Display each sentence in turn, as the prose functions return them."""
    for sentence in sentences:
        say(sentence.template, **sentence.values)


def show_sources(sources: SourceList) -> None:
    """The report's closing section: every source cited above, numbered as cited (or a line saying there is none)."""
    if len(sources):
        data = sources_data(sources)
        show_html_and_latex(data["text/html"], data["text/latex"], data["text/plain"])
    else:
        say("No table above cites a source.")
