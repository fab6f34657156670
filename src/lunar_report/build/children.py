"""The child processes of a render (kernels, xelatex), so that an interrupt stops them all at once.

Each child runs in its own session (process group); `stop_all` kills every registered group.
Kernels also watch their parent (ipykernel's parent poller), so they end when a render is
killed with SIGKILL, which no handler sees.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

_lock = threading.Lock()
_groups: set[int] = set()


def register(pid: int) -> None:
    """Track the process group led by `pid` (a child started with start_new_session=True)."""
    with _lock:
        _groups.add(pid)


def unregister(pid: int) -> None:
    """Stop tracking `pid` (it has ended)."""
    with _lock:
        _groups.discard(pid)


def stop_all() -> int:
    """Kill every tracked process group; return how many were signalled."""
    with _lock:
        groups = sorted(_groups)
        _groups.clear()
    for pid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    return len(groups)
