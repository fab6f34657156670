"""How load + validate and the timeline notebook grow with the number of events.

Usage: .venv/bin/python bench/bench_scale.py [--quick] [--sizes 100 1000 ...] [--repeat N]

For each size a synthetic fact base (bench/synthetic.py) is written to a temporary folder;
then, each in a fresh helper process: `load_facts` (validation included; the time excludes
the imports), and the timeline notebook run by the papermill CLI with `data_dir` pointing
at that folder (kernel start included). A run slower than --slow seconds is not repeated.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench_render import BIN, GIB, KERNEL, MIB, PROJECT, machine_info, measure, print_machine, save
from fresh import bench_parser, parse
from synthetic import write_synthetic

TIMELINE = PROJECT / "notebooks" / "timeline.ipynb"
SIZES = (100, 1_000, 10_000, 100_000)
LOAD_TARGET_SECONDS = 1.0
LOAD_TARGET_EVENTS = 100_000
SHIPPED_TARGET_SECONDS = 0.5  # "well under a second"
SHIPPED_DATA = PROJECT / "data"

_LOAD = """
import sys, time
from lunar_report.facts.load import load_facts
started = time.perf_counter()
facts = load_facts(sys.argv[1])
print(time.perf_counter() - started, len(facts.events))
"""


def time_load(folder: Path, timeout: float) -> tuple[float | None, int, str]:
    """Seconds `load_facts(folder)` takes in a fresh process (imports excluded), its peak RSS, and any error."""
    run = measure([[sys.executable, "-c", _LOAD, folder]], timeout)
    seconds = float(run.stdout[0].split()[0]) if run.ok else None
    return seconds, run.process_peak, run.error


def time_timeline(folder: Path, as_of: str, timeout: float) -> tuple[float | None, int, str]:
    """Seconds the papermill CLI takes to run the timeline notebook on `folder`, the tree's peak RSS, any error."""
    with tempfile.TemporaryDirectory(prefix="lunar-scale-") as out:
        command = [
            BIN / "papermill",
            TIMELINE,
            Path(out) / "timeline.ipynb",
            "-k",
            KERNEL,
            "--no-progress-bar",
            "-r",
            "data_dir",
            folder,
            "-r",
            "as_of",
            as_of,
        ]
        run = measure([command], timeout)
    return (run.seconds if run.ok else None), run.tree_peak, run.error


def repeated(function, repeat: int, slow: float) -> dict:
    """Median seconds over up to `repeat` runs (one run when it is slower than `slow`), peak memory, errors."""
    seconds, peaks, errors = [], [], []
    for _ in range(repeat):
        value, peak, error = function()
        peaks.append(peak)
        if error:
            errors.append(error)
            break
        seconds.append(value)
        if value > slow:
            break
    return {
        "median": statistics.median(seconds) if seconds else None,
        "runs": len(seconds),
        "peak": max(peaks),
        "errors": errors,
    }


def growth(rows: list[dict], key: str) -> list[float | None]:
    """Time at each size over the time at the size before (None for the first size or a failed run)."""
    ratios = [None]
    for before, after in itertools.pairwise(rows):
        a, b = after[key]["median"], before[key]["median"]
        ratios.append(a / b if a is not None and b else None)
    return ratios


def slopes(rows: list[dict], key: str) -> list[float | None]:
    """log(time ratio) / log(size ratio) per step: below 1 means sub-linear growth."""
    return [
        None if r is None else math.log(r) / math.log(after["events"] / before["events"])
        for r, before, after in zip(growth(rows, key)[1:], rows, rows[1:], strict=False)
    ]


def _cell(value: float | None, digits: int = 3) -> str:
    return "failed" if value is None else f"{value:.{digits}f}"


def format_table(rows: list[dict]) -> str:
    """One line per size: load and notebook seconds with their growth ratio, runs and peak RSS."""
    load_growth, notebook_growth = growth(rows, "load"), growth(rows, "timeline")
    lines = [
        f"{'events':>8} {'load+validate s':>15} {'growth':>7} {'timeline nb s':>13} {'growth':>7} {'runs':>5}  "
        f"{'peak RSS MiB: load':>18} {'notebook tree':>13}"
    ]
    for row, lg, ng in zip(rows, load_growth, notebook_growth, strict=False):
        runs = f"{row['load']['runs']}/{row['timeline']['runs']}"
        lines.append(
            f"{row['events']:>8} {_cell(row['load']['median']):>15} {_cell(lg, 2) if lg else '':>7} "
            f"{_cell(row['timeline']['median'], 2):>13} {_cell(ng, 2) if ng else '':>7} {runs:>5}  "
            f"{row['load']['peak'] / MIB:>18.0f} {row['timeline']['peak'] / MIB:>13.0f}"
        )
    return "\n".join(lines)


def targets(rows: list[dict], shipped: dict) -> list[tuple[str, str, bool]]:
    """The targets that these runs can answer: (target, measured value, met)."""
    seconds = shipped["median"]
    goals = [
        (
            f"load + validate of the shipped data <= {SHIPPED_TARGET_SECONDS:g} s",
            f"{_cell(seconds)} s",
            seconds is not None and seconds <= SHIPPED_TARGET_SECONDS,
        )
    ]
    largest = next((r for r in rows if r["events"] == LOAD_TARGET_EVENTS), None)
    if largest:
        seconds = largest["load"]["median"]
        goals.append(
            (
                f"load + validate of {LOAD_TARGET_EVENTS:,} events <= {LOAD_TARGET_SECONDS:g} s",
                f"{_cell(seconds)} s",
                seconds is not None and seconds <= LOAD_TARGET_SECONDS,
            )
        )
    steps = slopes(rows, "timeline")
    if steps:
        shown = ", ".join("n/a" if s is None else f"{s:.2f}" for s in steps)
        goals.append(("timeline notebook sub-linear (slopes < 1)", shown, all(s is not None and s < 1 for s in steps)))
    peak = max(max(r["load"]["peak"], r["timeline"]["peak"]) for r in rows)
    goals.append(("peak RSS <= 1 GiB", f"{peak / MIB:.0f} MiB", peak <= GIB))
    return goals


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    quick = "Smallest size, one repetition (a smoke run)."
    parser = bench_parser(__doc__, repeat=3, quick=quick, each=" per size", timeout=(1800, "run"))
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="Numbers of events.")
    parser.add_argument("--slow", type=float, default=60, help="Do not repeat a run slower than this (s, default 60).")
    parser.add_argument("--as-of", default="2026-01-01", help="As-of date for the notebook (default 2026-01-01).")
    args = parse(parser, argv)
    if args.quick:
        args.sizes = args.sizes[:1]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine_info()
    print_machine(info)
    print(f"Sizes: {', '.join(map(str, args.sizes))} events; up to {args.repeat} repetition(s)\n", flush=True)
    shipped = repeated(lambda: time_load(SHIPPED_DATA, args.timeout), args.repeat, args.slow)
    print(f"  shipped data ({SHIPPED_DATA}): load {_cell(shipped['median'])} s", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="lunar-synthetic-") as root:
        for events in sorted(args.sizes):
            started = time.perf_counter()
            folder = write_synthetic(Path(root) / str(events), events)
            written = time.perf_counter() - started
            load = repeated(lambda folder=folder: time_load(folder, args.timeout), args.repeat, args.slow)
            notebook = repeated(
                lambda folder=folder: time_timeline(folder, args.as_of, args.timeout), args.repeat, args.slow
            )
            rows.append({"events": events, "load": load, "timeline": notebook})
            print(
                f"  {events} events (written in {written:.1f} s): load {_cell(load['median'])} s, "
                f"timeline notebook {_cell(notebook['median'], 2)} s",
                flush=True,
            )
    goals = targets(rows, shipped)
    text = (
        format_table(rows)
        + f"\n\nShipped data: load + validate {_cell(shipped['median'])} s"
        + "\n\nTargets\n"
        + "\n".join(f"{name:<44} {value:>22}  {'met' if met else 'NOT MET'}" for name, value, met in goals)
    )
    for row in rows:
        for step in ("load", "timeline"):
            for error in row[step]["errors"]:
                text += f"\n\n{row['events']} events, {step} failed: {error}"
    record = {
        "as_of": args.as_of,
        "shipped": shipped,
        "rows": rows,
        "targets": goals,
        "finished": datetime.now(UTC).isoformat(),
    }
    save("scale", text, info, record)
    return 0 if all(r["load"]["runs"] and r["timeline"]["runs"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
