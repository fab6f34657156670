"""Kernels started before a report needs one, with its notebooks' imports already done.

Most of a short report's time is a new kernel: the interpreter, then pandas, matplotlib and the
report modules. A pool starts kernels in the background (one thread, one event loop for every
start and shutdown) and hands each to exactly one run, which shuts it down afterwards: every
report still runs in a fresh interpreter, so its outputs are byte-identical to a cold run. The
warm-up only imports modules, silently and outside the history (no names, no execution count).
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import functools
import json
import os
import shutil
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from ... import paths
from ..base import children
from ..store.fingerprint import PACKAGE_DIR

START_TIMEOUT = 60.0  # seconds for a kernel to start and import its modules
ALWAYS = ("lunar_report.facts.load",)  # imported by the reads cell the build appends to every notebook


ANSWER_SECONDS = 1.0  # how long one kernel_info request waits for its reply on the shell channel
IDLE_SECONDS = 0.5  # how long it then waits for its idle status on IOPub (not yet connected: ask again)


@functools.cache
def ready_client_class() -> type:
    """The client of a report's kernel: ready as soon as the kernel has answered, not after a quiet spell.

    jupyter_client's client counts a kernel ready once it answers `kernel_info`, then waits until its
    IOPub channel has been silent for 0.2 s. A render waits for that twice per report (when the kernel
    is warmed up, and again when papermill connects), on its critical path. This client waits instead
    for the kernel's "idle" status of that very request on IOPub: every message the request caused has
    then arrived, and what is queued is dropped at once. nbclient ignores IOPub messages of other
    requests in any case.
    """
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyKernelClient(AsyncKernelClient):
        """An asynchronous kernel client whose `wait_for_ready` ends with the kernel's answer."""

        async def _first(self, channel: Any, wanted: Callable[[Any], bool], seconds: float) -> Any | None:
            """The first message on `channel` that is `wanted` within `seconds`, the others dropped; else None."""
            deadline = time.monotonic() + seconds
            while (left := deadline - time.monotonic()) > 0:
                try:
                    message = await channel.get_msg(timeout=left)
                except Empty:
                    return None
                if wanted(message):
                    return message
            return None

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """Ask for kernel_info until the reply comes on shell and its idle status on IOPub; RuntimeError when
            the kernel dies meanwhile or `timeout` seconds pass."""
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                request = self.kernel_info()

                def answers(message: Any, kind: str = "kernel_info_reply", request: str = request) -> bool:
                    return bool(message["msg_type"] == kind and message["parent_header"].get("msg_id") == request)

                def idle(message: Any) -> bool:
                    return answers(message, "status") and message["content"].get("execution_state") == "idle"

                reply = await self._first(self.shell_channel, answers, ANSWER_SECONDS)
                if reply is not None and await self._first(self.iopub_channel, idle, IDLE_SECONDS) is not None:
                    while await self.iopub_channel.msg_ready():  # what the request left queued
                        await self.iopub_channel.get_msg(timeout=0)
                    self._handle_kernel_info_reply(reply)
                    return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    return ReadyKernelClient


def leaves_a_core(kernels: int) -> bool:
    """Whether `kernels` running at once leave a core of this machine idle (their figures then use it)."""
    return kernels < (os.cpu_count() or 1)


def kernel_manager_class(runtime: Path) -> type:
    """A kernel manager on IPC sockets in `runtime` (no TCP ports to clash), whose kernel is registered, and
    whose clients are ready as soon as the kernel answers."""
    from jupyter_client.manager import AsyncKernelManager

    class ReportKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(runtime / "kernel"))
            kwargs.setdefault("connection_file", str(runtime / "kernel.json"))
            kwargs.setdefault("client_factory", ready_client_class())
            super().__init__(**kwargs)

        async def start_kernel(self, **kwargs: Any) -> None:  # type: ignore[override]
            with children.launching():  # an interrupt now waits for the kernel's pid, then kills it
                try:
                    await super().start_kernel(**kwargs)
                finally:
                    pid = getattr(self.provisioner, "pid", None)
                    if pid:
                        self._lunar_pid = pid
                        children.register(pid)

        async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
            await super().shutdown_kernel(now=now, restart=restart)
            children.unregister(getattr(self, "_lunar_pid", 0))

    return ReportKernelManager


def _imports(source: str, package: str = "") -> list[str]:
    """Modules a piece of Python imports anywhere (in functions too); relative ones resolved in `package`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not package:
                    continue
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            elif node.module:
                module = node.module
            else:
                continue
            found += [module, *(f"{module}.{alias.name}" for alias in node.names)]
    return found


def _package_file(module: str) -> tuple[Path, str] | None:
    """The source file of a lunar_report module and the package relative imports resolve in; None if not ours."""
    parts = module.split(".")
    if parts[0] != PACKAGE_DIR.name:
        return None
    folder = PACKAGE_DIR.joinpath(*parts[1:])
    if (folder / "__init__.py").is_file():
        return folder / "__init__.py", module
    if folder.with_suffix(".py").is_file():
        return folder.with_suffix(".py"), ".".join(parts[:-1])
    return None


def notebook_imports(notebooks: Iterable[Path]) -> tuple[str, ...]:
    """The modules the notebooks' code cells import, and what the lunar_report modules among them import.

    Imports inside functions count (pyplot is imported where first needed), so the
    warm-up covers what a run imports. `from a import b` also lists a.b, which may not be a module.
    """
    pending: list[str] = list(ALWAYS)
    for notebook in notebooks:
        try:
            cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        for cell in cells:
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                source = cell.get("source", "")
                pending += _imports("".join(source) if isinstance(source, list) else str(source))
    found: dict[str, None] = {}
    while pending:
        module = pending.pop(0)
        if module in found:
            continue
        found[module] = None
        own = _package_file(module)
        if own:
            pending += _imports(own[0].read_text(encoding="utf-8"), own[1])
    return tuple(found)


def warm_up_code(modules: Sequence[str]) -> str:
    """Python that imports each module, ignoring failures (a name that is not a module is expected)."""
    return "".join(f"try:\n    __import__({name!r})\nexcept Exception:\n    pass\n" for name in modules)


async def _drain(timeout: float) -> None:
    """Wait (at most `timeout` seconds) for the loop's other tasks: kernel starts and shutdowns."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    if tasks:
        await asyncio.wait(tasks, timeout=timeout)


def _alive(manager: Any) -> bool:
    """Whether the manager's kernel process is running."""
    process = getattr(getattr(manager, "provisioner", None), "process", None)
    return process is not None and process.poll() is None


class KernelPool:
    """Up to `size` warm kernels kept ready; at most `budget` started in all (None: no limit).

    `take()` returns a started kernel manager (or None: start one the usual way); the run then
    passes it to `release()`, which stops the clients it made and shuts the kernel down. With
    `prefetch`, a taken kernel is replaced at once (a render of many reports overlaps start-ups);
    without, only when the owner calls `refill()` (preview: once the report is exported, so the
    next kernel's start slows neither its cells nor its export). `modules` may be a function: it
    then runs on a thread of its own while the first kernel starts (finding them takes a while).
    Its kernels draw figures only for `formats` (all when empty), and with `spare_core` draw a figure's
    two sizes at once (the pool's kernels leave a core idle).
    """

    def __init__(
        self,
        runtime: Path,
        modules: Sequence[str] | Callable[[], Sequence[str]],
        size: int = 1,
        budget: int | None = None,
        kernel_name: str = paths.KERNEL_NAME,
        prefetch: bool = True,
        formats: Sequence[str] = (),
        spare_core: bool = False,
    ) -> None:
        self.runtime, self.size, self.budget = runtime, max(size, 0), budget
        self._modules: Future[tuple[str, ...]] = Future()
        if callable(modules):
            threading.Thread(target=self._find_modules, args=(modules,), daemon=True).start()
        else:
            self._modules.set_result(tuple(modules))
        self.trust_file = runtime / "validated"
        self.env = {paths.TRUST_ENV: str(self.trust_file)} | ({paths.FORMATS_ENV: ",".join(formats)} if formats else {})
        self.env |= {paths.SPARE_CORE_ENV: "1"} if spare_core else {}
        self.prefetch = prefetch
        self.kernel_name = kernel_name
        self._lock = threading.Lock()
        self._ready: deque[Future[Any]] = deque()  # started or starting, not yet taken
        self._count = 0
        self._closed = False
        self._managers: list[Any] = []  # every kernel manager the pool made, to kill what is left on close
        self.launched = threading.Event()  # set once the first kernel's process is started (or failed to start)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="lunar-report-kernels", daemon=True)
        self._thread.start()
        self._fill()

    def _find_modules(self, find: Callable[[], Sequence[str]]) -> None:
        try:
            self._modules.set_result(tuple(find()))
        except Exception as error:  # no kernel of the pool starts then: each run starts its own the usual way
            self._modules.set_exception(error)

    @property
    def modules(self) -> tuple[str, ...]:
        """The modules each kernel imports before it is handed out."""
        return self._modules.result()

    # -- starting -----------------------------------------------------------------------------

    def _fill(self) -> None:
        with self._lock:
            while (
                not self._closed and len(self._ready) < self.size and (self.budget is None or self._count < self.budget)
            ):
                self._count += 1
                folder = self.runtime / f"k{self._count}"
                self._ready.append(asyncio.run_coroutine_threadsafe(self._start(folder), self._loop))

    async def _start(self, folder: Path) -> Any:
        try:
            manager = await self._launch(folder)
        finally:
            self.launched.set()
        warm = manager.client()
        warm.start_channels()
        try:
            await warm.wait_for_ready(timeout=START_TIMEOUT)
            modules = await asyncio.wrap_future(self._modules)
            if modules:
                await self._warm_up(manager, warm, modules)
        except BaseException:
            warm.stop_channels()
            await self._shutdown(manager)
            raise
        warm.stop_channels()
        return manager

    async def _launch(self, folder: Path) -> Any:
        """A kernel manager whose kernel process is started (not yet ready) in `folder`."""
        folder.mkdir(mode=0o700, parents=True)

        class PooledKernelManager(kernel_manager_class(folder)):  # type: ignore[misc]
            """Remembers the clients a run makes, so that release() can stop their channels."""

            def client(self, **kwargs: Any) -> Any:
                made = super().client(**kwargs)
                self.clients.append(made)
                return made

        manager = PooledKernelManager(kernel_name=self.kernel_name)
        manager.clients = []
        with self._lock:
            self._managers.append(manager)
        await manager.start_kernel(env={**os.environ, **self.env})
        return manager

    async def _warm_up(self, manager: Any, warm: Any, modules: Sequence[str]) -> None:
        """Import the modules in the kernel, silently; fail at once if the kernel dies meanwhile."""
        import queue

        request = warm.execute(warm_up_code(modules), silent=True, store_history=False)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                reply = await warm.get_shell_msg(timeout=0.5)
            except queue.Empty:
                if not await manager.is_alive():
                    raise RuntimeError("the kernel died during its warm-up") from None
                continue
            if reply["parent_header"].get("msg_id") == request:
                if reply["content"].get("status") != "ok":
                    raise RuntimeError("the kernel's warm-up failed")
                return
        raise TimeoutError(f"the kernel's warm-up took more than {START_TIMEOUT:.0f} s")

    # -- handing out --------------------------------------------------------------------------

    def trust(self, digest: str) -> None:
        """Let this pool's kernels skip validating data whose bytes hash to `digest` (the host validated them)."""
        if digest:
            self.runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
            with self.trust_file.open("a", encoding="ascii") as file:
                file.write(digest + "\n")

    def take(self) -> Any | None:
        """A started, warmed kernel manager, waiting for one that is starting; None when there is none, or when
        it could not start or has died (the caller then starts one the usual way, which says why it fails)."""
        with self._lock:
            if self._closed or not self._ready:
                return None
            future = self._ready.popleft()
        if self.prefetch:
            self._fill()
        try:
            manager = future.result(timeout=START_TIMEOUT)
        except Exception:
            return None
        if _alive(manager):
            return manager
        self.release(manager)
        return None

    def release(self, manager: Any) -> None:
        """Stop the run's clients and shut the kernel down (in the background)."""
        for made in getattr(manager, "clients", []):
            with contextlib.suppress(Exception):
                made.stop_channels()
        with self._lock:
            if self._loop.is_closed():
                return
            asyncio.run_coroutine_threadsafe(self._shutdown(manager), self._loop)

    def refill(self) -> None:
        """Start kernels until `size` are ready or starting (within the budget)."""
        self._fill()

    async def _shutdown(self, manager: Any) -> None:
        with contextlib.suppress(Exception):
            await manager.shutdown_kernel(now=True)
        with self._lock:  # a long preview makes a kernel per edit: forget the ones that are gone
            if manager in self._managers and not _alive(manager):
                self._managers.remove(manager)

    def restart(self, modules: Sequence[str] | None = None) -> None:
        """Discard the ready kernels (their imports are stale) and start new ones."""
        with self._lock:
            stale, self._ready = list(self._ready), deque()
            if modules is not None:
                self._modules = Future()
                self._modules.set_result(tuple(modules))
        for future in stale:
            future.add_done_callback(self._discard)
        self._fill()

    def _discard(self, future: Future[Any]) -> None:
        if not future.cancelled() and future.exception() is None:
            self.release(future.result())

    def ready(self) -> int:
        """How many kernels are started and warm now."""
        with self._lock:
            return sum(f.done() and not f.cancelled() and f.exception() is None for f in self._ready)

    def close(self, timeout: float = 5.0) -> None:
        """Shut down every kernel of the pool (killing those still starting), stop its thread, remove its folder."""
        with self._lock:
            self._closed = True
            pending, self._ready = list(self._ready), deque()
        for future in pending:
            if future.done():
                self._discard(future)
            else:
                future.cancel()
        with contextlib.suppress(Exception):  # starts cancelled above and shutdowns in flight run to their end
            asyncio.run_coroutine_threadsafe(_drain(timeout), self._loop).result(timeout + 1)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self._loop.close()
        for manager in self._managers:  # a start cut short by the cancel, or a shutdown that failed
            if _alive(manager):
                pid = manager.provisioner.process.pid
                with contextlib.suppress(OSError):
                    os.killpg(pid, signal.SIGKILL)
                children.unregister(pid)
        shutil.rmtree(self.runtime, ignore_errors=True)

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
