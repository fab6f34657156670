"""Claim cards: each claim in the article's words with its verdict at both times, on screen and in the PDF.

A badge says its verdict in words and in colour (never colour alone). A bar of the verdicts sits
on top with links that filter the cards by verdict now through `:target` (the stylesheet hides
the other cards; no script needed). Everything from data/ is escaped.
"""

from __future__ import annotations

import html

import pandas as pd

from ..facts.schema import VERDICTS
from .claimreview import claim_page
from .display import Cell, cell_html, cell_latex, escape_latex


def verdict_slug(verdict: str) -> str:
    """The verdict as a class and anchor name: "partly supported" → "partly-supported"."""
    return verdict.replace(" ", "-")


def badge(verdict: str) -> str:
    """The verdict's badge: its words on its colour."""
    return f'<span class="lr-badge lr-v-{verdict_slug(verdict)}">{html.escape(verdict)}</span>'


def verdict_bar(counts: dict[str, int], label: str) -> str:
    """A bar of the verdicts' shares, with a legend that carries the numbers in words."""
    total = sum(counts.values()) or 1
    parts = "".join(
        f'<span class="lr-v-{verdict_slug(v)}" style="flex: {n} 0 0"></span>' for v, n in counts.items() if n
    )
    summary = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
    legend = "".join(f"<li>{badge(v)} {n} ({100 * n / total:.0f} %)</li>" for v, n in counts.items() if n)
    return (
        f'<p class="lr-bar-label">{html.escape(label)}</p>'
        f'<div class="lr-bar-chart" role="img" aria-label="{html.escape(label)}: {html.escape(summary)}">{parts}</div>'
        f'<ul class="lr-legend">{legend}</ul>'
    )


def _filters(counts: dict[str, int]) -> str:
    links = [f'<li><a href="#claims-all">All ({sum(counts.values())})</a></li>']  # the page marks the one shown
    links += [
        f'<li><a href="#verdict-{verdict_slug(v)}">{html.escape(v.capitalize())} ({n})</a></li>'
        for v, n in counts.items()
        if n
    ]
    targets = "".join(f'<span class="lr-filter" id="verdict-{verdict_slug(v)}"></span>' for v, n in counts.items() if n)
    return (
        f'<nav class="lr-verdicts" aria-label="Show the claims with one verdict now"><ul>{"".join(links)}</ul></nav>'
        f'<span class="lr-filter" id="claims-all"></span>{targets}'
    )


def _check(heading: str, verdict: str, why: str, sources: Cell) -> str:
    cited = cell_html(sources) if sources else "none"
    return (
        f"<div><dt>{html.escape(heading)}</dt><dd>{badge(verdict)} {html.escape(why)}"
        f' <span class="lr-src">Sources: {cited}</span></dd></div>'
    )


def claim_cards(table: pd.DataFrame, anchors: list[str]) -> str:
    """Every claim of `table` (columns as `tables.claims.claims_table` makes them) as a card with its anchor."""
    claim, then, why_then, src_then, now, why_now, src_now = table.columns
    counts = {v: int((table[now] == v).sum()) for v in VERDICTS}
    cards = []
    for anchor, (_, row) in zip(anchors, table.iterrows(), strict=True):
        words = row[claim].text if hasattr(row[claim], "text") else str(row[claim])
        cards.append(
            f'<li class="lr-card lr-c-{verdict_slug(row[now])}" id="{anchor}">'
            f"<blockquote>“{html.escape(words)}”</blockquote><dl>"
            f"{_check(then, row[then], row[why_then], row[src_then])}{_check(now, row[now], row[why_now], row[src_now])}"
            f'</dl><p class="lr-small"><a class="lr-claim-page" href="{claim_page(anchor)}">This claim’s own page'
            "</a></p></li>"
        )
    return (
        f'<div class="lr-claims">{verdict_bar(counts, now)}{_filters(counts)}'
        f'<ol class="lr-cards">{"".join(cards)}</ol></div>'
    )


def _check_latex(heading: str, verdict: str, why: str, sources: Cell) -> str:
    cited = cell_latex(sources) if sources else "none"
    return rf"\textbf{{{escape_latex(heading)}: {escape_latex(verdict)}.}} {escape_latex(why)} Sources: {cited}."


def claim_cards_latex(table: pd.DataFrame, caption: str) -> str:
    """The claims of `table` for the PDF: a numbered list, each claim in its words (anchored), then its verdict,
    why and sources when published and now, in full-width paragraphs (seven narrow columns would not read)."""
    claim, then, why_then, src_then, now, why_now, src_now = table.columns
    items = [
        rf"\item \emph{{“{cell_latex(row[claim])}”}}"
        + "\n\n\\nopagebreak\n"  # (a claim's words are not left at the foot of a page without its verdicts)
        + f"{_check_latex(then, row[then], row[why_then], row[src_then])}"
        + f"\n\n{_check_latex(now, row[now], row[why_now], row[src_now])}"
        for _, row in table.iterrows()
    ]
    heading = rf"\par\textbf{{{escape_latex(caption)}}}\par\nopagebreak"
    return "\n".join([heading, r"\begin{enumerate}", *items, r"\end{enumerate}"])
