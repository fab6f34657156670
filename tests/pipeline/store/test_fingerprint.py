"""Fingerprints (store/fingerprint.py): each input changes them, per format, stable; digests and relative paths."""

from __future__ import annotations

import dataclasses

from lunar_report.pipeline.store import fingerprint

# --- fingerprint -----------------------------------------------------------------------------------------

INPUTS = fingerprint.Inputs(
    notebook="n" * 64,
    config={"name": "t", "title": "T", "parameters": {}, "configured": True},
    parameters={"start": "2017"},
    as_of="2026-11-25",
    include_code=False,
    reads={"data/events.csv": "e" * 64},
    environment={"code": "c" * 64, "python": "3.11.7"},
)
CHANGES = {
    "notebook": "m" * 64,
    "config": {"name": "t", "title": "Another title", "parameters": {}, "configured": True},
    "parameters": {"start": "2018"},
    "as_of": "2026-11-26",
    "include_code": True,
    "reads": {"data/events.csv": "f" * 64},
    "environment": {"code": "c" * 64, "python": "3.12.0"},
}


def test_each_input_changes_the_fingerprint_of_each_format():
    assert set(CHANGES) == {f.name for f in dataclasses.fields(fingerprint.Inputs)}, "every field is tested"
    for fmt in ("html", "pdf"):
        for name, value in CHANGES.items():
            changed = dataclasses.replace(INPUTS, **{name: value})
            assert changed.fingerprint(fmt) != INPUTS.fingerprint(fmt), name


def test_the_fingerprint_is_per_format_and_stable():
    assert INPUTS.fingerprint("html") != INPUTS.fingerprint("pdf")
    reordered = dataclasses.replace(INPUTS, parameters=dict(reversed(list({"a": 1, "b": 2}.items()))))
    assert reordered.fingerprint("html") == dataclasses.replace(INPUTS, parameters={"a": 1, "b": 2}).fingerprint("html")
    assert INPUTS.fingerprint("html") == dataclasses.replace(INPUTS).fingerprint("html")


def test_folder_digest_follows_names_and_bytes_and_skips_hidden_files(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for folder in (first, second):
        (folder / "sources").mkdir(parents=True)
        (folder / "events.csv").write_bytes(b"id\n1\n")
        (folder / "sources" / "article.txt").write_bytes(b"text")
    assert fingerprint.folder_digest(first) == fingerprint.folder_digest(second), "location does not matter"
    digest = fingerprint.folder_digest(first)
    (first / ".hidden").write_bytes(b"editor state")
    (first / ".git").mkdir()
    (first / ".git" / "HEAD").write_bytes(b"ref")
    assert fingerprint.folder_digest(first) == digest
    (first / "sources" / "article.txt").write_bytes(b"texT")
    assert fingerprint.folder_digest(first) != digest
    (first / "sources" / "article.txt").write_bytes(b"text")
    (first / "events.csv").rename(first / "events2.csv")
    assert fingerprint.folder_digest(first) != digest


def test_paths_are_recorded_relative_to_the_project(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "events.csv").write_bytes(b"x")
    assert fingerprint.relative(tmp_path / "data" / "events.csv", tmp_path) == "data/events.csv"
    assert fingerprint.relative("/etc/hostname", tmp_path) == "/etc/hostname"
    digests = fingerprint.read_digests(["data/events.csv", "data/gone.csv"], tmp_path)
    assert digests == {
        "data/events.csv": fingerprint.file_digest(tmp_path / "data" / "events.csv"),
        "data/gone.csv": "missing",
    }


def test_environment_includes_the_lock_file_when_present(tmp_path):
    assert not any(key.startswith("lock:") for key in fingerprint.environment(tmp_path))
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "lock.txt").write_text("pandas==2.2.3\n")
    assert fingerprint.environment(tmp_path)["lock:requirements/lock.txt"] == fingerprint.file_digest(
        tmp_path / "requirements" / "lock.txt"
    )
