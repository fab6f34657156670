"""Sections every report notebook shows: the freshness stamp after its parameters."""

from __future__ import annotations

import pandas as pd

from ...facts.load import Facts
from ..notebook import say_all
from ..plans import plans_due
from ..prose.reviews import freshness_sentences
from ..reviews import REPORT_TABLES, latest_reviews


def show_freshness(facts: Facts, as_of: pd.Timestamp, report: str) -> None:
    """The as-of date beside how current the facts `report` uses are (reviews.csv), with a warning naming the
    plans that reached their date with no outcome recorded, or else past six months."""
    say_all(freshness_sentences(latest_reviews(facts, REPORT_TABLES[report]), as_of, plans_due(facts, as_of)))
