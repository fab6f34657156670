"""Render reports: validate, skip what is up to date, run the rest (here or on a cluster), commit as each lands.

Safe to leave on a schedule: the data is validated on every run; one render per output folder
at a time (a lock); each report's files, manifest entry and edition committed together, then
the site pages in one more commit (publish.py); the previous good outputs kept when a report
fails; byte-identical results for identical inputs; Ctrl-C or SIGTERM stops kernels and xelatex
at once, and what a killed run left is removed by the next.

This module only orchestrates: a report's work is job.py, where it runs is local.py or
cluster.py, and what a run writes is publish.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ...facts.trust import trusting
from ..base.signals import raise_if_stopped
from ..config import preflight
from ..config.reports import ReportSpec
from ..config.settings import RenderOptions, SiteReport
from ..store import editions, workspace
from ..store.fingerprint import environment, folder_digest, take
from ..store.manifest import Manifest, Status, load_manifest
from .context import RunContext
from .job import new_job, site_digest, up_to_date
from .local import kernels_ahead, run_local
from .publish import Outcome, commit_report, commit_site, site_current

if TYPE_CHECKING:
    from .cluster import Cluster
    from .kernels import KernelPool

LOG = logging.getLogger("lunar_report")


def _site(options: RenderOptions, specs: list[ReportSpec]) -> tuple[SiteReport, ...]:
    """The reports every page links to: as given, else the configured among those rendered."""
    if options.site is not None:
        return options.site
    return tuple(SiteReport(s.name, s.title) for s in specs if s.configured)


def _validated(data_dir: Path, code: str, manifest: Manifest) -> str:
    """Validate the data folder unless exactly these files passed with this code before; the digest of the data
    bytes that passed (handed to the kernels, which then do not check those bytes again).

    Runs on every render: bad data is never "up to date". Validation is a function of the files and
    the code, so an unchanged folder digest means an unchanged (passing) verdict, and the same data
    digest as then (kept in the manifest: no table is read again).
    """
    digest = f"{code[:16]}-{folder_digest(data_dir)}" if data_dir.is_dir() else ""
    if not digest or digest != manifest.validated or not manifest.validated_data:
        from ...facts.validate import validated_digest  # pandas: imported while the first kernel starts

        manifest.validated_data = validated_digest(data_dir)
        manifest.validated = digest
    return manifest.validated_data


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
    specs: list[ReportSpec],
    options: RenderOptions,
    on_outcome: Callable[[Outcome], None] = lambda o: None,
    *,
    kernels: KernelPool | None = None,
    cluster: Cluster | None = None,
) -> list[Outcome]:
    """Render every stale report in `specs` into `options.out_dir`; report each outcome as it lands.

    `kernels`: warm kernels to run on (preview keeps one pool across renders); `cluster`: run the
    stale reports on a Dask cluster instead of this machine. Each report is committed whole (its
    files, manifest entry and edition), then the site pages in one more commit. Raises DataError
    (invalid data), UsageError (parameters, output or data folder), LedgerError (an unreadable
    ledger: nothing written), LockBusy, Interrupted.
    """
    preflight.check_settings(options.as_of, options.data_dir)
    names = [spec.name for spec in specs]
    with workspace.opened(options.out_dir, options.data_dir, options.wait, names) as (out, run_dir):
        options = replace(options, out_dir=out, site=_site(options, specs))
        if options.restore_from:
            from ..store.restore import restore  # (urllib: only to restore)

            workspace.check_writable(out)
            restore(out, options.restore_from, options.limits, run_dir)
        ledger = _ledger(out)
        manifest = load_manifest(out)
        data = take(options.data_dir, run_dir, options.root)  # the run's one read of the data folder
        env = environment(options.root)
        site = site_digest(options.site)
        reports = manifest.reports
        jobs = [new_job(s, options, reports.get(s.name), env, ledger.history(s.name), site, data) for s in specs]
        current = [up_to_date(job, reports.get(job.spec.name), options, ledger) for job in jobs]
        stale = [job for job, up in zip(jobs, current, strict=True) if not up]
        if stale:
            workspace.check_writable(out)  # before any kernel starts
        ahead = stale if kernels is None and cluster is None else []
        with kernels_ahead(ahead, options, run_dir) as started:
            trusted = _validated(data.folder, env["code"], manifest)
            context = RunContext(options, run_dir, site, data, kernels or started, trusted)
            outcomes = [Outcome(job.spec.name, Status.UP_TO_DATE) for job, up in zip(jobs, current, strict=True) if up]
            for outcome in outcomes:
                on_outcome(outcome)
            if stale:
                with trusting(trusted):
                    preflight.preflight([job.spec for job in stale], data.folder, options.as_of)
                before = data.digests  # what the reports read is recorded as the snapshot holds it
                for job in stale:
                    job.before = before
                finished = cluster.run(stale, context) if cluster is not None else run_local(stale, context)
                for job in finished:
                    outcomes.append(commit_report(job, context, manifest, ledger))
                    on_outcome(outcomes[-1])
        configured = list(
            options.configured if options.configured is not None else [s.name for s in specs if s.configured]
        )
        raise_if_stopped()  # a stop whose first raise was lost: nothing more is written
        if stale or not site_current(manifest, ledger, configured, context, env["code"]):
            workspace.check_writable(out)
            commit_site(manifest, ledger, configured, context, env["code"])
        return outcomes
