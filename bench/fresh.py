"""Benchmark helper: run a measurement in a fresh Python process (nothing imported or cached from an earlier
run) and read back the JSON object it prints; the median of each figure over several runs."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys


def run_fresh(code: str, *args: str, what: str) -> dict:
    """Run `code` with `args` (its sys.argv[1:]) in a new interpreter; the JSON object it prints last.

    Stops the benchmark with the process's error output if it fails (`what` names the step).
    """
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{what} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def medians(samples: list[dict]) -> dict:
    """The median of each figure over the runs (every sample has the same keys)."""
    return {key: statistics.median(sample[key] for sample in samples) for key in samples[0]}


def sizes_and_runs(
    description: str, sizes: tuple[int, ...], quick: int, unit: str, note: str = ""
) -> tuple[tuple[int, ...], int]:
    """The sizes and runs per size from the command line: --sizes, --runs (default 3), or --quick (`quick`, once)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help=f"One size ({quick:,} {unit}), one run.")
    parser.add_argument("--sizes", type=int, nargs="+", default=sizes, help=f"Numbers of {unit}{note}.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per size; the median is shown (default 3).")
    args = parser.parse_args()
    return ((quick,), 1) if args.quick else (tuple(args.sizes), args.runs)
