"""Unit tests of the build modules, without kernels: atomic writes, fingerprints, manifest, index,
workspace, execute helpers, configuration, child processes."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import threading
import time
from datetime import UTC, date, datetime
from datetime import time as clock
from pathlib import Path

import nbformat
import pytest
from filelock import FileLock

from helpers import NOTEBOOKS, gone, write_config
from lunar_report.errors import ConfigError, LockBusy, ParameterError, UsageError
from lunar_report.pipeline.base import atomic, children
from lunar_report.pipeline.config import preflight
from lunar_report.pipeline.config.reports import CHECKER_MODULE, ReportSpec, load_reports, plain_value
from lunar_report.pipeline.run import execute
from lunar_report.pipeline.site import index
from lunar_report.pipeline.store import fingerprint, manifest, workspace
from lunar_report.pipeline.store.editions import Ledger
from lunar_report.pipeline.store.manifest import Entry, Manifest, Output, Status

TIMELINE = NOTEBOOKS / "timeline.ipynb"

# --- atomic ----------------------------------------------------------------------------------------------


def test_write_atomically_creates_folders_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "a" / "b" / "report.html"
    atomic.write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_keeps_the_old_file_and_no_temp_file(tmp_path, monkeypatch, failing):
    target = tmp_path / "report.html"
    target.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, failing, broken)
    with pytest.raises(OSError, match="No space left"):
        atomic.write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_write_if_changed_writes_only_a_change(tmp_path):
    target = tmp_path / "index.html"
    assert atomic.write_if_changed(target, b"one") is True
    stamp = target.stat().st_mtime_ns
    time.sleep(0.01)
    assert atomic.write_if_changed(target, b"one") is False
    assert target.stat().st_mtime_ns == stamp
    assert atomic.write_if_changed(target, b"two") is True
    assert target.read_bytes() == b"two"


# --- fingerprint -----------------------------------------------------------------------------------------

INPUTS = fingerprint.Inputs(
    notebook="n" * 64,
    config={"name": "t", "title": "T", "parameters": {}, "configured": True},
    parameters={"start": "2017"},
    as_of="2026-11-25",
    include_code=False,
    reads={"data/events.csv": "e" * 64},
    environment={"code": "c" * 64, "python": "3.11.7"},
)
CHANGES = {
    "notebook": "m" * 64,
    "config": {"name": "t", "title": "Another title", "parameters": {}, "configured": True},
    "parameters": {"start": "2018"},
    "as_of": "2026-11-26",
    "include_code": True,
    "reads": {"data/events.csv": "f" * 64},
    "environment": {"code": "c" * 64, "python": "3.12.0"},
}


def test_each_input_changes_the_fingerprint_of_each_format():
    assert set(CHANGES) == {f.name for f in dataclasses.fields(fingerprint.Inputs)}, "every field is tested"
    for fmt in ("html", "pdf"):
        for name, value in CHANGES.items():
            changed = dataclasses.replace(INPUTS, **{name: value})
            assert changed.fingerprint(fmt) != INPUTS.fingerprint(fmt), name


def test_the_fingerprint_is_per_format_and_stable():
    assert INPUTS.fingerprint("html") != INPUTS.fingerprint("pdf")
    reordered = dataclasses.replace(INPUTS, parameters=dict(reversed(list({"a": 1, "b": 2}.items()))))
    assert reordered.fingerprint("html") == dataclasses.replace(INPUTS, parameters={"a": 1, "b": 2}).fingerprint("html")
    assert INPUTS.fingerprint("html") == dataclasses.replace(INPUTS).fingerprint("html")


def test_folder_digest_follows_names_and_bytes_and_skips_hidden_files(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for folder in (first, second):
        (folder / "sources").mkdir(parents=True)
        (folder / "events.csv").write_bytes(b"id\n1\n")
        (folder / "sources" / "article.txt").write_bytes(b"text")
    assert fingerprint.folder_digest(first) == fingerprint.folder_digest(second), "location does not matter"
    digest = fingerprint.folder_digest(first)
    (first / ".hidden").write_bytes(b"editor state")
    (first / ".git").mkdir()
    (first / ".git" / "HEAD").write_bytes(b"ref")
    assert fingerprint.folder_digest(first) == digest
    (first / "sources" / "article.txt").write_bytes(b"texT")
    assert fingerprint.folder_digest(first) != digest
    (first / "sources" / "article.txt").write_bytes(b"text")
    (first / "events.csv").rename(first / "events2.csv")
    assert fingerprint.folder_digest(first) != digest


def test_paths_are_recorded_relative_to_the_project(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "events.csv").write_bytes(b"x")
    assert fingerprint.relative(tmp_path / "data" / "events.csv", tmp_path) == "data/events.csv"
    assert fingerprint.relative("/etc/hostname", tmp_path) == "/etc/hostname"
    digests = fingerprint.read_digests(["data/events.csv", "data/gone.csv"], tmp_path)
    assert digests == {
        "data/events.csv": fingerprint.file_digest(tmp_path / "data" / "events.csv"),
        "data/gone.csv": "missing",
    }


def test_environment_includes_the_lock_file_when_present(tmp_path):
    assert not any(key.startswith("lock:") for key in fingerprint.environment(tmp_path))
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "lock.txt").write_text("pandas==2.2.3\n")
    assert fingerprint.environment(tmp_path)["lock:requirements/lock.txt"] == fingerprint.file_digest(
        tmp_path / "requirements" / "lock.txt"
    )


# --- manifest --------------------------------------------------------------------------------------------


def sample_manifest() -> Manifest:
    entry = Entry(
        Status.RENDERED,
        title="Timeline ’21",
        as_of="2026-11-25",
        parameters={"start": "2017", "categories": ["agreement"]},
        reads=["data/events.csv"],
        outputs={"timeline.html": Output("a" * 64, "b" * 64)},
        seconds=1.5,
    )
    failed = Entry(Status.FAILED, title="Broken", as_of="2026-11-25", parameters={}, configured=False, error="boom")
    return Manifest({"timeline": entry, "broken": failed}, validated="v")


def test_the_manifest_round_trips_and_is_rewritten_only_when_changed(tmp_path):
    assert manifest.save_manifest(tmp_path, sample_manifest()) is True
    assert manifest.load_manifest(tmp_path) == sample_manifest()
    assert manifest.save_manifest(tmp_path, sample_manifest()) is False
    assert list(json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["reports"]) == [
        "broken",
        "timeline",
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[]",
        b"null",
        b"\xff\xfe",
        b'{"format": 1, "reports": {}}',
        b'{"format": "2", "reports": {}}',
        b'{"format": 2}',
        b'{"format": 2, "reports": []}',
        b'{"format": 2, "reports": {"t": []}}',
        b'{"format": 2, "reports": {"t": {"status": "exploded", "title": "", "as_of": "", "parameters": {}}}}',
        b'{"format": 2, "reports": {"t": {"status": "rendered"}}}',
        b'{"format": 2, "reports": {"t": {"status": "rendered", "title": "", "as_of": "", "parameters": {}, "outputs": {"a": 1}}}}',
        b'{"format": 2, "reports": {"t": {"status": "rendered", "title": "", "as_of": "", "parameters": {}, "reads": 5}}}',
        b'{"format": 2, "reports": {"t": {"status": "rendered", "title": "", "as_of": "", "parameters": [], "reads": []}}}',
        b'{"format": 2, "reports": {"t": {"status": "rendered", "title": "", "as_of": "", "parameters": {}, "surprise": 1}}}',
    ],
)
def test_an_unreadable_or_foreign_manifest_is_empty(tmp_path, content):
    (tmp_path / "manifest.json").write_bytes(content)
    assert manifest.load_manifest(tmp_path) == Manifest()


def test_a_missing_manifest_or_a_folder_in_its_place_is_empty(tmp_path):
    assert manifest.load_manifest(tmp_path) == Manifest()
    (tmp_path / "manifest.json").mkdir()
    assert manifest.load_manifest(tmp_path) == Manifest()


# --- index -----------------------------------------------------------------------------------------------


def entry(status=Status.RENDERED, configured=True, **fields) -> Entry:
    base = dict(title="Title", as_of="2026-11-25", parameters={}, configured=configured)
    return Entry(status, **{**base, **fields})


def page(entries: dict[str, Entry], configured: list[str], out: Path) -> str:
    """The build page: the table of every report's as-of date, parameters, fingerprint and files."""
    return index.index_pages(entries, configured, out, Ledger())["build.html"].decode("utf-8")


def front(entries: dict[str, Entry], configured: list[str], out: Path) -> str:
    return index.index_pages(entries, configured, out, Ledger())["index.html"].decode("utf-8")


def test_the_index_lists_only_configured_reports_in_order(tmp_path):
    entries = {"b": entry(title="Bee"), "a": entry(title="Ay"), "removed": entry(title="No longer configured")}
    html = page(entries, ["b", "a", "not-rendered-yet"], tmp_path)
    assert html.index("Bee") < html.index("Ay")
    assert "No longer configured" not in html and "not-rendered-yet" not in html


def test_the_index_links_only_files_that_exist(tmp_path):
    (tmp_path / "t.html").write_bytes(b"x")
    html = page({"t": entry()}, ["t"], tmp_path)
    assert 'href="t.html"' in html and 't.pdf"' not in html


def test_a_failed_first_render_has_no_report_links(tmp_path):
    html = page({"t": entry(Status.FAILED, error="boom")}, ["t"], tmp_path)
    assert 'href="t.html"' not in html and 'href="t.pdf"' not in html and "_failed/" not in html
    assert "not rendered yet" in html
    (tmp_path / index.FAILED_DIR).mkdir()
    (tmp_path / index.FAILED_DIR / "t.html").write_bytes(b"x")
    html = page({"t": entry(Status.FAILED, error="boom")}, ["t"], tmp_path)
    assert '<a class="failed" href="_failed/t.html">failed: see why</a>' in html
    assert 'href="t.html"' not in html and 'href="t.pdf"' not in html


def test_the_one_off_section_shows_parameters_escaped(tmp_path):
    entries = {"t": entry(), "t-custom": entry(configured=False, title="<b>T</b>", parameters={"mission": "change-6"})}
    html = page(entries, ["t"], tmp_path)
    one_off = html.split("<h2>One-off renders</h2>", 1)[1]
    assert "<code>mission = change-6</code>" in one_off and "t-custom" in one_off
    assert "&lt;b&gt;T&lt;/b&gt;" in one_off and "<b>T</b>" not in html
    assert "One-off renders" not in page({"t": entry()}, ["t"], tmp_path)


def test_the_index_is_a_function_of_its_inputs(tmp_path):
    entries = {"t": entry(outputs={"t.html": Output("a", "f" * 64)})}
    assert page(entries, ["t"], tmp_path) == page(entries, ["t"], tmp_path)
    assert "<code>ffffffffffff</code>" in page(entries, ["t"], tmp_path)


def test_the_index_shows_the_html_fingerprint_when_formats_differ(tmp_path):
    outputs = {"t.pdf": Output("a", "p" * 64), "t.html": Output("b", "h" * 64)}
    html = page({"t": entry(outputs=outputs)}, ["t"], tmp_path)
    assert "<code>hhhhhhhhhhhh</code>" in html and "pppp" not in html


# --- workspace -------------------------------------------------------------------------------------------


def test_prepare_out_dir_creates_it_or_says_why_not(tmp_path):
    assert workspace.prepare_out_dir(tmp_path / "a" / "b") == (tmp_path / "a" / "b").resolve()
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match=r"a file is in the way; give a folder$"):
        workspace.prepare_out_dir(tmp_path / "file")
    with pytest.raises(
        UsageError, match=r"cannot create the output folder \(Not a directory\); give a writable folder"
    ):
        workspace.prepare_out_dir(tmp_path / "file" / "sub")


def test_a_folder_kept_in_git_by_an_empty_gitkeep_is_free_to_use(tmp_path, project_dir):
    """A fresh clone's reports/ holds only its empty .gitkeep: `make report` renders there (and keeps it)."""
    assert (project_dir / "reports" / ".gitkeep").is_file()
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / ".gitkeep").write_bytes(b"")
    assert workspace.prepare_out_dir(tmp_path / "reports") == (tmp_path / "reports").resolve()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / ".gitkeep").write_text("my notes", encoding="utf-8")
    with pytest.raises(UsageError, match=r"the folder holds files lunar-report did not write"):
        workspace.prepare_out_dir(tmp_path / "notes")


def test_the_temp_root_is_short_stable_and_per_output_folder(tmp_path):
    root = workspace.temp_root(tmp_path / "out")
    assert root == workspace.temp_root(tmp_path / "out") != workspace.temp_root(tmp_path / "other")
    assert len(str(root)) < 60, "kernel sockets live below it"


def test_locked_gives_a_private_temp_folder_and_removes_it_even_on_failure(tmp_path):
    out = workspace.prepare_out_dir(tmp_path / "out")
    with pytest.raises(RuntimeError), workspace.locked(out, 0) as run_dir:
        assert run_dir == workspace.temp_root(out) and oct(run_dir.stat().st_mode & 0o777) == "0o700"
        job = workspace.job_dir(run_dir, "timeline")
        assert job.parent == run_dir and job.name.startswith("timeline-")
        raise RuntimeError("a bug")
    assert not workspace.temp_root(out).exists()
    with FileLock(str(out / workspace.LOCK_NAME), timeout=0):
        pass  # released


def test_a_failed_run_removes_the_folders_it_made_while_they_hold_nothing_else(tmp_path):
    target = tmp_path / "new" / "out"
    made = workspace.new_folders(target)
    assert made == [target.resolve(), (tmp_path / "new").resolve()]
    out = workspace.prepare_out_dir(target)
    with pytest.raises(RuntimeError), workspace.locked(out, 0, made):
        raise RuntimeError("refused")
    assert list(tmp_path.iterdir()) == []  # both folders, the mark and the lock file gone

    out = workspace.prepare_out_dir(target)
    with pytest.raises(RuntimeError), workspace.locked(out, 0, made):
        (out / "t.html").write_bytes(b"a report it committed")
        raise RuntimeError("a later report failed")
    assert sorted(p.name for p in out.iterdir()) == [".lunar-report-output", ".lunar-report.lock", "t.html"]

    assert workspace.new_folders(target) == []
    with workspace.locked(out, 0, [out]):  # success: kept
        (out / "t.html").unlink()
    assert (out / workspace.MARK).is_file()


def test_locked_removes_what_a_killed_run_left(tmp_path):
    out = workspace.prepare_out_dir(tmp_path / "out")
    root = workspace.temp_root(out)
    (root / "slow-x" / "k").mkdir(parents=True)
    (out / ".staging-1").mkdir()
    (out / "_failed").mkdir()
    (out / ".t.html.abc.tmp").write_bytes(b"half")
    (out / "_failed" / ".t.html.def.tmp").write_bytes(b"half")
    (out / "t.html").write_bytes(b"kept")
    (out / "notes").mkdir()
    (out / "notes" / ".draft.abc.tmp").write_bytes(b"not ours: a folder a render never writes")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".other.abc.tmp").write_bytes(b"outside the output folder")
    (out / "editions").symlink_to(elsewhere)
    with workspace.locked(out, 0) as run_dir:
        assert list(run_dir.iterdir()) == []
        assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [
            ".lunar-report-output", ".lunar-report.lock", "_failed", "editions", "notes", "notes/.draft.abc.tmp", "t.html"
        ]  # fmt: skip
    assert (elsewhere / ".other.abc.tmp").is_file(), "clean-up never follows a link out of the folder"


def test_a_held_lock_is_lock_busy(tmp_path):
    out = workspace.prepare_out_dir(tmp_path / "out")
    with FileLock(str(out / workspace.LOCK_NAME)), pytest.raises(LockBusy) as caught, workspace.locked(out, 0.1):
        pass
    assert caught.value.exit_code == 75
    assert str(caught.value).startswith(f"another lunar-report render is writing to {out}; ")


@pytest.mark.parametrize(
    ("day", "ok"),
    [(date(1950, 1, 1), True), (date(2199, 12, 31), True), (date(1949, 12, 31), False), (date(2200, 1, 1), False)],
)
def test_check_as_of_bounds(day, ok):
    if ok:
        assert preflight.check_as_of(day) == day
    else:
        with pytest.raises(UsageError, match="is outside the supported range 1950-01-01 to 2199-12-31"):
            preflight.check_as_of(day)


def record(**parameters):
    record.calls.append(parameters)


def refuse(**parameters):
    raise ParameterError("mission: unknown mission 'x'.")


def spec(checker: str, declared=("data_dir", "mission"), **parameters) -> ReportSpec:
    return ReportSpec("r", TIMELINE, "T", parameters, frozenset(declared), checker)


@pytest.fixture
def checkers(monkeypatch):
    """`record` and `refuse` as checkers of lunar_report.analysis.parameters, the one module checkers come from."""
    from lunar_report.analysis import parameters

    monkeypatch.setattr(parameters, "validate_record", record, raising=False)
    monkeypatch.setattr(parameters, "validate_refuse", refuse, raising=False)
    return f"{CHECKER_MODULE}:validate_"


def test_the_checker_gets_the_parameters_and_what_render_supplies_if_declared(tmp_path, checkers):
    record.calls = []
    preflight.check_report_parameters(spec(f"{checkers}record", mission="m"), tmp_path, date(2026, 11, 25))
    preflight.check_report_parameters(spec(f"{checkers}record", declared=("as_of",)), tmp_path, date(2026, 11, 25))
    assert record.calls == [{"mission": "m", "data_dir": str(tmp_path)}, {"as_of": "2026-11-25"}]


def test_checker_errors_name_the_report_and_a_missing_checker_is_a_usage_error(tmp_path, checkers):
    with pytest.raises(ParameterError, match=r"^report r: mission: unknown mission 'x'\.$"):
        preflight.check_report_parameters(spec(f"{checkers}refuse"), tmp_path, date(2026, 11, 25))
    for missing in ("no.such.module:f", f"{__name__}:record", f"{checkers}nothing", "nocolon"):
        with pytest.raises(UsageError, match=f"names the parameter checker '{missing}', which cannot be imported"):
            preflight.check_report_parameters(spec(missing), tmp_path, date(2026, 11, 25))


# --- execute helpers -------------------------------------------------------------------------------------


def executed(*cells, reads: list[str] | None = None):
    notebook = nbformat.v4.new_notebook()
    injected = nbformat.v4.new_code_cell("mission = 'x'", id="random-id")
    injected.metadata["tags"] = ["injected-parameters"]
    injected.metadata["papermill"] = {"duration": 0.1}
    notebook.cells = [injected, *cells]
    if reads is not None:
        tagged = nbformat.v4.new_code_cell(execute.READS_SOURCE)
        tagged.metadata["tags"] = [execute.READS_TAG]
        text = json.dumps({"files": reads})
        tagged.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=text[:5]),
            nbformat.v4.new_output("stream", name="stdout", text=text[5:]),
        ]
        notebook.cells.append(tagged)
    notebook.metadata["papermill"] = {"start_time": "now"}
    return notebook


def code(source: str, error: bool = False):
    cell = nbformat.v4.new_code_cell(source)
    cell.execution_count = 3
    cell.metadata["execution"] = {"iopub.execute_input": "now"}
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=3)]
    if error:
        cell.outputs.append(nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[]))
    return cell


def test_take_reads_removes_the_tagged_cell_and_returns_what_it_printed():
    notebook = executed(code("1"), reads=["/d/events.csv", "/d/sources.csv"])
    assert execute.take_reads(notebook) == ["/d/events.csv", "/d/sources.csv"]
    assert [c.source for c in notebook.cells] == ["mission = 'x'", "1"]
    assert execute.take_reads(executed(code("1"))) == []
    silent = executed(reads=[])
    silent.cells[-1].outputs = []
    assert execute.take_reads(silent) == []


def test_normalise_drops_what_differs_between_runs():
    notebook = executed(code("1"))
    execute.normalise(notebook)
    assert "papermill" not in notebook.metadata
    injected, cell = notebook.cells
    assert injected.id == "injected-parameters" and "papermill" not in injected.metadata
    assert cell.execution_count is None and "execution" not in cell.metadata
    assert "execution_count" not in cell.outputs[0]


def test_failing_cell_counts_the_notebook_s_own_cells():
    markdown = nbformat.v4.new_markdown_cell("# T")
    assert execute.failing_cell(executed(markdown, code("1"), code("2", error=True))) == 3
    assert execute.failing_cell(executed(code("1"))) is None


def test_check_notebook_accepts_the_shipped_ones_and_refuses_an_invalid_one(tmp_path):
    preflight.check_notebook(TIMELINE)
    broken = tmp_path / "b.ipynb"
    broken.write_text('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code"}]}')
    with pytest.raises(ConfigError, match=r"b\.ipynb: not a valid Jupyter notebook: "):
        preflight.check_notebook(broken)


# --- config ----------------------------------------------------------------------------------------------


def test_a_matrix_expands_to_one_report_per_combination(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text(
        "[[report]]\n"
        'name = "t-{start}-{end}"\n'
        f'notebook = "{TIMELINE}"\n'
        'title = "Timeline {start}–{end}"\n'
        'parameters = { timezone = "UTC", categories = ["agreement"] }\n'
        'matrix = { start = ["2017", 2021-03-01], end = ["2025", "2030"] }\n',
        encoding="utf-8",
    )
    specs = load_reports(config)
    assert [s.name for s in specs] == ["t-2017-2025", "t-2017-2030", "t-2021-03-01-2025", "t-2021-03-01-2030"]
    assert specs[2].title == "Timeline 2021-03-01–2025"
    assert specs[2].parameters == {"timezone": "UTC", "categories": ["agreement"], "start": "2021-03-01", "end": "2025"}


def test_matrix_names_must_be_file_stems_and_unique(tmp_path):
    def load(name: str):
        config = write_config(tmp_path, [{"name": name, "notebook": TIMELINE}])
        text = config.read_text(encoding="utf-8") + 'matrix = { timezone = ["UTC", "Asia/Shanghai"] }\n'
        config.write_text(text, encoding="utf-8")
        return load_reports(config)

    with pytest.raises(ConfigError, match=r"name 't-Asia/Shanghai' may hold only letters"):
        load("t-{timezone}")
    with pytest.raises(ConfigError, match="report names must be unique; repeated: t"):
        load("t")
    with pytest.raises(ConfigError, match=r"`name` uses \{nope\}, which is not a matrix key; use one of: timezone\."):
        load("t-{nope}")


def test_a_key_both_in_parameters_and_matrix_is_an_error(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text(
        f'[[report]]\nname = "t-{{timezone}}"\nnotebook = "{TIMELINE}"\ntitle = "T"\n'
        'parameters = { timezone = "UTC" }\nmatrix = { timezone = ["UTC"] }\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="timezone is both a parameter and a matrix key"):
        load_reports(config)


def test_plain_value_turns_dates_into_iso_text_and_refuses_other_types():
    value = {
        "day": date(2021, 3, 1),
        "when": datetime(2021, 3, 1, 5, 42, tzinfo=UTC),
        "time": clock(5, 42),
        "list": [date(2021, 3, 1), ("a", 1)],
        "n": 1.5,
        "none": None,
        "yes": True,
    }
    assert plain_value(value, "w") == {
        "day": "2021-03-01",
        "when": "2021-03-01T05:42:00+00:00",
        "time": "05:42:00",
        "list": ["2021-03-01", ["a", 1]],
        "n": 1.5,
        "none": None,
        "yes": True,
    }
    with pytest.raises(ConfigError, match=r"^w: b'x' \(bytes\) cannot be a parameter; give text, a number"):
        plain_value({"k": b"x"}, "w")


# --- children --------------------------------------------------------------------------------------------


@pytest.fixture
def fresh_children():
    children.reset()
    yield
    children.reset()


def sleeper() -> subprocess.Popen:
    return subprocess.Popen(["sleep", "60"], start_new_session=True)


def test_stop_all_kills_every_registered_process_group(fresh_children):
    import psutil

    first, second = sleeper(), sleeper()
    children.register(first.pid)
    children.register(second.pid)
    children.unregister(second.pid)
    assert children.stop_all() == 1
    assert first.wait(timeout=5) == -signal.SIGKILL
    assert second.poll() is None
    second.kill()
    second.wait()
    assert gone([psutil.Process(os.getpid())], timeout=0) is False  # the test itself is untouched


def test_a_child_started_while_stopping_is_killed_and_no_new_launch_begins(fresh_children):
    release = threading.Event()
    started: list[subprocess.Popen] = []

    def launch():
        with children.launching():
            release.wait(5)
            started.append(sleeper())
            children.register(started[0].pid)

    thread = threading.Thread(target=launch)
    thread.start()
    threading.Timer(0.2, release.set).start()
    assert children.stop_all(wait=5) == 0  # waited for the launch, whose child was killed as it registered
    thread.join(5)
    assert started[0].wait(timeout=5) == -signal.SIGKILL
    with pytest.raises(ChildProcessError), children.launching():
        pass
    children.reset()
    with children.launching():
        pass
