"""Fuzzing the inputs a user edits: data tables, reports.toml and `-p` parameters.

Properties, whatever the input: the command exits 0, 1 or 2 (never a traceback), prints every
problem on its own line, and changes no file it was not asked to write. Bounded so that it
runs in `make test` and CI (hypothesis profile `ci`, tests/conftest.py); `--hypothesis-profile=deep`
or LUNAR_REPORT_FUZZ_EXAMPLES runs more examples for a longer local run. No example starts a kernel.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import (
    AS_OF,
    GUARD_MESSAGE,
    MINIMAL,
    NOTEBOOKS,
    copy_minimal,
    guard_checkers,
    guarded_notebook,
    no_leftovers,
    previous_outputs,
    problem_count,
    read_rows,
    refuse_kernels,
    render,
    run_cli,
    snapshot,
    validate,
    write_config,
)
from lunar_report.facts.text import UNSAFE_LINE

pytestmark = pytest.mark.fuzz

# The examples, deadline and database come from the hypothesis profile (tests/conftest.py: `ci` by default).
FUZZ = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXAMPLES = FUZZ.max_examples
TABLES = sorted(p.name for p in MINIMAL.glob("*.csv"))
PROBLEM = re.compile(r"^[\w./-]+:(\d+|-):.*: .+$")
NOTEBOOK_PATHS = [NOTEBOOKS / "timeline.ipynb", NOTEBOOKS / "mission_figures.ipynb", NOTEBOOKS / "claims.ipynb"]

# --- values a user might type ------------------------------------------------------------------------

TRICKY = [
    "",
    " ",
    "-5",
    "0",
    "1e308",
    "1e309",
    "nan",
    "inf",
    "-inf",
    "true",
    "False",
    "None",
    "2021",
    "2021-02-30",
    "2021-03-09T25:00",
    "1949-12-31",
    "2300-01-01",
    "0000",
    "9999-99-99",
    "UTC",
    "Mars/Base",
    "Asia/Shanghai",
    "change-5",
    "change-9",
    "a;b",
    "a; b",
    ";",
    '"',
    '""',
    "'",
    ",",
    ",,",
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "\x1b[31m",
    "\x85",
    "\x7f",
    "\u202etxt.exe",
    "\u2066x\u2069",
    "\u2028",
    "\ufffe",
    "<!--<script>",
    "]]>&amp;",
    "\ufeff",
    "’",
    "🌕",
    "../x",
    "/etc/passwd",
    "x" * 200,
    "[1, 2]",
    "{a = 1}",
    "agreement",
    "sources/article.txt",
]
cell_values = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.from_regex(r"-?\d{1,4}(\.\d{0,3})?([eE]-?\d{1,3})?", fullmatch=True),
)


@st.composite
def table_mutations(draw):
    """One mutation of one table of the minimal data set: (file, kind, details)."""
    file = draw(st.sampled_from(TABLES))
    rows = read_rows(MINIMAL / file)
    kind = draw(
        st.sampled_from(["cell", "cell", "cell", "header", "drop row", "repeat row", "add row", "truncate", "bytes"])
    )
    if kind in ("cell", "header"):
        line = 0 if kind == "header" else draw(st.integers(1, len(rows) - 1))
        column = draw(st.integers(0, len(rows[0]) - 1))
        return file, "cell", (line, column, draw(cell_values))
    if kind in ("drop row", "repeat row"):
        return file, kind, draw(st.integers(0, len(rows) - 1))
    if kind == "add row":
        return file, kind, draw(st.lists(cell_values, max_size=len(rows[0]) + 2))
    size = len((MINIMAL / file).read_bytes())
    if kind == "truncate":
        return file, kind, draw(st.integers(0, size))
    return file, kind, (draw(st.integers(0, size)), draw(st.binary(min_size=1, max_size=8)))


def mutate(folder: Path, mutation) -> None:
    """Apply one mutation; positions drawn for the original file wrap around the current one."""
    file, kind, detail = mutation
    path = folder / file
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8", "surrogateescape"), newline="")))
    if kind == "cell" and rows:
        line, column, value = detail
        row = rows[line % len(rows)]
        if row:
            row[column % len(row)] = value
    elif kind == "drop row" and rows:
        del rows[detail % len(rows)]
    elif kind == "repeat row" and rows:
        rows.insert(detail % len(rows), rows[detail % len(rows)])
    elif kind == "add row":
        rows.append(detail)
    if kind in ("cell", "drop row", "repeat row", "add row"):
        text = io.StringIO(newline="")
        csv.writer(text, lineterminator="\n").writerows(rows)
        path.write_bytes(text.getvalue().encode("utf-8", "surrogateescape"))
    elif kind == "truncate":
        path.write_bytes(path.read_bytes()[:detail])
    else:
        offset, inserted = detail
        data = path.read_bytes()
        path.write_bytes(data[:offset] + inserted + data[offset:])


def assert_problem_lines(stderr: str, folder: Path) -> None:
    """One `file:row:column: message` line per problem, then the count."""
    *problems, total = stderr.splitlines()
    assert total == problem_count(len(problems), folder), stderr
    for line in problems:
        assert PROBLEM.match(line), line


@pytest.mark.parametrize("mutations", [1, 3])
def test_mutated_tables_validate_or_list_their_problems(capsys, mutations):
    @FUZZ
    @given(st.lists(table_mutations(), min_size=1, max_size=mutations))
    def check(changes):
        with tempfile.TemporaryDirectory() as scratch:
            folder = copy_minimal(Path(scratch) / "data")
            for change in changes:
                mutate(folder, change)
            result = validate(capsys, folder)  # asserts that validation only reads
            assert result.code in (0, 1), result
            if result.code == 0:
                assert result.stdout.startswith("data OK: ") and result.stderr == ""
                assert_clean_cells(folder)
            else:
                assert result.stdout == ""
                assert_problem_lines(result.stderr, folder)
                assert not BIDI.search(result.stderr), "bidirectional controls are shown escaped"

    check()


BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def assert_clean_cells(folder: Path) -> None:
    """Data that passed validation holds no control character, surrogate or non-character in any cell."""
    from lunar_report.facts.text import UNSAFE_TEXT

    for table in folder.glob("*.csv"):
        for line, row in enumerate(read_rows(table), start=1):
            for cell in row:
                assert not UNSAFE_TEXT.search(cell), f"{table.name}:{line}: {cell!r} passed validation"


# --- reports.toml of any shape -----------------------------------------------------------------------


def toml_key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value) -> str:
    """TOML for the values the strategies below make (strings as basic strings, tables inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ("-" if value < 0 else "") + "inf" if math.isinf(value) else "nan" if math.isnan(value) else repr(value)
    if isinstance(value, str):
        return toml_key(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"


PARAMETER_NAMES = ["start", "end", "categories", "timezone", "mission", "compare_with", "data_dir", "as_of", "x"]
scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["change-5", "UTC", "2021", "agreement", "{mission}", "{nope}", "{", "a/b", ".."]),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, UTC])),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
names = st.sampled_from(["t", "t-{mission}", "t-{timezone}", "t-{start}", "t/../x", "", "{0}"])
notebooks = st.sampled_from([str(p) for p in NOTEBOOK_PATHS] + ["nope.ipynb", ""])
titles = st.one_of(
    st.sampled_from(["T", "T {mission}", "T {0}", "{", "T {timezone!r:>{start}}", "T\x01", "T\u202e", "<!--T&"]),
    st.text(min_size=1, max_size=20),
)
parameter_tables = st.dictionaries(st.sampled_from(PARAMETER_NAMES), values, max_size=3)
matrices = st.dictionaries(st.sampled_from(PARAMETER_NAMES), st.lists(values, max_size=3), max_size=2)
report_entries = st.one_of(
    st.fixed_dictionaries(  # mostly well formed: the checks past the shape are reached
        {"name": names, "notebook": notebooks, "title": titles},
        optional={"parameters": parameter_tables, "matrix": matrices},
    ),
    st.fixed_dictionaries(  # anything in any key
        {},
        optional={
            "name": names | values,
            "notebook": notebooks | values,
            "title": titles | values,
            "parameters": parameter_tables | values,
            "matrix": matrices | values,
            "colour": values,
        },
    ),
)


@st.composite
def configurations(draw) -> str:
    """A reports.toml: usually [[report]] tables, sometimes `report` of another type, sometimes damaged text."""
    shape = draw(st.sampled_from(["tables", "tables", "tables", "inline", "other"]))
    if shape == "inline":
        text = f"report = {toml_value(draw(values))}\n"
    elif shape == "other":
        text = draw(st.text(max_size=80))
    else:
        text = ""
        for entry in draw(st.lists(report_entries, max_size=3)):
            text += "[[report]]\n" + "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in entry.items())
    if draw(st.integers(0, 9)) == 0:  # damage it: a line dropped, single brackets
        lines = text.splitlines(keepends=True)
        if lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
        text = "".join(lines).replace("[[report]]", "[report]", draw(st.integers(0, 1)))
    return text


@settings(FUZZ, max_examples=4 * EXAMPLES)  # cheap: no data is validated
@given(configurations())
def test_any_configuration_lists_or_is_one_error(capsys, text):
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "reports.toml"
        config.write_text(text, encoding="utf-8")
        result = run_cli(capsys, "list", "--config", str(config))
        event(f"exit {result.code}: {result.stderr.split(':')[-1][:40].strip()}" if result.code else "exit 0")
        assert result.code in (0, 2), result
        if result.code == 0:
            assert result.stderr == ""
            assert all(len(line.split("\t")) == 4 for line in result.stdout.splitlines()), result.stdout
            assert not UNSAFE_LINE.search(result.stdout.replace("\t", "").replace("\n", "")), result.stdout
        else:
            assert result.stdout == ""
            assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr


# --- -p parameters against a render that fails at preflight -------------------------------------------

parameter_values = st.one_of(
    st.sampled_from([*TRICKY, "2021-03", "2017", "['agreement']", "[]", "Asia/Shanghai", "apollo-11", "1.5", "-1"]),
    st.text(max_size=30),
)
DECLARED = {
    "timeline": ["start", "end", "categories", "timezone"],
    "mission": ["mission", "compare_with"],
    "claims": [],
}
OTHER_NAMES = ["data_dir", "as_of", "seconds", "Start", "", "x"]


@st.composite
def one_off_renders(draw) -> list[str]:
    """`render REPORT -p ...` or `render NOTEBOOK.ipynb -p ...`, mostly with names the notebook declares."""
    report = draw(st.sampled_from(sorted(DECLARED)))
    names = st.sampled_from(DECLARED[report]) if DECLARED[report] else st.nothing()
    names = st.one_of(names, names, names, st.sampled_from(OTHER_NAMES))  # mostly declared names
    pairs = draw(st.lists(st.tuples(names, parameter_values), max_size=3))
    target = draw(st.sampled_from([report, f"{{folder}}/{report}.ipynb"]))
    extra = draw(st.sampled_from([(), ("--to", "html"), ("--name", "x/y"), ("--name", "n")]))
    return [target, *(a for pair in pairs for a in ("-p", *pair)), *extra]


@pytest.fixture(scope="module")
def preflight_project(tmp_path_factory):
    """Reports whose checkers end in a guard, a copy of the minimal data, an output folder with earlier outputs."""
    folder = tmp_path_factory.mktemp("fuzz-render")
    notebooks = {
        "timeline": guarded_notebook(folder, NOTEBOOKS / "timeline.ipynb"),
        "mission": guarded_notebook(folder, NOTEBOOKS / "mission_figures.ipynb"),
        "claims": guarded_notebook(folder, NOTEBOOKS / "claims.ipynb"),
    }
    for report, notebook in notebooks.items():
        notebook.rename(folder / f"{report}.ipynb")
    config = write_config(folder, [{"name": r, "notebook": folder / f"{r}.ipynb"} for r in notebooks])
    data = copy_minimal(folder / "data")
    return folder, config, data, previous_outputs(folder / "out")


def test_fuzzed_parameters_stop_before_any_kernel(capsys, monkeypatch, preflight_project):
    refuse_kernels(monkeypatch)
    guard_checkers(monkeypatch)
    folder, config, data, out = preflight_project
    before = snapshot(out)

    @FUZZ
    @given(one_off_renders())
    def check(arguments):
        arguments[0] = arguments[0].format(folder=folder)
        result = run_cli(
            capsys,
            "render",
            *arguments,
            "--config",
            str(config),
            "--out",
            str(out),
            "--data",
            str(data),
            "--as-of",
            AS_OF,
        )
        event(f"exit {result.code}: {GUARD_MESSAGE if GUARD_MESSAGE in result.stderr else 'refused'}")
        assert result.code in (0, 1, 2), result
        assert result.code == 2, "the guard always stops the run"
        assert result.stdout == "" and result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result
        assert snapshot(out) == before
        no_leftovers(out)

    check()


# --- -f parameter files of any shape ------------------------------------------------------------------

yaml_scalars = st.one_of(
    st.sampled_from(["x", "'2021'", "2021-03-09", "[a, b]", "{a: 1}", "!!binary aGk=", "!!set {a}", "~", '"\\e"']),
    st.text(max_size=20).map(json.dumps),
)


@st.composite
def parameter_files(draw) -> str:
    """A YAML text: usually `key: value` lines, sometimes with anchors and aliases, sometimes any text."""
    shape = draw(st.sampled_from(["lines", "lines", "aliases", "text"]))
    if shape == "text":
        return draw(st.text(max_size=80))
    keys = st.sampled_from([*DECLARED["timeline"], "x", "as_of", "data_dir"])
    lines = [f"{draw(keys)}: {draw(yaml_scalars)}" for _ in range(draw(st.integers(0, 4)))]
    if shape == "aliases":  # a small "billion laughs": each level doubles the one before
        depth = draw(st.integers(1, 12))
        lines = ["a0: &a0 [x, x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, depth)] + lines
    return "\n".join(lines) + "\n"


def test_fuzzed_parameter_files_stop_before_any_kernel(capsys, monkeypatch, preflight_project):
    import resource

    refuse_kernels(monkeypatch)
    guard_checkers(monkeypatch)
    folder, config, data, out = preflight_project
    before = snapshot(out)
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    @FUZZ
    @given(parameter_files())
    def check(text):
        params = folder / "params.yaml"
        params.write_text(text, encoding="utf-8")
        result = render(capsys, config, out, data, "timeline", "-f", str(params))
        event(f"exit {result.code}: {'aliases' if 'aliases' in result.stderr else 'other'}")
        assert result.code == 2, result  # the guard (or an earlier check) always stops the run
        assert result.stdout == "" and result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result
        assert snapshot(out) == before
        no_leftovers(out)

    check()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory  # KiB on Linux
    assert grown < 500 * 1024, f"the parameter files grew the process by {grown} KiB"


# --- HTTP requests to preview -----------------------------------------------------------------------

REQUEST_LINES = [
    "GET / HTTP/1.0",
    "GET /index.html HTTP/1.1",
    "GET /../../etc/passwd HTTP/1.0",
    "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.0",
    "GET /__preview__/wait?path=/&etag=x HTTP/1.0",
    "GET /__preview__/status HTTP/1.0",
    "POST / HTTP/1.0",
    "GET",
    "",
    "\x00\x01\x02",
    "GET /" + "a" * 70000 + " HTTP/1.0",
]
HOST_HEADERS = ["127.0.0.1", "localhost", "127.0.0.1:{port}", "localhost:{port}", "evil.example", "127.0.0.1:1", None]


@st.composite
def http_requests(draw) -> bytes:
    line = draw(st.one_of(st.sampled_from(REQUEST_LINES), st.text(max_size=60).map(lambda t: f"GET /{t} HTTP/1.0")))
    host = draw(st.sampled_from(HOST_HEADERS))
    headers = [] if host is None else [f"Host: {host}"]
    headers += draw(st.lists(st.text(max_size=30), max_size=2))
    return ("\r\n".join([line, *headers]) + "\r\n\r\n").encode("utf-8", "surrogateescape")


def test_fuzzed_requests_to_preview_are_answered_or_dropped(tmp_path):
    import socket
    import threading

    from lunar_report.pipeline.preview import server as serve

    (tmp_path / "index.html").write_text("<html><body>index</body></html>", encoding="utf-8")
    site = serve.Site(tmp_path)
    site.publish(reports=("index",))
    server = serve.Server(site, 0)
    threads = threading.active_count()
    try:

        @FUZZ
        @given(http_requests())
        def check(request):
            request = request.replace(b"{port}", str(server.port).encode())
            with socket.create_connection(("127.0.0.1", server.port), timeout=30) as client:
                client.sendall(request)
                client.shutdown(socket.SHUT_WR)
                answer = b"".join(iter(lambda: client.recv(65536), b""))
            status = answer.split(b" ", 2)[1] if answer.startswith(b"HTTP/") else b""
            event(f"status {status.decode() or 'none'}")
            assert status in (b"", b"200", b"400", b"403", b"404", b"414", b"431", b"500", b"501", b"503"), answer[:200]
            if b"Host: evil.example" in request:
                assert status in (b"", b"400", b"403", b"414", b"431", b"501"), answer[:200]
            assert b"root:" not in answer, "nothing outside the served folder"
            assert threading.active_count() <= threads + serve.WORKERS + 2

        check()
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as client:  # still serving
            client.sendall(f"GET / HTTP/1.0\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
            assert b"".join(iter(lambda: client.recv(65536), b"")).startswith(b"HTTP/1.0 200")
    finally:
        server.close()
