"""`render --cluster`: reports run on Dask workers give what a local render gives; failures and signals as locally.

The slow tests share one LocalCluster of 2 worker processes started here (the "remote" cluster of a
`tcp://` address); the interruption tests start `--cluster local:2` from the command line.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from helpers import (
    AS_OF,
    FIXTURE_NOTEBOOKS,
    copy_minimal,
    fixture_notebook,
    gone,
    http_server,
    no_leftovers,
    previous_outputs,
    run_cli,
    set_cell,
    snapshot,
    start_render,
    stop_with,
    wait_for_kernel,
    write_config,
)
from lunar_report.errors import UsageError
from lunar_report.pipeline.config.reports import load_reports
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run.cluster import Cluster, WarmKernels, check_address
from lunar_report.pipeline.run.render import render_reports

MATRIX_CELLS = (
    "from lunar_report import load_facts\n"
    "from lunar_report.analysis.display import setup_display, show_table, say\n"
    "from lunar_report.facts.load import key_figure\n"
    "setup_display()\nfacts = load_facts(data_dir)",
    "frame = facts.table(table)\n"
    'say("{n} of {total} rows of {table}.", n=rows, total=key_figure(f"{table} rows", len(frame)), table=table)\n'
    'show_table(frame.iloc[:rows, :3], caption=f"The first {rows} {table}")',
    "import matplotlib.pyplot as plt\n"
    "figure, axes = plt.subplots(figsize=(3, 1.5))\naxes.bar(range(rows), range(1, rows + 1))\nplt.show()",
)


def matrix_config(folder: Path) -> Path:
    """Four reports from one notebook: two tables × the first 1 or 2 rows."""
    notebook = fixture_notebook(
        folder, "matrix.ipynb", *MATRIX_CELLS, parameters="data_dir = None\nas_of = None\ntable = 'events'\nrows = 1"
    )
    config = folder / "reports.toml"
    config.write_text(
        "[[report]]\n"
        'name = "{table}-{rows}"\n'
        f'notebook = "{notebook}"\n'
        'title = "Fixture {table}, {rows} rows"\n'
        'matrix = { table = ["events", "missions"], rows = [1, 2] }\n',
        encoding="utf-8",
    )
    return config


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file but the manifest (it records each report's seconds) and the lock."""
    return {k: v for k, v in snapshot(out).items() if k != "manifest.json"}


def without(files: dict[str, bytes], name: str) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if k != name}


def fingerprints(out: Path) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {name: entry["outputs"] for name, entry in manifest["reports"].items()}


def statuses(outcomes) -> dict[str, str]:
    return {o.name: str(o.status) for o in outcomes}


def options(out: Path, data: Path, **overrides) -> RenderOptions:
    return RenderOptions(out_dir=out, data_dir=data, as_of=date.fromisoformat(AS_OF), **overrides)


def on_cluster(specs, out: Path, data: Path, cluster, **overrides):
    """render_reports of `specs` into `out` on `cluster`."""
    return render_reports(specs, options(out, data, **overrides), cluster=cluster)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def scheduler():
    """The address of a LocalCluster of 2 worker processes (one thread each) that retries a task once."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
        )
    yield cluster.scheduler_address
    cluster.close()


def on(address: str) -> Cluster:
    return Cluster(address, announce=lambda _line: None)


@pytest.mark.slow
def test_a_matrix_on_the_cluster_gives_the_bytes_fingerprints_and_editions_of_a_local_render(tmp_path, scheduler):
    data = copy_minimal(tmp_path / "data")
    specs = load_reports(matrix_config(tmp_path))
    assert len(specs) == 4
    local = render_reports(specs, options(tmp_path / "local", data, jobs=2))
    remote = on_cluster(specs, tmp_path / "cluster", data, on(scheduler))

    assert set(statuses(local).values()) == set(statuses(remote).values()) == {"rendered"}
    files = outputs(tmp_path / "cluster")
    assert {f"events-{n}.{fmt}" for n in (1, 2) for fmt in ("html", "pdf")} <= set(files)
    assert "editions/editions.json" in files and "lunar-report.pdf" in files
    assert files == outputs(tmp_path / "local"), "HTML, PDF, editions, site, feed and combined PDF byte for byte"
    assert fingerprints(tmp_path / "cluster") == fingerprints(tmp_path / "local")


@pytest.mark.slow
def test_a_data_edit_rerenders_only_its_readers_on_the_cluster_with_the_local_editions(tmp_path, scheduler):
    data = copy_minimal(tmp_path / "data")
    specs = load_reports(matrix_config(tmp_path))
    cluster, local = tmp_path / "cluster", tmp_path / "local"
    on_cluster(specs, cluster, data, on(scheduler), formats=("html",))
    render_reports(specs, options(local, data, formats=("html",), jobs=2))

    set_cell(data, "events.csv", 2, "title", "A retitled event")
    again = on_cluster(specs, cluster, data, on(scheduler), formats=("html",))
    expected = {f"events-{n}": "rendered" for n in (1, 2)} | {f"missions-{n}": "up to date" for n in (1, 2)}
    assert statuses(again) == expected
    assert "What changed since the previous edition" in (cluster / "events-1.html").read_text(encoding="utf-8")

    assert statuses(render_reports(specs, options(local, data, formats=("html",), jobs=2))) == expected
    # The ledger's backup is the ledger before the run's last commit: which report that was depends on
    # which of the two stale ones finished last, here and there. The ledger itself is compared.
    backup = "editions/editions.json.bak"
    assert outputs(cluster).keys() == outputs(local).keys() and backup in outputs(local)
    assert without(outputs(cluster), backup) == without(outputs(local), backup), (
        "the same editions and 'What changed' sections as a local render"
    )
    assert fingerprints(cluster) == fingerprints(local)


@pytest.mark.slow
def test_a_failing_report_on_a_worker_fails_as_locally(tmp_path, scheduler, capsys):
    config = write_config(
        tmp_path,
        [
            {"name": "events", "notebook": FIXTURE_NOTEBOOKS / "events.ipynb"},
            {"name": "broken", "notebook": FIXTURE_NOTEBOOKS / "fails.ipynb"},
        ],
    )
    data, out = copy_minimal(tmp_path / "data"), tmp_path / "out"
    common = ("render", "--config", str(config), "--data", str(data), "--as-of", AS_OF, "--to", "html")
    result = run_cli(capsys, *common, "--out", str(out), "--cluster", scheduler)

    assert result.code == 1
    assert result.stdout.startswith(f"Dask: {scheduler}, 2 workers, 2 threads; ")
    assert "broken: failed" in result.stdout and "events: rendered" in result.stdout
    assert result.stderr == (
        "error: broken failed in cell 4 of fails.ipynb: ValueError: deliberate failure for the test\n"
    )
    assert (out / "events.html").is_file() and not (out / "broken.html").exists()
    local = tmp_path / "local"
    assert run_cli(capsys, *common, "--out", str(local)).code == 1
    assert without_cell_ids(out / "_failed" / "broken.html") == without_cell_ids(local / "_failed" / "broken.html")


def without_cell_ids(page: Path) -> str:
    """A failure page without its cell ids: papermill gives its error cell a random one, locally too."""
    return re.sub(r'id="cell-id=[^"]*"', "", page.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_a_worker_killed_mid_report_is_retried_on_another_and_the_result_is_right(tmp_path, scheduler):
    from distributed import Client

    config = write_config(
        tmp_path, [{"name": "slow", "notebook": FIXTURE_NOTEBOOKS / "slow.ipynb", "parameters": {"seconds": 4}}]
    )
    specs, data = load_reports(config), copy_minimal(tmp_path / "data")
    killed: list[int] = []

    def kill_the_worker_running_it() -> None:
        with Client(scheduler, timeout=30) as client:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                busy = [w for w, keys in client.processing().items() if any("execute-slow" in str(k) for k in keys)]
                if busy:
                    time.sleep(1.5)  # its kernel is running the notebook now
                    pid = client.run(os.getpid, workers=busy)[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
                time.sleep(0.05)

    killer = threading.Thread(target=kill_the_worker_running_it)
    killer.start()
    outcomes = on_cluster(specs, tmp_path / "cluster", data, on(scheduler), formats=("html",))
    killer.join()

    assert killed, "the test killed the worker running the report"
    assert statuses(outcomes) == {"slow": "rendered"}, outcomes
    render_reports(specs, options(tmp_path / "local", data, formats=("html",), jobs=1))
    assert outputs(tmp_path / "cluster") == outputs(tmp_path / "local")


@pytest.mark.slow
@pytest.mark.parametrize(("number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_every_task_of_a_local_cluster_within_2_seconds_and_writes_nothing(tmp_path, number, code):
    reports = [
        {"name": f"slow-{n}", "notebook": FIXTURE_NOTEBOOKS / "slow.ipynb", "parameters": {"seconds": 60}}
        for n in range(3)
    ]
    config, data = write_config(tmp_path, reports), copy_minimal(tmp_path / "data")
    out = previous_outputs(tmp_path / "out")
    before = snapshot(out)
    render = start_render(
        "--config", str(config), "--data", str(data), "--out", str(out), "--as-of", AS_OF, "--cluster", "local:2"
    )
    wait_for_kernel(render)
    import psutil

    descendants = psutil.Process(render.pid).children(recursive=True)  # the workers and their kernels
    stop_with(render, number, code, within=10)
    assert gone(descendants, timeout=2), "no worker, kernel or task of the run outlives it"
    assert snapshot(out) == before
    no_leftovers(out)


def events_render(folder: Path, *extra: str) -> tuple[list[str], Path]:
    """A render of one report (the events fixture notebook) on a copy of the small valid data set, as of AS_OF: the
    command's arguments (then `extra`) and its output folder."""
    config = write_config(folder, [{"name": "events", "notebook": FIXTURE_NOTEBOOKS / "events.ipynb"}])
    data, out = copy_minimal(folder / "data"), folder / "out"
    return ["render", "--config", str(config), "--data", str(data), "--out", str(out), "--as-of", AS_OF, *extra], out


def assert_lock_released(out: Path) -> None:
    """The render let go of the output folder's lock: the next render may take it."""
    import filelock

    lock = filelock.FileLock(str(out / ".lunar-report.lock"))
    lock.acquire(timeout=0)
    lock.release()


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_line_and_exit_2_before_any_work(tmp_path, capsys):
    address = f"tcp://127.0.0.1:{free_port()}"
    args, out = events_render(tmp_path, "--cluster", address)
    result = run_cli(capsys, *args)
    assert result.code == 2
    assert result.stderr == (
        f"error: --cluster {address}: no Dask scheduler answered within 10 s; "
        "start one (dask scheduler), or check the address\n"
    )
    assert result.stdout == ""
    assert snapshot(out) == {}


@pytest.mark.slow
def test_without_a_stale_report_the_cluster_is_never_contacted_nor_dask_imported(tmp_path, capsys):
    args, _ = events_render(tmp_path, "--to", "html")
    assert run_cli(capsys, *args).code == 0
    probe = (
        "import sys\nfrom lunar_report.cli import main\n"
        f"sys.argv = ['lunar-report', *{args!r}, '--cluster', 'tcp://127.0.0.1:{free_port()}']\n"
        "code = 0\ntry:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr
    assert "events: up to date" in done.stdout


def test_help_documents_cluster_and_imports_no_dask():
    probe = (
        "import sys\nfrom lunar_report.cli import main\nsys.argv = ['lunar-report', 'render', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines()[-1] == "[]"
    text = " ".join(done.stdout.split())
    assert "--cluster ADDRESS" in text and "tcp://host:8786" in text and "local[:N]" in text


@pytest.mark.parametrize(
    "address", ["tcp://scheduler:8786", "tls://10.0.0.5:8786", "local", "local:4", "tcp://[::1]:8786", "tcp://a.b:1"]
)
def test_cluster_addresses_that_are_accepted(address):
    assert check_address(address, 4) == address


USE = "give a scheduler address (tcp://host:8786) or local[:N] for N worker processes here"


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("tcp://[::1", "not a host:port (an IPv6 address goes in brackets: tcp://[::1]:8786; a port is 1 to 65535); "),
        (
            "tcp://host:99999",
            "not a host:port (an IPv6 address goes in brackets: tcp://[::1]:8786; a port is 1 to 65535); ",
        ),
        ("inproc://x", "inproc:// is not a scheduler protocol here (tcp:// or tls://); "),
        ("tls://", "the scheduler's port is missing (tcp://host:8786); "),
        ("tcp://host:8786/path?q", "a scheduler address is scheme://host:port, nothing more; "),
        ("tcp://-host:8786", "not a host name or IP address; "),
        ("tcp://host\n:8786", ""),
    ],
)
def test_a_malformed_cluster_address_is_a_usage_error_before_the_lock(capsys, tmp_path, address, reason):
    address = address.replace("\\n", "\n")
    out = tmp_path / "out"
    result = run_cli(capsys, "render", "--out", str(out), "--cluster", address)
    shown = address.replace("\n", "\\n")
    assert (result.code, result.stderr, result.stdout) == (2, f"error: --cluster {shown}: {reason}{USE}\n", "")
    assert not out.exists(), "no lock taken, no folder made"


def test_local_workers_are_capped_by_the_limits(capsys, tmp_path):
    config = write_config(tmp_path, [{"name": "events", "notebook": FIXTURE_NOTEBOOKS / "events.ipynb"}])
    config.write_text(config.read_text(encoding="utf-8") + "\n[limits]\nlocal_workers = 3\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(capsys, "render", "--config", str(config), "--out", str(out), "--cluster", "local:99999")
    assert (result.code, result.stderr) == (
        2,
        "error: --cluster local:99999: at most 3 worker processes here (limits.local_workers); give fewer, or raise "
        "local_workers under [limits] in reports.toml\n",
    )
    assert not out.exists()


@pytest.fixture
def not_dask():
    """An HTTP server on 127.0.0.1: it accepts the connection and never speaks Dask's protocol."""
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    with http_server(Quiet) as port:
        yield f"tcp://127.0.0.1:{port}"


@pytest.mark.slow
def test_a_server_that_is_not_a_scheduler_is_exit_2_and_the_lock_is_released(tmp_path, capsys, monkeypatch, not_dask):
    from lunar_report.pipeline.run import cluster

    monkeypatch.setattr(cluster, "HANDSHAKE_TIMEOUT", 2.0)
    args, out = events_render(tmp_path)
    result = run_cli(capsys, *args, "--cluster", not_dask)
    assert (result.code, result.stderr) == (
        2,
        f"error: --cluster {not_dask}: no Dask scheduler completed the handshake within 2 s (is another kind of "
        "server at that address?); start one (dask scheduler), or check the address\n",
    )
    assert_lock_released(out)


@pytest.mark.slow
def test_a_signal_while_connecting_stops_the_render(tmp_path, capsys, monkeypatch, not_dask):
    from lunar_report.pipeline.run import cluster

    monkeypatch.setattr(cluster, "HANDSHAKE_TIMEOUT", 60.0)
    args, out = events_render(tmp_path)
    connecting = threading.Event()
    real = cluster._client_within

    def noted(*a, **k):
        connecting.set()
        return real(*a, **k)

    monkeypatch.setattr(cluster, "_client_within", noted)
    threading.Thread(target=lambda: connecting.wait(120) and os.kill(os.getpid(), signal.SIGTERM), daemon=True).start()
    from lunar_report import cli

    monkeypatch.setattr(cli, "_exit", lambda code: sys.exit(code))  # (the process goes on: the test's)
    result = run_cli(capsys, *args, "--cluster", not_dask)
    assert result.code == 143
    assert result.stderr.endswith(
        "error: interrupted by SIGTERM; running kernels were stopped and nothing partial was written\n"
    )
    assert_lock_released(out)


@pytest.mark.parametrize("address", ["scheduler:8786", "local:0", "local:two", ""])
def test_a_wrong_cluster_address_is_one_line_and_exit_2(capsys, address):
    with pytest.raises(UsageError):
        check_address(address)
    result = run_cli(capsys, "render", "--cluster", address)
    assert result.code == 2
    assert result.stderr == (
        f"error: --cluster {address}: give a scheduler address (tcp://host:8786) "
        "or local[:N] for N worker processes here\n"
    )


@pytest.mark.parametrize(
    ("engine", "said"),
    [("chromium", "Chromium is not on PATH: install Chromium"), ("xelatex", "xelatex and pandoc are not on PATH")],
)
def test_a_worker_without_the_pdf_engine_fails_only_the_pdf(tmp_path, monkeypatch, engine, said):
    import nbformat

    from lunar_report.pipeline.config.reports import ReportSpec
    from lunar_report.pipeline.run.cluster import export_task
    from lunar_report.pipeline.run.job import new_job

    spec = ReportSpec("plain", tmp_path / "plain.ipynb", "Plain")
    settings = options(tmp_path / "out", tmp_path / "data", pdf_engine=engine)
    job = new_job(spec, settings, None, {})
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Plain\n\nNo PDF engine here.")])
    notebook.metadata["title"] = "Plain"
    monkeypatch.setenv("PATH", str(tmp_path))  # a worker with neither Chromium nor xelatex and pandoc
    monkeypatch.delenv("LUNAR_REPORT_CHROMIUM", raising=False)

    files, failure, _seconds = export_task(job, notebook, settings)

    assert set(files) == {"plain.html"} and b"No PDF engine here." in files["plain.html"]
    assert failure is not None and failure.where == "the PDF step"
    assert failure.error.startswith(said)


class FakeClient:
    """What check_workers asks a Dask client: workers appear at once; each reports its environment."""

    def __init__(self, environments: dict[str, dict[str, str]]):
        self.environments = environments

    def wait_for_workers(self, count: int, timeout: float) -> None:
        pass

    def run(self, function):
        return self.environments


def worker_check(tmp_path, **changed: str) -> str:
    from lunar_report.pipeline.run.cluster import ClusterSession, worker_environment

    found = {**worker_environment(), **changed}
    session = ClusterSession(FakeClient({"tcp://10.0.0.7:4000": found}), None, "tcp://scheduler:8786")
    with pytest.raises(UsageError) as raised:
        session.check_workers(options(tmp_path / "out", tmp_path / "data", project=tmp_path))
    return str(raised.value)


def test_a_worker_with_other_packages_code_or_no_kernel_stops_the_run_before_any_report(tmp_path):
    from importlib.metadata import version

    assert worker_check(tmp_path, pandas="2.0.0") == (
        "--cluster tcp://scheduler:8786: worker tcp://10.0.0.7:4000 runs other package versions than this host "
        f"(pandas 2.0.0 there, {version('pandas')} here); install the same requirements/lock.txt and lunar-report there"
    )
    assert worker_check(tmp_path, code="0" * 64) == (
        "--cluster tcp://scheduler:8786: worker tcp://10.0.0.7:4000 runs other lunar_report code than this host; "
        "install the same requirements/lock.txt and lunar-report there"
    )
    assert worker_check(tmp_path, kernel="the Jupyter kernel 'lunar-report' is not installed") == (
        "--cluster tcp://scheduler:8786: worker tcp://10.0.0.7:4000: the Jupyter kernel 'lunar-report' is not installed"
    )


def test_a_workers_kernels_draw_the_runs_formats_and_trust_the_hosts_validation(tmp_path):
    """As a local render's pool: the run's formats in the kernels' environment, the host's digest listed."""
    from types import SimpleNamespace

    from lunar_report import paths

    worker = SimpleNamespace(local_directory=str(tmp_path), state=SimpleNamespace(nthreads=0))  # no kernel started
    plugin = WarmKernels((), ("html",), "ab" * 32)
    plugin.setup(worker)
    try:
        assert plugin.pool.env[paths.FORMATS_ENV] == "html"
        assert plugin.pool.trust_file.read_text(encoding="ascii").split() == ["ab" * 32]
    finally:
        plugin.teardown(worker)
    assert list(tmp_path.iterdir()) == []
