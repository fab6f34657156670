"""Benchmark the preview's parameters form: a one-off rendered from the form against the command it shows.

Usage: .venv/bin/python bench/bench_parameters.py [--quick] [--repeat N] [--notebook STEM]

Measured side by side in one run, on a copy of the data (medians over the repetitions):
  1 `lunar-report render REPORT -p … --to html --force`: the command the form's page shows above the
    report (its `-f parameters.yaml` written as shown), run as printed, into a folder of its own
  2 the form: a GET of /parameters/<notebook>/report?… on a `lunar-report preview` started once and
    settled (its kernels warm), until the report is served
Each repetition asks for other values (another mission to compare with), so the form renders every
time rather than serving what it rendered before. Ratio 2/1; target: 2/1 <= 1 (the form is no slower).
"""

from __future__ import annotations

import argparse
import html
import re
import shlex
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from bench_loop import PreviewProcess, median_or_none
from bench_render import BIN, PROJECT, compile_package, machine_info, measure, print_machine, save
from fresh import bench_parser, parse

TARGET_RATIO = 1.0
COMMAND = re.compile(r'<code id="lr-command">(.*?)</code>', re.S)
YAML = re.compile(r"<code>parameters\.yaml</code> holding:</p>\s*<pre[^>]*><code>(.*?)</code></pre>", re.S)


def form_values(notebook: str, data_dir: Path, repeat: int) -> list[dict[str, list[str]]]:
    """One set of values per repetition, each different: the mission notebook compares with one more mission."""
    from lunar_report.pipeline.config.preflight import parameter_hints

    missions = parameter_hints(data_dir).choices["mission"]
    if notebook == "mission_figures":
        return [{"mission": ["change-6"], "compare_with": [missions[i % len(missions)]]} for i in range(repeat)]
    return [{"start": [str(2010 + i)]} for i in range(repeat)]


def base_report(notebook: str) -> str:
    """The configured report of the notebook that its form starts from (the first in reports.toml)."""
    from lunar_report.pipeline.config.reports import load_reports

    return next(spec.name for spec in load_reports(PROJECT / "reports.toml") if spec.notebook.stem == notebook)


def shown_command(page: str, folder: Path, out: Path) -> list[str]:
    """The command the page shows, as arguments (`--force --out OUT` added), its `-f` file written as shown."""
    arguments = shlex.split(html.unescape(COMMAND.search(page).group(1)))
    found = YAML.search(page)
    if found:
        (folder / "parameters.yaml").write_text(html.unescape(found.group(1)), encoding="utf-8")
        arguments = [str(folder / "parameters.yaml") if a == "parameters.yaml" else a for a in arguments]
    return [str(BIN / arguments[0]), *arguments[1:], "--force", "--out", str(out)]


def fetch(url: str, timeout: float = 600) -> tuple[int, str]:
    """HTTP status and text of `url` (an error status too)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = bench_parser(__doc__, repeat=5, as_of=True)
    parser.add_argument("--notebook", default="mission_figures", help="Notebook stem (default: mission_figures).")
    return parse(parser, argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    as_of = args.as_of
    compile_package()
    info = machine_info()
    print_machine(info)
    print(f"Notebook: {args.notebook}; as of {as_of}; {args.repeat} repetition(s)\n", flush=True)
    form_seconds: list[float] = []
    cli_seconds: list[float] = []
    errors: list[str] = []
    commands: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lunar-bench-form-") as folder:
        data = Path(folder) / "data"
        shutil.copytree(PROJECT / "data", data)
        preview = PreviewProcess(base_report(args.notebook), data, as_of)  # the report the form starts from
        try:
            for number, values in enumerate(form_values(args.notebook, data, args.repeat)):
                preview.settle()
                query = urlencode([(k, v) for k, vs in values.items() for v in vs])
                started = time.perf_counter()
                status, page = fetch(f"{preview.url}parameters/{args.notebook}/report?{query}")
                seconds = time.perf_counter() - started
                if status != 200 or not COMMAND.search(page):
                    errors.append(f"form: HTTP {status} for {query}:\n" + "\n".join(preview.log[-20:]))
                    continue
                form_seconds.append(seconds)
                run = Path(folder) / f"run-{number}"
                run.mkdir()
                command = shown_command(page, run, run / "out")
                commands.append(shlex.join(command))
                measured = measure([command])
                if measured.ok:
                    cli_seconds.append(measured.seconds)
                else:
                    errors.append(f"command {shlex.join(command)}: {measured.error}")
                print(f"  repetition {number + 1}: form {seconds:.2f} s, command {measured.seconds:.2f} s", flush=True)
        finally:
            exit_code = preview.stop()
    form, cli = median_or_none(form_seconds), median_or_none(cli_seconds)
    ratio = form / cli if form and cli else None
    lines = [
        f"{'step':<52} {'median s':>9} {'min s':>8} {'max s':>8}",
        *(
            f"{label:<52} {median_or_none(values) or 0:>9.2f} {min(values, default=0):>8.2f} {max(values, default=0):>8.2f}"
            for label, values in (
                ("1 the command shown (render -p … --to html --force)", cli_seconds),
                ("2 the form: GET /parameters/…/report (preview warm)", form_seconds),
            )
        ),
        "",
        f"ratio 2/1 = {'n/a' if ratio is None else f'{ratio:.4f}'}",
        "",
        "Targets",
        f"{'2/1 <= ' + str(TARGET_RATIO) + ' (the form is no slower)':<44} {'n/a' if ratio is None else f'{ratio:.3f}':>12}  "
        + ("met" if ratio is not None and ratio <= TARGET_RATIO else "NOT MET"),
    ]
    text = "\n".join(lines + [f"\n{error}" for error in errors])
    record = {
        "notebook": args.notebook,
        "as_of": as_of,
        "commands": commands,
        "seconds": {"command": cli_seconds, "form": form_seconds},
        "medians": {"command": cli, "form": form},
        "ratios": {"2/1": ratio},
        "preview_exit_code": exit_code,
    }
    save("parameters", text, info, record)
    ok = not errors and len(form_seconds) == len(cli_seconds) == args.repeat
    return 0 if ok and exit_code in (0, 130) else 1


if __name__ == "__main__":
    sys.exit(main())
