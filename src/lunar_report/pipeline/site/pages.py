"""The site's own pages, staged in a commit: the editions page, the search page and its index, the feed, .nojekyll.

The pages are Jinja2 templates in templates/site; each is written only when its content changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..base.text import long_date
from ..config.settings import SiteReport
from ..store.commit import Commit
from ..store.editions import Edition, Ledger, present_files
from .dataset import edition_package
from .feed import feed_xml
from .links import EDITIONS_PAGE, FEED, NOJEKYLL, SEARCH_INDEX, SEARCH_PAGE, page_links
from .search import search_html, search_index
from .templating import environment


def _editions_row(out: Path, edition: Edition, coming: frozenset[str]) -> dict[str, Any]:
    labels = {"html": "HTML", "pdf": "PDF"}
    data = edition_package(out, edition, coming)
    return {
        "id": edition.id,
        "as_of": long_date(edition.as_of),
        "links": [(labels.get(f.rsplit(".", 1)[-1], f), f"{edition.folder}/{f}") for f in present_files(out, edition)]
        + ([("Data", data)] if data else []),
        "intro": edition.changes[0] if edition.changes else "",
        "listed": edition.changes[1:],
    }


def ordered(ledger: Ledger, configured: list[str]) -> list[str]:
    """Reports with editions: configured ones in configuration order, then the others by name."""
    return [n for n in configured if ledger.history(n)] + sorted(
        n for n in ledger.reports if n not in configured and ledger.history(n)
    )


def editions_html(out: Path, ledger: Ledger, configured: list[str], coming: frozenset[str] = frozenset()) -> bytes:
    """The editions page: per report, every kept edition (newest first) with its files and changes."""
    names = ordered(ledger, configured)
    reports = [
        {
            "name": n,
            "title": ledger.history(n)[0].title,
            "editions": [_editions_row(out, e, coming) for e in ledger.history(n)],
        }
        for n in names
    ]
    menu = tuple(SiteReport(n, ledger.history(n)[0].title) for n in names if n in configured)
    page = (
        environment()
        .get_template("editions.html.j2")
        .render(
            reports=reports,
            site=page_links(out, EDITIONS_PAGE, menu, coming),
            page={
                "title": "lunar-report: editions",
                "description": "Every kept edition of each report, newest first, with what changed since the one before.",
                "image": "",
            },
        )
    )
    return page.encode("utf-8")


def stage_pages(out: Path, ledger: Ledger, configured: list[str], commit: Commit, base_url: str | None = None) -> None:
    """Add the editions page, the search page and its index, the feed (absolute with the site's `base_url`) and
    .nojekyll to `commit` (each written only when its content changed)."""
    commit.write(NOJEKYLL, b"")
    commit.write(FEED, feed_xml(out, ledger, configured, base_url, frozenset(commit.names())))
    commit.write(EDITIONS_PAGE, editions_html(out, ledger, configured, frozenset(commit.names())))
    menu = tuple(SiteReport(n, ledger.history(n)[0].title) for n in configured if ledger.history(n))
    commit.write(SEARCH_INDEX, search_index(out, menu))
    commit.write(SEARCH_PAGE, search_html(page_links(out, SEARCH_PAGE, menu, frozenset(commit.names()))))
