"""The order reports start in (the local pool and the cluster): the longest last time first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lunar_report.pipeline.config.reports import ReportSpec
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run.job import longest_first, new_job
from lunar_report.pipeline.store.manifest import Entry, Status


def job(tmp_path: Path, name: str, seconds: float | None):
    """The job of report `name`, whose last render here took `seconds` (None: never rendered here)."""
    options = RenderOptions(out_dir=tmp_path / "out", data_dir=tmp_path / "data", as_of=date(2026, 12, 1))
    previous = None if seconds is None else Entry(Status.RENDERED, name, "2026-11-30", {}, seconds=seconds)
    return new_job(ReportSpec(name, tmp_path / f"{name}.ipynb", name), options, previous, {})


def names(jobs) -> list[str]:
    return [found.spec.name for found in jobs]


def test_the_longest_last_time_starts_first(tmp_path):
    jobs = [job(tmp_path, "short", 4.6), job(tmp_path, "long", 9.4), job(tmp_path, "middle", 5.9)]
    assert names(longest_first(jobs)) == ["long", "middle", "short"]


def test_a_report_never_rendered_here_starts_before_the_timed_ones(tmp_path):
    jobs = [job(tmp_path, "timed", 9.4), job(tmp_path, "new", None), job(tmp_path, "also-new", None)]
    assert names(longest_first(jobs)) == ["new", "also-new", "timed"]


def test_without_any_timing_the_configured_order_stays(tmp_path):
    jobs = [job(tmp_path, name, None) for name in ("timeline", "mission", "claims")]
    assert names(longest_first(jobs)) == ["timeline", "mission", "claims"]
