"""Synthetic fact bases with the shipped schema, for benchmarks: valid data at any number of events.

Usage: python bench/synthetic.py OUT_DIR --events 10000 [--seed 0]

Every table is filled (sources, missions, figures, agreements, sections, claims scale
with the events), references point at existing ids, and every quote is a sentence or
part of a sentence of the synthetic article text, so the data passes validation.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from lunar_report.facts.schema import TABLES

ARTICLE = "sources/article.txt"
SENTENCES = 400
WORDS = (
    "lunar",
    "station",
    "orbit",
    "sample",
    "capsule",
    "rover",
    "crater",
    "module",
    "relay",
    "agency",
    "partner",
    "launch",
    "landing",
    "return",
    "research",
    "deep",
    "space",
    "mission",
    "phase",
    "plan",
)


def article_sentences(rng: np.random.Generator) -> list[str]:
    """Distinct sentences of the synthetic article, some with non-breaking spaces and curly apostrophes."""
    sentences = []
    for number in range(SENTENCES):
        words = " ".join(rng.choice(WORDS, size=12))
        sentences.append(f"Sentence {number}: the agency’s {words}.")
    return sentences


def _choice(rng: np.random.Generator, values, size: int) -> np.ndarray:
    return np.asarray(values, dtype=object)[rng.integers(0, len(values), size)]


def _ids(prefix: str, count: int) -> np.ndarray:
    return np.char.add(prefix, np.arange(count).astype(str)).astype(object)


def _dates(rng: np.random.Generator, count: int) -> pd.DataFrame:
    """Start dates at every precision, their zones, and year spans for a tenth of the rows."""
    instants = pd.to_datetime("1960-01-01") + pd.to_timedelta(rng.integers(0, 70 * 365 * 86400, count), unit="s")
    precision = _choice(rng, ("second", "minute", "day", "day", "month", "year"), count)
    formats = {
        "second": "%Y-%m-%dT%H:%M:%S",
        "minute": "%Y-%m-%dT%H:%M",
        "day": "%Y-%m-%d",
        "month": "%Y-%m",
        "year": "%Y",
    }
    start = pd.Series("", index=range(count), dtype=object)
    for name, form in formats.items():
        chosen = precision == name
        start[chosen] = instants[chosen].strftime(form)
    zone = np.where(
        np.isin(precision, ("second", "minute")),
        _choice(rng, ("UTC", "Asia/Shanghai"), count),
        _choice(rng, ("", "Asia/Shanghai", "Europe/Moscow", "UTC"), count),
    )
    span = (precision == "year") & (rng.random(count) < 0.5)
    end = np.where(span, (instants.year + rng.integers(0, 10, count)).astype(str), "")
    return pd.DataFrame({"start": start, "end": end, "precision": precision, "timezone": zone})


def synthetic_tables(events: int, seed: int = 0) -> tuple[dict[str, pd.DataFrame], str]:
    """The tables (as DataFrames of strings) and the article text for `events` events."""
    rng = np.random.default_rng(seed)
    sentences = article_sentences(rng)
    quotes = np.asarray(sentences, dtype=object)
    n_refs, n_missions = max(5, events // 100), max(3, events // 100)
    n_figures, n_agreements, n_claims = max(2, events // 10), max(1, events // 100), max(1, events // 20)
    references = _ids("ref-", n_refs)

    sources = pd.DataFrame(
        {
            "id": np.concatenate([["article"], references]),
            "kind": ["article"] + ["reference"] * n_refs,
            "publisher": "Synthetic",
            "title": "A synthetic source",
            "url": "",
            "grade": _choice(rng, ("A", "B", "C"), n_refs + 1),
            "published": "2021-04-27",
            "text_file": [ARTICLE] + [""] * n_refs,
            "note": "",
        }
    )
    missions = pd.DataFrame(
        {
            "id": _ids("mission-", n_missions),
            "name": _ids("Mission ", n_missions),
            "agency": "Agency",
            "country": "Country",
            "vehicle": "",
            "launch_site": "",
            "landing_site": "",
            "kind": "sample return",
            "crewed": _choice(rng, ("true", "false"), n_missions),
            "outcome": _choice(rng, ("success", "planned"), n_missions),
            "source": _choice(rng, references, n_missions),
            "note": "",
        }
    )

    cites_article = rng.random(events) < 0.3
    inferred = rng.random(events) < 0.1
    event_rows = _dates(rng, events).assign(
        id=_ids("event-", events),
        title="Something happened",
        category=_choice(rng, ("mission", "agreement", "statement", "phase"), events),
        milestone="",
        actors="A;B",
        scope="",
        mission=np.where(rng.random(events) < 0.5, _choice(rng, missions["id"], events), ""),
        source=np.where(cites_article, "article;" + _choice(rng, references, events), _choice(rng, references, events)),
        quote=np.where(cites_article, _choice(rng, quotes, events), ""),
        inferred=np.where(inferred, "true", "false"),
        inference_reason=np.where(inferred, "Because.", ""),
        note="",
    )
    figures = pd.DataFrame(
        {
            "id": _ids("figure-", n_figures),
            "mission": _choice(rng, missions["id"], n_figures),
            "metric": "sample_mass",
            "value": rng.uniform(0.1, 400, n_figures).round(2).astype(str),
            "unit": _choice(rng, ("g", "kg"), n_figures),
            "approximate": "false",
            "stated": "",
            "source": "article",
            "quote": _choice(rng, quotes, n_figures),
            "conflict_group": "",
            "note": "",
        }
    )
    agreements = pd.DataFrame(
        {
            "id": _ids("agreement-", n_agreements),
            "title": "An agreement",
            "kind": "memorandum",
            "event": _choice(rng, event_rows["id"], n_agreements),
            "parties": "A;B",
            "signatories": "",
            "period_start": "2018",
            "period_end": "2022",
            "source": _choice(rng, references, n_agreements),
            "quote": "",
            "note": "",
        }
    )
    sections = pd.DataFrame(
        {
            "agreement": np.repeat(agreements["id"].to_numpy(), 3),
            "position": np.tile(["1", "2", "3"], n_agreements),
            "section": "A section",
            "source": "article",
            "quote": _choice(rng, quotes, 3 * n_agreements),
        }
    )
    # The two-time rule: a claim's `checked_against` rows must be known from before the article (2021-04-27).
    before_article = event_rows.loc[event_rows["start"].str[:4] < "2021", "id"]
    checked = _choice(rng, before_article, n_claims)
    claims = pd.DataFrame(
        {
            "id": _ids("claim-", n_claims),
            "quote": _choice(rng, quotes, n_claims),
            "asserts": "Something.",
            "topic": "mission",
            "mission": "",
            "checked_against": checked,
            "verdict": "supported",
            "explanation": "It matches.",
            "checked_against_now": checked,
            "verdict_now": "supported",
            "explanation_now": "It still matches.",
            "source": "article",
            "claimant": "",
        }
    )
    phases = event_rows[event_rows["category"] == "phase"]
    statements = pd.DataFrame(
        {
            "id": "statement-" + phases["id"].to_numpy(),
            "subject": phases["id"].to_numpy(),
            "stated": "2021-06-16",
            "precision": "day",
            "actor": "A;B",
            "target": phases["start"].to_numpy(),
            "target_end": phases["end"].to_numpy(),
            "qualifier": "in",
            "wording": "in that period",
            "event": "",
            "source": _choice(rng, references, len(phases)),
            "quote": "",
            "inferred": "false",
            "inference_reason": "",
            "note": "",
            "conflict_group": "",
            "reported": "",
        }
    )
    reviewed = ("sources", "events", "missions", "figures", "agreements", "agreement_sections", "claims", "statements")
    reviews = pd.DataFrame({"table": reviewed, "reviewed": "2026-04", "rows": "all", "note": "Synthetic review."})
    tables = {
        "sources": sources,
        "events": event_rows,
        "missions": missions,
        "figures": figures,
        "agreements": agreements,
        "agreement_sections": sections,
        "claims": claims,
        "statements": statements,
        "reviews": reviews,
    }
    article = "\n\n".join(s.replace(" the ", "\u00a0the ", 1) if i % 7 == 0 else s for i, s in enumerate(sentences))
    return {name: frame[TABLES[name].column_names] for name, frame in tables.items()}, article + "\n"


def write_synthetic(folder: str | Path, events: int, seed: int = 0) -> Path:
    """Write a synthetic data folder with `events` events; return its path."""
    folder = Path(folder)
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    tables, article = synthetic_tables(events, seed)
    for name, frame in tables.items():
        frame.to_csv(folder / TABLES[name].file, index=False)
    (folder / ARTICLE).write_text(article, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="Folder to write (created if missing).")
    parser.add_argument("--events", type=int, default=1000, help="Number of events (default 1000).")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(write_synthetic(args.out, args.events, args.seed))


if __name__ == "__main__":
    main()
