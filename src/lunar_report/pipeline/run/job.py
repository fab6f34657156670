"""One report's job: what it needs (its inputs and parameters), its kernel run, its edition's draft, its pages.

The local pool (local.py) and a Dask cluster (cluster.py) run the same job through these public
functions; render.py only orchestrates, and publish.py commits what a job made.
"""

from __future__ import annotations

import hashlib
import json
import time
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ...errors import PdfError, ReportFailed
from ..config.reports import ReportSpec
from ..config.settings import RenderOptions, SiteReport
from ..site.claim_pages import side_pages, to_current_pages
from ..site.index import FAILED_DIR
from ..site.links import report_nav
from ..store import editions, workspace
from ..store.changes import insert_section
from ..store.editions import Draft, Edition
from ..store.fingerprint import DataSnapshot, Inputs, file_digest, read_digests, relative
from ..store.manifest import Entry, Status
from .context import RunContext


@dataclass
class Job:
    """One report in one run: its spec and parameters, then what its run made (files, reads, figures, failure)."""

    spec: ReportSpec
    parameters: dict[str, Any]
    inputs: Inputs
    files: dict[str, bytes] = field(default_factory=dict)
    reads: list[str] = field(default_factory=list)
    error: ReportFailed | None = None
    seconds: float = 0.0
    last_seconds: float | None = None  # how long its last render took (None: never rendered here)
    history: tuple[Edition, ...] = ()  # the report's editions before this run, newest first
    figures: dict[str, str] = field(default_factory=dict)  # key figures its kernel reported
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # pages its kernel noted beside the report
    draft: Draft | None = None  # the edition this run makes, once executed
    before: dict[str, str] = field(default_factory=dict)  # data file -> digest when the run started
    data: DataSnapshot | None = None  # the data folder as the run read it: what the kernel reads, and is compared

    def file(self, fmt: str) -> str:
        return f"{self.spec.name}.{fmt}"


def epoch(day: date) -> int:
    """Seconds since 1970 at the start of `day`, UTC: the PDF's creation date."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def shown_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters a reader sees, in one canonical (sorted) order (the data folder is a path of the rendering
    machine; the site's address is the site's, not the report's)."""
    return {k: parameters[k] for k in sorted(parameters) if k not in ("data_dir", "base_url")}


def site_digest(site: tuple[SiteReport, ...] | None) -> str:
    """One digest of the reports every page links to: a report's inputs hold it, not the list (linear, not quadratic)."""
    listed = json.dumps([[r.name, r.title] for r in site or ()], ensure_ascii=False)
    return hashlib.sha256(listed.encode()).hexdigest()


def _inputs(
    spec: ReportSpec,
    options: RenderOptions,
    site: str,
    reads: list[str],
    env: dict[str, str],
    data: DataSnapshot | None = None,
) -> Inputs:
    parameters = {**spec.parameters, "as_of": options.as_of.isoformat(), "base_url": options.base_url}
    return Inputs(
        notebook=file_digest(spec.notebook),
        config={
            "name": spec.name,
            "title": spec.title,
            "parameters": spec.parameters,
            "configured": spec.configured,
            "site": site,
            "paper": options.paper,
            "pdf_engine": options.pdf_engine,
        },
        parameters={k: v for k, v in parameters.items() if k in spec.declared},
        as_of=options.as_of.isoformat(),
        include_code=options.include_code,
        reads=read_digests(reads, options.root, data.digests if data is not None else None),
        environment=env,
    )


def new_job(
    spec: ReportSpec,
    options: RenderOptions,
    previous: Entry | None,
    env: dict[str, str],
    history: tuple[Edition, ...] = (),
    site: str = "",
    data: DataSnapshot | None = None,
) -> Job:
    """The job of `spec` in a run with `options`: its parameters and its inputs as last read (`previous`).

    `site` is the digest of the site's reports (computed from `options.site` when not given); `data`, the run's
    snapshot of the data folder: the kernel is given its copy, and the inputs are its digests.
    """
    folder = data.folder if data is not None else options.data_dir
    supplied = {"data_dir": str(folder), "as_of": options.as_of.isoformat(), "base_url": options.base_url}
    parameters = {**spec.parameters, **{k: v for k, v in supplied.items() if k in spec.declared}}
    reads = previous.reads if previous else []
    inputs = _inputs(spec, options, site or site_digest(options.site), reads, env, data)
    last = previous.seconds if previous else None
    return Job(spec, parameters, inputs, last_seconds=last, history=history, data=data)


def longest_first(stale: list[Job]) -> list[Job]:
    """The jobs in the order to start them: the longest last time first, so that no core is left idle at the end
    while one long report runs alone; a report never rendered here first of all (it may be long), then the rest
    in their configured order."""
    return sorted(stale, key=lambda job: -job.last_seconds if job.last_seconds is not None else -float("inf"))


def up_to_date(job: Job, entry: Entry | None, options: RenderOptions, ledger: editions.Ledger) -> bool:
    """True when the last render made this job's files from the same inputs, and they and its edition are still there."""
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


def dress(notebook: Any, job: Job, as_of: date) -> None:
    """Title and date from the report's configuration, not from the file name or the clock."""
    notebook.metadata["title"] = job.spec.title
    notebook.metadata["date"] = f"As of {as_of.day} {as_of:%B %Y}"


def linked_formats(job: Job, options: RenderOptions) -> tuple[str, ...]:
    """The formats a page links: those rendered now, and the PDF the same edition already has (`--to html` again)."""
    kept = job.history[0] if job.history and job.draft and not job.draft.new else None
    if kept is not None and f"{job.spec.name}.pdf" in kept.files and (options.out_dir / job.file("pdf")).is_file():
        return tuple(dict.fromkeys((*options.formats, "pdf")))
    return options.formats


def export_files(job: Job, notebook: Any, options: RenderOptions, work: Path) -> None:
    """The report's files, and the edition's own copies of those it does not have yet (never rewritten)."""
    from . import export  # nbconvert: imported by a thread while the first kernel runs (local.ready_exports)

    kept: dict[str, bytes] = {}  # the edition's own copies, published only when every format succeeded
    folder = options.out_dir / job.draft.edition.folder if job.draft else None
    formats = linked_formats(job, options)
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
            pdf = _pdf(job, notebook, options, work)
        except PdfError as error:
            raise ReportFailed(job.spec.name, str(error), where="the PDF step") from None
        job.files[job.file("pdf")] = pdf
        if job.draft and folder and not (folder / job.file("pdf")).exists():
            kept[f"{job.draft.edition.folder}/{job.file('pdf')}"] = pdf
    job.files.update(kept)


def _pdf(job: Job, notebook: Any, options: RenderOptions, work: Path) -> bytes:
    """The report's PDF, made by the configured engine: xelatex from the notebook, or Chromium from its page."""
    from . import export

    if options.pdf_engine == "xelatex":
        return export.to_pdf(
            notebook,
            work / "tex",
            options.include_code,
            epoch(options.as_of),
            paper=options.paper,
            timeout=options.limits.tex_timeout,
        )
    page = job.files.get(job.file("html"))
    if page is None:  # a PDF-only render: the page it prints, as the site would show it
        nav = report_nav(job.spec.name, list(options.site or ()), linked_formats(job, options), None)
        page = export.to_html(notebook, shown_parameters(job.parameters), options.include_code, nav)
    return export.print_pdf(
        notebook, page, work / "print", epoch(options.as_of), paper=options.paper, timeout=options.limits.tex_timeout
    )


def actual_inputs(job: Job, options: RenderOptions) -> Inputs:
    """The job's inputs with the data files its kernel actually read."""
    reads = sorted({relative(f, options.root) for f in job.reads})
    return replace(job.inputs, reads=read_digests(reads, options.root, job.before))


def draft_edition(job: Job, options: RenderOptions) -> Draft:
    """The edition this run makes: its id, the previous edition, the data it read and what changed."""
    data = {}
    for file in sorted(set(job.reads)):
        content = job.data.content(file) if job.data is not None else None
        if content is None:  # (a file outside the data folder, or a render without a snapshot)
            try:
                content = Path(file).read_bytes()
            except OSError:
                continue
        data[relative(file, options.data_dir)] = content
    inputs = actual_inputs(job, options)
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


def executed(job: Job, notebook: Any, options: RenderOptions) -> Draft:
    """A kernel run's notebook made into the report's: dressed, its edition drafted, "What changed" inserted."""
    dress(notebook, job, options.as_of)
    job.draft = draft_edition(job, options)
    insert_section(notebook, job.draft.changes)
    return job.draft


def failure_page(job: Job, options: RenderOptions, error: ReportFailed) -> bytes:
    """The executed notebook with its code and the error summarised at the top."""
    import nbformat  # (with nbconvert: only when a report failed)

    from . import export  # (nbconvert: as in export_files)

    notebook = error.notebook if error.notebook is not None else nbformat.read(job.spec.notebook, as_version=4)
    summary = nbformat.v4.new_markdown_cell(
        f"**Report `{job.spec.name}` failed in {error.where}.**\n\n```text\n{error.error}\n```",
        id="lunar-report-failure",
    )
    notebook.cells.insert(0, summary)
    dress(notebook, job, options.as_of)
    return export.to_html(notebook, shown_parameters(job.parameters), include_code=True)


def add_failure_page(job: Job, options: RenderOptions) -> None:
    """The failed job's page under _failed/ (none when even that fails: the summary line still says why)."""
    if job.error is not None:
        with suppress(Exception):
            job.files[f"{FAILED_DIR}/{job.spec.name}.html"] = failure_page(job, options, job.error)


def as_failure(job: Job, error: Exception) -> ReportFailed:
    """The report's failure: a ReportFailed as it is, anything else (a bug, a system problem) as a failure of the build."""
    if isinstance(error, ReportFailed):
        return error
    return ReportFailed(job.spec.name, f"{type(error).__name__}: {error}", where="the build")


def run_job(job: Job, context: RunContext) -> Job:
    """Execute and export one report in its own folder under the run's; failures are kept on the job."""
    from .execute import execute_report  # papermill and the kernel client: only when a report runs

    options = context.options
    started = time.perf_counter()
    work = workspace.job_dir(context.folder, job.spec.name)
    try:
        try:
            notebook, reads, job.figures, job.pages = execute_report(
                job.spec.name,
                job.spec.notebook,
                job.parameters,
                work,
                kernels=context.kernels,
                timeout=options.limits.cell_timeout,
            )
        except ReportFailed as failed:
            if job.data is not None and failed.notebook is not None:
                job.data.as_on_host(failed.notebook)
            raise
        job.reads = [job.data.host(read) for read in reads] if job.data is not None else reads
        if job.data is not None:
            job.data.as_on_host(notebook)
        executed(job, notebook, options)
        export_files(job, notebook, options, work)
    except Exception as error:  # one report's failure never stops the others
        job.error = as_failure(job, error)
        add_failure_page(job, options)
    job.seconds = time.perf_counter() - started
    return job
