"""Hostile inputs: each gives one exact message and exit code, no traceback, and leaves earlier outputs alone.

Exit codes: 2 for a configuration, option, parameter or output-folder mistake (found before any
kernel starts), 1 for invalid data, 75 when another render holds the output folder.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

import pytest
from filelock import FileLock

from helpers import (
    LOCK_NAME,
    NOTEBOOKS,
    Raw,
    assert_problems,
    assert_refused,
    fixture_notebook,
    gone,
    no_leftovers,
    read_rows,
    render,
    run_cli,
    run_subprocess,
    set_cell,
    sha256,
    snapshot,
    validate,
    write_config,
    write_raw_config,
    write_rows,
)

TIMELINE = NOTEBOOKS / "timeline.ipynb"
MISSION = NOTEBOOKS / "mission_figures.ipynb"
CLAIMS = NOTEBOOKS / "claims.ipynb"
RANGE = "outside the supported range 1950-01-01 to 2199-12-31"
LIMIT_HINT = "a cell holds at most 131072 (128 KiB), shorten it or move the text to a source file"


# --- reports.toml and notebooks: exit 2 from `list` and from `render`, output folder untouched ---------


def config_cases(folder: Path) -> dict[str, tuple[bytes, str]]:
    """Case → (reports.toml bytes, the message after `error: `)."""
    config = (folder / "reports.toml").resolve()
    entry = f'name = "t"\nnotebook = "{TIMELINE}"\ntitle = "T"\n'
    (folder / "plain.txt").write_text("not json", encoding="utf-8")
    (folder / "shapeless.ipynb").write_text('{"cells": 5}', encoding="utf-8")
    (folder / "bad-checker.ipynb").write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"lunar_report": "x"}}),
        encoding="utf-8",
    )
    array = f"{config}: `report` must be an array of tables: write each report under [[report]] (double brackets)."
    return {
        "[report] single brackets": (f"[report]\n{entry}".encode(), array),
        'report = "x"': (b'report = "x"\n', array),
        'parameters = "x"': (
            f'[[report]]\n{entry}parameters = "x"\n'.encode(),
            f"{config}: report #1: `parameters` must be a table, e.g. parameters = {{ mission = \"change-5\" }}; got 'x'.",
        ),
        "notebook that is not JSON": (
            b'[[report]]\nname = "t"\nnotebook = "plain.txt"\ntitle = "T"\n',
            f"{(folder / 'plain.txt').resolve()}: cannot read the notebook: it is not a Jupyter notebook (JSON)",
        ),
        "JSON that is not a notebook": (
            b'[[report]]\nname = "t"\nnotebook = "shapeless.ipynb"\ntitle = "T"\n',
            f"{(folder / 'shapeless.ipynb').resolve()}: cannot read the notebook: "
            "it is not a Jupyter notebook (nbformat 4 JSON with a list of cells)",
        ),
        "checker metadata that is not module:function": (
            b'[[report]]\nname = "t"\nnotebook = "bad-checker.ipynb"\ntitle = "T"\n',
            f"{(folder / 'bad-checker.ipynb').resolve()}: metadata lunar_report.check_parameters must be text "
            "of the form 'module:function'; got 'x'.",
        ),
        "config that is not UTF-8": (b'[[report]]\nname = "caf\xe9"\n', f"{config}: not UTF-8 text; save it as UTF-8."),
        "matrix value that is not a list": (
            f'[[report]]\n{entry}matrix = {{ timezone = "UTC" }}\n'.encode(),
            f"{config}: report #1: matrix `timezone` must be a non-empty list of values; got 'UTC'.",
        ),
        "a single brace in a matrix title": (  # without a matrix a title is taken as written
            f'[[report]]\nname = "t-{{timezone}}"\nnotebook = "{TIMELINE}"\ntitle = "{{"\n'
            'matrix = { timezone = ["UTC"] }\n'.encode(),
            f"{config}: report #1: `title` '{{' is not a valid template: Single '{{' encountered in format string; "
            "write {{ and }} for literal braces.",
        ),
        "a field nested in a format spec": (
            f'[[report]]\nname = "t-{{timezone}}"\nnotebook = "{TIMELINE}"\ntitle = "{{timezone:>{{start}}}}"\n'
            'matrix = { timezone = ["UTC"] }\n'.encode(),
            f"{config}: report #1: `title` '{{timezone:>{{start}}}}' is not a valid template: "
            "{start} is not a matrix key.",
        ),
        "data_dir configured": (
            f'[[report]]\n{entry}parameters = {{ data_dir = "/etc" }}\n'.encode(),
            f"{config}: report #1 (t): data_dir is set by `lunar-report render` (--data, --as-of, base_url at "
            "the top of reports.toml); remove it.",
        ),
    }


CONFIG_CASES = list(config_cases(Path(tempfile.mkdtemp())))


@pytest.mark.parametrize("case", CONFIG_CASES)
def test_configuration_mistakes_are_one_line_exit_2(tmp_path, capsys, data, out, case):
    body, message = config_cases(tmp_path)[case]
    config = write_raw_config(tmp_path, body)
    before = snapshot(out)

    assert_refused(run_cli(capsys, "list", "--config", str(config)), 2, message)
    assert_refused(render(capsys, config, out, data), 2, message)
    assert snapshot(out) == before
    assert not (out / LOCK_NAME).exists(), "refused before the output folder is touched"


@pytest.mark.parametrize("case", ["[report] single brackets", "notebook that is not JSON", "config that is not UTF-8"])
def test_configuration_mistakes_through_the_real_entry_point(tmp_path, case):
    body, message = config_cases(tmp_path)[case]
    config = write_raw_config(tmp_path, body)
    result = run_subprocess("list", "--config", str(config))
    assert (result.code, result.stderr) == (2, f"error: {message}\n")


def test_a_toml_date_parameter_becomes_iso_text(tmp_path, capsys, data):
    from lunar_report.pipeline.config.preflight import preflight
    from lunar_report.pipeline.config.reports import load_reports

    config = write_config(
        tmp_path,
        [{"name": "t", "notebook": TIMELINE, "parameters": {"start": Raw("2021-03-01"), "end": Raw("2021-12-31")}}],
    )
    result = run_cli(capsys, "list", "--config", str(config))
    assert result.stdout == 't\ttimeline.ipynb\t{"start": "2021-03-01", "end": "2021-12-31"}\tFixture t\n'
    [spec] = load_reports(config)
    assert spec.parameters == {"start": "2021-03-01", "end": "2021-12-31"}
    preflight([spec], data, __import__("datetime").date(2026, 11, 25))  # the notebook's checker accepts it


def test_a_yaml_date_parameter_becomes_iso_text_and_a_set_is_refused(tmp_path, capsys, data, out, no_kernel):
    from lunar_report.pipeline.config.reports import load_reports, one_off

    config = write_config(tmp_path, [{"name": "t", "notebook": TIMELINE}])
    spec = one_off(load_reports(config)[0], {"start": __import__("datetime").date(2021, 3, 1)})
    assert spec.parameters == {"start": "2021-03-01"}

    parameters = tmp_path / "p.yaml"
    parameters.write_text("categories: !!set {agreement: null}\n", encoding="utf-8")
    before = snapshot(out)
    result = render(capsys, config, out, data, "t", "-f", str(parameters))
    assert_refused(
        result,
        2,
        "report t: {'agreement'} (set) cannot be a parameter; give text, a number, true/false, a list or a table.",
    )
    assert snapshot(out) == before


# --- the output folder and the as-of date: exit 2 before any kernel ----------------------------------


@pytest.fixture
def timeline_config(tmp_path: Path) -> Path:
    return write_config(tmp_path, [{"name": "timeline", "notebook": TIMELINE}])


def test_out_under_a_regular_file(tmp_path, capsys, data, timeline_config, no_kernel):
    (tmp_path / "file").write_text("I am a file", encoding="utf-8")
    target = tmp_path / "file" / "reports"
    result = render(capsys, timeline_config, target, data)
    assert_refused(
        result, 2, f"--out {target}: cannot create the output folder (Not a directory); give a writable folder"
    )
    assert (tmp_path / "file").read_text(encoding="utf-8") == "I am a file"


def test_out_that_is_a_regular_file(tmp_path, capsys, data, timeline_config, no_kernel):
    (tmp_path / "file").write_text("I am a file", encoding="utf-8")
    result = render(capsys, timeline_config, tmp_path / "file", data)
    assert_refused(result, 2, f"--out {tmp_path / 'file'}: a file is in the way; give a folder")
    assert (tmp_path / "file").read_text(encoding="utf-8") == "I am a file"


def permission_denied(*args, **kwargs):
    raise PermissionError(errno.EACCES, "Permission denied")


def test_out_whose_folder_cannot_be_created(tmp_path, capsys, data, timeline_config, monkeypatch, no_kernel):
    """As root every mkdir succeeds: simulate a parent folder without write permission."""
    monkeypatch.setattr(Path, "mkdir", permission_denied)
    result = render(capsys, timeline_config, tmp_path / "new", data)
    assert_refused(
        result,
        2,
        f"--out {tmp_path / 'new'}: cannot create the output folder (Permission denied); give a writable folder",
    )


@pytest.mark.parametrize("where", ["the lock file", "a report file", "a folder used before"])
def test_read_only_output_folder_simulated(tmp_path, capsys, data, out, timeline_config, monkeypatch, no_kernel, where):
    """An existing folder where nothing can be created: refused before any kernel starts, nothing changed."""
    import filelock

    from lunar_report.pipeline.store import workspace

    if where == "a folder used before":  # marked as ours: the probe waits until a report is to be written
        (out / workspace.MARK).write_bytes(workspace.MARK_TEXT)
    if where == "the lock file":
        monkeypatch.setattr(filelock.FileLock, "acquire", permission_denied)
    else:
        real = tempfile.mkstemp
        monkeypatch.setattr(
            tempfile, "mkstemp", lambda *a, **k: permission_denied() if Path(k.get("dir", "")) == out else real(*a, **k)
        )
    before = snapshot(out)
    result = render(capsys, timeline_config, out, data)
    assert_refused(
        result, 2, f"--out {out}: cannot write to the output folder (Permission denied); give a writable folder"
    )
    assert snapshot(out) == before


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root writes into read-only folders; the simulated tests cover the message"
)
def test_read_only_output_folder(tmp_path, capsys, data, out, timeline_config):
    before = snapshot(out)
    out.chmod(0o555)
    try:
        result = render(capsys, timeline_config, out, data)
    finally:
        out.chmod(0o755)
    assert result.code == 2
    assert (
        result.stderr
        == f"error: --out {out}: cannot write to the output folder (Permission denied); give a writable folder\n"
    )
    assert snapshot(out) == before


@pytest.mark.parametrize("day", ["2300-01-01", "1949-12-31", "2200-01-01"])
def test_as_of_outside_the_supported_range(capsys, data, out, timeline_config, no_kernel, day):
    before = snapshot(out)
    assert_refused(render(capsys, timeline_config, out, data, as_of=day), 2, f"--as-of {day} is {RANGE}")
    assert snapshot(out) == before


def test_as_of_that_is_no_date(capsys, data, out, timeline_config):
    result = render(capsys, timeline_config, out, data, as_of="2021-02-30")
    assert result.code == 2
    assert result.stderr == (
        "error: invalid value for '--as-of': '2021-02-30' does not match the format '%Y-%m-%d' "
        "(see lunar-report render --help)\n"
    )
    assert "Traceback" not in result.stderr


def test_a_held_lock_exits_75_at_once_and_after_waiting(capsys, data, out, timeline_config, no_kernel):
    before = snapshot(out)
    message = f"another lunar-report render is writing to {out}; wait for it with --wait SECONDS, or render into another --out folder"
    with FileLock(str(out / LOCK_NAME)):
        assert_refused(render(capsys, timeline_config, out, data), 75, message)
        assert_refused(render(capsys, timeline_config, out, data, "--wait", "0.3"), 75, message)
    assert snapshot(out) == before


# --- parameters: exit 2 from the notebook's host-side checker, before any kernel ---------------------


def test_the_shipped_notebooks_name_their_checkers():
    from lunar_report.pipeline.config.reports import notebook_info

    assert notebook_info(TIMELINE).checker == "lunar_report.analysis.parameters:validate_timeline_parameters"
    assert notebook_info(MISSION).checker == "lunar_report.analysis.parameters:validate_mission_parameters"
    assert notebook_info(CLAIMS).checker == "lunar_report.analysis.parameters:validate_claims_parameters"


TIMEZONE = "timezone: unknown timezone 'Mars/Base'; choose from: UTC, Asia/Shanghai."
MISSIONS = "mission: unknown mission 'change-9'; choose from: apollo-11, change-5."

PARAMETER_CASES = {
    "unknown mission by -p": (MISSION, {}, ("-p", "mission", "change-9"), f"report m-custom: {MISSIONS}"),
    "unknown timezone by -p": (TIMELINE, {}, ("-p", "timezone", "Mars/Base"), f"report m-custom: {TIMEZONE}"),
    "start after end by -p": (
        TIMELINE,
        {},
        ("-p", "start", "2022", "-p", "end", "2021"),
        "report m-custom: start (2022) is after end (2021); give a start on or before the end.",
    ),
    "unknown mission in reports.toml": (MISSION, {"mission": "change-9"}, (), f"report m: {MISSIONS}"),
    "unknown timezone in reports.toml": (TIMELINE, {"timezone": "Mars/Base"}, (), f"report m: {TIMEZONE}"),
    "start after end in reports.toml (TOML dates)": (
        TIMELINE,
        {"start": Raw("2022-01-01"), "end": Raw("2021-12-31")},
        (),
        "report m: start (2022-01-01) is after end (2021-12-31); give a start on or before the end.",
    ),
    "a list where a text is expected": (
        MISSION,
        {},
        ("-p", "mission", "5"),
        "report m-custom: mission: expected a mission id as text, got 5 (int).",
    ),
}


@pytest.mark.parametrize("case", PARAMETER_CASES)
def test_parameter_mistakes_exit_2_before_any_kernel(tmp_path, capsys, data, out, no_kernel, case):
    notebook, configured, options, message = PARAMETER_CASES[case]
    config = write_config(tmp_path, [{"name": "m", "notebook": notebook, "parameters": configured}])
    before = snapshot(out)
    result = render(capsys, config, out, data, "m", *options)
    assert_refused(result, 2, message)
    assert snapshot(out) == before, "no failure page, no manifest change, no report"
    no_leftovers(out)
    new = tmp_path / "new" / "reports"
    assert_refused(render(capsys, config, new, data, "m", *options), 2, message)
    assert not (tmp_path / "new").exists(), "a refused render into a new folder leaves no folder behind"


def test_a_parameter_mistake_stops_the_kernels_started_ahead(tmp_path, capsys, data, out, monkeypatch):
    """Render starts the stale reports' kernels while it validates (the cases above leave that pool empty):
    the mistake, found then, stops them; no kernel process is left."""
    import psutil

    from lunar_report.pipeline.run import kernels

    started = []
    start = kernels.KernelPool._start

    async def counted(pool, folder):
        started.append(folder)
        return await start(pool, folder)

    monkeypatch.setattr(kernels.KernelPool, "_start", counted)
    config = write_config(tmp_path, [{"name": "m", "notebook": MISSION, "parameters": {"mission": "change-9"}}])
    earlier = set(psutil.Process().children(recursive=True))  # other tests' children, if any, are not ours
    assert_refused(render(capsys, config, out, data), 2, f"report m: {MISSIONS}")
    assert len(started) == 1
    assert gone(list(set(psutil.Process().children(recursive=True)) - earlier), timeout=10)  # a SIGKILL takes a moment


def test_a_warm_kernel_left_in_the_pool_is_shut_down_on_close(tmp_path):
    """A kernel started and warmed ahead that no report took (the run stopped after its warm-up) ends with the pool."""
    import time

    import psutil

    from lunar_report.pipeline.run.kernels import KernelPool

    earlier = set(psutil.Process().children(recursive=True))
    pool = KernelPool(tmp_path / "kernels", ["json"], size=1, budget=1)
    try:
        deadline = time.monotonic() + 120
        while not pool.ready():
            assert time.monotonic() < deadline, "the kernel did not get warm"
            time.sleep(0.05)
    finally:
        pool.close()
    assert gone(list(set(psutil.Process().children(recursive=True)) - earlier), timeout=10)
    assert not (tmp_path / "kernels").exists()


@pytest.mark.slow  # a child process validates and loads the data: 3 s; the in-process cases cover the rest
def test_a_parameter_mistake_through_the_real_entry_point(tmp_path, data, out):
    config = write_config(tmp_path, [{"name": "m", "notebook": MISSION}])
    before = snapshot(out)
    result = run_subprocess(
        "render", "m", "-p", "mission", "change-9", "--config", str(config), "--out", str(out), "--data", str(data)
    )
    assert (result.code, result.stderr) == (2, f"error: report m-custom: {MISSIONS}\n")
    assert snapshot(out) == before


# --- data: exit 1 with file:row:column problems, from `validate` and from `render` ---------------------


def test_a_cell_over_128_kib_is_one_problem(capsys, data, out, timeline_config, no_kernel):
    set_cell(data, "missions.csv", 3, "note", "x" * 200_000)
    problem = f"missions.csv:3:note: 200000 characters; {LIMIT_HINT}"
    assert_problems(capsys, data, problem)

    before = snapshot(out)
    result = render(capsys, timeline_config, out, data)
    assert result.code == 1
    assert result.stderr.splitlines() == [problem, "error: 1 problem in the data; fix it and run again"]
    assert snapshot(out) == before


def test_a_cell_over_128_kib_with_other_mistakes_in_the_file(capsys, data):
    set_cell(data, "missions.csv", 3, "note", "x" * 200_000)
    set_cell(data, "missions.csv", 2, "note", "y" * 140_000)
    assert_problems(
        capsys,
        data,
        f"missions.csv:2:note: 140000 characters; {LIMIT_HINT}",
        f"missions.csv:3:note: 200000 characters; {LIMIT_HINT}",
    )


def test_an_unclosed_quote_before_a_huge_field(capsys, data):
    with (data / "agreements.csv").open("a", encoding="utf-8") as stream:
        stream.write('a,"' + "x" * 200_000 + "\n")
    assert_problems(
        capsys, data, "agreements.csv:3:-: 2 fields but the header has 11; add the missing (maybe empty) fields"
    )


def test_a_table_linked_from_outside_the_data_folder_is_refused_unread(tmp_path, capsys, data):
    outside = tmp_path / "elsewhere" / "missions.csv"
    outside.parent.mkdir()
    outside.write_text("id,secret\nTOP-SECRET-CONTENT,1\n", encoding="utf-8")
    (data / "missions.csv").unlink()
    (data / "missions.csv").symlink_to(outside)
    result = validate(capsys, data)
    assert result.code == 1
    assert result.stderr.splitlines()[0] == (
        "missions.csv:-:-: a link to a file outside the data folder; put the table itself in the data folder"
    )
    assert "TOP-SECRET" not in result.stderr + result.stdout
    assert "secret" not in result.stderr


def test_a_table_linked_inside_the_data_folder_is_fine(capsys, data):
    (data / "tables").mkdir()
    (data / "missions.csv").rename(data / "tables" / "missions.csv")
    (data / "missions.csv").symlink_to(data / "tables" / "missions.csv")
    assert validate(capsys, data).code == 0


def add_sidecar(data: Path, **fields) -> Path:
    sidecar = data / "sources" / "article.json"
    record = {"id": "tass-1283825", "headline": "China to team up", "sha256": sha256(data / "sources" / "article.txt")}
    sidecar.write_text(json.dumps({**record, **fields}, indent=2), encoding="utf-8")
    return sidecar


def test_the_article_metadata_must_match_the_text(capsys, data):
    add_sidecar(data)
    assert validate(capsys, data).code == 0
    old = sha256(data / "sources" / "article.txt")
    text = data / "sources" / "article.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\nA line added later.\n", encoding="utf-8")
    assert_problems(
        capsys,
        data,
        f"sources/article.json:-:sha256: '{old}' does not match sources/article.txt (sha256 {sha256(text)}); "
        "if the text changed on purpose, update sha256, else restore the text",
    )


def test_the_article_metadata_must_be_a_json_object(capsys, data):
    add_sidecar(data).write_text("{not json", encoding="utf-8")
    assert_problems(
        capsys,
        data,
        "sources/article.json:-:-: not a JSON object; fix it (it describes sources/article.txt) or remove it",
    )


MASS = "is not a plausible mass; give a value above 0 and at most 1e+09 g (1000 t)"


@pytest.mark.parametrize(
    ("value", "unit", "problem"),
    [
        ("-5", "kg", f"figures.csv:2:value: '-5' kg {MASS}"),
        ("0", "g", f"figures.csv:2:value: '0' g {MASS}"),
        ("1e308", "kg", f"figures.csv:2:value: '1e308' kg {MASS}"),
        ("1e308", "g", f"figures.csv:2:value: '1e308' g {MASS}"),
        ("1000.5", "t", f"figures.csv:2:value: '1000.5' t {MASS}"),
        ("1e309", "kg", "figures.csv:2:value: '1e309' is not a number"),
    ],
)
def test_implausible_masses_fail(capsys, data, value, unit, problem):
    set_cell(data, "figures.csv", 2, "value", value)
    set_cell(data, "figures.csv", 2, "unit", unit)
    assert_problems(capsys, data, problem)


@pytest.mark.parametrize(("value", "unit"), [("999", "t"), ("0.001", "g"), ("-5", "days"), ("1e9", "g")])
def test_plausible_masses_and_other_units_pass(capsys, data, value, unit):
    set_cell(data, "figures.csv", 2, "value", value)
    set_cell(data, "figures.csv", 2, "unit", unit)
    assert validate(capsys, data).code == 0


@pytest.mark.parametrize(
    ("file", "line", "column", "value"),
    [
        ("events.csv", 2, "start", "1949-12"),
        ("events.csv", 2, "start", "2200-01"),
        ("events.csv", 2, "start", "0001-01"),
        ("events.csv", 2, "start", "9999-12"),
        ("sources.csv", 2, "published", "1900-04-27"),
        ("agreements.csv", 2, "period_end", "2300"),
    ],
)
def test_dates_outside_1950_to_2199_fail(capsys, data, file, line, column, value):
    set_cell(data, file, line, column, value)
    assert_problems(capsys, data, f"{file}:{line}:{column}: {value!r} is {RANGE}")


@pytest.mark.parametrize("value", ["1950-01", "2199-12"])
def test_dates_at_the_ends_of_the_range_pass(capsys, data, value):
    set_cell(data, "events.csv", 2, "start", value)
    set_cell(data, "events.csv", 2, "end", "")
    assert validate(capsys, data).code == 0


def test_an_unusable_manifest_is_an_empty_one(tmp_path):
    from lunar_report.pipeline.store.manifest import load_manifest

    for content in (
        "[]",
        "null",
        "{",
        '{"format": 2, "reports": []}',
        '{"format": 2, "reports": {"t": {"status": "x"}}}',
    ):
        (tmp_path / "manifest.json").write_text(content, encoding="utf-8")
        manifest = load_manifest(tmp_path)
        assert (manifest.reports, manifest.validated) == ({}, "")


# --- after a good render: changed inputs are never "up to date" (these execute kernels) -----------------

READER = (
    "from lunar_report import load_facts\n"
    "facts = load_facts(data_dir)\n"
    "print(len(facts.sources), len(facts.events), 'rows')"
)


@pytest.fixture
def rendered(tmp_path: Path, capsys, data):
    """A good render of a report that reads the sources (text and metadata) and events, HTML only."""
    add_sidecar(data)
    notebook = fixture_notebook(tmp_path, "reader.ipynb", READER)
    config = write_config(tmp_path, [{"name": "reader", "notebook": notebook}])
    out = tmp_path / "out"
    result = render(capsys, config, out, data, "--to", "html")
    assert (result.code, result.stderr) == (0, ""), result
    assert "reader: rendered" in result.stdout
    return config, out


BREAKAGES = ("article text edited", "table broken", "article metadata sha256 stale", "article metadata not JSON")


@pytest.mark.slow
def test_a_broken_input_after_a_good_render_exits_1_and_keeps_the_outputs(capsys, data, rendered):
    """Each breakage in turn after one good render (the data put back between them: validation only reads)."""
    config, out = rendered
    before, good = snapshot(out), snapshot(data)
    for breakage in BREAKAGES:
        text = data / "sources" / "article.txt"
        if breakage == "article text edited":
            text.write_text(text.read_text(encoding="utf-8").replace("Roscosmos", "Roskosmos"), encoding="utf-8")
        elif breakage == "table broken":
            set_cell(data, "events.csv", 3, "start", "2021-02-30")
        elif breakage == "article metadata sha256 stale":
            add_sidecar(data, sha256="0" * 64)
        else:
            (data / "sources" / "article.json").write_text("{", encoding="utf-8")

        result = render(capsys, config, out, data, "--to", "html")
        assert result.code == 1, breakage
        assert "up to date" not in result.stdout and "rendered" not in result.stdout, breakage
        problems = result.stderr.splitlines()
        count = len(problems) - 1  # each problem on a line, then the count
        said = "1 problem in the data; fix it" if count == 1 else f"{count} problems in the data; fix them"
        assert problems[-1] == f"error: {said} and run again", breakage
        assert all(line.count(":") >= 3 for line in problems[:-1]), problems
        if breakage == "article text edited":
            assert any(": not found verbatim in sources/article.txt" in line for line in problems)
        assert snapshot(out) == before, breakage
        no_leftovers(out)
        for name, content in good.items():
            (data / name).write_bytes(content)
        assert snapshot(data) == good


@pytest.mark.slow
def test_edited_article_metadata_rerenders_its_readers(capsys, data, rendered):
    config, out = rendered
    add_sidecar(data, headline="A corrected headline")
    result = render(capsys, config, out, data, "--to", "html")
    assert (result.code, result.stderr) == (0, "")
    assert "reader: rendered" in result.stdout
    assert "reader: up to date" in render(capsys, config, out, data, "--to", "html").stdout


@pytest.mark.slow
def test_an_unusable_manifest_rerenders_everything(capsys, data, rendered):
    config, out = rendered
    for content in ("[]", "{", '{"format": 2, "reports": {"reader": []}}'):
        (out / "manifest.json").write_text(content, encoding="utf-8")
        result = render(capsys, config, out, data, "--to", "html")
        assert (result.code, result.stderr) == (0, ""), content
        assert "reader: rendered" in result.stdout, content
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["reports"]["reader"]["status"] == "rendered"


@pytest.mark.slow
def test_a_toml_date_renders(tmp_path, capsys):
    """`start = 2021-03-01` (a TOML date) reaches the notebook as "2021-03-01": the timeline starts in March 2021."""
    from lunar_report import paths

    config = write_config(tmp_path, [{"name": "t", "notebook": TIMELINE, "parameters": {"start": Raw("2021-03-01")}}])
    out = tmp_path / "out"
    result = render(capsys, config, out, paths.data_dir(), "--to", "html")
    assert (result.code, result.stderr) == (0, "")
    html = (out / "t.html").read_text(encoding="utf-8")
    assert "9 March 2021" in html and "November 2017" not in html
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["t"]["parameters"]["start"] == "2021-03-01"
    assert manifest["reports"]["t"]["status"] == "rendered"
    assert not (out / "_failed").exists()
    no_leftovers(out)


def test_a_manifest_of_another_shape_is_ignored(tmp_path, capsys, data, out, no_kernel):
    """A hand-edited manifest (reads not a list): treated as absent, the run goes on to its real mistake."""
    (out / "manifest.json").write_text(
        json.dumps(
            {
                "format": 2,
                "validated": "",
                "reports": {"m": {"status": "rendered", "title": "", "as_of": "", "parameters": {}, "reads": 5}},
            }
        ),
        encoding="utf-8",
    )
    config = write_config(tmp_path, [{"name": "m", "notebook": MISSION, "parameters": {"mission": "change-9"}}])
    before = snapshot(out)
    assert_refused(render(capsys, config, out, data), 2, f"report m: {MISSIONS}")
    assert snapshot(out) == before


def test_every_row_one_field_too_long(capsys, data):
    """pandas would take the first column as the index: each row is reported instead."""
    rows = (data / "agreement_sections.csv").read_text(encoding="utf-8").splitlines()
    (data / "agreement_sections.csv").write_text("\n".join([rows[0], *(f"x,{r}" for r in rows[1:])]) + "\n")
    assert_problems(
        capsys, data, "agreement_sections.csv:2:-: 6 fields but the header has 5; quote values that contain commas"
    )


def test_a_column_repeated_in_the_header_is_one_problem(capsys, data):
    """Found by fuzzing once; kept as a case of its own so a smaller fuzzing run still covers it."""
    rows = read_rows(data / "missions.csv")
    write_rows(data / "missions.csv", [row + [row[-1]] for row in rows])
    assert_problems(capsys, data, f"missions.csv:1:{rows[0][-1]}: column appears more than once; keep one")


def test_a_sources_table_with_only_its_header(capsys, data):
    """Every citation is then unknown; the date checks against sources have nothing to look up."""
    header = (data / "sources.csv").read_text(encoding="utf-8").splitlines()[0]
    (data / "sources.csv").write_text(header + "\n", encoding="utf-8")
    result = validate(capsys, data)
    assert result.code == 1
    assert all(": unknown id " in line for line in result.stderr.splitlines()[:-1])
