"""`render --restore-from` against a hostile site on 127.0.0.1: nothing it sends is kept unless it is what the
ledger says, and nothing local is ever replaced (every local edition file's bytes compared before and after)."""

from __future__ import annotations

import contextlib
import http.server
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest

from helpers import assert_refused, copy_minimal, fixture_notebook, http_server, render, snapshot, write_config
from lunar_report.facts.package import published_tables
from lunar_report.pipeline.config.limits import Limits
from lunar_report.pipeline.site.feed import feed_xml
from lunar_report.pipeline.site.pages import Dataset, build_dataset, editions_html
from lunar_report.pipeline.store import editions
from lunar_report.pipeline.store.editions import Edition, Ledger, digest, ledger_bytes, load_ledger
from lunar_report.pipeline.store.restore import restore

ID_1, ID_2 = "2026-11-25-0123456789", "2026-11-26-abcdef0123"
TABLE = b"id,start,precision,timezone,title\nev-1,2021-03-09,day,,The memorandum is signed\n"
FILES = {
    f"editions/{ID_1}/r.html": b'<html><p class="lr-edition">This is the edition as of 25 November 2026</p></html>',
    f"editions/{ID_1}/r.pdf": b"%PDF-1.7 the first edition" + b"." * 1000,
    f"editions/{ID_2}/r.html": b'<html><p class="lr-edition">This is the edition as of 26 November 2026</p></html>',
    f"editions/{ID_2}/r.pdf": b"%PDF-1.7 the second edition" + b"." * 1000,
    f"editions/data/{digest(TABLE)}.csv": TABLE,
}
SOFT_404 = b"<!doctype html><html><title>Page not found</title><h1>404</h1></html>"


def published(digests: bool = True, dataset: str = "") -> dict[str, bytes]:
    """A published site's files: its ledger (format 3 with each file's sha256 and size, or format 2 without), its
    editions naming the data edition `dataset` when given."""
    history = []
    for number, (edition_id, as_of) in enumerate(((ID_2, "2026-11-26"), (ID_1, "2026-11-25"))):
        files = ["r.html", "r.pdf"]
        contents = {f: FILES[f"editions/{edition_id}/{f}"] for f in files}
        history.append(
            Edition(
                edition_id, as_of, "Fixture r", "", files, {"events.csv": digest(TABLE)},
                changes=["A first edition."], previous=ID_1 if number == 0 else "",
                sha256={f: digest(c) for f, c in contents.items()} if digests else {},
                sizes={f: len(c) for f, c in contents.items()} if digests else {},
                dataset=dataset,
            )
        )  # fmt: skip
    body = json.loads(ledger_bytes(Ledger({"r": history})))
    if not digests:
        body["format"] = 2
        for edition in body["reports"]["r"]:
            del edition["sha256"], edition["sizes"]
    return {editions.LEDGER: json.dumps(body).encode(), **FILES}


def with_data(folder: Path) -> tuple[dict[str, bytes], Dataset]:
    """A published site whose editions name a data edition, built from the small valid data set as a render
    builds it, and the data edition (its files served at data/<version>/)."""
    dataset = build_dataset(published_tables(copy_minimal(folder / "site-data")), None)
    files = published(dataset=dataset.version)
    return {**files, **{f"{dataset.folder}/{name}": content for name, content in dataset.files.items()}}, dataset


Route = Callable[[http.server.BaseHTTPRequestHandler], None]


class Hostile(http.server.BaseHTTPRequestHandler):
    """Serves `files`, except the paths `routes` answer their own way."""

    files: ClassVar[dict[str, bytes]] = {}
    routes: ClassVar[dict[str, Route]] = {}

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.lstrip("/")
        if path in self.routes:
            self.routes[path](self)
        elif path in self.files:
            send(self, 200, self.files[path])
        else:
            send(self, 404, b"not here")


def send(handler, status: int, body: bytes, length: int | None = None, kind: str = "") -> None:
    handler.send_response(status)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    if kind:
        handler.send_header("Content-Type", kind)
    handler.end_headers()
    handler.wfile.write(body)
    handler.close_connection = True


class Quiet(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # (a client that hangs up on a hostile answer: expected here)


@pytest.fixture
def serve():
    """serve(files, routes) -> the site's address on 127.0.0.1, answered by a thread of this test."""
    with contextlib.ExitStack() as servers:

        def start(files: dict[str, bytes], routes: dict[str, Route] | None = None) -> str:
            handler = type("Site", (Hostile,), {"files": files, "routes": routes or {}})
            port = servers.enter_context(http_server(handler, Quiet))
            return f"http://127.0.0.1:{port}/"

        yield start


@pytest.fixture
def project(tmp_path: Path):
    notebook = fixture_notebook(tmp_path, "r.ipynb", "print(1)")
    config = write_config(tmp_path, [{"name": "r", "notebook": notebook}])
    return config, copy_minimal(tmp_path / "data"), tmp_path / "out"


def refused(capsys, project, url: str, name: str, reason: str, limits: str = "") -> None:
    """A render restoring from `url` exits 1 with exactly this line, and leaves the output folder empty."""
    config, data, out = project
    if limits:
        config.write_text(config.read_text(encoding="utf-8") + f"\n[limits]\n{limits}\n", encoding="utf-8")
    result = render(capsys, config, out, data, "--restore-from", url)
    assert_refused(
        result,
        1,
        f"--restore-from {url}: {name}: {reason}; nothing was restored or rendered, so the published history is "
        "not replaced. Run again when the site is repaired (redeploy it from a good copy of the output folder), "
        "or render without --restore-from to start a new history",
    )
    assert not (out / "editions").exists() and not (out / "index.html").exists()


def test_a_good_site_is_restored_and_its_digests_recorded(tmp_path, serve, caplog):
    for digests in (True, False):
        url = serve(published(digests))
        out = tmp_path / f"out-{digests}"
        out.mkdir()
        assert restore(out, url, Limits(), tmp_path) == 2
        assert {k: v for k, v in snapshot(out).items() if k != editions.LEDGER} == {
            **FILES,
            f"editions/{ID_1}/{editions.RECORD}": snapshot(out)[f"editions/{ID_1}/{editions.RECORD}"],
            f"editions/{ID_2}/{editions.RECORD}": snapshot(out)[f"editions/{ID_2}/{editions.RECORD}"],
        }
        ledger = load_ledger(out)
        assert ledger is not None
        assert ledger.history("r")[0].sha256 == {
            f: digest(FILES[f"editions/{ID_2}/{f}"]) for f in ("r.html", "r.pdf")
        }, "a format-2 site's files are recorded with their digests from now on"
        assert f"note: restored 2 editions of 1 reports from {url}" in caplog.text


@pytest.mark.usefixtures("no_kernel")
def test_a_file_cut_short_is_refused_and_nothing_kept(capsys, project, serve):
    name = f"editions/{ID_1}/r.pdf"
    url = serve(published(), {name: lambda h: send(h, 200, b"%PDF-1.7 cut short", length=len(FILES[name]))})
    refused(capsys, project, url, name, f"cut short: 18 of the {len(FILES[name]):,} bytes announced arrived")


@pytest.mark.usefixtures("no_kernel")
@pytest.mark.parametrize(
    ("digests", "name", "reason"),
    [
        (True, f"editions/{ID_2}/r.html", "69 bytes where the ledger records 81"),
        (False, f"editions/{ID_2}/r.html", "not an edition page (an error page served as one?)"),
        (False, f"editions/{ID_2}/r.pdf", "not a PDF file (an error page served as one?)"),
        (False, f"editions/data/{digest(TABLE)}.csv", "its content does not match its digest"),
    ],
)
def test_an_error_page_served_with_200_is_refused(capsys, project, serve, digests, name, reason):
    url = serve(published(digests), {name: lambda h: send(h, 200, SOFT_404, kind="text/html")})
    refused(capsys, project, url, name, reason)


@pytest.mark.usefixtures("no_kernel")
def test_a_file_whose_digest_differs_is_refused(capsys, project, serve):
    files = published()
    name = f"editions/{ID_1}/r.pdf"
    files[name] = b"%PDF-1.7 the first edition" + b"!" * 1000  # same size, other bytes
    refused(capsys, project, serve(files), name, "its sha256 is not the one the ledger records")


def test_local_editions_without_a_ledger_are_never_replaced(tmp_path, serve, caplog):
    out = tmp_path / "out"
    local = {f"editions/{ID_1}/r.html": b"the local first edition", f"editions/{ID_1}/r.pdf": b"%PDF local"}
    for name, content in local.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(content)
    before = snapshot(out)
    url = serve(published())
    assert restore(out, url, Limits(), tmp_path) == 0
    assert snapshot(out) == before, "every local edition file as it was; nothing fetched"
    assert (
        f"note: {out / 'editions'} holds 1 edition folders but no ledger: it is rebuilt from them, and nothing is "
        f"fetched from {url} (local editions are never replaced)"
    ) in caplog.text


@pytest.mark.usefixtures("no_kernel")
def test_the_cli_keeps_local_editions_when_the_ledger_is_lost(capsys, project, serve, monkeypatch):
    """The whole command: the local files' bytes before and after, whatever the site serves for them."""
    config, data, out = project
    (out / f"editions/{ID_1}").mkdir(parents=True)
    (out / ".lunar-report-output").write_bytes(b"")
    local = {f"editions/{ID_1}/r.html": b"the local first edition", f"editions/{ID_1}/r.pdf": b"%PDF local"}
    for name, content in local.items():
        (out / name).write_bytes(content)
    url = serve(published())
    render(capsys, config, out, data, "--restore-from", url)  # (stopped where a kernel would start)
    assert {k: v for k, v in snapshot(out).items() if k in local} == local


@pytest.mark.usefixtures("no_kernel")
def test_a_redirect_to_another_origin_is_refused(capsys, project, serve):
    other = serve(published())
    name = f"editions/{ID_1}/r.pdf"

    def away(handler) -> None:
        handler.send_response(302)
        handler.send_header("Location", other.replace("127.0.0.1", "localhost") + name)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    url = serve(published(), {name: away})
    target = other.replace("127.0.0.1", "localhost") + name
    refused(capsys, project, url, name, f"redirected to another site, {target}")


@pytest.mark.usefixtures("no_kernel")
def test_a_redirect_within_the_site_is_followed(tmp_path, serve):
    files = published()
    name = f"editions/{ID_1}/r.pdf"

    def moved(handler) -> None:
        handler.send_response(301)
        handler.send_header("Location", f"/moved/{name}")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    url = serve({**files, f"moved/{name}": files[name]}, {name: moved})
    (tmp_path / "out").mkdir()
    assert restore(tmp_path / "out", url, Limits(), tmp_path) == 2
    assert (tmp_path / "out" / name).read_bytes() == files[name]


@pytest.mark.usefixtures("no_kernel")
def test_the_byte_cap_the_file_cap_and_the_deadline(capsys, project, serve, tmp_path):
    files = published()
    big = f"editions/{ID_1}/r.pdf"
    url = serve(files, {big: lambda h: send(h, 200, b"%PDF-" + b"." * (2 * 2**20))})
    refused(capsys, project, url, big, "more than 1 MiB in all (limits.restore_mib)", "restore_mib = 1")

    config = project[0]
    config.write_text(config.read_text(encoding="utf-8").replace("restore_mib = 1", "restore_files = 4"))
    refused(
        capsys, project, serve(files), editions.LEDGER,
        "it lists 6 files to fetch, more than 4 (limits.restore_files)",
    )  # fmt: skip

    def drip(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"%")
            handler.wfile.flush()
            time.sleep(0.05)

    config.write_text(config.read_text(encoding="utf-8").replace("restore_files = 4", "restore_timeout = 1"))
    refused(capsys, project, serve(files, {big: drip}), big, "not done within 1 s (limits.restore_timeout)")


@pytest.mark.usefixtures("no_kernel")
def test_a_damaged_ledger_on_the_site_is_refused_with_the_entry_and_field(capsys, project, serve):
    files = published()
    body = json.loads(files[editions.LEDGER])
    body["reports"]["r"][1]["as_of"] = "2026-13-01"
    url = serve({**files, editions.LEDGER: json.dumps(body).encode()})
    refused(
        capsys, project, url, editions.LEDGER,
        "not an editions ledger (reports.r[1].as_of: not a date (got '2026-13-01'))",
    )  # fmt: skip


def test_a_bad_address_is_a_usage_error(capsys, project):
    config, data, out = project
    for url, reason in [
        ("file:///etc/", "give the published site's address (http:// or https://)"),
        ("http://127.0.0.1:99999/", "the port is not a number from 0 to 65535"),
        ("http://exa mple.org/", "give the published site's address (http:// or https://)"),
    ]:
        assert_refused(render(capsys, config, out, data, "--restore-from", url), 2, f"--restore-from {url}: {reason}")
    assert not out.exists()


def test_a_data_edition_is_restored_byte_identical_and_linked(tmp_path, serve):
    files, dataset = with_data(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert restore(out, serve(files), Limits(), tmp_path) == 2
    restored = {k: v for k, v in snapshot(out).items() if k.startswith("data/")}
    assert restored == {f"{dataset.folder}/{name}": content for name, content in dataset.files.items()}
    assert {"datapackage.json", "lunar-report.sqlite", "events.csv"} <= set(dataset.files)
    ledger = load_ledger(out)
    assert ledger is not None
    assert [e.dataset for e in ledger.history("r")] == [dataset.version] * 2
    package = f"{dataset.folder}/datapackage.json"
    page = editions_html(out, ledger, ["r"]).decode("utf-8")
    assert page.count(f'<a href="{package}">Data<span') == 2, "each restored edition links its data edition"
    feed = feed_xml(out, ledger, ["r"]).decode("utf-8")
    assert feed.count(f'<link rel="related" type="application/json" href="{package}"') == 2


@pytest.mark.usefixtures("no_kernel")
def test_a_tampered_data_file_is_refused_and_nothing_local_changes(capsys, project, serve, tmp_path):
    out = project[2]
    files, dataset = with_data(tmp_path)
    csv = f"{dataset.folder}/events.csv"
    content = files[csv]
    files[csv] = content[:-2] + (b"X" if content[-2:-1] != b"X" else b"Y") + content[-1:]  # same size, other bytes
    local = {
        ".lunar-report-output": b"",
        "data/2026-11-01-0123456789/events.csv": b"a local data edition\n",
        "data/datapackage.json": b'{"local": true}\n',
    }
    for name, written in local.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(written)
    before = snapshot(out)
    refused(capsys, project, serve(files), csv, f"its sha256 is not the one {dataset.folder}/datapackage.json records")
    assert snapshot(out) == before, "every local file's bytes as they were"


def test_a_local_data_folder_is_never_replaced(tmp_path, serve):
    files, dataset = with_data(tmp_path)
    for name in dataset.files:  # the site serves a damaged copy: fetched, it would stop the restore
        files[f"{dataset.folder}/{name}"] = b"damaged"
    out = tmp_path / "out"
    (out / dataset.folder).mkdir(parents=True)
    (out / dataset.folder / "events.csv").write_bytes(b"the local table\n")
    assert restore(out, serve(files), Limits(), tmp_path) == 2
    assert {k: v for k, v in snapshot(out).items() if k.startswith("data/")} == {
        f"{dataset.folder}/events.csv": b"the local table\n"
    }, "the local data folder as it was; nothing fetched into it"


@pytest.mark.usefixtures("no_kernel")
def test_a_file_the_data_package_lists_but_the_site_lacks_is_refused(capsys, project, serve, tmp_path):
    files, dataset = with_data(tmp_path)
    missing = f"{dataset.folder}/lunar-report.sqlite"
    del files[missing]
    refused(
        capsys, project, serve(files), missing,
        f"listed in {dataset.folder}/datapackage.json, but the site does not have it",
    )  # fmt: skip


@pytest.mark.usefixtures("no_kernel")
def test_a_data_package_of_another_edition_is_refused(capsys, project, serve, tmp_path):
    files, dataset = with_data(tmp_path)
    package = f"{dataset.folder}/datapackage.json"
    body = json.loads(files[package])
    body["version"] = "2026-01-01-0123456789"
    reason = f"not the data package of data edition {dataset.version} (its version is not {dataset.version})"
    refused(capsys, project, serve({**files, package: json.dumps(body).encode()}), package, reason)


@pytest.mark.usefixtures("no_kernel")
def test_a_data_package_past_its_bound_is_refused_before_it_is_read(capsys, project, serve, tmp_path):
    files, dataset = with_data(tmp_path)
    package = f"{dataset.folder}/datapackage.json"
    url = serve(files, {package: lambda h: send(h, 200, b"{}", length=17 * 2**20)})
    refused(capsys, project, url, package, "larger than 16 MiB")


def test_a_site_without_the_data_edition_restores_the_editions_unlinked(tmp_path, serve):
    files, dataset = with_data(tmp_path)
    files = {name: content for name, content in files.items() if not name.startswith("data/")}
    out = tmp_path / "out"
    out.mkdir()
    assert restore(out, serve(files), Limits(), tmp_path) == 2
    assert not (out / "data").exists()
    ledger = load_ledger(out)
    assert ledger is not None
    assert [e.dataset for e in ledger.history("r")] == [dataset.version] * 2, "still named, as the site's ledger does"
    assert ">Data<" not in editions_html(out, ledger, ["r"]).decode("utf-8")


@pytest.mark.slow
def test_a_rendered_site_restored_elsewhere_links_its_data_edition(capsys, project, serve, tmp_path):
    """The whole round: a site rendered and served; restored into an empty folder and rendered there a day later
    from changed data, its restored edition still links the data edition it was computed from."""
    config, data, site = project
    assert render(capsys, config, site, data, "--to", "html").code == 0
    published_site = snapshot(site)
    ledger = load_ledger(site)
    assert ledger is not None
    folder = f"data/{ledger.history('r')[0].dataset}"
    kept = {name: content for name, content in published_site.items() if name.startswith(f"{folder}/")}
    assert f"{folder}/datapackage.json" in kept
    events = data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("Wang Wenbin comments", "Wang Wenbin speaks", 1))
    out = tmp_path / "restored"
    url = serve(published_site)
    result = render(capsys, config, out, data, "--to", "html", "--restore-from", url, as_of="2026-11-26")
    assert result.code == 0, result.stderr
    restored = snapshot(out)
    newer, older = load_ledger(out).history("r")
    assert older.id == ledger.history("r")[0].id and newer.dataset != older.dataset
    assert {name: content for name, content in restored.items() if name.startswith(f"{folder}/")} == kept
    assert f'<a href="{folder}/datapackage.json">Data<span' in restored["editions.html"].decode("utf-8")
    assert f'href="{folder}/datapackage.json"' in restored["feed.xml"].decode("utf-8")
