"""Start an empty output folder from a published site's history: `render --restore-from URL`.

A site served from an evictable cache (GitHub Actions' cache, a CI workspace) loses its history
when the cache goes. The published site carries it: its ledger, each kept edition's files and the
data tables they read. This fetches them over HTTP from the site's own address, checks every
name the ledger gives (edition ids, file names, table digests) before using it in a path or an
address, checks each table against its digest, and writes all of it in one commit. The render
that follows finds the history as the previous run left it.
"""

from __future__ import annotations

import logging
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from ...errors import RestoreFailed, UsageError
from ..config.reports import NAME_PATTERN
from . import editions
from .commit import Commit

LOG = logging.getLogger("lunar_report")
LIMIT = 256 * 1024 * 1024  # bytes per fetched file: a report's PDF is a few MiB
TIMEOUT = 60.0
_SHA = re.compile(r"^[0-9a-f]{64}$")


def _base(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--restore-from {url}: give the published site's address (http:// or https://)")
    return url if url.endswith("/") else f"{url}/"


def _fetch(base: str, name: str) -> bytes | None:
    """The bytes of `name` under the site's address; None when the site has no such file (404)."""
    try:
        with urllib.request.urlopen(base + name, timeout=TIMEOUT) as response:
            content: bytes = response.read(LIMIT + 1)
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            return None
        raise RestoreFailed(_failed(base, name, f"HTTP {exc.code} {exc.reason}")) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise RestoreFailed(_failed(base, name, str(getattr(exc, "reason", exc)))) from None
    if len(content) > LIMIT:
        raise RestoreFailed(_failed(base, name, f"larger than {LIMIT // 2**20} MiB"))
    return content


def _failed(base: str, name: str, reason: str) -> str:
    return (
        f"--restore-from {base}: cannot fetch {name} ({reason}); nothing was rendered, so the published "
        f"history is not replaced; run again when the site answers"
    )


def restore(out: Path, url: str) -> int:
    """Fetch the site's ledger, editions and data tables into `out` unless it has a ledger; the editions restored."""
    base = _base(url)
    if (out / editions.LEDGER).exists():
        return 0
    raw = _fetch(base, editions.LEDGER)
    if raw is None:
        LOG.warning(f"note: {base}{editions.LEDGER} does not exist: no published history to restore")
        return 0
    try:
        ledger = editions.parse_ledger(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise RestoreFailed(_failed(base, editions.LEDGER, f"not an editions ledger: {exc}")) from None
    unsafe = [n for n in ledger.reports if not NAME_PATTERN.match(n)]
    unsafe += [s for h in ledger.reports.values() for e in h for s in e.data.values() if not _SHA.match(s)]
    if unsafe:
        raise RestoreFailed(_failed(base, editions.LEDGER, f"unsafe name {unsafe[0]!r}"))
    unit = Commit(out)
    tables: set[str] = set()
    for name, history in ledger.reports.items():
        for edition in history:
            present = []
            for file in edition.files:
                content = _fetch(base, f"{edition.folder}/{file}")
                if content is not None:
                    unit.write(f"{edition.folder}/{file}", content)
                    present.append(file)
            edition.files = present
            unit.write(f"{edition.folder}/{editions.RECORD}", editions.record_bytes(name, edition))
            tables |= set(edition.data.values())
    for sha in sorted(tables):
        table = _fetch(base, f"{editions.DATA_DIR}/{sha}.csv")
        if table is not None and editions.digest(table) != sha:
            raise RestoreFailed(
                _failed(base, f"{editions.DATA_DIR}/{sha}.csv", "its content does not match its digest")
            )
        if table is not None:
            unit.write(f"{editions.DATA_DIR}/{sha}.csv", table)
    ledger.combined = {}
    unit.write(editions.LEDGER, editions.ledger_bytes(ledger))
    unit.apply()
    count = sum(len(history) for history in ledger.reports.values())
    LOG.warning(f"note: restored {count} editions of {len(ledger.reports)} reports from {base}")
    return count
