"""What running reports on a Dask cluster costs, against rendering them here on the same cores.

Usage: .venv/bin/python bench/bench_cluster.py [--quick] [--reports N] [--workers N] [--repeat N]

A synthetic matrix of N HTML reports of the mission notebook (default 100: each sample-return
mission compared with each other one) is rendered with `--force`, each run in a fresh helper
process and output folder, side by side in one run:
  1 `render --jobs W`            the local path, W kernels at once
  2 `render --cluster local:W`   a Dask LocalCluster of W worker processes (started and stopped by the run)
The ratio 2/1 is the cost of the cluster path on the same cores: shipping the notebook, the data
and the results, and the cluster's start. Per report: wall seconds, and core-seconds (wall × W / N),
the figure to size a cluster with.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench_render import MIB, PROJECT, machine_info, measure, print_machine, save
from fresh import bench_parser, parse

NOTEBOOK = PROJECT / "notebooks" / "mission_figures.ipynb"
DATA = PROJECT / "data"
SAMPLE_RETURNS = (
    "change-5",
    "change-6",
    "luna-16",
    "luna-20",
    "luna-24",
    "apollo-11",
    "apollo-12",
    "apollo-14",
    "apollo-15",
    "apollo-16",
    "apollo-17",
)
RATIO_TARGET = 1.15
AS_OF = "2026-11-25"


def write_matrix(folder: Path, count: int) -> Path:
    """A reports.toml of `count` mission reports: each sample return compared with one other."""
    pairs = list(itertools.permutations(SAMPLE_RETURNS, 2))[:count]
    lines = []
    for mission, other in pairs:
        lines += [
            "[[report]]",
            f'name = "{mission}-vs-{other}"',
            f'notebook = "{NOTEBOOK}"',
            f'title = "{mission} beside {other}"',
            f'parameters = {{ mission = "{mission}", compare_with = ["{other}"] }}',
            "",
        ]
    config = folder / "reports.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def render_command(config: Path, out: Path, where: list[str]) -> list[str]:
    return [sys.executable, "-m", "lunar_report", "render", "--config", config, "--data", DATA, "--out", out,
            "--as-of", AS_OF, "--to", "html", "--force", *where]  # fmt: skip


PATHS = {"local": "1 render --jobs {w}", "cluster": "2 render --cluster local:{w}"}


def run_once(config: Path, workers: int, count: int, timeout: float) -> dict[str, dict]:
    """Both paths once, each into its own fresh output folder; the wall time, peak memory and any error."""
    runs = {}
    for path, where in (("local", ["--jobs", str(workers)]), ("cluster", ["--cluster", f"local:{workers}"])):
        with tempfile.TemporaryDirectory(prefix=f"lunar-bench-{path}-") as out:
            run = measure([render_command(config, Path(out), where)], timeout)
        rendered = f"{count} rendered" in "".join(run.stdout)
        error = run.error or ("" if rendered else f"not every report rendered: {''.join(run.stdout)[-500:]}")
        runs[path] = {"seconds": run.seconds, "tree_peak": run.tree_peak, "error": error}
    return runs


def summary(repeats: list[dict[str, dict]], workers: int, count: int) -> dict[str, dict]:
    """Per path: the median wall seconds, seconds and core-seconds per report, peak memory, errors."""
    result = {}
    for path in PATHS:
        seconds = [r[path]["seconds"] for r in repeats if not r[path]["error"]]
        median = statistics.median(seconds) if seconds else None
        result[path] = {
            "median": median,
            "runs": len(seconds),
            "per_report": median / count if median else None,
            "core_seconds_per_report": median * workers / count if median else None,
            "peak": max(r[path]["tree_peak"] for r in repeats),
            "errors": [r[path]["error"] for r in repeats if r[path]["error"]],
        }
    return result


def _cell(value: float | None, digits: int = 2) -> str:
    return "failed" if value is None else f"{value:.{digits}f}"


def format_table(rows: dict[str, dict], workers: int, count: int) -> str:
    lines = [f"{'step':<32} {'wall s':>8} {'s/report':>9} {'core-s/report':>13} {'runs':>5} {'peak RSS MiB':>13}"]
    for path, label in PATHS.items():
        row = rows[path]
        lines.append(
            f"{label.format(w=workers):<32} {_cell(row['median']):>8} {_cell(row['per_report'], 3):>9} "
            f"{_cell(row['core_seconds_per_report'], 3):>13} {row['runs']:>5} {row['peak'] / MIB:>13.0f}"
        )
    local, cluster = rows["local"]["median"], rows["cluster"]["median"]
    ratio = cluster / local if local and cluster else None
    met = ratio is not None and ratio <= RATIO_TARGET
    lines += [
        "",
        f"{count} HTML reports of the mission notebook, {workers} cores",
        f"ratio 2/1 = {_cell(ratio, 4)}",
        "",
        "Targets",
        f"{f'cluster path 2/1 <= {RATIO_TARGET:g}':<44} {_cell(ratio, 4):>22}  {'met' if met else 'NOT MET'}",
    ]
    for path in PATHS:
        lines += [f"{path} failed: {error}" for error in rows[path]["errors"]]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    quick = "One repetition of at most 4 reports (a smoke run)."
    parser = bench_parser(__doc__, repeat=1, quick=quick, each=" of both paths", timeout=(3600, "run"))
    parser.add_argument("--reports", type=int, default=100, help="Reports in the matrix (default 100, at most 110).")
    parser.add_argument("--workers", type=int, default=2, help="Kernels at once / worker processes (default 2).")
    args = parse(parser, argv)
    if args.quick:
        args.reports = min(args.reports, 4)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine_info()
    print_machine(info)
    print(f"{args.reports} reports, {args.workers} workers, {args.repeat} repetition(s)\n", flush=True)
    repeats = []
    with tempfile.TemporaryDirectory(prefix="lunar-bench-matrix-") as folder:
        config = write_matrix(Path(folder), args.reports)
        for number in range(args.repeat):
            runs = run_once(config, args.workers, args.reports, args.timeout)
            repeats.append(runs)
            shown = ", ".join(f"{path} {_cell(run['seconds'])} s" for path, run in runs.items())
            print(f"  repetition {number + 1}: {shown}", flush=True)
    rows = summary(repeats, args.workers, args.reports)
    text = format_table(rows, args.workers, args.reports)
    local, cluster = rows["local"]["median"], rows["cluster"]["median"]
    record = {
        "reports": args.reports,
        "workers": args.workers,
        "repeats": repeats,
        "summary": rows,
        "ratio": cluster / local if local and cluster else None,
        "finished": datetime.now(UTC).isoformat(),
    }
    save("cluster", text, info, record)
    return 0 if all(rows[p]["runs"] for p in PATHS) else 1


if __name__ == "__main__":
    sys.exit(main())
