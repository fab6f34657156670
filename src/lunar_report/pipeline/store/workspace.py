"""Where a render works: the output folder, its lock, and one temporary folder per output folder.

An output folder is marked as lunar-report's on first use (a mark file, never published); a
folder that holds other files and no mark, the data folder or a folder holding it is refused, and
clean-up removes only names a render creates, in the folders it writes, never following a link.

Every temporary file of a render (executed notebooks, kernel connection files and sockets,
xelatex folders) lives under one folder named after the output folder, in the system's temp
directory. It is created and removed while the output folder's lock is held, so the next
render removes whatever a killed one left behind.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from ...errors import LockBusy, UsageError
from ..base import children, signals
from ..base.atomic import check_target, write_atomically
from . import commit
from .editions import EDITION_ID, LEDGER_BYTES, parse_ledger
from .preview_folders import remove_dead_previews

LOCK_NAME = ".lunar-report.lock"
PLACEHOLDERS = frozenset({".gitkeep", ".keep"})
MARK = ".lunar-report-output"  # "this folder is written by lunar-report": present in every output folder
MARK_TEXT = b"This folder is written by `lunar-report render`; it may replace or remove the files it made here.\n"
ADOPTED = ("manifest.json", "editions/editions.json")  # outputs of versions before the mark: the folder is ours
SITE_FILES = (
    "index.html", "build.html", "search.html", "search-index.js", "manifest.json", "editions.html", "feed.xml",
    "lunar-report.pdf", ".nojekyll",
)  # fmt: skip
SITE_FOLDERS = ("editions", "editions/data", "_failed", "data", "claims")  # (claims/: the claims' own pages)
WRITTEN_FOLDERS = ("", "_failed", "editions", "editions/data")  # besides each edition's folder
_PARTIAL = re.compile(r"^\.(.+\.[A-Za-z0-9_]+\.tmp|write-probe-[A-Za-z0-9_]+\.tmp)$")  # write_atomically, the probe


def prepare_out_dir(out_dir: Path, data_dir: Path | None = None) -> Path:
    """The output folder, created and marked as ours if needed; UsageError when it is not one we may write."""
    out = out_dir.expanduser().resolve()
    if data_dir is not None:
        data = data_dir.resolve()
        if data == out or data.is_relative_to(out) or out.is_relative_to(data):
            raise UsageError(f"--out {out_dir}: the data folder is {data}; give an output folder apart from it")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"--out {out_dir}: a file is in the way; give a folder") from None
    except (NotADirectoryError, PermissionError, OSError) as exc:
        raise UsageError(
            f"--out {out_dir}: cannot create the output folder ({exc.strerror}); give a writable folder"
        ) from None
    check_ours(out, out_dir)
    return out


def check_ours(out: Path, given: Path) -> None:
    """UsageError when `out` holds files a render did not write (no mark, and no readable outputs of an earlier
    version): checked before anything in it is read as ours (the ledger) or written."""
    if (out / MARK).is_file() and not (out / MARK).is_symlink():
        return
    try:
        present = {entry.name for entry in os.scandir(out) if not _placeholder(entry)} - {LOCK_NAME}
    except OSError as exc:
        raise UsageError(f"--out {given}: cannot read the output folder ({exc.strerror})") from None
    if present and not any(_adopted(out / name) for name in ADOPTED):
        raise UsageError(
            f"--out {given}: the folder holds files lunar-report did not write (no {MARK} mark); "
            f"give an empty or new folder, or a folder an earlier render wrote"
        )


def _adopted(path: Path) -> bool:
    """Whether `path` is an output of a version before the mark, as it wrote it: a regular file that reads as a
    manifest or an editions ledger (a damaged or foreign file of that name does not make the folder ours)."""
    if not path.is_file() or path.is_symlink() or path.stat().st_size > LEDGER_BYTES:
        return False
    try:
        text = path.read_text(encoding="utf-8")
        if path.name == "editions.json":
            parse_ledger(text)
            return True
        raw = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return False
    return isinstance(raw, dict) and isinstance(raw.get("format"), int) and isinstance(raw.get("reports"), dict)


def _placeholder(entry: os.DirEntry[str]) -> bool:
    """An empty `.gitkeep` (or `.keep`) that keeps a folder in git, as the project's own reports/ has: not a file of
    anyone's work, so it does not make the folder someone else's (it is left where it is)."""
    return entry.name in PLACEHOLDERS and entry.is_file(follow_symlinks=False) and entry.stat().st_size == 0


def check_outputs(out: Path, names: list[str]) -> None:
    """UsageError when a folder, link or device sits where the run writes a file (or a file where it needs a folder)."""
    for folder in SITE_FOLDERS:
        path = out / folder
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            raise UsageError(f"--out {out}: {folder} is not a folder; move it away")
    for file in [
        *SITE_FILES,
        *(f"{n}.{ext}" for n in names for ext in ("html", "pdf")),
        *(f"_failed/{n}.html" for n in names),
    ]:
        check_target(out / file)


def temp_root(out: Path) -> Path:
    """The temporary folder of renders into `out` (short: kernel sockets need paths under ~100 bytes)."""
    return Path(tempfile.gettempdir()) / f"lunar-report-{hashlib.sha256(str(out).encode()).hexdigest()[:12]}"


def _written_folders(out: Path) -> list[Path]:
    """The folders a render writes files into: the output folder, _failed, editions, its tables and each edition's."""
    folders = [out / name for name in WRITTEN_FOLDERS]
    editions = out / "editions"
    if editions.is_dir() and not editions.is_symlink():
        folders += [entry for entry in editions.iterdir() if EDITION_ID.fullmatch(entry.name)]
    return [f for f in folders if f.is_dir() and not f.is_symlink()]


def _remove_leftovers(out: Path, root: Path) -> None:
    """What a killed render left: its temp folder, an unfinished commit, staging folders of older versions, half-written files.

    Only names a render creates are removed, in the folders it writes; links are never followed.
    """
    shutil.rmtree(root, ignore_errors=True)
    remove_dead_previews()
    commit.recover(out)
    for stale in out.glob(".staging-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
    for folder in _written_folders(out):
        for entry in os.scandir(folder):
            if _PARTIAL.match(entry.name) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


_USED_ROOTS: set[Path] = set()  # the temp folders of this process's runs, for remove_used_temp_roots


def remove_used_temp_roots() -> None:
    """Remove again the temp folders this process's runs used: after an interrupt, a thread that was still
    exporting (its xelatex killed) may have made its folder anew after the run removed it."""
    for root in _USED_ROOTS:
        shutil.rmtree(root, ignore_errors=True)


def new_folders(out_dir: Path) -> list[Path]:
    """The folders :func:`prepare_out_dir` would create for `out_dir` (none when it exists), deepest first."""
    out = out_dir.expanduser().resolve()
    return list(itertools.takewhile(lambda folder: not folder.exists(), [out, *out.parents]))


def _unused(out: Path) -> bool:
    """True when `out` holds nothing but its mark and lock file."""
    try:
        return {entry.name for entry in os.scandir(out)} <= {MARK, LOCK_NAME}
    except OSError:
        return False


@contextmanager
def locked(out: Path, wait: float, made: Sequence[Path] = ()) -> Iterator[Path]:
    """Hold the output folder's lock; yield a fresh, private temp folder for this run.

    `made`: the folders this run created for `out` (:func:`new_folders`). When the run fails having
    written nothing there, they are removed again: a refused render leaves no empty folder behind.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(out / LOCK_NAME))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise LockBusy(
            f"another lunar-report render is writing to {out}; "
            f"wait for it with --wait SECONDS, or render into another --out folder"
        ) from None
    except OSError as exc:
        raise UsageError(
            f"--out {out}: cannot write to the output folder ({exc.strerror}); give a writable folder"
        ) from None
    root = temp_root(out)
    _USED_ROOTS.add(root)
    children.reset()  # a new run: a stop requested by an earlier, interrupted run in this process is over
    failed = True
    try:
        if not (out / MARK).is_file() or (out / MARK).is_symlink():
            check_writable(out)
            (out / MARK).unlink(missing_ok=True)  # (a link is no mark)
            write_atomically(out / MARK, MARK_TEXT)  # first use: the folder is ours from now on
        _remove_leftovers(out, root)
        try:
            root.mkdir(mode=0o700)
        except OSError as exc:
            raise UsageError(
                f"cannot create the temporary folder {root} ({exc.strerror}); set TMPDIR to a writable folder"
            ) from None
        yield root
        failed = False
    finally:
        shutil.rmtree(root, ignore_errors=True)
        unused = failed and bool(made) and _unused(out)
        if unused:
            (out / MARK).unlink(missing_ok=True)
        lock.release()
        if unused:
            _remove_folders(out, made)
        signals.forget()  # the stop, if any, was this run's: a later run in this process starts afresh


@contextmanager
def opened(out_dir: Path, data_dir: Path, wait: float, names: Sequence[str]) -> Iterator[tuple[Path, Path]]:
    """The output folder of one run, held: created and marked as ours if needed, locked, what a killed run left
    removed and the reports' files checked; yields (the folder, resolved; the run's own temp folder)."""
    made = new_folders(out_dir)
    out = prepare_out_dir(out_dir, data_dir)
    with locked(out, wait, made) as run_dir:
        check_outputs(out, list(names))
        yield out, run_dir


def _remove_folders(out: Path, made: Sequence[Path]) -> None:
    """Remove the lock file and the folders a failed run made (deepest first; each only while empty)."""
    with suppress(OSError):
        (out / LOCK_NAME).unlink(missing_ok=True)
        for folder in made:
            folder.rmdir()


def check_writable(out: Path) -> None:
    """UsageError unless a file can be created in `out`: found before any kernel starts, not after.

    Called only before a run writes (the probe file changes the folder's mtime, and a run with
    nothing to do should leave the folder exactly as it was)."""
    try:
        handle, probe = tempfile.mkstemp(dir=out, prefix=".write-probe-", suffix=".tmp")
    except OSError as exc:
        raise UsageError(
            f"--out {out}: cannot write to the output folder ({exc.strerror}); give a writable folder"
        ) from None
    os.close(handle)
    os.unlink(probe)


def job_dir(run_dir: Path, name: str) -> Path:
    """A new, empty folder for one report's run."""
    return Path(tempfile.mkdtemp(dir=run_dir, prefix=f"{name[:20]}-"))
