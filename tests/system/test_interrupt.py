"""Stopping a render: Ctrl-C and SIGTERM end it at once and cleanly; after SIGKILL the next render cleans up.

Each test starts a real render of a notebook that sleeps, waits until its kernel runs, then signals
the render's main process only (as a terminal's Ctrl-C or systemd's stop would).
"""

from __future__ import annotations

import contextlib
import signal
from datetime import date
from pathlib import Path

import pytest

from helpers import (
    AS_OF,
    FIXTURE_NOTEBOOKS,
    copy_minimal,
    gone,
    no_leftovers,
    previous_outputs,
    snapshot,
    start_render,
    stop_with,
    wait_for_kernel,
    write_config,
)
from lunar_report.pipeline.store.workspace import temp_root

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path):
    """A config with the sleeping notebook, a copy of the minimal data, an output folder with earlier outputs."""
    config = write_config(
        tmp_path, [{"name": "slow", "notebook": FIXTURE_NOTEBOOKS / "slow.ipynb", "parameters": {"seconds": 60}}]
    )
    data = copy_minimal(tmp_path / "data")
    out = previous_outputs(tmp_path / "out")
    return config, data, out


def arguments(config: Path, data: Path, out: Path, *extra: str) -> list[str]:
    return ["--config", str(config), "--data", str(data), "--out", str(out), "--as-of", AS_OF, *extra]


@pytest.mark.parametrize(("number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_render_within_2_seconds_and_leaves_nothing(project, number, code):
    config, data, out = project
    before = snapshot(out)
    render = start_render(*arguments(config, data, out))
    descendants = wait_for_kernel(render)
    assert temp_root(out.resolve()).is_dir(), "the run works in its temp folder"

    stop_with(render, number, code, within=20)
    assert gone(descendants, timeout=10), "no kernel or xelatex of the render outlives it"
    assert snapshot(out) == before, "the previous outputs are intact"
    no_leftovers(out)


def test_after_kill_9_kernels_end_and_the_next_render_cleans_up(project):
    config, data, out = project
    before = snapshot(out)
    render = start_render(*arguments(config, data, out))
    descendants = wait_for_kernel(render)

    render.send_signal(signal.SIGKILL)  # no handler runs
    render.communicate(timeout=30)
    assert gone(descendants, timeout=10), "each kernel ends when it sees its parent gone (ipykernel's parent poller)"
    assert snapshot(out) == before
    root = temp_root(out.resolve())
    assert root.is_dir(), "the killed run left its temp folder"
    (out / ".staging-old").mkdir()  # what older versions left
    (out / ".old.html.abc.tmp").write_bytes(b"half")

    again = start_render(*arguments(config, data, out, "slow", "--to", "html", "-p", "seconds", "0"))
    stdout, stderr = again.communicate(timeout=180)
    assert again.returncode == 0, stderr
    assert "slow-custom: rendered" in stdout
    no_leftovers(out)
    assert not (out / ".staging-old").exists()
    assert {k: v for k, v in snapshot(out).items() if k in before and k not in ("index.html", "manifest.json")} == {
        k: v for k, v in before.items() if k not in ("index.html", "manifest.json")
    }


def test_a_temp_folder_made_again_after_the_run_is_removed_at_exit(tmp_path):
    """A thread cut short by a signal (an export whose xelatex was killed) can make the run's temp folder anew
    after the run removed it; the exit path removes every temp folder this process's runs used."""
    from lunar_report.pipeline.store import workspace

    out = tmp_path / "out"
    out.mkdir()
    with workspace.locked(out, 0) as root:
        assert root.is_dir()
    (root / "export" / "late").mkdir(parents=True)  # what the late thread does
    workspace.remove_used_temp_roots()
    assert not root.exists()


def test_a_stop_whose_first_raise_was_swallowed_still_stops_the_run(project):
    """A signal raised inside code that swallows exceptions (a C extension's import, seen while the host imported
    pandas) is remembered: the run stops at its next check, writes nothing, and the next run starts afresh."""
    from lunar_report.errors import Interrupted
    from lunar_report.pipeline.base import children, signals
    from lunar_report.pipeline.config.reports import load_reports
    from lunar_report.pipeline.config.settings import RenderOptions
    from lunar_report.pipeline.run.render import render_reports

    config, data, out = project
    before = snapshot(out)
    with contextlib.suppress(Interrupted):  # swallowed, as the import did
        signals.interrupt(signal.SIGTERM, None)
    run = RenderOptions(out_dir=out, data_dir=data, as_of=date.fromisoformat(AS_OF), formats=("html",))
    with pytest.raises(Interrupted) as stopped:
        render_reports(load_reports(config), run)
    assert stopped.value.exit_code == 128 + signal.SIGTERM
    assert snapshot(out) == before
    no_leftovers(out)
    signals.raise_if_stopped()  # forgotten once the run ended
    children.reset()  # this test process goes on: later tests start children again
