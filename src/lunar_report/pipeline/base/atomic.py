"""Atomic file writes: a reader sees the old file or the new one, never a partial one.

Only a regular file or a new name is ever written: a folder, device, link or pipe in the way is
refused (UsageError), so `--out /dev/null` stays a device and a symlink never leads a write elsewhere.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ...errors import UsageError

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"), (stat.S_ISCHR, "a device"))


def check_target(target: Path) -> None:
    """UsageError unless `target` is a regular file or does not exist (links are not followed)."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"{target}: cannot be written ({exc.strerror}); give another file name") from None
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    raise UsageError(f"{target}: {kind} is there, not a regular file; give a new file name or a regular file")


def write_atomically(target: Path, content: bytes) -> None:
    """Write to a temporary file beside `target`, flush it to disk, then rename it into place."""
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:  # a full disk, say: named by the file being written (not a stream's failure)
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def same_content(target: Path, content: bytes) -> bool:
    """Whether `target` is a regular file holding exactly `content` (never reads a device or a folder)."""
    check_target(target)
    try:
        return target.stat().st_size == len(content) and target.read_bytes() == content
    except FileNotFoundError:
        return False


def write_if_changed(target: Path, content: bytes) -> bool:
    """Write `content` atomically unless `target` already holds exactly it; True when written."""
    if same_content(target, content):
        return False
    write_atomically(target, content)
    return True
