"""The child processes of a render (kernels, xelatex, Chromium), so that an interrupt stops them all at once.

Each child runs in its own session (process group); `stop_all` kills every registered group.
A child is started inside `launching()` and registered before that block ends, so `stop_all`
waits for children being started and none escapes an interrupt; once stopping, no new child
starts. Kernels also watch their parent (ipykernel's parent poller), so they end when a
render is killed with SIGKILL, which no handler sees.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

_lock = threading.Lock()
_started = threading.Condition(_lock)  # notified when a launch ends
_groups: set[int] = set()
_launching = 0
_stopping = False


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


@contextlib.contextmanager
def launching() -> Iterator[None]:
    """Around starting a child and registering it; ChildProcessError once the run is stopping."""
    global _launching
    with _lock:
        if _stopping:
            raise ChildProcessError("the render is stopping: no new child process")
        _launching += 1
    try:
        yield
    finally:
        with _lock:
            _launching -= 1
            _started.notify_all()


def register(pid: int) -> None:
    """Track the process group led by `pid` (a child started with start_new_session=True).

    A child registered while the run is stopping is killed at once.
    """
    with _lock:
        if not _stopping:
            _groups.add(pid)
            return
    _kill(pid)


def unregister(pid: int) -> None:
    """Stop tracking `pid` (it has ended)."""
    with _lock:
        _groups.discard(pid)


def stop_all(wait: float = 2.0) -> int:
    """Kill every tracked process group, after waiting up to `wait` s for children being started; return how many."""
    global _stopping
    with _lock:
        _stopping = True
        _started.wait_for(lambda: _launching == 0, timeout=wait)
        groups = sorted(_groups)
        _groups.clear()
    for pid in groups:
        _kill(pid)
    _wait_gone(groups, wait)
    return len(groups)


def _alive(pid: int) -> bool:
    """True while the process group led by `pid` runs (a child that ended is left for its Popen to reap)."""
    with contextlib.suppress(ChildProcessError, OSError):
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return False
    try:
        os.killpg(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _wait_gone(groups: list[int], wait: float) -> None:
    """Wait up to `wait` s until every killed group has ended, so none outlives the CLI that exits next."""
    deadline = time.monotonic() + wait
    while any(_alive(pid) for pid in groups) and time.monotonic() < deadline:
        time.sleep(0.01)


def reset() -> None:
    """A new run in this process: forget a stop requested by an earlier, interrupted one."""
    global _stopping
    with _lock:
        _stopping = False


def run(
    command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float | None = None
) -> tuple[int, str]:
    """Run `command` in its own process group, registered so an interrupt stops it; its exit code and output.

    After `timeout` seconds the group is killed and subprocess.TimeoutExpired raised; FileNotFoundError when
    the program is not on PATH.
    """
    with launching():  # an interrupt waits for the pid, then kills it
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        register(process.pid)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process.pid)
        process.communicate()
        raise
    finally:
        unregister(process.pid)
    return process.returncode, output
