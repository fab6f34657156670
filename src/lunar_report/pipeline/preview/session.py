"""`lunar-report preview`: render to HTML, serve on localhost, re-render what an edit affects, reload the page.

The loop: watch the data folder and the lunar_report package (watchfiles), and poll the
configuration and the notebooks (editors replace files by renaming, which a watch on the file
itself misses). An edit re-renders only the reports it affects: a data file, the reports whose
last render read it; a notebook, the reports using it; reports.toml or the package, all. Reports
run on warm kernels (pipeline/run/kernels.py) and are written by the same code as `render --to html`,
into a temporary folder that is removed on exit. Errors go to the served pages, not only here.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ... import paths
from ...errors import DataError, Interrupted, LunarReportError
from ..base import children
from ..base.signals import stop_signals_to
from ..config.reports import ReportSpec, load_reports, select
from ..config.request import RenderRequest
from ..config.settings import RenderOptions
from ..run.kernels import KernelPool, leaves_a_core, notebook_imports
from ..run.publish import Outcome
from ..run.render import render_reports
from ..store.fingerprint import PACKAGE_DIR
from ..store.manifest import Status, load_manifest
from ..store.preview_folders import claim_preview_folder, release_preview_folder, remove_dead_previews
from .oneoff import ParameterPages, Settings
from .server import Problem, Server, Site

POLL_MS = 300  # how often the polled files (configuration, notebooks) are checked
HOST_CODE = PACKAGE_DIR / "pipeline"  # host-side code: a change needs a restart of preview to take effect
ALL = None  # "every report" where a set of names is expected
STOP_SECONDS = 10.0  # how long a stop waits for the render under way to wind down


@dataclass(frozen=True)
class PreviewOptions:
    """What to preview: report names (empty: all configured), configuration, data, as-of date, port."""

    names: tuple[str, ...] = ()
    config_file: Path | None = None
    data_dir: Path | None = None
    as_of: date | None = None
    port: int = 8000
    jobs: int = 0  # reports rendered at once and kernels kept warm (0: one per core)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def _hidden(path: Path, roots: list[Path]) -> bool:
    """True for a hidden file or one in a hidden folder below its watched root (editor locks, caches)."""
    for root in roots:
        if path.is_relative_to(root):
            return any(part.startswith(".") for part in path.relative_to(root).parts)
    return False


def _command_options(options: PreviewOptions) -> tuple[str, ...]:
    """The `render` options a one-off from a parameters page needs to match this preview: --data, --as-of, --config."""
    given = (("--data", options.data_dir), ("--as-of", options.as_of), ("--config", options.config_file))
    return tuple(text for option, value in given if value is not None for text in (option, str(value)))


class Preview:
    """One preview session: its temporary folder, kernels, server and the render loop."""

    def __init__(self, options: PreviewOptions, echo: Callable[[str], None]) -> None:
        self.options, self.echo = options, echo
        self.config = paths.config_file(options.config_file)
        self.project = self.config.parent
        self.data = paths.data_dir(options.data_dir, self.project)
        self.as_of = options.as_of
        self.specs = self._load()  # a mistake here stops preview before it starts (exit 2)
        self.jobs = options.jobs or os.cpu_count() or 1
        remove_dead_previews()  # what a killed preview left
        self.temp, self._temp_lock = claim_preview_folder()
        self.out = self.temp / "site"
        self.kernels: KernelPool | None = None
        self.site = Site(self.out, lambda: self.kernels.ready() if self.kernels else 0)
        self.site.extra = ParameterPages(
            self.temp / "parameters",
            Settings(self.config, self.project, self.data, self.as_of, _command_options(options)),
            lambda: self.specs,
            lambda: self.kernels,
            lambda: int(self.site.status()["generation"]),
            echo,
        )
        self.server: Server | None = None
        self.stamps: dict[Path, tuple[int, int, int] | None] = {}
        self.rerender_all = True

    def _load(self) -> list[ReportSpec]:
        return select(load_reports(self.config), self.options.names)

    # -- what an edit affects -----------------------------------------------------------------

    def polled(self) -> list[Path]:
        """Files checked by polling: the configuration and the notebooks."""
        return [self.config, *sorted({spec.notebook for spec in self.specs})]

    def changed_polled(self) -> set[Path]:
        """The polled files whose size, time or inode changed since the last look."""
        changed = set()
        for path in self.polled():
            stamp = _stamp(path)
            if path in self.stamps and self.stamps[path] != stamp:
                changed.add(path)
            self.stamps[path] = stamp
        return changed

    def affected(self, changed: set[Path]) -> set[str] | None:
        """The reports an edit of `changed` affects; None for every report."""
        if self.rerender_all or any(p == self.config or p.is_relative_to(PACKAGE_DIR) for p in changed):
            return ALL
        names = {spec.name for spec in self.specs if spec.notebook in changed}
        data = {p for p in changed if p.is_relative_to(self.data)}
        if data:
            manifest = load_manifest(self.out).reports
            root = self.project.resolve()
            for spec in self.specs:
                entry = manifest.get(spec.name)
                if entry is None or entry.status != Status.RENDERED:
                    names.add(spec.name)  # a failed run records no reads: any data edit may fix it
                elif data & {(root / read).resolve() for read in entry.reads}:
                    names.add(spec.name)
        return names

    # -- one round of rendering ---------------------------------------------------------------

    def render(self, changed: set[Path]) -> None:
        """Re-render what `changed` affects (everything on the first round) and publish the outcome."""
        assert self.kernels is not None
        affected = self.affected(changed)
        if affected is ALL or self.config in changed or changed & {s.notebook for s in self.specs}:
            try:
                self.specs = self._load()
            except LunarReportError as error:
                self._problem("The report configuration has a mistake", str(error).splitlines())
                return
            modules = notebook_imports(sorted({s.notebook for s in self.specs}))
            if (
                affected is ALL and any(p.is_relative_to(PACKAGE_DIR) for p in changed)
            ) or modules != self.kernels.modules:
                self.kernels.restart(modules)  # warm kernels hold the old code or lack new imports
        specs = self.specs if affected is ALL else [s for s in self.specs if s.name in affected]
        viewed = self.site.viewed()
        specs = sorted(specs, key=lambda spec: spec.name not in viewed)  # open pages first
        if any(p.is_relative_to(HOST_CODE) and p.suffix == ".py" for p in changed):
            self.echo("note: the build code changed; restart preview to use it (the reports are re-rendered now)")
        names = tuple(s.name for s in self.specs)
        self.site.publish(reports=names, busy=tuple(s.name for s in specs))
        started = time.perf_counter()
        try:
            outcomes = render_reports(specs, self._render_options(names), self._report, kernels=self.kernels)
        except DataError as error:
            self._problem("The data has problems", error.problems)
            return
        except Interrupted:
            raise
        except LunarReportError as error:
            self._problem("The reports cannot be rendered", str(error).splitlines())
            return
        except Exception as error:  # a bug: show it where the author looks, and keep serving
            self._problem("The build failed unexpectedly", [f"{type(error).__name__}: {error}"])
            return
        self.rerender_all = False
        entries = load_manifest(self.out).reports
        failed = {n: entries[n].error for n in names if n in entries and entries[n].status == Status.FAILED}
        self.site.publish(problem=None, failed=failed, busy=())
        rendered = sum(o.status == Status.RENDERED for o in outcomes)
        if rendered or any(o.status == Status.FAILED for o in outcomes):
            self.echo(f"{rendered} rendered, {len(failed)} failed in {time.perf_counter() - started:.1f} s")

    def _render_options(self, names: tuple[str, ...]) -> RenderOptions:
        request = RenderRequest(
            config_file=self.config,
            project=self.project,
            data_dir=self.data,
            out_dir=self.out,
            as_of=self.as_of,
            formats=("html",),
            jobs=self.jobs,
        )
        return request.options(names, self.specs)  # every page links every report

    def _report(self, outcome: Outcome) -> None:
        if outcome.status == Status.RENDERED:  # its page is written: open pages reload before the site pages are made
            self.site.rendered(outcome.name)
        if outcome.status != Status.UP_TO_DATE:
            detail = f" — {outcome.message}" if outcome.message else ""
            self.echo(f"{outcome.name}: {outcome.status} ({outcome.seconds:.1f} s){detail}")

    def _problem(self, title: str, lines: list[str]) -> None:
        self.rerender_all = True  # nothing was rendered: the next round renders whatever is stale
        self.echo(f"{title}:")
        for line in lines:
            self.echo(f"  {line}")
        self.site.publish(problem=Problem(title, tuple(lines)), busy=())

    # -- the session --------------------------------------------------------------------------

    def watched(self) -> list[Path]:
        """Folders watched for changes: the data and the package (templates included)."""
        return [folder for folder in (self.data, PACKAGE_DIR) if folder.is_dir()]

    def run(self, ready: Callable[[str], None], stop: threading.Event) -> bool:
        """Serve and re-render until `stop` is set; True when a render was under way then.

        This thread only watches and dispatches: renders run one at a time on another thread, so
        a signal (which sets `stop`) never lands inside the rendering code. `ready(url)` is called
        once the server listens.
        """
        import watchfiles

        self.out.mkdir()
        self.server = Server(self.site, self.options.port)
        modules = notebook_imports(sorted({s.notebook for s in self.specs}))
        size = min(self.jobs, len(self.specs))
        self.kernels = KernelPool(
            self.temp / "kernels",
            modules,
            size=size,
            prefetch=False,
            formats=("html",),
            spare_core=leaves_a_core(size),
        )
        self.site.publish(reports=tuple(s.name for s in self.specs), busy=tuple(s.name for s in self.specs))
        ready(self.server.url)
        self.changed_polled()
        roots = self.watched()
        usual = watchfiles.DefaultFilter()
        changes: set[Path] = set()
        renderer: threading.Thread | None = None
        first = True
        for batch in watchfiles.watch(
            *roots,
            watch_filter=lambda change, path: usual(change, path) and not _hidden(Path(path), roots),
            rust_timeout=POLL_MS,
            yield_on_timeout=True,
            step=50,
            stop_event=stop,
            raise_interrupt=False,
        ):
            changes |= {Path(path).resolve() for _, path in batch} | self.changed_polled()
            if (changes or first) and not (renderer and renderer.is_alive()):
                if changes:
                    self.echo(f"changed: {', '.join(sorted(self._shown(p) for p in changes))}")
                first = False
                renderer = threading.Thread(target=self.render, args=(changes,), name="lunar-report-preview-render")
                changes = set()
                renderer.start()
        if renderer and renderer.is_alive():
            children.stop_all()  # the kernels of the render under way: its reports fail at once
            renderer.join(STOP_SECONDS)
            return True
        return False

    def _shown(self, path: Path) -> str:
        for root in (self.project, PACKAGE_DIR.parent):
            if path.is_relative_to(root):
                return path.relative_to(root).as_posix()
        return str(path)

    def close(self) -> None:
        """Stop the server and the kernels; remove the temporary folder."""
        if self.server:
            self.server.close()
        if self.kernels:
            self.kernels.close()
        release_preview_folder(self.temp, self._temp_lock)


@contextmanager
def _signals_stop(stop: threading.Event) -> Iterator[list[int]]:
    """SIGINT and SIGTERM set `stop` (and nothing else): the watch loop ends at its next step."""
    received: list[int] = []

    def handler(number: int, frame: Any) -> None:
        received.append(number)
        stop.set()

    with stop_signals_to(handler):
        yield received


def preview(options: PreviewOptions, echo: Callable[[str], None], ready: Callable[[str], None]) -> None:
    """Run a preview session until Ctrl-C or SIGTERM; everything it started is stopped and removed.

    Raises UsageError/ConfigError for mistakes found before serving (unknown report, busy port),
    and Interrupted when stopped in the middle of a render (its kernels are already stopped).
    """
    session = Preview(options, echo)
    stop = threading.Event()
    try:
        with _signals_stop(stop) as received:
            interrupted = session.run(ready, stop)
    finally:
        session.close()
    if interrupted:
        number = received[0] if received else signal.SIGINT
        raise Interrupted(number, signal.Signals(number).name)
