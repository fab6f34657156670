"""Commit files into the output folder as one unit, like a database transaction.

Every file of a unit (a report's HTML, PDF, edition copies, manifest and ledger; or the site's
pages) is first written into a staging folder inside the output folder; then a journal naming
them is renamed into place, the commit point; then each staged file is renamed over its target
(the replaced file kept as a hard link in the staging folder until the unit is done). Signals
are deferred meanwhile. A run killed before the commit point leaves a staging folder without a
journal, which the next run removes (rolled back); one killed after it leaves the journal, and
the next run completes the renames (rolled forward). A failure while renaming (a file made
immutable, a folder in the way) puts the replaced files back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...errors import Interrupted, UsageError
from ..base.atomic import check_target, same_content, write_atomically
from ..base.signals import stop_signals_to

STAGING = ".lunar-report-commit"
JOURNAL = "journal.json"
_SAFE_PART = re.compile(r"^[A-Za-z0-9_.-]+$")


def _step(name: str) -> None:
    """A point between two steps of a commit (tests stop a commit here to check what the next run finds)."""


def _safe(name: str) -> bool:
    parts = name.split("/")
    return all(_SAFE_PART.match(p) and p not in (".", "..") for p in parts)


@contextmanager
def deferred_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done, then interrupt (only the main thread has handlers)."""
    received: list[int] = []
    with stop_signals_to(lambda number, _frame: received.append(number)):
        yield
    if received:
        raise Interrupted(received[0], signal.Signals(received[0]).name)


class Commit:
    """The files (by path relative to the output folder) one unit writes and removes."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: dict[str, bytes] = {}
        self.copies: dict[str, Path] = {}  # name -> a file on disk (a verified download), copied in when applied
        self.removed: list[str] = []

    def write(self, name: str, content: bytes) -> None:
        self.files[name] = content

    def copy(self, name: str, source: Path) -> None:
        """Write `name` with the bytes of the file `source` (read when the commit is applied, not held in memory)."""
        self.copies[name] = source

    def remove(self, name: str) -> None:
        self.removed.append(name)

    def names(self) -> set[str]:
        """The files present once the commit is applied."""
        return (set(self.files) | set(self.copies)) - set(self.removed)

    def apply(self) -> list[str]:
        """Write the changed files and remove the listed ones as one unit; the names written."""
        for name in [*self.files, *self.copies, *self.removed]:
            if not _safe(name):
                raise ValueError(f"not a name inside the output folder: {name!r}")
            _check_folders(self.out, name)
            check_target(self.out / name)
        changed: dict[str, bytes | Path] = {n: c for n, c in self.files.items() if not same_content(self.out / n, c)}
        changed |= self.copies
        removed = [n for n in self.removed if (self.out / n).is_file() and n not in changed]
        if not changed and not removed:
            return []
        stage = self.out / STAGING
        with deferred_signals():
            stage.mkdir()
            try:
                entries = []
                for number, (name, content) in enumerate(changed.items()):
                    try:
                        if isinstance(content, Path):
                            _copy_durably(content, stage / str(number))
                        else:
                            write_atomically(stage / str(number), content)
                    except OSError as exc:  # named by the file the user knows, not by its staging copy
                        raise OSError(exc.errno, exc.strerror or str(exc), str(self.out / name)) from None
                    entries.append([str(number), name])
                _step("staged")
                write_atomically(stage / JOURNAL, json.dumps({"files": entries, "remove": removed}).encode())
            except Exception:
                shutil.rmtree(stage, ignore_errors=True)
                raise
            _step("journal")
            _complete(self.out, stage, {"files": entries, "remove": removed}, undo_on_error=True)
        return list(changed)


def _check_folders(out: Path, name: str) -> None:
    """UsageError when a folder on the way to `name` is a link or a file: nothing is written through a link."""
    folder = out
    for part in name.split("/")[:-1]:
        folder = folder / part
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise UsageError(f"--out {out}: {folder.relative_to(out)} is not a folder; move it away")


def _copy_durably(source: Path, target: Path) -> None:
    """Copy `source` to `target` and flush it to disk (as write_atomically does for bytes)."""
    with source.open("rb") as reader, target.open("wb") as writer:
        shutil.copyfileobj(reader, writer, 1024 * 1024)
        writer.flush()
        os.fsync(writer.fileno())
    os.chmod(target, 0o644)


def _complete(out: Path, stage: Path, journal: dict[str, Any], undo_on_error: bool = False) -> None:
    """Rename every staged file over its target and remove the listed files; then drop the staging folder."""
    done: list[tuple[str, str]] = []
    try:
        for number, name in journal["files"]:
            staged, target = stage / number, out / name
            if not staged.is_file():
                continue  # renamed before the run was stopped
            target.parent.mkdir(parents=True, exist_ok=True)
            kept = stage / f"{number}.replaced"
            if target.is_file() and not kept.exists():
                _keep(target, kept)
            os.replace(staged, target)
            done.append((number, name))
            _step(f"renamed {name}")
        for name in journal["remove"]:
            (out / name).unlink(missing_ok=True)
    except Exception:
        if undo_on_error:
            for number, name in reversed(done):
                kept = stage / f"{number}.replaced"
                if kept.is_file():
                    os.replace(kept, out / name)
                else:
                    (out / name).unlink(missing_ok=True)
            shutil.rmtree(stage, ignore_errors=True)
        raise
    _step("renamed")
    shutil.rmtree(stage)


def _keep(target: Path, kept: Path) -> None:
    """The file about to be replaced, kept (a hard link, else a copy) so a failed commit can put it back."""
    try:
        os.link(target, kept)
    except OSError:
        shutil.copy2(target, kept)


def recover(out: Path) -> str:
    """Finish or undo what a killed run left; "completed", "rolled back" or "" when nothing was pending."""
    stage = out / STAGING
    if stage.is_symlink() or (stage.exists() and not stage.is_dir()):
        stage.unlink()
        return "rolled back"
    if not stage.is_dir():
        return ""
    try:
        journal = json.loads((stage / JOURNAL).read_text(encoding="utf-8"))
        files, removed = journal["files"], journal["remove"]
        if not all(_safe(n) and str(i).isdigit() for i, n in files) or not all(_safe(n) for n in removed):
            raise ValueError("a name outside the output folder")
    except (OSError, ValueError, TypeError, KeyError):
        shutil.rmtree(stage)
        return "rolled back"
    with deferred_signals():
        _complete(out, stage, {"files": files, "remove": removed})
    return "completed"
