"""xelatex through the report template: its faster tagging code writes the same PDF as TeX Live's own."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from pypdf import PdfReader

from lunar_report.analysis.display import table_latex
from lunar_report.pipeline.base.tex import run_xelatex
from lunar_report.pipeline.run.export import to_latex

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("xelatex") is None, reason="needs xelatex"),
]

FASTER = "2022-12-22~v0.98a"  # the tagpdf version whose code the template replaces


def notebook_with_tables() -> nbformat.NotebookNode:
    """Headings, paragraphs over pages and tables: many marked chunks on every page."""
    rows = pd.DataFrame({"mission": [f"Mission {n}" for n in range(80)], "mass": [f"{n} g" for n in range(80)]})
    output = nbformat.v4.new_output("display_data", data={"text/latex": table_latex(rows, "Missions")})
    cell = nbformat.v4.new_code_cell("show()", outputs=[output])
    prose = "\n\n".join(
        f"Paragraph {n} of the report, long enough to fill a line or two of the page." for n in range(60)
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# Findings\n\n{prose}"), cell])
    notebook.metadata["title"] = "Tagging"
    return notebook


def test_the_faster_tagging_writes_the_same_pdf(tmp_path: Path):
    latex, files = to_latex(notebook_with_tables(), day="2026-12-01")
    assert FASTER in latex, "the template's guard names the tagpdf version it was checked against"
    faster = run_xelatex(latex, files, tmp_path / "faster", source_date_epoch=1764547200)
    own = run_xelatex(latex.replace(FASTER, "none"), files, tmp_path / "own", source_date_epoch=1764547200)
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(own)).trailer["/Root"]
    assert faster == own


def test_code_shown_in_boxes_typesets(tmp_path: Path):
    """tcolorbox, left out when the code is hidden, is loaded for --include-code, whose cells it draws."""
    notebook = notebook_with_tables()
    notebook.cells.append(nbformat.v4.new_code_cell("print('shown')"))
    hidden, _ = to_latex(notebook, day="2026-12-01")
    latex, files = to_latex(notebook, include_code=True, day="2026-12-01")
    assert "tcolorbox" not in hidden.split(r"\begin{document}")[0]
    assert r"\begin{tcolorbox}" in latex
    pdf = PdfReader(io.BytesIO(run_xelatex(latex, files, tmp_path / "code")))
    assert "print('shown')" in "".join(page.extract_text() for page in pdf.pages).replace("’", "'")
