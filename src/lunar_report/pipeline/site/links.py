"""How the site's pages link to each other: the site's file names, the menu, the footer and a report's navigation bar.

Every link is relative, so the site works opened from disk and served from any sub-path. Report
pages get their navigation bar through the lunar_html template (export resources built here).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..base.text import long_date
from ..config.settings import SiteReport
from ..store.editions import Edition
from .templating import environment

INDEX = "index.html"
EDITIONS_PAGE = "editions.html"
FEED = "feed.xml"
COMBINED = "lunar-report.pdf"
BUILD_PAGE = "build.html"  # the build table: parameters, fingerprints, one-off renders
SEARCH_PAGE = "search.html"
SEARCH_INDEX = "search-index.js"  # a script, not JSON: a page opened from disk may load a script, not fetch a file
NOJEKYLL = ".nojekyll"  # GitHub Pages serves the folder as is
DATA_DIR = "data"  # the site's data: the current data edition, and each one kept in data/<version>/
PACKAGE_FILE = "datapackage.json"  # a data edition's Frictionless data package, beside its CSV files and SQLite file
DATA_PACKAGE = f"{DATA_DIR}/{PACKAGE_FILE}"  # the current data edition, linked as "Download the data"
DATA_VERSION = re.compile(r"^(\d{4}(-\d{2}){0,2}|undated)-[0-9a-f]{10}$")  # a data edition's folder under data/
DOWNLOAD = "Download the data"


def footer_links(up: str, feed: str, combined: str, data: str = "") -> list[tuple[str, str]]:
    """The footer's links as (label, address) from a page `up` the tree; the feed, combined PDF and data when given."""
    links = [("Reports", INDEX), ("Editions", EDITIONS_PAGE), ("Search", SEARCH_PAGE)]
    links += [("All reports in one PDF", combined)] if combined else []
    links += [("Atom feed", feed)] if feed else []
    links += [(DOWNLOAD, data)] if data else []
    return [(label, f"{up}{href}") for label, href in [*links, ("How these pages were built", BUILD_PAGE)]]


def page_links(
    out: Path, here: str, reports: tuple[SiteReport, ...] = (), coming: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The bar and footer of the site's own pages: the reports menu, the pages, only files that exist (or are
    `coming` in the same commit)."""

    def present(name: str) -> bool:
        return (out / name).is_file() or name in coming or name == here

    shown = {name: name if present(name) else "" for name in (COMBINED, FEED, DATA_PACKAGE)}
    return {
        "here": here,
        "reports": [{"title": r.title, "href": f"{r.name}.html"} for r in reports if present(f"{r.name}.html")],
        "links": [("Editions", EDITIONS_PAGE), ("Search", SEARCH_PAGE)],
        "footer": footer_links("", shown[FEED], shown[COMBINED], shown[DATA_PACKAGE]),
        "feed": shown[FEED],
        "combined": shown[COMBINED],
        "data": shown[DATA_PACKAGE],
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
    foot = env.get_template("foot.html.j2").render(footer=footer_links(up, "", "", DATA_PACKAGE))
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


def edition_package(out: Path, edition: Edition, coming: frozenset[str] = frozenset()) -> str:
    """The address (relative to the site) of the data package an edition was computed from; "" when it is neither on
    disk nor `coming` in the same commit."""
    if not DATA_VERSION.match(edition.dataset):
        return ""
    name = f"{DATA_DIR}/{edition.dataset}/{PACKAGE_FILE}"
    return name if name in coming or (out / name).is_file() else ""
