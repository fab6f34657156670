"""The claims' own pages (`claims/<claim-id>.html`), laid out on the host from what the kernel noted.

The claims notebook notes each claim's page in its read log (analysis/claimpages.py): the words,
both checks and, with the site's address, the claim's single ClaimReview. Here each becomes a page
of the site's theme (templates/site/claim.html.j2), written in the report's own commit. The pages
are the current ones only: an edition keeps its copy of the claims report, whose links to them
lead to the current pages (as its canonical link does).
"""

from __future__ import annotations

import re
from typing import Any

from .links import EDITIONS_PAGE, SEARCH_PAGE, footer_links
from .templating import environment

CLAIMS_DIR = "claims"
"""The folder of the claims' pages in the output folder."""
_NAME = re.compile(rf"^{CLAIMS_DIR}/[A-Za-z0-9][A-Za-z0-9_.-]*\.html$")
LINK_CLASS = 'class="lr-claim-page" href="'
"""How a claim card's link to its page starts (analysis/cards.py); an edition's copy makes it lead up."""


def side_pages(
    pages: dict[str, dict[str, Any]], nav: dict[str, Any], title: str, base_url: str | None
) -> dict[str, bytes]:
    """Each noted page as HTML, by its name in the output folder; ValueError for a name outside `claims/`."""
    for name in pages:
        if not _NAME.match(name):
            raise ValueError(f"the report noted a page outside claims/: {name!r}")
    return {name: claim_page(name, content, nav, title, base_url) for name, content in sorted(pages.items())}


def claim_page(name: str, claim: dict[str, Any], nav: dict[str, Any], title: str, base_url: str | None) -> bytes:
    """One claim's page: its words, both checks with sources, its ClaimReview (when the site's address is known)."""
    up = "../" * name.count("/")
    report = f"{up}{nav['name']}.html"
    reports = [{"title": r["title"], "href": f"{up}{r['href']}" if r["href"] else report} for r in nav["reports"]]
    checks = ", ".join(f"{c['heading'].split(' (')[0].lower()}: {c['verdict']}" for c in claim["checks"])
    page = (
        environment()
        .get_template("claim.html.j2")
        .render(
            claim=claim,
            title=f"“{claim['asserts']}”: checked",
            description=f"The claim “{claim['quote']}” checked twice by lunar-report ({checks}), with the sources.",
            canonical=f"{base_url}{name}" if base_url else "",
            up=up,
            report={"title": title, "href": f"{report}#{claim['id']}"},
            reports=reports,
            links=[("Editions", f"{up}{EDITIONS_PAGE}#{nav['name']}"), ("Search", f"{up}{SEARCH_PAGE}")],
            footer=footer_links(up, "", ""),
        )
    )
    return page.encode("utf-8")


def to_current_pages(page: bytes, up: str) -> bytes:
    """An edition's copy of the claims report, its claim cards linking the current claim pages `up` the tree."""
    return page.replace(LINK_CLASS.encode(), f"{LINK_CLASS}{up}".encode())
