"""SIGINT and SIGTERM routed to one handler for the length of a block, the previous handlers restored after it;
and a stop that is remembered, for a run to check at its own safe points."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ...errors import Interrupted

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_received: list[int] = []


def interrupt(number: int, _frame: Any) -> None:
    """A handler: remember the signal, then raise Interrupted where the main thread is.

    The exception can be lost (raised inside a C extension's module initialisation, say, that the
    host was importing); `raise_if_stopped` raises it again at the run's next check.
    """
    _received.append(number)
    raise Interrupted(number, signal.Signals(number).name)


def raise_if_stopped() -> None:
    """Interrupted if a stop signal arrived in this run (its first raise may have been swallowed)."""
    if _received:
        raise Interrupted(_received[0], signal.Signals(_received[0]).name)


def forget() -> None:
    """A new run in this process: a signal an earlier, stopped run received is over."""
    _received.clear()


@contextmanager
def stop_signals_to(handler: Callable[[int, Any], None]) -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM call `handler(number, frame)`.

    Only the main thread may set handlers: in another thread the block runs with them unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, handler) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


@contextmanager
def quiet_threads() -> Iterator[None]:
    """While the run is being stopped, threads that die with their kernels (channel, heartbeat) print no traceback.

    The process-wide hook is restored afterwards.
    """
    previous = threading.excepthook
    threading.excepthook = lambda _args: None
    try:
        yield
    finally:
        threading.excepthook = previous
