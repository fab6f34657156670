"""Notebooks reach a commit without outputs: .gitattributes names the nbstripout filter for every notebook."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_every_tracked_notebook_goes_through_the_nbstripout_filter():
    tracked = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True)
    notebooks = tracked.stdout.split()
    assert notebooks
    attributes = subprocess.run(
        ["git", "check-attr", "filter", "--", *notebooks], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert {line.rsplit(": ", 1)[1] for line in attributes.stdout.splitlines()} == {"nbstripout"}


def test_the_filter_strips_outputs_and_keeps_cell_ids(tmp_path):
    """What the filter `make setup` installs does to a notebook with outputs (ids kept: they reach the HTML)."""
    notebook = json.loads((ROOT / "notebooks" / "timeline.ipynb").read_text(encoding="utf-8"))
    code = next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["42\n"]}]
    code["execution_count"] = 7
    stripped = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--keep-id"],
        input=json.dumps(notebook),
        capture_output=True,
        text=True,
        check=True,
    )
    cleaned = json.loads(stripped.stdout)
    assert all(not c.get("outputs") and not c.get("execution_count") for c in cleaned["cells"])
    assert [c["id"] for c in cleaned["cells"]] == [c["id"] for c in notebook["cells"]]
