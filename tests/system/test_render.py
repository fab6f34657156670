"""Scheduled re-rendering: reproducible, incremental, atomic, locked, parallel, failure-tolerant."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from filelock import FileLock

from helpers import gone, no_leftovers, start_render, wait_for_kernel
from lunar_report.pipeline.config.reports import load_reports
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run.render import render_reports

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"
AS_OF = date(2026, 11, 25)


def write_config(folder: Path, reports: list[tuple[str, str, dict]]) -> Path:
    lines = []
    for name, notebook, parameters in reports:
        lines += ["[[report]]", f'name = "{name}"', f'notebook = "{FIXTURES / notebook}"', f'title = "Fixture {name}"']
        if parameters:
            lines.append("[report.parameters]")
            lines += [f"{k} = {v!r}" for k, v in parameters.items()]
        lines.append("")
    config = folder / "reports.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree((PROJECT / "data"), target)
    return target


def options(out: Path, data: Path, **overrides) -> RenderOptions:
    """HTML only unless a test asks for more: the PDF step is checked where a test reads a PDF."""
    return RenderOptions(out_dir=out, data_dir=data, **{"as_of": AS_OF, "formats": ("html",), **overrides})


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.suffix in (".html", ".pdf")
    }


def statuses(outcomes) -> dict[str, str]:
    return {o.name: o.status for o in outcomes}


def test_unchanged_inputs_skip_and_rewrite_nothing(tmp_path, data_copy):
    config = write_config(tmp_path, [("events", "events.ipynb", {}), ("missions", "missions.ipynb", {})])
    specs, out = load_reports(config), tmp_path / "out"
    assert statuses(render_reports(specs, options(out, data_copy))) == {"events": "rendered", "missions": "rendered"}
    before = {p.name: p.stat().st_mtime_ns for p in [out, *out.iterdir()]}

    assert statuses(render_reports(specs, options(out, data_copy))) == {
        "events": "up to date",
        "missions": "up to date",
    }
    assert {p.name: p.stat().st_mtime_ns for p in [out, *out.iterdir()]} == before  # the folder's own mtime too


def test_a_changed_data_file_rerenders_only_its_readers(tmp_path, data_copy):
    config = write_config(tmp_path, [("events", "events.ipynb", {}), ("missions", "missions.ipynb", {})])
    specs, out = load_reports(config), tmp_path / "out"
    render_reports(specs, options(out, data_copy))
    with open(data_copy / "missions.csv", "a", encoding="utf-8") as stream:
        stream.write("")  # touching alone changes no byte: still up to date
    assert statuses(render_reports(specs, options(out, data_copy))) == {
        "events": "up to date",
        "missions": "up to date",
    }

    events_csv = data_copy / "events.csv"
    events_csv.write_text(
        events_csv.read_text(encoding="utf-8").replace("Wang Wenbin comments", "Wang Wenbin speaks"), encoding="utf-8"
    )
    assert statuses(render_reports(specs, options(out, data_copy))) == {"events": "rendered", "missions": "up to date"}


def test_force_and_as_of_rerender(tmp_path, data_copy):
    config = write_config(tmp_path, [("events", "events.ipynb", {})])
    specs, out = load_reports(config), tmp_path / "out"
    both = ("html", "pdf")  # a forced render whose PDF is already in the folder
    render_reports(specs, options(out, data_copy, formats=both))
    assert statuses(render_reports(specs, options(out, data_copy, force=True, formats=both))) == {"events": "rendered"}
    later = options(out, data_copy, as_of=date(2026, 11, 26))
    assert statuses(render_reports(specs, later)) == {"events": "rendered"}
    assert "As of 26 November 2026" in (out / "events.html").read_text(encoding="utf-8")


def test_failing_report_leaves_others_and_a_failure_page(tmp_path, data_copy):
    config = write_config(tmp_path, [("events", "events.ipynb", {}), ("broken", "fails.ipynb", {})])
    out = tmp_path / "out"
    result = cli(
        "render", "--config", str(config), "--out", str(out), "--data", str(data_copy), "--as-of", "2026-11-25"
    )
    assert result.returncode == 1
    assert "broken: failed" in result.stdout
    assert "error: broken failed in cell 4 of fails.ipynb: ValueError: deliberate failure for the test" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "events.html").exists() and (out / "events.pdf").exists()
    page = (out / "_failed" / "broken.html").read_text(encoding="utf-8")
    assert page.index("failed in cell 4 of fails.ipynb") < page.index("deliberate failure for the test")
    assert not (out / "broken.html").exists()


def cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lunar_report", *args], capture_output=True, text=True, **kwargs)


def start_slow_render(config: Path, out: Path, data: Path) -> subprocess.Popen:
    return start_render(
        "--config", str(config), "--out", str(out), "--data", str(data), "--as-of", "2026-11-25", "--force",
        "--to", "html", "slow",
    )  # fmt: skip


def test_a_held_lock_makes_a_render_exit_75_or_wait(tmp_path, data_copy):
    """The test holds the output folder's lock itself: no race with another render's timing."""
    config = write_config(tmp_path, [("events", "events.ipynb", {})])
    out = tmp_path / "out"
    out.mkdir()
    render = ("render", "--config", str(config), "--out", str(out), "--data", str(data_copy), "--to", "html")
    busy_message = (
        f"error: another lunar-report render is writing to {out.resolve()}; "
        "wait for it with --wait SECONDS, or render into another --out folder\n"
    )
    with FileLock(str(out / ".lunar-report.lock")):
        busy = cli(*render)
        assert (busy.returncode, busy.stderr) == (75, busy_message)
        waited_too_little = cli(*render, "--wait", "1")
        assert (waited_too_little.returncode, waited_too_little.stderr) == (75, busy_message)
        assert [p.name for p in out.iterdir()] == [".lunar-report.lock"], "nothing was rendered"
        waiting = start_render(*render[1:], "--wait", "300")
    stdout, stderr = waiting.communicate(timeout=300)  # it takes the lock once the test lets go of it
    assert waiting.returncode == 0, stderr
    assert "events: rendered" in stdout
    assert (out / "events.html").exists()


def test_kill_9_keeps_previous_outputs_and_next_render_succeeds(tmp_path, data_copy):
    config = write_config(tmp_path, [("slow", "slow.ipynb", {"seconds": 1})])
    out = tmp_path / "out"
    render = ("render", "--config", str(config), "--out", str(out), "--data", str(data_copy), "--as-of", "2026-11-25")
    assert cli(*render, "--to", "html").returncode == 0
    before = digests(out)

    (tmp_path / "long").mkdir()
    slow_config = write_config(tmp_path / "long", [("slow", "slow.ipynb", {"seconds": 30})])
    victim = start_slow_render(slow_config, out, data_copy)
    kernels = wait_for_kernel(victim)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()

    assert digests(out) == before
    assert gone(kernels, timeout=10)
    again = cli(*render, "--force", "--to", "html")
    assert again.returncode == 0, again.stderr
    no_leftovers(out)
    assert digests(out) == before


def test_parallel_jobs_render_more_reports_than_cores(tmp_path, data_copy):
    reports = [(f"events-{i}", "events.ipynb", {}) for i in range(2 * (os.cpu_count() or 1) + 1)]
    config = write_config(tmp_path, reports)
    outcomes = render_reports(load_reports(config), options(tmp_path / "out", data_copy, jobs=os.cpu_count() or 1))
    assert sorted(statuses(outcomes).values()) == ["rendered"] * len(reports)
    html = {
        site_nav_removed((tmp_path / "out" / f"{name}.html").read_bytes()).replace(name.encode(), b"")
        for name, _, _ in reports
    }
    assert len(html) == 1, "every copy renders the same content"


def site_nav_removed(page: bytes) -> bytes:
    """A report page without its navigation bar (which marks the page itself among the reports)."""
    return re.sub(rb'<nav [^>]*class="lr-site".*?</nav>', b"", page, count=1, flags=re.S)
