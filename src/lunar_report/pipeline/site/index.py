"""The front page (index.html) and the build page (build.html).

The front page is for readers: what the reports found (their key findings, read back from the
pages), their key figures (from the editions' ledger), a thumbnail per report, the latest changes,
then the reports. The build page keeps the maintainer's table: as-of dates, parameters,
fingerprints, the files, failures and one-off renders.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..base.text import long_date
from ..config.settings import SiteReport
from ..store.editions import Edition, Ledger
from ..store.manifest import Entry, Status
from .links import BUILD_PAGE, INDEX, page_links
from .page_text import read_page
from .templating import environment

FAILED_DIR = "_failed"
LATEST_CHANGES = 5  # editions listed under "Latest changes"


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
        "dated": long_date(entry.as_of) if entry.as_of else "",
        "parameters": {k: str(entry.parameters[k]) for k in sorted(entry.parameters)},
        "fingerprint": shown.fingerprint[:12] if shown is not None else "",
        "links": links,
        "failed": failed if entry.status == Status.FAILED and (out_dir / failed).is_file() else "",
        "thumbnail": f"{name}.png" if (out_dir / f"{name}.png").is_file() else "",
        "size": _png_size(out_dir / f"{name}.png"),
    }


def _png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height from its header (the page reserves the image's box), or a 16:9 guess."""
    try:
        with path.open("rb") as file:
            header = file.read(24)
    except OSError:
        return (640, 360)
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        return (640, 360)
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


TIMES = (", when published", ", now")  # key figures that come in pairs: the same count at two times


def _cards(figures: dict[str, str]) -> list[dict[str, str]]:
    """Key figures as cards; a figure known at both times is one card, "25 → 26" when it moved."""
    cards = []
    for name, value in sorted(figures.items()):
        if name.endswith(TIMES[1]) and name[: -len(TIMES[1])] + TIMES[0] in figures:
            continue  # shown with its "when published" twin
        if name.endswith(TIMES[0]):
            base = name[: -len(TIMES[0])]
            now = figures.get(base + TIMES[1], "0")
            cards.append(
                {"value": value if value == now else f"{value} → {now}", "name": f"{base}: when published → now"}
            )
        else:
            cards.append({"value": value, "name": name})
    return cards


PLANS_ANCHOR = "#Plans-at-or-past-their-date"
"""The section a report's findings about plans at or past their date link to (the timeline's "Plans at or past
their date"): the front page lists those findings too, not only each report's first."""


def _reader_rows(rows: list[dict[str, Any]], out_dir: Path, ledger: Ledger) -> list[dict[str, Any]]:
    """Each report with its key findings (read back from its page) and its key figures (from the ledger)."""
    for row in rows:
        history = ledger.history(row["name"])
        row["figures"] = _cards(history[0].figures) if history else []
        page = read_page(out_dir / f"{row['name']}.html")
        row["findings"] = [(f.text, f"{row['name']}.html{f.href}") for f in page.findings]
        row["plans"] = [(text, href) for text, href in row["findings"][1:] if href.endswith(PLANS_ANCHOR)]
        row["answers"] = page.description
        row["thumbnail_alt"] = page.thumbnail_alt and f"{row['title']}: {page.thumbnail_alt}"
    _same_precision([card for row in rows for card in row["figures"]])
    return rows


_DAYS = re.compile(r"^(\d[\d,]*)(?:\.(\d+))? days$")


def _same_precision(cards: list[dict[str, str]]) -> None:
    """Durations of the same name shown to the same decimals ("22.9 days" beside "52.86 days" becomes 22.90)."""
    by_name: dict[str, list[dict[str, str]]] = {}
    for card in cards:
        if _DAYS.match(card["value"]):
            by_name.setdefault(card["name"], []).append(card)
    for same in by_name.values():
        places = max(len(_DAYS.match(card["value"]).group(2) or "") for card in same)  # type: ignore[union-attr]
        for card in same:
            whole, decimals = _DAYS.match(card["value"]).groups()  # type: ignore[union-attr]
            card["value"] = f"{whole}{'.' if places else ''}{(decimals or '').ljust(places, '0')} days"


FIRST_EDITION = "This is the first edition"


def _first_editions(ledger: Ledger, rows: list[dict[str, Any]]) -> str:
    """One line when every report is at its first edition (their "What changed" has nothing to compare), else ""."""
    histories = [ledger.history(row["name"]) for row in rows]
    if not histories or any(len(history) != 1 for history in histories):
        return ""
    days = sorted({history[0].as_of for history in histories})
    return f"These are the reports’ first editions, as of {long_date(days[-1])}: there is nothing earlier to compare."


def _latest_changes(
    ledger: Ledger, rows: list[dict[str, Any]], out_dir: Path, coming: frozenset[str]
) -> list[dict[str, Any]]:
    """The latest editions that changed something (a first edition has nothing to compare, so it is left out); each
    links its page only while the page is there (an edition folder deleted by hand is listed without a link)."""
    editions = [
        (e, row)
        for row in rows
        for e in ledger.history(row["name"])
        if not (e.changes and e.changes[0].startswith(FIRST_EDITION))
    ]
    editions.sort(key=lambda pair: (pair[0].as_of, pair[1]["name"]), reverse=True)

    def page(edition: Edition, name: str) -> str:
        href = f"{edition.folder}/{name}.html"
        present = href in coming or (out_dir / href).is_file()
        return href if f"{name}.html" in edition.files and present else ""

    return [
        {
            "title": row["title"],
            "as_of": long_date(edition.as_of),
            "href": page(edition, row["name"]),
            "summary": edition.changes[0] if edition.changes else "",
            "listed": edition.changes[1:4],
            "more": max(0, len(edition.changes) - 4),
        }
        for edition, row in editions[:LATEST_CHANGES]
    ]


def _site(out_dir: Path, here: str, rows: list[dict[str, Any]], coming: frozenset[str]) -> dict[str, Any]:
    return page_links(out_dir, here, tuple(SiteReport(r["name"], r["title"]) for r in rows), coming)


def index_pages(
    entries: dict[str, Entry],
    configured: list[str],
    out_dir: Path,
    ledger: Ledger,
    coming: frozenset[str] = frozenset(),
    data: dict[str, str] | None = None,
) -> dict[str, bytes]:
    """index.html and build.html: configured reports in configuration order, then one-off renders by name.

    `data`: the current data package's address ("package") and how to cite it ("citation"), for the front page.

    A function of the entries, the ledger and the files present or `coming` in the same commit (no clock), so
    unchanged input gives unchanged bytes; they link only files that exist.
    """
    rows = [_row(name, entries[name], out_dir) for name in configured if name in entries]
    one_off = [
        _row(n, entries[n], out_dir) for n in sorted(entries) if not entries[n].configured and n not in configured
    ]
    env = environment()
    front = env.get_template("index.html.j2").render(
        reports=_reader_rows(rows, out_dir, ledger),
        changes=_latest_changes(ledger, rows, out_dir, coming),
        first_editions=_first_editions(ledger, rows),
        site=_site(out_dir, INDEX, rows, coming),
        data=data,
        page={
            "title": "lunar-report: China–Russia lunar cooperation and Chang’e-5, checked",
            "description": (
                "What a TASS article on the International Lunar Research Station and Chang’e-5 says, checked "
                "against sourced facts: key findings, figures, timelines and every claim's verdict."
            ),
            "image": next((r["thumbnail"] for r in rows if r["thumbnail"]), ""),
        },
    )
    build = env.get_template("build.html.j2").render(
        configured=rows,
        one_off=one_off,
        site=_site(out_dir, BUILD_PAGE, rows, coming),
        page={
            "title": "lunar-report: how these pages were built",
            "description": "Each report's as-of date, parameters, fingerprint and files, and the one-off renders.",
            "image": "",
        },
    )
    return {INDEX: front.encode("utf-8"), BUILD_PAGE: build.encode("utf-8")}
