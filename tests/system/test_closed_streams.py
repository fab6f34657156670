"""Standard output or error closed by the caller (`>&-`): every command runs as if they led to /dev/null, and the
kernels a render starts do not die writing to them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import PROJECT, fixture_notebook, write_config

pytestmark = pytest.mark.slow


def closed(arguments: str, stream: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m lunar_report ARGUMENTS` with one stream closed (`>&-` or `2>&-`), the other captured."""
    redirect = ">&-" if stream == "stdout" else "2>&-"
    return subprocess.run(
        f"{sys.executable} -m lunar_report {arguments} {redirect}",
        shell=True,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_list_with_a_closed_stream_exits_0_without_a_traceback(stream):
    done = closed("list", stream, PROJECT)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_render_with_stdout_closed_renders(tmp_path):
    notebook = fixture_notebook(tmp_path, "r.ipynb", "print('a line on the kernel side')")
    config = write_config(tmp_path, [{"name": "r", "notebook": notebook}])
    out = tmp_path / "out"
    done = closed(
        f"render --config {config} --data {PROJECT / 'tests/fixtures/minimal'} --out {out} --to html",
        "stdout",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "a line on the kernel side" in (out / "r.html").read_text(encoding="utf-8")
