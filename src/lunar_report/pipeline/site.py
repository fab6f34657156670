"""The published site: index, report pages, editions page and feed link to each other with relative links.

Works opened from disk and served from any sub-path. Report pages get a navigation bar through
the lunar_html template (export resources built here); the site's own pages are Jinja2 templates
in templates/site.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .changes import long_date
from .commit import Commit
from .editions import Edition, Ledger

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent / "templates"
INDEX = "index.html"
EDITIONS_PAGE = "editions.html"
FEED = "feed.xml"
COMBINED = "lunar-report.pdf"
NOJEKYLL = ".nojekyll"  # GitHub Pages serves the folder as is


@dataclass(frozen=True)
class SiteReport:
    """A report as the site lists it."""

    name: str
    title: str


@cache
def environment(folder: str = "site") -> Environment:
    """Jinja2 for the templates in `templates/<folder>` (site pages by default), escaping by default."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES / folder),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def page_links(out: Path, here: str, coming: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The navigation bar of the site's own pages: only files that exist (or `coming` with them), `here` marked."""
    present = {
        name: name if (out / name).is_file() or name in coming or name == here else ""
        for name in (EDITIONS_PAGE, COMBINED, FEED)
    }
    return {
        "here": here,
        "links": [
            ("Reports", INDEX),
            ("Editions", present[EDITIONS_PAGE]),
            ("All reports (PDF)", present[COMBINED]),
            ("Atom feed", present[FEED]),
        ],
        "feed": present[FEED],
        "combined": present[COMBINED],
    }


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


def present_files(out: Path, edition: Edition) -> list[str]:
    """The edition's files that are on disk: the site links nothing else."""
    return [f for f in edition.files if (out / edition.folder / f).is_file()]


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
    reports = [
        {"name": n, "title": ledger.history(n)[0].title, "editions": [_editions_row(out, e) for e in ledger.history(n)]}
        for n in ordered(ledger, configured)
    ]
    site = page_links(out, EDITIONS_PAGE, coming)
    page = environment().get_template("editions.html.j2").render(reports=reports, site=site)
    return page.encode("utf-8")


def stage_pages(out: Path, ledger: Ledger, configured: list[str], commit: Commit, base_url: str | None = None) -> None:
    """Add the editions page, the feed (absolute with the site's `base_url`) and .nojekyll to `commit` (written only
    when their content changed)."""
    from .feed import feed_xml

    commit.write(NOJEKYLL, b"")
    commit.write(FEED, feed_xml(out, ledger, configured, base_url))
    commit.write(EDITIONS_PAGE, editions_html(out, ledger, configured, frozenset(commit.names())))
