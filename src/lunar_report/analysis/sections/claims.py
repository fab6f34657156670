"""Sections of the claims notebook, each shown by one call."""

from __future__ import annotations

import pandas as pd

from ...facts.load import Facts
from ..claims import verdict_tally
from ..display import show_figure, show_table
from ..figures.claims import tally_figure
from ..figures.style import source_note
from ..notebook import say_all
from ..prose.claims import tally_sentences


def show_tally(facts: Facts, claims: pd.DataFrame) -> None:
    """How the article's claims fared: a sentence, the tally table and its chart."""
    say_all(tally_sentences(claims, "in the article"))
    show_table(verdict_tally(claims), caption="Verdicts")
    show_figure(
        tally_figure(claims, note=source_note(facts.sources, claims["source"])), alt="Number of claims per verdict"
    )
