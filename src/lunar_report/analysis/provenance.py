"""Where a row's evidence comes from: the article itself, or reference sources that confirm or correct it."""

from __future__ import annotations

import pandas as pd

from ..facts.load import Facts, split_ids


def article_ids(facts: Facts) -> set[str]:
    """Ids of the sources that are the article itself."""
    return set(facts.sources.loc[facts.sources["kind"] == "article", "id"])


def is_article_only(frame: pd.DataFrame, facts: Facts) -> pd.Series:
    """True for rows that cite only the article: what the article says, not what references confirm."""
    article = article_ids(facts)
    return frame["source"].map(lambda text: set(split_ids(text)) <= article)


def reference_events(facts: Facts) -> pd.DataFrame:
    """Events backed by reference sources (rows citing only the article left out)."""
    return facts.events[~is_article_only(facts.events, facts)]
