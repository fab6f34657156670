"""Benchmark helpers: run a measurement in a fresh Python process (nothing imported or cached from an earlier
run) and read back the JSON object it prints; the median of each figure over several runs; the command-line
options the benchmarks share."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from datetime import UTC, datetime


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


def bench_parser(
    doc: str,
    repeat: int,
    quick: str = "One repetition (a smoke run).",
    each: str = "",
    timeout: tuple[float, str] | None = None,
    as_of: bool = False,
) -> argparse.ArgumentParser:
    """The options the benchmarks share: --quick (`quick`, one repetition: see `parse`) and --repeat (default
    `repeat`; `each`: what is repeated); --timeout (seconds, and what each is allowed) and --as-of (default today in
    UTC) where asked. The description is the first line of the benchmark's `doc`."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument("--repeat", type=int, default=repeat, help=f"Repetitions{each} (default {repeat}; --quick: 1).")
    if timeout:
        seconds, per = timeout
        parser.add_argument(
            "--timeout", type=float, default=seconds, help=f"Seconds allowed per {per} (default {seconds:g})."
        )
    if as_of:
        today = datetime.now(UTC).date().isoformat()
        parser.add_argument("--as-of", default=today, help="As-of date, YYYY-MM-DD (default: today in UTC).")
    return parser


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """The options given (`argv`, else the command line's); --quick: one repetition."""
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1
    return args
