"""Preview's temporary folders: each one locked while its preview runs, removed by the next run after a kill.

A render's temp folder is named after its output folder and cleaned under that folder's lock
(workspace.py). A preview has no output folder, so each preview locks a lock file inside its own
folder; the operating system drops the lock when the process dies, even by SIGKILL. The next
preview or render removes every preview folder whose lock nobody holds, and nothing else.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

PREFIX = "lunar-preview-"
LOCK_NAME = ".lunar-preview.lock"


def claim_preview_folder() -> tuple[Path, Any]:
    """A new, private temp folder for one preview and the held lock that marks it as in use."""
    from filelock import FileLock

    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    lock = FileLock(str(folder / LOCK_NAME))
    lock.acquire(timeout=0)
    return folder, lock


def release_preview_folder(folder: Path, lock: Any) -> None:
    """Remove a preview's folder, then let go of its lock."""
    shutil.rmtree(folder, ignore_errors=True)
    lock.release()


def remove_dead_previews() -> list[Path]:
    """Remove the temp folders of previews that were killed (their lock is free); return them."""
    from filelock import FileLock, Timeout

    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        lock_file = folder / LOCK_NAME
        if folder.is_symlink() or not lock_file.is_file():  # not one of ours, or still being set up
            continue
        lock = FileLock(str(lock_file))
        try:
            lock.acquire(timeout=0)
        except (Timeout, OSError):
            continue  # its preview is running
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            lock.release()
    return removed
