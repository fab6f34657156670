"""Atomic writes (base/atomic.py): no temp file left, the old file kept on failure, unchanged files not rewritten."""

from __future__ import annotations

import time

import pytest

from lunar_report.pipeline.base import atomic

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


def test_a_full_disk_is_named_by_the_file_the_user_knows(tmp_path, monkeypatch, capsys):
    from helpers import run_cli
    from lunar_report.pipeline.store.commit import Commit

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OSError) as written:
        atomic.write_atomically(tmp_path / "report.html", b"new")
    assert (written.value.errno, written.value.filename) == (28, str(tmp_path / "report.html"))
    unit = Commit(tmp_path)
    unit.write("editions/editions.json", b"{}")
    with pytest.raises(OSError) as committed:
        unit.apply()
    assert committed.value.filename == str(tmp_path / "editions" / "editions.json"), "not its staging copy"
    target = tmp_path / "claims.json"
    result = run_cli(capsys, "export", "claims", "--base-url", "https://e.org/", "--out", str(target))
    assert (result.code, result.stderr) == (1, f"error: {target}: No space left on device\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "no partial file, no staging folder"


def test_write_if_changed_writes_only_a_change(tmp_path):
    target = tmp_path / "index.html"
    assert atomic.write_if_changed(target, b"one") is True
    stamp = target.stat().st_mtime_ns
    time.sleep(0.01)
    assert atomic.write_if_changed(target, b"one") is False
    assert target.stat().st_mtime_ns == stamp
    assert atomic.write_if_changed(target, b"two") is True
    assert target.read_bytes() == b"two"
