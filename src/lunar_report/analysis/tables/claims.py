"""Tables of the claim check: every claim with its verdict and sources (the tally is `claims.verdict_tally`)."""

from __future__ import annotations

import pandas as pd

from ...facts.load import Facts
from ..citations import SourceList
from ..claims import reference_sources


def claims_table(facts: Facts, claims: pd.DataFrame, sources: SourceList) -> pd.DataFrame:
    """Each claim with its verdict, explanation and links to its reference sources in `sources`."""
    return pd.DataFrame(
        {
            "Claim (the article’s words)": claims["quote"].to_numpy(),
            "Verdict": claims["verdict"].astype(str).to_numpy(),
            "Explanation": claims["explanation"].to_numpy(),
            "Sources": [sources.cite(reference_sources(facts, rows)) or "none" for rows in claims["checked_against"]],
        }
    )
