"""Sections of the claims notebook, each shown by one call."""

from __future__ import annotations

import pandas as pd

from ...facts.load import Facts
from ..audit import claim_weak_spots
from ..cards import claim_cards, claim_cards_latex
from ..citations import SourceList
from ..claimreview import claim_anchor
from ..claims import changed_verdicts, verdict_tallies
from ..display import show_figure, show_html_and_latex, show_table
from ..figures.claims import tally_figure
from ..figures.data import tally_finding
from ..figures.style import source_note
from ..notebook import say_all
from ..prose.claims import changed_sentences, row_names, tally_sentences, weak_spot_sentences
from ..tables.claims import changed_table, claims_table


def show_tally(facts: Facts, claims: pd.DataFrame) -> None:
    """How the article's claims fared when published and now: a sentence, the tally table and its chart."""
    say_all(tally_sentences(claims, "in the article", facts))
    show_table(verdict_tallies(claims), caption="Verdicts when published and now")
    note = source_note(facts.sources, claims["source"])
    tally = verdict_tallies(claims)
    show_figure(
        tally_figure(claims, note=note),
        alt=f"Number of claims per verdict, when published and now: {tally_finding(tally)}",
        thumbnail=True,
        data=tally,
        note=note,
        name="verdict-tally",
    )


def show_changes(facts: Facts, claims: pd.DataFrame) -> None:
    """The claims whose verdict changed between publication and now, each linked to its row below."""
    say_all(changed_sentences(claims))
    changed = changed_verdicts(claims)
    if not changed.empty:
        show_table(changed_table(facts, changed), caption="Claims whose verdict changed")


def show_claims(facts: Facts, claims: pd.DataFrame, sources: SourceList) -> None:
    """Every claim with both verdicts, anchored by the claim's id (claims.html#<claim-id>).

    On screen a card per claim under a bar of the verdicts; in the PDF a numbered list of the same.
    """
    table = claims_table(facts, claims, sources)
    caption = "The article’s claims and their verdicts"
    anchors = [claim_anchor(str(i)) for i in claims["id"]]
    show_html_and_latex(claim_cards(table, anchors), claim_cards_latex(table, caption), caption)


def show_weak_spots(facts: Facts, as_of: pd.Timestamp) -> None:
    """Where the evidence is thin: the audit's rows about the claims and what they rest on, a few in words."""
    say_all(weak_spot_sentences(claim_weak_spots(facts, as_of.date()), names=row_names(facts)))
