"""Benchmark: building the published data (package, CSV files, SQLite file) of synthetic fact bases of growing size.

Usage: python bench/bench_data.py [--quick] [--sizes 1000 10000 100000] [--runs 3]

A render builds the site's data once per data digest, in the site's commit, from data it has just
validated (so validation is not timed here); an unchanged render builds nothing. For each size,
bench/synthetic.py writes a data folder, then each run starts a fresh Python process that validates
it (untimed) and times the data edition: reading the tables as published, the SQLite file and the
package. The table shows the median of the runs and the size of the SQLite file.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fresh import medians, run_fresh, sizes_and_runs
from synthetic import write_synthetic

SIZES = (1_000, 10_000, 100_000)
TARGETS = {10_000: 1.0, 100_000: 10.0}  # CPU seconds to build the data edition (the wall time varies with the load)

# Runs in a fresh interpreter: imports and validation are not timed, the build is.
_ONE_RUN = """
import json, resource, sys, time
from lunar_report.facts.trust import trusting
from lunar_report.facts.package import DATABASE, published_tables
from lunar_report.facts.validate import validated_digest
from lunar_report.pipeline.site.pages import build_dataset
digest = validated_digest(sys.argv[1])
started, cpu_started = time.perf_counter(), time.process_time()
with trusting(digest):
    dataset = build_dataset(published_tables(sys.argv[1]), None)
seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mib": peak_kib / 1024,
                  "sqlite_mib": len(dataset.files[DATABASE]) / 2**20}))
"""


def main() -> None:
    sizes, runs = sizes_and_runs(__doc__.splitlines()[0], SIZES, 1_000, "events")
    rows = []
    with tempfile.TemporaryDirectory(prefix="lunar-bench-") as scratch:
        for size in sizes:
            folder = write_synthetic(Path(scratch) / str(size), size)
            samples = [run_fresh(_ONE_RUN, str(folder), what=f"building the data of {folder}") for _ in range(runs)]
            rows.append(medians(samples) | {"events": size})
    print(f"{'events':>8}  {'data edition':>12}  {'(CPU)':>9}  {'SQLite':>9}  {'peak RSS':>9}   (median of {runs})")
    for row in rows:
        print(
            f"{row['events']:>8}  {row['seconds']:>10.3f} s  {row['cpu_seconds']:>7.3f} s"
            f"  {row['sqlite_mib']:>5.1f} MiB  {row['peak_mib']:>5.0f} MiB"
        )
    print("\nTargets")
    for row in rows:
        limit = TARGETS.get(row["events"])
        if limit is not None:
            name = f"data edition of {row['events']:,} events <= {limit:.0f} s CPU"
            met = row["cpu_seconds"] <= limit
            print(f"{name:<48} {row['cpu_seconds']:>8.2f} s  {'met' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()
