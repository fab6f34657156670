"""SIGINT and SIGTERM routed to one handler for the length of a block, the previous handlers restored after it."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


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
