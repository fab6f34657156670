"""Render configured reports: skip what is up to date, execute and export the rest in parallel.

Safe to leave on a schedule: one render per output folder at a time (a lock), outputs
moved into place only when complete, the previous good outputs kept when a report fails,
and byte-identical results for identical inputs.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from .atomic import write_atomically, write_if_changed
from .config import ReportSpec
from ..errors import LockBusy
from .fingerprint import code_digest, file_digest, read_digests, report_fingerprint
from .index import index_html
from .manifest import Entry, load_manifest, save_manifest

LOCK_NAME = ".lunar-report.lock"
STAGING_PREFIX = ".staging-"
FAILED_DIR = "_failed"


@dataclass(frozen=True)
class RenderOptions:
    """How to render: where from, where to, as of which day."""

    out_dir: Path
    data_dir: Path
    as_of: date
    include_code: bool = False
    force: bool = False
    jobs: int = 0  # 0: one per core
    wait: float = 0.0  # seconds to wait for another render's lock


@dataclass(frozen=True)
class Outcome:
    """What happened to one report in this run."""

    name: str
    status: str  # rendered | up to date | failed
    seconds: float = 0.0
    message: str = ""


@dataclass
class _Job:
    spec: ReportSpec
    parameters: dict
    settings: dict
    files: dict[str, bytes] = field(default_factory=dict)
    reads: list[str] = field(default_factory=list)


def today_utc() -> date:
    """Today's date in UTC: the default as-of date of scheduled renders."""
    return datetime.now(timezone.utc).date()


def _epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def _job(spec: ReportSpec, options: RenderOptions) -> _Job:
    supplied = {"data_dir": str(options.data_dir), "as_of": options.as_of.isoformat()}
    parameters = {**spec.parameters, **{k: v for k, v in supplied.items() if k in spec.declared}}
    settings = {
        "name": spec.name,
        "title": spec.title,
        "parameters": parameters,
        "as_of": options.as_of.isoformat(),  # the report's date line, even where no cell uses it
        "include_code": options.include_code,
    }
    return _Job(spec, parameters, settings)


def _shown_parameters(parameters: dict) -> dict:
    return {k: v for k, v in parameters.items() if k != "data_dir"}


def _outputs_intact(out_dir: Path, entry: Entry) -> bool:
    return bool(entry.outputs) and all(file_digest(out_dir / n) == d for n, d in entry.outputs.items())


def _is_up_to_date(job: _Job, entry: Entry | None, code: str, out_dir: Path) -> bool:
    if entry is None or entry.status != "rendered":
        return False
    current = report_fingerprint(code, job.spec.notebook, job.settings, read_digests(entry.reads))
    return current == entry.fingerprint and _outputs_intact(out_dir, entry)


def _dress(notebook, job: _Job, as_of: date) -> None:
    """Title and date from the report's configuration, not from the file name or the clock."""
    notebook.metadata["title"] = job.spec.title
    notebook.metadata["date"] = f"As of {as_of.day} {as_of:%B %Y}"


def _execute_and_export(job: _Job, options: RenderOptions, workdir: Path) -> None:
    from . import export
    from .execute import execute_notebook

    notebook, job.reads = execute_notebook(job.spec.notebook, job.parameters, workdir)
    _dress(notebook, job, options.as_of)
    shown = _shown_parameters(job.parameters)
    job.files[f"{job.spec.name}.html"] = export.to_html(notebook, shown, options.include_code)
    job.files[f"{job.spec.name}.pdf"] = export.to_pdf(notebook, options.include_code, _epoch(options.as_of))


def _failure_page(job: _Job, options: RenderOptions, error: Exception) -> bytes:
    """The executed notebook with its code and the error summarised at the top."""
    import nbformat

    from . import export
    from .execute import ExecutionFailed

    failed_run = isinstance(error, ExecutionFailed) and error.notebook is not None
    notebook = error.notebook if failed_run else nbformat.read(job.spec.notebook, as_version=4)
    summary = nbformat.v4.new_markdown_cell(
        f"**Report `{job.spec.name}` failed in {_where(job, error)}.**\n\n```text\n{error}\n```",
        id="lunar-report-failure",
    )
    notebook.cells.insert(0, summary)
    _dress(notebook, job, options.as_of)
    return export.to_html(notebook, _shown_parameters(job.parameters), include_code=True)


def _where(job: _Job, error: Exception) -> str:
    from .execute import ExecutionFailed

    if not isinstance(error, ExecutionFailed):
        return "export"
    cell = f"cell {error.cell}" if error.cell is not None else "a cell"
    return f"{cell} of {job.spec.notebook.name}"


def _describe(job: _Job, error: Exception) -> str:
    from .execute import ExecutionFailed

    detail = error.error if isinstance(error, ExecutionFailed) else str(error)
    return f"failed in {_where(job, error)}: {detail}"


def _run(job: _Job, options: RenderOptions, staging: Path) -> tuple[_Job, Exception | None, float]:
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(dir=staging, prefix=f"{job.spec.name}-"))
    try:
        _execute_and_export(job, options, workdir)
        return job, None, time.perf_counter() - started
    except Exception as error:  # a failing report must not stop the others
        try:
            job.files = {f"{FAILED_DIR}/{job.spec.name}.html": _failure_page(job, options, error)}
        except Exception:  # the failure page itself could not be rendered: keep the summary line
            job.files = {}
        return job, error, time.perf_counter() - started


def _publish(job: _Job, out_dir: Path) -> dict[str, str]:
    """Move each finished file into place atomically; return name -> sha256."""
    digests = {}
    for name, content in job.files.items():
        write_atomically(out_dir / name, content)
        digests[name] = file_digest(out_dir / name)
    return digests


def _record(job: _Job, error: Exception | None, seconds: float, code: str, options: RenderOptions,
            previous: Entry | None, out_dir: Path) -> tuple[Entry, Outcome]:
    written = _publish(job, out_dir)
    fingerprint = report_fingerprint(code, job.spec.notebook, job.settings, read_digests(job.reads))
    common = dict(title=job.spec.title, as_of=job.settings["as_of"], parameters=job.parameters)
    if error is None:
        (out_dir / FAILED_DIR / f"{job.spec.name}.html").unlink(missing_ok=True)
        entry = Entry(fingerprint, "rendered", round(seconds, 2), reads=job.reads, outputs=written, **common)
        return entry, Outcome(job.spec.name, "rendered", seconds)
    kept = previous.outputs if previous else {}
    entry = Entry("", "failed", round(seconds, 2), reads=[], outputs=kept, error=str(error), **common)
    return entry, Outcome(job.spec.name, "failed", seconds, _describe(job, error))


def _clear_stale_staging(out_dir: Path) -> None:
    """Remove staging folders left by a killed run (we hold the lock, so none is in use)."""
    for stale in out_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def _lock(out_dir: Path, wait: float):
    from filelock import FileLock, Timeout

    lock = FileLock(str(out_dir / LOCK_NAME))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise LockBusy(
            f"another lunar-report render is writing to {out_dir}; "
            f"wait for it with --wait SECONDS, or render into another --out folder"
        ) from None
    return lock


def render_reports(
    specs: list[ReportSpec], options: RenderOptions, on_outcome: Callable[[Outcome], None] = lambda o: None
) -> list[Outcome]:
    """Render every stale report in `specs` into `options.out_dir`; report each outcome as it lands."""
    out_dir = options.out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = _lock(out_dir, options.wait)
    try:
        _clear_stale_staging(out_dir)
        manifest = load_manifest(out_dir)
        code = code_digest()
        jobs = [_job(spec, options) for spec in specs]
        outcomes = []
        stale = []
        for job in jobs:
            if not options.force and _is_up_to_date(job, manifest.get(job.spec.name), code, out_dir):
                outcomes.append(Outcome(job.spec.name, "up to date"))
                on_outcome(outcomes[-1])
            else:
                stale.append(job)
        if stale:
            from ..facts.validate import validate_data

            validate_data(options.data_dir)  # bad data stops here, with every problem listed
            outcomes += _render_stale(stale, options, code, manifest, out_dir, on_outcome)
            save_manifest(out_dir, manifest)
        write_if_changed(out_dir / "index.html", index_html(manifest))
        return outcomes
    finally:
        lock.release()


def _render_stale(stale, options, code, manifest, out_dir, on_outcome) -> list[Outcome]:
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=STAGING_PREFIX))
    outcomes = []
    try:
        workers = options.jobs or os.cpu_count() or 1
        with ThreadPoolExecutor(max_workers=min(workers, len(stale))) as pool:
            futures = [pool.submit(_run, job, options, staging) for job in stale]
            for future in as_completed(futures):
                job, error, seconds = future.result()
                name = job.spec.name
                manifest[name], outcome = _record(job, error, seconds, code, options, manifest.get(name), out_dir)
                outcomes.append(outcome)
                on_outcome(outcome)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return outcomes
