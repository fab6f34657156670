"""Editions: every distinct rendering of a report is kept, with the data it was computed from.

Layout in the output folder::

    editions/editions.json                       the ledger: per report, its editions, newest first
    editions/editions.json.bak                   the ledger before its last change
    editions/<as_of>-<short id>/<name>.html|pdf  one edition of one report (its permanent address)
    editions/<as_of>-<short id>/edition.json     its own record, from which the ledger can be rebuilt
    editions/data/<sha256>.csv                   the data tables editions read, stored once per content

An edition is identified by its inputs (the report's fingerprint over notebook, parameters,
as-of date, data files read, code and environment) and by the edition it is compared with, since
its "What changed" section depends on both: the same two give the same id and the same bytes.
A render whose inputs equal the newest edition's (e.g. `--force`) re-renders that edition;
"the previous edition" is always the newest one whose inputs differ. Retention keeps the
current edition and `keep` earlier ones per report, and removes only editions the ledger
records: an unreadable ledger stops the run, and `repair` rebuilds it from the folders.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from contextlib import suppress
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from ...errors import LedgerError
from ...facts.text import TITLE_LENGTH, UNSAFE_LINE, unsafe_character
from ..config.reports import NAME_PATTERN
from .changes import Changes, Snapshot, describe
from .commit import Commit
from .fingerprint import Inputs

EDITIONS_DIR = "editions"
LEDGER = f"{EDITIONS_DIR}/editions.json"
LEDGER_BACKUP = f"{LEDGER}.bak"
RECORD = "edition.json"
DATA_DIR = f"{EDITIONS_DIR}/data"
FORMAT = 3  # 2: each edition names the edition it was compared with, and keeps its record in its folder;
# 3: each edition records the sha256 and size of each of its files (a restore checks what a site serves)
DEFAULT_KEEP = 10
EDITION_ID = re.compile(r"\d{4}-\d{2}-\d{2}-[0-9a-f]{10}")  # (always matched whole: fullmatch)
_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\.(html|pdf)")
_SHA = re.compile(r"[0-9a-f]{64}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATASET = re.compile(r"(\d{4}(-\d{2}){0,2}|undated)-[0-9a-f]{10}")  # a data edition's folder under data/
_DATA_FILE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")
LEDGER_BYTES = 64 * 2**20  # a ledger of 1,000 reports with 10 editions each is a few MiB
DEPTH = 32  # nesting of JSON arrays and objects in a ledger or a record (it needs 5)
TEXT_LENGTH = 2000  # characters of one line of "What changed", a figure or a method digest


@dataclass
class Edition:
    """One rendering of one report: where it lives, what it was computed from, what changed."""

    id: str  # <as_of>-<10 hex>: its folder under editions/
    as_of: str
    title: str
    inputs: str  # fingerprint of every input, formats aside
    files: list[str] = field(default_factory=list)  # e.g. timeline.html, timeline.pdf (in its folder)
    data: dict[str, str] = field(default_factory=dict)  # data file read (relative to the data folder) -> sha256
    figures: dict[str, str] = field(default_factory=dict)
    method: dict[str, str] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)  # the "What changed" sentence and items, plain text
    previous: str = ""  # id of the edition it was compared with ("" for a first edition)
    dataset: str = ""  # version of the data edition it was computed from (data/<version>/), "" when not recorded
    sha256: dict[str, str] = field(default_factory=dict)  # file -> its digest, as written (format 3)
    sizes: dict[str, int] = field(default_factory=dict)  # file -> its size in bytes, as written (format 3)

    @property
    def folder(self) -> str:
        return f"{EDITIONS_DIR}/{self.id}"

    def snapshot(self) -> Snapshot:
        return Snapshot(self.as_of, self.data, self.figures, self.method)


@dataclass
class Ledger:
    """Every report's editions (newest first) and what the combined PDF was last built from."""

    reports: dict[str, list[Edition]] = field(default_factory=dict)
    combined: dict[str, Any] = field(default_factory=dict)

    def history(self, name: str) -> tuple[Edition, ...]:
        return tuple(self.reports.get(name, ()))


@dataclass(frozen=True)
class Draft:
    """An edition as a render computed it (in its worker), before its files are written."""

    name: str
    edition: Edition
    previous: Edition | None
    new: bool  # False: the newest edition rendered again from the same inputs
    tables: dict[str, bytes]  # sha256 -> the bytes of each CSV file read, to keep

    @property
    def changes(self) -> Changes:
        return Changes(self.edition.changes[0], tuple(self.edition.changes[1:]))


class Invalid(ValueError):
    """A ledger or record that does not have the ledger's shape: `where` names the entry and the field."""


def parse_ledger(text: str) -> Ledger:
    """The ledger from its JSON (format 1 to 3), its every field checked; Invalid (a ValueError) otherwise."""
    raw = _json(text)
    version = raw.get("format") if isinstance(raw, dict) else None
    if isinstance(version, bool) or not isinstance(version, int) or version not in MIGRATIONS:
        raise Invalid(f"unknown format {_shown(version)}")
    unknown = sorted(set(raw) - {"format", "reports", "combined"})
    if unknown:
        raise Invalid(f"unknown field {_shown(unknown[0])}")
    if not isinstance(raw.get("reports"), dict):
        raise Invalid("reports: not a table of report names")
    for name, history in raw["reports"].items():
        if not NAME_PATTERN.fullmatch(name) or len(name) > TITLE_LENGTH:
            raise Invalid(f"reports.{_shown(name)}: not a report name (letters, digits, - and _)")
        if not isinstance(history, list) or not all(isinstance(e, dict) for e in history):
            raise Invalid(f"reports.{name}: not a list of editions")
    raw = MIGRATIONS[raw["format"]](raw)
    reports = {n: [_edition(e, f"reports.{n}[{i}]") for i, e in enumerate(h)] for n, h in raw["reports"].items()}
    for name, history in reports.items():
        ids = [e.id for e in history]
        if len(set(ids)) != len(ids):
            raise Invalid(f"reports.{name}: an edition is listed twice")
    combined = raw.get("combined", {})
    if not isinstance(combined, dict) or not set(combined) <= {"inputs", "sha256"}:
        raise Invalid("combined: not a record of the combined PDF")
    if not isinstance(combined.get("sha256", ""), str):
        raise Invalid("combined.sha256: not a digest")
    return Ledger(reports, dict(combined))


def _json(text: str) -> Any:
    """Parsed JSON, its nesting bounded first (a 100,000-deep array would exhaust the stack)."""
    if len(text) > LEDGER_BYTES:
        raise Invalid(f"larger than {LEDGER_BYTES // 2**20} MiB")
    depth = deepest = 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{\]}]', text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > DEPTH:
                raise Invalid(f"nested more than {DEPTH} deep")
        elif mark in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise Invalid(str(exc).splitlines()[0] if str(exc) else "not JSON") from None


def _shown(value: Any) -> str:
    """A value as a message shows it: repr, at most 60 characters (a message echoes no megabyte)."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _text(value: Any, where: str, length: int = TEXT_LENGTH, lines: bool = False) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{where}: not a text (got {type(value).__name__})")
    if len(value) > length:
        raise Invalid(f"{where}: {len(value)} characters; at most {length}")
    bad = unsafe_character(value, lines)
    if bad:
        raise Invalid(f"{where}: {bad}")
    return value


def _matching(value: Any, pattern: re.Pattern[str], where: str, what: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise Invalid(f"{where}: not {what} (got {_shown(value)})")
    return value


def _day(value: Any, where: str) -> str:
    _matching(value, _DAY, where, "a date YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{where}: not a date (got {_shown(value)})") from None
    return str(value)


def _table(value: Any, where: str, key: re.Pattern[str], check: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"{where}: not a table (got {type(value).__name__})")
    for name, item in value.items():
        if not key.fullmatch(name) or ".." in name.split("/") or len(name) > TITLE_LENGTH:
            raise Invalid(f"{where}: not a name there: {_shown(name)}")
        check(item, f"{where}.{name}")
    return dict(value)


def _size(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise Invalid(f"{where}: not a size in bytes (got {_shown(value)})")
    return value


_ANY_KEY = re.compile(r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]{1,300}")


def _edition(raw: Any, where: str = "the edition") -> Edition:
    """An edition from its record, every field checked (types, id and date formats, names, clean text)."""
    if not isinstance(raw, dict):
        raise Invalid(f"{where}: not an edition record")
    known = {f.name for f in fields(Edition)}
    unknown = sorted(set(raw) - known)
    missing = sorted({"id", "as_of", "title", "inputs"} - set(raw))
    if unknown or missing:
        raise Invalid(f"{where}: {'unknown' if unknown else 'missing'} field {(unknown or missing)[0]!r}")
    at = f"{where}.{{}}"
    files = raw.get("files", [])
    if not isinstance(files, list):
        raise Invalid(at.format("files") + f": not a list of file names (got {type(files).__name__})")
    changes = raw.get("changes", [])
    if not isinstance(changes, list):
        raise Invalid(at.format("changes") + f": not a list of texts (got {type(changes).__name__})")
    edition = Edition(
        id=_matching(raw["id"], EDITION_ID, at.format("id"), "an edition id YYYY-MM-DD-<10 hex>"),
        as_of=_day(raw["as_of"], at.format("as_of")),
        title=_text(raw["title"], at.format("title"), TITLE_LENGTH),
        inputs=_text(raw["inputs"], at.format("inputs"), 128),
        files=[_matching(f, _FILE, f"{at.format('files')}[{i}]", "a report file name") for i, f in enumerate(files)],
        data=_table(raw.get("data", {}), at.format("data"), _DATA_FILE, lambda v, w: _matching(v, _SHA, w, "a sha256")),
        figures=_table(raw.get("figures", {}), at.format("figures"), _ANY_KEY, _text),
        method=_table(raw.get("method", {}), at.format("method"), _ANY_KEY, _text),
        changes=[_text(c, f"{at.format('changes')}[{i}]", lines=True) for i, c in enumerate(changes)],
        previous=raw.get("previous", ""),
        dataset=raw.get("dataset", ""),
        sha256=_table(
            raw.get("sha256", {}), at.format("sha256"), _FILE, lambda v, w: _matching(v, _SHA, w, "a sha256")
        ),
        sizes=_table(raw.get("sizes", {}), at.format("sizes"), _FILE, _size),
    )
    _day(edition.id[:10], at.format("id"))
    if edition.previous != "":
        _matching(edition.previous, EDITION_ID, at.format("previous"), "an edition id")
    if edition.dataset != "":
        _matching(edition.dataset, _DATASET, at.format("dataset"), "a data edition's version")
    if len(set(edition.files)) != len(edition.files):
        raise Invalid(at.format("files") + ": a file is listed twice")
    return edition


def _from_format_1(raw: dict[str, Any]) -> dict[str, Any]:
    """Format 1 had no `previous` per edition: the one after it in the report's history, when kept."""
    for history in raw["reports"].values():
        for newer, older in zip(history, [*history[1:], None], strict=True):
            newer.setdefault("previous", older.get("id", "") if older else "")
    return raw


MIGRATIONS = {
    1: _from_format_1,
    2: lambda raw: raw,
    FORMAT: lambda raw: raw,
}  # the formats this code reads, to the current one


def load_ledger(out: Path) -> Ledger | None:
    """The ledger of `out`; None when there is none. LedgerError when it cannot be read: nothing may be deleted then."""
    try:
        text = (out / LEDGER).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise LedgerError(_unreadable(out, str(getattr(exc, "strerror", None) or exc))) from None
    try:
        return parse_ledger(text)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise LedgerError(_unreadable(out, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)) from None


def _unreadable(out: Path, reason: str) -> str:
    return (
        f"{out / LEDGER}: cannot read the editions ledger ({reason}); nothing was written or removed. "
        f"Rebuild it from the edition folders with `lunar-report editions repair --out {out}`"
    )


def ledger_bytes(ledger: Ledger) -> bytes:
    """The ledger as written: sorted keys, so the same ledger gives the same bytes."""
    body = {
        "format": FORMAT,
        "reports": {n: [asdict(e) for e in ledger.reports[n]] for n in sorted(ledger.reports) if ledger.reports[n]},
        "combined": ledger.combined,
    }
    return (json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def stage_ledger(out: Path, ledger: Ledger, commit: Commit) -> None:
    """Add the ledger to `commit`, with the ledger it replaces kept as editions.json.bak."""
    content = ledger_bytes(ledger)
    try:
        previous = (out / LEDGER).read_bytes()
    except OSError:
        previous = b""
    if previous and previous != content:
        commit.write(LEDGER_BACKUP, previous)
    commit.write(LEDGER, content)


def save_ledger(out: Path, ledger: Ledger) -> bool:
    """Write the ledger as one commit (the previous one kept as a backup); False when it was already the same."""
    commit = Commit(out)
    stage_ledger(out, ledger, commit)
    return LEDGER in commit.apply()


def record_bytes(name: str, edition: Edition) -> bytes:
    """The edition's own record, kept in its folder (edition.json) so the ledger can be rebuilt from the folders."""
    body = {"format": FORMAT, "name": name, **asdict(edition)}
    return (json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def present_files(out: Path, edition: Edition) -> list[str]:
    """The edition's files that are on disk: the site and the feed link nothing else."""
    return [f for f in edition.files if (out / edition.folder / f).is_file()]


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _stored_table(out: Path, sha: str) -> bytes | None:
    """The stored table with this digest; None when it is missing or its bytes were changed."""
    try:
        content = (out / DATA_DIR / f"{sha}.csv").read_bytes()
    except OSError:
        return None
    return content if digest(content) == sha else None


def draft(
    out: Path,
    name: str,
    title: str,
    as_of: str,
    inputs: str,
    history: tuple[Edition, ...],
    data: dict[str, bytes],
    figures: dict[str, str],
    method: dict[str, str],
) -> Draft:
    """The edition this render makes (or renders again), with its changes since the previous edition.

    `data` holds the bytes of every data file the report read, by its path relative to the data folder.
    """
    digests = {file: digest(content) for file, content in sorted(data.items())}
    newest = history[0] if history else None
    again = newest is not None and newest.inputs == inputs
    previous = (history[1] if len(history) > 1 else None) if again else newest
    short = digest(f"{inputs}:{previous.id if previous else ''}".encode())[:10]
    current = Snapshot(as_of, digests, dict(sorted(figures.items())), method)
    changes = describe(
        previous.snapshot() if previous else None,
        current,
        lambda file: _stored_table(out, previous.data[file]) if previous and file in previous.data else None,
        data.get,
    )
    edition = Edition(
        f"{as_of}-{short}", as_of, title, inputs, [], digests, current.figures, method, changes.lines(),
        previous.id if previous else "",
    )  # fmt: skip
    tables = {digests[f]: content for f, content in data.items() if f.endswith(".csv")}
    return Draft(name, edition, previous, not again, tables)


def edition_inputs(inputs: Inputs) -> str:
    """The fingerprint that identifies an edition: every input, whatever the formats rendered."""
    return inputs.fingerprint("edition")


def _digest_of(value: Any) -> str:
    return digest(json.dumps(value, sort_keys=True, default=str).encode())[:16]


def method_digests(inputs: Inputs) -> dict[str, str]:
    """Digests of how a report is made, part by part, so a change can be named ("the notebook")."""
    config = {k: v for k, v in inputs.config.items() if k != "site"}
    parameters = {k: v for k, v in inputs.parameters.items() if k != "as_of"}
    return {
        "notebook": inputs.notebook[:16],
        "configuration": _digest_of([config, parameters, inputs.include_code]),
        "code": inputs.environment.get("code", "")[:16],
        "environment": _digest_of({k: v for k, v in inputs.environment.items() if k != "code"}),
        "site": _digest_of(inputs.config.get("site", [])),
    }


def publish(out: Path, ledger: Ledger, draft: Draft, files: list[str], commit: Commit, dataset: str = "") -> Edition:
    """Record a rendered edition (computed from the data edition `dataset`) in the ledger; add its data tables and
    its record to `commit`."""
    for sha, content in draft.tables.items():
        if _stored_table(out, sha) is None:  # missing, or damaged since
            commit.write(f"{DATA_DIR}/{sha}.csv", content)
    history = list(ledger.history(draft.name))
    edition = replace(draft.edition, files=sorted(set(files)), dataset=dataset)
    if not draft.new and history and history[0].id == edition.id:
        edition.files = sorted(set(history[0].files) | set(files))
        edition.sha256, edition.sizes = dict(history[0].sha256), dict(history[0].sizes)
    else:
        edition.sha256, edition.sizes = {}, {}
    for file in files:  # what the ledger records of each file, so a restore can check what a site serves
        written = commit.files.get(f"{edition.folder}/{file}")
        if written is None:
            with suppress(OSError):
                written = (out / edition.folder / file).read_bytes()
        if written is not None:
            edition.sha256[file], edition.sizes[file] = digest(written), len(written)
    if not draft.new and history:
        history[0] = edition
    else:
        history.insert(0, edition)
    ledger.reports[draft.name] = history
    commit.write(f"{edition.folder}/{RECORD}", record_bytes(draft.name, edition))
    return edition


def prune(ledger: Ledger, keep: int) -> list[Edition]:
    """Keep each report's current edition and `keep` (at least 1) earlier ones in the ledger; the editions dropped.

    The current page links the edition before it, so that one is always kept.
    """
    dropped = []
    for name, history in ledger.reports.items():
        dropped += history[max(keep, 1) + 1 :]
        ledger.reports[name] = history[: max(keep, 1) + 1]
    kept = {e.id for history in ledger.reports.values() for e in history}
    return [e for e in dropped if e.id not in kept]


def remove_editions(out: Path, ledger: Ledger, dropped: list[Edition]) -> list[str]:
    """Remove the folders of editions `prune` dropped (once the ledger without them is written) and their tables.

    Only what the ledger recorded is removed: an edition folder or table it does not know stays.
    """
    used = {sha for history in ledger.reports.values() for e in history for sha in e.data.values()}
    removed = []
    for edition in dropped:
        folder = out / edition.folder
        if folder.is_dir() and not folder.is_symlink():
            for file in [*edition.files, RECORD]:
                (folder / file).unlink(missing_ok=True)
            with suppress(OSError):
                folder.rmdir()  # only when nothing else is in it
            removed.append(edition.id)
        for sha in set(edition.data.values()) - used:
            if _SHA.fullmatch(sha):
                (out / DATA_DIR / f"{sha}.csv").unlink(missing_ok=True)
    return removed


def _title(page: Path) -> str:
    """The page's <title>, as clean one-line text of at most TITLE_LENGTH characters (else the file's stem)."""
    found = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8", errors="replace"), re.S)
    title = " ".join(UNSAFE_LINE.sub(" ", html.unescape(found.group(1))).split()) if found else ""
    return title[:TITLE_LENGTH] or page.stem


def _found(folder: Path, known: dict[str, tuple[str, Edition]]) -> tuple[str, Edition] | None:
    """The report and edition a folder holds: its record, else the ledger backup's, else what its files say."""
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink() and _FILE.fullmatch(p.name))
    try:
        raw = _json((folder / RECORD).read_text(encoding="utf-8"))
        name = raw.pop("name")
        raw.pop("format", None)
        edition = _edition(raw, f"{folder / RECORD}")
        if edition.id == folder.name and isinstance(name, str) and NAME_PATTERN.fullmatch(name):
            return name, replace(edition, files=files, **_verified(folder, files))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    if folder.name in known:
        name, edition = known[folder.name]
        return name, replace(edition, files=files, **_verified(folder, files))
    names = sorted({f.rsplit(".", 1)[0] for f in files})
    if len(names) != 1 or len(names[0]) > TITLE_LENGTH:
        return None
    try:
        _day(folder.name[:10], folder.name)
    except Invalid:
        return None
    html_file = folder / f"{names[0]}.html"
    title = _title(html_file) if html_file.is_file() else names[0]
    return names[0], Edition(folder.name, folder.name[:10], title, "", files, **_verified(folder, files))


def _verified(folder: Path, files: list[str]) -> dict[str, Any]:
    """The digests and sizes of the edition's files as they are on disk (a record of format 2 has none)."""
    sha256: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for file in files:
        try:
            content = (folder / file).read_bytes()
        except OSError:
            continue
        sha256[file], sizes[file] = digest(content), len(content)
    return {"sha256": sha256, "sizes": sizes}


def _order(history: list[Edition]) -> list[Edition]:
    """Newest first: by as-of date, then by how many kept editions lie before it on its chain of `previous`."""
    by_id = {e.id: e for e in history}

    def depth(edition: Edition) -> int:
        seen = {edition.id}
        while edition.previous in by_id and edition.previous not in seen:
            edition = by_id[edition.previous]
            seen.add(edition.id)
        return len(seen)

    return sorted(history, key=lambda e: (e.as_of, depth(e), e.id), reverse=True)


def rebuild(out: Path) -> Ledger:
    """The ledger rebuilt from the edition folders (their records), helped by the backup ledger when readable."""
    known: dict[str, tuple[str, Edition]] = {}
    with suppress(OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError):
        backup = parse_ledger((out / LEDGER_BACKUP).read_text(encoding="utf-8"))
        known = {e.id: (n, e) for n, history in backup.reports.items() for e in history}
    reports: dict[str, list[Edition]] = {}
    folder = out / EDITIONS_DIR
    for entry in sorted(folder.iterdir()) if folder.is_dir() and not folder.is_symlink() else []:
        if entry.is_dir() and not entry.is_symlink() and EDITION_ID.fullmatch(entry.name):
            found = _found(entry, known)
            if found is not None:
                reports.setdefault(found[0], []).append(found[1])
    return Ledger({name: _order(history) for name, history in reports.items()})


def set_aside(out: Path) -> Path | None:
    """Move an unreadable ledger aside (editions.json.damaged-N), never deleting it; where it went."""
    ledger = out / LEDGER
    if not ledger.exists():
        return None
    number = 1
    while (aside := ledger.with_name(f"{ledger.name}.damaged-{number}")).exists():
        number += 1
    ledger.rename(aside)
    return aside


def is_kept(out: Path, ledger: Ledger, name: str, inputs: str | None = None) -> bool:
    """Whether the report's newest edition (with these inputs, if given) has all its files on disk."""
    history = ledger.history(name)
    if not history or (inputs is not None and history[0].inputs != inputs):
        return False
    return all((out / history[0].folder / f).is_file() for f in history[0].files)
