"""The article's claims, their verdicts and the reference sources they were checked against."""

from __future__ import annotations

import pandas as pd

from ..facts.dates import PRECISION_BY_LENGTH, format_at_precision, parse_partial
from ..facts.load import Facts, split_ids
from ..facts.schema import VERDICTS
from .citations import SourceList

CHECKED_TABLES = ("events", "figures", "missions", "agreements")


def mission_claims(facts: Facts, mission: str | None = None) -> pd.DataFrame:
    """The claims about `mission` (all claims when None), in the article's order."""
    claims = facts.claims
    return claims if mission is None else claims[claims["mission"] == mission]


def checked_sources(facts: Facts, checked_against) -> list[str]:
    """Ids of the sources behind the rows a claim was checked against, in first-cited order."""
    owners = {}
    for table in CHECKED_TABLES:
        frame = getattr(facts, table)
        owners.update(zip(frame["id"], frame["source"], strict=False))
    cited = [source for row in split_ids(checked_against) for source in split_ids(owners.get(row))]
    return list(dict.fromkeys(cited))


def reference_sources(facts: Facts, checked_against) -> list[str]:
    """The reference sources (not the article itself) behind the rows a claim was checked against."""
    reference = set(facts.sources.loc[facts.sources["kind"] == "reference", "id"])
    return [source for source in checked_sources(facts, checked_against) if source in reference]


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


def tally_figure(claims: pd.DataFrame, note: str):
    """The verdict tally as a horizontal bar chart, each bar with its own hatch and count."""
    from . import plots

    tally = verdict_tally(claims)
    fig, ax = plots.new_figure(7.0, 2.8)
    for index, (_verdict, count) in enumerate(zip(tally["Verdict"], tally["Claims"], strict=False)):
        look = plots.style(index)
        ax.barh(index, count, color=look["color"], hatch=look["hatch"], edgecolor=plots.INK, linewidth=0.6)
        ax.text(count + 0.3, index, str(count), va="center", fontsize=9)
    ax.set_yticks(range(len(tally)), tally["Verdict"])
    ax.invert_yaxis()
    ax.set_xlabel("Number of claims")
    ax.set_xlim(0, max(int(tally["Claims"].max()), 1) * 1.12 + 1)
    ax.set_title(f"Verdicts on the article’s {int(tally['Claims'].sum())} claims")
    plots.add_source_note(fig, note)
    fig.tight_layout()
    return fig


def tally_sentences(claims: pd.DataFrame, subject: str) -> list[tuple[str, dict]]:
    """How many claims were checked and how they fared (templates for `display.say`)."""
    if claims.empty:
        return [("The data holds no claims {subject}.", {"subject": subject})]
    tally = verdict_tally(claims).set_index("Verdict")["Claims"]
    others = ", ".join(f"{n} {verdict}" for verdict, n in tally.items() if n and verdict != "supported")
    return [
        (
            "**{total} claims** {subject} were checked: **{supported}** are supported{rest}.",
            {
                "total": int(tally.sum()),
                "subject": subject,
                "supported": int(tally.get("supported", 0)),
                "rest": f"; {others}" if others else "",
            },
        )
    ]


def article_sentences(facts: Facts) -> list[tuple[str, dict]]:
    """Which article is checked: publisher, title, publication date and address, from the sources table."""
    articles = facts.sources[facts.sources["kind"] == "article"]
    return [
        (
            "The article: {publisher}, “{title}”, published {published} ({url}).",
            {
                "publisher": row["publisher"],
                "title": row["title"],
                "published": _partial_date(row["published"]),
                "url": row["url"],
            },
        )
        for _, row in articles.iterrows()
    ]


def _partial_date(text) -> str:
    """A partial ISO date as a reader writes it ("27 April 2021"); empty when missing."""
    if pd.isna(text):
        return "on an unknown date"
    return format_at_precision(parse_partial(str(text), None), PRECISION_BY_LENGTH[len(str(text))])
