"""Start an output folder from a published site's history: `render --restore-from URL`.

A site served from an evictable cache (GitHub Actions' cache, a CI workspace) loses its history
when the cache goes. The published site carries it: its ledger, each kept edition's files and the
data tables they read. The site is an untrusted input, so:

- local editions come first: a folder that kept edition folders but lost its ledger has it rebuilt
  from them and asks no server; a file that exists locally is never replaced;
- the ledger is checked field by field (editions.parse_ledger) before any name in it is used;
- every file fetched is checked before it is kept: the bytes announced (Content-Length) all arrived;
  a PDF starts as a PDF, an HTML edition is an edition page and a table matches its digest (no
  error page served with 200 passes); the sha256 and size the ledger records for it match;
- each data edition a restored edition names (data/<version>/) comes with it: its datapackage.json
  first (bounded, parsed, checked), then every file it lists, each matching the sha256 and size the
  package records; a data folder that exists locally is kept as it is and not fetched;
- redirects are followed only within the site's origin; a read waits at most READ_TIMEOUT
  seconds, and the whole restore has a deadline, a byte cap and a file cap (`[limits]`);
- downloads are streamed into the run's temporary folder, and committed in one unit only when
  every one of them passed: a failure keeps nothing and stops the run (exit 1).
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import shutil
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from ...errors import RestoreFailed, UsageError
from ..config.limits import Limits
from . import editions
from .commit import Commit

LOG = logging.getLogger("lunar_report")
FILE_BYTES = 256 * 2**20  # one fetched file: a report's PDF is a few MiB
READ_TIMEOUT = 30.0  # seconds one read from the site may wait
CHUNK = 64 * 1024
MAGIC = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",)}
EDITION_PAGE = b'class="lr-edition"'  # every edition's HTML says "This is the edition as of …"
DATA_EDITIONS = "data"  # the site's data editions: data/<version>/ (as the site's pages name them)
PACKAGE = "datapackage.json"  # a data edition's data package, listing its files with their sha256 and size
PACKAGE_BYTES = 16 * 2**20  # a data package of a few tables' schemas is some 100 KiB
_DATA_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*")  # a file inside a data edition's folder
_HASH = re.compile(r"sha256:([0-9a-f]{64})")


def _base(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c in url for c in " \t\r\n"):
        raise UsageError(f"--restore-from {url[:200]}: give the published site's address (http:// or https://)")
    try:
        parts.port  # noqa: B018 (a port out of range raises)
    except ValueError:
        raise UsageError(f"--restore-from {url[:200]}: the port is not a number from 0 to 65535") from None
    return url if url.endswith("/") else f"{url}/"


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = -1
    return parts.scheme, (parts.hostname or ""), port


class _Refused(Exception):
    """A fetched file failed a check: why, in words."""


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Redirects followed only within the site's own origin (scheme, host and port)."""

    def __init__(self, origin: tuple[str, str, int | None]) -> None:
        self.origin = origin

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        target = urljoin(req.full_url, newurl)
        if _origin(target) != self.origin:
            raise _Refused(f"redirected to another site, {target[:200]}")
        return super().redirect_request(req, fp, code, msg, headers, target)


@dataclass
class _Fetched:
    path: Path
    size: int
    kind: str  # the Content-Type the site sent ("" when none)


class _Site:
    """The published site, read within the limits of one restore."""

    def __init__(self, base: str, limits: Limits, work: Path) -> None:
        self.base, self.limits = base, limits
        self.opener = urllib.request.build_opener(_SameOrigin(_origin(base)))
        self.deadline = time.monotonic() + limits.restore_timeout
        self.budget = limits.restore_mib * 2**20
        self.files = 0
        self.work = work / "restore"
        self.work.mkdir(parents=True, exist_ok=True)

    def fail(self, name: str, reason: str) -> RestoreFailed:
        return RestoreFailed(_failed(self.base, name, reason))

    def fetch(self, name: str, limit: int = FILE_BYTES) -> _Fetched | None:
        """`name` under the site's address, streamed into the temp folder; None when the site has none (404, 410)."""
        self.files += 1
        if self.files > self.limits.restore_files:
            raise self.fail(name, f"more than {self.limits.restore_files:,} files to fetch (limits.restore_files)")
        target = self.work / str(self.files)
        try:
            received, kind = self._download(name, target, min(limit, self.budget))
        except urllib.error.HTTPError as exc:
            if exc.code in (404, 410):
                return None
            raise self.fail(name, f"HTTP {exc.code} {str(exc.reason)[:100]}") from None
        except _Refused as exc:
            raise self.fail(name, str(exc)) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise self.fail(name, str(reason)[:200] or type(exc).__name__) from None
        self.budget -= received
        return _Fetched(target, received, kind)

    def _left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Refused(f"not done within {self.limits.restore_timeout:,} s (limits.restore_timeout)")
        return left

    def _download(self, name: str, target: Path, limit: int) -> tuple[int, str]:
        request = urllib.request.Request(
            self.base + name, headers={"Accept-Encoding": "identity", "User-Agent": "lunar-report restore"}
        )
        with self.opener.open(request, timeout=min(READ_TIMEOUT, self._left())) as response:
            if response.status != 200:
                raise _Refused(f"HTTP {response.status} instead of 200")
            announced = _length(response.headers.get("Content-Length"))
            too_big = self._too_big(limit)
            if announced is not None and announced > limit:
                raise _Refused(too_big)
            received = 0
            with target.open("wb") as sink:
                while chunk := response.read1(CHUNK):
                    received += len(chunk)
                    if received > limit:
                        raise _Refused(too_big)
                    self._left()
                    sink.write(chunk)
            if announced is not None and received != announced:
                raise _Refused(f"cut short: {received:,} of the {announced:,} bytes announced arrived")
            return received, str(response.headers.get("Content-Type", "")).split(";")[0].strip().lower()

    def _too_big(self, limit: int) -> str:
        if limit == self.budget:  # (what is left of the byte cap, below the file's own bound)
            return f"more than {self.limits.restore_mib:,} MiB in all (limits.restore_mib)"
        return f"larger than {limit // 2**20} MiB"


def _length(header: str | None) -> int | None:
    if header is None:
        return None
    if not header.strip().isdigit():
        raise _Refused(f"a Content-Length of {header[:40]!r}")
    return int(header)


def _failed(base: str, name: str, reason: str) -> str:
    return (
        f"--restore-from {base}: {name}: {reason}; nothing was restored or rendered, so the published history is "
        f"not replaced. Run again when the site is repaired (redeploy it from a good copy of the output folder), "
        f"or render without --restore-from to start a new history"
    )


def _check(fetched: _Fetched, file: str, edition: editions.Edition | None) -> str:
    """'' when a fetched edition file is what the ledger says it is, else why not."""
    extension = file.rsplit(".", 1)[-1]
    if edition is not None and file in edition.sizes and fetched.size != edition.sizes[file]:
        return f"{fetched.size:,} bytes where the ledger records {edition.sizes[file]:,}"
    with fetched.path.open("rb") as stream:
        head = stream.read(4096)
    if extension in MAGIC and not head.startswith(MAGIC[extension]):
        return f"not a {extension.upper()} file (an error page served as one?)"
    if extension != "html" and fetched.kind == "text/html":
        return f"served as text/html, not a {extension.upper()} file (an error page served as one?)"
    if edition is not None and file in edition.sha256:
        if _file_digest(fetched.path) != edition.sha256[file]:
            return "its sha256 is not the one the ledger records"
    elif extension == "html" and EDITION_PAGE not in fetched.path.read_bytes():
        return "not an edition page (an error page served as one?)"
    return ""


def _file_digest(path: Path) -> str:
    import hashlib

    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _local_editions(out: Path) -> list[str]:
    folder = out / editions.EDITIONS_DIR
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(entry.name for entry in folder.iterdir() if editions.EDITION_ID.fullmatch(entry.name))


def restore(out: Path, url: str, limits: Limits, work: Path) -> int:
    """Fetch the site's ledger, editions and data tables into `out` unless it has a ledger or edition folders;
    the editions restored. `work`: the run's temporary folder (downloads wait there until all passed)."""
    base = _base(url)
    if (out / editions.LEDGER).exists():
        return 0
    local = _local_editions(out)
    if local:
        LOG.warning(
            f"note: {out / editions.EDITIONS_DIR} holds {len(local)} edition folders but no ledger: it is rebuilt "
            f"from them, and nothing is fetched from {base} (local editions are never replaced)"
        )
        return 0
    site = _Site(base, limits, work)
    try:
        return _restore(out, base, site)
    finally:
        shutil.rmtree(site.work, ignore_errors=True)


def _restore(out: Path, base: str, site: _Site) -> int:
    fetched = site.fetch(editions.LEDGER, editions.LEDGER_BYTES)
    if fetched is None:
        LOG.warning(f"note: {base}{editions.LEDGER} does not exist: no published history to restore")
        return 0
    try:
        ledger = editions.parse_ledger(fetched.path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise site.fail(editions.LEDGER, f"not an editions ledger ({str(exc).splitlines()[0]})") from None
    count = sum(len(history) for history in ledger.reports.values())
    every = [e for history in ledger.reports.values() for e in history]
    wanted = 1 + sum(len(e.files) for e in every) + len({sha for e in every for sha in e.data.values()})
    wanted += len({e.dataset for e in every if e.dataset})  # (each data edition's package; its files counted later)
    if wanted > site.limits.restore_files:
        raise site.fail(
            editions.LEDGER,
            f"it lists {wanted:,} files to fetch, more than {site.limits.restore_files:,} (limits.restore_files)",
        )
    unit = Commit(out)
    tables: set[str] = set()
    for name, history in ledger.reports.items():
        for number, edition in enumerate(history):
            present = []
            for file in edition.files:
                where = f"{edition.folder}/{file}"
                got = site.fetch(where)
                if got is None:
                    continue
                problem = _check(got, file, edition)
                if problem:
                    raise site.fail(where, problem)
                unit.copy(where, got.path)
                present.append(file)
            kept = replace(edition, files=present, sha256=dict(edition.sha256), sizes=dict(edition.sizes))
            for file in present:  # recorded from now on (a ledger of format 2 has no digests)
                copy = unit.copies[f"{edition.folder}/{file}"]
                kept.sha256.setdefault(file, _file_digest(copy))
                kept.sizes.setdefault(file, copy.stat().st_size)
            history[number] = kept
            unit.write(f"{edition.folder}/{editions.RECORD}", editions.record_bytes(name, kept))
            tables |= set(edition.data.values())
    for sha in sorted(tables):
        where = f"{editions.DATA_DIR}/{sha}.csv"
        if (out / where).exists():
            continue  # a table kept locally is never replaced
        got = site.fetch(where)
        if got is None:
            continue
        if got.kind == "text/html" or _file_digest(got.path) != sha:
            raise site.fail(where, "its content does not match its digest")
        unit.copy(where, got.path)
    for version in sorted({e.dataset for e in every if e.dataset}):
        _restore_dataset(out, site, unit, version)
    ledger.combined = {}
    unit.write(editions.LEDGER, editions.ledger_bytes(ledger))
    clash = sorted(name for name in unit.names() if (out / name).exists() or (out / name).is_symlink())
    if clash:  # (edition folders were checked above; this holds whatever else appeared meanwhile)
        raise site.fail(clash[0], "it exists here already, and a local file is never replaced")
    unit.apply()
    LOG.warning(f"note: restored {count} editions of {len(ledger.reports)} reports from {base}")
    return count


def _restore_dataset(out: Path, site: _Site, unit: Commit, version: str) -> None:
    """Stage the data edition `version` (data/<version>/): its package, then every file it lists, each checked
    against the sha256 and size the package records. A local folder of that name is kept and nothing is fetched;
    a site without the package has no such data edition (nothing to restore)."""
    folder = f"{DATA_EDITIONS}/{version}"  # (the ledger's check made `version` a plain folder name)
    if (out / folder).exists() or (out / folder).is_symlink():
        return  # a data edition kept locally is never replaced
    where = f"{folder}/{PACKAGE}"
    got = site.fetch(where, PACKAGE_BYTES)
    if got is None:
        return
    try:
        listed = _listed(got.path.read_bytes(), version)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise site.fail(where, f"not the data package of data edition {version} ({reason})") from None
    if site.files + len(listed) > site.limits.restore_files:
        raise site.fail(
            where,
            f"it lists {len(listed):,} files; with those fetched before, more than "
            f"{site.limits.restore_files:,} (limits.restore_files)",
        )
    total = sum(size for _, size in listed.values())
    if total > site.budget:
        raise site.fail(
            where,
            f"it lists {total:,} bytes; with those fetched before, more than {site.limits.restore_mib:,} MiB in all "
            f"(limits.restore_mib)",
        )
    unit.copy(where, got.path)
    for name, (sha, size) in listed.items():
        file = f"{folder}/{name}"
        fetched = site.fetch(file)
        if fetched is None:
            raise site.fail(file, f"listed in {where}, but the site does not have it")
        if fetched.size != size:
            raise site.fail(file, f"{fetched.size:,} bytes where {where} records {size:,}")
        if _file_digest(fetched.path) != sha:
            raise site.fail(file, f"its sha256 is not the one {where} records")
        unit.copy(file, fetched.path)


def _listed(content: bytes, version: str) -> dict[str, tuple[str, int]]:
    """The files a data package lists (its `resources` and its SQLite file), each with its sha256 and size;
    ValueError when the package is not one of data edition `version`."""
    package = json.loads(content.decode("utf-8"))
    if not isinstance(package, dict):
        raise ValueError("not a JSON object")
    if package.get("version") != version:
        raise ValueError(f"its version is not {version}")
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        raise ValueError("no list of resources")
    entries = [*resources, *([package["sqlite"]] if "sqlite" in package else [])]
    listed: dict[str, tuple[str, int]] = {}
    for number, entry in enumerate(entries):
        at = f"resources[{number}]" if number < len(resources) else "sqlite"
        if not isinstance(entry, dict):
            raise ValueError(f"{at}: not a resource")
        path, sha, size = entry.get("path"), entry.get("hash"), entry.get("bytes")
        if not isinstance(path, str) or len(path) > 100 or not _DATA_NAME.fullmatch(path) or path == PACKAGE:
            raise ValueError(f"{at}.path: not a file name in the folder")
        if path in listed:
            raise ValueError(f"{at}.path: {path} is listed twice")
        found = _HASH.fullmatch(sha) if isinstance(sha, str) else None
        if found is None:
            raise ValueError(f"{at}.hash: not sha256:<64 hex digits>")
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= FILE_BYTES:
            raise ValueError(f"{at}.bytes: not a size in bytes of at most {FILE_BYTES // 2**20} MiB")
        listed[path] = (found.group(1), size)
    return listed
