"""Nothing lost, ever: editions survive a damaged ledger, writes stay in folders we own,
a report commits whole, unchanged runs touch nothing, and a published history is restored from the site.

Renders use a one-cell fixture notebook (a kernel start each) and HTML only, unless a test needs a PDF.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import json
import os
import shutil
import signal
import stat
import tempfile
import threading
from datetime import date
from pathlib import Path

import pytest

from helpers import (
    NOTEBOOKS,
    assert_refused,
    copy_minimal,
    fixture_notebook,
    http_server,
    render,
    run_cli,
    snapshot,
    write_config,
    write_raw_config,
)
from lunar_report.errors import Interrupted, UsageError
from lunar_report.pipeline.base.signals import quiet_threads
from lunar_report.pipeline.config.limits import Limits
from lunar_report.pipeline.config.reports import load_reports
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run.render import render_reports
from lunar_report.pipeline.store import commit, editions
from lunar_report.pipeline.store.editions import load_ledger
from lunar_report.pipeline.store.manifest import load_manifest

pytestmark = pytest.mark.slow

DAYS = ("2026-11-25", "2026-11-26", "2026-11-27")


@pytest.fixture
def project(tmp_path: Path):
    """A config with one small report `r` (and `s`), a copy of the minimal data, an empty output folder."""
    notebook = fixture_notebook(tmp_path, "r.ipynb", "print('as of', as_of)")
    config = write_config(tmp_path, [{"name": "r", "notebook": notebook}, {"name": "s", "notebook": notebook}])
    return config, copy_minimal(tmp_path / "data"), tmp_path / "out"


def edition_files(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(out).items() if k.startswith("editions/20")}


# --- the ledger -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda text: text[: len(text) // 2], "Unterminated string"),
        (lambda text: text.replace('"format": 3', '"format": 4'), "unknown format 4"),
    ],
)
def test_a_damaged_ledger_deletes_no_edition_and_repair_brings_it_back(capsys, project, damage, reason):
    config, data, out = project
    for day in DAYS:
        assert render(capsys, config, out, data, "r", "--to", "html", "--keep", "5", as_of=day).code == 0
    kept = edition_files(out)
    assert len([k for k in kept if k.endswith("/r.html")]) == 3
    ledger = out / editions.LEDGER
    ledger.write_text(damage(ledger.read_text(encoding="utf-8")), encoding="utf-8")
    before = snapshot(out)

    result = render(capsys, config, out, data, "r", "--to", "html", "--keep", "1", as_of="2026-11-28")
    assert result.code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: {ledger}: cannot read the editions ledger (")
    assert reason in result.stderr
    assert result.stderr.endswith(
        f"nothing was written or removed. Rebuild it from the edition folders with "
        f"`lunar-report editions repair --out {out}`\n"
    )
    assert snapshot(out) == before, "every edition survives; nothing else changed either"

    repaired = run_cli(capsys, "editions", "repair", "--out", str(out))
    assert repaired.code == 0
    assert repaired.stdout == (
        f"rebuilt {ledger} from 3 edition folders of 1 reports; the unreadable one is kept as editions.json.damaged-1\n"
    )
    assert [e.as_of for e in load_ledger(out).history("r")] == list(reversed(DAYS))
    assert render(capsys, config, out, data, "r", "--to", "html", "--keep", "5", as_of="2026-11-28").code == 0
    assert {k: v for k, v in edition_files(out).items() if k in kept} == kept


def test_a_missing_ledger_is_rebuilt_and_said(capsys, caplog, project):
    config, data, out = project
    for day in DAYS[:2]:
        assert render(capsys, config, out, data, "r", "--to", "html", as_of=day).code == 0
    kept = edition_files(out)
    (out / editions.LEDGER).unlink()
    assert render(capsys, config, out, data, "r", "--to", "html", as_of=DAYS[2]).code == 0
    assert f"note: {out / editions.LEDGER} was missing; rebuilt from 2 edition folders" in caplog.text
    assert {k: v for k, v in edition_files(out).items() if k in kept} == kept
    assert [e.as_of for e in load_ledger(out).history("r")] == list(reversed(DAYS))


# --- only where we own it ---------------------------------------------------------------------------------


def test_a_folder_that_is_not_an_output_folder_is_refused(capsys, project, no_kernel):
    config, data, out = project
    out.mkdir()
    (out / "index.html").write_text("my own page")
    (out / "sub").mkdir()
    (out / "sub" / ".notes.abc.tmp").write_text("mine")
    before = snapshot(out)
    assert_refused(
        render(capsys, config, out, data),
        2,
        f"--out {out}: the folder holds files lunar-report did not write (no .lunar-report-output mark); "
        "give an empty or new folder, or a folder an earlier render wrote",
    )
    assert snapshot(out) == before and not (out / ".lunar-report-output").exists()


def test_the_data_folder_or_a_folder_holding_it_is_refused(capsys, project, no_kernel):
    config, data, _ = project
    for out in (data, data.parent, data / "sub"):
        assert_refused(
            render(capsys, config, out, data),
            2,
            f"--out {out}: the data folder is {data}; give an output folder apart from it",
        )
    assert not (data / ".lunar-report-output").exists() and not (data / "sub").exists()


def test_a_missing_data_folder_is_a_usage_mistake(capsys, project, no_kernel):
    config, _, out = project
    missing = out.parent / "nowhere"
    assert_refused(
        render(capsys, config, out, missing),
        2,
        f"data folder {missing}: no such folder; give the folder that holds the CSV tables (--data DIR)",
    )
    assert_refused(
        run_cli(capsys, "validate", "--data", str(missing)),
        2,
        f"data folder {missing}: no such folder; give the folder that holds the CSV tables (--data DIR)",
    )


SITE = "https://example.org/lunar/"  # export needs the site's address (ClaimReview urls are absolute)


def test_export_refuses_anything_but_a_regular_file_or_a_new_name(capsys, tmp_path):
    (tmp_path / "target").write_text("kept")
    (tmp_path / "link").symlink_to(tmp_path / "target")
    os.mkfifo(tmp_path / "fifo")
    cases = {"link": "a symbolic link", "fifo": "a special file"}  # a folder: click refuses it (exit 2)
    try:
        os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
        cases["null"] = "a device"
    except PermissionError:
        pass
    for name, kind in cases.items():
        target = tmp_path / name
        assert_refused(
            run_cli(capsys, "export", "claims", "--base-url", SITE, "--out", str(target)),
            2,
            f"{target}: {kind} is there, not a regular file; give a new file name or a regular file",
        )
    assert (tmp_path / "target").read_text() == "kept" and (tmp_path / "link").is_symlink()
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode)
    if "null" in cases:
        assert stat.S_ISCHR(os.lstat(tmp_path / "null").st_mode)
    assert run_cli(capsys, "export", "claims", "--base-url", SITE, "--out", str(tmp_path / "new.json")).code == 0


def test_an_output_name_taken_by_a_folder_or_link_is_refused_before_any_kernel(capsys, project, no_kernel):
    config, data, out = project
    out.mkdir()
    (out / "manifest.json").write_text('{"format": 2, "reports": {}, "validated": ""}\n')  # an earlier render's
    (out / "feed.xml").mkdir()
    assert_refused(
        render(capsys, config, out, data),
        2,
        f"{out / 'feed.xml'}: a folder is there, not a regular file; give a new file name or a regular file",
    )
    (out / "feed.xml").rmdir()
    (out / "r.html").symlink_to(out.parent / "elsewhere.html")
    assert_refused(
        render(capsys, config, out, data),
        2,
        f"{out / 'r.html'}: a symbolic link is there, not a regular file; give a new file name or a regular file",
    )
    (out / "r.html").unlink()
    (out / "editions").write_text("a file")
    assert_refused(render(capsys, config, out, data), 2, f"--out {out}: editions is not a folder; move it away")
    (out / "editions").unlink()
    (out.parent / "foreign").mkdir()
    (out.parent / "foreign" / "owner.html").write_bytes(b"the owner's page")
    (out / "claims").symlink_to(out.parent / "foreign")
    assert_refused(render(capsys, config, out, data), 2, f"--out {out}: claims is not a folder; move it away")
    assert (out.parent / "foreign" / "owner.html").read_bytes() == b"the owner's page"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["NOTEBOOK"],
            "one-off render named 'r': a configured report has this name, and a one-off never replaces it; "
            "give another name with --name NAME",
        ),
        (
            ["r", "--name", "s"],
            "one-off render named 's': a configured report has this name, and a one-off never replaces it; "
            "give another name with --name NAME",
        ),
        (
            ["r", "--name", "index"],
            "--name: name 'index' is one of the site's own pages (index, build, editions, search, feed, lunar-report, "
            "manifest); choose another.",
        ),
        (
            ["r", "--name", "lunar-report"],
            "--name: name 'lunar-report' is one of the site's own pages (index, build, editions, search, feed, "
            "lunar-report, manifest); choose another.",
        ),
        (
            ["r", "--name", "search"],
            "--name: name 'search' is one of the site's own pages (index, build, editions, search, feed, lunar-report, "
            "manifest); choose another.",
        ),
    ],
)
def test_a_one_off_never_takes_a_configured_or_site_name(capsys, project, no_kernel, arguments, message):
    config, data, out = project
    arguments = [str(config.parent / "r.ipynb") if a == "NOTEBOOK" else a for a in arguments]
    assert_refused(render(capsys, config, out, data, *arguments), 2, message)
    assert not out.exists()


def test_start_after_end_is_found_with_the_notebooks_defaults_before_any_kernel(capsys, tmp_path, no_kernel):
    data = copy_minimal(tmp_path / "data")
    config = write_config(tmp_path, [{"name": "timeline", "notebook": NOTEBOOKS / "timeline.ipynb"}])
    assert_refused(
        render(capsys, config, tmp_path / "out", data, "timeline", "-p", "end", "2016"),
        2,
        "report timeline-custom: start (2017) is after end (2016); give a start on or before the end.",
    )


# --- one report, one commit -------------------------------------------------------------------------------


class Killed(BaseException):
    """The run stops here, as if killed: no clean-up of its own runs."""


def consistent(out: Path) -> None:
    """Every report's files, its manifest entry and its newest edition agree; the site links only what exists."""
    manifest = load_manifest(out).reports
    ledger = load_ledger(out)
    for name, entry in manifest.items():
        for file, output in entry.outputs.items():
            assert hashlib.sha256((out / file).read_bytes()).hexdigest() == output.sha256, file
        newest = ledger.history(name)[0]
        for file in newest.files:
            assert (out / newest.folder / file).is_file(), f"{newest.folder}/{file}"
        record = json.loads((out / newest.folder / editions.RECORD).read_text(encoding="utf-8"))
        assert record["id"] == newest.id
    for history in ledger.reports.values():
        assert all((out / e.folder).is_dir() for e in history)
    assert not (out / commit.STAGING).exists()
    from test_publication import broken_links

    if (out / "index.html").is_file():
        assert broken_links(out / "index.html") == []


def test_a_run_killed_at_any_step_of_a_commit_is_completed_or_rolled_back(project, monkeypatch):
    from lunar_report.pipeline.run.kernels import KernelPool
    from lunar_report.pipeline.store import workspace

    config, data, out = project
    specs = load_reports(config)[:1]  # r
    runtime = Path(tempfile.mkdtemp(prefix="lr-"))
    pool = KernelPool(runtime, [], size=1)
    try:

        def run(target: Path, day: date) -> None:
            render_reports(specs, RenderOptions(target, data, day, formats=("html",)), kernels=pool)

        run(out, date(2026, 11, 25))
        steps: list[str] = []
        monkeypatch.setattr(commit, "_step", steps.append)
        counted = out.parent / "counted"
        shutil.copytree(out, counted)
        run(counted, date(2026, 11, 26))
        assert len(steps) > 10, steps
        for number, step in enumerate(steps):
            target = out.parent / f"killed-{number}"
            shutil.copytree(out, target)

            def stop(name: str, number: int = number) -> None:
                stop.calls += 1
                if stop.calls == number + 1:
                    raise Killed(name)

            stop.calls = 0
            monkeypatch.setattr(commit, "_step", stop)
            with pytest.raises(Killed):
                run(target, date(2026, 11, 26))
            monkeypatch.setattr(commit, "_step", lambda name: None)
            with workspace.locked(target.resolve(), 0):  # what the next run does first
                pass
            consistent(target)
            if step == "journal" or number == len(steps) - 1:  # the next run then goes on from there (a kernel each)
                run(target, date(2026, 11, 26))
                consistent(target)
                assert [e.id for e in load_ledger(target).history("r")] == [
                    e.id for e in load_ledger(counted).history("r")
                ]
    finally:
        pool.close()
        shutil.rmtree(runtime, ignore_errors=True)


def test_a_signal_during_a_commit_waits_until_it_is_done(tmp_path, monkeypatch):
    unit = commit.Commit(tmp_path)
    for name in ("a.html", "editions/x/a.html", "manifest.json"):
        unit.write(name, name.encode())
    monkeypatch.setattr(
        commit, "_step", lambda name: os.kill(os.getpid(), signal.SIGINT) if name == "journal" else None
    )
    with pytest.raises(Interrupted) as caught:
        unit.apply()
    assert caught.value.exit_code == 130
    assert {k: v.decode() for k, v in snapshot(tmp_path).items()} == {
        "a.html": "a.html", "editions/x/a.html": "editions/x/a.html", "manifest.json": "manifest.json"
    }  # fmt: skip


def test_a_commit_that_fails_midway_puts_every_file_back(tmp_path):
    (tmp_path / "a.html").write_text("old a")
    (tmp_path / "b.html").write_text("old b")
    unit = commit.Commit(tmp_path)
    unit.write("a.html", b"new a")
    unit.write("b.html", b"new b")

    def block(name: str) -> None:
        if name == "renamed a.html":
            (tmp_path / "b.html").unlink()
            (tmp_path / "b.html").mkdir()  # now a folder is in the way

    original = commit._step
    commit._step = block
    try:
        with pytest.raises(OSError):
            unit.apply()
    finally:
        commit._step = original
    assert (tmp_path / "a.html").read_text() == "old a" and (tmp_path / "b.html").is_dir()
    assert not (tmp_path / commit.STAGING).exists()


def test_quiet_threads_restores_the_hook():
    hook = threading.excepthook
    with quiet_threads():
        assert threading.excepthook is not hook
    assert threading.excepthook is hook


# --- byte-stable pages, permanent editions -----------------------------------------------------------------


def state(folder: Path) -> dict[str, tuple[int, str]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lunar-report.lock"
    }


def test_force_then_two_unchanged_renders_change_no_byte_and_no_time(capsys, tmp_path):
    notebook = fixture_notebook(
        tmp_path, "m.ipynb", "print(a, b)", parameters="data_dir = None\nas_of = None\nb = 1\na = 2"
    )
    config = write_raw_config(
        tmp_path,
        f'[[report]]\nname = "m-{{b}}"\nnotebook = "{notebook}"\ntitle = "M {{b}}"\n'
        'parameters = { a = "x" }\nmatrix = { b = ["one"] }\n',
    )
    data, out = copy_minimal(tmp_path / "data"), tmp_path / "out"
    assert render(capsys, config, out, data, "--to", "html").code == 0
    assert render(capsys, config, out, data, "--to", "html", "--force").code == 0
    forced = state(out)
    assert render(capsys, config, out, data, "--to", "html").code == 0
    assert state(out) == forced
    assert render(capsys, config, out, data, "--to", "html").code == 0
    assert state(out) == forced
    build = (out / "build.html").read_text(encoding="utf-8")  # the page that lists each report's parameters
    assert "<code>a = x</code>, <code>as_of = 2026-11-25</code>, <code>b = one</code>" in build, "one canonical order"


def test_force_to_html_keeps_the_editions_files_and_its_pdf_link(capsys, project):
    config, data, out = project
    assert render(capsys, config, out, data, "r").code == 0
    (edition,) = load_ledger(out).history("r")
    kept = {f: (out / edition.folder / f).stat().st_mtime_ns for f in ("r.html", "r.pdf")}
    assert render(capsys, config, out, data, "r", "--force", "--to", "html").code == 0
    assert {f: (out / edition.folder / f).stat().st_mtime_ns for f in ("r.html", "r.pdf")} == kept
    assert load_ledger(out).history("r")[0].files == ["r.html", "r.pdf"]
    assert 'href="r.pdf"' in (out / "r.html").read_text(encoding="utf-8")


def test_a_render_works_on_one_snapshot_of_the_data_even_when_it_is_edited_meanwhile(capsys, tmp_path):
    data = copy_minimal(tmp_path / "data")
    events = data / "events.csv"
    original = events.read_bytes()
    notebook = fixture_notebook(
        tmp_path,
        "r.ipynb",
        "from pathlib import Path\n"
        f"edited = Path({str(events)!r})\n"
        "written = edited.write_text(edited.read_text(encoding='utf-8').replace(',false,,\\n', ',false,,Edited meanwhile\\n', 1),"
        " encoding='utf-8')",
        "from lunar_report.facts.load import load_facts\n"
        "print('note:', repr(load_facts(data_dir).table('events')['note'].iloc[0]))",
    )
    config = write_config(tmp_path, [{"name": "r", "notebook": notebook}])
    out = tmp_path / "out"
    result = render(capsys, config, out, data, "r", "--to", "html")
    assert result.code == 0, result.stderr
    edited = events.read_bytes()
    assert edited != original, "the notebook edited the data folder while the render ran"
    (edition,) = load_ledger(out).history("r")
    sha = hashlib.sha256(original).hexdigest()
    assert edition.data["events.csv"] == sha, "the recorded digest is the snapshot's"
    assert (out / editions.DATA_DIR / f"{sha}.csv").read_bytes() == original, "the kept table is the snapshot's"
    page = (out / "r.html").read_text(encoding="utf-8")
    assert "Edited meanwhile" not in page and "note: &lt;NA&gt;" in page, "the kernel read the snapshot"
    again = render(capsys, config, out, data, "r", "--to", "html")
    assert again.code == 0 and "r: rendered" in again.stdout, "the next render sees the edit"
    assert load_ledger(out).history("r")[0].data["events.csv"] == hashlib.sha256(edited).hexdigest()


def test_a_deleted_edition_folder_is_not_linked_from_the_front_page(capsys, project):
    config, data, out = project
    for day in DAYS:  # three editions: the first one has nothing to compare and is not listed as a change
        assert render(capsys, config, out, data, "r", "--to", "html", as_of=day).code == 0
    older = load_ledger(out).history("r")[1]
    assert f'href="{older.folder}/r.html"' in (out / "index.html").read_text(encoding="utf-8")
    shutil.rmtree(out / older.folder)
    again = render(capsys, config, out, data, "r", "--to", "html", as_of=DAYS[2])
    assert again.code == 0 and "up to date" in again.stdout
    front = (out / "index.html").read_text(encoding="utf-8")
    assert older.folder not in front
    assert "</strong>, as of 26 November 2026:" in front, "listed under the latest changes without a link"


# --- restoring a published history ------------------------------------------------------------------------


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site():
    """Serve a folder over HTTP on 127.0.0.1 (a stand-in for the published site); yields a function folder -> URL."""
    with contextlib.ExitStack() as servers:

        def serve(folder: Path) -> str:
            port = servers.enter_context(http_server(functools.partial(Quiet, directory=str(folder))))
            return f"http://127.0.0.1:{port}/"

        yield serve


def test_an_empty_output_folder_restores_the_published_history(capsys, caplog, project, site):
    config, data, out = project
    for day in DAYS[:2]:
        assert render(capsys, config, out, data, "r", "--to", "html", as_of=day).code == 0
    published = load_ledger(out)
    url = site(out)
    fresh = out.parent / "fresh"
    result = render(capsys, config, fresh, data, "r", "--to", "html", "--restore-from", url, as_of=DAYS[1])
    assert result.code == 0, result.stderr
    assert f"note: restored 2 editions of 1 reports from {url}" in caplog.text
    restored = load_ledger(fresh)
    assert [e.id for e in restored.history("r")] == [e.id for e in published.history("r")], "no new edition"
    assert edition_files(fresh) == edition_files(out)
    assert sorted(p.name for p in (fresh / editions.DATA_DIR).glob("*")) == sorted(
        p.name for p in (out / editions.DATA_DIR).glob("*")
    )
    again = render(capsys, config, fresh, data, "r", "--to", "html", "--restore-from", url, as_of=DAYS[1])
    assert again.code == 0 and "up to date" in again.stdout, "a folder with a ledger is not restored again"


def test_a_site_without_history_starts_one_and_an_unsafe_ledger_is_refused(capsys, caplog, project, site, no_kernel):
    config, data, out = project
    empty = out.parent / "published"
    (empty / "editions").mkdir(parents=True)
    url = site(empty)
    from lunar_report.pipeline.store.restore import restore

    out.mkdir()
    assert restore(out, url, Limits(), out.parent) == 0
    assert f"note: {url}editions/editions.json does not exist: no published history to restore" in caplog.text
    hostile = {
        "format": 2,
        "reports": {"r": [{"id": "2026-11-25-0123456789", "as_of": "2026-11-25", "title": "R", "inputs": "",
                           "files": ["../../../etc/passwd"]}]},
    }  # fmt: skip
    (empty / editions.LEDGER).write_text(json.dumps(hostile), encoding="utf-8")
    result = render(capsys, config, out.parent / "fresh", data, "--restore-from", url)
    assert result.code == 1
    assert result.stderr.startswith(
        f"error: --restore-from {url}: editions/editions.json: not an editions ledger (reports.r[0].files[0]: "
        "not a report file name (got '../../../etc/passwd'))"
    )
    assert "nothing was restored or rendered, so the published history is not replaced" in result.stderr
    assert not (out.parent / "fresh" / "editions").exists()
    assert_refused(
        render(capsys, config, out, data, "--restore-from", "file:///etc/"),
        2,
        "--restore-from file:///etc/: give the published site's address (http:// or https://)",
    )


def test_preview_links_every_configured_report(tmp_path):
    from lunar_report.pipeline.preview.session import HOST_CODE, Preview, PreviewOptions

    notebook = fixture_notebook(tmp_path, "r.ipynb", "print(1)")
    config = write_config(tmp_path, [{"name": n, "notebook": notebook} for n in ("a", "b", "c")])
    session = Preview(PreviewOptions(config_file=config, data_dir=copy_minimal(tmp_path / "data")), lambda line: None)
    try:
        assert [r.name for r in session._render_options(("a", "b", "c")).site] == ["a", "b", "c"]
    finally:
        session.close()
    assert HOST_CODE.is_dir() and (HOST_CODE / "run" / "render.py").is_file()


def test_a_commit_never_writes_through_a_linked_folder(tmp_path):
    out, foreign = tmp_path / "out", tmp_path / "foreign"
    (out / "editions").mkdir(parents=True)
    foreign.mkdir()
    (out / "editions" / "2026-11-25-0123456789").symlink_to(foreign)
    unit = commit.Commit(out)
    unit.write("editions/2026-11-25-0123456789/r.html", b"written through the link")
    with pytest.raises(UsageError) as refused:
        unit.apply()
    assert str(refused.value) == f"--out {out}: editions/2026-11-25-0123456789 is not a folder; move it away"
    assert list(foreign.iterdir()) == [] and not (out / commit.STAGING).exists()


def test_recover_completes_a_journal_and_rolls_back_anything_else(tmp_path):
    stage = tmp_path / commit.STAGING
    stage.mkdir()
    (stage / "0").write_bytes(b"new page")
    assert commit.recover(tmp_path) == "rolled back", "no journal: the commit never happened"
    assert not stage.exists() and not (tmp_path / "index.html").exists()

    stage.mkdir()
    (stage / "0").write_bytes(b"new page")
    (tmp_path / "old.html").write_bytes(b"gone")
    (stage / commit.JOURNAL).write_text(json.dumps({"files": [["0", "index.html"]], "remove": ["old.html"]}))
    assert commit.recover(tmp_path) == "completed"
    assert (tmp_path / "index.html").read_bytes() == b"new page" and not (tmp_path / "old.html").exists()

    stage.mkdir()
    (stage / "0").write_bytes(b"hostile")
    (stage / commit.JOURNAL).write_text(json.dumps({"files": [["0", "../outside.html"]], "remove": []}))
    assert commit.recover(tmp_path) == "rolled back"
    assert not (tmp_path.parent / "outside.html").exists() and not stage.exists()


def test_a_damaged_data_snapshot_is_not_compared_and_is_stored_again(tmp_path):
    from lunar_report.pipeline.store.editions import Ledger, draft, publish

    ledger = Ledger()
    method = {"notebook": "n", "configuration": "c", "code": "k", "environment": "e", "site": "s"}
    events = b"id,start,precision,timezone,title\nev-1,2021-03-09,day,,The memorandum is signed\n"
    first = draft(tmp_path, "t", "T", "2026-11-25", "A", (), {"events.csv": events}, {}, method)
    unit = commit.Commit(tmp_path)
    publish(tmp_path, ledger, first, ["t.html"], unit)
    unit.apply()
    (blob,) = (tmp_path / editions.DATA_DIR).iterdir()
    blob.write_bytes(b"garbage")
    second = draft(tmp_path, "t", "T", "2026-11-26", "B", ledger.history("t"), {"events.csv": events}, {}, method)
    assert second.edition.changes[0].startswith("Compared with the previous edition")
    unit = commit.Commit(tmp_path)
    publish(tmp_path, ledger, second, ["t.html"], unit)
    unit.apply()
    assert blob.read_bytes() == events, "stored again from this run's read"


def test_the_notebook_parameters_cell_is_the_one_source_of_defaults(tmp_path):
    from lunar_report.pipeline.config.reports import notebook_info

    assert notebook_info(NOTEBOOKS / "timeline.ipynb").defaults == {
        "data_dir": None, "start": "2017", "end": None, "categories": None, "timezone": "UTC", "as_of": None
    }  # fmt: skip
    assert notebook_info(NOTEBOOKS / "mission_figures.ipynb").defaults["mission"] == "change-5"
    computed = fixture_notebook(tmp_path, "c.ipynb", parameters="data_dir = None\nas_of = None\nyear: int = 2000 + 21")
    info = notebook_info(computed)
    assert "year" in info.declared and "year" not in info.defaults, "not a literal: only the kernel knows it"
