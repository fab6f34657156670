"""Benchmark: load + validate time and peak memory of synthetic fact bases of growing size.

Usage: python bench/bench_load.py [--quick] [--sizes 100 1000 10000 100000] [--runs 3]

For each size, bench/synthetic.py writes a data folder, then each run starts a fresh
Python process that imports lunar_report and times `load_facts` (which validates
everything, quotes included) and reports its peak RSS. The table shows the median of
the runs (wall clock, and CPU time, which other load on the machine disturbs less) and
the growth ratio from the previous size, with the load average before and after the runs.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fresh import medians, run_fresh, sizes_and_runs
from synthetic import write_synthetic

SIZES = (1_000, 10_000, 100_000, 1_000_000)
TARGETS = {100_000: 1.0, 1_000_000: 10.0}  # seconds of load+validate
TARGET_PEAK_MIB = 2048  # peak RSS at 10^6 events

# Runs in a fresh interpreter: imports are not timed, the load is.
_ONE_RUN = """
import json, resource, sys, time
from lunar_report.facts.load import load_facts
started, cpu_started = time.perf_counter(), time.process_time()
facts = load_facts(sys.argv[1])
seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mib": peak_kib / 1024, "events": len(facts.events)}))
"""


def measure(folder: Path, runs: int) -> dict:
    """Median time and peak RSS over `runs` fresh processes, each loading + validating `folder`."""
    samples = [run_fresh(_ONE_RUN, str(folder), what=f"loading {folder}") for _ in range(runs)]
    return medians(samples) | {"events": samples[0]["events"]}


def table(rows: list[dict], runs: int) -> str:
    """The results as a text table with growth ratios between consecutive sizes."""
    lines = [
        f"{'events':>8}  {'load+validate':>13}  {'(CPU)':>9}  {'× time':>7}  {'peak RSS':>9}  {'× RSS':>6}"
        f"   (median of {runs})"
    ]
    previous = None
    for row in rows:
        time_ratio = f"{row['seconds'] / previous['seconds']:.1f}" if previous else "-"
        rss_ratio = f"{row['peak_mib'] / previous['peak_mib']:.2f}" if previous else "-"
        lines.append(
            f"{row['events']:>8}  {row['seconds']:>11.3f} s  {row['cpu_seconds']:>7.3f} s  {time_ratio:>7}"
            f"  {row['peak_mib']:>5.0f} MiB  {rss_ratio:>6}"
        )
        previous = row
    return "\n".join(lines)


def _load(averages: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in averages)


def main() -> None:
    sizes, runs = sizes_and_runs(__doc__.splitlines()[0], SIZES, 10_000, "events")

    rows = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lunar-bench-") as scratch:
        for size in sizes:
            folder = write_synthetic(Path(scratch) / str(size), size)
            rows.append(measure(folder, runs))
    print(table(rows, runs))
    print(f"load average (1, 5, 15 min): {_load(load_before)} before, {_load(os.getloadavg())} after")
    print("\nTargets")
    for row in rows:
        limit = TARGETS.get(row["events"])
        if limit is not None:
            met = row["seconds"] <= limit and (row["events"] < 1_000_000 or row["peak_mib"] <= TARGET_PEAK_MIB)
            rss = f", {row['peak_mib']:.0f} MiB" if row["events"] >= 1_000_000 else ""
            name = f"load+validate {row['events']:,} events <= {limit:.0f} s" + (" and 2 GiB" if rss else "")
            print(f"{name:<44} {row['seconds']:>8.2f} s{rss:<10}  {'met' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()
