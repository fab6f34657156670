"""Turn an executed notebook into a reader's HTML and PDF (code hidden unless asked for)."""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nbconvert import HTMLExporter, LatexExporter
from nbconvert.exporters import TemplateExporter

from ..base import browser
from ..base.tex import check_pdf_tools, run_xelatex
from ..config.limits import Limits
from ..config.paper import DEFAULT_PAPER, PAPERS
from ..site.links import report_chrome
from ..site.templating import TEMPLATES, environment

_TEMPLATE = {HTMLExporter: "lunar_html", LatexExporter: "lunar_latex"}
_HIDE_CODE = dict(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
TOC_MARKER = "<!--lunar-report:toc-->"


def _hide(include_code: bool) -> dict[str, bool]:
    return {} if include_code else _HIDE_CODE


_IDLE: dict[tuple[Any, ...], list[Any]] = {}  # exporters not in use, by class, setting and templates
_IDLE_LOCK = threading.Lock()


def _templates_stamp() -> tuple[tuple[str, int, int], ...]:
    """Path, time and size of each template file: an edit (in preview, say) makes new exporters."""
    files = sorted(path for path in TEMPLATES.rglob("*") if path.is_file())
    return tuple((str(path), (stat := path.stat()).st_mtime_ns, stat.st_size) for path in files)


@contextlib.contextmanager
def _exporter(kind: type[TemplateExporter], include_code: bool) -> Iterator[Any]:
    """An exporter of `kind` used by nobody else meanwhile (it registers filters per page), kept for the next page:
    its templates are compiled once per process, not once per page (until a template file changes)."""
    key = (kind, include_code, _templates_stamp())
    with _IDLE_LOCK:
        for stale in [k for k in _IDLE if k[:2] == key[:2] and k != key]:
            del _IDLE[stale]
        idle = _IDLE.setdefault(key, [])
        exporter = idle.pop() if idle else None
    if exporter is None:
        exporter = kind(
            template_name=_TEMPLATE[kind],
            extra_template_basedirs=[str(TEMPLATES)],
            optimistic_validation=True,  # the notebook validated once after the preprocessors, not after each
            **_hide(include_code),
        )
    try:
        yield exporter
    finally:
        with _IDLE_LOCK:
            idle.append(exporter)


def _without_title_heading(notebook: Any) -> Any:
    """A copy without the first markdown `# Title` line: the title comes from the report's metadata."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            lines = cell.source.splitlines()
            if lines and lines[0].startswith("# "):
                cell.source = "\n".join(lines[1:]).lstrip("\n")
            break
    return notebook


def _plain(children: list[dict[str, Any]]) -> str:
    return "".join(c.get("raw", "") or _plain(c.get("children", [])) for c in children)


def table_of_contents(notebook: Any) -> list[dict[str, str]]:
    """The h2/h3 headings of the markdown cells, each with the id nbconvert gives it (spaces → '-')."""
    import mistune

    parse = mistune.create_markdown(renderer=None)
    items: list[dict[str, str]] = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        tokens: list[dict[str, Any]] = parse(cell.source)  # type: ignore[assignment]
        for token in tokens:
            level = token.get("attrs", {}).get("level") if token["type"] == "heading" else None
            if level in (2, 3):
                text = _plain(token["children"]).strip()
                items.append({"level": str(level), "anchor": text.replace(" ", "-"), "text": text})
    return items


def _toc_html(items: list[dict[str, str]]) -> str:
    return environment("lunar_html").get_template("toc.html.j2").render(items=items)


FINDINGS_TAG = "findings"  # the cell showing the report's key findings: first under the title
ABOUT_TAG = "about"  # cells about the edition (freshness): one compact block after the findings
CHANGES_CELL = "lunar-report-changes"  # the host's "What changed" section (pipeline/store/changes.py), after them


def reading_order(notebook: Any) -> Any:
    """A copy with the findings, then the about cells and the changes, right after the title cell."""
    notebook = copy.deepcopy(notebook)
    cells = list(notebook.cells)

    def tagged(cell: Any, tag: str) -> bool:
        return tag in cell.get("metadata", {}).get("tags", [])

    lead = [c for c in cells if tagged(c, FINDINGS_TAG)] + [c for c in cells if tagged(c, ABOUT_TAG)]
    lead += [c for c in cells if c.get("id") == CHANGES_CELL]
    ids = {id(c) for c in lead}
    rest = [c for c in cells if id(c) not in ids]
    first = next((i for i, c in enumerate(rest) if c.cell_type == "markdown"), -1)
    notebook.cells = rest[: first + 1] + lead + rest[first + 1 :]
    return notebook


_MARKUP = re.compile(r"[*`#>]|\\(?=\S)|\[([^\]]*)\]\([^)]*\)")
DESCRIPTION_LENGTH = 160  # what search engines show of a description


def description(notebook: Any) -> str:
    """The page's meta description: the opening of its first paragraph of prose, at most ~160 characters."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or cell.get("id") == CHANGES_CELL:
            continue
        paragraphs = [p for p in cell.source.split("\n\n") if p.strip() and not p.lstrip().startswith("#")]
        if paragraphs:
            text = " ".join(_MARKUP.sub(lambda m: m.group(1) or "", paragraphs[0]).split())
            if len(text) <= DESCRIPTION_LENGTH:
                return text
            return text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return str(notebook.metadata.get("title", ""))


def thumbnail(notebook: Any) -> bytes | None:
    """The report's thumbnail (the PNG a figure shown with `thumbnail=True` carries), for sharing and the index."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                return base64.b64decode(data["image/png"])
    return None


def _chrome(notebook: Any, site: dict[str, Any] | None) -> dict[str, Any]:
    """The page's head, bar and footer, and the links its header shows."""
    nav = site or {"up": "../", "name": "", "reports": [], "editions": "../editions.html"}
    image = f"{nav['name']}.png" if nav["name"] and thumbnail(notebook) is not None else ""
    chrome = report_chrome(nav, str(notebook.metadata.get("title", "report")), description(notebook), image)
    return {**chrome, "pdf": nav.get("pdf", ""), "edition": nav.get("edition"), "previous": nav.get("previous")}


def to_html(
    notebook: Any,
    parameters: dict[str, Any] | None = None,
    include_code: bool = False,
    site: dict[str, Any] | None = None,
) -> bytes:
    """The notebook as one self-contained, offline HTML page in the site's theme, with a table of contents.

    `site` is the page's navigation (see pipeline.site.report_nav), drawn by the site's bar template.
    """
    body = reading_order(_without_title_heading(notebook))
    resources = {
        "metadata": {"name": notebook.metadata.get("title", "report")},
        "lunar": {"parameters": {k: str(v) for k, v in (parameters or {}).items()}, **_chrome(body, site)},
    }
    with _exporter(HTMLExporter, include_code) as exporter:
        page: str = exporter.from_notebook_node(body, resources=resources)[0]
    return page.replace(TOC_MARKER, _toc_html(table_of_contents(body)), 1).encode("utf-8")


@functools.cache  # once per process and setting: a preview's later rounds find the exporter ready
def warm_up(include_code: bool = False) -> None:
    """Export a one-cell page and throw it away: the exporter, its templates and the libraries it imports on
    first use (markdown, highlighting, HTML parsing) are then ready when the first report's cells are done."""
    import nbformat

    cell = nbformat.v4.new_markdown_cell("# Title\n\n## Section\n\nText & more.")  # (an entity: bs4's table)
    to_html(nbformat.v4.new_notebook(cells=[cell], metadata={"title": "warm-up"}), {}, include_code)


XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>lunar-report</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>
<dc:date><rdf:Seq><rdf:li>{day}</rdf:li></rdf:Seq></dc:date>
<xmp:CreateDate>{moment}</xmp:CreateDate><xmp:ModifyDate>{moment}</xmp:ModifyDate>
<xmp:MetadataDate>{moment}</xmp:MetadataDate><xmp:CreatorTool>lunar-report</xmp:CreatorTool>
<xmpMM:DocumentID>uuid:{uuid}</xmpMM:DocumentID><xmpMM:InstanceID>uuid:{uuid}</xmpMM:InstanceID>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="r"?>"""
"""The PDF's XMP packet: what catalogues and assistive tools read (title, author, language, date)."""


def _pdf_metadata(notebook: Any, paper: str, day: str) -> dict[str, str]:
    """What the LaTeX template writes into the PDF: page size, subject and the XMP packet (as hex).

    The dates are the as-of day's, and the document id derives from title, day and paper size,
    so the same inputs give the same bytes.
    """
    import html
    import uuid

    title = str(notebook.metadata.get("title", "report"))
    subject = description(notebook)
    packet = XMP.format(
        title=html.escape(title),
        subject=html.escape(subject),
        day=day,
        moment=f"{day}T00:00:00Z",
        uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"lunar-report:{title}:{day}:{paper}"),
    )
    return {"paper": PAPERS[paper], "subject": subject, "xmp": packet.encode("utf-8").hex() if day else ""}


def to_latex(
    notebook: Any, include_code: bool = False, paper: str = DEFAULT_PAPER, day: str = ""
) -> tuple[str, dict[str, bytes]]:
    """The LaTeX source and the figure files it includes (`day`: the document's date, YYYY-MM-DD)."""
    body = reading_order(_without_title_heading(notebook))
    with _exporter(LatexExporter, include_code) as exporter:
        latex, resources = exporter.from_notebook_node(
            body,
            resources={
                "metadata": {"name": "report"},
                "output_files_dir": "figures",
                "lunar": _pdf_metadata(body, paper, day),
            },
        )
    return str(latex), dict(resources.get("outputs", {}))


def to_pdf(
    notebook: Any,
    work: Path,
    include_code: bool = False,
    source_date_epoch: int | None = None,
    paper: str = DEFAULT_PAPER,
    timeout: float | None = Limits.tex_timeout,
) -> bytes:
    """The notebook typeset by xelatex (in the empty folder `work`) through nbconvert's LaTeX exporter.

    Each xelatex run may take at most `timeout` seconds (TexError after that).
    """
    from datetime import UTC, datetime

    check_pdf_tools()  # before the LaTeX export, which needs pandoc
    day = datetime.fromtimestamp(source_date_epoch, UTC).date().isoformat() if source_date_epoch is not None else ""
    latex, files = to_latex(notebook, include_code, paper, day)
    return run_xelatex(latex, files, work, source_date_epoch, timeout=timeout)


def _pdf_info(notebook: Any, day: str) -> dict[str, str]:
    """The PDF's document information: title, author, subject and, for a dated render, the as-of day's dates."""
    info = {
        "/Title": str(notebook.metadata.get("title", "report")),
        "/Author": "lunar-report",
        "/Creator": "lunar-report",
        "/Subject": description(notebook),
    }
    if day:
        info["/CreationDate"] = info["/ModDate"] = f"D:{day.replace('-', '')}000000Z"
    return info


def print_pdf(
    notebook: Any,
    page: bytes,
    work: Path,
    source_date_epoch: int | None = None,
    paper: str = DEFAULT_PAPER,
    timeout: float | None = Limits.tex_timeout,
) -> bytes:
    """The report's web page `page` printed by Chromium (in the empty folder `work`), with the PDF's metadata.

    The document information and XMP packet name title, author, subject and language; a dated render's
    dates are the as-of day's, so the same page gives the same bytes.
    """
    from datetime import UTC, datetime

    writer = browser.print_page(page.decode("utf-8"), work, paper, timeout)
    day = datetime.fromtimestamp(source_date_epoch, UTC).date().isoformat() if source_date_epoch is not None else ""
    writer.add_metadata(_pdf_info(notebook, day))
    if day:
        writer.xmp_metadata = bytes.fromhex(_pdf_metadata(notebook, paper, day)["xmp"])
    finished = io.BytesIO()
    writer.write(finished)
    return finished.getvalue()
