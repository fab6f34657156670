"""The output folder and its lock (store/workspace.py): prepared or refused, private temp folders, cleanup."""

from __future__ import annotations

import pytest
from filelock import FileLock

from lunar_report.errors import LockBusy, UsageError
from lunar_report.pipeline.store import workspace

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
