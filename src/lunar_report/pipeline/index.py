"""reports/index.html: every configured report with its title, as-of date, parameters and links.

It also links the site's other pages (editions, the combined PDF, the Atom feed) when they exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .manifest import Entry, Status
from .site import INDEX, environment, page_links

FAILED_DIR = "_failed"


def _row(name: str, entry: Entry, out_dir: Path) -> dict[str, Any]:
    links = [
        (label, f"{name}.{ext}")
        for label, ext in (("HTML", "html"), ("PDF", "pdf"))
        if (out_dir / f"{name}.{ext}").is_file()
    ]
    failed = f"{FAILED_DIR}/{name}.html"
    shown = entry.outputs.get(f"{name}.html") or next(iter(entry.outputs.values()), None)  # the HTML's, else any
    return {
        "name": name,
        "title": entry.title,
        "as_of": entry.as_of,
        "parameters": {k: str(entry.parameters[k]) for k in sorted(entry.parameters)},
        "fingerprint": shown.fingerprint[:12] if shown is not None else "",
        "links": links,
        "failed": failed if entry.status == Status.FAILED and (out_dir / failed).is_file() else "",
    }


def index_html(
    entries: dict[str, Entry], configured: list[str], out_dir: Path, coming: frozenset[str] = frozenset()
) -> bytes:
    """The index page: configured reports in configuration order, then one-off renders by name.

    A function of the entries and the files present (no clock), so unchanged input gives unchanged bytes;
    it links only files that exist.
    """
    rows = [_row(name, entries[name], out_dir) for name in configured if name in entries]
    one_off = [
        _row(n, entries[n], out_dir) for n in sorted(entries) if not entries[n].configured and n not in configured
    ]
    site = page_links(out_dir, INDEX, coming)
    page = environment().get_template("index.html.j2").render(configured=rows, one_off=one_off, site=site)
    return page.encode("utf-8")
