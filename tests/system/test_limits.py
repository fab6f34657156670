"""Bounded and well-formed under hostile input: limits, clean text, no traceback, preview hardened.

Each case checks the exact message and exit code: 1 for invalid data, 2 for a mistake found
before any kernel starts, 130/143 for a signal, 141 when stdout is closed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import (
    AS_OF,
    NOTEBOOKS,
    assert_problems,
    assert_refused,
    fixture_notebook,
    no_leftovers,
    render,
    run_cli,
    set_cell,
    snapshot,
    validate,
    write_config,
    write_raw_config,
)

TIMELINE = NOTEBOOKS / "timeline.ipynb"


# --- clean text in the data ---------------------------------------------------------------------------


def test_control_characters_in_a_title_are_refused(capsys, data):
    set_cell(data, "events.csv", 2, "title", "Signing\x00 of\x1b[31m the programme")
    set_cell(data, "sources.csv", 2, "publisher", "TASS\x85")
    assert_problems(
        capsys,
        data,
        "sources.csv:2:publisher: holds the character U+0085 at position 5; remove it (tab and line breaks are allowed)",
        "events.csv:2:title: holds the character U+0000 at position 8; remove it",
    )


def test_free_text_may_hold_tabs_and_line_breaks_but_not_other_controls(capsys, data):
    set_cell(data, "events.csv", 2, "note", "first line\nsecond\tline")
    assert validate(capsys, data).code == 0
    set_cell(data, "events.csv", 2, "note", "bell\x07")
    assert validate(capsys, data).stderr.splitlines()[0] == (
        "events.csv:2:note: holds the character U+0007 at position 5; remove it (tab and line breaks are allowed)"
    )


def test_a_line_break_in_a_title_and_a_non_character_are_refused(capsys, data):
    set_cell(data, "events.csv", 2, "title", "two\nlines")
    set_cell(data, "events.csv", 3, "title", "not a character \ufffe")
    assert validate(capsys, data).stderr.splitlines()[:2] == [
        "events.csv:2:title: holds the character U+000A at position 4; remove it",
        "events.csv:4:title: holds the character U+FFFE at position 17; remove it",  # line 2's cell spans two lines
    ]


def test_bidirectional_controls_in_an_id_are_refused_and_shown_escaped(capsys, data):
    set_cell(data, "events.csv", 2, "id", "art-\u202egnp")
    result = validate(capsys, data)
    assert result.code == 1
    assert "events.csv:2:id: 'art-\\u202egnp' is not a valid id (a letter or digit, then letters, digits, _ . -)" in (
        result.stderr.splitlines()
    )
    assert "\u202e" not in result.stderr


def test_an_implausibly_long_title_is_refused(capsys, data):
    set_cell(data, "events.csv", 2, "title", "x" * 301)
    assert validate(capsys, data).stderr.splitlines()[0] == (
        "events.csv:2:title: 301 characters; at most 300 fit a title cell, shorten it"
    )


def test_a_data_file_that_is_a_fifo_is_refused_without_blocking(capsys, data):
    (data / "missions.csv").unlink()
    os.mkfifo(data / "missions.csv")
    assert_problems(
        capsys,
        data,
        "missions.csv:-:-: cannot read the file: not a regular file (a FIFO, device or folder); put the file itself here",
    )


def test_a_source_text_that_is_a_device_is_refused(capsys, data):
    text = next(p for p in (data / "sources").iterdir() if p.suffix == ".txt")
    text.unlink()
    text.symlink_to("/dev/zero")
    result = validate(capsys, data)
    assert result.code == 1
    assert "is outside the data folder" in result.stderr or "not a regular file" in result.stderr


# --- JSON-LD in an HTML script element ------------------------------------------------------------------


# The claim pages' JSON-LD (one ClaimReview each, through Jinja2's tojson) is checked against a
# hostile `</script><!--` in tests/test_claim_pages.py and with hostile source text below.


# --- reports.toml and -p/-f ------------------------------------------------------------------------------


def test_a_control_character_in_a_title_of_reports_toml_is_refused(capsys, tmp_path):
    config = write_raw_config(tmp_path, f'[[report]]\nname = "t"\nnotebook = "{TIMELINE}"\ntitle = "T\\u0001"\n')
    assert_refused(
        run_cli(capsys, "list", "--config", str(config)),
        2,
        f"{config}: report #1: `title` holds the character U+0001 at position 2; remove it (one line of text).",
    )


def test_a_title_too_long_for_a_page_is_refused(capsys, tmp_path):
    config = write_raw_config(tmp_path, f'[[report]]\nname = "t"\nnotebook = "{TIMELINE}"\ntitle = "{"T" * 100_000}"\n')
    assert_refused(
        run_cli(capsys, "list", "--config", str(config)),
        2,
        f"{config}: report #1: `title` has 100000 characters; at most 300, shorten it.",
    )


def test_a_control_character_in_a_parameter_value_is_refused(capsys, tmp_path):
    text = f'[[report]]\nname = "t"\nnotebook = "{TIMELINE}"\ntitle = "T"\nparameters = {{ timezone = "U\\u001bTC" }}\n'
    config = write_raw_config(tmp_path, text)
    assert_refused(
        run_cli(capsys, "list", "--config", str(config)),
        2,
        f"{config}: report #1: 'U\\x1bTC' holds the character U+001B at position 2; remove it.",
    )


def matrix_config(folder: Path, starts: int, ends: int, limits: str = "") -> Path:
    """A timeline matrix of `starts` × `ends` valid periods (start years from 1950, end years from 2100)."""
    first = ", ".join(f'"{year}"' for year in range(1950, 1950 + starts))
    last = ", ".join(f'"{year}"' for year in range(2100, 2100 + ends))
    return write_raw_config(
        folder,
        f'{limits}[[report]]\nname = "t-{{start}}-{{end}}"\nnotebook = "{TIMELINE}"\ntitle = "T {{start}}"\n'
        f"matrix = {{ start = [{first}], end = [{last}] }}\n",
    )


def test_more_reports_than_the_limit_is_refused_naming_the_setting(capsys, tmp_path):
    config = write_raw_config(
        tmp_path,
        f'[[report]]\nname = "t-{{start}}-{{end}}"\nnotebook = "{TIMELINE}"\ntitle = "T"\n'
        f"matrix = {{ start = [{', '.join(map(str, range(1001)))}], end = [1, 2] }}\n",
    )
    started = time.perf_counter()
    assert_refused(
        run_cli(capsys, "list", "--config", str(config)),
        2,
        f"{config}: 2002 reports (matrices expanded), more than limits.reports = 1000; "
        "render fewer, or raise the limit under [limits] in reports.toml.",
    )
    assert time.perf_counter() - started < 30, "refused before expanding (generous bound; see bench/)"


def test_the_report_limit_is_a_setting(capsys, tmp_path):
    config = matrix_config(tmp_path, 100, 12, "[limits]\nreports = 2000\n\n")
    result = run_cli(capsys, "list", "--config", str(config))
    assert result.code == 0 and len(result.stdout.splitlines()) == 1200


def test_an_unknown_or_wrong_limit_is_refused(capsys, tmp_path):
    config = write_raw_config(tmp_path, "[limits]\nreportz = 5\n")
    assert_refused(
        run_cli(capsys, "list", "--config", str(config)),
        2,
        f"{config}: unknown setting limits.reportz; the limits are: reports, cell_timeout, tex_timeout, "
        "restore_mib, restore_files, restore_timeout, local_workers.",
    )
    write_raw_config(tmp_path, "[limits]\ncell_timeout = 0\n")
    assert_refused(
        run_cli(capsys, "list", "--config", str(config)),
        2,
        f"{config}: limits.cell_timeout is the seconds one notebook cell may run: a whole number from 1 to 1,000,000,000; got 0.",
    )


def test_ten_thousand_reports_list_in_linear_time(capsys, tmp_path):
    config = matrix_config(tmp_path, 100, 100, "[limits]\nreports = 10000\n\n")
    started = time.perf_counter()
    result = run_cli(capsys, "list", "--config", str(config))
    assert result.code == 0 and len(result.stdout.splitlines()) == 10_000
    assert time.perf_counter() - started < 30, "generous bound; bench/bench_limits.py holds the strict one"


def test_a_billion_laughs_parameter_file_fails_fast(capsys, tmp_path, data, out):
    laughs = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    laughs += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    params = tmp_path / "laughs.yaml"
    params.write_text("\n".join(laughs) + "\n", encoding="utf-8")
    config = write_config(tmp_path, [{"name": "timeline", "notebook": TIMELINE}])
    started = time.perf_counter()
    result = run_cli(capsys, "render", "timeline", "-f", str(params), "--config", str(config), "--out", str(out))
    assert_refused(
        result,
        2,
        f"-f {params}: cannot read the parameters file: aliases (*name) are not allowed, line 2; write the value out",
    )
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize("depth", [33, 5000])
def test_a_parameter_file_nested_too_deep_is_refused(capsys, tmp_path, out, depth):
    params = tmp_path / "deep.yaml"
    params.write_text("start: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    config = write_config(tmp_path, [{"name": "timeline", "notebook": TIMELINE}])
    before = snapshot(out)
    result = run_cli(capsys, "render", "timeline", "-f", str(params), "--config", str(config), "--out", str(out))
    assert_refused(result, 2, f"-f {params}: nested more than 32 deep; parameters are values and short lists")
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--wait", "nan"], "invalid value for '--wait': nan is not a number of seconds"),
        (["--wait", "inf"], "invalid value for '--wait': inf is not in the range 0<=x<=1000000"),
        (["--jobs", "99999"], "invalid value for '--jobs' / '-j': 99999 is not in the range 1<=x<=1024"),
    ],
)
def test_a_number_option_refuses_nan_infinity_and_past_its_range(capsys, tmp_path, arguments, message):
    out = tmp_path / "out"
    result = run_cli(capsys, "render", *arguments, "--out", str(out))
    assert_refused(result, 2, f"{message} (see lunar-report render --help)")
    assert not out.exists()


def test_a_message_echoing_a_long_value_is_shortened(capsys, tmp_path, data, out):
    config = write_config(tmp_path, [{"name": "timeline", "notebook": TIMELINE}])
    value = "x" * 100_000
    arguments = ["-p", "start", value, "--config", str(config), "--data", str(data), "--out", str(out)]
    result = run_cli(capsys, "render", "timeline", *arguments)
    assert result.code == 2 and result.stderr.count("\n") == 1
    assert len(result.stderr) <= 1010 and "characters left out) …" in result.stderr
    assert result.stderr.endswith("is not a date; write YYYY, YYYY-MM or YYYY-MM-DD.\n"), "what to do is kept"


def test_a_parameter_file_that_is_a_fifo_or_too_large_is_refused(capsys, tmp_path, out):
    config = write_config(tmp_path, [{"name": "timeline", "notebook": TIMELINE}])
    fifo = tmp_path / "params.yaml"
    os.mkfifo(fifo)
    base = ["render", "timeline", "--config", str(config), "--out", str(out), "-f"]
    assert_refused(
        run_cli(capsys, *base, str(fifo)),
        2,
        f"-f {fifo}: not a regular file (a folder, FIFO or device); give a YAML file",
    )
    big = tmp_path / "big.yaml"
    big.write_text("x: " + "a" * 1_000_001, encoding="utf-8")
    assert_refused(
        run_cli(capsys, *base, str(big)),
        2,
        f"-f {big}: larger than 1,000,000 bytes; a parameters file holds parameters",
    )


def test_a_p_value_with_undecodable_bytes_is_refused_escaped(capsys, tmp_path, out):
    config = write_config(tmp_path, [{"name": "timeline", "notebook": TIMELINE}])
    result = run_cli(capsys, "render", "timeline", "-p", "timezone", "U\udcffTC", "--config", str(config))
    assert_refused(result, 2, "report timeline: 'U\\udcffTC' holds the character U+DCFF at position 2; remove it.")


def test_a_checker_from_outside_the_parameters_module_is_refused(capsys, tmp_path):
    notebook = tmp_path / "foreign.ipynb"
    content = json.loads(TIMELINE.read_text(encoding="utf-8"))
    content["metadata"]["lunar_report"]["check_parameters"] = "os:getcwd"
    notebook.write_text(json.dumps(content), encoding="utf-8")
    config = write_config(tmp_path, [{"name": "t", "notebook": notebook}])
    assert_refused(
        run_cli(capsys, "list", "--config", str(config)),
        2,
        f"{notebook}: metadata lunar_report.check_parameters names 'os:getcwd'; a checker must be one of the "
        "validate_* functions of lunar_report.analysis.parameters.",
    )


# --- click's usage errors, export, an empty report set ----------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["render", "--frobnicate"],
            "no such option '--frobnicate'. Did you mean '--force'? (see lunar-report render --help)",
        ),
        (
            ["render", "--to", "docx"],
            "invalid value for '--to': 'docx' is not one of 'html', 'pdf' (see lunar-report render --help)",
        ),
        (["frobnicate"], "no such command 'frobnicate' (see lunar-report --help)"),
        (["render", "-p", "mission"], "option '-p' requires 2 arguments (see lunar-report --help)"),
    ],
)
def test_usage_errors_are_one_line_with_a_hint(capsys, arguments, message):
    assert_refused(run_cli(capsys, *arguments), 2, message)


def test_export_takes_only_an_http_base_url(capsys, data, tmp_path):
    """Reviews are dated by the claims' review (no --as-of to check); the address must be http(s), and a refused
    one is said before any data is read (here a folder with no tables at all)."""
    base = ["export", "claims", "--data", str(data)]
    refused = (
        "--base-url: expected an absolute http(s) address of the published reports folder, like "
        "https://example.org/lunar/; got 'javascript:alert(1)//'"
    )
    assert_refused(run_cli(capsys, *base, "--base-url", "javascript:alert(1)//"), 2, refused)
    empty = ["export", "claims", "--data", str(tmp_path), "--base-url", "javascript:alert(1)//"]
    assert_refused(run_cli(capsys, *empty), 2, refused)
    result = run_cli(capsys, *base, "--base-url", "https://example.org/reports/")
    assert result.code == 0 and json.loads(result.stdout)[0]["url"].startswith("https://example.org/reports/")


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("https://example.org:99999/", ", with a port from 0 to 65535"),
        ("https://exa mple.org/", ", without spaces or control characters"),
        ("https://example.org/\x01lunar/", ", without spaces or control characters"),
        ("https://:8000/", ""),
    ],
)
def test_a_base_url_is_parsed_as_an_address_and_refused_with_a_reason(capsys, data, tmp_path, address, why):
    config = write_raw_config(tmp_path, f"base_url = {json.dumps(address)}\n")
    result = run_cli(capsys, "export", "claims", "--data", str(data), "--base-url", address)
    assert_refused(
        result,
        2,
        "--base-url: expected an absolute http(s) address of the published reports folder, like "
        f"https://example.org/lunar/{why}; got {address!r}",
    )
    arguments = ["--config", str(config), "--data", str(data), "--out", str(tmp_path / "out"), "--allow-empty"]
    refused = run_cli(capsys, "render", *arguments)
    assert refused.code == 2 and refused.stderr.startswith(f"error: {config}: `base_url` is the published site's")
    assert not (tmp_path / "out").exists()


def test_an_empty_report_set_is_refused_unless_allowed(capsys, tmp_path, data, out):
    config = write_raw_config(tmp_path, "# no reports yet\n")
    before = snapshot(out)
    arguments = ["render", "--config", str(config), "--out", str(out), "--data", str(data), "--as-of", AS_OF]
    assert_refused(
        run_cli(capsys, *arguments),
        2,
        f"{config}: no report is configured; add a [[report]] table, or pass --allow-empty to publish an empty "
        "index and feed",
    )
    assert snapshot(out) == before
    assert run_cli(capsys, *arguments, "--allow-empty").code == 0


# --- signals and output streams (child processes: the CLI exits with os._exit) ------------------------------


def python_cli(code: str, *arguments: str, **kwargs) -> subprocess.CompletedProcess:
    """Run `code` (which may patch the package) and then the CLI with `arguments`, in a child process."""
    script = (
        textwrap.dedent(code)
        + "\nimport sys\nfrom lunar_report.cli import main\nsys.argv = ['lunar-report', *sys.argv[1:]]\nmain()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, *arguments], capture_output=True, text=True, timeout=120, **kwargs
    )


def test_sigterm_during_validation_is_143_and_one_line(tmp_path, data):
    done = python_cli(
        """
        import os, signal
        from lunar_report.facts import rules
        filled = rules._filled
        def slow(values):  # a SIGTERM arrives while a table rule runs (code that catches Exception must not hide it)
            os.kill(os.getpid(), signal.SIGTERM)
            return filled(values)
        rules._filled = slow
        """,
        "validate",
        "--data",
        str(data),
    )
    assert (done.returncode, done.stdout) == (143, "")
    assert done.stderr == (
        "error: interrupted by SIGTERM; running kernels were stopped and nothing partial was written\n"
    )


def test_sigint_during_start_up_is_130_and_one_line(tmp_path):
    done = python_cli(
        """
        import os, signal
        from lunar_report.pipeline.config import reports as config
        def interrupted(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        import time
        config.load_reports = interrupted
        """,
        "list",
        "--config",
        str(tmp_path / "reports.toml"),
    )
    assert (done.returncode, done.stdout) == (130, "")
    assert done.stderr == "error: interrupted by SIGINT; running kernels were stopped and nothing partial was written\n"


def test_a_closed_stdout_exits_141_quietly():
    process = subprocess.Popen(
        [sys.executable, "-m", "lunar_report", "list", "--config", str(NOTEBOOKS.parent / "reports.toml")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()
    assert process.wait(timeout=60) == 141
    assert process.stderr.read() == b""


def test_a_full_stdout_exits_1_with_one_line():
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "lunar_report", "list", "--config", str(NOTEBOOKS.parent / "reports.toml")],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert (done.returncode, done.stderr) == (1, "error: cannot write the output: No space left on device\n")


# --- timeouts ---------------------------------------------------------------------------------------------------


def test_xelatex_that_runs_too_long_is_stopped(tmp_path, monkeypatch):
    from lunar_report.errors import TexError
    from lunar_report.pipeline.base import tex

    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "xelatex").write_text("#!/bin/sh\nsleep 60\n", encoding="utf-8")
    (fake / "xelatex").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"}
    started = time.perf_counter()
    with pytest.raises(TexError, match=r"^xelatex timed out after 1 s \(limits.tex_timeout\)$"):
        tex._xelatex(tmp_path, env, timeout=1)
    assert time.perf_counter() - started < 30


@pytest.mark.slow
def test_a_cell_that_runs_too_long_fails_its_report_and_the_run_goes_on(capsys, tmp_path, data):
    slow = fixture_notebook(tmp_path, "slow.ipynb", "import time\ntime.sleep(120)")
    fast = fixture_notebook(tmp_path, "fast.ipynb", "print('done')")
    config = write_config(tmp_path, [{"name": "slow", "notebook": slow}, {"name": "fast", "notebook": fast}])
    config.write_text("[limits]\ncell_timeout = 3\n\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    result = render(capsys, config, out, data, "--to", "html")
    assert result.code == 1
    assert result.stderr == "error: slow failed in a cell of slow.ipynb: timed out after 3 s (limits.cell_timeout)\n"
    assert (out / "fast.html").is_file() and not (out / "slow.html").exists()
    no_leftovers(out)


# --- preview ----------------------------------------------------------------------------------------------------


def get(port: int, host: str | None, path: str = "/") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(f"GET {path} HTTP/1.0\r\n{f'Host: {host}' if host else ''}\r\n\r\n".encode())
        return b"".join(iter(lambda: client.recv(65536), b""))


@pytest.fixture
def server(tmp_path, monkeypatch):
    from lunar_report.pipeline.preview import server as serve

    monkeypatch.setattr(serve, "IDLE_SECONDS", 1.0)
    (tmp_path / "index.html").write_text("<html><body>index</body></html>", encoding="utf-8")
    running = serve.Server(serve.Site(tmp_path), 0)
    yield running
    running.close()


def test_preview_answers_only_to_its_own_host_names(server):
    for host in ("127.0.0.1", f"127.0.0.1:{server.port}", "localhost", f"LOCALHOST:{server.port}", None):
        assert get(server.port, host).startswith(b"HTTP/1.0 200"), host
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1:1", "127.0.0.1.evil.example"):
        answer = get(server.port, host)
        assert answer.startswith(b"HTTP/1.0 403") and b"index" not in answer, host


@pytest.mark.slow  # more connections than threads and queue together, some retried by the kernel's TCP: seconds
def test_preview_holds_a_bounded_number_of_threads_and_drops_idle_connections(server):
    import threading

    from lunar_report.pipeline.preview import server as serve

    before = threading.active_count()
    many = serve.WORKERS + serve.QUEUED + 32  # beyond the queue: closed at once
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=30) for _ in range(many)]
    try:
        time.sleep(0.5)
        assert threading.active_count() <= before + serve.WORKERS
        answer = get(server.port, "127.0.0.1")  # while saturated: answered, or closed at once (beyond the queue)
        assert answer == b"" or answer.startswith(b"HTTP/1.0 200"), answer[:80]
        time.sleep(3)  # idle connections are closed after IDLE_SECONDS (1 s here)
        assert idle[0].recv(10) == b""
        assert get(server.port, "127.0.0.1").startswith(b"HTTP/1.0 200")
    finally:
        for connection in idle:
            connection.close()


def test_a_killed_previews_temp_folder_is_removed_by_the_next_run(tmp_path):
    from lunar_report.pipeline.store.preview_folders import (
        claim_preview_folder,
        release_preview_folder,
        remove_dead_previews,
    )

    killed = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nfrom lunar_report.pipeline.store.preview_folders import claim_preview_folder\n"
            "folder, lock = claim_preview_folder()\nprint(folder, flush=True)\ntime.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    left = Path(killed.stdout.readline().strip())
    ours, lock = claim_preview_folder()
    try:
        assert left.is_dir()
        assert left not in remove_dead_previews(), "a running preview's folder stays"
        killed.send_signal(signal.SIGKILL)
        killed.wait(30)
        assert left in remove_dead_previews() and not left.exists()
        assert ours.is_dir(), "this process's own preview folder stays"
    finally:
        killed.stdout.close()
        release_preview_folder(ours, lock)
    assert not ours.exists()


# --- every XML and HTML output well-formed with hostile (but valid) text ------------------------------------------

HOSTILE = "<!--<script>alert(1)</script>--> & ]]> \u202eevil\u202c \u2028 \"q\" 'a'"


class _Scripts(HTMLParser):
    """The text of each <script> element, as a browser's tokenizer splits it."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data):
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


@pytest.mark.slow
def test_feed_and_pages_stay_well_formed_with_hostile_text(capsys, tmp_path, data):
    import xml.etree.ElementTree as ET

    from lunar_report.facts.text import UNSAFE_TEXT

    set_cell(data, "sources.csv", 2, "title", HOSTILE)
    config = write_config(
        tmp_path,
        [
            {"name": "timeline", "notebook": TIMELINE, "title": f"Timeline {HOSTILE}"},
            {"name": "claims", "notebook": NOTEBOOKS / "claims.ipynb", "title": f"Claims {HOSTILE}"},
        ],
    )
    config.write_text(
        'base_url = "https://example.org/lunar/"\n' + config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = tmp_path / "out"
    arguments = ["render", "--to", "html", "--config", str(config), "--out", str(out), "--data", str(data)]
    assert run_cli(capsys, *arguments, "--as-of", AS_OF).code == 0
    set_cell(data, "events.csv", 2, "title", f"Signing {HOSTILE}")  # the next edition's "What changed" quotes it
    assert run_cli(capsys, *arguments, "--as-of", "2026-11-26").code == 0

    feed = ET.parse(out / "feed.xml").getroot()  # well-formed XML, or ParseError
    assert HOSTILE in "".join(feed.itertext())
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 5
    headlines = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not UNSAFE_TEXT.search(text), page
        parser = _Scripts()
        parser.feed(text)
        for attrs, script in parser.scripts:
            if attrs.get("type") == "application/ld+json":
                review = json.loads(script)  # the element ends where the JSON ends
                headlines.append(review["itemReviewed"]["appearance"]["headline"])
        assert "<script>alert(1)" not in text, page
    assert headlines and HOSTILE in headlines, "each claim page carries its ClaimReview JSON-LD, hostile text intact"


@pytest.mark.slow
def test_a_render_whose_stdout_is_closed_or_full_ends_cleanly(tmp_path, data):
    quick = fixture_notebook(tmp_path, "quick.ipynb", "print('done')")
    config = write_config(tmp_path, [{"name": "quick", "notebook": quick}])
    out = tmp_path / "out"
    command = [sys.executable, "-m", "lunar_report", "render", "--to", "html", "--config", str(config)]
    command += ["--out", str(out), "--data", str(data), "--as-of", AS_OF, "--force"]
    closed = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    closed.stdout.close()
    assert closed.wait(timeout=180) == 141
    assert closed.stderr.read() == b""
    closed.stderr.close()
    no_leftovers(out)
    with open("/dev/full", "w") as full:
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, timeout=180)
    assert (done.returncode, done.stderr) == (1, "error: cannot write the output: No space left on device\n")
    no_leftovers(out)
