"""Benchmark: how fast Ctrl-C and SIGTERM stop a render whose kernel is busy (target: exit within 2 s).

Usage: python bench/bench_interrupt.py [--repeat N]

Each run copies the tests' minimal data set and sleeping notebook into a temporary project,
starts `lunar-report render`, waits until its kernel runs, sends the signal to the render's
main process and times until the process has exited and no kernel of it is left. The tests
check the exit code and message with a generous bound; the 2 s target lives here.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
TARGET_SECONDS = 2.0


def _project(folder: Path) -> list[str]:
    shutil.copytree(FIXTURES / "minimal", folder / "data")
    notebook = FIXTURES / "notebooks" / "slow.ipynb"
    (folder / "reports.toml").write_text(
        f'[[report]]\nname = "slow"\nnotebook = "{notebook}"\ntitle = "Sleeps"\nparameters.seconds = 60\n',
        encoding="utf-8",
    )
    return ["--config", str(folder / "reports.toml"), "--data", str(folder / "data"), "--out", str(folder / "out")]


def _busy_kernel(process: subprocess.Popen[str]) -> list[psutil.Process]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the render ended before its kernel started: {process.communicate()}")
        try:
            found = psutil.Process(process.pid).children(recursive=True)
        except psutil.Error:
            continue
        if any("ipykernel" in " ".join(p.cmdline()) for p in found if p.is_running()):
            time.sleep(0.5)  # the cell is running
            return found
        time.sleep(0.05)
    raise SystemExit("no kernel started within 120 s")


def one_run(number: signal.Signals) -> float:
    """Seconds from the signal until the render and every kernel it started are gone."""
    with tempfile.TemporaryDirectory() as folder:
        arguments = _project(Path(folder))
        command = [sys.executable, "-m", "lunar_report", "render", "--as-of", "2026-11-25", *arguments]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        children = _busy_kernel(process)
        sent = time.monotonic()
        process.send_signal(number)
        process.communicate(timeout=60)
        psutil.wait_procs(children, timeout=30)
        return time.monotonic() - sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per signal (the median is reported)")
    repeat = parser.parse_args().repeat
    print(f"{'signal':<8} {'median':>8} {'worst':>8}  target ≤ {TARGET_SECONDS:.0f} s")
    for number in (signal.SIGINT, signal.SIGTERM):
        seconds = [one_run(number) for _ in range(repeat)]
        met = "met" if statistics.median(seconds) <= TARGET_SECONDS else "NOT met"
        print(f"{number.name:<8} {statistics.median(seconds):>7.2f}s {max(seconds):>7.2f}s  {met}")


if __name__ == "__main__":
    main()
