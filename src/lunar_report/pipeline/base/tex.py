"""xelatex: typesetting a LaTeX source into a PDF, the PDF tools' check, and the glyphs a font lacks.

Each run is a child process in its own process group (children.py), so an interrupt stops it at
once; a run longer than its timeout is killed and reported as a TexError.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ...errors import TexError
from . import children

_MISSING_CHAR = re.compile(r"Missing character: There is no (.+?) \((U\+[0-9A-F]+)\) in font ([^/!\n]+)")
_CONTEXT = 40  # characters of LaTeX source shown on each side of a missing character
XELATEX_PASSES = 2  # the second pass resolves the table of contents and bookmarks


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


NO_CONDA_TEX = "TeX Live from the system, as conda-forge's texlive-core has no xelatex"
TEX_INSTALL = (
    "install TeX (Debian/Ubuntu: apt install texlive-xetex texlive-fonts-recommended texlive-plain-generic; "
    f"conda: {NO_CONDA_TEX}), or render HTML only with --to html"
)
PDF_TOOLS = {  # program -> (Debian/Ubuntu packages, what conda users install)
    "xelatex": ("texlive-xetex texlive-fonts-recommended texlive-plain-generic", ""),
    "pandoc": ("pandoc", "pandoc"),
}


def check_pdf_tools() -> None:
    """TexError naming what to install when a program the PDF needs is not on PATH."""
    missing = [program for program in PDF_TOOLS if shutil.which(program) is None]
    if missing:
        debian = " ".join(PDF_TOOLS[m][0] for m in missing)
        conda = ", and ".join(
            [*(PDF_TOOLS[m][1] for m in missing if PDF_TOOLS[m][1]), *([NO_CONDA_TEX] if "xelatex" in missing else [])]
        )
        raise TexError(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not on PATH: install "
            f"{'it' if len(missing) == 1 else 'them'} (Debian/Ubuntu: apt install {debian}; conda: {conda}), "
            "or render HTML only with --to html"
        )


def _xelatex(work: Path, env: dict[str, str], timeout: float | None = None, *, draft: bool = False) -> tuple[int, str]:
    """One xelatex pass in `work`; its process group is registered so an interrupt stops it.

    A `draft` pass defines \\lunardraftpass (the template then skips what only the final PDF needs) and
    writes no PDF. TexError when it runs longer than `timeout` seconds (a huge title can keep TeX busy for hours).
    """
    source = r"\def\lunardraftpass{}\input{report.tex}" if draft else "report.tex"
    options = ["-no-pdf"] if draft else []
    command = ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", *options]
    command += ["-jobname=report", source]
    try:
        return children.run(command, work, env, timeout)
    except FileNotFoundError:
        raise TexError(f"xelatex is not on PATH: {TEX_INSTALL}") from None
    except subprocess.TimeoutExpired:
        raise TexError(f"xelatex timed out after {timeout:g} s (limits.tex_timeout)") from None


def run_xelatex(
    latex: str,
    files: dict[str, bytes],
    work: Path,
    source_date_epoch: int | None = None,
    passes: int = XELATEX_PASSES,
    timeout: float | None = None,
) -> bytes:
    """Typeset `latex` with xelatex in the empty folder `work` (thread-safe: no chdir) and return the PDF."""
    # max_print_line: TeX wraps log lines at 79 characters, which cut font names and could split a
    # "Missing character" line; unwrapped, every line of the log is whole.
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FORCE_SOURCE_DATE": "1", "max_print_line": "100000"}
    if source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    work.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(content)
    (work / "report.tex").write_text(latex, encoding="utf-8")
    for done in range(1, passes + 1):
        returncode, output = _xelatex(work, env, timeout, draft=done < passes)
        log_file = work / "report.log"
        log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else output
        missing = _missing_characters(log, latex)
        if missing:
            raise TexError("the PDF font lacks characters used in the report: " + "; ".join(missing))
        if returncode != 0:
            tail = "\n".join(log.splitlines()[-25:])
            raise TexError(f"xelatex failed (exit {returncode}); end of its log:\n{tail}")
    return (work / "report.pdf").read_bytes()
