"""Turn an executed notebook into a reader's HTML and PDF (code hidden unless asked for)."""
from __future__ import annotations

import copy
import html
import os
import re
import subprocess
import tempfile
from pathlib import Path

from nbconvert import HTMLExporter, LatexExporter

from ..errors import RenderError

TEMPLATES = Path(__file__).resolve().parent / "templates"
_HIDE_CODE = dict(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_MISSING_CHAR = re.compile(r"Missing character: There is no (.+?) \((U\+[0-9A-F]+)\) in font ([^/!\n]+)")
_CONTEXT = 40  # characters of LaTeX source shown on each side of a missing character
XELATEX_PASSES = 2  # the second pass resolves the table of contents and bookmarks


def _hide(include_code: bool) -> dict:
    return {} if include_code else _HIDE_CODE


def _without_title_heading(notebook):
    """A copy without the first markdown `# Title` line: the title comes from the report's metadata."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            lines = cell.source.splitlines()
            if lines and lines[0].startswith("# "):
                cell.source = "\n".join(lines[1:]).lstrip("\n")
            break
    return notebook


def _strip_tags(fragment: str) -> str:
    text = re.sub(r"<a class=\"anchor-link\".*?</a>", "", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def table_of_contents(page: str) -> str:
    """A <nav> listing the page's h2/h3 headings, each linking to the heading's id."""
    items = "".join(
        f'<li class="lr-toc-{level}"><a href="#{anchor}">{html.escape(_strip_tags(inner))}</a></li>'
        for level, anchor, inner in _HEADING.findall(page)
    )
    return f'<nav class="lr-toc" aria-label="Contents"><h2>Contents</h2><ol>{items}</ol></nav>' if items else ""


def to_html(notebook, parameters: dict | None = None, include_code: bool = False) -> bytes:
    """The notebook as one self-contained, offline HTML page with a table of contents."""
    exporter = HTMLExporter(template_name="lunar_html", extra_template_basedirs=[str(TEMPLATES)], **_hide(include_code))
    resources = {
        "metadata": {"name": notebook.metadata.get("title", "report")},
        "lunar": {
            "css": (TEMPLATES / "lunar_html" / "lunar.css").read_text(encoding="utf-8"),
            "parameters": {k: str(v) for k, v in (parameters or {}).items()},
        },
    }
    page, _ = exporter.from_notebook_node(_without_title_heading(notebook), resources=resources)
    page = page.replace("<!--lunar-report:toc-->", table_of_contents(page), 1)
    return page.encode("utf-8")


def to_latex(notebook, include_code: bool = False) -> tuple[str, dict[str, bytes]]:
    """The LaTeX source and the figure files it includes."""
    exporter = LatexExporter(template_name="lunar_latex", extra_template_basedirs=[str(TEMPLATES)], **_hide(include_code))
    latex, resources = exporter.from_notebook_node(
        _without_title_heading(notebook), resources={"metadata": {"name": "report"}, "output_files_dir": "figures"}
    )
    return latex, dict(resources.get("outputs", {}))


def _context(latex: str, char: str) -> str:
    """Where `char` first occurs in the LaTeX source, on one line: the text a reader has to look for."""
    at = latex.find(char)
    if at < 0:
        return ""
    start, end = max(0, at - _CONTEXT), at + len(char) + _CONTEXT
    snippet = " ".join(latex[start:end].split())
    return f" in “{'…' if start else ''}{snippet}{'…' if end < len(latex) else ''}”"


def _missing_characters(log: str, latex: str = "") -> list[str]:
    """Each character the font lacks, with its code point, the font and the text it occurs in."""
    found = {(char, code, font.strip()) for char, code, font in _MISSING_CHAR.findall(log)}
    return [f"{char} ({code}) is not in font {font}{_context(latex, char)}" for char, code, font in sorted(found)]


def run_xelatex(latex: str, files: dict[str, bytes], source_date_epoch: int | None = None) -> bytes:
    """Typeset `latex` with xelatex in a private folder (thread-safe: no chdir) and return the PDF."""
    # max_print_line: TeX wraps log lines at 79 characters, which cut font names and could split a
    # "Missing character" line; unwrapped, every line of the log is whole.
    env = {**os.environ, "FORCE_SOURCE_DATE": "1", "max_print_line": "100000"}
    if source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    with tempfile.TemporaryDirectory(prefix="lunar-report-tex-") as folder:
        work = Path(folder)
        for name, content in files.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_bytes(content)
        (work / "report.tex").write_text(latex, encoding="utf-8")
        command = ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "report.tex"]
        for _ in range(XELATEX_PASSES):
            result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, errors="replace")
            log = (work / "report.log").read_text(encoding="utf-8", errors="replace") if (work / "report.log").exists() else result.stdout
            missing = _missing_characters(log, latex)
            if missing:
                raise RenderError("the PDF font lacks characters used in the report: " + "; ".join(missing))
            if result.returncode != 0:
                tail = "\n".join(log.splitlines()[-25:])
                raise RenderError(f"xelatex failed (exit {result.returncode}); end of its log:\n{tail}")
        return (work / "report.pdf").read_bytes()


def to_pdf(notebook, include_code: bool = False, source_date_epoch: int | None = None) -> bytes:
    """The notebook typeset by xelatex through nbconvert's LaTeX exporter."""
    latex, files = to_latex(notebook, include_code)
    return run_xelatex(latex, files, source_date_epoch)
