"""Helpers shared by the test folders: run the CLI, build configs, snapshot folders, read a PDF's text."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from lunar_report.errors import ParameterError

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS.parent
FIXTURES = TESTS / "fixtures"
MINIMAL = FIXTURES / "minimal"
FIXTURE_NOTEBOOKS = FIXTURES / "notebooks"
NOTEBOOKS = PROJECT / "notebooks"
LOCK_NAME = ".lunar-report.lock"
MARK_NAME = ".lunar-report-output"
AS_OF = "2026-11-25"


@dataclass(frozen=True)
class Result:
    """What a command printed and how it exited."""

    code: int
    stdout: str
    stderr: str


def run_cli(capsys, *args: str) -> Result:
    """Run `lunar-report ARGS` in this process through the real entry point (`cli.main`).

    An exception escaping `main` fails the test: it is what a user would see as a traceback.
    """
    from lunar_report.cli import main

    capsys.readouterr()
    argv, sys.argv = sys.argv, ["lunar-report", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    out, err = capsys.readouterr()
    return Result(code, out, err)


def render(capsys, config: Path, out: Path, data: Path, *args: str, as_of: str = AS_OF) -> Result:
    """`lunar-report render --config CONFIG --out OUT --data DATA --as-of AS_OF ARGS`, in this process."""
    return run_cli(
        capsys, "render", "--config", str(config), "--out", str(out), "--data", str(data), "--as-of", as_of, *args
    )


def validate(capsys, folder: Path) -> Result:
    """`lunar-report validate --data FOLDER`, in this process; asserts that validation only reads."""
    before = snapshot(folder)
    result = run_cli(capsys, "validate", "--data", str(folder))
    assert snapshot(folder) == before, "validation only reads"
    return result


def problem_count(count: int, folder: Path) -> str:
    """The line `validate` ends its list of problems with."""
    return f"{count} problem{'s' if count != 1 else ''} in {folder}"


def assert_problems(capsys, folder: Path, *problems: str) -> None:
    """`lunar-report validate --data FOLDER` exits 1 listing exactly `problems`, then their count."""
    result = validate(capsys, folder)
    assert result.code == 1
    assert result.stderr.splitlines() == [*problems, problem_count(len(problems), folder)]


def assert_refused(result: Result, code: int, message: str) -> None:
    """Refused with `code` and exactly one line on stderr (`error: MESSAGE`), nothing on stdout."""
    assert (result.code, result.stderr, result.stdout) == (code, f"error: {message}\n", "")


def refuse_kernels(monkeypatch) -> None:
    """Fail the test if a report's notebook is executed (the mistake must be found before any kernel starts).

    The pool render starts ahead (while it validates) is the real one, but empty: no kernel process is
    started or warmed for a run the test expects to stop first. That a mistake stops the kernels started
    ahead is tested once (test_hostile.test_a_parameter_mistake_stops_the_kernels_started_ahead).
    """
    from lunar_report.pipeline.run import execute, kernels

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    class EmptyPool(kernels.KernelPool):
        def __init__(self, runtime: Path, modules, **options) -> None:
            super().__init__(runtime, (), **{**options, "size": 0})
            self.launched.set()  # no kernel's launch to wait for

    monkeypatch.setattr(execute, "execute_report", refuse)
    monkeypatch.setattr(kernels, "KernelPool", EmptyPool)


def run_subprocess(*args: str, timeout: float = 120, **kwargs) -> Result:
    """Run `python -m lunar_report ARGS` in a child process (the installed entry point, PYTHONPATH inherited)."""
    done = subprocess.run(
        [sys.executable, "-m", "lunar_report", *args], capture_output=True, text=True, timeout=timeout, **kwargs
    )
    return Result(done.returncode, done.stdout, done.stderr)


class Raw(str):
    """A TOML literal written as is (a date, say), not as a quoted string."""


def toml_value(value) -> str:
    return str(value) if isinstance(value, Raw) else json.dumps(value, ensure_ascii=False)


def write_config(folder: Path, reports: list[dict], name: str = "reports.toml") -> Path:
    """A reports.toml with one [[report]] per dict (name, notebook, title, parameters)."""
    lines = []
    for report in reports:
        lines += [
            "[[report]]",
            f"name = {toml_value(report['name'])}",
            f"notebook = {toml_value(str(report['notebook']))}",
        ]
        lines.append(f"title = {toml_value(report.get('title', 'Fixture ' + report['name']))}")
        lines += [f"parameters.{key} = {toml_value(v)}" for key, v in report.get("parameters", {}).items()]
        lines.append("")
    config = folder / name
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def write_raw_config(folder: Path, body: str | bytes, name: str = "reports.toml") -> Path:
    """A reports.toml holding exactly `body` (text as UTF-8, or bytes as given)."""
    config = folder / name
    config.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    return config


def copy_minimal(folder: Path) -> Path:
    """A private copy of the small valid data set."""
    shutil.copytree(MINIMAL, folder)
    return folder


def previous_outputs(out: Path) -> Path:
    """An output folder holding what an earlier render left: reports, index, manifest, a failure page."""
    (out / "_failed").mkdir(parents=True)
    for name, content in {
        "old.html": b"<html>previous good report</html>",
        "old.pdf": b"%PDF-1.7 previous",
        "index.html": b"<html>previous index</html>",
        "manifest.json": b'{"format": 2, "reports": {}, "validated": ""}\n',
        "_failed/older.html": b"<html>an older failure</html>",
    }.items():
        (out / name).write_bytes(content)
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes; the (empty) lock file is not an output."""
    if not folder.exists():
        return {}
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    lock = files.pop(LOCK_NAME, b"")
    assert lock == b"", "the lock file holds nothing"
    files.pop(MARK_NAME, None)  # "this folder is an output folder": written on first use, not an output
    return files


def no_leftovers(out: Path) -> None:
    """Nothing half-done in the output folder, and no temp folder of its renders."""
    from lunar_report.pipeline.store.workspace import temp_root

    assert not list(out.glob(".staging-*"))
    assert not (out / ".lunar-report-commit").exists(), "no commit left half-done"
    assert not list(out.rglob("*.tmp"))
    assert not temp_root(out.resolve()).exists()


def read_rows(path: Path) -> list[list[str]]:
    limit = csv.field_size_limit(2**31 - 1)  # the tests write cells over the default 128 KiB
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.reader(handle))
    finally:
        csv.field_size_limit(limit)


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(folder: Path, file: str, line: int, column: str, value: str) -> None:
    """Set one cell: `line` counts the header as line 1 (files without multi-line cells)."""
    rows = read_rows(folder / file)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(folder / file, rows)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fixture_notebook(folder: Path, name: str, *cells: str, parameters: str = "data_dir = None\nas_of = None") -> Path:
    """A small notebook: a `parameters` cell, then the given code cells."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "lunar-report",
        "display_name": "Python (lunar-report)",
        "language": "python",
    }
    tagged = nbformat.v4.new_code_cell(parameters)
    tagged.metadata["tags"] = ["parameters"]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Fixture"), tagged, *map(nbformat.v4.new_code_cell, cells)]
    path = folder / name
    nbformat.write(notebook, path)
    return path


GUARD_MESSAGE = "stopped by the test's guard after the notebook's own checker passed"


def guard_checkers(monkeypatch) -> None:
    """Make each notebook's host-side checker run the real one, then always refuse: no kernel ever starts.

    Notebooks may name only checkers of lunar_report.analysis.parameters, so the guards replace those.
    """
    from lunar_report.analysis import parameters as checkers
    from lunar_report.errors import ParameterError

    def guarded(real):
        def check(**parameters):
            real(**parameters)
            raise ParameterError(GUARD_MESSAGE)

        return check

    for name in ("validate_timeline_parameters", "validate_mission_parameters", "validate_claims_parameters"):
        monkeypatch.setattr(checkers, name, guarded(getattr(checkers, name)))


def guarded_notebook(folder: Path, notebook: Path) -> Path:
    """A copy of `notebook` in `folder` (its checker refuses once `guard_checkers` is in place)."""
    copy = folder / notebook.name
    shutil.copyfile(notebook, copy)
    return copy


@contextlib.contextmanager
def http_server(handler, server=http.server.ThreadingHTTPServer) -> Iterator[int]:
    """Serve `handler` on 127.0.0.1 from a thread of the test until the block ends; yields the port it listens on."""
    running = server(("127.0.0.1", 0), handler)
    running.daemon_threads = True
    threading.Thread(target=running.serve_forever, daemon=True).start()
    try:
        yield running.server_address[1]
    finally:
        running.shutdown()
        running.server_close()


def start_render(*args: str) -> subprocess.Popen:
    """`python -m lunar_report render ARGS` in its own session (a signal to it reaches it alone)."""
    return subprocess.Popen(
        [sys.executable, "-m", "lunar_report", "render", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for_kernel(process: subprocess.Popen, timeout: float = 90) -> list:
    """Wait until `process` runs a Jupyter kernel; return its descendant processes (psutil) at that moment."""
    import time

    import psutil

    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, process.communicate()
        try:
            descendants = psutil.Process(process.pid).children(recursive=True)
            if any("ipykernel" in " ".join(p.cmdline()) for p in descendants):
                return descendants
        except psutil.Error:  # a child ended while being listed
            pass
        assert time.monotonic() < deadline, "no kernel started"
        time.sleep(0.05)


def stop_with(render: subprocess.Popen, number: int, code: int, within: float) -> None:
    """Send signal `number` to a running render: it ends with exit `code` within `within` seconds, saying only that
    it was interrupted (no traceback)."""
    import time

    sent = time.monotonic()
    render.send_signal(number)
    stdout, stderr = render.communicate(timeout=30)
    assert time.monotonic() - sent < within, "stopped promptly (the 2 s target is measured by bench/bench_interrupt.py)"
    assert render.returncode == code
    name = signal.Signals(number).name
    assert stderr == f"error: interrupted by {name}; running kernels were stopped and nothing partial was written\n"
    assert "Traceback" not in stderr + stdout


def gone(processes: list, timeout: float) -> bool:
    """True once none of `processes` runs any more (ended, or a zombie waiting for its reaper)."""
    import time

    import psutil

    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for process in processes:
            try:
                if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(process)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return not alive
        time.sleep(0.05)


def with_notebook_defaults(checker, notebook: str):
    """`checker` called as render calls it: with the defaults of the notebook's parameters cell, then `given`."""
    from lunar_report.pipeline.config.reports import notebook_info

    defaults = notebook_info(NOTEBOOKS / notebook).defaults
    return lambda **given: checker(**{**defaults, **given})


def pdf_text(path, pages: int | None = None) -> str:
    """The text of every page of a PDF (or of its first `pages`), as a reader copying it gets it.

    pdfplumber (pdfminer) finds word spaces from glyph positions; the tolerance suits the 9 pt
    type of the tables, whose spaces are under pdfplumber's default 3 pt. pypdf guesses spaces
    from the font's width table, and with XeTeX's Identity-H subsets it can take glyph 0x20
    (here "=") for the space and run every word together.
    """
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text(x_tolerance=1.5) or "" for page in pdf.pages[:pages])


def make_project(root: Path, extra: str = "") -> Path:
    """A project in `root`: the shipped notebooks and data, and a configuration with two reports."""
    shutil.copytree(PROJECT / "notebooks", root / "notebooks")
    shutil.copytree(PROJECT / "data", root / "data")
    shutil.copy(TESTS / "fixtures" / "notebooks" / "fails.ipynb", root / "notebooks" / "fails.ipynb")
    (root / "reports.toml").write_text(
        '[[report]]\nname = "timeline"\nnotebook = "notebooks/timeline.ipynb"\n'
        'title = "China–Russia lunar cooperation: the timeline"\n\n'
        '[[report]]\nname = "broken"\nnotebook = "notebooks/fails.ipynb"\ntitle = "A report whose cell fails"\n'
        + extra,
        encoding="utf-8",
    )
    return root


def lander_report(number: int) -> dict:
    """A report (for `write_config`) of the mission figures of the known fixture's Fixture Lander N (fx-lander-N)."""
    return {
        "name": f"mission-lander-{number}",
        "notebook": "notebooks/mission_figures.ipynb",
        "title": f"Fixture Lander {number}",
        "parameters": {"mission": f"fx-lander-{number}"},
    }


def notebooks_project(root: Path, *reports: dict) -> Path:
    """A project in `root`: the shipped notebooks, and a reports.toml of the timeline, Fixture Lander 1's mission
    figures (`lander_report(1)`), then `reports`."""
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    timeline = {"name": "timeline", "notebook": "notebooks/timeline.ipynb", "title": "The timeline"}
    write_config(root, [timeline, lander_report(1), *reports])
    return root


def lunar_report(*args: str, cwd: Path, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lunar_report", *args], cwd=cwd, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs,
    )  # fmt: skip


def code(source: str, error: bool = False):
    """An executed code cell (a count, timing metadata, a result; an error output when asked)."""
    cell = nbformat.v4.new_code_cell(source)
    cell.execution_count = 3
    cell.metadata["execution"] = {"iopub.execute_input": "now"}
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=3)]
    if error:
        cell.outputs.append(nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[]))
    return cell


class PreviewProcess:
    """`lunar-report preview --port 0` on `root` in a subprocess (its own process group); its output lines
    collected by a thread, `url` once it serves."""

    def __init__(self, root: Path, env: dict, as_of: str, stderr=subprocess.STDOUT, wait: float = 180) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lunar_report", "preview", "--port", "0", "--as-of", as_of],
            cwd=root, env=env, text=True, stdout=subprocess.PIPE, stderr=stderr, start_new_session=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self.url = ""
        seen = threading.Event()

        def read() -> None:
            for line in self.process.stdout:
                self.lines.append(line.rstrip("\n"))
                found = re.search(r"Serving (http://127\.0\.0\.1:\d+/)", line)
                if found:
                    self.url = found.group(1)
                    seen.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        assert seen.wait(wait), "preview did not print its URL:\n" + "\n".join(self.lines)

    def stop(self) -> int:
        """Ctrl-C, as a user stops it; killed (with its children) if it has not stopped in a minute."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(60)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.reader.join(5)
        return self.process.returncode


def parameter_message(call, **kwargs) -> str:
    """The one-line message of the ParameterError that `call(**kwargs)` raises (a notebook's parameter checker)."""
    with pytest.raises(ParameterError) as caught:
        call(**kwargs)
    text = str(caught.value)
    assert "\n" not in text
    return text


MISSING_VALUE = re.compile(r"[{}]|\b(nan|None|NaT)\b|<NA>")
"""What a sentence shows when a value is missing: a placeholder left in, or pandas' and Python's empty values."""


def assert_missions_described(facts) -> None:
    """Every section of every mission's report says something, names the mission, and leaves no value out."""
    from lunar_report.analysis import missions  # (pandas: imported only by the tests that need it)
    from lunar_report.analysis.prose import missions as missions_prose

    masses = missions.sample_masses(facts)
    for mission in facts.missions["id"]:
        name = missions.mission_name(facts, mission)
        groups = [
            missions_prose.overview_sentences(facts, mission),
            missions_prose.phase_coverage_sentences(facts, mission),
            missions_prose.duration_sentences(facts, mission),
            missions_prose.mass_sentences(facts, mission, masses),
            missions_prose.gap_sentences(facts, mission),
        ]
        for sentences in groups:
            assert sentences, f"{mission}: a section says nothing"
            assert name in sentences[0].formatted(), f"{mission}: {sentences[0].formatted()!r} does not name it"
        for sentence in (s for group in groups for s in group):
            said = sentence.formatted()
            assert said.endswith((".", "”")), f"{mission}: unfinished sentence {said!r}"
            assert not MISSING_VALUE.search(said), f"{mission}: a value is missing in {said!r}"
