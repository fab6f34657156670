"""Work done on a spare core: a forked copy of the kernel computes one result while the kernel goes on.

The build sets LUNAR_REPORT_SPARE_CORE in a report kernel's environment when its run leaves a core
idle (one report on a machine of two or more cores, preview); anywhere else (Jupyter, a cluster
worker, a render of as many reports as cores) `in_a_copy` returns None and the caller does the
work itself. The copy writes nothing but its result: its output goes nowhere, it touches no
socket of the kernel's, and it exits without running any clean-up of the kernel's.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
from collections.abc import Callable
from typing import Any

from .. import paths

WAIT = 60.0
"""Seconds the kernel waits for a copy's result before it stops the copy and does the work itself."""


def spare_core() -> bool:
    """Whether the build said this kernel has a core to spare (and the system can fork)."""
    return os.environ.get(paths.SPARE_CORE_ENV) == "1" and hasattr(os, "fork")


def _run_copy(work: Callable[[], Any], pipe: int) -> None:
    """In the copy: `work`'s result (pickled) into `pipe`, then exit at once (0 when done, 1 otherwise)."""
    status = 1
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (the kernel's streams would send to it)
        with os.fdopen(pipe, "wb") as out:
            pickle.dump(work(), out)
        status = 0
    finally:
        os._exit(status)


def _read(pipe: int, pid: int, wait: float) -> bytes | None:
    """All the copy writes to `pipe`, or None when it writes nothing in `wait` seconds (it is then stopped)."""
    chunks: list[bytes] = []
    with os.fdopen(pipe, "rb", buffering=0) as source:
        while True:
            ready, _, _ = select.select([source], [], [], wait)
            if not ready:
                os.kill(pid, signal.SIGKILL)
                return None
            chunk = source.read(1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def in_a_copy(work: Callable[[], Any], wait: float = WAIT) -> Callable[[], Any] | None:
    """Start `work` in a forked copy of this process; a function that waits for its result (None if the copy
    failed). None at once when there is no spare core: the caller then does the work itself."""
    if not spare_core():
        return None
    reading, writing = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return None
    if pid == 0:
        os.close(reading)
        _run_copy(work, writing)
    os.close(writing)

    def result() -> Any:
        data = _read(reading, pid, wait)
        _, status = os.waitpid(pid, 0)
        return pickle.loads(data) if data and status == 0 else None

    return result
