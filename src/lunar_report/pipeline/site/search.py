"""Search across the site without a server: an index written at render time, searched in the browser.

The index is a script (`search-index.js`) rather than JSON, because a page opened from disk may
load a script beside it but not fetch a file; every address in it is relative, so the site
searches the same from disk and from any sub-path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..config.settings import SiteReport
from .claim_pages import CLAIMS_DIR
from .links import SEARCH_INDEX
from .page_text import SECTION_TEXT, read_page
from .templating import environment


def search_entries(out: Path, reports: tuple[SiteReport, ...]) -> list[dict[str, str]]:
    """One entry per section of each report page present and per claim page: report, section, address and text."""
    entries = []
    for report in reports:
        page = read_page(out / f"{report.name}.html")
        entries.append(
            {"r": report.title, "s": "", "u": f"{report.name}.html", "x": " ".join(f.text for f in page.findings)}
        )
        entries += [
            {"r": report.title, "s": s.title, "u": f"{report.name}.html#{s.anchor}", "x": s.text} for s in page.sections
        ]
    return entries + claim_entries(out, reports)


def claim_entries(out: Path, reports: tuple[SiteReport, ...]) -> list[dict[str, str]]:
    """One entry per claim page of a report on the menu: the claim as its section, both checks as its text."""
    titles = {f"{report.name}.html": report.title for report in reports}
    entries = []
    for path in sorted((out / CLAIMS_DIR).glob("*.html")):
        page = read_page(path)
        report = titles.get(page.up.split("#")[0].removeprefix("../"))
        if report is not None:
            text = " ".join(f"{s.title}. {s.text}" for s in page.sections)[:SECTION_TEXT]
            entries.append({"r": report, "s": page.title, "u": f"{CLAIMS_DIR}/{path.name}", "x": text})
    return entries


def search_index(out: Path, reports: tuple[SiteReport, ...]) -> bytes:
    """The index as a script that sets `window.LUNAR_SEARCH` (same pages, same bytes)."""
    data = json.dumps(search_entries(out, reports), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.LUNAR_SEARCH = {data};\n".encode()


def search_html(site: dict[str, Any]) -> bytes:
    """The search page: a form (its query in the address, so a result list can be linked) and the script."""
    page = {
        "title": "lunar-report: search",
        "description": "Search every section of the lunar-report reports, offline, in the browser.",
        "image": "",
    }
    return environment().get_template("search.html.j2").render(site=site, page=page, index=SEARCH_INDEX).encode("utf-8")
