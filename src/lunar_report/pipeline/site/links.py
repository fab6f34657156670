"""The published site: index, report pages, editions page and feed link to each other with relative links.

Works opened from disk and served from any sub-path. Report pages get a navigation bar through
the lunar_html template (export resources built here); the site's own pages are Jinja2 templates
in templates/site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.changes import long_date
from ..store.commit import Commit
from ..store.editions import Edition, Ledger, present_files
from .templating import environment

if TYPE_CHECKING:
    pass

INDEX = "index.html"
EDITIONS_PAGE = "editions.html"
FEED = "feed.xml"
COMBINED = "lunar-report.pdf"
BUILD_PAGE = "build.html"  # the build table: parameters, fingerprints, one-off renders
SEARCH_PAGE = "search.html"
SEARCH_INDEX = "search-index.js"  # a script, not JSON: a page opened from disk may load a script, not fetch a file
NOJEKYLL = ".nojekyll"  # GitHub Pages serves the folder as is


@dataclass(frozen=True)
class SiteReport:
    """A report as the site lists it."""

    name: str
    title: str


def footer_links(up: str, feed: str, combined: str) -> list[tuple[str, str]]:
    """The footer's links as (label, address) from a page `up` the tree; the feed and combined PDF when given."""
    links = [("Reports", INDEX), ("Editions", EDITIONS_PAGE), ("Search", SEARCH_PAGE)]
    links += [("All reports in one PDF", combined)] if combined else []
    links += [("Atom feed", feed)] if feed else []
    return [(label, f"{up}{href}") for label, href in [*links, ("How these pages were built", BUILD_PAGE)]]


def page_links(
    out: Path, here: str, reports: tuple[SiteReport, ...] = (), coming: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The bar and footer of the site's own pages: the reports menu, the pages, only files that exist (or are
    `coming` in the same commit)."""

    def present(name: str) -> bool:
        return (out / name).is_file() or name in coming or name == here

    shown = {name: name if present(name) else "" for name in (COMBINED, FEED)}
    return {
        "here": here,
        "reports": [{"title": r.title, "href": f"{r.name}.html"} for r in reports if present(f"{r.name}.html")],
        "links": [("Editions", EDITIONS_PAGE), ("Search", SEARCH_PAGE)],
        "footer": footer_links("", shown[FEED], shown[COMBINED]),
        "feed": shown[FEED],
        "combined": shown[COMBINED],
    }


def report_chrome(nav: dict[str, Any], title: str, description: str, image: str) -> dict[str, str]:
    """A report page's head, bar and footer, from the same templates as the site's own pages.

    `image` is the report's thumbnail file (beside the current page) or "". An edition's copy
    names the current page as canonical, so the two are not indexed as duplicates.
    """
    up, env = nav.get("up", ""), environment()
    edition = nav.get("edition")
    head = env.get_template("head.html.j2").render(
        title=title,
        description=description,
        canonical=edition["current"] if edition else "",
        image=f"{up}{image}" if image else "",
        feed="",
        og_type="article",
    )
    bar = env.get_template("bar.html.j2").render(
        up=up,
        here="",
        reports=nav["reports"],
        links=[("Editions", nav["editions"]), ("Search", f"{up}{SEARCH_PAGE}")],
    )
    foot = env.get_template("foot.html.j2").render(footer=footer_links(up, "", ""))
    return {"head": head, "bar": bar, "foot": foot}


def report_nav(
    name: str,
    reports: list[SiteReport],
    formats: tuple[str, ...],
    previous: Edition | None,
    edition: Edition | None = None,
) -> dict[str, Any]:
    """The navigation bar of one report page (export resources for the lunar_html template).

    `edition` set: the copy kept in the edition's folder, two levels down, which says it is an
    edition and links to the current one. Otherwise the current page, which links its previous edition.
    """
    up = "../../" if edition is not None else ""
    nav: dict[str, Any] = {
        "up": up,
        "name": name,
        "home": f"{up}{INDEX}",
        "reports": [{"title": r.title, "href": "" if r.name == name else f"{up}{r.name}.html"} for r in reports],
        "editions": f"{up}{EDITIONS_PAGE}#{name}",
        "pdf": f"{name}.pdf" if "pdf" in formats else "",
        "previous": None,
        "edition": None,
    }
    if edition is not None:
        nav["edition"] = {"as_of": long_date(edition.as_of), "current": f"{up}{name}.html"}
    elif previous is not None and f"{name}.html" in previous.files:
        nav["previous"] = {"as_of": long_date(previous.as_of), "href": f"{previous.folder}/{name}.html"}
    return nav


def _editions_row(out: Path, edition: Edition) -> dict[str, Any]:
    labels = {"html": "HTML", "pdf": "PDF"}
    return {
        "id": edition.id,
        "as_of": long_date(edition.as_of),
        "links": [(labels.get(f.rsplit(".", 1)[-1], f), f"{edition.folder}/{f}") for f in present_files(out, edition)],
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
        {"name": n, "title": ledger.history(n)[0].title, "editions": [_editions_row(out, e) for e in ledger.history(n)]}
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
    from .feed import feed_xml
    from .search import search_html, search_index

    commit.write(NOJEKYLL, b"")
    commit.write(FEED, feed_xml(out, ledger, configured, base_url))
    commit.write(EDITIONS_PAGE, editions_html(out, ledger, configured, frozenset(commit.names())))
    menu = tuple(SiteReport(n, ledger.history(n)[0].title) for n in configured if ledger.history(n))
    commit.write(SEARCH_INDEX, search_index(out, menu))
    commit.write(SEARCH_PAGE, search_html(page_links(out, SEARCH_PAGE, menu, frozenset(commit.names()))))
