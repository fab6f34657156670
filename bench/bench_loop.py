"""Benchmark the authoring loop: preview's edit-to-page latency, and one report to HTML.

Usage: .venv/bin/python bench/bench_loop.py [--quick] [--repeat N] [--report NAME]

Measured side by side in one run, on a copy of the data (medians over the repetitions):
  1 baseline: the papermill CLI, then `jupyter nbconvert --to html --no-input`, for one report
  2 `lunar-report render NAME --to html --force` (the baseline and this alternate, run by run)
  3 preview: edit an event title the report shows in data/events.csv, until the served page
    shows the new title (a `lunar-report preview NAME` started once, its kernels warm; the page
    is fetched the way its reload script does: wait on /__preview__/wait, then load it)
Ratios are against the baseline of the same run; targets: 2/1 <= 0.35, 3 <= 2 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench_render import BIN, KERNEL, PROJECT, bench_env, compile_package, machine_info, measure, print_machine, save
from fresh import bench_parser, parse

TARGET_RATIO = 0.35
TARGET_LATENCY = 2.0
SERVING = re.compile(r"Serving (http://\S+/)")
ETAG = re.compile(r'etag = "([0-9a-f]+)"')  # in the reload script preview adds to each page


def baseline_commands(spec, data_dir: Path, as_of: str, folder: Path) -> list[list[str]]:
    """Step 1: papermill, then nbconvert to HTML with the code hidden (as the reports are)."""
    executed = folder / f"{spec.name}.ipynb"
    parameters = {**spec.parameters, "data_dir": str(data_dir), "as_of": as_of}
    options = []
    for name, value in parameters.items():
        options += ["-r", name, value] if isinstance(value, str) else ["-y", json.dumps({name: value})]
    return [
        [BIN / "papermill", spec.notebook, executed, "-k", KERNEL, "--no-progress-bar", *options],
        [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", "--output-dir", folder, executed],
    ]


def render_command(name: str, data_dir: Path, as_of: str, out: Path) -> list[str]:
    """Step 2: one report, HTML only, rendered even when up to date."""
    return [BIN / "lunar-report", "render", name, "--to", "html", "--force", "--out", out, "--as-of", as_of,
            "--data", data_dir]  # fmt: skip


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


class PreviewProcess:
    """`lunar-report preview NAME --port 0` in the background, on `data_dir`."""

    def __init__(self, name: str, data_dir: Path, as_of: str) -> None:
        command = [BIN / "lunar-report", "preview", name, "--port", "0", "--data", data_dir, "--as-of", as_of]
        self.process = subprocess.Popen(
            [str(c) for c in command], cwd=PROJECT, env=bench_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
        self.log: list[str] = []
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line.rstrip())
            found = SERVING.search(line)
            if found:
                self.url = found.group(1)
                break
        else:
            raise RuntimeError("preview did not start:\n" + "\n".join(self.log))

    def status(self) -> dict:
        return json.loads(_get(self.url + "__preview__/status")[1])

    def settle(self, timeout: float = 300) -> None:
        """Wait until nothing renders and a warm kernel is ready."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.status()
            if not state["busy"] and state["generation"] > 1 and state["kernels_ready"] >= 1:
                return
            time.sleep(0.1)
        raise RuntimeError("preview did not settle")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            rest, _ = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            rest, _ = self.process.communicate()
        self.log += rest.splitlines()
        return self.process.returncode


def shown_title(events: Path, page: str) -> str:
    """An event title the page shows that occurs exactly once in events.csv (the row to edit)."""
    text = events.read_text(encoding="utf-8")
    with events.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            title = row["title"]
            if len(title) > 12 and title in page and text.count(title) == 1:
                return title
    raise RuntimeError(f"no event title of {events} is shown by the report")


def preview_latencies(name: str, data_dir: Path, as_of: str, repeat: int, timeout: float) -> tuple[list[float], int]:
    """Step 3: seconds from a data edit to the served page showing it, per edit; and preview's exit code."""
    events = data_dir / "events.csv"
    original = events.read_text(encoding="utf-8")
    preview = PreviewProcess(name, data_dir, as_of)
    latencies = []
    try:
        preview.settle()
        title = shown_title(events, _get(f"{preview.url}{name}.html")[1])
        for number in range(repeat):
            preview.settle()
            time.sleep(0.5)
            marker = f"{title} (edit {number} {time.time_ns()})"
            page = _get(f"{preview.url}{name}.html")[1]
            started = time.perf_counter()
            events.write_text(original.replace(title, marker), encoding="utf-8")
            while marker not in page:  # as the page's reload script does: wait for a change, then load it
                if time.perf_counter() - started > timeout:
                    raise RuntimeError(f"the edit did not show within {timeout} s:\n" + "\n".join(preview.log))
                etag = ETAG.search(page).group(1) if ETAG.search(page) else ""
                _get(f"{preview.url}__preview__/wait?path=/{name}.html&etag={etag}")
                page = _get(f"{preview.url}{name}.html")[1]
            latencies.append(time.perf_counter() - started)
            print(f"  preview edit {number + 1}: {latencies[-1]:.2f} s", flush=True)
    finally:
        events.write_text(original, encoding="utf-8")
        code = preview.stop()
    return latencies, code


def median_or_none(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = bench_parser(__doc__, repeat=5, timeout=(120, "edit"), as_of=True)
    parser.add_argument("--report", default="timeline", help="Report to use (default: timeline).")
    return parse(parser, argv)


def main(argv: list[str] | None = None) -> int:
    from lunar_report.pipeline.config.reports import load_reports, select

    args = parse_args(argv)
    (spec,) = select(load_reports(PROJECT / "reports.toml"), (args.report,))
    as_of = args.as_of
    compile_package()
    info = machine_info()
    print_machine(info)
    print(f"Report: {spec.name}; as of {as_of}; {args.repeat} repetition(s)\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="lunar-bench-loop-") as folder:
        data = Path(folder) / "data"
        shutil.copytree(PROJECT / "data", data)
        base, out = Path(folder) / "baseline", Path(folder) / "render"
        base.mkdir()
        runs: dict[str, list] = {"baseline": [], "render": []}
        for number in range(args.repeat):
            runs["baseline"].append(measure(baseline_commands(spec, data, as_of, base)))
            runs["render"].append(measure([render_command(spec.name, data, as_of, out)]))
            print(f"  repetition {number + 1}: " + ", ".join(
                f"{step} {r[-1].seconds:.2f} s{'' if r[-1].ok else ' FAILED'}" for step, r in runs.items()), flush=True)  # fmt: skip
        latencies, exit_code = preview_latencies(spec.name, data, as_of, args.repeat, args.timeout)
    baseline = median_or_none([r.seconds for r in runs["baseline"] if r.ok])
    rendered = median_or_none([r.seconds for r in runs["render"] if r.ok])
    latency = median_or_none(latencies)
    ratio = rendered / baseline if rendered and baseline else None
    lines = [
        f"{'step':<44} {'median s':>9} {'min s':>8} {'max s':>8}  ratio to 1",
        *(
            f"{label:<44} {median_or_none(values) or 0:>9.2f} {min(values, default=0):>8.2f} {max(values, default=0):>8.2f}  "
            + (f"{median_or_none(values) / baseline:.3f}" if baseline and values else "n/a")
            for label, values in (
                ("1 papermill + nbconvert --to html (CLI)", [r.seconds for r in runs["baseline"] if r.ok]),
                ("2 lunar-report render --to html --force", [r.seconds for r in runs["render"] if r.ok]),
                ("3 preview: data edit -> page shows it", latencies),
            )
        ),
        "",
        "Targets",
        f"{'2/1 <= ' + str(TARGET_RATIO):<40} {'n/a' if ratio is None else f'{ratio:.3f}':>18}  "
        + ("met" if ratio is not None and ratio <= TARGET_RATIO else "NOT MET"),
        f"{'3 <= ' + str(TARGET_LATENCY) + ' s (median)':<40} {'n/a' if latency is None else f'{latency:.2f} s':>18}  "
        + ("met" if latency is not None and latency <= TARGET_LATENCY else "NOT MET"),
        f"{'preview stops on SIGINT with 0 or 130':<40} {exit_code:>18}  "
        + ("met" if exit_code in (0, 130) else "NOT MET"),
    ]
    text = "\n".join(lines)
    for step, values in runs.items():
        for run in values:
            if not run.ok:
                text += f"\n\n{step} failed: {run.error}"
    record = {
        "report": spec.name,
        "as_of": as_of,
        "seconds": {step: [r.seconds for r in values] for step, values in runs.items()} | {"preview": latencies},
        "medians": {"baseline": baseline, "render": rendered, "preview": latency},
        "ratios": {"2/1": ratio, "3/1": latency / baseline if latency and baseline else None},
        "preview_exit_code": exit_code,
    }
    save("loop", text, info, record)
    ok = all(r.ok for values in runs.values() for r in values) and len(latencies) == args.repeat
    return 0 if ok and exit_code in (0, 130) else 1


if __name__ == "__main__":
    sys.exit(main())
