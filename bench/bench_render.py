"""Benchmark `lunar-report render` against the plain papermill + nbconvert command line.

Usage: .venv/bin/python bench/bench_render.py [--quick] [--repeat N] [--reports NAME ...] [--profile]

Steps, each timed in a fresh helper process (median over the repetitions):
  1 baseline: per report, the papermill CLI, then `jupyter nbconvert --to html` and `--to pdf`
  2 `lunar-report render --force` into an empty temporary folder (cold)
  3 `lunar-report render` again, nothing changed
  4 `lunar-report --help`
Peak memory is the resident set size: of the largest single process (getrusage of the
helper's children) and of the whole process tree (sum sampled with psutil). The memory target is
checked on one more cold render, untimed, whose tree is sampled for its proportional set size (PSS):
summed RSS counts the pages that processes share (Chromium's dozen, a kernel's libraries) once per
process, PSS counts each page once.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fresh import bench_parser, parse

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = PROJECT / "bench" / "results"
KERNEL = "lunar-report"
MIB = 1024**2
GIB = 1024**3
SAMPLE_SECONDS = 0.02
PSS_SAMPLE_SECONDS = 0.1
RENDERED = re.compile(r"\b[1-9][0-9]* rendered\b")

# Runs in a fresh interpreter: the commands one after another, the wall time around them,
# the process tree's summed RSS sampled meanwhile, and the largest child's peak RSS.
_HELPER = r"""
import json, resource, subprocess, sys, threading, time
import psutil

spec = json.loads(sys.argv[1])
me = psutil.Process()
peak, done = 0, threading.Event()

def tree_memory():
    total = 0
    for child in me.children(recursive=True):
        try:
            total += child.memory_full_info().pss if spec["pss"] else child.memory_info().rss
        except psutil.Error:
            pass
    return total

def sample():
    global peak
    while not done.is_set():
        peak = max(peak, tree_memory())
        done.wait(spec["interval"])

def kill_tree(process):
    for child in psutil.Process(process.pid).children(recursive=True) + [psutil.Process(process.pid)]:
        try:
            child.kill()
        except psutil.Error:
            pass

threading.Thread(target=sample, daemon=True).start()
outputs, error = [], ""
started = time.perf_counter()
for command in spec["commands"]:
    process = subprocess.Popen(command, cwd=spec["cwd"], env=spec["env"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, errors="replace")
    try:
        out, err = process.communicate(timeout=spec["timeout"])
    except subprocess.TimeoutExpired:
        kill_tree(process)
        process.communicate()
        error = f"timed out after {spec['timeout']} s: {' '.join(command)}"
        break
    outputs.append(out)
    if process.returncode != 0:
        error = f"exit {process.returncode}: {' '.join(command)}\n" + err[-2000:]
        break
seconds = time.perf_counter() - started
done.set()
largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "error": error, "process_peak": largest,
                  "tree_peak": peak if spec["pss"] else max(peak, largest), "stdout": outputs}))
"""


@dataclass
class Measurement:
    """One timed run of a sequence of commands."""

    seconds: float
    error: str
    process_peak: int  # bytes: the largest single process
    tree_peak: int  # bytes: the whole process tree, summed (RSS, or PSS when measured so)
    stdout: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


def compile_package() -> None:
    """Byte-compile lunar_report before measuring, as installing a package does: with PYTHONDONTWRITEBYTECODE set
    and an editable install, every measured process (each kernel too) would compile it from source again."""
    import compileall

    import lunar_report

    compileall.compile_dir(Path(lunar_report.__file__).parent, quiet=1)


def bench_env() -> dict[str, str]:
    """The environment for every measured command: the venv's executables first on PATH."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "PYTHONUNBUFFERED": "1"}


def measure(
    commands: list[list[str]],
    timeout: float = 3600,
    cwd: Path = PROJECT,
    env: dict[str, str] | None = None,
    pss: bool = False,
) -> Measurement:
    """Run `commands` one after another in a fresh helper process (`env`: variables added); time and peak memory
    (`pss`: the tree's proportional set size, sampled less often, as reading it takes longer)."""
    spec = {
        "commands": [[str(part) for part in c] for c in commands],
        "cwd": str(cwd),
        "env": bench_env() | (env or {}),
        "timeout": timeout,
        "interval": PSS_SAMPLE_SECONDS if pss else SAMPLE_SECONDS,
        "pss": pss,
    }
    result = subprocess.run(
        [sys.executable, "-c", _HELPER, json.dumps(spec)], capture_output=True, text=True, check=True
    )
    return Measurement(**json.loads(result.stdout))


def machine_info() -> dict[str, str]:
    """Cores, CPU model, memory, load and software versions of this machine."""
    cpuinfo = (
        Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace") if Path("/proc/cpuinfo").exists() else ""
    )
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=PROJECT, capture_output=True, text=True)
    return {
        "date (UTC)": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "cores (nproc)": str(os.cpu_count()),
        "CPU": model,
        "RAM": f"{memory / GIB:.1f} GiB",
        "load average (1, 5, 15 min)": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "Python": platform.python_version(),
        "OS": platform.platform(),
        "commit": commit.stdout.strip() or "unknown",
    }


def print_machine(info: dict[str, str]) -> None:
    """Machine information as `key: value` lines."""
    print("Machine")
    for key, value in info.items():
        print(f"  {key}: {value}")
    print()


def _parameter_options(parameters: dict) -> list[str]:
    """papermill options: strings raw (so "2017" stays a string), anything else as YAML."""
    options = []
    for name, value in parameters.items():
        options += ["-r", name, value] if isinstance(value, str) else ["-y", json.dumps({name: value})]
    return options


def baseline_commands(specs, data_dir: Path, as_of: str, folder: Path) -> list[list[str]]:
    """Step 1: per report, papermill then nbconvert to HTML and to PDF (code hidden, as in the reports)."""
    commands = []
    for spec in specs:
        executed = folder / f"{spec.name}.ipynb"
        parameters = {**spec.parameters, "data_dir": str(data_dir), "as_of": as_of}
        commands.append(
            [
                BIN / "papermill",
                spec.notebook,
                executed,
                "-k",
                KERNEL,
                "--no-progress-bar",
                *_parameter_options(parameters),
            ]
        )
        for target in ("html", "pdf"):
            commands.append(
                [BIN / "jupyter", "nbconvert", "--to", target, "--no-input", "--output-dir", folder, executed]
            )
    return commands


def render_command(names: list[str], data_dir: Path, as_of: str, out: Path, force: bool) -> list[str]:
    """Steps 2 and 3: `lunar-report render` into `out`."""
    return [BIN / "lunar-report", "render", *names, "--out", out, "--as-of", as_of, "--data", data_dir] + (
        ["--force"] if force else []
    )


STEPS = {
    "baseline": "1 papermill + nbconvert CLI",
    "cold": "2 render --force (cold)",
    "warm": "3 render, nothing changed",
    "help": "4 lunar-report --help",
}


def run_once(specs, names: list[str], data_dir: Path, as_of: str, timeout: float) -> dict[str, Measurement]:
    """One repetition of the four steps, each in its own fresh temporary folder."""
    with tempfile.TemporaryDirectory(prefix="lunar-bench-") as folder:
        base, out = Path(folder) / "baseline", Path(folder) / "render"
        base.mkdir()
        runs = {"baseline": measure(baseline_commands(specs, data_dir, as_of, base), timeout)}
        runs["cold"] = measure([render_command(names, data_dir, as_of, out, force=True)], timeout)
        runs["warm"] = measure([render_command(names, data_dir, as_of, out, force=False)], timeout)
        runs["help"] = measure([[BIN / "lunar-report", "--help"]], timeout)
    return runs


def summarise(repetitions: list[dict[str, Measurement]]) -> dict[str, dict]:
    """Per step: median, min and max seconds over the successful runs, and peak memory over all runs."""
    summary = {}
    for step in STEPS:
        runs = [r[step] for r in repetitions]
        good = [r.seconds for r in runs if r.ok]
        summary[step] = {
            "median": statistics.median(good) if good else None,
            "min": min(good, default=None),
            "max": max(good, default=None),
            "runs": len(good),
            "failed": [r.error for r in runs if not r.ok],
            "process_peak": max(r.process_peak for r in runs),
            "tree_peak": max(r.tree_peak for r in runs),
        }
    return summary


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return numerator / denominator if numerator is not None and denominator else None


def ratios(summary: dict[str, dict]) -> dict[str, float | None]:
    """2/1 (render over the baseline) and 3/2 (nothing-changed render over the cold render)."""
    return {
        "2/1": _ratio(summary["cold"]["median"], summary["baseline"]["median"]),
        "3/2": _ratio(summary["warm"]["median"], summary["cold"]["median"]),
    }


def _seconds(value: float | None) -> str:
    return "failed" if value is None else f"{value:.3f}" if value < 10 else f"{value:.1f}"


def format_table(summary: dict[str, dict], ratio: dict[str, float | None]) -> str:
    """The steps as a fixed-width table with the 2/1 and 3/2 ratios and peak RSS."""
    shown = {"cold": "2/1", "warm": "3/2"}
    lines = [
        f"{'step':<30} {'median s':>9} {'min s':>8} {'max s':>8} {'runs':>4}  {'ratio':<14} "
        f"{'peak RSS MiB: process':>21} {'tree':>7}"
    ]
    for step, label in STEPS.items():
        row = summary[step]
        key = shown.get(step)
        text = f"{key} = {ratio[key]:.4f}" if key and ratio[key] is not None else (f"{key} = n/a" if key else "")
        lines.append(
            f"{label:<30} {_seconds(row['median']):>9} {_seconds(row['min']):>8} {_seconds(row['max']):>8} "
            f"{row['runs']:>4}  {text:<14} {row['process_peak'] / MIB:>21.0f} {row['tree_peak'] / MIB:>7.0f}"
        )
    return "\n".join(lines)


def targets(summary: dict[str, dict], ratio: dict[str, float | None], pss: int) -> list[tuple[str, str, bool]]:
    """Each target for these steps and the tree's peak PSS `pss` of a cold render: (target, measured value, met)."""
    cold, warm, helped = (summary[s]["median"] for s in ("cold", "warm", "help"))
    speedup = _ratio(cold, warm)
    r21 = ratio["2/1"]
    return [
        (
            "2/1 <= 0.25 (cold set vs plain tools)",
            "n/a" if r21 is None else f"{r21:.3f}",
            r21 is not None and r21 <= 0.25,
        ),
        (
            "3 < 0.3 s (nothing changed)",
            "n/a" if speedup is None else f"{warm:.3f} s, {speedup:.0f}x",
            speedup is not None and warm < 0.3,
        ),
        ("--help <= 0.3 s", "n/a" if helped is None else f"{helped:.3f} s", helped is not None and helped <= 0.3),
        ("peak PSS of a cold render's process tree <= 1 GiB", f"{pss / MIB:.0f} MiB", 0 < pss <= GIB),
    ]


def format_targets(rows: list[tuple[str, str, bool]]) -> str:
    """The targets as `target  value  met / not met` lines."""
    return "\n".join(f"{name:<50} {value:>18}  {'met' if met else 'NOT MET'}" for name, value, met in rows)


def _profile_stages(specs, data_dir: Path, as_of: str, stages: dict[str, float]) -> None:
    """The cold render's steps, sequential and in this thread (so cProfile sees them), timed stage by stage."""
    from datetime import date

    from lunar_report.facts.validate import validate_data
    from lunar_report.pipeline.base.tex import run_xelatex
    from lunar_report.pipeline.config.settings import RenderOptions
    from lunar_report.pipeline.run import export
    from lunar_report.pipeline.run.execute import execute_report
    from lunar_report.pipeline.run.job import dress, epoch, new_job
    from lunar_report.pipeline.store.fingerprint import environment

    def timed(stage: str, function, *args):
        started = time.perf_counter()
        value = function(*args)
        stages[stage] = stages.get(stage, 0.0) + time.perf_counter() - started
        return value

    options = RenderOptions(out_dir=RESULTS, data_dir=data_dir, as_of=date.fromisoformat(as_of))
    timed("validate data", validate_data, data_dir)
    for spec in specs:
        job = new_job(spec, options, None, environment(options.root))
        with tempfile.TemporaryDirectory(prefix="lunar-profile-") as workdir:
            executed = timed(
                "execute notebook (papermill, kernel)",
                execute_report, spec.name, spec.notebook, job.parameters, Path(workdir),
            )  # fmt: skip
            notebook = executed.notebook
            dress(notebook, job, options.as_of)
            timed("export HTML (nbconvert)", export.to_html, notebook, {}, False)
            latex, files = timed("export LaTeX (nbconvert)", export.to_latex, notebook, False)
            timed("xelatex (2 passes)", run_xelatex, latex, files, Path(workdir) / "tex", epoch(options.as_of))


def profile_cold(specs, data_dir: Path, as_of: str) -> str:
    """Profile a sequential cold render in this process: time per stage, and cProfile's top functions."""
    import cProfile
    import io
    import pstats

    stages: dict[str, float] = {}
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(_profile_stages, specs, data_dir, as_of, stages)
    total = time.perf_counter() - started
    lines = [f"Cold render profile: {len(specs)} report(s), sequential, one thread: {total:.1f} s"]
    lines += [f"  {stage:<40} {seconds:7.2f} s  {seconds / total:5.1%}" for stage, seconds in stages.items()]
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "profile-cold.txt").write_text("\n".join(lines) + "\n\n" + text.getvalue(), encoding="utf-8")
    lines.append(f"  (cProfile's top functions: {RESULTS / 'profile-cold.txt'})")
    return "\n".join(lines)


def save(kind: str, text: str, info: dict, record: dict) -> Path:
    """Print the results `text`, then write them under bench/results/: the text, and as JSON the machine `info` (with
    its load average now) and `record`. Prints and returns the JSON path."""
    print("\n" + text)
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = RESULTS / f"{kind}-{stamp}.json"
    path.write_text(json.dumps({"machine": info, **record}, indent=2, default=str), encoding="utf-8")
    (RESULTS / f"{kind}-latest.txt").write_text(text + "\n", encoding="utf-8")
    print(f"\nResults: {path}")
    return path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = bench_parser(__doc__, repeat=3, timeout=(1800, "step"), as_of=True)
    parser.add_argument("--reports", nargs="+", default=[], metavar="NAME", help="Reports to use (default: all).")
    parser.add_argument("--config", type=Path, default=None, help="Report configuration (default: reports.toml).")
    parser.add_argument("--data", type=Path, default=None, help="Data folder (default: the project's data/).")
    parser.add_argument("--profile", action="store_true", help="Also profile a sequential cold render in-process.")
    return parse(parser, argv)


def main(argv: list[str] | None = None) -> int:
    from lunar_report import paths
    from lunar_report.pipeline.config.reports import load_reports, select

    args = parse_args(argv)
    specs = select(load_reports(args.config), tuple(args.reports))
    data_dir = paths.data_dir(args.data)
    as_of = args.as_of
    names = [spec.name for spec in specs] if args.reports else []
    compile_package()
    info = machine_info()
    print_machine(info)
    print(
        f"Reports: {', '.join(s.name for s in specs)}; as of {as_of}; data {data_dir}; {args.repeat} repetition(s)\n",
        flush=True,
    )
    repetitions = []
    for number in range(1, args.repeat + 1):
        repetitions.append(run_once(specs, names, data_dir, as_of, args.timeout))
        print(
            f"  repetition {number}: "
            + ", ".join(f"{step} {r.seconds:.2f} s{'' if r.ok else ' FAILED'}" for step, r in repetitions[-1].items()),
            flush=True,
        )
    summary = summarise(repetitions)
    ratio = ratios(summary)
    with tempfile.TemporaryDirectory(prefix="lunar-bench-") as folder:
        memory = measure([render_command(names, data_dir, as_of, Path(folder), force=True)], args.timeout, pss=True)
    print(f"  memory: a cold render's process tree peaked at {memory.tree_peak / MIB:.0f} MiB PSS", flush=True)
    goals = targets(summary, ratio, memory.tree_peak if memory.ok else 0)
    text = f"{format_table(summary, ratio)}\n\nTargets\n{format_targets(goals)}"
    for step, row in summary.items():
        for error in row["failed"]:
            text += f"\n\n{STEPS[step]} failed: {error}"
    rerendered = sum(bool(RENDERED.search("".join(r["warm"].stdout))) for r in repetitions)
    if rerendered:
        text += (
            f"\n\nNote: step 3 re-rendered in {rerendered} of {len(repetitions)} run(s): an input changed "
            "between steps 2 and 3 (e.g. an edit under src/lunar_report), so its time is not a no-op render."
        )
    if args.profile:
        text += "\n\n" + profile_cold(specs, data_dir, as_of)
    record = {
        "reports": [s.name for s in specs],
        "as_of": as_of,
        "summary": summary,
        "ratios": ratio,
        "targets": goals,
        "pss_peak": memory.tree_peak,
        "runs": [{k: asdict(v) for k, v in r.items()} for r in repetitions],
    }
    save("render", text, info, record)
    return 0 if all(row["runs"] for row in summary.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
