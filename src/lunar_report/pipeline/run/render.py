"""Render reports: validate, skip what is up to date, execute and export the rest in parallel.

Safe to leave on a schedule: the data is validated on every run; one render per output
folder at a time (a lock); each report's files, manifest entry and edition committed together,
then the site pages in one more commit (commit.py); the previous good outputs kept when a report fails; byte-identical results for identical inputs; Ctrl-C or
SIGTERM stops kernels and xelatex at once, and what a killed run left is removed by the next.

Every rendering is also published (see editions.py, site.py): kept as an edition with the data it
read, with a "What changed" section and a navigation bar, listed on the editions page and in the
feed, and merged into the combined PDF.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import Interrupted, ReportFailed, TexError
from ..base import children
from ..base.signals import interrupt, raise_if_stopped, stop_signals_to
from ..config.limits import Limits
from ..config.reports import ReportSpec
from ..site.index import FAILED_DIR, index_pages
from ..site.links import SiteReport
from ..store import editions, workspace
from ..store.commit import Commit
from ..store.editions import DEFAULT_KEEP, Draft, Edition
from ..store.fingerprint import Inputs, environment, file_digest, folder_digest, read_digests, relative, snapshot
from ..store.manifest import MANIFEST_NAME, Entry, Manifest, Output, Status, load_manifest, manifest_bytes

if TYPE_CHECKING:
    from .cluster import Cluster
    from .kernels import KernelPool

FORMATS = ("html", "pdf")
LOG = logging.getLogger("lunar_report")


@dataclass(frozen=True)
class RenderOptions:
    """How to render: where from, where to, as of which day, which formats."""

    out_dir: Path
    data_dir: Path
    as_of: date
    project: Path | None = None  # paths in the manifest are relative to it (default: the output folder's parent)
    formats: tuple[str, ...] = FORMATS
    include_code: bool = False
    force: bool = False
    jobs: int = 0  # 0: one per core
    wait: float = 0.0  # seconds to wait for another render's lock
    configured: tuple[str, ...] | None = None  # names the index lists as the report set (default: those rendered)
    site: tuple[SiteReport, ...] | None = (
        None  # reports every page links to (default: the configured among those rendered)
    )
    keep: int = DEFAULT_KEEP  # earlier editions kept per report, besides the current one
    kernels: KernelPool | None = None  # warm kernels to run the reports on (preview keeps one across renders)
    restore_from: str = ""  # address of the published site whose history an empty output folder starts from
    limits: Limits = field(default_factory=Limits)  # timeouts per cell and per xelatex run ([limits] in reports.toml)
    site_digest: str = ""  # digest of `site`, computed once per run (every report's fingerprint includes it)
    base_url: str | None = None  # the published site's address (reports.toml), for notebooks declaring base_url
    paper: str = "a4"  # the PDF's page size: "a4" or "letter" (`paper` in reports.toml)
    cluster: Cluster | None = None  # a Dask cluster to run the stale reports on (None: this machine)
    trusted_data: str = ""  # digest of the data the host validated in this run (its kernels do not check it again)

    @property
    def root(self) -> Path:
        return (self.project or self.out_dir.resolve().parent).resolve()


@dataclass(frozen=True)
class Outcome:
    """What happened to one report in this run."""

    name: str
    status: Status
    seconds: float = 0.0
    message: str = ""


@dataclass
class _Job:
    spec: ReportSpec
    parameters: dict[str, Any]
    inputs: Inputs
    files: dict[str, bytes] = field(default_factory=dict)
    reads: list[str] = field(default_factory=list)
    error: ReportFailed | None = None
    seconds: float = 0.0
    history: tuple[Edition, ...] = ()  # the report's editions before this run, newest first
    figures: dict[str, str] = field(default_factory=dict)  # key figures its kernel reported
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # pages its kernel noted beside the report
    draft: Draft | None = None  # the edition this run makes, once executed
    before: dict[str, str] = field(default_factory=dict)  # data file -> digest when the run started

    def file(self, fmt: str) -> str:
        return f"{self.spec.name}.{fmt}"


def today_utc() -> date:
    """Today's date in UTC: the default as-of date of scheduled renders."""
    return datetime.now(UTC).date()


def epoch(day: date) -> int:
    """Seconds since 1970 at the start of `day`, UTC: the PDF's creation date."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def shown_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters a reader sees, in one canonical (sorted) order (the data folder is a path of the rendering
    machine; the site's address is the site's, not the report's)."""
    return {k: parameters[k] for k in sorted(parameters) if k not in ("data_dir", "base_url")}


def _site(options: RenderOptions, specs: list[ReportSpec]) -> tuple[SiteReport, ...]:
    return (
        options.site if options.site is not None else tuple(SiteReport(s.name, s.title) for s in specs if s.configured)
    )


def site_digest(site: tuple[SiteReport, ...] | None) -> str:
    """One digest of the reports every page links to: a report's inputs hold it, not the list (linear, not quadratic)."""
    listed = json.dumps([[r.name, r.title] for r in site or ()], ensure_ascii=False)
    return hashlib.sha256(listed.encode()).hexdigest()


def _inputs(spec: ReportSpec, options: RenderOptions, reads: list[str], env: dict[str, str]) -> Inputs:
    parameters = {**spec.parameters, "as_of": options.as_of.isoformat(), "base_url": options.base_url}
    site = options.site_digest or site_digest(options.site)
    return Inputs(
        notebook=file_digest(spec.notebook),
        config={
            "name": spec.name,
            "title": spec.title,
            "parameters": spec.parameters,
            "configured": spec.configured,
            "site": site,
            "paper": options.paper,
        },
        parameters={k: v for k, v in parameters.items() if k in spec.declared},
        as_of=options.as_of.isoformat(),
        include_code=options.include_code,
        reads=read_digests(reads, options.root),
        environment=env,
    )


def _job(
    spec: ReportSpec,
    options: RenderOptions,
    previous: Entry | None,
    env: dict[str, str],
    history: tuple[Edition, ...] = (),
) -> _Job:
    supplied = {"data_dir": str(options.data_dir), "as_of": options.as_of.isoformat(), "base_url": options.base_url}
    parameters = {**spec.parameters, **{k: v for k, v in supplied.items() if k in spec.declared}}
    reads = previous.reads if previous else []
    return _Job(spec, parameters, _inputs(spec, options, reads, env), history=history)


def _up_to_date(job: _Job, entry: Entry | None, options: RenderOptions, ledger: editions.Ledger) -> bool:
    if entry is None or entry.status != Status.RENDERED or options.force:
        return False
    if not editions.is_kept(options.out_dir, ledger, job.spec.name, editions.edition_inputs(job.inputs)):
        return False
    for fmt in options.formats:
        output = entry.outputs.get(job.file(fmt))
        if output is None or output.fingerprint != job.inputs.fingerprint(fmt):
            return False
        if file_digest(options.out_dir / job.file(fmt)) != output.sha256:
            return False
    return "html" not in options.formats or all((options.out_dir / page).is_file() for page in entry.pages)


def _dress(notebook: Any, job: _Job, as_of: date) -> None:
    """Title and date from the report's configuration, not from the file name or the clock."""
    notebook.metadata["title"] = job.spec.title
    notebook.metadata["date"] = f"As of {as_of.day} {as_of:%B %Y}"


def _linked_formats(job: _Job, options: RenderOptions) -> tuple[str, ...]:
    """The formats a page links: those rendered now, and the PDF the same edition already has (`--to html` again)."""
    kept = job.history[0] if job.history and job.draft and not job.draft.new else None
    if kept is not None and f"{job.spec.name}.pdf" in kept.files and (options.out_dir / job.file("pdf")).is_file():
        return tuple(dict.fromkeys((*options.formats, "pdf")))
    return options.formats


def _export(job: _Job, notebook: Any, options: RenderOptions, work: Path) -> None:
    """The report's files, and the edition's own copies of those it does not have yet (never rewritten)."""
    from ..site.claim_pages import side_pages, to_current_pages
    from ..site.links import report_nav
    from . import export

    kept: dict[str, bytes] = {}  # the edition's own copies, published only when every format succeeded
    folder = options.out_dir / job.draft.edition.folder if job.draft else None
    formats = _linked_formats(job, options)
    thumbnail = export.thumbnail(notebook)  # the report's picture for the front page and for sharing
    if thumbnail is not None:
        job.files[f"{job.spec.name}.png"] = thumbnail
    if "html" in options.formats:
        parameters, site = shown_parameters(job.parameters), list(options.site or ())
        previous = job.draft.previous if job.draft else None
        if previous is not None and not (options.out_dir / previous.folder / job.file("html")).is_file():
            previous = None  # its page was removed: no dead link
        nav = report_nav(job.spec.name, site, formats, previous)
        job.files[job.file("html")] = export.to_html(notebook, parameters, options.include_code, nav)
        job.files.update(side_pages(job.pages, nav, job.spec.title, options.base_url))
        if job.draft and folder and not (folder / job.file("html")).exists():
            nav = report_nav(job.spec.name, site, formats, previous, job.draft.edition)
            page = export.to_html(notebook, parameters, options.include_code, nav)
            kept[f"{job.draft.edition.folder}/{job.file('html')}"] = to_current_pages(page, nav["up"])
    if "pdf" in options.formats:
        try:
            pdf = export.to_pdf(
                notebook,
                work / "tex",
                options.include_code,
                epoch(options.as_of),
                paper=options.paper,
                timeout=options.limits.tex_timeout,
            )
        except TexError as error:
            raise ReportFailed(job.spec.name, str(error), where="the PDF step") from None
        job.files[job.file("pdf")] = pdf
        if job.draft and folder and not (folder / job.file("pdf")).exists():
            kept[f"{job.draft.edition.folder}/{job.file('pdf')}"] = pdf
    job.files.update(kept)


def _actual_inputs(job: _Job, options: RenderOptions) -> Inputs:
    """The job's inputs with the data files its kernel actually read."""
    reads = sorted({relative(f, options.root) for f in job.reads})
    return replace(job.inputs, reads=read_digests(reads, options.root, job.before))


def _draft(job: _Job, options: RenderOptions) -> Draft:
    """The edition this run makes: its id, the previous edition, the data it read and what changed."""
    data = {}
    for file in sorted(set(job.reads)):
        try:
            data[relative(file, options.data_dir)] = Path(file).read_bytes()
        except OSError:
            continue
    inputs = _actual_inputs(job, options)
    return editions.draft(
        options.out_dir,
        job.spec.name,
        job.spec.title,
        options.as_of.isoformat(),
        editions.edition_inputs(inputs),
        job.history,
        data,
        job.figures,
        editions.method_digests(inputs),
    )


def _failure_page(job: _Job, options: RenderOptions, error: ReportFailed) -> bytes:
    """The executed notebook with its code and the error summarised at the top."""
    import nbformat

    from . import export

    notebook = error.notebook if error.notebook is not None else nbformat.read(job.spec.notebook, as_version=4)
    summary = nbformat.v4.new_markdown_cell(
        f"**Report `{job.spec.name}` failed in {error.where}.**\n\n```text\n{error.error}\n```",
        id="lunar-report-failure",
    )
    notebook.cells.insert(0, summary)
    _dress(notebook, job, options.as_of)
    return export.to_html(notebook, shown_parameters(job.parameters), include_code=True)


def _unexpected(job: _Job, error: Exception) -> ReportFailed:
    """A failure outside the notebook's cells (a bug or a system problem), kept as the report's failure."""
    return ReportFailed(job.spec.name, f"{type(error).__name__}: {error}", where="the build")


def _run(job: _Job, options: RenderOptions, run_dir: Path) -> _Job:
    """Execute and export one report in its own folder under `run_dir`; failures are kept on the job."""
    from ..store.changes import insert_section
    from .execute import execute_report

    started = time.perf_counter()
    work = workspace.job_dir(run_dir, job.spec.name)
    try:
        notebook, job.reads, job.figures, job.pages = execute_report(
            job.spec.name,
            job.spec.notebook,
            job.parameters,
            work,
            kernels=options.kernels,
            timeout=options.limits.cell_timeout,
        )
        _dress(notebook, job, options.as_of)
        job.draft = _draft(job, options)
        insert_section(notebook, job.draft.changes)
        _export(job, notebook, options, work)
    except Exception as error:  # one report's failure never stops the others
        job.error = error if isinstance(error, ReportFailed) else _unexpected(job, error)
        with suppress(Exception):  # no failure page: the summary line still says why
            job.files[f"{FAILED_DIR}/{job.spec.name}.html"] = _failure_page(job, options, job.error)
    job.seconds = time.perf_counter() - started
    return job


def _entry(job: _Job, options: RenderOptions, previous: Entry | None) -> tuple[Entry, Outcome]:
    """The manifest entry and outcome of a finished job (its files not yet written)."""
    reads = sorted({relative(f, options.root) for f in job.reads})
    inputs = _actual_inputs(job, options)
    kept = dict(previous.outputs) if previous else {}
    produced = {
        job.file(fmt): Output(editions.digest(job.files[job.file(fmt)]), inputs.fingerprint(fmt))
        for fmt in options.formats
        if job.file(fmt) in job.files
    }
    common = dict(
        title=job.spec.title,
        as_of=options.as_of.isoformat(),
        parameters=shown_parameters(job.parameters),
        configured=job.spec.configured,
        seconds=round(job.seconds, 2),
        pages=_pages(job, previous),
    )
    if job.error is None:
        entry = Entry(Status.RENDERED, reads=reads, outputs={**kept, **produced}, **common)  # type: ignore[arg-type]
        return entry, Outcome(job.spec.name, Status.RENDERED, job.seconds)
    kept.update(produced)  # e.g. the HTML when only the PDF step failed
    entry = Entry(Status.FAILED, reads=reads, outputs=kept, error=str(job.error), **common)  # type: ignore[arg-type]
    return entry, Outcome(job.spec.name, Status.FAILED, job.seconds, f"failed in {job.error.where}: {job.error.error}")


def _pages(job: _Job, previous: Entry | None) -> list[str]:
    """The pages beside the report once this run is committed: those written now when its HTML was, else the last."""
    if job.file("html") in job.files:
        return sorted(page for page in job.pages if page in job.files)
    return list(previous.pages) if previous else []


def _record(job: _Job, options: RenderOptions, manifest: Manifest, ledger: editions.Ledger) -> Outcome:
    """Commit the job's files, its manifest entry and its edition together (see commit.py); the pages beside the
    report that the last render wrote and this one did not (a claim removed) go in the same commit."""
    out = options.out_dir
    previous = manifest.reports.get(job.spec.name)
    entry, outcome = _entry(job, options, previous)
    unit = Commit(out)
    for name, content in job.files.items():
        unit.write(name, content)
    for page in sorted(set(previous.pages if previous else ()) - set(entry.pages) - set(job.files)):
        unit.remove(page)
    if job.error is None:
        unit.remove(f"{FAILED_DIR}/{job.spec.name}.html")
        if job.draft is not None:
            editions.publish(out, ledger, job.draft, [job.file(f) for f in _linked_formats(job, options)], unit)
    manifest.reports[job.spec.name] = entry
    unit.write(MANIFEST_NAME, manifest_bytes(manifest))
    editions.stage_ledger(out, ledger, unit)
    unit.apply()
    return outcome


@contextmanager
def _signals_raise() -> Iterator[None]:
    """While rendering, SIGTERM (like Ctrl-C's SIGINT) interrupts the main thread instead of killing it."""

    with stop_signals_to(interrupt):
        yield


def _workers(options: RenderOptions, stale: list[_Job]) -> int:
    return min(options.jobs or os.cpu_count() or 1, len(stale))


@contextmanager
def _kernels_ahead(stale: list[_Job], options: RenderOptions, run_dir: Path) -> Iterator[RenderOptions]:
    """`options` with a pool starting every stale report's kernel now (and its imports), closed on leaving.

    Started as soon as the stale reports are known, so the kernels start while this process
    validates the data and checks the parameters (a mistake found then stops them unused). A
    preview's own pool, or a cluster, is used as it is.
    """
    if not stale or options.kernels is not None or options.cluster is not None:
        yield options
        return
    from .kernels import START_TIMEOUT, KernelPool, notebook_imports  # (asyncio and the kernel client: only to render)

    notebooks = sorted({job.spec.notebook for job in stale})
    kernels = KernelPool(
        run_dir / "kernels",
        lambda: notebook_imports(notebooks),
        size=_workers(options, stale),
        budget=len(stale),
        formats=options.formats,
    )
    # The kernel's start-up and imports are the run's critical path: let its process get going before this
    # process's own imports (pandas, nbformat) take the interpreter from the thread that launches it.
    kernels.launched.wait(START_TIMEOUT)
    try:
        yield replace(options, kernels=kernels)
    except BaseException:
        with quiet_threads():
            kernels.close()
        raise
    kernels.close()


def _ready_exports(options: RenderOptions) -> None:
    """Import the exports and, for HTML, export a throw-away page (templates compiled, libraries imported)."""
    from . import export

    if "html" in options.formats:
        with suppress(Exception):  # only a head start: the report's own export reports any problem
            export.warm_up(options.include_code)


def _run_all(stale: list[_Job], options: RenderOptions, run_dir: Path) -> Iterator[_Job]:
    """Run the stale jobs on a pool; yield each as it finishes. An interrupt stops every child at once."""
    if options.cluster is not None:  # the reports run on a Dask cluster; this process still records them
        yield from options.cluster.run(stale, options, run_dir)
        return
    if options.kernels is not None:
        options.kernels.trust(options.trusted_data)
    # while the first kernel starts and runs its cells, this process readies its exports
    threading.Thread(target=_ready_exports, args=(options,), daemon=True).start()
    pool = ThreadPoolExecutor(max_workers=_workers(options, stale), thread_name_prefix="lunar-report")
    futures: list[Future[_Job]] = [pool.submit(_run, job, options, run_dir) for job in stale]
    try:
        with _signals_raise():
            pending = set(futures)
            while pending:  # wake often: a signal caught by another thread runs its handler when the main thread runs
                raise_if_stopped()
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=futures.index):
                    if options.kernels is not None:  # a pool that does not prefetch: its next kernel starts now
                        options.kernels.refill()
                    yield future.result()
    except BaseException as stopped:  # Interrupted, or the caller stopped (its output stream broke): no report goes on
        with quiet_threads():
            children.stop_all()
            pool.shutdown(wait=False, cancel_futures=True)
        if isinstance(stopped, KeyboardInterrupt):
            raise Interrupted(signal.SIGINT, "SIGINT") from None
        raise
    pool.shutdown(wait=True)


def _validated(data_dir: Path, code: str, manifest: Manifest) -> str:
    """Validate the data folder unless exactly these files passed with this code before; the digest of the data
    bytes that passed (handed to the kernels, which then do not check those bytes again).

    Runs on every render: bad data is never "up to date". Validation is a function of the files and
    the code, so an unchanged folder digest means an unchanged (passing) verdict, and the same data
    digest as then (kept in the manifest: no table is read again).
    """
    digest = f"{code[:16]}-{folder_digest(data_dir)}" if data_dir.is_dir() else ""
    if not digest or digest != manifest.validated or not manifest.validated_data:
        from ...facts.validate import validated_digest

        manifest.validated_data = validated_digest(data_dir)
        manifest.validated = digest
    return manifest.validated_data


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


def _ledger(out: Path) -> editions.Ledger:
    """The output folder's ledger; rebuilt from the edition folders (and said so) when it is missing."""
    ledger = editions.load_ledger(out)
    if ledger is not None:
        return ledger
    ledger = editions.rebuild(out)
    if ledger.reports:
        count = sum(len(history) for history in ledger.reports.values())
        LOG.warning(f"note: {out / editions.LEDGER} was missing; rebuilt from {count} edition folders")
    return ledger


def render_reports(
    specs: list[ReportSpec], options: RenderOptions, on_outcome: Callable[[Outcome], None] = lambda o: None
) -> list[Outcome]:
    """Render every stale report in `specs` into `options.out_dir`; report each outcome as it lands.

    Each report is committed whole (its files, manifest entry and edition), then the site pages in
    one more commit. Raises DataError (invalid data), UsageError (parameters, output or data
    folder), LedgerError (an unreadable ledger: nothing written), LockBusy, Interrupted.
    """
    workspace.check_as_of(options.as_of)
    workspace.check_data_dir(options.data_dir)
    made = workspace.new_folders(options.out_dir)
    out = workspace.prepare_out_dir(options.out_dir, options.data_dir)
    site = _site(options, specs)
    options = replace(options, out_dir=out, site=site, site_digest=site_digest(site))
    with workspace.locked(out, options.wait, made) as run_dir:
        workspace.check_outputs(out, [spec.name for spec in specs])
        if options.restore_from:
            from ..store.restore import restore

            workspace.check_writable(out)
            restore(out, options.restore_from)
        ledger = _ledger(out)
        manifest = load_manifest(out)
        env = environment(options.root)
        reports = manifest.reports
        jobs = [_job(spec, options, reports.get(spec.name), env, ledger.history(spec.name)) for spec in specs]
        current = [_up_to_date(job, reports.get(job.spec.name), options, ledger) for job in jobs]
        stale = [job for job, up_to_date in zip(jobs, current, strict=True) if not up_to_date]
        if stale:
            workspace.check_writable(out)  # before any kernel starts
        with _kernels_ahead(stale, options, run_dir) as options:
            options = replace(options, trusted_data=_validated(options.data_dir, env["code"], manifest))
            outcomes = [Outcome(job.spec.name, Status.UP_TO_DATE) for job, up in zip(jobs, current, strict=True) if up]
            for outcome in outcomes:
                on_outcome(outcome)
            if stale:
                from ...facts.trust import trusting

                with trusting(options.trusted_data):
                    workspace.preflight([job.spec for job in stale], options.data_dir, options.as_of)
                before = snapshot(options.data_dir, options.root)  # what the reports read is recorded as it was now
                for job in stale:
                    job.before = before
                for job in _run_all(stale, options, run_dir):
                    outcomes.append(_record(job, options, manifest, ledger))
                    on_outcome(outcomes[-1])
        configured = list(
            options.configured if options.configured is not None else [s.name for s in specs if s.configured]
        )
        raise_if_stopped()  # a stop whose first raise was lost: nothing more is written
        if stale or not _site_current(out, manifest, ledger, configured, options, env["code"]):
            workspace.check_writable(out)
            _publish(out, ledger, manifest, configured, options, run_dir, env["code"])
        return outcomes


def _site_inputs(
    manifest: Manifest, ledger: editions.Ledger, configured: list[str], options: RenderOptions, code: str
) -> str:
    """A digest of what the site pages are made from: the manifest (each report's outputs by sha256), the
    ledger, the configured reports, retention, the site's address and the code."""
    settings = json.dumps([configured, options.keep, options.base_url, options.site_digest, code])
    digest = hashlib.sha256(manifest_bytes(replace(manifest, published={})))
    digest.update(editions.ledger_bytes(ledger) + settings.encode())
    return digest.hexdigest()


def _site_current(
    out: Path, manifest: Manifest, ledger: editions.Ledger, configured: list[str], options: RenderOptions, code: str
) -> bool:
    """True when the last run made the site pages from these same inputs and each is still as it wrote it:
    publishing again would write the same bytes (an unchanged render then costs no page)."""
    published = manifest.published
    return (
        published.get("inputs") == _site_inputs(manifest, ledger, configured, options, code)
        and isinstance(published.get("pages"), dict)
        and all(file_digest(out / name) == sha256 for name, sha256 in published["pages"].items())
    )


def _publish(
    out: Path,
    ledger: editions.Ledger,
    manifest: Manifest,
    configured: list[str],
    options: RenderOptions,
    run_dir: Path,
    code: str,
) -> None:
    """The site in one commit: retention in the ledger, the index, editions page, feed and combined PDF.

    The folders of editions retention dropped are removed once the ledger without them is written.
    """
    from ..site import combined
    from ..site import links as site

    dropped = editions.prune(ledger, options.keep)
    reports = manifest.reports
    chapters = []
    for name in configured:
        entry = reports.get(name)
        pdf = entry.outputs.get(f"{name}.pdf") if entry is not None and entry.status == Status.RENDERED else None
        if entry is not None and pdf is not None:
            parameters = {k: v for k, v in entry.parameters.items() if k != "as_of"}
            chapters.append(combined.Chapter(name, entry.title, entry.as_of, pdf.sha256, parameters))
    unit = Commit(out)
    book = combined.build(out, chapters, ledger, run_dir / "combined", code)
    if book is not None:
        unit.write(combined.COMBINED, book)
    unit.write(MANIFEST_NAME, manifest_bytes(manifest))
    editions.stage_ledger(out, ledger, unit)
    site.stage_pages(out, ledger, configured, unit, options.base_url)
    for page, content in index_pages(reports, configured, out, ledger, frozenset(unit.names())).items():
        unit.write(page, content)
    pages = {name: content for name, content in unit.files.items() if name != MANIFEST_NAME}
    manifest.published = {
        "inputs": _site_inputs(manifest, ledger, configured, options, code),
        "pages": {name: hashlib.sha256(content).hexdigest() for name, content in sorted(pages.items())},
    }
    unit.write(MANIFEST_NAME, manifest_bytes(manifest))  # (with the record of what was published)
    unit.apply()
    editions.remove_editions(out, ledger, dropped)
