"""Ownership before anything else: a folder lunar-report did not write is refused before its ledger is read, by
every command that writes; a hand-edited ledger is named field by field, and `editions repair` mends it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import assert_refused, copy_minimal, fixture_notebook, render, run_cli, snapshot, write_config
from lunar_report.pipeline.store import editions, workspace

NOT_OURS = (
    "the folder holds files lunar-report did not write (no .lunar-report-output mark); give an empty or new folder, "
    "or a folder an earlier render wrote"
)


@pytest.fixture
def project(tmp_path: Path):
    notebook = fixture_notebook(tmp_path, "r.ipynb", "print(1)")
    config = write_config(tmp_path, [{"name": "r", "notebook": notebook}])
    return config, copy_minimal(tmp_path / "data"), tmp_path / "out"


@pytest.mark.usefixtures("no_kernel")
@pytest.mark.parametrize("ledger", [b"{", b'{"format": 2, "reports": {"r": [{"id": "x"}]}}', b"[]"])
def test_a_foreign_folder_with_a_ledger_is_refused_before_the_ledger_is_read(capsys, project, ledger):
    config, data, out = project
    (out / "editions").mkdir(parents=True)
    (out / editions.LEDGER).write_bytes(ledger)
    (out / "index.html").write_bytes(b"<html>the owner's own page</html>")
    before = snapshot(out)
    assert_refused(render(capsys, config, out, data), 2, f"--out {out}: {NOT_OURS}")
    assert_refused(run_cli(capsys, "editions", "repair", "--out", str(out)), 2, f"--out {out}: {NOT_OURS}")
    assert_refused(
        render(capsys, config, out, data, "--restore-from", "http://127.0.0.1:9/"), 2, f"--out {out}: {NOT_OURS}"
    )
    assert snapshot(out) == before, "no mark written, no ledger set aside, the owner's page as it was"
    assert not (out / workspace.MARK).exists()


def test_a_link_is_no_mark(capsys, project, tmp_path, no_kernel):
    config, data, out = project
    out.mkdir()
    (tmp_path / "elsewhere").write_bytes(b"")
    (out / workspace.MARK).symlink_to(tmp_path / "elsewhere")
    (out / "index.html").write_bytes(b"<html>the owner's own page</html>")
    assert_refused(render(capsys, config, out, data), 2, f"--out {out}: {NOT_OURS}")


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        (
            "id",
            "2026-11-25-0123456789\n",
            r"reports.r[0].id: not an edition id YYYY-MM-DD-<10 hex> (got '2026-11-25-0123456789\n')",
        ),
        ("data", ["x"], "reports.r[0].data: not a table (got list)"),
        ("as_of", "2026-13-01", "reports.r[0].as_of: not a date (got '2026-13-01')"),
        ("changes", [{"a": 1}], "reports.r[0].changes[0]: not a text (got dict)"),
        ("title", "R\x07", "reports.r[0].title: the character U+0007 at position 2"),
    ],
)
def test_a_hand_edited_ledger_is_named_by_entry_and_field_and_repair_mends_it(
    capsys, project, no_kernel, field, value, reason
):
    config, data, out = project
    folder = out / "editions" / "2026-11-25-0123456789"
    folder.mkdir(parents=True)
    (out / workspace.MARK).write_bytes(workspace.MARK_TEXT)
    (folder / "r.html").write_bytes(b"<html><title>Fixture r</title></html>")
    edition = {"id": "2026-11-25-0123456789", "as_of": "2026-11-25", "title": "Fixture r", "inputs": ""}
    ledger = {"format": 3, "reports": {"r": [edition | {"files": ["r.html"], field: value}]}}
    (out / editions.LEDGER).write_text(json.dumps(ledger), encoding="utf-8")
    before = snapshot(out)
    result = render(capsys, config, out, data)
    assert_refused(
        result,
        1,
        f"{out / editions.LEDGER}: cannot read the editions ledger ({reason}); nothing was written or removed. "
        f"Rebuild it from the edition folders with `lunar-report editions repair --out {out}`",
    )
    assert snapshot(out) == before
    repaired = run_cli(capsys, "editions", "repair", "--out", str(out))
    assert (repaired.code, repaired.stdout) == (
        0,
        f"rebuilt {out / editions.LEDGER} from 1 edition folders of 1 reports; "
        "the unreadable one is kept as editions.json.damaged-1\n",
    )
    rebuilt = editions.load_ledger(out)
    assert rebuilt is not None and [e.title for e in rebuilt.history("r")] == ["Fixture r"]
    assert (folder / "r.html").read_bytes() == before[f"editions/{folder.name}/r.html"]
