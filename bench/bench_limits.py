"""Benchmark: a matrix of thousands of reports is listed and checked in time and memory linear in its size.

Usage: python bench/bench_limits.py [--quick] [--sizes 1000 10000] [--runs 3]

For each size, a reports.toml expands one timeline entry into that many reports (start years ×
end years). Each run is a fresh Python process: `lunar-report list` (the whole command, start-up
included), then the checks `render` makes before any kernel starts (loading the report set and
every report's parameter check against one fact base), with the process's peak RSS. Targets for
10,000 reports: list < 1 s, preflight < 10 s, peak < 500 MiB; growth from 1,000 to 10,000 reports
near 10× (linear, not quadratic).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fresh import medians, run_fresh, sizes_and_runs

PROJECT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000)
TARGETS = {"list_seconds": 1.0, "preflight_seconds": 10.0, "peak_mib": 500.0}  # for 10,000 reports

_PREFLIGHT = """
import json, resource, sys, time
sys.modules.setdefault("rfc3987_syntax", None)  # as the CLI does
from datetime import date
from pathlib import Path
import nbformat, jupyter_client, lunar_report.analysis.parameters  # imports are not timed
from lunar_report.pipeline.config.reports import load_reports
from lunar_report.pipeline.config import preflight
started = time.perf_counter()
specs = load_reports(Path(sys.argv[1]))
preflight.preflight(specs, Path(sys.argv[2]), date(2026, 11, 25))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "reports": len(specs),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_matrix(folder: Path, reports: int) -> Path:
    """A reports.toml of `reports` timeline reports (a multiple of 100: 100 start years × reports/100 end years)."""
    starts = ", ".join(f'"{year}"' for year in range(1950, 2050))
    ends = ", ".join(f'"{year}"' for year in range(2100, 2100 + reports // 100))
    config = folder / "reports.toml"
    config.write_text(
        f"[limits]\nreports = {reports}\n\n[[report]]\n"
        f'name = "t-{{start}}-{{end}}"\nnotebook = "{PROJECT / "notebooks" / "timeline.ipynb"}"\n'
        f'title = "Timeline {{start}} to {{end}}"\nmatrix = {{ start = [{starts}], end = [{ends}] }}\n',
        encoding="utf-8",
    )
    return config


def measure_once(config: Path) -> dict:
    """`list` wall time, then preflight time and peak RSS, each in a fresh process."""
    started = time.perf_counter()
    listed = subprocess.run(
        [sys.executable, "-m", "lunar_report", "list", "--config", str(config)], capture_output=True, text=True
    )
    list_seconds = time.perf_counter() - started
    if listed.returncode != 0:
        raise SystemExit(f"list failed:\n{listed.stderr}")
    result = run_fresh(_PREFLIGHT, str(config), str(PROJECT / "data"), what="preflight")
    return {"list_seconds": list_seconds, "preflight_seconds": result["seconds"], "peak_mib": result["peak_mib"]}


def measure(config: Path, runs: int) -> dict:
    return medians([measure_once(config) for _ in range(runs)])


def main() -> None:
    sizes, runs = sizes_and_runs(__doc__.splitlines()[0], SIZES, 1_000, "reports", " (multiples of 100)")
    rows = {}
    with tempfile.TemporaryDirectory(prefix="lunar-bench-limits-") as scratch:
        for size in sizes:
            folder = Path(scratch) / str(size)
            folder.mkdir()
            rows[size] = measure(write_matrix(folder, size), runs)
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"{'reports':>8}  {'list':>8}  {'preflight':>10}  {'peak RSS':>9}  {'× preflight':>11}   (median of {runs})")
    previous = None
    for size, row in rows.items():
        growth = f"{row['preflight_seconds'] / previous['preflight_seconds']:.1f}" if previous else "-"
        print(
            f"{size:>8}  {row['list_seconds']:>6.2f} s  {row['preflight_seconds']:>8.2f} s  "
            f"{row['peak_mib']:>5.0f} MiB  {growth:>11}"
        )
        previous = row
    largest = max(rows)
    if largest >= 10_000:
        for key, limit in TARGETS.items():
            verdict = "met" if rows[largest][key] <= limit else "NOT MET"
            print(f"target: {key} for {largest} reports <= {limit:g}: {verdict}")


if __name__ == "__main__":
    main()
