"""Properties over what reaches a render from outside: an editions ledger of any shape (on disk, or served by a
site to `--restore-from`), a data edition's package of any shape served to `--restore-from`, and a `--cluster`
address of any form.

Whatever the input: the command exits with a documented code (never a traceback), says one line, and changes
nothing local. Examples come from the hypothesis profile (tests/conftest.py); no example starts a kernel.
"""

from __future__ import annotations

import http.server
import json
import tempfile
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers import MINIMAL, fixture_notebook, http_server, refuse_kernels, render, run_cli, snapshot, write_config
from lunar_report.pipeline.store import editions, workspace

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXIT_CODES = {0, 1, 2}

# --- ledgers of any shape ------------------------------------------------------------------------

TEXTS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2026-11-25", "2026-13-01", "2026-11-25-0123456789", "2026-11-25-0123456789\n", "r.html", "../x"]),
)
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXTS),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXTS, inner, max_size=4)),
    max_leaves=30,
)
EDITION = st.fixed_dictionaries(
    {"id": TEXTS, "as_of": TEXTS, "title": TEXTS, "inputs": TEXTS},
    optional={
        "files": st.one_of(st.lists(st.sampled_from(["r.html", "r.pdf", "../r.html", "r.exe"]), max_size=3), JSON),
        "data": st.one_of(st.dictionaries(TEXTS, st.sampled_from(["0" * 64, "x"]), max_size=2), JSON),
        "changes": st.one_of(st.lists(TEXTS, max_size=3), JSON),
        "previous": JSON,
        "figures": JSON,
        "sha256": JSON,
        "sizes": JSON,
        "extra": JSON,
    },
)
LEDGER_SHAPED = st.fixed_dictionaries(
    {
        "format": st.sampled_from([1, 2, 3, 4, True, "3", [3]]),
        "reports": st.one_of(
            st.dictionaries(st.sampled_from(["r", "r\n", "../r", ""]), st.lists(EDITION, max_size=3)), JSON
        ),
    },
    optional={"combined": JSON},
)
LEDGERS = st.one_of(
    JSON.map(lambda v: json.dumps(v).encode()),
    LEDGER_SHAPED.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    st.integers(1, 5000).map(lambda depth: b"[" * depth + b"]" * depth),
)


def readable(content: bytes) -> bool:
    try:
        editions.parse_ledger(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return True


@given(content=LEDGERS)
@FUZZ
def test_a_ledger_of_any_shape_is_read_or_refused_with_one_line(content):
    """The library: a Ledger that writes back as itself, or LedgerError; never another exception."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        (out / "editions").mkdir()
        (out / editions.LEDGER).write_bytes(content)
        try:
            ledger = editions.load_ledger(out)
        except editions.LedgerError as error:
            assert "\n" not in str(error) and str(error).startswith(f"{out / editions.LEDGER}: cannot read")
            return
        assert ledger is not None
        assert editions.parse_ledger(editions.ledger_bytes(ledger).decode("utf-8")) == ledger


@pytest.fixture
def project(monkeypatch):
    refuse_kernels(monkeypatch)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        notebook = fixture_notebook(root, "r.ipynb", "print(1)")
        yield write_config(root, [{"name": "r", "notebook": notebook}]), MINIMAL, root


@given(content=LEDGERS)
@FUZZ
def test_render_and_repair_with_a_damaged_ledger_exit_documented_and_change_nothing_but_what_repair_says(
    capsys, project, content
):
    assume(not readable(content))
    config, data, root = project
    with tempfile.TemporaryDirectory(dir=root) as folder:
        out = Path(folder)
        (out / "editions" / "2026-11-25-0123456789").mkdir(parents=True)
        (out / workspace.MARK).write_bytes(workspace.MARK_TEXT)
        (out / "editions" / "2026-11-25-0123456789" / "r.html").write_bytes(b"<title>R</title>")
        (out / editions.LEDGER).write_bytes(content)
        before = snapshot(out)
        result = render(capsys, config, out, data)
        assert result.code == 1 and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {out / editions.LEDGER}: cannot")
        assert snapshot(out) == before
        repaired = run_cli(capsys, "editions", "repair", "--out", str(out))
        assert repaired.code == 0, repaired.stderr
        assert editions.load_ledger(out) is not None, "repaired: the next run reads it"
        assert (out / "editions" / "editions.json.damaged-1").read_bytes() == content
        assert {k: v for k, v in snapshot(out).items() if k in before and k != editions.LEDGER} == {
            k: v for k, v in before.items() if k != editions.LEDGER
        }


class Site(http.server.BaseHTTPRequestHandler):
    """Serves `Site.ledger` as the ledger; every other address 404."""

    ledger: ClassVar[list[bytes]] = [b""]

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        body = self.ledger[0] if self.path == f"/{editions.LEDGER}" else b"no"
        self.send_response(200 if self.path == f"/{editions.LEDGER}" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    with http_server(Site) as port:
        yield f"http://127.0.0.1:{port}/"


def refused_restore(capsys, project, site: str) -> str:
    """A render restoring from `site` into an empty output folder: refused (exit 1, one line, no traceback), nothing
    local changed; the line."""
    config, data, root = project
    with tempfile.TemporaryDirectory(dir=root) as folder:
        out = Path(folder)
        (out / workspace.MARK).write_bytes(workspace.MARK_TEXT)
        before = snapshot(out)
        result = render(capsys, config, out, data, "--restore-from", site)
        assert result.code == 1 and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert snapshot(out) == before
    return result.stderr


@given(content=LEDGERS)
@FUZZ
def test_a_site_serving_a_ledger_of_any_shape_is_refused_and_nothing_local_changes(capsys, project, site, content):
    assume(not readable(content))
    Site.ledger[0] = content
    assert refused_restore(capsys, project, site).startswith(f"error: --restore-from {site}: {editions.LEDGER}: ")


# --- data packages served to a restore --------------------------------------------------------------

VERSION = "2026-11-25-0123456789"
PACKAGE_PATH = f"data/{VERSION}/datapackage.json"
RESOURCE = st.fixed_dictionaries(
    {},
    optional={
        "path": st.one_of(
            st.sampled_from(["events.csv", "lunar-report.sqlite"]),
            st.sampled_from(["../x.csv", "a/b.csv", "datapackage.json", ".x", "x" * 101]),
            JSON,
        ),
        "hash": st.one_of(
            st.just("sha256:" + "0" * 64), st.sampled_from(["0" * 64, "md5:x", "sha256:" + "A" * 64]), JSON
        ),
        "bytes": st.one_of(st.sampled_from([0, 10]), st.sampled_from([-1, 2**60, 1.5, True]), JSON),
    },
)
PACKAGES = st.one_of(
    JSON.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"version": st.sampled_from([VERSION, VERSION, VERSION, "2026-11-25-abcdef0123", 3])},
        optional={"resources": st.one_of(st.lists(RESOURCE, max_size=3), JSON), "sqlite": st.one_of(RESOURCE, JSON)},
    ).map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    st.integers(1, 5000).map(lambda depth: b"[" * depth + b"]" * depth),
)


class DataSite(http.server.BaseHTTPRequestHandler):
    """Serves a ledger whose one edition names data edition VERSION, and `DataSite.package` as its package; every
    other address 404 (the files the package lists)."""

    package: ClassVar[list[bytes]] = [b""]
    ledger = json.dumps(
        {
            "format": 3,
            "reports": {"r": [{"id": "2026-11-25-abcdef0123", "as_of": "2026-11-25", "title": "R", "inputs": ""}]},
        }
    ).encode()

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        body = {f"/{editions.LEDGER}": self.ledger, f"/{PACKAGE_PATH}": self.package[0]}.get(self.path)
        self.send_response(404 if body is None else 200)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


@pytest.fixture(scope="module")
def data_site():
    body = json.loads(DataSite.ledger)
    body["reports"]["r"][0]["dataset"] = VERSION
    DataSite.ledger = json.dumps(body).encode()
    with http_server(DataSite) as port:
        yield f"http://127.0.0.1:{port}/"


@given(content=PACKAGES)
@FUZZ
def test_a_site_serving_a_data_package_of_any_shape_is_refused_and_nothing_local_changes(
    capsys, project, data_site, content
):
    """Whatever the package says, a file it lists is not on the site (or it lists none): refused, one line naming
    the package or the listed file, nothing local changed."""
    DataSite.package[0] = content
    line = refused_restore(capsys, project, data_site)
    assert line.startswith(f"error: --restore-from {data_site}: data/{VERSION}/"), line


# --- cluster addresses ---------------------------------------------------------------------------

ADDRESSES = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda scheme, host, port, tail: f"{scheme}://{host}{port}{tail}",
        st.sampled_from(["tcp", "tls", "inproc", "ws", "ucx", "http", "local", ""]),
        st.one_of(
            st.sampled_from(["", "[::1", "[::1]", "host", "-host", "a b", "10.0.0.5", "h\n"]), st.text(max_size=10)
        ),
        st.one_of(
            st.just(""), st.integers(-5, 10**6).map(lambda p: f":{p}"), st.text(max_size=5).map(lambda t: ":" + t)
        ),
        st.sampled_from(["", "/", "/path", "?q", "#f"]),
    ),
    st.integers(-10, 10**7).map(lambda n: f"local:{n}"),
)


@given(address=ADDRESSES)
@FUZZ
def test_a_cluster_address_of_any_form_is_refused_before_any_lock_or_accepted(capsys, project, address):
    """Refused (exit 2, one line) before the output folder is touched, or accepted as an address to connect to."""
    from lunar_report.errors import UsageError
    from lunar_report.pipeline.run.cluster import check_address

    try:
        check_address(address, 16)
    except UsageError:
        config, _, root = project
        out = root / "never-made"
        result = run_cli(capsys, "render", "--config", str(config), "--out", str(out), "--cluster", address)
        assert result.code in EXIT_CODES - {0} and "Traceback" not in result.stderr
        assert result.code == 2 and result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
        assert not out.exists(), "no folder made, no lock taken"
        return
    assert address.startswith(("tcp://", "tls://", "local"))
