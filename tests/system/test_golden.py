"""Golden executed notebooks: each report notebook run on the `known` fixture, compared with tests/golden/*.json.

Like nbclient's own tests (`normalize_output`), the executed notebook is normalised first: execution
counts, papermill's and the kernel's metadata, timings and absolute paths are dropped; every text
output (plain, Markdown, HTML, LaTeX), the tables and the figures' alt text, size and text are kept,
and each figure's SVG is reduced to its text and a digest of its drawing (ids removed). A change in
any output fails the test with a unified diff, so it is seen in review. To accept a change on
purpose: `LUNAR_REPORT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`, then review and commit
the rewritten files.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import nbformat
import pytest

from known import AS_OF, KNOWN, MISSION
from lunar_report import paths

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parents[1]
GOLDEN = TESTS / "golden"
NOTEBOOKS = TESTS.parent / "notebooks"
UPDATE_ENV = "LUNAR_REPORT_UPDATE_GOLDEN"
DATE = f"{AS_OF:%Y-%m-%d}"
RUNS = {
    "timeline": {"as_of": DATE},
    "mission_figures": {"mission": MISSION, "as_of": DATE},
    "claims": {"as_of": DATE, "base_url": "https://example.org/fixture/"},
}
"""Each notebook's parameters besides `data_dir` (the fixture); the others keep the notebook's defaults."""

KEPT_METADATA = ("alt", "width", "height")
"""Output metadata kept: the figure's alt text and reserved box."""
BLOCK_END = re.compile(r"(</(?:p|li|tr|thead|tbody|table|caption|div|section|ol|ul|h\d|figure)>)(?!\n)")
SVG_ID = re.compile(r'\s(?:id|clip-path|xlink:href|href)="[^"]*"|url\(#[^)]*\)')
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


def lines(text: str) -> list[str]:
    """Text as lines, HTML broken after its block elements, so a diff shows the row or paragraph that changed."""
    return BLOCK_END.sub("\\1\n", text).splitlines()


def scrub(text: str) -> str:
    """Absolute paths of this checkout and memory addresses, which differ between machines and runs."""
    return ADDRESS.sub("0x…", text.replace(str(KNOWN), "<known>").replace(str(TESTS.parent), "<project>"))


def svg_summary(svg: str) -> dict[str, Any]:
    """A figure as its text (titles, labels, ticks, notes) and a digest of its drawing without its ids."""
    root = ElementTree.fromstring(svg)
    texts = ["".join(node.itertext()).strip() for node in root.iter() if node.tag.rsplit("}", 1)[-1] == "text"]
    drawing = SVG_ID.sub("", svg)
    return {"text": [t for t in texts if t], "sha256 without ids": hashlib.sha256(drawing.encode()).hexdigest()}


def normalise_data(data: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for mime, value in sorted(data.items()):
        if mime == "image/svg+xml":
            kept[mime] = svg_summary(value)
        elif mime.startswith("text/"):
            kept[mime] = lines(scrub(value))
        else:  # PNG, PDF: binary renderings of the SVG kept above
            kept[mime] = "<binary>"
    return kept


def normalise_output(output: dict[str, Any]) -> dict[str, Any]:
    """One output without its volatile fields (execution count, transient ids)."""
    kind = output["output_type"]
    if kind == "stream":
        return {"stream": output["name"], "text": lines(scrub(output["text"]))}
    if kind == "error":
        return {"error": output["ename"], "message": scrub(output["evalue"])}
    shown = {key: output["metadata"][key] for key in KEPT_METADATA if key in output.get("metadata", {})}
    return {"output": kind, "data": normalise_data(output["data"]), **({"metadata": shown} if shown else {})}


def normalise(notebook: Any) -> list[dict[str, Any]]:
    """The executed notebook's cells: type, tags, source and outputs, without metadata, counts or timings."""
    cells = []
    for cell in notebook.cells:
        entry: dict[str, Any] = {"cell": cell.cell_type}
        tags = [tag for tag in cell.metadata.get("tags", []) if tag != "papermill-error-cell-tag"]
        if tags:
            entry["tags"] = tags
        entry["source"] = lines(scrub(cell.source))
        if cell.cell_type == "code":
            entry["outputs"] = [normalise_output(output) for output in cell.outputs]
        cells.append(entry)
    return cells


def executed(name: str, folder: Path) -> list[dict[str, Any]]:
    """`notebooks/<name>.ipynb` run by papermill on the fixture, normalised."""
    import papermill  # here: the fast tier imports this module only to deselect it

    output = folder / f"{name}.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(output),
        parameters={"data_dir": str(KNOWN), **RUNS[name]},
        kernel_name=paths.KERNEL_NAME,
        cwd=str(NOTEBOOKS),
        progress_bar=False,
        request_save_on_cell_execute=False,
    )
    return normalise(nbformat.read(output, as_version=4))


def as_text(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize("name", sorted(RUNS))
def test_executed_notebook_matches_its_golden_file(name, tmp_path, monkeypatch):
    monkeypatch.setenv(paths.FORMATS_ENV, "html")  # no PDF figures: the SVG and the text outputs are compared
    document = {
        "notebook": f"notebooks/{name}.ipynb",
        "parameters": {"data_dir": "<known>", **RUNS[name]},
        "cells": executed(name, tmp_path),
    }
    golden = GOLDEN / f"{name}.json"
    if os.environ.get(UPDATE_ENV) == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(as_text(document), encoding="utf-8")
        return
    assert golden.is_file(), f"no golden file {golden.name}: run with {UPDATE_ENV}=1 to write it, then review it"
    expected, actual = golden.read_text(encoding="utf-8"), as_text(document)
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"golden/{name}.json", "executed", lineterm="", n=2
        )
        pytest.fail(
            f"notebooks/{name}.ipynb on the known fixture differs from tests/golden/{name}.json "
            f"(if on purpose: {UPDATE_ENV}=1, then review the diff):\n" + "\n".join(diff),
            pytrace=False,
        )


def test_normalising_drops_only_what_varies():
    """Counts, timings and addresses go; text, HTML, alt text and what the figure draws stay."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><g id="a1"><path d="M0 0L1 1" clip-path="url(#p1)"/>'
        "<text>Title</text></g></svg>"
    )
    output = {
        "output_type": "display_data",
        "execution_count": 7,
        "metadata": {"alt": "A chart", "width": 10, "papermill": {"duration": 1.5}},
        "data": {"image/svg+xml": svg, "text/html": "<p>One</p><p>Two at 0x7f3a9c2b10d0</p>", "image/png": "iVBO"},
    }
    same = normalise_output({**output, "execution_count": 8, "metadata": {**output["metadata"], "width": 10}})
    assert (
        normalise_output(output)
        == same
        == {
            "output": "display_data",
            "data": {
                "image/png": "<binary>",
                "image/svg+xml": {
                    "text": ["Title"],
                    "sha256 without ids": same["data"]["image/svg+xml"]["sha256 without ids"],
                },
                "text/html": ["<p>One</p>", "<p>Two at 0x…</p>"],
            },
            "metadata": {"alt": "A chart", "width": 10},
        }
    )
    renamed = svg.replace("a1", "b2").replace("p1", "q9")
    assert svg_summary(renamed) == svg_summary(svg), "ids differ between runs, the drawing does not"
    moved = svg.replace("M0 0L1 1", "M0 0L1 2")
    assert svg_summary(moved) != svg_summary(svg), "a changed drawing is a changed output"
    assert scrub(f"read {KNOWN}/events.csv") == "read <known>/events.csv"
