"""What a run commits, in one place: each report's unit (its files, manifest entry and edition), then the site's.

A report's unit is committed as soon as its job is back (store/commit.py: all of it or none);
the site's unit holds retention in the ledger, the front and build pages, the editions page,
search, the feed, the combined PDF and the manifest with the record of what was published. An
unchanged render commits nothing: the manifest records what the site pages were made from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from ...errors import DataError
from ..site import combined, pages
from ..site.index import FAILED_DIR, index_pages
from ..site.links import DATA_PACKAGE
from ..store import editions
from ..store.commit import Commit
from ..store.fingerprint import file_digest, relative
from ..store.manifest import MANIFEST_NAME, Entry, Manifest, Output, Status, manifest_bytes
from .context import RunContext
from .job import Job, actual_inputs, linked_formats, shown_parameters


@dataclass(frozen=True)
class Outcome:
    """What happened to one report in this run."""

    name: str
    status: Status
    seconds: float = 0.0
    message: str = ""


def _pages(job: Job, previous: Entry | None) -> list[str]:
    """The pages beside the report once this run is committed: those written now when its HTML was, else the last."""
    if job.file("html") in job.files:
        return sorted(page for page in job.pages if page in job.files)
    return list(previous.pages) if previous else []


def _entry(job: Job, context: RunContext, previous: Entry | None) -> tuple[Entry, Outcome]:
    """The manifest entry and outcome of a finished job (its files not yet written)."""
    options = context.options
    reads = sorted({relative(f, options.root) for f in job.reads})
    inputs = actual_inputs(job, options)
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


def _data(context: RunContext) -> pages.Dataset | None:
    """The data edition of this run's data folder (built once per run); None when the folder changed since it was
    validated and is no longer valid."""
    options = context.options
    try:
        return pages.folder_dataset(context.data.folder, context.trusted_data, options.base_url)  # the run's snapshot
    except DataError:
        return None


def _data_version(context: RunContext) -> str:
    data = _data(context)
    return data.version if data is not None else ""


def commit_report(job: Job, context: RunContext, manifest: Manifest, ledger: editions.Ledger) -> Outcome:
    """Commit the job's files, its manifest entry and its edition together; the pages beside the report that the
    last render wrote and this one did not (a claim removed) go in the same commit."""
    out = context.options.out_dir
    previous = manifest.reports.get(job.spec.name)
    entry, outcome = _entry(job, context, previous)
    unit = Commit(out)
    for name, content in job.files.items():
        unit.write(name, content)
    for page in sorted(set(previous.pages if previous else ()) - set(entry.pages) - set(job.files)):
        unit.remove(page)
    if job.error is None:
        unit.remove(f"{FAILED_DIR}/{job.spec.name}.html")
        if job.draft is not None:
            formats = linked_formats(job, context.options)
            editions.publish(out, ledger, job.draft, [job.file(f) for f in formats], unit, _data_version(context))
    manifest.reports[job.spec.name] = entry
    unit.write(MANIFEST_NAME, manifest_bytes(manifest))
    editions.stage_ledger(out, ledger, unit)
    unit.apply()
    return outcome


def _site_inputs(
    manifest: Manifest, ledger: editions.Ledger, configured: list[str], context: RunContext, code: str
) -> str:
    """A digest of what the site pages are made from: the manifest (each report's outputs by sha256), the
    ledger, the edition files still present (the pages link no other), the configured reports, retention, the
    site's address and the code."""
    options = context.options
    present = sorted((e.id, editions.present_files(options.out_dir, e)) for h in ledger.reports.values() for e in h)
    settings = json.dumps(
        [configured, options.keep, options.base_url, context.site_digest, code, context.trusted_data, present]
    )
    digest = hashlib.sha256(manifest_bytes(replace(manifest, published={})))
    digest.update(editions.ledger_bytes(ledger) + settings.encode())
    return digest.hexdigest()


def site_current(
    manifest: Manifest, ledger: editions.Ledger, configured: list[str], context: RunContext, code: str
) -> bool:
    """True when the last run made the site pages from these same inputs and each is still as it wrote it:
    publishing again would write the same bytes (an unchanged render then costs no page)."""
    published, out = manifest.published, context.options.out_dir
    return (
        published.get("inputs") == _site_inputs(manifest, ledger, configured, context, code)
        and isinstance(published.get("pages"), dict)
        and all(file_digest(out / name) == sha256 for name, sha256 in published["pages"].items())
    )


def _chapters(manifest: Manifest, configured: list[str]) -> list[combined.Chapter]:
    """The combined PDF's chapters: each configured report whose last render made its PDF."""
    chapters = []
    for name in configured:
        entry = manifest.reports.get(name)
        pdf = entry.outputs.get(f"{name}.pdf") if entry is not None and entry.status == Status.RENDERED else None
        if entry is not None and pdf is not None:
            parameters = {k: v for k, v in entry.parameters.items() if k != "as_of"}
            chapters.append(combined.Chapter(name, entry.title, entry.as_of, pdf.sha256, parameters))
    return chapters


def commit_site(
    manifest: Manifest, ledger: editions.Ledger, configured: list[str], context: RunContext, code: str
) -> None:
    """The site in one commit: retention in the ledger, the data, the index, editions page, feed and combined PDF.

    The folders of editions retention dropped (and the data editions only they named) are removed once the ledger
    without them is written.
    """
    options = context.options
    out: Path = options.out_dir
    dropped = editions.prune(ledger, options.keep)
    unit = Commit(out)
    chapters = _chapters(manifest, configured)
    book = combined.build(
        out, chapters, ledger, context.folder / "combined", code, options.pdf_engine, options.limits.tex_timeout
    )
    if book is not None:
        unit.write(combined.COMBINED, book)
    unit.write(MANIFEST_NAME, manifest_bytes(manifest))
    editions.stage_ledger(out, ledger, unit)
    data = _data(context)
    if data is not None:
        pages.stage_dataset(data, unit)
    pages.stage_pages(out, ledger, configured, unit, options.base_url)
    cite = {"package": DATA_PACKAGE, "citation": data.citation} if data is not None else None
    for page, content in index_pages(manifest.reports, configured, out, ledger, frozenset(unit.names()), cite).items():
        unit.write(page, content)
    written = {name: content for name, content in unit.files.items() if name != MANIFEST_NAME}
    manifest.published = {
        "inputs": _site_inputs(manifest, ledger, configured, context, code),
        "pages": {name: hashlib.sha256(content).hexdigest() for name, content in sorted(written.items())},
    }
    unit.write(MANIFEST_NAME, manifest_bytes(manifest))  # (with the record of what was published)
    unit.apply()
    editions.remove_editions(out, ledger, dropped)
    pages.remove_datasets(out, ledger, dropped, data.version if data is not None else "")
