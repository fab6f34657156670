"""Render configured reports: execute each notebook, export HTML and PDF into the output folder."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import export, paths
from .config import ReportSpec
from .execute import execute_notebook


@dataclass(frozen=True)
class Outcome:
    """What happened to one report."""

    name: str
    status: str  # rendered | failed
    seconds: float
    message: str = ""


def _write_atomically(target: Path, content: bytes) -> None:
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_report(spec: ReportSpec, out_dir: Path, data_dir: Path, include_code: bool = False) -> list[Path]:
    """Execute `spec`'s notebook and write `<name>.html` and `<name>.pdf` into `out_dir`."""
    parameters = {**spec.parameters, "data_dir": str(data_dir)}
    with tempfile.TemporaryDirectory(prefix="lunar-report-") as workdir:
        notebook = execute_notebook(spec.notebook, parameters, Path(workdir))
    html = export.to_html(notebook, spec.title, include_code)
    pdf = export.to_pdf(notebook, spec.title, include_code)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, content in ((".html", html), (".pdf", pdf)):
        target = out_dir / f"{spec.name}{suffix}"
        _write_atomically(target, content)
        written.append(target)
    return written


def default_out_dir() -> Path:
    return paths.DEFAULT_OUT_DIR
