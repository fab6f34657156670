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


def _kids(node) -> list:
    """A structure element's child elements (marked-content numbers and object references left out)."""
    found = node.get("/K", [])
    found = found.get_object() if hasattr(found, "get_object") else found
    found = found if isinstance(found, list) else [found]
    found = [kid.get_object() if hasattr(kid, "get_object") else kid for kid in found]
    return [kid for kid in found if isinstance(kid, dict) and "/S" in kid]


def _elements(pdf: bytes, tag: str) -> list:
    pending = _kids(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"].get_object())
    found = []
    while pending:
        node = pending.pop()
        found += [node] if node["/S"] == tag else []
        pending += _kids(node)
    return found


def test_lists_are_tagged_as_lists_and_nest(tmp_path: Path):
    """Markdown lists, bulleted, numbered and one inside an item, become L > LI > LBody > P in the structure tree."""
    markdown = (
        "# Findings\n\n- first\n- second, with a list inside:\n\n    1. one\n    2. two\n\n- third\n\nAfter the list."
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown)])
    notebook.metadata["title"] = "Lists"
    latex, files = to_latex(notebook, day="2026-12-01")
    pdf = run_xelatex(latex, files, tmp_path / "lists")
    lists = _elements(pdf, "/L")
    assert sorted(len(_kids(found)) for found in lists) == [2, 3], "the bulleted list's three items, the inner two"
    for found in lists:
        for item in _kids(found):
            assert item["/S"] == "/LI" and [kid["/S"] for kid in _kids(item)] == ["/LBody"]
    inner = next(found for found in lists if len(_kids(found)) == 2)
    assert inner["/P"].get_object()["/S"] == "/LBody", "the inner list sits in the second item's body"
    assert [p["/S"] for p in _kids(_kids(_kids(inner)[0])[0])] == ["/P"]
    paragraphs = _elements(pdf, "/P")
    assert any(p["/P"].get_object()["/S"] == "/Document" for p in paragraphs), "the paragraph after the list is out"


def test_a_table_over_pages_shows_its_header_on_each(tmp_path: Path):
    """The header row is set again at the top of every page the table continues on, as an artifact: the
    structure tree holds it once (one TH per column)."""
    latex, files = to_latex(notebook_with_tables(), day="2026-12-01")
    pdf = run_xelatex(latex, files, tmp_path / "header")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    spanned = [text for text in pages if "Mission " in text]
    assert len(spanned) >= 3, "the 80 rows run over several pages"
    assert all(text.splitlines()[0] == "mission mass" for text in spanned[1:]), [t[:40] for t in spanned]
    assert len(_elements(pdf, "/TH")) == 2
    artifacts = [page.get_contents().get_data().count(b"/Artifact BMC") for page in PdfReader(io.BytesIO(pdf)).pages]
    prose = artifacts[0]  # (the page number is an artifact on every page)
    assert artifacts[-len(spanned) + 1 :] == [prose + 1] * (len(spanned) - 1), artifacts


def test_long_words_in_narrow_columns_stay_inside_them(tmp_path: Path):
    """A table of seven columns of long words typesets without a line wider than its column (an overfull
    box in TeX's log): words break after a slash or are hyphenated where they must."""
    words = ["contradicted", "unverifiable", "UrduPoint/Sputnik", "Spokesperson", "Administration", "memorandum"]
    frame = pd.DataFrame({f"Column {n}": [" ".join(words[n:] + words[:n])] * 3 for n in range(7)})
    output = nbformat.v4.new_output("display_data", data={"text/latex": table_latex(frame, "Long words")})
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("show()", outputs=[output])])
    notebook.metadata["title"] = "Long words"
    latex, files = to_latex(notebook, day="2026-12-01")
    run_xelatex(latex, files, tmp_path / "words")
    log = (tmp_path / "words" / "report.log").read_text(encoding="utf-8", errors="replace")
    assert "Overfull \\hbox" not in log


def test_each_continued_table_repeats_its_own_header(tmp_path: Path):
    """Two long tables one after the other: a page that continues either starts with that table's header."""
    first = pd.DataFrame({"mission": [f"Mission {n}" for n in range(70)], "mass": [f"{n} g" for n in range(70)]})
    second = pd.DataFrame({"event": [f"Event {n}" for n in range(70)], "date": [f"{n} May" for n in range(70)]})
    outputs = [
        nbformat.v4.new_output("display_data", data={"text/latex": table_latex(frame, caption)})
        for frame, caption in ((first, "Missions"), (second, "Events"))
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("show()", outputs=outputs)])
    notebook.metadata["title"] = "Two tables"
    latex, files = to_latex(notebook, day="2026-12-01")
    pages = [
        page.extract_text().splitlines() for page in PdfReader(io.BytesIO(run_xelatex(latex, files, tmp_path))).pages
    ]
    continued = [lines for lines in pages if lines[0] in ("mission mass", "event date")]
    assert {lines[0] for lines in continued} == {"mission mass", "event date"}
    for lines in continued:
        assert lines[1].startswith("Mission " if lines[0] == "mission mass" else "Event "), lines[:2]
