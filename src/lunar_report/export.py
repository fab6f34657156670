"""Turn an executed notebook into a reader's HTML and PDF (code cells hidden)."""
from __future__ import annotations

from nbconvert import HTMLExporter, PDFExporter

_HIDE_CODE = dict(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def _hide(include_code: bool) -> dict:
    return {} if include_code else _HIDE_CODE


def to_html(notebook, title: str, include_code: bool = False) -> bytes:
    """The notebook as a standalone HTML page."""
    exporter = HTMLExporter(template_name="lab", **_hide(include_code))
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body.encode("utf-8")


def to_pdf(notebook, title: str, include_code: bool = False) -> bytes:
    """The notebook typeset by xelatex through nbconvert's LaTeX exporter."""
    exporter = PDFExporter(**_hide(include_code))
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body
