"""Queries on the fact base for the claim check: the article's claims, their verdicts and the sources checked."""

from __future__ import annotations

import pandas as pd

from ..facts.load import Facts, split_ids
from ..facts.schema import VERDICTS

CHECKED_TABLES = ("events", "figures", "missions", "agreements")


def mission_claims(facts: Facts, mission: str | None = None) -> pd.DataFrame:
    """The claims about `mission` (all claims when None), in the article's order."""
    claims = facts.claims
    return claims if mission is None else claims[claims["mission"] == mission]


def checked_sources(facts: Facts, checked_against: object) -> list[str]:
    """Ids of the sources behind the rows a claim was checked against, in first-cited order."""
    owners: dict[str, object] = {}
    for table in CHECKED_TABLES:
        frame = getattr(facts, table)
        owners.update(zip(frame["id"], frame["source"], strict=False))
    cited = [source for row in split_ids(checked_against) for source in split_ids(owners.get(row))]
    return list(dict.fromkeys(cited))


def reference_sources(facts: Facts, checked_against: object) -> list[str]:
    """The reference sources (not the article itself) behind the rows a claim was checked against."""
    reference = set(facts.sources.loc[facts.sources["kind"] == "reference", "id"])
    return [source for source in checked_sources(facts, checked_against) if source in reference]


def verdict_tally(claims: pd.DataFrame) -> pd.DataFrame:
    """How many claims got each verdict (every verdict listed, zero included), with shares in percent."""
    counts = claims["verdict"].astype(str).value_counts().reindex(list(VERDICTS), fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame(
        {
            "Verdict": counts.index,
            "Claims": counts.to_numpy(),
            "Share": [f"{100 * n / total:.0f} %" if total else "" for n in counts.to_numpy()],
        }
    )
