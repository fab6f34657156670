"""Benchmark this checkout's render times against an earlier revision's, measured in the same run.

Usage: .venv/bin/python bench/bench_versions.py --base REV [--repeat N] [--quick] [--report NAME] [--as-of DATE]

The revision REV (any name git knows: a tag, a branch, HEAD~5) is checked out into a temporary git
worktree and runs with this environment's packages: PYTHONPATH points at its src/, so its kernels
import its code too. Each side renders its own notebooks, data and reports.toml, into a fresh
temporary folder. Each repetition runs both sides one after the other, in alternating order, so
that both meet the same machine load. Steps, timed in a fresh helper process (median shown):
  one   `render NAME --to html --force`: one report's HTML (the authoring loop)
  cold  `render --force`: the whole set, HTML and PDF, from nothing
The ratio is this checkout's time over the base's; the target is no regression beyond noise (<= 1.05).
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_render import BIN, PROJECT, machine_info, measure, print_machine, save
from fresh import bench_parser, parse

TARGET = 1.05
"""This checkout may take at most this many times the base's time: anything above is a regression, not noise."""
STEPS = {"one": "one report, HTML (render NAME --to html --force)", "cold": "the set, cold (render --force)"}


def _command(step: str, report: str, out: Path, as_of: str) -> list[str]:
    chosen = [report, "--to", "html"] if step == "one" else []
    return [BIN / "python", "-m", "lunar_report", "render", *chosen, "--force", "--out", out, "--as-of", as_of]


def _worktree(revision: str, folder: Path) -> Path:
    """A checkout of `revision` in `folder` (a git worktree of this repository), its code byte-compiled."""
    tree = folder / "base"
    result = subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(tree), revision],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"cannot check out {revision!r}: {result.stderr.strip()}")
    compileall.compile_dir(tree / "src", quiet=1)
    return tree


def _side(step: str, project: Path, report: str, out: Path, as_of: str, timeout: float) -> float:
    """Seconds one side takes for `step`, run in its own project folder with its own code."""
    run = measure([_command(step, report, out, as_of)], timeout, cwd=project, env={"PYTHONPATH": str(project / "src")})
    if not run.ok:
        raise SystemExit(f"{step} in {project} failed: {run.error}")
    return run.seconds


def run(args: argparse.Namespace) -> dict[str, dict[str, list[float]]]:
    """Every repetition of every step on both sides: seconds by step, then by side ("base", "this")."""
    times: dict[str, dict[str, list[float]]] = {step: {"base": [], "this": []} for step in args.steps}
    with tempfile.TemporaryDirectory(prefix="lunar-bench-versions-") as folder:
        base = _worktree(args.base, Path(folder))
        try:
            for number in range(args.repeat):
                for step in args.steps:
                    sides = [("base", base), ("this", PROJECT)]
                    for side, project in sides if number % 2 == 0 else reversed(sides):
                        out = Path(folder) / f"{side}-{step}-{number}"
                        times[step][side].append(_side(step, project, args.report, out, args.as_of, args.timeout))
                print(
                    f"  repetition {number + 1}: "
                    + ", ".join(f"{s} {times[s]['base'][-1]:.2f} s / {times[s]['this'][-1]:.2f} s" for s in times),
                    flush=True,
                )
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=PROJECT, capture_output=True)
    return times


def format_results(times: dict[str, dict[str, list[float]]], base: str) -> tuple[str, dict[str, float]]:
    """The table (medians, ratio, target met or not) and the ratios by step."""
    lines = [f"{'step':<50} {'base s':>8} {'this s':>8}  ratio  target <= {TARGET}", ""]
    ratios = {}
    for step, sides in times.items():
        before, now = statistics.median(sides["base"]), statistics.median(sides["this"])
        ratios[step] = now / before
        verdict = "met" if ratios[step] <= TARGET else "NOT MET"
        lines.append(f"{STEPS[step]:<50} {before:8.2f} {now:8.2f}  {ratios[step]:.3f}  {verdict}")
    lines.append(f"\nbase: {base}; this: the working tree; medians of {len(next(iter(times.values()))['base'])} run(s)")
    return "\n".join(lines), ratios


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = bench_parser(
        __doc__,
        repeat=5,
        quick="One repetition of the one-report step (a smoke run).",
        timeout=(1800, "step"),
        as_of=True,
    )
    parser.add_argument("--base", required=True, help="The earlier revision to compare with (a tag, branch or commit).")
    parser.add_argument("--report", default="timeline", help="The report of the one-report step (default: timeline).")
    args = parse(parser, argv)
    args.steps = ["one"] if args.quick else list(STEPS)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine_info()
    print_machine(info)
    print(f"Base {args.base}; {args.repeat} repetition(s); as of {args.as_of}\n", flush=True)
    times = run(args)
    text, ratios = format_results(times, args.base)
    save("versions", text, info, {"base": args.base, "as_of": args.as_of, "seconds": times, "ratios": ratios})
    return 0


if __name__ == "__main__":
    sys.exit(main())
