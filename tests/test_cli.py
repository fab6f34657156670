"""The command line: help text, validation summary, errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lunar_report", *args], capture_output=True, text=True)


def test_help_lists_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("validate", "list", "render"):
        assert command in result.stdout


def test_validate_shipped_data_passes():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data OK:")


def test_unknown_report_is_a_clear_error(tmp_path):
    result = run("render", "no-such-report", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "unknown report no-such-report; choose from:" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
