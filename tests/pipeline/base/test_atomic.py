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


def test_write_if_changed_writes_only_a_change(tmp_path):
    target = tmp_path / "index.html"
    assert atomic.write_if_changed(target, b"one") is True
    stamp = target.stat().st_mtime_ns
    time.sleep(0.01)
    assert atomic.write_if_changed(target, b"one") is False
    assert target.stat().st_mtime_ns == stamp
    assert atomic.write_if_changed(target, b"two") is True
    assert target.read_bytes() == b"two"
