"""Execute helpers (run/execute.py): the reads cell, normalised notebooks, failing cells, notebook checks."""

from __future__ import annotations

import json

import nbformat
import pytest

from helpers import NOTEBOOKS, code
from lunar_report.errors import ConfigError
from lunar_report.pipeline.config import preflight
from lunar_report.pipeline.run import execute

TIMELINE = NOTEBOOKS / "timeline.ipynb"


# --- execute helpers -------------------------------------------------------------------------------------


def executed(*cells, reads: list[str] | None = None):
    notebook = nbformat.v4.new_notebook()
    injected = nbformat.v4.new_code_cell("mission = 'x'", id="random-id")
    injected.metadata["tags"] = ["injected-parameters"]
    injected.metadata["papermill"] = {"duration": 0.1}
    notebook.cells = [injected, *cells]
    if reads is not None:
        tagged = nbformat.v4.new_code_cell(execute.READS_SOURCE)
        tagged.metadata["tags"] = [execute.READS_TAG]
        text = json.dumps({"files": reads})
        tagged.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=text[:5]),
            nbformat.v4.new_output("stream", name="stdout", text=text[5:]),
        ]
        notebook.cells.append(tagged)
    notebook.metadata["papermill"] = {"start_time": "now"}
    return notebook


def test_take_reads_removes_the_tagged_cell_and_returns_what_it_printed():
    notebook = executed(code("1"), reads=["/d/events.csv", "/d/sources.csv"])
    assert execute.take_reads(notebook) == ["/d/events.csv", "/d/sources.csv"]
    assert [c.source for c in notebook.cells] == ["mission = 'x'", "1"]
    assert execute.take_reads(executed(code("1"))) == []
    silent = executed(reads=[])
    silent.cells[-1].outputs = []
    assert execute.take_reads(silent) == []


def test_normalise_drops_what_differs_between_runs():
    notebook = executed(code("1"))
    execute.normalise(notebook)
    assert "papermill" not in notebook.metadata
    injected, cell = notebook.cells
    assert injected.id == "injected-parameters" and "papermill" not in injected.metadata
    assert cell.execution_count is None and "execution" not in cell.metadata
    assert "execution_count" not in cell.outputs[0]


def test_failing_cell_counts_the_notebook_s_own_cells():
    markdown = nbformat.v4.new_markdown_cell("# T")
    assert execute.failing_cell(executed(markdown, code("1"), code("2", error=True))) == 3
    assert execute.failing_cell(executed(code("1"))) is None


def test_check_notebook_accepts_the_shipped_ones_and_refuses_an_invalid_one(tmp_path):
    preflight.check_notebook(TIMELINE)
    broken = tmp_path / "b.ipynb"
    broken.write_text('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code"}]}')
    with pytest.raises(ConfigError, match=r"b\.ipynb: not a valid Jupyter notebook: "):
        preflight.check_notebook(broken)
