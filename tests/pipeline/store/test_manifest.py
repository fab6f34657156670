"""The manifest (store/manifest.py): round trip, rewritten only when changed, unreadable ones read as empty."""

from __future__ import annotations

import json

import pytest

from lunar_report.pipeline.store import manifest
from lunar_report.pipeline.store.manifest import Entry, Manifest, Output, Status

# --- manifest --------------------------------------------------------------------------------------------


def sample_manifest() -> Manifest:
    entry = Entry(
        Status.RENDERED,
        title="Timeline ’21",
        as_of="2026-11-25",
        parameters={"start": "2017", "categories": ["agreement"]},
        reads=["data/events.csv"],
        outputs={"timeline.html": Output("a" * 64, "b" * 64)},
        seconds=1.5,
    )
    failed = Entry(Status.FAILED, title="Broken", as_of="2026-11-25", parameters={}, configured=False, error="boom")
    return Manifest({"timeline": entry, "broken": failed}, validated="v")


def test_the_manifest_round_trips_and_is_rewritten_only_when_changed(tmp_path):
    assert manifest.save_manifest(tmp_path, sample_manifest()) is True
    assert manifest.load_manifest(tmp_path) == sample_manifest()
    assert manifest.save_manifest(tmp_path, sample_manifest()) is False
    assert list(json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["reports"]) == [
        "broken",
        "timeline",
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[]",
        b"null",
        b"\xff\xfe",
        b'{"format": 1, "reports": {}}',
        b'{"format": "2", "reports": {}}',
        b'{"format": 2}',
        b'{"format": 2, "reports": []}',
        b'{"format": 2, "reports": {"t": []}}',
        b'{"format": 2, "reports": {"t": {"status": "exploded", "title": "", "as_of": "", "parameters": {}}}}',
        b'{"format": 2, "reports": {"t": {"status": "rendered"}}}',
        b'{"format": 2, "reports": {"t": {"status": "rendered", "title": "", "as_of": "", "parameters": {}, "outputs": {"a": 1}}}}',
        b'{"format": 2, "reports": {"t": {"status": "rendered", "title": "", "as_of": "", "parameters": {}, "reads": 5}}}',
        b'{"format": 2, "reports": {"t": {"status": "rendered", "title": "", "as_of": "", "parameters": [], "reads": []}}}',
        b'{"format": 2, "reports": {"t": {"status": "rendered", "title": "", "as_of": "", "parameters": {}, "surprise": 1}}}',
    ],
)
def test_an_unreadable_or_foreign_manifest_is_empty(tmp_path, content):
    (tmp_path / "manifest.json").write_bytes(content)
    assert manifest.load_manifest(tmp_path) == Manifest()


def test_a_missing_manifest_or_a_folder_in_its_place_is_empty(tmp_path):
    assert manifest.load_manifest(tmp_path) == Manifest()
    (tmp_path / "manifest.json").mkdir()
    assert manifest.load_manifest(tmp_path) == Manifest()


# --- index -----------------------------------------------------------------------------------------------


def entry(status=Status.RENDERED, configured=True, **fields) -> Entry:
    base = dict(title="Title", as_of="2026-11-25", parameters={}, configured=configured)
    return Entry(status, **{**base, **fields})
