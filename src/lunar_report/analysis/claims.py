"""Queries on the fact base for the claim check: the article's claims, their verdicts and the sources checked."""

from __future__ import annotations

import pandas as pd

from ..facts.load import Facts, split_ids
from ..facts.schema import VERDICTS
from .reviews import latest_reviews

CHECKED_TABLES = ("events", "figures", "missions", "agreements")


def mission_claims(facts: Facts, mission: str | None = None) -> pd.DataFrame:
    """The claims about `mission` (all claims when None), in the article's order."""
    claims = facts.claims
    return claims if mission is None else claims[claims["mission"] == mission]


def _owners(facts: Facts) -> dict[str, object]:
    """Each row id (and source id) that a claim may be checked against -> the sources it cites."""
    owners: dict[str, object] = {source: source for source in facts.sources["id"]}
    for table in CHECKED_TABLES:
        frame = getattr(facts, table)
        owners.update(zip(frame["id"], frame["source"], strict=False))
    return owners


def _cited(owners: dict[str, object], checked_against: object) -> list[str]:
    return list(dict.fromkeys(source for row in split_ids(checked_against) for source in split_ids(owners.get(row))))


def checked_sources(facts: Facts, checked_against: object) -> list[str]:
    """Ids of the sources behind the rows a claim was checked against, in first-cited order; a source cited
    directly (publication-time evidence may name sources) stands for itself."""
    return _cited(_owners(facts), checked_against)


def reference_sources(facts: Facts, checked_against: object) -> list[str]:
    """The reference sources (not the article itself) behind the rows a claim was checked against."""
    return references_each(facts, [checked_against])[0]


def references_each(facts: Facts, cells: list[object]) -> list[list[str]]:
    """`reference_sources` of each of `cells`, the rows' sources looked up once."""
    owners, reference = _owners(facts), set(facts.sources.loc[facts.sources["kind"] == "reference", "id"])
    return [[source for source in _cited(owners, cell) if source in reference] for cell in cells]


VERDICT_COLUMNS = {"verdict": "When published", "verdict_now": "Now"}
"""The two checks of each claim: against evidence dated on or before the article, and against what is known now."""


def verdict_tally(claims: pd.DataFrame, column: str = "verdict") -> pd.DataFrame:
    """How many claims got each verdict in `column` (every verdict listed, zero included), with shares in percent."""
    counts = claims[column].astype(str).value_counts().reindex(list(VERDICTS), fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame(
        {
            "Verdict": counts.index,
            "Claims": counts.to_numpy(),
            "Share": [f"{100 * n / total:.0f} %" if total else "" for n in counts.to_numpy()],
        }
    )


def verdict_tallies(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per verdict at both times: Verdict, "When published", "Now" (every verdict listed)."""
    counts = {label: verdict_tally(claims, column)["Claims"].to_numpy() for column, label in VERDICT_COLUMNS.items()}
    return pd.DataFrame({"Verdict": list(VERDICTS), **counts})


def changed_verdicts(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims whose verdict now differs from their verdict when published, in the article's order."""
    return claims[claims["verdict"].astype(str) != claims["verdict_now"].astype(str)]


def article_published(facts: Facts, claims: pd.DataFrame) -> str | None:
    """The `published` date (as written) of the article the claims come from, or None."""
    ids = {source for text in claims["source"] for source in split_ids(text)}
    dates = facts.sources.loc[facts.sources["id"].isin(ids), "published"].dropna()
    return None if dates.empty else str(dates.min())


def claims_reviewed(facts: Facts) -> str | None:
    """The claims table's latest full review (reviews.csv, rows = all), as written, or None."""
    full = latest_reviews(facts, ("claims",))["full"].iloc[0]
    return None if full is None else str(full)
