"""Run the stale reports of a render on a Dask distributed cluster; the host stays the only writer.

`render --cluster ADDRESS` hands each report's kernel run and export to the cluster's workers:
the host keeps everything else (validation, the lock, fingerprints, editions and their "What
changed" section, the manifest, the site, the feed, the combined PDF) exactly as for a local
run. Per report, two tasks: one executes the notebook on the worker and returns it with the
data files it read and its key figures; the host then drafts the edition (what changed since
the previous one) and a second task exports the HTML and PDF on a worker and returns the bytes.

Workers need no shared file system: the notebooks and every file of the run's data snapshot are
shipped once per run, keyed by content digest, and each task writes the ones it needs into
its own temporary folder. Workers need the same lock and the `lunar-report` kernel (checked on
connecting). Dask is imported only here, and only when a render has stale reports.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import re
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ...errors import Interrupted, ReportFailed, UsageError
from ..base import children
from ..base.signals import stop_signals_to
from ..config.preflight import check_kernel
from ..config.settings import RenderOptions
from ..store.fingerprint import code_digest, environment, package_versions, show_on_host
from .context import RunContext
from .job import Job, add_failure_page, executed, export_files, longest_first

LOCAL = re.compile(r"local(?::([0-9]{1,12}))?")
SCHEMES = ("tcp", "tls")  # Dask's scheduler protocols a render may name (tls:// takes Dask's TLS settings)
_HOST = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*"
)
CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler and see a worker
HANDSHAKE_TIMEOUT = 30.0  # seconds for a scheduler to complete Dask's handshake (else it is not one)
PLUGIN = "lunar-report-kernels"
EXECUTE, EXPORT = 0, 1  # task priorities: a report's export goes before the next report's execution
USE = "give a scheduler address (tcp://host:8786) or local[:N] for N worker processes here"


def check_address(address: str, most_workers: int | None = None) -> str:
    """`address` if it names a scheduler (tcp://host:port, tls://host:port) or a local cluster (local, local:N with
    N at most `most_workers`, `[limits] local_workers`); else UsageError, before any lock is taken."""
    shown = address if len(address) <= 100 else f"{address[:97]}..."
    local = LOCAL.fullmatch(address)
    if local:
        workers = int(local.group(1)) if local.group(1) else None
        if workers == 0:
            raise UsageError(f"--cluster {shown}: {USE}")
        if workers is not None and most_workers is not None and workers > most_workers:
            raise UsageError(
                f"--cluster {shown}: at most {most_workers} worker processes here (limits.local_workers); "
                "give fewer, or raise local_workers under [limits] in reports.toml"
            )
        return address
    reason = _scheduler_problem(address)
    if reason:
        raise UsageError(f"--cluster {shown}: {reason + '; ' if reason != USE else ''}{USE}")
    return address


def _scheduler_problem(address: str) -> str:
    """'' when `address` is scheme://host:port with a scheme Dask's client connects with, else what is wrong."""
    from urllib.parse import urlsplit

    if "://" not in address or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in address):
        return USE
    scheme = address.split("://", 1)[0]
    if scheme not in SCHEMES:
        return f"{scheme[:20]}:// is not a scheduler protocol here (tcp:// or tls://)"
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        return "not a host:port (an IPv6 address goes in brackets: tcp://[::1]:8786; a port is 1 to 65535)"
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        return "a scheduler address is scheme://host:port, nothing more"
    if port is None or port == 0:
        return "the scheduler's port is missing (tcp://host:8786)"
    host = parts.hostname or ""
    if not (_HOST.fullmatch(host) or _ip(host)):
        return "not a host name or IP address"
    return ""


def _ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Failure:
    """A ReportFailed as it travels back from a worker (exceptions with extra fields do not pickle whole)."""

    error: str
    cell: int | None = None
    notebook: Any = None
    where: str = ""

    @classmethod
    def of(cls, error: Exception) -> Failure:
        if isinstance(error, ReportFailed):
            return cls(error.error, error.cell, error.notebook, error.where)
        return cls(f"{type(error).__name__}: {error}", where="the build")

    def raised(self, report: str) -> ReportFailed:
        return ReportFailed(report, self.error, self.cell, self.notebook, self.where)


@dataclass
class Executed:
    """What one report's kernel run on a worker gives back."""

    notebook: Any = None
    reads: list[str] = field(default_factory=list)  # data files read, as paths on the host
    figures: dict[str, str] = field(default_factory=dict)
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # pages beside the report (claims/<id>.html)
    failure: Failure | None = None
    seconds: float = 0.0


# -- on the workers ------------------------------------------------------------------------------


class WarmKernels:
    """A Dask worker plugin: a pool of warm kernels per worker, as a local render keeps (see kernels.py).

    As locally, its kernels draw figures only in the run's `formats` and trust the data the host
    validated (`trusted`, the digest of its bytes: the copy shipped to the worker has the same).
    """

    name = PLUGIN

    def __init__(self, modules: tuple[str, ...], formats: tuple[str, ...] = (), trusted: str = "") -> None:
        self.modules, self.formats, self.trusted = modules, formats, trusted
        self.pool: Any = None

    def setup(self, worker: Any) -> None:
        from .kernels import KernelPool  # (asyncio and the kernel client: only on a worker)

        children.reset()  # a new run on a long-lived worker: forget the stop of an interrupted one
        runtime = Path(tempfile.mkdtemp(dir=worker.local_directory, prefix="lunar-"))
        self.pool = KernelPool(runtime / "k", self.modules, size=worker.state.nthreads, formats=self.formats)
        self.pool.trust(self.trusted)

    def teardown(self, worker: Any) -> None:
        if self.pool is not None:
            self.pool.close()
            shutil.rmtree(self.pool.runtime.parent, ignore_errors=True)


def _worker_plugin(modules: tuple[str, ...], formats: tuple[str, ...], trusted: str) -> Any:
    """WarmKernels as Dask's WorkerPlugin (a subclass made here: Dask is imported only when a run needs it)."""
    from distributed import WorkerPlugin

    return type("WarmKernelsPlugin", (WarmKernels, WorkerPlugin), {})(modules, formats, trusted)


def _scratch() -> Path:
    """A new folder in the worker's local directory (the system's temp folder outside a worker)."""
    from distributed import get_worker

    try:
        base = get_worker().local_directory
    except ValueError:
        base = tempfile.gettempdir()
    return Path(tempfile.mkdtemp(dir=base, prefix="lunar-task-"))


def _pool() -> Any:
    from distributed import get_worker

    with suppress(ValueError, KeyError):
        return getattr(get_worker().plugins[PLUGIN], "pool", None)
    return None


def execute_task(
    name: str,
    notebook_name: str,
    notebook: bytes,
    parameters: dict[str, Any],
    data: dict[str, bytes],
    host_data: str,
    cell_timeout: int | None = None,
) -> Executed:
    """On a worker: write the notebook and data files, run the notebook (each cell at most `cell_timeout` s), map
    what it read back to the host."""
    from .execute import execute_report  # (papermill: only on a worker)

    started = time.perf_counter()
    work = _scratch()
    try:
        folder = work / "data"
        for relative, content in data.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_bytes(content)
        path = work / notebook_name
        path.write_bytes(notebook)
        (work / "run").mkdir()
        local = {**parameters, "data_dir": str(folder)} if "data_dir" in parameters else parameters
        try:
            executed = execute_report(name, path, local, work / "run", kernels=_pool(), timeout=cell_timeout)
        except Exception as error:  # a failing cell, a dead kernel: the report's failure, as locally
            if isinstance(error, ReportFailed) and error.notebook is not None:
                show_on_host(error.notebook, str(folder), host_data)
            return Executed(failure=Failure.of(error), seconds=time.perf_counter() - started)
        show_on_host(executed.notebook, str(folder), host_data)
        reads = [_on_host(read, folder, host_data) for read in executed.reads]
        return Executed(
            executed.notebook, reads, executed.figures, executed.pages, seconds=time.perf_counter() - started
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _on_host(read: str, folder: Path, host_data: str) -> str:
    """A file the kernel read, as the host's path of the same data file."""
    try:
        return str(Path(host_data) / Path(read).resolve().relative_to(folder.resolve()))
    except ValueError:
        return read


def export_task(job: Job, notebook: Any, options: RenderOptions) -> tuple[dict[str, bytes], Failure | None, float]:
    """On a worker: the report's HTML and PDF (and its edition's copies), by the same code as a local render."""
    started = time.perf_counter()
    work = _scratch()
    try:
        export_files(job, notebook, options, work)
        failure = None
    except Exception as error:  # e.g. no xelatex on this worker: the PDF fails, the HTML is kept
        failure = Failure.of(error)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return job.files, failure, time.perf_counter() - started


def worker_environment() -> dict[str, str]:
    """What a worker runs: the lunar_report code digest, the key package versions, and whether the kernel is there."""

    try:
        check_kernel()
        kernel = ""
    except UsageError as error:
        kernel = str(error)
    return {"code": code_digest(), **package_versions(), "kernel": kernel}


def _has_bokeh() -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


def stop_worker_children() -> int:
    """On a worker: kill its kernels and xelatex runs at once (the host was interrupted)."""
    return children.stop_all(wait=0.2)


# -- on the host ---------------------------------------------------------------------------------


def _quiet_dask() -> None:
    """Dask's own log lines (a worker lost, a retry) stay out of the render's output; outcomes say what happened."""
    for name in ("distributed", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


@dataclass
class Cluster:
    """Where `render --cluster` runs reports: `address` is a scheduler's, or local[:N] for a cluster of this run."""

    address: str
    announce: Callable[[str], None] = print  # the dashboard line, printed once per run

    def run(self, stale: list[Job], context: RunContext) -> Iterator[Job]:
        """Execute and export the stale jobs on the cluster; yield each as it finishes (the caller records it)."""
        with _deferred_signals() as check:
            session, finished = None, False
            try:
                session = ClusterSession.connect(self.address, context.options, check)
                check()
                self.announce(session.describe())
                yield from session.results(stale, context, check)
                finished = True
            finally:
                if session is not None:
                    session.close(stopped=not finished)
            check()  # a signal during the close still stops the render


def _client_within(client_class: Any, address: str, check: Callable[[], None]) -> Any:
    """A Dask client of the scheduler at `address`, connected in a thread of its own: UsageError when it does not
    complete Dask's handshake within HANDSHAKE_TIMEOUT s or fails (a server of another kind, a TLS address without
    Dask's TLS settings); Interrupted (by `check`) as soon as a signal came. A connection given up is closed."""
    done: dict[str, Any] = {}
    given_up = threading.Event()

    def attempt() -> None:
        try:
            client = client_class(address, timeout=CONNECT_TIMEOUT)
        except BaseException as error:  # (any error of any library: reported below as one line)
            done["error"] = error
            return
        done["client"] = client
        if given_up.is_set():
            with suppress(Exception):
                client.close(timeout=2)

    thread = threading.Thread(target=attempt, name="lunar-report-connect", daemon=True)
    thread.start()
    end = time.monotonic() + HANDSHAKE_TIMEOUT
    try:
        while thread.is_alive():
            check()
            if time.monotonic() > end:
                raise UsageError(
                    f"--cluster {address}: no Dask scheduler completed the handshake within {HANDSHAKE_TIMEOUT:g} s "
                    "(is another kind of server at that address?); start one (dask scheduler), or check the address"
                )
            thread.join(0.1)
    except BaseException:
        given_up.set()
        raise
    check()
    if "client" in done:
        return done["client"]
    error = done.get("error")
    if isinstance(error, TimeoutError) or (isinstance(error, OSError) and "timed out" in str(error).lower()):
        raise UsageError(
            f"--cluster {address}: no Dask scheduler answered within {CONNECT_TIMEOUT:g} s; "
            "start one (dask scheduler), or check the address"
        )
    detail = " ".join(f"{type(error).__name__}: {error}".split())[:200]
    raise UsageError(
        f"--cluster {address}: cannot connect to a Dask scheduler there ({detail}); "
        "check the address (and Dask's TLS settings for tls://)"
    )


@contextmanager
def _deferred_signals() -> Iterator[Callable[[], None]]:
    """SIGINT and SIGTERM noted, then raised as Interrupted by the check this yields, between calls into Dask.

    Raised inside Dask's own code (serialising a task, say), the exception would come out as
    another one; the run checks often (every 0.1 s while waiting), so it still stops at once.
    """
    caught: list[int] = []

    def note(number: int, _frame: Any) -> None:
        caught.append(number)

    def check() -> None:
        if caught:
            raise Interrupted(caught[0], signal.Signals(caught[0]).name)

    with stop_signals_to(note):
        yield check


class ClusterSession:
    """A client of the cluster for one render: its futures, its shipped inputs, its plugin."""

    def __init__(self, client: Any, local: Any, address: str) -> None:
        self.client, self.local, self.address = client, local, address
        self.futures: list[Any] = []
        self.done: queue.Queue[tuple[Any, Any, str]] = queue.Queue()

    @classmethod
    def connect(cls, address: str, options: RenderOptions, check: Callable[[], None] = lambda: None) -> ClusterSession:
        """Connect (or start a local cluster), then check the workers run this code, packages and kernel.

        `check` raises Interrupted once SIGINT or SIGTERM came: it is called while connecting, so a scheduler that
        never answers (or an HTTP server answering in its place) cannot hold the output folder's lock."""
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError(
                f"--cluster {address}: Dask is not installed; pip install 'lunar-report[cluster]' (or dask[distributed])"
            ) from None
        _quiet_dask()
        match = LOCAL.match(address)
        local = None
        if match:
            workers = int(match.group(1)) if match.group(1) else None
            with dask.config.set({"distributed.scheduler.allowed-failures": 1}):  # a lost worker: one retry
                local = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.CRITICAL,
                )
            client = Client(local)
        else:
            client = _client_within(Client, address, check)
        session = cls(client, local, address)
        try:
            session.check_workers(options)
        except BaseException:
            session.close(stopped=False)
            raise
        return session

    def check_workers(self, options: RenderOptions) -> None:
        """UsageError when a worker lacks the kernel or runs other lunar_report code or package versions."""
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError:
            raise UsageError(
                f"--cluster {self.address}: the scheduler has no worker after {CONNECT_TIMEOUT:g} s; "
                f"start one (dask worker {self.address})"
            ) from None
        host = {k: v for k, v in environment(options.root).items() if not k.startswith("lock:")}
        for worker, found in sorted(self.client.run(worker_environment).items()):
            if found["kernel"]:
                raise UsageError(f"--cluster {self.address}: worker {worker}: {found['kernel']}")
            differ = [k for k in host if found.get(k) != host[k]]
            if differ:
                shown = ", ".join(
                    f"{k} {found.get(k, '?')[:12]} there, {host[k][:12]} here" for k in differ if k != "code"
                )
                what = "lunar_report code" if "code" in differ else "package versions"
                raise UsageError(
                    f"--cluster {self.address}: worker {worker} runs other {what} than this host"
                    f"{f' ({shown})' if shown else ''}; install the same requirements/lock.txt and lunar-report there"
                )

    def threads(self) -> int:
        """How many tasks the cluster's workers run at once now (at least 1: tasks wait for a worker)."""
        threads: dict[str, int] = self.client.nthreads()
        return max(sum(threads.values()), 1)

    def describe(self) -> str:
        """One line: the workers, and the dashboard's address when the scheduler serves one."""
        workers = self.client.scheduler_info(n_workers=-1)["workers"]
        threads = sum(w.get("nthreads", 1) for w in workers.values())
        link = None
        with suppress(Exception):  # Dask's HTTP server shows the dashboard only with bokeh installed
            if self.client.run_on_scheduler(_has_bokeh):
                link = self.client.dashboard_link
        dashboard = f"dashboard {link}" if link else "no dashboard (install bokeh on the scheduler for one)"
        where = "a local cluster" if self.local is not None else self.address
        return f"Dask: {where}, {len(workers)} workers, {threads} threads; {dashboard}"

    # -- the run ------------------------------------------------------------------------------

    def _submit(self, job: Job, stage: str, function: Callable[..., Any], *args: Any, priority: int) -> None:
        key = f"lunar-report-{stage}-{job.spec.name}-{uuid.uuid4().hex[:8]}"
        future = self.client.submit(function, *args, key=key, priority=priority, pure=False)
        self.futures.append(future)
        future.add_done_callback(lambda done: self.done.put((done, job, stage)))

    def _ship(self, kind: str, contents: dict[str, bytes]) -> dict[str, Any]:
        """Each content once, as a task keyed by its digest (name -> its future); every worker fetches it from a peer.

        A task, not `scatter`: Dask forgets scattered data when a worker holding it dies, and would
        cancel the reports that need it; a task's result is computed again from the bytes it carries.
        """
        keys = {name: f"lunar-report-{kind}-{hashlib.sha256(c).hexdigest()}" for name, c in contents.items()}
        futures = {key: self.client.submit(bytes, contents[name], key=key, pure=False) for name, key in keys.items()}
        self.futures += list(futures.values())
        return {name: futures[key] for name, key in keys.items()}

    def results(self, stale: list[Job], context: RunContext, check: Callable[[], None]) -> Iterator[Job]:
        """Yield each job once its export (or its failure) is back.

        Only as many kernel runs are submitted as the cluster has threads: a worker that finishes
        one then gets that report's export (higher priority) before the next kernel run, so the
        reports land one by one instead of all at the end.
        """
        from .kernels import notebook_imports  # (asyncio and the kernel client: only to render)

        notebooks = sorted({job.spec.notebook for job in stale})
        options = context.options
        plugin = _worker_plugin(notebook_imports(notebooks), options.drawn_formats, context.trusted_data)
        self.client.register_plugin(plugin, name=PLUGIN)
        data = self._ship("data", dict(context.data.files))  # the run's snapshot: the bytes the host validated
        host_data = str(context.data.source)
        sources = self._ship("notebook", {str(n): n.read_bytes() for n in notebooks})
        waiting, running, threads = longest_first(stale), 0, self.threads()
        remaining = len(stale)
        while remaining:
            check()
            while waiting and running < threads:
                job = waiting.pop(0)
                arguments = (job.spec.name, job.spec.notebook.name, sources[str(job.spec.notebook)], job.parameters)
                self._submit(
                    job,
                    "execute",
                    execute_task,
                    *arguments,
                    data,
                    host_data,
                    options.limits.cell_timeout,
                    priority=EXECUTE,
                )
                running += 1
            try:
                future, job, stage = self.done.get(timeout=0.1)
            except queue.Empty:
                continue
            if stage == "execute":
                running, threads = running - 1, self.threads()  # workers may have joined or left
            if stage == "execute" and self._executed(job, future, options):
                continue
            if stage == "export":
                self._exported(job, future)
            if job.error is not None:
                add_failure_page(job, options)
            remaining -= 1
            yield job

    def _executed(self, job: Job, future: Any, options: RenderOptions) -> bool:
        """Record the kernel run; True when the export was submitted (the job is not finished yet)."""
        run = _outcome(future, job)
        job.seconds += run.seconds
        job.reads, job.figures, job.pages = run.reads, run.figures, run.pages
        if run.failure is not None:
            job.error = run.failure.raised(job.spec.name)
            return False
        try:
            notebook = run.notebook
            draft = executed(job, notebook, options)
        except Exception as error:  # as in a local run: the report's failure, not the render's
            job.error = Failure.of(error).raised(job.spec.name)
            return False
        light = replace(job, history=(), before={}, data=None, reads=[], figures={}, draft=replace(draft, tables={}))
        self._submit(job, "export", export_task, light, notebook, options, priority=EXPORT)
        return True

    def _exported(self, job: Job, future: Any) -> None:
        try:
            files, failure, seconds = future.result()
        except Exception as error:
            files, failure, seconds = {}, _lost(error), 0.0
        job.files.update(files)
        job.seconds += seconds
        if failure is not None:
            job.error = failure.raised(job.spec.name)

    def close(self, stopped: bool) -> None:
        """End the session; when the run was stopped, kill every worker's kernels and cancel every task first."""
        if stopped:
            with suppress(Exception):
                self.client.run(stop_worker_children, wait=True)
            with suppress(Exception):
                self.client.cancel(self.futures, force=True)
            for nanny in self.local.workers.values() if self.local is not None else ():
                nanny.close_gracefully()  # its workers are this run's: end them now, and none restarted
                with suppress(OSError, TypeError):
                    os.kill(nanny.pid, signal.SIGKILL)
        elif self.local is None:
            with suppress(Exception):  # a long-lived worker keeps no warm kernel after the run
                self.client.unregister_worker_plugin(PLUGIN)
        with suppress(Exception):
            self.client.close(timeout=2 if stopped else 10)
        if self.local is not None:
            with suppress(Exception):
                self.local.close(timeout=2 if stopped else 10)


def _outcome(future: Any, job: Job) -> Executed:
    try:
        result: Executed = future.result()
        return result
    except Exception as error:
        return Executed(failure=_lost(error))


def _lost(error: Exception) -> Failure:
    """A task that ended without a result: its workers died (Dask retried it on another), or the cluster went away."""
    from distributed import KilledWorker

    if isinstance(error, KilledWorker):
        return Failure("the Dask worker running it died, and so did the one it was retried on", where="the cluster")
    return Failure(f"{type(error).__name__}: {error}", where="the cluster")
