"""lunar-report preview, without kernels: what it serves, what an edit affects, the kernel pool, clear errors."""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest

from helpers import lunar_report, make_project, run_cli
from lunar_report.pipeline.preview.server import Problem, Site, without_hook
from lunar_report.pipeline.preview.session import Preview, PreviewOptions
from lunar_report.pipeline.run.kernels import KernelPool, notebook_imports, warm_up_code
from lunar_report.pipeline.store.manifest import Entry, Manifest, Status, save_manifest

PROJECT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "notebooks"
AS_OF = "2026-11-25"


# -- the site: pages, the reload hook, errors -------------------------------------------------


@pytest.fixture()
def site(tmp_path) -> Site:
    (tmp_path / "_failed").mkdir()
    (tmp_path / "index.html").write_text("<html><body><p>index</p></body></html>\n", encoding="utf-8")
    (tmp_path / "timeline.html").write_text("<html><body><p>the timeline</p></body></html>\n", encoding="utf-8")
    (tmp_path / "_failed" / "broken.html").write_text("<html><body>ValueError: bad</body></html>", encoding="utf-8")
    site = Site(tmp_path)
    site.publish(reports=("timeline", "broken", "pending"))
    return site


def test_pages_are_the_files_plus_a_reload_hook_that_comes_out_again(site, tmp_path):
    page = site.served("/timeline.html")
    assert page.status == 200 and page.content_type.startswith("text/html")
    assert b"/__preview__/wait?path=" in page.body
    assert page.body.index(b"<script>") < page.body.rindex(b"</body>")
    assert without_hook(page.body) == (tmp_path / "timeline.html").read_bytes()
    assert without_hook(site.served("/").body) == (tmp_path / "index.html").read_bytes()


def test_a_page_not_rendered_yet_says_so_and_reloads(site):
    page = site.served("/pending.html")
    assert page.status == 503
    assert "Rendering pending…" in page.body.decode() and b"__preview__/wait" in page.body


def test_a_failed_report_shows_its_failure_page(site):
    site.publish(failed={"broken": "failed in cell 3 of fails.ipynb: ValueError: bad"})
    page = site.served("/broken.html")
    assert page.status == 500 and b"ValueError: bad" in page.body


def test_a_problem_shows_on_every_page_escaped(site):
    site.publish(problem=Problem("The data has problems", ("events.csv:3:title: <script>bad</script>",)))
    for path in ("/", "/timeline.html", "/broken.html"):
        page = site.served(path)
        assert page.status == 500
        text = page.body.decode()
        assert "The data has problems" in text
        assert "events.csv:3:title: &lt;script&gt;bad&lt;/script&gt;" in text and "<script>bad" not in text
    site.publish(problem=None)
    assert site.served("/timeline.html").status == 200


@pytest.mark.parametrize("path", ["/../reports.toml", "/%2e%2e/reports.toml", "/nope.html", "/_failed/../../x"])
def test_paths_outside_the_folder_or_unknown_are_not_found(site, path):
    (site.folder.parent / "reports.toml").write_text("secret", encoding="utf-8")
    page = site.page(path)
    assert page.status == 404 and b"secret" not in page.body


@pytest.mark.parametrize("path", ["/%00", "/timeline.html%00.png", "/%1b[31m.html"])
def test_a_control_character_in_the_address_is_a_bad_request(site, path):
    page = site.served(path)
    assert page.status == 400 and "The address holds a control character." in page.body.decode()


@pytest.mark.parametrize("path", ["/.lunar-report-output", "/.lunar-report.lock", "/editions/.hidden"])
def test_hidden_files_such_as_the_ownership_mark_are_never_served(site, path):
    (site.folder / ".lunar-report-output").write_text("mark", encoding="utf-8")
    assert site.page(path).status == 404


def test_wait_answers_when_the_page_changes_and_times_out_otherwise(site, tmp_path):
    etag = re.search(rb'etag = "([0-9a-f]+)"', site.served("/timeline.html").body).group(1).decode()
    started = time.monotonic()
    assert site.wait("/timeline.html", etag, timeout=0.3) is False
    assert 0.25 <= time.monotonic() - started < 5

    def edit() -> None:
        time.sleep(0.2)
        (tmp_path / "timeline.html").write_text("<html><body>new</body></html>", encoding="utf-8")
        site.publish(busy=())

    threading.Thread(target=edit).start()
    assert site.wait("/timeline.html", etag, timeout=20) is True
    assert site.viewed() == set()


def test_open_pages_are_known_so_they_render_first(site):
    etag = re.search(rb'etag = "([0-9a-f]+)"', site.served("/timeline.html").body).group(1).decode()
    answers = []
    waiter = threading.Thread(target=lambda: answers.append(site.wait("/timeline.html", etag, 30)))
    waiter.start()
    deadline = time.monotonic() + 10
    while site.viewed() != {"timeline"} and time.monotonic() < deadline:
        time.sleep(0.02)
    assert site.viewed() == {"timeline"}
    site.close()  # stopping answers every waiting page at once
    waiter.join(5)
    assert answers == [False] and site.viewed() == set()


# -- what an edit affects ----------------------------------------------------------------------


@pytest.fixture()
def preview(tmp_path) -> Preview:
    root = make_project(tmp_path / "project")
    session = Preview(PreviewOptions(config_file=root / "reports.toml"), echo=lambda line: None)
    session.out = tmp_path / "site"
    session.out.mkdir()
    data = "data"
    save_manifest(
        session.out,
        Manifest({
            "timeline": Entry(Status.RENDERED, "T", AS_OF, {}, reads=[f"{data}/events.csv", f"{data}/sources.csv"]),
            "broken": Entry(Status.FAILED, "B", AS_OF, {}),
        }),
    )  # fmt: skip
    session.rerender_all = False
    yield session
    session.close()


def test_a_data_file_affects_the_reports_that_read_it_and_the_failed_ones(preview):
    data = preview.data
    assert preview.affected({data / "events.csv"}) == {"timeline", "broken"}
    assert preview.affected({data / "claims.csv"}) == {"broken"}
    preview.out.joinpath("manifest.json").unlink()  # nothing rendered yet: every report is stale
    assert preview.affected({data / "claims.csv"}) == {"timeline", "broken"}


def test_a_notebook_affects_its_reports_and_the_configuration_or_package_all(preview):
    from lunar_report.pipeline.store.fingerprint import PACKAGE_DIR

    assert preview.affected({preview.project / "notebooks" / "timeline.ipynb"}) == {"timeline"}
    assert preview.affected({preview.config}) is None
    assert preview.affected({PACKAGE_DIR / "build" / "templates" / "lunar_html" / "lunar.css"}) is None


def test_polled_files_report_a_change_once(preview):
    assert preview.changed_polled() == set()
    notebook = preview.project / "notebooks" / "timeline.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert preview.changed_polled() == {notebook}
    assert preview.changed_polled() == set()


def test_kernels_are_warmed_with_what_the_notebooks_import_even_lazily():
    modules = notebook_imports([PROJECT / "notebooks" / "timeline.ipynb"])
    assert {"lunar_report.facts.load", "pandas", "matplotlib.pyplot"} <= set(modules)
    assert not {m for m in modules if m.split(".")[0] in ("nbconvert", "papermill", "nbclient")}
    compile(warm_up_code(modules), "warm-up", "exec")


def test_a_pool_whose_kernel_cannot_start_says_it_launched_and_hands_out_none(tmp_path):
    """A render waits for the first kernel's launch: a kernel that cannot start must not make it wait, nor a
    pool without a budget start kernels without end."""
    pool = KernelPool(tmp_path / "kernels", (), size=1, kernel_name="no-such-kernel")
    try:
        assert pool.launched.wait(10)
        assert pool.take() is None
    finally:
        pool.close()


# -- the command: mistakes before serving, completion -----------------------------------------


def test_a_busy_port_is_a_clear_error_before_any_kernel(tmp_path):
    root = make_project(tmp_path / "project")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = lunar_report("preview", "--port", str(port), cwd=root)
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 2, err
    assert f"error: --port {port}: cannot listen on 127.0.0.1:{port}" in err
    assert "pick another port, or --port 0 for a free one" in err and "Traceback" not in err


def test_an_unknown_report_is_a_clear_error(tmp_path):
    root = make_project(tmp_path / "project")
    process = lunar_report("preview", "nope", "--port", "0", cwd=root)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.strip() == "error: unknown report nope; choose from: timeline, broken."


@pytest.mark.parametrize("command", ["render", "preview"])
def test_shell_completion_offers_report_names(tmp_path, capsys, monkeypatch, command):
    root = make_project(tmp_path / "project")
    monkeypatch.setenv("_LUNAR_REPORT_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", f"lunar-report {command} ti")
    monkeypatch.setenv("COMP_CWORD", "2")
    monkeypatch.chdir(root / "notebooks")
    result = run_cli(capsys)
    assert result.code == 0, result.stderr
    assert result.stdout.split() == ["plain,timeline"]
    monkeypatch.setenv("COMP_WORDS", f"lunar-report {command} notebooks/ti")
    monkeypatch.chdir(root)
    assert run_cli(capsys).stdout.split() == ["file,notebooks/ti"]


def test_reads_are_recorded_as_they_were_before_the_run(tmp_path):
    """An edit saved while a report runs is not taken for what the report read (it re-renders next time)."""
    from hashlib import sha256

    from lunar_report.pipeline.store.fingerprint import read_digests, snapshot

    events = tmp_path / "data" / "events.csv"
    events.parent.mkdir()
    events.write_text("before", encoding="utf-8")
    before = snapshot(tmp_path / "data", tmp_path)
    events.write_text("saved during the run", encoding="utf-8")
    assert read_digests(["data/events.csv"], tmp_path, before) == {"data/events.csv": sha256(b"before").hexdigest()}
    assert read_digests(["data/other.csv"], tmp_path, before) == {"data/other.csv": "missing"}
