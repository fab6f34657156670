"""The local pool: a render's stale reports run on threads of this process, each on a warm kernel started ahead.

Its kernels start as soon as the stale reports are known, while this process validates the
data and checks the parameters; the exports are readied while the first kernel runs its cells.
An interrupt stops every child (kernels, xelatex) at once.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import Interrupted
from ..base import children
from ..base.signals import interrupt, quiet_threads, raise_if_stopped, stop_signals_to
from ..config.settings import RenderOptions
from .context import RunContext
from .job import Job, longest_first, run_job

if TYPE_CHECKING:
    from .kernels import KernelPool


def workers(options: RenderOptions, stale: list[Job]) -> int:
    """Reports run at once: `--jobs` (default one per core), never more than there are stale reports."""
    return min(options.jobs or os.cpu_count() or 1, len(stale))


@contextmanager
def kernels_ahead(stale: list[Job], options: RenderOptions, run_dir: Path) -> Iterator[KernelPool | None]:
    """A pool starting every stale report's kernel now (and its imports), closed on leaving; None with nothing stale.

    Started as soon as the stale reports are known, so the kernels start while this process
    validates the data and checks the parameters (a mistake found then stops them unused).
    """
    if not stale:
        yield None
        return
    from .kernels import (  # (asyncio and the kernel client: only to render)
        START_TIMEOUT,
        KernelPool,
        leaves_a_core,
        notebook_imports,
    )

    notebooks = sorted({job.spec.notebook for job in stale})
    size = workers(options, stale)
    kernels = KernelPool(
        run_dir / "kernels",
        lambda: notebook_imports(notebooks),
        size=size,
        budget=len(stale),
        formats=options.drawn_formats,
        spare_core=leaves_a_core(size),
    )
    # The kernel's start-up and imports are the run's critical path: let its process get going before this
    # process's own imports (pandas, nbformat) take the interpreter from the thread that launches it.
    kernels.launched.wait(START_TIMEOUT)
    try:
        yield kernels
    except BaseException:
        with quiet_threads():
            kernels.close()
        raise
    kernels.close()


def ready_exports(options: RenderOptions) -> None:
    """Import the exports and, for HTML, export a throw-away page (templates compiled, libraries imported)."""
    from . import export  # nbconvert: imported here, in a thread, while the first kernel runs its cells

    if "html" in options.formats:
        with suppress(Exception):  # only a head start: the report's own export reports any problem
            export.warm_up(options.include_code)


def run_local(stale: list[Job], context: RunContext) -> Iterator[Job]:
    """Run the stale jobs on a pool of threads; yield each as it finishes. An interrupt stops every child at once."""
    kernels = context.kernels
    if kernels is not None:
        kernels.trust(context.trusted_data)
    threading.Thread(target=ready_exports, args=(context.options,), daemon=True).start()
    pool = ThreadPoolExecutor(max_workers=workers(context.options, stale), thread_name_prefix="lunar-report")
    futures: list[Future[Job]] = [pool.submit(run_job, job, context) for job in longest_first(stale)]
    try:
        with stop_signals_to(interrupt):  # SIGTERM, like Ctrl-C's SIGINT, interrupts the main thread
            pending = set(futures)
            while pending:  # wake often: a signal caught by another thread runs its handler when the main thread runs
                raise_if_stopped()
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=futures.index):
                    if kernels is not None:  # a pool that does not prefetch: its next kernel starts now
                        kernels.refill()
                    yield future.result()
    except BaseException as stopped:  # Interrupted, or the caller stopped (its output stream broke): no report goes on
        with quiet_threads():
            children.stop_all()
            pool.shutdown(wait=False, cancel_futures=True)
        if isinstance(stopped, KeyboardInterrupt):
            raise Interrupted(signal.SIGINT, "SIGINT") from None
        raise
    pool.shutdown(wait=True)
