"""Editions: every distinct rendering of a report is kept, with the data it was computed from.

Layout in the output folder::

    editions/editions.json                       the ledger: per report, its editions, newest first
    editions/<as_of>-<short id>/<name>.html|pdf  one edition of one report (its permanent address)
    editions/data/<sha256>.csv                   the data tables editions read, stored once per content

An edition is identified by its inputs (the report's fingerprint over notebook, parameters,
as-of date, data files read, code and environment) and by the edition it is compared with, since
its "What changed" section depends on both: the same two give the same id and the same bytes.
A render whose inputs equal the newest edition's (e.g. `--force`) re-renders that edition;
"the previous edition" is always the newest one whose inputs differ. Retention keeps the
current edition and `keep` earlier ones per report; tables no edition refers to are removed.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .atomic import write_if_changed
from .changes import Changes, Snapshot, describe
from .fingerprint import Inputs

EDITIONS_DIR = "editions"
LEDGER = f"{EDITIONS_DIR}/editions.json"
DATA_DIR = f"{EDITIONS_DIR}/data"
FORMAT = 1
DEFAULT_KEEP = 10
_EDITION_ID = re.compile(r"^\d{4}-\d{2}-\d{2}-[0-9a-f]{10}$")
_BLOB = re.compile(r"^[0-9a-f]{64}\.csv$")


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


def load_ledger(out: Path) -> Ledger:
    """The ledger of `out`; empty when there is none or it is unreadable (editions then start afresh)."""
    try:
        raw = json.loads((out / LEDGER).read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            return Ledger()
        reports = {str(n): [Edition(**e) for e in editions] for n, editions in raw["reports"].items()}
        return Ledger(reports, dict(raw.get("combined", {})))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Ledger()


def save_ledger(out: Path, ledger: Ledger) -> bool:
    """Write the ledger atomically; False when its content was already the same."""
    body = {
        "format": FORMAT,
        "reports": {n: [asdict(e) for e in ledger.reports[n]] for n in sorted(ledger.reports) if ledger.reports[n]},
        "combined": ledger.combined,
    }
    text = json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    return write_if_changed(out / LEDGER, text.encode("utf-8"))


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _stored_table(out: Path, sha: str) -> bytes | None:
    try:
        return (out / DATA_DIR / f"{sha}.csv").read_bytes()
    except OSError:
        return None


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
    edition = Edition(f"{as_of}-{short}", as_of, title, inputs, [], digests, current.figures, method, changes.lines())
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


def publish(out: Path, ledger: Ledger, draft: Draft, files: list[str]) -> Edition:
    """Record a rendered edition in the ledger and keep its data tables (files already written)."""
    for sha, content in draft.tables.items():
        target = out / DATA_DIR / f"{sha}.csv"
        if not target.is_file():
            write_if_changed(target, content)
    history = list(ledger.history(draft.name))
    edition = replace(draft.edition, files=sorted(set(files)))
    if not draft.new and history:
        if history[0].id == edition.id:
            edition.files = sorted(set(history[0].files) | set(files))
        history[0] = edition
    else:
        history.insert(0, edition)
    ledger.reports[draft.name] = history
    return edition


def prune(out: Path, ledger: Ledger, keep: int) -> list[str]:
    """Keep each report's current edition and `keep` (at least 1) earlier ones; remove the rest and unused tables.

    The current page links the edition before it, so that one is always kept. Returns the folders
    removed. Only folders and files named as editions and tables are touched.
    """
    for name, history in ledger.reports.items():
        ledger.reports[name] = history[: max(keep, 1) + 1]
    kept_ids = {e.id for history in ledger.reports.values() for e in history}
    used = {sha for history in ledger.reports.values() for e in history for sha in e.data.values()}
    removed = []
    editions = out / EDITIONS_DIR
    if editions.is_dir():
        for folder in sorted(editions.iterdir()):
            if folder.is_dir() and _EDITION_ID.match(folder.name) and folder.name not in kept_ids:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
    tables = out / DATA_DIR
    if tables.is_dir():
        for table in tables.iterdir():
            if _BLOB.match(table.name) and table.name.removesuffix(".csv") not in used:
                table.unlink(missing_ok=True)
    return removed


def is_kept(out: Path, ledger: Ledger, name: str, inputs: str | None = None) -> bool:
    """Whether the report's newest edition (with these inputs, if given) has all its files on disk."""
    history = ledger.history(name)
    if not history or (inputs is not None and history[0].inputs != inputs):
        return False
    return all((out / history[0].folder / f).is_file() for f in history[0].files)


def keep_setting(config_file: Path | None) -> int | None:
    """`keep = N` at the top level of the report configuration, if set (ConfigError when it is not a count)."""
    import tomllib

    if config_file is None or not config_file.is_file():
        return None
    try:
        value = tomllib.loads(config_file.read_text(encoding="utf-8")).get("keep")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # reading the report set reports these
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(
            f"{config_file}: `keep` is the number of earlier editions kept per report: a whole number ≥ 1; got {value!r}."
        )
    return value
