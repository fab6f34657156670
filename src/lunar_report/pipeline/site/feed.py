"""reports/feed.xml: an Atom 1.0 feed with one entry per kept edition of each configured report.

Dates are as-of dates (midnight UTC), never the clock, so unchanged editions give unchanged bytes.
Ids are URNs derived from the report and edition, stable wherever the site is served; links are
relative to the feed, like every link of the site. With the site's address (`base_url` in
reports.toml) the feed says where it lives (`xml:base` and an absolute `self` link), so a reader
that copied the feed elsewhere still resolves its links.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from ..base.text import long_date
from ..store.changes import summary
from ..store.editions import Edition, Ledger, present_files
from .links import edition_package
from .templating import environment

FEED_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/lunar-report/lunar-report")
TITLE = "lunar-report: new editions"


def timestamp(as_of: str) -> str:
    """An as-of date as an RFC 3339 date-time (Atom's `updated`): the day's start in UTC."""
    return f"{as_of}T00:00:00Z"


def _entry(out: Path, name: str, edition: Edition, coming: frozenset[str]) -> dict[str, str]:
    files = present_files(out, edition)
    page = next((f for f in files if f.endswith(".html")), files[0] if files else "")
    return {
        "id": f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, f'{name}/{edition.id}')}",
        "title": f"{edition.title} — edition as of {long_date(edition.as_of)}",
        "updated": timestamp(edition.as_of),
        "href": f"{edition.folder}/{page}" if page else "editions.html",
        "summary": summary(edition.changes),
        "as_of": edition.as_of,
        "data": edition_package(out, edition, coming),
    }


def feed_xml(
    out: Path, ledger: Ledger, configured: list[str], base_url: str | None = None, coming: frozenset[str] = frozenset()
) -> bytes:
    """The feed: entries newest first (by as-of date, then configuration order, then newest edition).

    An entry links its edition's page when it is on disk, else the editions page, and the data package it was
    computed from (on disk or `coming` in the same commit); links resolve
    against `base_url` (the site's absolute address) when it is given.
    """
    order = {name: position for position, name in enumerate(configured)}
    entries = [
        (_entry(out, name, edition, coming), order[name], age)
        for name in configured
        for age, edition in enumerate(ledger.history(name))
    ]
    entries.sort(key=lambda item: (-int(item[0]["as_of"].replace("-", "")), item[1], item[2]))
    shown = [entry for entry, _, _ in entries]
    updated = max((e["updated"] for e in shown), default=timestamp("1970-01-01"))
    feed = {
        "id": f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, 'feed')}",
        "title": TITLE,
        "subtitle": "Each entry is a new edition of a report, with what changed since the previous one.",
        "updated": updated,
        "base": base_url or "",
    }
    return environment().get_template("feed.xml.j2").render(feed=feed, entries=shown).encode("utf-8")
